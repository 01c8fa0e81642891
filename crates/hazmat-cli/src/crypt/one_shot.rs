//! The one-shot AEADs (AES-CCM, AES-OCB3, AES-SIV, AES-GCM-SIV) as one message: AES-SIV
//! always, the others with `--raw` or in version-1 files. The whole message is held in memory,
//! at most [`ONE_SHOT_LIMIT`] bytes of plaintext.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::{AesCcm, AesGcmSiv, AesOcb3, AesSiv};
use zeroize::Zeroizing;

use super::names::{CipherSpec, ModeKind};
use super::output::Output;
use super::{authentication_failed, too_short_for_tag, EncryptArgs, ONE_SHOT_LIMIT, TAG_LEN};
use crate::common::{Failure, Input, Options};

/// A keyed one-shot AEAD.
pub(super) enum OneShot {
    Ccm(AesCcm),
    Ocb(AesOcb3),
    Siv(AesSiv),
    GcmSiv(AesGcmSiv),
}

impl OneShot {
    /// Keys the construction on `backend`; a backend without it is `UnsupportedAlgorithm`.
    pub(super) fn new(
        spec: &CipherSpec,
        key: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Self, Failure> {
        spec.check_key(key)?;
        let backend: Arc<dyn Backend> = backend;
        Ok(match spec.mode {
            ModeKind::Ccm => OneShot::Ccm(AesCcm::with_backend(key, TAG_LEN, backend)?),
            ModeKind::Ocb => OneShot::Ocb(AesOcb3::with_backend(key, backend)?),
            ModeKind::Siv => OneShot::Siv(AesSiv::with_backend(key, backend)?),
            ModeKind::GcmSiv => OneShot::GcmSiv(AesGcmSiv::with_backend(key, backend)?),
            _ => {
                return Err(Failure::usage(format!(
                    "{} is not a one-shot AEAD",
                    spec.name
                )))
            }
        })
    }

    /// Encrypts `data`; `header` (none with --raw) is the associated data. AES-SIV
    /// authenticates the components `[header, nonce]` (`[nonce]` with --raw).
    pub(super) fn seal(
        &self,
        nonce: &[u8],
        data: &[u8],
        header: Option<&[u8]>,
    ) -> Result<Vec<u8>, pluggable_crypto::Error> {
        let aad = header.unwrap_or_default();
        match self {
            OneShot::Ccm(aead) => aead.encrypt(nonce, data, aad),
            OneShot::Ocb(aead) => aead.encrypt(nonce, data, aad),
            OneShot::GcmSiv(aead) => aead.encrypt(nonce, data, aad),
            OneShot::Siv(aead) => aead.encrypt(data, &siv_components(header, nonce)),
        }
    }

    /// Checks and decrypts `sealed` into `out` (exactly `sealed.len() - TAG_LEN` bytes); on
    /// failure `out` holds no plaintext.
    pub(super) fn open_into(
        &self,
        nonce: &[u8],
        sealed: &[u8],
        header: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<usize, pluggable_crypto::Error> {
        let aad = header.unwrap_or_default();
        match self {
            OneShot::Ccm(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::Ocb(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::GcmSiv(aead) => aead.decrypt_into(nonce, sealed, aad, out),
            OneShot::Siv(aead) => aead.decrypt_into(sealed, &siv_components(header, nonce), out),
        }
    }
}

/// AES-SIV's associated-data components: the header (if any), then the nonce last, as RFC
/// 5297 (section 3) places a nonce.
fn siv_components<'a>(header: Option<&'a [u8]>, nonce: &'a [u8]) -> Vec<&'a [u8]> {
    header.into_iter().chain([nonce]).collect()
}

/// `hazmat encrypt` with a one-shot AEAD: the construction is keyed (or refused) first, then
/// the whole input read, sealed in one call and written after the header.
pub(super) fn encrypt(
    args: &EncryptArgs,
    options: &Options,
    spec: &CipherSpec,
    key: &[u8],
    nonce: &[u8],
    header: Option<&[u8]>,
) -> Result<(), Failure> {
    let aead = OneShot::new(spec, key, options.backend()?)?;
    let input = Input::open(&args.input)?;
    let plaintext = input.read_all(options.quiet, ONE_SHOT_LIMIT, || spec.too_large())?;
    let sealed = aead.seal(nonce, &plaintext, header)?;
    let mut output = Output::create(&args.output)?;
    if let Some(header) = header {
        output.write(header)?;
    }
    output.write(&sealed)?;
    output.commit()
}

/// A one-shot AEAD's decryption: the sealed message is collected, then opened in one call.
pub(super) struct OneShotDecryption {
    pub(super) spec: CipherSpec,
    pub(super) aead: OneShot,
    pub(super) nonce: Vec<u8>,
    pub(super) header: Option<Vec<u8>>,
    pub(super) sealed: Vec<u8>,
}

impl OneShotDecryption {
    pub(super) fn feed(&mut self, data: &[u8]) -> Result<(), Failure> {
        let total = self.sealed.len() + data.len();
        if total as u64 > ONE_SHOT_LIMIT + TAG_LEN as u64 {
            return Err(self.spec.too_large());
        }
        self.sealed.extend_from_slice(data);
        Ok(())
    }

    pub(super) fn finish(self, mut output: Output) -> Result<(), Failure> {
        let Some(len) = self.sealed.len().checked_sub(TAG_LEN) else {
            return Err(too_short_for_tag());
        };
        let mut plaintext = Zeroizing::new(vec![0u8; len]);
        let n = self
            .aead
            .open_into(
                &self.nonce,
                &self.sealed,
                self.header.as_deref(),
                &mut plaintext,
            )
            .map_err(authentication_failed)?;
        output.write(&plaintext[..n])?;
        output.commit()
    }
}
