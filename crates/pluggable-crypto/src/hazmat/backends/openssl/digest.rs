//! Hash contexts on `EVP_MD_CTX` and HMAC contexts on `EVP_MAC_CTX`.

use std::ffi::CString;
use std::ptr::NonNull;

use super::{ffi, openssl_error, sys, EvpMd};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{HashContext, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A running hash on an `EVP_MD_CTX`.
pub struct OpenSslHashContext {
    ctx: NonNull<ffi::EVP_MD_CTX>,
    digest_size: usize,
    xof: bool,
}

// SAFETY: the EVP_MD_CTX is exclusively owned and only mutated through `&mut self`; libcrypto
// contexts may move between threads when not used concurrently.
unsafe impl Send for OpenSslHashContext {}

impl OpenSslHashContext {
    pub(super) fn new(md: &EvpMd, algorithm: &dyn HashAlgorithm) -> Result<Self> {
        let ctx = Self::alloc(algorithm.digest_size(), algorithm.is_xof())?;
        if !ctx.xof {
            // SAFETY: `md` is a live fetched EVP_MD; reads a constant.
            let size = unsafe { ffi::EVP_MD_get_size(md.as_ptr()) };
            if usize::try_from(size).ok() != Some(ctx.digest_size) {
                return Err(Error::Backend(format!(
                    "{} digest size mismatch: OpenSSL says {size} bytes",
                    algorithm.name()
                )));
            }
        }
        // SAFETY: fresh context and live EVP_MD; NULL engine.
        if unsafe { ffi::EVP_DigestInit_ex(ctx.ctx.as_ptr(), md.as_ptr(), std::ptr::null_mut()) }
            != 1
        {
            return Err(openssl_error("EVP_DigestInit_ex"));
        }
        Ok(ctx)
    }

    fn alloc(digest_size: usize, xof: bool) -> Result<Self> {
        // SAFETY: allocates a fresh context; NULL is checked.
        let raw = unsafe { ffi::EVP_MD_CTX_new() };
        let ctx = NonNull::new(raw).ok_or_else(|| openssl_error("EVP_MD_CTX_new"))?;
        Ok(OpenSslHashContext {
            ctx,
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
        // SAFETY: reads `data.len()` bytes from `data`, which lives for the call (size_t
        // length, so no chunking is needed).
        let ok =
            unsafe { ffi::EVP_DigestUpdate(self.ctx.as_ptr(), data.as_ptr().cast(), data.len()) };
        if ok != 1 {
            return Err(openssl_error("EVP_DigestUpdate"));
        }
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HashContext>> {
        let copy = Self::alloc(self.digest_size, self.xof)?;
        // SAFETY: both are live contexts; the source is only read.
        if unsafe { ffi::EVP_MD_CTX_copy_ex(copy.ctx.as_ptr(), self.ctx.as_ptr()) } != 1 {
            return Err(openssl_error("EVP_MD_CTX_copy_ex"));
        }
        Ok(Box::new(copy))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.digest_size];
        let ok = if self.xof {
            // SAFETY: writes exactly `out.len()` bytes into `out`.
            unsafe { ffi::EVP_DigestFinalXOF(self.ctx.as_ptr(), out.as_mut_ptr(), out.len()) }
        } else {
            let mut len = 0u32;
            // SAFETY: writes EVP_MD_get_size bytes, checked equal to `out.len()` at creation.
            unsafe { ffi::EVP_DigestFinal_ex(self.ctx.as_ptr(), out.as_mut_ptr(), &mut len) }
        };
        if ok != 1 {
            return Err(openssl_error("EVP_DigestFinal"));
        }
        Ok(out)
    }
}

impl Drop for OpenSslHashContext {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once.
        unsafe { ffi::EVP_MD_CTX_free(self.ctx.as_ptr()) };
    }
}

/// The fetched `EVP_MAC` "HMAC".
pub(super) struct HmacAlgorithm(NonNull<ffi::EVP_MAC>);

impl HmacAlgorithm {
    pub(super) fn fetch() -> Option<Self> {
        // SAFETY: static NUL-terminated name; NULL context and properties.
        let mac =
            unsafe { ffi::EVP_MAC_fetch(std::ptr::null_mut(), c"HMAC".as_ptr(), std::ptr::null()) };
        match NonNull::new(mac) {
            Some(mac) => Some(HmacAlgorithm(mac)),
            None => {
                super::clear_errors();
                None
            }
        }
    }

    /// A keyless-use template context set to `digest` (an OpenSSL digest name), or `None` if
    /// HMAC cannot use that digest. New contexts are duplicated from it, so no per-message
    /// digest fetch happens.
    pub(super) fn template(&self, digest: &str, md: &EvpMd) -> Option<HmacTemplate> {
        // SAFETY: `self.0` is a live EVP_MAC; NULL is checked.
        let ctx = NonNull::new(unsafe { ffi::EVP_MAC_CTX_new(self.0.as_ptr()) })?;
        let mut template = HmacTemplate { ctx, size: 0 };
        let mut name = CString::new(digest).ok()?.into_bytes_with_nul();
        // SAFETY: the parameter array points into `name`, which outlives the set_params call;
        // OpenSSL copies the string. An empty non-NULL key initialises the context so it can
        // be duplicated; every real use re-initialises it with the caller's key.
        let ok = unsafe {
            let params = [
                sys::OSSL_PARAM_construct_utf8_string(
                    c"digest".as_ptr(),
                    name.as_mut_ptr().cast(),
                    0,
                ),
                ffi::OSSL_PARAM_construct_end(),
            ];
            ffi::EVP_MAC_CTX_set_params(ctx.as_ptr(), params.as_ptr()) == 1
                && ffi::EVP_MAC_init(ctx.as_ptr(), [0u8; 1].as_ptr(), 0, std::ptr::null()) == 1
        };
        if !ok {
            super::clear_errors();
            return None;
        }
        // SAFETY: live fetched EVP_MD; reads a constant.
        template.size = usize::try_from(unsafe { ffi::EVP_MD_get_size(md.as_ptr()) }).ok()?;
        Some(template)
    }
}

impl Drop for HmacAlgorithm {
    fn drop(&mut self) {
        // SAFETY: owned reference, freed once.
        unsafe { ffi::EVP_MAC_free(self.0.as_ptr()) };
    }
}

/// An `EVP_MAC_CTX` set to one digest, never used except as the source of `EVP_MAC_CTX_dup`.
pub(super) struct HmacTemplate {
    ctx: NonNull<ffi::EVP_MAC_CTX>,
    size: usize,
}

// SAFETY: after construction the template is never mutated; it is only read by
// EVP_MAC_CTX_dup, which libcrypto allows concurrently on the same source.
unsafe impl Send for HmacTemplate {}
// SAFETY: as above.
unsafe impl Sync for HmacTemplate {}

impl Drop for HmacTemplate {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once.
        unsafe { ffi::EVP_MAC_CTX_free(self.ctx.as_ptr()) };
    }
}

/// A running HMAC on an `EVP_MAC_CTX`.
pub struct OpenSslHmacContext {
    ctx: NonNull<ffi::EVP_MAC_CTX>,
    size: usize,
}

// SAFETY: exclusively owned; mutated only through `&mut self`.
unsafe impl Send for OpenSslHmacContext {}

impl OpenSslHmacContext {
    pub(super) fn new(template: &HmacTemplate, key: &[u8]) -> Result<Self> {
        let ctx = Self::dup(template.ctx, template.size)?;
        // A zero-length key still needs a non-NULL pointer, or OpenSSL keeps the old key.
        let key_ptr = if key.is_empty() {
            [0u8; 1].as_ptr()
        } else {
            key.as_ptr()
        };
        // SAFETY: reads `key.len()` bytes from `key_ptr` (one byte of storage when the length
        // is 0); NULL params keep the template's digest. OpenSSL copies the key.
        if unsafe { ffi::EVP_MAC_init(ctx.ctx.as_ptr(), key_ptr, key.len(), std::ptr::null()) } != 1
        {
            return Err(openssl_error("EVP_MAC_init"));
        }
        Ok(ctx)
    }

    fn dup(source: NonNull<ffi::EVP_MAC_CTX>, size: usize) -> Result<Self> {
        // SAFETY: `source` is a live context, only read.
        let raw = unsafe { ffi::EVP_MAC_CTX_dup(source.as_ptr()) };
        let ctx = NonNull::new(raw).ok_or_else(|| openssl_error("EVP_MAC_CTX_dup"))?;
        Ok(OpenSslHmacContext { ctx, size })
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
        // SAFETY: reads `data.len()` bytes from `data` for the duration of the call.
        if unsafe { ffi::EVP_MAC_update(self.ctx.as_ptr(), data.as_ptr(), data.len()) } != 1 {
            return Err(openssl_error("EVP_MAC_update"));
        }
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(Self::dup(self.ctx, self.size)?))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.size];
        let mut len = 0usize;
        // SAFETY: OpenSSL writes at most `out.len()` bytes (the bound we pass) into `out`.
        let ok =
            unsafe { ffi::EVP_MAC_final(self.ctx.as_ptr(), out.as_mut_ptr(), &mut len, out.len()) };
        if ok != 1 {
            return Err(openssl_error("EVP_MAC_final"));
        }
        out.truncate(len);
        Ok(out)
    }
}

impl Drop for OpenSslHmacContext {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once; libcrypto cleanses the key material.
        unsafe { ffi::EVP_MAC_CTX_free(self.ctx.as_ptr()) };
    }
}
