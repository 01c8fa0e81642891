//! Throughput of the `cryptography` crate's primitives, next to the raw libraries its backends
//! wrap, doing the same work per message.
//!
//! A [`Runner`] processes one message as one whole operation: for a cipher, a fresh encryption
//! context with a fixed key and IV, the message, the end of the message (and the GCM tag); for a
//! hash, a fresh context, the message and the digest; for HMAC, a freshly keyed context. Every
//! runner of a [`Primitive`] writes the same bytes to `out` for the same message (the unit tests
//! check it), so they are doing the same work:
//!
//! - [`ours`]: our library on a given backend (OpenSSL, Rust, or the default multi-backend);
//! - [`raw_openssl`]: OpenSSL's EVP API through `openssl-sys`, a new context per message;
//! - [`raw_openssl_reused`]: OpenSSL with one keyed context reused for every message (its floor);
//! - [`raw_rustcrypto`]: the RustCrypto crates called directly, keyed per message;
//! - [`raw_ring`]: ring called directly.
//!
//! The one-shot AEAD primitives ([`Primitive::Aes128GcmOneShot`], [`Primitive::Aes256GcmOneShot`],
//! [`Primitive::ChaCha20Poly1305`]) are keyed once, as their users key them: every runner does
//! the key schedule when it is made and per message only seals (nonce, AAD, message, tag).
//!
//! [`measure`] times a runner for a given duration (for `hazmat speed`); the Criterion benchmark
//! `benches/primitives.rs` compares them all.
//!
//! The public-key operations ([`PublicKeyOp`]: RSA, ECDSA, Ed25519, X25519, ECDH, key
//! generation) are counted in operations per second on fixed keys: see [`public_key`], the
//! runners [`ours_public_key()`], [`raw_openssl_public_key`], [`raw_ring_public_key`] and
//! [`raw_rustcrypto_public_key`], [`measure_op`], and `benches/public_key.rs`.
//!
//! ```
//! use std::time::Duration;
//! use speed::{measure, ours, Primitive};
//!
//! let backend = pluggable_crypto::hazmat::backends::default_backend();
//! let mut runner = ours(Primitive::Sha256, backend).expect("the default backend has SHA-256");
//! let message = vec![0u8; 1024];
//! let mut out = Vec::new();
//! runner.run(&message, &mut out);
//! assert_eq!(out.len(), 32);
//! let m = measure(&mut *runner, &message, Duration::from_millis(20));
//! assert!(m.messages > 0 && m.bytes_per_second(message.len()) > 0.0);
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(missing_docs)]

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[cfg(feature = "openssl")]
mod evp;
#[cfg(feature = "openssl")]
mod evp_public_key;
mod fixtures;
#[allow(unreachable_pub)]
mod fixtures_hex;
mod ours;
pub mod ours_public_key;
pub mod public_key;
#[cfg(feature = "ring")]
mod ring;
#[cfg(feature = "ring")]
mod ring_public_key;
#[cfg(feature = "rust")]
mod rustcrypto;
#[cfg(feature = "rust")]
mod rustcrypto_public_key;

pub use ours::ours;
pub use ours_public_key::ours_public_key;
pub use public_key::{measure_op, KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp, MESSAGE};

/// A primitive with fixed parameters, as benchmarked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// AES-128 in GCM mode, 12-byte nonce, no AAD; output: ciphertext ‖ 16-byte tag.
    Aes128Gcm,
    /// AES-256 in GCM mode, 12-byte nonce, no AAD; output: ciphertext ‖ 16-byte tag.
    Aes256Gcm,
    /// ChaCha20 (OpenSSL's layout: 16-byte IV = 32-bit little-endian counter 0 ‖ 96-bit nonce).
    ChaCha20,
    /// AES-128 in CTR mode (128-bit big-endian counter).
    Aes128Ctr,
    /// AES-256 in CTR mode (128-bit big-endian counter).
    Aes256Ctr,
    /// AES-256 in CBC mode without padding: only whole 16-byte blocks are processed.
    Aes256Cbc,
    /// Camellia-128 in CBC mode without padding: only whole 16-byte blocks are processed.
    Camellia128Cbc,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
    /// SHA3-256.
    Sha3_256,
    /// BLAKE2b with a 64-byte digest.
    Blake2b,
    /// HMAC-SHA-256 with a 32-byte key, keyed per message.
    HmacSha256,
    /// One-shot AES-128-GCM keyed once: 12-byte nonce, 13-byte AAD; output: ciphertext ‖
    /// 16-byte tag.
    Aes128GcmOneShot,
    /// One-shot AES-256-GCM keyed once: 12-byte nonce, 13-byte AAD; output: ciphertext ‖
    /// 16-byte tag.
    Aes256GcmOneShot,
    /// One-shot ChaCha20-Poly1305 (RFC 8439) keyed once: 12-byte nonce, 13-byte AAD; output:
    /// ciphertext ‖ 16-byte tag.
    ChaCha20Poly1305,
}

impl Primitive {
    /// Every primitive, in display order.
    pub const ALL: [Primitive; 16] = [
        Primitive::Aes128Gcm,
        Primitive::Aes256Gcm,
        Primitive::ChaCha20,
        Primitive::Aes128Ctr,
        Primitive::Aes256Ctr,
        Primitive::Aes256Cbc,
        Primitive::Camellia128Cbc,
        Primitive::Sha1,
        Primitive::Sha256,
        Primitive::Sha512,
        Primitive::Sha3_256,
        Primitive::Blake2b,
        Primitive::HmacSha256,
        Primitive::Aes128GcmOneShot,
        Primitive::Aes256GcmOneShot,
        Primitive::ChaCha20Poly1305,
    ];

    /// The lowercase name, e.g. `"aes-128-gcm"` or `"hmac-sha256"`.
    pub fn name(self) -> &'static str {
        match self {
            Primitive::Aes128Gcm => "aes-128-gcm",
            Primitive::Aes256Gcm => "aes-256-gcm",
            Primitive::ChaCha20 => "chacha20",
            Primitive::Aes128Ctr => "aes-128-ctr",
            Primitive::Aes256Ctr => "aes-256-ctr",
            Primitive::Aes256Cbc => "aes-256-cbc",
            Primitive::Camellia128Cbc => "camellia-128-cbc",
            Primitive::Sha1 => "sha1",
            Primitive::Sha256 => "sha256",
            Primitive::Sha512 => "sha512",
            Primitive::Sha3_256 => "sha3-256",
            Primitive::Blake2b => "blake2b",
            Primitive::HmacSha256 => "hmac-sha256",
            Primitive::Aes128GcmOneShot => "aes-128-gcm-oneshot",
            Primitive::Aes256GcmOneShot => "aes-256-gcm-oneshot",
            Primitive::ChaCha20Poly1305 => "chacha20-poly1305",
        }
    }

    /// The primitive named `name` (as [`name`](Self::name) gives it, ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<Primitive> {
        Primitive::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// The key: the first bytes of [`KEY`] (16 or 32; HMAC: 32).
    fn key(self) -> &'static [u8] {
        match self {
            Primitive::Aes128Gcm
            | Primitive::Aes128Ctr
            | Primitive::Camellia128Cbc
            | Primitive::Aes128GcmOneShot => &KEY[..16],
            _ => &KEY,
        }
    }

    /// Whether this is a one-shot AEAD, keyed once and sealing each message with 13 bytes of
    /// associated data.
    pub fn is_one_shot_aead(self) -> bool {
        matches!(
            self,
            Primitive::Aes128GcmOneShot | Primitive::Aes256GcmOneShot | Primitive::ChaCha20Poly1305
        )
    }

    /// The associated data a one-shot AEAD authenticates with every message: 13 bytes, the size
    /// of TLS 1.2's (empty for everything else).
    fn aad(self) -> &'static [u8] {
        if self.is_one_shot_aead() {
            &AAD[..13]
        } else {
            &[]
        }
    }

    /// The IV or nonce of a cipher (empty for hashes and HMAC).
    fn iv(self) -> &'static [u8] {
        match self {
            Primitive::Aes128Gcm
            | Primitive::Aes256Gcm
            | Primitive::Aes128GcmOneShot
            | Primitive::Aes256GcmOneShot
            | Primitive::ChaCha20Poly1305 => &IV[..12],
            Primitive::ChaCha20 => &CHACHA_IV,
            Primitive::Aes128Ctr
            | Primitive::Aes256Ctr
            | Primitive::Aes256Cbc
            | Primitive::Camellia128Cbc => &IV,
            _ => &[],
        }
    }

    /// The block size a message is cut down to (16 for the unpadded CBC modes, else 1).
    fn whole_blocks(self) -> usize {
        match self {
            Primitive::Aes256Cbc | Primitive::Camellia128Cbc => 16,
            _ => 1,
        }
    }

    /// The length of the AEAD tag appended to the output (0 for everything else).
    fn tag_len(self) -> usize {
        match self {
            Primitive::Aes128Gcm | Primitive::Aes256Gcm => 16,
            p if p.is_one_shot_aead() => 16,
            _ => 0,
        }
    }
}

impl fmt::Display for Primitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The fixed key every runner uses (its first 16 bytes for 128-bit keys).
const KEY: [u8; 32] = [
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4,
];

/// The fixed IV of CTR and CBC (its first 12 bytes are the GCM nonce).
const IV: [u8; 16] = [
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
];

/// The associated data of the one-shot AEADs: a prefix of these bytes (13 in the benchmarks;
/// the tests also use every length from 0 to 16).
const AAD: [u8; 16] = [
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x17, 0x03, 0x03, 0x40, 0x00, 0xa5, 0x5a, 0xff,
];

/// ChaCha20's IV: a zero 64-bit block counter, then the nonce. (OpenSSL reads a 32-bit counter
/// and a 96-bit nonce, RustCrypto's legacy ChaCha20 a 64-bit counter and a 64-bit nonce; they
/// agree while the 32-bit counter does not wrap, which starting at 0 needs a 256 GiB message.)
const CHACHA_IV: [u8; 16] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0x4a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x31,
];

/// One message processed as a whole operation, on state prepared once (keys, pre-fetched
/// algorithms; for a one-shot AEAD, its keyed object).
///
/// `run` replaces `out` with the output: the ciphertext (followed by the 16-byte tag for GCM
/// and the one-shot AEADs),
/// or the digest or MAC. The CBC primitives do not pad, so they process only the whole 16-byte
/// blocks of the message (1350 bytes → 1344). `out` is grown when it is too short and never
/// shrunk below its capacity, so a reused `out` is not reallocated. On a failure of the
/// underlying library (which the prepared parameters rule out) `out` is left empty.
pub trait Runner {
    /// Processes `message`, writing the output to `out`.
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>);
}

/// The part of `message` a runner of `primitive` processes: whole blocks for CBC.
fn processed(primitive: Primitive, message: &[u8]) -> &[u8] {
    let block = primitive.whole_blocks();
    &message[..message.len() - message.len() % block]
}

/// Makes `out` at least `len` bytes long without shrinking it (only newly added bytes are
/// zeroed; capacity is kept, so a reused buffer is not reallocated) and returns it.
fn prepare(out: &mut Vec<u8>, len: usize) -> &mut [u8] {
    if out.len() < len {
        out.resize(len, 0);
    }
    out
}

/// The raw library the OpenSSL backend wraps, doing the same work per message.
///
/// Prepared once: the `EVP_CIPHER` or `EVP_MD` is fetched (as our backend does on first use).
/// Per message, exactly:
///
/// - ciphers: `EVP_CIPHER_CTX_new`, one `EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, 1)`,
///   `EVP_CIPHER_CTX_set_padding(ctx, 0)` (CBC only), `EVP_CipherUpdate`,
///   `EVP_EncryptFinal_ex`, `EVP_CIPHER_CTX_ctrl(GET_TAG)` (GCM only), `EVP_CIPHER_CTX_free`;
/// - hashes: `EVP_MD_CTX_new`, `EVP_DigestInit_ex(ctx, md, NULL)`, `EVP_DigestUpdate`,
///   `EVP_DigestFinal_ex`, `EVP_MD_CTX_free`;
/// - HMAC: `HMAC_CTX_new`, `HMAC_Init_ex(ctx, key, 32, md, NULL)` with the pre-fetched SHA256
///   `EVP_MD`, `HMAC_Update`, `HMAC_Final`, `HMAC_CTX_free`. This is the cheapest keyed
///   context per message we found (OpenSSL 3.0.19, 64-byte messages, ns/message):
///   `HMAC_CTX_new` + `HMAC_Init_ex` ~1020; `EVP_MAC_CTX_dup` of an unkeyed HMAC template +
///   `EVP_MAC_init(key, NULL)` (what our OpenSSL backend does) ~1450; `EVP_MAC_CTX_new` +
///   `EVP_MAC_init(key, {digest: "SHA256"})` (re-fetches the digest by name) ~1810. The
///   `HMAC_*` functions are deprecated in OpenSSL 3 but built by default (a libcrypto
///   configured with `no-deprecated` lacks them); in 3.0 the HMAC provider runs them too;
/// - one-shot AEADs: keyed once like every one-shot runner, so this is
///   [`raw_openssl_reused`]: one context keyed with `EVP_CipherInit_ex(ctx, cipher, NULL, key,
///   nonce, 1)` when the runner is made, and per message what that function lists.
///
/// `None` if the linked libcrypto lacks the algorithm.
#[cfg(feature = "openssl")]
pub fn raw_openssl(p: Primitive) -> Option<Box<dyn Runner>> {
    evp::fresh(p)
}

/// OpenSSL's own floor: one context, keyed once, reused for every message.
///
/// Per message, exactly:
///
/// - ciphers: `EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, 1)` (a new IV on the kept key
///   schedule and padding setting), `EVP_CipherUpdate`, `EVP_EncryptFinal_ex`, and
///   `EVP_CIPHER_CTX_ctrl(GET_TAG)` for GCM;
/// - one-shot AEADs: the same, with the AAD fed first by `EVP_CipherUpdate(ctx, NULL, ...)`
///   and the tag read with `EVP_CTRL_AEAD_GET_TAG`;
/// - hashes: `EVP_DigestInit_ex(ctx, md, NULL)` on the reused `EVP_MD_CTX`, `EVP_DigestUpdate`,
///   `EVP_DigestFinal_ex`;
/// - HMAC: `HMAC_Init_ex(ctx, NULL, 0, NULL, NULL)` on a context keyed once (restarts from
///   the kept inner padded-key state: one digest-state copy), `HMAC_Update`, `HMAC_Final`.
///   (~390 ns for 64 bytes; `EVP_MAC_init(ctx, NULL, 0, NULL)` on a keyed `EVP_MAC_CTX` is
///   ~460.)
///
/// `None` if the linked libcrypto lacks the algorithm.
#[cfg(feature = "openssl")]
pub fn raw_openssl_reused(p: Primitive) -> Option<Box<dyn Runner>> {
    evp::reused(p)
}

/// The RustCrypto crates called directly, doing the same work per message.
///
/// Per message, exactly:
///
/// - AES-GCM: `aes_gcm::AesNGcm::new` (key schedule and `H`), then the one-shot
///   `encrypt_inout_detached` from the message into `out` (the buffer-to-buffer form of
///   `encrypt_in_place_detached`, which aead 0.6 deprecates and implements as a call to it;
///   in place would need an extra copy of the message);
/// - ChaCha20: `ChaCha20LegacyCore::new` + `set_block_pos` (as our Rust backend keys it),
///   `apply_keystream_b2b`;
/// - AES-CTR: `ctr::Ctr128BE::<AesN>::new`, `apply_keystream_b2b`;
/// - CBC: `cbc::Encryptor::<C>::new`, `encrypt_blocks_inout` over the whole blocks;
/// - hashes: `D::new`, `update`, `finalize` (SHA-1, SHA-256, SHA-512, SHA3-256, BLAKE2b-512);
/// - HMAC: `hmac::Hmac::<Sha256>::new_from_slice` (padded-key states), `update`, `finalize`;
/// - one-shot AES-GCM and ChaCha20-Poly1305: `aes_gcm::AesNGcm::new` or
///   `chacha20poly1305::ChaCha20Poly1305::new` once, when the runner is made; per message
///   `encrypt_inout_detached` with the AAD, as for AES-GCM above.
#[cfg(feature = "rust")]
pub fn raw_rustcrypto(p: Primitive) -> Option<Box<dyn Runner>> {
    rustcrypto::runner(p)
}

/// ring called directly, doing the same work per message.
///
/// Per message, exactly:
///
/// - one-shot AEADs: the message copied into `out`, then
///   `LessSafeKey::seal_in_place_separate_tag(nonce, aad, out)` on a key built once, when the
///   runner is made (ring seals only in place), and the tag appended;
/// - hashes: `ring::digest::digest` (SHA-1, SHA-256, SHA-512);
/// - HMAC: `ring::hmac::Key::new` (padded-key states) and `ring::hmac::sign`.
///
/// `None` for what ring lacks (streaming ciphers, SHA-3, BLAKE2b).
#[cfg(feature = "ring")]
pub fn raw_ring(p: Primitive) -> Option<Box<dyn Runner>> {
    ring::runner(p)
}

/// OpenSSL's `EVP_PKEY` API through `openssl-sys`, doing the same public-key work.
///
/// Prepared once: the key as an `EVP_PKEY` (RSA and EC from their components with
/// `EVP_PKEY_fromdata`, Ed25519/X25519 with `EVP_PKEY_new_raw_*_key`), the peer key of an
/// exchange, the fetched SHA-256/SHA-384 `EVP_MD`. Per operation, a fresh context, as a user
/// of raw EVP who keeps only the key does (and as our backend does):
///
/// - sign / verify: `EVP_MD_CTX_new`, `EVP_DigestSignInit(mctx, NULL, md, NULL, pkey)` (md
///   NULL for Ed25519; RSA's default padding is PKCS#1 v1.5), one `EVP_DigestSign` into a
///   buffer of `EVP_PKEY_get_size` bytes (`EVP_DigestVerifyInit` / `EVP_DigestVerify`),
///   `EVP_MD_CTX_free`;
/// - OAEP decrypt: `EVP_PKEY_CTX_new(pkey)`, `EVP_PKEY_decrypt_init`, `set_rsa_padding(OAEP)`,
///   `set_rsa_oaep_md(SHA256)`, `set_rsa_mgf1_md(SHA256)`, one `EVP_PKEY_decrypt` into a
///   modulus-sized buffer, `EVP_PKEY_CTX_free`;
/// - exchange: `EVP_PKEY_CTX_new(pkey)`, `EVP_PKEY_derive_init`, `EVP_PKEY_derive_set_peer`,
///   `EVP_PKEY_derive`, `EVP_PKEY_CTX_free`;
/// - keygen: `EVP_PKEY_CTX_new_from_name("RSA" | "EC")`, `EVP_PKEY_keygen_init`,
///   `set_rsa_keygen_bits(2048)` / `set_ec_paramgen_curve_nid(P-256)`, `EVP_PKEY_generate`,
///   reading n (`EVP_PKEY_get_bn_param`) or the point (`encoded-pub-key`), frees.
///
/// `openssl speed` instead reuses one initialised `EVP_PKEY_CTX` and signs a fixed digest
/// (no hashing), so its figures are an upper bound for these; `scripts/openssl-speed-public-key`
/// runs it (with `-elapsed`, wall-clock time as here) next to `hazmat speed --public-key`.
/// `None` if the linked libcrypto lacks the algorithm.
#[cfg(feature = "openssl")]
pub fn raw_openssl_public_key(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    evp_public_key::runner(op)
}

/// ring called directly, doing the same public-key work.
///
/// Prepared once: `rsa::KeyPair::from_components`, `EcdsaKeyPair::from_private_key_and_public_key`,
/// `Ed25519KeyPair::from_seed_and_public_key`, or the `UnparsedPublicKey` /
/// `RsaPublicKeyComponents` to verify with, and a `SystemRandom`. Per operation: `sign`
/// (`RSA_PKCS1_SHA256`, `ECDSA_P256_SHA256_ASN1_SIGNING`, `ECDSA_P384_SHA384_ASN1_SIGNING`),
/// `verify` (`RSA_PKCS1_2048_8192_SHA256`, `ECDSA_P*_ASN1`, `ED25519`),
/// `EcdsaKeyPair::generate_pkcs8` for P-256 key generation (output: the point at the end of
/// ring's PKCS#8 document).
///
/// Exchanges do **not** do the same work: ring cannot load a fixed X25519 or P-256 private key
/// (only `EphemeralPrivateKey::generate`, consumed by `agree_ephemeral`), so its exchange rows
/// generate a fresh ephemeral key per operation, then agree with the fixed peer: key
/// generation + one exchange, with a shared secret that differs every time. They are reported
/// as `raw-ring-ephemeral` and not compared.
///
/// `None` for what ring lacks: RSA OAEP decryption and RSA key generation.
#[cfg(feature = "ring")]
pub fn raw_ring_public_key(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    ring_public_key::runner(op)
}

/// The RustCrypto crates called directly, doing the same public-key work (the versions the
/// Rust backend uses: `rsa` 0.10, `p256`/`p384` 0.14, `ecdsa` 0.17, `ed25519-dalek` 3,
/// `x25519-dalek` 3).
///
/// Prepared once: `rsa::PrivateKey::from_components` (CRT precomputation) wrapped in
/// `pkcs1v15::SigningKey<Sha256>` / `VerifyingKey<Sha256>`; `p256`/`p384`
/// `ecdsa::SigningKey::from_slice` / `VerifyingKey::from_sec1_bytes`; `ed25519_dalek`
/// `SigningKey::from_bytes` / `VerifyingKey::from_bytes`; `x25519_dalek::StaticSecret` and the
/// peer `PublicKey`; the P-256 `SecretKey` and peer `PublicKey`. Per operation:
///
/// - RSA sign: `Signer::sign` (blinded with the OS RNG), `to_vec`; verify: `Verifier::verify`;
///   OAEP decrypt: `decrypt_blinded(SysRng, Oaep::<Sha256>::new(), ct)`;
/// - ECDSA sign: `RandomizedSigner::sign_with_rng(SysRng, msg)` (RFC 6979 hedged with fresh
///   randomness), `to_der`; verify: `Verifier::verify` of the parsed DER signature;
/// - Ed25519: `Signer::sign`, `Verifier::verify`;
/// - X25519: `StaticSecret::diffie_hellman`; ECDH: `p256::ecdh::diffie_hellman`;
/// - keygen: `PrivateKey::new(SysRng, 2048)` (n as output), `p256::SecretKey::try_generate_from_rng`
///   with its public point.
#[cfg(feature = "rust")]
pub fn raw_rustcrypto_public_key(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    rustcrypto_public_key::runner(op)
}

/// The result of [`measure`]: how many messages were processed in how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measurement {
    /// Messages processed in the timed part (0 if the runner failed).
    pub messages: u64,
    /// The time the timed part took.
    pub elapsed: Duration,
}

impl Measurement {
    /// Throughput for messages of `message_len` bytes (0 when nothing was measured).
    pub fn bytes_per_second(&self, message_len: usize) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if self.messages == 0 || seconds == 0.0 {
            return 0.0;
        }
        self.messages as f64 * message_len as f64 / seconds
    }

    /// Operations per second, for [`measure_op`] (0 when nothing was measured).
    pub fn ops_per_second(&self) -> f64 {
        self.bytes_per_second(1)
    }

    /// Mean time per message in nanoseconds (infinite when nothing was measured).
    pub fn nanos_per_message(&self) -> f64 {
        if self.messages == 0 {
            return f64::INFINITY;
        }
        self.elapsed.as_nanos() as f64 / self.messages as f64
    }
}

/// Measures `runner` on `message` for about `duration` (at least one message) and returns how
/// many messages it processed and in how long.
///
/// It first warms up for a tenth of `duration` (at least one message), which also sizes the
/// batches between clock reads to about a hundredth of `duration`. A runner that produces no
/// output for a message that should have some (a failure, see [`Runner`]) stops the measurement
/// at once with `messages: 0`.
pub fn measure(runner: &mut dyn Runner, message: &[u8], duration: Duration) -> Measurement {
    measure_with(
        |out| runner.run(black_box(message), out),
        !message.is_empty(),
        duration,
    )
}

/// The loop of [`measure`] and [`measure_op`]: `op` writes one output; when `must_output`, an
/// empty first output is a failure.
pub(crate) fn measure_with(
    mut op: impl FnMut(&mut Vec<u8>),
    must_output: bool,
    duration: Duration,
) -> Measurement {
    let mut out = Vec::new();
    op(&mut out);
    if out.is_empty() && must_output {
        return Measurement {
            messages: 0,
            elapsed: Duration::ZERO,
        };
    }
    // Warm-up, timing single messages to size the batches.
    let warm_up = duration / 10;
    let start = Instant::now();
    let mut warm_messages = 1u64;
    while start.elapsed() < warm_up {
        op(&mut out);
        black_box(&mut out);
        warm_messages += 1;
    }
    let per_message = start.elapsed().as_secs_f64() / warm_messages as f64;
    let batch = if per_message > 0.0 {
        ((duration.as_secs_f64() / 100.0) / per_message).clamp(1.0, 1e9) as u64
    } else {
        1
    };
    let mut messages = 0u64;
    let start = Instant::now();
    loop {
        for _ in 0..batch {
            op(&mut out);
            black_box(&mut out);
        }
        messages += batch;
        let elapsed = start.elapsed();
        if elapsed >= duration {
            return Measurement { messages, elapsed };
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_public_key;
