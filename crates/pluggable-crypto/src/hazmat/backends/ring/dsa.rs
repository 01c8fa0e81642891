//! DSA on the ring backend: not offered. ring has no DSA (it signs and verifies RSA, ECDSA and
//! Ed25519 only), so `dsa_supported` is false and every DSA request here is
//! `UnsupportedAlgorithm` (the trait's defaults).

use super::RingBackend;
use crate::hazmat::backends::DsaBackend;

impl DsaBackend for RingBackend {}
