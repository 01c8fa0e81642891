//! Elliptic-curve keys: ECDSA signatures and ECDH key agreement (pyca's `asymmetric.ec`).
//!
//! Curves are [`EllipticCurve`] values; which ones a backend has is
//! [`elliptic_curve_supported`] (P-256, P-384, P-521 and secp256k1 everywhere they can be,
//! P-224 and brainpoolP256r1/P384r1/P512r1 where a backend has them; ring has P-256 and P-384
//! only). A key is generated, derived from its private scalar, built from its numbers, or (a
//! public key) decoded from an X9.62 point.
//!
//! Signatures are DER `SEQUENCE { r, s }`, as pyca returns them;
//! [`utils::dss_signature_to_p1363`] and
//! [`utils::p1363_to_dss_signature`] convert to and from
//! the fixed-width `r ‖ s` form. [`Ecdsa::new`] draws a fresh random nonce from the operating
//! system for each signature; [`Ecdsa::deterministic`] derives it from the key and the digest
//! (RFC 6979), so equal inputs give equal signatures. A digest longer than the group order is
//! truncated to its leftmost bits, as FIPS 186 specifies, so SHA-512 works on P-256.
//! Verification failures of every kind (malformed DER, an integer out of range, a wrong key)
//! are [`Error::InvalidSignature`].
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::ec::{self, Ecdh, Ecdsa};
//! use pluggable_crypto::hazmat::primitives::asymmetric::EllipticCurve;
//! use pluggable_crypto::hazmat::primitives::hashes::Sha256;
//!
//! let key = ec::generate_private_key(EllipticCurve::Secp256r1)?;
//! let signature = key.sign(b"message", &Ecdsa::new(Sha256))?;
//! key.public_key()?.verify(&signature, b"message", &Ecdsa::new(Sha256))?;
//!
//! // ECDH: both sides get the same x-coordinate.
//! let peer = ec::generate_private_key(EllipticCurve::Secp256r1)?;
//! let ours = key.exchange(&Ecdh, &peer.public_key()?)?;
//! let theirs = peer.exchange(&Ecdh, &key.public_key()?)?;
//! assert_eq!(ours, theirs);
//!
//! // Public keys travel as X9.62 points.
//! let point = key.public_key()?.public_bytes_x962(true)?;
//! let decoded = ec::EllipticCurvePublicKey::from_encoded_point(EllipticCurve::Secp256r1, &point)?;
//! assert_eq!(decoded.public_numbers()?, key.public_key()?.public_numbers()?);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```
//!
//! Rules checked here, for every backend: the X9.62 prefix and length of a point and the
//! identity (a lone `0x00`), the width of every number, a zero private value, the length of a
//! prehashed digest, and ECDH peers on the same curve. Backends check what needs their
//! arithmetic: a point on the curve, a scalar below the group order, a public point that is
//! the private value's.

use std::fmt;
use std::sync::Arc;

use super::curves::EllipticCurve;
use super::integer::BigUint;
use super::scheme::SignatureNonce;
use super::utils::{self, SignatureHash};
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend, EcPrivateKeyHandle, EcPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;

/// The ECDSA signature algorithm with its hash (pyca's `ec.ECDSA(hash)`), for
/// [`EllipticCurvePrivateKey::sign`] and [`EllipticCurvePublicKey::verify`].
///
/// The hash is a [`HashAlgorithm`](crate::hazmat::primitives::hashes::HashAlgorithm) (the
/// message is hashed with it) or a [`Prehashed`](super::Prehashed) one (the data is its digest).
#[derive(Clone, Debug)]
pub struct Ecdsa {
    hash: SignatureHash,
    nonce: SignatureNonce,
}

impl Ecdsa {
    /// ECDSA with `hash` and a fresh random nonce from the operating system per signature.
    pub fn new(hash: impl Into<SignatureHash>) -> Self {
        Ecdsa {
            hash: hash.into(),
            nonce: SignatureNonce::Random,
        }
    }

    /// ECDSA with `hash` and the nonce derived from the key and the digest (RFC 6979, pyca's
    /// `ECDSA(hash, deterministic_signing=True)`): equal inputs give equal signatures.
    /// Verification does not depend on the nonce, so either form verifies both.
    pub fn deterministic(hash: impl Into<SignatureHash>) -> Self {
        Ecdsa {
            hash: hash.into(),
            nonce: SignatureNonce::Deterministic,
        }
    }

    /// The hash argument.
    pub fn hash(&self) -> &SignatureHash {
        &self.hash
    }

    /// How the nonce is chosen.
    pub fn nonce(&self) -> SignatureNonce {
        self.nonce
    }
}

/// The ECDH key-agreement algorithm (pyca's `ec.ECDH()`), for
/// [`EllipticCurvePrivateKey::exchange`]: the shared secret is the x-coordinate of the shared
/// point, [`EllipticCurve::field_bytes`] long (feed it to a KDF such as HKDF).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ecdh;

/// Whether the default backend has `curve` (pyca's `backend.elliptic_curve_supported`).
pub fn elliptic_curve_supported(curve: EllipticCurve) -> bool {
    default_backend().elliptic_curve_supported(curve)
}

/// A new private key on `curve`, on the default backend.
pub fn generate_private_key(curve: EllipticCurve) -> Result<EllipticCurvePrivateKey> {
    generate_private_key_with_backend(curve, default_backend())
}

/// A new private key on `curve`, on `backend`.
pub fn generate_private_key_with_backend(
    curve: EllipticCurve,
    backend: Arc<dyn Backend>,
) -> Result<EllipticCurvePrivateKey> {
    require_curve(&*backend, curve)?;
    Ok(EllipticCurvePrivateKey {
        handle: backend.generate_ec_private_key(curve)?,
    })
}

/// The private key whose private value is `private_value` (pyca's `ec.derive_private_key`),
/// on the default backend. The value must be in `[1, n - 1]` for the group order n.
pub fn derive_private_key(
    private_value: &BigUint,
    curve: EllipticCurve,
) -> Result<EllipticCurvePrivateKey> {
    derive_private_key_with_backend(private_value, curve, default_backend())
}

/// As [`derive_private_key`], on `backend`. (ring cannot compute the public point from a
/// scalar alone: use [`EllipticCurvePrivateNumbers::private_key_with_backend`] there.)
pub fn derive_private_key_with_backend(
    private_value: &BigUint,
    curve: EllipticCurve,
    backend: Arc<dyn Backend>,
) -> Result<EllipticCurvePrivateKey> {
    let scalar = scalar_bytes(private_value, curve)?;
    require_curve(&*backend, curve)?;
    Ok(EllipticCurvePrivateKey {
        handle: backend.derive_ec_private_key(curve, &scalar)?,
    })
}

fn require_curve(backend: &dyn Backend, curve: EllipticCurve) -> Result<()> {
    if backend.elliptic_curve_supported(curve) {
        Ok(())
    } else {
        Err(Error::unsupported(
            Reason::UnsupportedEllipticCurve,
            format!("{curve} is not supported by the {} backend", backend.name()),
        ))
    }
}

/// The private value as exactly `scalar_bytes` big-endian bytes; zero and values from the
/// group order n up are refused here, so every backend gives the same verdict.
fn scalar_bytes(private_value: &BigUint, curve: EllipticCurve) -> Result<SecretBytes> {
    if private_value.is_zero() {
        return Err(Error::key_rejected(
            KeyRejectedKind::InvalidComponent,
            "EC private value (it must be at least 1)",
        ));
    }
    let order = BigUint::from_hex(curve.order_hex())?;
    if private_value.bits() > curve.key_size() || *private_value >= order {
        return Err(Error::key_rejected(
            KeyRejectedKind::InvalidComponent,
            "EC private value (it must be below the group order)",
        ));
    }
    private_value
        .to_be_bytes_padded(curve.scalar_bytes())
        .map(SecretBytes::new)
        .ok_or_else(|| {
            Error::key_rejected(
                KeyRejectedKind::InvalidComponent,
                "EC private value (it must be below the group order)",
            )
        })
}

/// Checks an X9.62 point's prefix, length and identity for `curve`.
fn check_encoded_point(curve: EllipticCurve, encoded: &[u8]) -> Result<()> {
    let field = curve.field_bytes();
    let rejected = |what| Err(Error::key_rejected(KeyRejectedKind::InvalidEncoding, what));
    match encoded.first() {
        None => rejected("X9.62 point (it is empty)"),
        Some(0x00) => rejected("X9.62 point (the identity, 0x00, is not a public key)"),
        Some(0x02 | 0x03) if encoded.len() == 1 + field => Ok(()),
        Some(0x04) if encoded.len() == 1 + 2 * field => Ok(()),
        Some(0x02..=0x04) => {
            rejected("X9.62 point (its length does not match the curve and the prefix)")
        }
        Some(0x06 | 0x07) => rejected("X9.62 point (hybrid encodings 0x06/0x07 are not accepted)"),
        Some(_) => rejected("X9.62 point (the prefix must be 0x02, 0x03 or 0x04)"),
    }
}

/// The public numbers of an elliptic-curve key (pyca's `EllipticCurvePublicNumbers`): the
/// affine coordinates of the point, and the curve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EllipticCurvePublicNumbers {
    /// The x-coordinate.
    pub x: BigUint,
    /// The y-coordinate.
    pub y: BigUint,
    /// The curve.
    pub curve: EllipticCurve,
}

impl EllipticCurvePublicNumbers {
    /// The numbers `(x, y)` on `curve`.
    pub fn new(x: BigUint, y: BigUint, curve: EllipticCurve) -> Self {
        EllipticCurvePublicNumbers { x, y, curve }
    }

    /// The uncompressed X9.62 encoding `04 ‖ x ‖ y`; `KeyRejected` if a coordinate is wider
    /// than the field.
    pub fn encoded_point(&self) -> Result<Vec<u8>> {
        let width = self.curve.field_bytes();
        let coordinate = |v: &BigUint| {
            v.to_be_bytes_padded(width).ok_or_else(|| {
                Error::key_rejected(
                    KeyRejectedKind::InvalidComponent,
                    "EC public point (a coordinate is wider than the field)",
                )
            })
        };
        let mut out = Vec::with_capacity(1 + 2 * width);
        out.push(0x04);
        out.extend_from_slice(&coordinate(&self.x)?);
        out.extend_from_slice(&coordinate(&self.y)?);
        Ok(out)
    }

    /// The public key, on the default backend (a point off the curve is `KeyRejected`).
    pub fn public_key(&self) -> Result<EllipticCurvePublicKey> {
        self.public_key_with_backend(default_backend())
    }

    /// The public key, on `backend`.
    pub fn public_key_with_backend(
        &self,
        backend: Arc<dyn Backend>,
    ) -> Result<EllipticCurvePublicKey> {
        EllipticCurvePublicKey::from_encoded_point_with_backend(
            self.curve,
            &self.encoded_point()?,
            backend,
        )
    }

    fn from_uncompressed(curve: EllipticCurve, point: &[u8]) -> Result<Self> {
        let width = curve.field_bytes();
        match point.split_first() {
            Some((0x04, xy)) if xy.len() == 2 * width => {
                let (x, y) = xy.split_at(width);
                Ok(EllipticCurvePublicNumbers::new(
                    BigUint::from_be_bytes(x),
                    BigUint::from_be_bytes(y),
                    curve,
                ))
            }
            _ => Err(Error::Backend(
                "the backend returned a malformed uncompressed point".into(),
            )),
        }
    }
}

/// The private numbers of an elliptic-curve key (pyca's `EllipticCurvePrivateNumbers`): the
/// private value and the public numbers. Zeroized on drop; `Debug` shows only the curve.
#[derive(Clone, PartialEq, Eq)]
pub struct EllipticCurvePrivateNumbers {
    /// The private value (the scalar d).
    pub private_value: BigUint,
    /// The public numbers (the point d·G).
    pub public_numbers: EllipticCurvePublicNumbers,
}

impl EllipticCurvePrivateNumbers {
    /// The numbers `private_value` and `public_numbers`.
    pub fn new(private_value: BigUint, public_numbers: EllipticCurvePublicNumbers) -> Self {
        EllipticCurvePrivateNumbers {
            private_value,
            public_numbers,
        }
    }

    /// The private key, on the default backend. A public point that is not the private
    /// value's is `KeyRejected` (`InconsistentComponents`).
    pub fn private_key(&self) -> Result<EllipticCurvePrivateKey> {
        self.private_key_with_backend(default_backend())
    }

    /// The private key, on `backend`.
    pub fn private_key_with_backend(
        &self,
        backend: Arc<dyn Backend>,
    ) -> Result<EllipticCurvePrivateKey> {
        let curve = self.public_numbers.curve;
        let scalar = scalar_bytes(&self.private_value, curve)?;
        let point = self.public_numbers.encoded_point()?;
        require_curve(&*backend, curve)?;
        // The point is checked first as a public key, so that one off the curve is refused
        // alike on every backend (as a public point would be) before the backend compares it
        // with the scalar's.
        backend.load_ec_public_point(curve, &point)?;
        Ok(EllipticCurvePrivateKey {
            handle: backend.load_ec_private_components(curve, &scalar, &point)?,
        })
    }
}

impl fmt::Debug for EllipticCurvePrivateNumbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EllipticCurvePrivateNumbers")
            .field("curve", &self.public_numbers.curve)
            .finish_non_exhaustive()
    }
}

/// An elliptic-curve private key (pyca's `EllipticCurvePrivateKey`), held by a backend.
///
/// Cheap to clone (the key is shared), `Send + Sync`. `Debug` shows only the curve and the
/// backend.
#[derive(Clone)]
pub struct EllipticCurvePrivateKey {
    handle: Arc<dyn EcPrivateKeyHandle>,
}

impl EllipticCurvePrivateKey {
    /// The curve.
    pub fn curve(&self) -> EllipticCurve {
        self.handle.curve()
    }

    /// The size of the group order in bits (pyca's `key_size`).
    pub fn key_size(&self) -> usize {
        self.curve().key_size()
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// The public key, on the same backend.
    pub fn public_key(&self) -> Result<EllipticCurvePublicKey> {
        Ok(EllipticCurvePublicKey {
            handle: self.handle.public_key()?,
        })
    }

    /// The private value and the public numbers.
    pub fn private_numbers(&self) -> Result<EllipticCurvePrivateNumbers> {
        let scalar = self.handle.private_scalar()?;
        Ok(EllipticCurvePrivateNumbers {
            private_value: BigUint::from_be_bytes(&scalar),
            public_numbers: self.public_key()?.public_numbers()?,
        })
    }

    /// An ECDSA signature (DER `SEQUENCE { r, s }`) over `data` (a message, or a digest when
    /// the hash is [`Prehashed`](super::Prehashed)).
    ///
    /// `UnsupportedAlgorithm` if the key's backend does not sign with this hash or nonce
    /// (ring: P-256 with SHA-256 and P-384 with SHA-384, random nonces and messages only).
    pub fn sign(&self, data: &[u8], algorithm: &Ecdsa) -> Result<Vec<u8>> {
        let (hash, input) = algorithm.hash.resolve(data)?;
        self.handle.sign(input, hash, algorithm.nonce)
    }

    /// The ECDH shared secret with `peer` (pyca's `exchange(ec.ECDH(), peer)`): the
    /// x-coordinate of the shared point, [`EllipticCurve::field_bytes`] long. The peer may be
    /// held by any backend; a peer on another curve is `KeyRejected` (`WrongAlgorithm`).
    pub fn exchange(
        &self,
        _algorithm: &Ecdh,
        peer: &EllipticCurvePublicKey,
    ) -> Result<SecretBytes> {
        if peer.curve() != self.curve() {
            return Err(Error::key_rejected(
                KeyRejectedKind::WrongAlgorithm,
                "ECDH peer public key (it is on another curve than the private key)",
            ));
        }
        let point = peer.handle.encoded_point(false)?;
        self.handle.exchange(&point)
    }

    /// The same key rebuilt on `backend` from its numbers.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<Self> {
        self.private_numbers()?.private_key_with_backend(backend)
    }
}

impl fmt::Debug for EllipticCurvePrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EllipticCurvePrivateKey")
            .field("curve", &self.curve())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

/// An elliptic-curve public key (pyca's `EllipticCurvePublicKey`), held by a backend.
#[derive(Clone)]
pub struct EllipticCurvePublicKey {
    handle: Arc<dyn EcPublicKeyHandle>,
}

impl EllipticCurvePublicKey {
    /// The public key from an X9.62 point (pyca's `from_encoded_point`), on the default
    /// backend: `04 ‖ x ‖ y` or the compressed `02/03 ‖ x`.
    ///
    /// `KeyRejected` (`InvalidEncoding`) for a wrong length, a prefix other than 0x02, 0x03
    /// or 0x04, the identity (`0x00`), or a point that is not on the curve.
    pub fn from_encoded_point(curve: EllipticCurve, data: &[u8]) -> Result<Self> {
        Self::from_encoded_point_with_backend(curve, data, default_backend())
    }

    /// As [`from_encoded_point`](Self::from_encoded_point), on `backend`.
    pub fn from_encoded_point_with_backend(
        curve: EllipticCurve,
        data: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_encoded_point(curve, data)?;
        require_curve(&*backend, curve)?;
        Ok(EllipticCurvePublicKey {
            handle: backend.load_ec_public_point(curve, data)?,
        })
    }

    /// The curve.
    pub fn curve(&self) -> EllipticCurve {
        self.handle.curve()
    }

    /// The size of the group order in bits.
    pub fn key_size(&self) -> usize {
        self.curve().key_size()
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// The coordinates and the curve.
    pub fn public_numbers(&self) -> Result<EllipticCurvePublicNumbers> {
        let point = self.handle.encoded_point(false)?;
        EllipticCurvePublicNumbers::from_uncompressed(self.curve(), &point)
    }

    /// The X9.62 encoding (pyca's `public_bytes(Encoding.X962, PublicFormat.CompressedPoint /
    /// UncompressedPoint)`): `02/03 ‖ x` when `compressed`, else `04 ‖ x ‖ y`.
    pub fn public_bytes_x962(&self, compressed: bool) -> Result<Vec<u8>> {
        self.handle.encoded_point(compressed)
    }

    /// Verifies an ECDSA `signature` (DER `SEQUENCE { r, s }`) over `data`. Any failure
    /// (malformed or non-canonical DER, r or s out of range, another key or message) is
    /// [`Error::InvalidSignature`]; an unsupported hash is `UnsupportedAlgorithm`.
    pub fn verify(&self, signature: &[u8], data: &[u8], algorithm: &Ecdsa) -> Result<()> {
        let (hash, input) = algorithm.hash.resolve(data)?;
        // Strict DER and integers no wider than the order, for every backend alike.
        if utils::dss_to_fixed(signature, self.curve().scalar_bytes()).is_none() {
            return Err(Error::InvalidSignature);
        }
        self.handle.verify(signature, input, hash)
    }

    /// The same key rebuilt on `backend` from its point.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<Self> {
        let point = self.handle.encoded_point(false)?;
        Self::from_encoded_point_with_backend(self.curve(), &point, backend)
    }
}

impl fmt::Debug for EllipticCurvePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EllipticCurvePublicKey")
            .field("curve", &self.curve())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl PartialEq for EllipticCurvePublicKey {
    /// Equal when on the same curve with the same point (whatever backends hold them).
    fn eq(&self, other: &Self) -> bool {
        self.curve() == other.curve()
            && matches!(
                (self.handle.encoded_point(false), other.handle.encoded_point(false)),
                (Ok(a), Ok(b)) if a == b
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_prefix_length_and_identity_are_checked_here() {
        let c = EllipticCurve::Secp256r1;
        let kind = |r: Result<()>| match r {
            Err(Error::KeyRejected(k)) => k.kind(),
            other => panic!("{other:?}"),
        };
        assert!(check_encoded_point(c, &[0x04; 65]).is_ok());
        assert!(check_encoded_point(c, &[0x02; 33]).is_ok());
        for bad in [
            &[][..],
            &[0x00],
            &[0x04; 64],
            &[0x03; 65],
            &[0x05; 65],
            &[0x06; 65],
        ] {
            assert_eq!(
                kind(check_encoded_point(c, bad)),
                KeyRejectedKind::InvalidEncoding
            );
        }
    }
}
