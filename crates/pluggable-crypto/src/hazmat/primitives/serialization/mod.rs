//! Key serialization (pyca's `cryptography.hazmat.primitives.serialization`): reading and
//! writing keys as PEM, DER (PKCS #8, SPKI, PKCS #1, SEC 1, OpenSSL's traditional forms),
//! OpenSSH and raw bytes, with password-based encryption.
//!
//! Parsing and encoding happen once, here, above the backends: a file is decoded to numbers
//! or raw key bytes, which the `_with_backend` constructors of
//! [`asymmetric`](crate::hazmat::primitives::asymmetric) load onto the backend chosen (the
//! default unless a [`KeyLoader`] names one). Encryption and decryption use the library's own
//! KDFs and ciphers on the default backend, so a key decrypts wherever it is loaded.
//!
//! # What is read
//!
//! | input | loader |
//! |---|---|
//! | PKCS #8 `PRIVATE KEY` (v1 and v2) and `ENCRYPTED PRIVATE KEY` | [`load_pem_private_key`], [`load_der_private_key`] |
//! | `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `DSA PRIVATE KEY`, with `Proc-Type: 4,ENCRYPTED` / `DEK-Info` | [`load_pem_private_key`] (DER: [`load_der_private_key`], unencrypted) |
//! | SPKI `PUBLIC KEY`, PKCS #1 `RSA PUBLIC KEY` | [`load_pem_public_key`], [`load_der_public_key`] |
//! | `DH PARAMETERS` (PKCS #3), `X9.42 DH PARAMETERS` | [`load_pem_parameters`], [`load_der_parameters`] |
//! | `openssh-key-v1` private keys (`ssh-rsa`, `ssh-dss`, `ecdsa-sha2-nistp*`, `ssh-ed25519`); those public keys, `sk-` security-key public keys and certificates | [`load_ssh_private_key`], [`load_ssh_public_key`] |
//!
//! Encrypted PKCS #8: PBES2 with PBKDF2 (HMAC-SHA1/224/256/384/512) or scrypt over
//! AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC or RC2-CBC; PBES1 (MD5 or SHA-1 with DES or RC2);
//! the PKCS #12 PBEs (SHA-1 with 3DES, 2-key 3DES, RC2 or RC4). `DEK-Info`:
//! AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC.
//!
//! Explicit EC curve parameters are matched to a named curve when they are exactly P-256,
//! P-384 or P-521 (as pyca does); other explicit curves are `UnsupportedAlgorithm`.
//!
//! PEM input may have text around the blocks and several blocks: the first block whose label
//! the loader reads is used, as OpenSSL does.
//!
//! # Strictness
//!
//! DER is DER: trailing data, indefinite or non-minimal lengths, non-minimal integers and
//! unexpected OIDs are [`Error::MalformedKeyData`](crate::Error::MalformedKeyData). A missing password for an encrypted key
//! is [`Error::PasswordRequired`](crate::Error::PasswordRequired), a password for an unencrypted one
//! [`Error::PasswordNotExpected`](crate::Error::PasswordNotExpected), a wrong one [`Error::IncorrectPassword`](crate::Error::IncorrectPassword). RSA numbers are
//! checked (p·q = n, the CRT values, d) unless
//! [`KeyLoader::unsafe_skip_rsa_key_validation`] is set. Length fields never allocate more
//! than the input holds, and decrypted key buffers are zeroized.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
//! use pluggable_crypto::hazmat::primitives::serialization::{
//!     load_pem_private_key, BestAvailableEncryption, Encoding, PrivateFormat,
//! };
//!
//! let key = Ed25519PrivateKey::generate()?;
//! let pem = key.private_bytes(
//!     Encoding::Pem,
//!     PrivateFormat::Pkcs8,
//!     &BestAvailableEncryption::new(b"correct horse"),
//! )?;
//! assert!(pem.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"));
//! let loaded = load_pem_private_key(&pem, Some(b"correct horse"))?.into_ed25519()?;
//! assert_eq!(loaded.public_key()?, key.public_key()?);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

mod asn1;
mod encoding;
mod keys;
mod loaders;
mod pbe;
mod pem;
mod ssh;

pub use encoding::{
    BestAvailableEncryption, Encoding, KeySerializationEncryption,
    KeySerializationEncryptionBuilder, NoEncryption, ParameterFormat, PrivateFormat, PublicFormat,
};
pub use keys::{ParameterTypes, PrivateKeyTypes, PublicKeyTypes};
pub use loaders::{
    load_der_parameters, load_der_private_key, load_der_public_key, load_pem_parameters,
    load_pem_private_key, load_pem_public_key, load_ssh_private_key, load_ssh_public_key,
    KeyLoader, PRIVATE_KEY_PEM_LABELS,
};

/// The most bytes any loader reads: larger input is `MalformedKeyData` before any decoding
/// (no key file is near it; it bounds the work a hostile input can ask for).
pub const MAX_KEY_INPUT_BYTES: usize = 16 << 20;
pub use pbe::{Pbkdf2Hash, Pkcs8Cipher, Pkcs8Kdf};
pub use ssh::{ssh_key_fingerprint, SshCipher};
