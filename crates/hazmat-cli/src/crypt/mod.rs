//! `hazmat encrypt` / `hazmat decrypt`: files or stdin/stdout.
//!
//! The AEADs but AES-SIV (GCM, ChaCha20-Poly1305, CCM, OCB, GCM-SIV) write the chunked stream
//! of header version 2 (see [`crate::header`]) unless `--raw`: constant memory at any size, and
//! decryption keeps a chunk only once it authenticates. The other streaming ciphers (every
//! block-cipher mode, ChaCha20, RC4) write version 1 in constant memory too. AES-SIV, and the
//! one-shot AEADs with `--raw` or in version-1 files, hold the whole message in memory and
//! refuse inputs over [`ONE_SHOT_LIMIT`].
//!
//! Output always goes to a temporary file first and is moved into place (or copied to stdout)
//! only when the whole operation succeeded, so a failed decryption (a wrong tag, a truncated
//! or reordered stream, bad padding) leaves no plaintext behind and prints nothing on stdout.
//!
//! The jobs, one file each: [`names`] parses `--cipher`; [`stream`] writes and reads the
//! chunked version-2 files; [`message`] handles one message (version 1, or `--raw`) of a
//! streaming cipher; [`one_shot`] the one-shot AEADs; [`output`] stages the output file. This
//! file holds the arguments and sends each command to its format.

use std::io::{Cursor, Read};

use clap::Args;

use crate::common::{parse_hex, read_secret_file, Failure, Input, Options};
use crate::header::Header;

mod message;
mod names;
mod oaep;
mod one_shot;
mod output;
mod stream;

pub(crate) use names::block_cipher;
pub(crate) use output::Output;

use message::Decryption;
use names::CipherSpec;

/// Every AEAD here uses 16-byte tags: appended to the ciphertext, or (AES-SIV) before it.
pub(super) const TAG_LEN: usize = 16;

/// The most plaintext a one-shot AEAD (CCM, OCB, SIV, GCM-SIV) encrypts: the whole message is
/// held in memory.
pub(crate) const ONE_SHOT_LIMIT: u64 = 256 * 1024 * 1024;

const CIPHER_HELP: &str = "\
Cipher names (OpenSSL style):
  AEADs, chunked (format 2) in constant memory: aes-{128,192,256}-gcm, chacha20-poly1305, \
aes-{128,192,256}-ccm, aes-{128,192,256}-ocb, aes-{128,256}-gcm-siv;
  other streaming ciphers, in constant memory: aes-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8}, \
camellia-{128,192,256}-{cbc,ecb,ctr,ofb,cfb,cfb8}, des-ede3-{cbc,ecb,ofb,cfb,cfb8}, \
sm4-{cbc,ecb,ctr,ofb,cfb}, bf-{cbc,ecb,ofb,cfb}, cast5-{cbc,ecb,ofb,cfb}, idea-{cbc,ecb,ofb,cfb}, \
seed-{cbc,ecb,ofb,cfb}, chacha20, rc4;
  one message, the whole input in memory and at most 256 MiB: aes-{128,192,256}-siv, whose \
keys are two AES keys (as in OpenSSL: aes-128-siv takes a 32-byte key, aes-192-siv 48, \
aes-256-siv 64), and the AEADs above with --raw except gcm and chacha20-poly1305. AES-SIV \
cannot encrypt an empty input, and is not chunked: it is deterministic and two-pass (its tag is \
computed over the whole message before any ciphertext), meant for short messages such as keys; \
for nonce-misuse resistance on large files use aes-*-gcm-siv.

Without --raw the output starts with a header: \"HZMT\", a version byte and a length-prefixed \
cipher name. The AEADs but AES-SIV write version 2: a 4-byte chunk size (--chunk-size, default \
64 KiB), then a random 32-byte salt and the chunks, each sealed with its own 16-byte tag under \
a key derived (HKDF-SHA256) from the key and the salt, with the whole header as associated \
data; the chunk's number and a last-chunk flag are in its nonce, so truncating, reordering, \
dropping or repeating chunks, or appending data, fails decryption. The other ciphers write \
version 1: a length-prefixed IV or nonce, random unless --iv-hex (ChaCha20: counter 0 and a \
random 12-byte nonce; AES-SIV: 16 bytes, the last associated-data component after the header), \
then the ciphertext (CBC and ECB: PKCS #7 padding; AES-SIV: its 16-byte tag first). hazmat \
decrypt also reads the version-1 AEAD files of earlier releases.

With --raw: no header, just the ciphertext as one message, as `openssl enc -K .. -iv ..` \
writes it; AEADs append their 16-byte tag (AES-SIV: prepend) and authenticate no associated \
data (AES-SIV: the nonce alone). --raw needs --iv-hex for ciphers with an IV or nonce.

Decryption writes its output only when the whole input has been decrypted and authenticated: \
to a temporary file renamed into place, or (-o -) copied to stdout only then (the temporary \
file is in $TMPDIR). A tampered, truncated, reordered or extended file exits 1 and writes \
nothing.

--rsa-oaep encrypts a small payload (a key, say) to an RSA key instead: `hazmat encrypt \
--rsa-oaep --key PUB FILE` writes the bare RSA-OAEP ciphertext, as long as the modulus, as \
`openssl pkeyutl -encrypt -pubin -inkey PUB -pkeyopt rsa_padding_mode:oaep -pkeyopt \
rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256` does, and `hazmat decrypt --rsa-oaep --key \
PRIV` reverses it. --hash (default sha256) is both the OAEP hash and MGF1's; no label. A key \
of k bytes encrypts at most k - 2 * digest size - 2 bytes (190 for RSA-2048 with SHA-256); a \
longer input is refused. A key file may be in any format (see `hazmat key show --help`); \
--password-file decrypts an encrypted one.";

/// Arguments of `hazmat encrypt`.
#[derive(Args)]
#[command(after_help = CIPHER_HELP)]
pub(crate) struct EncryptArgs {
    /// The cipher, e.g. aes-256-gcm, chacha20-poly1305, aes-128-cbc, aes-256-ocb.
    #[arg(long, required_unless_present = "rsa_oaep")]
    cipher: Option<String>,
    #[command(flatten)]
    key: CipherKey,
    /// Encrypt a small input with RSA-OAEP to the RSA key --key (no cipher, no header).
    #[arg(
        long,
        requires = "key",
        conflicts_with_all = ["cipher", "iv_hex", "chunk_size", "raw"]
    )]
    rsa_oaep: bool,
    /// With --rsa-oaep: the OAEP and MGF1 hash (default sha256).
    #[arg(long, value_name = "ALG", requires = "rsa_oaep")]
    hash: Option<String>,
    /// With --rsa-oaep: the password of an encrypted key file (its bytes, one trailing
    /// newline removed).
    #[arg(long, value_name = "FILE", requires = "rsa_oaep")]
    password_file: Option<String>,
    /// The IV / nonce as hexadecimal (default: random). Not for the chunked format (AEADs
    /// without --raw), whose nonces are derived.
    #[arg(long, value_name = "HEX")]
    iv_hex: Option<String>,
    /// Plaintext bytes per chunk of the chunked AEAD format: a number of bytes, or with a
    /// suffix K or M (KiB, MiB); 1 byte to 4 MiB. Default 64K.
    #[arg(long, value_name = "SIZE")]
    chunk_size: Option<String>,
    /// Write no header: just the ciphertext (and an AEAD's tag) as one message, as `openssl
    /// enc -K .. -iv ..`. Needs --iv-hex for ciphers with an IV or nonce.
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
    key: CipherKey,
    /// Decrypt an RSA-OAEP ciphertext with the RSA private key --key.
    #[arg(long, requires = "key", conflicts_with_all = ["cipher", "iv_hex", "raw"])]
    rsa_oaep: bool,
    /// With --rsa-oaep: the OAEP and MGF1 hash (default sha256).
    #[arg(long, value_name = "ALG", requires = "rsa_oaep")]
    hash: Option<String>,
    /// With --rsa-oaep: the password of an encrypted key file (its bytes, one trailing
    /// newline removed).
    #[arg(long, value_name = "FILE", requires = "rsa_oaep")]
    password_file: Option<String>,
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

/// The key of `encrypt` / `decrypt`: a cipher's key (`--key-hex` or `--key-file`), or with
/// `--rsa-oaep` an RSA key file (`--key`); exactly one.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub(crate) struct CipherKey {
    /// The key as hexadecimal.
    #[arg(long, value_name = "HEX")]
    key_hex: Option<String>,
    /// A file whose bytes are the key.
    #[arg(long, value_name = "FILE")]
    key_file: Option<String>,
    /// With --rsa-oaep: the RSA key file (encrypt: a public key, or a private key's public
    /// half; decrypt: the private key).
    #[arg(long, value_name = "FILE", requires = "rsa_oaep")]
    key: Option<String>,
}

impl CipherKey {
    /// The cipher key bytes, wiped from memory on drop. Messages never contain key material.
    pub(crate) fn read(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
        match (&self.key_hex, &self.key_file) {
            (Some(hex), _) => parse_hex("--key-hex", hex),
            (None, Some(path)) => read_secret_file(path),
            (None, None) => Err(Failure::usage(
                "give the key with --key-hex or --key-file (--key names an RSA key file, for \
                 --rsa-oaep)",
            )),
        }
    }

    /// The RSA key file of --rsa-oaep.
    fn rsa_key_file(&self) -> Result<&str, Failure> {
        self.key
            .as_deref()
            .ok_or_else(|| Failure::usage("--rsa-oaep takes the RSA key file with --key"))
    }
}

/// An authentication failure, as every AEAD reports it.
pub(super) fn authentication_failed(error: pluggable_crypto::Error) -> Failure {
    match error {
        pluggable_crypto::Error::InvalidTag => Failure::verification(
            "authentication failed: the data or the key is wrong; no output written",
        ),
        other => other.into(),
    }
}

pub(super) fn too_short_for_tag() -> Failure {
    Failure::verification(
        "input too short to hold the 16-byte authentication tag; no output written",
    )
}

/// Runs `hazmat encrypt`.
pub(crate) fn encrypt(args: &EncryptArgs, options: &Options) -> Result<(), Failure> {
    if args.rsa_oaep {
        return oaep::encrypt(
            args.key.rsa_key_file()?,
            args.password_file.as_deref(),
            args.hash.as_deref(),
            &args.input,
            &args.output,
            options,
        );
    }
    let cipher = args
        .cipher
        .as_deref()
        .ok_or_else(|| Failure::usage("give the cipher with --cipher (or use --rsa-oaep)"))?;
    let spec = CipherSpec::parse(cipher)?;
    match (spec.stream_algorithm(), args.raw) {
        (Some(algorithm), false) => return stream::encrypt(args, options, &spec, algorithm),
        (_, true) if args.chunk_size.is_some() => {
            return Err(Failure::usage(
                "--chunk-size is for the chunked format; --raw writes one message",
            ))
        }
        (None, _) if args.chunk_size.is_some() => {
            return Err(Failure::usage(format!(
                "--chunk-size is for the chunked format of the AEADs; {} is not chunked",
                spec.name
            )))
        }
        _ => {}
    }
    let key = args.key.read()?;
    let iv = message::encryption_iv(args, &spec)?;
    let header = Header::OneMessage {
        cipher: spec.name.clone(),
        iv: iv.clone(),
    }
    .to_bytes()?;
    let header = (!args.raw).then_some(header);
    if spec.is_one_shot() {
        return one_shot::encrypt(args, options, &spec, &key, &iv, header.as_deref());
    }
    message::encrypt(args, options, &spec, &key, &iv, header.as_deref())
}

/// Runs `hazmat decrypt`.
pub(crate) fn decrypt(args: &DecryptArgs, options: &Options) -> Result<(), Failure> {
    if args.rsa_oaep {
        return oaep::decrypt(
            args.key.rsa_key_file()?,
            args.password_file.as_deref(),
            args.hash.as_deref(),
            &args.input,
            &args.output,
            options,
        );
    }
    let key = args.key.read()?;
    let mut input = Input::open(&args.input)?;
    let size = input.size();
    let mut output = Output::create(&args.output)?;
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
        let mut state = Decryption::new(spec, &key, &iv, None, size, options)?;
        input.for_each_chunk(options.quiet, |chunk| state.feed(chunk, &mut output))?;
        return state.finish(output);
    }
    if args.iv_hex.is_some() {
        return Err(Failure::usage(
            "the IV comes from the file header; --iv-hex is only for --raw input",
        ));
    }
    let (header, header_bytes, rest) = read_header(&mut input)?;
    let spec = CipherSpec::parse(header.cipher())?;
    if let Some(given) = &args.cipher {
        if CipherSpec::parse(given)?.name != spec.name {
            return Err(Failure::usage(format!(
                "the file was encrypted with {}, not {given}",
                spec.name
            )));
        }
    }
    match header {
        Header::Stream { chunk_size, .. } => stream::decrypt(
            &spec,
            chunk_size,
            &key,
            &header_bytes,
            Cursor::new(rest).chain(input.into_reader(options.quiet)),
            output,
            options,
        ),
        Header::OneMessage { iv, .. } => {
            let remaining = size.map(|n| n.saturating_sub(header_bytes.len() as u64));
            let mut state =
                Decryption::new(spec, &key, &iv, Some(&header_bytes), remaining, options)?;
            state.feed(&rest, &mut output)?;
            input.for_each_chunk(options.quiet, |chunk| state.feed(chunk, &mut output))?;
            state.finish(output)
        }
    }
}

/// Reads the file header: the header, its bytes, and the input bytes read after it.
fn read_header(input: &mut Input) -> Result<(Header, Vec<u8>, Vec<u8>), Failure> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 256];
    loop {
        let n = input.read_some(&mut buffer)?;
        if n == 0 {
            return Err(if bytes.is_empty() {
                Failure::usage("empty input: no header; use --raw for headerless input")
            } else {
                Failure::usage("input ends inside the file header")
            });
        }
        bytes.extend_from_slice(&buffer[..n]);
        if let Some((header, len)) = Header::parse(&bytes)? {
            let rest = bytes.split_off(len);
            return Ok((header, bytes, rest));
        }
    }
}
