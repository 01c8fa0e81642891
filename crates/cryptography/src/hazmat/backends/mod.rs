//! Backends: the libraries that do the work, behind one set of interfaces.
//!
//! [`default_backend`] is what the primitives use unless given another; every primitive also
//! takes an explicit backend (`Cipher::with_backend`, `Hash::with_backend`, ...).
//!
//! - [`openssl`]: the system libcrypto through `openssl-sys` (feature `openssl`).

use std::sync::{Arc, OnceLock};

pub mod interfaces;
#[cfg(feature = "openssl")]
pub mod openssl;

pub use interfaces::{
    Backend, CipherAdapter, CipherBackend, CipherPair, CipherSupport, Direction, HashBackend,
    HashContext, HmacBackend, HmacContext, SymmetricContext,
};

/// The process-wide default backend. Never panics; built on first use.
///
/// ```
/// use cryptography::hazmat::backends::default_backend;
/// use cryptography::hazmat::primitives::hashes::Sha256;
///
/// assert!(default_backend().hash_supported(&Sha256));
/// ```
pub fn default_backend() -> Arc<dyn Backend> {
    static DEFAULT: OnceLock<Arc<dyn Backend>> = OnceLock::new();
    DEFAULT.get_or_init(build_default).clone()
}

fn build_default() -> Arc<dyn Backend> {
    openssl::backend()
}

/// Every backend compiled into this build, in the default's order of preference.
pub fn available_backends() -> Vec<Arc<dyn Backend>> {
    vec![openssl::backend()]
}
