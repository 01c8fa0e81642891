//! One-shot authenticated encryption with associated data (pyca's `ciphers.aead`).
//!
//! Each type is keyed once (`new(key)`: the backend does its key schedule then) and then
//! encrypts and decrypts any number of messages. `encrypt` returns `ciphertext ‖ tag`
//! (`tag ‖ ciphertext` for [`AesSiv`]); `decrypt` takes the same and returns the plaintext, or
//! [`Error::InvalidTag`] for every authentication failure, including an input shorter than the
//! tag. A failed decryption never returns or leaves plaintext: the `_into` variants wipe the
//! caller's buffer before returning the error.
//!
//! | type | key (bytes) | nonce (bytes) | tag (bytes) |
//! |---|---|---|---|
//! | [`AesGcm`] | 16, 24, 32 | 8 to 128 | 16 |
//! | [`ChaCha20Poly1305`] | 32 | 12 | 16 |
//! | [`AesCcm`] | 16, 24, 32 | 7 to 13 | 4, 6, ..., 16 (chosen per key) |
//! | [`AesOcb3`] | 16, 24, 32 | 12 to 15 | 16 |
//! | [`AesSiv`] | 32, 48, 64 | none (AAD is a list) | 16, first |
//! | [`AesGcmSiv`] | 16, 24, 32 | 12 | 16 |
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::aead::AesGcm;
//!
//! let key = AesGcm::generate_key(256)?;
//! let aead = AesGcm::new(&key)?;
//! let nonce = [7u8; 12];
//! let sealed = aead.encrypt(&nonce, b"attack at dawn", b"header")?;
//! assert_eq!(aead.decrypt(&nonce, &sealed, b"header")?, b"attack at dawn");
//! assert!(aead.decrypt(&nonce, &sealed, b"other header").is_err());
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

mod algorithm;
pub mod stream;

pub use algorithm::AeadAlgorithm;

use zeroize::{Zeroize, Zeroizing};

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::backends::{AeadBackend, AeadContext};

/// Fills `buf` from the operating system's random source.
pub(crate) fn os_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|e| Error::Backend(format!("the operating system's random source failed: {e}")))
}

/// A fresh random key of `bit_length` bits, which must be one of `allowed` (in bytes).
fn generate(name: &str, bit_length: usize, allowed: &[usize]) -> Result<Zeroizing<Vec<u8>>> {
    if !bit_length.is_multiple_of(8) || !allowed.contains(&(bit_length / 8)) {
        return Err(Error::invalid(format!(
            "{name} keys must be {} bits, got {bit_length}",
            list_bits(allowed)
        )));
    }
    let mut key = Zeroizing::new(vec![0u8; bit_length / 8]);
    os_random(&mut key)?;
    Ok(key)
}

fn list_bits(bytes: &[usize]) -> String {
    let bits: Vec<usize> = bytes.iter().map(|b| b * 8).collect();
    list_of(&bits)
}

/// "a, b or c".
fn list_of(sizes: &[usize]) -> String {
    let sizes: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
    match sizes.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The parts every construction shares: a keyed backend context and the sizes.
struct Keyed {
    algorithm: AeadAlgorithm,
    context: Box<dyn AeadContext>,
    tag_bytes: usize,
}

impl Keyed {
    fn new(
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
        backend: &dyn AeadBackend,
    ) -> Result<Self> {
        let sizes = algorithm.key_sizes();
        if !sizes.contains(&key.len()) {
            return Err(Error::invalid(format!(
                "{} keys must be {} bits, got {} bits",
                algorithm.name(),
                list_bits(sizes),
                key.len() * 8
            )));
        }
        let context = backend.create_aead_ctx(algorithm, key, tag_bytes)?;
        Ok(Keyed {
            algorithm,
            context,
            tag_bytes,
        })
    }

    fn check_lengths(&self, data: usize, aad: &[&[u8]], limits: Limits) -> Result<()> {
        if data as u64 > limits.data {
            return Err(Error::invalid(format!(
                "{} can process at most {} bytes of data in one message, got {data}",
                self.algorithm.name(),
                limits.data
            )));
        }
        let aad_total: u64 = aad.iter().map(|a| a.len() as u64).sum();
        if aad_total > limits.aad {
            return Err(Error::invalid(format!(
                "{} can authenticate at most {} bytes of associated data, got {aad_total}",
                self.algorithm.name(),
                limits.aad
            )));
        }
        Ok(())
    }

    fn encrypt_into(
        &self,
        nonce: &[u8],
        data: &[u8],
        aad: &[&[u8]],
        limits: Limits,
        out: &mut [u8],
    ) -> Result<usize> {
        self.check_lengths(data.len(), aad, limits)?;
        let needed = data.len() + self.tag_bytes;
        let have = out.len();
        let out = out.get_mut(..needed).ok_or_else(|| {
            Error::invalid(format!(
                "output buffer too small: need at least {needed} bytes, got {have}"
            ))
        })?;
        if let Err(e) = self.context.encrypt_into(nonce, data, aad, out) {
            out.zeroize();
            return Err(e);
        }
        Ok(needed)
    }

    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[&[u8]], limits: Limits) -> Result<Vec<u8>> {
        let len = data.len() + self.tag_bytes;
        if self.algorithm.tag_first() || !self.context.seals_in_place() {
            let mut out = vec![0; len];
            self.encrypt_into(nonce, data, aad, limits, &mut out)?;
            return Ok(out);
        }
        // Seal around the plaintext: one copy, no zero-fill pass.
        self.check_lengths(data.len(), aad, limits)?;
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(data);
        out.resize(len, 0);
        if let Err(e) = self
            .context
            .encrypt_in_place(nonce, aad, &mut out, self.tag_bytes)
        {
            out.zeroize();
            return Err(e);
        }
        Ok(out)
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        data: &[u8],
        aad: &[&[u8]],
        limits: Limits,
        out: &mut [u8],
    ) -> Result<usize> {
        let plaintext_len = data
            .len()
            .checked_sub(self.tag_bytes)
            .ok_or(Error::InvalidTag)?;
        self.check_lengths(plaintext_len, aad, limits)?;
        let have = out.len();
        let out = out.get_mut(..plaintext_len).ok_or_else(|| {
            Error::invalid(format!(
                "output buffer too small: need at least {plaintext_len} bytes, got {have}"
            ))
        })?;
        if let Err(e) = self.context.decrypt_into(nonce, data, aad, out) {
            out.zeroize();
            return Err(e);
        }
        Ok(plaintext_len)
    }

    fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[&[u8]], limits: Limits) -> Result<Vec<u8>> {
        let plaintext_len = data
            .len()
            .checked_sub(self.tag_bytes)
            .ok_or(Error::InvalidTag)?;
        let mut out = Zeroizing::new(vec![0; plaintext_len]);
        self.decrypt_into(nonce, data, aad, limits, &mut out)?;
        Ok(std::mem::take(&mut *out))
    }
}

/// Per-message byte limits.
#[derive(Clone, Copy)]
struct Limits {
    data: u64,
    aad: u64,
}

fn check_nonce(name: &str, nonce: &[u8], min: usize, max: usize) -> Result<()> {
    if nonce.len() < min || nonce.len() > max {
        let rule = if min == max {
            format!("{min} bytes")
        } else {
            format!("between {min} and {max} bytes")
        };
        return Err(Error::invalid(format!(
            "{name} nonces must be {rule}, got {}",
            nonce.len()
        )));
    }
    Ok(())
}

/// Declares a one-shot AEAD type with a fixed 16-byte tag and a nonce length range.
macro_rules! nonce_aead {
    ($(#[$doc:meta])* $ty:ident, $algorithm:ident, nonce = $min:literal..=$max:literal, limits = $limits:expr) => {
        $(#[$doc])*
        pub struct $ty {
            keyed: Keyed,
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }

        impl $ty {
            /// The tag length in bytes.
            pub const TAG_BYTES: usize = 16;

            /// Keys a new instance on the default backend.
            pub fn new(key: &[u8]) -> Result<Self> {
                Self::with_backend(key, default_backend())
            }

            /// Keys a new instance on `backend`.
            pub fn with_backend(key: &[u8], backend: Arc<dyn Backend>) -> Result<Self> {
                Ok($ty {
                    keyed: Keyed::new(AeadAlgorithm::$algorithm, key, Self::TAG_BYTES, &*backend)?,
                })
            }

            /// A fresh random key of `bit_length` bits from the operating system.
            pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
                generate(
                    AeadAlgorithm::$algorithm.name(),
                    bit_length,
                    AeadAlgorithm::$algorithm.key_sizes(),
                )
            }

            fn check(&self, nonce: &[u8]) -> Result<()> {
                check_nonce(AeadAlgorithm::$algorithm.name(), nonce, $min, $max)
            }

            /// Encrypts `data` and authenticates it with `aad`; returns `ciphertext ‖ tag`.
            pub fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                self.check(nonce)?;
                self.keyed.encrypt(nonce, data, &[aad], $limits)
            }

            /// As [`encrypt`](Self::encrypt), into `out` (at least `data.len() + 16` bytes);
            /// returns the bytes written.
            pub fn encrypt_into(
                &self,
                nonce: &[u8],
                data: &[u8],
                aad: &[u8],
                out: &mut [u8],
            ) -> Result<usize> {
                self.check(nonce)?;
                self.keyed.encrypt_into(nonce, data, &[aad], $limits, out)
            }

            /// Checks and decrypts `ciphertext ‖ tag`; `InvalidTag` on any authentication
            /// failure.
            pub fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                self.check(nonce)?;
                self.keyed.decrypt(nonce, data, &[aad], $limits)
            }

            /// As [`decrypt`](Self::decrypt), into `out` (at least `data.len() - 16` bytes);
            /// returns the plaintext length. On failure `out` holds no plaintext.
            pub fn decrypt_into(
                &self,
                nonce: &[u8],
                data: &[u8],
                aad: &[u8],
                out: &mut [u8],
            ) -> Result<usize> {
                self.check(nonce)?;
                self.keyed.decrypt_into(nonce, data, &[aad], $limits, out)
            }
        }
    };
}

nonce_aead!(
    /// AES-GCM (NIST SP 800-38D): 128/192/256-bit keys, 8- to 128-byte nonces (12 is the
    /// standard and fastest), 16-byte tags. At most 2^36 - 32 bytes of data per message.
    AesGcm,
    AesGcm,
    nonce = 8..=128,
    limits = Limits {
        data: (1 << 36) - 32,
        aad: (1 << 61) - 1
    }
);

nonce_aead!(
    /// ChaCha20-Poly1305 (RFC 8439): a 256-bit key, 12-byte nonces, 16-byte tags. At most
    /// 2^38 - 64 bytes of data per message.
    ChaCha20Poly1305,
    ChaCha20Poly1305,
    nonce = 12..=12,
    limits = Limits {
        data: (1 << 38) - 64,
        aad: u64::MAX
    }
);

nonce_aead!(
    /// AES-OCB3 (RFC 7253): 128/192/256-bit keys, 12- to 15-byte nonces, 16-byte tags.
    AesOcb3,
    AesOcb3,
    nonce = 12..=15,
    limits = Limits {
        data: u64::MAX,
        aad: u64::MAX
    }
);

nonce_aead!(
    /// AES-GCM-SIV (RFC 8452), nonce-misuse resistant: 128/192/256-bit keys, 12-byte nonces,
    /// 16-byte tags. At most 2^36 bytes of data and of associated data per message.
    AesGcmSiv,
    AesGcmSiv,
    nonce = 12..=12,
    limits = Limits {
        data: 1 << 36,
        aad: 1 << 36
    }
);

/// AES-CCM (NIST SP 800-38C, RFC 3610): 128/192/256-bit keys, 7- to 13-byte nonces, a tag
/// length chosen per key (4, 6, 8, 10, 12, 14 or 16 bytes). The nonce length `n` bounds the
/// message: at most 2^(8 × (15 - n)) - 1 bytes.
pub struct AesCcm {
    keyed: Keyed,
}

impl fmt::Debug for AesCcm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesCcm")
            .field("tag_length", &self.keyed.tag_bytes)
            .finish_non_exhaustive()
    }
}

impl AesCcm {
    /// Keys a new instance with 16-byte tags on the default backend.
    pub fn new(key: &[u8]) -> Result<Self> {
        Self::with_tag_length(key, 16)
    }

    /// Keys a new instance with `tag_length`-byte tags on the default backend.
    pub fn with_tag_length(key: &[u8], tag_length: usize) -> Result<Self> {
        Self::with_backend(key, tag_length, default_backend())
    }

    /// Keys a new instance with `tag_length`-byte tags on `backend`.
    pub fn with_backend(key: &[u8], tag_length: usize, backend: Arc<dyn Backend>) -> Result<Self> {
        if !(4..=16).contains(&tag_length) || !tag_length.is_multiple_of(2) {
            return Err(Error::invalid(format!(
                "AES-CCM tag lengths must be 4, 6, 8, 10, 12, 14 or 16 bytes, got {tag_length}"
            )));
        }
        Ok(AesCcm {
            keyed: Keyed::new(AeadAlgorithm::AesCcm, key, tag_length, &*backend)?,
        })
    }

    /// A fresh random key of `bit_length` bits from the operating system.
    pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
        generate("AES-CCM", bit_length, AeadAlgorithm::AesCcm.key_sizes())
    }

    /// The tag length in bytes.
    pub fn tag_length(&self) -> usize {
        self.keyed.tag_bytes
    }

    /// The nonce rule and the payload limit it implies.
    fn limits(nonce: &[u8]) -> Result<Limits> {
        check_nonce("AES-CCM", nonce, 7, 13)?;
        let length_field_bits = 8 * (15 - nonce.len() as u32);
        let data = if length_field_bits >= 64 {
            u64::MAX
        } else {
            (1u64 << length_field_bits) - 1
        };
        Ok(Limits {
            data,
            aad: u64::MAX,
        })
    }

    /// Encrypts `data` and authenticates it with `aad`; returns `ciphertext ‖ tag`.
    pub fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let limits = Self::limits(nonce)?;
        self.keyed.encrypt(nonce, data, &[aad], limits)
    }

    /// As [`encrypt`](Self::encrypt), into `out` (at least `data.len() + tag length` bytes).
    pub fn encrypt_into(
        &self,
        nonce: &[u8],
        data: &[u8],
        aad: &[u8],
        out: &mut [u8],
    ) -> Result<usize> {
        let limits = Self::limits(nonce)?;
        self.keyed.encrypt_into(nonce, data, &[aad], limits, out)
    }

    /// Checks and decrypts `ciphertext ‖ tag`; `InvalidTag` on any authentication failure.
    pub fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let limits = Self::limits(nonce)?;
        self.keyed.decrypt(nonce, data, &[aad], limits)
    }

    /// As [`decrypt`](Self::decrypt), into `out`; on failure `out` holds no plaintext.
    pub fn decrypt_into(
        &self,
        nonce: &[u8],
        data: &[u8],
        aad: &[u8],
        out: &mut [u8],
    ) -> Result<usize> {
        let limits = Self::limits(nonce)?;
        self.keyed.decrypt_into(nonce, data, &[aad], limits, out)
    }
}

/// AES-SIV (RFC 5297), deterministic and nonce-misuse resistant: 256/384/512-bit keys (two
/// AES keys), associated data as a list of components (a nonce, if used, is conventionally the
/// last one), the 16-byte tag (the synthetic IV) *before* the ciphertext. Empty plaintexts are
/// rejected when encrypting.
pub struct AesSiv {
    keyed: Keyed,
}

impl fmt::Debug for AesSiv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesSiv").finish_non_exhaustive()
    }
}

impl AesSiv {
    /// The tag length in bytes.
    pub const TAG_BYTES: usize = 16;

    /// The most associated-data components one message may have (RFC 5297's S2V takes at most
    /// 127 strings, the plaintext included).
    pub const MAX_AAD_COMPONENTS: usize = 126;

    const LIMITS: Limits = Limits {
        data: u64::MAX,
        aad: u64::MAX,
    };

    /// Keys a new instance on the default backend.
    pub fn new(key: &[u8]) -> Result<Self> {
        Self::with_backend(key, default_backend())
    }

    /// Keys a new instance on `backend`.
    pub fn with_backend(key: &[u8], backend: Arc<dyn Backend>) -> Result<Self> {
        Ok(AesSiv {
            keyed: Keyed::new(AeadAlgorithm::AesSiv, key, Self::TAG_BYTES, &*backend)?,
        })
    }

    /// A fresh random key of `bit_length` bits (256, 384 or 512) from the operating system.
    pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
        generate("AES-SIV", bit_length, AeadAlgorithm::AesSiv.key_sizes())
    }

    fn check(aad: &[&[u8]]) -> Result<()> {
        if aad.len() > Self::MAX_AAD_COMPONENTS {
            return Err(Error::invalid(format!(
                "AES-SIV takes at most {} associated-data components, got {}",
                Self::MAX_AAD_COMPONENTS,
                aad.len()
            )));
        }
        Ok(())
    }

    fn check_data(data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Err(Error::invalid("AES-SIV data must not be zero length"));
        }
        Ok(())
    }

    /// Encrypts `data` (not empty) and authenticates it with the `aad` components; returns
    /// `tag ‖ ciphertext`.
    pub fn encrypt(&self, data: &[u8], aad: &[&[u8]]) -> Result<Vec<u8>> {
        Self::check(aad)?;
        Self::check_data(data)?;
        self.keyed.encrypt(&[], data, aad, Self::LIMITS)
    }

    /// As [`encrypt`](Self::encrypt), into `out` (at least `data.len() + 16` bytes).
    pub fn encrypt_into(&self, data: &[u8], aad: &[&[u8]], out: &mut [u8]) -> Result<usize> {
        Self::check(aad)?;
        Self::check_data(data)?;
        self.keyed.encrypt_into(&[], data, aad, Self::LIMITS, out)
    }

    /// A tag alone (an empty plaintext) is never produced by [`encrypt`](Self::encrypt), and
    /// not every backend can check one, so every backend refuses it alike.
    fn check_sealed(data: &[u8]) -> Result<()> {
        if data.len() <= Self::TAG_BYTES {
            return Err(Error::InvalidTag);
        }
        Ok(())
    }

    /// Checks and decrypts `tag ‖ ciphertext`; `InvalidTag` on any authentication failure,
    /// including an input of no more than the 16-byte tag.
    pub fn decrypt(&self, data: &[u8], aad: &[&[u8]]) -> Result<Vec<u8>> {
        Self::check(aad)?;
        Self::check_sealed(data)?;
        self.keyed.decrypt(&[], data, aad, Self::LIMITS)
    }

    /// As [`decrypt`](Self::decrypt), into `out`; on failure `out` holds no plaintext.
    pub fn decrypt_into(&self, data: &[u8], aad: &[&[u8]], out: &mut [u8]) -> Result<usize> {
        Self::check(aad)?;
        Self::check_sealed(data)?;
        self.keyed.decrypt_into(&[], data, aad, Self::LIMITS, out)
    }
}
