//! What `hazmat` reads from an `openssh-key-v1` file itself, because the library's
//! `load_ssh_private_key` does not hand it back: whether the file is encrypted, its public key
//! (stored unencrypted, so readable without the password, as ssh-keygen reads it), and the
//! comment of an unencrypted key. The key itself is always loaded by the library.

use zeroize::Zeroizing;

const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END: &str = "-----END OPENSSH PRIVATE KEY-----";
const MAGIC: &[u8] = b"openssh-key-v1\0";

/// The unencrypted parts of an `openssh-key-v1` file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Header {
    /// The cipher is not `none`.
    pub(crate) encrypted: bool,
    /// The key type name of the public key (`ssh-ed25519`).
    pub(crate) key_type: String,
    /// The public key's wire blob (what `ssh-keygen -l` hashes).
    pub(crate) public_blob: Vec<u8>,
    /// The comment, for an unencrypted key (`Some("")` when it is empty).
    pub(crate) comment: Option<Vec<u8>>,
}

/// Whether `data` holds an `OPENSSH PRIVATE KEY` PEM block.
pub(crate) fn is_openssh_private(data: &[u8]) -> bool {
    find(data, BEGIN.as_bytes()).is_some()
}

/// The header of the first `OPENSSH PRIVATE KEY` block of `data`, or `None` when it does not
/// parse (the library's loader then says why).
pub(crate) fn header(data: &[u8]) -> Option<Header> {
    let start = find(data, BEGIN.as_bytes())? + BEGIN.len();
    let end = start + find(&data[start..], END.as_bytes())?;
    let text: Zeroizing<Vec<u8>> = Zeroizing::new(
        data[start..end]
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
    );
    let body = Zeroizing::new(data_encoding::BASE64.decode(&text).ok()?);
    let mut r = Reader(body.strip_prefix(MAGIC)?);
    let cipher = r.string()?;
    let kdf = r.string()?;
    let _kdf_options = r.string()?;
    if r.u32()? != 1 {
        return None;
    }
    let public_blob = r.string()?.to_vec();
    let key_type = String::from_utf8(Reader(&public_blob).string()?.to_vec()).ok()?;
    let encrypted = (cipher, kdf) != (&b"none"[..], &b"none"[..]);
    let comment = if encrypted {
        None
    } else {
        unencrypted_comment(r.string()?, &key_type)
    };
    Some(Header {
        encrypted,
        key_type,
        public_blob,
        comment,
    })
}

/// The comment at the end of an unencrypted private section: two check words, the key type,
/// the key's fields, then the comment.
fn unencrypted_comment(section: &[u8], key_type: &str) -> Option<Vec<u8>> {
    let mut r = Reader(section);
    let (check1, check2) = (r.u32()?, r.u32()?);
    if check1 != check2 || r.string()? != key_type.as_bytes() {
        return None;
    }
    let fields = match key_type {
        "ssh-rsa" => 6,                         // n, e, d, iqmp, p, q
        "ssh-dss" => 5,                         // p, q, g, y, x
        "ssh-ed25519" => 2,                     // public, private
        t if t.starts_with("ecdsa-sha2-") => 3, // curve, point, scalar
        _ => return None,
    };
    for _ in 0..fields {
        r.string()?;
    }
    Some(r.string()?.to_vec())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// RFC 4251 wire data: uint32 and length-prefixed strings.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_be_bytes(*head))
    }

    fn string(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        let (head, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `ssh-keygen -t ed25519 -N '' -C 'user@host'` (a test key, used nowhere else).
    const ED25519: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDQSYSXnpaMxAGxE6GQjwcQ3sn1loOMVWXQDKJ0pfhcSQAAAJDjX6Fs41+h
bAAAAAtzc2gtZWQyNTUxOQAAACDQSYSXnpaMxAGxE6GQjwcQ3sn1loOMVWXQDKJ0pfhcSQ
AAAEDcL+YfKaoLJhxNNR15DxQJ4wS+cXaM+aNaOgcsHvjKVtBJhJeelozEAbEToZCPBxDe
yfWWg4xVZdAMonSl+FxJAAAACXVzZXJAaG9zdAECAwQ=
-----END OPENSSH PRIVATE KEY-----
";

    #[test]
    fn reads_the_public_key_and_the_comment() {
        let parsed = header(ED25519.as_bytes()).unwrap();
        assert!(!parsed.encrypted);
        assert_eq!(parsed.key_type, "ssh-ed25519");
        assert_eq!(parsed.public_blob.len(), 4 + 11 + 4 + 32);
        assert_eq!(parsed.comment.as_deref(), Some(&b"user@host"[..]));
        assert!(is_openssh_private(ED25519.as_bytes()));
        assert!(!is_openssh_private(b"-----BEGIN PRIVATE KEY-----"));
        assert_eq!(header(b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"), None);
    }
}
