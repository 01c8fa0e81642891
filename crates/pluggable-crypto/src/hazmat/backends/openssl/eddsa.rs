//! Ed25519 and Ed448 on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::EdDsaBackend;

impl EdDsaBackend for OpenSslBackend {}
