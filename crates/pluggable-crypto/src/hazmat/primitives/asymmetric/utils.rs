//! Helpers shared by the signature schemes (pyca's `asymmetric.utils`): [`Prehashed`], and the
//! hash argument of every `sign` / `verify` ([`SignatureHash`]).

use std::fmt;
use std::sync::Arc;

use super::hash_id::HashId;
use super::scheme::SignInput;
use crate::exceptions::{Bytes, Error, Result};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// Marks the data given to `sign` / `verify` as a digest already computed with the hash
/// (pyca's `utils.Prehashed`).
///
/// ```
/// use pluggable_crypto::hazmat::primitives::asymmetric::utils::{Prehashed, SignatureHash};
/// use pluggable_crypto::hazmat::primitives::hashes::Sha256;
///
/// let over_message: SignatureHash = Sha256.into();
/// let over_digest: SignatureHash = Prehashed(Sha256).into();
/// assert!(!over_message.is_prehashed());
/// assert!(over_digest.is_prehashed());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prehashed<H>(pub H);

/// The hash argument of a signature or verification: the message is hashed with the algorithm,
/// or (for [`Prehashed`]) the data is already its digest.
#[derive(Clone)]
pub struct SignatureHash {
    algorithm: Arc<dyn HashAlgorithm>,
    prehashed: bool,
}

impl SignatureHash {
    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// True when the data is a digest ([`Prehashed`]).
    pub fn is_prehashed(&self) -> bool {
        self.prehashed
    }

    /// The hash as a [`HashId`] (`UnsupportedAlgorithm` for one signatures do not take).
    pub fn hash_id(&self) -> Result<HashId> {
        HashId::of(&*self.algorithm)
    }

    /// The backend request for `data`: the hash, and the message or the digest (whose length
    /// is checked against the hash).
    #[allow(dead_code)] // the family modules use it
    pub(crate) fn resolve<'a>(&self, data: &'a [u8]) -> Result<(HashId, SignInput<'a>)> {
        let hash = self.hash_id()?;
        if !self.prehashed {
            return Ok((hash, SignInput::Message(data)));
        }
        if data.len() != hash.digest_size() {
            return Err(Error::invalid(format!(
                "a prehashed {} digest must be {}, got {}",
                hash.name(),
                Bytes(hash.digest_size()),
                Bytes(data.len())
            )));
        }
        Ok((hash, SignInput::Digest(data)))
    }
}

impl fmt::Debug for SignatureHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prehashed {
            write!(f, "Prehashed({})", self.algorithm.name())
        } else {
            f.write_str(self.algorithm.name())
        }
    }
}

impl<H: HashAlgorithm> From<H> for SignatureHash {
    fn from(algorithm: H) -> Self {
        SignatureHash {
            algorithm: Arc::new(algorithm),
            prehashed: false,
        }
    }
}

impl<H: HashAlgorithm> From<Prehashed<H>> for SignatureHash {
    fn from(prehashed: Prehashed<H>) -> Self {
        SignatureHash {
            algorithm: Arc::new(prehashed.0),
            prehashed: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazmat::primitives::hashes::{Sha256, Shake128};

    #[test]
    fn a_prehashed_digest_must_have_the_hash_length() {
        let hash: SignatureHash = Prehashed(Sha256).into();
        assert_eq!(
            hash.resolve(&[0; 31]).unwrap_err().to_string(),
            "a prehashed sha256 digest must be 32 bytes, got 31 bytes"
        );
        assert_eq!(
            hash.resolve(&[7; 32]).unwrap(),
            (HashId::Sha256, SignInput::Digest(&[7; 32]))
        );
        let plain: SignatureHash = Sha256.into();
        assert_eq!(
            plain.resolve(b"abc").unwrap(),
            (HashId::Sha256, SignInput::Message(b"abc"))
        );
    }

    #[test]
    fn an_xof_is_not_a_signature_hash() {
        let hash: SignatureHash = Shake128::new(32).expect("a valid XOF length").into();
        assert!(hash.hash_id().unwrap_err().is_unsupported());
    }
}
