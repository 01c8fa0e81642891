//! The ring backend: ring's one-shot AES-GCM and ChaCha20-Poly1305, its hashes, HMAC and
//! PBKDF2.
//!
//! | family | what ring serves |
//! |---|---|
//! | hashes | SHA-1, SHA-256, SHA-384, SHA-512, SHA-512/256 |
//! | HMAC | over SHA-1, SHA-256, SHA-384, SHA-512 |
//! | one-shot AEADs | AES-GCM with 128- and 256-bit keys, ChaCha20-Poly1305; 12-byte nonces and 16-byte tags only |
//! | KDFs | PBKDF2 with HMAC over SHA-1, SHA-256, SHA-384, SHA-512 |
//!
//! ring has no streaming ciphers, CMAC, Poly1305, scrypt or Argon2, no AES-192 and no GCM nonce
//! other than 96 bits; those requests are `UnsupportedAlgorithm` and a
//! [`MultiBackend`](super::multi::MultiBackend) passes them to the next member (for an AEAD
//! nonce, message by message).
//!
//! ring keeps its key schedules in its own types and does not wipe them on drop.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::ring;
//! use pluggable_crypto::hazmat::primitives::aead::ChaCha20Poly1305;
//!
//! let aead = ChaCha20Poly1305::with_backend(&[7; 32], ring::backend())?;
//! let sealed = aead.encrypt(&[0; 12], b"payload", b"header")?;
//! assert_eq!(aead.decrypt(&[0; 12], &sealed, b"header")?, b"payload");
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::any::Any;
use std::sync::{Arc, OnceLock};

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::backends::{
    Backend, CipherAdapter, CipherBackend, CipherPair, CipherSupport, CmacBackend, HashBackend,
    HashContext, HmacBackend, HmacContext, Poly1305Backend, SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::unsupported::{
    unsupported_cipher, unsupported_hash, unsupported_hmac,
};

mod aead;
mod digest;
mod kdf;

use digest::HashEntry;

/// The ring backend. Get the shared instance with [`backend`].
pub struct RingBackend {
    hashes: Vec<HashEntry>,
}

impl std::fmt::Debug for RingBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RingBackend").finish_non_exhaustive()
    }
}

/// The process-wide ring backend.
pub fn backend() -> Arc<dyn Backend> {
    static BACKEND: OnceLock<Arc<RingBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            Arc::new(RingBackend {
                hashes: digest::hash_table(),
            })
        })
        .clone()
}

impl RingBackend {
    fn hash_entry(&self, algorithm: &dyn HashAlgorithm) -> Option<&HashEntry> {
        let id = (algorithm as &dyn Any).type_id();
        self.hashes.iter().find(|e| e.id == id)
    }
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
    fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.hash_entry(algorithm).is_some()
    }

    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        let entry = self
            .hash_entry(algorithm)
            .ok_or_else(|| unsupported_hash(self.name(), algorithm))?;
        Ok(digest::hash(entry.digest))
    }

    fn supported_hashes(&self) -> Vec<String> {
        sorted_hash_names(self.hashes.iter().map(|e| e.name))
    }
}

impl HmacBackend for RingBackend {
    fn hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.hash_entry(algorithm).is_some_and(|e| e.hmac.is_some())
    }

    fn create_hmac_ctx(
        &self,
        key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>> {
        let hmac = self
            .hash_entry(algorithm)
            .and_then(|e| e.hmac)
            .ok_or_else(|| unsupported_hmac(self.name(), algorithm))?;
        Ok(digest::hmac(hmac, key))
    }

    fn supported_hmacs(&self) -> Vec<String> {
        sorted_hash_names(
            self.hashes
                .iter()
                .filter(|e| e.hmac.is_some())
                .map(|e| e.name),
        )
    }
}

impl CmacBackend for RingBackend {}

impl Poly1305Backend for RingBackend {}

impl Backend for RingBackend {
    fn name(&self) -> &str {
        "ring"
    }

    fn description(&self) -> String {
        "ring 0.17 (one-shot AES-GCM and ChaCha20-Poly1305, SHA-1/SHA-2, HMAC)".to_owned()
    }
}
