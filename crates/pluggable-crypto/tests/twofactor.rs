//! HOTP and TOTP: RFC 4226 appendix D and RFC 6238 appendix B (typed in from the RFCs, and
//! again from pyca's `vectors/twofactor` files), parameter rules, verification, and
//! provisioning URIs byte-identical to pyca's.
//!
//! Vectors run on each compiled-in backend that serves HMAC over the hash, and on the default.

#[path = "support/python.rs"]
mod python;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::hashes::{
    HashAlgorithm, Md5, Sha1, Sha224, Sha256, Sha384, Sha3_256, Sha512,
};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::hazmat::primitives::twofactor::{decode_base32, hotp::Hotp, totp::Totp};
use pluggable_crypto::Error;

const RFC4226_SECRET: &[u8] = b"12345678901234567890";

/// RFC 4226 appendix D: counter, truncated value (decimal), 6-digit HOTP.
const RFC4226: [(u64, u32, &str); 10] = [
    (0, 1_284_755_224, "755224"),
    (1, 1_094_287_082, "287082"),
    (2, 137_359_152, "359152"),
    (3, 1_726_969_429, "969429"),
    (4, 1_640_338_314, "338314"),
    (5, 868_254_676, "254676"),
    (6, 1_918_287_922, "287922"),
    (7, 82_162_583, "162583"),
    (8, 673_399_871, "399871"),
    (9, 645_520_489, "520489"),
];

/// RFC 6238 appendix B: time, 8-digit TOTP, hash (30-second steps).
const RFC6238: [(u64, &str, &str); 18] = [
    (59, "94287082", "SHA1"),
    (59, "46119246", "SHA256"),
    (59, "90693936", "SHA512"),
    (1_111_111_109, "07081804", "SHA1"),
    (1_111_111_109, "68084774", "SHA256"),
    (1_111_111_109, "25091201", "SHA512"),
    (1_111_111_111, "14050471", "SHA1"),
    (1_111_111_111, "67062674", "SHA256"),
    (1_111_111_111, "99943326", "SHA512"),
    (1_234_567_890, "89005924", "SHA1"),
    (1_234_567_890, "91819424", "SHA256"),
    (1_234_567_890, "93441116", "SHA512"),
    (2_000_000_000, "69279037", "SHA1"),
    (2_000_000_000, "90698825", "SHA256"),
    (2_000_000_000, "38618901", "SHA512"),
    (20_000_000_000, "65353130", "SHA1"),
    (20_000_000_000, "77737706", "SHA256"),
    (20_000_000_000, "47863826", "SHA512"),
];

/// RFC 6238's seed for each hash: "1234567890" repeated to the hash's output length.
fn seed(mode: &str) -> Vec<u8> {
    let len = match mode {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA512" => 64,
        other => panic!("mode {other}"),
    };
    b"1234567890".iter().copied().cycle().take(len).collect()
}

/// Each backend that serves HMAC over `algorithm`, then the default.
fn backends(algorithm: &dyn HashAlgorithm) -> Vec<(String, Arc<dyn Backend>)> {
    let mut out = Vec::new();
    for backend in available_backends() {
        if backend.hmac_supported(algorithm) {
            out.push((backend.name().to_owned(), backend));
        } else {
            println!(
                "skipped: the {} backend lacks HMAC-{}",
                backend.name(),
                algorithm.name()
            );
        }
    }
    out.push(("default".to_owned(), default_backend()));
    out
}

fn totp_for(mode: &str, digits: u32, backend: Arc<dyn Backend>) -> Totp {
    let key = seed(mode);
    match mode {
        "SHA1" => Totp::with_backend(&key, digits, Sha1, 30, backend),
        "SHA256" => Totp::with_backend(&key, digits, Sha256, 30, backend),
        "SHA512" => Totp::with_backend(&key, digits, Sha512, 30, backend),
        other => panic!("mode {other}"),
    }
    .unwrap()
}

fn algorithm(mode: &str) -> Box<dyn HashAlgorithm> {
    match mode {
        "SHA1" => Box::new(Sha1),
        "SHA256" => Box::new(Sha256),
        "SHA512" => Box::new(Sha512),
        other => panic!("mode {other}"),
    }
}

#[test]
fn rfc4226_appendix_d() {
    for (name, backend) in backends(&Sha1) {
        let six = Hotp::with_backend(RFC4226_SECRET, 6, Sha1, backend.clone()).unwrap();
        let seven = Hotp::with_backend(RFC4226_SECRET, 7, Sha1, backend.clone()).unwrap();
        let eight = Hotp::with_backend(RFC4226_SECRET, 8, Sha1, backend.clone()).unwrap();
        for (counter, truncated, hotp) in RFC4226 {
            assert_eq!(six.generate(counter).unwrap(), hotp, "{name} {counter}");
            six.verify(hotp, counter).unwrap();
            six.verify(hotp.as_bytes(), counter).unwrap();
            assert_eq!(
                six.verify(hotp, counter + 1),
                Err(Error::InvalidToken),
                "{name} {counter}"
            );
            // The same truncated value, to 7 and 8 digits.
            let value7 = format!("{:07}", truncated % 10_000_000);
            let value8 = format!("{:08}", truncated % 100_000_000);
            assert_eq!(seven.generate(counter).unwrap(), value7, "{name}");
            assert_eq!(eight.generate(counter).unwrap(), value8, "{name}");
            seven.verify(&value7, counter).unwrap();
            eight.verify(&value8, counter).unwrap();
        }
    }
}

#[test]
fn rfc6238_appendix_b() {
    for mode in ["SHA1", "SHA256", "SHA512"] {
        for (name, backend) in backends(&*algorithm(mode)) {
            let totp = totp_for(mode, 8, backend);
            for &(time, expected, row_mode) in RFC6238.iter().filter(|row| row.2 == mode) {
                assert_eq!(row_mode, mode);
                assert_eq!(
                    totp.generate(time).unwrap(),
                    expected,
                    "{name} {mode} {time}"
                );
                totp.verify(expected, time).unwrap();
                // Anywhere in the same 30-second step.
                let step_start = time - time % 30;
                totp.verify(expected, step_start).unwrap();
                totp.verify(expected, step_start + 29).unwrap();
                assert_eq!(
                    totp.verify(expected, step_start + 30),
                    Err(Error::InvalidToken),
                    "{name} {mode} {time}"
                );
                // The 6-digit password is the last six digits.
                let six = totp_for(mode, 6, default_backend());
                assert_eq!(six.generate(time).unwrap(), expected[2..]);
            }
        }
    }
}

/// A pyca `KEY = VALUE` vector file: one map per blank-line-separated case.
fn load_cases(name: &str) -> Vec<BTreeMap<String, String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../vectors/twofactor")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut cases = Vec::new();
    let mut current = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                cases.push(std::mem::take(&mut current));
            }
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{name}: {line:?}"));
        let previous = current.insert(key.trim().to_owned(), value.trim().to_owned());
        assert!(previous.is_none(), "{name}: {key} repeated");
    }
    if !current.is_empty() {
        cases.push(current);
    }
    cases
}

fn take(case: &mut BTreeMap<String, String>, key: &str) -> String {
    case.remove(key)
        .unwrap_or_else(|| panic!("missing {key} in {case:?}"))
}

#[test]
fn pyca_rfc4226_vector_file() {
    let cases = load_cases("rfc-4226.txt");
    assert_eq!(cases.len(), 10);
    for (name, backend) in backends(&Sha1) {
        for (i, case) in cases.iter().enumerate() {
            let mut case = case.clone();
            assert_eq!(take(&mut case, "COUNT"), i.to_string());
            let counter: u64 = take(&mut case, "COUNTER").parse().unwrap();
            let intermediate = hex::decode(take(&mut case, "INTERMEDIATE")).unwrap();
            let truncated = u32::from_str_radix(&take(&mut case, "TRUNCATED"), 16).unwrap();
            let hotp_value = take(&mut case, "HOTP");
            let secret = take(&mut case, "SECRET");
            assert!(case.is_empty(), "unread fields {case:?}");

            // The HMAC and the dynamic truncation, step by step.
            let mut mac = Hmac::with_backend(secret.as_bytes(), Sha1, backend.clone()).unwrap();
            mac.update(&counter.to_be_bytes()).unwrap();
            assert_eq!(mac.finalize().unwrap(), intermediate, "{name} {i}");
            let offset = usize::from(intermediate[19] & 0xf);
            let bytes: [u8; 4] = intermediate[offset..offset + 4].try_into().unwrap();
            assert_eq!(u32::from_be_bytes(bytes) & 0x7fff_ffff, truncated);
            assert_eq!(RFC4226[i], (counter, truncated, hotp_value.as_str()));

            let hotp = Hotp::with_backend(secret.as_bytes(), 6, Sha1, backend.clone()).unwrap();
            assert_eq!(hotp.generate(counter).unwrap(), hotp_value, "{name} {i}");
        }
    }
}

#[test]
fn pyca_rfc6238_vector_file() {
    let cases = load_cases("rfc-6238.txt");
    assert_eq!(cases.len(), 18);
    for (i, case) in cases.iter().enumerate() {
        let mut case = case.clone();
        assert_eq!(take(&mut case, "COUNT"), i.to_string());
        let time: u64 = take(&mut case, "TIME").parse().unwrap();
        let expected = take(&mut case, "TOTP");
        let mode = take(&mut case, "MODE");
        let secret = take(&mut case, "SECRET");
        assert!(case.is_empty(), "unread fields {case:?}");
        assert_eq!(secret.as_bytes(), seed(&mode));
        assert_eq!(RFC6238[i], (time, expected.as_str(), mode.as_str()));
        for (name, backend) in backends(&*algorithm(&mode)) {
            let totp = totp_for(&mode, 8, backend);
            assert_eq!(totp.generate(time).unwrap(), expected, "{name} {i}");
        }
    }
}

#[test]
fn key_length_rules() {
    let short = [7u8; 15];
    let err = Hotp::new(&short, 6, Sha1).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("at least 128 bits, got 120 bits")),
        "{err}"
    );
    assert!(matches!(
        Totp::new(&short, 6, Sha1, 30),
        Err(Error::InvalidArgument(_))
    ));
    Hotp::new(&[7; 16], 6, Sha1).unwrap();
    Totp::new(&[7; 16], 6, Sha1, 30).unwrap();

    // Explicitly allowed: shorter keys, down to none at all (HMAC takes any key).
    for len in [0, 1, 10, 15] {
        let key = vec![7u8; len];
        let hotp = Hotp::with_backend_allowing_short_key(&key, 6, Sha1, default_backend()).unwrap();
        hotp.verify(hotp.generate(3).unwrap(), 3).unwrap();
        let totp =
            Totp::with_backend_allowing_short_key(&key, 6, Sha1, 30, default_backend()).unwrap();
        assert_eq!(totp.generate(95).unwrap(), hotp.generate(3).unwrap());
    }
    // The other rules still hold when short keys are allowed.
    assert!(Hotp::with_backend_allowing_short_key(b"k", 5, Sha1, default_backend()).is_err());
}

#[test]
fn digit_and_hash_rules() {
    for length in [0, 1, 5, 9, 10, u32::MAX] {
        let err = Hotp::new(RFC4226_SECRET, length, Sha1).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidArgument(format!(
                "a one-time password must have 6, 7 or 8 digits, got {length}"
            ))
        );
        assert!(Totp::new(RFC4226_SECRET, length, Sha1, 30).is_err());
    }
    for length in 6..=8 {
        let hotp = Hotp::new(RFC4226_SECRET, length, Sha256).unwrap();
        assert_eq!(hotp.length(), length);
        assert_eq!(hotp.generate(0).unwrap().len(), length as usize);
    }
    fn unsupported(result: pluggable_crypto::Result<Hotp>) {
        let err = result.unwrap_err();
        assert!(err.is_unsupported(), "{err}");
        assert!(err.to_string().contains("SHA1, SHA256 or SHA512"), "{err}");
    }
    unsupported(Hotp::new(RFC4226_SECRET, 6, Md5));
    unsupported(Hotp::new(RFC4226_SECRET, 6, Sha224));
    unsupported(Hotp::new(RFC4226_SECRET, 6, Sha384));
    unsupported(Hotp::new(RFC4226_SECRET, 6, Sha3_256));
    assert!(Totp::new(RFC4226_SECRET, 6, Sha384, 30)
        .unwrap_err()
        .is_unsupported());
    assert_eq!(
        Hotp::new(RFC4226_SECRET, 6, Sha1)
            .unwrap()
            .algorithm()
            .name(),
        "sha1"
    );
    assert_eq!(
        Hotp::new(RFC4226_SECRET, 6, Sha512)
            .unwrap()
            .algorithm()
            .name(),
        "sha512"
    );
}

#[test]
fn time_step_rules() {
    let err = Totp::new(RFC4226_SECRET, 6, Sha1, 0).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    let every_second = Totp::new(RFC4226_SECRET, 6, Sha1, 1).unwrap();
    let hotp = Hotp::new(RFC4226_SECRET, 6, Sha1).unwrap();
    assert_eq!(every_second.time_step(), 1);
    for time in [0, 1, 5, 9] {
        assert_eq!(
            every_second.generate(time).unwrap(),
            hotp.generate(time).unwrap()
        );
    }
    let minute = Totp::new(RFC4226_SECRET, 6, Sha1, 60).unwrap();
    assert_eq!(minute.generate(119).unwrap(), hotp.generate(1).unwrap());
    assert_eq!(minute.generate(120).unwrap(), hotp.generate(2).unwrap());
    // The far ends of time and of the counter.
    minute.generate(u64::MAX).unwrap();
    hotp.generate(u64::MAX).unwrap();
}

#[test]
fn verify_rejects_every_near_miss() {
    let hotp = Hotp::new(RFC4226_SECRET, 6, Sha1).unwrap();
    for wrong in [
        "", "75522", "7552240", "755225", "855224", " 755224", "755224 ", "75522４",
    ] {
        assert_eq!(hotp.verify(wrong, 0), Err(Error::InvalidToken), "{wrong:?}");
    }
    assert_eq!(hotp.verify(b"755224\0", 0), Err(Error::InvalidToken));

    let totp = Totp::new(RFC4226_SECRET, 8, Sha1, 30).unwrap();
    assert_eq!(
        totp.verify("7081804", 1_111_111_109),
        Err(Error::InvalidToken)
    );
    totp.verify("07081804", 1_111_111_109).unwrap();
}

#[test]
fn debug_never_shows_the_key() {
    let key = b"a very secret key!!!";
    let hotp = Hotp::new(key, 6, Sha1).unwrap();
    let totp = Totp::new(key, 6, Sha1, 30).unwrap();
    for debug in [format!("{hotp:?}"), format!("{totp:?}")] {
        assert!(
            !debug.contains("secret") && !debug.contains("97, 32"),
            "{debug}"
        );
    }
}

/// A provisioning-URI case: `period` is the TOTP time step, or `None` for HOTP (which uses
/// `counter`); `uri` is what pyca 48 produces, or empty when only compared live.
struct UriCase {
    key: Vec<u8>,
    digits: u32,
    mode: &'static str,
    period: Option<u64>,
    account: &'static str,
    counter: u64,
    issuer: Option<&'static str>,
    uri: &'static str,
}

impl UriCase {
    /// The URI our `Hotp` or `Totp` makes.
    fn ours(&self) -> String {
        let backend = default_backend();
        let (key, digits) = (&self.key[..], self.digits);
        macro_rules! build {
            ($hash:expr) => {
                match self.period {
                    Some(step) => {
                        Totp::with_backend_allowing_short_key(key, digits, $hash, step, backend)
                            .unwrap()
                            .get_provisioning_uri(self.account, self.issuer)
                    }
                    None => Hotp::with_backend_allowing_short_key(key, digits, $hash, backend)
                        .unwrap()
                        .get_provisioning_uri(self.account, self.counter, self.issuer),
                }
            };
        }
        match self.mode {
            "SHA1" => build!(Sha1),
            "SHA256" => build!(Sha256),
            "SHA512" => build!(Sha512),
            other => panic!("mode {other}"),
        }
    }

    /// A Python line printing pyca's URI for this case.
    fn python(&self) -> String {
        let text = |s: &str| format!("bytes.fromhex('{}').decode()", hex::encode(s));
        let key = format!("bytes.fromhex('{}')", hex::encode(&self.key));
        let (digits, mode, account) = (self.digits, self.mode, text(self.account));
        let issuer = self.issuer.map_or("None".to_owned(), text);
        match self.period {
            Some(step) => format!(
                "print(TOTP({key}, {digits}, H['{mode}'], {step}, enforce_key_length=False)\
                 .get_provisioning_uri({account}, {issuer}))\n"
            ),
            None => format!(
                "print(HOTP({key}, {digits}, H['{mode}'], enforce_key_length=False)\
                 .get_provisioning_uri({account}, {}, {issuer}))\n",
                self.counter
            ),
        }
    }
}

/// pyca's own test-suite URIs, and ones pyca 48's `get_provisioning_uri` printed for awkward
/// names and keys.
fn uri_cases() -> Vec<UriCase> {
    let rfc = RFC4226_SECRET.to_vec();
    let case = |key: &[u8], digits, mode, period, account, counter, issuer, uri| UriCase {
        key: key.to_vec(),
        digits,
        mode,
        period,
        account,
        counter,
        issuer,
        uri,
    };
    vec![
        case(&rfc, 6, "SHA1", None, "Alice Smith", 1, None,
             "otpauth://hotp/Alice%20Smith?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&counter=1"),
        case(&rfc, 6, "SHA1", None, "Alice Smith", 1, Some("Foo"),
             "otpauth://hotp/Foo:Alice%20Smith?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&issuer=Foo&counter=1"),
        case(&rfc, 6, "SHA1", Some(30), "Alice Smith", 0, None,
             "otpauth://totp/Alice%20Smith?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&period=30"),
        case(&rfc, 6, "SHA1", Some(30), "Alice Smith", 0, Some("World"),
             "otpauth://totp/World:Alice%20Smith?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&issuer=World&period=30"),
        case(&rfc, 8, "SHA512", Some(30), "alice+smith@example.com/x ~\u{e9}:\u{fc}", 0, Some("Ex Co/\u{3c0}&=?"),
             "otpauth://totp/Ex%20Co/%CF%80%26%3D%3F:alice%2Bsmith%40example.com/x%20~%C3%A9%3A%C3%BC?digits=8&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&issuer=Ex+Co%2F%CF%80%26%3D%3F&period=30"),
        // An empty issuer: no label prefix, but the parameter is kept.
        case(&rfc, 8, "SHA512", Some(30), "alice", 0, Some(""),
             "otpauth://totp/alice?digits=8&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&issuer=&period=30"),
        // Keys whose base32 is padded: the `=` are percent-encoded.
        case(b"0123456789abcdef", 7, "SHA256", Some(60), "a", 0, Some("b"),
             "otpauth://totp/b:a?digits=7&secret=GAYTEMZUGU3DOOBZMFRGGZDFMY%3D%3D%3D%3D%3D%3D&algorithm=SHA256&issuer=b&period=60"),
        case(b"0123", 6, "SHA1", Some(30), "a", 0, None,
             "otpauth://totp/a?digits=6&secret=GAYTEMY%3D&algorithm=SHA1&period=30"),
    ]
}

#[test]
fn provisioning_uris_match_pyca() {
    for case in uri_cases() {
        assert_eq!(case.ours(), case.uri);
    }
}

/// The same URIs, plus a few more, computed by the Python `cryptography` package at test
/// time: skipped, with a note, only when `python3` or its `cryptography` package is missing.
#[test]
fn provisioning_uris_match_live_python() {
    if !python::has_cryptography() {
        return;
    }
    let mut cases = uri_cases();
    let names = [
        "",
        "plain",
        "a b  c",
        "50%/100%",
        "x:y",
        "\u{1f600}",
        "tab\there",
        "~_.-",
    ];
    for (i, &account) in names.iter().enumerate() {
        let issuer = Some(names[(i + 3) % names.len()]);
        let more = [
            (seed("SHA256"), 6, "SHA256", None, issuer),
            (seed("SHA1"), 7, "SHA1", Some(45), issuer),
            (seed("SHA512"), 8, "SHA512", Some(30), None),
        ];
        for (key, digits, mode, period, issuer) in more {
            cases.push(UriCase {
                key,
                digits,
                mode,
                period,
                account,
                counter: i as u64 * 1000,
                issuer,
                uri: "",
            });
        }
    }
    let mut script = String::from(
        "from cryptography.hazmat.primitives.twofactor.hotp import HOTP\n\
         from cryptography.hazmat.primitives.twofactor.totp import TOTP\n\
         from cryptography.hazmat.primitives import hashes\n\
         H = {'SHA1': hashes.SHA1(), 'SHA256': hashes.SHA256(), 'SHA512': hashes.SHA512()}\n",
    );
    let mut ours = Vec::new();
    for case in &cases {
        script.push_str(&case.python());
        ours.push(case.ours());
    }
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(python, ours);
}

/// RFC 4226's secret in base32, as an app shows it (any case, grouped, padded or not), gives
/// RFC 4226 and RFC 6238's passwords.
#[test]
fn base32_secrets_give_the_rfc_passwords() {
    for secret in [
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ========",
    ] {
        let hotp = Hotp::from_base32(secret, 6, Sha1).unwrap();
        for (counter, _, want) in RFC4226 {
            assert_eq!(hotp.generate(counter).unwrap(), want, "{secret:?}");
        }
        let totp = Totp::from_base32(secret, 8, Sha1, 30).unwrap();
        for (time, want, mode) in RFC6238 {
            if mode == "SHA1" {
                assert_eq!(totp.generate(time).unwrap(), want, "{secret:?}");
            }
        }
    }
    // A base32 secret under 128 bits is refused by the checking constructors...
    let err = Totp::from_base32("JBSWY3DPEHPK3PXP", 6, Sha1, 30).unwrap_err();
    assert!(err.to_string().contains("got 80 bits"), "{err}");
    assert!(Hotp::from_base32("JBSWY3DPEHPK3PXP", 6, Sha1).is_err());
    // ...and a malformed one names the rule, never the secret.
    let err = Totp::from_base32("JBSWY3DPEHPK3PX1", 6, Sha1, 30).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("base32") && !m.contains("JBSW")),
        "{err}"
    );
}

/// The common 80-bit secret on the default backend, without naming a backend: the same
/// passwords as the explicit-backend constructors, and as pyca's TOTP/HOTP with
/// `enforce_key_length=False` when python3 has `cryptography`.
#[test]
fn short_keys_on_the_default_backend() {
    let key = decode_base32("JBSW Y3DP EHPK 3PXP").unwrap();
    assert_eq!(&key[..], b"Hello!\xde\xad\xbe\xef");
    let hotp = Hotp::new_allowing_short_key(&key, 6, Sha1).unwrap();
    let totp = Totp::new_allowing_short_key(&key, 6, Sha1, 30).unwrap();
    let explicit = Hotp::with_backend_allowing_short_key(&key, 6, Sha1, default_backend()).unwrap();
    let from_base32 =
        Totp::from_base32_allowing_short_key("jbswy3dpehpk3pxp", 6, Sha1, 30).unwrap();
    let hotp_from_base32 =
        Hotp::from_base32_allowing_short_key("JBSWY3DPEHPK3PXP", 6, Sha1).unwrap();
    let times = [0u64, 59, 1_111_111_109, 1_234_567_890, 2_000_000_000];
    let mut ours = Vec::new();
    for &time in &times {
        let counter = time / 30;
        assert_eq!(
            hotp.generate(counter).unwrap(),
            explicit.generate(counter).unwrap()
        );
        assert_eq!(
            hotp.generate(counter).unwrap(),
            hotp_from_base32.generate(counter).unwrap()
        );
        assert_eq!(
            totp.generate(time).unwrap(),
            from_base32.generate(time).unwrap()
        );
        assert_eq!(
            totp.generate(time).unwrap(),
            hotp.generate(counter).unwrap()
        );
        ours.push(totp.generate(time).unwrap());
    }
    assert!(Hotp::new_allowing_short_key(&key, 9, Sha1).is_err());

    if !python::has_cryptography() {
        return;
    }
    let script = format!(
        "import base64\n\
         from cryptography.hazmat.primitives.twofactor.totp import TOTP\n\
         from cryptography.hazmat.primitives import hashes\n\
         key = base64.b32decode('JBSWY3DPEHPK3PXP')\n\
         t = TOTP(key, 6, hashes.SHA1(), 30, enforce_key_length=False)\n\
         for time in {times:?}: print(t.generate(time).decode())\n"
    );
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(python, ours);
}

#[test]
fn hotp_and_totp_are_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Hotp>();
    check::<Totp>();
}
