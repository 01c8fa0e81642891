//! The public-key rows: operations per second of one signature, verification, OAEP
//! decryption, key exchange or key generation, on fixed keys made once per runner.
//!
//! Every runner of a [`PublicKeyOp`] works on the same inputs, from `fixtures.rs` (made by `fixtures/make_fixtures.py`):
//! fixed keys (RSA-2048/3072/4096 keys made once with Python `cryptography`, RFC 6979's P-256
//! and P-384 scalars, RFC 8032's Ed25519 key, RFC 7748's X25519 keys), the 32-byte
//! [`MESSAGE`], and the signatures and ciphertexts to verify and decrypt. The key is built once,
//! when the runner is made (parsing, precomputation); per operation a runner does what a user of
//! its library does for one operation (see each constructor). Outputs, written to `out`:
//!
//! | kind | output | equal across runners |
//! |---|---|---|
//! | sign | the signature (DER for ECDSA) | RSA PKCS#1 v1.5 and Ed25519: yes (the fixture's) |
//! | verify | `[1]` when the signature verifies | yes |
//! | OAEP decrypt | the plaintext ([`MESSAGE`]) | yes |
//! | exchange | the shared secret | yes, except ring (see [`raw_ring_public_key`](crate::raw_ring_public_key)) |
//! | keygen | the public key: RSA's modulus n, EC's uncompressed point | no (fresh keys) |
//!
//! A failure leaves `out` empty, which stops [`measure_op`] at once.
//!
//! ```
//! use std::time::Duration;
//! use speed::{measure_op, PublicKeyOp};
//!
//! # #[cfg(feature = "rust")] {
//! let mut runner = speed::raw_rustcrypto_public_key(PublicKeyOp::Ed25519Verify).unwrap();
//! let mut out = Vec::new();
//! runner.run(&mut out);
//! assert_eq!(out, [1]);
//! let m = measure_op(&mut *runner, Duration::from_millis(20));
//! assert!(m.ops_per_second() > 0.0);
//! # }
//! ```

use std::fmt;
use std::time::Duration;

use crate::{measure_with, Measurement};

pub use crate::fixtures::MESSAGE;

/// One public-key operation with fixed parameters, as benchmarked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublicKeyOp {
    /// RSA-2048 RSASSA-PKCS1-v1_5 signature with SHA-256 (blinded).
    Rsa2048Sign,
    /// RSA-3072 RSASSA-PKCS1-v1_5 signature with SHA-256 (blinded).
    Rsa3072Sign,
    /// RSA-4096 RSASSA-PKCS1-v1_5 signature with SHA-256 (blinded).
    Rsa4096Sign,
    /// RSA-2048 RSASSA-PKCS1-v1_5 verification with SHA-256 (e = 65537).
    Rsa2048Verify,
    /// RSA-3072 RSASSA-PKCS1-v1_5 verification with SHA-256 (e = 65537).
    Rsa3072Verify,
    /// RSA-4096 RSASSA-PKCS1-v1_5 verification with SHA-256 (e = 65537).
    Rsa4096Verify,
    /// RSA-2048 OAEP decryption (SHA-256, MGF1-SHA-256, no label) of a 32-byte message.
    Rsa2048Decrypt,
    /// RSA-3072 OAEP decryption (SHA-256, MGF1-SHA-256, no label) of a 32-byte message.
    Rsa3072Decrypt,
    /// RSA-4096 OAEP decryption (SHA-256, MGF1-SHA-256, no label) of a 32-byte message.
    Rsa4096Decrypt,
    /// ECDSA P-256 signature with SHA-256, random nonce (DER output).
    EcdsaP256Sign,
    /// ECDSA P-256 verification with SHA-256.
    EcdsaP256Verify,
    /// ECDSA P-384 signature with SHA-384, random nonce (DER output).
    EcdsaP384Sign,
    /// ECDSA P-384 verification with SHA-384.
    EcdsaP384Verify,
    /// Ed25519 signature (pure).
    Ed25519Sign,
    /// Ed25519 verification.
    Ed25519Verify,
    /// X25519 with a fixed private key and a fixed peer public key.
    X25519Exchange,
    /// ECDH on P-256 with a fixed private key and a fixed peer point.
    EcdhP256Exchange,
    /// RSA-2048 key generation, e = 65537.
    Rsa2048Keygen,
    /// P-256 key generation.
    EcP256Keygen,
}

/// What a [`PublicKeyOp`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// A signature over [`MESSAGE`].
    Sign,
    /// A verification of the fixture signature over [`MESSAGE`].
    Verify,
    /// An OAEP decryption of the fixture ciphertext.
    Decrypt,
    /// A key agreement with the fixture peer.
    Exchange,
    /// A fresh key pair.
    Keygen,
}

/// The NIST curves of the ECDSA/ECDH rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NistCurve {
    /// P-256 (secp256r1), with SHA-256.
    P256,
    /// P-384 (secp384r1), with SHA-384.
    P384,
}

/// The key type of a [`PublicKeyOp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// RSA with a modulus of this many bits.
    Rsa(usize),
    /// ECDSA/ECDH on a NIST curve.
    Ec(NistCurve),
    /// Ed25519.
    Ed25519,
    /// X25519.
    X25519,
}

impl PublicKeyOp {
    /// Every operation, in display order.
    pub const ALL: [PublicKeyOp; 19] = [
        PublicKeyOp::Rsa2048Sign,
        PublicKeyOp::Rsa2048Verify,
        PublicKeyOp::Rsa2048Decrypt,
        PublicKeyOp::Rsa3072Sign,
        PublicKeyOp::Rsa3072Verify,
        PublicKeyOp::Rsa3072Decrypt,
        PublicKeyOp::Rsa4096Sign,
        PublicKeyOp::Rsa4096Verify,
        PublicKeyOp::Rsa4096Decrypt,
        PublicKeyOp::EcdsaP256Sign,
        PublicKeyOp::EcdsaP256Verify,
        PublicKeyOp::EcdsaP384Sign,
        PublicKeyOp::EcdsaP384Verify,
        PublicKeyOp::Ed25519Sign,
        PublicKeyOp::Ed25519Verify,
        PublicKeyOp::X25519Exchange,
        PublicKeyOp::EcdhP256Exchange,
        PublicKeyOp::Rsa2048Keygen,
        PublicKeyOp::EcP256Keygen,
    ];

    /// The lowercase name, e.g. `"rsa2048-sign"` or `"ecdsa-p256-verify"`.
    pub fn name(self) -> &'static str {
        match self {
            PublicKeyOp::Rsa2048Sign => "rsa2048-sign",
            PublicKeyOp::Rsa3072Sign => "rsa3072-sign",
            PublicKeyOp::Rsa4096Sign => "rsa4096-sign",
            PublicKeyOp::Rsa2048Verify => "rsa2048-verify",
            PublicKeyOp::Rsa3072Verify => "rsa3072-verify",
            PublicKeyOp::Rsa4096Verify => "rsa4096-verify",
            PublicKeyOp::Rsa2048Decrypt => "rsa2048-oaep-decrypt",
            PublicKeyOp::Rsa3072Decrypt => "rsa3072-oaep-decrypt",
            PublicKeyOp::Rsa4096Decrypt => "rsa4096-oaep-decrypt",
            PublicKeyOp::EcdsaP256Sign => "ecdsa-p256-sign",
            PublicKeyOp::EcdsaP256Verify => "ecdsa-p256-verify",
            PublicKeyOp::EcdsaP384Sign => "ecdsa-p384-sign",
            PublicKeyOp::EcdsaP384Verify => "ecdsa-p384-verify",
            PublicKeyOp::Ed25519Sign => "ed25519-sign",
            PublicKeyOp::Ed25519Verify => "ed25519-verify",
            PublicKeyOp::X25519Exchange => "x25519-exchange",
            PublicKeyOp::EcdhP256Exchange => "ecdh-p256-exchange",
            PublicKeyOp::Rsa2048Keygen => "rsa2048-keygen",
            PublicKeyOp::EcP256Keygen => "ec-p256-keygen",
        }
    }

    /// The operation named `name` (as [`name`](Self::name) gives it, ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<PublicKeyOp> {
        PublicKeyOp::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// What the operation does.
    pub fn kind(self) -> OpKind {
        use PublicKeyOp::*;
        match self {
            Rsa2048Sign | Rsa3072Sign | Rsa4096Sign | EcdsaP256Sign | EcdsaP384Sign
            | Ed25519Sign => OpKind::Sign,
            Rsa2048Verify | Rsa3072Verify | Rsa4096Verify | EcdsaP256Verify | EcdsaP384Verify
            | Ed25519Verify => OpKind::Verify,
            Rsa2048Decrypt | Rsa3072Decrypt | Rsa4096Decrypt => OpKind::Decrypt,
            X25519Exchange | EcdhP256Exchange => OpKind::Exchange,
            Rsa2048Keygen | EcP256Keygen => OpKind::Keygen,
        }
    }

    /// The key type.
    pub fn family(self) -> KeyFamily {
        use PublicKeyOp::*;
        match self {
            Rsa2048Sign | Rsa2048Verify | Rsa2048Decrypt | Rsa2048Keygen => KeyFamily::Rsa(2048),
            Rsa3072Sign | Rsa3072Verify | Rsa3072Decrypt => KeyFamily::Rsa(3072),
            Rsa4096Sign | Rsa4096Verify | Rsa4096Decrypt => KeyFamily::Rsa(4096),
            EcdsaP256Sign | EcdsaP256Verify | EcdhP256Exchange | EcP256Keygen => {
                KeyFamily::Ec(NistCurve::P256)
            }
            EcdsaP384Sign | EcdsaP384Verify => KeyFamily::Ec(NistCurve::P384),
            Ed25519Sign | Ed25519Verify => KeyFamily::Ed25519,
            X25519Exchange => KeyFamily::X25519,
        }
    }

    /// The output every runner must produce, where it is deterministic: the fixture signature
    /// (RSA PKCS#1 v1.5, Ed25519), `[1]` for a verification, [`MESSAGE`] for a decryption, the
    /// fixture shared secret for an exchange. `None` for ECDSA signatures and key generation.
    pub fn expected_output(self) -> Option<Vec<u8>> {
        let f = crate::fixtures::Keys::get();
        match (self.kind(), self.family()) {
            (OpKind::Sign, KeyFamily::Rsa(bits)) => Some(f.rsa(bits)?.signature.clone()),
            (OpKind::Sign, KeyFamily::Ed25519) => Some(f.ed25519.signature.clone()),
            (OpKind::Verify, _) => Some(vec![1]),
            (OpKind::Decrypt, _) => Some(MESSAGE.to_vec()),
            (OpKind::Exchange, KeyFamily::X25519) => Some(f.x25519.shared.clone()),
            (OpKind::Exchange, _) => Some(f.p256_peer.shared.clone()),
            _ => None,
        }
    }
}

impl fmt::Display for PublicKeyOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl NistCurve {
    /// The curve's ECDSA hash's digest length (SHA-256: 32, SHA-384: 48), also the scalar
    /// length.
    pub fn bytes(self) -> usize {
        match self {
            NistCurve::P256 => 32,
            NistCurve::P384 => 48,
        }
    }
}

/// One public-key operation on state prepared once (the key, the peer, fetched algorithms).
///
/// `run` replaces `out` with the output (see the [module](crate::public_key) table), or leaves
/// it empty on a failure.
pub trait OpRunner {
    /// Runs the operation once.
    fn run(&mut self, out: &mut Vec<u8>);
}

/// Measures `runner` for about `duration` (at least one operation), as [`measure`](crate::measure)
/// does for messages; [`Measurement::ops_per_second`] gives the rate.
pub fn measure_op(runner: &mut dyn OpRunner, duration: Duration) -> Measurement {
    measure_with(|out| runner.run(out), true, duration)
}

/// Replaces `out` with `bytes`.
pub(crate) fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.clear();
    out.extend_from_slice(bytes);
}

/// Writes `[1]` to `out` when `ok`, else empties it.
pub(crate) fn put_verified(out: &mut Vec<u8>, ok: bool) {
    out.clear();
    if ok {
        out.push(1);
    }
}
