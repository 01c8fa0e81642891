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
}

/// Parses the text of a vector file into its cases. `name` is only used to
/// label cases and errors. Never panics; malformed input gives a
/// [`VectorError`] naming the line. Empty input (or input with only comments
/// and headers) gives no cases.
///
/// Grammar, one (trimmed) line at a time; `\n` and `\r\n` endings are both
/// accepted:
///
/// * empty line: ends the current case;
/// * `# ...`: comment, ignored (it neither starts nor ends a case, so the
///   RFC-derived HMAC files may put comments between a case's fields);
/// * `[NAME]` or `[NAME = VALUE]`: section header. It ends the current case.
///   Consecutive headers (with only blank/comment lines between them) form
///   one block; the first header after a case starts a new block, which
///   replaces all previous section values. So `[DECRYPT]` replaces
///   `[ENCRYPT]`, and each GCM `[Keylen]`..`[Taglen]` group replaces the last.
///   Names may contain spaces (`[Minimum Output Length (bits) = 125]`); the
///   same name twice in one block is an error.
/// * `NAME = VALUE`: a field. `NAME` is `[A-Za-z0-9_]+`; `VALUE` is the rest
///   of the line after the first `=`, trimmed (it may be empty: `CT = `).
///   With no case open it starts a new case. Inside a case, a repeat of the
///   case's first field name (normally `COUNT`/`Count`/`Len`) starts a new
///   case; any other repeated name is an error.
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
    };
    for (idx, raw) in text.lines().enumerate() {
        p.line(idx + 1, raw.trim())?;
    }
    p.close();
    Ok(p.cases)
}

impl Parser {
    fn err(&self, line: usize, message: String) -> VectorError {
        VectorError::new(&*self.file, line, message)
    }

    fn close(&mut self) {
        if let Some(case) = self.current.take() {
            self.cases.push(case);
        }
    }

    fn line(&mut self, no: usize, line: &str) -> Result<(), VectorError> {
        if line.is_empty() {
            self.close();
            return Ok(());
        }
        if line.starts_with('#') {
            return Ok(());
        }
        if let Some(rest) = line.strip_prefix('[') {
            let inner = rest
                .strip_suffix(']')
                .ok_or_else(|| self.err(no, format!("unterminated section header {line:?}")))?;
            return self.header(no, inner);
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            if !is_name(key) {
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
        let (name, value) = match inner.split_once('=') {
            Some((n, v)) => (n.trim(), v.trim()),
            None => (inner.trim(), ""),
        };
        if name.is_empty() {
            return Err(self.err(no, "empty section name".to_string()));
        }
        if self.block_used {
            self.block.clear();
            self.block_used = false;
        }
        if self.block.iter().any(|(n, _)| n == name) {
            return Err(self.err(no, format!("section {name:?} repeated in one header block")));
        }
        self.block.push((name.to_string(), value.to_string()));
        self.shared = None;
        self.carried = None;
        Ok(())
    }

    fn field<V: Into<String>>(
        &mut self,
        no: usize,
        name: &str,
        value: V,
        kind: Kind,
    ) -> Result<(), VectorError> {
        let restart = match &self.current {
            None => true,
            Some(case) => {
                if case.fields.iter().any(|f| f.name == name) {
                    if name == self.start_key && kind == Kind::Value {
                        true
                    } else {
                        return Err(self.err(
                            no,
                            format!(
                                "{name} repeated in the test case starting at line {}",
                                case.line
                            ),
                        ));
                    }
                } else {
                    false
                }
            }
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
            let mut fields = Vec::new();
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
