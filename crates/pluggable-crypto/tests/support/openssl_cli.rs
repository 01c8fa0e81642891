//! The `openssl` command-line tool, as an independent implementation to compare with.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `openssl` with `args` on `input`. `None` (with a notice) only when there is no
/// `openssl` binary; the caller judges the exit status.
pub(crate) fn run(args: &[&str], input: &[u8]) -> Option<Output> {
    let spawned = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("NOTICE: no `openssl` binary ({e}); skipping the independent check");
            return None;
        }
        Err(e) => panic!("cannot run openssl {args:?}: {e}"),
    };
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    // Written from a thread, so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("openssl output");
    writer
        .join()
        .expect("writer thread")
        .expect("write to openssl");
    Some(output)
}
