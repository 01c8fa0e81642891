//! The streaming [`Hash`](struct@Hash) context and the one-shot [`hash`](fn@hash).

use std::fmt;
use std::sync::Arc;

use super::algorithms::HashAlgorithm;
use crate::exceptions::Result;
use crate::hazmat::backends::{default_backend, Backend, HashContext};

/// A streaming hash computation (pyca's `hashes.Hash`): [`update`](Hash::update) as often as
/// needed, [`copy`](Hash::copy) to fork the state, then [`finalize`](Hash::finalize), which
/// consumes the context. For data already in memory, [`hash`](fn@hash) does it in one call.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::hashes::{Blake2b, Hash, Sha256};
///
/// let mut hash = Hash::new(Sha256)?;
/// hash.update(b"a")?;
/// let prefix = hash.copy()?; // the state after "a"
/// hash.update(b"bc")?;
/// // FIPS 180-2 appendix B.1: SHA-256("abc").
/// assert_eq!(hash.finalize()?[..4], [0xba, 0x78, 0x16, 0xbf]);
/// assert_eq!(prefix.finalize()?[..4], [0xca, 0x97, 0x81, 0x12]); // SHA-256("a")
///
/// // BLAKE2b needs no size: it is pyca's only one, 64 bytes.
/// assert_eq!(Hash::new(Blake2b)?.finalize()?.len(), 64);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct Hash {
    algorithm: Arc<dyn HashAlgorithm>,
    ctx: Box<dyn HashContext>,
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hash")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Hash {
    /// Starts hashing with `algorithm` on the default backend.
    pub fn new(algorithm: impl HashAlgorithm) -> Result<Self> {
        Self::with_backend(algorithm, default_backend())
    }

    /// Starts hashing with `algorithm` on `backend`.
    pub fn with_backend(algorithm: impl HashAlgorithm, backend: Arc<dyn Backend>) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), backend)
    }

    /// Starts hashing with a shared algorithm object on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let ctx = backend.create_hash_ctx(&*algorithm)?;
        Ok(Hash { algorithm, ctx })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    /// An independent copy of the state so far.
    pub fn copy(&self) -> Result<Hash> {
        Ok(Hash {
            algorithm: self.algorithm.clone(),
            ctx: self.ctx.copy()?,
        })
    }

    /// The digest.
    pub fn finalize(self) -> Result<Vec<u8>> {
        self.ctx.finalize()
    }
}

/// The digest of `data` under `algorithm`, in one call on the default backend.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::hashes::{self, Sha256};
///
/// let digest = hashes::hash(Sha256, b"abc")?;
/// assert_eq!(digest[..4], [0xba, 0x78, 0x16, 0xbf]);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn hash(algorithm: impl HashAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
    hash_with_backend(algorithm, data, default_backend())
}

/// As [`hash`](fn@hash), on `backend`.
pub fn hash_with_backend(
    algorithm: impl HashAlgorithm,
    data: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<Vec<u8>> {
    let mut ctx = backend.create_hash_ctx(&algorithm)?;
    ctx.update(data)?;
    ctx.finalize()
}
