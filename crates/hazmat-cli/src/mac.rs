//! `hazmat mac`: message authentication codes of files.
//!
//! One subcommand per MAC family: `hmac` (over a hash), `cmac` (over a block cipher) and
//! `poly1305` (the one-time authenticator). They share everything else: output lines are those
//! of `hazmat hash` (`HEX  NAME`), `--verify` compares in constant time, inputs stream.

use std::sync::Arc;

use clap::{Args, Subcommand};
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::hashes::{algorithm_by_name, HashAlgorithm};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;

use crate::checksum::{format_line, format_status_line};
use crate::common::{parse_hex, Failure, Input, KeyArgs, Options};
use crate::hash::{inputs_failed, print_line, report};

/// The help text every MAC shares, after its own first paragraph.
macro_rules! shared_help {
    ($first:literal, $usage:literal) => {
        concat!(
            $first,
            "\n\nOutput is `HEX  NAME` per input, as `hazmat hash` prints (`-` for standard \
input). With --verify HEX and exactly one input, prints `NAME: OK` (not with --quiet) or \
`NAME: FAILED`; the comparison is constant-time. A key given with --key-hex is visible to \
other local users (process list, shell history): prefer --key-file, whose whole content (every \
byte, a trailing newline included) is the key.

Exit status: 0 success; 1 the MAC did not verify; 2 usage error (no key or two, bad hex, ",
            $usage,
            "), or an input that could not be read (the other inputs are still processed)."
        )
    };
}

/// The MAC algorithms of `hazmat mac`.
#[derive(Subcommand)]
pub(crate) enum MacCommand {
    /// HMAC (RFC 2104) over a hash: prints `HEX  NAME` per input, or checks one input's MAC
    /// with --verify.
    Hmac(HmacArgs),
    /// CMAC (NIST SP 800-38B, RFC 4493) over a block cipher: prints `HEX  NAME` per input, or
    /// checks one input's MAC with --verify.
    Cmac(CmacArgs),
    /// Poly1305 (RFC 8439), the one-time authenticator: a 32-byte key that must never
    /// authenticate a second message; one input.
    Poly1305(Poly1305Args),
}

/// What every MAC command takes besides its algorithm.
#[derive(Args)]
struct MacInputs {
    /// The inputs; none or `-` is standard input.
    #[arg(value_name = "FILE")]
    files: Vec<String>,

    /// The key (exactly one of --key-hex, --key-file).
    #[command(flatten)]
    key: KeyArgs,

    /// Check the input's MAC against HEX instead of printing it (exactly one input).
    #[arg(long, value_name = "HEX")]
    verify: Option<String>,
}

/// Arguments of `hazmat mac hmac`.
#[derive(Args)]
#[command(after_help = shared_help!(
    "HMAC over any fixed-output hash; the key may have any length.",
    "an extendable-output hash"
))]
pub(crate) struct HmacArgs {
    /// The hash under the HMAC: sha1, sha224, sha256, sha384, sha512, sha512-224,
    /// sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, blake2b, blake2s, md5, ripemd160,
    /// sm3.
    #[arg(value_name = "ALG")]
    algorithm: String,

    #[command(flatten)]
    inputs: MacInputs,
}

/// Arguments of `hazmat mac cmac`.
#[derive(Args)]
#[command(after_help = shared_help!(
    "The MAC is one block of the cipher (16 bytes; 8 for 3DES, Blowfish, CAST5 and IDEA). The \
key is the cipher's key: 16, 24 or 32 bytes for `aes`, exactly 16 for `aes-128`, 24 for \
`des-ede3`, 8, 16 or 24 for `3des`. OpenSSL's names (`AES-128-CBC`, as in `openssl mac -cipher \
AES-128-CBC ... CMAC`) are accepted too.",
    "a key of the wrong size for the cipher, a cipher the backend lacks"
))]
pub(crate) struct CmacArgs {
    /// The block cipher: aes, aes-128, aes-192, aes-256, camellia (or camellia-128 ...),
    /// 3des, des-ede3, sm4, bf, cast5, idea, seed.
    #[arg(long, value_name = "CIPHER")]
    cipher: String,

    #[command(flatten)]
    inputs: MacInputs,
}

/// Arguments of `hazmat mac poly1305`.
#[derive(Args)]
#[command(after_help = shared_help!(
    "The key is 32 bytes (r then s, as RFC 8439 section 2.5 lays them out) and the tag 16. A \
Poly1305 key is one-time: whoever sees the tags of two messages under one key can forge \
others, so this command takes a single input (use HMAC or CMAC to authenticate many files \
with one key).",
    "a key that is not 32 bytes, more than one input"
))]
pub(crate) struct Poly1305Args {
    #[command(flatten)]
    inputs: MacInputs,
}

/// Runs `hazmat mac ...`.
pub(crate) fn run(command: &MacCommand, options: &Options) -> Result<(), Failure> {
    match command {
        MacCommand::Hmac(args) => hmac(args, options),
        MacCommand::Cmac(args) => cmac(args, options),
        MacCommand::Poly1305(args) => poly1305(args, options),
    }
}

/// The streaming MACs of the library, behind one face.
trait StreamingMac {
    fn update(&mut self, data: &[u8]) -> pluggable_crypto::Result<()>;
    fn finalize(self: Box<Self>) -> pluggable_crypto::Result<Vec<u8>>;
    /// Constant time; a mismatch is `InvalidSignature`.
    fn verify(self: Box<Self>, tag: &[u8]) -> pluggable_crypto::Result<()>;
}

macro_rules! streaming_mac {
    ($($ty:ty),*) => {$(
        impl StreamingMac for $ty {
            fn update(&mut self, data: &[u8]) -> pluggable_crypto::Result<()> {
                <$ty>::update(self, data)
            }
            fn finalize(self: Box<Self>) -> pluggable_crypto::Result<Vec<u8>> {
                <$ty>::finalize(*self)
            }
            fn verify(self: Box<Self>, tag: &[u8]) -> pluggable_crypto::Result<()> {
                <$ty>::verify(*self, tag)
            }
        }
    )*};
}

streaming_mac!(Hmac, Cmac, Poly1305);

/// A fresh keyed MAC on a backend.
type NewMac<'a> = dyn Fn(&Arc<dyn Backend>) -> Result<Box<dyn StreamingMac>, Failure> + 'a;

/// The hash under an HMAC. An extendable-output name resolves to an instance (whatever its
/// length) so that the library itself refuses it, with its own `UnsupportedAlgorithm`.
fn hmac_hash(name: &str) -> Result<Arc<dyn HashAlgorithm>, Failure> {
    algorithm_by_name(name, None).or_else(|error| match algorithm_by_name(name, Some(32)) {
        Ok(xof) if xof.is_xof() => Ok(xof),
        _ => Err(error.into()),
    })
}

/// `hazmat mac hmac`.
fn hmac(args: &HmacArgs, options: &Options) -> Result<(), Failure> {
    let algorithm = hmac_hash(&args.algorithm)?;
    let key = args.inputs.key.read()?;
    run_mac(&args.inputs, options, &|backend| {
        Ok(Box::new(Hmac::from_shared(
            &key,
            algorithm.clone(),
            backend.clone(),
        )?))
    })
}

/// `hazmat mac cmac`.
fn cmac(args: &CmacArgs, options: &Options) -> Result<(), Failure> {
    let key = args.inputs.key.read()?;
    let algorithm = crate::crypt::block_cipher(&args.cipher, &key)?;
    run_mac(&args.inputs, options, &|backend| {
        Ok(Box::new(Cmac::from_shared(
            algorithm.clone(),
            backend.clone(),
        )?))
    })
}

/// `hazmat mac poly1305`.
fn poly1305(args: &Poly1305Args, options: &Options) -> Result<(), Failure> {
    if args.inputs.files.len() > 1 {
        return Err(Failure::usage(
            "a Poly1305 key is one-time: give one input per key (HMAC or CMAC take many)",
        ));
    }
    let key = args.inputs.key.read()?;
    run_mac(&args.inputs, options, &|backend| {
        Ok(Box::new(Poly1305::with_backend(&key, backend.clone())?))
    })
}

/// Prints the MAC of each input, or checks one input's against `--verify`.
fn run_mac(inputs: &MacInputs, options: &Options, new_mac: &NewMac<'_>) -> Result<(), Failure> {
    let expected = inputs
        .verify
        .as_deref()
        .map(|hex| parse_hex("--verify", hex))
        .transpose()?;
    let files: Vec<&str> = if inputs.files.is_empty() {
        vec!["-"]
    } else {
        inputs.files.iter().map(String::as_str).collect()
    };
    let backend = options.backend()?;
    // Refuses a key, an algorithm or a backend that cannot work before any output.
    new_mac(&backend)?;
    let mac_of = |name: &str| -> Result<Box<dyn StreamingMac>, Failure> {
        let input = Input::open(name)?;
        let mut mac = new_mac(&backend)?;
        input.for_each_chunk(options.quiet, |chunk| {
            mac.update(chunk).map_err(Failure::from)
        })?;
        Ok(mac)
    };
    let mut out = std::io::stdout().lock();

    if let Some(expected) = expected {
        let [name] = files[..] else {
            return Err(Failure::usage("--verify checks exactly one input"));
        };
        return match mac_of(name)?.verify(&expected) {
            Ok(()) if options.quiet => Ok(()),
            Ok(()) => print_line(&mut out, &format_status_line(name, "OK")),
            Err(pluggable_crypto::Error::InvalidSignature) => {
                print_line(&mut out, &format_status_line(name, "FAILED"))?;
                Err(Failure {
                    code: 1,
                    message: String::new(),
                })
            }
            Err(other) => Err(other.into()),
        };
    }

    let mut failed = false;
    for name in files {
        match mac_of(name).and_then(|mac| Ok(mac.finalize()?)) {
            Ok(tag) => print_line(&mut out, &format_line(&tag, name))?,
            Err(failure) => {
                report(&failure);
                failed = true;
            }
        }
    }
    if failed {
        Err(inputs_failed())
    } else {
        Ok(())
    }
}
