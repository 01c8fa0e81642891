//! Asymmetric keys: `hazmat genkey` and `hazmat key public|convert|show|fingerprint`, and what
//! `sign`, `verify`, `derive` and RSA-OAEP `encrypt`/`decrypt` share with them: reading a key
//! file of any format ([`load`]), password files, writing key files ([`output`]), the
//! signature hashes ([`sighash`]).
//!
//! The jobs, one file each: [`load`] detects a key file's format by its content and loads it
//! onto the chosen backend; [`openssh`] reads what the library does not hand back from an
//! `openssh-key-v1` file (the public key of an encrypted file, the comment); [`output`] writes
//! key files (private ones mode 0600, never over an existing file without `--force`);
//! [`genkey`] and [`command`] are the commands; [`fingerprint`] is `ssh-keygen -l`.

use clap::Args;
use zeroize::Zeroizing;

use crate::common::{read_secret_file, Failure};

mod command;
mod fingerprint;
mod genkey;
pub(crate) mod load;
mod openssh;
pub(crate) mod output;
pub(crate) mod sighash;

pub(crate) use command::{run, KeyCommand};
pub(crate) use genkey::{genkey, GenkeyArgs};

/// What every key-reading command says about key files and passwords.
pub(crate) const KEY_FILES_HELP: &str = "\
A key file may be in any format the library reads, recognised by its content: PEM (PKCS #8, \
encrypted PKCS #8, traditional OpenSSL RSA/EC/DSA keys with or without DEK-Info encryption, \
SPKI and PKCS #1 public keys), DER (the same structures), an OpenSSH private key (`OPENSSH \
PRIVATE KEY`) or an OpenSSH public key line (`ssh-ed25519 AAAA... comment`). Where a public key \
is wanted, a private key file gives its public half. `-` reads standard input.

A password file holds the password: all its bytes but one trailing newline (`\\n`), which is \
removed, so `echo secret > pw` and `printf secret > pw` give the same password, as `openssl \
-passin file:pw` reads them (a `\\r` before the newline is part of the password, for openssl \
too). An encrypted key without --password-file, a wrong \
password, or a password for a key that is not encrypted is a usage error (exit 2).";

/// `--password-file FILE`, for encrypted key files.
#[derive(Args, Debug, Default)]
pub(crate) struct PasswordArg {
    /// The password of an encrypted key file: the file's bytes, one trailing newline removed.
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: Option<String>,
}

impl PasswordArg {
    /// The password, if a file was given (wiped on drop).
    pub(crate) fn read(&self) -> Result<Option<Password>, Failure> {
        self.password_file
            .as_deref()
            .map(|path| read_password("--password-file", path))
            .transpose()
    }
}

/// A password, wiped from memory on drop; `Option<Password>::as_deref` gives the
/// `Option<&[u8]>` the loaders take.
pub(crate) struct Password(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

impl std::ops::Deref for Password {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// Reads a password file: all its bytes but one trailing `\n`. An empty password is
/// refused (`option` names the flag in the message).
pub(crate) fn read_password(option: &str, path: &str) -> Result<Password, Failure> {
    let mut password = read_secret_file(path)?;
    if password.last() == Some(&b'\n') {
        password.pop();
    }
    if password.is_empty() {
        return Err(Failure::usage(format!(
            "{option} {path}: the password is empty"
        )));
    }
    Ok(Password(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cases: &[(&[u8], &[u8])] = &[
            (b"secret", b"secret"),
            (b"secret\n", b"secret"),
            (b"secret\r\n", b"secret\r"),
            (b"secret\n\n", b"secret\n"),
            (b" two words \n", b" two words "),
        ];
        for (contents, password) in cases {
            let path = dir.path().join("pw");
            std::fs::write(&path, contents).unwrap();
            let read = read_password("--password-file", path.to_str().unwrap()).unwrap();
            assert_eq!(&read[..], *password);
        }
        for empty in [&b""[..], b"\n"] {
            let path = dir.path().join("pw");
            std::fs::write(&path, empty).unwrap();
            let err = read_password("--password-file", path.to_str().unwrap()).unwrap_err();
            assert!(err.message.contains("empty"), "{}", err.message);
        }
    }
}
