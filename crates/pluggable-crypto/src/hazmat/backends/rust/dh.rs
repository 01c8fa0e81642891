//! Finite-field Diffie-Hellman on the Rust backend: not offered. RustCrypto has no maintained
//! finite-field DH crate, so `dh_supported` is false and every DH request here is
//! `UnsupportedAlgorithm` (the trait's defaults); the OpenSSL backend serves DH.

use super::RustBackend;
use crate::hazmat::backends::DhBackend;

impl DhBackend for RustBackend {}
