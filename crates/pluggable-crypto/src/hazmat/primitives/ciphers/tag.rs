//! The rules of authenticated modes, shared by the modes (GCM) and the algorithms that carry
//! their own authentication (ChaCha20-Poly1305): kept apart so neither imports the other.

use crate::exceptions::{Bytes, Error, Result};

/// The parameters of an authenticated mode (pyca's `ModeWithAuthenticationTag`).
pub trait ModeWithAuthenticationTag: Send + Sync {
    /// The tag to check when decrypting, if given up front.
    fn tag(&self) -> Option<&[u8]>;
    /// The shortest tag accepted when decrypting, in bytes.
    fn min_tag_length(&self) -> usize;
    /// The longest tag, in bytes (the tag an encryptor produces).
    fn max_tag_length(&self) -> usize;
    /// The most data bytes one message may hold.
    fn max_data_bytes(&self) -> u64;
    /// The most additional authenticated bytes one message may hold.
    fn max_aad_bytes(&self) -> u64;
}

/// The tag-length rule shared by every authenticated mode.
pub(crate) fn check_tag_length(tag: &[u8], min: usize, max: usize) -> Result<()> {
    if tag.len() < min {
        return Err(Error::invalid(format!(
            "authentication tag must be {} or longer, got {}",
            Bytes(min),
            Bytes(tag.len())
        )));
    }
    if tag.len() > max {
        return Err(Error::invalid(format!(
            "authentication tag must be {} or shorter, got {}",
            Bytes(max),
            Bytes(tag.len())
        )));
    }
    Ok(())
}
