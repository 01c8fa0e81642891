//! PBKDF2 with HMAC (RFC 8018 §5.2), for deriving keys from passwords.
//!
//! Runs in a backend ([`KdfBackend`](crate::hazmat::backends::KdfBackend)): OpenSSL, the Rust backend (the `pbkdf2` crate) and ring
//! (over SHA-1 and SHA-2 only) all have it. Prefer [`Scrypt`](super::scrypt::Scrypt) or
//! [`Argon2id`](super::argon2::Argon2id) for new password storage.

use std::fmt;
use std::sync::Arc;

use super::{check_counter_limit, check_length, KeyDerivationFunction, Len, Usage};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// PBKDF2-HMAC (pyca's `PBKDF2HMAC`): `length` bytes from a password, a salt and an iteration
/// count.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::hashes::Sha1;
/// use pluggable_crypto::hazmat::primitives::kdf::{pbkdf2::Pbkdf2Hmac, KeyDerivationFunction};
///
/// // RFC 6070, test case 2.
/// let mut kdf = Pbkdf2Hmac::new(Sha1, 20, b"salt", 2)?;
/// let key = kdf.derive(b"password")?;
/// assert_eq!(key[..4], [0xea, 0x6c, 0x01, 0x4d]);
///
/// let mut check = Pbkdf2Hmac::new(Sha1, 20, b"salt", 2)?;
/// assert!(check.verify(b"passw0rd", &key).is_err()); // InvalidKey
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct Pbkdf2Hmac {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    salt: Vec<u8>,
    iterations: u32,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for Pbkdf2Hmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pbkdf2Hmac")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("salt", &Len(self.salt.len()))
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

impl Pbkdf2Hmac {
    /// PBKDF2 with HMAC over `algorithm`, deriving `length` bytes (1 to (2^32 − 1) × the digest
    /// size) with `salt` and `iterations` (at least 1), on the default backend. A hash no
    /// backend runs PBKDF2 over is `UnsupportedAlgorithm`.
    pub fn new(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: &[u8],
        iterations: u32,
    ) -> Result<Self> {
        Self::with_backend(algorithm, length, salt, iterations, default_backend())
    }

    /// As [`Pbkdf2Hmac::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: &[u8],
        iterations: u32,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, salt, iterations, backend)
    }

    /// As [`Pbkdf2Hmac::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        salt: &[u8],
        iterations: u32,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        if algorithm.is_xof() || !backend.pbkdf2_hmac_supported(&*algorithm) {
            return Err(Error::unsupported(
                Reason::UnsupportedHash,
                format!("{} is not supported for PBKDF2", algorithm.name()),
            ));
        }
        check_length("PBKDF2", length)?;
        check_counter_limit("PBKDF2", algorithm.name(), algorithm.digest_size(), length)?;
        if iterations == 0 {
            return Err(Error::invalid(
                "PBKDF2 iterations must be at least 1, got 0",
            ));
        }
        Ok(Pbkdf2Hmac {
            algorithm,
            length,
            salt: salt.to_vec(),
            iterations,
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm of the HMAC.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for Pbkdf2Hmac {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the password.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, salt, iterations, backend) = (
            &*self.algorithm,
            &self.salt,
            self.iterations,
            &*self.backend,
        );
        self.usage.run(self.length, out, |out| {
            backend.derive_pbkdf2_hmac(algorithm, key_material, salt, iterations, out)
        })
    }
}

super::inherent_kdf_methods!(Pbkdf2Hmac);
