//! DSA known answers: the NIST CAVP FIPS 186-3 KeyPair, SigGen and SigVer files, on every
//! backend (those without DSA must refuse with `UnsupportedAlgorithm`), with counts per backend.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::dsa::{
    DsaParameterNumbers, DsaPrivateNumbers, DsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::SignatureNonce;
use pluggable_crypto::Error;
use test_vectors::{ffc::load_with_domain, Case, VectorError};

#[path = "support/ffc.rs"]
mod ffc;

use ffc::{backends, der_signature, digest, hex_int, is_key_rejected, signature_hash, Tally};

const DOMAIN: &[&str] = &["P", "Q", "G"];

fn fail(case: &Case, backend: &str, message: impl std::fmt::Display) -> VectorError {
    case.error(format!("on {backend}: {message}"))
}

fn parameters(case: &Case) -> Result<DsaParameterNumbers, VectorError> {
    Ok(DsaParameterNumbers::new(
        hex_int(case, "P")?,
        hex_int(case, "Q")?,
        hex_int(case, "G")?,
    ))
}

/// The hash named by a `[mod = L=.., N=.., SHA-x]` section.
fn section_hash(case: &Case) -> Result<String, VectorError> {
    let section = case
        .section("mod")
        .ok_or_else(|| case.error("no [mod = ...] section"))?;
    section
        .rsplit(", ")
        .next()
        .map(str::to_owned)
        .ok_or_else(|| case.error(format!("no hash in [mod = {section}]")))
}

/// What a case runs with: its backend (and label), and whether it is the first case of its
/// `[mod = ...]` group (where the slower extra checks run).
struct Ctx<'a> {
    label: &'a str,
    backend: &'a Arc<dyn Backend>,
    first_of_group: bool,
}

type PerCase = fn(&Case, &Ctx<'_>, &mut Tally) -> Result<(), VectorError>;

/// Runs `per_case` over every case of `path` on every backend; a backend without DSA of the
/// vector's size must refuse the first key with `UnsupportedAlgorithm`, and its cases count
/// as skipped.
fn run(what: &str, path: &str, per_case: PerCase) {
    let mut failures = Vec::new();
    for (label, backend) in backends() {
        let cases = load_with_domain(path, DOMAIN).expect("the vector file parses");
        let mut tally = Tally::default();
        let mut group = None;
        for case in cases {
            let section = case.section("mod").map(str::to_owned);
            let first_of_group = section != group;
            group = section;
            let size = hex_int(&case, "P").map(|p| p.bits()).unwrap_or(0);
            if !backend.dsa_supported(size) {
                let refusal = parameters(&case).ok().map(|numbers| {
                    DsaPublicNumbers::new(numbers.g.clone(), numbers)
                        .public_key_with_backend(backend.clone())
                });
                match refusal {
                    Some(Err(e)) if e.is_unsupported() => tally.skip("DSA unsupported"),
                    other => failures.push(format!(
                        "{path}:{}: {label} has no {size}-bit DSA but gave {:?}",
                        case.line(),
                        other.map(|r| r.map(|_| "a key"))
                    )),
                }
                continue;
            }
            if label == "default" && !first_of_group {
                // The default routes DSA to one of the members above, which ran every case.
                tally.skip("the default's member ran it above; the default runs one per group");
                for name in case.names().map(str::to_owned).collect::<Vec<_>>() {
                    case.ignore(&name);
                }
                continue;
            }
            let ctx = Ctx {
                label: &label,
                backend: &backend,
                first_of_group,
            };
            match per_case(&case, &ctx, &mut tally).and_then(|()| case.finish()) {
                Ok(()) => {}
                Err(e) => failures.push(e.to_string()),
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

#[test]
fn fips_186_3_key_pairs() {
    run(
        "DSA KeyPair",
        "asymmetric/DSA/FIPS_186-3/KeyPair.rsp",
        |case, ctx, tally| {
            let (label, backend) = (ctx.label, ctx.backend);
            let public = DsaPublicNumbers::new(hex_int(case, "Y")?, parameters(case)?);
            let private = DsaPrivateNumbers::new(hex_int(case, "X")?, public.clone());
            let key = private
                .private_key_with_backend(backend.clone())
                .map_err(|e| fail(case, label, e))?;
            let numbers = key.private_numbers().map_err(|e| fail(case, label, e))?;
            if numbers != private
                || key.public_key().map(|k| k.public_numbers()).ok() != Some(public)
            {
                return Err(fail(
                    case,
                    label,
                    "the key's numbers differ from the vector's",
                ));
            }
            if key.backend_name() == "multi"
                || key.key_size() != private.public_numbers.parameter_numbers.p.bits()
            {
                return Err(fail(case, label, "wrong backend name or key size"));
            }
            // y one off the vector's is refused by the rule y = g^x mod p.
            let mut wrong = private.clone();
            wrong.public_numbers.y = private.public_numbers.parameter_numbers.g.clone();
            match wrong.private_key_with_backend(backend.clone()) {
                Err(e) if is_key_rejected(&e) => {}
                other => {
                    return Err(fail(
                        case,
                        label,
                        format!("y = g accepted with the vector's x: {:?}", other.err()),
                    ))
                }
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn fips_186_3_signature_generation() {
    run(
        "DSA SigGen",
        "asymmetric/DSA/FIPS_186-3/SigGen.txt",
        |case, ctx, tally| {
            let (label, backend) = (ctx.label, ctx.backend);
            let hash = section_hash(case)?;
            let over_message =
                signature_hash(&hash, false).ok_or_else(|| case.error(format!("hash {hash}")))?;
            let over_digest =
                signature_hash(&hash, true).ok_or_else(|| case.error(format!("hash {hash}")))?;
            let message = case.hex("Msg")?;
            let public = DsaPublicNumbers::new(hex_int(case, "Y")?, parameters(case)?);
            let private = DsaPrivateNumbers::new(hex_int(case, "X")?, public);
            // The nonce the CAVS used: the library takes no caller nonce (k is random or
            // RFC 6979), so the vector's R and S are checked by verification instead.
            case.ignore("K");
            let expected = der_signature(&hex_int(case, "R")?, &hex_int(case, "S")?);
            let key = private
                .private_key_with_backend(backend.clone())
                .map_err(|e| fail(case, label, e))?;
            let public = key.public_key().map_err(|e| fail(case, label, e))?;
            let verify = |signature: &[u8], what: &str| -> Result<(), VectorError> {
                public
                    .verify(signature, &message, over_message.clone())
                    .map_err(|e| fail(case, label, format!("{what}: {e}")))
            };
            verify(&expected, "the vector's signature")?;
            // Ours, with a random k.
            let ours = key
                .sign(&message, over_message.clone())
                .map_err(|e| fail(case, label, e))?;
            verify(&ours, "our signature")?;
            if !ctx.first_of_group {
                tally.passed += 1;
                return Ok(());
            }
            // Once per [mod] group (the Rust backend's DSA takes 50-100 ms per operation at
            // 3072 bits): the vector's signature over the digest, signing a digest, a wrong
            // message, and RFC 6979 where the backend has it (equal inputs, equal signatures).
            tally.note("with digest signing and RFC 6979 checked too");
            let md = digest(&hash, &message).ok_or_else(|| case.error("digest"))?;
            public
                .verify(&expected, &md, over_digest.clone())
                .map_err(|e| {
                    fail(
                        case,
                        label,
                        format!("the vector's signature over the digest: {e}"),
                    )
                })?;
            let ours = key
                .sign(&md, over_digest.clone())
                .map_err(|e| fail(case, label, e))?;
            verify(&ours, "our signature over the digest")?;
            if public
                .verify(&ours, b"another message", over_message.clone())
                .is_ok()
            {
                return Err(fail(case, label, "a signature verified another message"));
            }
            match key.sign_with_nonce(
                &message,
                over_message.clone(),
                SignatureNonce::Deterministic,
            ) {
                Ok(first) => {
                    let second = key
                        .sign_with_nonce(&md, over_digest.clone(), SignatureNonce::Deterministic)
                        .map_err(|e| fail(case, label, e))?;
                    if first != second {
                        return Err(fail(case, label, "RFC 6979 signatures differ"));
                    }
                    verify(&first, "our RFC 6979 signature")?;
                }
                Err(e) if e.is_unsupported() => {
                    tally.note("without RFC 6979 signing (unsupported)")
                }
                Err(e) => return Err(fail(case, label, e)),
            }
            tally.passed += 1;
            Ok(())
        },
    );
}

#[test]
fn fips_186_3_signature_verification() {
    run(
        "DSA SigVer",
        "asymmetric/DSA/FIPS_186-3/SigVer.rsp",
        |case, ctx, tally| {
            let (label, backend) = (ctx.label, ctx.backend);
            let hash = section_hash(case)?;
            let over_message =
                signature_hash(&hash, false).ok_or_else(|| case.error(format!("hash {hash}")))?;
            let message = case.hex("Msg")?;
            let public = DsaPublicNumbers::new(hex_int(case, "Y")?, parameters(case)?);
            let x = hex_int(case, "X")?;
            let signature = der_signature(&hex_int(case, "R")?, &hex_int(case, "S")?);
            let result = case.str("Result")?;
            let pass = match result.split_whitespace().next() {
                Some("P") => true,
                Some("F") => false,
                _ => return Err(case.error(format!("Result = {result}"))),
            };
            let verdict = public
                .public_key_with_backend(backend.clone())
                .and_then(|key| key.verify(&signature, &message, over_message.clone()));
            match (pass, verdict) {
                (true, Ok(())) => {
                    // The vector's x belongs to its y.
                    DsaPrivateNumbers::new(x, public)
                        .private_key_with_backend(backend.clone())
                        .map_err(|e| fail(case, label, format!("the vector's x: {e}")))?;
                }
                (false, Err(Error::InvalidSignature)) => {}
                (false, Err(e)) if is_key_rejected(&e) && result.contains("Y changed") => {
                    // A changed y is outside the order-q subgroup: refused at load.
                    tally.note("failures found at key load (y not in the subgroup)");
                }
                (pass, verdict) => {
                    return Err(fail(
                        case,
                        label,
                        format!("expected {result}, got {verdict:?} (pass = {pass})"),
                    ))
                }
            }
            tally.passed += 1;
            Ok(())
        },
    );
}
