//! Cipher contexts on `EVP_CIPHER_CTX`, and the adapter that maps a pair to an `EVP_CIPHER`.

use super::evp::{Cipher, CipherCtx};
use super::ffi;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{CipherAdapter, Direction, SymmetricContext};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::check_output_len;
use crate::hazmat::primitives::ciphers::modes::Mode;

/// The longest AEAD tag OpenSSL produces for the modes we register (GCM, ChaCha20-Poly1305).
const TAG_LEN: usize = 16;

enum Keying {
    /// One `EVP_CIPHER` per key size in bits.
    Fixed(Vec<(usize, Cipher)>),
    /// One `EVP_CIPHER` whose key length is set per context; the accepted sizes in bits
    /// (empty: any size the cipher takes).
    Variable(Cipher, Vec<usize>),
}

/// Maps a (cipher, mode) pair to `EVP_CIPHER`s and makes [`OpenSslCipherContext`]s.
///
/// The built-in pairs use it; register one for your own algorithm type with
/// [`EvpCipherAdapter::fetch`]:
///
/// ```
/// use std::sync::Arc;
/// use pluggable_crypto::hazmat::backends::{openssl, CipherBackend, CipherPair};
/// use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::CipherAlgorithm, modes::Cbc, Cipher};
///
/// /// ARIA, a cipher this crate has no type for.
/// #[derive(Debug)]
/// struct Aria(Vec<u8>);
/// impl CipherAlgorithm for Aria {
///     fn name(&self) -> &'static str { "ARIA" }
///     fn key_size(&self) -> usize { self.0.len() * 8 }
///     fn key(&self) -> &[u8] { &self.0 }
///     fn block_size(&self) -> Option<usize> { Some(128) }
/// }
///
/// let backend = openssl::backend();
/// let adapter = openssl::EvpCipherAdapter::fetch("ARIA-128-CBC")?;
/// backend.register_cipher_adapter(CipherPair::new::<Aria, Cbc>("ARIA", "CBC"), Arc::new(adapter))?;
/// let cipher = Cipher::with_backend(Aria(vec![1; 16]), Cbc::new(&[2; 16])?, backend)?;
/// let mut encryptor = cipher.encryptor()?;
/// assert_eq!(encryptor.update(&[0; 16])?.len(), 16);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct EvpCipherAdapter {
    keying: Keying,
}

impl EvpCipherAdapter {
    /// Fetches the `EVP_CIPHER` named `name` (e.g. `"ARIA-128-CBC"`) from the default library
    /// context; `UnsupportedAlgorithm` if no loaded provider has it.
    pub fn fetch(name: &str) -> Result<Self> {
        let cipher = Cipher::fetch(name).ok_or_else(|| {
            Error::unsupported(
                crate::exceptions::Reason::UnsupportedCipher,
                format!("libcrypto has no cipher named {name:?}"),
            )
        })?;
        let keying = if cipher.has_variable_key_length() {
            Keying::Variable(cipher, Vec::new())
        } else {
            Keying::Fixed(vec![(cipher.key_length() * 8, cipher)])
        };
        Ok(EvpCipherAdapter { keying })
    }

    pub(super) fn fixed(variants: Vec<(usize, Cipher)>) -> Self {
        EvpCipherAdapter {
            keying: Keying::Fixed(variants),
        }
    }

    pub(super) fn variable(cipher: Cipher, key_sizes: Vec<usize>) -> Self {
        EvpCipherAdapter {
            keying: Keying::Variable(cipher, key_sizes),
        }
    }

    fn cipher_for(&self, key_bits: usize) -> Option<(&Cipher, bool)> {
        match &self.keying {
            Keying::Fixed(variants) => variants
                .iter()
                .find(|(bits, _)| *bits == key_bits)
                .map(|(_, cipher)| (cipher, false)),
            Keying::Variable(cipher, sizes) => {
                (sizes.is_empty() || sizes.contains(&key_bits)).then_some((cipher, true))
            }
        }
    }
}

impl CipherAdapter for EvpCipherAdapter {
    fn supports(&self, algorithm: &dyn CipherAlgorithm, _mode: Option<&dyn Mode>) -> bool {
        self.cipher_for(algorithm.key_size()).is_some()
    }

    fn create_context(
        &self,
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>> {
        let (cipher, variable_key) = self.cipher_for(algorithm.key_size()).ok_or_else(|| {
            Error::invalid(format!(
                "no OpenSSL cipher registered for {} with a {}-bit key",
                algorithm.name(),
                algorithm.key_size()
            ))
        })?;
        let iv = mode
            .and_then(Mode::initialization_vector)
            .or_else(|| algorithm.nonce());
        // An AEAD mode (GCM), or a mode-less AEAD algorithm (ChaCha20-Poly1305): the same
        // EVP calls serve both.
        let aead = mode
            .and_then(Mode::authentication)
            .or_else(|| algorithm.authentication())
            .is_some();
        let ctx =
            OpenSslCipherContext::new(cipher, algorithm.key(), iv, direction, variable_key, aead)?;
        Ok(Box::new(ctx))
    }

    fn key_sizes(&self) -> Vec<usize> {
        match &self.keying {
            Keying::Fixed(variants) => variants.iter().map(|(bits, _)| *bits).collect(),
            Keying::Variable(cipher, sizes) if sizes.is_empty() => vec![cipher.key_length() * 8],
            Keying::Variable(_, sizes) => sizes.clone(),
        }
    }
}

/// A running cipher operation on an `EVP_CIPHER_CTX` (freed, and its key schedule cleansed by
/// libcrypto, on drop).
pub struct OpenSslCipherContext {
    ctx: CipherCtx,
    encrypt: bool,
    aead: bool,
    tag: Option<[u8; TAG_LEN]>,
}

impl OpenSslCipherContext {
    fn new(
        cipher: &Cipher,
        key: &[u8],
        iv: Option<&[u8]>,
        direction: Direction,
        variable_key: bool,
        aead: bool,
    ) -> Result<Self> {
        let encrypt = direction == Direction::Encrypt;
        // A variable-length key sets the key length; an AEAD nonce sets the IV length. A
        // cipher that takes no IV ignores one given.
        let iv_len = if aead {
            iv.map_or(0, <[u8]>::len)
        } else {
            cipher.iv_length()
        };
        let iv = match iv {
            Some(iv) if iv.len() == iv_len && iv_len > 0 => Some(iv),
            Some(_) | None if iv_len == 0 => None,
            _ => {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {iv_len}-byte IV, got {} bytes",
                    iv.map_or(0, <[u8]>::len)
                )))
            }
        };
        let mut ctx = CipherCtx::new()?;
        let custom_iv_len = aead && iv_len != cipher.iv_length();
        if !variable_key && !custom_iv_len {
            // One call does it all when the defaults fit (the common case, and the cheapest).
            ctx.init(Some(cipher), Some(key), iv, encrypt)?;
        } else {
            ctx.init(Some(cipher), None, None, encrypt)?;
            if variable_key {
                ctx.set_key_length(key.len())?;
            }
            if custom_iv_len {
                ctx.set_iv_length(iv_len)?;
            }
            ctx.init(None, Some(key), iv, encrypt)?;
        }
        if ctx.block_bytes() > 1 {
            // Padding lives above the backends.
            ctx.set_padding(false);
        }
        Ok(OpenSslCipherContext {
            ctx,
            encrypt,
            aead,
            tag: None,
        })
    }

    /// The native `EVP_CIPHER_CTX`.
    ///
    /// # Safety
    /// The pointer is valid while `self` lives. The caller must not free it, must not use it
    /// concurrently with `self`, and must leave the context in a state this wrapper can keep
    /// using (same cipher, key and direction); anything else breaks the wrapper's guarantees.
    pub unsafe fn as_ptr(&self) -> *mut ffi::EVP_CIPHER_CTX {
        self.ctx.as_ptr()
    }

    fn finish(&mut self, out: &mut [u8]) -> Result<usize> {
        let block = match self.ctx.finish() {
            Ok(block) => block,
            // The error queue is drained; a failed authenticated decryption is a bad tag.
            Err(_) if self.aead && !self.encrypt => return Err(Error::InvalidTag),
            Err(e) => return Err(e),
        };
        let n = block.as_slice().len();
        let result = check_output_len(n, out).map(|()| {
            out[..n].copy_from_slice(block.as_slice());
            n
        });
        if self.aead && self.encrypt {
            let mut tag = [0u8; TAG_LEN];
            self.ctx.get_tag(&mut tag)?;
            self.tag = Some(tag);
        }
        result
    }
}

impl SymmetricContext for OpenSslCipherContext {
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize> {
        check_output_len(data.len().saturating_add(self.ctx.block_bytes() - 1), out)?;
        self.ctx.update(data, out)
    }

    fn authenticate_additional_data(&mut self, data: &[u8]) -> Result<()> {
        if !self.aead {
            return Err(Error::invalid(
                "this cipher does not authenticate additional data",
            ));
        }
        if data.is_empty() {
            return Ok(());
        }
        self.ctx.aad(data)
    }

    fn finalize_into(&mut self, out: &mut [u8]) -> Result<usize> {
        if self.aead && !self.encrypt {
            return Err(Error::invalid(
                "authenticated decryption needs a tag to finalize",
            ));
        }
        self.finish(out)
    }

    fn finalize_with_tag_into(&mut self, tag: &[u8], out: &mut [u8]) -> Result<usize> {
        if !self.aead || self.encrypt {
            return Err(Error::invalid(
                "finalize_with_tag is for authenticated decryption",
            ));
        }
        if tag.is_empty() || tag.len() > TAG_LEN {
            return Err(Error::invalid(format!(
                "tag must be 1 to {TAG_LEN} bytes, got {}",
                crate::exceptions::Bytes(tag.len())
            )));
        }
        self.ctx.set_tag(tag)?;
        self.finish(out)
    }

    fn tag(&self) -> Option<&[u8]> {
        self.tag.as_ref().map(|t| &t[..])
    }
}
