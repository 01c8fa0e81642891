//! Reading a key file of any format the library loads, recognised by its content: an
//! `OPENSSH PRIVATE KEY` block goes to the OpenSSH loader, a line starting `ssh-`, `ecdsa-` or
//! `sk-` to the OpenSSH public key loader, other PEM to the PEM private key loader when a
//! block has a private key label and to the public key loader otherwise, and DER (binary
//! starting with a SEQUENCE) to the DER private or public key loader by its structure.

use std::fmt;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::serialization::{
    KeyLoader, PrivateKeyTypes, PublicKeyTypes, MAX_KEY_INPUT_BYTES, PRIVATE_KEY_PEM_LABELS,
};
use zeroize::Zeroizing;

use super::openssh;
use crate::common::{Failure, Input};

/// The most a key file may hold: the library's own limit on key input.
const KEY_FILE_LIMIT: u64 = MAX_KEY_INPUT_BYTES as u64;

/// A private or a public key.
#[derive(Clone, Debug)]
pub(crate) enum AnyKey {
    Private(PrivateKeyTypes),
    Public(PublicKeyTypes),
}

impl AnyKey {
    /// The public key, or the public half of the private key.
    pub(crate) fn public(&self) -> Result<PublicKeyTypes, Failure> {
        match self {
            AnyKey::Private(key) => Ok(key.public_key()?),
            AnyKey::Public(key) => Ok(key.clone()),
        }
    }

    /// "RSA", "EC", "Ed25519", ...
    pub(crate) fn algorithm_name(&self) -> &'static str {
        match self {
            AnyKey::Private(key) => key.algorithm_name(),
            AnyKey::Public(key) => key.algorithm_name(),
        }
    }
}

/// The structure a key file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// PKCS #8 `PrivateKeyInfo` or `EncryptedPrivateKeyInfo`.
    Pkcs8,
    /// OpenSSL's traditional per-algorithm private key (PKCS #1, SEC 1, DSA).
    Traditional,
    /// `openssh-key-v1`.
    OpenSsh,
    /// An OpenSSH public key line.
    OpenSshPublic,
    /// X.509 `SubjectPublicKeyInfo`.
    Spki,
    /// PKCS #1 `RSAPublicKey`.
    Pkcs1,
}

/// The format detected: the structure, PEM or DER, encrypted or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Format {
    pub(crate) container: Container,
    pub(crate) der: bool,
    pub(crate) encrypted: bool,
}

impl fmt::Display for Format {
    /// `PKCS#8 PEM (encrypted)`, `traditional OpenSSL DER`, `OpenSSH`, `SPKI PEM`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encoding = if self.der { "DER" } else { "PEM" };
        match self.container {
            Container::Pkcs8 => write!(f, "PKCS#8 {encoding}")?,
            Container::Traditional => write!(f, "traditional OpenSSL {encoding}")?,
            Container::OpenSsh => f.write_str("OpenSSH")?,
            Container::OpenSshPublic => f.write_str("OpenSSH public key")?,
            Container::Spki => write!(f, "SPKI {encoding}")?,
            Container::Pkcs1 => write!(f, "PKCS#1 {encoding}")?,
        }
        if self.encrypted {
            f.write_str(" (encrypted)")?;
        }
        Ok(())
    }
}

/// A key read from a file, and the format it was in.
#[derive(Debug)]
pub(crate) struct LoadedKey {
    pub(crate) key: AnyKey,
    pub(crate) format: Format,
}

impl LoadedKey {
    /// Whether the file held a private key.
    pub(crate) fn is_private(&self) -> bool {
        matches!(self.key, AnyKey::Private(_))
    }
}

/// Reads a key file (`-`: standard input), wiped from memory on drop.
pub(crate) fn read_key_file(path: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    Input::open(path)?.read_all(true, KEY_FILE_LIMIT, || {
        Failure::usage(format!("{path}: too large for a key file (at most 16 MiB)"))
    })
}

/// Reads and loads the key file `path` onto `backend`; `password` decrypts an encrypted
/// private key (and is not used for a public key).
pub(crate) fn load(
    path: &str,
    password: Option<&[u8]>,
    backend: Arc<dyn Backend>,
) -> Result<LoadedKey, Failure> {
    let data = read_key_file(path)?;
    load_bytes(path, &data, password, backend)
}

/// "an RSA", "a DSA": the key type's name with its article, as it is read aloud.
pub(crate) fn a(algorithm: &str) -> String {
    let vowel_sound = ["EC", "RSA", "Ed", "X"]
        .iter()
        .any(|prefix| algorithm.starts_with(prefix));
    format!("{} {algorithm}", if vowel_sound { "an" } else { "a" })
}

/// Loads the private key of the file `path`: a public key is a usage error saying what
/// `needs` it.
pub(crate) fn load_private(
    path: &str,
    password: Option<&[u8]>,
    backend: Arc<dyn Backend>,
    needs: &str,
) -> Result<PrivateKeyTypes, Failure> {
    match load(path, password, backend)?.key {
        AnyKey::Private(key) => Ok(key),
        AnyKey::Public(key) => Err(Failure::usage(format!(
            "{path}: {} public key; {needs} needs the private key",
            a(key.algorithm_name())
        ))),
    }
}

/// Loads `data`, the content of the key file `path` (named in messages).
pub(crate) fn load_bytes(
    path: &str,
    data: &[u8],
    password: Option<&[u8]>,
    backend: Arc<dyn Backend>,
) -> Result<LoadedKey, Failure> {
    let loader = KeyLoader::new().backend(backend);
    let fail = |e: pluggable_crypto::Error| {
        let failure = Failure::from(e);
        Failure::usage(format!("{path}: {}", failure.message))
    };
    let private = |key: PrivateKeyTypes, container, der, encrypted| LoadedKey {
        key: AnyKey::Private(key),
        format: Format {
            container,
            der,
            encrypted,
        },
    };
    let public = |key: PublicKeyTypes, container, der| LoadedKey {
        key: AnyKey::Public(key),
        format: Format {
            container,
            der,
            encrypted: false,
        },
    };

    if openssh::is_openssh_private(data) {
        let encrypted = openssh::header(data).is_some_and(|h| h.encrypted);
        let key = loader.load_ssh_private_key(data, password).map_err(fail)?;
        return Ok(private(key, Container::OpenSsh, false, encrypted));
    }
    if let Some(line) = ssh_public_line(data) {
        let key = loader.load_ssh_public_key(line).map_err(fail)?;
        return Ok(public(key, Container::OpenSshPublic, false));
    }
    let labels = pem_labels(data);
    if let Some(label) = labels.iter().find(|l| PRIVATE_KEY_PEM_LABELS.contains(l)) {
        let key = loader.load_pem_private_key(data, password).map_err(fail)?;
        return Ok(match *label {
            "PRIVATE KEY" => private(key, Container::Pkcs8, false, false),
            "ENCRYPTED PRIVATE KEY" => private(key, Container::Pkcs8, false, true),
            label => {
                let encrypted = pem_block_is_encrypted(data, label);
                private(key, Container::Traditional, false, encrypted)
            }
        });
    }
    if let Some(label) = labels
        .iter()
        .find(|l| **l == "PUBLIC KEY" || **l == "RSA PUBLIC KEY")
    {
        let key = loader.load_pem_public_key(data).map_err(fail)?;
        let container = match *label {
            "PUBLIC KEY" => Container::Spki,
            _ => Container::Pkcs1,
        };
        return Ok(public(key, container, false));
    }
    if !labels.is_empty() {
        return Err(Failure::usage(format!(
            "{path}: no private or public key in this PEM file (it holds {})",
            labels.join(", ")
        )));
    }
    if data.first() == Some(&0x30) {
        return Ok(match der_kind(data) {
            Some(DerKind::Spki) => public(
                loader.load_der_public_key(data).map_err(fail)?,
                Container::Spki,
                true,
            ),
            Some(DerKind::Pkcs1Public) => public(
                loader.load_der_public_key(data).map_err(fail)?,
                Container::Pkcs1,
                true,
            ),
            Some(kind) => {
                let key = loader.load_der_private_key(data, password).map_err(fail)?;
                match kind {
                    DerKind::EncryptedPkcs8 => private(key, Container::Pkcs8, true, true),
                    DerKind::Pkcs8 => private(key, Container::Pkcs8, true, false),
                    _ => private(key, Container::Traditional, true, false),
                }
            }
            // Not a structure we know: the private key loader says why.
            None => private(
                loader.load_der_private_key(data, password).map_err(fail)?,
                Container::Pkcs8,
                true,
                false,
            ),
        });
    }
    Err(Failure::usage(format!(
        "{path}: not a key file (no PEM block, OpenSSH key or DER key found)"
    )))
}

/// Whether `data` holds a private key: an OpenSSH private key, a PEM block with a private key
/// label, or a DER private key structure.
pub(crate) fn is_private_file(data: &[u8]) -> bool {
    openssh::is_openssh_private(data)
        || pem_labels(data)
            .iter()
            .any(|l| PRIVATE_KEY_PEM_LABELS.contains(l))
        || (data.first() == Some(&0x30)
            && matches!(
                der_kind(data),
                Some(DerKind::Pkcs8 | DerKind::EncryptedPkcs8 | DerKind::Traditional)
            ))
}

/// Whether `data` holds a SPKI or PKCS #1 public key (PEM or DER).
pub(crate) fn is_public_structure(data: &[u8]) -> bool {
    pem_labels(data)
        .iter()
        .any(|l| *l == "PUBLIC KEY" || *l == "RSA PUBLIC KEY")
        || (data.first() == Some(&0x30)
            && matches!(der_kind(data), Some(DerKind::Spki | DerKind::Pkcs1Public)))
}

/// The first line that is not blank or a `#` comment, when it is an OpenSSH public key line.
fn ssh_public_line(data: &[u8]) -> Option<&[u8]> {
    let line = data
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii_start())
        .find(|line| !line.is_empty() && !line.starts_with(b"#"))?;
    let is_ssh = [&b"ssh-"[..], b"ecdsa-", b"sk-"]
        .iter()
        .any(|prefix| line.starts_with(prefix));
    is_ssh.then(|| line.trim_ascii_end())
}

/// The labels of the PEM blocks in `data`, in order.
pub(crate) fn pem_labels(data: &[u8]) -> Vec<&str> {
    data.split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = std::str::from_utf8(line.trim_ascii()).ok()?;
            line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")
        })
        .collect()
}

/// Whether the first `label` block has `Proc-Type: 4,ENCRYPTED` (DEK-Info encryption).
fn pem_block_is_encrypted(data: &[u8], label: &str) -> bool {
    let begin = format!("-----BEGIN {label}-----");
    let Some(start) = data
        .windows(begin.len())
        .position(|w| w == begin.as_bytes())
    else {
        return false;
    };
    data[start..]
        .split(|&b| b == b'\n')
        .skip(1)
        .take_while(|line| !line.trim_ascii().is_empty() && !line.starts_with(b"-----"))
        .any(|line| {
            line.starts_with(b"Proc-Type:") && line.trim_ascii_end().ends_with(b"ENCRYPTED")
        })
}

/// The DER structures of key files, told apart by the tags of their first elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DerKind {
    /// SEQUENCE { SEQUENCE (algorithm), OCTET STRING }
    EncryptedPkcs8,
    /// SEQUENCE { INTEGER (version), SEQUENCE (algorithm), OCTET STRING, ... }
    Pkcs8,
    /// SEQUENCE { INTEGER, INTEGER, INTEGER, ... } (RSA, DSA) or
    /// SEQUENCE { INTEGER 1, OCTET STRING, ... } (SEC 1)
    Traditional,
    /// SEQUENCE { SEQUENCE (algorithm), BIT STRING }
    Spki,
    /// SEQUENCE { INTEGER (n), INTEGER (e) }
    Pkcs1Public,
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const BIT_STRING: u8 = 0x03;

fn der_kind(data: &[u8]) -> Option<DerKind> {
    let (tag, mut content, rest) = tlv(data)?;
    if tag != SEQUENCE || !rest.is_empty() {
        return None;
    }
    let mut tags = Vec::new();
    while !content.is_empty() {
        let (tag, _, rest) = tlv(content)?;
        tags.push(tag);
        content = rest;
    }
    Some(match tags[..] {
        [SEQUENCE, OCTET_STRING] => DerKind::EncryptedPkcs8,
        [SEQUENCE, BIT_STRING] => DerKind::Spki,
        [INTEGER, SEQUENCE, OCTET_STRING, ..] => DerKind::Pkcs8,
        [INTEGER, INTEGER] => DerKind::Pkcs1Public,
        [INTEGER, INTEGER, INTEGER, ..] | [INTEGER, OCTET_STRING, ..] => DerKind::Traditional,
        _ => return None,
    })
}

/// One DER element: its tag, content and what follows it.
fn tlv(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = data.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(n)?;
        let len = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, rest)
    };
    let (content, rest) = rest.split_at_checked(len)?;
    Some((tag, content, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_structures_are_told_apart() {
        // SEQUENCE { SEQUENCE {}, BIT STRING 00 }
        assert_eq!(
            der_kind(&[0x30, 0x05, 0x30, 0x00, 0x03, 0x01, 0x00]),
            Some(DerKind::Spki)
        );
        assert_eq!(
            der_kind(&[0x30, 0x04, 0x30, 0x00, 0x04, 0x00]),
            Some(DerKind::EncryptedPkcs8)
        );
        assert_eq!(
            der_kind(&[0x30, 0x07, 0x02, 0x01, 0x00, 0x30, 0x00, 0x04, 0x00]),
            Some(DerKind::Pkcs8)
        );
        assert_eq!(
            der_kind(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]),
            Some(DerKind::Pkcs1Public)
        );
        assert_eq!(
            der_kind(&[0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00]),
            Some(DerKind::Traditional)
        );
        assert_eq!(der_kind(&[0x30, 0x05, 0x02, 0x01]), None);
        assert_eq!(der_kind(&[0x30, 0x00, 0x00]), None);
    }

    #[test]
    fn formats_read_as_the_issue_spells_them() {
        let f = |container, der, encrypted| {
            Format {
                container,
                der,
                encrypted,
            }
            .to_string()
        };
        assert_eq!(f(Container::Pkcs8, false, true), "PKCS#8 PEM (encrypted)");
        assert_eq!(f(Container::Pkcs8, true, false), "PKCS#8 DER");
        assert_eq!(
            f(Container::Traditional, false, false),
            "traditional OpenSSL PEM"
        );
        assert_eq!(f(Container::OpenSsh, false, true), "OpenSSH (encrypted)");
        assert_eq!(f(Container::Spki, true, false), "SPKI DER");
    }

    #[test]
    fn labels_and_public_lines() {
        let pem = b"Bag Attributes\n-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n\
                    -----BEGIN EC PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: x\r\n\r\nAA==\n";
        assert_eq!(pem_labels(pem), ["CERTIFICATE", "EC PRIVATE KEY"]);
        assert!(pem_block_is_encrypted(pem, "EC PRIVATE KEY"));
        assert!(!pem_block_is_encrypted(pem, "CERTIFICATE"));
        assert_eq!(
            ssh_public_line(b"# keys\n\n  ssh-ed25519 AAAA c\r\nssh-rsa B"),
            Some(&b"ssh-ed25519 AAAA c"[..])
        );
        assert_eq!(ssh_public_line(b"-----BEGIN PUBLIC KEY-----"), None);
    }
}
