//! `hazmat kdf` run as a real process, against independent implementations: the `openssl kdf`
//! command (OpenSSL 3: HKDF and its extract and expand steps, PBKDF2, SCRYPT, SSKDF, X963KDF,
//! KBKDF), the Python `cryptography` package (Argon2id/i/d, KBKDF with the counter after or
//! inside the fixed input and other counter/length sizes, ConcatKDF), and the RFCs' own
//! examples; `--verify`, `--binary`, secret files and stdin; parameter errors exit 2 with one
//! line and never echo a secret.

mod support;

use std::process::Command;

use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
use support::line as derive;
use support::{
    assert_unsupported, assert_usage_error, default_openssl_rust, default_serves_argon2, hazmat,
    hazmat_stdin, python, python_imports, stderr,
};

fn openssl_kdf_available() -> bool {
    Command::new("openssl")
        .args(["kdf", "-help"])
        .output()
        .map(|o| o.status.success() || !o.stderr.is_empty())
        .unwrap_or(false)
        && Command::new("openssl")
            .args(["list", "-kdf-algorithms"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("HKDF"))
            .unwrap_or(false)
}

/// `openssl kdf -binary -keylen LEN -kdfopt OPT... NAME`, as hex.
fn openssl_kdf(name: &str, length: usize, opts: &[String]) -> String {
    let mut args = vec![
        "kdf".to_owned(),
        "-binary".into(),
        "-keylen".into(),
        length.to_string(),
    ];
    for opt in opts {
        args.push("-kdfopt".into());
        args.push(opt.clone());
    }
    args.push(name.into());
    let out = Command::new("openssl")
        .args(&args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    hex::encode(out.stdout)
}

/// Whether Python's `cryptography` (with Argon2) is there to compare against.
fn python_available() -> bool {
    python_imports("cryptography.hazmat.primitives.kdf.argon2")
}

fn bytes(len: usize, seed: u8) -> String {
    hex::encode(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect::<Vec<u8>>(),
    )
}

/// `hazmat kdf VARIANT ARGS` for an Argon2 variant: the derived key's hex where the default
/// backend serves the variant; where it does not, asserts the tool's answer (exit 2, one line
/// calling the variant unsupported, nothing on stdout) and returns `None`.
fn derive_argon2(variant: Argon2Variant, args: &[&str]) -> Option<String> {
    if default_serves_argon2(variant) {
        return Some(derive(args));
    }
    assert_unsupported(&hazmat(args), variant.name());
    None
}

/// RFC 5869 (HKDF), RFC 6070 (PBKDF2-HMAC-SHA1), RFC 7914 (scrypt) and RFC 9106 (Argon2)
/// examples (Argon2: where the default backend serves the variant, else it is refused).
#[test]
fn rfc_examples() {
    // RFC 5869 A.1 and A.3 (no salt, no info).
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf",
            "--ikm-hex",
            &"0b".repeat(22),
            "--salt-hex",
            "000102030405060708090a0b0c",
            "--info-hex",
            "f0f1f2f3f4f5f6f7f8f9",
            "--length",
            "42"
        ]),
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    );
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf",
            "--ikm-hex",
            &"0b".repeat(22),
            "--length",
            "42"
        ]),
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
    );
    // RFC 5869 A.1's and A.3's PRKs, extracted alone (A.3: no salt, so a digest of zeros).
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf-extract",
            "--ikm-hex",
            &"0b".repeat(22),
            "--salt-hex",
            "000102030405060708090a0b0c",
        ]),
        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"
    );
    assert_eq!(
        derive(&["kdf", "hkdf-extract", "--ikm-hex", &"0b".repeat(22)]),
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"
    );
    // RFC 5869 A.4 (SHA-1).
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf-extract",
            "--hash",
            "sha1",
            "--ikm-hex",
            &"0b".repeat(11),
            "--salt-hex",
            "000102030405060708090a0b0c",
        ]),
        "9b6c18c432a7bf8f0e71c8eb88f4b30baa2ba243"
    );
    // RFC 5869 A.1's PRK, expanded alone.
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf-expand",
            "--prk-hex",
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            "--info-hex",
            "f0f1f2f3f4f5f6f7f8f9",
            "--length",
            "42"
        ]),
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    );
    // RFC 6070 test 2 and 4096 iterations (test 3).
    let password = hex::encode("password");
    let salt = hex::encode("salt");
    for (iterations, expected) in [
        ("2", "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        ("4096", "4b007901b765489abead49d926f721d065a429c1"),
    ] {
        assert_eq!(
            derive(&[
                "kdf",
                "pbkdf2",
                "--hash",
                "sha1",
                "--password-hex",
                &password,
                "--salt-hex",
                &salt,
                "--iterations",
                iterations,
                "--length",
                "20"
            ]),
            expected
        );
    }
    // RFC 7914 section 12, second vector.
    assert_eq!(
        derive(&[
            "kdf",
            "scrypt",
            "--password-hex",
            &password,
            "--salt-hex",
            &hex::encode("NaCl"),
            "--n",
            "1024",
            "--r",
            "8",
            "--p",
            "16",
            "--length",
            "64"
        ]),
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff1\
         09279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
    );
    // RFC 9106 sections 5.1-5.3.
    for (variant, expected) in [
        (
            Argon2Variant::Argon2d,
            "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
        ),
        (
            Argon2Variant::Argon2i,
            "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
        ),
        (
            Argon2Variant::Argon2id,
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        ),
    ] {
        let derived = derive_argon2(
            variant,
            &[
                "kdf",
                variant.name(),
                "--password-hex",
                &"01".repeat(32),
                "--salt-hex",
                &"02".repeat(16),
                "--secret-hex",
                &"03".repeat(8),
                "--ad-hex",
                &"04".repeat(12),
                "--iterations",
                "3",
                "--lanes",
                "4",
                "--memory-cost",
                "32",
                "--length",
                "32",
            ],
        );
        if let Some(derived) = derived {
            assert_eq!(derived, expected, "{}", variant.name());
        }
    }
}

/// Every KDF OpenSSL 3's `openssl kdf` has, over several hashes, lengths and inputs, on every
/// backend that serves it: HKDF (and its expand step), PBKDF2, SCRYPT, SSKDF (ConcatKDF over a
/// hash and over HMAC), X963KDF, KBKDF (HMAC and CMAC, counter mode).
#[test]
fn agrees_with_openssl_kdf() {
    if !openssl_kdf_available() {
        eprintln!("skipped: no `openssl kdf`");
        return;
    }
    let ikm = bytes(37, 5);
    let salt = bytes(16, 9);
    let info = bytes(11, 77);
    let (hexkey, hexsalt, hexinfo) = (
        format!("hexkey:{ikm}"),
        format!("hexsalt:{salt}"),
        format!("hexinfo:{info}"),
    );
    // (what, our KDF, its inputs, OpenSSL's KDF, its options); ours also get `--hash` and
    // `--length`.
    type Case<'a> = (&'a str, &'a str, Vec<&'a str>, &'a str, Vec<String>);
    let mut compared = 0;
    for backend in default_openssl_rust() {
        // `hazmat --backend BACKEND kdf ARGS` prints what `openssl kdf` derives with KDF `name`,
        // `length` bytes and `opts`.
        let mut agrees =
            |what: String, args: &[&str], name: &str, length: usize, opts: &[String]| {
                let mut all = vec!["--backend", backend, "kdf"];
                all.extend_from_slice(args);
                let expected = openssl_kdf(name, length, opts);
                assert_eq!(derive(&all), expected, "{what} on {backend}");
                compared += 1;
            };
        for (hash, ossl) in [("sha256", "SHA256"), ("sha1", "SHA1"), ("sha512", "SHA512")] {
            let digest = format!("digest:{ossl}");
            for length in [1usize, 32, 100] {
                let len = length.to_string();
                let cases: [Case; 7] = [
                    (
                        "HKDF",
                        "hkdf",
                        vec!["--ikm-hex", &ikm, "--salt-hex", &salt, "--info-hex", &info],
                        "HKDF",
                        vec![
                            digest.clone(),
                            hexkey.clone(),
                            hexsalt.clone(),
                            hexinfo.clone(),
                        ],
                    ),
                    (
                        "HKDF-Expand",
                        "hkdf-expand",
                        vec!["--prk-hex", &ikm, "--info-hex", &info],
                        "HKDF",
                        vec![
                            "mode:EXPAND_ONLY".into(),
                            digest.clone(),
                            hexkey.clone(),
                            hexinfo.clone(),
                        ],
                    ),
                    (
                        "PBKDF2",
                        "pbkdf2",
                        vec![
                            "--password-hex",
                            &ikm,
                            "--salt-hex",
                            &salt,
                            "--iterations",
                            "1000",
                        ],
                        "PBKDF2",
                        vec![
                            "pkcs5:1".into(),
                            digest.clone(),
                            format!("hexpass:{ikm}"),
                            hexsalt.clone(),
                            "iter:1000".into(),
                        ],
                    ),
                    (
                        "ConcatKDF",
                        "concatkdf-hash",
                        vec!["--ikm-hex", &ikm, "--otherinfo-hex", &info],
                        "SSKDF",
                        vec![digest.clone(), hexkey.clone(), hexinfo.clone()],
                    ),
                    (
                        "ConcatKDF-HMAC",
                        "concatkdf-hmac",
                        vec![
                            "--ikm-hex",
                            &ikm,
                            "--salt-hex",
                            &salt,
                            "--otherinfo-hex",
                            &info,
                        ],
                        "SSKDF",
                        vec![
                            "mac:HMAC".into(),
                            digest.clone(),
                            hexkey.clone(),
                            hexsalt.clone(),
                            hexinfo.clone(),
                        ],
                    ),
                    (
                        "X9.63",
                        "x963kdf",
                        vec!["--ikm-hex", &ikm, "--sharedinfo-hex", &info],
                        "X963KDF",
                        vec![digest.clone(), hexkey.clone(), hexinfo.clone()],
                    ),
                    (
                        "KBKDF-HMAC",
                        "kbkdf-hmac",
                        vec![
                            "--key-hex",
                            &ikm,
                            "--label-hex",
                            &salt,
                            "--context-hex",
                            &info,
                        ],
                        "KBKDF",
                        vec![
                            "mode:COUNTER".into(),
                            "mac:HMAC".into(),
                            digest.clone(),
                            hexkey.clone(),
                            hexsalt.clone(),
                            hexinfo.clone(),
                        ],
                    ),
                ];
                for (what, kdf, inputs, name, opts) in cases {
                    let mut args = vec![kdf, "--hash", hash];
                    args.extend(inputs);
                    args.extend(["--length", &len]);
                    agrees(
                        format!("{what} {hash} {length}"),
                        &args,
                        name,
                        length,
                        &opts,
                    );
                }
            }
        }
        for (cipher, ossl, key_len) in [
            ("aes-128", "AES128", 16),
            ("aes", "AES192", 24),
            ("aes-256", "AES256", 32),
        ] {
            let key = bytes(key_len, 3);
            for length in [1usize, 16, 45] {
                agrees(
                    format!("KBKDF-CMAC {cipher} {length}"),
                    &[
                        "kbkdf-cmac",
                        "--cipher",
                        cipher,
                        "--key-hex",
                        &key,
                        "--label-hex",
                        &salt,
                        "--context-hex",
                        &info,
                        "--length",
                        &length.to_string(),
                    ],
                    "KBKDF",
                    length,
                    &[
                        "mode:COUNTER".into(),
                        "mac:CMAC".into(),
                        format!("cipher:{ossl}"),
                        format!("hexkey:{key}"),
                        hexsalt.clone(),
                        hexinfo.clone(),
                    ],
                );
            }
        }
        // No separator and no length field: the fixed input is label ‖ context.
        agrees(
            "KBKDF-HMAC fixed input".into(),
            &[
                "kbkdf-hmac",
                "--key-hex",
                &ikm,
                "--fixed-hex",
                &format!("{salt}{info}"),
                "--length",
                "32",
            ],
            "KBKDF",
            32,
            &[
                "mode:COUNTER".into(),
                "mac:HMAC".into(),
                "digest:SHA256".into(),
                "use-l:0".into(),
                "use-separator:0".into(),
                hexkey.clone(),
                hexsalt.clone(),
                hexinfo.clone(),
            ],
        );
        // HKDF-Extract: one digest, with and without a salt.
        for (hash, ossl, digest_size) in [
            ("sha256", "SHA256", 32),
            ("sha1", "SHA1", 20),
            ("sha512", "SHA512", 64),
        ] {
            let digest = format!("digest:{ossl}");
            agrees(
                format!("HKDF-Extract {hash} salted"),
                &[
                    "hkdf-extract",
                    "--hash",
                    hash,
                    "--ikm-hex",
                    &ikm,
                    "--salt-hex",
                    &salt,
                ],
                "HKDF",
                digest_size,
                &[
                    "mode:EXTRACT_ONLY".into(),
                    digest.clone(),
                    hexkey.clone(),
                    hexsalt.clone(),
                ],
            );
            agrees(
                format!("HKDF-Extract {hash} unsalted"),
                &["hkdf-extract", "--hash", hash, "--ikm-hex", &ikm],
                "HKDF",
                digest_size,
                &["mode:EXTRACT_ONLY".into(), digest, hexkey.clone()],
            );
        }
        // scrypt: OpenSSL and the Rust backend both have it.
        for (n, r, p, length) in [(16u64, 1u32, 1u32, 16usize), (1024, 8, 2, 64)] {
            agrees(
                format!("scrypt n={n}"),
                &[
                    "scrypt",
                    "--password-hex",
                    &ikm,
                    "--salt-hex",
                    &salt,
                    "--n",
                    &n.to_string(),
                    "--r",
                    &r.to_string(),
                    "--p",
                    &p.to_string(),
                    "--length",
                    &length.to_string(),
                ],
                "SCRYPT",
                length,
                &[
                    format!("hexpass:{ikm}"),
                    hexsalt.clone(),
                    format!("n:{n}"),
                    format!("r:{r}"),
                    format!("p:{p}"),
                ],
            );
        }
    }
    assert!(compared >= 70, "only {compared} comparisons");
}

/// Against Python's `cryptography`: Argon2id/i/d with and without ad and secret (each variant
/// the default backend serves; one it does not is refused), KBKDF with the counter after and
/// inside the fixed input and other counter and length sizes, and ConcatKDF-HMAC without a
/// salt.
#[test]
fn agrees_with_python_cryptography() {
    if !python_available() {
        eprintln!("skipped: no Python cryptography with Argon2");
        return;
    }
    let password = bytes(20, 1);
    let salt = bytes(16, 2);
    for (variant, class) in [
        (Argon2Variant::Argon2id, "Argon2id"),
        (Argon2Variant::Argon2i, "Argon2i"),
        (Argon2Variant::Argon2d, "Argon2d"),
    ] {
        for (t, p, m, length, extra) in [
            (1u32, 1u32, 8u32, 16usize, false),
            (2, 2, 64, 32, true),
            (3, 4, 256, 50, true),
        ] {
            let (ad, secret) = (bytes(7, 3), bytes(9, 4));
            let mut args = vec![
                "kdf".to_owned(),
                variant.name().into(),
                "--password-hex".into(),
                password.clone(),
                "--salt-hex".into(),
                salt.clone(),
                "--iterations".into(),
                t.to_string(),
                "--lanes".into(),
                p.to_string(),
                "--memory-cost".into(),
                m.to_string(),
                "--length".into(),
                length.to_string(),
            ];
            if extra {
                args.extend([
                    "--ad-hex".into(),
                    ad.clone(),
                    "--secret-hex".into(),
                    secret.clone(),
                ]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let Some(derived) = derive_argon2(variant, &args) else {
                continue;
            };
            let expected = python(&format!(
                "from cryptography.hazmat.primitives.kdf.argon2 import {class}\n\
                 k = {class}(salt=bytes.fromhex('{salt}'), length={length}, iterations={t}, \
                 lanes={p}, memory_cost={m}{})\n\
                 print(k.derive(bytes.fromhex('{password}')).hex())",
                if extra {
                    format!(", ad=bytes.fromhex('{ad}'), secret=bytes.fromhex('{secret}')")
                } else {
                    String::new()
                }
            ));
            assert_eq!(derived, expected, "{} t={t} p={p} m={m}", variant.name());
        }
    }
    let key = bytes(32, 6);
    let (label, context) = (bytes(5, 7), bytes(9, 8));
    for (location, py_location, rlen, llen, break_at) in [
        ("after", "AfterFixed", 4, 4, None),
        ("middle", "MiddleFixed", 2, 2, Some(3)),
        ("before", "BeforeFixed", 1, 3, None),
        ("middle", "MiddleFixed", 4, 2, Some(0)),
    ] {
        let expected = python(&format!(
            "from cryptography.hazmat.primitives import hashes\n\
             from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFHMAC, CounterLocation, Mode\n\
             k = KBKDFHMAC(hashes.SHA256(), Mode.CounterMode, 40, {rlen}, {llen}, \
             CounterLocation.{py_location}, bytes.fromhex('{label}'), bytes.fromhex('{context}'), \
             None{})\n\
             print(k.derive(bytes.fromhex('{key}')).hex())",
            break_at
                .map(|b| format!(", break_location={b}"))
                .unwrap_or_default()
        ));
        let (rlen, llen) = (rlen.to_string(), llen.to_string());
        let mut args = vec![
            "kdf",
            "kbkdf-hmac",
            "--key-hex",
            &key,
            "--label-hex",
            &label,
            "--context-hex",
            &context,
            "--rlen",
            &rlen,
            "--llen",
            &llen,
            "--location",
            location,
            "--length",
            "40",
        ];
        let at = break_at.map(|b: usize| b.to_string());
        if let Some(at) = &at {
            args.extend(["--break-location", at]);
        }
        assert_eq!(
            derive(&args),
            expected,
            "KBKDF {location} r={rlen} l={llen}"
        );
    }
    let expected = python(&format!(
        "from cryptography.hazmat.primitives import hashes\n\
         from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHMAC\n\
         k = ConcatKDFHMAC(hashes.SHA512(), 70, None, bytes.fromhex('{context}'))\n\
         print(k.derive(bytes.fromhex('{key}')).hex())"
    ));
    assert_eq!(
        derive(&[
            "kdf",
            "concatkdf-hmac",
            "--hash",
            "sha512",
            "--ikm-hex",
            &key,
            "--otherinfo-hex",
            &context,
            "--length",
            "70"
        ]),
        expected
    );
}

/// `--verify` prints OK (nothing with --quiet) or FAILED and exits 1; the length defaults to
/// the expected key's; `--binary` writes the bytes; secrets come from files and stdin, every
/// byte counting.
#[test]
fn verify_binary_and_secret_sources() {
    let dir = tempfile::tempdir().expect("dir");
    let ikm = bytes(22, 11);
    let base = ["kdf", "hkdf", "--ikm-hex", &ikm];
    let key = derive(&[&base[..], &["--length", "20"]].concat());
    assert_eq!(key.len(), 40);
    let out = hazmat(&[&base[..], &["--verify", &key]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, b"OK\n");
    let out = hazmat(&[&["--quiet"][..], &base[..], &["--verify", &key]].concat());
    assert!(out.status.success() && out.stdout.is_empty());
    let mut wrong = key.clone().into_bytes();
    wrong[5] = if wrong[5] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).expect("hex");
    let out = hazmat(&[&base[..], &["--verify", &wrong]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"FAILED\n");
    assert!(out.stderr.is_empty());
    // The length is the expected key's: HKDF's shorter output is a prefix of the longer.
    let out = hazmat(&[&base[..], &["--verify", &key[..38]]].concat());
    assert_eq!(out.stdout, b"OK\n");
    let out = hazmat(&[&base[..], &["--verify", &key[..38], "--length", "20"]].concat());
    assert_usage_error(&out, "--length");
    // --binary: the bytes themselves.
    let out = hazmat(&[&base[..], &["--length", "20", "--binary"]].concat());
    assert!(out.status.success());
    assert_eq!(hex::encode(&out.stdout), key);
    // The default length is 32 bytes.
    assert_eq!(derive(&base).len(), 64);
    // HKDF-Extract's --verify and --binary: its output is one digest, so a prefix fails.
    let extract = ["kdf", "hkdf-extract", "--hash", "sha384", "--ikm-hex", &ikm];
    let prk = derive(&extract);
    assert_eq!(prk.len(), 96);
    let out = hazmat(&[&extract[..], &["--verify", &prk]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, b"OK\n");
    let out = hazmat(&[&["--quiet"][..], &extract[..], &["--verify", &prk]].concat());
    assert!(out.status.success() && out.stdout.is_empty());
    let mut wrong = prk.clone().into_bytes();
    wrong[95] = if wrong[95] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).expect("hex");
    for expected in [&wrong[..], &prk[..94]] {
        let out = hazmat(&[&extract[..], &["--verify", expected]].concat());
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(out.stdout, b"FAILED\n");
        assert!(out.stderr.is_empty());
    }
    let out = hazmat(&[&extract[..], &["--binary"]].concat());
    assert!(out.status.success());
    assert_eq!(hex::encode(&out.stdout), prk);
    // HKDF's PRK expanded alone is HKDF.
    assert_eq!(
        derive(&[
            "kdf",
            "hkdf-expand",
            "--hash",
            "sha384",
            "--prk-hex",
            &prk,
            "--length",
            "20"
        ]),
        derive(&[
            "kdf",
            "hkdf",
            "--hash",
            "sha384",
            "--ikm-hex",
            &ikm,
            "--length",
            "20"
        ])
    );
    // A file's every byte is the secret (a trailing newline too); `-` is stdin.
    let raw = hex::decode(&ikm).expect("hex");
    let file = dir.path().join("ikm");
    std::fs::write(&file, &raw).expect("write");
    let path = file.to_str().expect("utf-8");
    assert_eq!(
        derive(&["kdf", "hkdf", "--ikm-file", path, "--length", "20"]),
        key
    );
    let out = hazmat_stdin(&["kdf", "hkdf", "--ikm-file", "-", "--length", "20"], &raw);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), key);
    let mut with_newline = raw.clone();
    with_newline.push(b'\n');
    std::fs::write(&file, &with_newline).expect("write");
    assert_ne!(
        derive(&["kdf", "hkdf", "--ikm-file", path, "--length", "20"]),
        key
    );
    // Passwords the same way.
    std::fs::write(&file, b"password").expect("write");
    assert_eq!(
        derive(&[
            "kdf",
            "pbkdf2",
            "--hash",
            "sha1",
            "--password-file",
            path,
            "--salt-hex",
            &hex::encode("salt"),
            "--iterations",
            "2",
            "--length",
            "20"
        ]),
        "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
    );
}

/// Parameter errors are one line and exit 2; a secret given as bad hex is never echoed.
#[test]
fn parameter_errors_exit_2() {
    let ikm = ["--ikm-hex", "00112233"];
    let kdf = |args: &[&str]| {
        let mut all = vec!["kdf"];
        all.extend_from_slice(args);
        hazmat(&all)
    };
    assert_usage_error(
        &kdf(&[&["hkdf", "--length", "8161"][..], &ikm].concat()),
        "255",
    );
    assert_usage_error(&kdf(&[&["hkdf", "--length", "0"][..], &ikm].concat()), "0");
    assert_usage_error(
        &kdf(&[&["hkdf", "--hash", "shake128"][..], &ikm].concat()),
        "extendable-output",
    );
    assert_usage_error(
        &kdf(&[&["hkdf", "--hash", "whirlpool"][..], &ikm].concat()),
        "whirlpool",
    );
    assert_usage_error(&kdf(&["hkdf"]), "--ikm-hex");
    assert_usage_error(&kdf(&["hkdf-extract"]), "--ikm-hex");
    assert_usage_error(
        &kdf(&[&["hkdf-extract", "--hash", "shake256"][..], &ikm].concat()),
        "extendable-output",
    );
    assert_usage_error(
        &kdf(&[&["hkdf-extract", "--length", "16"][..], &ikm].concat()),
        "--length",
    );
    assert_usage_error(
        &kdf(&[&["hkdf-extract", "--verify", "00", "--binary"][..], &ikm].concat()),
        "cannot be used",
    );
    assert_usage_error(
        &kdf(&["hkdf", "--ikm-hex", "00", "--ikm-file", "/etc/hostname"]),
        "cannot be used",
    );
    let bad = kdf(&["hkdf", "--ikm-hex", "s3cr3tzz"]);
    assert_usage_error(&bad, "--ikm-hex");
    assert!(!stderr(&bad).contains("s3cr3t"));
    let pw = ["--password-hex", "70617373"];
    assert_usage_error(
        &kdf(&[
            &["pbkdf2", "--salt-hex", "00", "--iterations", "0"][..],
            &pw,
        ]
        .concat()),
        "iterations",
    );
    assert_usage_error(
        &kdf(&[&["pbkdf2", "--salt-hex", "00"][..], &pw].concat()),
        "--iterations",
    );
    assert_usage_error(
        &kdf(&[
            &[
                "scrypt",
                "--salt-hex",
                "00",
                "--n",
                "1000",
                "--r",
                "8",
                "--p",
                "1",
            ][..],
            &pw,
        ]
        .concat()),
        "power of 2",
    );
    assert_usage_error(
        &kdf(&[
            &[
                "argon2id",
                "--salt-hex",
                "0011",
                "--iterations",
                "1",
                "--lanes",
                "1",
                "--memory-cost",
                "8",
            ][..],
            &pw,
        ]
        .concat()),
        "salt",
    );
    assert_usage_error(
        &kdf(&[
            &[
                "argon2id",
                "--salt-hex",
                &"00".repeat(16),
                "--iterations",
                "1",
                "--lanes",
                "2",
                "--memory-cost",
                "8",
            ][..],
            &pw,
        ]
        .concat()),
        "memory_cost",
    );
    let key = ["--key-hex", "000102030405060708090a0b0c0d0e0f"];
    assert_usage_error(
        &kdf(&[&["kbkdf-hmac", "--rlen", "5"][..], &key].concat()),
        "rlen",
    );
    // 40 bytes are 320 bits: more than a one-byte length field holds.
    assert_usage_error(
        &kdf(&[&["kbkdf-hmac", "--llen", "1", "--length", "40"][..], &key].concat()),
        "llen",
    );
    assert_usage_error(
        &kdf(&[&["kbkdf-hmac", "--location", "middle"][..], &key].concat()),
        "break_location",
    );
    assert_usage_error(
        &kdf(&[
            &["kbkdf-hmac", "--fixed-hex", "00", "--label-hex", "01"][..],
            &key,
        ]
        .concat()),
        "cannot be used",
    );
    assert_usage_error(
        &kdf(&[&["kbkdf-cmac", "--cipher", "aes-256"][..], &key].concat()),
        "32-byte key",
    );
    assert_usage_error(
        &kdf(&[&["kbkdf-cmac", "--cipher", "chacha20"][..], &key].concat()),
        "unknown block cipher",
    );
}
