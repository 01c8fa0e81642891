//! RSA on the ring backend: what ring has, and nothing more.
//!
//! - Verification of PKCS #1 v1.5 (SHA-1 for legacy use, SHA-256/384/512) and PSS
//!   (SHA-256/384/512, MGF1 over the same hash, salt as long as the digest) signatures under
//!   2048- to 8192-bit keys with an exponent of at most 2^33 - 1 (ring's
//!   `RsaPublicKeyComponents`).
//! - Signing with the same PKCS #1 v1.5 and PSS choices (SHA-1 excepted) under 2048- to 4096-bit
//!   keys with e >= 65537, from a key pair built with ring's `KeyPair::from_components`; the
//!   components are kept (zeroized on drop) for `private_components`, since ring cannot export
//!   them.
//!
//! ring signs and verifies messages only: a prehashed input (`SignInput::Digest`), any other
//! hash, MGF1 hash or salt length, encryption, decryption, the raw private operation and key
//! generation are `UnsupportedAlgorithm`.

use std::sync::Arc;

use ring::rand::SystemRandom;
use ring::rsa::{KeyPair, KeyPairComponents, PublicKeyComponents};
use ring::signature::{self, RsaEncoding, RsaParameters};

use super::RingBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{RsaBackend, RsaPrivateKeyHandle, RsaPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{
    RsaPrivateComponents, RsaPublicComponents,
};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaSignatureScheme, RsaVerificationScheme, SignInput,
};

const NAME: &str = "ring";
const MAX_VERIFY_EXPONENT: u64 = (1 << 33) - 1;

fn unsupported(reason: Reason, what: &str) -> Error {
    Error::unsupported(
        reason,
        format!("{what} is not supported by the ring backend"),
    )
}

fn bits(be: &[u8]) -> usize {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    match be.get(start) {
        None => 0,
        Some(&top) => (be.len() - start) * 8 - top.leading_zeros() as usize,
    }
}

fn small_value(be: &[u8]) -> Option<u64> {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = be.get(start..)?;
    (digits.len() <= 8).then(|| digits.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)))
}

/// ring's verification parameters for a scheme, if it has them.
fn verification_params(scheme: &RsaVerificationScheme) -> Option<&'static RsaParameters> {
    match *scheme {
        RsaVerificationScheme::Pkcs1v15 { hash } => match hash {
            HashId::Sha1 => Some(&signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY),
            HashId::Sha256 => Some(&signature::RSA_PKCS1_2048_8192_SHA256),
            HashId::Sha384 => Some(&signature::RSA_PKCS1_2048_8192_SHA384),
            HashId::Sha512 => Some(&signature::RSA_PKCS1_2048_8192_SHA512),
            _ => None,
        },
        RsaVerificationScheme::Pss {
            hash,
            mgf1_hash,
            salt_length,
        } if mgf1_hash == hash && salt_length == Some(hash.digest_size()) => match hash {
            HashId::Sha256 => Some(&signature::RSA_PSS_2048_8192_SHA256),
            HashId::Sha384 => Some(&signature::RSA_PSS_2048_8192_SHA384),
            HashId::Sha512 => Some(&signature::RSA_PSS_2048_8192_SHA512),
            _ => None,
        },
        RsaVerificationScheme::Pss { .. } => None,
    }
}

/// ring's signing encoding for a scheme, if it has it.
fn signing_encoding(scheme: &RsaSignatureScheme) -> Option<&'static dyn RsaEncoding> {
    match *scheme {
        RsaSignatureScheme::Pkcs1v15 { hash } => match hash {
            HashId::Sha256 => Some(&signature::RSA_PKCS1_SHA256),
            HashId::Sha384 => Some(&signature::RSA_PKCS1_SHA384),
            HashId::Sha512 => Some(&signature::RSA_PKCS1_SHA512),
            _ => None,
        },
        RsaSignatureScheme::Pss {
            hash,
            mgf1_hash,
            salt_length,
        } if mgf1_hash == hash && salt_length == hash.digest_size() => match hash {
            HashId::Sha256 => Some(&signature::RSA_PSS_SHA256),
            HashId::Sha384 => Some(&signature::RSA_PSS_SHA384),
            HashId::Sha512 => Some(&signature::RSA_PSS_SHA512),
            _ => None,
        },
        RsaSignatureScheme::Pss { .. } => None,
    }
}

fn message_only(input: SignInput<'_>) -> Result<&[u8]> {
    match input {
        SignInput::Message(m) => Ok(m),
        SignInput::Digest(_) => Err(unsupported(
            Reason::UnsupportedHash,
            "RSA over a prehashed digest",
        )),
    }
}

/// An RSA public key: ring verifies straight from n and e.
struct RingRsaPublicKey {
    components: RsaPublicComponents,
    bits: usize,
}

impl RsaPublicKeyHandle for RingRsaPublicKey {
    fn backend_name(&self) -> &'static str {
        NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_components(&self) -> RsaPublicComponents {
        self.components.clone()
    }

    fn verify(
        &self,
        signature: &[u8],
        input: SignInput<'_>,
        scheme: &RsaVerificationScheme,
    ) -> Result<()> {
        let params = verification_params(scheme).ok_or_else(|| {
            unsupported(
                Reason::UnsupportedPadding,
                "this RSA signature hash, MGF1 hash or salt length",
            )
        })?;
        if small_value(&self.components.e).is_none_or(|e| e > MAX_VERIFY_EXPONENT) {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "an RSA public exponent above 2^33 - 1",
            ));
        }
        let message = message_only(input)?;
        PublicKeyComponents {
            n: self.components.n.as_slice(),
            e: self.components.e.as_slice(),
        }
        .verify(params, message, signature)
        .map_err(|_| Error::InvalidSignature)
    }

    fn encrypt(&self, _plaintext: &[u8], _scheme: &RsaEncryptionScheme<'_>) -> Result<Vec<u8>> {
        Err(unsupported(Reason::UnsupportedPadding, "RSA encryption"))
    }
}

/// An RSA key pair of ring, with the components it was built from.
struct RingRsaPrivateKey {
    key: KeyPair,
    bits: usize,
    components: RsaPrivateComponents,
}

impl RsaPrivateKeyHandle for RingRsaPrivateKey {
    fn backend_name(&self) -> &'static str {
        NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_key(&self) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Ok(Arc::new(RingRsaPublicKey {
            components: self.components.public(),
            bits: self.bits,
        }))
    }

    fn private_components(&self) -> Result<RsaPrivateComponents> {
        Ok(self.components.clone())
    }

    fn sign(&self, input: SignInput<'_>, scheme: &RsaSignatureScheme) -> Result<Vec<u8>> {
        let encoding = signing_encoding(scheme).ok_or_else(|| {
            unsupported(
                Reason::UnsupportedPadding,
                "this RSA signature hash, MGF1 hash or salt length",
            )
        })?;
        let message = message_only(input)?;
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(encoding, &SystemRandom::new(), message, &mut signature)
            .map_err(|_| Error::Backend("ring: RSA signing failed".into()))?;
        Ok(signature)
    }
}

impl RsaBackend for RingBackend {
    fn rsa_supported(&self, key_size: usize) -> bool {
        (2048..=8192).contains(&key_size)
    }

    fn rsa_signature_supported(&self, scheme: &RsaSignatureScheme) -> bool {
        signing_encoding(scheme).is_some()
    }

    fn load_rsa_private_components(
        &self,
        c: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        let size = bits(&c.n);
        if !(2048..=4096).contains(&size) || small_value(&c.e).is_none_or(|e| e < 65537) {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "an RSA private key outside 2048-4096 bits or with e < 65537",
            ));
        }
        let key = KeyPair::from_components(&KeyPairComponents {
            public_key: PublicKeyComponents {
                n: c.n.as_slice(),
                e: c.e.as_slice(),
            },
            d: c.d.as_slice(),
            p: c.p.as_slice(),
            q: c.q.as_slice(),
            dP: c.dmp1.as_slice(),
            dQ: c.dmq1.as_slice(),
            qInv: c.iqmp.as_slice(),
        })
        .map_err(|_| {
            Error::key_rejected(KeyRejectedKind::InconsistentComponents, "RSA private key")
        })?;
        Ok(Arc::new(RingRsaPrivateKey {
            key,
            bits: size,
            components: c.clone(),
        }))
    }

    fn load_rsa_public_components(
        &self,
        components: &RsaPublicComponents,
    ) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        let size = bits(&components.n);
        if !self.rsa_supported(size) {
            return Err(unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "an RSA key outside 2048-8192 bits",
            ));
        }
        Ok(Arc::new(RingRsaPublicKey {
            components: components.clone(),
            bits: size,
        }))
    }
}
