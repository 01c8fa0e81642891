//! The EdDSA verification rule (module docs of `asymmetric::ed25519`) gives one verdict on every
//! backend. `vectors/asymmetric/EdDSA/edge-cases.json` holds crafted signatures at every edge
//! the backends' libraries disagree on (small-order and mixed-order A and R, non-canonical S,
//! R and A, encodings that are no point; after "Taming the many EdDSAs"), each with the verdict
//! and the stage (key load or verification) an independent Python implementation of the rule
//! gives (`make_edge_cases.py`). Every backend that has the curve must give exactly that.
//! Also: signatures made on each backend verify on every other, wrong lengths are refused,
//! keys move between backends, and `Debug` prints no private bytes.

use std::collections::BTreeMap;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::EdwardsCurve;
use pluggable_crypto::{Error, KeyRejectedKind};

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut all = available_backends();
    all.push(default_backend());
    all
}

fn curve_named(name: &str) -> EdwardsCurve {
    match name {
        "ed25519" => EdwardsCurve::Ed25519,
        "ed448" => EdwardsCurve::Ed448,
        other => panic!("unknown curve {other}"),
    }
}

/// (verdict, stage) of one case on `backend`, as the JSON writes them.
fn judge(
    curve: EdwardsCurve,
    backend: &Arc<dyn Backend>,
    public: &[u8],
    message: &[u8],
    signature: &[u8],
) -> (String, String) {
    let verified = match curve {
        EdwardsCurve::Ed25519 => {
            Ed25519PublicKey::from_public_bytes_with_backend(public, backend.clone())
                .map(|key| key.verify(signature, message))
        }
        EdwardsCurve::Ed448 => {
            Ed448PublicKey::from_public_bytes_with_backend(public, backend.clone())
                .map(|key| key.verify(signature, message))
        }
    };
    match verified {
        Err(Error::KeyRejected(_)) => ("reject".into(), "load".into()),
        Err(other) => panic!("loading failed with {other:?}, not KeyRejected"),
        Ok(Ok(())) => ("accept".into(), "verify".into()),
        Ok(Err(Error::InvalidSignature)) => ("reject".into(), "verify".into()),
        Ok(Err(other)) => panic!("verification failed with {other:?}, not InvalidSignature"),
    }
}

#[test]
fn crafted_edge_cases_get_one_verdict_on_every_backend() {
    let path = test_vectors::vectors_dir().join("asymmetric/EdDSA/edge-cases.json");
    let text = std::fs::read_to_string(&path).expect("edge-cases.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("edge-cases.json");
    let cases = json["cases"].as_array().expect("cases");
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let field = |case: &serde_json::Value, name: &str| -> String {
        case[name]
            .as_str()
            .unwrap_or_else(|| panic!("case without {name}: {case}"))
            .to_string()
    };
    let mut tally: BTreeMap<(String, &str), (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for backend in backends() {
        for case in cases {
            let curve = curve_named(&field(case, "curve"));
            let name = field(case, "name");
            let entry = tally
                .entry((backend.name().to_string(), curve.name()))
                .or_default();
            if !backend.eddsa_supported(curve) {
                let refused = match curve {
                    EdwardsCurve::Ed25519 => Ed25519PublicKey::from_public_bytes_with_backend(
                        &hex::decode(field(case, "public_key")).unwrap(),
                        backend.clone(),
                    )
                    .err(),
                    EdwardsCurve::Ed448 => Ed448PublicKey::from_public_bytes_with_backend(
                        &hex::decode(field(case, "public_key")).unwrap(),
                        backend.clone(),
                    )
                    .err(),
                };
                // The rule's own refusals come first; otherwise the backend says unsupported.
                assert!(
                    matches!(
                        refused,
                        Some(Error::UnsupportedAlgorithm { .. } | Error::KeyRejected(_))
                    ),
                    "{name} on {}: {refused:?}",
                    backend.name()
                );
                entry.1 += 1;
                continue;
            }
            let got = judge(
                curve,
                &backend,
                &hex::decode(field(case, "public_key")).unwrap(),
                &hex::decode(field(case, "message")).unwrap(),
                &hex::decode(field(case, "signature")).unwrap(),
            );
            let expected = (field(case, "verdict"), field(case, "stage"));
            if got == expected {
                entry.0 += 1;
            } else {
                failures.push(format!(
                    "{curve} {name} on {}: {} at {}, the rule says {} at {}",
                    backend.name(),
                    got.0,
                    got.1,
                    expected.0,
                    expected.1
                ));
            }
        }
    }
    for ((backend, curve), (passed, skipped)) in &tally {
        println!("{curve} edge cases on {backend}: {passed} passed, {skipped} skipped");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Sign on each backend, verify on every other (and on the default).
#[test]
fn signatures_verify_across_backends() {
    let message = b"cross-backend agreement";
    let all = backends();
    let mut pairs = 0;
    for signer in all
        .iter()
        .filter(|b| b.eddsa_supported(EdwardsCurve::Ed25519))
    {
        let key = Ed25519PrivateKey::generate_with_backend(signer.clone()).unwrap();
        assert_eq!(key.private_bytes_raw().unwrap().len(), 32);
        let signature = key.sign(message).unwrap();
        let public = key.public_key().unwrap();
        for verifier in all
            .iter()
            .filter(|b| b.eddsa_supported(EdwardsCurve::Ed25519))
        {
            let there = public.on_backend(verifier.clone()).unwrap();
            assert_eq!(there, public);
            there.verify(&signature, message).unwrap();
            assert_eq!(
                there.verify(&signature, b"other"),
                Err(Error::InvalidSignature)
            );
            // Deterministic signing: the same key signs the same bytes everywhere.
            let moved = key.on_backend(verifier.clone()).unwrap();
            assert_eq!(moved.sign(message).unwrap(), signature);
            pairs += 1;
        }
    }
    for signer in all
        .iter()
        .filter(|b| b.eddsa_supported(EdwardsCurve::Ed448))
    {
        let key = Ed448PrivateKey::generate_with_backend(signer.clone()).unwrap();
        let signature = key.sign(message).unwrap();
        let public = key.public_key().unwrap();
        for verifier in all
            .iter()
            .filter(|b| b.eddsa_supported(EdwardsCurve::Ed448))
        {
            let there = public.on_backend(verifier.clone()).unwrap();
            there.verify(&signature, message).unwrap();
            assert_eq!(
                there.verify(&signature, b"other"),
                Err(Error::InvalidSignature)
            );
            let moved = key.on_backend(verifier.clone()).unwrap();
            assert_eq!(moved.sign(message).unwrap(), signature);
            pairs += 1;
        }
    }
    println!("EdDSA cross-backend: {pairs} signer/verifier pairs agree");
    assert!(pairs > 0);
}

#[test]
fn lengths_are_checked_above_the_backends() {
    for backend in backends() {
        for curve in [EdwardsCurve::Ed25519, EdwardsCurve::Ed448] {
            let n = curve.key_bytes();
            for bad in [0, n - 1, n + 1] {
                let private = match curve {
                    EdwardsCurve::Ed25519 => Ed25519PrivateKey::from_private_bytes_with_backend(
                        &vec![1; bad],
                        backend.clone(),
                    )
                    .err(),
                    EdwardsCurve::Ed448 => Ed448PrivateKey::from_private_bytes_with_backend(
                        &vec![1; bad],
                        backend.clone(),
                    )
                    .err(),
                };
                assert!(
                    matches!(&private, Some(Error::KeyRejected(r)) if r.kind() == KeyRejectedKind::InvalidEncoding),
                    "{curve} private key of {bad} bytes on {}: {private:?}",
                    backend.name()
                );
            }
        }
        if backend.eddsa_supported(EdwardsCurve::Ed25519) {
            let key = Ed25519PrivateKey::from_private_bytes_with_backend(&[7; 32], backend.clone())
                .unwrap();
            let debug = format!("{key:?}");
            assert!(!debug.contains("0707"), "{debug}");
            let signature = key.sign(b"m").unwrap();
            let public = key.public_key().unwrap();
            for cut in [0, 63, 65] {
                let mut sig = signature.clone();
                sig.resize(cut, 0);
                assert_eq!(public.verify(&sig, b"m"), Err(Error::InvalidSignature));
            }
        }
    }
}
