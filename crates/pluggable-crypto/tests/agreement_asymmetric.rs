//! Cross-backend agreement for the public-key families: every backend built in (and the
//! default multi-backend) is every other's independent implementation.
//!
//! - Signatures made on each backend verify on every other (RSA PKCS #1 v1.5 and PSS, ECDSA on
//!   every curve each pair serves, Ed25519, Ed448, DSA); keys move with `on_backend` (numbers
//!   or raw bytes). Deterministic signatures (RSA PKCS #1 v1.5, Ed25519, Ed448, RFC 6979 ECDSA
//!   and DSA where served) are byte-equal across backends.
//! - RSA ciphertexts (OAEP with labels, PKCS #1 v1.5) made on one backend decrypt on another.
//! - ECDH, X25519, X448 and DH from each side, on different backends, give equal secrets.
//! - Malformed signatures (bit flips, truncations, appended bytes, random bytes), random points
//!   and raw public keys, and random RSA ciphertexts get the same verdict (the same error kind,
//!   or the same output) on every backend that serves the operation.
//!
//! A backend that lacks an operation must refuse it with `UnsupportedAlgorithm`; it is then
//! skipped for that case. Each test prints how many backend pairs it checked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::dh::{DhParameterNumbers, DhPublicNumbers};
use pluggable_crypto::hazmat::primitives::asymmetric::dsa::{self, DsaParameterNumbers};
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    EncryptionPadding, Mgf1, Oaep, Pkcs1v15, Pss, PssSaltLength, SignaturePadding,
};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::RsaPrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::{
    BigUint, EllipticCurve, Prehashed, SignatureHash, SignatureNonce,
};
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha1, Sha224, Sha256, Sha384, Sha512};
use pluggable_crypto::{Error, Result};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;

#[path = "support/proptest_config.rs"]
mod proptest_config;
#[path = "support/rsa.rs"]
mod rsa_support;

use rsa_support::backends;

// ---------------------------------------------------------------------------------------------
// Shared helpers

type Backends = Vec<(String, Arc<dyn Backend>)>;

/// Runs `cases` proptest cases of `test` over `strategy`; a failure panics with the minimal
/// input.
fn run<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(proptest_config::config(cases));
    let result = runner.run(&strategy, |value| {
        test(value);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Pairs checked per family (printed by each test).
static TALLY: Mutex<BTreeMap<String, (usize, usize)>> = Mutex::new(BTreeMap::new());

/// Counts `pairs` cross-backend pairs and `verdicts` verdict comparisons for `family`.
fn tally(family: &str, pairs: usize, verdicts: usize) {
    let mut t = TALLY.lock().unwrap_or_else(|e| e.into_inner());
    let entry = t.entry(family.to_owned()).or_default();
    entry.0 += pairs;
    entry.1 += verdicts;
}

fn summary(prefix: &str) {
    let t = TALLY.lock().unwrap_or_else(|e| e.into_inner());
    for (family, (pairs, verdicts)) in t.iter().filter(|(f, _)| f.starts_with(prefix)) {
        println!("{family}: {pairs} cross-backend pairs agreed, {verdicts} verdicts compared");
    }
}

/// True when `r` is a refusal for lack of support; any other error is returned as is.
fn unsupported<T>(r: &Result<T>) -> bool {
    matches!(r, Err(e) if e.is_unsupported())
}

/// What a backend said, comparable across backends: the output, or the kind of error.
fn verdict<T: AsRef<[u8]>>(r: &Result<T>) -> String {
    match r {
        Ok(v) => format!("ok {}", hex::encode(v.as_ref())),
        Err(Error::KeyRejected(k)) => format!("KeyRejected({:?})", k.kind()),
        Err(Error::InvalidArgument(_)) => "InvalidArgument".to_owned(),
        Err(e) => format!("{e:?}"),
    }
}

fn unit(r: &Result<()>) -> String {
    verdict(&r.as_ref().map(|()| Vec::<u8>::new()).map_err(Clone::clone))
}

/// Asserts that every backend's verdict (unsupported ones left out) is the same.
fn same_verdicts(what: &str, family: &str, verdicts: &[(String, String)]) {
    if let Some((first_name, first)) = verdicts.first() {
        for (name, v) in verdicts {
            assert_eq!(
                v, first,
                "{what}: {name} and {first_name} disagree ({v} vs {first})"
            );
        }
    }
    tally(family, 0, verdicts.len().saturating_sub(1));
}

/// A corruption of a signature (or ciphertext).
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Append(Vec<u8>),
    Random(Vec<u8>),
}

fn mutation(max_random: usize) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        vec(any::<u8>(), 1..8).prop_map(Mutation::Append),
        vec(any::<u8>(), 0..max_random).prop_map(Mutation::Random),
    ]
}

impl Mutation {
    fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        match self {
            Mutation::Flip(i, bit) if !out.is_empty() => {
                let i = i.index(out.len());
                out[i] ^= 1 << bit;
            }
            Mutation::Flip(..) => {}
            Mutation::Truncate(i) => out.truncate(i.index(bytes.len().max(1))),
            Mutation::Append(extra) => out.extend_from_slice(extra),
            Mutation::Random(r) => out = r.clone(),
        }
        out
    }
}

/// The hashes the signature tests pick from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum H {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

const HASHES: [H; 5] = [H::Sha1, H::Sha224, H::Sha256, H::Sha384, H::Sha512];

impl H {
    fn sig(self, prehashed: bool) -> SignatureHash {
        match (self, prehashed) {
            (H::Sha1, false) => Sha1.into(),
            (H::Sha224, false) => Sha224.into(),
            (H::Sha256, false) => Sha256.into(),
            (H::Sha384, false) => Sha384.into(),
            (H::Sha512, false) => Sha512.into(),
            (H::Sha1, true) => Prehashed(Sha1).into(),
            (H::Sha224, true) => Prehashed(Sha224).into(),
            (H::Sha256, true) => Prehashed(Sha256).into(),
            (H::Sha384, true) => Prehashed(Sha384).into(),
            (H::Sha512, true) => Prehashed(Sha512).into(),
        }
    }

    fn mgf(self) -> Mgf1 {
        match self {
            H::Sha1 => Mgf1::new(Sha1),
            H::Sha224 => Mgf1::new(Sha224),
            H::Sha256 => Mgf1::new(Sha256),
            H::Sha384 => Mgf1::new(Sha384),
            H::Sha512 => Mgf1::new(Sha512),
        }
    }

    fn oaep(self, mgf: H, label: Option<&[u8]>) -> Oaep {
        match self {
            H::Sha1 => Oaep::new(mgf.mgf(), Sha1, label),
            H::Sha224 => Oaep::new(mgf.mgf(), Sha224, label),
            H::Sha256 => Oaep::new(mgf.mgf(), Sha256, label),
            H::Sha384 => Oaep::new(mgf.mgf(), Sha384, label),
            H::Sha512 => Oaep::new(mgf.mgf(), Sha512, label),
        }
    }

    fn size(self) -> usize {
        match self {
            H::Sha1 => 20,
            H::Sha224 => 28,
            H::Sha256 => 32,
            H::Sha384 => 48,
            H::Sha512 => 64,
        }
    }

    /// The data to sign: the message, or its digest when prehashed.
    fn input(self, message: &[u8], prehashed: bool) -> Vec<u8> {
        if !prehashed {
            return message.to_vec();
        }
        let mut h = match self {
            H::Sha1 => Hash::new(Sha1),
            H::Sha224 => Hash::new(Sha224),
            H::Sha256 => Hash::new(Sha256),
            H::Sha384 => Hash::new(Sha384),
            H::Sha512 => Hash::new(Sha512),
        }
        .unwrap();
        h.update(message).unwrap();
        h.finalize().unwrap()
    }
}

fn hash() -> impl Strategy<Value = H> {
    proptest::sample::select(HASHES.to_vec())
}

// ---------------------------------------------------------------------------------------------
// RSA

/// One 2048-bit key (generated once) on every backend that loads it.
fn rsa_keys() -> &'static Vec<(String, RsaPrivateKey)> {
    static KEYS: OnceLock<Vec<(String, RsaPrivateKey)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let numbers = rsa_support::key_2048();
        let keys = rsa_support::on_every_backend(&numbers);
        assert!(keys.len() >= 2, "at least two backends hold RSA keys");
        keys
    })
}

#[derive(Debug, Clone)]
struct RsaSigCase {
    message: Vec<u8>,
    hash: H,
    /// The MGF1 hash when it differs from the message hash (ring and the Rust backend take
    /// only equal ones).
    mgf: Option<H>,
    pss: Option<u8>,
    exact_salt: usize,
    prehashed: bool,
    bad: Mutation,
}

fn pss_padding(case: &RsaSigCase, verify_auto: bool) -> SignaturePadding {
    match case.pss {
        None => Pkcs1v15.into(),
        Some(kind) => {
            let salt = if verify_auto {
                PssSaltLength::Auto
            } else {
                match kind % 3 {
                    0 => PssSaltLength::DigestLength,
                    1 => PssSaltLength::Max,
                    _ => PssSaltLength::Exact(case.exact_salt),
                }
            };
            Pss::new(case.mgf.unwrap_or(case.hash).mgf(), salt).into()
        }
    }
}

#[test]
fn rsa_signatures_agree() {
    let keys = rsa_keys();
    let all = backends();
    let strategy = (
        vec(any::<u8>(), 0..300),
        hash(),
        proptest::option::weighted(0.25, hash()),
        proptest::option::of(0u8..3),
        0usize..=64,
        any::<bool>(),
        mutation(300),
    )
        .prop_map(
            |(message, hash, mgf, pss, exact_salt, prehashed, bad)| RsaSigCase {
                message,
                hash,
                mgf,
                pss,
                exact_salt,
                prehashed,
                bad,
            },
        );
    run("RSA signatures", 32, strategy, |case| {
        let family = if case.pss.is_some() {
            "RSA PSS"
        } else {
            "RSA PKCS#1 v1.5 signatures"
        };
        let data = case.hash.input(&case.message, case.prehashed);
        let mut signatures = Vec::new();
        for (name, key) in keys {
            let r = key.sign(
                &data,
                pss_padding(&case, false),
                case.hash.sig(case.prehashed),
            );
            if unsupported(&r) {
                continue;
            }
            signatures.push((
                name.clone(),
                key,
                r.unwrap_or_else(|e| panic!("{name} signs: {e}")),
            ));
        }
        if case.pss.is_none() {
            for (name, _, sig) in &signatures {
                assert_eq!(
                    sig, &signatures[0].2,
                    "PKCS#1 v1.5 signatures of {name} and {} differ",
                    signatures[0].0
                );
            }
        }
        for (signer, key, sig) in &signatures {
            let public = key.public_key().unwrap();
            for (verifier, backend) in &all {
                if verifier == signer {
                    continue;
                }
                let Ok(moved) = public.on_backend(backend.clone()) else {
                    continue;
                };
                let mut checked = false;
                for auto in [false, true] {
                    let padding = || pss_padding(&case, auto);
                    let r = moved.verify(sig, &data, padding(), case.hash.sig(case.prehashed));
                    if unsupported(&r) {
                        continue;
                    }
                    assert_eq!(r, Ok(()), "{signer} -> {verifier} (auto salt: {auto})");
                    let mut other = data.clone();
                    other.push(1);
                    if case.prehashed {
                        other = case.hash.input(&other, true);
                    }
                    let r = moved.verify(sig, &other, padding(), case.hash.sig(case.prehashed));
                    assert_eq!(r, Err(Error::InvalidSignature), "{signer} -> {verifier}");
                    checked = true;
                }
                if checked {
                    tally(family, 1, 0);
                }
            }
        }
        // Malformed signatures: one verdict everywhere.
        if let Some((_, key, sig)) = signatures.first() {
            let bad = case.bad.apply(sig);
            let public = key.public_key().unwrap();
            let mut verdicts = Vec::new();
            for (name, backend) in &all {
                let Ok(moved) = public.on_backend(backend.clone()) else {
                    continue;
                };
                let r = moved.verify(
                    &bad,
                    &data,
                    pss_padding(&case, false),
                    case.hash.sig(case.prehashed),
                );
                if !unsupported(&r) {
                    verdicts.push((name.clone(), unit(&r)));
                }
            }
            same_verdicts(
                &format!("malformed {family} signature {bad:02x?}"),
                family,
                &verdicts,
            );
        }
    });
    summary("RSA PSS");
    summary("RSA PKCS#1 v1.5 signatures");
}

#[derive(Debug, Clone)]
struct RsaEncCase {
    message: Vec<u8>,
    oaep: bool,
    hash: H,
    mgf: H,
    label: Option<Vec<u8>>,
    random: Vec<u8>,
    bad: Mutation,
}

fn enc_padding(case: &RsaEncCase) -> EncryptionPadding {
    if case.oaep {
        case.hash.oaep(case.mgf, case.label.as_deref()).into()
    } else {
        Pkcs1v15.into()
    }
}

#[test]
fn rsa_encryption_agrees() {
    let keys = rsa_keys();
    let strategy = (
        vec(any::<u8>(), 0..200),
        any::<bool>(),
        hash(),
        hash(),
        proptest::option::of(vec(any::<u8>(), 0..40)),
        vec(any::<u8>(), 256),
        mutation(300),
    )
        .prop_map(
            |(message, oaep, hash, mgf, label, random, bad)| RsaEncCase {
                message,
                oaep,
                hash,
                mgf,
                label,
                random,
                bad,
            },
        );
    run("RSA encryption", 24, strategy, |case| {
        let family = if case.oaep {
            "RSA OAEP"
        } else {
            "RSA PKCS#1 v1.5 encryption"
        };
        let k = 256;
        let limit = if case.oaep {
            k - 2 * case.hash.size() - 2
        } else {
            k - 11
        };
        let message = &case.message[..case.message.len().min(limit)];
        let mut ciphertexts = Vec::new();
        for (name, key) in keys {
            let public = key.public_key().unwrap();
            let r = public.encrypt(message, enc_padding(&case));
            if unsupported(&r) {
                continue;
            }
            let ct = r.unwrap_or_else(|e| panic!("{name} encrypts: {e}"));
            for (other, private) in keys {
                if other == name {
                    continue;
                }
                // Rebuilt from the numbers on the decrypting side's backend.
                let r = private.decrypt(&ct, enc_padding(&case));
                if unsupported(&r) {
                    continue;
                }
                assert_eq!(r.as_deref(), Ok(message), "{name} -> {other}");
                tally(family, 1, 0);
            }
            ciphertexts.push(ct);
        }
        // Random and corrupted ciphertexts: the same verdict (with PKCS #1 v1.5, the same
        // implicit-rejection message) on every backend that decrypts.
        let mut inputs = vec![case.random.clone()];
        if let Some(ct) = ciphertexts.first() {
            inputs.push(case.bad.apply(ct));
        }
        for input in inputs {
            let mut verdicts = Vec::new();
            for (name, key) in keys {
                let r = key.decrypt(&input, enc_padding(&case));
                if !unsupported(&r) {
                    verdicts.push((name.clone(), verdict(&r)));
                }
            }
            same_verdicts(
                &format!("{family} ciphertext {input:02x?}"),
                family,
                &verdicts,
            );
        }
    });
    summary("RSA OAEP");
    summary("RSA PKCS#1 v1.5 enc");
}

#[test]
fn rsa_keys_move_with_on_backend() {
    // The private numbers survive every move, so every backend holds the same key.
    let keys = rsa_keys();
    let reference = keys[0].1.private_numbers().unwrap();
    for (name, key) in keys {
        for (other, backend) in backends() {
            let Ok(moved) = key.on_backend(backend) else {
                continue;
            };
            assert_eq!(
                moved.private_numbers().unwrap(),
                reference,
                "{name} -> {other}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ECDSA and ECDH

#[derive(Debug, Clone)]
struct EcCase {
    curve: EllipticCurve,
    message: Vec<u8>,
    hash: H,
    deterministic: bool,
    prehashed: bool,
    generator: Index,
    bad: Mutation,
    point_prefix: u8,
    point: Vec<u8>,
}

fn ec_backends(curve: EllipticCurve) -> Backends {
    backends()
        .into_iter()
        .filter(|(_, b)| b.elliptic_curve_supported(curve))
        .collect()
}

#[test]
fn ecdsa_and_ecdh_agree() {
    let strategy = (
        proptest::sample::select(EllipticCurve::ALL.to_vec()),
        vec(any::<u8>(), 0..200),
        hash(),
        any::<bool>(),
        any::<bool>(),
        any::<Index>(),
        mutation(160),
        proptest::sample::select(vec![0x00u8, 0x02, 0x03, 0x04, 0x05, 0x06]),
        prop_oneof![
            vec(any::<u8>(), 0..140),
            Just(vec![0xff; 132]),
            Just(vec![0x00; 132]),
        ],
    )
        .prop_map(
            |(
                curve,
                message,
                hash,
                deterministic,
                prehashed,
                generator,
                bad,
                point_prefix,
                point,
            )| {
                EcCase {
                    curve,
                    message,
                    hash,
                    deterministic,
                    prehashed,
                    generator,
                    bad,
                    point_prefix,
                    point,
                }
            },
        );
    run("ECDSA/ECDH", 64, strategy, |case| {
        let curve = case.curve;
        let served = ec_backends(curve);
        if served.is_empty() {
            return;
        }
        let family = format!("ECDSA {}", curve.name());
        // A key generated on one backend (chosen by the case), moved to every other.
        let generate = |pick: usize| {
            (0..served.len())
                .map(|i| &served[(pick + i) % served.len()])
                .find_map(|(_, b)| ec::generate_private_key_with_backend(curve, b.clone()).ok())
                .expect("a backend generates the key")
        };
        let source = generate(case.generator.index(served.len()));
        let keys: Vec<_> = served
            .iter()
            .map(|(name, b)| (name.clone(), source.on_backend(b.clone()).unwrap()))
            .collect();
        let data = case.hash.input(&case.message, case.prehashed);
        let alg = || {
            let h = case.hash.sig(case.prehashed);
            if case.deterministic {
                Ecdsa::deterministic(h)
            } else {
                Ecdsa::new(h)
            }
        };
        let mut signatures = Vec::new();
        for (name, key) in &keys {
            let r = key.sign(&data, &alg());
            if unsupported(&r) {
                continue;
            }
            let sig = r.unwrap_or_else(|e| panic!("{name} signs on {curve}: {e}"));
            signatures.push((name.clone(), key.public_key().unwrap(), sig));
        }
        if case.deterministic {
            for (name, _, sig) in &signatures {
                assert_eq!(
                    sig, &signatures[0].2,
                    "RFC 6979 signatures of {name} and {} differ on {curve}",
                    signatures[0].0
                );
            }
        }
        for (signer, public, sig) in &signatures {
            for (verifier, backend) in &served {
                if verifier == signer {
                    continue;
                }
                let moved = public.on_backend(backend.clone()).unwrap();
                let r = moved.verify(sig, &data, &alg());
                if unsupported(&r) {
                    continue;
                }
                assert_eq!(r, Ok(()), "{signer} -> {verifier} on {curve}");
                tally(&family, 1, 0);
            }
        }
        // Malformed signatures: one verdict.
        if let Some((_, public, sig)) = signatures.first() {
            let bad = case.bad.apply(sig);
            let mut verdicts = Vec::new();
            for (name, backend) in &served {
                let r = public
                    .on_backend(backend.clone())
                    .unwrap()
                    .verify(&bad, &data, &alg());
                if !unsupported(&r) {
                    verdicts.push((name.clone(), unit(&r)));
                }
            }
            same_verdicts(
                &format!("malformed signature {bad:02x?} on {curve}"),
                &family,
                &verdicts,
            );
        }
        // Random points: one verdict (and the same point when accepted).
        let mut encoded = vec![case.point_prefix];
        let want = match case.point_prefix {
            0x02 | 0x03 => curve.field_bytes(),
            _ => 2 * curve.field_bytes(),
        };
        // Mostly the right length; the raw length otherwise.
        if case.point.len() >= want && case.point.len() % 3 != 0 {
            encoded.extend_from_slice(&case.point[..want]);
        } else {
            encoded.extend_from_slice(&case.point);
        }
        let mut verdicts = Vec::new();
        for (name, backend) in &served {
            let r = EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve,
                &encoded,
                backend.clone(),
            )
            .and_then(|k| k.public_bytes_x962(false));
            if !unsupported(&r) {
                verdicts.push((name.clone(), verdict(&r)));
            }
        }
        same_verdicts(
            &format!("point {encoded:02x?} on {curve}"),
            &family,
            &verdicts,
        );
        // ECDH from each side, on different backends.
        let peer = generate(case.generator.index(served.len()) + 1);
        let exchangers: Vec<_> = served
            .iter()
            .filter(|(_, b)| b.elliptic_curve_exchange_supported(curve))
            .map(|(n, b)| {
                (
                    n.clone(),
                    source.on_backend(b.clone()).unwrap(),
                    peer.on_backend(b.clone()).unwrap(),
                )
            })
            .collect();
        let mut reference: Option<Vec<u8>> = None;
        let ecdh = format!("ECDH {}", curve.name());
        for (x, ours, _) in &exchangers {
            for (y, _, theirs) in &exchangers {
                if x == y {
                    continue;
                }
                let one = ours.exchange(&Ecdh, &theirs.public_key().unwrap()).unwrap();
                let two = theirs.exchange(&Ecdh, &ours.public_key().unwrap()).unwrap();
                assert_eq!(*one, *two, "ECDH {x} / {y} on {curve}");
                let reference = reference.get_or_insert_with(|| one.to_vec());
                assert_eq!(&*one, reference.as_slice(), "ECDH {x} / {y} on {curve}");
                tally(&ecdh, 1, 0);
            }
        }
    });
    summary("ECD");
}

// ---------------------------------------------------------------------------------------------
// EdDSA

macro_rules! eddsa_agreement {
    ($test:ident, $family:literal, $Private:ident, $Public:ident, $len:expr, $sig:expr) => {
        #[test]
        fn $test() {
            let strategy = (
                vec(any::<u8>(), $len),
                vec(any::<u8>(), 0..300),
                mutation($sig + 10),
                vec(any::<u8>(), $len),
            );
            run(
                $family,
                48,
                strategy,
                |(seed, message, bad, random_public)| {
                    let keys: Vec<(String, $Private)> = backends()
                        .into_iter()
                        .filter_map(|(name, b)| {
                            let r = $Private::from_private_bytes_with_backend(&seed, b);
                            if unsupported(&r) {
                                None
                            } else {
                                Some((name, r.unwrap()))
                            }
                        })
                        .collect();
                    if keys.len() < 2 {
                        return;
                    }
                    let public = keys[0].1.public_key().unwrap().public_bytes_raw();
                    let sig = keys[0].1.sign(&message).unwrap();
                    for (signer, key) in &keys {
                        assert_eq!(
                            key.public_key().unwrap().public_bytes_raw(),
                            public,
                            "{signer}"
                        );
                        let mine = key.sign(&message).unwrap();
                        assert_eq!(
                            mine, sig,
                            "{} signatures of {signer} and {} differ",
                            $family, keys[0].0
                        );
                        let mine_public = key.public_key().unwrap();
                        for (verifier, other) in &keys {
                            if verifier == signer {
                                continue;
                            }
                            let backend = backends()
                                .into_iter()
                                .find(|(n, _)| n == verifier)
                                .unwrap()
                                .1;
                            let moved = mine_public.on_backend(backend).unwrap();
                            assert_eq!(
                                moved.verify(&mine, &message),
                                Ok(()),
                                "{signer} -> {verifier}"
                            );
                            assert_eq!(
                                moved.verify(&mine, b"another message"),
                                Err(Error::InvalidSignature)
                            );
                            // Private keys move with their raw bytes.
                            let again = $Private::from_private_bytes_with_backend(
                                &key.private_bytes_raw().unwrap(),
                                backends()
                                    .into_iter()
                                    .find(|(n, _)| n == verifier)
                                    .unwrap()
                                    .1,
                            )
                            .unwrap();
                            assert_eq!(
                                again.sign(&message).unwrap(),
                                other.sign(&message).unwrap()
                            );
                            tally($family, 1, 0);
                        }
                    }
                    let bad = bad.apply(&sig);
                    let mut verdicts = Vec::new();
                    let mut key_verdicts = Vec::new();
                    for (name, backend) in backends() {
                        let r = $Public::from_public_bytes_with_backend(&public, backend.clone());
                        if unsupported(&r) {
                            continue;
                        }
                        verdicts.push((name.clone(), unit(&r.unwrap().verify(&bad, &message))));
                        let r = $Public::from_public_bytes_with_backend(&random_public, backend)
                            .map(|k| (k.public_bytes_raw(), k.verify(&sig, &message)));
                        let v = match r {
                            Ok((bytes, v)) => format!("ok {} {}", hex::encode(bytes), unit(&v)),
                            Err(e) => verdict(&Err::<Vec<u8>, _>(e)),
                        };
                        key_verdicts.push((name, v));
                    }
                    same_verdicts(
                        &format!("malformed signature {bad:02x?}"),
                        $family,
                        &verdicts,
                    );
                    same_verdicts(
                        &format!("raw public key {random_public:02x?}"),
                        $family,
                        &key_verdicts,
                    );
                },
            );
            summary($family);
        }
    };
}

eddsa_agreement!(
    ed25519_agrees,
    "Ed25519",
    Ed25519PrivateKey,
    Ed25519PublicKey,
    32,
    64
);
eddsa_agreement!(
    ed448_agrees,
    "Ed448",
    Ed448PrivateKey,
    Ed448PublicKey,
    57,
    114
);

// ---------------------------------------------------------------------------------------------
// X25519 / X448

macro_rules! xdh_agreement {
    ($test:ident, $family:literal, $Private:ident, $Public:ident, $len:expr) => {
        #[test]
        fn $test() {
            let mut one = vec![0u8; $len];
            one[0] = 1;
            let specials = vec![vec![0u8; $len], one, vec![0xff; $len]];
            let strategy = (
                vec(any::<u8>(), $len),
                vec(any::<u8>(), $len),
                prop_oneof![vec(any::<u8>(), $len), proptest::sample::select(specials)],
            );
            run($family, 48, strategy, |(a, b, random_peer)| {
                let sides: Vec<(String, $Private, $Private)> = backends()
                    .into_iter()
                    .filter_map(|(name, backend)| {
                        let r = $Private::from_private_bytes_with_backend(&a, backend.clone());
                        if unsupported(&r) {
                            return None;
                        }
                        let other = $Private::from_private_bytes_with_backend(&b, backend).unwrap();
                        Some((name, r.unwrap(), other))
                    })
                    .collect();
                let mut reference: Option<Vec<u8>> = None;
                for (x, alice, _) in &sides {
                    for (y, _, bob) in &sides {
                        if x == y {
                            continue;
                        }
                        let s1 = alice.exchange(&bob.public_key().unwrap()).unwrap();
                        let s2 = bob.exchange(&alice.public_key().unwrap()).unwrap();
                        assert_eq!(*s1, *s2, "{} {x} / {y}", $family);
                        let reference = reference.get_or_insert_with(|| s1.to_vec());
                        assert_eq!(&*s1, reference.as_slice(), "{} {x} / {y}", $family);
                        assert_eq!(
                            alice.public_key().unwrap().public_bytes_raw(),
                            sides[0].1.public_key().unwrap().public_bytes_raw()
                        );
                        tally($family, 1, 0);
                    }
                }
                let peer = $Public::from_public_bytes(&random_peer).unwrap();
                let verdicts: Vec<_> = sides
                    .iter()
                    .map(|(name, alice, _)| (name.clone(), verdict(&alice.exchange(&peer))))
                    .collect();
                same_verdicts(&format!("peer {random_peer:02x?}"), $family, &verdicts);
            });
            summary($family);
        }
    };
}

xdh_agreement!(
    x25519_agrees,
    "X25519",
    X25519PrivateKey,
    X25519PublicKey,
    32
);
xdh_agreement!(x448_agrees, "X448", X448PrivateKey, X448PublicKey, 56);

// ---------------------------------------------------------------------------------------------
// DSA

fn hex(s: &str) -> BigUint {
    BigUint::from_hex(s).unwrap()
}

/// The FIPS 186-3 KeyPair parameters for L = 1024, N = 160, and 2048-bit parameters generated
/// once.
fn dsa_parameters() -> &'static Vec<DsaParameterNumbers> {
    static PARAMS: OnceLock<Vec<DsaParameterNumbers>> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let mut out = vec![DsaParameterNumbers::new(
            hex("d38311e2cd388c3ed698e82fdf88eb92b5a9a483dc88005d4b725ef341eabb47cf8a7a8a41e792a156b7ce97206c4f9c5ce6fc5ae7912102b6b502e59050b5b21ce263dddb2044b652236f4d42ab4b5d6aa73189cef1ace778d7845a5c1c1c7147123188f8dc551054ee162b634d60f097f719076640e20980a0093113a8bd73"),
            hex("96c5390a8b612c0e422bb2b0ea194a3ec935a281"),
            hex("06b7861abbd35cc89e79c52f68d20875389b127361ca66822138ce4991d2b862259d6b4548a6495b195aa0e0b6137ca37eb23b94074d3c3d300042bdf15762812b6333ef7b07ceba78607610fcc9ee68491dbc1e34cd12615474e52b18bc934fb00c61d39e7da8902291c4434a4e2224c3f4fd9f93cd6f4f17fc076341a7e7d9"),
        )];
        if let Some(p) = backends()
            .into_iter()
            .find_map(|(_, b)| dsa::generate_parameters_with_backend(2048, b).ok())
        {
            out.push(p.parameter_numbers());
        }
        out
    })
}

#[test]
fn dsa_agrees() {
    let params = dsa_parameters();
    let strategy = (
        any::<Index>(),
        any::<Index>(),
        vec(any::<u8>(), 0..200),
        hash(),
        any::<bool>(),
        any::<bool>(),
        mutation(120),
    );
    run(
        "DSA",
        24,
        strategy,
        |(which, generator, message, h, prehashed, deterministic, bad)| {
            let numbers = &params[which.index(params.len())];
            let served: Backends = backends()
                .into_iter()
                .filter(|(_, b)| b.dsa_supported(numbers.p.bits()))
                .collect();
            if served.len() < 2 {
                return;
            }
            let (_, source_backend) = &served[generator.index(served.len())];
            let source = numbers
                .parameters_with_backend(source_backend.clone())
                .unwrap()
                .generate_private_key()
                .unwrap();
            let keys: Vec<_> = served
                .iter()
                .map(|(n, b)| (n.clone(), source.on_backend(b.clone()).unwrap()))
                .collect();
            let data = h.input(&message, prehashed);
            let nonce = if deterministic {
                SignatureNonce::Deterministic
            } else {
                SignatureNonce::Random
            };
            let family = format!("DSA {}", numbers.p.bits());
            let mut signatures = Vec::new();
            for (name, key) in &keys {
                let r = key.sign_with_nonce(&data, h.sig(prehashed), nonce);
                if unsupported(&r) {
                    continue;
                }
                signatures.push((name.clone(), key.public_key().unwrap(), r.unwrap()));
            }
            if deterministic {
                for (name, _, sig) in &signatures {
                    assert_eq!(
                        sig, &signatures[0].2,
                        "RFC 6979 DSA of {name} and {}",
                        signatures[0].0
                    );
                }
            }
            for (signer, public, sig) in &signatures {
                for (verifier, backend) in &served {
                    if verifier == signer {
                        continue;
                    }
                    let moved = public.on_backend(backend.clone()).unwrap();
                    let r = moved.verify(sig, &data, h.sig(prehashed));
                    if unsupported(&r) {
                        continue;
                    }
                    assert_eq!(r, Ok(()), "{signer} -> {verifier}");
                    tally(&family, 1, 0);
                }
            }
            if let Some((_, public, sig)) = signatures.first() {
                let bad = bad.apply(sig);
                let mut verdicts = Vec::new();
                for (name, backend) in &served {
                    let r = public.on_backend(backend.clone()).unwrap().verify(
                        &bad,
                        &data,
                        h.sig(prehashed),
                    );
                    if !unsupported(&r) {
                        verdicts.push((name.clone(), unit(&r)));
                    }
                }
                same_verdicts(
                    &format!("malformed DSA signature {bad:02x?}"),
                    &family,
                    &verdicts,
                );
            }
        },
    );
    summary("DSA");
}

// ---------------------------------------------------------------------------------------------
// DH

#[test]
fn dh_agrees() {
    // The RFC 3526 2048-bit MODP group.
    let p = hex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF");
    let group = DhParameterNumbers::new(p, BigUint::from_u64(2), None);
    let served: Backends = backends()
        .into_iter()
        .filter(|(_, b)| b.dh_supported(2048))
        .collect();
    for (name, b) in backends() {
        if !b.dh_supported(2048) {
            let r = group
                .parameters_with_backend(b)
                .unwrap()
                .generate_private_key();
            assert!(unsupported(&r), "{name} refuses DH as unsupported");
        }
    }
    if served.len() < 2 {
        println!("DH: fewer than two backends serve it; nothing to compare");
        return;
    }
    let strategy = (any::<Index>(), vec(any::<u8>(), 1..256));
    run("DH", 8, strategy, |(generator, random_y)| {
        let (_, source) = &served[generator.index(served.len())];
        let parameters = group.parameters_with_backend(source.clone()).unwrap();
        let a = parameters.generate_private_key().unwrap();
        let b = parameters.generate_private_key().unwrap();
        let mut reference: Option<Vec<u8>> = None;
        for (x, bx) in &served {
            for (y, by) in &served {
                if x == y {
                    continue;
                }
                let (ax, by_) = (
                    a.on_backend(bx.clone()).unwrap(),
                    b.on_backend(by.clone()).unwrap(),
                );
                let s1 = ax.exchange(&by_.public_key().unwrap()).unwrap();
                let s2 = by_.exchange(&ax.public_key().unwrap()).unwrap();
                assert_eq!(*s1, *s2, "DH {x} / {y}");
                assert_eq!(s1.len(), 256);
                let reference = reference.get_or_insert_with(|| s1.to_vec());
                assert_eq!(&*s1, reference.as_slice());
                tally("DH 2048", 1, 0);
            }
        }
        let peer =
            DhPublicNumbers::new(BigUint::from_be_bytes(&random_y), group.clone()).public_key();
        if let Ok(peer) = peer {
            let verdicts: Vec<_> = served
                .iter()
                .map(|(n, bk)| {
                    (
                        n.clone(),
                        verdict(&a.on_backend(bk.clone()).unwrap().exchange(&peer)),
                    )
                })
                .collect();
            same_verdicts("random DH peer", "DH 2048", &verdicts);
        }
    });
    summary("DH");
}
