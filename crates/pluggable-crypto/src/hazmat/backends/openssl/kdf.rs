//! PBKDF2-HMAC, scrypt and Argon2 on `EVP_KDF`.
//!
//! Each KDF is fetched once per process, on first use, and a missing one is unsupported:
//! Argon2 exists from OpenSSL 3.2 on, and the fetch is probed, not the version. Every
//! derivation runs on a fresh `EVP_KDF_CTX`, which libcrypto wipes when it is freed.

use std::any::TypeId;
use std::collections::HashMap;
use std::ffi::{c_uint, CStr, CString};
use std::ptr::NonNull;
use std::sync::OnceLock;

use zeroize::Zeroize;

use super::{builtin_hash_table, clear_errors, ffi, openssl_error, sys, OpenSslBackend};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::backends::{Backend, KdfBackend};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{
    unsupported_argon2, unsupported_pbkdf2_hmac, unsupported_scrypt,
};

/// Parameter constructors libcrypto exports that `openssl-sys` does not bind.
mod ext {
    use std::ffi::c_char;

    extern "C" {
        pub(super) fn OSSL_PARAM_construct_uint64(
            key: *const c_char,
            buf: *mut u64,
        ) -> openssl_sys::OSSL_PARAM;
    }
}

/// An owned, fetched `EVP_KDF`.
struct EvpKdf(NonNull<ffi::EVP_KDF>);

// SAFETY: a fetched EVP_KDF is an immutable, reference-counted method object; OpenSSL documents
// fetched algorithms as shareable between threads.
unsafe impl Send for EvpKdf {}
// SAFETY: as above; it is only read (by EVP_KDF_CTX_new).
unsafe impl Sync for EvpKdf {}

impl EvpKdf {
    /// Fetches `name` from the default library context; `None` if no provider has it.
    fn fetch(name: &CStr) -> Option<Self> {
        // SAFETY: `name` is NUL-terminated and outlives the call; NULL library context and
        // properties select the defaults. NULL is checked.
        let kdf =
            unsafe { ffi::EVP_KDF_fetch(std::ptr::null_mut(), name.as_ptr(), std::ptr::null()) };
        match NonNull::new(kdf) {
            Some(kdf) => Some(EvpKdf(kdf)),
            None => {
                clear_errors();
                None
            }
        }
    }

    /// Runs one derivation into `out` with `params` (terminated by `OSSL_PARAM_END`). On
    /// failure `out` is wiped and the error names `what`.
    fn derive(&self, what: &str, params: &[ffi::OSSL_PARAM], out: &mut [u8]) -> Result<()> {
        if params.last().is_none_or(|p| !p.key.is_null()) {
            return Err(Error::Backend(format!(
                "{what}: unterminated parameter list"
            )));
        }
        // SAFETY: `self.0` is a live fetched EVP_KDF; NULL is checked.
        let ctx = NonNull::new(unsafe { ffi::EVP_KDF_CTX_new(self.0.as_ptr()) })
            .ok_or_else(|| openssl_error("EVP_KDF_CTX_new"))?;
        // SAFETY: `ctx` is live and exclusively ours. `params` is an OSSL_PARAM array ending in
        // OSSL_PARAM_END (checked above) whose buffers the caller keeps alive for this call;
        // libcrypto only reads them (it copies what it keeps). It writes exactly `out.len()`
        // bytes to `out`, which is that long.
        let ok = unsafe {
            ffi::EVP_KDF_derive(ctx.as_ptr(), out.as_mut_ptr(), out.len(), params.as_ptr())
        };
        // SAFETY: frees the context we allocated, once; this also cleanses the copied password.
        unsafe { ffi::EVP_KDF_CTX_free(ctx.as_ptr()) };
        if ok != 1 {
            out.zeroize();
            return Err(openssl_error(what));
        }
        Ok(())
    }
}

impl Drop for EvpKdf {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched KDF and drop it once.
        unsafe { ffi::EVP_KDF_free(self.0.as_ptr()) };
    }
}

/// The KDFs the linked libcrypto has, fetched once.
struct KdfRegistry {
    pbkdf2: Option<EvpKdf>,
    scrypt: Option<EvpKdf>,
    argon2d: Option<EvpKdf>,
    argon2i: Option<EvpKdf>,
    argon2id: Option<EvpKdf>,
    /// OpenSSL digest names by our hash type, for PBKDF2's `digest` parameter.
    digest_names: HashMap<TypeId, CString>,
}

fn registry() -> &'static KdfRegistry {
    static REGISTRY: OnceLock<KdfRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| KdfRegistry {
        pbkdf2: EvpKdf::fetch(c"PBKDF2"),
        scrypt: EvpKdf::fetch(c"SCRYPT"),
        argon2d: EvpKdf::fetch(c"ARGON2D"),
        argon2i: EvpKdf::fetch(c"ARGON2I"),
        argon2id: EvpKdf::fetch(c"ARGON2ID"),
        digest_names: builtin_hash_table()
            .into_iter()
            .filter_map(|(id, _, name)| Some((id, CString::new(name).ok()?)))
            .collect(),
    })
}

impl KdfRegistry {
    fn argon2(&self, variant: Argon2Variant) -> Option<&EvpKdf> {
        match variant {
            Argon2Variant::Argon2d => self.argon2d.as_ref(),
            Argon2Variant::Argon2i => self.argon2i.as_ref(),
            Argon2Variant::Argon2id => self.argon2id.as_ref(),
        }
    }
}

/// PBKDF2 and the OpenSSL name of `algorithm`, when this libcrypto has PBKDF2 and HMAC over it.
fn pbkdf2_for(
    backend: &OpenSslBackend,
    algorithm: &dyn HashAlgorithm,
) -> Option<(&'static EvpKdf, &'static CStr)> {
    let has_hmac = backend
        .hash_entry(algorithm)
        .is_some_and(|e| e.hmac.is_some());
    if !has_hmac {
        return None;
    }
    let registry = registry();
    let name = registry
        .digest_names
        .get(&(algorithm as &dyn std::any::Any).type_id())?;
    Some((registry.pbkdf2.as_ref()?, name.as_c_str()))
}

/// An input octet-string parameter over `data`.
///
/// # Safety
/// The returned parameter points into `data`; it must not be used after `data` is dropped, and
/// only as an input (libcrypto must never write through it).
unsafe fn octets(key: &'static CStr, data: &[u8]) -> ffi::OSSL_PARAM {
    // SAFETY: only builds the descriptor (no read yet); the caller's contract keeps `data`
    // alive and read-only for every use.
    unsafe {
        ffi::OSSL_PARAM_construct_octet_string(
            key.as_ptr(),
            data.as_ptr().cast_mut().cast(),
            data.len(),
        )
    }
}

impl KdfBackend for OpenSslBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        pbkdf2_for(self, algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        let (kdf, digest) = pbkdf2_for(self, algorithm)
            .ok_or_else(|| unsupported_pbkdf2_hmac(self.name(), algorithm))?;
        let mut iterations: c_uint = iterations;
        // RFC 8018 itself: no SP 800-132 lower bounds (those belong to the caller's policy).
        let mut pkcs5: c_uint = 1;
        // SAFETY: every parameter points into a local or an argument that outlives `derive`,
        // and each is only read. The digest name is NUL-terminated (`bsize` 0: libcrypto takes
        // its length with strlen).
        let params = unsafe {
            [
                octets(c"pass", key_material),
                octets(c"salt", salt),
                ffi::OSSL_PARAM_construct_uint(c"iter".as_ptr(), &mut iterations),
                sys::OSSL_PARAM_construct_utf8_string(
                    c"digest".as_ptr(),
                    digest.as_ptr().cast_mut(),
                    0,
                ),
                ffi::OSSL_PARAM_construct_uint(c"pkcs5".as_ptr(), &mut pkcs5),
                ffi::OSSL_PARAM_construct_end(),
            ]
        };
        kdf.derive("PBKDF2", &params, out)
    }

    fn scrypt_supported(&self) -> bool {
        registry().scrypt.is_some()
    }

    fn derive_scrypt(
        &self,
        key_material: &[u8],
        salt: &[u8],
        n: u64,
        r: u32,
        p: u32,
        out: &mut [u8],
    ) -> Result<()> {
        let kdf = registry()
            .scrypt
            .as_ref()
            .ok_or_else(|| unsupported_scrypt(self.name()))?;
        let mut n = n;
        let mut r: c_uint = r;
        let mut p: c_uint = p;
        // Exactly what scrypt needs (RFC 7914: V is N + 2 blocks of 128 r bytes in OpenSSL's
        // layout, B is p of them), so the limit never refuses valid parameters; allocation
        // itself may still fail, which is reported.
        let block = 128 * u64::from(r);
        let mut max_mem = n
            .saturating_add(2)
            .saturating_mul(block)
            .saturating_add(block.saturating_mul(u64::from(p)));
        // SAFETY: every parameter points into a local or an argument that outlives `derive`,
        // and each is only read.
        let params = unsafe {
            [
                octets(c"pass", key_material),
                octets(c"salt", salt),
                ext::OSSL_PARAM_construct_uint64(c"n".as_ptr(), &mut n),
                ffi::OSSL_PARAM_construct_uint(c"r".as_ptr(), &mut r),
                ffi::OSSL_PARAM_construct_uint(c"p".as_ptr(), &mut p),
                ext::OSSL_PARAM_construct_uint64(c"maxmem_bytes".as_ptr(), &mut max_mem),
                ffi::OSSL_PARAM_construct_end(),
            ]
        };
        kdf.derive("scrypt", &params, out)
    }

    fn argon2_supported(&self, variant: Argon2Variant) -> bool {
        registry().argon2(variant).is_some()
    }

    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        key_material: &[u8],
        params: &Argon2Params<'_>,
        out: &mut [u8],
    ) -> Result<()> {
        let kdf = registry()
            .argon2(variant)
            .ok_or_else(|| unsupported_argon2(self.name(), variant))?;
        let mut iterations: c_uint = params.iterations;
        let mut lanes: c_uint = params.lanes;
        let mut memory_cost: c_uint = params.memory_cost;
        // One thread: the output does not depend on it, and more needs OSSL_set_max_threads.
        let mut threads: c_uint = 1;
        let mut list: Vec<ffi::OSSL_PARAM> = Vec::with_capacity(9);
        // SAFETY: every parameter points into a local or an argument that outlives `derive`,
        // and each is only read. Empty `ad`/`secret` are left out (RFC 9106 encodes absent and
        // empty alike).
        unsafe {
            list.push(octets(c"pass", key_material));
            list.push(octets(c"salt", params.salt));
            list.push(ffi::OSSL_PARAM_construct_uint(
                c"iter".as_ptr(),
                &mut iterations,
            ));
            list.push(ffi::OSSL_PARAM_construct_uint(
                c"lanes".as_ptr(),
                &mut lanes,
            ));
            list.push(ffi::OSSL_PARAM_construct_uint(
                c"memcost".as_ptr(),
                &mut memory_cost,
            ));
            list.push(ffi::OSSL_PARAM_construct_uint(
                c"threads".as_ptr(),
                &mut threads,
            ));
            if !params.ad.is_empty() {
                list.push(octets(c"ad", params.ad));
            }
            if !params.secret.is_empty() {
                list.push(octets(c"secret", params.secret));
            }
            list.push(ffi::OSSL_PARAM_construct_end());
        }
        kdf.derive(variant.name(), &list, out)
    }

    fn supported_kdfs(&self) -> Vec<String> {
        let registry = registry();
        let mut names = Vec::new();
        if registry.pbkdf2.is_some() {
            let hashes = self
                .hashes
                .iter()
                .filter(|(id, e)| e.hmac.is_some() && registry.digest_names.contains_key(id))
                .map(|(_, e)| e.name);
            names.extend(
                sorted_hash_names(hashes)
                    .into_iter()
                    .map(|h| format!("pbkdf2-hmac-{h}")),
            );
        }
        if registry.scrypt.is_some() {
            names.push("scrypt".to_owned());
        }
        for variant in Argon2Variant::ALL {
            if registry.argon2(variant).is_some() {
                names.push(variant.name().to_owned());
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2_is_probed_not_assumed() {
        let backend = super::super::backend();
        // OpenSSL 3.0 and 3.1 have no Argon2; 3.2 and later do. Whatever the probe found, the
        // support answer agrees with a fresh fetch.
        let fresh = EvpKdf::fetch(c"ARGON2ID").is_some();
        assert_eq!(backend.argon2_supported(Argon2Variant::Argon2id), fresh);
    }
}
