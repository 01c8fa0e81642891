//! The ANSI X9.63 KDF (SEC 1 v2 §3.6.1): `K(i) = H(Z ‖ counter_i ‖ SharedInfo)` with a 32-bit
//! big-endian counter from 1.
//!
//! Built on [`Hash`](struct@Hash), so every backend with the hash serves it.

use std::fmt;
use std::sync::Arc;

use super::{
    check_counter_limit, check_hash, check_length, fill_blocks, KeyDerivationFunction, Len, Usage,
};
use crate::exceptions::Result;
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::{Hash, HashAlgorithm};

/// The X9.63 KDF (pyca's `X963KDF`).
pub struct X963Kdf {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    sharedinfo: Vec<u8>,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for X963Kdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("X963Kdf")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("sharedinfo", &Len(self.sharedinfo.len()))
            .finish_non_exhaustive()
    }
}

impl X963Kdf {
    /// The X9.63 KDF over `algorithm` deriving `length` bytes (1 to (2^32 − 1) × the digest
    /// size) on the default backend; `sharedinfo` defaults to empty.
    pub fn new(
        algorithm: impl HashAlgorithm,
        length: usize,
        sharedinfo: Option<&[u8]>,
    ) -> Result<Self> {
        Self::with_backend(algorithm, length, sharedinfo, default_backend())
    }

    /// As [`X963Kdf::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        sharedinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, sharedinfo, backend)
    }

    /// As [`X963Kdf::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        sharedinfo: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_hash(&*algorithm, &*backend)?;
        check_length("X963KDF", length)?;
        check_counter_limit("X963KDF", algorithm.name(), algorithm.digest_size(), length)?;
        Ok(X963Kdf {
            algorithm,
            length,
            sharedinfo: sharedinfo.unwrap_or_default().to_vec(),
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for X963Kdf {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the shared secret `Z`.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, sharedinfo, backend) = (&self.algorithm, &self.sharedinfo, &self.backend);
        self.usage.run(self.length, out, |out| {
            fill_blocks(out, algorithm.digest_size(), |counter| {
                let mut hash = Hash::from_shared(algorithm.clone(), backend.clone())?;
                hash.update(key_material)?;
                hash.update(&counter.to_be_bytes())?;
                hash.update(sharedinfo)?;
                hash.finalize()
            })
        })
    }
}

super::inherent_kdf_methods!(X963Kdf);
