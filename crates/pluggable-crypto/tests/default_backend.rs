//! The process default backend. Its own test binary: the default is process-wide and built
//! once, so the environment-variable cases run in child processes of this binary (the
//! `child_*` tests are `#[ignore]`d and only run when a parent test asks for them).

use std::process::Command;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{
    available_backends, default_backend, install_default, try_default_backend, BACKEND_ENV_VAR,
};
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};
use pluggable_crypto::Error;

/// Runs the ignored test `name` of this binary in a child process with
/// `CRYPTOGRAPHY_BACKEND=value` and returns whether it passed, with its output.
fn run_child(name: &str, value: &str) -> (bool, String) {
    let exe = std::env::current_exe().expect("the test binary path");
    let out = Command::new(exe)
        .args(["--ignored", "--exact", name, "--nocapture"])
        .env(BACKEND_ENV_VAR, value)
        .output()
        .expect("the test binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && text.contains("1 passed"), text)
}

#[test]
fn default_is_every_backend_openssl_first_and_fixed_after_use() {
    if std::env::var_os(BACKEND_ENV_VAR).is_some() {
        return; // a restricted environment is covered by the child tests
    }
    let default = default_backend();
    let multi = default
        .downcast_ref::<MultiBackend>()
        .expect("the default is a multi-backend");
    let names: Vec<&str> = multi.members().iter().map(|m| m.name()).collect();
    let expected: Vec<String> = available_backends()
        .iter()
        .map(|b| b.name().to_owned())
        .collect();
    assert_eq!(names, expected);
    if cfg!(feature = "openssl") {
        assert_eq!(names[0], "openssl");
    }
    // Once in use, the default cannot be replaced.
    let err = install_default(available_backends().remove(0)).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    assert!(default_backend().downcast_ref::<MultiBackend>().is_some());
}

#[test]
fn restriction_to_each_backend() {
    for backend in available_backends() {
        let (ok, output) = run_child(
            &format!("child_restricted_to_{}", backend.name()),
            backend.name(),
        );
        assert!(
            ok,
            "CRYPTOGRAPHY_BACKEND={} child failed:\n{output}",
            backend.name()
        );
    }
}

#[test]
fn unknown_restriction_is_an_error_at_first_use() {
    let (ok, output) = run_child("child_unknown_backend", "no-such-backend");
    assert!(ok, "child failed:\n{output}");
}

fn check_restricted_to(name: &str) {
    let default = try_default_backend().expect("a valid restriction");
    let multi = default
        .downcast_ref::<MultiBackend>()
        .expect("a multi-backend");
    let names: Vec<&str> = multi.members().iter().map(|m| m.name()).collect();
    assert_eq!(names, [name]);
    let mut hash = Hash::new(Sha256).unwrap();
    hash.update(b"abc").unwrap();
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    assert_eq!(hash.finalize().unwrap()[..4], [0xba, 0x78, 0x16, 0xbf]);
}

#[test]
#[ignore = "run by restriction_to_each_backend in a child process"]
fn child_restricted_to_openssl() {
    check_restricted_to("openssl");
}

#[test]
#[ignore = "run by restriction_to_each_backend in a child process"]
fn child_restricted_to_rust() {
    check_restricted_to("rust");
}

#[test]
#[ignore = "run by restriction_to_each_backend in a child process"]
fn child_restricted_to_ring() {
    check_restricted_to("ring");
}

#[test]
#[ignore = "run by unknown_restriction_is_an_error_at_first_use in a child process"]
fn child_unknown_backend() {
    let err = try_default_backend()
        .err()
        .expect("an unknown backend is an error");
    let message = err.to_string();
    assert!(
        message.contains("CRYPTOGRAPHY_BACKEND=\"no-such-backend\""),
        "{message}"
    );
    assert!(message.contains("use one of"), "{message}");
    // The default itself never panics: it supports nothing and every request is that error.
    let default = default_backend();
    assert!(!default.hash_supported(&Sha256));
    assert_eq!(Hash::new(Sha256).unwrap_err(), err);
}
