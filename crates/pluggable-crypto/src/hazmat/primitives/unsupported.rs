//! The texts of "unsupported" errors, one per kind of request, so that every backend (and the
//! multi-backend) words a refusal the same way. They name descriptors only, so they sit in the
//! descriptor layer beside the rules.

use crate::exceptions::{Error, Reason};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::Argon2Variant;

/// The error for a cipher/mode pair a backend does not serve.
pub(crate) fn unsupported_cipher(
    backend: &str,
    cipher: &dyn CipherAlgorithm,
    mode: Option<&dyn Mode>,
) -> Error {
    let mode = mode.map_or_else(|| "no mode".to_owned(), |m| format!("{} mode", m.name()));
    Error::unsupported(
        Reason::UnsupportedCipher,
        format!(
            "the {backend} backend does not support {} with a {}-bit key in {mode}",
            cipher.name(),
            cipher.key_size()
        ),
    )
}

/// The error for a hash a backend does not serve.
pub(crate) fn unsupported_hash(backend: &str, algorithm: &dyn HashAlgorithm) -> Error {
    Error::unsupported(
        Reason::UnsupportedHash,
        format!(
            "the {backend} backend does not support the hash {}",
            algorithm.name()
        ),
    )
}

/// The error for HMAC over a hash a backend does not serve it with.
pub(crate) fn unsupported_hmac(backend: &str, algorithm: &dyn HashAlgorithm) -> Error {
    let why = if algorithm.is_xof() {
        " (HMAC is not defined over an extendable-output function)"
    } else {
        ""
    };
    Error::unsupported(
        Reason::UnsupportedMac,
        format!(
            "the {backend} backend does not support HMAC with {}{why}",
            algorithm.name()
        ),
    )
}

/// The error for a one-shot AEAD a backend does not serve.
pub(crate) fn unsupported_aead(backend: &str, algorithm: AeadAlgorithm) -> Error {
    Error::unsupported(
        Reason::UnsupportedCipher,
        format!(
            "the {backend} backend does not support {} with these parameters",
            algorithm.name()
        ),
    )
}

/// The error for CMAC over a cipher a backend does not serve it with.
pub(crate) fn unsupported_cmac(backend: &str, algorithm: &dyn CipherAlgorithm) -> Error {
    let why = if algorithm.block_size().is_none() {
        " (CMAC needs a block cipher)"
    } else {
        ""
    };
    Error::unsupported(
        Reason::UnsupportedMac,
        format!(
            "the {backend} backend does not support CMAC with {} and a {}-bit key{why}",
            algorithm.name(),
            algorithm.key_size()
        ),
    )
}

/// The error for Poly1305 on a backend without it.
pub(crate) fn unsupported_poly1305(backend: &str) -> Error {
    Error::unsupported(
        Reason::UnsupportedMac,
        format!("the {backend} backend does not support Poly1305"),
    )
}

/// The error for PBKDF2-HMAC over a hash a backend does not serve it with.
pub(crate) fn unsupported_pbkdf2_hmac(backend: &str, algorithm: &dyn HashAlgorithm) -> Error {
    Error::unsupported(
        Reason::UnsupportedHash,
        format!(
            "the {backend} backend does not support PBKDF2-HMAC with {}",
            algorithm.name()
        ),
    )
}

/// The error for scrypt on a backend without it.
pub(crate) fn unsupported_scrypt(backend: &str) -> Error {
    Error::unsupported(
        Reason::BackendMissingInterface,
        format!("the {backend} backend does not support scrypt"),
    )
}

/// The error for an Argon2 variant a backend does not serve (or not with these parameters).
pub(crate) fn unsupported_argon2(backend: &str, variant: Argon2Variant) -> Error {
    Error::unsupported(
        Reason::BackendMissingInterface,
        format!(
            "the {backend} backend does not support {} with these parameters",
            variant.name()
        ),
    )
}
