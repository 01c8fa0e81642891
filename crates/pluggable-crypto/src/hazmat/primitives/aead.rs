//! One-shot authenticated encryption with associated data (pyca's `ciphers.aead`).
//!
//! Each type is keyed once (`new(key)`: the backend does its key schedule then) and then
//! encrypts and decrypts any number of messages. `encrypt` returns `ciphertext ‖ tag`
//! (`tag ‖ ciphertext` for [`AesSiv`]); `decrypt` takes the same and returns the plaintext, or
//! [`Error::InvalidTag`] for every authentication failure, including an input shorter than the
//! tag. A failed decryption never returns or leaves plaintext: the `_into` variants wipe the
//! caller's buffer before returning the error.
//!
//! | type | key | nonce (bytes) | [`generate_nonce`](AesGcm::generate_nonce) (bytes) | tag (bytes) | nonce repeated under one key |
//! |---|---|---|---|---|---|
//! | [`AesGcm`] | 128, 192, 256 bits | 8 to 128 | 12 | 16 | confidentiality and authenticity lost |
//! | [`ChaCha20Poly1305`] | 256 bits | 12 | 12 | 16 | confidentiality and authenticity lost |
//! | [`AesCcm`] | 128, 192, 256 bits | 7 to 13 | 12 | 4, 6, ..., 16 (chosen per key) | confidentiality and authenticity lost |
//! | [`AesOcb3`] | 128, 192, 256 bits | 12 to 15 | 12 | 16 | confidentiality and authenticity lost |
//! | [`AesGcmSiv`] | 128, 192, 256 bits | 12 | 12 | 16 | only equal messages show as equal (misuse-resistant) |
//! | [`AesSiv`] | 256, 384, 512 bits | none (AAD is a list) | none | 16, first | deterministic: only equal messages show as equal |
//!
//! Key sizes are in **bits** wherever a method takes one
//! ([`generate_key_bits`](AesGcm::generate_key_bits)); keys themselves are byte slices
//! (`AesGcm::new(&key)` with a 32-byte `key` is AES-256-GCM). Nonces, tags and data are
//! measured in bytes.
//!
//! # Nonces
//!
//! Every type but [`AesSiv`] takes a nonce per message, and a nonce must **never repeat under
//! one key**. For AES-GCM, ChaCha20-Poly1305, AES-CCM and AES-OCB3 one repetition gives away
//! the XOR of the two plaintexts and lets an attacker forge messages (for GCM it reveals the
//! authentication key itself). AES-GCM-SIV and AES-SIV are nonce-misuse resistant: a repeated
//! nonce reveals only whether the same message was sent twice.
//!
//! The simplest safe use is a fresh random nonce per message, sent with the ciphertext:
//! [`encrypt_with_random_nonce`](AesGcm::encrypt_with_random_nonce) returns
//! `nonce ‖ ciphertext ‖ tag` and
//! [`decrypt_with_prefixed_nonce`](AesGcm::decrypt_with_prefixed_nonce) reads it back. Random
//! 96-bit (12-byte) nonces are safe for up to 2^32 messages per key (NIST SP 800-38D, section
//! 8.3: beyond that the chance of a repeat exceeds 2^-32); rotate the key before then, or use
//! a counter that never repeats as the nonce instead.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::aead::AesGcm;
//!
//! let key = AesGcm::generate_key_bits(256)?;
//! let aead = AesGcm::new(&key)?;
//! let sealed = aead.encrypt_with_random_nonce(b"attack at dawn", b"header")?;
//! assert_eq!(sealed.len(), 12 + 14 + 16); // nonce ‖ ciphertext ‖ tag
//! assert_eq!(aead.decrypt_with_prefixed_nonce(&sealed, b"header")?, b"attack at dawn");
//! assert!(aead.decrypt_with_prefixed_nonce(&sealed, b"other header").is_err());
//!
//! // With a nonce of your own (here random too), kept beside the ciphertext:
//! let nonce = AesGcm::generate_nonce()?;
//! let sealed = aead.encrypt(&nonce, b"attack at dawn", b"header")?;
//! assert_eq!(aead.decrypt(&nonce, &sealed, b"header")?, b"attack at dawn");
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
use crate::random;

/// A fresh random key of `bit_length` bits, which must be one of `allowed` (in bytes).
fn generate(name: &str, bit_length: usize, allowed: &[usize]) -> Result<Zeroizing<Vec<u8>>> {
    if !bit_length.is_multiple_of(8) || !allowed.contains(&(bit_length / 8)) {
        return Err(Error::invalid(format!(
            "{name} keys must be {} bits, got {bit_length} bits",
            list_bits(allowed)
        )));
    }
    let mut key = Zeroizing::new(vec![0u8; bit_length / 8]);
    random::fill(&mut key)?;
    Ok(key)
}

/// A fresh random nonce of `N` bytes.
fn random_nonce<const N: usize>() -> Result<[u8; N]> {
    let mut nonce = [0u8; N];
    random::fill(&mut nonce)?;
    Ok(nonce)
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
                "{} can process at most {} bytes of data in one message, got {data} bytes",
                self.algorithm.name(),
                limits.data
            )));
        }
        let aad_total: u64 = aad.iter().map(|a| a.len() as u64).sum();
        if aad_total > limits.aad {
            return Err(Error::invalid(format!(
                "{} can authenticate at most {} bytes of associated data, got {aad_total} bytes",
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
                "output buffer too small: need at least {needed} bytes, got {have} bytes"
            ))
        })?;
        if let Err(e) = self.context.encrypt_into(nonce, data, aad, out) {
            out.zeroize();
            return Err(e);
        }
        Ok(needed)
    }

    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[&[u8]], limits: Limits) -> Result<Vec<u8>> {
        self.seal_after(&[], nonce, data, aad, limits)
    }

    /// `prefix ‖ sealing of data`, in one allocation.
    fn seal_after(
        &self,
        prefix: &[u8],
        nonce: &[u8],
        data: &[u8],
        aad: &[&[u8]],
        limits: Limits,
    ) -> Result<Vec<u8>> {
        let start = prefix.len();
        let len = start + data.len() + self.tag_bytes;
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(prefix);
        if self.algorithm.tag_first() || !self.context.seals_in_place() {
            out.resize(len, 0);
            self.encrypt_into(nonce, data, aad, limits, &mut out[start..])?;
            return Ok(out);
        }
        // Seal around the plaintext: one copy, no zero-fill pass.
        self.check_lengths(data.len(), aad, limits)?;
        out.extend_from_slice(data);
        out.resize(len, 0);
        if let Err(e) = self
            .context
            .encrypt_in_place(nonce, aad, &mut out[start..], self.tag_bytes)
        {
            out.zeroize();
            return Err(e);
        }
        Ok(out)
    }

    /// `nonce ‖ ciphertext ‖ tag` under a fresh random `N`-byte nonce.
    fn encrypt_with_random_nonce<const N: usize>(
        &self,
        data: &[u8],
        aad: &[&[u8]],
        limits: Limits,
    ) -> Result<Vec<u8>> {
        let nonce: [u8; N] = random_nonce()?;
        self.seal_after(&nonce, &nonce, data, aad, limits)
    }

    /// Opens `nonce (N bytes) ‖ ciphertext ‖ tag`; anything shorter than the nonce and the tag
    /// is `InvalidTag`.
    fn decrypt_with_prefixed_nonce<const N: usize>(
        &self,
        data: &[u8],
        aad: &[&[u8]],
        limits: Limits,
    ) -> Result<Vec<u8>> {
        if data.len() < N + self.tag_bytes {
            return Err(Error::InvalidTag);
        }
        let (nonce, sealed) = data.split_at(N);
        self.decrypt(nonce, sealed, aad, limits)
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
                "output buffer too small: need at least {plaintext_len} bytes, got {have} bytes"
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
            "{name} nonces must be {rule}, got {} bytes",
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

            /// The nonce length in bytes that [`generate_nonce`](Self::generate_nonce) makes and
            /// that [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce) puts before
            /// the ciphertext: 12 (96 bits), the recommended length.
            pub const NONCE_BYTES: usize = 12;

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

            /// A fresh random key of `bits` bits from the operating system, wiped when dropped.
            /// Any other size is `InvalidArgument` naming the sizes allowed, in bits.
            pub fn generate_key_bits(bits: usize) -> Result<Zeroizing<Vec<u8>>> {
                generate(
                    AeadAlgorithm::$algorithm.name(),
                    bits,
                    AeadAlgorithm::$algorithm.key_sizes(),
                )
            }

            /// The former name of [`generate_key_bits`](Self::generate_key_bits) (pyca's
            /// `generate_key(bit_length)`).
            #[deprecated(note = "use generate_key_bits, whose name says the size is in bits")]
            pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
                Self::generate_key_bits(bit_length)
            }

            /// A fresh random nonce of [`NONCE_BYTES`](Self::NONCE_BYTES) (12) bytes from the
            /// operating system. How many messages one key may take with random nonces is in
            /// the type's documentation (2^32 for all but AES-GCM-SIV).
            pub fn generate_nonce() -> Result<[u8; Self::NONCE_BYTES]> {
                random_nonce()
            }

            fn check(&self, nonce: &[u8]) -> Result<()> {
                check_nonce(AeadAlgorithm::$algorithm.name(), nonce, $min, $max)
            }

            /// Encrypts `data` and authenticates it with `aad`; returns `ciphertext ‖ tag`.
            /// The nonce must never have been used with this key before.
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

            /// Encrypts `data` under a fresh random 12-byte nonce and authenticates it with
            /// `aad`; returns `nonce ‖ ciphertext ‖ tag` (`data.len() + 28` bytes), for
            /// [`decrypt_with_prefixed_nonce`](Self::decrypt_with_prefixed_nonce). No nonce to
            /// manage, so none can repeat by mistake (up to 2^32 messages per key).
            pub fn encrypt_with_random_nonce(&self, data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                self.keyed
                    .encrypt_with_random_nonce::<{ Self::NONCE_BYTES }>(data, &[aad], $limits)
            }

            /// Checks and decrypts `nonce (12 bytes) ‖ ciphertext ‖ tag`, as
            /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce) makes. Every
            /// authentication failure, including an input shorter than 28 bytes, is
            /// `InvalidTag`, and returns no plaintext.
            pub fn decrypt_with_prefixed_nonce(&self, data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                self.keyed
                    .decrypt_with_prefixed_nonce::<{ Self::NONCE_BYTES }>(data, &[aad], $limits)
            }
        }
    };
}

nonce_aead!(
    /// AES-GCM (NIST SP 800-38D): 128/192/256-bit keys, 8- to 128-byte nonces (12 is the
    /// standard and fastest), 16-byte tags. At most 2^36 - 32 bytes of data per message.
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::aead::AesGcm;
    ///
    /// let key = AesGcm::generate_key_bits(256)?; // 32 random bytes, wiped on drop
    /// let aead = AesGcm::new(&key)?;
    ///
    /// // The nonce travels in front of the ciphertext: nothing to keep track of.
    /// let sealed = aead.encrypt_with_random_nonce(b"attack at dawn", b"message 1")?;
    /// assert_eq!(aead.decrypt_with_prefixed_nonce(&sealed, b"message 1")?, b"attack at dawn");
    ///
    /// // Any change to the sealed bytes or the associated data is InvalidTag.
    /// let mut forged = sealed.clone();
    /// forged[20] ^= 1;
    /// assert_eq!(
    ///     aead.decrypt_with_prefixed_nonce(&forged, b"message 1"),
    ///     Err(pluggable_crypto::Error::InvalidTag)
    /// );
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    ///
    /// # Nonces
    ///
    /// A nonce must never repeat under one key. If it does, both confidentiality and
    /// authenticity are lost: the XOR of the two plaintexts leaks, and the two tags give away
    /// the GHASH authentication key, with which an attacker can forge any message under that
    /// key. Random 12-byte nonces ([`generate_nonce`](Self::generate_nonce),
    /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce)) are safe for up to 2^32
    /// messages per key (NIST SP 800-38D, section 8.3); a message counter that never repeats
    /// is the alternative. If a repeat cannot be ruled out, use [`AesGcmSiv`].
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
    /// 2^38 - 64 bytes of data per message. Fast without AES hardware, and constant time
    /// everywhere.
    ///
    /// This is the one-shot AEAD; [`ChaCha20Poly1305Incremental`] is the same construction
    /// fed piece by piece through [`Cipher`], for messages too large to hold in memory.
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::aead::ChaCha20Poly1305;
    ///
    /// let key = ChaCha20Poly1305::generate_key_bits(256)?;
    /// let aead = ChaCha20Poly1305::new(&key)?;
    /// let sealed = aead.encrypt_with_random_nonce(b"a secret", b"")?;
    /// assert_eq!(sealed.len(), 12 + 8 + 16);
    /// assert_eq!(aead.decrypt_with_prefixed_nonce(&sealed, b"")?, b"a secret");
    ///
    /// // Or manage the nonce yourself, e.g. a counter that never repeats:
    /// let mut nonce = [0u8; 12];
    /// nonce[4..].copy_from_slice(&7u64.to_be_bytes());
    /// let sealed = aead.encrypt(&nonce, b"message number 7", b"header")?;
    /// assert_eq!(aead.decrypt(&nonce, &sealed, b"header")?, b"message number 7");
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    ///
    /// # Nonces
    ///
    /// A nonce must never repeat under one key (RFC 8439, section 4). If it does, both
    /// confidentiality and authenticity are lost: the keystream repeats, so the XOR of the two
    /// plaintexts leaks, and so does the one-time Poly1305 key, with which an attacker can
    /// forge messages. Random 12-byte nonces ([`generate_nonce`](Self::generate_nonce),
    /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce)) are safe for up to 2^32
    /// messages per key, the bound NIST SP 800-38D sets for random 96-bit nonces; a message
    /// counter that never repeats is the alternative.
    ///
    /// [`ChaCha20Poly1305Incremental`]: crate::hazmat::primitives::ciphers::algorithms::ChaCha20Poly1305Incremental
    /// [`Cipher`]: crate::hazmat::primitives::ciphers::Cipher
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
    ///
    /// # Nonces
    ///
    /// A nonce must never repeat under one key. If it does, confidentiality and authenticity
    /// are no longer guaranteed (RFC 7253, Security Considerations): an attacker learns about the plaintexts
    /// and can forge messages. Random 12-byte nonces
    /// ([`generate_nonce`](Self::generate_nonce),
    /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce)) are safe for up to 2^32
    /// messages per key, as for AES-GCM; a message counter that never repeats is the
    /// alternative.
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
    ///
    /// # Nonces
    ///
    /// Use a fresh nonce per message, as with AES-GCM
    /// ([`generate_nonce`](Self::generate_nonce),
    /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce)). Unlike AES-GCM, a
    /// repeated nonce is not a disaster: it reveals only whether the same plaintext was
    /// encrypted twice with the same associated data under that nonce; confidentiality
    /// otherwise and authenticity both hold (RFC 8452, Security Considerations). That makes random nonces
    /// safe for many more messages per key than AES-GCM's 2^32. Choose it when nonce
    /// uniqueness cannot be guaranteed (several writers sharing a key, restored snapshots).
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
/// message: at most 2^(8 × (15 - n)) - 1 bytes (with the 12-byte nonces of
/// [`generate_nonce`](Self::generate_nonce) and
/// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce), 2^24 - 1 bytes).
///
/// # Nonces
///
/// A nonce must never repeat under one key. If it does, both confidentiality and
/// authenticity are lost: the CTR keystream repeats, so the XOR of the two plaintexts leaks,
/// and tags can be forged. Random 12-byte nonces are safe for up to 2^32 messages per key, as
/// for AES-GCM; a message counter that never repeats is the alternative.
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
                "AES-CCM tag lengths must be 4, 6, 8, 10, 12, 14 or 16 bytes, got {tag_length} bytes"
            )));
        }
        Ok(AesCcm {
            keyed: Keyed::new(AeadAlgorithm::AesCcm, key, tag_length, &*backend)?,
        })
    }

    /// The nonce length in bytes that [`generate_nonce`](Self::generate_nonce) makes and
    /// that [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce) puts before the
    /// ciphertext: 12, the length RFC 5116's AES-CCM AEADs use (messages up to 2^24 - 1
    /// bytes).
    pub const NONCE_BYTES: usize = 12;

    /// A fresh random key of `bits` bits (128, 192 or 256) from the operating system, wiped
    /// when dropped.
    pub fn generate_key_bits(bits: usize) -> Result<Zeroizing<Vec<u8>>> {
        generate("AES-CCM", bits, AeadAlgorithm::AesCcm.key_sizes())
    }

    /// The former name of [`generate_key_bits`](Self::generate_key_bits).
    #[deprecated(note = "use generate_key_bits, whose name says the size is in bits")]
    pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
        Self::generate_key_bits(bit_length)
    }

    /// A fresh random nonce of [`NONCE_BYTES`](Self::NONCE_BYTES) (12) bytes from the
    /// operating system.
    pub fn generate_nonce() -> Result<[u8; Self::NONCE_BYTES]> {
        random_nonce()
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

    /// Encrypts `data` (at most 2^24 - 1 bytes) under a fresh random 12-byte nonce and
    /// authenticates it with `aad`; returns `nonce ‖ ciphertext ‖ tag`, for
    /// [`decrypt_with_prefixed_nonce`](Self::decrypt_with_prefixed_nonce).
    pub fn encrypt_with_random_nonce(&self, data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let limits = Self::limits(&[0; Self::NONCE_BYTES])?;
        self.keyed
            .encrypt_with_random_nonce::<{ Self::NONCE_BYTES }>(data, &[aad], limits)
    }

    /// Checks and decrypts `nonce (12 bytes) ‖ ciphertext ‖ tag`, as
    /// [`encrypt_with_random_nonce`](Self::encrypt_with_random_nonce) makes. Every
    /// authentication failure, including an input shorter than the nonce and the tag, is
    /// `InvalidTag`, and returns no plaintext.
    pub fn decrypt_with_prefixed_nonce(&self, data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let limits = Self::limits(&[0; Self::NONCE_BYTES])?;
        self.keyed
            .decrypt_with_prefixed_nonce::<{ Self::NONCE_BYTES }>(data, &[aad], limits)
    }
}

/// AES-SIV (RFC 5297), deterministic and nonce-misuse resistant: 256/384/512-bit keys (two
/// AES keys), associated data as a list of components (a nonce, if used, is conventionally the
/// last one), the 16-byte tag (the synthetic IV) *before* the ciphertext. Empty plaintexts are
/// rejected when encrypting.
///
/// # Nonces
///
/// AES-SIV needs no nonce, so it has no `generate_nonce` or `encrypt_with_random_nonce`.
/// Without one it is deterministic: the same plaintext with the same associated data always
/// gives the same output, which reveals exactly that (and nothing else) to an observer. That
/// suits key wrapping and deduplicated storage. To hide repeats, pass a random component as
/// the last associated-data element and send it along; should it repeat, the only loss is,
/// again, that equal messages show as equal. Confidentiality of distinct messages and
/// authenticity hold either way.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::aead::AesSiv;
/// use pluggable_crypto::random;
///
/// let aead = AesSiv::new(&AesSiv::generate_key_bits(512)?)?;
/// // Deterministic: equal inputs give equal outputs.
/// let a = aead.encrypt(b"key material", &[b"header"])?;
/// assert_eq!(a, aead.encrypt(b"key material", &[b"header"])?);
///
/// // Probabilistic: a random 16-byte nonce as the last component.
/// let nonce = random::bytes(16)?;
/// let b = aead.encrypt(b"key material", &[b"header", &nonce])?;
/// assert_ne!(a, b);
/// assert_eq!(aead.decrypt(&b, &[b"header", &nonce])?, b"key material");
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
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

    /// A fresh random key of `bits` bits (256, 384 or 512) from the operating system, wiped
    /// when dropped.
    pub fn generate_key_bits(bits: usize) -> Result<Zeroizing<Vec<u8>>> {
        generate("AES-SIV", bits, AeadAlgorithm::AesSiv.key_sizes())
    }

    /// The former name of [`generate_key_bits`](Self::generate_key_bits).
    #[deprecated(note = "use generate_key_bits, whose name says the size is in bits")]
    pub fn generate_key(bit_length: usize) -> Result<Zeroizing<Vec<u8>>> {
        Self::generate_key_bits(bit_length)
    }

    fn check(aad: &[&[u8]]) -> Result<()> {
        if aad.len() > Self::MAX_AAD_COMPONENTS {
            return Err(Error::invalid(format!(
                "AES-SIV takes at most {} associated-data components, got {} components",
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
