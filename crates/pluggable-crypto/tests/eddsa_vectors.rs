//! Ed25519 and Ed448 known answers on every backend that has each curve: the SUPERCOP
//! `sign.input` (1024 Ed25519 cases; its first three are RFC 8032 §7.1 tests 1-3) and RFC 8032
//! §7.4 for Ed448. Each case derives the public key from the seed, signs (deterministic, so
//! byte-equal), verifies with the public key loaded from raw bytes, and refuses the signature
//! over an altered message and with a flipped bit. A backend without the curve must refuse it
//! with `UnsupportedAlgorithm`. Counts are printed per backend.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::EdwardsCurve;
use pluggable_crypto::Error;

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut all = available_backends();
    all.push(default_backend());
    all
}

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap_or_else(|e| panic!("bad hex {s:?}: {e}"))
}

/// Signs, compares, verifies and refuses alterations; `Err` names the failure.
fn check<Priv, Pub>(
    sign: impl Fn(&Priv, &[u8]) -> Result<Vec<u8>, Error>,
    verify: impl Fn(&Pub, &[u8], &[u8]) -> Result<(), Error>,
    private: &Priv,
    public: &Pub,
    message: &[u8],
    expected: &[u8],
) -> Result<(), String> {
    let signature = sign(private, message).map_err(|e| format!("sign: {e}"))?;
    if signature != expected {
        return Err("signature differs from the vector".into());
    }
    verify(public, expected, message).map_err(|e| format!("verify: {e}"))?;
    let mut other = message.to_vec();
    other.push(0x01);
    if verify(public, expected, &other) != Err(Error::InvalidSignature) {
        return Err("the signature verified over another message".into());
    }
    for bit in [0, 8 * expected.len() / 2 + 3, 8 * expected.len() - 9] {
        let mut flipped = expected.to_vec();
        flipped[bit / 8] ^= 1 << (bit % 8);
        if verify(public, &flipped, message) != Err(Error::InvalidSignature) {
            return Err(format!("a signature with bit {bit} flipped verified"));
        }
    }
    if verify(public, &expected[1..], message) != Err(Error::InvalidSignature) {
        return Err("a short signature verified".into());
    }
    Ok(())
}

fn assert_unsupported(backend: &Arc<dyn Backend>, curve: EdwardsCurve) {
    assert!(!backend.eddsa_supported(curve));
    let refused = match curve {
        EdwardsCurve::Ed25519 => Ed25519PrivateKey::generate_with_backend(backend.clone()).err(),
        EdwardsCurve::Ed448 => Ed448PrivateKey::generate_with_backend(backend.clone()).err(),
    };
    assert!(
        matches!(refused, Some(Error::UnsupportedAlgorithm { .. })),
        "{} says it lacks {curve} but did not refuse it as unsupported: {refused:?}",
        backend.name()
    );
}

#[test]
fn ed25519_sign_input() {
    let path = "asymmetric/Ed25519/sign.input";
    let text = std::fs::read_to_string(test_vectors::vectors_dir().join(path)).expect(path);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1024, "{path}: expected 1024 lines");
    for backend in backends() {
        if !backend.eddsa_supported(EdwardsCurve::Ed25519) {
            assert_unsupported(&backend, EdwardsCurve::Ed25519);
            println!(
                "Ed25519 sign.input on {}: 0 passed, {} skipped",
                backend.name(),
                lines.len()
            );
            continue;
        }
        let mut failures = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            let fields: Vec<&str> = line.split(':').collect();
            let [keys, public, message, signed, ""] = fields[..] else {
                panic!("{path}:{}: expected four colon-separated fields", n + 1);
            };
            let (keys, public, message, signed) =
                (hex(keys), hex(public), hex(message), hex(signed));
            assert_eq!(&keys[32..], &public[..], "{path}:{}", n + 1);
            assert_eq!(&signed[64..], &message[..], "{path}:{}", n + 1);
            let result = (|| {
                let private = Ed25519PrivateKey::from_private_bytes_with_backend(
                    &keys[..32],
                    backend.clone(),
                )
                .map_err(|e| format!("load private: {e}"))?;
                if private.public_key().map(|p| p.public_bytes_raw()).ok() != Some(public.clone()) {
                    return Err("derived public key differs".to_string());
                }
                if *private.private_bytes_raw().map_err(|e| e.to_string())? != keys[..32] {
                    return Err("private_bytes_raw differs from the seed".into());
                }
                let loaded =
                    Ed25519PublicKey::from_public_bytes_with_backend(&public, backend.clone())
                        .map_err(|e| format!("load public: {e}"))?;
                if loaded.backend_name() != private.backend_name() {
                    return Err("keys loaded on one backend ended up on two".into());
                }
                check(
                    Ed25519PrivateKey::sign,
                    |k: &Ed25519PublicKey, s: &[u8], m: &[u8]| k.verify(s, m),
                    &private,
                    &loaded,
                    &message,
                    &signed[..64],
                )
            })();
            if let Err(e) = result {
                failures.push(format!("{path}:{}: {e}", n + 1));
            }
        }
        println!(
            "Ed25519 sign.input on {}: {} passed, 0 skipped, {} failed",
            backend.name(),
            lines.len() - failures.len(),
            failures.len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[test]
fn ed448_rfc8032() {
    let path = "asymmetric/Ed448/rfc8032.txt";
    let cases = test_vectors::load(path).expect(path);
    assert_eq!(Some(cases.len()), test_vectors::expected_case_count(path));
    for backend in backends() {
        if !backend.eddsa_supported(EdwardsCurve::Ed448) {
            assert_unsupported(&backend, EdwardsCurve::Ed448);
            println!(
                "Ed448 RFC 8032 on {}: 0 passed, {} skipped",
                backend.name(),
                cases.len()
            );
            continue;
        }
        let (mut passed, mut skipped) = (0, 0);
        for case in cases.iter().cloned() {
            case.ignore("COUNT");
            let secret = case.hex("SECRET").unwrap();
            let public = case.hex("PUBLIC").unwrap();
            let message = case.hex("MESSAGE").unwrap();
            let signature = case.hex("SIGNATURE").unwrap();
            if case.opt_hex("CONTEXT").unwrap().is_some() {
                // Ed448 with a context (Ed448ctx) is not in the API (nor in pyca's).
                skipped += 1;
                case.finish().unwrap();
                continue;
            }
            let private =
                Ed448PrivateKey::from_private_bytes_with_backend(&secret, backend.clone())
                    .unwrap_or_else(|e| panic!("{}: {e}", case.line()));
            assert_eq!(private.public_key().unwrap().public_bytes_raw(), public);
            assert_eq!(*private.private_bytes_raw().unwrap(), secret);
            let loaded =
                Ed448PublicKey::from_public_bytes_with_backend(&public, backend.clone()).unwrap();
            check(
                Ed448PrivateKey::sign,
                |k: &Ed448PublicKey, s: &[u8], m: &[u8]| k.verify(s, m),
                &private,
                &loaded,
                &message,
                &signature,
            )
            .unwrap_or_else(|e| panic!("{path}:{} on {}: {e}", case.line(), backend.name()));
            case.finish().unwrap();
            passed += 1;
        }
        println!(
            "Ed448 RFC 8032 on {}: {passed} passed, {skipped} skipped (Ed448 with a context)",
            backend.name()
        );
        assert!(passed > 0);
    }
}
