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
