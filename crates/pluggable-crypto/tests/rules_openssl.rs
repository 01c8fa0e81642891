//! The rules suite (`tests/rules/`) on the OpenSSL backend, and what that backend alone must
//! serve.

#![cfg(feature = "openssl")]

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::openssl::OpenSslBackend;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    self, Aes, Blowfish, Camellia, TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{Ctr, Gcm};

/// The backend every rule of this binary runs on.
fn backend() -> Arc<dyn Backend> {
    pluggable_crypto::hazmat::backends::openssl::backend()
}

#[path = "rules/aead.rs"]
mod aead;
#[path = "rules/suite.rs"]
mod suite;

/// The OpenSSL backend serves every pair the rules exercise through it, and lacks the pairs
/// they rely on being absent (so a capability check in a rule cannot hide a regression here).
#[test]
fn openssl_backend_support_matrix() {
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
    for (algorithm, mode) in [
        ("camellia", "ECB"),
        ("3DES", "CBC"),
        ("3DES", "ECB"),
        ("SM4", "ECB"),
    ] {
        assert!(has(algorithm, Some(mode)), "{algorithm} {mode}");
    }
    assert!(has("ChaCha20", None));
    // Pairs OpenSSL has no EVP cipher for.
    for (algorithm, mode) in [
        ("Blowfish", "CTR"),
        ("CAST5", "CTR"),
        ("3DES", "CTR"),
        ("camellia", "GCM"),
        ("SM4", "GCM"),
        ("IDEA", "CTR"),
    ] {
        assert!(
            !has(algorithm, Some(mode)),
            "{algorithm} {mode} should be absent"
        );
    }
    let bf = Blowfish::new(&[1; 16]).expect("key");
    assert!(!backend.cipher_supported(&bf, Some(&Ctr::new(&[0; 8]).expect("iv"))));
    let camellia = Camellia::new(&[1; 16]).expect("key");
    assert!(!backend.cipher_supported(&camellia, Some(&Gcm::new(&[0; 12]).expect("iv"))));
    if backend
        .downcast_ref::<OpenSslBackend>()
        .is_some_and(|native| native.legacy_provider_loaded())
    {
        for (algorithm, mode) in [
            ("Blowfish", Some("ECB")),
            ("CAST5", Some("ECB")),
            ("SEED", Some("ECB")),
            ("RC4", None),
        ] {
            assert!(
                has(algorithm, mode),
                "{algorithm} {mode:?} with the legacy provider"
            );
        }
    } else {
        eprintln!("NOTICE: the OpenSSL legacy provider did not load; legacy ciphers are skipped");
    }
    if !has("IDEA", Some("ECB")) {
        eprintln!("NOTICE: this libcrypto has no IDEA; key_size_idea checks UnsupportedAlgorithm");
    }
    // Every key size of the pairs, and the hashes and HMAC, the rules use.
    suite::assert_serves_what_the_rules_use(&backend);
}

/// The one-shot AEADs, MACs and streaming AEAD the OpenSSL backend must serve.
#[test]
fn openssl_support_matrix() {
    use AeadAlgorithm::*;
    let backend = backend();
    let matrix = aead::aead_matrix(&*backend);
    for algorithm in [AesGcm, AesCcm, AesOcb3] {
        for key_len in [16, 24, 32] {
            assert!(
                matrix.contains(&(algorithm, key_len)),
                "{algorithm:?} {key_len}"
            );
        }
    }
    for key_len in [32, 48, 64] {
        assert!(matrix.contains(&(AesSiv, key_len)));
    }
    assert!(matrix.contains(&(ChaCha20Poly1305, 32)));
    assert!(backend.poly1305_supported());
    assert!(backend.cmac_algorithm_supported(&Aes::new(&[0; 16]).unwrap()));
    assert!(backend.cmac_algorithm_supported(&TripleDes::new(&[0; 24]).unwrap()));
    let streaming = algorithms::ChaCha20Poly1305Incremental::new(&[0; 32], &[0; 12]).unwrap();
    assert!(backend.cipher_supported(&streaming, None));
    // Every GCM nonce length, not only 96 bits.
    aead::assert_every_gcm_nonce_length(backend);
}
