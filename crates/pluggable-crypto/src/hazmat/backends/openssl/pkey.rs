//! The FFI boundary of the public-key families: `EVP_PKEY` and `EVP_PKEY_CTX` through the
//! OpenSSL 3.0 APIs (`EVP_PKEY_fromdata` / `EVP_PKEY_get_*_param`, `EVP_PKEY_CTX` for sign,
//! verify, encrypt, decrypt and derive; none of the deprecated `RSA_*` / `EC_KEY_*`).
//!
//! Every `unsafe` block of the public-key families is here, as [`super::evp`] holds those of
//! the symmetric ones; the family modules (`rsa`, `ec`, `eddsa`, `xdh`, `dsa`, `dh`) are safe
//! code over:
//!
//! | handle | native type | what it does |
//! |---|---|---|
//! | [`Pkey`] | `EVP_PKEY` | built once (fromdata, generate, raw bytes), shared, parameters read |
//! | [`PkeyCtx`] | `EVP_PKEY_CTX` | one operation: sign, verify, verify-recover, encrypt, decrypt, derive, keygen |
//!
//! Integers go in as [`NativeBn`] (the platform-order bytes `OSSL_PARAM_construct_BN` reads,
//! zeroized on drop) and come out as big-endian bytes.

use std::ffi::{c_int, CStr};
use std::ptr::{self, NonNull};

use zeroize::Zeroizing;

use super::evp::{clear_errors, cvt, cvt_p, Params};
use super::ffi;
use crate::exceptions::{Error, Result};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;

/// Declarations libcrypto exports that `openssl-sys` does not bind.
mod sys {
    use std::ffi::{c_char, c_int};

    extern "C" {
        pub(super) fn EVP_PKEY_CTX_new_from_pkey(
            libctx: *mut openssl_sys::OSSL_LIB_CTX,
            pkey: *mut openssl_sys::EVP_PKEY,
            propquery: *const c_char,
        ) -> *mut openssl_sys::EVP_PKEY_CTX;
    }

    // --- EC/EdDSA/XDH additions
    extern "C" {
        pub(super) fn EVP_PKEY_CTX_settable_params(
            ctx: *const openssl_sys::EVP_PKEY_CTX,
        ) -> *const openssl_sys::OSSL_PARAM;
        pub(super) fn EVP_PKEY_private_check(ctx: *mut openssl_sys::EVP_PKEY_CTX) -> c_int;
        pub(super) fn EVP_DigestSignInit_ex(
            ctx: *mut openssl_sys::EVP_MD_CTX,
            pctx: *mut *mut openssl_sys::EVP_PKEY_CTX,
            mdname: *const c_char,
            libctx: *mut openssl_sys::OSSL_LIB_CTX,
            props: *const c_char,
            pkey: *mut openssl_sys::EVP_PKEY,
            params: *const openssl_sys::OSSL_PARAM,
        ) -> c_int;
        pub(super) fn EVP_DigestVerifyInit_ex(
            ctx: *mut openssl_sys::EVP_MD_CTX,
            pctx: *mut *mut openssl_sys::EVP_PKEY_CTX,
            mdname: *const c_char,
            libctx: *mut openssl_sys::OSSL_LIB_CTX,
            props: *const c_char,
            pkey: *mut openssl_sys::EVP_PKEY,
            params: *const openssl_sys::OSSL_PARAM,
        ) -> c_int;
    }

    /// `ERR_LIB_PROV` (`openssl/err.h`): errors raised by a provider's implementation.
    pub(super) const ERR_LIB_PROV: c_int = 57;
    /// `PROV_R_FAILED_DURING_DERIVATION` (`openssl/proverr.h`).
    pub(super) const PROV_R_FAILED_DURING_DERIVATION: c_int = 164;
}

// --- RSA/DSA/DH additions
/// Declarations for the RSA, DSA and DH additions that `openssl-sys` does not bind.
mod rsa_dsa_dh_sys {
    extern "C" {
        pub(super) fn EVP_PKEY_pairwise_check(
            ctx: *mut openssl_sys::EVP_PKEY_CTX,
        ) -> std::ffi::c_int;
    }
}

/// What [`Pkey::from_data`] builds (`EVP_PKEY_fromdata`'s selection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Selection {
    /// Private and public key (with domain parameters).
    KeyPair,
    /// Public key (with domain parameters).
    PublicKey,
    /// Domain parameters only (DSA, DH).
    Parameters,
}

impl Selection {
    fn flags(self) -> c_int {
        match self {
            Selection::KeyPair => ffi::EVP_PKEY_KEYPAIR,
            Selection::PublicKey => ffi::EVP_PKEY_PUBLIC_KEY,
            Selection::Parameters => ffi::EVP_PKEY_KEY_PARAMETERS,
        }
    }
}

/// An unsigned integer in the byte order `OSSL_PARAM_construct_BN` reads (the platform's),
/// made from big-endian bytes and zeroized on drop.
pub(super) struct NativeBn(Zeroizing<Vec<u8>>);

impl NativeBn {
    /// The integer whose big-endian encoding is `be`.
    pub(super) fn from_be(be: &[u8]) -> Self {
        let mut bytes = Zeroizing::new(be.to_vec());
        if cfg!(target_endian = "little") {
            bytes.reverse();
        }
        if bytes.is_empty() {
            bytes.push(0);
        }
        NativeBn(bytes)
    }

    /// The bytes to hand to [`Params::bignum`].
    pub(super) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// An owned `BIGNUM` read out of a key (cleared and freed on drop).
struct Bn(NonNull<ffi::BIGNUM>);

impl Bn {
    /// The minimal big-endian bytes (one 0x00 byte for zero).
    fn to_be(&self) -> SecretBytes {
        // SAFETY: `self.0` is a valid BIGNUM we own.
        let bits = unsafe { ffi::BN_num_bits(self.0.as_ptr()) };
        let len = usize::try_from(bits).unwrap_or(0).div_ceil(8).max(1);
        let mut out = Zeroizing::new(vec![0u8; len]);
        // SAFETY: `out` has room for `len` bytes, at least BN_num_bytes of the value;
        // BN_bn2binpad writes exactly `len` bytes, left-padding with zeros.
        unsafe { ffi::BN_bn2binpad(self.0.as_ptr(), out.as_mut_ptr(), len as c_int) };
        out
    }
}

impl Drop for Bn {
    fn drop(&mut self) {
        // SAFETY: we own the BIGNUM; BN_clear_free wipes it before freeing.
        unsafe { ffi::BN_clear_free(self.0.as_ptr()) };
    }
}

/// A native public or private key (or domain parameters), built once and shared by every
/// operation: libcrypto's `EVP_PKEY` is reference-counted and read-only once built.
pub(super) struct Pkey(NonNull<ffi::EVP_PKEY>);

// SAFETY: an EVP_PKEY is not mutated after construction here (operations each run on their own
// EVP_PKEY_CTX), and OpenSSL 3 documents built keys as safe to share between threads.
unsafe impl Send for Pkey {}
// SAFETY: as above; every method takes `&self` and only reads the key.
unsafe impl Sync for Pkey {}

impl Drop for Pkey {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the key.
        unsafe { ffi::EVP_PKEY_free(self.0.as_ptr()) };
    }
}

impl Clone for Pkey {
    fn clone(&self) -> Self {
        // SAFETY: the key is valid; up_ref adds the reference the clone owns (it cannot fail for
        // a valid key in OpenSSL 3).
        unsafe { ffi::EVP_PKEY_up_ref(self.0.as_ptr()) };
        Pkey(self.0)
    }
}

impl Pkey {
    /// A key of `key_type` (e.g. `c"RSA"`, `c"EC"`, `c"DSA"`, `c"DH"`) from `params`.
    pub(super) fn from_data(
        key_type: &CStr,
        selection: Selection,
        params: Params<'_>,
    ) -> Result<Pkey> {
        let ctx = PkeyCtx::for_algorithm(key_type)?;
        // SAFETY: `ctx` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_fromdata_init", unsafe {
            ffi::EVP_PKEY_fromdata_init(ctx.0.as_ptr())
        })?;
        let list = params.terminated();
        let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
        // SAFETY: `list` is a terminated OSSL_PARAM array whose values outlive the call and
        // which EVP_PKEY_fromdata only reads (the cast to *mut is its C signature); on success
        // `pkey` receives a new key we own.
        cvt("EVP_PKEY_fromdata", unsafe {
            ffi::EVP_PKEY_fromdata(
                ctx.0.as_ptr(),
                &mut pkey,
                selection.flags(),
                list.as_ptr().cast_mut(),
            )
        })?;
        Ok(Pkey(cvt_p("EVP_PKEY_fromdata", pkey)?))
    }

    /// A new key of `key_type` with generation parameters `params` (e.g. the RSA bits and
    /// exponent, the EC group name).
    pub(super) fn generate(key_type: &CStr, params: Params<'_>) -> Result<Pkey> {
        let ctx = PkeyCtx::for_algorithm(key_type)?;
        ctx.keygen(params)
    }

    /// New domain parameters of `key_type` (DSA, DH) with generation parameters `params`.
    pub(super) fn generate_parameters(key_type: &CStr, params: Params<'_>) -> Result<Pkey> {
        let ctx = PkeyCtx::for_algorithm(key_type)?;
        // SAFETY: `ctx` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_paramgen_init", unsafe {
            ffi::EVP_PKEY_paramgen_init(ctx.0.as_ptr())
        })?;
        ctx.set_params(params)?;
        let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
        // SAFETY: `ctx` is initialized for paramgen; on success `pkey` receives a key we own.
        cvt("EVP_PKEY_paramgen", unsafe {
            ffi::EVP_PKEY_paramgen(ctx.0.as_ptr(), &mut pkey)
        })?;
        Ok(Pkey(cvt_p("EVP_PKEY_paramgen", pkey)?))
    }

    /// A new key under the domain parameters in `self` (DSA, DH).
    pub(super) fn generate_key_from_parameters(&self) -> Result<Pkey> {
        self.ctx()?.keygen(Params::with_capacity(1))
    }

    /// A raw private key (`c"ED25519"`, `c"ED448"`, `c"X25519"`, `c"X448"`).
    pub(super) fn from_raw_private_key(key_type: &CStr, bytes: &[u8]) -> Result<Pkey> {
        // SAFETY: `key_type` is NUL-terminated; `bytes` is readable for its length; NULL
        // selects the default library context and property query. The key copies the bytes.
        let pkey = unsafe {
            ffi::EVP_PKEY_new_raw_private_key_ex(
                ptr::null_mut(),
                key_type.as_ptr(),
                ptr::null(),
                bytes.as_ptr(),
                bytes.len(),
            )
        };
        Ok(Pkey(cvt_p("EVP_PKEY_new_raw_private_key_ex", pkey)?))
    }

    /// A raw public key (`c"ED25519"`, `c"ED448"`, `c"X25519"`, `c"X448"`).
    pub(super) fn from_raw_public_key(key_type: &CStr, bytes: &[u8]) -> Result<Pkey> {
        // SAFETY: as for `from_raw_private_key`.
        let pkey = unsafe {
            ffi::EVP_PKEY_new_raw_public_key_ex(
                ptr::null_mut(),
                key_type.as_ptr(),
                ptr::null(),
                bytes.as_ptr(),
                bytes.len(),
            )
        };
        Ok(Pkey(cvt_p("EVP_PKEY_new_raw_public_key_ex", pkey)?))
    }

    /// The raw private key bytes (EdDSA, XDH).
    pub(super) fn raw_private_key(&self) -> Result<SecretBytes> {
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the length only.
        cvt("EVP_PKEY_get_raw_private_key", unsafe {
            ffi::EVP_PKEY_get_raw_private_key(self.0.as_ptr(), ptr::null_mut(), &mut len)
        })?;
        let mut out = Zeroizing::new(vec![0u8; len]);
        // SAFETY: `out` has `len` writable bytes, and `len` tells libcrypto so.
        cvt("EVP_PKEY_get_raw_private_key", unsafe {
            ffi::EVP_PKEY_get_raw_private_key(self.0.as_ptr(), out.as_mut_ptr(), &mut len)
        })?;
        out.truncate(len);
        Ok(out)
    }

    /// The raw public key bytes (EdDSA, XDH).
    pub(super) fn raw_public_key(&self) -> Result<Vec<u8>> {
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the length only.
        cvt("EVP_PKEY_get_raw_public_key", unsafe {
            ffi::EVP_PKEY_get_raw_public_key(self.0.as_ptr(), ptr::null_mut(), &mut len)
        })?;
        let mut out = vec![0u8; len];
        // SAFETY: `out` has `len` writable bytes, and `len` tells libcrypto so.
        cvt("EVP_PKEY_get_raw_public_key", unsafe {
            ffi::EVP_PKEY_get_raw_public_key(self.0.as_ptr(), out.as_mut_ptr(), &mut len)
        })?;
        out.truncate(len);
        Ok(out)
    }

    /// The integer parameter `name` (e.g. `c"n"`, `c"priv"`), big-endian, zeroized on drop.
    pub(super) fn bn_param(&self, name: &CStr) -> Result<SecretBytes> {
        let mut bn: *mut ffi::BIGNUM = ptr::null_mut();
        // SAFETY: `name` is NUL-terminated; on success `bn` receives a new BIGNUM we own.
        cvt("EVP_PKEY_get_bn_param", unsafe {
            ffi::EVP_PKEY_get_bn_param(self.0.as_ptr(), name.as_ptr(), &mut bn)
        })?;
        let bn = Bn(cvt_p("EVP_PKEY_get_bn_param", bn)?);
        Ok(bn.to_be())
    }

    /// The octet-string parameter `name` (e.g. `c"pub"` for an EC point).
    pub(super) fn octet_param(&self, name: &CStr) -> Result<Vec<u8>> {
        // One call into a buffer that holds every point and raw key (libcrypto computes an EC
        // "pub" in full for a length query too, so asking first doubles the work).
        let mut out = vec![0u8; 256];
        let mut len = 0usize;
        // SAFETY: `out` has `out.len()` writable bytes, and libcrypto is told so.
        let one_call = unsafe {
            ffi::EVP_PKEY_get_octet_string_param(
                self.0.as_ptr(),
                name.as_ptr(),
                out.as_mut_ptr(),
                out.len(),
                &mut len,
            )
        };
        if one_call == 1 && len <= out.len() {
            out.truncate(len);
            return Ok(out);
        }
        clear_errors();
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the length only.
        cvt("EVP_PKEY_get_octet_string_param", unsafe {
            ffi::EVP_PKEY_get_octet_string_param(
                self.0.as_ptr(),
                name.as_ptr(),
                ptr::null_mut(),
                0,
                &mut len,
            )
        })?;
        let mut out = vec![0u8; len];
        // SAFETY: `out` has `len` writable bytes, and `len` tells libcrypto so.
        cvt("EVP_PKEY_get_octet_string_param", unsafe {
            ffi::EVP_PKEY_get_octet_string_param(
                self.0.as_ptr(),
                name.as_ptr(),
                out.as_mut_ptr(),
                out.len(),
                &mut len,
            )
        })?;
        out.truncate(len);
        Ok(out)
    }

    /// The key size in bits (`EVP_PKEY_get_bits`): the modulus for RSA/DSA/DH, the order for EC.
    pub(super) fn bits(&self) -> usize {
        // SAFETY: the key is valid; the call only reads it.
        let bits = unsafe { ffi::EVP_PKEY_get_bits(self.0.as_ptr()) };
        usize::try_from(bits).unwrap_or(0)
    }

    /// A fresh operation context on this key.
    pub(super) fn ctx(&self) -> Result<PkeyCtx> {
        // SAFETY: the key is valid; the context takes its own reference to it; NULL selects the
        // default library context and property query.
        let ctx = unsafe {
            sys::EVP_PKEY_CTX_new_from_pkey(ptr::null_mut(), self.0.as_ptr(), ptr::null())
        };
        Ok(PkeyCtx(cvt_p("EVP_PKEY_CTX_new_from_pkey", ctx)?))
    }

    // --- RSA/DSA/DH additions

    /// Whether the key pair passes libcrypto's pairwise checks (`EVP_PKEY_pairwise_check`:
    /// public and private values in range and belonging together, e.g. DSA's `y = g^x mod p`
    /// or RSA's full key check), without `EVP_PKEY_check`'s validation of the domain
    /// parameters (DSA's and DH's primality tests of p and q).
    pub(super) fn pairwise_check(&self) -> bool {
        let Ok(ctx) = self.ctx() else {
            return false;
        };
        // SAFETY: `ctx` is a valid EVP_PKEY_CTX on this key.
        let ok = unsafe { rsa_dsa_dh_sys::EVP_PKEY_pairwise_check(ctx.0.as_ptr()) } == 1;
        clear_errors();
        ok
    }

    // --- EC/EdDSA/XDH additions

    /// Whether the private part passes libcrypto's range check (`EVP_PKEY_private_check`: for
    /// EC, a scalar in `[1, n - 1]`), without the cost of the full pairwise check.
    pub(super) fn private_check(&self) -> bool {
        let Ok(ctx) = self.ctx() else {
            return false;
        };
        // SAFETY: `ctx` is a valid EVP_PKEY_CTX on this key.
        let ok = unsafe { sys::EVP_PKEY_private_check(ctx.0.as_ptr()) } == 1;
        clear_errors();
        ok
    }

    /// A one-shot signature over `message` with no separate digest (`EVP_DigestSignInit_ex`
    /// with a NULL digest name, then `EVP_DigestSign`): how OpenSSL runs pure EdDSA, which
    /// has no `EVP_PKEY_sign`.
    pub(super) fn digest_sign_oneshot(&self, message: &[u8]) -> Result<Vec<u8>> {
        let ctx = DigestSignCtx::new()?;
        // SAFETY: `ctx` is a fresh EVP_MD_CTX we own; NULL pctx (we need no handle on the
        // EVP_PKEY_CTX it creates and owns), NULL digest name (EdDSA hashes internally), NULL
        // library context, properties and parameters; the key is valid and the context takes
        // its own reference.
        cvt("EVP_DigestSignInit_ex", unsafe {
            sys::EVP_DigestSignInit_ex(
                ctx.0.as_ptr(),
                ptr::null_mut(),
                ptr::null(),
                ptr::null_mut(),
                ptr::null(),
                self.0.as_ptr(),
                ptr::null(),
            )
        })?;
        let data = non_null_input(message);
        let sig = two_call("EVP_DigestSign", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes, as libcrypto
            // reported; `data` points at `message.len()` readable bytes (a valid one-byte
            // buffer when the message is empty).
            unsafe { ffi::EVP_DigestSign(ctx.0.as_ptr(), out, len, data, message.len()) }
        })?;
        Ok(sig.to_vec())
    }

    /// Whether `signature` verifies over `message` with no separate digest
    /// (`EVP_DigestVerifyInit_ex` with a NULL digest name, then `EVP_DigestVerify`). Any
    /// failure, including a malformed signature, is `false`; the error queue is cleared.
    pub(super) fn digest_verify_oneshot(&self, signature: &[u8], message: &[u8]) -> bool {
        let Ok(ctx) = DigestSignCtx::new() else {
            clear_errors();
            return false;
        };
        // SAFETY: as for `digest_sign_oneshot`, for verification.
        let init = unsafe {
            sys::EVP_DigestVerifyInit_ex(
                ctx.0.as_ptr(),
                ptr::null_mut(),
                ptr::null(),
                ptr::null_mut(),
                ptr::null(),
                self.0.as_ptr(),
                ptr::null(),
            )
        };
        if init != 1 {
            clear_errors();
            return false;
        }
        // SAFETY: both pointers are valid for their lengths (one-byte buffers when empty);
        // libcrypto only reads them.
        let r = unsafe {
            ffi::EVP_DigestVerify(
                ctx.0.as_ptr(),
                non_null_input(signature),
                signature.len(),
                non_null_input(message),
                message.len(),
            )
        };
        clear_errors();
        r == 1
    }
}

/// One public-key operation on one key: not shared between threads (each operation builds its
/// own from the shared [`Pkey`]).
pub(super) struct PkeyCtx(NonNull<ffi::EVP_PKEY_CTX>);

// SAFETY: the context is owned by one value and used by one thread at a time (`&mut`-free API
// only reads the pointer, and contexts are never shared).
unsafe impl Send for PkeyCtx {}

impl Drop for PkeyCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context.
        unsafe { ffi::EVP_PKEY_CTX_free(self.0.as_ptr()) };
    }
}

/// The output of a two-call libcrypto operation (a NULL buffer first asks for the size).
fn two_call(
    what: &str,
    mut call: impl FnMut(*mut u8, &mut usize) -> c_int,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut len = 0usize;
    cvt(what, call(ptr::null_mut(), &mut len))?;
    let mut out = Zeroizing::new(vec![0u8; len]);
    cvt(what, call(out.as_mut_ptr(), &mut len))?;
    out.truncate(len);
    Ok(out)
}

impl PkeyCtx {
    /// A context for `key_type` with no key (fromdata, keygen, paramgen).
    fn for_algorithm(key_type: &CStr) -> Result<PkeyCtx> {
        // SAFETY: `key_type` is NUL-terminated; NULL selects the default library context and
        // property query.
        let ctx = unsafe {
            ffi::EVP_PKEY_CTX_new_from_name(ptr::null_mut(), key_type.as_ptr(), ptr::null())
        };
        Ok(PkeyCtx(cvt_p("EVP_PKEY_CTX_new_from_name", ctx)?))
    }

    /// Sets operation parameters (padding mode, digest, salt length, label, ...). Call after
    /// the `*_init` of the operation.
    pub(super) fn set_params(&self, params: Params<'_>) -> Result<()> {
        let list = params.terminated();
        // SAFETY: `list` is a terminated OSSL_PARAM array whose values outlive the call; the
        // setters copy what they keep and only read the array (the *mut is the C signature).
        cvt("EVP_PKEY_CTX_set_params", unsafe {
            ffi::EVP_PKEY_CTX_set_params(self.0.as_ptr(), list.as_ptr().cast_mut())
        })?;
        Ok(())
    }

    fn keygen(&self, params: Params<'_>) -> Result<Pkey> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_keygen_init", unsafe {
            ffi::EVP_PKEY_keygen_init(self.0.as_ptr())
        })?;
        self.set_params(params)?;
        let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
        // SAFETY: the context is initialized for keygen; on success `pkey` receives a key we own.
        cvt("EVP_PKEY_generate", unsafe {
            ffi::EVP_PKEY_generate(self.0.as_ptr(), &mut pkey)
        })?;
        Ok(Pkey(cvt_p("EVP_PKEY_generate", pkey)?))
    }

    /// Starts a signature (`EVP_PKEY_sign_init`); set the scheme with [`set_params`](Self::set_params).
    pub(super) fn sign_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_sign_init", unsafe {
            ffi::EVP_PKEY_sign_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// Signs the digest `tbs` (`EVP_PKEY_sign`).
    pub(super) fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>> {
        let sig = two_call("EVP_PKEY_sign", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes, as libcrypto
            // reported; `tbs` is readable for its length.
            unsafe { ffi::EVP_PKEY_sign(self.0.as_ptr(), out, len, tbs.as_ptr(), tbs.len()) }
        })?;
        Ok(sig.to_vec())
    }

    /// Starts a verification (`EVP_PKEY_verify_init`).
    pub(super) fn verify_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_verify_init", unsafe {
            ffi::EVP_PKEY_verify_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// Whether `signature` verifies over the digest `tbs`. A malformed signature is `false`,
    /// never an error; the error queue is cleared.
    pub(super) fn verify(&self, signature: &[u8], tbs: &[u8]) -> bool {
        // SAFETY: both buffers are readable for their lengths; libcrypto only reads them.
        let r = unsafe {
            ffi::EVP_PKEY_verify(
                self.0.as_ptr(),
                signature.as_ptr(),
                signature.len(),
                tbs.as_ptr(),
                tbs.len(),
            )
        };
        clear_errors();
        r == 1
    }

    /// Starts a signature recovery (`EVP_PKEY_verify_recover_init`).
    pub(super) fn verify_recover_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_verify_recover_init", unsafe {
            ffi::EVP_PKEY_verify_recover_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// The data recovered from `signature` (`EVP_PKEY_verify_recover`).
    pub(super) fn verify_recover(&self, signature: &[u8]) -> Result<Vec<u8>> {
        let out = two_call("EVP_PKEY_verify_recover", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes; `signature` is
            // readable for its length.
            unsafe {
                ffi::EVP_PKEY_verify_recover(
                    self.0.as_ptr(),
                    out,
                    len,
                    signature.as_ptr(),
                    signature.len(),
                )
            }
        })?;
        Ok(out.to_vec())
    }

    /// Starts an encryption (`EVP_PKEY_encrypt_init`).
    pub(super) fn encrypt_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_encrypt_init", unsafe {
            ffi::EVP_PKEY_encrypt_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// Encrypts `plaintext` (`EVP_PKEY_encrypt`).
    pub(super) fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let out = two_call("EVP_PKEY_encrypt", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes; `plaintext` is
            // readable for its length.
            unsafe {
                ffi::EVP_PKEY_encrypt(
                    self.0.as_ptr(),
                    out,
                    len,
                    plaintext.as_ptr(),
                    plaintext.len(),
                )
            }
        })?;
        Ok(out.to_vec())
    }

    /// Starts a decryption (`EVP_PKEY_decrypt_init`).
    pub(super) fn decrypt_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_decrypt_init", unsafe {
            ffi::EVP_PKEY_decrypt_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// Decrypts `ciphertext` (`EVP_PKEY_decrypt`). Every failure is
    /// [`Error::DecryptionFailed`], and the error queue is cleared, so nothing tells the causes
    /// apart.
    pub(super) fn decrypt(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        let result = two_call("EVP_PKEY_decrypt", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes; `ciphertext` is
            // readable for its length.
            unsafe {
                ffi::EVP_PKEY_decrypt(
                    self.0.as_ptr(),
                    out,
                    len,
                    ciphertext.as_ptr(),
                    ciphertext.len(),
                )
            }
        });
        clear_errors();
        result.map_err(|_| Error::DecryptionFailed)
    }

    /// Starts a key agreement (`EVP_PKEY_derive_init`).
    pub(super) fn derive_init(&self) -> Result<()> {
        // SAFETY: `self.0` is a valid EVP_PKEY_CTX we own.
        cvt("EVP_PKEY_derive_init", unsafe {
            ffi::EVP_PKEY_derive_init(self.0.as_ptr())
        })?;
        Ok(())
    }

    /// Sets the peer's public key, which libcrypto validates (`EVP_PKEY_derive_set_peer_ex`).
    pub(super) fn derive_set_peer(&self, peer: &Pkey) -> Result<()> {
        // SAFETY: both pointers are valid; the context takes its own reference to the peer.
        cvt("EVP_PKEY_derive_set_peer_ex", unsafe {
            ffi::EVP_PKEY_derive_set_peer_ex(self.0.as_ptr(), peer.0.as_ptr(), 1)
        })?;
        Ok(())
    }

    /// The shared secret (`EVP_PKEY_derive`).
    pub(super) fn derive(&self) -> Result<SecretBytes> {
        two_call("EVP_PKEY_derive", |out, len| {
            // SAFETY: `out` is NULL (size query) or has `*len` writable bytes.
            unsafe { ffi::EVP_PKEY_derive(self.0.as_ptr(), out, len) }
        })
    }

    // --- EC/EdDSA/XDH additions

    /// Whether the started operation accepts the parameter `name` (it is among
    /// `EVP_PKEY_CTX_settable_params`). `EVP_PKEY_CTX_set_params` silently ignores names it
    /// does not know, so an optional parameter (ECDSA's `nonce-type`, OpenSSL 3.2+) is probed
    /// here first.
    pub(super) fn has_settable_param(&self, name: &CStr) -> bool {
        // SAFETY: the context is valid; the returned array (or NULL) is owned by the provider
        // and stays valid while the context lives; we only read it.
        let list = unsafe { sys::EVP_PKEY_CTX_settable_params(self.0.as_ptr()) };
        if list.is_null() {
            clear_errors();
            return false;
        }
        // SAFETY: `list` is a terminated OSSL_PARAM array (see above); `name` is
        // NUL-terminated; the call only reads both.
        let found = unsafe { ffi::OSSL_PARAM_locate_const(list, name.as_ptr()) };
        !found.is_null()
    }

    /// The shared secret, or `None` when the provider computed it and then refused it
    /// (`PROV_R_FAILED_DURING_DERIVATION`: OpenSSL's X25519 and X448 refuse an all-zero result,
    /// the mark of a small-order peer). Every other failure is an error.
    pub(super) fn derive_unless_refused(&self) -> Result<Option<SecretBytes>> {
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the length only.
        cvt("EVP_PKEY_derive", unsafe {
            ffi::EVP_PKEY_derive(self.0.as_ptr(), ptr::null_mut(), &mut len)
        })?;
        let mut out = Zeroizing::new(vec![0u8; len]);
        // SAFETY: `out` has `len` writable bytes, and `len` tells libcrypto so.
        let r = unsafe { ffi::EVP_PKEY_derive(self.0.as_ptr(), out.as_mut_ptr(), &mut len) };
        if r == 1 {
            out.truncate(len);
            return Ok(Some(out));
        }
        // SAFETY: only reads this thread's error queue.
        let code = unsafe { ffi::ERR_peek_last_error() };
        if ffi::ERR_GET_LIB(code) == sys::ERR_LIB_PROV
            && ffi::ERR_GET_REASON(code) == sys::PROV_R_FAILED_DURING_DERIVATION
        {
            clear_errors();
            return Ok(None);
        }
        Err(super::evp::openssl_error("EVP_PKEY_derive"))
    }
}

// --- EC/EdDSA/XDH additions

/// A pointer for an input buffer that libcrypto may dereference even at length 0.
fn non_null_input(data: &[u8]) -> *const u8 {
    static EMPTY: [u8; 1] = [0];
    if data.is_empty() {
        EMPTY.as_ptr()
    } else {
        data.as_ptr()
    }
}

/// An owned `EVP_MD_CTX` for one `EVP_DigestSign` / `EVP_DigestVerify` (EdDSA).
struct DigestSignCtx(NonNull<ffi::EVP_MD_CTX>);

impl DigestSignCtx {
    fn new() -> Result<Self> {
        // SAFETY: allocates a fresh context; NULL is checked.
        let ctx = unsafe { ffi::EVP_MD_CTX_new() };
        Ok(DigestSignCtx(cvt_p("EVP_MD_CTX_new", ctx)?))
    }
}

impl Drop for DigestSignCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context (and through it the EVP_PKEY_CTX DigestSignInit made).
        unsafe { ffi::EVP_MD_CTX_free(self.0.as_ptr()) };
    }
}

/// `scalar * G` on the named curve `group_name` (an OpenSSL short name such as
/// `c"prime256v1"`), as an uncompressed X9.62 point; `None` for the point at infinity.
///
/// OpenSSL 3.0 has no EVP path for this: `EVP_PKEY_fromdata` with only `"priv"` leaves the
/// public key unset (reading `"pub"` then fails with "not a public key"), and key generation
/// cannot take a given scalar. So this uses the non-deprecated `EC_GROUP` / `EC_POINT`
/// arithmetic (`EC_POINT_mul` with a generator scalar runs OpenSSL's constant-time ladder).
pub(super) fn ec_generator_mul(group_name: &CStr, scalar: &[u8]) -> Result<Option<Vec<u8>>> {
    struct Group(NonNull<ffi::EC_GROUP>);
    impl Drop for Group {
        fn drop(&mut self) {
            // SAFETY: we own the group.
            unsafe { ffi::EC_GROUP_free(self.0.as_ptr()) };
        }
    }
    struct Point(NonNull<ffi::EC_POINT>);
    impl Drop for Point {
        fn drop(&mut self) {
            // SAFETY: we own the point (public data: no clearing needed).
            unsafe { ffi::EC_POINT_free(self.0.as_ptr()) };
        }
    }
    struct BnCtx(NonNull<ffi::BN_CTX>);
    impl Drop for BnCtx {
        fn drop(&mut self) {
            // SAFETY: we own the BN_CTX; freeing clears the secure temporaries.
            unsafe { ffi::BN_CTX_free(self.0.as_ptr()) };
        }
    }

    // SAFETY: `group_name` is NUL-terminated; the call only reads it.
    let nid = unsafe { ffi::OBJ_sn2nid(group_name.as_ptr()) };
    if nid == ffi::NID_undef {
        return Err(super::evp::openssl_error("OBJ_sn2nid"));
    }
    // SAFETY: builds a new group we own; NULL is checked.
    let group = Group(cvt_p("EC_GROUP_new_by_curve_name", unsafe {
        ffi::EC_GROUP_new_by_curve_name(nid)
    })?);
    let len = c_int::try_from(scalar.len())
        .map_err(|_| Error::invalid("an EC scalar longer than the C int range"))?;
    // SAFETY: `scalar` is readable for `len` bytes; BN_bin2bn allocates a new BIGNUM we own.
    let k = Bn(cvt_p("BN_bin2bn", unsafe {
        ffi::BN_bin2bn(non_null_input(scalar), len, ptr::null_mut())
    })?);
    // SAFETY: a valid BIGNUM we own; marks it secret so BIGNUM code takes constant-time paths.
    unsafe { ffi::BN_set_flags(k.0.as_ptr(), ffi::BN_FLG_CONSTTIME) };
    // SAFETY: allocates a BN_CTX in secure memory (where available); NULL is checked.
    let bn_ctx = BnCtx(cvt_p("BN_CTX_secure_new", unsafe {
        ffi::BN_CTX_secure_new()
    })?);
    // SAFETY: `group` is valid; the new point (NULL checked) belongs to it.
    let point = Point(cvt_p("EC_POINT_new", unsafe {
        ffi::EC_POINT_new(group.0.as_ptr())
    })?);
    // SAFETY: all pointers are valid objects we own; q and m are NULL (generator only).
    cvt("EC_POINT_mul", unsafe {
        ffi::EC_POINT_mul(
            group.0.as_ptr(),
            point.0.as_ptr(),
            k.0.as_ptr(),
            ptr::null(),
            ptr::null(),
            bn_ctx.0.as_ptr(),
        )
    })?;
    // SAFETY: `group` and `point` are valid; the call only reads them.
    if unsafe { ffi::EC_POINT_is_at_infinity(group.0.as_ptr(), point.0.as_ptr()) } == 1 {
        return Ok(None);
    }
    let form = ffi::point_conversion_form_t::POINT_CONVERSION_UNCOMPRESSED;
    // SAFETY: a NULL buffer asks for the encoded length only.
    let needed = unsafe {
        ffi::EC_POINT_point2oct(
            group.0.as_ptr(),
            point.0.as_ptr(),
            form,
            ptr::null_mut(),
            0,
            bn_ctx.0.as_ptr(),
        )
    };
    if needed == 0 {
        return Err(super::evp::openssl_error("EC_POINT_point2oct"));
    }
    let mut out = vec![0u8; needed];
    // SAFETY: `out` has `needed` writable bytes, the length libcrypto just reported.
    let written = unsafe {
        ffi::EC_POINT_point2oct(
            group.0.as_ptr(),
            point.0.as_ptr(),
            form,
            out.as_mut_ptr(),
            out.len(),
            bn_ctx.0.as_ptr(),
        )
    };
    if written == 0 {
        return Err(super::evp::openssl_error("EC_POINT_point2oct"));
    }
    out.truncate(written);
    Ok(Some(out))
}

// --- EC/EdDSA/XDH additions

/// The `openssl` tool runner the EC, EdDSA and XDH unit tests compare with (loaded once).
#[cfg(test)]
#[path = "../../../../tests/support/openssl_cli.rs"]
pub(super) mod openssl_cli;

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        data_encoding::HEXLOWER.decode(s.as_bytes()).expect("hex")
    }

    // RFC 7748, section 6.1.
    #[test]
    fn raw_keys_derive_the_rfc_7748_secret() {
        let alice = Pkey::from_raw_private_key(
            c"X25519",
            &hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
        )
        .unwrap();
        assert_eq!(
            alice.raw_public_key().unwrap(),
            hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        let bob = Pkey::from_raw_public_key(
            c"X25519",
            &hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
        )
        .unwrap();
        let ctx = alice.ctx().unwrap();
        ctx.derive_init().unwrap();
        ctx.derive_set_peer(&bob).unwrap();
        assert_eq!(
            ctx.derive().unwrap().to_vec(),
            hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        );
    }

    #[test]
    fn integers_round_trip_through_fromdata() {
        // n and e only: a public key needs no consistency between them beyond n being odd.
        let n = hex("c5062b58d8539c765e1e5dbaf14cf75dd56c2e13105fecfd1a930bbb5948ff328f126abe779359ca59bca752c308d281573bc6178b6c0fef7dc445e4f826430437b9f9d790581de5749c2cb9cb26d42b2fee15b6b26f09c99670336423b86bc5bec71113157be2d944d7ff3eebffb28413143ea36755db0ae62ff5b724eecb3d316b6bac67e89cacd8171937e2ab19bd353a89acea8c36f81c89a620d5fd2effea896601c7f9daca7f033f635a3a943331d1b1b4f5288790b53af352f1121ca1bef205f40dc012c412b40bdd27585b946466d75f7ee0a7f9d549b4bece6f43ac3ee65fe7fd37123359d9f1a850ad450aaf5c94eb11dea3fc0fc6e9856b1805ef");
        let n_native = NativeBn::from_be(&n);
        let e_native = NativeBn::from_be(&[1, 0, 1]);
        let params = Params::with_capacity(3)
            .bignum(c"n", n_native.bytes())
            .bignum(c"e", e_native.bytes());
        let key = Pkey::from_data(c"RSA", Selection::PublicKey, params).unwrap();
        assert_eq!(key.bits(), 2048);
        assert_eq!(key.bn_param(c"n").unwrap().to_vec(), n);
        assert_eq!(key.bn_param(c"e").unwrap().to_vec(), vec![1, 0, 1]);
    }
}
