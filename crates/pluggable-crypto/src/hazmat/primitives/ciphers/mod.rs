//! Symmetric encryption: an [algorithm](algorithms) in a [mode](modes), run by a backend.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::Cbc, Cipher};
//!
//! let cipher = Cipher::new(Aes::new(&[7; 32])?, Cbc::new(&[9; 16])?)?;
//! let mut encryptor = cipher.encryptor()?;
//! let mut ciphertext = encryptor.update(b"a secret message")?;
//! ciphertext.extend(encryptor.finalize()?);
//!
//! let mut decryptor = cipher.decryptor()?;
//! let mut plaintext = decryptor.update(&ciphertext)?;
//! plaintext.extend(decryptor.finalize()?);
//! assert_eq!(plaintext, b"a secret message");
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::exceptions::{Bytes, Error, Result};
use crate::hazmat::backends::{default_backend, Backend, Direction, SymmetricContext};

pub mod algorithms;
pub mod modes;
mod output;
mod tag;

use algorithms::CipherAlgorithm;
use modes::{Cfb, Cfb8, Ctr, Gcm, Mode, ModeWithAuthenticationTag, Ofb, Processing, Xts};
pub(crate) use output::check_output_len;
use tag::check_tag_length;

/// Anything [`Cipher::new`] accepts as an algorithm: a built-in or user algorithm value, or a
/// shared or boxed `dyn CipherAlgorithm`.
pub trait IntoAlgorithm {
    /// The algorithm as a shared trait object.
    fn into_algorithm(self) -> Arc<dyn CipherAlgorithm>;
}

impl<A: CipherAlgorithm> IntoAlgorithm for A {
    fn into_algorithm(self) -> Arc<dyn CipherAlgorithm> {
        Arc::new(self)
    }
}

impl IntoAlgorithm for Arc<dyn CipherAlgorithm> {
    fn into_algorithm(self) -> Arc<dyn CipherAlgorithm> {
        self
    }
}

impl IntoAlgorithm for Box<dyn CipherAlgorithm> {
    fn into_algorithm(self) -> Arc<dyn CipherAlgorithm> {
        Arc::from(self)
    }
}

/// Anything [`Cipher::new`] accepts as a mode: a mode value, a shared or boxed `dyn Mode`, or
/// `None` for a stream cipher.
pub trait IntoMode {
    /// The mode as a shared trait object, or `None`.
    fn into_mode(self) -> Option<Arc<dyn Mode>>;
}

impl<M: Mode> IntoMode for M {
    fn into_mode(self) -> Option<Arc<dyn Mode>> {
        Some(Arc::new(self))
    }
}

impl IntoMode for Option<Arc<dyn Mode>> {
    fn into_mode(self) -> Option<Arc<dyn Mode>> {
        self
    }
}

impl IntoMode for Arc<dyn Mode> {
    fn into_mode(self) -> Option<Arc<dyn Mode>> {
        Some(self)
    }
}

impl IntoMode for Box<dyn Mode> {
    fn into_mode(self) -> Option<Arc<dyn Mode>> {
        Some(Arc::from(self))
    }
}

/// A validated algorithm/mode pair bound to a backend; makes encryptors and decryptors (pyca's
/// `Cipher`).
///
/// The key, IV and mode rules are checked when it is built, so a bad IV fails here, not in a
/// backend. One `Cipher` makes any number of contexts.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::{Cbc, Gcm}, Cipher};
/// use pluggable_crypto::Error;
///
/// let (key, iv) = ([0x11; 16], [0x22; 12]);
/// let cipher = Cipher::new(Aes::new(&key)?, Gcm::new(&iv)?)?;
/// let mut encryptor = cipher.encryptor()?;
/// encryptor.authenticate_additional_data(b"header")?;
/// let mut ciphertext = encryptor.update(b"attack at dawn")?;
/// ciphertext.extend(encryptor.finalize()?);
/// let tag = encryptor.tag()?.to_vec();
///
/// let mut decryptor = cipher.decryptor()?;
/// decryptor.authenticate_additional_data(b"header")?;
/// let mut plaintext = decryptor.update(&ciphertext)?;
/// plaintext.extend(decryptor.finalize_with_tag(&tag)?);
/// assert_eq!(plaintext, b"attack at dawn");
///
/// // An IV that does not fit the cipher's block is refused when the Cipher is built.
/// let err = Cipher::new(Aes::new(&key)?, Cbc::new(&[0; 8])?).unwrap_err();
/// assert_eq!(
///     err,
///     Error::InvalidArgument(
///         "invalid IV size (8 bytes) for CBC with AES: must be 16 bytes (the block size)".into()
///     )
/// );
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Cipher {
    algorithm: Arc<dyn CipherAlgorithm>,
    mode: Option<Arc<dyn Mode>>,
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cipher")
            .field("algorithm", &self.algorithm)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl Cipher {
    /// Pairs `algorithm` with `mode` (`None` for a stream cipher) on the default backend.
    ///
    /// Fails when the mode does not fit the algorithm: a wrong IV size, a mode given to a stream
    /// cipher, no mode given to a block cipher.
    pub fn new(algorithm: impl IntoAlgorithm, mode: impl IntoMode) -> Result<Self> {
        Self::with_backend(algorithm, mode, default_backend())
    }

    /// As [`Cipher::new`], on an explicit backend.
    pub fn with_backend(
        algorithm: impl IntoAlgorithm,
        mode: impl IntoMode,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let algorithm = algorithm.into_algorithm();
        let mode = mode.into_mode();
        match (&mode, algorithm.block_size()) {
            (None, Some(_)) => {
                return Err(Error::invalid(format!(
                    "{} is a block cipher and needs a mode",
                    algorithm.name()
                )))
            }
            (Some(mode), None) => {
                return Err(Error::invalid(format!(
                    "{} is a stream cipher and takes no mode, got {}",
                    algorithm.name(),
                    mode.name()
                )))
            }
            (Some(mode), Some(_)) => mode.validate_for_algorithm(&*algorithm)?,
            (None, None) => {}
        }
        Ok(Cipher {
            algorithm,
            mode,
            backend,
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> &dyn CipherAlgorithm {
        &*self.algorithm
    }

    /// The mode, if any.
    pub fn mode(&self) -> Option<&dyn Mode> {
        self.mode.as_deref()
    }

    /// The authentication parameters: an AEAD mode's, or a mode-less AEAD algorithm's.
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        self.mode()
            .and_then(Mode::authentication)
            .or_else(|| self.algorithm().authentication())
    }

    /// A context that encrypts. An authenticated mode must not carry a tag here.
    pub fn encryptor(&self) -> Result<CipherContext> {
        if let Some(auth) = self.authentication() {
            if auth.tag().is_some() {
                return Err(Error::invalid(
                    "an authentication tag must not be given to the mode when encrypting",
                ));
            }
        }
        let inner = self
            .backend
            .create_symmetric_encryption_ctx(self.algorithm(), self.mode())?;
        Ok(CipherContext::new(inner, self, Direction::Encrypt))
    }

    /// A context that decrypts. For an authenticated mode the tag comes from the mode or from
    /// [`CipherContext::finalize_with_tag`], exactly one of the two.
    pub fn decryptor(&self) -> Result<CipherContext> {
        if let Some(tag) = self.authentication().and_then(|a| a.tag()) {
            InlineTag::new(tag)?;
        }
        let inner = self
            .backend
            .create_symmetric_decryption_ctx(self.algorithm(), self.mode())?;
        Ok(CipherContext::new(inner, self, Direction::Decrypt))
    }
}

/// True for the contexts whose every `update` writes exactly its input's length: a stream
/// cipher (no mode) and the built-in stream modes. A mode from outside this crate keeps the
/// block-mode bound, since nothing says how its backend buffers.
fn writes_exactly_its_input(mode: Option<&dyn Mode>) -> bool {
    let Some(mode) = mode else {
        return true;
    };
    let mode: &dyn std::any::Any = mode;
    mode.is::<Ctr>()
        || mode.is::<Ofb>()
        || mode.is::<Cfb>()
        || mode.is::<Cfb8>()
        || mode.is::<Gcm>()
}

/// A tag of at most 16 bytes kept inline, so no message allocates for its tag.
#[derive(Clone, Copy)]
struct InlineTag {
    bytes: [u8; 16],
    len: usize,
}

impl InlineTag {
    /// The longest tag kept inline (and the longest any built-in mode has).
    const MAX: usize = 16;

    fn new(tag: &[u8]) -> Result<Self> {
        let mut bytes = [0u8; Self::MAX];
        bytes
            .get_mut(..tag.len())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "tags longer than {} are not supported, got {}",
                    Bytes(Self::MAX),
                    Bytes(tag.len())
                ))
            })?
            .copy_from_slice(tag);
        Ok(InlineTag {
            bytes,
            len: tag.len(),
        })
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The rules of an authenticated message, tracked across calls.
struct AeadState {
    mode_tag: Option<InlineTag>,
    min_tag_length: usize,
    max_tag_length: usize,
    max_data_bytes: u64,
    max_aad_bytes: u64,
    data_bytes: u64,
    aad_bytes: u64,
    /// Any `update` call, even an empty one, ends the AAD phase (as in pyca).
    updated: bool,
    /// The tag of a finished encryption.
    tag: Option<InlineTag>,
}

/// A streaming encryption or decryption: `update` as often as needed, then `finalize`.
///
/// Every usage rule lives here, the same for all backends: output-buffer sizes, whole blocks
/// for ECB/CBC, the AEAD ordering and tag rules and byte limits, and `AlreadyFinalized` after
/// the end.
///
/// [`update_into`](Self::update_into) writes into a buffer of the caller's, so a long stream
/// needs no allocation per chunk. A stream mode such as CTR writes exactly its input, so a
/// buffer as large as the largest chunk is enough:
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::Ctr, Cipher};
///
/// // NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt), the first block.
/// let key = [0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
///            0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c];
/// let counter = [0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
///                0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff];
/// let plaintext = [0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
///                  0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a];
///
/// let mut encryptor = Cipher::new(Aes::new(&key)?, Ctr::new(&counter)?)?.encryptor()?;
///
/// // One byte short of what is needed is an error naming the size, and nothing is consumed.
/// let err = encryptor.update_into(&plaintext, &mut [0u8; 15]).unwrap_err();
/// assert_eq!(err.to_string(), "output buffer too small: need at least 16 bytes, got 15 bytes");
///
/// let mut buffer = [0u8; 5]; // one chunk's worth
/// let mut ciphertext = Vec::new();
/// for chunk in plaintext.chunks(buffer.len()) {
///     assert_eq!(encryptor.update_output_size(chunk.len()), chunk.len());
///     let n = encryptor.update_into(chunk, &mut buffer)?;
///     ciphertext.extend_from_slice(&buffer[..n]);
/// }
/// let n = encryptor.finalize_into(&mut buffer)?;
/// ciphertext.extend_from_slice(&buffer[..n]);
/// assert_eq!(ciphertext[..4], [0x87, 0x4d, 0x61, 0x91]);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct CipherContext {
    inner: Box<dyn SymmetricContext>,
    direction: Direction,
    block_bytes: usize,
    /// What `update_into` may write beyond the input's length: 0 for stream ciphers and the
    /// built-in stream modes, `block_bytes - 1` otherwise.
    update_slack: usize,
    processing: Processing,
    /// Bytes since the last whole block (ECB/CBC).
    partial_len: usize,
    /// The buffered data unit (XTS), wiped on drop.
    whole_message: Zeroizing<Vec<u8>>,
    aead: Option<AeadState>,
    /// Keystream bytes left for ciphers whose counter can run out (ChaCha20).
    keystream_left: Option<u128>,
    finalized: bool,
}

impl fmt::Debug for CipherContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CipherContext")
            .field("direction", &self.direction)
            .field("finalized", &self.finalized)
            .finish_non_exhaustive()
    }
}

impl CipherContext {
    fn new(inner: Box<dyn SymmetricContext>, cipher: &Cipher, direction: Direction) -> Self {
        let mode = cipher.mode();
        let aead = cipher.authentication().map(|auth| AeadState {
            // Checked by `decryptor` (and never present for an encryptor).
            mode_tag: auth.tag().and_then(|t| InlineTag::new(t).ok()),
            min_tag_length: auth.min_tag_length(),
            max_tag_length: auth.max_tag_length(),
            max_data_bytes: auth.max_data_bytes(),
            max_aad_bytes: auth.max_aad_bytes(),
            data_bytes: 0,
            aad_bytes: 0,
            updated: false,
            tag: None,
        });
        let block_bytes = cipher.algorithm().block_size().map_or(1, |bits| bits / 8);
        CipherContext {
            inner,
            direction,
            block_bytes,
            update_slack: if writes_exactly_its_input(mode) {
                0
            } else {
                block_bytes - 1
            },
            processing: mode.map_or(Processing::Stream, Mode::processing),
            partial_len: 0,
            whole_message: Zeroizing::new(Vec::new()),
            aead,
            keystream_left: cipher.algorithm().keystream_limit(),
            finalized: false,
        }
    }

    /// Whether this context encrypts or decrypts.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The size [`update_into`](Self::update_into) needs for an input of `len` bytes: exactly
    /// `len` for a stream cipher (ChaCha20, ARC4, a mode-less AEAD) and the stream modes (CTR,
    /// OFB, CFB, CFB8, GCM); `len + block bytes - 1` for the block modes (CBC, ECB), which may
    /// release a block held back from an earlier call, for XTS, and for modes defined outside
    /// this crate. Saturates at `usize::MAX`.
    pub fn update_output_size(&self, len: usize) -> usize {
        len.saturating_add(self.update_slack)
    }

    /// Processes `data` and returns the output it produces now.
    pub fn update(&mut self, data: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0; self.update_output_size(data.len())];
        let n = self.update_into(data, &mut out)?;
        out.truncate(n);
        Ok(out)
    }

    /// Processes `data` into `out` and returns how many bytes were written.
    ///
    /// `out` must hold [`update_output_size(data.len())`](Self::update_output_size) bytes:
    /// exactly `data.len()` for stream ciphers and the stream modes (CTR, OFB, CFB, CFB8,
    /// GCM), `data.len() + block bytes - 1` for CBC, ECB, XTS and modes defined outside this
    /// crate. A shorter `out` is `InvalidArgument` naming the size needed, and nothing is
    /// processed, so the call can be repeated with a larger buffer.
    pub fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        check_output_len(self.update_output_size(data.len()), out)?;
        if let Some(left) = &mut self.keystream_left {
            *left = left.checked_sub(data.len() as u128).ok_or_else(|| {
                Error::invalid("keystream exhausted: the cipher's block counter would wrap")
            })?;
        }
        if let Some(aead) = &mut self.aead {
            let total = aead.data_bytes.saturating_add(data.len() as u64);
            if total > aead.max_data_bytes {
                return Err(Error::invalid(format!(
                    "exceeded the maximum of {} data bytes for one message in this mode",
                    aead.max_data_bytes
                )));
            }
            aead.data_bytes = total;
            aead.updated = true;
        }
        match self.processing {
            Processing::WholeMessage => {
                if self.whole_message.len() + data.len() > Xts::MAX_DATA_UNIT_BYTES {
                    return Err(Error::invalid(format!(
                        "a data unit may hold at most {} bytes in this mode",
                        Xts::MAX_DATA_UNIT_BYTES
                    )));
                }
                self.whole_message.extend_from_slice(data);
                Ok(0)
            }
            Processing::FullBlocks => {
                let n = self.inner.update_into(data, out)?;
                self.partial_len = (self.partial_len + data.len()) % self.block_bytes;
                Ok(n)
            }
            _ => self.inner.update_into(data, out),
        }
    }

    /// Feeds additional authenticated data; only for authenticated modes, only before any
    /// data (else `AlreadyUpdated`). May be called several times.
    pub fn authenticate_additional_data(&mut self, data: &[u8]) -> Result<()> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        let aead = self.aead.as_mut().ok_or_else(|| {
            Error::invalid("additional authenticated data needs an authenticated mode such as GCM")
        })?;
        if aead.updated {
            return Err(Error::AlreadyUpdated);
        }
        let total = aead.aad_bytes.saturating_add(data.len() as u64);
        if total > aead.max_aad_bytes {
            return Err(Error::invalid(format!(
                "exceeded the maximum of {} additional authenticated bytes in this mode",
                aead.max_aad_bytes
            )));
        }
        aead.aad_bytes = total;
        self.inner.authenticate_additional_data(data)
    }

    /// Finishes the message and returns the last output. For authenticated decryption the
    /// tag must have been given in the mode (else use [`finalize_with_tag`](Self::finalize_with_tag));
    /// a mismatch is `InvalidTag`.
    pub fn finalize(&mut self) -> Result<Vec<u8>> {
        let mut out = vec![0; self.finalize_output_size()];
        let n = self.finalize_into(&mut out)?;
        out.truncate(n);
        Ok(out)
    }

    /// The size `finalize_into` needs.
    pub fn finalize_output_size(&self) -> usize {
        self.update_output_size(self.whole_message.len())
    }

    /// As [`finalize`](Self::finalize), into `out` (at least
    /// [`finalize_output_size`](Self::finalize_output_size) bytes).
    pub fn finalize_into(&mut self, out: &mut [u8]) -> Result<usize> {
        let tag = match (&self.aead, self.direction) {
            (Some(aead), Direction::Decrypt) => match aead.mode_tag {
                Some(tag) => Some(tag),
                None => {
                    if self.finalized {
                        return Err(Error::AlreadyFinalized);
                    }
                    return Err(Error::invalid(
                        "authenticated decryption needs the tag: give it to the mode or call \
                         finalize_with_tag",
                    ));
                }
            },
            _ => None,
        };
        self.finish(tag.as_ref().map(InlineTag::as_slice), out)
    }

    /// Finishes an authenticated decryption against `tag` (when the mode carried none).
    pub fn finalize_with_tag(&mut self, tag: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0; self.finalize_output_size()];
        let n = self.finalize_with_tag_into(tag, &mut out)?;
        out.truncate(n);
        Ok(out)
    }

    /// As [`finalize_with_tag`](Self::finalize_with_tag), into `out`.
    pub fn finalize_with_tag_into(&mut self, tag: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        let aead = match (&self.aead, self.direction) {
            (Some(aead), Direction::Decrypt) => aead,
            (Some(_), Direction::Encrypt) => {
                return Err(Error::invalid(
                    "finalize_with_tag is for decryption; an encryptor produces its tag",
                ))
            }
            (None, _) => {
                return Err(Error::invalid(
                    "finalize_with_tag needs an authenticated mode such as GCM",
                ))
            }
        };
        if aead.mode_tag.is_some() {
            return Err(Error::invalid(
                "the tag was already given to the mode; call finalize instead",
            ));
        }
        check_tag_length(tag, aead.min_tag_length, aead.max_tag_length)?;
        self.finish(Some(tag), out)
    }

    fn finish(&mut self, tag: Option<&[u8]>, out: &mut [u8]) -> Result<usize> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        check_output_len(self.finalize_output_size(), out)?;
        // Whatever happens next, the message is over.
        self.finalized = true;
        let mut written = 0;
        match self.processing {
            Processing::FullBlocks if self.partial_len != 0 => {
                return Err(Error::invalid(format!(
                    "the length of the data is not a multiple of the block length \
                     ({}); this mode does not pad",
                    Bytes(self.block_bytes)
                )));
            }
            Processing::WholeMessage => {
                if self.whole_message.len() < self.block_bytes {
                    return Err(Error::invalid(format!(
                        "this mode needs at least one full block ({}) of data, got {}",
                        Bytes(self.block_bytes),
                        Bytes(self.whole_message.len())
                    )));
                }
                let message = std::mem::take(&mut self.whole_message);
                written = self.inner.update_into(&message, out)?;
            }
            _ => {}
        }
        let rest = &mut out[written..];
        written += match tag {
            Some(tag) => self.inner.finalize_with_tag_into(tag, rest)?,
            None => self.inner.finalize_into(rest)?,
        };
        if let (Some(aead), Direction::Encrypt) = (&mut self.aead, self.direction) {
            let tag = self
                .inner
                .tag()
                .ok_or_else(|| Error::Backend("the backend produced no tag".into()))?;
            aead.tag = Some(InlineTag::new(tag)?);
        }
        Ok(written)
    }

    /// The authentication tag of a finished encryption (`NotYetFinalized` before `finalize`).
    pub fn tag(&self) -> Result<&[u8]> {
        match (&self.aead, self.direction) {
            (Some(aead), Direction::Encrypt) => aead
                .tag
                .as_ref()
                .map(InlineTag::as_slice)
                .ok_or(Error::NotYetFinalized),
            (Some(_), Direction::Decrypt) => Err(Error::invalid(
                "a decryptor has no tag to give; the tag is an input when decrypting",
            )),
            (None, _) => Err(Error::invalid("only authenticated modes produce a tag")),
        }
    }

    /// The backend's context, for backend-specific access (e.g. the OpenSSL backend's native
    /// pointer, through [`std::any::Any`] downcasting).
    pub fn backend_context(&self) -> &dyn SymmetricContext {
        &*self.inner
    }
}
