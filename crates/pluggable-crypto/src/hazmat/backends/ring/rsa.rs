//! RSA on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::RsaBackend;

impl RsaBackend for RingBackend {}
