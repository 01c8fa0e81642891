//! What the command-line tests share: running `hazmat` (and other programs) as a process,
//! asserting the one-line failures, a temporary directory of named files, deterministic test
//! data and keys, the Python `cryptography` package as a reference, and opening a chunked file
//! with the library.
//!
//! Every test binary includes this module with `mod support;` and uses only part of it.
// Each binary is its own crate, and a helper one binary does not call is dead code in that one.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{default_backend, Backend, BACKEND_ENV_VAR};
use pluggable_crypto::hazmat::primitives::aead::stream::{StreamDecryptor, StreamParams};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;

/// The `hazmat` binary under test.
pub(crate) const HAZMAT: &str = env!("CARGO_BIN_EXE_hazmat");

/// Runs `command` to the end, with `stdin` on a pipe (else no standard input), capturing
/// stdout and stderr.
fn run(mut command: Command, stdin: Option<&[u8]>) -> Output {
    let program = command.get_program().to_string_lossy().into_owned();
    let Some(input) = stdin else {
        return command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut pipe = child.stdin.take().expect("a stdin pipe");
    // The program may stop reading early (a usage error, a refused input); a closed pipe is not
    // a test failure: the assertions on the output judge the run.
    let _ = pipe.write_all(input);
    drop(pipe);
    child.wait_with_output().expect("the process finishes")
}

/// `hazmat args`, no standard input.
pub(crate) fn hazmat(args: &[&str]) -> Output {
    let mut command = Command::new(HAZMAT);
    command.args(args);
    run(command, None)
}

/// `hazmat args` with `input` on standard input.
pub(crate) fn hazmat_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut command = Command::new(HAZMAT);
    command.args(args);
    run(command, Some(input))
}

/// `hazmat args` with the environment variables `vars` set.
pub(crate) fn hazmat_env(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(HAZMAT);
    command.args(args).envs(vars.iter().copied());
    run(command, None)
}

/// `program args` in `dir`, with `stdin` as standard input.
pub(crate) fn run_in(dir: &Path, program: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    run(command, Some(stdin))
}

/// Standard error as text.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output as text.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The one line `hazmat args` prints, without its newline; a panic with stderr on a failure.
pub(crate) fn line(args: &[&str]) -> String {
    let out = hazmat(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{text:?}"
    );
    text.trim_end().to_owned()
}

/// Asserts exit `code` with exactly one line on stderr that contains `needle` (`""`: any
/// line) and shows no panic; returns stderr.
pub(crate) fn assert_one_line_failure(out: &Output, code: i32, needle: &str) -> String {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {text}");
    assert_eq!(text.lines().count(), 1, "one line expected: {text:?}");
    assert!(text.contains(needle), "{needle:?} not in {text:?}");
    for panic in ["panicked", "RUST_BACKTRACE", "backtrace"] {
        assert!(!text.contains(panic), "{text}");
    }
    text
}

/// Asserts `hazmat`'s answer for a construction the build's default backend does not serve:
/// exit 2, one line on stderr that calls `construction` unsupported ("unsupported" or "does not
/// support", the name in any case), no panic, nothing on stdout. The caller checks that no
/// output file appeared.
pub(crate) fn assert_unsupported(out: &Output, construction: &str) {
    let text = assert_one_line_failure(out, 2, "");
    let lower = text.to_lowercase();
    assert!(
        lower.contains("unsupported") || lower.contains("does not support"),
        "{construction}: not an unsupported error: {text:?}"
    );
    assert!(
        lower.contains(&construction.to_lowercase()),
        "{construction} not named in {text:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "{construction}: stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Returns `served`, whether the default backend serves `what`; where the build has the Rust
/// backend and `CRYPTOGRAPHY_BACKEND` does not narrow the default, asserts it. The Rust backend
/// has every AEAD construction and Argon2 variant the tool names, so a build with it that does
/// not serve one has lost a capability: that fails rather than being tested as unsupported.
pub(crate) fn expect_served(what: &str, served: bool) -> bool {
    if cfg!(feature = "rust") && std::env::var_os(BACKEND_ENV_VAR).is_none() {
        assert!(
            served,
            "{what}: the default backend of a build with the Rust backend serves it"
        );
    }
    served
}

/// Whether the default backend serves the one-shot AEAD `algorithm` with `key_len`-byte keys
/// and 16-byte tags, as `hazmat encrypt` seals (every chunk of the chunked format, AES-SIV's
/// one message); see [`expect_served`].
pub(crate) fn default_serves_aead(algorithm: AeadAlgorithm, key_len: usize) -> bool {
    let served = default_backend().aead_supported(algorithm, key_len, 16);
    expect_served(&format!("{} {key_len}", algorithm.name()), served)
}

/// Whether the default backend serves Argon2 `variant`; see [`expect_served`].
pub(crate) fn default_serves_argon2(variant: Argon2Variant) -> bool {
    expect_served(variant.name(), default_backend().argon2_supported(variant))
}

/// Asserts a usage error: exit 2, one line on stderr containing `needle` (`""`: any line), no
/// panic, nothing on stdout.
pub(crate) fn assert_usage_error(out: &Output, needle: &str) {
    assert_one_line_failure(out, 2, needle);
    assert!(
        out.stdout.is_empty(),
        "stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Asserts a usage error, whatever it says: exit 2, one line on stderr, no panic, nothing on
/// stdout.
pub(crate) fn assert_any_usage_error(out: &Output) {
    assert_usage_error(out, "");
}

/// Asserts that `hazmat decrypt --key-hex KEY ENC` fails and writes nothing: exit 1 with one
/// line on stderr saying so and no `-o` file, and exit 1 with nothing on stdout. `what` names
/// the case in failure messages; returns the stderr line.
pub(crate) fn assert_decrypt_writes_nothing(
    dir: &Dir,
    key_hex: &str,
    enc: &str,
    what: &str,
) -> String {
    let dec = dir.path("dec");
    let out = hazmat(&["decrypt", "--key-hex", key_hex, enc, "-o", &dec]);
    assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
    let text = stderr(&out);
    assert_eq!(text.lines().count(), 1, "{what}: {text}");
    assert!(text.contains("no output written"), "{what}: {text}");
    assert!(!Path::new(&dec).exists(), "{what}: an output file appeared");
    let out = hazmat(&["decrypt", "--key-hex", key_hex, enc]);
    assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{what}: plaintext on stdout");
    text
}

/// A temporary directory of named files, removed on drop.
pub(crate) struct Dir(tempfile::TempDir);

impl Dir {
    pub(crate) fn new() -> Self {
        Dir(tempfile::tempdir().expect("temp dir"))
    }

    /// Writes `contents` to the file `name`; its path.
    pub(crate) fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// The path of `name` in the directory (which need not exist).
    pub(crate) fn path(&self, name: &str) -> String {
        self.0
            .path()
            .join(name)
            .to_str()
            .expect("utf-8 path")
            .to_owned()
    }

    /// The names in the directory, sorted.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.0.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Flips the low bit of byte `at` of the file at `path`.
pub(crate) fn flip(path: &str, at: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).expect("write");
}

/// Deterministic, non-repeating test data (xorshift64, seeded by the length).
pub(crate) fn data(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ len as u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// A fixed test key of `len` bytes.
pub(crate) fn key(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 1) as u8).collect()
}

/// [`key`] in hex, as `--key-hex` takes it.
pub(crate) fn key_hex(len: usize) -> String {
    hex::encode(key(len))
}

/// The backend names a command is run on: the default, then OpenSSL and the Rust backend
/// where compiled in (ring has no streaming ciphers and no KDF command of its own).
pub(crate) fn default_openssl_rust() -> Vec<&'static str> {
    let mut all = vec!["default"];
    if cfg!(feature = "openssl") {
        all.push("openssl");
    }
    if cfg!(feature = "rust") {
        all.push("rust");
    }
    all
}

/// Whether the program `program` can be run (`probe` are arguments it answers quickly; only
/// whether it starts counts, not its exit status). A missing program skips the test, with a
/// line on stderr, except where `CI` is set: there it is a failure, naming the program, since
/// CI must run every interoperability test.
pub(crate) fn tool_available(program: &str, probe: &[&str]) -> bool {
    let found = Command::new(program)
        .args(probe)
        .stdin(Stdio::null())
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is not installed, and CI is set: the interoperability tests need it"
        );
        eprintln!("skipped: {program} is not installed");
    }
    found
}

/// Whether `python3` runs and imports `modules` (a comma-separated `import` list).
pub(crate) fn python_imports(modules: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs a Python snippet; its stdout, trimmed.
pub(crate) fn python(code: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", code])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python: {}\n{code}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

/// Opens a chunked (version-2) file's stream, after its `header_len`-byte header, with the
/// library's `StreamDecryptor`, the header as associated data.
pub(crate) fn library_open_stream(
    algorithm: AeadAlgorithm,
    chunk_size: usize,
    key: &[u8],
    file: &[u8],
    header_len: usize,
    backend: Arc<dyn Backend>,
) -> pluggable_crypto::Result<Vec<u8>> {
    let params = StreamParams::new(algorithm, chunk_size)?;
    let (header, stream) = file.split_at(header_len);
    let mut decryptor = StreamDecryptor::new(stream, params, key, header, backend)?;
    let mut plaintext = Vec::new();
    while let Some(chunk) = decryptor.next_chunk()? {
        plaintext.extend_from_slice(chunk);
    }
    Ok(plaintext)
}
