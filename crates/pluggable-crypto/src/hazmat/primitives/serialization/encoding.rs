//! Writing keys: the encodings and formats (pyca's names), the encryption choices, the rules
//! on which combinations are valid, and `private_bytes` / `public_bytes` on every key type.

use zeroize::Zeroizing;

use super::keys::{self, PrivateKeyTypes, PublicKeyTypes};
use super::pbe::{self, Pbkdf2Hash, Pkcs8Cipher, Pkcs8Kdf};
use super::{pem, ssh};
use crate::hazmat::primitives::asymmetric::dh::{DhParameters, DhPrivateKey, DhPublicKey};
use crate::hazmat::primitives::asymmetric::dsa::{DsaPrivateKey, DsaPublicKey};
use crate::hazmat::primitives::asymmetric::ec::{EllipticCurvePrivateKey, EllipticCurvePublicKey};
use crate::hazmat::primitives::asymmetric::ed25519::{Ed25519PrivateKey, Ed25519PublicKey};
use crate::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use crate::hazmat::primitives::asymmetric::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use crate::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
use crate::{Error, Result};

/// How the bytes are wrapped (pyca's `Encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Base64 text between `-----BEGIN ...-----` lines.
    Pem,
    /// Binary DER.
    Der,
    /// The one-line OpenSSH public key text (`ssh-ed25519 AAAA...`).
    OpenSsh,
    /// Raw key bytes (Ed25519, Ed448, X25519, X448).
    Raw,
    /// An X9.62 elliptic-curve point.
    X962,
}

/// The structure of a private key (pyca's `PrivateFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrivateFormat {
    /// PKCS #8 `PrivateKeyInfo` (every key type), or `EncryptedPrivateKeyInfo`.
    Pkcs8,
    /// OpenSSL's traditional per-algorithm forms: PKCS #1 (RSA), SEC 1 (EC), DSA.
    TraditionalOpenSsl,
    /// Raw private bytes (Ed25519, Ed448, X25519, X448).
    Raw,
    /// `openssh-key-v1` (RSA, ECDSA P-256/384/521, Ed25519), PEM-encoded.
    OpenSsh,
}

/// The structure of a public key (pyca's `PublicFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublicFormat {
    /// X.509 `SubjectPublicKeyInfo` (every key type).
    SubjectPublicKeyInfo,
    /// PKCS #1 `RSAPublicKey` (RSA only).
    Pkcs1,
    /// The OpenSSH public key line (RSA, DSA, ECDSA P-256/384/521, Ed25519).
    OpenSsh,
    /// Raw public bytes (Ed25519, Ed448, X25519, X448).
    Raw,
    /// The compressed X9.62 point `02/03 || x` (EC only).
    CompressedPoint,
    /// The uncompressed X9.62 point `04 || x || y` (EC only).
    UncompressedPoint,
}

/// The structure of DH parameters (pyca's `ParameterFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterFormat {
    /// PKCS #3 `DHParameter`, or X9.42 `DomainParameters` when q is known.
    Pkcs3,
}

/// Whether and how a private key is encrypted (pyca's `KeySerializationEncryption`). Build it
/// from [`NoEncryption`], [`BestAvailableEncryption`], or
/// [`PrivateFormat::encryption_builder`]. The password is wiped on drop.
#[derive(Clone)]
pub struct KeySerializationEncryption {
    kind: EncryptionKind,
}

#[derive(Clone)]
enum EncryptionKind {
    None,
    BestAvailable(Zeroizing<Vec<u8>>),
    Custom(Box<CustomEncryption>),
}

#[derive(Clone)]
struct CustomEncryption {
    format: PrivateFormat,
    password: Zeroizing<Vec<u8>>,
    pkcs8_kdf: Option<Pkcs8Kdf>,
    pkcs8_cipher: Option<Pkcs8Cipher>,
    ssh_rounds: Option<u32>,
    ssh_cipher: Option<ssh::SshCipher>,
}

impl std::fmt::Debug for KeySerializationEncryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.kind {
            EncryptionKind::None => "NoEncryption",
            EncryptionKind::BestAvailable(_) => "BestAvailableEncryption(..)",
            EncryptionKind::Custom(_) => "KeySerializationEncryption(custom, ..)",
        })
    }
}

/// No encryption (pyca's `NoEncryption()`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEncryption;

/// The best encryption the format has, with `password` (pyca's `BestAvailableEncryption`):
/// for PKCS #8, PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations) and AES-256-CBC; for
/// traditional PEM, AES-256-CBC under `DEK-Info` (the format's only KDF is OpenSSL's
/// MD5-based one); for OpenSSH, aes256-ctr with bcrypt-pbkdf (16 rounds, as ssh-keygen).
pub struct BestAvailableEncryption;

impl BestAvailableEncryption {
    /// The encryption with `password` (at least one byte).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(password: &[u8]) -> KeySerializationEncryption {
        KeySerializationEncryption {
            kind: EncryptionKind::BestAvailable(Zeroizing::new(password.to_vec())),
        }
    }
}

impl From<NoEncryption> for KeySerializationEncryption {
    fn from(_: NoEncryption) -> Self {
        KeySerializationEncryption {
            kind: EncryptionKind::None,
        }
    }
}

impl From<&KeySerializationEncryption> for KeySerializationEncryption {
    fn from(value: &KeySerializationEncryption) -> Self {
        value.clone()
    }
}

/// The 600,000 PBKDF2-HMAC-SHA256 iterations of [`BestAvailableEncryption`] for PKCS #8
/// (OWASP's 2023 figure).
pub(crate) const BEST_PBKDF2_ITERATIONS: u32 = 600_000;
/// ssh-keygen's default bcrypt-pbkdf rounds.
pub(crate) const BEST_SSH_ROUNDS: u32 = 16;

impl PrivateFormat {
    /// A builder choosing the KDF, its cost and the cipher for this format (pyca's
    /// `PrivateFormat.encryption_builder()`); `Pkcs8` and `OpenSsh` only.
    pub fn encryption_builder(self) -> Result<KeySerializationEncryptionBuilder> {
        match self {
            PrivateFormat::Pkcs8 | PrivateFormat::OpenSsh => Ok(KeySerializationEncryptionBuilder {
                format: self,
                pkcs8_kdf: None,
                pkcs8_cipher: None,
                ssh_rounds: None,
                ssh_cipher: None,
            }),
            other => Err(Error::invalid(format!(
                "encryption_builder() is for PrivateFormat::Pkcs8 and PrivateFormat::OpenSsh, not {other:?}"
            ))),
        }
    }
}

/// Chooses the encryption of a PKCS #8 or OpenSSH private key. Unset choices take the
/// [`BestAvailableEncryption`] defaults.
#[derive(Clone, Debug)]
pub struct KeySerializationEncryptionBuilder {
    format: PrivateFormat,
    pkcs8_kdf: Option<Pkcs8Kdf>,
    pkcs8_cipher: Option<Pkcs8Cipher>,
    ssh_rounds: Option<u32>,
    ssh_cipher: Option<ssh::SshCipher>,
}

impl KeySerializationEncryptionBuilder {
    /// The KDF rounds: PBKDF2-HMAC-SHA256 iterations for PKCS #8 (keeping the hash if
    /// [`pkcs8_kdf`](Self::pkcs8_kdf) set one), bcrypt-pbkdf rounds for OpenSSH.
    pub fn kdf_rounds(mut self, rounds: u32) -> Result<Self> {
        if rounds == 0 {
            return Err(Error::invalid("kdf_rounds must be at least 1"));
        }
        match self.format {
            PrivateFormat::OpenSsh => self.ssh_rounds = Some(rounds),
            _ => {
                let hash = match self.pkcs8_kdf {
                    Some(Pkcs8Kdf::Pbkdf2 { hash, .. }) => hash,
                    _ => Pbkdf2Hash::Sha256,
                };
                self.pkcs8_kdf = Some(Pkcs8Kdf::Pbkdf2 {
                    hash,
                    iterations: rounds,
                });
            }
        }
        Ok(self)
    }

    /// The PKCS #8 KDF (PBKDF2 with a hash and iterations, or scrypt).
    pub fn pkcs8_kdf(mut self, kdf: Pkcs8Kdf) -> Result<Self> {
        self.require(PrivateFormat::Pkcs8, "pkcs8_kdf")?;
        self.pkcs8_kdf = Some(kdf);
        Ok(self)
    }

    /// The PKCS #8 cipher (AES-128/192/256-CBC).
    pub fn pkcs8_cipher(mut self, cipher: Pkcs8Cipher) -> Result<Self> {
        self.require(PrivateFormat::Pkcs8, "pkcs8_cipher")?;
        self.pkcs8_cipher = Some(cipher);
        Ok(self)
    }

    /// The OpenSSH cipher (aes256-ctr or aes256-gcm@openssh.com).
    pub fn ssh_cipher(mut self, cipher: ssh::SshCipher) -> Result<Self> {
        self.require(PrivateFormat::OpenSsh, "ssh_cipher")?;
        self.ssh_cipher = Some(cipher);
        Ok(self)
    }

    fn require(&self, format: PrivateFormat, what: &str) -> Result<()> {
        if self.format != format {
            return Err(Error::invalid(format!(
                "{what} applies to PrivateFormat::{format:?}, and this builder is for {:?}",
                self.format
            )));
        }
        Ok(())
    }

    /// The encryption with `password` (at least one byte).
    pub fn build(self, password: &[u8]) -> Result<KeySerializationEncryption> {
        if password.is_empty() {
            return Err(Error::invalid("the password must be at least 1 byte"));
        }
        Ok(KeySerializationEncryption {
            kind: EncryptionKind::Custom(Box::new(CustomEncryption {
                format: self.format,
                password: Zeroizing::new(password.to_vec()),
                pkcs8_kdf: self.pkcs8_kdf,
                pkcs8_cipher: self.pkcs8_cipher,
                ssh_rounds: self.ssh_rounds,
                ssh_cipher: self.ssh_cipher,
            })),
        })
    }
}

impl KeySerializationEncryption {
    fn password(&self) -> Option<&[u8]> {
        match &self.kind {
            EncryptionKind::None => None,
            EncryptionKind::BestAvailable(p) => Some(p),
            EncryptionKind::Custom(c) => Some(&c.password),
        }
    }

    fn custom_for(&self, format: PrivateFormat) -> Result<Option<&CustomEncryption>> {
        match &self.kind {
            EncryptionKind::Custom(c) if c.format != format => Err(Error::invalid(format!(
                "this encryption was built for PrivateFormat::{:?}, not {format:?}",
                c.format
            ))),
            EncryptionKind::Custom(c) => Ok(Some(c)),
            _ => Ok(None),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The writers

const PRIVATE_COMBINATIONS: &str = "valid private key combinations: (Pem or Der, Pkcs8), \
     (Pem or Der, TraditionalOpenSsl) for RSA, EC and DSA (Der without encryption), \
     (Pem, OpenSsh) for RSA, EC P-256/384/521 and Ed25519, (Raw, Raw) without encryption \
     for Ed25519, Ed448, X25519 and X448";

const PUBLIC_COMBINATIONS: &str = "valid public key combinations: (Pem or Der, \
     SubjectPublicKeyInfo), (Pem or Der, Pkcs1) for RSA, (OpenSsh, OpenSsh) for RSA, DSA, \
     EC P-256/384/521 and Ed25519, (Raw, Raw) for Ed25519, Ed448, X25519 and X448, (X962, \
     CompressedPoint or UncompressedPoint) for EC";

fn invalid_private(why: &str) -> Error {
    Error::invalid(format!("{why}; {PRIVATE_COMBINATIONS}"))
}

fn invalid_public(why: &str) -> Error {
    Error::invalid(format!("{why}; {PUBLIC_COMBINATIONS}"))
}

/// `private_bytes` for any key type, with pyca's rules.
pub(crate) fn private_bytes(
    key: &PrivateKeyTypes,
    encoding: Encoding,
    format: PrivateFormat,
    encryption: &KeySerializationEncryption,
) -> Result<Zeroizing<Vec<u8>>> {
    let password = encryption.password();
    if password.is_some_and(|p| p.is_empty()) {
        return Err(Error::invalid("the password must be at least 1 byte"));
    }
    if encoding == Encoding::Raw || format == PrivateFormat::Raw {
        if encoding != Encoding::Raw || format != PrivateFormat::Raw {
            return Err(invalid_private("Raw encoding and Raw format go together"));
        }
        if password.is_some() {
            return Err(invalid_private("raw private keys cannot be encrypted"));
        }
        let raw = match key {
            PrivateKeyTypes::Ed25519(k) => k.private_bytes_raw()?,
            PrivateKeyTypes::Ed448(k) => k.private_bytes_raw()?,
            PrivateKeyTypes::X25519(k) => k.private_bytes_raw()?,
            PrivateKeyTypes::X448(k) => k.private_bytes_raw()?,
            other => {
                return Err(invalid_private(&format!(
                    "{} keys have no raw form",
                    other.algorithm_name()
                )))
            }
        };
        let raw: &[u8] = raw.as_ref();
        return Ok(Zeroizing::new(raw.to_vec()));
    }
    match format {
        PrivateFormat::Pkcs8 => {
            let der = keys::pkcs8_der(key)?;
            let custom = encryption.custom_for(PrivateFormat::Pkcs8)?;
            let (der, label) = match password {
                None => (der, "PRIVATE KEY"),
                Some(password) => {
                    let kdf = custom
                        .and_then(|c| c.pkcs8_kdf)
                        .unwrap_or(Pkcs8Kdf::Pbkdf2 {
                            hash: Pbkdf2Hash::Sha256,
                            iterations: BEST_PBKDF2_ITERATIONS,
                        });
                    let cipher = custom
                        .and_then(|c| c.pkcs8_cipher)
                        .unwrap_or(Pkcs8Cipher::Aes256Cbc);
                    let encrypted = pbe::encrypt_pkcs8(&der, password, kdf, cipher)?;
                    (Zeroizing::new(encrypted), "ENCRYPTED PRIVATE KEY")
                }
            };
            wrap(encoding, label, &[], der, invalid_private)
        }
        PrivateFormat::TraditionalOpenSsl => {
            if let EncryptionKind::Custom(_) = encryption.kind {
                return Err(invalid_private(
                    "custom encryption applies to Pkcs8 and OpenSsh; traditional keys take \
                     NoEncryption or BestAvailableEncryption",
                ));
            }
            let (der, label) = match key {
                PrivateKeyTypes::Rsa(k) => (keys::pkcs1_private_der(k)?, "RSA PRIVATE KEY"),
                PrivateKeyTypes::Ec(k) => (keys::sec1_private_der(k, true)?, "EC PRIVATE KEY"),
                PrivateKeyTypes::Dsa(k) => (keys::dsa_private_der(k)?, "DSA PRIVATE KEY"),
                other => {
                    return Err(invalid_private(&format!(
                        "{} keys have no traditional OpenSSL form",
                        other.algorithm_name()
                    )))
                }
            };
            match (encoding, password) {
                (Encoding::Der, Some(_)) => Err(invalid_private(
                    "traditional OpenSSL DER keys cannot be encrypted",
                )),
                (Encoding::Pem, Some(password)) => {
                    let (headers, body) = pbe::encrypt_pem(&der, password)?;
                    Ok(Zeroizing::new(pem::encode(label, &headers, &body)?))
                }
                _ => wrap(encoding, label, &[], der, invalid_private),
            }
        }
        PrivateFormat::OpenSsh => {
            if encoding != Encoding::Pem {
                return Err(invalid_private("the OpenSsh private format is PEM-encoded"));
            }
            let custom = encryption.custom_for(PrivateFormat::OpenSsh)?;
            let rounds = custom.and_then(|c| c.ssh_rounds).unwrap_or(BEST_SSH_ROUNDS);
            let cipher = custom
                .and_then(|c| c.ssh_cipher)
                .unwrap_or(ssh::SshCipher::Aes256Ctr);
            ssh::encode_private_key(key, password, rounds, cipher)
        }
        // Handled with the Raw encoding above.
        PrivateFormat::Raw => Err(invalid_private("Raw encoding and Raw format go together")),
    }
}

fn wrap(
    encoding: Encoding,
    label: &str,
    headers: &[(&str, String)],
    der: Zeroizing<Vec<u8>>,
    invalid: fn(&str) -> Error,
) -> Result<Zeroizing<Vec<u8>>> {
    match encoding {
        Encoding::Der => Ok(der),
        Encoding::Pem => Ok(Zeroizing::new(pem::encode(label, headers, &der)?)),
        other => Err(invalid(&format!(
            "{other:?} encoding does not fit this format"
        ))),
    }
}

/// `public_bytes` for any key type, with pyca's rules.
pub(crate) fn public_bytes(
    key: &PublicKeyTypes,
    encoding: Encoding,
    format: PublicFormat,
) -> Result<Vec<u8>> {
    let raw_pair = encoding == Encoding::Raw || format == PublicFormat::Raw;
    if raw_pair && (encoding != Encoding::Raw || format != PublicFormat::Raw) {
        return Err(invalid_public("Raw encoding and Raw format go together"));
    }
    let ssh_pair = encoding == Encoding::OpenSsh || format == PublicFormat::OpenSsh;
    if ssh_pair && (encoding != Encoding::OpenSsh || format != PublicFormat::OpenSsh) {
        return Err(invalid_public(
            "OpenSsh encoding and OpenSsh format go together",
        ));
    }
    let point = matches!(
        format,
        PublicFormat::CompressedPoint | PublicFormat::UncompressedPoint
    );
    if (encoding == Encoding::X962) != point {
        return Err(invalid_public(
            "X962 encoding goes with the CompressedPoint and UncompressedPoint formats",
        ));
    }
    match format {
        PublicFormat::SubjectPublicKeyInfo => {
            let der = Zeroizing::new(keys::spki_der(key)?);
            Ok(wrap(encoding, "PUBLIC KEY", &[], der, invalid_public)?.to_vec())
        }
        PublicFormat::Pkcs1 => match key {
            PublicKeyTypes::Rsa(k) => {
                let der = Zeroizing::new(keys::pkcs1_public_der(k)?);
                Ok(wrap(encoding, "RSA PUBLIC KEY", &[], der, invalid_public)?.to_vec())
            }
            other => Err(invalid_public(&format!(
                "Pkcs1 is for RSA keys, not {}",
                other.algorithm_name()
            ))),
        },
        PublicFormat::OpenSsh => ssh::encode_public_key(key),
        PublicFormat::Raw => match key {
            PublicKeyTypes::Ed25519(k) => Ok(k.public_bytes_raw()),
            PublicKeyTypes::Ed448(k) => Ok(k.public_bytes_raw()),
            PublicKeyTypes::X25519(k) => Ok(k.public_bytes_raw()),
            PublicKeyTypes::X448(k) => Ok(k.public_bytes_raw()),
            other => Err(invalid_public(&format!(
                "{} keys have no raw form",
                other.algorithm_name()
            ))),
        },
        PublicFormat::CompressedPoint | PublicFormat::UncompressedPoint => match key {
            PublicKeyTypes::Ec(k) => k.public_bytes_x962(format == PublicFormat::CompressedPoint),
            other => Err(invalid_public(&format!(
                "X9.62 points are for EC keys, not {}",
                other.algorithm_name()
            ))),
        },
    }
}

macro_rules! private_key_bytes {
    ($($Type:ty => $Variant:ident),* $(,)?) => {$(
        impl $Type {
            /// The key serialized (pyca's `private_bytes`): see
            /// [`serialization`](crate::hazmat::primitives::serialization) for the valid
            /// (encoding, format) pairs; an invalid pair is `InvalidArgument` naming them.
            /// The bytes are wiped on drop.
            pub fn private_bytes(
                &self,
                encoding: Encoding,
                format: PrivateFormat,
                encryption: impl Into<KeySerializationEncryption>,
            ) -> Result<Zeroizing<Vec<u8>>> {
                private_bytes(
                    &PrivateKeyTypes::$Variant(self.clone()),
                    encoding,
                    format,
                    &encryption.into(),
                )
            }
        }
    )*};
}

macro_rules! public_key_bytes {
    ($($Type:ty => $Variant:ident),* $(,)?) => {$(
        impl $Type {
            /// The key serialized (pyca's `public_bytes`): see
            /// [`serialization`](crate::hazmat::primitives::serialization) for the valid
            /// (encoding, format) pairs; an invalid pair is `InvalidArgument` naming them.
            pub fn public_bytes(&self, encoding: Encoding, format: PublicFormat) -> Result<Vec<u8>> {
                public_bytes(&PublicKeyTypes::$Variant(self.clone()), encoding, format)
            }
        }
    )*};
}

private_key_bytes!(
    RsaPrivateKey => Rsa,
    DsaPrivateKey => Dsa,
    EllipticCurvePrivateKey => Ec,
    Ed25519PrivateKey => Ed25519,
    Ed448PrivateKey => Ed448,
    X25519PrivateKey => X25519,
    X448PrivateKey => X448,
    DhPrivateKey => Dh,
);

public_key_bytes!(
    RsaPublicKey => Rsa,
    DsaPublicKey => Dsa,
    EllipticCurvePublicKey => Ec,
    Ed25519PublicKey => Ed25519,
    Ed448PublicKey => Ed448,
    X25519PublicKey => X25519,
    X448PublicKey => X448,
    DhPublicKey => Dh,
);

impl PrivateKeyTypes {
    /// As each key type's `private_bytes`.
    pub fn private_bytes(
        &self,
        encoding: Encoding,
        format: PrivateFormat,
        encryption: impl Into<KeySerializationEncryption>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        private_bytes(self, encoding, format, &encryption.into())
    }
}

impl PublicKeyTypes {
    /// As each key type's `public_bytes`.
    pub fn public_bytes(&self, encoding: Encoding, format: PublicFormat) -> Result<Vec<u8>> {
        public_bytes(self, encoding, format)
    }
}

impl DhParameters {
    /// The parameters serialized (pyca's `parameter_bytes`): PEM (`DH PARAMETERS`, or
    /// `X9.42 DH PARAMETERS` when q is known) or DER.
    pub fn parameter_bytes(&self, encoding: Encoding, format: ParameterFormat) -> Result<Vec<u8>> {
        let ParameterFormat::Pkcs3 = format;
        let numbers = self.parameter_numbers();
        let der = Zeroizing::new(keys::dh_parameters_encode(&numbers)?);
        let label = if numbers.q.is_some() {
            "X9.42 DH PARAMETERS"
        } else {
            "DH PARAMETERS"
        };
        let invalid = |why: &str| {
            Error::invalid(format!(
                "{why}; DH parameters are written as (Pem or Der, Pkcs3)"
            ))
        };
        Ok(wrap(encoding, label, &[], der, invalid)?.to_vec())
    }
}
