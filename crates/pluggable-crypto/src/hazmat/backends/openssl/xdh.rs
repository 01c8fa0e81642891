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
use std::sync::{Arc, Mutex, OnceLock};

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
    /// The last peer, as its raw bytes and its `EVP_PKEY`: making a key from raw bytes costs
    /// libcrypto a sixth of an X25519 exchange, so repeated exchanges with one peer make it
    /// once (libcrypto still checks it on every `derive_set_peer`).
    last_peer: Mutex<Option<(Vec<u8>, Arc<Pkey>)>>,
}

impl OpenSslXdhPrivateKey {
    fn handle(curve: MontgomeryCurve, key: Pkey) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        let public = key.raw_public_key()?;
        Ok(Arc::new(OpenSslXdhPrivateKey {
            curve,
            key,
            public,
            last_peer: Mutex::new(None),
        }))
    }

    /// The peer's key for `peer_public`: the last one when the bytes are the same, else a new
    /// one (which replaces it).
    fn peer_key(&self, peer_public: &[u8]) -> Result<Arc<Pkey>> {
        let lock = || self.last_peer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cached, key)) = lock().as_ref() {
            if cached.as_slice() == peer_public {
                return Ok(key.clone());
            }
        }
        let key = Arc::new(
            Pkey::from_raw_public_key(key_type(self.curve), peer_public)
                .map_err(|_| rejected(self.curve, false))?,
        );
        *lock() = Some((peer_public.to_vec(), key.clone()));
        Ok(key)
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
        let peer = self.peer_key(peer_public)?;
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
        OpenSslXdhPrivateKey::handle(curve, generate(curve)?)
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
        OpenSslXdhPrivateKey::handle(curve, key)
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

    // RFC 7748 section 5.2, the two single-scalar vectors per curve (cryptography-vectors
    // 50.0.2, asymmetric/X25519/rfc7748.txt and asymmetric/X448/rfc7748.txt COUNT 1 and 2):
    // (scalar, input u, output u).
    const X25519_5_2: [(&str, &str, &str); 2] = [
        (
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        ),
        (
            "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        ),
    ];
    const X448_5_2: [(&str, &str, &str); 2] = [
        (
            "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
            "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
            "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f",
        ),
        (
            "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
            "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
            "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d",
        ),
    ];

    #[test]
    fn rfc_7748_section_5_2_scalar_multiplication() {
        let backend = backend();
        for (curve, vectors) in [
            (MontgomeryCurve::X25519, &X25519_5_2),
            (MontgomeryCurve::X448, &X448_5_2),
        ] {
            for &(scalar, u, out) in vectors {
                let key = backend.load_xdh_private_bytes(curve, &hex(scalar)).unwrap();
                assert_eq!(key.exchange(&hex(u)).unwrap().to_vec(), hex(out), "{curve}");
            }
        }
    }

    // RFC 7748 section 5.2, the iterated case after 1 and 1,000 iterations: k = u = 9 (X25519)
    // or 5 (X448); each step computes k' = X(k, u), u' = k.
    #[test]
    fn rfc_7748_section_5_2_iterated() {
        let backend = backend();
        for (curve, base, after_1, after_1000) in [
            (
                MontgomeryCurve::X25519,
                9u8,
                "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
                "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
            ),
            (
                MontgomeryCurve::X448,
                5u8,
                "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113",
                "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38",
            ),
        ] {
            let mut k = vec![0u8; curve.key_bytes()];
            k[0] = base;
            let mut u = k.clone();
            for i in 1..=1000 {
                let key = backend.load_xdh_private_bytes(curve, &k).unwrap();
                let next = key.exchange(&u).unwrap().to_vec();
                u = std::mem::replace(&mut k, next);
                if i == 1 {
                    assert_eq!(k, hex(after_1), "{curve}");
                }
            }
            assert_eq!(k, hex(after_1000), "{curve}");
        }
    }

    // RFC 7748 sections 6.1 (X25519) and 6.2 (X448): Alice's and Bob's keys and their secret.
    #[test]
    fn rfc_7748_section_6_diffie_hellman() {
        let backend = backend();
        for (curve, a_priv, a_pub, b_priv, b_pub, shared) in [
            (
                MontgomeryCurve::X25519,
                "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
            ),
            (
                MontgomeryCurve::X448,
                "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
                "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
                "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
                "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
                "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d",
            ),
        ] {
            let alice = backend.load_xdh_private_bytes(curve, &hex(a_priv)).unwrap();
            let bob = backend.load_xdh_private_bytes(curve, &hex(b_priv)).unwrap();
            assert_eq!(alice.backend_name(), "openssl");
            assert_eq!(alice.curve(), curve);
            assert_eq!(alice.private_bytes().unwrap().to_vec(), hex(a_priv));
            assert_eq!(alice.public_bytes().unwrap(), hex(a_pub));
            assert_eq!(bob.public_bytes().unwrap(), hex(b_pub));
            assert_eq!(alice.exchange(&hex(b_pub)).unwrap().to_vec(), hex(shared));
            assert_eq!(bob.exchange(&hex(a_pub)).unwrap().to_vec(), hex(shared));
        }
    }

    // A small-order peer (u = 0 or u = 1) gives the all-zero secret, which OpenSSL refuses
    // inside derive; the backend hands it up as computed, for the primitives layer to refuse.
    #[test]
    fn small_order_peers_yield_the_all_zero_secret() {
        let backend = backend();
        for curve in [MontgomeryCurve::X25519, MontgomeryCurve::X448] {
            let key = backend.generate_xdh_private_key(curve).unwrap();
            let zero = vec![0u8; curve.key_bytes()];
            let mut one = zero.clone();
            one[0] = 1;
            for peer in [&zero, &one] {
                assert_eq!(key.exchange(peer).unwrap().to_vec(), zero, "{curve}");
            }
            // Wrong-length input is refused, never a panic.
            assert!(matches!(
                key.exchange(&zero[1..]),
                Err(Error::KeyRejected(_))
            ));
            assert!(matches!(
                backend.load_xdh_private_bytes(curve, &zero[1..]),
                Err(Error::KeyRejected(_))
            ));
        }
    }

    fn pkcs8(curve: MontgomeryCurve, secret: &[u8]) -> Vec<u8> {
        let prefix = match curve {
            MontgomeryCurve::X25519 => "302e020100300506032b656e04220420",
            MontgomeryCurve::X448 => "3046020100300506032b656f043a0438",
        };
        [hex(prefix), secret.to_vec()].concat()
    }

    fn spki(curve: MontgomeryCurve, public: &[u8]) -> Vec<u8> {
        let prefix = match curve {
            MontgomeryCurve::X25519 => "302a300506032b656e032100",
            MontgomeryCurve::X448 => "3042300506032b656f033900",
        };
        [hex(prefix), public.to_vec()].concat()
    }

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!(
            "pluggable-crypto-openssl-xdh-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write temp file");
        path
    }

    #[test]
    fn exchanges_match_the_openssl_tool() {
        let backend = backend();
        for curve in [MontgomeryCurve::X25519, MontgomeryCurve::X448] {
            assert!(backend.xdh_supported(curve));
            let ours = backend.generate_xdh_private_key(curve).unwrap();
            let theirs = backend.generate_xdh_private_key(curve).unwrap();
            let key_path = temp_file("key", &pkcs8(curve, &theirs.private_bytes().unwrap()));
            let peer_path = temp_file("peer", &spki(curve, &ours.public_bytes().unwrap()));
            let Some(out) = openssl_cli::run(
                &[
                    "pkeyutl",
                    "-derive",
                    "-inkey",
                    key_path.to_str().unwrap(),
                    "-keyform",
                    "DER",
                    "-peerkey",
                    peer_path.to_str().unwrap(),
                    "-peerform",
                    "DER",
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
            assert_eq!(out.stdout.len(), curve.key_bytes());
            let theirs_public = theirs.public_bytes().unwrap();
            assert_eq!(ours.exchange(&theirs_public).unwrap().to_vec(), out.stdout);
            for path in [key_path, peer_path] {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
