//! Shared helpers of the RSA tests: the backends under test, and keys.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
    self, RsaPrivateKey, RsaPrivateNumbers, RsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
use pluggable_crypto::Error;

/// Every backend built in, and the default (a multi-backend), with its label.
pub(crate) fn backends() -> Vec<(String, Arc<dyn Backend>)> {
    let mut out: Vec<(String, Arc<dyn Backend>)> = available_backends()
        .into_iter()
        .map(|b| (b.name().to_owned(), b))
        .collect();
    out.push(("default".to_owned(), default_backend()));
    out
}

/// The backends that build RSA keys of `bits` bits.
pub(crate) fn rsa_backends(bits: usize) -> Vec<(String, Arc<dyn Backend>)> {
    backends()
        .into_iter()
        .filter(|(_, b)| b.rsa_supported(bits))
        .collect()
}

/// True when `e` is the refusal of a backend that lacks the operation.
pub(crate) fn is_unsupported<T>(r: &Result<T, Error>) -> bool {
    matches!(r, Err(e) if e.is_unsupported())
}

/// The full numbers from n, e and d (the primes recovered).
pub(crate) fn numbers_from_ned(n: &[u8], e: &[u8], d: &[u8]) -> RsaPrivateNumbers {
    let (n, e, d) = (
        BigUint::from_be_bytes(n),
        BigUint::from_be_bytes(e),
        BigUint::from_be_bytes(d),
    );
    let (p, q) = rsa::rsa_recover_prime_factors(&n, &e, &d).expect("the primes");
    numbers_from_pqed(p, q, e, d, n)
}

/// The full numbers from p, q, e and d.
pub(crate) fn numbers_from_pqed(
    p: BigUint,
    q: BigUint,
    e: BigUint,
    d: BigUint,
    n: BigUint,
) -> RsaPrivateNumbers {
    let dmp1 = rsa::rsa_crt_dmp1(&d, &p).unwrap();
    let dmq1 = rsa::rsa_crt_dmq1(&d, &q).unwrap();
    let iqmp = rsa::rsa_crt_iqmp(&p, &q).unwrap();
    RsaPrivateNumbers::new(p, q, d, dmp1, dmq1, iqmp, RsaPublicNumbers::new(e, n))
}

/// One 2048-bit key, generated once per test binary on a backend that generates.
pub(crate) fn key_2048() -> RsaPrivateNumbers {
    static KEY: OnceLock<RsaPrivateNumbers> = OnceLock::new();
    KEY.get_or_init(|| {
        let key = backends()
            .into_iter()
            .find_map(|(_, b)| rsa::generate_private_key_with_backend(65537, 2048, b).ok())
            .expect("some backend generates RSA keys");
        key.private_numbers().unwrap()
    })
    .clone()
}

/// `numbers` on every backend that loads them, with the backend's label (a backend that
/// refuses them must say `UnsupportedAlgorithm`).
pub(crate) fn on_every_backend(numbers: &RsaPrivateNumbers) -> Vec<(String, RsaPrivateKey)> {
    let bits = numbers.public_numbers.n.bits();
    rsa_backends(bits)
        .into_iter()
        .filter_map(|(name, b)| match numbers.private_key_with_backend(b) {
            Ok(key) => Some((name, key)),
            Err(e) if e.is_unsupported() => None,
            Err(e) => panic!("{name} loads the key: {e}"),
        })
        .collect()
}

/// Hex to bytes.
pub(crate) fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}
