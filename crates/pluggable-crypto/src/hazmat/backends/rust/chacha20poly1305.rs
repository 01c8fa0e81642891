//! Streaming ChaCha20-Poly1305 (RFC 8439 section 2.8) for
//! [`Cipher`](crate::hazmat::primitives::ciphers::Cipher), from the `chacha20` and `poly1305`
//! crates (the `chacha20poly1305` crate is one-shot only):
//!
//! - the one-time Poly1305 key is the first 32 bytes of ChaCha20 block 0 (IETF variant, 32-bit
//!   block counter, 96-bit nonce);
//! - the data is encrypted with ChaCha20 from block counter 1;
//! - the tag is Poly1305 over `AAD ‖ pad16 ‖ ciphertext ‖ pad16 ‖ le64(len AAD) ‖
//!   le64(len ciphertext)`.
//!
//! AAD and data may arrive in pieces of any size: whole 16-byte blocks go to Poly1305 at once,
//! an incomplete one is buffered, so every split gives the same output and tag as the one-shot
//! construction.

use chacha20::ChaCha20;
use cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use poly1305::universal_hash::{KeyInit, UniversalHash};
use poly1305::{Block, Poly1305};
use zeroize::Zeroize;

use super::universal_hash::{verify_tag, PartialBlock, BLOCK_BYTES};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::check_output_len;

/// The tag size in bytes: a whole Poly1305 block.
const TAG_BYTES: usize = BLOCK_BYTES;

/// The ChaCha20 block size in bytes: data starts at block 1, after the Poly1305 key block.
const CHACHA_BLOCK_BYTES: u64 = 64;

/// The most data bytes one message may hold: blocks 1 to 2^32 - 1 of the keystream.
const MAX_DATA_BYTES: u64 = (1 << 38) - 64;

/// Where a message is: AAD only before the first data byte, nothing after the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Aad,
    Data,
    Finalized,
}

/// A streaming ChaCha20-Poly1305 encryption or decryption.
///
/// Like the GCM context: any chunking of AAD and data, decryption output released by
/// `update_into` before the tag is checked, the 16-byte tag after an encryption's
/// `finalize_into`, a constant-time comparison in `finalize_with_tag_into`. The keystream
/// state and the Poly1305 state wipe themselves on drop (the crates' `zeroize` features), the
/// partial block too (the buffer shared with GCM); the tag is wiped here.
pub(super) struct ChaCha20Poly1305Context {
    /// ChaCha20 positioned after the data processed so far.
    cipher: ChaCha20,
    /// Poly1305 over every complete block so far; taken when the tag is computed.
    mac: Option<Poly1305>,
    /// The incomplete Poly1305 block of the current phase (AAD, then ciphertext).
    partial: PartialBlock,
    aad_len: u64,
    data_len: u64,
    direction: Direction,
    phase: Phase,
    /// The tag of a finished encryption.
    tag: Option<[u8; TAG_BYTES]>,
}

/// The context factory for the registry: `iv` is the algorithm's 12-byte nonce.
pub(super) fn factory(
    key: &[u8],
    iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>> {
    let key = <&chacha20::Key>::try_from(key).map_err(|_| {
        Error::invalid(format!(
            "ChaCha20-Poly1305 needs a 32-byte key, got {} bytes",
            key.len()
        ))
    })?;
    let iv = iv.ok_or_else(|| Error::invalid("ChaCha20-Poly1305 needs a nonce"))?;
    let nonce = <&chacha20::Nonce>::try_from(iv).map_err(|_| {
        Error::invalid(format!(
            "ChaCha20-Poly1305 needs a 12-byte nonce, got {} bytes",
            iv.len()
        ))
    })?;
    let mut cipher = ChaCha20::new(key, nonce);
    let mut poly_key = poly1305::Key::default();
    let keyed = cipher
        .try_apply_keystream(&mut poly_key)
        .and_then(|()| cipher.try_seek(CHACHA_BLOCK_BYTES));
    let mac = Poly1305::new(&poly_key);
    poly_key.as_mut_slice().zeroize();
    keyed.map_err(|_| Error::Backend("ChaCha20 could not derive the Poly1305 key".into()))?;
    Ok(Box::new(ChaCha20Poly1305Context {
        cipher,
        mac: Some(mac),
        partial: PartialBlock::new(),
        aad_len: 0,
        data_len: 0,
        direction,
        phase: Phase::Aad,
        tag: None,
    }))
}

impl ChaCha20Poly1305Context {
    /// Feeds `bytes` of the current phase to Poly1305 (until the tag is computed).
    fn absorb(&mut self, bytes: &[u8]) {
        if let Some(mac) = self.mac.as_mut() {
            self.partial.absorb(mac, bytes);
        }
    }

    /// Ends the current phase's input: a buffered incomplete block is hashed zero-padded.
    /// (Once the tag is computed nothing is buffered: `absorb` no longer buffers.)
    fn flush_partial(&mut self) {
        if let Some(mac) = self.mac.as_mut() {
            self.partial.flush(mac);
        }
    }

    /// Ends the message: pads, hashes the length block and returns the tag. The context is
    /// finalized afterwards.
    fn compute_tag(&mut self) -> Result<[u8; TAG_BYTES]> {
        self.flush_partial();
        self.phase = Phase::Finalized;
        let mut mac = self.mac.take().ok_or(Error::AlreadyFinalized)?;
        let mut lengths = Block::default();
        lengths[..8].copy_from_slice(&self.aad_len.to_le_bytes());
        lengths[8..].copy_from_slice(&self.data_len.to_le_bytes());
        mac.update(core::slice::from_ref(&lengths));
        let mut tag = [0u8; TAG_BYTES];
        tag.copy_from_slice(&mac.finalize());
        Ok(tag)
    }
}

impl SymmetricContext for ChaCha20Poly1305Context {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.phase == Phase::Finalized {
            return Err(Error::AlreadyFinalized);
        }
        check_output_len(data.len(), out)?;
        if data.is_empty() {
            // As for GCM: an empty update is a no-op and does not close the AAD phase.
            return Ok(0);
        }
        let data_len = u64::try_from(data.len())
            .ok()
            .and_then(|n| self.data_len.checked_add(n))
            .filter(|&n| n <= MAX_DATA_BYTES)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "exceeded the maximum of {MAX_DATA_BYTES} data bytes for one \
                     ChaCha20-Poly1305 message"
                ))
            })?;
        let out = &mut out[..data.len()];
        self.cipher
            .try_apply_keystream_b2b(data, out)
            .map_err(|_| Error::invalid("ChaCha20 block counter exhausted for this message"))?;
        if self.phase == Phase::Aad {
            self.flush_partial();
            self.phase = Phase::Data;
        }
        match self.direction {
            Direction::Encrypt => self.absorb(out),
            Direction::Decrypt => self.absorb(data),
        }
        self.data_len = data_len;
        Ok(data.len())
    }

    fn authenticate_additional_data(&mut self, data: &[u8]) -> Result<()> {
        match self.phase {
            Phase::Finalized => return Err(Error::AlreadyFinalized),
            Phase::Data => return Err(Error::AlreadyUpdated),
            Phase::Aad => {}
        }
        let aad_len = u64::try_from(data.len())
            .ok()
            .and_then(|n| self.aad_len.checked_add(n))
            .ok_or_else(|| Error::invalid("too much additional authenticated data"))?;
        self.absorb(data);
        self.aad_len = aad_len;
        Ok(())
    }

    fn finalize_into(&mut self, _out: &mut [u8]) -> Result<usize> {
        if self.direction == Direction::Decrypt {
            return Err(Error::invalid(
                "authenticated decryption needs a tag to finalize",
            ));
        }
        if self.phase == Phase::Finalized {
            return Err(Error::AlreadyFinalized);
        }
        self.tag = Some(self.compute_tag()?);
        Ok(0)
    }

    fn finalize_with_tag_into(&mut self, tag: &[u8], _out: &mut [u8]) -> Result<usize> {
        if self.direction == Direction::Encrypt {
            return Err(Error::invalid(
                "finalize_with_tag is for authenticated decryption",
            ));
        }
        if tag.len() != TAG_BYTES {
            return Err(Error::invalid(format!(
                "ChaCha20-Poly1305 tags are {TAG_BYTES} bytes, got {}",
                crate::exceptions::Bytes(tag.len())
            )));
        }
        if self.phase == Phase::Finalized {
            return Err(Error::AlreadyFinalized);
        }
        verify_tag(self.compute_tag()?, tag)
    }

    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_ref().map(|t| &t[..])
    }
}

impl Drop for ChaCha20Poly1305Context {
    fn drop(&mut self) {
        // `partial` wipes itself in its own `Drop`.
        self.aad_len.zeroize();
        self.data_len.zeroize();
        if let Some(tag) = self.tag.as_mut() {
            tag.zeroize();
        }
    }
}
