//! RSA known-answer vectors (cryptography-vectors 50.0.2 `asymmetric/RSA/`) on every backend:
//! FIPS 186-2/186-3 SigGen and SigVer (PKCS #1 v1.5 and PSS), the PKCS #1 v2.1 OAEP and PSS
//! examples, and pyca's OAEP vectors with SHA-2 hashes. A backend that lacks a key size, hash
//! or padding must refuse with `UnsupportedAlgorithm` (counted as skipped); the Rust backend
//! must pass every case. Counts per family per backend are printed, and each file's case count
//! is checked against `vectors/COUNTS`.

use std::collections::BTreeMap;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    Mgf1, Oaep, Pkcs1v15, Pss, PssSaltLength, SignaturePadding,
};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
    RsaPrivateKey, RsaPrivateNumbers, RsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::utils::SignatureHash;
use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
use pluggable_crypto::hazmat::primitives::hashes::{Sha1, Sha224, Sha256, Sha384, Sha512};
use pluggable_crypto::Error;

#[path = "support/rsa.rs"]
mod support;

/// Runs `$body` with `$H()` making the hash named `$name` (`SHA1`, `sha224`, ...).
macro_rules! with_hash {
    ($name:expr, $H:ident => $body:expr) => {
        match $name.to_ascii_lowercase().replace('-', "").as_str() {
            "sha1" => {
                let $H = || Sha1;
                $body
            }
            "sha224" => {
                let $H = || Sha224;
                $body
            }
            "sha256" => {
                let $H = || Sha256;
                $body
            }
            "sha384" => {
                let $H = || Sha384;
                $body
            }
            "sha512" => {
                let $H = || Sha512;
                $body
            }
            other => panic!("unknown hash {other}"),
        }
    };
}

fn signature_hash(name: &str) -> SignatureHash {
    with_hash!(name, h => h().into())
}

fn pss(name: &str, salt: PssSaltLength) -> SignaturePadding {
    with_hash!(name, h => Pss::new(Mgf1::new(h()), salt).into())
}

fn oaep(hash: &str, mgf1: &str) -> Oaep {
    with_hash!(hash, h => with_hash!(mgf1, m => Oaep::new(Mgf1::new(m()), h(), None)))
}

#[derive(Default)]
struct Tally {
    counts: BTreeMap<(String, String), (usize, usize)>,
    failures: Vec<String>,
}

/// What a backend did with a case.
enum Outcome {
    Passed,
    Skipped,
}

impl Tally {
    fn record(&mut self, family: &str, backend: &str, what: &str, r: Result<Outcome, String>) {
        let entry = self
            .counts
            .entry((family.to_owned(), backend.to_owned()))
            .or_default();
        match r {
            Ok(Outcome::Passed) => entry.0 += 1,
            Ok(Outcome::Skipped) => entry.1 += 1,
            Err(e) => self
                .failures
                .push(format!("{family} on {backend}, {what}: {e}")),
        }
    }
}

/// Unsupported is a skip; anything else is the caller's to judge.
fn skip_unsupported<T>(r: Result<T, Error>) -> Result<Result<T, Error>, Outcome> {
    match r {
        Err(e) if e.is_unsupported() => Err(Outcome::Skipped),
        other => Ok(other),
    }
}

fn check_count(path: &str, n: usize) {
    assert_eq!(
        Some(n),
        test_vectors::expected_case_count(path),
        "{path}: case count differs from vectors/COUNTS"
    );
}

const FIPS: &str = "asymmetric/RSA/FIPS_186-2";

/// Verifies `s` over `msg` with the key (n, e) on `backend`, expecting `valid`.
fn verify_case(
    backend: &Arc<dyn Backend>,
    (n, e): (&[u8], &[u8]),
    msg: &[u8],
    s: &[u8],
    padding: SignaturePadding,
    hash: &str,
    valid: bool,
) -> Result<Outcome, String> {
    let numbers = RsaPublicNumbers::new(BigUint::from_be_bytes(e), BigUint::from_be_bytes(n));
    if !backend.rsa_supported(numbers.n.bits()) {
        return Ok(Outcome::Skipped);
    }
    let key = match skip_unsupported(numbers.public_key_with_backend(backend.clone())) {
        Err(skip) => return Ok(skip),
        Ok(Ok(key)) => key,
        Ok(Err(Error::KeyRejected(_))) if !valid => return Ok(Outcome::Passed),
        Ok(Err(e)) => return Err(format!("loading the key: {e}")),
    };
    match skip_unsupported(key.verify(s, msg, padding, signature_hash(hash))) {
        Err(skip) => Ok(skip),
        Ok(Ok(())) if valid => Ok(Outcome::Passed),
        Ok(Err(Error::InvalidSignature)) if !valid => Ok(Outcome::Passed),
        Ok(other) => Err(format!("expected valid={valid}, got {other:?}")),
    }
}

fn sigver(tally: &mut Tally, file: &str, family: &str, is_pss: bool) {
    let path = format!("{FIPS}/{file}");
    let mut n = Vec::new();
    let mut count = 0;
    for case in test_vectors::load(&path).unwrap() {
        if !case.has("SHAAlg") {
            if case.has("n") {
                n = case.hex("n").unwrap();
            } else {
                case.ignore("p");
                case.ignore("q");
            }
            case.finish().unwrap();
            continue;
        }
        let hash = case.str("SHAAlg").unwrap().to_owned();
        let e = case.hex("e").unwrap();
        case.ignore("d");
        let msg = case.hex("Msg").unwrap();
        let s = case.hex("S").unwrap();
        let salt = case.hex("SaltVal").unwrap();
        let valid = case.str("Result").unwrap().starts_with('P');
        // The malformed encoded message a failing case was built from ("EM with hash moved",
        // "EM with trailer wrong", ...): informative only.
        let em: Vec<String> = case
            .names()
            .filter(|n| n.starts_with("EM "))
            .map(str::to_owned)
            .collect();
        for name in &em {
            case.ignore(name);
        }
        let line = case.line();
        case.finish().unwrap();
        count += 1;
        for (name, backend) in support::backends() {
            let padding = if is_pss {
                pss(&hash, PssSaltLength::Exact(salt.len()))
            } else {
                Pkcs1v15.into()
            };
            let r = verify_case(&backend, (&n, &e), &msg, &s, padding, &hash, valid);
            tally.record(family, &name, &format!("{path}:{line}"), r);
        }
    }
    check_count(&path, count);
}

fn siggen_rsp(tally: &mut Tally, file: &str, family: &str, is_pss: bool) {
    let path = format!("{FIPS}/{file}");
    let (mut n, mut e) = (Vec::new(), Vec::new());
    let mut count = 0;
    for case in test_vectors::load(&path).unwrap() {
        if !case.has("SHAAlg") {
            n = case.hex("n").unwrap();
            e = case.hex("e").unwrap();
            case.finish().unwrap();
            continue;
        }
        let hash = case.str("SHAAlg").unwrap().to_owned();
        let msg = case.hex("Msg").unwrap();
        let s = case.hex("S").unwrap();
        let line = case.line();
        case.finish().unwrap();
        count += 1;
        for (name, backend) in support::backends() {
            let padding = if is_pss {
                pss(&hash, PssSaltLength::Auto)
            } else {
                Pkcs1v15.into()
            };
            let r = verify_case(&backend, (&n, &e), &msg, &s, padding, &hash, true);
            tally.record(family, &name, &format!("{path}:{line}"), r);
        }
    }
    check_count(&path, count);
}

/// The keys of `numbers` per backend: `None` where the backend does not serve them.
fn keys_per_backend(numbers: &RsaPrivateNumbers) -> Vec<(String, Option<RsaPrivateKey>)> {
    support::backends()
        .into_iter()
        .map(|(name, backend)| {
            let key = if backend.rsa_supported(numbers.public_numbers.n.bits()) {
                match numbers.private_key_with_backend(backend) {
                    Ok(key) => Some(key),
                    Err(e) if e.is_unsupported() => None,
                    Err(e) => panic!("{name} loads a vector key: {e}"),
                }
            } else {
                None
            };
            (name, key)
        })
        .collect()
}

/// SigGen with d (the 186-2 `.txt` files): PKCS #1 v1.5 signatures must equal the vector's;
/// PSS signatures (random salt) must verify, and the vector's must verify.
fn siggen_txt(tally: &mut Tally, file: &str, family: &str, is_pss: bool) {
    let path = format!("{FIPS}/{file}");
    let mut n = Vec::new();
    let mut keys = Vec::new();
    let mut count = 0;
    for case in test_vectors::load(&path).unwrap() {
        if !case.has("SHAAlg") {
            if case.has("d") {
                let e = case.hex("e").unwrap();
                let d = case.hex("d").unwrap();
                keys = keys_per_backend(&support::numbers_from_ned(&n, &e, &d));
            } else {
                n = case.hex("n").unwrap();
            }
            case.finish().unwrap();
            continue;
        }
        let hash = case.str("SHAAlg").unwrap().to_owned();
        let msg = case.hex("Msg").unwrap();
        let s = case.hex("S").unwrap();
        let salt = if is_pss {
            Some(case.hex("SaltVal").unwrap())
        } else {
            None
        };
        let line = case.line();
        case.finish().unwrap();
        count += 1;
        for (name, key) in &keys {
            let r = (|| {
                let Some(key) = key else {
                    return Ok(Outcome::Skipped);
                };
                let padding = || match &salt {
                    Some(salt) => pss(&hash, PssSaltLength::Exact(salt.len())),
                    None => Pkcs1v15.into(),
                };
                let public = key.public_key().map_err(|e| e.to_string())?;
                let signed =
                    match skip_unsupported(key.sign(&msg, padding(), signature_hash(&hash))) {
                        Err(skip) => return Ok(skip),
                        Ok(r) => r.map_err(|e| format!("signing: {e}"))?,
                    };
                if salt.is_none() && signed != s {
                    return Err("the PKCS #1 v1.5 signature differs from the vector's".into());
                }
                for sig in [&signed, &s] {
                    match skip_unsupported(public.verify(
                        sig,
                        &msg,
                        padding(),
                        signature_hash(&hash),
                    )) {
                        Err(skip) => return Ok(skip),
                        Ok(r) => r.map_err(|e| format!("verifying: {e}"))?,
                    }
                }
                Ok(Outcome::Passed)
            })();
            tally.record(family, name, &format!("{path}:{line}"), r);
        }
    }
    check_count(&path, count);
}

fn pkcs1_numbers(key: &test_vectors::Pkcs1Key) -> RsaPrivateNumbers {
    let b = |x: &[u8]| BigUint::from_be_bytes(x);
    RsaPrivateNumbers::new(
        b(&key.p),
        b(&key.q),
        b(&key.d),
        b(&key.dmp1),
        b(&key.dmq1),
        b(&key.iqmp),
        RsaPublicNumbers::new(b(&key.e), b(&key.n)),
    )
}

/// OAEP examples: the vector's ciphertext decrypts to its message, and our encryption of the
/// message decrypts back. `hashes` gives (label hash, MGF1 hash) from the example's title.
fn oaep_file(
    tally: &mut Tally,
    path: &str,
    family: &str,
    hashes: impl Fn(&str) -> (String, String),
) {
    let mut count = 0;
    for key in test_vectors::load_pkcs1(path).unwrap() {
        let keys = keys_per_backend(&pkcs1_numbers(&key));
        for ex in &key.examples {
            count += 1;
            let (hash, mgf1) = hashes(&ex.title);
            for (name, k) in &keys {
                let r = (|| {
                    let Some(k) = k else {
                        return Ok(Outcome::Skipped);
                    };
                    let pt = match skip_unsupported(k.decrypt(&ex.output, oaep(&hash, &mgf1))) {
                        Err(skip) => return Ok(skip),
                        Ok(r) => r.map_err(|e| format!("decrypting: {e}"))?,
                    };
                    if pt != ex.message {
                        return Err("the plaintext differs from the vector's".to_owned());
                    }
                    let public = k.public_key().map_err(|e| e.to_string())?;
                    let ct = public
                        .encrypt(&ex.message, oaep(&hash, &mgf1))
                        .map_err(|e| format!("encrypting: {e}"))?;
                    match k.decrypt(&ct, oaep(&hash, &mgf1)) {
                        Ok(back) if back == ex.message => Ok(Outcome::Passed),
                        other => Err(format!("round trip: {other:?}")),
                    }
                })();
                tally.record(family, name, &format!("{path}:{}", ex.line), r);
            }
        }
    }
    check_count(path, count);
}

fn pss_vect(tally: &mut Tally) {
    let path = "asymmetric/RSA/pkcs-1v2-1d2-vec/pss-vect.txt";
    let family = "PKCS#1 v2.1 PSS";
    let mut count = 0;
    for key in test_vectors::load_pkcs1(path).unwrap() {
        let keys = keys_per_backend(&pkcs1_numbers(&key));
        for ex in &key.examples {
            count += 1;
            let salt = ex.seed.as_ref().map_or(0, Vec::len);
            let padding = || pss("sha1", PssSaltLength::Exact(salt));
            for (name, k) in &keys {
                let r = (|| {
                    let Some(k) = k else {
                        return Ok(Outcome::Skipped);
                    };
                    let public = k.public_key().map_err(|e| e.to_string())?;
                    match skip_unsupported(public.verify(&ex.output, &ex.message, padding(), Sha1))
                    {
                        Err(skip) => return Ok(skip),
                        Ok(r) => r.map_err(|e| format!("verifying the vector: {e}"))?,
                    }
                    let ours = k
                        .sign(&ex.message, padding(), Sha1)
                        .map_err(|e| format!("signing: {e}"))?;
                    public
                        .verify(&ours, &ex.message, padding(), Sha1)
                        .map_err(|e| format!("verifying ours: {e}"))?;
                    Ok(Outcome::Passed)
                })();
                tally.record(family, name, &format!("{path}:{}", ex.line), r);
            }
        }
    }
    check_count(path, count);
}

/// `OAEP Example 1 alg=sha224 mgf1=sha1` -> ("sha224", "sha1").
fn custom_hashes(title: &str) -> (String, String) {
    let value = |key: &str| {
        title
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in {title:?}"))
            .to_owned()
    };
    (value("alg="), value("mgf1="))
}

#[test]
fn rsa_vectors_on_every_backend() {
    let mut tally = Tally::default();
    sigver(
        &mut tally,
        "SigVer15_186-3.rsp",
        "SigVer PKCS#1 v1.5",
        false,
    );
    sigver(&mut tally, "SigVerPSS_186-3.rsp", "SigVer PSS", true);
    siggen_rsp(
        &mut tally,
        "SigGen15_186-3.rsp",
        "SigGen PKCS#1 v1.5",
        false,
    );
    siggen_rsp(&mut tally, "SigGenPSS_186-3.rsp", "SigGen PSS", true);
    siggen_txt(
        &mut tally,
        "SigGen15_186-2.txt",
        "SigGen PKCS#1 v1.5",
        false,
    );
    siggen_txt(&mut tally, "SigGenPSS_186-2.txt", "SigGen PSS", true);
    oaep_file(
        &mut tally,
        "asymmetric/RSA/pkcs-1v2-1d2-vec/oaep-vect.txt",
        "PKCS#1 v2.1 OAEP",
        |_| ("sha1".into(), "sha1".into()),
    );
    pss_vect(&mut tally);
    let custom: Vec<String> = test_vectors::committed_files()
        .into_iter()
        .filter(|f| f.starts_with("asymmetric/RSA/oaep-custom/"))
        .collect();
    assert_eq!(custom.len(), 24); // every SHA-1/SHA-2 pair but SHA-1/SHA-1 (oaep-vect.txt)
    for path in &custom {
        oaep_file(&mut tally, path, "OAEP custom (SHA-2)", custom_hashes);
    }

    for ((family, backend), (passed, skipped)) in &tally.counts {
        println!("RSA {family} on {backend}: {passed} passed, {skipped} skipped");
    }
    assert!(
        tally.failures.is_empty(),
        "{} failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    // The Rust backend serves every case: nothing may be skipped there.
    for ((family, backend), (passed, skipped)) in &tally.counts {
        if backend == "rust" {
            assert!(
                *passed > 0 && *skipped == 0,
                "{family} on rust: {passed} passed, {skipped} skipped"
            );
        }
    }
}
