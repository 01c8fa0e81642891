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
    /// The backend does not implement this asymmetric padding (e.g. RSA-PSS on a backend
    /// that only verifies PKCS#1 v1.5).
    UnsupportedPadding,
    /// The backend does not implement this mask generation function, or MGF1 over this hash.
    UnsupportedMgf,
    /// The backend does not implement this public-key algorithm, key size or operation.
    UnsupportedPublicKeyAlgorithm,
    /// The backend does not implement this elliptic curve.
    UnsupportedEllipticCurve,
    /// The backend does not implement this key-exchange algorithm.
    UnsupportedExchangeAlgorithm,
    /// The backend does not implement finite-field Diffie-Hellman, or these parameters.
    UnsupportedDiffieHellman,
    /// This key encoding or format is not implemented.
    UnsupportedSerialization,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::UnsupportedCipher => "unsupported cipher",
            Reason::UnsupportedHash => "unsupported hash",
            Reason::UnsupportedMac => "unsupported MAC",
            Reason::BackendMissingInterface => "backend missing interface",
            Reason::UnsupportedPadding => "unsupported padding",
            Reason::UnsupportedMgf => "unsupported MGF",
            Reason::UnsupportedPublicKeyAlgorithm => "unsupported public-key algorithm",
            Reason::UnsupportedEllipticCurve => "unsupported elliptic curve",
            Reason::UnsupportedExchangeAlgorithm => "unsupported exchange algorithm",
            Reason::UnsupportedDiffieHellman => "unsupported Diffie-Hellman",
            Reason::UnsupportedSerialization => "unsupported serialization",
        })
    }
}

/// Every failure the library reports.
///
/// Match on the variants you handle and let the rest through: the enum is `#[non_exhaustive]`,
/// so a `_` arm is required, and new variants may appear in minor releases. `Display` gives a
/// message fit for a log or a user, naming the rule broken and the value given (with its unit),
/// never key, nonce or data bytes.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::aead::AesGcm;
/// use pluggable_crypto::{Error, Reason};
///
/// fn open(aead: &AesGcm, sealed: &[u8]) -> Result<Vec<u8>, String> {
///     match aead.decrypt_with_prefixed_nonce(sealed, b"header") {
///         Ok(plaintext) => Ok(plaintext),
///         // Forged, truncated, or sealed under another key or header: one error for all.
///         Err(Error::InvalidTag) => Err("rejected: the message does not authenticate".into()),
///         // The chosen backend lacks the algorithm (e.g. AES-OCB3 on the ring backend).
///         Err(Error::UnsupportedAlgorithm { reason: Reason::UnsupportedCipher, message }) => {
///             Err(format!("try another backend: {message}"))
///         }
///         // A length or parameter rule; the message says which, with units.
///         Err(Error::InvalidArgument(message)) => Err(format!("bad input: {message}")),
///         Err(other) => Err(format!("failed: {other}")),
///     }
/// }
///
/// let aead = AesGcm::new(&AesGcm::generate_key_bits(128)?)?;
/// let sealed = aead.encrypt_with_random_nonce(b"hello", b"header")?;
/// assert_eq!(open(&aead, &sealed).as_deref(), Ok(&b"hello"[..]));
/// assert_eq!(
///     open(&aead, &sealed[..20]),
///     Err("rejected: the message does not authenticate".to_string())
/// );
///
/// // Sizes in messages carry their unit.
/// let err = AesGcm::new(&[0; 3]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "AES-GCM keys must be 128, 192 or 256 bits, got 24 bits"
/// );
/// # Ok::<(), Error>(())
/// ```
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
    /// A MAC or a signature did not verify (any cause: wrong key, altered data, malformed or
    /// wrong-length signature).
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
    /// Key material (numbers, raw bytes, a point) was refused; see [`KeyRejected`]. It never
    /// carries key bytes.
    KeyRejected(KeyRejected),
    /// Public-key decryption failed. One error, with one message, for every cause (bad padding,
    /// wrong key, wrong length, a label mismatch), so that a caller cannot tell them apart.
    DecryptionFailed,
    /// The native library failed unexpectedly; the message carries its error text.
    Backend(String),
    /// The operating system could not provide random bytes (for a key, nonce, salt or IV);
    /// the message carries the system's error. Nothing was generated.
    RandomSource(String),
    /// Key data (PEM, DER, OpenSSH) does not parse: bad structure, non-DER encoding, a wrong
    /// OID, trailing data, a missing header. The message says what, never with key bytes.
    MalformedKeyData(String),
    /// The private key is encrypted and no password was given (pyca's `TypeError`).
    PasswordRequired,
    /// A password was given but the private key is not encrypted (pyca's `TypeError`).
    PasswordNotExpected,
    /// The encrypted private key did not decrypt with the password given: the password is
    /// wrong, or the ciphertext was altered.
    IncorrectPassword,
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
            Error::InvalidSignature => f.write_str("signature or MAC tag does not match the data"),
            Error::InvalidKey => f.write_str("key material did not verify"),
            Error::InvalidUnwrap => f.write_str("the wrapped key failed its integrity check"),
            Error::InvalidToken => f.write_str(
                "invalid token: malformed, made with another key, tampered with, expired, or not matching",
            ),
            Error::InvalidArgument(message) => f.write_str(message),
            Error::Backend(message) => write!(f, "backend failure: {message}"),
            Error::KeyRejected(rejected) => write!(f, "key rejected: {rejected}"),
            Error::DecryptionFailed => f.write_str("decryption failed"),
            Error::RandomSource(message) => {
                write!(f, "the operating system's random source failed: {message}")
            }
            Error::MalformedKeyData(message) => write!(f, "could not parse the key data: {message}"),
            Error::PasswordRequired => {
                f.write_str("the private key is encrypted, but no password was given")
            }
            Error::PasswordNotExpected => {
                f.write_str("a password was given, but the private key is not encrypted")
            }
            Error::IncorrectPassword => f.write_str(
                "the private key did not decrypt: the password is incorrect or the data was altered",
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Why key material was refused: a small, stable vocabulary (after ring's `KeyRejected`).
///
/// `what` names the component or encoding in static text chosen by the library ("RSA modulus",
/// "X25519 private key"), so a rejection can never carry secret bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyRejected {
    kind: KeyRejectedKind,
    what: &'static str,
}

/// The kinds of [`KeyRejected`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRejectedKind {
    /// Bytes that do not decode: a wrong length, a bad prefix, a point not on the curve, the
    /// point at infinity, a scalar out of range.
    InvalidEncoding,
    /// The key is smaller than the rule allows (e.g. an RSA modulus under 1024 bits).
    TooSmall,
    /// The key is larger than the rule or the backend allows.
    TooLarge,
    /// The key is for another algorithm or curve than the operation needs.
    WrongAlgorithm,
    /// The components do not belong together (e.g. `p * q != n`, a public point that is not
    /// the private scalar's).
    InconsistentComponents,
    /// One component breaks its rule (an even modulus, an exponent out of range).
    InvalidComponent,
}

impl KeyRejected {
    /// A rejection of `kind` for `what` (static text naming the component or encoding).
    pub const fn new(kind: KeyRejectedKind, what: &'static str) -> Self {
        KeyRejected { kind, what }
    }

    /// The kind of rejection.
    pub fn kind(&self) -> KeyRejectedKind {
        self.kind
    }

    /// The component or encoding that was refused, e.g. `"RSA modulus"`.
    pub fn what(&self) -> &'static str {
        self.what
    }
}

impl fmt::Display for KeyRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            KeyRejectedKind::InvalidEncoding => "invalid encoding",
            KeyRejectedKind::TooSmall => "too small",
            KeyRejectedKind::TooLarge => "too large",
            KeyRejectedKind::WrongAlgorithm => "wrong algorithm",
            KeyRejectedKind::InconsistentComponents => "inconsistent components",
            KeyRejectedKind::InvalidComponent => "invalid component",
        };
        write!(f, "{}: {kind}", self.what)
    }
}

impl From<KeyRejected> for Error {
    fn from(rejected: KeyRejected) -> Self {
        Error::KeyRejected(rejected)
    }
}

impl Error {
    /// Builds an [`Error::KeyRejected`].
    pub fn key_rejected(kind: KeyRejectedKind, what: &'static str) -> Self {
        Error::KeyRejected(KeyRejected::new(kind, what))
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// A byte count as error texts write it: "1 byte", "16 bytes".
#[derive(Clone, Copy)]
pub(crate) struct Bytes(pub(crate) usize);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 byte"),
            n => write!(f, "{n} bytes"),
        }
    }
}
