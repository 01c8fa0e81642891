//! RSA on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::RsaBackend;

impl RsaBackend for RustBackend {}
