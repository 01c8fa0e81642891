//! `hazmat encrypt` / `hazmat decrypt`: files or stdin/stdout, streamed in constant memory.
//!
//! Output always goes to a temporary file first and is moved into place (or copied to stdout)
//! only when the whole operation succeeded, so a failed decryption (a wrong GCM tag, bad
//! padding) leaves no plaintext behind.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use cryptography::hazmat::primitives::ciphers::algorithms::{
    Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, CipherAlgorithm, Idea, Seed, Sm4, TripleDes,
};
use cryptography::hazmat::primitives::ciphers::modes::{Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Mode, Ofb};
use cryptography::hazmat::primitives::ciphers::{Cipher, CipherContext};
use cryptography::hazmat::primitives::padding::{PaddingContext, Pkcs7, UnpaddingContext};
use tempfile::NamedTempFile;
use zeroize::Zeroizing;

use crate::common::{io_reason, parse_hex, Failure, Input, KeyArgs, Options};
use crate::header::Header;

/// GCM tags are 16 bytes, appended to the ciphertext.
const TAG_LEN: usize = 16;

const CIPHER_HELP: &str = "Cipher names (OpenSSL style): aes-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8,gcm}, \
camellia-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8}, des-ede3-{cbc,ecb,ofb,cfb,cfb8}, sm4-{cbc,ecb,ctr,ofb,cfb}, \
bf-{cbc,ecb,ofb,cfb}, cast5-{cbc,ecb,ofb,cfb}, idea-{cbc,ecb,ofb,cfb}, seed-{cbc,ecb,ofb,cfb}, chacha20, rc4. \
CBC and ECB use PKCS #7 padding; GCM appends the 16-byte tag. Without --raw the output starts \
with a header: \"HZMT\", version 1, a length-prefixed cipher name and a length-prefixed IV \
(authenticated as additional data by GCM). A random IV is generated when --iv-hex is not given \
(ChaCha20: counter 0 and a random 12-byte nonce).";

/// Arguments of `hazmat encrypt`.
#[derive(Args)]
#[command(after_help = CIPHER_HELP)]
pub(crate) struct EncryptArgs {
    /// The cipher, e.g. aes-256-gcm, aes-128-cbc, chacha20.
    #[arg(long)]
    cipher: String,
    #[command(flatten)]
    key: KeyArgs,
    /// The IV / nonce as hexadecimal (default: random).
    #[arg(long, value_name = "HEX")]
    iv_hex: Option<String>,
    /// Write no header: just the ciphertext (and the GCM tag), as `openssl enc -K .. -iv ..`.
    /// Needs --iv-hex for ciphers with an IV.
    #[arg(long)]
    raw: bool,
    /// The output file (`-` for stdout).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The input file (`-` for stdin).
    #[arg(default_value = "-")]
    input: String,
}

/// Arguments of `hazmat decrypt`.
#[derive(Args)]
#[command(after_help = CIPHER_HELP)]
pub(crate) struct DecryptArgs {
    /// The cipher; read from the header unless --raw (if given with a header, it must match).
    #[arg(long)]
    cipher: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
    /// The IV / nonce as hexadecimal (with --raw; otherwise it comes from the header).
    #[arg(long, value_name = "HEX")]
    iv_hex: Option<String>,
    /// The input has no header (needs --cipher, and --iv-hex for ciphers with an IV).
    #[arg(long)]
    raw: bool,
    /// The output file (`-` for stdout). Written only if decryption succeeds.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The input file (`-` for stdin).
    #[arg(default_value = "-")]
    input: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Aes,
    Camellia,
    TripleDes,
    Sm4,
    Blowfish,
    Cast5,
    Idea,
    Seed,
    ChaCha20,
    Rc4,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModeKind {
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb,
    Cfb8,
    Gcm,
    /// A stream cipher: no mode.
    None,
}

/// A parsed `--cipher` name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CipherSpec {
    name: String,
    family: Family,
    /// The key size the name fixes, in bits.
    key_bits: Option<usize>,
    mode: ModeKind,
}

impl CipherSpec {
    fn parse(name: &str) -> Result<Self, Failure> {
        let lower = name.to_ascii_lowercase();
        let unknown = || {
            Failure::usage(format!(
                "unknown cipher {name:?}; see `hazmat encrypt --help` for the names"
            ))
        };
        let (prefix, mode) = match lower.as_str() {
            "chacha20" => ("chacha20", ModeKind::None),
            "rc4" => ("rc4", ModeKind::None),
            _ => {
                let (prefix, mode) = lower.rsplit_once('-').ok_or_else(unknown)?;
                let mode = match mode {
                    "ecb" => ModeKind::Ecb,
                    "cbc" => ModeKind::Cbc,
                    "ctr" => ModeKind::Ctr,
                    "ofb" => ModeKind::Ofb,
                    "cfb" => ModeKind::Cfb,
                    "cfb8" => ModeKind::Cfb8,
                    "gcm" => ModeKind::Gcm,
                    _ => return Err(unknown()),
                };
                (prefix, mode)
            }
        };
        let (family, key_bits) = match prefix {
            "aes-128" => (Family::Aes, Some(128)),
            "aes-192" => (Family::Aes, Some(192)),
            "aes-256" => (Family::Aes, Some(256)),
            "camellia-128" => (Family::Camellia, Some(128)),
            "camellia-192" => (Family::Camellia, Some(192)),
            "camellia-256" => (Family::Camellia, Some(256)),
            "des-ede3" => (Family::TripleDes, Some(192)),
            "sm4" => (Family::Sm4, Some(128)),
            "bf" => (Family::Blowfish, None),
            "cast5" => (Family::Cast5, None),
            "idea" => (Family::Idea, Some(128)),
            "seed" => (Family::Seed, Some(128)),
            "chacha20" => (Family::ChaCha20, Some(256)),
            "rc4" => (Family::Rc4, None),
            _ => return Err(unknown()),
        };
        if mode == ModeKind::Gcm && family != Family::Aes {
            return Err(unknown());
        }
        Ok(CipherSpec {
            name: lower,
            family,
            key_bits,
            mode,
        })
    }

    fn algorithm(&self, key: &[u8], iv: &[u8]) -> Result<Arc<dyn CipherAlgorithm>, Failure> {
        if let Some(bits) = self.key_bits {
            if key.len() * 8 != bits {
                return Err(Failure::usage(format!(
                    "{} needs a {}-byte key, got {} bytes",
                    self.name,
                    bits / 8,
                    key.len()
                )));
            }
        }
        Ok(match self.family {
            Family::Aes => Arc::new(Aes::new(key)?),
            Family::Camellia => Arc::new(Camellia::new(key)?),
            Family::TripleDes => Arc::new(TripleDes::new(key)?),
            Family::Sm4 => Arc::new(Sm4::new(key)?),
            Family::Blowfish => Arc::new(Blowfish::new(key)?),
            Family::Cast5 => Arc::new(Cast5::new(key)?),
            Family::Idea => Arc::new(Idea::new(key)?),
            Family::Seed => Arc::new(Seed::new(key)?),
            Family::ChaCha20 => Arc::new(ChaCha20::new(key, iv)?),
            Family::Rc4 => Arc::new(Arc4::new(key)?),
        })
    }

    fn block_bytes(&self) -> usize {
        match self.family {
            Family::TripleDes | Family::Blowfish | Family::Cast5 | Family::Idea => 8,
            Family::ChaCha20 | Family::Rc4 => 1,
            _ => 16,
        }
    }

    /// The IV length a fresh random IV gets (0: the cipher takes none).
    fn iv_len(&self) -> usize {
        match (self.family, self.mode) {
            (Family::ChaCha20, _) => 16,
            (_, ModeKind::Gcm) => 12,
            (_, ModeKind::Ecb | ModeKind::None) => 0,
            _ => self.block_bytes(),
        }
    }

    fn mode(&self, iv: &[u8]) -> Result<Option<Arc<dyn Mode>>, Failure> {
        Ok(match self.mode {
            ModeKind::Ecb => Some(Arc::new(Ecb)),
            ModeKind::Cbc => Some(Arc::new(Cbc::new(iv)?)),
            ModeKind::Ctr => Some(Arc::new(Ctr::new(iv)?)),
            ModeKind::Ofb => Some(Arc::new(Ofb::new(iv)?)),
            ModeKind::Cfb => Some(Arc::new(Cfb::new(iv)?)),
            ModeKind::Cfb8 => Some(Arc::new(Cfb8::new(iv)?)),
            ModeKind::Gcm => Some(Arc::new(Gcm::with_tag(iv, None, TAG_LEN)?)),
            ModeKind::None => None,
        })
    }

    fn padded(&self) -> bool {
        matches!(self.mode, ModeKind::Ecb | ModeKind::Cbc)
    }

    fn is_gcm(&self) -> bool {
        self.mode == ModeKind::Gcm
    }

    fn cipher(&self, key: &[u8], iv: &[u8], options: &Options) -> Result<Cipher, Failure> {
        if self.iv_len() == 0 && !iv.is_empty() {
            return Err(Failure::usage(format!("{} takes no IV", self.name)));
        }
        let algorithm = self.algorithm(key, iv)?;
        Ok(Cipher::with_backend(
            algorithm,
            self.mode(iv)?,
            options.backend()?,
        )?)
    }
}

/// Output that appears only on success: a temporary file renamed into place, or copied to
/// stdout.
struct Output {
    target: Option<PathBuf>,
    writer: BufWriter<NamedTempFile>,
}

impl Output {
    fn create(name: &str) -> Result<Self, Failure> {
        let (target, temp) = if name == "-" {
            (None, NamedTempFile::new())
        } else {
            let path = PathBuf::from(name);
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let temp = NamedTempFile::new_in(&dir);
            (Some(path), temp)
        };
        let temp = temp.map_err(|e| {
            Failure::usage(format!(
                "{name}: cannot create a temporary file: {}",
                io_reason(&e)
            ))
        })?;
        Ok(Output {
            target,
            writer: BufWriter::new(temp),
        })
    }

    fn write(&mut self, data: &[u8]) -> Result<(), Failure> {
        self.writer
            .write_all(data)
            .map_err(|e| Failure::usage(format!("writing the output: {}", io_reason(&e))))
    }

    /// Makes the output visible. Until this runs, dropping `self` deletes everything written.
    fn commit(self) -> Result<(), Failure> {
        let fail =
            |e: std::io::Error| Failure::usage(format!("writing the output: {}", io_reason(&e)));
        let mut temp = self.writer.into_inner().map_err(|e| fail(e.into_error()))?;
        match self.target {
            Some(path) => {
                temp.as_file_mut().sync_all().map_err(fail)?;
                temp.persist(&path).map_err(|e| {
                    Failure::usage(format!("{}: {}", path.display(), io_reason(&e.error)))
                })?;
            }
            None => {
                let file: &mut File = temp.as_file_mut();
                file.rewind().map_err(fail)?;
                let mut stdout = std::io::stdout().lock();
                std::io::copy(file, &mut stdout).map_err(fail)?;
                stdout.flush().map_err(fail)?;
            }
        }
        Ok(())
    }
}

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

/// Runs `hazmat encrypt`.
pub(crate) fn encrypt(args: &EncryptArgs, options: &Options) -> Result<(), Failure> {
    let spec = CipherSpec::parse(&args.cipher)?;
    let key = args.key.read()?;
    let iv = match &args.iv_hex {
        Some(hex) => parse_hex("--iv-hex", hex)?.to_vec(),
        None if spec.iv_len() > 0 && args.raw => {
            return Err(Failure::usage(format!(
                "--raw writes no header, so the IV would be lost: give it with --iv-hex ({} bytes for {})",
                spec.iv_len(),
                spec.name
            )))
        }
        None => random_iv(spec.iv_len(), spec.family == Family::ChaCha20)?,
    };
    let cipher = spec.cipher(&key, &iv, options)?;
    let mut ctx = cipher.encryptor()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    if !args.raw {
        let header = Header {
            cipher: spec.name.clone(),
            iv: iv.clone(),
        }
        .to_bytes()?;
        if spec.is_gcm() {
            ctx.authenticate_additional_data(&header)?;
        }
        output.write(&header)?;
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
    if spec.is_gcm() {
        output.write(ctx.tag()?)?;
    }
    output.commit()
}

/// The decryption state once the cipher is known.
struct Decryption {
    spec: CipherSpec,
    ctx: CipherContext,
    unpadder: Option<UnpaddingContext>,
    /// GCM: the last bytes seen, which may be the tag.
    held: Vec<u8>,
    buffer: Zeroizing<Vec<u8>>,
}

impl Decryption {
    fn new(
        spec: CipherSpec,
        key: &[u8],
        iv: &[u8],
        aad: Option<&[u8]>,
        options: &Options,
    ) -> Result<Self, Failure> {
        let mut ctx = spec.cipher(key, iv, options)?.decryptor()?;
        if let (true, Some(aad)) = (spec.is_gcm(), aad) {
            ctx.authenticate_additional_data(aad)?;
        }
        let unpadder = spec
            .padded()
            .then(|| Pkcs7::new(spec.block_bytes() * 8).map(|p| p.unpadder()))
            .transpose()?;
        Ok(Decryption {
            spec,
            ctx,
            unpadder,
            held: Vec::with_capacity(2 * TAG_LEN),
            buffer: Zeroizing::new(Vec::new()),
        })
    }

    fn feed(&mut self, data: &[u8], output: &mut Output) -> Result<(), Failure> {
        if !self.spec.is_gcm() {
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
        let last = if self.spec.is_gcm() {
            if self.held.len() < TAG_LEN {
                return Err(Failure::verification(
                    "input too short to hold the GCM tag; no output written",
                ));
            }
            self.ctx
                .finalize_with_tag(&self.held)
                .map_err(|e| match e {
                    cryptography::Error::InvalidTag => Failure::verification(
                        "authentication failed: the data or the key is wrong; no output written",
                    ),
                    other => other.into(),
                })?
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

/// Runs `hazmat decrypt`.
pub(crate) fn decrypt(args: &DecryptArgs, options: &Options) -> Result<(), Failure> {
    let key = args.key.read()?;
    let input = Input::open(&args.input)?;
    let mut output = Output::create(&args.output)?;
    let mut state: Option<Decryption> = None;
    let mut header_bytes: Vec<u8> = Vec::new();
    if args.raw {
        let name = args
            .cipher
            .as_deref()
            .ok_or_else(|| Failure::usage("--raw input has no header: give --cipher"))?;
        let spec = CipherSpec::parse(name)?;
        let iv = match &args.iv_hex {
            Some(hex) => parse_hex("--iv-hex", hex)?.to_vec(),
            None if spec.iv_len() > 0 => {
                return Err(Failure::usage(format!(
                    "--raw input has no header: give --iv-hex for {}",
                    spec.name
                )))
            }
            None => Vec::new(),
        };
        state = Some(Decryption::new(spec, &key, &iv, None, options)?);
    } else if args.iv_hex.is_some() {
        return Err(Failure::usage(
            "the IV comes from the file header; --iv-hex is only for --raw input",
        ));
    }
    input.for_each_chunk(options.quiet, |chunk| {
        if let Some(state) = &mut state {
            return state.feed(chunk, &mut output);
        }
        header_bytes.extend_from_slice(chunk);
        let Some((header, len)) = Header::parse(&header_bytes)? else {
            return Ok(());
        };
        let spec = CipherSpec::parse(&header.cipher)?;
        if let Some(given) = &args.cipher {
            if CipherSpec::parse(given)?.name != spec.name {
                return Err(Failure::usage(format!(
                    "the file was encrypted with {}, not {given}",
                    spec.name
                )));
            }
        }
        let mut started =
            Decryption::new(spec, &key, &header.iv, Some(&header_bytes[..len]), options)?;
        started.feed(&header_bytes[len..], &mut output)?;
        state = Some(started);
        Ok(())
    })?;
    match state {
        Some(state) => state.finish(output),
        None if header_bytes.is_empty() => Err(Failure::usage(
            "empty input: no header; use --raw for headerless input",
        )),
        None => Err(Failure::usage("input ends inside the file header")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_names() {
        let spec = CipherSpec::parse("AES-256-GCM").unwrap();
        assert_eq!(
            (spec.family, spec.key_bits, spec.mode),
            (Family::Aes, Some(256), ModeKind::Gcm)
        );
        assert_eq!(spec.name, "aes-256-gcm");
        assert_eq!(CipherSpec::parse("chacha20").unwrap().mode, ModeKind::None);
        assert_eq!(CipherSpec::parse("bf-cbc").unwrap().key_bits, None);
        for bad in [
            "aes-512-cbc",
            "camellia-128-gcm",
            "aes",
            "des-cbc",
            "",
            "-",
            "aes-128-xts",
        ] {
            assert!(CipherSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iv_lengths() {
        assert_eq!(CipherSpec::parse("aes-128-gcm").unwrap().iv_len(), 12);
        assert_eq!(CipherSpec::parse("des-ede3-cbc").unwrap().iv_len(), 8);
        assert_eq!(CipherSpec::parse("aes-128-ecb").unwrap().iv_len(), 0);
        assert_eq!(CipherSpec::parse("chacha20").unwrap().iv_len(), 16);
        let iv = random_iv(16, true).unwrap();
        assert_eq!(&iv[..4], [0, 0, 0, 0]);
    }

    #[test]
    fn output_is_dropped_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"secret").unwrap();
        drop(output);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut output = Output::create(path.to_str().unwrap()).unwrap();
        output.write(b"kept").unwrap();
        output.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }
}
