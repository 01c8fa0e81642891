//! Generic cipher contexts over the RustCrypto traits: one type per family of modes.
//!
//! - [`BlockContext`]: whole-block modes (ECB, CBC, CFB8), buffering a partial block.
//! - [`StreamContext`]: keystream modes and stream ciphers (CTR, OFB, ChaCha20, RC4).
//! - [`CfbContext`]: full-block CFB, whose encryption and decryption differ.
//! - [`XtsContext`]: XTS, one data unit per call.
//!
//! A [`Factory`] builds one of them from key, IV and direction; the backend's registry maps
//! each (algorithm, mode, key size) to a factory.

use cipher::array::Array;
use cipher::consts::U16;
use cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, BlockSizeUser,
    InOutBuf, KeyInit, KeyIvInit, StreamCipher, StreamCipherCore, StreamCipherCoreWrapper,
};
use zeroize::Zeroize;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::check_output_len;

/// Builds a context from key, IV/nonce (if the mode has one) and direction.
pub(super) type Factory = fn(&[u8], Option<&[u8]>, Direction) -> Result<Box<dyn SymmetricContext>>;

fn bad_key(len: usize) -> Error {
    Error::invalid(format!(
        "invalid key length ({}) for this cipher",
        crate::exceptions::Bytes(len)
    ))
}

fn need_iv(iv: Option<&[u8]>) -> Result<&[u8]> {
    iv.ok_or_else(|| Error::invalid("this mode needs an IV"))
}

fn bad_key_or_iv(key: &[u8], iv: &[u8]) -> Error {
    Error::invalid(format!(
        "invalid key ({}) or IV ({}) length",
        crate::exceptions::Bytes(key.len()),
        crate::exceptions::Bytes(iv.len())
    ))
}

/// Processes whole blocks of `block` bytes from `input` into `output` (equal lengths).
pub(super) trait BlockProcessor: Send + 'static {
    /// The block size in bytes.
    const BLOCK: usize;
    /// `input.len() == output.len()`, a multiple of `BLOCK`.
    fn process(&mut self, input: &[u8], output: &mut [u8]);
}

/// Splits `input`/`output` into blocks of `B` and runs `f` over them without copying.
fn with_blocks<B: BlockSizeUser>(
    input: &[u8],
    output: &mut [u8],
    f: impl FnOnce(InOutBuf<'_, '_, Array<u8, B::BlockSize>>),
) {
    if let Ok(buf) = InOutBuf::new(input, output) {
        let (blocks, _tail) = buf.into_chunks();
        f(blocks);
    }
}

/// Block-mode encryption (CBC, CFB8) through `BlockModeEncrypt`.
pub(super) struct ModeEncrypt<M>(M);
/// Block-mode decryption (CBC, CFB8) through `BlockModeDecrypt`.
pub(super) struct ModeDecrypt<M>(M);
/// ECB encryption: the bare block cipher.
pub(super) struct EcbEncrypt<C>(C);
/// ECB decryption: the bare block cipher.
pub(super) struct EcbDecrypt<C>(C);

impl<M: BlockModeEncrypt + Send + 'static> BlockProcessor for ModeEncrypt<M> {
    const BLOCK: usize = <M::BlockSize as cipher::typenum::Unsigned>::USIZE;
    fn process(&mut self, input: &[u8], output: &mut [u8]) {
        with_blocks::<M>(input, output, |blocks| self.0.encrypt_blocks_inout(blocks));
    }
}

impl<M: BlockModeDecrypt + Send + 'static> BlockProcessor for ModeDecrypt<M> {
    const BLOCK: usize = <M::BlockSize as cipher::typenum::Unsigned>::USIZE;
    fn process(&mut self, input: &[u8], output: &mut [u8]) {
        with_blocks::<M>(input, output, |blocks| self.0.decrypt_blocks_inout(blocks));
    }
}

impl<C: BlockCipherEncrypt + Send + 'static> BlockProcessor for EcbEncrypt<C> {
    const BLOCK: usize = <C::BlockSize as cipher::typenum::Unsigned>::USIZE;
    fn process(&mut self, input: &[u8], output: &mut [u8]) {
        with_blocks::<C>(input, output, |blocks| self.0.encrypt_blocks_inout(blocks));
    }
}

impl<C: BlockCipherDecrypt + Send + 'static> BlockProcessor for EcbDecrypt<C> {
    const BLOCK: usize = <C::BlockSize as cipher::typenum::Unsigned>::USIZE;
    fn process(&mut self, input: &[u8], output: &mut [u8]) {
        with_blocks::<C>(input, output, |blocks| self.0.decrypt_blocks_inout(blocks));
    }
}

/// A whole-block mode with a partial-block buffer, so updates may be any length.
pub(super) struct BlockContext<P: BlockProcessor> {
    processor: P,
    pending: [u8; 16],
    pending_len: usize,
}

impl<P: BlockProcessor> BlockContext<P> {
    fn boxed(processor: P) -> Box<dyn SymmetricContext> {
        Box::new(BlockContext {
            processor,
            pending: [0; 16],
            pending_len: 0,
        })
    }
}

impl<P: BlockProcessor> SymmetricContext for BlockContext<P> {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        let block = P::BLOCK;
        check_output_len(data.len().saturating_add(block - 1), out)?;
        let mut input = data;
        let mut written = 0;
        if self.pending_len > 0 {
            let take = (block - self.pending_len).min(input.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&input[..take]);
            self.pending_len += take;
            input = &input[take..];
            if self.pending_len < block {
                return Ok(0);
            }
            let full = self.pending;
            self.processor.process(&full[..block], &mut out[..block]);
            self.pending_len = 0;
            written = block;
        }
        let whole = input.len() - input.len() % block;
        self.processor
            .process(&input[..whole], &mut out[written..written + whole]);
        written += whole;
        let tail = &input[whole..];
        self.pending[..tail.len()].copy_from_slice(tail);
        self.pending_len = tail.len();
        Ok(written)
    }

    fn finalize_into(&mut self, _out: &mut [u8]) -> Result<usize> {
        if self.pending_len != 0 {
            return Err(Error::invalid(
                "the length of the data is not a multiple of the block length",
            ));
        }
        Ok(0)
    }
}

impl<P: BlockProcessor> Drop for BlockContext<P> {
    fn drop(&mut self) {
        self.pending.zeroize();
    }
}

/// A keystream cipher: output = input XOR keystream, any length.
pub(super) struct StreamContext<S> {
    cipher: S,
}

impl<S: StreamCipher + Send + 'static> StreamContext<S> {
    pub(super) fn boxed(cipher: S) -> Box<dyn SymmetricContext> {
        Box::new(StreamContext { cipher })
    }
}

impl<S: StreamCipher + Send + 'static> SymmetricContext for StreamContext<S> {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        check_output_len(data.len(), out)?;
        self.cipher
            .try_apply_keystream_b2b(data, &mut out[..data.len()])
            .map_err(|_| Error::invalid("keystream exhausted: the cipher's counter would wrap"))?;
        Ok(data.len())
    }

    fn finalize_into(&mut self, _out: &mut [u8]) -> Result<usize> {
        Ok(0)
    }
}

/// Full-block CFB, streaming any length.
pub(super) enum CfbContext<C: BlockCipherEncrypt> {
    Encrypt(cfb_mode::BufEncryptor<C>),
    Decrypt(cfb_mode::BufDecryptor<C>),
}

impl<C: BlockCipherEncrypt + Send + 'static> SymmetricContext for CfbContext<C> {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        check_output_len(data.len(), out)?;
        let out = &mut out[..data.len()];
        out.copy_from_slice(data);
        match self {
            CfbContext::Encrypt(c) => c.encrypt(out),
            CfbContext::Decrypt(c) => c.decrypt(out),
        }
        Ok(data.len())
    }

    fn finalize_into(&mut self, _out: &mut [u8]) -> Result<usize> {
        Ok(0)
    }
}

/// XTS: each `update_into` is one data unit of at least 16 bytes under the same tweak (the
/// primitives layer buffers the message and calls it once).
pub(super) struct XtsContext<C> {
    xts: xts_mode::Xts128<C>,
    tweak: Array<u8, U16>,
    direction: Direction,
}

impl<C> SymmetricContext for XtsContext<C>
where
    C: BlockCipherEncrypt + BlockCipherDecrypt + BlockSizeUser<BlockSize = U16> + Send + 'static,
{
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        check_output_len(data.len(), out)?;
        if data.is_empty() {
            return Ok(0);
        }
        if data.len() < 16 {
            return Err(Error::invalid("an XTS data unit needs at least 16 bytes"));
        }
        let out = &mut out[..data.len()];
        out.copy_from_slice(data);
        match self.direction {
            Direction::Encrypt => self.xts.encrypt_sector(out, self.tweak),
            Direction::Decrypt => self.xts.decrypt_sector(out, self.tweak),
        }
        Ok(data.len())
    }

    fn finalize_into(&mut self, _out: &mut [u8]) -> Result<usize> {
        Ok(0)
    }
}

// Factories: one generic function per mode, instantiated per cipher in the registry.

pub(super) fn ecb<C>(
    key: &[u8],
    _iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    C: KeyInit + BlockCipherEncrypt + BlockCipherDecrypt + Send + 'static,
{
    let cipher = C::new_from_slice(key).map_err(|_| bad_key(key.len()))?;
    Ok(match direction {
        Direction::Encrypt => BlockContext::boxed(EcbEncrypt(cipher)),
        Direction::Decrypt => BlockContext::boxed(EcbDecrypt(cipher)),
    })
}

/// A whole-block mode (CBC, CFB8) from its encryptor and decryptor types, e.g.
/// `cbc::Encryptor<Aes128>` / `cbc::Decryptor<Aes128>`.
pub(super) fn block_mode<E, D>(
    key: &[u8],
    iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    E: KeyIvInit + BlockModeEncrypt + Send + 'static,
    D: KeyIvInit + BlockModeDecrypt + Send + 'static,
{
    let iv = need_iv(iv)?;
    let bad = |_| bad_key_or_iv(key, iv);
    Ok(match direction {
        Direction::Encrypt => {
            BlockContext::boxed(ModeEncrypt(E::new_from_slices(key, iv).map_err(bad)?))
        }
        Direction::Decrypt => {
            BlockContext::boxed(ModeDecrypt(D::new_from_slices(key, iv).map_err(bad)?))
        }
    })
}

pub(super) fn cfb<C>(
    key: &[u8],
    iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    C: KeyInit + BlockCipherEncrypt + Send + 'static,
{
    let iv = need_iv(iv)?;
    let bad = |_| bad_key_or_iv(key, iv);
    Ok(Box::new(match direction {
        Direction::Encrypt => {
            CfbContext::Encrypt(cfb_mode::BufEncryptor::<C>::new_from_slices(key, iv).map_err(bad)?)
        }
        Direction::Decrypt => {
            CfbContext::Decrypt(cfb_mode::BufDecryptor::<C>::new_from_slices(key, iv).map_err(bad)?)
        }
    }))
}

/// A keystream mode (OFB, CTR) from its core type, e.g. `ofb::OfbCore<Aes128>`. The core is
/// keyed through the inner cipher's `new_from_slice`, so variable-length keys (Blowfish,
/// CAST5) work.
pub(super) fn stream<K>(
    key: &[u8],
    iv: Option<&[u8]>,
    _direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    K: KeyIvInit + StreamCipherCore + Send + 'static,
    K::BlockSize: block_buffer::BlockSizes,
{
    let iv = need_iv(iv)?;
    let core = K::new_from_slices(key, iv).map_err(|_| bad_key_or_iv(key, iv))?;
    Ok(StreamContext::boxed(StreamCipherCoreWrapper::from_core(
        core,
    )))
}

pub(super) fn xts<C>(
    key: &[u8],
    iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    C: KeyInit
        + BlockCipherEncrypt
        + BlockCipherDecrypt
        + BlockSizeUser<BlockSize = U16>
        + Send
        + 'static,
{
    let tweak: [u8; 16] = need_iv(iv)?
        .try_into()
        .map_err(|_| Error::invalid("the XTS tweak must be 16 bytes"))?;
    let (k1, k2) = key.split_at(key.len() / 2);
    let c1 = C::new_from_slice(k1).map_err(|_| bad_key(key.len()))?;
    let c2 = C::new_from_slice(k2).map_err(|_| bad_key(key.len()))?;
    Ok(Box::new(XtsContext {
        xts: xts_mode::Xts128::new(c1, c2),
        tweak: Array::from(tweak),
        direction,
    }))
}

pub(super) fn gcm<C>(
    key: &[u8],
    iv: Option<&[u8]>,
    direction: Direction,
) -> Result<Box<dyn SymmetricContext>>
where
    C: KeyInit + BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + Send + 'static,
{
    Ok(Box::new(super::gcm::GcmContext::<C>::new(
        key,
        need_iv(iv)?,
        direction,
    )?))
}

/// RC4 with any key length the descriptor allows.
pub(super) fn rc4(
    key: &[u8],
    _iv: Option<&[u8]>,
    _direction: Direction,
) -> Result<Box<dyn SymmetricContext>> {
    let cipher = rc4::Rc4::new_from_slice(key).map_err(|_| bad_key(key.len()))?;
    Ok(StreamContext::boxed(cipher))
}

/// ChaCha20 with the 16-byte counter‖nonce layout. The 32-bit counter and the first nonce
/// word form the 64-bit block counter of the original ChaCha20 (`ChaCha20Legacy`), so a
/// counter overflow carries into the nonce exactly as in OpenSSL.
pub(super) fn chacha20(
    key: &[u8],
    iv: Option<&[u8]>,
    _direction: Direction,
) -> Result<Box<dyn SymmetricContext>> {
    use chacha20::{ChaCha20Legacy, ChaCha20LegacyCore};
    let iv: [u8; 16] = need_iv(iv)?
        .try_into()
        .map_err(|_| Error::invalid("the ChaCha20 nonce must be 16 bytes"))?;
    let key: [u8; 32] = key.try_into().map_err(|_| bad_key(key.len()))?;
    let nonce: [u8; 8] = [iv[8], iv[9], iv[10], iv[11], iv[12], iv[13], iv[14], iv[15]];
    let counter = u64::from(u32::from_le_bytes([iv[0], iv[1], iv[2], iv[3]]))
        | (u64::from(u32::from_le_bytes([iv[4], iv[5], iv[6], iv[7]])) << 32);
    let mut core = ChaCha20LegacyCore::new(&key.into(), &nonce.into());
    core.set_block_pos(counter);
    Ok(StreamContext::boxed(ChaCha20Legacy::from_core(core)))
}
