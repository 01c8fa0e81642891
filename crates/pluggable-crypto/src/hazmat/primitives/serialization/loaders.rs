//! The loaders: `load_pem_private_key` and friends, on the default backend or through a
//! [`KeyLoader`] that names one.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::keys::{self, Builder, ParameterTypes, PrivateKeyTypes, PublicKeyTypes};
use super::pbe::{self, EncryptedPrivateKeyInfoDer};
use super::{asn1, pem, ssh};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::asymmetric::dh::DhParameterNumbers;
use crate::hazmat::primitives::asymmetric::ffc;
use crate::hazmat::primitives::asymmetric::BigUint;
use crate::{Error, KeyRejectedKind, Result};

/// Loads keys with options: the backend that holds them, and whether RSA numbers are checked.
///
/// ```
/// # use pluggable_crypto::hazmat::primitives::serialization::KeyLoader;
/// # fn f(pem: &[u8]) -> pluggable_crypto::Result<()> {
/// let key = KeyLoader::new()
///     .backend(pluggable_crypto::hazmat::backends::default_backend())
///     .load_pem_private_key(pem, None)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct KeyLoader {
    backend: Option<Arc<dyn Backend>>,
    unsafe_skip_rsa_key_validation: bool,
}

impl std::fmt::Debug for KeyLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyLoader")
            .field("backend", &self.backend.as_ref().map(|b| b.name()))
            .field(
                "unsafe_skip_rsa_key_validation",
                &self.unsafe_skip_rsa_key_validation,
            )
            .finish()
    }
}

impl KeyLoader {
    /// Loads onto the default backend, checking RSA numbers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads keys onto `backend`.
    pub fn backend(mut self, backend: Arc<dyn Backend>) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Skips the RSA private-key checks (p·q = n, the CRT values, d), as pyca's
    /// `unsafe_skip_rsa_key_validation=True`: faster for trusted keys, and wrong answers
    /// (or leaks) from keys that are not. OpenSSL then skips its pairwise check as well;
    /// RustCrypto recomputes the CRT values from p, q and d, and ring always validates.
    pub fn unsafe_skip_rsa_key_validation(mut self, skip: bool) -> Self {
        self.unsafe_skip_rsa_key_validation = skip;
        self
    }

    fn builder(&self) -> Builder {
        Builder {
            backend: self.backend.clone().unwrap_or_else(default_backend),
            unsafe_skip_rsa_key_validation: self.unsafe_skip_rsa_key_validation,
        }
    }

    /// A private key from PEM: PKCS #8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`) or
    /// traditional (`RSA PRIVATE KEY`, `EC PRIVATE KEY`, `DSA PRIVATE KEY`, optionally with
    /// `DEK-Info` encryption). The first block with one of these labels is read.
    pub fn load_pem_private_key(
        &self,
        data: &[u8],
        password: Option<&[u8]>,
    ) -> Result<PrivateKeyTypes> {
        let blocks = pem::parse_blocks(data)?;
        let block = blocks
            .iter()
            .find(|b| PRIVATE_KEY_PEM_LABELS.contains(&b.label.as_str()))
            .ok_or_else(|| {
                Error::MalformedKeyData(format!(
                    "no PEM block with a private key label ({}) was found",
                    PRIVATE_KEY_PEM_LABELS.join(", ")
                ))
            })?;
        let builder = self.builder();
        match block.label.as_str() {
            "PRIVATE KEY" => {
                refuse_password(password)?;
                keys::pkcs8_private_key(&builder, &block.body)
            }
            "ENCRYPTED PRIVATE KEY" => {
                let info: EncryptedPrivateKeyInfoDer<'_> =
                    asn1::decode("PKCS #8 EncryptedPrivateKeyInfo", &block.body)?;
                let password = password.ok_or(Error::PasswordRequired)?;
                decrypted_pkcs8(&builder, &info, password)
            }
            label => {
                let der: Zeroizing<Vec<u8>> = if pbe::pem_is_encrypted(block) {
                    pbe::pem_dek_info(block)?;
                    let password = password.ok_or(Error::PasswordRequired)?;
                    pbe::decrypt_pem(block, password)?
                } else {
                    refuse_password(password)?;
                    block.body.clone()
                };
                let parsed = match label {
                    "RSA PRIVATE KEY" => {
                        keys::rsa_private_numbers(&der).and_then(|n| builder.rsa_private(n))
                    }
                    "EC PRIVATE KEY" => keys::ec_private_key(&builder, &der, None),
                    _ => keys::dsa_private_key(&builder, &der),
                };
                // A wrong DEK-Info password that happens to leave valid padding gives garbage
                // that does not parse.
                match parsed {
                    Err(Error::MalformedKeyData(_)) if pbe::pem_is_encrypted(block) => {
                        Err(Error::IncorrectPassword)
                    }
                    other => other,
                }
            }
        }
    }

    /// A private key from DER: PKCS #8 `PrivateKeyInfo` or `EncryptedPrivateKeyInfo`, or a
    /// traditional PKCS #1, SEC 1 or DSA key.
    pub fn load_der_private_key(
        &self,
        data: &[u8],
        password: Option<&[u8]>,
    ) -> Result<PrivateKeyTypes> {
        check_size(data)?;
        let builder = self.builder();
        if asn1::decode::<pkcs8::PrivateKeyInfoRef<'_>>("", data).is_ok() {
            refuse_password(password)?;
            return keys::pkcs8_private_key(&builder, data);
        }
        if let Ok(info) = asn1::decode::<EncryptedPrivateKeyInfoDer<'_>>("", data) {
            let password = password.ok_or(Error::PasswordRequired)?;
            return decrypted_pkcs8(&builder, &info, password);
        }
        refuse_password(password)?;
        if let Ok(numbers) = keys::rsa_private_numbers(data) {
            return builder.rsa_private(numbers);
        }
        if asn1::decode::<asn1::EcPrivateKeyDer<'_>>("", data).is_ok() {
            return keys::ec_private_key(&builder, data, None);
        }
        if asn1::decode::<asn1::DsaPrivateKeyDer<'_>>("", data).is_ok() {
            return keys::dsa_private_key(&builder, data);
        }
        // Report why the most likely form failed.
        keys::pkcs8_private_key(&builder, data)
    }

    /// A public key from PEM: SPKI (`PUBLIC KEY`) or PKCS #1 (`RSA PUBLIC KEY`; an SPKI
    /// holding an RSA key under that label is read too, as pyca does).
    pub fn load_pem_public_key(&self, data: &[u8]) -> Result<PublicKeyTypes> {
        let blocks = pem::parse_blocks(data)?;
        let block = blocks
            .iter()
            .find(|b| b.label == "PUBLIC KEY" || b.label == "RSA PUBLIC KEY")
            .ok_or_else(|| {
                Error::MalformedKeyData(
                    "no PEM block labelled PUBLIC KEY or RSA PUBLIC KEY was found".into(),
                )
            })?;
        let builder = self.builder();
        if block.label == "PUBLIC KEY" {
            return keys::spki_public_key(&builder, &block.body);
        }
        match keys::pkcs1_public_key(&builder, &block.body) {
            Err(Error::MalformedKeyData(why)) => match keys::spki_public_key(&builder, &block.body)
            {
                Ok(PublicKeyTypes::Rsa(key)) => Ok(PublicKeyTypes::Rsa(key)),
                Ok(_) => Err(Error::MalformedKeyData(
                    "an RSA PUBLIC KEY block holds a key of another type".into(),
                )),
                Err(_) => Err(Error::MalformedKeyData(why)),
            },
            other => other,
        }
    }

    /// A public key from DER: SPKI or PKCS #1 `RSAPublicKey`.
    pub fn load_der_public_key(&self, data: &[u8]) -> Result<PublicKeyTypes> {
        check_size(data)?;
        let builder = self.builder();
        match keys::spki_public_key(&builder, data) {
            Err(Error::MalformedKeyData(why)) => {
                if asn1::decode::<pkcs1::RsaPublicKey<der::asn1::UintRef<'_>>>("", data).is_ok() {
                    keys::pkcs1_public_key(&builder, data)
                } else {
                    Err(Error::MalformedKeyData(why))
                }
            }
            other => other,
        }
    }

    /// An OpenSSH private key (`openssh-key-v1`, PEM label `OPENSSH PRIVATE KEY`): RSA, DSA,
    /// ECDSA (P-256, P-384, P-521) or Ed25519, unencrypted or under bcrypt-pbkdf (at most
    /// 1024 rounds) with aes256-ctr, aes256-cbc or aes256-gcm@openssh.com. As pyca, an empty
    /// password counts as none; security-key (`sk-`) private keys are `UnsupportedAlgorithm`.
    pub fn load_ssh_private_key(
        &self,
        data: &[u8],
        password: Option<&[u8]>,
    ) -> Result<PrivateKeyTypes> {
        ssh::load_private_key(&self.builder(), data, password)
    }

    /// An OpenSSH public key line (`ssh-ed25519 AAAA... comment`) of type `ssh-rsa`,
    /// `ssh-dss`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`, or the security-key types
    /// `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com` (returned as the
    /// plain Ed25519 or P-256 key); or the certified key of an OpenSSH certificate line
    /// (`*-cert-v01@openssh.com`, parsed whole; its signature is not verified).
    pub fn load_ssh_public_key(&self, data: &[u8]) -> Result<PublicKeyTypes> {
        ssh::load_public_key(&self.builder(), data)
    }

    /// DH parameters from PEM (`DH PARAMETERS`, `X9.42 DH PARAMETERS`).
    pub fn load_pem_parameters(&self, data: &[u8]) -> Result<ParameterTypes> {
        let blocks = pem::parse_blocks(data)?;
        let block = blocks
            .iter()
            .find(|b| b.label == "DH PARAMETERS" || b.label == "X9.42 DH PARAMETERS")
            .ok_or_else(|| {
                Error::MalformedKeyData(
                    "no PEM block labelled DH PARAMETERS or X9.42 DH PARAMETERS was found".into(),
                )
            })?;
        let numbers = keys::dh_parameters_der(&block.body, Some(block.label.starts_with("X9.42")))?;
        self.dh_parameters(numbers)
    }

    /// DH parameters from DER (PKCS #3 or X9.42).
    pub fn load_der_parameters(&self, data: &[u8]) -> Result<ParameterTypes> {
        check_size(data)?;
        let numbers = keys::dh_parameters_der(data, None)?;
        self.dh_parameters(numbers)
    }

    /// Parameters from a file are checked for primality too (p, and q when given), as
    /// OpenSSL's `DH_check` does for pyca: any SEQUENCE of two integers (an RSA public key)
    /// would otherwise pass for PKCS #3.
    fn dh_parameters(&self, numbers: DhParameterNumbers) -> Result<ParameterTypes> {
        // The numbers' rules (sizes first) before the primality test, which bounds its work.
        let parameters = numbers.parameters_with_backend(self.builder().backend)?;
        let prime = |n: &BigUint| ffc::is_probable_prime(n);
        if !prime(&numbers.p) || numbers.q.as_ref().is_some_and(|q| !prime(q)) {
            return Err(Error::key_rejected(
                KeyRejectedKind::InvalidComponent,
                "DH parameters (p or q is not prime)",
            ));
        }
        Ok(ParameterTypes::Dh(parameters))
    }
}

/// The PEM labels `load_pem_private_key` reads: PKCS #8 (plain and encrypted) and the
/// traditional RSA, EC and DSA forms.
pub const PRIVATE_KEY_PEM_LABELS: [&str; 5] = [
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
];

fn check_size(data: &[u8]) -> Result<()> {
    if data.len() > pem::MAX_INPUT {
        return Err(Error::MalformedKeyData(format!(
            "the input is {} bytes; key input is limited to {} bytes",
            data.len(),
            pem::MAX_INPUT
        )));
    }
    Ok(())
}

fn refuse_password(password: Option<&[u8]>) -> Result<()> {
    match password {
        Some(_) => Err(Error::PasswordNotExpected),
        None => Ok(()),
    }
}

fn decrypted_pkcs8(
    builder: &Builder,
    info: &EncryptedPrivateKeyInfoDer<'_>,
    password: &[u8],
) -> Result<PrivateKeyTypes> {
    let der = pbe::decrypt_pkcs8(info, password)?;
    // Garbage from a wrong password can pass the padding check; it does not parse.
    match keys::pkcs8_private_key(builder, &der) {
        Err(Error::MalformedKeyData(_)) => Err(Error::IncorrectPassword),
        other => other,
    }
}

/// A private key from PEM on the default backend (see [`KeyLoader::load_pem_private_key`]).
pub fn load_pem_private_key(data: &[u8], password: Option<&[u8]>) -> Result<PrivateKeyTypes> {
    KeyLoader::new().load_pem_private_key(data, password)
}

/// A private key from DER on the default backend (see [`KeyLoader::load_der_private_key`]).
pub fn load_der_private_key(data: &[u8], password: Option<&[u8]>) -> Result<PrivateKeyTypes> {
    KeyLoader::new().load_der_private_key(data, password)
}

/// A public key from PEM on the default backend (see [`KeyLoader::load_pem_public_key`]).
pub fn load_pem_public_key(data: &[u8]) -> Result<PublicKeyTypes> {
    KeyLoader::new().load_pem_public_key(data)
}

/// A public key from DER on the default backend (see [`KeyLoader::load_der_public_key`]).
pub fn load_der_public_key(data: &[u8]) -> Result<PublicKeyTypes> {
    KeyLoader::new().load_der_public_key(data)
}

/// An OpenSSH private key on the default backend (see [`KeyLoader::load_ssh_private_key`]).
pub fn load_ssh_private_key(data: &[u8], password: Option<&[u8]>) -> Result<PrivateKeyTypes> {
    KeyLoader::new().load_ssh_private_key(data, password)
}

/// An OpenSSH public key on the default backend (see [`KeyLoader::load_ssh_public_key`]).
pub fn load_ssh_public_key(data: &[u8]) -> Result<PublicKeyTypes> {
    KeyLoader::new().load_ssh_public_key(data)
}

/// DH parameters from PEM on the default backend.
pub fn load_pem_parameters(data: &[u8]) -> Result<ParameterTypes> {
    KeyLoader::new().load_pem_parameters(data)
}

/// DH parameters from DER on the default backend.
pub fn load_der_parameters(data: &[u8]) -> Result<ParameterTypes> {
    KeyLoader::new().load_der_parameters(data)
}
