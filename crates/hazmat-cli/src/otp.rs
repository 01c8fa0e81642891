//! `hazmat otp`: one-time passwords, HOTP (RFC 4226) and TOTP (RFC 6238)
//! (`pluggable_crypto::hazmat::primitives::twofactor`).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand, ValueEnum};
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::hashes::{HashAlgorithm, Sha1, Sha256, Sha512};
use pluggable_crypto::hazmat::primitives::twofactor::hotp::Hotp;
use pluggable_crypto::hazmat::primitives::twofactor::totp::Totp;
use zeroize::Zeroizing;

use crate::common::{parse_hex, read_secret_file, write_stdout, Failure, Options};

const OTP_HELP: &str = "\
The key (the shared secret) comes as hex, as base32 (as authenticator apps and otpauth:// URIs \
show it; case, spaces and '=' padding do not matter), or from a file: --key-file holds the raw \
bytes, --key-base32-file the base32 text. RFC 4226 asks for at least 128 bits; \
--allow-short-key accepts the 80-bit secrets some services issue.

Prints the password, or with --verify CODE prints OK (not with --quiet) or FAILED and exits 1 \
(the comparison is constant-time), or with --uri the otpauth:// provisioning URI (as pyca's \
get_provisioning_uri writes it) for --account and --issuer.

Exit status: 0 success; 1 --verify did not match; 2 usage error.";

/// The commands of `hazmat otp`.
#[derive(Subcommand)]
pub(crate) enum OtpCommand {
    /// HOTP (RFC 4226): the password for a counter.
    Hotp(HotpArgs),
    /// TOTP (RFC 6238): the password for a time (default: now).
    Totp(TotpArgs),
}

/// The HMAC hash of a one-time password.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum OtpHash {
    Sha1,
    Sha256,
    Sha512,
}

/// Where the key comes from (exactly one).
#[derive(Args)]
#[group(required = true, multiple = false)]
struct OtpKey {
    /// The key as hexadecimal.
    #[arg(long, value_name = "HEX")]
    key_hex: Option<String>,
    /// The key as base32 (RFC 4648; any case, spaces and padding ignored).
    #[arg(long, value_name = "BASE32")]
    key_base32: Option<String>,
    /// A file whose bytes are the key.
    #[arg(long, value_name = "FILE")]
    key_file: Option<String>,
    /// A file holding the key as base32 text.
    #[arg(long, value_name = "FILE")]
    key_base32_file: Option<String>,
}

impl OtpKey {
    fn read(&self) -> Result<Zeroizing<Vec<u8>>, Failure> {
        if let Some(hex) = &self.key_hex {
            return parse_hex("--key-hex", hex);
        }
        if let Some(text) = &self.key_base32 {
            return decode_base32("--key-base32", text.as_bytes());
        }
        if let Some(path) = &self.key_file {
            return read_secret_file(path);
        }
        if let Some(path) = &self.key_base32_file {
            return decode_base32(path, &read_secret_file(path)?);
        }
        Err(Failure::usage(
            "give the key with --key-hex, --key-base32, --key-file or --key-base32-file",
        ))
    }
}

/// Base32 (RFC 4648) as people copy it: any case, spaces and `=` padding ignored. The error
/// names the source, never the text.
fn decode_base32(source: &str, text: &[u8]) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let clean = Zeroizing::new(
        text.iter()
            .filter(|b| !b.is_ascii_whitespace() && **b != b'=')
            .map(u8::to_ascii_uppercase)
            .collect::<Vec<u8>>(),
    );
    let bad = || Failure::usage(format!("{source}: not valid base32 (A-Z and 2-7)"));
    let len = data_encoding::BASE32_NOPAD
        .decode_len(clean.len())
        .map_err(|_| bad())?;
    let mut key = Zeroizing::new(vec![0u8; len]);
    let n = data_encoding::BASE32_NOPAD
        .decode_mut(&clean, &mut key)
        .map_err(|_| bad())?;
    key.truncate(n);
    Ok(key)
}

/// What HOTP and TOTP share.
#[derive(Args)]
struct Common {
    #[command(flatten)]
    key: OtpKey,
    /// The number of digits: 6, 7 or 8.
    #[arg(long, default_value_t = 6)]
    digits: u32,
    /// The HMAC hash.
    #[arg(long, value_enum, default_value_t = OtpHash::Sha1)]
    hash: OtpHash,
    /// Accept a key shorter than 128 bits.
    #[arg(long)]
    allow_short_key: bool,
    /// Check CODE instead of printing the password.
    #[arg(long, value_name = "CODE", conflicts_with = "uri")]
    verify: Option<String>,
    /// Print the otpauth:// provisioning URI instead (needs --account).
    #[arg(long, requires = "account")]
    uri: bool,
    /// The account name of the URI, e.g. alice@example.com.
    #[arg(
        long,
        value_name = "NAME",
        requires = "uri",
        allow_hyphen_values = true
    )]
    account: Option<String>,
    /// The issuer of the URI, e.g. "Example Co".
    #[arg(
        long,
        value_name = "NAME",
        requires = "uri",
        allow_hyphen_values = true
    )]
    issuer: Option<String>,
}

/// Arguments of `hazmat otp hotp`.
#[derive(Args)]
#[command(after_help = OTP_HELP)]
pub(crate) struct HotpArgs {
    #[command(flatten)]
    common: Common,
    /// The counter.
    #[arg(long)]
    counter: u64,
}

/// Arguments of `hazmat otp totp`.
#[derive(Args)]
#[command(after_help = OTP_HELP)]
pub(crate) struct TotpArgs {
    #[command(flatten)]
    common: Common,
    /// The time, in seconds since the Unix epoch (default: now).
    #[arg(long, value_name = "SECONDS")]
    time: Option<u64>,
    /// The time step in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    step: u64,
    /// With --verify: also accept the passwords of up to N steps before and after (clock
    /// drift).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "verify")]
    window: u64,
}

/// Runs `hazmat otp ...`.
pub(crate) fn run(command: &OtpCommand, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    match command {
        OtpCommand::Hotp(args) => {
            let common = &args.common;
            let key = common.key.read()?;
            let hotp = match common.hash {
                OtpHash::Sha1 => hotp(&key, common, Sha1, backend),
                OtpHash::Sha256 => hotp(&key, common, Sha256, backend),
                OtpHash::Sha512 => hotp(&key, common, Sha512, backend),
            }?;
            if common.uri {
                let account = common.account.as_deref().unwrap_or_default();
                let uri =
                    hotp.get_provisioning_uri(account, args.counter, common.issuer.as_deref());
                return write_stdout(format!("{uri}\n").as_bytes());
            }
            match &common.verify {
                Some(code) => report(hotp.verify(code.trim(), args.counter), options),
                None => print_code(&hotp.generate(args.counter)?),
            }
        }
        OtpCommand::Totp(args) => {
            let common = &args.common;
            let key = common.key.read()?;
            let totp = match common.hash {
                OtpHash::Sha1 => totp(&key, common, Sha1, args.step, backend),
                OtpHash::Sha256 => totp(&key, common, Sha256, args.step, backend),
                OtpHash::Sha512 => totp(&key, common, Sha512, args.step, backend),
            }?;
            if common.uri {
                let account = common.account.as_deref().unwrap_or_default();
                let uri = totp.get_provisioning_uri(account, common.issuer.as_deref());
                return write_stdout(format!("{uri}\n").as_bytes());
            }
            let time = match args.time {
                Some(time) => time,
                None => SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_err(|_| Failure::usage("the system clock is set before 1970"))?
                    .as_secs(),
            };
            let Some(code) = &common.verify else {
                return print_code(&totp.generate(time)?);
            };
            // The time's own step first, then the neighbours out to the window.
            let mut result = totp.verify(code.trim(), time);
            for k in 1..=args.window {
                if result.is_ok() {
                    break;
                }
                let offset = k.saturating_mul(args.step);
                for neighbour in [time.checked_sub(offset), time.checked_add(offset)]
                    .into_iter()
                    .flatten()
                {
                    result = totp.verify(code.trim(), neighbour);
                    if result.is_ok() {
                        break;
                    }
                }
            }
            report(result, options)
        }
    }
}

fn hotp<H: HashAlgorithm + Clone>(
    key: &[u8],
    common: &Common,
    hash: H,
    backend: Arc<dyn Backend>,
) -> Result<Hotp, Failure> {
    if common.allow_short_key {
        return Ok(Hotp::with_backend_allowing_short_key(
            key,
            common.digits,
            hash,
            backend,
        )?);
    }
    Hotp::with_backend(key, common.digits, hash.clone(), backend.clone()).map_err(|error| {
        short_key_hint(
            error,
            Hotp::with_backend_allowing_short_key(key, common.digits, hash, backend).is_ok(),
            key,
        )
    })
}

fn totp<H: HashAlgorithm + Clone>(
    key: &[u8],
    common: &Common,
    hash: H,
    step: u64,
    backend: Arc<dyn Backend>,
) -> Result<Totp, Failure> {
    if common.allow_short_key {
        return Ok(Totp::with_backend_allowing_short_key(
            key,
            common.digits,
            hash,
            step,
            backend,
        )?);
    }
    Totp::with_backend(key, common.digits, hash.clone(), step, backend.clone()).map_err(|error| {
        short_key_hint(
            error,
            Totp::with_backend_allowing_short_key(key, common.digits, hash, step, backend).is_ok(),
            key,
        )
    })
}

/// A key refused only for its length (the same parameters pass with a short key allowed)
/// names the option that accepts it.
fn short_key_hint(error: pluggable_crypto::Error, only_the_length: bool, key: &[u8]) -> Failure {
    if only_the_length {
        Failure::usage(format!(
            "the key is {} bits, shorter than the 128 RFC 4226 asks for; --allow-short-key \
             accepts it",
            key.len() * 8
        ))
    } else {
        error.into()
    }
}

fn print_code(code: &str) -> Result<(), Failure> {
    write_stdout(format!("{code}\n").as_bytes())
}

/// `OK` (unless --quiet), or `FAILED` and exit 1.
fn report(result: pluggable_crypto::Result<()>, options: &Options) -> Result<(), Failure> {
    match result {
        Ok(()) if options.quiet => Ok(()),
        Ok(()) => write_stdout(b"OK\n"),
        Err(pluggable_crypto::Error::InvalidToken) => {
            write_stdout(b"FAILED\n")?;
            Err(Failure {
                code: 1,
                message: String::new(),
            })
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_as_people_copy_it() {
        let key = decode_base32("k", b"gezd gnbv gy3t qojq\n").unwrap();
        assert_eq!(&key[..], b"1234567890");
        let key = decode_base32("k", b"JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(&key[..], b"Hello!\xde\xad\xbe\xef");
        assert_eq!(
            &decode_base32("k", b"MZXW6===").unwrap()[..],
            b"foo",
            "padding"
        );
        for bad in [&b"ABC1"[..], b"A", b"AB!C"] {
            let error = decode_base32("--key-base32", bad).unwrap_err();
            assert_eq!(error.code, 2);
            assert!(error.message.starts_with("--key-base32"));
        }
    }
}
