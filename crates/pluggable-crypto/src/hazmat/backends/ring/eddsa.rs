//! Ed25519 on the ring backend (ring has no Ed448: `UnsupportedAlgorithm`).
//!
//! ring signs with `Ed25519KeyPair::from_seed_unchecked`, from the 32-byte RFC 8032 seed, which
//! this handle keeps (ring cannot export it), wiped on drop. A new key's seed comes from the
//! operating system (`crate::random`) rather than from ring's PKCS#8 generation, whose document
//! would have to be parsed back for the seed. Verification is ring's `ED25519`
//! (`UnparsedPublicKey`), the cofactorless equation with canonical S; the primitives layer has
//! already applied the rest of the verification rule (canonical A and R, no small-order points;
//! see [`ed25519`](crate::hazmat::primitives::asymmetric::ed25519#the-verification-rule)).

use std::sync::Arc;

use ring::signature::{self, KeyPair as _};
use zeroize::Zeroizing;

use super::RingBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{EdDsaBackend, EdPrivateKeyHandle, EdPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EdwardsCurve;

const NAME: &str = "ring";

struct Ed25519Private {
    seed: Zeroizing<Vec<u8>>,
    key_pair: signature::Ed25519KeyPair,
}

struct Ed25519Public(Vec<u8>);

impl EdPrivateKeyHandle for Ed25519Private {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> EdwardsCurve {
        EdwardsCurve::Ed25519
    }
    fn public_key(&self) -> Result<Arc<dyn EdPublicKeyHandle>> {
        Ok(Arc::new(Ed25519Public(
            self.key_pair.public_key().as_ref().to_vec(),
        )))
    }
    fn private_bytes(&self) -> Result<SecretBytes> {
        Ok(self.seed.clone())
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.key_pair.sign(message).as_ref().to_vec())
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
        self.0.clone()
    }
    fn verify(&self, signature: &[u8], message: &[u8]) -> Result<()> {
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.0)
            .verify(message, signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

fn unsupported(curve: EdwardsCurve) -> Error {
    Error::unsupported(
        Reason::UnsupportedPublicKeyAlgorithm,
        format!("{} is not supported by the ring backend", curve.name()),
    )
}

impl EdDsaBackend for RingBackend {
    fn eddsa_supported(&self, curve: EdwardsCurve) -> bool {
        curve == EdwardsCurve::Ed25519
    }

    fn generate_eddsa_private_key(
        &self,
        curve: EdwardsCurve,
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        if curve != EdwardsCurve::Ed25519 {
            return Err(unsupported(curve));
        }
        let mut seed = Zeroizing::new(vec![0u8; 32]);
        crate::random::fill(&mut seed)?;
        self.load_eddsa_private_bytes(curve, &seed)
    }

    fn load_eddsa_private_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        if curve != EdwardsCurve::Ed25519 {
            return Err(unsupported(curve));
        }
        let key_pair = signature::Ed25519KeyPair::from_seed_unchecked(bytes).map_err(|_| {
            Error::key_rejected(
                KeyRejectedKind::InvalidEncoding,
                "Ed25519 private key (must be 32 bytes)",
            )
        })?;
        Ok(Arc::new(Ed25519Private {
            seed: Zeroizing::new(bytes.to_vec()),
            key_pair,
        }))
    }

    fn load_eddsa_public_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPublicKeyHandle>> {
        if curve != EdwardsCurve::Ed25519 {
            return Err(unsupported(curve));
        }
        if bytes.len() != 32 {
            return Err(Error::key_rejected(
                KeyRejectedKind::InvalidEncoding,
                "Ed25519 public key (must be 32 bytes)",
            ));
        }
        Ok(Arc::new(Ed25519Public(bytes.to_vec())))
    }
}
