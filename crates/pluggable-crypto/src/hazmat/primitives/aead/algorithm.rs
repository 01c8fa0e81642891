//! The names and parameters of the one-shot AEAD constructions, as backends are asked for them.

use crate::exceptions::{Error, Reason, Result};

/// The one-shot AEAD constructions (the types of
/// [`primitives::aead`](crate::hazmat::primitives::aead)).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AeadAlgorithm {
    /// AES-GCM (NIST SP 800-38D).
    AesGcm,
    /// ChaCha20-Poly1305 (RFC 8439).
    ChaCha20Poly1305,
    /// AES-CCM (NIST SP 800-38C, RFC 3610).
    AesCcm,
    /// AES-OCB3 (RFC 7253).
    AesOcb3,
    /// AES-SIV (RFC 5297); its tag (the synthetic IV) comes first.
    AesSiv,
    /// AES-GCM-SIV (RFC 8452).
    AesGcmSiv,
}

impl AeadAlgorithm {
    /// Every construction, in listing order.
    pub const ALL: [AeadAlgorithm; 6] = [
        AeadAlgorithm::AesGcm,
        AeadAlgorithm::ChaCha20Poly1305,
        AeadAlgorithm::AesCcm,
        AeadAlgorithm::AesOcb3,
        AeadAlgorithm::AesSiv,
        AeadAlgorithm::AesGcmSiv,
    ];

    /// The display name, e.g. `"AES-GCM"`.
    pub fn name(self) -> &'static str {
        match self {
            AeadAlgorithm::AesGcm => "AES-GCM",
            AeadAlgorithm::ChaCha20Poly1305 => "ChaCha20-Poly1305",
            AeadAlgorithm::AesCcm => "AES-CCM",
            AeadAlgorithm::AesOcb3 => "AES-OCB3",
            AeadAlgorithm::AesSiv => "AES-SIV",
            AeadAlgorithm::AesGcmSiv => "AES-GCM-SIV",
        }
    }

    /// The construction of a name: its [`name`](Self::name) (`"AES-GCM"`, `"ChaCha20-Poly1305"`,
    /// `"AES-CCM"`, `"AES-OCB3"`, `"AES-SIV"`, `"AES-GCM-SIV"`) or pyca/cryptography's class name
    /// (`AESGCM`, `ChaCha20Poly1305`, `AESCCM`, `AESOCB3`, `AESSIV`, `AESGCMSIV`). Case, `-` and
    /// `_` are ignored. The key size is not part of these names (see [`key_sizes`](Self::key_sizes)).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedAlgorithm`] for an unknown name; the message lists the known ones.
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
    ///
    /// assert_eq!(AeadAlgorithm::by_name("AES-GCM")?, AeadAlgorithm::AesGcm);
    /// assert_eq!(AeadAlgorithm::by_name("AESGCMSIV")?, AeadAlgorithm::AesGcmSiv);
    /// assert_eq!(AeadAlgorithm::by_name("chacha20_poly1305")?, AeadAlgorithm::ChaCha20Poly1305);
    /// assert!(AeadAlgorithm::by_name("AES-EAX").unwrap_err().is_unsupported());
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    pub fn by_name(name: &str) -> Result<AeadAlgorithm> {
        let wanted = squash(name);
        Self::ALL
            .into_iter()
            .find(|algorithm| squash(algorithm.name()) == wanted)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|a| a.name()).collect();
                Error::unsupported(
                    Reason::UnsupportedCipher,
                    format!(
                        "unknown AEAD {name:?}: the known names are {}",
                        known.join(", ")
                    ),
                )
            })
    }

    /// Whether the tag precedes the ciphertext (`tag ‖ ct`, AES-SIV) rather than following it.
    pub fn tag_first(self) -> bool {
        self == AeadAlgorithm::AesSiv
    }

    /// The key sizes in bytes the construction defines.
    pub fn key_sizes(self) -> &'static [usize] {
        match self {
            AeadAlgorithm::ChaCha20Poly1305 => &[32],
            AeadAlgorithm::AesSiv => &[32, 48, 64],
            _ => &[16, 24, 32],
        }
    }
}

/// A name without case, `-` or `_`: `"AES-GCM"`, `"aes_gcm"` and `"AESGCM"` compare equal.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_knows_every_construction() {
        let pyca = [
            "AESGCM",
            "ChaCha20Poly1305",
            "AESCCM",
            "AESOCB3",
            "AESSIV",
            "AESGCMSIV",
        ];
        for (algorithm, class) in AeadAlgorithm::ALL.into_iter().zip(pyca) {
            assert_eq!(AeadAlgorithm::by_name(algorithm.name()), Ok(algorithm));
            assert_eq!(
                AeadAlgorithm::by_name(&algorithm.name().to_lowercase()),
                Ok(algorithm)
            );
            assert_eq!(AeadAlgorithm::by_name(class), Ok(algorithm));
        }
        let err = AeadAlgorithm::by_name("AES-EAX").unwrap_err();
        assert!(err.is_unsupported());
        assert!(
            err.to_string()
                .contains("AES-GCM, ChaCha20-Poly1305, AES-CCM"),
            "{err}"
        );
        assert!(AeadAlgorithm::by_name("").is_err());
        assert!(AeadAlgorithm::by_name("AES").is_err());
    }
}
