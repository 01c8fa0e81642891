//! One-shot AES-GCM and ChaCha20-Poly1305 on ring's `LessSafeKey`.
//!
//! The key schedule runs once, in `create_aead_ctx`; every message reuses the `LessSafeKey`.
//! Neither direction allocates: encryption copies the plaintext into the caller's `out` and
//! seals it in place, appending the tag; decryption copies the ciphertext into `out` and opens
//! it in place against the separate tag.

use ring::aead::{self as ring_aead, Aad, LessSafeKey, Nonce, Tag, UnboundKey};
use zeroize::Zeroize;

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{AeadBackend, AeadContext, AeadSupport};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::unsupported::unsupported_aead;

use super::RingBackend;

/// ring's tags are 16 bytes for every construction it has.
const TAG_BYTES: usize = 16;

/// ring's only nonce length.
const NONCE_BYTES: usize = ring_aead::NONCE_LEN;

/// ring's algorithm for `algorithm` with a `key_bytes`-byte key, if it has one.
fn ring_algorithm(
    algorithm: AeadAlgorithm,
    key_bytes: usize,
) -> Option<&'static ring_aead::Algorithm> {
    match (algorithm, key_bytes) {
        (AeadAlgorithm::AesGcm, 16) => Some(&ring_aead::AES_128_GCM),
        (AeadAlgorithm::AesGcm, 32) => Some(&ring_aead::AES_256_GCM),
        (AeadAlgorithm::ChaCha20Poly1305, 32) => Some(&ring_aead::CHACHA20_POLY1305),
        _ => None,
    }
}

/// A keyed ring AEAD.
struct RingAead {
    algorithm: AeadAlgorithm,
    key: LessSafeKey,
}

impl RingAead {
    /// ring's nonce, or `UnsupportedAlgorithm` for any length but 12 bytes (the multi-backend
    /// then hands this message to its next member).
    fn nonce(&self, nonce: &[u8]) -> Result<Nonce> {
        Nonce::try_assume_unique_for_key(nonce).map_err(|_| {
            Error::unsupported(
                Reason::UnsupportedCipher,
                format!(
                    "the ring backend takes only {NONCE_BYTES}-byte nonces for {}, got {}",
                    self.algorithm.name(),
                    crate::exceptions::Bytes(nonce.len())
                ),
            )
        })
    }

    /// The associated data: AES-GCM and ChaCha20-Poly1305 take one string.
    fn aad<'a>(&self, aad: &[&'a [u8]]) -> Result<Aad<&'a [u8]>> {
        match aad {
            [] => Ok(Aad::from(&[][..])),
            [one] => Ok(Aad::from(*one)),
            _ => Err(Error::invalid(format!(
                "{} takes one associated-data string, got {} strings",
                self.algorithm.name(),
                aad.len()
            ))),
        }
    }
}

/// The error for an `out` that is not exactly `needed` bytes (the primitives layer sizes it).
fn wrong_output(needed: usize, out: &[u8]) -> Error {
    Error::invalid(format!(
        "output buffer must be exactly {needed} bytes, got {}",
        crate::exceptions::Bytes(out.len())
    ))
}

impl AeadContext for RingAead {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let nonce = self.nonce(nonce)?;
        let aad = self.aad(aad)?;
        let needed = plaintext.len() + TAG_BYTES;
        if out.len() != needed {
            return Err(wrong_output(needed, out));
        }
        let (body, tag_out) = out.split_at_mut(plaintext.len());
        body.copy_from_slice(plaintext);
        match self.key.seal_in_place_separate_tag(nonce, aad, body) {
            Ok(tag) => {
                tag_out.copy_from_slice(tag.as_ref());
                Ok(())
            }
            Err(_) => {
                out.zeroize();
                Err(Error::Backend(format!(
                    "ring failed to seal a {}-byte {} message",
                    plaintext.len(),
                    self.algorithm.name()
                )))
            }
        }
    }

    fn seals_in_place(&self) -> bool {
        true
    }

    fn encrypt_in_place(
        &self,
        nonce: &[u8],
        aad: &[&[u8]],
        buf: &mut [u8],
        tag_bytes: usize,
    ) -> Result<()> {
        let nonce = self.nonce(nonce)?;
        let aad = self.aad(aad)?;
        let body_len = match buf.len().checked_sub(TAG_BYTES) {
            Some(len) if tag_bytes == TAG_BYTES => len,
            _ => {
                return Err(Error::invalid(format!(
                    "an in-place buffer must hold the plaintext and a {TAG_BYTES}-byte tag, got \
                     {} bytes for a {tag_bytes}-byte tag",
                    buf.len()
                )))
            }
        };
        let (body, tag_out) = buf.split_at_mut(body_len);
        match self.key.seal_in_place_separate_tag(nonce, aad, body) {
            Ok(tag) => {
                tag_out.copy_from_slice(tag.as_ref());
                Ok(())
            }
            Err(_) => {
                buf.zeroize();
                Err(Error::Backend(format!(
                    "ring failed to seal a {body_len}-byte {} message",
                    self.algorithm.name()
                )))
            }
        }
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let nonce = self.nonce(nonce)?;
        let aad = self.aad(aad)?;
        let body_len = ciphertext
            .len()
            .checked_sub(TAG_BYTES)
            .ok_or(Error::InvalidTag)?;
        if out.len() != body_len {
            return Err(wrong_output(body_len, out));
        }
        let (body, tag) = ciphertext.split_at(body_len);
        let tag = Tag::try_from(tag).map_err(|_| Error::InvalidTag)?;
        out.copy_from_slice(body);
        match self
            .key
            .open_in_place_separate_tag(nonce, aad, tag, out, 0..)
        {
            Ok(_) => Ok(()),
            Err(_) => {
                // ring leaves `out` "overwritten in an unspecified way": wipe it.
                out.zeroize();
                Err(Error::InvalidTag)
            }
        }
    }
}

impl AeadBackend for RingBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        tag_bytes == TAG_BYTES && ring_algorithm(algorithm, key_bytes).is_some()
    }

    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        let ring_algorithm = ring_algorithm(algorithm, key.len())
            .filter(|_| tag_bytes == TAG_BYTES)
            .ok_or_else(|| unsupported_aead("ring", algorithm))?;
        let key = UnboundKey::new(ring_algorithm, key).map_err(|_| {
            Error::Backend(format!(
                "ring rejected a {}-bit {} key",
                key.len() * 8,
                algorithm.name()
            ))
        })?;
        Ok(Box::new(RingAead {
            algorithm,
            key: LessSafeKey::new(key),
        }))
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        vec![
            AeadSupport {
                algorithm: AeadAlgorithm::AesGcm,
                key_sizes: vec![128, 256],
            },
            AeadSupport {
                algorithm: AeadAlgorithm::ChaCha20Poly1305,
                key_sizes: vec![256],
            },
        ]
    }
}
