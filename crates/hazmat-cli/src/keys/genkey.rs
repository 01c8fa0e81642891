//! `hazmat genkey`: a new private key, written as PKCS #8 (default), traditional OpenSSL or
//! OpenSSH PEM, optionally encrypted.

use std::sync::Arc;

use clap::{Args, ValueEnum};
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::Ed448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::X25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x448::X448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::{dsa, ec, rsa, EllipticCurve};
use pluggable_crypto::hazmat::primitives::serialization::{
    BestAvailableEncryption, Encoding, KeySerializationEncryption, NoEncryption, PrivateFormat,
    PrivateKeyTypes,
};

use super::output::{check_target, write_file, Secrecy};
use super::PasswordArg;
use crate::common::{Failure, Options};

const GENKEY_HELP: &str = "\
Algorithms: rsa:BITS (2048 to 16384; rsa alone is rsa:3072), ec:CURVE (p256, p384, p521, \
secp256k1, brainpoolP256r1, brainpoolP384r1, brainpoolP512r1, and the other names of these \
curves such as prime256v1 or P-256; ec alone is ec:p256), ed25519, ed448, x25519, x448, \
dsa:BITS (1024, 2048, 3072 or 4096; dsa alone is dsa:2048; generating DSA parameters takes \
seconds).

Formats: pkcs8 (every algorithm; the default), traditional (OpenSSL's RSA, EC and DSA PRIVATE \
KEY), openssh (RSA, EC on P-256, P-384 and P-521, Ed25519). With --password-file the key is \
encrypted with the format's best encryption: PKCS #8 with PBES2 (PBKDF2-HMAC-SHA256, 600,000 \
iterations, AES-256-CBC); traditional with AES-256-CBC under DEK-Info; OpenSSH with aes256-ctr \
and bcrypt-pbkdf (16 rounds). The password is the file's bytes but one trailing newline (\\n), \
which is removed (as `openssl -passin file:` reads it).

The key file is created with mode 0600 (readable by its owner only) as a temporary file in the \
same directory, renamed into place once fully written; an existing file is never overwritten \
unless --force. Without -o the key is written to standard output.";

/// Arguments of `hazmat genkey`.
#[derive(Args)]
#[command(after_help = GENKEY_HELP)]
pub(crate) struct GenkeyArgs {
    /// What to generate: rsa:3072, ec:p256, ed25519, x25519, ed448, x448, dsa:2048, ...
    #[arg(value_name = "ALGORITHM")]
    algorithm: String,
    /// The key file to create, mode 0600 (`-`: standard output).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The key file format.
    #[arg(long, value_enum, default_value_t = PrivateKeyFormat::Pkcs8)]
    format: PrivateKeyFormat,
    #[command(flatten)]
    password: PasswordArg,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

/// The private key formats of `genkey` (and of `key convert`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PrivateKeyFormat {
    /// PKCS #8 `PRIVATE KEY` (`ENCRYPTED PRIVATE KEY` with a password).
    Pkcs8,
    /// OpenSSL's traditional `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `DSA PRIVATE KEY`.
    Traditional,
    /// OpenSSH's `OPENSSH PRIVATE KEY` (openssh-key-v1).
    Openssh,
}

impl PrivateKeyFormat {
    pub(crate) fn library(self) -> PrivateFormat {
        match self {
            PrivateKeyFormat::Pkcs8 => PrivateFormat::Pkcs8,
            PrivateKeyFormat::Traditional => PrivateFormat::TraditionalOpenSsl,
            PrivateKeyFormat::Openssh => PrivateFormat::OpenSsh,
        }
    }
}

/// What `genkey` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    Rsa(usize),
    Ec(EllipticCurve),
    Ed25519,
    Ed448,
    X25519,
    X448,
    Dsa(usize),
}

impl Spec {
    fn parse(text: &str) -> Result<Spec, Failure> {
        let lower = text.to_ascii_lowercase();
        let (name, parameter) = match lower.split_once(':') {
            Some((name, parameter)) => (name, Some(parameter)),
            None => (lower.as_str(), None),
        };
        let bits = |default: usize, what: &str| -> Result<usize, Failure> {
            match parameter {
                None => Ok(default),
                Some(p) => p.parse().map_err(|_| {
                    Failure::usage(format!("{text}: the {what} size is a number of bits"))
                }),
            }
        };
        let spec = match name {
            "rsa" => {
                let bits = bits(3072, "RSA")?;
                if !(2048..=16384).contains(&bits) {
                    return Err(Failure::usage(format!(
                        "{text}: RSA keys here are 2048 to 16384 bits"
                    )));
                }
                Spec::Rsa(bits)
            }
            "dsa" => Spec::Dsa(bits(2048, "DSA")?),
            "ec" => {
                let curve = parameter.unwrap_or("p256");
                // Brainpool names keep their case in the library; by_name ignores case.
                Spec::Ec(EllipticCurve::by_name(curve).ok_or_else(|| {
                    Failure::usage(format!(
                        "{text}: unknown curve (p256, p384, p521, secp256k1, brainpoolP256r1, \
                         brainpoolP384r1, brainpoolP512r1)"
                    ))
                })?)
            }
            "ed25519" | "ed448" | "x25519" | "x448" if parameter.is_some() => {
                return Err(Failure::usage(format!("{text}: {name} takes no parameter")))
            }
            "ed25519" => Spec::Ed25519,
            "ed448" => Spec::Ed448,
            "x25519" => Spec::X25519,
            "x448" => Spec::X448,
            _ => {
                return Err(Failure::usage(format!(
                    "{text}: unknown algorithm (rsa:BITS, ec:CURVE, ed25519, ed448, x25519, \
                     x448, dsa:BITS)"
                )))
            }
        };
        Ok(spec)
    }

    fn name(self) -> String {
        match self {
            Spec::Rsa(bits) => format!("RSA ({bits} bits)"),
            Spec::Ec(curve) => format!("EC ({curve})"),
            Spec::Ed25519 => "Ed25519".into(),
            Spec::Ed448 => "Ed448".into(),
            Spec::X25519 => "X25519".into(),
            Spec::X448 => "X448".into(),
            Spec::Dsa(bits) => format!("DSA ({bits} bits)"),
        }
    }

    fn generate(self, backend: Arc<dyn Backend>) -> Result<PrivateKeyTypes, Failure> {
        Ok(match self {
            Spec::Rsa(bits) => rsa::generate_private_key_with_backend(65537, bits, backend)?.into(),
            Spec::Ec(curve) => ec::generate_private_key_with_backend(curve, backend)?.into(),
            Spec::Ed25519 => Ed25519PrivateKey::generate_with_backend(backend)?.into(),
            Spec::Ed448 => Ed448PrivateKey::generate_with_backend(backend)?.into(),
            Spec::X25519 => X25519PrivateKey::generate_with_backend(backend)?.into(),
            Spec::X448 => X448PrivateKey::generate_with_backend(backend)?.into(),
            Spec::Dsa(bits) => dsa::generate_private_key_with_backend(bits, backend)?.into(),
        })
    }
}

/// Whether `format` holds keys of `algorithm` ("RSA", "EC", ...; `curve` for EC keys): the
/// reason why not, naming what it holds.
pub(crate) fn format_fits(
    format: PrivateKeyFormat,
    algorithm: &str,
    curve: Option<EllipticCurve>,
) -> Result<(), Failure> {
    match format {
        PrivateKeyFormat::Pkcs8 => Ok(()),
        PrivateKeyFormat::Traditional if matches!(algorithm, "RSA" | "EC" | "DSA") => Ok(()),
        PrivateKeyFormat::Traditional => Err(Failure::usage(format!(
            "the traditional format holds RSA, EC and DSA keys, not {algorithm}: use pkcs8"
        ))),
        PrivateKeyFormat::Openssh => {
            let fits = match algorithm {
                "RSA" | "Ed25519" => true,
                "EC" => matches!(
                    curve,
                    Some(
                        EllipticCurve::Secp256r1
                            | EllipticCurve::Secp384r1
                            | EllipticCurve::Secp521r1
                    )
                ),
                _ => false,
            };
            if fits {
                return Ok(());
            }
            let what = match curve {
                Some(curve) => format!("EC keys on {curve}"),
                None => format!("{algorithm} keys"),
            };
            Err(Failure::usage(format!(
                "the OpenSSH format holds RSA, Ed25519 and EC keys on P-256, P-384 and P-521, \
                 not {what}: use pkcs8"
            )))
        }
    }
}

/// The encoded private key: PEM in `format`, encrypted with `password` if given.
pub(crate) fn encode_private(
    key: &PrivateKeyTypes,
    encoding: Encoding,
    format: PrivateKeyFormat,
    password: Option<&[u8]>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    let encryption: KeySerializationEncryption = match password {
        Some(password) => BestAvailableEncryption::new(password),
        None => NoEncryption.into(),
    };
    Ok(key.private_bytes(encoding, format.library(), encryption)?)
}

/// Runs `hazmat genkey`.
pub(crate) fn genkey(args: &GenkeyArgs, options: &Options) -> Result<(), Failure> {
    let spec = Spec::parse(&args.algorithm)?;
    let (algorithm, curve) = match spec {
        Spec::Rsa(_) => ("RSA", None),
        Spec::Ec(curve) => ("EC", Some(curve)),
        Spec::Ed25519 => ("Ed25519", None),
        Spec::Ed448 => ("Ed448", None),
        Spec::X25519 => ("X25519", None),
        Spec::X448 => ("X448", None),
        Spec::Dsa(_) => ("DSA", None),
    };
    format_fits(args.format, algorithm, curve)?;
    let password = args.password.read()?;
    check_target(&args.output, Secrecy::Private, args.force)?;
    let key = spec.generate(options.backend()?).map_err(|failure| {
        Failure::usage(format!("generating {}: {}", spec.name(), failure.message))
    })?;
    let pem = encode_private(&key, Encoding::Pem, args.format, password.as_deref())?;
    write_file(&args.output, &pem, Secrecy::Private, args.force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names() {
        assert_eq!(Spec::parse("rsa:3072").unwrap(), Spec::Rsa(3072));
        assert_eq!(Spec::parse("RSA").unwrap(), Spec::Rsa(3072));
        assert_eq!(
            Spec::parse("ec:p256").unwrap(),
            Spec::Ec(EllipticCurve::Secp256r1)
        );
        assert_eq!(
            Spec::parse("ec:brainpoolP384r1").unwrap(),
            Spec::Ec(EllipticCurve::BrainpoolP384r1)
        );
        assert_eq!(
            Spec::parse("ec:secp256k1").unwrap(),
            Spec::Ec(EllipticCurve::Secp256k1)
        );
        assert_eq!(Spec::parse("x448").unwrap(), Spec::X448);
        assert_eq!(Spec::parse("dsa").unwrap(), Spec::Dsa(2048));
        for bad in [
            "rsa:1024",
            "rsa:32768",
            "rsa:big",
            "ec:p999",
            "ed25519:1",
            "foo",
        ] {
            assert_eq!(Spec::parse(bad).unwrap_err().code, 2, "{bad}");
        }
    }

    #[test]
    fn formats_and_algorithms() {
        use PrivateKeyFormat::*;
        assert!(format_fits(Traditional, "Ed25519", None).is_err());
        assert!(format_fits(Traditional, "DSA", None).is_ok());
        assert!(format_fits(Openssh, "EC", Some(EllipticCurve::Secp384r1)).is_ok());
        let k1 = format_fits(Openssh, "EC", Some(EllipticCurve::Secp256k1)).unwrap_err();
        assert!(k1.message.contains("secp256k1"), "{}", k1.message);
        assert!(format_fits(Openssh, "X25519", None).is_err());
        assert!(format_fits(Pkcs8, "X448", None).is_ok());
    }
}
