//! The default backend's public-key routes: which member generates and loads each family's
//! keys, and that the keys it gives do every operation their type offers (a key stays on its
//! member, so the member must serve all of them).
//!
//! The routes (see `default_preferences` in `backends/mod.rs` and `BENCHMARKS.md`): RSA on
//! OpenSSL; P-256 on OpenSSL (an RFC 6979 signature that OpenSSL before 3.2 cannot make is made
//! by a copy of the key on Rust); P-384 on Rust; Ed25519 on Rust; X25519 on OpenSSL. Without a
//! member, the next one in that order.
//! (`cargo test --release`: RSA key generation.)

use pluggable_crypto::hazmat::backends::available_backends;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    Mgf1, Oaep, Pkcs1v15, Pss, PssSaltLength,
};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa;
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::{
    EllipticCurve, HashId, Prehashed, SignatureNonce,
};
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256, Sha384};
use pluggable_crypto::Error;

/// The first compiled-in member of `order`.
fn first_of(order: &[&'static str]) -> &'static str {
    let members = available_backends();
    order
        .iter()
        .copied()
        .find(|want| members.iter().any(|m| m.name() == *want))
        .expect("a member serves the family")
}

/// The member the default should route `family` to.
fn expected(family: &str) -> &'static str {
    match family {
        "rsa" => first_of(&["openssl", "rust", "ring"]),
        "p256" => first_of(&["openssl", "rust", "ring"]),
        "p384" => first_of(&["rust", "openssl", "ring"]),
        "ed25519" => first_of(&["rust", "openssl", "ring"]),
        "x25519" => first_of(&["openssl", "rust", "ring"]),
        _ => unreachable!("no such family"),
    }
}

/// The tests describe the unrestricted default; `CRYPTOGRAPHY_BACKEND` changes it.
fn restricted() -> bool {
    let set = std::env::var("CRYPTOGRAPHY_BACKEND").is_ok_and(|v| !v.trim().is_empty());
    if set {
        println!("CRYPTOGRAPHY_BACKEND is set: the default's routes are not checked");
    }
    set
}

fn sha256(data: &[u8]) -> Vec<u8> {
    let mut hash = Hash::new(Sha256).unwrap();
    hash.update(data).unwrap();
    hash.finalize().unwrap()
}

#[test]
fn rsa_keys_go_to_the_expected_member_and_do_everything() {
    if restricted() {
        return;
    }
    let key = rsa::generate_private_key(65537, 2048).unwrap();
    assert_eq!(key.backend_name(), expected("rsa"));
    let public = key.public_key().unwrap();
    let message = b"routed RSA";
    let pss = || Pss::new(Mgf1::new(Sha256), PssSaltLength::DigestLength);
    let signature = key.sign(message, Pkcs1v15, Sha256).unwrap();
    public
        .verify(&signature, message, Pkcs1v15, Sha256)
        .unwrap();
    let digest = sha256(message);
    let prehashed = key.sign(&digest, Pkcs1v15, Prehashed(Sha256)).unwrap();
    assert_eq!(prehashed, signature);
    assert_eq!(
        public
            .recover_data_from_signature(&signature, Pkcs1v15, Some(&Sha256))
            .unwrap(),
        digest
    );
    let signature = key.sign(message, pss(), Sha256).unwrap();
    public.verify(&signature, message, pss(), Sha256).unwrap();
    assert!(matches!(
        public.verify(&signature, b"other", pss(), Sha256),
        Err(Error::InvalidSignature)
    ));
    let oaep = || Oaep::new(Mgf1::new(Sha256), Sha256, None);
    let ciphertext = public.encrypt(message, oaep()).unwrap();
    assert_eq!(key.decrypt(&ciphertext, oaep()).unwrap(), message);
    let ciphertext = public.encrypt(message, Pkcs1v15).unwrap();
    assert_eq!(key.decrypt(&ciphertext, Pkcs1v15).unwrap(), message);
    // Loading from numbers routes the same way.
    let loaded = key.private_numbers().unwrap().private_key().unwrap();
    assert_eq!(loaded.backend_name(), expected("rsa"));
    let public = public.public_numbers().public_key().unwrap();
    assert_eq!(public.backend_name(), expected("rsa"));
    println!("RSA keys on the default: {}", key.backend_name());
}

/// Generation, loading and every EC operation on `curve`.
fn ec_keys_do_everything(curve: EllipticCurve, family: &str) {
    let key = ec::generate_private_key(curve).unwrap();
    assert_eq!(key.backend_name(), expected(family), "{curve}");
    let public = key.public_key().unwrap();
    let message = b"routed ECDSA";
    let ecdsa = |deterministic: bool| match (curve, deterministic) {
        (EllipticCurve::Secp384r1, false) => Ecdsa::new(Sha384),
        (EllipticCurve::Secp384r1, true) => Ecdsa::deterministic(Sha384),
        (_, false) => Ecdsa::new(Sha256),
        (_, true) => Ecdsa::deterministic(Sha256),
    };
    // RFC 6979 must work wherever a compiled-in member has it (the route then prefers that
    // member); a build without one (OpenSSL 3.0 alone) refuses it as unsupported.
    let some_member_is_deterministic = pluggable_crypto::hazmat::backends::available_backends()
        .iter()
        .any(|b| {
            b.elliptic_curve_signature_algorithm_supported(
                curve,
                pluggable_crypto::hazmat::primitives::asymmetric::HashId::Sha256,
                pluggable_crypto::hazmat::primitives::asymmetric::SignatureNonce::Deterministic,
            )
        });
    for deterministic in [false, true] {
        let signature = match key.sign(message, &ecdsa(deterministic)) {
            Err(e) if deterministic && !some_member_is_deterministic && e.is_unsupported() => {
                continue
            }
            other => other.unwrap(),
        };
        public
            .verify(&signature, message, &ecdsa(deterministic))
            .unwrap();
        if deterministic {
            // The same bytes as every member that signs deterministically with this key
            // (the home member itself, or the stand-in copy the default made).
            let scalar = key.private_numbers().unwrap().private_value;
            for m in available_backends().iter().filter(|m| {
                m.elliptic_curve_signature_algorithm_supported(
                    curve,
                    HashId::Sha256,
                    SignatureNonce::Deterministic,
                )
            }) {
                let theirs = ec::derive_private_key_with_backend(&scalar, curve, m.clone())
                    .unwrap()
                    .sign(message, &ecdsa(true))
                    .unwrap();
                assert_eq!(theirs, signature, "{curve}: RFC 6979 on {}", m.name());
            }
        }
        assert!(matches!(
            public.verify(&signature, b"other", &ecdsa(deterministic)),
            Err(Error::InvalidSignature)
        ));
    }
    // Other hashes, and digests.
    let signature = key.sign(message, &Ecdsa::new(Sha256)).unwrap();
    public
        .verify(&signature, message, &Ecdsa::new(Sha256))
        .unwrap();
    let digest = sha256(message);
    let signature = key.sign(&digest, &Ecdsa::new(Prehashed(Sha256))).unwrap();
    public
        .verify(&signature, message, &Ecdsa::new(Sha256))
        .unwrap();
    public
        .verify(&signature, &digest, &Ecdsa::new(Prehashed(Sha256)))
        .unwrap();
    // ECDH both ways, with a peer loaded from its point.
    let other = ec::generate_private_key(curve).unwrap();
    let other_point = other
        .public_key()
        .unwrap()
        .public_bytes_x962(false)
        .unwrap();
    let peer = EllipticCurvePublicKey::from_encoded_point(curve, &other_point).unwrap();
    assert_eq!(peer.backend_name(), expected(family));
    let shared = key.exchange(&Ecdh, &peer).unwrap();
    assert_eq!(shared, other.exchange(&Ecdh, &public).unwrap());
    assert_eq!(shared.len(), curve.field_bytes());
    // Loading from numbers and from a scalar routes the same way.
    let numbers = key.private_numbers().unwrap();
    let loaded = numbers.private_key().unwrap();
    assert_eq!(loaded.backend_name(), expected(family));
    let derived = ec::derive_private_key(&numbers.private_value, curve).unwrap();
    assert_eq!(derived.backend_name(), expected(family));
    assert_eq!(
        derived
            .public_key()
            .unwrap()
            .public_bytes_x962(true)
            .unwrap(),
        public.public_bytes_x962(true).unwrap()
    );
    println!("{curve} keys on the default: {}", key.backend_name());
}

#[test]
fn p256_keys_go_to_the_expected_member_and_do_everything() {
    if restricted() {
        return;
    }
    ec_keys_do_everything(EllipticCurve::Secp256r1, "p256");
}

#[test]
fn p384_keys_go_to_the_expected_member_and_do_everything() {
    if restricted() {
        return;
    }
    ec_keys_do_everything(EllipticCurve::Secp384r1, "p384");
}

#[test]
fn ed25519_keys_go_to_the_expected_member_and_do_everything() {
    if restricted() {
        return;
    }
    let key = Ed25519PrivateKey::generate().unwrap();
    assert_eq!(key.backend_name(), expected("ed25519"));
    let public = key.public_key().unwrap();
    let signature = key.sign(b"routed Ed25519").unwrap();
    public.verify(&signature, b"routed Ed25519").unwrap();
    assert!(matches!(
        public.verify(&signature, b"other"),
        Err(Error::InvalidSignature)
    ));
    let loaded = Ed25519PrivateKey::from_private_bytes(&key.private_bytes_raw().unwrap()).unwrap();
    assert_eq!(loaded.backend_name(), expected("ed25519"));
    assert_eq!(loaded.sign(b"routed Ed25519").unwrap(), signature);
    let public = Ed25519PublicKey::from_public_bytes(&public.public_bytes_raw()).unwrap();
    assert_eq!(public.backend_name(), expected("ed25519"));
    public.verify(&signature, b"routed Ed25519").unwrap();
    println!("Ed25519 keys on the default: {}", key.backend_name());
}

#[test]
fn x25519_keys_go_to_the_expected_member_and_do_everything() {
    if restricted() {
        return;
    }
    let key = X25519PrivateKey::generate().unwrap();
    assert_eq!(key.backend_name(), expected("x25519"));
    let other = X25519PrivateKey::generate().unwrap();
    let shared = key.exchange(&other.public_key().unwrap()).unwrap();
    assert_eq!(shared, other.exchange(&key.public_key().unwrap()).unwrap());
    let loaded = X25519PrivateKey::from_private_bytes(&key.private_bytes_raw().unwrap()).unwrap();
    assert_eq!(loaded.backend_name(), expected("x25519"));
    let peer = X25519PublicKey::from_public_bytes(&other.public_key().unwrap().public_bytes_raw())
        .unwrap();
    assert_eq!(loaded.exchange(&peer).unwrap(), shared);
    println!("X25519 keys on the default: {}", key.backend_name());
}
