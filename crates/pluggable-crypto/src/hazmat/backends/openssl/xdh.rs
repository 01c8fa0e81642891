//! X25519 and X448 on the OpenSSL backend.
//!
//! Private keys are `EVP_PKEY`s of type `"X25519"` / `"X448"`, built once from raw bytes
//! (`EVP_PKEY_new_raw_private_key_ex`) or generated (`EVP_PKEY_generate`); the exchange builds
//! the peer's key from its raw bytes (`EVP_PKEY_new_raw_public_key_ex`) and derives with
//! `EVP_PKEY_derive`. Each curve is probed once, on first use, by generating a key.
//!
//! OpenSSL itself refuses an all-zero shared secret (a small-order peer) in `EVP_PKEY_derive`
//! (`PROV_R_FAILED_DURING_DERIVATION`). The interface asks for the secret as computed, with the
//! all-zero refusal made once in the primitives layer, so that refusal is answered with the
//! all-zero secret it stands for, and the caller sees the same error on every backend.

use std::ffi::CStr;
use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use super::evp::{clear_errors, Params};
use super::pkey::Pkey;
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{XdhBackend, XdhPrivateKeyHandle};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::MontgomeryCurve;

const BACKEND_NAME: &str = "openssl";

/// OpenSSL's key type for each curve.
fn key_type(curve: MontgomeryCurve) -> &'static CStr {
    match curve {
        MontgomeryCurve::X25519 => c"X25519",
        MontgomeryCurve::X448 => c"X448",
    }
}

fn generate(curve: MontgomeryCurve) -> Result<Pkey> {
    Pkey::generate(key_type(curve), Params::with_capacity(1))
}

/// Which curves the linked libcrypto has, probed once.
fn supported(curve: MontgomeryCurve) -> bool {
    static PROBED: OnceLock<[bool; 2]> = OnceLock::new();
    let probed = PROBED.get_or_init(|| {
        [MontgomeryCurve::X25519, MontgomeryCurve::X448].map(|c| {
            let ok = generate(c).is_ok();
            clear_errors();
            ok
        })
    });
    match curve {
        MontgomeryCurve::X25519 => probed[0],
        MontgomeryCurve::X448 => probed[1],
    }
}

fn require(curve: MontgomeryCurve) -> Result<()> {
    if supported(curve) {
        Ok(())
    } else {
        Err(Error::unsupported(
            Reason::UnsupportedExchangeAlgorithm,
            format!("{curve} is not available from this OpenSSL"),
        ))
    }
}

/// The static text naming a raw key in a rejection.
fn what(curve: MontgomeryCurve, private: bool) -> &'static str {
    match (curve, private) {
        (MontgomeryCurve::X25519, true) => "X25519 private key",
        (MontgomeryCurve::X25519, false) => "X25519 public key",
        (MontgomeryCurve::X448, true) => "X448 private key",
        (MontgomeryCurve::X448, false) => "X448 public key",
    }
}

fn rejected(curve: MontgomeryCurve, private: bool) -> Error {
    clear_errors();
    Error::key_rejected(KeyRejectedKind::InvalidEncoding, what(curve, private))
}

/// An X25519/X448 private key on the OpenSSL backend.
struct OpenSslXdhPrivateKey {
    curve: MontgomeryCurve,
    key: Pkey,
    public: Vec<u8>,
}

impl OpenSslXdhPrivateKey {
    fn new(curve: MontgomeryCurve, key: Pkey) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        let public = key.raw_public_key()?;
        Ok(Arc::new(OpenSslXdhPrivateKey { curve, key, public }))
    }
}

impl XdhPrivateKeyHandle for OpenSslXdhPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn curve(&self) -> MontgomeryCurve {
        self.curve
    }

    fn public_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.public.clone())
    }

    fn private_bytes(&self) -> Result<SecretBytes> {
        self.key.raw_private_key()
    }

    fn exchange(&self, peer_public: &[u8]) -> Result<SecretBytes> {
        if peer_public.len() != self.curve.key_bytes() {
            return Err(rejected(self.curve, false));
        }
        let peer = Pkey::from_raw_public_key(key_type(self.curve), peer_public)
            .map_err(|_| rejected(self.curve, false))?;
        let ctx = self.key.ctx()?;
        ctx.derive_init()?;
        ctx.derive_set_peer(&peer)
            .map_err(|_| rejected(self.curve, false))?;
        match ctx.derive_unless_refused()? {
            Some(secret) => Ok(secret),
            // OpenSSL computed the all-zero secret and refused it; hand it up as computed.
            None => Ok(Zeroizing::new(vec![0u8; self.curve.key_bytes()])),
        }
    }
}

impl XdhBackend for OpenSslBackend {
    fn xdh_supported(&self, curve: MontgomeryCurve) -> bool {
        supported(curve)
    }

    fn generate_xdh_private_key(
        &self,
        curve: MontgomeryCurve,
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        require(curve)?;
        OpenSslXdhPrivateKey::new(curve, generate(curve)?)
    }

    fn load_xdh_private_bytes(
        &self,
        curve: MontgomeryCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        require(curve)?;
        if bytes.len() != curve.key_bytes() {
            return Err(rejected(curve, true));
        }
        let key = Pkey::from_raw_private_key(key_type(curve), bytes)
            .map_err(|_| rejected(curve, true))?;
        OpenSslXdhPrivateKey::new(curve, key)
    }
}
