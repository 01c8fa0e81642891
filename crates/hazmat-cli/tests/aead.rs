//! `hazmat encrypt` / `hazmat decrypt` with the AEADs added after GCM (ChaCha20-Poly1305,
//! AES-CCM, AES-OCB3, AES-SIV, AES-GCM-SIV), run as real processes. Round trips on every
//! backend; files opened by the library on the other backends (the chunked format through
//! `StreamDecryptor`, AES-SIV through its one-shot API: no independent command-line tool has
//! these AEADs, `openssl enc` refuses them); AES-SIV tampering and truncation exit 1 and leave
//! nothing behind; `--raw` is the construction's one message; the 256 MiB cap of one-message
//! AEADs; a backend without a construction is one line and exit 2. The chunked format's own
//! rules (every tamper class, chunk sizes, version-1 files) are in `tests/stream.rs`.

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms;
use support::{
    assert_decrypt_writes_nothing, assert_unsupported, assert_usage_error, data,
    default_serves_aead, expect_served, flip, hazmat, hazmat_stdin, key, key_hex,
    library_open_stream, stderr, Dir,
};

/// (cipher name, key bytes, nonce bytes of --raw and of version-1 files) of every AEAD added
/// after GCM.
const AEADS: &[(&str, usize, usize)] = &[
    ("chacha20-poly1305", 32, 12),
    ("aes-128-ccm", 16, 11),
    ("aes-192-ccm", 24, 11),
    ("aes-256-ccm", 32, 11),
    ("aes-128-ocb", 16, 12),
    ("aes-192-ocb", 24, 12),
    ("aes-256-ocb", 32, 12),
    ("aes-128-siv", 32, 16),
    ("aes-192-siv", 48, 16),
    ("aes-256-siv", 64, 16),
    ("aes-128-gcm-siv", 16, 12),
    ("aes-256-gcm-siv", 32, 12),
];

/// The library's construction for a cipher name.
fn construction(cipher: &str) -> AeadAlgorithm {
    if cipher == "chacha20-poly1305" {
        AeadAlgorithm::ChaCha20Poly1305
    } else if cipher.ends_with("-gcm-siv") {
        AeadAlgorithm::AesGcmSiv
    } else if cipher.ends_with("-siv") {
        AeadAlgorithm::AesSiv
    } else if cipher.ends_with("-ccm") {
        AeadAlgorithm::AesCcm
    } else if cipher.ends_with("-ocb") {
        AeadAlgorithm::AesOcb3
    } else {
        assert!(cipher.ends_with("-gcm"), "{cipher}");
        AeadAlgorithm::AesGcm
    }
}

fn is_siv(cipher: &str) -> bool {
    construction(cipher) == AeadAlgorithm::AesSiv
}

/// A version-1 header: (cipher name, nonce, header length).
fn parse_header(file: &[u8]) -> (String, Vec<u8>, usize) {
    assert_eq!(&file[..5], b"HZMT\x01", "magic and version");
    let n = usize::from(file[5]);
    let name = String::from_utf8(file[6..6 + n].to_vec()).expect("ASCII name");
    let m = usize::from(file[6 + n]);
    let nonce = file[7 + n..7 + n + m].to_vec();
    (name, nonce, 7 + n + m)
}

/// A version-2 header: (cipher name, chunk size, header length).
fn parse_stream_header(file: &[u8]) -> (String, usize, usize) {
    assert_eq!(&file[..5], b"HZMT\x02", "magic and version");
    let n = usize::from(file[5]);
    let name = String::from_utf8(file[6..6 + n].to_vec()).expect("ASCII name");
    let size = u32::from_be_bytes(file[6 + n..10 + n].try_into().expect("4 bytes"));
    (name, size as usize, 10 + n)
}

/// Which way [`library_one_shot`] runs a construction.
#[derive(Clone, Copy)]
enum Way {
    Seal,
    Open,
}

/// Seals or opens `input` with the library's one-shot API: associated data `aad` (AES-SIV: the
/// components `aad` then the nonce, as `hazmat` does).
fn library_one_shot(
    way: Way,
    cipher: &str,
    key: &[u8],
    nonce: &[u8],
    input: &[u8],
    aad: Option<&[u8]>,
    backend: Arc<dyn Backend>,
) -> pluggable_crypto::Result<Vec<u8>> {
    let ad = aad.unwrap_or_default();
    // Every construction but AES-SIV takes (nonce, data, associated data) both ways.
    macro_rules! run {
        ($aead:expr) => {
            match way {
                Way::Seal => $aead.encrypt(nonce, input, ad),
                Way::Open => $aead.decrypt(nonce, input, ad),
            }
        };
    }
    match construction(cipher) {
        AeadAlgorithm::ChaCha20Poly1305 => run!(ChaCha20Poly1305::with_backend(key, backend)?),
        AeadAlgorithm::AesCcm => run!(AesCcm::with_backend(key, 16, backend)?),
        AeadAlgorithm::AesOcb3 => run!(AesOcb3::with_backend(key, backend)?),
        AeadAlgorithm::AesGcmSiv => run!(AesGcmSiv::with_backend(key, backend)?),
        AeadAlgorithm::AesGcm => run!(AesGcm::with_backend(key, backend)?),
        AeadAlgorithm::AesSiv => {
            let components: Vec<&[u8]> = aad.into_iter().chain([nonce]).collect();
            let siv = AesSiv::with_backend(key, backend)?;
            match way {
                Way::Seal => siv.encrypt(input, &components),
                Way::Open => siv.decrypt(input, &components),
            }
        }
        other => panic!("{other:?}"),
    }
}

/// Whether `backend` runs `cipher` as `hazmat encrypt` does without --raw: the one-shot
/// construction with 16-byte tags (the chunked format seals each chunk with it; AES-SIV is one
/// message).
fn cli_supported(backend: &dyn Backend, cipher: &str, key: &[u8]) -> bool {
    backend.aead_supported(construction(cipher), key.len(), 16)
}

/// Whether `backend` runs `cipher` with --raw: the streaming ChaCha20-Poly1305 cipher, or the
/// one-shot construction.
fn raw_supported(backend: &dyn Backend, cipher: &str, key: &[u8]) -> bool {
    if cipher == "chacha20-poly1305" {
        let alg = algorithms::ChaCha20Poly1305Incremental::new(key, &[0; 12]).expect("valid");
        backend.cipher_supported(&alg, None)
    } else {
        backend.aead_supported(construction(cipher), key.len(), 16)
    }
}

/// The length of a chunked file: header, salt, plaintext, a tag per chunk (at least one).
fn stream_file_len(cipher: &str, len: usize, chunk_size: usize) -> usize {
    let chunks = len.div_ceil(chunk_size).max(1);
    10 + cipher.len() + 32 + len + 16 * chunks
}

/// Whether `backend`'s one-shot API has the construction (for the cross-checks).
fn one_shot_supported(backend: &dyn Backend, cipher: &str, key: &[u8]) -> bool {
    backend.aead_supported(construction(cipher), key.len(), 16)
}

/// Whether the default backend (`hazmat` without `--backend`) serves `cipher` as `encrypt`
/// does without --raw; a build with the Rust backend must (see `support::expect_served`).
fn default_serves(cipher: &str, key_len: usize) -> bool {
    default_serves_aead(construction(cipher), key_len)
}

fn encrypt_args<'a>(backend: &'a str, cipher: &'a str, key: &'a str) -> Vec<&'a str> {
    vec![
        "--backend",
        backend,
        "encrypt",
        "--cipher",
        cipher,
        "--key-hex",
        key,
    ]
}

/// Every new AEAD round-trips on the default backend and on each backend that serves it, at
/// lengths around a block and past one 64 KiB chunk; the file is the chunked format (AES-SIV:
/// a version-1 header, tag and ciphertext). One the default backend does not serve is one line
/// and exit 2 there, with no output file.
#[test]
fn round_trips_on_every_backend() {
    let dir = Dir::new();
    let backends = available_backends();
    let unserved_input = dir.file("unserved", &data(100));
    for &(cipher, key_len, nonce_len) in AEADS {
        let key = key(key_len);
        let key_hex = hex::encode(&key);
        let mut names: Vec<&str> = Vec::new();
        if default_serves(cipher, key_len) {
            names.push("default");
        } else {
            let enc = dir.path("enc");
            let mut args = encrypt_args("default", cipher, &key_hex);
            args.extend([unserved_input.as_str(), "-o", &enc]);
            assert_unsupported(&hazmat(&args), construction(cipher).name());
            assert!(
                !Path::new(&enc).exists(),
                "{cipher}: an output file appeared"
            );
        }
        names.extend(
            backends
                .iter()
                .filter(|b| cli_supported(&***b, cipher, &key))
                .map(|b| b.name()),
        );
        for backend in names {
            for len in [0usize, 1, 15, 16, 17, 1000, 70_000] {
                let plain = data(len);
                let input = dir.file("plain", &plain);
                let enc = dir.path("enc");
                let mut args = encrypt_args(backend, cipher, &key_hex);
                args.extend([input.as_str(), "-o", &enc]);
                let out = hazmat(&args);
                if len == 0 && is_siv(cipher) {
                    assert_usage_error(&out, "zero length");
                    assert!(!Path::new(&enc).exists());
                    continue;
                }
                assert!(
                    out.status.success(),
                    "{cipher} on {backend}: {}",
                    stderr(&out)
                );
                let sealed = std::fs::read(&enc).expect("encrypted output");
                if is_siv(cipher) {
                    let (name, nonce, header_len) = parse_header(&sealed);
                    assert_eq!(name, cipher);
                    assert_eq!(nonce.len(), nonce_len, "{cipher}: nonce length");
                    assert_eq!(sealed.len(), header_len + len + 16, "{cipher}: layout");
                } else {
                    let (name, chunk_size, _) = parse_stream_header(&sealed);
                    assert_eq!((name.as_str(), chunk_size), (cipher, 65536));
                    let expected = stream_file_len(cipher, len, chunk_size);
                    assert_eq!(sealed.len(), expected, "{cipher}: layout");
                }
                let dec = dir.path("dec");
                let out = hazmat(&[
                    "--backend",
                    backend,
                    "decrypt",
                    "--key-hex",
                    &key_hex,
                    &enc,
                    "-o",
                    &dec,
                ]);
                assert!(
                    out.status.success(),
                    "{cipher} on {backend}: {}",
                    stderr(&out)
                );
                assert_eq!(std::fs::read(&dec).expect("decrypted"), plain);
                std::fs::remove_file(&enc).expect("rm");
                std::fs::remove_file(&dec).expect("rm");
            }
        }
    }
}

/// Our files open with the library on every other backend that has the construction (the
/// chunked format with `StreamDecryptor`, the header as associated data; AES-SIV with its
/// one-shot API, the components header then nonce), and with `hazmat decrypt` on every other
/// backend.
#[test]
fn files_open_with_the_library_on_other_backends() {
    let dir = Dir::new();
    let backends = available_backends();
    let plain = data(150_000);
    let input = dir.file("plain", &plain);
    let mut cross_checks = 0;
    for &(cipher, key_len, _) in AEADS {
        let key = key(key_len);
        let key_hex = hex::encode(&key);
        for writer in backends
            .iter()
            .filter(|b| cli_supported(&***b, cipher, &key))
        {
            let enc = dir.path("enc");
            let mut args = encrypt_args(writer.name(), cipher, &key_hex);
            args.extend([input.as_str(), "-o", &enc]);
            let out = hazmat(&args);
            assert!(out.status.success(), "{cipher}: {}", stderr(&out));
            let file = std::fs::read(&enc).expect("enc");
            for reader in &backends {
                if reader.name() == writer.name() {
                    continue;
                }
                if one_shot_supported(&**reader, cipher, &key) {
                    let what = format!("{cipher} {} -> {}", writer.name(), reader.name());
                    let opened = if is_siv(cipher) {
                        let (_, nonce, header_len) = parse_header(&file);
                        let header = &file[..header_len];
                        library_one_shot(
                            Way::Open,
                            cipher,
                            &key,
                            &nonce,
                            &file[header_len..],
                            Some(header),
                            reader.clone(),
                        )
                    } else {
                        let (_, chunk_size, header_len) = parse_stream_header(&file);
                        library_open_stream(
                            construction(cipher),
                            chunk_size,
                            &key,
                            &file,
                            header_len,
                            reader.clone(),
                        )
                    }
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert_eq!(opened, plain, "{what}");
                    cross_checks += 1;
                }
                if cli_supported(&**reader, cipher, &key) {
                    let out = hazmat(&[
                        "--backend",
                        reader.name(),
                        "decrypt",
                        "--key-hex",
                        &key_hex,
                        &enc,
                    ]);
                    assert!(out.status.success(), "{cipher}: {}", stderr(&out));
                    assert_eq!(out.stdout, plain);
                }
            }
        }
    }
    if backends.len() > 1 {
        assert!(
            cross_checks >= AEADS.len(),
            "only {cross_checks} cross-checks ran"
        );
    }
}

/// AES-SIV (one message, version 1): a flipped ciphertext, tag or nonce byte, and truncation
/// each exit 1 with nothing on stdout, no output file, an existing output left as it was.
#[test]
fn siv_tampering_and_truncation_exit_1_without_output() {
    let dir = Dir::new();
    let plain = data(3000);
    let input = dir.file("plain", &plain);
    for &(cipher, key_len, _) in AEADS.iter().filter(|a| is_siv(a.0)) {
        let key_hex = key_hex(key_len);
        let enc = dir.path("enc");
        let mut args = encrypt_args("default", cipher, &key_hex);
        args.extend([input.as_str(), "-o", &enc]);
        assert!(hazmat(&args).status.success(), "{cipher}");
        let pristine = std::fs::read(&enc).expect("enc");
        let (_, nonce, header_len) = parse_header(&pristine);
        let (ciphertext_at, tag_at) = (header_len + 16 + 1000, header_len + 5);
        let nonce_at = header_len - 1;
        let existing = dir.file("existing", b"keep me");
        let check = |what: &str| {
            assert_decrypt_writes_nothing(&dir, &key_hex, &enc, &format!("{cipher} {what}"));
            let out = hazmat(&["decrypt", "--key-hex", &key_hex, &enc, "-o", &existing]);
            assert_eq!(out.status.code(), Some(1), "{cipher} {what}");
            assert_eq!(std::fs::read(&existing).expect("existing"), b"keep me");
        };
        for (what, at) in [
            ("ciphertext", ciphertext_at),
            ("tag", tag_at),
            ("nonce", nonce_at),
            ("first nonce byte", header_len - nonce.len()),
        ] {
            std::fs::write(&enc, &pristine).expect("restore");
            flip(&enc, at);
            check(what);
        }
        // Truncated: a byte short, and shorter than the tag.
        for keep in [pristine.len() - 1, header_len + 15, header_len] {
            std::fs::write(&enc, &pristine[..keep]).expect("truncate");
            check("truncated");
        }
        std::fs::remove_file(&existing).expect("rm");
    }
    // Nothing was left behind but the input and the encrypted file.
    assert_eq!(dir.names(), ["enc", "plain"]);
}

/// `--raw` writes exactly the construction's output with no associated data (AES-SIV: the
/// nonce as the only component), as the library produces it on every backend, and decrypts
/// back; without --iv-hex it is refused.
#[test]
fn raw_output_is_the_constructions_output() {
    let dir = Dir::new();
    let plain = data(777);
    let input = dir.file("plain", &plain);
    for &(cipher, key_len, nonce_len) in AEADS {
        let key = key(key_len);
        let key_hex = hex::encode(&key);
        let nonce: Vec<u8> = (0..nonce_len as u8).map(|i| 0xf0 ^ i).collect();
        let nonce_hex = hex::encode(&nonce);
        let raw = dir.path("raw");
        let mut args = encrypt_args("default", cipher, &key_hex);
        args.extend(["--raw", "--iv-hex", &nonce_hex, &input, "-o", &raw]);
        let out = hazmat(&args);
        let served = raw_supported(&*default_backend(), cipher, &key);
        if !expect_served(&format!("{cipher} --raw"), served) {
            // Neither way, and no output; the missing --iv-hex is still a usage error.
            let name = construction(cipher).name();
            assert_unsupported(&out, name);
            assert!(
                !Path::new(&raw).exists(),
                "{cipher}: an output file appeared"
            );
            let sealed = dir.file("sealed", &data(plain.len() + 16));
            let out = hazmat(&[
                "decrypt",
                "--raw",
                "--cipher",
                cipher,
                "--key-hex",
                &key_hex,
                "--iv-hex",
                &nonce_hex,
                &sealed,
            ]);
            assert_unsupported(&out, name);
            let mut args = encrypt_args("default", cipher, &key_hex);
            args.extend(["--raw", &input]);
            assert_usage_error(&hazmat(&args), "--iv-hex");
            continue;
        }
        assert!(out.status.success(), "{cipher}: {}", stderr(&out));
        let ours = std::fs::read(&raw).expect("raw");
        assert_eq!(ours.len(), plain.len() + 16);
        for backend in available_backends() {
            if !one_shot_supported(&*backend, cipher, &key) {
                continue;
            }
            let theirs = library_one_shot(
                Way::Seal,
                cipher,
                &key,
                &nonce,
                &plain,
                None,
                backend.clone(),
            )
            .expect("library seal");
            assert_eq!(
                ours,
                theirs,
                "{cipher} vs the library on {}",
                backend.name()
            );
        }
        let decrypt_raw = || {
            hazmat(&[
                "decrypt",
                "--raw",
                "--cipher",
                cipher,
                "--key-hex",
                &key_hex,
                "--iv-hex",
                &nonce_hex,
                &raw,
            ])
        };
        let out = decrypt_raw();
        assert!(out.status.success(), "{cipher}: {}", stderr(&out));
        assert_eq!(out.stdout, plain);
        // Raw AEAD output is still authenticated.
        flip(&raw, 3);
        let out = decrypt_raw();
        assert_eq!(out.status.code(), Some(1), "{cipher}");
        assert!(out.stdout.is_empty());
        std::fs::remove_file(&raw).expect("rm");
        let mut args = encrypt_args("default", cipher, &key_hex);
        args.extend(["--raw", &input]);
        assert_usage_error(&hazmat(&args), "--iv-hex");
    }
}

/// A fresh random salt (chunked format) or nonce (AES-SIV) per encryption; stdin to stdout
/// both ways.
#[test]
fn stdin_to_stdout_with_fresh_salts_and_nonces() {
    let plain = data(4321);
    for &(cipher, key_len, _) in AEADS {
        let key_hex = key_hex(key_len);
        let args = ["encrypt", "--cipher", cipher, "--key-hex", &key_hex];
        let first = hazmat_stdin(&args, &plain);
        if !default_serves(cipher, key_len) {
            assert_unsupported(&first, construction(cipher).name());
            continue;
        }
        assert!(first.status.success(), "{cipher}: {}", stderr(&first));
        let second = hazmat_stdin(&args, &plain);
        let fresh = |file: &[u8]| {
            if is_siv(cipher) {
                parse_header(file).1
            } else {
                let (_, _, header_len) = parse_stream_header(file);
                file[header_len..header_len + 32].to_vec()
            }
        };
        assert_ne!(
            fresh(&first.stdout),
            fresh(&second.stdout),
            "{cipher}: salt or nonce reused"
        );
        assert_ne!(first.stdout, second.stdout);
        let back = hazmat_stdin(&["decrypt", "--key-hex", &key_hex], &first.stdout);
        assert!(back.status.success(), "{cipher}: {}", stderr(&back));
        assert_eq!(back.stdout, plain);
        // A wrong key is an authentication failure, not garbage.
        let wrong = hex::encode(vec![0u8; key_len]);
        let out = hazmat_stdin(&["decrypt", "--key-hex", &wrong], &first.stdout);
        assert_eq!(out.status.code(), Some(1), "{cipher}");
        assert!(out.stdout.is_empty());
    }
}

/// One message is held in memory whole: AES-SIV, and CCM, OCB and GCM-SIV with --raw, refuse
/// inputs over 256 MiB before reading them, encrypting and decrypting (a version-1 file of an
/// earlier release too), and leave no output.
#[test]
fn one_message_inputs_over_256_mib_are_refused() {
    let dir = Dir::new();
    let big = dir.path("big");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(256 * 1024 * 1024 + 1).expect("sparse file");
    let key_hex = key_hex(32);
    let out_path = dir.path("out");
    for (cipher, raw, instead) in [
        ("aes-128-siv", false, "aes-256-gcm-siv"),
        ("aes-256-ocb", true, "without --raw"),
        ("aes-256-gcm-siv", true, "without --raw"),
        ("aes-256-ccm", true, "without --raw"),
    ] {
        let mut args = vec!["encrypt", "--cipher", cipher, "--key-hex", &key_hex];
        if raw {
            args.extend(["--raw", "--iv-hex", "000102030405060708090a"]);
            if !cipher.ends_with("ccm") {
                args.pop();
                args.push("000102030405060708090a0b");
            }
        }
        args.extend([big.as_str(), "-o", &out_path]);
        let out = hazmat(&args);
        let served = if raw {
            let key = hex::decode(&key_hex).expect("hex");
            expect_served(
                &format!("{cipher} --raw"),
                raw_supported(&*default_backend(), cipher, &key),
            )
        } else {
            default_serves(cipher, 32)
        };
        if served {
            assert_usage_error(&out, "256 MiB");
            assert!(stderr(&out).contains(instead), "{}", stderr(&out));
        } else {
            // A backend without the construction refuses it first.
            assert_unsupported(&out, construction(cipher).name());
        }
        assert!(!Path::new(&out_path).exists());
    }
    // A version-1 file whose body is over the limit (and its tag).
    let header = {
        let mut h = b"HZMT\x01\x0baes-256-ocb\x0c".to_vec();
        h.extend([7u8; 12]);
        h
    };
    let sealed = dir.path("sealed");
    let mut file = std::fs::File::create(&sealed).expect("create");
    file.write_all(&header).expect("header");
    file.set_len(header.len() as u64 + 256 * 1024 * 1024 + 17)
        .expect("sparse");
    let out = hazmat(&["decrypt", "--key-hex", &key_hex, &sealed, "-o", &out_path]);
    if default_serves("aes-256-ocb", 32) {
        assert_usage_error(&out, "256 MiB");
    } else {
        assert_unsupported(&out, construction("aes-256-ocb").name());
    }
    assert!(!Path::new(&out_path).exists());
}

/// A backend without a construction answers with one line and exit 2, before reading input or
/// writing output; ring, which has no streaming ciphers, serves the chunked ChaCha20-Poly1305
/// (its one-shot construction seals each chunk) but not its --raw form.
#[test]
fn unsupported_constructions_exit_2_with_one_line() {
    let dir = Dir::new();
    let input = dir.file("plain", b"some data");
    let out_path = dir.path("out");
    let mut refused = 0;
    for backend in available_backends() {
        for &(cipher, key_len, nonce_len) in AEADS {
            let key = key(key_len);
            let key_hex = hex::encode(&key);
            let nonce_hex = hex::encode(vec![0u8; nonce_len]);
            for raw in [false, true] {
                let supported = if raw {
                    raw_supported(&*backend, cipher, &key)
                } else {
                    cli_supported(&*backend, cipher, &key)
                };
                let mut args = encrypt_args(backend.name(), cipher, &key_hex);
                if raw {
                    args.extend(["--raw", "--iv-hex", &nonce_hex]);
                }
                args.extend([input.as_str(), "-o", &out_path]);
                let out = hazmat(&args);
                if supported {
                    assert!(out.status.success(), "{cipher}: {}", stderr(&out));
                    std::fs::remove_file(&out_path).expect("rm");
                    continue;
                }
                assert_usage_error(&out, "unsupported");
                assert!(!Path::new(&out_path).exists());
                refused += 1;
            }
        }
    }
    if cfg!(feature = "ring") {
        assert!(refused > 0);
        let ring = available_backends()
            .into_iter()
            .find(|b| b.name() == "ring")
            .expect("ring is compiled in");
        assert!(cli_supported(&*ring, "chacha20-poly1305", &key(32)));
        assert!(!raw_supported(&*ring, "chacha20-poly1305", &key(32)));
    }
}

/// Key, nonce and name errors are one line and exit 2.
#[test]
fn argument_errors() {
    let dir = Dir::new();
    let input = dir.file("plain", b"hello");
    let run = |cipher: &str, key_len: usize, extra: &[&str]| {
        let key_hex = key_hex(key_len);
        let mut args = vec!["encrypt", "--cipher", cipher, "--key-hex", &key_hex];
        args.extend_from_slice(extra);
        args.push(&input);
        hazmat(&args)
    };
    assert_usage_error(
        &run("aes-256-siv", 32, &[]),
        "64-byte key (two AES-256 keys)",
    );
    assert_usage_error(
        &run("aes-128-siv", 16, &[]),
        "32-byte key (two AES-128 keys)",
    );
    assert_usage_error(&run("aes-512-siv", 64, &[]), "aes-256-siv 64");
    assert_usage_error(&run("aes-192-gcm-siv", 24, &[]), "unknown cipher");
    assert_usage_error(&run("camellia-128-ocb", 16, &[]), "unknown cipher");
    assert_usage_error(&run("chacha20-poly1305", 16, &[]), "32-byte key");
    assert_usage_error(&run("aes-128-ccm", 24, &[]), "16-byte key");
    // The chunked format takes no nonce; --raw takes one of the construction's sizes.
    for cipher in ["chacha20-poly1305", "aes-128-ocb", "aes-128-ccm"] {
        let key_len = if cipher.starts_with("chacha") { 32 } else { 16 };
        assert_usage_error(&run(cipher, key_len, &["--iv-hex", "00112233"]), "nonce");
        assert_usage_error(
            &run(cipher, key_len, &["--raw", "--iv-hex", "0011"]),
            "nonce",
        );
    }
    // A given nonce of a valid length is used as given.
    let out = run(
        "aes-128-ccm",
        16,
        &["--raw", "--iv-hex", "00112233445566778899aabbcc"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let key = key(16);
    let nonce = hex::decode("00112233445566778899aabbcc").expect("hex");
    let opened = library_one_shot(
        Way::Open,
        "aes-128-ccm",
        &key,
        &nonce,
        &out.stdout,
        None,
        pluggable_crypto::hazmat::backends::default_backend(),
    )
    .expect("opens with the given nonce");
    assert_eq!(opened, b"hello");
    // AES-SIV keeps its given nonce in the version-1 header.
    let out = run("aes-128-siv", 32, &["--iv-hex", &"ab".repeat(16)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, nonce, _) = parse_header(&out.stdout);
    assert_eq!(nonce, [0xab; 16]);
}
