//! `hazmat`: the command-line face of the cryptography library.
//!
//! Exit codes: 0 success, 1 verification failure (a checksum, MAC or authentication tag that
//! does not match), 2 usage or input error. Errors go to stderr as one line.

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backends;
pub mod checksum;
mod common;
mod crypt;
mod hash;
mod header;
mod mac;
mod speed;

pub use common::{BackendChoice, Failure};
pub use header::Header;

/// Hashes, MACs and encryption on pluggable backends (OpenSSL, pure Rust).
#[derive(Parser)]
#[command(name = "hazmat", version, about, long_about = None)]
struct Cli {
    /// Which backend does the work: `default` (the library's default), `openssl` or `rust`.
    #[arg(long, global = true, value_enum, default_value_t = BackendChoice::Default)]
    backend: BackendChoice,

    /// No progress bar; `hash -c` and `mac --verify` print only failures.
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, per backend, every cipher/mode pair, hash and HMAC it supports, and which backend
    /// the default uses for each.
    Backends(backends::BackendsArgs),
    /// Hash files (or stdin) in `sha256sum` format, or check a list of digests with `-c`.
    Hash(hash::HashArgs),
    /// Compute or verify a MAC of files (or stdin).
    #[command(subcommand)]
    Mac(mac::MacCommand),
    /// Encrypt a file (or stdin) to a file (or stdout).
    Encrypt(crypt::EncryptArgs),
    /// Decrypt a file (or stdin) to a file (or stdout); authenticated ciphers release nothing
    /// unless the tag verifies.
    Decrypt(crypt::DecryptArgs),
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

/// Help and version go to stdout as clap prints them; any other parse error is one line on
/// stderr and exit code 2.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("hazmat: {first} (see --help)");
            ExitCode::from(2)
        }
    }
}
