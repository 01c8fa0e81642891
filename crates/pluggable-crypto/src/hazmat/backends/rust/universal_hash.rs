//! What this backend's users of a universal hash (GHASH, Poly1305) do alike: feed it 16-byte
//! blocks from pieces of any size ([`PartialBlock`]), and check the tag in constant time
//! ([`verify_tag`]).
//!
//! The two streaming AEADs (GCM, ChaCha20-Poly1305) authenticate `AAD ‖ pad16 ‖ ciphertext ‖
//! pad16 ‖ lengths`; the rest stays with each construction: its keystream, how it encodes the
//! lengths (bits big-endian for GCM, bytes little-endian for ChaCha20-Poly1305), how it turns
//! the hash into the tag, and which tag lengths it accepts. The raw Poly1305 MAC finishes its
//! last block unpadded ([`PartialBlock::pending`]).

// The `universal-hash` traits, as `poly1305` re-exports them (`ghash` implements the same).
use poly1305::universal_hash::array::Array;
use poly1305::universal_hash::consts::U16;
use poly1305::universal_hash::UniversalHash;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::exceptions::{Error, Result};

/// The block size of both universal hashes, and the full tag size of both AEADs, in bytes.
pub(super) const BLOCK_BYTES: usize = 16;

/// The incomplete block of a universal hash's input (of the current part: AAD, then ciphertext,
/// for the AEADs): whole blocks go to the hash at once, the rest waits here for the next piece.
///
/// Any split of the input then gives the hash of the whole. Wiped when hashed and on drop.
#[derive(Clone)]
pub(super) struct PartialBlock {
    bytes: Array<u8, U16>,
    /// How many of `bytes` are filled (0..16).
    len: usize,
}

impl PartialBlock {
    /// An empty buffer.
    pub(super) fn new() -> Self {
        PartialBlock {
            bytes: Array::default(),
            len: 0,
        }
    }

    /// Feeds `input` of the current part to `hash`: completes the buffered block first, hashes
    /// whole blocks in bulk, buffers the rest.
    pub(super) fn absorb<H: UniversalHash<BlockSize = U16>>(
        &mut self,
        hash: &mut H,
        mut input: &[u8],
    ) {
        if self.len > 0 {
            let take = (BLOCK_BYTES - self.len).min(input.len());
            let (head, rest) = input.split_at(take);
            self.bytes[self.len..self.len + take].copy_from_slice(head);
            self.len += take;
            input = rest;
            if self.len < BLOCK_BYTES {
                return;
            }
            hash.update(core::slice::from_ref(&self.bytes));
            self.len = 0;
        }
        let (blocks, tail) = Array::<u8, U16>::slice_as_chunks(input);
        hash.update(blocks);
        self.bytes[..tail.len()].copy_from_slice(tail);
        self.len = tail.len();
    }

    /// The buffered bytes, not hashed yet (a MAC that finishes them unpadded takes them here).
    pub(super) fn pending(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Ends the current part: a buffered incomplete block is hashed zero-padded (the `pad16` of
    /// both constructions) and wiped.
    pub(super) fn flush<H: UniversalHash<BlockSize = U16>>(&mut self, hash: &mut H) {
        if self.len > 0 {
            self.bytes[self.len..].fill(0);
            hash.update(core::slice::from_ref(&self.bytes));
            self.bytes.as_mut_slice().zeroize();
            self.len = 0;
        }
    }
}

impl Drop for PartialBlock {
    fn drop(&mut self) {
        self.bytes.as_mut_slice().zeroize();
        self.len.zeroize();
    }
}

/// Checks a decryption's `tag` against the `expected` full tag, which is wiped afterwards: in
/// constant time, over the first `tag.len()` bytes. The construction has checked the length
/// (GCM: 1 to 16 bytes, ChaCha20-Poly1305: 16); any other is refused here too.
pub(super) fn verify_tag(mut expected: [u8; BLOCK_BYTES], tag: &[u8]) -> Result<usize> {
    let ok = match expected.get(..tag.len()) {
        Some(prefix) if !tag.is_empty() => bool::from(prefix.ct_eq(tag)),
        _ => false,
    };
    expected.zeroize();
    if ok {
        Ok(0)
    } else {
        Err(Error::InvalidTag)
    }
}

#[cfg(test)]
mod tests {
    use poly1305::universal_hash::KeyInit;
    use poly1305::{Key, Poly1305};

    use super::*;

    /// Any split of the input, with an incomplete block between parts, hashes like the input
    /// zero-padded to whole blocks in one piece.
    #[test]
    fn any_split_hashes_like_the_padded_whole() {
        let key = Key::from([3u8; 32]);
        let input: Vec<u8> = (0..70u8).collect();
        let mut expected = Poly1305::new(&key);
        expected.update_padded(&input[..20]);
        expected.update_padded(&input[20..]);
        let expected = expected.finalize();
        for pieces in [
            &[20, 50][..],
            &[1, 2, 3, 14, 50],
            &[0, 20, 0, 16, 17, 17],
            &[20, 1, 1, 1, 47],
        ] {
            let mut hash = Poly1305::new(&key);
            let mut partial = PartialBlock::new();
            let mut at = 0;
            for &n in pieces {
                partial.absorb(&mut hash, &input[at..at + n]);
                at += n;
                // The AAD part ends after 20 bytes.
                if at == 20 {
                    partial.flush(&mut hash);
                }
            }
            partial.flush(&mut hash);
            assert_eq!(hash.finalize(), expected, "{pieces:?}");
        }
    }

    #[test]
    fn verify_tag_compares_a_prefix_and_refuses_other_lengths() {
        let tag = [0xa5u8; BLOCK_BYTES];
        let mut other = tag;
        other[15] ^= 1;
        assert_eq!(verify_tag(tag, &tag), Ok(0));
        assert_eq!(verify_tag(tag, &tag[..4]), Ok(0));
        assert_eq!(verify_tag(tag, &other), Err(Error::InvalidTag));
        assert_eq!(verify_tag(tag, &other[..15]), Ok(0));
        assert_eq!(verify_tag(tag, &[]), Err(Error::InvalidTag));
        assert_eq!(verify_tag(tag, &[0xa5; 17]), Err(Error::InvalidTag));
    }
}
