//! finite-field Diffie-Hellman on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::DhBackend;

impl DhBackend for RingBackend {}
