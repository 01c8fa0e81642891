//! Streaming ciphers on a multi-backend.

use std::sync::Arc;

use super::{type_of, union_of_supports, MultiBackend, Route};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{
    Backend, CipherAdapter, CipherBackend, CipherPair, CipherSupport, SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::unsupported::unsupported_cipher;

fn route(cipher: &dyn CipherAlgorithm, mode: Option<&dyn Mode>) -> Route {
    Route::Cipher(type_of(cipher), mode.map(|m| type_of(m)))
}

impl MultiBackend {
    /// The member that serves `cipher` in `mode`, if any.
    pub fn backend_for_cipher(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Option<&Arc<dyn Backend>> {
        self.serving(route(cipher, mode), |m| m.cipher_supported(cipher, mode))
    }
}

impl CipherBackend for MultiBackend {
    fn cipher_supported(&self, cipher: &dyn CipherAlgorithm, mode: Option<&dyn Mode>) -> bool {
        self.backend_for_cipher(cipher, mode).is_some()
    }

    /// Registers the pair with the first member (the one requests try first).
    fn register_cipher_adapter(
        &self,
        pair: CipherPair,
        adapter: Arc<dyn CipherAdapter>,
    ) -> Result<()> {
        self.check_configured()?;
        match self.members.first() {
            Some(member) => member.register_cipher_adapter(pair, adapter),
            None => Err(Error::unsupported(
                Reason::BackendMissingInterface,
                "the multi-backend has no members to register a cipher adapter with",
            )),
        }
    }

    fn create_symmetric_encryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        self.route(
            route(cipher, mode),
            |me| unsupported_cipher(me, cipher, mode),
            |m| m.create_symmetric_encryption_ctx(cipher, mode),
        )
    }

    fn create_symmetric_decryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        self.route(
            route(cipher, mode),
            |me| unsupported_cipher(me, cipher, mode),
            |m| m.create_symmetric_decryption_ctx(cipher, mode),
        )
    }

    /// The union of the members' pairs, with the union of their key sizes.
    fn supported_ciphers(&self) -> Vec<CipherSupport> {
        union_of_supports(self.members.iter().map(|m| m.supported_ciphers()))
    }
}
