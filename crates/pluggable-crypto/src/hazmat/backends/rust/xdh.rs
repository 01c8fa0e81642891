//! X25519 and X448 on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::XdhBackend;

impl XdhBackend for RustBackend {}
