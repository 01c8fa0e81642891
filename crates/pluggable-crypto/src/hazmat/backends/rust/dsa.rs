//! DSA on the Rust backend: RustCrypto's `dsa` crate (0.7, `hazmat` feature).
//!
//! Keys of every size the primitives layer accepts (p of 1024-4096 bits, q of 160, 224 or 256
//! bits) load, sign and verify. Parameter generation is the crate's FIPS 186 generation, which
//! has the 1024/160, 2048/256 and 3072/256 sizes; it has no 4096-bit size, so
//! `generate_dsa_parameters(4096)` is `UnsupportedAlgorithm` here (the multi-backend then asks
//! the next member). Signing takes `k` from the operating system's random source, or from
//! RFC 6979 for [`SignatureNonce::Deterministic`]; the message is hashed here, and the digest
//! (truncated to q's length by the crate, as FIPS 186 says) is what the crate signs.

use std::sync::Arc;

use crypto_bigint::BoxedUint;
use dsa::{Components, KeySize, Signature, SigningKey, VerifyingKey};
use signature::hazmat::{PrehashVerifier, RandomizedPrehashSigner};
use zeroize::Zeroizing;

use super::hash_id::{digest, with_digest};
use super::RustBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{DsaBackend, DsaPrivateKeyHandle, DsaPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{DsaParameterComponents, SecretBytes};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{SignInput, SignatureNonce};

/// The operating system's random source as the `rand_core` 0.10 generator the crate takes.
struct OsRng;

impl rand_core::TryRng for OsRng {
    type Error = getrandom::Error;

    fn try_next_u32(&mut self) -> std::result::Result<u32, Self::Error> {
        getrandom::u32()
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, Self::Error> {
        getrandom::u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), Self::Error> {
        getrandom::fill(dst)
    }
}

impl rand_core::TryCryptoRng for OsRng {}

fn random_failure(e: getrandom::Error) -> Error {
    Error::RandomSource(e.to_string())
}

/// The precision (a multiple of the 64-bit limb) the crate wants for an integer of `bytes`.
fn precision(bytes: &[u8]) -> u32 {
    let bits = u32::try_from(bytes.len().saturating_mul(8)).unwrap_or(u32::MAX);
    bits.div_ceil(64).max(1) * 64
}

fn uint(bytes: &[u8], bits_precision: u32, what: &'static str) -> Result<BoxedUint> {
    BoxedUint::from_be_slice(bytes, bits_precision)
        .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, what))
}

/// Minimal big-endian bytes (one zero byte for zero).
fn minimal(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(start..).unwrap_or_default().to_vec()
}

fn components(parameters: &DsaParameterComponents) -> Result<Components> {
    let p = uint(&parameters.p, precision(&parameters.p), "DSA prime p")?;
    let q = uint(&parameters.q, precision(&parameters.q), "DSA prime q")?;
    let g = uint(&parameters.g, precision(&parameters.p), "DSA generator g")?;
    // Sizes are checked above; the unchecked constructor takes the 4096-bit and 224-bit-q
    // sizes the crate's list lacks.
    Components::from_components_unchecked(p, q, g).map_err(|_| {
        Error::key_rejected(KeyRejectedKind::InvalidComponent, "DSA domain parameters")
    })
}

fn parameter_components(c: &Components) -> DsaParameterComponents {
    DsaParameterComponents {
        p: minimal(&c.p().to_be_bytes()),
        q: minimal(&c.q().to_be_bytes()),
        g: minimal(&c.g().to_be_bytes()),
    }
}

fn verifying_key(parameters: &DsaParameterComponents, y: &[u8]) -> Result<VerifyingKey> {
    let c = components(parameters)?;
    let y = uint(y, precision(&parameters.p), "DSA public value y")?;
    VerifyingKey::from_components(c, y)
        .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidComponent, "DSA public value y"))
}

/// The digest the crate signs: the message hashed with `hash`, or the given digest.
fn prehash(input: SignInput<'_>, hash: HashId) -> Vec<u8> {
    match input {
        SignInput::Message(message) => digest(hash, message),
        SignInput::Digest(digest) => digest.to_vec(),
    }
}

impl DsaBackend for RustBackend {
    fn dsa_supported(&self, key_size: usize) -> bool {
        matches!(key_size, 1024 | 2048 | 3072 | 4096)
    }

    fn generate_dsa_parameters(&self, key_size: usize) -> Result<DsaParameterComponents> {
        let size = match key_size {
            #[allow(deprecated)] // 1024-bit DSA is legacy; the layer above documents it
            1024 => KeySize::DSA_1024_160,
            2048 => KeySize::DSA_2048_256,
            3072 => KeySize::DSA_3072_256,
            _ => {
                return Err(Error::unsupported(
                    Reason::UnsupportedPublicKeyAlgorithm,
                    format!(
                        "the Rust backend generates DSA parameters of 1024, 2048 and 3072 bits, \
                         not {key_size}"
                    ),
                ))
            }
        };
        let c = Components::try_generate_from_rng_with_key_size(&mut OsRng, size)
            .map_err(random_failure)?;
        Ok(parameter_components(&c))
    }

    fn generate_dsa_private_key(
        &self,
        parameters: &DsaParameterComponents,
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let key =
            SigningKey::try_generate_from_rng_with_components(&mut OsRng, components(parameters)?)
                .map_err(random_failure)?;
        Ok(Arc::new(RustDsaPrivateKey::new(key, parameters.clone())))
    }

    fn load_dsa_private_components(
        &self,
        parameters: &DsaParameterComponents,
        x: &[u8],
        y: &[u8],
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let public = verifying_key(parameters, y)?;
        let x = uint(x, precision(&parameters.p), "DSA private value x")?;
        let key = SigningKey::from_components(public, x).map_err(|_| {
            Error::key_rejected(KeyRejectedKind::InvalidComponent, "DSA private value x")
        })?;
        Ok(Arc::new(RustDsaPrivateKey::new(key, parameters.clone())))
    }

    fn load_dsa_public_components(
        &self,
        parameters: &DsaParameterComponents,
        y: &[u8],
    ) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        Ok(Arc::new(RustDsaPublicKey {
            key: verifying_key(parameters, y)?,
            parameters: parameters.clone(),
        }))
    }
}

struct RustDsaPublicKey {
    key: VerifyingKey,
    parameters: DsaParameterComponents,
}

impl DsaPublicKeyHandle for RustDsaPublicKey {
    fn backend_name(&self) -> &'static str {
        "rust"
    }

    fn parameters(&self) -> DsaParameterComponents {
        self.parameters.clone()
    }

    fn public_value(&self) -> Vec<u8> {
        minimal(&self.key.y().to_be_bytes())
    }

    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()> {
        let signature = Signature::try_from(signature).map_err(|_| Error::InvalidSignature)?;
        self.key
            .verify_prehash(&prehash(input, hash), &signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

struct RustDsaPrivateKey {
    key: SigningKey,
    public: Arc<RustDsaPublicKey>,
}

impl RustDsaPrivateKey {
    fn new(key: SigningKey, parameters: DsaParameterComponents) -> Self {
        let public = Arc::new(RustDsaPublicKey {
            key: key.verifying_key().clone(),
            parameters,
        });
        RustDsaPrivateKey { key, public }
    }
}

impl DsaPrivateKeyHandle for RustDsaPrivateKey {
    fn backend_name(&self) -> &'static str {
        "rust"
    }

    fn public_key(&self) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_value(&self) -> Result<SecretBytes> {
        let x = Zeroizing::new(self.key.x().to_be_bytes());
        Ok(Zeroizing::new(minimal(&x)))
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        let digest = prehash(input, hash);
        let signature = match nonce {
            SignatureNonce::Random => self.key.sign_prehash_with_rng(&mut OsRng, &digest),
            SignatureNonce::Deterministic => {
                with_digest!(hash, D => self.key.sign_prehashed_rfc6979::<D>(&digest))
            }
        }
        .map_err(|_| Error::Backend("DSA signing failed".into()))?;
        der::Encode::to_der(&signature)
            .map_err(|e| Error::Backend(format!("DSA signature encoding failed: {e}")))
    }
}
