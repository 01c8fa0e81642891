//! One-shot AEADs on the openssl backend: AES-GCM, ChaCha20-Poly1305, AES-CCM, AES-OCB3,
//! AES-SIV, and AES-GCM-SIV where libcrypto has it.
//!
//! Every `EVP_CIPHER` is fetched once, with the backend (AES-GCM-SIV is probed: OpenSSL 3.0 has
//! none, 3.2 and later do). A key object does its key schedule once, into keyed
//! `EVP_CIPHER_CTX` *templates* that are never used for a message, only copied. Each message
//! takes one of a few cached working contexts with `try_lock` (it never waits for another
//! thread), re-initialises it with the nonce alone (NULL key: the schedule is kept), and puts it
//! back; when all are busy it works on a fresh copy of the template. AES-SIV is the exception:
//! its S2V state is only reset by a full re-key, so each message works on a copy of the
//! template. AES-CCM and AES-OCB3 choose their bulk routine by direction when the key is set,
//! so they keep a template per direction; AES-CCM also fixes its length-field size (and so the
//! nonce length) then, so it keeps the key and makes a template per (direction, nonce length)
//! on first use.
//!
//! Decryption that fails authentication is `Error::InvalidTag` and wipes the output buffer.

use std::ffi::{c_int, c_void};
use std::ops::RangeInclusive;
use std::ptr::NonNull;
use std::sync::{Arc, Mutex, OnceLock};

use zeroize::{Zeroize, Zeroizing};

use super::{c_len, ffi, openssl_error, sys, EvpCipher, OpenSslBackend};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{AeadBackend, AeadContext, AeadSupport, Backend};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::unsupported::unsupported_aead;

/// The largest input handed to one `EVP_CipherUpdate` call by the streaming constructions: a
/// multiple of every block size, far below `c_int::MAX`.
const MAX_CHUNK: usize = 1 << 30;

/// How many working contexts a key object caches per template (the most threads that use one
/// key at once without copying the template).
const CACHED_CONTEXTS: usize = 4;

/// One byte of storage for the pointers of empty inputs and outputs (libcrypto reads and writes
/// nothing through them, but C wants valid pointers).
static EMPTY: [u8; 1] = [0];

/// How libcrypto takes a construction's inputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flow {
    /// AAD and data in any number of updates; the tag is made or checked at final (GCM,
    /// ChaCha20-Poly1305, OCB3).
    Streaming,
    /// CCM: the data length first, then at most one AAD update, then one data update, which
    /// also checks the tag; no final.
    Ccm,
    /// SIV: one update per AAD component (each is a separate S2V string), one data update
    /// (which checks the tag); the state is only reset by a re-key.
    Siv,
    /// GCM-SIV: at most one AAD update and one data update.
    GcmSiv,
}

/// What the backend needs to know about one construction.
struct Spec {
    algorithm: AeadAlgorithm,
    flow: Flow,
    /// The nonce lengths libcrypto takes (`0..=0`: no nonce).
    nonces: RangeInclusive<usize>,
    /// Whether one keyed context can serve both directions (false when libcrypto fixes the
    /// bulk routine by direction at key setup).
    shared_direction: bool,
    /// Whether a working context can be re-initialised with a new nonce and reused.
    reusable: bool,
    /// The OpenSSL names, by key length in bytes.
    names: &'static [(usize, &'static str)],
}

impl Spec {
    fn tag_ok(&self, tag_bytes: usize) -> bool {
        match self.flow {
            Flow::Ccm => (4..=16).contains(&tag_bytes) && tag_bytes.is_multiple_of(2),
            _ => tag_bytes == 16,
        }
    }
}

const SPECS: [Spec; 6] = [
    Spec {
        algorithm: AeadAlgorithm::AesGcm,
        flow: Flow::Streaming,
        nonces: 1..=128,
        shared_direction: true,
        reusable: true,
        names: &[
            (16, "AES-128-GCM"),
            (24, "AES-192-GCM"),
            (32, "AES-256-GCM"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::ChaCha20Poly1305,
        flow: Flow::Streaming,
        nonces: 12..=12,
        shared_direction: true,
        reusable: true,
        names: &[(32, "ChaCha20-Poly1305")],
    },
    Spec {
        algorithm: AeadAlgorithm::AesCcm,
        flow: Flow::Ccm,
        nonces: 7..=13,
        shared_direction: false,
        reusable: true,
        names: &[
            (16, "AES-128-CCM"),
            (24, "AES-192-CCM"),
            (32, "AES-256-CCM"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesOcb3,
        flow: Flow::Streaming,
        nonces: 1..=15,
        shared_direction: false,
        reusable: true,
        names: &[
            (16, "AES-128-OCB"),
            (24, "AES-192-OCB"),
            (32, "AES-256-OCB"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesSiv,
        flow: Flow::Siv,
        nonces: 0..=0,
        shared_direction: true,
        reusable: false,
        names: &[
            (32, "AES-128-SIV"),
            (48, "AES-192-SIV"),
            (64, "AES-256-SIV"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesGcmSiv,
        flow: Flow::GcmSiv,
        nonces: 12..=12,
        // Every init derives the message keys from the stored key and the nonce.
        shared_direction: true,
        reusable: true,
        names: &[
            (16, "AES-128-GCM-SIV"),
            (24, "AES-192-GCM-SIV"),
            (32, "AES-256-GCM-SIV"),
        ],
    },
];

struct Entry {
    spec: &'static Spec,
    key_bytes: usize,
    cipher: Arc<EvpCipher>,
}

/// The fetched AEAD ciphers, built once with the backend.
pub(super) struct AeadRegistry {
    entries: Vec<Entry>,
}

impl AeadRegistry {
    pub(super) fn fetch() -> Self {
        let mut entries = Vec::new();
        for spec in &SPECS {
            for &(key_bytes, name) in spec.names {
                if let Some(cipher) = EvpCipher::fetch(name) {
                    if cipher.key_length() == key_bytes {
                        entries.push(Entry {
                            spec,
                            key_bytes,
                            cipher: Arc::new(cipher),
                        });
                    }
                }
            }
        }
        AeadRegistry { entries }
    }

    fn find(&self, algorithm: AeadAlgorithm, key_bytes: usize) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.spec.algorithm == algorithm && e.key_bytes == key_bytes)
    }
}

impl AeadBackend for OpenSslBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        self.aeads
            .find(algorithm, key_bytes)
            .is_some_and(|e| e.spec.tag_ok(tag_bytes))
    }

    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        let entry = self
            .aeads
            .find(algorithm, key.len())
            .filter(|e| e.spec.tag_ok(tag_bytes))
            .ok_or_else(|| unsupported_aead(self.name(), algorithm))?;
        Ok(Box::new(OpenSslAeadContext::new(entry, key, tag_bytes)?))
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        AeadAlgorithm::ALL
            .iter()
            .filter_map(|&algorithm| {
                let key_sizes: Vec<usize> = self
                    .aeads
                    .entries
                    .iter()
                    .filter(|e| e.spec.algorithm == algorithm)
                    .map(|e| e.key_bytes * 8)
                    .collect();
                (!key_sizes.is_empty()).then_some(AeadSupport {
                    algorithm,
                    key_sizes,
                })
            })
            .collect()
    }
}

/// The error for an input libcrypto must take in one `c_int`-sized call.
fn too_long(algorithm: AeadAlgorithm, what: &str, len: usize) -> Error {
    Error::unsupported(
        Reason::UnsupportedCipher,
        format!(
            "the openssl backend hands {} {what} to libcrypto in one call, so it takes at most \
             {} bytes, got {len}",
            algorithm.name(),
            c_int::MAX
        ),
    )
}

/// An owned `EVP_CIPHER_CTX` and the IV length it is set to (freed, and its key schedule
/// cleansed by libcrypto, on drop).
struct CipherCtx {
    ptr: NonNull<ffi::EVP_CIPHER_CTX>,
    iv_len: usize,
}

// SAFETY: the context is exclusively owned; it is mutated only through `&mut self`, and a
// libcrypto context may move between threads when it is not used concurrently.
unsafe impl Send for CipherCtx {}

impl Drop for CipherCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context and free it exactly once.
        unsafe { ffi::EVP_CIPHER_CTX_free(self.ptr.as_ptr()) };
    }
}

impl CipherCtx {
    fn alloc(iv_len: usize) -> Result<Self> {
        // SAFETY: allocates a fresh context; NULL is checked.
        let raw = unsafe { ffi::EVP_CIPHER_CTX_new() };
        let ptr = NonNull::new(raw).ok_or_else(|| openssl_error("EVP_CIPHER_CTX_new"))?;
        Ok(CipherCtx { ptr, iv_len })
    }

    /// A keyed template: `cipher` keyed with `key` for `enc`, with the IV length and tag length
    /// set first when given (CCM fixes both at key setup).
    fn keyed(
        cipher: &EvpCipher,
        key: &[u8],
        enc: bool,
        iv_len: Option<usize>,
        tag_len: Option<usize>,
    ) -> Result<Self> {
        // OpenSSL reads exactly the cipher's key length from the key pointer.
        if key.len() != cipher.key_length() {
            return Err(Error::invalid(format!(
                "OpenSSL cipher expects a {}-byte key, got {} bytes",
                cipher.key_length(),
                key.len()
            )));
        }
        let mut ctx = Self::alloc(0)?;
        let enc = c_int::from(enc);
        // SAFETY: `ctx` is fresh and `cipher` a live EVP_CIPHER; NULL key and IV only select
        // the cipher and direction, nothing is read through them.
        let ok = unsafe {
            ffi::EVP_CipherInit_ex(
                ctx.ptr.as_ptr(),
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
        if let Some(iv_len) = iv_len {
            ctx.set_iv_len(iv_len)?;
        }
        if let Some(tag_len) = tag_len {
            ctx.ctrl(sys::EVP_CTRL_AEAD_SET_TAG, tag_len, std::ptr::null_mut())
                .map_err(|()| openssl_error("setting the AEAD tag length"))?;
        }
        // SAFETY: `key` holds exactly the context's key length (checked above) and outlives the
        // call; a NULL IV leaves the nonce for each message. OpenSSL copies the key.
        let ok = unsafe {
            ffi::EVP_CipherInit_ex(
                ctx.ptr.as_ptr(),
                std::ptr::null(),
                std::ptr::null_mut(),
                key.as_ptr(),
                std::ptr::null(),
                enc,
            )
        };
        if ok != 1 {
            return Err(openssl_error("EVP_CipherInit_ex (key)"));
        }
        // SAFETY: `ctx` is an initialised context; the call reads its IV length parameter.
        let iv_len = unsafe { ffi::EVP_CIPHER_CTX_get_iv_length(ctx.ptr.as_ptr()) };
        ctx.iv_len = usize::try_from(iv_len)
            .map_err(|_| Error::Backend(format!("libcrypto reported IV length {iv_len}")))?;
        Ok(ctx)
    }

    /// An independent copy of this context's state, key schedule included.
    fn copy(&self) -> Result<Self> {
        let copy = Self::alloc(self.iv_len)?;
        // SAFETY: both are live contexts; EVP_CIPHER_CTX_copy only reads the source (the
        // provider's dupctx copies its state; the cipher's reference count is atomic).
        if unsafe { ffi::EVP_CIPHER_CTX_copy(copy.ptr.as_ptr(), self.ptr.as_ptr()) } != 1 {
            return Err(openssl_error("EVP_CIPHER_CTX_copy"));
        }
        Ok(copy)
    }

    /// `EVP_CIPHER_CTX_ctrl` with `arg` as its integer; `Err(())` when libcrypto refuses.
    fn ctrl(&mut self, op: c_int, arg: usize, ptr: *mut c_void) -> std::result::Result<(), ()> {
        let arg = c_int::try_from(arg).map_err(|_| ())?;
        // SAFETY: the AEAD controls used here read `arg` and, when `ptr` is non-NULL, read
        // (SET_TAG) or write (GET_TAG) exactly `arg` bytes through it; every caller passes a
        // buffer of `arg` bytes or NULL.
        let ok = unsafe { ffi::EVP_CIPHER_CTX_ctrl(self.ptr.as_ptr(), op, arg, ptr) };
        if ok == 1 {
            Ok(())
        } else {
            Err(())
        }
    }

    fn set_iv_len(&mut self, len: usize) -> Result<()> {
        self.ctrl(sys::EVP_CTRL_AEAD_SET_IVLEN, len, std::ptr::null_mut())
            .map_err(|()| openssl_error("setting the AEAD nonce length"))?;
        self.iv_len = len;
        Ok(())
    }

    /// Starts a message: the direction and the nonce (whose length must be the context's IV
    /// length), keeping the key schedule.
    fn start(&mut self, nonce: &[u8], enc: bool) -> Result<()> {
        if nonce.len() != self.iv_len {
            return Err(Error::Backend(format!(
                "nonce of {} bytes for a context set to {}",
                nonce.len(),
                self.iv_len
            )));
        }
        let iv = if nonce.is_empty() {
            std::ptr::null()
        } else {
            nonce.as_ptr()
        };
        // SAFETY: `self` is a keyed context; NULL cipher and key keep them. OpenSSL reads the
        // context's IV length from `iv`, which is `nonce.len()` (checked above), or nothing
        // when it is NULL.
        let ok = unsafe {
            ffi::EVP_CipherInit_ex(
                self.ptr.as_ptr(),
                std::ptr::null(),
                std::ptr::null_mut(),
                std::ptr::null(),
                iv,
                c_int::from(enc),
            )
        };
        if ok != 1 {
            return Err(openssl_error("EVP_CipherInit_ex (nonce)"));
        }
        Ok(())
    }

    fn set_tag(&mut self, tag: &[u8]) -> Result<()> {
        self.ctrl(
            sys::EVP_CTRL_AEAD_SET_TAG,
            tag.len(),
            tag.as_ptr().cast_mut().cast::<c_void>(),
        )
        .map_err(|()| openssl_error("setting the AEAD tag"))
    }

    fn get_tag(&mut self, tag: &mut [u8]) -> Result<()> {
        self.ctrl(
            sys::EVP_CTRL_AEAD_GET_TAG,
            tag.len(),
            tag.as_mut_ptr().cast::<c_void>(),
        )
        .map_err(|()| openssl_error("reading the AEAD tag"))
    }

    /// Feeds `data` (at most `c_int::MAX` bytes) as associated data.
    fn aad(&mut self, data: &[u8]) -> Result<()> {
        let len = c_len(data.len())?;
        let input = if data.is_empty() {
            EMPTY.as_ptr()
        } else {
            data.as_ptr()
        };
        let mut outl: c_int = 0;
        // SAFETY: a NULL output tells an AEAD cipher the input is associated data; it reads
        // `len` bytes from `input` (one byte of storage when `len` is 0) and writes only `outl`.
        let ok = unsafe {
            ffi::EVP_CipherUpdate(
                self.ptr.as_ptr(),
                std::ptr::null_mut(),
                &mut outl,
                input,
                len,
            )
        };
        if ok != 1 {
            return Err(openssl_error("EVP_CipherUpdate (AAD)"));
        }
        Ok(())
    }

    /// Tells CCM the total data length (before any associated data).
    fn set_data_len(&mut self, len: usize) -> Result<()> {
        let len = c_len(len)?;
        let mut outl: c_int = 0;
        // SAFETY: NULL input and output with a length only store the length (CCM); nothing is
        // read or written through the pointers.
        let ok = unsafe {
            ffi::EVP_CipherUpdate(
                self.ptr.as_ptr(),
                std::ptr::null_mut(),
                &mut outl,
                std::ptr::null(),
                len,
            )
        };
        if ok != 1 {
            return Err(openssl_error("EVP_CipherUpdate (CCM length)"));
        }
        Ok(())
    }

    /// Processes `input` (at most `c_int::MAX` bytes) into `out`, which must hold at least
    /// `input.len()` bytes; returns the bytes written (at most `input.len()`).
    ///
    /// Every construction here writes at most the input length per update, given that no
    /// partial block is pending from an earlier update (OCB buffers a trailing partial block;
    /// the streaming callers feed whole blocks until the last chunk).
    fn update(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize> {
        let len = c_len(input.len())?;
        if out.len() < input.len() {
            return Err(Error::Backend(format!(
                "AEAD output buffer of {} bytes for {} bytes of input",
                out.len(),
                input.len()
            )));
        }
        let mut scratch = [0u8; 1];
        let in_ptr = if input.is_empty() {
            EMPTY.as_ptr()
        } else {
            input.as_ptr()
        };
        let out_ptr = if out.is_empty() {
            scratch.as_mut_ptr()
        } else {
            out.as_mut_ptr()
        };
        let mut outl: c_int = 0;
        // SAFETY: reads `len` bytes from `in_ptr` (one byte of storage when 0). The writes
        // through `out_ptr` are at most `input.len()` bytes (see above), and `out` holds at
        // least that many (checked), or is empty, and then nothing is written to `scratch`.
        let ok =
            unsafe { ffi::EVP_CipherUpdate(self.ptr.as_ptr(), out_ptr, &mut outl, in_ptr, len) };
        if ok != 1 {
            return Err(openssl_error("EVP_CipherUpdate"));
        }
        let written = usize::try_from(outl).unwrap_or(usize::MAX);
        if written > input.len() {
            return Err(Error::Backend(format!(
                "libcrypto wrote {outl} bytes for {} bytes of input",
                input.len()
            )));
        }
        Ok(written)
    }

    /// Finishes the message, writing any held-back output (OCB's last partial block) to `out`.
    fn finish(&mut self, out: &mut [u8]) -> Result<usize> {
        let mut buf = [0u8; sys::EVP_MAX_BLOCK_LENGTH];
        let mut outl: c_int = 0;
        // SAFETY: `buf` has EVP_MAX_BLOCK_LENGTH bytes, the most EVP_CipherFinal_ex writes.
        let ok = unsafe { sys::EVP_CipherFinal_ex(self.ptr.as_ptr(), buf.as_mut_ptr(), &mut outl) };
        let result = if ok != 1 {
            Err(openssl_error("EVP_CipherFinal_ex"))
        } else {
            let n = usize::try_from(outl).unwrap_or(usize::MAX);
            match (buf.get(..n), out.get_mut(..n)) {
                (Some(src), Some(dst)) => {
                    dst.copy_from_slice(src);
                    Ok(n)
                }
                _ => Err(Error::Backend(format!(
                    "libcrypto finished with {outl} bytes where {} remained",
                    out.len()
                ))),
            }
        };
        buf.zeroize();
        result
    }
}

/// A keyed context only ever copied.
struct Template(CipherCtx);

// SAFETY: after construction a template is only read, by EVP_CIPHER_CTX_copy, which only reads
// its source (the provider's dupctx copies the state; reference counts are atomic), so
// concurrent copies from several threads are sound.
unsafe impl Sync for Template {}

/// A keyed template and the working contexts copied from it.
struct Lane {
    template: Template,
    cache: [Mutex<Option<CipherCtx>>; CACHED_CONTEXTS],
}

impl Lane {
    fn new(template: CipherCtx) -> Self {
        Lane {
            template: Template(template),
            cache: std::array::from_fn(|_| Mutex::new(None)),
        }
    }

    /// Runs `f` on a working context: a cached one if one is free (never waiting for it), else
    /// a fresh copy of the template. A context whose message failed for any reason other than
    /// authentication is dropped rather than cached, since its state is unknown.
    fn run(&self, reuse: bool, f: impl FnOnce(&mut CipherCtx) -> Result<()>) -> Result<()> {
        if reuse {
            for slot in &self.cache {
                let Ok(mut cached) = slot.try_lock() else {
                    continue;
                };
                let mut ctx = match cached.take() {
                    Some(ctx) => ctx,
                    None => self.template.0.copy()?,
                };
                let result = f(&mut ctx);
                if matches!(result, Ok(()) | Err(Error::InvalidTag)) {
                    *cached = Some(ctx);
                }
                return result;
            }
        }
        let mut ctx = self.template.0.copy()?;
        f(&mut ctx)
    }
}

/// How many CCM nonce lengths there are (7 to 13 bytes), and the shortest.
const CCM_NONCES: usize = 7;
const CCM_MIN_NONCE: usize = 7;

/// The keyed templates of one key object.
enum Lanes {
    /// One template serves both directions.
    Shared(Lane),
    /// One template per direction.
    PerDirection { encrypt: Lane, decrypt: Lane },
    /// CCM: one template per direction and nonce length, made on first use from the key (kept
    /// for that, and wiped on drop).
    Ccm {
        cipher: Arc<EvpCipher>,
        key: Zeroizing<Vec<u8>>,
        lanes: Box<[[OnceLock<Lane>; CCM_NONCES]; 2]>,
    },
}

/// A keyed one-shot AEAD on libcrypto.
struct OpenSslAeadContext {
    spec: &'static Spec,
    tag_bytes: usize,
    lanes: Lanes,
}

impl OpenSslAeadContext {
    fn new(entry: &Entry, key: &[u8], tag_bytes: usize) -> Result<Self> {
        let spec = entry.spec;
        let cipher = &*entry.cipher;
        let tag_len = (spec.algorithm == AeadAlgorithm::AesOcb3).then_some(tag_bytes);
        let lanes = if spec.flow == Flow::Ccm {
            if key.len() != cipher.key_length() {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {}-byte key, got {} bytes",
                    cipher.key_length(),
                    key.len()
                )));
            }
            Lanes::Ccm {
                cipher: entry.cipher.clone(),
                key: Zeroizing::new(key.to_vec()),
                lanes: Box::new(std::array::from_fn(|_| {
                    std::array::from_fn(|_| OnceLock::new())
                })),
            }
        } else if spec.shared_direction {
            Lanes::Shared(Lane::new(CipherCtx::keyed(
                cipher, key, true, None, tag_len,
            )?))
        } else {
            Lanes::PerDirection {
                encrypt: Lane::new(CipherCtx::keyed(cipher, key, true, None, tag_len)?),
                decrypt: Lane::new(CipherCtx::keyed(cipher, key, false, None, tag_len)?),
            }
        };
        Ok(OpenSslAeadContext {
            spec,
            tag_bytes,
            lanes,
        })
    }

    fn unsupported_nonce(&self, nonce: &[u8]) -> Error {
        let range = &self.spec.nonces;
        let rule = if range.start() == range.end() {
            format!("{}-byte nonces", range.start())
        } else {
            format!("{}- to {}-byte nonces", range.start(), range.end())
        };
        Error::unsupported(
            Reason::UnsupportedCipher,
            format!(
                "the openssl backend's {} takes {rule}, got {} bytes",
                self.spec.algorithm.name(),
                nonce.len()
            ),
        )
    }

    /// The lane serving `nonce` in direction `enc`.
    fn lane(&self, nonce: &[u8], enc: bool) -> Result<&Lane> {
        if !self.spec.nonces.contains(&nonce.len()) {
            return Err(self.unsupported_nonce(nonce));
        }
        match &self.lanes {
            Lanes::Shared(lane) => Ok(lane),
            Lanes::PerDirection { encrypt, decrypt } => Ok(if enc { encrypt } else { decrypt }),
            Lanes::Ccm { cipher, key, lanes } => {
                let cell = nonce
                    .len()
                    .checked_sub(CCM_MIN_NONCE)
                    .and_then(|i| lanes[usize::from(!enc)].get(i))
                    .ok_or_else(|| self.unsupported_nonce(nonce))?;
                if let Some(lane) = cell.get() {
                    return Ok(lane);
                }
                let template =
                    CipherCtx::keyed(cipher, key, enc, Some(nonce.len()), Some(self.tag_bytes))?;
                // Another thread may have made one meanwhile; either serves.
                Ok(cell.get_or_init(|| Lane::new(template)))
            }
        }
    }

    /// Sets the context's nonce length when it differs (constructions that allow it).
    fn fit_nonce(&self, ctx: &mut CipherCtx, nonce: &[u8]) -> Result<()> {
        if nonce.len() == ctx.iv_len {
            return Ok(());
        }
        match self.spec.algorithm {
            AeadAlgorithm::AesGcm | AeadAlgorithm::AesOcb3 => ctx.set_iv_len(nonce.len()),
            _ => Err(self.unsupported_nonce(nonce)),
        }
    }

    fn feed_aad(&self, ctx: &mut CipherCtx, aad: &[&[u8]]) -> Result<()> {
        let algorithm = self.spec.algorithm;
        if self.spec.flow == Flow::Siv {
            for component in aad {
                if c_int::try_from(component.len()).is_err() {
                    return Err(too_long(
                        algorithm,
                        "each associated-data component",
                        component.len(),
                    ));
                }
                ctx.aad(component)?;
            }
            return Ok(());
        }
        if self.spec.flow == Flow::GcmSiv {
            // libcrypto's GCM-SIV appends every AAD update to the AAD it holds, and a new
            // nonce does not clear it: on a reused context the previous message's AAD would be
            // authenticated again. A zero-length update is its documented reset.
            ctx.aad(&[])?;
        }
        let data = match aad {
            [] => return Ok(()),
            [data] => *data,
            _ => {
                return Err(Error::invalid(format!(
                    "{} takes one associated-data string, got {} components",
                    algorithm.name(),
                    aad.len()
                )))
            }
        };
        if data.is_empty() {
            return Ok(());
        }
        if self.spec.flow == Flow::Streaming {
            for chunk in data.chunks(MAX_CHUNK) {
                ctx.aad(chunk)?;
            }
            Ok(())
        } else {
            if c_int::try_from(data.len()).is_err() {
                return Err(too_long(algorithm, "associated data", data.len()));
            }
            ctx.aad(data)
        }
    }

    /// Feeds the message data; returns the bytes written to `out`.
    fn feed_data(&self, ctx: &mut CipherCtx, input: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.spec.flow != Flow::Streaming {
            return ctx.update(input, out);
        }
        let mut written = 0;
        for chunk in input.chunks(MAX_CHUNK) {
            let rest = out
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("AEAD output overran its buffer".into()))?;
            written += ctx.update(chunk, rest)?;
        }
        Ok(written)
    }

    /// Checks the single-call size limits before any work.
    fn check_single_call(&self, data_len: usize) -> Result<()> {
        if self.spec.flow != Flow::Streaming && c_int::try_from(data_len).is_err() {
            return Err(too_long(self.spec.algorithm, "the message", data_len));
        }
        Ok(())
    }

    fn seal(
        &self,
        ctx: &mut CipherCtx,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let (ct, tag) = if self.spec.algorithm.tag_first() {
            let (tag, ct) = out.split_at_mut(self.tag_bytes);
            (ct, tag)
        } else {
            out.split_at_mut(plaintext.len())
        };
        self.fit_nonce(ctx, nonce)?;
        ctx.start(nonce, true)?;
        if self.spec.flow == Flow::Ccm {
            ctx.set_data_len(plaintext.len())?;
        }
        self.feed_aad(ctx, aad)?;
        let mut written = self.feed_data(ctx, plaintext, ct)?;
        if self.spec.flow != Flow::Ccm {
            let rest = ct
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("AEAD output overran its buffer".into()))?;
            written += ctx.finish(rest)?;
        }
        if written != plaintext.len() {
            return Err(Error::Backend(format!(
                "libcrypto produced {written} bytes of ciphertext for {} bytes of plaintext",
                plaintext.len()
            )));
        }
        ctx.get_tag(tag)
    }

    fn open(
        &self,
        ctx: &mut CipherCtx,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let (tag, ct) = if self.spec.algorithm.tag_first() {
            ciphertext.split_at(self.tag_bytes)
        } else {
            let (ct, tag) = ciphertext.split_at(ciphertext.len() - self.tag_bytes);
            (tag, ct)
        };
        self.fit_nonce(ctx, nonce)?;
        ctx.start(nonce, false)?;
        ctx.set_tag(tag)?;
        if self.spec.flow == Flow::Ccm {
            ctx.set_data_len(ct.len())?;
        }
        self.feed_aad(ctx, aad)?;
        // CCM, SIV and GCM-SIV check the tag in their one data update.
        let checks_in_update = self.spec.flow != Flow::Streaming;
        let mut written = match self.feed_data(ctx, ct, out) {
            Ok(n) => n,
            Err(_) if checks_in_update => return Err(Error::InvalidTag),
            Err(e) => return Err(e),
        };
        if self.spec.flow != Flow::Ccm {
            let rest = out
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("AEAD output overran its buffer".into()))?;
            // openssl_error has drained the queue; a failed final is a failed tag check.
            written += ctx.finish(rest).map_err(|_| Error::InvalidTag)?;
        }
        if written != ct.len() {
            return Err(Error::Backend(format!(
                "libcrypto produced {written} bytes of plaintext for {} bytes of ciphertext",
                ct.len()
            )));
        }
        Ok(())
    }
}

impl AeadContext for OpenSslAeadContext {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let needed = plaintext.len().checked_add(self.tag_bytes);
        if needed != Some(out.len()) {
            return Err(Error::invalid(format!(
                "{} output must be exactly {} bytes, got {}",
                self.spec.algorithm.name(),
                plaintext.len().saturating_add(self.tag_bytes),
                out.len()
            )));
        }
        self.check_single_call(plaintext.len())?;
        if self.spec.flow == Flow::Siv && plaintext.is_empty() {
            // OpenSSL's SIV never finishes a message without data (its final fails).
            return Err(Error::invalid(
                "the openssl backend cannot encrypt an empty AES-SIV message",
            ));
        }
        let lane = self.lane(nonce, true)?;
        let result = lane.run(self.spec.reusable, |ctx| {
            self.seal(ctx, nonce, plaintext, aad, out)
        });
        if result.is_err() {
            out.zeroize();
        }
        result
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let Some(plaintext_len) = ciphertext.len().checked_sub(self.tag_bytes) else {
            return Err(Error::InvalidTag);
        };
        if out.len() != plaintext_len {
            return Err(Error::invalid(format!(
                "{} output must be exactly {plaintext_len} bytes, got {}",
                self.spec.algorithm.name(),
                out.len()
            )));
        }
        self.check_single_call(plaintext_len)?;
        let lane = self.lane(nonce, false)?;
        let result = lane.run(self.spec.reusable, |ctx| {
            self.open(ctx, nonce, ciphertext, aad, out)
        });
        if result.is_err() {
            out.zeroize();
        }
        result
    }
}
