//! The conformance suite: every committed public vector file, on every backend.
//!
//! A custom harness (`harness = false`) so the per-family counts are always printed. Every
//! file listed in `vectors/COUNTS` must be claimed by a runner below and must yield exactly its
//! listed number of cases; every case must have all of its fields read. Each cipher vector runs
//! one-shot through `update_into` with an exact-fit buffer and again streamed, split at every
//! offset up to two blocks plus one; each hash/HMAC vector likewise. Cases a backend does not
//! support are counted as skipped, never as passed.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use cryptography::hazmat::backends::multi::MultiBackend;
use cryptography::hazmat::backends::{available_backends, Backend};
use cryptography::hazmat::primitives::ciphers::algorithms::{
    Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, CipherAlgorithm, Idea, Seed, Sm4, TripleDes,
};
use cryptography::hazmat::primitives::ciphers::modes::{
    Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Mode, Ofb, Xts,
};
use cryptography::hazmat::primitives::ciphers::{Cipher, CipherContext};
use cryptography::hazmat::primitives::hashes::{self, Hash, HashAlgorithm};
use cryptography::hazmat::primitives::hmac::Hmac;
use cryptography::Error;
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum ModeKind {
    None,
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb,
    Cfb8,
    Gcm,
    Xts,
}

/// A cipher vector, fully read from its file.
struct CipherCase {
    algorithm: Arc<dyn CipherAlgorithm>,
    mode: ModeKind,
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
            ModeKind::None => None,
            ModeKind::Ecb => Some(Arc::new(Ecb)),
            ModeKind::Cbc => Some(Arc::new(Cbc::new(iv)?)),
            ModeKind::Ctr => Some(Arc::new(Ctr::new(iv)?)),
            ModeKind::Ofb => Some(Arc::new(Ofb::new(iv)?)),
            ModeKind::Cfb => Some(Arc::new(Cfb::new(iv)?)),
            ModeKind::Cfb8 => Some(Arc::new(Cfb8::new(iv)?)),
            ModeKind::Gcm => Some(Arc::new(Gcm::with_tag(iv, tag, 4)?)),
            ModeKind::Xts => Some(Arc::new(Xts::new(iv)?)),
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
            if case.mode == ModeKind::Gcm {
                ctx.authenticate_additional_data(&case.aad)?;
            }
            if !discard.is_empty() {
                ctx.update(&discard)?;
            }
            let mut out = how(&mut ctx)?;
            out.extend(ctx.finalize()?);
            let tag = if case.mode == ModeKind::Gcm { ctx.tag()?.to_vec() } else { Vec::new() };
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
            if case.mode == ModeKind::Gcm {
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
fn cipher_file(path: &str) -> Option<(&'static str, ModeKind)> {
    let dir_mode = |p: &str| -> ModeKind {
        let name = p.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
        let has = |s: &str| name.contains(s);
        if p.contains("/CFB/") || has("cfb") {
            if has("cfb8") {
                ModeKind::Cfb8
            } else {
                ModeKind::Cfb
            }
        } else if p.contains("/CBC/") || has("cbc") || has("rfc-4196") {
            ModeKind::Cbc
        } else if p.contains("/OFB/") || has("ofb") {
            ModeKind::Ofb
        } else if p.contains("/CTR/") || has("ctr") {
            ModeKind::Ctr
        } else if has("rfc8998") || p.contains("/GCM/") {
            ModeKind::Gcm
        } else if p.contains("/XTS/") {
            ModeKind::Xts
        } else {
            ModeKind::Ecb
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
        "ARC4" => return Some(("ARC4", ModeKind::None)),
        "ChaCha20" => return Some(("ChaCha20", ModeKind::None)),
        _ => return None,
    };
    Some((family, dir_mode(path)))
}

fn build_algorithm(
    family: &str,
    key: &[u8],
    nonce: Option<Vec<u8>>,
) -> Result<Arc<dyn CipherAlgorithm>, Error> {
    Ok(match family {
        "AES" => Arc::new(Aes::new(key)?),
        "3DES" => Arc::new(TripleDes::new(key)?),
        "Camellia" => Arc::new(Camellia::new(key)?),
        "Blowfish" => Arc::new(Blowfish::new(key)?),
        "CAST5" => Arc::new(Cast5::new(key)?),
        "IDEA" => Arc::new(Idea::new(key)?),
        "SEED" => Arc::new(Seed::new(key)?),
        "SM4" => Arc::new(Sm4::new(key)?),
        "ARC4" => Arc::new(Arc4::new(key)?),
        "ChaCha20" => Arc::new(ChaCha20::new(key, &nonce.unwrap_or_default())?),
        other => return Err(Error::invalid(format!("no algorithm for {other}"))),
    })
}

/// Reads a cipher case's fields (all of them, or the case fails) into a [`CipherCase`].
fn read_cipher_case(
    family: &str,
    mode: ModeKind,
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
    } else if mode == ModeKind::Gcm && case.has("Tag") {
        let ct = case.hex("CT").map_err(verr)?;
        (case.opt_hex("PT").map_err(verr)?.unwrap_or_default(), ct)
    } else if mode == ModeKind::Xts {
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
        _ if mode == ModeKind::Gcm && fail => (false, true),
        _ if mode == ModeKind::Gcm && case.file().contains("Decrypt") => (false, true),
        _ if mode == ModeKind::Gcm && case.file().contains("Encrypt") => (true, false),
        // Encryption vectors are checked in both directions.
        _ => (true, true),
    };
    let algorithm = build_algorithm(family, &key, nonce).map_err(|e| err(case, e))?;
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
        let mut hash = Hash::from_shared(algorithm.clone(), &**backend)?;
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
            Hash::from_shared(algorithm.clone(), &**backend).map_err(|e| e.to_string())?;
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
        let mut mac = Hmac::from_shared(&key, algorithm.clone(), &**backend)?;
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
        Hmac::from_shared(&key, algorithm.clone(), &**backend).map_err(|e| e.to_string())?;
    mac.update(&message).map_err(|e| e.to_string())?;
    mac.verify(&expected)
        .map_err(|e| err(case, format!("verify: {e}")))?;
    Ok(Outcome::Passed)
}

/// The family a file's counts are reported under.
fn family_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["HMAC", ..] => "HMAC".into(),
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
    let mut local = Tally::default();
    let mut record = |result: CaseResult| match result {
        Ok(Outcome::Passed) => local.passed += 1,
        Ok(Outcome::Skipped(why)) => *local.skipped.entry(why).or_default() += 1,
        Err(failure) => local.failures.push(failure),
    };
    match test_vectors::load(path) {
        Err(e) => record(Err(e.to_string())),
        Ok(cases) => {
            if Some(cases.len()) != test_vectors::expected_case_count(path) {
                record(Err(format!(
                    "{path}: {} cases, COUNTS says {:?}",
                    cases.len(),
                    test_vectors::expected_case_count(path)
                )));
            }
            for case in &cases {
                let result = if path.starts_with("HMAC/") {
                    run_hmac_case(backend, path, case)
                } else if path.starts_with("hashes/") {
                    run_hash_case(backend, path, case)
                } else if let Some((alg_family, mode)) = cipher_file(path) {
                    match read_cipher_case(alg_family, mode, case) {
                        Err(e) => Err(e),
                        Ok(parsed) => match case.clone().finish().map_err(verr) {
                            Err(e) => Err(e),
                            Ok(()) => match parsed {
                                None => Ok(Outcome::Skipped("bit-granular XTS data unit".into())),
                                Some(parsed) => {
                                    run_cipher_case(backend, &parsed).map_err(|e| err(case, e))
                                }
                            },
                        },
                    }
                } else {
                    Err(format!("{path}: no runner claims this file"))
                };
                record(result);
            }
        }
    }
    let mut all = tally.lock().unwrap_or_else(|p| p.into_inner());
    let entry = all.entry(family).or_default();
    entry.passed += local.passed;
    for (why, n) in local.skipped {
        *entry.skipped.entry(why).or_default() += n;
    }
    entry.failures.extend(local.failures);
}

/// Runs every committed vector file on `backend`; returns the per-family tally.
fn run_suite(backend: &Arc<dyn Backend>) -> BTreeMap<String, Tally> {
    let files = test_vectors::committed_files();
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
            "  {:<12} {:>8} {:>8} {:>8}",
            "family", "passed", "skipped", "failed"
        );
        let (mut passed, mut skipped, mut failures) = (0, 0, 0);
        for (family, t) in &tally {
            let s: usize = t.skipped.values().sum();
            println!(
                "  {:<12} {:>8} {:>8} {:>8}",
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
            "  {:<12} {:>8} {:>8} {:>8}",
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
