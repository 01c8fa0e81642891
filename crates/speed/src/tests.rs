//! Every runner of a primitive produces the same bytes: they do the same work.

use std::time::Duration;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;

use super::*;

/// The primitives ring has (its hashes, HMAC and one-shot AEADs; no streaming cipher).
fn ring_has(p: Primitive) -> bool {
    p.is_one_shot_aead()
        || matches!(
            p,
            Primitive::Sha1 | Primitive::Sha256 | Primitive::Sha512 | Primitive::HmacSha256
        )
}

/// Whether our backend named `name` must serve `p`.
fn backend_must_serve(
    p: Primitive,
    backend: &dyn pluggable_crypto::hazmat::backends::Backend,
) -> bool {
    match backend.name() {
        "ring" => ring_has(p),
        // The one-shot AEADs arrive backend by backend: a backend serves one if it says so.
        _ if p.is_one_shot_aead() => {
            let algorithm = match p {
                Primitive::ChaCha20Poly1305 => AeadAlgorithm::ChaCha20Poly1305,
                _ => AeadAlgorithm::AesGcm,
            };
            backend.aead_supported(algorithm, p.key().len(), 16)
        }
        _ => true,
    }
}

/// Every runner of `p` this build has, by label; fails when one that must exist is missing.
fn runners(p: Primitive) -> Vec<(String, Box<dyn Runner>)> {
    runners_with_aad(p, p.aad())
}

/// As [`runners`], one-shot AEADs sealing with `aad`.
fn runners_with_aad(p: Primitive, aad: &'static [u8]) -> Vec<(String, Box<dyn Runner>)> {
    let mut all: Vec<(String, Box<dyn Runner>)> = Vec::new();
    for backend in available_backends() {
        let label = format!("ours/{}", backend.name());
        let must = backend_must_serve(p, &*backend);
        match ours::ours_with_aad(p, backend, aad) {
            Some(runner) => all.push((label, runner)),
            None => assert!(!must, "{p}: {label} is missing"),
        }
    }
    all.push((
        "ours/default".into(),
        ours::ours_with_aad(p, default_backend(), aad).unwrap(),
    ));
    #[cfg(feature = "openssl")]
    {
        // A one-shot AEAD's raw EVP runner is the keyed, reused context.
        if p.is_one_shot_aead() {
            all.push(("raw-evp".into(), evp::reused_with_aad(p, aad).unwrap()));
        } else {
            all.push(("raw-evp".into(), raw_openssl(p).unwrap()));
            all.push(("raw-evp-reused".into(), raw_openssl_reused(p).unwrap()));
        }
    }
    #[cfg(feature = "rust")]
    all.push((
        "raw-rustcrypto".into(),
        rustcrypto::runner_with_aad(p, aad).expect("raw-rustcrypto is missing"),
    ));
    #[cfg(feature = "ring")]
    match ring::runner_with_aad(p, aad) {
        Some(runner) => all.push(("raw-ring".into(), runner)),
        None => assert!(!ring_has(p), "{p}: raw-ring is missing"),
    }
    all
}

fn message(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + 7) as u8).collect()
}

fn expected_len(p: Primitive, len: usize) -> usize {
    match p {
        Primitive::Sha1 => 20,
        Primitive::Sha256 | Primitive::Sha3_256 | Primitive::HmacSha256 => 32,
        Primitive::Sha512 | Primitive::Blake2b => 64,
        _ => processed(p, &message(len)).len() + p.tag_len(),
    }
}

#[test]
fn every_runner_produces_the_same_bytes() {
    // Sizes around block boundaries, the benchmark's odd 1350, and more than one chunk of
    // OpenSSL's internal buffering.
    let sizes = [0, 1, 15, 16, 17, 64, 255, 1350, 8192, 70_001];
    for p in Primitive::ALL {
        let mut runners = runners(p);
        assert!(runners.len() >= 2, "{p}: too few runners to compare");
        agree(p, &mut runners, &sizes);
    }
}

/// Every runner writes the same bytes for every size, deterministically.
fn agree(p: Primitive, runners: &mut [(String, Box<dyn Runner>)], sizes: &[usize]) {
    for &len in sizes {
        let msg = message(len);
        let mut reference: Option<(String, Vec<u8>)> = None;
        for (label, runner) in runners.iter_mut() {
            // Twice on the same `out`, and the second run after a different message, so
            // state kept between messages (a reused context, a grown buffer) must reset.
            let mut out = vec![0xAA; 3];
            runner.run(&message(len + 5), &mut out);
            runner.run(&msg, &mut out);
            let first = out.clone();
            runner.run(&msg, &mut out);
            assert_eq!(first, out, "{p} {label} len {len}: not deterministic");
            assert_eq!(out.len(), expected_len(p, len), "{p} {label} len {len}");
            match &reference {
                None => reference = Some((label.clone(), out)),
                Some((ref_label, expected)) => assert_eq!(
                    &out, expected,
                    "{p} len {len}: {label} differs from {ref_label}"
                ),
            }
        }
    }
}

#[test]
fn one_shot_aeads_agree_for_every_aad_length() {
    // 0 to 16 bytes of associated data (GHASH and Poly1305 pad it to 16), on messages around
    // the block and 4-block (ring's and OpenSSL's bulk loops) boundaries, and 16 KiB + 3.
    let sizes = [0, 1, 15, 16, 17, 63, 64, 65, 255, 1350, 16_387];
    for p in Primitive::ALL.into_iter().filter(|p| p.is_one_shot_aead()) {
        for n in 0..=AAD.len() {
            let mut runners = runners_with_aad(p, &AAD[..n]);
            assert!(runners.len() >= 2, "{p}: too few runners to compare");
            agree(p, &mut runners, &sizes);
        }
    }
}

#[test]
fn one_shot_aead_output_opens_and_a_flipped_bit_fails() {
    // The runners agree with each other; this shows what they write is ciphertext ‖ tag
    // under the benchmark key, nonce and AAD: our decryption on ring opens it, and a flipped
    // bit fails.
    use pluggable_crypto::hazmat::primitives::aead::{AesGcm, ChaCha20Poly1305};
    let msg = message(100);
    for p in Primitive::ALL.into_iter().filter(|p| p.is_one_shot_aead()) {
        let mut out = Vec::new();
        ours(p, default_backend()).unwrap().run(&msg, &mut out);
        let open = |sealed: &[u8]| match p {
            Primitive::ChaCha20Poly1305 => {
                ChaCha20Poly1305::new(p.key()).and_then(|a| a.decrypt(p.iv(), sealed, p.aad()))
            }
            _ => AesGcm::new(p.key()).and_then(|a| a.decrypt(p.iv(), sealed, p.aad())),
        };
        assert_eq!(open(&out).unwrap(), msg, "{p}");
        out[7] ^= 1;
        assert!(open(&out).is_err(), "{p}");
    }
}

#[test]
fn known_answers() {
    // The test above shows the runners agree; these published vectors show what they agree
    // on is right (the fixed key and IV are SP 800-38A's AES-256 ones).
    // FIPS 180-2: SHA-256("abc").
    let mut sha = ours(Primitive::Sha256, default_backend()).unwrap();
    let mut out = Vec::new();
    sha.run(b"abc", &mut out);
    assert_eq!(
        out[..8],
        [0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea],
        "SHA-256(\"abc\")"
    );
    // AES-256-CTR keystream for the SP 800-38A F.5.5 key and counter block: the first block
    // of plaintext 6bc1bee2... encrypts to 601ec313775789a5b7a7f504bbf3d228.
    let mut ctr = ours(Primitive::Aes256Ctr, default_backend()).unwrap();
    let plaintext = [
        0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17,
        0x2a,
    ];
    ctr.run(&plaintext, &mut out);
    assert_eq!(
        out,
        [
            0x60, 0x1e, 0xc3, 0x13, 0x77, 0x57, 0x89, 0xa5, 0xb7, 0xa7, 0xf5, 0x04, 0xbb, 0xf3,
            0xd2, 0x28
        ]
    );
}

#[test]
fn names_round_trip() {
    for p in Primitive::ALL {
        assert_eq!(Primitive::from_name(p.name()), Some(p));
        assert_eq!(Primitive::from_name(&p.name().to_uppercase()), Some(p));
        assert_eq!(p.to_string(), p.name());
    }
    assert_eq!(Primitive::from_name("aes-192-gcm"), None);
    assert_eq!(
        Primitive::from_name("aes-128-gcm-oneshot"),
        Some(Primitive::Aes128GcmOneShot)
    );
    let mut names: Vec<_> = Primitive::ALL.iter().map(|p| p.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Primitive::ALL.len());
}

#[test]
fn measure_counts_messages() {
    let mut runner = ours(Primitive::Sha256, default_backend()).unwrap();
    let m = measure(&mut *runner, &[0; 256], Duration::from_millis(30));
    assert!(m.messages > 0);
    assert!(m.elapsed >= Duration::from_millis(30));
    assert!(m.bytes_per_second(256) > 0.0);
    assert!(m.nanos_per_message().is_finite());
    let expected = m.elapsed.as_nanos() as f64 / m.messages as f64;
    assert!((m.nanos_per_message() - expected).abs() < 1e-6);
}

#[test]
fn measure_reports_a_failing_runner() {
    struct Failing;
    impl Runner for Failing {
        fn run(&mut self, _message: &[u8], out: &mut Vec<u8>) {
            out.clear();
        }
    }
    let m = measure(&mut Failing, &[0; 16], Duration::from_millis(10));
    assert_eq!(m.messages, 0);
    assert_eq!(m.bytes_per_second(16), 0.0);
    assert!(m.nanos_per_message().is_infinite());
}

/// The one-shot AEAD table of `BENCHMARKS.md` ("One-shot AEADs"): our AES-GCM and
/// ChaCha20-Poly1305 on the default backend and on each backend, against ring, OpenSSL EVP and
/// RustCrypto called directly, at 64 B and 16 KiB. On a shared machine a sequential benchmark
/// drifts with the load, so every runner is timed in short interleaved rounds and keeps its
/// fastest round. Run it with
/// `cargo test -p speed --release -- --ignored --nocapture one_shot_aead_table`.
#[test]
#[ignore = "a measurement (about a minute), not a check"]
fn one_shot_aead_table() {
    use pluggable_crypto::hazmat::primitives::aead::AesGcm;

    /// `AesGcm::encrypt` (a new `Vec` per message) on the default backend.
    struct Encrypt(AesGcm, Primitive);
    impl Runner for Encrypt {
        fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
            let p = self.1;
            *out = self.0.encrypt(p.iv(), message, p.aad()).unwrap_or_default();
        }
    }

    /// ring as a user who wants a new `Vec` per message calls it: the message copied into a
    /// `Vec` with room for the tag, `seal_in_place_append_tag` (compare with `encrypt`).
    #[cfg(feature = "ring")]
    struct RingVec(::ring::aead::LessSafeKey, Primitive);
    #[cfg(feature = "ring")]
    impl RingVec {
        fn new(p: Primitive) -> Self {
            use ::ring::aead::{UnboundKey, AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305};
            let algorithm = match p {
                Primitive::Aes128GcmOneShot => &AES_128_GCM,
                Primitive::Aes256GcmOneShot => &AES_256_GCM,
                _ => &CHACHA20_POLY1305,
            };
            let key = UnboundKey::new(algorithm, p.key()).unwrap();
            RingVec(::ring::aead::LessSafeKey::new(key), p)
        }
    }
    #[cfg(feature = "ring")]
    impl Runner for RingVec {
        fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
            use ::ring::aead::{Aad, Nonce};
            let p = self.1;
            let mut sealed = Vec::with_capacity(message.len() + 16);
            sealed.extend_from_slice(message);
            let nonce = Nonce::try_assume_unique_for_key(p.iv()).unwrap();
            self.0
                .seal_in_place_append_tag(nonce, Aad::from(p.aad()), &mut sealed)
                .unwrap();
            *out = sealed;
        }
    }

    const ROUNDS: usize = 60;
    let per_round = Duration::from_millis(10);
    println!(
        "| primitive | size | implementation | ns/message | MB/s | / raw-ring | / raw-ring (Vec) |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|");
    for p in Primitive::ALL.into_iter().filter(|p| p.is_one_shot_aead()) {
        let mut runners: Vec<(String, Box<dyn Runner>)> = Vec::new();
        for backend in available_backends() {
            let name = backend.name().to_owned();
            if let Some(runner) = ours(p, backend) {
                runners.push((name, runner));
            }
        }
        runners.push((
            "default encrypt_into".into(),
            ours(p, default_backend()).unwrap(),
        ));
        if p != Primitive::ChaCha20Poly1305 {
            runners.push((
                "default encrypt (Vec)".into(),
                Box::new(Encrypt(AesGcm::new(p.key()).unwrap(), p)),
            ));
        }
        #[cfg(feature = "ring")]
        {
            runners.push(("raw-ring".into(), raw_ring(p).unwrap()));
            runners.push(("raw-ring (Vec)".into(), Box::new(RingVec::new(p))));
        }
        #[cfg(feature = "openssl")]
        runners.push(("raw-evp".into(), raw_openssl(p).unwrap()));
        #[cfg(feature = "rust")]
        if let Some(runner) = raw_rustcrypto(p) {
            runners.push(("raw-rustcrypto".into(), runner));
        }
        for size in [64, 16 * 1024] {
            let msg = message(size);
            let mut best = vec![f64::INFINITY; runners.len()];
            for _ in 0..ROUNDS {
                for (i, (_, runner)) in runners.iter_mut().enumerate() {
                    let m = measure(&mut **runner, &msg, per_round);
                    best[i] = best[i].min(m.nanos_per_message());
                }
            }
            let time_of = |wanted: &str| {
                runners
                    .iter()
                    .position(|(name, _)| name == wanted)
                    .map_or(f64::NAN, |i| best[i])
            };
            let (raw_ring, raw_ring_vec) = (time_of("raw-ring"), time_of("raw-ring (Vec)"));
            for ((name, _), ns) in runners.iter().zip(&best) {
                println!(
                    "| {p} | {size} | {name} | {ns:.0} | {:.0} | {:.2} | {:.2} |",
                    size as f64 * 1e3 / ns,
                    ns / raw_ring,
                    ns / raw_ring_vec
                );
            }
        }
    }
}
