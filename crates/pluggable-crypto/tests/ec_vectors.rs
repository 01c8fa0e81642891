//! ECDSA and ECDH known-answer vectors (from `cryptography-vectors` 50.0.2, see
//! `vectors/SOURCES.md`) on every backend built in, and on the default backend.
//!
//! - FIPS 186-3 `KeyPair.rsp`: the key derived from d has the listed point (via
//!   `derive_private_key`, or the private numbers where a backend cannot derive); each
//!   section has its `N` keys; a wrong y is refused as inconsistent.
//! - `PKV.rsp`: public-key validation, uncompressed and (valid ones) compressed.
//! - `SigGen.rsp`: each signature verifies (message and prehashed), and not for another
//!   message.
//! - `SigVer.rsp`: the verdict matches `Result`.
//! - OpenSSL's RFC 6979 file: deterministic signatures equal the listed ones exactly; the
//!   verification cases match their verdict.
//! - KAS ECC CDH (ZZ only) initiator and responder files, and RFC 7027's brainpool
//!   examples: both sides compute Z; invalid keys and a changed Z are refused.
//!
//! A backend without a curve (or hash, or operation) is skipped for it, after asserting that
//! its refusal is `UnsupportedAlgorithm`. Counts are printed per family, curve and backend.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePrivateKey, EllipticCurvePrivateNumbers,
    EllipticCurvePublicKey, EllipticCurvePublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::utils::{encode_dss_signature, Prehashed};
use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, EllipticCurve};
use pluggable_crypto::hazmat::primitives::hashes::{
    Hash, HashAlgorithm, Sha1, Sha224, Sha256, Sha384, Sha512,
};
use pluggable_crypto::{Error, Result};
use test_vectors::{load, load_evp, Case};

#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

type Tallies = Mutex<BTreeMap<(String, String, String), Tally>>;

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut out = available_backends();
    out.push(default_backend());
    out
}

fn label(backend: &Arc<dyn Backend>, index: usize, total: usize) -> String {
    if index + 1 == total {
        format!("default ({})", backend.name())
    } else {
        backend.name().to_string()
    }
}

/// The library's curve for a NIST name (`None` for P-192 and the binary curves).
fn nist_curve(name: &str) -> Option<EllipticCurve> {
    match name {
        "P-224" => Some(EllipticCurve::Secp224r1),
        "P-256" => Some(EllipticCurve::Secp256r1),
        "P-384" => Some(EllipticCurve::Secp384r1),
        "P-521" => Some(EllipticCurve::Secp521r1),
        _ => None,
    }
}

fn hash_by_name(name: &str) -> Option<Box<dyn Fn(bool, bool) -> Ecdsa>> {
    fn make<H: HashAlgorithm + Copy + 'static>(h: H) -> Box<dyn Fn(bool, bool) -> Ecdsa> {
        Box::new(
            move |deterministic, prehashed| match (deterministic, prehashed) {
                (false, false) => Ecdsa::new(h),
                (true, false) => Ecdsa::deterministic(h),
                (false, true) => Ecdsa::new(Prehashed(h)),
                (true, true) => Ecdsa::deterministic(Prehashed(h)),
            },
        )
    }
    Some(match name.replace('-', "").as_str() {
        "SHA1" => make(Sha1),
        "SHA224" => make(Sha224),
        "SHA256" => make(Sha256),
        "SHA384" => make(Sha384),
        "SHA512" => make(Sha512),
        _ => return None,
    })
}

fn digest(hash_name: &str, data: &[u8]) -> Vec<u8> {
    let mut h: Hash = match hash_name.replace('-', "").as_str() {
        "SHA1" => Hash::new(Sha1),
        "SHA224" => Hash::new(Sha224),
        "SHA256" => Hash::new(Sha256),
        "SHA384" => Hash::new(Sha384),
        _ => Hash::new(Sha512),
    }
    .expect("hash");
    h.update(data).expect("update");
    h.finalize().expect("finalize")
}

fn num(case: &Case, name: &str) -> std::result::Result<BigUint, String> {
    let text = case.str(name).map_err(|e| e.to_string())?;
    BigUint::from_hex(text).map_err(|e| format!("{name}: {e}"))
}

/// Records `result` (Ok(true) passed, Ok(false) skipped) under (family, curve, backend).
fn record(
    tallies: &Tallies,
    family: &str,
    curve: &str,
    backend: &str,
    result: std::result::Result<bool, String>,
) {
    let mut all = tallies.lock().unwrap_or_else(|p| p.into_inner());
    let t = all
        .entry((family.to_string(), curve.to_string(), backend.to_string()))
        .or_default();
    match result {
        Ok(true) => t.passed += 1,
        Ok(false) => t.skipped += 1,
        Err(e) => t.failures.push(e),
    }
}

/// `Ok(false)` (skip) for an `UnsupportedAlgorithm` refusal, else the error as a failure.
fn skip_if_unsupported<T>(r: Result<T>) -> std::result::Result<std::result::Result<T, ()>, String> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(e) if e.is_unsupported() => Ok(Err(())),
        Err(e) => Err(format!("unexpected error {e:?}")),
    }
}

/// Asserts that a backend without `curve` refuses it as unsupported.
fn curve_refused(
    backend: &Arc<dyn Backend>,
    curve: EllipticCurve,
) -> std::result::Result<bool, String> {
    match ec::generate_private_key_with_backend(curve, backend.clone()) {
        Err(e) if e.is_unsupported() => Ok(false),
        other => Err(format!(
            "{curve} not supported by {} but generation gave {other:?}",
            backend.name()
        )),
    }
}

fn public_key(
    x: &BigUint,
    y: &BigUint,
    curve: EllipticCurve,
    backend: &Arc<dyn Backend>,
) -> Result<EllipticCurvePublicKey> {
    EllipticCurvePublicNumbers::new(x.clone(), y.clone(), curve)
        .public_key_with_backend(backend.clone())
}

fn private_key(
    d: &BigUint,
    x: &BigUint,
    y: &BigUint,
    curve: EllipticCurve,
    backend: &Arc<dyn Backend>,
) -> Result<EllipticCurvePrivateKey> {
    EllipticCurvePrivateNumbers::new(
        d.clone(),
        EllipticCurvePublicNumbers::new(x.clone(), y.clone(), curve),
    )
    .private_key_with_backend(backend.clone())
}

fn print_and_check(title: &str, tallies: Tallies) {
    let all = tallies.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut failures = Vec::new();
    for ((family, curve, backend), t) in &all {
        println!(
            "{family} {curve} on {backend}: {} passed, {} skipped",
            t.passed, t.skipped
        );
        for f in t.failures.iter().take(5) {
            failures.push(format!("{family} {curve} on {backend}: {f}"));
        }
        if t.failures.len() > 5 {
            failures.push(format!("... and {} more", t.failures.len() - 5));
        }
    }
    let passed: usize = all.values().map(|t| t.passed).sum();
    assert!(passed > 0, "{title}: nothing passed");
    assert!(failures.is_empty(), "{title}:\n{}", failures.join("\n"));
}

fn check_count(path: &str, cases: &[Case]) {
    assert_eq!(
        Some(cases.len()),
        test_vectors::expected_case_count(path),
        "{path}: case count differs from vectors/COUNTS"
    );
}

#[test]
fn fips_186_3_keypair() {
    let path = "asymmetric/ECDSA/FIPS_186-3/KeyPair.rsp";
    let cases = load(path).expect("vectors");
    check_count(path, &cases);
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        // Count the keys of each section against its N.
        let mut expected: Option<(String, usize, usize)> = None;
        let close = |expected: &mut Option<(String, usize, usize)>| {
            if let Some((section, n, seen)) = expected.take() {
                let r = if n == seen {
                    Ok(true)
                } else {
                    Err(format!("[{section}] N = {n}, {seen} keys"))
                };
                record(&tallies, "ECDSA KeyPair N", &section, &name, r);
            }
        };
        for case in &cases {
            let section = case
                .sections()
                .next()
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            if case.has("N") {
                close(&mut expected);
                let n = case.usize("N").expect("N");
                expected = Some((section.clone(), n, 0));
                case.clone().finish().expect("finish");
                continue;
            }
            if let Some((_, _, seen)) = expected.as_mut() {
                *seen += 1;
            }
            let d = num(case, "d");
            let x = num(case, "Qx");
            let y = num(case, "Qy");
            case.clone().finish().expect("finish");
            let Some(curve) = nist_curve(&section) else {
                record(
                    &tallies,
                    "ECDSA KeyPair (curve not in the library)",
                    &section,
                    &name,
                    Ok(false),
                );
                continue;
            };
            let r = (|| -> std::result::Result<bool, String> {
                let (d, x, y) = (d?, x?, y?);
                if !backend.elliptic_curve_supported(curve) {
                    return curve_refused(backend, curve);
                }
                let want = EllipticCurvePublicNumbers::new(x.clone(), y.clone(), curve);
                // Derive where the backend can; else build from the numbers (which checks them).
                let key = match skip_if_unsupported(ec::derive_private_key_with_backend(
                    &d,
                    curve,
                    backend.clone(),
                ))? {
                    Ok(key) => key,
                    Err(()) => {
                        private_key(&d, &x, &y, curve, backend).map_err(|e| format!("{e:?}"))?
                    }
                };
                let numbers = key.private_numbers().map_err(|e| format!("{e:?}"))?;
                if numbers.public_numbers != want || numbers.private_value != d {
                    return Err(format!("line {}: wrong point", case.line()));
                }
                // A wrong y is inconsistent with d.
                let wrong = BigUint::from_be_bytes(&[1]);
                match private_key(&d, &x, &wrong, curve, backend) {
                    Err(Error::KeyRejected(_)) => Ok(true),
                    other => Err(format!("line {}: wrong y accepted: {other:?}", case.line())),
                }
            })();
            record(&tallies, "ECDSA KeyPair", curve.name(), &name, r);
        }
        close(&mut expected);
    }
    print_and_check("KeyPair", tallies);
}

/// `02/03 ‖ x` for a point.
fn compressed(x: &BigUint, y: &BigUint, curve: EllipticCurve) -> Option<Vec<u8>> {
    let mut out = vec![if y.is_odd() { 3 } else { 2 }];
    out.extend(x.to_be_bytes_padded(curve.field_bytes())?);
    Some(out)
}

#[test]
fn fips_186_3_pkv() {
    let path = "asymmetric/ECDSA/FIPS_186-3/PKV.rsp";
    let cases = load(path).expect("vectors");
    check_count(path, &cases);
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        for case in &cases {
            let section = case
                .sections()
                .next()
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            let x = num(case, "Qx");
            let y = num(case, "Qy");
            let pass = case.str("Result").map(|r| r.starts_with('P'));
            case.clone().finish().expect("finish");
            let Some(curve) = nist_curve(&section) else {
                record(
                    &tallies,
                    "ECDSA PKV (curve not in the library)",
                    &section,
                    &name,
                    Ok(false),
                );
                continue;
            };
            let r = (|| -> std::result::Result<bool, String> {
                let (x, y, pass) = (x?, y?, pass.map_err(|e| e.to_string())?);
                if !backend.elliptic_curve_supported(curve) {
                    return curve_refused(backend, curve);
                }
                match (public_key(&x, &y, curve, backend), pass) {
                    (Ok(key), true) => {
                        let point = compressed(&x, &y, curve).ok_or("wide x")?;
                        let again = EllipticCurvePublicKey::from_encoded_point_with_backend(
                            curve,
                            &point,
                            backend.clone(),
                        )
                        .map_err(|e| {
                            format!("line {}: compressed point refused: {e:?}", case.line())
                        })?;
                        if again.public_numbers().map_err(|e| e.to_string())?
                            != key.public_numbers().map_err(|e| e.to_string())?
                        {
                            return Err(format!(
                                "line {}: compressed point decoded differently",
                                case.line()
                            ));
                        }
                        Ok(true)
                    }
                    (Err(Error::KeyRejected(_)), false) => Ok(true),
                    (other, _) => Err(format!(
                        "line {}: expected pass = {pass}, got {other:?}",
                        case.line()
                    )),
                }
            })();
            record(&tallies, "ECDSA PKV", curve.name(), &name, r);
        }
    }
    print_and_check("PKV", tallies);
}

fn curve_and_hash(case: &Case) -> (String, Option<EllipticCurve>, String) {
    let section = case
        .sections()
        .next()
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    let (curve, hash) = section.split_once(',').unwrap_or((&section, ""));
    (section.clone(), nist_curve(curve), hash.to_string())
}

/// Verifies (r, s) over `msg`: `Ok(Some(verdict))`, or `Ok(None)` when the backend does not
/// serve the hash (after checking that it says so with `UnsupportedAlgorithm`).
fn verdict(
    key: &EllipticCurvePublicKey,
    der: &[u8],
    data: &[u8],
    algorithm: &Ecdsa,
) -> std::result::Result<Option<bool>, String> {
    match key.verify(der, data, algorithm) {
        Ok(()) => Ok(Some(true)),
        Err(Error::InvalidSignature) => Ok(Some(false)),
        Err(e) if e.is_unsupported() => Ok(None),
        Err(e) => Err(format!("unexpected error {e:?}")),
    }
}

#[test]
fn fips_186_3_siggen_verifies() {
    let path = "asymmetric/ECDSA/FIPS_186-3/SigGen.rsp";
    let cases = load(path).expect("vectors");
    check_count(path, &cases);
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        for case in &cases {
            let (section, curve, hash) = curve_and_hash(case);
            let msg = case.hex("Msg");
            let (x, y, r, s) = (
                num(case, "Qx"),
                num(case, "Qy"),
                num(case, "R"),
                num(case, "S"),
            );
            case.clone().finish().expect("finish");
            let Some(curve) = curve else {
                record(
                    &tallies,
                    "ECDSA SigGen (curve not in the library)",
                    &section,
                    &name,
                    Ok(false),
                );
                continue;
            };
            let mk = hash_by_name(&hash).expect("hash");
            let result = (|| -> std::result::Result<[bool; 2], String> {
                let (msg, x, y, r, s) = (msg.map_err(|e| e.to_string())?, x?, y?, r?, s?);
                if !backend.elliptic_curve_supported(curve) {
                    return curve_refused(backend, curve).map(|_| [false, false]);
                }
                let key = public_key(&x, &y, curve, backend).map_err(|e| format!("{e:?}"))?;
                let der = encode_dss_signature(&r, &s);
                let mut out = [false, false];
                for (slot, prehashed) in [(0, false), (1, true)] {
                    let data = if prehashed {
                        digest(&hash, &msg)
                    } else {
                        msg.clone()
                    };
                    match verdict(&key, &der, &data, &mk(false, prehashed))? {
                        None => {}
                        Some(true) => {
                            let mut other = data.clone();
                            other[0] ^= 1;
                            if verdict(&key, &der, &other, &mk(false, prehashed))? != Some(false) {
                                return Err(format!(
                                    "line {}: verifies another message",
                                    case.line()
                                ));
                            }
                            out[slot] = true;
                        }
                        Some(false) => {
                            return Err(format!(
                                "line {}: does not verify (prehashed {prehashed})",
                                case.line()
                            ))
                        }
                    }
                }
                Ok(out)
            })();
            let label = format!("{} {hash}", curve.name());
            match result {
                Ok([m, p]) => {
                    record(&tallies, "ECDSA SigGen", &label, &name, Ok(m));
                    record(&tallies, "ECDSA SigGen prehashed", &label, &name, Ok(p));
                }
                Err(e) => record(&tallies, "ECDSA SigGen", &label, &name, Err(e)),
            }
        }
    }
    print_and_check("SigGen", tallies);
}

#[test]
fn fips_186_3_sigver() {
    let path = "asymmetric/ECDSA/FIPS_186-3/SigVer.rsp";
    let cases = load(path).expect("vectors");
    check_count(path, &cases);
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        for case in &cases {
            let (section, curve, hash) = curve_and_hash(case);
            let msg = case.hex("Msg");
            let (x, y, r, s) = (
                num(case, "Qx"),
                num(case, "Qy"),
                num(case, "R"),
                num(case, "S"),
            );
            let expected = case.str("Result").map(|r| r.starts_with('P'));
            case.clone().finish().expect("finish");
            let Some(curve) = curve else {
                record(
                    &tallies,
                    "ECDSA SigVer (curve not in the library)",
                    &section,
                    &name,
                    Ok(false),
                );
                continue;
            };
            let mk = hash_by_name(&hash).expect("hash");
            let result = (|| -> std::result::Result<bool, String> {
                let (msg, x, y, r, s) = (msg.map_err(|e| e.to_string())?, x?, y?, r?, s?);
                let expected = expected.map_err(|e| e.to_string())?;
                if !backend.elliptic_curve_supported(curve) {
                    return curve_refused(backend, curve);
                }
                // "Q changed" may give a point off the curve: then the key itself is refused.
                let key = match public_key(&x, &y, curve, backend) {
                    Ok(key) => key,
                    Err(Error::KeyRejected(_)) if !expected => return Ok(true),
                    Err(e) => return Err(format!("line {}: {e:?}", case.line())),
                };
                let der = encode_dss_signature(&r, &s);
                match verdict(&key, &der, &msg, &mk(false, false))? {
                    None => Ok(false),
                    Some(v) if v == expected => Ok(true),
                    Some(v) => Err(format!(
                        "line {}: verdict {v}, expected {expected}",
                        case.line()
                    )),
                }
            })();
            record(
                &tallies,
                "ECDSA SigVer",
                &format!("{} {hash}", curve.name()),
                &name,
                result,
            );
        }
    }
    print_and_check("SigVer", tallies);
}

// ---------------------------------------------------------------------------------------------
// RFC 6979 (OpenSSL's evp test file)

/// The contents of each TLV in `input` (DER, definite lengths): (tag, content).
fn tlvs(mut input: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while input.len() >= 2 {
        let tag = input[0];
        let (len, header) = match input[1] {
            l if l < 0x80 => (l as usize, 2),
            0x81 => (input[2] as usize, 3),
            0x82 => (((input[2] as usize) << 8) | input[3] as usize, 4),
            _ => panic!("unsupported DER length"),
        };
        out.push((tag, &input[header..header + len]));
        input = &input[header + len..];
    }
    out
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    data_encoding::BASE64
        .decode(body.as_bytes())
        .expect("base64")
}

/// The private scalar of a PKCS#8 EC key.
fn pkcs8_scalar(der: &[u8]) -> BigUint {
    let info = tlvs(der)[0].1;
    let ec_private_key = tlvs(info)[2].1;
    let fields = tlvs(tlvs(ec_private_key)[0].1);
    BigUint::from_be_bytes(fields[1].1)
}

/// The point of a SubjectPublicKeyInfo.
fn spki_point(der: &[u8]) -> Vec<u8> {
    let spki = tlvs(der)[0].1;
    let bits = tlvs(spki)[1].1;
    bits[1..].to_vec()
}

#[test]
fn rfc6979_deterministic_signatures_are_exact() {
    let path = "asymmetric/ECDSA/RFC6979/evppkey_ecdsa_rfc6979.txt";
    let stanzas = load_evp(path).expect("vectors");
    let signs = stanzas.iter().filter(|s| s.kind() == "DigestSign").count();
    let verifies = stanzas
        .iter()
        .filter(|s| s.kind() == "DigestVerify")
        .count();
    // `grep -c` on the file.
    assert_eq!((signs, verifies), (150, 300));
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        let mut privates: BTreeMap<String, BigUint> = BTreeMap::new();
        let mut publics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for stanza in &stanzas {
            for key in ["Title", "Availablein", "FIPSversion", "PrivPubKeyPair"] {
                stanza.get_opt(key);
            }
            match stanza.kind() {
                "PrivateKey" => {
                    let key = stanza.get("PrivateKey").expect("name").to_string();
                    privates.insert(key, pkcs8_scalar(&pem_der(stanza.pem().expect("pem"))));
                }
                "PublicKey" => {
                    let key = stanza.get("PublicKey").expect("name").to_string();
                    publics.insert(key, spki_point(&pem_der(stanza.pem().expect("pem"))));
                }
                "DigestSign" | "DigestVerify" => {
                    let signing = stanza.kind() == "DigestSign";
                    let hash = stanza.get(stanza.kind()).expect("hash").to_string();
                    let key_name = stanza.get("Key").expect("key").to_string();
                    let input = stanza.bytes("Input").expect("input");
                    let output = stanza.bytes("Output").expect("output");
                    let nonce = stanza.get_opt("NonceType");
                    let expect_ok = stanza.get_opt("Result").is_none();
                    let curve_name = key_name.split('_').next().unwrap_or_default().to_string();
                    let Some(curve) = nist_curve(&curve_name) else {
                        record(
                            &tallies,
                            "ECDSA RFC 6979 (curve not in the library)",
                            &curve_name,
                            &name,
                            Ok(false),
                        );
                        stanza.finish().expect("finish");
                        continue;
                    };
                    let mk = hash_by_name(&hash).expect("hash");
                    let pub_name = key_name.replace("_PRIV", "_PUB");
                    let r = (|| -> std::result::Result<bool, String> {
                        if !backend.elliptic_curve_supported(curve) {
                            return curve_refused(backend, curve);
                        }
                        let point = publics.get(&pub_name).ok_or("no public key")?;
                        let public = EllipticCurvePublicKey::from_encoded_point_with_backend(
                            curve,
                            point,
                            backend.clone(),
                        )
                        .map_err(|e| format!("{e:?}"))?;
                        if signing {
                            assert_eq!(nonce, Some("deterministic"));
                            let numbers = public.public_numbers().map_err(|e| e.to_string())?;
                            let d = privates.get(&key_name).ok_or("no private key")?;
                            let key = EllipticCurvePrivateNumbers::new(d.clone(), numbers)
                                .private_key_with_backend(backend.clone())
                                .map_err(|e| format!("{e:?}"))?;
                            let Ok(signature) =
                                skip_if_unsupported(key.sign(&input, &mk(true, false)))?
                            else {
                                return Ok(false);
                            };
                            if signature != output {
                                return Err(format!("line {}: signature differs", stanza.line()));
                            }
                            // The same over the digest.
                            let digest = digest(&hash, &input);
                            if let Ok(again) =
                                skip_if_unsupported(key.sign(&digest, &mk(true, true)))?
                            {
                                if again != output {
                                    return Err(format!(
                                        "line {}: prehashed signature differs",
                                        stanza.line()
                                    ));
                                }
                            }
                            Ok(true)
                        } else {
                            match verdict(&public, &output, &input, &mk(false, false))? {
                                None => Ok(false),
                                Some(v) if v == expect_ok => Ok(true),
                                Some(v) => Err(format!("line {}: verdict {v}", stanza.line())),
                            }
                        }
                    })();
                    let family = if signing {
                        "ECDSA RFC 6979 sign"
                    } else {
                        "ECDSA RFC 6979 verify"
                    };
                    record(&tallies, family, curve.name(), &name, r);
                }
                _ => {}
            }
            stanza.finish().expect("finish");
        }
    }
    print_and_check("RFC 6979", tallies);
}

// ---------------------------------------------------------------------------------------------
// ECDH

fn kas_curve(section: &str) -> Option<EllipticCurve> {
    match section.get(..2)? {
        "EB" => Some(EllipticCurve::Secp224r1),
        "EC" => Some(EllipticCurve::Secp256r1),
        "ED" => Some(EllipticCurve::Secp384r1),
        "EE" => Some(EllipticCurve::Secp521r1),
        _ => None, // EA is P-192
    }
}

#[test]
fn kas_ecc_cdh_zz_only() {
    let tallies = Tallies::default();
    let all = backends();
    for role in ["init", "resp"] {
        let path =
            format!("asymmetric/ECDH/KASValidityTest_ECCStaticUnified_NOKC_ZZOnly_{role}.fax");
        let cases = load(&path).expect("vectors");
        check_count(&path, &cases);
        for (i, backend) in all.iter().enumerate() {
            let name = label(backend, i, all.len());
            for case in &cases {
                // The last section of the block names the parameter set, e.g. "EC - SHA256".
                let section = case
                    .sections()
                    .last()
                    .map(|(n, _)| n.to_string())
                    .unwrap_or_default();
                case.ignore("COUNT");
                case.ignore("CAVSHashZZ"); // a hash of Z, for the KDF tests
                let fields = [
                    "dsCAVS", "QsCAVSx", "QsCAVSy", "dsIUT", "QsIUTx", "QsIUTy", "Z",
                ]
                .map(|f| case.hex(f).map(|v| BigUint::from_be_bytes(&v)));
                let z_bytes = case.hex("Z");
                let result = case.str("Result").map(str::to_string);
                case.clone().finish().expect("finish");
                let Some(curve) = kas_curve(&section) else {
                    record(
                        &tallies,
                        "ECDH KAS (curve not in the library)",
                        &section,
                        &name,
                        Ok(false),
                    );
                    continue;
                };
                let r = (|| -> std::result::Result<bool, String> {
                    let [d_cavs, x_cavs, y_cavs, d_iut, x_iut, y_iut, _] =
                        fields.map(|f| f.map_err(|e| e.to_string()));
                    let (d_cavs, x_cavs, y_cavs, d_iut, x_iut, y_iut) =
                        (d_cavs?, x_cavs?, y_cavs?, d_iut?, x_iut?, y_iut?);
                    let z = z_bytes.map_err(|e| e.to_string())?;
                    let result = result.map_err(|e| e.to_string())?;
                    if !backend.elliptic_curve_supported(curve) {
                        return curve_refused(backend, curve);
                    }
                    if !backend.elliptic_curve_exchange_supported(curve) {
                        return Ok(false);
                    }
                    let pass = result.starts_with('P');
                    // The error number: "F (8 - Z changed )".
                    let errno: u32 = result
                        .split(['(', ' '])
                        .filter_map(|w| w.parse().ok())
                        .next()
                        .unwrap_or(0);
                    let computed = (|| -> Result<(Vec<u8>, Vec<u8>)> {
                        let peer = public_key(&x_cavs, &y_cavs, curve, backend)?;
                        let key = private_key(&d_iut, &x_iut, &y_iut, curve, backend)?;
                        let ours = key.exchange(&Ecdh, &peer)?;
                        // And the other side, where its key is valid.
                        let theirs = match private_key(&d_cavs, &x_cavs, &y_cavs, curve, backend) {
                            Ok(cavs) => cavs.exchange(&Ecdh, &key.public_key()?)?.to_vec(),
                            Err(e) => return Err(e),
                        };
                        Ok((ours.to_vec(), theirs))
                    })();
                    match (computed, pass, errno) {
                        (Ok((ours, theirs)), true, _) if ours == z && theirs == z => Ok(true),
                        (Ok((ours, _)), false, 8) if ours != z => Ok(true),
                        (Err(Error::KeyRejected(_)), false, 1 | 2 | 5 | 6 | 7) => Ok(true),
                        (other, _, _) => {
                            Err(format!("line {}: {result}: got {other:?}", case.line()))
                        }
                    }
                })();
                record(
                    &tallies,
                    &format!("ECDH KAS CDH {role}"),
                    curve.name(),
                    &name,
                    r,
                );
            }
        }
    }
    print_and_check("KAS ECC CDH", tallies);
}

#[test]
fn rfc7027_brainpool_ecdh() {
    let path = "asymmetric/ECDH/brainpool.txt";
    let cases = load(path).expect("vectors");
    check_count(path, &cases);
    let tallies = Tallies::default();
    let all = backends();
    for (i, backend) in all.iter().enumerate() {
        let name = label(backend, i, all.len());
        for case in &cases {
            case.ignore("COUNT");
            let curve = EllipticCurve::by_name(case.str("curve").expect("curve")).expect("a curve");
            let f = ["dA", "x_qA", "y_qA", "dB", "x_qB", "y_qB", "x_Z"]
                .map(|n| BigUint::from_be_bytes(&case.hex(n).expect("hex")));
            case.ignore("y_Z");
            case.clone().finish().expect("finish");
            let r = (|| -> std::result::Result<bool, String> {
                if !backend.elliptic_curve_supported(curve) {
                    return curve_refused(backend, curve);
                }
                if !backend.elliptic_curve_exchange_supported(curve) {
                    return Ok(false);
                }
                let a = private_key(&f[0], &f[1], &f[2], curve, backend)
                    .map_err(|e| format!("{e:?}"))?;
                let b = private_key(&f[3], &f[4], &f[5], curve, backend)
                    .map_err(|e| format!("{e:?}"))?;
                let z = f[6]
                    .to_be_bytes_padded(curve.field_bytes())
                    .ok_or("wide Z")?;
                let ab = a
                    .exchange(&Ecdh, &b.public_key().map_err(|e| e.to_string())?)
                    .map_err(|e| format!("{e:?}"))?;
                let ba = b
                    .exchange(&Ecdh, &a.public_key().map_err(|e| e.to_string())?)
                    .map_err(|e| format!("{e:?}"))?;
                if *ab == z && *ba == z {
                    Ok(true)
                } else {
                    Err("shared secret differs".into())
                }
            })();
            record(&tallies, "ECDH RFC 7027", curve.name(), &name, r);
        }
    }
    print_and_check("brainpool ECDH", tallies);
}
