//! The header `hazmat encrypt` writes before the ciphertext (unless `--raw`).
//!
//! ```text
//! offset  size  field
//! 0       4     magic "HZMT"
//! 4       1     format version, 1
//! 5       1     n: length of the cipher name
//! 6       n     cipher name, ASCII, e.g. "aes-256-gcm"
//! 6+n     1     m: length of the IV / nonce (0 for ECB and RC4)
//! 7+n     m     IV / nonce
//! ```
//!
//! What follows the header depends on the cipher:
//!
//! | cipher | nonce (random) | after the header |
//! |---|---|---|
//! | block modes, `chacha20`, `rc4` | the IV (ChaCha20: 4-byte LE counter 0, 12-byte nonce) | ciphertext (CBC, ECB: PKCS #7 padded) |
//! | `aes-*-gcm`, `chacha20-poly1305` | 12 bytes | ciphertext, then the 16-byte tag (streamed) |
//! | `aes-*-ccm` | 11 bytes | ciphertext, then the 16-byte tag |
//! | `aes-*-ocb`, `aes-*-gcm-siv` | 12 bytes | ciphertext, then the 16-byte tag |
//! | `aes-*-siv` | 16 bytes | the 16-byte tag (synthetic IV), then the ciphertext |
//!
//! Every AEAD authenticates the whole header (these bytes exactly, nonce included) as its
//! associated data, so a changed cipher name or nonce fails the tag; AES-SIV takes two
//! associated-data components, the header then the nonce (RFC 5297 puts a nonce last). The
//! one-shot AEADs (CCM, OCB, SIV, GCM-SIV) seal the whole input as one message of at most
//! 256 MiB; a chunked format for larger inputs will use a new version number, so version 1
//! files always hold a single message.
//!
//! AES-SIV names follow OpenSSL: `aes-128-siv` is AES-SIV with two AES-128 keys (a 32-byte
//! key, RFC 5297's `AEAD_AES_SIV_CMAC_256`), `aes-192-siv` 48 bytes, `aes-256-siv` 64 bytes.

use crate::common::Failure;

/// The first bytes of every file with a header.
pub(crate) const MAGIC: &[u8; 4] = b"HZMT";
/// The header format this tool writes and reads.
pub(crate) const VERSION: u8 = 1;

/// A parsed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The cipher name, as given to `--cipher`.
    pub cipher: String,
    /// The IV or nonce.
    pub iv: Vec<u8>,
}

impl Header {
    /// The header's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Failure> {
        let name_len = u8::try_from(self.cipher.len())
            .map_err(|_| Failure::usage("cipher name too long for the file header"))?;
        let iv_len = u8::try_from(self.iv.len())
            .map_err(|_| Failure::usage("IV too long for the file header"))?;
        let mut out = Vec::with_capacity(7 + self.cipher.len() + self.iv.len());
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(name_len);
        out.extend_from_slice(self.cipher.as_bytes());
        out.push(iv_len);
        out.extend_from_slice(&self.iv);
        Ok(out)
    }

    /// Parses a header at the start of `bytes`. `Ok(None)` means more bytes are needed;
    /// otherwise the header and its length in bytes. Never panics, whatever the input.
    pub fn parse(bytes: &[u8]) -> Result<Option<(Header, usize)>, Failure> {
        let malformed = |why: &str| {
            Failure::usage(format!(
                "not a hazmat-encrypted file ({why}); use --raw for headerless input"
            ))
        };
        let prefix = bytes.len().min(MAGIC.len());
        if bytes[..prefix] != MAGIC[..prefix] {
            return Err(malformed("bad magic"));
        }
        let Some(&version) = bytes.get(4) else {
            return Ok(None);
        };
        if version != VERSION {
            return Err(malformed(&format!("unknown header version {version}")));
        }
        let Some(&name_len) = bytes.get(5) else {
            return Ok(None);
        };
        let name_end = 6 + usize::from(name_len);
        let Some(name) = bytes.get(6..name_end) else {
            return Ok(None);
        };
        let cipher = std::str::from_utf8(name)
            .ok()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .ok_or_else(|| malformed("bad cipher name"))?
            .to_owned();
        let Some(&iv_len) = bytes.get(name_end) else {
            return Ok(None);
        };
        let iv_end = name_end + 1 + usize::from(iv_len);
        let Some(iv) = bytes.get(name_end + 1..iv_end) else {
            return Ok(None);
        };
        Ok(Some((
            Header {
                cipher,
                iv: iv.to_vec(),
            },
            iv_end,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_incremental() {
        let header = Header {
            cipher: "aes-256-gcm".into(),
            iv: (0..12).collect(),
        };
        let bytes = header.to_bytes().unwrap();
        assert_eq!(&bytes[..6], b"HZMT\x01\x0b");
        for cut in 0..bytes.len() {
            assert_eq!(Header::parse(&bytes[..cut]).unwrap(), None, "cut at {cut}");
        }
        let mut with_data = bytes.clone();
        with_data.extend_from_slice(b"ciphertext");
        assert_eq!(
            Header::parse(&with_data).unwrap(),
            Some((header, bytes.len()))
        );
    }

    #[test]
    fn malformed_headers_are_errors() {
        assert!(Header::parse(b"HZMX").is_err());
        assert!(Header::parse(b"HZMT\x02").is_err());
        assert!(Header::parse(b"HZMT\x01\x03a b\x00").is_err());
        assert!(Header::parse(b"HZMT\x01\x00\x00").is_err());
        assert!(Header::parse(b"\xff").is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..2000 {
            let bytes: Vec<u8> = (0..len % 300)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let mut framed = b"HZMT\x01".to_vec();
            framed.extend_from_slice(&bytes);
            let _ = Header::parse(&bytes);
            let _ = Header::parse(&framed);
        }
    }
}
