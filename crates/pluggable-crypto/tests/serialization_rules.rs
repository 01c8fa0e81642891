//! The rules of key serialization: round trips on every backend for every valid (encoding,
//! format, encryption), the invalid combinations, the three password errors, and strict DER
//! (trailing data, BER lengths, non-minimal integers, wrong OIDs, huge length fields).

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::ec;
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::Ed448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::X25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x448::X448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::{rsa, BigUint, EllipticCurve};
use pluggable_crypto::hazmat::primitives::serialization::{
    load_der_private_key, load_der_public_key, load_pem_private_key, load_pem_public_key,
    BestAvailableEncryption, Encoding, KeyLoader, KeySerializationEncryption, NoEncryption,
    Pkcs8Cipher, Pkcs8Kdf, PrivateFormat, PrivateKeyTypes, PublicFormat,
};
use pluggable_crypto::Error;
use proptest::prelude::*;

#[path = "support/proptest_config.rs"]
mod proptest_config;

const PASSWORD: &[u8] = b"round trip";

fn quick_pkcs8() -> KeySerializationEncryption {
    PrivateFormat::Pkcs8
        .encryption_builder()
        .unwrap()
        .kdf_rounds(1000)
        .unwrap()
        .pkcs8_cipher(Pkcs8Cipher::Aes128Cbc)
        .unwrap()
        .build(PASSWORD)
        .unwrap()
}

/// Every private (encoding, format) pyca allows for `key`, unencrypted.
fn private_pairs(key: &PrivateKeyTypes) -> Vec<(Encoding, PrivateFormat)> {
    let mut pairs = vec![
        (Encoding::Pem, PrivateFormat::Pkcs8),
        (Encoding::Der, PrivateFormat::Pkcs8),
    ];
    match key {
        PrivateKeyTypes::Rsa(_) | PrivateKeyTypes::Ec(_) | PrivateKeyTypes::Dsa(_) => {
            pairs.push((Encoding::Pem, PrivateFormat::TraditionalOpenSsl));
            pairs.push((Encoding::Der, PrivateFormat::TraditionalOpenSsl));
        }
        PrivateKeyTypes::Dh(_) => {}
        _ => pairs.push((Encoding::Raw, PrivateFormat::Raw)),
    }
    let openssh = match key {
        PrivateKeyTypes::Rsa(_) | PrivateKeyTypes::Ed25519(_) => true,
        PrivateKeyTypes::Ec(k) => matches!(
            k.curve(),
            EllipticCurve::Secp256r1 | EllipticCurve::Secp384r1 | EllipticCurve::Secp521r1
        ),
        _ => false,
    };
    if openssh {
        pairs.push((Encoding::Pem, PrivateFormat::OpenSsh));
    }
    pairs
}

/// The PKCS #8 DER, which identifies a private key.
fn identity(key: &PrivateKeyTypes) -> Vec<u8> {
    key.private_bytes(Encoding::Der, PrivateFormat::Pkcs8, NoEncryption)
        .unwrap()
        .to_vec()
}

fn load(
    backend: &Arc<dyn Backend>,
    key: &PrivateKeyTypes,
    encoding: Encoding,
    format: PrivateFormat,
    bytes: &[u8],
    password: Option<&[u8]>,
) -> PrivateKeyTypes {
    let loader = KeyLoader::new().backend(backend.clone());
    match (encoding, format) {
        (Encoding::Pem, PrivateFormat::OpenSsh) => {
            loader.load_ssh_private_key(bytes, password).unwrap()
        }
        (Encoding::Pem, _) => loader.load_pem_private_key(bytes, password).unwrap(),
        (Encoding::Der, _) => loader.load_der_private_key(bytes, password).unwrap(),
        (Encoding::Raw, _) => {
            // Raw bytes name no algorithm; build the same type again.
            let raw = key
                .private_bytes(Encoding::Raw, PrivateFormat::Raw, NoEncryption)
                .unwrap();
            assert_eq!(&raw[..], bytes);
            match key {
                PrivateKeyTypes::Ed25519(_) => {
                    Ed25519PrivateKey::from_private_bytes_with_backend(bytes, backend.clone())
                        .unwrap()
                        .into()
                }
                PrivateKeyTypes::Ed448(_) => {
                    Ed448PrivateKey::from_private_bytes_with_backend(bytes, backend.clone())
                        .unwrap()
                        .into()
                }
                PrivateKeyTypes::X25519(_) => {
                    X25519PrivateKey::from_private_bytes_with_backend(bytes, backend.clone())
                        .unwrap()
                        .into()
                }
                PrivateKeyTypes::X448(_) => {
                    X448PrivateKey::from_private_bytes_with_backend(bytes, backend.clone())
                        .unwrap()
                        .into()
                }
                _ => unreachable!("raw form of {}", key.algorithm_name()),
            }
        }
        other => panic!("no loader for {other:?}"),
    }
}

/// serialize → load on `backend` → serialize gives the same bytes, for every valid pair
/// (encrypted forms: the decrypted key serializes to the unencrypted bytes).
fn round_trips_on(backend: &Arc<dyn Backend>, key: &PrivateKeyTypes) -> usize {
    let name = key.algorithm_name();
    let on = backend.name();
    let mut count = 0;
    for (encoding, format) in private_pairs(key) {
        let bytes = key.private_bytes(encoding, format, NoEncryption).unwrap();
        let loaded = load(backend, key, encoding, format, &bytes, None);
        if on != "multi" {
            assert_eq!(loaded.backend_name(), on);
        }
        // OpenSSH private keys carry a random check number: compare the keys, not the bytes.
        if format == PrivateFormat::OpenSsh {
            assert_eq!(identity(&loaded), identity(key), "{name} OpenSSH on {on}");
        } else {
            let again = loaded
                .private_bytes(encoding, format, NoEncryption)
                .unwrap();
            assert_eq!(again, bytes, "{name} {encoding:?} {format:?} on {on}");
        }
        count += 1;
        let encryption = match (encoding, format) {
            (Encoding::Raw, _) | (Encoding::Der, PrivateFormat::TraditionalOpenSsl) => continue,
            (_, PrivateFormat::Pkcs8) => quick_pkcs8(),
            (_, PrivateFormat::OpenSsh) => PrivateFormat::OpenSsh
                .encryption_builder()
                .unwrap()
                .kdf_rounds(1)
                .unwrap()
                .build(PASSWORD)
                .unwrap(),
            _ => BestAvailableEncryption::new(PASSWORD),
        };
        let sealed = key.private_bytes(encoding, format, &encryption).unwrap();
        assert_ne!(sealed, bytes);
        let opened = load(backend, key, encoding, format, &sealed, Some(PASSWORD));
        assert_eq!(
            identity(&opened),
            identity(key),
            "{name} {format:?} encrypted on {on}"
        );
        count += 1;
    }
    let public = key.public_key().unwrap();
    for (encoding, format) in [
        (Encoding::Pem, PublicFormat::SubjectPublicKeyInfo),
        (Encoding::Der, PublicFormat::SubjectPublicKeyInfo),
        (Encoding::Pem, PublicFormat::Pkcs1),
        (Encoding::Der, PublicFormat::Pkcs1),
    ] {
        let Ok(bytes) = public.public_bytes(encoding, format) else {
            assert!(format == PublicFormat::Pkcs1 && name != "RSA");
            continue;
        };
        let loader = KeyLoader::new().backend(backend.clone());
        let loaded = match encoding {
            Encoding::Pem => loader.load_pem_public_key(&bytes),
            _ => loader.load_der_public_key(&bytes),
        }
        .unwrap();
        assert_eq!(
            loaded.public_bytes(encoding, format).unwrap(),
            bytes,
            "{name} {format:?}"
        );
        count += 1;
    }
    // The OpenSSH line and the X9.62 points, where the key type has them.
    if let Ok(line) = public.public_bytes(Encoding::OpenSsh, PublicFormat::OpenSsh) {
        let loaded = KeyLoader::new()
            .backend(backend.clone())
            .load_ssh_public_key(&line)
            .unwrap();
        let again = loaded
            .public_bytes(Encoding::OpenSsh, PublicFormat::OpenSsh)
            .unwrap();
        assert_eq!(again, line, "{name} OpenSSH public on {on}");
        count += 1;
    }
    if let PrivateKeyTypes::Ec(k) = key {
        for format in [
            PublicFormat::CompressedPoint,
            PublicFormat::UncompressedPoint,
        ] {
            let point = public.public_bytes(Encoding::X962, format).unwrap();
            let again = ec::EllipticCurvePublicKey::from_encoded_point_with_backend(
                k.curve(),
                &point,
                backend.clone(),
            )
            .unwrap();
            assert_eq!(again.public_bytes(Encoding::X962, format).unwrap(), point);
            count += 1;
        }
    }
    count
}

/// The key on `backend`, or `None` when the backend lacks its type.
fn on_backend(key: &PrivateKeyTypes, backend: &Arc<dyn Backend>) -> Option<PrivateKeyTypes> {
    let der = key
        .private_bytes(Encoding::Der, PrivateFormat::Pkcs8, NoEncryption)
        .unwrap();
    match KeyLoader::new()
        .backend(backend.clone())
        .load_der_private_key(&der, None)
    {
        Ok(k) => Some(k),
        Err(e) if e.is_unsupported() => None,
        Err(e) => panic!("{} on {}: {e}", key.algorithm_name(), backend.name()),
    }
}

#[test]
fn every_valid_combination_round_trips_on_every_backend() {
    let mut keys: Vec<PrivateKeyTypes> = vec![
        rsa::generate_private_key(65537, 2048).unwrap().into(),
        Ed25519PrivateKey::generate().unwrap().into(),
        Ed448PrivateKey::generate().unwrap().into(),
        X25519PrivateKey::generate().unwrap().into(),
        X448PrivateKey::generate().unwrap().into(),
    ];
    for curve in EllipticCurve::ALL {
        if let Ok(key) = ec::generate_private_key(curve) {
            keys.push(key.into());
        }
    }
    let mut total = 0;
    for backend in available_backends() {
        let mut here = 0;
        for key in &keys {
            if let Some(key) = on_backend(key, &backend) {
                here += round_trips_on(&backend, &key);
            }
        }
        println!("{}: {here} round trips", backend.name());
        assert!(here > 0);
        total += here;
    }
    assert!(total > 100, "{total}");
}

proptest! {
    #![proptest_config(proptest_config::config(24))]

    /// Any Ed25519/X25519 seed and any P-256 scalar in range round-trip through every form.
    #[test]
    fn random_keys_round_trip(seed in proptest::array::uniform32(any::<u8>())) {
        let backend = pluggable_crypto::hazmat::backends::default_backend();
        let ed: PrivateKeyTypes = Ed25519PrivateKey::from_private_bytes(&seed).unwrap().into();
        let x: PrivateKeyTypes = X25519PrivateKey::from_private_bytes(&seed).unwrap().into();
        round_trips_on(&backend, &ed);
        round_trips_on(&backend, &x);
        let scalar = BigUint::from_be_bytes(&seed);
        if let Ok(key) = ec::derive_private_key(&scalar, EllipticCurve::Secp256r1) {
            round_trips_on(&backend, &key.into());
        }
    }
}

#[test]
fn invalid_combinations_name_the_valid_ones() {
    let ed: PrivateKeyTypes = Ed25519PrivateKey::generate().unwrap().into();
    let rsa: PrivateKeyTypes = rsa::generate_private_key(65537, 1024).unwrap().into();
    let cases: Vec<(
        &PrivateKeyTypes,
        Encoding,
        PrivateFormat,
        KeySerializationEncryption,
    )> = vec![
        (
            &ed,
            Encoding::Pem,
            PrivateFormat::TraditionalOpenSsl,
            NoEncryption.into(),
        ),
        (&ed, Encoding::Pem, PrivateFormat::Raw, NoEncryption.into()),
        (
            &ed,
            Encoding::Raw,
            PrivateFormat::Pkcs8,
            NoEncryption.into(),
        ),
        (
            &ed,
            Encoding::Raw,
            PrivateFormat::Raw,
            BestAvailableEncryption::new(b"pw"),
        ),
        (&rsa, Encoding::Raw, PrivateFormat::Raw, NoEncryption.into()),
        (
            &rsa,
            Encoding::Der,
            PrivateFormat::TraditionalOpenSsl,
            BestAvailableEncryption::new(b"pw"),
        ),
        (
            &rsa,
            Encoding::X962,
            PrivateFormat::Pkcs8,
            NoEncryption.into(),
        ),
        (
            &rsa,
            Encoding::Der,
            PrivateFormat::OpenSsh,
            NoEncryption.into(),
        ),
        (
            &rsa,
            Encoding::Pem,
            PrivateFormat::Pkcs8,
            BestAvailableEncryption::new(b""),
        ),
    ];
    for (key, encoding, format, encryption) in cases {
        match key.private_bytes(encoding, format, &encryption) {
            Err(Error::InvalidArgument(message)) => assert!(
                message.contains("valid private key combinations") || message.contains("password"),
                "{message}"
            ),
            other => panic!("{encoding:?} {format:?}: {other:?}"),
        }
    }
    let public = rsa.public_key().unwrap();
    for (encoding, format) in [
        (Encoding::Der, PublicFormat::OpenSsh),
        (Encoding::OpenSsh, PublicFormat::SubjectPublicKeyInfo),
        (Encoding::Raw, PublicFormat::SubjectPublicKeyInfo),
        (Encoding::Pem, PublicFormat::Raw),
        (Encoding::X962, PublicFormat::UncompressedPoint),
        (Encoding::Der, PublicFormat::CompressedPoint),
    ] {
        match public.public_bytes(encoding, format) {
            Err(Error::InvalidArgument(message)) => {
                assert!(
                    message.contains("valid public key combinations"),
                    "{message}"
                )
            }
            other => panic!("{encoding:?} {format:?}: {other:?}"),
        }
    }
    let edp = ed.public_key().unwrap();
    assert!(matches!(
        edp.public_bytes(Encoding::Der, PublicFormat::Pkcs1),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn three_distinct_password_errors() {
    let key: PrivateKeyTypes = Ed25519PrivateKey::generate().unwrap().into();
    let plain = key
        .private_bytes(Encoding::Pem, PrivateFormat::Pkcs8, NoEncryption)
        .unwrap();
    let sealed = key
        .private_bytes(Encoding::Pem, PrivateFormat::Pkcs8, quick_pkcs8())
        .unwrap();
    assert_eq!(
        load_pem_private_key(&sealed, None).unwrap_err(),
        Error::PasswordRequired
    );
    assert_eq!(
        load_pem_private_key(&plain, Some(b"x")).unwrap_err(),
        Error::PasswordNotExpected
    );
    assert_eq!(
        load_pem_private_key(&sealed, Some(b"wrong")).unwrap_err(),
        Error::IncorrectPassword
    );
    let messages: Vec<String> = [
        Error::PasswordRequired,
        Error::PasswordNotExpected,
        Error::IncorrectPassword,
    ]
    .iter()
    .map(|e| e.to_string())
    .collect();
    assert!(messages[0].contains("no password was given"));
    assert!(messages[1].contains("not encrypted"));
    assert!(messages[2].contains("password is incorrect"));
    // Traditional DEK-Info too.
    let ec: PrivateKeyTypes = ec::generate_private_key(EllipticCurve::Secp256r1)
        .unwrap()
        .into();
    let sealed = ec
        .private_bytes(
            Encoding::Pem,
            PrivateFormat::TraditionalOpenSsl,
            BestAvailableEncryption::new(b"pw"),
        )
        .unwrap();
    assert!(std::str::from_utf8(&sealed)
        .unwrap()
        .contains("DEK-Info: AES-256-CBC,"));
    assert_eq!(
        load_pem_private_key(&sealed, None).unwrap_err(),
        Error::PasswordRequired
    );
    assert_eq!(
        load_pem_private_key(&sealed, Some(b"wrong")).unwrap_err(),
        Error::IncorrectPassword
    );
    assert!(load_pem_private_key(&sealed, Some(b"pw")).is_ok());
}

#[test]
fn best_available_pkcs8_is_pbes2_pbkdf2_sha256_600k_aes256() {
    let key: PrivateKeyTypes = X25519PrivateKey::generate().unwrap().into();
    let der = key
        .private_bytes(
            Encoding::Der,
            PrivateFormat::Pkcs8,
            BestAvailableEncryption::new(b"pw"),
        )
        .unwrap();
    // Parse it with an independent reader of the structure: the pkcs5 crate.
    use der::Decode;
    #[derive(der::Sequence)]
    struct Epki<'a> {
        alg: spki::AlgorithmIdentifierRef<'a>,
        data: &'a der::asn1::OctetStringRef,
    }
    let epki = Epki::from_der(&der).unwrap();
    let scheme = pkcs5::EncryptionScheme::try_from(epki.alg).unwrap();
    let pbes2 = scheme.pbes2().unwrap();
    let pbkdf2 = pbes2.kdf.pbkdf2().unwrap();
    assert_eq!(pbkdf2.iteration_count, 600_000);
    assert_eq!(pbkdf2.prf, pkcs5::pbes2::Pbkdf2Prf::HmacWithSha256);
    assert_eq!(
        pbes2.encryption.oid().to_string(),
        "2.16.840.1.101.3.4.1.42"
    );
    assert!(!epki.data.as_bytes().is_empty());
    let scrypt = PrivateFormat::Pkcs8
        .encryption_builder()
        .unwrap()
        .pkcs8_kdf(Pkcs8Kdf::Scrypt {
            log_n: 12,
            r: 8,
            p: 1,
        })
        .unwrap()
        .build(b"pw")
        .unwrap();
    let der = key
        .private_bytes(Encoding::Der, PrivateFormat::Pkcs8, &scrypt)
        .unwrap();
    assert!(load_der_private_key(&der, Some(b"pw")).is_ok());
}

fn spki_of_ed25519() -> Vec<u8> {
    Ed25519PrivateKey::generate()
        .unwrap()
        .public_key()
        .unwrap()
        .public_bytes(Encoding::Der, PublicFormat::SubjectPublicKeyInfo)
        .unwrap()
}

#[test]
fn der_must_be_der() {
    let spki = spki_of_ed25519();
    assert!(load_der_public_key(&spki).is_ok());
    // Trailing data.
    let mut trailing = spki.clone();
    trailing.push(0);
    assert!(matches!(
        load_der_public_key(&trailing),
        Err(Error::MalformedKeyData(_))
    ));
    // A BER long-form length for a short value (0x30 0x81 0x2a instead of 0x30 0x2a).
    let mut ber = vec![0x30, 0x81];
    ber.extend_from_slice(&spki[1..]);
    assert!(matches!(
        load_der_public_key(&ber),
        Err(Error::MalformedKeyData(_))
    ));
    // Indefinite length.
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend_from_slice(&spki[2..]);
    indefinite.extend_from_slice(&[0, 0]);
    assert!(load_der_public_key(&indefinite).is_err());
    // A wrong OID: Ed25519's 1.3.101.112 turned into 1.3.101.99.
    let mut oid = spki.clone();
    let at = oid
        .windows(3)
        .position(|w| w == [0x2b, 0x65, 0x70])
        .unwrap();
    oid[at + 2] = 0x63;
    assert!(matches!(
        load_der_public_key(&oid),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    // A length field claiming 4 GiB is an error, not an allocation.
    let mut huge = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
    huge.extend_from_slice(&spki[2..]);
    assert!(matches!(
        load_der_public_key(&huge),
        Err(Error::MalformedKeyData(_))
    ));
    // A non-minimal INTEGER (a leading zero byte before a small positive value) in PKCS #1.
    let rsa = rsa::generate_private_key(65537, 1024).unwrap();
    let pkcs1 = rsa
        .public_key()
        .unwrap()
        .public_bytes(Encoding::Der, PublicFormat::Pkcs1)
        .unwrap();
    // The exponent 65537 is the last 5 bytes: 02 03 01 00 01. Re-encode as 02 04 00 01 00 01.
    assert_eq!(&pkcs1[pkcs1.len() - 5..], &[0x02, 0x03, 0x01, 0x00, 0x01]);
    let mut padded = pkcs1[..pkcs1.len() - 5].to_vec();
    padded.extend_from_slice(&[0x02, 0x04, 0x00, 0x01, 0x00, 0x01]);
    // Fix the outer SEQUENCE length (long form, two bytes: 0x30 0x81 L for 1024-bit keys).
    assert_eq!(padded[1], 0x81);
    padded[2] += 1;
    assert!(matches!(
        load_der_public_key(&padded),
        Err(Error::MalformedKeyData(_))
    ));
}

#[test]
fn pem_text_around_and_several_blocks() {
    let key: PrivateKeyTypes = Ed25519PrivateKey::generate().unwrap().into();
    let other: PrivateKeyTypes = Ed25519PrivateKey::generate().unwrap().into();
    let pem = key
        .private_bytes(Encoding::Pem, PrivateFormat::Pkcs8, NoEncryption)
        .unwrap();
    let pem2 = other
        .private_bytes(Encoding::Pem, PrivateFormat::Pkcs8, NoEncryption)
        .unwrap();
    let public = key
        .public_key()
        .unwrap()
        .public_bytes(Encoding::Pem, PublicFormat::SubjectPublicKeyInfo)
        .unwrap();
    let mut text = b"Bag Attributes\n  friendlyName: test\n".to_vec();
    text.extend_from_slice(&public);
    text.extend_from_slice(b"some text\n");
    text.extend_from_slice(&pem);
    text.extend_from_slice(&pem2);
    let loaded = load_pem_private_key(&text, None).unwrap();
    assert_eq!(
        loaded
            .private_bytes(Encoding::Pem, PrivateFormat::Pkcs8, NoEncryption)
            .unwrap(),
        pem,
        "the first private key block is used"
    );
    assert!(load_pem_public_key(&text).is_ok());
    assert!(matches!(
        load_pem_private_key(b"no pem here", None),
        Err(Error::MalformedKeyData(_))
    ));
}

#[test]
fn rsa_validation_can_be_skipped_only_on_request() {
    // A PKCS #1 key whose d mod (p - 1) is wrong: refused by default, loaded with the opt-out.
    use der::asn1::UintRef;
    use der::Encode;
    let rsa = rsa::generate_private_key(65537, 1024).unwrap();
    let n = rsa.private_numbers().unwrap();
    let u = |v: &BigUint| v.to_be_bytes();
    let (modulus, e, d, p, q, dmq1, iqmp) = (
        u(&n.public_numbers.n),
        u(&n.public_numbers.e),
        u(&n.d),
        u(&n.p),
        u(&n.q),
        u(&n.dmq1),
        u(&n.iqmp),
    );
    let bad = pkcs1::RsaPrivateKey {
        modulus: UintRef::new(&modulus).unwrap(),
        public_exponent: UintRef::new(&e).unwrap(),
        private_exponent: UintRef::new(&d).unwrap(),
        prime1: UintRef::new(&p).unwrap(),
        prime2: UintRef::new(&q).unwrap(),
        exponent1: UintRef::new(&[3]).unwrap(),
        exponent2: UintRef::new(&dmq1).unwrap(),
        coefficient: UintRef::new(&iqmp).unwrap(),
        other_prime_infos: None,
    }
    .to_der()
    .unwrap();
    match load_der_private_key(&bad, None) {
        Err(Error::KeyRejected(r)) => assert!(r.what().contains("CRT"), "{r}"),
        other => panic!("{other:?}"),
    }
    // With the opt-out, OpenSSL loads it as given; RustCrypto recomputes the CRT values from
    // p, q and d (so the wrong one is never used); ring's constructor always validates.
    for backend in available_backends() {
        let loader = KeyLoader::new().backend(backend.clone());
        assert!(loader.load_der_private_key(&bad, None).is_err());
        let unchecked = loader
            .unsafe_skip_rsa_key_validation(true)
            .load_der_private_key(&bad, None);
        match backend.name() {
            "openssl" | "rust" => assert!(unchecked.is_ok(), "{unchecked:?}"),
            _ => assert!(unchecked.is_err(), "{}: {unchecked:?}", backend.name()),
        }
    }
}

#[test]
fn pkcs8_v2_public_key_must_be_the_private_keys() {
    use der::asn1::{BitStringRef, OctetStringRef};
    use der::{Decode, Encode};
    let key: PrivateKeyTypes = Ed25519PrivateKey::generate().unwrap().into();
    let other = Ed25519PrivateKey::generate()
        .unwrap()
        .public_key()
        .unwrap()
        .public_bytes_raw();
    let v1 = identity(&key);
    let info = pkcs8::PrivateKeyInfoRef::from_der(&v1).unwrap();
    let mine = key
        .public_key()
        .unwrap()
        .public_bytes(Encoding::Raw, PublicFormat::Raw)
        .unwrap();
    for (public, ok) in [(mine.clone(), true), (other, false)] {
        let v2 = pkcs8::PrivateKeyInfoRef {
            algorithm: info.algorithm,
            private_key: OctetStringRef::new(info.private_key.as_bytes()).unwrap(),
            public_key: Some(BitStringRef::from_bytes(&public).unwrap()),
        }
        .to_der()
        .unwrap();
        assert_eq!(v2[2..5], [0x02, 0x01, 0x01], "version 1 (v2)");
        match load_der_private_key(&v2, None) {
            Ok(loaded) => {
                assert!(ok);
                assert_eq!(identity(&loaded), v1);
            }
            Err(Error::KeyRejected(r)) => assert!(!ok, "{r}"),
            Err(e) => panic!("{e}"),
        }
    }
}
