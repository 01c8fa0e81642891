//! What every command shares: failures and exit codes, backend selection, streaming input.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use pluggable_crypto::hazmat::backends::{try_default_backend, Backend};
use zeroize::Zeroizing;

/// The size of the buffer files are streamed through: memory use is constant whatever the
/// input size.
pub(crate) const BUFFER_SIZE: usize = 64 * 1024;

/// Inputs larger than this get a progress bar (when stderr is a terminal and not `--quiet`).
pub(crate) const PROGRESS_THRESHOLD: u64 = 64 * 1024 * 1024;

/// A failure the tool reports: a one-line message and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1 for a verification failure, 2 for a usage or input error.
    pub code: u8,
    /// The message, printed after `hazmat: ` on stderr (empty: print nothing more).
    pub message: String,
}

impl Failure {
    /// A usage or input error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: one_line(message.into()),
        }
    }

    /// A verification failure (exit code 1).
    pub fn verification(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: one_line(message.into()),
        }
    }
}

fn one_line(message: String) -> String {
    message.replace(['\n', '\r'], " ")
}

impl From<pluggable_crypto::Error> for Failure {
    fn from(error: pluggable_crypto::Error) -> Self {
        match error {
            pluggable_crypto::Error::InvalidTag
            | pluggable_crypto::Error::InvalidSignature
            | pluggable_crypto::Error::InvalidKey
            | pluggable_crypto::Error::InvalidToken => Failure::verification(error.to_string()),
            other => Failure::usage(other.to_string()),
        }
    }
}

/// The `--backend` choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    /// The library's default backend (every compiled-in backend, OpenSSL first; see
    /// `CRYPTOGRAPHY_BACKEND`).
    Default,
    /// The OpenSSL backend only.
    Openssl,
    /// The pure-Rust backend only.
    Rust,
    /// The ring backend only (one-shot AES-GCM and ChaCha20-Poly1305, hashes, HMAC).
    Ring,
}

/// Options every command takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    pub(crate) backend: BackendChoice,
    pub(crate) quiet: bool,
}

impl Options {
    /// The backend the user chose.
    pub(crate) fn backend(&self) -> Result<Arc<dyn Backend>, Failure> {
        match self.backend {
            BackendChoice::Default => Ok(try_default_backend()?),
            BackendChoice::Openssl => {
                #[cfg(feature = "openssl")]
                return Ok(pluggable_crypto::hazmat::backends::openssl::backend());
                #[cfg(not(feature = "openssl"))]
                return Err(Failure::usage(
                    "this hazmat was built without the openssl backend",
                ));
            }
            BackendChoice::Rust => {
                #[cfg(feature = "rust")]
                return Ok(pluggable_crypto::hazmat::backends::rust::backend());
                #[cfg(not(feature = "rust"))]
                return Err(Failure::usage(
                    "this hazmat was built without the rust backend",
                ));
            }
            BackendChoice::Ring => {
                #[cfg(feature = "ring")]
                return Ok(pluggable_crypto::hazmat::backends::ring::backend());
                #[cfg(not(feature = "ring"))]
                return Err(Failure::usage(
                    "this hazmat was built without the ring backend",
                ));
            }
        }
    }
}

/// An input: a named file or standard input (`-`).
pub(crate) struct Input {
    reader: Box<dyn Read>,
    size: Option<u64>,
    name: String,
    /// Bytes already read with [`Input::read_some`] (where a progress bar starts).
    consumed: u64,
}

impl Input {
    /// Opens `name` (`-` is standard input).
    pub(crate) fn open(name: &str) -> Result<Self, Failure> {
        if name == "-" {
            return Ok(Input {
                reader: Box::new(std::io::stdin().lock()),
                size: None,
                name: name.to_owned(),
                consumed: 0,
            });
        }
        let file = File::open(Path::new(name))
            .map_err(|e| Failure::usage(format!("{name}: {}", io_reason(&e))))?;
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Failure::usage(format!("{name}: Is a directory")));
        }
        Ok(Input {
            reader: Box::new(file),
            size,
            name: name.to_owned(),
            consumed: 0,
        })
    }

    /// One read of at most `buf.len()` bytes (retried if interrupted); 0 at the end of the
    /// input.
    pub(crate) fn read_some(&mut self, buf: &mut [u8]) -> Result<usize, Failure> {
        loop {
            match self.reader.read(buf) {
                Ok(n) => {
                    self.consumed += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Failure::usage(format!("{}: {}", self.name, io_reason(&e)))),
            }
        }
    }

    /// The rest of the input as a reader, with a progress bar for large inputs unless `quiet`
    /// (cleared when the reader is dropped).
    pub(crate) fn into_reader(self, quiet: bool) -> InputReader {
        let progress = self.progress_bar(quiet);
        if let Some(bar) = &progress {
            bar.set_position(self.consumed);
        }
        InputReader {
            reader: self.reader,
            progress,
        }
    }

    /// Streams the whole input through `f` in chunks of at most [`BUFFER_SIZE`] bytes, with a
    /// progress bar for large inputs unless `quiet`.
    pub(crate) fn for_each_chunk(
        self,
        quiet: bool,
        mut f: impl FnMut(&[u8]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let name = self.name.clone();
        let mut reader = self.into_reader(quiet);
        let mut buffer = vec![0u8; BUFFER_SIZE];
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Failure::usage(format!("{name}: {}", io_reason(&e)))),
            };
            f(&buffer[..n])?;
        }
        Ok(())
    }

    /// The input's size in bytes, when it is a regular file.
    pub(crate) fn size(&self) -> Option<u64> {
        self.size
    }

    /// Reads the whole input into memory, refusing (exit 2) an input larger than `limit`
    /// bytes before reading it when its size is known, else as soon as it passes the limit.
    /// The buffer grows by copying into a fresh one and wiping the old, so no copy of the
    /// contents is left in freed memory; it is wiped on drop.
    pub(crate) fn read_all(
        self,
        quiet: bool,
        limit: u64,
        too_large: impl Fn() -> Failure,
    ) -> Result<Zeroizing<Vec<u8>>, Failure> {
        if self.size.is_some_and(|size| size > limit) {
            return Err(too_large());
        }
        let initial = self.size.map_or(BUFFER_SIZE as u64, |size| size.max(1));
        let mut all = Zeroizing::new(Vec::with_capacity(usize::try_from(initial).unwrap_or(0)));
        self.for_each_chunk(quiet, |chunk| {
            let total = all.len() + chunk.len();
            if total as u64 > limit {
                return Err(too_large());
            }
            if total > all.capacity() {
                let mut grown = Zeroizing::new(Vec::with_capacity(total.max(all.capacity() * 2)));
                grown.extend_from_slice(&all);
                all = grown;
            }
            all.extend_from_slice(chunk);
            Ok(())
        })?;
        Ok(all)
    }

    fn progress_bar(&self, quiet: bool) -> Option<ProgressBar> {
        let size = self.size?;
        if !wants_progress(size, quiet, std::io::stderr().is_terminal()) {
            return None;
        }
        let bar = ProgressBar::new(size);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(self.name.clone());
        Some(bar)
    }
}

/// The rest of an [`Input`], counting what is read on its progress bar.
pub(crate) struct InputReader {
    reader: Box<dyn Read>,
    progress: Option<ProgressBar>,
}

impl Read for InputReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        if let Some(bar) = &self.progress {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

impl Drop for InputReader {
    fn drop(&mut self) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
    }
}

/// A progress bar only for inputs over [`PROGRESS_THRESHOLD`], only on a terminal, never with
/// `--quiet`.
fn wants_progress(size: u64, quiet: bool, stderr_is_terminal: bool) -> bool {
    !quiet && stderr_is_terminal && size > PROGRESS_THRESHOLD
}

/// Writes `bytes` to stdout; a closed or failing stdout is one usage error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::usage(format!("cannot write to stdout: {}", io_reason(&e))))
}

/// An I/O error as coreutils words it ("No such file or directory").
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// Where a key comes from: `--key-hex HEX` or `--key-file FILE` (exactly one).
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub(crate) struct KeyArgs {
    /// The key as hexadecimal.
    #[arg(long, value_name = "HEX")]
    key_hex: Option<String>,
    /// A file whose bytes are the key.
    #[arg(long, value_name = "FILE")]
    key_file: Option<String>,
}

impl KeyArgs {
    /// The key bytes, wiped from memory on drop. Messages never contain key material.
    pub(crate) fn read(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
        match (&self.key_hex, &self.key_file) {
            (Some(hex), _) => parse_hex("--key-hex", hex),
            (None, Some(path)) => read_secret_file(path),
            (None, None) => Err(Failure::usage("give the key with --key-hex or --key-file")),
        }
    }
}

/// Defines a clap argument group for one secret input given as `--NAME-hex HEX` or
/// `--NAME-file FILE` (exactly one; `-` reads standard input), with a `read` method returning
/// the bytes, wiped on drop.
macro_rules! secret_args {
    ($(#[$doc:meta])* $ty:ident, $hex:ident = $hex_flag:literal, $file:ident = $file_flag:literal,
     $what:literal) => {
        $(#[$doc])*
        #[derive(clap::Args, Debug)]
        #[group(required = true, multiple = false)]
        pub(crate) struct $ty {
            #[arg(long, value_name = "HEX", help = concat!("The ", $what, " as hexadecimal"))]
            $hex: Option<String>,
            #[arg(
                long,
                value_name = "FILE",
                help = concat!(
                    "A file whose bytes are the ", $what,
                    ": all of them, a trailing newline too (`-`: standard input)"
                )
            )]
            $file: Option<String>,
        }

        impl $ty {
            /// The bytes, wiped from memory on drop. Messages never contain them.
            pub(crate) fn read(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, $crate::Failure> {
                match (&self.$hex, &self.$file) {
                    (Some(hex), _) => $crate::common::parse_hex($hex_flag, hex),
                    (None, Some(path)) => $crate::common::read_secret_file(path),
                    (None, None) => Err($crate::Failure::usage(concat!(
                        "give the ", $what, " with ", $hex_flag, " or ", $file_flag
                    ))),
                }
            }
        }
    };
}
pub(crate) use secret_args;

/// The most a secret read from standard input may hold.
const STDIN_SECRET_LIMIT: u64 = 1024 * 1024;

/// Reads a secret file (`-`: standard input, at most 1 MiB) into a buffer sized up front (or
/// grown by copying and wiping), so no reallocation leaves copies of the secret behind; the
/// buffer is wiped on drop.
pub(crate) fn read_secret_file(path: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    if path == "-" {
        return Input::open("-")?.read_all(true, STDIN_SECRET_LIMIT, || {
            Failure::usage("a secret on standard input may be at most 1 MiB")
        });
    }
    let fail = |e: std::io::Error| Failure::usage(format!("{path}: {}", io_reason(&e)));
    let mut file = File::open(path).map_err(fail)?;
    let len = file.metadata().map_err(fail)?.len();
    let capacity = usize::try_from(len).unwrap_or(0).saturating_add(1);
    let mut key = zeroize::Zeroizing::new(Vec::with_capacity(capacity));
    file.read_to_end(&mut key).map_err(fail)?;
    Ok(key)
}

/// Decodes hexadecimal (either case, even length); the error names the option, never the
/// value.
pub(crate) fn parse_hex(option: &str, text: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    let text = text.trim();
    let bad = || {
        Failure::usage(format!(
            "{option}: not valid hexadecimal (an even number of 0-9, a-f)"
        ))
    };
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    let digit = |b: u8| -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    };
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.as_bytes().chunks(2) {
        let (hi, lo) = (
            digit(pair[0]).ok_or_else(bad)?,
            digit(pair[1]).ok_or_else(bad)?,
        );
        out.push(hi << 4 | lo);
    }
    Ok(out)
}

/// Lowercase hexadecimal.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_for_large_inputs_on_a_terminal() {
        let big = PROGRESS_THRESHOLD + 1;
        assert!(wants_progress(big, false, true));
        assert!(!wants_progress(PROGRESS_THRESHOLD, false, true));
        assert!(!wants_progress(big, true, true));
        assert!(!wants_progress(big, false, false));
    }

    #[test]
    fn hex_round_trip_and_errors_name_the_option_only() {
        assert_eq!(
            &*parse_hex("--iv-hex", "00ffA0").unwrap(),
            &[0x00, 0xff, 0xa0]
        );
        assert_eq!(to_hex(&[0x00, 0xff, 0xa0]), "00ffa0");
        for bad in ["abc", "zz", "0g1h", "secret!"] {
            let err = parse_hex("--key-hex", bad).unwrap_err();
            assert_eq!(err.code, 2);
            assert!(err.message.starts_with("--key-hex") && !err.message.contains(bad));
        }
    }

    #[test]
    fn streams_in_fixed_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![7u8; BUFFER_SIZE * 2 + 5]).unwrap();
        let mut sizes = Vec::new();
        Input::open(path.to_str().unwrap())
            .unwrap()
            .for_each_chunk(true, |c| {
                sizes.push(c.len());
                Ok(())
            })
            .unwrap();
        assert!(sizes.iter().all(|&n| n <= BUFFER_SIZE));
        assert_eq!(sizes.iter().sum::<usize>(), BUFFER_SIZE * 2 + 5);
    }

    #[test]
    fn read_all_keeps_everything_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let contents: Vec<u8> = (0..BUFFER_SIZE * 3 + 7).map(|i| i as u8).collect();
        std::fs::write(&path, &contents).unwrap();
        let name = path.to_str().unwrap();
        let limit = contents.len() as u64;
        let too_large = || Failure::usage("too large");
        let all = Input::open(name)
            .unwrap()
            .read_all(true, limit, too_large)
            .unwrap();
        assert_eq!(&*all, &contents[..]);
        let refused = Input::open(name)
            .unwrap()
            .read_all(true, limit - 1, too_large)
            .unwrap_err();
        assert_eq!(refused, too_large());
        // A pipe (no size known up front) is refused as soon as it passes the limit.
        let piped = |len: usize| Input {
            reader: Box::new(std::io::Cursor::new(vec![9u8; len])),
            size: None,
            name: "-".into(),
            consumed: 0,
        };
        let all = piped(BUFFER_SIZE * 2 + 1)
            .read_all(true, limit, too_large)
            .unwrap();
        assert_eq!(&*all, &vec![9u8; BUFFER_SIZE * 2 + 1][..]);
        let refused = piped(contents.len() + 1)
            .read_all(true, limit, too_large)
            .unwrap_err();
        assert_eq!(refused, too_large());
    }
}
