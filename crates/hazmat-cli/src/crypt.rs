//! `hazmat encrypt` / `hazmat decrypt`: files or stdin/stdout.
//!
//! The AEADs but AES-SIV (GCM, ChaCha20-Poly1305, CCM, OCB, GCM-SIV) write the chunked stream
//! of header version 2 (see [`crate::header`]) unless `--raw`: constant memory at any size, and
//! decryption keeps a chunk only once it authenticates. The other streaming ciphers (every
//! block-cipher mode, ChaCha20, RC4) write version 1 in constant memory too. AES-SIV, and the
//! one-shot AEADs with `--raw` or in version-1 files, hold the whole message in memory and
//! refuse inputs over [`ONE_SHOT_LIMIT`].
//!
//! Output always goes to a temporary file first and is moved into place (or copied to stdout)
//! only when the whole operation succeeded, so a failed decryption (a wrong tag, a truncated
//! or reordered stream, bad padding) leaves no plaintext behind and prints nothing on stdout.

use std::fs::File;
use std::io::{BufWriter, Cursor, Read, Seek, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::stream::{
    StreamDecryptor, StreamEncryptor, StreamParams, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE,
};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{AesCcm, AesGcmSiv, AesOcb3, AesSiv};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    self, Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, CipherAlgorithm, Idea, Seed, Sm4,
    TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{
    Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Mode, Ofb,
};
use pluggable_crypto::hazmat::primitives::ciphers::{Cipher, CipherContext};
use pluggable_crypto::hazmat::primitives::padding::{PaddingContext, Pkcs7, UnpaddingContext};
use tempfile::NamedTempFile;
use zeroize::Zeroizing;

use crate::common::{io_reason, parse_hex, Failure, Input, KeyArgs, Options};
use crate::header::Header;

/// Every AEAD here uses 16-byte tags: appended to the ciphertext, or (AES-SIV) before it.
const TAG_LEN: usize = 16;

/// The most plaintext a one-shot AEAD (CCM, OCB, SIV, GCM-SIV) encrypts: the whole message is
/// held in memory.
pub(crate) const ONE_SHOT_LIMIT: u64 = 256 * 1024 * 1024;

const CIPHER_HELP: &str = "\
Cipher names (OpenSSL style):
  AEADs, chunked (format 2) in constant memory: aes-{128,192,256}-gcm, chacha20-poly1305, \
aes-{128,192,256}-ccm, aes-{128,192,256}-ocb, aes-{128,256}-gcm-siv;
  other streaming ciphers, in constant memory: aes-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8}, \
camellia-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8}, des-ede3-{cbc,ecb,ofb,cfb,cfb8}, \
sm4-{cbc,ecb,ctr,ofb,cfb}, bf-{cbc,ecb,ofb,cfb}, cast5-{cbc,ecb,ofb,cfb}, idea-{cbc,ecb,ofb,cfb}, \
seed-{cbc,ecb,ofb,cfb}, chacha20, rc4;
  one message, the whole input in memory and at most 256 MiB: aes-{128,192,256}-siv, whose \
keys are two AES keys (as in OpenSSL: aes-128-siv takes a 32-byte key, aes-192-siv 48, \
aes-256-siv 64), and the AEADs above with --raw except gcm and chacha20-poly1305. AES-SIV \
cannot encrypt an empty input, and is not chunked: it is deterministic and two-pass (its tag is \
computed over the whole message before any ciphertext), meant for short messages such as keys; \
for nonce-misuse resistance on large files use aes-*-gcm-siv.

Without --raw the output starts with a header: \"HZMT\", a version byte and a length-prefixed \
cipher name. The AEADs but AES-SIV write version 2: a 4-byte chunk size (--chunk-size, default \
64 KiB), then a random 32-byte salt and the chunks, each sealed with its own 16-byte tag under \
a key derived (HKDF-SHA256) from the key and the salt, with the whole header as associated \
data; the chunk's number and a last-chunk flag are in its nonce, so truncating, reordering, \
dropping or repeating chunks, or appending data, fails decryption. The other ciphers write \
version 1: a length-prefixed IV or nonce, random unless --iv-hex (ChaCha20: counter 0 and a \
random 12-byte nonce; AES-SIV: 16 bytes, the last associated-data component after the header), \
then the ciphertext (CBC and ECB: PKCS #7 padding; AES-SIV: its 16-byte tag first). hazmat \
decrypt also reads the version-1 AEAD files of earlier releases.

With --raw: no header, just the ciphertext as one message, as `openssl enc -K .. -iv ..` \
writes it; AEADs append their 16-byte tag (AES-SIV: prepend) and authenticate no associated \
data (AES-SIV: the nonce alone). --raw needs --iv-hex for ciphers with an IV or nonce.

Decryption writes its output only when the whole input has been decrypted and authenticated: \
to a temporary file renamed into place, or (-o -) copied to stdout only then (the temporary \
file is in $TMPDIR). A tampered, truncated, reordered or extended file exits 1 and writes \
nothing.";

/// Arguments of `hazmat encrypt`.
#[derive(Args)]
#[command(after_help = CIPHER_HELP)]
pub(crate) struct EncryptArgs {
    /// The cipher, e.g. aes-256-gcm, chacha20-poly1305, aes-128-cbc, aes-256-ocb.
    #[arg(long)]
    cipher: String,
    #[command(flatten)]
    key: KeyArgs,
    /// The IV / nonce as hexadecimal (default: random). Not for the chunked format (AEADs
    /// without --raw), whose nonces are derived.
    #[arg(long, value_name = "HEX")]
    iv_hex: Option<String>,
    /// Plaintext bytes per chunk of the chunked AEAD format: a number of bytes, or with a
    /// suffix K or M (KiB, MiB); 1 byte to 4 MiB. Default 64K.
    #[arg(long, value_name = "SIZE")]
    chunk_size: Option<String>,
    /// Write no header: just the ciphertext (and an AEAD's tag) as one message, as `openssl
    /// enc -K .. -iv ..`. Needs --iv-hex for ciphers with an IV or nonce.
    #[arg(long)]
    raw: bool,
    /// The output file (`-` for stdout).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The input file (`-` for stdin).
    #[arg(default_value = "-")]
    input: String,
}

/// Arguments of `hazmat decrypt`.
#[derive(Args)]
#[command(after_help = CIPHER_HELP)]
pub(crate) struct DecryptArgs {
    /// The cipher; read from the header unless --raw (if given with a header, it must match).
    #[arg(long)]
    cipher: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
    /// The IV / nonce as hexadecimal (with --raw; otherwise it comes from the header).
    #[arg(long, value_name = "HEX")]
    iv_hex: Option<String>,
    /// The input has no header (needs --cipher, and --iv-hex for ciphers with an IV).
    #[arg(long)]
    raw: bool,
    /// The output file (`-` for stdout). Written only if decryption succeeds.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The input file (`-` for stdin).
    #[arg(default_value = "-")]
    input: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
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

    fn is_stream(self) -> bool {
        matches!(
            self,
            Family::ChaCha20 | Family::ChaCha20Poly1305 | Family::Rc4
        )
    }

    fn algorithm(self, key: &[u8], iv: &[u8]) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
        Ok(match self {
            Family::Aes => Arc::new(Aes::new(key)?),
            Family::Camellia => Arc::new(Camellia::new(key)?),
            Family::TripleDes => Arc::new(TripleDes::new(key)?),
            Family::Sm4 => Arc::new(Sm4::new(key)?),
            Family::Blowfish => Arc::new(Blowfish::new(key)?),
            Family::Cast5 => Arc::new(Cast5::new(key)?),
            Family::Idea => Arc::new(Idea::new(key)?),
            Family::Seed => Arc::new(Seed::new(key)?),
            Family::ChaCha20 => Arc::new(ChaCha20::new(key, iv)?),
            Family::ChaCha20Poly1305 => {
                Arc::new(algorithms::ChaCha20Poly1305Incremental::new(key, iv)?)
            }
            Family::Rc4 => Arc::new(Arc4::new(key)?),
        })
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModeKind {
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
struct CipherSpec {
    name: String,
    family: Family,
    /// The key size the name fixes, in bits.
    key_bits: Option<usize>,
    mode: ModeKind,
}

impl CipherSpec {
    fn parse(name: &str) -> Result<Self, Failure> {
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

    fn check_key(&self, key: &[u8]) -> Result<(), Failure> {
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

    fn algorithm(&self, key: &[u8], iv: &[u8]) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
        self.check_key(key)?;
        self.family.algorithm(key, iv)
    }

    fn block_bytes(&self) -> usize {
        match self.family {
            Family::TripleDes | Family::Blowfish | Family::Cast5 | Family::Idea => 8,
            family if family.is_stream() => 1,
            _ => 16,
        }
    }

    /// The IV length a fresh random IV gets (0: the cipher takes none).
    fn iv_len(&self) -> usize {
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
        Ok(match self.mode {
            ModeKind::Ecb => Some(Arc::new(Ecb)),
            ModeKind::Cbc => Some(Arc::new(Cbc::new(iv)?)),
            ModeKind::Ctr => Some(Arc::new(Ctr::new(iv)?)),
            ModeKind::Ofb => Some(Arc::new(Ofb::new(iv)?)),
            ModeKind::Cfb => Some(Arc::new(Cfb::new(iv)?)),
            ModeKind::Cfb8 => Some(Arc::new(Cfb8::new(iv)?)),
            ModeKind::Gcm => Some(Arc::new(Gcm::with_tag(iv, None, TAG_LEN)?)),
            ModeKind::None => None,
            ModeKind::Ccm | ModeKind::Ocb | ModeKind::Siv | ModeKind::GcmSiv => {
                return Err(Failure::usage(format!(
                    "{} is a one-shot AEAD, not a streaming mode",
                    self.name
                )))
            }
        })
    }

    fn padded(&self) -> bool {
        matches!(self.mode, ModeKind::Ecb | ModeKind::Cbc)
    }

    /// A streaming AEAD: GCM or ChaCha20-Poly1305, the tag after the ciphertext.
    fn is_streaming_aead(&self) -> bool {
        self.mode == ModeKind::Gcm || self.family == Family::ChaCha20Poly1305
    }

    /// The construction of the chunked format (header version 2): every AEAD but AES-SIV.
    fn stream_algorithm(&self) -> Option<AeadAlgorithm> {
        match (self.family, self.mode) {
            (Family::ChaCha20Poly1305, _) => Some(AeadAlgorithm::ChaCha20Poly1305),
            (_, ModeKind::Gcm) => Some(AeadAlgorithm::AesGcm),
            (_, ModeKind::Ccm) => Some(AeadAlgorithm::AesCcm),
            (_, ModeKind::Ocb) => Some(AeadAlgorithm::AesOcb3),
            (_, ModeKind::GcmSiv) => Some(AeadAlgorithm::AesGcmSiv),
            _ => None,
        }
    }

    fn is_one_shot(&self) -> bool {
        matches!(
            self.mode,
            ModeKind::Ccm | ModeKind::Ocb | ModeKind::Siv | ModeKind::GcmSiv
        )
    }

    fn cipher(&self, key: &[u8], iv: &[u8], options: &Options) -> Result<Cipher, Failure> {
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

    /// The error for a one-shot input over [`ONE_SHOT_LIMIT`].
    fn too_large(&self) -> Failure {
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

/// A keyed one-shot AEAD.
enum OneShot {
    Ccm(AesCcm),
    Ocb(AesOcb3),
    Siv(AesSiv),
    GcmSiv(AesGcmSiv),
}

impl OneShot {
    /// Keys the construction on `backend`; a backend without it is `UnsupportedAlgorithm`.
    fn new(spec: &CipherSpec, key: &[u8], backend: Arc<dyn Backend>) -> Result<Self, Failure> {
        spec.check_key(key)?;
        let backend: Arc<dyn Backend> = backend;
        Ok(match spec.mode {
            ModeKind::Ccm => OneShot::Ccm(AesCcm::with_backend(key, TAG_LEN, backend)?),
            ModeKind::Ocb => OneShot::Ocb(AesOcb3::with_backend(key, backend)?),
            ModeKind::Siv => OneShot::Siv(AesSiv::with_backend(key, backend)?),
            ModeKind::GcmSiv => OneShot::GcmSiv(AesGcmSiv::with_backend(key, backend)?),
            _ => {
                return Err(Failure::usage(format!(
                    "{} is not a one-shot AEAD",
                    spec.name
                )))
            }
        })
    }

    /// Encrypts `data`; `header` (none with --raw) is the associated data. AES-SIV
    /// authenticates the components `[header, nonce]` (`[nonce]` with --raw).
    fn seal(
        &self,
        nonce: &[u8],
        data: &[u8],
        header: Option<&[u8]>,
    ) -> Result<Vec<u8>, pluggable_crypto::Error> {
        let aad = header.unwrap_or_default();
        match self {
            OneShot::Ccm(aead) => aead.encrypt(nonce, data, aad),
            OneShot::Ocb(aead) => aead.encrypt(nonce, data, aad),
            OneShot::GcmSiv(aead) => aead.encrypt(nonce, data, aad),
            OneShot::Siv(aead) => aead.encrypt(data, &siv_components(header, nonce)),
        }
    }

    /// Checks and decrypts `sealed` into `out` (exactly `sealed.len() - TAG_LEN` bytes); on
    /// failure `out` holds no plaintext.
    fn open_into(
        &self,
        nonce: &[u8],
        sealed: &[u8],
        header: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<usize, pluggable_crypto::Error> {
        let aad = header.unwrap_or_default();
        match self {
            OneShot::Ccm(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::Ocb(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::GcmSiv(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::Siv(aead) => aead.decrypt_into(sealed, &siv_components(header, nonce), out),
        }
    }
}

/// AES-SIV's associated-data components: the header (if any), then the nonce last, as RFC
/// 5297 (section 3) places a nonce.
fn siv_components<'a>(header: Option<&'a [u8]>, nonce: &'a [u8]) -> Vec<&'a [u8]> {
    header.into_iter().chain([nonce]).collect()
}

/// An authentication failure, as every AEAD reports it.
fn authentication_failed(error: pluggable_crypto::Error) -> Failure {
    match error {
        pluggable_crypto::Error::InvalidTag => Failure::verification(
            "authentication failed: the data or the key is wrong; no output written",
        ),
        other => other.into(),
    }
}

fn too_short_for_tag() -> Failure {
    Failure::verification(
        "input too short to hold the 16-byte authentication tag; no output written",
    )
}

/// Output that appears only on success: a temporary file renamed into place, or copied to
/// stdout.
pub(crate) struct Output {
    target: Option<PathBuf>,
    writer: BufWriter<NamedTempFile>,
}

impl Output {
    pub(crate) fn create(name: &str) -> Result<Self, Failure> {
        let (target, temp) = if name == "-" {
            (None, NamedTempFile::new())
        } else {
            let path = PathBuf::from(name);
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let temp = NamedTempFile::new_in(&dir);
            (Some(path), temp)
        };
        let temp = temp.map_err(|e| {
            Failure::usage(format!(
                "{name}: cannot create a temporary file: {}",
                io_reason(&e)
            ))
        })?;
        Ok(Output {
            target,
            writer: BufWriter::new(temp),
        })
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> Result<(), Failure> {
        self.writer
            .write_all(data)
            .map_err(|e| Failure::usage(format!("writing the output: {}", io_reason(&e))))
    }

    /// Makes the output visible. Until this runs, dropping `self` deletes everything written.
    pub(crate) fn commit(self) -> Result<(), Failure> {
        let fail =
            |e: std::io::Error| Failure::usage(format!("writing the output: {}", io_reason(&e)));
        let mut temp = self.writer.into_inner().map_err(|e| fail(e.into_error()))?;
        match self.target {
            Some(path) => {
                temp.as_file_mut().sync_all().map_err(fail)?;
                temp.persist(&path).map_err(|e| {
                    Failure::usage(format!("{}: {}", path.display(), io_reason(&e.error)))
                })?;
            }
            None => {
                let file: &mut File = temp.as_file_mut();
                file.rewind().map_err(fail)?;
                let mut stdout = std::io::stdout().lock();
                std::io::copy(file, &mut stdout).map_err(fail)?;
                stdout.flush().map_err(fail)?;
            }
        }
        Ok(())
    }
}

fn random_iv(len: usize, chacha20: bool) -> Result<Vec<u8>, Failure> {
    let mut iv = vec![0u8; len];
    // ChaCha20: the first 4 bytes are the block counter, which starts at 0.
    let start = if chacha20 { 4 } else { 0 };
    getrandom::fill(&mut iv[start..])
        .map_err(|e| Failure::usage(format!("the OS random generator failed: {e}")))?;
    Ok(iv)
}

/// Runs `ctx` over `data` and writes what it produces.
fn pump(
    ctx: &mut CipherContext,
    data: &[u8],
    buffer: &mut Vec<u8>,
    output: &mut Output,
) -> Result<(), Failure> {
    buffer.resize(ctx.update_output_size(data.len()), 0);
    let n = ctx.update_into(data, buffer)?;
    output.write(&buffer[..n])
}

/// The IV for `hazmat encrypt`: `--iv-hex`, or random (refused with --raw, which would lose
/// it).
fn encryption_iv(args: &EncryptArgs, spec: &CipherSpec) -> Result<Vec<u8>, Failure> {
    match &args.iv_hex {
        Some(hex) => Ok(parse_hex("--iv-hex", hex)?.to_vec()),
        None if spec.iv_len() > 0 && args.raw => Err(Failure::usage(format!(
            "--raw writes no header, so the IV would be lost: give it with --iv-hex ({} bytes for {})",
            spec.iv_len(),
            spec.name
        ))),
        None => random_iv(spec.iv_len(), spec.family == Family::ChaCha20),
    }
}

/// Runs `hazmat encrypt`.
pub(crate) fn encrypt(args: &EncryptArgs, options: &Options) -> Result<(), Failure> {
    let spec = CipherSpec::parse(&args.cipher)?;
    match (spec.stream_algorithm(), args.raw) {
        (Some(algorithm), false) => return encrypt_stream(args, options, &spec, algorithm),
        (_, true) if args.chunk_size.is_some() => {
            return Err(Failure::usage(
                "--chunk-size is for the chunked format; --raw writes one message",
            ))
        }
        (None, _) if args.chunk_size.is_some() => {
            return Err(Failure::usage(format!(
                "--chunk-size is for the chunked format of the AEADs; {} is not chunked",
                spec.name
            )))
        }
        _ => {}
    }
    let key = args.key.read()?;
    let iv = encryption_iv(args, &spec)?;
    let header = Header::OneMessage {
        cipher: spec.name.clone(),
        iv: iv.clone(),
    }
    .to_bytes()?;
    let header = (!args.raw).then_some(header);
    if spec.is_one_shot() {
        return encrypt_one_shot(args, options, &spec, &key, &iv, header.as_deref());
    }
    let cipher = spec.cipher(&key, &iv, options)?;
    let mut ctx = cipher.encryptor()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    if let Some(header) = &header {
        if spec.is_streaming_aead() {
            ctx.authenticate_additional_data(header)?;
        }
        output.write(header)?;
    }
    let mut padder: Option<PaddingContext> = spec
        .padded()
        .then(|| Pkcs7::new(spec.block_bytes() * 8).map(|p| p.padder()))
        .transpose()?;
    let mut buffer = Zeroizing::new(Vec::new());
    input.for_each_chunk(options.quiet, |chunk| match &mut padder {
        Some(padder) => {
            let blocks = Zeroizing::new(padder.update(chunk)?);
            pump(&mut ctx, &blocks, &mut buffer, &mut output)
        }
        None => pump(&mut ctx, chunk, &mut buffer, &mut output),
    })?;
    if let Some(padder) = &mut padder {
        let last = Zeroizing::new(padder.finalize()?);
        pump(&mut ctx, &last, &mut buffer, &mut output)?;
    }
    output.write(&ctx.finalize()?)?;
    if spec.is_streaming_aead() {
        output.write(ctx.tag()?)?;
    }
    output.commit()
}

/// `--chunk-size`: bytes, or with a suffix `K`/`KiB` or `M`/`MiB` (any case); 1 byte to
/// [`MAX_CHUNK_SIZE`].
fn parse_chunk_size(text: &str) -> Result<usize, Failure> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, unit) = match lower.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => lower.split_at(at),
        None => (lower.as_str(), ""),
    };
    let unit: usize = match unit {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        _ => 0,
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|n| (1..=MAX_CHUNK_SIZE).contains(n))
        .ok_or_else(|| {
            Failure::usage(format!(
                "--chunk-size {text:?}: give 1 byte to 4M (a number of bytes, or with K or M)"
            ))
        })
}

/// `hazmat encrypt` of an AEAD in the chunked format (header version 2): the header, then the
/// library's STREAM with the header as every chunk's associated data. The key and the backend
/// are checked before any input is read.
fn encrypt_stream(
    args: &EncryptArgs,
    options: &Options,
    spec: &CipherSpec,
    algorithm: AeadAlgorithm,
) -> Result<(), Failure> {
    if args.iv_hex.is_some() {
        return Err(Failure::usage(format!(
            "{} files take no IV or nonce (a random salt per file derives their key and \
             nonces): --iv-hex is only for --raw output",
            spec.name
        )));
    }
    let chunk_size = match &args.chunk_size {
        Some(text) => parse_chunk_size(text)?,
        None => DEFAULT_CHUNK_SIZE,
    };
    let params = StreamParams::new(algorithm, chunk_size)?;
    let key = args.key.read()?;
    spec.check_key(&key)?;
    let header = Header::Stream {
        cipher: spec.name.clone(),
        chunk_size: u32::try_from(chunk_size)
            .map_err(|_| Failure::usage("--chunk-size: at most 4M"))?,
    }
    .to_bytes()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    output.write(&header)?;
    let mut encryptor = StreamEncryptor::new(
        &mut output.writer,
        params,
        &key,
        &header,
        options.backend()?,
    )?;
    input.for_each_chunk(options.quiet, |chunk| Ok(encryptor.update(chunk)?))?;
    encryptor.finish()?;
    output.commit()
}

/// `hazmat encrypt` with a one-shot AEAD: the construction is keyed (or refused) first, then
/// the whole input read, sealed in one call and written after the header.
fn encrypt_one_shot(
    args: &EncryptArgs,
    options: &Options,
    spec: &CipherSpec,
    key: &[u8],
    nonce: &[u8],
    header: Option<&[u8]>,
) -> Result<(), Failure> {
    let aead = OneShot::new(spec, key, options.backend()?)?;
    let input = Input::open(&args.input)?;
    let plaintext = input.read_all(options.quiet, ONE_SHOT_LIMIT, || spec.too_large())?;
    let sealed = aead.seal(nonce, &plaintext, header)?;
    let mut output = Output::create(&args.output)?;
    if let Some(header) = header {
        output.write(header)?;
    }
    output.write(&sealed)?;
    output.commit()
}

/// The decryption state once the cipher is known.
enum Decryption {
    /// Boxed: the streaming state (a cipher context inline) is the larger by far.
    Stream(Box<StreamDecryption>),
    OneShot(OneShotDecryption),
}

impl Decryption {
    /// `header` is the file's header (the associated data), `None` for --raw input; `remaining`
    /// the input bytes after it, when known.
    fn new(
        spec: CipherSpec,
        key: &[u8],
        iv: &[u8],
        header: Option<&[u8]>,
        remaining: Option<u64>,
        options: &Options,
    ) -> Result<Self, Failure> {
        if !spec.is_one_shot() {
            return Ok(Decryption::Stream(Box::new(StreamDecryption::new(
                spec, key, iv, header, options,
            )?)));
        }
        let aead = OneShot::new(&spec, key, options.backend()?)?;
        let limit = ONE_SHOT_LIMIT + TAG_LEN as u64;
        if remaining.is_some_and(|n| n > limit) {
            return Err(spec.too_large());
        }
        let capacity = remaining.map_or(0, |n| usize::try_from(n).unwrap_or(0));
        Ok(Decryption::OneShot(OneShotDecryption {
            spec,
            aead,
            nonce: iv.to_vec(),
            header: header.map(<[u8]>::to_vec),
            sealed: Vec::with_capacity(capacity),
        }))
    }

    fn feed(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        match self {
            Decryption::Stream(stream) => stream.feed(data, output),
            Decryption::OneShot(one_shot) => one_shot.feed(data),
        }
    }

    fn finish(self, output: Output) -> Result<(), Failure> {
        match self {
            Decryption::Stream(stream) => stream.finish(output),
            Decryption::OneShot(one_shot) => one_shot.finish(output),
        }
    }
}

/// A one-shot AEAD's decryption: the sealed message is collected, then opened in one call.
struct OneShotDecryption {
    spec: CipherSpec,
    aead: OneShot,
    nonce: Vec<u8>,
    header: Option<Vec<u8>>,
    sealed: Vec<u8>,
}

impl OneShotDecryption {
    fn feed(&mut self, data: &[u8]) -> Result<(), Failure> {
        let total = self.sealed.len() + data.len();
        if total as u64 > ONE_SHOT_LIMIT + TAG_LEN as u64 {
            return Err(self.spec.too_large());
        }
        self.sealed.extend_from_slice(data);
        Ok(())
    }

    fn finish(self, mut output: Output) -> Result<(), Failure> {
        let Some(len) = self.sealed.len().checked_sub(TAG_LEN) else {
            return Err(too_short_for_tag());
        };
        let mut plaintext = Zeroizing::new(vec![0u8; len]);
        let n = self
            .aead
            .open_into(
                &self.nonce,
                &self.sealed,
                self.header.as_deref(),
                &mut plaintext,
            )
            .map_err(authentication_failed)?;
        output.write(&plaintext[..n])?;
        output.commit()
    }
}

/// A streaming decryption (every cipher but the one-shot AEADs).
struct StreamDecryption {
    spec: CipherSpec,
    ctx: CipherContext,
    unpadder: Option<UnpaddingContext>,
    /// A streaming AEAD: the last bytes seen, which may be the tag.
    held: Vec<u8>,
    buffer: Zeroizing<Vec<u8>>,
}

impl StreamDecryption {
    fn new(
        spec: CipherSpec,
        key: &[u8],
        iv: &[u8],
        aad: Option<&[u8]>,
        options: &Options,
    ) -> Result<Self, Failure> {
        let mut ctx = spec.cipher(key, iv, options)?.decryptor()?;
        if let (true, Some(aad)) = (spec.is_streaming_aead(), aad) {
            ctx.authenticate_additional_data(aad)?;
        }
        let unpadder = spec
            .padded()
            .then(|| Pkcs7::new(spec.block_bytes() * 8).map(|p| p.unpadder()))
            .transpose()?;
        Ok(StreamDecryption {
            spec,
            ctx,
            unpadder,
            held: Vec::with_capacity(2 * TAG_LEN),
            buffer: Zeroizing::new(Vec::new()),
        })
    }

    fn feed(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        if !self.spec.is_streaming_aead() {
            return self.decrypt(data, output);
        }
        // Hold back the last TAG_LEN bytes: they may be the tag.
        self.held.extend_from_slice(data);
        if self.held.len() > TAG_LEN {
            let release = self.held.len() - TAG_LEN;
            let ready: Vec<u8> = self.held.drain(..release).collect();
            self.decrypt(&ready, output)?;
        }
        Ok(())
    }

    fn decrypt(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        self.buffer
            .resize(self.ctx.update_output_size(data.len()), 0);
        let n = self.ctx.update_into(data, &mut self.buffer)?;
        match &mut self.unpadder {
            Some(unpadder) => {
                let plain = Zeroizing::new(unpadder.update(&self.buffer[..n])?);
                output.write(&plain)
            }
            None => output.write(&self.buffer[..n]),
        }
    }

    fn finish(mut self, mut output: Output) -> Result<(), Failure> {
        let last = if self.spec.is_streaming_aead() {
            if self.held.len() < TAG_LEN {
                return Err(too_short_for_tag());
            }
            self.ctx
                .finalize_with_tag(&self.held)
                .map_err(authentication_failed)?
        } else {
            self.ctx.finalize().map_err(|e| {
                Failure::verification(format!("decryption failed: {e}; no output written"))
            })?
        };
        match &mut self.unpadder {
            Some(unpadder) => {
                let plain = Zeroizing::new(unpadder.update(&last)?);
                output.write(&plain)?;
                let tail = unpadder
                    .finalize()
                    .map_err(|_| Failure::verification("bad decrypt: invalid padding (wrong key or corrupted input); no output written"))?;
                output.write(&Zeroizing::new(tail))?;
            }
            None => output.write(&last)?,
        }
        output.commit()
    }
}

/// Runs `hazmat decrypt`.
pub(crate) fn decrypt(args: &DecryptArgs, options: &Options) -> Result<(), Failure> {
    let key = args.key.read()?;
    let mut input = Input::open(&args.input)?;
    let size = input.size();
    let mut output = Output::create(&args.output)?;
    if args.raw {
        let name = args
            .cipher
            .as_deref()
            .ok_or_else(|| Failure::usage("--raw input has no header: give --cipher"))?;
        let spec = CipherSpec::parse(name)?;
        let iv = match &args.iv_hex {
            Some(hex) => parse_hex("--iv-hex", hex)?.to_vec(),
            None if spec.iv_len() > 0 => {
                return Err(Failure::usage(format!(
                    "--raw input has no header: give --iv-hex for {}",
                    spec.name
                )))
            }
            None => Vec::new(),
        };
        let mut state = Decryption::new(spec, &key, &iv, None, size, options)?;
        input.for_each_chunk(options.quiet, |chunk| state.feed(chunk, &mut output))?;
        return state.finish(output);
    }
    if args.iv_hex.is_some() {
        return Err(Failure::usage(
            "the IV comes from the file header; --iv-hex is only for --raw input",
        ));
    }
    let (header, header_bytes, rest) = read_header(&mut input)?;
    let spec = CipherSpec::parse(header.cipher())?;
    if let Some(given) = &args.cipher {
        if CipherSpec::parse(given)?.name != spec.name {
            return Err(Failure::usage(format!(
                "the file was encrypted with {}, not {given}",
                spec.name
            )));
        }
    }
    match header {
        Header::Stream { chunk_size, .. } => decrypt_stream(
            &spec,
            chunk_size,
            &key,
            &header_bytes,
            Cursor::new(rest).chain(input.into_reader(options.quiet)),
            output,
            options,
        ),
        Header::OneMessage { iv, .. } => {
            let remaining = size.map(|n| n.saturating_sub(header_bytes.len() as u64));
            let mut state =
                Decryption::new(spec, &key, &iv, Some(&header_bytes), remaining, options)?;
            state.feed(&rest, &mut output)?;
            input.for_each_chunk(options.quiet, |chunk| state.feed(chunk, &mut output))?;
            state.finish(output)
        }
    }
}

/// Reads the file header: the header, its bytes, and the input bytes read after it.
fn read_header(input: &mut Input) -> Result<(Header, Vec<u8>, Vec<u8>), Failure> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 256];
    loop {
        let n = input.read_some(&mut buffer)?;
        if n == 0 {
            return Err(if bytes.is_empty() {
                Failure::usage("empty input: no header; use --raw for headerless input")
            } else {
                Failure::usage("input ends inside the file header")
            });
        }
        bytes.extend_from_slice(&buffer[..n]);
        if let Some((header, len)) = Header::parse(&bytes)? {
            let rest = bytes.split_off(len);
            return Ok((header, bytes, rest));
        }
    }
}

/// `hazmat decrypt` of a chunked file (header version 2): each chunk is authenticated before
/// it is written to the temporary output, which is kept only when the stream ends where its
/// last chunk says it does.
fn decrypt_stream(
    spec: &CipherSpec,
    chunk_size: u32,
    key: &[u8],
    header: &[u8],
    stream: impl Read,
    mut output: Output,
    options: &Options,
) -> Result<(), Failure> {
    let algorithm = spec.stream_algorithm().ok_or_else(|| {
        Failure::usage(format!(
            "not a hazmat-encrypted file (a version-2 header names {}, which is not chunked)",
            spec.name
        ))
    })?;
    spec.check_key(key)?;
    let params = StreamParams::new(algorithm, chunk_size as usize)?;
    let failed = |chunks: u64| {
        move |error: pluggable_crypto::Error| match error {
            pluggable_crypto::Error::InvalidTag => Failure::verification(format!(
                "authentication failed at chunk {chunks}: the key is wrong, or the file was \
                 modified, truncated or extended; no output written"
            )),
            other => other.into(),
        }
    };
    let mut decryptor =
        StreamDecryptor::new(stream, params, key, header, options.backend()?).map_err(failed(0))?;
    let mut chunks = 0u64;
    while let Some(plaintext) = decryptor.next_chunk().map_err(failed(chunks))? {
        output.write(plaintext)?;
        chunks += 1;
    }
    output.commit()
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
    fn chunked_format_ciphers_and_chunk_sizes() {
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
        for (text, size) in [
            ("1", 1),
            ("65536", 65536),
            ("64K", 65536),
            ("64kib", 65536),
            (" 2M ", 2 << 20),
            ("4MiB", MAX_CHUNK_SIZE),
            ("7b", 7),
        ] {
            assert_eq!(parse_chunk_size(text).unwrap(), size, "{text}");
        }
        for bad in [
            "0",
            "0K",
            "4097K",
            "5M",
            "1G",
            "K",
            "",
            "-1",
            "1.5M",
            "18446744073709551616",
        ] {
            let error = parse_chunk_size(bad).unwrap_err();
            assert_eq!(error.code, 2);
            assert!(
                error.message.starts_with("--chunk-size"),
                "{}",
                error.message
            );
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
        let iv = random_iv(16, true).unwrap();
        assert_eq!(&iv[..4], [0, 0, 0, 0]);
    }

    #[test]
    fn output_is_dropped_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"secret").unwrap();
        drop(output);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"kept").unwrap();
        output.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }
}
