//! Readers for the finite-field (DSA and DH) files whose cases span paragraphs, on top of the
//! generic parser:
//!
//! - the NIST FIPS 186-3 DSA files give the domain parameters once, as a `P`/`Q`/`G`
//!   paragraph, before the cases that use them ([`load_with_domain`]);
//! - `DH/RFC5114.txt` splits each case over several paragraphs after its `COUNT` line
//!   ([`load_joined`]).

use crate::case::Case;
use crate::{load, parse_str, vectors_dir, VectorError};

/// The cases of `vectors/<path>` with each domain paragraph (a case whose fields are exactly
/// `domain`, e.g. `["P", "Q", "G"]`) carried into the following cases as their own fields, up to
/// the next domain paragraph; the domain paragraphs themselves are not returned. A case before
/// any domain paragraph is an error, and so is one that repeats a domain name.
pub fn load_with_domain(path: &str, domain: &[&str]) -> Result<Vec<Case>, VectorError> {
    let mut out = Vec::new();
    let mut current: Option<Case> = None;
    for case in load(path)? {
        let names: Vec<&str> = case.names().collect();
        if names == domain {
            current = Some(case);
            continue;
        }
        let Some(params) = &current else {
            return Err(VectorError::new(
                path,
                case.line(),
                format!("a case before any {domain:?} paragraph"),
            ));
        };
        if let Some(name) = names.iter().find(|n| domain.contains(n)) {
            return Err(VectorError::new(
                path,
                case.line(),
                format!("field {name} repeats a domain parameter"),
            ));
        }
        let mut merged = case.clone();
        let mut fields = params.fields.to_vec();
        fields.append(&mut merged.fields);
        merged.fields = fields;
        out.push(merged);
    }
    Ok(out)
}

/// The cases of `vectors/<path>`, read with blank lines not ending a case (so a case runs from
/// its `COUNT` line to the next `COUNT` line or section header). Line numbers are kept.
pub fn load_joined(path: &str) -> Result<Vec<Case>, VectorError> {
    let full = vectors_dir().join(path);
    let text = std::fs::read_to_string(&full)
        .map_err(|e| VectorError::new(path, 0, format!("cannot read {}: {e}", full.display())))?;
    let joined: String = text
        .lines()
        .map(|line| if line.trim().is_empty() { "#" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    parse_str(path, &joined)
}
