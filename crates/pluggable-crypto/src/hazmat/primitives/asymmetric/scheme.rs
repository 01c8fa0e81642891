//! What a backend is asked to do, resolved and validated by the primitives layer: the exact
//! signature, verification and encryption schemes, with every hash and length fixed. The
//! user-facing paddings (`padding::Pss`, `padding::Oaep`, ...) resolve to these. Data only.

use super::hash_id::HashId;

/// The input of a signature or verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInput<'a> {
    /// The message itself; the backend hashes it with the scheme's hash.
    Message(&'a [u8]),
    /// A digest already computed with the scheme's hash (pyca's `Prehashed`); its length was
    /// checked against the hash.
    Digest(&'a [u8]),
}

/// An RSA signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaSignatureScheme {
    /// RSASSA-PKCS1-v1_5 with `hash` (its DigestInfo prefix is part of the encoding).
    Pkcs1v15 {
        /// The message hash.
        hash: HashId,
    },
    /// RSASSA-PSS.
    Pss {
        /// The message hash.
        hash: HashId,
        /// The MGF1 hash.
        mgf1_hash: HashId,
        /// The salt length in bytes, already checked against the key size.
        salt_length: usize,
    },
}

/// An RSA verification scheme: as [`RsaSignatureScheme`], with PSS's salt length optionally
/// recovered from the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaVerificationScheme {
    /// RSASSA-PKCS1-v1_5 with `hash`.
    Pkcs1v15 {
        /// The message hash.
        hash: HashId,
    },
    /// RSASSA-PSS.
    Pss {
        /// The message hash.
        hash: HashId,
        /// The MGF1 hash.
        mgf1_hash: HashId,
        /// The salt length in bytes, or `None` to accept any (recovered from the signature;
        /// pyca's `PSS.AUTO`).
        salt_length: Option<usize>,
    },
}

/// How [`recover_data_from_signature`] unpads: PKCS#1 v1.5 with a hash (the DigestInfo is
/// checked and removed), or without one (the whole encoded block's payload is returned).
///
/// [`recover_data_from_signature`]: crate::hazmat::backends::RsaPublicKeyHandle::recover_data_from_signature
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsaRecoveryScheme {
    /// The hash whose DigestInfo prefix is expected, or `None` for the raw payload.
    pub hash: Option<HashId>,
}

/// An RSA encryption scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaEncryptionScheme<'a> {
    /// RSAES-PKCS1-v1_5 (legacy; decryption uses implicit rejection in the primitives layer).
    Pkcs1v15,
    /// RSAES-OAEP.
    Oaep {
        /// The label hash.
        hash: HashId,
        /// The MGF1 hash.
        mgf1_hash: HashId,
        /// The label (empty for none).
        label: &'a [u8],
    },
}

/// How an ECDSA or DSA nonce `k` is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureNonce {
    /// A fresh random `k` from the operating system for every signature (the default).
    #[default]
    Random,
    /// `k` derived from the key and the digest (RFC 6979): equal inputs give equal signatures.
    Deterministic,
}
