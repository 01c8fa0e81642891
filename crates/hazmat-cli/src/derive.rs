//! `hazmat derive`: the shared secret of a private key and a peer's public key (ECDH, X25519,
//! X448, finite-field DH), raw or through HKDF.

use clap::Args;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::Ecdh;
use pluggable_crypto::hazmat::primitives::hashes::algorithm_by_name;
use pluggable_crypto::hazmat::primitives::kdf::hkdf::Hkdf;
use pluggable_crypto::hazmat::primitives::serialization::{PrivateKeyTypes, PublicKeyTypes};
use zeroize::Zeroizing;

use crate::common::{parse_hex, to_hex, Failure, Options};
use crate::crypt::Output;
use crate::keys::load::{a, load, load_private};
use crate::keys::{PasswordArg, KEY_FILES_HELP};

const DERIVE_HELP: &str = "\
Key agreement: ECDH (EC keys on the same curve; the secret is the x-coordinate of the shared \
point, as `openssl pkeyutl -derive` gives it), X25519, X448, and finite-field DH (keys with the \
same parameters). The raw shared secret is written as it is (to -o, or standard output), or as \
hexadecimal with --hex. It is not uniformly random: use it as input keying material, e.g. with \
--hkdf HASH, which derives --length bytes (default: the hash's digest size) with HKDF (RFC \
5869), salt --salt-hex (none by default) and info --info-hex (empty by default); this equals \
`hazmat kdf hkdf --ikm-file SECRET` and `openssl kdf ... HKDF` over the secret.

The output file is written only when everything succeeded, readable by its owner only.";

/// Arguments of `hazmat derive`.
#[derive(Args)]
#[command(after_help = format!("{DERIVE_HELP}\n\n{KEY_FILES_HELP}"))]
pub(crate) struct DeriveArgs {
    /// Our private key file.
    #[arg(long, value_name = "FILE")]
    key: String,
    #[command(flatten)]
    password: PasswordArg,
    /// The peer's public key file (a private key file gives its public half).
    #[arg(long, value_name = "FILE")]
    peer: String,
    /// Derive the output with HKDF over this hash (sha256, sha384, sha512, ...) from the
    /// secret.
    #[arg(long, value_name = "HASH")]
    hkdf: Option<String>,
    /// The HKDF salt as hexadecimal (default: none).
    #[arg(long, value_name = "HEX", requires = "hkdf")]
    salt_hex: Option<String>,
    /// The HKDF info as hexadecimal (default: empty).
    #[arg(long, value_name = "HEX", requires = "hkdf")]
    info_hex: Option<String>,
    /// The HKDF output length in bytes (default: the hash's digest size).
    #[arg(long, value_name = "BYTES", requires = "hkdf")]
    length: Option<usize>,
    /// Write lowercase hexadecimal and a newline instead of the bytes.
    #[arg(long)]
    hex: bool,
    /// Where the secret goes (`-`: standard output).
    #[arg(short, long, default_value = "-")]
    output: String,
}

/// Runs `hazmat derive`.
pub(crate) fn derive(args: &DeriveArgs, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    let password = args.password.read()?;
    let key = load_private(&args.key, password.as_deref(), backend.clone(), "derive")?;
    let peer = load(&args.peer, None, backend.clone())?.key.public()?;
    let mismatch = |ours: &str| {
        Failure::usage(format!(
            "{}: {} key; the peer of {ours} key must be {ours} key too",
            args.peer,
            a(peer.algorithm_name()),
        ))
    };
    let exchanged = |result: pluggable_crypto::Result<Zeroizing<Vec<u8>>>| {
        result.map_err(|e| Failure::usage(format!("{}: {}", args.peer, Failure::from(e).message)))
    };
    let secret: Zeroizing<Vec<u8>> = match (&key, &peer) {
        (PrivateKeyTypes::Ec(k), PublicKeyTypes::Ec(p)) => exchanged(k.exchange(&Ecdh, p))?,
        (PrivateKeyTypes::Ec(_), _) => return Err(mismatch("an EC")),
        (PrivateKeyTypes::X25519(k), PublicKeyTypes::X25519(p)) => exchanged(k.exchange(p))?,
        (PrivateKeyTypes::X25519(_), _) => return Err(mismatch("an X25519")),
        (PrivateKeyTypes::X448(k), PublicKeyTypes::X448(p)) => exchanged(k.exchange(p))?,
        (PrivateKeyTypes::X448(_), _) => return Err(mismatch("an X448")),
        (PrivateKeyTypes::Dh(k), PublicKeyTypes::Dh(p)) => exchanged(k.exchange(p))?,
        (PrivateKeyTypes::Dh(_), _) => return Err(mismatch("a DH")),
        (other, _) => {
            return Err(Failure::usage(format!(
                "{}: {} keys do not agree on secrets; derive takes EC, X25519, X448 or DH keys",
                args.key,
                other.algorithm_name()
            )))
        }
    };
    let output = match &args.hkdf {
        None => secret,
        Some(hash) => {
            let algorithm = algorithm_by_name(hash, None)?;
            let length = args.length.unwrap_or(algorithm.digest_size());
            let salt = args
                .salt_hex
                .as_deref()
                .map(|hex| parse_hex("--salt-hex", hex))
                .transpose()?;
            let info = args
                .info_hex
                .as_deref()
                .map(|hex| parse_hex("--info-hex", hex))
                .transpose()?;
            Hkdf::from_shared(
                algorithm,
                length,
                salt.as_deref().map(|s| &s[..]),
                info.as_deref().map(|s| &s[..]),
                backend,
            )?
            .derive(&secret)?
        }
    };
    let mut out = Output::create(&args.output)?;
    if args.hex {
        let mut line = Zeroizing::new(to_hex(&output));
        line.push('\n');
        out.write(line.as_bytes())?;
    } else {
        out.write(&output)?;
    }
    out.commit()
}
