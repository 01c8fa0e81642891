//! The conformance suite: every committed public vector file, on every backend.
//!
//! A custom harness (`harness = false`) so the per-family counts are always printed. Every
//! file listed in `vectors/COUNTS` must be claimed by a runner below and must yield exactly its
//! listed number of cases; every case must have all of its fields read. Each cipher vector runs
//! one-shot through `update_into` with an exact-fit buffer and again streamed, split at every
//! offset up to two blocks plus one; each hash/HMAC/CMAC/Poly1305 vector likewise. The one-shot
//! AEADs (`primitives::aead`) check encryption, decryption, `InvalidTag` for every `FAIL` case
//! and for a tampered copy of every good one; the NIST AES-GCM files also run through the
//! one-shot `AesGcm` (family `AES-GCM one-shot`), and the ChaCha20-Poly1305 files also through
//! the streaming cipher (family `ChaCha20-Poly1305 stream`), so both must give the vectors'
//! bytes. Key wrap runs KW and KWP both ways; the `_inv` files (the AES inverse cipher as the
//! forward function, which the API does not offer) are read in full and skipped. HOTP/TOTP
//! check the HMAC, its dynamic truncation, `generate` and `verify`. (The JSON files that
//! `vectors/COUNTS` lists with `-` are read by their own tests: fernet.rs, aead_stream.rs.)
//!
//! The KDF files (HKDF and HKDF-Expand, PBKDF2, scrypt, Argon2d/i/id, ANSI X9.63, SP 800-108
//! KBKDF counter mode with HMAC and CMAC) derive each vector's key on one instance, `verify`
//! it on a fresh one and refuse it with one bit flipped (`InvalidKey`) on a third. The
//! per-block intermediate values of the NIST files (counters, hash/PRF inputs, blocks) are
//! checked against the layout the runner gives the API. Cases too costly for CI (scrypt or
//! Argon2 needing 1 GiB or more, PBKDF2 with 2^20 iterations or more) are skipped with that
//! reason unless `CRYPTOGRAPHY_VECTORS_COSTLY` is set.
//!
//! Cases a backend does not support (`UnsupportedAlgorithm`, or its `*_supported` query says
//! no) are counted as skipped, never as passed, and a `*_supported` answer that disagrees with
//! what the backend then does is a failure. Vector parameters the API's rules exclude (an AES-GCM
//! nonce shorter than 8 bytes, a tag shorter than the one-shot API's) are skipped with the
//! reason, after asserting that the API rejects them where it is given them.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    self, Aes, CipherAlgorithm, TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{self, Gcm, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::{Cipher, CipherContext};
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::hashes::{
    self, Hash, HashAlgorithm, Sha1, Sha256, Sha512,
};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
use pluggable_crypto::hazmat::primitives::kdf::argon2::{Argon2d, Argon2i, Argon2id};
use pluggable_crypto::hazmat::primitives::kdf::hkdf::{Hkdf, HkdfExpand};
use pluggable_crypto::hazmat::primitives::kdf::kbkdf::{
    CounterLocation, KbkdfCmac, KbkdfHmac, KbkdfParams,
};
use pluggable_crypto::hazmat::primitives::kdf::pbkdf2::Pbkdf2Hmac;
use pluggable_crypto::hazmat::primitives::kdf::scrypt::Scrypt;
use pluggable_crypto::hazmat::primitives::kdf::x963kdf::X963Kdf;
use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
use pluggable_crypto::hazmat::primitives::keywrap;
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
use pluggable_crypto::hazmat::primitives::twofactor::{hotp::Hotp, totp::Totp};
use pluggable_crypto::Error;
use test_vectors::{Case, VectorError};

/// What happened to one vector case.
enum Outcome {
    Passed,
    Skipped(String),
}

type CaseResult = Result<Outcome, String>;

#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: BTreeMap<String, usize>,
    failures: Vec<String>,
}

/// A cipher vector, fully read from its file.
struct CipherCase {
    algorithm: Arc<dyn CipherAlgorithm>,
    mode: Option<&'static str>,
    iv: Vec<u8>,
    plaintext: Vec<u8>,
    ciphertext: Vec<u8>,
    encrypt: bool,
    decrypt: bool,
    aad: Vec<u8>,
    tag: Option<Vec<u8>>,
    fail: bool,
    /// Keystream bytes to discard first (RC4 vectors).
    offset: usize,
    /// Iterated encryptions: (count, expected) (NESSIE vectors).
    iterated: Vec<(usize, Vec<u8>)>,
}

impl CipherCase {
    fn mode(&self, tag: Option<&[u8]>) -> Result<Option<Arc<dyn Mode>>, Error> {
        let iv = &self.iv;
        Ok(match self.mode {
            None => None,
            // The NIST files hold truncated tags: min_tag_length 4, which is not a by-name mode.
            Some("GCM") => Some(Arc::new(Gcm::with_tag(iv, tag, 4)?)),
            Some(name) => Some(modes::by_name(name, iv, None)?),
        })
    }

    fn cipher(&self, backend: &Arc<dyn Backend>, tag: Option<&[u8]>) -> Result<Cipher, Error> {
        Cipher::with_backend(self.algorithm.clone(), self.mode(tag)?, backend.clone())
    }

    fn block_bytes(&self) -> usize {
        self.algorithm.block_size().map_or(1, |bits| bits / 8)
    }
}

fn err(case: &Case, what: impl std::fmt::Display) -> String {
    case.error(what.to_string()).to_string()
}

fn verr(e: VectorError) -> String {
    e.to_string()
}

/// Runs `data` through `ctx` in one `update_into` call with an exact-fit buffer.
fn one_shot(ctx: &mut CipherContext, data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = vec![0u8; ctx.update_output_size(data.len())];
    let n = ctx.update_into(data, &mut out)?;
    out.truncate(n);
    Ok(out)
}

/// Runs `data` through `ctx` as two updates split at `at`.
fn split(ctx: &mut CipherContext, data: &[u8], at: usize) -> Result<Vec<u8>, Error> {
    let mut out = ctx.update(&data[..at])?;
    out.extend(ctx.update(&data[at..])?);
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The split points every vector is also streamed at: 1 ..= two blocks plus one.
fn split_points(len: usize, block: usize) -> impl Iterator<Item = usize> {
    1..len.min(2 * block + 2)
}

fn run_cipher_case(backend: &Arc<dyn Backend>, case: &CipherCase) -> Result<Outcome, String> {
    let cipher = match case.cipher(backend, None) {
        Ok(cipher) => cipher,
        Err(e @ Error::InvalidArgument(_)) => {
            return Ok(Outcome::Skipped(format!(
                "parameters outside the API's rules: {e}"
            )))
        }
        Err(e) => return Err(format!("building the cipher: {e}")),
    };
    if !backend.cipher_supported(cipher.algorithm(), cipher.mode()) {
        return Ok(Outcome::Skipped(format!(
            "{} {} unsupported",
            case.algorithm.name(),
            cipher.mode().map_or("(stream)", |m| m.name())
        )));
    }
    let block = case.block_bytes();
    let discard = vec![0u8; case.offset];
    if case.encrypt {
        let encrypt = |how: &dyn Fn(&mut CipherContext) -> Result<Vec<u8>, Error>| -> Result<(Vec<u8>, Vec<u8>), Error> {
            let mut ctx = cipher.encryptor()?;
            if case.mode == Some("GCM") {
                ctx.authenticate_additional_data(&case.aad)?;
            }
            if !discard.is_empty() {
                ctx.update(&discard)?;
            }
            let mut out = how(&mut ctx)?;
            out.extend(ctx.finalize()?);
            let tag = if case.mode == Some("GCM") { ctx.tag()?.to_vec() } else { Vec::new() };
            Ok((out, tag))
        };
        let check =
            |label: &str, result: Result<(Vec<u8>, Vec<u8>), Error>| -> Result<(), String> {
                let (ct, tag) = result.map_err(|e| format!("encrypt {label}: {e}"))?;
                if ct != case.ciphertext {
                    return Err(format!(
                        "encrypt {label}: got {}, want {}",
                        hex(&ct),
                        hex(&case.ciphertext)
                    ));
                }
                if let Some(want) = &case.tag {
                    if tag.get(..want.len()) != Some(want.as_slice()) {
                        return Err(format!(
                            "encrypt {label}: tag {}, want {}",
                            hex(&tag),
                            hex(want)
                        ));
                    }
                }
                Ok(())
            };
        check("one-shot", encrypt(&|ctx| one_shot(ctx, &case.plaintext)))?;
        for at in split_points(case.plaintext.len(), block) {
            check(
                &format!("split at {at}"),
                encrypt(&|ctx| split(ctx, &case.plaintext, at)),
            )?;
        }
        for (times, want) in &case.iterated {
            let mut block_data = case.plaintext.clone();
            for _ in 0..*times {
                let mut ctx = cipher.encryptor().map_err(|e| e.to_string())?;
                block_data = ctx.update(&block_data).map_err(|e| e.to_string())?;
                ctx.finalize().map_err(|e| e.to_string())?;
            }
            if &block_data != want {
                return Err(format!(
                    "{times} iterated encryptions: got {}, want {}",
                    hex(&block_data),
                    hex(want)
                ));
            }
        }
    }
    if case.decrypt {
        let decrypt = |how: &dyn Fn(&mut CipherContext) -> Result<Vec<u8>, Error>,
                       tag_in_mode: bool|
         -> Result<Vec<u8>, Error> {
            let mut ctx = match (&case.tag, tag_in_mode) {
                (Some(tag), true) => case.cipher(backend, Some(tag))?.decryptor()?,
                _ => cipher.decryptor()?,
            };
            if case.mode == Some("GCM") {
                ctx.authenticate_additional_data(&case.aad)?;
            }
            if !discard.is_empty() {
                ctx.update(&discard)?;
            }
            let mut out = how(&mut ctx)?;
            let last = match (&case.tag, tag_in_mode) {
                (Some(tag), false) => ctx.finalize_with_tag(tag)?,
                _ => ctx.finalize()?,
            };
            out.extend(last);
            Ok(out)
        };
        let check = |label: &str, result: Result<Vec<u8>, Error>| -> Result<(), String> {
            match result {
                Err(Error::InvalidTag) if case.fail => Ok(()),
                Err(e) => Err(format!("decrypt {label}: {e}")),
                Ok(_) if case.fail => Err(format!("decrypt {label}: a FAIL case was accepted")),
                Ok(pt) if pt != case.plaintext => Err(format!(
                    "decrypt {label}: got {}, want {}",
                    hex(&pt),
                    hex(&case.plaintext)
                )),
                Ok(_) => Ok(()),
            }
        };
        let modes: &[bool] = if case.tag.is_some() {
            &[false, true]
        } else {
            &[false]
        };
        for &tag_in_mode in modes {
            let how = if tag_in_mode { " (tag in mode)" } else { "" };
            check(
                &format!("one-shot{how}"),
                decrypt(&|ctx| one_shot(ctx, &case.ciphertext), tag_in_mode),
            )?;
            for at in split_points(case.ciphertext.len(), block) {
                check(
                    &format!("split at {at}{how}"),
                    decrypt(&|ctx| split(ctx, &case.ciphertext, at), tag_in_mode),
                )?;
            }
        }
    }
    Ok(Outcome::Passed)
}

/// Which cipher family a file belongs to and how to build its algorithm.
fn cipher_file(path: &str) -> Option<(&'static str, Option<&'static str>)> {
    let dir_mode = |p: &str| -> Option<&'static str> {
        let name = p.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
        let has = |s: &str| name.contains(s);
        if p.contains("/CFB/") || has("cfb") {
            if has("cfb8") {
                Some("CFB8")
            } else {
                Some("CFB")
            }
        } else if p.contains("/CBC/") || has("cbc") || has("rfc-4196") {
            Some("CBC")
        } else if p.contains("/OFB/") || has("ofb") {
            Some("OFB")
        } else if p.contains("/CTR/") || has("ctr") {
            Some("CTR")
        } else if has("rfc8998") || p.contains("/GCM/") {
            Some("GCM")
        } else if p.contains("/XTS/") {
            Some("XTS")
        } else {
            Some("ECB")
        }
    };
    let family = match path.split('/').nth(1)? {
        "AES" => "AES",
        "3DES" => "3DES",
        "Camellia" => "Camellia",
        "Blowfish" => "Blowfish",
        "CAST5" => "CAST5",
        "IDEA" => "IDEA",
        "SEED" => "SEED",
        "SM4" => "SM4",
        "ARC4" => return Some(("ARC4", None)),
        "ChaCha20" => return Some(("ChaCha20", None)),
        _ => return None,
    };
    Some((family, dir_mode(path)))
}

/// Reads a cipher case's fields (all of them, or the case fails) into a [`CipherCase`].
fn read_cipher_case(
    family: &str,
    mode: Option<&'static str>,
    case: &Case,
) -> Result<Option<CipherCase>, String> {
    for counter in ["COUNT", "Count"] {
        case.ignore(counter);
    }
    let field = |upper: &str, lower: &str| -> Result<Vec<u8>, String> {
        if case.has(upper) {
            case.hex(upper)
        } else {
            case.hex(lower)
        }
        .map_err(verr)
    };
    let key = if case.has("KEYs") {
        case.hex("KEYs").map_err(verr)?
    } else if case.has("KEY1") {
        [case.hex("KEY1"), case.hex("KEY2"), case.hex("KEY3")]
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(verr)?
            .concat()
    } else if case.has("K") {
        case.hex("K").map_err(verr)?
    } else if case.has("Key") {
        case.hex("Key").map_err(verr)?
    } else {
        field("KEY", "key")?
    };
    let (plaintext, ciphertext) = if case.has("P") {
        (case.hex("P").map_err(verr)?, case.hex("C").map_err(verr)?)
    } else if mode == Some("GCM") && case.has("Tag") {
        let ct = case.hex("CT").map_err(verr)?;
        (case.opt_hex("PT").map_err(verr)?.unwrap_or_default(), ct)
    } else if mode == Some("XTS") {
        (case.hex("PT").map_err(verr)?, case.hex("CT").map_err(verr)?)
    } else {
        (
            field("PLAINTEXT", "plaintext")?,
            field("CIPHERTEXT", "ciphertext")?,
        )
    };
    let iv = if case.has("IV") {
        case.hex("IV").map_err(verr)?
    } else if case.has("i") {
        case.hex("i").map_err(verr)?
    } else {
        Vec::new()
    };
    let (aad, tag) = if case.has("AAD") {
        let tag = if case.has("Tag") {
            case.hex("Tag")
        } else {
            case.hex("TAG")
        }
        .map_err(verr)?;
        (case.hex("AAD").map_err(verr)?, Some(tag))
    } else {
        (Vec::new(), None)
    };
    let fail = case.flag("FAIL");
    let offset = if case.has("OFFSET") {
        case.usize("OFFSET").map_err(verr)?
    } else {
        0
    };
    let mut iterated = Vec::new();
    for (name, times) in [("CIPHERTEXT100", 100), ("CIPHERTEXT1000", 1000)] {
        if let Some(want) = case.opt_hex(name).map_err(verr)? {
            iterated.push((times, want));
        }
    }
    let nonce = if case.has("NONCE") {
        let counter = case.usize("INITIAL_BLOCK_COUNTER").map_err(verr)?;
        let counter = u32::try_from(counter).map_err(|_| err(case, "counter exceeds 32 bits"))?;
        let mut nonce = counter.to_le_bytes().to_vec();
        nonce.extend(case.hex("NONCE").map_err(verr)?);
        Some(nonce)
    } else {
        None
    };
    // Bit-granular XTS data units (DataUnitLen not a multiple of 8) are outside a byte API.
    if case.has("DataUnitLen") {
        let bits = case.usize("DataUnitLen").map_err(verr)?;
        if bits % 8 != 0 {
            return Ok(None);
        }
        if bits / 8 != plaintext.len() {
            return Err(err(case, "DataUnitLen disagrees with PT"));
        }
    }
    let (encrypt, decrypt) = match (case.section("ENCRYPT"), case.section("DECRYPT")) {
        (_, Some(_)) => (false, true),
        _ if mode == Some("GCM") && fail => (false, true),
        _ if mode == Some("GCM") && case.file().contains("Decrypt") => (false, true),
        _ if mode == Some("GCM") && case.file().contains("Encrypt") => (true, false),
        // Encryption vectors are checked in both directions.
        _ => (true, true),
    };
    let algorithm =
        algorithms::by_name(family, &key, nonce.as_deref()).map_err(|e| err(case, e))?;
    Ok(Some(CipherCase {
        algorithm,
        mode,
        iv,
        plaintext,
        ciphertext,
        encrypt,
        decrypt,
        aad,
        tag,
        fail,
        offset,
        iterated,
    }))
}

fn hash_for_file(path: &str, case: &Case) -> Result<Arc<dyn HashAlgorithm>, String> {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let name = stem
        .trim_end_matches("ShortMsg")
        .trim_end_matches("LongMsg")
        .trim_end_matches("VariableOut");
    let name = match name {
        "SHA1" => "sha1",
        "SHA224" => "sha224",
        "SHA256" => "sha256",
        "SHA384" => "sha384",
        "SHA512" => "sha512",
        "SHA512_224" => "sha512-224",
        "SHA512_256" => "sha512-256",
        "SHA3_224" => "sha3-224",
        "SHA3_256" => "sha3-256",
        "SHA3_384" => "sha3-384",
        "SHA3_512" => "sha3-512",
        "SHAKE128" => "shake128",
        "SHAKE256" => "shake256",
        "blake2b" => "blake2b",
        "blake2s" => "blake2s",
        "rfc-1321" => "md5",
        "ripevectors" => "ripemd160",
        "oscca" => "sm3",
        "rfc-2202-md5" => "md5",
        "rfc-2202-sha1" => "sha1",
        "rfc-2286-ripemd160" => "ripemd160",
        "rfc-4231-sha224" => "sha224",
        "rfc-4231-sha256" => "sha256",
        "rfc-4231-sha384" => "sha384",
        "rfc-4231-sha512" => "sha512",
        other => return Err(format!("{path}: no hash for file stem {other:?}")),
    };
    let xof_len = if name.starts_with("shake") {
        let bits = if case.has("Outputlen") {
            case.usize("Outputlen").map_err(verr)?
        } else {
            case.section("Outputlen")
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or_else(|| err(case, "no output length"))?
        };
        Some(bits / 8)
    } else {
        None
    };
    hashes::algorithm_by_name(name, xof_len).map_err(|e| err(case, e))
}

/// Reads `Len` and `Msg`: `Len` is in bits, and `Msg = 00` stands for the empty message.
fn read_message(case: &Case) -> Result<Vec<u8>, String> {
    let bits = case.usize("Len").map_err(verr)?;
    let msg = case.hex("Msg").map_err(verr)?;
    if bits % 8 != 0 {
        return Err(err(case, "bit-granular message"));
    }
    if bits == 0 {
        return Ok(Vec::new());
    }
    if msg.len() != bits / 8 {
        return Err(err(
            case,
            format!("Len {bits} disagrees with Msg of {} bytes", msg.len()),
        ));
    }
    Ok(msg)
}

fn run_hash_case(backend: &Arc<dyn Backend>, path: &str, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let algorithm = hash_for_file(path, case)?;
    let message = if case.has("Len") {
        read_message(case)?
    } else {
        case.hex("Msg").map_err(verr)?
    };
    let expected = if case.has("Output") {
        case.hex("Output")
    } else {
        case.hex("MD")
    }
    .map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    if !backend.hash_supported(&*algorithm) {
        return Ok(Outcome::Skipped(format!(
            "{} unsupported",
            algorithm.name()
        )));
    }
    let digest_of = |parts: &[&[u8]]| -> Result<Vec<u8>, Error> {
        let mut hash = Hash::from_shared(algorithm.clone(), backend.clone())?;
        for part in parts {
            hash.update(part)?;
        }
        hash.finalize()
    };
    let check = |label: String, got: Result<Vec<u8>, Error>| -> Result<(), String> {
        let got = got.map_err(|e| err(case, format!("{label}: {e}")))?;
        if got != expected {
            return Err(err(
                case,
                format!("{label}: got {}, want {}", hex(&got), hex(&expected)),
            ));
        }
        Ok(())
    };
    check("one-shot".into(), digest_of(&[&message]))?;
    for at in split_points(message.len(), algorithm.block_size()) {
        check(
            format!("split at {at}"),
            digest_of(&[&message[..at], &message[at..]]),
        )?;
    }
    // A copy taken mid-stream finishes independently of the original.
    if message.len() > 1 {
        let at = message.len() / 2;
        let mut original =
            Hash::from_shared(algorithm.clone(), backend.clone()).map_err(|e| e.to_string())?;
        original.update(&message[..at]).map_err(|e| e.to_string())?;
        let mut copy = original.copy().map_err(|e| e.to_string())?;
        original.update(b"diverge").map_err(|e| e.to_string())?;
        copy.update(&message[at..]).map_err(|e| e.to_string())?;
        check("copy at the midpoint".into(), copy.finalize())?;
    }
    Ok(Outcome::Passed)
}

fn run_hmac_case(backend: &Arc<dyn Backend>, path: &str, case: &Case) -> CaseResult {
    let algorithm = hash_for_file(path, case)?;
    let key = case.hex("Key").map_err(verr)?;
    let message = read_message(case)?;
    let expected = case.hex("MD").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    if !backend.hmac_supported(&*algorithm) {
        return Ok(Outcome::Skipped(format!(
            "HMAC-{} unsupported",
            algorithm.name()
        )));
    }
    let mac_of = |parts: &[&[u8]]| -> Result<Vec<u8>, Error> {
        let mut mac = Hmac::from_shared(&key, algorithm.clone(), backend.clone())?;
        for part in parts {
            mac.update(part)?;
        }
        mac.finalize()
    };
    let check = |label: String, got: Result<Vec<u8>, Error>| -> Result<(), String> {
        let got = got.map_err(|e| err(case, format!("{label}: {e}")))?;
        if got != expected {
            return Err(err(
                case,
                format!("{label}: got {}, want {}", hex(&got), hex(&expected)),
            ));
        }
        Ok(())
    };
    check("one-shot".into(), mac_of(&[&message]))?;
    for at in split_points(message.len(), algorithm.block_size()) {
        check(
            format!("split at {at}"),
            mac_of(&[&message[..at], &message[at..]]),
        )?;
    }
    let mut mac =
        Hmac::from_shared(&key, algorithm.clone(), backend.clone()).map_err(|e| e.to_string())?;
    mac.update(&message).map_err(|e| e.to_string())?;
    mac.verify(&expected)
        .map_err(|e| err(case, format!("verify: {e}")))?;
    Ok(Outcome::Passed)
}

// ---- one-shot AEADs ----

/// The one-shot AEAD constructions of `primitives::aead`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AeadKind {
    Gcm,
    ChaCha,
    Ccm,
    Ocb3,
    Siv,
    GcmSiv,
}

impl AeadKind {
    fn algorithm(self) -> AeadAlgorithm {
        match self {
            AeadKind::Gcm => AeadAlgorithm::AesGcm,
            AeadKind::ChaCha => AeadAlgorithm::ChaCha20Poly1305,
            AeadKind::Ccm => AeadAlgorithm::AesCcm,
            AeadKind::Ocb3 => AeadAlgorithm::AesOcb3,
            AeadKind::Siv => AeadAlgorithm::AesSiv,
            AeadKind::GcmSiv => AeadAlgorithm::AesGcmSiv,
        }
    }

    /// The nonce lengths (bytes) the API accepts (AES-SIV takes none).
    fn nonce_rule(self) -> RangeInclusive<usize> {
        match self {
            AeadKind::Gcm => 8..=128,
            AeadKind::ChaCha | AeadKind::GcmSiv => 12..=12,
            AeadKind::Ccm => 7..=13,
            AeadKind::Ocb3 => 12..=15,
            AeadKind::Siv => 0..=0,
        }
    }
}

/// Which one-shot AEAD a vector file exercises.
fn aead_file(path: &str) -> Option<AeadKind> {
    let dir = path.strip_prefix("ciphers/")?.rsplit_once('/')?.0;
    Some(match dir {
        "AES/CCM" => AeadKind::Ccm,
        "AES/GCM-SIV" => AeadKind::GcmSiv,
        "AES/OCB3" => AeadKind::Ocb3,
        "AES/SIV" => AeadKind::Siv,
        "ChaCha20Poly1305" => AeadKind::ChaCha,
        _ => return None,
    })
}

/// A keyed one-shot AEAD of any kind.
enum Sealer {
    Gcm(AesGcm),
    ChaCha(ChaCha20Poly1305),
    Ccm(AesCcm),
    Ocb3(AesOcb3),
    Siv(AesSiv),
    GcmSiv(AesGcmSiv),
}

/// Calls the same method on whichever nonce-taking AEAD `$sealer` holds.
macro_rules! with_nonce_aead {
    ($sealer:expr, $a:ident => $call:expr, siv $s:ident => $siv:expr) => {
        match $sealer {
            Sealer::Gcm($a) => $call,
            Sealer::ChaCha($a) => $call,
            Sealer::Ccm($a) => $call,
            Sealer::Ocb3($a) => $call,
            Sealer::GcmSiv($a) => $call,
            Sealer::Siv($s) => $siv,
        }
    };
}

impl Sealer {
    fn new(
        kind: AeadKind,
        key: &[u8],
        tag_len: usize,
        backend: &Arc<dyn Backend>,
    ) -> Result<Self, Error> {
        let b: Arc<dyn Backend> = backend.clone();
        Ok(match kind {
            AeadKind::Gcm => Sealer::Gcm(AesGcm::with_backend(key, b)?),
            AeadKind::ChaCha => Sealer::ChaCha(ChaCha20Poly1305::with_backend(key, b)?),
            AeadKind::Ccm => Sealer::Ccm(AesCcm::with_backend(key, tag_len, b)?),
            AeadKind::Ocb3 => Sealer::Ocb3(AesOcb3::with_backend(key, b)?),
            AeadKind::Siv => Sealer::Siv(AesSiv::with_backend(key, b)?),
            AeadKind::GcmSiv => Sealer::GcmSiv(AesGcmSiv::with_backend(key, b)?),
        })
    }

    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[Vec<u8>]) -> Result<Vec<u8>, Error> {
        let parts: Vec<&[u8]> = aad.iter().map(Vec::as_slice).collect();
        with_nonce_aead!(self, a => a.encrypt(nonce, data, &aad.concat()), siv s => s.encrypt(data, &parts))
    }

    fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[Vec<u8>]) -> Result<Vec<u8>, Error> {
        let parts: Vec<&[u8]> = aad.iter().map(Vec::as_slice).collect();
        with_nonce_aead!(self, a => a.decrypt(nonce, data, &aad.concat()), siv s => s.decrypt(data, &parts))
    }
}

/// A one-shot AEAD vector, fully read from its file.
struct AeadCase {
    kind: AeadKind,
    key: Vec<u8>,
    /// Empty for AES-SIV.
    nonce: Vec<u8>,
    /// The associated data: one component, or AES-SIV's list.
    aad: Vec<Vec<u8>>,
    plaintext: Vec<u8>,
    /// The sealed message in the API's layout: `ct ‖ tag` (`tag ‖ ct` for AES-SIV), the tag
    /// `tag_len` bytes long (shorter than the API's for truncated NIST GCM tags).
    sealed: Vec<u8>,
    tag_len: usize,
    /// Decryption must fail with `InvalidTag` (and encryption is not checked).
    fail: bool,
    /// Encryption is checked (else the case is a decryption vector only).
    encrypt: bool,
}

/// Reads a one-shot AEAD case (every field, or the case fails).
fn read_aead_case(kind: AeadKind, path: &str, case: &Case) -> Result<AeadCase, String> {
    for counter in ["COUNT", "Count"] {
        case.ignore(counter);
    }
    let parsed = match kind {
        AeadKind::Ccm => read_ccm_case(case)?,
        AeadKind::ChaCha if path.ends_with("boringssl.txt") => {
            // KEY/NONCE/IN/AD/CT/TAG, the data fields hex or quoted ASCII.
            let mut sealed = case.bytes("CT").map_err(verr)?;
            let tag = case.hex("TAG").map_err(verr)?;
            sealed.extend(&tag);
            AeadCase {
                kind,
                key: case.hex("KEY").map_err(verr)?,
                nonce: case.hex("NONCE").map_err(verr)?,
                aad: vec![case.bytes("AD").map_err(verr)?],
                plaintext: case.bytes("IN").map_err(verr)?,
                sealed,
                tag_len: tag.len(),
                fail: false,
                encrypt: true,
            }
        }
        _ => {
            // Key, IV or Nonce, AAD (AES-SIV: AAD, AAD2, ...), Tag (absent in OCB3, whose
            // Ciphertext holds it), Plaintext, Ciphertext and an optional OpenSSL Result.
            let nonce = match (case.opt_hex("IV"), case.opt_hex("Nonce")) {
                (Ok(Some(iv)), _) => iv,
                (_, Ok(Some(nonce))) => nonce,
                (Err(e), _) | (_, Err(e)) => return Err(verr(e)),
                _ => Vec::new(),
            };
            let mut aad = Vec::new();
            if let Some(first) = case.opt_hex("AAD").map_err(verr)? {
                aad.push(first);
            }
            for n in 2.. {
                match case.opt_hex(&format!("AAD{n}")).map_err(verr)? {
                    Some(more) => aad.push(more),
                    None => break,
                }
            }
            if kind != AeadKind::Siv {
                // A missing AAD is the empty one (GCM-SIV's files leave it out).
                if aad.len() > 1 {
                    return Err(err(case, "several AAD components for a one-component AEAD"));
                }
                aad.resize(1, Vec::new());
            }
            let plaintext = case.hex("Plaintext").map_err(verr)?;
            let ciphertext = case.hex("Ciphertext").map_err(verr)?;
            let tag = case.opt_hex("Tag").map_err(verr)?;
            let tag_len = tag.as_ref().map_or(16, Vec::len);
            let sealed = match tag {
                Some(tag) if kind == AeadKind::Siv => [tag, ciphertext].concat(),
                Some(tag) => [ciphertext, tag].concat(),
                None => ciphertext,
            };
            let fail = match case.opt_str("Result") {
                None => false,
                Some("CIPHERFINAL_ERROR") => true,
                Some(other) => return Err(err(case, format!("unknown Result {other:?}"))),
            };
            AeadCase {
                kind,
                key: case.hex("Key").map_err(verr)?,
                nonce,
                aad,
                plaintext,
                sealed,
                tag_len,
                fail,
                encrypt: !fail,
            }
        }
    };
    case.clone().finish().map_err(verr)?;
    let body = if parsed.fail {
        0
    } else {
        parsed.plaintext.len()
    };
    if parsed.sealed.len() < parsed.tag_len
        || (!parsed.fail && parsed.sealed.len() != body + parsed.tag_len)
    {
        return Err(err(
            case,
            "the ciphertext, tag and plaintext lengths disagree",
        ));
    }
    Ok(parsed)
}

/// A NIST CCM parameter (`Alen`, `Plen`, `Nlen`, `Tlen`): a field carried from the file's
/// parameter paragraph, or a section.
fn ccm_param(case: &Case, name: &str) -> Result<usize, String> {
    if case.has(name) {
        return case.usize(name).map_err(verr);
    }
    case.section(name)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| err(case, format!("no {name}")))
}

/// Reads a NIST CCM case. `Adata`/`Payload` of length 0 are written `00`; `Result` (DVPT)
/// says whether decryption passes; a failing DVPT case has no `Payload`.
fn read_ccm_case(case: &Case) -> Result<AeadCase, String> {
    let [alen, plen, nlen, tlen] = ["Alen", "Plen", "Nlen", "Tlen"].map(|n| ccm_param(case, n));
    let (alen, plen, nlen, tlen) = (alen?, plen?, nlen?, tlen?);
    let sized = |name: &str, value: Vec<u8>, len: usize| -> Result<Vec<u8>, String> {
        match (len, value.as_slice()) {
            (0, [] | [0]) => Ok(Vec::new()),
            (n, v) if v.len() == n => Ok(value),
            _ => Err(err(
                case,
                format!("{name} is {} bytes, want {len}", value.len()),
            )),
        }
    };
    let key = case.hex("Key").map_err(verr)?;
    let nonce = sized("Nonce", case.hex("Nonce").map_err(verr)?, nlen)?;
    let adata = sized("Adata", case.hex("Adata").map_err(verr)?, alen)?;
    let sealed = case.hex("CT").map_err(verr)?;
    if sealed.len() != plen + tlen {
        return Err(err(
            case,
            format!(
                "CT is {} bytes, want Plen + Tlen = {}",
                sealed.len(),
                plen + tlen
            ),
        ));
    }
    let fail = match case.opt_str("Result") {
        None | Some("Pass") => false,
        Some("Fail") => true,
        Some(other) => return Err(err(case, format!("unknown Result {other:?}"))),
    };
    let plaintext = match case.opt_hex("Payload").map_err(verr)? {
        Some(p) => sized("Payload", p, plen)?,
        None if fail => Vec::new(),
        None => return Err(err(case, "a passing case without Payload")),
    };
    Ok(AeadCase {
        kind: AeadKind::Ccm,
        key,
        nonce,
        aad: vec![adata],
        plaintext,
        sealed,
        tag_len: tlen,
        fail,
        encrypt: !fail,
    })
}

/// The NIST AES-GCM vectors again, through the one-shot `AesGcm`.
fn run_gcm_one_shot(backend: &Arc<dyn Backend>, case: &CipherCase) -> CaseResult {
    let tag = case.tag.clone().unwrap_or_default();
    let parsed = AeadCase {
        kind: AeadKind::Gcm,
        key: case.algorithm.key().to_vec(),
        nonce: case.iv.clone(),
        aad: vec![case.aad.clone()],
        plaintext: case.plaintext.clone(),
        sealed: [case.ciphertext.as_slice(), &tag].concat(),
        tag_len: tag.len(),
        fail: case.fail,
        encrypt: case.encrypt,
    };
    run_aead_case(backend, &parsed)
}

fn is_unsupported(e: &Error) -> bool {
    matches!(e, Error::UnsupportedAlgorithm { .. })
}

fn run_aead_case(backend: &Arc<dyn Backend>, case: &AeadCase) -> CaseResult {
    let algorithm = case.kind.algorithm();
    let name = algorithm.name();
    // The API's tag length: chosen per key for CCM, else 16 bytes.
    let api_tag = if case.kind == AeadKind::Ccm {
        case.tag_len
    } else {
        16
    };
    let supported = backend.aead_supported(algorithm, case.key.len(), api_tag);
    let sealer = match Sealer::new(case.kind, &case.key, api_tag, backend) {
        Ok(_) if !supported => {
            return Err(format!(
                "aead_supported says no to {name}, yet keying it succeeded"
            ))
        }
        Ok(sealer) => sealer,
        Err(e) if is_unsupported(&e) && !supported => {
            return Ok(Outcome::Skipped(format!(
                "{name} with {}-bit keys unsupported",
                case.key.len() * 8
            )))
        }
        Err(e) => {
            return Err(format!(
                "keying {name} (aead_supported says {supported}): {e}"
            ))
        }
    };
    let rule = case.kind.nonce_rule();
    if !rule.contains(&case.nonce.len()) {
        // The API must refuse such a nonce, in both directions.
        for (what, result) in [
            (
                "encrypt",
                sealer.encrypt(&case.nonce, &case.plaintext, &case.aad),
            ),
            (
                "decrypt",
                sealer.decrypt(&case.nonce, &case.sealed, &case.aad),
            ),
        ] {
            if !matches!(result, Err(Error::InvalidArgument(_))) {
                return Err(format!(
                    "{what} with a {}-byte nonce: want InvalidArgument, got {:?}",
                    case.nonce.len(),
                    result.map(|v| hex(&v))
                ));
            }
        }
        return Ok(Outcome::Skipped(format!(
            "{name}: {}-byte nonce outside the API's {}..={} (rejected as it should be)",
            case.nonce.len(),
            rule.start(),
            rule.end()
        )));
    }
    if case.tag_len != api_tag && !case.encrypt {
        return Ok(Outcome::Skipped(format!(
            "{name}: {}-byte tag, the one-shot API checks {api_tag}-byte tags",
            case.tag_len
        )));
    }
    let unsupported = |e: &Error| Outcome::Skipped(format!("{name}: {e}"));
    if case.encrypt {
        let sealed = match sealer.encrypt(&case.nonce, &case.plaintext, &case.aad) {
            Err(e) if is_unsupported(&e) => return Ok(unsupported(&e)),
            Err(e) => return Err(format!("encrypt: {e}")),
            Ok(sealed) => sealed,
        };
        // A truncated vector tag is a prefix of the API's (ct ‖ tag layouts only).
        if sealed.len() != case.plaintext.len() + api_tag
            || sealed.get(..case.sealed.len()) != Some(case.sealed.as_slice())
        {
            return Err(format!(
                "encrypt: got {}, want {}",
                hex(&sealed),
                hex(&case.sealed)
            ));
        }
        if case.tag_len != api_tag {
            // Only the API's own full-tag output can be decrypted.
            let opened = sealer.decrypt(&case.nonce, &sealed, &case.aad);
            return match opened {
                Ok(pt) if pt == case.plaintext => Ok(Outcome::Passed),
                other => Err(format!(
                    "decrypting our own output: {:?}",
                    other.map(|v| hex(&v))
                )),
            };
        }
    }
    match sealer.decrypt(&case.nonce, &case.sealed, &case.aad) {
        Err(Error::InvalidTag) if case.fail => return Ok(Outcome::Passed),
        Err(e) if is_unsupported(&e) => return Ok(unsupported(&e)),
        Err(e) => return Err(format!("decrypt: {e}")),
        Ok(_) if case.fail => return Err("decrypt: a failing case was accepted".into()),
        Ok(pt) if pt != case.plaintext => {
            return Err(format!(
                "decrypt: got {}, want {}",
                hex(&pt),
                hex(&case.plaintext)
            ))
        }
        Ok(_) => {}
    }
    // Any changed bit fails, in the tag or in the ciphertext.
    for at in [0, case.sealed.len() - 1] {
        let mut tampered = case.sealed.clone();
        tampered[at] ^= 0x80;
        match sealer.decrypt(&case.nonce, &tampered, &case.aad) {
            Err(Error::InvalidTag) => {}
            other => {
                return Err(format!(
                    "decrypt with byte {at} flipped: want InvalidTag, got {:?}",
                    other.map(|v| hex(&v))
                ))
            }
        }
    }
    Ok(Outcome::Passed)
}

/// Feeds `aad` to `ctx`, in two calls split at `at` if given.
fn feed_aad(ctx: &mut CipherContext, aad: &[u8], at: Option<usize>) -> Result<(), Error> {
    match at {
        Some(at) => {
            ctx.authenticate_additional_data(&aad[..at])?;
            ctx.authenticate_additional_data(&aad[at..])
        }
        None => ctx.authenticate_additional_data(aad),
    }
}

/// The ChaCha20-Poly1305 vectors through the streaming, mode-less AEAD cipher.
fn run_chacha_stream_case(backend: &Arc<dyn Backend>, case: &AeadCase) -> CaseResult {
    let (ct, tag) = case.sealed.split_at(case.sealed.len() - case.tag_len);
    let aad = case.aad.concat();
    let build = |tag: Option<&[u8]>| -> Result<Cipher, Error> {
        let algorithm = match tag {
            None => algorithms::ChaCha20Poly1305Incremental::new(&case.key, &case.nonce)?,
            Some(tag) => algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(
                &case.key,
                &case.nonce,
                tag,
            )?,
        };
        Cipher::with_backend(algorithm, None::<Arc<dyn Mode>>, backend.clone())
    };
    let cipher = build(None).map_err(|e| format!("building the cipher: {e}"))?;
    if !backend.cipher_supported(cipher.algorithm(), None) {
        return Ok(Outcome::Skipped(
            "ChaCha20-Poly1305 (streaming) unsupported".into(),
        ));
    }
    // One-shot with an exact-fit buffer, then split at every offset up to two blocks plus one,
    // then with the associated data given in two calls.
    let mut ways: Vec<(String, Option<usize>, Option<usize>)> =
        vec![("one-shot".into(), None, None)];
    for at in split_points(ct.len(), 64) {
        ways.push((format!("split at {at}"), Some(at), None));
    }
    if aad.len() > 1 {
        ways.push(("AAD in two calls".into(), None, Some(aad.len() / 2)));
    }
    let run = |ctx: &mut CipherContext, data: &[u8], at: Option<usize>| match at {
        Some(at) => split(ctx, data, at),
        None => one_shot(ctx, data),
    };
    if case.encrypt {
        for (label, at, aad_at) in &ways {
            let result = (|| -> Result<(Vec<u8>, Vec<u8>), Error> {
                let mut ctx = cipher.encryptor()?;
                feed_aad(&mut ctx, &aad, *aad_at)?;
                let mut out = run(&mut ctx, &case.plaintext, *at)?;
                out.extend(ctx.finalize()?);
                Ok((out, ctx.tag()?.to_vec()))
            })();
            match result {
                Err(e) => return Err(format!("stream encrypt {label}: {e}")),
                Ok((got_ct, got_tag)) if got_ct != ct || got_tag != tag => {
                    return Err(format!(
                        "stream encrypt {label}: got {} tag {}, want {} tag {}",
                        hex(&got_ct),
                        hex(&got_tag),
                        hex(ct),
                        hex(tag)
                    ))
                }
                Ok(_) => {}
            }
        }
    }
    for tag_in_algorithm in [false, true] {
        let cipher = if tag_in_algorithm {
            build(Some(tag)).map_err(|e| format!("building the cipher with the tag: {e}"))?
        } else {
            cipher.clone()
        };
        for (label, at, aad_at) in &ways {
            let how = if tag_in_algorithm {
                " (tag in the algorithm)"
            } else {
                ""
            };
            let result = (|| -> Result<Vec<u8>, Error> {
                let mut ctx = cipher.decryptor()?;
                feed_aad(&mut ctx, &aad, *aad_at)?;
                let mut out = run(&mut ctx, ct, *at)?;
                out.extend(if tag_in_algorithm {
                    ctx.finalize()?
                } else {
                    ctx.finalize_with_tag(tag)?
                });
                Ok(out)
            })();
            match result {
                Err(Error::InvalidTag) if case.fail => {}
                Err(e) => return Err(format!("stream decrypt {label}{how}: {e}")),
                Ok(_) if case.fail => {
                    return Err(format!(
                        "stream decrypt {label}{how}: a failing case was accepted"
                    ))
                }
                Ok(pt) if pt != case.plaintext => {
                    return Err(format!(
                        "stream decrypt {label}{how}: got {}, want {}",
                        hex(&pt),
                        hex(&case.plaintext)
                    ))
                }
                Ok(_) => {}
            }
        }
    }
    Ok(Outcome::Passed)
}

// ---- CMAC, Poly1305 ----

/// Checks a MAC computed one-shot, split at every offset up to two blocks plus one, and from a
/// copy taken midway; then `verify` with the right tag, a changed one and a truncated one.
fn check_mac<M>(
    case: &Case,
    message: &[u8],
    expected: &[u8],
    block: usize,
    start: &dyn Fn() -> Result<M, Error>,
    ops: MacOps<M>,
) -> CaseResult {
    let mac_of = |parts: &[&[u8]]| -> Result<Vec<u8>, Error> {
        let mut mac = start()?;
        for part in parts {
            (ops.update)(&mut mac, part)?;
        }
        (ops.finalize)(mac)
    };
    let check = |label: String, got: Result<Vec<u8>, Error>| -> Result<(), String> {
        let got = got.map_err(|e| err(case, format!("{label}: {e}")))?;
        if got != expected {
            return Err(err(
                case,
                format!("{label}: got {}, want {}", hex(&got), hex(expected)),
            ));
        }
        Ok(())
    };
    check("one-shot".into(), mac_of(&[message]))?;
    for at in split_points(message.len(), block) {
        check(
            format!("split at {at}"),
            mac_of(&[&message[..at], &message[at..]]),
        )?;
    }
    if let Some(copy) = ops.copy {
        let at = message.len() / 2;
        let got = (|| -> Result<Vec<u8>, Error> {
            let mut original = start()?;
            (ops.update)(&mut original, &message[..at])?;
            let mut copy = copy(&original)?;
            (ops.update)(&mut original, b"diverge")?;
            (ops.update)(&mut copy, &message[at..])?;
            (ops.finalize)(copy)
        })();
        check("copy at the midpoint".into(), got)?;
    }
    let verify = |tag: &[u8]| -> Result<(), Error> {
        let mut mac = start()?;
        (ops.update)(&mut mac, message)?;
        (ops.verify)(mac, tag)
    };
    verify(expected).map_err(|e| err(case, format!("verify: {e}")))?;
    let mut changed = expected.to_vec();
    changed[0] ^= 1;
    for (label, tag) in [
        ("changed", changed.as_slice()),
        ("truncated", &expected[..expected.len() - 1]),
    ] {
        match verify(tag) {
            Err(Error::InvalidSignature) => {}
            other => {
                return Err(err(
                    case,
                    format!("verify with a {label} tag: want InvalidSignature, got {other:?}"),
                ))
            }
        }
    }
    Ok(Outcome::Passed)
}

/// The operations `check_mac` needs from a MAC type.
struct MacOps<M> {
    update: fn(&mut M, &[u8]) -> Result<(), Error>,
    finalize: fn(M) -> Result<Vec<u8>, Error>,
    verify: fn(M, &[u8]) -> Result<(), Error>,
    copy: Option<CopyFn<M>>,
}

type CopyFn<M> = fn(&M) -> Result<M, Error>;

fn run_cmac_case(backend: &Arc<dyn Backend>, path: &str, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let algorithm: Arc<dyn CipherAlgorithm> = if path.contains("3des") {
        let key = [case.hex("KEY1"), case.hex("KEY2"), case.hex("KEY3")]
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(verr)?
            .concat();
        Arc::new(TripleDes::new(&key).map_err(|e| err(case, e))?)
    } else {
        Arc::new(Aes::new(&case.hex("KEY").map_err(verr)?).map_err(|e| err(case, e))?)
    };
    let message = case.hex("MESSAGE").map_err(verr)?;
    let expected = case.hex("OUTPUT").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    let supported = backend.cmac_algorithm_supported(&*algorithm);
    match Cmac::from_shared(algorithm.clone(), backend.clone()) {
        Err(e) if is_unsupported(&e) && !supported => {
            return Ok(Outcome::Skipped(format!(
                "CMAC with {}-{} unsupported",
                algorithm.name(),
                algorithm.key_size()
            )))
        }
        Err(e) => {
            return Err(err(
                case,
                format!("starting CMAC (cmac_algorithm_supported says {supported}): {e}"),
            ))
        }
        Ok(_) if !supported => {
            return Err(err(
                case,
                "cmac_algorithm_supported says no, yet CMAC started",
            ))
        }
        Ok(_) => {}
    }
    let block = algorithm.block_size().map_or(1, |bits| bits / 8);
    check_mac(
        case,
        &message,
        &expected,
        block,
        &|| Cmac::from_shared(algorithm.clone(), backend.clone()),
        MacOps {
            update: Cmac::update,
            finalize: Cmac::finalize,
            verify: Cmac::verify,
            copy: Some(Cmac::copy),
        },
    )
}

fn run_poly1305_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let key = case.hex("KEY").map_err(verr)?;
    let message = case.hex("MSG").map_err(verr)?;
    let expected = case.hex("TAG").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    let supported = backend.poly1305_supported();
    match Poly1305::with_backend(&key, backend.clone()) {
        Err(e) if is_unsupported(&e) && !supported => {
            return Ok(Outcome::Skipped("Poly1305 unsupported".into()))
        }
        Err(e) => {
            return Err(err(
                case,
                format!("starting Poly1305 (poly1305_supported says {supported}): {e}"),
            ))
        }
        Ok(_) if !supported => {
            return Err(err(
                case,
                "poly1305_supported says no, yet Poly1305 started",
            ))
        }
        Ok(_) => {}
    }
    check_mac(
        case,
        &message,
        &expected,
        16,
        &|| Poly1305::with_backend(&key, backend.clone()),
        MacOps {
            update: Poly1305::update,
            finalize: Poly1305::finalize,
            verify: Poly1305::verify,
            copy: None,
        },
    )
}

// ---- key wrap ----

type WrapFn = fn(&[u8], &[u8], Arc<dyn Backend>) -> Result<Vec<u8>, Error>;
type UnwrapFn = fn(&[u8], &[u8], Arc<dyn Backend>) -> Result<zeroize::Zeroizing<Vec<u8>>, Error>;

fn run_keywrap_case(backend: &Arc<dyn Backend>, path: &str, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let file = path.rsplit('/').next().unwrap_or("");
    let botan = file == "kwp_botan.txt";
    let padded = botan || file.starts_with("KWP");
    // Botan's file: Key/Input/Output; NIST's: K/P/C, P replaced by FAIL where unwrapping fails.
    let (key, plain, wrapped, fail) = if botan {
        if case.section("KWP").is_none() {
            return Err(err(case, "not under [KWP]"));
        }
        (
            case.hex("Key"),
            case.hex("Input").map(Some),
            case.hex("Output"),
            false,
        )
    } else {
        (
            case.hex("K"),
            case.opt_hex("P"),
            case.hex("C"),
            case.flag("FAIL"),
        )
    };
    let (key, plain, wrapped) = (
        key.map_err(verr)?,
        plain.map_err(verr)?,
        wrapped.map_err(verr)?,
    );
    if let Some(bits) = case.section("PLAINTEXT LENGTH") {
        let bits: usize = bits
            .parse()
            .map_err(|_| err(case, "bad PLAINTEXT LENGTH"))?;
        if plain.as_ref().is_some_and(|p| p.len() * 8 != bits) {
            return Err(err(case, "P disagrees with PLAINTEXT LENGTH"));
        }
    }
    case.clone().finish().map_err(verr)?;
    let plain = match (plain, fail) {
        (Some(p), false) => Some(p),
        (None, true) => None,
        _ => return Err(err(case, "want exactly one of P and FAIL")),
    };
    if file.ends_with("_inv.txt") {
        return Ok(Outcome::Skipped(
            "KW/KWP over the AES inverse cipher (an SP 800-38F option the API does not offer)"
                .into(),
        ));
    }
    let cb: Arc<dyn Backend> = backend.clone();
    let (wrap, unwrap): (WrapFn, UnwrapFn) = if padded {
        (
            keywrap::aes_key_wrap_with_padding_with_backend,
            keywrap::aes_key_unwrap_with_padding_with_backend,
        )
    } else {
        (
            keywrap::aes_key_wrap_with_backend,
            keywrap::aes_key_unwrap_with_backend,
        )
    };
    let unsupported = |e: &Error| Outcome::Skipped(format!("key wrap: {e}"));
    match (unwrap(&key, &wrapped, cb.clone()), &plain) {
        (Err(e), _) if is_unsupported(&e) => return Ok(unsupported(&e)),
        (Err(Error::InvalidUnwrap), None) => return Ok(Outcome::Passed),
        (Err(e), _) => return Err(err(case, format!("unwrap: {e}"))),
        (Ok(_), None) => return Err(err(case, "unwrap: a FAIL case was accepted")),
        (Ok(got), Some(want)) if got.as_slice() != want.as_slice() => {
            return Err(err(
                case,
                format!("unwrap: got {}, want {}", hex(&got), hex(want)),
            ))
        }
        (Ok(_), Some(_)) => {}
    }
    // Wrapping is deterministic: the plaintext wraps to the vector's ciphertext.
    if let Some(plain) = &plain {
        match wrap(&key, plain, cb) {
            Err(e) if is_unsupported(&e) => return Ok(unsupported(&e)),
            Err(e) => return Err(err(case, format!("wrap: {e}"))),
            Ok(got) if got != wrapped => {
                return Err(err(
                    case,
                    format!("wrap: got {}, want {}", hex(&got), hex(&wrapped)),
                ))
            }
            Ok(_) => {}
        }
    }
    Ok(Outcome::Passed)
}

// ---- HOTP, TOTP ----

/// An RFC 4226 case: HMAC-SHA1 of the counter (`INTERMEDIATE`), its dynamic truncation
/// (`TRUNCATED`, hex without leading zeros) and the 6-digit password. `SECRET` is ASCII.
fn run_hotp_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let counter = case.usize("COUNTER").map_err(verr)? as u64;
    let intermediate = case.hex("INTERMEDIATE").map_err(verr)?;
    let truncated = u32::from_str_radix(case.str("TRUNCATED").map_err(verr)?, 16)
        .map_err(|e| err(case, format!("TRUNCATED: {e}")))?;
    let expected = case.str("HOTP").map_err(verr)?.to_string();
    let secret = case.str("SECRET").map_err(verr)?.as_bytes().to_vec();
    case.clone().finish().map_err(verr)?;
    if !backend.hmac_supported(&Sha1) {
        return Ok(Outcome::Skipped("HMAC-SHA1 unsupported".into()));
    }
    let mut mac =
        Hmac::from_shared(&secret, Arc::new(Sha1), backend.clone()).map_err(|e| err(case, e))?;
    mac.update(&counter.to_be_bytes())
        .map_err(|e| err(case, e))?;
    let digest = mac.finalize().map_err(|e| err(case, e))?;
    if digest != intermediate {
        return Err(err(
            case,
            format!("HMAC: got {}, want {}", hex(&digest), hex(&intermediate)),
        ));
    }
    let offset = usize::from(intermediate[intermediate.len() - 1] & 0x0f);
    let mut four = [0u8; 4];
    four.copy_from_slice(&intermediate[offset..offset + 4]);
    if u32::from_be_bytes(four) & 0x7fff_ffff != truncated {
        return Err(err(
            case,
            "the dynamic truncation of INTERMEDIATE is not TRUNCATED",
        ));
    }
    let digits = u32::try_from(expected.len()).map_err(|e| err(case, e))?;
    let hotp =
        Hotp::with_backend(&secret, digits, Sha1, backend.clone()).map_err(|e| err(case, e))?;
    check_otp(
        case,
        &expected,
        hotp.generate(counter),
        hotp.verify(&expected, counter),
        hotp.verify(&expected, counter + 1),
    )
}

/// An RFC 6238 case: 8-digit passwords, 30-second steps, `MODE` the HMAC hash.
fn run_totp_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let time = case.usize("TIME").map_err(verr)? as u64;
    let expected = case.str("TOTP").map_err(verr)?.to_string();
    let mode = case.str("MODE").map_err(verr)?.to_string();
    let secret = case.str("SECRET").map_err(verr)?.as_bytes().to_vec();
    case.clone().finish().map_err(verr)?;
    let digits = u32::try_from(expected.len()).map_err(|e| err(case, e))?;
    let b: Arc<dyn Backend> = backend.clone();
    let (supported, totp) = match mode.as_str() {
        "SHA1" => (
            backend.hmac_supported(&Sha1),
            Totp::with_backend(&secret, digits, Sha1, 30, b),
        ),
        "SHA256" => (
            backend.hmac_supported(&Sha256),
            Totp::with_backend(&secret, digits, Sha256, 30, b),
        ),
        "SHA512" => (
            backend.hmac_supported(&Sha512),
            Totp::with_backend(&secret, digits, Sha512, 30, b),
        ),
        other => return Err(err(case, format!("unknown MODE {other:?}"))),
    };
    let totp = match totp {
        Err(e) if is_unsupported(&e) && !supported => {
            return Ok(Outcome::Skipped(format!("HMAC-{mode} unsupported")))
        }
        Err(e) => {
            return Err(err(
                case,
                format!("TOTP (hmac_supported says {supported}): {e}"),
            ))
        }
        Ok(totp) => totp,
    };
    // The next step gives another password.
    check_otp(
        case,
        &expected,
        totp.generate(time),
        totp.verify(&expected, time),
        totp.verify(&expected, time + 30),
    )
}

/// `generate` must give `expected`, `verify` accept it, and `verify` at the next counter or
/// step refuse it with `InvalidToken`.
fn check_otp(
    case: &Case,
    expected: &str,
    generated: Result<String, Error>,
    verified: Result<(), Error>,
    other: Result<(), Error>,
) -> CaseResult {
    match generated {
        Ok(got) if got == expected => {}
        other => {
            return Err(err(
                case,
                format!("generate: got {other:?}, want {expected}"),
            ))
        }
    }
    verified.map_err(|e| err(case, format!("verify: {e}")))?;
    match other {
        Err(Error::InvalidToken) => Ok(Outcome::Passed),
        got => Err(err(
            case,
            format!("verify at the next counter: want InvalidToken, got {got:?}"),
        )),
    }
}

// ---- key derivation ----

/// Memory (bytes) from which a scrypt or Argon2 case is skipped as too costly for CI.
const COSTLY_MEMORY: u64 = 1 << 30;

/// PBKDF2 iteration count from which a case is skipped as too costly for CI: each passed case
/// runs the KDF three times, on every backend.
const COSTLY_ITERATIONS: u32 = 1 << 20;

/// Set (to anything) to run the cases skipped as too costly for CI as well.
const COSTLY_ENV_VAR: &str = "CRYPTOGRAPHY_VECTORS_COSTLY";

/// `Some(skip)` when a case is too costly for CI (unless [`COSTLY_ENV_VAR`] is set); `what`
/// says what it would cost.
fn too_costly(is_costly: bool, what: impl FnOnce() -> String) -> Option<Outcome> {
    (is_costly && std::env::var_os(COSTLY_ENV_VAR).is_none()).then(|| {
        Outcome::Skipped(format!(
            "too costly for CI ({}; set {COSTLY_ENV_VAR}=1 to run it)",
            what()
        ))
    })
}

/// Runs one KDF vector: `make` builds a fresh instance (on the backend under test), whose
/// `derive` of `key_material` must give `expected`; a second instance must `verify` it, and a
/// third must refuse it with one bit flipped with `InvalidKey`. `supported` is the backend's
/// own answer for the KDF: an `UnsupportedAlgorithm` it predicts is a skip, any other is a
/// failure, and so is a derivation it said it could not do.
fn check_kdf<K: KeyDerivationFunction>(
    what: &str,
    supported: bool,
    make: impl Fn() -> Result<K, Error>,
    key_material: &[u8],
    expected: &[u8],
) -> CaseResult {
    let unsupported = |stage: &str, e: Error| -> CaseResult {
        if is_unsupported(&e) && !supported {
            Ok(Outcome::Skipped(format!("{what} unsupported")))
        } else {
            Err(format!(
                "{stage} (the backend says {what} is supported: {supported}): {e}"
            ))
        }
    };
    let mut kdf = match make() {
        Ok(kdf) => kdf,
        Err(e) => return unsupported("building the KDF", e),
    };
    if kdf.length() != expected.len() {
        return Err(format!(
            "length() is {}, the vector's key {} bytes",
            kdf.length(),
            expected.len()
        ));
    }
    let got = match kdf.derive(key_material) {
        Ok(got) => got,
        Err(e) => return unsupported("derive", e),
    };
    if !supported {
        return Err(format!(
            "{what} derived, but the backend says it is unsupported"
        ));
    }
    if got.as_slice() != expected {
        return Err(format!("derive: got {}, want {}", hex(&got), hex(expected)));
    }
    make()
        .and_then(|mut k| k.verify(key_material, expected))
        .map_err(|e| format!("verify the vector's key: {e}"))?;
    let mut flipped = expected.to_vec();
    if let Some(last) = flipped.last_mut() {
        *last ^= 1;
    }
    match make().and_then(|mut k| k.verify(key_material, &flipped)) {
        Err(Error::InvalidKey) => Ok(Outcome::Passed),
        other => Err(format!(
            "verify with one bit flipped: want InvalidKey, got {other:?}"
        )),
    }
}

/// The hash a KDF file names (`SHA-256`, `SHA256`, `sha256` all give `sha256`).
fn kdf_hash(case: &Case, name: &str) -> Result<Arc<dyn HashAlgorithm>, String> {
    let lower = name.to_ascii_lowercase().replace('-', "");
    let canonical = match lower.as_str() {
        "sha1" | "sha224" | "sha256" | "sha384" | "sha512" => lower,
        _ => return Err(err(case, format!("unknown hash {name:?}"))),
    };
    hashes::algorithm_by_name(&canonical, None).map_err(|e| err(case, e))
}

/// A length in bits that must be whole bytes.
fn bits_to_bytes(case: &Case, what: &str, bits: usize) -> Result<usize, String> {
    if !bits.is_multiple_of(8) {
        return Err(err(
            case,
            format!("{what} of {bits} bits is not whole bytes"),
        ));
    }
    Ok(bits / 8)
}

/// Checks a byte length the file states against the data.
fn check_len(case: &Case, what: &str, stated: usize, data: &[u8]) -> Result<(), String> {
    if stated != data.len() {
        return Err(err(
            case,
            format!("{what} says {stated} bytes, the data has {}", data.len()),
        ));
    }
    Ok(())
}

/// RFC 5869 and the 1200-byte file: `Hash`, `IKM`, `salt`, `info`, `L` (bytes), `OKM` and,
/// in the RFC files, the extracted `PRK`. HKDF derives `OKM` from `IKM` (family `HKDF`);
/// HKDF-Extract must give `PRK`; HKDF-Expand derives `OKM` from it (family `HKDF-Expand`).
fn run_hkdf_case(backend: &Arc<dyn Backend>, case: &Case) -> Vec<(String, CaseResult)> {
    let parsed = (|| -> Result<_, String> {
        case.ignore("COUNT");
        let algorithm = kdf_hash(case, case.str("Hash").map_err(verr)?)?;
        let ikm = case.hex("IKM").map_err(verr)?;
        let salt = case.hex("salt").map_err(verr)?;
        let info = case.hex("info").map_err(verr)?;
        let length = case.usize("L").map_err(verr)?;
        let okm = case.hex("OKM").map_err(verr)?;
        let prk = case.opt_hex("PRK").map_err(verr)?;
        case.clone().finish().map_err(verr)?;
        check_len(case, "L", length, &okm)?;
        Ok((algorithm, ikm, salt, info, okm, prk))
    })();
    let (algorithm, ikm, salt, info, okm, prk) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return vec![("HKDF".into(), Err(e))],
    };
    let hb: Arc<dyn Backend> = backend.clone();
    let supported = backend.hmac_supported(&*algorithm);
    let what = format!("HMAC-{}", algorithm.name());
    let located = |r: CaseResult| r.map_err(|e| err(case, e));
    let hkdf = |salt: Option<&[u8]>| {
        check_kdf(
            &what,
            supported,
            || Hkdf::from_shared(algorithm.clone(), okm.len(), salt, Some(&info), hb.clone()),
            &ikm,
            &okm,
        )
    };
    // An empty salt is also the absent one (RFC 5869: HashLen zero bytes, the same HMAC key).
    let full = match hkdf(Some(&salt)) {
        Ok(Outcome::Passed) if salt.is_empty() => hkdf(None).map_err(|e| format!("salt None: {e}")),
        other => other,
    };
    // HKDF-Extract alone, then HKDF-Expand from its output.
    let expand = (|| -> CaseResult {
        if !supported {
            return check_kdf(
                &what,
                supported,
                || HkdfExpand::from_shared(algorithm.clone(), okm.len(), Some(&info), hb.clone()),
                &[],
                &okm,
            );
        }
        let extracted =
            Hkdf::extract_from_shared(algorithm.clone(), Some(&salt), &ikm, backend.clone())
                .map_err(|e| format!("Hkdf::extract: {e}"))?;
        if let Some(prk) = &prk {
            if prk != extracted.as_slice() {
                return Err(format!(
                    "Hkdf::extract: got {}, want PRK {}",
                    hex(&extracted),
                    hex(prk)
                ));
            }
        }
        check_kdf(
            &what,
            supported,
            || HkdfExpand::from_shared(algorithm.clone(), okm.len(), Some(&info), hb.clone()),
            &extracted,
            &okm,
        )
    })();
    vec![
        ("HKDF".into(), located(full)),
        ("HKDF-Expand".into(), located(expand)),
    ]
}

/// A PBKDF2/scrypt text field: ASCII, with `\0` standing for a NUL byte (RFC 6070's
/// `pass\0word`), as pyca's loader reads it.
fn kdf_text(case: &Case, name: &str) -> Result<Vec<u8>, String> {
    let value = case.str(name).map_err(verr)?;
    if !value.is_ascii() || value.replace("\\0", "").contains('\\') {
        return Err(err(case, format!("{name}: unexpected text {value:?}")));
    }
    Ok(value.replace("\\0", "\0").into_bytes())
}

/// RFC 6070: PBKDF2-HMAC-SHA1 with ASCII `PASSWORD`/`SALT`, `ITERATIONS`, `LENGTH`.
fn run_pbkdf2_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let password = kdf_text(case, "PASSWORD")?;
    let salt = kdf_text(case, "SALT")?;
    let iterations = case.usize("ITERATIONS").map_err(verr)?;
    let length = case.usize("LENGTH").map_err(verr)?;
    let expected = case.hex("DERIVED_KEY").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    check_len(case, "LENGTH", length, &expected)?;
    let iterations =
        u32::try_from(iterations).map_err(|_| err(case, "ITERATIONS above 2^32 - 1"))?;
    let kb: Arc<dyn Backend> = backend.clone();
    let supported = backend.pbkdf2_hmac_supported(&Sha1);
    let make = || Pbkdf2Hmac::with_backend(Sha1, expected.len(), &salt, iterations, kb.clone());
    if supported {
        // The API takes the parameters whether or not the case then runs.
        make().map_err(|e| err(case, format!("building the KDF: {e}")))?;
        if let Some(skip) = too_costly(iterations >= COSTLY_ITERATIONS, || {
            format!("{iterations} PBKDF2 iterations, three runs per case")
        }) {
            return Ok(skip);
        }
    }
    check_kdf("PBKDF2-HMAC-SHA1", supported, make, &password, &expected).map_err(|e| err(case, e))
}

/// RFC 7914: scrypt with ASCII `PASSWORD`/`SALT`, `N`, `r`, `p`, `LENGTH`.
fn run_scrypt_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let password = kdf_text(case, "PASSWORD")?;
    let salt = kdf_text(case, "SALT")?;
    let n = case.usize("N").map_err(verr)? as u64;
    let r = u32::try_from(case.usize("r").map_err(verr)?).map_err(|e| err(case, e))?;
    let p = u32::try_from(case.usize("p").map_err(verr)?).map_err(|e| err(case, e))?;
    let length = case.usize("LENGTH").map_err(verr)?;
    let expected = case.hex("DERIVED_KEY").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    check_len(case, "LENGTH", length, &expected)?;
    let kb: Arc<dyn Backend> = backend.clone();
    let supported = backend.scrypt_supported();
    let make = || Scrypt::with_backend(&salt, expected.len(), n, r, p, kb.clone());
    // RFC 7914: V is N blocks of 128 r bytes.
    let memory = 128 * n * u64::from(r);
    if supported {
        make().map_err(|e| err(case, format!("building the KDF: {e}")))?;
        if let Some(skip) = too_costly(memory >= COSTLY_MEMORY, || {
            format!("scrypt with N = {n}, r = {r} needs {} MiB", memory >> 20)
        }) {
            return Ok(skip);
        }
    }
    check_kdf("scrypt", supported, make, &password, &expected).map_err(|e| err(case, e))
}

/// RFC 9106 and the argon2 CLI: `length`, `lanes`, `iter`, `memcost` (KiB), `pass`, `salt`,
/// optional `secret` and `ad`, `output`; the variant is the file's.
fn run_argon2_case(backend: &Arc<dyn Backend>, path: &str, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let variant = match path {
        "KDF/argon2d.txt" => Argon2Variant::Argon2d,
        "KDF/argon2i.txt" => Argon2Variant::Argon2i,
        "KDF/argon2id.txt" => Argon2Variant::Argon2id,
        other => return Err(format!("{other}: no Argon2 variant")),
    };
    let number = |name: &str| -> Result<u32, String> {
        let n = case.usize(name).map_err(verr)?;
        u32::try_from(n).map_err(|e| err(case, format!("{name}: {e}")))
    };
    let length = case.usize("length").map_err(verr)?;
    let (lanes, iterations, memory_cost) = (number("lanes")?, number("iter")?, number("memcost")?);
    let password = case.hex("pass").map_err(verr)?;
    let salt = case.hex("salt").map_err(verr)?;
    let secret = case.opt_hex("secret").map_err(verr)?;
    let ad = case.opt_hex("ad").map_err(verr)?;
    let expected = case.hex("output").map_err(verr)?;
    case.clone().finish().map_err(verr)?;
    check_len(case, "length", length, &expected)?;
    let kb: Arc<dyn Backend> = backend.clone();
    let supported = backend.argon2_supported(variant);
    let (ad, secret) = (ad.as_deref(), secret.as_deref());
    let memory = u64::from(memory_cost) << 10;
    let costly_skip = || {
        too_costly(memory >= COSTLY_MEMORY, || {
            format!("{} with {} MiB", variant.name(), memory >> 20)
        })
    };
    macro_rules! run {
        ($ty:ident) => {{
            let make = || {
                $ty::with_backend(
                    &salt,
                    expected.len(),
                    iterations,
                    lanes,
                    memory_cost,
                    ad,
                    secret,
                    kb.clone(),
                )
            };
            if supported {
                make().map_err(|e| err(case, format!("building the KDF: {e}")))?;
                if let Some(skip) = costly_skip() {
                    return Ok(skip);
                }
            }
            check_kdf(variant.name(), supported, make, &password, &expected)
        }};
    }
    match variant {
        Argon2Variant::Argon2d => run!(Argon2d),
        Argon2Variant::Argon2i => run!(Argon2i),
        Argon2Variant::Argon2id => run!(Argon2id),
        other => return Err(err(case, format!("no runner for {}", other.name()))),
    }
    .map_err(|e| err(case, e))
}

/// ANS X9.63-2001 (NIST CAVS): sections name the hash and the bit lengths of `Z`, `SharedInfo`
/// and `key_data`; the indented lines give, per hash block i, `Counter` (repeated),
/// `Hash input i` = `Z ‖ Counter ‖ SharedInfo` and the block `Ki`, whose concatenation
/// `key_data` begins with. Those are checked against each other, then the KDF.
fn run_x963_case(backend: &Arc<dyn Backend>, case: &Case) -> CaseResult {
    case.ignore("COUNT");
    let hash_names = ["SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"];
    let named: Vec<&str> = hash_names
        .into_iter()
        .filter(|h| case.section(h).is_some())
        .collect();
    let [hash_name] = named.as_slice() else {
        return Err(err(case, format!("want one hash section, got {named:?}")));
    };
    let algorithm = kdf_hash(case, hash_name)?;
    let section_bits = |name: &str| -> Result<usize, String> {
        case.section(name)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| err(case, format!("no section [{name} = n]")))
    };
    let z = case.hex("Z").map_err(verr)?;
    let shared_info = case.hex("SharedInfo").map_err(verr)?;
    let key_data = case.hex("key_data").map_err(verr)?;
    let counters = case.all_hex("Counter").map_err(verr)?;
    let mut blocks = Vec::new();
    for (i, counter) in counters.iter().enumerate() {
        let i = i + 1;
        let input = case.hex(&format!("Hash input {i}")).map_err(verr)?;
        let block = case.hex(&format!("K{i}")).map_err(verr)?;
        let want_counter = u32::try_from(i).map_err(|e| e.to_string())?.to_be_bytes();
        if counter.as_slice() != want_counter {
            return Err(err(case, format!("Counter {i} is {}", hex(counter))));
        }
        if input != [z.as_slice(), counter, &shared_info].concat() {
            return Err(err(
                case,
                format!("Hash input {i} is not Z ‖ Counter ‖ SharedInfo"),
            ));
        }
        if block.len() != algorithm.digest_size() {
            return Err(err(
                case,
                format!("K{i} is not one {} digest", algorithm.name()),
            ));
        }
        blocks.extend(block);
    }
    case.clone().finish().map_err(verr)?;
    // Z may be a bit string (the 521-bit P-521 secrets), stored in whole bytes.
    if section_bits("shared secret length")?.div_ceil(8) != z.len() {
        return Err(err(case, "Z disagrees with [shared secret length]"));
    }
    let info_bytes = bits_to_bytes(
        case,
        "SharedInfo length",
        section_bits("SharedInfo length")?,
    )?;
    check_len(case, "[SharedInfo length]", info_bytes, &shared_info)?;
    let key_bytes = bits_to_bytes(case, "key data length", section_bits("key data length")?)?;
    check_len(case, "[key data length]", key_bytes, &key_data)?;
    if key_data.len().div_ceil(algorithm.digest_size()) != counters.len()
        || !blocks.starts_with(&key_data)
    {
        return Err(err(case, "key_data is not the start of K1 ‖ K2 ‖ ..."));
    }
    let hb: Arc<dyn Backend> = backend.clone();
    check_kdf(
        algorithm.name(),
        backend.hash_supported(&*algorithm),
        || {
            X963Kdf::from_shared(
                algorithm.clone(),
                key_data.len(),
                Some(&shared_info),
                hb.clone(),
            )
        },
        &z,
        &key_data,
    )
    .map_err(|e| err(case, e))
}

/// The PRF of a KBKDF section: an HMAC hash, or a CMAC block cipher.
enum KbkdfPrf {
    Hmac(Arc<dyn HashAlgorithm>),
    CmacAes,
    CmacTripleDes,
}

/// NIST SP 800-108 counter mode (CAVS 14.4): `[PRF]`, `[CTRLOCATION]`, `[RLEN]`; `L` in bits,
/// `KI`, the fixed input (`FixedInputData`, or `DataBeforeCtrData`/`DataAfterCtrData` around
/// a middle counter, each with its byte length), `KO`; per PRF block the indented
/// `Binary rep of i` and `instring` (the PRF input), which are checked against the layout
/// before the KDF runs with the fixed input as `fixed` data. Families `KBKDF-HMAC` and
/// `KBKDF-CMAC`.
fn run_kbkdf_case(backend: &Arc<dyn Backend>, case: &Case) -> (String, CaseResult) {
    let prf_name = case.section("PRF").unwrap_or_default();
    let family = if prf_name.starts_with("CMAC") {
        "KBKDF-CMAC"
    } else {
        "KBKDF-HMAC"
    };
    let result = (|| -> CaseResult {
        case.ignore("COUNT");
        let prf = match prf_name {
            "CMAC_AES128" | "CMAC_AES192" | "CMAC_AES256" => KbkdfPrf::CmacAes,
            "CMAC_TDES2" | "CMAC_TDES3" => KbkdfPrf::CmacTripleDes,
            hmac => match hmac.strip_prefix("HMAC_") {
                Some(hash) => KbkdfPrf::Hmac(kdf_hash(case, hash)?),
                None => return Err(err(case, format!("unknown PRF {prf_name:?}"))),
            },
        };
        let location = match case.section("CTRLOCATION") {
            Some("BEFORE_FIXED") => CounterLocation::BeforeFixed,
            Some("AFTER_FIXED") => CounterLocation::AfterFixed,
            Some("MIDDLE_FIXED") => CounterLocation::MiddleFixed,
            other => return Err(err(case, format!("unknown CTRLOCATION {other:?}"))),
        };
        let rlen = match case.section("RLEN") {
            Some("8_BITS") => 1,
            Some("16_BITS") => 2,
            Some("24_BITS") => 3,
            Some("32_BITS") => 4,
            other => return Err(err(case, format!("unknown RLEN {other:?}"))),
        };
        let length = bits_to_bytes(case, "L", case.usize("L").map_err(verr)?)?;
        let ki = case.hex("KI").map_err(verr)?;
        let ko = case.hex("KO").map_err(verr)?;
        let (before, after) = if location == CounterLocation::MiddleFixed {
            let before = case.hex("DataBeforeCtrData").map_err(verr)?;
            let after = case.hex("DataAfterCtrData").map_err(verr)?;
            check_len(
                case,
                "DataBeforeCtrLen",
                case.usize("DataBeforeCtrLen").map_err(verr)?,
                &before,
            )?;
            check_len(
                case,
                "DataAfterCtrLen",
                case.usize("DataAfterCtrLen").map_err(verr)?,
                &after,
            )?;
            (before, after)
        } else {
            let fixed = case.hex("FixedInputData").map_err(verr)?;
            let stated = case.usize("FixedInputDataByteLen").map_err(verr)?;
            check_len(case, "FixedInputDataByteLen", stated, &fixed)?;
            if location == CounterLocation::BeforeFixed {
                (Vec::new(), fixed)
            } else {
                (fixed, Vec::new())
            }
        };
        let reps = case.all_hex("Binary rep of i").map_err(verr)?;
        let instrings = case.all_hex("instring").map_err(verr)?;
        case.clone().finish().map_err(verr)?;
        check_len(case, "L", length, &ko)?;
        let prf_bytes = match &prf {
            KbkdfPrf::Hmac(hash) => hash.digest_size(),
            KbkdfPrf::CmacAes => 16,
            KbkdfPrf::CmacTripleDes => 8,
        };
        if reps.len() != length.div_ceil(prf_bytes) || instrings.len() != reps.len() {
            return Err(err(
                case,
                format!(
                    "{} counters and {} PRF inputs for {length} bytes of {prf_bytes}-byte blocks",
                    reps.len(),
                    instrings.len()
                ),
            ));
        }
        for (i, (rep, instring)) in reps.iter().zip(&instrings).enumerate() {
            let counter = &u32::try_from(i + 1)
                .map_err(|e| e.to_string())?
                .to_be_bytes()[4 - rlen..];
            if rep.as_slice() != counter {
                return Err(err(
                    case,
                    format!("Binary rep of i {} is {}", i + 1, hex(rep)),
                ));
            }
            if *instring != [before.as_slice(), counter, &after].concat() {
                return Err(err(
                    case,
                    format!(
                        "instring {} is not the fixed input split around the counter",
                        i + 1
                    ),
                ));
            }
        }
        let fixed = [before.as_slice(), &after].concat();
        let params = KbkdfParams {
            rlen,
            llen: None,
            location,
            break_location: (location == CounterLocation::MiddleFixed).then_some(before.len()),
            fixed: Some(&fixed),
            ..KbkdfParams::new(length)
        };
        match prf {
            KbkdfPrf::Hmac(hash) => {
                let hb: Arc<dyn Backend> = backend.clone();
                check_kdf(
                    &format!("HMAC-{}", hash.name()),
                    backend.hmac_supported(&*hash),
                    || KbkdfHmac::from_shared(hash.clone(), params, hb.clone()),
                    &ki,
                    &ko,
                )
            }
            KbkdfPrf::CmacAes => {
                let cb: Arc<dyn Backend> = backend.clone();
                let probe = Aes::new(&ki).map_err(|e| err(case, e))?;
                check_kdf(
                    &format!("CMAC over {}", probe.name()),
                    backend.cmac_algorithm_supported(&probe),
                    || KbkdfCmac::with_backend(Aes::new, params, cb.clone()),
                    &ki,
                    &ko,
                )
            }
            KbkdfPrf::CmacTripleDes => {
                let cb: Arc<dyn Backend> = backend.clone();
                let probe = TripleDes::new(&ki).map_err(|e| err(case, e))?;
                check_kdf(
                    &format!("CMAC over {}", probe.name()),
                    backend.cmac_algorithm_supported(&probe),
                    || KbkdfCmac::with_backend(TripleDes::new, params, cb.clone()),
                    &ki,
                    &ko,
                )
            }
        }
        .map_err(|e| err(case, e))
    })();
    (family.into(), result)
}

/// The family a file's counts are reported under.
fn family_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["HMAC", ..] => "HMAC".into(),
        ["CMAC", file] if file.contains("3des") => "CMAC-3DES".into(),
        ["CMAC", ..] => "CMAC-AES".into(),
        ["poly1305", ..] => "Poly1305".into(),
        ["twofactor", "rfc-4226.txt"] => "HOTP".into(),
        ["twofactor", "rfc-6238.txt"] => "TOTP".into(),
        ["KDF", file] if file.starts_with("rfc-5869") || file.starts_with("hkdf") => "HKDF".into(),
        ["KDF", file] if file.contains("PBKDF2") => "PBKDF2".into(),
        ["KDF", "scrypt.txt"] => "scrypt".into(),
        ["KDF", "argon2d.txt"] => "Argon2d".into(),
        ["KDF", "argon2i.txt"] => "Argon2i".into(),
        ["KDF", "argon2id.txt"] => "Argon2id".into(),
        ["KDF", "ansx963_2001.txt"] => "X9.63 KDF".into(),
        ["KDF", file] if file.contains("KBKDF") => "KBKDF".into(),
        ["keywrap", .., file] if file.ends_with("_inv.txt") => "AES-KW/KWP inverse".into(),
        ["keywrap", .., file] if file.starts_with("KWP") || file.starts_with("kwp") => {
            "AES-KWP".into()
        }
        ["keywrap", ..] => "AES-KW".into(),
        ["ciphers", "ChaCha20Poly1305", ..] => "ChaCha20-Poly1305".into(),
        ["ciphers", "AES", "XTS", ..] => "AES-XTS".into(),
        ["ciphers", "AES", dir, file] => {
            if *dir == "CFB" && file.starts_with("CFB8") {
                "AES-CFB8".into()
            } else if *dir == "CFB" {
                "AES-CFB128".into()
            } else {
                format!("AES-{dir}")
            }
        }
        ["ciphers", family, ..] => (*family).into(),
        ["hashes", "SHA2", ..] => "SHA-2".into(),
        ["hashes", "SHA1", ..] => "SHA-1".into(),
        ["hashes", "SHA3", ..] => "SHA-3".into(),
        ["hashes", "blake2", ..] => "BLAKE2".into(),
        ["hashes", family, ..] => family.to_ascii_uppercase(),
        _ => path.into(),
    }
}

fn run_file(backend: &Arc<dyn Backend>, path: &str, tally: &Mutex<BTreeMap<String, Tally>>) {
    let family = family_of(path);
    let mut local: BTreeMap<String, Tally> = BTreeMap::new();
    let mut record = |family: &str, result: CaseResult| {
        let t = local.entry(family.to_string()).or_default();
        match result {
            Ok(Outcome::Passed) => t.passed += 1,
            Ok(Outcome::Skipped(why)) => *t.skipped.entry(why).or_default() += 1,
            Err(failure) => t.failures.push(failure),
        }
    };
    match test_vectors::load(path) {
        Err(e) => record(&family, Err(e.to_string())),
        Ok(cases) => {
            if Some(cases.len()) != test_vectors::expected_case_count(path) {
                record(
                    &family,
                    Err(format!(
                        "{path}: {} cases, COUNTS says {:?}",
                        cases.len(),
                        test_vectors::expected_case_count(path)
                    )),
                );
            }
            for case in &cases {
                for (family, result) in run_case(backend, path, &family, case) {
                    record(&family, result);
                }
            }
        }
    }
    let mut all = tally.lock().unwrap_or_else(|p| p.into_inner());
    for (family, t) in local {
        let entry = all.entry(family).or_default();
        entry.passed += t.passed;
        for (why, n) in t.skipped {
            *entry.skipped.entry(why).or_default() += n;
        }
        entry.failures.extend(t.failures);
    }
}

/// Runs one case through every runner that claims its file; returns a result per family.
fn run_case(
    backend: &Arc<dyn Backend>,
    path: &str,
    family: &str,
    case: &Case,
) -> Vec<(String, CaseResult)> {
    let located = |r: CaseResult| r.map_err(|e| err(case, e));
    let one = |r: CaseResult| vec![(family.to_string(), r)];
    if path.starts_with("HMAC/") {
        one(run_hmac_case(backend, path, case))
    } else if path.starts_with("hashes/") {
        one(run_hash_case(backend, path, case))
    } else if path.starts_with("CMAC/") {
        one(run_cmac_case(backend, path, case))
    } else if path.starts_with("poly1305/") {
        one(run_poly1305_case(backend, case))
    } else if path.starts_with("keywrap/") {
        one(run_keywrap_case(backend, path, case))
    } else if path == "twofactor/rfc-4226.txt" {
        one(run_hotp_case(backend, case))
    } else if path == "twofactor/rfc-6238.txt" {
        one(run_totp_case(backend, case))
    } else if let Some(file) = path.strip_prefix("KDF/") {
        match family {
            "HKDF" => run_hkdf_case(backend, case),
            "PBKDF2" => one(run_pbkdf2_case(backend, case)),
            "scrypt" => one(run_scrypt_case(backend, case)),
            "Argon2d" | "Argon2i" | "Argon2id" => one(run_argon2_case(backend, path, case)),
            "X9.63 KDF" => one(run_x963_case(backend, case)),
            "KBKDF" => vec![run_kbkdf_case(backend, case)],
            _ => one(Err(format!("{path}: no runner claims the KDF file {file}"))),
        }
    } else if let Some(kind) = aead_file(path) {
        match read_aead_case(kind, path, case) {
            Err(e) => one(Err(e)),
            Ok(parsed) => {
                let mut out = one(located(run_aead_case(backend, &parsed)));
                if kind == AeadKind::ChaCha {
                    out.push((
                        "ChaCha20-Poly1305 stream".into(),
                        located(run_chacha_stream_case(backend, &parsed)),
                    ));
                }
                out
            }
        }
    } else if let Some((alg_family, mode)) = cipher_file(path) {
        let parsed = match read_cipher_case(alg_family, mode, case) {
            Err(e) => return one(Err(e)),
            Ok(parsed) => parsed,
        };
        if let Err(e) = case.clone().finish() {
            return one(Err(verr(e)));
        }
        let Some(parsed) = parsed else {
            return one(Ok(Outcome::Skipped("bit-granular XTS data unit".into())));
        };
        let mut out = one(located(run_cipher_case(backend, &parsed)));
        if path.starts_with("ciphers/AES/GCM/") {
            out.push((
                "AES-GCM one-shot".into(),
                located(run_gcm_one_shot(backend, &parsed)),
            ));
        }
        out
    } else {
        one(Err(format!("{path}: no runner claims this file")))
    }
}

/// Runs every committed vector file on `backend`; returns the per-family tally.
fn run_suite(backend: &Arc<dyn Backend>) -> BTreeMap<String, Tally> {
    // The public-key families (`asymmetric/`) have their own suites (`tests/rsa_vectors.rs`, ...).
    let files: Vec<String> = test_vectors::committed_files()
        .into_iter()
        .filter(|f| !f.starts_with("asymmetric/"))
        .collect();
    let tally = Mutex::new(BTreeMap::new());
    let next = Mutex::new(files.iter());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let Some(path) = next.lock().unwrap_or_else(|p| p.into_inner()).next() else {
                    break;
                };
                run_file(backend, path, &tally);
            });
        }
    });
    tally.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn main() -> ExitCode {
    // Every compiled-in backend alone, then all of them behind one multi-backend.
    let mut backends: Vec<Arc<dyn Backend>> = available_backends();
    backends.push(Arc::new(MultiBackend::new(available_backends())));
    let mut failed = false;
    for backend in &backends {
        let tally = run_suite(backend);
        println!("\nvector conformance on the {} backend", backend.name());
        println!(
            "  {:<26} {:>8} {:>8} {:>8}",
            "family", "passed", "skipped", "failed"
        );
        let (mut passed, mut skipped, mut failures) = (0, 0, 0);
        for (family, t) in &tally {
            let s: usize = t.skipped.values().sum();
            println!(
                "  {:<26} {:>8} {:>8} {:>8}",
                family,
                t.passed,
                s,
                t.failures.len()
            );
            passed += t.passed;
            skipped += s;
            failures += t.failures.len();
        }
        println!(
            "  {:<26} {:>8} {:>8} {:>8}",
            "total", passed, skipped, failures
        );
        for (family, t) in &tally {
            for (why, n) in &t.skipped {
                println!("  skipped {n:>5} {family}: {why}");
            }
        }
        for t in tally.values() {
            for failure in t.failures.iter().take(20) {
                println!("  FAILED {failure}");
            }
        }
        failed |= failures > 0 || passed == 0;
    }
    if failed {
        println!("\nvector conformance: FAILED");
        ExitCode::FAILURE
    } else {
        println!("\nvector conformance: ok");
        ExitCode::SUCCESS
    }
}
