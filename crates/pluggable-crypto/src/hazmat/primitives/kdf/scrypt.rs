//! scrypt (RFC 7914), the memory-hard password-based KDF.
//!
//! Runs in a backend ([`KdfBackend`](crate::hazmat::backends::KdfBackend)): OpenSSL and the Rust backend (the `scrypt` crate) have
//! it; ring does not. It needs about `128 × n × r` bytes of memory.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::kdf::{scrypt::Scrypt, KeyDerivationFunction};
//!
//! # if !pluggable_crypto::hazmat::backends::default_backend().scrypt_supported() { return Ok(()); }
//! // RFC 7914 §12, second vector.
//! let mut kdf = Scrypt::new(b"NaCl", 64, 1024, 8, 16)?;
//! let key = kdf.derive(b"password")?;
//! assert_eq!(key[..4], [0xfd, 0xba, 0xbe, 0x1c]);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use super::{check_counter_limit, check_length, KeyDerivationFunction, Len, Usage};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};

/// scrypt (pyca's `Scrypt`): `length` bytes from a password and a salt, with CPU/memory cost
/// `n`, block size `r` and parallelism `p`.
pub struct Scrypt {
    salt: Vec<u8>,
    length: usize,
    n: u64,
    r: u32,
    p: u32,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for Scrypt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrypt")
            .field("salt", &Len(self.salt.len()))
            .field("length", &self.length)
            .field("n", &self.n)
            .field("r", &self.r)
            .field("p", &self.p)
            .finish_non_exhaustive()
    }
}

impl Scrypt {
    /// scrypt deriving `length` bytes (1 to (2^32 − 1) × 32) with `salt`, on the default
    /// backend. The rules are RFC 7914's: `n` greater than 1, a power of two and below
    /// `2^(16 r)`; `r` and `p` at least 1 with `r × p < 2^30`. A default backend without scrypt
    /// is `UnsupportedAlgorithm`.
    pub fn new(salt: &[u8], length: usize, n: u64, r: u32, p: u32) -> Result<Self> {
        Self::with_backend(salt, length, n, r, p, default_backend())
    }

    /// As [`Scrypt::new`], on `backend`.
    pub fn with_backend(
        salt: &[u8],
        length: usize,
        n: u64,
        r: u32,
        p: u32,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_length("scrypt", length)?;
        check_counter_limit("scrypt", "PBKDF2-HMAC-SHA256", 32, length)?;
        if n < 2 || !n.is_power_of_two() {
            return Err(Error::invalid(format!(
                "scrypt n must be greater than 1 and a power of 2, got {n}"
            )));
        }
        if r < 1 {
            return Err(Error::invalid("scrypt r must be at least 1, got 0"));
        }
        if p < 1 {
            return Err(Error::invalid("scrypt p must be at least 1, got 0"));
        }
        // RFC 7914 §2: N < 2^(128 r / 8). For r >= 4 every u64 `n` qualifies.
        let log_n = n.trailing_zeros();
        if u64::from(r) * 16 <= u64::from(log_n) {
            return Err(Error::invalid(format!(
                "scrypt n must be less than 2^(16 r) = 2^{} (RFC 7914 section 2), got n = 2^{log_n}",
                u64::from(r) * 16
            )));
        }
        // RFC 7914 §2: p <= ((2^32 - 1) * 32) / (128 * r), i.e. r * p < 2^30.
        if u64::from(r) * u64::from(p) >= 1 << 30 {
            return Err(Error::invalid(format!(
                "scrypt r x p must be less than 2^30 (RFC 7914 section 2), got r = {r}, p = {p}"
            )));
        }
        // Parameters first: their rules hold whatever the backend.
        if !backend.scrypt_supported() {
            return Err(Error::unsupported(
                Reason::BackendMissingInterface,
                "the backend does not support scrypt",
            ));
        }
        Ok(Scrypt {
            salt: salt.to_vec(),
            length,
            n,
            r,
            p,
            backend,
            usage: Usage::default(),
        })
    }
}

impl KeyDerivationFunction for Scrypt {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the password.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (salt, n, r, p, backend) = (&self.salt, self.n, self.r, self.p, &*self.backend);
        self.usage.run(self.length, out, |out| {
            backend.derive_scrypt(key_material, salt, n, r, p, out)
        })
    }
}

super::inherent_kdf_methods!(Scrypt);
