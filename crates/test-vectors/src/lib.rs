//! Parser for the test vector files committed under the workspace's
//! `vectors/` directory (copied from pyca's `cryptography-vectors`; see
//! `vectors/SOURCES.md`).
//!
//! The files are NIST CAVP `.rsp` files and RFC-derived `.txt` files in the
//! same `KEY = VALUE` style, plus the NTT Camellia ECB files
//! (`K No.001 : 00 11 ..`). The grammar is documented on [`parse_str`]; in
//! short: `#` comments, blank lines between cases, `[...]` section headers,
//! `KEY = VALUE` fields, bare flags like `FAIL`, and indented `KEY = VALUE`
//! intermediate values (the NIST KDF files' per-iteration lines), which may
//! repeat and are read with [`Case::all_str`] / [`Case::all_hex`].
//!
//! ```no_run
//! # fn main() -> Result<(), test_vectors::VectorError> {
//! for case in test_vectors::load("ciphers/AES/CBC/CBCMMT128.rsp")? {
//!     case.ignore("COUNT");
//!     let key = case.hex("KEY")?;
//!     let iv = case.hex("IV")?;
//!     let pt = case.hex("PLAINTEXT")?;
//!     let ct = case.hex("CIPHERTEXT")?;
//!     let encrypt = case.section("ENCRYPT").is_some();
//!     # let _ = (key, iv, pt, ct, encrypt);
//!     // ... run the cipher, return Err(case.error("mismatch")) on failure ...
//!     case.finish()?; // fails if some field was never read
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod case;
mod error;
mod evp;
pub mod ffc;
mod parse;
mod pkcs1;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use case::Case;
pub use error::VectorError;
pub use evp::{load_evp, parse_evp_str, Stanza};
pub use parse::parse_str;
pub use pkcs1::{load_pkcs1, parse_pkcs1, Pkcs1Example, Pkcs1Key};

/// The workspace's `vectors/` directory (found from this crate's
/// `CARGO_MANIFEST_DIR`, i.e. `crates/test-vectors/../../vectors`).
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("vectors")
}

/// Reads and parses `vectors/<path>` (`path` uses `/` separators, e.g.
/// `"ciphers/AES/GCM/gcmDecrypt128.rsp"`). Errors and cases are labelled
/// with `path`. Unlike [`parse_str`], a file that yields no case at all is
/// an error.
pub fn load(path: &str) -> Result<Vec<Case>, VectorError> {
    let full = vectors_dir().join(path);
    let bytes = std::fs::read(&full)
        .map_err(|e| VectorError::new(path, 0, format!("cannot read {}: {e}", full.display())))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(VectorError::new(path, line, "invalid UTF-8"));
        }
    };
    let cases = parse_str(path, text)?;
    if cases.is_empty() {
        return Err(VectorError::new(path, 0, "no test cases found"));
    }
    Ok(cases)
}

/// The `vectors/COUNTS` table: a case count per file, `None` for a file listed
/// with `-` (a format this parser does not read).
fn counts() -> &'static BTreeMap<String, Option<usize>> {
    static COUNTS: OnceLock<BTreeMap<String, Option<usize>>> = OnceLock::new();
    COUNTS.get_or_init(|| {
        let text = std::fs::read_to_string(vectors_dir().join("COUNTS")).unwrap_or_default();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                let path = it.next()?;
                let n = match it.next()? {
                    "-" => None,
                    n => Some(n.parse().ok()?),
                };
                it.next().is_none().then(|| (path.to_string(), n))
            })
            .collect()
    })
}

/// How many cases `vectors/<path>` holds according to the committed table
/// `vectors/COUNTS`, which `vectors/make_sources.py` generates with its own
/// simple line-counting rule (not with this parser). `None` for a file not
/// in the table.
pub fn expected_case_count(path: &str) -> Option<usize> {
    counts().get(path).copied().flatten()
}

/// Every vector file `vectors/COUNTS` gives a case count for, i.e. every file
/// in this parser's format (paths relative to `vectors/`, sorted).
pub fn committed_files() -> Vec<String> {
    counts()
        .iter()
        .filter(|(_, n)| n.is_some())
        .map(|(path, _)| path.clone())
        .collect()
}

/// The other committed files, which `vectors/COUNTS` lists with `-`: JSON
/// vectors and the scripts that made them, read by their own tests rather
/// than by this parser (sorted; `vectors/SOURCES.md` says where each comes
/// from).
pub fn other_files() -> Vec<String> {
    counts()
        .iter()
        .filter(|(_, n)| n.is_none())
        .map(|(path, _)| path.clone())
        .collect()
}

#[cfg(test)]
mod tests;
