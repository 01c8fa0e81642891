//! The chunked streaming AEAD format (`aead::stream`) on every backend.
//!
//! Known answers come from `vectors/stream/stream-v1.json`, produced by an independent
//! implementation of the documented format (`vectors/stream/make_stream_vectors.py`, on the
//! Python `cryptography` package). Everything else checks the format's promises: any split of
//! the writes gives the same stream; truncation, reordering, duplication, removal, appending,
//! and a wrong key, header or salt are all `InvalidTag`; a chunk is released only once
//! authentic.

use std::io::{Read, Write};
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{
    available_backends, default_backend, AeadAlgorithm, Backend,
};
use pluggable_crypto::hazmat::primitives::aead::stream::{
    StreamDecryptor, StreamEncryptor, StreamParams, MAX_CHUNK_SIZE, SALT_BYTES,
};
use pluggable_crypto::Error;

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut all = available_backends();
    all.push(default_backend());
    all
}

fn algorithm_named(name: &str) -> AeadAlgorithm {
    AeadAlgorithm::ALL
        .into_iter()
        .find(|a| a.name() == name)
        .unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

fn serves(backend: &Arc<dyn Backend>, algorithm: AeadAlgorithm, key_len: usize) -> bool {
    // A stream needs the AEAD with 12-byte nonces and HMAC-SHA256 for its key derivation.
    use pluggable_crypto::hazmat::primitives::hashes::Sha256;
    backend.aead_supported(algorithm, key_len, 16) && backend.hmac_supported(&Sha256)
}

fn seal(
    backend: &Arc<dyn Backend>,
    params: StreamParams,
    key: &[u8],
    header: &[u8],
    salt: &[u8; SALT_BYTES],
    pieces: &[&[u8]],
) -> Vec<u8> {
    let mut enc =
        StreamEncryptor::with_salt(Vec::new(), params, key, header, salt, backend.clone()).unwrap();
    for piece in pieces {
        enc.write_all(piece).unwrap();
    }
    enc.finish().unwrap()
}

fn open(
    backend: &Arc<dyn Backend>,
    params: StreamParams,
    key: &[u8],
    header: &[u8],
    stream: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut dec = StreamDecryptor::new(stream, params, key, header, backend.clone())?;
    let mut out = Vec::new();
    while let Some(chunk) = dec.next_chunk()? {
        out.extend_from_slice(chunk);
    }
    // After the end, nothing more.
    assert_eq!(dec.next_chunk().unwrap(), None);
    Ok(out)
}

#[test]
fn known_answers_from_an_independent_implementation() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../vectors/stream/stream-v1.json"),
    )
    .unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 80);
    let mut checked = 0;
    for backend in backends() {
        for case in cases {
            let algorithm = algorithm_named(case["algorithm"].as_str().unwrap());
            let key = unhex(case["key"].as_str().unwrap());
            let salt: [u8; 32] = unhex(case["salt"].as_str().unwrap()).try_into().unwrap();
            let header = unhex(case["header"].as_str().unwrap());
            let chunk_size = case["chunk_size"].as_u64().unwrap() as usize;
            let plaintext = unhex(case["plaintext"].as_str().unwrap());
            let expected = unhex(case["stream"].as_str().unwrap());
            let params = StreamParams::new(algorithm, chunk_size).unwrap();
            assert_eq!(
                params.stream_len(plaintext.len() as u64),
                expected.len() as u64
            );
            if !serves(&backend, algorithm, key.len()) {
                let result = StreamEncryptor::with_salt(
                    Vec::new(),
                    params,
                    &key,
                    &header,
                    &salt,
                    backend.clone(),
                );
                assert!(
                    matches!(result, Err(Error::UnsupportedAlgorithm { .. })),
                    "{}: {result:?}",
                    backend.name()
                );
                continue;
            }
            let label = format!(
                "{} {} key {} chunk {chunk_size} len {}",
                backend.name(),
                algorithm.name(),
                key.len(),
                plaintext.len()
            );
            // Written in one piece, and byte by byte.
            assert_eq!(
                seal(&backend, params, &key, &header, &salt, &[&plaintext]),
                expected,
                "{label}"
            );
            let bytes: Vec<&[u8]> = plaintext.chunks(1).collect();
            assert_eq!(
                seal(&backend, params, &key, &header, &salt, &bytes),
                expected,
                "{label}"
            );
            assert_eq!(
                open(&backend, params, &key, &header, &expected).unwrap(),
                plaintext,
                "{label}"
            );
            checked += 1;
        }
    }
    eprintln!("stream known answers: {checked} (backend, case) pairs checked");
    // Every backend serves at least the 64 cases that are not AES-GCM-SIV (OpenSSL 3.0 lacks
    // it; ring serves only AES-GCM and ChaCha20-Poly1305, so count it apart).
    let full = backends().iter().filter(|b| b.name() != "ring").count();
    assert!(checked >= 64 * full, "only {checked} checked");
}

/// A three-and-a-half-chunk stream on the default backend.
fn sample(algorithm: AeadAlgorithm) -> (StreamParams, Vec<u8>, Vec<u8>, Vec<u8>) {
    let params = StreamParams::new(algorithm, 32).unwrap();
    let key = vec![0x17; algorithm.key_sizes()[0]];
    let plaintext: Vec<u8> = (0..112u8).collect();
    let stream = seal(
        &default_backend(),
        params,
        &key,
        b"hdr",
        &[9; 32],
        &[&plaintext],
    );
    (params, key, plaintext, stream)
}

const STREAMABLE: [AeadAlgorithm; 5] = [
    AeadAlgorithm::AesGcm,
    AeadAlgorithm::ChaCha20Poly1305,
    AeadAlgorithm::AesCcm,
    AeadAlgorithm::AesOcb3,
    AeadAlgorithm::AesGcmSiv,
];

fn streamable_on_default() -> Vec<AeadAlgorithm> {
    let default = default_backend();
    STREAMABLE
        .into_iter()
        .filter(|a| serves(&default, *a, a.key_sizes()[0]))
        .collect()
}

#[test]
fn every_truncation_fails() {
    for algorithm in streamable_on_default() {
        let (params, key, plaintext, stream) = sample(algorithm);
        let backend = default_backend();
        assert_eq!(
            open(&backend, params, &key, b"hdr", &stream).unwrap(),
            plaintext
        );
        for cut in 0..stream.len() {
            assert_eq!(
                open(&backend, params, &key, b"hdr", &stream[..cut]),
                Err(Error::InvalidTag),
                "{} truncated to {cut} of {}",
                algorithm.name(),
                stream.len()
            );
        }
    }
}

#[test]
fn appending_reordering_duplicating_and_removing_chunks_fail() {
    let sealed = 32 + 16;
    for algorithm in streamable_on_default() {
        let (params, key, _, stream) = sample(algorithm);
        let backend = default_backend();
        let body = &stream[SALT_BYTES..];
        let chunks: Vec<&[u8]> = body.chunks(sealed).collect();
        assert_eq!(chunks.len(), 4);
        let rebuild = |order: &[usize]| -> Vec<u8> {
            let mut out = stream[..SALT_BYTES].to_vec();
            for &i in order {
                out.extend_from_slice(chunks[i]);
            }
            out
        };
        for order in [
            &[1, 0, 2, 3][..],
            &[0, 2, 1, 3],
            &[0, 1, 3],
            &[0, 1, 2],
            &[0, 0, 1, 2, 3],
            &[0, 1, 2, 2, 3],
            &[0, 1, 2, 3, 3],
            &[3],
        ] {
            assert_eq!(
                open(&backend, params, &key, b"hdr", &rebuild(order)),
                Err(Error::InvalidTag),
                "{} with chunks {order:?}",
                algorithm.name()
            );
        }
        for extra in [&[0u8][..], &[0; 16], &[0; 48], chunks[0]] {
            let mut longer = stream.clone();
            longer.extend_from_slice(extra);
            assert_eq!(
                open(&backend, params, &key, b"hdr", &longer),
                Err(Error::InvalidTag),
                "{} with {} bytes appended",
                algorithm.name(),
                extra.len()
            );
        }
        // Every single-bit flip, including in the salt.
        for i in 0..stream.len() {
            let mut forged = stream.clone();
            forged[i] ^= 0x04;
            assert_eq!(
                open(&backend, params, &key, b"hdr", &forged),
                Err(Error::InvalidTag),
                "{} bit flip at {i}",
                algorithm.name()
            );
        }
        // Another header, key or chunk size.
        assert_eq!(
            open(&backend, params, &key, b"hdR", &stream),
            Err(Error::InvalidTag)
        );
        let mut other_key = key.clone();
        other_key[0] ^= 1;
        assert_eq!(
            open(&backend, params, &other_key, b"hdr", &stream),
            Err(Error::InvalidTag)
        );
        let other = StreamParams::new(algorithm, 33).unwrap();
        assert_eq!(
            open(&backend, other, &key, b"hdr", &stream),
            Err(Error::InvalidTag)
        );
    }
}

#[test]
fn chunks_are_released_only_once_authentic() {
    let (params, key, plaintext, stream) = sample(AeadAlgorithm::AesGcm);
    let mut forged = stream.clone();
    forged[SALT_BYTES + 48 + 5] ^= 1; // inside chunk 1
    let mut dec =
        StreamDecryptor::new(&forged[..], params, &key, b"hdr", default_backend()).unwrap();
    assert_eq!(dec.next_chunk().unwrap().unwrap(), &plaintext[..32]);
    assert_eq!(dec.next_chunk(), Err(Error::InvalidTag));
    assert_eq!(dec.next_chunk(), Err(Error::InvalidTag));
    // Through `Read`: chunk 0's bytes, then an InvalidData error, never chunk 1's bytes.
    let mut dec =
        StreamDecryptor::new(&forged[..], params, &key, b"hdr", default_backend()).unwrap();
    let mut out = Vec::new();
    let err = dec.read_to_end(&mut out).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert_eq!(out, &plaintext[..32]);
}

#[test]
fn read_in_odd_sizes_and_write_in_odd_pieces() {
    let backend = default_backend();
    let params = StreamParams::new(AeadAlgorithm::ChaCha20Poly1305, 1000).unwrap();
    let key = [3u8; 32];
    let plaintext: Vec<u8> = (0..10_000u32).map(|i| (i % 253) as u8).collect();
    let one = seal(&backend, params, &key, b"", &[1; 32], &[&plaintext]);
    let pieces: Vec<&[u8]> = plaintext.chunks(777).collect();
    assert_eq!(seal(&backend, params, &key, b"", &[1; 32], &pieces), one);
    assert_eq!(one.len() as u64, params.stream_len(10_000));
    let mut dec = StreamDecryptor::new(&one[..], params, &key, b"", backend.clone()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 333];
    loop {
        let n = dec.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    assert_eq!(out, plaintext);
}

#[test]
fn random_salts_differ_and_parameters_are_checked() {
    let backend = default_backend();
    let params = StreamParams::new(AeadAlgorithm::AesGcm, 64).unwrap();
    let seal_random = || {
        let mut enc =
            StreamEncryptor::new(Vec::new(), params, &[5; 16], b"", backend.clone()).unwrap();
        enc.write_all(b"same").unwrap();
        enc.finish().unwrap()
    };
    let (a, b) = (seal_random(), seal_random());
    assert_ne!(a[..SALT_BYTES], b[..SALT_BYTES]);
    assert_ne!(a, b);
    assert!(matches!(
        StreamParams::new(AeadAlgorithm::AesSiv, 64),
        Err(Error::InvalidArgument(m)) if m.contains("AES-SIV")
    ));
    for bad in [0, MAX_CHUNK_SIZE + 1] {
        assert!(matches!(
            StreamParams::new(AeadAlgorithm::AesGcm, bad),
            Err(Error::InvalidArgument(m)) if m.contains("chunk size")
        ));
    }
    match StreamEncryptor::new(Vec::new(), params, &[5; 15], b"", backend.clone()) {
        Err(Error::InvalidArgument(m)) => {
            assert!(m.contains("keys must be 16, 24 or 32 bytes, got 15"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    // A stream shorter than its salt.
    assert_eq!(
        StreamDecryptor::new(&a[..31], params, &[5; 16], b"", backend).map(|_| ()),
        Err(Error::InvalidTag)
    );
}
