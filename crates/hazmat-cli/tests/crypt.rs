//! `hazmat encrypt` / `hazmat decrypt` run as real processes: round trips for every cipher
//! family on every backend, interoperability with the `openssl enc` binary, and the failure
//! rules (a tampered GCM file leaves no plaintext and exits 1; bad arguments exit 2 with one
//! line on stderr).

mod support;

use std::process::{Command, Output};

use support::{
    assert_decrypt_writes_nothing, assert_usage_error, data, default_openssl_rust, flip, hazmat,
    hazmat_stdin, key_hex, stderr, Dir,
};

/// (cipher name, key bytes) for every family the tool offers.
const FAMILIES: &[(&str, usize)] = &[
    ("aes-128-cbc", 16),
    ("aes-192-ecb", 24),
    ("aes-256-ctr", 32),
    ("aes-128-ofb", 16),
    ("aes-256-cfb", 32),
    ("aes-128-cfb8", 16),
    ("aes-128-gcm", 16),
    ("aes-256-gcm", 32),
    ("camellia-128-cbc", 16),
    ("camellia-256-ctr", 32),
    ("des-ede3-cbc", 24),
    ("des-ede3-cfb8", 24),
    ("sm4-cbc", 16),
    ("sm4-ctr", 16),
    ("bf-cbc", 16),
    ("bf-ofb", 7),
    ("cast5-cbc", 16),
    ("cast5-cfb", 10),
    ("idea-cbc", 16),
    ("seed-cbc", 16),
    ("chacha20", 32),
    ("rc4", 16),
];

/// Whether `backend` serves `cipher`, as the tool itself reports an unsupported pair.
fn unsupported(out: &Output) -> bool {
    out.status.code() == Some(2) && stderr(out).contains("unsupported cipher")
}

#[test]
fn round_trips_for_every_cipher_family_and_backend() {
    let dir = Dir::new();
    let mut served = 0;
    for &(cipher, key_len) in FAMILIES {
        let key = key_hex(key_len);
        let mut serving: Vec<&str> = Vec::new();
        for backend in default_openssl_rust() {
            for len in [0usize, 1, 15, 16, 17, 70_000] {
                let plain = data(len);
                let input = dir.file("plain", &plain);
                let enc = dir.path("enc");
                let out = hazmat(&[
                    "encrypt",
                    "--backend",
                    backend,
                    "--cipher",
                    cipher,
                    "--key-hex",
                    &key,
                    &input,
                    "-o",
                    &enc,
                ]);
                if unsupported(&out) {
                    break;
                }
                if len == 0 {
                    serving.push(backend);
                }
                assert!(
                    out.status.success(),
                    "{cipher} {backend} encrypt: {}",
                    stderr(&out)
                );
                let sealed = std::fs::read(&enc).expect("encrypted output");
                // GCM writes the chunked format (version 2), the others one message (1).
                let version = if cipher.ends_with("-gcm") { 2 } else { 1 };
                assert!(
                    sealed.starts_with(b"HZMT") && sealed[4] == version,
                    "{cipher}: header"
                );
                let dec = dir.path("dec");
                let out = hazmat(&[
                    "decrypt",
                    "--backend",
                    backend,
                    "--key-hex",
                    &key,
                    &enc,
                    "-o",
                    &dec,
                ]);
                assert!(
                    out.status.success(),
                    "{cipher} {backend} decrypt: {}",
                    stderr(&out)
                );
                assert_eq!(
                    std::fs::read(&dec).expect("decrypted output"),
                    plain,
                    "{cipher} {backend} {len}"
                );
                served += 1;
            }
        }
        // The default serves a family exactly when some compiled-in backend does.
        let explicit = serving.iter().any(|b| *b != "default");
        assert_eq!(
            serving.contains(&"default"),
            explicit,
            "{cipher}: served by {serving:?}"
        );
    }
    assert!(
        served >= FAMILIES.len() * 6,
        "only {served} round trips ran"
    );
}

#[test]
fn backends_read_each_others_files() {
    if !(cfg!(feature = "openssl") && cfg!(feature = "rust")) {
        return;
    }
    let dir = Dir::new();
    let plain = data(5000);
    let input = dir.file("plain", &plain);
    for &(cipher, key_len) in FAMILIES {
        let key = key_hex(key_len);
        let enc = dir.path("enc");
        let out = hazmat(&[
            "encrypt",
            "--backend",
            "openssl",
            "--cipher",
            cipher,
            "--key-hex",
            &key,
            &input,
            "-o",
            &enc,
        ]);
        if unsupported(&out) {
            continue;
        }
        assert!(out.status.success(), "{}", stderr(&out));
        let dec = dir.path("dec");
        let out = hazmat(&[
            "decrypt",
            "--backend",
            "rust",
            "--key-hex",
            &key,
            &enc,
            "-o",
            &dec,
        ]);
        if unsupported(&out) {
            continue;
        }
        assert!(out.status.success(), "{cipher}: {}", stderr(&out));
        assert_eq!(std::fs::read(&dec).expect("output"), plain, "{cipher}");
    }
}

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// `--raw` output equals `openssl enc -K .. -iv ..`, and each decrypts the other's.
#[test]
fn raw_output_interoperates_with_openssl_enc() {
    assert!(
        openssl_available(),
        "the openssl binary is needed for the interop tests"
    );
    let dir = Dir::new();
    let cases: &[(&str, usize, usize)] = &[
        ("aes-128-cbc", 16, 16),
        ("aes-256-cbc", 32, 16),
        ("aes-128-ctr", 16, 16),
        ("aes-256-ctr", 32, 16),
        ("aes-192-ofb", 24, 16),
        ("aes-128-cfb", 16, 16),
        ("aes-128-ecb", 16, 0),
        ("camellia-128-cbc", 16, 16),
        ("des-ede3-cbc", 24, 8),
        ("chacha20", 32, 16),
    ];
    for &(cipher, key_len, iv_len) in cases {
        let key = key_hex(key_len);
        let iv: String = (0..iv_len)
            .map(|i| format!("{:02x}", 0xf0 - i as u8))
            .collect();
        for len in [0usize, 5, 16, 33, 100_000] {
            let plain = data(len);
            let input = dir.file("plain", &plain);
            let ours = dir.path("ours");
            let theirs = dir.path("theirs");
            let mut args = vec![
                "encrypt",
                "--cipher",
                cipher,
                "--key-hex",
                &key,
                "--raw",
                &input,
                "-o",
                &ours,
            ];
            if iv_len > 0 {
                args.extend(["--iv-hex", &iv]);
            }
            let out = hazmat(&args);
            assert!(out.status.success(), "{cipher}: {}", stderr(&out));
            let mut openssl = vec![
                "enc".to_owned(),
                format!("-{cipher}"),
                "-K".into(),
                key.clone(),
                "-in".into(),
                input.clone(),
                "-out".into(),
                theirs.clone(),
            ];
            if iv_len > 0 {
                openssl.extend(["-iv".into(), iv.clone()]);
            }
            let status = Command::new("openssl")
                .args(&openssl)
                .output()
                .expect("openssl runs");
            assert!(
                status.status.success(),
                "openssl enc {cipher}: {}",
                stderr(&status)
            );
            assert_eq!(
                std::fs::read(&ours).expect("ours"),
                std::fs::read(&theirs).expect("theirs"),
                "{cipher} {len}"
            );

            // openssl decrypts ours; we decrypt openssl's.
            let back = dir.path("back");
            let mut openssl_dec = openssl.clone();
            openssl_dec.insert(1, "-d".into());
            openssl_dec[6] = ours.clone();
            openssl_dec[8] = back.clone();
            let status = Command::new("openssl")
                .args(&openssl_dec)
                .output()
                .expect("openssl runs");
            assert!(
                status.status.success(),
                "openssl enc -d {cipher}: {}",
                stderr(&status)
            );
            assert_eq!(std::fs::read(&back).expect("back"), plain);
            let mut args = vec![
                "decrypt",
                "--cipher",
                cipher,
                "--key-hex",
                &key,
                "--raw",
                &theirs,
                "-o",
                &back,
            ];
            if iv_len > 0 {
                args.extend(["--iv-hex", &iv]);
            }
            let out = hazmat(&args);
            assert!(out.status.success(), "{cipher}: {}", stderr(&out));
            assert_eq!(std::fs::read(&back).expect("back"), plain, "{cipher} {len}");
        }
    }
}

#[test]
fn tampered_gcm_file_writes_nothing_and_exits_1() {
    let dir = Dir::new();
    let key = key_hex(32);
    let plain = data(200_000);
    let input = dir.file("plain", &plain);
    let enc = dir.path("enc");
    assert!(hazmat(&[
        "encrypt",
        "--cipher",
        "aes-256-gcm",
        "--key-hex",
        &key,
        &input,
        "-o",
        &enc
    ])
    .status
    .success());
    let pristine = std::fs::read(&enc).expect("enc");
    // A flipped ciphertext byte, a flipped tag byte, a flipped salt byte (counted from the end).
    for (what, from_end) in [
        ("ciphertext", 100_000),
        ("tag", 3),
        ("salt", pristine.len() - 30),
    ] {
        std::fs::write(&enc, &pristine).expect("restore");
        flip(&enc, pristine.len() - from_end);
        let text = assert_decrypt_writes_nothing(&dir, &key, &enc, what);
        assert!(text.contains("authentication failed"), "{what}: {text}");
    }
    // An existing output file is left as it was.
    std::fs::write(&enc, &pristine).expect("restore");
    flip(&enc, pristine.len() - 50);
    let existing = dir.file("existing", b"keep me");
    assert_eq!(
        hazmat(&["decrypt", "--key-hex", &key, &enc, "-o", &existing])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(std::fs::read(&existing).expect("existing"), b"keep me");
    // Truncated: the salt and a few bytes of the first chunk.
    std::fs::write(&enc, &pristine[..pristine.len() - 200_010]).expect("truncate");
    let out = hazmat(&["decrypt", "--key-hex", &key, &enc]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // Nothing was left behind in the directory but our own files.
    let names = dir.names();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn wrong_key_is_a_failure_not_garbage() {
    let dir = Dir::new();
    let input = dir.file("plain", &data(1000));
    let enc = dir.path("enc");
    assert!(hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-gcm",
        "--key-hex",
        &key_hex(16),
        &input,
        "-o",
        &enc
    ])
    .status
    .success());
    let out = hazmat(&["decrypt", "--key-hex", &"00".repeat(16), &enc]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // CBC with a wrong key: these fixed inputs (key, IV and data; a random IV would make the
    // last block random, valid padding one time in about 256) decrypt to invalid padding.
    let cbc = dir.path("cbc");
    assert!(hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-cbc",
        "--key-hex",
        &key_hex(16),
        "--iv-hex",
        &"5a".repeat(16),
        &input,
        "-o",
        &cbc
    ])
    .status
    .success());
    let out = hazmat(&["decrypt", "--key-hex", &"00".repeat(16), &cbc]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("padding"));
    assert!(out.stdout.is_empty());
}

#[test]
fn stdin_to_stdout() {
    let key = key_hex(32);
    let plain = data(3000);
    let enc = hazmat_stdin(
        &["encrypt", "--cipher", "chacha20", "--key-hex", &key],
        &plain,
    );
    assert!(enc.status.success(), "{}", stderr(&enc));
    assert_eq!(enc.stdout.len(), 4 + 1 + 1 + 8 + 1 + 16 + plain.len());
    // A fresh random nonce each time, with the block counter at 0.
    let again = hazmat_stdin(
        &["encrypt", "--cipher", "chacha20", "--key-hex", &key],
        &plain,
    );
    assert_ne!(enc.stdout, again.stdout);
    assert_eq!(&enc.stdout[15..19], [0, 0, 0, 0]);
    let dec = hazmat_stdin(&["decrypt", "--key-hex", &key], &enc.stdout);
    assert!(dec.status.success(), "{}", stderr(&dec));
    assert_eq!(dec.stdout, plain);
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    let dir = Dir::new();
    let input = dir.file("plain", b"hello");
    let key16 = key_hex(16);
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-999-cbc",
            "--key-hex",
            &key16,
            &input,
        ]),
        "unknown cipher",
    );
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-256-cbc",
            "--key-hex",
            &key16,
            &input,
        ]),
        "32-byte key",
    );
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-128-cbc",
            "--key-hex",
            &key16,
            "--raw",
            &input,
        ]),
        "--iv-hex",
    );
    let bad_hex = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-cbc",
        "--key-hex",
        "00112233445566778899aabbccddeefg",
        &input,
    ]);
    assert_usage_error(&bad_hex, "--key-hex");
    assert!(
        !stderr(&bad_hex).contains("00112233"),
        "the key must not be echoed"
    );
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-128-cbc",
            "--key-hex",
            &key16,
            "/no/such/file",
        ]),
        "No such file",
    );
    assert_usage_error(
        &hazmat(&[
            "encrypt",
            "--cipher",
            "aes-128-gcm",
            "--key-hex",
            &key16,
            "--iv-hex",
            "0011",
            &input,
        ]),
        "IV",
    );
    let both = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-cbc",
        "--key-hex",
        &key16,
        "--key-file",
        &input,
        &input,
    ]);
    assert_eq!(both.status.code(), Some(2));
    let neither = hazmat(&["encrypt", "--cipher", "aes-128-cbc", &input]);
    assert_eq!(neither.status.code(), Some(2));
    // Decrypting something that is not ours, or with the wrong --cipher.
    assert_usage_error(
        &hazmat(&["decrypt", "--key-hex", &key16, &input]),
        "not a hazmat-encrypted file",
    );
    let enc = dir.path("enc");
    assert!(hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-ctr",
        "--key-hex",
        &key16,
        &input,
        "-o",
        &enc
    ])
    .status
    .success());
    assert_usage_error(
        &hazmat(&[
            "decrypt",
            "--cipher",
            "aes-128-cbc",
            "--key-hex",
            &key16,
            &enc,
        ]),
        "encrypted with aes-128-ctr",
    );
    assert_usage_error(
        &hazmat(&["decrypt", "--key-hex", &key16, "--iv-hex", "00", &enc]),
        "--iv-hex",
    );
}

#[test]
fn key_file_equals_key_hex() {
    let dir = Dir::new();
    let key: Vec<u8> = (0..32u8).collect();
    let key_file = dir.file("key", &key);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let input = dir.file("plain", &data(999));
    let iv = "00112233445566778899aabbccddeeff";
    let a = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-256-cbc",
        "--key-file",
        &key_file,
        "--iv-hex",
        iv,
        &input,
    ]);
    let b = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-256-cbc",
        "--key-hex",
        &hex,
        "--iv-hex",
        iv,
        &input,
    ]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

/// Above 64 MiB a progress bar appears only on a terminal: with stderr piped (as here) the
/// tool prints nothing on stderr, and the output is still right.
#[test]
fn large_input_without_terminal_has_no_progress_output() {
    let dir = Dir::new();
    let big = dir.path("big");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(65 * 1024 * 1024).expect("sparse file");
    let enc = dir.path("enc");
    let key = key_hex(16);
    let out = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-ctr",
        "--key-hex",
        &key,
        &big,
        "-o",
        &enc,
    ]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let out = hazmat(&["decrypt", "--key-hex", &key, &enc, "-o", &big]);
    assert!(out.status.success() && out.stderr.is_empty());
    let back = std::fs::read(&big).expect("read");
    assert_eq!(back.len(), 65 * 1024 * 1024);
    assert!(back.iter().all(|&b| b == 0));
}
