//! Key derivation functions (pyca's `hazmat.primitives.kdf`).
//!
//! | module | KDFs | where it runs |
//! |---|---|---|
//! | [`hkdf`] | [`Hkdf`](hkdf::Hkdf), [`HkdfExpand`](hkdf::HkdfExpand) (RFC 5869) | on [`Hmac`](super::hmac::Hmac), any backend with HMAC over the hash |
//! | [`concatkdf`] | [`ConcatKdfHash`](concatkdf::ConcatKdfHash), [`ConcatKdfHmac`](concatkdf::ConcatKdfHmac) (NIST SP 800-56A one-step) | on [`Hash`](super::hashes::Hash) / [`Hmac`](super::hmac::Hmac) |
//! | [`x963kdf`] | [`X963Kdf`](x963kdf::X963Kdf) (ANSI X9.63, SEC 1 §3.6.1) | on [`Hash`](super::hashes::Hash) |
//! | [`kbkdf`] | [`KbkdfHmac`](kbkdf::KbkdfHmac), [`KbkdfCmac`](kbkdf::KbkdfCmac) (NIST SP 800-108 counter mode) | on [`Hmac`](super::hmac::Hmac) / [`Cmac`](super::cmac::Cmac) |
//! | [`pbkdf2`] | [`Pbkdf2Hmac`](pbkdf2::Pbkdf2Hmac) (RFC 8018) | a backend's [`KdfBackend`] |
//! | [`scrypt`] | [`Scrypt`](scrypt::Scrypt) (RFC 7914) | a backend's [`KdfBackend`] |
//! | [`argon2`] | [`Argon2id`](argon2::Argon2id), [`Argon2i`](argon2::Argon2i), [`Argon2d`](argon2::Argon2d) (RFC 9106) | a backend's [`KdfBackend`] |
//!
//! Every KDF follows one contract, [`KeyDerivationFunction`]: it is built with its parameters,
//! which are validated then (a broken rule is `InvalidArgument` naming the rule and the value);
//! [`derive`](KeyDerivationFunction::derive) runs once (a second `derive` or `verify` is
//! `AlreadyFinalized`); [`verify`](KeyDerivationFunction::verify) derives and compares in
//! constant time (`InvalidKey` on mismatch). Lengths are in **bytes**, as are digest sizes.
//! Derived keys are returned in [`Zeroizing`] buffers, and secrets the KDFs hold are wiped
//! on drop.
//!
//! [`KdfBackend`]: crate::hazmat::backends::KdfBackend

use zeroize::{Zeroize, Zeroizing};

use crate::constant_time::bytes_eq;
use crate::exceptions::{Bytes, Error, Result};

pub mod argon2;
pub mod concatkdf;
pub mod hkdf;
pub mod kbkdf;
pub mod pbkdf2;
pub mod scrypt;
pub mod x963kdf;

/// A key derivation function configured with its parameters, usable once (pyca's
/// `KeyDerivationFunction`).
pub trait KeyDerivationFunction {
    /// The length in bytes of the key it derives.
    fn length(&self) -> usize;

    /// Derives the key from `key_material` into `out`, which must be exactly
    /// [`length`](Self::length) bytes (otherwise `InvalidArgument`, and the KDF stays unused).
    /// Works once: afterwards every call is `AlreadyFinalized`. On failure `out` is wiped.
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()>;

    /// Derives the key from `key_material`. Works once: afterwards every call is
    /// `AlreadyFinalized`.
    fn derive(&mut self, key_material: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = zeroed(self.length())?;
        self.derive_into(key_material, &mut out[..])?;
        Ok(out)
    }

    /// Derives the key from `key_material` and compares it with `expected_key` in constant
    /// time: `Error::InvalidKey` on any mismatch, including a wrong length. It uses up the KDF
    /// like [`derive`](Self::derive).
    fn verify(&mut self, key_material: &[u8], expected_key: &[u8]) -> Result<()> {
        let actual = self.derive(key_material)?;
        if bytes_eq(&actual, expected_key) {
            Ok(())
        } else {
            Err(Error::InvalidKey)
        }
    }
}

/// The [`KeyDerivationFunction`] methods as inherent methods of each KDF type, so that
/// `Hkdf::new(..)?.derive(..)` works without importing the trait.
macro_rules! inherent_kdf_methods {
    ($($ty:ty),+ $(,)?) => {$(
        impl $ty {
            /// The length in bytes of the key it derives.
            pub fn length(&self) -> usize {
                <Self as $crate::hazmat::primitives::kdf::KeyDerivationFunction>::length(self)
            }

            /// Derives the key from `key_material`. Works once: afterwards every call is
            /// `AlreadyFinalized`.
            pub fn derive(
                &mut self,
                key_material: &[u8],
            ) -> $crate::Result<zeroize::Zeroizing<Vec<u8>>> {
                <Self as $crate::hazmat::primitives::kdf::KeyDerivationFunction>::derive(
                    self,
                    key_material,
                )
            }

            /// Derives the key into `out`, which must be exactly [`length`](Self::length)
            /// bytes. Works once; on failure `out` is wiped.
            pub fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> $crate::Result<()> {
                <Self as $crate::hazmat::primitives::kdf::KeyDerivationFunction>::derive_into(
                    self,
                    key_material,
                    out,
                )
            }

            /// Derives the key and compares it with `expected_key` in constant time
            /// (`Error::InvalidKey` on any mismatch). Uses up the KDF like `derive`.
            pub fn verify(&mut self, key_material: &[u8], expected_key: &[u8]) -> $crate::Result<()> {
                <Self as $crate::hazmat::primitives::kdf::KeyDerivationFunction>::verify(
                    self,
                    key_material,
                    expected_key,
                )
            }
        }
    )+};
}
use inherent_kdf_methods;

/// A zeroed buffer of `len` bytes, or an error (not an abort) when it cannot be allocated.
fn zeroed(len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|_| Error::invalid(format!("cannot allocate {len} bytes for the derived key")))?;
    out.resize(len, 0);
    Ok(Zeroizing::new(out))
}

/// The once-only rule every KDF shares.
#[derive(Debug, Default)]
struct Usage {
    used: bool,
}

impl Usage {
    /// Checks the KDF is unused and `out` is `length` bytes, marks it used, then runs `fill`;
    /// wipes `out` if `fill` fails.
    fn run(
        &mut self,
        length: usize,
        out: &mut [u8],
        fill: impl FnOnce(&mut [u8]) -> Result<()>,
    ) -> Result<()> {
        if self.used {
            return Err(Error::AlreadyFinalized);
        }
        if out.len() != length {
            return Err(Error::invalid(format!(
                "the output buffer must be exactly {} (the KDF's length), got {}",
                Bytes(length),
                Bytes(out.len())
            )));
        }
        self.used = true;
        fill(out).inspect_err(|_| out.zeroize())
    }
}

/// The rule every KDF shares: at least one byte of output (an empty key would "verify"
/// against any key material).
fn check_length(kdf: &str, length: usize) -> Result<()> {
    if length == 0 {
        return Err(Error::invalid(format!(
            "{kdf} length must be at least 1 byte, got 0 bytes"
        )));
    }
    Ok(())
}

/// The counter KDFs' limit: at most `(2^32 - 1)` blocks of `block_bytes` bytes.
fn check_counter_limit(kdf: &str, hash: &str, block_bytes: usize, length: usize) -> Result<()> {
    let max = block_bytes.saturating_mul(u32::MAX as usize);
    if length > max {
        return Err(Error::invalid(format!(
            "{kdf} can derive at most (2^32 - 1) x {block_bytes} = {max} bytes with {hash}, \
             asked for {length} bytes"
        )));
    }
    Ok(())
}

/// Fills `out` block by block: `block(i)` for the 1-based counter `i` gives the `i`-th PRF
/// output, of which as many bytes as still fit are copied. The blocks are wiped after use.
fn fill_blocks(
    out: &mut [u8],
    block_bytes: usize,
    mut block: impl FnMut(u32) -> Result<Vec<u8>>,
) -> Result<()> {
    for (index, chunk) in out.chunks_mut(block_bytes.max(1)).enumerate() {
        let counter = u32::try_from(index + 1)
            .map_err(|_| Error::invalid("the KDF counter would overflow 32 bits"))?;
        let bytes = Zeroizing::new(block(counter)?);
        let part = bytes.get(..chunk.len()).ok_or_else(|| {
            Error::Backend(format!(
                "PRF output is {} bytes, expected at least {}",
                bytes.len(),
                chunk.len()
            ))
        })?;
        chunk.copy_from_slice(part);
    }
    Ok(())
}

/// A `Debug` field showing only a byte string's length (salts, info and secrets are not
/// printed).
struct Len(usize);

impl std::fmt::Debug for Len {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// Checks `backend` computes HMAC over `algorithm` (never over an extendable-output function).
fn check_hmac(
    kdf: &str,
    algorithm: &dyn crate::hazmat::primitives::hashes::HashAlgorithm,
    backend: &dyn crate::hazmat::backends::HmacBackend,
) -> Result<()> {
    let why = if algorithm.is_xof() {
        " (HMAC is not defined over an extendable-output function)"
    } else if !backend.hmac_supported(algorithm) {
        ""
    } else {
        return Ok(());
    };
    Err(Error::unsupported(
        crate::exceptions::Reason::UnsupportedHash,
        format!(
            "{kdf} needs HMAC over {}, which the backend does not support{why}",
            algorithm.name()
        ),
    ))
}

/// Checks `backend` computes `algorithm`.
fn check_hash(
    algorithm: &dyn crate::hazmat::primitives::hashes::HashAlgorithm,
    backend: &dyn crate::hazmat::backends::HashBackend,
) -> Result<()> {
    if backend.hash_supported(algorithm) {
        Ok(())
    } else {
        Err(crate::hazmat::primitives::unsupported::unsupported_hash(
            "chosen", algorithm,
        ))
    }
}
