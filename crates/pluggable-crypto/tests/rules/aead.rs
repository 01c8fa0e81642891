//! Usage and error rules of the one-shot AEADs, CMAC, Poly1305, key wrapping and the streaming
//! ChaCha20-Poly1305, one `#[test]` per rule.
//!
//! A module of every `rules_<backend>` test binary, like `suite.rs`: each rule calls the
//! binary's `backend()`. A rule that needs a construction the backend lacks decides from the
//! backend's capability queries (`aead_supported`, `cipher_supported`, `poly1305_supported`,
//! ...) and asserts that the backend refuses it (`UnsupportedAlgorithm`); each entry file's
//! support-matrix test pins down what its backend must serve, so a lost capability cannot pass
//! unnoticed.
//!
//! Known answers come from public documents (named next to each constant) or from an
//! independent implementation named there; our output is otherwise only compared with itself
//! (round trips, another backend, another split).

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    self, Aes, Arc4, ChaCha20, CipherAlgorithm, TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::modes::Gcm;
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::keywrap::{
    aes_key_unwrap_with_backend, aes_key_unwrap_with_padding_with_backend,
    aes_key_wrap_with_backend, aes_key_wrap_with_padding_with_backend,
};
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
use pluggable_crypto::{Error, Reason, Result};

use super::backend;

type BackendRef = Arc<dyn Backend>;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T>, needle: &str) {
    match result {
        Err(Error::InvalidArgument(message)) => {
            assert!(message.contains(needle), "{message:?} lacks {needle:?}")
        }
        other => panic!("expected InvalidArgument containing {needle:?}, got {other:?}"),
    }
}

fn assert_unsupported<T: std::fmt::Debug>(result: Result<T>) {
    match result {
        Err(Error::UnsupportedAlgorithm { .. }) => {}
        other => panic!("expected UnsupportedAlgorithm, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// A uniform view of the six one-shot constructions.
// ---------------------------------------------------------------------------------------------

/// One keyed one-shot AEAD; AES-SIV takes the "nonce" as its last associated-data component.
trait OneShot: Send + Sync {
    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>>;
    fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>>;
    fn encrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize>;
    fn decrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize>;
}

macro_rules! one_shot_with_nonce {
    ($($ty:ty),*) => {$(
        impl OneShot for $ty {
            fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                <$ty>::encrypt(self, nonce, data, aad)
            }
            fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
                <$ty>::decrypt(self, nonce, data, aad)
            }
            fn encrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize> {
                <$ty>::encrypt_into(self, nonce, data, aad, out)
            }
            fn decrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize> {
                <$ty>::decrypt_into(self, nonce, data, aad, out)
            }
        }
    )*};
}

one_shot_with_nonce!(AesGcm, ChaCha20Poly1305, AesCcm, AesOcb3, AesGcmSiv);

impl OneShot for AesSiv {
    fn encrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        AesSiv::encrypt(self, data, &[aad, nonce])
    }
    fn decrypt(&self, nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        AesSiv::decrypt(self, data, &[aad, nonce])
    }
    fn encrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize> {
        AesSiv::encrypt_into(self, data, &[aad, nonce], out)
    }
    fn decrypt_into(&self, nonce: &[u8], data: &[u8], aad: &[u8], out: &mut [u8]) -> Result<usize> {
        AesSiv::decrypt_into(self, data, &[aad, nonce], out)
    }
}

/// Builds `algorithm` keyed with `key` on `backend`.
fn build(algorithm: AeadAlgorithm, key: &[u8], backend: &BackendRef) -> Result<Box<dyn OneShot>> {
    let b: Arc<dyn Backend> = backend.clone();
    Ok(match algorithm {
        AeadAlgorithm::AesGcm => Box::new(AesGcm::with_backend(key, b)?),
        AeadAlgorithm::ChaCha20Poly1305 => Box::new(ChaCha20Poly1305::with_backend(key, b)?),
        AeadAlgorithm::AesCcm => Box::new(AesCcm::with_backend(key, 16, b)?),
        AeadAlgorithm::AesOcb3 => Box::new(AesOcb3::with_backend(key, b)?),
        AeadAlgorithm::AesSiv => Box::new(AesSiv::with_backend(key, b)?),
        AeadAlgorithm::AesGcmSiv => Box::new(AesGcmSiv::with_backend(key, b)?),
        other => panic!("no rule covers {other:?}"),
    })
}

/// A nonce of a valid length for `algorithm`.
fn nonce_for(algorithm: AeadAlgorithm) -> Vec<u8> {
    match algorithm {
        AeadAlgorithm::AesCcm => vec![0x5a; 13],
        _ => vec![0x5a; 12],
    }
}

/// Every (construction, key length) the backend serves, each keyed; for the others, asserts
/// that building is `UnsupportedAlgorithm`.
fn served(backend: &BackendRef) -> Vec<(AeadAlgorithm, usize, Box<dyn OneShot>)> {
    let mut out = Vec::new();
    for algorithm in AeadAlgorithm::ALL {
        for &key_len in algorithm.key_sizes() {
            let key: Vec<u8> = (0..key_len as u8)
                .map(|i| i.wrapping_mul(7) ^ 0x31)
                .collect();
            if backend.aead_supported(algorithm, key_len, 16) {
                out.push((algorithm, key_len, build(algorithm, &key, backend).unwrap()));
            } else {
                assert_unsupported(build(algorithm, &key, backend).map(|_| ()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One-shot AEAD rules.
// ---------------------------------------------------------------------------------------------

#[test]
fn aead_key_sizes_are_checked() {
    let backend = backend();
    for algorithm in AeadAlgorithm::ALL {
        for bad in [0usize, 15, 20, 33, 40, 65] {
            if algorithm.key_sizes().contains(&bad) {
                continue;
            }
            let result = build(algorithm, &vec![1; bad], &backend).map(|_| ());
            assert_invalid(result, &format!("got {} bits", bad * 8));
        }
    }
}

#[test]
fn aead_nonce_lengths_are_checked() {
    let backend = backend();
    let rules: [(AeadAlgorithm, usize, usize); 5] = [
        (AeadAlgorithm::AesGcm, 8, 128),
        (AeadAlgorithm::ChaCha20Poly1305, 12, 12),
        (AeadAlgorithm::AesCcm, 7, 13),
        (AeadAlgorithm::AesOcb3, 12, 15),
        (AeadAlgorithm::AesGcmSiv, 12, 12),
    ];
    let served = served(&backend);
    for (algorithm, min, max) in rules {
        for (_, _, aead) in served.iter().filter(|(a, _, _)| *a == algorithm) {
            for bad in [0, min - 1, max + 1] {
                assert_invalid(aead.encrypt(&vec![0; bad], b"data", b""), "nonces must be");
                assert_invalid(aead.decrypt(&vec![0; bad], &[0; 32], b""), "nonces must be");
            }
            for good in [min, max] {
                let nonce = vec![3; good];
                match aead.encrypt(&nonce, b"data", b"aad") {
                    Ok(sealed) => {
                        assert_eq!(aead.decrypt(&nonce, &sealed, b"aad").unwrap(), b"data")
                    }
                    // A backend may refuse, message by message, a nonce length its library
                    // lacks (ring's AES-GCM takes 12-byte nonces only), never the 12-byte one;
                    // which backends take every length is pinned by the support matrices.
                    Err(e) => assert!(
                        e.is_unsupported() && good != 12,
                        "{algorithm:?} nonce {good}: {e:?}"
                    ),
                }
            }
        }
    }
}

#[test]
fn aead_round_trip_every_length() {
    let backend = backend();
    for (algorithm, key_len, aead) in served(&backend) {
        let nonce = nonce_for(algorithm);
        let start = usize::from(algorithm == AeadAlgorithm::AesSiv);
        for len in start..=70 {
            let data: Vec<u8> = (0..len as u8).collect();
            let aad = vec![0xaa; len % 19];
            let sealed = aead.encrypt(&nonce, &data, &aad).unwrap();
            assert_eq!(sealed.len(), len + 16, "{algorithm:?}/{key_len}");
            if len > 0 {
                assert_ne!(&sealed[..len], &data[..], "{algorithm:?}");
            }
            assert_eq!(aead.decrypt(&nonce, &sealed, &aad).unwrap(), data);
        }
    }
}

#[test]
fn aead_input_shorter_than_tag_is_invalid_tag() {
    let backend = backend();
    for (algorithm, _, aead) in served(&backend) {
        let nonce = nonce_for(algorithm);
        for len in [0, 1, 15] {
            assert_eq!(
                aead.decrypt(&nonce, &vec![0; len], b"").unwrap_err(),
                Error::InvalidTag,
                "{algorithm:?} with {len} bytes"
            );
        }
    }
}

#[test]
fn aead_every_tampering_is_invalid_tag_and_leaves_no_plaintext() {
    let backend = backend();
    for (algorithm, key_len, aead) in served(&backend) {
        let nonce = nonce_for(algorithm);
        let data = b"sixteen byte msg and then some more";
        let sealed = aead.encrypt(&nonce, data, b"header").unwrap();
        // Every single-bit flip anywhere in the sealed message.
        for i in 0..sealed.len() {
            let mut forged = sealed.clone();
            forged[i] ^= 0x01;
            let mut out = vec![0xee; data.len()];
            assert_eq!(
                aead.decrypt_into(&nonce, &forged, b"header", &mut out),
                Err(Error::InvalidTag),
                "{algorithm:?}/{key_len} byte {i}"
            );
            assert!(out.iter().all(|&b| b == 0), "{algorithm:?}: out not wiped");
            assert_eq!(
                aead.decrypt(&nonce, &forged, b"header"),
                Err(Error::InvalidTag)
            );
        }
        // Other associated data, another nonce, a truncation, an extension.
        assert_eq!(
            aead.decrypt(&nonce, &sealed, b"Header"),
            Err(Error::InvalidTag)
        );
        let mut other_nonce = nonce.clone();
        other_nonce[0] ^= 1;
        assert_eq!(
            aead.decrypt(&other_nonce, &sealed, b"header"),
            Err(Error::InvalidTag)
        );
        assert_eq!(
            aead.decrypt(&nonce, &sealed[..sealed.len() - 1], b"header"),
            Err(Error::InvalidTag)
        );
        let mut longer = sealed.clone();
        longer.push(0);
        assert_eq!(
            aead.decrypt(&nonce, &longer, b"header"),
            Err(Error::InvalidTag)
        );
    }
}

#[test]
fn aead_into_buffers_exact_fit_and_short() {
    let backend = backend();
    for (algorithm, _, aead) in served(&backend) {
        let nonce = nonce_for(algorithm);
        let data = [0x42u8; 33];
        let expected = aead.encrypt(&nonce, &data, b"").unwrap();
        let mut short = vec![0; 48];
        assert_invalid(
            aead.encrypt_into(&nonce, &data, b"", &mut short),
            "need at least 49 bytes, got 48",
        );
        let mut roomy = vec![0; 60];
        assert_eq!(
            aead.encrypt_into(&nonce, &data, b"", &mut roomy).unwrap(),
            49
        );
        assert_eq!(&roomy[..49], expected.as_slice());
        let mut short = vec![0; 32];
        assert_invalid(
            aead.decrypt_into(&nonce, &expected, b"", &mut short),
            "need at least 33 bytes, got 32",
        );
        let mut exact = vec![0; 33];
        assert_eq!(
            aead.decrypt_into(&nonce, &expected, b"", &mut exact)
                .unwrap(),
            33
        );
        assert_eq!(exact, data);
    }
}

#[test]
fn aead_backends_agree() {
    let backend = backend();
    // Every backend's output equals the default backend's (which routes across members).
    let default = pluggable_crypto::hazmat::backends::default_backend();
    for (algorithm, key_len, aead) in served(&backend) {
        let key: Vec<u8> = (0..key_len as u8)
            .map(|i| i.wrapping_mul(7) ^ 0x31)
            .collect();
        let reference = build(algorithm, &key, &default).unwrap();
        for len in [1usize, 16, 17, 64, 1000] {
            let nonce = nonce_for(algorithm);
            let data = vec![len as u8; len];
            assert_eq!(
                aead.encrypt(&nonce, &data, b"ad").unwrap(),
                reference.encrypt(&nonce, &data, b"ad").unwrap(),
                "{algorithm:?}/{key_len} at {len} bytes"
            );
        }
    }
}

#[test]
fn aes_gcm_long_nonces_route_past_members_without_them() {
    let backend = backend();
    // ring takes only 12-byte nonces; through the default backend every GCM nonce length works
    // and agrees with this backend.
    if !backend.aead_supported(AeadAlgorithm::AesGcm, 16, 16) {
        return assert_unsupported(AesGcm::with_backend(&[0; 16], backend).map(|_| ()));
    }
    let default = AesGcm::new(&[9; 16]).unwrap();
    let here = AesGcm::with_backend(&[9; 16], backend.clone()).unwrap();
    for nonce_len in [8, 12, 16, 60, 128] {
        let nonce = vec![0xc3; nonce_len];
        match here.encrypt(&nonce, b"data", b"") {
            Ok(sealed) => assert_eq!(default.encrypt(&nonce, b"data", b"").unwrap(), sealed),
            Err(e) => {
                // Refused by this backend (the support matrices pin which may refuse), but
                // the default takes it.
                assert!(e.is_unsupported() && nonce_len != 12, "{e:?}");
                let sealed = default.encrypt(&nonce, b"data", b"").unwrap();
                assert_eq!(default.decrypt(&nonce, &sealed, b"").unwrap(), b"data");
            }
        }
    }
}

/// NIST SP 800-38D GCM specification ("The Galois/Counter Mode of Operation", McGrew and
/// Viega), test case 6: AES-128, 60-byte IV.
#[test]
fn aes_gcm_one_shot_matches_streaming_gcm() {
    let backend = backend();
    let key = hex("feffe9928665731c6d6a8f9467308308");
    let iv = hex(
        "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e24\
         29a6b525416aedbf5a0de6a57a637b39b",
    );
    let pt = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24\
         49a6b525b16aedf5aa0de657ba637b39",
    );
    let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    let expected = hex(
        "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281\
         d48c7c6fd62875d2aca417034c34aee5 619cc5aefffe0bfa462af43c1699d050",
    );
    if !backend.aead_supported(AeadAlgorithm::AesGcm, 16, 16) {
        return assert_unsupported(AesGcm::with_backend(&key, backend).map(|_| ()));
    }
    let aead = AesGcm::with_backend(&key, backend.clone()).unwrap();
    match aead.encrypt(&iv, &pt, &aad) {
        Ok(sealed) => assert_eq!(sealed, expected),
        // A 60-byte nonce, which a backend may refuse (the support matrices pin which may).
        Err(e) => assert!(e.is_unsupported(), "{e:?}"),
    }
    // The streaming GCM of the same backend, where it has one, gives the same bytes.
    let cipher = Cipher::with_backend(
        Aes::new(&key).unwrap(),
        Gcm::new(&iv).unwrap(),
        backend.clone(),
    )
    .unwrap();
    if backend.cipher_supported(cipher.algorithm(), cipher.mode()) {
        let mut enc = cipher.encryptor().unwrap();
        enc.authenticate_additional_data(&aad).unwrap();
        let mut out = enc.update(&pt).unwrap();
        out.extend(enc.finalize().unwrap());
        out.extend(enc.tag().unwrap());
        assert_eq!(out, expected);
    } else {
        assert_unsupported(cipher.encryptor());
        assert_unsupported(cipher.decryptor());
    }
}

#[test]
fn aes_ccm_tag_lengths() {
    let backend = backend();
    for bad in [0usize, 2, 3, 5, 7, 15, 17, 18] {
        let b: Arc<dyn Backend> = backend.clone();
        assert_invalid(
            AesCcm::with_backend(&[1; 16], bad, b).map(|_| ()),
            "tag lengths must be 4, 6, 8, 10, 12, 14 or 16 bytes",
        );
    }
    for tag_len in (4..=16).step_by(2) {
        if !backend.aead_supported(AeadAlgorithm::AesCcm, 16, tag_len) {
            let b: Arc<dyn Backend> = backend.clone();
            assert_unsupported(AesCcm::with_backend(&[1; 16], tag_len, b).map(|_| ()));
            continue;
        }
        let aead = AesCcm::with_backend(&[1; 16], tag_len, backend.clone()).unwrap();
        assert_eq!(aead.tag_length(), tag_len);
        let sealed = aead.encrypt(&[2; 7], b"payload", b"").unwrap();
        assert_eq!(sealed.len(), 7 + tag_len);
        assert_eq!(aead.decrypt(&[2; 7], &sealed, b"").unwrap(), b"payload");
        assert_eq!(
            aead.decrypt(&[2; 7], &sealed[..tag_len - 1], b""),
            Err(Error::InvalidTag)
        );
    }
}

/// RFC 3610 packet vector #1: AES-128, 13-byte nonce, 8-byte tag, 8 bytes of header.
#[test]
fn aes_ccm_rfc3610_packet_vector_1() {
    let backend = backend();
    let key = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    if !backend.aead_supported(AeadAlgorithm::AesCcm, 16, 8) {
        return assert_unsupported(AesCcm::with_backend(&key, 8, backend).map(|_| ()));
    }
    let aead = AesCcm::with_backend(&key, 8, backend).unwrap();
    let nonce = hex("00000003020100a0a1a2a3a4a5");
    let header = hex("0001020304050607");
    let payload = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
    let expected = hex("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0");
    assert_eq!(aead.encrypt(&nonce, &payload, &header).unwrap(), expected);
    assert_eq!(aead.decrypt(&nonce, &expected, &header).unwrap(), payload);
}

#[test]
fn aes_ccm_payload_limit_follows_nonce_length() {
    let backend = backend();
    if !backend.aead_supported(AeadAlgorithm::AesCcm, 16, 16) {
        return assert_unsupported(AesCcm::with_backend(&[5; 16], 16, backend).map(|_| ()));
    }
    let aead = AesCcm::with_backend(&[5; 16], 16, backend).unwrap();
    // A 13-byte nonce leaves a 2-byte length field: at most 65535 bytes.
    let nonce = [1u8; 13];
    let max = vec![0u8; 65535];
    let sealed = aead.encrypt(&nonce, &max, b"").unwrap();
    assert_eq!(aead.decrypt(&nonce, &sealed, b"").unwrap().len(), 65535);
    assert_invalid(
        aead.encrypt(&nonce, &vec![0u8; 65536], b""),
        "at most 65535 bytes of data",
    );
    let mut too_long = sealed.clone();
    too_long.push(0);
    assert_invalid(aead.decrypt(&nonce, &too_long, b""), "at most 65535 bytes");
    // A 12-byte nonce allows 2^24 - 1.
    let sealed = aead.encrypt(&[1u8; 12], &vec![0u8; 65536], b"").unwrap();
    assert_eq!(sealed.len(), 65536 + 16);
}

#[test]
fn aes_siv_rules() {
    let backend = backend();
    if !backend.aead_supported(AeadAlgorithm::AesSiv, 32, 16) {
        return assert_unsupported(AesSiv::with_backend(&[0; 32], backend).map(|_| ()));
    }
    let siv = AesSiv::with_backend(&[7; 32], backend).unwrap();
    assert_invalid(siv.encrypt(b"", &[]), "must not be zero length");
    let many: Vec<&[u8]> = vec![b"x".as_slice(); 127];
    assert_invalid(siv.encrypt(b"data", &many), "at most 126");
    assert_invalid(siv.decrypt(&[0; 32], &many), "at most 126");
    let ok: Vec<&[u8]> = vec![b"x".as_slice(); 126];
    let sealed = siv.encrypt(b"data", &ok).unwrap();
    assert_eq!(siv.decrypt(&sealed, &ok).unwrap(), b"data");
    // Deterministic, tag first: the same input gives the same output, and the ciphertext part
    // is as long as the plaintext after the 16-byte synthetic IV.
    let a = siv.encrypt(b"same", &[b"ad".as_slice()]).unwrap();
    assert_eq!(a, siv.encrypt(b"same", &[b"ad".as_slice()]).unwrap());
    assert_eq!(a.len(), 20);
    // AAD components are not concatenated: ["ab", "c"] differs from ["a", "bc"] and from none.
    let split1 = siv.encrypt(b"data", &[b"ab".as_slice(), b"c"]).unwrap();
    let split2 = siv.encrypt(b"data", &[b"a".as_slice(), b"bc"]).unwrap();
    assert_ne!(split1, split2);
    assert_eq!(
        siv.decrypt(&split1, &[b"a".as_slice(), b"bc"]),
        Err(Error::InvalidTag)
    );
    assert_eq!(siv.decrypt(&split1, &[]), Err(Error::InvalidTag));
}

/// RFC 5297 appendix A.1 (deterministic authenticated encryption).
#[test]
fn aes_siv_rfc5297_a1() {
    let backend = backend();
    let key = hex("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff");
    if !backend.aead_supported(AeadAlgorithm::AesSiv, 32, 16) {
        return assert_unsupported(AesSiv::with_backend(&key, backend).map(|_| ()));
    }
    let ad = hex("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
    let pt = hex("11223344 55667788 99aabbcc ddee");
    let expected = hex("85632d07 c6e8f37f 950acd32 0a2ecc93 40c02b96 90c4dc04 daef7f6a fe5c");
    let siv = AesSiv::with_backend(&key, backend).unwrap();
    assert_eq!(siv.encrypt(&pt, &[&ad]).unwrap(), expected);
    assert_eq!(siv.decrypt(&expected, &[&ad]).unwrap(), pt);
}

#[test]
fn aead_generate_key() {
    for bits in [128, 192, 256] {
        let a = AesGcm::generate_key_bits(bits).unwrap();
        let b = AesGcm::generate_key_bits(bits).unwrap();
        assert_eq!(a.len(), bits / 8);
        assert_ne!(*a, *b, "two random keys collided");
        assert_eq!(AesCcm::generate_key_bits(bits).unwrap().len(), bits / 8);
        assert_eq!(AesOcb3::generate_key_bits(bits).unwrap().len(), bits / 8);
        assert_eq!(AesGcmSiv::generate_key_bits(bits).unwrap().len(), bits / 8);
    }
    assert_eq!(ChaCha20Poly1305::generate_key_bits(256).unwrap().len(), 32);
    for bits in [256, 384, 512] {
        assert_eq!(AesSiv::generate_key_bits(bits).unwrap().len(), bits / 8);
    }
    assert_invalid(
        AesGcm::generate_key_bits(64),
        "must be 128, 192 or 256 bits, got 64",
    );
    assert_invalid(AesGcm::generate_key_bits(129), "got 129");
    assert_invalid(ChaCha20Poly1305::generate_key_bits(128), "must be 256 bits");
    assert_invalid(
        AesSiv::generate_key_bits(128),
        "must be 256, 384 or 512 bits",
    );
}

#[test]
fn aead_debug_never_shows_key() {
    let backend = backend();
    for (algorithm, key_len, _) in served(&backend) {
        let key = vec![0xab; key_len];
        let text = match algorithm {
            AeadAlgorithm::AesGcm => format!("{:?}", AesGcm::with_backend(&key, backend.clone())),
            AeadAlgorithm::AesCcm => {
                format!("{:?}", AesCcm::with_backend(&key, 16, backend.clone()))
            }
            AeadAlgorithm::AesSiv => format!("{:?}", AesSiv::with_backend(&key, backend.clone())),
            _ => continue,
        };
        assert!(
            !text.to_lowercase().contains("ab, ab") && !text.contains("abab"),
            "{text}"
        );
        assert!(!text.contains("171"), "{text}");
    }
}

#[test]
fn aead_one_key_many_threads() {
    let backend = backend();
    for (algorithm, _, aead) in served(&backend) {
        let aead: Arc<dyn OneShot> = Arc::from(aead);
        let nonce = nonce_for(algorithm);
        let single: Vec<Vec<u8>> = (0..32u8)
            .map(|i| {
                aead.encrypt(&nonce, &vec![i; 100 + i as usize], &[i])
                    .unwrap()
            })
            .collect();
        let single = Arc::new(single);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (aead, single, nonce) = (aead.clone(), single.clone(), nonce.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        for i in 0..32u8 {
                            let data = vec![i; 100 + i as usize];
                            let sealed = aead.encrypt(&nonce, &data, &[i]).unwrap();
                            assert_eq!(sealed, single[i as usize]);
                            assert_eq!(aead.decrypt(&nonce, &sealed, &[i]).unwrap(), data);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming ChaCha20-Poly1305 through `Cipher`.
// ---------------------------------------------------------------------------------------------

#[path = "../support/rfc8439.rs"]
mod rfc8439;

fn streaming_cipher(backend: &BackendRef, tag: Option<&[u8]>) -> Option<Cipher> {
    let key = hex(rfc8439::KEY);
    let nonce = hex(rfc8439::NONCE);
    let algorithm = match tag {
        Some(tag) => {
            algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(&key, &nonce, tag).unwrap()
        }
        None => algorithms::ChaCha20Poly1305Incremental::new(&key, &nonce).unwrap(),
    };
    if !backend.cipher_supported(&algorithm, None) {
        let cipher = Cipher::with_backend(algorithm, None, backend.clone()).unwrap();
        assert_unsupported(cipher.encryptor());
        return None;
    }
    Some(Cipher::with_backend(algorithm, None, backend.clone()).unwrap())
}

#[test]
fn chacha20_poly1305_streaming_rfc8439_every_split() {
    let backend = backend();
    let Some(cipher) = streaming_cipher(&backend, None) else {
        return;
    };
    let (aad, ct, tag) = (hex(rfc8439::AAD), hex(rfc8439::CT), hex(rfc8439::TAG));
    for split in 0..=rfc8439::PT.len() {
        let mut enc = cipher.encryptor().unwrap();
        enc.authenticate_additional_data(&aad[..split.min(aad.len())])
            .unwrap();
        enc.authenticate_additional_data(&aad[split.min(aad.len())..])
            .unwrap();
        let mut out = enc.update(&rfc8439::PT[..split]).unwrap();
        out.extend(enc.update(&rfc8439::PT[split..]).unwrap());
        out.extend(enc.finalize().unwrap());
        assert_eq!(out, ct, "split at {split}");
        assert_eq!(enc.tag().unwrap(), tag.as_slice());

        let mut dec = cipher.decryptor().unwrap();
        dec.authenticate_additional_data(&aad).unwrap();
        let mut pt = dec.update(&ct[..split]).unwrap();
        pt.extend(dec.update(&ct[split..]).unwrap());
        pt.extend(dec.finalize_with_tag(&tag).unwrap());
        assert_eq!(pt, rfc8439::PT);
    }
    // The one-shot construction gives the same bytes.
    if backend.aead_supported(AeadAlgorithm::ChaCha20Poly1305, 32, 16) {
        let aead = ChaCha20Poly1305::with_backend(&hex(rfc8439::KEY), backend.clone()).unwrap();
        let sealed = aead
            .encrypt(&hex(rfc8439::NONCE), rfc8439::PT, &aad)
            .unwrap();
        assert_eq!(sealed, [ct.clone(), tag.clone()].concat());
    }
}

#[test]
fn chacha20_poly1305_streaming_rules() {
    let backend = backend();
    let Some(cipher) = streaming_cipher(&backend, None) else {
        return;
    };
    let (aad, ct, tag) = (hex(rfc8439::AAD), hex(rfc8439::CT), hex(rfc8439::TAG));
    // AAD after data.
    let mut enc = cipher.encryptor().unwrap();
    enc.update(b"x").unwrap();
    assert_eq!(
        enc.authenticate_additional_data(b"late"),
        Err(Error::AlreadyUpdated)
    );
    // Tag before finalize; tag of a decryptor.
    assert_eq!(enc.tag(), Err(Error::NotYetFinalized));
    enc.finalize().unwrap();
    assert_eq!(enc.finalize(), Err(Error::AlreadyFinalized));
    assert_eq!(enc.update(b"x"), Err(Error::AlreadyFinalized));
    // A tag given for encryption.
    let tagged = streaming_cipher(&backend, Some(&tag)).unwrap();
    assert_invalid(tagged.encryptor(), "must not be given");
    // Decryption with the tag in the algorithm, and with finalize.
    let mut dec = tagged.decryptor().unwrap();
    dec.authenticate_additional_data(&aad).unwrap();
    let mut pt = dec.update(&ct).unwrap();
    pt.extend(dec.finalize().unwrap());
    assert_eq!(pt, rfc8439::PT);
    // Both tags: an error; no tag: an error.
    let mut dec = tagged.decryptor().unwrap();
    assert_invalid(dec.finalize_with_tag(&tag), "already given");
    let mut dec = cipher.decryptor().unwrap();
    assert_invalid(dec.finalize(), "needs the tag");
    // Short tags are refused (16 bytes only), up front and at finalize.
    assert_invalid(
        algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(
            &[0; 32],
            &[0; 12],
            &tag[..12],
        )
        .map(|_| ()),
        "16 bytes or longer",
    );
    let mut dec = cipher.decryptor().unwrap();
    dec.update(&ct).unwrap();
    assert_invalid(dec.finalize_with_tag(&tag[..15]), "16 bytes or longer");
    // Forgeries.
    for i in [0, 60, ct.len() - 1] {
        let mut forged = ct.clone();
        forged[i] ^= 0x80;
        let mut dec = cipher.decryptor().unwrap();
        dec.authenticate_additional_data(&aad).unwrap();
        dec.update(&forged).unwrap();
        assert_eq!(dec.finalize_with_tag(&tag), Err(Error::InvalidTag));
        assert_eq!(dec.finalize_with_tag(&tag), Err(Error::AlreadyFinalized));
    }
    let mut bad_tag = tag.clone();
    bad_tag[15] ^= 1;
    let mut dec = cipher.decryptor().unwrap();
    dec.authenticate_additional_data(&aad).unwrap();
    dec.update(&ct).unwrap();
    assert_eq!(dec.finalize_with_tag(&bad_tag), Err(Error::InvalidTag));
}

#[test]
fn chacha20_poly1305_streaming_parameter_rules() {
    assert_invalid(
        algorithms::ChaCha20Poly1305Incremental::new(&[0; 16], &[0; 12]).map(|_| ()),
        "ChaCha20-Poly1305",
    );
    assert_invalid(
        algorithms::ChaCha20Poly1305Incremental::new(&[0; 32], &[0; 16]).map(|_| ()),
        "must be 12 bytes",
    );
    assert_invalid(
        Cipher::new(
            algorithms::ChaCha20Poly1305Incremental::new(&[0; 32], &[0; 12]).unwrap(),
            Gcm::new(&[0; 12]).unwrap(),
        )
        .map(|_| ()),
        "takes no mode",
    );
    assert_eq!(
        algorithms::ChaCha20Poly1305Incremental::MAX_DATA_BYTES,
        (1u64 << 38) - 64
    );
}

// ---------------------------------------------------------------------------------------------
// CMAC and Poly1305.
// ---------------------------------------------------------------------------------------------

/// RFC 4493 section 4, AES-128 key and examples 1-4.
const RFC4493_KEY: &str = "2b7e151628aed2a6abf7158809cf4f3c";
const RFC4493_MSG: &str = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 \
                           30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
const RFC4493_EXAMPLES: [(usize, &str); 4] = [
    (0, "bb1d6929e95937287fa37d129b756746"),
    (16, "070a16b46b4d4144f79bdd9dd04a287c"),
    (40, "dfa66747de9ae63030ca32611497c827"),
    (64, "51f0bebf7e3b9d92fc49741779363cfe"),
];

#[test]
fn cmac_rfc4493_every_split() {
    let backend = backend();
    let aes = Aes::new(&hex(RFC4493_KEY)).unwrap();
    if !backend.cmac_algorithm_supported(&aes) {
        return assert_unsupported(Cmac::with_backend(aes, backend.clone()).map(|_| ()));
    }
    let msg = hex(RFC4493_MSG);
    for (len, expected) in RFC4493_EXAMPLES {
        for split in 0..=len {
            let mut mac = Cmac::with_backend(aes.clone(), backend.clone()).unwrap();
            mac.update(&msg[..split]).unwrap();
            let copy = mac.copy().unwrap();
            mac.update(&msg[split..len]).unwrap();
            assert_eq!(
                mac.finalize().unwrap(),
                hex(expected),
                "{len} split {split}"
            );
            // The copy continues independently.
            let mut copy = copy;
            copy.update(&msg[split..len]).unwrap();
            copy.verify(&hex(expected)).unwrap();
        }
    }
}

#[test]
fn cmac_verify_and_errors() {
    let backend = backend();
    let aes = Aes::new(&hex(RFC4493_KEY)).unwrap();
    if !backend.cmac_algorithm_supported(&aes) {
        return assert_unsupported(Cmac::with_backend(aes, backend.clone()).map(|_| ()));
    }
    let tag = hex(RFC4493_EXAMPLES[0].1);
    for bad in [
        tag[..15].to_vec(),
        [tag.clone(), vec![0]].concat(),
        vec![],
        {
            let mut t = tag.clone();
            t[0] ^= 1;
            t
        },
    ] {
        let mac = Cmac::with_backend(aes.clone(), backend.clone()).unwrap();
        assert_eq!(mac.verify(&bad), Err(Error::InvalidSignature));
    }
    // Stream ciphers have no CMAC.
    for algorithm in [
        Box::new(Arc4::new(&[1; 16]).unwrap()) as Box<dyn CipherAlgorithm>,
        Box::new(ChaCha20::new(&[1; 32], &[0; 16]).unwrap()),
    ] {
        let result = Cmac::from_shared(Arc::from(algorithm), backend.clone());
        match result {
            Err(Error::UnsupportedAlgorithm { reason, .. }) => {
                assert_eq!(reason, Reason::UnsupportedMac)
            }
            other => panic!("{other:?}"),
        }
    }
    // AES-512 (two keys) is for XTS only.
    assert_invalid(
        Cmac::with_backend(Aes::new(&[1; 64]).unwrap(), backend.clone()).map(|_| ()),
        "only 128, 192 and 256 bits",
    );
}

/// NIST SP 800-38B appendix D.4 (three-key TDEA), example 9 (empty message); the same value
/// is printed by `printf '' | openssl mac -cipher DES-EDE3-CBC -macopt hexkey:<key> CMAC`.
#[test]
fn cmac_triple_des_tag_is_one_block() {
    let backend = backend();
    let tdes = TripleDes::new(&hex("8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5")).unwrap();
    if !backend.cmac_algorithm_supported(&tdes) {
        return assert_unsupported(Cmac::with_backend(tdes, backend).map(|_| ()));
    }
    let mut mac = Cmac::with_backend(tdes, backend.clone()).unwrap();
    mac.update(b"").unwrap();
    assert_eq!(mac.finalize().unwrap(), hex("b7a688e122ffaf95"));
}

/// RFC 8439 section 2.5.2.
const RFC8439_POLY_KEY: &str = "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b";
const RFC8439_POLY_MSG: &[u8] = b"Cryptographic Forum Research Group";
const RFC8439_POLY_TAG: &str = "a8061dc1305136c6c22b8baf0c0127a9";

#[test]
fn poly1305_rfc8439_every_split() {
    let backend = backend();
    if !backend.poly1305_supported() {
        return assert_unsupported(
            Poly1305::with_backend(&hex(RFC8439_POLY_KEY), backend.clone()).map(|_| ()),
        );
    }
    let key = hex(RFC8439_POLY_KEY);
    for split in 0..=RFC8439_POLY_MSG.len() {
        let mut mac = Poly1305::with_backend(&key, backend.clone()).unwrap();
        mac.update(&RFC8439_POLY_MSG[..split]).unwrap();
        mac.update(&RFC8439_POLY_MSG[split..]).unwrap();
        assert_eq!(
            mac.finalize().unwrap(),
            hex(RFC8439_POLY_TAG),
            "split {split}"
        );
    }
    let mut mac = Poly1305::with_backend(&key, backend.clone()).unwrap();
    mac.update(RFC8439_POLY_MSG).unwrap();
    mac.verify(&hex(RFC8439_POLY_TAG)).unwrap();
}

#[test]
fn poly1305_rules() {
    let backend = backend();
    for bad in [0usize, 16, 31, 33] {
        assert_invalid(
            Poly1305::with_backend(&vec![0; bad], backend.clone()).map(|_| ()),
            &format!("must be 32 bytes, got {bad}"),
        );
    }
    if !backend.poly1305_supported() {
        return assert_unsupported(
            Poly1305::with_backend(&hex(RFC8439_POLY_KEY), backend.clone()).map(|_| ()),
        );
    }
    let key = hex(RFC8439_POLY_KEY);
    let mut tag = hex(RFC8439_POLY_TAG);
    tag[3] ^= 4;
    let mut mac = Poly1305::with_backend(&key, backend.clone()).unwrap();
    mac.update(RFC8439_POLY_MSG).unwrap();
    assert_eq!(mac.verify(&tag), Err(Error::InvalidSignature));
    let mut mac = Poly1305::with_backend(&key, backend.clone()).unwrap();
    mac.update(RFC8439_POLY_MSG).unwrap();
    assert_eq!(mac.verify(&tag[..8]), Err(Error::InvalidSignature));
}

// ---------------------------------------------------------------------------------------------
// Key wrapping.
// ---------------------------------------------------------------------------------------------

#[test]
fn keywrap_rfc3394() {
    let backend = backend();
    let aes = Aes::new(&[0; 16]).unwrap();
    let ecb = pluggable_crypto::hazmat::primitives::ciphers::modes::Ecb;
    if !backend.cipher_supported(&aes, Some(&ecb)) {
        return assert_unsupported(aes_key_wrap_with_backend(
            &[0; 16],
            &[0; 16],
            backend.clone(),
        ));
    }
    // RFC 3394 section 4.1: 128-bit KEK, 128-bit key data.
    let kek = hex("000102030405060708090A0B0C0D0E0F");
    let key = hex("00112233445566778899AABBCCDDEEFF");
    let wrapped = hex("1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
    assert_eq!(
        aes_key_wrap_with_backend(&kek, &key, backend.clone()).unwrap(),
        wrapped
    );
    assert_eq!(
        aes_key_unwrap_with_backend(&kek, &wrapped, backend.clone())
            .unwrap()
            .as_slice(),
        key
    );
    // RFC 3394 section 4.6: 256-bit KEK, 256-bit key data.
    let kek = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    let key = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    let wrapped =
        hex("28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21");
    assert_eq!(
        aes_key_wrap_with_backend(&kek, &key, backend.clone()).unwrap(),
        wrapped
    );
    assert_eq!(
        aes_key_unwrap_with_backend(&kek, &wrapped, backend.clone())
            .unwrap()
            .as_slice(),
        key
    );
    // Every bit flip fails the integrity check.
    for i in 0..wrapped.len() {
        let mut bad = wrapped.clone();
        bad[i] ^= 0x10;
        assert_eq!(
            aes_key_unwrap_with_backend(&kek, &bad, backend.clone()).map(|_| ()),
            Err(Error::InvalidUnwrap)
        );
    }
}

#[test]
fn keywrap_rules() {
    let backend = backend();
    let aes = Aes::new(&[0; 16]).unwrap();
    let ecb = pluggable_crypto::hazmat::primitives::ciphers::modes::Ecb;
    if !backend.cipher_supported(&aes, Some(&ecb)) {
        return assert_unsupported(aes_key_wrap_with_backend(
            &[0; 16],
            &[0; 16],
            backend.clone(),
        ));
    }
    let b = || backend.clone();
    assert_invalid(
        aes_key_wrap_with_backend(&[0; 15], &[0; 16], b()),
        "valid AES key length",
    );
    assert_invalid(
        aes_key_wrap_with_backend(&[0; 16], &[0; 8], b()),
        "at least 16 bytes",
    );
    assert_invalid(
        aes_key_wrap_with_backend(&[0; 16], &[0; 20], b()),
        "multiple of 8",
    );
    for len in [0usize, 8, 16, 23, 25, 31] {
        assert_eq!(
            aes_key_unwrap_with_backend(&[0; 16], &vec![0; len], b()).map(|_| ()),
            Err(Error::InvalidUnwrap),
            "{len}"
        );
    }
    for len in [0usize, 8, 15, 17, 23] {
        assert_eq!(
            aes_key_unwrap_with_padding_with_backend(&[0; 16], &vec![0; len], b()).map(|_| ()),
            Err(Error::InvalidUnwrap),
            "{len}"
        );
    }
    assert_invalid(
        aes_key_wrap_with_padding_with_backend(&[0; 16], &[], b()),
        "between 1 and",
    );
    // An RFC 3394 wrapping does not unwrap as RFC 5649 (the initial values differ).
    let wrapped = aes_key_wrap_with_backend(&[3; 16], &[4; 16], b()).unwrap();
    assert_eq!(
        aes_key_unwrap_with_padding_with_backend(&[3; 16], &wrapped, b()).map(|_| ()),
        Err(Error::InvalidUnwrap)
    );
    // Round trips of every length 1..=40 with padding.
    for len in 1..=40usize {
        let key: Vec<u8> = (0..len as u8).collect();
        let wrapped = aes_key_wrap_with_padding_with_backend(&[6; 24], &key, b()).unwrap();
        assert_eq!(wrapped.len(), 8 + len.div_ceil(8) * 8);
        let unwrapped = aes_key_unwrap_with_padding_with_backend(&[6; 24], &wrapped, b()).unwrap();
        assert_eq!(unwrapped.as_slice(), key);
        assert_eq!(
            aes_key_unwrap_with_padding_with_backend(&[7; 24], &wrapped, b()).map(|_| ()),
            Err(Error::InvalidUnwrap)
        );
    }
}

#[test]
fn keywrap_with_padding_rfc5649() {
    let backend = backend();
    let aes = Aes::new(&[0; 24]).unwrap();
    let ecb = pluggable_crypto::hazmat::primitives::ciphers::modes::Ecb;
    // RFC 5649 section 6, both examples (192-bit KEK).
    let kek = hex("5840df6e29b02af1 ab493b705bf16ea1 ae8338f4dcc176a8");
    if !backend.cipher_supported(&aes, Some(&ecb)) {
        return assert_unsupported(aes_key_wrap_with_padding_with_backend(
            &kek,
            &[0; 20],
            backend.clone(),
        ));
    }
    for (key, wrapped) in [
        (
            "c37b7e6492584340 bed1220780894115 5068f738",
            "138bdeaa9b8fa7fc 61f97742e72248ee 5ae6ae5360d1ae6a 5f54f373fa543b6a",
        ),
        ("466f7250617369", "afbeb0f07dfbf541 9200f2ccb50bb24f"),
    ] {
        let (key, wrapped) = (hex(key), hex(wrapped));
        assert_eq!(
            aes_key_wrap_with_padding_with_backend(&kek, &key, backend.clone()).unwrap(),
            wrapped
        );
        assert_eq!(
            aes_key_unwrap_with_padding_with_backend(&kek, &wrapped, backend.clone())
                .unwrap()
                .as_slice(),
            key
        );
    }
}

/// Every (construction, key length in bytes) `backend` serves with 16-byte tags, for the entry
/// files' support-matrix tests.
pub(crate) fn aead_matrix(backend: &dyn Backend) -> Vec<(AeadAlgorithm, usize)> {
    let mut out = Vec::new();
    for algorithm in AeadAlgorithm::ALL {
        for &key_len in algorithm.key_sizes() {
            if backend.aead_supported(algorithm, key_len, 16) {
                out.push((algorithm, key_len));
            }
        }
    }
    out
}

/// Asserts that `backend`'s one-shot AES-GCM takes nonces of 8 to 128 bytes, not only 96 bits
/// (for the entry files of the backends that must; a rule lets any backend refuse them).
#[allow(dead_code)] // not every entry file has such a backend
pub(crate) fn assert_every_gcm_nonce_length(backend: BackendRef) {
    let aead = AesGcm::with_backend(&[9; 16], backend).unwrap();
    for nonce_len in [8, 12, 16, 60, 128] {
        let nonce = vec![0xc3; nonce_len];
        let sealed = aead.encrypt(&nonce, b"data", b"").unwrap();
        assert_eq!(aead.decrypt(&nonce, &sealed, b"").unwrap(), b"data");
    }
}
