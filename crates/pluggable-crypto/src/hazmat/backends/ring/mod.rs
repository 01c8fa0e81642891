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

use std::sync::{Arc, OnceLock};

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::registry::digest_backend_via_registry;
use crate::hazmat::backends::{
    Backend, CipherAdapter, CipherBackend, CipherPair, CipherSupport, CmacBackend, Poly1305Backend,
    SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::unsupported::unsupported_cipher;

mod aead;
mod dh;
mod digest;
mod dsa;
mod ec;
mod eddsa;
mod kdf;
mod rsa;
mod xdh;

use digest::Digests;

/// The ring backend. Get the shared instance with [`backend`].
pub struct RingBackend {
    hashes: Digests,
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

digest_backend_via_registry!(RingBackend);

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
