//! Every runner of a primitive produces the same bytes: they do the same work.

use std::time::Duration;

use cryptography::hazmat::backends::{available_backends, default_backend};

use super::*;

/// Every runner of `p` this build has, by label.
fn runners(p: Primitive) -> Vec<(String, Box<dyn Runner>)> {
    let mut all: Vec<(String, Box<dyn Runner>)> = Vec::new();
    for backend in available_backends() {
        let label = format!("ours/{}", backend.name());
        all.push((
            label,
            ours(p, backend).expect("every backend has every primitive"),
        ));
    }
    all.push(("ours/default".into(), ours(p, default_backend()).unwrap()));
    #[cfg(feature = "openssl")]
    {
        all.push(("raw-evp".into(), raw_openssl(p).unwrap()));
        all.push(("raw-evp-reused".into(), raw_openssl_reused(p).unwrap()));
    }
    #[cfg(feature = "rust")]
    all.push(("raw-rustcrypto".into(), raw_rustcrypto(p).unwrap()));
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
        let expected = available_backends().len()
            + 1
            + if cfg!(feature = "openssl") { 2 } else { 0 }
            + usize::from(cfg!(feature = "rust"));
        assert_eq!(runners.len(), expected, "{p}: a runner is missing");
        assert!(runners.len() >= 3, "{p}: too few runners to compare");
        for len in sizes {
            let msg = message(len);
            let mut reference: Option<(String, Vec<u8>)> = None;
            for (label, runner) in &mut runners {
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
