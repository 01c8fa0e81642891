//! `hazmat`: the command-line face of the cryptography library.
//!
//! Exit codes: 0 success, 1 verification failure, 2 usage or input error. Errors go to stderr
//! as one line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backends;

/// Cryptographic primitives on pluggable backends (OpenSSL and more).
#[derive(Parser)]
#[command(name = "hazmat", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, per backend, every cipher/mode pair, hash and HMAC it supports.
    Backends(backends::BackendsArgs),
}

/// A failure the tool reports: a message and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    /// A usage or input error (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<cryptography::Error> for Failure {
    fn from(error: cryptography::Error) -> Self {
        Failure::usage(error.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Backends(args) => backends::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("hazmat: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
