//! Our library's public API on a given backend.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{AesGcm, ChaCha20Poly1305};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, Camellia, ChaCha20};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{Cbc, Ctr, Gcm};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::Hash;
use pluggable_crypto::hazmat::primitives::hashes::{self, HashAlgorithm};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::Result;

use crate::{prepare, processed, Primitive, Runner};

/// Our library on `backend`, doing per message what a user of the public API does.
///
/// Prepared once: for a cipher, the [`Cipher`] (algorithm with its key, mode with its IV, bound
/// to `backend`); for a hash or HMAC, the shared `Arc<dyn HashAlgorithm>`. Per message:
///
/// - ciphers: `cipher.encryptor()`, `update_into` the message into `out` (grown to
///   `update_output_size(len)` + tag length when short, never reallocated when large enough),
///   `finalize_into` the rest of `out`, and for GCM `tag()` appended;
/// - hashes: `Hash::from_shared(alg, backend.clone())`, `update`, `finalize` (a `Vec`), copied to `out`;
/// - HMAC: `Hmac::from_shared(key, alg, backend.clone())`, `update`, `finalize`, copied to `out`;
/// - one-shot AEADs: keyed once (`AesGcm::with_backend(key, backend)`,
///   `ChaCha20Poly1305::with_backend`); per message `encrypt_into(nonce, message, aad, out)`
///   with `out` grown to the message length + 16 when short.
///
/// `None` if `backend` does not support the primitive.
pub fn ours(p: Primitive, backend: Arc<dyn Backend>) -> Option<Box<dyn Runner>> {
    ours_with_aad(p, backend, p.aad())
}

/// As [`ours`], sealing one-shot AEAD messages with `aad` instead of the primitive's.
pub(crate) fn ours_with_aad(
    p: Primitive,
    backend: Arc<dyn Backend>,
    aad: &'static [u8],
) -> Option<Box<dyn Runner>> {
    match p {
        Primitive::Aes128GcmOneShot | Primitive::Aes256GcmOneShot | Primitive::ChaCha20Poly1305 => {
            let algorithm = match p {
                Primitive::ChaCha20Poly1305 => AeadAlgorithm::ChaCha20Poly1305,
                _ => AeadAlgorithm::AesGcm,
            };
            if !backend.aead_supported(algorithm, p.key().len(), p.tag_len()) {
                return None;
            }
            let backend: Arc<dyn Backend> = backend;
            let aead = match algorithm {
                AeadAlgorithm::ChaCha20Poly1305 => OneShot::ChaCha20Poly1305(
                    ChaCha20Poly1305::with_backend(p.key(), backend).ok()?,
                ),
                _ => OneShot::AesGcm(AesGcm::with_backend(p.key(), backend).ok()?),
            };
            Some(Box::new(OurAead {
                aead,
                nonce: p.iv(),
                aad,
            }))
        }
        Primitive::Aes128Gcm
        | Primitive::Aes256Gcm
        | Primitive::ChaCha20
        | Primitive::Aes128Ctr
        | Primitive::Aes256Ctr
        | Primitive::Aes256Cbc
        | Primitive::Camellia128Cbc => {
            let cipher = cipher(p, backend.clone()).ok()?;
            backend
                .cipher_supported(cipher.algorithm(), cipher.mode())
                .then(|| {
                    Box::new(OurCipher {
                        primitive: p,
                        cipher,
                    }) as Box<dyn Runner>
                })
        }
        Primitive::HmacSha256 => {
            let algorithm: Arc<dyn HashAlgorithm> = Arc::new(hashes::Sha256);
            backend.hmac_supported(&*algorithm).then(|| {
                Box::new(OurHmac {
                    key: p.key(),
                    algorithm,
                    backend,
                }) as Box<dyn Runner>
            })
        }
        _ => {
            let algorithm: Arc<dyn HashAlgorithm> = match p {
                Primitive::Sha1 => Arc::new(hashes::Sha1),
                Primitive::Sha256 => Arc::new(hashes::Sha256),
                Primitive::Sha512 => Arc::new(hashes::Sha512),
                Primitive::Sha3_256 => Arc::new(hashes::Sha3_256),
                _ => Arc::new(hashes::Blake2b),
            };
            backend
                .hash_supported(&*algorithm)
                .then(|| Box::new(OurHash { algorithm, backend }) as Box<dyn Runner>)
        }
    }
}

/// The `Cipher` of a cipher primitive, bound to `backend`.
fn cipher(p: Primitive, backend: Arc<dyn Backend>) -> Result<Cipher> {
    let (key, iv) = (p.key(), p.iv());
    match p {
        Primitive::Aes128Gcm | Primitive::Aes256Gcm => {
            Cipher::with_backend(Aes::new(key)?, Gcm::new(iv)?, backend)
        }
        Primitive::ChaCha20 => Cipher::with_backend(ChaCha20::new(key, iv)?, None, backend),
        Primitive::Aes128Ctr | Primitive::Aes256Ctr => {
            Cipher::with_backend(Aes::new(key)?, Ctr::new(iv)?, backend)
        }
        Primitive::Aes256Cbc => Cipher::with_backend(Aes::new(key)?, Cbc::new(iv)?, backend),
        _ => Cipher::with_backend(Camellia::new(key)?, Cbc::new(iv)?, backend),
    }
}

struct OurCipher {
    primitive: Primitive,
    cipher: Cipher,
}

impl OurCipher {
    fn encrypt(&self, message: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let message = processed(self.primitive, message);
        let tag_len = self.primitive.tag_len();
        let mut ctx = self.cipher.encryptor()?;
        // `update_output_size(len)` = len + block - 1 leaves the block - 1 bytes that
        // `finalize_into` asks for after the (at most len) bytes `update_into` writes.
        let room = ctx.update_output_size(message.len()) + tag_len;
        let buf = prepare(out, room);
        let mut written = ctx.update_into(message, buf)?;
        written += ctx.finalize_into(&mut buf[written..])?;
        if tag_len > 0 {
            let tag = ctx.tag()?;
            buf[written..written + tag.len()].copy_from_slice(tag);
            written += tag.len();
        }
        out.truncate(written);
        Ok(())
    }
}

impl Runner for OurCipher {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        if self.encrypt(message, out).is_err() {
            out.clear();
        }
    }
}

struct OurHash {
    algorithm: Arc<dyn HashAlgorithm>,
    backend: Arc<dyn Backend>,
}

impl OurHash {
    fn digest(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut hash = Hash::from_shared(self.algorithm.clone(), self.backend.clone())?;
        hash.update(message)?;
        hash.finalize()
    }
}

impl Runner for OurHash {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        out.clear();
        if let Ok(digest) = self.digest(message) {
            out.extend_from_slice(&digest);
        }
    }
}

struct OurHmac {
    key: &'static [u8],
    algorithm: Arc<dyn HashAlgorithm>,
    backend: Arc<dyn Backend>,
}

impl OurHmac {
    fn mac(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut hmac = Hmac::from_shared(self.key, self.algorithm.clone(), self.backend.clone())?;
        hmac.update(message)?;
        hmac.finalize()
    }
}

impl Runner for OurHmac {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        out.clear();
        if let Ok(mac) = self.mac(message) {
            out.extend_from_slice(&mac);
        }
    }
}

/// A keyed one-shot AEAD of the public API.
enum OneShot {
    AesGcm(AesGcm),
    ChaCha20Poly1305(ChaCha20Poly1305),
}

struct OurAead {
    aead: OneShot,
    nonce: &'static [u8],
    aad: &'static [u8],
}

impl Runner for OurAead {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let buf = prepare(out, message.len() + 16);
        let sealed = match &self.aead {
            OneShot::AesGcm(aead) => aead.encrypt_into(self.nonce, message, self.aad, buf),
            OneShot::ChaCha20Poly1305(aead) => {
                aead.encrypt_into(self.nonce, message, self.aad, buf)
            }
        };
        match sealed {
            Ok(written) => out.truncate(written),
            Err(_) => out.clear(),
        }
    }
}
