//! OpenSSL's evp test format (`test/recipes/30-test_evp_data/*.txt`), as in
//! `vectors/asymmetric/ECDSA/RFC6979/evppkey_ecdsa_rfc6979.txt`.
//!
//! A file is a list of stanzas separated by blank lines; `#` lines are
//! comments. A stanza is `Name = Value` lines (the spaces around `=` are
//! optional), and a `PrivateKey=NAME` or `PublicKey=NAME` line is followed by
//! a PEM block (`-----BEGIN ...` to `-----END ...`), kept as the stanza's
//! [`pem`](Stanza::pem). As with [`Case`](crate::Case), every field must be
//! read before [`Stanza::finish`] succeeds.

use std::cell::Cell;

use crate::{vectors_dir, VectorError};

/// One stanza of an evp test file.
#[derive(Debug)]
pub struct Stanza {
    file: String,
    line: usize,
    fields: Vec<(String, String, Cell<bool>)>,
    pem: Option<String>,
}

impl Stanza {
    /// The 1-based line of the stanza's first field.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What the stanza is: the name of its first field other than the `Availablein` and
    /// `FIPSversion` conditions (`"DigestSign"`, `"PrivateKey"`, `"Title"`, ...).
    pub fn kind(&self) -> &str {
        self.fields
            .iter()
            .map(|(n, _, _)| n.as_str())
            .find(|n| !matches!(*n, "Availablein" | "FIPSversion"))
            .unwrap_or("")
    }

    /// Whether the stanza has field `name` (does not mark it read).
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _, _)| n == name)
    }

    /// The value of field `name`, marked read.
    pub fn get(&self, name: &str) -> Result<&str, VectorError> {
        let (_, value, read) = self
            .fields
            .iter()
            .find(|(n, _, _)| n == name)
            .ok_or_else(|| self.error(format!("missing field {name}")))?;
        read.set(true);
        Ok(value)
    }

    /// The value of field `name` if present, marked read.
    pub fn get_opt(&self, name: &str) -> Option<&str> {
        self.get(name).ok()
    }

    /// A value that is a quoted string (`"sample"`) as its bytes, or hex.
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>, VectorError> {
        let value = self.get(name)?;
        if let Some(text) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            return Ok(text.as_bytes().to_vec());
        }
        crate::case::decode_hex(value).map_err(|e| self.error(format!("{name}: {e}")))
    }

    /// The PEM block that follows a `PrivateKey=` / `PublicKey=` line.
    pub fn pem(&self) -> Option<&str> {
        self.pem.as_deref()
    }

    /// An error about this stanza.
    pub fn error(&self, message: impl Into<String>) -> VectorError {
        VectorError::new(self.file.clone(), self.line, message)
    }

    /// Fails if some field was never read.
    pub fn finish(&self) -> Result<(), VectorError> {
        let unread: Vec<&str> = self
            .fields
            .iter()
            .filter(|(_, _, read)| !read.get())
            .map(|(n, _, _)| n.as_str())
            .collect();
        if unread.is_empty() {
            Ok(())
        } else {
            Err(self.error(format!("fields never read: {}", unread.join(", "))))
        }
    }
}

/// Parses the evp test text `text` (labelled `name` in errors).
pub fn parse_evp_str(name: &str, text: &str) -> Result<Vec<Stanza>, VectorError> {
    let mut out = Vec::new();
    let mut current: Option<Stanza> = None;
    let mut in_pem: Option<String> = None;
    for (idx, raw) in text.lines().enumerate() {
        let no = idx + 1;
        let line = raw.trim();
        if let Some(pem) = in_pem.as_mut() {
            pem.push_str(line);
            pem.push('\n');
            if line.starts_with("-----END") {
                let block = in_pem.take();
                match current.as_mut() {
                    Some(stanza) => stanza.pem = block,
                    None => return Err(VectorError::new(name, no, "PEM block outside a stanza")),
                }
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.starts_with("-----BEGIN") {
            if current.as_ref().is_none_or(|s| s.pem.is_some()) {
                return Err(VectorError::new(name, no, "PEM block without a key line"));
            }
            in_pem = Some(format!("{line}\n"));
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| VectorError::new(name, no, format!("not a field: {line:?}")))?;
        let (key, value) = (key.trim().to_owned(), value.trim().to_owned());
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(VectorError::new(
                name,
                no,
                format!("invalid field name {key:?}"),
            ));
        }
        let stanza = current.get_or_insert_with(|| Stanza {
            file: name.to_owned(),
            line: no,
            fields: Vec::new(),
            pem: None,
        });
        if stanza.has(&key) {
            return Err(VectorError::new(name, no, format!("repeated field {key}")));
        }
        stanza.fields.push((key, value, Cell::new(false)));
    }
    if in_pem.is_some() {
        return Err(VectorError::new(name, 0, "unterminated PEM block"));
    }
    out.extend(current.take());
    Ok(out)
}

/// Reads and parses `vectors/<path>` in the evp test format; a file with no
/// stanza is an error.
pub fn load_evp(path: &str) -> Result<Vec<Stanza>, VectorError> {
    let full = vectors_dir().join(path);
    let text = std::fs::read_to_string(&full)
        .map_err(|e| VectorError::new(path, 0, format!("cannot read {}: {e}", full.display())))?;
    let stanzas = parse_evp_str(path, &text)?;
    if stanzas.is_empty() {
        return Err(VectorError::new(path, 0, "no stanzas found"));
    }
    Ok(stanzas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stanzas_pem_blocks_and_unread_fields() {
        let text = "# c\nTitle = T\n\nPrivateKey=K\n-----BEGIN X-----\nAAAA\n-----END X-----\n\n\
                    Availablein = default\nDigestSign = SHA1\nKey = K\nInput = \"ab\"\nOutput = 0a0B\n";
        let s = parse_evp_str("t", text).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].kind(), "PrivateKey");
        assert_eq!(
            s[1].pem(),
            Some("-----BEGIN X-----\nAAAA\n-----END X-----\n")
        );
        assert_eq!(s[2].kind(), "DigestSign");
        assert_eq!(s[2].bytes("Input").unwrap(), b"ab");
        assert_eq!(s[2].bytes("Output").unwrap(), [0x0a, 0x0b]);
        assert!(s[2].finish().is_err()); // Availablein, DigestSign, Key unread
        for bad in [
            "-----BEGIN X-----\n",
            "A = 1\nA = 2\n",
            "junk\n",
            "K=1\n-----BEGIN X-----\n",
        ] {
            assert!(parse_evp_str("t", bad).is_err(), "{bad:?}");
        }
    }
}
