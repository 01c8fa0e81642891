//! Version-2 files: the chunked AEAD stream (the library's
//! [`aead::stream`](pluggable_crypto::hazmat::primitives::aead::stream)) behind a header that
//! names the cipher and the chunk size and is every chunk's associated data.

use std::io::Read;

use pluggable_crypto::hazmat::primitives::aead::stream::{
    StreamDecryptor, StreamEncryptor, StreamParams, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE,
};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;

use super::names::CipherSpec;
use super::output::Output;
use super::EncryptArgs;
use crate::common::{Failure, Input, Options};
use crate::header::Header;

/// `--chunk-size`: bytes, or with a suffix `K`/`KiB` or `M`/`MiB` (any case); 1 byte to
/// [`MAX_CHUNK_SIZE`].
pub(super) fn parse_chunk_size(text: &str) -> Result<usize, Failure> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, unit) = match lower.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => lower.split_at(at),
        None => (lower.as_str(), ""),
    };
    let unit: usize = match unit {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        _ => 0,
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|n| (1..=MAX_CHUNK_SIZE).contains(n))
        .ok_or_else(|| {
            Failure::usage(format!(
                "--chunk-size {text:?}: give 1 byte to 4M (a number of bytes, or with K or M)"
            ))
        })
}

/// `hazmat encrypt` of an AEAD in the chunked format (header version 2): the header, then the
/// library's STREAM with the header as every chunk's associated data. The key and the backend
/// are checked before any input is read.
pub(super) fn encrypt(
    args: &EncryptArgs,
    options: &Options,
    spec: &CipherSpec,
    algorithm: AeadAlgorithm,
) -> Result<(), Failure> {
    if args.iv_hex.is_some() {
        return Err(Failure::usage(format!(
            "{} files take no IV or nonce (a random salt per file derives their key and \
             nonces): --iv-hex is only for --raw output",
            spec.name
        )));
    }
    let chunk_size = match &args.chunk_size {
        Some(text) => parse_chunk_size(text)?,
        None => DEFAULT_CHUNK_SIZE,
    };
    let params = StreamParams::new(algorithm, chunk_size)?;
    let key = args.key.read()?;
    spec.check_key(&key)?;
    let header = Header::Stream {
        cipher: spec.name.clone(),
        chunk_size: u32::try_from(chunk_size)
            .map_err(|_| Failure::usage("--chunk-size: at most 4M"))?,
    }
    .to_bytes()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    output.write(&header)?;
    let mut encryptor = StreamEncryptor::new(
        &mut output.writer,
        params,
        &key,
        &header,
        options.backend()?,
    )?;
    input.for_each_chunk(options.quiet, |chunk| Ok(encryptor.update(chunk)?))?;
    encryptor.finish()?;
    output.commit()
}

/// `hazmat decrypt` of a chunked file (header version 2): each chunk is authenticated before
/// it is written to the temporary output, which is kept only when the stream ends where its
/// last chunk says it does.
pub(super) fn decrypt(
    spec: &CipherSpec,
    chunk_size: u32,
    key: &[u8],
    header: &[u8],
    stream: impl Read,
    mut output: Output,
    options: &Options,
) -> Result<(), Failure> {
    let algorithm = spec.stream_algorithm().ok_or_else(|| {
        Failure::usage(format!(
            "not a hazmat-encrypted file (a version-2 header names {}, which is not chunked)",
            spec.name
        ))
    })?;
    spec.check_key(key)?;
    let params = StreamParams::new(algorithm, chunk_size as usize)?;
    let failed = |chunks: u64| {
        move |error: pluggable_crypto::Error| match error {
            pluggable_crypto::Error::InvalidTag => Failure::verification(format!(
                "authentication failed at chunk {chunks}: the key is wrong, or the file was \
                 modified, truncated or extended; no output written"
            )),
            other => other.into(),
        }
    };
    let mut decryptor =
        StreamDecryptor::new(stream, params, key, header, options.backend()?).map_err(failed(0))?;
    let mut chunks = 0u64;
    while let Some(plaintext) = decryptor.next_chunk().map_err(failed(chunks))? {
        output.write(plaintext)?;
        chunks += 1;
    }
    output.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes() {
        for (text, size) in [
            ("1", 1),
            ("65536", 65536),
            ("64K", 65536),
            ("64kib", 65536),
            (" 2M ", 2 << 20),
            ("4MiB", MAX_CHUNK_SIZE),
            ("7b", 7),
        ] {
            assert_eq!(parse_chunk_size(text).unwrap(), size, "{text}");
        }
        for bad in [
            "0",
            "0K",
            "4097K",
            "5M",
            "1G",
            "K",
            "",
            "-1",
            "1.5M",
            "18446744073709551616",
        ] {
            let error = parse_chunk_size(bad).unwrap_err();
            assert_eq!(error.code, 2);
            assert!(
                error.message.starts_with("--chunk-size"),
                "{}",
                error.message
            );
        }
    }
}
