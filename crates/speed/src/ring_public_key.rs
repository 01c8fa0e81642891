//! Raw ring public-key baselines (see [`crate::raw_ring_public_key`] for exactly what runs per
//! operation).

use ::ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey as PeerKey};
use ::ring::rand::SystemRandom;
use ::ring::rsa::{KeyPair, KeyPairComponents, PublicKeyComponents};
use ::ring::signature::{
    self, EcdsaKeyPair, Ed25519KeyPair, RsaPublicKeyComponents, UnparsedPublicKey,
};

use crate::fixtures::Keys;
use crate::public_key::{put, put_verified, KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp};
use crate::MESSAGE;

pub(crate) fn runner(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    let keys = Keys::get();
    let rng = SystemRandom::new();
    Some(match (op.kind(), op.family()) {
        (OpKind::Sign, KeyFamily::Rsa(bits)) => {
            let k = keys.rsa(bits)?;
            let key = KeyPair::from_components(&KeyPairComponents {
                public_key: PublicKeyComponents {
                    n: &k.n[..],
                    e: &k.e[..],
                },
                d: &k.d[..],
                p: &k.p[..],
                q: &k.q[..],
                dP: &k.dmp1[..],
                dQ: &k.dmq1[..],
                qInv: &k.iqmp[..],
            })
            .ok()?;
            Box::new(RsaSign { key, rng })
        }
        (OpKind::Verify, KeyFamily::Rsa(bits)) => Box::new(RsaVerify(bits)),
        (OpKind::Sign, KeyFamily::Ec(c)) => {
            let k = keys.ec(c);
            let key =
                EcdsaKeyPair::from_private_key_and_public_key(signing(c), &k.d, &k.point, &rng)
                    .ok()?;
            Box::new(EcdsaSign { key, rng })
        }
        (OpKind::Verify, KeyFamily::Ec(c)) => {
            let k = keys.ec(c);
            Box::new(Verify {
                key: UnparsedPublicKey::new(verification(c), &k.point[..]),
                signature: &k.signature,
            })
        }
        (OpKind::Sign, KeyFamily::Ed25519) => {
            let k = &keys.ed25519;
            Box::new(Ed25519Sign(
                Ed25519KeyPair::from_seed_and_public_key(&k.seed, &k.public).ok()?,
            ))
        }
        (OpKind::Verify, KeyFamily::Ed25519) => Box::new(Verify {
            key: UnparsedPublicKey::new(&signature::ED25519, &keys.ed25519.public[..]),
            signature: &keys.ed25519.signature,
        }),
        (OpKind::Exchange, KeyFamily::X25519) => Box::new(Ephemeral {
            algorithm: &agreement::X25519,
            peer: &keys.x25519.peer,
            rng,
        }),
        (OpKind::Exchange, KeyFamily::Ec(NistCurve::P256)) => Box::new(Ephemeral {
            algorithm: &agreement::ECDH_P256,
            peer: &keys.p256_peer.point,
            rng,
        }),
        (OpKind::Keygen, KeyFamily::Ec(NistCurve::P256)) => Box::new(P256Keygen(rng)),
        _ => return None,
    })
}

fn signing(c: NistCurve) -> &'static signature::EcdsaSigningAlgorithm {
    match c {
        NistCurve::P256 => &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        NistCurve::P384 => &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
    }
}

fn verification(c: NistCurve) -> &'static signature::EcdsaVerificationAlgorithm {
    match c {
        NistCurve::P256 => &signature::ECDSA_P256_SHA256_ASN1,
        NistCurve::P384 => &signature::ECDSA_P384_SHA384_ASN1,
    }
}

struct RsaSign {
    key: KeyPair,
    rng: SystemRandom,
}

impl OpRunner for RsaSign {
    fn run(&mut self, out: &mut Vec<u8>) {
        out.clear();
        out.resize(self.key.public().modulus_len(), 0);
        if self
            .key
            .sign(&signature::RSA_PKCS1_SHA256, &self.rng, &MESSAGE, out)
            .is_err()
        {
            out.clear();
        }
    }
}

/// ring has no parsed RSA public key to verify with: `RsaPublicKeyComponents::verify` (like
/// `UnparsedPublicKey::verify`) checks and converts n and e on every call.
struct RsaVerify(usize);

impl OpRunner for RsaVerify {
    fn run(&mut self, out: &mut Vec<u8>) {
        let ok = Keys::get().rsa(self.0).is_some_and(|k| {
            RsaPublicKeyComponents {
                n: &k.n[..],
                e: &k.e[..],
            }
            .verify(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                &MESSAGE,
                &k.signature,
            )
            .is_ok()
        });
        put_verified(out, ok);
    }
}

struct EcdsaSign {
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl OpRunner for EcdsaSign {
    fn run(&mut self, out: &mut Vec<u8>) {
        match self.key.sign(&self.rng, &MESSAGE) {
            Ok(sig) => put(out, sig.as_ref()),
            Err(_) => out.clear(),
        }
    }
}

struct Ed25519Sign(Ed25519KeyPair);

impl OpRunner for Ed25519Sign {
    fn run(&mut self, out: &mut Vec<u8>) {
        put(out, self.0.sign(&MESSAGE).as_ref());
    }
}

/// ECDSA and Ed25519: `UnparsedPublicKey::verify` (the point is decoded per call; ring has no
/// parsed verifying key).
struct Verify {
    key: UnparsedPublicKey<&'static [u8]>,
    signature: &'static [u8],
}

impl OpRunner for Verify {
    fn run(&mut self, out: &mut Vec<u8>) {
        put_verified(out, self.key.verify(&MESSAGE, self.signature).is_ok());
    }
}

/// A fresh ephemeral key per operation, then the agreement with the fixed peer (ring cannot
/// load a fixed private key for agreement).
struct Ephemeral {
    algorithm: &'static agreement::Algorithm,
    peer: &'static [u8],
    rng: SystemRandom,
}

impl OpRunner for Ephemeral {
    fn run(&mut self, out: &mut Vec<u8>) {
        out.clear();
        let Ok(private) = EphemeralPrivateKey::generate(self.algorithm, &self.rng) else {
            return;
        };
        let peer = PeerKey::new(self.algorithm, self.peer);
        if agreement::agree_ephemeral(private, &peer, |secret| out.extend_from_slice(secret))
            .is_err()
        {
            out.clear();
        }
    }
}

/// `EcdsaKeyPair::generate_pkcs8`; the output is the uncompressed point that ends ring's
/// PKCS#8 v1 document.
struct P256Keygen(SystemRandom);

impl OpRunner for P256Keygen {
    fn run(&mut self, out: &mut Vec<u8>) {
        match EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &self.0) {
            Ok(doc) => {
                let doc = doc.as_ref();
                put(out, &doc[doc.len().saturating_sub(65)..]);
            }
            Err(_) => out.clear(),
        }
    }
}
