//! CMAC and Poly1305 on the openssl backend.

use crate::hazmat::backends::interfaces::{CmacBackend, Poly1305Backend};

use super::OpenSslBackend;

impl CmacBackend for OpenSslBackend {}

impl Poly1305Backend for OpenSslBackend {}
