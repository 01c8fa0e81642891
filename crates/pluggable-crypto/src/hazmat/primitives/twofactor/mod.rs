//! One-time passwords: [HOTP](hotp) (RFC 4226, counter-based) and [TOTP](totp) (RFC 6238,
//! time-based), as in pyca's `hazmat.primitives.twofactor`.
//!
//! Both take a key of at least 128 bits (a shorter one only through the constructors named
//! `..._allowing_short_key`), 6, 7 or 8 digits, and HMAC over SHA-1, SHA-256 or SHA-512.
//! A password that does not match is [`Error::InvalidToken`], found by a constant-time
//! comparison.
//!
//! Authenticator apps show the key as base32 (`JBSW Y3DP EHPK 3PXP`): [`decode_base32`] reads
//! it, and `from_base32` constructors take it directly. The common 80-bit secret of those apps
//! is shorter than RFC 4226's 128 bits, so it needs a `..._allowing_short_key` constructor:
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::hashes::Sha1;
//! use pluggable_crypto::hazmat::primitives::twofactor::{decode_base32, totp::Totp};
//!
//! let key = decode_base32("jbsw y3dp ehpk 3pxp")?; // 80 bits, as an app shows it
//! assert_eq!(&key[..], b"Hello!\xde\xad\xbe\xef");
//! let totp = Totp::new_allowing_short_key(&key, 6, Sha1, 30)?;
//! let password = totp.generate(59)?;
//! totp.verify(&password, 59)?;
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::any::Any;
use std::fmt::Write;

use zeroize::Zeroizing;

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::primitives::hashes::{HashAlgorithm, Sha1, Sha256, Sha512};

pub mod hotp;
pub mod totp;

/// The shortest key (bytes) the checking constructors accept: RFC 4226's 128 bits.
const MIN_KEY_BYTES: usize = 16;

/// Checks the key length (unless `enforce_key_length` is off) and the number of digits, then
/// the algorithm, in pyca's order; the algorithm's upper-case name for the provisioning URI.
fn check_parameters(
    key: &[u8],
    length: u32,
    algorithm: &dyn HashAlgorithm,
    enforce_key_length: bool,
) -> Result<&'static str> {
    if enforce_key_length && key.len() < MIN_KEY_BYTES {
        return Err(Error::invalid(format!(
            "a one-time-password key must be at least 128 bits, got {} bits \
             (the `..._allowing_short_key` constructors accept a shorter one)",
            key.len() * 8
        )));
    }
    if !(6..=8).contains(&length) {
        return Err(Error::invalid(format!(
            "a one-time password must have 6, 7 or 8 digits, got {length}"
        )));
    }
    let any: &dyn Any = algorithm;
    if any.is::<Sha1>() {
        Ok("SHA1")
    } else if any.is::<Sha256>() {
        Ok("SHA256")
    } else if any.is::<Sha512>() {
        Ok("SHA512")
    } else {
        Err(Error::unsupported(
            Reason::UnsupportedHash,
            format!(
                "HOTP and TOTP are defined over SHA1, SHA256 or SHA512, got {}",
                algorithm.name()
            ),
        ))
    }
}

/// Decodes a key written in base32 (RFC 4648 section 6) as authenticator apps and provisioning
/// URIs write it: letters of either case, `=` padding optional, and spaces (and any other
/// whitespace) ignored. Anything else, or a length no base32 encoding has, is
/// `InvalidArgument` (whose text never repeats the secret).
pub fn decode_base32(secret: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut normalized = Zeroizing::new(String::with_capacity(secret.len()));
    normalized.extend(
        secret
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase()),
    );
    let unpadded = normalized.trim_end_matches('=');
    data_encoding::BASE32_NOPAD
        .decode(unpadded.as_bytes())
        .map(Zeroizing::new)
        .map_err(|e| {
            Error::invalid(format!(
                "the one-time-password secret is not valid base32 (RFC 4648: A-Z and 2-7, \
                 padding optional): {}",
                e.kind
            ))
        })
}

/// Percent-encodes `text` as Python's `urllib.parse.quote` does: UTF-8 bytes, leaving
/// `A-Z a-z 0-9 _ . - ~` and the bytes in `safe` as they are, upper-case hex for the rest.
fn quote(text: &str, safe: &[u8], out: &mut String) {
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"_.-~".contains(&byte) || safe.contains(&byte) {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Python's `urllib.parse.quote_plus`: `quote` with nothing extra safe, and a space as `+`.
fn quote_plus(text: &str, out: &mut String) {
    for (i, piece) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        quote(piece, b"", out);
    }
}

/// The `otpauth://` URI exactly as pyca's `_generate_uri` builds it: the label
/// `issuer:account` (or just the account when the issuer is absent or empty), then `digits`,
/// `secret` (base32 with `=` padding), `algorithm`, `issuer` (when given, even if empty) and
/// the type's own parameter (`counter` or `period`), form-encoded.
fn provisioning_uri(
    type_name: &str,
    key: &[u8],
    length: u32,
    algorithm_name: &str,
    account_name: &str,
    issuer: Option<&str>,
    extra: (&str, u64),
) -> String {
    let mut uri = format!("otpauth://{type_name}/");
    if let Some(issuer) = issuer.filter(|i| !i.is_empty()) {
        quote(issuer, b"/", &mut uri);
        uri.push(':');
    }
    quote(account_name, b"/", &mut uri);
    let _ = write!(uri, "?digits={length}&secret=");
    quote_plus(&data_encoding::BASE32.encode(key), &mut uri);
    let _ = write!(uri, "&algorithm={algorithm_name}");
    if let Some(issuer) = issuer {
        uri.push_str("&issuer=");
        quote_plus(issuer, &mut uri);
    }
    let _ = write!(uri, "&{}={}", extra.0, extra.1);
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_python() {
        let mut out = String::new();
        quote("Ex Co/π&=?:~", b"/", &mut out);
        assert_eq!(out, "Ex%20Co/%CF%80%26%3D%3F%3A~");
        out.clear();
        quote_plus("Ex Co/π&=?  x", &mut out);
        assert_eq!(out, "Ex+Co%2F%CF%80%26%3D%3F++x");
    }

    #[test]
    fn base32_as_apps_write_it() {
        let want = b"12345678901234567890";
        for text in [
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            " gezd\tgnbv gy3t qojq gezd gnbv gy3t qojq\n",
        ] {
            assert_eq!(&decode_base32(text).unwrap()[..], want, "{text:?}");
        }
        // Padding is optional: "MZXW6===" and "MZXW6" are both "foo" (RFC 4648 section 10).
        assert_eq!(&decode_base32("MZXW6===").unwrap()[..], b"foo");
        assert_eq!(&decode_base32("mzxw6").unwrap()[..], b"foo");
        assert_eq!(&decode_base32("").unwrap()[..], b"");
        for bad in ["MZXW1", "MZXW6=X", "M", "MZX", "MZXW6!"] {
            let err = decode_base32(bad).unwrap_err().to_string();
            assert!(err.contains("not valid base32"), "{bad}: {err}");
        }
    }

    #[test]
    fn parameter_rules() {
        assert!(check_parameters(&[0; 15], 6, &Sha1, true).is_err());
        assert_eq!(check_parameters(&[0; 15], 6, &Sha1, false), Ok("SHA1"));
        assert!(check_parameters(&[0; 16], 5, &Sha1, true).is_err());
        assert!(check_parameters(&[0; 16], 9, &Sha1, true).is_err());
        assert_eq!(check_parameters(&[0; 16], 8, &Sha512, true), Ok("SHA512"));
        let err = check_parameters(&[0; 16], 6, &crate::hazmat::primitives::hashes::Md5, true);
        assert!(err.is_err_and(|e| e.is_unsupported()));
    }
}
