//! Hashes and HMAC on a multi-backend.

use std::sync::Arc;

use super::{type_of, MultiBackend, Route};
use crate::exceptions::Result;
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::backends::{Backend, HashBackend, HashContext, HmacBackend, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::unsupported::{unsupported_hash, unsupported_hmac};

impl MultiBackend {
    /// The member that serves `algorithm`, if any.
    pub fn backend_for_hash(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Hash(type_of(algorithm)), |m| {
            m.hash_supported(algorithm)
        })
    }

    /// The member that serves HMAC over `algorithm`, if any.
    pub fn backend_for_hmac(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Hmac(type_of(algorithm)), |m| {
            m.hmac_supported(algorithm)
        })
    }

    /// The union of the members' hash-name lists, in canonical order.
    fn union_of_names(&self, list: impl Fn(&dyn Backend) -> Vec<String>) -> Vec<String> {
        let all: Vec<String> = self.members.iter().flat_map(|m| list(&**m)).collect();
        let mut names = sorted_hash_names(all.iter().map(String::as_str));
        names.dedup();
        names
    }
}

impl HashBackend for MultiBackend {
    fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_hash(algorithm).is_some()
    }

    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        self.route(
            Route::Hash(type_of(algorithm)),
            |me| unsupported_hash(me, algorithm),
            |m| m.create_hash_ctx(algorithm),
        )
    }

    fn supported_hashes(&self) -> Vec<String> {
        self.union_of_names(|m| m.supported_hashes())
    }
}

impl HmacBackend for MultiBackend {
    fn hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_hmac(algorithm).is_some()
    }

    fn create_hmac_ctx(
        &self,
        key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>> {
        self.route(
            Route::Hmac(type_of(algorithm)),
            |me| unsupported_hmac(me, algorithm),
            |m| m.create_hmac_ctx(key, algorithm),
        )
    }

    fn supported_hmacs(&self) -> Vec<String> {
        self.union_of_names(|m| m.supported_hmacs())
    }
}
