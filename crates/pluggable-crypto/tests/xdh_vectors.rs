//! X25519 and X448 known answers on every backend that has each curve: RFC 7748 §5.2 (the
//! vector files), its iterated function after 1 and 1,000 iterations (the values are from the
//! RFC's text, not in the wheel; checked against Python `cryptography` when this file was
//! written), and after 1,000,000 iterations as an ignored test (run with `--ignored`). Also the
//! rules: a peer of small order is refused on every backend, lengths are checked, keys move
//! between backends. A backend without the curve must refuse it with `UnsupportedAlgorithm`.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::MontgomeryCurve;
use pluggable_crypto::{Error, KeyRejectedKind};

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut all = available_backends();
    all.push(default_backend());
    all
}

/// `X(k, u)` on `backend` for either curve.
fn x(
    curve: MontgomeryCurve,
    backend: &Arc<dyn Backend>,
    k: &[u8],
    u: &[u8],
) -> Result<Vec<u8>, Error> {
    Ok(match curve {
        MontgomeryCurve::X25519 => {
            X25519PrivateKey::from_private_bytes_with_backend(k, backend.clone())?
                .exchange(&X25519PublicKey::from_public_bytes(u)?)?
                .to_vec()
        }
        MontgomeryCurve::X448 => {
            X448PrivateKey::from_private_bytes_with_backend(k, backend.clone())?
                .exchange(&X448PublicKey::from_public_bytes(u)?)?
                .to_vec()
        }
    })
}

fn serving(curve: MontgomeryCurve) -> Vec<Arc<dyn Backend>> {
    let mut out = Vec::new();
    for backend in backends() {
        if backend.xdh_supported(curve) {
            out.push(backend);
        } else {
            let refused = x(
                curve,
                &backend,
                &vec![9; curve.key_bytes()],
                &vec![9; curve.key_bytes()],
            );
            assert!(
                matches!(refused, Err(Error::UnsupportedAlgorithm { .. })),
                "{} says it lacks {curve} but did not refuse it as unsupported: {refused:?}",
                backend.name()
            );
            println!("{curve} on {}: unsupported, skipped", backend.name());
        }
    }
    out
}

fn rfc7748_file(curve: MontgomeryCurve, path: &str) {
    let cases = test_vectors::load(path).expect(path);
    assert_eq!(Some(cases.len()), test_vectors::expected_case_count(path));
    for backend in serving(curve) {
        for case in cases.iter().cloned() {
            case.ignore("COUNT");
            let k = case.hex("INPUT_SCALAR").unwrap();
            let u = case.hex("INPUT_U").unwrap();
            let expected = case.hex("OUTPUT_U").unwrap();
            let got = x(curve, &backend, &k, &u)
                .unwrap_or_else(|e| panic!("{path}:{} on {}: {e}", case.line(), backend.name()));
            assert_eq!(
                got,
                expected,
                "{path}:{} on {}",
                case.line(),
                backend.name()
            );
            case.finish().unwrap();
        }
        println!(
            "{curve} RFC 7748 on {}: {} passed, 0 skipped",
            backend.name(),
            cases.len()
        );
    }
}

#[test]
fn x25519_rfc7748() {
    rfc7748_file(MontgomeryCurve::X25519, "asymmetric/X25519/rfc7748.txt");
}

#[test]
fn x448_rfc7748() {
    rfc7748_file(MontgomeryCurve::X448, "asymmetric/X448/rfc7748.txt");
}

/// RFC 7748 §5.2: k = u = the base point; then repeatedly `k, u = X(k, u), k`.
fn iterate(curve: MontgomeryCurve, checkpoints: &[(usize, &str)]) {
    for backend in serving(curve) {
        let mut k = vec![0u8; curve.key_bytes()];
        k[0] = match curve {
            MontgomeryCurve::X25519 => 9,
            MontgomeryCurve::X448 => 5,
        };
        let mut u = k.clone();
        let last = checkpoints.iter().map(|(n, _)| *n).max().unwrap_or(0);
        for i in 1..=last {
            let r = x(curve, &backend, &k, &u).unwrap();
            u = std::mem::replace(&mut k, r);
            if let Some((_, expected)) = checkpoints.iter().find(|(n, _)| *n == i) {
                assert_eq!(
                    hex::encode(&k),
                    *expected,
                    "{curve} after {i} iterations on {}",
                    backend.name()
                );
            }
        }
        println!(
            "{curve} RFC 7748 iterated on {}: {} checkpoints passed (up to {last} iterations)",
            backend.name(),
            checkpoints.len()
        );
    }
}

const X25519_1: &str = "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079";
const X25519_1000: &str = "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51";
const X25519_1000000: &str = "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424";
const X448_1: &str = "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113";
const X448_1000: &str = "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38";
const X448_1000000: &str = "077f453681caca3693198420bbe515cae0002472519b3e67661a7e89cab94695c8f4bcd66e61b9b9c946da8d524de3d69bd9d9d66b997e37";

#[test]
fn x25519_rfc7748_1000_iterations() {
    iterate(
        MontgomeryCurve::X25519,
        &[(1, X25519_1), (1000, X25519_1000)],
    );
}

#[test]
fn x448_rfc7748_1000_iterations() {
    iterate(MontgomeryCurve::X448, &[(1, X448_1), (1000, X448_1000)]);
}

#[test]
#[ignore = "slow: 1,000,000 exchanges per backend"]
fn x25519_rfc7748_1000000_iterations() {
    iterate(
        MontgomeryCurve::X25519,
        &[(1000, X25519_1000), (1_000_000, X25519_1000000)],
    );
}

#[test]
#[ignore = "slow: 1,000,000 exchanges per backend"]
fn x448_rfc7748_1000000_iterations() {
    iterate(
        MontgomeryCurve::X448,
        &[(1000, X448_1000), (1_000_000, X448_1000000)],
    );
}

/// Points of small order (and their non-canonical twins): every one makes the secret all
/// zeros, and every backend refuses the exchange.
#[test]
fn small_order_peers_are_refused_everywhere() {
    let mut x25519_points: Vec<Vec<u8>> = vec![
        vec![0; 32],
        {
            let mut one = vec![0; 32];
            one[0] = 1;
            one
        },
        // The order-8 points, and p - 1, p, p + 1 (u = -1, 0, 1).
        hex::decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800").unwrap(),
        hex::decode("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157").unwrap(),
        hex::decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f").unwrap(),
        hex::decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f").unwrap(),
        hex::decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f").unwrap(),
    ];
    // The same with the ignored top bit set.
    let with_top_bit: Vec<Vec<u8>> = x25519_points
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p[31] |= 0x80;
            p
        })
        .collect();
    x25519_points.extend(with_top_bit);
    let x448_points: Vec<Vec<u8>> = vec![
        vec![0; 56],
        {
            let mut one = vec![0; 56];
            one[0] = 1;
            one
        },
        // u = p - 1, p, p + 1.
        hex::decode("fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff").unwrap(),
        hex::decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff").unwrap(),
        hex::decode("00000000000000000000000000000000000000000000000000000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff").unwrap(),
    ];
    for (curve, points) in [
        (MontgomeryCurve::X25519, &x25519_points),
        (MontgomeryCurve::X448, &x448_points),
    ] {
        for backend in serving(curve) {
            let k = vec![0x42; curve.key_bytes()];
            for point in points.iter() {
                match x(curve, &backend, &k, point) {
                    Err(Error::KeyRejected(r)) if r.kind() == KeyRejectedKind::InvalidComponent => {
                    }
                    other => panic!(
                        "{curve} on {}: peer {} gave {other:?}, not a small-order refusal",
                        backend.name(),
                        hex::encode(point)
                    ),
                }
            }
            println!(
                "{curve} small-order peers on {}: {} refused",
                backend.name(),
                points.len()
            );
        }
    }
}

#[test]
fn lengths_and_backends() {
    for curve in [MontgomeryCurve::X25519, MontgomeryCurve::X448] {
        let n = curve.key_bytes();
        for bad in [0, n - 1, n + 1] {
            for backend in serving(curve) {
                let err = x(curve, &backend, &vec![1; bad], &vec![9; n]).unwrap_err();
                assert!(
                    matches!(&err, Error::KeyRejected(r) if r.kind() == KeyRejectedKind::InvalidEncoding),
                    "{err:?}"
                );
            }
            let err = match curve {
                MontgomeryCurve::X25519 => X25519PublicKey::from_public_bytes(&vec![9; bad]).err(),
                MontgomeryCurve::X448 => X448PublicKey::from_public_bytes(&vec![9; bad]).err(),
            };
            assert!(matches!(err, Some(Error::KeyRejected(_))), "{err:?}");
        }
    }
    // Generation, raw round trips, agreement across backends, and the key moving between them.
    let x25519 = serving(MontgomeryCurve::X25519);
    for a in &x25519 {
        let alice = X25519PrivateKey::generate_with_backend(a.clone()).unwrap();
        let raw = alice.private_bytes_raw().unwrap();
        assert!(!format!("{alice:?}").contains(&hex::encode(&*raw)));
        for b in &x25519 {
            let bob = X25519PrivateKey::generate_with_backend(b.clone()).unwrap();
            let moved = alice.on_backend(b.clone()).unwrap();
            assert_eq!(*moved.private_bytes_raw().unwrap(), *raw);
            assert_eq!(moved.public_key().unwrap(), alice.public_key().unwrap());
            let s1 = alice.exchange(&bob.public_key().unwrap()).unwrap();
            let s2 = bob.exchange(&alice.public_key().unwrap()).unwrap();
            assert_eq!(*s1, *s2, "X25519 {} with {}", a.name(), b.name());
        }
    }
    let x448 = serving(MontgomeryCurve::X448);
    for a in &x448 {
        let alice = X448PrivateKey::generate_with_backend(a.clone()).unwrap();
        for b in &x448 {
            let bob = X448PrivateKey::generate_with_backend(b.clone()).unwrap();
            let moved = alice.on_backend(b.clone()).unwrap();
            assert_eq!(moved.public_key().unwrap(), alice.public_key().unwrap());
            let s1 = alice.exchange(&bob.public_key().unwrap()).unwrap();
            let s2 = bob.exchange(&alice.public_key().unwrap()).unwrap();
            assert_eq!(*s1, *s2, "X448 {} with {}", a.name(), b.name());
        }
    }
}
