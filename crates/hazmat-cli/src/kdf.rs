//! `hazmat kdf`: key derivation functions (`pluggable_crypto::hazmat::primitives::kdf`).
//!
//! One subcommand per KDF. They share the rest: secrets come as hex or from a file (`-` for
//! stdin), every other byte string (salt, info, label...) as hex; `--length` bytes are printed
//! as lowercase hex (or written as they are with `--binary`); `--verify HEX` derives and
//! compares in constant time, printing `OK` (not with --quiet) or `FAILED` and exit 1.

use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use pluggable_crypto::constant_time::bytes_eq;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    Aes, Blowfish, Camellia, Cast5, Idea, Seed, Sm4, TripleDes,
};
use pluggable_crypto::hazmat::primitives::hashes::{algorithm_by_name, HashAlgorithm};
use pluggable_crypto::hazmat::primitives::kdf::argon2::{Argon2d, Argon2i, Argon2id};
use pluggable_crypto::hazmat::primitives::kdf::concatkdf::{ConcatKdfHash, ConcatKdfHmac};
use pluggable_crypto::hazmat::primitives::kdf::hkdf::{Hkdf, HkdfExpand};
use pluggable_crypto::hazmat::primitives::kdf::kbkdf::{
    CounterLocation, KbkdfCmac, KbkdfHmac, KbkdfParams,
};
use pluggable_crypto::hazmat::primitives::kdf::pbkdf2::Pbkdf2Hmac;
use pluggable_crypto::hazmat::primitives::kdf::scrypt::Scrypt;
use pluggable_crypto::hazmat::primitives::kdf::x963kdf::X963Kdf;
use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
use zeroize::Zeroizing;

use crate::common::{parse_hex, secret_args, to_hex, write_stdout, Failure, KeyArgs, Options};

const SHARED_HELP: &str = "\
Byte strings (salts, info, labels) are hexadecimal; secrets come with --*-hex or from a file \
with --*-file (its every byte, a trailing newline included: write it with printf '%s', not \
echo; `-` reads standard input). A secret given as hex is visible to other local users \
(process list, shell history): prefer the file. The derived key is printed as lowercase \
hexadecimal and a newline (--binary: the bytes alone). --verify HEX derives and compares in \
constant time: prints OK (not with --quiet), or FAILED and exits 1.

Exit status: 0 success; 1 --verify did not match; 2 usage error (a missing or repeated \
secret, bad hex, a parameter the KDF refuses, a hash or KDF the backend lacks).";

/// The KDFs of `hazmat kdf`.
#[derive(Subcommand)]
pub(crate) enum KdfCommand {
    /// HKDF (RFC 5869): extract a pseudorandom key from the input keying material and a salt,
    /// expand it with info.
    Hkdf(HkdfArgs),
    /// HKDF-Extract alone: the pseudorandom key, one digest long, from the input keying
    /// material and a salt.
    HkdfExtract(HkdfExtractArgs),
    /// HKDF-Expand alone, from a pseudorandom key.
    HkdfExpand(HkdfExpandArgs),
    /// PBKDF2-HMAC (RFC 8018) from a password.
    Pbkdf2(Pbkdf2Args),
    /// scrypt (RFC 7914), the memory-hard password KDF.
    Scrypt(ScryptArgs),
    /// Argon2id (RFC 9106), the recommended memory-hard password KDF.
    Argon2id(Argon2Args),
    /// Argon2i (RFC 9106): data-independent memory access.
    Argon2i(Argon2Args),
    /// Argon2d (RFC 9106): data-dependent memory access.
    Argon2d(Argon2Args),
    /// The one-step KDF of NIST SP 800-56C over a hash (ConcatKDF; OpenSSL's SSKDF).
    ConcatkdfHash(ConcatHashArgs),
    /// The one-step KDF of NIST SP 800-56C over HMAC (ConcatKDF-HMAC; OpenSSL's SSKDF with
    /// mac:HMAC).
    ConcatkdfHmac(ConcatHmacArgs),
    /// The ANSI X9.63 KDF (SEC 1 section 3.6.1).
    #[command(name = "x963kdf", alias = "x963")]
    X963Kdf(X963Args),
    /// KBKDF in counter mode with HMAC (NIST SP 800-108).
    KbkdfHmac(KbkdfHmacArgs),
    /// KBKDF in counter mode with CMAC (NIST SP 800-108).
    KbkdfCmac(KbkdfCmacArgs),
}

secret_args!(
    /// The input keying material of HKDF, ConcatKDF and X9.63.
    IkmArgs,
    ikm_hex = "--ikm-hex",
    ikm_file = "--ikm-file",
    "input keying material (the shared secret)"
);
secret_args!(
    /// The pseudorandom key of HKDF-Expand.
    PrkArgs,
    prk_hex = "--prk-hex",
    prk_file = "--prk-file",
    "pseudorandom key"
);
secret_args!(
    /// The password of PBKDF2, scrypt and Argon2.
    PasswordArgs,
    password_hex = "--password-hex",
    password_file = "--password-file",
    "password"
);

/// What every KDF with a chosen length shares: the length, --verify, --binary.
#[derive(Args)]
struct Derived {
    /// The length of the derived key in bytes (default: the length of the --verify value, else
    /// 32).
    #[arg(long, value_name = "BYTES")]
    length: Option<usize>,
    /// Compare the derived key with HEX in constant time instead of printing it.
    #[arg(long, value_name = "HEX")]
    verify: Option<String>,
    /// Write the derived bytes themselves, not hexadecimal.
    #[arg(long, conflicts_with = "verify")]
    binary: bool,
}

/// The key --verify expects, if any.
type Expected = Option<Zeroizing<Vec<u8>>>;

impl Derived {
    /// The expected key of --verify, and the length to derive.
    fn plan(&self) -> Result<(Expected, usize), Failure> {
        let expected = self
            .verify
            .as_deref()
            .map(|hex| parse_hex("--verify", hex))
            .transpose()?;
        let length = match (self.length, &expected) {
            (Some(length), Some(expected)) if length != expected.len() => {
                return Err(Failure::usage(format!(
                    "--verify is {} bytes but --length is {length}",
                    expected.len()
                )))
            }
            (Some(length), _) => length,
            (None, Some(expected)) => expected.len(),
            (None, None) => 32,
        };
        Ok((expected, length))
    }
}

/// The hash argument of the hash-based KDFs.
#[derive(Args)]
struct HashArg {
    /// The hash: sha256 (default), sha1, sha224, sha384, sha512, sha512-224, sha512-256,
    /// sha3-224 ... sha3-512, blake2b, blake2s, md5, ripemd160, sm3.
    #[arg(long, value_name = "ALG", default_value = "sha256")]
    hash: String,
}

impl HashArg {
    fn algorithm(&self) -> Result<Arc<dyn HashAlgorithm>, Failure> {
        // An extendable-output name resolves to an instance so that the KDF refuses it itself.
        algorithm_by_name(&self.hash, None)
            .or_else(|error| match algorithm_by_name(&self.hash, Some(32)) {
                Ok(xof) if xof.is_xof() => Ok(xof),
                _ => Err(error),
            })
            .map_err(Failure::from)
    }
}

/// Optional hex bytes: `None` when the option is absent.
fn optional_hex(option: &str, value: &Option<String>) -> Result<Option<Vec<u8>>, Failure> {
    value
        .as_deref()
        .map(|hex| parse_hex(option, hex).map(|bytes| bytes.to_vec()))
        .transpose()
}

/// Arguments of `hazmat kdf hkdf`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct HkdfArgs {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    ikm: IkmArgs,
    /// The salt (default: a digest's worth of zero bytes).
    #[arg(long, value_name = "HEX")]
    salt_hex: Option<String>,
    /// The context and application information (default: empty).
    #[arg(long, value_name = "HEX")]
    info_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf hkdf-extract`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct HkdfExtractArgs {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    ikm: IkmArgs,
    /// The salt (default: a digest's worth of zero bytes).
    #[arg(long, value_name = "HEX")]
    salt_hex: Option<String>,
    /// Compare the pseudorandom key with HEX in constant time instead of printing it.
    #[arg(long, value_name = "HEX")]
    verify: Option<String>,
    /// Write the pseudorandom key's bytes themselves, not hexadecimal.
    #[arg(long, conflicts_with = "verify")]
    binary: bool,
}

/// Arguments of `hazmat kdf hkdf-expand`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct HkdfExpandArgs {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    prk: PrkArgs,
    /// The context and application information (default: empty).
    #[arg(long, value_name = "HEX")]
    info_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf pbkdf2`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct Pbkdf2Args {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    password: PasswordArgs,
    /// The salt (may be empty: --salt-hex '').
    #[arg(long, value_name = "HEX")]
    salt_hex: String,
    /// The iteration count (at least 1; OWASP suggests 600000 for HMAC-SHA256).
    #[arg(long)]
    iterations: u32,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf scrypt`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct ScryptArgs {
    #[command(flatten)]
    password: PasswordArgs,
    /// The salt (may be empty: --salt-hex '').
    #[arg(long, value_name = "HEX")]
    salt_hex: String,
    /// The CPU/memory cost: a power of 2 greater than 1 (memory is about 128 x n x r bytes).
    #[arg(long)]
    n: u64,
    /// The block size.
    #[arg(long)]
    r: u32,
    /// The parallelism.
    #[arg(long)]
    p: u32,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf argon2id|argon2i|argon2d`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct Argon2Args {
    #[command(flatten)]
    password: PasswordArgs,
    /// The salt, at least 8 bytes (16 random bytes are usual).
    #[arg(long, value_name = "HEX")]
    salt_hex: String,
    /// The number of passes, t (at least 1).
    #[arg(long)]
    iterations: u32,
    /// The parallelism, p: lanes (1 to 2^24 - 1).
    #[arg(long)]
    lanes: u32,
    /// The memory, m, in KiB (at least 8 x lanes; RFC 9106 suggests 2097152 or 65536).
    #[arg(long, value_name = "KIB")]
    memory_cost: u32,
    /// Associated data (default: none).
    #[arg(long, value_name = "HEX")]
    ad_hex: Option<String>,
    /// A secret value, the "pepper" (default: none).
    #[arg(long, value_name = "HEX")]
    secret_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf concatkdf-hash`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct ConcatHashArgs {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    ikm: IkmArgs,
    /// The other information, the fixed info of SP 800-56C (default: empty).
    #[arg(long, value_name = "HEX")]
    otherinfo_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf concatkdf-hmac`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct ConcatHmacArgs {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    ikm: IkmArgs,
    /// The HMAC salt (default: a block's worth of zero bytes).
    #[arg(long, value_name = "HEX")]
    salt_hex: Option<String>,
    /// The other information, the fixed info of SP 800-56C (default: empty).
    #[arg(long, value_name = "HEX")]
    otherinfo_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf x963kdf`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct X963Args {
    #[command(flatten)]
    hash: HashArg,
    #[command(flatten)]
    ikm: IkmArgs,
    /// The shared information (default: empty).
    #[arg(long, value_name = "HEX")]
    sharedinfo_hex: Option<String>,
    #[command(flatten)]
    derived: Derived,
}

/// Where the counter goes in KBKDF's PRF input.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Location {
    /// counter ‖ fixed input.
    Before,
    /// fixed input ‖ counter.
    After,
    /// fixed input split at --break-location around the counter.
    Middle,
}

/// The counter-mode parameters both KBKDFs share.
#[derive(Args)]
struct KbkdfOptions {
    /// The label (default: empty); the fixed input is label ‖ 0x00 ‖ context ‖ L.
    #[arg(long, value_name = "HEX", conflicts_with = "fixed_hex")]
    label_hex: Option<String>,
    /// The context (default: empty).
    #[arg(long, value_name = "HEX", conflicts_with = "fixed_hex")]
    context_hex: Option<String>,
    /// The whole fixed input, instead of label, context and length.
    #[arg(long, value_name = "HEX")]
    fixed_hex: Option<String>,
    /// The counter's length in bytes, 1 to 4.
    #[arg(long, default_value_t = 4)]
    rlen: usize,
    /// The length field's length in bytes, 1 to 4 (default 4; unused with --fixed-hex).
    #[arg(long)]
    llen: Option<usize>,
    /// Where the counter goes.
    #[arg(long, value_enum, default_value_t = Location::Before)]
    location: Location,
    /// With --location middle: the counter's offset into the fixed input.
    #[arg(long, value_name = "OFFSET")]
    break_location: Option<usize>,
}

/// The byte strings of [`KbkdfOptions`], decoded.
struct KbkdfBytes {
    label: Option<Vec<u8>>,
    context: Option<Vec<u8>>,
    fixed: Option<Vec<u8>>,
}

impl KbkdfOptions {
    fn bytes(&self) -> Result<KbkdfBytes, Failure> {
        Ok(KbkdfBytes {
            label: optional_hex("--label-hex", &self.label_hex)?,
            context: optional_hex("--context-hex", &self.context_hex)?,
            fixed: optional_hex("--fixed-hex", &self.fixed_hex)?,
        })
    }

    fn params<'a>(&self, bytes: &'a KbkdfBytes, length: usize) -> KbkdfParams<'a> {
        KbkdfParams {
            length,
            rlen: self.rlen,
            llen: self
                .llen
                .or(if bytes.fixed.is_none() { Some(4) } else { None }),
            location: match self.location {
                Location::Before => CounterLocation::BeforeFixed,
                Location::After => CounterLocation::AfterFixed,
                Location::Middle => CounterLocation::MiddleFixed,
            },
            break_location: self.break_location,
            label: bytes.label.as_deref(),
            context: bytes.context.as_deref(),
            fixed: bytes.fixed.as_deref(),
            ..KbkdfParams::new(length)
        }
    }
}

/// Arguments of `hazmat kdf kbkdf-hmac`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct KbkdfHmacArgs {
    #[command(flatten)]
    hash: HashArg,
    /// The key-derivation key (the HMAC key).
    #[command(flatten)]
    key: KeyArgs,
    #[command(flatten)]
    kbkdf: KbkdfOptions,
    #[command(flatten)]
    derived: Derived,
}

/// Arguments of `hazmat kdf kbkdf-cmac`.
#[derive(Args)]
#[command(after_help = SHARED_HELP)]
pub(crate) struct KbkdfCmacArgs {
    /// The block cipher: aes (any key size), aes-128, aes-192, aes-256, camellia, 3des,
    /// des-ede3, sm4, bf, cast5, idea, seed.
    #[arg(long, value_name = "CIPHER")]
    cipher: String,
    /// The key-derivation key (the block cipher's key).
    #[command(flatten)]
    key: KeyArgs,
    #[command(flatten)]
    kbkdf: KbkdfOptions,
    #[command(flatten)]
    derived: Derived,
}

/// A KDF built for the planned output length.
type BuiltKdf = Result<Box<dyn KeyDerivationFunction>, Failure>;

/// The secret input of a KDF, read only after its parameters are accepted.
type Secret = Result<Zeroizing<Vec<u8>>, Failure>;

impl Derived {
    /// Runs one KDF: plans the length (from --length or --verify), builds the KDF for it
    /// (parameter errors come before any secret is read), reads the secret, then prints the
    /// derived key or checks it against --verify.
    fn run(
        &self,
        options: &Options,
        build: impl FnOnce(usize) -> BuiltKdf,
        secret: impl FnOnce() -> Secret,
    ) -> Result<(), Failure> {
        let (expected, length) = self.plan()?;
        let mut kdf = build(length)?;
        let material = secret()?;
        let Some(expected) = expected else {
            return print_key(&kdf.derive(&material)?, self.binary);
        };
        match kdf.verify(&material, &expected) {
            Ok(()) => report_verified(true, options),
            Err(pluggable_crypto::Error::InvalidKey) => report_verified(false, options),
            Err(other) => Err(other.into()),
        }
    }
}

/// Runs `hazmat kdf ...`.
pub(crate) fn run(command: &KdfCommand, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    match command {
        KdfCommand::Hkdf(args) => args.derived.run(
            options,
            |length| {
                let salt = optional_hex("--salt-hex", &args.salt_hex)?;
                let info = optional_hex("--info-hex", &args.info_hex)?;
                Ok(Box::new(Hkdf::from_shared(
                    args.hash.algorithm()?,
                    length,
                    salt.as_deref(),
                    info.as_deref(),
                    backend,
                )?))
            },
            || args.ikm.read(),
        ),
        KdfCommand::HkdfExtract(args) => {
            let expected = optional_hex("--verify", &args.verify)?.map(Zeroizing::new);
            let salt = optional_hex("--salt-hex", &args.salt_hex)?;
            let prk = Hkdf::extract_from_shared(
                args.hash.algorithm()?,
                salt.as_deref(),
                &args.ikm.read()?,
                backend.clone(),
            )?;
            match expected {
                None => print_key(&prk, args.binary),
                Some(expected) => report_verified(bytes_eq(&prk, &expected), options),
            }
        }
        KdfCommand::HkdfExpand(args) => args.derived.run(
            options,
            |length| {
                let info = optional_hex("--info-hex", &args.info_hex)?;
                let algorithm = args.hash.algorithm()?;
                Ok(Box::new(HkdfExpand::from_shared(
                    algorithm,
                    length,
                    info.as_deref(),
                    backend,
                )?))
            },
            || args.prk.read(),
        ),
        KdfCommand::Pbkdf2(args) => args.derived.run(
            options,
            |length| {
                let salt = parse_hex("--salt-hex", &args.salt_hex)?;
                Ok(Box::new(Pbkdf2Hmac::from_shared(
                    args.hash.algorithm()?,
                    length,
                    &salt,
                    args.iterations,
                    backend,
                )?))
            },
            || args.password.read(),
        ),
        KdfCommand::Scrypt(args) => args.derived.run(
            options,
            |length| {
                let salt = parse_hex("--salt-hex", &args.salt_hex)?;
                let (n, r, p) = (args.n, args.r, args.p);
                Ok(Box::new(Scrypt::with_backend(
                    &salt, length, n, r, p, backend,
                )?))
            },
            || args.password.read(),
        ),
        KdfCommand::Argon2id(args) => args.derived.run(
            options,
            |length| argon2(args, Variant::Id, length, backend),
            || args.password.read(),
        ),
        KdfCommand::Argon2i(args) => args.derived.run(
            options,
            |length| argon2(args, Variant::I, length, backend),
            || args.password.read(),
        ),
        KdfCommand::Argon2d(args) => args.derived.run(
            options,
            |length| argon2(args, Variant::D, length, backend),
            || args.password.read(),
        ),
        KdfCommand::ConcatkdfHash(args) => args.derived.run(
            options,
            |length| {
                let otherinfo = optional_hex("--otherinfo-hex", &args.otherinfo_hex)?;
                Ok(Box::new(ConcatKdfHash::from_shared(
                    args.hash.algorithm()?,
                    length,
                    otherinfo.as_deref(),
                    backend,
                )?))
            },
            || args.ikm.read(),
        ),
        KdfCommand::ConcatkdfHmac(args) => args.derived.run(
            options,
            |length| {
                let salt = optional_hex("--salt-hex", &args.salt_hex)?;
                let otherinfo = optional_hex("--otherinfo-hex", &args.otherinfo_hex)?;
                Ok(Box::new(ConcatKdfHmac::from_shared(
                    args.hash.algorithm()?,
                    length,
                    salt.as_deref(),
                    otherinfo.as_deref(),
                    backend,
                )?))
            },
            || args.ikm.read(),
        ),
        KdfCommand::X963Kdf(args) => args.derived.run(
            options,
            |length| {
                let sharedinfo = optional_hex("--sharedinfo-hex", &args.sharedinfo_hex)?;
                Ok(Box::new(X963Kdf::from_shared(
                    args.hash.algorithm()?,
                    length,
                    sharedinfo.as_deref(),
                    backend,
                )?))
            },
            || args.ikm.read(),
        ),
        KdfCommand::KbkdfHmac(args) => args.derived.run(
            options,
            |length| {
                let bytes = args.kbkdf.bytes()?;
                let params = args.kbkdf.params(&bytes, length);
                Ok(Box::new(KbkdfHmac::from_shared(
                    args.hash.algorithm()?,
                    params,
                    backend,
                )?))
            },
            || args.key.read(),
        ),
        KdfCommand::KbkdfCmac(args) => {
            // The key picks the cipher's key size, so it is read before the KDF is built.
            let key = args.key.read()?;
            args.derived.run(
                options,
                |length| {
                    let bytes = args.kbkdf.bytes()?;
                    let params = args.kbkdf.params(&bytes, length);
                    Ok(Box::new(kbkdf_cmac(&args.cipher, &key, params, backend)?))
                },
                || Ok(key.clone()),
            )
        }
    }
}

#[derive(Clone, Copy)]
enum Variant {
    Id,
    I,
    D,
}

/// The Argon2 variant's KDF for `length` bytes.
fn argon2(
    args: &Argon2Args,
    variant: Variant,
    length: usize,
    backend: Arc<dyn Backend>,
) -> BuiltKdf {
    let salt = parse_hex("--salt-hex", &args.salt_hex)?;
    let ad = optional_hex("--ad-hex", &args.ad_hex)?;
    let secret = optional_hex("--secret-hex", &args.secret_hex)?.map(Zeroizing::new);
    let (ad, secret) = (ad.as_deref(), secret.as_ref().map(|s| s.as_slice()));
    let (t, p, m) = (args.iterations, args.lanes, args.memory_cost);
    Ok(match variant {
        Variant::Id => Box::new(Argon2id::with_backend(
            &salt, length, t, p, m, ad, secret, backend,
        )?),
        Variant::I => Box::new(Argon2i::with_backend(
            &salt, length, t, p, m, ad, secret, backend,
        )?),
        Variant::D => Box::new(Argon2d::with_backend(
            &salt, length, t, p, m, ad, secret, backend,
        )?),
    })
}

/// KBKDF-CMAC over the named block cipher; the key is checked against the name first.
fn kbkdf_cmac(
    name: &str,
    key: &[u8],
    params: KbkdfParams<'_>,
    backend: Arc<dyn Backend>,
) -> Result<KbkdfCmac, Failure> {
    let cipher = crate::crypt::block_cipher(name, key)?;
    Ok(match cipher.name() {
        "AES" => KbkdfCmac::with_backend(Aes::new, params, backend)?,
        "Camellia" => KbkdfCmac::with_backend(Camellia::new, params, backend)?,
        "3DES" => KbkdfCmac::with_backend(TripleDes::new, params, backend)?,
        "SM4" => KbkdfCmac::with_backend(Sm4::new, params, backend)?,
        "Blowfish" => KbkdfCmac::with_backend(Blowfish::new, params, backend)?,
        "CAST5" => KbkdfCmac::with_backend(Cast5::new, params, backend)?,
        "IDEA" => KbkdfCmac::with_backend(Idea::new, params, backend)?,
        "SEED" => KbkdfCmac::with_backend(Seed::new, params, backend)?,
        other => {
            return Err(Failure::usage(format!(
                "KBKDF-CMAC over {other} is not offered"
            )))
        }
    })
}

/// The outcome of --verify: `OK` (nothing with --quiet), or `FAILED` and exit 1.
fn report_verified(matches: bool, options: &Options) -> Result<(), Failure> {
    match matches {
        true if options.quiet => Ok(()),
        true => write_stdout(b"OK\n"),
        false => {
            write_stdout(b"FAILED\n")?;
            Err(Failure {
                code: 1,
                message: String::new(),
            })
        }
    }
}

/// The derived bytes as a hex line, or the bytes themselves.
fn print_key(key: &[u8], binary: bool) -> Result<(), Failure> {
    if binary {
        return write_stdout(key);
    }
    let mut line = Zeroizing::new(to_hex(key));
    line.push('\n');
    write_stdout(line.as_bytes())
}
