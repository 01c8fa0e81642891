//! Fernet: symmetric authenticated encryption of short messages into url-safe text tokens
//! (pyca's `cryptography.fernet`).
//!
//! A token is the url-safe base64 (with `=` padding) of
//!
//! ```text
//! 0x80 ‖ timestamp (8 bytes, big-endian seconds) ‖ IV (16) ‖ AES-128-CBC(PKCS #7 padded data) ‖ HMAC-SHA256 (32)
//! ```
//!
//! where the HMAC covers every byte before it. A key is 32 random bytes in url-safe base64: the
//! first 16 bytes key the HMAC, the last 16 the AES encryption. Tokens made here are
//! byte-identical to pyca's (for the same key, time and IV) and each implementation reads the
//! other's.
//!
//! Every problem with a token is the one error [`Error::InvalidToken`]. The MAC is checked, in
//! constant time, before anything is decrypted.
//!
//! ```
//! use pluggable_crypto::fernet::Fernet;
//!
//! let key = Fernet::generate_key()?;
//! let f = Fernet::new(&key)?;
//! let token = f.encrypt(b"my deep dark secret")?;
//! assert_eq!(f.decrypt(&token, None)?, b"my deep dark secret");
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```
//!
//! # Token encoding
//!
//! Keys and tokens must be canonical url-safe base64 **with** `=` padding, as pyca's
//! `urlsafe_b64decode` requires padding. Python's decoder is otherwise lenient; this one is not.
//! It also rejects (as `InvalidToken` for a token, `InvalidArgument` for a key):
//! characters outside the url-safe alphabet (whitespace, a trailing newline, `+` and `/`, which
//! Python silently drops or maps), anything after the padding, and non-zero unused bits in the
//! last character. No Fernet implementation produces such tokens, so this changes nothing for
//! real ones; it means each token has exactly one spelling.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use data_encoding::BASE64URL;
use zeroize::Zeroizing;

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::ciphers::{algorithms::Aes, modes::Cbc, Cipher};
use crate::hazmat::primitives::hashes::Sha256;
use crate::hazmat::primitives::hmac::Hmac;
use crate::hazmat::primitives::padding::Pkcs7;
use crate::random;

/// The version byte every token starts with.
const VERSION: u8 = 0x80;
/// How far in the future (seconds) a token's timestamp may be when a TTL is checked.
const MAX_CLOCK_SKEW: u64 = 60;
/// Bytes before the ciphertext: version, timestamp, IV.
const HEADER_LEN: usize = 1 + 8 + IV_LEN;
/// The IV length: one AES block.
const IV_LEN: usize = 16;
/// The HMAC-SHA256 length.
const MAC_LEN: usize = 32;
/// The AES block size in bits, for the padding.
const BLOCK_BITS: usize = 128;
/// What a key must decode to.
const KEY_LEN: usize = 32;

/// A token decoded but not yet verified: its timestamp and all of its bytes.
struct Unverified {
    timestamp: u64,
    data: Vec<u8>,
}

impl Unverified {
    /// Decodes `token` and checks the version byte and that the timestamp is present; nothing
    /// else (pyca's `_get_unverified_token_data`).
    fn parse(token: &[u8]) -> Result<Self> {
        let data = BASE64URL.decode(token).map_err(|_| Error::InvalidToken)?;
        if data.first() != Some(&VERSION) {
            return Err(Error::InvalidToken);
        }
        let timestamp = data
            .get(1..9)
            .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
            .map(u64::from_be_bytes)
            .ok_or(Error::InvalidToken)?;
        Ok(Unverified { timestamp, data })
    }
}

/// The current time in whole seconds since the Unix epoch.
fn now() -> Result<u64> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::invalid("the system clock is set before 1970; Fernet needs Unix time"))
}

/// A Fernet key: encrypts and decrypts tokens.
///
/// ```
/// use pluggable_crypto::fernet::Fernet;
///
/// let f = Fernet::new("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")?;
/// let token = f.encrypt_at_time(b"hello", 499_162_800)?;
/// assert_eq!(f.extract_timestamp(&token)?, 499_162_800);
///
/// // Within a minute of its creation the token is accepted with a 60-second TTL...
/// assert_eq!(f.decrypt_at_time(&token, 60, 499_162_801)?, b"hello");
/// // ...and rejected once it is older than that.
/// assert_eq!(
///     f.decrypt_at_time(&token, 60, 499_162_861),
///     Err(pluggable_crypto::Error::InvalidToken)
/// );
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Fernet {
    signing_key: Zeroizing<[u8; 16]>,
    encryption_key: Zeroizing<[u8; 16]>,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for Fernet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fernet")
            .field("backend", &self.backend.name())
            .finish_non_exhaustive()
    }
}

impl Fernet {
    /// A fresh key from the operating system's random source: 32 bytes in url-safe base64
    /// (44 characters). Zeroized when dropped.
    pub fn generate_key() -> Result<Zeroizing<String>> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        random::fill(&mut *key)?;
        Ok(Zeroizing::new(BASE64URL.encode(&*key)))
    }

    /// Takes a key (32 bytes in url-safe base64 with padding, as [`generate_key`]
    /// makes), on the default backend. Anything else is `InvalidArgument`.
    ///
    /// [`generate_key`]: Fernet::generate_key
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self> {
        Self::with_backend(key, default_backend())
    }

    /// As [`Fernet::new`], on `backend`, which must support AES-128-CBC and HMAC-SHA256 (else
    /// `UnsupportedAlgorithm`).
    pub fn with_backend(key: impl AsRef<[u8]>, backend: Arc<dyn Backend>) -> Result<Self> {
        let bad_key = || Error::invalid("Fernet key must be 32 url-safe base64-encoded bytes");
        let decoded = Zeroizing::new(BASE64URL.decode(key.as_ref()).map_err(|_| bad_key())?);
        if decoded.len() != KEY_LEN {
            return Err(Error::invalid(format!(
                "Fernet key must be 32 url-safe base64-encoded bytes, got {} bytes",
                decoded.len()
            )));
        }
        let mut signing_key = Zeroizing::new([0u8; 16]);
        let mut encryption_key = Zeroizing::new([0u8; 16]);
        signing_key.copy_from_slice(&decoded[..16]);
        encryption_key.copy_from_slice(&decoded[16..]);

        let aes = Aes::new(&*encryption_key)?;
        let cbc = Cbc::new(&[0; IV_LEN])?;
        if !backend.cipher_supported(&aes, Some(&cbc)) {
            return Err(Error::unsupported(
                Reason::UnsupportedCipher,
                format!(
                    "Fernet needs AES-128-CBC, which the {} backend does not support",
                    backend.name()
                ),
            ));
        }
        if !backend.hmac_supported(&Sha256) {
            return Err(Error::unsupported(
                Reason::UnsupportedMac,
                format!(
                    "Fernet needs HMAC-SHA256, which the {} backend does not support",
                    backend.name()
                ),
            ));
        }
        Ok(Fernet {
            signing_key,
            encryption_key,
            backend,
        })
    }

    /// Encrypts `data` into a token stamped with the current time and a random IV.
    pub fn encrypt(&self, data: &[u8]) -> Result<String> {
        self.encrypt_at_time(data, now()?)
    }

    /// Encrypts `data` into a token stamped with `current_time` (seconds since the Unix
    /// epoch) and a random IV.
    pub fn encrypt_at_time(&self, data: &[u8], current_time: u64) -> Result<String> {
        let mut iv = [0u8; IV_LEN];
        random::fill(&mut iv)?;
        self.encrypt_from_parts_for_testing_only(data, current_time, &iv)
    }

    /// Encrypts `data` with a caller-chosen IV: deterministic, for reproducing test vectors
    /// and tokens from other implementations only (pyca's private `_encrypt_from_parts`).
    /// An IV must never be reused under one key; use [`encrypt`](Fernet::encrypt) or
    /// [`encrypt_at_time`](Fernet::encrypt_at_time), which draw a random one.
    pub fn encrypt_from_parts_for_testing_only(
        &self,
        data: &[u8],
        current_time: u64,
        iv: &[u8; IV_LEN],
    ) -> Result<String> {
        let mut padder = Pkcs7::new(BLOCK_BITS)?.padder();
        let mut padded = Zeroizing::new(padder.update(data)?);
        padded.extend(padder.finalize()?);

        let mut encryptor = self.cipher(iv)?.encryptor()?;
        let ciphertext = encryptor.update(&padded)?;
        let last = encryptor.finalize()?;

        let mut token = Vec::with_capacity(HEADER_LEN + ciphertext.len() + last.len() + MAC_LEN);
        token.push(VERSION);
        token.extend_from_slice(&current_time.to_be_bytes());
        token.extend_from_slice(iv);
        token.extend_from_slice(&ciphertext);
        token.extend_from_slice(&last);
        let mut mac = self.mac()?;
        mac.update(&token)?;
        token.extend(mac.finalize()?);
        Ok(BASE64URL.encode(&token))
    }

    /// Decrypts `token`. With a `ttl` (seconds), a token older than that, or stamped more than
    /// 60 seconds in the future, is rejected; `None` accepts any age.
    ///
    /// Every problem with the token is `InvalidToken`.
    pub fn decrypt(&self, token: impl AsRef<[u8]>, ttl: Option<u64>) -> Result<Vec<u8>> {
        let token = Unverified::parse(token.as_ref())?;
        let time_info = match ttl {
            Some(ttl) => Some((ttl, now()?)),
            None => None,
        };
        self.decrypt_data(&token, time_info)
    }

    /// As [`decrypt`](Fernet::decrypt) with a TTL, taking `current_time` (seconds since the
    /// Unix epoch) as the time now.
    pub fn decrypt_at_time(
        &self,
        token: impl AsRef<[u8]>,
        ttl: u64,
        current_time: u64,
    ) -> Result<Vec<u8>> {
        let token = Unverified::parse(token.as_ref())?;
        self.decrypt_data(&token, Some((ttl, current_time)))
    }

    /// The time (seconds since the Unix epoch) `token` was made, after checking its MAC; no
    /// TTL applies. `InvalidToken` if it is malformed or does not verify.
    pub fn extract_timestamp(&self, token: impl AsRef<[u8]>) -> Result<u64> {
        let token = Unverified::parse(token.as_ref())?;
        self.verify_signature(&token.data)?;
        Ok(token.timestamp)
    }

    fn cipher(&self, iv: &[u8]) -> Result<Cipher> {
        let backend: Arc<dyn Backend> = self.backend.clone();
        Cipher::with_backend(Aes::new(&*self.encryption_key)?, Cbc::new(iv)?, backend)
    }

    fn mac(&self) -> Result<Hmac> {
        Hmac::with_backend(&*self.signing_key, Sha256, self.backend.clone())
    }

    /// Checks the last 32 bytes of `data` as the HMAC of the rest, in constant time.
    fn verify_signature(&self, data: &[u8]) -> Result<()> {
        let split = data.len().checked_sub(MAC_LEN).ok_or(Error::InvalidToken)?;
        let (signed, tag) = data.split_at(split);
        let mut mac = self.mac()?;
        mac.update(signed)?;
        mac.verify(tag).map_err(|e| match e {
            Error::InvalidSignature => Error::InvalidToken,
            other => other,
        })
    }

    /// The time checks (when `time_info` holds a TTL and the time now), then the MAC, then
    /// decryption and unpadding (pyca's `_decrypt_data`).
    fn decrypt_data(&self, token: &Unverified, time_info: Option<(u64, u64)>) -> Result<Vec<u8>> {
        if let Some((ttl, current_time)) = time_info {
            let (timestamp, ttl, current_time) = (
                u128::from(token.timestamp),
                u128::from(ttl),
                u128::from(current_time),
            );
            if timestamp + ttl < current_time {
                return Err(Error::InvalidToken);
            }
            if current_time + u128::from(MAX_CLOCK_SKEW) < timestamp {
                return Err(Error::InvalidToken);
            }
        }
        self.verify_signature(&token.data)?;

        let data = &token.data;
        // Only a token made with this key reaches here, so the lengths hold unless that key's
        // holder built a malformed one; still, check rather than slice blindly.
        let end = data.len().saturating_sub(MAC_LEN);
        let ciphertext = data.get(HEADER_LEN..end).ok_or(Error::InvalidToken)?;
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK_BITS / 8) {
            return Err(Error::InvalidToken);
        }
        let mut decryptor = self.cipher(&data[9..HEADER_LEN])?.decryptor()?;
        let mut padded = Zeroizing::new(decryptor.update(ciphertext)?);
        padded.extend(decryptor.finalize()?);

        let mut unpadder = Pkcs7::new(BLOCK_BITS)?.unpadder();
        let mut plaintext = unpadder.update(&padded).map_err(|_| Error::InvalidToken)?;
        plaintext.extend(unpadder.finalize().map_err(|_| Error::InvalidToken)?);
        Ok(plaintext)
    }
}

/// Several Fernet keys: encrypts with the first, decrypts with whichever fits, and re-encrypts
/// old tokens under the first ([`rotate`](MultiFernet::rotate)), for key rotation.
///
/// ```
/// use pluggable_crypto::fernet::{Fernet, MultiFernet};
///
/// let old = Fernet::new(Fernet::generate_key()?)?;
/// let token = old.encrypt(b"secret")?;
///
/// let new = Fernet::new(Fernet::generate_key()?)?;
/// let keys = MultiFernet::new(vec![new.clone(), old])?;
/// let rotated = keys.rotate(&token)?;
/// assert_eq!(new.decrypt(&rotated, None)?, b"secret");
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MultiFernet {
    fernets: Vec<Fernet>,
}

impl MultiFernet {
    /// Takes the keys, newest (the one to encrypt with) first; an empty list is
    /// `InvalidArgument`.
    pub fn new(fernets: Vec<Fernet>) -> Result<Self> {
        if fernets.is_empty() {
            return Err(Error::invalid(
                "MultiFernet requires at least one Fernet instance",
            ));
        }
        Ok(MultiFernet { fernets })
    }

    /// The keys, in order.
    pub fn fernets(&self) -> &[Fernet] {
        &self.fernets
    }

    /// The key tokens are made with.
    fn primary(&self) -> Result<&Fernet> {
        self.fernets
            .first()
            .ok_or_else(|| Error::invalid("MultiFernet requires at least one Fernet instance"))
    }

    /// Encrypts with the first key, stamped with the current time.
    pub fn encrypt(&self, data: &[u8]) -> Result<String> {
        self.primary()?.encrypt(data)
    }

    /// Encrypts with the first key, stamped with `current_time`.
    pub fn encrypt_at_time(&self, data: &[u8], current_time: u64) -> Result<String> {
        self.primary()?.encrypt_at_time(data, current_time)
    }

    /// Decrypts `token` with each key in turn, as [`Fernet::decrypt`]; `InvalidToken` if none
    /// accepts it.
    pub fn decrypt(&self, token: impl AsRef<[u8]>, ttl: Option<u64>) -> Result<Vec<u8>> {
        self.first_accepting(|f| f.decrypt(token.as_ref(), ttl))
    }

    /// Decrypts `token` with each key in turn, as [`Fernet::decrypt_at_time`].
    pub fn decrypt_at_time(
        &self,
        token: impl AsRef<[u8]>,
        ttl: u64,
        current_time: u64,
    ) -> Result<Vec<u8>> {
        self.first_accepting(|f| f.decrypt_at_time(token.as_ref(), ttl, current_time))
    }

    /// The timestamp of `token`, verified with whichever key accepts it.
    pub fn extract_timestamp(&self, token: impl AsRef<[u8]>) -> Result<u64> {
        self.first_accepting(|f| f.extract_timestamp(token.as_ref()))
    }

    /// Re-encrypts `token` (any age: no TTL is checked) under the first key with a fresh IV,
    /// keeping its original timestamp. `InvalidToken` if no key accepts it.
    pub fn rotate(&self, token: impl AsRef<[u8]>) -> Result<String> {
        let token = Unverified::parse(token.as_ref())?;
        let plaintext = Zeroizing::new(self.first_accepting(|f| f.decrypt_data(&token, None))?);
        self.primary()?.encrypt_at_time(&plaintext, token.timestamp)
    }

    /// The first key's result that is not `InvalidToken`; `InvalidToken` if every key gives it.
    fn first_accepting<T>(&self, mut attempt: impl FnMut(&Fernet) -> Result<T>) -> Result<T> {
        for fernet in &self.fernets {
            match attempt(fernet) {
                Err(Error::InvalidToken) => continue,
                other => return other,
            }
        }
        Err(Error::InvalidToken)
    }
}
