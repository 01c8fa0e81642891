//! Random bytes, random nonces and the `nonce ‖ ciphertext ‖ tag` one-shot format
//! (`encrypt_with_random_nonce` / `decrypt_with_prefixed_nonce`) of every nonce-based AEAD, on
//! every backend that serves it; key-size and nonce errors that name their unit.
//!
//! The known-answer cases are published vectors: RFC 8439 section 2.8.2 (ChaCha20-Poly1305)
//! and NIST CAVP GCMVS `gcmEncryptExtIV256.rsp` (AES-GCM), the latter checked against the copy
//! under `vectors/`.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{default_backend, Backend};
use pluggable_crypto::hazmat::primitives::aead::{
    AeadAlgorithm, AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::{random, Error};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).expect("valid hex in a test vector")
}

/// Every backend compiled in, and the default one.
fn backends() -> Vec<(&'static str, Arc<dyn Backend>)> {
    #[allow(unused_mut)]
    let mut all = vec![("default", default_backend())];
    #[cfg(feature = "openssl")]
    all.push((
        "openssl",
        pluggable_crypto::hazmat::backends::openssl::backend(),
    ));
    #[cfg(feature = "rust")]
    all.push(("rust", pluggable_crypto::hazmat::backends::rust::backend()));
    #[cfg(feature = "ring")]
    all.push(("ring", pluggable_crypto::hazmat::backends::ring::backend()));
    all
}

fn assert_invalid<T: std::fmt::Debug>(result: pluggable_crypto::Result<T>, needle: &str) {
    match result {
        Err(Error::InvalidArgument(message)) => {
            assert!(message.contains(needle), "{message:?} lacks {needle:?}")
        }
        other => panic!("expected InvalidArgument containing {needle:?}, got {other:?}"),
    }
}

// --- random -----------------------------------------------------------------------------------

#[test]
fn random_bytes_has_the_length_asked_for() {
    for n in [0, 1, 7, 12, 16, 32, 33, 1000, 65_536] {
        assert_eq!(random::bytes(n).unwrap().len(), n, "n = {n}");
    }
}

#[test]
fn random_calls_differ() {
    // Two 32-byte draws are equal with probability 2^-256.
    assert_ne!(random::bytes(32).unwrap(), random::bytes(32).unwrap());
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    random::fill(&mut a).unwrap();
    random::fill(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32], "fill left the buffer zero");
    random::fill(&mut []).unwrap();
}

#[test]
fn random_bytes_look_uniform() {
    // 64 KiB: every byte value appears (a missing one has probability about 256 × e^-256),
    // and the share of set bits is within 1% of one half (about 14 standard deviations).
    let data = random::bytes(65_536).unwrap();
    let mut seen = [false; 256];
    for &b in &data {
        seen[b as usize] = true;
    }
    assert!(seen.iter().all(|&s| s), "a byte value never appeared");
    let ones: u64 = data.iter().map(|b| u64::from(b.count_ones())).sum();
    let total = 8 * data.len() as u64;
    assert!(
        ones.abs_diff(total / 2) < total / 100,
        "{ones} of {total} bits set"
    );
}

// --- generate_nonce and generate_key_bits -----------------------------------------------------

#[test]
fn generate_nonce_has_the_recommended_length_and_differs() {
    assert_eq!(AesGcm::NONCE_BYTES, 12);
    assert_eq!(ChaCha20Poly1305::NONCE_BYTES, 12);
    assert_eq!(AesCcm::NONCE_BYTES, 12);
    assert_eq!(AesOcb3::NONCE_BYTES, 12);
    assert_eq!(AesGcmSiv::NONCE_BYTES, 12);
    let nonces: Vec<Vec<u8>> = vec![
        AesGcm::generate_nonce().unwrap().to_vec(),
        ChaCha20Poly1305::generate_nonce().unwrap().to_vec(),
        AesCcm::generate_nonce().unwrap().to_vec(),
        AesOcb3::generate_nonce().unwrap().to_vec(),
        AesGcmSiv::generate_nonce().unwrap().to_vec(),
        AesGcm::generate_nonce().unwrap().to_vec(),
    ];
    for (i, a) in nonces.iter().enumerate() {
        assert_eq!(a.len(), 12);
        for b in &nonces[i + 1..] {
            assert_ne!(a, b, "two random 96-bit nonces collided");
        }
    }
}

#[test]
fn generated_nonces_are_accepted_by_encrypt() {
    let gcm = AesGcm::new(&[1; 16]).unwrap();
    let nonce = AesGcm::generate_nonce().unwrap();
    let sealed = gcm.encrypt(&nonce, b"data", b"").unwrap();
    assert_eq!(gcm.decrypt(&nonce, &sealed, b"").unwrap(), b"data");
    let ccm = AesCcm::with_tag_length(&[1; 16], 8).unwrap();
    let nonce = AesCcm::generate_nonce().unwrap();
    let sealed = ccm.encrypt(&nonce, b"data", b"").unwrap();
    assert_eq!(ccm.decrypt(&nonce, &sealed, b"").unwrap(), b"data");
}

#[test]
fn generate_key_bits_sizes_and_units() {
    for bits in [128, 192, 256] {
        assert_eq!(AesGcm::generate_key_bits(bits).unwrap().len(), bits / 8);
        assert_eq!(AesCcm::generate_key_bits(bits).unwrap().len(), bits / 8);
        assert_eq!(AesOcb3::generate_key_bits(bits).unwrap().len(), bits / 8);
        assert_eq!(AesGcmSiv::generate_key_bits(bits).unwrap().len(), bits / 8);
    }
    for bits in [256, 384, 512] {
        assert_eq!(AesSiv::generate_key_bits(bits).unwrap().len(), bits / 8);
    }
    assert_eq!(ChaCha20Poly1305::generate_key_bits(256).unwrap().len(), 32);
    assert_ne!(
        *AesGcm::generate_key_bits(128).unwrap(),
        *AesGcm::generate_key_bits(128).unwrap()
    );

    // A size in bytes where bits are expected is answered in bits.
    assert_invalid(
        AesGcm::generate_key_bits(32),
        "AES-GCM keys must be 128, 192 or 256 bits, got 32 bits",
    );
    assert_invalid(AesGcm::generate_key_bits(129), "got 129 bits");
    assert_invalid(
        ChaCha20Poly1305::generate_key_bits(32),
        "ChaCha20-Poly1305 keys must be 256 bits, got 32 bits",
    );
    assert_invalid(AesCcm::generate_key_bits(16), "got 16 bits");
    assert_invalid(AesOcb3::generate_key_bits(0), "got 0 bits");
    assert_invalid(AesGcmSiv::generate_key_bits(64), "got 64 bits");
    assert_invalid(
        AesSiv::generate_key_bits(128),
        "AES-SIV keys must be 256, 384 or 512 bits, got 128 bits",
    );
}

#[test]
#[allow(deprecated)]
fn the_former_generate_key_is_generate_key_bits() {
    assert_eq!(AesGcm::generate_key(256).unwrap().len(), 32);
    assert_eq!(AesSiv::generate_key(512).unwrap().len(), 64);
    assert_eq!(AesCcm::generate_key(192).unwrap().len(), 24);
    assert_invalid(AesGcm::generate_key(32), "got 32 bits");
}

#[test]
fn errors_carry_units() {
    assert_invalid(
        AesGcm::new(&[0; 3]),
        "AES-GCM keys must be 128, 192 or 256 bits, got 24 bits",
    );
    let gcm = AesGcm::new(&[0; 16]).unwrap();
    assert_invalid(
        gcm.encrypt(&[0; 5], b"", b""),
        "AES-GCM nonces must be between 8 and 128 bytes, got 5 bytes",
    );
    let chacha = ChaCha20Poly1305::new(&[0; 32]).unwrap();
    assert_invalid(
        chacha.decrypt(&[0; 13], &[0; 16], b""),
        "ChaCha20-Poly1305 nonces must be 12 bytes, got 13 bytes",
    );
    assert_invalid(
        AesCcm::with_tag_length(&[0; 16], 3),
        "AES-CCM tag lengths must be 4, 6, 8, 10, 12, 14 or 16 bytes, got 3 bytes",
    );
    assert_invalid(
        gcm.encrypt_into(&[0; 12], b"data", b"", &mut [0; 19]),
        "need at least 20 bytes, got 19 bytes",
    );
    let ccm = AesCcm::new(&[0; 16]).unwrap();
    assert_invalid(
        ccm.encrypt(&[0; 13], &[0; 65_536], b""),
        "at most 65535 bytes of data in one message, got 65536 bytes",
    );
    let siv = AesSiv::new(&[0; 32]).unwrap();
    let components = vec![&b""[..]; 127];
    assert_invalid(
        siv.encrypt(b"x", &components),
        "at most 126 associated-data components, got 127 components",
    );
}

// --- encrypt_with_random_nonce / decrypt_with_prefixed_nonce ----------------------------------

/// One nonce-based AEAD, keyed, behind one interface for the checks below.
trait Prefixed {
    fn seal(&self, data: &[u8], aad: &[u8]) -> pluggable_crypto::Result<Vec<u8>>;
    fn open(&self, data: &[u8], aad: &[u8]) -> pluggable_crypto::Result<Vec<u8>>;
    fn open_explicit(
        &self,
        nonce: &[u8],
        data: &[u8],
        aad: &[u8],
    ) -> pluggable_crypto::Result<Vec<u8>>;
}

macro_rules! prefixed {
    ($($ty:ty),*) => {$(
        impl Prefixed for $ty {
            fn seal(&self, data: &[u8], aad: &[u8]) -> pluggable_crypto::Result<Vec<u8>> {
                self.encrypt_with_random_nonce(data, aad)
            }
            fn open(&self, data: &[u8], aad: &[u8]) -> pluggable_crypto::Result<Vec<u8>> {
                self.decrypt_with_prefixed_nonce(data, aad)
            }
            fn open_explicit(
                &self,
                nonce: &[u8],
                data: &[u8],
                aad: &[u8],
            ) -> pluggable_crypto::Result<Vec<u8>> {
                self.decrypt(nonce, data, aad)
            }
        }
    )*};
}

prefixed!(AesGcm, ChaCha20Poly1305, AesCcm, AesOcb3, AesGcmSiv);

/// A construction's name, its keyed instance (`None` where the backend does not serve it) and
/// its tag length in bytes.
type Case = (String, Option<Box<dyn Prefixed>>, usize);

/// Every (AEAD, key size, tag length) the prefixed format is checked with, keyed on `backend`.
fn keyed(backend: &Arc<dyn Backend>) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    let b = || backend.clone();
    for key_bytes in [16, 24, 32] {
        let key = vec![0x5a; key_bytes];
        let serves = |alg, tag| backend.aead_supported(alg, key_bytes, tag);
        out.push((
            format!("AES-GCM-{}", key_bytes * 8),
            serves(AeadAlgorithm::AesGcm, 16)
                .then(|| Box::new(AesGcm::with_backend(&key, b()).unwrap()) as Box<dyn Prefixed>),
            16,
        ));
        for tag in [4, 8, 16] {
            out.push((
                format!("AES-CCM-{}/{tag}", key_bytes * 8),
                serves(AeadAlgorithm::AesCcm, tag).then(|| {
                    Box::new(AesCcm::with_backend(&key, tag, b()).unwrap()) as Box<dyn Prefixed>
                }),
                tag,
            ));
        }
        out.push((
            format!("AES-OCB3-{}", key_bytes * 8),
            serves(AeadAlgorithm::AesOcb3, 16)
                .then(|| Box::new(AesOcb3::with_backend(&key, b()).unwrap()) as Box<dyn Prefixed>),
            16,
        ));
        out.push((
            format!("AES-GCM-SIV-{}", key_bytes * 8),
            serves(AeadAlgorithm::AesGcmSiv, 16).then(|| {
                Box::new(AesGcmSiv::with_backend(&key, b()).unwrap()) as Box<dyn Prefixed>
            }),
            16,
        ));
    }
    out.push((
        "ChaCha20-Poly1305".into(),
        backend
            .aead_supported(AeadAlgorithm::ChaCha20Poly1305, 32, 16)
            .then(|| {
                Box::new(ChaCha20Poly1305::with_backend(&[0x5a; 32], b()).unwrap())
                    as Box<dyn Prefixed>
            }),
        16,
    ));
    out
}

#[test]
fn prefixed_nonce_round_trip_on_every_backend() {
    let mut served = std::collections::BTreeMap::<String, usize>::new();
    for (backend_name, backend) in backends() {
        for (name, aead, tag) in keyed(&backend) {
            let count = served.entry(name.clone()).or_default();
            let Some(aead) = aead else { continue };
            *count += 1;
            let what = format!("{name} on {backend_name}");
            for len in [0, 1, 15, 16, 17, 64, 1000] {
                let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let sealed = aead.seal(&data, b"header").unwrap();
                assert_eq!(sealed.len(), 12 + len + tag, "{what}, {len} bytes");
                assert_eq!(aead.open(&sealed, b"header").unwrap(), data, "{what}");
                // The format is exactly nonce ‖ what `encrypt` returns for that nonce.
                assert_eq!(
                    aead.open_explicit(&sealed[..12], &sealed[12..], b"header")
                        .unwrap(),
                    data,
                    "{what}"
                );
                // A fresh nonce every time, so the same message seals differently.
                let again = aead.seal(&data, b"header").unwrap();
                assert_ne!(sealed[..12], again[..12], "{what}: nonce repeated");
                assert_ne!(sealed, again, "{what}");
                assert_eq!(aead.open(&again, b"header").unwrap(), data, "{what}");
            }
        }
    }
    // Each construction is served by at least one backend (the Rust backend serves all).
    // Without it, only AES-GCM-SIV may be missing (OpenSSL before 3.2 has none), and the
    // default backend must then refuse it as unsupported.
    for (name, count) in &served {
        if *count > 0 {
            continue;
        }
        assert!(
            !cfg!(feature = "rust") && name.starts_with("AES-GCM-SIV"),
            "no backend served {name}"
        );
        let refused = AesGcmSiv::new(&[0; 16]).and_then(|a| a.encrypt_with_random_nonce(b"x", b""));
        assert!(
            matches!(refused, Err(Error::UnsupportedAlgorithm { .. })),
            "{name}: {refused:?}"
        );
    }
}

#[test]
fn prefixed_nonce_rejects_tampering_and_short_input() {
    for (backend_name, backend) in backends() {
        for (name, aead, tag) in keyed(&backend) {
            let Some(aead) = aead else { continue };
            let what = format!("{name} on {backend_name}");
            let sealed = aead.seal(b"attack at dawn", b"header").unwrap();
            assert_eq!(
                aead.open(&sealed, b"other header"),
                Err(Error::InvalidTag),
                "{what}: wrong associated data"
            );
            for at in 0..sealed.len() {
                let mut forged = sealed.clone();
                forged[at] ^= 0x01;
                assert_eq!(
                    aead.open(&forged, b"header"),
                    Err(Error::InvalidTag),
                    "{what}: byte {at} flipped"
                );
            }
            // Every truncation, down to nothing, is InvalidTag (never a panic).
            for len in 0..sealed.len() {
                assert_eq!(
                    aead.open(&sealed[..len], b"header"),
                    Err(Error::InvalidTag),
                    "{what}: truncated to {len} bytes"
                );
            }
            // Shorter than nonce plus tag, whatever the bytes.
            for len in 0..12 + tag {
                assert_eq!(
                    aead.open(&vec![0u8; len], b""),
                    Err(Error::InvalidTag),
                    "{what}: {len} zero bytes"
                );
            }
            // Appended bytes.
            let mut longer = sealed.clone();
            longer.push(0);
            assert_eq!(
                aead.open(&longer, b"header"),
                Err(Error::InvalidTag),
                "{what}"
            );
        }
    }
}

#[test]
fn prefixed_nonce_of_an_empty_message_is_nonce_and_tag() {
    let aead = AesGcm::new(&[3; 32]).unwrap();
    let sealed = aead.encrypt_with_random_nonce(b"", b"aad").unwrap();
    assert_eq!(sealed.len(), 12 + 16);
    assert_eq!(
        aead.decrypt_with_prefixed_nonce(&sealed, b"aad").unwrap(),
        b""
    );
    assert_eq!(
        aead.decrypt_with_prefixed_nonce(&sealed[..27], b"aad"),
        Err(Error::InvalidTag)
    );
}

#[test]
fn prefixed_nonce_ccm_limits_follow_the_12_byte_nonce() {
    // With a 12-byte nonce AES-CCM's length field is 3 bytes: at most 2^24 - 1 bytes.
    let aead = AesCcm::new(&[9; 16]).unwrap();
    let sealed = aead
        .encrypt_with_random_nonce(&vec![1; (1 << 24) - 1], b"")
        .unwrap();
    assert_eq!(sealed.len(), 12 + (1 << 24) - 1 + 16);
    assert_eq!(
        aead.decrypt_with_prefixed_nonce(&sealed, b"")
            .unwrap()
            .len(),
        (1 << 24) - 1
    );
    assert_invalid(
        aead.encrypt_with_random_nonce(&vec![1; 1 << 24], b""),
        "at most 16777215 bytes of data in one message, got 16777216 bytes",
    );
}

// --- known answers ----------------------------------------------------------------------------

#[path = "support/rfc8439.rs"]
mod rfc8439;

#[test]
fn rfc8439_vector_through_the_prefixed_format() {
    let sealed = [hex(rfc8439::NONCE), hex(rfc8439::CT), hex(rfc8439::TAG)].concat();
    let mut ran = 0;
    for (backend_name, backend) in backends() {
        if !backend.aead_supported(AeadAlgorithm::ChaCha20Poly1305, 32, 16) {
            continue;
        }
        ran += 1;
        let aead = ChaCha20Poly1305::with_backend(&hex(rfc8439::KEY), backend).unwrap();
        assert_eq!(
            aead.decrypt_with_prefixed_nonce(&sealed, &hex(rfc8439::AAD))
                .unwrap(),
            rfc8439::PT,
            "{backend_name}"
        );
        let mut forged = sealed.clone();
        forged[0] ^= 0x80; // the nonce is authenticated too
        assert_eq!(
            aead.decrypt_with_prefixed_nonce(&forged, &hex(rfc8439::AAD)),
            Err(Error::InvalidTag),
            "{backend_name}"
        );
    }
    assert!(ran > 0, "no backend serves ChaCha20-Poly1305");
}

/// NIST CAVP GCMVS, `gcmEncryptExtIV256.rsp`, section `[Keylen = 256] [IVlen = 96]
/// [PTlen = 128] [AADlen = 128] [Taglen = 128]`, `Count = 0`.
const GCM_CASE: [(&str, &str); 6] = [
    (
        "Key",
        "92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b",
    ),
    ("IV", "ac93a1a6145299bde902f21a"),
    ("PT", "2d71bcfa914e4ac045b2aa60955fad24"),
    ("AAD", "1e0889016f67601c8ebea4943bc23ad6"),
    ("CT", "8995ae2e6df3dbf96fac7b7137bae67f"),
    ("Tag", "eca5aa77d51d4a0a14d9c51e1da474ab"),
];

#[test]
fn nist_gcm_vector_through_the_prefixed_format() {
    // The case as copied here is the one in the vector file, line for line.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../vectors/ciphers/AES/GCM/gcmEncryptExtIV256.rsp"
    );
    let file = std::fs::read_to_string(path).expect("the NIST GCM vector file");
    let block: String = GCM_CASE
        .iter()
        .map(|(field, value)| format!("{field} = {value}\n"))
        .collect();
    let section = "[Keylen = 256]\n[IVlen = 96]\n[PTlen = 128]\n[AADlen = 128]\n[Taglen = 128]\n\n\
                   Count = 0\n";
    let file = file.replace("\r\n", "\n");
    let at = file.find(section).expect("the section in the vector file");
    assert!(
        file[at + section.len()..].starts_with(&block),
        "the copied case differs from the vector file"
    );

    let value = |name: &str| hex(GCM_CASE.iter().find(|(f, _)| *f == name).unwrap().1);
    let sealed = [value("IV"), value("CT"), value("Tag")].concat();
    let mut ran = 0;
    for (backend_name, backend) in backends() {
        if !backend.aead_supported(AeadAlgorithm::AesGcm, 32, 16) {
            continue;
        }
        ran += 1;
        let aead = AesGcm::with_backend(&value("Key"), backend).unwrap();
        assert_eq!(
            aead.decrypt_with_prefixed_nonce(&sealed, &value("AAD"))
                .unwrap(),
            value("PT"),
            "{backend_name}"
        );
        let mut forged = sealed.clone();
        forged[11] ^= 0x01;
        assert_eq!(
            aead.decrypt_with_prefixed_nonce(&forged, &value("AAD")),
            Err(Error::InvalidTag),
            "{backend_name}"
        );
    }
    assert!(ran > 0, "no backend serves AES-256-GCM");
}

/// The prelude's documentation says `Arc<dyn Backend>` reaches its interfaces' methods with
/// no trait import; this module imports none.
mod no_trait_import {
    use pluggable_crypto::hazmat::backends::default_backend;
    use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
    use pluggable_crypto::hazmat::primitives::hashes::Sha256;

    #[test]
    fn backend_methods_through_dyn_backend() {
        let backend = default_backend();
        assert!(backend.aead_supported(AeadAlgorithm::AesGcm, 16, 16));
        assert!(backend.hash_supported(&Sha256));
        assert!(!backend.name().is_empty());
    }
}
