//! CMAC and Poly1305 on a multi-backend.

use std::sync::Arc;

use super::{type_of, union_of_supports, MultiBackend, Route};
use crate::exceptions::Result;
use crate::hazmat::backends::{Backend, CipherSupport, CmacBackend, MacContext, Poly1305Backend};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::unsupported::{unsupported_cmac, unsupported_poly1305};

impl MultiBackend {
    /// The member that serves CMAC over `algorithm`, if any.
    pub fn backend_for_cmac(&self, algorithm: &dyn CipherAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Cmac(type_of(algorithm)), |m| {
            m.cmac_algorithm_supported(algorithm)
        })
    }

    /// The member that serves Poly1305, if any.
    pub fn backend_for_poly1305(&self) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Poly1305, |m| m.poly1305_supported())
    }
}

impl CmacBackend for MultiBackend {
    fn cmac_algorithm_supported(&self, algorithm: &dyn CipherAlgorithm) -> bool {
        self.backend_for_cmac(algorithm).is_some()
    }

    fn create_cmac_ctx(&self, algorithm: &dyn CipherAlgorithm) -> Result<Box<dyn MacContext>> {
        self.route(
            Route::Cmac(type_of(algorithm)),
            |me| unsupported_cmac(me, algorithm),
            |m| m.create_cmac_ctx(algorithm),
        )
    }

    fn supported_cmacs(&self) -> Vec<CipherSupport> {
        union_of_supports(self.members.iter().map(|m| m.supported_cmacs()))
    }
}

impl Poly1305Backend for MultiBackend {
    fn poly1305_supported(&self) -> bool {
        self.backend_for_poly1305().is_some()
    }

    fn create_poly1305_ctx(&self, key: &[u8]) -> Result<Box<dyn MacContext>> {
        self.route(Route::Poly1305, unsupported_poly1305, |m| {
            m.create_poly1305_ctx(key)
        })
    }
}
