//! DSA on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::DsaBackend;

impl DsaBackend for OpenSslBackend {}
