//! Cipher algorithms: a key plus the rules for its length.
//!
//! Key sizes and block sizes of ciphers are in **bits**, as in pyca/cryptography. Block ciphers
//! need a [mode](super::modes); stream ciphers ([`Arc4`], [`ChaCha20`]) take none.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::tag::{check_tag_length, ModeWithAuthenticationTag};
use crate::exceptions::{Error, Reason, Result};

/// A symmetric cipher algorithm with its key.
///
/// Implemented by the built-in algorithms below; a user type implementing it can be served by a
/// backend once an adapter for it is registered
/// ([`CipherBackend::register_cipher_adapter`](crate::hazmat::backends::CipherBackend::register_cipher_adapter)).
pub trait CipherAlgorithm: Any + Send + Sync + fmt::Debug {
    /// The algorithm's name, e.g. `"AES"`.
    fn name(&self) -> &'static str;
    /// The key size in bits.
    fn key_size(&self) -> usize;
    /// The key bytes (for backends).
    fn key(&self) -> &[u8];
    /// The block size in bits for a block cipher; `None` for a stream cipher.
    fn block_size(&self) -> Option<usize>;
    /// The nonce a stream cipher carries itself (ChaCha20); `None` otherwise.
    fn nonce(&self) -> Option<&[u8]> {
        None
    }

    /// How many bytes of keystream one message may use, for ciphers whose counter can run
    /// out; `None` when there is no practical limit.
    fn keystream_limit(&self) -> Option<u128> {
        None
    }

    /// The authentication parameters of a mode-less AEAD ([`ChaCha20Poly1305Incremental`]);
    /// `None` for every other algorithm.
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        None
    }
}

/// Key bytes that are wiped from memory on drop and never printed.
#[derive(Clone)]
struct SecretKey(Zeroizing<Vec<u8>>);

impl SecretKey {
    fn new(key: &[u8]) -> Self {
        SecretKey(Zeroizing::new(key.to_vec()))
    }

    fn bits(&self) -> usize {
        self.0.len() * 8
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}-bit key>", self.bits())
    }
}

fn list_sizes(sizes: &[usize]) -> String {
    let parts: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
        _ => parts.join(""),
    }
}

fn check_key_in(name: &str, key: &[u8], sizes: &[usize]) -> Result<()> {
    let bits = key.len() * 8;
    if sizes.contains(&bits) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "invalid key size ({bits} bits) for {name}: must be {} bits",
            list_sizes(sizes)
        )))
    }
}

/// AES takes 128, 192 or 256 bits; 512 bits (two AES-256 keys) is accepted here for XTS, and
/// the other modes reject it when the `Cipher` is built.
fn check_aes_key(name: &str, key: &[u8]) -> Result<()> {
    let bits = key.len() * 8;
    if matches!(bits, 128 | 192 | 256 | 512) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "invalid key size ({bits} bits) for {name}: must be 128, 192 or 256 bits \
             (or 512 bits, two AES-256 keys, for XTS only)"
        )))
    }
}

fn check_key_range(name: &str, key: &[u8], min: usize, max: usize) -> Result<()> {
    let bits = key.len() * 8;
    if (min..=max).contains(&bits) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "invalid key size ({bits} bits) for {name}: must be {min} to {max} bits in steps of 8"
        )))
    }
}

/// Declares a block cipher type with a fixed set of key sizes or a range of them.
macro_rules! block_cipher {
    (
        $(#[$doc:meta])*
        $ty:ident, name = $name:literal, block_bits = $block:literal, $check:ident($($arg:expr),*)
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $ty {
            key: SecretKey,
        }

        impl $ty {
            /// The block size in bits.
            pub const BLOCK_SIZE: usize = $block;

            /// Takes a key, checking its length.
            pub fn new(key: &[u8]) -> Result<Self> {
                $check($name, key, $($arg),*)?;
                Ok($ty { key: SecretKey::new(key) })
            }

            /// The block size in bits.
            pub fn block_size(&self) -> usize {
                $block
            }
        }

        impl CipherAlgorithm for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn key_size(&self) -> usize {
                self.key.bits()
            }
            fn key(&self) -> &[u8] {
                &self.key.0
            }
            fn block_size(&self) -> Option<usize> {
                Some($block)
            }
        }
    };
}

block_cipher!(
    /// AES (Rijndael with 128-bit blocks): 128-, 192- or 256-bit keys; 512-bit keys
    /// (two AES-256 keys) only for [`Xts`](super::modes::Xts).
    Aes, name = "AES", block_bits = 128, check_aes_key()
);
block_cipher!(
    /// Camellia: 128-, 192- or 256-bit keys.
    Camellia, name = "camellia", block_bits = 128, check_key_in(&[128, 192, 256])
);
block_cipher!(
    /// Blowfish, a legacy 64-bit block cipher: keys of 32 to 448 bits in steps of 8.
    Blowfish, name = "Blowfish", block_bits = 64, check_key_range(32, 448)
);
block_cipher!(
    /// CAST5 (CAST-128), a legacy 64-bit block cipher: keys of 40 to 128 bits in steps of 8.
    Cast5, name = "CAST5", block_bits = 64, check_key_range(40, 128)
);
block_cipher!(
    /// IDEA, a legacy 64-bit block cipher: 128-bit keys.
    Idea, name = "IDEA", block_bits = 64, check_key_in(&[128])
);
block_cipher!(
    /// SEED (RFC 4269), a legacy 128-bit block cipher: 128-bit keys.
    Seed, name = "SEED", block_bits = 128, check_key_in(&[128])
);
block_cipher!(
    /// SM4 (GB/T 32907-2016): 128-bit keys.
    Sm4, name = "SM4", block_bits = 128, check_key_in(&[128])
);

/// Triple DES (DES-EDE3), a legacy 64-bit block cipher.
///
/// Takes 64-, 128- or 192-bit keys; the short forms expand to 192 bits as K1‖K1‖K1 and
/// K1‖K2‖K1, so [`key_size`](CipherAlgorithm::key_size) is always 192.
#[derive(Clone, Debug)]
pub struct TripleDes {
    key: SecretKey,
}

impl TripleDes {
    /// The block size in bits.
    pub const BLOCK_SIZE: usize = 64;

    /// Takes an 8-, 16- or 24-byte key, expanding the short forms to 24 bytes.
    pub fn new(key: &[u8]) -> Result<Self> {
        check_key_in("3DES", key, &[64, 128, 192])?;
        let mut expanded = Zeroizing::new(Vec::with_capacity(24));
        match key.len() {
            8 => {
                for _ in 0..3 {
                    expanded.extend_from_slice(key);
                }
            }
            16 => {
                expanded.extend_from_slice(key);
                expanded.extend_from_slice(&key[..8]);
            }
            _ => expanded.extend_from_slice(key),
        }
        Ok(TripleDes {
            key: SecretKey(expanded),
        })
    }

    /// The block size in bits.
    pub fn block_size(&self) -> usize {
        Self::BLOCK_SIZE
    }
}

impl CipherAlgorithm for TripleDes {
    fn name(&self) -> &'static str {
        "3DES"
    }
    fn key_size(&self) -> usize {
        self.key.bits()
    }
    fn key(&self) -> &[u8] {
        &self.key.0
    }
    fn block_size(&self) -> Option<usize> {
        Some(Self::BLOCK_SIZE)
    }
}

/// ARC4 (RC4), a broken legacy stream cipher, kept for interoperability only.
///
/// Keys of 40, 56, 64, 80, 128, 160, 192 or 256 bits. Takes no mode.
#[derive(Clone, Debug)]
pub struct Arc4 {
    key: SecretKey,
}

impl Arc4 {
    /// Takes a key, checking its length.
    pub fn new(key: &[u8]) -> Result<Self> {
        check_key_in("RC4", key, &[40, 56, 64, 80, 128, 160, 192, 256])?;
        Ok(Arc4 {
            key: SecretKey::new(key),
        })
    }
}

impl CipherAlgorithm for Arc4 {
    fn name(&self) -> &'static str {
        "RC4"
    }
    fn key_size(&self) -> usize {
        self.key.bits()
    }
    fn key(&self) -> &[u8] {
        &self.key.0
    }
    fn block_size(&self) -> Option<usize> {
        None
    }
}

/// ChaCha20 (RFC 7539 block function), a stream cipher with a 256-bit key.
///
/// The 16-byte `nonce` is the 4-byte little-endian initial block counter followed by the
/// 12-byte RFC 7539 nonce (the layout OpenSSL and pyca/cryptography use). Takes no mode.
#[derive(Clone)]
pub struct ChaCha20 {
    key: SecretKey,
    nonce: [u8; 16],
}

impl ChaCha20 {
    /// Takes a 32-byte key and a 16-byte counter‖nonce.
    pub fn new(key: &[u8], nonce: &[u8]) -> Result<Self> {
        check_key_in("ChaCha20", key, &[256])?;
        let nonce: [u8; 16] = nonce.try_into().map_err(|_| {
            Error::invalid(format!(
                "invalid nonce size ({}) for ChaCha20: must be 16 bytes \
                 (4-byte little-endian counter followed by a 12-byte nonce)",
                crate::exceptions::Bytes(nonce.len())
            ))
        })?;
        Ok(ChaCha20 {
            key: SecretKey::new(key),
            nonce,
        })
    }

    /// The 16-byte counter‖nonce.
    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }
}

impl fmt::Debug for ChaCha20 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChaCha20")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl CipherAlgorithm for ChaCha20 {
    fn name(&self) -> &'static str {
        "ChaCha20"
    }
    fn key_size(&self) -> usize {
        self.key.bits()
    }
    fn key(&self) -> &[u8] {
        &self.key.0
    }
    fn block_size(&self) -> Option<usize> {
        None
    }
    fn nonce(&self) -> Option<&[u8]> {
        Some(&self.nonce)
    }

    /// The 32-bit counter and the first nonce word form a 64-bit block counter (OpenSSL's
    /// layout). It may not reach 2^64 - 1: past that OpenSSL would wrap to block 0 and repeat
    /// keystream, so every backend refuses the message instead.
    fn keystream_limit(&self) -> Option<u128> {
        let mut counter = [0u8; 8];
        counter.copy_from_slice(&self.nonce[..8]);
        Some(u128::from(u64::MAX - u64::from_le_bytes(counter)) * 64)
    }
}

/// ChaCha20-Poly1305 (RFC 8439) as an *incremental* AEAD through
/// [`Cipher`](super::Cipher) (`update` after `update`): a mode-less authenticated cipher with the same rules as GCM
/// (associated data first, the tag from [`CipherContext::tag`](super::CipherContext::tag)
/// after `finalize`, the decryption tag here or at
/// [`finalize_with_tag`](super::CipherContext::finalize_with_tag)), for messages too large to
/// hold in memory. The output is byte-identical to the one-shot
/// [`aead::ChaCha20Poly1305`](crate::hazmat::primitives::aead::ChaCha20Poly1305), which is
/// the type to use when the message fits in memory (it holds the key; this descriptor holds a
/// key and one nonce, for one message).
///
/// Takes a 32-byte key and a 12-byte nonce; tags are 16 bytes (shorter tags are refused); one
/// message holds at most 2^38 - 64 bytes.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::algorithms::ChaCha20Poly1305Incremental;
/// use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
///
/// let cipher = Cipher::new(ChaCha20Poly1305Incremental::new(&[1; 32], &[2; 12])?, None)?;
/// let mut enc = cipher.encryptor()?;
/// enc.authenticate_additional_data(b"header")?;
/// let mut ct = enc.update(b"part one, ")?;
/// ct.extend(enc.update(b"part two")?);
/// ct.extend(enc.finalize()?);
/// let tag = enc.tag()?.to_vec();
///
/// let mut dec = cipher.decryptor()?;
/// dec.authenticate_additional_data(b"header")?;
/// let mut pt = dec.update(&ct)?;
/// pt.extend(dec.finalize_with_tag(&tag)?); // InvalidTag if anything was changed
/// assert_eq!(pt, b"part one, part two");
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct ChaCha20Poly1305Incremental {
    key: SecretKey,
    nonce: [u8; 12],
    tag: Option<[u8; 16]>,
}

impl ChaCha20Poly1305Incremental {
    /// The tag length in bytes.
    pub const TAG_BYTES: usize = 16;
    /// The most data bytes one message may hold ((2^32 - 1) blocks of 64 bytes).
    pub const MAX_DATA_BYTES: u64 = (1 << 38) - 64;

    /// Takes a 32-byte key and a 12-byte nonce (for encryption, or for decryption with the tag
    /// given at `finalize_with_tag`).
    pub fn new(key: &[u8], nonce: &[u8]) -> Result<Self> {
        check_key_in("ChaCha20-Poly1305", key, &[256])?;
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| {
            Error::invalid(format!(
                "invalid nonce size ({}) for ChaCha20-Poly1305: must be 12 bytes",
                crate::exceptions::Bytes(nonce.len())
            ))
        })?;
        Ok(ChaCha20Poly1305Incremental {
            key: SecretKey::new(key),
            nonce,
            tag: None,
        })
    }

    /// For decryption with the 16-byte tag known up front.
    pub fn with_decryption_tag(key: &[u8], nonce: &[u8], tag: &[u8]) -> Result<Self> {
        check_tag_length(tag, Self::TAG_BYTES, Self::TAG_BYTES)?;
        let mut this = Self::new(key, nonce)?;
        let mut inline = [0u8; 16];
        inline.copy_from_slice(tag);
        this.tag = Some(inline);
        Ok(this)
    }

    /// The 12-byte nonce.
    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }
}

impl fmt::Debug for ChaCha20Poly1305Incremental {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChaCha20Poly1305Incremental")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl CipherAlgorithm for ChaCha20Poly1305Incremental {
    fn name(&self) -> &'static str {
        "ChaCha20-Poly1305"
    }
    fn key_size(&self) -> usize {
        self.key.bits()
    }
    fn key(&self) -> &[u8] {
        &self.key.0
    }
    fn block_size(&self) -> Option<usize> {
        None
    }
    fn nonce(&self) -> Option<&[u8]> {
        Some(&self.nonce)
    }
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        Some(self)
    }
}

impl ModeWithAuthenticationTag for ChaCha20Poly1305Incremental {
    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_ref().map(|t| t.as_slice())
    }
    fn min_tag_length(&self) -> usize {
        Self::TAG_BYTES
    }
    fn max_tag_length(&self) -> usize {
        Self::TAG_BYTES
    }
    fn max_data_bytes(&self) -> u64 {
        Self::MAX_DATA_BYTES
    }
    fn max_aad_bytes(&self) -> u64 {
        u64::MAX
    }
}

/// True when `algorithm` is the built-in type `T`.
pub(crate) fn is<T: Any>(algorithm: &dyn CipherAlgorithm) -> bool {
    (algorithm as &dyn Any).is::<T>()
}

/// The algorithm names [`by_name`] knows, in pyca/cryptography's spelling (the class names of
/// `cryptography.hazmat.primitives.ciphers.algorithms`, plus the streaming
/// `ChaCha20-Poly1305`).
pub const NAMES: [&str; 11] = [
    "AES",
    "Camellia",
    "TripleDES",
    "Blowfish",
    "CAST5",
    "IDEA",
    "SEED",
    "SM4",
    "ARC4",
    "ChaCha20",
    "ChaCha20-Poly1305",
];

/// Builds a built-in cipher algorithm from its name, its key and (for the ciphers that carry
/// one) its nonce: the one name -> constructor table of the library.
///
/// Names are matched case-insensitively. Each algorithm answers to its pyca/cryptography name
/// and to the name its [`CipherAlgorithm::name`] reports (the name backends list it under), so
/// `by_name(alg.name(), alg.key(), alg.nonce())` rebuilds `alg`:
///
/// | name | also | type | `nonce` |
/// |---|---|---|---|
/// | `AES` | | [`Aes`] | `None` |
/// | `Camellia` | | [`Camellia`] | `None` |
/// | `TripleDES` | `3DES` | [`TripleDes`] | `None` |
/// | `Blowfish` | | [`Blowfish`] | `None` |
/// | `CAST5` | | [`Cast5`] | `None` |
/// | `IDEA` | | [`Idea`] | `None` |
/// | `SEED` | | [`Seed`] | `None` |
/// | `SM4` | | [`Sm4`] | `None` |
/// | `ARC4` | `RC4` | [`Arc4`] | `None` |
/// | `ChaCha20` | | [`ChaCha20`] | 16 bytes: counter ‖ nonce |
/// | `ChaCha20-Poly1305` | `ChaCha20Poly1305` | [`ChaCha20Poly1305Incremental`] (for encryption, or decryption with the tag at `finalize_with_tag`) | 12 bytes |
///
/// A block cipher's IV is not a nonce of the algorithm: it belongs to the
/// [mode](super::modes::by_name). The key (and nonce) are checked by the type's constructor,
/// with its error.
///
/// # Errors
///
/// [`Error::UnsupportedAlgorithm`] for an unknown name (the message lists [`NAMES`]);
/// [`Error::InvalidArgument`] for a bad key or nonce, a missing nonce for ChaCha20 or
/// ChaCha20-Poly1305, or a nonce given to a cipher that takes none.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms, modes, Cipher};
///
/// let aes = algorithms::by_name("aes", &[7; 16], None)?;
/// assert_eq!((aes.name(), aes.key_size()), ("AES", 128));
/// let cipher = Cipher::new(aes, modes::by_name("CBC", &[9; 16], None)?)?;
/// let mut encryptor = cipher.encryptor()?;
/// let mut ciphertext = encryptor.update(&[0; 32])?;
/// ciphertext.extend(encryptor.finalize()?);
/// assert_eq!(ciphertext.len(), 32);
///
/// let chacha = algorithms::by_name("ChaCha20", &[1; 32], Some(&[0; 16]))?;
/// assert_eq!(chacha.block_size(), None);
/// assert!(algorithms::by_name("ChaCha20", &[1; 32], None).is_err()); // needs its nonce
/// assert!(algorithms::by_name("DES", &[1; 8], None).unwrap_err().is_unsupported());
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn by_name(name: &str, key: &[u8], nonce: Option<&[u8]>) -> Result<Arc<dyn CipherAlgorithm>> {
    let lower = name.to_ascii_lowercase();
    let keyed: fn(&[u8]) -> Result<Arc<dyn CipherAlgorithm>> = match lower.as_str() {
        "aes" => |k| Ok(Arc::new(Aes::new(k)?)),
        "camellia" => |k| Ok(Arc::new(Camellia::new(k)?)),
        "tripledes" | "3des" => |k| Ok(Arc::new(TripleDes::new(k)?)),
        "blowfish" => |k| Ok(Arc::new(Blowfish::new(k)?)),
        "cast5" => |k| Ok(Arc::new(Cast5::new(k)?)),
        "idea" => |k| Ok(Arc::new(Idea::new(k)?)),
        "seed" => |k| Ok(Arc::new(Seed::new(k)?)),
        "sm4" => |k| Ok(Arc::new(Sm4::new(k)?)),
        "arc4" | "rc4" => |k| Ok(Arc::new(Arc4::new(k)?)),
        "chacha20" => {
            let nonce = needs_nonce(
                "ChaCha20",
                "16 bytes: a 4-byte counter and a 12-byte nonce",
                nonce,
            )?;
            return Ok(Arc::new(ChaCha20::new(key, nonce)?));
        }
        "chacha20-poly1305" | "chacha20poly1305" => {
            let nonce = needs_nonce("ChaCha20-Poly1305", "12 bytes", nonce)?;
            return Ok(Arc::new(ChaCha20Poly1305Incremental::new(key, nonce)?));
        }
        _ => {
            return Err(Error::unsupported(
                Reason::UnsupportedCipher,
                format!(
                    "unknown cipher algorithm {name:?}: the known names are {}",
                    NAMES.join(", ")
                ),
            ))
        }
    };
    if nonce.is_some() {
        return Err(Error::invalid(format!(
            "{name} takes no nonce (a block cipher's IV belongs to its mode)"
        )));
    }
    keyed(key)
}

fn needs_nonce<'a>(name: &str, size: &str, nonce: Option<&'a [u8]>) -> Result<&'a [u8]> {
    nonce.ok_or_else(|| Error::invalid(format!("{name} needs a nonce ({size})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_sizes_are_checked() {
        assert!(Aes::new(&[0; 16]).is_ok());
        assert!(Aes::new(&[0; 64]).is_ok());
        let err = Aes::new(&[0; 9]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key size (72 bits) for AES: must be 128, 192 or 256 bits \
             (or 512 bits, two AES-256 keys, for XTS only)"
        );
        assert!(Camellia::new(&[0; 64]).is_err());
        assert!(Blowfish::new(&[0; 3]).is_err());
        assert!(Blowfish::new(&[0; 4]).is_ok());
        assert!(Blowfish::new(&[0; 56]).is_ok());
        assert!(Blowfish::new(&[0; 57]).is_err());
        assert!(Cast5::new(&[0; 4]).is_err());
        assert!(Cast5::new(&[0; 5]).is_ok());
        assert!(Cast5::new(&[0; 17]).is_err());
        assert!(Arc4::new(&[0; 7]).is_ok());
        assert!(Arc4::new(&[0; 9]).is_err());
        assert!(Idea::new(&[0; 15]).is_err());
        assert!(Seed::new(&[0; 16]).is_ok());
        assert!(Sm4::new(&[0; 32]).is_err());
        assert!(ChaCha20::new(&[0; 32], &[0; 12]).is_err());
        assert!(ChaCha20::new(&[0; 16], &[0; 16]).is_err());
    }

    #[test]
    fn triple_des_expands_short_keys() {
        let k1: Vec<u8> = (1..=8).collect();
        let k2: Vec<u8> = (9..=16).collect();
        let one = TripleDes::new(&k1).unwrap();
        assert_eq!(one.key(), [k1.clone(), k1.clone(), k1.clone()].concat());
        let two = TripleDes::new(&[k1.clone(), k2.clone()].concat()).unwrap();
        assert_eq!(two.key(), [k1.clone(), k2, k1].concat());
        assert_eq!(two.key_size(), 192);
        assert!(TripleDes::new(&[0; 12]).is_err());
    }

    #[test]
    fn debug_never_prints_key_bytes() {
        let aes = Aes::new(&[0xab; 16]).unwrap();
        let shown = format!("{aes:?}");
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("ab, "));
        assert!(shown.contains("128-bit key"));
        let chacha = ChaCha20::new(&[0xcd; 32], &[0; 16]).unwrap();
        assert!(!format!("{chacha:?}").contains("205"));
    }

    #[test]
    fn by_name_rebuilds_every_algorithm() {
        let key = |n: usize| -> Vec<u8> { (1..=n as u8).collect() };
        let built: Vec<Arc<dyn CipherAlgorithm>> = vec![
            Arc::new(Aes::new(&key(32)).unwrap()),
            Arc::new(Camellia::new(&key(24)).unwrap()),
            Arc::new(TripleDes::new(&key(24)).unwrap()),
            Arc::new(Blowfish::new(&key(7)).unwrap()),
            Arc::new(Cast5::new(&key(10)).unwrap()),
            Arc::new(Idea::new(&key(16)).unwrap()),
            Arc::new(Seed::new(&key(16)).unwrap()),
            Arc::new(Sm4::new(&key(16)).unwrap()),
            Arc::new(Arc4::new(&key(5)).unwrap()),
            Arc::new(ChaCha20::new(&key(32), &[3; 16]).unwrap()),
            Arc::new(ChaCha20Poly1305Incremental::new(&key(32), &[4; 12]).unwrap()),
        ];
        assert_eq!(built.len(), NAMES.len());
        for (alg, pyca) in built.iter().zip(NAMES) {
            for name in [
                alg.name(),
                pyca,
                &pyca.to_ascii_uppercase(),
                &pyca.to_ascii_lowercase(),
            ] {
                let again = by_name(name, alg.key(), alg.nonce()).unwrap();
                assert_eq!(again.name(), alg.name(), "{name}");
                assert_eq!(again.key(), alg.key(), "{name}");
                assert_eq!(again.nonce(), alg.nonce(), "{name}");
                assert_eq!(again.block_size(), alg.block_size(), "{name}");
            }
        }
    }

    #[test]
    fn by_name_refusals() {
        let err = by_name("DES", &[0; 8], None).unwrap_err();
        assert!(err.is_unsupported());
        assert!(
            err.to_string().contains("AES, Camellia, TripleDES"),
            "{err}"
        );
        assert!(err.to_string().contains("ChaCha20-Poly1305"), "{err}");
        assert!(matches!(
            by_name("AES", &[0; 16], Some(&[0; 16])),
            Err(Error::InvalidArgument(m)) if m.contains("takes no nonce")
        ));
        assert!(matches!(
            by_name("ChaCha20", &[0; 32], None),
            Err(Error::InvalidArgument(m)) if m.contains("needs a nonce")
        ));
        assert!(matches!(
            by_name("chacha20-poly1305", &[0; 32], None),
            Err(Error::InvalidArgument(_))
        ));
        // The constructor's own key check, with its message.
        assert_eq!(
            by_name("aes", &[0; 9], None).unwrap_err(),
            Aes::new(&[0; 9]).unwrap_err()
        );
    }
}
