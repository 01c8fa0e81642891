//! Modes of operation for block ciphers.
//!
//! Constructors check what they can alone (an IV's length range, a tag's length);
//! [`Mode::validate_for_algorithm`] checks the rest against the cipher when a
//! [`Cipher`](super::Cipher) is built, so a bad IV fails there and not inside a backend.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use subtle::ConstantTimeEq;

use super::algorithms::{self, Aes, CipherAlgorithm};
use super::tag::check_tag_length;
pub use super::tag::ModeWithAuthenticationTag;
use crate::exceptions::{Bytes, Error, Reason, Result};

/// How a mode turns a stream of `update` calls into output.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Processing {
    /// Any number of bytes in, the same number out (CTR, OFB, CFB, GCM).
    Stream,
    /// Whole blocks only, without padding: `finalize` fails unless the total is a multiple of
    /// the block size (ECB, CBC).
    FullBlocks,
    /// The whole message is one data unit, processed at `finalize` (XTS): updates are
    /// buffered, so output is identical however the input is split.
    WholeMessage,
}

/// A mode of operation (pyca's `Mode`).
pub trait Mode: Any + Send + Sync + fmt::Debug {
    /// The mode's name, e.g. `"CBC"`.
    fn name(&self) -> &'static str;

    /// Checks the mode's parameters against `algorithm` (IV length = block size, key rules).
    fn validate_for_algorithm(&self, algorithm: &dyn CipherAlgorithm) -> Result<()>;

    /// The IV, nonce or tweak the mode feeds the cipher; `None` for ECB.
    fn initialization_vector(&self) -> Option<&[u8]> {
        None
    }

    /// How updates map to output.
    fn processing(&self) -> Processing {
        Processing::Stream
    }

    /// The authentication parameters of an AEAD mode; `None` for unauthenticated modes.
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        None
    }
}

fn block_size_bytes(mode: &str, algorithm: &dyn CipherAlgorithm) -> Result<usize> {
    match algorithm.block_size() {
        Some(bits) => Ok(bits / 8),
        None => Err(Error::invalid(format!(
            "{mode} mode needs a block cipher; {} is a stream cipher and takes no mode",
            algorithm.name()
        ))),
    }
}

/// AES keys of 512 bits are two AES-256 keys, valid for XTS only.
fn check_aes_key_for_non_xts(mode: &str, algorithm: &dyn CipherAlgorithm) -> Result<()> {
    if algorithms::is::<Aes>(algorithm) && algorithm.key_size() > 256 {
        return Err(Error::invalid(format!(
            "invalid key size ({} bits) for AES in {mode} mode: only 128, 192 and 256 bits \
             (512 is for XTS only)",
            algorithm.key_size()
        )));
    }
    Ok(())
}

fn check_iv_is_block(
    mode: &str,
    what: &str,
    iv: &[u8],
    algorithm: &dyn CipherAlgorithm,
) -> Result<()> {
    let block = block_size_bytes(mode, algorithm)?;
    check_aes_key_for_non_xts(mode, algorithm)?;
    if iv.len() != block {
        return Err(Error::invalid(format!(
            "invalid {what} size ({}) for {mode} with {}: must be {} (the block size)",
            Bytes(iv.len()),
            algorithm.name(),
            Bytes(block)
        )));
    }
    Ok(())
}

/// Declares a mode whose only parameter is an IV/nonce as long as the cipher's block.
macro_rules! iv_mode {
    ($(#[$doc:meta])* $ty:ident, name = $name:literal, field = $field:ident, what = $what:literal, processing = $proc:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty {
            $field: Vec<u8>,
        }

        impl $ty {
            #[doc = concat!("Takes the ", $what, "; its length is checked against the cipher's block size when the `Cipher` is built.")]
            pub fn new($field: &[u8]) -> Result<Self> {
                Ok($ty { $field: $field.to_vec() })
            }

            #[doc = concat!("The ", $what, ".")]
            pub fn $field(&self) -> &[u8] {
                &self.$field
            }
        }

        impl Mode for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn validate_for_algorithm(&self, algorithm: &dyn CipherAlgorithm) -> Result<()> {
                check_iv_is_block($name, $what, &self.$field, algorithm)
            }
            fn initialization_vector(&self) -> Option<&[u8]> {
                Some(&self.$field)
            }
            fn processing(&self) -> Processing {
                Processing::$proc
            }
        }
    };
}

iv_mode!(
    /// Cipher block chaining. No padding: the data must be whole blocks.
    Cbc, name = "CBC", field = initialization_vector, what = "IV", processing = FullBlocks
);
iv_mode!(
    /// Counter mode; the nonce is the initial counter block (big-endian increment).
    Ctr, name = "CTR", field = nonce, what = "nonce", processing = Stream
);
iv_mode!(
    /// Output feedback.
    Ofb, name = "OFB", field = initialization_vector, what = "IV", processing = Stream
);
iv_mode!(
    /// Cipher feedback with a full-block shift (CFB128 for AES, CFB64 for 64-bit ciphers).
    Cfb, name = "CFB", field = initialization_vector, what = "IV", processing = Stream
);
iv_mode!(
    /// Cipher feedback with an 8-bit shift.
    Cfb8, name = "CFB8", field = initialization_vector, what = "IV", processing = Stream
);

/// Electronic codebook: each block encrypted alone. Leaks patterns; for legacy interop only.
/// No padding: the data must be whole blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ecb;

impl Mode for Ecb {
    fn name(&self) -> &'static str {
        "ECB"
    }
    fn validate_for_algorithm(&self, algorithm: &dyn CipherAlgorithm) -> Result<()> {
        block_size_bytes("ECB", algorithm)?;
        check_aes_key_for_non_xts("ECB", algorithm)
    }
    fn processing(&self) -> Processing {
        Processing::FullBlocks
    }
}

/// Galois/Counter Mode: authenticated encryption with additional data.
///
/// The IV is 8 to 128 bytes (12 is the efficient, recommended size). For decryption the tag
/// (4 to 16 bytes, at least `min_tag_length`) is given here or to
/// [`finalize_with_tag`](super::CipherContext::finalize_with_tag); for encryption it must not be
/// given. One message may hold at most 2^36 - 32 bytes of data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gcm {
    initialization_vector: Vec<u8>,
    tag: Option<Vec<u8>>,
    min_tag_length: usize,
}

impl Gcm {
    /// The most data bytes one GCM message may hold (NIST SP 800-38D).
    pub const MAX_DATA_BYTES: u64 = (1 << 36) - 32;
    /// The most additional authenticated bytes one GCM message may hold.
    pub const MAX_AAD_BYTES: u64 = (1 << 61) - 1;
    /// The longest (and default) tag length in bytes.
    pub const MAX_TAG_LENGTH: usize = 16;

    /// A GCM mode for encryption, or for decryption with the tag given at `finalize_with_tag`.
    pub fn new(initialization_vector: &[u8]) -> Result<Self> {
        Self::with_tag(initialization_vector, None, Self::MAX_TAG_LENGTH)
    }

    /// A GCM mode for decryption with the tag known up front (at least 16 bytes).
    pub fn with_decryption_tag(initialization_vector: &[u8], tag: &[u8]) -> Result<Self> {
        Self::with_tag(initialization_vector, Some(tag), Self::MAX_TAG_LENGTH)
    }

    /// The general constructor: an optional tag and the shortest tag accepted (>= 4 bytes).
    pub fn with_tag(
        initialization_vector: &[u8],
        tag: Option<&[u8]>,
        min_tag_length: usize,
    ) -> Result<Self> {
        if !(8..=128).contains(&initialization_vector.len()) {
            return Err(Error::invalid(format!(
                "invalid IV size ({}) for GCM: must be between 8 and 128 bytes",
                Bytes(initialization_vector.len())
            )));
        }
        if min_tag_length < 4 {
            return Err(Error::invalid(format!(
                "min_tag_length must be at least 4 bytes, got {}",
                Bytes(min_tag_length)
            )));
        }
        if min_tag_length > Self::MAX_TAG_LENGTH {
            return Err(Error::invalid(format!(
                "min_tag_length must be at most 16 bytes, got {}",
                Bytes(min_tag_length)
            )));
        }
        if let Some(tag) = tag {
            check_tag_length(tag, min_tag_length, Self::MAX_TAG_LENGTH)?;
        }
        Ok(Gcm {
            initialization_vector: initialization_vector.to_vec(),
            tag: tag.map(<[u8]>::to_vec),
            min_tag_length,
        })
    }

    /// The IV.
    pub fn initialization_vector(&self) -> &[u8] {
        &self.initialization_vector
    }

    /// The decryption tag, if given.
    pub fn tag(&self) -> Option<&[u8]> {
        self.tag.as_deref()
    }
}

impl Mode for Gcm {
    fn name(&self) -> &'static str {
        "GCM"
    }
    fn validate_for_algorithm(&self, algorithm: &dyn CipherAlgorithm) -> Result<()> {
        let block = block_size_bytes("GCM", algorithm)?;
        if block != 16 {
            return Err(Error::invalid(format!(
                "GCM needs a 128-bit block cipher; {} has {}-bit blocks",
                algorithm.name(),
                block * 8
            )));
        }
        check_aes_key_for_non_xts("GCM", algorithm)
    }
    fn initialization_vector(&self) -> Option<&[u8]> {
        Some(&self.initialization_vector)
    }
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        Some(self)
    }
}

impl ModeWithAuthenticationTag for Gcm {
    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_deref()
    }
    fn min_tag_length(&self) -> usize {
        self.min_tag_length
    }
    fn max_tag_length(&self) -> usize {
        Self::MAX_TAG_LENGTH
    }
    fn max_data_bytes(&self) -> u64 {
        Self::MAX_DATA_BYTES
    }
    fn max_aad_bytes(&self) -> u64 {
        Self::MAX_AAD_BYTES
    }
}

/// XEX-based tweaked-codebook mode with ciphertext stealing (IEEE 1619), for disk sectors.
///
/// Takes a 16-byte tweak (e.g. the sector number). Works with AES only, with a 256-bit key
/// (AES-128-XTS) or a 512-bit key (AES-256-XTS) whose two halves differ. The whole message is
/// one data unit of at least 16 bytes and at most 2^24 bytes (2^20 blocks), encrypted at
/// `finalize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xts {
    tweak: [u8; 16],
}

impl Xts {
    /// The largest data unit, in bytes (IEEE 1619: 2^20 blocks).
    pub const MAX_DATA_UNIT_BYTES: usize = 1 << 24;

    /// Takes the 16-byte tweak.
    pub fn new(tweak: &[u8]) -> Result<Self> {
        let tweak = tweak.try_into().map_err(|_| {
            Error::invalid(format!(
                "invalid tweak size ({}) for XTS: must be 16 bytes",
                Bytes(tweak.len())
            ))
        })?;
        Ok(Xts { tweak })
    }

    /// The tweak.
    pub fn tweak(&self) -> &[u8] {
        &self.tweak
    }
}

impl Mode for Xts {
    fn name(&self) -> &'static str {
        "XTS"
    }
    fn validate_for_algorithm(&self, algorithm: &dyn CipherAlgorithm) -> Result<()> {
        if !algorithms::is::<Aes>(algorithm) {
            return Err(Error::invalid(format!(
                "XTS mode is defined for AES only, got {}",
                algorithm.name()
            )));
        }
        let bits = algorithm.key_size();
        if bits != 256 && bits != 512 {
            return Err(Error::invalid(format!(
                "invalid key size ({bits} bits) for AES-XTS: must be 256 bits (AES-128-XTS) \
                 or 512 bits (AES-256-XTS)"
            )));
        }
        let (k1, k2) = algorithm.key().split_at(algorithm.key().len() / 2);
        if bool::from(k1.ct_eq(k2)) {
            return Err(Error::invalid("the two halves of an XTS key must differ"));
        }
        Ok(())
    }
    fn initialization_vector(&self) -> Option<&[u8]> {
        Some(&self.tweak)
    }
    fn processing(&self) -> Processing {
        Processing::WholeMessage
    }
}

/// The mode names [`by_name`] knows (pyca/cryptography's class names, upper-cased).
pub const NAMES: [&str; 8] = ["CBC", "CTR", "OFB", "CFB", "CFB8", "ECB", "GCM", "XTS"];

/// Builds a built-in mode from its name and its IV, nonce or tweak: the one name ->
/// constructor table of the library.
///
/// Names are matched case-insensitively and are those of [`NAMES`], which are also what
/// [`Mode::name`] reports. `iv_or_nonce` is [`Cbc`]'s, [`Ofb`]'s, [`Cfb`]'s and [`Cfb8`]'s IV,
/// [`Ctr`]'s nonce (the initial counter block), [`Gcm`]'s IV and [`Xts`]'s tweak; [`Ecb`] takes
/// none (pass `&[]`). `tag` is GCM's decryption tag known up front
/// ([`Gcm::with_decryption_tag`], full 16-byte tags); `None` gives [`Gcm::new`], for encryption
/// or for decryption with the tag at
/// [`finalize_with_tag`](super::CipherContext::finalize_with_tag). Truncated GCM tags need an
/// explicit `min_tag_length`, so they are built with [`Gcm::with_tag`], not by name.
///
/// # Errors
///
/// [`Error::UnsupportedAlgorithm`] for an unknown name (the message lists [`NAMES`]);
/// [`Error::InvalidArgument`] for what the mode's constructor refuses, an IV given to ECB, or a
/// tag given to a mode without one.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms, modes, Cipher};
///
/// let key = [7u8; 16];
/// let encrypt = Cipher::new(algorithms::by_name("AES", &key, None)?, modes::by_name("gcm", &[1; 12], None)?)?;
/// let mut encryptor = encrypt.encryptor()?;
/// let mut sealed = encryptor.update(b"by name")?;
/// sealed.extend(encryptor.finalize()?);
/// let tag = encryptor.tag()?.to_vec();
///
/// let decrypt = Cipher::new(algorithms::by_name("AES", &key, None)?, modes::by_name("GCM", &[1; 12], Some(&tag))?)?;
/// let mut decryptor = decrypt.decryptor()?;
/// let mut opened = decryptor.update(&sealed)?;
/// opened.extend(decryptor.finalize()?);
/// assert_eq!(opened, b"by name");
///
/// assert_eq!(modes::by_name("ECB", &[], None)?.name(), "ECB");
/// assert!(modes::by_name("CBC", &[0; 16], Some(&tag)).is_err()); // CBC has no tag
/// assert!(modes::by_name("PCBC", &[0; 16], None).unwrap_err().is_unsupported());
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn by_name(name: &str, iv_or_nonce: &[u8], tag: Option<&[u8]>) -> Result<Arc<dyn Mode>> {
    let upper = name.to_ascii_uppercase();
    if tag.is_some() && upper != "GCM" && NAMES.contains(&upper.as_str()) {
        return Err(Error::invalid(format!(
            "{upper} mode takes no authentication tag"
        )));
    }
    Ok(match upper.as_str() {
        "CBC" => Arc::new(Cbc::new(iv_or_nonce)?),
        "CTR" => Arc::new(Ctr::new(iv_or_nonce)?),
        "OFB" => Arc::new(Ofb::new(iv_or_nonce)?),
        "CFB" => Arc::new(Cfb::new(iv_or_nonce)?),
        "CFB8" => Arc::new(Cfb8::new(iv_or_nonce)?),
        "ECB" if !iv_or_nonce.is_empty() => {
            return Err(Error::invalid(format!(
                "ECB mode takes no IV, got {} bytes",
                iv_or_nonce.len()
            )))
        }
        "ECB" => Arc::new(Ecb),
        "GCM" => Arc::new(match tag {
            Some(tag) => Gcm::with_decryption_tag(iv_or_nonce, tag)?,
            None => Gcm::new(iv_or_nonce)?,
        }),
        "XTS" => Arc::new(Xts::new(iv_or_nonce)?),
        _ => {
            return Err(Error::unsupported(
                Reason::UnsupportedCipher,
                format!(
                    "unknown mode {name:?}: the known names are {}",
                    NAMES.join(", ")
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::algorithms::{Arc4, Camellia, TripleDes};
    use super::*;

    #[test]
    fn iv_must_match_block_size() {
        let aes = Aes::new(&[0; 16]).unwrap();
        assert!(Cbc::new(&[0; 16])
            .unwrap()
            .validate_for_algorithm(&aes)
            .is_ok());
        let err = Cbc::new(&[0; 8])
            .unwrap()
            .validate_for_algorithm(&aes)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid IV size (8 bytes) for CBC with AES: must be 16 bytes (the block size)"
        );
        let des = TripleDes::new(&[1; 24]).unwrap();
        assert!(Ofb::new(&[0; 8])
            .unwrap()
            .validate_for_algorithm(&des)
            .is_ok());
        assert!(Ctr::new(&[0; 16])
            .unwrap()
            .validate_for_algorithm(&des)
            .is_err());
    }

    #[test]
    fn aes_512_only_for_xts() {
        let key: Vec<u8> = (0..64).collect();
        let aes = Aes::new(&key).unwrap();
        assert!(Cbc::new(&[0; 16])
            .unwrap()
            .validate_for_algorithm(&aes)
            .is_err());
        assert!(Ecb.validate_for_algorithm(&aes).is_err());
        assert!(Xts::new(&[0; 16])
            .unwrap()
            .validate_for_algorithm(&aes)
            .is_ok());
    }

    #[test]
    fn xts_rules() {
        assert!(Xts::new(&[0; 15]).is_err());
        let xts = Xts::new(&[0; 16]).unwrap();
        assert!(xts
            .validate_for_algorithm(&Aes::new(&[7; 32]).unwrap())
            .is_err());
        let key: Vec<u8> = (0..16).chain(16..32).collect();
        assert!(xts.validate_for_algorithm(&Aes::new(&key).unwrap()).is_ok());
        assert!(xts
            .validate_for_algorithm(&Aes::new(&key[..16]).unwrap())
            .is_err());
        assert!(xts
            .validate_for_algorithm(&Camellia::new(&key).unwrap())
            .is_err());
    }

    #[test]
    fn gcm_rules() {
        assert!(Gcm::new(&[0; 7]).is_err());
        assert!(Gcm::new(&[0; 8]).is_ok());
        assert!(Gcm::new(&[0; 128]).is_ok());
        assert!(Gcm::new(&[0; 129]).is_err());
        assert!(Gcm::with_tag(&[0; 12], None, 3).is_err());
        assert!(Gcm::with_tag(&[0; 12], Some(&[0; 4]), 4).is_ok());
        assert!(Gcm::with_tag(&[0; 12], Some(&[0; 3]), 4).is_err());
        assert!(Gcm::with_decryption_tag(&[0; 12], &[0; 15]).is_err());
        assert!(Gcm::with_tag(&[0; 12], Some(&[0; 17]), 4).is_err());
        let des = TripleDes::new(&[1; 24]).unwrap();
        assert!(Gcm::new(&[0; 12])
            .unwrap()
            .validate_for_algorithm(&des)
            .is_err());
    }

    #[test]
    fn stream_cipher_takes_no_mode() {
        let rc4 = Arc4::new(&[1; 16]).unwrap();
        let err = Cbc::new(&[0; 16])
            .unwrap()
            .validate_for_algorithm(&rc4)
            .unwrap_err();
        assert!(err.to_string().contains("stream cipher"));
    }

    #[test]
    fn by_name_builds_every_mode() {
        let built: Vec<Arc<dyn Mode>> = vec![
            Arc::new(Cbc::new(&[1; 16]).unwrap()),
            Arc::new(Ctr::new(&[2; 16]).unwrap()),
            Arc::new(Ofb::new(&[3; 8]).unwrap()),
            Arc::new(Cfb::new(&[4; 16]).unwrap()),
            Arc::new(Cfb8::new(&[5; 16]).unwrap()),
            Arc::new(Ecb),
            Arc::new(Gcm::new(&[6; 12]).unwrap()),
            Arc::new(Xts::new(&[7; 16]).unwrap()),
        ];
        assert_eq!(built.len(), NAMES.len());
        for (mode, name) in built.iter().zip(NAMES) {
            assert_eq!(mode.name(), name);
            let iv = mode.initialization_vector().unwrap_or_default();
            for spelling in [name.to_owned(), name.to_ascii_lowercase()] {
                let again = by_name(&spelling, iv, None).unwrap();
                assert_eq!(again.name(), name);
                assert_eq!(again.initialization_vector(), mode.initialization_vector());
                assert_eq!(again.processing(), mode.processing());
            }
        }
        let gcm = by_name("GCM", &[6; 12], Some(&[9; 16])).unwrap();
        let auth = gcm.authentication().unwrap();
        assert_eq!(
            (auth.tag(), auth.min_tag_length()),
            (Some(&[9u8; 16][..]), 16)
        );
        assert_eq!(
            by_name("gcm", &[6; 12], None)
                .unwrap()
                .authentication()
                .unwrap()
                .tag(),
            None
        );
    }

    #[test]
    fn by_name_refusals() {
        let err = by_name("PCBC", &[0; 16], None).unwrap_err();
        assert!(err.is_unsupported());
        assert!(
            err.to_string()
                .contains("CBC, CTR, OFB, CFB, CFB8, ECB, GCM, XTS"),
            "{err}"
        );
        assert!(by_name("ECB", &[0; 16], None).is_err());
        assert!(by_name("CTR", &[0; 16], Some(&[0; 16])).is_err());
        // GCM's own rules: a short tag by name, a short IV.
        assert!(by_name("GCM", &[0; 12], Some(&[0; 12])).is_err());
        assert_eq!(
            by_name("GCM", &[0; 7], None).unwrap_err(),
            Gcm::new(&[0; 7]).unwrap_err()
        );
        assert!(by_name("XTS", &[0; 15], None).is_err());
    }
}
