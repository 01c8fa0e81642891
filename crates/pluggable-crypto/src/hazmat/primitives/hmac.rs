//! HMAC (RFC 2104) over any fixed-output hash.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::{hashes::Sha256, hmac::Hmac};
//!
//! let mut mac = Hmac::new(b"key", Sha256)?;
//! mac.update(b"The quick brown fox jumps over the lazy dog")?;
//! let tag = mac.copy()?.finalize()?;
//! assert_eq!(tag[..4], [0xf7, 0xbc, 0x83, 0xf4]);
//! mac.verify(&tag)?;
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use subtle::ConstantTimeEq;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A streaming HMAC computation.
pub struct Hmac {
    algorithm: Arc<dyn HashAlgorithm>,
    ctx: Box<dyn HmacContext>,
}

impl fmt::Debug for Hmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hmac")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Hmac {
    /// Starts an HMAC keyed with `key` (any length) over `algorithm` on the default backend.
    /// An extendable-output function (SHAKE) is `UnsupportedAlgorithm`.
    pub fn new(key: &[u8], algorithm: impl HashAlgorithm) -> Result<Self> {
        Self::with_backend(key, algorithm, default_backend())
    }

    /// As [`Hmac::new`], on `backend`.
    pub fn with_backend(
        key: &[u8],
        algorithm: impl HashAlgorithm,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(key, Arc::new(algorithm), backend)
    }

    /// As [`Hmac::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        key: &[u8],
        algorithm: Arc<dyn HashAlgorithm>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        if algorithm.is_xof() {
            return Err(Error::unsupported(
                crate::exceptions::Reason::UnsupportedMac,
                format!(
                    "HMAC is not defined over an extendable-output function ({})",
                    algorithm.name()
                ),
            ));
        }
        let ctx = backend.create_hmac_ctx(key, &*algorithm)?;
        Ok(Hmac { algorithm, ctx })
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    /// An independent copy of the state so far.
    pub fn copy(&self) -> Result<Hmac> {
        Ok(Hmac {
            algorithm: self.algorithm.clone(),
            ctx: self.ctx.copy()?,
        })
    }

    /// The MAC.
    pub fn finalize(self) -> Result<Vec<u8>> {
        self.ctx.finalize()
    }

    /// Checks `tag` against the MAC in constant time; any mismatch, including a wrong length,
    /// is `InvalidSignature`.
    pub fn verify(self, tag: &[u8]) -> Result<()> {
        let mac = self.finalize()?;
        if bool::from(mac.as_slice().ct_eq(tag)) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}
