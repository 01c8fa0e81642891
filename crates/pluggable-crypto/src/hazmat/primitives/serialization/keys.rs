//! The key enums the loaders return, and the DER forms of every key type: PKCS #8, SPKI,
//! PKCS #1, SEC 1 and OpenSSL's traditional DSA. Parsing ends in numbers or raw bytes, which
//! the `_with_backend` constructors of the asymmetric modules turn into keys on the chosen
//! backend; encoding starts from the numbers or raw bytes a key hands back.

use std::sync::Arc;

use der::asn1::{AnyRef, BitStringRef, Null, ObjectIdentifier, OctetStringRef, UintRef};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use super::asn1::{self, big, oid, uint};
use crate::hazmat::backends::Backend;
use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::dh::{
    DhParameterNumbers, DhParameters, DhPrivateKey, DhPrivateNumbers, DhPublicKey, DhPublicNumbers,
};
use crate::hazmat::primitives::asymmetric::dsa::{
    DsaParameterNumbers, DsaPrivateKey, DsaPrivateNumbers, DsaPublicKey, DsaPublicNumbers,
};
use crate::hazmat::primitives::asymmetric::ec::{
    self, EllipticCurvePrivateKey, EllipticCurvePrivateNumbers, EllipticCurvePublicKey,
};
use crate::hazmat::primitives::asymmetric::ed25519::{Ed25519PrivateKey, Ed25519PublicKey};
use crate::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use crate::hazmat::primitives::asymmetric::ffc::OddModulus;
use crate::hazmat::primitives::asymmetric::rsa::{
    RsaPrivateKey, RsaPrivateNumbers, RsaPublicKey, RsaPublicNumbers,
};
use crate::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use crate::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
use crate::hazmat::primitives::asymmetric::BigUint;
use crate::{Error, KeyRejectedKind, Reason, Result};

/// A private key of any type, as the loaders return it (pyca's `PrivateKeyTypes`).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum PrivateKeyTypes {
    /// An RSA key.
    Rsa(RsaPrivateKey),
    /// A DSA key.
    Dsa(DsaPrivateKey),
    /// An elliptic-curve (ECDSA/ECDH) key.
    Ec(EllipticCurvePrivateKey),
    /// An Ed25519 key.
    Ed25519(Ed25519PrivateKey),
    /// An Ed448 key.
    Ed448(Ed448PrivateKey),
    /// An X25519 key.
    X25519(X25519PrivateKey),
    /// An X448 key.
    X448(X448PrivateKey),
    /// A finite-field Diffie-Hellman key.
    Dh(DhPrivateKey),
}

/// A public key of any type, as the loaders return it (pyca's `PublicKeyTypes`).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum PublicKeyTypes {
    /// An RSA key.
    Rsa(RsaPublicKey),
    /// A DSA key.
    Dsa(DsaPublicKey),
    /// An elliptic-curve (ECDSA/ECDH) key.
    Ec(EllipticCurvePublicKey),
    /// An Ed25519 key.
    Ed25519(Ed25519PublicKey),
    /// An Ed448 key.
    Ed448(Ed448PublicKey),
    /// An X25519 key.
    X25519(X25519PublicKey),
    /// An X448 key.
    X448(X448PublicKey),
    /// A finite-field Diffie-Hellman key.
    Dh(DhPublicKey),
}

/// Parameters, as `load_pem_parameters` returns them (pyca reads DH parameters only).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum ParameterTypes {
    /// Finite-field Diffie-Hellman parameters.
    Dh(DhParameters),
}

macro_rules! conversions {
    ($Enum:ident, $what:literal, $( $Variant:ident => $Type:ty, $into:ident, $name:literal );* $(;)?) => {
        impl $Enum {
            /// The key type's name: "RSA", "DSA", "EC", "Ed25519", "Ed448", "X25519", "X448"
            /// or "DH".
            pub fn algorithm_name(&self) -> &'static str {
                match self {
                    $( $Enum::$Variant(_) => $name, )*
                }
            }

            $(
                #[doc = concat!("The ", $name, " ", $what, ", or `InvalidArgument` naming the type this one is.")]
                pub fn $into(self) -> Result<$Type> {
                    match self {
                        $Enum::$Variant(key) => Ok(key),
                        other => Err(wrong_type($name, other.algorithm_name())),
                    }
                }
            )*
        }

        $(
            impl From<$Type> for $Enum {
                fn from(key: $Type) -> Self {
                    $Enum::$Variant(key)
                }
            }

            impl TryFrom<$Enum> for $Type {
                type Error = Error;
                fn try_from(key: $Enum) -> Result<Self> {
                    key.$into()
                }
            }
        )*
    };
}

conversions!(PrivateKeyTypes, "private key",
    Rsa => RsaPrivateKey, into_rsa, "RSA";
    Dsa => DsaPrivateKey, into_dsa, "DSA";
    Ec => EllipticCurvePrivateKey, into_ec, "EC";
    Ed25519 => Ed25519PrivateKey, into_ed25519, "Ed25519";
    Ed448 => Ed448PrivateKey, into_ed448, "Ed448";
    X25519 => X25519PrivateKey, into_x25519, "X25519";
    X448 => X448PrivateKey, into_x448, "X448";
    Dh => DhPrivateKey, into_dh, "DH";
);

conversions!(PublicKeyTypes, "public key",
    Rsa => RsaPublicKey, into_rsa, "RSA";
    Dsa => DsaPublicKey, into_dsa, "DSA";
    Ec => EllipticCurvePublicKey, into_ec, "EC";
    Ed25519 => Ed25519PublicKey, into_ed25519, "Ed25519";
    Ed448 => Ed448PublicKey, into_ed448, "Ed448";
    X25519 => X25519PublicKey, into_x25519, "X25519";
    X448 => X448PublicKey, into_x448, "X448";
    Dh => DhPublicKey, into_dh, "DH";
);

fn wrong_type(wanted: &str, got: &str) -> Error {
    Error::invalid(format!("the key is a {got} key, not {wanted}"))
}

impl PrivateKeyTypes {
    /// The public half.
    pub fn public_key(&self) -> Result<PublicKeyTypes> {
        Ok(match self {
            PrivateKeyTypes::Rsa(k) => PublicKeyTypes::Rsa(k.public_key()?),
            PrivateKeyTypes::Dsa(k) => PublicKeyTypes::Dsa(k.public_key()?),
            PrivateKeyTypes::Ec(k) => PublicKeyTypes::Ec(k.public_key()?),
            PrivateKeyTypes::Ed25519(k) => PublicKeyTypes::Ed25519(k.public_key()?),
            PrivateKeyTypes::Ed448(k) => PublicKeyTypes::Ed448(k.public_key()?),
            PrivateKeyTypes::X25519(k) => PublicKeyTypes::X25519(k.public_key()?),
            PrivateKeyTypes::X448(k) => PublicKeyTypes::X448(k.public_key()?),
            PrivateKeyTypes::Dh(k) => PublicKeyTypes::Dh(k.public_key()?),
        })
    }

    /// The name of the backend holding the key.
    pub fn backend_name(&self) -> &'static str {
        match self {
            PrivateKeyTypes::Rsa(k) => k.backend_name(),
            PrivateKeyTypes::Dsa(k) => k.backend_name(),
            PrivateKeyTypes::Ec(k) => k.backend_name(),
            PrivateKeyTypes::Ed25519(k) => k.backend_name(),
            PrivateKeyTypes::Ed448(k) => k.backend_name(),
            PrivateKeyTypes::X25519(k) => k.backend_name(),
            PrivateKeyTypes::X448(k) => k.backend_name(),
            PrivateKeyTypes::Dh(k) => k.backend_name(),
        }
    }
}

/// How keys are built once parsed: on which backend, and whether RSA numbers are checked.
#[derive(Clone)]
pub(crate) struct Builder {
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) unsafe_skip_rsa_key_validation: bool,
}

// ---------------------------------------------------------------------------------------------
// Building keys from parsed numbers

impl Builder {
    pub(crate) fn rsa_private(&self, numbers: RsaPrivateNumbers) -> Result<PrivateKeyTypes> {
        let key = if self.unsafe_skip_rsa_key_validation {
            numbers.private_key_unchecked_with_backend(self.backend.clone())?
        } else {
            numbers.private_key_with_backend(self.backend.clone())?
        };
        Ok(PrivateKeyTypes::Rsa(key))
    }

    pub(crate) fn rsa_public(&self, e: BigUint, n: BigUint) -> Result<PublicKeyTypes> {
        Ok(PublicKeyTypes::Rsa(
            RsaPublicNumbers::new(e, n).public_key_with_backend(self.backend.clone())?,
        ))
    }

    /// An EC private key from its scalar and, when the file has it, its public point (which
    /// must be the scalar's).
    pub(crate) fn ec_private(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
        point: Option<&[u8]>,
    ) -> Result<PrivateKeyTypes> {
        let private_value = Zeroizing::new(BigUint::from_be_bytes(scalar));
        let public_numbers = match point {
            Some(point) => EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve,
                point,
                self.backend.clone(),
            )?
            .public_numbers()?,
            None => {
                // Some backends (ring) cannot compute the point; any member of the default
                // can, and the numbers then go to the chosen backend.
                ec::derive_private_key_with_backend(&private_value, curve, self.backend.clone())
                    .or_else(|e| {
                        if e.is_unsupported() {
                            ec::derive_private_key(&private_value, curve)
                        } else {
                            Err(e)
                        }
                    })?
                    .public_key()?
                    .public_numbers()?
            }
        };
        let numbers = EllipticCurvePrivateNumbers::new((*private_value).clone(), public_numbers);
        Ok(PrivateKeyTypes::Ec(
            numbers.private_key_with_backend(self.backend.clone())?,
        ))
    }

    pub(crate) fn ec_public(&self, curve: EllipticCurve, point: &[u8]) -> Result<PublicKeyTypes> {
        Ok(PublicKeyTypes::Ec(
            EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve,
                point,
                self.backend.clone(),
            )?,
        ))
    }

    pub(crate) fn dsa_private(
        &self,
        parameters: DsaParameterNumbers,
        x: BigUint,
        y: Option<BigUint>,
    ) -> Result<PrivateKeyTypes> {
        let y = match y {
            Some(y) => y,
            None => power(&parameters.g, &x, &parameters.p, "DSA")?,
        };
        let numbers = DsaPrivateNumbers::new(x, DsaPublicNumbers::new(y, parameters));
        Ok(PrivateKeyTypes::Dsa(
            numbers.private_key_with_backend(self.backend.clone())?,
        ))
    }

    pub(crate) fn dsa_public(
        &self,
        parameters: DsaParameterNumbers,
        y: BigUint,
    ) -> Result<PublicKeyTypes> {
        Ok(PublicKeyTypes::Dsa(
            DsaPublicNumbers::new(y, parameters).public_key_with_backend(self.backend.clone())?,
        ))
    }

    pub(crate) fn dh_private(
        &self,
        parameters: DhParameterNumbers,
        x: BigUint,
    ) -> Result<PrivateKeyTypes> {
        let y = power(&parameters.g, &x, &parameters.p, "DH")?;
        let numbers = DhPrivateNumbers::new(x, DhPublicNumbers::new(y, parameters));
        Ok(PrivateKeyTypes::Dh(
            numbers.private_key_with_backend(self.backend.clone())?,
        ))
    }

    pub(crate) fn dh_public(
        &self,
        parameters: DhParameterNumbers,
        y: BigUint,
    ) -> Result<PublicKeyTypes> {
        Ok(PublicKeyTypes::Dh(
            DhPublicNumbers::new(y, parameters).public_key()?,
        ))
    }

    pub(crate) fn raw_private(
        &self,
        algorithm: RawAlgorithm,
        raw: &[u8],
    ) -> Result<PrivateKeyTypes> {
        let b = self.backend.clone();
        Ok(match algorithm {
            RawAlgorithm::Ed25519 => PrivateKeyTypes::Ed25519(
                Ed25519PrivateKey::from_private_bytes_with_backend(raw, b)?,
            ),
            RawAlgorithm::Ed448 => {
                PrivateKeyTypes::Ed448(Ed448PrivateKey::from_private_bytes_with_backend(raw, b)?)
            }
            RawAlgorithm::X25519 => {
                PrivateKeyTypes::X25519(X25519PrivateKey::from_private_bytes_with_backend(raw, b)?)
            }
            RawAlgorithm::X448 => {
                PrivateKeyTypes::X448(X448PrivateKey::from_private_bytes_with_backend(raw, b)?)
            }
        })
    }

    pub(crate) fn raw_public(&self, algorithm: RawAlgorithm, raw: &[u8]) -> Result<PublicKeyTypes> {
        let b = self.backend.clone();
        Ok(match algorithm {
            RawAlgorithm::Ed25519 => {
                PublicKeyTypes::Ed25519(Ed25519PublicKey::from_public_bytes_with_backend(raw, b)?)
            }
            RawAlgorithm::Ed448 => {
                PublicKeyTypes::Ed448(Ed448PublicKey::from_public_bytes_with_backend(raw, b)?)
            }
            RawAlgorithm::X25519 => {
                PublicKeyTypes::X25519(X25519PublicKey::from_public_bytes(raw)?)
            }
            RawAlgorithm::X448 => PublicKeyTypes::X448(X448PublicKey::from_public_bytes(raw)?),
        })
    }
}

/// `base^exponent mod modulus`, for the public value of a DSA or DH key stored without it.
fn power(base: &BigUint, exponent: &BigUint, modulus: &BigUint, what: &str) -> Result<BigUint> {
    // Bounds the work before the numbers' own rules run (DSA's largest p is 4096 bits, DH's
    // 10000).
    if modulus.bits() > 10_000 {
        return Err(Error::key_rejected(
            KeyRejectedKind::TooLarge,
            "DSA or DH prime p (more than 10000 bits)",
        ));
    }
    OddModulus::new(modulus)
        .and_then(|m| m.pow(base, exponent))
        .ok_or_else(|| Error::MalformedKeyData(format!("the {what} modulus is not an odd prime")))
}

/// The four key types stored as raw bytes (RFC 8410).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RawAlgorithm {
    Ed25519,
    Ed448,
    X25519,
    X448,
}

impl RawAlgorithm {
    fn of_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            oid::ED25519 => RawAlgorithm::Ed25519,
            oid::ED448 => RawAlgorithm::Ed448,
            oid::X25519 => RawAlgorithm::X25519,
            oid::X448 => RawAlgorithm::X448,
            _ => return None,
        })
    }
}

fn unknown_key_type(oid: &ObjectIdentifier) -> Error {
    Error::unsupported(
        Reason::UnsupportedPublicKeyAlgorithm,
        format!("unknown key type (algorithm OID {oid})"),
    )
}

fn no_parameters(algorithm: &AlgorithmIdentifierRef<'_>, what: &str) -> Result<()> {
    if algorithm.parameters.is_some() {
        return Err(Error::MalformedKeyData(format!(
            "{what} keys take no algorithm parameters"
        )));
    }
    Ok(())
}

fn required_parameters<'a>(
    algorithm: &AlgorithmIdentifierRef<'a>,
    what: &str,
) -> Result<AnyRef<'a>> {
    algorithm
        .parameters
        .ok_or_else(|| Error::MalformedKeyData(format!("{what} keys need algorithm parameters")))
}

fn dsa_parameters(any: &AnyRef<'_>) -> Result<DsaParameterNumbers> {
    let p: asn1::DssParms<'_> = any
        .decode_as()
        .map_err(|e| asn1::malformed("DSA parameters", e))?;
    Ok(DsaParameterNumbers::new(big(&p.p), big(&p.q), big(&p.g)))
}

fn dh_parameters(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<DhParameterNumbers> {
    let any = required_parameters(algorithm, "DH")?;
    if algorithm.oid == oid::X942_DH {
        let p: asn1::X942DomainParameters<'_> = any
            .decode_as()
            .map_err(|e| asn1::malformed("X9.42 DH parameters", e))?;
        Ok(DhParameterNumbers::new(
            big(&p.p),
            big(&p.g),
            Some(big(&p.q)),
        ))
    } else {
        let p: asn1::DhParameterDer<'_> = any
            .decode_as()
            .map_err(|e| asn1::malformed("PKCS #3 DH parameters", e))?;
        Ok(DhParameterNumbers::new(big(&p.p), big(&p.g), None))
    }
}

/// The numbers of a PKCS #1 `RSAPrivateKey` (two primes only).
pub(crate) fn rsa_private_numbers(der: &[u8]) -> Result<RsaPrivateNumbers> {
    let key: pkcs1::RsaPrivateKey<UintRef<'_>> = asn1::decode("PKCS #1 RSAPrivateKey", der)?;
    if key.other_prime_infos.is_some() {
        return Err(Error::unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            "multi-prime RSA keys are not supported",
        ));
    }
    Ok(RsaPrivateNumbers::new(
        big(&key.prime1),
        big(&key.prime2),
        big(&key.private_exponent),
        big(&key.exponent1),
        big(&key.exponent2),
        big(&key.coefficient),
        RsaPublicNumbers::new(big(&key.public_exponent), big(&key.modulus)),
    ))
}

/// A SEC 1 `ECPrivateKey`; `outer_curve` is the curve named by an enclosing PKCS #8
/// algorithm identifier, which the inner parameters, if present, must agree with.
pub(crate) fn ec_private_key(
    builder: &Builder,
    der: &[u8],
    outer_curve: Option<EllipticCurve>,
) -> Result<PrivateKeyTypes> {
    let key: asn1::EcPrivateKeyDer<'_> = asn1::decode("SEC 1 ECPrivateKey", der)?;
    if key.version != 1 {
        return Err(Error::MalformedKeyData(format!(
            "SEC 1 ECPrivateKey version {} (must be 1)",
            key.version
        )));
    }
    let inner_curve = key
        .parameters
        .as_ref()
        .map(asn1::curve_of_parameters)
        .transpose()?;
    let curve = match (outer_curve, inner_curve) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::MalformedKeyData(
                "the curve of the PKCS #8 algorithm and of the SEC 1 key differ".into(),
            ))
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => {
            return Err(Error::MalformedKeyData(
                "the EC private key names no curve".into(),
            ))
        }
    };
    let scalar = key.private_key.as_bytes();
    // RFC 5915: the private key is ceiling(log2(n) / 8) octets.
    if scalar.len() != curve.scalar_bytes() {
        return Err(Error::MalformedKeyData(format!(
            "the EC private key is {} bytes; {} keys are {}",
            scalar.len(),
            curve.name(),
            curve.scalar_bytes()
        )));
    }
    let point = key
        .public_key
        .as_ref()
        .map(|bits| asn1::octets("EC public key", bits))
        .transpose()?;
    builder.ec_private(curve, scalar, point)
}

/// OpenSSL's traditional DSA private key.
pub(crate) fn dsa_private_key(builder: &Builder, der: &[u8]) -> Result<PrivateKeyTypes> {
    let key: asn1::DsaPrivateKeyDer<'_> = asn1::decode("DSA private key", der)?;
    if key.version != 0 {
        return Err(Error::MalformedKeyData(format!(
            "DSA private key version {} (must be 0)",
            key.version
        )));
    }
    let parameters = DsaParameterNumbers::new(big(&key.p), big(&key.q), big(&key.g));
    builder.dsa_private(parameters, big(&key.x), Some(big(&key.y)))
}

/// A PKCS #8 `PrivateKeyInfo` (v1 or v2; a v2 public key must be the private key's).
pub(crate) fn pkcs8_private_key(builder: &Builder, der: &[u8]) -> Result<PrivateKeyTypes> {
    let info: pkcs8::PrivateKeyInfoRef<'_> = asn1::decode("PKCS #8 PrivateKeyInfo", der)?;
    let algorithm = &info.algorithm;
    let private = info.private_key.as_bytes();
    let key = match algorithm.oid {
        oid::RSA_ENCRYPTION | oid::RSASSA_PSS => {
            builder.rsa_private(rsa_private_numbers(private)?)?
        }
        oid::EC_PUBLIC_KEY => {
            let curve = asn1::curve_of_parameters(&required_parameters(algorithm, "EC")?)?;
            ec_private_key(builder, private, Some(curve))?
        }
        oid::DSA => {
            let parameters = dsa_parameters(&required_parameters(algorithm, "DSA")?)?;
            let x = asn1::decode_integer("DSA private value", private)?;
            builder.dsa_private(parameters, x, None)?
        }
        oid::DH_KEY_AGREEMENT | oid::X942_DH => {
            let parameters = dh_parameters(algorithm)?;
            let x = asn1::decode_integer("DH private value", private)?;
            builder.dh_private(parameters, x)?
        }
        other => match RawAlgorithm::of_oid(&other) {
            Some(raw) => {
                no_parameters(algorithm, "Ed25519, Ed448, X25519 and X448")?;
                let bytes = asn1::decode_octet_string("RFC 8410 CurvePrivateKey", private)?;
                builder.raw_private(raw, bytes)?
            }
            None => return Err(unknown_key_type(&other)),
        },
    };
    if let Some(public) = &info.public_key {
        let given = asn1::octets("PKCS #8 v2 public key", public)?;
        if !public_matches(&key.public_key()?, given)? {
            return Err(Error::key_rejected(
                KeyRejectedKind::InconsistentComponents,
                "PKCS #8 v2 public key (it is not the private key's)",
            ));
        }
    }
    Ok(key)
}

/// Whether `given` (the content of a SPKI-style BIT STRING) encodes `public`.
fn public_matches(public: &PublicKeyTypes, given: &[u8]) -> Result<bool> {
    Ok(match public {
        PublicKeyTypes::Ec(k) => {
            let mine = k.public_numbers()?;
            match EllipticCurvePublicKey::from_encoded_point(k.curve(), given) {
                Ok(theirs) => theirs.public_numbers()? == mine,
                Err(_) => false,
            }
        }
        other => spki_key_bits(other)?.as_slice() == given,
    })
}

/// A SPKI `SubjectPublicKeyInfo`.
pub(crate) fn spki_public_key(builder: &Builder, der: &[u8]) -> Result<PublicKeyTypes> {
    let info: SubjectPublicKeyInfoRef<'_> = asn1::decode("SubjectPublicKeyInfo", der)?;
    let algorithm = &info.algorithm;
    let bits = asn1::octets("subject public key", &info.subject_public_key)?;
    match algorithm.oid {
        oid::RSA_ENCRYPTION | oid::RSASSA_PSS => {
            let key: pkcs1::RsaPublicKey<UintRef<'_>> = asn1::decode("PKCS #1 RSAPublicKey", bits)?;
            builder.rsa_public(big(&key.public_exponent), big(&key.modulus))
        }
        oid::EC_PUBLIC_KEY => {
            let curve = asn1::curve_of_parameters(&required_parameters(algorithm, "EC")?)?;
            builder.ec_public(curve, bits)
        }
        oid::DSA => {
            let parameters = dsa_parameters(&required_parameters(algorithm, "DSA")?)?;
            builder.dsa_public(parameters, asn1::decode_integer("DSA public value", bits)?)
        }
        oid::DH_KEY_AGREEMENT | oid::X942_DH => {
            let parameters = dh_parameters(algorithm)?;
            builder.dh_public(parameters, asn1::decode_integer("DH public value", bits)?)
        }
        other => match RawAlgorithm::of_oid(&other) {
            Some(raw) => {
                no_parameters(algorithm, "Ed25519, Ed448, X25519 and X448")?;
                builder.raw_public(raw, bits)
            }
            None => Err(unknown_key_type(&other)),
        },
    }
}

/// A PKCS #1 `RSAPublicKey`.
pub(crate) fn pkcs1_public_key(builder: &Builder, der: &[u8]) -> Result<PublicKeyTypes> {
    let key: pkcs1::RsaPublicKey<UintRef<'_>> = asn1::decode("PKCS #1 RSAPublicKey", der)?;
    builder.rsa_public(big(&key.public_exponent), big(&key.modulus))
}

/// PKCS #3 `DHParameter` or X9.42 `DomainParameters` DER (a PEM label tells which; DER input
/// is tried as both).
pub(crate) fn dh_parameters_der(der: &[u8], x942: Option<bool>) -> Result<DhParameterNumbers> {
    // DER is tried as X9.42 first: its (p, g, q) also parses as PKCS #3 with q taken for the
    // private-value length. A third integer under 160 bits is a private-value length (no
    // X9.42 subgroup is that small).
    if x942 != Some(false) {
        if let Ok(p) = asn1::decode::<asn1::X942DomainParameters<'_>>("X9.42 DH parameters", der) {
            let q = big(&p.q);
            if x942 == Some(true) || q.bits() >= 160 {
                return Ok(DhParameterNumbers::new(big(&p.p), big(&p.g), Some(q)));
            }
        }
    }
    if x942 != Some(true) {
        if let Ok(p) = asn1::decode::<asn1::DhParameterDer<'_>>("DH parameters", der) {
            return Ok(DhParameterNumbers::new(big(&p.p), big(&p.g), None));
        }
    }
    Err(Error::MalformedKeyData(
        "not PKCS #3 DHParameter or X9.42 DomainParameters DER".into(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn alg<'a>(oid: ObjectIdentifier, parameters: Option<AnyRef<'a>>) -> AlgorithmIdentifierRef<'a> {
    AlgorithmIdentifierRef { oid, parameters }
}

fn any_of(der: &[u8]) -> Result<AnyRef<'_>> {
    asn1::decode("parameters", der)
}

/// The algorithm identifier's parameters DER (RSA NULL, a curve OID, DSA or DH parameters)
/// and OID of a public key.
fn algorithm_of(public: &PublicKeyTypes) -> Result<(ObjectIdentifier, Option<Vec<u8>>)> {
    Ok(match public {
        PublicKeyTypes::Rsa(_) => (oid::RSA_ENCRYPTION, Some(asn1::encode(&Null)?)),
        PublicKeyTypes::Ec(k) => (
            oid::EC_PUBLIC_KEY,
            Some(asn1::encode(&asn1::oid_of_curve(k.curve()))?),
        ),
        PublicKeyTypes::Dsa(k) => (
            oid::DSA,
            Some(dsa_parameters_der(&k.parameters().parameter_numbers())?),
        ),
        PublicKeyTypes::Dh(k) => dh_algorithm(&k.parameter_numbers())?,
        PublicKeyTypes::Ed25519(_) => (oid::ED25519, None),
        PublicKeyTypes::Ed448(_) => (oid::ED448, None),
        PublicKeyTypes::X25519(_) => (oid::X25519, None),
        PublicKeyTypes::X448(_) => (oid::X448, None),
    })
}

fn dsa_parameters_der(n: &DsaParameterNumbers) -> Result<Vec<u8>> {
    asn1::encode(&asn1::DssParms {
        p: uint(n.p.as_be_slice())?,
        q: uint(n.q.as_be_slice())?,
        g: uint(n.g.as_be_slice())?,
    })
}

fn dh_algorithm(n: &DhParameterNumbers) -> Result<(ObjectIdentifier, Option<Vec<u8>>)> {
    Ok(match &n.q {
        Some(_) => (oid::X942_DH, Some(dh_parameters_encode(n)?)),
        None => (oid::DH_KEY_AGREEMENT, Some(dh_parameters_encode(n)?)),
    })
}

/// PKCS #3 `DHParameter` DER, or X9.42 `DomainParameters` when q is known.
pub(crate) fn dh_parameters_encode(n: &DhParameterNumbers) -> Result<Vec<u8>> {
    match &n.q {
        Some(q) => asn1::encode(&asn1::X942DomainParameters {
            p: uint(n.p.as_be_slice())?,
            g: uint(n.g.as_be_slice())?,
            q: uint(q.as_be_slice())?,
            j: None,
            validation_parms: None,
        }),
        None => asn1::encode(&asn1::DhParameterDer {
            p: uint(n.p.as_be_slice())?,
            g: uint(n.g.as_be_slice())?,
            private_value_length: None,
        }),
    }
}

/// The content of the subject public key BIT STRING.
fn spki_key_bits(public: &PublicKeyTypes) -> Result<Vec<u8>> {
    Ok(match public {
        PublicKeyTypes::Rsa(k) => pkcs1_public_der(k)?,
        PublicKeyTypes::Ec(k) => k.public_bytes_x962(false)?,
        PublicKeyTypes::Dsa(k) => asn1::encode_integer(&k.public_numbers().y)?,
        PublicKeyTypes::Dh(k) => asn1::encode_integer(&k.public_numbers().y)?,
        PublicKeyTypes::Ed25519(k) => k.public_bytes_raw(),
        PublicKeyTypes::Ed448(k) => k.public_bytes_raw(),
        PublicKeyTypes::X25519(k) => k.public_bytes_raw(),
        PublicKeyTypes::X448(k) => k.public_bytes_raw(),
    })
}

/// PKCS #1 `RSAPublicKey` DER.
pub(crate) fn pkcs1_public_der(key: &RsaPublicKey) -> Result<Vec<u8>> {
    let n = key.public_numbers();
    asn1::encode(&pkcs1::RsaPublicKey {
        modulus: uint(n.n.as_be_slice())?,
        public_exponent: uint(n.e.as_be_slice())?,
    })
}

/// `SubjectPublicKeyInfo` DER.
pub(crate) fn spki_der(public: &PublicKeyTypes) -> Result<Vec<u8>> {
    let (oid, parameters) = algorithm_of(public)?;
    let bits = spki_key_bits(public)?;
    let info = SubjectPublicKeyInfoRef {
        algorithm: alg(oid, parameters.as_deref().map(any_of).transpose()?),
        subject_public_key: BitStringRef::from_bytes(&bits)
            .map_err(|e| asn1::malformed("public key", e))?,
    };
    asn1::encode(&info)
}

/// PKCS #1 `RSAPrivateKey` DER.
pub(crate) fn pkcs1_private_der(key: &RsaPrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    let n = key.private_numbers()?;
    let public = &n.public_numbers;
    let der = asn1::encode(&pkcs1::RsaPrivateKey {
        modulus: uint(public.n.as_be_slice())?,
        public_exponent: uint(public.e.as_be_slice())?,
        private_exponent: uint(n.d.as_be_slice())?,
        prime1: uint(n.p.as_be_slice())?,
        prime2: uint(n.q.as_be_slice())?,
        exponent1: uint(n.dmp1.as_be_slice())?,
        exponent2: uint(n.dmq1.as_be_slice())?,
        coefficient: uint(n.iqmp.as_be_slice())?,
        other_prime_infos: None,
    })?;
    Ok(Zeroizing::new(der))
}

/// SEC 1 `ECPrivateKey` DER, with the curve named when `with_curve` (the traditional form;
/// PKCS #8 names it outside), and the public point.
pub(crate) fn sec1_private_der(
    key: &EllipticCurvePrivateKey,
    with_curve: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    let n = key.private_numbers()?;
    let curve = key.curve();
    let scalar = Zeroizing::new(
        n.private_value
            .to_be_bytes_padded(curve.scalar_bytes())
            .ok_or_else(|| Error::Backend("EC private value wider than the curve".into()))?,
    );
    let point = key.public_key()?.public_bytes_x962(false)?;
    let curve_der = asn1::encode(&asn1::oid_of_curve(curve))?;
    let der = asn1::encode(&asn1::EcPrivateKeyDer {
        version: 1,
        private_key: OctetStringRef::new(&scalar).map_err(|e| asn1::malformed("scalar", e))?,
        parameters: if with_curve {
            Some(any_of(&curve_der)?)
        } else {
            None
        },
        public_key: Some(
            BitStringRef::from_bytes(&point).map_err(|e| asn1::malformed("point", e))?,
        ),
    })?;
    Ok(Zeroizing::new(der))
}

/// OpenSSL's traditional DSA private key DER.
pub(crate) fn dsa_private_der(key: &DsaPrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    let n = key.private_numbers()?;
    let public = &n.public_numbers;
    let params = &public.parameter_numbers;
    let der = asn1::encode(&asn1::DsaPrivateKeyDer {
        version: 0,
        p: uint(params.p.as_be_slice())?,
        q: uint(params.q.as_be_slice())?,
        g: uint(params.g.as_be_slice())?,
        y: uint(public.y.as_be_slice())?,
        x: uint(n.x.as_be_slice())?,
    })?;
    Ok(Zeroizing::new(der))
}

/// PKCS #8 `PrivateKeyInfo` v1 DER (no public key, as OpenSSL writes it).
pub(crate) fn pkcs8_der(key: &PrivateKeyTypes) -> Result<Zeroizing<Vec<u8>>> {
    let public = key.public_key()?;
    let (oid, parameters) = algorithm_of(&public)?;
    let private: Zeroizing<Vec<u8>> = match key {
        PrivateKeyTypes::Rsa(k) => pkcs1_private_der(k)?,
        PrivateKeyTypes::Ec(k) => sec1_private_der(k, false)?,
        PrivateKeyTypes::Dsa(k) => Zeroizing::new(asn1::encode_integer(&k.private_numbers()?.x)?),
        PrivateKeyTypes::Dh(k) => Zeroizing::new(asn1::encode_integer(&k.private_numbers()?.x)?),
        PrivateKeyTypes::Ed25519(k) => octet_string(&k.private_bytes_raw()?)?,
        PrivateKeyTypes::Ed448(k) => octet_string(&k.private_bytes_raw()?)?,
        PrivateKeyTypes::X25519(k) => octet_string(&k.private_bytes_raw()?)?,
        PrivateKeyTypes::X448(k) => octet_string(&k.private_bytes_raw()?)?,
    };
    let info = pkcs8::PrivateKeyInfoRef {
        algorithm: alg(oid, parameters.as_deref().map(any_of).transpose()?),
        private_key: OctetStringRef::new(&private).map_err(|e| asn1::malformed("key", e))?,
        public_key: None,
    };
    Ok(Zeroizing::new(asn1::encode(&info)?))
}

fn octet_string(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let inner = OctetStringRef::new(bytes).map_err(|e| asn1::malformed("key", e))?;
    Ok(Zeroizing::new(asn1::encode(&inner)?))
}
