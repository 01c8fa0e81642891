//! RSA paddings (pyca's `asymmetric.padding`): [`Pkcs1v15`], [`Pss`] with [`Mgf1`] and a
//! [`PssSaltLength`], and [`Oaep`].
//!
//! These are descriptors: an RSA key resolves them, with its size, into the exact scheme a
//! backend runs (`scheme::RsaSignatureScheme`, `RsaVerificationScheme`, `RsaEncryptionScheme`),
//! checking the rules once (the salt against the key size, OAEP's message limit).
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::padding::{Mgf1, Oaep, Pss, PssSaltLength};
//! use pluggable_crypto::hazmat::primitives::hashes::{Sha1, Sha256};
//!
//! let pss = Pss::new(Mgf1::new(Sha256), PssSaltLength::DigestLength);
//! let oaep = Oaep::new(Mgf1::new(Sha256), Sha256, None);
//! let legacy_oaep = Oaep::new(Mgf1::new(Sha1), Sha1, Some(b"label"));
//! assert_eq!(pss.mgf.algorithm().name(), "sha256");
//! assert_eq!(legacy_oaep.label(), b"label");
//! # let _ = oaep;
//! ```

use std::fmt;
use std::sync::Arc;

use super::hash_id::HashId;
use crate::exceptions::Result;
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// MGF1, the mask generation function of PSS and OAEP, over a hash (pyca's `padding.MGF1`).
#[derive(Clone)]
pub struct Mgf1 {
    algorithm: Arc<dyn HashAlgorithm>,
}

impl Mgf1 {
    /// MGF1 over `algorithm` (SHA-1, SHA-2 or SHA-3; checked when the padding is used).
    pub fn new(algorithm: impl HashAlgorithm) -> Self {
        Mgf1 {
            algorithm: Arc::new(algorithm),
        }
    }

    /// The hash.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    pub(crate) fn hash_id(&self) -> Result<HashId> {
        HashId::of(&*self.algorithm)
    }
}

impl fmt::Debug for Mgf1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mgf1({})", self.algorithm.name())
    }
}

/// The PSS salt length (pyca's `PSS.DIGEST_LENGTH`, `PSS.MAX_LENGTH`, `PSS.AUTO`, or a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PssSaltLength {
    /// As long as the digest (the usual choice, and what ring and most verifiers expect).
    DigestLength,
    /// The longest the key allows: `emLen - hLen - 2` bytes.
    Max,
    /// Verification only: accept any salt length, recovered from the signature.
    Auto,
    /// Exactly this many bytes.
    Exact(usize),
}

/// RSASSA-PSS (pyca's `padding.PSS`): the recommended signature padding.
#[derive(Debug, Clone)]
pub struct Pss {
    /// The mask generation function.
    pub mgf: Mgf1,
    /// The salt length.
    pub salt_length: PssSaltLength,
}

impl Pss {
    /// PSS with `mgf` and `salt_length`.
    pub fn new(mgf: Mgf1, salt_length: PssSaltLength) -> Self {
        Pss { mgf, salt_length }
    }
}

/// PKCS #1 v1.5 (pyca's `padding.PKCS1v15`): for signatures (RSASSA-PKCS1-v1_5, still widely
/// used) and for encryption (RSAES-PKCS1-v1_5, legacy: prefer [`Oaep`]; decryption uses
/// implicit rejection, so a bad ciphertext yields a pseudo-random message rather than an
/// error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pkcs1v15;

/// RSAES-OAEP (pyca's `padding.OAEP`): the recommended encryption padding.
#[derive(Clone)]
pub struct Oaep {
    /// The mask generation function.
    pub mgf: Mgf1,
    algorithm: Arc<dyn HashAlgorithm>,
    label: Vec<u8>,
}

impl Oaep {
    /// OAEP with `mgf`, the label hash `algorithm`, and an optional label (`None` and an empty
    /// label are the same).
    pub fn new(mgf: Mgf1, algorithm: impl HashAlgorithm, label: Option<&[u8]>) -> Self {
        Oaep {
            mgf,
            algorithm: Arc::new(algorithm),
            label: label.unwrap_or_default().to_vec(),
        }
    }

    /// The label hash.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// The label (empty for none).
    pub fn label(&self) -> &[u8] {
        &self.label
    }

    pub(crate) fn hash_id(&self) -> Result<HashId> {
        HashId::of(&*self.algorithm)
    }
}

impl fmt::Debug for Oaep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Oaep")
            .field("mgf", &self.mgf)
            .field("algorithm", &self.algorithm.name())
            .field("label_len", &self.label.len())
            .finish()
    }
}

/// The padding of a signature: [`Pkcs1v15`] or [`Pss`] (what `sign` / `verify` take).
#[derive(Debug, Clone)]
pub enum SignaturePadding {
    /// RSASSA-PKCS1-v1_5.
    Pkcs1v15(Pkcs1v15),
    /// RSASSA-PSS.
    Pss(Pss),
}

impl From<Pkcs1v15> for SignaturePadding {
    fn from(p: Pkcs1v15) -> Self {
        SignaturePadding::Pkcs1v15(p)
    }
}

impl From<Pss> for SignaturePadding {
    fn from(p: Pss) -> Self {
        SignaturePadding::Pss(p)
    }
}

/// The padding of an encryption: [`Pkcs1v15`] or [`Oaep`] (what `encrypt` / `decrypt` take).
#[derive(Debug, Clone)]
pub enum EncryptionPadding {
    /// RSAES-PKCS1-v1_5 (legacy).
    Pkcs1v15(Pkcs1v15),
    /// RSAES-OAEP.
    Oaep(Oaep),
}

impl From<Pkcs1v15> for EncryptionPadding {
    fn from(p: Pkcs1v15) -> Self {
        EncryptionPadding::Pkcs1v15(p)
    }
}

impl From<Oaep> for EncryptionPadding {
    fn from(p: Oaep) -> Self {
        EncryptionPadding::Oaep(p)
    }
}

/// The longest PSS salt a key of `key_size` bits allows with `algorithm` (pyca's
/// `calculate_max_pss_salt_length`): `ceil((key_size - 1) / 8) - hLen - 2`.
pub fn calculate_max_pss_salt_length(
    key_size: usize,
    algorithm: &dyn HashAlgorithm,
) -> Result<usize> {
    let hash = HashId::of(algorithm)?;
    let em_len = key_size.saturating_sub(1).div_ceil(8);
    em_len.checked_sub(hash.digest_size() + 2).ok_or_else(|| {
        crate::Error::invalid(format!(
            "an RSA key of {key_size} bits is too small for PSS with {}",
            hash.name()
        ))
    })
}
