//! Hashes and HMAC on ring's `digest` and `hmac` modules.

use std::any::TypeId;

use ring::{digest, hmac};

use crate::exceptions::Result;
use crate::hazmat::backends::registry::{DigestEntry, DigestRegistry, HashFactory, HmacFactory};
use crate::hazmat::backends::{HashContext, HmacContext};
use crate::hazmat::primitives::hashes::{HashAlgorithm, Sha1, Sha256, Sha384, Sha512, Sha512_256};

/// ring's hashes and HMACs by our hash type.
pub(super) type Digests = DigestRegistry<&'static digest::Algorithm, hmac::Algorithm>;

impl HashFactory for &'static digest::Algorithm {
    fn create_hash(&self, _algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(RingHash(digest::Context::new(self))))
    }
}

impl HmacFactory for hmac::Algorithm {
    fn create_hmac(&self, key: &[u8]) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(RingHmac(hmac::Context::with_key(
            &hmac::Key::new(*self, key),
        ))))
    }
}

/// Every hash ring has that our `hashes` module defines (ring has no SHA-224 or SHA-512/224,
/// and no HMAC over SHA-512/256).
pub(super) fn hash_table() -> Digests {
    macro_rules! entry {
        ($ty:ty, $name:literal, $digest:expr, $hmac:expr) => {
            (
                TypeId::of::<$ty>(),
                DigestEntry::new($name, &$digest, $hmac),
            )
        };
    }
    DigestRegistry::new([
        entry!(
            Sha1,
            "sha1",
            digest::SHA1_FOR_LEGACY_USE_ONLY,
            Some(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY)
        ),
        entry!(Sha256, "sha256", digest::SHA256, Some(hmac::HMAC_SHA256)),
        entry!(Sha384, "sha384", digest::SHA384, Some(hmac::HMAC_SHA384)),
        entry!(Sha512, "sha512", digest::SHA512, Some(hmac::HMAC_SHA512)),
        entry!(Sha512_256, "sha512-256", digest::SHA512_256, None),
    ])
}

/// A hash state; `copy` is ring's `Clone`.
struct RingHash(digest::Context);

/// An HMAC state; `copy` is ring's `Clone`.
struct RingHmac(hmac::Context);

impl HashContext for RingHash {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.0.update(data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(RingHash(self.0.clone())))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        Ok(self.0.finish().as_ref().to_vec())
    }
}

impl HmacContext for RingHmac {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.0.update(data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(RingHmac(self.0.clone())))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        Ok(self.0.sign().as_ref().to_vec())
    }
}
