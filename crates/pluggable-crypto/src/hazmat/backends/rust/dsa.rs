//! DSA on the Rust backend.

use super::RustBackend;
use crate::hazmat::backends::DsaBackend;

impl DsaBackend for RustBackend {}
