//! PBKDF2-HMAC on `ring::pbkdf2` (over SHA-1, SHA-256, SHA-384 and SHA-512). ring has no
//! scrypt or Argon2; those requests keep the interface's "unsupported" defaults.

use std::any::{Any, TypeId};
use std::num::NonZeroU32;

use ring::pbkdf2;

use super::RingBackend;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{Backend, KdfBackend};
use crate::hazmat::primitives::hashes::{HashAlgorithm, Sha1, Sha256, Sha384, Sha512};
use crate::hazmat::primitives::unsupported::unsupported_pbkdf2_hmac;

/// ring's PBKDF2 by our hash type: (type, name, algorithm, digest size in bytes).
fn table() -> [(TypeId, &'static str, pbkdf2::Algorithm, usize); 4] {
    [
        (TypeId::of::<Sha1>(), "sha1", pbkdf2::PBKDF2_HMAC_SHA1, 20),
        (
            TypeId::of::<Sha256>(),
            "sha256",
            pbkdf2::PBKDF2_HMAC_SHA256,
            32,
        ),
        (
            TypeId::of::<Sha384>(),
            "sha384",
            pbkdf2::PBKDF2_HMAC_SHA384,
            48,
        ),
        (
            TypeId::of::<Sha512>(),
            "sha512",
            pbkdf2::PBKDF2_HMAC_SHA512,
            64,
        ),
    ]
}

fn entry(algorithm: &dyn HashAlgorithm) -> Option<(pbkdf2::Algorithm, usize)> {
    let id = (algorithm as &dyn Any).type_id();
    table()
        .into_iter()
        .find(|(t, ..)| *t == id)
        .map(|(_, _, a, size)| (a, size))
}

impl KdfBackend for RingBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        entry(algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        let (prf, digest_size) =
            entry(algorithm).ok_or_else(|| unsupported_pbkdf2_hmac(self.name(), algorithm))?;
        let iterations = NonZeroU32::new(iterations)
            .ok_or_else(|| Error::invalid("PBKDF2 iterations must be at least 1, got 0"))?;
        // ring panics past RFC 8018's dkLen limit; the primitive rejects that length first, and
        // this keeps the backend panic-free on its own.
        let max = u64::from(u32::MAX).saturating_mul(digest_size as u64);
        if out.len() as u64 > max {
            return Err(Error::invalid(format!(
                "PBKDF2 cannot derive more than (2^32 - 1) x {digest_size} bytes, asked for {}",
                out.len()
            )));
        }
        pbkdf2::derive(prf, iterations, salt, key_material, out);
        Ok(())
    }

    fn supported_kdfs(&self) -> Vec<String> {
        table()
            .iter()
            .map(|(_, name, ..)| format!("pbkdf2-hmac-{name}"))
            .collect()
    }
}
