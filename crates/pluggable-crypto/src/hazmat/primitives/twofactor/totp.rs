//! TOTP: time-based one-time passwords (RFC 6238), pyca's `twofactor.totp.TOTP`.
//!
//! A TOTP is the [HOTP](super::hotp) of the number of whole time steps since the Unix epoch.

use std::sync::Arc;

use super::hotp::Hotp;
use crate::constant_time::bytes_eq;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A time-based one-time-password generator and checker.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::{hashes::Sha1, twofactor::totp::Totp};
///
/// // RFC 6238 appendix B: 8 digits, 30-second steps.
/// let totp = Totp::new(b"12345678901234567890", 8, Sha1, 30)?;
/// assert_eq!(totp.generate(1_111_111_109)?, "07081804");
/// totp.verify("07081804", 1_111_111_100)?; // the same 30-second step
/// assert_eq!(
///     totp.verify("07081804", 1_111_111_111),
///     Err(pluggable_crypto::Error::InvalidToken)
/// );
/// assert_eq!(
///     totp.get_provisioning_uri("alice@example.com", Some("Example")),
///     "otpauth://totp/Example:alice%40example.com?digits=8\
///      &secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&issuer=Example&period=30"
/// );
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Totp {
    hotp: Hotp,
    time_step: u64,
}

impl Totp {
    /// Passwords of `length` digits (6, 7 or 8) from `key` (at least 128 bits) and HMAC over
    /// `algorithm` (`Sha1`, `Sha256` or `Sha512`), changing every `time_step` seconds (at
    /// least 1), on the default backend.
    pub fn new(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
    ) -> Result<Self> {
        Self::with_backend(key, length, algorithm, time_step, default_backend())
    }

    /// As [`Totp::new`], with the key written in base32 as authenticator apps show it (see
    /// [`decode_base32`](super::decode_base32)).
    pub fn from_base32(
        secret: &str,
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
    ) -> Result<Self> {
        Self::new(&super::decode_base32(secret)?, length, algorithm, time_step)
    }

    /// As [`Totp::from_base32`], accepting a key shorter than 128 bits: the 16-character
    /// (80-bit) secrets most authenticator set-up codes carry.
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::hashes::Sha1;
    /// use pluggable_crypto::hazmat::primitives::twofactor::totp::Totp;
    ///
    /// let totp = Totp::from_base32_allowing_short_key("JBSW Y3DP EHPK 3PXP", 6, Sha1, 30)?;
    /// assert_eq!(totp.generate(59)?.len(), 6);
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    pub fn from_base32_allowing_short_key(
        secret: &str,
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
    ) -> Result<Self> {
        Self::new_allowing_short_key(&super::decode_base32(secret)?, length, algorithm, time_step)
    }

    /// As [`Totp::new`], but accepting a key shorter than 128 bits (pyca's
    /// `enforce_key_length=False`), such as the 80-bit secrets many services issue.
    pub fn new_allowing_short_key(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
    ) -> Result<Self> {
        Self::with_backend_allowing_short_key(key, length, algorithm, time_step, default_backend())
    }

    /// As [`Totp::new`], on `backend`.
    pub fn with_backend(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::build(
            Hotp::with_backend(key, length, algorithm, backend),
            time_step,
        )
    }

    /// As [`Totp::with_backend`], but accepting a key shorter than 128 bits (pyca's
    /// `enforce_key_length=False`).
    pub fn with_backend_allowing_short_key(
        key: &[u8],
        length: u32,
        algorithm: impl HashAlgorithm,
        time_step: u64,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::build(
            Hotp::with_backend_allowing_short_key(key, length, algorithm, backend),
            time_step,
        )
    }

    fn build(hotp: Result<Hotp>, time_step: u64) -> Result<Self> {
        let hotp = hotp?;
        if time_step == 0 {
            return Err(Error::invalid(
                "the TOTP time step must be at least 1 second, got 0",
            ));
        }
        Ok(Totp { hotp, time_step })
    }

    /// The time step in seconds.
    pub fn time_step(&self) -> u64 {
        self.time_step
    }

    /// The password for `time` (seconds since the Unix epoch).
    pub fn generate(&self, time: u64) -> Result<String> {
        self.hotp.generate(time / self.time_step)
    }

    /// Checks `totp` against the password for `time`'s step in constant time; a mismatch is
    /// `InvalidToken`. Only that one step is accepted: to allow for clock drift, call it for
    /// the neighbouring steps too.
    pub fn verify(&self, totp: impl AsRef<[u8]>, time: u64) -> Result<()> {
        if bytes_eq(self.generate(time)?.as_bytes(), totp.as_ref()) {
            Ok(())
        } else {
            Err(Error::InvalidToken)
        }
    }

    /// The `otpauth://totp/...` URI an authenticator app reads, in exactly pyca's format:
    /// label `issuer:account_name`, then `digits`, `secret` (base32), `algorithm`, `issuer`
    /// (if given) and `period`.
    pub fn get_provisioning_uri(&self, account_name: &str, issuer: Option<&str>) -> String {
        self.hotp
            .uri("totp", account_name, issuer, ("period", self.time_step))
    }
}
