#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(not(any(feature = "openssl", feature = "rust", feature = "ring")))]
compile_error!(
    "pluggable-crypto needs at least one backend feature: enable `openssl`, `rust` and/or `ring`"
);

pub mod constant_time;
mod exceptions;
pub mod fernet;
pub mod hazmat;
pub mod random;

pub use exceptions::{Error, KeyRejected, KeyRejectedKind, Reason, Result};

pub mod prelude {
    //! The traits whose methods the library's types are used through, to bring into scope at once:
    //! `use pluggable_crypto::prelude::*;`.
    //!
    //! Only traits are here (no types, no `Result` that would shadow the standard one), so the glob
    //! import cannot clash with your own names. A method needs its trait in scope when it is
    //! called on a concrete type: [`KeyDerivationFunction::derive`] on an `Hkdf`,
    //! [`HashAlgorithm::digest_size`] on `Sha256`, [`CipherAlgorithm::key_size`] on an `Aes`,
    //! [`Mode::name`] on a `Gcm`, and the backend interfaces' methods on a concrete backend type
    //! (through `Arc<dyn Backend>` they are available without an import).
    //!
    //! ```
    //! use pluggable_crypto::prelude::*;
    //! use pluggable_crypto::hazmat::backends::default_backend;
    //! use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::Gcm};
    //! use pluggable_crypto::hazmat::primitives::hashes::Sha256;
    //! use pluggable_crypto::hazmat::primitives::kdf::hkdf::Hkdf;
    //!
    //! let key = Hkdf::new(Sha256, 32, Some(b"salt"), Some(b"context"))?.derive(b"secret")?;
    //! assert_eq!(Sha256.digest_size(), 32);
    //! assert_eq!(Aes::new(&key)?.key_size(), 256);
    //! assert_eq!(Gcm::new(&[0; 12])?.name(), "GCM");
    //! assert!(default_backend().hash_supported(&Sha256));
    //! # Ok::<(), pluggable_crypto::Error>(())
    //! ```

    pub use crate::hazmat::backends::{
        AeadBackend, Backend, CipherBackend, CmacBackend, HashBackend, HmacBackend, KdfBackend,
        Poly1305Backend,
    };
    pub use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
    pub use crate::hazmat::primitives::ciphers::modes::{Mode, ModeWithAuthenticationTag};
    pub use crate::hazmat::primitives::hashes::HashAlgorithm;
    pub use crate::hazmat::primitives::kdf::KeyDerivationFunction;
}
