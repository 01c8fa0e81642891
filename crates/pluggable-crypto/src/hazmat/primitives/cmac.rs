//! CMAC (NIST SP 800-38B, RFC 4493) over a block cipher.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::{ciphers::algorithms::Aes, cmac::Cmac};
//!
//! let key = [0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
//!            0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c];
//! let mut mac = Cmac::new(Aes::new(&key)?)?;
//! mac.update(b"")?;
//! let tag = mac.copy()?.finalize()?;
//! assert_eq!(tag[..4], [0xbb, 0x1d, 0x69, 0x29]); // RFC 4493, example 1
//! mac.verify(&tag)?;
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use crate::constant_time::check_mac_tag;
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend, MacContext};
use crate::hazmat::primitives::ciphers::algorithms::{self, Aes, CipherAlgorithm};

/// A streaming CMAC computation.
pub struct Cmac {
    algorithm: Arc<dyn CipherAlgorithm>,
    ctx: Box<dyn MacContext>,
}

impl fmt::Debug for Cmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cmac")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Cmac {
    /// Starts a CMAC with the block cipher `algorithm` (which carries the key) on the default
    /// backend. A stream cipher is `UnsupportedAlgorithm`.
    pub fn new(algorithm: impl CipherAlgorithm) -> Result<Self> {
        Self::with_backend(algorithm, default_backend())
    }

    /// As [`Cmac::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl CipherAlgorithm,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), backend)
    }

    /// As [`Cmac::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn CipherAlgorithm>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        if algorithm.block_size().is_none() {
            return Err(Error::unsupported(
                Reason::UnsupportedMac,
                format!(
                    "CMAC needs a block cipher; {} is a stream cipher",
                    algorithm.name()
                ),
            ));
        }
        if algorithms::is::<Aes>(&*algorithm) && algorithm.key_size() > 256 {
            return Err(Error::invalid(format!(
                "invalid key size ({} bits) for AES in CMAC: only 128, 192 and 256 bits",
                algorithm.key_size()
            )));
        }
        let ctx = backend.create_cmac_ctx(&*algorithm)?;
        Ok(Cmac { algorithm, ctx })
    }

    /// The block cipher.
    pub fn algorithm(&self) -> &dyn CipherAlgorithm {
        &*self.algorithm
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    /// An independent copy of the state so far.
    pub fn copy(&self) -> Result<Cmac> {
        Ok(Cmac {
            algorithm: self.algorithm.clone(),
            ctx: self.ctx.copy()?,
        })
    }

    /// The MAC (one cipher block long).
    pub fn finalize(self) -> Result<Vec<u8>> {
        self.ctx.finalize()
    }

    /// Checks `tag` against the MAC in constant time; any mismatch, including a wrong length,
    /// is `InvalidSignature`.
    pub fn verify(self, tag: &[u8]) -> Result<()> {
        check_mac_tag(&self.finalize()?, tag)
    }
}
