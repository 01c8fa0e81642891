//! The pure-Rust backend on the RustCrypto crates: no C anywhere.
//!
//! It serves every algorithm, mode and hash of the OpenSSL backend for which a maintained
//! RustCrypto crate exists. SEED has none, so `cipher_supported` is false for it and requests
//! are `UnsupportedAlgorithm`. GCM is streamed here (AES-CTR plus GHASH), since the crates'
//! AEADs are one-shot.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::rust;
//! use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};
//!
//! let mut hash = Hash::with_backend(Sha256, rust::backend())?;
//! hash.update(b"abc")?;
//! assert_eq!(hash.finalize()?[..2], [0xba, 0x78]);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::any::TypeId;
use std::sync::{Arc, OnceLock};

use crate::exceptions::Result;
use crate::hazmat::backends::registry::{
    cipher_backend_via_registry, digest_backend_via_registry, CipherRegistry, DigestEntry,
    DigestRegistry,
};
use crate::hazmat::backends::{Backend, CipherAdapter, CipherPair, Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::algorithms::{
    Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, ChaCha20Poly1305Incremental, CipherAlgorithm,
    Idea, Sm4, TripleDes,
};
use crate::hazmat::primitives::ciphers::modes::{Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Mode, Ofb, Xts};
use crate::hazmat::primitives::hashes;
use crate::hazmat::primitives::unsupported::unsupported_cipher;

mod aead;
mod chacha20poly1305;
mod cipher;
mod dh;
mod digest;
mod dsa;
mod ec;
mod eddsa;
mod gcm;
mod hash_id;
mod kdf;
mod mac;
mod rsa;
mod universal_hash;
mod xdh;

use cipher::Factory;
use digest::{HashFn, HmacFn};

/// Builds contexts for one (algorithm, mode) pair, by key size in bits.
struct RustCipherAdapter {
    variants: Vec<(usize, Factory)>,
}

impl CipherAdapter for RustCipherAdapter {
    fn supports(&self, algorithm: &dyn CipherAlgorithm, _mode: Option<&dyn Mode>) -> bool {
        self.variants
            .iter()
            .any(|(bits, _)| *bits == algorithm.key_size())
    }

    fn create_context(
        &self,
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>> {
        let factory = self
            .variants
            .iter()
            .find(|(bits, _)| *bits == algorithm.key_size())
            .map(|(_, f)| *f)
            .ok_or_else(|| unsupported_cipher("rust", algorithm, mode))?;
        let iv = mode
            .and_then(Mode::initialization_vector)
            .or_else(|| algorithm.nonce());
        factory(algorithm.key(), iv, direction)
    }

    fn key_sizes(&self) -> Vec<usize> {
        self.variants.iter().map(|(bits, _)| *bits).collect()
    }
}

/// The pure-Rust backend. Get the shared instance with [`backend`].
pub struct RustBackend {
    ciphers: CipherRegistry,
    hashes: DigestRegistry<HashFn, HmacFn>,
}

/// The process-wide Rust backend, built on first use.
pub fn backend() -> Arc<dyn Backend> {
    static BACKEND: OnceLock<Arc<RustBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| Arc::new(RustBackend::build()))
        .clone()
}

type Table = Vec<(CipherPair, Vec<(usize, Factory)>)>;

/// The factory of mode `$make` over cipher type `$c`.
macro_rules! factory {
    (ofb, $c:ty) => {
        cipher::stream::<ofb::OfbCore<$c>> as Factory
    };
    (ctr, $c:ty) => {
        cipher::stream::<ctr::CtrCore<$c, ctr::flavors::Ctr128BE>> as Factory
    };
    (cbc, $c:ty) => {
        cipher::block_mode::<cbc::Encryptor<$c>, cbc::Decryptor<$c>> as Factory
    };
    (cfb8, $c:ty) => {
        cipher::block_mode::<cfb8::Encryptor<$c>, cfb8::Decryptor<$c>> as Factory
    };
    ($make:ident, $c:ty) => {
        cipher::$make::<$c> as Factory
    };
}

/// The factories of one mode for each `bits => cipher type` of a family.
macro_rules! variants {
    ($make:ident, [$($bits:expr => $c:ty),+ $(,)?]) => {
        vec![$(($bits, factory!($make, $c))),+]
    };
}

/// Adds one row per listed mode for a block cipher family: `bits => cipher type` per key size.
macro_rules! block_family {
    ($table:ident, $alg:ty, $name:literal, $sizes:tt, [$($mode:ty, $mode_name:literal => $make:ident),+ $(,)?]) => {
        $(
            $table.push((CipherPair::new::<$alg, $mode>($name, $mode_name), variants!($make, $sizes)));
        )+
    };
}

/// Adds one row per listed mode for a variable-key cipher (one type, many key sizes).
macro_rules! variable_family {
    ($table:ident, $alg:ty, $name:literal, $c:ty, $sizes:expr, [$($mode:ty, $mode_name:literal => $make:ident),+ $(,)?]) => {
        $(
            $table.push((
                CipherPair::new::<$alg, $mode>($name, $mode_name),
                $sizes.map(|bits| (bits, factory!($make, $c))).collect(),
            ));
        )+
    };
}

fn cipher_table() -> Table {
    let mut t: Table = Vec::with_capacity(48);
    block_family!(t, Aes, "AES", [128 => aes::Aes128, 192 => aes::Aes192, 256 => aes::Aes256], [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb,
        Cfb8, "CFB8" => cfb8, Ctr, "CTR" => ctr, Gcm, "GCM" => gcm,
    ]);
    block_family!(t, Aes, "AES", [256 => aes::Aes128, 512 => aes::Aes256], [Xts, "XTS" => xts]);
    block_family!(t, Camellia, "camellia", [128 => camellia::Camellia128, 192 => camellia::Camellia192, 256 => camellia::Camellia256], [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb,
        Cfb8, "CFB8" => cfb8, Ctr, "CTR" => ctr,
    ]);
    block_family!(t, TripleDes, "3DES", [192 => des::TdesEde3], [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb, Cfb8, "CFB8" => cfb8,
    ]);
    block_family!(t, Sm4, "SM4", [128 => sm4::Sm4], [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb, Ctr, "CTR" => ctr,
    ]);
    block_family!(t, Idea, "IDEA", [128 => idea::Idea], [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb,
    ]);
    variable_family!(t, Blowfish, "Blowfish", blowfish::Blowfish, (32..=448).step_by(8), [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb,
    ]);
    variable_family!(t, Cast5, "CAST5", cast5::Cast5, (40..=128).step_by(8), [
        Cbc, "CBC" => cbc, Ecb, "ECB" => ecb, Ofb, "OFB" => ofb, Cfb, "CFB" => cfb,
    ]);
    t.push((
        CipherPair::stream::<Arc4>("RC4"),
        [40, 56, 64, 80, 128, 160, 192, 256]
            .into_iter()
            .map(|bits| (bits, cipher::rc4 as Factory))
            .collect(),
    ));
    t.push((
        CipherPair::stream::<ChaCha20>("ChaCha20"),
        vec![(256, cipher::chacha20 as Factory)],
    ));
    t.push((
        CipherPair::stream::<ChaCha20Poly1305Incremental>("ChaCha20-Poly1305"),
        vec![(256, chacha20poly1305::factory as Factory)],
    ));
    t
}

fn hash_table() -> Vec<(TypeId, &'static str, HashFn, Option<HmacFn>)> {
    use digest::{fixed, hmac, xof};
    use hashes::*;
    // `Hmac` precomputes the padded key states; hashes without an eager block core (SHA-3,
    // BLAKE2) use `SimpleHmac`.
    macro_rules! fixed {
        ($ty:ty, $name:literal, $d:ty) => {
            (
                TypeId::of::<$ty>(),
                $name,
                fixed::<$d> as HashFn,
                Some(hmac::<::hmac::Hmac<$d>> as HmacFn),
            )
        };
        ($ty:ty, $name:literal, $d:ty, simple) => {
            (
                TypeId::of::<$ty>(),
                $name,
                fixed::<$d> as HashFn,
                Some(hmac::<::hmac::SimpleHmac<$d>> as HmacFn),
            )
        };
    }
    vec![
        fixed!(Sha1, "sha1", sha1::Sha1),
        fixed!(Sha224, "sha224", sha2::Sha224),
        fixed!(Sha256, "sha256", sha2::Sha256),
        fixed!(Sha384, "sha384", sha2::Sha384),
        fixed!(Sha512, "sha512", sha2::Sha512),
        fixed!(Sha512_224, "sha512-224", sha2::Sha512_224),
        fixed!(Sha512_256, "sha512-256", sha2::Sha512_256),
        fixed!(Sha3_224, "sha3-224", sha3::Sha3_224, simple),
        fixed!(Sha3_256, "sha3-256", sha3::Sha3_256, simple),
        fixed!(Sha3_384, "sha3-384", sha3::Sha3_384, simple),
        fixed!(Sha3_512, "sha3-512", sha3::Sha3_512, simple),
        (
            TypeId::of::<Shake128>(),
            "shake128",
            xof::<shake::Shake128> as HashFn,
            None,
        ),
        (
            TypeId::of::<Shake256>(),
            "shake256",
            xof::<shake::Shake256> as HashFn,
            None,
        ),
        fixed!(Blake2b, "blake2b", blake2::Blake2b512, simple),
        fixed!(Blake2s, "blake2s", blake2::Blake2s256, simple),
        fixed!(Md5, "md5", md5::Md5),
        fixed!(Ripemd160, "ripemd160", ripemd::Ripemd160),
        fixed!(Sm3, "sm3", sm3::Sm3),
    ]
}

impl RustBackend {
    fn build() -> Self {
        let builtin = cipher_table().into_iter().map(|(pair, variants)| {
            (
                pair,
                Arc::new(RustCipherAdapter { variants }) as Arc<dyn CipherAdapter>,
            )
        });
        let hashes = hash_table()
            .into_iter()
            .map(|(id, name, hash, hmac)| (id, DigestEntry::new(name, hash, hmac)));
        RustBackend {
            ciphers: CipherRegistry::new(builtin),
            hashes: DigestRegistry::new(hashes),
        }
    }
}

cipher_backend_via_registry!(RustBackend);

digest_backend_via_registry!(RustBackend);

impl Backend for RustBackend {
    fn name(&self) -> &str {
        "rust"
    }

    fn description(&self) -> String {
        "RustCrypto crates (pure Rust, no C)".to_owned()
    }
}
