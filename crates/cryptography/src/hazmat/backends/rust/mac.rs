//! CMAC and Poly1305 on the rust backend.

use crate::hazmat::backends::interfaces::{CmacBackend, Poly1305Backend};

use super::RustBackend;

impl CmacBackend for RustBackend {}

impl Poly1305Backend for RustBackend {}
