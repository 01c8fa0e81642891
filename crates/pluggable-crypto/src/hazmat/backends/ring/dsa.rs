//! DSA on the ring backend.

use super::RingBackend;
use crate::hazmat::backends::DsaBackend;

impl DsaBackend for RingBackend {}
