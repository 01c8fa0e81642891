//! The error type shared by every primitive and backend.
//!
//! Mirrors pyca/cryptography's `cryptography.exceptions`: one enum whose variants name what went
//! wrong, with messages a caller can act on. Messages never contain key, IV or data bytes.

use std::fmt;

/// Why an algorithm, mode or hash is unsupported (pyca's `_Reasons`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The backend does not implement this cipher, or this cipher with this mode.
    UnsupportedCipher,
    /// The backend does not implement this hash algorithm.
    UnsupportedHash,
    /// The backend does not implement this MAC (e.g. HMAC over an extendable-output function).
    UnsupportedMac,
    /// The backend does not implement the interface needed for the request at all.
    BackendMissingInterface,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::UnsupportedCipher => "unsupported cipher",
            Reason::UnsupportedHash => "unsupported hash",
            Reason::UnsupportedMac => "unsupported MAC",
            Reason::BackendMissingInterface => "backend missing interface",
        })
    }
}

/// Every failure the library reports.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The requested algorithm, mode or hash is not available from this backend.
    UnsupportedAlgorithm {
        /// The category of what is missing.
        reason: Reason,
        /// A human-readable description naming the algorithm.
        message: String,
    },
    /// The context was already finalized; it can take no more calls.
    AlreadyFinalized,
    /// Additional authenticated data was given after data had been processed.
    AlreadyUpdated,
    /// The authentication tag was asked for before `finalize`.
    NotYetFinalized,
    /// Authenticated decryption failed: the tag does not match the data.
    InvalidTag,
    /// A MAC did not verify.
    InvalidSignature,
    /// A derived or supplied key did not verify.
    InvalidKey,
    /// An AES key unwrap failed: the wrapped key is malformed or its integrity check failed.
    InvalidUnwrap,
    /// A Fernet token, or a one-time password (HOTP/TOTP), did not verify: it is malformed, was
    /// made with another key, was tampered with, has expired, or does not match. One error for
    /// every cause, so a caller learns nothing about which check failed (pyca's `InvalidToken`).
    InvalidToken,
    /// A length or parameter rule was broken; the message names the rule and the value given.
    InvalidArgument(String),
    /// The native library failed unexpectedly; the message carries its error text.
    Backend(String),
}

impl Error {
    /// Builds an [`Error::UnsupportedAlgorithm`].
    pub fn unsupported(reason: Reason, message: impl Into<String>) -> Self {
        Error::UnsupportedAlgorithm {
            reason,
            message: message.into(),
        }
    }

    /// Builds an [`Error::InvalidArgument`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }

    /// True for [`Error::UnsupportedAlgorithm`]: the only error a multi-backend passes over.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, Error::UnsupportedAlgorithm { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnsupportedAlgorithm { reason, message } => write!(f, "{reason}: {message}"),
            Error::AlreadyFinalized => f.write_str("context was already finalized"),
            Error::AlreadyUpdated => {
                f.write_str("additional data must be authenticated before any data is processed")
            }
            Error::NotYetFinalized => {
                f.write_str("the authentication tag is only available after finalize")
            }
            Error::InvalidTag => f.write_str("authentication tag does not match"),
            Error::InvalidSignature => f.write_str("MAC tag does not match the data"),
            Error::InvalidKey => f.write_str("key material did not verify"),
            Error::InvalidUnwrap => f.write_str("the wrapped key failed its integrity check"),
            Error::InvalidToken => f.write_str(
                "invalid token: malformed, made with another key, tampered with, expired, or not matching",
            ),
            Error::InvalidArgument(message) => f.write_str(message),
            Error::Backend(message) => write!(f, "backend failure: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
