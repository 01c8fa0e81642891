//! The fixed keys of the public-key rows, decoded once from [`fixtures_hex`](crate::fixtures_hex).

use std::sync::OnceLock;

use crate::fixtures_hex as h;

pub use crate::fixtures_hex::MESSAGE;

/// An RSA key with its CRT components (big-endian, minimal), the PKCS#1 v1.5 SHA-256
/// signature of [`MESSAGE`] and an OAEP-SHA-256 ciphertext of it.
pub(crate) struct RsaKey {
    pub(crate) bits: usize,
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
    pub(crate) d: Vec<u8>,
    pub(crate) p: Vec<u8>,
    pub(crate) q: Vec<u8>,
    pub(crate) dmp1: Vec<u8>,
    pub(crate) dmq1: Vec<u8>,
    pub(crate) iqmp: Vec<u8>,
    pub(crate) signature: Vec<u8>,
    pub(crate) ciphertext: Vec<u8>,
}

/// A NIST-curve key: scalar, uncompressed point, and a DER ECDSA signature of [`MESSAGE`].
pub(crate) struct EcKey {
    pub(crate) d: Vec<u8>,
    pub(crate) point: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

/// The ECDH peer on P-256 and the shared secret with the P-256 key.
pub(crate) struct EcPeer {
    pub(crate) point: Vec<u8>,
    pub(crate) shared: Vec<u8>,
}

/// The Ed25519 key and the signature of [`MESSAGE`].
pub(crate) struct Ed25519Key {
    pub(crate) seed: Vec<u8>,
    pub(crate) public: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

/// The X25519 key, its peer's public key and the shared secret.
pub(crate) struct X25519Key {
    pub(crate) private: Vec<u8>,
    pub(crate) peer: Vec<u8>,
    pub(crate) shared: Vec<u8>,
}

/// Every fixed key.
pub(crate) struct Keys {
    pub(crate) rsa: [RsaKey; 3],
    pub(crate) p256: EcKey,
    pub(crate) p384: EcKey,
    pub(crate) p256_peer: EcPeer,
    pub(crate) ed25519: Ed25519Key,
    pub(crate) x25519: X25519Key,
}

/// Decodes a hex constant of [`fixtures_hex`](crate::fixtures_hex) (all valid: a bad digit
/// decodes as 0, which the runner tests would catch).
fn hex(s: &str) -> Vec<u8> {
    fn digit(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => 0,
        }
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| (digit(pair[0]) << 4) | pair.get(1).map_or(0, |&c| digit(c)))
        .collect()
}

macro_rules! rsa_key {
    ($bits:literal, $n:ident, $e:ident, $d:ident, $p:ident, $q:ident, $dmp1:ident, $dmq1:ident,
     $iqmp:ident, $sig:ident, $ct:ident) => {
        RsaKey {
            bits: $bits,
            n: hex(h::$n),
            e: hex(h::$e),
            d: hex(h::$d),
            p: hex(h::$p),
            q: hex(h::$q),
            dmp1: hex(h::$dmp1),
            dmq1: hex(h::$dmq1),
            iqmp: hex(h::$iqmp),
            signature: hex(h::$sig),
            ciphertext: hex(h::$ct),
        }
    };
}

impl Keys {
    /// The keys, decoded on first use.
    pub(crate) fn get() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| Keys {
            rsa: [
                rsa_key!(
                    2048,
                    RSA2048_N,
                    RSA2048_E,
                    RSA2048_D,
                    RSA2048_P,
                    RSA2048_Q,
                    RSA2048_DMP1,
                    RSA2048_DMQ1,
                    RSA2048_IQMP,
                    RSA2048_SIG,
                    RSA2048_OAEP_CT
                ),
                rsa_key!(
                    3072,
                    RSA3072_N,
                    RSA3072_E,
                    RSA3072_D,
                    RSA3072_P,
                    RSA3072_Q,
                    RSA3072_DMP1,
                    RSA3072_DMQ1,
                    RSA3072_IQMP,
                    RSA3072_SIG,
                    RSA3072_OAEP_CT
                ),
                rsa_key!(
                    4096,
                    RSA4096_N,
                    RSA4096_E,
                    RSA4096_D,
                    RSA4096_P,
                    RSA4096_Q,
                    RSA4096_DMP1,
                    RSA4096_DMQ1,
                    RSA4096_IQMP,
                    RSA4096_SIG,
                    RSA4096_OAEP_CT
                ),
            ],
            p256: EcKey {
                d: hex(h::P256_D),
                point: hex(h::P256_POINT),
                signature: hex(h::P256_SIG),
            },
            p384: EcKey {
                d: hex(h::P384_D),
                point: hex(h::P384_POINT),
                signature: hex(h::P384_SIG),
            },
            p256_peer: EcPeer {
                point: hex(h::P256_PEER_POINT),
                shared: hex(h::P256_SHARED),
            },
            ed25519: Ed25519Key {
                seed: hex(h::ED25519_SEED),
                public: hex(h::ED25519_PUBLIC),
                signature: hex(h::ED25519_SIG),
            },
            x25519: X25519Key {
                private: hex(h::X25519_PRIVATE),
                peer: hex(h::X25519_PEER),
                shared: hex(h::X25519_SHARED),
            },
        })
    }

    /// The RSA key of `bits` bits (2048, 3072 or 4096).
    pub(crate) fn rsa(&self, bits: usize) -> Option<&RsaKey> {
        self.rsa.iter().find(|k| k.bits == bits)
    }

    /// The key on `curve`.
    pub(crate) fn ec(&self, curve: crate::NistCurve) -> &EcKey {
        match curve {
            crate::NistCurve::P256 => &self.p256,
            crate::NistCurve::P384 => &self.p384,
        }
    }
}
