//! The ASN.1 structures of key files that the RustCrypto crates do not model (DSA's
//! traditional form, PKCS #3 and X9.42 DH parameters, SEC 1 with explicit curve parameters),
//! declared with `der`'s derive; the object identifiers; and conversions between DER
//! integers and [`BigUint`].
//!
//! `der` decodes strictly: definite minimal lengths, minimal non-negative integers, no
//! trailing data (`from_der`), which is what makes DER input "DER, not BER" here.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Encode, Sequence};

use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::BigUint;
use crate::{Error, Result};

/// Object identifiers of key algorithms, curves and encryption schemes.
pub(crate) mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub(crate) const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub(crate) const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
    pub(crate) const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub(crate) const PRIME_FIELD: Oid = Oid::new_unwrap("1.2.840.10045.1.1");
    pub(crate) const DH_KEY_AGREEMENT: Oid = Oid::new_unwrap("1.2.840.113549.1.3.1");
    pub(crate) const X942_DH: Oid = Oid::new_unwrap("1.2.840.10046.2.1");
    pub(crate) const X25519: Oid = Oid::new_unwrap("1.3.101.110");
    pub(crate) const X448: Oid = Oid::new_unwrap("1.3.101.111");
    pub(crate) const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    pub(crate) const ED448: Oid = Oid::new_unwrap("1.3.101.113");

    pub(crate) const SECP224R1: Oid = Oid::new_unwrap("1.3.132.0.33");
    pub(crate) const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub(crate) const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub(crate) const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
    pub(crate) const SECP256K1: Oid = Oid::new_unwrap("1.3.132.0.10");
    pub(crate) const BRAINPOOL_P256R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.7");
    pub(crate) const BRAINPOOL_P384R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.11");
    pub(crate) const BRAINPOOL_P512R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.13");

    pub(crate) const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
    pub(crate) const AES_128_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.2");
    pub(crate) const AES_192_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.22");
    pub(crate) const AES_256_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.42");
    pub(crate) const DES_EDE3_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.7");
    pub(crate) const DES_CBC: Oid = Oid::new_unwrap("1.3.14.3.2.7");
    pub(crate) const RC2_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.2");
    /// The PKCS #12 password-based encryption schemes (RFC 7292 appendix C): the last arc.
    pub(crate) const PKCS12_PBE_ARC: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1");
}

/// The curve a named-curve OID denotes.
pub(crate) fn curve_of_oid(oid: &ObjectIdentifier) -> Option<EllipticCurve> {
    Some(match *oid {
        oid::SECP224R1 => EllipticCurve::Secp224r1,
        oid::SECP256R1 => EllipticCurve::Secp256r1,
        oid::SECP384R1 => EllipticCurve::Secp384r1,
        oid::SECP521R1 => EllipticCurve::Secp521r1,
        oid::SECP256K1 => EllipticCurve::Secp256k1,
        oid::BRAINPOOL_P256R1 => EllipticCurve::BrainpoolP256r1,
        oid::BRAINPOOL_P384R1 => EllipticCurve::BrainpoolP384r1,
        oid::BRAINPOOL_P512R1 => EllipticCurve::BrainpoolP512r1,
        _ => return None,
    })
}

/// The named-curve OID of `curve`.
pub(crate) fn oid_of_curve(curve: EllipticCurve) -> ObjectIdentifier {
    match curve {
        EllipticCurve::Secp224r1 => oid::SECP224R1,
        EllipticCurve::Secp256r1 => oid::SECP256R1,
        EllipticCurve::Secp384r1 => oid::SECP384R1,
        EllipticCurve::Secp521r1 => oid::SECP521R1,
        EllipticCurve::Secp256k1 => oid::SECP256K1,
        EllipticCurve::BrainpoolP256r1 => oid::BRAINPOOL_P256R1,
        EllipticCurve::BrainpoolP384r1 => oid::BRAINPOOL_P384R1,
        EllipticCurve::BrainpoolP512r1 => oid::BRAINPOOL_P512R1,
    }
}

/// DSA domain parameters (`Dss-Parms`, RFC 3279).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct DssParms<'a> {
    pub(crate) p: UintRef<'a>,
    pub(crate) q: UintRef<'a>,
    pub(crate) g: UintRef<'a>,
}

/// OpenSSL's traditional DSA private key: version 0, p, q, g, y, x.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct DsaPrivateKeyDer<'a> {
    pub(crate) version: u8,
    pub(crate) p: UintRef<'a>,
    pub(crate) q: UintRef<'a>,
    pub(crate) g: UintRef<'a>,
    pub(crate) y: UintRef<'a>,
    pub(crate) x: UintRef<'a>,
}

/// PKCS #3 `DHParameter`: p, g and an optional private-value length (read, not kept).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct DhParameterDer<'a> {
    pub(crate) p: UintRef<'a>,
    pub(crate) g: UintRef<'a>,
    #[asn1(optional = "true")]
    pub(crate) private_value_length: Option<UintRef<'a>>,
}

/// X9.42 `DomainParameters` (RFC 3279): p, g, q and the optional j and validation parameters
/// (read, not kept).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct X942DomainParameters<'a> {
    pub(crate) p: UintRef<'a>,
    pub(crate) g: UintRef<'a>,
    pub(crate) q: UintRef<'a>,
    #[asn1(optional = "true")]
    pub(crate) j: Option<UintRef<'a>>,
    #[asn1(optional = "true")]
    pub(crate) validation_parms: Option<AnyRef<'a>>,
}

/// SEC 1 `ECPrivateKey` (RFC 5915), with the parameters left as any value so that explicit
/// curve parameters can be matched to a named curve (`sec1::EcParameters` knows only names).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EcPrivateKeyDer<'a> {
    pub(crate) version: u8,
    pub(crate) private_key: &'a OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) parameters: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) public_key: Option<BitStringRef<'a>>,
}

/// SEC 1 `SpecifiedECDomain` (explicit curve parameters).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SpecifiedEcDomain<'a> {
    version: u8,
    field_id: FieldId<'a>,
    curve: CurveDer<'a>,
    base: &'a OctetStringRef,
    order: UintRef<'a>,
    #[asn1(optional = "true")]
    cofactor: Option<UintRef<'a>>,
    #[asn1(optional = "true")]
    hash: Option<AnyRef<'a>>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct FieldId<'a> {
    field_type: ObjectIdentifier,
    parameters: AnyRef<'a>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct CurveDer<'a> {
    a: &'a OctetStringRef,
    b: &'a OctetStringRef,
    #[asn1(optional = "true")]
    seed: Option<BitStringRef<'a>>,
}

/// The curve of SEC 1 `ECParameters`: a named curve, or explicit parameters that are exactly
/// those of P-256, P-384 or P-521 (as pyca does); any other explicit curve is refused.
pub(crate) fn curve_of_parameters(parameters: &AnyRef<'_>) -> Result<EllipticCurve> {
    if let Ok(named) = parameters.decode_as::<ObjectIdentifier>() {
        return curve_of_oid(&named).ok_or_else(|| unsupported_curve(&named));
    }
    let domain: SpecifiedEcDomain<'_> = parameters
        .decode_as()
        .map_err(|e| malformed("EC parameters", e))?;
    if domain.field_id.field_type != oid::PRIME_FIELD {
        return Err(explicit_unsupported());
    }
    let prime: UintRef<'_> = domain
        .field_id
        .parameters
        .decode_as()
        .map_err(|e| malformed("EC field parameters", e))?;
    let strip = |b: &[u8]| BigUint::from_be_bytes(b);
    for known in EXPLICIT_CURVES {
        let matches = strip(prime.as_bytes()) == hex(known.p)
            && strip(domain.curve.a.as_bytes()) == hex(known.a)
            && strip(domain.curve.b.as_bytes()) == hex(known.b)
            && domain.base.as_bytes() == hex(known.g).to_be_bytes().as_slice()
            && strip(domain.order.as_bytes()) == hex(known.curve.order_hex())
            && domain
                .cofactor
                .as_ref()
                .is_none_or(|h| strip(h.as_bytes()) == BigUint::from_u64(1));
        if matches {
            return Ok(known.curve);
        }
    }
    Err(explicit_unsupported())
}

fn hex(text: &str) -> BigUint {
    // The constants below are well-formed hex, so this cannot fail.
    BigUint::from_hex(text).unwrap_or_else(|_| BigUint::zero())
}

struct ExplicitCurve {
    curve: EllipticCurve,
    p: &'static str,
    a: &'static str,
    b: &'static str,
    /// The uncompressed base point, 04 || x || y.
    g: &'static str,
}

/// The domain parameters of FIPS 186-4 D.1.2.3-5 (SEC 2 2.4.2, 2.5.1, 2.6.1).
const EXPLICIT_CURVES: [ExplicitCurve; 3] = [
    ExplicitCurve {
        curve: EllipticCurve::Secp256r1,
        p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        a: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
        b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        g: "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    },
    ExplicitCurve {
        curve: EllipticCurve::Secp384r1,
        p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc",
        b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        g: "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
    },
    ExplicitCurve {
        curve: EllipticCurve::Secp521r1,
        p: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        a: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
        b: "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        g: "0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    },
];

fn explicit_unsupported() -> Error {
    Error::unsupported(
        crate::Reason::UnsupportedEllipticCurve,
        "EC keys with explicit curve parameters are supported only when the parameters are \
         exactly those of P-256, P-384 or P-521",
    )
}

pub(crate) fn unsupported_curve(oid: &ObjectIdentifier) -> Error {
    Error::unsupported(
        crate::Reason::UnsupportedEllipticCurve,
        format!("the curve {oid} is not supported"),
    )
}

/// A `MalformedKeyData` error naming the structure and the DER error (position and kind;
/// never bytes).
pub(crate) fn malformed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::MalformedKeyData(format!("{what}: {e}"))
}

/// Decodes one complete DER value of type `T` (trailing data is an error).
pub(crate) fn decode<'a, T: Decode<'a>>(what: &str, der: &'a [u8]) -> Result<T>
where
    T::Error: std::fmt::Display,
{
    T::from_der(der).map_err(|e| malformed(what, e))
}

/// The DER of `value`.
pub(crate) fn encode(value: &impl Encode) -> Result<Vec<u8>> {
    value
        .to_der()
        .map_err(|e| Error::invalid(format!("DER encoding failed: {e}")))
}

/// A DER integer as a number.
pub(crate) fn big(value: &UintRef<'_>) -> BigUint {
    BigUint::from_be_bytes(value.as_bytes())
}

/// A number as the bytes of a DER integer (`UintRef` adds the sign byte when needed).
pub(crate) fn uint(bytes: &[u8]) -> Result<UintRef<'_>> {
    UintRef::new(bytes).map_err(|e| Error::invalid(format!("DER integer: {e}")))
}

/// The DER of one INTEGER (the private value of a DSA or DH key, a DSA or DH public value).
pub(crate) fn encode_integer(value: &BigUint) -> Result<Vec<u8>> {
    encode(&uint(value.as_be_slice())?)
}

/// One DER INTEGER, as a number.
pub(crate) fn decode_integer(what: &str, der: &[u8]) -> Result<BigUint> {
    let value: UintRef<'_> = decode(what, der)?;
    Ok(big(&value))
}

/// The raw bytes of an OCTET STRING holding exactly one OCTET STRING (RFC 8410's
/// `CurvePrivateKey`).
pub(crate) fn decode_octet_string<'a>(what: &str, der: &'a [u8]) -> Result<&'a [u8]> {
    let inner: &OctetStringRef = decode(what, der)?;
    Ok(inner.as_bytes())
}

/// The bytes of a BIT STRING that must have no unused bits.
pub(crate) fn octets<'a>(what: &str, bits: &BitStringRef<'a>) -> Result<&'a [u8]> {
    bits.as_bytes()
        .ok_or_else(|| Error::MalformedKeyData(format!("{what}: the BIT STRING has unused bits")))
}
