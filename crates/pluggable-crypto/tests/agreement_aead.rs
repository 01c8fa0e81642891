#![cfg(all(feature = "openssl", feature = "rust"))]
//! Cross-backend agreement for the one-shot AEADs, CMAC, Poly1305, and the hashes and HMACs of
//! backends beyond the first two (ring): every backend that serves a request must compute the
//! same bytes as every other, decrypt the others' output, and reject the same forgeries.
//!
//! Nothing here is a hard-coded expected output; each backend is the others' independent
//! implementation. What is compared is derived from the backends' support listings at run
//! time. [`CASES`] proptest cases per construction/key size (more with `PROPTEST_CASES`).

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::hashes::{algorithm_by_name, Hash};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
use pluggable_crypto::{Error, Result};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const CASES: u32 = 256;

#[path = "support/proptest_config.rs"]
mod proptest_config;

fn config() -> Config {
    proptest_config::config(CASES)
}

fn run<S>(
    label: &str,
    strategy: S,
    test: impl Fn(S::Value) -> std::result::Result<(), TestCaseError>,
) -> Option<String>
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config());
    runner
        .run(&strategy, test)
        .err()
        .map(|e| format!("{label}: {e}"))
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// One-shot AEADs.
// ---------------------------------------------------------------------------------------------

/// A keyed construction; AES-SIV takes the nonce as its last AAD component.
enum Keyed {
    Gcm(AesGcm),
    ChaCha(ChaCha20Poly1305),
    Ccm(AesCcm),
    Ocb(AesOcb3),
    Siv(AesSiv),
    GcmSiv(AesGcmSiv),
}

impl Keyed {
    fn new(
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_len: usize,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Ok(match algorithm {
            AeadAlgorithm::AesGcm => Keyed::Gcm(AesGcm::with_backend(key, backend)?),
            AeadAlgorithm::ChaCha20Poly1305 => {
                Keyed::ChaCha(ChaCha20Poly1305::with_backend(key, backend)?)
            }
            AeadAlgorithm::AesCcm => Keyed::Ccm(AesCcm::with_backend(key, tag_len, backend)?),
            AeadAlgorithm::AesOcb3 => Keyed::Ocb(AesOcb3::with_backend(key, backend)?),
            AeadAlgorithm::AesSiv => Keyed::Siv(AesSiv::with_backend(key, backend)?),
            AeadAlgorithm::AesGcmSiv => Keyed::GcmSiv(AesGcmSiv::with_backend(key, backend)?),
            other => panic!("agreement: add {other:?} to Keyed"),
        })
    }

    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        match self {
            Keyed::Gcm(a) => a.encrypt(nonce, data, aad),
            Keyed::ChaCha(a) => a.encrypt(nonce, data, aad),
            Keyed::Ccm(a) => a.encrypt(nonce, data, aad),
            Keyed::Ocb(a) => a.encrypt(nonce, data, aad),
            Keyed::Siv(a) => a.encrypt(data, &[aad, nonce]),
            Keyed::GcmSiv(a) => a.encrypt(nonce, data, aad),
        }
    }

    fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        match self {
            Keyed::Gcm(a) => a.decrypt(nonce, data, aad),
            Keyed::ChaCha(a) => a.decrypt(nonce, data, aad),
            Keyed::Ccm(a) => a.decrypt(nonce, data, aad),
            Keyed::Ocb(a) => a.decrypt(nonce, data, aad),
            Keyed::Siv(a) => a.decrypt(data, &[aad, nonce]),
            Keyed::GcmSiv(a) => a.decrypt(nonce, data, aad),
        }
    }
}

/// The nonce lengths each construction accepts.
fn nonce_lengths(algorithm: AeadAlgorithm) -> std::ops::RangeInclusive<usize> {
    match algorithm {
        AeadAlgorithm::AesGcm => 8..=128,
        AeadAlgorithm::AesCcm => 7..=13,
        AeadAlgorithm::AesOcb3 => 12..=15,
        AeadAlgorithm::AesSiv => 0..=32,
        _ => 12..=12,
    }
}

#[derive(Debug, Clone)]
struct AeadCase {
    key: Vec<u8>,
    nonce: Vec<u8>,
    aad: Vec<u8>,
    msg: Vec<u8>,
    tag_len: usize,
    flip: Index,
}

fn aead_case(algorithm: AeadAlgorithm, key_len: usize) -> impl Strategy<Value = AeadCase> {
    let nonces = nonce_lengths(algorithm);
    let (lo, hi) = (*nonces.start(), *nonces.end());
    let nonce = prop_oneof![3 => Just(12usize.clamp(lo, hi)), 1 => lo..=hi]
        .prop_flat_map(|n| vec(any::<u8>(), n));
    let min_msg = usize::from(algorithm == AeadAlgorithm::AesSiv);
    let tag_len = if algorithm == AeadAlgorithm::AesCcm {
        (2usize..=8).prop_map(|t| 2 * t).boxed()
    } else {
        Just(16usize).boxed()
    };
    (
        vec(any::<u8>(), key_len),
        nonce,
        vec(any::<u8>(), 0..48),
        vec(any::<u8>(), min_msg..300),
        tag_len,
        any::<Index>(),
    )
        .prop_map(|(key, nonce, aad, msg, tag_len, flip)| AeadCase {
            key,
            nonce,
            aad,
            msg,
            tag_len,
            flip,
        })
}

fn check_aead(
    backends: &[Arc<dyn Backend>],
    algorithm: AeadAlgorithm,
    case: AeadCase,
) -> std::result::Result<(), TestCaseError> {
    // Each backend's output, where it serves this message (ring: 12-byte GCM nonces only).
    let mut sealed: Vec<(String, Keyed, Vec<u8>)> = Vec::new();
    for backend in backends {
        if !backend.aead_supported(algorithm, case.key.len(), case.tag_len) {
            continue;
        }
        let keyed =
            Keyed::new(algorithm, &case.key, case.tag_len, backend.clone()).map_err(|e| {
                TestCaseError::fail(format!("{}: keying failed: {e:?}", backend.name()))
            })?;
        match keyed.encrypt(&case.nonce, &case.msg, &case.aad) {
            Ok(out) => sealed.push((backend.name().to_owned(), keyed, out)),
            Err(e) if e.is_unsupported() => continue,
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "{}: encrypt: {e:?}",
                    backend.name()
                )))
            }
        }
    }
    let Some((first_name, _, first)) = sealed.first() else {
        return Ok(());
    };
    prop_assert_eq!(first.len(), case.msg.len() + case.tag_len);
    for (name, keyed, out) in &sealed {
        prop_assert_eq!(out, first, "{} and {} differ", name, first_name);
        // Decrypt every other backend's output.
        for (other, _, theirs) in &sealed {
            let pt = keyed
                .decrypt(&case.nonce, theirs, &case.aad)
                .map_err(|e| TestCaseError::fail(format!("{name} decrypting {other}'s: {e:?}")))?;
            prop_assert_eq!(&pt, &case.msg);
        }
        // One flipped bit anywhere in the output. A correct implementation accepts a flipped
        // ciphertext bit by chance once in 2^(8 * tag_len): with CCM's 4-byte tags (about 110
        // cases a run) a run would fail about once in 2^25. With a tag under 8 bytes the bit
        // is flipped in the tag itself (CCM's comes last), which is rejected every time.
        let mut forged = out.clone();
        let (first_bit, bits) = if case.tag_len < 8 {
            ((forged.len() - case.tag_len) * 8, case.tag_len * 8)
        } else {
            (0, forged.len() * 8)
        };
        let bit = first_bit + case.flip.index(bits);
        forged[bit / 8] ^= 1 << (bit % 8);
        let got = keyed.decrypt(&case.nonce, &forged, &case.aad);
        prop_assert_eq!(
            got,
            Err(Error::InvalidTag),
            "{} accepted a flipped bit",
            name
        );
    }
    Ok(())
}

#[test]
fn one_shot_aeads_agree() {
    let backends = available_backends();
    let mut failures = Vec::new();
    let mut compared = Vec::new();
    for algorithm in AeadAlgorithm::ALL {
        for &key_len in algorithm.key_sizes() {
            let serving: Vec<&str> = backends
                .iter()
                .filter(|b| b.aead_supported(algorithm, key_len, 16))
                .map(|b| b.name())
                .collect();
            if serving.len() < 2 {
                continue;
            }
            compared.push(format!(
                "{}-{} ({})",
                algorithm.name(),
                key_len * 8,
                serving.join("/")
            ));
            let label = format!("{}-{}", algorithm.name(), key_len * 8);
            failures.extend(run(&label, aead_case(algorithm, key_len), |case| {
                check_aead(&backends, algorithm, case)
            }));
        }
    }
    eprintln!(
        "agreement: {} AEAD key sizes: {}",
        compared.len(),
        compared.join(", ")
    );
    assert!(
        compared.len() >= 13,
        "too few AEAD constructions served by two or more backends: {compared:?}"
    );
    report(failures);
}

// ---------------------------------------------------------------------------------------------
// CMAC and Poly1305.
// ---------------------------------------------------------------------------------------------

/// The block cipher of a backend-listed CMAC name.
fn cmac_algorithm(name: &str, key: &[u8]) -> Result<Arc<dyn CipherAlgorithm>> {
    algorithms::by_name(name, key, None)
}

#[test]
fn cmacs_agree() {
    let backends = available_backends();
    let mut failures = Vec::new();
    let mut compared = Vec::new();
    let mut listed: Vec<(String, usize)> = backends
        .iter()
        .flat_map(|b| b.supported_cmacs())
        .flat_map(|s| {
            s.key_sizes
                .into_iter()
                .map(move |k| (s.algorithm.clone(), k))
        })
        .collect();
    listed.sort();
    listed.dedup();
    for (name, key_bits) in listed {
        let probe = cmac_algorithm(&name, &vec![0x5c; key_bits / 8]).unwrap();
        let serving: Vec<Arc<dyn Backend>> = backends
            .iter()
            .filter(|b| b.cmac_algorithm_supported(&*probe))
            .cloned()
            .collect();
        if serving.len() < 2 {
            continue;
        }
        compared.push(format!("{name}-{key_bits}"));
        let strategy = (
            vec(any::<u8>(), key_bits / 8),
            vec(any::<u8>(), 0..200),
            0usize..200,
        );
        failures.extend(run(
            &format!("CMAC {name}-{key_bits}"),
            strategy,
            |(key, msg, split)| {
                let split = split.min(msg.len());
                let mut tags = Vec::new();
                for backend in &serving {
                    let algorithm = cmac_algorithm(&name, &key)
                        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                    let mut mac = Cmac::from_shared(algorithm, backend.clone())
                        .map_err(|e| TestCaseError::fail(format!("{}: {e:?}", backend.name())))?;
                    mac.update(&msg[..split]).unwrap();
                    mac.update(&msg[split..]).unwrap();
                    tags.push((backend.name().to_owned(), mac.finalize().unwrap()));
                }
                for (name, tag) in &tags {
                    prop_assert_eq!(tag, &tags[0].1, "{} and {} differ", name, tags[0].0);
                }
                Ok(())
            },
        ));
    }
    eprintln!("agreement: CMAC over {}", compared.join(", "));
    assert!(
        compared.len() >= 5,
        "too few CMAC ciphers in common: {compared:?}"
    );
    report(failures);
}

#[test]
fn poly1305_agrees() {
    let serving: Vec<Arc<dyn Backend>> = available_backends()
        .into_iter()
        .filter(|b| b.poly1305_supported())
        .collect();
    assert!(serving.len() >= 2, "Poly1305 needs two backends to compare");
    let strategy = (vec(any::<u8>(), 32), vec(any::<u8>(), 0..300), 0usize..300);
    let failure = run("Poly1305", strategy, |(key, msg, split)| {
        let split = split.min(msg.len());
        let mut tags = Vec::new();
        for backend in &serving {
            let mut mac = Poly1305::with_backend(&key, backend.clone()).unwrap();
            mac.update(&msg[..split]).unwrap();
            mac.update(&msg[split..]).unwrap();
            tags.push(mac.finalize().unwrap());
        }
        for tag in &tags {
            prop_assert_eq!(tag, &tags[0]);
        }
        Ok(())
    });
    report(failure.into_iter().collect());
}

// ---------------------------------------------------------------------------------------------
// Hashes and HMACs of every backend (the two-backend suite covers OpenSSL against Rust).
// ---------------------------------------------------------------------------------------------

#[test]
fn hashes_and_hmacs_of_every_backend_agree() {
    let backends = available_backends();
    let mut failures = Vec::new();
    let mut names: Vec<String> = backends.iter().flat_map(|b| b.supported_hashes()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let Ok(algorithm) = algorithm_by_name(&name, Some(32)) else {
            continue;
        };
        let hashing: Vec<_> = backends
            .iter()
            .filter(|b| b.hash_supported(&*algorithm))
            .cloned()
            .collect();
        let macing: Vec<_> = backends
            .iter()
            .filter(|b| b.hmac_supported(&*algorithm))
            .cloned()
            .collect();
        let strategy = (
            vec(any::<u8>(), 0..200),
            vec(any::<u8>(), 0..300),
            0usize..300,
        );
        failures.extend(run(
            &format!("hash/HMAC {name}"),
            strategy,
            |(key, msg, split)| {
                let split = split.min(msg.len());
                let mut digests = Vec::new();
                for backend in &hashing {
                    let mut h = Hash::from_shared(algorithm.clone(), backend.clone()).unwrap();
                    h.update(&msg[..split]).unwrap();
                    h.update(&msg[split..]).unwrap();
                    digests.push(h.finalize().unwrap());
                }
                for d in &digests {
                    prop_assert_eq!(d, &digests[0]);
                }
                let mut macs = Vec::new();
                for backend in &macing {
                    let mut m =
                        Hmac::from_shared(&key, algorithm.clone(), backend.clone()).unwrap();
                    m.update(&msg[..split]).unwrap();
                    m.update(&msg[split..]).unwrap();
                    macs.push(m.finalize().unwrap());
                }
                for m in &macs {
                    prop_assert_eq!(m, &macs[0]);
                }
                Ok(())
            },
        ));
    }
    report(failures);
}
