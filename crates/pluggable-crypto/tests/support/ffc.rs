//! Helpers of the DSA and DH suites: the backends to run on, vector integers, DER signatures
//! and the FIPS hash names.

#![allow(dead_code)] // each suite uses a part

use std::collections::BTreeMap;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, Prehashed, SignatureHash};
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha1, Sha224, Sha256, Sha384, Sha512};
use pluggable_crypto::Error;
use test_vectors::{Case, VectorError};

/// Every compiled-in backend, then the default, each with the label the counts print.
pub(crate) fn backends() -> Vec<(String, Arc<dyn Backend>)> {
    let mut out: Vec<(String, Arc<dyn Backend>)> = available_backends()
        .into_iter()
        .map(|b| (b.name().to_owned(), b))
        .collect();
    out.push(("default".to_owned(), default_backend()));
    out
}

/// Passed cases, skipped ones by reason, and remarks on passed ones.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) passed: usize,
    skipped: BTreeMap<&'static str, usize>,
    notes: BTreeMap<&'static str, usize>,
}

impl Tally {
    pub(crate) fn skip(&mut self, why: &'static str) {
        *self.skipped.entry(why).or_default() += 1;
    }

    pub(crate) fn note(&mut self, what: &'static str) {
        *self.notes.entry(what).or_default() += 1;
    }

    pub(crate) fn print(&self, what: &str, backend: &str) {
        let skipped: usize = self.skipped.values().sum();
        let mut line = format!(
            "{what} on {backend}: {} passed, {skipped} skipped",
            self.passed
        );
        for (why, n) in &self.skipped {
            line.push_str(&format!(" ({n}: {why})"));
        }
        for (remark, n) in &self.notes {
            line.push_str(&format!("; of the passed, {n} {remark}"));
        }
        println!("{line}");
    }
}

/// Field `name` of `case` as an integer written in hex.
pub(crate) fn hex_int(case: &Case, name: &str) -> Result<BigUint, VectorError> {
    let text = case.str(name)?;
    BigUint::from_hex(text).map_err(|e| case.error(format!("{name}: {e}")))
}

/// Field `name` of `case` as an integer written in decimal.
pub(crate) fn dec_int(case: &Case, name: &str) -> Result<BigUint, VectorError> {
    let text = case.str(name)?;
    decimal(text).ok_or_else(|| case.error(format!("{name}: {text:?} is not a decimal number")))
}

/// A decimal string as an integer (schoolbook base conversion; vectors are small).
pub(crate) fn decimal(text: &str) -> Option<BigUint> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Little-endian bytes, times ten plus the digit each step.
    let mut le: Vec<u8> = Vec::new();
    for digit in text.bytes().map(|b| b - b'0') {
        let mut carry = u32::from(digit);
        for byte in le.iter_mut() {
            let v = u32::from(*byte) * 10 + carry;
            *byte = (v & 0xff) as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            le.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    le.reverse();
    Some(BigUint::from_be_bytes(&le))
}

fn der_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
}

fn der_integer(n: &BigUint, out: &mut Vec<u8>) {
    let mut body = n.to_be_bytes();
    if body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    out.push(0x02);
    der_length(body.len(), out);
    out.extend(body);
}

/// The DER `SEQUENCE { r, s }` of a DSS signature (written here, independently of the library).
pub(crate) fn der_signature(r: &BigUint, s: &BigUint) -> Vec<u8> {
    let mut body = Vec::new();
    der_integer(r, &mut body);
    der_integer(s, &mut body);
    let mut out = vec![0x30];
    der_length(body.len(), &mut out);
    out.extend(body);
    out
}

/// The FIPS name of a hash (`SHA-256`) as the `sign`/`verify` argument, over the message or
/// (`prehashed`) over its digest.
pub(crate) fn signature_hash(name: &str, prehashed: bool) -> Option<SignatureHash> {
    Some(match (name, prehashed) {
        ("SHA-1", false) => Sha1.into(),
        ("SHA-224", false) => Sha224.into(),
        ("SHA-256", false) => Sha256.into(),
        ("SHA-384", false) => Sha384.into(),
        ("SHA-512", false) => Sha512.into(),
        ("SHA-1", true) => Prehashed(Sha1).into(),
        ("SHA-224", true) => Prehashed(Sha224).into(),
        ("SHA-256", true) => Prehashed(Sha256).into(),
        ("SHA-384", true) => Prehashed(Sha384).into(),
        ("SHA-512", true) => Prehashed(Sha512).into(),
        _ => return None,
    })
}

/// The digest of `message` under the FIPS-named hash.
pub(crate) fn digest(name: &str, message: &[u8]) -> Option<Vec<u8>> {
    let mut hash = match name {
        "SHA-1" => Hash::new(Sha1),
        "SHA-224" => Hash::new(Sha224),
        "SHA-256" => Hash::new(Sha256),
        "SHA-384" => Hash::new(Sha384),
        "SHA-512" => Hash::new(Sha512),
        _ => return None,
    }
    .ok()?;
    hash.update(message).ok()?;
    hash.finalize().ok()
}

/// A refusal that names a key-number rule.
pub(crate) fn is_key_rejected(e: &Error) -> bool {
    matches!(e, Error::KeyRejected(_))
}

#[test]
fn decimal_and_der_helpers() {
    assert_eq!(decimal("65537").unwrap(), BigUint::from_u64(65537));
    assert_eq!(decimal("0").unwrap(), BigUint::zero());
    assert!(decimal("12a").is_none());
    // r = 0x80 needs a leading zero byte.
    assert_eq!(
        der_signature(&BigUint::from_u64(0x80), &BigUint::from_u64(1)),
        [0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x01]
    );
}
