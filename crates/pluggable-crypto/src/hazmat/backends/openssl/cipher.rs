//! Cipher contexts on `EVP_CIPHER_CTX`, and the adapter that maps a pair to an `EVP_CIPHER`.

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;

use zeroize::Zeroize;

use super::{c_len, ffi, openssl_error, sys, EvpCipher};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{CipherAdapter, Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::check_output_len;
use crate::hazmat::primitives::ciphers::modes::Mode;

/// The largest input handed to one `EVP_CipherUpdate` call: far below `c_int::MAX`, so that
/// the input length and the output length (input + one block) both fit in a `c_int`.
const MAX_CHUNK: usize = 1 << 30;

/// The longest AEAD tag OpenSSL produces for the modes we register (GCM, ChaCha20-Poly1305).
const TAG_LEN: usize = 16;

enum Keying {
    /// One `EVP_CIPHER` per key size in bits.
    Fixed(Vec<(usize, EvpCipher)>),
    /// One `EVP_CIPHER` whose key length is set per context; the accepted sizes in bits
    /// (empty: any size the cipher takes).
    Variable(EvpCipher, Vec<usize>),
}

/// Maps a (cipher, mode) pair to `EVP_CIPHER`s and makes [`OpenSslCipherContext`]s.
///
/// The built-in pairs use it; register one for your own algorithm type with
/// [`EvpCipherAdapter::fetch`]:
///
/// ```
/// use std::sync::Arc;
/// use pluggable_crypto::hazmat::backends::{openssl, CipherBackend, CipherPair};
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::CipherAlgorithm, modes::Cbc, Cipher};
///
/// /// ARIA, a cipher this crate has no type for.
/// #[derive(Debug)]
/// struct Aria(Vec<u8>);
/// impl CipherAlgorithm for Aria {
///     fn name(&self) -> &'static str { "ARIA" }
///     fn key_size(&self) -> usize { self.0.len() * 8 }
///     fn key(&self) -> &[u8] { &self.0 }
///     fn block_size(&self) -> Option<usize> { Some(128) }
/// }
///
/// let backend = openssl::backend();
/// let adapter = openssl::EvpCipherAdapter::fetch("ARIA-128-CBC")?;
/// backend.register_cipher_adapter(CipherPair::new::<Aria, Cbc>("ARIA", "CBC"), Arc::new(adapter))?;
/// let cipher = Cipher::with_backend(Aria(vec![1; 16]), Cbc::new(&[2; 16])?, backend)?;
/// let mut encryptor = cipher.encryptor()?;
/// assert_eq!(encryptor.update(&[0; 16])?.len(), 16);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct EvpCipherAdapter {
    keying: Keying,
}

impl EvpCipherAdapter {
    /// Fetches the `EVP_CIPHER` named `name` (e.g. `"ARIA-128-CBC"`) from the default library
    /// context; `UnsupportedAlgorithm` if no loaded provider has it.
    pub fn fetch(name: &str) -> Result<Self> {
        let cipher = EvpCipher::fetch(name).ok_or_else(|| {
            Error::unsupported(
                crate::exceptions::Reason::UnsupportedCipher,
                format!("libcrypto has no cipher named {name:?}"),
            )
        })?;
        let keying = if cipher.has_variable_key_length() {
            Keying::Variable(cipher, Vec::new())
        } else {
            Keying::Fixed(vec![(cipher.key_length() * 8, cipher)])
        };
        Ok(EvpCipherAdapter { keying })
    }

    pub(super) fn fixed(variants: Vec<(usize, EvpCipher)>) -> Self {
        EvpCipherAdapter {
            keying: Keying::Fixed(variants),
        }
    }

    pub(super) fn variable(cipher: EvpCipher, key_sizes: Vec<usize>) -> Self {
        EvpCipherAdapter {
            keying: Keying::Variable(cipher, key_sizes),
        }
    }

    fn cipher_for(&self, key_bits: usize) -> Option<(&EvpCipher, bool)> {
        match &self.keying {
            Keying::Fixed(variants) => variants
                .iter()
                .find(|(bits, _)| *bits == key_bits)
                .map(|(_, cipher)| (cipher, false)),
            Keying::Variable(cipher, sizes) => {
                (sizes.is_empty() || sizes.contains(&key_bits)).then_some((cipher, true))
            }
        }
    }
}

impl CipherAdapter for EvpCipherAdapter {
    fn supports(&self, algorithm: &dyn CipherAlgorithm, _mode: Option<&dyn Mode>) -> bool {
        self.cipher_for(algorithm.key_size()).is_some()
    }

    fn create_context(
        &self,
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>> {
        let (cipher, variable_key) = self.cipher_for(algorithm.key_size()).ok_or_else(|| {
            Error::invalid(format!(
                "no OpenSSL cipher registered for {} with a {}-bit key",
                algorithm.name(),
                algorithm.key_size()
            ))
        })?;
        let iv = mode
            .and_then(Mode::initialization_vector)
            .or_else(|| algorithm.nonce());
        // An AEAD mode (GCM), or a mode-less AEAD algorithm (ChaCha20-Poly1305): the same
        // EVP calls serve both.
        let aead = mode
            .and_then(Mode::authentication)
            .or_else(|| algorithm.authentication())
            .is_some();
        let ctx =
            OpenSslCipherContext::new(cipher, algorithm.key(), iv, direction, variable_key, aead)?;
        Ok(Box::new(ctx))
    }

    fn key_sizes(&self) -> Vec<usize> {
        match &self.keying {
            Keying::Fixed(variants) => variants.iter().map(|(bits, _)| *bits).collect(),
            Keying::Variable(cipher, sizes) if sizes.is_empty() => vec![cipher.key_length() * 8],
            Keying::Variable(_, sizes) => sizes.clone(),
        }
    }
}

/// A running cipher operation on an `EVP_CIPHER_CTX` (freed, and its key schedule cleansed by
/// libcrypto, on drop).
pub struct OpenSslCipherContext {
    ctx: NonNull<ffi::EVP_CIPHER_CTX>,
    block_bytes: usize,
    encrypt: bool,
    aead: bool,
    tag: Option<[u8; TAG_LEN]>,
}

// SAFETY: the EVP_CIPHER_CTX is exclusively owned by this value and only used through `&mut
// self` (or `&self` for reads of plain fields); libcrypto contexts may move between threads as
// long as they are not used concurrently, which `&mut` guarantees.
unsafe impl Send for OpenSslCipherContext {}

impl OpenSslCipherContext {
    fn new(
        cipher: &EvpCipher,
        key: &[u8],
        iv: Option<&[u8]>,
        direction: Direction,
        variable_key: bool,
        aead: bool,
    ) -> Result<Self> {
        let enc = c_int::from(direction == Direction::Encrypt);
        // OpenSSL reads exactly the context's key and IV lengths from the pointers we pass,
        // so check our buffers against them first. A variable-length key sets the key length;
        // an AEAD nonce sets the IV length.
        if !variable_key && key.len() != cipher.key_length() {
            return Err(Error::invalid(format!(
                "OpenSSL cipher expects a {}-byte key, got {} bytes",
                cipher.key_length(),
                key.len()
            )));
        }
        let iv_len = if aead {
            iv.map_or(0, <[u8]>::len)
        } else {
            cipher.iv_length()
        };
        let iv_ptr = match iv {
            Some(iv) if iv.len() == iv_len && iv_len > 0 => iv.as_ptr(),
            Some(_) | None if iv_len == 0 => std::ptr::null(),
            _ => {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {iv_len}-byte IV, got {} bytes",
                    iv.map_or(0, <[u8]>::len)
                )))
            }
        };
        // SAFETY: allocates a fresh context; NULL is checked below.
        let raw = unsafe { ffi::EVP_CIPHER_CTX_new() };
        let ctx = NonNull::new(raw).ok_or_else(|| openssl_error("EVP_CIPHER_CTX_new"))?;
        // From here on `Drop` frees the context on every error path.
        let this = OpenSslCipherContext {
            ctx,
            block_bytes: cipher.block_bytes(),
            encrypt: enc == 1,
            aead,
            tag: None,
        };
        let p = this.ctx.as_ptr();
        let custom_iv_len = aead && iv_len != cipher.iv_length();
        if !variable_key && !custom_iv_len {
            // One call does it all when the defaults fit (the common case, and the cheapest).
            // SAFETY: `p` is a fresh context and `cipher` a live EVP_CIPHER; `key` holds
            // exactly the cipher's key length and `iv_ptr` exactly its IV length (or is NULL
            // when it takes none), checked above; both outlive the call and OpenSSL copies them.
            let ok = unsafe {
                ffi::EVP_CipherInit_ex(
                    p,
                    cipher.as_ptr(),
                    std::ptr::null_mut(),
                    key.as_ptr(),
                    iv_ptr,
                    enc,
                )
            };
            if ok != 1 {
                return Err(openssl_error("EVP_CipherInit_ex"));
            }
        } else {
            // SAFETY: `p` is a fresh context, `cipher` a live EVP_CIPHER; NULL key and IV only
            // select the cipher, nothing is read through them.
            let ok = unsafe {
                ffi::EVP_CipherInit_ex(
                    p,
                    cipher.as_ptr(),
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    std::ptr::null(),
                    enc,
                )
            };
            if ok != 1 {
                return Err(openssl_error("EVP_CipherInit_ex"));
            }
            if variable_key {
                // SAFETY: `p` is an initialised context; the call only stores the length.
                if unsafe { ffi::EVP_CIPHER_CTX_set_key_length(p, c_len(key.len())?) } != 1 {
                    return Err(openssl_error("EVP_CIPHER_CTX_set_key_length"));
                }
            }
            if custom_iv_len {
                // SAFETY: SET_IVLEN reads only the integer argument; the pointer is unused.
                let ok = unsafe {
                    ffi::EVP_CIPHER_CTX_ctrl(
                        p,
                        sys::EVP_CTRL_AEAD_SET_IVLEN,
                        c_len(iv_len)?,
                        std::ptr::null_mut(),
                    )
                };
                if ok != 1 {
                    return Err(openssl_error("setting the AEAD IV length"));
                }
            }
            // SAFETY: the context's key length is now `key.len()` (fixed, or just set) and its
            // IV length `iv_len` (the cipher's, or just set), matching our buffers, which
            // outlive the call; OpenSSL copies what it needs.
            let ok = unsafe {
                ffi::EVP_CipherInit_ex(
                    p,
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    key.as_ptr(),
                    iv_ptr,
                    enc,
                )
            };
            if ok != 1 {
                return Err(openssl_error("EVP_CipherInit_ex (key)"));
            }
        }
        if this.block_bytes > 1 {
            // SAFETY: `p` is initialised; padding is a plain flag. Padding lives above backends.
            unsafe { ffi::EVP_CIPHER_CTX_set_padding(p, 0) };
        }
        Ok(this)
    }

    /// The native `EVP_CIPHER_CTX`.
    ///
    /// # Safety
    /// The pointer is valid while `self` lives. The caller must not free it, must not use it
    /// concurrently with `self`, and must leave the context in a state this wrapper can keep
    /// using (same cipher, key and direction); anything else breaks the wrapper's guarantees.
    pub unsafe fn as_ptr(&self) -> *mut ffi::EVP_CIPHER_CTX {
        self.ctx.as_ptr()
    }

    fn finish(&mut self, out: &mut [u8]) -> Result<usize> {
        let mut buf = [0u8; sys::EVP_MAX_BLOCK_LENGTH];
        let mut outl: c_int = 0;
        // SAFETY: `buf` has EVP_MAX_BLOCK_LENGTH bytes, the most EVP_CipherFinal_ex writes;
        // `outl` is a valid out-parameter.
        let ok = unsafe { sys::EVP_CipherFinal_ex(self.ctx.as_ptr(), buf.as_mut_ptr(), &mut outl) };
        if ok != 1 {
            buf.zeroize();
            if self.aead && !self.encrypt {
                super::clear_errors();
                return Err(Error::InvalidTag);
            }
            return Err(openssl_error("EVP_CipherFinal_ex"));
        }
        let n = usize::try_from(outl).unwrap_or(0).min(buf.len());
        let result = check_output_len(n, out).map(|()| {
            out[..n].copy_from_slice(&buf[..n]);
            n
        });
        buf.zeroize();
        if self.aead && self.encrypt {
            let mut tag = [0u8; TAG_LEN];
            // SAFETY: GET_TAG writes exactly `TAG_LEN` bytes into `tag`, which has that size.
            let ok = unsafe {
                ffi::EVP_CIPHER_CTX_ctrl(
                    self.ctx.as_ptr(),
                    sys::EVP_CTRL_AEAD_GET_TAG,
                    TAG_LEN as c_int,
                    tag.as_mut_ptr().cast::<c_void>(),
                )
            };
            if ok != 1 {
                return Err(openssl_error("reading the AEAD tag"));
            }
            self.tag = Some(tag);
        }
        result
    }
}

impl SymmetricContext for OpenSslCipherContext {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        check_output_len(data.len().saturating_add(self.block_bytes - 1), out)?;
        let mut written = 0usize;
        for chunk in data.chunks(MAX_CHUNK) {
            let mut outl: c_int = 0;
            // SAFETY: without padding the total output never exceeds the total input plus
            // block_bytes - 1, and `out` was checked to hold data.len() + block_bytes - 1, so
            // the `out.len() - written` bytes from `out[written]` hold this chunk's output
            // (at most chunk.len() + block_bytes - 1). `chunk.len()` <= MAX_CHUNK fits c_int.
            let ok = unsafe {
                ffi::EVP_CipherUpdate(
                    self.ctx.as_ptr(),
                    out.as_mut_ptr().add(written),
                    &mut outl,
                    chunk.as_ptr(),
                    chunk.len() as c_int,
                )
            };
            if ok != 1 {
                return Err(openssl_error("EVP_CipherUpdate"));
            }
            written += usize::try_from(outl).unwrap_or(0);
        }
        Ok(written)
    }

    fn authenticate_additional_data(&mut self, data: &[u8]) -> Result<()> {
        if !self.aead {
            return Err(Error::invalid(
                "this cipher does not authenticate additional data",
            ));
        }
        for chunk in data.chunks(MAX_CHUNK) {
            let mut outl: c_int = 0;
            // SAFETY: a NULL output pointer tells an AEAD cipher the input is AAD; it reads
            // `chunk.len()` (<= MAX_CHUNK) bytes from `chunk` and writes only `outl`.
            let ok = unsafe {
                ffi::EVP_CipherUpdate(
                    self.ctx.as_ptr(),
                    std::ptr::null_mut(),
                    &mut outl,
                    chunk.as_ptr(),
                    chunk.len() as c_int,
                )
            };
            if ok != 1 {
                return Err(openssl_error("EVP_CipherUpdate (AAD)"));
            }
        }
        Ok(())
    }

    fn finalize_into(&mut self, out: &mut [u8]) -> Result<usize> {
        if self.aead && !self.encrypt {
            return Err(Error::invalid(
                "authenticated decryption needs a tag to finalize",
            ));
        }
        self.finish(out)
    }

    fn finalize_with_tag_into(&mut self, tag: &[u8], out: &mut [u8]) -> Result<usize> {
        if !self.aead || self.encrypt {
            return Err(Error::invalid(
                "finalize_with_tag is for authenticated decryption",
            ));
        }
        if tag.is_empty() || tag.len() > TAG_LEN {
            return Err(Error::invalid(format!(
                "tag must be 1 to {TAG_LEN} bytes, got {}",
                tag.len()
            )));
        }
        // SAFETY: SET_TAG copies `tag.len()` (1..=16) bytes from the pointer into the context;
        // it does not write through it despite the `*mut` in the C signature.
        let ok = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ctx.as_ptr(),
                sys::EVP_CTRL_AEAD_SET_TAG,
                tag.len() as c_int,
                tag.as_ptr().cast_mut().cast::<c_void>(),
            )
        };
        if ok != 1 {
            return Err(openssl_error("setting the AEAD tag"));
        }
        self.finish(out)
    }

    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_ref().map(|t| &t[..])
    }
}

impl Drop for OpenSslCipherContext {
    fn drop(&mut self) {
        // SAFETY: we own the context and free it exactly once; EVP_CIPHER_CTX_free cleanses
        // the key schedule.
        unsafe { ffi::EVP_CIPHER_CTX_free(self.ctx.as_ptr()) };
    }
}
