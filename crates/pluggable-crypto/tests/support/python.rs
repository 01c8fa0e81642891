//! Whether the independent Python implementation (pyca/cryptography) can run in this test.

use std::process::{Command, Stdio};

/// True when `python3` imports `cryptography`; otherwise prints why the caller skips.
pub(crate) fn has_cryptography() -> bool {
    let probe = Command::new("python3")
        .args(["-c", "import cryptography"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let found = probe.is_ok_and(|s| s.success());
    if !found {
        println!("note: skipped, python3 with the `cryptography` package is not available");
    }
    found
}

/// Runs the Python `script` with the JSON `requests` on its standard input and returns the JSON
/// array it prints; panics with its traceback if a check there failed. (Not every test binary
/// that includes this file runs scripts.)
#[allow(dead_code)]
pub(crate) fn run_json_script(
    script: &str,
    requests: &serde_json::Value,
) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(requests).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written from a thread, so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "pyca refused our output:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).unwrap() {
        serde_json::Value::Array(v) => v,
        other => panic!("pyca answered {other}"),
    }
}
