//! RSA on the Rust backend: RustCrypto's `rsa` 0.10 crate.
//!
//! PKCS #1 v1.5 and PSS signatures (PSS with MGF1 over the message hash: the crate has no
//! separate MGF1 hash), OAEP with any label and MGF1 hash, PKCS #1 v1.5 encryption, generation
//! (exponent 3 or 65537), loading from components, `recover_data_from_signature`, and the
//! blinded raw private-key operation over which the primitives layer builds PKCS #1 v1.5
//! decryption with implicit rejection.
//!
//! **Timing advisory.** The `rsa` crate has an open advisory, RUSTSEC-2023-0071 ("Marvin
//! Attack: potential key recovery through timing sidechannels"): its big-integer arithmetic is
//! not fully constant-time, so the time of a private-key operation can depend on the value
//! being decrypted. What this library does about it: every private-key operation here is
//! blinded with fresh randomness from the OS (`rsa_decrypt_and_check` and the signing calls get
//! an RNG), so the value the arithmetic sees is uncorrelated with the attacker's ciphertext;
//! PKCS #1 v1.5 decryption uses implicit rejection above the backend (no padding-validity
//! signal, branch-free unpadding); and every decryption failure is one error. This removes the
//! padding oracle and decorrelates the leak, but does not make the arithmetic itself constant
//! time: prefer the OpenSSL backend for RSA decryption exposed to attackers where that matters.

use std::sync::Arc;

use getrandom::SysRng;
use rsa::hazmat::{rsa_decrypt_and_check, rsa_encrypt};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, Oaep, Pkcs1v15Encrypt, Pkcs1v15Sign, PrivateKey, Pss, PublicKey};
use zeroize::Zeroizing;

use super::hash_id::{digest, with_digest};
use super::RustBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{RsaBackend, RsaPrivateKeyHandle, RsaPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{
    RsaPrivateComponents, RsaPublicComponents, SecretBytes,
};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaRecoveryScheme, RsaSignatureScheme, RsaVerificationScheme, SignInput,
};

const NAME: &str = "rust";

/// The DER `DigestInfo` prefix of PKCS #1 v1.5 signatures with `hash` (RFC 8017 section 9.2,
/// note 1; SHA-3 and SHA-512/t from the NIST OID arc 2.16.840.1.101.3.4.2).
pub(crate) fn digest_info_prefix(hash: HashId) -> Vec<u8> {
    let nist = |last: u8, len: u8| {
        vec![
            0x30,
            0x11 + len,
            0x30,
            0x0d,
            0x06,
            0x09,
            0x60,
            0x86,
            0x48,
            0x01,
            0x65,
            0x03,
            0x04,
            0x02,
            last,
            0x05,
            0x00,
            0x04,
            len,
        ]
    };
    match hash {
        HashId::Sha1 => vec![
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        HashId::Sha256 => nist(0x01, 32),
        HashId::Sha384 => nist(0x02, 48),
        HashId::Sha512 => nist(0x03, 64),
        HashId::Sha224 => nist(0x04, 28),
        HashId::Sha512_224 => nist(0x05, 28),
        HashId::Sha512_256 => nist(0x06, 32),
        HashId::Sha3_224 => nist(0x07, 28),
        HashId::Sha3_256 => nist(0x08, 32),
        HashId::Sha3_384 => nist(0x09, 48),
        HashId::Sha3_512 => nist(0x0a, 64),
    }
}

fn pkcs1v15_sign(hash: HashId) -> Pkcs1v15Sign {
    Pkcs1v15Sign {
        hash_len: Some(hash.digest_size()),
        prefix: digest_info_prefix(hash).into_boxed_slice(),
    }
}

fn uint(bytes: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes)
}

/// Minimal big-endian bytes of `x` (one zero byte for zero), zeroized on drop.
fn be(x: &BoxedUint) -> SecretBytes {
    let full = Zeroizing::new(x.to_be_bytes());
    let start = full
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(full.len().saturating_sub(1));
    Zeroizing::new(full.get(start..).unwrap_or_default().to_vec())
}

fn backend_error(e: rsa::Error) -> Error {
    Error::Backend(format!("rsa: {e}"))
}

fn the_digest(hash: HashId, input: SignInput<'_>) -> Vec<u8> {
    match input {
        SignInput::Message(m) => digest(hash, m),
        SignInput::Digest(d) => d.to_vec(),
    }
}

/// An RSA public key of the `rsa` crate.
struct RustRsaPublicKey {
    key: PublicKey,
    bits: usize,
}

impl RustRsaPublicKey {
    fn load(c: &RsaPublicComponents) -> Result<Self> {
        let (n, e) = (uint(&c.n), uint(&c.e));
        let bits = n.bit_width_vartime() as usize;
        let key = if e <= BoxedUint::from(PublicKey::MAX_PUB_EXPONENT) {
            PublicKey::new_with_size_limits(n, e, 1024..=16384).map_err(|_| {
                Error::key_rejected(KeyRejectedKind::InvalidComponent, "RSA public key")
            })?
        } else {
            // A large exponent (checked odd, below an odd n, above): the crate's DoS limit
            // does not apply to keys the caller chose to load.
            PublicKey::new_unchecked(n, e)
        };
        Ok(RustRsaPublicKey { key, bits })
    }
}

impl RsaPublicKeyHandle for RustRsaPublicKey {
    fn backend_name(&self) -> &'static str {
        NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_components(&self) -> RsaPublicComponents {
        RsaPublicComponents {
            n: be(self.key.n().as_ref()).to_vec(),
            e: be(self.key.e()).to_vec(),
        }
    }

    fn verify(
        &self,
        signature: &[u8],
        input: SignInput<'_>,
        scheme: &RsaVerificationScheme,
    ) -> Result<()> {
        let result = match *scheme {
            RsaVerificationScheme::Pkcs1v15 { hash } => {
                let hashed = the_digest(hash, input);
                self.key.verify(pkcs1v15_sign(hash), &hashed, signature)
            }
            RsaVerificationScheme::Pss {
                hash,
                mgf1_hash,
                salt_length,
            } => {
                if mgf1_hash != hash {
                    return Err(unsupported_mgf());
                }
                let hashed = the_digest(hash, input);
                with_digest!(hash, D => {
                    let mut pss = Pss::<D>::new();
                    pss.salt_len = salt_length;
                    self.key.verify(pss, &hashed, signature)
                })
            }
        };
        result.map_err(|_| Error::InvalidSignature)
    }

    fn encrypt(&self, plaintext: &[u8], scheme: &RsaEncryptionScheme<'_>) -> Result<Vec<u8>> {
        let mut rng = SysRng;
        match *scheme {
            RsaEncryptionScheme::Pkcs1v15 => self.key.encrypt(&mut rng, Pkcs1v15Encrypt, plaintext),
            RsaEncryptionScheme::Oaep {
                hash,
                mgf1_hash,
                label,
            } => with_digest!(hash, D => with_digest!(mgf1_hash, M => {
                let oaep = Oaep::<D, M>::new_with_mgf_hash_and_label(label.to_vec());
                self.key.encrypt(&mut rng, oaep, plaintext)
            })),
        }
        .map_err(backend_error)
    }

    fn recover_data_from_signature(
        &self,
        signature: &[u8],
        scheme: &RsaRecoveryScheme,
    ) -> Result<Vec<u8>> {
        let k = self.bits.div_ceil(8);
        let s = BoxedUint::from_be_slice(signature, self.key.n_bits_precision())
            .map_err(|_| Error::InvalidSignature)?;
        if signature.len() != k || s >= *self.key.n().as_ref() {
            return Err(Error::InvalidSignature);
        }
        let m = rsa_encrypt(&self.key, &s).map_err(|_| Error::InvalidSignature)?;
        let em = m.to_be_bytes();
        let em = em.get(em.len().saturating_sub(k)..).unwrap_or_default();
        // EM = 00 01 FF..FF 00 T, with at least 8 bytes of FF.
        let payload = match em {
            [0x00, 0x01, rest @ ..] => {
                let ff = rest.iter().take_while(|&&b| b == 0xff).count();
                match rest.get(ff..) {
                    Some([0x00, t @ ..]) if ff >= 8 => t,
                    _ => return Err(Error::InvalidSignature),
                }
            }
            _ => return Err(Error::InvalidSignature),
        };
        match scheme.hash {
            None => Ok(payload.to_vec()),
            Some(hash) => {
                let prefix = digest_info_prefix(hash);
                match payload.strip_prefix(prefix.as_slice()) {
                    Some(digest) if digest.len() == hash.digest_size() => Ok(digest.to_vec()),
                    _ => Err(Error::InvalidSignature),
                }
            }
        }
    }
}

fn unsupported_mgf() -> Error {
    Error::unsupported(
        Reason::UnsupportedMgf,
        "the Rust backend's PSS uses MGF1 over the message hash only",
    )
}

/// An RSA private key of the `rsa` crate, with the components it was built from.
struct RustRsaPrivateKey {
    key: PrivateKey,
    bits: usize,
    components: RsaPrivateComponents,
}

impl RustRsaPrivateKey {
    fn from_key(key: PrivateKey) -> Result<Self> {
        let missing = || Error::Backend("rsa: the key has no CRT values".into());
        let primes = key.primes();
        let (p, q) = match primes {
            [p, q] => (p.as_ref(), q.as_ref()),
            _ => return Err(missing()),
        };
        let iqmp = key.qinv().ok_or_else(missing)?.retrieve();
        let components = RsaPrivateComponents {
            n: be(key.n().as_ref()).to_vec(),
            e: be(key.e()).to_vec(),
            d: be(key.d()).to_vec(),
            p: be(p).to_vec(),
            q: be(q).to_vec(),
            dmp1: be(key.dp().ok_or_else(missing)?).to_vec(),
            dmq1: be(key.dq().ok_or_else(missing)?).to_vec(),
            iqmp: be(&Zeroizing::new(iqmp)).to_vec(),
        };
        let bits = key.n().bit_width_vartime() as usize;
        Ok(RustRsaPrivateKey {
            key,
            bits,
            components,
        })
    }

    fn load(c: &RsaPrivateComponents) -> Result<Self> {
        let (n, e, d) = (uint(&c.n), uint(&c.e), Zeroizing::new(uint(&c.d)));
        let primes = vec![uint(&c.p), uint(&c.q)];
        let key = if e <= BoxedUint::from(PublicKey::MAX_PUB_EXPONENT) {
            PrivateKey::from_components(n, e, (*d).clone(), primes)
        } else {
            PrivateKey::from_components_with_large_exponent(n, e, (*d).clone(), primes)
        }
        .map_err(|_| {
            Error::key_rejected(KeyRejectedKind::InconsistentComponents, "RSA private key")
        })?;
        let bits = key.n().bit_width_vartime() as usize;
        Ok(RustRsaPrivateKey {
            key,
            bits,
            components: c.clone(),
        })
    }
}

impl RsaPrivateKeyHandle for RustRsaPrivateKey {
    fn backend_name(&self) -> &'static str {
        NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_key(&self) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Ok(Arc::new(RustRsaPublicKey {
            key: self.key.to_public_key(),
            bits: self.bits,
        }))
    }

    fn private_components(&self) -> Result<RsaPrivateComponents> {
        Ok(self.components.clone())
    }

    fn sign(&self, input: SignInput<'_>, scheme: &RsaSignatureScheme) -> Result<Vec<u8>> {
        let mut rng = SysRng;
        match *scheme {
            RsaSignatureScheme::Pkcs1v15 { hash } => {
                let hashed = the_digest(hash, input);
                self.key
                    .sign_with_rng(&mut rng, pkcs1v15_sign(hash), &hashed)
            }
            RsaSignatureScheme::Pss {
                hash,
                mgf1_hash,
                salt_length,
            } => {
                if mgf1_hash != hash {
                    return Err(unsupported_mgf());
                }
                let hashed = the_digest(hash, input);
                with_digest!(hash, D => {
                    let pss = Pss::<D>::new_blinded_with_salt(salt_length);
                    self.key.sign_with_rng(&mut rng, pss, &hashed)
                })
            }
        }
        .map_err(backend_error)
    }

    fn raw_private_operation(&self, c: &[u8]) -> Result<SecretBytes> {
        let k = self.bits.div_ceil(8);
        let c = BoxedUint::from_be_slice(c, self.key.n_bits_precision())
            .map_err(|_| Error::DecryptionFailed)?;
        let mut rng = SysRng;
        let m = Zeroizing::new(
            rsa_decrypt_and_check(&self.key, Some(&mut rng), &c)
                .map_err(|_| Error::DecryptionFailed)?,
        );
        let full = Zeroizing::new(m.to_be_bytes());
        let mut out = Zeroizing::new(vec![0u8; k]);
        let take = full.len().min(k);
        if let (Some(dst), Some(src)) = (out.get_mut(k - take..), full.get(full.len() - take..)) {
            dst.copy_from_slice(src);
        }
        Ok(out)
    }
}

impl RsaBackend for RustBackend {
    fn rsa_supported(&self, key_size: usize) -> bool {
        (1024..=16384).contains(&key_size)
    }

    fn rsa_signature_supported(&self, scheme: &RsaSignatureScheme) -> bool {
        match *scheme {
            RsaSignatureScheme::Pkcs1v15 { .. } => true,
            RsaSignatureScheme::Pss {
                hash, mgf1_hash, ..
            } => hash == mgf1_hash,
        }
    }

    fn rsa_encryption_supported(&self, _scheme: &RsaEncryptionScheme<'_>) -> bool {
        true
    }

    fn generate_rsa_private_key(
        &self,
        public_exponent: u32,
        key_size: usize,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        let key = PrivateKey::new_with_exp(
            &mut SysRng,
            key_size,
            BoxedUint::from(u64::from(public_exponent)),
        )
        .map_err(backend_error)?;
        Ok(Arc::new(RustRsaPrivateKey::from_key(key)?))
    }

    fn load_rsa_private_components(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        Ok(Arc::new(RustRsaPrivateKey::load(components)?))
    }

    fn load_rsa_public_components(
        &self,
        components: &RsaPublicComponents,
    ) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Ok(Arc::new(RustRsaPublicKey::load(components)?))
    }
}
