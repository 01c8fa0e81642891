//! The rules suite (`tests/rules/`) on the ring backend, and what that backend alone must
//! serve.
//!
//! ring has one-shot AEADs, hashes and HMAC but no streaming cipher, so most cipher rules check
//! here that ring refuses the request (`UnsupportedAlgorithm`).

#![cfg(feature = "ring")]

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;

/// The backend every rule of this binary runs on.
fn backend() -> Arc<dyn Backend> {
    pluggable_crypto::hazmat::backends::ring::backend()
}

#[path = "rules/aead.rs"]
mod aead;
#[path = "rules/suite.rs"]
mod suite;

/// ring serves AES-GCM with 128- and 256-bit keys and ChaCha20-Poly1305, SHA-256 and HMAC over
/// it, and nothing else the rules use.
#[test]
fn ring_support_matrix() {
    use AeadAlgorithm::*;
    let backend = backend();
    assert_eq!(
        aead::aead_matrix(&*backend),
        vec![(AesGcm, 16), (AesGcm, 32), (ChaCha20Poly1305, 32)]
    );
    assert!(!backend.poly1305_supported());
    assert!(!backend.cmac_algorithm_supported(&Aes::new(&[0; 16]).unwrap()));
    assert!(backend.supported_ciphers().is_empty());
    let hashes = backend.supported_hashes();
    assert!(hashes.iter().any(|h| h == "sha256"), "{hashes:?}");
    for name in ["shake128", "shake256", "blake2b", "blake2s"] {
        assert!(!hashes.iter().any(|h| h == name), "{name} in {hashes:?}");
    }
    assert!(backend.supported_hmacs().iter().any(|h| h == "sha256"));
}
