//! X25519 and X448 on the ring backend: not offered (`UnsupportedAlgorithm`).
//!
//! ring has no X448. Its X25519 (`ring::agreement`) takes only an `EphemeralPrivateKey`: it is
//! generated inside ring, cannot be built from given bytes nor exported, and is consumed by
//! its one `agree_ephemeral`. The API here needs stored keys (`from_private_bytes`,
//! `private_bytes_raw`, and more than one `exchange` per key), so no faithful mapping exists;
//! a [`MultiBackend`](crate::hazmat::backends::multi::MultiBackend) serves XDH from its other
//! members.

use super::RingBackend;
use crate::hazmat::backends::XdhBackend;

impl XdhBackend for RingBackend {}
