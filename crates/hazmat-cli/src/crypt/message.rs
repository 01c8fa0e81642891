//! One message, in a version-1 file (after its header, which carries the IV) or with `--raw`
//! (no header): the streaming ciphers in constant memory, and on decryption the dispatch
//! between them and the one-shot AEADs of [`super::one_shot`].

use pluggable_crypto::hazmat::primitives::ciphers::CipherContext;
use pluggable_crypto::hazmat::primitives::padding::{PaddingContext, Pkcs7, UnpaddingContext};
use zeroize::Zeroizing;

use super::names::{CipherSpec, Family};
use super::one_shot::{OneShot, OneShotDecryption};
use super::output::Output;
use super::{authentication_failed, too_short_for_tag, EncryptArgs, ONE_SHOT_LIMIT, TAG_LEN};
use crate::common::{parse_hex, Failure, Input, Options};

/// A random IV or nonce of `len` bytes (ChaCha20's starts with a zero block counter).
fn random_iv(len: usize, chacha20: bool) -> Result<Vec<u8>, Failure> {
    let mut iv = vec![0u8; len];
    // ChaCha20: the first 4 bytes are the block counter, which starts at 0.
    let start = if chacha20 { 4 } else { 0 };
    getrandom::fill(&mut iv[start..])
        .map_err(|e| Failure::usage(format!("the OS random generator failed: {e}")))?;
    Ok(iv)
}

/// Runs `ctx` over `data` and writes what it produces.
fn pump(
    ctx: &mut CipherContext,
    data: &[u8],
    buffer: &mut Vec<u8>,
    output: &mut Output,
) -> Result<(), Failure> {
    buffer.resize(ctx.update_output_size(data.len()), 0);
    let n = ctx.update_into(data, buffer)?;
    output.write(&buffer[..n])
}

/// The IV for `hazmat encrypt`: `--iv-hex`, or random (refused with --raw, which would lose
/// it).
pub(super) fn encryption_iv(args: &EncryptArgs, spec: &CipherSpec) -> Result<Vec<u8>, Failure> {
    match &args.iv_hex {
        Some(hex) => Ok(parse_hex("--iv-hex", hex)?.to_vec()),
        None if spec.iv_len() > 0 && args.raw => Err(Failure::usage(format!(
            "--raw writes no header, so the IV would be lost: give it with --iv-hex ({} bytes for {})",
            spec.iv_len(),
            spec.name
        ))),
        None => random_iv(spec.iv_len(), spec.family == Family::ChaCha20),
    }
}

/// `hazmat encrypt` with a streaming cipher (every block-cipher mode, GCM, ChaCha20,
/// ChaCha20-Poly1305, RC4): `header` (none with --raw) is written first and is a streaming
/// AEAD's associated data; then the ciphertext, padded for CBC and ECB, and an AEAD's tag.
pub(super) fn encrypt(
    args: &EncryptArgs,
    options: &Options,
    spec: &CipherSpec,
    key: &[u8],
    iv: &[u8],
    header: Option<&[u8]>,
) -> Result<(), Failure> {
    let cipher = spec.cipher(key, iv, options)?;
    let mut ctx = cipher.encryptor()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    if let Some(header) = header {
        if spec.is_streaming_aead() {
            ctx.authenticate_additional_data(header)?;
        }
        output.write(header)?;
    }
    let mut padder: Option<PaddingContext> = spec
        .padded()
        .then(|| Pkcs7::new(spec.block_bytes() * 8).map(|p| p.padder()))
        .transpose()?;
    let mut buffer = Zeroizing::new(Vec::new());
    input.for_each_chunk(options.quiet, |chunk| match &mut padder {
        Some(padder) => {
            let blocks = Zeroizing::new(padder.update(chunk)?);
            pump(&mut ctx, &blocks, &mut buffer, &mut output)
        }
        None => pump(&mut ctx, chunk, &mut buffer, &mut output),
    })?;
    if let Some(padder) = &mut padder {
        let last = Zeroizing::new(padder.finalize()?);
        pump(&mut ctx, &last, &mut buffer, &mut output)?;
    }
    output.write(&ctx.finalize()?)?;
    if spec.is_streaming_aead() {
        output.write(ctx.tag()?)?;
    }
    output.commit()
}

/// The decryption state once the cipher is known.
pub(super) enum Decryption {
    /// Boxed: the streaming state (a cipher context inline) is the larger by far.
    Stream(Box<StreamDecryption>),
    OneShot(OneShotDecryption),
}

impl Decryption {
    /// `header` is the file's header (the associated data), `None` for --raw input; `remaining`
    /// the input bytes after it, when known.
    pub(super) fn new(
        spec: CipherSpec,
        key: &[u8],
        iv: &[u8],
        header: Option<&[u8]>,
        remaining: Option<u64>,
        options: &Options,
    ) -> Result<Self, Failure> {
        if !spec.is_one_shot() {
            return Ok(Decryption::Stream(Box::new(StreamDecryption::new(
                spec, key, iv, header, options,
            )?)));
        }
        let aead = OneShot::new(&spec, key, options.backend()?)?;
        let limit = ONE_SHOT_LIMIT + TAG_LEN as u64;
        if remaining.is_some_and(|n| n > limit) {
            return Err(spec.too_large());
        }
        let capacity = remaining.map_or(0, |n| usize::try_from(n).unwrap_or(0));
        Ok(Decryption::OneShot(OneShotDecryption {
            spec,
            aead,
            nonce: iv.to_vec(),
            header: header.map(<[u8]>::to_vec),
            sealed: Vec::with_capacity(capacity),
        }))
    }

    pub(super) fn feed(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        match self {
            Decryption::Stream(stream) => stream.feed(data, output),
            Decryption::OneShot(one_shot) => one_shot.feed(data),
        }
    }

    pub(super) fn finish(self, output: Output) -> Result<(), Failure> {
        match self {
            Decryption::Stream(stream) => stream.finish(output),
            Decryption::OneShot(one_shot) => one_shot.finish(output),
        }
    }
}

/// A streaming decryption (every cipher but the one-shot AEADs).
pub(super) struct StreamDecryption {
    spec: CipherSpec,
    ctx: CipherContext,
    unpadder: Option<UnpaddingContext>,
    /// A streaming AEAD: the last bytes seen, which may be the tag.
    held: Vec<u8>,
    buffer: Zeroizing<Vec<u8>>,
}

impl StreamDecryption {
    fn new(
        spec: CipherSpec,
        key: &[u8],
        iv: &[u8],
        aad: Option<&[u8]>,
        options: &Options,
    ) -> Result<Self, Failure> {
        let mut ctx = spec.cipher(key, iv, options)?.decryptor()?;
        if let (true, Some(aad)) = (spec.is_streaming_aead(), aad) {
            ctx.authenticate_additional_data(aad)?;
        }
        let unpadder = spec
            .padded()
            .then(|| Pkcs7::new(spec.block_bytes() * 8).map(|p| p.unpadder()))
            .transpose()?;
        Ok(StreamDecryption {
            spec,
            ctx,
            unpadder,
            held: Vec::with_capacity(2 * TAG_LEN),
            buffer: Zeroizing::new(Vec::new()),
        })
    }

    fn feed(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        if !self.spec.is_streaming_aead() {
            return self.decrypt(data, output);
        }
        // Hold back the last TAG_LEN bytes: they may be the tag.
        self.held.extend_from_slice(data);
        if self.held.len() > TAG_LEN {
            let release = self.held.len() - TAG_LEN;
            let ready: Vec<u8> = self.held.drain(..release).collect();
            self.decrypt(&ready, output)?;
        }
        Ok(())
    }

    fn decrypt(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        self.buffer
            .resize(self.ctx.update_output_size(data.len()), 0);
        let n = self.ctx.update_into(data, &mut self.buffer)?;
        match &mut self.unpadder {
            Some(unpadder) => {
                let plain = Zeroizing::new(unpadder.update(&self.buffer[..n])?);
                output.write(&plain)
            }
            None => output.write(&self.buffer[..n]),
        }
    }

    fn finish(mut self, mut output: Output) -> Result<(), Failure> {
        let last = if self.spec.is_streaming_aead() {
            if self.held.len() < TAG_LEN {
                return Err(too_short_for_tag());
            }
            self.ctx
                .finalize_with_tag(&self.held)
                .map_err(authentication_failed)?
        } else {
            self.ctx.finalize().map_err(|e| {
                Failure::verification(format!("decryption failed: {e}; no output written"))
            })?
        };
        match &mut self.unpadder {
            Some(unpadder) => {
                let plain = Zeroizing::new(unpadder.update(&last)?);
                output.write(&plain)?;
                let tail = unpadder
                    .finalize()
                    .map_err(|_| Failure::verification("bad decrypt: invalid padding (wrong key or corrupted input); no output written"))?;
                output.write(&Zeroizing::new(tail))?;
            }
            None => output.write(&last)?,
        }
        output.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_chacha20_iv_starts_at_counter_zero() {
        let iv = random_iv(16, true).unwrap();
        assert_eq!(&iv[..4], [0, 0, 0, 0]);
    }
}
