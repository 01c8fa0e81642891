//! The GNU coreutils checksum line formats (`sha256sum`, `sha256sum --tag`, `sha256sum -c`),
//! as pure functions: formatting digest and status lines, and parsing checksum lines.
//!
//! Formats (coreutils 9.1):
//!
//! * text: `HEX  NAME` (two spaces); `HEX *NAME` is the binary-mode marker, read but never
//!   written;
//! * BSD tag: `TAG (NAME) = HEX`;
//! * a name holding a backslash, newline or carriage return is written escaped (`\\`, `\n`,
//!   `\r`) and the whole line starts with a backslash: `\HEX  a\\b`, `\SHA256 (a\nb) = HEX`;
//! * `-c` status lines: `NAME: OK`; there coreutils escapes a name only when it holds a
//!   newline.
//!
//! Nothing here panics, whatever the input: the parser is meant to be fed arbitrary text.

use crate::common::to_hex;

/// How a parsed checksum line was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineFormat {
    /// `HEX  NAME`: the text-mode marker (a space).
    Text,
    /// `HEX *NAME`: the binary-mode marker.
    Binary,
    /// `TAG (NAME) = HEX`, with the tag as written (`SHA256`, `BLAKE2b`, `SHA2-256`, ...).
    Tag(String),
}

/// One parsed checksum line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumLine {
    /// The form the line was written in.
    pub format: LineFormat,
    /// The expected digest, decoded (never empty).
    pub digest: Vec<u8>,
    /// The file name, unescaped (never empty, never holds a NUL).
    pub name: String,
}

/// Why [`parse_line`] produced no [`SumLine`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    /// An empty line or a `#` comment: skipped silently, as coreutils does.
    Ignored,
    /// Not a checksum line (counted as "improperly formatted"); the reason is for debugging.
    Malformed(&'static str),
}

/// Whether coreutils escapes `name` in a digest line: it holds `\`, a newline or a CR.
fn needs_escape(name: &str) -> bool {
    name.contains(['\\', '\n', '\r'])
}

/// `name` with `\`, newline and CR written as `\\`, `\n` and `\r`.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`]; `None` for any other escape or a trailing lone backslash.
fn unescape(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                '\\' => out.push('\\'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The escape prefix and the name as they appear in a digest line.
fn escaped_name(name: &str) -> (&'static str, std::borrow::Cow<'_, str>) {
    if needs_escape(name) {
        ("\\", escape(name).into())
    } else {
        ("", name.into())
    }
}

/// A digest line in the `sha256sum` text format, without the line break: `HEX  NAME`, or
/// `\HEX  ESCAPED` when the name must be escaped.
pub fn format_line(digest: &[u8], name: &str) -> String {
    let (prefix, name) = escaped_name(name);
    format!("{prefix}{}  {name}", to_hex(digest))
}

/// A digest line in the BSD format of `sha256sum --tag`, without the line break:
/// `TAG (NAME) = HEX`, or `\TAG (ESCAPED) = HEX` when the name must be escaped.
pub fn format_tag_line(tag: &str, digest: &[u8], name: &str) -> String {
    let (prefix, name) = escaped_name(name);
    format!("{prefix}{tag} ({name}) = {}", to_hex(digest))
}

/// A `-c` result line, without the line break: `NAME: STATUS`. Like coreutils 9.1, the name
/// is escaped (with a leading `\`) only when it holds a newline.
pub fn format_status_line(name: &str, status: &str) -> String {
    if name.contains('\n') {
        format!("\\{}: {status}", escape(name))
    } else {
        format!("{name}: {status}")
    }
}

/// The tag of `--tag` lines for a hash algorithm (by its library name): coreutils' tag where
/// coreutils has the algorithm (`SHA256`, `MD5`, `BLAKE2b`, ...), the uppercase name otherwise.
pub fn tag_for(algorithm: &str) -> String {
    match algorithm {
        "blake2b" => "BLAKE2b".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

/// Whether a BSD line's tag names `algorithm` (a library name): our (and coreutils') tag,
/// coreutils' `BLAKE2b-512`, or the name OpenSSL 3's `openssl dgst` prints (`SHA2-256`, ...).
pub fn tag_matches(algorithm: &str, tag: &str) -> bool {
    let openssl = match algorithm {
        "sha224" => "SHA2-224",
        "sha256" => "SHA2-256",
        "sha384" => "SHA2-384",
        "sha512" => "SHA2-512",
        "sha512-224" => "SHA2-512/224",
        "sha512-256" => "SHA2-512/256",
        "ripemd160" => "RIPEMD-160",
        "blake2b" => "BLAKE2B-512",
        "blake2s" => "BLAKE2S-256",
        "shake128" => "SHAKE-128",
        "shake256" => "SHAKE-256",
        _ => "",
    };
    tag == tag_for(algorithm)
        || (!openssl.is_empty() && tag == openssl)
        || (algorithm == "blake2b" && tag == "BLAKE2b-512")
}

/// Decodes non-empty, even-length hexadecimal (either case).
fn decode_hex(text: &str) -> Result<Vec<u8>, LineError> {
    if text.is_empty() {
        return Err(LineError::Malformed("no digest"));
    }
    if !text.len().is_multiple_of(2) {
        return Err(LineError::Malformed("odd number of hex digits"));
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some((hex_value(*hi)? << 4) | hex_value(*lo)?),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(LineError::Malformed("digest is not hexadecimal"))
}

/// The value of one hex digit (either case).
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// coreutils' `ISWHITE`: a space or a tab.
fn is_white(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Parses one checksum line, as `sha256sum -c` reads it: the text form (`HEX  NAME`,
/// `HEX *NAME`), the BSD form (`TAG (NAME) = HEX`, also `TAG(NAME)= HEX` as `openssl dgst`
/// writes it), either with a leading `\` meaning the name is escaped. One trailing `\n` and
/// then one `\r` are dropped; leading blanks are skipped. Empty lines and lines starting with
/// `#` are [`LineError::Ignored`]. The digest length is not checked here (the caller knows the
/// algorithm), nor the tag.
pub fn parse_line(line: &str) -> Result<SumLine, LineError> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.starts_with('#') {
        return Err(LineError::Ignored);
    }
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(LineError::Ignored);
    }
    if line.contains(['\n', '\0']) {
        return Err(LineError::Malformed("line holds a line break or a NUL"));
    }
    let rest = line.trim_start_matches(is_white);
    let (escaped, rest) = match rest.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let (format, hex, raw_name) = match split_tag(rest) {
        Some((tag, body)) => {
            let (name, hex) = split_bsd_body(body)?;
            (LineFormat::Tag(tag.to_owned()), hex, name)
        }
        None => split_text(rest)?,
    };
    let digest = decode_hex(hex)?;
    let name = if escaped {
        unescape(raw_name).ok_or(LineError::Malformed("bad escape in the file name"))?
    } else {
        raw_name.to_owned()
    };
    if name.is_empty() {
        return Err(LineError::Malformed("empty file name"));
    }
    Ok(SumLine {
        format,
        digest,
        name,
    })
}

/// A BSD line's start: the tag (letters, digits, `-`, `/`, `_`), an optional space and `(`;
/// the tag and what follows the `(`.
fn split_tag(rest: &str) -> Option<(&str, &str)> {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_')))
        .unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    let (tag, after) = rest.split_at(end);
    let after = after.strip_prefix(' ').unwrap_or(after);
    after.strip_prefix('(').map(|body| (tag, body))
}

/// `NAME) = HEX` (the name runs to the last `)`): the name and the hex.
fn split_bsd_body(body: &str) -> Result<(&str, &str), LineError> {
    let close = body
        .rfind(')')
        .ok_or(LineError::Malformed("no closing parenthesis"))?;
    let (name, after) = body.split_at(close);
    let after = after[1..].trim_start_matches(is_white);
    let hex = after
        .strip_prefix('=')
        .ok_or(LineError::Malformed("no `=` after the file name"))?
        .trim_start_matches(is_white);
    Ok((name, hex))
}

/// `HEX` + a blank + (` ` | `*`) + `NAME`: the format, the hex and the name.
fn split_text(rest: &str) -> Result<(LineFormat, &str, &str), LineError> {
    let end = rest
        .find(|c: char| !c.is_ascii_hexdigit())
        .ok_or(LineError::Malformed("no file name"))?;
    let (hex, after) = rest.split_at(end);
    let after = after
        .strip_prefix(is_white)
        .ok_or(LineError::Malformed("no blank after the digest"))?;
    if let Some(name) = after.strip_prefix(' ') {
        Ok((LineFormat::Text, hex, name))
    } else if let Some(name) = after.strip_prefix('*') {
        Ok((LineFormat::Binary, hex, name))
    } else {
        Err(LineError::Malformed(
            "no ` ` or `*` marker before the file name",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /// The SHA-256 of `abc`.
    fn abc() -> Vec<u8> {
        decode_hex(ABC).unwrap()
    }

    /// A text-form line for `abc()` and `name`.
    fn text(name: &str) -> SumLine {
        SumLine {
            format: LineFormat::Text,
            digest: abc(),
            name: name.to_owned(),
        }
    }

    /// Lines as coreutils 9.1 writes them (observed with its binaries).
    #[test]
    fn formats_like_coreutils() {
        assert_eq!(format_line(&abc(), "-"), format!("{ABC}  -"));
        assert_eq!(format_line(&abc(), "a b"), format!("{ABC}  a b"));
        assert_eq!(format_line(&abc(), "a\\b"), format!("\\{ABC}  a\\\\b"));
        assert_eq!(format_line(&abc(), "n\nl"), format!("\\{ABC}  n\\nl"));
        assert_eq!(format_line(&abc(), "c\rr"), format!("\\{ABC}  c\\rr"));
        assert_eq!(
            format_tag_line("SHA256", &abc(), "f"),
            format!("SHA256 (f) = {ABC}")
        );
        assert_eq!(
            format_tag_line("SHA256", &abc(), "a\\b"),
            format!("\\SHA256 (a\\\\b) = {ABC}")
        );
        assert_eq!(format_status_line("a\\b", "OK"), "a\\b: OK");
        assert_eq!(format_status_line("c\rr", "OK"), "c\rr: OK");
        assert_eq!(
            format_status_line("x\\y\nz", "FAILED"),
            "\\x\\\\y\\nz: FAILED"
        );
    }

    /// coreutils' and OpenSSL's tags.
    #[test]
    fn tags() {
        assert_eq!(tag_for("sha256"), "SHA256");
        assert_eq!(tag_for("md5"), "MD5");
        assert_eq!(tag_for("blake2b"), "BLAKE2b");
        assert_eq!(tag_for("sha3-256"), "SHA3-256");
        assert!(tag_matches("sha256", "SHA256") && tag_matches("sha256", "SHA2-256"));
        assert!(tag_matches("blake2b", "BLAKE2b-512") && tag_matches("blake2b", "BLAKE2B-512"));
        assert!(tag_matches("shake256", "SHAKE256") && tag_matches("shake256", "SHAKE-256"));
        assert!(!tag_matches("sha256", "sha256") && !tag_matches("sha256", "SHA512"));
        assert!(!tag_matches("sha1", ""));
    }

    /// `HEX  NAME`, `HEX *NAME`, blanks, CR LF, uppercase hex.
    #[test]
    fn parses_text_and_binary_lines() {
        assert_eq!(parse_line(&format!("{ABC}  file")), Ok(text("file")));
        assert_eq!(parse_line(&format!("{ABC}  file\n")), Ok(text("file")));
        assert_eq!(parse_line(&format!("{ABC}  file\r\n")), Ok(text("file")));
        assert_eq!(parse_line(&format!("  {ABC}\t a  b ")), Ok(text("a  b ")));
        assert_eq!(
            parse_line(&format!("{}  file", ABC.to_uppercase())),
            Ok(text("file"))
        );
        assert_eq!(
            parse_line(&format!("{ABC} *bin")),
            Ok(SumLine {
                format: LineFormat::Binary,
                ..text("bin")
            })
        );
        assert_eq!(parse_line(&format!("{ABC}  -")), Ok(text("-")));
    }

    /// coreutils `--tag` and `openssl dgst` lines.
    #[test]
    fn parses_bsd_lines() {
        let tagged = |tag: &str, name: &str| SumLine {
            format: LineFormat::Tag(tag.to_owned()),
            ..text(name)
        };
        assert_eq!(
            parse_line(&format!("SHA256 (f) = {ABC}")),
            Ok(tagged("SHA256", "f"))
        );
        assert_eq!(
            parse_line(&format!("SHA2-256(a (1).txt)= {ABC}")),
            Ok(tagged("SHA2-256", "a (1).txt"))
        );
        assert_eq!(
            parse_line(&format!("SHA2-512/224 (x)={ABC}")),
            Ok(tagged("SHA2-512/224", "x"))
        );
        assert_eq!(
            parse_line(&format!("\\SHA256 (a\\\\b\\nc) = {ABC}")),
            Ok(tagged("SHA256", "a\\b\nc"))
        );
    }

    /// Whatever we format parses back to the same name.
    #[test]
    fn round_trips_escaped_names() {
        for name in [
            "plain",
            "a b",
            "a\\b",
            "n\nl",
            "c\rr",
            "\\\\\n\r\\",
            " lead",
            "é✓",
        ] {
            let line = format_line(&abc(), name);
            assert_eq!(parse_line(&line), Ok(text(name)), "{line:?}");
            let tagged = format_tag_line("SHA256", &abc(), name);
            let parsed = parse_line(&tagged).unwrap();
            assert_eq!(parsed.name, name);
            assert_eq!(parsed.format, LineFormat::Tag("SHA256".into()));
        }
    }

    /// Blank lines and comments are neither lines nor errors.
    #[test]
    fn ignores_comments_and_blank_lines() {
        for line in ["", "\n", "\r\n", "#", "# comment", "#ba78  x"] {
            assert_eq!(parse_line(line), Err(LineError::Ignored), "{line:?}");
        }
    }

    /// What coreutils counts as improperly formatted.
    #[test]
    fn rejects_malformed_lines() {
        let bad = [
            "garbage".to_owned(),
            " #x".to_owned(),
            ABC.to_owned(),
            format!("{ABC} "),
            format!("{ABC}  "),
            format!("{ABC} file"),
            format!("{ABC}\tfile"),
            format!("{ABC}x  file"),
            format!("{}  file", &ABC[1..]),
            format!("\\{ABC}  a\\b"),
            format!("\\{ABC}  a\\"),
            format!("{ABC}  a\0b"),
            format!("{ABC}  a\nb"),
            format!("SHA256 (f = {ABC}"),
            format!("SHA256 (f) {ABC}"),
            format!("SHA256 (f) = {ABC} "),
            "SHA256 (f) = ".to_owned(),
            "SHA256 () = 00".to_owned(),
            format!("SHA256  (f) = {ABC}"),
            "\\".to_owned(),
            "(".to_owned(),
            ")".to_owned(),
            "=".to_owned(),
        ];
        for line in &bad {
            assert!(
                matches!(parse_line(line), Err(LineError::Malformed(_))),
                "{line:?} -> {:?}",
                parse_line(line)
            );
        }
    }

    /// No input makes the parser panic.
    #[test]
    fn never_panics_on_odd_input() {
        // A cheap deterministic stand-in for the fuzz target: every short string over an
        // alphabet of the characters the parser cares about, plus multi-byte characters.
        let alphabet = [
            "a", "F", "0", " ", "\t", "*", "\\", "n", "r", "(", ")", "=", "#", "\r", "\n", "\0",
            "é", "-", "/",
        ];
        let mut stack = vec![String::new()];
        let mut seen = 0usize;
        while let Some(s) = stack.pop() {
            let _ = parse_line(&s);
            seen += 1;
            if s.chars().count() < 4 {
                for piece in alphabet {
                    stack.push(format!("{s}{piece}"));
                }
            }
        }
        assert!(seen > 100_000);
        // Longer random strings over the same alphabet, and around real lines.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let len = next() % 80;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = parse_line(&s);
            let _ = parse_line(&format!("{ABC}  {s}"));
            let _ = parse_line(&format!("\\SHA256 ({s}) = {ABC}"));
        }
        // And every prefix and suffix of real lines (char-boundary safe).
        for line in [
            format_line(&abc(), "x\\y\nz"),
            format_tag_line("SHA2-512/224", &abc(), "é (1)"),
        ] {
            for (i, _) in line.char_indices() {
                let _ = parse_line(&line[..i]);
                let _ = parse_line(&line[i..]);
            }
        }
    }
}
