//! The DSA and DH rules of the primitives layer, on every backend: sizes, ranges, subgroup
//! membership, consistency of x and y, strict DER signatures, and what a backend without the
//! family answers (`UnsupportedAlgorithm`). Parameters come from the vector files, and DSA
//! parameters are generated once per DSA backend, at 1024 bits.

use pluggable_crypto::hazmat::backends::default_backend;
use pluggable_crypto::hazmat::primitives::asymmetric::dh::{
    self, DhParameterNumbers, DhPrivateNumbers, DhPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::dsa::{
    self, DsaParameterNumbers, DsaPrivateNumbers, DsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, Prehashed};
use pluggable_crypto::hazmat::primitives::hashes::{Sha1, Sha256};
use pluggable_crypto::{Error, KeyRejectedKind};
use test_vectors::ffc::{load_joined, load_with_domain};

#[path = "support/ffc.rs"]
mod ffc;

use ffc::{backends, der_signature, hex_int};

fn kind<T>(result: Result<T, Error>) -> Option<KeyRejectedKind> {
    match result {
        Err(Error::KeyRejected(r)) => Some(r.kind()),
        _ => None,
    }
}

/// The first FIPS 186-3 KeyPair vector (L = 1024, N = 160).
fn dsa_vector() -> DsaPrivateNumbers {
    let cases =
        load_with_domain("asymmetric/DSA/FIPS_186-3/KeyPair.rsp", &["P", "Q", "G"]).unwrap();
    let c = &cases[0];
    let parameters = DsaParameterNumbers::new(
        hex_int(c, "P").unwrap(),
        hex_int(c, "Q").unwrap(),
        hex_int(c, "G").unwrap(),
    );
    DsaPrivateNumbers::new(
        hex_int(c, "X").unwrap(),
        DsaPublicNumbers::new(hex_int(c, "Y").unwrap(), parameters),
    )
}

fn plus(n: &BigUint, k: u64) -> BigUint {
    // Small additions through hex are enough here.
    let mut bytes = n.to_be_bytes();
    let mut carry = k;
    for b in bytes.iter_mut().rev() {
        let v = u64::from(*b) + (carry & 0xff);
        *b = (v & 0xff) as u8;
        carry = (carry >> 8) + (v >> 8);
    }
    if carry > 0 {
        bytes.insert(0, carry as u8);
    }
    BigUint::from_be_bytes(&bytes)
}

#[test]
fn dsa_number_rules() {
    let good = dsa_vector();
    let params = good.public_numbers.parameter_numbers.clone();
    let backend = default_backend();
    // p of another size; q of another size; q not dividing p - 1.
    let mut p = params.clone();
    p.p = BigUint::from_hex(&format!("{}01", p.p.to_hex())).unwrap();
    assert_eq!(
        kind(p.parameters()),
        Some(KeyRejectedKind::InvalidComponent)
    );
    let mut q = params.clone();
    q.q = BigUint::from_hex(&format!("{}01", q.q.to_hex())).unwrap();
    assert_eq!(
        kind(q.parameters()),
        Some(KeyRejectedKind::InvalidComponent)
    );
    let mut q = params.clone();
    q.q = plus(&q.q, 2);
    assert_eq!(
        kind(q.parameters()),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    // g out of range, or not of order q.
    for g in [BigUint::from_u64(1), params.p.clone()] {
        let bad = DsaParameterNumbers::new(params.p.clone(), params.q.clone(), g);
        assert_eq!(
            kind(bad.parameters()),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    let bad = DsaParameterNumbers::new(params.p.clone(), params.q.clone(), BigUint::from_u64(2));
    assert_eq!(
        kind(bad.parameters()),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    // y out of range or outside the subgroup.
    for y in [
        BigUint::from_u64(1),
        params.p.clone(),
        plus(&good.public_numbers.y, 1),
    ] {
        let public = DsaPublicNumbers::new(y, params.clone());
        assert_eq!(
            kind(public.public_key_with_backend(backend.clone())),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    // x out of range, or not giving y.
    for x in [BigUint::zero(), params.q.clone()] {
        let private = DsaPrivateNumbers::new(x, good.public_numbers.clone());
        assert_eq!(
            kind(private.private_key_with_backend(backend.clone())),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    let private = DsaPrivateNumbers::new(plus(&good.x, 1), good.public_numbers.clone());
    assert_eq!(
        kind(private.private_key_with_backend(backend.clone())),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    // Generation sizes.
    for size in [512, 1000, 8192] {
        assert!(matches!(
            dsa::generate_parameters_with_backend(size, backend.clone()),
            Err(Error::InvalidArgument(_))
        ));
    }
    // Debug never prints x.
    let shown = format!("{good:?}");
    assert!(
        !shown.contains(&good.x.to_hex()) && !shown.contains("x:"),
        "{shown}"
    );
}

#[test]
fn dsa_signatures_must_be_strict_der_in_range() {
    let numbers = dsa_vector();
    for (label, backend) in backends() {
        if !backend.dsa_supported(1024) {
            let e = numbers
                .private_key_with_backend(backend.clone())
                .unwrap_err();
            assert!(e.is_unsupported(), "{label}: {e:?}");
            println!("DSA rules on {label}: unsupported (UnsupportedAlgorithm)");
            continue;
        }
        let key = numbers.private_key_with_backend(backend.clone()).unwrap();
        let public = key.public_key().unwrap();
        let signature = key.sign(b"message", Sha256).unwrap();
        public.verify(&signature, b"message", Sha256).unwrap();
        let q = &numbers.public_numbers.parameter_numbers.q;
        let one = BigUint::from_u64(1);
        let mut trailing = signature.clone();
        trailing.push(0);
        let mut long_form = vec![0x30, 0x81, signature[1]];
        long_form.extend_from_slice(&signature[2..]);
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("empty", vec![]),
            ("trailing byte", trailing),
            ("non-minimal length", long_form),
            ("r = 0", der_signature(&BigUint::zero(), &one)),
            ("r = q", der_signature(q, &one)),
            ("s = q", der_signature(&one, q)),
            (
                "negative r",
                vec![0x30, 0x06, 0x02, 0x01, 0xff, 0x02, 0x01, 0x01],
            ),
            (
                "three integers",
                vec![0x30, 0x09, 2, 1, 1, 2, 1, 1, 2, 1, 1],
            ),
        ];
        for (what, sig) in bad {
            assert!(
                matches!(
                    public.verify(&sig, b"message", Sha256),
                    Err(Error::InvalidSignature)
                ),
                "{label}: {what}"
            );
        }
        // A prehashed digest of the wrong length is a usage error, not a bad signature.
        assert!(matches!(
            public.verify(&signature, &[0; 20], Prehashed(Sha256)),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            key.sign(&[0; 32], Prehashed(Sha1)),
            Err(Error::InvalidArgument(_))
        ));
        // Keys move between backends through their numbers.
        for (other_label, other) in backends() {
            if other.dsa_supported(1024) {
                let moved = public.on_backend(other.clone()).unwrap();
                moved.verify(&signature, b"message", Sha256).unwrap();
                let moved_key = key.on_backend(other).unwrap();
                public
                    .verify(&moved_key.sign(b"m", Sha1).unwrap(), b"m", Sha1)
                    .unwrap_or_else(|e| panic!("{label} -> {other_label}: {e}"));
            }
        }
        assert!(!format!("{key:?}").contains(&numbers.x.to_hex()));
        println!("DSA rules on {label}: 8 malformed signatures refused");
    }
}

#[test]
fn dsa_generation_once_per_backend() {
    for (label, backend) in backends() {
        if label == "default" {
            continue; // routed to a member below or above
        }
        if !backend.dsa_supported(1024) {
            let e = dsa::generate_parameters_with_backend(1024, backend.clone()).unwrap_err();
            assert!(e.is_unsupported(), "{label}: {e:?}");
            continue;
        }
        let parameters = dsa::generate_parameters_with_backend(1024, backend.clone()).unwrap();
        assert_eq!(parameters.key_size(), 1024);
        assert_eq!(parameters.parameter_numbers().q.bits(), 160);
        let key = parameters.generate_private_key().unwrap();
        assert_eq!(key.backend_name(), label);
        let signature = key.sign(b"generated", Sha256).unwrap();
        key.public_key()
            .unwrap()
            .verify(&signature, b"generated", Sha256)
            .unwrap();
        // The key's numbers pass every rule.
        key.private_numbers()
            .unwrap()
            .private_key_with_backend(backend.clone())
            .unwrap();
        println!("DSA generation on {label}: 1024-bit parameters, key, signature");
    }
}

/// The RFC 5114 1024-bit group with its 160-bit q, and its CAVS key pair.
fn dh_vector() -> DhPrivateNumbers {
    let cases = load_joined("asymmetric/DH/RFC5114.txt").unwrap();
    let c = &cases[0];
    let parameters = DhParameterNumbers::new(
        hex_int(c, "P").unwrap(),
        hex_int(c, "G").unwrap(),
        Some(hex_int(c, "Q").unwrap()),
    );
    DhPrivateNumbers::new(
        hex_int(c, "XstatCAVS").unwrap(),
        DhPublicNumbers::new(hex_int(c, "YstatCAVS").unwrap(), parameters),
    )
}

#[test]
fn dh_number_rules() {
    let good = dh_vector();
    let params = good.public_numbers.parameter_numbers.clone();
    let backend = default_backend();
    assert!(params.parameters_with_backend(backend.clone()).is_ok());
    // p under 512 bits; p even.
    let small = DhParameterNumbers::new(BigUint::from_u64(23), BigUint::from_u64(5), None);
    assert_eq!(kind(small.parameters()), Some(KeyRejectedKind::TooSmall));
    let mut even = params.clone();
    even.p = plus(&even.p, 1);
    even.q = None;
    assert_eq!(
        kind(even.parameters()),
        Some(KeyRejectedKind::InvalidComponent)
    );
    // g out of [2, p - 2]; q not dividing p - 1; g not of order q.
    let p_minus_one = BigUint::from_be_bytes(&{
        let mut b = params.p.to_be_bytes();
        *b.last_mut().unwrap() -= 1; // p is odd
        b
    });
    for g in [BigUint::from_u64(1), p_minus_one.clone()] {
        let bad = DhParameterNumbers::new(params.p.clone(), g, None);
        assert_eq!(
            kind(bad.parameters()),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    let mut q = params.clone();
    q.q = q.q.map(|q| plus(&q, 2));
    assert_eq!(
        kind(q.parameters()),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    let mut g = params.clone();
    g.g = BigUint::from_u64(2);
    assert_eq!(
        kind(g.parameters()),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    // A peer value outside [2, p - 2], or outside the order-q subgroup.
    for y in [
        BigUint::from_u64(1),
        p_minus_one,
        plus(&good.public_numbers.y, 1),
    ] {
        let public = DhPublicNumbers::new(y, params.clone());
        assert_eq!(
            kind(public.public_key()),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    // x out of [1, q - 1]; x not giving y.
    for x in [BigUint::zero(), params.q.clone().unwrap()] {
        let private = DhPrivateNumbers::new(x, good.public_numbers.clone());
        assert_eq!(
            kind(private.private_key_with_backend(backend.clone())),
            Some(KeyRejectedKind::InvalidComponent)
        );
    }
    let private = DhPrivateNumbers::new(plus(&good.x, 1), good.public_numbers.clone());
    assert_eq!(
        kind(private.private_key_with_backend(backend.clone())),
        Some(KeyRejectedKind::InconsistentComponents)
    );
    // Generation arguments.
    for (generator, size) in [(3, 2048), (2, 511), (7, 512)] {
        assert!(matches!(
            dh::generate_parameters_with_backend(generator, size, backend.clone()),
            Err(Error::InvalidArgument(_))
        ));
    }
    let shown = format!("{good:?}");
    assert!(
        !shown.contains(&good.x.to_hex()) && !shown.contains("x:"),
        "{shown}"
    );
}

#[test]
fn dh_on_every_backend() {
    let numbers = dh_vector();
    for (label, backend) in backends() {
        if !backend.dh_supported(1024) {
            let e = numbers
                .private_key_with_backend(backend.clone())
                .unwrap_err();
            assert!(e.is_unsupported(), "{label}: {e:?}");
            let e = dh::generate_parameters_with_backend(2, 512, backend.clone()).unwrap_err();
            assert!(e.is_unsupported(), "{label}: {e:?}");
            let parameters = numbers
                .public_numbers
                .parameter_numbers
                .parameters_with_backend(backend.clone())
                .unwrap();
            assert!(parameters
                .generate_private_key()
                .unwrap_err()
                .is_unsupported());
            println!("DH on {label}: unsupported (UnsupportedAlgorithm)");
            continue;
        }
        let key = numbers.private_key_with_backend(backend.clone()).unwrap();
        assert_eq!(key.key_size(), 1024);
        let other = key.parameters().generate_private_key().unwrap();
        let one = key.exchange(&other.public_key().unwrap()).unwrap();
        let two = other.exchange(&key.public_key().unwrap()).unwrap();
        assert_eq!(*one, *two);
        assert_eq!(one.len(), 128);
        // A peer under other parameters is refused.
        let generated = dh::generate_parameters_with_backend(2, 512, backend.clone()).unwrap();
        assert_eq!(generated.key_size(), 512);
        let stranger = generated.generate_private_key().unwrap();
        assert!(matches!(
            key.exchange(&stranger.public_key().unwrap()),
            Err(Error::InvalidArgument(_))
        ));
        assert!(!format!("{key:?}").contains(&numbers.x.to_hex()));
        println!("DH on {label}: exchange, generation and rules checked");
    }
}
