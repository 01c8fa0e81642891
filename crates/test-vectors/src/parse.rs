//! The line-oriented parser; the grammar is documented on [`parse_str`].

use std::cell::Cell;
use std::sync::Arc;

use crate::case::{Case, Field, Kind};
use crate::VectorError;

struct Parser {
    file: Arc<str>,
    cases: Vec<Case>,
    /// The case being filled, if one is open.
    current: Option<Case>,
    /// Name of the first non-carried field of the open case.
    start_key: String,
    /// Section header block being accumulated / in force.
    block: Vec<(String, String)>,
    /// The block as shared by cases; rebuilt lazily when `block` changes.
    shared: Option<Arc<[(String, String)]>>,
    /// Whether a case has been started under the current header block.
    block_used: bool,
    /// The NTT-format `K` line carried into following cases.
    carried: Option<Field>,
    /// Whether cases start at `COUNT =` lines (any capitalisation), which
    /// makes paragraphs without one parameter paragraphs.
    counted: bool,
    /// Whether a section header has been seen yet.
    seen_header: bool,
    /// Whether the open case is one whose `COUNT` line stood alone in its
    /// paragraph, so that blank lines do not end it.
    spanning: bool,
    /// The parameter paragraph being read, if one is open.
    params: Option<Vec<Field>>,
    /// Parameters from paragraphs before the first header: carried into
    /// every case of the file.
    file_params: Vec<Field>,
    /// Parameters from paragraphs after the current header block: carried
    /// into its cases.
    block_params: Vec<Field>,
}

/// Parses the text of a vector file into its cases. `name` is only used to
/// label cases and errors. Never panics; malformed input gives a
/// [`VectorError`] naming the line. Empty input (or input with only comments
/// and headers) gives no cases.
///
/// Grammar, one (trimmed) line at a time; `\n` and `\r\n` endings are both
/// accepted:
///
/// * empty line: ends the current case (but see the lone `COUNT` rule below);
/// * `# ...`: comment, ignored (it neither starts nor ends a case, so the
///   RFC-derived HMAC files may put comments between a case's fields);
/// * `[NAME]` or `[NAME = VALUE]`: section header. It ends the current case.
///   Consecutive headers (with only blank/comment lines between them) form
///   one block; the first header after a case starts a new block, which
///   replaces all previous section values. So `[DECRYPT]` replaces
///   `[ENCRYPT]`, and each GCM `[Keylen]`..`[Taglen]` group replaces the last.
///   Names may contain spaces (`[Minimum Output Length (bits) = 125]`); the
///   same name twice in one block is an error. A header whose
///   comma-separated parts are all `NAME = VALUE` sets each of them (the
///   NIST CCM `[Alen = 0, Plen = 0, Nlen = 7, Tlen = 4]`).
/// * `NAME = VALUE`: a field. `NAME` is `[A-Za-z0-9_]+`; `VALUE` is the rest
///   of the line after the first `=`, trimmed (it may be empty: `CT = `).
///   With no case open it starts a new case. Inside a case, a repeat of the
///   case's first field name (normally `COUNT`/`Count`/`Len`) starts a new
///   case; any other repeated name is an error.
/// * Parameter paragraphs: in a file with `COUNT =` lines (any
///   capitalisation, the rule `vectors/COUNTS` counts cases by), a case
///   starts only at such a line, and a paragraph of fields without one is
///   not a case: its fields are carried into every following case, as
///   fields of that case (so [`Case::finish`] wants them read too). A
///   paragraph before the first section header is carried to the end of the
///   file; one after a header, until the next header block. A later
///   paragraph replaces an earlier field of the same name; a case field
///   repeating a carried name is an error, and so is a `COUNT` line inside a
///   parameter paragraph. (The NIST CCM files give `Plen`/`Nlen`/`Tlen`
///   this way before their first header, and `Key`/`Nonce` after each.)
/// * A lone `COUNT` line: in a file with `COUNT =` lines, a case whose
///   `COUNT` line stands alone in its paragraph (a blank line right after
///   it) is not ended by blank lines: the following paragraphs are its
///   fields, up to the next `COUNT` line or section header (the RFC 5869
///   HKDF files: `COUNT = 4`, blank, `Hash`..`L`, blank, `PRK`, `OKM`).
/// * Indented `NAME = VALUE` (the line starts with a space or tab): an
///   intermediate value of the current case, as the NIST KDF files give per
///   iteration (`\tCounter = 00000001`, `\tHash input 1 = ..`,
///   `\tBinary rep of i = 01`, `\tinstring = ..`). `NAME` may hold single
///   inner spaces (`[A-Za-z0-9_]+( [A-Za-z0-9_]+)*`). Such a field may occur
///   several times in one case; every occurrence is kept, in order (read
///   them with [`Case::all_str`](crate::Case::all_str) /
///   [`Case::all_hex`](crate::Case::all_hex); [`Case::str`](crate::Case::str)
///   and the like refuse a repeated name). It may not share its name with
///   an unindented field of the case, nor be a `COUNT`, and it is an error
///   outside a case. Other indented lines (comments, flags) are read as if
///   unindented.
/// * `WORD` (`[A-Za-z][A-Za-z0-9_]*`): a flag of the current case, like
///   `FAIL`; an error outside a case.
/// * `X No.n : hh hh ..`: the NTT/CRYPTREC format of the Camellia ECB files.
///   A `K` line ends the current case and sets a key carried into every
///   following case as field `K` (until the next `K` or section header);
///   other letters are ordinary fields (`P`, `C`). Values are the bytes with
///   the spaces removed; the `No.n` numbers are not kept.
/// * anything else is an error.
pub fn parse_str(name: &str, text: &str) -> Result<Vec<Case>, VectorError> {
    let mut p = Parser {
        file: Arc::from(name),
        cases: Vec::new(),
        current: None,
        start_key: String::new(),
        block: Vec::new(),
        shared: None,
        block_used: false,
        carried: None,
        counted: text.lines().map(str::trim).any(is_count_line),
        seen_header: false,
        spanning: false,
        params: None,
        file_params: Vec::new(),
        block_params: Vec::new(),
    };
    for (idx, raw) in text.lines().enumerate() {
        let indented = raw.starts_with([' ', '\t']);
        p.line(idx + 1, raw.trim(), indented)?;
    }
    p.close();
    Ok(p.cases)
}

/// A `COUNT = n` line in any capitalisation (the case-starting rule of
/// `vectors/make_sources.py`).
fn is_count_line(line: &str) -> bool {
    line.split_once('=')
        .is_some_and(|(key, _)| is_count_name(key.trim()))
}

fn is_count_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("count")
}

impl Parser {
    fn err(&self, line: usize, message: String) -> VectorError {
        VectorError::new(&*self.file, line, message)
    }

    fn close(&mut self) {
        self.spanning = false;
        if let Some(case) = self.current.take() {
            self.cases.push(case);
        }
        if let Some(params) = self.params.take() {
            let scope = if self.seen_header {
                &mut self.block_params
            } else {
                &mut self.file_params
            };
            for field in params {
                scope.retain(|f| f.name != field.name);
                scope.push(field);
            }
            // A following header starts a new block, which drops these.
            self.block_used = true;
        }
    }

    /// Whether the open case holds nothing of its own but its `COUNT` line
    /// (fields carried from parameter paragraphs precede its first line).
    fn lone_count(&self) -> bool {
        self.counted
            && self.current.as_ref().is_some_and(|case| {
                let mut own = case.fields.iter().filter(|f| f.line >= case.line);
                own.next().is_some_and(|f| is_count_name(&f.name)) && own.next().is_none()
            })
    }

    fn line(&mut self, no: usize, line: &str, indented: bool) -> Result<(), VectorError> {
        if line.is_empty() {
            if self.spanning || self.lone_count() {
                self.spanning = true;
            } else {
                self.close();
            }
            return Ok(());
        }
        if line.starts_with('#') {
            return Ok(());
        }
        if indented && !line.starts_with('[') {
            if let Some((key, value)) = line.split_once('=') {
                return self.intermediate(no, key.trim(), value.trim());
            }
        }
        if let Some(rest) = line.strip_prefix('[') {
            let inner = rest
                .strip_suffix(']')
                .ok_or_else(|| self.err(no, format!("unterminated section header {line:?}")))?;
            return self.header(no, inner);
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            if !is_spaced_name(key) {
                return Err(self.err(no, format!("invalid field name {key:?}")));
            }
            return self.field(no, key, value.trim(), Kind::Value);
        }
        if let Some((letter, value)) = ntt_line(line) {
            if letter == "K" {
                self.close();
                self.carried = Some(Field {
                    name: letter.to_string(),
                    value,
                    line: no,
                    kind: Kind::Value,
                    read: Cell::new(false),
                });
                return Ok(());
            }
            return self.field(no, letter, value, Kind::Value);
        }
        if is_word(line) {
            if self.current.is_none() {
                return Err(self.err(no, format!("flag {line:?} outside a test case")));
            }
            return self.field(no, line, String::new(), Kind::Flag);
        }
        Err(self.err(no, format!("unrecognised line {:?}", truncate(line))))
    }

    fn header(&mut self, no: usize, inner: &str) -> Result<(), VectorError> {
        self.close();
        self.seen_header = true;
        if self.block_used {
            self.block.clear();
            self.block_params.clear();
            self.block_used = false;
        }
        let parts: Vec<&str> = if inner.contains(',') && inner.split(',').all(|p| p.contains('=')) {
            inner.split(',').collect()
        } else {
            vec![inner]
        };
        for part in parts {
            let (name, value) = match part.split_once('=') {
                Some((n, v)) => (n.trim(), v.trim()),
                None => (part.trim(), ""),
            };
            if name.is_empty() {
                return Err(self.err(no, "empty section name".to_string()));
            }
            if self.block.iter().any(|(n, _)| n == name) {
                return Err(self.err(no, format!("section {name:?} repeated in one header block")));
            }
            self.block.push((name.to_string(), value.to_string()));
        }
        self.shared = None;
        self.carried = None;
        Ok(())
    }

    /// Adds an intermediate value (an indented `NAME = VALUE` line) to the
    /// open case.
    fn intermediate(&mut self, no: usize, name: &str, value: &str) -> Result<(), VectorError> {
        if !is_spaced_name(name) {
            return Err(self.err(no, format!("invalid field name {name:?}")));
        }
        if is_count_name(name) {
            return Err(self.err(no, format!("indented {name} line")));
        }
        let Some(case) = self.current.as_mut() else {
            return Err(self.err(
                no,
                format!("intermediate value {name:?} (an indented line) outside a test case"),
            ));
        };
        if let Some(f) = case
            .fields
            .iter()
            .find(|f| f.name == name && f.kind != Kind::Intermediate)
        {
            let first = f.line;
            return Err(VectorError::new(
                &*case.file,
                no,
                format!("intermediate value {name} repeats the field on line {first}"),
            ));
        }
        case.fields.push(Field {
            name: name.to_string(),
            value: value.to_string(),
            line: no,
            kind: Kind::Intermediate,
            read: Cell::new(false),
        });
        Ok(())
    }

    /// Adds a field to the open parameter paragraph (opening one if needed).
    fn param(&mut self, no: usize, name: &str, value: String) -> Result<(), VectorError> {
        let params = self.params.get_or_insert_with(Vec::new);
        if let Some(f) = params.iter().find(|f| f.name == name) {
            let first = f.line;
            return Err(self.err(
                no,
                format!("{name} repeated in the parameter paragraph starting at line {first}"),
            ));
        }
        params.push(Field {
            name: name.to_string(),
            value,
            line: no,
            kind: Kind::Value,
            read: Cell::new(false),
        });
        Ok(())
    }

    fn field<V: Into<String>>(
        &mut self,
        no: usize,
        name: &str,
        value: V,
        kind: Kind,
    ) -> Result<(), VectorError> {
        if self.counted && kind == Kind::Value {
            let count = is_count_name(name);
            if let Some(params) = &self.params {
                if count {
                    let first = params.first().map_or(no, |f| f.line);
                    return Err(self.err(
                        no,
                        format!(
                            "{name} inside the parameter paragraph starting at line {first} \
                             (a blank line must end it)"
                        ),
                    ));
                }
                return self.param(no, name, value.into());
            }
            if self.current.is_none() && !count {
                return self.param(no, name, value.into());
            }
        }
        let restart = match &self.current {
            None => true,
            Some(case) => match case.fields.iter().find(|f| f.name == name) {
                None => false,
                Some(_) if name == self.start_key && kind == Kind::Value => true,
                // Fields carried from a parameter paragraph precede the case's first line.
                Some(f) if f.line < case.line => {
                    return Err(self.err(
                        no,
                        format!("{name} repeats the field carried from line {}", f.line),
                    ));
                }
                Some(_) => {
                    return Err(self.err(
                        no,
                        format!(
                            "{name} repeated in the test case starting at line {}",
                            case.line
                        ),
                    ));
                }
            },
        };
        if restart {
            self.close();
            let sections = match &self.shared {
                Some(s) => Arc::clone(s),
                None => {
                    let s: Arc<[(String, String)]> = Arc::from(self.block.clone());
                    self.shared = Some(Arc::clone(&s));
                    s
                }
            };
            self.block_used = true;
            let mut fields: Vec<Field> = self
                .file_params
                .iter()
                .filter(|f| !self.block_params.iter().any(|b| b.name == f.name))
                .chain(&self.block_params)
                .cloned()
                .collect();
            if let Some(k) = &self.carried {
                // A case may not name the carried key again: that would be a repeated field.
                if k.name == name {
                    return Err(self.err(
                        no,
                        format!("{name} repeats the key carried from the preceding key line"),
                    ));
                }
                fields.push(k.clone());
            }
            self.start_key = name.to_string();
            self.current = Some(Case {
                file: Arc::clone(&self.file),
                line: no,
                sections,
                fields,
            });
        }
        if let Some(case) = self.current.as_mut() {
            case.fields.push(Field {
                name: name.to_string(),
                value: value.into(),
                line: no,
                kind,
                read: Cell::new(false),
            });
        }
        Ok(())
    }
}

/// `[A-Za-z0-9_]+`
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `[A-Za-z0-9_]+( [A-Za-z0-9_]+)*`: a name that may hold single inner
/// spaces (`Hash input 1`, `Binary rep of i`).
fn is_spaced_name(s: &str) -> bool {
    s.split(' ').all(is_name)
}

/// `[A-Za-z][A-Za-z0-9_]*`
fn is_word(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && is_name(s)
}

/// Recognises `X No.123 : 01 23 AB ...` (NTT Camellia format) and returns
/// `("X", "0123AB...")`.
fn ntt_line(line: &str) -> Option<(&str, String)> {
    let (left, right) = line.split_once(':')?;
    let mut words = left.split_whitespace();
    let letter = words.next()?;
    let number = words.next()?.strip_prefix("No.")?;
    if words.next().is_some()
        || !is_word(letter)
        || number.is_empty()
        || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value = String::with_capacity(right.len());
    for group in right.split_whitespace() {
        if !group.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        value.push_str(group);
    }
    Some((letter, value))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}
