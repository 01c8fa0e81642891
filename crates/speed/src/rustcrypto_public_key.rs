//! Raw RustCrypto public-key baselines (see [`crate::raw_rustcrypto_public_key`] for exactly
//! what runs per operation).

use getrandom::SysRng;
use p256::elliptic_curve::Generate;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, Oaep, PrivateKey as RsaPrivateKey};
use sha2::Sha256;

use crate::fixtures::{Keys, RsaKey};
use crate::public_key::{put, put_verified, KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp};
use crate::MESSAGE;

pub(crate) fn runner(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    let keys = Keys::get();
    Some(match (op.kind(), op.family()) {
        (OpKind::Sign, KeyFamily::Rsa(bits)) => {
            Box::new(RsaSign(rsa::pkcs1v15::SigningKey::<Sha256>::new(
                rsa_private(keys.rsa(bits)?)?,
            )))
        }
        (OpKind::Verify, KeyFamily::Rsa(bits)) => {
            let k = keys.rsa(bits)?;
            let key = rsa_private(k)?.to_public_key();
            Box::new(RsaVerify {
                key: rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key),
                signature: rsa::pkcs1v15::Signature::try_from(&k.signature[..]).ok()?,
            })
        }
        (OpKind::Decrypt, KeyFamily::Rsa(bits)) => {
            let k = keys.rsa(bits)?;
            Box::new(RsaDecrypt {
                key: rsa_private(k)?,
                ciphertext: &k.ciphertext,
            })
        }
        (OpKind::Keygen, KeyFamily::Rsa(bits)) => Box::new(RsaKeygen(bits)),
        (OpKind::Sign, KeyFamily::Ec(NistCurve::P256)) => Box::new(P256Sign(
            p256::ecdsa::SigningKey::from_slice(&keys.p256.d).ok()?,
        )),
        (OpKind::Sign, KeyFamily::Ec(NistCurve::P384)) => Box::new(P384Sign(
            p384::ecdsa::SigningKey::from_slice(&keys.p384.d).ok()?,
        )),
        (OpKind::Verify, KeyFamily::Ec(NistCurve::P256)) => Box::new(P256Verify(
            p256::ecdsa::VerifyingKey::from_sec1_bytes(&keys.p256.point).ok()?,
        )),
        (OpKind::Verify, KeyFamily::Ec(NistCurve::P384)) => Box::new(P384Verify(
            p384::ecdsa::VerifyingKey::from_sec1_bytes(&keys.p384.point).ok()?,
        )),
        (OpKind::Exchange, KeyFamily::Ec(NistCurve::P256)) => Box::new(P256Ecdh {
            key: p256::SecretKey::from_slice(&keys.p256.d).ok()?,
            peer: p256::PublicKey::from_sec1_bytes(&keys.p256_peer.point).ok()?,
        }),
        (OpKind::Keygen, KeyFamily::Ec(NistCurve::P256)) => Box::new(P256Keygen),
        (OpKind::Sign, KeyFamily::Ed25519) => Box::new(Ed25519Sign(
            ed25519_dalek::SigningKey::from_bytes(&keys.ed25519.seed.clone().try_into().ok()?),
        )),
        (OpKind::Verify, KeyFamily::Ed25519) => {
            let public: [u8; 32] = keys.ed25519.public.clone().try_into().ok()?;
            Box::new(Ed25519Verify {
                key: ed25519_dalek::VerifyingKey::from_bytes(&public).ok()?,
                signature: ed25519_dalek::Signature::from_slice(&keys.ed25519.signature).ok()?,
            })
        }
        (OpKind::Exchange, KeyFamily::X25519) => {
            let private: [u8; 32] = keys.x25519.private.clone().try_into().ok()?;
            let peer: [u8; 32] = keys.x25519.peer.clone().try_into().ok()?;
            Box::new(X25519 {
                key: x25519_dalek::StaticSecret::from(private),
                peer: x25519_dalek::PublicKey::from(peer),
            })
        }
        _ => return None,
    })
}

/// `RsaPrivateKey::from_components` (validation and CRT precomputation).
fn rsa_private(k: &RsaKey) -> Option<RsaPrivateKey> {
    let bits = u32::try_from(k.bits).ok()?;
    let n = BoxedUint::from_be_slice(&k.n, bits).ok()?;
    let e = BoxedUint::from_be_slice(&k.e, 64).ok()?;
    let d = BoxedUint::from_be_slice(&k.d, bits).ok()?;
    let p = BoxedUint::from_be_slice(&k.p, bits / 2).ok()?;
    let q = BoxedUint::from_be_slice(&k.q, bits / 2).ok()?;
    RsaPrivateKey::from_components(n, e, d, vec![p, q]).ok()
}

struct RsaSign(rsa::pkcs1v15::SigningKey<Sha256>);

impl OpRunner for RsaSign {
    fn run(&mut self, out: &mut Vec<u8>) {
        match self.0.try_sign(&MESSAGE) {
            Ok(sig) => put(out, &sig.to_bytes()),
            Err(_) => out.clear(),
        }
    }
}

struct RsaVerify {
    key: rsa::pkcs1v15::VerifyingKey<Sha256>,
    signature: rsa::pkcs1v15::Signature,
}

impl OpRunner for RsaVerify {
    fn run(&mut self, out: &mut Vec<u8>) {
        put_verified(out, self.key.verify(&MESSAGE, &self.signature).is_ok());
    }
}

struct RsaDecrypt {
    key: RsaPrivateKey,
    ciphertext: &'static [u8],
}

impl OpRunner for RsaDecrypt {
    fn run(&mut self, out: &mut Vec<u8>) {
        match self
            .key
            .decrypt_blinded(&mut SysRng, Oaep::<Sha256>::new(), self.ciphertext)
        {
            Ok(plain) => put(out, &plain),
            Err(_) => out.clear(),
        }
    }
}

struct RsaKeygen(usize);

impl OpRunner for RsaKeygen {
    fn run(&mut self, out: &mut Vec<u8>) {
        match RsaPrivateKey::new(&mut SysRng, self.0) {
            Ok(key) => put(out, &key.n().to_be_bytes_trimmed_vartime()),
            Err(_) => out.clear(),
        }
    }
}

struct P256Sign(p256::ecdsa::SigningKey);

impl OpRunner for P256Sign {
    fn run(&mut self, out: &mut Vec<u8>) {
        let signed: Result<p256::ecdsa::Signature, _> =
            self.0.try_sign_with_rng(&mut SysRng, &MESSAGE);
        match signed {
            Ok(sig) => put(out, sig.to_der().as_bytes()),
            Err(_) => out.clear(),
        }
    }
}

struct P384Sign(p384::ecdsa::SigningKey);

impl OpRunner for P384Sign {
    fn run(&mut self, out: &mut Vec<u8>) {
        let signed: Result<p384::ecdsa::Signature, _> =
            self.0.try_sign_with_rng(&mut SysRng, &MESSAGE);
        match signed {
            Ok(sig) => put(out, sig.to_der().as_bytes()),
            Err(_) => out.clear(),
        }
    }
}

/// Parses the DER signature and verifies it, per operation (as for a received signature).
struct P256Verify(p256::ecdsa::VerifyingKey);

impl OpRunner for P256Verify {
    fn run(&mut self, out: &mut Vec<u8>) {
        let ok = p256::ecdsa::Signature::from_der(&Keys::get().p256.signature)
            .is_ok_and(|sig| self.0.verify(&MESSAGE, &sig).is_ok());
        put_verified(out, ok);
    }
}

/// As [`P256Verify`].
struct P384Verify(p384::ecdsa::VerifyingKey);

impl OpRunner for P384Verify {
    fn run(&mut self, out: &mut Vec<u8>) {
        let ok = p384::ecdsa::Signature::from_der(&Keys::get().p384.signature)
            .is_ok_and(|sig| self.0.verify(&MESSAGE, &sig).is_ok());
        put_verified(out, ok);
    }
}

struct P256Ecdh {
    key: p256::SecretKey,
    peer: p256::PublicKey,
}

impl OpRunner for P256Ecdh {
    fn run(&mut self, out: &mut Vec<u8>) {
        let shared =
            p256::ecdh::diffie_hellman(self.key.to_nonzero_scalar(), self.peer.as_affine());
        put(out, shared.raw_secret_bytes());
    }
}

/// `SecretKey::try_generate_from_rng` with the OS RNG, and its uncompressed public point.
struct P256Keygen;

impl OpRunner for P256Keygen {
    fn run(&mut self, out: &mut Vec<u8>) {
        match p256::SecretKey::try_generate_from_rng(&mut SysRng) {
            Ok(key) => put(out, &key.public_key().to_sec1_bytes()),
            Err(_) => out.clear(),
        }
    }
}

struct Ed25519Sign(ed25519_dalek::SigningKey);

impl OpRunner for Ed25519Sign {
    fn run(&mut self, out: &mut Vec<u8>) {
        put(out, &self.0.sign(&MESSAGE).to_bytes());
    }
}

struct Ed25519Verify {
    key: ed25519_dalek::VerifyingKey,
    signature: ed25519_dalek::Signature,
}

impl OpRunner for Ed25519Verify {
    fn run(&mut self, out: &mut Vec<u8>) {
        put_verified(out, self.key.verify(&MESSAGE, &self.signature).is_ok());
    }
}

struct X25519 {
    key: x25519_dalek::StaticSecret,
    peer: x25519_dalek::PublicKey,
}

impl OpRunner for X25519 {
    fn run(&mut self, out: &mut Vec<u8>) {
        put(out, self.key.diffie_hellman(&self.peer).as_bytes());
    }
}
