//! `hazmat encrypt --rsa-oaep` / `hazmat decrypt --rsa-oaep`: one small payload encrypted to
//! an RSA key with OAEP, the output the bare ciphertext (as `openssl pkeyutl -encrypt` writes
//! it). Decryption writes nothing unless it succeeds.

use pluggable_crypto::hazmat::primitives::serialization::{PrivateKeyTypes, PublicKeyTypes};

use super::Output;
use crate::common::{Failure, Input, Options};
use crate::keys::load::{a, load, load_private};
use crate::keys::sighash::SigHash;
use crate::keys::{read_password, Password};

/// The most ciphertext read: an RSA-16384 ciphertext is 2048 bytes.
const CIPHERTEXT_LIMIT: u64 = 64 * 1024;

fn password(path: Option<&str>) -> Result<Option<Password>, Failure> {
    path.map(|path| read_password("--password-file", path))
        .transpose()
}

fn not_rsa(path: &str, algorithm: &str) -> Failure {
    Failure::usage(format!(
        "{path}: {} key; RSA-OAEP takes RSA keys",
        a(algorithm)
    ))
}

/// Encrypts `input` to the RSA public key in `key_path`.
pub(super) fn encrypt(
    key_path: &str,
    password_file: Option<&str>,
    hash: Option<&str>,
    input: &str,
    output: &str,
    options: &Options,
) -> Result<(), Failure> {
    let hash = SigHash::named(hash.unwrap_or("sha256"))?;
    let password = password(password_file)?;
    let key = match load(key_path, password.as_deref(), options.backend()?)?
        .key
        .public()?
    {
        PublicKeyTypes::Rsa(key) => key,
        other => return Err(not_rsa(key_path, other.algorithm_name())),
    };
    let bits = key.key_size();
    let modulus_bytes = bits.div_ceil(8);
    let max = modulus_bytes
        .checked_sub(2 * hash.digest_size + 2)
        .ok_or_else(|| {
            Failure::usage(format!(
                "a {bits}-bit RSA key is too small for RSA-OAEP with {}",
                hash.name()
            ))
        })?;
    let too_long = |size: Option<u64>| {
        let size = size.map_or_else(|| "longer".to_owned(), |n| format!("{n} bytes"));
        Failure::usage(format!(
            "{input}: RSA-OAEP with a {bits}-bit key and {} encrypts at most {max} bytes, and \
             the input is {size}; for larger data encrypt it with a cipher under a random key \
             and encrypt that key with --rsa-oaep",
            hash.name()
        ))
    };
    let source = Input::open(input)?;
    let size = source.size();
    let plaintext = source.read_all(true, max as u64, || too_long(size))?;
    let ciphertext = key.encrypt(&plaintext, hash.oaep.clone())?;
    let mut out = Output::create(output)?;
    out.write(&ciphertext)?;
    out.commit()
}

/// Decrypts the RSA-OAEP ciphertext `input` with the RSA private key in `key_path`.
pub(super) fn decrypt(
    key_path: &str,
    password_file: Option<&str>,
    hash: Option<&str>,
    input: &str,
    output: &str,
    options: &Options,
) -> Result<(), Failure> {
    let hash = SigHash::named(hash.unwrap_or("sha256"))?;
    let password = password(password_file)?;
    let key = match load_private(
        key_path,
        password.as_deref(),
        options.backend()?,
        "RSA-OAEP decryption",
    )? {
        PrivateKeyTypes::Rsa(key) => key,
        other => return Err(not_rsa(key_path, other.algorithm_name())),
    };
    let bits = key.key_size();
    let modulus_bytes = bits.div_ceil(8);
    let ciphertext = Input::open(input)?.read_all(true, CIPHERTEXT_LIMIT, || {
        Failure::verification(format!(
            "{input}: too long for an RSA-OAEP ciphertext; no output written"
        ))
    })?;
    if ciphertext.len() != modulus_bytes {
        return Err(Failure::verification(format!(
            "{input}: an RSA-OAEP ciphertext under a {bits}-bit key is {modulus_bytes} bytes, \
             not {}; no output written",
            ciphertext.len()
        )));
    }
    let plaintext = zeroize::Zeroizing::new(key.decrypt(&ciphertext, hash.oaep.clone()).map_err(
        |e| match e {
            pluggable_crypto::Error::DecryptionFailed => Failure::verification(
                "RSA-OAEP decryption failed: a wrong key or hash, or an altered \
                     ciphertext; no output written",
            ),
            other => other.into(),
        },
    )?);
    let mut out = Output::create(output)?;
    out.write(&plaintext)?;
    out.commit()
}
