//! Constant-time comparison (pyca's `constant_time`).

use subtle::ConstantTimeEq;

/// Whether `a` and `b` are equal, in time that depends only on their lengths (never on where
/// they first differ). Slices of different lengths are unequal.
///
/// ```
/// use pluggable_crypto::constant_time::bytes_eq;
///
/// assert!(bytes_eq(b"tag", b"tag"));
/// assert!(!bytes_eq(b"tag", b"taG"));
/// assert!(!bytes_eq(b"tag", b"tags"));
/// ```
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// The MAC check every MAC shares: `Ok` when `tag` equals `mac` (compared in constant time),
/// otherwise `InvalidSignature`, including for a tag of the wrong length.
pub(crate) fn check_mac_tag(mac: &[u8], tag: &[u8]) -> crate::Result<()> {
    if bytes_eq(mac, tag) {
        Ok(())
    } else {
        Err(crate::Error::InvalidSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::bytes_eq;

    #[test]
    fn equality() {
        assert!(bytes_eq(b"", b""));
        assert!(bytes_eq(&[1, 2, 3], &[1, 2, 3]));
        assert!(!bytes_eq(&[1, 2, 3], &[1, 2, 4]));
        assert!(!bytes_eq(&[1, 2, 3], &[1, 2]));
        assert!(!bytes_eq(&[], &[0]));
    }
}
