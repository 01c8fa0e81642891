//! X25519 and X448 on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::XdhBackend;

impl XdhBackend for OpenSslBackend {}
