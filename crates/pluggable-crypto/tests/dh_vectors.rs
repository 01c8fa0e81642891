//! Finite-field DH known answers: every numbers file of the wheel's `asymmetric/DH/` folder
//! (NIST KAS FFC validity tests, RFC 5114, RFC 3526, Botan's `vec.txt`, pyca's `dhkey*.txt` and
//! `bad_exchange.txt`), on every backend. The rules of the primitives layer (sizes, ranges,
//! subgroup membership, `y = g^x mod p`) run before any backend, so the refusals they cause are
//! checked on every backend; the exchanges run where `dh_supported` holds, and a backend
//! without DH must refuse with `UnsupportedAlgorithm`. The PEM/DER key files of the folder wait
//! for the serialization issue.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::dh::{
    DhParameterNumbers, DhPrivateKey, DhPrivateNumbers, DhPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
use pluggable_crypto::{Error, KeyRejectedKind};
use test_vectors::{ffc::load_joined, load, Case, VectorError};

#[path = "support/ffc.rs"]
mod ffc;

use ffc::{backends, dec_int, digest, hex_int, Tally};

fn fail(case: &Case, backend: &str, message: impl std::fmt::Display) -> VectorError {
    case.error(format!("on {backend}: {message}"))
}

fn p_len(p: &BigUint) -> usize {
    p.bits().div_ceil(8)
}

/// Loads `private` on `backend`: `Ok(None)` (and a skip) where the backend has no DH of this
/// size and refuses with `UnsupportedAlgorithm`, as it must.
fn load_key(
    case: &Case,
    label: &str,
    backend: &Arc<dyn Backend>,
    private: &DhPrivateNumbers,
    tally: &mut Tally,
) -> Result<Option<DhPrivateKey>, VectorError> {
    let bits = private.public_numbers.parameter_numbers.p.bits();
    match private.private_key_with_backend(backend.clone()) {
        Ok(key) if backend.dh_supported(bits) => Ok(Some(key)),
        Err(e) if !backend.dh_supported(bits) && e.is_unsupported() => {
            tally.skip("DH unsupported");
            Ok(None)
        }
        other => Err(fail(
            case,
            label,
            format!(
                "dh_supported({bits}) = {} but loading gave {:?}",
                backend.dh_supported(bits),
                other.map(|_| "a key")
            ),
        )),
    }
}

/// Runs `per_case` over `cases` on every backend and prints the counts.
fn run(
    what: &str,
    cases: impl Fn() -> Vec<Case>,
    per_case: impl Fn(&Case, &str, &Arc<dyn Backend>, &mut Tally) -> Result<(), VectorError>,
) {
    let mut failures = Vec::new();
    for (label, backend) in backends() {
        let mut tally = Tally::default();
        for case in cases() {
            if let Err(e) =
                per_case(&case, &label, &backend, &mut tally).and_then(|()| case.finish())
            {
                failures.push(e.to_string());
            }
        }
        tally.print(what, &label);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `base^exponent mod modulus` computed by Python (an independent implementation).
fn python_pow(
    base: &BigUint,
    exponent: &BigUint,
    modulus: &BigUint,
) -> Result<BigUint, VectorError> {
    let script = format!(
        "print(format(pow(0x{}, 0x{}, 0x{}), 'x'))",
        base.to_hex(),
        exponent.to_hex(),
        modulus.to_hex()
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .map_err(|e| VectorError::new("python3", 0, e.to_string()))?;
    BigUint::from_hex(String::from_utf8_lossy(&out.stdout).trim())
        .map_err(|e| VectorError::new("python3", 0, e.to_string()))
}

fn rejected(result: Result<impl Sized, Error>, kind: KeyRejectedKind) -> bool {
    matches!(result, Err(Error::KeyRejected(r)) if r.kind() == kind)
}

fn kas(path: &'static str) {
    run(
        "DH KAS FFC",
        || load(path).expect("the vector file parses"),
        |case, label, backend, tally| {
            case.ignore("COUNT");
            let parameters = DhParameterNumbers::new(
                hex_int(case, "P")?,
                hex_int(case, "G")?,
                Some(hex_int(case, "Q")?),
            );
            let cavs_public = DhPublicNumbers::new(hex_int(case, "YstatCAVS")?, parameters.clone());
            let cavs = DhPrivateNumbers::new(hex_int(case, "XstatCAVS")?, cavs_public.clone());
            let iut_public = DhPublicNumbers::new(hex_int(case, "YstatIUT")?, parameters.clone());
            let iut = DhPrivateNumbers::new(hex_int(case, "XstatIUT")?, iut_public.clone());
            let z = case.hex("Z")?;
            let hash_zz = case.hex("CAVSHashZZ")?;
            let result = case.str("Result")?;
            let code = result
                .split(['(', ' '])
                .find(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or_default();
            let rule = |ok: bool, what: &str| {
                if ok {
                    Ok(())
                } else {
                    Err(fail(
                        case,
                        label,
                        format!("{result}: {what} was not refused"),
                    ))
                }
            };
            match code {
                // The CAVS / IUT public value is outside the order-q subgroup.
                "1" => rule(
                    rejected(cavs_public.public_key(), KeyRejectedKind::InvalidComponent),
                    "the CAVS public value",
                )?,
                "3" => rule(
                    rejected(iut_public.public_key(), KeyRejectedKind::InvalidComponent),
                    "the IUT public value",
                )?,
                // The IUT's x does not give its y.
                "4" => rule(
                    rejected(
                        iut.private_key_with_backend(backend.clone()),
                        KeyRejectedKind::InconsistentComponents,
                    ),
                    "the IUT private value",
                )?,
                "0" | "5" | "10" => {
                    let Some(ours) = load_key(case, label, backend, &iut, tally)? else {
                        return Ok(());
                    };
                    let theirs = load_key(case, label, backend, &cavs, tally)?
                        .ok_or_else(|| fail(case, label, "one key loads, the other not"))?;
                    let one = ours
                        .exchange(&cavs_public.public_key().map_err(|e| fail(case, label, e))?)
                        .map_err(|e| fail(case, label, e))?;
                    let two = theirs
                        .exchange(&iut_public.public_key().map_err(|e| fail(case, label, e))?)
                        .map_err(|e| fail(case, label, e))?;
                    if *one != *two || one.len() != p_len(&parameters.p) {
                        return Err(fail(
                            case,
                            label,
                            "the two sides disagree or Z is not p's length",
                        ));
                    }
                    let sha = case
                        .section("FA - SHA1")
                        .map(|_| "SHA-1")
                        .or(case.section("FB - SHA224").map(|_| "SHA-224"))
                        .or(case.section("FC - SHA256").map(|_| "SHA-256"))
                        .ok_or_else(|| case.error("no parameter-set section"))?;
                    let matches = *one == z && digest(sha, &one) == Some(hash_zz);
                    if matches != (code != "5") {
                        return Err(fail(
                            case,
                            label,
                            format!("{result}: Z matches = {matches}"),
                        ));
                    }
                    if code == "10" {
                        tally.note("with a Z whose first byte is below 0x10");
                    }
                }
                _ => return Err(case.error(format!("unknown result {result}"))),
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn kas_ffc_initiator() {
    kas("asymmetric/DH/KASValidityTest_FFCStatic_NOKC_ZZOnly_init.fax");
}

#[test]
fn kas_ffc_responder() {
    kas("asymmetric/DH/KASValidityTest_FFCStatic_NOKC_ZZOnly_resp.fax");
}

#[test]
fn rfc_5114() {
    run(
        "DH RFC 5114",
        || load_joined("asymmetric/DH/RFC5114.txt").expect("the vector file parses"),
        |case, label, backend, tally| {
            case.ignore("COUNT");
            if case.str("Result")? != "P (0 - Correct)" {
                return Err(case.error("every RFC 5114 case is a pass"));
            }
            let parameters = DhParameterNumbers::new(
                hex_int(case, "P")?,
                hex_int(case, "G")?,
                Some(hex_int(case, "Q")?),
            );
            let cavs = DhPrivateNumbers::new(
                hex_int(case, "XstatCAVS")?,
                DhPublicNumbers::new(hex_int(case, "YstatCAVS")?, parameters.clone()),
            );
            let iut = DhPrivateNumbers::new(
                hex_int(case, "XstatIUT")?,
                DhPublicNumbers::new(hex_int(case, "YstatIUT")?, parameters.clone()),
            );
            let z = case.hex("Z")?;
            let Some(a) = load_key(case, label, backend, &cavs, tally)? else {
                return Ok(());
            };
            let b = load_key(case, label, backend, &iut, tally)?
                .ok_or_else(|| fail(case, label, "one key loads, the other not"))?;
            let pa = a.public_key().map_err(|e| fail(case, label, e))?;
            let pb = b.public_key().map_err(|e| fail(case, label, e))?;
            let one = a.exchange(&pb).map_err(|e| fail(case, label, e))?;
            let two = b.exchange(&pa).map_err(|e| fail(case, label, e))?;
            if *one != z || *two != z {
                return Err(fail(case, label, "Z differs from the RFC's"));
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn botan_vectors() {
    run(
        "DH vec.txt",
        || load("asymmetric/DH/vec.txt").expect("the vector file parses"),
        |case, label, backend, tally| {
            case.ignore("COUNT");
            let parameters =
                DhParameterNumbers::new(dec_int(case, "P")?, dec_int(case, "G")?, None);
            let public = DhPublicNumbers::new(dec_int(case, "Y")?, parameters.clone());
            let private = DhPrivateNumbers::new(dec_int(case, "X")?, public.clone());
            let k = hex_int(case, "K")?;
            if parameters.p.bits() < 512 {
                // pyca refuses p under 512 bits, and so do we, on every backend.
                if !rejected(
                    parameters.parameters_with_backend(backend.clone()),
                    KeyRejectedKind::TooSmall,
                ) {
                    return Err(fail(case, label, "a p under 512 bits was accepted"));
                }
                tally.note("refused: p under 512 bits");
                tally.passed += 1;
                return Ok(());
            }
            // Y is the peer's public value, not g^x: as private numbers (x, Y) the rule
            // y = g^x mod p refuses them, on every backend.
            if !rejected(
                private.private_key_with_backend(backend.clone()),
                KeyRejectedKind::InconsistentComponents,
            ) {
                return Err(fail(
                    case,
                    label,
                    "x with the peer's Y was accepted as a key",
                ));
            }
            let own = DhPrivateNumbers::new(
                private.x.clone(),
                DhPublicNumbers::new(
                    python_pow(&parameters.g, &private.x, &parameters.p)?,
                    parameters.clone(),
                ),
            );
            let Some(key) = load_key(case, label, backend, &own, tally)? else {
                return Ok(());
            };
            let secret = key
                .exchange(&public.public_key().map_err(|e| fail(case, label, e))?)
                .map_err(|e| fail(case, label, e))?;
            if secret.len() != p_len(&parameters.p) || BigUint::from_be_bytes(&secret) != k {
                return Err(fail(case, label, "K differs"));
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn exchange_under_other_parameters_is_refused() {
    run(
        "DH bad_exchange.txt",
        || load("asymmetric/DH/bad_exchange.txt").expect("the vector file parses"),
        |case, label, backend, tally| {
            case.ignore("COUNT");
            let g = dec_int(case, "G")?;
            let key = |n: &str| -> Result<DhPrivateNumbers, VectorError> {
                let parameters =
                    DhParameterNumbers::new(dec_int(case, &format!("P{n}"))?, g.clone(), None);
                Ok(DhPrivateNumbers::new(
                    dec_int(case, &format!("X{n}"))?,
                    DhPublicNumbers::new(dec_int(case, &format!("Y{n}"))?, parameters),
                ))
            };
            let (one, two) = (key("1")?, key("2")?);
            // y2 > p1 in case 0: a public value that cannot be under p1 at all.
            let Some(first) = load_key(case, label, backend, &one, tally)? else {
                return Ok(());
            };
            let second = load_key(case, label, backend, &two, tally)?
                .ok_or_else(|| fail(case, label, "one key loads, the other not"))?;
            let peer = second.public_key().map_err(|e| fail(case, label, e))?;
            match first.exchange(&peer) {
                Err(Error::InvalidArgument(_)) => {}
                other => {
                    return Err(fail(
                        case,
                        label,
                        format!("exchange gave {:?}", other.map(|s| s.len())),
                    ))
                }
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn rfc_3526_groups() {
    run(
        "DH RFC 3526",
        || load("asymmetric/DH/rfc3526.txt").expect("the vector file parses"),
        |case, label, backend, tally| {
            case.ignore("COUNT");
            let numbers = DhParameterNumbers::new(hex_int(case, "P")?, hex_int(case, "G")?, None);
            let parameters = numbers
                .parameters_with_backend(backend.clone())
                .map_err(|e| fail(case, label, e))?;
            let bits = parameters.key_size();
            if !backend.dh_supported(bits) {
                match parameters.generate_private_key() {
                    Err(e) if e.is_unsupported() => {
                        tally.skip("DH unsupported");
                        return Ok(());
                    }
                    other => {
                        return Err(fail(case, label, format!("{:?}", other.map(|_| "a key"))))
                    }
                }
            }
            let a = parameters
                .generate_private_key()
                .map_err(|e| fail(case, label, e))?;
            let b = parameters
                .generate_private_key()
                .map_err(|e| fail(case, label, e))?;
            let one = a
                .exchange(&b.public_key().map_err(|e| fail(case, label, e))?)
                .map_err(|e| fail(case, label, e))?;
            let two = b
                .exchange(&a.public_key().map_err(|e| fail(case, label, e))?)
                .map_err(|e| fail(case, label, e))?;
            if *one != *two || one.len() != p_len(&numbers.p) || a.key_size() != bits {
                return Err(fail(
                    case,
                    label,
                    "the sides disagree or the secret is not p's length",
                ));
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn pyca_key_numbers() {
    for path in [
        "asymmetric/DH/dhkey.txt",
        "asymmetric/DH/dhkey_rfc5114_2.txt",
    ] {
        run(
            path,
            || load(path).expect("the vector file parses"),
            |case, label, backend, tally| {
                case.ignore("COUNT");
                let q = if case.has("Q") {
                    Some(hex_int(case, "Q")?)
                } else {
                    None
                };
                let parameters =
                    DhParameterNumbers::new(hex_int(case, "P")?, hex_int(case, "G")?, q);
                let private = DhPrivateNumbers::new(
                    hex_int(case, "X")?,
                    DhPublicNumbers::new(hex_int(case, "Y")?, parameters),
                );
                let Some(key) = load_key(case, label, backend, &private, tally)? else {
                    return Ok(());
                };
                if key.private_numbers().map_err(|e| fail(case, label, e))? != private {
                    return Err(fail(case, label, "the numbers do not round-trip"));
                }
                tally.passed += 1;
                Ok(())
            },
        );
    }
}
