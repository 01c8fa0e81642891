//! `hazmat`: the command-line face of the cryptography library.
//!
//! Exit codes: 0 success, 1 verification failure (a checksum, MAC, authentication tag, derived
//! key, Fernet token, one-time password or signature that does not match, an RSA-OAEP
//! ciphertext that does not decrypt), 2 usage or input error. Errors
//! go to stderr as one line.

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backends;
pub mod checksum;
mod common;
mod crypt;
mod derive;
mod fernet;
mod hash;
mod header;
mod kdf;
mod keys;
mod mac;
mod otp;
mod sign;
mod speed;

pub use common::{BackendChoice, Failure};
pub use header::Header;

/// Hashes, MACs, encryption, key derivation, Fernet and one-time passwords on pluggable
/// backends (OpenSSL, pure Rust, ring).
#[derive(Parser)]
#[command(name = "hazmat", version, about, long_about = None)]
struct Cli {
    /// Which backend does the work: `default` (the library's default), `openssl`, `rust` or
    /// `ring`.
    #[arg(long, global = true, value_enum, default_value_t = BackendChoice::Default)]
    backend: BackendChoice,

    /// No progress bar; `hash -c` and every `--verify` print only failures.
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, per backend, every cipher/mode pair, one-shot AEAD, hash, HMAC, CMAC and Poly1305
    /// it supports, and which backend the default uses for each.
    Backends(backends::BackendsArgs),
    /// Hash files (or stdin) in `sha256sum` format, or check a list of digests with `-c`.
    Hash(hash::HashArgs),
    /// Compute or verify a MAC of files (or stdin): HMAC, CMAC, Poly1305.
    #[command(subcommand)]
    Mac(mac::MacCommand),
    /// Encrypt a file (or stdin) to a file (or stdout), or a small payload to an RSA key
    /// (--rsa-oaep).
    Encrypt(crypt::EncryptArgs),
    /// Decrypt a file (or stdin) to a file (or stdout); authenticated ciphers release nothing
    /// unless the tag verifies.
    Decrypt(crypt::DecryptArgs),
    /// Derive keys: HKDF, PBKDF2, scrypt, Argon2, ConcatKDF, X9.63, KBKDF.
    #[command(subcommand)]
    Kdf(kdf::KdfCommand),
    /// Fernet tokens (pyca/cryptography's format): generate-key, encrypt, decrypt, rotate.
    #[command(subcommand)]
    Fernet(fernet::FernetCommand),
    /// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238).
    #[command(subcommand)]
    Otp(otp::OtpCommand),
    /// Generate a private key: rsa:3072, ec:p256, ed25519, x25519, ed448, x448, dsa:2048, ...
    Genkey(keys::GenkeyArgs),
    /// Key files: the public key, conversion between formats, a description, the SSH
    /// fingerprint.
    #[command(subcommand)]
    Key(keys::KeyCommand),
    /// Sign a file with an RSA (PKCS #1 v1.5 or PSS), ECDSA, DSA, Ed25519 or Ed448 private key.
    Sign(sign::SignArgs),
    /// Verify a signature of a file: prints `FILE: OK`, or `FILE: FAILED` and exits 1.
    Verify(sign::VerifyArgs),
    /// The shared secret of a private key and a peer's public key (ECDH, X25519, X448, DH),
    /// raw or through HKDF.
    Derive(derive::DeriveArgs),
    /// Measure throughput per primitive, backend and message size (`--compare`: against the
    /// raw libraries underneath).
    Speed(speed::SpeedArgs),
}

/// Parses the command line and runs the command; the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    let options = common::Options {
        backend: cli.backend,
        quiet: cli.quiet,
    };
    let result = match cli.command {
        Command::Backends(args) => backends::run(&args),
        Command::Hash(args) => hash::run(&args, &options),
        Command::Mac(command) => mac::run(&command, &options),
        Command::Encrypt(args) => crypt::encrypt(&args, &options),
        Command::Decrypt(args) => crypt::decrypt(&args, &options),
        Command::Kdf(command) => kdf::run(&command, &options),
        Command::Fernet(command) => fernet::run(&command, &options),
        Command::Otp(command) => otp::run(&command, &options),
        Command::Genkey(args) => keys::genkey(&args, &options),
        Command::Key(command) => keys::run(&command, &options),
        Command::Sign(args) => sign::sign(&args, &options),
        Command::Verify(args) => sign::verify(&args, &options),
        Command::Derive(args) => derive::derive(&args, &options),
        Command::Speed(args) => speed::run(&args, &options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("hazmat: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

/// clap's message as one line: its first line, and when that introduces a list ("the following
/// required arguments were not provided:"), the indented lines of the list after it.
fn one_line_error(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    if !first.ends_with(':') {
        return first.to_owned();
    }
    let items: Vec<&str> = lines
        .take_while(|l| l.starts_with(' '))
        .map(str::trim)
        .collect();
    format!("{first} {}", items.join(", "))
}

/// Help and version go to stdout as clap prints them; any other parse error is one line on
/// stderr and exit code 2.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            eprintln!(
                "hazmat: {} (see --help)",
                one_line_error(&error.to_string())
            );
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::one_line_error;

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn clap_errors_become_one_line() {
        let missing = "error: the following required arguments were not provided:\n  \
                       --cipher <CIPHER>\n  <FILE>\n\nUsage: hazmat mac cmac\n";
        assert_eq!(
            one_line_error(missing),
            "the following required arguments were not provided: --cipher <CIPHER>, <FILE>"
        );
        let unknown = "error: unexpected argument '--bogus' found\n\n  tip: ...\n";
        assert_eq!(
            one_line_error(unknown),
            "unexpected argument '--bogus' found"
        );
    }
}
