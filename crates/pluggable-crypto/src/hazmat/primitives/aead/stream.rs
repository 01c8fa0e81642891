//! Streaming authenticated encryption of arbitrarily long messages in constant memory: the
//! message is cut into chunks, each sealed with a one-shot AEAD under the STREAM construction
//! (Hoang, Reyhanitabar, Rogaway and Vizár, "Online Authenticated-Encryption and its
//! Nonce-Reuse Misuse-Resistance", CRYPTO 2015), the design `age` and Tink use.
//!
//! Decryption releases a chunk only after its tag has been checked, and detects every
//! truncation (at a chunk boundary or inside one), reordering, duplication or removal of
//! chunks, and appended data.
//!
//! # Format (version 1)
//!
//! ```text
//! salt (32 bytes) ‖ chunk 0 ‖ chunk 1 ‖ … ‖ chunk n-1
//! ```
//!
//! - **Stream key**: HKDF-SHA256 (RFC 5869) with the caller's key as input keying material,
//!   `salt` as salt, and info = `"cryptography-rs STREAM v1" ‖ 0x00 ‖ algorithm name ‖ 0x00 ‖
//!   chunk size (u32, big-endian)`, as many bytes as the AEAD's key. The salt is random per
//!   stream, so one key can encrypt many streams without ever repeating a (stream key, nonce)
//!   pair.
//! - **Chunk i** (counting from 0) is the AEAD sealing (`ciphertext ‖ 16-byte tag`) of the i-th
//!   `chunk_size` bytes of plaintext, with the 12-byte nonce `0x000000 ‖ i (u64, big-endian) ‖
//!   last` where `last` is `0x01` for the final chunk and `0x00` otherwise, and with the
//!   caller's `header` as associated data (so a header carried beside the stream, e.g. a file
//!   header naming the cipher, is authenticated by every chunk).
//! - Every chunk but the last holds exactly `chunk_size` bytes of plaintext; the last holds 1 to
//!   `chunk_size` bytes, or 0 only when the whole message is empty (then it is chunk 0).
//!
//! The AEAD is AES-GCM, ChaCha20-Poly1305, AES-CCM (16-byte tags), AES-OCB3 or AES-GCM-SIV,
//! all with 12-byte nonces. AES-SIV is not offered: it is deterministic and meant for short
//! messages such as keys.
//!
//! ```
//! use pluggable_crypto::hazmat::backends::default_backend;
//! use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
//! use pluggable_crypto::hazmat::primitives::aead::stream::{StreamDecryptor, StreamEncryptor, StreamParams};
//! use std::io::{Read, Write};
//!
//! let params = StreamParams::new(AeadAlgorithm::ChaCha20Poly1305, 64 * 1024)?;
//! let key = [0x42; 32];
//! let mut enc = StreamEncryptor::new(Vec::new(), params, &key, b"header", default_backend())?;
//! enc.write_all(b"a long message, written in as many pieces as you like")?;
//! let sealed = enc.finish()?;
//!
//! let mut dec = StreamDecryptor::new(&sealed[..], params, &key, b"header", default_backend())?;
//! let mut plaintext = Vec::new();
//! dec.read_to_end(&mut plaintext)?;
//! assert_eq!(plaintext, b"a long message, written in as many pieces as you like");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Write};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{Keyed, Limits};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::Backend;
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::hashes::Sha256;
use crate::hazmat::primitives::kdf::hkdf::Hkdf;
use crate::random;

/// The length of the per-stream salt that starts every stream.
pub const SALT_BYTES: usize = 32;
/// The tag length of every chunk.
pub const TAG_BYTES: usize = 16;
/// The default plaintext chunk size, 64 KiB.
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;
/// The largest chunk size accepted, 4 MiB.
pub const MAX_CHUNK_SIZE: usize = 1 << 22;

const INFO_PREFIX: &[u8] = b"cryptography-rs STREAM v1";
const NO_LIMITS: Limits = Limits {
    data: u64::MAX,
    aad: u64::MAX,
};

/// The parameters of a stream: the AEAD and the plaintext chunk size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamParams {
    algorithm: AeadAlgorithm,
    chunk_size: usize,
}

impl StreamParams {
    /// `algorithm` (any one-shot AEAD but AES-SIV) with `chunk_size`-byte plaintext chunks (1
    /// to [`MAX_CHUNK_SIZE`]).
    pub fn new(algorithm: AeadAlgorithm, chunk_size: usize) -> Result<Self> {
        if algorithm == AeadAlgorithm::AesSiv {
            return Err(Error::invalid(
                "AES-SIV is not offered for streams: it is deterministic and meant for short \
                 messages; use AES-GCM-SIV for nonce-misuse resistance",
            ));
        }
        if !AeadAlgorithm::ALL.contains(&algorithm) {
            return Err(Error::invalid(format!(
                "{} is not offered for streams",
                algorithm.name()
            )));
        }
        if !(1..=MAX_CHUNK_SIZE).contains(&chunk_size) {
            return Err(Error::invalid(format!(
                "the chunk size must be between 1 and {MAX_CHUNK_SIZE} bytes, got {chunk_size} bytes"
            )));
        }
        Ok(StreamParams {
            algorithm,
            chunk_size,
        })
    }

    /// The AEAD.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    /// The plaintext bytes per chunk.
    pub fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// The bytes of one full sealed chunk.
    pub fn sealed_chunk_size(&self) -> usize {
        self.chunk_size + TAG_BYTES
    }

    /// The exact length of the stream that encrypts `plaintext_len` bytes.
    pub fn stream_len(&self, plaintext_len: u64) -> u64 {
        let chunks = plaintext_len.div_ceil(self.chunk_size as u64).max(1);
        SALT_BYTES as u64 + plaintext_len + chunks * TAG_BYTES as u64
    }
}

/// The keyed AEAD of one stream: HKDF-SHA256 from the caller's key and the stream's salt.
fn stream_key(
    params: StreamParams,
    key: &[u8],
    salt: &[u8; SALT_BYTES],
    backend: &Arc<dyn Backend>,
) -> Result<Keyed> {
    let algorithm = params.algorithm;
    if !algorithm.key_sizes().contains(&key.len()) {
        return Err(Error::invalid(format!(
            "{} stream keys must be {} bytes, got {} bytes",
            algorithm.name(),
            super::list_of(algorithm.key_sizes()),
            key.len()
        )));
    }
    let chunk_size = u32::try_from(params.chunk_size)
        .map_err(|_| Error::invalid("the chunk size does not fit in 32 bits"))?;
    let mut info = Vec::with_capacity(INFO_PREFIX.len() + algorithm.name().len() + 6);
    info.extend_from_slice(INFO_PREFIX);
    info.push(0);
    info.extend_from_slice(algorithm.name().as_bytes());
    info.push(0);
    info.extend_from_slice(&chunk_size.to_be_bytes());
    let stream_key =
        Hkdf::with_backend(Sha256, key.len(), Some(salt), Some(&info), backend.clone())?
            .derive(key)?;
    Keyed::new(algorithm, &stream_key, TAG_BYTES, &**backend)
}

/// The nonce of chunk `counter`.
fn chunk_nonce(counter: u64, last: bool) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&counter.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce
}

fn io_error(error: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// Encrypts a stream into a writer, in constant memory.
///
/// Write the plaintext with [`update`](Self::update) or [`std::io::Write`], then call
/// [`finish`](Self::finish): without it the stream has no last chunk and will not decrypt
/// (dropping an unfinished encryptor writes nothing more).
pub struct StreamEncryptor<W: Write> {
    writer: W,
    key: Keyed,
    params: StreamParams,
    header: Vec<u8>,
    counter: u64,
    /// The plaintext of the chunk being filled (sealed only once more data or `finish` comes,
    /// so that the final chunk is always the one marked last).
    buffer: Zeroizing<Vec<u8>>,
    sealed: Vec<u8>,
}

impl<W: Write> std::fmt::Debug for StreamEncryptor<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamEncryptor")
            .field("params", &self.params)
            .field("chunks_written", &self.counter)
            .finish_non_exhaustive()
    }
}

impl<W: Write> StreamEncryptor<W> {
    /// Starts a stream into `writer` with a fresh random salt (written at once), under `key`
    /// (the AEAD's key size), authenticating `header` with every chunk.
    pub fn new(
        writer: W,
        params: StreamParams,
        key: &[u8],
        header: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let mut salt = [0u8; SALT_BYTES];
        random::fill(&mut salt)?;
        Self::with_salt(writer, params, key, header, &salt, backend)
    }

    /// As [`new`](Self::new) with a caller-chosen salt, for reproducible output (tests,
    /// known-answer vectors). A salt must never be used twice with the same key.
    pub fn with_salt(
        mut writer: W,
        params: StreamParams,
        key: &[u8],
        header: &[u8],
        salt: &[u8; SALT_BYTES],
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let key = stream_key(params, key, salt, &backend)?;
        writer.write_all(salt).map_err(write_error)?;
        Ok(StreamEncryptor {
            writer,
            key,
            params,
            header: header.to_vec(),
            counter: 0,
            buffer: Zeroizing::new(Vec::with_capacity(params.chunk_size)),
            sealed: vec![0; params.sealed_chunk_size()],
        })
    }

    /// Encrypts `data` (any amount); full chunks are written as they complete.
    pub fn update(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            if self.buffer.len() == self.params.chunk_size {
                // More data follows a full chunk, so that chunk is not the last.
                self.seal(false)?;
            }
            let room = self.params.chunk_size - self.buffer.len();
            let (now, rest) = data.split_at(room.min(data.len()));
            self.buffer.extend_from_slice(now);
            data = rest;
        }
        Ok(())
    }

    /// Seals the buffered plaintext as the last chunk, flushes, and returns the writer.
    pub fn finish(mut self) -> Result<W> {
        self.seal(true)?;
        self.writer.flush().map_err(write_error)?;
        Ok(self.writer)
    }

    fn seal(&mut self, last: bool) -> Result<()> {
        let nonce = chunk_nonce(self.counter, last);
        let len = self.buffer.len() + TAG_BYTES;
        self.key.encrypt_into(
            &nonce,
            &self.buffer,
            &[&self.header],
            NO_LIMITS,
            &mut self.sealed[..len],
        )?;
        self.writer
            .write_all(&self.sealed[..len])
            .map_err(write_error)?;
        self.buffer.clear();
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| Error::invalid("the stream has reached its limit of 2^64 chunks"))?;
        Ok(())
    }
}

fn write_error(e: io::Error) -> Error {
    Error::invalid(format!("writing the stream failed: {e}"))
}

impl<W: Write> Write for StreamEncryptor<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf).map_err(io_error)?;
        Ok(buf.len())
    }

    /// Flushes the underlying writer (a partial chunk stays buffered until it fills or the
    /// stream finishes).
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Decrypts a stream from a reader, in constant memory, releasing each chunk only after it
/// authenticates.
///
/// [`next_chunk`](Self::next_chunk) returns authenticated plaintext chunk by chunk;
/// [`std::io::Read`] serves the same bytes. Any failure (a forged, reordered, truncated or
/// extended stream, a wrong key or header) is [`Error::InvalidTag`] (as an
/// `io::ErrorKind::InvalidData` error through `Read`), after which the decryptor yields
/// nothing more. A reader reaching end of stream without error has seen the whole message.
pub struct StreamDecryptor<R: Read> {
    reader: R,
    key: Keyed,
    params: StreamParams,
    header: Vec<u8>,
    counter: u64,
    /// The sealed chunk being read, plus one byte of look-ahead.
    sealed: Vec<u8>,
    /// Bytes of `sealed` already holding input (look-ahead carried from the last read).
    carried: usize,
    plaintext: Zeroizing<Vec<u8>>,
    /// The length of the current chunk in `plaintext`, and how much of it `Read` has served.
    current_len: usize,
    position: usize,
    state: DecryptState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecryptState {
    Reading,
    Done,
    Failed,
}

impl<R: Read> std::fmt::Debug for StreamDecryptor<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamDecryptor")
            .field("params", &self.params)
            .field("chunks_read", &self.counter)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Reads until `buf` is full or the reader ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::invalid(format!("reading the stream failed: {e}"))),
        }
    }
    Ok(filled)
}

impl<R: Read> StreamDecryptor<R> {
    /// Starts decrypting the stream in `reader` (its salt is read at once) under `key`,
    /// expecting `header` as the associated data of every chunk.
    pub fn new(
        mut reader: R,
        params: StreamParams,
        key: &[u8],
        header: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let mut salt = [0u8; SALT_BYTES];
        if read_full(&mut reader, &mut salt)? < SALT_BYTES {
            return Err(Error::InvalidTag);
        }
        let key = stream_key(params, key, &salt, &backend)?;
        Ok(StreamDecryptor {
            reader,
            key,
            params,
            header: header.to_vec(),
            counter: 0,
            sealed: vec![0; params.sealed_chunk_size() + 1],
            carried: 0,
            plaintext: Zeroizing::new(vec![0; params.chunk_size]),
            current_len: 0,
            position: 0,
            state: DecryptState::Reading,
        })
    }

    /// The next authenticated plaintext chunk; `Ok(None)` after the last one.
    pub fn next_chunk(&mut self) -> Result<Option<&[u8]>> {
        match self.state {
            DecryptState::Done => return Ok(None),
            DecryptState::Failed => return Err(Error::InvalidTag),
            DecryptState::Reading => {}
        }
        match self.open_next() {
            Ok(len) => {
                // A caller of `next_chunk` consumes the whole chunk; `Read` starts it afresh.
                self.current_len = len;
                self.position = len;
                Ok(Some(&self.plaintext[..len]))
            }
            Err(e) => {
                self.state = DecryptState::Failed;
                Err(e)
            }
        }
    }

    /// Reads and opens the next chunk into `plaintext`; returns its length.
    fn open_next(&mut self) -> Result<usize> {
        let full = self.params.sealed_chunk_size();
        let read = read_full(&mut self.reader, &mut self.sealed[self.carried..])?;
        let available = self.carried + read;
        // A full chunk followed by at least one more byte is not the last chunk; anything
        // shorter than full-plus-one is the last.
        let (len, last) = if available > full {
            (full, false)
        } else {
            (available, true)
        };
        if len < TAG_BYTES {
            return Err(Error::InvalidTag);
        }
        let plaintext_len = len - TAG_BYTES;
        // The encoder never writes an empty last chunk after a full one.
        if last && plaintext_len == 0 && self.counter != 0 {
            return Err(Error::InvalidTag);
        }
        let nonce = chunk_nonce(self.counter, last);
        self.key.decrypt_into(
            &nonce,
            &self.sealed[..len],
            &[&self.header],
            NO_LIMITS,
            &mut self.plaintext[..plaintext_len],
        )?;
        if last {
            self.state = DecryptState::Done;
            self.carried = 0;
        } else {
            // Carry the look-ahead byte to the front for the next chunk.
            self.sealed[0] = self.sealed[full];
            self.carried = 1;
        }
        self.counter = self.counter.checked_add(1).ok_or(Error::InvalidTag)?;
        Ok(plaintext_len)
    }
}

impl<R: Read> Read for StreamDecryptor<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.position < self.current_len {
                let n = buf.len().min(self.current_len - self.position);
                buf[..n].copy_from_slice(&self.plaintext[self.position..self.position + n]);
                self.position += n;
                return Ok(n);
            }
            match self.next_chunk().map_err(io_error)? {
                None => return Ok(0),
                Some(_) => self.position = 0,
            }
        }
    }
}
