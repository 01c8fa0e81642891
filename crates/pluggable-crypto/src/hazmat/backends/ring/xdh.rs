//! X25519 and X448 on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::XdhBackend;

impl XdhBackend for RingBackend {}
