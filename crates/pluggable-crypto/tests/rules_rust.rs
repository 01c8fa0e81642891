//! The rules suite (`tests/rules/`) on the pure-Rust backend, and what that backend alone must
//! serve.

#![cfg(feature = "rust")]

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, Aes, TripleDes};

/// The backend every rule of this binary runs on.
fn backend() -> Arc<dyn Backend> {
    pluggable_crypto::hazmat::backends::rust::backend()
}

#[path = "rules/aead.rs"]
mod aead;
#[path = "rules/suite.rs"]
mod suite;

/// The one-shot AEADs, MACs and streaming AEAD the Rust backend must serve: all of them.
#[test]
fn rust_support_matrix() {
    let backend = backend();
    let matrix = aead::aead_matrix(&*backend);
    for algorithm in AeadAlgorithm::ALL {
        for &key_len in algorithm.key_sizes() {
            assert!(
                matrix.contains(&(algorithm, key_len)),
                "{algorithm:?} {key_len}"
            );
        }
    }
    assert!(backend.poly1305_supported());
    assert!(backend.cmac_algorithm_supported(&Aes::new(&[0; 16]).unwrap()));
    assert!(backend.cmac_algorithm_supported(&TripleDes::new(&[0; 24]).unwrap()));
    let streaming = algorithms::ChaCha20Poly1305Incremental::new(&[0; 32], &[0; 12]).unwrap();
    assert!(backend.cipher_supported(&streaming, None));
    // Every GCM nonce length, not only 96 bits.
    aead::assert_every_gcm_nonce_length(backend);
}

/// The cipher pairs, hashes and HMACs the Rust backend must serve (so a capability check in a
/// rule cannot hide a regression here), and the pairs it lacks.
#[test]
fn rust_backend_support_matrix() {
    let backend = backend();
    let table = backend.supported_ciphers();
    let has = |algorithm: &str, mode: Option<&str>| {
        table
            .iter()
            .any(|s| s.algorithm == algorithm && s.mode.as_deref() == mode)
    };
    for mode in ["CBC", "ECB", "OFB", "CFB", "CFB8", "CTR", "GCM", "XTS"] {
        assert!(has("AES", Some(mode)), "AES {mode}");
    }
    for algorithm in ["camellia", "3DES", "SM4", "IDEA", "Blowfish", "CAST5"] {
        for mode in ["CBC", "ECB", "OFB", "CFB"] {
            assert!(has(algorithm, Some(mode)), "{algorithm} {mode}");
        }
    }
    assert!(has("ChaCha20", None));
    assert!(has("RC4", None));
    // No SEED at all, and no CTR for 64-bit blocks.
    assert!(!table.iter().any(|s| s.algorithm == "SEED"));
    for algorithm in ["3DES", "Blowfish", "CAST5", "IDEA"] {
        assert!(!has(algorithm, Some("CTR")), "{algorithm} CTR");
    }
    // Every key size of the pairs, and the hashes and HMAC, the rules use.
    suite::assert_serves_what_the_rules_use(&backend);
}
