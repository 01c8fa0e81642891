//! finite-field Diffie-Hellman on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::DhBackend;

impl DhBackend for RustBackend {}
