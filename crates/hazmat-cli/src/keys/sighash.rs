//! The hashes of signatures and RSA-OAEP, chosen by name. The library's signature, MGF1 and
//! OAEP types take a concrete hash type (`Prehashed(Sha256)`, `Mgf1::new(Sha256)`), so a name
//! is resolved here to every form a command needs.

use std::sync::Arc;

use pluggable_crypto::hazmat::primitives::asymmetric::padding::{Mgf1, Oaep};
use pluggable_crypto::hazmat::primitives::asymmetric::{HashId, Prehashed, SignatureHash};
use pluggable_crypto::hazmat::primitives::hashes::{self, algorithm_by_name, HashAlgorithm};

use crate::common::Failure;

/// The hashes signatures and OAEP take, as `--hash` spells them.
pub(crate) const HASH_NAMES: &str = "sha256 (default), sha224, sha384, sha512, sha512-224, \
     sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, sha1 (legacy)";

/// One hash in every form a signature or OAEP takes.
#[derive(Clone)]
pub(crate) struct SigHash {
    /// The hash, for streaming a file through `hashes::Hash`.
    pub(crate) algorithm: Arc<dyn HashAlgorithm>,
    /// The digest size in bytes.
    pub(crate) digest_size: usize,
    /// The data given is the digest.
    pub(crate) prehashed: SignatureHash,
    /// The data given is the message.
    pub(crate) message: SignatureHash,
    /// MGF1 over the hash.
    pub(crate) mgf1: Mgf1,
    /// OAEP with the hash and MGF1 over it, no label.
    pub(crate) oaep: Oaep,
}

macro_rules! forms {
    ($id:expr, $algorithm:expr, $($Id:ident => $Type:ident),* $(,)?) => {
        match $id {
            $(HashId::$Id => SigHash {
                algorithm: $algorithm,
                digest_size: $id.digest_size(),
                prehashed: Prehashed(hashes::$Type).into(),
                message: hashes::$Type.into(),
                mgf1: Mgf1::new(hashes::$Type),
                oaep: Oaep::new(Mgf1::new(hashes::$Type), hashes::$Type, None),
            },)*
            other => {
                return Err(Failure::usage(format!(
                    "--hash {}: not offered here (use one of {HASH_NAMES})",
                    other.name()
                )))
            }
        }
    };
}

impl SigHash {
    /// The hash `name` (`sha256`, `SHA-256`, `sha3-512`...).
    pub(crate) fn named(name: &str) -> Result<Self, Failure> {
        let normalized = match name.to_ascii_lowercase().as_str() {
            "sha-1" => "sha1".to_owned(),
            "sha-224" => "sha224".to_owned(),
            "sha-256" => "sha256".to_owned(),
            "sha-384" => "sha384".to_owned(),
            "sha-512" => "sha512".to_owned(),
            "sha512/224" | "sha-512/224" => "sha512-224".to_owned(),
            "sha512/256" | "sha-512/256" => "sha512-256".to_owned(),
            other => other.to_owned(),
        };
        let unknown = || {
            Failure::usage(format!(
                "--hash {name}: signatures and OAEP take one of {HASH_NAMES}"
            ))
        };
        let algorithm = algorithm_by_name(&normalized, None).map_err(|_| unknown())?;
        let id = HashId::of(&*algorithm).map_err(|_| unknown())?;
        Ok(forms!(id, algorithm,
            Sha1 => Sha1,
            Sha224 => Sha224,
            Sha256 => Sha256,
            Sha384 => Sha384,
            Sha512 => Sha512,
            Sha512_224 => Sha512_224,
            Sha512_256 => Sha512_256,
            Sha3_224 => Sha3_224,
            Sha3_256 => Sha3_256,
            Sha3_384 => Sha3_384,
            Sha3_512 => Sha3_512,
        ))
    }

    /// The name (`sha256`).
    pub(crate) fn name(&self) -> &'static str {
        self.algorithm.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_every_form() {
        for name in ["sha256", "SHA-256", "sha3-512", "sha512/256", "sha1"] {
            let hash = SigHash::named(name).unwrap();
            assert!(hash.prehashed.is_prehashed() && !hash.message.is_prehashed());
            assert_eq!(hash.mgf1.algorithm().name(), hash.name());
            assert_eq!(hash.oaep.algorithm().name(), hash.name());
            assert_eq!(hash.digest_size, hash.algorithm.digest_size());
        }
        for bad in ["md5", "blake2b", "shake128", "nope"] {
            let err = SigHash::named(bad).err().unwrap();
            assert!(err.message.contains("sha256 (default)"), "{}", err.message);
        }
    }
}
