#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(not(any(feature = "openssl", feature = "rust", feature = "ring")))]
compile_error!(
    "pluggable-crypto needs at least one backend feature: enable `openssl`, `rust` and/or `ring`"
);

pub mod constant_time;
pub mod exceptions;
pub mod fernet;
pub mod hazmat;

pub use exceptions::{Error, Reason, Result};
