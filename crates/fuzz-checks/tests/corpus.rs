//! Replays every committed corpus file (`fuzz/corpus/<target>/*`) through its target's check,
//! so CI exercises the corpus without a fuzzing engine.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("fuzz")
        .join("corpus")
        .join(target)
}

fn replay(target: &str) {
    let (_, check) = fuzz_checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let dir = corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no corpus file", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {target} corpus files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn every_target_has_a_corpus_test() {
    let names: Vec<&str> = fuzz_checks::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "cipher_differential",
            "aead_forgery",
            "hash_hmac_differential",
            "parsers",
            "signature_verify",
            "point_decoding",
            "rsa_decrypt",
            "raw_key_loading",
            "key_loading"
        ]
    );
}

#[test]
fn cipher_differential_corpus() {
    replay("cipher_differential");
}

#[test]
fn aead_forgery_corpus() {
    replay("aead_forgery");
}

#[test]
fn hash_hmac_differential_corpus() {
    replay("hash_hmac_differential");
}

#[test]
fn parsers_corpus() {
    replay("parsers");
}

#[test]
fn signature_verify_corpus() {
    replay("signature_verify");
}

#[test]
fn point_decoding_corpus() {
    replay("point_decoding");
}

#[test]
fn rsa_decrypt_corpus() {
    replay("rsa_decrypt");
}

#[test]
fn raw_key_loading_corpus() {
    replay("raw_key_loading");
}

#[test]
fn key_loading_corpus() {
    replay("key_loading");
}
