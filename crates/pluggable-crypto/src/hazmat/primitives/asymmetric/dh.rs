//! Finite-field Diffie-Hellman, pyca's `asymmetric.dh`.
//!
//! Parameters (p, g and optionally q) come from [`generate_parameters`] (a safe prime p with
//! generator 2 or 5) or from [`DhParameterNumbers`] (for example the RFC 3526 and RFC 5114
//! groups); keys from [`DhParameters::generate_private_key`] or [`DhPrivateNumbers`].
//! [`DhPrivateKey::exchange`] returns `peer_y^x mod p` left-padded with zeros to the byte length
//! of p, as pyca does (so the secret's length never depends on its value).
//!
//! Backends: only OpenSSL has finite-field DH. RustCrypto has no maintained crate for it and
//! ring has none, so on those backends every request is `UnsupportedAlgorithm`
//! (`dh_supported` is false).
//!
//! Every rule is checked here, the same for every backend: p of at least 512 bits and odd,
//! `1 < g < p - 1`; with q: `1 < q < p`, `q | p - 1` and `g^q = 1 mod p`; a public value y in
//! `[2, p - 2]` (with q: `y^q = 1 mod p`); a private value x in `[1, p - 2]` (with q:
//! `[1, q - 1]`) with `y = g^x mod p`. A broken rule is
//! [`Error::KeyRejected`] naming the number and its rule; an exchange
//! with a peer under other parameters is `InvalidArgument`.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::default_backend;
//! use pluggable_crypto::hazmat::primitives::asymmetric::dh::DhParameterNumbers;
//! use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
//!
//! // The RFC 3526 1536-bit MODP group.
//! let p = BigUint::from_hex(
//!     "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B2251\
//!      4A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C\
//!      42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007C\
//!      B8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED52907\
//!      7096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
//! )?;
//! let group = DhParameterNumbers::new(p, BigUint::from_u64(2), None);
//! let backend = default_backend();
//! if backend.dh_supported(1536) {
//!     let parameters = group.parameters_with_backend(backend)?;
//!     let alice = parameters.generate_private_key()?;
//!     let bob = parameters.generate_private_key()?;
//!     let one = alice.exchange(&bob.public_key()?)?;
//!     let two = bob.exchange(&alice.public_key()?)?;
//!     assert_eq!(*one, *two);
//!     assert_eq!(one.len(), 192);
//! } else {
//!     assert!(group.parameters_with_backend(backend)?.generate_private_key().unwrap_err().is_unsupported());
//! }
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use super::components::{DhParameterComponents, SecretBytes};
use super::ffc::{divides, minus_one, OddModulus};
use super::integer::BigUint;
use crate::exceptions::{Error, KeyRejectedKind, Result};
use crate::hazmat::backends::{default_backend, Backend, DhPrivateKeyHandle};

/// The smallest p accepted, in bits (pyca's limit).
pub const MIN_KEY_SIZE: usize = 512;
/// The largest p accepted: OpenSSL's `OPENSSL_DH_MAX_MODULUS_BITS`, which bounds the work a
/// key file can ask for.
pub const MAX_KEY_SIZE: usize = 10_000;

fn rejected(kind: KeyRejectedKind, what: &'static str) -> Error {
    Error::key_rejected(kind, what)
}

/// New parameters with a safe prime p of `key_size` bits (at least 512) and generator 2 or 5,
/// on the default backend. Slow at 2048 bits and more (seconds to minutes): prefer a
/// well-known group such as RFC 3526's through [`DhParameterNumbers`].
pub fn generate_parameters(generator: u32, key_size: usize) -> Result<DhParameters> {
    generate_parameters_with_backend(generator, key_size, default_backend())
}

/// [`generate_parameters`] on `backend`.
pub fn generate_parameters_with_backend(
    generator: u32,
    key_size: usize,
    backend: Arc<dyn Backend>,
) -> Result<DhParameters> {
    if generator != 2 && generator != 5 {
        return Err(Error::invalid(format!(
            "DH generator must be 2 or 5, got {generator}"
        )));
    }
    if key_size < MIN_KEY_SIZE {
        return Err(Error::invalid(format!(
            "DH key size must be at least {MIN_KEY_SIZE} bits, got {key_size}"
        )));
    }
    let components = backend.generate_dh_parameters(generator, key_size)?;
    let numbers = DhParameterNumbers::from_components(&components);
    numbers.check()?;
    if numbers.p.bits() != key_size || numbers.g != BigUint::from(u64::from(generator)) {
        return Err(Error::Backend(format!(
            "the backend generated DH parameters other than the {key_size}-bit, g = {generator} \
             ones requested"
        )));
    }
    Ok(DhParameters { numbers, backend })
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// DH parameters as numbers (pyca's `DHParameterNumbers`). Checked when made into
/// [`DhParameters`] or a key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DhParameterNumbers {
    /// The prime modulus p.
    pub p: BigUint,
    /// The generator g.
    pub g: BigUint,
    /// The order q of the subgroup g generates, when known (X9.42 / RFC 5114 parameters).
    pub q: Option<BigUint>,
}

impl DhParameterNumbers {
    /// The numbers p, g and the optional q.
    pub fn new(p: BigUint, g: BigUint, q: Option<BigUint>) -> Self {
        DhParameterNumbers { p, g, q }
    }

    /// Checked parameters on the default backend.
    pub fn parameters(&self) -> Result<DhParameters> {
        self.parameters_with_backend(default_backend())
    }

    /// Checked parameters on `backend`.
    pub fn parameters_with_backend(&self, backend: Arc<dyn Backend>) -> Result<DhParameters> {
        self.check()?;
        Ok(DhParameters {
            numbers: self.clone(),
            backend,
        })
    }

    fn from_components(c: &DhParameterComponents) -> Self {
        DhParameterNumbers {
            p: BigUint::from_be_bytes(&c.p),
            g: BigUint::from_be_bytes(&c.g),
            q: c.q.as_deref().map(BigUint::from_be_bytes),
        }
    }

    fn components(&self) -> DhParameterComponents {
        DhParameterComponents {
            p: self.p.to_be_bytes(),
            g: self.g.to_be_bytes(),
            q: self.q.as_ref().map(BigUint::to_be_bytes),
        }
    }

    /// The size of p in bytes: the length of every shared secret.
    fn p_len(&self) -> usize {
        self.p.bits().div_ceil(8)
    }

    /// The parameter rules; returns p as a modulus for the key checks.
    fn check(&self) -> Result<OddModulus> {
        use KeyRejectedKind::{InconsistentComponents, InvalidComponent, TooSmall};
        if self.p.bits() < MIN_KEY_SIZE {
            return Err(rejected(TooSmall, "DH prime p (must be at least 512 bits)"));
        }
        if self.p.bits() > MAX_KEY_SIZE {
            return Err(rejected(
                KeyRejectedKind::TooLarge,
                "DH prime p (must be at most 10000 bits, OpenSSL's limit)",
            ));
        }
        let modulus = OddModulus::new(&self.p)
            .ok_or_else(|| rejected(InvalidComponent, "DH prime p (must be odd)"))?;
        let p_minus_one = minus_one(&self.p);
        if self.g <= BigUint::from_u64(1) || self.g >= p_minus_one {
            return Err(rejected(
                InvalidComponent,
                "DH generator g (must be in [2, p - 2])",
            ));
        }
        if let Some(q) = &self.q {
            if *q <= BigUint::from_u64(1) || *q >= self.p {
                return Err(rejected(
                    InvalidComponent,
                    "DH subgroup order q (must be in [2, p - 1])",
                ));
            }
            if !divides(q, &p_minus_one) {
                return Err(rejected(
                    InconsistentComponents,
                    "DH subgroup order q (must divide p - 1)",
                ));
            }
            if modulus.pow(&self.g, q) != Some(BigUint::from_u64(1)) {
                return Err(rejected(
                    InconsistentComponents,
                    "DH generator g (g^q mod p must be 1)",
                ));
            }
        }
        Ok(modulus)
    }
}

/// A DH public value with its parameters (pyca's `DHPublicNumbers`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DhPublicNumbers {
    /// The public value y = g^x mod p.
    pub y: BigUint,
    /// The parameters.
    pub parameter_numbers: DhParameterNumbers,
}

impl DhPublicNumbers {
    /// The numbers y and (p, g, q).
    pub fn new(y: BigUint, parameter_numbers: DhParameterNumbers) -> Self {
        DhPublicNumbers {
            y,
            parameter_numbers,
        }
    }

    /// The checked public key. A DH public key is numbers only, on no backend: the exchange runs
    /// on the private key's.
    pub fn public_key(&self) -> Result<DhPublicKey> {
        self.check()?;
        Ok(DhPublicKey {
            numbers: self.clone(),
        })
    }

    fn check(&self) -> Result<OddModulus> {
        let parameters = &self.parameter_numbers;
        let modulus = parameters.check()?;
        if self.y <= BigUint::from_u64(1) || self.y >= minus_one(&parameters.p) {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "DH public value y (must be in [2, p - 2])",
            ));
        }
        if let Some(q) = &parameters.q {
            if modulus.pow(&self.y, q) != Some(BigUint::from_u64(1)) {
                return Err(rejected(
                    KeyRejectedKind::InvalidComponent,
                    "DH public value y (y^q mod p must be 1)",
                ));
            }
        }
        Ok(modulus)
    }
}

/// A DH private key as numbers (pyca's `DHPrivateNumbers`). `Debug` does not print x.
#[derive(Clone, PartialEq, Eq)]
pub struct DhPrivateNumbers {
    /// The private value x (zeroized on drop).
    pub x: BigUint,
    /// The public half.
    pub public_numbers: DhPublicNumbers,
}

impl fmt::Debug for DhPrivateNumbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DhPrivateNumbers")
            .field("public_numbers", &self.public_numbers)
            .finish_non_exhaustive()
    }
}

impl DhPrivateNumbers {
    /// The numbers x and the public half.
    pub fn new(x: BigUint, public_numbers: DhPublicNumbers) -> Self {
        DhPrivateNumbers { x, public_numbers }
    }

    /// The key on the default backend.
    pub fn private_key(&self) -> Result<DhPrivateKey> {
        self.private_key_with_backend(default_backend())
    }

    /// The key on `backend` (which must have DH of this size).
    pub fn private_key_with_backend(&self, backend: Arc<dyn Backend>) -> Result<DhPrivateKey> {
        let modulus = self.public_numbers.check()?;
        let parameters = &self.public_numbers.parameter_numbers;
        let bound = parameters
            .q
            .clone()
            .unwrap_or_else(|| minus_one(&parameters.p));
        if self.x.is_zero() || self.x >= bound {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "DH private value x (must be in [1, p - 2], or [1, q - 1] with q)",
            ));
        }
        if modulus.pow(&parameters.g, &self.x).as_ref() != Some(&self.public_numbers.y) {
            return Err(rejected(
                KeyRejectedKind::InconsistentComponents,
                "DH public value y (must be g^x mod p)",
            ));
        }
        let x = zeroize::Zeroizing::new(self.x.to_be_bytes());
        let handle = backend.load_dh_private_value(&parameters.components(), &x)?;
        let key = DhPrivateKey::from_handle(handle, backend, parameters.clone())?;
        if key.public.numbers.y != self.public_numbers.y {
            return Err(Error::Backend(
                "the backend derived another DH public value from x".into(),
            ));
        }
        Ok(key)
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters and keys

/// Checked DH parameters on a backend (pyca's `DHParameters`).
#[derive(Clone)]
pub struct DhParameters {
    numbers: DhParameterNumbers,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for DhParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DhParameters")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend.name())
            .finish()
    }
}

impl DhParameters {
    /// A new key under these parameters, on their backend.
    pub fn generate_private_key(&self) -> Result<DhPrivateKey> {
        let handle = self
            .backend
            .generate_dh_private_key(&self.numbers.components())?;
        DhPrivateKey::from_handle(handle, self.backend.clone(), self.numbers.clone())
    }

    /// p, g and q.
    pub fn parameter_numbers(&self) -> DhParameterNumbers {
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

/// A DH private key held by a backend (pyca's `DHPrivateKey`). Cheap to clone; `Debug` shows no
/// secret.
#[derive(Clone)]
pub struct DhPrivateKey {
    handle: Arc<dyn DhPrivateKeyHandle>,
    public: DhPublicKey,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for DhPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DhPrivateKey")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl DhPrivateKey {
    /// The key of `handle`, made under `parameters` (the backend's p and g must be those; a q
    /// the backend adds or drops does not change the group).
    fn from_handle(
        handle: Arc<dyn DhPrivateKeyHandle>,
        backend: Arc<dyn Backend>,
        parameters: DhParameterNumbers,
    ) -> Result<Self> {
        let held = DhParameterNumbers::from_components(&handle.parameters());
        if held.p != parameters.p || held.g != parameters.g {
            return Err(Error::Backend(
                "the backend holds the DH key under other parameters than it was given".into(),
            ));
        }
        let numbers = DhPublicNumbers {
            y: BigUint::from_be_bytes(&handle.public_value()?),
            parameter_numbers: parameters,
        };
        numbers.check()?;
        Ok(DhPrivateKey {
            handle,
            public: DhPublicKey { numbers },
            backend,
        })
    }

    /// The shared secret with `peer` (under the same p and g): `peer_y^x mod p`, left-padded
    /// with zeros to the byte length of p.
    pub fn exchange(&self, peer: &DhPublicKey) -> Result<SecretBytes> {
        let ours = &self.public.numbers.parameter_numbers;
        let theirs = &peer.numbers.parameter_numbers;
        if ours.p != theirs.p || ours.g != theirs.g {
            return Err(Error::invalid(
                "the DH peer key uses other parameters (p, g) than this key",
            ));
        }
        let secret = self.handle.exchange(&peer.numbers.y.to_be_bytes())?;
        let len = ours.p_len();
        match secret.len() {
            n if n == len => Ok(secret),
            n if n < len => {
                let mut padded = SecretBytes::new(vec![0u8; len]);
                padded[len - n..].copy_from_slice(&secret);
                Ok(padded)
            }
            n => Err(Error::Backend(format!(
                "the backend returned a {n}-byte DH secret for a {len}-byte p"
            ))),
        }
    }

    /// The size of p in bits.
    pub fn key_size(&self) -> usize {
        self.public.key_size()
    }

    /// The public half.
    pub fn public_key(&self) -> Result<DhPublicKey> {
        Ok(self.public.clone())
    }

    /// The parameters, on the backend the key was made with.
    pub fn parameters(&self) -> DhParameters {
        DhParameters {
            numbers: self.public.numbers.parameter_numbers.clone(),
            backend: self.backend.clone(),
        }
    }

    /// x, y, p, g and q.
    pub fn private_numbers(&self) -> Result<DhPrivateNumbers> {
        let x = self.handle.private_value()?;
        Ok(DhPrivateNumbers {
            x: BigUint::from_be_bytes(&x),
            public_numbers: self.public.numbers.clone(),
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

/// A DH public key (pyca's `DHPublicKey`): checked numbers, on no backend.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DhPublicKey {
    numbers: DhPublicNumbers,
}

impl DhPublicKey {
    /// The size of p in bits.
    pub fn key_size(&self) -> usize {
        self.numbers.parameter_numbers.p.bits()
    }

    /// y, p, g and q.
    pub fn public_numbers(&self) -> DhPublicNumbers {
        self.numbers.clone()
    }

    /// p, g and q.
    pub fn parameter_numbers(&self) -> DhParameterNumbers {
        self.numbers.parameter_numbers.clone()
    }
}
