//! finite-field Diffie-Hellman on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::DhBackend;

impl DhBackend for OpenSslBackend {}
