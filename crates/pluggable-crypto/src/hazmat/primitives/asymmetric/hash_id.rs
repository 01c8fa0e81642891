//! The hashes that signatures, OAEP and MGF1 accept, as a closed, copyable list.
//!
//! User APIs take any [`HashAlgorithm`] (pyca's shape); the primitives layer resolves it to a
//! [`HashId`] once, so a backend matches on a closed enum instead of names. Data only: nothing
//! here knows a backend.

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A hash usable in a signature, OAEP or MGF1.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashId {
    /// SHA-1 (legacy: verification of old signatures, OAEP and MGF1 defaults).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
}

impl HashId {
    /// Every hash, in declaration order.
    pub const ALL: [HashId; 11] = [
        HashId::Sha1,
        HashId::Sha224,
        HashId::Sha256,
        HashId::Sha384,
        HashId::Sha512,
        HashId::Sha512_224,
        HashId::Sha512_256,
        HashId::Sha3_224,
        HashId::Sha3_256,
        HashId::Sha3_384,
        HashId::Sha3_512,
    ];

    /// The hash `algorithm` names, or `UnsupportedAlgorithm` (`UnsupportedHash`) for one that
    /// signatures do not take (an XOF, BLAKE2, MD5, ...).
    pub fn of(algorithm: &dyn HashAlgorithm) -> Result<HashId> {
        HashId::ALL
            .into_iter()
            .find(|h| h.name() == algorithm.name())
            .ok_or_else(|| {
                Error::unsupported(
                    Reason::UnsupportedHash,
                    format!(
                        "{} cannot be used in a signature, OAEP or MGF1; use SHA-1, SHA-2 or SHA-3",
                        algorithm.name()
                    ),
                )
            })
    }

    /// The name, as [`HashAlgorithm::name`] gives it (`"sha256"`).
    pub fn name(self) -> &'static str {
        match self {
            HashId::Sha1 => "sha1",
            HashId::Sha224 => "sha224",
            HashId::Sha256 => "sha256",
            HashId::Sha384 => "sha384",
            HashId::Sha512 => "sha512",
            HashId::Sha512_224 => "sha512-224",
            HashId::Sha512_256 => "sha512-256",
            HashId::Sha3_224 => "sha3-224",
            HashId::Sha3_256 => "sha3-256",
            HashId::Sha3_384 => "sha3-384",
            HashId::Sha3_512 => "sha3-512",
        }
    }

    /// The digest size in bytes.
    pub fn digest_size(self) -> usize {
        match self {
            HashId::Sha1 => 20,
            HashId::Sha224 | HashId::Sha512_224 | HashId::Sha3_224 => 28,
            HashId::Sha256 | HashId::Sha512_256 | HashId::Sha3_256 => 32,
            HashId::Sha384 | HashId::Sha3_384 => 48,
            HashId::Sha512 | HashId::Sha3_512 => 64,
        }
    }
}
