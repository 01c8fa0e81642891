//! OpenSSH keys: `openssh-key-v1` private keys and the public key line.
//!
//! # Private keys
//!
//! The PEM block `OPENSSH PRIVATE KEY` holds OpenSSH's `PROTOCOL.key` structure: the magic
//! `openssh-key-v1\0`, the cipher and KDF names, the KDF options, the number of keys (only
//! files with one key are read, as by pyca and ssh-keygen), the public key blob and the
//! private section (two equal check integers, the key, a comment and the padding 1, 2, 3, ...).
//!
//! Read: the ciphers `none`, `aes256-ctr`, `aes256-cbc` and `aes256-gcm@openssh.com` (its tag
//! follows the private section), with the `bcrypt` KDF (bcrypt-pbkdf); the key types
//! `ssh-rsa`, `ssh-dss` (1024-bit, as OpenSSH), `ecdsa-sha2-nistp256/384/521` and
//! `ssh-ed25519`. Security-key (`sk-*`) private keys hold no private key material this library
//! can use and are [`Error::UnsupportedAlgorithm`], as in pyca. The public key blob must be
//! the private key's.
//!
//! Written: RSA, ECDSA on P-256, P-384 and P-521, and Ed25519, unencrypted (`none`) or with
//! bcrypt-pbkdf (a random 16-byte salt) and `aes256-ctr` or `aes256-gcm@openssh.com`, with an
//! empty comment, as 70-column base64 lines like ssh-keygen's. DSA keys are read but not
//! written: OpenSSH no longer accepts them by default.
//!
//! Passwords, as pyca's `load_ssh_private_key`: an encrypted key without a password (or with
//! an empty one) is [`Error::PasswordRequired`]; an unencrypted key with a non-empty password
//! is [`Error::PasswordNotExpected`]; check integers that differ after decryption, or a GCM
//! tag that does not verify, are [`Error::IncorrectPassword`].
//!
//! # Public keys
//!
//! A line `<type> <base64> [comment]` for the key types above, the security-key types
//! `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com` (loaded as the plain
//! Ed25519 or P-256 key, as pyca does), and the certificates `<type>-cert-v01@openssh.com`
//! of the plain types, whose certified key is returned once the whole certificate has parsed:
//! principals, critical options and extensions in strictly increasing order with well-formed
//! values, a certificate type of 1 (user) or 2 (host), and a signature whose type fits the
//! signature key. The certificate's signature is not verified.
//!
//! # Bounds
//!
//! Every length field is checked against the bytes left before anything is taken, so no
//! length allocates; multi-precision integers must be minimal and non-negative (RFC 4251).
//! bcrypt-pbkdf is run with at most 1024 rounds (`MAX_BCRYPT_ROUNDS`), read or written, and
//! decrypted sections are wiped on drop.

use zeroize::Zeroizing;

use super::keys::{Builder, PrivateKeyTypes, PublicKeyTypes, RawAlgorithm};
use super::pem;
use crate::hazmat::primitives::aead::AesGcm;
use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::dsa::DsaParameterNumbers;
use crate::hazmat::primitives::asymmetric::rsa::{
    rsa_crt_dmp1, rsa_crt_dmq1, RsaPrivateNumbers, RsaPublicNumbers,
};
use crate::hazmat::primitives::asymmetric::BigUint;
use crate::hazmat::primitives::ciphers::algorithms::Aes;
use crate::hazmat::primitives::ciphers::modes::{Cbc, Ctr};
use crate::hazmat::primitives::ciphers::Cipher;
use crate::hazmat::primitives::hashes::{self, Sha256};
use crate::{Error, KeyRejectedKind, Reason, Result};

/// The cipher of an encrypted OpenSSH private key.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
/// use pluggable_crypto::hazmat::primitives::serialization::{
///     load_ssh_private_key, Encoding, PrivateFormat, SshCipher,
/// };
///
/// let key = Ed25519PrivateKey::generate()?;
/// let encryption = PrivateFormat::OpenSsh
///     .encryption_builder()?
///     .kdf_rounds(16)?
///     .ssh_cipher(SshCipher::Aes256Gcm)?
///     .build(b"correct horse")?;
/// let pem = key.private_bytes(Encoding::Pem, PrivateFormat::OpenSsh, &encryption)?;
/// assert!(pem.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----\n"));
/// let loaded = load_ssh_private_key(&pem, Some(b"correct horse"))?.into_ed25519()?;
/// assert_eq!(loaded.public_key()?, key.public_key()?);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SshCipher {
    /// aes256-ctr (ssh-keygen's default).
    Aes256Ctr,
    /// aes256-gcm@openssh.com.
    Aes256Gcm,
}

/// The most bcrypt-pbkdf rounds an OpenSSH private key may ask for, read or written. ssh-keygen
/// writes 16 by default and `-a 100` is a common hardening; 1024 rounds take seconds, and no
/// more KDF work than that is done for a file someone hands us.
pub(crate) const MAX_BCRYPT_ROUNDS: u32 = 1024;

const MAGIC: &[u8] = b"openssh-key-v1\0";
const PEM_LABEL: &str = "OPENSSH PRIVATE KEY";
const CERT_SUFFIX: &[u8] = b"-cert-v01@openssh.com";
/// ssh-keygen's base64 line length.
const PEM_COLUMNS: usize = 70;
/// The padding bytes of the private section: 1, 2, 3, ... up to the largest block (16).
const PADDING: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const AES_KEY_BYTES: usize = 32;
const AES_BLOCK_BYTES: usize = 16;
const GCM_NONCE_BYTES: usize = 12;
const GCM_TAG_BYTES: usize = 16;
/// The block size of the `none` cipher.
const NONE_BLOCK_BYTES: usize = 8;
/// OpenSSH reads and writes only 1024-bit DSA keys.
const DSA_BITS: usize = 1024;

// ---------------------------------------------------------------------------------------------
// Key types

/// The key types of OpenSSH's wire format that are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    Dsa,
    Ecdsa(EllipticCurve),
    Ed25519,
    /// `sk-ecdsa-sha2-nistp256@openssh.com`: a P-256 key and the FIDO application.
    SkEcdsa,
    /// `sk-ssh-ed25519@openssh.com`: an Ed25519 key and the FIDO application.
    SkEd25519,
}

const KINDS: [(&str, KeyKind); 8] = [
    ("ssh-rsa", KeyKind::Rsa),
    ("ssh-dss", KeyKind::Dsa),
    (
        "ecdsa-sha2-nistp256",
        KeyKind::Ecdsa(EllipticCurve::Secp256r1),
    ),
    (
        "ecdsa-sha2-nistp384",
        KeyKind::Ecdsa(EllipticCurve::Secp384r1),
    ),
    (
        "ecdsa-sha2-nistp521",
        KeyKind::Ecdsa(EllipticCurve::Secp521r1),
    ),
    ("ssh-ed25519", KeyKind::Ed25519),
    ("sk-ecdsa-sha2-nistp256@openssh.com", KeyKind::SkEcdsa),
    ("sk-ssh-ed25519@openssh.com", KeyKind::SkEd25519),
];

const SUPPORTED_TYPES: &str =
    "ssh-rsa, ssh-dss, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, \
     ssh-ed25519";

impl KeyKind {
    fn of_name(name: &[u8]) -> Result<KeyKind> {
        KINDS
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|&(_, kind)| kind)
            .ok_or_else(|| {
                Error::unsupported(
                    Reason::UnsupportedPublicKeyAlgorithm,
                    format!(
                        "the OpenSSH key type \"{}\" is not supported (supported: \
                         {SUPPORTED_TYPES}, the sk- security-key public keys and the \
                         certificates of the plain types)",
                        shown(name)
                    ),
                )
            })
    }

    fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|&&(_, kind)| kind == self)
            .map_or("?", |&(name, _)| name)
    }

    fn curve(self) -> Option<EllipticCurve> {
        match self {
            KeyKind::Ecdsa(curve) => Some(curve),
            KeyKind::SkEcdsa => Some(EllipticCurve::Secp256r1),
            _ => None,
        }
    }
}

/// The curve identifier inside an ECDSA blob (RFC 5656 section 6.1).
fn curve_identifier(curve: EllipticCurve) -> Option<&'static str> {
    match curve {
        EllipticCurve::Secp256r1 => Some("nistp256"),
        EllipticCurve::Secp384r1 => Some("nistp384"),
        EllipticCurve::Secp521r1 => Some("nistp521"),
        _ => None,
    }
}

/// At most 64 bytes of a name taken from the input, escaped, for an error message.
fn shown(name: &[u8]) -> String {
    let cut = name.get(..64).unwrap_or(name);
    let mut text = cut.escape_ascii().to_string();
    if cut.len() < name.len() {
        text.push_str("...");
    }
    text
}

fn malformed(message: impl Into<String>) -> Error {
    Error::MalformedKeyData(message.into())
}

// ---------------------------------------------------------------------------------------------
// The wire format (RFC 4251 section 5)

/// Reads the RFC 4251 types from a byte string; every length is checked against what is left
/// before anything is taken.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { rest: data }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let Some((head, tail)) = self.rest.split_at_checked(n) else {
            return Err(malformed(format!(
                "OpenSSH key: the {what} needs {n} bytes and {} are left",
                self.rest.len()
            )));
        };
        self.rest = tail;
        Ok(head)
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(self.take(4, what)?);
        Ok(u32::from_be_bytes(bytes))
    }

    fn u64(&mut self, what: &str) -> Result<u64> {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(self.take(8, what)?);
        Ok(u64::from_be_bytes(bytes))
    }

    fn string(&mut self, what: &str) -> Result<&'a [u8]> {
        let len = self.u32(what)?;
        // A u32 always fits in usize on the targets Rust supports with std, but a length that
        // does not is refused rather than truncated.
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len > self.rest.len() {
            return Err(malformed(format!(
                "OpenSSH key: the {what} claims {len} bytes and {} are left",
                self.rest.len()
            )));
        }
        self.take(len, what)
    }

    /// A non-negative `mpint` in its minimal encoding.
    fn mpint(&mut self, what: &str) -> Result<BigUint> {
        let bytes = self.string(what)?;
        match bytes {
            [] => {}
            [first, ..] if first & 0x80 != 0 => {
                return Err(malformed(format!("OpenSSH key: the {what} is negative")))
            }
            [0] | [0, 0x00..=0x7f, ..] => {
                return Err(malformed(format!(
                    "OpenSSH key: the {what} has an unnecessary leading zero byte"
                )))
            }
            _ => {}
        }
        Ok(BigUint::from_be_bytes(bytes))
    }

    fn finish(&self, what: &str) -> Result<()> {
        if !self.rest.is_empty() {
            return Err(malformed(format!(
                "OpenSSH key: {} bytes follow the {what}",
                self.rest.len()
            )));
        }
        Ok(())
    }
}

/// Writes the RFC 4251 types into a buffer that is wiped on drop, and that never leaves an
/// unwiped copy behind when it grows.
struct Writer {
    buf: Zeroizing<Vec<u8>>,
}

impl Writer {
    fn new() -> Self {
        Writer {
            buf: Zeroizing::new(Vec::with_capacity(1024)),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let needed = self.buf.len().saturating_add(bytes.len());
        if needed > self.buf.capacity() {
            let mut grown = Vec::with_capacity(needed.max(self.buf.capacity().saturating_mul(2)));
            grown.extend_from_slice(&self.buf);
            // The old buffer is wiped as it is dropped here.
            self.buf = Zeroizing::new(grown);
        }
        self.buf.extend_from_slice(bytes);
    }

    fn u32(&mut self, value: u32) {
        self.raw(&value.to_be_bytes());
    }

    fn string(&mut self, bytes: &[u8]) -> Result<()> {
        let len = u32::try_from(bytes.len())
            .map_err(|_| Error::invalid("an OpenSSH string is limited to 2^32 - 1 bytes"))?;
        self.u32(len);
        self.raw(bytes);
        Ok(())
    }

    fn mpint(&mut self, value: &BigUint) -> Result<()> {
        let magnitude = value.as_be_slice();
        let len = u32::try_from(magnitude.len())
            .ok()
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| Error::invalid("an OpenSSH mpint is limited to 2^32 - 2 bytes"))?;
        // A set top bit would read as negative: a zero byte goes first.
        if magnitude.first().is_some_and(|b| b & 0x80 != 0) {
            self.u32(len);
            self.raw(&[0]);
        } else {
            self.u32(len - 1);
        }
        self.raw(magnitude);
        Ok(())
    }

    fn len(&self) -> usize {
        self.buf.len()
    }
}

// ---------------------------------------------------------------------------------------------
// Public key fields

/// The public fields of a key blob, as read (compared between the blob and the private
/// section, then built into a key).
#[derive(PartialEq, Eq)]
enum PublicFields<'a> {
    Rsa {
        e: BigUint,
        n: BigUint,
    },
    Dsa {
        p: BigUint,
        q: BigUint,
        g: BigUint,
        y: BigUint,
    },
    Ec {
        curve: EllipticCurve,
        point: &'a [u8],
    },
    Ed25519(&'a [u8]),
}

/// The public fields of a key of `kind`, after its type name. The security-key types are
/// followed by their application string, which is read and checked too.
fn read_public<'a>(kind: KeyKind, r: &mut Reader<'a>) -> Result<PublicFields<'a>> {
    let fields = match kind {
        KeyKind::Rsa => {
            let e = r.mpint("RSA public exponent")?;
            let n = r.mpint("RSA modulus")?;
            PublicFields::Rsa { e, n }
        }
        KeyKind::Dsa => {
            let p = r.mpint("DSA p")?;
            let q = r.mpint("DSA q")?;
            let g = r.mpint("DSA g")?;
            let y = r.mpint("DSA y")?;
            if p.bits() != DSA_BITS {
                return Err(malformed(format!(
                    "OpenSSH DSA keys have a {DSA_BITS}-bit p, and this one's is {} bits",
                    p.bits()
                )));
            }
            PublicFields::Dsa { p, q, g, y }
        }
        KeyKind::Ecdsa(_) | KeyKind::SkEcdsa => {
            let curve = kind.curve().unwrap_or(EllipticCurve::Secp256r1);
            let identifier = r.string("ECDSA curve name")?;
            if Some(identifier) != curve_identifier(curve).map(str::as_bytes) {
                return Err(malformed(format!(
                    "OpenSSH key: the curve \"{}\" does not match the key type {}",
                    shown(identifier),
                    kind.name()
                )));
            }
            let point = r.string("ECDSA point")?;
            if point.first() != Some(&4) {
                return Err(Error::unsupported(
                    Reason::UnsupportedSerialization,
                    "OpenSSH ECDSA keys are read with uncompressed points only",
                ));
            }
            PublicFields::Ec { curve, point }
        }
        KeyKind::Ed25519 | KeyKind::SkEd25519 => {
            let point = r.string("Ed25519 public key")?;
            if point.len() != 32 {
                return Err(malformed(format!(
                    "OpenSSH key: the Ed25519 public key is {} bytes, not 32",
                    point.len()
                )));
            }
            PublicFields::Ed25519(point)
        }
    };
    if matches!(kind, KeyKind::SkEcdsa | KeyKind::SkEd25519) {
        let application = r.string("security-key application")?;
        if !application.starts_with(b"ssh:") {
            return Err(malformed(
                "OpenSSH key: the security-key application does not start with \"ssh:\"",
            ));
        }
    }
    Ok(fields)
}

fn build_public(builder: &Builder, fields: PublicFields<'_>) -> Result<PublicKeyTypes> {
    match fields {
        PublicFields::Rsa { e, n } => builder.rsa_public(e, n),
        PublicFields::Dsa { p, q, g, y } => {
            builder.dsa_public(DsaParameterNumbers::new(p, q, g), y)
        }
        PublicFields::Ec { curve, point } => builder.ec_public(curve, point),
        PublicFields::Ed25519(point) => builder.raw_public(RawAlgorithm::Ed25519, point),
    }
}

// ---------------------------------------------------------------------------------------------
// Private keys: reading

/// The ciphers of encrypted private keys that are read: AES-256 in three modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyCipher {
    Ctr,
    Cbc,
    Gcm,
}

impl KeyCipher {
    fn of_name(name: &[u8]) -> Result<KeyCipher> {
        Ok(match name {
            b"aes256-ctr" => KeyCipher::Ctr,
            b"aes256-cbc" => KeyCipher::Cbc,
            b"aes256-gcm@openssh.com" => KeyCipher::Gcm,
            other => {
                return Err(Error::unsupported(
                    Reason::UnsupportedSerialization,
                    format!(
                        "the OpenSSH private key cipher \"{}\" is not supported (supported: \
                         none, aes256-ctr, aes256-cbc, aes256-gcm@openssh.com)",
                        shown(other)
                    ),
                ))
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            KeyCipher::Ctr => "aes256-ctr",
            KeyCipher::Cbc => "aes256-cbc",
            KeyCipher::Gcm => "aes256-gcm@openssh.com",
        }
    }

    fn iv_len(self) -> usize {
        match self {
            KeyCipher::Gcm => GCM_NONCE_BYTES,
            _ => AES_BLOCK_BYTES,
        }
    }
}

/// bcrypt-pbkdf's key and IV for `cipher`, wiped on drop.
fn derive_key_iv(
    cipher: KeyCipher,
    password: &[u8],
    salt: &[u8],
    rounds: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    if rounds == 0 || rounds > MAX_BCRYPT_ROUNDS {
        return Err(malformed(format!(
            "OpenSSH key: {rounds} bcrypt rounds is outside 1 to {MAX_BCRYPT_ROUNDS}"
        )));
    }
    let mut out = Zeroizing::new(vec![0u8; AES_KEY_BYTES + cipher.iv_len()]);
    bcrypt_pbkdf::bcrypt_pbkdf(password, salt, rounds, &mut out).map_err(|e| {
        malformed(format!(
            "OpenSSH key: bcrypt-pbkdf refused its parameters: {e}"
        ))
    })?;
    Ok(out)
}

/// Decrypts the private section; `tag` is the GCM tag (empty for the other ciphers).
fn decrypt_section(
    cipher: KeyCipher,
    key_iv: &[u8],
    data: &[u8],
    tag: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let (key, iv) = key_iv
        .split_at_checked(AES_KEY_BYTES)
        .ok_or_else(|| Error::Backend("bcrypt-pbkdf gave a short key".into()))?;
    let plain = match cipher {
        KeyCipher::Gcm => {
            let mut sealed = Vec::with_capacity(data.len() + tag.len());
            sealed.extend_from_slice(data);
            sealed.extend_from_slice(tag);
            // OpenSSH authenticates no additional data for key files.
            match AesGcm::new(key)?.decrypt(iv, &sealed, b"") {
                Ok(plain) => Zeroizing::new(plain),
                Err(Error::InvalidTag) => return Err(Error::IncorrectPassword),
                Err(other) => return Err(other),
            }
        }
        KeyCipher::Ctr | KeyCipher::Cbc => {
            let c = if cipher == KeyCipher::Ctr {
                Cipher::new(Aes::new(key)?, Ctr::new(iv)?)?
            } else {
                Cipher::new(Aes::new(key)?, Cbc::new(iv)?)?
            };
            let mut ctx = c.decryptor()?;
            let plain = Zeroizing::new(ctx.update(data)?);
            // The data is whole blocks, so nothing is held back for finalize.
            if !Zeroizing::new(ctx.finalize()?).is_empty() || plain.len() != data.len() {
                return Err(Error::Backend(format!(
                    "{} decryption returned an unexpected length",
                    cipher.name()
                )));
            }
            plain
        }
    };
    Ok(plain)
}

fn check_blocks(data: &[u8], block: usize) -> Result<()> {
    if data.is_empty() || !data.len().is_multiple_of(block) {
        return Err(malformed(format!(
            "OpenSSH key: the private section is {} bytes, not a whole number of {block}-byte \
             blocks",
            data.len()
        )));
    }
    Ok(())
}

/// An `openssh-key-v1` private key from the first `OPENSSH PRIVATE KEY` PEM block of `data`.
pub(crate) fn load_private_key(
    builder: &Builder,
    data: &[u8],
    password: Option<&[u8]>,
) -> Result<PrivateKeyTypes> {
    let blocks = pem::parse_blocks(data)?;
    let block = blocks
        .iter()
        .find(|b| b.label == PEM_LABEL)
        .ok_or_else(|| malformed(format!("no PEM block labelled {PEM_LABEL} was found")))?;
    let body = block
        .body
        .strip_prefix(MAGIC)
        .ok_or_else(|| malformed("the OPENSSH PRIVATE KEY block does not hold openssh-key-v1"))?;
    // As pyca, an empty password is no password.
    let password = password.filter(|p| !p.is_empty());

    let mut r = Reader::new(body);
    let cipher_name = r.string("cipher name")?;
    let kdf_name = r.string("KDF name")?;
    let kdf_options = r.string("KDF options")?;
    let count = r.u32("number of keys")?;
    if count != 1 {
        return Err(malformed(format!(
            "the OpenSSH private key file holds {count} keys; only files with one key are read"
        )));
    }
    let mut public = Reader::new(r.string("public key")?);
    let type_name = public.string("public key type")?;
    let kind = KeyKind::of_name(type_name)?;
    if matches!(kind, KeyKind::SkEcdsa | KeyKind::SkEd25519) {
        return Err(Error::unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            format!(
                "{} private keys live on a security key and cannot be loaded",
                kind.name()
            ),
        ));
    }
    let public_fields = read_public(kind, &mut public)?;
    public.finish("public key")?;

    let encrypted = (cipher_name, kdf_name) != (b"none".as_slice(), b"none".as_slice());
    let plain: Zeroizing<Vec<u8>> = if encrypted {
        let cipher = KeyCipher::of_name(cipher_name)?;
        if kdf_name != b"bcrypt" {
            return Err(Error::unsupported(
                Reason::UnsupportedSerialization,
                format!(
                    "the OpenSSH private key KDF \"{}\" is not supported (supported: bcrypt)",
                    shown(kdf_name)
                ),
            ));
        }
        let section = r.string("private section")?;
        // The GCM tag follows the section, outside its length.
        let tag = if cipher == KeyCipher::Gcm {
            let tag = r.take(GCM_TAG_BYTES, "GCM tag")?;
            r.finish("GCM tag")?;
            tag
        } else {
            r.finish("private section")?;
            &[]
        };
        check_blocks(section, AES_BLOCK_BYTES)?;
        let mut options = Reader::new(kdf_options);
        let salt = options.string("bcrypt salt")?;
        let rounds = options.u32("bcrypt rounds")?;
        options.finish("bcrypt options")?;
        let password = password.ok_or(Error::PasswordRequired)?;
        let key_iv = derive_key_iv(cipher, password, salt, rounds)?;
        decrypt_section(cipher, &key_iv, section, tag)?
    } else {
        if password.is_some() {
            return Err(Error::PasswordNotExpected);
        }
        let section = r.string("private section")?;
        r.finish("private section")?;
        check_blocks(section, NONE_BLOCK_BYTES)?;
        Zeroizing::new(section.to_vec())
    };

    let mut s = Reader::new(&plain);
    let check1 = s.u32("check integer")?;
    let check2 = s.u32("check integer")?;
    if check1 != check2 {
        return Err(if encrypted {
            Error::IncorrectPassword
        } else {
            malformed("OpenSSH key: the check integers of the private section differ")
        });
    }
    let private_type = s.string("private key type")?;
    if private_type != type_name {
        return Err(malformed(format!(
            "OpenSSH key: the private key is \"{}\" and the public key {}",
            shown(private_type),
            kind.name()
        )));
    }
    let key = read_private(builder, kind, public_fields, &mut s)?;
    let _comment = s.string("comment")?;
    // As OpenSSH, the padding is checked after the rest has parsed.
    let padding = s.rest;
    if PADDING.get(..padding.len()) != Some(padding) {
        return Err(malformed(
            "OpenSSH key: the padding of the private section is not 1, 2, 3, ...",
        ));
    }
    Ok(key)
}

fn mismatch(kind: KeyKind) -> Error {
    Error::key_rejected(
        KeyRejectedKind::InconsistentComponents,
        match kind {
            KeyKind::Rsa => "OpenSSH RSA key (the public key blob is another key's)",
            KeyKind::Dsa => "OpenSSH DSA key (the public key blob is another key's)",
            KeyKind::Ed25519 => "OpenSSH Ed25519 key (the public key is another key's)",
            _ => "OpenSSH ECDSA key (the public key blob is another key's)",
        },
    )
}

/// The private key fields after the type name, checked against the public key blob.
fn read_private(
    builder: &Builder,
    kind: KeyKind,
    public: PublicFields<'_>,
    s: &mut Reader<'_>,
) -> Result<PrivateKeyTypes> {
    match kind {
        KeyKind::Rsa => {
            let n = s.mpint("RSA modulus")?;
            let e = s.mpint("RSA public exponent")?;
            let d = s.mpint("RSA private exponent")?;
            let iqmp = s.mpint("RSA iqmp")?;
            let p = s.mpint("RSA p")?;
            let q = s.mpint("RSA q")?;
            if public
                != (PublicFields::Rsa {
                    e: e.clone(),
                    n: n.clone(),
                })
            {
                return Err(mismatch(kind));
            }
            let dmp1 = rsa_crt_dmp1(&d, &p)?;
            let dmq1 = rsa_crt_dmq1(&d, &q)?;
            builder.rsa_private(RsaPrivateNumbers::new(
                p,
                q,
                d,
                dmp1,
                dmq1,
                iqmp,
                RsaPublicNumbers::new(e, n),
            ))
        }
        KeyKind::Dsa => {
            let inner = read_public(kind, s)?;
            let x = s.mpint("DSA x")?;
            if inner != public {
                return Err(mismatch(kind));
            }
            let PublicFields::Dsa { p, q, g, y } = inner else {
                return Err(mismatch(kind));
            };
            builder.dsa_private(DsaParameterNumbers::new(p, q, g), x, Some(y))
        }
        KeyKind::Ecdsa(curve) => {
            let inner = read_public(kind, s)?;
            let scalar = s.mpint("ECDSA private value")?;
            if inner != public {
                return Err(mismatch(kind));
            }
            let PublicFields::Ec { point, .. } = inner else {
                return Err(mismatch(kind));
            };
            let scalar =
                Zeroizing::new(scalar.to_be_bytes_padded(curve.scalar_bytes()).ok_or_else(
                    || {
                        malformed(format!(
                            "OpenSSH key: the ECDSA private value is wider than {}",
                            curve.name()
                        ))
                    },
                )?);
            builder.ec_private(curve, &scalar, Some(point))
        }
        KeyKind::Ed25519 => {
            let inner = read_public(kind, s)?;
            let pair = s.string("Ed25519 private key")?;
            let Some((seed, point)) = pair.split_at_checked(32).filter(|(_, p)| p.len() == 32)
            else {
                return Err(malformed(format!(
                    "OpenSSH key: the Ed25519 private key is {} bytes, not 64",
                    pair.len()
                )));
            };
            if inner != public || PublicFields::Ed25519(point) != public {
                return Err(mismatch(kind));
            }
            let key = builder.raw_private(RawAlgorithm::Ed25519, seed)?;
            // The stored public key must be the seed's, not only equal to the blob.
            let derived = match &key {
                PrivateKeyTypes::Ed25519(k) => k.public_key()?.public_bytes_raw(),
                _ => Vec::new(),
            };
            if derived.as_slice() != point {
                return Err(mismatch(kind));
            }
            Ok(key)
        }
        KeyKind::SkEcdsa | KeyKind::SkEd25519 => Err(Error::unsupported(
            Reason::UnsupportedPublicKeyAlgorithm,
            format!("{} private keys cannot be loaded", kind.name()),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Public keys: reading

/// Splits `<type> <base64> [comment]` as pyca does: the type from the first byte, spaces or
/// tabs, the base64; anything after the next whitespace is the comment, ignored.
fn split_line(data: &[u8]) -> Result<(&[u8], &[u8])> {
    let space = |b: &u8| b" \t\n\r\x0b\x0c".contains(b);
    let type_end = data.iter().position(space).unwrap_or(data.len());
    let (key_type, rest) = data.split_at(type_end);
    let gap = rest
        .iter()
        .position(|b| *b != b' ' && *b != b'\t')
        .unwrap_or(rest.len());
    let (_, rest) = rest.split_at(gap);
    let body_end = rest.iter().position(space).unwrap_or(rest.len());
    let (body, _comment) = rest.split_at(body_end);
    if key_type.is_empty() || gap == 0 || body.is_empty() {
        return Err(malformed(
            "an OpenSSH public key is a line \"<type> <base64> [comment]\"",
        ));
    }
    Ok((key_type, body))
}

/// An OpenSSH public key line, or the certified key of a certificate line.
pub(crate) fn load_public_key(builder: &Builder, data: &[u8]) -> Result<PublicKeyTypes> {
    if data.len() > pem::MAX_INPUT {
        return Err(malformed(format!(
            "the input is {} bytes; key input is limited to {} bytes",
            data.len(),
            pem::MAX_INPUT
        )));
    }
    let (text_type, body) = split_line(data)?;
    let (base_type, certificate) = match text_type.strip_suffix(CERT_SUFFIX) {
        Some(base) => (base, true),
        None => (text_type, false),
    };
    let kind = KeyKind::of_name(base_type)?;
    let blob = data_encoding::BASE64
        .decode(body)
        .map_err(|_| malformed("the OpenSSH public key is not valid base64"))?;
    let mut r = Reader::new(&blob);
    let blob_type = r.string("key type")?;
    if blob_type != text_type {
        return Err(malformed(format!(
            "the OpenSSH public key line says \"{}\" and its blob \"{}\"",
            shown(text_type),
            shown(blob_type)
        )));
    }
    if certificate {
        r.string("certificate nonce")?;
    }
    let fields = read_public(kind, &mut r)?;
    if certificate {
        read_certificate_fields(&mut r)?;
    }
    r.finish(if certificate {
        "certificate"
    } else {
        "public key"
    })?;
    build_public(builder, fields)
}

/// The fields of a certificate after the certified key (PROTOCOL.certkeys), through the
/// signature.
fn read_certificate_fields(r: &mut Reader<'_>) -> Result<()> {
    r.u64("certificate serial")?;
    let cert_type = r.u32("certificate type")?;
    if cert_type != 1 && cert_type != 2 {
        return Err(malformed(format!(
            "OpenSSH certificate type {cert_type} (must be 1, user, or 2, host)"
        )));
    }
    r.string("certificate key id")?;
    let mut principals = Reader::new(r.string("certificate principals")?);
    while !principals.is_empty() {
        principals.string("certificate principal")?;
    }
    r.u64("certificate valid-after time")?;
    r.u64("certificate valid-before time")?;
    read_options(r.string("certificate critical options")?, "critical option")?;
    read_options(r.string("certificate extensions")?, "extension")?;
    r.string("certificate reserved field")?;
    let mut signature_key = Reader::new(r.string("certificate signature key")?);
    let key_type = signature_key.string("signature key type")?;
    let mut signature = Reader::new(r.string("certificate signature")?);
    let signature_type = signature.string("signature type")?;
    // An RSA key signs as ssh-rsa (SHA-1), rsa-sha2-256 or rsa-sha2-512; the others under
    // their own name.
    let fits = if key_type == b"ssh-rsa" {
        [b"ssh-rsa".as_slice(), b"rsa-sha2-256", b"rsa-sha2-512"].contains(&signature_type)
    } else {
        signature_type == key_type
    };
    if !fits {
        return Err(malformed(format!(
            "the OpenSSH certificate's signature type \"{}\" does not fit its signature key \
             type \"{}\"",
            shown(signature_type),
            shown(key_type)
        )));
    }
    signature.string("signature blob")?;
    signature.finish("certificate signature")
}

/// Critical options or extensions: names in strictly increasing order, each value empty or
/// exactly one string.
fn read_options(data: &[u8], what: &str) -> Result<()> {
    let mut r = Reader::new(data);
    let mut last: Option<&[u8]> = None;
    while !r.is_empty() {
        let name = r.string(what)?;
        match last {
            Some(previous) if name == previous => {
                return Err(malformed(format!(
                    "the OpenSSH certificate repeats the {what} \"{}\"",
                    shown(name)
                )))
            }
            Some(previous) if name < previous => {
                return Err(malformed(format!(
                    "the OpenSSH certificate's {what}s are not in lexical order"
                )))
            }
            _ => {}
        }
        let value = r.string(what)?;
        if !value.is_empty() {
            let mut inner = Reader::new(value);
            inner.string(what)?;
            inner.finish(&format!("{what} value"))?;
        }
        last = Some(name);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writing

const WRITTEN_TYPES: &str =
    "OpenSSH keys are RSA, DSA (public keys only), ECDSA on P-256, P-384 or P-521, and Ed25519";

fn ecdsa_type(curve: EllipticCurve) -> Result<(&'static str, &'static str)> {
    match (
        KINDS.iter().find(|(_, k)| *k == KeyKind::Ecdsa(curve)),
        curve_identifier(curve),
    ) {
        (Some((name, _)), Some(identifier)) => Ok((name, identifier)),
        _ => Err(Error::invalid(format!(
            "OpenSSH ECDSA keys are on P-256, P-384 or P-521, not {}",
            curve.name()
        ))),
    }
}

/// The public key blob: the type name, then the public fields. Returns the type name.
fn put_public(w: &mut Writer, key: &PublicKeyTypes) -> Result<&'static str> {
    match key {
        PublicKeyTypes::Rsa(k) => {
            let n = k.public_numbers();
            w.string(b"ssh-rsa")?;
            w.mpint(&n.e)?;
            w.mpint(&n.n)?;
            Ok("ssh-rsa")
        }
        PublicKeyTypes::Dsa(k) => {
            let n = k.public_numbers();
            let params = &n.parameter_numbers;
            if params.p.bits() != DSA_BITS {
                return Err(Error::invalid(format!(
                    "OpenSSH DSA keys have a {DSA_BITS}-bit p, and this one's is {} bits",
                    params.p.bits()
                )));
            }
            w.string(b"ssh-dss")?;
            w.mpint(&params.p)?;
            w.mpint(&params.q)?;
            w.mpint(&params.g)?;
            w.mpint(&n.y)?;
            Ok("ssh-dss")
        }
        PublicKeyTypes::Ec(k) => {
            let (name, identifier) = ecdsa_type(k.curve())?;
            w.string(name.as_bytes())?;
            w.string(identifier.as_bytes())?;
            w.string(&k.public_bytes_x962(false)?)?;
            Ok(name)
        }
        PublicKeyTypes::Ed25519(k) => {
            w.string(b"ssh-ed25519")?;
            w.string(&k.public_bytes_raw())?;
            Ok("ssh-ed25519")
        }
        other => Err(Error::invalid(format!(
            "{} keys have no OpenSSH form; {WRITTEN_TYPES}",
            other.algorithm_name()
        ))),
    }
}

/// The private key in the private section: the type name, then the private fields.
fn put_private(w: &mut Writer, key: &PrivateKeyTypes) -> Result<()> {
    match key {
        PrivateKeyTypes::Rsa(k) => {
            let n = k.private_numbers()?;
            w.string(b"ssh-rsa")?;
            w.mpint(&n.public_numbers.n)?;
            w.mpint(&n.public_numbers.e)?;
            w.mpint(&n.d)?;
            w.mpint(&n.iqmp)?;
            w.mpint(&n.p)?;
            w.mpint(&n.q)?;
        }
        PrivateKeyTypes::Ec(k) => {
            let (name, identifier) = ecdsa_type(k.curve())?;
            let n = k.private_numbers()?;
            w.string(name.as_bytes())?;
            w.string(identifier.as_bytes())?;
            w.string(&k.public_key()?.public_bytes_x962(false)?)?;
            w.mpint(&n.private_value)?;
        }
        PrivateKeyTypes::Ed25519(k) => {
            let seed = k.private_bytes_raw()?;
            let point = k.public_key()?.public_bytes_raw();
            let mut pair = Zeroizing::new(Vec::with_capacity(seed.len() + point.len()));
            pair.extend_from_slice(&seed);
            pair.extend_from_slice(&point);
            w.string(b"ssh-ed25519")?;
            w.string(&point)?;
            w.string(&pair)?;
        }
        PrivateKeyTypes::Dsa(_) => {
            return Err(Error::invalid(
                "DSA keys are not written as OpenSSH private keys (OpenSSH no longer accepts \
                 them by default); OpenSSH private keys are written for RSA, ECDSA on P-256, \
                 P-384 or P-521, and Ed25519",
            ))
        }
        other => {
            return Err(Error::invalid(format!(
                "{} keys have no OpenSSH form; OpenSSH private keys are written for RSA, ECDSA \
                 on P-256, P-384 or P-521, and Ed25519",
                other.algorithm_name()
            )))
        }
    }
    Ok(())
}

/// `blob` as an `OPENSSH PRIVATE KEY` PEM block with ssh-keygen's 70-column lines.
fn pem_wrap(blob: &[u8]) -> Zeroizing<Vec<u8>> {
    const BEGIN: &[u8] = b"-----BEGIN OPENSSH PRIVATE KEY-----\n";
    const END: &[u8] = b"-----END OPENSSH PRIVATE KEY-----\n";
    let text = Zeroizing::new(data_encoding::BASE64.encode(blob));
    let lines = text.len().div_ceil(PEM_COLUMNS);
    // Sized up front, so that the key text is never copied by a reallocation.
    let mut out = Zeroizing::new(Vec::with_capacity(
        BEGIN.len() + text.len() + lines + END.len(),
    ));
    out.extend_from_slice(BEGIN);
    for line in text.as_bytes().chunks(PEM_COLUMNS) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(END);
    out
}

/// `key` as an `openssh-key-v1` PEM block: unencrypted without a password, else under
/// bcrypt-pbkdf with `rounds` and `cipher`.
pub(crate) fn encode_private_key(
    key: &PrivateKeyTypes,
    password: Option<&[u8]>,
    rounds: u32,
    cipher: SshCipher,
) -> Result<Zeroizing<Vec<u8>>> {
    if password.is_some_and(<[u8]>::is_empty) {
        return Err(Error::invalid("the password must be at least 1 byte"));
    }
    if password.is_some() && !(1..=MAX_BCRYPT_ROUNDS).contains(&rounds) {
        return Err(Error::invalid(format!(
            "OpenSSH keys take 1 to {MAX_BCRYPT_ROUNDS} bcrypt rounds, got {rounds}"
        )));
    }
    let mut section = Writer::new();
    let mut check = [0u8; 4];
    crate::random::fill(&mut check)?;
    section.raw(&check);
    section.raw(&check);
    put_private(&mut section, key)?;
    section.string(b"")?;
    let block = if password.is_some() {
        AES_BLOCK_BYTES
    } else {
        NONE_BLOCK_BYTES
    };
    // As ssh-keygen: 1, 2, 3, ... up to the next whole block.
    let padding = (block - section.len() % block) % block;
    section.raw(PADDING.get(..padding).unwrap_or(&[]));

    let mut public = Writer::new();
    put_public(&mut public, &key.public_key()?)?;

    let mut out = Writer::new();
    out.raw(MAGIC);
    let section_len = u32::try_from(section.len())
        .map_err(|_| Error::invalid("the OpenSSH private section is too large"))?;
    match password {
        None => {
            out.string(b"none")?;
            out.string(b"none")?;
            out.string(b"")?;
            out.u32(1);
            out.string(&public.buf)?;
            out.string(&section.buf)?;
        }
        Some(password) => {
            let mut salt = [0u8; 16];
            crate::random::fill(&mut salt)?;
            let (kind, name) = match cipher {
                SshCipher::Aes256Ctr => (KeyCipher::Ctr, "aes256-ctr"),
                SshCipher::Aes256Gcm => (KeyCipher::Gcm, "aes256-gcm@openssh.com"),
            };
            let key_iv = derive_key_iv(kind, password, &salt, rounds)
                .map_err(|e| Error::invalid(format!("bcrypt-pbkdf failed: {e}")))?;
            let (aes_key, iv) = key_iv
                .split_at_checked(AES_KEY_BYTES)
                .ok_or_else(|| Error::Backend("bcrypt-pbkdf gave a short key".into()))?;
            // The ciphertext, and for GCM the tag after it.
            let sealed = match kind {
                KeyCipher::Gcm => AesGcm::new(aes_key)?.encrypt(iv, &section.buf, b"")?,
                _ => {
                    let mut ctx = Cipher::new(Aes::new(aes_key)?, Ctr::new(iv)?)?.encryptor()?;
                    let mut sealed = ctx.update(&section.buf)?;
                    sealed.extend_from_slice(&ctx.finalize()?);
                    sealed
                }
            };
            let mut options = Writer::new();
            options.string(&salt)?;
            options.u32(rounds);
            out.string(name.as_bytes())?;
            out.string(b"bcrypt")?;
            out.string(&options.buf)?;
            out.u32(1);
            out.string(&public.buf)?;
            // The length covers the section; a GCM tag follows it.
            out.u32(section_len);
            out.raw(&sealed);
        }
    }
    Ok(pem_wrap(&out.buf))
}

/// The public key wire blob (RFC 4253 section 6.6).
fn public_blob(key: &PublicKeyTypes) -> Result<(&'static str, Vec<u8>)> {
    let mut w = Writer::new();
    let name = put_public(&mut w, key)?;
    Ok((name, w.buf.to_vec()))
}

/// The public key line `<type> <base64>`, without comment or newline (as pyca writes it).
pub(crate) fn encode_public_key(key: &PublicKeyTypes) -> Result<Vec<u8>> {
    let (name, blob) = public_blob(key)?;
    Ok(format!("{name} {}", data_encoding::BASE64.encode(&blob)).into_bytes())
}

/// The SHA-256 fingerprint of `key` as `ssh-keygen -l` prints it: `SHA256:` and the unpadded
/// base64 of the SHA-256 of the key's SSH wire encoding. RSA, DSA, ECDSA (P-256, P-384,
/// P-521) and Ed25519 keys have one; other types are `InvalidArgument`.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::serialization::{
///     load_ssh_public_key, ssh_key_fingerprint,
/// };
///
/// let key = load_ssh_public_key(
///     b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGc3DXbN2au/hD0kg3/PU7KsFjKKVGCstitQ9joO510h user@host",
/// )?;
/// assert_eq!(
///     ssh_key_fingerprint(&key)?,
///     "SHA256:NtoeLDKhTVo35gjJ20aPiS3pwTpdElQ9Bb3J8WnEb/U"
/// );
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn ssh_key_fingerprint(key: &PublicKeyTypes) -> Result<String> {
    let (_, blob) = public_blob(key)?;
    let digest = hashes::hash(Sha256, &blob)?;
    Ok(format!(
        "SHA256:{}",
        data_encoding::BASE64_NOPAD.encode(&digest)
    ))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::sync::OnceLock;

    use serde_json::{json, Value};

    use super::*;
    use crate::hazmat::backends::default_backend;
    use crate::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
    use crate::hazmat::primitives::asymmetric::x25519::X25519PrivateKey;
    use crate::hazmat::primitives::asymmetric::{ec, rsa};
    use crate::hazmat::primitives::serialization::{Encoding, PrivateFormat};

    fn builder() -> Builder {
        Builder {
            backend: default_backend(),
            unsafe_skip_rsa_key_validation: false,
        }
    }

    fn vectors() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")
    }

    fn hex(bytes: &[u8]) -> String {
        data_encoding::HEXLOWER.encode(bytes)
    }

    /// A private key's numbers in the shape of pyca's manifest.
    fn private_numbers(key: &PrivateKeyTypes) -> Value {
        match key {
            PrivateKeyTypes::Rsa(k) => {
                let n = k.private_numbers().unwrap();
                json!({"type": "rsa-private", "n": n.public_numbers.n.to_hex(),
                    "e": n.public_numbers.e.to_hex(), "d": n.d.to_hex(), "p": n.p.to_hex(),
                    "q": n.q.to_hex(), "dmp1": n.dmp1.to_hex(), "dmq1": n.dmq1.to_hex(),
                    "iqmp": n.iqmp.to_hex()})
            }
            PrivateKeyTypes::Ec(k) => {
                let n = k.private_numbers().unwrap();
                json!({"type": "ec-private", "curve": k.curve().name(),
                    "x": n.public_numbers.x.to_hex(), "y": n.public_numbers.y.to_hex(),
                    "private_value": n.private_value.to_hex()})
            }
            PrivateKeyTypes::Ed25519(k) => json!({"type": "ed25519-private",
                "private": hex(&k.private_bytes_raw().unwrap()),
                "public": hex(&k.public_key().unwrap().public_bytes_raw())}),
            PrivateKeyTypes::Dsa(k) => {
                let n = k.private_numbers().unwrap();
                let params = &n.public_numbers.parameter_numbers;
                json!({"type": "dsa-private", "p": params.p.to_hex(), "q": params.q.to_hex(),
                    "g": params.g.to_hex(), "y": n.public_numbers.y.to_hex(), "x": n.x.to_hex()})
            }
            other => panic!("unexpected key type {}", other.algorithm_name()),
        }
    }

    /// A public key's numbers in the shape of pyca's manifest.
    fn public_numbers(key: &PublicKeyTypes) -> Value {
        match key {
            PublicKeyTypes::Rsa(k) => {
                let n = k.public_numbers();
                json!({"type": "rsa-public", "n": n.n.to_hex(), "e": n.e.to_hex()})
            }
            PublicKeyTypes::Ec(k) => {
                let n = k.public_numbers().unwrap();
                json!({"type": "ec-public", "curve": k.curve().name(), "x": n.x.to_hex(),
                    "y": n.y.to_hex()})
            }
            PublicKeyTypes::Ed25519(k) => {
                json!({"type": "ed25519-public", "public": hex(&k.public_bytes_raw())})
            }
            PublicKeyTypes::Dsa(k) => {
                let n = k.public_numbers();
                let params = &n.parameter_numbers;
                json!({"type": "dsa-public", "p": params.p.to_hex(), "q": params.q.to_hex(),
                    "g": params.g.to_hex(), "y": n.y.to_hex()})
            }
            other => panic!("unexpected key type {}", other.algorithm_name()),
        }
    }

    /// Whether our error is of the class pyca raised.
    fn same_class(pyca: &str, ours: &Error) -> bool {
        match pyca {
            "TypeError" => matches!(ours, Error::PasswordRequired | Error::PasswordNotExpected),
            "UnsupportedAlgorithm" => ours.is_unsupported(),
            "ValueError" => matches!(
                ours,
                Error::MalformedKeyData(_) | Error::KeyRejected(_) | Error::IncorrectPassword
            ),
            _ => false,
        }
    }

    /// Every attempt of pyca 50.0.2's `load_ssh_private_key` and `load_ssh_public_key` in the
    /// manifest, on every file it lists: the same keys load with the same numbers, and what
    /// pyca rejects we reject, with the matching error class.
    #[test]
    fn pyca_manifest_agrees() {
        let text = std::fs::read_to_string(vectors().join("asymmetric/key-files.json")).unwrap();
        let manifest: Value = serde_json::from_str(&text).unwrap();
        let b = builder();
        let mut failures = Vec::new();
        let (mut loaded, mut rejected, mut openssh_files) = (0, 0, 0);
        for (path, attempts) in manifest["files"].as_object().unwrap() {
            let attempts: Vec<&Value> = attempts
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["loader"].as_str().unwrap().starts_with("load_ssh_"))
                .collect();
            if attempts.is_empty() {
                continue;
            }
            if path.starts_with("asymmetric/OpenSSH/") {
                openssh_files += 1;
            }
            let data = std::fs::read(vectors().join(path)).unwrap();
            for attempt in attempts {
                let loader = attempt["loader"].as_str().unwrap();
                let password = attempt["password"].as_str().map(str::as_bytes);
                let ours = if loader == "load_ssh_private_key" {
                    load_private_key(&b, &data, password).map(|k| private_numbers(&k))
                } else {
                    assert_eq!(loader, "load_ssh_public_key");
                    load_public_key(&b, &data).map(|k| public_numbers(&k))
                };
                let label = format!("{path} {loader} password={:?}", attempt["password"]);
                match (attempt["ok"].as_bool().unwrap(), ours) {
                    (true, Ok(numbers)) if numbers == attempt["key"] => loaded += 1,
                    (true, Ok(numbers)) => failures.push(format!(
                        "{label}: numbers differ: ours {numbers}, pyca {}",
                        attempt["key"]
                    )),
                    (true, Err(e)) => failures.push(format!("{label}: pyca loads, we fail: {e}")),
                    (false, Ok(_)) => failures.push(format!(
                        "{label}: pyca fails ({}), we load",
                        attempt["message"]
                    )),
                    (false, Err(e)) => {
                        let class = attempt["error"].as_str().unwrap();
                        if same_class(class, &e) {
                            rejected += 1;
                        } else {
                            failures.push(format!(
                                "{label}: pyca {class} ({}), ours {e:?}",
                                attempt["message"]
                            ));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // 46 OpenSSH files: 9 private keys and 25 public keys or certificates load, in pyca
        // as here; the 1760 other attempts (these files with the other loader or password,
        // and every other text key file) fail in both.
        assert_eq!(openssh_files, 46, "OpenSSH files in the manifest");
        // And the manifest lists every file of the folder (but the script that made them).
        let files = manifest["files"].as_object().unwrap();
        let dir = vectors().join("asymmetric/OpenSSH");
        for sub in [dir.clone(), dir.join("certs")] {
            for entry in std::fs::read_dir(&sub).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() && !path.ends_with("gen.sh") {
                    let name = path.strip_prefix(vectors()).unwrap().to_str().unwrap();
                    assert!(files.contains_key(name), "{name} is not in the manifest");
                }
            }
        }
        assert_eq!(
            (loaded, rejected),
            (34, 1760),
            "keys loaded, attempts rejected"
        );
    }

    // -----------------------------------------------------------------------------------------
    // Round trips

    fn rsa_key() -> PrivateKeyTypes {
        static KEY: OnceLock<PrivateKeyTypes> = OnceLock::new();
        KEY.get_or_init(|| PrivateKeyTypes::Rsa(rsa::generate_private_key(65537, 2048).unwrap()))
            .clone()
    }

    fn keys() -> Vec<PrivateKeyTypes> {
        let mut keys = vec![rsa_key()];
        for curve in [
            EllipticCurve::Secp256r1,
            EllipticCurve::Secp384r1,
            EllipticCurve::Secp521r1,
        ] {
            keys.push(PrivateKeyTypes::Ec(
                ec::generate_private_key(curve).unwrap(),
            ));
        }
        keys.push(PrivateKeyTypes::Ed25519(
            Ed25519PrivateKey::generate().unwrap(),
        ));
        keys
    }

    fn body_lines(pem: &[u8]) -> Vec<&str> {
        let text = std::str::from_utf8(pem).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first(), Some(&"-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert_eq!(lines.last(), Some(&"-----END OPENSSH PRIVATE KEY-----"));
        assert!(text.ends_with("-----\n"));
        lines.remove(0);
        lines.pop();
        lines
    }

    #[test]
    fn private_keys_round_trip() {
        let b = builder();
        for key in keys() {
            let expected = private_numbers(&key);
            let plain = encode_private_key(&key, None, 16, SshCipher::Aes256Ctr).unwrap();
            let lines = body_lines(&plain);
            let (last, full) = lines.split_last().unwrap();
            assert!(full.iter().all(|l| l.len() == PEM_COLUMNS) && last.len() <= PEM_COLUMNS);
            assert_eq!(
                private_numbers(&load_private_key(&b, &plain, None).unwrap()),
                expected
            );
            // As pyca, an empty password is none.
            assert!(load_private_key(&b, &plain, Some(b"")).is_ok());
            assert_eq!(
                load_private_key(&b, &plain, Some(b"pw")).unwrap_err(),
                Error::PasswordNotExpected
            );
            for cipher in [SshCipher::Aes256Ctr, SshCipher::Aes256Gcm] {
                let sealed = encode_private_key(&key, Some(b"pw"), 1, cipher).unwrap();
                let loaded = load_private_key(&b, &sealed, Some(b"pw")).unwrap();
                assert_eq!(private_numbers(&loaded), expected, "{cipher:?}");
                for missing in [None, Some(&b""[..])] {
                    assert_eq!(
                        load_private_key(&b, &sealed, missing).unwrap_err(),
                        Error::PasswordRequired
                    );
                }
                assert_eq!(
                    load_private_key(&b, &sealed, Some(b"wrong")).unwrap_err(),
                    Error::IncorrectPassword,
                    "{cipher:?}"
                );
            }
            let public = key.public_key().unwrap();
            let line = encode_public_key(&public).unwrap();
            assert!(!line.contains(&b'\n'));
            let back = load_public_key(&b, &line).unwrap();
            assert_eq!(public_numbers(&back), public_numbers(&public));
            assert_eq!(
                ssh_key_fingerprint(&back).unwrap(),
                ssh_key_fingerprint(&public).unwrap()
            );
        }
    }

    #[test]
    fn private_bytes_writes_openssh() {
        let key = Ed25519PrivateKey::generate().unwrap();
        let encryption = PrivateFormat::OpenSsh
            .encryption_builder()
            .unwrap()
            .kdf_rounds(1)
            .unwrap()
            .ssh_cipher(SshCipher::Aes256Gcm)
            .unwrap()
            .build(b"secret")
            .unwrap();
        let pem = key
            .private_bytes(Encoding::Pem, PrivateFormat::OpenSsh, &encryption)
            .unwrap();
        let text = std::str::from_utf8(&pem).unwrap();
        let blob = data_encoding::BASE64
            .decode(body_lines(&pem).concat().as_bytes())
            .unwrap();
        assert!(blob.starts_with(MAGIC), "{text}");
        let loaded = load_private_key(&builder(), &pem, Some(b"secret"))
            .unwrap()
            .into_ed25519()
            .unwrap();
        assert_eq!(loaded.public_key().unwrap(), key.public_key().unwrap());
    }

    #[test]
    fn what_is_not_written() {
        let dsa = std::fs::read(vectors().join("asymmetric/OpenSSH/dsa-nopsw.key")).unwrap();
        let dsa = load_private_key(&builder(), &dsa, None).unwrap();
        assert!(matches!(
            encode_private_key(&dsa, None, 16, SshCipher::Aes256Ctr),
            Err(Error::InvalidArgument(_))
        ));
        // DSA public keys are written (ssh-dss), as pyca does.
        let public = dsa.public_key().unwrap();
        let line = encode_public_key(&public).unwrap();
        assert!(line.starts_with(b"ssh-dss AAAA"));
        let back = load_public_key(&builder(), &line).unwrap();
        assert_eq!(public_numbers(&back), public_numbers(&public));

        let k256 = PrivateKeyTypes::Ec(ec::generate_private_key(EllipticCurve::Secp256k1).unwrap());
        let x25519 = PrivateKeyTypes::X25519(X25519PrivateKey::generate().unwrap());
        for key in [k256, x25519] {
            let public = key.public_key().unwrap();
            assert!(matches!(
                encode_public_key(&public),
                Err(Error::InvalidArgument(_))
            ));
            assert!(matches!(
                ssh_key_fingerprint(&public),
                Err(Error::InvalidArgument(_))
            ));
            assert!(matches!(
                encode_private_key(&key, None, 16, SshCipher::Aes256Ctr),
                Err(Error::InvalidArgument(_))
            ));
        }
        let ed = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        for rounds in [0, MAX_BCRYPT_ROUNDS + 1] {
            assert!(matches!(
                encode_private_key(&ed, Some(b"pw"), rounds, SshCipher::Aes256Ctr),
                Err(Error::InvalidArgument(_))
            ));
        }
        assert!(matches!(
            encode_private_key(&ed, Some(b""), 1, SshCipher::Aes256Ctr),
            Err(Error::InvalidArgument(_))
        ));
    }

    // -----------------------------------------------------------------------------------------
    // ssh-keygen

    /// ssh-keygen (openssh-client), which `.ci/run` installs.
    fn ssh_keygen(args: &[&str]) -> std::process::Output {
        let output = Command::new("ssh-keygen")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| {
                panic!("could not run ssh-keygen ({e}); install openssh-client to run these tests")
            });
        assert!(
            output.status.success(),
            "ssh-keygen {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// A fresh directory under the system's temporary directory, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let mut random = [0u8; 8];
            crate::random::fill(&mut random).unwrap();
            let dir = std::env::temp_dir().join(format!(
                "pluggable-crypto-ssh-{name}-{}-{}",
                std::process::id(),
                hex(&random)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn path(&self, file: &str) -> String {
            self.0.join(file).to_str().unwrap().to_owned()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Writes a private key file readable by its owner only, as ssh-keygen requires.
    fn write_private(path: &str, data: &[u8]) {
        use std::io::Write;
        #[cfg(unix)]
        use std::os::unix::fs::OpenOptionsExt;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        options.open(path).unwrap().write_all(data).unwrap();
    }

    fn fingerprint_of(pub_file: &str) -> String {
        let out = ssh_keygen(&["-l", "-E", "sha256", "-f", pub_file]);
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_owned()
    }

    /// The `<type> <base64>` of a public key line.
    fn two_fields(line: &[u8]) -> String {
        let text = std::str::from_utf8(line).unwrap();
        text.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn reads_what_ssh_keygen_writes() {
        let dir = TempDir::new("keygen");
        let b = builder();
        let types: [&[&str]; 6] = [
            &["-t", "rsa", "-b", "2048"],
            &["-t", "ecdsa", "-b", "256"],
            &["-t", "ecdsa", "-b", "384"],
            &["-t", "ecdsa", "-b", "521"],
            &["-t", "ed25519"],
            &["-t", "dsa"],
        ];
        for (i, type_args) in types.iter().enumerate() {
            for (password, extra) in [("", &[][..]), ("pass", &["-a", "2"][..])] {
                let file = dir.path(&format!("key{i}{password}"));
                let mut args = vec!["-q", "-C", "a comment", "-N", password, "-f", &file];
                args.extend_from_slice(type_args);
                args.extend_from_slice(extra);
                if type_args[1] == "dsa"
                    && !Command::new("ssh-keygen")
                        .args(&args)
                        .stdin(Stdio::null())
                        .output()
                        .is_ok_and(|o| o.status.success())
                {
                    // OpenSSH 10 no longer makes DSA keys.
                    eprintln!("note: this ssh-keygen makes no DSA keys; skipped");
                    continue;
                }
                if type_args[1] != "dsa" {
                    ssh_keygen(&args);
                }
                let private = std::fs::read(&file).unwrap();
                let line = std::fs::read(format!("{file}.pub")).unwrap();
                let pw = (!password.is_empty()).then_some(password.as_bytes());
                let key = load_private_key(&b, &private, pw)
                    .unwrap_or_else(|e| panic!("{type_args:?} {password:?}: {e}"));
                let public = load_public_key(&b, &line).unwrap();
                assert_eq!(
                    public_numbers(&key.public_key().unwrap()),
                    public_numbers(&public),
                    "{type_args:?}"
                );
                assert_eq!(
                    ssh_key_fingerprint(&public).unwrap(),
                    fingerprint_of(&format!("{file}.pub")),
                    "{type_args:?}"
                );
                assert_eq!(
                    String::from_utf8(encode_public_key(&public).unwrap()).unwrap(),
                    two_fields(&line)
                );
            }
        }
    }

    #[test]
    fn ssh_keygen_reads_what_we_write() {
        let dir = TempDir::new("ours");
        for (i, key) in keys().into_iter().enumerate() {
            let line = encode_public_key(&key.public_key().unwrap()).unwrap();
            let pub_file = dir.path(&format!("key{i}.pub"));
            std::fs::write(&pub_file, &line).unwrap();
            assert_eq!(
                fingerprint_of(&pub_file),
                ssh_key_fingerprint(&key.public_key().unwrap()).unwrap()
            );
            let variants = [
                (None, SshCipher::Aes256Ctr),
                (Some("pass"), SshCipher::Aes256Ctr),
                (Some("pass"), SshCipher::Aes256Gcm),
            ];
            for (j, (password, cipher)) in variants.into_iter().enumerate() {
                let pem = encode_private_key(&key, password.map(str::as_bytes), 2, cipher).unwrap();
                let file = dir.path(&format!("key{i}-{j}"));
                write_private(&file, &pem);
                let mut args = vec!["-y", "-f", &file];
                if let Some(password) = password {
                    args.extend_from_slice(&["-P", password]);
                }
                let out = ssh_keygen(&args);
                assert_eq!(
                    two_fields(&out.stdout),
                    String::from_utf8(line.clone()).unwrap(),
                    "{} {password:?} {cipher:?}",
                    key.algorithm_name()
                );
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Malformed input

    /// `blob` in an `OPENSSH PRIVATE KEY` block.
    fn wrap(blob: &[u8]) -> Vec<u8> {
        pem_wrap(blob).to_vec()
    }

    fn unwrap_pem(pem: &[u8]) -> Vec<u8> {
        pem::parse_blocks(pem).unwrap()[0].body.to_vec()
    }

    /// An unencrypted `openssh-key-v1` blob with the public key of `public` and the private
    /// key of `key`, the check integers and the padding given.
    fn plain_blob(
        key: &PrivateKeyTypes,
        public: &PrivateKeyTypes,
        checks: (u32, u32),
        padding: &[u8],
    ) -> Vec<u8> {
        let mut section = Writer::new();
        section.u32(checks.0);
        section.u32(checks.1);
        put_private(&mut section, key).unwrap();
        section.string(b"a comment").unwrap();
        section.raw(padding);
        let mut pubw = Writer::new();
        put_public(&mut pubw, &public.public_key().unwrap()).unwrap();
        let mut w = Writer::new();
        w.raw(MAGIC);
        w.string(b"none").unwrap();
        w.string(b"none").unwrap();
        w.string(b"").unwrap();
        w.u32(1);
        w.string(&pubw.buf).unwrap();
        w.string(&section.buf).unwrap();
        w.buf.to_vec()
    }

    /// The padding that brings an Ed25519 section (with "a comment") to whole 8-byte blocks.
    fn ed25519_padding() -> usize {
        // Check integers 8, type 4 + 11, public 4 + 32, pair 4 + 64, comment 4 + 9.
        let len = 8 + 15 + 36 + 68 + 13;
        (8 - len % 8) % 8
    }

    #[test]
    fn check_integers_padding_and_mismatched_keys() {
        let b = builder();
        let key = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let n = ed25519_padding();
        let good = plain_blob(&key, &key, (7, 7), &PADDING[..n]);
        assert!(load_private_key(&b, &wrap(&good), None).is_ok());

        let checks = plain_blob(&key, &key, (7, 8), &PADDING[..n]);
        let err = load_private_key(&b, &wrap(&checks), None).unwrap_err();
        assert!(
            matches!(&err, Error::MalformedKeyData(m) if m.contains("check integers")),
            "{err}"
        );

        let mut bad = PADDING[..n].to_vec();
        if let Some(last) = bad.last_mut() {
            *last = 0;
        }
        let padding = plain_blob(&key, &key, (7, 7), &bad);
        assert!(matches!(
            load_private_key(&b, &wrap(&padding), None),
            Err(Error::MalformedKeyData(_))
        ));
        // More than 16 bytes of padding, still whole blocks.
        let long: Vec<u8> = (1..=(n as u8 + 16)).collect();
        let padding = plain_blob(&key, &key, (7, 7), &long);
        assert!(matches!(
            load_private_key(&b, &wrap(&padding), None),
            Err(Error::MalformedKeyData(_))
        ));
        // Not whole blocks.
        let short = plain_blob(&key, &key, (7, 7), &PADDING[..(n + 1) % 8]);
        assert!(matches!(
            load_private_key(&b, &wrap(&short), None),
            Err(Error::MalformedKeyData(_))
        ));

        let other = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let mixed = plain_blob(&key, &other, (7, 7), &PADDING[..n]);
        assert!(matches!(
            load_private_key(&b, &wrap(&mixed), None),
            Err(Error::KeyRejected(_))
        ));
        let p256 = PrivateKeyTypes::Ec(ec::generate_private_key(EllipticCurve::Secp256r1).unwrap());
        let p256b =
            PrivateKeyTypes::Ec(ec::generate_private_key(EllipticCurve::Secp256r1).unwrap());
        for pad in 0..8 {
            let mixed = plain_blob(&p256, &p256b, (7, 7), &PADDING[..pad]);
            assert!(load_private_key(&b, &wrap(&mixed), None).is_err());
        }
        let mixed = plain_blob(&key, &p256, (7, 7), &PADDING[..n]);
        assert!(load_private_key(&b, &wrap(&mixed), None).is_err());
    }

    #[test]
    fn truncated_private_keys_are_errors() {
        let b = builder();
        let ed = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let p256 = PrivateKeyTypes::Ec(ec::generate_private_key(EllipticCurve::Secp256r1).unwrap());
        for key in [&ed, &p256] {
            let mut blobs = vec![(
                unwrap_pem(&encode_private_key(key, None, 1, SshCipher::Aes256Ctr).unwrap()),
                None,
            )];
            for cipher in [SshCipher::Aes256Ctr, SshCipher::Aes256Gcm] {
                let pem = encode_private_key(key, Some(b"pw"), 1, cipher).unwrap();
                blobs.push((unwrap_pem(&pem), Some(&b"pw"[..])));
            }
            for (blob, password) in blobs {
                assert!(load_private_key(&b, &wrap(&blob), password).is_ok());
                for len in 0..blob.len() {
                    let result = load_private_key(&b, &wrap(&blob[..len]), password);
                    assert!(result.is_err(), "{len} of {} bytes loaded", blob.len());
                }
            }
        }
    }

    #[test]
    fn huge_lengths_and_flipped_bytes_are_errors() {
        let b = builder();
        let key = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let blob = unwrap_pem(&encode_private_key(&key, None, 1, SshCipher::Aes256Ctr).unwrap());
        // A length of 0xFFFFFFFF at every string of the header and the sections.
        let mut offsets = vec![MAGIC.len()];
        let mut r = Reader::new(&blob[MAGIC.len()..]);
        for what in ["cipher", "kdf", "options"] {
            r.string(what).unwrap();
            offsets.push(blob.len() - r.rest.len());
        }
        r.u32("count").unwrap();
        offsets.push(blob.len() - r.rest.len());
        r.string("public").unwrap();
        offsets.push(blob.len() - r.rest.len());
        for offset in offsets {
            let mut bad = blob.clone();
            bad[offset..offset + 4].copy_from_slice(&[0xff; 4]);
            assert!(
                matches!(
                    load_private_key(&b, &wrap(&bad), None),
                    Err(Error::MalformedKeyData(_))
                ),
                "offset {offset}"
            );
        }
        // Anywhere, and every byte flipped: errors (or, for bytes outside what is checked, a
        // key), never a panic.
        for offset in MAGIC.len()..blob.len() {
            let mut bad = blob.clone();
            let end = (offset + 4).min(bad.len());
            bad[offset..end].fill(0xff);
            let _ = load_private_key(&b, &wrap(&bad), None);
            let mut flipped = blob.clone();
            flipped[offset] ^= 0x01;
            assert!(
                load_private_key(&b, &wrap(&flipped), None).is_err(),
                "flipping byte {offset} went unnoticed"
            );
        }
        // A length field of 0xFFFFFFFF in a public key blob.
        let mut public = vec![0xff, 0xff, 0xff, 0xff];
        public.extend_from_slice(b"ssh-ed25519");
        let line = format!("ssh-ed25519 {}", data_encoding::BASE64.encode(&public));
        assert!(matches!(
            load_public_key(&b, line.as_bytes()),
            Err(Error::MalformedKeyData(_))
        ));
    }

    /// `blob` with the header changed: cipher, KDF, KDF options and key count.
    fn with_header(blob: &[u8], cipher: &[u8], kdf: &[u8], options: &[u8], count: u32) -> Vec<u8> {
        let mut r = Reader::new(&blob[MAGIC.len()..]);
        for what in ["cipher", "kdf", "options"] {
            r.string(what).unwrap();
        }
        r.u32("count").unwrap();
        let mut w = Writer::new();
        w.raw(MAGIC);
        w.string(cipher).unwrap();
        w.string(kdf).unwrap();
        w.string(options).unwrap();
        w.u32(count);
        w.raw(r.rest);
        w.buf.to_vec()
    }

    #[test]
    fn header_rules() {
        let b = builder();
        let key = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let plain = unwrap_pem(&encode_private_key(&key, None, 1, SshCipher::Aes256Ctr).unwrap());
        let sealed =
            unwrap_pem(&encode_private_key(&key, Some(b"pw"), 1, SshCipher::Aes256Ctr).unwrap());
        let options = {
            let mut r = Reader::new(&sealed[MAGIC.len()..]);
            r.string("cipher").unwrap();
            r.string("kdf").unwrap();
            r.string("options").unwrap().to_vec()
        };
        let load =
            |blob: Vec<u8>, password: Option<&[u8]>| load_private_key(&b, &wrap(&blob), password);

        assert!(matches!(
            load(with_header(&plain, b"none", b"none", b"", 2), None),
            Err(Error::MalformedKeyData(_))
        ));
        assert!(load(with_header(&plain, b"none", b"none", b"", 0), None).is_err());
        for (cipher, kdf) in [
            (&b"aes128-cbc"[..], &b"bcrypt"[..]),
            (b"aes256-ctr", b"scrypt"),
            (b"aes256-ctr", b"none"),
            (b"none", b"bcrypt"),
        ] {
            let err =
                load(with_header(&sealed, cipher, kdf, &options, 1), Some(b"pw")).unwrap_err();
            assert!(err.is_unsupported(), "{err}");
        }
        // A cost above the limit is refused before any KDF work.
        let mut w = Writer::new();
        w.string(&[1; 16]).unwrap();
        w.u32(u32::MAX);
        let err = load(
            with_header(&sealed, b"aes256-ctr", b"bcrypt", &w.buf, 1),
            Some(b"pw"),
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::MalformedKeyData(m) if m.contains("rounds")),
            "{err}"
        );
        // An empty salt is refused by bcrypt-pbkdf.
        let mut w = Writer::new();
        w.string(b"").unwrap();
        w.u32(1);
        assert!(load(
            with_header(&sealed, b"aes256-ctr", b"bcrypt", &w.buf, 1),
            Some(b"pw")
        )
        .is_err());
        // Trailing KDF options.
        let mut long = options.clone();
        long.push(0);
        assert!(load(
            with_header(&sealed, b"aes256-ctr", b"bcrypt", &long, 1),
            Some(b"pw")
        )
        .is_err());
        // The same key as aes256-cbc, which is read though not written.
        let cbc = with_header(&sealed, b"aes256-cbc", b"bcrypt", &options, 1);
        assert_eq!(
            load(cbc, Some(b"pw")).unwrap_err(),
            Error::IncorrectPassword
        );

        // Not openssh-key-v1, or no such block.
        let mut other = plain.clone();
        other[0] ^= 1;
        assert!(matches!(load(other, None), Err(Error::MalformedKeyData(_))));
        let pem = pem::encode("PRIVATE KEY", &[], &plain).unwrap();
        assert!(matches!(
            load_private_key(&b, &pem, None),
            Err(Error::MalformedKeyData(_))
        ));
        // Text around the block is allowed.
        let mut framed = b"a key:\n".to_vec();
        framed.extend_from_slice(&wrap(&plain));
        framed.extend_from_slice(b"that was it\n");
        assert!(load_private_key(&b, &framed, None).is_ok());
    }

    #[test]
    fn aes256_cbc_keys_load() {
        // The section of an aes256-ctr key, re-encrypted with aes256-cbc under the same
        // derived key and IV, must load as the same key.
        let b = builder();
        let key = PrivateKeyTypes::Ed25519(Ed25519PrivateKey::generate().unwrap());
        let sealed =
            unwrap_pem(&encode_private_key(&key, Some(b"pw"), 1, SshCipher::Aes256Ctr).unwrap());
        let mut r = Reader::new(&sealed[MAGIC.len()..]);
        r.string("cipher").unwrap();
        r.string("kdf").unwrap();
        let mut options = Reader::new(r.string("options").unwrap());
        let salt = options.string("salt").unwrap();
        let rounds = options.u32("rounds").unwrap();
        r.u32("count").unwrap();
        let header_len = sealed.len() - r.rest.len();
        let public = r.string("public").unwrap();
        let section = r.string("section").unwrap();
        let key_iv = derive_key_iv(KeyCipher::Ctr, b"pw", salt, rounds).unwrap();
        let plain = decrypt_section(KeyCipher::Ctr, &key_iv, section, &[]).unwrap();
        let (aes_key, iv) = key_iv.split_at(AES_KEY_BYTES);
        let mut ctx = Cipher::new(Aes::new(aes_key).unwrap(), Cbc::new(iv).unwrap())
            .unwrap()
            .encryptor()
            .unwrap();
        let cbc = ctx.update(&plain).unwrap();
        let mut w = Writer::new();
        w.raw(&sealed[..header_len]);
        w.string(public).unwrap();
        w.string(&cbc).unwrap();
        let blob = with_header(
            &w.buf,
            b"aes256-cbc",
            b"bcrypt",
            {
                let mut r = Reader::new(&sealed[MAGIC.len()..]);
                r.string("cipher").unwrap();
                r.string("kdf").unwrap();
                r.string("options").unwrap()
            },
            1,
        );
        let loaded = load_private_key(&b, &wrap(&blob), Some(b"pw")).unwrap();
        assert_eq!(private_numbers(&loaded), private_numbers(&key));
    }

    fn vector_lines() -> Vec<(String, Vec<u8>)> {
        let dir = vectors().join("asymmetric/OpenSSH");
        let mut files = Vec::new();
        for sub in [dir.clone(), dir.join("certs")] {
            for entry in std::fs::read_dir(&sub).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "pub") {
                    files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn truncated_public_keys_and_certificates_are_errors() {
        let b = builder();
        let files = vector_lines();
        assert!(files.len() >= 30);
        for (name, line) in files {
            let Ok((key_type, body)) = split_line(&line) else {
                panic!("{name}")
            };
            let blob = data_encoding::BASE64.decode(body).unwrap();
            let ok = load_public_key(&b, &line).is_ok();
            for len in 0..blob.len() {
                let mut cut = key_type.to_vec();
                cut.push(b' ');
                cut.extend_from_slice(data_encoding::BASE64.encode(&blob[..len]).as_bytes());
                assert!(
                    load_public_key(&b, &cut).is_err(),
                    "{name}: {len} bytes loaded"
                );
            }
            // Trailing data after the blob.
            let mut long = blob.clone();
            long.push(0);
            let mut extended = key_type.to_vec();
            extended.push(b' ');
            extended.extend_from_slice(data_encoding::BASE64.encode(&long).as_bytes());
            assert!(load_public_key(&b, &extended).is_err(), "{name}");
            if ok {
                // Flipping any byte of a certificate or key never panics.
                for i in 0..blob.len() {
                    let mut flipped = blob.clone();
                    flipped[i] ^= 0x80;
                    let mut text = key_type.to_vec();
                    text.push(b' ');
                    text.extend_from_slice(data_encoding::BASE64.encode(&flipped).as_bytes());
                    let _ = load_public_key(&b, &text);
                }
            }
        }
    }

    #[test]
    fn public_key_lines() {
        let b = builder();
        let key = Ed25519PrivateKey::generate().unwrap().public_key().unwrap();
        let public = PublicKeyTypes::Ed25519(key);
        let line = String::from_utf8(encode_public_key(&public).unwrap()).unwrap();
        let (key_type, body) = line.split_once(' ').unwrap();
        assert!(load_public_key(&b, format!("{line} a comment with spaces\n").as_bytes()).is_ok());
        assert!(load_public_key(&b, format!("{key_type}\t \t{body}").as_bytes()).is_ok());
        for bad in [
            format!(" {line}"),
            key_type.to_string(),
            format!("{key_type} "),
            format!("{key_type}\n{body}"),
            format!("{key_type} {body}!"),
            format!("{key_type} {}", &body[..body.len() - 1]),
            String::new(),
        ] {
            assert!(load_public_key(&b, bad.as_bytes()).is_err(), "{bad:?}");
        }
        // The type of the line and of the blob differ.
        let err =
            load_public_key(&b, format!("ecdsa-sha2-nistp256 {body}").as_bytes()).unwrap_err();
        assert!(matches!(err, Error::MalformedKeyData(_)), "{err}");
        let err = load_public_key(&b, format!("ssh-foo {body}").as_bytes()).unwrap_err();
        assert!(err.is_unsupported(), "{err}");
        // An sk- certificate type is not one pyca reads.
        let err = load_public_key(
            &b,
            format!("sk-ssh-ed25519-cert-v01@openssh.com {body}").as_bytes(),
        )
        .unwrap_err();
        assert!(err.is_unsupported(), "{err}");
    }

    fn rsa_line(e: &[u8], n: &[u8]) -> Vec<u8> {
        let mut w = Writer::new();
        w.string(b"ssh-rsa").unwrap();
        w.string(e).unwrap();
        w.string(n).unwrap();
        format!("ssh-rsa {}", data_encoding::BASE64.encode(&w.buf)).into_bytes()
    }

    #[test]
    fn mpints_must_be_minimal_and_positive() {
        let b = builder();
        let PublicKeyTypes::Rsa(key) = rsa_key().public_key().unwrap() else {
            unreachable!()
        };
        let n = key.public_numbers().n.as_be_slice().to_vec();
        let mut n_signed = vec![0];
        n_signed.extend_from_slice(&n);
        assert!(load_public_key(&b, &rsa_line(&[1, 0, 1], &n_signed)).is_ok());
        // Without the sign byte the modulus reads as negative.
        assert!(load_public_key(&b, &rsa_line(&[1, 0, 1], &n)).is_err());
        let mut n_padded = vec![0, 0];
        n_padded.extend_from_slice(&n);
        for (e, n) in [
            (&[0, 1, 0, 1][..], &n_signed[..]),
            (&[0x81][..], &n_signed[..]),
            (&[1, 0, 1][..], &n_padded[..]),
            (&[0][..], &n_signed[..]),
        ] {
            let err = load_public_key(&b, &rsa_line(e, n)).unwrap_err();
            assert!(matches!(err, Error::MalformedKeyData(_)), "{err}");
        }
        let mut r = Reader::new(&[0, 0, 0, 0]);
        assert!(r.mpint("zero").unwrap().is_zero());
    }
}
