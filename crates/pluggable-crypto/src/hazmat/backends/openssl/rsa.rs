//! RSA on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::RsaBackend;

impl RsaBackend for OpenSslBackend {}
