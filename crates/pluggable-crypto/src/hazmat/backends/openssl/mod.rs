//! The OpenSSL backend: the system libcrypto (OpenSSL 3) through `openssl-sys`.
//!
//! On first use it builds a registry of pre-fetched `EVP_CIPHER`s and `EVP_MD`s (OpenSSL 3 is
//! slow when it fetches implicitly on every init) holding only what the linked libcrypto really
//! has. It loads the legacy provider (keeping the default one) for Blowfish, CAST5, IDEA, SEED
//! and RC4, and registers those only if it loaded. The one-shot AEADs, CMAC and Poly1305 are
//! fetched the same way, once: AES-GCM-SIV only where libcrypto has it (OpenSSL 3.2 and later;
//! the fetch is probed, not the version).
//!
//! Raw access: [`ffi`] re-exports the `openssl-sys` bindings, and
//! [`OpenSslCipherContext::as_ptr`], [`OpenSslHashContext::as_ptr`],
//! [`OpenSslHmacContext::as_ptr`] and [`OpenSslMacContext::as_ptr`] give the native context of
//! a running operation.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::{openssl, CipherBackend};
//! use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::Gcm};
//!
//! let backend = openssl::backend();
//! assert!(backend.cipher_supported(&Aes::new(&[0; 16])?, Some(&Gcm::new(&[0; 12])?)));
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::any::TypeId;
use std::sync::{Arc, OnceLock};

pub use openssl_sys as ffi;

use crate::hazmat::backends::registry::{
    cipher_backend_via_registry, digest_backend_via_registry, CipherRegistry, DigestEntry,
    DigestRegistry,
};
use crate::hazmat::backends::{Backend, CipherAdapter, CipherPair};
use crate::hazmat::primitives::ciphers::algorithms::{
    Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, ChaCha20Poly1305Incremental, Idea, Seed, Sm4,
    TripleDes,
};
use crate::hazmat::primitives::ciphers::modes::{Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Ofb, Xts};
use crate::hazmat::primitives::hashes;

mod aead;
mod cipher;
mod dh;
mod digest;
mod dsa;
mod ec;
mod eddsa;
mod evp;
mod kdf;
mod mac;
mod pkey;
mod rsa;
mod xdh;

use evp::{Cipher, Md};

pub use cipher::{EvpCipherAdapter, OpenSslCipherContext};
pub use digest::{OpenSslHashContext, OpenSslHmacContext};
pub use mac::OpenSslMacContext;

/// The OpenSSL backend. Get the shared instance with [`backend`].
pub struct OpenSslBackend {
    ciphers: CipherRegistry,
    aeads: aead::AeadRegistry,
    macs: mac::MacRegistry,
    hashes: DigestRegistry<Md, digest::HmacTemplate>,
    legacy_provider_loaded: bool,
    version: String,
}

/// The process-wide OpenSSL backend, built on first use.
pub fn backend() -> Arc<dyn Backend> {
    static BACKEND: OnceLock<Arc<OpenSslBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| Arc::new(OpenSslBackend::build()))
        .clone()
}

/// The OpenSSL names of each built-in pair, per key size in bits (after any key expansion).
type Variants = &'static [(usize, &'static str)];

/// Marks a variable-key-length cipher in the table: one name, key length set per context.
const VARIABLE_KEY: usize = 0;

/// The key sizes in bits our descriptors allow for the variable-length ciphers.
fn variable_key_sizes(algorithm: &str) -> Vec<usize> {
    match algorithm {
        "Blowfish" => (32..=448).step_by(8).collect(),
        "CAST5" => (40..=128).step_by(8).collect(),
        _ => vec![40, 56, 64, 80, 128, 160, 192, 256],
    }
}

fn builtin_cipher_table() -> Vec<(CipherPair, Variants, bool)> {
    const AES_CBC: Variants = &[
        (128, "AES-128-CBC"),
        (192, "AES-192-CBC"),
        (256, "AES-256-CBC"),
    ];
    const AES_ECB: Variants = &[
        (128, "AES-128-ECB"),
        (192, "AES-192-ECB"),
        (256, "AES-256-ECB"),
    ];
    const AES_OFB: Variants = &[
        (128, "AES-128-OFB"),
        (192, "AES-192-OFB"),
        (256, "AES-256-OFB"),
    ];
    const AES_CFB: Variants = &[
        (128, "AES-128-CFB"),
        (192, "AES-192-CFB"),
        (256, "AES-256-CFB"),
    ];
    const AES_CFB8: Variants = &[
        (128, "AES-128-CFB8"),
        (192, "AES-192-CFB8"),
        (256, "AES-256-CFB8"),
    ];
    const AES_CTR: Variants = &[
        (128, "AES-128-CTR"),
        (192, "AES-192-CTR"),
        (256, "AES-256-CTR"),
    ];
    const AES_GCM: Variants = &[
        (128, "AES-128-GCM"),
        (192, "AES-192-GCM"),
        (256, "AES-256-GCM"),
    ];
    const AES_XTS: Variants = &[(256, "AES-128-XTS"), (512, "AES-256-XTS")];
    const CAM_CBC: Variants = &[
        (128, "CAMELLIA-128-CBC"),
        (192, "CAMELLIA-192-CBC"),
        (256, "CAMELLIA-256-CBC"),
    ];
    const CAM_ECB: Variants = &[
        (128, "CAMELLIA-128-ECB"),
        (192, "CAMELLIA-192-ECB"),
        (256, "CAMELLIA-256-ECB"),
    ];
    const CAM_OFB: Variants = &[
        (128, "CAMELLIA-128-OFB"),
        (192, "CAMELLIA-192-OFB"),
        (256, "CAMELLIA-256-OFB"),
    ];
    const CAM_CFB: Variants = &[
        (128, "CAMELLIA-128-CFB"),
        (192, "CAMELLIA-192-CFB"),
        (256, "CAMELLIA-256-CFB"),
    ];
    const CAM_CFB8: Variants = &[
        (128, "CAMELLIA-128-CFB8"),
        (192, "CAMELLIA-192-CFB8"),
        (256, "CAMELLIA-256-CFB8"),
    ];
    const CAM_CTR: Variants = &[
        (128, "CAMELLIA-128-CTR"),
        (192, "CAMELLIA-192-CTR"),
        (256, "CAMELLIA-256-CTR"),
    ];
    const VAR: usize = VARIABLE_KEY;
    vec![
        (CipherPair::new::<Aes, Cbc>("AES", "CBC"), AES_CBC, false),
        (CipherPair::new::<Aes, Ecb>("AES", "ECB"), AES_ECB, false),
        (CipherPair::new::<Aes, Ofb>("AES", "OFB"), AES_OFB, false),
        (CipherPair::new::<Aes, Cfb>("AES", "CFB"), AES_CFB, false),
        (CipherPair::new::<Aes, Cfb8>("AES", "CFB8"), AES_CFB8, false),
        (CipherPair::new::<Aes, Ctr>("AES", "CTR"), AES_CTR, false),
        (CipherPair::new::<Aes, Gcm>("AES", "GCM"), AES_GCM, false),
        (CipherPair::new::<Aes, Xts>("AES", "XTS"), AES_XTS, false),
        (
            CipherPair::new::<Camellia, Cbc>("camellia", "CBC"),
            CAM_CBC,
            false,
        ),
        (
            CipherPair::new::<Camellia, Ecb>("camellia", "ECB"),
            CAM_ECB,
            false,
        ),
        (
            CipherPair::new::<Camellia, Ofb>("camellia", "OFB"),
            CAM_OFB,
            false,
        ),
        (
            CipherPair::new::<Camellia, Cfb>("camellia", "CFB"),
            CAM_CFB,
            false,
        ),
        (
            CipherPair::new::<Camellia, Cfb8>("camellia", "CFB8"),
            CAM_CFB8,
            false,
        ),
        (
            CipherPair::new::<Camellia, Ctr>("camellia", "CTR"),
            CAM_CTR,
            false,
        ),
        (
            CipherPair::new::<TripleDes, Cbc>("3DES", "CBC"),
            &[(192, "DES-EDE3-CBC")],
            false,
        ),
        (
            CipherPair::new::<TripleDes, Ecb>("3DES", "ECB"),
            &[(192, "DES-EDE3-ECB")],
            false,
        ),
        (
            CipherPair::new::<TripleDes, Ofb>("3DES", "OFB"),
            &[(192, "DES-EDE3-OFB")],
            false,
        ),
        (
            CipherPair::new::<TripleDes, Cfb>("3DES", "CFB"),
            &[(192, "DES-EDE3-CFB")],
            false,
        ),
        (
            CipherPair::new::<TripleDes, Cfb8>("3DES", "CFB8"),
            &[(192, "DES-EDE3-CFB8")],
            false,
        ),
        (
            CipherPair::new::<Sm4, Cbc>("SM4", "CBC"),
            &[(128, "SM4-CBC")],
            false,
        ),
        (
            CipherPair::new::<Sm4, Ecb>("SM4", "ECB"),
            &[(128, "SM4-ECB")],
            false,
        ),
        (
            CipherPair::new::<Sm4, Ofb>("SM4", "OFB"),
            &[(128, "SM4-OFB")],
            false,
        ),
        (
            CipherPair::new::<Sm4, Cfb>("SM4", "CFB"),
            &[(128, "SM4-CFB")],
            false,
        ),
        (
            CipherPair::new::<Sm4, Ctr>("SM4", "CTR"),
            &[(128, "SM4-CTR")],
            false,
        ),
        (
            CipherPair::stream::<ChaCha20>("ChaCha20"),
            &[(256, "ChaCha20")],
            false,
        ),
        (
            CipherPair::stream::<ChaCha20Poly1305Incremental>("ChaCha20-Poly1305"),
            &[(256, "ChaCha20-Poly1305")],
            false,
        ),
        // Legacy provider.
        (
            CipherPair::new::<Blowfish, Cbc>("Blowfish", "CBC"),
            &[(VAR, "BF-CBC")],
            true,
        ),
        (
            CipherPair::new::<Blowfish, Ecb>("Blowfish", "ECB"),
            &[(VAR, "BF-ECB")],
            true,
        ),
        (
            CipherPair::new::<Blowfish, Ofb>("Blowfish", "OFB"),
            &[(VAR, "BF-OFB")],
            true,
        ),
        (
            CipherPair::new::<Blowfish, Cfb>("Blowfish", "CFB"),
            &[(VAR, "BF-CFB")],
            true,
        ),
        (
            CipherPair::new::<Cast5, Cbc>("CAST5", "CBC"),
            &[(VAR, "CAST5-CBC")],
            true,
        ),
        (
            CipherPair::new::<Cast5, Ecb>("CAST5", "ECB"),
            &[(VAR, "CAST5-ECB")],
            true,
        ),
        (
            CipherPair::new::<Cast5, Ofb>("CAST5", "OFB"),
            &[(VAR, "CAST5-OFB")],
            true,
        ),
        (
            CipherPair::new::<Cast5, Cfb>("CAST5", "CFB"),
            &[(VAR, "CAST5-CFB")],
            true,
        ),
        (
            CipherPair::new::<Idea, Cbc>("IDEA", "CBC"),
            &[(128, "IDEA-CBC")],
            true,
        ),
        (
            CipherPair::new::<Idea, Ecb>("IDEA", "ECB"),
            &[(128, "IDEA-ECB")],
            true,
        ),
        (
            CipherPair::new::<Idea, Ofb>("IDEA", "OFB"),
            &[(128, "IDEA-OFB")],
            true,
        ),
        (
            CipherPair::new::<Idea, Cfb>("IDEA", "CFB"),
            &[(128, "IDEA-CFB")],
            true,
        ),
        (
            CipherPair::new::<Seed, Cbc>("SEED", "CBC"),
            &[(128, "SEED-CBC")],
            true,
        ),
        (
            CipherPair::new::<Seed, Ecb>("SEED", "ECB"),
            &[(128, "SEED-ECB")],
            true,
        ),
        (
            CipherPair::new::<Seed, Ofb>("SEED", "OFB"),
            &[(128, "SEED-OFB")],
            true,
        ),
        (
            CipherPair::new::<Seed, Cfb>("SEED", "CFB"),
            &[(128, "SEED-CFB")],
            true,
        ),
        (CipherPair::stream::<Arc4>("RC4"), &[(VAR, "RC4")], true),
    ]
}

fn builtin_hash_table() -> Vec<(TypeId, &'static str, &'static str)> {
    use hashes::*;
    vec![
        (TypeId::of::<Sha1>(), "sha1", "SHA1"),
        (TypeId::of::<Sha224>(), "sha224", "SHA224"),
        (TypeId::of::<Sha256>(), "sha256", "SHA256"),
        (TypeId::of::<Sha384>(), "sha384", "SHA384"),
        (TypeId::of::<Sha512>(), "sha512", "SHA512"),
        (TypeId::of::<Sha512_224>(), "sha512-224", "SHA512-224"),
        (TypeId::of::<Sha512_256>(), "sha512-256", "SHA512-256"),
        (TypeId::of::<Sha3_224>(), "sha3-224", "SHA3-224"),
        (TypeId::of::<Sha3_256>(), "sha3-256", "SHA3-256"),
        (TypeId::of::<Sha3_384>(), "sha3-384", "SHA3-384"),
        (TypeId::of::<Sha3_512>(), "sha3-512", "SHA3-512"),
        (TypeId::of::<Shake128>(), "shake128", "SHAKE128"),
        (TypeId::of::<Shake256>(), "shake256", "SHAKE256"),
        (TypeId::of::<Blake2b>(), "blake2b", "BLAKE2B-512"),
        (TypeId::of::<Blake2s>(), "blake2s", "BLAKE2S-256"),
        (TypeId::of::<Md5>(), "md5", "MD5"),
        (TypeId::of::<Ripemd160>(), "ripemd160", "RIPEMD160"),
        (TypeId::of::<Sm3>(), "sm3", "SM3"),
    ]
}

impl OpenSslBackend {
    fn build() -> Self {
        ffi::init();
        let legacy_provider_loaded = evp::load_provider(c"legacy");
        let mut builtin_ciphers: Vec<(CipherPair, Arc<dyn CipherAdapter>)> = Vec::new();
        for (pair, variants, legacy) in builtin_cipher_table() {
            if legacy && !legacy_provider_loaded {
                continue;
            }
            let mut fetched: Vec<(usize, Cipher)> = variants
                .iter()
                .filter_map(|&(bits, name)| Cipher::fetch(name).map(|c| (bits, c)))
                .collect();
            let adapter = match fetched.pop() {
                None => continue,
                Some((VARIABLE_KEY, cipher)) => {
                    EvpCipherAdapter::variable(cipher, variable_key_sizes(pair.algorithm_name()))
                }
                Some(last) => {
                    fetched.push(last);
                    EvpCipherAdapter::fixed(fetched)
                }
            };
            builtin_ciphers.push((pair, Arc::new(adapter)));
        }
        let hmac = digest::HmacAlgorithm::fetch();
        let hashes =
            builtin_hash_table()
                .into_iter()
                .filter_map(|(type_id, name, openssl_name)| {
                    let md = Md::fetch(openssl_name)?;
                    let xof = name.starts_with("shake");
                    let hmac = match (&hmac, xof) {
                        (Some(hmac), false) => hmac.template(openssl_name, &md),
                        _ => None,
                    };
                    Some((type_id, DigestEntry::new(name, md, hmac)))
                });
        OpenSslBackend {
            ciphers: CipherRegistry::new(builtin_ciphers),
            aeads: aead::AeadRegistry::fetch(),
            macs: mac::MacRegistry::fetch(legacy_provider_loaded),
            hashes: DigestRegistry::new(hashes),
            legacy_provider_loaded,
            version: evp::version(),
        }
    }

    /// Whether the legacy provider loaded (Blowfish, CAST5, IDEA, SEED, RC4 need it).
    pub fn legacy_provider_loaded(&self) -> bool {
        self.legacy_provider_loaded
    }

    /// The linked libcrypto's version string, e.g. `"OpenSSL 3.0.19 27 Jan 2026"`.
    pub fn openssl_version(&self) -> &str {
        &self.version
    }
}

cipher_backend_via_registry!(OpenSslBackend);

digest_backend_via_registry!(OpenSslBackend);

impl Backend for OpenSslBackend {
    fn name(&self) -> &str {
        "openssl"
    }

    fn description(&self) -> String {
        let legacy = if self.legacy_provider_loaded {
            "legacy provider loaded"
        } else {
            "legacy provider not available"
        };
        format!("{} ({legacy})", self.version)
    }
}
