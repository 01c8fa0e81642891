//! The ring backend: ring's one-shot AES-GCM and ChaCha20-Poly1305, its hashes and HMAC.
//!
//! ring has no streaming ciphers, CMAC or Poly1305 interface; those requests are
//! `UnsupportedAlgorithm` here and a [`MultiBackend`](super::multi::MultiBackend) passes them
//! to the next member.

use std::sync::{Arc, OnceLock};

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::interfaces::{
    unsupported_cipher, unsupported_hash, unsupported_hmac, AeadBackend, Backend, CipherAdapter,
    CipherBackend, CipherPair, CipherSupport, CmacBackend, HashBackend, HashContext, HmacBackend,
    HmacContext, Poly1305Backend, SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;

mod kdf;

/// The ring backend.
#[derive(Debug, Default)]
pub struct RingBackend {
    _private: (),
}

/// The process-wide ring backend.
pub fn backend() -> Arc<RingBackend> {
    static BACKEND: OnceLock<Arc<RingBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| Arc::new(RingBackend { _private: () }))
        .clone()
}

impl CipherBackend for RingBackend {
    fn cipher_supported(&self, _cipher: &dyn CipherAlgorithm, _mode: Option<&dyn Mode>) -> bool {
        false
    }

    fn register_cipher_adapter(
        &self,
        _pair: CipherPair,
        _adapter: Arc<dyn CipherAdapter>,
    ) -> Result<()> {
        Err(Error::unsupported(
            Reason::BackendMissingInterface,
            "the ring backend has no streaming ciphers to register an adapter with",
        ))
    }

    fn create_symmetric_encryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        Err(unsupported_cipher(self.name(), cipher, mode))
    }

    fn create_symmetric_decryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        Err(unsupported_cipher(self.name(), cipher, mode))
    }

    fn supported_ciphers(&self) -> Vec<CipherSupport> {
        Vec::new()
    }
}

impl HashBackend for RingBackend {
    fn hash_supported(&self, _algorithm: &dyn HashAlgorithm) -> bool {
        false
    }

    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        Err(unsupported_hash(self.name(), algorithm))
    }

    fn supported_hashes(&self) -> Vec<String> {
        Vec::new()
    }
}

impl HmacBackend for RingBackend {
    fn hmac_supported(&self, _algorithm: &dyn HashAlgorithm) -> bool {
        false
    }

    fn create_hmac_ctx(
        &self,
        _key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>> {
        Err(unsupported_hmac(self.name(), algorithm))
    }

    fn supported_hmacs(&self) -> Vec<String> {
        Vec::new()
    }
}

impl AeadBackend for RingBackend {}

impl CmacBackend for RingBackend {}

impl Poly1305Backend for RingBackend {}

impl Backend for RingBackend {
    fn name(&self) -> &str {
        "ring"
    }

    fn description(&self) -> String {
        "ring 0.17".to_owned()
    }
}
