//! The RSA example format of RSA Laboratories' PKCS #1 v2.1 vectors (`pkcs-1v2-1d2-vec/`) and
//! of pyca's `oaep-custom/` files: values under `# Label:` comment lines, in hex that may span
//! lines and hold spaces; a key (public then private components) followed by its examples
//! (`# OAEP Example 1.1`, `# PSS Example 1.1`, `# OAEP Example 1 alg=sha224 mgf1=sha1`).
//!
//! Uncommented prose before the first label (the RSA Laboratories files' preamble) is
//! skipped. Every label is consumed: an unknown label, a value without a label, a key missing a
//! component, or an example missing its message or output is an error, so a misread file
//! fails instead of passing with fewer cases.

use crate::{vectors_dir, VectorError};

/// One RSA key of a PKCS #1 example file, with its examples.
#[derive(Debug, Clone, Default)]
pub struct Pkcs1Key {
    /// The 1-based line of the key's first component.
    pub line: usize,
    /// The modulus.
    pub n: Vec<u8>,
    /// The public exponent.
    pub e: Vec<u8>,
    /// The private exponent.
    pub d: Vec<u8>,
    /// The first prime.
    pub p: Vec<u8>,
    /// The second prime.
    pub q: Vec<u8>,
    /// d mod (p - 1).
    pub dmp1: Vec<u8>,
    /// d mod (q - 1).
    pub dmq1: Vec<u8>,
    /// q^-1 mod p.
    pub iqmp: Vec<u8>,
    /// The examples under this key.
    pub examples: Vec<Pkcs1Example>,
}

/// One encryption or signature example.
#[derive(Debug, Clone, Default)]
pub struct Pkcs1Example {
    /// The 1-based line of the example's message.
    pub line: usize,
    /// The example's title comment, e.g. `OAEP Example 1 alg=sha224 mgf1=sha1`.
    pub title: String,
    /// The message (`Message` or `Message to be signed`).
    pub message: Vec<u8>,
    /// The OAEP seed or PSS salt, when the file gives it.
    pub seed: Option<Vec<u8>>,
    /// The ciphertext (`Encryption`) or signature (`Signature`).
    pub output: Vec<u8>,
}

struct Field {
    label: String,
    value: Vec<u8>,
    line: usize,
    title: String,
}

/// Reads `vectors/<path>` in the PKCS #1 example format.
pub fn load_pkcs1(path: &str) -> Result<Vec<Pkcs1Key>, VectorError> {
    let full = vectors_dir().join(path);
    let text = std::fs::read_to_string(&full)
        .map_err(|e| VectorError::new(path, 0, format!("cannot read {}: {e}", full.display())))?;
    parse_pkcs1(path, &text)
}

fn decode(path: &str, line: usize, hex: &str) -> Result<Vec<u8>, VectorError> {
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| {
            padded
                .get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| VectorError::new(path, line, "invalid hex"))
        })
        .collect()
}

fn fields(path: &str, text: &str) -> Result<Vec<Field>, VectorError> {
    let mut out = Vec::new();
    let mut pending: Option<(String, usize, String)> = None;
    let mut title = String::new();
    let flush = |pending: &mut Option<(String, usize, String)>,
                 title: &str,
                 out: &mut Vec<Field>|
     -> Result<(), VectorError> {
        if let Some((label, line, hex)) = pending.take() {
            if hex.is_empty() {
                return Err(VectorError::new(
                    path,
                    line,
                    format!("{label} has no value"),
                ));
            }
            out.push(Field {
                value: decode(path, line, &hex)?,
                label,
                line,
                title: title.to_owned(),
            });
        }
        Ok(())
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            let comment = comment.trim();
            flush(&mut pending, &title, &mut out)?;
            if let Some(label) = comment.strip_suffix(':') {
                pending = Some((label.trim().to_owned(), line, String::new()));
            } else if comment.starts_with("OAEP Example") || comment.starts_with("PSS Example") {
                title = comment.to_owned();
            }
            continue;
        }
        match pending.as_mut() {
            Some((_, _, hex)) => hex.extend(trimmed.chars().filter(|c| !c.is_whitespace())),
            // The RSA Laboratories files open with uncommented prose (a title, key lengths).
            None if out.is_empty() => {}
            None => return Err(VectorError::new(path, line, "a value without a label")),
        }
    }
    flush(&mut pending, &title, &mut out)?;
    Ok(out)
}

/// Parses `text` (named `path` in errors) in the PKCS #1 example format.
pub fn parse_pkcs1(path: &str, text: &str) -> Result<Vec<Pkcs1Key>, VectorError> {
    let mut keys: Vec<Pkcs1Key> = Vec::new();
    let mut key: Option<Pkcs1Key> = None;
    let mut private = false;
    let mut example: Option<Pkcs1Example> = None;
    let finish_key = |key: Option<Pkcs1Key>, keys: &mut Vec<Pkcs1Key>| -> Result<(), VectorError> {
        if let Some(k) = key {
            let parts = [&k.n, &k.e, &k.d, &k.p, &k.q, &k.dmp1, &k.dmq1, &k.iqmp];
            if parts.iter().any(|p| p.is_empty()) {
                return Err(VectorError::new(path, k.line, "key is missing a component"));
            }
            if k.examples.is_empty() {
                return Err(VectorError::new(path, k.line, "key has no examples"));
            }
            keys.push(k);
        }
        Ok(())
    };
    for f in fields(path, text)? {
        let err = |m: &str| VectorError::new(path, f.line, format!("{}: {m}", f.label));
        if f.label == "Modulus" && (key.is_none() || private || example.is_some()) {
            if let Some(ex) = example.take() {
                return Err(VectorError::new(path, ex.line, "example has no output"));
            }
            finish_key(key.take(), &mut keys)?;
            key = Some(Pkcs1Key {
                line: f.line,
                n: f.value,
                ..Pkcs1Key::default()
            });
            private = false;
            continue;
        }
        let k = key.as_mut().ok_or_else(|| err("before any key"))?;
        let same = |have: &[u8]| have == f.value.as_slice();
        match f.label.as_str() {
            "Modulus" if same(&k.n) => private = true,
            "Exponent" if !private && k.e.is_empty() => k.e = f.value,
            "Public exponent" if same(&k.e) => {}
            "Exponent" if private && k.d.is_empty() => k.d = f.value,
            "Prime 1" => k.p = f.value,
            "Prime 2" => k.q = f.value,
            "Prime exponent 1" => k.dmp1 = f.value,
            "Prime exponent 2" => k.dmq1 = f.value,
            "Coefficient" => k.iqmp = f.value,
            "Message" | "Message to be signed" => {
                if example.is_some() {
                    return Err(err("the previous example has no output"));
                }
                example = Some(Pkcs1Example {
                    line: f.line,
                    title: f.title,
                    message: f.value,
                    ..Pkcs1Example::default()
                });
            }
            "Seed" | "Salt" => {
                example
                    .as_mut()
                    .ok_or_else(|| err("outside an example"))?
                    .seed = Some(f.value)
            }
            "Encryption" | "Signature" => {
                let mut ex = example.take().ok_or_else(|| err("outside an example"))?;
                ex.output = f.value;
                k.examples.push(ex);
            }
            _ => return Err(err("unexpected label or repeated component")),
        }
    }
    if let Some(ex) = example {
        return Err(VectorError::new(path, ex.line, "example has no output"));
    }
    finish_key(key, &mut keys)?;
    if keys.is_empty() {
        return Err(VectorError::new(path, 0, "no RSA key found"));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_key_and_its_examples() {
        let text = "# Public key\n# Modulus:\nab cd\n# Exponent:\n10001\n# Private key\n\
                    # Modulus:\nabcd\n# Public exponent:\n01 00 01\n# Exponent:\n05\n\
                    # Prime 1:\n07\n# Prime 2:\n0b\n# Prime exponent 1:\n01\n\
                    # Prime exponent 2:\n03\n# Coefficient:\n02\n# OAEP Example 1.1\n\
                    # Message:\n00 ff\n# Seed:\n11\n# Encryption:\n22 33\n";
        let keys = parse_pkcs1("t", text).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].n, vec![0xab, 0xcd]);
        assert_eq!(keys[0].e, vec![1, 0, 1]);
        assert_eq!(keys[0].d, vec![5]);
        assert_eq!(keys[0].examples[0].title, "OAEP Example 1.1");
        assert_eq!(keys[0].examples[0].output, vec![0x22, 0x33]);
        assert!(parse_pkcs1("t", &text.replace("Seed", "Sowed")).is_err());
        assert!(parse_pkcs1("t", &text.replace("# Coefficient:\n02\n", "")).is_err());
    }
}
