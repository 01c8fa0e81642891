//! DSA (FIPS 186), pyca's `asymmetric.dsa`. **Legacy:** DSA is kept to verify and make
//! signatures for old systems; FIPS 186-5 no longer approves it for new signatures. Use
//! Ed25519 or ECDSA for new designs.
//!
//! Domain parameters (p, q, g) come from [`generate_parameters`] (p of 1024, 2048, 3072 or 4096
//! bits with a q of 160, 256, 256 and 256 bits) or from [`DsaParameterNumbers`]; keys from
//! [`DsaParameters::generate_private_key`], [`generate_private_key`] or the numbers types.
//! Signatures are DER `SEQUENCE { r, s }`; `k` is random for every signature
//! ([`DsaPrivateKey::sign`]), or derived as RFC 6979 specifies
//! ([`DsaPrivateKey::sign_with_nonce`] with [`SignatureNonce::Deterministic`]) where the backend
//! has it.
//!
//! Every rule on numbers is checked here, the same for every backend: p of 1024, 2048, 3072 or
//! 4096 bits, q of 160, 224 or 256 bits, both odd, `q | p - 1`, `1 < g < p` with `g^q = 1 mod p`,
//! `1 < y < p` with `y^q = 1 mod p`, `0 < x < q` and `y = g^x mod p`. A broken rule is
//! [`Error::KeyRejected`] naming the number and its rule. A signature
//! that is not strict DER, or whose r or s is not in `[1, q - 1]`, fails verification
//! (`InvalidSignature`) before any backend sees it.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::default_backend;
//! use pluggable_crypto::hazmat::primitives::asymmetric::dsa::{
//!     DsaParameterNumbers, DsaPrivateNumbers, DsaPublicNumbers,
//! };
//! use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, Prehashed};
//! use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};
//!
//! // The FIPS 186-3 KeyPair parameters for L = 1024, N = 160, and one of its key pairs
//! // (parameter generation at 2048 bits and more takes seconds).
//! let hex = |s: &str| BigUint::from_hex(s);
//! let parameters = DsaParameterNumbers::new(
//!     hex("d38311e2cd388c3ed698e82fdf88eb92b5a9a483dc88005d4b725ef341eabb47cf8a7a8a41e792a1\
//!          56b7ce97206c4f9c5ce6fc5ae7912102b6b502e59050b5b21ce263dddb2044b652236f4d42ab4b5d\
//!          6aa73189cef1ace778d7845a5c1c1c7147123188f8dc551054ee162b634d60f097f719076640e209\
//!          80a0093113a8bd73")?,
//!     hex("96c5390a8b612c0e422bb2b0ea194a3ec935a281")?,
//!     hex("06b7861abbd35cc89e79c52f68d20875389b127361ca66822138ce4991d2b862259d6b4548a6495b\
//!          195aa0e0b6137ca37eb23b94074d3c3d300042bdf15762812b6333ef7b07ceba78607610fcc9ee68\
//!          491dbc1e34cd12615474e52b18bc934fb00c61d39e7da8902291c4434a4e2224c3f4fd9f93cd6f4f\
//!          17fc076341a7e7d9")?,
//! );
//! let backend = default_backend();
//! if !backend.dsa_supported(1024) {
//!     // A build whose backends lack DSA (ring alone) refuses with UnsupportedAlgorithm.
//!     assert!(parameters.parameters_with_backend(backend)?.generate_private_key().unwrap_err().is_unsupported());
//!     return Ok(());
//! }
//! let key = parameters
//!     .parameters_with_backend(backend.clone())?
//!     .generate_private_key()?;
//! assert_eq!(key.key_size(), 1024);
//!
//! let signature = key.sign(b"legacy message", Sha256)?;
//! let public = key.public_key()?;
//! public.verify(&signature, b"legacy message", Sha256)?;
//! assert!(public.verify(&signature, b"another message", Sha256).is_err());
//!
//! // The same signature checked against a digest computed separately.
//! let mut hash = Hash::new(Sha256)?;
//! hash.update(b"legacy message")?;
//! public.verify(&signature, &hash.finalize()?, Prehashed(Sha256))?;
//!
//! // Keys travel as numbers.
//! let numbers: DsaPrivateNumbers = key.private_numbers()?;
//! let again = numbers.private_key_with_backend(backend)?;
//! assert_eq!(again.public_key()?.public_numbers(), public.public_numbers());
//! # let _: DsaPublicNumbers = public.public_numbers();
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use der::asn1::UintRef;
use der::Decode;

use super::components::DsaParameterComponents;
use super::ffc::{divides, minus_one, OddModulus};
use super::integer::BigUint;
use super::scheme::SignatureNonce;
use super::utils::SignatureHash;
use crate::exceptions::{Error, KeyRejectedKind, Result};
use crate::hazmat::backends::{default_backend, Backend, DsaPrivateKeyHandle, DsaPublicKeyHandle};

/// The sizes of p that DSA parameters and keys may have, in bits.
pub const KEY_SIZES: [usize; 4] = [1024, 2048, 3072, 4096];

/// The sizes of q that loaded DSA parameters may have, in bits.
const Q_SIZES: [usize; 3] = [160, 224, 256];

fn rejected(kind: KeyRejectedKind, what: &'static str) -> Error {
    Error::key_rejected(kind, what)
}

fn check_key_size(key_size: usize) -> Result<()> {
    if KEY_SIZES.contains(&key_size) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "DSA key size must be 1024, 2048, 3072 or 4096 bits, got {key_size}"
        )))
    }
}

/// New DSA parameters with a p of `key_size` bits (1024, 2048, 3072 or 4096) and a q of 160
/// bits (for 1024) or 256 bits, on the default backend. Slow: seconds at 2048 bits and more.
pub fn generate_parameters(key_size: usize) -> Result<DsaParameters> {
    generate_parameters_with_backend(key_size, default_backend())
}

/// [`generate_parameters`] on `backend`.
pub fn generate_parameters_with_backend(
    key_size: usize,
    backend: Arc<dyn Backend>,
) -> Result<DsaParameters> {
    check_key_size(key_size)?;
    let components = backend.generate_dsa_parameters(key_size)?;
    let numbers = DsaParameterNumbers::from_components(&components);
    numbers.check()?;
    if numbers.p.bits() != key_size {
        return Err(Error::Backend(format!(
            "the backend generated a {}-bit DSA p for a {key_size}-bit request",
            numbers.p.bits()
        )));
    }
    Ok(DsaParameters { numbers, backend })
}

/// New parameters and a key under them, on the default backend (pyca's
/// `dsa.generate_private_key`).
pub fn generate_private_key(key_size: usize) -> Result<DsaPrivateKey> {
    generate_private_key_with_backend(key_size, default_backend())
}

/// [`generate_private_key`] on `backend`.
pub fn generate_private_key_with_backend(
    key_size: usize,
    backend: Arc<dyn Backend>,
) -> Result<DsaPrivateKey> {
    generate_parameters_with_backend(key_size, backend)?.generate_private_key()
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// DSA domain parameters as numbers (pyca's `DSAParameterNumbers`). Checked when made into
/// [`DsaParameters`] or a key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DsaParameterNumbers {
    /// The prime modulus p.
    pub p: BigUint,
    /// The prime divisor q of p - 1.
    pub q: BigUint,
    /// The generator g of the order-q subgroup.
    pub g: BigUint,
}

impl DsaParameterNumbers {
    /// The numbers p, q, g.
    pub fn new(p: BigUint, q: BigUint, g: BigUint) -> Self {
        DsaParameterNumbers { p, q, g }
    }

    /// Checked parameters on the default backend.
    pub fn parameters(&self) -> Result<DsaParameters> {
        self.parameters_with_backend(default_backend())
    }

    /// Checked parameters on `backend` (which must have DSA of this size).
    pub fn parameters_with_backend(&self, backend: Arc<dyn Backend>) -> Result<DsaParameters> {
        self.check()?;
        Ok(DsaParameters {
            numbers: self.clone(),
            backend,
        })
    }

    fn from_components(c: &DsaParameterComponents) -> Self {
        DsaParameterNumbers {
            p: BigUint::from_be_bytes(&c.p),
            q: BigUint::from_be_bytes(&c.q),
            g: BigUint::from_be_bytes(&c.g),
        }
    }

    fn components(&self) -> DsaParameterComponents {
        DsaParameterComponents {
            p: self.p.to_be_bytes(),
            q: self.q.to_be_bytes(),
            g: self.g.to_be_bytes(),
        }
    }

    /// The parameter rules; returns p as a modulus for the key checks.
    fn check(&self) -> Result<OddModulus> {
        use KeyRejectedKind::{InconsistentComponents, InvalidComponent};
        if !KEY_SIZES.contains(&self.p.bits()) {
            return Err(rejected(
                InvalidComponent,
                "DSA prime p (must be 1024, 2048, 3072 or 4096 bits)",
            ));
        }
        if !Q_SIZES.contains(&self.q.bits()) || !self.q.is_odd() {
            return Err(rejected(
                InvalidComponent,
                "DSA prime q (must be odd and 160, 224 or 256 bits)",
            ));
        }
        let modulus = OddModulus::new(&self.p)
            .ok_or_else(|| rejected(InvalidComponent, "DSA prime p (must be odd)"))?;
        if !divides(&self.q, &minus_one(&self.p)) {
            return Err(rejected(
                InconsistentComponents,
                "DSA primes p and q (q must divide p - 1)",
            ));
        }
        if self.g <= BigUint::from_u64(1) || self.g >= self.p {
            return Err(rejected(
                InvalidComponent,
                "DSA generator g (must be in [2, p - 1])",
            ));
        }
        if modulus.pow(&self.g, &self.q) != Some(BigUint::from_u64(1)) {
            return Err(rejected(
                InconsistentComponents,
                "DSA generator g (g^q mod p must be 1)",
            ));
        }
        Ok(modulus)
    }
}

/// A DSA public key as numbers (pyca's `DSAPublicNumbers`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DsaPublicNumbers {
    /// The public value y = g^x mod p.
    pub y: BigUint,
    /// The domain parameters.
    pub parameter_numbers: DsaParameterNumbers,
}

impl DsaPublicNumbers {
    /// The numbers y and (p, q, g).
    pub fn new(y: BigUint, parameter_numbers: DsaParameterNumbers) -> Self {
        DsaPublicNumbers {
            y,
            parameter_numbers,
        }
    }

    /// The key on the default backend.
    pub fn public_key(&self) -> Result<DsaPublicKey> {
        self.public_key_with_backend(default_backend())
    }

    /// The key on `backend`.
    pub fn public_key_with_backend(&self, backend: Arc<dyn Backend>) -> Result<DsaPublicKey> {
        self.check()?;
        let handle = backend.load_dsa_public_components(
            &self.parameter_numbers.components(),
            &self.y.to_be_bytes(),
        )?;
        DsaPublicKey::from_handle(handle, backend)
    }

    fn check(&self) -> Result<OddModulus> {
        let modulus = self.parameter_numbers.check()?;
        let p = &self.parameter_numbers.p;
        if self.y <= BigUint::from_u64(1) || self.y >= *p {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "DSA public value y (must be in [2, p - 1])",
            ));
        }
        if modulus.pow(&self.y, &self.parameter_numbers.q) != Some(BigUint::from_u64(1)) {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "DSA public value y (y^q mod p must be 1)",
            ));
        }
        Ok(modulus)
    }
}

/// A DSA private key as numbers (pyca's `DSAPrivateNumbers`). `Debug` does not print x.
#[derive(Clone, PartialEq, Eq)]
pub struct DsaPrivateNumbers {
    /// The private value x, in `[1, q - 1]` (zeroized on drop).
    pub x: BigUint,
    /// The public half.
    pub public_numbers: DsaPublicNumbers,
}

impl fmt::Debug for DsaPrivateNumbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DsaPrivateNumbers")
            .field("public_numbers", &self.public_numbers)
            .finish_non_exhaustive()
    }
}

impl DsaPrivateNumbers {
    /// The numbers x and the public half.
    pub fn new(x: BigUint, public_numbers: DsaPublicNumbers) -> Self {
        DsaPrivateNumbers { x, public_numbers }
    }

    /// The key on the default backend.
    pub fn private_key(&self) -> Result<DsaPrivateKey> {
        self.private_key_with_backend(default_backend())
    }

    /// The key on `backend`.
    pub fn private_key_with_backend(&self, backend: Arc<dyn Backend>) -> Result<DsaPrivateKey> {
        let modulus = self.public_numbers.check()?;
        let parameters = &self.public_numbers.parameter_numbers;
        if self.x.is_zero() || self.x >= parameters.q {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "DSA private value x (must be in [1, q - 1])",
            ));
        }
        if modulus.pow(&parameters.g, &self.x).as_ref() != Some(&self.public_numbers.y) {
            return Err(rejected(
                KeyRejectedKind::InconsistentComponents,
                "DSA public value y (must be g^x mod p)",
            ));
        }
        let x = zeroize::Zeroizing::new(self.x.to_be_bytes());
        let handle = backend.load_dsa_private_components(
            &parameters.components(),
            &x,
            &self.public_numbers.y.to_be_bytes(),
        )?;
        DsaPrivateKey::from_handle(handle, backend)
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters and keys

/// Checked DSA domain parameters on a backend (pyca's `DSAParameters`).
#[derive(Clone)]
pub struct DsaParameters {
    numbers: DsaParameterNumbers,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for DsaParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DsaParameters")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend.name())
            .finish()
    }
}

impl DsaParameters {
    /// A new key under these parameters, on their backend.
    pub fn generate_private_key(&self) -> Result<DsaPrivateKey> {
        let handle = self
            .backend
            .generate_dsa_private_key(&self.numbers.components())?;
        let key = DsaPrivateKey::from_handle(handle, self.backend.clone())?;
        if key.parameters != self.numbers {
            return Err(Error::Backend(
                "the backend generated a DSA key under other parameters".into(),
            ));
        }
        Ok(key)
    }

    /// p, q and g.
    pub fn parameter_numbers(&self) -> DsaParameterNumbers {
        self.numbers.clone()
    }

    /// The size of p in bits.
    pub fn key_size(&self) -> usize {
        self.numbers.p.bits()
    }

    /// The name of the backend that generates keys under these parameters.
    pub fn backend_name(&self) -> &str {
        self.backend.name()
    }

    /// The same parameters on `backend`.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<Self> {
        self.numbers.parameters_with_backend(backend)
    }
}

/// A DSA private key held by a backend (pyca's `DSAPrivateKey`). Cheap to clone; `Debug` shows
/// no secret.
#[derive(Clone)]
pub struct DsaPrivateKey {
    handle: Arc<dyn DsaPrivateKeyHandle>,
    public: DsaPublicKey,
    parameters: DsaParameterNumbers,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for DsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DsaPrivateKey")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl DsaPrivateKey {
    fn from_handle(
        handle: Arc<dyn DsaPrivateKeyHandle>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let public = DsaPublicKey::from_handle(handle.public_key()?, backend.clone())?;
        Ok(DsaPrivateKey {
            parameters: public.parameters.clone(),
            handle,
            public,
            backend,
        })
    }

    /// A DER `SEQUENCE { r, s }` signature over `data` with a fresh random `k`. `algorithm` is
    /// a hash (`Sha256`), or `Prehashed(Sha256)` when `data` is already the digest.
    pub fn sign(&self, data: &[u8], algorithm: impl Into<SignatureHash>) -> Result<Vec<u8>> {
        self.sign_with_nonce(data, algorithm, SignatureNonce::Random)
    }

    /// As [`sign`](Self::sign), with `k` chosen as `nonce` says: random, or derived from the key
    /// and the digest (RFC 6979, where the backend has it; `UnsupportedAlgorithm` otherwise).
    pub fn sign_with_nonce(
        &self,
        data: &[u8],
        algorithm: impl Into<SignatureHash>,
        nonce: SignatureNonce,
    ) -> Result<Vec<u8>> {
        let (hash, input) = algorithm.into().resolve(data)?;
        self.handle.sign(input, hash, nonce)
    }

    /// The size of p in bits.
    pub fn key_size(&self) -> usize {
        self.parameters.p.bits()
    }

    /// The public half, on the same backend.
    pub fn public_key(&self) -> Result<DsaPublicKey> {
        Ok(self.public.clone())
    }

    /// The domain parameters, on the backend the key was made with.
    pub fn parameters(&self) -> DsaParameters {
        DsaParameters {
            numbers: self.parameters.clone(),
            backend: self.backend.clone(),
        }
    }

    /// x, y, p, q and g.
    pub fn private_numbers(&self) -> Result<DsaPrivateNumbers> {
        let x = self.handle.private_value()?;
        Ok(DsaPrivateNumbers {
            x: BigUint::from_be_bytes(&x),
            public_numbers: self.public.public_numbers(),
        })
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// The same key rebuilt on `backend` from its numbers.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<Self> {
        self.private_numbers()?.private_key_with_backend(backend)
    }
}

/// A DSA public key held by a backend (pyca's `DSAPublicKey`). Cheap to clone.
#[derive(Clone)]
pub struct DsaPublicKey {
    handle: Arc<dyn DsaPublicKeyHandle>,
    parameters: DsaParameterNumbers,
    y: BigUint,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for DsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DsaPublicKey")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl DsaPublicKey {
    fn from_handle(handle: Arc<dyn DsaPublicKeyHandle>, backend: Arc<dyn Backend>) -> Result<Self> {
        let parameters = DsaParameterNumbers::from_components(&handle.parameters());
        let y = BigUint::from_be_bytes(&handle.public_value());
        Ok(DsaPublicKey {
            handle,
            parameters,
            y,
            backend,
        })
    }

    /// Checks a DER `SEQUENCE { r, s }` signature over `data` (or over the digest `data`, with
    /// `Prehashed`). Any failure, malformed DER included, is `InvalidSignature`.
    pub fn verify(
        &self,
        signature: &[u8],
        data: &[u8],
        algorithm: impl Into<SignatureHash>,
    ) -> Result<()> {
        let (hash, input) = algorithm.into().resolve(data)?;
        if !self.well_formed(signature) {
            return Err(Error::InvalidSignature);
        }
        self.handle
            .verify(signature, input, hash)
            .map_err(|e| match e {
                Error::UnsupportedAlgorithm { .. } => e,
                _ => Error::InvalidSignature,
            })
    }

    /// Strict DER with `0 < r < q` and `0 < s < q`.
    fn well_formed(&self, signature: &[u8]) -> bool {
        let Ok(parts) = Vec::<UintRef<'_>>::from_der(signature) else {
            return false;
        };
        parts.len() == 2
            && parts.iter().all(|part| {
                let value = BigUint::from_be_bytes(part.as_bytes());
                !value.is_zero() && value < self.parameters.q
            })
    }

    /// The size of p in bits.
    pub fn key_size(&self) -> usize {
        self.parameters.p.bits()
    }

    /// The domain parameters, on the backend the key was made with.
    pub fn parameters(&self) -> DsaParameters {
        DsaParameters {
            numbers: self.parameters.clone(),
            backend: self.backend.clone(),
        }
    }

    /// y, p, q and g.
    pub fn public_numbers(&self) -> DsaPublicNumbers {
        DsaPublicNumbers {
            y: self.y.clone(),
            parameter_numbers: self.parameters.clone(),
        }
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// The same key rebuilt on `backend` from its numbers.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<Self> {
        self.public_numbers().public_key_with_backend(backend)
    }
}
