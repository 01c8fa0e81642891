//! Raw OpenSSL EVP baselines through `openssl-sys` (see [`crate::raw_openssl`] and
//! [`crate::raw_openssl_reused`] for exactly what runs per message).

use std::ffi::{c_int, c_void, CStr};
use std::ptr::{self, NonNull};

use openssl_sys as ffi;

use crate::{prepare, processed, Primitive, Runner};

/// The largest input handed to one `EVP_CipherUpdate`: its length and output length (input plus
/// at most one block) then both fit in a `c_int`.
const MAX_CHUNK: usize = 1 << 30;

/// The space `EVP_EncryptFinal_ex` may write to (one block, `EVP_MAX_BLOCK_LENGTH`).
const MAX_BLOCK: usize = 32;

/// `EVP_CTRL_AEAD_GET_TAG` of OpenSSL's `evp.h`, which GCM and ChaCha20-Poly1305 both accept
/// (`EVP_CTRL_GCM_GET_TAG` is defined as it).
const EVP_CTRL_AEAD_GET_TAG: c_int = ffi::EVP_CTRL_GCM_GET_TAG;

/// The OpenSSL names of each primitive's algorithm.
fn cipher_name(p: Primitive) -> Option<&'static CStr> {
    Some(match p {
        Primitive::Aes128Gcm | Primitive::Aes128GcmOneShot => c"AES-128-GCM",
        Primitive::Aes256Gcm | Primitive::Aes256GcmOneShot => c"AES-256-GCM",
        Primitive::ChaCha20Poly1305 => c"ChaCha20-Poly1305",
        Primitive::ChaCha20 => c"ChaCha20",
        Primitive::Aes128Ctr => c"AES-128-CTR",
        Primitive::Aes256Ctr => c"AES-256-CTR",
        Primitive::Aes256Cbc => c"AES-256-CBC",
        Primitive::Camellia128Cbc => c"CAMELLIA-128-CBC",
        _ => return None,
    })
}

fn digest_name(p: Primitive) -> Option<&'static CStr> {
    Some(match p {
        Primitive::Sha1 => c"SHA1",
        Primitive::Sha256 | Primitive::HmacSha256 => c"SHA256",
        Primitive::Sha512 => c"SHA512",
        Primitive::Sha3_256 => c"SHA3-256",
        Primitive::Blake2b => c"BLAKE2B-512",
        _ => return None,
    })
}

/// Empties this thread's OpenSSL error queue (after a failed fetch or call).
fn clear_errors() {
    // SAFETY: only empties this thread's error queue; no pointers involved.
    unsafe { ffi::ERR_clear_error() };
}

/// A fetched `EVP_CIPHER` whose key and IV lengths match the primitive's.
struct EvpCipher(NonNull<ffi::EVP_CIPHER>);

impl EvpCipher {
    fn fetch(p: Primitive) -> Option<Self> {
        let name = cipher_name(p)?;
        ffi::init();
        // SAFETY: `name` is a static NUL-terminated string; NULL library context and
        // properties select the defaults. The result is NULL-checked.
        let raw = unsafe { ffi::EVP_CIPHER_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) };
        let Some(cipher) = NonNull::new(raw).map(EvpCipher) else {
            clear_errors();
            return None;
        };
        // SAFETY: `cipher` is a live fetched EVP_CIPHER; these read constants.
        let (key_len, iv_len) = unsafe {
            (
                ffi::EVP_CIPHER_get_key_length(cipher.0.as_ptr()),
                ffi::EVP_CIPHER_get_iv_length(cipher.0.as_ptr()),
            )
        };
        // Every init below passes `p.key()` and `p.iv()`, from which OpenSSL reads exactly
        // these lengths: refuse a cipher whose lengths differ.
        let fits = usize::try_from(key_len).ok() == Some(p.key().len())
            && usize::try_from(iv_len).ok() == Some(p.iv().len());
        fits.then_some(cipher)
    }
}

impl Drop for EvpCipher {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched cipher and release it once.
        unsafe { ffi::EVP_CIPHER_free(self.0.as_ptr()) };
    }
}

/// An owned `EVP_CIPHER_CTX`, freed on drop (also on every error path).
struct CipherCtx(NonNull<ffi::EVP_CIPHER_CTX>);

impl CipherCtx {
    /// A new context keyed with `cipher`, `p.key()` and `p.iv()` for encryption, padding off
    /// for the block modes.
    fn keyed(p: Primitive, cipher: &EvpCipher) -> Option<Self> {
        // SAFETY: allocates a context; NULL-checked.
        let ctx = CipherCtx(NonNull::new(unsafe { ffi::EVP_CIPHER_CTX_new() })?);
        // SAFETY: fresh context, live cipher; `EvpCipher::fetch` checked that the cipher's key
        // and IV lengths are `p.key().len()` and `p.iv().len()`, so OpenSSL reads only within
        // those static slices (and copies them into the context).
        let ok = unsafe {
            ffi::EVP_CipherInit_ex(
                ctx.0.as_ptr(),
                cipher.0.as_ptr(),
                ptr::null_mut(),
                p.key().as_ptr(),
                p.iv().as_ptr(),
                1,
            )
        };
        if ok != 1 {
            clear_errors();
            return None;
        }
        if p.whole_blocks() > 1 {
            // SAFETY: initialised context; sets a flag.
            unsafe { ffi::EVP_CIPHER_CTX_set_padding(ctx.0.as_ptr(), 0) };
        }
        Some(ctx)
    }

    /// Encrypts the (already initialised) message into `out`: the AAD (if any), update,
    /// final, and the tag for the AEADs. Returns false on a libcrypto failure.
    fn encrypt(&mut self, p: Primitive, aad: &[u8], message: &[u8], out: &mut Vec<u8>) -> bool {
        let tag_len = p.tag_len();
        let buf = prepare(out, message.len() + MAX_BLOCK + tag_len);
        let ctx = self.0.as_ptr();
        if !aad.is_empty() {
            let (Ok(len), mut outl) = (c_int::try_from(aad.len()), 0 as c_int) else {
                return false;
            };
            // SAFETY: an AEAD context (only the AEAD primitives have AAD); with a NULL output
            // pointer OpenSSL reads `len` bytes of `aad` (a live slice) as associated data and
            // writes only `outl`.
            let ok = unsafe {
                ffi::EVP_CipherUpdate(ctx, ptr::null_mut(), &mut outl, aad.as_ptr(), len)
            };
            if ok != 1 {
                return false;
            }
        }
        let mut written = 0usize;
        for chunk in message.chunks(MAX_CHUNK) {
            let mut outl: c_int = 0;
            // SAFETY: padding is off (or the mode is a stream mode), so the total output is at
            // most the total input plus one block; `buf` holds message.len() + MAX_BLOCK bytes,
            // so the bytes from `buf[written]` hold this chunk's output. The chunk length is at
            // most MAX_CHUNK, which fits a c_int.
            let ok = unsafe {
                ffi::EVP_CipherUpdate(
                    ctx,
                    buf.as_mut_ptr().add(written),
                    &mut outl,
                    chunk.as_ptr(),
                    chunk.len() as c_int,
                )
            };
            if ok != 1 {
                return false;
            }
            written += usize::try_from(outl).unwrap_or(0);
        }
        let mut outl: c_int = 0;
        // SAFETY: at most one block (<= MAX_BLOCK bytes) is written, and `buf` has at least
        // MAX_BLOCK + tag_len bytes left after `written` (<= message.len()).
        let ok = unsafe { ffi::EVP_EncryptFinal_ex(ctx, buf.as_mut_ptr().add(written), &mut outl) };
        if ok != 1 {
            return false;
        }
        written += usize::try_from(outl).unwrap_or(0);
        if tag_len > 0 {
            // SAFETY: GET_TAG writes exactly `tag_len` (16) bytes; `buf` has at least that many
            // left after `written` (see above).
            let ok = unsafe {
                ffi::EVP_CIPHER_CTX_ctrl(
                    ctx,
                    EVP_CTRL_AEAD_GET_TAG,
                    tag_len as c_int,
                    buf.as_mut_ptr().add(written).cast::<c_void>(),
                )
            };
            if ok != 1 {
                return false;
            }
            written += tag_len;
        }
        out.truncate(written);
        true
    }
}

impl Drop for CipherCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context and free it once (libcrypto cleanses the key schedule).
        unsafe { ffi::EVP_CIPHER_CTX_free(self.0.as_ptr()) };
    }
}

/// A fetched `EVP_MD`.
struct EvpMd(NonNull<ffi::EVP_MD>);

impl EvpMd {
    fn fetch(p: Primitive) -> Option<(Self, usize)> {
        let name = digest_name(p)?;
        ffi::init();
        // SAFETY: static NUL-terminated name; NULL context and properties; NULL-checked.
        let raw = unsafe { ffi::EVP_MD_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) };
        let Some(md) = NonNull::new(raw).map(EvpMd) else {
            clear_errors();
            return None;
        };
        // SAFETY: live fetched EVP_MD; reads a constant.
        let size = usize::try_from(unsafe { ffi::EVP_MD_get_size(md.0.as_ptr()) }).ok()?;
        Some((md, size))
    }
}

impl Drop for EvpMd {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched digest and release it once.
        unsafe { ffi::EVP_MD_free(self.0.as_ptr()) };
    }
}

/// An owned `EVP_MD_CTX`, freed on drop.
struct MdCtx(NonNull<ffi::EVP_MD_CTX>);

impl MdCtx {
    fn new() -> Option<Self> {
        // SAFETY: allocates a context; NULL-checked.
        NonNull::new(unsafe { ffi::EVP_MD_CTX_new() }).map(MdCtx)
    }

    /// Init with `md`, absorb `message`, write the `size`-byte digest to `out`.
    fn digest(&mut self, md: &EvpMd, size: usize, message: &[u8], out: &mut Vec<u8>) -> bool {
        let ctx = self.0.as_ptr();
        let buf = prepare(out, size);
        let mut len = 0u32;
        // SAFETY: live context and fetched digest; NULL engine. The update reads
        // `message.len()` bytes from `message`, which outlives the call. The final writes
        // EVP_MD_get_size(md) = `size` bytes into `buf`, which holds at least `size`.
        let ok = unsafe {
            ffi::EVP_DigestInit_ex(ctx, md.0.as_ptr(), ptr::null_mut()) == 1
                && ffi::EVP_DigestUpdate(ctx, message.as_ptr().cast(), message.len()) == 1
                && ffi::EVP_DigestFinal_ex(ctx, buf.as_mut_ptr(), &mut len) == 1
        };
        out.truncate(len as usize);
        ok
    }
}

impl Drop for MdCtx {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once.
        unsafe { ffi::EVP_MD_CTX_free(self.0.as_ptr()) };
    }
}

/// An owned `HMAC_CTX`, freed on drop.
struct HmacCtx(NonNull<ffi::HMAC_CTX>);

impl HmacCtx {
    fn new() -> Option<Self> {
        // SAFETY: allocates a context; NULL-checked.
        NonNull::new(unsafe { ffi::HMAC_CTX_new() }).map(HmacCtx)
    }

    /// `HMAC_Init_ex` with `key` and `md`, or with `None` a restart on the key and digest the
    /// context already has.
    fn init(&mut self, key_and_md: Option<(&[u8], &EvpMd)>) -> bool {
        let (key, len, md) = match key_and_md {
            Some((key, md)) => match c_int::try_from(key.len()) {
                Ok(len) => (key.as_ptr(), len, md.0.as_ptr().cast_const()),
                Err(_) => return false,
            },
            None => (ptr::null(), 0, ptr::null()),
        };
        // SAFETY: OpenSSL reads `len` bytes from `key` (a live slice) and copies the padded-key
        // states; `md` is a live fetched digest. With NULL key and digest it restarts from the
        // padded-key state it holds (only called on a context keyed before). NULL engine.
        unsafe { ffi::HMAC_Init_ex(self.0.as_ptr(), key.cast(), len, md, ptr::null_mut()) == 1 }
    }

    /// Absorb `message`, write the `size`-byte MAC to `out`.
    fn mac(&mut self, size: usize, message: &[u8], out: &mut Vec<u8>) -> bool {
        let ctx = self.0.as_ptr();
        let buf = prepare(out, size);
        let mut len = 0u32;
        // SAFETY: the update reads `message.len()` bytes from `message`, alive for the call;
        // the final writes the digest's size (`size`, from EVP_MD_get_size) bytes into `buf`,
        // which holds at least `size`.
        let ok = unsafe {
            ffi::HMAC_Update(ctx, message.as_ptr(), message.len()) == 1
                && ffi::HMAC_Final(ctx, buf.as_mut_ptr(), &mut len) == 1
        };
        out.truncate((len as usize).min(size));
        ok
    }
}

impl Drop for HmacCtx {
    fn drop(&mut self) {
        // SAFETY: owned context, freed once (libcrypto cleanses the key states).
        unsafe { ffi::HMAC_CTX_free(self.0.as_ptr()) };
    }
}

/// New context per message (one-shot AEADs: keyed once, see [`reused`]).
pub(crate) fn fresh(p: Primitive) -> Option<Box<dyn Runner>> {
    if p.is_one_shot_aead() {
        return reused(p);
    }
    if let Some(cipher) = fetch_cipher(p) {
        return cipher.map(|cipher| Box::new(FreshCipher { p, cipher }) as Box<dyn Runner>);
    }
    let (md, size) = EvpMd::fetch(p)?;
    if p == Primitive::HmacSha256 {
        return Some(Box::new(FreshHmac {
            key: p.key(),
            md,
            size,
        }));
    }
    Some(Box::new(FreshDigest { md, size }))
}

/// One keyed context reused for every message.
pub(crate) fn reused(p: Primitive) -> Option<Box<dyn Runner>> {
    reused_with_aad(p, p.aad())
}

/// As [`reused`], sealing one-shot AEAD messages with `aad` instead of the primitive's.
pub(crate) fn reused_with_aad(p: Primitive, aad: &'static [u8]) -> Option<Box<dyn Runner>> {
    if let Some(cipher) = fetch_cipher(p) {
        let cipher = cipher?;
        let ctx = CipherCtx::keyed(p, &cipher)?;
        return Some(Box::new(ReusedCipher {
            p,
            aad,
            ctx,
            _cipher: cipher,
        }));
    }
    let (md, size) = EvpMd::fetch(p)?;
    if p == Primitive::HmacSha256 {
        let mut ctx = HmacCtx::new()?;
        if !ctx.init(Some((p.key(), &md))) {
            clear_errors();
            return None;
        }
        return Some(Box::new(ReusedHmac { ctx, _md: md, size }));
    }
    Some(Box::new(ReusedDigest {
        md,
        size,
        ctx: MdCtx::new()?,
    }))
}

/// `None` for a non-cipher primitive, `Some(None)` for a cipher libcrypto lacks.
fn fetch_cipher(p: Primitive) -> Option<Option<EvpCipher>> {
    cipher_name(p).map(|_| EvpCipher::fetch(p))
}

/// Clears `out` and the error queue after a failure.
fn failed(out: &mut Vec<u8>) {
    out.clear();
    clear_errors();
}

struct FreshCipher {
    p: Primitive,
    cipher: EvpCipher,
}

impl Runner for FreshCipher {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let ok = CipherCtx::keyed(self.p, &self.cipher)
            .is_some_and(|mut ctx| ctx.encrypt(self.p, &[], processed(self.p, message), out));
        if !ok {
            failed(out);
        }
    }
}

struct ReusedCipher {
    p: Primitive,
    /// The associated data of each message (one-shot AEADs only; else empty).
    aad: &'static [u8],
    /// Keyed once. Declared before `_cipher`, so freed first.
    ctx: CipherCtx,
    /// Kept alive for as long as the context that was initialised with it.
    _cipher: EvpCipher,
}

impl Runner for ReusedCipher {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        // SAFETY: the context was initialised with the cipher and key in `CipherCtx::keyed`;
        // NULL cipher, engine and key keep them, and OpenSSL reads exactly the cipher's IV
        // length, checked equal to `p.iv().len()` at fetch, from the static IV.
        let ok = unsafe {
            ffi::EVP_CipherInit_ex(
                self.ctx.0.as_ptr(),
                ptr::null(),
                ptr::null_mut(),
                ptr::null(),
                self.p.iv().as_ptr(),
                1,
            )
        } == 1;
        if !(ok
            && self
                .ctx
                .encrypt(self.p, self.aad, processed(self.p, message), out))
        {
            failed(out);
        }
    }
}

struct FreshDigest {
    md: EvpMd,
    size: usize,
}

impl Runner for FreshDigest {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let ok = MdCtx::new().is_some_and(|mut ctx| ctx.digest(&self.md, self.size, message, out));
        if !ok {
            failed(out);
        }
    }
}

struct ReusedDigest {
    md: EvpMd,
    size: usize,
    ctx: MdCtx,
}

impl Runner for ReusedDigest {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        if !self.ctx.digest(&self.md, self.size, message, out) {
            failed(out);
        }
    }
}

struct FreshHmac {
    key: &'static [u8],
    md: EvpMd,
    size: usize,
}

impl Runner for FreshHmac {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let ok = HmacCtx::new().is_some_and(|mut ctx| {
            ctx.init(Some((self.key, &self.md))) && ctx.mac(self.size, message, out)
        });
        if !ok {
            failed(out);
        }
    }
}

struct ReusedHmac {
    /// Keyed once. Declared before `_md`, so dropped before the digest it points to.
    ctx: HmacCtx,
    /// The digest the context keeps a plain pointer to (HMAC_CTX takes no reference).
    _md: EvpMd,
    size: usize,
}

impl Runner for ReusedHmac {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        if !(self.ctx.init(None) && self.ctx.mac(self.size, message, out)) {
            failed(out);
        }
    }
}
