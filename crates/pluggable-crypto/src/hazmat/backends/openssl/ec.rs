//! ECDSA and ECDH on the OpenSSL backend.

use super::OpenSslBackend;
use crate::hazmat::backends::EllipticCurveBackend;

impl EllipticCurveBackend for OpenSslBackend {}
