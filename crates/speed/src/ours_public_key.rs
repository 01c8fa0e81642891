//! Our library's public-key rows on a given backend, written against the backend key handles
//! of `pluggable_crypto::hazmat::backends` (the interface traits in `backends/asymmetric.rs`).
//!
//! Every runner is made in two steps: `load` builds the key once through the backend (the
//! `*_supported` query, then `load_*`/`derive_*`, or nothing for key generation) and returns
//! a closure that runs one operation; [`ours_public_key`] runs that closure once, and returns
//! `None` when the query, the loading or that first operation is refused, so a backend that
//! does not (yet) implement a family has no row.
//!
//! ## Switching to the user layer
//!
//! Every row here is one `match` arm of `load`, and only that function touches the backend
//! traits. To measure the user API instead (`primitives::asymmetric::{rsa, ec, ed25519, x25519}`),
//! replace each arm's two lines — the key built once, the operation run per call — with the
//! user-layer pair, keeping the closure's output convention:
//!
//! | row | once | per operation |
//! |---|---|---|
//! | RSA sign | `RsaPrivateNumbers::new(..).private_key_with_backend(backend)` | `key.sign(&MESSAGE, Pkcs1v15, Sha256)` |
//! | RSA verify | `RsaPublicNumbers::new(e, n).public_key_with_backend(backend)` | `key.verify(sig, &MESSAGE, Pkcs1v15, Sha256)` → `[1]` |
//! | RSA OAEP decrypt | the private key as above | `key.decrypt(ct, Oaep::new(Mgf1(Sha256), Sha256, None))` |
//! | ECDSA sign / verify | `derive_private_key_with_backend(d, curve, backend)` / `from_encoded_point_with_backend` | `sign(&MESSAGE, Ecdsa(hash))` / `verify(..)` → `[1]` |
//! | Ed25519 sign / verify | `Ed25519PrivateKey::from_private_bytes_with_backend` / `Ed25519PublicKey::from_public_bytes_with_backend` | `sign(&MESSAGE)` / `verify(sig, &MESSAGE)` → `[1]` |
//! | X25519 / ECDH | `X25519PrivateKey::from_private_bytes_with_backend` / the EC private key, the peer public key | `exchange(&peer)` / `exchange(Ecdh, &peer)` |
//! | keygen | — | `rsa::generate_private_key_with_backend(65537, 2048, backend)` → n; `ec::generate_private_key_with_backend(Secp256r1, backend)` → uncompressed point |
//!
//! The names in the table are those `COMMON.md` sets for the user layer (the exact argument
//! types are the user modules'). Nothing else changes: the CLI, the benchmark and the tests
//! see only [`ours_public_key`].

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::components::{
    RsaPrivateComponents, RsaPublicComponents,
};
use pluggable_crypto::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaSignatureScheme, RsaVerificationScheme, SignInput,
};
use pluggable_crypto::hazmat::primitives::asymmetric::{
    EdwardsCurve, EllipticCurve, HashId, MontgomeryCurve, SignatureNonce,
};
use pluggable_crypto::Result;

use crate::fixtures::Keys;
use crate::public_key::{put, KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp, MESSAGE};

/// One operation on a key built once: writes the output (see [`crate::public_key`]).
type Operation = Box<dyn FnMut() -> Result<Vec<u8>>>;

/// Our library on `backend`, doing per operation what a user does for one operation with a
/// key built once (see the module docs for the calls).
///
/// `None` if `backend` refuses the operation (not supported, key refused, first run failed).
pub fn ours_public_key(op: PublicKeyOp, backend: Arc<dyn Backend>) -> Option<Box<dyn OpRunner>> {
    let mut operation = load(op, backend)?;
    operation().ok()?;
    Some(Box::new(Ours(operation)))
}

struct Ours(Operation);

impl OpRunner for Ours {
    fn run(&mut self, out: &mut Vec<u8>) {
        match (self.0)() {
            Ok(bytes) => put(out, &bytes),
            Err(_) => out.clear(),
        }
    }
}

fn curve(c: NistCurve) -> EllipticCurve {
    match c {
        NistCurve::P256 => EllipticCurve::Secp256r1,
        NistCurve::P384 => EllipticCurve::Secp384r1,
    }
}

fn hash(c: NistCurve) -> HashId {
    match c {
        NistCurve::P256 => HashId::Sha256,
        NistCurve::P384 => HashId::Sha384,
    }
}

const PKCS1_SHA256: RsaSignatureScheme = RsaSignatureScheme::Pkcs1v15 {
    hash: HashId::Sha256,
};
const OAEP_SHA256: RsaEncryptionScheme<'static> = RsaEncryptionScheme::Oaep {
    hash: HashId::Sha256,
    mgf1_hash: HashId::Sha256,
    label: &[],
};

/// The key built once on `backend` and the operation to run per call; `None` when the
/// backend says it does not support the operation or refuses the key.
fn load(op: PublicKeyOp, backend: Arc<dyn Backend>) -> Option<Operation> {
    let keys = Keys::get();
    let operation: Operation = match (op.family(), op.kind()) {
        (KeyFamily::Rsa(bits), OpKind::Keygen) => {
            if !backend.rsa_supported(bits) {
                return None;
            }
            Box::new(move || {
                let key = backend.generate_rsa_private_key(65537, bits)?;
                Ok(key.public_key()?.public_components().n)
            })
        }
        (KeyFamily::Rsa(bits), kind) => {
            let k = keys.rsa(bits)?;
            if !backend.rsa_supported(bits) {
                return None;
            }
            let public = RsaPublicComponents {
                n: k.n.clone(),
                e: k.e.clone(),
            };
            match kind {
                OpKind::Verify => {
                    let scheme = RsaVerificationScheme::Pkcs1v15 {
                        hash: HashId::Sha256,
                    };
                    if !backend.rsa_signature_supported(&PKCS1_SHA256) {
                        return None;
                    }
                    let key = backend.load_rsa_public_components(&public).ok()?;
                    let signature = &k.signature;
                    Box::new(move || {
                        key.verify(signature, SignInput::Message(&MESSAGE), &scheme)?;
                        Ok(vec![1])
                    })
                }
                _ => {
                    let components = RsaPrivateComponents {
                        n: k.n.clone(),
                        e: k.e.clone(),
                        d: k.d.clone(),
                        p: k.p.clone(),
                        q: k.q.clone(),
                        dmp1: k.dmp1.clone(),
                        dmq1: k.dmq1.clone(),
                        iqmp: k.iqmp.clone(),
                    };
                    if kind == OpKind::Sign {
                        if !backend.rsa_signature_supported(&PKCS1_SHA256) {
                            return None;
                        }
                        let key = backend.load_rsa_private_components(&components).ok()?;
                        Box::new(move || key.sign(SignInput::Message(&MESSAGE), &PKCS1_SHA256))
                    } else {
                        if !backend.rsa_encryption_supported(&OAEP_SHA256) {
                            return None;
                        }
                        let key = backend.load_rsa_private_components(&components).ok()?;
                        let ciphertext = &k.ciphertext;
                        Box::new(move || Ok(key.decrypt_oaep(ciphertext, &OAEP_SHA256)?.to_vec()))
                    }
                }
            }
        }
        (KeyFamily::Ec(c), OpKind::Keygen) => {
            let curve = curve(c);
            if !backend.elliptic_curve_supported(curve) {
                return None;
            }
            Box::new(move || {
                let key = backend.generate_ec_private_key(curve)?;
                key.public_key()?.encoded_point(false)
            })
        }
        (KeyFamily::Ec(c), kind) => {
            let (curve, hash, k) = (curve(c), hash(c), keys.ec(c));
            match kind {
                OpKind::Sign => {
                    if !backend.elliptic_curve_signature_algorithm_supported(
                        curve,
                        hash,
                        SignatureNonce::Random,
                    ) {
                        return None;
                    }
                    let key = backend.derive_ec_private_key(curve, &k.d).ok()?;
                    Box::new(move || {
                        key.sign(SignInput::Message(&MESSAGE), hash, SignatureNonce::Random)
                    })
                }
                OpKind::Verify => {
                    if !backend.elliptic_curve_signature_algorithm_supported(
                        curve,
                        hash,
                        SignatureNonce::Random,
                    ) {
                        return None;
                    }
                    let key = backend.load_ec_public_point(curve, &k.point).ok()?;
                    let signature = &k.signature;
                    Box::new(move || {
                        key.verify(signature, SignInput::Message(&MESSAGE), hash)?;
                        Ok(vec![1])
                    })
                }
                _ => {
                    if !backend.elliptic_curve_exchange_supported(curve) {
                        return None;
                    }
                    let key = backend.derive_ec_private_key(curve, &k.d).ok()?;
                    let peer = &keys.p256_peer.point;
                    Box::new(move || Ok(key.exchange(peer)?.to_vec()))
                }
            }
        }
        (KeyFamily::Ed25519, kind) => {
            let k = &keys.ed25519;
            if !backend.eddsa_supported(EdwardsCurve::Ed25519) {
                return None;
            }
            if kind == OpKind::Sign {
                let key = backend
                    .load_eddsa_private_bytes(EdwardsCurve::Ed25519, &k.seed)
                    .ok()?;
                Box::new(move || key.sign(&MESSAGE))
            } else {
                let key = backend
                    .load_eddsa_public_bytes(EdwardsCurve::Ed25519, &k.public)
                    .ok()?;
                let signature = &k.signature;
                Box::new(move || {
                    key.verify(signature, &MESSAGE)?;
                    Ok(vec![1])
                })
            }
        }
        (KeyFamily::X25519, _) => {
            let k = &keys.x25519;
            if !backend.xdh_supported(MontgomeryCurve::X25519) {
                return None;
            }
            let key = backend
                .load_xdh_private_bytes(MontgomeryCurve::X25519, &k.private)
                .ok()?;
            let peer = &k.peer;
            Box::new(move || Ok(key.exchange(peer)?.to_vec()))
        }
    };
    Some(operation)
}
