//! Finite-field Diffie-Hellman on the ring backend: not offered. ring has no finite-field DH
//! (its agreement module is X25519 and ECDH over P-256/P-384 only), so `dh_supported` is false
//! and every DH request here is `UnsupportedAlgorithm` (the trait's defaults).

use super::RingBackend;
use crate::hazmat::backends::DhBackend;

impl DhBackend for RingBackend {}
