//! One-shot AEADs on the rust backend.
//!
//! Each context is keyed once, in [`AeadBackend::create_aead_ctx`]: it stores the keyed block
//! cipher (or the crate's keyed AEAD object) and every message borrows it, so `&self`
//! encryption is free of locks and of per-message key schedules. Messages go straight from the
//! caller's input into the caller's `out` through the crates' detached in/out APIs, with no
//! allocation.
//!
//! | construction | crate | notes |
//! |---|---|---|
//! | AES-GCM | `aes-gcm` (12-byte nonces); [`GcmContext`] otherwise | other nonce lengths re-key per message |
//! | ChaCha20-Poly1305 | `chacha20poly1305` | |
//! | AES-CCM | `ccm` | 7 tag × 7 nonce sizes dispatched per key size |
//! | AES-OCB3 | `ocb3` | one keyed instance per nonce length (12 to 15) |
//! | AES-SIV | `cmac` + `ctr` | S2V written here: `aes_siv::Siv` needs `&mut self` and re-keys per message |
//! | AES-GCM-SIV | `aes-gcm-siv` | AES-192 through the crate's generic type |

use std::marker::PhantomData;

use ::aead::array::typenum::Unsigned;
use ::aead::array::{Array, ArraySize};
use ::aead::inout::InOutBuf;
use ::aead::AeadInOut;
use aes::{Aes128, Aes192, Aes256};
use cipher::consts::{U10, U11, U12, U13, U14, U15, U16, U4, U6, U7, U8, U9};
use cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockSizeUser, InnerIvInit, KeyInit, StreamCipher,
    StreamCipherCoreWrapper,
};
use cmac::Mac;
use digest::InnerInit;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{AeadBackend, AeadContext, AeadSupport, Direction, SymmetricContext};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::unsupported::unsupported_aead;

use super::gcm::GcmContext;
use super::RustBackend;

/// The tag length of every construction but AES-CCM, in bytes.
const TAG_BYTES: usize = 16;

/// The AES-CCM tag lengths in bytes (NIST SP 800-38C; RFC 3610 uses 4 to 16, even).
const CCM_TAGS: [usize; 7] = [4, 6, 8, 10, 12, 14, 16];

/// How many OCB `L` values the `ocb3` crate precomputes: messages and associated data must be
/// shorter than 2^(L + 4) bytes. 32 allows 64 GiB on 64-bit targets (the crate's default, 26,
/// only 1 GiB); 32-bit targets cannot address more than 26 allows anyway.
const OCB_L_TABLE: usize = if usize::BITS >= 64 { 32 } else { 26 };

/// The exclusive bound OCB_L_TABLE puts on message and associated-data lengths.
const OCB_MAX_BYTES: usize = 1 << (OCB_L_TABLE + 4);

/// An AES block cipher usable by every construction here.
trait AesCipher:
    BlockCipherEncrypt
    + BlockCipherDecrypt
    + BlockSizeUser<BlockSize = U16>
    + KeyInit
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<C> AesCipher for C where
    C: BlockCipherEncrypt
        + BlockCipherDecrypt
        + BlockSizeUser<BlockSize = U16>
        + KeyInit
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// Calls `$make::<Aes128 | Aes192 | Aes256>($args)` by the AES key length `$len` in bytes.
macro_rules! by_aes_key {
    ($len:expr, $algorithm:expr, $make:ident($($args:expr),*)) => {
        match $len {
            16 => $make::<Aes128>($($args),*),
            24 => $make::<Aes192>($($args),*),
            32 => $make::<Aes256>($($args),*),
            _ => Err(unsupported_aead("rust", $algorithm)),
        }
    };
}

fn bad_key(algorithm: AeadAlgorithm, len: usize) -> Error {
    Error::invalid(format!(
        "invalid key length ({}) for {}",
        crate::exceptions::Bytes(len),
        algorithm.name()
    ))
}

fn key_cipher<C: KeyInit>(algorithm: AeadAlgorithm, key: &[u8]) -> Result<C> {
    C::new_from_slice(key).map_err(|_| bad_key(algorithm, key.len()))
}

fn bad_nonce(algorithm: AeadAlgorithm, len: usize) -> Error {
    Error::unsupported(
        Reason::UnsupportedCipher,
        format!(
            "the rust backend does not support {} with a {len}-byte nonce",
            algorithm.name()
        ),
    )
}

/// The one associated-data string of every construction but AES-SIV.
fn single_aad<'a>(algorithm: AeadAlgorithm, aad: &[&'a [u8]]) -> Result<&'a [u8]> {
    match aad {
        [] => Ok(&[]),
        [one] => Ok(one),
        _ => Err(Error::invalid(format!(
            "{} takes one associated-data string, got {} strings (only AES-SIV takes a list)",
            algorithm.name(),
            aad.len()
        ))),
    }
}

fn wrong_out(needed: usize, got: usize) -> Error {
    Error::invalid(format!(
        "output buffer must be exactly {needed} bytes, got {}",
        crate::exceptions::Bytes(got)
    ))
}

/// Splits an encryption's `out` into its ciphertext and tag parts (`ct ‖ tag`), checking that
/// it is exactly `data + tag` bytes.
fn split_sealed(out: &mut [u8], data: usize, tag: usize) -> Result<(&mut [u8], &mut [u8])> {
    let needed = data.saturating_add(tag);
    if out.len() != needed {
        return Err(wrong_out(needed, out.len()));
    }
    Ok(out.split_at_mut(data))
}

/// Splits a decryption's input into ciphertext and tag (`ct ‖ tag`) and checks `out` is exactly
/// the ciphertext's length. An input shorter than a tag is `InvalidTag`.
fn split_opened<'a>(ciphertext: &'a [u8], tag: usize, out: &[u8]) -> Result<(&'a [u8], &'a [u8])> {
    let data = ciphertext.len().checked_sub(tag).ok_or(Error::InvalidTag)?;
    if out.len() != data {
        return Err(wrong_out(data, out.len()));
    }
    Ok(ciphertext.split_at(data))
}

/// Encrypts `plaintext` into `out` (`ct ‖ tag`) with a crate AEAD whose type fixes the nonce
/// and tag sizes.
fn seal<A: AeadInOut>(
    aead: &A,
    algorithm: AeadAlgorithm,
    nonce: &[u8],
    plaintext: &[u8],
    aad: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let nonce = <&Array<u8, A::NonceSize>>::try_from(nonce)
        .map_err(|_| bad_nonce(algorithm, nonce.len()))?;
    let (ct, tag_out) = split_sealed(out, plaintext.len(), A::TagSize::USIZE)?;
    let buf = InOutBuf::new(plaintext, ct).map_err(|_| wrong_out(plaintext.len(), 0))?;
    let tag = aead
        .encrypt_inout_detached(nonce, aad, buf)
        .map_err(|_| too_long(algorithm))?;
    tag_out.copy_from_slice(&tag);
    Ok(())
}

/// Checks and decrypts `ct ‖ tag` into `out` with a crate AEAD; on any failure `out` is wiped
/// and the error is `InvalidTag`.
fn open<A: AeadInOut>(
    aead: &A,
    algorithm: AeadAlgorithm,
    nonce: &[u8],
    ciphertext: &[u8],
    aad: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let nonce = <&Array<u8, A::NonceSize>>::try_from(nonce)
        .map_err(|_| bad_nonce(algorithm, nonce.len()))?;
    let (ct, tag) = split_opened(ciphertext, A::TagSize::USIZE, out)?;
    let tag = <&Array<u8, A::TagSize>>::try_from(tag).map_err(|_| Error::InvalidTag)?;
    let verified = match InOutBuf::new(ct, out) {
        Ok(buf) => aead.decrypt_inout_detached(nonce, aad, buf, tag).is_ok(),
        Err(_) => false,
    };
    if verified {
        Ok(())
    } else {
        // Some crates (OCB3) leave the unauthenticated plaintext behind.
        out.zeroize();
        Err(Error::InvalidTag)
    }
}

/// The error for an input a crate refuses for its length (the primitives layer has already
/// applied the construction's own limits).
fn too_long(algorithm: AeadAlgorithm) -> Error {
    Error::invalid(format!(
        "the message or associated data is too long for {} on the rust backend",
        algorithm.name()
    ))
}

// ---------------------------------------------------------------------------------------------
// AES-GCM

/// AES-GCM: the `aes-gcm` crate for 12-byte nonces; our streaming [`GcmContext`] for the other
/// lengths (8 to 128 bytes), which the crate supports only as one type per length.
struct AesGcmCtx<C: AesCipher> {
    fast: aes_gcm::AesGcm<C, U12>,
    /// The key, for the rare non-96-bit nonces (the streaming context keys itself).
    key: Zeroizing<Vec<u8>>,
}

fn aes_gcm<C: AesCipher>(key: &[u8]) -> Result<Box<dyn AeadContext>> {
    let cipher: C = key_cipher(AeadAlgorithm::AesGcm, key)?;
    Ok(Box::new(AesGcmCtx {
        fast: aes_gcm::AesGcm::from(cipher),
        key: Zeroizing::new(key.to_vec()),
    }))
}

impl<C: AesCipher> AesGcmCtx<C> {
    /// Runs a non-96-bit-nonce message through the streaming context: `aad`, then `input`
    /// into `output`.
    fn stream(
        &self,
        nonce: &[u8],
        direction: Direction,
        aad: &[u8],
        input: &[u8],
        output: &mut [u8],
    ) -> Result<GcmContext<C>> {
        let mut ctx = GcmContext::<C>::new(&self.key, nonce, direction)?;
        ctx.authenticate_additional_data(aad)?;
        ctx.update_into(input, output)?;
        Ok(ctx)
    }
}

impl<C: AesCipher> AeadContext for AesGcmCtx<C> {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesGcm, aad)?;
        if nonce.len() == 12 {
            return seal(
                &self.fast,
                AeadAlgorithm::AesGcm,
                nonce,
                plaintext,
                aad,
                out,
            );
        }
        let (ct, tag_out) = split_sealed(out, plaintext.len(), TAG_BYTES)?;
        let mut ctx = self.stream(nonce, Direction::Encrypt, aad, plaintext, ct)?;
        ctx.finalize_into(&mut [])?;
        let tag = ctx
            .tag()
            .filter(|t| t.len() == TAG_BYTES)
            .ok_or_else(|| Error::Backend("GCM produced no 16-byte tag".into()))?;
        tag_out.copy_from_slice(tag);
        Ok(())
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesGcm, aad)?;
        if nonce.len() == 12 {
            return open(
                &self.fast,
                AeadAlgorithm::AesGcm,
                nonce,
                ciphertext,
                aad,
                out,
            );
        }
        let (ct, tag) = split_opened(ciphertext, TAG_BYTES, out)?;
        let result = self
            .stream(nonce, Direction::Decrypt, aad, ct, out)
            .and_then(|mut ctx| ctx.finalize_with_tag_into(tag, &mut []));
        match result {
            Ok(_) => Ok(()),
            Err(e) => {
                // The streaming context releases plaintext before the tag is checked.
                out.zeroize();
                Err(e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ChaCha20-Poly1305 and AES-GCM-SIV: one crate type each, nonce 12, tag 16.

/// A crate AEAD with fixed nonce and tag sizes, used as is.
struct Fixed<A> {
    aead: A,
    algorithm: AeadAlgorithm,
}

impl<A: AeadInOut + Send + Sync> AeadContext for Fixed<A> {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(self.algorithm, aad)?;
        seal(&self.aead, self.algorithm, nonce, plaintext, aad, out)
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(self.algorithm, aad)?;
        open(&self.aead, self.algorithm, nonce, ciphertext, aad, out)
    }
}

fn chacha20_poly1305(key: &[u8]) -> Result<Box<dyn AeadContext>> {
    let algorithm = AeadAlgorithm::ChaCha20Poly1305;
    let aead = ::chacha20poly1305::ChaCha20Poly1305::new_from_slice(key)
        .map_err(|_| bad_key(algorithm, key.len()))?;
    Ok(Box::new(Fixed { aead, algorithm }))
}

fn aes_gcm_siv<C: AesCipher>(key: &[u8]) -> Result<Box<dyn AeadContext>> {
    let algorithm = AeadAlgorithm::AesGcmSiv;
    let cipher: C = key_cipher(algorithm, key)?;
    Ok(Box::new(Fixed {
        aead: aes_gcm_siv::AesGcmSiv::from(cipher),
        algorithm,
    }))
}

// ---------------------------------------------------------------------------------------------
// AES-CCM

/// AES-CCM with `M`-byte tags; the nonce length picks the `ccm` type per message, over a
/// borrowed keyed cipher.
struct AesCcmCtx<C, M> {
    cipher: C,
    tag: PhantomData<fn() -> M>,
}

fn aes_ccm<C: AesCipher>(key: &[u8], tag: usize) -> Result<Box<dyn AeadContext>> {
    fn make<C: AesCipher, M: ArraySize + ccm::TagSize>(cipher: C) -> Box<dyn AeadContext> {
        Box::new(AesCcmCtx::<C, M> {
            cipher,
            tag: PhantomData,
        })
    }
    let algorithm = AeadAlgorithm::AesCcm;
    let cipher: C = key_cipher(algorithm, key)?;
    Ok(match tag {
        4 => make::<C, U4>(cipher),
        6 => make::<C, U6>(cipher),
        8 => make::<C, U8>(cipher),
        10 => make::<C, U10>(cipher),
        12 => make::<C, U12>(cipher),
        14 => make::<C, U14>(cipher),
        16 => make::<C, U16>(cipher),
        _ => return Err(unsupported_aead("rust", algorithm)),
    })
}

/// Runs `$run(&ccm, ...)` with the `ccm::Ccm<&C, M, N>` of the nonce's length.
macro_rules! ccm_by_nonce {
    ($self:ident, $run:ident($nonce:expr, $($args:expr),*)) => {
        match $nonce.len() {
            7 => $run(&ccm::Ccm::<&C, M, U7>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            8 => $run(&ccm::Ccm::<&C, M, U8>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            9 => $run(&ccm::Ccm::<&C, M, U9>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            10 => $run(&ccm::Ccm::<&C, M, U10>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            11 => $run(&ccm::Ccm::<&C, M, U11>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            12 => $run(&ccm::Ccm::<&C, M, U12>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            13 => $run(&ccm::Ccm::<&C, M, U13>::from(&$self.cipher), AeadAlgorithm::AesCcm, $nonce, $($args),*),
            n => Err(bad_nonce(AeadAlgorithm::AesCcm, n)),
        }
    };
}

impl<C, M> AeadContext for AesCcmCtx<C, M>
where
    C: AesCipher,
    M: ArraySize + ccm::TagSize,
{
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesCcm, aad)?;
        ccm_by_nonce!(self, seal(nonce, plaintext, aad, out))
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesCcm, aad)?;
        ccm_by_nonce!(self, open(nonce, ciphertext, aad, out))
    }
}

// ---------------------------------------------------------------------------------------------
// AES-OCB3

type Ocb<C, N> = ocb3::Ocb3<C, N, U16, OCB_L_TABLE>;

/// AES-OCB3 with 16-byte tags: one keyed `ocb3` instance (key schedule and `L` table) per
/// nonce length, all built from one key schedule.
///
/// The `ocb3` crate does not wipe its `L` table on drop (the AES key schedule inside is
/// wiped).
struct AesOcb3Ctx<C: AesCipher> {
    n12: Ocb<C, U12>,
    n13: Ocb<C, U13>,
    n14: Ocb<C, U14>,
    n15: Ocb<C, U15>,
}

fn aes_ocb3<C: AesCipher>(key: &[u8]) -> Result<Box<dyn AeadContext>> {
    let cipher: C = key_cipher(AeadAlgorithm::AesOcb3, key)?;
    Ok(Box::new(AesOcb3Ctx {
        n12: Ocb::from(cipher.clone()),
        n13: Ocb::from(cipher.clone()),
        n14: Ocb::from(cipher.clone()),
        n15: Ocb::from(cipher),
    }))
}

impl<C: AesCipher> AesOcb3Ctx<C> {
    fn check_lengths(data: usize, aad: &[u8]) -> Result<()> {
        if data >= OCB_MAX_BYTES || aad.len() >= OCB_MAX_BYTES {
            return Err(Error::unsupported(
                Reason::UnsupportedCipher,
                format!(
                    "the rust backend's AES-OCB3 takes messages and associated data shorter \
                     than {OCB_MAX_BYTES} bytes"
                ),
            ));
        }
        Ok(())
    }
}

/// Runs `$run(&ocb, ...)` with the instance for the nonce's length.
macro_rules! ocb_by_nonce {
    ($self:ident, $run:ident($nonce:expr, $($args:expr),*)) => {
        match $nonce.len() {
            12 => $run(&$self.n12, AeadAlgorithm::AesOcb3, $nonce, $($args),*),
            13 => $run(&$self.n13, AeadAlgorithm::AesOcb3, $nonce, $($args),*),
            14 => $run(&$self.n14, AeadAlgorithm::AesOcb3, $nonce, $($args),*),
            15 => $run(&$self.n15, AeadAlgorithm::AesOcb3, $nonce, $($args),*),
            n => Err(bad_nonce(AeadAlgorithm::AesOcb3, n)),
        }
    };
}

impl<C: AesCipher> AeadContext for AesOcb3Ctx<C> {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesOcb3, aad)?;
        Self::check_lengths(plaintext.len(), aad)?;
        ocb_by_nonce!(self, seal(nonce, plaintext, aad, out))
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let aad = single_aad(AeadAlgorithm::AesOcb3, aad)?;
        Self::check_lengths(ciphertext.len().saturating_sub(TAG_BYTES), aad)?;
        ocb_by_nonce!(self, open(nonce, ciphertext, aad, out))
    }
}

// ---------------------------------------------------------------------------------------------
// AES-SIV (RFC 5297)

/// One 128-bit block.
type Block = Array<u8, U16>;

/// AES-SIV: S2V over AES-CMAC keyed with the first half of the key, AES-CTR with the second.
/// Both keyed once; each message clones the keyed CMAC state (a copy, not a key schedule).
struct AesSivCtx<C: AesCipher> {
    mac: cmac::Cmac<C>,
    ctr: C,
}

fn aes_siv<C: AesCipher>(key: &[u8]) -> Result<Box<dyn AeadContext>> {
    let algorithm = AeadAlgorithm::AesSiv;
    let (mac_key, ctr_key) = key.split_at(key.len() / 2);
    Ok(Box::new(AesSivCtx::<C> {
        mac: cmac::Cmac::inner_init(key_cipher(algorithm, mac_key)?),
        ctr: key_cipher(algorithm, ctr_key)?,
    }))
}

/// Doubling in GF(2^128) (RFC 5297 section 2.3: `dbl`), in constant time.
fn dbl(block: &mut Block) {
    let carry = block[0] >> 7;
    for i in 0..15 {
        block[i] = (block[i] << 1) | (block[i + 1] >> 7);
    }
    block[15] = (block[15] << 1) ^ (0x87 & 0u8.wrapping_sub(carry));
}

fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= s;
    }
}

impl<C: AesCipher> AesSivCtx<C> {
    /// S2V (RFC 5297 section 2.4) over the associated-data components and the plaintext.
    fn s2v(&self, aad: &[&[u8]], plaintext: &[u8]) -> Block {
        let mut mac = self.mac.clone();
        Mac::update(&mut mac, &Block::default());
        let mut d = mac.finalize_reset().into_bytes();
        for component in aad {
            dbl(&mut d);
            Mac::update(&mut mac, component);
            let code = mac.finalize_reset().into_bytes();
            xor_into(&mut d, &code);
        }
        match plaintext.len().checked_sub(16) {
            // T = Sn xorend D
            Some(head) => {
                let (first, last) = plaintext.split_at(head);
                Mac::update(&mut mac, first);
                xor_into(&mut d, last);
            }
            // T = dbl(D) xor pad(Sn)
            None => {
                dbl(&mut d);
                xor_into(&mut d, plaintext);
                d[plaintext.len()] ^= 0x80;
            }
        }
        Mac::update(&mut mac, &d);
        d.zeroize();
        mac.finalize().into_bytes()
    }

    /// AES-CTR from the synthetic IV with bits 63 and 31 cleared (RFC 5297 section 2.6).
    fn ctr(&self, v: &Block, input: &[u8], output: &mut [u8]) -> Result<()> {
        let mut q = *v;
        q[8] &= 0x7f;
        q[12] &= 0x7f;
        let core = ctr::CtrCore::<&C, ctr::flavors::Ctr128BE>::inner_iv_init(&self.ctr, &q);
        q.zeroize();
        StreamCipherCoreWrapper::from_core(core)
            .try_apply_keystream_b2b(input, output)
            .map_err(|_| too_long(AeadAlgorithm::AesSiv))
    }
}

impl<C: AesCipher> AeadContext for AesSivCtx<C> {
    fn encrypt_into(
        &self,
        _nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let needed = plaintext.len().saturating_add(TAG_BYTES);
        if out.len() != needed {
            return Err(wrong_out(needed, out.len()));
        }
        let (tag_out, ct) = out.split_at_mut(TAG_BYTES);
        let v = self.s2v(aad, plaintext);
        tag_out.copy_from_slice(&v);
        self.ctr(&v, plaintext, ct)
    }

    fn decrypt_into(
        &self,
        _nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let data = ciphertext
            .len()
            .checked_sub(TAG_BYTES)
            .ok_or(Error::InvalidTag)?;
        if out.len() != data {
            return Err(wrong_out(data, out.len()));
        }
        let (tag, ct) = ciphertext.split_at(TAG_BYTES);
        let tag = <&Block>::try_from(tag).map_err(|_| Error::InvalidTag)?;
        let verified = self.ctr(tag, ct, out).is_ok() && bool::from(self.s2v(aad, out).ct_eq(tag));
        if verified {
            Ok(())
        } else {
            out.zeroize();
            Err(Error::InvalidTag)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The backend interface

impl AeadBackend for RustBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        let tag_ok = match algorithm {
            AeadAlgorithm::AesCcm => CCM_TAGS.contains(&tag_bytes),
            _ => tag_bytes == TAG_BYTES,
        };
        tag_ok && algorithm.key_sizes().contains(&key_bytes) && served(algorithm)
    }

    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        if !self.aead_supported(algorithm, key.len(), tag_bytes) {
            return Err(unsupported_aead("rust", algorithm));
        }
        match algorithm {
            AeadAlgorithm::AesGcm => by_aes_key!(key.len(), algorithm, aes_gcm(key)),
            AeadAlgorithm::ChaCha20Poly1305 => chacha20_poly1305(key),
            AeadAlgorithm::AesCcm => by_aes_key!(key.len(), algorithm, aes_ccm(key, tag_bytes)),
            AeadAlgorithm::AesOcb3 => by_aes_key!(key.len(), algorithm, aes_ocb3(key)),
            AeadAlgorithm::AesSiv => by_aes_key!(key.len() / 2, algorithm, aes_siv(key)),
            AeadAlgorithm::AesGcmSiv => by_aes_key!(key.len(), algorithm, aes_gcm_siv(key)),
        }
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        AeadAlgorithm::ALL
            .into_iter()
            .filter(|&a| served(a))
            .map(|algorithm| AeadSupport {
                algorithm,
                key_sizes: algorithm.key_sizes().iter().map(|b| b * 8).collect(),
            })
            .collect()
    }
}

/// Whether this backend serves `algorithm` at all (every key size it defines).
fn served(algorithm: AeadAlgorithm) -> bool {
    matches!(
        algorithm,
        AeadAlgorithm::AesGcm
            | AeadAlgorithm::ChaCha20Poly1305
            | AeadAlgorithm::AesCcm
            | AeadAlgorithm::AesOcb3
            | AeadAlgorithm::AesSiv
            | AeadAlgorithm::AesGcmSiv
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5297 section 2.3: dbl of a block with the top bit set folds in 0x87.
    #[test]
    fn dbl_matches_definition() {
        let mut b = Block::default();
        b[0] = 0x80;
        b[15] = 0x01;
        dbl(&mut b);
        let mut want = Block::default();
        want[15] = 0x02 ^ 0x87;
        assert_eq!(b, want);
    }

    /// The non-96-bit-nonce path agrees with the crate's own generic nonce size (16 bytes).
    #[test]
    fn gcm_other_nonce_lengths_match_aes_gcm() {
        let key = [7u8; 16];
        let ctx = aes_gcm::<Aes128>(&key).unwrap();
        let theirs = aes_gcm::AesGcm::<Aes128, U16>::new_from_slice(&key).unwrap();
        let nonce = [9u8; 16];
        for len in [0, 1, 15, 16, 17, 100] {
            let pt = vec![3u8; len];
            let mut out = vec![0u8; len + 16];
            ctx.encrypt_into(&nonce, &pt, &[b"aad"], &mut out).unwrap();
            let mut want = vec![0u8; len + 16];
            seal(
                &theirs,
                AeadAlgorithm::AesGcm,
                &nonce,
                &pt,
                b"aad",
                &mut want,
            )
            .unwrap();
            assert_eq!(out, want);
            let mut back = vec![0u8; len];
            ctx.decrypt_into(&nonce, &out, &[b"aad"], &mut back)
                .unwrap();
            assert_eq!(back, pt);
        }
    }
}
