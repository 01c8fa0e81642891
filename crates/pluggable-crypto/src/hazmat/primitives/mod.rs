//! Primitive descriptors (algorithms, modes, hash functions) and the contexts that use them.
//!
//! All key, IV, nonce and tag-length rules are checked here, once, before any backend is asked
//! to do work.

pub mod aead;
pub mod asymmetric;
pub mod ciphers;
pub mod cmac;
pub mod hashes;
pub mod hmac;
pub mod kdf;
pub mod keywrap;
pub mod padding;
pub mod poly1305;
pub mod serialization;
pub mod twofactor;
pub(crate) mod unsupported;
