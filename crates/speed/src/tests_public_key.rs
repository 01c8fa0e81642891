//! Every public-key runner does its work: signatures verify, verifications succeed, decryptions
//! and exchanges give the fixture's bytes, and deterministic signatures are equal across runners.
//! (Run with `--release`: RSA key generation in a debug build takes seconds.)

use std::time::Duration;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend};

use super::*;
use crate::fixtures::Keys;

/// The raw runners of `op` this build has, by label; fails when one that must exist is missing.
fn raw_runners(op: PublicKeyOp) -> Vec<(&'static str, Box<dyn OpRunner>)> {
    let mut all: Vec<(&'static str, Box<dyn OpRunner>)> = Vec::new();
    #[cfg(feature = "openssl")]
    all.push((
        "raw-evp",
        raw_openssl_public_key(op).unwrap_or_else(|| panic!("{op}: raw-evp is missing")),
    ));
    #[cfg(feature = "rust")]
    all.push((
        "raw-rustcrypto",
        raw_rustcrypto_public_key(op).unwrap_or_else(|| panic!("{op}: raw-rustcrypto is missing")),
    ));
    #[cfg(feature = "ring")]
    {
        let ring_lacks = matches!(op, PublicKeyOp::Rsa2048Keygen) || op.kind() == OpKind::Decrypt;
        match raw_ring_public_key(op) {
            Some(runner) => {
                assert!(!ring_lacks, "{op}: ring has no such operation");
                all.push(("raw-ring", runner));
            }
            None => assert!(ring_lacks, "{op}: raw-ring is missing"),
        }
    }
    all
}

/// Whether `out` is a valid ECDSA signature of MESSAGE on `curve`'s fixed key, checked with
/// RustCrypto (whichever library signed).
#[cfg(feature = "rust")]
fn ecdsa_verifies(curve: NistCurve, out: &[u8]) -> bool {
    use rsa::signature::Verifier;
    let keys = Keys::get();
    match curve {
        NistCurve::P256 => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&keys.p256.point).unwrap();
            p256::ecdsa::Signature::from_der(out)
                .is_ok_and(|sig| key.verify(&MESSAGE, &sig).is_ok())
        }
        NistCurve::P384 => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(&keys.p384.point).unwrap();
            p384::ecdsa::Signature::from_der(out)
                .is_ok_and(|sig| key.verify(&MESSAGE, &sig).is_ok())
        }
    }
}

/// Without RustCrypto: only that there is a DER SEQUENCE.
#[cfg(not(feature = "rust"))]
fn ecdsa_verifies(_curve: NistCurve, out: &[u8]) -> bool {
    out.first() == Some(&0x30)
}

/// Checks one output of `op` from `label`.
fn check(op: PublicKeyOp, label: &str, out: &[u8]) {
    assert!(!out.is_empty(), "{op}: {label} failed");
    if label == "raw-ring" && op.kind() == OpKind::Exchange {
        // A fresh ephemeral key per operation: a different secret each time.
        assert_eq!(out.len(), 32, "{op}: {label}");
        assert_ne!(Some(out.to_vec()), op.expected_output(), "{op}: {label}");
        return;
    }
    match (op.kind(), op.family()) {
        (OpKind::Sign, KeyFamily::Ec(curve)) => {
            assert!(
                ecdsa_verifies(curve, out),
                "{op}: {label}'s signature does not verify"
            );
        }
        (OpKind::Keygen, KeyFamily::Rsa(bits)) => {
            assert_eq!(out.len(), bits / 8, "{op}: {label}'s modulus");
            assert!(out[0] & 0x80 != 0, "{op}: {label}'s modulus is short");
        }
        (OpKind::Keygen, _) => {
            assert_eq!(out.len(), 65, "{op}: {label}'s point");
            assert_eq!(out[0], 4, "{op}: {label}'s point is not uncompressed");
        }
        _ => assert_eq!(
            Some(out.to_vec()),
            op.expected_output(),
            "{op}: {label} gives other bytes than the fixture"
        ),
    }
}

#[test]
fn names_round_trip() {
    for op in PublicKeyOp::ALL {
        assert_eq!(PublicKeyOp::from_name(op.name()), Some(op));
        assert_eq!(PublicKeyOp::from_name(&op.name().to_uppercase()), Some(op));
    }
    assert_eq!(PublicKeyOp::from_name("rsa2048"), None);
}

#[test]
fn fixtures_are_consistent() {
    let keys = Keys::get();
    for k in &keys.rsa {
        assert_eq!(k.n.len() * 8, k.bits);
        assert_eq!(k.signature.len(), k.n.len());
        assert_eq!(k.ciphertext.len(), k.n.len());
        assert_eq!(k.e, [1, 0, 1]);
    }
    assert_eq!((keys.p256.d.len(), keys.p256.point.len()), (32, 65));
    assert_eq!((keys.p384.d.len(), keys.p384.point.len()), (48, 97));
    assert_eq!(keys.ed25519.signature.len(), 64);
    assert_eq!(keys.x25519.shared.len(), 32);
    assert_eq!(keys.p256_peer.shared.len(), 32);
}

#[test]
fn every_raw_runner_does_its_work() {
    for op in PublicKeyOp::ALL {
        let mut runners = raw_runners(op);
        for (label, runner) in &mut runners {
            let mut out = Vec::new();
            runner.run(&mut out);
            check(op, label, &out);
            // A second run on the same runner gives a valid output too (state is reused).
            if op.kind() != OpKind::Keygen {
                runner.run(&mut out);
                check(op, label, &out);
            }
        }
    }
}

#[test]
fn deterministic_outputs_are_equal_across_raw_runners() {
    for op in [
        PublicKeyOp::Rsa2048Sign,
        PublicKeyOp::Rsa3072Sign,
        PublicKeyOp::Rsa4096Sign,
        PublicKeyOp::Ed25519Sign,
        PublicKeyOp::X25519Exchange,
        PublicKeyOp::EcdhP256Exchange,
        PublicKeyOp::Rsa2048Decrypt,
    ] {
        let outputs: Vec<(&str, Vec<u8>)> = raw_runners(op)
            .into_iter()
            .filter(|(label, _)| !(*label == "raw-ring" && op.kind() == OpKind::Exchange))
            .map(|(label, mut runner)| {
                let mut out = Vec::new();
                runner.run(&mut out);
                (label, out)
            })
            .collect();
        for (label, out) in &outputs {
            assert_eq!(
                out, &outputs[0].1,
                "{op}: {label} differs from {}",
                outputs[0].0
            );
        }
    }
}

/// The checks above can fail: a corrupted Ed25519 signature and an ECDSA signature of the
/// wrong curve are rejected by the libraries the checks use.
#[test]
fn a_corrupted_signature_does_not_verify() {
    let keys = Keys::get();
    let mut sig = keys.ed25519.signature.clone();
    sig[5] ^= 1;
    #[cfg(feature = "rust")]
    {
        use ed25519_dalek::Verifier;
        let public: [u8; 32] = keys.ed25519.public.clone().try_into().unwrap();
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        assert!(key.verify(&MESSAGE, &sig).is_err());
    }
    #[cfg(feature = "ring")]
    {
        let key = ::ring::signature::UnparsedPublicKey::new(
            &::ring::signature::ED25519,
            &keys.ed25519.public,
        );
        assert!(key.verify(&MESSAGE, &sig).is_err());
    }
    #[cfg(feature = "rust")]
    assert!(!ecdsa_verifies(NistCurve::P256, &keys.p384.signature));
}

#[test]
fn ours_runners_are_absent_or_agree() {
    let mut backends: Vec<(String, _)> = available_backends()
        .into_iter()
        .map(|b| (b.name().to_owned(), b))
        .collect();
    backends.push(("default".to_owned(), default_backend()));
    for (name, backend) in backends {
        let mut present = 0;
        for op in PublicKeyOp::ALL {
            if let Some(mut runner) = ours_public_key(op, backend.clone()) {
                let mut out = Vec::new();
                runner.run(&mut out);
                check(op, &format!("ours/{name}"), &out);
                present += 1;
            }
        }
        println!(
            "public-key rows on {name}: {present} of {}",
            PublicKeyOp::ALL.len()
        );
    }
}

#[test]
fn measure_op_counts_operations() {
    #[cfg(feature = "rust")]
    {
        let mut runner = raw_rustcrypto_public_key(PublicKeyOp::X25519Exchange).unwrap();
        let m = measure_op(&mut *runner, Duration::from_millis(30));
        assert!(m.messages > 0 && m.ops_per_second() > 0.0);
    }
    /// A runner that always fails.
    struct Failing;
    impl OpRunner for Failing {
        fn run(&mut self, out: &mut Vec<u8>) {
            out.clear();
        }
    }
    let m = measure_op(&mut Failing, Duration::from_millis(10));
    assert_eq!((m.messages, m.ops_per_second()), (0, 0.0));
}
