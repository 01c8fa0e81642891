//! Ed25519 and Ed448 on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::EdDsaBackend;

impl EdDsaBackend for RingBackend {}
