//! Password-based encryption of private keys: encrypted PKCS #8 (PBES2 with PBKDF2 or scrypt;
//! PBES1; the PKCS #12 PBEs) and the `DEK-Info` encryption of traditional OpenSSL PEM.
//!
//! The parameter structures are parsed by `pkcs5` (the PBES1 algorithm and the PBES2 key
//! derivation functions) and by `der` (the rest). The KDFs and ciphers are the library's own,
//! on the default backend, so keys decrypt whichever backend they are loaded onto. Three
//! pieces have no maintained crate over this library's primitives and are written here:
//! the PKCS #12 key derivation (RFC 7292 appendix B.2), PBKDF1 (RFC 8018 section 5.1) and
//! OpenSSL's `EVP_BytesToKey` for `DEK-Info`, each a few lines over [`Hash`]. RC2, which no
//! backend offers (OpenSSL 3 keeps it in its legacy provider), is the `rc2` crate's, for
//! decryption of old files only.

use std::sync::Arc;

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use der::Sequence;
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::asn1::{self, oid};
use super::pem::PemBlock;
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::algorithms::{Aes, Arc4, TripleDes};
use crate::hazmat::primitives::ciphers::modes::Cbc;
use crate::hazmat::primitives::ciphers::Cipher;
use crate::hazmat::primitives::hashes::{
    Hash, HashAlgorithm, Md5, Sha1, Sha224, Sha256, Sha384, Sha512,
};
use crate::hazmat::primitives::kdf::pbkdf2::Pbkdf2Hmac;
use crate::hazmat::primitives::kdf::scrypt::Scrypt;
use crate::{Error, Result};

/// `EncryptedPrivateKeyInfo` (RFC 5958).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EncryptedPrivateKeyInfoDer<'a> {
    pub(crate) encryption_algorithm: AlgorithmIdentifierRef<'a>,
    pub(crate) encrypted_data: &'a OctetStringRef,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Pbes2ParamsDer<'a> {
    key_derivation_func: AlgorithmIdentifierRef<'a>,
    encryption_scheme: AlgorithmIdentifierRef<'a>,
}

/// `RC2-CBC-Parameter` (RFC 8018 appendix B.2.3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Rc2CbcParameter<'a> {
    #[asn1(optional = "true")]
    version: Option<u32>,
    iv: &'a OctetStringRef,
}

/// `pkcs-12PbeParams` (RFC 7292 appendix C).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Pkcs12PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
}

/// No more KDF work than this is done for a key file someone hands us: well above what any
/// tool writes (ssh-keygen 16 bcrypt rounds, OpenSSL 2048 PBKDF2 iterations, pyca 600,000).
const MAX_ITERATIONS: u32 = 10_000_000;
/// scrypt's memory is 128 * r * N bytes (plus 128 * r * p); refuse more than 128 MiB, four
/// times OpenSSL's default limit (32 MiB), and more than 2^24 block operations in all.
const MAX_SCRYPT_MEMORY: u128 = 128 << 20;
const MAX_SCRYPT_WORK: u128 = 1 << 24;

/// The symmetric ciphers of key encryption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyCipher {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    DesEde3Cbc,
    DesCbc,
    /// RC2-CBC with an effective key length in bits.
    Rc2Cbc(usize),
    Rc4,
}

fn cipher_name(c: KeyCipher) -> &'static str {
    match c {
        KeyCipher::Aes128Cbc => "AES-128-CBC",
        KeyCipher::Aes192Cbc => "AES-192-CBC",
        KeyCipher::Aes256Cbc => "AES-256-CBC",
        KeyCipher::DesEde3Cbc => "DES-EDE3-CBC",
        KeyCipher::DesCbc => "DES-CBC",
        KeyCipher::Rc2Cbc(_) => "RC2-CBC",
        KeyCipher::Rc4 => "RC4",
    }
}

fn unknown(what: &str, oid: &ObjectIdentifier) -> Error {
    Error::unsupported(
        crate::Reason::UnsupportedSerialization,
        format!("unknown or unsupported key encryption {what}: {oid}"),
    )
}

/// Decrypts an `EncryptedPrivateKeyInfo` with `password`, giving the `PrivateKeyInfo` DER.
pub(crate) fn decrypt_pkcs8(
    info: &EncryptedPrivateKeyInfoDer<'_>,
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let algorithm = &info.encryption_algorithm;
    let data = info.encrypted_data.as_bytes();
    if algorithm.oid == oid::PBES2 {
        let params: Pbes2ParamsDer<'_> = params_as("PBES2 parameters", algorithm)?;
        return decrypt_pbes2(&params, password, data);
    }
    if let Ok(pbes1) = pkcs5::pbes1::Algorithm::try_from(*algorithm) {
        return decrypt_pbes1(&pbes1, password, data);
    }
    if let Some(scheme) = pkcs12_scheme(&algorithm.oid) {
        let params: Pkcs12PbeParams<'_> = params_as("PKCS #12 PBE parameters", algorithm)?;
        return decrypt_pkcs12(scheme, &params, password, data);
    }
    Err(unknown("algorithm", &algorithm.oid))
}

fn params_as<'a, T: der::Choice<'a> + der::DecodeValue<'a, Error = der::Error>>(
    what: &str,
    algorithm: &AlgorithmIdentifierRef<'a>,
) -> Result<T> {
    let any = algorithm
        .parameters
        .ok_or_else(|| Error::MalformedKeyData(format!("{what} are missing")))?;
    any.decode_as().map_err(|e| asn1::malformed(what, e))
}

fn decrypt_pbes2(
    params: &Pbes2ParamsDer<'_>,
    password: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let scheme = &params.encryption_scheme;
    let (cipher, key_len, iv): (KeyCipher, usize, Vec<u8>) = match scheme.oid {
        oid::AES_128_CBC => (KeyCipher::Aes128Cbc, 16, iv_of(scheme, 16)?),
        oid::AES_192_CBC => (KeyCipher::Aes192Cbc, 24, iv_of(scheme, 16)?),
        oid::AES_256_CBC => (KeyCipher::Aes256Cbc, 32, iv_of(scheme, 16)?),
        oid::DES_EDE3_CBC => (KeyCipher::DesEde3Cbc, 24, iv_of(scheme, 8)?),
        oid::DES_CBC => (KeyCipher::DesCbc, 8, iv_of(scheme, 8)?),
        oid::RC2_CBC => {
            let p: Rc2CbcParameter<'_> = params_as("RC2-CBC parameters", scheme)?;
            // RFC 8018 B.2.3: the version encodes the effective key bits.
            let bits = match p.version {
                Some(160) => 40,
                Some(120) => 64,
                Some(58) => 128,
                _ => return Err(unknown("RC2 effective key length", &scheme.oid)),
            };
            if p.iv.as_bytes().len() != 8 {
                return Err(Error::MalformedKeyData(
                    "the RC2-CBC IV is not 8 bytes".into(),
                ));
            }
            (KeyCipher::Rc2Cbc(bits), 0, p.iv.as_bytes().to_vec())
        }
        _ => return Err(unknown("cipher", &scheme.oid)),
    };
    let kdf = pkcs5::pbes2::Kdf::try_from(params.key_derivation_func).map_err(|_| {
        unknown(
            "key derivation function or PRF",
            &params.key_derivation_func.oid,
        )
    })?;
    let key_len = match (kdf.key_length(), cipher) {
        (Some(n), KeyCipher::Rc2Cbc(_)) => usize::from(n),
        (None, KeyCipher::Rc2Cbc(_)) => 16,
        (Some(n), _) if usize::from(n) != key_len => {
            return Err(Error::MalformedKeyData(format!(
                "the PBES2 key length {n} does not fit {}",
                cipher_name(cipher)
            )))
        }
        _ => key_len,
    };
    if key_len == 0 || key_len > 128 {
        return Err(Error::MalformedKeyData(
            "the PBES2 key length is out of range".into(),
        ));
    }
    let key = derive_pbes2_key(&kdf, password, key_len)?;
    decrypt_with(cipher, &key, &iv, data)
}

fn derive_pbes2_key(
    kdf: &pkcs5::pbes2::Kdf,
    password: &[u8],
    key_len: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(p) = kdf.pbkdf2() {
        if p.iteration_count == 0 || p.iteration_count > MAX_ITERATIONS {
            return Err(Error::MalformedKeyData(format!(
                "PBKDF2 iteration count {} is outside 1 to {MAX_ITERATIONS}",
                p.iteration_count
            )));
        }
        use pkcs5::pbes2::Pbkdf2Prf as Prf;
        let hash: Arc<dyn HashAlgorithm> = match p.prf {
            Prf::HmacWithSha1 => Arc::new(Sha1),
            Prf::HmacWithSha224 => Arc::new(Sha224),
            Prf::HmacWithSha256 => Arc::new(Sha256),
            Prf::HmacWithSha384 => Arc::new(Sha384),
            Prf::HmacWithSha512 => Arc::new(Sha512),
            _ => {
                return Err(Error::unsupported(
                    crate::Reason::UnsupportedSerialization,
                    "unsupported PBKDF2 PRF",
                ))
            }
        };
        let mut kdf = Pbkdf2Hmac::from_shared(
            hash,
            key_len,
            p.salt.as_bytes(),
            p.iteration_count,
            crate::hazmat::backends::default_backend(),
        )?;
        return kdf.derive(password);
    }
    if let Some(s) = kdf.scrypt() {
        let (n, r, p) = (
            u128::from(s.cost_parameter),
            u128::from(s.block_size),
            u128::from(s.parallelization),
        );
        if 128 * r * (n + p) > MAX_SCRYPT_MEMORY || n * r * p > MAX_SCRYPT_WORK {
            return Err(Error::MalformedKeyData(
                "the scrypt parameters ask for more than 128 MiB or 2^24 block operations".into(),
            ));
        }
        let mut kdf = Scrypt::new(
            s.salt.as_bytes(),
            key_len,
            s.cost_parameter,
            u32::from(s.block_size),
            u32::from(s.parallelization),
        )
        .map_err(|e| Error::MalformedKeyData(format!("scrypt parameters: {e}")))?;
        return kdf.derive(password);
    }
    Err(Error::unsupported(
        crate::Reason::UnsupportedSerialization,
        "unsupported PBES2 key derivation function",
    ))
}

fn iv_of(scheme: &AlgorithmIdentifierRef<'_>, len: usize) -> Result<Vec<u8>> {
    let iv: &OctetStringRef = params_as("cipher parameters", scheme)?;
    if iv.as_bytes().len() != len {
        return Err(Error::MalformedKeyData(format!(
            "the IV is {} bytes; the cipher takes {len}",
            iv.as_bytes().len()
        )));
    }
    Ok(iv.as_bytes().to_vec())
}

fn decrypt_pbes1(
    algorithm: &pkcs5::pbes1::Algorithm,
    password: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    use pkcs5::pbes1::{DigestAlgorithm, SymmetricCipher};
    let iterations = u32::from(algorithm.parameters.iteration_count);
    if iterations == 0 {
        return Err(Error::MalformedKeyData(
            "the PBES1 iteration count is 0".into(),
        ));
    }
    let hash: Arc<dyn HashAlgorithm> = match algorithm.encryption.digest() {
        DigestAlgorithm::Md5 => Arc::new(Md5),
        DigestAlgorithm::Sha1 => Arc::new(Sha1),
        _ => {
            return Err(Error::unsupported(
                crate::Reason::UnsupportedSerialization,
                "PBES1 with MD2 is not supported",
            ))
        }
    };
    // PBKDF1 (RFC 8018 5.1): T1 = H(P || S), Ti = H(Ti-1); key = T[0..8], IV = T[8..16].
    let mut t = Zeroizing::new(Vec::with_capacity(password.len() + 8));
    t.extend_from_slice(password);
    t.extend_from_slice(&algorithm.parameters.salt);
    for _ in 0..iterations {
        let mut h = Hash::from_shared(hash.clone(), crate::hazmat::backends::default_backend())?;
        h.update(&t)?;
        t = Zeroizing::new(h.finalize()?);
    }
    let cipher = match algorithm.encryption.cipher() {
        SymmetricCipher::DesCbc => KeyCipher::DesCbc,
        SymmetricCipher::Rc2Cbc => KeyCipher::Rc2Cbc(64),
    };
    decrypt_with(cipher, &t[..8], &t[8..16], data)
}

/// The cipher and key length of a PKCS #12 PBE OID (RFC 7292 appendix C).
fn pkcs12_scheme(oid: &ObjectIdentifier) -> Option<(KeyCipher, usize)> {
    let arcs: Vec<u32> = oid.arcs().collect();
    let base: Vec<u32> = oid::PKCS12_PBE_ARC.arcs().collect();
    if arcs.len() != base.len() + 1 || arcs[..base.len()] != base[..] {
        return None;
    }
    Some(match arcs[base.len()] {
        1 => (KeyCipher::Rc4, 16),
        2 => (KeyCipher::Rc4, 5),
        3 => (KeyCipher::DesEde3Cbc, 24),
        4 => (KeyCipher::DesEde3Cbc, 16),
        5 => (KeyCipher::Rc2Cbc(128), 16),
        6 => (KeyCipher::Rc2Cbc(40), 5),
        _ => return None,
    })
}

fn decrypt_pkcs12(
    (cipher, key_len): (KeyCipher, usize),
    params: &Pkcs12PbeParams<'_>,
    password: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if params.iterations == 0 || params.iterations > MAX_ITERATIONS {
        return Err(Error::MalformedKeyData(format!(
            "PKCS #12 iteration count {} is outside 1 to {MAX_ITERATIONS}",
            params.iterations
        )));
    }
    let salt = params.salt.as_bytes();
    let key = pkcs12_kdf(password, salt, 1, params.iterations, key_len)?;
    let iv = match cipher {
        KeyCipher::Rc4 => Zeroizing::new(Vec::new()),
        _ => pkcs12_kdf(password, salt, 2, params.iterations, 8)?,
    };
    decrypt_with(cipher, &key, &iv, data)
}

/// The PKCS #12 key derivation (RFC 7292 appendix B.2) with SHA-1 (u = 20, v = 64), over a
/// password taken as UTF-8 (bytes that are not UTF-8 as Latin-1, as OpenSSL does) and encoded
/// as a NUL-terminated BMPString.
fn pkcs12_kdf(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    length: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    const U: usize = 20;
    const V: usize = 64;
    let mut bmp = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    match std::str::from_utf8(password) {
        Ok(text) => text
            .encode_utf16()
            .for_each(|c| bmp.extend_from_slice(&c.to_be_bytes())),
        Err(_) => password
            .iter()
            .for_each(|&b| bmp.extend_from_slice(&[0, b])),
    }
    bmp.extend_from_slice(&[0, 0]);
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = src.len().div_ceil(V) * V;
        src.iter().cycle().take(len).copied().collect()
    };
    let mut i = Zeroizing::new(fill(salt));
    i.extend_from_slice(&Zeroizing::new(fill(&bmp)));
    let d = [id; V];
    let mut out = Zeroizing::new(Vec::with_capacity(length + U));
    while out.len() < length {
        let backend = crate::hazmat::backends::default_backend();
        let mut h = Hash::with_backend(Sha1, backend.clone())?;
        h.update(&d)?;
        h.update(&i)?;
        let mut a = Zeroizing::new(h.finalize()?);
        for _ in 1..iterations {
            let mut h = Hash::with_backend(Sha1, backend.clone())?;
            h.update(&a)?;
            a = Zeroizing::new(h.finalize()?);
        }
        out.extend_from_slice(&a);
        if out.len() >= length {
            break;
        }
        // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes.
        let b: Vec<u8> = a.iter().cycle().take(V).copied().collect();
        for block in i.chunks_mut(V) {
            let mut carry = 1u16;
            for k in (0..V).rev() {
                let sum = u16::from(block[k]) + u16::from(b[k]) + carry;
                block[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(length);
    Ok(out)
}

/// Decrypts `data`, removing PKCS #7 padding for the block ciphers. A bad padding is
/// `IncorrectPassword`: with CBC it is what a wrong key gives.
fn decrypt_with(
    cipher: KeyCipher,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let block = match cipher {
        KeyCipher::Rc4 => {
            let c = Cipher::new(
                Arc4::new(key)?,
                None::<Arc<dyn crate::hazmat::primitives::ciphers::modes::Mode>>,
            )?;
            let mut ctx = c.decryptor()?;
            let mut out = Zeroizing::new(ctx.update(data)?);
            out.extend_from_slice(&ctx.finalize()?);
            return Ok(out);
        }
        KeyCipher::Aes128Cbc | KeyCipher::Aes192Cbc | KeyCipher::Aes256Cbc => 16,
        _ => 8,
    };
    if data.is_empty() || !data.len().is_multiple_of(block) {
        return Err(Error::MalformedKeyData(format!(
            "the encrypted key is {} bytes, not a positive multiple of the {block}-byte block",
            data.len()
        )));
    }
    let mut out = match cipher {
        KeyCipher::Rc2Cbc(bits) => rc2_cbc_decrypt(key, bits, iv, data)?,
        _ => {
            let algorithm: Arc<dyn CipherAlgorithm> = match cipher {
                KeyCipher::DesEde3Cbc | KeyCipher::DesCbc => Arc::new(TripleDes::new(key)?),
                _ => Arc::new(Aes::new(key)?),
            };
            let c = Cipher::new(algorithm, Cbc::new(iv)?)?;
            let mut ctx = c.decryptor()?;
            let mut out = Zeroizing::new(ctx.update(data)?);
            out.extend_from_slice(&ctx.finalize()?);
            out
        }
    };
    let pad = usize::from(*out.last().unwrap_or(&0));
    if pad == 0
        || pad > block
        || out[out.len() - pad..]
            .iter()
            .any(|&b| usize::from(b) != pad)
    {
        return Err(Error::IncorrectPassword);
    }
    let len = out.len() - pad;
    out.truncate(len);
    Ok(out)
}

fn rc2_cbc_decrypt(key: &[u8], bits: usize, iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    use rc2::cipher::{Block, BlockCipherDecrypt};
    if key.is_empty() || key.len() > 128 || iv.len() != 8 {
        return Err(Error::MalformedKeyData("RC2 key or IV length".into()));
    }
    let rc2 = rc2::Rc2::new_with_eff_key_len(key, bits);
    let mut previous = [0u8; 8];
    previous.copy_from_slice(iv);
    let mut out = Zeroizing::new(Vec::with_capacity(data.len()));
    for chunk in data.chunks_exact(8) {
        let mut block = Block::<rc2::Rc2>::default();
        block.copy_from_slice(chunk);
        rc2.decrypt_block(&mut block);
        out.extend(block.iter().zip(previous.iter()).map(|(b, p)| b ^ p));
        previous.copy_from_slice(chunk);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Writing encrypted PKCS #8

/// The key derivation of an encrypted PKCS #8 file this library writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pkcs8Kdf {
    /// PBKDF2 with HMAC over SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512 (by digest size in
    /// bytes: 20, 28, 32, 48, 64) and an iteration count.
    Pbkdf2 {
        /// The PRF's digest: 1 (SHA-1), 224, 256, 384 or 512.
        hash: Pbkdf2Hash,
        /// The iteration count (1 to 10,000,000).
        iterations: u32,
    },
    /// scrypt with cost `2^log_n`, block size `r` and parallelism `p`.
    Scrypt {
        /// log2 of the cost parameter N (1 to 22).
        log_n: u8,
        /// The block size.
        r: u16,
        /// The parallelism.
        p: u16,
    },
}

/// The PRF hash of PBKDF2 in an encrypted PKCS #8 file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pbkdf2Hash {
    /// HMAC-SHA1 (the RFC 8018 default; for old readers only).
    Sha1,
    /// HMAC-SHA224.
    Sha224,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA384.
    Sha384,
    /// HMAC-SHA512.
    Sha512,
}

/// The cipher of an encrypted PKCS #8 file this library writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pkcs8Cipher {
    /// AES-128 in CBC mode.
    Aes128Cbc,
    /// AES-192 in CBC mode.
    Aes192Cbc,
    /// AES-256 in CBC mode.
    Aes256Cbc,
}

/// Encrypts a `PrivateKeyInfo` DER with PBES2, giving the `EncryptedPrivateKeyInfo` DER.
pub(crate) fn encrypt_pkcs8(
    plaintext: &[u8],
    password: &[u8],
    kdf: Pkcs8Kdf,
    cipher: Pkcs8Cipher,
) -> Result<Vec<u8>> {
    let (cipher_oid, key_len, key_cipher) = match cipher {
        Pkcs8Cipher::Aes128Cbc => (oid::AES_128_CBC, 16, KeyCipher::Aes128Cbc),
        Pkcs8Cipher::Aes192Cbc => (oid::AES_192_CBC, 24, KeyCipher::Aes192Cbc),
        Pkcs8Cipher::Aes256Cbc => (oid::AES_256_CBC, 32, KeyCipher::Aes256Cbc),
    };
    let salt = crate::random::bytes(16)?;
    let iv = crate::random::bytes(16)?;
    let bad = |e: pkcs5::Error| Error::invalid(format!("PBES2 parameters: {e}"));
    let kdf_params: pkcs5::pbes2::Kdf = match kdf {
        Pkcs8Kdf::Pbkdf2 { hash, iterations } => {
            if iterations == 0 || iterations > MAX_ITERATIONS {
                return Err(Error::invalid(format!(
                    "PBKDF2 iterations must be 1 to {MAX_ITERATIONS}, got {iterations}"
                )));
            }
            use pkcs5::pbes2::Pbkdf2Prf as Prf;
            let prf = match hash {
                Pbkdf2Hash::Sha1 => Prf::HmacWithSha1,
                Pbkdf2Hash::Sha224 => Prf::HmacWithSha224,
                Pbkdf2Hash::Sha256 => Prf::HmacWithSha256,
                Pbkdf2Hash::Sha384 => Prf::HmacWithSha384,
                Pbkdf2Hash::Sha512 => Prf::HmacWithSha512,
            };
            let mut p = pkcs5::pbes2::Pbkdf2Params::hmac_sha256(iterations, &salt).map_err(bad)?;
            p.prf = prf;
            p.into()
        }
        Pkcs8Kdf::Scrypt { log_n, r, p } => {
            if !(1..=22).contains(&log_n) || r == 0 || p == 0 {
                return Err(Error::invalid(format!(
                    "scrypt needs log_n 1 to 22 and r, p at least 1; got {log_n}, {r}, {p}"
                )));
            }
            pkcs5::pbes2::ScryptParams {
                salt: pkcs5::pbes2::Salt::new(&salt)
                    .map_err(|e| Error::invalid(format!("PBES2 salt: {e}")))?,
                cost_parameter: 1u64 << log_n,
                block_size: r,
                parallelization: p,
                key_length: Some(key_len as u16),
            }
            .into()
        }
    };
    let key = derive_pbes2_key(&kdf_params, password, key_len)?;
    let mut padded = Zeroizing::new(plaintext.to_vec());
    let pad = 16 - plaintext.len() % 16;
    padded.extend(std::iter::repeat_n(pad as u8, pad));
    let ciphertext = encrypt_cbc(key_cipher, &key, &iv, &padded)?;

    let kdf_der = asn1::encode(&kdf_params)?;
    let iv_der = asn1::encode(&OctetStringRef::new(&iv).map_err(|e| asn1::malformed("IV", e))?)?;
    let params = Pbes2ParamsDer {
        key_derivation_func: AlgorithmIdentifierRef::from_der_ref(&kdf_der)?,
        encryption_scheme: AlgorithmIdentifierRef {
            oid: cipher_oid,
            parameters: Some(asn1::decode("IV", &iv_der)?),
        },
    };
    let params_der = asn1::encode(&params)?;
    let info = EncryptedPrivateKeyInfoDer {
        encryption_algorithm: AlgorithmIdentifierRef {
            oid: oid::PBES2,
            parameters: Some(asn1::decode::<AnyRef<'_>>("PBES2 parameters", &params_der)?),
        },
        encrypted_data: OctetStringRef::new(&ciphertext)
            .map_err(|e| asn1::malformed("encrypted data", e))?,
    };
    asn1::encode(&info)
}

trait FromDerRef<'a>: Sized {
    fn from_der_ref(der: &'a [u8]) -> Result<Self>;
}

impl<'a> FromDerRef<'a> for AlgorithmIdentifierRef<'a> {
    fn from_der_ref(der: &'a [u8]) -> Result<Self> {
        asn1::decode("algorithm identifier", der)
    }
}

fn encrypt_cbc(cipher: KeyCipher, key: &[u8], iv: &[u8], padded: &[u8]) -> Result<Vec<u8>> {
    let algorithm: Arc<dyn CipherAlgorithm> = match cipher {
        KeyCipher::DesEde3Cbc | KeyCipher::DesCbc => Arc::new(TripleDes::new(key)?),
        _ => Arc::new(Aes::new(key)?),
    };
    let c = Cipher::new(algorithm, Cbc::new(iv)?)?;
    let mut ctx = c.encryptor()?;
    let mut out = ctx.update(padded)?;
    out.extend_from_slice(&ctx.finalize()?);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Traditional OpenSSL PEM encryption (RFC 1421 headers)

/// True when the block carries `Proc-Type: 4,ENCRYPTED`.
pub(crate) fn pem_is_encrypted(block: &PemBlock) -> bool {
    block
        .header("Proc-Type")
        .is_some_and(|v| v.replace(' ', "").eq_ignore_ascii_case("4,ENCRYPTED"))
}

/// The `DEK-Info` cipher and IV, checked before any password is looked at.
pub(crate) fn pem_dek_info(block: &PemBlock) -> Result<(String, String)> {
    let info = block.header("DEK-Info").ok_or_else(|| {
        Error::MalformedKeyData("the encrypted PEM block has no DEK-Info header".into())
    })?;
    let (name, iv) = info.split_once(',').ok_or_else(|| {
        Error::MalformedKeyData("the encrypted PEM block's DEK-Info header is not valid".into())
    })?;
    Ok((name.trim().to_ascii_uppercase(), iv.trim().to_string()))
}

/// Decrypts a traditional encrypted PEM body with `password`: the key is OpenSSL's
/// `EVP_BytesToKey` with MD5, one round, salted with the first 8 bytes of the IV.
pub(crate) fn decrypt_pem(block: &PemBlock, password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (name, iv_hex) = pem_dek_info(block)?;
    let (cipher, key_len, iv_len) = match name.as_str() {
        "AES-128-CBC" => (KeyCipher::Aes128Cbc, 16, 16),
        "AES-192-CBC" => (KeyCipher::Aes192Cbc, 24, 16),
        "AES-256-CBC" => (KeyCipher::Aes256Cbc, 32, 16),
        "DES-EDE3-CBC" => (KeyCipher::DesEde3Cbc, 24, 8),
        "DES-CBC" => (KeyCipher::DesCbc, 8, 8),
        _ => {
            return Err(Error::unsupported(
                crate::Reason::UnsupportedSerialization,
                format!("the DEK-Info cipher {name} is not supported (AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC are)"),
            ))
        }
    };
    let iv = data_encoding::HEXUPPER_PERMISSIVE
        .decode(iv_hex.as_bytes())
        .ok()
        .filter(|iv| iv.len() == iv_len)
        .ok_or_else(|| {
            Error::MalformedKeyData(format!("the DEK-Info IV is not {iv_len} bytes of hex"))
        })?;
    let key = evp_bytes_to_key(password, &iv[..8], key_len)?;
    decrypt_with(cipher, &key, &iv, &block.body)
}

/// The RFC 1421 headers of a PEM block, as (name, value).
pub(crate) type PemHeaders = Vec<(&'static str, String)>;

/// Encrypts `der` for a traditional PEM block with AES-256-CBC, giving the headers and body.
pub(crate) fn encrypt_pem(der: &[u8], password: &[u8]) -> Result<(PemHeaders, Vec<u8>)> {
    let iv = crate::random::bytes(16)?;
    let key = evp_bytes_to_key(password, &iv[..8], 32)?;
    let mut padded = Zeroizing::new(der.to_vec());
    let pad = 16 - der.len() % 16;
    padded.extend(std::iter::repeat_n(pad as u8, pad));
    let body = encrypt_cbc(KeyCipher::Aes256Cbc, &key, &iv, &padded)?;
    let headers = vec![
        ("Proc-Type", "4,ENCRYPTED".to_string()),
        (
            "DEK-Info",
            format!("AES-256-CBC,{}", data_encoding::HEXUPPER.encode(&iv)),
        ),
    ];
    Ok((headers, body))
}

/// `EVP_BytesToKey(MD5, salt, password, count = 1)`: D_i = MD5(D_{i-1} || password || salt).
fn evp_bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous = Zeroizing::new(Vec::new());
    while out.len() < len {
        let mut h = Hash::new(Md5)?;
        h.update(&previous)?;
        h.update(password)?;
        h.update(salt)?;
        previous = Zeroizing::new(h.finalize()?);
        out.extend_from_slice(&previous);
    }
    out.truncate(len);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from an independent implementation, OpenSSL 3.0's PKCS12KDF, given
    /// the BMPString password: `openssl kdf -keylen 24 -kdfopt digest:SHA1 -kdfopt
    /// hexpass:0073006D006500670000 -kdfopt hexsalt:0A58CF64530D823F -kdfopt iter:1 -kdfopt
    /// id:1 PKCS12KDF` (and `id:2 -keylen 8`; and "queeg", salt 1682C0FC5B3F7EC5, 1000
    /// iterations).
    #[test]
    fn pkcs12_kdf_matches_openssl() {
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        let hex = |v: &[u8]| data_encoding::HEXUPPER.encode(v);
        assert_eq!(
            hex(&pkcs12_kdf(b"smeg", &salt, 1, 1, 24).unwrap()),
            "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"
        );
        assert_eq!(
            hex(&pkcs12_kdf(b"smeg", &salt, 2, 1, 8).unwrap()),
            "79993DFE048D3B76"
        );
        let salt = [0x16, 0x82, 0xc0, 0xfc, 0x5b, 0x3f, 0x7e, 0xc5];
        assert_eq!(
            hex(&pkcs12_kdf(b"queeg", &salt, 1, 1000, 24).unwrap()),
            "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F"
        );
    }
}
