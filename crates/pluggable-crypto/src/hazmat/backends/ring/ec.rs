//! ECDSA and ECDH on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::EllipticCurveBackend;

impl EllipticCurveBackend for RingBackend {}
