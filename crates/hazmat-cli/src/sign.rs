//! `hazmat sign` / `hazmat verify`: signatures of files with RSA (PKCS #1 v1.5 or PSS), ECDSA,
//! DSA, Ed25519 and Ed448 keys.
//!
//! RSA, ECDSA and DSA hash the file in chunks (constant memory at any size) and sign the
//! digest (`Prehashed`); a backend that signs only whole messages (ring) is given the message
//! instead, read again from the file (at most [`MESSAGE_LIMIT`]). EdDSA signs the message
//! itself, so it is read whole, at most [`MESSAGE_LIMIT`].

use std::sync::Arc;

use clap::Args;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::Ecdsa;
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    Pkcs1v15, Pss, PssSaltLength, SignaturePadding,
};
use pluggable_crypto::hazmat::primitives::asymmetric::SignatureHash;
use pluggable_crypto::hazmat::primitives::hashes::Hash;
use pluggable_crypto::hazmat::primitives::serialization::{PrivateKeyTypes, PublicKeyTypes};
use zeroize::Zeroizing;

use crate::checksum::format_status_line;
use crate::common::{write_stdout, Failure, Input, Options};
use crate::keys::load::{load, load_private};
use crate::keys::output::{write_file, Secrecy};
use crate::keys::sighash::SigHash;
use crate::keys::{PasswordArg, KEY_FILES_HELP};

/// The most an EdDSA message (or a message a backend wants whole) may be: it is held in
/// memory.
pub(crate) const MESSAGE_LIMIT: u64 = 256 * 1024 * 1024;

/// The most a signature file may hold (an RSA-16384 signature is 2048 bytes).
const SIGNATURE_LIMIT: u64 = 64 * 1024;

const SIGN_HELP: &str = "\
Signatures: RSA PKCS #1 v1.5 (the default for RSA keys; deterministic, byte for byte what \
`openssl dgst -sha256 -sign key.pem` writes), RSA-PSS with --pss (MGF1 over the same hash, a \
salt as long as the digest; verification accepts any salt length, as `openssl dgst -sigopt \
rsa_padding_mode:pss` does), ECDSA and DSA (DER-encoded SEQUENCE { r, s }, as openssl dgst \
writes them), Ed25519 and Ed448 (pure EdDSA, as `openssl pkeyutl -sign -rawin`).

--hash (RSA, ECDSA, DSA): one of sha256 (default), sha224, sha384, sha512, sha512-224, \
sha512-256, sha3-224, sha3-256, sha3-384, sha3-512, sha1 (legacy). The file is hashed in \
chunks, in constant memory at any size. EdDSA takes no --hash: it signs the message itself, \
which is read into memory whole, at most 256 MiB.

Exit status: 0 success (verify prints `FILE: OK`, not with --quiet); 1 the signature does not \
verify (verify prints `FILE: FAILED`); 2 usage error (an unreadable or wrong key, a missing or \
wrong password, an option the key type does not take).";

/// Arguments of `hazmat sign`.
#[derive(Args)]
#[command(after_help = format!("{SIGN_HELP}\n\n{KEY_FILES_HELP}"))]
pub(crate) struct SignArgs {
    /// The private key file.
    #[arg(long, value_name = "FILE")]
    key: String,
    #[command(flatten)]
    password: PasswordArg,
    /// The hash (RSA, ECDSA, DSA; default sha256).
    #[arg(long, value_name = "ALG")]
    hash: Option<String>,
    /// RSA-PSS instead of PKCS #1 v1.5.
    #[arg(long)]
    pss: bool,
    /// Where the signature goes (`-`: standard output).
    #[arg(short, long, default_value = "-")]
    output: String,
    /// The file to sign (`-`: standard input).
    #[arg(default_value = "-")]
    input: String,
}

/// Arguments of `hazmat verify`.
#[derive(Args)]
#[command(after_help = format!("{SIGN_HELP}\n\n{KEY_FILES_HELP}"))]
pub(crate) struct VerifyArgs {
    /// The public key file (a private key file gives its public half).
    #[arg(long, value_name = "FILE")]
    key: String,
    #[command(flatten)]
    password: PasswordArg,
    /// The signature file.
    #[arg(long, value_name = "FILE")]
    signature: String,
    /// The hash (RSA, ECDSA, DSA; default sha256).
    #[arg(long, value_name = "ALG")]
    hash: Option<String>,
    /// RSA-PSS instead of PKCS #1 v1.5.
    #[arg(long)]
    pss: bool,
    /// The signed file (`-`: standard input).
    #[arg(default_value = "-")]
    input: String,
}

/// How the message reaches the key.
struct Message<'a> {
    input: &'a str,
    backend: Arc<dyn Backend>,
    quiet: bool,
}

impl Message<'_> {
    /// The whole message, for EdDSA.
    fn whole(&self) -> Result<Zeroizing<Vec<u8>>, Failure> {
        let input = self.input;
        Input::open(input)?.read_all(self.quiet, MESSAGE_LIMIT, || {
            Failure::usage(format!(
                "{input}: this signature takes the whole message in memory, at most 256 MiB"
            ))
        })
    }

    /// Runs `op` on the digest of the message (hashed in chunks), or, when the key's backend
    /// takes only messages, on the message read again from its file.
    fn hashed<T>(
        &self,
        hash: &SigHash,
        op: impl Fn(&[u8], &SignatureHash) -> pluggable_crypto::Result<T>,
    ) -> Result<T, Failure> {
        let mut context = Hash::from_shared(hash.algorithm.clone(), self.backend.clone())?;
        Input::open(self.input)?.for_each_chunk(self.quiet, |chunk| {
            context.update(chunk).map_err(Failure::from)
        })?;
        let digest = context.finalize()?;
        match op(&digest, &hash.prehashed) {
            Err(e) if e.is_unsupported() && self.input != "-" => {
                let message = self.whole()?;
                Ok(op(&message, &hash.message)?)
            }
            Err(e) if e.is_unsupported() => Err(Failure::usage(format!(
                "{e}; this backend signs whole messages only: name the input file instead of \
                 standard input, so it can be read whole (at most 256 MiB)"
            ))),
            other => Ok(other?),
        }
    }
}

/// The hash for RSA, ECDSA and DSA: --hash or sha256.
fn hash_for(given: &Option<String>) -> Result<SigHash, Failure> {
    SigHash::named(given.as_deref().unwrap_or("sha256"))
}

/// Refuses what EdDSA does not take.
fn eddsa_options(algorithm: &str, hash: &Option<String>, pss: bool) -> Result<(), Failure> {
    if hash.is_some() {
        return Err(Failure::usage(format!(
            "--hash: {algorithm} signs the message itself (pure EdDSA) and takes no hash"
        )));
    }
    if pss {
        return Err(Failure::usage(format!(
            "--pss is for RSA keys, not {algorithm}"
        )));
    }
    Ok(())
}

fn no_pss(algorithm: &str, pss: bool) -> Result<(), Failure> {
    if pss {
        return Err(Failure::usage(format!(
            "--pss is for RSA keys, not {algorithm}"
        )));
    }
    Ok(())
}

fn cannot_sign(algorithm: &str) -> Failure {
    Failure::usage(format!(
        "{algorithm} keys do not sign (they agree on shared secrets: see hazmat derive); \
         signatures take RSA, EC, DSA, Ed25519 or Ed448 keys"
    ))
}

/// Runs `hazmat sign`.
pub(crate) fn sign(args: &SignArgs, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    let password = args.password.read()?;
    let key = load_private(&args.key, password.as_deref(), backend.clone(), "signing")?;
    let message = Message {
        input: &args.input,
        backend,
        quiet: options.quiet,
    };
    let signature = match &key {
        PrivateKeyTypes::Rsa(k) => {
            let hash = hash_for(&args.hash)?;
            let padding: SignaturePadding = if args.pss {
                Pss::new(hash.mgf1.clone(), PssSaltLength::DigestLength).into()
            } else {
                Pkcs1v15.into()
            };
            message.hashed(&hash, |data, h| k.sign(data, padding.clone(), h.clone()))?
        }
        PrivateKeyTypes::Ec(k) => {
            no_pss("EC", args.pss)?;
            let hash = hash_for(&args.hash)?;
            message.hashed(&hash, |data, h| k.sign(data, &Ecdsa::new(h.clone())))?
        }
        PrivateKeyTypes::Dsa(k) => {
            no_pss("DSA", args.pss)?;
            let hash = hash_for(&args.hash)?;
            message.hashed(&hash, |data, h| k.sign(data, h.clone()))?
        }
        PrivateKeyTypes::Ed25519(k) => {
            eddsa_options("Ed25519", &args.hash, args.pss)?;
            k.sign(&message.whole()?)?
        }
        PrivateKeyTypes::Ed448(k) => {
            eddsa_options("Ed448", &args.hash, args.pss)?;
            k.sign(&message.whole()?)?
        }
        other => return Err(cannot_sign(other.algorithm_name())),
    };
    write_file(&args.output, &signature, Secrecy::Public, true)
}

/// Runs `hazmat verify`.
pub(crate) fn verify(args: &VerifyArgs, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    let password = args.password.read()?;
    let key = load(&args.key, password.as_deref(), backend.clone())?
        .key
        .public()?;
    let signature = Input::open(&args.signature)?.read_all(true, SIGNATURE_LIMIT, || {
        Failure::usage(format!(
            "{}: too large for a signature (at most 64 KiB)",
            args.signature
        ))
    })?;
    let message = Message {
        input: &args.input,
        backend,
        quiet: options.quiet,
    };
    let verified = match &key {
        PublicKeyTypes::Rsa(k) => {
            let hash = hash_for(&args.hash)?;
            message.hashed(&hash, |data, h| {
                if !args.pss {
                    return k.verify(&signature, data, Pkcs1v15, h.clone());
                }
                let pss = |salt| Pss::new(hash.mgf1.clone(), salt);
                // Any salt length; a backend that checks only digest-length salts gets that.
                match k.verify(&signature, data, pss(PssSaltLength::Auto), h.clone()) {
                    Err(e) if e.is_unsupported() => k.verify(
                        &signature,
                        data,
                        pss(PssSaltLength::DigestLength),
                        h.clone(),
                    ),
                    other => other,
                }
            })
        }
        PublicKeyTypes::Ec(k) => {
            no_pss("EC", args.pss)?;
            let hash = hash_for(&args.hash)?;
            message.hashed(&hash, |data, h| {
                k.verify(&signature, data, &Ecdsa::new(h.clone()))
            })
        }
        PublicKeyTypes::Dsa(k) => {
            no_pss("DSA", args.pss)?;
            let hash = hash_for(&args.hash)?;
            message.hashed(&hash, |data, h| k.verify(&signature, data, h.clone()))
        }
        PublicKeyTypes::Ed25519(k) => {
            eddsa_options("Ed25519", &args.hash, args.pss)?;
            k.verify(&signature, &message.whole()?)
                .map_err(Failure::from)
        }
        PublicKeyTypes::Ed448(k) => {
            eddsa_options("Ed448", &args.hash, args.pss)?;
            k.verify(&signature, &message.whole()?)
                .map_err(Failure::from)
        }
        other => return Err(cannot_sign(other.algorithm_name())),
    };
    match verified {
        Ok(()) if options.quiet => Ok(()),
        Ok(()) => write_stdout(format!("{}\n", format_status_line(&args.input, "OK")).as_bytes()),
        Err(failure) if failure.code == 1 => {
            write_stdout(format!("{}\n", format_status_line(&args.input, "FAILED")).as_bytes())?;
            Err(Failure {
                code: 1,
                message: String::new(),
            })
        }
        Err(failure) => Err(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eddsa_refuses_a_hash_and_pss() {
        assert!(eddsa_options("Ed25519", &Some("sha256".into()), false)
            .unwrap_err()
            .message
            .contains("no hash"));
        assert!(eddsa_options("Ed448", &None, true).is_err());
        assert!(eddsa_options("Ed448", &None, false).is_ok());
    }
}
