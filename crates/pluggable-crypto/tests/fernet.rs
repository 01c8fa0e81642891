//! Fernet: pyca's cryptography-vectors files (`vectors/fernet/{generate,verify,invalid}.json`),
//! tokens made by the Python `cryptography` package (`vectors/fernet/python-cryptography-48.json`,
//! from `make_python_tokens.py`), Python decrypting our tokens (when `python3` has
//! `cryptography`), every malformed-token class, key handling, and `MultiFernet`.
//!
//! Everything runs on each compiled-in backend that serves AES-128-CBC and HMAC-SHA256, and on
//! the default backend.

#[path = "support/python.rs"]
mod python;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use data_encoding::BASE64URL;
use pluggable_crypto::fernet::{Fernet, MultiFernet};
use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::ciphers::{algorithms::Aes, modes::Cbc, Cipher};
use pluggable_crypto::hazmat::primitives::hashes::Sha256;
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::Error;
use serde_json::{Map, Value};

const KEY: &str = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
/// 1985-10-26T01:20:00-07:00, the vectors' time.
const T: u64 = 499_162_800;

fn supports_fernet(backend: &dyn Backend) -> bool {
    let (Ok(aes), Ok(cbc)) = (Aes::new(&[0; 16]), Cbc::new(&[0; 16])) else {
        return false;
    };
    backend.cipher_supported(&aes, Some(&cbc)) && backend.hmac_supported(&Sha256)
}

/// Every backend that can run Fernet, then the default.
fn backends() -> Vec<(String, Arc<dyn Backend>)> {
    let mut out = Vec::new();
    for backend in available_backends() {
        if supports_fernet(&*backend) {
            out.push((backend.name().to_owned(), backend));
        } else {
            println!(
                "skipped: the {} backend lacks AES-128-CBC or HMAC-SHA256",
                backend.name()
            );
        }
    }
    out.push(("default".to_owned(), default_backend()));
    out
}

fn vector_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../vectors/fernet")
        .join(name)
}

fn load(name: &str) -> Value {
    let path = vector_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// One JSON object whose fields must all be read: `finish` fails on any left over.
struct Fields(Map<String, Value>);

impl Fields {
    fn new(value: &Value) -> Self {
        Fields(value.as_object().expect("a case is an object").clone())
    }
    fn take(&mut self, key: &str) -> Value {
        self.0
            .remove(key)
            .unwrap_or_else(|| panic!("missing field {key:?}"))
    }
    fn str(&mut self, key: &str) -> String {
        match self.take(key) {
            Value::String(s) => s,
            other => panic!("{key:?} is not a string: {other}"),
        }
    }
    fn u64(&mut self, key: &str) -> u64 {
        let value = self.take(key);
        value
            .as_u64()
            .unwrap_or_else(|| panic!("{key:?} is not a u64: {value}"))
    }
    fn finish(self) {
        assert!(self.0.is_empty(), "unread fields: {:?}", self.0.keys());
    }
}

/// Seconds since the Unix epoch of an RFC 3339 time with a numeric offset, as the vectors
/// write it: `1985-10-26T01:20:00-07:00`.
fn rfc3339(text: &str) -> u64 {
    let b = text.as_bytes();
    assert_eq!(b.len(), 25, "{text}");
    let num = |range: std::ops::Range<usize>| -> i64 { text[range].parse().expect(text) };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    let sign = match b[19] {
        b'+' => 1,
        b'-' => -1,
        _ => panic!("{text}"),
    };
    let offset = sign * (num(20..22) * 3600 + num(23..25) * 60);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second - offset).expect(text)
}

#[test]
fn rfc3339_parses_the_vector_times() {
    assert_eq!(rfc3339("1970-01-01T00:00:00+00:00"), 0);
    assert_eq!(rfc3339("1985-10-26T01:20:00-07:00"), T);
    assert_eq!(rfc3339("2000-03-01T00:00:00+01:00"), 951_865_200);
}

#[test]
fn generate_vectors() {
    let cases = load("generate.json");
    let cases = cases.as_array().expect("an array");
    assert_eq!(cases.len(), 1);
    for (name, backend) in backends() {
        for case in cases {
            let mut c = Fields::new(case);
            let token = c.str("token");
            let now = rfc3339(&c.str("now"));
            let iv: Vec<u8> = match c.take("iv") {
                Value::Array(bytes) => bytes
                    .iter()
                    .map(|b| u8::try_from(b.as_u64().expect("a byte")).expect("a byte"))
                    .collect(),
                other => panic!("iv: {other}"),
            };
            let src = c.str("src");
            let secret = c.str("secret");
            c.finish();

            let iv: [u8; 16] = iv.try_into().expect("16-byte IV");
            let f = Fernet::with_backend(&secret, backend.clone()).unwrap();
            let made = f
                .encrypt_from_parts_for_testing_only(src.as_bytes(), now, &iv)
                .unwrap();
            assert_eq!(made, token, "{name}");
            assert_eq!(f.decrypt_at_time(&made, 60, now).unwrap(), src.as_bytes());
        }
    }
}

#[test]
fn verify_vectors() {
    let cases = load("verify.json");
    let cases = cases.as_array().expect("an array");
    assert_eq!(cases.len(), 1);
    for (name, backend) in backends() {
        for case in cases {
            let mut c = Fields::new(case);
            let token = c.str("token");
            let now = rfc3339(&c.str("now"));
            let ttl = c.u64("ttl_sec");
            let src = c.str("src");
            let secret = c.str("secret");
            c.finish();

            let f = Fernet::with_backend(&secret, backend.clone()).unwrap();
            assert_eq!(
                f.decrypt_at_time(&token, ttl, now).unwrap(),
                src.as_bytes(),
                "{name}"
            );
            assert_eq!(f.decrypt(&token, None).unwrap(), src.as_bytes(), "{name}");
            assert_eq!(f.extract_timestamp(&token), Ok(T), "{name}");
        }
    }
}

#[test]
fn invalid_vectors() {
    let cases = load("invalid.json");
    let cases = cases.as_array().expect("an array");
    assert_eq!(cases.len(), 8);
    for (name, backend) in backends() {
        for case in cases {
            let mut c = Fields::new(case);
            let desc = c.str("desc");
            let token = c.str("token");
            let now = rfc3339(&c.str("now"));
            let ttl = c.u64("ttl_sec");
            let secret = c.str("secret");
            c.finish();

            let f = Fernet::with_backend(&secret, backend.clone()).unwrap();
            assert_eq!(
                f.decrypt_at_time(&token, ttl, now),
                Err(Error::InvalidToken),
                "{name}: {desc}"
            );
        }
    }
}

struct PythonCase {
    key: String,
    now: u64,
    iv: [u8; 16],
    plaintext: Vec<u8>,
    token: String,
}

fn python_cases() -> Vec<PythonCase> {
    let doc = load("python-cryptography-48.json");
    let mut top = Fields::new(&doc);
    let generator = top.str("generator");
    assert!(
        generator.starts_with("Python cryptography 48."),
        "{generator}"
    );
    let cases = match top.take("cases") {
        Value::Array(cases) => cases,
        other => panic!("cases: {other}"),
    };
    top.finish();
    cases
        .iter()
        .map(|case| {
            let mut c = Fields::new(case);
            let out = PythonCase {
                key: c.str("key"),
                now: c.u64("now"),
                iv: hex::decode(c.str("iv"))
                    .unwrap()
                    .try_into()
                    .expect("16-byte IV"),
                plaintext: hex::decode(c.str("plaintext")).unwrap(),
                token: c.str("token"),
            };
            c.finish();
            out
        })
        .collect()
}

#[test]
fn python_tokens_decrypt_and_ours_are_byte_identical() {
    let cases = python_cases();
    assert_eq!(cases.len(), 24);
    for (name, backend) in backends() {
        for (i, case) in cases.iter().enumerate() {
            let f = Fernet::with_backend(&case.key, backend.clone()).unwrap();
            assert_eq!(
                f.decrypt(&case.token, None).unwrap(),
                case.plaintext,
                "{name} case {i}"
            );
            assert_eq!(
                f.decrypt_at_time(&case.token, 60, case.now).unwrap(),
                case.plaintext,
                "{name} case {i}"
            );
            assert_eq!(f.extract_timestamp(&case.token), Ok(case.now));
            let ours = f
                .encrypt_from_parts_for_testing_only(&case.plaintext, case.now, &case.iv)
                .unwrap();
            assert_eq!(ours, case.token, "{name} case {i}");
        }
    }
}

/// Python decrypts tokens made here (random IVs, every backend): skipped, with a note, only
/// when `python3` or its `cryptography` package is missing.
#[test]
fn python_decrypts_our_tokens() {
    if !python::has_cryptography() {
        return;
    }
    let key = Fernet::generate_key().unwrap();
    let mut lines = String::new();
    let mut expected = Vec::new();
    for (name, backend) in backends() {
        let f = Fernet::with_backend(&key, backend).unwrap();
        for data in [&b""[..], b"x", b"sixteen bytes!!!", &[0xff; 100]] {
            let token = f.encrypt(data).unwrap();
            lines.push_str(&format!("{} {}\n", key.as_str(), token));
            expected.push((name.clone(), hex::encode(data)));
        }
    }
    let script = "import sys\n\
                  from cryptography.fernet import Fernet\n\
                  for line in sys.stdin:\n\
                  \x20   key, token = line.split()\n\
                  \x20   print(Fernet(key).decrypt(token, ttl=120).hex())\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 failed");
    let got: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(got.len(), expected.len());
    for (line, (name, want)) in got.iter().zip(&expected) {
        assert_eq!(line, want, "{name}");
    }
}

/// Raw token bytes: `version ‖ timestamp ‖ iv ‖ body`, then a valid HMAC over all of it.
fn signed(version: u8, timestamp: u64, iv: &[u8; 16], body: &[u8]) -> String {
    let signing_key = &BASE64URL.decode(KEY.as_bytes()).unwrap()[..16];
    let mut data = vec![version];
    data.extend(timestamp.to_be_bytes());
    data.extend(iv);
    data.extend(body);
    let mut mac = Hmac::new(signing_key, Sha256).unwrap();
    mac.update(&data).unwrap();
    data.extend(mac.finalize().unwrap());
    BASE64URL.encode(&data)
}

/// AES-128-CBC under the vectors' encryption key, no padding added.
fn raw_cbc(iv: &[u8; 16], blocks: &[u8]) -> Vec<u8> {
    let encryption_key = &BASE64URL.decode(KEY.as_bytes()).unwrap()[16..];
    let cipher = Cipher::new(Aes::new(encryption_key).unwrap(), Cbc::new(iv).unwrap()).unwrap();
    let mut enc = cipher.encryptor().unwrap();
    let mut out = enc.update(blocks).unwrap();
    out.extend(enc.finalize().unwrap());
    out
}

#[test]
fn signed_helper_makes_valid_tokens() {
    let iv = [3; 16];
    let mut block = *b"hello world\x05\x05\x05\x05\x05";
    let token = signed(0x80, T, &iv, &raw_cbc(&iv, &block));
    let f = Fernet::new(KEY).unwrap();
    assert_eq!(f.decrypt(&token, None).unwrap(), b"hello world");
    block[15] = 6;
    let token = signed(0x80, T, &iv, &raw_cbc(&iv, &block));
    assert_eq!(f.decrypt(&token, None), Err(Error::InvalidToken));
}

#[test]
fn every_malformed_token_is_invalid_token() {
    let iv = [7; 16];
    for (name, backend) in backends() {
        let f = Fernet::with_backend(KEY, backend).unwrap();
        let good = f
            .encrypt_from_parts_for_testing_only(b"a message", T, &iv)
            .unwrap();
        assert_eq!(f.decrypt(&good, None).unwrap(), b"a message");
        let bytes = BASE64URL.decode(good.as_bytes()).unwrap();
        let ciphertext = &bytes[25..bytes.len() - 32];

        let mut bad: Vec<(String, String)> = vec![
            // Bad base64.
            ("empty".into(), String::new()),
            ("not base64".into(), "%%%%".into()),
            (
                "stray character".into(),
                format!("{}!{}", &good[..10], &good[10..]),
            ),
            ("no padding".into(), good.trim_end_matches('=').into()),
            ("extra padding".into(), format!("{good}==")),
            ("trailing newline".into(), format!("{good}\n")),
            (
                "standard alphabet".into(),
                good.replace('-', "+").replace('_', "/"),
            ),
            ("data after padding".into(), format!("{good}AAAA")),
            // Too short to hold a timestamp, or a MAC.
            ("version only".into(), BASE64URL.encode(&[0x80])),
            ("half a timestamp".into(), BASE64URL.encode(&bytes[..5])),
            ("header only".into(), BASE64URL.encode(&bytes[..25])),
            (
                "no MAC".into(),
                BASE64URL.encode(&bytes[..bytes.len() - 32]),
            ),
            (
                "short MAC".into(),
                BASE64URL.encode(&bytes[..bytes.len() - 1]),
            ),
        ];
        // A valid MAC (made with the signing key) over a wrong layout or bad padding: the MAC
        // alone cannot catch these. `extract_timestamp` checks only the version and the MAC
        // (as in pyca), so it accepts all but the wrong versions.
        let signed_bad: Vec<(&str, String)> = vec![
            ("wrong version", signed(0x81, T, &iv, ciphertext)),
            ("version 0", signed(0x00, T, &iv, ciphertext)),
            ("no ciphertext", signed(0x80, T, &iv, b"")),
            ("partial block", signed(0x80, T, &iv, &ciphertext[..15])),
            (
                "one byte over",
                signed(0x80, T, &iv, &[ciphertext, b"x"].concat()),
            ),
            // Bad padding under a valid MAC.
            ("pad 0", signed(0x80, T, &iv, &raw_cbc(&iv, &[0; 16]))),
            ("pad 17", signed(0x80, T, &iv, &raw_cbc(&iv, &[17; 16]))),
            (
                "mixed pad",
                signed(0x80, T, &iv, &raw_cbc(&iv, b"abcdefghijklm\x02\x03\x03")),
            ),
            ("wrong IV", signed(0x80, T, &[8; 16], ciphertext)),
        ];
        // Non-zero unused bits in the last character, which Python's decoder ignores (this
        // token, 73 bytes, ends in `==`: the last character's low 4 bits are unused).
        assert!(good.ends_with("==") && !good.ends_with("==="));
        let alphabet = BASE64URL.specification().symbols;
        let last = good.len() - 3;
        let value = alphabet.find(&good[last..last + 1]).unwrap();
        let odd = format!(
            "{}{}==",
            &good[..last],
            &alphabet[value | 1..(value | 1) + 1]
        );
        assert_ne!(odd, good);
        bad.push(("non-zero trailing bits".into(), odd));
        // Every single-bit change anywhere in the token bytes.
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[i] ^= 1 << bit;
                bad.push((format!("bit {bit} of byte {i}"), BASE64URL.encode(&flipped)));
            }
        }
        for (what, token) in &bad {
            assert_eq!(
                f.decrypt(token, None),
                Err(Error::InvalidToken),
                "{name}: {what}"
            );
            assert_eq!(
                f.decrypt_at_time(token, 60, T),
                Err(Error::InvalidToken),
                "{name}: {what}"
            );
            assert_eq!(f.extract_timestamp(token).ok(), None, "{name}: {what}");
        }

        for (what, token) in &signed_bad {
            assert_eq!(
                f.decrypt(token, None),
                Err(Error::InvalidToken),
                "{name}: {what}"
            );
            assert_eq!(
                f.decrypt_at_time(token, 60, T),
                Err(Error::InvalidToken),
                "{name}: {what}"
            );
            let expected = if what.contains("version") {
                Err(Error::InvalidToken)
            } else {
                Ok(T)
            };
            assert_eq!(f.extract_timestamp(token), expected, "{name}: {what}");
        }

        // Another key.
        let other = Fernet::new(Fernet::generate_key().unwrap()).unwrap();
        assert_eq!(
            other.decrypt(&good, None),
            Err(Error::InvalidToken),
            "{name}"
        );
        assert_eq!(
            other.extract_timestamp(&good),
            Err(Error::InvalidToken),
            "{name}"
        );
    }
}

#[test]
fn ttl_and_clock_skew_limits() {
    for (name, backend) in backends() {
        let f = Fernet::with_backend(KEY, backend).unwrap();
        let token = f.encrypt_at_time(b"x", T).unwrap();
        // Expired: older than the TTL (exactly the TTL is still fine).
        assert_eq!(
            f.decrypt_at_time(&token, 60, T + 60).unwrap(),
            b"x",
            "{name}"
        );
        assert_eq!(
            f.decrypt_at_time(&token, 60, T + 61),
            Err(Error::InvalidToken)
        );
        assert_eq!(f.decrypt_at_time(&token, 0, T).unwrap(), b"x");
        assert_eq!(
            f.decrypt_at_time(&token, 0, T + 1),
            Err(Error::InvalidToken)
        );
        // From the future: up to 60 seconds of clock skew, whatever the TTL.
        assert_eq!(f.decrypt_at_time(&token, 60, T - 60).unwrap(), b"x");
        assert_eq!(
            f.decrypt_at_time(&token, 60, T - 61),
            Err(Error::InvalidToken)
        );
        assert_eq!(
            f.decrypt_at_time(&token, u64::MAX, T - 61),
            Err(Error::InvalidToken)
        );
        // No TTL: any age, any time.
        assert_eq!(f.decrypt(&token, None).unwrap(), b"x");
        // A real clock: a 1985 token is long expired.
        assert_eq!(f.decrypt(&token, Some(60)), Err(Error::InvalidToken));
        assert_eq!(f.decrypt(&token, Some(u64::MAX)).unwrap(), b"x");
        let fresh = f.encrypt(b"now").unwrap();
        assert_eq!(f.decrypt(&fresh, Some(60)).unwrap(), b"now");
        // Extreme timestamps do not overflow.
        let end = f.encrypt_at_time(b"end", u64::MAX).unwrap();
        assert_eq!(f.decrypt_at_time(&end, u64::MAX, u64::MAX).unwrap(), b"end");
        assert_eq!(f.decrypt_at_time(&end, 60, 0), Err(Error::InvalidToken));
        assert_eq!(f.decrypt(&end, Some(60)), Err(Error::InvalidToken));
        assert_eq!(f.extract_timestamp(&end), Ok(u64::MAX));
    }
}

#[test]
fn expired_and_future_tokens_fail_even_with_a_valid_mac() {
    // The time checks come first (as in pyca); a token that fails them is never decrypted.
    let f = Fernet::new(KEY).unwrap();
    let token = f.encrypt_at_time(b"x", T + 1000).unwrap();
    assert_eq!(f.decrypt_at_time(&token, 60, T), Err(Error::InvalidToken));
    assert_eq!(f.extract_timestamp(&token), Ok(T + 1000));
}

#[test]
fn round_trips_and_fresh_ivs() {
    for (name, backend) in backends() {
        let f = Fernet::with_backend(KEY, backend).unwrap();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let a = f.encrypt(&data).unwrap();
            let b = f.encrypt(&data).unwrap();
            assert_ne!(a, b, "{name}: a fresh IV each time");
            assert_eq!(a.len() % 4, 0);
            let raw = BASE64URL.decode(a.as_bytes()).unwrap();
            assert_eq!(raw.len(), 57 + 16 * (len / 16 + 1), "{name}");
            assert_eq!(raw[0], 0x80);
            assert_eq!(f.decrypt(&a, Some(60)).unwrap(), data, "{name}");
            assert_eq!(f.decrypt(b.as_bytes(), None).unwrap(), data, "{name}");
            assert_eq!(f.decrypt(b.clone().into_bytes(), None).unwrap(), data);
        }
    }
}

#[test]
fn tokens_cross_backends() {
    let all = backends();
    for (maker_name, maker) in &all {
        let token = Fernet::with_backend(KEY, maker.clone())
            .unwrap()
            .encrypt(b"across")
            .unwrap();
        for (reader_name, reader) in &all {
            let f = Fernet::with_backend(KEY, reader.clone()).unwrap();
            assert_eq!(
                f.decrypt(&token, None).unwrap(),
                b"across",
                "{maker_name} -> {reader_name}"
            );
        }
    }
}

#[test]
fn keys() {
    let key = Fernet::generate_key().unwrap();
    assert_eq!(key.len(), 44);
    assert_eq!(BASE64URL.decode(key.as_bytes()).unwrap().len(), 32);
    assert_ne!(*key, *Fernet::generate_key().unwrap());
    Fernet::new(&key).unwrap();
    Fernet::new(key.as_bytes()).unwrap();

    let wrong_length = Fernet::new(BASE64URL.encode(&[0; 16])).unwrap_err();
    assert_eq!(
        wrong_length,
        Error::InvalidArgument(
            "Fernet key must be 32 url-safe base64-encoded bytes, got 16 bytes".into()
        )
    );
    assert_eq!(
        Fernet::new(BASE64URL.encode(&[0; 33]))
            .unwrap_err()
            .to_string(),
        "Fernet key must be 32 url-safe base64-encoded bytes, got 33 bytes"
    );
    for bad in [
        "",
        "not a key",
        KEY.trim_end_matches('='),
        &format!("{KEY}\n"),
        &KEY.replace('-', "+"),
        &KEY.replace('_', "/"),
    ] {
        let err = Fernet::new(bad).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument(m) if m.starts_with("Fernet key must be 32 url-safe base64-encoded bytes")),
            "{bad:?}: {err}"
        );
    }
    // The error never shows the key.
    let secret_ish = "c2VjcmV0c2VjcmV0c2VjcmV0";
    assert!(!Fernet::new(secret_ish)
        .unwrap_err()
        .to_string()
        .contains(secret_ish));
    let debug = format!("{:?}", Fernet::new(KEY).unwrap());
    assert!(
        !debug.contains("cw_0") && debug.starts_with("Fernet"),
        "{debug}"
    );
}

#[test]
fn backends_without_aes_cbc_are_refused_up_front() {
    for backend in available_backends() {
        let result = Fernet::with_backend(KEY, backend.clone());
        if supports_fernet(&*backend) {
            assert!(result.is_ok(), "{}", backend.name());
        } else {
            let err = result.unwrap_err();
            assert!(err.is_unsupported(), "{}: {err}", backend.name());
            assert!(err.to_string().contains(backend.name()), "{err}");
        }
    }
}

#[test]
fn multi_fernet() {
    assert!(matches!(
        MultiFernet::new(Vec::new()),
        Err(Error::InvalidArgument(_))
    ));
    for (name, backend) in backends() {
        let k1 = Fernet::with_backend(Fernet::generate_key().unwrap(), backend.clone()).unwrap();
        let k2 = Fernet::with_backend(Fernet::generate_key().unwrap(), backend.clone()).unwrap();
        let k3 = Fernet::with_backend(Fernet::generate_key().unwrap(), backend.clone()).unwrap();
        let multi = MultiFernet::new(vec![k1.clone(), k2.clone()]).unwrap();
        assert_eq!(multi.fernets().len(), 2);

        // Encrypts with the first key; decrypts with any.
        let by_multi = multi.encrypt(b"m").unwrap();
        assert_eq!(k1.decrypt(&by_multi, None).unwrap(), b"m", "{name}");
        assert_eq!(k2.decrypt(&by_multi, None), Err(Error::InvalidToken));
        let by_k2 = k2.encrypt_at_time(b"old", T).unwrap();
        assert_eq!(multi.decrypt(&by_k2, None).unwrap(), b"old");
        assert_eq!(multi.decrypt_at_time(&by_k2, 60, T + 1).unwrap(), b"old");
        assert_eq!(
            multi.decrypt_at_time(&by_k2, 60, T + 61),
            Err(Error::InvalidToken)
        );
        assert_eq!(multi.decrypt(&by_k2, Some(60)), Err(Error::InvalidToken));
        assert_eq!(multi.extract_timestamp(&by_k2), Ok(T));
        let at = multi.encrypt_at_time(b"at", T + 5).unwrap();
        assert_eq!(k1.extract_timestamp(&at), Ok(T + 5));

        // A key none of them holds.
        let by_k3 = k3.encrypt(b"stranger").unwrap();
        assert_eq!(multi.decrypt(&by_k3, None), Err(Error::InvalidToken));
        assert_eq!(multi.extract_timestamp(&by_k3), Err(Error::InvalidToken));
        assert_eq!(multi.rotate(&by_k3), Err(Error::InvalidToken));
        assert_eq!(multi.rotate("garbage"), Err(Error::InvalidToken));

        // Rotation: re-encrypted under the first key, same timestamp, any age, fresh IV.
        let rotated = multi.rotate(&by_k2).unwrap();
        assert_eq!(k1.decrypt(&rotated, None).unwrap(), b"old", "{name}");
        assert_eq!(k2.decrypt(&rotated, None), Err(Error::InvalidToken));
        assert_eq!(k1.extract_timestamp(&rotated), Ok(T));
        let again = multi.rotate(&rotated).unwrap();
        assert_ne!(again, rotated);
        assert_eq!(k1.extract_timestamp(&again), Ok(T));

        // Rotating to a new key list: the new key first, the old one kept to read.
        let next = MultiFernet::new(vec![k3.clone(), k1.clone()]).unwrap();
        let moved = next.rotate(&rotated).unwrap();
        assert_eq!(k3.decrypt(&moved, None).unwrap(), b"old");
        assert_eq!(k1.decrypt(&moved, None), Err(Error::InvalidToken));
    }
}

#[test]
fn multi_fernet_rotates_python_tokens() {
    let cases = python_cases();
    let new = Fernet::new(Fernet::generate_key().unwrap()).unwrap();
    for case in cases.iter().take(8) {
        let old = Fernet::new(&case.key).unwrap();
        let multi = MultiFernet::new(vec![new.clone(), old]).unwrap();
        let rotated = multi.rotate(&case.token).unwrap();
        assert_eq!(new.decrypt(&rotated, None).unwrap(), case.plaintext);
        assert_eq!(new.extract_timestamp(&rotated), Ok(case.now));
    }
}

#[test]
fn invalid_token_display() {
    assert!(Error::InvalidToken.to_string().starts_with("invalid token"));
}

#[test]
fn fernet_is_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Fernet>();
    check::<MultiFernet>();
}
