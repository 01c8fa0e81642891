//! Curve descriptors: the short-Weierstrass curves of ECDSA/ECDH, and the Edwards and
//! Montgomery curves of EdDSA and X25519/X448. Data only.

use std::fmt;

/// An elliptic curve for ECDSA and ECDH (pyca's `ec.SECP256R1()` and friends).
///
/// Whether a backend has a curve is [`elliptic_curve_supported`](crate::hazmat::backends::EllipticCurveBackend::elliptic_curve_supported).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EllipticCurve {
    /// NIST P-224 (secp224r1).
    Secp224r1,
    /// NIST P-256 (secp256r1, prime256v1).
    Secp256r1,
    /// NIST P-384 (secp384r1).
    Secp384r1,
    /// NIST P-521 (secp521r1).
    Secp521r1,
    /// secp256k1 (the SEC 2 Koblitz curve).
    Secp256k1,
    /// brainpoolP256r1 (RFC 5639).
    BrainpoolP256r1,
    /// brainpoolP384r1 (RFC 5639).
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639).
    BrainpoolP512r1,
}

impl EllipticCurve {
    /// Every curve, in declaration order.
    pub const ALL: [EllipticCurve; 8] = [
        EllipticCurve::Secp224r1,
        EllipticCurve::Secp256r1,
        EllipticCurve::Secp384r1,
        EllipticCurve::Secp521r1,
        EllipticCurve::Secp256k1,
        EllipticCurve::BrainpoolP256r1,
        EllipticCurve::BrainpoolP384r1,
        EllipticCurve::BrainpoolP512r1,
    ];

    /// pyca's (SEC 2 / RFC 5639) name, e.g. `"secp256r1"`.
    pub fn name(self) -> &'static str {
        match self {
            EllipticCurve::Secp224r1 => "secp224r1",
            EllipticCurve::Secp256r1 => "secp256r1",
            EllipticCurve::Secp384r1 => "secp384r1",
            EllipticCurve::Secp521r1 => "secp521r1",
            EllipticCurve::Secp256k1 => "secp256k1",
            EllipticCurve::BrainpoolP256r1 => "brainpoolP256r1",
            EllipticCurve::BrainpoolP384r1 => "brainpoolP384r1",
            EllipticCurve::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// The curve a name denotes: the SEC 2 / RFC 5639 name, its NIST alias (`"P-256"`) or
    /// OpenSSL's (`"prime256v1"`), any case.
    pub fn by_name(name: &str) -> Option<EllipticCurve> {
        let lower = name.to_ascii_lowercase();
        let canonical = match lower.as_str() {
            "p-224" | "p224" => "secp224r1",
            "p-256" | "p256" | "prime256v1" => "secp256r1",
            "p-384" | "p384" => "secp384r1",
            "p-521" | "p521" => "secp521r1",
            other => other,
        };
        EllipticCurve::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(canonical))
    }

    /// The size of the group order in bits (pyca's `key_size`).
    pub fn key_size(self) -> usize {
        match self {
            EllipticCurve::Secp224r1 => 224,
            EllipticCurve::Secp256r1
            | EllipticCurve::Secp256k1
            | EllipticCurve::BrainpoolP256r1 => 256,
            EllipticCurve::Secp384r1 | EllipticCurve::BrainpoolP384r1 => 384,
            EllipticCurve::Secp521r1 => 521,
            EllipticCurve::BrainpoolP512r1 => 512,
        }
    }

    /// The group order n in lowercase hex (SEC 2, RFC 5639). A private value must be in
    /// `[1, n - 1]`.
    pub fn order_hex(self) -> &'static str {
        match self {
            EllipticCurve::Secp224r1 => "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d",
            EllipticCurve::Secp256r1 => "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
            EllipticCurve::Secp384r1 => "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
            EllipticCurve::Secp521r1 => "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
            EllipticCurve::Secp256k1 => "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
            EllipticCurve::BrainpoolP256r1 => "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
            EllipticCurve::BrainpoolP384r1 => "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565",
            EllipticCurve::BrainpoolP512r1 => "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
        }
    }

    /// The byte length of a field element, and so of each coordinate in a point encoding.
    pub fn field_bytes(self) -> usize {
        self.key_size().div_ceil(8)
    }

    /// The byte length of a scalar (private value, r or s): the group order's byte length.
    /// For every curve here it equals [`field_bytes`](Self::field_bytes).
    pub fn scalar_bytes(self) -> usize {
        self.key_size().div_ceil(8)
    }
}

impl fmt::Display for EllipticCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An Edwards curve for EdDSA (RFC 8032).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdwardsCurve {
    /// Ed25519: 32-byte keys, 64-byte signatures.
    Ed25519,
    /// Ed448: 57-byte keys, 114-byte signatures.
    Ed448,
}

impl EdwardsCurve {
    /// The name, `"ed25519"` or `"ed448"`.
    pub fn name(self) -> &'static str {
        match self {
            EdwardsCurve::Ed25519 => "ed25519",
            EdwardsCurve::Ed448 => "ed448",
        }
    }

    /// The length of a raw private or public key in bytes.
    pub fn key_bytes(self) -> usize {
        match self {
            EdwardsCurve::Ed25519 => 32,
            EdwardsCurve::Ed448 => 57,
        }
    }

    /// The length of a signature in bytes.
    pub fn signature_bytes(self) -> usize {
        2 * self.key_bytes()
    }
}

impl fmt::Display for EdwardsCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Montgomery curve for X25519/X448 key agreement (RFC 7748).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MontgomeryCurve {
    /// X25519: 32-byte keys and shared secrets.
    X25519,
    /// X448: 56-byte keys and shared secrets.
    X448,
}

impl MontgomeryCurve {
    /// The name, `"x25519"` or `"x448"`.
    pub fn name(self) -> &'static str {
        match self {
            MontgomeryCurve::X25519 => "x25519",
            MontgomeryCurve::X448 => "x448",
        }
    }

    /// The length of a raw private key, public key and shared secret in bytes.
    pub fn key_bytes(self) -> usize {
        match self {
            MontgomeryCurve::X25519 => 32,
            MontgomeryCurve::X448 => 56,
        }
    }
}

impl fmt::Display for MontgomeryCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
