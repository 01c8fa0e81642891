//! Target 4: every parser we own, on arbitrary bytes.
//!
//! - `test_vectors::parse_str` on the input as lossy UTF-8 and on its longest valid UTF-8
//!   prefix (and a shorter prefix at a line boundary), then every `Case` accessor on every
//!   field of every case (`str`, `hex`, `usize`, `flag`, `section`, `finish`, ...). Errors
//!   must name a line of the input (1-based) and the file name given.
//! - `hazmat::Header::parse` on the input: never panics; a parsed header lies within the
//!   input, serializes back to exactly the bytes it was parsed from, and every shorter prefix
//!   of those bytes asks for more (`Ok(None)`).
//! - `hazmat::checksum::parse_line` (the `sha256sum -c` line parser) on the whole input and on
//!   each of its lines: never panics; a parsed line has a non-empty digest and a non-empty name
//!   without NUL, and formatting it again (`format_line` / `format_tag_line`) parses back to
//!   the same line (a binary-mode `*` line comes back in text mode). The formatters are also
//!   checked from the other side: a digest and a name taken from the input, formatted in both
//!   forms, parse back to themselves.

use hazmat::checksum::{format_line, format_tag_line, parse_line, tag_for, tag_matches};
use hazmat::checksum::{LineFormat, SumLine};
use hazmat::Header;
use test_vectors::{parse_str, Case, VectorError};

const NAME: &str = "fuzz";

/// Runs every parser on one fuzzer input (see the module docs).
pub fn parsers(input: &[u8]) {
    vector_file(&String::from_utf8_lossy(input));
    let valid = match std::str::from_utf8(input) {
        Ok(s) => s,
        Err(e) => {
            let prefix = &input[..e.valid_up_to()];
            std::str::from_utf8(prefix).expect("valid_up_to is a UTF-8 boundary")
        }
    };
    vector_file(valid);
    // A shorter prefix ending at a line boundary in the first half.
    let mut half = valid.len() / 2;
    while !valid.is_char_boundary(half) {
        half -= 1;
    }
    if let Some(cut) = valid[..half].rfind('\n') {
        vector_file(&valid[..cut]);
    }
    header(input);
    checksum_lines(input);
}

/// The library's hash names, for BSD-format tags.
const HASHES: [&str; 18] = [
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512-224",
    "sha512-256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "shake128",
    "shake256",
    "blake2b",
    "blake2s",
    "md5",
    "ripemd160",
    "sm3",
];

fn checksum_lines(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    checksum_line(&text);
    for line in text.split_inclusive('\n').take(64) {
        checksum_line(line);
    }
    // From the other side: a digest and a name from the input, formatted both ways.
    if let [first, rest @ ..] = input {
        let len = (1 + usize::from(*first) % 64).min(rest.len());
        let (digest, name) = rest.split_at(len);
        let name = String::from_utf8_lossy(name);
        let algorithm = HASHES[usize::from(*first) % HASHES.len()];
        let tag = tag_for(algorithm);
        assert!(
            tag_matches(algorithm, &tag),
            "tag_for({algorithm:?}) = {tag:?} does not match its own algorithm"
        );
        if !digest.is_empty() && !name.is_empty() && !name.contains('\0') {
            let text_line = format_line(digest, &name);
            let expected = SumLine {
                format: LineFormat::Text,
                digest: digest.to_vec(),
                name: name.to_string(),
            };
            assert_eq!(
                parse_line(&text_line),
                Ok(expected.clone()),
                "format_line output {text_line:?} does not parse back"
            );
            let tag_line = format_tag_line(&tag, digest, &name);
            let expected = SumLine {
                format: LineFormat::Tag(tag),
                ..expected
            };
            assert_eq!(
                parse_line(&tag_line),
                Ok(expected),
                "format_tag_line output {tag_line:?} does not parse back"
            );
        }
    }
}

fn checksum_line(line: &str) {
    let Ok(parsed) = parse_line(line) else {
        return;
    };
    assert!(
        !parsed.digest.is_empty(),
        "{line:?} parsed with an empty digest"
    );
    assert!(
        !parsed.name.is_empty(),
        "{line:?} parsed with an empty name"
    );
    assert!(
        !parsed.name.contains('\0'),
        "{line:?} parsed to a name holding a NUL"
    );
    let (again, format) = match &parsed.format {
        LineFormat::Text | LineFormat::Binary => {
            (format_line(&parsed.digest, &parsed.name), LineFormat::Text)
        }
        LineFormat::Tag(tag) => (
            format_tag_line(tag, &parsed.digest, &parsed.name),
            parsed.format.clone(),
        ),
    };
    let expected = SumLine { format, ..parsed };
    assert_eq!(
        parse_line(&again),
        Ok(expected),
        "{line:?} parsed, formatted again as {again:?}, does not parse back the same"
    );
}

fn vector_file(text: &str) {
    let lines = text.lines().count();
    match parse_str(NAME, text) {
        Err(e) => check_error(&e, lines, "parse_str"),
        Ok(cases) => {
            for case in cases {
                assert!(
                    (1..=lines).contains(&case.line()),
                    "a case starts at line {} of a {lines}-line input",
                    case.line()
                );
                assert_eq!(case.file(), NAME);
                exercise(case, lines);
            }
        }
    }
}

fn check_error(e: &VectorError, lines: usize, what: &str) {
    assert_eq!(e.file(), NAME, "{what}: error names another file: {e}");
    assert!(
        (1..=lines).contains(&e.line()),
        "{what}: error at line {} of a {lines}-line input: {e}",
        e.line()
    );
    let shown = e.to_string();
    assert!(shown.starts_with(NAME), "{what}: error display {shown:?}");
}

/// Every accessor on every name the case has, plus some it lacks.
fn exercise(case: Case, lines: usize) {
    // Nothing read yet: `finish` fails exactly when the case has fields or flags.
    let untouched = case.clone();
    let names: Vec<String> = case.names().map(str::to_owned).collect();
    // The grammar makes a repeated name inside one case an error; a case holding one twice
    // could never pass `finish` (the accessors only ever reach the first).
    if let Some(twice) = names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
        .map(|(_, n)| n)
    {
        if crate::skip_known_bugs() {
            return;
        }
        panic!(
            "parse_str gave a case (line {}) holding the field {twice:?} twice: {names:?}",
            case.line()
        );
    }
    for (name, value) in case.sections() {
        let first = case.sections().find(|(n, _)| *n == name).map(|(_, v)| v);
        assert_eq!(case.section(name), first, "section({name:?})");
        let _ = value;
    }
    for name in names.iter().map(String::as_str).chain(["COUNT", "", "K"]) {
        let _ = case.has(name);
        let _ = case.opt_str(name);
        for r in [
            case.str(name).map(drop),
            case.hex(name).map(drop),
            case.opt_hex(name).map(drop),
            case.usize(name).map(drop),
        ] {
            if let Err(e) = r {
                check_error(&e, lines, "accessor");
            }
        }
        let _ = case.flag(name);
        let _ = case.section(name);
    }
    let _ = case.error("a test's own message");
    for name in &names {
        assert!(case.ignore(name), "ignore({name:?}) on a name the case has");
    }
    if let Err(e) = case.finish() {
        panic!("finish after reading every field failed: {e}");
    }
    match untouched.finish() {
        Ok(()) => assert!(
            names.is_empty(),
            "finish passed with unread fields {names:?}"
        ),
        Err(e) => {
            assert!(
                !names.is_empty(),
                "finish failed on a case without fields: {e}"
            );
            check_error(&e, lines, "finish");
        }
    }
}

fn header(input: &[u8]) {
    match Header::parse(input) {
        Err(_) | Ok(None) => {}
        Ok(Some((parsed, len))) => {
            assert!(
                len <= input.len(),
                "Header::parse claims {len} bytes of a {}-byte input",
                input.len()
            );
            let bytes = parsed.to_bytes();
            assert!(
                matches!(&bytes, Ok(b) if b[..] == input[..len]),
                "the header {parsed:?} parsed from {:?} serializes to {bytes:?}",
                &input[..len]
            );
            for cut in 0..len {
                let partial = Header::parse(&input[..cut]);
                assert!(
                    matches!(partial, Ok(None)),
                    "a {cut}-byte prefix of a {len}-byte header gave {partial:?}"
                );
            }
            assert_eq!(
                Header::parse(&input[..len]).ok().flatten(),
                Some((parsed, len)),
                "the header alone parses differently"
            );
        }
    }
}
