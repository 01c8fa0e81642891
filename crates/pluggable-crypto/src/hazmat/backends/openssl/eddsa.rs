//! Ed25519 and Ed448 on the OpenSSL backend.
//!
//! Keys are `EVP_PKEY`s of type `"ED25519"` / `"ED448"`, built once from raw bytes
//! (`EVP_PKEY_new_raw_private_key_ex` / `_public_key_ex`) or generated (`EVP_PKEY_generate`),
//! and shared by every later operation. OpenSSL runs pure EdDSA through the one-shot
//! `EVP_DigestSign` / `EVP_DigestVerify` with no digest (there is no `EVP_PKEY_sign` for it);
//! Ed448 signs with an empty context. Each curve is probed once, on first use, by generating a
//! key.
//!
//! Verification is OpenSSL's: S must be canonical (below the group order L), and the check is
//! the cofactorless equation with R compared as an encoding. OpenSSL does not refuse a
//! small-order A or R by itself; the single verification rule (RFC 8032 with canonical S) is
//! the primitives layer's.

use std::ffi::CStr;
use std::sync::{Arc, OnceLock};

use super::evp::{clear_errors, Params};
use super::pkey::Pkey;
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{EdDsaBackend, EdPrivateKeyHandle, EdPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EdwardsCurve;

const BACKEND_NAME: &str = "openssl";

/// OpenSSL's key type for each curve.
fn key_type(curve: EdwardsCurve) -> &'static CStr {
    match curve {
        EdwardsCurve::Ed25519 => c"ED25519",
        EdwardsCurve::Ed448 => c"ED448",
    }
}

fn generate(curve: EdwardsCurve) -> Result<Pkey> {
    Pkey::generate(key_type(curve), Params::with_capacity(1))
}

/// Which curves the linked libcrypto has, probed once.
fn supported(curve: EdwardsCurve) -> bool {
    static PROBED: OnceLock<[bool; 2]> = OnceLock::new();
    let probed = PROBED.get_or_init(|| {
        [EdwardsCurve::Ed25519, EdwardsCurve::Ed448].map(|c| {
            let ok = generate(c).is_ok();
            clear_errors();
            ok
        })
    });
    match curve {
        EdwardsCurve::Ed25519 => probed[0],
        EdwardsCurve::Ed448 => probed[1],
    }
}

fn require(curve: EdwardsCurve) -> Result<()> {
    if supported(curve) {
        Ok(())
    } else {
        Err(Error::unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            format!("{curve} is not available from this OpenSSL"),
        ))
    }
}

/// The static text naming a raw key in a rejection.
fn what(curve: EdwardsCurve, private: bool) -> &'static str {
    match (curve, private) {
        (EdwardsCurve::Ed25519, true) => "Ed25519 private key",
        (EdwardsCurve::Ed25519, false) => "Ed25519 public key",
        (EdwardsCurve::Ed448, true) => "Ed448 private key",
        (EdwardsCurve::Ed448, false) => "Ed448 public key",
    }
}

fn rejected(curve: EdwardsCurve, private: bool) -> Error {
    clear_errors();
    Error::key_rejected(KeyRejectedKind::InvalidEncoding, what(curve, private))
}

/// An EdDSA public key on the OpenSSL backend.
struct OpenSslEdPublicKey {
    curve: EdwardsCurve,
    key: Pkey,
    bytes: Vec<u8>,
}

impl EdPublicKeyHandle for OpenSslEdPublicKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn curve(&self) -> EdwardsCurve {
        self.curve
    }

    fn public_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    fn verify(&self, signature: &[u8], message: &[u8]) -> Result<()> {
        if self.key.digest_verify_oneshot(signature, message) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

/// An EdDSA private key on the OpenSSL backend.
struct OpenSslEdPrivateKey {
    curve: EdwardsCurve,
    key: Pkey,
    public: Arc<OpenSslEdPublicKey>,
}

impl OpenSslEdPrivateKey {
    fn new(curve: EdwardsCurve, key: Pkey) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        let bytes = key.raw_public_key()?;
        // The public half is a separate, public-only key built once.
        let public_key = Pkey::from_raw_public_key(key_type(curve), &bytes)?;
        Ok(Arc::new(OpenSslEdPrivateKey {
            curve,
            key,
            public: Arc::new(OpenSslEdPublicKey {
                curve,
                key: public_key,
                bytes,
            }),
        }))
    }
}

impl EdPrivateKeyHandle for OpenSslEdPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn curve(&self) -> EdwardsCurve {
        self.curve
    }

    fn public_key(&self) -> Result<Arc<dyn EdPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_bytes(&self) -> Result<SecretBytes> {
        self.key.raw_private_key()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.key.digest_sign_oneshot(message)
    }
}

impl EdDsaBackend for OpenSslBackend {
    fn eddsa_supported(&self, curve: EdwardsCurve) -> bool {
        supported(curve)
    }

    fn generate_eddsa_private_key(
        &self,
        curve: EdwardsCurve,
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        require(curve)?;
        OpenSslEdPrivateKey::new(curve, generate(curve)?)
    }

    fn load_eddsa_private_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        require(curve)?;
        if bytes.len() != curve.key_bytes() {
            return Err(rejected(curve, true));
        }
        let key = Pkey::from_raw_private_key(key_type(curve), bytes)
            .map_err(|_| rejected(curve, true))?;
        OpenSslEdPrivateKey::new(curve, key)
    }

    fn load_eddsa_public_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPublicKeyHandle>> {
        require(curve)?;
        if bytes.len() != curve.key_bytes() {
            return Err(rejected(curve, false));
        }
        let key = Pkey::from_raw_public_key(key_type(curve), bytes)
            .map_err(|_| rejected(curve, false))?;
        Ok(Arc::new(OpenSslEdPublicKey {
            curve,
            key,
            bytes: bytes.to_vec(),
        }))
    }
}
