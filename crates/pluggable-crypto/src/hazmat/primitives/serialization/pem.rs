//! PEM text: finding blocks, reading their RFC 1421 headers, writing them.
//!
//! Reading is done here rather than by `pem-rfc7468`, whose strict RFC 7468 grammar refuses
//! the `Proc-Type`/`DEK-Info` headers of traditional encrypted OpenSSL keys and the text that
//! tools put around blocks. Like OpenSSL, text before, between and after blocks is skipped
//! and a loader takes the first block whose label it reads. Writing goes through
//! `pem-rfc7468` (64-column lines, LF).

use zeroize::Zeroizing;

use crate::{Error, Result};

/// Input larger than this is refused before any decoding: no key file is near it, and it
/// bounds the work a hostile input can ask for.
pub(crate) const MAX_INPUT: usize = super::MAX_KEY_INPUT_BYTES;

/// One PEM block: its label, its headers (name, value) in order, and its decoded body.
pub(crate) struct PemBlock {
    pub(crate) label: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Zeroizing<Vec<u8>>,
}

impl PemBlock {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Every well-formed block in `data`, in order. A block whose BEGIN line has no matching END,
/// or whose body is not base64, is an error (it is never silently skipped).
pub(crate) fn parse_blocks(data: &[u8]) -> Result<Vec<PemBlock>> {
    if data.len() > MAX_INPUT {
        return Err(Error::MalformedKeyData(format!(
            "the input is {} bytes; PEM input is limited to {MAX_INPUT} bytes",
            data.len()
        )));
    }
    let text = std::str::from_utf8(data)
        .map_err(|_| Error::MalformedKeyData("PEM data is not UTF-8 text".into()))?;
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(label_end) = after.find("-----") else {
            return Err(Error::MalformedKeyData(
                "a PEM BEGIN line is not closed".into(),
            ));
        };
        let label = &after[..label_end];
        if label.contains('\n') || label.contains('\r') {
            return Err(Error::MalformedKeyData(
                "a PEM BEGIN line is not closed".into(),
            ));
        }
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = body_start.find(&end_marker) else {
            return Err(Error::MalformedKeyData(format!(
                "the PEM block \"{label}\" has no END line"
            )));
        };
        let inner = &body_start[..end];
        let (headers, encoded) = split_headers(inner)?;
        let body = decode_base64(encoded).ok_or_else(|| {
            Error::MalformedKeyData(format!("the PEM block \"{label}\" is not valid base64"))
        })?;
        blocks.push(PemBlock {
            label: label.to_string(),
            headers,
            body,
        });
        rest = &body_start[end + end_marker.len()..];
    }
    Ok(blocks)
}

/// RFC 1421 headers ("Name: value" lines, folded with leading whitespace) end at the first
/// empty line; a body without a colon in its first line has none.
fn split_headers(inner: &str) -> Result<(Vec<(String, String)>, &str)> {
    let trimmed = inner.trim_start_matches(['\r', '\n']);
    let first_line = trimmed.lines().next().unwrap_or("");
    if !first_line.contains(':') {
        return Ok((Vec::new(), inner));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut consumed = inner.len() - trimmed.len();
    for line in trimmed.split_inclusive('\n') {
        consumed += line.len();
        let content = line.trim_end_matches(['\r', '\n']);
        if content.trim().is_empty() {
            return Ok((headers, &inner[consumed..]));
        }
        if content.starts_with([' ', '\t']) {
            match headers.last_mut() {
                Some((_, value)) => value.push_str(content.trim()),
                None => return Err(Error::MalformedKeyData("a PEM header is malformed".into())),
            }
            continue;
        }
        let Some((name, value)) = content.split_once(':') else {
            return Err(Error::MalformedKeyData(
                "PEM headers must be followed by an empty line".into(),
            ));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Err(Error::MalformedKeyData(
        "PEM headers must be followed by an empty line".into(),
    ))
}

/// Standard base64 with padding; line breaks and spaces between characters are ignored.
fn decode_base64(encoded: &str) -> Option<Zeroizing<Vec<u8>>> {
    let compact: Zeroizing<Vec<u8>> = Zeroizing::new(
        encoded
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .collect(),
    );
    data_encoding::BASE64
        .decode(&compact)
        .ok()
        .map(Zeroizing::new)
}

/// `der` as a PEM block with `label` and optional headers (each "Name: value"), 64-column
/// base64 lines, LF line endings.
pub(crate) fn encode(label: &str, headers: &[(&str, String)], der: &[u8]) -> Result<Vec<u8>> {
    let body = pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| Error::invalid(format!("PEM encoding failed: {e}")))?;
    if headers.is_empty() {
        return Ok(body.into_bytes());
    }
    // Headers go between the BEGIN line and the base64 lines, then an empty line.
    let begin_end = body.find('\n').map(|i| i + 1).unwrap_or(body.len());
    let mut out = String::with_capacity(body.len() + 128);
    out.push_str(&body[..begin_end]);
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&body[begin_end..]);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_with_text_around_and_headers() {
        let text = b"junk before\n-----BEGIN A-----\nAAEC\n-----END A-----\nmiddle\n-----BEGIN B B-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,\n 00FF\n\nAw==\n-----END B B-----\n";
        let blocks = parse_blocks(text).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "A");
        assert_eq!(&blocks[0].body[..], &[0, 1, 2]);
        assert_eq!(blocks[1].label, "B B");
        assert_eq!(blocks[1].header("dek-info"), Some("AES-128-CBC,00FF"));
        assert_eq!(&blocks[1].body[..], &[3]);
    }

    #[test]
    fn unterminated_and_bad_base64_are_errors() {
        assert!(parse_blocks(b"-----BEGIN A-----\nAAEC\n").is_err());
        assert!(parse_blocks(b"-----BEGIN A-----\nAA*C\n-----END A-----\n").is_err());
        assert!(parse_blocks(b"-----BEGIN A-----\nAAEC\n-----END B-----\n").is_err());
    }

    #[test]
    fn encode_then_parse_round_trips_with_headers() {
        let pem = encode("X", &[("Proc-Type", "4,ENCRYPTED".into())], &[9; 100]).unwrap();
        let blocks = parse_blocks(&pem).unwrap();
        assert_eq!(blocks[0].header("Proc-Type"), Some("4,ENCRYPTED"));
        assert_eq!(&blocks[0].body[..], &[9; 100][..]);
    }
}
