//! ECDSA and ECDH on the Rust backend: RustCrypto's `ecdsa` 0.17 over the curve crates `p224`
//! (a pre-release, pinned), `p256`, `p384`, `p521`, `k256` (secp256k1), `bp256` and `bp384`
//! (brainpoolP256r1/P384r1). There is no maintained brainpoolP512r1 crate, so that curve is
//! `UnsupportedAlgorithm` here.
//!
//! One generic implementation serves every curve; [`with_curve!`] picks the curve type.
//! Signing and verification go through `ecdsa::hazmat` on a digest, so every hash and
//! prehashed input work alike (a digest longer than the order is truncated to its leftmost
//! bits, FIPS 186 `bits2int`). Random nonces are drawn from the operating system by rejection
//! sampling; deterministic ones follow RFC 6979 with the signature's hash. secp256k1
//! signatures are verified whether s is low or high (plain ECDSA, as OpenSSL does); `k256`
//! signs with low s.

use std::sync::Arc;

use ecdsa::hazmat::{sign_prehashed, sign_prehashed_rfc6979, verify_prehashed};
use ecdsa::{EcdsaCurve, Signature};
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, NonZeroScalar};
use elliptic_curve::{PublicKey, SecretKey};
use zeroize::Zeroize;

use super::hash_id::with_digest;
use super::RustBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{EcPrivateKeyHandle, EcPublicKeyHandle, EllipticCurveBackend};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{SignInput, SignatureNonce};
use crate::hazmat::primitives::asymmetric::utils::{dss_to_fixed, fixed_to_dss};

/// Runs `$body` with `$C` bound to the curve type of `$curve`, or evaluates `$none` for a
/// curve this backend lacks.
macro_rules! with_curve {
    ($curve:expr, $C:ident => $body:expr, else $none:expr) => {
        match $curve {
            EllipticCurve::Secp224r1 => {
                type $C = ::p224::NistP224;
                $body
            }
            EllipticCurve::Secp256r1 => {
                type $C = ::p256::NistP256;
                $body
            }
            EllipticCurve::Secp384r1 => {
                type $C = ::p384::NistP384;
                $body
            }
            EllipticCurve::Secp521r1 => {
                type $C = ::p521::NistP521;
                $body
            }
            EllipticCurve::Secp256k1 => {
                type $C = ::k256::Secp256k1;
                $body
            }
            EllipticCurve::BrainpoolP256r1 => {
                type $C = ::bp256::BrainpoolP256r1;
                $body
            }
            EllipticCurve::BrainpoolP384r1 => {
                type $C = ::bp384::BrainpoolP384r1;
                $body
            }
            _ => $none,
        }
    };
}

fn unsupported_curve(curve: EllipticCurve) -> Error {
    Error::unsupported(
        Reason::UnsupportedEllipticCurve,
        format!("{curve} is not supported by the rust backend (no maintained RustCrypto crate)"),
    )
}

impl EllipticCurveBackend for RustBackend {
    fn elliptic_curve_supported(&self, curve: EllipticCurve) -> bool {
        with_curve!(curve, C => { let _ = std::marker::PhantomData::<C>; true }, else false)
    }

    fn elliptic_curve_signature_algorithm_supported(
        &self,
        curve: EllipticCurve,
        _hash: HashId,
        nonce: SignatureNonce,
    ) -> bool {
        self.elliptic_curve_supported(curve)
            && !(nonce == SignatureNonce::Deterministic && curve == EllipticCurve::Secp256k1)
    }

    fn elliptic_curve_exchange_supported(&self, curve: EllipticCurve) -> bool {
        self.elliptic_curve_supported(curve)
    }

    fn generate_ec_private_key(&self, curve: EllipticCurve) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        with_curve!(curve, C => {
            let scalar = random_scalar::<C>(curve)?;
            Ok(Arc::new(RustEcPrivateKey::<C>::new(curve, &scalar)) as Arc<dyn EcPrivateKeyHandle>)
        }, else Err(unsupported_curve(curve)))
    }

    fn derive_ec_private_key(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        with_curve!(curve, C => {
            let secret = SecretKey::<C>::from_slice(scalar).map_err(|_| {
                Error::key_rejected(
                    KeyRejectedKind::InvalidComponent,
                    "EC private value (it must be in [1, n - 1] for the group order n)",
                )
            })?;
            Ok(Arc::new(RustEcPrivateKey::<C>::new(curve, &secret.to_nonzero_scalar()))
                as Arc<dyn EcPrivateKeyHandle>)
        }, else Err(unsupported_curve(curve)))
    }

    fn load_ec_public_point(
        &self,
        curve: EllipticCurve,
        encoded: &[u8],
    ) -> Result<Arc<dyn EcPublicKeyHandle>> {
        with_curve!(curve, C => {
            Ok(Arc::new(RustEcPublicKey::<C> { curve, point: decode_point::<C>(encoded)? })
                as Arc<dyn EcPublicKeyHandle>)
        }, else Err(unsupported_curve(curve)))
    }
}

fn decode_point<C>(encoded: &[u8]) -> Result<PublicKey<C>>
where
    C: EcdsaCurve + CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    PublicKey::<C>::from_sec1_bytes(encoded).map_err(|_| {
        Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            "EC public point (it is not on the curve)",
        )
    })
}

/// A uniformly random scalar in `[1, n - 1]`: OS bytes masked to the order's bit length,
/// redrawn until below n.
fn random_scalar<C>(curve: EllipticCurve) -> Result<NonZeroScalar<C>>
where
    C: EcdsaCurve + CurveArithmetic,
{
    let mut bytes = FieldBytes::<C>::default();
    let extra_bits = curve.key_size() % 8;
    loop {
        crate::random::fill(&mut bytes)?;
        if extra_bits != 0 {
            if let Some(top) = bytes.first_mut() {
                *top &= (1u8 << extra_bits) - 1;
            }
        }
        let candidate = NonZeroScalar::<C>::from_repr(bytes).into_option();
        if let Some(scalar) = candidate {
            bytes.zeroize();
            return Ok(scalar);
        }
    }
}

/// The digest ECDSA signs: the message hashed with `hash`, or the given digest.
fn digest_of(input: SignInput<'_>, hash: HashId) -> Vec<u8> {
    match input {
        SignInput::Message(message) => super::hash_id::digest(hash, message),
        SignInput::Digest(digest) => digest.to_vec(),
    }
}

struct RustEcPrivateKey<C: CurveArithmetic> {
    curve: EllipticCurve,
    secret: SecretKey<C>,
    public: Arc<RustEcPublicKey<C>>,
}

impl<C> RustEcPrivateKey<C>
where
    C: EcdsaCurve + CurveArithmetic,
{
    fn new(curve: EllipticCurve, scalar: &NonZeroScalar<C>) -> Self {
        RustEcPrivateKey {
            curve,
            secret: SecretKey::<C>::from(scalar),
            public: Arc::new(RustEcPublicKey {
                curve,
                point: PublicKey::<C>::from_secret_scalar(scalar),
            }),
        }
    }
}

impl<C> EcPrivateKeyHandle for RustEcPrivateKey<C>
where
    C: EcdsaCurve + CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    fn backend_name(&self) -> &'static str {
        "rust"
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn public_key(&self) -> Result<Arc<dyn EcPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_scalar(&self) -> Result<SecretBytes> {
        let mut bytes = self.secret.to_bytes();
        let out = SecretBytes::new(bytes.to_vec());
        bytes.zeroize();
        Ok(out)
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        let z = digest_of(input, hash);
        let d = self.secret.to_nonzero_scalar();
        let signature: Signature<C> = match nonce {
            // k256 normalizes every signature to low S (`EcdsaCurve::NORMALIZE_S`), so its
            // RFC 6979 signatures are n - s for half the inputs: not the RFC's bytes, nor
            // OpenSSL's. Refused rather than served with different bytes; random-nonce
            // signatures (low S, valid everywhere) are unaffected.
            SignatureNonce::Deterministic if C::NORMALIZE_S => {
                return Err(Error::unsupported(
                    Reason::UnsupportedPublicKeyAlgorithm,
                    format!(
                        "deterministic ECDSA (RFC 6979) on {} is not served by the Rust \
                         backend: its curve crate normalizes s to the low half, which changes \
                         the RFC's signatures",
                        self.curve
                    ),
                ));
            }
            SignatureNonce::Deterministic => with_digest!(hash, D => {
                sign_prehashed_rfc6979::<C, D>(&d, &z, &[]).0
            }),
            SignatureNonce::Random => loop {
                let k = random_scalar::<C>(self.curve)?;
                // Fails only for r = 0 or s = 0 (probability ~2^-256): draw another k.
                if let Ok((signature, _)) = sign_prehashed(&d, &k, &z) {
                    break signature;
                }
            },
        };
        fixed_to_dss(&signature.to_bytes())
            .ok_or_else(|| Error::Backend("ECDSA produced an empty signature".into()))
    }

    fn exchange(&self, peer_uncompressed_point: &[u8]) -> Result<SecretBytes> {
        let peer = decode_point::<C>(peer_uncompressed_point)?;
        let shared =
            elliptic_curve::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), peer.as_affine());
        Ok(SecretBytes::new(shared.raw_secret_bytes().to_vec()))
    }
}

struct RustEcPublicKey<C: CurveArithmetic> {
    curve: EllipticCurve,
    point: PublicKey<C>,
}

impl<C> EcPublicKeyHandle for RustEcPublicKey<C>
where
    C: EcdsaCurve + CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    fn backend_name(&self) -> &'static str {
        "rust"
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn encoded_point(&self, compressed: bool) -> Result<Vec<u8>> {
        Ok(self
            .point
            .as_affine()
            .to_sec1_point(compressed)
            .as_bytes()
            .to_vec())
    }

    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()> {
        let fixed =
            dss_to_fixed(signature, self.curve.scalar_bytes()).ok_or(Error::InvalidSignature)?;
        let signature = Signature::<C>::from_slice(&fixed).map_err(|_| Error::InvalidSignature)?;
        // Plain ECDSA accepts either s; a low-s curve type (k256) would refuse a high one.
        let signature = if C::NORMALIZE_S {
            signature.normalize_s()
        } else {
            signature
        };
        let z = digest_of(input, hash);
        verify_prehashed(&self.point.to_projective(), &z, &signature)
            .map_err(|_| Error::InvalidSignature)
    }
}
