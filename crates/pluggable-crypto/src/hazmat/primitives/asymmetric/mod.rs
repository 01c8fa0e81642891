//! Public-key cryptography (pyca's `cryptography.hazmat.primitives.asymmetric`): RSA,
//! elliptic curves (ECDSA, ECDH), Ed25519/Ed448, X25519/X448, DSA and finite-field DH.
//!
//! Keys are built by generation, from numbers, or from raw bytes, on the default backend or
//! one you choose; every key carries the backend that holds it (`backend_name()`), and its
//! operations run there. Rules (exponents, sizes, salt lengths, OAEP limits, curve/hash
//! compatibility, raw lengths, point encodings) are checked here, once, for every backend.
//!
//! The descriptor modules ([`curves`], [`hash_id`], [`scheme`], [`components`], [`integer`])
//! hold data only and know no backend.

pub mod components;
pub mod curves;
pub mod dh;
pub mod dsa;
pub mod ec;
pub mod ed25519;
pub mod ed448;
mod edwards;
pub(crate) mod ffc;
pub mod hash_id;
pub mod integer;
mod montgomery;
pub mod padding;
pub mod rsa;
pub mod scheme;
pub mod utils;
pub mod x25519;
pub mod x448;

pub use curves::{EdwardsCurve, EllipticCurve, MontgomeryCurve};
pub use hash_id::HashId;
pub use integer::BigUint;
pub use scheme::SignatureNonce;
pub use utils::{Prehashed, SignatureHash};
