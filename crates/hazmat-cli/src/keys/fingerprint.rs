//! `hazmat key fingerprint`: SSH fingerprints, printed as `ssh-keygen -l -f FILE` prints them
//! (OpenSSH 9.2): `BITS SHA256:BASE64 COMMENT (TYPE)`, one line per key.
//!
//! The comment follows ssh-keygen's rules. For a file of public key lines (a `.pub` file,
//! `authorized_keys`, `known_hosts`), each key's comment is the text after it on its line, else
//! the options or host names before it, else `no comment`. For a private key file, the key and
//! its comment come from `FILE.pub` beside it when that holds a key (its comment, else the name
//! `FILE.pub` itself); otherwise the key is the private file's (the public key stored in an
//! OpenSSH file, readable without the password) and the comment that of an unencrypted OpenSSH
//! key (possibly empty), else `no comment`. Key files ssh-keygen does not read (PKCS #8
//! Ed25519, encrypted PEM with --password-file, DER, SPKI) print the same line, with `no
//! comment`.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::hashes::{hash_with_backend, Sha256};
use pluggable_crypto::hazmat::primitives::serialization::{
    ssh_key_fingerprint, Encoding, KeyLoader, PublicFormat, PublicKeyTypes,
};

use super::load::{self, load_bytes, read_key_file};
use super::openssh;
use crate::common::{write_stdout, Failure, Options};

const CERT_SUFFIX: &str = "-cert-v01@openssh.com";

/// An SSH public key as ssh-keygen prints it.
struct SshKey {
    bits: usize,
    fingerprint: String,
    label: String,
}

impl SshKey {
    /// The key of the wire blob `blob` of type `key_type`, or `None` if the library does not
    /// load it.
    fn from_blob(key_type: &str, blob: &[u8], backend: &Arc<dyn Backend>) -> Option<SshKey> {
        let line = format!("{key_type} {}", data_encoding::BASE64.encode(blob));
        let key = KeyLoader::new()
            .backend(backend.clone())
            .load_ssh_public_key(line.as_bytes())
            .ok()?;
        // A certificate's fingerprint is its key's; any other key's, its blob's.
        let fingerprint = if key_type.ends_with(CERT_SUFFIX) {
            ssh_key_fingerprint(&key).ok()?
        } else {
            let digest = hash_with_backend(Sha256, blob, backend.clone()).ok()?;
            format!("SHA256:{}", data_encoding::BASE64_NOPAD.encode(&digest))
        };
        Some(SshKey {
            bits: bits(&key)?,
            fingerprint,
            label: label(key_type),
        })
    }

    /// The SSH form of a key loaded from another format.
    fn from_public(
        key: &PublicKeyTypes,
        path: &str,
        backend: &Arc<dyn Backend>,
    ) -> Result<SshKey, Failure> {
        let no_ssh_form = || {
            Failure::usage(format!(
                "{path}: {} keys have no SSH fingerprint (SSH keys are RSA, DSA, ECDSA on \
                 P-256, P-384 and P-521, and Ed25519)",
                key.algorithm_name()
            ))
        };
        let line = key
            .public_bytes(Encoding::OpenSsh, PublicFormat::OpenSsh)
            .map_err(|_| no_ssh_form())?;
        let (key_type, blob) = split_key(&line).ok_or_else(no_ssh_form)?;
        SshKey::from_blob(key_type, &blob, backend).ok_or_else(no_ssh_form)
    }

    /// The line ssh-keygen prints.
    fn line(&self, comment: Option<&[u8]>) -> Vec<u8> {
        let mut line = format!("{} {} ", self.bits, self.fingerprint).into_bytes();
        line.extend_from_slice(comment.unwrap_or(b"no comment"));
        line.extend_from_slice(format!(" ({})\n", self.label).as_bytes());
        line
    }
}

/// ssh-keygen's size: the modulus or p bits, the curve's size, 256 for Ed25519.
fn bits(key: &PublicKeyTypes) -> Option<usize> {
    Some(match key {
        PublicKeyTypes::Rsa(k) => k.key_size(),
        PublicKeyTypes::Dsa(k) => k.key_size(),
        PublicKeyTypes::Ec(k) => k.curve().key_size(),
        PublicKeyTypes::Ed25519(_) => 256,
        _ => return None,
    })
}

/// ssh-keygen's name of a key type: `RSA`, `ECDSA`, `ED25519-SK`, `RSA-CERT`...
fn label(key_type: &str) -> String {
    let (base, cert) = match key_type.strip_suffix(CERT_SUFFIX) {
        Some(base) => (base, true),
        None => (key_type, false),
    };
    let name = match base {
        "ssh-rsa" => "RSA",
        "ssh-dss" => "DSA",
        "ssh-ed25519" => "ED25519",
        "sk-ssh-ed25519@openssh.com" => "ED25519-SK",
        "sk-ecdsa-sha2-nistp256@openssh.com" => "ECDSA-SK",
        b if b.starts_with("ecdsa-sha2-") => "ECDSA",
        other => other,
    };
    if cert {
        format!("{name}-CERT")
    } else {
        name.to_owned()
    }
}

/// The type and decoded blob of a `TYPE BASE64` line.
fn split_key(line: &[u8]) -> Option<(&str, Vec<u8>)> {
    let text = std::str::from_utf8(line).ok()?;
    let (key_type, rest) = text.split_once(' ')?;
    let b64 = rest.split(' ').next()?;
    Some((key_type, data_encoding::BASE64.decode(b64.as_bytes()).ok()?))
}

/// Reads a key at the start of `cp` as ssh-keygen's `sshkey_read` does: the type up to a
/// space, spaces and tabs, the base64 blob up to a space; the rest after spaces and tabs.
fn read_key<'a>(cp: &'a [u8], backend: &Arc<dyn Backend>) -> Option<(SshKey, &'a [u8])> {
    let cp = trim_blank_start(cp);
    let space = cp.iter().position(|&b| b == b' ')?;
    let key_type = std::str::from_utf8(&cp[..space]).ok()?;
    let rest = trim_blank_start(&cp[space..]);
    let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    // base64 decoding skips white space (a `\r` before the line's end), as OpenSSH's does.
    let b64: Vec<u8> = rest[..end]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let blob = data_encoding::BASE64.decode(&b64).ok()?;
    let key = SshKey::from_blob(key_type, &blob, backend)?;
    Some((key, trim_blank_start(&rest[end..])))
}

fn trim_blank_start(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    &bytes[n..]
}

/// The lines of every key in a file of public key lines, as ssh-keygen's `do_fingerprint`.
fn public_lines(data: &[u8], backend: &Arc<dyn Backend>) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let mut cp = trim_blank_start(line);
        if cp.is_empty() || cp[0] == b'#' {
            continue;
        }
        let mut comment = None;
        let (key, rest) = match read_key(cp, backend) {
            Some(found) => found,
            None => {
                // Options (authorized_keys) or host names (known_hosts) before the key: up
                // to the first blank outside double quotes. An SSH-1 key (a number, then a
                // blank) is not read.
                let digits = cp.iter().take_while(|b| b.is_ascii_digit()).count();
                let ssh1 = digits > 0
                    && cp[..digits].iter().any(|&b| b != b'0')
                    && matches!(cp.get(digits), Some(b' ' | b'\t'));
                if !ssh1 {
                    let mut quoted = false;
                    let mut i = 0;
                    while i < cp.len() && (quoted || (cp[i] != b' ' && cp[i] != b'\t')) {
                        if cp[i] == b'\\' && cp.get(i + 1) == Some(&b'"') {
                            i += 1;
                        } else if cp[i] == b'"' {
                            quoted = !quoted;
                        }
                        i += 1;
                    }
                    if i >= cp.len() {
                        continue;
                    }
                    comment = Some(&cp[..i]);
                    cp = &cp[i + 1..];
                }
                match read_key(cp, backend) {
                    Some(found) => found,
                    None => continue,
                }
            }
        };
        if !rest.is_empty() && rest[0] != b'#' {
            comment = Some(rest);
        }
        out.extend_from_slice(&key.line(comment));
    }
    out
}

/// The key and comment of `FILE.pub`, as ssh-keygen's `sshkey_try_load_public`: the first line
/// (not blank, not a `#` comment) holding a key, before any PEM block; the comment is the rest
/// of the line up to a `\r` or `\n`, else the file's name.
fn pub_file(pub_path: &str, backend: &Arc<dyn Backend>) -> Option<(SshKey, Vec<u8>)> {
    let data = std::fs::read(pub_path).ok()?;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        if line.starts_with(b"-----BEGIN") || line == b"SSH PRIVATE KEY FILE" {
            return None;
        }
        if let Some((key, rest)) = read_key(line, backend) {
            let end = rest.iter().position(|&b| b == b'\r').unwrap_or(rest.len());
            let comment = match &rest[..end] {
                [] => pub_path.as_bytes().to_vec(),
                text => text.to_vec(),
            };
            return Some((key, comment));
        }
    }
    None
}

/// The line of a private key file, as ssh-keygen's `fingerprint_private`.
fn private_line(
    path: &str,
    data: &[u8],
    password: Option<&[u8]>,
    backend: &Arc<dyn Backend>,
) -> Result<Vec<u8>, Failure> {
    if path != "-" {
        if let Some((key, comment)) = pub_file(&format!("{path}.pub"), backend) {
            return Ok(key.line(Some(&comment)));
        }
    }
    if let Some(header) = openssh::header(data) {
        if let Some(key) = SshKey::from_blob(&header.key_type, &header.public_blob, backend) {
            return Ok(key.line(header.comment.as_deref()));
        }
    }
    let loaded = load_bytes(path, data, password, backend.clone())?;
    let key = SshKey::from_public(&loaded.key.public()?, path, backend)?;
    Ok(key.line(None))
}

/// Runs `hazmat key fingerprint`.
pub(crate) fn run(path: &str, password: Option<&[u8]>, options: &Options) -> Result<(), Failure> {
    let backend = options.backend()?;
    let data = read_key_file(path)?;
    let out = if load::is_private_file(&data) {
        private_line(path, &data, password, &backend)?
    } else if load::is_public_structure(&data) {
        let loaded = load_bytes(path, &data, password, backend.clone())?;
        SshKey::from_public(&loaded.key.public()?, path, &backend)?.line(None)
    } else {
        let lines = public_lines(&data, &backend);
        if lines.is_empty() {
            return Err(Failure::usage(format!(
                "{path}: not a key file (no OpenSSH public key line, PEM block or DER key found)"
            )));
        }
        lines
    };
    write_stdout(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_ssh_keygen() {
        assert_eq!(label("ssh-rsa"), "RSA");
        assert_eq!(label("ecdsa-sha2-nistp521"), "ECDSA");
        assert_eq!(
            label("ecdsa-sha2-nistp256-cert-v01@openssh.com"),
            "ECDSA-CERT"
        );
        assert_eq!(label("sk-ssh-ed25519@openssh.com"), "ED25519-SK");
    }
}
