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

use crate::constant_time::check_mac_tag;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A streaming HMAC computation (pyca's `hmac.HMAC`): [`update`](Hmac::update) as often as
/// needed, then [`finalize`](Hmac::finalize) for the tag or [`verify`](Hmac::verify) to check
/// one in constant time; both consume the context. For data already in memory,
/// [`Hmac::sign`] and [`Hmac::verify_tag`] do it in one call.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::{hashes::Sha256, hmac::Hmac};
/// use pluggable_crypto::Error;
///
/// // RFC 4231 test case 2.
/// let mut mac = Hmac::new(b"Jefe", Sha256)?;
/// mac.update(b"what do ya want ")?;
/// mac.update(b"for nothing?")?;
/// let tag = mac.finalize()?;
/// assert_eq!(tag[..4], [0x5b, 0xdc, 0xc1, 0x46]);
///
/// assert_eq!(Hmac::sign(b"Jefe", Sha256, b"what do ya want for nothing?")?, tag);
/// Hmac::verify_tag(b"Jefe", Sha256, b"what do ya want for nothing?", &tag)?;
/// assert_eq!(
///     Hmac::verify_tag(b"Jefe", Sha256, b"what do ya want for something?", &tag),
///     Err(Error::InvalidSignature)
/// );
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
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
        let ctx = start(key, &*algorithm, &*backend)?;
        Ok(Hmac { algorithm, ctx })
    }

    /// The HMAC of `data` under `key` over `algorithm`, in one call on the default backend.
    pub fn sign(key: &[u8], algorithm: impl HashAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
        Self::sign_with_backend(key, algorithm, data, default_backend())
    }

    /// As [`Hmac::sign`], on `backend`.
    pub fn sign_with_backend(
        key: &[u8],
        algorithm: impl HashAlgorithm,
        data: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Vec<u8>> {
        let mut ctx = start(key, &algorithm, &*backend)?;
        ctx.update(data)?;
        ctx.finalize()
    }

    /// Checks `tag` against the HMAC of `data` under `key` over `algorithm`, in one call on the
    /// default backend, in constant time; any mismatch, including a wrong length, is
    /// `InvalidSignature`.
    pub fn verify_tag(
        key: &[u8],
        algorithm: impl HashAlgorithm,
        data: &[u8],
        tag: &[u8],
    ) -> Result<()> {
        Self::verify_tag_with_backend(key, algorithm, data, tag, default_backend())
    }

    /// As [`Hmac::verify_tag`], on `backend`.
    pub fn verify_tag_with_backend(
        key: &[u8],
        algorithm: impl HashAlgorithm,
        data: &[u8],
        tag: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<()> {
        let mac = Self::sign_with_backend(key, algorithm, data, backend)?;
        check_mac_tag(&mac, tag)
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
        check_mac_tag(&mac, tag)
    }
}

/// The backend context for an HMAC over `algorithm`; an XOF is `UnsupportedAlgorithm`.
fn start(
    key: &[u8],
    algorithm: &dyn HashAlgorithm,
    backend: &dyn Backend,
) -> Result<Box<dyn HmacContext>> {
    if algorithm.is_xof() {
        return Err(Error::unsupported(
            crate::exceptions::Reason::UnsupportedMac,
            format!(
                "HMAC is not defined over an extendable-output function ({})",
                algorithm.name()
            ),
        ));
    }
    backend.create_hmac_ctx(key, algorithm)
}
