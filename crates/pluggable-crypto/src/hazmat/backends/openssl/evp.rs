//! The OpenSSL backend's FFI boundary: one owned handle per libcrypto type, and the one place
//! return codes become errors.
//!
//! Every `unsafe` block of the symmetric half of the backend is in this module (the public-key
//! families have theirs in [`super::pkey`]). Each handle owns its pointer, frees it
//! on drop, and checks the sizes libcrypto will read or write before it calls in, so the rest of
//! the backend ([`super::cipher`], [`super::aead`], [`super::digest`], [`super::mac`],
//! [`super::kdf`]) is safe code; only the public raw-access methods (`as_ptr`) are declared
//! `unsafe fn`, for their callers' contract, and have no `unsafe` block:
//!
//! | handle | native type | what it does |
//! |---|---|---|
//! | [`Cipher`] | `EVP_CIPHER` (fetched) | key, IV and block lengths, read once |
//! | [`CipherCtx`] | `EVP_CIPHER_CTX` | init, key and IV lengths, padding, tags, update, final, copy |
//! | [`CipherTemplate`] | a keyed `EVP_CIPHER_CTX` | shared between threads, only copied |
//! | [`Md`] | `EVP_MD` (fetched) | digest size |
//! | [`MdCtx`] | `EVP_MD_CTX` | init, update, copy, final (fixed or XOF) |
//! | [`Mac`] | `EVP_MAC` (fetched) | new contexts |
//! | [`MacCtx`] | `EVP_MAC_CTX` | parameters, key, update, dup, final |
//! | [`MacTemplate`] | a set-up `EVP_MAC_CTX` | shared between threads, only duplicated |
//! | [`Kdf`] | `EVP_KDF` (fetched) | one derivation per call on a fresh `EVP_KDF_CTX` |
//! | [`Params`] | `OSSL_PARAM[]` | an input parameter list borrowing its values |
//!
//! [`cvt`] and [`cvt_p`] turn a failed return code or a NULL pointer into
//! [`Error::Backend`] carrying the drained OpenSSL error queue.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use zeroize::Zeroize;

use super::ffi;
use crate::exceptions::{Error, Result};

/// Declarations libcrypto exports that `openssl-sys` does not bind.
mod sys {
    use std::ffi::{c_char, c_int, c_ulong};

    pub(super) const EVP_CIPH_VARIABLE_LENGTH: c_ulong = 0x8;
    // The generic AEAD controls (`openssl/evp.h`); the same values as the GCM names
    // `openssl-sys` binds, used here for every AEAD cipher.
    pub(super) const EVP_CTRL_AEAD_SET_IVLEN: c_int = 0x9;
    pub(super) const EVP_CTRL_AEAD_GET_TAG: c_int = 0x10;
    pub(super) const EVP_CTRL_AEAD_SET_TAG: c_int = 0x11;

    extern "C" {
        pub(super) fn EVP_CipherFinal_ex(
            ctx: *mut openssl_sys::EVP_CIPHER_CTX,
            out: *mut u8,
            outl: *mut c_int,
        ) -> c_int;
        pub(super) fn OSSL_PARAM_construct_utf8_string(
            key: *const c_char,
            buf: *mut c_char,
            bsize: usize,
        ) -> openssl_sys::OSSL_PARAM;
        pub(super) fn OSSL_PARAM_construct_uint64(
            key: *const c_char,
            buf: *mut u64,
        ) -> openssl_sys::OSSL_PARAM;
        pub(super) fn OSSL_PARAM_construct_int(
            key: *const c_char,
            buf: *mut c_int,
        ) -> openssl_sys::OSSL_PARAM;
        pub(super) fn OSSL_PARAM_construct_BN(
            key: *const c_char,
            buf: *mut u8,
            bsize: usize,
        ) -> openssl_sys::OSSL_PARAM;
        pub(super) fn ERR_error_string_n(e: c_ulong, buf: *mut c_char, len: usize);
    }
}

/// The most bytes `EVP_CipherFinal_ex` writes (`EVP_MAX_BLOCK_LENGTH`).
pub(super) const MAX_BLOCK_LENGTH: usize = 32;

/// The largest input handed to one `EVP_CipherUpdate` call by the chunking methods: a multiple
/// of every block size, far below `c_int::MAX`, so that input and output lengths both fit.
const MAX_CHUNK: usize = 1 << 30;

/// One byte of storage for the pointers of empty inputs (libcrypto reads nothing through them,
/// but wants a valid, non-NULL pointer).
static EMPTY: [u8; 1] = [0];

// ---------------------------------------------------------------------------------------------
// Errors

/// Drains this thread's OpenSSL error queue into an [`Error::Backend`] naming `what` failed.
pub(crate) fn openssl_error(what: &str) -> Error {
    let mut reasons = Vec::new();
    loop {
        // SAFETY: ERR_get_error only pops this thread's error queue; no pointers are involved.
        let code = unsafe { ffi::ERR_get_error() };
        if code == 0 {
            break;
        }
        let mut buf = [0 as c_char; 256];
        // SAFETY: `buf` is 256 writable bytes and we pass that length; OpenSSL writes at most
        // `len` bytes including the terminating NUL.
        unsafe { sys::ERR_error_string_n(code, buf.as_mut_ptr(), buf.len()) };
        // SAFETY: ERR_error_string_n always NUL-terminates within `buf`, which outlives `text`.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        reasons.push(text.to_string_lossy().into_owned());
    }
    if reasons.is_empty() {
        Error::Backend(format!("{what} failed"))
    } else {
        Error::Backend(format!("{what} failed: {}", reasons.join("; ")))
    }
}

/// Discards this thread's OpenSSL error queue (after an expected failure such as a probe).
pub(super) fn clear_errors() {
    // SAFETY: ERR_clear_error only empties this thread's error queue.
    unsafe { ffi::ERR_clear_error() };
}

/// Checks a libcrypto return code: 1 (or more) is success, anything else is the failure of
/// `what`, with the OpenSSL error queue's text.
pub(super) fn cvt(what: &str, r: c_int) -> Result<c_int> {
    if r <= 0 {
        Err(openssl_error(what))
    } else {
        Ok(r)
    }
}

/// Checks a pointer libcrypto returned: NULL is the failure of `what`.
pub(super) fn cvt_p<T>(what: &str, p: *mut T) -> Result<NonNull<T>> {
    NonNull::new(p).ok_or_else(|| openssl_error(what))
}

/// A fetch result: NULL means "not available" (the error queue is cleared, nothing failed).
fn fetched<T>(p: *mut T) -> Option<NonNull<T>> {
    let ptr = NonNull::new(p);
    if ptr.is_none() {
        clear_errors();
    }
    ptr
}

/// Converts a length to `c_int`, for lengths libcrypto must take in one call.
pub(super) fn c_len(len: usize) -> Result<c_int> {
    c_int::try_from(len)
        .map_err(|_| Error::invalid(format!("length {len} exceeds the C int range")))
}

/// A pointer for an input buffer: `EMPTY` when it is empty, so C never sees a dangling one.
fn in_ptr(data: &[u8]) -> *const u8 {
    if data.is_empty() {
        EMPTY.as_ptr()
    } else {
        data.as_ptr()
    }
}

// ---------------------------------------------------------------------------------------------
// Library

/// Loads the provider `name` into the default library context, keeping the default provider
/// available; whether it loaded. The provider stays loaded for the life of the process.
pub(super) fn load_provider(name: &CStr) -> bool {
    // SAFETY: `name` is NUL-terminated and outlives the call; NULL selects the default library
    // context; `retain_fallbacks = 1` keeps the default provider. The returned handle is
    // intentionally never unloaded.
    let provider = unsafe { ffi::OSSL_PROVIDER_try_load(ptr::null_mut(), name.as_ptr(), 1) };
    fetched(provider).is_some()
}

/// The linked libcrypto's version string.
pub(super) fn version() -> String {
    // SAFETY: OpenSSL_version returns NULL or a pointer to a static NUL-terminated string.
    let ptr = unsafe { ffi::OpenSSL_version(ffi::OPENSSL_VERSION) };
    if ptr.is_null() {
        return String::from("OpenSSL (unknown version)");
    }
    // SAFETY: non-NULL, static and NUL-terminated (see above).
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// EVP_CIPHER

/// An owned, fetched `EVP_CIPHER`.
pub(crate) struct Cipher {
    ptr: NonNull<ffi::EVP_CIPHER>,
    /// The default key length in bytes (read once: each query is a parameter lookup in 3.0).
    key_len: usize,
    /// The default IV length in bytes.
    iv_len: usize,
    /// The block size in bytes (1 for stream-like modes).
    block_bytes: usize,
}

// SAFETY: a fetched EVP_CIPHER is immutable and reference-counted; OpenSSL documents method
// objects as safe to share between threads once fetched.
unsafe impl Send for Cipher {}
// SAFETY: as above; all uses through `&Cipher` are reads by libcrypto.
unsafe impl Sync for Cipher {}

impl Cipher {
    /// Fetches `name` from the default library context; `None` if no provider has it.
    pub(crate) fn fetch(name: &str) -> Option<Self> {
        let name = CString::new(name).ok()?;
        // SAFETY: `name` is a valid NUL-terminated string that outlives the call; a NULL
        // library context and NULL properties mean the defaults.
        let ptr =
            fetched(unsafe { ffi::EVP_CIPHER_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) })?;
        let read = |f: unsafe extern "C" fn(*const ffi::EVP_CIPHER) -> c_int| {
            // SAFETY: `ptr` is a live fetched EVP_CIPHER; the getters only read constants.
            usize::try_from(unsafe { f(ptr.as_ptr()) }).unwrap_or(0)
        };
        Some(Cipher {
            ptr,
            key_len: read(ffi::EVP_CIPHER_get_key_length),
            iv_len: read(ffi::EVP_CIPHER_get_iv_length),
            block_bytes: read(ffi::EVP_CIPHER_get_block_size).max(1),
        })
    }

    /// The default key length in bytes.
    pub(crate) fn key_length(&self) -> usize {
        self.key_len
    }

    /// The default IV length in bytes.
    pub(crate) fn iv_length(&self) -> usize {
        self.iv_len
    }

    /// The block size in bytes (1 for stream-like modes).
    pub(crate) fn block_bytes(&self) -> usize {
        self.block_bytes
    }

    /// Whether a context may set its own key length.
    pub(crate) fn has_variable_key_length(&self) -> bool {
        // SAFETY: `self.ptr` is a live fetched EVP_CIPHER; the call reads a constant.
        let flags = unsafe { ffi::EVP_CIPHER_get_flags(self.ptr.as_ptr()) };
        flags & sys::EVP_CIPH_VARIABLE_LENGTH != 0
    }
}

impl Drop for Cipher {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched cipher and drop it once.
        unsafe { ffi::EVP_CIPHER_free(self.ptr.as_ptr()) };
    }
}

// ---------------------------------------------------------------------------------------------
// EVP_CIPHER_CTX

/// The bytes `EVP_CipherFinal_ex` wrote, wiped on drop.
pub(super) struct FinalBlock {
    buf: [u8; MAX_BLOCK_LENGTH],
    len: usize,
}

impl FinalBlock {
    pub(super) fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for FinalBlock {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

/// An owned `EVP_CIPHER_CTX` (freed, and its key schedule cleansed by libcrypto, on drop).
///
/// It tracks what libcrypto will read and write: the key and IV lengths it is set to (the
/// cipher's defaults when a cipher is selected, or what [`CipherCtx::set_key_length`] and
/// [`CipherCtx::set_iv_length`] set), the block size, and how many bytes
/// it has taken in but not yet given back since the last init. Every call is checked against
/// these before it is made.
pub(super) struct CipherCtx {
    ptr: NonNull<ffi::EVP_CIPHER_CTX>,
    /// Whether a cipher has been selected (key, IV and update need one).
    has_cipher: bool,
    key_len: usize,
    iv_len: usize,
    block_bytes: usize,
    /// Input bytes taken in but not yet written out since the last init (a partial block, or
    /// with padding on, a held-back block).
    pending: usize,
}

// SAFETY: the context is exclusively owned; it is mutated only through `&mut self`, and a
// libcrypto context may move between threads when it is not used concurrently.
unsafe impl Send for CipherCtx {}

impl Drop for CipherCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context and free it exactly once; EVP_CIPHER_CTX_free cleanses
        // the key schedule.
        unsafe { ffi::EVP_CIPHER_CTX_free(self.ptr.as_ptr()) };
    }
}

impl CipherCtx {
    /// A fresh context with no cipher selected.
    pub(super) fn new() -> Result<Self> {
        // SAFETY: allocates a fresh context; NULL is checked.
        let ptr = cvt_p("EVP_CIPHER_CTX_new", unsafe { ffi::EVP_CIPHER_CTX_new() })?;
        Ok(CipherCtx {
            ptr,
            has_cipher: false,
            key_len: 0,
            iv_len: 0,
            block_bytes: 1,
            pending: 0,
        })
    }

    /// `EVP_CipherInit_ex`: selects `cipher` when given (which resets the key and IV lengths
    /// to its defaults), then sets `key` and `iv` when given, for encryption when `encrypt`. A
    /// key or IV must be exactly the length the context is then set to; `None` keeps the
    /// current one. Starts a new message (nothing pending).
    pub(super) fn init(
        &mut self,
        cipher: Option<&Cipher>,
        key: Option<&[u8]>,
        iv: Option<&[u8]>,
        encrypt: bool,
    ) -> Result<()> {
        let (key_len, iv_len) = match cipher {
            Some(c) => (c.key_length(), c.iv_length()),
            None => (self.key_len, self.iv_len),
        };
        if !self.has_cipher && cipher.is_none() && (key.is_some() || iv.is_some()) {
            return Err(Error::Backend("cipher context has no cipher".into()));
        }
        if let Some(key) = key {
            if key.len() != key_len {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {key_len}-byte key, got {} bytes",
                    key.len()
                )));
            }
        }
        if let Some(iv) = iv {
            if iv.len() != iv_len {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {iv_len}-byte IV, got {} bytes",
                    iv.len()
                )));
            }
        }
        let cipher_ptr = cipher.map_or(ptr::null(), |c| c.ptr.as_ptr().cast_const());
        let key_ptr = key.map_or(ptr::null(), in_ptr);
        let iv_ptr = iv.map_or(ptr::null(), in_ptr);
        // SAFETY: `self.ptr` is a live context and `cipher_ptr` NULL (keep the cipher) or a live
        // fetched EVP_CIPHER. libcrypto reads the context's key length from `key_ptr` and its IV
        // length from `iv_ptr`: with a new cipher those are the cipher's defaults, otherwise the
        // lengths this wrapper set, and `key`/`iv` were checked to be exactly that long (a NULL
        // pointer reads nothing; an empty buffer points at `EMPTY`). Both outlive the call and
        // libcrypto copies what it keeps.
        let r = unsafe {
            ffi::EVP_CipherInit_ex(
                self.ptr.as_ptr(),
                cipher_ptr,
                ptr::null_mut(),
                key_ptr,
                iv_ptr,
                c_int::from(encrypt),
            )
        };
        if let Err(e) = cvt("EVP_CipherInit_ex", r) {
            if cipher.is_some() {
                // The context's cipher and lengths are unknown now: refuse further use.
                self.has_cipher = false;
            }
            return Err(e);
        }
        if let Some(c) = cipher {
            self.has_cipher = true;
            self.key_len = c.key_length();
            self.iv_len = c.iv_length();
            self.block_bytes = c.block_bytes();
        }
        self.pending = 0;
        Ok(())
    }

    /// Sets the key length in bytes (variable-key-length ciphers), before the key.
    pub(super) fn set_key_length(&mut self, len: usize) -> Result<()> {
        let len_c = c_len(len)?;
        // SAFETY: `self.ptr` is a live context; the call only stores the length.
        let r = unsafe { ffi::EVP_CIPHER_CTX_set_key_length(self.ptr.as_ptr(), len_c) };
        cvt("EVP_CIPHER_CTX_set_key_length", r)?;
        self.key_len = len;
        Ok(())
    }

    /// Sets the IV (nonce) length in bytes of an AEAD cipher, before the IV.
    pub(super) fn set_iv_length(&mut self, len: usize) -> Result<()> {
        let len_c = c_len(len)?;
        // SAFETY: SET_IVLEN reads only the integer argument; the pointer is NULL and unused.
        let r = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ptr.as_ptr(),
                sys::EVP_CTRL_AEAD_SET_IVLEN,
                len_c,
                ptr::null_mut(),
            )
        };
        cvt("setting the AEAD IV length", r)?;
        self.iv_len = len;
        Ok(())
    }

    /// The IV length in bytes the context is set to.
    pub(super) fn iv_length(&self) -> usize {
        self.iv_len
    }

    /// Sets the tag length of an AEAD cipher that fixes it before the key (CCM, OCB).
    pub(super) fn set_tag_length(&mut self, len: usize) -> Result<()> {
        let len_c = c_len(len)?;
        // SAFETY: SET_TAG with a NULL pointer stores only the length; nothing is read.
        let r = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ptr.as_ptr(),
                sys::EVP_CTRL_AEAD_SET_TAG,
                len_c,
                ptr::null_mut(),
            )
        };
        cvt("setting the AEAD tag length", r).map(drop)
    }

    /// Sets the expected tag for authenticated decryption.
    pub(super) fn set_tag(&mut self, tag: &[u8]) -> Result<()> {
        let len = c_len(tag.len())?;
        // SAFETY: SET_TAG copies `tag.len()` bytes from the pointer into the context; it does
        // not write through it despite the `*mut` in the C signature. `tag` outlives the call.
        let r = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ptr.as_ptr(),
                sys::EVP_CTRL_AEAD_SET_TAG,
                len,
                in_ptr(tag).cast_mut().cast::<c_void>(),
            )
        };
        cvt("setting the AEAD tag", r).map(drop)
    }

    /// Reads the tag of a finished authenticated encryption into all of `tag`.
    pub(super) fn get_tag(&mut self, tag: &mut [u8]) -> Result<()> {
        if tag.is_empty() {
            return Err(Error::Backend("an AEAD tag of 0 bytes".into()));
        }
        let len = c_len(tag.len())?;
        // SAFETY: GET_TAG writes exactly `len` bytes through the pointer, and `tag` is that
        // long, writable, and outlives the call.
        let r = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ptr.as_ptr(),
                sys::EVP_CTRL_AEAD_GET_TAG,
                len,
                tag.as_mut_ptr().cast::<c_void>(),
            )
        };
        cvt("reading the AEAD tag", r).map(drop)
    }

    /// Turns block padding on or off (padding lives above the backends, so they turn it off).
    /// A cipher without the setting keeps its default; that is safe either way, since
    /// [`CipherCtx::update_once`] bounds its output by what is pending, whatever the padding.
    pub(super) fn set_padding(&mut self, padding: bool) {
        // SAFETY: `self.ptr` is a live context; padding is a plain flag.
        let r = unsafe { ffi::EVP_CIPHER_CTX_set_padding(self.ptr.as_ptr(), c_int::from(padding)) };
        if r <= 0 {
            clear_errors();
        }
    }

    /// The block size in bytes of the selected cipher (1 for stream-like modes).
    pub(super) fn block_bytes(&self) -> usize {
        self.block_bytes
    }

    /// The most one update of `input_len` bytes can write: a length-preserving cipher never
    /// gives back more than it has taken in, which is `pending + input_len`.
    fn max_output(&self, input_len: usize) -> Result<usize> {
        self.pending
            .checked_add(input_len)
            .ok_or_else(|| Error::invalid("cipher input length overflows"))
    }

    /// Encrypts or decrypts `input` into `out`, in one `EVP_CipherUpdate` call (so `input` must
    /// fit a `c_int`); returns the bytes written. `out` must hold every byte the call can write:
    /// the input plus what is pending from earlier updates (less than a block without padding).
    pub(super) fn update_once(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize> {
        if !self.has_cipher {
            return Err(Error::Backend("cipher context has no cipher".into()));
        }
        let len = c_len(input.len())?;
        let max = self.max_output(input.len())?;
        if out.len() < max {
            return Err(Error::Backend(format!(
                "cipher output buffer of {} bytes where an update may write {max}",
                out.len()
            )));
        }
        let mut scratch = [0u8; 1];
        let out_ptr = if out.is_empty() {
            scratch.as_mut_ptr()
        } else {
            out.as_mut_ptr()
        };
        let mut outl: c_int = 0;
        // SAFETY: libcrypto reads `len` = `input.len()` bytes from `in_ptr(input)` (one byte of
        // storage when 0). Every cipher this backend keys is length-preserving in update
        // (padding, when on, is added only at final), so the call writes at most the bytes it
        // holds plus this input, `max` (tracked in `pending`), and `out` holds at least `max`
        // bytes (checked); when `max` is 0 nothing is written and `scratch` only gives C a
        // valid pointer. `outl` is a valid out-parameter. All buffers outlive the call.
        let r = unsafe {
            ffi::EVP_CipherUpdate(self.ptr.as_ptr(), out_ptr, &mut outl, in_ptr(input), len)
        };
        cvt("EVP_CipherUpdate", r)?;
        let written = usize::try_from(outl).unwrap_or(usize::MAX);
        if written > max {
            return Err(Error::Backend(format!(
                "libcrypto wrote {outl} bytes where at most {max} were due"
            )));
        }
        self.pending = max - written;
        Ok(written)
    }

    /// [`CipherCtx::update_once`] over any length: `input` is handed over in chunks that fit a
    /// `c_int`, each written after the last.
    pub(super) fn update(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize> {
        let mut written = 0usize;
        for chunk in input.chunks(MAX_CHUNK) {
            let rest = out
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("cipher output overran its buffer".into()))?;
            written += self.update_once(chunk, rest)?;
        }
        Ok(written)
    }

    /// Feeds `data` as associated data to an AEAD cipher, in one call (so it must fit a
    /// `c_int`). An empty `data` is one empty update (which resets GCM-SIV's AAD).
    pub(super) fn aad_once(&mut self, data: &[u8]) -> Result<()> {
        if !self.has_cipher {
            return Err(Error::Backend("cipher context has no cipher".into()));
        }
        let len = c_len(data.len())?;
        let mut outl: c_int = 0;
        // SAFETY: a NULL output tells an AEAD cipher the input is associated data; it reads
        // `len` = `data.len()` bytes from `in_ptr(data)` (one byte of storage when 0) and writes
        // only `outl`, a valid out-parameter.
        let r = unsafe {
            ffi::EVP_CipherUpdate(
                self.ptr.as_ptr(),
                ptr::null_mut(),
                &mut outl,
                in_ptr(data),
                len,
            )
        };
        cvt("EVP_CipherUpdate (AAD)", r).map(drop)
    }

    /// [`CipherCtx::aad_once`] over any length, in chunks that fit a `c_int` (for ciphers whose
    /// associated data streams: GCM, ChaCha20-Poly1305, OCB).
    pub(super) fn aad(&mut self, data: &[u8]) -> Result<()> {
        for chunk in data.chunks(MAX_CHUNK) {
            self.aad_once(chunk)?;
        }
        Ok(())
    }

    /// Tells CCM the total data length (before any associated data).
    pub(super) fn set_data_length(&mut self, len: usize) -> Result<()> {
        if !self.has_cipher {
            return Err(Error::Backend("cipher context has no cipher".into()));
        }
        let len = c_len(len)?;
        let mut outl: c_int = 0;
        // SAFETY: NULL input and output with a length only store the length (CCM); nothing is
        // read or written through the pointers, and `outl` is a valid out-parameter.
        let r = unsafe {
            ffi::EVP_CipherUpdate(
                self.ptr.as_ptr(),
                ptr::null_mut(),
                &mut outl,
                ptr::null(),
                len,
            )
        };
        cvt("EVP_CipherUpdate (CCM length)", r).map(drop)
    }

    /// `EVP_CipherFinal_ex`: finishes the message; the bytes it gave back (at most a block).
    /// An authenticated decryption whose tag does not match fails here.
    pub(super) fn finish(&mut self) -> Result<FinalBlock> {
        if !self.has_cipher {
            return Err(Error::Backend("cipher context has no cipher".into()));
        }
        let mut block = FinalBlock {
            buf: [0u8; MAX_BLOCK_LENGTH],
            len: 0,
        };
        let mut outl: c_int = 0;
        // SAFETY: `block.buf` has EVP_MAX_BLOCK_LENGTH writable bytes, the most
        // EVP_CipherFinal_ex writes; `outl` is a valid out-parameter.
        let r = unsafe {
            sys::EVP_CipherFinal_ex(self.ptr.as_ptr(), block.buf.as_mut_ptr(), &mut outl)
        };
        cvt("EVP_CipherFinal_ex", r)?;
        block.len = usize::try_from(outl).unwrap_or(0).min(MAX_BLOCK_LENGTH);
        self.pending = 0;
        Ok(block)
    }

    /// An independent copy of this context's state, key schedule included.
    pub(super) fn copy(&self) -> Result<Self> {
        let mut copy = Self::new()?;
        copy.has_cipher = self.has_cipher;
        copy.key_len = self.key_len;
        copy.iv_len = self.iv_len;
        copy.pending = self.pending;
        // SAFETY: both are live contexts; EVP_CIPHER_CTX_copy writes only the destination and
        // reads the source (the provider's dupctx copies its state; the cipher's reference
        // count is atomic).
        let r = unsafe { ffi::EVP_CIPHER_CTX_copy(copy.ptr.as_ptr(), self.ptr.as_ptr()) };
        cvt("EVP_CIPHER_CTX_copy", r)?;
        Ok(copy)
    }

    /// The native context, for the backend's raw access (callers' own `unsafe`).
    pub(super) fn as_ptr(&self) -> *mut ffi::EVP_CIPHER_CTX {
        self.ptr.as_ptr()
    }
}

/// A keyed [`CipherCtx`] never used for a message, only copied; shareable between threads.
pub(super) struct CipherTemplate(CipherCtx);

// SAFETY: a template is only ever read, by EVP_CIPHER_CTX_copy (the only operation it offers),
// which only reads its source (the provider's dupctx copies the state; reference counts are
// atomic), so concurrent copies from several threads are sound.
unsafe impl Sync for CipherTemplate {}

impl CipherTemplate {
    pub(super) fn new(ctx: CipherCtx) -> Self {
        CipherTemplate(ctx)
    }

    /// A working copy.
    pub(super) fn copy(&self) -> Result<CipherCtx> {
        self.0.copy()
    }
}

// ---------------------------------------------------------------------------------------------
// EVP_MD, EVP_MD_CTX

/// An owned, fetched `EVP_MD`.
pub(crate) struct Md {
    ptr: NonNull<ffi::EVP_MD>,
    /// The digest size in bytes (an XOF's default output length, which we never use).
    size: usize,
}

// SAFETY: a fetched EVP_MD is immutable and reference-counted; shareable between threads.
unsafe impl Send for Md {}
// SAFETY: as above; all uses through `&Md` are reads by libcrypto.
unsafe impl Sync for Md {}

impl Md {
    /// Fetches `name` from the default library context; `None` if no provider has it.
    pub(super) fn fetch(name: &str) -> Option<Self> {
        let name = CString::new(name).ok()?;
        // SAFETY: `name` is NUL-terminated and outlives the call; NULL context and properties.
        let ptr =
            fetched(unsafe { ffi::EVP_MD_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) })?;
        // SAFETY: `ptr` is a live fetched EVP_MD; the call reads a constant.
        let size = usize::try_from(unsafe { ffi::EVP_MD_get_size(ptr.as_ptr()) }).unwrap_or(0);
        Some(Md { ptr, size })
    }

    /// The digest size in bytes, as libcrypto reports it.
    pub(super) fn size(&self) -> usize {
        self.size
    }
}

impl Drop for Md {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched digest and drop it once.
        unsafe { ffi::EVP_MD_free(self.ptr.as_ptr()) };
    }
}

/// An owned `EVP_MD_CTX`, initialised with a digest.
pub(super) struct MdCtx {
    ptr: NonNull<ffi::EVP_MD_CTX>,
    /// The digest's fixed output size in bytes.
    size: usize,
}

// SAFETY: the EVP_MD_CTX is exclusively owned and only mutated through `&mut self`; libcrypto
// contexts may move between threads when not used concurrently.
unsafe impl Send for MdCtx {}

impl MdCtx {
    fn alloc(size: usize) -> Result<Self> {
        // SAFETY: allocates a fresh context; NULL is checked.
        let ptr = cvt_p("EVP_MD_CTX_new", unsafe { ffi::EVP_MD_CTX_new() })?;
        Ok(MdCtx { ptr, size })
    }

    /// A context running `md`.
    pub(super) fn new(md: &Md) -> Result<Self> {
        let ctx = Self::alloc(md.size())?;
        // SAFETY: a fresh context and a live fetched EVP_MD; NULL engine.
        let r =
            unsafe { ffi::EVP_DigestInit_ex(ctx.ptr.as_ptr(), md.ptr.as_ptr(), ptr::null_mut()) };
        cvt("EVP_DigestInit_ex", r)?;
        Ok(ctx)
    }

    pub(super) fn update(&mut self, data: &[u8]) -> Result<()> {
        // SAFETY: reads `data.len()` bytes from `data`, which lives for the call (a size_t
        // length, so no chunking is needed).
        let r =
            unsafe { ffi::EVP_DigestUpdate(self.ptr.as_ptr(), in_ptr(data).cast(), data.len()) };
        cvt("EVP_DigestUpdate", r).map(drop)
    }

    /// An independent copy of the state.
    pub(super) fn copy(&self) -> Result<Self> {
        let copy = Self::alloc(self.size)?;
        // SAFETY: both are live contexts; the source is only read.
        let r = unsafe { ffi::EVP_MD_CTX_copy_ex(copy.ptr.as_ptr(), self.ptr.as_ptr()) };
        cvt("EVP_MD_CTX_copy_ex", r)?;
        Ok(copy)
    }

    /// Finishes a fixed-output digest into `out`, which must be exactly the digest size.
    pub(super) fn finish(&mut self, out: &mut [u8]) -> Result<()> {
        if out.len() != self.size || self.size == 0 {
            return Err(Error::Backend(format!(
                "a {}-byte buffer for a {}-byte digest",
                out.len(),
                self.size
            )));
        }
        let mut len: c_uint = 0;
        // SAFETY: EVP_DigestFinal_ex writes EVP_MD_get_size bytes, which is `self.size`, and
        // `out` is exactly that long (checked); `len` is a valid out-parameter.
        let r = unsafe { ffi::EVP_DigestFinal_ex(self.ptr.as_ptr(), out.as_mut_ptr(), &mut len) };
        cvt("EVP_DigestFinal", r).map(drop)
    }

    /// Finishes an extendable-output digest, filling all of `out`.
    pub(super) fn finish_xof(&mut self, out: &mut [u8]) -> Result<()> {
        let mut scratch = [0u8; 1];
        let out_ptr = if out.is_empty() {
            scratch.as_mut_ptr()
        } else {
            out.as_mut_ptr()
        };
        // SAFETY: writes exactly `out.len()` bytes through `out_ptr` (`scratch` when 0, and
        // then nothing is written).
        let r = unsafe { ffi::EVP_DigestFinalXOF(self.ptr.as_ptr(), out_ptr, out.len()) };
        cvt("EVP_DigestFinal", r).map(drop)
    }

    /// The native context, for the backend's raw access (callers' own `unsafe`).
    pub(super) fn as_ptr(&self) -> *mut ffi::EVP_MD_CTX {
        self.ptr.as_ptr()
    }
}

impl Drop for MdCtx {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once.
        unsafe { ffi::EVP_MD_CTX_free(self.ptr.as_ptr()) };
    }
}

// ---------------------------------------------------------------------------------------------
// OSSL_PARAM

/// An input `OSSL_PARAM` list, terminated when it is used, that borrows every value it points
/// at for `'a`. libcrypto only reads input parameters (the setters copy what they keep), so a
/// list only hands out `*const` access to it.
pub(super) struct Params<'a> {
    list: Vec<ffi::OSSL_PARAM>,
    _values: PhantomData<&'a [u8]>,
}

impl<'a> Params<'a> {
    /// An empty list with room for `capacity` parameters (the end marker included).
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Params {
            list: Vec::with_capacity(capacity),
            _values: PhantomData,
        }
    }

    /// An octet-string parameter over `data`.
    pub(super) fn octets(mut self, key: &'static CStr, data: &'a [u8]) -> Self {
        // SAFETY: only builds the descriptor (nothing is read yet); it points into `data`,
        // which the list borrows for `'a`, and libcrypto only reads input parameters.
        let p = unsafe {
            ffi::OSSL_PARAM_construct_octet_string(
                key.as_ptr(),
                in_ptr(data).cast_mut().cast(),
                data.len(),
            )
        };
        self.list.push(p);
        self
    }

    /// A UTF-8 string parameter over the NUL-terminated `value`.
    pub(super) fn utf8(mut self, key: &'static CStr, value: &'a CStr) -> Self {
        // SAFETY: only builds the descriptor; it points into `value`, borrowed for `'a` and
        // NUL-terminated (`bsize` 0: libcrypto takes its length with strlen), and only read.
        let p = unsafe {
            sys::OSSL_PARAM_construct_utf8_string(key.as_ptr(), value.as_ptr().cast_mut(), 0)
        };
        self.list.push(p);
        self
    }

    /// An unsigned-int parameter.
    pub(super) fn uint(mut self, key: &'static CStr, value: &'a c_uint) -> Self {
        // SAFETY: only builds the descriptor; it points at `value`, borrowed for `'a`, and
        // libcrypto only reads input parameters, never writing through the pointer.
        let p = unsafe {
            ffi::OSSL_PARAM_construct_uint(key.as_ptr(), ptr::from_ref(value).cast_mut())
        };
        self.list.push(p);
        self
    }

    /// A signed-int parameter.
    pub(super) fn int(mut self, key: &'static CStr, value: &'a c_int) -> Self {
        // SAFETY: as for `uint`: points at `value`, borrowed for `'a`, and only read.
        let p =
            unsafe { sys::OSSL_PARAM_construct_int(key.as_ptr(), ptr::from_ref(value).cast_mut()) };
        self.list.push(p);
        self
    }

    /// An unsigned big-number parameter over `native_endian`: the integer's bytes in the
    /// platform's byte order, as `OSSL_PARAM_construct_BN` wants them (the caller owns, and
    /// zeroizes, the buffer).
    pub(super) fn bignum(mut self, key: &'static CStr, native_endian: &'a [u8]) -> Self {
        // SAFETY: only builds the descriptor; it points into `native_endian`, borrowed for `'a`
        // with its exact length, and libcrypto only reads input parameters.
        let p = unsafe {
            sys::OSSL_PARAM_construct_BN(
                key.as_ptr(),
                in_ptr(native_endian).cast_mut(),
                native_endian.len(),
            )
        };
        self.list.push(p);
        self
    }

    /// A 64-bit unsigned parameter.
    pub(super) fn uint64(mut self, key: &'static CStr, value: &'a u64) -> Self {
        // SAFETY: as for `uint`: points at `value`, borrowed for `'a`, and only read.
        let p = unsafe {
            sys::OSSL_PARAM_construct_uint64(key.as_ptr(), ptr::from_ref(value).cast_mut())
        };
        self.list.push(p);
        self
    }

    /// The terminated list, ready to pass to libcrypto.
    pub(super) fn terminated(mut self) -> TerminatedParams<'a> {
        // SAFETY: builds the end marker; no pointers are involved.
        self.list.push(unsafe { ffi::OSSL_PARAM_construct_end() });
        TerminatedParams(self)
    }
}

/// A [`Params`] list ending in `OSSL_PARAM_END`.
pub(super) struct TerminatedParams<'a>(Params<'a>);

impl TerminatedParams<'_> {
    pub(super) fn as_ptr(&self) -> *const ffi::OSSL_PARAM {
        self.0.list.as_ptr()
    }
}

// ---------------------------------------------------------------------------------------------
// EVP_MAC, EVP_MAC_CTX

/// An owned, fetched `EVP_MAC`.
pub(super) struct Mac(NonNull<ffi::EVP_MAC>);

// SAFETY: a fetched EVP_MAC is an immutable, reference-counted method object; libcrypto allows
// sharing it between threads once fetched.
unsafe impl Send for Mac {}
// SAFETY: as above; it is only passed to EVP_MAC_CTX_new, which reads it.
unsafe impl Sync for Mac {}

impl Mac {
    /// Fetches `name` from the default library context; `None` if no provider has it.
    pub(super) fn fetch(name: &CStr) -> Option<Self> {
        // SAFETY: `name` is NUL-terminated and outlives the call; NULL library context and
        // properties select the defaults.
        let mac =
            fetched(unsafe { ffi::EVP_MAC_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) })?;
        Some(Mac(mac))
    }

    /// A fresh, unkeyed context.
    pub(super) fn new_ctx(&self) -> Result<MacCtx> {
        // SAFETY: `self.0` is a live fetched EVP_MAC; NULL is checked.
        let ctx = cvt_p("EVP_MAC_CTX_new", unsafe {
            ffi::EVP_MAC_CTX_new(self.0.as_ptr())
        })?;
        Ok(MacCtx(ctx))
    }
}

impl Drop for Mac {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched MAC and drop it once.
        unsafe { ffi::EVP_MAC_free(self.0.as_ptr()) };
    }
}

/// An owned `EVP_MAC_CTX` (freed, and its key material cleansed by libcrypto, on drop).
pub(super) struct MacCtx(NonNull<ffi::EVP_MAC_CTX>);

// SAFETY: the context is exclusively owned; it is mutated only through `&mut self`, and
// libcrypto contexts may move between threads when not used concurrently.
unsafe impl Send for MacCtx {}

impl MacCtx {
    /// An independent copy (`EVP_MAC_CTX_dup`, which only reads the source).
    pub(super) fn dup(&self) -> Result<Self> {
        // SAFETY: `self.0` is a live context, only read; NULL is checked.
        let ctx = cvt_p("EVP_MAC_CTX_dup", unsafe {
            ffi::EVP_MAC_CTX_dup(self.0.as_ptr())
        })?;
        Ok(MacCtx(ctx))
    }

    /// Sets parameters (e.g. the digest or cipher a MAC runs on).
    pub(super) fn set_params(&mut self, what: &str, params: Params<'_>) -> Result<()> {
        let params = params.terminated();
        // SAFETY: `params` ends in OSSL_PARAM_END and every value it points at is borrowed for
        // the list's lifetime, which covers the call; libcrypto only reads them and copies
        // what it keeps.
        let r = unsafe { ffi::EVP_MAC_CTX_set_params(self.0.as_ptr(), params.as_ptr()) };
        cvt(what, r).map(drop)
    }

    /// Keys (or re-keys) the context with `key`, which may be empty (HMAC allows that).
    pub(super) fn init(&mut self, key: &[u8]) -> Result<()> {
        // SAFETY: reads `key.len()` bytes from `in_ptr(key)`: a zero-length key still gets a
        // non-NULL pointer (one byte of storage), since NULL would keep the old key. NULL
        // params keep the context's settings; libcrypto copies the key. `key` outlives the call.
        let r = unsafe { ffi::EVP_MAC_init(self.0.as_ptr(), in_ptr(key), key.len(), ptr::null()) };
        cvt("EVP_MAC_init", r).map(drop)
    }

    pub(super) fn update(&mut self, data: &[u8]) -> Result<()> {
        // SAFETY: reads `data.len()` bytes from `in_ptr(data)` for the duration of the call (a
        // size_t length, so no chunking is needed).
        let r = unsafe { ffi::EVP_MAC_update(self.0.as_ptr(), in_ptr(data), data.len()) };
        cvt("EVP_MAC_update", r).map(drop)
    }

    /// The MAC's output size in bytes.
    pub(super) fn mac_size(&self) -> usize {
        // SAFETY: `self.0` is a live context; the call reads its parameters.
        unsafe { ffi::EVP_MAC_CTX_get_mac_size(self.0.as_ptr()) }
    }

    /// Finishes the MAC into `out`; the bytes written (at most `out.len()`).
    pub(super) fn finish(&mut self, out: &mut [u8]) -> Result<usize> {
        let mut len = 0usize;
        let mut scratch = [0u8; 1];
        let out_ptr = if out.is_empty() {
            scratch.as_mut_ptr()
        } else {
            out.as_mut_ptr()
        };
        // SAFETY: libcrypto writes at most `out.len()` bytes (the bound we pass) through
        // `out_ptr` (`scratch` when 0: a MAC of more bytes fails instead), and the length to
        // `len`.
        let r = unsafe { ffi::EVP_MAC_final(self.0.as_ptr(), out_ptr, &mut len, out.len()) };
        cvt("EVP_MAC_final", r)?;
        Ok(len.min(out.len()))
    }

    /// Finishes a MAC of at most `size` bytes into a new vector of the bytes written.
    pub(super) fn finish_to_vec(&mut self, size: usize) -> Result<Vec<u8>> {
        let mut out = vec![0u8; size];
        let len = self.finish(&mut out)?;
        out.truncate(len);
        Ok(out)
    }

    /// The native context, for the backend's raw access (callers' own `unsafe`).
    pub(super) fn as_ptr(&self) -> *mut ffi::EVP_MAC_CTX {
        self.0.as_ptr()
    }
}

impl Drop for MacCtx {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once.
        unsafe { ffi::EVP_MAC_CTX_free(self.0.as_ptr()) };
    }
}

/// A set-up [`MacCtx`] never used for a message, only duplicated; shareable between threads.
pub(super) struct MacTemplate(MacCtx);

// SAFETY: a template is only ever read, by EVP_MAC_CTX_dup (the only operation it offers),
// which libcrypto allows concurrently on one source.
unsafe impl Sync for MacTemplate {}

impl MacTemplate {
    pub(super) fn new(ctx: MacCtx) -> Self {
        MacTemplate(ctx)
    }

    /// A working copy.
    pub(super) fn dup(&self) -> Result<MacCtx> {
        self.0.dup()
    }
}

// ---------------------------------------------------------------------------------------------
// EVP_KDF

/// An owned, fetched `EVP_KDF`.
pub(super) struct Kdf(NonNull<ffi::EVP_KDF>);

// SAFETY: a fetched EVP_KDF is an immutable, reference-counted method object; OpenSSL documents
// fetched algorithms as shareable between threads.
unsafe impl Send for Kdf {}
// SAFETY: as above; it is only read (by EVP_KDF_CTX_new).
unsafe impl Sync for Kdf {}

/// An owned `EVP_KDF_CTX` (wiped and freed by libcrypto on drop).
struct KdfCtx(NonNull<ffi::EVP_KDF_CTX>);

impl Drop for KdfCtx {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once; this also cleanses the copied password.
        unsafe { ffi::EVP_KDF_CTX_free(self.0.as_ptr()) };
    }
}

impl Kdf {
    /// Fetches `name` from the default library context; `None` if no provider has it.
    pub(super) fn fetch(name: &CStr) -> Option<Self> {
        // SAFETY: `name` is NUL-terminated and outlives the call; NULL library context and
        // properties select the defaults.
        let kdf =
            fetched(unsafe { ffi::EVP_KDF_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) })?;
        Some(Kdf(kdf))
    }

    /// Runs one derivation into `out` with `params`, on a fresh context. On failure `out` is
    /// wiped and the error names `what`.
    pub(super) fn derive(&self, what: &str, params: Params<'_>, out: &mut [u8]) -> Result<()> {
        let params = params.terminated();
        // SAFETY: `self.0` is a live fetched EVP_KDF; NULL is checked.
        let ctx = KdfCtx(cvt_p("EVP_KDF_CTX_new", unsafe {
            ffi::EVP_KDF_CTX_new(self.0.as_ptr())
        })?);
        let mut scratch = [0u8; 1];
        let out_ptr = if out.is_empty() {
            scratch.as_mut_ptr()
        } else {
            out.as_mut_ptr()
        };
        // SAFETY: `ctx` is live and exclusively ours. `params` ends in OSSL_PARAM_END and every
        // value it points at is borrowed for the list's lifetime, which covers the call;
        // libcrypto only reads them (it copies what it keeps). It writes exactly `out.len()`
        // bytes through `out_ptr` (`scratch` when 0: then nothing).
        let r = unsafe { ffi::EVP_KDF_derive(ctx.0.as_ptr(), out_ptr, out.len(), params.as_ptr()) };
        drop(ctx);
        if let Err(e) = cvt(what, r) {
            out.zeroize();
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for Kdf {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched KDF and drop it once.
        unsafe { ffi::EVP_KDF_free(self.0.as_ptr()) };
    }
}
