//! Streaming AES-GCM from AES-CTR and GHASH (the crates' AEADs are one-shot only).
//!
//! Galois/Counter Mode as specified in NIST SP 800-38D:
//!
//! - `H = E(K, 0^128)`;
//! - `J0 = IV || 0^31 || 1` for a 96-bit IV, else `J0 = GHASH_H(IV || 0^s || 0^64 || [len(IV)]_64)`;
//! - the data is encrypted with CTR mode starting at `inc32(J0)`, where `inc32` increments the
//!   low 32 bits of the block modulo 2^32 (big-endian) and leaves the rest alone;
//! - `T = GHASH_H(A || 0^u || C || 0^v || [len(A)]_64 || [len(C)]_64) XOR E(K, J0)`.
//!
//! [`GcmContext`] runs this incrementally: AAD and data may arrive in pieces of any size. Whole
//! blocks go to GHASH and CTR in bulk; only an incomplete GHASH block is buffered (the CTR
//! wrapper keeps its own keystream position inside a block).

use cipher::consts::U16;
use cipher::{
    Array, BlockCipherEncrypt, BlockSizeUser, InnerIvInit, KeyInit, StreamCipher,
    StreamCipherCoreWrapper,
};
use ctr::CtrCore;
use ghash::universal_hash::UniversalHash;
use ghash::GHash;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::universal_hash::{verify_tag, PartialBlock, BLOCK_BYTES};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::check_output_len;

/// The most data bytes one message may hold (SP 800-38D: 2^39 - 256 bits), as OpenSSL enforces.
const MAX_DATA_BYTES: u64 = (1 << 36) - 32;

/// The most additional authenticated bytes one message may hold (SP 800-38D: 2^64 - 1 bits).
const MAX_AAD_BYTES: u64 = (1 << 61) - 1;

/// One 128-bit block, as the cipher and GHASH crates take it.
type Block = Array<u8, U16>;

/// CTR mode with a 32-bit big-endian counter in the last four bytes: GCM's `inc32`.
type Ctr32<C> = StreamCipherCoreWrapper<CtrCore<C, ctr::flavors::Ctr32BE>>;

/// Where a message is: AAD may only come before the first data byte, nothing after the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Taking additional authenticated data (no data byte processed yet).
    Aad,
    /// Data has been processed; AAD is closed.
    Data,
    /// The tag has been produced or checked; the context takes no more calls.
    Finalized,
}

/// A streaming GCM encryption or decryption over a 128-bit block cipher `C` (AES).
///
/// Behaves at the [`SymmetricContext`] level like the OpenSSL backend's GCM context: any
/// chunking of AAD and data, decryption output released by `update_into` before the tag is
/// checked, a 16-byte tag after an encryption's `finalize_into`, and a constant-time comparison
/// of 1 to 16 leading tag bytes in `finalize_with_tag_into`. Key material, `H`, `E(K, J0)` and
/// the partial-block buffer are wiped on drop.
pub(crate) struct GcmContext<C>
where
    C: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + 'static,
{
    /// The CTR keystream, positioned after the data processed so far (owns the key schedule).
    ctr: Ctr32<C>,
    /// GHASH keyed with `H`, over every complete block absorbed so far.
    ghash: GHash,
    /// `E(K, J0)`, XORed onto the GHASH result to form the tag.
    tag_mask: Block,
    /// The incomplete GHASH block of the current phase (AAD, then ciphertext).
    partial: PartialBlock,
    /// Additional authenticated bytes so far.
    aad_len: u64,
    /// Data bytes so far.
    data_len: u64,
    /// Encrypting or decrypting.
    direction: Direction,
    /// Where the message is.
    phase: Phase,
    /// The full tag of a finished encryption.
    tag: Option<[u8; BLOCK_BYTES]>,
}

impl<C> GcmContext<C>
where
    C: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + 'static,
{
    /// A context keyed with `key` (exactly `C`'s key length, else `Error::InvalidArgument`) for
    /// the nonce `iv` (at least one byte; the primitives layer allows 8 to 128).
    pub(crate) fn new(key: &[u8], iv: &[u8], direction: Direction) -> Result<Self> {
        if iv.is_empty() {
            return Err(Error::invalid("GCM needs an IV of at least 1 byte, got 0"));
        }
        let iv_bits = u64::try_from(iv.len())
            .ok()
            .and_then(|n| n.checked_mul(8))
            .ok_or_else(|| Error::invalid("GCM IV is too long"))?;
        let cipher = C::new_from_slice(key).map_err(|_| {
            Error::invalid(format!(
                "GCM expects a {}-byte key for this cipher, got {} bytes",
                C::key_size(),
                key.len()
            ))
        })?;

        let mut h = Block::default();
        cipher.encrypt_block(&mut h);
        let ghash = GHash::new(&h);
        h.as_mut_slice().zeroize();

        let mut j0 = Block::default();
        if iv.len() == 12 {
            j0[..12].copy_from_slice(iv);
            j0[15] = 1;
        } else {
            let mut iv_hash = ghash.clone();
            iv_hash.update_padded(iv);
            let mut len_block = Block::default();
            len_block[8..].copy_from_slice(&iv_bits.to_be_bytes());
            iv_hash.update(core::slice::from_ref(&len_block));
            j0 = iv_hash.finalize();
        }
        Ok(Self::from_j0(cipher, ghash, j0, direction))
    }

    /// Builds the context from the keyed cipher, keyed GHASH and pre-counter block `J0`
    /// (consumed and wiped).
    fn from_j0(cipher: C, ghash: GHash, mut j0: Block, direction: Direction) -> Self {
        let mut tag_mask = j0;
        cipher.encrypt_block(&mut tag_mask);
        inc32(&mut j0);
        let ctr = StreamCipherCoreWrapper::from_core(CtrCore::inner_iv_init(cipher, &j0));
        j0.as_mut_slice().zeroize();
        GcmContext {
            ctr,
            ghash,
            tag_mask,
            partial: PartialBlock::new(),
            aad_len: 0,
            data_len: 0,
            direction,
            phase: Phase::Aad,
            tag: None,
        }
    }

    /// Ends the message: hashes the padding and the length block and returns the full tag.
    /// The context is finalized afterwards.
    fn compute_tag(&mut self) -> [u8; BLOCK_BYTES] {
        self.partial.flush(&mut self.ghash);
        self.phase = Phase::Finalized;
        let mut len_block = Block::default();
        // Both fit: aad_len < 2^61 and data_len < 2^36, so the bit counts stay below 2^64.
        len_block[..8].copy_from_slice(&(self.aad_len << 3).to_be_bytes());
        len_block[8..].copy_from_slice(&(self.data_len << 3).to_be_bytes());
        self.ghash.update(core::slice::from_ref(&len_block));
        let mut s = self.ghash.clone().finalize();
        let mut tag = [0u8; BLOCK_BYTES];
        for ((t, a), b) in tag.iter_mut().zip(s.iter()).zip(self.tag_mask.iter()) {
            *t = a ^ b;
        }
        s.as_mut_slice().zeroize();
        tag
    }
}

/// Increments the low 32 bits of `block` as a big-endian integer modulo 2^32 (SP 800-38D
/// `inc32`).
fn inc32(block: &mut Block) {
    let mut low = [0u8; 4];
    low.copy_from_slice(&block[12..]);
    let next = u32::from_be_bytes(low).wrapping_add(1);
    block[12..].copy_from_slice(&next.to_be_bytes());
}

impl<C> SymmetricContext for GcmContext<C>
where
    C: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + 'static,
{
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.phase == Phase::Finalized {
            return Err(Error::AlreadyFinalized);
        }
        check_output_len(data.len(), out)?;
        if data.is_empty() {
            // Like OpenSSL: an empty update is a no-op and does not close the AAD phase.
            return Ok(0);
        }
        let data_len = u64::try_from(data.len())
            .ok()
            .and_then(|n| self.data_len.checked_add(n))
            .filter(|&n| n <= MAX_DATA_BYTES)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "exceeded the maximum of {MAX_DATA_BYTES} data bytes for one GCM message"
                ))
            })?;
        let out = &mut out[..data.len()];
        // Checks the keystream is long enough before touching `out`; cannot fail below
        // MAX_DATA_BYTES (2^32 - 2 blocks after inc32(J0)), mapped to an error regardless.
        self.ctr
            .try_apply_keystream_b2b(data, out)
            .map_err(|_| Error::invalid("GCM counter space exhausted for this message"))?;
        if self.phase == Phase::Aad {
            self.partial.flush(&mut self.ghash);
            self.phase = Phase::Data;
        }
        let ciphertext = match self.direction {
            Direction::Encrypt => &*out,
            Direction::Decrypt => data,
        };
        self.partial.absorb(&mut self.ghash, ciphertext);
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
            .filter(|&n| n <= MAX_AAD_BYTES)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "exceeded the maximum of {MAX_AAD_BYTES} additional authenticated bytes \
                     for one GCM message"
                ))
            })?;
        self.partial.absorb(&mut self.ghash, data);
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
        self.tag = Some(self.compute_tag());
        Ok(0)
    }

    fn finalize_with_tag_into(&mut self, tag: &[u8], _out: &mut [u8]) -> Result<usize> {
        if self.direction == Direction::Encrypt {
            return Err(Error::invalid(
                "finalize_with_tag is for authenticated decryption",
            ));
        }
        if tag.is_empty() || tag.len() > BLOCK_BYTES {
            return Err(Error::invalid(format!(
                "tag must be 1 to {BLOCK_BYTES} bytes, got {}",
                crate::exceptions::Bytes(tag.len())
            )));
        }
        if self.phase == Phase::Finalized {
            return Err(Error::AlreadyFinalized);
        }
        verify_tag(self.compute_tag(), tag)
    }

    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_ref().map(|t| &t[..])
    }
}

impl<C> Drop for GcmContext<C>
where
    C: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + 'static,
{
    fn drop(&mut self) {
        // `ctr` (key schedule, counter, keystream buffer) and `ghash` (H, state) wipe themselves
        // with the crates' `zeroize` features, `partial` in its own `Drop`.
        self.tag_mask.as_mut_slice().zeroize();
        self.aad_len.zeroize();
        self.data_len.zeroize();
        if let Some(tag) = self.tag.as_mut() {
            tag.zeroize();
        }
    }
}

/// Everything a context holds is wiped on drop when the block cipher wipes its key schedule.
impl<C> ZeroizeOnDrop for GcmContext<C> where
    C: BlockCipherEncrypt
        + BlockSizeUser<BlockSize = U16>
        + KeyInit
        + Send
        + 'static
        + ZeroizeOnDrop
{
}

#[cfg(test)]
mod tests {
    use aes::{Aes128, Aes192, Aes256};

    use super::*;

    /// Builds one of our contexts for an AES key of 16, 24 or 32 bytes.
    fn ours(key: &[u8], iv: &[u8], direction: Direction) -> Box<dyn SymmetricContext> {
        match key.len() {
            16 => Box::new(GcmContext::<Aes128>::new(key, iv, direction).unwrap()),
            24 => Box::new(GcmContext::<Aes192>::new(key, iv, direction).unwrap()),
            32 => Box::new(GcmContext::<Aes256>::new(key, iv, direction).unwrap()),
            n => panic!("no AES with a {n}-byte key"),
        }
    }

    /// Feeds `aad` in `aad_chunks` pieces and `data` in `data_chunks` pieces (lengths), returning
    /// the output of all updates.
    fn run(
        ctx: &mut dyn SymmetricContext,
        aad: &[u8],
        aad_chunks: &[usize],
        data: &[u8],
        data_chunks: &[usize],
    ) -> Vec<u8> {
        let mut pos = 0;
        for &n in aad_chunks {
            ctx.authenticate_additional_data(&aad[pos..pos + n])
                .unwrap();
            pos += n;
        }
        assert_eq!(pos, aad.len());
        let mut out = vec![0u8; data.len()];
        let mut pos = 0;
        for &n in data_chunks {
            let written = ctx
                .update_into(&data[pos..pos + n], &mut out[pos..])
                .unwrap();
            assert_eq!(written, n);
            pos += n;
        }
        assert_eq!(pos, data.len());
        out
    }

    /// Encrypts in one AAD call and one update; returns ciphertext and tag.
    fn seal(key: &[u8], iv: &[u8], aad: &[u8], pt: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut ctx = ours(key, iv, Direction::Encrypt);
        let ct = run(&mut *ctx, aad, &[aad.len()], pt, &[pt.len()]);
        assert_eq!(ctx.tag(), None);
        assert_eq!(ctx.finalize_into(&mut []).unwrap(), 0);
        (ct, ctx.tag().unwrap().to_vec())
    }

    /// Decrypts in one AAD call and one update and checks `tag`.
    fn open(key: &[u8], iv: &[u8], aad: &[u8], ct: &[u8], tag: &[u8]) -> Result<Vec<u8>> {
        let mut ctx = ours(key, iv, Direction::Decrypt);
        let pt = run(&mut *ctx, aad, &[aad.len()], ct, &[ct.len()]);
        ctx.finalize_with_tag_into(tag, &mut [])?;
        assert_eq!(ctx.tag(), None);
        Ok(pt)
    }

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // Shared values of the spec test cases.
    const K3: &str = "feffe9928665731c6d6a8f9467308308";
    const P3: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                      1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    const A4: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const IV3: &str = "cafebabefacedbaddecaf888";
    const IV5: &str = "cafebabefacedbad";
    const IV6: &str = "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728\
                       c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b";

    /// One spec test case: (key, IV, AAD, plaintext, ciphertext, tag), all hex.
    type Case = (
        String,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );

    /// Test cases 1-18 of D. McGrew and J. Viega, "The Galois/Counter Mode of Operation (GCM)"
    /// (revised submission to NIST, 2005), Appendix B: 1-6 AES-128, 7-12 AES-192, 13-18
    /// AES-256; cases 5/11/17 use an 8-byte IV and 6/12/18 a 60-byte IV.
    fn spec_cases() -> Vec<(u32, Case)> {
        let p4 = &P3[..120];
        let k = |n: usize| K3.repeat(2)[..n * 2].to_owned();
        let z = |n: usize| "00".repeat(n);
        let zero_iv = "000000000000000000000000";
        let zero_block = "00000000000000000000000000000000";
        vec![
            (
                1,
                (
                    z(16),
                    zero_iv,
                    "",
                    "",
                    "",
                    "58e2fccefa7e3061367f1d57a4e7455a",
                ),
            ),
            (
                2,
                (
                    z(16),
                    zero_iv,
                    "",
                    zero_block,
                    "0388dace60b6a392f328c2b971b2fe78",
                    "ab6e47d42cec13bdf53a67b21257bddf",
                ),
            ),
            (
                3,
                (
                    k(16),
                    IV3,
                    "",
                    P3,
                    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
                     21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                    "4d5c2af327cd64a62cf35abd2ba6fab4",
                ),
            ),
            (
                4,
                (
                    k(16),
                    IV3,
                    A4,
                    p4,
                    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
                     21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                    "5bc94fbc3221a5db94fae95ae7121a47",
                ),
            ),
            (
                5,
                (
                    k(16),
                    IV5,
                    A4,
                    p4,
                    "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423\
                     73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
                    "3612d2e79e3b0785561be14aaca2fccb",
                ),
            ),
            (
                6,
                (
                    k(16),
                    IV6,
                    A4,
                    p4,
                    "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7\
                     01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
                    "619cc5aefffe0bfa462af43c1699d050",
                ),
            ),
            (
                7,
                (
                    z(24),
                    zero_iv,
                    "",
                    "",
                    "",
                    "cd33b28ac773f74ba00ed1f312572435",
                ),
            ),
            (
                8,
                (
                    z(24),
                    zero_iv,
                    "",
                    zero_block,
                    "98e7247c07f0fe411c267e4384b0f600",
                    "2ff58d80033927ab8ef4d4587514f0fb",
                ),
            ),
            (
                9,
                (
                    k(24),
                    IV3,
                    "",
                    P3,
                    "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c\
                     7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
                    "9924a7c8587336bfb118024db8674a14",
                ),
            ),
            (
                10,
                (
                    k(24),
                    IV3,
                    A4,
                    p4,
                    "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c\
                     7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
                    "2519498e80f1478f37ba55bd6d27618c",
                ),
            ),
            (
                11,
                (
                    k(24),
                    IV5,
                    A4,
                    p4,
                    "0f10f599ae14a154ed24b36e25324db8c566632ef2bbb34f8347280fc4507057\
                     fddc29df9a471f75c66541d4d4dad1c9e93a19a58e8b473fa0f062f7",
                    "65dcc57fcf623a24094fcca40d3533f8",
                ),
            ),
            (
                12,
                (
                    k(24),
                    IV6,
                    A4,
                    p4,
                    "d27e88681ce3243c4830165a8fdcf9ff1de9a1d8e6b447ef6ef7b79828666e45\
                     81e79012af34ddd9e2f037589b292db3e67c036745fa22e7e9b7373b",
                    "dcf566ff291c25bbb8568fc3d376a6d9",
                ),
            ),
            (
                13,
                (
                    z(32),
                    zero_iv,
                    "",
                    "",
                    "",
                    "530f8afbc74536b9a963b4f1c4cb738b",
                ),
            ),
            (
                14,
                (
                    z(32),
                    zero_iv,
                    "",
                    zero_block,
                    "cea7403d4d606b6e074ec5d3baf39d18",
                    "d0d1c8a799996bf0265b98b5d48ab919",
                ),
            ),
            (
                15,
                (
                    k(32),
                    IV3,
                    "",
                    P3,
                    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                     8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
                    "b094dac5d93471bdec1a502270e3cc6c",
                ),
            ),
            (
                16,
                (
                    k(32),
                    IV3,
                    A4,
                    p4,
                    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                     8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                    "76fc6ece0f4e1768cddf8853bb2d551b",
                ),
            ),
            (
                17,
                (
                    k(32),
                    IV5,
                    A4,
                    p4,
                    "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0\
                     feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
                    "3a337dbf46a792c45e454913fe2ea8f2",
                ),
            ),
            (
                18,
                (
                    k(32),
                    IV6,
                    A4,
                    p4,
                    "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4\
                     0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
                    "a44a8266ee1c8eb0c8b5d4cf5ae9f19a",
                ),
            ),
        ]
    }

    #[test]
    fn gcm_spec_test_cases() {
        for (n, (key, iv, aad, pt, ct, tag)) in spec_cases() {
            let (key, iv, aad, pt, ct, tag) = (h(&key), h(iv), h(aad), h(pt), h(ct), h(tag));
            let (got_ct, got_tag) = seal(&key, &iv, &aad, &pt);
            assert_eq!(
                hex::encode(&got_ct),
                hex::encode(&ct),
                "case {n} ciphertext"
            );
            assert_eq!(hex::encode(&got_tag), hex::encode(&tag), "case {n} tag");
            assert_eq!(
                open(&key, &iv, &aad, &ct, &tag).unwrap(),
                pt,
                "case {n} decrypt"
            );

            // Byte-at-a-time AAD and data give the same result.
            let mut ctx = ours(&key, &iv, Direction::Encrypt);
            let got = run(
                &mut *ctx,
                &aad,
                &vec![1; aad.len()],
                &pt,
                &vec![1; pt.len()],
            );
            ctx.finalize_into(&mut []).unwrap();
            assert_eq!(got, ct, "case {n} byte-wise ciphertext");
            assert_eq!(ctx.tag().unwrap(), &tag[..], "case {n} byte-wise tag");
        }
    }

    #[test]
    fn gcm_inc32_wraps_low_word_only() {
        let mut b = Block::default();
        b[..12].copy_from_slice(&[0xab; 12]);
        b[12..].copy_from_slice(&[0xff; 4]);
        inc32(&mut b);
        assert_eq!(&b[..12], &[0xab; 12]);
        assert_eq!(&b[12..], &[0; 4]);
        inc32(&mut b);
        assert_eq!(&b[12..], &[0, 0, 0, 1]);
    }

    /// The keystream counter wraps modulo 2^32 without carrying into the upper 96 bits, across
    /// update calls, checked against block-by-block AES of hand-made counter blocks and a
    /// one-shot GHASH.
    #[test]
    fn gcm_counter_wraps_mod_2_32() {
        let key = [0x42u8; 16];
        let mut j0 = Block::default();
        j0[..12].copy_from_slice(&[0x5a; 12]);
        j0[12..].copy_from_slice(&0xffff_fffdu32.to_be_bytes());
        let cipher = Aes128::new_from_slice(&key).unwrap();
        let mut hk = Block::default();
        cipher.encrypt_block(&mut hk);
        let ghash = GHash::new(&hk);
        let mut ctx = GcmContext::from_j0(
            Aes128::new_from_slice(&key).unwrap(),
            ghash.clone(),
            j0,
            Direction::Encrypt,
        );
        let pt: Vec<u8> = (0..100u8).collect();
        let aad = b"wrap";
        ctx.authenticate_additional_data(aad).unwrap();
        let mut ct = vec![0u8; pt.len()];
        ctx.update_into(&pt[..7], &mut ct[..7]).unwrap();
        ctx.update_into(&pt[7..50], &mut ct[7..50]).unwrap();
        ctx.update_into(&pt[50..], &mut ct[50..]).unwrap();
        ctx.finalize_into(&mut []).unwrap();

        // Reference: counters fffffffe, ffffffff, 00000000, 00000001, ... with fixed upper bits.
        let mut expected = pt.clone();
        for (i, chunk) in expected.chunks_mut(16).enumerate() {
            let mut counter = j0;
            let low = 0xffff_fffdu32.wrapping_add(1 + i as u32);
            counter[12..].copy_from_slice(&low.to_be_bytes());
            cipher.encrypt_block(&mut counter);
            for (b, k) in chunk.iter_mut().zip(counter.iter()) {
                *b ^= k;
            }
        }
        assert_eq!(ct, expected);
        let mut reference = ghash;
        reference.update_padded(aad);
        reference.update_padded(&ct);
        let mut lens = Block::default();
        lens[..8].copy_from_slice(&(aad.len() as u64 * 8).to_be_bytes());
        lens[8..].copy_from_slice(&(ct.len() as u64 * 8).to_be_bytes());
        reference.update(core::slice::from_ref(&lens));
        let mut tag = reference.finalize();
        let mut mask = j0;
        cipher.encrypt_block(&mut mask);
        for (t, m) in tag.iter_mut().zip(mask.iter()) {
            *t ^= m;
        }
        assert_eq!(ctx.tag().unwrap(), &tag[..]);
    }

    #[test]
    fn gcm_forged_and_truncated_tags() {
        let key = h(K3);
        let (iv, aad, pt) = (h(IV3), h(A4), h(&P3[..120]));
        let (ct, tag) = seal(&key, &iv, &aad, &pt);

        for len in [4, 8, 12, 13, 15, 16] {
            assert_eq!(
                open(&key, &iv, &aad, &ct, &tag[..len]).unwrap(),
                pt,
                "{len}"
            );
            let mut bad = tag[..len].to_vec();
            bad[len - 1] ^= 0x01;
            assert_eq!(open(&key, &iv, &aad, &ct, &bad), Err(Error::InvalidTag));
        }
        let mut bad_ct = ct.clone();
        bad_ct[0] ^= 0x80;
        assert_eq!(open(&key, &iv, &aad, &bad_ct, &tag), Err(Error::InvalidTag));
        let mut bad_aad = aad.clone();
        bad_aad[19] ^= 1;
        assert_eq!(open(&key, &iv, &bad_aad, &ct, &tag), Err(Error::InvalidTag));
        assert_eq!(
            open(&key, &iv[..8], &aad, &ct, &tag),
            Err(Error::InvalidTag)
        );

        // Tag lengths outside 1..=16 are argument errors and do not end the message.
        let mut ctx = ours(&key, &iv, Direction::Decrypt);
        ctx.authenticate_additional_data(&aad).unwrap();
        let mut out = vec![0; ct.len()];
        ctx.update_into(&ct, &mut out).unwrap();
        assert_eq!(
            out, pt,
            "decryption releases plaintext before the tag check"
        );
        assert!(matches!(
            ctx.finalize_with_tag_into(&[], &mut []),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            ctx.finalize_with_tag_into(&[0; 17], &mut []),
            Err(Error::InvalidArgument(_))
        ));
        ctx.finalize_with_tag_into(&tag, &mut []).unwrap();
    }

    #[test]
    fn gcm_short_output_buffer_is_an_error() {
        let key = [7u8; 32];
        let iv = [9u8; 12];
        let pt = [1u8; 40];
        let (ct, tag) = seal(&key, &iv, b"aad", &pt);
        for direction in [Direction::Encrypt, Direction::Decrypt] {
            let mut ctx = ours(&key, &iv, direction);
            ctx.authenticate_additional_data(b"aad").unwrap();
            let input = if direction == Direction::Encrypt {
                &pt[..]
            } else {
                &ct[..]
            };
            let mut short = [0u8; 39];
            assert!(matches!(
                ctx.update_into(input, &mut short),
                Err(Error::InvalidArgument(_))
            ));
            assert_eq!(short, [0; 39], "nothing written");
            // Neither the keystream nor the hash moved: AAD is still open, the retry is exact.
            ctx.authenticate_additional_data(b"").unwrap();
            let mut out = [0u8; 41];
            assert_eq!(ctx.update_into(input, &mut out).unwrap(), 40);
            assert_eq!(out[40], 0, "only data.len() bytes written");
            match direction {
                Direction::Encrypt => {
                    assert_eq!(&out[..40], &ct[..]);
                    ctx.finalize_into(&mut []).unwrap();
                    assert_eq!(ctx.tag().unwrap(), &tag[..]);
                }
                Direction::Decrypt => {
                    assert_eq!(&out[..40], &pt[..]);
                    ctx.finalize_with_tag_into(&tag, &mut []).unwrap();
                }
            }
        }
    }

    #[test]
    fn gcm_state_errors() {
        let key = [3u8; 16];
        let iv = [4u8; 12];

        // AAD after data; an empty update does not close the AAD phase.
        let mut ctx = ours(&key, &iv, Direction::Encrypt);
        assert_eq!(ctx.update_into(&[], &mut []).unwrap(), 0);
        ctx.authenticate_additional_data(b"ad").unwrap();
        ctx.update_into(b"x", &mut [0]).unwrap();
        assert_eq!(
            ctx.authenticate_additional_data(b"more"),
            Err(Error::AlreadyUpdated)
        );
        ctx.finalize_into(&mut []).unwrap();
        let tag = ctx.tag().unwrap().to_vec();
        assert_eq!(tag.len(), 16);

        // Everything after finalize.
        assert_eq!(
            ctx.update_into(b"x", &mut [0]),
            Err(Error::AlreadyFinalized)
        );
        assert_eq!(ctx.update_into(&[], &mut []), Err(Error::AlreadyFinalized));
        assert_eq!(
            ctx.authenticate_additional_data(b""),
            Err(Error::AlreadyFinalized)
        );
        assert_eq!(ctx.finalize_into(&mut []), Err(Error::AlreadyFinalized));
        assert_eq!(ctx.tag().unwrap(), &tag[..], "tag survives");

        // Direction mismatches.
        assert!(matches!(
            ctx.finalize_with_tag_into(&tag, &mut []),
            Err(Error::InvalidArgument(_))
        ));
        let mut dec = ours(&key, &iv, Direction::Decrypt);
        assert!(matches!(
            dec.finalize_into(&mut []),
            Err(Error::InvalidArgument(_))
        ));
        dec.authenticate_additional_data(b"ad").unwrap();
        let mut out = [0u8];
        dec.update_into(&[0], &mut out).unwrap();
        assert_eq!(
            dec.finalize_with_tag_into(&tag, &mut []),
            Err(Error::InvalidTag)
        );
        assert_eq!(
            dec.finalize_with_tag_into(&tag, &mut []),
            Err(Error::AlreadyFinalized)
        );
        assert_eq!(
            dec.update_into(&[0], &mut out),
            Err(Error::AlreadyFinalized)
        );
        assert_eq!(dec.tag(), None);

        // Bad construction parameters.
        assert!(matches!(
            GcmContext::<Aes128>::new(&[0; 15], &iv, Direction::Encrypt),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            GcmContext::<Aes256>::new(&[0; 16], &iv, Direction::Encrypt),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            GcmContext::<Aes128>::new(&key, &[], Direction::Encrypt),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn gcm_context_is_send_and_zeroizes() {
        fn assert_send<T: Send + 'static>() {}
        fn assert_zeroize_on_drop<T: ZeroizeOnDrop>() {}
        assert_send::<GcmContext<Aes128>>();
        assert_zeroize_on_drop::<GcmContext<Aes128>>();
        assert_zeroize_on_drop::<GcmContext<Aes192>>();
        assert_zeroize_on_drop::<GcmContext<Aes256>>();
        assert_zeroize_on_drop::<Ctr32<Aes256>>();
    }

    /// Differential tests against the OpenSSL backend's context.
    #[cfg(feature = "openssl")]
    mod vs_openssl {
        use std::sync::Arc;

        use super::*;
        use crate::hazmat::backends::openssl::EvpCipherAdapter;
        use crate::hazmat::backends::CipherAdapter;
        use crate::hazmat::primitives::ciphers::algorithms::{Aes, CipherAlgorithm};
        use crate::hazmat::primitives::ciphers::modes::{Mode, ModeWithAuthenticationTag};

        /// GCM with any IV length (the public `Gcm` mode only takes 8 to 128 bytes), so the
        /// OpenSSL context can be built for 1-byte IVs too.
        #[derive(Debug)]
        struct AnyIvGcm(Vec<u8>);

        impl Mode for AnyIvGcm {
            fn name(&self) -> &'static str {
                "GCM"
            }
            fn validate_for_algorithm(&self, _: &dyn CipherAlgorithm) -> Result<()> {
                Ok(())
            }
            fn initialization_vector(&self) -> Option<&[u8]> {
                Some(&self.0)
            }
            fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
                Some(self)
            }
        }

        impl ModeWithAuthenticationTag for AnyIvGcm {
            fn tag(&self) -> Option<&[u8]> {
                None
            }
            fn min_tag_length(&self) -> usize {
                1
            }
            fn max_tag_length(&self) -> usize {
                16
            }
            fn max_data_bytes(&self) -> u64 {
                MAX_DATA_BYTES
            }
            fn max_aad_bytes(&self) -> u64 {
                MAX_AAD_BYTES
            }
        }

        fn adapter(key_len: usize) -> Arc<EvpCipherAdapter> {
            use std::sync::OnceLock;
            static ADAPTERS: OnceLock<Vec<Arc<EvpCipherAdapter>>> = OnceLock::new();
            let all = ADAPTERS.get_or_init(|| {
                [128, 192, 256]
                    .iter()
                    .map(|bits| {
                        Arc::new(EvpCipherAdapter::fetch(&format!("AES-{bits}-GCM")).unwrap())
                    })
                    .collect()
            });
            all[key_len / 8 - 2].clone()
        }

        fn theirs(key: &[u8], iv: &[u8], direction: Direction) -> Box<dyn SymmetricContext> {
            adapter(key.len())
                .create_context(
                    &Aes::new(key).unwrap(),
                    Some(&AnyIvGcm(iv.to_vec())),
                    direction,
                )
                .unwrap()
        }

        /// SplitMix64: deterministic test randomness.
        struct Rng(u64);

        impl Rng {
            fn next(&mut self) -> u64 {
                self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = self.0;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            }
            fn below(&mut self, n: usize) -> usize {
                (self.next() % n as u64) as usize
            }
            fn bytes(&mut self, n: usize) -> Vec<u8> {
                (0..n).map(|_| self.next() as u8).collect()
            }
            /// A random split of `total` into pieces, empty pieces included.
            fn chunks(&mut self, total: usize) -> Vec<usize> {
                let mut pieces = Vec::new();
                let mut left = total;
                let max = match self.below(4) {
                    0 => 2,
                    1 => 17,
                    2 => 40,
                    _ => total + 1,
                };
                while left > 0 {
                    let n = self.below(max.min(left + 1));
                    pieces.push(n);
                    left -= n;
                }
                if self.below(3) == 0 {
                    let at = self.below(pieces.len() + 1);
                    pieces.insert(at, 0);
                }
                pieces
            }
        }

        const LENGTHS: [usize; 12] = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 64, 70];
        const IV_LENGTHS: [usize; 6] = [1, 8, 12, 16, 60, 128];

        /// Every key size x IV length x AAD length x message length, with random chunkings on
        /// each side: same ciphertext and tag, each decrypts the other's output (with a random
        /// tag truncation), and both reject the same forgery.
        #[test]
        fn gcm_differential_against_openssl() {
            let mut rng = Rng(0x6763_6d5f_7465_7374);
            let mut cases = 0;
            for key_len in [16, 24, 32] {
                for iv_len in IV_LENGTHS {
                    for aad_len in LENGTHS {
                        for msg_len in LENGTHS {
                            let key = rng.bytes(key_len);
                            let iv = rng.bytes(iv_len);
                            let aad = rng.bytes(aad_len);
                            let pt = rng.bytes(msg_len);
                            let what =
                                format!("key {key_len} iv {iv_len} aad {aad_len} msg {msg_len}");

                            let mut enc = ours(&key, &iv, Direction::Encrypt);
                            let (ac, dc) = (rng.chunks(aad_len), rng.chunks(msg_len));
                            let ct = run(&mut *enc, &aad, &ac, &pt, &dc);
                            assert_eq!(enc.finalize_into(&mut []).unwrap(), 0);
                            let tag = enc.tag().unwrap().to_vec();

                            let mut enc2 = theirs(&key, &iv, Direction::Encrypt);
                            let (ac, dc) = (rng.chunks(aad_len), rng.chunks(msg_len));
                            let ct2 = run(&mut *enc2, &aad, &ac, &pt, &dc);
                            assert_eq!(enc2.finalize_into(&mut []).unwrap(), 0);
                            assert_eq!(ct, ct2, "{what}: ciphertext");
                            assert_eq!(tag, enc2.tag().unwrap(), "{what}: tag");

                            // Each decrypts the other's output, with a tag of 4 to 16 bytes.
                            let tag_len = 4 + rng.below(13);
                            for (mut dec, name) in [
                                (ours(&key, &iv, Direction::Decrypt), "ours"),
                                (theirs(&key, &iv, Direction::Decrypt), "openssl"),
                            ] {
                                let (ac, dc) = (rng.chunks(aad_len), rng.chunks(msg_len));
                                let got = run(&mut *dec, &aad, &ac, &ct, &dc);
                                assert_eq!(got, pt, "{what}: {name} decrypts");
                                assert_eq!(
                                    dec.finalize_with_tag_into(&tag[..tag_len], &mut []),
                                    Ok(0),
                                    "{what}: {name} accepts a {tag_len}-byte tag"
                                );
                                assert_eq!(dec.tag(), None);
                            }

                            // A forgery: one bit of the tag, ciphertext or AAD flipped.
                            let (mut fct, mut faad, mut ftag) =
                                (ct.clone(), aad.clone(), tag[..tag_len].to_vec());
                            match rng.below(3) {
                                0 if !fct.is_empty() => {
                                    let i = rng.below(fct.len());
                                    fct[i] ^= 1 << rng.below(8);
                                }
                                1 if !faad.is_empty() => {
                                    let i = rng.below(faad.len());
                                    faad[i] ^= 1 << rng.below(8);
                                }
                                _ => {
                                    let i = rng.below(ftag.len());
                                    ftag[i] ^= 1 << rng.below(8);
                                }
                            }
                            for (mut dec, name) in [
                                (ours(&key, &iv, Direction::Decrypt), "ours"),
                                (theirs(&key, &iv, Direction::Decrypt), "openssl"),
                            ] {
                                let _ = run(&mut *dec, &faad, &[faad.len()], &fct, &[fct.len()]);
                                assert_eq!(
                                    dec.finalize_with_tag_into(&ftag, &mut []),
                                    Err(Error::InvalidTag),
                                    "{what}: {name} rejects a forgery"
                                );
                            }
                            cases += 1;
                        }
                    }
                }
            }
            assert_eq!(cases, 3 * 6 * 12 * 12);
        }

        /// A larger message in random pieces exercises the bulk (parallel-block) paths.
        #[test]
        fn gcm_large_message_against_openssl() {
            let mut rng = Rng(42);
            for key_len in [16, 24, 32] {
                let key = rng.bytes(key_len);
                let iv = rng.bytes(12);
                let aad = rng.bytes(1000);
                let pt = rng.bytes(300_007);
                let mut chunks = Vec::new();
                let mut left = pt.len();
                while left > 0 {
                    let n = rng.below(5000).min(left);
                    chunks.push(n);
                    left -= n;
                }
                let mut a = ours(&key, &iv, Direction::Encrypt);
                let ct = run(&mut *a, &aad, &[333, 0, 667], &pt, &chunks);
                a.finalize_into(&mut []).unwrap();
                let mut b = theirs(&key, &iv, Direction::Encrypt);
                let ct2 = run(&mut *b, &aad, &[1000], &pt, &[pt.len()]);
                b.finalize_into(&mut []).unwrap();
                assert_eq!(ct, ct2);
                assert_eq!(a.tag(), b.tag());
            }
        }

        /// The argument errors are the OpenSSL context's, message for message; state errors
        /// happen at the same points.
        #[test]
        fn gcm_errors_match_openssl() {
            let key = [5u8; 16];
            let iv = [6u8; 12];
            let both = |direction| [ours(&key, &iv, direction), theirs(&key, &iv, direction)];

            let [mut a, mut b] = both(Direction::Decrypt);
            assert_eq!(a.finalize_into(&mut []), b.finalize_into(&mut []));
            assert!(matches!(
                a.finalize_into(&mut []),
                Err(Error::InvalidArgument(_))
            ));
            for tag in [&[][..], &[0u8; 17][..]] {
                assert_eq!(
                    a.finalize_with_tag_into(tag, &mut []),
                    b.finalize_with_tag_into(tag, &mut [])
                );
            }
            let mut short = [0u8; 4];
            assert_eq!(
                a.update_into(&[0; 5], &mut short),
                b.update_into(&[0; 5], &mut short)
            );
            assert!(matches!(
                a.update_into(&[0; 5], &mut short),
                Err(Error::InvalidArgument(_))
            ));
            // An empty update leaves AAD open on both.
            assert_eq!(a.update_into(&[], &mut []), Ok(0));
            assert_eq!(b.update_into(&[], &mut []), Ok(0));
            assert_eq!(a.authenticate_additional_data(b"x"), Ok(()));
            assert_eq!(b.authenticate_additional_data(b"x"), Ok(()));
            let mut out_a = [0u8; 3];
            let mut out_b = [0u8; 3];
            assert_eq!(a.update_into(b"abc", &mut out_a), Ok(3));
            assert_eq!(b.update_into(b"abc", &mut out_b), Ok(3));
            assert_eq!(out_a, out_b);
            // AAD after data is refused by both (OpenSSL: a libcrypto error).
            assert_eq!(
                a.authenticate_additional_data(b"y"),
                Err(Error::AlreadyUpdated)
            );
            assert!(b.authenticate_additional_data(b"y").is_err());
            assert_eq!(
                a.finalize_with_tag_into(&[0; 16], &mut []),
                b.finalize_with_tag_into(&[0; 16], &mut [])
            );

            let [mut a, mut b] = both(Direction::Encrypt);
            assert_eq!(
                a.finalize_with_tag_into(&[0; 16], &mut []),
                b.finalize_with_tag_into(&[0; 16], &mut [])
            );
            assert_eq!(a.tag(), b.tag());
            assert_eq!(a.finalize_into(&mut []), b.finalize_into(&mut []));
            assert_eq!(a.tag(), b.tag());
            assert!(a.tag().is_some());
        }
    }
}
