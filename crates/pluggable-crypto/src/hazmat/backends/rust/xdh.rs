//! X25519 and X448 on the Rust backend: `x25519-dalek` 3 (`StaticSecret`) and RustCrypto's
//! `x448` 0.14.0-pre.12 (a pre-release, pinned exactly; no 0.14 release exists).
//!
//! The raw private key is kept as given (X25519's `StaticSecret` holds it unclamped; for X448
//! the bytes are kept and clamped inside `x448_unchecked`), wiped on drop. The all-zero
//! shared secret is returned as computed and refused by the primitives layer.

use std::sync::Arc;

use zeroize::{Zeroize as _, Zeroizing};

use super::RustBackend;
use crate::exceptions::{Error, KeyRejectedKind, Result};
use crate::hazmat::backends::{XdhBackend, XdhPrivateKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::MontgomeryCurve;

const NAME: &str = "rust";

struct X25519Private(x25519_dalek::StaticSecret);

impl XdhPrivateKeyHandle for X25519Private {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> MontgomeryCurve {
        MontgomeryCurve::X25519
    }
    fn public_bytes(&self) -> Result<Vec<u8>> {
        Ok(x25519_dalek::PublicKey::from(&self.0).as_bytes().to_vec())
    }
    fn private_bytes(&self) -> Result<SecretBytes> {
        Ok(Zeroizing::new(self.0.as_bytes().to_vec()))
    }
    fn exchange(&self, peer_public: &[u8]) -> Result<SecretBytes> {
        let peer: [u8; 32] = peer_public
            .try_into()
            .map_err(|_| length("X25519 public key (must be 32 bytes)"))?;
        let shared = self.0.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
        Ok(Zeroizing::new(shared.as_bytes().to_vec()))
    }
}

struct X448Private(Zeroizing<[u8; 56]>);

impl X448Private {
    fn multiply(&self, u: [u8; 56]) -> SecretBytes {
        let mut scalar = *self.0;
        let mut out = x448::x448_unchecked(scalar, u);
        scalar.zeroize();
        let secret = Zeroizing::new(out.to_vec());
        out.zeroize();
        secret
    }
}

impl XdhPrivateKeyHandle for X448Private {
    fn backend_name(&self) -> &'static str {
        NAME
    }
    fn curve(&self) -> MontgomeryCurve {
        MontgomeryCurve::X448
    }
    fn public_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.multiply(x448::X448_BASEPOINT_BYTES).to_vec())
    }
    fn private_bytes(&self) -> Result<SecretBytes> {
        Ok(Zeroizing::new(self.0.to_vec()))
    }
    fn exchange(&self, peer_public: &[u8]) -> Result<SecretBytes> {
        let peer: [u8; 56] = peer_public
            .try_into()
            .map_err(|_| length("X448 public key (must be 56 bytes)"))?;
        Ok(self.multiply(peer))
    }
}

fn length(what: &'static str) -> Error {
    Error::key_rejected(KeyRejectedKind::InvalidEncoding, what)
}

impl XdhBackend for RustBackend {
    fn xdh_supported(&self, _curve: MontgomeryCurve) -> bool {
        true
    }

    fn generate_xdh_private_key(
        &self,
        curve: MontgomeryCurve,
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        let mut bytes = Zeroizing::new(vec![0u8; curve.key_bytes()]);
        crate::random::fill(&mut bytes)?;
        self.load_xdh_private_bytes(curve, &bytes)
    }

    fn load_xdh_private_bytes(
        &self,
        curve: MontgomeryCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        match curve {
            MontgomeryCurve::X25519 => {
                let mut array: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| length("X25519 private key (must be 32 bytes)"))?;
                let secret = x25519_dalek::StaticSecret::from(array);
                array.zeroize();
                Ok(Arc::new(X25519Private(secret)))
            }
            MontgomeryCurve::X448 => {
                let mut key = Zeroizing::new([0u8; 56]);
                if bytes.len() != 56 {
                    return Err(length("X448 private key (must be 56 bytes)"));
                }
                key.copy_from_slice(bytes);
                Ok(Arc::new(X448Private(key)))
            }
        }
    }
}
