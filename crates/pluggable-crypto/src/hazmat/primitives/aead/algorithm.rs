//! The names and parameters of the one-shot AEAD constructions, as backends are asked for them.

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
