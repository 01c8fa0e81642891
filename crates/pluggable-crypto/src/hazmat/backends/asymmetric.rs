//! The asymmetric interfaces a backend implements (pyca's `RSABackend`, `DSABackend`,
//! `EllipticCurveBackend`, `DHBackend` and the Ed/X backends).
//!
//! Each interface has `*_supported` queries and generation/loading methods whose defaults
//! support nothing, so a backend implements only what its library has. Generation and loading
//! return key handles: `Send + Sync` trait objects that own the native key (built once) and run
//! every later operation. Inputs arrive validated by the primitives layer (exponent, modulus
//! size, salt length, OAEP limit, raw lengths, point prefixes); a backend checks only what
//! needs its arithmetic (a point on the curve, a scalar in range, components that match) and
//! reports refusals as [`Error::KeyRejected`](crate::Error::KeyRejected).
//!
//! Integers cross this boundary as unsigned big-endian bytes; see
//! [`components`](crate::hazmat::primitives::asymmetric::components).

use std::sync::Arc;

use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::primitives::asymmetric::components::{
    DhParameterComponents, DsaParameterComponents, RsaPrivateComponents, RsaPublicComponents,
    SecretBytes,
};
use crate::hazmat::primitives::asymmetric::curves::{EdwardsCurve, EllipticCurve, MontgomeryCurve};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaRecoveryScheme, RsaSignatureScheme, RsaVerificationScheme, SignInput,
    SignatureNonce,
};

fn unsupported(reason: Reason, what: &str) -> Error {
    Error::unsupported(reason, format!("{what} is not supported by this backend"))
}

// ---------------------------------------------------------------------------------------------
// RSA

/// An RSA public key held by a backend.
pub trait RsaPublicKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The modulus size in bits.
    fn key_size(&self) -> usize;
    /// n and e.
    fn public_components(&self) -> RsaPublicComponents;
    /// Verifies `signature` (exactly `ceil(key_size / 8)` bytes, checked above) over `input`;
    /// any failure is `InvalidSignature`.
    fn verify(
        &self,
        signature: &[u8],
        input: SignInput<'_>,
        scheme: &RsaVerificationScheme,
    ) -> Result<()>;
    /// Encrypts `plaintext` (its length already checked against the scheme's limit).
    fn encrypt(&self, plaintext: &[u8], scheme: &RsaEncryptionScheme<'_>) -> Result<Vec<u8>>;
    /// The data inside a PKCS#1 v1.5 signature (pyca's `recover_data_from_signature`).
    fn recover_data_from_signature(
        &self,
        _signature: &[u8],
        _scheme: &RsaRecoveryScheme,
    ) -> Result<Vec<u8>> {
        Err(unsupported(
            Reason::UnsupportedPadding,
            "recovering data from an RSA signature",
        ))
    }
}

/// An RSA private key held by a backend.
pub trait RsaPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The modulus size in bits.
    fn key_size(&self) -> usize;
    /// The public half, on the same backend.
    fn public_key(&self) -> Result<Arc<dyn RsaPublicKeyHandle>>;
    /// Every component. A backend whose library cannot export them keeps the components it
    /// was built from.
    fn private_components(&self) -> Result<RsaPrivateComponents>;
    /// Signs `input` (blinded).
    fn sign(&self, input: SignInput<'_>, scheme: &RsaSignatureScheme) -> Result<Vec<u8>>;
    /// `c^d mod n` for a `c` of exactly the modulus length and below n (checked above), blinded,
    /// as exactly the modulus length in bytes. Both decryption paddings are decoded above the
    /// backends on it, in constant time: PKCS #1 v1.5 with implicit rejection, and OAEP.
    fn raw_private_operation(&self, _c: &[u8]) -> Result<SecretBytes> {
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            "the raw RSA private-key operation",
        ))
    }
}

/// RSA key generation and loading.
pub trait RsaBackend: Send + Sync {
    /// Whether this backend can build and use RSA keys of `key_size` bits at all.
    fn rsa_supported(&self, _key_size: usize) -> bool {
        false
    }
    /// Whether this backend serves `scheme`-style padding for signatures (`Pss` or
    /// `Pkcs1v15`) with these hashes.
    fn rsa_signature_supported(&self, _scheme: &RsaSignatureScheme) -> bool {
        false
    }
    /// Whether this backend serves the encryption `scheme` (with its hashes).
    fn rsa_encryption_supported(&self, _scheme: &RsaEncryptionScheme<'_>) -> bool {
        false
    }
    /// A new key; `public_exponent` is 3 or 65537 and `key_size` at least 1024 (checked above).
    fn generate_rsa_private_key(
        &self,
        _public_exponent: u32,
        _key_size: usize,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            "RSA key generation",
        ))
    }
    /// A private key from its components (validated for consistency above).
    fn load_rsa_private_components(
        &self,
        _components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "RSA"))
    }
    /// As [`load_rsa_private_components`](Self::load_rsa_private_components), skipping the
    /// library's own consistency check where it can be skipped (pyca's
    /// `unsafe_skip_rsa_key_validation`). The default runs the checked load (RustCrypto's
    /// and ring's constructors have no unchecked form).
    fn load_rsa_private_components_unchecked(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        self.load_rsa_private_components(components)
    }
    /// A public key from n and e.
    fn load_rsa_public_components(
        &self,
        _components: &RsaPublicComponents,
    ) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "RSA"))
    }
}

// ---------------------------------------------------------------------------------------------
// ECDSA / ECDH

/// An elliptic-curve public key (a point) held by a backend.
pub trait EcPublicKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The curve.
    fn curve(&self) -> EllipticCurve;
    /// The X9.62 encoding: `04 ‖ x ‖ y`, or `02/03 ‖ x` when `compressed`.
    fn encoded_point(&self, compressed: bool) -> Result<Vec<u8>>;
    /// Verifies a DER `SEQUENCE { r, s }` signature over `input` hashed with `hash`; any
    /// failure, including malformed DER, is `InvalidSignature`.
    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()>;
}

/// An elliptic-curve private key held by a backend.
pub trait EcPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The curve.
    fn curve(&self) -> EllipticCurve;
    /// The public point, on the same backend.
    fn public_key(&self) -> Result<Arc<dyn EcPublicKeyHandle>>;
    /// The private scalar, big-endian, exactly [`EllipticCurve::scalar_bytes`] long.
    fn private_scalar(&self) -> Result<SecretBytes>;
    /// An ECDSA signature over `input` hashed with `hash`, DER `SEQUENCE { r, s }`.
    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>>;
    /// ECDH with the peer's uncompressed point (same curve, checked above): the x-coordinate
    /// of the shared point, [`EllipticCurve::field_bytes`] long.
    fn exchange(&self, _peer_uncompressed_point: &[u8]) -> Result<SecretBytes> {
        Err(unsupported(Reason::UnsupportedExchangeAlgorithm, "ECDH"))
    }
}

/// Elliptic-curve key generation and loading.
pub trait EllipticCurveBackend: Send + Sync {
    /// Whether this backend has `curve` (pyca's `elliptic_curve_supported`).
    fn elliptic_curve_supported(&self, _curve: EllipticCurve) -> bool {
        false
    }
    /// Whether this backend signs and verifies ECDSA on `curve` with `hash`.
    fn elliptic_curve_signature_algorithm_supported(
        &self,
        _curve: EllipticCurve,
        _hash: HashId,
        _nonce: SignatureNonce,
    ) -> bool {
        false
    }
    /// Whether this backend does ECDH on `curve`.
    fn elliptic_curve_exchange_supported(&self, _curve: EllipticCurve) -> bool {
        false
    }
    /// A new key on `curve`.
    fn generate_ec_private_key(&self, curve: EllipticCurve) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        Err(unsupported(Reason::UnsupportedEllipticCurve, curve.name()))
    }
    /// The key with private scalar `scalar` (big-endian, exactly `scalar_bytes` long; the backend
    /// refuses 0 and values not below the group order as `KeyRejected`).
    fn derive_ec_private_key(
        &self,
        curve: EllipticCurve,
        _scalar: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        Err(unsupported(Reason::UnsupportedEllipticCurve, curve.name()))
    }
    /// The key with private scalar `scalar` (as for
    /// [`derive_ec_private_key`](Self::derive_ec_private_key)) whose public point must be
    /// `public_point` (uncompressed X9.62, prefix and length checked above); a point that is
    /// not the scalar's is `KeyRejected` (`InconsistentComponents`). The default derives the
    /// key and compares; a backend that cannot compute a point from a scalar (ring) builds the
    /// key from both.
    fn load_ec_private_components(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
        public_point: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let key = self.derive_ec_private_key(curve, scalar)?;
        let derived = key.public_key()?.encoded_point(false)?;
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&derived[..], public_point)) {
            return Err(Error::key_rejected(
                KeyRejectedKind::InconsistentComponents,
                "EC public point (it is not the private value's)",
            ));
        }
        Ok(key)
    }
    /// The public key from an X9.62 point (prefix and length checked above; the backend refuses
    /// a point off the curve as `KeyRejected`).
    fn load_ec_public_point(
        &self,
        curve: EllipticCurve,
        _encoded: &[u8],
    ) -> Result<Arc<dyn EcPublicKeyHandle>> {
        Err(unsupported(Reason::UnsupportedEllipticCurve, curve.name()))
    }
}

// ---------------------------------------------------------------------------------------------
// EdDSA (Ed25519, Ed448)

/// An EdDSA public key held by a backend.
pub trait EdPublicKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The curve.
    fn curve(&self) -> EdwardsCurve;
    /// The raw public key.
    fn public_bytes(&self) -> Vec<u8>;
    /// Verifies `signature` (exactly `signature_bytes` long, S canonical: checked above) over
    /// `message`; any failure is `InvalidSignature`.
    fn verify(&self, signature: &[u8], message: &[u8]) -> Result<()>;
}

/// An EdDSA private key held by a backend.
pub trait EdPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The curve.
    fn curve(&self) -> EdwardsCurve;
    /// The public half, on the same backend.
    fn public_key(&self) -> Result<Arc<dyn EdPublicKeyHandle>>;
    /// The raw private key (the RFC 8032 seed).
    fn private_bytes(&self) -> Result<SecretBytes>;
    /// A signature over `message` (pure EdDSA; Ed448 with an empty context).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// EdDSA key generation and loading.
pub trait EdDsaBackend: Send + Sync {
    /// Whether this backend has `curve`.
    fn eddsa_supported(&self, _curve: EdwardsCurve) -> bool {
        false
    }
    /// A new key.
    fn generate_eddsa_private_key(
        &self,
        curve: EdwardsCurve,
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            curve.name(),
        ))
    }
    /// A private key from its raw bytes (length checked above).
    fn load_eddsa_private_bytes(
        &self,
        curve: EdwardsCurve,
        _bytes: &[u8],
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            curve.name(),
        ))
    }
    /// A public key from its raw bytes (length checked above; a backend may refuse an encoding
    /// that is not a point as `KeyRejected`).
    fn load_eddsa_public_bytes(
        &self,
        curve: EdwardsCurve,
        _bytes: &[u8],
    ) -> Result<Arc<dyn EdPublicKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            curve.name(),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// XDH (X25519, X448)

/// An X25519/X448 private key held by a backend. Public keys are plain bytes and need no
/// backend.
pub trait XdhPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The curve.
    fn curve(&self) -> MontgomeryCurve;
    /// The raw public key (the u-coordinate of `k * base point`).
    fn public_bytes(&self) -> Result<Vec<u8>>;
    /// The raw private key (as given; clamping happens inside the scalar multiplication).
    fn private_bytes(&self) -> Result<SecretBytes>;
    /// The raw shared secret with `peer_public` (length checked above). The all-zero result is
    /// refused above, so a backend returns it as computed.
    fn exchange(&self, peer_public: &[u8]) -> Result<SecretBytes>;
}

/// X25519/X448 key generation and loading.
pub trait XdhBackend: Send + Sync {
    /// Whether this backend has `curve`.
    fn xdh_supported(&self, _curve: MontgomeryCurve) -> bool {
        false
    }
    /// A new key.
    fn generate_xdh_private_key(
        &self,
        curve: MontgomeryCurve,
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedExchangeAlgorithm,
            curve.name(),
        ))
    }
    /// A private key from its raw bytes (length checked above).
    fn load_xdh_private_bytes(
        &self,
        curve: MontgomeryCurve,
        _bytes: &[u8],
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedExchangeAlgorithm,
            curve.name(),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// DSA

/// A DSA public key held by a backend.
pub trait DsaPublicKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// p, q and g.
    fn parameters(&self) -> DsaParameterComponents;
    /// The public value y.
    fn public_value(&self) -> Vec<u8>;
    /// Verifies a DER `SEQUENCE { r, s }` signature; any failure is `InvalidSignature`.
    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()>;
}

/// A DSA private key held by a backend.
pub trait DsaPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The public half, on the same backend.
    fn public_key(&self) -> Result<Arc<dyn DsaPublicKeyHandle>>;
    /// The private value x.
    fn private_value(&self) -> Result<SecretBytes>;
    /// A DER `SEQUENCE { r, s }` signature over `input` hashed with `hash`.
    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>>;
}

/// DSA parameter and key generation, and loading.
pub trait DsaBackend: Send + Sync {
    /// Whether this backend has DSA with an L-bit p.
    fn dsa_supported(&self, _key_size: usize) -> bool {
        false
    }
    /// New parameters: `key_size` is 1024, 2048, 3072 or 4096 (checked above), with a q of 160,
    /// 256, 256 and 256 bits.
    fn generate_dsa_parameters(&self, _key_size: usize) -> Result<DsaParameterComponents> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "DSA"))
    }
    /// A new key under `parameters`.
    fn generate_dsa_private_key(
        &self,
        _parameters: &DsaParameterComponents,
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "DSA"))
    }
    /// A private key from x and y (y checked against x above).
    fn load_dsa_private_components(
        &self,
        _parameters: &DsaParameterComponents,
        _x: &[u8],
        _y: &[u8],
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "DSA"))
    }
    /// A public key from y.
    fn load_dsa_public_components(
        &self,
        _parameters: &DsaParameterComponents,
        _y: &[u8],
    ) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        Err(unsupported(Reason::UnsupportedPublicKeyAlgorithm, "DSA"))
    }
}

// ---------------------------------------------------------------------------------------------
// Finite-field Diffie-Hellman

/// A finite-field DH private key held by a backend. Public keys are plain numbers.
pub trait DhPrivateKeyHandle: Send + Sync {
    /// The name of the backend that holds the key.
    fn backend_name(&self) -> &'static str;
    /// The parameters.
    fn parameters(&self) -> DhParameterComponents;
    /// The public value y.
    fn public_value(&self) -> Result<Vec<u8>>;
    /// The private value x.
    fn private_value(&self) -> Result<SecretBytes>;
    /// `peer_y^x mod p`, left-padded with zeros to the length of p (pyca keeps leading zeros).
    /// The peer value is checked to be in `[2, p - 2]` above.
    fn exchange(&self, peer_y: &[u8]) -> Result<SecretBytes>;
}

/// Finite-field DH parameter and key generation, and loading.
pub trait DhBackend: Send + Sync {
    /// Whether this backend has finite-field DH with a p of `key_size` bits.
    fn dh_supported(&self, _key_size: usize) -> bool {
        false
    }
    /// New safe-prime parameters with generator 2 or 5 and a p of `key_size` bits (at least
    /// 512, checked above).
    fn generate_dh_parameters(
        &self,
        _generator: u32,
        _key_size: usize,
    ) -> Result<DhParameterComponents> {
        Err(unsupported(
            Reason::UnsupportedDiffieHellman,
            "Diffie-Hellman",
        ))
    }
    /// A new key under `parameters`.
    fn generate_dh_private_key(
        &self,
        _parameters: &DhParameterComponents,
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedDiffieHellman,
            "Diffie-Hellman",
        ))
    }
    /// A private key from x (the backend computes y).
    fn load_dh_private_value(
        &self,
        _parameters: &DhParameterComponents,
        _x: &[u8],
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        Err(unsupported(
            Reason::UnsupportedDiffieHellman,
            "Diffie-Hellman",
        ))
    }
}
