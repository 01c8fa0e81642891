//! The chunked AEAD file format (header version 2) of `hazmat encrypt` / `hazmat decrypt`, run
//! as real processes: round trips of every AEAD at the chunk boundaries; the files are exactly
//! the library's STREAM (`StreamDecryptor` opens them and `StreamEncryptor` reproduces them
//! byte for byte, the header as associated data, on every backend); every tamper class
//! (header, salt, chunk and tag bytes, truncation at and between chunk boundaries, dropped,
//! swapped, duplicated and spliced chunks, appended bytes) exits 1 and writes nothing, to a
//! file or to stdout; version-1 files of the earlier release still decrypt; `--chunk-size`;
//! inputs past the old 256 MiB cap in constant memory.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{
    available_backends, default_backend, AeadAlgorithm, Backend,
};
use pluggable_crypto::hazmat::primitives::aead::stream::{StreamEncryptor, StreamParams};
use pluggable_crypto::hazmat::primitives::aead::{AesGcm, ChaCha20Poly1305};
use support::{
    assert_decrypt_writes_nothing, assert_unsupported, assert_usage_error, data,
    default_serves_aead, hazmat, hazmat_stdin, key, key_hex, library_open_stream as library_open,
    stderr, Dir, HAZMAT,
};

/// (cipher name, key bytes, construction) of every AEAD of the chunked format.
const STREAM_AEADS: &[(&str, usize, AeadAlgorithm)] = &[
    ("aes-128-gcm", 16, AeadAlgorithm::AesGcm),
    ("aes-192-gcm", 24, AeadAlgorithm::AesGcm),
    ("aes-256-gcm", 32, AeadAlgorithm::AesGcm),
    ("chacha20-poly1305", 32, AeadAlgorithm::ChaCha20Poly1305),
    ("aes-128-ccm", 16, AeadAlgorithm::AesCcm),
    ("aes-192-ccm", 24, AeadAlgorithm::AesCcm),
    ("aes-256-ccm", 32, AeadAlgorithm::AesCcm),
    ("aes-128-ocb", 16, AeadAlgorithm::AesOcb3),
    ("aes-192-ocb", 24, AeadAlgorithm::AesOcb3),
    ("aes-256-ocb", 32, AeadAlgorithm::AesOcb3),
    ("aes-128-gcm-siv", 16, AeadAlgorithm::AesGcmSiv),
    ("aes-256-gcm-siv", 32, AeadAlgorithm::AesGcmSiv),
];

const SALT: usize = 32;
const TAG: usize = 16;

/// The version-2 header the tool must write, built here from the documented layout.
fn expected_header(cipher: &str, chunk_size: u32) -> Vec<u8> {
    let mut header = b"HZMT\x02".to_vec();
    header.push(cipher.len() as u8);
    header.extend_from_slice(cipher.as_bytes());
    header.extend_from_slice(&chunk_size.to_be_bytes());
    header
}

/// Seals `plaintext` with the library under `salt`, after `header`: the whole file.
fn library_file(
    algorithm: AeadAlgorithm,
    chunk_size: usize,
    key: &[u8],
    header: &[u8],
    salt: Option<&[u8; SALT]>,
    plaintext: &[u8],
    backend: Arc<dyn Backend>,
) -> Vec<u8> {
    let params = StreamParams::new(algorithm, chunk_size).expect("params");
    let mut encryptor = match salt {
        Some(salt) => {
            StreamEncryptor::with_salt(header.to_vec(), params, key, header, salt, backend)
        }
        None => StreamEncryptor::new(header.to_vec(), params, key, header, backend),
    }
    .expect("encryptor");
    // In uneven pieces, as a caller would write.
    for piece in plaintext.chunks(77) {
        encryptor.update(piece).expect("update");
    }
    encryptor.finish().expect("finish")
}

/// `encrypt --cipher CIPHER --chunk-size 100 --key-hex KEY INPUT`: small chunks, so that a
/// short input has several.
fn encrypt_in_100_byte_chunks<'a>(
    cipher: &'a str,
    key_hex: &'a str,
    input: &'a str,
) -> Vec<&'a str> {
    vec![
        "encrypt",
        "--cipher",
        cipher,
        "--chunk-size",
        "100",
        "--key-hex",
        key_hex,
        input,
    ]
}

fn serves(backend: &dyn Backend, algorithm: AeadAlgorithm, key_len: usize) -> bool {
    backend.aead_supported(algorithm, key_len, TAG)
}

/// The construction of an AEAD cipher name: the chunked ones, and AES-SIV (version 1 only).
fn construction(cipher: &str) -> AeadAlgorithm {
    match STREAM_AEADS.iter().find(|a| a.0 == cipher) {
        Some(&(_, _, algorithm)) => algorithm,
        None => {
            assert!(cipher.ends_with("-siv"), "{cipher}");
            AeadAlgorithm::AesSiv
        }
    }
}

/// What the tool does with a chunked AEAD the default backend does not serve: encrypting (to
/// a file, with and without --chunk-size, and to stdout) and decrypting a file whose header
/// names it each exit 2 with one line calling it unsupported, and write nothing.
fn assert_unserved_stream(dir: &Dir, cipher: &str, key_hex: &str) {
    let name = construction(cipher).name();
    let input = dir.file("unserved.plain", &data(300));
    let out_path = dir.path("unserved");
    for chunk_size in [None, Some("100")] {
        let mut args = vec!["encrypt", "--cipher", cipher, "--key-hex", key_hex];
        if let Some(size) = chunk_size {
            args.extend(["--chunk-size", size]);
        }
        args.extend([input.as_str(), "-o", &out_path]);
        assert_unsupported(&hazmat(&args), name);
        assert!(!Path::new(&out_path).exists(), "{cipher}: an output file");
    }
    let args = ["encrypt", "--cipher", cipher, "--key-hex", key_hex];
    assert_unsupported(&hazmat_stdin(&args, &data(300)), name);
    // A well-formed file of three chunks (the bytes after the header cannot authenticate, but
    // the construction is refused before any chunk is opened).
    let mut file = expected_header(cipher, 100);
    file.extend(data(SALT + 3 * (100 + TAG)));
    let enc = dir.file("unserved.enc", &file);
    let out = hazmat(&["decrypt", "--key-hex", key_hex, &enc, "-o", &out_path]);
    assert_unsupported(&out, name);
    assert!(!Path::new(&out_path).exists(), "{cipher}: an output file");
    assert_unsupported(
        &hazmat_stdin(&["decrypt", "--key-hex", key_hex], &file),
        name,
    );
    std::fs::remove_file(&enc).expect("rm");
    std::fs::remove_file(&input).expect("rm");
}

/// Every AEAD, at 0, 1, chunk - 1, chunk, chunk + 1 and several chunks, with a 64-byte chunk
/// and the default 64 KiB: the header is the documented one, the length is header + salt +
/// plaintext + a tag per chunk, the tool decrypts it, and so does the library's
/// `StreamDecryptor` with the header as associated data. An AEAD the default backend does not
/// serve is refused both ways with exit 2 and nothing written.
#[test]
fn round_trips_every_aead_at_chunk_boundaries() {
    let dir = Dir::new();
    for &(cipher, key_len, algorithm) in STREAM_AEADS {
        let key = key(key_len);
        let key_hex = hex::encode(&key);
        if !default_serves_aead(algorithm, key_len) {
            assert_unserved_stream(&dir, cipher, &key_hex);
            continue;
        }
        for (option, chunk) in [(Some("64"), 64usize), (None, 65536)] {
            for len in [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 5] {
                let plain = data(len);
                let input = dir.file("plain", &plain);
                let enc = dir.path("enc");
                let mut args = vec!["encrypt", "--cipher", cipher, "--key-hex", &key_hex];
                if let Some(size) = option {
                    args.extend(["--chunk-size", size]);
                }
                args.extend([input.as_str(), "-o", &enc]);
                let out = hazmat(&args);
                assert!(out.status.success(), "{cipher} {len}: {}", stderr(&out));
                assert!(out.stdout.is_empty() && out.stderr.is_empty());
                let file = std::fs::read(&enc).expect("enc");
                let header = expected_header(cipher, chunk as u32);
                assert_eq!(file[..header.len()], header[..], "{cipher}: header");
                let chunks = len.div_ceil(chunk).max(1);
                assert_eq!(
                    file.len(),
                    header.len() + SALT + len + TAG * chunks,
                    "{cipher} {len}: layout"
                );
                let dec = dir.path("dec");
                let out = hazmat(&["decrypt", "--key-hex", &key_hex, &enc, "-o", &dec]);
                assert!(out.status.success(), "{cipher} {len}: {}", stderr(&out));
                assert_eq!(std::fs::read(&dec).expect("dec"), plain, "{cipher} {len}");
                let opened = library_open(
                    algorithm,
                    chunk,
                    &key,
                    &file,
                    header.len(),
                    default_backend(),
                )
                .unwrap_or_else(|e| panic!("{cipher} {len}: the library says {e}"));
                assert_eq!(opened, plain, "{cipher} {len}: library");
                std::fs::remove_file(&dec).expect("rm");
            }
        }
    }
}

/// A file the tool writes on any backend is exactly the library's stream: every other backend
/// opens it with `StreamDecryptor` (header as associated data) and reproduces it byte for byte
/// with `StreamEncryptor::with_salt` and the file's salt; a stream the library writes after the
/// header decrypts with the tool on every backend. Every AEAD the default backend serves has
/// at least one such check; one it does not serve is refused with exit 2.
#[test]
fn files_are_the_library_stream_on_every_backend() {
    let dir = Dir::new();
    let plain = data(1000);
    let input = dir.file("plain", &plain);
    let backends = available_backends();
    let (mut checks, mut served) = (0, 0);
    for &(cipher, key_len, algorithm) in STREAM_AEADS {
        let key = key(key_len);
        let key_hex = hex::encode(&key);
        if default_serves_aead(algorithm, key_len) {
            served += 1;
        } else {
            assert_unserved_stream(&dir, cipher, &key_hex);
        }
        let header = expected_header(cipher, 100);
        let serving: Vec<&Arc<dyn Backend>> = backends
            .iter()
            .filter(|b| serves(&***b, algorithm, key_len))
            .collect();
        for writer in &serving {
            let enc = dir.path("enc");
            let mut args = vec!["--backend", writer.name()];
            args.extend(encrypt_in_100_byte_chunks(cipher, &key_hex, &input));
            args.extend(["-o", &enc]);
            let out = hazmat(&args);
            assert!(out.status.success(), "{cipher}: {}", stderr(&out));
            let file = std::fs::read(&enc).expect("enc");
            let salt: [u8; SALT] = file[header.len()..header.len() + SALT]
                .try_into()
                .expect("salt");
            for reader in &serving {
                let what = format!("{cipher} {} -> {}", writer.name(), reader.name());
                let opened =
                    library_open(algorithm, 100, &key, &file, header.len(), (*reader).clone())
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(opened, plain, "{what}");
                let again = library_file(
                    algorithm,
                    100,
                    &key,
                    &header,
                    Some(&salt),
                    &plain,
                    (*reader).clone(),
                );
                assert!(again == file, "{what}");
                checks += 1;
            }
            // The library writes, the tool reads.
            let theirs = library_file(
                algorithm,
                100,
                &key,
                &header,
                None,
                &plain,
                (*writer).clone(),
            );
            let theirs_path = dir.file("theirs", &theirs);
            for reader in &serving {
                let out = hazmat(&[
                    "--backend",
                    reader.name(),
                    "decrypt",
                    "--key-hex",
                    &key_hex,
                    &theirs_path,
                ]);
                assert!(out.status.success(), "{cipher}: {}", stderr(&out));
                assert!(out.stdout == plain, "{cipher} {}", reader.name());
            }
        }
    }
    assert!(
        served > 0 && checks >= served,
        "only {checks} checks ran for {served} served AEADs"
    );
}

/// The variants of a sealed file: (what, bytes). `sealed` has `chunk_size`-byte chunks after
/// `header_len` header bytes and the salt; `other` is another encryption of the same plaintext
/// under the same key (another salt).
fn tampered(
    sealed: &[u8],
    other: &[u8],
    header_len: usize,
    chunk_size: usize,
) -> Vec<(String, Vec<u8>)> {
    let body = header_len + SALT;
    let full = chunk_size + TAG;
    let starts: Vec<usize> = (body..sealed.len()).step_by(full).collect();
    let n = starts.len();
    assert!(n >= 3, "the tamper tests need three chunks or more");
    let chunk = |i: usize| sealed[starts[i]..(starts[i] + full).min(sealed.len())].to_vec();
    let assemble = |order: &[Vec<u8>]| {
        let mut bytes = sealed[..body].to_vec();
        for c in order {
            bytes.extend_from_slice(c);
        }
        bytes
    };
    let chunks: Vec<Vec<u8>> = (0..n).map(chunk).collect();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut flip = |what: String, at: usize| {
        let mut bytes = sealed.to_vec();
        bytes[at] ^= 0x01;
        out.push((what, bytes));
    };
    // The chunk size in the header: authenticated as associated data of every chunk.
    flip("chunk size".into(), header_len - 1);
    for at in [0, 15, SALT - 1] {
        flip(format!("salt byte {at}"), header_len + at);
    }
    for (i, &start) in starts.iter().enumerate() {
        let end = (start + full).min(sealed.len());
        flip(format!("chunk {i} ciphertext"), start);
        flip(format!("chunk {i} tag"), end - 1);
    }
    out.push(("header only".into(), sealed[..header_len].to_vec()));
    out.push((
        "truncated in the salt".into(),
        sealed[..header_len + 10].to_vec(),
    ));
    for (i, &start) in starts.iter().enumerate() {
        out.push((
            format!("truncated at the start of chunk {i}"),
            sealed[..start].to_vec(),
        ));
        out.push((
            format!("truncated inside chunk {i}"),
            sealed[..start + 7].to_vec(),
        ));
    }
    out.push(("last byte cut".into(), sealed[..sealed.len() - 1].to_vec()));
    for i in 0..n {
        let mut order = chunks.clone();
        order.remove(i);
        out.push((format!("chunk {i} dropped"), assemble(&order)));
    }
    for (i, j) in [(0, 1), (1, 2), (n - 2, n - 1), (0, n - 1)] {
        let mut order = chunks.clone();
        order.swap(i, j);
        out.push((format!("chunks {i} and {j} swapped"), assemble(&order)));
    }
    for i in [0, n - 2, n - 1] {
        let mut order = chunks.clone();
        order.insert(i, chunks[i].clone());
        out.push((format!("chunk {i} duplicated"), assemble(&order)));
    }
    // Chunk 1 of another file under the same key: another salt, another stream key.
    let mut order = chunks.clone();
    order[1] = other[starts[1]..starts[1] + full].to_vec();
    out.push(("chunk 1 from another file".into(), assemble(&order)));
    let mut salt_swapped = other[..body].to_vec();
    salt_swapped.extend_from_slice(&sealed[body..]);
    out.push(("salt of another file".into(), salt_swapped));
    for extra in [&[0u8][..], &[0u8; 16][..], &chunks[n - 1][..]] {
        let mut bytes = sealed.to_vec();
        bytes.extend_from_slice(extra);
        out.push((format!("{} bytes appended", extra.len()), bytes));
    }
    out
}

/// Decrypting `bytes` exits 1 with one line on stderr, and writes nothing: no output file,
/// nothing on stdout (from a file and from a pipe).
fn assert_rejected(dir: &Dir, key_hex: &str, bytes: &[u8], what: &str) {
    let enc = dir.file("tampered", bytes);
    assert_decrypt_writes_nothing(dir, key_hex, &enc, what);
    let out = hazmat_stdin(&["decrypt", "--key-hex", key_hex], bytes);
    assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{what}: plaintext on stdout");
}

/// Every tamper class exits 1 and writes nothing, for each construction the default backend
/// serves, with a last chunk shorter than the others and with one exactly full (one it does not
/// serve is refused with exit 2).
#[test]
fn every_tamper_class_exits_1_and_writes_nothing() {
    let dir = Dir::new();
    for &(cipher, key_len) in &[
        ("aes-256-gcm", 32),
        ("chacha20-poly1305", 32),
        ("aes-128-ccm", 16),
        ("aes-192-ocb", 24),
        ("aes-256-gcm-siv", 32),
    ] {
        let key_hex = key_hex(key_len);
        if !default_serves_aead(construction(cipher), key_len) {
            assert_unserved_stream(&dir, cipher, &key_hex);
            continue;
        }
        for len in [450, 400] {
            let input = dir.file("plain", &data(len));
            let seal = || {
                let out = hazmat(&encrypt_in_100_byte_chunks(cipher, &key_hex, &input));
                assert!(out.status.success(), "{cipher}: {}", stderr(&out));
                out.stdout
            };
            let (sealed, other) = (seal(), seal());
            let header_len = expected_header(cipher, 100).len();
            let variants = tampered(&sealed, &other, header_len, 100);
            assert!(variants.len() >= 39, "{}", variants.len());
            for (what, bytes) in variants {
                assert_ne!(bytes, sealed, "{what}");
                assert_rejected(&dir, &key_hex, &bytes, &format!("{cipher} {len}: {what}"));
            }
            // The pristine file still decrypts; a wrong key fails at chunk 0.
            let enc = dir.file("enc", &sealed);
            let out = hazmat(&["decrypt", "--key-hex", &key_hex, &enc]);
            assert!(out.status.success() && out.stdout == data(len), "{cipher}");
            let out = hazmat(&["decrypt", "--key-hex", &"00".repeat(key_len), &enc]);
            assert_eq!(out.status.code(), Some(1));
            assert!(stderr(&out).contains("chunk 0"), "{}", stderr(&out));
            assert!(out.stdout.is_empty());
        }
    }
    // Another AEAD of the same key size named in the header: the header is authenticated.
    let key_hex = key_hex(32);
    let input = dir.file("plain", &data(300));
    let out = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-256-gcm",
        "--key-hex",
        &key_hex,
        &input,
    ]);
    assert!(out.status.success());
    for other in ["aes-256-ocb", "aes-256-ccm"] {
        let mut renamed = out.stdout.clone();
        renamed[6..17].copy_from_slice(other.as_bytes());
        assert_rejected(&dir, &key_hex, &renamed, other);
    }
    // An existing output file is left as it was.
    let mut bad = out.stdout.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let enc = dir.file("enc", &bad);
    let existing = dir.file("existing", b"keep me");
    let failed = hazmat(&["decrypt", "--key-hex", &key_hex, &enc, "-o", &existing]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(std::fs::read(&existing).expect("existing"), b"keep me");
    // No temporary file was left behind.
    assert_eq!(dir.names(), ["enc", "existing", "plain", "tampered"]);
}

/// Any header byte flipped: exit 1 (an authenticated field changed) or 2 (no longer a header of
/// ours, a cipher or key that does not fit), one line, and nothing written.
#[test]
fn every_header_byte_flipped_writes_nothing() {
    let dir = Dir::new();
    let key_hex = key_hex(32);
    let input = dir.file("plain", &data(250));
    let out = hazmat(&encrypt_in_100_byte_chunks("aes-256-gcm", &key_hex, &input));
    assert!(out.status.success());
    let header_len = expected_header("aes-256-gcm", 100).len();
    for at in 0..header_len {
        for bit in [0x01u8, 0x80] {
            let mut bytes = out.stdout.clone();
            bytes[at] ^= bit;
            let enc = dir.file("enc", &bytes);
            let dec = dir.path("dec");
            let result = hazmat(&["decrypt", "--key-hex", &key_hex, &enc, "-o", &dec]);
            let code = result.status.code();
            assert!(
                code == Some(1) || code == Some(2),
                "byte {at}: {code:?} {}",
                stderr(&result)
            );
            assert_eq!(stderr(&result).lines().count(), 1, "byte {at}");
            assert!(!Path::new(&dec).exists(), "byte {at}");
            let result = hazmat(&["decrypt", "--key-hex", &key_hex, &enc]);
            assert!(result.stdout.is_empty(), "byte {at}: plaintext on stdout");
        }
    }
    // Relabelled as version 1: read as one message whose "nonce" is the chunk size's bytes,
    // with another header as associated data; it cannot authenticate.
    let mut downgraded = out.stdout.clone();
    downgraded[4] = 1;
    let enc = dir.file("enc", &downgraded);
    let result = hazmat(&["decrypt", "--key-hex", &key_hex, &enc]);
    assert!(!result.status.success());
    assert!(result.stdout.is_empty());
}

/// To stdout, nothing appears unless the whole stream authenticates, even when most chunks do:
/// the plaintext goes to a temporary file first (constant memory), copied out only at the end.
#[test]
fn stdout_gets_nothing_unless_the_whole_stream_authenticates() {
    let key_hex = key_hex(32);
    let plain = data(10_000);
    let out = hazmat_stdin(
        &[
            "encrypt",
            "--cipher",
            "chacha20-poly1305",
            "--chunk-size",
            "64",
            "--key-hex",
            &key_hex,
        ],
        &plain,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sealed = out.stdout;
    let back = hazmat_stdin(&["decrypt", "--key-hex", &key_hex], &sealed);
    assert!(back.status.success() && back.stdout == plain);
    // 157 chunks; the last (16 bytes of plaintext) cut off at its start (chunk 155 is then
    // taken for the last and fails), then inside it (chunk 156 fails).
    let last_start = sealed.len() - (16 + TAG);
    for (keep, failing) in [(last_start, 155), (sealed.len() - 1, 156)] {
        let out = hazmat_stdin(&["decrypt", "--key-hex", &key_hex], &sealed[..keep]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            out.stdout.is_empty(),
            "{} bytes on stdout",
            out.stdout.len()
        );
        let expected = format!("authentication failed at chunk {failing}:");
        assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    }
}

/// `--chunk-size` takes bytes or K/M suffixes from 1 byte to 4 MiB and lands in the header;
/// it is refused with --raw and for ciphers that are not chunked. Headers claiming chunk sizes
/// outside that range are refused before any decryption.
#[test]
fn chunk_size_option() {
    let dir = Dir::new();
    let input = dir.file("plain", &data(5000));
    let key_hex = key_hex(16);
    let encrypt = |cipher: &str, extra: &[&str]| {
        let mut args = vec!["encrypt", "--cipher", cipher, "--key-hex", &key_hex];
        args.extend_from_slice(extra);
        args.push(&input);
        hazmat(&args)
    };
    for (given, size) in [
        ("1", 1u32),
        ("100", 100),
        ("64K", 65536),
        ("64kib", 65536),
        ("1M", 1 << 20),
        ("4M", 4 << 20),
        ("4096K", 4 << 20),
    ] {
        let out = encrypt("aes-128-gcm", &["--chunk-size", given]);
        assert!(out.status.success(), "{given}: {}", stderr(&out));
        let header = expected_header("aes-128-gcm", size);
        assert_eq!(out.stdout[..header.len()], header[..], "{given}");
        let enc = dir.file("enc", &out.stdout);
        let back = hazmat(&["decrypt", "--key-hex", &key_hex, &enc]);
        assert!(
            back.status.success() && back.stdout == data(5000),
            "{given}"
        );
    }
    for bad in [
        "0",
        "4097K",
        "5M",
        "1G",
        "abc",
        "-1",
        "",
        "12.5K",
        "99999999999999999999",
    ] {
        let option = format!("--chunk-size={bad}");
        assert_usage_error(&encrypt("aes-128-gcm", &[&option]), "--chunk-size");
    }
    assert_usage_error(
        &encrypt(
            "aes-128-gcm",
            &["--chunk-size", "64K", "--raw", "--iv-hex", &"00".repeat(12)],
        ),
        "--raw",
    );
    assert_usage_error(
        &encrypt("aes-128-cbc", &["--chunk-size", "64K"]),
        "not chunked",
    );
    let siv_key = hex::encode(key(32));
    let out = hazmat(&[
        "encrypt",
        "--cipher",
        "aes-128-siv",
        "--key-hex",
        &siv_key,
        "--chunk-size",
        "64K",
        &input,
    ]);
    assert_usage_error(&out, "not chunked");
    // Decryption reads the chunk size from the header; a header outside the range is refused.
    let out = hazmat(&[
        "decrypt",
        "--key-hex",
        &key_hex,
        "--chunk-size",
        "1",
        &input,
    ]);
    assert_eq!(out.status.code(), Some(2));
    for size in [0u32, (4 << 20) + 1, u32::MAX] {
        let mut file = expected_header("aes-128-gcm", size);
        file.extend_from_slice(&[0u8; 100]);
        let enc = dir.file("enc", &file);
        assert_usage_error(
            &hazmat(&["decrypt", "--key-hex", &key_hex, &enc]),
            "chunk size",
        );
    }
    // A version-2 header may only name a chunked AEAD; --cipher must agree with the header.
    for cipher in ["aes-128-siv", "aes-128-cbc"] {
        let mut file = expected_header(cipher, 100);
        file.extend_from_slice(&[0u8; 100]);
        let enc = dir.file("enc", &file);
        assert_usage_error(
            &hazmat(&["decrypt", "--key-hex", &"00".repeat(32), &enc]),
            "not chunked",
        );
    }
    let out = encrypt("aes-128-gcm", &[]);
    let enc = dir.file("enc", &out.stdout);
    assert_usage_error(
        &hazmat(&[
            "decrypt",
            "--cipher",
            "aes-128-ocb",
            "--key-hex",
            &key_hex,
            &enc,
        ]),
        "encrypted with aes-128-gcm",
    );
    let out = hazmat(&[
        "decrypt",
        "--cipher",
        "AES-128-GCM",
        "--key-hex",
        &key_hex,
        &enc,
    ]);
    assert!(out.status.success() && out.stdout == data(5000));
}

/// Version-1 AEAD files still decrypt: those the earlier release wrote (committed under
/// `tests/data/v1`, every AEAD), and those made here with the library's one-shot AEADs (the
/// header as associated data); a flipped byte in either still fails with exit 1. A fixture of
/// an AEAD the default backend does not serve is refused with exit 2 and nothing written.
#[test]
fn version_1_files_still_decrypt() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1");
    let plain = std::fs::read(fixtures.join("plain.txt")).expect("plain.txt");
    let dir = Dir::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        let Some(cipher) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".hzmt"))
        else {
            continue;
        };
        let key_len = match cipher {
            "aes-128-siv" => 32,
            "aes-256-siv" => 64,
            "chacha20-poly1305" => 32,
            c if c.starts_with("aes-128") => 16,
            c if c.starts_with("aes-192") => 24,
            _ => 32,
        };
        let key_hex = key_hex(key_len);
        let file = std::fs::read(&path).expect("fixture");
        assert_eq!(&file[..5], b"HZMT\x01", "{cipher}");
        let name = path.to_str().expect("utf-8");
        seen += 1;
        let algorithm = construction(cipher);
        if !default_serves_aead(algorithm, key_len) {
            let dec = dir.path("dec");
            let out = hazmat(&["decrypt", "--key-hex", &key_hex, name, "-o", &dec]);
            assert_unsupported(&out, algorithm.name());
            assert!(!Path::new(&dec).exists(), "{cipher}: an output file");
            let out = hazmat(&["decrypt", "--key-hex", &key_hex, name]);
            assert_unsupported(&out, algorithm.name());
            continue;
        }
        let out = hazmat(&["decrypt", "--key-hex", &key_hex, name]);
        assert!(out.status.success(), "{cipher}: {}", stderr(&out));
        assert!(out.stdout == plain, "{cipher}");
        let mut bad = file.clone();
        bad[file.len() / 2] ^= 0x01;
        assert_rejected(&dir, &key_hex, &bad, cipher);
    }
    assert_eq!(seen, 12, "every AEAD has a version-1 fixture");
    // Made with the library: AES-GCM and ChaCha20-Poly1305 one-shot, header as associated data.
    let nonce = [0x5a; 12];
    for (cipher, key_len) in [("aes-256-gcm", 32), ("chacha20-poly1305", 32)] {
        let key = key(key_len);
        let mut header = b"HZMT\x01".to_vec();
        header.push(cipher.len() as u8);
        header.extend_from_slice(cipher.as_bytes());
        header.push(12);
        header.extend_from_slice(&nonce);
        let sealed = if cipher == "aes-256-gcm" {
            AesGcm::new(&key).and_then(|a| a.encrypt(&nonce, &plain, &header))
        } else {
            ChaCha20Poly1305::new(&key).and_then(|a| a.encrypt(&nonce, &plain, &header))
        }
        .expect("seal");
        let mut file = header;
        file.extend_from_slice(&sealed);
        let enc = dir.file("v1", &file);
        let out = hazmat(&["decrypt", "--key-hex", &hex::encode(&key), &enc]);
        assert!(out.status.success(), "{cipher}: {}", stderr(&out));
        assert!(out.stdout == plain, "{cipher}");
    }
}

/// Peak resident memory of a child process in KiB, from `/usr/bin/time -f %M` (None where it is
/// missing).
fn peak_rss_kib(args: &[&str]) -> Option<(Output, u64)> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", HAZMAT])
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    let kib = text.lines().last()?.trim().parse().ok()?;
    Some((out, kib))
}

/// An input past the 256 MiB cap the one-shot AEADs had (OCB, GCM-SIV) encrypts and decrypts
/// in the chunked format, in constant memory (peak RSS under 32 MiB, where `/usr/bin/time`
/// measures it).
#[test]
fn inputs_past_the_old_cap_stream_in_constant_memory() {
    let dir = Dir::new();
    let big = dir.path("big");
    let size: u64 = 256 * 1024 * 1024 + 1000;
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(size))
        .expect("sparse file");
    let key_hex = key_hex(16);
    let enc = dir.path("enc");
    let dec = dir.path("dec");
    let encrypt = [
        "--quiet",
        "encrypt",
        "--cipher",
        "aes-128-ocb",
        "--key-hex",
        &key_hex,
        &big,
        "-o",
        &enc,
    ];
    let decrypt = [
        "--quiet",
        "decrypt",
        "--key-hex",
        &key_hex,
        &enc,
        "-o",
        &dec,
    ];
    for args in [&encrypt[..], &decrypt[..]] {
        match peak_rss_kib(args) {
            Some((out, kib)) => {
                assert!(out.status.success(), "{}", stderr(&out));
                assert!(kib < 32 * 1024, "{args:?}: peak RSS {kib} KiB");
            }
            None => assert!(hazmat(args).status.success()),
        }
    }
    let chunks = size.div_ceil(65536);
    let enc_len = std::fs::metadata(&enc).expect("enc").len();
    assert_eq!(enc_len, 10 + 11 + SALT as u64 + size + TAG as u64 * chunks);
    std::fs::remove_file(&enc).expect("rm");
    let mut file = std::fs::File::open(&dec).expect("dec");
    let mut buffer = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer).expect("read");
        if n == 0 {
            break;
        }
        assert!(buffer[..n].iter().all(|&b| b == 0), "at {total}");
        total += n as u64;
    }
    assert_eq!(total, size);
}
