//! Ed25519 and Ed448 on the Rust backend: `ed25519-dalek` 3 and RustCrypto's
//! `ed448-goldilocks` 0.14.0-pre.15 (a pre-release, pinned exactly; no 0.14 release exists).
//!
//! Inputs arrive checked by the primitives layer (lengths, canonical S, canonical A and R, no
//! small-order points; see the verification rule in
//! [`ed25519`](crate::hazmat::primitives::asymmetric::ed25519#the-verification-rule)).
//! Ed25519 verification is dalek's `verify`, the cofactorless equation the rule names. Ed448
//! verification is the rule's cofactored equation `[4]([S]B - R - [k]A) = 0`, computed here
//! over ed448-goldilocks' points: its own `VerifyingKey` and `verify_raw` refuse A and R with
//! a torsion component, which OpenSSL's cofactored Ed448 accepts when the equation holds. Keys are generated from the operating
//! system's random bytes (`crate::random`); the libraries wipe their keys on drop.

use std::sync::Arc;

use ed25519_dalek::{Signer as _, Verifier as _};
use ed448_goldilocks::elliptic_curve::Group as _;
use ed448_goldilocks::shake::digest::{ExtendableOutput as _, Update as _, XofReader as _};
use zeroize::Zeroizing;

use super::RustBackend;
use crate::exceptions::{Error, KeyRejectedKind, Result};
use crate::hazmat::backends::{EdDsaBackend, EdPrivateKeyHandle, EdPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EdwardsCurve;

const NAME: &str = "rust";

fn rejected(what: &'static str) -> Error {
    Error::key_rejected(KeyRejectedKind::InvalidEncoding, what)
}

// ---------------------------------------------------------------------------------------------
// Ed25519

struct Ed25519Private(ed25519_dalek::SigningKey);
struct Ed25519Public(ed25519_dalek::VerifyingKey);

impl EdPrivateKeyHandle for Ed25519Private {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> EdwardsCurve {
        EdwardsCurve::Ed25519
    }
    fn public_key(&self) -> Result<Arc<dyn EdPublicKeyHandle>> {
        Ok(Arc::new(Ed25519Public(self.0.verifying_key())))
    }
    fn private_bytes(&self) -> Result<SecretBytes> {
        Ok(Zeroizing::new(self.0.as_bytes().to_vec()))
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.0.sign(message).to_bytes().to_vec())
    }
}

impl EdPublicKeyHandle for Ed25519Public {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> EdwardsCurve {
        EdwardsCurve::Ed25519
    }
    fn public_bytes(&self) -> Vec<u8> {
        self.0.as_bytes().to_vec()
    }
    fn verify(&self, signature: &[u8], message: &[u8]) -> Result<()> {
        let signature =
            ed25519_dalek::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
        self.0
            .verify(message, &signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

fn ed25519_from_seed(seed: &[u8]) -> Result<Arc<dyn EdPrivateKeyHandle>> {
    let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
        seed.try_into()
            .map_err(|_| rejected("Ed25519 private key (must be 32 bytes)"))?,
    );
    Ok(Arc::new(Ed25519Private(
        ed25519_dalek::SigningKey::from_bytes(&seed),
    )))
}

// ---------------------------------------------------------------------------------------------
// Ed448

struct Ed448Private(ed448_goldilocks::SigningKey);

/// An Ed448 public key: its encoding and the point. ed448-goldilocks' `VerifyingKey` refuses
/// points with a torsion component, which the rule's cofactored equation accepts (as OpenSSL
/// does), so the point is decoded with `decompress_unchecked` and checked to be on the curve.
struct Ed448Public {
    compressed: [u8; 57],
    point: ed448_goldilocks::EdwardsPoint,
}

/// The point an Ed448 encoding (canonical, checked above) stands for, torsion included.
fn ed448_point(encoding: [u8; 57]) -> Option<ed448_goldilocks::EdwardsPoint> {
    Option::from(ed448_goldilocks::CompressedEdwardsY(encoding).decompress_unchecked())
        .filter(|p: &ed448_goldilocks::AffinePoint| bool::from(p.is_on_curve()))
        .map(|p| p.to_edwards())
}

impl EdPrivateKeyHandle for Ed448Private {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> EdwardsCurve {
        EdwardsCurve::Ed448
    }
    fn public_key(&self) -> Result<Arc<dyn EdPublicKeyHandle>> {
        let public = self.0.verifying_key();
        Ok(Arc::new(Ed448Public {
            compressed: public.to_bytes(),
            point: public.to_edwards(),
        }))
    }
    fn private_bytes(&self) -> Result<SecretBytes> {
        Ok(Zeroizing::new(self.0.as_bytes().to_vec()))
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.0.sign_raw(message).to_bytes().to_vec())
    }
}

impl EdPublicKeyHandle for Ed448Public {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> EdwardsCurve {
        EdwardsCurve::Ed448
    }
    fn public_bytes(&self) -> Vec<u8> {
        self.compressed.to_vec()
    }
    fn verify(&self, signature: &[u8], message: &[u8]) -> Result<()> {
        use ed448_goldilocks::{
            EdwardsPoint, EdwardsScalar, EdwardsScalarBytes, WideEdwardsScalarBytes,
        };
        let (r_bytes, s_bytes) = signature
            .split_at_checked(57)
            .filter(|(_, s)| s.len() == 57)
            .ok_or(Error::InvalidSignature)?;
        let r_array: [u8; 57] = r_bytes.try_into().map_err(|_| Error::InvalidSignature)?;
        let r = ed448_point(r_array).ok_or(Error::InvalidSignature)?;
        let s_array = EdwardsScalarBytes::try_from(s_bytes).map_err(|_| Error::InvalidSignature)?;
        let s: EdwardsScalar = Option::from(EdwardsScalar::from_canonical_bytes(&s_array))
            .ok_or(Error::InvalidSignature)?;
        // k = SHAKE256(dom4(0, "") || R || A || M, 114) mod L.
        let mut wide = WideEdwardsScalarBytes::default();
        let mut xof = ed448_goldilocks::shake::Shake256::default();
        xof.update(b"SigEd448\x00\x00");
        xof.update(r_bytes);
        xof.update(&self.compressed);
        xof.update(message);
        xof.finalize_xof().read(&mut wide);
        let k = EdwardsScalar::from_bytes_mod_order_wide(&wide);
        let difference = EdwardsPoint::GENERATOR * s - (r + self.point * k);
        if bool::from(difference.double().double().is_identity()) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

fn ed448_from_seed(seed: &[u8]) -> Result<Arc<dyn EdPrivateKeyHandle>> {
    let key = ed448_goldilocks::SigningKey::try_from(seed)
        .map_err(|_| rejected("Ed448 private key (must be 57 bytes)"))?;
    Ok(Arc::new(Ed448Private(key)))
}

impl EdDsaBackend for RustBackend {
    fn eddsa_supported(&self, _curve: EdwardsCurve) -> bool {
        true
    }

    fn generate_eddsa_private_key(
        &self,
        curve: EdwardsCurve,
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        let mut seed = Zeroizing::new(vec![0u8; curve.key_bytes()]);
        crate::random::fill(&mut seed)?;
        self.load_eddsa_private_bytes(curve, &seed)
    }

    fn load_eddsa_private_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        match curve {
            EdwardsCurve::Ed25519 => ed25519_from_seed(bytes),
            EdwardsCurve::Ed448 => ed448_from_seed(bytes),
        }
    }

    fn load_eddsa_public_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPublicKeyHandle>> {
        match curve {
            EdwardsCurve::Ed25519 => {
                let array: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| rejected("Ed25519 public key (must be 32 bytes)"))?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&array)
                    .map_err(|_| rejected("Ed25519 public key (not a point)"))?;
                Ok(Arc::new(Ed25519Public(key)))
            }
            EdwardsCurve::Ed448 => {
                let array: [u8; 57] = bytes
                    .try_into()
                    .map_err(|_| rejected("Ed448 public key (must be 57 bytes)"))?;
                let point =
                    ed448_point(array).ok_or_else(|| rejected("Ed448 public key (not a point)"))?;
                Ok(Arc::new(Ed448Public {
                    compressed: array,
                    point,
                }))
            }
        }
    }
}
