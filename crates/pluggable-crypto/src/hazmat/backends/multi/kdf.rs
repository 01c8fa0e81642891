//! PBKDF2-HMAC, scrypt and Argon2 on a multi-backend.

use std::sync::Arc;

use super::{sorted_set, type_of, MultiBackend, Route};
use crate::exceptions::Result;
use crate::hazmat::backends::{Backend, KdfBackend};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{
    unsupported_argon2, unsupported_pbkdf2_hmac, unsupported_scrypt,
};

impl MultiBackend {
    /// The member that serves PBKDF2-HMAC over `algorithm` first, if any.
    pub fn backend_for_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
    ) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Pbkdf2Hmac(type_of(algorithm)), |m| {
            m.pbkdf2_hmac_supported(algorithm)
        })
    }

    /// The member that serves scrypt first, if any.
    pub fn backend_for_scrypt(&self) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Scrypt, |m| m.scrypt_supported())
    }

    /// The member that serves Argon2 `variant` first, if any. (A member may still decline one
    /// request's parameters; the next member then serves it.)
    pub fn backend_for_argon2(&self, variant: Argon2Variant) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Argon2(variant), |m| m.argon2_supported(variant))
    }
}

impl KdfBackend for MultiBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_pbkdf2_hmac(algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        self.route(
            Route::Pbkdf2Hmac(type_of(algorithm)),
            |me| unsupported_pbkdf2_hmac(me, algorithm),
            |m| m.derive_pbkdf2_hmac(algorithm, key_material, salt, iterations, &mut *out),
        )
    }

    fn scrypt_supported(&self) -> bool {
        self.backend_for_scrypt().is_some()
    }

    fn derive_scrypt(
        &self,
        key_material: &[u8],
        salt: &[u8],
        n: u64,
        r: u32,
        p: u32,
        out: &mut [u8],
    ) -> Result<()> {
        self.route(Route::Scrypt, unsupported_scrypt, |m| {
            m.derive_scrypt(key_material, salt, n, r, p, &mut *out)
        })
    }

    fn argon2_supported(&self, variant: Argon2Variant) -> bool {
        self.backend_for_argon2(variant).is_some()
    }

    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        key_material: &[u8],
        params: &Argon2Params<'_>,
        out: &mut [u8],
    ) -> Result<()> {
        self.route(
            Route::Argon2(variant),
            |me| unsupported_argon2(me, variant),
            |m| m.derive_argon2(variant, key_material, params, &mut *out),
        )
    }

    /// The union of the members' lists, sorted.
    fn supported_kdfs(&self) -> Vec<String> {
        sorted_set(
            self.members
                .iter()
                .flat_map(|m| m.supported_kdfs())
                .collect(),
        )
    }
}
