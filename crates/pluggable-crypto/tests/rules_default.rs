//! The rules suite (`tests/rules/`) on the default backend (the multi-backend over every
//! compiled-in backend), and how that backend routes.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::Backend;

/// The backend every rule of this binary runs on.
fn backend() -> Arc<dyn Backend> {
    pluggable_crypto::hazmat::backends::default_backend()
}

#[path = "rules/aead.rs"]
mod aead;
#[path = "rules/suite.rs"]
mod suite;

/// The default serves what any of its members serves: every cipher pair, hash, HMAC and AEAD
/// a member lists, so a rule's capability check cannot hide a routing regression.
#[test]
fn default_backend_support_matrix() {
    let backend = backend();
    let multi = backend
        .downcast_ref::<MultiBackend>()
        .expect("the default is a multi-backend");
    assert!(!multi.members().is_empty());
    let ciphers = backend.supported_ciphers();
    let (hashes, hmacs) = (backend.supported_hashes(), backend.supported_hmacs());
    let aeads = aead::aead_matrix(&*backend);
    for member in multi.members() {
        for s in member.supported_ciphers() {
            for bits in &s.key_sizes {
                assert!(
                    ciphers.iter().any(|d| d.algorithm == s.algorithm
                        && d.mode == s.mode
                        && d.key_sizes.contains(bits)),
                    "{} serves {} {:?} {bits}, the default does not",
                    member.name(),
                    s.algorithm,
                    s.mode
                );
            }
        }
        for name in member.supported_hashes() {
            assert!(hashes.contains(&name), "{}: {name}", member.name());
        }
        for name in member.supported_hmacs() {
            assert!(hmacs.contains(&name), "{}: {name}", member.name());
        }
        for entry in aead::aead_matrix(&**member) {
            assert!(aeads.contains(&entry), "{}: {entry:?}", member.name());
        }
    }
    // (Every GCM nonce length works through the default: `aead::
    // aes_gcm_long_nonces_route_past_members_without_them` checks it on every binary.)
    suite::assert_serves_what_the_rules_use(&backend);
}

#[cfg(feature = "ring")]
#[test]
fn default_routes_one_shot_aes_gcm_to_ring() {
    use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
    let default = backend();
    let multi = default.downcast_ref::<MultiBackend>().unwrap();
    for key_len in [16, 32] {
        assert_eq!(
            multi
                .backend_for_aead(AeadAlgorithm::AesGcm, key_len, 16)
                .unwrap()
                .name(),
            "ring"
        );
    }
    // ring has no AES-192: the next member serves it.
    assert_ne!(
        multi
            .backend_for_aead(AeadAlgorithm::AesGcm, 24, 16)
            .unwrap()
            .name(),
        "ring"
    );
}
