//! Raw ring baselines (see [`crate::raw_ring`] for exactly what runs per message).

use ::ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use ::ring::{digest, hmac};

use crate::{prepare, Primitive, Runner};

pub(crate) fn runner(p: Primitive) -> Option<Box<dyn Runner>> {
    runner_with_aad(p, p.aad())
}

/// As [`runner`], sealing one-shot AEAD messages with `aad` instead of the primitive's.
pub(crate) fn runner_with_aad(p: Primitive, aad: &'static [u8]) -> Option<Box<dyn Runner>> {
    let runner: Box<dyn Runner> = match p {
        Primitive::Aes128GcmOneShot => Box::new(Seal::new(p, &aead::AES_128_GCM, aad)?),
        Primitive::Aes256GcmOneShot => Box::new(Seal::new(p, &aead::AES_256_GCM, aad)?),
        Primitive::ChaCha20Poly1305 => Box::new(Seal::new(p, &aead::CHACHA20_POLY1305, aad)?),
        Primitive::Sha1 => Box::new(Digest(&digest::SHA1_FOR_LEGACY_USE_ONLY)),
        Primitive::Sha256 => Box::new(Digest(&digest::SHA256)),
        Primitive::Sha512 => Box::new(Digest(&digest::SHA512)),
        Primitive::HmacSha256 => Box::new(HmacSha256),
        _ => return None,
    };
    Some(runner)
}

/// A `LessSafeKey` built once; per message, seal in place and append the tag.
struct Seal {
    key: LessSafeKey,
    nonce: [u8; aead::NONCE_LEN],
    aad: &'static [u8],
}

impl Seal {
    fn new(p: Primitive, algorithm: &'static aead::Algorithm, aad: &'static [u8]) -> Option<Self> {
        let key = UnboundKey::new(algorithm, p.key()).ok()?;
        Some(Seal {
            key: LessSafeKey::new(key),
            nonce: p.iv().try_into().ok()?,
            aad,
        })
    }
}

impl Runner for Seal {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let n = message.len();
        let tag_len = self.key.algorithm().tag_len();
        let buf = prepare(out, n + tag_len);
        let (body, tag_out) = buf.split_at_mut(n);
        body.copy_from_slice(message);
        let nonce = Nonce::assume_unique_for_key(self.nonce);
        match self
            .key
            .seal_in_place_separate_tag(nonce, Aad::from(self.aad), body)
        {
            Ok(tag) => {
                tag_out[..tag_len].copy_from_slice(tag.as_ref());
                out.truncate(n + tag_len);
            }
            Err(_) => out.clear(),
        }
    }
}

/// A one-call digest.
struct Digest(&'static digest::Algorithm);

impl Runner for Digest {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(digest::digest(self.0, message).as_ref());
    }
}

/// HMAC-SHA-256 keyed per message.
struct HmacSha256;

impl Runner for HmacSha256 {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let key = hmac::Key::new(hmac::HMAC_SHA256, Primitive::HmacSha256.key());
        out.clear();
        out.extend_from_slice(hmac::sign(&key, message).as_ref());
    }
}
