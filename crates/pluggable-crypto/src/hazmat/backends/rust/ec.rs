//! ECDSA and ECDH on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::EllipticCurveBackend;

impl EllipticCurveBackend for RustBackend {}
