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
//! the cofactorless equation with R compared as an encoding. OpenSSL 3.0 refuses neither a
//! small-order A (the identity as A with (R, S) = (identity, 0) verifies every message) nor a
//! non-canonical encoding of A at load (both shown by the unit tests); the single
//! verification rule is the primitives layer's, with its pre-checks.

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
    fn handle(curve: EdwardsCurve, key: Pkey) -> Result<Arc<dyn EdPrivateKeyHandle>> {
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
        OpenSslEdPrivateKey::handle(curve, generate(curve)?)
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
        OpenSslEdPrivateKey::handle(curve, key)
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

#[cfg(test)]
mod tests {
    use super::super::pkey::openssl_cli;
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s).expect("hex")
    }

    fn backend() -> OpenSslBackend {
        OpenSslBackend::build()
    }

    /// (secret, public, message, signature) known answers.
    type Vector = (&'static str, &'static str, &'static str, &'static str);

    // RFC 8032 section 7.1, TEST 1-3 (cryptography-vectors 50.0.2, asymmetric/Ed25519/sign.input,
    // lines 1-3).
    const ED25519: [Vector; 3] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
        ),
    ];

    // RFC 8032 section 7.4, the first vectors without a context: "Blank" and "1 octet"
    // (cryptography-vectors 50.0.2, asymmetric/Ed448/rfc8032.txt COUNT 0 and 1).
    const ED448: [Vector; 2] = [
        (
            "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
            "",
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600",
        ),
        (
            "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
            "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
            "03",
            "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00",
        ),
    ];

    fn known_answers(curve: EdwardsCurve, vectors: &[Vector]) {
        let backend = backend();
        for &(secret, public, message, signature) in vectors {
            let (secret, public) = (hex(secret), hex(public));
            let (message, signature) = (hex(message), hex(signature));
            let key = backend.load_eddsa_private_bytes(curve, &secret).unwrap();
            assert_eq!(key.backend_name(), "openssl");
            assert_eq!(key.curve(), curve);
            assert_eq!(key.private_bytes().unwrap().to_vec(), secret);
            let from_private = key.public_key().unwrap();
            assert_eq!(from_private.public_bytes(), public);
            // EdDSA is deterministic: the signature is the known one.
            assert_eq!(key.sign(&message).unwrap(), signature);
            let loaded = backend.load_eddsa_public_bytes(curve, &public).unwrap();
            assert_eq!(loaded.curve(), curve);
            for public_key in [&from_private, &loaded] {
                public_key.verify(&signature, &message).unwrap();
                let other = [message.as_slice(), b"x"].concat();
                assert!(matches!(
                    public_key.verify(&signature, &other),
                    Err(Error::InvalidSignature)
                ));
                let mut flipped = signature.clone();
                flipped[0] ^= 1;
                assert!(matches!(
                    public_key.verify(&flipped, &message),
                    Err(Error::InvalidSignature)
                ));
                for bad in [&signature[1..], &[][..]] {
                    assert!(matches!(
                        public_key.verify(bad, &message),
                        Err(Error::InvalidSignature)
                    ));
                }
            }
        }
    }

    #[test]
    fn rfc_8032_ed25519_tests_1_to_3() {
        known_answers(EdwardsCurve::Ed25519, &ED25519);
    }

    #[test]
    fn rfc_8032_ed448_blank_and_one_octet() {
        known_answers(EdwardsCurve::Ed448, &ED448);
    }

    #[test]
    fn generated_keys_sign_verify_and_round_trip() {
        let backend = backend();
        for curve in [EdwardsCurve::Ed25519, EdwardsCurve::Ed448] {
            assert!(backend.eddsa_supported(curve));
            let key = backend.generate_eddsa_private_key(curve).unwrap();
            let private = key.private_bytes().unwrap();
            assert_eq!(private.len(), curve.key_bytes());
            let public = key.public_key().unwrap();
            assert_eq!(public.public_bytes().len(), curve.key_bytes());
            let sig = key.sign(b"message").unwrap();
            assert_eq!(sig.len(), curve.signature_bytes());
            public.verify(&sig, b"message").unwrap();
            let rebuilt = backend.load_eddsa_private_bytes(curve, &private).unwrap();
            assert_eq!(rebuilt.sign(b"message").unwrap(), sig);
            // Wrong-length raw keys are refused, never a panic.
            assert!(matches!(
                backend.load_eddsa_private_bytes(curve, &private[1..]),
                Err(Error::KeyRejected(_))
            ));
            assert!(matches!(
                backend.load_eddsa_public_bytes(curve, &[]),
                Err(Error::KeyRejected(_))
            ));
        }
    }

    /// S + L (little-endian 32-byte addition; S < L so no carry out of the top byte).
    fn add_l(s: &[u8]) -> Vec<u8> {
        let l = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        let mut out = vec![0u8; 32];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(s[i]) + u16::from(l[i]) + carry;
            out[i] = sum as u8;
            carry = sum >> 8;
        }
        out
    }

    // What OpenSSL's Ed25519 verification does at the edges, which the primitives layer's
    // single rule must account for: a non-canonical S is refused; the identity as A with
    // (R, S) = (identity, 0) verifies any message (no small-order check); a non-canonical
    // encoding of A (y = p + 1) is accepted at load.
    #[test]
    fn ed25519_edge_cases_behave_as_documented() {
        let backend = backend();
        let curve = EdwardsCurve::Ed25519;
        let (_, public, message, signature) = ED25519[1];
        let public = backend
            .load_eddsa_public_bytes(curve, &hex(public))
            .unwrap();
        let (message, signature) = (hex(message), hex(signature));
        let non_canonical_s = [&signature[..32], &add_l(&signature[32..])[..]].concat();
        assert!(matches!(
            public.verify(&non_canonical_s, &message),
            Err(Error::InvalidSignature)
        ));

        let identity = hex("0100000000000000000000000000000000000000000000000000000000000000");
        let small = backend.load_eddsa_public_bytes(curve, &identity).unwrap();
        let trivial = [identity.as_slice(), &[0u8; 32]].concat();
        small.verify(&trivial, b"any message").unwrap();

        let non_canonical_a =
            hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assert!(backend
            .load_eddsa_public_bytes(curve, &non_canonical_a)
            .is_ok());
    }

    /// PKCS#8 and SPKI DER around raw EdDSA keys (RFC 8410), for the openssl tool.
    fn pkcs8(curve: EdwardsCurve, secret: &[u8]) -> Vec<u8> {
        let prefix = match curve {
            EdwardsCurve::Ed25519 => "302e020100300506032b657004220420",
            EdwardsCurve::Ed448 => "3047020100300506032b6571043b0439",
        };
        [hex(prefix), secret.to_vec()].concat()
    }

    fn spki(curve: EdwardsCurve, public: &[u8]) -> Vec<u8> {
        let prefix = match curve {
            EdwardsCurve::Ed25519 => "302a300506032b6570032100",
            EdwardsCurve::Ed448 => "3043300506032b6571033a00",
        };
        [hex(prefix), public.to_vec()].concat()
    }

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!(
            "pluggable-crypto-openssl-eddsa-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write temp file");
        path
    }

    #[test]
    fn signatures_match_the_openssl_tool() {
        let backend = backend();
        for curve in [EdwardsCurve::Ed25519, EdwardsCurve::Ed448] {
            let key = backend.generate_eddsa_private_key(curve).unwrap();
            let public = key.public_key().unwrap().public_bytes();
            let message = b"interop message";
            let ours = key.sign(message).unwrap();
            let key_path = temp_file("key", &pkcs8(curve, &key.private_bytes().unwrap()));
            let pub_path = temp_file("pub", &spki(curve, &public));
            let msg_path = temp_file("msg", message);
            let sig_path = temp_file("sig", &ours);
            let Some(out) = openssl_cli::run(
                &[
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    pub_path.to_str().unwrap(),
                    "-keyform",
                    "DER",
                    "-rawin",
                    "-in",
                    msg_path.to_str().unwrap(),
                    "-sigfile",
                    sig_path.to_str().unwrap(),
                ],
                b"",
            ) else {
                return;
            };
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = openssl_cli::run(
                &[
                    "pkeyutl",
                    "-sign",
                    "-inkey",
                    key_path.to_str().unwrap(),
                    "-keyform",
                    "DER",
                    "-rawin",
                    "-in",
                    msg_path.to_str().unwrap(),
                ],
                b"",
            )
            .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, ours, "{curve}");
            let loaded = backend.load_eddsa_public_bytes(curve, &public).unwrap();
            loaded.verify(&out.stdout, message).unwrap();
            for path in [key_path, pub_path, msg_path, sig_path] {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
