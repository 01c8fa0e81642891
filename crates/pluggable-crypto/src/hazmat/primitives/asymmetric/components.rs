//! Key components as they cross into a backend: unsigned big-endian integers (no sign, no
//! leading zero bytes, zero as one 0x00 byte) and raw byte strings. The primitives layer owns
//! the number types and the rules; a backend sees only bytes it can hand to its library.
//! Secret components are zeroized on drop and never printed by `Debug`.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// An RSA public key: modulus and public exponent.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RsaPublicComponents {
    /// The modulus n.
    pub n: Vec<u8>,
    /// The public exponent e.
    pub e: Vec<u8>,
}

/// An RSA private key with its CRT components.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct RsaPrivateComponents {
    /// The modulus n.
    pub n: Vec<u8>,
    /// The public exponent e.
    pub e: Vec<u8>,
    /// The private exponent d.
    pub d: Vec<u8>,
    /// The first prime p.
    pub p: Vec<u8>,
    /// The second prime q.
    pub q: Vec<u8>,
    /// d mod (p - 1).
    pub dmp1: Vec<u8>,
    /// d mod (q - 1).
    pub dmq1: Vec<u8>,
    /// q^-1 mod p.
    pub iqmp: Vec<u8>,
}

impl RsaPrivateComponents {
    /// The public half.
    pub fn public(&self) -> RsaPublicComponents {
        RsaPublicComponents {
            n: self.n.clone(),
            e: self.e.clone(),
        }
    }
}

impl fmt::Debug for RsaPrivateComponents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateComponents")
            .field("n", &self.n.len())
            .finish_non_exhaustive()
    }
}

/// DSA domain parameters (p, q, g).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DsaParameterComponents {
    /// The prime modulus p.
    pub p: Vec<u8>,
    /// The prime divisor q of p - 1.
    pub q: Vec<u8>,
    /// The generator g.
    pub g: Vec<u8>,
}

/// Finite-field Diffie-Hellman parameters (p, g, and optionally q).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DhParameterComponents {
    /// The prime modulus p.
    pub p: Vec<u8>,
    /// The generator g.
    pub g: Vec<u8>,
    /// The order q of the subgroup g generates, when known (X9.42 parameters).
    pub q: Option<Vec<u8>>,
}

/// A secret integer or byte string (a private exponent, scalar or raw private key).
pub type SecretBytes = Zeroizing<Vec<u8>>;
