//! Ed25519 and Ed448 on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::EdDsaBackend;

impl EdDsaBackend for RustBackend {}
