//! `--cipher` names, OpenSSL style (`aes-256-gcm`, `camellia-128-cbc`, `des-ede3-cfb8`,
//! `bf-ecb`, `chacha20`, ...), and the block-cipher names of `hazmat mac cmac` and `hazmat kdf`.
//!
//! Only the tool parses these spellings: they fold a key size, a mode and the one-shot AEADs
//! into one name and carry rules of the file formats (which ciphers are chunked, AES-SIV's
//! doubled key), so the parser lives here once. What a name resolves to is built by the
//! library's own name tables, [`algorithms::by_name`] and [`modes::by_name`].

use std::sync::Arc;

use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{self, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;

use crate::common::{Failure, Options};

/// A cipher family of the OpenSSL-style names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Family {
    Aes,
    Camellia,
    TripleDes,
    Sm4,
    Blowfish,
    Cast5,
    Idea,
    Seed,
    ChaCha20,
    /// The streaming ChaCha20-Poly1305 AEAD (a mode-less cipher, like ChaCha20).
    ChaCha20Poly1305,
    Rc4,
}

impl Family {
    /// A block cipher family by the prefix of a cipher name (`aes-128`, `des-ede3`, `bf`, ...)
    /// and the key size in bits it fixes.
    fn by_prefix(prefix: &str) -> Option<(Family, Option<usize>)> {
        Some(match prefix {
            "aes-128" => (Family::Aes, Some(128)),
            "aes-192" => (Family::Aes, Some(192)),
            "aes-256" => (Family::Aes, Some(256)),
            "camellia-128" => (Family::Camellia, Some(128)),
            "camellia-192" => (Family::Camellia, Some(192)),
            "camellia-256" => (Family::Camellia, Some(256)),
            "des-ede3" => (Family::TripleDes, Some(192)),
            "sm4" => (Family::Sm4, Some(128)),
            "bf" => (Family::Blowfish, None),
            "cast5" => (Family::Cast5, None),
            "idea" => (Family::Idea, Some(128)),
            "seed" => (Family::Seed, Some(128)),
            _ => return None,
        })
    }

    /// The library's name of the family, for [`algorithms::by_name`].
    fn library_name(self) -> &'static str {
        match self {
            Family::Aes => "AES",
            Family::Camellia => "Camellia",
            Family::TripleDes => "TripleDES",
            Family::Sm4 => "SM4",
            Family::Blowfish => "Blowfish",
            Family::Cast5 => "CAST5",
            Family::Idea => "IDEA",
            Family::Seed => "SEED",
            Family::ChaCha20 => "ChaCha20",
            Family::ChaCha20Poly1305 => "ChaCha20-Poly1305",
            Family::Rc4 => "ARC4",
        }
    }

    fn is_stream(self) -> bool {
        matches!(
            self,
            Family::ChaCha20 | Family::ChaCha20Poly1305 | Family::Rc4
        )
    }

    /// The keyed algorithm; `iv` is the nonce of the ciphers that carry one (ChaCha20,
    /// ChaCha20-Poly1305) and is not used by the others (a block cipher's IV is its mode's).
    fn algorithm(self, key: &[u8], iv: &[u8]) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
        let nonce = matches!(self, Family::ChaCha20 | Family::ChaCha20Poly1305).then_some(iv);
        Ok(algorithms::by_name(self.library_name(), key, nonce)?)
    }
}

/// The block cipher of `hazmat mac cmac --cipher NAME`, keyed: `aes`, `camellia` (any key size
/// the cipher has), `aes-128` ... `camellia-256` (that size only), `3des` (8, 16 or 24 bytes)
/// or `des-ede3` (24), `sm4`, `bf` (or `blowfish`), `cast5`, `idea`, `seed`. OpenSSL's
/// spelling with `-cbc` (`openssl mac -cipher AES-128-CBC`) is accepted too.
pub(crate) fn block_cipher(name: &str, key: &[u8]) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix("-cbc").unwrap_or(&lower);
    let (family, key_bits) = match base {
        "aes" => (Family::Aes, None),
        "camellia" => (Family::Camellia, None),
        "3des" | "tripledes" => (Family::TripleDes, None),
        "blowfish" => (Family::Blowfish, None),
        other => Family::by_prefix(other).ok_or_else(|| {
            Failure::usage(format!(
                "unknown block cipher {name:?}: use aes, aes-128, aes-192, aes-256, camellia, \
                 3des, des-ede3, sm4, bf, cast5, idea or seed"
            ))
        })?,
    };
    check_key_bits(&lower, key_bits, key)?;
    family.algorithm(key, &[])
}

/// The exact key size a cipher name fixes, if it fixes one.
fn check_key_bits(name: &str, bits: Option<usize>, key: &[u8]) -> Result<(), Failure> {
    match bits {
        Some(bits) if key.len() * 8 != bits => Err(Failure::usage(format!(
            "{name} needs a {}-byte key, got {} bytes",
            bits / 8,
            key.len()
        ))),
        _ => Ok(()),
    }
}

/// The mode part of a cipher name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ModeKind {
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb,
    Cfb8,
    Gcm,
    /// One-shot AES-CCM.
    Ccm,
    /// One-shot AES-OCB3.
    Ocb,
    /// One-shot AES-SIV.
    Siv,
    /// One-shot AES-GCM-SIV.
    GcmSiv,
    /// A stream cipher: no mode.
    None,
}

/// A parsed `--cipher` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CipherSpec {
    pub(super) name: String,
    pub(super) family: Family,
    /// The key size the name fixes, in bits.
    pub(super) key_bits: Option<usize>,
    pub(super) mode: ModeKind,
}

impl CipherSpec {
    pub(super) fn parse(name: &str) -> Result<Self, Failure> {
        let lower = name.to_ascii_lowercase();
        let unknown = || {
            Failure::usage(format!(
                "unknown cipher {name:?}; see `hazmat encrypt --help` for the names"
            ))
        };
        let (prefix, mode) = match lower.as_str() {
            "chacha20" => ("chacha20", ModeKind::None),
            "chacha20-poly1305" => ("chacha20-poly1305", ModeKind::None),
            "rc4" => ("rc4", ModeKind::None),
            _ => match lower.strip_suffix("-gcm-siv") {
                Some(prefix) => (prefix, ModeKind::GcmSiv),
                None => {
                    let (prefix, mode) = lower.rsplit_once('-').ok_or_else(unknown)?;
                    let mode = match mode {
                        "ecb" => ModeKind::Ecb,
                        "cbc" => ModeKind::Cbc,
                        "ctr" => ModeKind::Ctr,
                        "ofb" => ModeKind::Ofb,
                        "cfb" => ModeKind::Cfb,
                        "cfb8" => ModeKind::Cfb8,
                        "gcm" => ModeKind::Gcm,
                        "ccm" => ModeKind::Ccm,
                        "ocb" => ModeKind::Ocb,
                        "siv" => ModeKind::Siv,
                        _ => return Err(unknown()),
                    };
                    (prefix, mode)
                }
            },
        };
        let (family, key_bits) = match prefix {
            "chacha20" => (Family::ChaCha20, Some(256)),
            "chacha20-poly1305" => (Family::ChaCha20Poly1305, Some(256)),
            "rc4" => (Family::Rc4, None),
            _ => Family::by_prefix(prefix).ok_or_else(|| match (prefix, mode) {
                ("aes-384" | "aes-512", ModeKind::Siv) => Failure::usage(format!(
                    "unknown cipher {name:?}: AES-SIV names give the size of each of its two \
                     AES keys, as OpenSSL does (aes-128-siv takes a 32-byte key, aes-192-siv \
                     48, aes-256-siv 64)"
                )),
                _ => unknown(),
            })?,
        };
        let aes_only = matches!(
            mode,
            ModeKind::Gcm | ModeKind::Ccm | ModeKind::Ocb | ModeKind::Siv | ModeKind::GcmSiv
        );
        // RFC 8452 defines AES-GCM-SIV with 128- and 256-bit keys only.
        if (aes_only && family != Family::Aes)
            || (mode == ModeKind::GcmSiv && key_bits == Some(192))
        {
            return Err(unknown());
        }
        // AES-SIV's key is two AES keys of the named size.
        let key_bits = match mode {
            ModeKind::Siv => key_bits.map(|bits| 2 * bits),
            _ => key_bits,
        };
        Ok(CipherSpec {
            name: lower,
            family,
            key_bits,
            mode,
        })
    }

    pub(super) fn check_key(&self, key: &[u8]) -> Result<(), Failure> {
        match (self.mode, self.key_bits) {
            (ModeKind::Siv, Some(bits)) if key.len() * 8 != bits => Err(Failure::usage(format!(
                "{} needs a {}-byte key (two AES-{} keys), got {} bytes",
                self.name,
                bits / 8,
                bits / 2,
                key.len()
            ))),
            _ => check_key_bits(&self.name, self.key_bits, key),
        }
    }

    pub(super) fn algorithm(
        &self,
        key: &[u8],
        iv: &[u8],
    ) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
        self.check_key(key)?;
        self.family.algorithm(key, iv)
    }

    pub(super) fn block_bytes(&self) -> usize {
        match self.family {
            Family::TripleDes | Family::Blowfish | Family::Cast5 | Family::Idea => 8,
            family if family.is_stream() => 1,
            _ => 16,
        }
    }

    /// The IV length a fresh random IV gets (0: the cipher takes none).
    pub(super) fn iv_len(&self) -> usize {
        match (self.family, self.mode) {
            (Family::ChaCha20, _) => 16,
            (Family::ChaCha20Poly1305, _) => 12,
            (_, ModeKind::Gcm | ModeKind::Ocb | ModeKind::GcmSiv) => 12,
            // 11 bytes leave CCM a 4-byte length field: messages up to 4 GiB, above the
            // one-shot limit (13 bytes would cap them at 64 KiB).
            (_, ModeKind::Ccm) => 11,
            // Passed to AES-SIV as the last associated-data component (RFC 5297, section 3).
            (_, ModeKind::Siv) => 16,
            (_, ModeKind::Ecb | ModeKind::None) => 0,
            _ => self.block_bytes(),
        }
    }

    fn mode(&self, iv: &[u8]) -> Result<Option<Arc<dyn Mode>>, Failure> {
        let name = match self.mode {
            ModeKind::Ecb => "ECB",
            ModeKind::Cbc => "CBC",
            ModeKind::Ctr => "CTR",
            ModeKind::Ofb => "OFB",
            ModeKind::Cfb => "CFB",
            ModeKind::Cfb8 => "CFB8",
            // `Gcm::new`: full 16-byte tags (TAG_LEN), the tag given at finalize_with_tag.
            ModeKind::Gcm => "GCM",
            ModeKind::None => return Ok(None),
            ModeKind::Ccm | ModeKind::Ocb | ModeKind::Siv | ModeKind::GcmSiv => {
                return Err(Failure::usage(format!(
                    "{} is a one-shot AEAD, not a streaming mode",
                    self.name
                )))
            }
        };
        Ok(Some(modes::by_name(name, iv, None)?))
    }

    pub(super) fn padded(&self) -> bool {
        matches!(self.mode, ModeKind::Ecb | ModeKind::Cbc)
    }

    /// A streaming AEAD: GCM or ChaCha20-Poly1305, the tag after the ciphertext.
    pub(super) fn is_streaming_aead(&self) -> bool {
        self.mode == ModeKind::Gcm || self.family == Family::ChaCha20Poly1305
    }

    /// The construction of the chunked format (header version 2): every AEAD but AES-SIV.
    pub(super) fn stream_algorithm(&self) -> Option<AeadAlgorithm> {
        match (self.family, self.mode) {
            (Family::ChaCha20Poly1305, _) => Some(AeadAlgorithm::ChaCha20Poly1305),
            (_, ModeKind::Gcm) => Some(AeadAlgorithm::AesGcm),
            (_, ModeKind::Ccm) => Some(AeadAlgorithm::AesCcm),
            (_, ModeKind::Ocb) => Some(AeadAlgorithm::AesOcb3),
            (_, ModeKind::GcmSiv) => Some(AeadAlgorithm::AesGcmSiv),
            _ => None,
        }
    }

    pub(super) fn is_one_shot(&self) -> bool {
        matches!(
            self.mode,
            ModeKind::Ccm | ModeKind::Ocb | ModeKind::Siv | ModeKind::GcmSiv
        )
    }

    pub(super) fn cipher(
        &self,
        key: &[u8],
        iv: &[u8],
        options: &Options,
    ) -> Result<Cipher, Failure> {
        if self.iv_len() == 0 && !iv.is_empty() {
            return Err(Failure::usage(format!("{} takes no IV", self.name)));
        }
        let algorithm = self.algorithm(key, iv)?;
        Ok(Cipher::with_backend(
            algorithm,
            self.mode(iv)?,
            options.backend()?,
        )?)
    }

    /// The error for a one-shot input over [`ONE_SHOT_LIMIT`](super::ONE_SHOT_LIMIT).
    pub(super) fn too_large(&self) -> Failure {
        let instead = if self.mode == ModeKind::Siv {
            "use aes-256-gcm-siv (also nonce-misuse resistant) or another AEAD, which stream \
             in chunks"
        } else {
            "encrypt without --raw: the default format streams in chunks"
        };
        Failure::usage(format!(
            "{} as one message (--raw, or a version-1 file) is held in memory whole, at most \
             256 MiB; for larger files {instead}",
            self.name
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_names() {
        let spec = CipherSpec::parse("AES-256-GCM").unwrap();
        assert_eq!(
            (spec.family, spec.key_bits, spec.mode),
            (Family::Aes, Some(256), ModeKind::Gcm)
        );
        assert_eq!(spec.name, "aes-256-gcm");
        assert_eq!(CipherSpec::parse("chacha20").unwrap().mode, ModeKind::None);
        assert_eq!(CipherSpec::parse("bf-cbc").unwrap().key_bits, None);
        for bad in [
            "aes-512-cbc",
            "camellia-128-gcm",
            "aes",
            "des-cbc",
            "",
            "-",
            "aes-128-xts",
            "camellia-128-ocb",
            "sm4-ccm",
            "aes-192-gcm-siv",
            "aes-384-siv",
            "aes-512-siv",
            "chacha20-poly1305-gcm",
            "-gcm-siv",
        ] {
            assert!(CipherSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn aead_names() {
        for (name, bits, mode, one_shot) in [
            ("aes-128-ccm", 128, ModeKind::Ccm, true),
            ("aes-192-ocb", 192, ModeKind::Ocb, true),
            ("aes-128-siv", 256, ModeKind::Siv, true),
            ("aes-192-siv", 384, ModeKind::Siv, true),
            ("AES-256-SIV", 512, ModeKind::Siv, true),
            ("aes-256-gcm-siv", 256, ModeKind::GcmSiv, true),
            ("aes-128-gcm", 128, ModeKind::Gcm, false),
            ("chacha20-poly1305", 256, ModeKind::None, false),
        ] {
            let spec = CipherSpec::parse(name).unwrap();
            assert_eq!((spec.key_bits, spec.mode), (Some(bits), mode), "{name}");
            assert_eq!(spec.is_one_shot(), one_shot, "{name}");
            assert_eq!(spec.is_streaming_aead(), !one_shot, "{name}");
        }
        let siv = CipherSpec::parse("aes-256-siv").unwrap();
        let error = siv.check_key(&[0; 32]).unwrap_err();
        assert_eq!(
            error.message,
            "aes-256-siv needs a 64-byte key (two AES-256 keys), got 32 bytes"
        );
        let hint = CipherSpec::parse("aes-512-siv").unwrap_err();
        assert!(hint.message.contains("aes-256-siv 64"), "{}", hint.message);
    }

    #[test]
    fn chunked_format_ciphers() {
        for (name, algorithm) in [
            ("aes-192-gcm", Some(AeadAlgorithm::AesGcm)),
            ("chacha20-poly1305", Some(AeadAlgorithm::ChaCha20Poly1305)),
            ("aes-128-ccm", Some(AeadAlgorithm::AesCcm)),
            ("aes-256-ocb", Some(AeadAlgorithm::AesOcb3)),
            ("aes-128-gcm-siv", Some(AeadAlgorithm::AesGcmSiv)),
            ("aes-128-siv", None),
            ("aes-128-cbc", None),
            ("chacha20", None),
        ] {
            let spec = CipherSpec::parse(name).unwrap();
            assert_eq!(spec.stream_algorithm(), algorithm, "{name}");
        }
    }

    #[test]
    fn cmac_block_cipher_names() {
        assert_eq!(block_cipher("aes", &[0; 24]).unwrap().key_size(), 192);
        assert_eq!(block_cipher("AES-128-CBC", &[0; 16]).unwrap().name(), "AES");
        assert_eq!(block_cipher("3des", &[0; 16]).unwrap().name(), "3DES");
        assert_eq!(
            block_cipher("camellia-256", &[0; 32]).unwrap().key_size(),
            256
        );
        assert_eq!(block_cipher("aes-256", &[0; 16]).unwrap_err().code, 2);
        assert!(block_cipher("whirlpool", &[0; 16]).is_err());
        assert!(block_cipher("chacha20", &[0; 32]).is_err());
    }

    #[test]
    fn iv_lengths() {
        assert_eq!(CipherSpec::parse("aes-128-gcm").unwrap().iv_len(), 12);
        assert_eq!(CipherSpec::parse("des-ede3-cbc").unwrap().iv_len(), 8);
        assert_eq!(CipherSpec::parse("aes-128-ecb").unwrap().iv_len(), 0);
        assert_eq!(CipherSpec::parse("chacha20").unwrap().iv_len(), 16);
        assert_eq!(CipherSpec::parse("chacha20-poly1305").unwrap().iv_len(), 12);
        assert_eq!(CipherSpec::parse("aes-128-ccm").unwrap().iv_len(), 11);
        assert_eq!(CipherSpec::parse("aes-128-ocb").unwrap().iv_len(), 12);
        assert_eq!(CipherSpec::parse("aes-128-siv").unwrap().iv_len(), 16);
        assert_eq!(CipherSpec::parse("aes-128-gcm-siv").unwrap().iv_len(), 12);
    }
}
