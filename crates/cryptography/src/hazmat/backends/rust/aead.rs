//! One-shot AEADs on the rust backend.

use crate::hazmat::backends::interfaces::AeadBackend;

use super::RustBackend;

impl AeadBackend for RustBackend {}
