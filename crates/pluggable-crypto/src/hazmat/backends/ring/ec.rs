//! ECDSA on the ring backend: what ring has, P-256 and P-384.
//!
//! | operation | what ring serves |
//! |---|---|
//! | signing | P-256 with SHA-256, P-384 with SHA-384; random (hedged) nonces; messages only |
//! | verification | P-256 and P-384, each with SHA-256 or SHA-384; messages only |
//! | keys | generation; loading from the private value *and* the public point (numbers); public points, compressed or not |
//!
//! ring hashes inside its signing and verification, so a prehashed digest is
//! `UnsupportedAlgorithm`, and so are deterministic (RFC 6979) nonces, other hashes and other
//! curves. ring cannot compute a public point from a scalar alone, so
//! [`derive_ec_private_key`](EllipticCurveBackend::derive_ec_private_key) is
//! `UnsupportedAlgorithm`: build the key from its numbers (private value and point). ring's
//! agreement keys are one-use ephemerals that cannot be loaded from a stored scalar, so ECDH
//! is `UnsupportedAlgorithm` too.
//!
//! A generated key's private value is read back from the PKCS#8 document ring makes. ring keeps
//! the numbers it was built from (zeroized on drop) because it cannot export them. Public points
//! are checked to be on the curve when loaded, and compressed ones decompressed, with
//! `crypto-bigint` arithmetic on the public coordinates (ring would only notice at
//! verification).

use std::sync::{Arc, OnceLock};

use crypto_bigint::{BoxedUint, NonZero, Odd};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, KeyPair, UnparsedPublicKey};

use super::RingBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{EcPrivateKeyHandle, EcPublicKeyHandle, EllipticCurveBackend};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{SignInput, SignatureNonce};

fn unsupported(reason: Reason, what: String) -> Error {
    Error::unsupported(reason, what)
}

fn unsupported_curve(curve: EllipticCurve) -> Error {
    unsupported(
        Reason::UnsupportedEllipticCurve,
        format!("{curve} is not supported by the ring backend (it has P-256 and P-384)"),
    )
}

fn served(curve: EllipticCurve) -> bool {
    matches!(curve, EllipticCurve::Secp256r1 | EllipticCurve::Secp384r1)
}

/// ring's signing algorithm for `curve` (its one hash per curve).
fn signing_algorithm(curve: EllipticCurve) -> Option<(&'static EcdsaSigningAlgorithm, HashId)> {
    match curve {
        EllipticCurve::Secp256r1 => {
            Some((&signature::ECDSA_P256_SHA256_ASN1_SIGNING, HashId::Sha256))
        }
        EllipticCurve::Secp384r1 => {
            Some((&signature::ECDSA_P384_SHA384_ASN1_SIGNING, HashId::Sha384))
        }
        _ => None,
    }
}

/// ring's verification algorithm for `curve` with `hash`.
fn verification_algorithm(
    curve: EllipticCurve,
    hash: HashId,
) -> Option<&'static signature::EcdsaVerificationAlgorithm> {
    match (curve, hash) {
        (EllipticCurve::Secp256r1, HashId::Sha256) => Some(&signature::ECDSA_P256_SHA256_ASN1),
        (EllipticCurve::Secp256r1, HashId::Sha384) => Some(&signature::ECDSA_P256_SHA384_ASN1),
        (EllipticCurve::Secp384r1, HashId::Sha256) => Some(&signature::ECDSA_P384_SHA256_ASN1),
        (EllipticCurve::Secp384r1, HashId::Sha384) => Some(&signature::ECDSA_P384_SHA384_ASN1),
        _ => None,
    }
}

fn rejected(rejection: ring::error::KeyRejected) -> Error {
    if rejection.to_string() == "InconsistentComponents" {
        Error::key_rejected(
            KeyRejectedKind::InconsistentComponents,
            "EC public point (it is not the private value's)",
        )
    } else {
        Error::key_rejected(
            KeyRejectedKind::InvalidComponent,
            "EC private value (it must be in [1, n - 1] for the group order n)",
        )
    }
}

impl EllipticCurveBackend for RingBackend {
    fn elliptic_curve_supported(&self, curve: EllipticCurve) -> bool {
        served(curve)
    }

    /// True only for the pairs ring both signs and verifies with: P-256 with SHA-256 and P-384
    /// with SHA-384, random nonces. (Its keys also verify P-256/SHA-384 and P-384/SHA-256.)
    fn elliptic_curve_signature_algorithm_supported(
        &self,
        curve: EllipticCurve,
        hash: HashId,
        nonce: SignatureNonce,
    ) -> bool {
        nonce == SignatureNonce::Random
            && signing_algorithm(curve).is_some_and(|(_, signing_hash)| signing_hash == hash)
    }

    fn generate_ec_private_key(&self, curve: EllipticCurve) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let (algorithm, _) = signing_algorithm(curve).ok_or_else(|| unsupported_curve(curve))?;
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(algorithm, &rng)
            .map_err(|_| Error::RandomSource("ring could not generate an ECDSA key".into()))?;
        let scalar = pkcs8_private_scalar(pkcs8.as_ref())
            .ok_or_else(|| Error::Backend("ring's PKCS#8 ECDSA key did not parse".into()))?;
        // ring's document ends with the public key's BIT STRING contents, `04 ‖ x ‖ y`: read
        // it there, and build the signing pair only when the key first signs (parsing the
        // document again recomputes the point, doubling the cost of a key pair).
        let doc = pkcs8.as_ref();
        let point_len = 1 + 2 * curve.field_bytes();
        if let Some(point) = doc.get(doc.len().saturating_sub(point_len)..) {
            if point.len() == point_len && point.first() == Some(&0x04) {
                let point = point.to_vec();
                return Ok(Arc::new(RingEcPrivateKey::new(curve, None, scalar, point)));
            }
        }
        let pair = EcdsaKeyPair::from_pkcs8(algorithm, doc, &rng)
            .map_err(|_| Error::Backend("ring refused its own PKCS#8 ECDSA key".into()))?;
        let point = pair.public_key().as_ref().to_vec();
        Ok(Arc::new(RingEcPrivateKey::new(
            curve,
            Some(pair),
            scalar,
            point,
        )))
    }

    fn derive_ec_private_key(
        &self,
        curve: EllipticCurve,
        _scalar: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        if !served(curve) {
            return Err(unsupported_curve(curve));
        }
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            "ring cannot compute an EC public point from a private value alone; build the key \
             from EllipticCurvePrivateNumbers (private value and point)"
                .into(),
        ))
    }

    fn load_ec_private_components(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
        public_point: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let (algorithm, _) = signing_algorithm(curve).ok_or_else(|| unsupported_curve(curve))?;
        let point = validate_point(curve, public_point)?;
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            algorithm,
            scalar,
            &point,
            &SystemRandom::new(),
        )
        .map_err(rejected)?;
        Ok(Arc::new(RingEcPrivateKey::new(
            curve,
            Some(pair),
            SecretBytes::new(scalar.to_vec()),
            point,
        )))
    }

    fn load_ec_public_point(
        &self,
        curve: EllipticCurve,
        encoded: &[u8],
    ) -> Result<Arc<dyn EcPublicKeyHandle>> {
        if !served(curve) {
            return Err(unsupported_curve(curve));
        }
        Ok(Arc::new(RingEcPublicKey {
            curve,
            point: validate_point(curve, encoded)?,
        }))
    }
}

/// The private value inside ring's PKCS#8 v1 `PrivateKeyInfo { version, algorithm,
/// OCTET STRING { ECPrivateKey { version, OCTET STRING privateKey, .. } } }`.
fn pkcs8_private_scalar(pkcs8: &[u8]) -> Option<SecretBytes> {
    use der::asn1::{AnyRef, OctetStringRef};
    use der::{Decode, Reader, SliceReader};
    let mut outer = SliceReader::new(pkcs8).ok()?;
    let inner = outer
        .sequence(|info: &mut SliceReader<'_>| {
            let _version = u8::decode(info)?;
            let _algorithm = AnyRef::decode(info)?;
            let key = <&OctetStringRef>::decode(info)?;
            // Attributes or a public key may follow; they are not needed.
            let rest = info.remaining_len();
            info.read_slice(rest)?;
            Ok::<_, der::Error>(key.as_bytes())
        })
        .ok()?;
    let mut reader = SliceReader::new(inner).ok()?;
    let scalar = reader
        .sequence(|ec: &mut SliceReader<'_>| {
            let _version = u8::decode(ec)?;
            let scalar = <&OctetStringRef>::decode(ec)?;
            let rest = ec.remaining_len();
            ec.read_slice(rest)?;
            Ok::<_, der::Error>(SecretBytes::new(scalar.as_bytes().to_vec()))
        })
        .ok()?;
    Some(scalar)
}

// ---------------------------------------------------------------------------------------------
// Point validation and decompression on y² = x³ - 3x + b (both curves have a = -3 and
// p ≡ 3 mod 4). Public data only, so variable time is fine.

struct CurveParams {
    p: &'static str,
    b: &'static str,
    /// (p + 1) / 4, the square-root exponent.
    sqrt_exp: &'static str,
}

fn params(curve: EllipticCurve) -> Option<CurveParams> {
    match curve {
        EllipticCurve::Secp256r1 => Some(CurveParams {
            p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
            b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
            sqrt_exp: "3fffffffc0000000400000000000000000000000400000000000000000000000",
        }),
        EllipticCurve::Secp384r1 => Some(CurveParams {
            p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe\
                ffffffff0000000000000000ffffffff",
            b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a\
                c656398d8a2ed19d2a85c8edd3ec2aef",
            sqrt_exp: "3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                       bfffffffc00000000000000040000000",
        }),
        _ => None,
    }
}

fn off_curve() -> Error {
    Error::key_rejected(
        KeyRejectedKind::InvalidEncoding,
        "EC public point (it is not on the curve)",
    )
}

/// The uncompressed encoding of an X9.62 point (prefix and length checked above) that is on
/// `curve`, or `KeyRejected`.
fn validate_point(curve: EllipticCurve, encoded: &[u8]) -> Result<Vec<u8>> {
    let params = params(curve).ok_or_else(|| unsupported_curve(curve))?;
    let width = curve.field_bytes();
    let bits = u32::try_from(width * 8).map_err(|_| unsupported_curve(curve))?;
    let number = |hex: &str| -> Result<BoxedUint> {
        let bytes = data_encoding::HEXLOWER
            .decode(hex.as_bytes())
            .map_err(|_| Error::Backend("bad curve constant".into()))?;
        BoxedUint::from_be_slice(&bytes, bits)
            .map_err(|_| Error::Backend("bad curve constant".into()))
    };
    let p = number(params.p)?;
    let modulus = NonZero::new(p.clone())
        .into_option()
        .ok_or_else(|| Error::Backend("bad curve constant".into()))?;
    let odd = Odd::new(p.clone())
        .into_option()
        .ok_or_else(|| Error::Backend("bad curve constant".into()))?;
    let coordinate = |bytes: &[u8]| -> Result<BoxedUint> {
        let v = BoxedUint::from_be_slice(bytes, bits).map_err(|_| off_curve())?;
        if v.cmp_vartime(&p) != std::cmp::Ordering::Less {
            return Err(off_curve());
        }
        Ok(v)
    };
    let (prefix, rest) = encoded.split_first().ok_or_else(off_curve)?;
    let x_bytes = rest.get(..width).ok_or_else(off_curve)?;
    let x = coordinate(x_bytes)?;
    // x³ - 3x + b
    let x2 = x.mul_mod(&x, &modulus);
    let x3 = x2.mul_mod(&x, &modulus);
    let three_x = x.add_mod(&x, &modulus).add_mod(&x, &modulus);
    let rhs = x3
        .sub_mod(&three_x, &modulus)
        .add_mod(&number(params.b)?, &modulus);
    let y = match prefix {
        0x04 => coordinate(rest.get(width..).ok_or_else(off_curve)?)?,
        0x02 | 0x03 => {
            let root = rhs.pow_mod(&number(params.sqrt_exp)?, &odd);
            let want_odd = *prefix == 0x03;
            let is_odd = root.to_be_bytes().last().is_some_and(|b| b & 1 == 1);
            if is_odd == want_odd {
                root
            } else {
                // p - root: root is in (0, p) (see below), so this neither wraps nor needs a
                // reduction (`sub_mod` would require its first operand below p).
                p.wrapping_sub(&root)
            }
        }
        _ => return Err(off_curve()),
    };
    if y.mul_mod(&y, &modulus) != rhs {
        return Err(off_curve());
    }
    // (No point has y = 0: both groups have prime order, so every root above is non-zero.)
    let mut out = Vec::with_capacity(1 + 2 * width);
    out.push(0x04);
    out.extend_from_slice(x_bytes);
    let y_bytes = y.to_be_bytes();
    let y_tail = y_bytes
        .get(y_bytes.len().saturating_sub(width)..)
        .ok_or_else(off_curve)?;
    out.extend(std::iter::repeat_n(0u8, width - y_tail.len()));
    out.extend_from_slice(y_tail);
    Ok(out)
}

/// `04 ‖ x ‖ y` compressed to `02/03 ‖ x`.
fn compress(uncompressed: &[u8], width: usize) -> Result<Vec<u8>> {
    let x = uncompressed
        .get(1..1 + width)
        .ok_or_else(|| Error::Backend("malformed stored point".into()))?;
    let y_odd = uncompressed.last().is_some_and(|b| b & 1 == 1);
    let mut out = Vec::with_capacity(1 + width);
    out.push(if y_odd { 0x03 } else { 0x02 });
    out.extend_from_slice(x);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Keys

struct RingEcPrivateKey {
    curve: EllipticCurve,
    /// ring's signing pair: given when the key was loaded, made on first signature for a
    /// generated key.
    pair: OnceLock<EcdsaKeyPair>,
    scalar: SecretBytes,
    public: Arc<RingEcPublicKey>,
}

impl RingEcPrivateKey {
    fn new(
        curve: EllipticCurve,
        pair: Option<EcdsaKeyPair>,
        scalar: SecretBytes,
        point: Vec<u8>,
    ) -> Self {
        let cell = OnceLock::new();
        if let Some(pair) = pair {
            let _ = cell.set(pair);
        }
        RingEcPrivateKey {
            curve,
            pair: cell,
            scalar,
            public: Arc::new(RingEcPublicKey { curve, point }),
        }
    }

    /// The signing pair, made from the scalar and the point on first use.
    fn pair(&self) -> Result<&EcdsaKeyPair> {
        if let Some(pair) = self.pair.get() {
            return Ok(pair);
        }
        let (algorithm, _) =
            signing_algorithm(self.curve).ok_or_else(|| unsupported_curve(self.curve))?;
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            algorithm,
            &self.scalar,
            &self.public.point,
            &SystemRandom::new(),
        )
        .map_err(|_| Error::Backend("ring refused its own generated ECDSA key".into()))?;
        Ok(self.pair.get_or_init(|| pair))
    }
}

impl EcPrivateKeyHandle for RingEcPrivateKey {
    fn backend_name(&self) -> &'static str {
        "ring"
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn public_key(&self) -> Result<Arc<dyn EcPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_scalar(&self) -> Result<SecretBytes> {
        Ok(self.scalar.clone())
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        let signing_hash = signing_algorithm(self.curve).map(|(_, h)| h);
        if signing_hash != Some(hash) {
            return Err(unsupported(
                Reason::UnsupportedHash,
                format!(
                    "ring signs {} only with {}, not {}",
                    self.curve,
                    signing_hash.map_or("no hash", HashId::name),
                    hash.name()
                ),
            ));
        }
        if nonce != SignatureNonce::Random {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "deterministic (RFC 6979) ECDSA is not supported by the ring backend".into(),
            ));
        }
        let SignInput::Message(message) = input else {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "ECDSA over a prehashed digest is not supported by the ring backend".into(),
            ));
        };
        self.pair()?
            .sign(&SystemRandom::new(), message)
            .map(|signature| signature.as_ref().to_vec())
            .map_err(|_| Error::RandomSource("ring's ECDSA signing failed".into()))
    }
}

struct RingEcPublicKey {
    curve: EllipticCurve,
    /// Uncompressed, on the curve.
    point: Vec<u8>,
}

impl EcPublicKeyHandle for RingEcPublicKey {
    fn backend_name(&self) -> &'static str {
        "ring"
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn encoded_point(&self, compressed: bool) -> Result<Vec<u8>> {
        if compressed {
            compress(&self.point, self.curve.field_bytes())
        } else {
            Ok(self.point.clone())
        }
    }

    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()> {
        let algorithm = verification_algorithm(self.curve, hash).ok_or_else(|| {
            unsupported(
                Reason::UnsupportedHash,
                format!(
                    "ring verifies {} signatures with SHA-256 or SHA-384, not {}",
                    self.curve,
                    hash.name()
                ),
            )
        })?;
        let SignInput::Message(message) = input else {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "ECDSA over a prehashed digest is not supported by the ring backend".into(),
            ));
        };
        UnparsedPublicKey::new(algorithm, &self.point)
            .verify(message, signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_points_decompress_to_the_generator() {
        // The P-256 generator.
        let g = data_encoding::HEXLOWER
            .decode(
                b"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296\
                  4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            )
            .unwrap();
        let c = compress(&g, 32).unwrap();
        assert_eq!(c[0], 0x03);
        assert_eq!(validate_point(EllipticCurve::Secp256r1, &c).unwrap(), g);
        assert_eq!(validate_point(EllipticCurve::Secp256r1, &g).unwrap(), g);
        let mut off = g.clone();
        off[64] ^= 1;
        assert!(validate_point(EllipticCurve::Secp256r1, &off).is_err());
    }
}
