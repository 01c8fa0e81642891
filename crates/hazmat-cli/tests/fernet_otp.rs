//! `hazmat fernet` and `hazmat otp` run as real processes, against the Python `cryptography`
//! package (Fernet keys and tokens both ways, MultiFernet rotation, HOTP/TOTP passwords and
//! provisioning URIs) and the RFC 4226 / RFC 6238 examples; an invalid token exits 1 with
//! nothing on stdout and no output file; `--verify` exits 1 on a mismatch.

mod support;

use std::path::Path;

use support::{
    assert_usage_error, data, hazmat, hazmat_stdin, line, python, python_imports, stderr, Dir,
};

/// Whether Python's `cryptography` (Fernet and TOTP) is there to compare against.
fn python_available() -> bool {
    python_imports("cryptography.fernet, cryptography.hazmat.primitives.twofactor.totp")
}

/// A fresh key: 44 characters of url-safe base64 for 32 bytes, different each time; to a new
/// file readable by its owner only, never over an existing file.
#[test]
fn generate_key() {
    let key = line(&["fernet", "generate-key"]);
    assert_eq!(key.len(), 44);
    assert!(key.ends_with('='));
    assert!(key[..43]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_ne!(key, line(&["fernet", "generate-key"]));
    let dir = Dir::new();
    let path = dir.path("key");
    let out = hazmat(&["fernet", "generate-key", "-o", &path]);
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&path).expect("key file");
    assert_eq!(text.len(), 45);
    assert!(text.ends_with('\n'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = hazmat(&["fernet", "generate-key", "-o", &path]);
    assert_usage_error(&out, "exists");
    assert_eq!(std::fs::read_to_string(&path).expect("key file"), text);
    if python_available() {
        let ok = python(&format!(
            "from cryptography.fernet import Fernet\n\
             f = Fernet(open('{path}').read().strip())\n\
             print(f.decrypt(f.encrypt(b'x')).decode())"
        ));
        assert_eq!(ok, "x");
    }
}

/// A key is url-safe base64, so one in 64 keys begins with `-`: `--key` takes it as the key,
/// not as an option, for encrypt, decrypt and rotate. The key is 32 bytes of 0xfb, whose
/// encoding begins `-_v7`.
#[test]
fn keys_beginning_with_a_hyphen() {
    let key = "-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s=";
    let other = line(&["fernet", "generate-key"]);
    let dir = Dir::new();
    let plain = dir.file("plain", b"attack at dawn");
    let token = line(&["fernet", "encrypt", "--key", key, &plain]);
    let good = dir.file("token", token.as_bytes());
    let out = hazmat(&["fernet", "decrypt", "--key", &other, "--key", key, &good]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, b"attack at dawn");
    let rotated = line(&["fernet", "rotate", "--key", &other, "--key", key, &good]);
    let rotated = dir.file("rotated", rotated.as_bytes());
    let out = hazmat(&["fernet", "decrypt", "--key", &other, &rotated]);
    assert_eq!(out.stdout, b"attack at dawn");
    if python_available() {
        let opened = python(&format!(
            "import base64\n\
             from cryptography.fernet import Fernet\n\
             k = base64.urlsafe_b64encode(bytes([0xfb] * 32))\n\
             assert k.decode() == '{key}'\n\
             print(Fernet(k).decrypt(b'{token}').decode())"
        ));
        assert_eq!(opened, "attack at dawn");
    }
}

/// Tokens made here open in Python (message and timestamp), tokens made by Python open here,
/// with a key from either side; --ttl and --time judge a token's age as Python does.
#[test]
fn tokens_interoperate_with_python() {
    if !python_available() {
        eprintln!("skipped: no Python cryptography");
        return;
    }
    let dir = Dir::new();
    for (origin, key) in [
        ("ours", line(&["fernet", "generate-key"])),
        (
            "python",
            python("from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"),
        ),
    ] {
        let key_file = dir.file("key", format!("{key}\n").as_bytes());
        for len in [0usize, 1, 16, 17, 70_000] {
            let plain = data(len);
            let input = dir.file("plain", &plain);
            let token = line(&[
                "fernet",
                "encrypt",
                "--key-file",
                &key_file,
                "--time",
                "1700000000",
                &input,
            ]);
            let token_file = dir.file("token", format!("{token}\n").as_bytes());
            let (hex, timestamp) = {
                let out = python(&format!(
                    "from cryptography.fernet import Fernet\n\
                     f = Fernet(b'{key}')\n\
                     t = open('{token_file}', 'rb').read().strip()\n\
                     print(f.decrypt(t).hex() + '|' + str(f.extract_timestamp(t)))"
                ));
                let mut parts = out.split('|');
                (
                    parts.next().unwrap_or_default().to_owned(),
                    parts.next().unwrap_or_default().to_owned(),
                )
            };
            assert_eq!(hex, hex::encode(&plain), "{origin} key, {len} bytes");
            assert_eq!(timestamp, "1700000000");
            // Python's token of the same message opens here.
            let theirs = python(&format!(
                "from cryptography.fernet import Fernet\n\
                 print(Fernet(b'{key}').encrypt_at_time(open('{input}', 'rb').read(), \
                 1700000000).decode())"
            ));
            let theirs_file = dir.file("theirs", theirs.as_bytes());
            let out = hazmat(&["fernet", "decrypt", "--key-file", &key_file, &theirs_file]);
            assert!(out.status.success(), "{}", stderr(&out));
            assert_eq!(out.stdout, plain, "{origin} key, {len} bytes");
            if len != 16 {
                continue;
            }
            // Within the TTL, and past it.
            for (now, ok) in [
                ("1700000000", true),
                ("1700000100", true),
                ("1700000101", false),
                ("1699999940", true),
                ("1699999939", false),
            ] {
                let out = hazmat(&[
                    "fernet",
                    "decrypt",
                    "--key",
                    &key,
                    "--ttl",
                    "100",
                    "--time",
                    now,
                    &theirs_file,
                ]);
                let python_ok = python(&format!(
                    "from cryptography.fernet import Fernet, InvalidToken\n\
                     try:\n    Fernet(b'{key}').decrypt_at_time(b'{theirs}', 100, {now}); print('ok')\n\
                     except InvalidToken:\n    print('invalid')"
                ));
                assert_eq!(python_ok == "ok", ok, "python at {now}");
                assert_eq!(out.status.success(), ok, "at {now}: {}", stderr(&out));
                if !ok {
                    assert_eq!(out.status.code(), Some(1));
                    assert!(out.stdout.is_empty());
                }
            }
        }
    }
}

/// A wrong key, a changed character, a truncated or padded token, garbage: exit 1, one line,
/// nothing on stdout, no output file, an existing output left as it was.
#[test]
fn invalid_tokens_exit_1_and_write_nothing() {
    let dir = Dir::new();
    let key = line(&["fernet", "generate-key"]);
    let other = line(&["fernet", "generate-key"]);
    let plain = dir.file("plain", b"attack at dawn");
    let token = line(&["fernet", "encrypt", "--key", &key, &plain]);
    let good = dir.file("good", token.as_bytes());
    let out = hazmat(&["fernet", "decrypt", "--key", &key, &good]);
    assert_eq!(out.stdout, b"attack at dawn");
    let flip = |at: usize| {
        let mut t = token.clone().into_bytes();
        t[at] = if t[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(t).expect("ascii")
    };
    let cases: Vec<(String, String, String)> = vec![
        ("wrong key".into(), other.clone(), token.clone()),
        ("version".into(), key.clone(), flip(0)),
        ("timestamp".into(), key.clone(), flip(4)),
        ("ciphertext".into(), key.clone(), flip(40)),
        ("hmac".into(), key.clone(), flip(token.len() - 5)),
        (
            "truncated".into(),
            key.clone(),
            token[..token.len() - 4].to_owned(),
        ),
        ("garbage".into(), key.clone(), "not a token".into()),
        ("empty".into(), key.clone(), String::new()),
        ("non-canonical".into(), key.clone(), token.replace('=', "")),
    ];
    let existing = dir.file("existing", b"keep me");
    for (what, key, token) in cases {
        let file = dir.file("token", token.as_bytes());
        let out_path = dir.path("out");
        let out = hazmat(&["fernet", "decrypt", "--key", &key, &file, "-o", &out_path]);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{what}");
        assert!(stderr(&out).contains("invalid token"), "{what}");
        assert!(!Path::new(&out_path).exists(), "{what}");
        let out = hazmat_stdin(&["fernet", "decrypt", "--key", &key], token.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(out.stdout.is_empty(), "{what}");
        let out = hazmat(&["fernet", "decrypt", "--key", &key, &file, "-o", &existing]);
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert_eq!(std::fs::read(&existing).expect("existing"), b"keep me");
    }
}

/// Several keys decrypt (MultiFernet); rotate re-encrypts under the first, keeping the
/// timestamp; Python agrees.
#[test]
fn several_keys_and_rotation() {
    let dir = Dir::new();
    let old = line(&["fernet", "generate-key"]);
    let new = line(&["fernet", "generate-key"]);
    let old_file = dir.file("old", format!("{old}\n").as_bytes());
    let new_file = dir.file("new", new.as_bytes());
    let plain = dir.file("plain", b"rotate me");
    let token = line(&[
        "fernet",
        "encrypt",
        "--key-file",
        &old_file,
        "--time",
        "1234567890",
        &plain,
    ]);
    let token_file = dir.file("token", token.as_bytes());
    let both = ["--key-file", &new_file, "--key-file", &old_file];
    let out = hazmat(&[&["fernet", "decrypt"][..], &both, &[&token_file]].concat());
    assert_eq!(out.stdout, b"rotate me", "{}", stderr(&out));
    let rotated = line(&[&["fernet", "rotate"][..], &both, &[&token_file]].concat());
    let rotated_file = dir.file("rotated", rotated.as_bytes());
    let out = hazmat(&["fernet", "decrypt", "--key-file", &new_file, &rotated_file]);
    assert_eq!(out.stdout, b"rotate me");
    let out = hazmat(&["fernet", "decrypt", "--key-file", &old_file, &rotated_file]);
    assert_eq!(out.status.code(), Some(1));
    // Encryption takes one key.
    let out = hazmat(&[&["fernet", "encrypt"][..], &both, &[&plain]].concat());
    assert_usage_error(&out, "one key");
    if python_available() {
        let out = python(&format!(
            "from cryptography.fernet import Fernet\n\
             f = Fernet(b'{new}')\n\
             t = b'{rotated}'\n\
             print(f.decrypt(t).decode(), f.extract_timestamp(t))"
        ));
        assert_eq!(out, "rotate me 1234567890");
    }
}

/// Key and option errors are one line and exit 2.
#[test]
fn fernet_usage_errors() {
    let dir = Dir::new();
    let plain = dir.file("plain", b"x");
    assert_usage_error(&hazmat(&["fernet", "encrypt", &plain]), "--key");
    let out = hazmat(&["fernet", "encrypt", "--key", "c2hvcnQ=", &plain]);
    assert_usage_error(&out, "--key");
    let bad = dir.file("bad", b"not base64 at all!");
    let out = hazmat(&["fernet", "encrypt", "--key-file", &bad, &plain]);
    assert_usage_error(&out, &bad);
    let key = line(&["fernet", "generate-key"]);
    let out = hazmat(&["fernet", "decrypt", "--key", &key, "--time", "5", &plain]);
    assert_eq!(out.status.code(), Some(2));
    let out = hazmat(&["fernet", "encrypt", "--key", &key, "/no/such/file"]);
    assert_usage_error(&out, "No such file");
}

const RFC_KEY_SHA1: &str = "12345678901234567890";
const RFC_KEY_SHA256: &str = "12345678901234567890123456789012";
const RFC_KEY_SHA512: &str = "1234567890123456789012345678901234567890123456789012345678901234";

/// RFC 4226 appendix D and RFC 6238 appendix B.
#[test]
fn rfc_examples() {
    let key = hex::encode(RFC_KEY_SHA1);
    for (counter, code) in [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ]
    .iter()
    .enumerate()
    {
        let counter = counter.to_string();
        let args = ["otp", "hotp", "--key-hex", &key, "--counter", &counter];
        assert_eq!(line(&args), *code, "HOTP {counter}");
        let out = hazmat(&[&args[..], &["--verify", code]].concat());
        assert_eq!(out.stdout, b"OK\n");
    }
    let table: [(&str, [&str; 3]); 6] = [
        ("59", ["94287082", "46119246", "90693936"]),
        ("1111111109", ["07081804", "68084774", "25091201"]),
        ("1111111111", ["14050471", "67062674", "99943326"]),
        ("1234567890", ["89005924", "91819424", "93441116"]),
        ("2000000000", ["69279037", "90698825", "38618901"]),
        ("20000000000", ["65353130", "77737706", "47863826"]),
    ];
    for (time, codes) in table {
        for ((hash, key), code) in [
            ("sha1", RFC_KEY_SHA1),
            ("sha256", RFC_KEY_SHA256),
            ("sha512", RFC_KEY_SHA512),
        ]
        .into_iter()
        .zip(codes)
        {
            let key = hex::encode(key);
            let args = [
                "otp",
                "totp",
                "--key-hex",
                &key,
                "--hash",
                hash,
                "--digits",
                "8",
                "--time",
                time,
            ];
            assert_eq!(line(&args), code, "TOTP {hash} at {time}");
        }
    }
}

/// Against Python's HOTP and TOTP: passwords for random keys, every hash and length, and the
/// provisioning URIs (issuer and account needing escapes).
#[test]
fn agrees_with_python_twofactor() {
    if !python_available() {
        eprintln!("skipped: no Python cryptography");
        return;
    }
    let key = "000102030405060708090a0b0c0d0e0f10111213";
    for hash in ["sha1", "sha256", "sha512"] {
        let py_hash = hash.to_uppercase();
        for digits in ["6", "7", "8"] {
            let expected = python(&format!(
                "from cryptography.hazmat.primitives import hashes\n\
                 from cryptography.hazmat.primitives.twofactor.hotp import HOTP\n\
                 from cryptography.hazmat.primitives.twofactor.totp import TOTP\n\
                 k = bytes.fromhex('{key}')\n\
                 h = HOTP(k, {digits}, hashes.{py_hash}())\n\
                 t = TOTP(k, {digits}, hashes.{py_hash}(), 45)\n\
                 print(h.generate(123456789).decode(), t.generate(1750000000).decode())\n\
                 print(h.get_provisioning_uri('alice smith@example.com', 7, 'Ex Co/π&='))\n\
                 print(t.get_provisioning_uri('bob', None))"
            ));
            let lines: Vec<&str> = expected.lines().collect();
            let common = ["--key-hex", key, "--hash", hash, "--digits", digits];
            let hotp = line(&[&["otp", "hotp"][..], &common, &["--counter", "123456789"]].concat());
            let totp = line(
                &[
                    &["otp", "totp"][..],
                    &common,
                    &["--step", "45", "--time", "1750000000"],
                ]
                .concat(),
            );
            assert_eq!(format!("{hotp} {totp}"), lines[0], "{hash} {digits}");
            let uri = line(
                &[
                    &["otp", "hotp"][..],
                    &common,
                    &[
                        "--counter",
                        "7",
                        "--uri",
                        "--account",
                        "alice smith@example.com",
                        "--issuer",
                        "Ex Co/π&=",
                    ],
                ]
                .concat(),
            );
            assert_eq!(uri, lines[1]);
            let uri = line(
                &[
                    &["otp", "totp"][..],
                    &common,
                    &["--step", "45", "--uri", "--account", "bob"],
                ]
                .concat(),
            );
            assert_eq!(uri, lines[2]);
        }
    }
    // An account or issuer may begin with `-`.
    let expected = python(
        "from cryptography.hazmat.primitives import hashes\n\
         from cryptography.hazmat.primitives.twofactor.totp import TOTP\n\
         t = TOTP(bytes(range(20)), 6, hashes.SHA1(), 30)\n\
         print(t.get_provisioning_uri('-alice', '-Ex Co'))",
    );
    let uri = line(&[
        "otp",
        "totp",
        "--key-hex",
        key,
        "--uri",
        "--account",
        "-alice",
        "--issuer",
        "-Ex Co",
    ]);
    assert_eq!(uri, expected);
    // A short (80-bit) key, as some services issue, with Python's enforce_key_length=False.
    let expected = python(
        "import base64\n\
         from cryptography.hazmat.primitives import hashes\n\
         from cryptography.hazmat.primitives.twofactor.totp import TOTP\n\
         k = base64.b32decode('JBSWY3DPEHPK3PXP')\n\
         print(TOTP(k, 6, hashes.SHA1(), 30, enforce_key_length=False).generate(1700000000).decode())",
    );
    let args = [
        "otp",
        "totp",
        "--key-base32",
        "jbsw y3dp ehpk 3pxp",
        "--time",
        "1700000000",
    ];
    assert_usage_error(&hazmat(&args), "--allow-short-key");
    assert_eq!(
        line(&[&args[..], &["--allow-short-key"]].concat()),
        expected
    );
}

/// --verify: OK, FAILED and exit 1, nothing with --quiet on success; --window accepts
/// neighbouring steps; base32 and file keys equal hex keys.
#[test]
fn verify_window_and_key_forms() {
    let dir = Dir::new();
    let key = hex::encode(RFC_KEY_SHA1);
    let base = ["otp", "totp", "--key-hex", &key, "--digits", "8"];
    // 94287082 is the password of the step holding t = 59 (30..59).
    for (time, window, ok) in [
        ("59", "0", true),
        ("30", "0", true),
        ("60", "0", false),
        ("89", "1", true),
        ("90", "1", false),
        ("119", "2", true),
        ("0", "1", true),
    ] {
        let out = hazmat(
            &[
                &base[..],
                &["--time", time, "--window", window, "--verify", "94287082"],
            ]
            .concat(),
        );
        assert_eq!(
            out.status.success(),
            ok,
            "{time} {window}: {}",
            stderr(&out)
        );
        assert_eq!(out.stdout, if ok { &b"OK\n"[..] } else { b"FAILED\n" });
        if !ok {
            assert_eq!(out.status.code(), Some(1));
        }
    }
    let out = hazmat(
        &[
            &["--quiet"][..],
            &base,
            &["--time", "59", "--verify", "94287082"],
        ]
        .concat(),
    );
    assert!(out.status.success() && out.stdout.is_empty());
    let out = hazmat(&[&base[..], &["--time", "59", "--verify", "9428708"]].concat());
    assert_eq!(out.status.code(), Some(1));
    // The same key as base32 (any case, spaces), from a raw file and a base32 file.
    let expected = line(&[&base[..], &["--time", "59"]].concat());
    let raw = dir.file("raw", RFC_KEY_SHA1.as_bytes());
    let b32 = dir.file("b32", b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n");
    for form in [
        ["--key-base32", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq"],
        ["--key-file", raw.as_str()],
        ["--key-base32-file", b32.as_str()],
    ] {
        let args = [
            &["otp", "totp"][..],
            &form,
            &["--digits", "8", "--time", "59"],
        ]
        .concat();
        assert_eq!(line(&args), expected, "{form:?}");
    }
    // Usage errors.
    let out = hazmat(&["otp", "hotp", "--key-hex", &key]);
    assert_usage_error(&out, "--counter");
    let out = hazmat(&[
        "otp",
        "hotp",
        "--key-hex",
        &key,
        "--counter",
        "1",
        "--digits",
        "9",
    ]);
    assert_usage_error(&out, "digits");
    let out = hazmat(&["otp", "totp", "--key-hex", &key, "--uri"]);
    assert_usage_error(&out, "--account");
    let out = hazmat(&["otp", "totp", "--key-base32", "A1B8"]);
    assert_usage_error(&out, "base32");
    let out = hazmat(&["otp", "totp", "--key-hex", &key, "--step", "0"]);
    assert_usage_error(&out, "step");
    let out = hazmat(&["otp", "totp", "--key-hex", &key, "--window", "2"]);
    assert_usage_error(&out, "--verify");
}
