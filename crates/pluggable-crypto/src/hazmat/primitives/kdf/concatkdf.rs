//! The one-step KDF of NIST SP 800-56A (rev. 3 §5.8.2.1, "ConcatKDF"), with a hash or with
//! HMAC as the auxiliary function.
//!
//! `K(i) = H(counter_i ‖ Z ‖ OtherInfo)` (or `HMAC(salt, counter_i ‖ Z ‖ OtherInfo)`), with a
//! 32-bit big-endian counter from 1; built on [`Hash`](struct@Hash) and [`Hmac`], so every backend with the
//! hash (or HMAC over it) serves it.

use std::fmt;
use std::sync::Arc;

use super::{
    check_counter_limit, check_hash, check_hmac, check_length, fill_blocks, KeyDerivationFunction,
    Len, Usage,
};
use crate::exceptions::Result;
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::{Hash, HashAlgorithm};
use crate::hazmat::primitives::hmac::Hmac;

/// ConcatKDF with a hash (pyca's `ConcatKDFHash`).
pub struct ConcatKdfHash {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    otherinfo: Vec<u8>,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for ConcatKdfHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcatKdfHash")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("otherinfo", &Len(self.otherinfo.len()))
            .finish_non_exhaustive()
    }
}

impl ConcatKdfHash {
    /// ConcatKDF over `algorithm` deriving `length` bytes (1 to (2^32 − 1) × the digest size)
    /// on the default backend; `otherinfo` defaults to empty.
    pub fn new(
        algorithm: impl HashAlgorithm,
        length: usize,
        otherinfo: Option<&[u8]>,
    ) -> Result<Self> {
        Self::with_backend(algorithm, length, otherinfo, default_backend())
    }

    /// As [`ConcatKdfHash::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        otherinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, otherinfo, backend)
    }

    /// As [`ConcatKdfHash::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        otherinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_hash(&*algorithm, &*backend)?;
        check_length("ConcatKDF", length)?;
        check_counter_limit(
            "ConcatKDF",
            algorithm.name(),
            algorithm.digest_size(),
            length,
        )?;
        Ok(ConcatKdfHash {
            algorithm,
            length,
            otherinfo: otherinfo.unwrap_or_default().to_vec(),
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for ConcatKdfHash {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the shared secret `Z`.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, otherinfo, backend) = (&self.algorithm, &self.otherinfo, &self.backend);
        self.usage.run(self.length, out, |out| {
            fill_blocks(out, algorithm.digest_size(), |counter| {
                let mut hash = Hash::from_shared(algorithm.clone(), backend.clone())?;
                hash.update(&counter.to_be_bytes())?;
                hash.update(key_material)?;
                hash.update(otherinfo)?;
                hash.finalize()
            })
        })
    }
}

/// ConcatKDF with HMAC (pyca's `ConcatKDFHMAC`).
pub struct ConcatKdfHmac {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    salt: Vec<u8>,
    otherinfo: Vec<u8>,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for ConcatKdfHmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcatKdfHmac")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("salt", &Len(self.salt.len()))
            .field("otherinfo", &Len(self.otherinfo.len()))
            .finish_non_exhaustive()
    }
}

impl ConcatKdfHmac {
    /// ConcatKDF with HMAC over `algorithm` deriving `length` bytes (1 to (2^32 − 1) × the
    /// digest size) on the default backend. `salt` (the HMAC key) defaults to the hash's block
    /// size in zero bytes, `otherinfo` to empty.
    pub fn new(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: Option<&[u8]>,
        otherinfo: Option<&[u8]>,
    ) -> Result<Self> {
        Self::with_backend(algorithm, length, salt, otherinfo, default_backend())
    }

    /// As [`ConcatKdfHmac::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: Option<&[u8]>,
        otherinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, salt, otherinfo, backend)
    }

    /// As [`ConcatKdfHmac::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        salt: Option<&[u8]>,
        otherinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_hmac("ConcatKDFHMAC", &*algorithm, &*backend)?;
        check_length("ConcatKDFHMAC", length)?;
        check_counter_limit(
            "ConcatKDFHMAC",
            algorithm.name(),
            algorithm.digest_size(),
            length,
        )?;
        let salt = match salt {
            Some(salt) => salt.to_vec(),
            None => vec![0u8; algorithm.block_size()],
        };
        Ok(ConcatKdfHmac {
            algorithm,
            length,
            salt,
            otherinfo: otherinfo.unwrap_or_default().to_vec(),
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm of the HMAC.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for ConcatKdfHmac {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the shared secret `Z`.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, salt, otherinfo, backend) =
            (&self.algorithm, &self.salt, &self.otherinfo, &self.backend);
        self.usage.run(self.length, out, |out| {
            let keyed = Hmac::from_shared(salt, algorithm.clone(), backend.clone())?;
            fill_blocks(out, algorithm.digest_size(), |counter| {
                let mut mac = keyed.copy()?;
                mac.update(&counter.to_be_bytes())?;
                mac.update(key_material)?;
                mac.update(otherinfo)?;
                mac.finalize()
            })
        })
    }
}

super::inherent_kdf_methods!(ConcatKdfHash, ConcatKdfHmac);
