//! `hazmat fernet`: Fernet tokens (`pluggable_crypto::fernet`), the format of pyca's
//! `cryptography.fernet`: each reads the other's keys and tokens.

use clap::{Args, Subcommand};
use pluggable_crypto::fernet::{Fernet, MultiFernet};
use zeroize::Zeroizing;

use crate::common::{read_secret_file, Failure, Input, Options};
use crate::crypt::Output;

/// The most plaintext `fernet encrypt` takes: Fernet holds whole messages in memory.
const PLAINTEXT_LIMIT: u64 = 64 * 1024 * 1024;
/// The most token text `fernet decrypt` and `rotate` read (base64 of the largest token, and
/// some whitespace).
const TOKEN_LIMIT: u64 = PLAINTEXT_LIMIT / 3 * 4 + 1024;

const FERNET_HELP: &str = "\
A Fernet key is 32 random bytes in url-safe base64 (44 characters), as `hazmat fernet \
generate-key` and Python's Fernet.generate_key() make it; a key file holds that text (a \
trailing newline is ignored). A token is AES-128-CBC and HMAC-SHA256 over the message and the \
time it was made, in url-safe base64; tokens made here and by pyca/cryptography read each other. \
Fernet is for short messages held in memory (at most 64 MiB here); for files use `hazmat \
encrypt`.

Exit status: 0 success; 1 an invalid token (wrong key, modified, malformed, or older than \
--ttl), with nothing on stdout; 2 usage error (no key, a malformed key, an unreadable input).";

/// The commands of `hazmat fernet`.
#[derive(Subcommand)]
pub(crate) enum FernetCommand {
    /// Print a fresh random key (url-safe base64), or write it to a new file (mode 0600).
    GenerateKey(GenerateKeyArgs),
    /// Encrypt a file (or stdin) into a token, printed on a line of its own.
    Encrypt(EncryptArgs),
    /// Decrypt a token read from a file (or stdin); nothing is written unless it verifies.
    Decrypt(DecryptArgs),
    /// Re-encrypt a token under the first key, keeping its timestamp (key rotation).
    Rotate(RotateArgs),
}

/// Arguments of `hazmat fernet generate-key`.
#[derive(Args)]
#[command(after_help = FERNET_HELP)]
pub(crate) struct GenerateKeyArgs {
    /// Where the key goes: `-` (stdout) or a new file, created readable by its owner only (an
    /// existing file is never overwritten).
    #[arg(short, long, default_value = "-")]
    output: String,
}

/// The keys of a Fernet command: `--key-file FILE` or `--key KEY`, repeatable (the first
/// encrypts; any decrypts).
#[derive(Args)]
#[group(required = true, multiple = false)]
struct Keys {
    /// A file holding a key; repeat for several keys (the first encrypts, any decrypts).
    #[arg(long, value_name = "FILE")]
    key_file: Vec<String>,
    /// A key itself (visible to other local users: prefer --key-file); repeatable. A key may
    /// begin with `-` (url-safe base64), so the value after `--key` is always taken as the key.
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    key: Vec<String>,
}

impl Keys {
    /// One `Fernet` per key, in order, on the chosen backend.
    fn fernets(&self, options: &Options) -> Result<Vec<Fernet>, Failure> {
        let backend = options.backend()?;
        let mut fernets = Vec::new();
        for path in &self.key_file {
            let text = read_secret_file(path)?;
            let key = text.trim_ascii_end();
            fernets.push(
                Fernet::with_backend(key, backend.clone())
                    .map_err(|e| Failure::usage(format!("{path}: {e}")))?,
            );
        }
        for key in &self.key {
            fernets.push(
                Fernet::with_backend(key.trim_ascii_end(), backend.clone())
                    .map_err(|e| Failure::usage(format!("--key: {e}")))?,
            );
        }
        Ok(fernets)
    }

    /// The one key that encrypts.
    fn single(&self, options: &Options) -> Result<Fernet, Failure> {
        let mut fernets = self.fernets(options)?;
        match fernets.len() {
            1 => Ok(fernets.remove(0)),
            _ => Err(Failure::usage(
                "fernet encrypt takes one key (several are for decrypt and rotate)",
            )),
        }
    }
}

/// Arguments of `hazmat fernet encrypt`.
#[derive(Args)]
#[command(after_help = FERNET_HELP)]
pub(crate) struct EncryptArgs {
    #[command(flatten)]
    keys: Keys,
    /// The time to stamp the token with, in seconds since the Unix epoch (default: now).
    #[arg(long, value_name = "SECONDS")]
    time: Option<u64>,
    /// Where the token goes (`-`: stdout).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The message (`-`: stdin).
    #[arg(default_value = "-")]
    input: String,
}

/// Arguments of `hazmat fernet decrypt`.
#[derive(Args)]
#[command(after_help = FERNET_HELP)]
pub(crate) struct DecryptArgs {
    #[command(flatten)]
    keys: Keys,
    /// Refuse a token older than SECONDS (or stamped more than 60 seconds in the future).
    #[arg(long, value_name = "SECONDS")]
    ttl: Option<u64>,
    /// The time now, in seconds since the Unix epoch, for --ttl (default: the clock).
    #[arg(long, value_name = "SECONDS", requires = "ttl")]
    time: Option<u64>,
    /// Where the message goes (`-`: stdout), written only if the token verifies.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The file holding the token (`-`: stdin); surrounding whitespace is ignored.
    #[arg(default_value = "-")]
    token: String,
}

/// Arguments of `hazmat fernet rotate`.
#[derive(Args)]
#[command(after_help = FERNET_HELP)]
pub(crate) struct RotateArgs {
    #[command(flatten)]
    keys: Keys,
    /// Where the new token goes (`-`: stdout).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The file holding the token (`-`: stdin); surrounding whitespace is ignored.
    #[arg(default_value = "-")]
    token: String,
}

/// Runs `hazmat fernet ...`.
pub(crate) fn run(command: &FernetCommand, options: &Options) -> Result<(), Failure> {
    match command {
        FernetCommand::GenerateKey(args) => generate_key(args),
        FernetCommand::Encrypt(args) => {
            let fernet = args.keys.single(options)?;
            let input = Input::open(&args.input)?;
            let message = input.read_all(options.quiet, PLAINTEXT_LIMIT, || {
                Failure::usage(
                    "Fernet holds the whole message in memory, at most 64 MiB here; for files \
                     use `hazmat encrypt`",
                )
            })?;
            let token = match args.time {
                Some(time) => fernet.encrypt_at_time(&message, time)?,
                None => fernet.encrypt(&message)?,
            };
            write_line(&args.output, &token)
        }
        FernetCommand::Decrypt(args) => {
            let fernets = args.keys.fernets(options)?;
            let token = read_token(&args.token, options)?;
            let multi = MultiFernet::new(fernets)?;
            let message = Zeroizing::new(
                match (args.ttl, args.time) {
                    (Some(ttl), Some(time)) => multi.decrypt_at_time(token.trim_ascii(), ttl, time),
                    (ttl, _) => multi.decrypt(token.trim_ascii(), ttl),
                }
                .map_err(invalid_token)?,
            );
            let mut output = Output::create(&args.output)?;
            output.write(&message)?;
            output.commit()
        }
        FernetCommand::Rotate(args) => {
            let multi = MultiFernet::new(args.keys.fernets(options)?)?;
            let token = read_token(&args.token, options)?;
            let rotated = multi.rotate(token.trim_ascii()).map_err(invalid_token)?;
            write_line(&args.output, &rotated)
        }
    }
}

fn generate_key(args: &GenerateKeyArgs) -> Result<(), Failure> {
    let key = Fernet::generate_key()?;
    let mut line = Zeroizing::new(key.as_bytes().to_vec());
    line.push(b'\n');
    if args.output == "-" {
        return crate::common::write_stdout(&line);
    }
    use std::io::Write;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let fail = |e: std::io::Error| {
        Failure::usage(format!("{}: {}", args.output, crate::common::io_reason(&e)))
    };
    let mut file = open.open(&args.output).map_err(fail)?;
    file.write_all(&line)
        .and_then(|()| file.sync_all())
        .map_err(fail)
}

/// The token text of a file or stdin.
fn read_token(name: &str, options: &Options) -> Result<Zeroizing<Vec<u8>>, Failure> {
    Input::open(name)?.read_all(options.quiet, TOKEN_LIMIT, || {
        Failure::usage("too large for a Fernet token (at most 64 MiB of message)")
    })
}

/// `InvalidToken`, the one error for every problem with a token, as exit 1.
fn invalid_token(error: pluggable_crypto::Error) -> Failure {
    match error {
        pluggable_crypto::Error::InvalidToken => Failure::verification(
            "invalid token: wrong key, modified, malformed or expired; no output written",
        ),
        other => other.into(),
    }
}

/// Writes `text` and a newline to the output (`-`: stdout).
fn write_line(output: &str, text: &str) -> Result<(), Failure> {
    let mut output = Output::create(output)?;
    output.write(text.as_bytes())?;
    output.write(b"\n")?;
    output.commit()
}
