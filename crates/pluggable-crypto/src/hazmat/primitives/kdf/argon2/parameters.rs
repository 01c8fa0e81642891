//! The parameters of an Argon2 derivation as users give them, with RFC 9106's recommended
//! settings.

use std::fmt;

use zeroize::Zeroizing;

use super::super::Len;
use crate::exceptions::{Error, Result};

/// Everything an Argon2 derivation takes besides the password, by name (RFC 9106 §3.1).
///
/// The rules are checked when a KDF is built from it: `salt` at least 8 bytes, `length` at
/// least 4 bytes, `iterations` at least 1, `lanes` from 1 to 2^24 − 1, `memory_cost_kib` at
/// least 8 × `lanes`. Start from a preset and change fields as needed:
///
/// ```
/// use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Parameters;
///
/// let salt = Argon2Parameters::random_salt()?;
/// let params = Argon2Parameters {
///     length: 64,
///     ..Argon2Parameters::rfc9106_low_memory(&salt)
/// };
/// assert_eq!((params.iterations, params.lanes, params.memory_cost_kib), (3, 4, 65_536));
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Argon2Parameters {
    /// The salt (RFC 9106 `S`), at least 8 bytes; 16 random bytes are recommended.
    pub salt: Vec<u8>,
    /// The length of the derived key (RFC 9106 `T`) in bytes, at least 4.
    pub length: usize,
    /// The number of passes over memory (RFC 9106 `t`), at least 1.
    pub iterations: u32,
    /// The degree of parallelism (RFC 9106 `p`), from 1 to 2^24 − 1.
    pub lanes: u32,
    /// The memory size in KiB (RFC 9106 `m`), at least 8 × `lanes`.
    pub memory_cost_kib: u32,
    /// Associated data (RFC 9106 `X`); empty for none.
    pub ad: Vec<u8>,
    /// A secret value (RFC 9106 `K`, a "pepper" kept apart from the stored hashes); empty for
    /// none. Wiped on drop.
    pub secret: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for Argon2Parameters {
    /// Shows the costs and lengths, never the secret or the salt.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Argon2Parameters")
            .field("salt", &Len(self.salt.len()))
            .field("length", &self.length)
            .field("iterations", &self.iterations)
            .field("lanes", &self.lanes)
            .field("memory_cost_kib", &self.memory_cost_kib)
            .field("ad", &Len(self.ad.len()))
            .finish_non_exhaustive()
    }
}

impl Argon2Parameters {
    /// The salt length RFC 9106 §4 recommends, in bytes (128 bits).
    pub const RECOMMENDED_SALT_BYTES: usize = 16;

    /// RFC 9106 §4's first recommended option: `t = 1`, `p = 4`, 2 GiB of memory, a 32-byte
    /// key. For servers that can spend 2 GiB per derivation.
    pub fn rfc9106_recommended(salt: &[u8]) -> Self {
        Self::preset(salt, 1, 4, 1 << 21)
    }

    /// RFC 9106 §4's second recommended option, for memory-constrained settings: `t = 3`,
    /// `p = 4`, 64 MiB of memory, a 32-byte key.
    pub fn rfc9106_low_memory(salt: &[u8]) -> Self {
        Self::preset(salt, 3, 4, 1 << 16)
    }

    fn preset(salt: &[u8], iterations: u32, lanes: u32, memory_cost_kib: u32) -> Self {
        Argon2Parameters {
            salt: salt.to_vec(),
            length: 32,
            iterations,
            lanes,
            memory_cost_kib,
            ad: Vec::new(),
            secret: Zeroizing::new(Vec::new()),
        }
    }

    /// These parameters with `secret` as the secret value (RFC 9106 `K`).
    pub fn with_secret(mut self, secret: &[u8]) -> Self {
        self.secret = Zeroizing::new(secret.to_vec());
        self
    }

    /// These parameters with `ad` as the associated data (RFC 9106 `X`).
    pub fn with_ad(mut self, ad: &[u8]) -> Self {
        self.ad = ad.to_vec();
        self
    }

    /// A fresh salt of [`RECOMMENDED_SALT_BYTES`](Self::RECOMMENDED_SALT_BYTES) random bytes
    /// from the operating system.
    pub fn random_salt() -> Result<Vec<u8>> {
        let mut salt = vec![0u8; Self::RECOMMENDED_SALT_BYTES];
        getrandom::fill(&mut salt)
            .map_err(|e| Error::Backend(format!("the system random source failed: {e}")))?;
        Ok(salt)
    }
}
