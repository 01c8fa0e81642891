//! Our library's public-key rows on a given backend, through the user layer
//! (`pluggable_crypto::hazmat::primitives::asymmetric::{rsa, padding, ec, ed25519, x25519}`),
//! as an application calls it: the key is built once with a `_with_backend` constructor, and
//! each operation is one call on the key, its rules checked by the primitives layer as for
//! any caller.
//!
//! Every runner is made in two steps: `load` builds the key once (and the peer, for an
//! exchange) and returns a closure that runs one operation; [`ours_public_key`] runs that
//! closure once, and returns `None` when the loading or that first operation is refused, so a
//! backend that does not serve an operation has no row.
//!
//! | row | once | per operation |
//! |---|---|---|
//! | RSA sign | `RsaPrivateNumbers::new(..).private_key_with_backend(backend)` | `key.sign(&MESSAGE, Pkcs1v15, Sha256)` |
//! | RSA verify | `RsaPublicNumbers::new(e, n).public_key_with_backend(backend)` | `key.verify(sig, &MESSAGE, Pkcs1v15, Sha256)` → `[1]` |
//! | RSA OAEP decrypt | the private key as above | `key.decrypt(ct, Oaep::new(Mgf1::new(Sha256), Sha256, None))` |
//! | ECDSA sign | `EllipticCurvePrivateNumbers::new(d, public numbers).private_key_with_backend(backend)` | `key.sign(&MESSAGE, &Ecdsa::new(hash))` |
//! | ECDSA verify | `EllipticCurvePublicKey::from_encoded_point_with_backend(curve, point, backend)` | `key.verify(sig, &MESSAGE, &Ecdsa::new(hash))` → `[1]` |
//! | Ed25519 sign / verify | `Ed25519PrivateKey::from_private_bytes_with_backend` / `Ed25519PublicKey::from_public_bytes_with_backend` | `sign(&MESSAGE)` / `verify(sig, &MESSAGE)` → `[1]` |
//! | X25519 | `X25519PrivateKey::from_private_bytes_with_backend`, `X25519PublicKey::from_public_bytes(peer)` | `key.exchange(&peer)` |
//! | ECDH P-256 | the EC private key as for ECDSA, the peer from its point on the same backend | `key.exchange(&Ecdh, &peer)` |
//! | keygen | — | `rsa::generate_private_key_with_backend(65537, 2048, backend)` → n; `ec::generate_private_key_with_backend(Secp256r1, backend)` → uncompressed point |
//!
//! The EC private key is built from its numbers (scalar and point), not with
//! `derive_private_key_with_backend`, because ring cannot compute the point from the scalar;
//! the per-operation work is the same either way. The hash argument (`Sha256`, `Ecdsa::new`) is
//! built per call, as a caller writes it.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePrivateNumbers, EllipticCurvePublicKey,
    EllipticCurvePublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{Mgf1, Oaep, Pkcs1v15};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
    self, RsaPrivateNumbers, RsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, EllipticCurve};
use pluggable_crypto::hazmat::primitives::hashes::{Sha256, Sha384};
use pluggable_crypto::Result;

use crate::fixtures::{EcKey, Keys, RsaKey};
use crate::public_key::{KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp, MESSAGE};

/// One operation on a key built once: the output (see [`crate::public_key`]).
type Operation = Box<dyn FnMut() -> Result<Vec<u8>>>;

/// Our library on `backend`, doing per operation what a user does for one operation with a
/// key built once (see the module docs for the calls).
///
/// `None` if `backend` refuses the operation (not supported, key refused, first run failed).
pub fn ours_public_key(op: PublicKeyOp, backend: Arc<dyn Backend>) -> Option<Box<dyn OpRunner>> {
    let mut operation = load(op, backend).ok()?;
    operation().ok()?;
    Some(Box::new(Ours(operation)))
}

struct Ours(Operation);

impl OpRunner for Ours {
    fn run(&mut self, out: &mut Vec<u8>) {
        match (self.0)() {
            // The output moves into `out`: no copy.
            Ok(bytes) => *out = bytes,
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

/// ECDSA with the curve's hash (SHA-256 on P-256, SHA-384 on P-384).
fn ecdsa(c: NistCurve) -> Ecdsa {
    match c {
        NistCurve::P256 => Ecdsa::new(Sha256),
        NistCurve::P384 => Ecdsa::new(Sha384),
    }
}

fn big(be: &[u8]) -> BigUint {
    BigUint::from_be_bytes(be)
}

fn rsa_public_numbers(k: &RsaKey) -> RsaPublicNumbers {
    RsaPublicNumbers::new(big(&k.e), big(&k.n))
}

fn rsa_private_numbers(k: &RsaKey) -> RsaPrivateNumbers {
    RsaPrivateNumbers::new(
        big(&k.p),
        big(&k.q),
        big(&k.d),
        big(&k.dmp1),
        big(&k.dmq1),
        big(&k.iqmp),
        rsa_public_numbers(k),
    )
}

/// The public numbers of an uncompressed point `04 ‖ x ‖ y` on `curve`.
fn ec_public_numbers(curve: EllipticCurve, point: &[u8]) -> EllipticCurvePublicNumbers {
    let width = curve.field_bytes();
    let x = point.get(1..1 + width).unwrap_or_default();
    let y = point.get(1 + width..).unwrap_or_default();
    EllipticCurvePublicNumbers::new(big(x), big(y), curve)
}

fn ec_private_key(
    curve: EllipticCurve,
    k: &EcKey,
    backend: Arc<dyn Backend>,
) -> Result<ec::EllipticCurvePrivateKey> {
    EllipticCurvePrivateNumbers::new(big(&k.d), ec_public_numbers(curve, &k.point))
        .private_key_with_backend(backend)
}

/// The key built once on `backend` and the operation to run per call; an error when the
/// backend refuses the key (or the fixture is missing).
fn load(op: PublicKeyOp, backend: Arc<dyn Backend>) -> Result<Operation> {
    let keys = Keys::get();
    let missing = || pluggable_crypto::Error::invalid("no fixture for this key size");
    let operation: Operation = match (op.family(), op.kind()) {
        (KeyFamily::Rsa(bits), OpKind::Keygen) => Box::new(move || {
            let key = rsa::generate_private_key_with_backend(65537, bits, backend.clone())?;
            Ok(key.public_key()?.public_numbers().n.to_be_bytes())
        }),
        (KeyFamily::Rsa(bits), OpKind::Verify) => {
            let k = keys.rsa(bits).ok_or_else(missing)?;
            let key = rsa_public_numbers(k).public_key_with_backend(backend)?;
            let signature = &k.signature;
            Box::new(move || {
                key.verify(signature, &MESSAGE, Pkcs1v15, Sha256)?;
                Ok(vec![1])
            })
        }
        (KeyFamily::Rsa(bits), OpKind::Sign) => {
            let k = keys.rsa(bits).ok_or_else(missing)?;
            let key = rsa_private_numbers(k).private_key_with_backend(backend)?;
            Box::new(move || key.sign(&MESSAGE, Pkcs1v15, Sha256))
        }
        (KeyFamily::Rsa(bits), _) => {
            let k = keys.rsa(bits).ok_or_else(missing)?;
            let key = rsa_private_numbers(k).private_key_with_backend(backend)?;
            let ciphertext = &k.ciphertext;
            Box::new(move || key.decrypt(ciphertext, Oaep::new(Mgf1::new(Sha256), Sha256, None)))
        }
        (KeyFamily::Ec(c), OpKind::Keygen) => {
            let curve = curve(c);
            Box::new(move || {
                let key = ec::generate_private_key_with_backend(curve, backend.clone())?;
                key.public_key()?.public_bytes_x962(false)
            })
        }
        (KeyFamily::Ec(c), OpKind::Sign) => {
            let key = ec_private_key(curve(c), keys.ec(c), backend)?;
            Box::new(move || key.sign(&MESSAGE, &ecdsa(c)))
        }
        (KeyFamily::Ec(c), OpKind::Verify) => {
            let k = keys.ec(c);
            let key = EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve(c),
                &k.point,
                backend,
            )?;
            let signature = &k.signature;
            Box::new(move || {
                key.verify(signature, &MESSAGE, &ecdsa(c))?;
                Ok(vec![1])
            })
        }
        (KeyFamily::Ec(c), _) => {
            let curve = curve(c);
            let key = ec_private_key(curve, keys.ec(c), backend.clone())?;
            let peer = EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve,
                &keys.p256_peer.point,
                backend,
            )?;
            Box::new(move || Ok(key.exchange(&Ecdh, &peer)?.to_vec()))
        }
        (KeyFamily::Ed25519, OpKind::Sign) => {
            let key =
                Ed25519PrivateKey::from_private_bytes_with_backend(&keys.ed25519.seed, backend)?;
            Box::new(move || key.sign(&MESSAGE))
        }
        (KeyFamily::Ed25519, _) => {
            let k = &keys.ed25519;
            let key = Ed25519PublicKey::from_public_bytes_with_backend(&k.public, backend)?;
            let signature = &k.signature;
            Box::new(move || {
                key.verify(signature, &MESSAGE)?;
                Ok(vec![1])
            })
        }
        (KeyFamily::X25519, _) => {
            let k = &keys.x25519;
            let key = X25519PrivateKey::from_private_bytes_with_backend(&k.private, backend)?;
            let peer = X25519PublicKey::from_public_bytes(&k.peer)?;
            Box::new(move || Ok(key.exchange(&peer)?.to_vec()))
        }
    };
    Ok(operation)
}
