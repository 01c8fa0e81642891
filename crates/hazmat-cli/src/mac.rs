//! `hazmat mac`: message authentication codes of files.
//!
//! One subcommand per MAC family (`hmac` today; `cmac`, `poly1305`, ... can join
//! [`MacCommand`] later). Output lines are those of `hazmat hash` (`HEX  NAME`).

use std::sync::Arc;

use clap::{Args, Subcommand};
use cryptography::hazmat::primitives::hashes::{algorithm_by_name, HashAlgorithm};
use cryptography::hazmat::primitives::hmac::Hmac;

use crate::checksum::{format_line, format_status_line};
use crate::common::{parse_hex, Failure, Input, KeyArgs, Options};
use crate::hash::{inputs_failed, print_line, report};

/// The MAC algorithms of `hazmat mac`.
#[derive(Subcommand)]
pub(crate) enum MacCommand {
    /// HMAC (RFC 2104) over a hash: prints `HEX  NAME` per input, or checks one input's MAC
    /// with --verify.
    Hmac(HmacArgs),
}

/// Arguments of `hazmat mac hmac`.
#[derive(Args)]
#[command(after_help = "\
Output is `HEX  NAME` per input, as `hazmat hash` prints (`-` for standard input). With \
--verify HEX and exactly one input, prints `NAME: OK` (not with --quiet) or `NAME: FAILED`; \
the comparison is constant-time. A key given with --key-hex is visible to other local users \
(process list, shell history): prefer --key-file, whose whole content (every byte, a trailing \
newline included) is the key.

Exit status: 0 success; 1 the MAC did not verify; 2 usage error (no key or two, bad hex, an \
extendable-output hash), or an input that could not be read (the other inputs are still \
processed).")]
pub(crate) struct HmacArgs {
    /// The hash under the HMAC: sha1, sha224, sha256, sha384, sha512, sha512-224,
    /// sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, blake2b, blake2s, md5, ripemd160,
    /// sm3.
    #[arg(value_name = "ALG")]
    algorithm: String,

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

/// Runs `hazmat mac ...`.
pub(crate) fn run(command: &MacCommand, options: &Options) -> Result<(), Failure> {
    match command {
        MacCommand::Hmac(args) => hmac(args, options),
    }
}

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
    let key = args.key.read()?;
    let expected = args
        .verify
        .as_deref()
        .map(|hex| parse_hex("--verify", hex))
        .transpose()?;
    let files: Vec<&str> = if args.files.is_empty() {
        vec!["-"]
    } else {
        args.files.iter().map(String::as_str).collect()
    };
    let backend = options.backend()?;
    // Refuses an extendable-output hash, or one the backend lacks, before any output.
    Hmac::from_shared(&key, algorithm.clone(), &*backend)?;
    let mac_of = |name: &str| -> Result<Hmac, Failure> {
        let input = Input::open(name)?;
        let mut mac = Hmac::from_shared(&key, algorithm.clone(), &*backend)?;
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
            Err(cryptography::Error::InvalidSignature) => {
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
