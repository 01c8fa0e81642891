//! Random bytes from the operating system, for keys, nonces, salts and IVs.
//!
//! Both functions read the operating system's cryptographically secure generator (through the
//! `getrandom` crate: `getrandom(2)` on Linux, `getentropy` on macOS and the BSDs,
//! `ProcessPrng` on Windows, ...) and never a user-space generator seeded once. They block only
//! until the system generator is first seeded at boot, never afterwards. If the system cannot
//! provide random bytes they return [`Error::RandomSource`] and never a partial, predictable or
//! zero-filled result, so a failure can never turn into a weak key or a repeated nonce.
//!
//! No backend is involved: every backend's key and nonce generators use these.
//!
//! ```
//! use pluggable_crypto::random;
//!
//! // A fresh 256-bit key, in a caller buffer...
//! let mut key = [0u8; 32];
//! random::fill(&mut key)?;
//!
//! // ...or a new vector: a 16-byte salt.
//! let salt = random::bytes(16)?;
//! assert_eq!(salt.len(), 16);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```
//!
//! Whatever you generate a secret with, wipe it when you are done:
//! [`zeroize::Zeroizing`](https://docs.rs/zeroize) around the buffer does that on drop, and
//! every `generate_key` of this crate returns its key in one.

use crate::exceptions::{Error, Result};

/// Fills `buf` with random bytes from the operating system.
///
/// An empty `buf` is filled trivially (no system call). On failure `buf` may hold some
/// random bytes but must not be used; the error is [`Error::RandomSource`].
///
/// ```
/// use pluggable_crypto::random;
///
/// let mut nonce = [0u8; 12];
/// random::fill(&mut nonce)?;
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::RandomSource(e.to_string()))
}

/// `n` random bytes from the operating system, in a new vector.
///
/// For secret material prefer [`fill`] into a buffer you wipe (or wrap the result in
/// `zeroize::Zeroizing`). The error is [`Error::RandomSource`].
///
/// ```
/// use pluggable_crypto::random;
///
/// let a = random::bytes(32)?;
/// let b = random::bytes(32)?;
/// assert_eq!(a.len(), 32);
/// assert_ne!(a, b); // equal with probability 2^-256
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn bytes(n: usize) -> Result<Vec<u8>> {
    let mut out = vec![0u8; n];
    fill(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        for n in [0, 1, 12, 16, 32, 100, 4096] {
            assert_eq!(bytes(n).unwrap().len(), n);
        }
    }

    #[test]
    fn two_calls_differ() {
        // 16 bytes collide with probability 2^-128.
        assert_ne!(bytes(16).unwrap(), bytes(16).unwrap());
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        fill(&mut a).unwrap();
        fill(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 16]);
    }
}
