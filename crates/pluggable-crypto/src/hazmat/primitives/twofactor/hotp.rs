//! HOTP: HMAC-based one-time passwords (RFC 4226), pyca's `twofactor.hotp.HOTP`.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::{hashes::Sha1, twofactor::hotp::Hotp};
//!
//! // RFC 4226 appendix D.
//! let hotp = Hotp::new(b"12345678901234567890", 6, Sha1)?;
//! assert_eq!(hotp.generate(0)?, "755224");
//! hotp.verify("287082", 1)?;
//! assert_eq!(hotp.verify("287082", 2), Err(pluggable_crypto::Error::InvalidToken));
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{check_parameters, provisioning_uri};
use crate::constant_time::bytes_eq;
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::hmac::Hmac;

/// A counter-based one-time-password generator and checker.
#[derive(Clone)]
pub struct Hotp {
    key: Zeroizing<Vec<u8>>,
    length: u32,
    algorithm: Arc<dyn HashAlgorithm>,
    algorithm_name: &'static str,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("length", &self.length)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Hotp {
    /// Passwords of `length` digits (6, 7 or 8) from `key` (at least 128 bits) and HMAC over
    /// `algorithm` (`Sha1`, `Sha256` or `Sha512`; any other hash is `UnsupportedAlgorithm`),
    /// on the default backend. A short key or a wrong length is `InvalidArgument`.
    pub fn new(key: &[u8], length: u32, algorithm: impl HashAlgorithm) -> Result<Self> {
        Self::with_backend(key, length, algorithm, default_backend())
    }

    /// As [`Hotp::new`], with the key written in base32 as authenticator apps show it (see
    /// [`decode_base32`](super::decode_base32)).
    pub fn from_base32(secret: &str, length: u32, algorithm: impl HashAlgorithm) -> Result<Self> {
        Self::new(&super::decode_base32(secret)?, length, algorithm)
    }

    /// As [`Hotp::from_base32`], accepting a key shorter than 128 bits (such as an 80-bit,
    /// 16-character secret).
    pub fn from_base32_allowing_short_key(
        secret: &str,
        length: u32,
        algorithm: impl HashAlgorithm,
    ) -> Result<Self> {
        Self::new_allowing_short_key(&super::decode_base32(secret)?, length, algorithm)
    }

    /// As [`Hotp::new`], but accepting a key shorter than the 128 bits RFC 4226 requires
    /// (pyca's `enforce_key_length=False`), such as the 80-bit secrets many services issue.
    pub fn new_allowing_short_key(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
    ) -> Result<Self> {
        Self::with_backend_allowing_short_key(key, length, algorithm, default_backend())
    }

    /// As [`Hotp::new`], on `backend`.
    pub fn with_backend(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::build(key, length, Arc::new(algorithm), backend, true)
    }

    /// As [`Hotp::with_backend`], but accepting a key shorter than the 128 bits RFC 4226
    /// requires (pyca's `enforce_key_length=False`), for systems that already issued one.
    pub fn with_backend_allowing_short_key(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::build(key, length, Arc::new(algorithm), backend, false)
    }

    fn build(
        key: &[u8],
        length: u32,
        algorithm: Arc<dyn HashAlgorithm>,
        backend: Arc<dyn Backend>,
        enforce_key_length: bool,
    ) -> Result<Self> {
        let algorithm_name = check_parameters(key, length, &*algorithm, enforce_key_length)?;
        if !backend.hmac_supported(&*algorithm) {
            return Err(Error::unsupported(
                Reason::UnsupportedMac,
                format!(
                    "this backend does not support HMAC over {}",
                    algorithm.name()
                ),
            ));
        }
        Ok(Hotp {
            key: Zeroizing::new(key.to_vec()),
            length,
            algorithm,
            algorithm_name,
            backend,
        })
    }

    /// The number of digits.
    pub fn length(&self) -> u32 {
        self.length
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// The password for `counter`: `length` decimal digits, with leading zeros.
    pub fn generate(&self, counter: u64) -> Result<String> {
        let mut mac = Hmac::from_shared(&self.key, self.algorithm.clone(), self.backend.clone())?;
        mac.update(&counter.to_be_bytes())?;
        let digest = Zeroizing::new(mac.finalize()?);
        // Dynamic truncation (RFC 4226 section 5.3): the low four bits of the last byte pick
        // where four bytes are read; every allowed hash is at least 20 bytes long.
        let truncated = digest
            .last()
            .map(|&last| usize::from(last & 0x0f))
            .and_then(|offset| digest.get(offset..offset + 4))
            .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
            .map(|bytes| u32::from_be_bytes(bytes) & 0x7fff_ffff)
            .ok_or_else(|| Error::Backend("HMAC returned a digest too short for HOTP".into()))?;
        let value = truncated % 10u32.pow(self.length);
        Ok(format!("{value:0width$}", width = self.length as usize))
    }

    /// Checks `hotp` against the password for `counter` in constant time; a mismatch (of any
    /// length) is `InvalidToken`.
    pub fn verify(&self, hotp: impl AsRef<[u8]>, counter: u64) -> Result<()> {
        if bytes_eq(self.generate(counter)?.as_bytes(), hotp.as_ref()) {
            Ok(())
        } else {
            Err(Error::InvalidToken)
        }
    }

    /// The `otpauth://hotp/...` URI an authenticator app reads (usually as a QR code), in
    /// exactly pyca's format: label `issuer:account_name`, then `digits`, `secret` (base32),
    /// `algorithm`, `issuer` (if given) and `counter`.
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::{hashes::Sha1, twofactor::hotp::Hotp};
    ///
    /// let hotp = Hotp::new(b"12345678901234567890", 6, Sha1)?;
    /// assert_eq!(
    ///     hotp.get_provisioning_uri("Alice Smith", 1, Some("Foo")),
    ///     "otpauth://hotp/Foo:Alice%20Smith?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
    ///      &algorithm=SHA1&issuer=Foo&counter=1"
    /// );
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    pub fn get_provisioning_uri(
        &self,
        account_name: &str,
        counter: u64,
        issuer: Option<&str>,
    ) -> String {
        self.uri("hotp", account_name, issuer, ("counter", counter))
    }

    /// The URI with `extra` as the last parameter (`counter` or, for TOTP, `period`).
    pub(super) fn uri(
        &self,
        type_name: &str,
        account_name: &str,
        issuer: Option<&str>,
        extra: (&str, u64),
    ) -> String {
        provisioning_uri(
            type_name,
            &self.key,
            self.length,
            self.algorithm_name,
            account_name,
            issuer,
            extra,
        )
    }
}
