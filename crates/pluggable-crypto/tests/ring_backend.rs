//! The ring backend, called explicitly: hashes, HMAC and the one-shot AEADs against published
//! vectors, its limits (12-byte nonces, 16-byte tags, no AES-192, no streaming ciphers), and the
//! default backend serving what ring declines.
//!
//! Every expected value is copied from the document named next to it.
#![cfg(feature = "ring")]

#[path = "support/alloc_counter.rs"]
mod alloc_counter;

use std::sync::Arc;

use alloc_counter::allocations;
use pluggable_crypto::hazmat::backends::ring;
use pluggable_crypto::hazmat::backends::{AeadAlgorithm, Backend};
use pluggable_crypto::hazmat::primitives::aead::{AesGcm, ChaCha20Poly1305};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;
use pluggable_crypto::hazmat::primitives::ciphers::modes::Gcm;
use pluggable_crypto::hazmat::primitives::hashes::{
    Hash, HashAlgorithm, Sha1, Sha224, Sha256, Sha384, Sha3_256, Sha512, Sha512_224, Sha512_256,
};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::{Error, Reason};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).expect("valid hex in a test vector")
}

fn backend() -> Arc<dyn Backend> {
    ring::backend()
}

fn is_unsupported<T>(result: pluggable_crypto::Result<T>) -> bool {
    matches!(result, Err(Error::UnsupportedAlgorithm { .. }))
}

// --- Hashes -----------------------------------------------------------------------------------

/// The one-block "abc" examples of FIPS 180-2 / FIPS 180-4 (NIST CSRC "Examples with
/// Intermediate Values": SHA1.pdf, SHA256.pdf, SHA384.pdf, SHA512.pdf, SHA512_256.pdf).
fn fips_180_abc() -> Vec<(Arc<dyn HashAlgorithm>, &'static str)> {
    vec![
        (Arc::new(Sha1), "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            Arc::new(Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            Arc::new(Sha384),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
             8086072ba1e7cc2358baeca134c825a7",
        ),
        (
            Arc::new(Sha512),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
        (
            Arc::new(Sha512_256),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
        ),
    ]
}

#[test]
fn hashes_match_the_fips_180_abc_examples() {
    let ring = backend();
    for (algorithm, expected) in fips_180_abc() {
        let name = algorithm.name();
        assert!(ring.hash_supported(&*algorithm), "{name}");
        let mut hash = Hash::from_shared(algorithm, &*ring).unwrap();
        hash.update(b"abc").unwrap();
        assert_eq!(hash.finalize().unwrap(), hex(expected), "{name}(\"abc\")");
    }
}

#[test]
fn hash_copy_is_independent() {
    let ring = backend();
    for (algorithm, expected) in fips_180_abc() {
        let name = algorithm.name();
        let mut hash = Hash::from_shared(algorithm, &*ring).unwrap();
        hash.update(b"a").unwrap();
        let mut copy = hash.copy().unwrap();
        hash.update(b"bc").unwrap();
        copy.update(b"b").unwrap();
        copy.update(b"c").unwrap();
        assert_eq!(hash.finalize().unwrap(), hex(expected), "{name}");
        assert_eq!(copy.finalize().unwrap(), hex(expected), "{name} copy");
    }
}

#[test]
fn hashes_ring_lacks_are_unsupported() {
    let ring = backend();
    for algorithm in [
        Arc::new(Sha224) as Arc<dyn HashAlgorithm>,
        Arc::new(Sha512_224),
        Arc::new(Sha3_256),
    ] {
        assert!(!ring.hash_supported(&*algorithm), "{}", algorithm.name());
        assert!(!ring.hmac_supported(&*algorithm), "{}", algorithm.name());
        assert!(is_unsupported(Hash::from_shared(algorithm, &*ring)));
    }
    assert!(!ring.hmac_supported(&Sha512_256));
    assert!(is_unsupported(Hmac::with_backend(b"k", Sha512_256, &*ring)));
    assert_eq!(
        ring.supported_hashes(),
        ["sha1", "sha256", "sha384", "sha512", "sha512-256"]
    );
    assert_eq!(
        ring.supported_hmacs(),
        ["sha1", "sha256", "sha384", "sha512"]
    );
}

// --- HMAC -------------------------------------------------------------------------------------

/// Test case 2 of RFC 2202 section 3 (HMAC-SHA-1) and of RFC 4231 section 4.3 (HMAC-SHA-2):
/// key "Jefe", data "what do ya want for nothing?".
fn hmac_case_2() -> Vec<(Arc<dyn HashAlgorithm>, &'static str)> {
    vec![
        (Arc::new(Sha1), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (
            Arc::new(Sha256),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            Arc::new(Sha384),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
             8e2240ca5e69e2c78b3239ecfab21649",
        ),
        (
            Arc::new(Sha512),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ),
    ]
}

#[test]
fn hmac_matches_rfc_4231_case_2() {
    let ring = backend();
    for (algorithm, expected) in hmac_case_2() {
        let name = algorithm.name();
        assert!(ring.hmac_supported(&*algorithm), "{name}");
        let mut mac = Hmac::from_shared(b"Jefe", algorithm.clone(), &*ring).unwrap();
        mac.update(b"what do ya want ").unwrap();
        let mut copy = mac.copy().unwrap();
        mac.update(b"for nothing?").unwrap();
        assert_eq!(mac.finalize().unwrap(), hex(expected), "HMAC-{name}");
        copy.update(b"for nothing?").unwrap();
        copy.verify(&hex(expected)).unwrap();

        let mut wrong = Hmac::from_shared(b"Jefe", algorithm, &*ring).unwrap();
        wrong.update(b"what do ya want for nothing!").unwrap();
        assert_eq!(wrong.verify(&hex(expected)), Err(Error::InvalidSignature));
    }
}

// --- One-shot AEADs ---------------------------------------------------------------------------

/// A published one-shot AEAD example.
struct AeadCase {
    source: &'static str,
    key: &'static str,
    nonce: &'static str,
    aad: &'static str,
    plaintext: &'static str,
    ciphertext: &'static str,
    tag: &'static str,
}

/// The plaintext of test cases 3 and 15 of the GCM specification; cases 4 and 16 take its
/// first 60 bytes.
const GCM_P: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                     1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";

/// D. McGrew and J. Viega, "The Galois/Counter Mode of Operation (GCM)", revised submission to
/// NIST (2005), appendix B, test cases 1, 3, 4 (AES-128) and 15, 16 (AES-256).
const GCM_CASES: [AeadCase; 5] = [
    AeadCase {
        source: "GCM spec test case 1",
        key: "00000000000000000000000000000000",
        nonce: "000000000000000000000000",
        aad: "",
        plaintext: "",
        ciphertext: "",
        tag: "58e2fccefa7e3061367f1d57a4e7455a",
    },
    AeadCase {
        source: "GCM spec test case 3",
        key: "feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        aad: "",
        plaintext: GCM_P,
        ciphertext: "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
                     21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
        tag: "4d5c2af327cd64a62cf35abd2ba6fab4",
    },
    AeadCase {
        source: "GCM spec test case 4",
        key: "feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                    1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ciphertext: "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
                     21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
        tag: "5bc94fbc3221a5db94fae95ae7121a47",
    },
    AeadCase {
        source: "GCM spec test case 15",
        key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        aad: "",
        plaintext: GCM_P,
        ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                     8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
        tag: "b094dac5d93471bdec1a502270e3cc6c",
    },
    AeadCase {
        source: "GCM spec test case 16",
        key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                    1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                     8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
        tag: "76fc6ece0f4e1768cddf8853bb2d551b",
    },
];

/// RFC 8439 section 2.8.2, the AEAD_CHACHA20_POLY1305 example ("Ladies and Gentlemen of the
/// class of '99: ...").
const CHACHA_CASE: AeadCase = AeadCase {
    source: "RFC 8439 section 2.8.2",
    key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
    nonce: "070000004041424344454647",
    aad: "50515253c0c1c2c3c4c5c6c7",
    plaintext: "4c616469657320616e642047656e746c656d656e206f662074686520636c6173\
                73206f66202739393a204966204920636f756c64206f6666657220796f75206f\
                6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73\
                637265656e20776f756c642062652069742e",
    ciphertext: "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6\
                 3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36\
                 92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc\
                 3ff4def08e4b7a9de576d26586cec64b6116",
    tag: "1ae10b594f09e26a7e902ecbd0600691",
};

/// `ciphertext ‖ tag` of a case.
fn sealed(case: &AeadCase) -> Vec<u8> {
    let mut out = hex(case.ciphertext);
    out.extend(hex(case.tag));
    out
}

/// Encrypts and decrypts `case` with `encrypt`/`decrypt` (and their `_into` forms), expecting
/// the published bytes.
macro_rules! check_case {
    ($aead:expr, $case:expr) => {{
        let (aead, case) = (&$aead, $case);
        let (nonce, aad, plaintext) = (hex(case.nonce), hex(case.aad), hex(case.plaintext));
        let expected = sealed(case);
        assert_eq!(
            aead.encrypt(&nonce, &plaintext, &aad).unwrap(),
            expected,
            "{}",
            case.source
        );
        let mut out = vec![0xAA; expected.len()];
        let n = aead
            .encrypt_into(&nonce, &plaintext, &aad, &mut out)
            .unwrap();
        assert_eq!(
            (n, &out),
            (expected.len(), &expected),
            "{} into",
            case.source
        );
        assert_eq!(
            aead.decrypt(&nonce, &expected, &aad).unwrap(),
            plaintext,
            "{}",
            case.source
        );
        let mut out = vec![0xAA; plaintext.len()];
        let n = aead
            .decrypt_into(&nonce, &expected, &aad, &mut out)
            .unwrap();
        assert_eq!(
            (n, &out),
            (plaintext.len(), &plaintext),
            "{} into",
            case.source
        );
    }};
}

#[test]
fn aes_gcm_matches_the_gcm_spec_cases() {
    for case in &GCM_CASES {
        let aead = AesGcm::with_backend(&hex(case.key), ring::backend()).unwrap();
        check_case!(aead, case);
    }
}

#[test]
fn chacha20_poly1305_matches_rfc_8439() {
    let aead = ChaCha20Poly1305::with_backend(&hex(CHACHA_CASE.key), ring::backend()).unwrap();
    check_case!(aead, &CHACHA_CASE);
}

/// `decrypt_into` of one keyed AEAD: (nonce, sealed data, aad, out).
type DecryptInto<'a> =
    dyn Fn(&[u8], &[u8], &[u8], &mut [u8]) -> pluggable_crypto::Result<usize> + 'a;

#[test]
fn a_forged_tag_is_invalid_and_leaves_no_plaintext() {
    let gcm = AesGcm::with_backend(&hex(GCM_CASES[2].key), ring::backend()).unwrap();
    let chacha = ChaCha20Poly1305::with_backend(&hex(CHACHA_CASE.key), ring::backend()).unwrap();
    let cases: [(&DecryptInto<'_>, &AeadCase); 2] = [
        (&|n, d, a, o| gcm.decrypt_into(n, d, a, o), &GCM_CASES[2]),
        (&|n, d, a, o| chacha.decrypt_into(n, d, a, o), &CHACHA_CASE),
    ];
    for (decrypt_into, case) in cases {
        let (nonce, aad) = (hex(case.nonce), hex(case.aad));
        let good = sealed(case);
        // A flipped bit in the tag, in the ciphertext, or other associated data.
        let mut bad_tag = good.clone();
        *bad_tag.last_mut().unwrap() ^= 1;
        let mut bad_body = good.clone();
        bad_body[0] ^= 0x80;
        for (data, aad) in [
            (&bad_tag, &aad[..]),
            (&bad_body, &aad[..]),
            (&good, b"other".as_slice()),
        ] {
            let mut out = vec![0xAA; data.len() - 16];
            assert_eq!(
                decrypt_into(&nonce, data, aad, &mut out),
                Err(Error::InvalidTag),
                "{}",
                case.source
            );
            assert!(out.iter().all(|&b| b == 0), "{}: out wiped", case.source);
        }
        // Shorter than a tag.
        let mut out = [0u8; 0];
        assert_eq!(
            decrypt_into(&nonce, &good[..15], &aad, &mut out),
            Err(Error::InvalidTag)
        );
    }
}

#[test]
fn the_backend_context_wipes_out_itself() {
    // Below the primitives layer (which wipes too): the ring context alone leaves no
    // plaintext in `out` after a failed check.
    let case = &GCM_CASES[3];
    let ctx = backend()
        .create_aead_ctx(AeadAlgorithm::AesGcm, &hex(case.key), 16)
        .unwrap();
    let mut forged = sealed(case);
    *forged.last_mut().unwrap() ^= 0x01;
    let mut out = vec![0xAA; forged.len() - 16];
    assert_eq!(
        ctx.decrypt_into(&hex(case.nonce), &forged, &[&[]], &mut out),
        Err(Error::InvalidTag)
    );
    assert!(out.iter().all(|&b| b == 0));
    // A wrongly sized `out` is an argument error, not a panic.
    let mut short = vec![0u8; 3];
    assert!(matches!(
        ctx.encrypt_into(&hex(case.nonce), &[0; 4], &[&[]], &mut short),
        Err(Error::InvalidArgument(_))
    ));
}

/// gcmEncryptExtIV128.rsp (NIST CAVP GCMVS, CAVS 14.0), [Keylen = 128] [IVlen = 1024]
/// [PTlen = 128] [AADlen = 128] [Taglen = 128], Count = 0: a 128-byte nonce.
const GCM_LONG_NONCE: AeadCase = AeadCase {
    source: "gcmEncryptExtIV128.rsp IVlen 1024 Count 0",
    key: "ca91e2414409a439b06573d772f90afb",
    nonce: "177008f920a06169ccdf753a338553fefd46845869c9244da44997f83d4ce805\
            a18707c84d114f9c68427b22841591e6caecf5c3e72a25167aa860c51bdc1aa5\
            6dcd69f29a2f35e70a322b9eba092a98d66a956b4d294383a0ebab26f7c4df1a\
            5d4060dfc45a14155100ea7d9e32debb6537406b757291710505142e7659fc77",
    aad: "bfeb15fcf7b15f0e14c04439b67950bd",
    plaintext: "28003e30c4a4ca9e41aafefac1e1c3de",
    ciphertext: "00e472971f3a7770aa7158fd92f17bb7",
    tag: "16661b85eb51646c94cf2be4e42d7a8e",
};

#[test]
fn other_gcm_nonce_lengths_are_unsupported_on_ring_but_served_by_the_default() {
    let key = [0x42u8; 16];
    let nonce16 = [0x24u8; 16];
    let ring_gcm = AesGcm::with_backend(&key, ring::backend()).unwrap();
    let refused = ring_gcm.encrypt(&nonce16, b"sixteen-byte nonce", b"aad");
    assert!(
        matches!(
            &refused,
            Err(Error::UnsupportedAlgorithm { reason: Reason::UnsupportedCipher, message })
                if message.contains("12-byte nonces") && message.contains("got 16")
        ),
        "{refused:?}"
    );
    assert!(is_unsupported(ring_gcm.decrypt(&nonce16, &[0; 32], b"aad")));
    // A 12-byte message still works on the same key object.
    assert!(ring_gcm.encrypt(&[0; 12], b"x", b"").is_ok());

    // The default backend routes AES-GCM to ring first and passes this message on (to
    // OpenSSL, or Rust; a ring-only build has no one to pass it to).
    let default_gcm = AesGcm::new(&key).unwrap();
    if cfg!(not(any(feature = "openssl", feature = "rust"))) {
        assert!(is_unsupported(default_gcm.encrypt(&nonce16, b"x", b"")));
        return;
    }
    let sealed16 = default_gcm
        .encrypt(&nonce16, b"sixteen-byte nonce", b"aad")
        .unwrap();
    assert_eq!(sealed16.len(), 18 + 16);
    assert_eq!(
        default_gcm.decrypt(&nonce16, &sealed16, b"aad").unwrap(),
        b"sixteen-byte nonce"
    );
    let case = &GCM_LONG_NONCE;
    let long = AesGcm::new(&hex(case.key)).unwrap();
    check_case!(long, case);
    let ring_long = AesGcm::with_backend(&hex(case.key), ring::backend()).unwrap();
    assert!(is_unsupported(ring_long.encrypt(
        &hex(case.nonce),
        &hex(case.plaintext),
        &hex(case.aad)
    )));
}

#[test]
fn aead_limits_and_listing() {
    let ring = backend();
    assert!(ring.aead_supported(AeadAlgorithm::AesGcm, 16, 16));
    assert!(ring.aead_supported(AeadAlgorithm::AesGcm, 32, 16));
    assert!(ring.aead_supported(AeadAlgorithm::ChaCha20Poly1305, 32, 16));
    // No AES-192, no truncated tags, nothing else.
    assert!(!ring.aead_supported(AeadAlgorithm::AesGcm, 24, 16));
    assert!(!ring.aead_supported(AeadAlgorithm::AesGcm, 16, 12));
    for algorithm in [
        AeadAlgorithm::AesCcm,
        AeadAlgorithm::AesOcb3,
        AeadAlgorithm::AesSiv,
        AeadAlgorithm::AesGcmSiv,
    ] {
        for key_bytes in [16, 24, 32, 48, 64] {
            assert!(
                !ring.aead_supported(algorithm, key_bytes, 16),
                "{algorithm:?}"
            );
        }
        assert!(is_unsupported(
            ring.create_aead_ctx(algorithm, &[0; 32], 16)
        ));
    }
    assert!(is_unsupported(AesGcm::with_backend(
        &[0; 24],
        ring::backend()
    )));
    assert!(is_unsupported(ring.create_aead_ctx(
        AeadAlgorithm::AesGcm,
        &[0; 16],
        8
    )));
    let listing = ring.supported_aeads();
    assert_eq!(listing.len(), 2);
    assert_eq!(listing[0].algorithm, AeadAlgorithm::AesGcm);
    assert_eq!(listing[0].key_sizes, [128, 256]);
    assert_eq!(listing[1].algorithm, AeadAlgorithm::ChaCha20Poly1305);
    assert_eq!(listing[1].key_sizes, [256]);
}

#[test]
fn streaming_ciphers_cmac_and_poly1305_are_unsupported() {
    let ring = backend();
    let aes = Aes::new(&[0; 16]).unwrap();
    let gcm = Gcm::new(&[0; 12]).unwrap();
    assert!(!ring.cipher_supported(&aes, Some(&gcm)));
    assert!(is_unsupported(
        ring.create_symmetric_encryption_ctx(&aes, Some(&gcm))
    ));
    assert!(is_unsupported(
        ring.create_symmetric_decryption_ctx(&aes, Some(&gcm))
    ));
    assert!(ring.supported_ciphers().is_empty());
    assert!(!ring.cmac_algorithm_supported(&aes));
    assert!(is_unsupported(ring.create_cmac_ctx(&aes)));
    assert!(!ring.poly1305_supported());
    assert!(is_unsupported(ring.create_poly1305_ctx(&[0; 32])));
    assert_eq!(ring.name(), "ring");
}

#[test]
fn no_allocation_per_message_or_update() {
    let ring = backend();
    let data = [0x5au8; 1000];
    // One-shot AEADs: encrypt_into and decrypt_into, on the backend context and through the
    // primitives, allocate nothing per message.
    for (algorithm, key) in [
        (AeadAlgorithm::AesGcm, &[1u8; 16][..]),
        (AeadAlgorithm::AesGcm, &[1u8; 32][..]),
        (AeadAlgorithm::ChaCha20Poly1305, &[1u8; 32][..]),
    ] {
        let ctx = ring.create_aead_ctx(algorithm, key, 16).unwrap();
        let (mut sealed, mut opened) = (vec![0u8; data.len() + 16], vec![0u8; data.len()]);
        let before = allocations();
        for len in [0, 1, 64, 1000] {
            let (sealed, opened) = (&mut sealed[..len + 16], &mut opened[..len]);
            ctx.encrypt_into(&[9; 12], &data[..len], &[b"aad"], sealed)
                .unwrap();
            ctx.decrypt_into(&[9; 12], sealed, &[b"aad"], opened)
                .unwrap();
        }
        assert_eq!(allocations() - before, 0, "{algorithm:?} context");
    }
    let gcm = AesGcm::with_backend(&[1; 16], ring::backend()).unwrap();
    let mut sealed = vec![0u8; data.len() + 16];
    let before = allocations();
    for _ in 0..10 {
        gcm.encrypt_into(&[9; 12], &data, b"aad", &mut sealed)
            .unwrap();
    }
    assert_eq!(allocations() - before, 0, "AesGcm::encrypt_into");
    // Hash and HMAC updates.
    for (algorithm, _) in fips_180_abc() {
        let mut hash = Hash::from_shared(algorithm.clone(), &*ring).unwrap();
        let hmac = ring.hmac_supported(&*algorithm);
        let mut mac = hmac.then(|| Hmac::from_shared(b"key", algorithm.clone(), &*ring).unwrap());
        let before = allocations();
        for len in [0, 1, 64, 1000] {
            hash.update(&data[..len]).unwrap();
            if let Some(mac) = &mut mac {
                mac.update(&data[..len]).unwrap();
            }
        }
        assert_eq!(allocations() - before, 0, "{}", algorithm.name());
    }
}
