//! The Poly1305 one-time authenticator (RFC 8439, section 2.5).
//!
//! A key must never authenticate two messages: derive a fresh one per message (as
//! ChaCha20-Poly1305 does).
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
//!
//! let key = [0x42u8; 32];
//! let tag = Poly1305::generate_tag(&key, b"a message")?;
//! Poly1305::verify_tag(&key, b"a message", &tag)?;
//! assert!(Poly1305::verify_tag(&key, b"another message", &tag).is_err());
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use crate::constant_time::check_mac_tag;
use crate::exceptions::{Bytes, Error, Result};
use crate::hazmat::backends::{default_backend, Backend, MacContext};

/// A streaming Poly1305 computation.
pub struct Poly1305 {
    ctx: Box<dyn MacContext>,
}

impl fmt::Debug for Poly1305 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poly1305").finish_non_exhaustive()
    }
}

impl Poly1305 {
    /// The key length in bytes.
    pub const KEY_BYTES: usize = 32;
    /// The tag length in bytes.
    pub const TAG_BYTES: usize = 16;

    /// Starts a Poly1305 computation with a 32-byte one-time `key` on the default backend.
    pub fn new(key: &[u8]) -> Result<Self> {
        Self::with_backend(key, default_backend())
    }

    /// As [`Poly1305::new`], on `backend`.
    pub fn with_backend(key: &[u8], backend: Arc<dyn Backend>) -> Result<Self> {
        if key.len() != Self::KEY_BYTES {
            return Err(Error::invalid(format!(
                "a Poly1305 key must be 32 bytes, got {}",
                Bytes(key.len())
            )));
        }
        Ok(Poly1305 {
            ctx: backend.create_poly1305_ctx(key)?,
        })
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    /// The 16-byte tag.
    pub fn finalize(self) -> Result<Vec<u8>> {
        self.ctx.finalize()
    }

    /// Checks `tag` in constant time; any mismatch, including a wrong length, is
    /// `InvalidSignature`.
    pub fn verify(self, tag: &[u8]) -> Result<()> {
        check_mac_tag(&self.finalize()?, tag)
    }

    /// The tag of `data` under `key`, in one call.
    pub fn generate_tag(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
        let mut mac = Self::new(key)?;
        mac.update(data)?;
        mac.finalize()
    }

    /// Checks the tag of `data` under `key`, in one call.
    pub fn verify_tag(key: &[u8], data: &[u8], tag: &[u8]) -> Result<()> {
        let mut mac = Self::new(key)?;
        mac.update(data)?;
        mac.verify(tag)
    }
}
