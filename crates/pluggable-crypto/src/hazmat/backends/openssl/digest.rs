//! Hash contexts on `EVP_MD_CTX` and HMAC contexts on `EVP_MAC_CTX`.

use std::ffi::CString;

use super::evp::{Mac, MacCtx, MacTemplate, Md, MdCtx, Params};
use super::ffi;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::{HashFactory, HmacFactory};
use crate::hazmat::backends::{HashContext, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A running hash on an `EVP_MD_CTX`.
pub struct OpenSslHashContext {
    ctx: MdCtx,
    digest_size: usize,
    xof: bool,
}

impl OpenSslHashContext {
    pub(super) fn new(md: &Md, algorithm: &dyn HashAlgorithm) -> Result<Self> {
        let digest_size = algorithm.digest_size();
        let xof = algorithm.is_xof();
        if !xof && md.size() != digest_size {
            return Err(Error::Backend(format!(
                "{} digest size mismatch: OpenSSL says {} bytes",
                algorithm.name(),
                md.size()
            )));
        }
        Ok(OpenSslHashContext {
            ctx: MdCtx::new(md)?,
            digest_size,
            xof,
        })
    }

    /// The native `EVP_MD_CTX`.
    ///
    /// # Safety
    /// Valid while `self` lives; the caller must not free it, use it concurrently with `self`,
    /// or change its digest.
    pub unsafe fn as_ptr(&self) -> *mut ffi::EVP_MD_CTX {
        self.ctx.as_ptr()
    }
}

impl HashContext for OpenSslHashContext {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    fn copy(&self) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(OpenSslHashContext {
            ctx: self.ctx.copy()?,
            digest_size: self.digest_size,
            xof: self.xof,
        }))
    }

    fn finalize(mut self: Box<Self>) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.digest_size];
        if self.xof {
            self.ctx.finish_xof(&mut out)?;
        } else {
            self.ctx.finish(&mut out)?;
        }
        Ok(out)
    }
}

impl HashFactory for Md {
    fn create_hash(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(OpenSslHashContext::new(self, algorithm)?))
    }
}

impl HmacFactory for HmacTemplate {
    fn create_hmac(&self, key: &[u8]) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(OpenSslHmacContext::new(self, key)?))
    }
}

/// The fetched `EVP_MAC` "HMAC".
pub(super) struct HmacAlgorithm(Mac);

impl HmacAlgorithm {
    pub(super) fn fetch() -> Option<Self> {
        Mac::fetch(c"HMAC").map(HmacAlgorithm)
    }

    /// A keyless-use template context set to `digest` (an OpenSSL digest name), or `None` if
    /// HMAC cannot use that digest. New contexts are duplicated from it, so no per-message
    /// digest fetch happens.
    pub(super) fn template(&self, digest: &str, md: &Md) -> Option<HmacTemplate> {
        let mut ctx = self.0.new_ctx().ok()?;
        let name = CString::new(digest).ok()?;
        // An empty key initialises the context so it can be duplicated; every real use
        // re-initialises it with the caller's key.
        let set = ctx
            .set_params(
                "EVP_MAC_CTX_set_params",
                Params::with_capacity(2).utf8(c"digest", &name),
            )
            .and_then(|()| ctx.init(&[]));
        if set.is_err() {
            // The error queue is drained: this digest has no HMAC here.
            return None;
        }
        Some(HmacTemplate {
            ctx: MacTemplate::new(ctx),
            size: md.size(),
        })
    }
}

/// An `EVP_MAC_CTX` set to one digest, never used except as the source of `EVP_MAC_CTX_dup`.
pub(super) struct HmacTemplate {
    ctx: MacTemplate,
    size: usize,
}

/// A running HMAC on an `EVP_MAC_CTX`.
pub struct OpenSslHmacContext {
    ctx: MacCtx,
    size: usize,
}

impl OpenSslHmacContext {
    pub(super) fn new(template: &HmacTemplate, key: &[u8]) -> Result<Self> {
        let mut ctx = template.ctx.dup()?;
        // NULL params keep the template's digest.
        ctx.init(key)?;
        Ok(OpenSslHmacContext {
            ctx,
            size: template.size,
        })
    }

    /// The native `EVP_MAC_CTX`.
    ///
    /// # Safety
    /// Valid while `self` lives; the caller must not free it, use it concurrently with `self`,
    /// or re-key it.
    pub unsafe fn as_ptr(&self) -> *mut ffi::EVP_MAC_CTX {
        self.ctx.as_ptr()
    }
}

impl HmacContext for OpenSslHmacContext {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.ctx.update(data)
    }

    fn copy(&self) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(OpenSslHmacContext {
            ctx: self.ctx.dup()?,
            size: self.size,
        }))
    }

    fn finalize(mut self: Box<Self>) -> Result<Vec<u8>> {
        self.ctx.finish_to_vec(self.size)
    }
}
