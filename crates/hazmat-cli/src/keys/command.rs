//! `hazmat key public|convert|show|fingerprint`.

use clap::{Args, Subcommand, ValueEnum};
use pluggable_crypto::hazmat::primitives::asymmetric::EllipticCurve;
use pluggable_crypto::hazmat::primitives::serialization::{
    Encoding, PrivateKeyTypes, PublicFormat, PublicKeyTypes,
};

use super::genkey::{encode_private, format_fits, PrivateKeyFormat};
use super::load::{a, load, AnyKey, LoadedKey};
use super::output::{check_target, write_file, Secrecy};
use super::{fingerprint, read_password, PasswordArg, KEY_FILES_HELP};
use crate::common::{write_stdout, Failure, Options};

/// The commands of `hazmat key`.
#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Write the public key of a private (or public) key file: SPKI PEM unless --format or
    /// --der.
    Public(PublicArgs),
    /// Re-encode a key file in another format, decrypting it (--password-file) and encrypting
    /// the output (--new-password-file).
    Convert(ConvertArgs),
    /// Describe a key file: its type, curve, size and format, one `name: value` line each.
    Show(ShowArgs),
    /// Print the SSH fingerprint of a key file as `ssh-keygen -l -f` does:
    /// `BITS SHA256:... COMMENT (TYPE)`.
    Fingerprint(FingerprintArgs),
}

/// The public key formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PublicKeyFormat {
    /// X.509 SubjectPublicKeyInfo (`PUBLIC KEY`), every key type.
    Spki,
    /// PKCS #1 `RSA PUBLIC KEY`, RSA keys only.
    Pkcs1,
    /// The OpenSSH public key line (RSA, DSA, ECDSA P-256/384/521, Ed25519).
    Openssh,
    /// The raw public key bytes (Ed25519, Ed448, X25519, X448).
    Raw,
}

/// Arguments of `hazmat key public`.
#[derive(Args)]
#[command(after_help = KEY_FILES_HELP)]
pub(crate) struct PublicArgs {
    /// The key file (`-`: standard input).
    key: String,
    /// Where the public key goes (`-`: standard output); an existing file is replaced.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The output format.
    #[arg(long, value_enum, default_value_t = PublicKeyFormat::Spki)]
    format: PublicKeyFormat,
    /// DER instead of PEM (spki and pkcs1).
    #[arg(long)]
    der: bool,
    #[command(flatten)]
    password: PasswordArg,
}

/// The formats `key convert` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConvertFormat {
    /// PKCS #8 private key (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with a new password).
    Pkcs8,
    /// OpenSSL's traditional RSA, EC or DSA private key.
    Traditional,
    /// OpenSSH: the private key (`OPENSSH PRIVATE KEY`) of a private key file, the public key
    /// line of a public one.
    Openssh,
    /// The public key as X.509 SubjectPublicKeyInfo.
    Spki,
    /// The RSA public key as PKCS #1 `RSA PUBLIC KEY`.
    Pkcs1,
    /// The raw bytes of an Ed25519, Ed448, X25519 or X448 key: the private key of a private
    /// key file, the public key of a public one.
    Raw,
}

const CONVERT_HELP: &str = "\
Private outputs (pkcs8, traditional, openssh and raw from a private key) are created with mode \
0600 as a temporary file renamed into place, and never replace an existing file unless \
--force; public outputs replace any file. --new-password-file encrypts a PEM private output \
with the format's best encryption (PKCS #8: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, \
also as DER; traditional: AES-256-CBC under DEK-Info; OpenSSH: aes256-ctr with bcrypt-pbkdf); \
without it the output is not encrypted, whatever the input was.";

/// Arguments of `hazmat key convert`.
#[derive(Args)]
#[command(after_help = format!("{CONVERT_HELP}\n\n{KEY_FILES_HELP}"))]
pub(crate) struct ConvertArgs {
    /// The key file (`-`: standard input).
    key: String,
    /// The output format.
    #[arg(long, value_enum)]
    format: ConvertFormat,
    /// DER instead of PEM (pkcs8, traditional, spki, pkcs1).
    #[arg(long)]
    der: bool,
    #[command(flatten)]
    password: PasswordArg,
    /// Encrypt the output with the password in FILE (its bytes, one trailing newline removed).
    #[arg(long, value_name = "FILE")]
    new_password_file: Option<String>,
    /// The output file (`-`: standard output).
    #[arg(short, long)]
    output: String,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

/// Arguments of `hazmat key show`.
#[derive(Args)]
#[command(after_help = format!(
    "Prints `type: ALG private key` (or `public key`), `curve: NAME` for EC keys, `size: N \
     bits` (the modulus or p for RSA, DSA and DH, the curve's size for EC, the raw key for the \
     others: Ed25519 and X25519 256, X448 448, Ed448 456) and `format: ...` (PKCS#8 PEM, \
     PKCS#8 DER (encrypted), traditional OpenSSL PEM, OpenSSH, OpenSSH public key, SPKI PEM, \
     PKCS#1 DER, ...).\n\n{KEY_FILES_HELP}"
))]
pub(crate) struct ShowArgs {
    #[command(flatten)]
    password: PasswordArg,
    /// The key file (`-`: standard input).
    key: String,
}

/// Arguments of `hazmat key fingerprint`.
#[derive(Args)]
#[command(after_help = format!(
    "The line is ssh-keygen's (OpenSSH 9.2): `BITS SHA256:BASE64 COMMENT (TYPE)`, TYPE one of \
     RSA, DSA, ECDSA, ED25519 (-SK, -CERT). A file of public key lines (`.pub`, authorized_keys, \
     known_hosts) prints one line per key, its comment the text after the key, else the \
     options or host names before it, else `no comment`. For a private key file FILE, as \
     ssh-keygen, the key and comment come from FILE.pub when that holds a key (its comment, \
     else the name FILE.pub); otherwise the comment is that of an unencrypted OpenSSH key, \
     else `no comment`. The public key of an encrypted OpenSSH key is read without its \
     password. Files ssh-keygen does not read (PKCS #8 Ed25519, DER, SPKI, encrypted PEM with \
     --password-file) print the same line with `no comment`.\n\n{KEY_FILES_HELP}"
))]
pub(crate) struct FingerprintArgs {
    #[command(flatten)]
    password: PasswordArg,
    /// The key file (`-`: standard input).
    key: String,
}

/// Runs `hazmat key ...`.
pub(crate) fn run(command: &KeyCommand, options: &Options) -> Result<(), Failure> {
    match command {
        KeyCommand::Public(args) => {
            let password = args.password.read()?;
            let loaded = load(&args.key, password.as_deref(), options.backend()?)?;
            let bytes = encode_public(&loaded.key.public()?, args.format, args.der)?;
            write_file(&args.output, &bytes, Secrecy::Public, true)
        }
        KeyCommand::Convert(args) => convert(args, options),
        KeyCommand::Show(args) => {
            let password = args.password.read()?;
            let loaded = load(&args.key, password.as_deref(), options.backend()?)?;
            write_stdout(show(&loaded)?.as_bytes())
        }
        KeyCommand::Fingerprint(args) => {
            let password = args.password.read()?;
            fingerprint::run(&args.key, password.as_deref(), options)
        }
    }
}

/// The public key in `format`.
fn encode_public(
    key: &PublicKeyTypes,
    format: PublicKeyFormat,
    der: bool,
) -> Result<Vec<u8>, Failure> {
    let algorithm = key.algorithm_name();
    let encoding = if der { Encoding::Der } else { Encoding::Pem };
    match format {
        PublicKeyFormat::Spki => {
            Ok(key.public_bytes(encoding, PublicFormat::SubjectPublicKeyInfo)?)
        }
        PublicKeyFormat::Pkcs1 => match key {
            PublicKeyTypes::Rsa(_) => Ok(key.public_bytes(encoding, PublicFormat::Pkcs1)?),
            _ => Err(Failure::usage(format!(
                "the pkcs1 format holds RSA keys, not {algorithm}: use spki"
            ))),
        },
        PublicKeyFormat::Openssh | PublicKeyFormat::Raw if der => Err(Failure::usage(
            "--der is for the spki, pkcs1, pkcs8 and traditional formats",
        )),
        PublicKeyFormat::Openssh => {
            let fits = match key {
                PublicKeyTypes::Rsa(_) | PublicKeyTypes::Dsa(_) | PublicKeyTypes::Ed25519(_) => {
                    true
                }
                PublicKeyTypes::Ec(k) => matches!(
                    k.curve(),
                    EllipticCurve::Secp256r1 | EllipticCurve::Secp384r1 | EllipticCurve::Secp521r1
                ),
                _ => false,
            };
            if !fits {
                return Err(Failure::usage(format!(
                    "the OpenSSH format holds RSA, DSA, Ed25519 and EC keys on P-256, P-384 \
                     and P-521, not {}: use spki",
                    describe_public(key)
                )));
            }
            let mut line = key.public_bytes(Encoding::OpenSsh, PublicFormat::OpenSsh)?;
            line.push(b'\n');
            Ok(line)
        }
        PublicKeyFormat::Raw => match key {
            PublicKeyTypes::Ed25519(_)
            | PublicKeyTypes::Ed448(_)
            | PublicKeyTypes::X25519(_)
            | PublicKeyTypes::X448(_) => Ok(key.public_bytes(Encoding::Raw, PublicFormat::Raw)?),
            _ => Err(Failure::usage(format!(
                "the raw format holds Ed25519, Ed448, X25519 and X448 keys, not {algorithm}"
            ))),
        },
    }
}

/// `EC keys on secp256k1`, `X25519 keys`.
fn describe_public(key: &PublicKeyTypes) -> String {
    match key {
        PublicKeyTypes::Ec(k) => format!("EC keys on {}", k.curve()),
        other => format!("{} keys", other.algorithm_name()),
    }
}

/// Runs `hazmat key convert`.
fn convert(args: &ConvertArgs, options: &Options) -> Result<(), Failure> {
    let password = args.password.read()?;
    let new_password = args
        .new_password_file
        .as_deref()
        .map(|path| read_password("--new-password-file", path))
        .transpose()?;
    let loaded = load(&args.key, password.as_deref(), options.backend()?)?;
    let private_output = matches!(
        (&loaded.key, args.format),
        (
            AnyKey::Private(_),
            ConvertFormat::Openssh | ConvertFormat::Raw
        ) | (_, ConvertFormat::Pkcs8 | ConvertFormat::Traditional)
    );
    if new_password.is_some() && !private_output {
        return Err(Failure::usage(
            "--new-password-file encrypts private keys; this output is a public key",
        ));
    }
    let secrecy = if private_output {
        Secrecy::Private
    } else {
        Secrecy::Public
    };
    check_target(&args.output, secrecy, args.force)?;
    let bytes: zeroize::Zeroizing<Vec<u8>> = match (&loaded.key, args.format) {
        (AnyKey::Public(key), ConvertFormat::Pkcs8 | ConvertFormat::Traditional) => {
            return Err(Failure::usage(format!(
                "{}: {} public key; --format {} writes private keys (use spki, openssh or \
                 raw for a public key)",
                args.key,
                a(key.algorithm_name()),
                if args.format == ConvertFormat::Pkcs8 {
                    "pkcs8"
                } else {
                    "traditional"
                }
            )))
        }
        (AnyKey::Private(key), ConvertFormat::Pkcs8) => convert_private(
            key,
            PrivateKeyFormat::Pkcs8,
            args.der,
            new_password.as_deref(),
        )?,
        (AnyKey::Private(key), ConvertFormat::Traditional) => convert_private(
            key,
            PrivateKeyFormat::Traditional,
            args.der,
            new_password.as_deref(),
        )?,
        (AnyKey::Private(key), ConvertFormat::Openssh) => {
            if args.der {
                return Err(Failure::usage("an OpenSSH private key is PEM: drop --der"));
            }
            convert_private(
                key,
                PrivateKeyFormat::Openssh,
                false,
                new_password.as_deref(),
            )?
        }
        (AnyKey::Private(key), ConvertFormat::Raw) => {
            if args.der {
                return Err(Failure::usage("--der does not apply to raw keys"));
            }
            if new_password.is_some() {
                return Err(Failure::usage(
                    "raw private keys cannot be encrypted: drop --new-password-file",
                ));
            }
            match key {
                PrivateKeyTypes::Ed25519(k) => k.private_bytes_raw()?,
                PrivateKeyTypes::Ed448(k) => k.private_bytes_raw()?,
                PrivateKeyTypes::X25519(k) => k.private_bytes_raw()?,
                PrivateKeyTypes::X448(k) => k.private_bytes_raw()?,
                other => {
                    return Err(Failure::usage(format!(
                        "the raw format holds Ed25519, Ed448, X25519 and X448 keys, not {}",
                        other.algorithm_name()
                    )))
                }
            }
        }
        (key, format) => {
            let public_format = match format {
                ConvertFormat::Spki => PublicKeyFormat::Spki,
                ConvertFormat::Pkcs1 => PublicKeyFormat::Pkcs1,
                ConvertFormat::Openssh => PublicKeyFormat::Openssh,
                _ => PublicKeyFormat::Raw,
            };
            zeroize::Zeroizing::new(encode_public(&key.public()?, public_format, args.der)?)
        }
    };
    write_file(&args.output, &bytes, secrecy, args.force)
}

/// A private key in `format`, PEM unless `der`, encrypted with `password` if given.
fn convert_private(
    key: &PrivateKeyTypes,
    format: PrivateKeyFormat,
    der: bool,
    password: Option<&[u8]>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    let curve = match key {
        PrivateKeyTypes::Ec(k) => Some(k.curve()),
        _ => None,
    };
    format_fits(format, key.algorithm_name(), curve)?;
    if der && password.is_some() && format == PrivateKeyFormat::Traditional {
        return Err(Failure::usage(
            "traditional DER keys cannot be encrypted: use PEM, or --format pkcs8 --der",
        ));
    }
    let encoding = if der { Encoding::Der } else { Encoding::Pem };
    encode_private(key, encoding, format, password)
}

/// The size `key show` prints, in bits.
fn size_bits(key: &PublicKeyTypes) -> usize {
    match key {
        PublicKeyTypes::Rsa(k) => k.key_size(),
        PublicKeyTypes::Dsa(k) => k.key_size(),
        PublicKeyTypes::Ec(k) => k.curve().key_size(),
        PublicKeyTypes::Dh(k) => k.key_size(),
        PublicKeyTypes::Ed25519(_) | PublicKeyTypes::X25519(_) => 256,
        PublicKeyTypes::X448(_) => 448,
        PublicKeyTypes::Ed448(_) => 456,
        _ => 0,
    }
}

/// The lines of `key show`.
fn show(loaded: &LoadedKey) -> Result<String, Failure> {
    let public = loaded.key.public()?;
    let kind = if loaded.is_private() {
        "private"
    } else {
        "public"
    };
    let mut text = format!("type: {} {kind} key\n", loaded.key.algorithm_name());
    if let PublicKeyTypes::Ec(k) = &public {
        text.push_str(&format!("curve: {}\n", k.curve()));
    }
    text.push_str(&format!("size: {} bits\n", size_bits(&public)));
    text.push_str(&format!("format: {}\n", loaded.format));
    Ok(text)
}
