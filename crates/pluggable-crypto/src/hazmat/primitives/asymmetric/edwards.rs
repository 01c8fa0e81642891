//! What [`ed25519`](super::ed25519) and [`ed448`](super::ed448) share: the key types (one
//! macro, instantiated per curve), and the EdDSA verification rule, checked here, above every
//! backend.
//!
//! The rule itself is documented for users in [`ed25519`](super::ed25519#the-verification-rule).

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{JacobiSymbol, Odd, Uint, U256, U448};

use super::curves::EdwardsCurve;
use crate::exceptions::{Error, KeyRejectedKind, Result};

const P25519: Odd<U256> =
    Odd::<U256>::from_be_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
const D25519: U256 =
    U256::from_be_hex("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3");
/// The y of every Ed25519 point of small order: 0 (order 4), 1 (identity), p - 1 (order 2) and
/// the two of the order-8 points.
const SMALL_ORDER_Y_25519: [U256; 5] = [
    U256::ZERO,
    U256::ONE,
    U256::from_be_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
    U256::from_be_hex("05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826"),
    U256::from_be_hex("7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7"),
];
/// The group order L, little-endian.
const L25519_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

const P448: Odd<U448> = Odd::<U448>::from_be_hex(
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
);
/// d = -39081 mod p.
const D448: U448 = U448::from_be_hex(
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffff6756",
);
/// The y of every Ed448 point of small order: 0 (the two of order 4), 1 (identity), p - 1
/// (order 2).
const SMALL_ORDER_Y_448: [U448; 3] = [
    U448::ZERO,
    U448::ONE,
    U448::from_be_hex(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
    ),
];
/// The group order L, little-endian, in the 57 bytes of an Ed448 S.
const L448_LE: [u8; 57] = [
    0xf3, 0x44, 0x58, 0xab, 0x92, 0xc2, 0x78, 0x23, 0x55, 0x8f, 0xc5, 0x8d, 0x72, 0xc2, 0x6c, 0x21,
    0x90, 0x36, 0xd6, 0xae, 0x49, 0xdb, 0x4e, 0xc4, 0xe9, 0x23, 0xca, 0x7c, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x00,
];

/// What a decoded point encoding is, under rules 1 and 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Canonical, on the curve, not of small order.
    Good,
    /// Canonical and on the curve, but of small order.
    SmallOrder,
    /// Refused by RFC 8032 decoding.
    NonCanonical,
}

/// y and the sign bit of `enc` (already of the curve's key length), if y is below p and Ed448's
/// unused bits are zero.
fn split<const LIMBS: usize>(enc: &[u8], p: &Odd<Uint<LIMBS>>) -> Option<(Uint<LIMBS>, bool)> {
    let (&last, body) = enc.split_last()?;
    let sign = last & 0x80 != 0;
    let y = if body.len() == Uint::<LIMBS>::BYTES {
        // Ed448: 56 bytes of y, then a byte holding only the sign bit.
        if last & 0x7f != 0 {
            return None;
        }
        Uint::<LIMBS>::from_le_slice(body)
    } else {
        // Ed25519: y in the low 255 bits (no allocation: this runs on every verification).
        let mut buffer = [0u8; 57];
        let bytes = buffer.get_mut(..enc.len())?;
        bytes.copy_from_slice(enc);
        *bytes.last_mut()? &= 0x7f;
        if bytes.len() != Uint::<LIMBS>::BYTES {
            return None;
        }
        Uint::<LIMBS>::from_le_slice(bytes)
    };
    (y < *p.as_ref()).then_some((y, sign))
}

/// Rules 1 and 2 for a point encoding; `full` also decides whether y has an x (a modular
/// exponentiation, done for public keys at load; for R, a y without an x is left to the
/// backend, whose equation check then fails, as it does on every backend).
fn classify<const LIMBS: usize>(
    enc: &[u8],
    p: &Odd<Uint<LIMBS>>,
    d: &Uint<LIMBS>,
    a_is_minus_one: bool,
    small_order_y: &[Uint<LIMBS>],
    full: bool,
) -> Encoding {
    let Some((y, sign)) = split(enc, p) else {
        return Encoding::NonCanonical;
    };
    let one = Uint::<LIMBS>::ONE;
    let minus_one = p.as_ref().wrapping_sub(&one);
    // x = 0 exactly when y = 1 or y = -1; its sign bit must then be clear.
    if sign && (y == one || y == minus_one) {
        return Encoding::NonCanonical;
    }
    if full {
        // x^2 = (y^2 - 1) / (d y^2 - a): decodable iff (y^2 - 1)(d y^2 - a) is a square or 0
        // (the denominator never vanishes on these curves, d being a non-square).
        let params = FixedMontyParams::new_vartime(*p);
        let y = FixedMontyForm::new(&y, &params);
        let one = FixedMontyForm::one(&params);
        let d = FixedMontyForm::new(d, &params);
        let y2 = y.square();
        let u = y2.sub(&one);
        let dy2 = d.mul(&y2);
        let v = if a_is_minus_one {
            dy2.add(&one)
        } else {
            dy2.sub(&one)
        };
        if u.mul(&v).jacobi_symbol_vartime() == JacobiSymbol::MinusOne {
            return Encoding::NonCanonical;
        }
    }
    if small_order_y.contains(&y) {
        Encoding::SmallOrder
    } else {
        Encoding::Good
    }
}

fn classify_point(curve: EdwardsCurve, enc: &[u8], full: bool) -> Encoding {
    if enc.len() != curve.key_bytes() {
        return Encoding::NonCanonical;
    }
    match curve {
        EdwardsCurve::Ed25519 => classify(enc, &P25519, &D25519, true, &SMALL_ORDER_Y_25519, full),
        EdwardsCurve::Ed448 => classify(enc, &P448, &D448, false, &SMALL_ORDER_Y_448, full),
    }
}

/// Whether the little-endian `s` is below the little-endian `l` (same length).
fn below(s: &[u8], l: &[u8]) -> bool {
    for (a, b) in s.iter().rev().zip(l.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

/// The texts naming each curve's keys in rejections.
struct Names {
    private_length: &'static str,
    public_length: &'static str,
    public_encoding: &'static str,
    public_small_order: &'static str,
}

fn names(curve: EdwardsCurve) -> Names {
    match curve {
        EdwardsCurve::Ed25519 => Names {
            private_length: "Ed25519 private key (must be 32 bytes)",
            public_length: "Ed25519 public key (must be 32 bytes)",
            public_encoding: "Ed25519 public key (not a canonical point encoding)",
            public_small_order: "Ed25519 public key (a point of small order)",
        },
        EdwardsCurve::Ed448 => Names {
            private_length: "Ed448 private key (must be 57 bytes)",
            public_length: "Ed448 public key (must be 57 bytes)",
            public_encoding: "Ed448 public key (not a canonical point encoding)",
            public_small_order: "Ed448 public key (a point of small order)",
        },
    }
}

/// The raw private key's length rule.
pub(super) fn check_private_bytes(curve: EdwardsCurve, bytes: &[u8]) -> Result<()> {
    if bytes.len() == curve.key_bytes() {
        Ok(())
    } else {
        Err(Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            names(curve).private_length,
        ))
    }
}

/// Rules 1 and 2 for a public key about to be loaded.
pub(super) fn check_public_bytes(curve: EdwardsCurve, bytes: &[u8]) -> Result<()> {
    let names = names(curve);
    if bytes.len() != curve.key_bytes() {
        return Err(Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            names.public_length,
        ));
    }
    match classify_point(curve, bytes, true) {
        Encoding::Good => Ok(()),
        Encoding::SmallOrder => Err(Error::key_rejected(
            KeyRejectedKind::InvalidComponent,
            names.public_small_order,
        )),
        Encoding::NonCanonical => Err(Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            names.public_encoding,
        )),
    }
}

/// Rules 1 and 2 for a signature: its length, S below L, R canonical and not of small order.
/// Every failure is `InvalidSignature`.
pub(super) fn check_signature(curve: EdwardsCurve, signature: &[u8]) -> Result<()> {
    if signature.len() != curve.signature_bytes() {
        return Err(Error::InvalidSignature);
    }
    let (r, s) = signature.split_at(curve.key_bytes());
    let l: &[u8] = match curve {
        EdwardsCurve::Ed25519 => &L25519_LE,
        EdwardsCurve::Ed448 => &L448_LE,
    };
    if !below(s, l) || classify_point(curve, r, false) != Encoding::Good {
        return Err(Error::InvalidSignature);
    }
    Ok(())
}

/// Defines the private and public key types of one EdDSA curve.
macro_rules! eddsa_keys {
    (
        curve: $curve:expr,
        label: $label:literal,
        private: $Private:ident,
        public: $Public:ident $(,)?
    ) => {
        #[doc = concat!("An ", $label, " private key (pyca's `", stringify!($Private), "`), held by a backend.")]
        ///
        /// Cheap to clone (the backend's key is shared); the key material is wiped when the
        /// last clone is dropped, and `Debug` never prints it.
        #[derive(Clone)]
        pub struct $Private {
            handle: std::sync::Arc<dyn $crate::hazmat::backends::EdPrivateKeyHandle>,
        }

        impl $Private {
            #[doc = concat!("A new random ", $label, " key on the default backend.")]
            pub fn generate() -> $crate::Result<Self> {
                Self::generate_with_backend($crate::hazmat::backends::default_backend())
            }

            #[doc = concat!("A new random ", $label, " key on `backend`.")]
            pub fn generate_with_backend(
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                let handle = backend.generate_eddsa_private_key($curve)?;
                Ok(Self { handle })
            }

            /// The key whose raw private bytes (the RFC 8032 seed) are `data`, on the default
            /// backend.
            pub fn from_private_bytes(data: &[u8]) -> $crate::Result<Self> {
                Self::from_private_bytes_with_backend(
                    data,
                    $crate::hazmat::backends::default_backend(),
                )
            }

            /// The key whose raw private bytes are `data`, on `backend`. A wrong length is
            /// [`KeyRejected`](crate::KeyRejected) (`InvalidEncoding`).
            pub fn from_private_bytes_with_backend(
                data: &[u8],
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                super::edwards::check_private_bytes($curve, data)?;
                let handle = backend.load_eddsa_private_bytes($curve, data)?;
                Ok(Self { handle })
            }

            /// The raw private key (the RFC 8032 seed), wiped on drop.
            pub fn private_bytes_raw(
                &self,
            ) -> $crate::Result<$crate::hazmat::primitives::asymmetric::components::SecretBytes>
            {
                self.handle.private_bytes()
            }

            /// The public half, on the same backend.
            pub fn public_key(&self) -> $crate::Result<$Public> {
                Ok($Public {
                    handle: self.handle.public_key()?,
                })
            }

            #[doc = concat!("The ", $label, " signature over `data` (RFC 8032 pure EdDSA; deterministic).")]
            pub fn sign(&self, data: &[u8]) -> $crate::Result<Vec<u8>> {
                self.handle.sign(data)
            }

            /// The name of the backend that holds the key.
            pub fn backend_name(&self) -> &'static str {
                self.handle.backend_name()
            }

            /// The same key, rebuilt on `backend` from its raw bytes.
            pub fn on_backend(
                &self,
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                Self::from_private_bytes_with_backend(&self.private_bytes_raw()?, backend)
            }
        }

        impl std::fmt::Debug for $Private {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($Private))
                    .field("backend", &self.backend_name())
                    .finish_non_exhaustive()
            }
        }

        #[doc = concat!("An ", $label, " public key (pyca's `", stringify!($Public), "`), held by a backend.")]
        ///
        /// Two public keys are equal when their raw bytes are.
        #[derive(Clone)]
        pub struct $Public {
            handle: std::sync::Arc<dyn $crate::hazmat::backends::EdPublicKeyHandle>,
        }

        impl $Public {
            /// The public key whose raw bytes are `data`, on the default backend.
            pub fn from_public_bytes(data: &[u8]) -> $crate::Result<Self> {
                Self::from_public_bytes_with_backend(
                    data,
                    $crate::hazmat::backends::default_backend(),
                )
            }

            /// The public key whose raw bytes are `data`, on `backend`. A wrong length, a
            /// non-canonical encoding or one that is no point is [`KeyRejected`](crate::KeyRejected)
            /// `InvalidEncoding`; a point of small order is `InvalidComponent` (see the
            /// verification rule in the module docs).
            pub fn from_public_bytes_with_backend(
                data: &[u8],
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                super::edwards::check_public_bytes($curve, data)?;
                let handle = backend.load_eddsa_public_bytes($curve, data)?;
                Ok(Self { handle })
            }

            /// The raw public key.
            pub fn public_bytes_raw(&self) -> Vec<u8> {
                self.handle.public_bytes()
            }

            /// Checks `signature` over `data` under the module's verification rule. Any
            /// failure (wrong length, non-canonical S or R, R of small order, wrong key or
            /// data) is [`Error::InvalidSignature`](crate::Error::InvalidSignature).
            pub fn verify(&self, signature: &[u8], data: &[u8]) -> $crate::Result<()> {
                super::edwards::check_signature($curve, signature)?;
                self.handle
                    .verify(signature, data)
                    .map_err(|_| $crate::Error::InvalidSignature)
            }

            /// The name of the backend that holds the key.
            pub fn backend_name(&self) -> &'static str {
                self.handle.backend_name()
            }

            /// The same key, rebuilt on `backend` from its raw bytes.
            pub fn on_backend(
                &self,
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                Self::from_public_bytes_with_backend(&self.public_bytes_raw(), backend)
            }
        }

        impl PartialEq for $Public {
            fn eq(&self, other: &Self) -> bool {
                self.public_bytes_raw() == other.public_bytes_raw()
            }
        }

        impl Eq for $Public {}

        impl std::fmt::Debug for $Public {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($Public))
                    .field("backend", &self.backend_name())
                    .field("bytes", &data_encoding::HEXLOWER.encode(&self.public_bytes_raw()))
                    .finish()
            }
        }
    };
}

pub(super) use eddsa_keys;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_points_are_good_and_small_order_points_are_not() {
        let mut b25519 = [0x66u8; 32];
        b25519[0] = 0x58;
        assert_eq!(
            classify_point(EdwardsCurve::Ed25519, &b25519, true),
            Encoding::Good
        );
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            classify_point(EdwardsCurve::Ed25519, &identity, true),
            Encoding::SmallOrder
        );
        identity[31] = 0x80;
        assert_eq!(
            classify_point(EdwardsCurve::Ed25519, &identity, true),
            Encoding::NonCanonical
        );
        // y = 2 has no x on edwards25519.
        let mut two = [0u8; 32];
        two[0] = 2;
        assert_eq!(
            classify_point(EdwardsCurve::Ed25519, &two, true),
            Encoding::NonCanonical
        );
        // p itself (y = 0 encoded as y + p).
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert_eq!(
            classify_point(EdwardsCurve::Ed25519, &p, true),
            Encoding::NonCanonical
        );
    }

    #[test]
    fn s_must_be_below_l() {
        assert!(below(&[0; 32], &L25519_LE));
        assert!(!below(&L25519_LE, &L25519_LE));
        let mut l_minus_one = L25519_LE;
        l_minus_one[0] -= 1;
        assert!(below(&l_minus_one, &L25519_LE));
        let mut l448_minus_one = L448_LE;
        l448_minus_one[0] -= 1;
        assert!(below(&l448_minus_one, &L448_LE));
        assert!(!below(&[0xff; 57], &L448_LE));
    }
}
