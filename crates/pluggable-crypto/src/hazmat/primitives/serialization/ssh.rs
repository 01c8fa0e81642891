//! OpenSSH keys: `openssh-key-v1` private keys and the public key line.

use zeroize::Zeroizing;

use super::keys::{Builder, PrivateKeyTypes, PublicKeyTypes};
use crate::{Error, Reason, Result};

/// The cipher of an encrypted OpenSSH private key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SshCipher {
    /// aes256-ctr (ssh-keygen's default).
    Aes256Ctr,
    /// aes256-gcm@openssh.com.
    Aes256Gcm,
}

fn todo() -> Error {
    Error::unsupported(Reason::UnsupportedSerialization, "OpenSSH keys")
}

pub(crate) fn load_private_key(
    _builder: &Builder,
    _data: &[u8],
    _password: Option<&[u8]>,
) -> Result<PrivateKeyTypes> {
    Err(todo())
}

pub(crate) fn load_public_key(_builder: &Builder, _data: &[u8]) -> Result<PublicKeyTypes> {
    Err(todo())
}

pub(crate) fn encode_private_key(
    _key: &PrivateKeyTypes,
    _password: Option<&[u8]>,
    _rounds: u32,
    _cipher: SshCipher,
) -> Result<Zeroizing<Vec<u8>>> {
    Err(todo())
}

pub(crate) fn encode_public_key(_key: &PublicKeyTypes) -> Result<Vec<u8>> {
    Err(todo())
}

/// The SHA-256 fingerprint of `key` as `ssh-keygen -l` prints it: `SHA256:` and the unpadded
/// base64 of the SHA-256 of the key's SSH wire encoding.
pub fn ssh_key_fingerprint(_key: &PublicKeyTypes) -> Result<String> {
    Err(todo())
}
