//! The "hazardous materials" layer: low-level primitives and the backends that run them.
//!
//! Everything here is easy to misuse (a repeated nonce, an unauthenticated mode, a legacy
//! cipher). It is the layer higher-level recipes are built on; reach for it knowingly.

pub mod backends;
pub mod primitives;
