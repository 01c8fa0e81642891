//! The header `hazmat encrypt` writes before the ciphertext (unless `--raw`).
//!
//! Two versions share the first bytes: the magic `HZMT`, a version byte, and the
//! length-prefixed cipher name.
//!
//! # Version 2: the chunked stream (AEADs but AES-SIV, written by default)
//!
//! ```text
//! offset  size  field
//! 0       4     magic "HZMT"
//! 4       1     format version, 2
//! 5       1     n: length of the cipher name
//! 6       n     cipher name, ASCII, e.g. "aes-256-gcm"
//! 6+n     4     chunk size: plaintext bytes per chunk, u32 big-endian, 1 to 4 MiB
//! 10+n          the stream: a 32-byte salt, then the sealed chunks
//! ```
//!
//! The stream is the library's STREAM construction
//! (`pluggable_crypto::hazmat::primitives::aead::stream`): a per-file random salt and HKDF-SHA256
//! derive a fresh AEAD key from the user's key, so no nonce is stored; chunk `i` is the
//! AEAD sealing of the i-th `chunk size` bytes of plaintext (`ciphertext ‖ 16-byte tag`) under
//! the 12-byte nonce `0x000000 ‖ i (u64 big-endian) ‖ last` (`last` is 1 for the final chunk,
//! else 0). The whole header above (`10+n` bytes) is the associated data of every chunk, so a
//! changed cipher name or chunk size fails the first chunk. Every chunk but the last holds
//! exactly `chunk size` plaintext bytes; the last holds 1 to `chunk size`, or 0 only when the
//! whole input is empty. Decryption releases a chunk only after its tag verifies, and the
//! counter and last flag in the nonces make a truncated (at a chunk boundary or inside a chunk),
//! reordered, duplicated or extended file fail. Memory is constant: one chunk in, one out.
//!
//! The ciphers are `aes-{128,192,256}-gcm`, `chacha20-poly1305`, `aes-{128,192,256}-ccm`,
//! `aes-{128,192,256}-ocb` and `aes-{128,256}-gcm-siv`; the key is the one the name fixes (16,
//! 24 or 32 bytes).
//!
//! # Version 1: one message (non-AEAD ciphers, AES-SIV, and AEAD files of earlier releases)
//!
//! ```text
//! offset  size  field
//! 0       4     magic "HZMT"
//! 4       1     format version, 1
//! 5       1     n: length of the cipher name
//! 6       n     cipher name, ASCII, e.g. "aes-128-cbc"
//! 6+n     1     m: length of the IV / nonce (0 for ECB and RC4)
//! 7+n     m     IV / nonce
//! ```
//!
//! What follows the header depends on the cipher:
//!
//! | cipher | nonce (random) | after the header |
//! |---|---|---|
//! | block modes, `chacha20`, `rc4` | the IV (ChaCha20: 4-byte LE counter 0, 12-byte nonce) | ciphertext (CBC, ECB: PKCS #7 padded) |
//! | `aes-*-siv` | 16 bytes | the 16-byte tag (synthetic IV), then the ciphertext |
//! | `aes-*-gcm`, `chacha20-poly1305` (read only) | 12 bytes | ciphertext, then the 16-byte tag (streamed) |
//! | `aes-*-ccm` (read only) | 11 bytes | ciphertext, then the 16-byte tag |
//! | `aes-*-ocb`, `aes-*-gcm-siv` (read only) | 12 bytes | ciphertext, then the 16-byte tag |
//!
//! Every AEAD authenticates the whole header (these bytes exactly, nonce included) as its
//! associated data, so a changed cipher name or nonce fails the tag; AES-SIV takes two
//! associated-data components, the header then the nonce (RFC 5297 puts a nonce last). The
//! one-shot AEADs seal the whole input as one message of at most 256 MiB.
//!
//! AES-SIV stays in version 1: it is deterministic and two-pass (its tag, the synthetic IV, is
//! computed over the whole message before any ciphertext exists), it is meant for short
//! messages such as keys, and the library's STREAM construction does not offer it. For
//! nonce-misuse resistance on large files, `aes-*-gcm-siv` streams in version 2.
//!
//! AES-SIV names follow OpenSSL: `aes-128-siv` is AES-SIV with two AES-128 keys (a 32-byte
//! key, RFC 5297's `AEAD_AES_SIV_CMAC_256`), `aes-192-siv` 48 bytes, `aes-256-siv` 64 bytes.

use pluggable_crypto::hazmat::primitives::aead::stream::MAX_CHUNK_SIZE;

use crate::common::Failure;

/// The first bytes of every file with a header.
pub(crate) const MAGIC: &[u8; 4] = b"HZMT";
/// The one-message format: an IV or nonce, then the ciphertext.
pub(crate) const VERSION_ONE_MESSAGE: u8 = 1;
/// The chunked-stream format: a chunk size, then the stream.
pub(crate) const VERSION_STREAM: u8 = 2;

/// A parsed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    /// Version 1: one message, its IV or nonce in the header.
    OneMessage {
        /// The cipher name, as given to `--cipher`.
        cipher: String,
        /// The IV or nonce.
        iv: Vec<u8>,
    },
    /// Version 2: a chunked AEAD stream follows.
    Stream {
        /// The cipher name, as given to `--cipher`.
        cipher: String,
        /// The plaintext bytes per chunk.
        chunk_size: u32,
    },
}

impl Header {
    /// The cipher name.
    pub fn cipher(&self) -> &str {
        match self {
            Header::OneMessage { cipher, .. } | Header::Stream { cipher, .. } => cipher,
        }
    }

    /// The header's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Failure> {
        let cipher = self.cipher();
        let name_len = u8::try_from(cipher.len())
            .map_err(|_| Failure::usage("cipher name too long for the file header"))?;
        let mut out = Vec::with_capacity(10 + cipher.len() + 255);
        out.extend_from_slice(MAGIC);
        match self {
            Header::OneMessage { iv, .. } => {
                let iv_len = u8::try_from(iv.len())
                    .map_err(|_| Failure::usage("IV too long for the file header"))?;
                out.push(VERSION_ONE_MESSAGE);
                out.push(name_len);
                out.extend_from_slice(cipher.as_bytes());
                out.push(iv_len);
                out.extend_from_slice(iv);
            }
            Header::Stream { chunk_size, .. } => {
                out.push(VERSION_STREAM);
                out.push(name_len);
                out.extend_from_slice(cipher.as_bytes());
                out.extend_from_slice(&chunk_size.to_be_bytes());
            }
        }
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
        if version != VERSION_ONE_MESSAGE && version != VERSION_STREAM {
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
        if version == VERSION_STREAM {
            let Some(size) = bytes.get(name_end..name_end + 4) else {
                return Ok(None);
            };
            let mut be = [0u8; 4];
            be.copy_from_slice(size);
            let chunk_size = u32::from_be_bytes(be);
            if chunk_size == 0 || chunk_size as usize > MAX_CHUNK_SIZE {
                return Err(malformed(&format!(
                    "chunk size {chunk_size} is not between 1 and {MAX_CHUNK_SIZE}"
                )));
            }
            return Ok(Some((Header::Stream { cipher, chunk_size }, name_end + 4)));
        }
        let Some(&iv_len) = bytes.get(name_end) else {
            return Ok(None);
        };
        let iv_end = name_end + 1 + usize::from(iv_len);
        let Some(iv) = bytes.get(name_end + 1..iv_end) else {
            return Ok(None);
        };
        Ok(Some((
            Header::OneMessage {
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

    fn check_round_trip(header: &Header, prefix: &[u8]) {
        let bytes = header.to_bytes().unwrap();
        assert_eq!(&bytes[..prefix.len()], prefix);
        for cut in 0..bytes.len() {
            assert_eq!(Header::parse(&bytes[..cut]).unwrap(), None, "cut at {cut}");
        }
        let mut with_data = bytes.clone();
        with_data.extend_from_slice(b"ciphertext");
        assert_eq!(
            Header::parse(&with_data).unwrap(),
            Some((header.clone(), bytes.len()))
        );
    }

    #[test]
    fn round_trip_and_incremental() {
        let one = Header::OneMessage {
            cipher: "aes-256-cbc".into(),
            iv: (0..16).collect(),
        };
        check_round_trip(&one, b"HZMT\x01\x0baes-256-cbc\x10\x00\x01");
        let stream = Header::Stream {
            cipher: "aes-256-gcm".into(),
            chunk_size: 65536,
        };
        check_round_trip(&stream, b"HZMT\x02\x0baes-256-gcm\x00\x01\x00\x00");
        assert_eq!(stream.to_bytes().unwrap().len(), 10 + 11);
        assert_eq!(stream.cipher(), "aes-256-gcm");
    }

    #[test]
    fn malformed_headers_are_errors() {
        assert!(Header::parse(b"HZMX").is_err());
        assert!(Header::parse(b"HZMT\x03").is_err());
        assert!(Header::parse(b"HZMT\x00").is_err());
        assert!(Header::parse(b"HZMT\x01\x03a b\x00").is_err());
        assert!(Header::parse(b"HZMT\x01\x00\x00").is_err());
        assert!(Header::parse(b"HZMT\x02\x00\x00\x00\x00\x01").is_err());
        assert!(Header::parse(b"\xff").is_err());
        // Chunk sizes outside 1 ..= 4 MiB.
        assert!(Header::parse(b"HZMT\x02\x01a\x00\x00\x00\x00").is_err());
        assert!(Header::parse(b"HZMT\x02\x01a\x00\x40\x00\x01").is_err());
        assert!(Header::parse(b"HZMT\x02\x01a\xff\xff\xff\xff").is_err());
        assert!(Header::parse(b"HZMT\x02\x01a\x00\x40\x00\x00")
            .unwrap()
            .is_some());
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
            for version in [1u8, 2] {
                let mut framed = b"HZMT".to_vec();
                framed.push(version);
                framed.extend_from_slice(&bytes);
                if let Ok(Some((header, n))) = Header::parse(&framed) {
                    assert_eq!(header.to_bytes().unwrap(), framed[..n]);
                }
            }
            let _ = Header::parse(&bytes);
        }
    }
}
