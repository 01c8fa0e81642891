//! One test case and its read-tracking accessors.

use std::cell::Cell;
use std::sync::Arc;

use crate::VectorError;

/// Whether a field came from a `KEY = VALUE` line (or an NTT `X No.n : ..`
/// line), from an indented `KEY = VALUE` line (an intermediate value, which
/// may repeat within a case) or from a bare word such as `FAIL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Value,
    Intermediate,
    Flag,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) line: usize,
    pub(crate) kind: Kind,
    pub(crate) read: Cell<bool>,
}

/// One test case of a vector file: its fields (`KEY = VALUE` lines and bare
/// flags such as `FAIL`) and the `[...]` section values in force where it
/// appears.
///
/// Every accessor that returns a field's content marks that field as read;
/// [`Case::finish`] then fails if some field was never read, so a
/// conformance test cannot silently ignore, say, an `AAD` or a `FAIL`.
/// Field and section names are case-sensitive, exactly as in the file
/// (`COUNT` in AES files, `Count` in GCM files, `key` in `cast5-ecb.txt`).
#[derive(Debug, Clone)]
pub struct Case {
    pub(crate) file: Arc<str>,
    pub(crate) line: usize,
    pub(crate) sections: Arc<[(String, String)]>,
    pub(crate) fields: Vec<Field>,
}

impl Case {
    /// The file this case comes from (as given to [`parse_str`](crate::parse_str);
    /// for [`load`](crate::load), the path relative to `vectors/`).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line where the case starts (its first field line; for the
    /// NTT Camellia format, its `P No.n` line).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The section values in force for this case, in file order, as
    /// `(name, value)`. `[ENCRYPT]` gives `("ENCRYPT", "")`,
    /// `[Keylen = 128]` gives `("Keylen", "128")`.
    pub fn sections(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.sections.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of section `name` in force for this case, if any:
    /// `section("ENCRYPT") == Some("")` under `[ENCRYPT]`,
    /// `section("Keylen") == Some("128")` under `[Keylen = 128]`.
    /// Sections are not tracked by [`Case::finish`].
    pub fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The names of all fields and flags of this case, in file order. Does
    /// not mark anything as read.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.fields.iter().map(|f| f.name.as_str())
    }

    /// Whether the case has a field or flag called `name`. Does not mark it
    /// as read.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }

    /// The raw (trimmed) value of field `name`; marks it as read.
    /// Fails if the case has no such `KEY = VALUE` field, or has it more than
    /// once (an intermediate value repeated per iteration: read those with
    /// [`Case::all_str`]).
    pub fn str(&self, name: &str) -> Result<&str, VectorError> {
        match self.value_field(name)? {
            Some(f) => {
                f.read.set(true);
                Ok(&f.value)
            }
            None => Err(self.missing(name)),
        }
    }

    /// Like [`Case::str`], but `None` (and no error) if the field is absent.
    /// For a field the case has more than once, the first occurrence (only
    /// it is marked as read, so [`Case::finish`] still wants the others).
    pub fn opt_str(&self, name: &str) -> Option<&str> {
        self.values(name).next().map(|f| {
            f.read.set(true);
            f.value.as_str()
        })
    }

    /// Every value of field `name`, in file order (none if it is absent);
    /// marks them all as read. This is how to read an intermediate value
    /// that an indented line gives once per iteration (`\tinstring = ..`).
    pub fn all_str(&self, name: &str) -> Vec<&str> {
        self.values(name)
            .map(|f| {
                f.read.set(true);
                f.value.as_str()
            })
            .collect()
    }

    /// Every value of field `name` decoded from hex (as by [`Case::hex`]), in
    /// file order (none if it is absent); marks them all as read.
    pub fn all_hex(&self, name: &str) -> Result<Vec<Vec<u8>>, VectorError> {
        self.values(name)
            .map(|f| {
                f.read.set(true);
                decode_hex(&f.value).map_err(|e| self.err_at(f.line, format!("field {name}: {e}")))
            })
            .collect()
    }

    /// Field `name` decoded from hex (either case; an empty value gives an
    /// empty vector); marks it as read. Note that NIST files write a
    /// zero-length message as `Msg = 00` with `Len = 0`: this returns
    /// `[0]` there, and the caller must honour `Len`. Fails like
    /// [`Case::str`] on an absent or repeated field.
    pub fn hex(&self, name: &str) -> Result<Vec<u8>, VectorError> {
        match self.value_field(name)? {
            Some(f) => {
                f.read.set(true);
                decode_hex(&f.value).map_err(|e| self.err_at(f.line, format!("field {name}: {e}")))
            }
            None => Err(self.missing(name)),
        }
    }

    /// Field `name` as bytes: a value in double quotes (`IN= "Ladies and
    /// Gentlemen"`, as in the BoringSSL-derived files) gives the ASCII bytes
    /// between the quotes (no escapes: an inner `"` or `\` is an error);
    /// any other value is decoded as by [`Case::hex`]. Marks it as read.
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>, VectorError> {
        match self.value_field(name)? {
            Some(f) => {
                f.read.set(true);
                let v = f.value.as_str();
                match v.strip_prefix('"') {
                    None => decode_hex(v),
                    Some(rest) => rest
                        .strip_suffix('"')
                        .filter(|inner| !inner.contains(['"', '\\']) && inner.is_ascii())
                        .map(|inner| inner.as_bytes().to_vec())
                        .ok_or_else(|| {
                            "a quoted value must be ASCII without escapes or inner quotes"
                                .to_string()
                        }),
                }
                .map_err(|e| self.err_at(f.line, format!("field {name}: {e}")))
            }
            None => Err(self.missing(name)),
        }
    }

    /// Like [`Case::hex`], but `Ok(None)` if the field is absent.
    pub fn opt_hex(&self, name: &str) -> Result<Option<Vec<u8>>, VectorError> {
        if self.values(name).next().is_some() {
            self.hex(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Field `name` parsed as a decimal `usize` (digits only); marks it as
    /// read.
    pub fn usize(&self, name: &str) -> Result<usize, VectorError> {
        match self.value_field(name)? {
            Some(f) => {
                f.read.set(true);
                let v = f.value.as_str();
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(self.err_at(
                        f.line,
                        format!("field {name}: {v:?} is not a decimal number"),
                    ));
                }
                v.parse::<usize>().map_err(|_| {
                    self.err_at(f.line, format!("field {name}: {v:?} does not fit in usize"))
                })
            }
            None => Err(self.missing(name)),
        }
    }

    /// Whether the bare-word flag `name` (such as `FAIL` in the GCM decrypt
    /// files) is present in this case; marks it as read when present.
    /// A `KEY = VALUE` field of the same name does not count.
    pub fn flag(&self, name: &str) -> bool {
        match self
            .fields
            .iter()
            .find(|f| f.name == name && f.kind == Kind::Flag)
        {
            Some(f) => {
                f.read.set(true);
                true
            }
            None => false,
        }
    }

    /// Marks field or flag `name` (every occurrence of it) as read without
    /// using it (for fields a test deliberately ignores, such as `COUNT`).
    /// Returns whether it was present.
    pub fn ignore(&self, name: &str) -> bool {
        let mut present = false;
        for f in self.fields.iter().filter(|f| f.name == name) {
            f.read.set(true);
            present = true;
        }
        present
    }

    /// An error located at this case's first line, for a test to report a
    /// mismatch (`Err(case.error("ciphertext mismatch"))`).
    pub fn error(&self, message: impl Into<String>) -> VectorError {
        self.err_at(self.line, message.into())
    }

    /// Consumes the case and fails, naming every field and flag that was
    /// never read (sections are not tracked).
    pub fn finish(self) -> Result<(), VectorError> {
        let unread: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| !f.read.get())
            .map(|f| f.name.as_str())
            .collect();
        if unread.is_empty() {
            Ok(())
        } else {
            Err(self.error(format!("fields never read: {}", unread.join(", "))))
        }
    }

    /// The `KEY = VALUE` fields (plain or intermediate) called `name`.
    fn values(&self, name: &str) -> std::vec::IntoIter<&Field> {
        self.fields
            .iter()
            .filter(|f| f.name == name && f.kind != Kind::Flag)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// The one `KEY = VALUE` field called `name`, if any; an error if the
    /// case has it more than once.
    fn value_field(&self, name: &str) -> Result<Option<&Field>, VectorError> {
        let mut found = self.values(name);
        let first = found.next();
        let rest: Vec<usize> = found.map(|f| f.line).collect();
        match first {
            Some(f) if !rest.is_empty() => Err(self.err_at(
                f.line,
                format!(
                    "field {name} occurs {} times (also on lines {}); read every occurrence \
                     with all_str or all_hex",
                    rest.len() + 1,
                    rest.iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            first => Ok(first),
        }
    }

    fn missing(&self, name: &str) -> VectorError {
        let present: Vec<&str> = self.names().collect();
        self.error(format!(
            "no field {name} in this case (fields: {})",
            present.join(", ")
        ))
    }

    fn err_at(&self, line: usize, message: String) -> VectorError {
        VectorError::new(&*self.file, line, message)
    }
}

/// Decodes a hex string (upper or lower case, no separators). Empty input
/// gives an empty vector.
pub(crate) fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", bytes.len()));
    }
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = nibble(pair[0]).ok_or_else(|| bad_digit(s, 2 * i))?;
        let lo = nibble(pair[1]).ok_or_else(|| bad_digit(s, 2 * i + 1))?;
        out.push((hi << 4) | lo);
    }
    Ok(out)
}

fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn bad_digit(s: &str, at: usize) -> String {
    // `at` may fall inside a multi-byte character: report the char there.
    let shown = s
        .char_indices()
        .find(|&(i, c)| i <= at && at < i + c.len_utf8())
        .map(|(_, c)| c)
        .unwrap_or('?');
    format!("invalid hex digit {shown:?} at offset {at}")
}
