//! The key derivation functions, on every backend that serves each (every compiled-in backend and
//! the default multi-backend).
//!
//! Expected values come from public documents, named next to each vector: RFC 5869 appendix A
//! (HKDF), RFC 6070 (PBKDF2-HMAC-SHA1), RFC 7914 §11 and §12 (PBKDF2-HMAC-SHA256, scrypt;
//! the costly N = 1048576 case is left out), RFC 9106 §5 (Argon2), RFC 7518 appendix C
//! (ConcatKDF), NIST CAVP SP 800-135 (ANSI X9.63) and NIST CAVP SP 800-108 CAVS 14.4 (KBKDF
//! counter mode), or from an independent implementation (the `openssl kdf` command, run at test
//! time). Our own output is only compared with itself for agreement and layout checks.
//!
//! A backend that does not serve a KDF is reported as skipped; each test asserts that the
//! construction then fails with `UnsupportedAlgorithm`, never that it passed.

#[path = "support/openssl_cli.rs"]
mod openssl_cli;

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, Arc4};
use pluggable_crypto::hazmat::primitives::hashes::{
    HashAlgorithm, Sha1, Sha256, Sha384, Sha3_256, Sha512, Shake128,
};
use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
use pluggable_crypto::hazmat::primitives::kdf::argon2::{
    Argon2Parameters, Argon2d, Argon2i, Argon2id,
};
use pluggable_crypto::hazmat::primitives::kdf::concatkdf::{ConcatKdfHash, ConcatKdfHmac};
use pluggable_crypto::hazmat::primitives::kdf::hkdf::{Hkdf, HkdfExpand};
use pluggable_crypto::hazmat::primitives::kdf::kbkdf::{
    CounterLocation, KbkdfCmac, KbkdfHmac, KbkdfParams,
};
use pluggable_crypto::hazmat::primitives::kdf::pbkdf2::Pbkdf2Hmac;
use pluggable_crypto::hazmat::primitives::kdf::scrypt::Scrypt;
use pluggable_crypto::hazmat::primitives::kdf::x963kdf::X963Kdf;
use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
use pluggable_crypto::Error;

type BackendRef = Arc<dyn Backend>;

/// Makes a hash algorithm object (a vector table's column).
type HashFn = fn() -> Arc<dyn HashAlgorithm>;

/// Every compiled-in backend, then the default multi-backend.
fn backends() -> Vec<BackendRef> {
    let mut all = available_backends();
    all.push(default_backend());
    all
}

fn label(backend: &BackendRef) -> String {
    match backend.downcast_ref::<MultiBackend>() {
        Some(_) => "default".to_owned(),
        None => backend.name().to_owned(),
    }
}

fn h(hex: &str) -> Vec<u8> {
    let clean: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).expect("test vector hex")
}

fn range(start: u8, end_inclusive: u8) -> Vec<u8> {
    (start..=end_inclusive).collect()
}

fn assert_unsupported<T: std::fmt::Debug>(result: pluggable_crypto::Result<T>, what: &str) {
    match result {
        Err(e) if e.is_unsupported() => {}
        other => panic!("{what}: expected UnsupportedAlgorithm, got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(result: pluggable_crypto::Result<T>, needle: &str) {
    match result {
        Err(Error::InvalidArgument(message)) => assert!(
            message.contains(needle),
            "message {message:?} does not mention {needle:?}"
        ),
        other => panic!("expected InvalidArgument mentioning {needle:?}, got {other:?}"),
    }
}

/// Runs `openssl kdf` with `args`, returning the derived bytes, or `None` (with a notice) when
/// there is no `openssl` binary or it lacks the KDF.
fn openssl_kdf(args: &[&str]) -> Option<Vec<u8>> {
    let output = openssl_cli::run(&[&["kdf"], args].concat(), b"")?;
    if !output.status.success() {
        eprintln!(
            "NOTICE: `openssl kdf {args:?}` failed ({}); skipping the independent check",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    let text = String::from_utf8(output.stdout).expect("openssl prints ASCII");
    Some(h(&text.trim().replace(':', "")))
}

// ---------------------------------------------------------------------------------------------
// HKDF (RFC 5869)
// ---------------------------------------------------------------------------------------------

struct HkdfVector {
    name: &'static str,
    algorithm: HashFn,
    ikm: Vec<u8>,
    salt: Option<Vec<u8>>,
    info: Vec<u8>,
    length: usize,
    prk: &'static str,
    okm: &'static str,
}

fn sha256() -> Arc<dyn HashAlgorithm> {
    Arc::new(Sha256)
}

fn sha1() -> Arc<dyn HashAlgorithm> {
    Arc::new(Sha1)
}

/// RFC 5869, appendix A.1 to A.7.
fn rfc5869() -> Vec<HkdfVector> {
    vec![
        HkdfVector {
            name: "A.1",
            algorithm: sha256,
            ikm: vec![0x0b; 22],
            salt: Some(range(0x00, 0x0c)),
            info: range(0xf0, 0xf9),
            length: 42,
            prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf\
                  34007208d5b887185865",
        },
        HkdfVector {
            name: "A.2",
            algorithm: sha256,
            ikm: range(0x00, 0x4f),
            salt: Some(range(0x60, 0xaf)),
            info: range(0xb0, 0xff),
            length: 82,
            prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c\
                  59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71\
                  cc30c58179ec3e87c14c01d5c1f3434f1d87",
        },
        HkdfVector {
            name: "A.3",
            algorithm: sha256,
            ikm: vec![0x0b; 22],
            salt: Some(Vec::new()),
            info: Vec::new(),
            length: 42,
            prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d\
                  9d201395faa4b61a96c8",
        },
        HkdfVector {
            name: "A.4",
            algorithm: sha1,
            ikm: vec![0x0b; 11],
            salt: Some(range(0x00, 0x0c)),
            info: range(0xf0, 0xf9),
            length: 42,
            prk: "9b6c18c432a7bf8f0e71c8eb88f4b30baa2ba243",
            okm: "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2\
                  c22e422478d305f3f896",
        },
        HkdfVector {
            name: "A.5",
            algorithm: sha1,
            ikm: range(0x00, 0x4f),
            salt: Some(range(0x60, 0xaf)),
            info: range(0xb0, 0xff),
            length: 82,
            prk: "8adae09a2a307059478d309b26c4115a224cfaf6",
            okm: "0bd770a74d1160f7c9f12cd5912a06ebff6adcae899d92191fe4305673ba2ffe\
                  8fa3f1a4e5ad79f3f334b3b202b2173c486ea37ce3d397ed034c7f9dfeb15c5e\
                  927336d0441f4c4300e2cff0d0900b52d3b4",
        },
        HkdfVector {
            name: "A.6",
            algorithm: sha1,
            ikm: vec![0x0b; 22],
            salt: Some(Vec::new()),
            info: Vec::new(),
            length: 42,
            prk: "da8c8a73c7fa77288ec6f5e7c297786aa0d32d01",
            okm: "0ac1af7002b3d761d1e55298da9d0506b9ae52057220a306e07b6b87e8df21d0\
                  ea00033de03984d34918",
        },
        HkdfVector {
            name: "A.7 (salt not provided)",
            algorithm: sha1,
            ikm: vec![0x0c; 22],
            salt: None,
            info: Vec::new(),
            length: 42,
            prk: "2adccada18779e7c2077ad2eb19d3f3e731385dd",
            okm: "2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5\
                  673a081d70cce7acfc48",
        },
    ]
}

#[test]
fn hkdf_rfc5869_on_every_backend() {
    for backend in backends() {
        for v in rfc5869() {
            let algorithm = (v.algorithm)();
            if !backend.hmac_supported(&*algorithm) {
                eprintln!("skipped: HKDF-{} on {}", algorithm.name(), label(&backend));
                assert_unsupported(
                    Hkdf::from_shared(algorithm, v.length, None, None, backend.clone()),
                    "HKDF without HMAC",
                );
                continue;
            }
            let what = format!("RFC 5869 {} on {}", v.name, label(&backend));
            let mut hkdf = Hkdf::from_shared(
                algorithm.clone(),
                v.length,
                v.salt.as_deref(),
                Some(&v.info),
                backend.clone(),
            )
            .unwrap();
            assert_eq!(*hkdf.derive(&v.ikm).unwrap(), h(v.okm), "{what}: OKM");

            let mut expand =
                HkdfExpand::from_shared(algorithm, v.length, Some(&v.info), backend.clone())
                    .unwrap();
            assert_eq!(
                *expand.derive(&h(v.prk)).unwrap(),
                h(v.okm),
                "{what}: expand"
            );
        }
    }
}

#[test]
fn hkdf_extract_gives_the_rfc5869_prk() {
    let backend = default_backend();
    for v in rfc5869() {
        let prk = if v.name.starts_with("A.1")
            || v.name.starts_with("A.2")
            || v.name.starts_with("A.3")
        {
            Hkdf::extract_with_backend(Sha256, v.salt.as_deref(), &v.ikm, backend.clone())
        } else {
            Hkdf::extract_with_backend(Sha1, v.salt.as_deref(), &v.ikm, backend.clone())
        };
        assert_eq!(*prk.unwrap(), h(v.prk), "RFC 5869 {}: PRK", v.name);
    }
    assert_unsupported(
        Hkdf::extract(Shake128::new(32).unwrap(), None, b"ikm"),
        "HKDF-Extract over SHAKE",
    );
}

/// The HKDF limit is 255 × the digest size in **bytes** (pyca once compared it with the digest
/// size in bits): lengths just below, at and above one digest work, 255 × digest works and one
/// byte more is refused, for digests of 20, 32, 48 and 64 bytes.
#[test]
fn hkdf_output_lengths_are_in_bytes() {
    fn check(backend: &BackendRef, algorithm: Arc<dyn HashAlgorithm>) {
        let digest = algorithm.digest_size();
        let max = 255 * digest;
        let new = |length: usize| {
            Hkdf::from_shared(
                algorithm.clone(),
                length,
                Some(b"salt"),
                Some(b"info"),
                backend.clone(),
            )
        };
        let full = new(max).unwrap().derive(b"input key material").unwrap();
        assert_eq!(full.len(), max);
        // HKDF-Expand's blocks do not depend on the length asked for, so every shorter output
        // is a prefix of the longest.
        for length in [1, digest - 1, digest, digest + 1, 2 * digest, max - 1] {
            let okm = new(length).unwrap().derive(b"input key material").unwrap();
            assert_eq!(okm.len(), length, "{} length {length}", algorithm.name());
            assert_eq!(*okm, full[..length], "{} length {length}", algorithm.name());
        }
        assert_invalid(new(max + 1), &format!("255 x {digest} = {max} bytes"));
        assert_invalid(new(8 * max), "at most");
        assert_invalid(new(0), "at least 1 byte");
        let expand =
            |length| HkdfExpand::from_shared(algorithm.clone(), length, None, backend.clone());
        assert!(expand(max).is_ok());
        assert_invalid(expand(max + 1), &format!("{max} bytes"));
    }
    for backend in backends() {
        let algorithms: [Arc<dyn HashAlgorithm>; 4] = [
            Arc::new(Sha1),
            Arc::new(Sha256),
            Arc::new(Sha384),
            Arc::new(Sha512),
        ];
        for algorithm in algorithms {
            if backend.hmac_supported(&*algorithm) {
                check(&backend, algorithm);
            } else {
                eprintln!("skipped: HKDF-{} on {}", algorithm.name(), label(&backend));
            }
        }
    }
}

#[test]
fn hkdf_over_an_xof_is_unsupported() {
    for backend in backends() {
        assert_unsupported(
            Hkdf::with_backend(Shake128::new(32).unwrap(), 32, None, None, backend.clone()),
            "HKDF over SHAKE128",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// PBKDF2-HMAC (RFC 6070, RFC 7914 §11)
// ---------------------------------------------------------------------------------------------

struct Pbkdf2Vector {
    source: &'static str,
    algorithm: HashFn,
    password: &'static [u8],
    salt: &'static [u8],
    iterations: u32,
    dk: &'static str,
}

fn pbkdf2_vectors() -> Vec<Pbkdf2Vector> {
    vec![
        Pbkdf2Vector {
            source: "RFC 6070 case 1",
            algorithm: sha1,
            password: b"password",
            salt: b"salt",
            iterations: 1,
            dk: "0c60c80f961f0e71f3a9b524af6012062fe037a6",
        },
        Pbkdf2Vector {
            source: "RFC 6070 case 2",
            algorithm: sha1,
            password: b"password",
            salt: b"salt",
            iterations: 2,
            dk: "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
        },
        Pbkdf2Vector {
            source: "RFC 6070 case 3",
            algorithm: sha1,
            password: b"password",
            salt: b"salt",
            iterations: 4096,
            dk: "4b007901b765489abead49d926f721d065a429c1",
        },
        Pbkdf2Vector {
            source: "RFC 6070 case 5",
            algorithm: sha1,
            password: b"passwordPASSWORDpassword",
            salt: b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            iterations: 4096,
            dk: "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
        },
        Pbkdf2Vector {
            source: "RFC 6070 case 6",
            algorithm: sha1,
            password: b"pass\0word",
            salt: b"sa\0lt",
            iterations: 4096,
            dk: "56fa6aa75548099dcc37d7f03425e0c3",
        },
        Pbkdf2Vector {
            source: "RFC 7914 section 11, first",
            algorithm: sha256,
            password: b"passwd",
            salt: b"salt",
            iterations: 1,
            dk: "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
                 49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
        },
        Pbkdf2Vector {
            source: "RFC 7914 section 11, second",
            algorithm: sha256,
            password: b"Password",
            salt: b"NaCl",
            iterations: 80000,
            dk: "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56\
                 a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
        },
    ]
}

#[test]
fn pbkdf2_public_vectors_on_every_backend() {
    for backend in backends() {
        for v in pbkdf2_vectors() {
            let algorithm = (v.algorithm)();
            let dk = h(v.dk);
            if !backend.pbkdf2_hmac_supported(&*algorithm) {
                eprintln!(
                    "skipped: PBKDF2-{} on {}",
                    algorithm.name(),
                    label(&backend)
                );
                continue;
            }
            let what = format!("{} on {}", v.source, label(&backend));
            let mut kdf = Pbkdf2Hmac::from_shared(
                algorithm.clone(),
                dk.len(),
                v.salt,
                v.iterations,
                backend.clone(),
            )
            .unwrap();
            assert_eq!(*kdf.derive(v.password).unwrap(), dk, "{what}");
            let mut check =
                Pbkdf2Hmac::from_shared(algorithm, dk.len(), v.salt, v.iterations, backend.clone())
                    .unwrap();
            check.verify(v.password, &dk).unwrap();
        }
    }
}

#[test]
fn pbkdf2_support_follows_the_backend() {
    for backend in backends() {
        // HMAC is not defined over an extendable-output function.
        assert_unsupported(
            Pbkdf2Hmac::with_backend(Shake128::new(32).unwrap(), 32, b"salt", 1, backend.clone()),
            "PBKDF2 over SHAKE",
        );
        if backend.pbkdf2_hmac_supported(&Sha3_256) {
            let mut kdf =
                Pbkdf2Hmac::with_backend(Sha3_256, 32, b"salt", 2, backend.clone()).unwrap();
            assert_eq!(kdf.derive(b"password").unwrap().len(), 32);
        } else {
            eprintln!("skipped: PBKDF2-SHA3-256 on {}", label(&backend));
            assert_unsupported(
                Pbkdf2Hmac::with_backend(Sha3_256, 32, b"salt", 2, backend.clone()),
                "PBKDF2-SHA3-256",
            );
        }
    }
    #[cfg(feature = "ring")]
    {
        let ring: BackendRef = pluggable_crypto::hazmat::backends::ring::backend();
        assert!(ring.pbkdf2_hmac_supported(&Sha512));
        assert!(!ring.pbkdf2_hmac_supported(&Sha3_256));
        assert!(!ring.scrypt_supported());
        assert!(!ring.argon2_supported(Argon2Variant::Argon2id));
    }
}

// ---------------------------------------------------------------------------------------------
// scrypt (RFC 7914 §12)
// ---------------------------------------------------------------------------------------------

/// (password, salt, N, r, p, derived key).
type ScryptVector = (&'static [u8], &'static [u8], u64, u32, u32, &'static str);

/// RFC 7914 §12, without the fourth vector (N = 1048576, 1 GiB of memory).
const SCRYPT_VECTORS: [ScryptVector; 3] = [
    (
        b"",
        b"",
        16,
        1,
        1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442\
         fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
    ),
    (
        b"password",
        b"NaCl",
        1024,
        8,
        16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162\
         2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    ),
    (
        b"pleaseletmein",
        b"SodiumChloride",
        16384,
        8,
        1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2\
         d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
    ),
];

#[test]
fn scrypt_rfc7914_on_every_backend() {
    let mut served = 0;
    for backend in backends() {
        if !backend.scrypt_supported() {
            eprintln!("skipped: scrypt on {}", label(&backend));
            assert_unsupported(
                Scrypt::with_backend(b"salt", 64, 16, 1, 1, backend.clone()),
                "scrypt",
            );
            continue;
        }
        served += 1;
        for (password, salt, n, r, p, dk) in SCRYPT_VECTORS {
            let dk = h(dk);
            let what = format!("RFC 7914 scrypt N={n} on {}", label(&backend));
            let mut kdf = Scrypt::with_backend(salt, dk.len(), n, r, p, backend.clone()).unwrap();
            assert_eq!(*kdf.derive(password).unwrap(), dk, "{what}");
        }
    }
    if cfg!(any(feature = "openssl", feature = "rust")) {
        assert!(served > 0, "OpenSSL and the Rust backend both have scrypt");
    }
}

/// scrypt parameters far beyond any machine's memory are an error, never a process abort:
/// n = 2^40 with r = 8 needs 1 PiB, more than a 47-bit user address space can map under any
/// overcommit policy. (Argon2's largest memory cost, 4 TiB, fits such an address space, so
/// whether it is refused depends on the system's overcommit policy; the `argon2` crate reports
/// a refused allocation as an error itself.)
#[test]
fn memory_beyond_the_machine_is_an_error() {
    let mut served = 0;
    for backend in backends() {
        if backend.scrypt_supported() {
            served += 1;
            let mut kdf = Scrypt::with_backend(b"salt", 32, 1 << 40, 8, 1, backend.clone())
                .expect("valid parameters");
            match kdf.derive(b"password") {
                Err(Error::Backend(message)) => assert!(
                    message.contains("memory") || message.contains("malloc"),
                    "scrypt on {}: {message}",
                    label(&backend)
                ),
                other => panic!("scrypt n = 2^40 on {}: {other:?}", label(&backend)),
            }
        }
    }
    if cfg!(any(feature = "openssl", feature = "rust")) {
        assert!(served > 0, "OpenSSL and the Rust backend both have scrypt");
    }
}

// ---------------------------------------------------------------------------------------------
// Argon2 (RFC 9106 §5)
// ---------------------------------------------------------------------------------------------

/// RFC 9106 §5.1 to §5.3: password 32 × 0x01, salt 16 × 0x02, secret 8 × 0x03, associated
/// data 12 × 0x04, m = 32 KiB, t = 3, p = 4, 32-byte tag.
const ARGON2_TAGS: [(Argon2Variant, &str); 3] = [
    (
        Argon2Variant::Argon2d,
        "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
    ),
    (
        Argon2Variant::Argon2i,
        "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
    ),
    (
        Argon2Variant::Argon2id,
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
    ),
];

/// Builds the KDF of `variant`; the three types share one signature.
#[allow(clippy::too_many_arguments)]
fn argon2(
    variant: Argon2Variant,
    salt: &[u8],
    length: usize,
    iterations: u32,
    lanes: u32,
    memory_cost: u32,
    ad: Option<&[u8]>,
    secret: Option<&[u8]>,
    backend: BackendRef,
) -> pluggable_crypto::Result<Box<dyn KeyDerivationFunction>> {
    Ok(match variant {
        Argon2Variant::Argon2d => Box::new(Argon2d::with_backend(
            salt,
            length,
            iterations,
            lanes,
            memory_cost,
            ad,
            secret,
            backend,
        )?),
        Argon2Variant::Argon2i => Box::new(Argon2i::with_backend(
            salt,
            length,
            iterations,
            lanes,
            memory_cost,
            ad,
            secret,
            backend,
        )?),
        _ => Box::new(Argon2id::with_backend(
            salt,
            length,
            iterations,
            lanes,
            memory_cost,
            ad,
            secret,
            backend,
        )?),
    })
}

#[test]
fn argon2_rfc9106_on_every_backend() {
    for backend in backends() {
        for (variant, tag) in ARGON2_TAGS {
            let make = || {
                argon2(
                    variant,
                    &[0x02; 16],
                    32,
                    3,
                    4,
                    32,
                    Some(&[0x04; 12]),
                    Some(&[0x03; 8]),
                    backend.clone(),
                )
            };
            if !backend.argon2_supported(variant) {
                eprintln!("skipped: {} on {}", variant.name(), label(&backend));
                assert_unsupported(make().map(|_| ()), variant.name());
                continue;
            }
            let what = format!("RFC 9106 {} on {}", variant.name(), label(&backend));
            assert_eq!(
                *make().unwrap().derive(&[0x01; 32]).unwrap(),
                h(tag),
                "{what}"
            );
            make().unwrap().verify(&[0x01; 32], &h(tag)).unwrap();
        }
    }
    if cfg!(feature = "rust") {
        assert!(default_backend().argon2_supported(Argon2Variant::Argon2id));
    }
}

/// RFC 9106 §5.3 through the named parameters: the same tag as the positional constructor.
#[test]
fn argon2_named_parameters_give_rfc9106() {
    let params = Argon2Parameters {
        salt: vec![0x02; 16],
        length: 32,
        iterations: 3,
        lanes: 4,
        memory_cost_kib: 32,
        ad: vec![0x04; 12],
        secret: vec![0x03; 8].into(),
    };
    for backend in backends() {
        if !backend.argon2_supported(Argon2Variant::Argon2id) {
            eprintln!("skipped: Argon2id on {}", label(&backend));
            assert_unsupported(
                Argon2id::from_parameters_with_backend(&params, backend.clone()).map(|_| ()),
                "argon2id",
            );
            continue;
        }
        let mut kdf = Argon2id::from_parameters_with_backend(&params, backend.clone()).unwrap();
        assert_eq!(kdf.parameters().memory_cost_kib, 32);
        assert_eq!(*kdf.derive(&[0x01; 32]).unwrap(), h(ARGON2_TAGS[2].1));
        let mut kdf = Argon2id::from_parameters_with_backend(
            &Argon2Parameters::rfc9106_low_memory(&[0x02; 16])
                .with_ad(&[0x04; 12])
                .with_secret(&[0x03; 8]),
            backend.clone(),
        )
        .unwrap();
        assert_eq!(kdf.length(), 32);
        let p = kdf.parameters();
        assert_eq!((p.iterations, p.lanes, p.memory_cost_kib), (3, 4, 65_536));
        let _ = kdf.derive(b"password").unwrap();
    }
    let p = Argon2Parameters::rfc9106_recommended(b"saltsalt");
    assert_eq!(
        (p.iterations, p.lanes, p.memory_cost_kib, p.length),
        (1, 4, 1 << 21, 32)
    );
    // The rules hold for the named fields too, with units in the texts.
    let err = Argon2id::from_parameters(&Argon2Parameters {
        memory_cost_kib: 31,
        ..params.clone()
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("at least 8 x lanes = 32 KiB, got 31 KiB"),
        "{err}"
    );
    let err = Argon2id::from_parameters(&Argon2Parameters {
        salt: vec![1],
        ..params
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("at least 8 bytes, got 1 byte"),
        "{err}"
    );
}

/// PHC strings from phc-winner-argon2's `src/test.c` (the small-memory cases): "password" with
/// the salt "somesalt" verifies, another password is `InvalidKey`, on every backend with the
/// variant.
const REFERENCE_PHC: [(Argon2Variant, &str); 3] = [
    (
        Argon2Variant::Argon2id,
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
    ),
    (
        Argon2Variant::Argon2id,
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
    ),
    (
        Argon2Variant::Argon2i,
        "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8",
    ),
];

fn verify_phc(
    variant: Argon2Variant,
    password: &[u8],
    phc: &str,
    secret: &[u8],
    backend: BackendRef,
) -> pluggable_crypto::Result<()> {
    match variant {
        Argon2Variant::Argon2d => Argon2d::verify_phc_encoded_with(password, phc, secret, backend),
        Argon2Variant::Argon2i => Argon2i::verify_phc_encoded_with(password, phc, secret, backend),
        _ => Argon2id::verify_phc_encoded_with(password, phc, secret, backend),
    }
}

#[test]
fn argon2_reference_phc_strings_verify() {
    for backend in backends() {
        for (variant, phc) in REFERENCE_PHC {
            if !backend.argon2_supported(variant) {
                eprintln!("skipped: {} PHC on {}", variant.name(), label(&backend));
                continue;
            }
            let what = format!("{phc} on {}", label(&backend));
            verify_phc(variant, b"password", phc, b"", backend.clone()).expect(&what);
            assert_eq!(
                verify_phc(variant, b"passwore", phc, b"", backend.clone()),
                Err(Error::InvalidKey),
                "{what}"
            );
            // The hash made with no secret does not verify under one.
            assert_eq!(
                verify_phc(variant, b"password", phc, b"pepper", backend.clone()),
                Err(Error::InvalidKey),
                "{what}"
            );
            // Another variant's string is malformed for this one.
            let err = Argon2d::verify_phc_encoded_with(b"password", phc, b"", backend.clone());
            assert!(
                matches!(&err, Err(Error::InvalidArgument(m)) if m.contains("expected \"argon2d\"")),
                "{what}: {err:?}"
            );
        }
    }
}

/// Ours verify in the `argon2` crate's own PHC verifier, and the crate's PHC strings (also
/// with associated data, `data=`) verify in ours; a secret value travels outside the string.
#[test]
fn argon2_phc_strings_interoperate_with_the_argon2_crate() {
    use ::argon2::password_hash::{PasswordHasher, PasswordVerifier};

    let Some(backend) = backends()
        .into_iter()
        .find(|b| b.argon2_supported(Argon2Variant::Argon2id))
    else {
        eprintln!("skipped: no backend has Argon2id");
        return;
    };
    /// (ours, theirs, m KiB, t, p, ad, secret)
    type Case = (
        Argon2Variant,
        ::argon2::Algorithm,
        u32,
        u32,
        u32,
        &'static [u8],
        &'static [u8],
    );
    let cases: [Case; 4] = [
        (
            Argon2Variant::Argon2id,
            ::argon2::Algorithm::Argon2id,
            64,
            2,
            1,
            b"",
            b"",
        ),
        (
            Argon2Variant::Argon2id,
            ::argon2::Algorithm::Argon2id,
            96,
            1,
            3,
            b"ad!",
            b"",
        ),
        (
            Argon2Variant::Argon2i,
            ::argon2::Algorithm::Argon2i,
            32,
            3,
            2,
            b"",
            b"pepper",
        ),
        (
            Argon2Variant::Argon2d,
            ::argon2::Algorithm::Argon2d,
            16,
            1,
            2,
            b"\x0f\x0f",
            b"k",
        ),
    ];
    for (variant, algorithm, m, t, p, ad, secret) in cases {
        let salt = b"sixteen byte sal";
        let params = Argon2Parameters {
            salt: salt.to_vec(),
            length: 32,
            iterations: t,
            lanes: p,
            memory_cost_kib: m,
            ad: ad.to_vec(),
            secret: secret.to_vec().into(),
        };
        let ours = match variant {
            Argon2Variant::Argon2d => {
                Argon2d::from_parameters_with_backend(&params, backend.clone())
                    .unwrap()
                    .derive_phc_encoded(b"hunter2")
            }
            Argon2Variant::Argon2i => {
                Argon2i::from_parameters_with_backend(&params, backend.clone())
                    .unwrap()
                    .derive_phc_encoded(b"hunter2")
            }
            _ => Argon2id::from_parameters_with_backend(&params, backend.clone())
                .unwrap()
                .derive_phc_encoded(b"hunter2"),
        }
        .unwrap();

        let mut builder = ::argon2::ParamsBuilder::new();
        builder.m_cost(m).t_cost(t).p_cost(p).output_len(32);
        if !ad.is_empty() {
            builder.data(::argon2::AssociatedData::new(ad).unwrap());
        }
        let theirs_params = builder.build().unwrap();
        let theirs_ctx = if secret.is_empty() {
            ::argon2::Argon2::new(algorithm, ::argon2::Version::V0x13, theirs_params)
        } else {
            ::argon2::Argon2::new_with_secret(
                secret,
                algorithm,
                ::argon2::Version::V0x13,
                theirs_params,
            )
            .unwrap()
        };
        let theirs = theirs_ctx
            .hash_password_with_salt(b"hunter2", salt)
            .unwrap()
            .to_string();
        assert_eq!(ours, theirs, "the same PHC string for the same inputs");

        theirs_ctx
            .verify_password(b"hunter2", ours.as_str())
            .unwrap();
        assert!(theirs_ctx
            .verify_password(b"hunter3", ours.as_str())
            .is_err());
        verify_phc(variant, b"hunter2", &theirs, secret, backend.clone()).unwrap();
        assert_eq!(
            verify_phc(variant, b"hunter3", &theirs, secret, backend.clone()),
            Err(Error::InvalidKey)
        );
    }

    // A password hashed with hash_password (random salt, RFC 9106 low-memory settings) verifies
    // in the crate, and twice hashed gives two salts.
    if default_backend().argon2_supported(Argon2Variant::Argon2id) {
        let stored = Argon2id::hash_password(b"correct horse").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
            "{stored}"
        );
        ::argon2::Argon2::default()
            .verify_password(b"correct horse", stored.as_str())
            .unwrap();
        Argon2id::verify_phc_encoded(b"correct horse", &stored).unwrap();
        assert_eq!(
            Argon2id::verify_phc_encoded(b"correct horsf", &stored),
            Err(Error::InvalidKey)
        );
        let again = Argon2id::hash_password(b"correct horse").unwrap();
        assert_ne!(stored.split('$').nth(4), again.split('$').nth(4));
    }
}

/// Malformed PHC strings are `InvalidArgument` saying what is wrong, never repeating the string.
#[test]
fn argon2_malformed_phc_strings() {
    let good = REFERENCE_PHC[0].1;
    let bad = [
        (good.replace("$v=19", ""), "version 16"),
        (good.replace("v=19", "v=16"), "version 16 is not supported"),
        (good.replace("m=256", "m=256,m=256"), "m is repeated"),
        (good.replace(",p=1", ""), "m, t and p"),
        (good.replace("c29tZXNhbHQ", "c29tZXNhbHQ="), "salt is not"),
        (good.replace("nf65", "nf6!"), "hash is not"),
        (good.replace("m=256", "m=0x100"), "m must be a decimal"),
        (good.replace("m=256", "mem=256"), "unknown parameter"),
        (format!("{good}$extra"), "expected $<algorithm>"),
        ("argon2id".to_owned(), "expected $<algorithm>"),
        (
            good.replace("c29tZXNhbHQ", "c29tZQ"),
            "salt must be at least 8 bytes, got 4 bytes",
        ),
        (
            good.replace("m=256", "m=4"),
            "memory_cost must be at least 8 x lanes",
        ),
    ];
    for (phc, needle) in bad {
        let err = Argon2id::verify_phc_encoded(b"password", &phc).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, Error::InvalidArgument(_)) && text.contains(needle),
            "{phc}: {text}"
        );
        assert!(
            !text.contains("c29tZXNhbHQ") && !text.contains("nf65"),
            "{text}"
        );
    }
}

/// The `argon2` crate caps associated data at 32 bytes: longer `ad` is "unsupported" on the
/// Rust backend (so a multi-backend passes it on), never a wrong answer.
#[test]
fn argon2_long_associated_data() {
    for backend in backends() {
        if !backend.argon2_supported(Argon2Variant::Argon2id) {
            continue;
        }
        let mut kdf = Argon2id::with_backend(
            &[0x02; 16],
            32,
            1,
            1,
            8,
            Some(&[0x04; 33]),
            None,
            backend.clone(),
        )
        .unwrap();
        match kdf.derive(b"password") {
            Ok(tag) => assert_eq!(tag.len(), 32),
            Err(e) => {
                assert!(e.is_unsupported(), "{}: {e:?}", label(&backend));
                eprintln!(
                    "skipped: Argon2id with 33 bytes of ad on {}",
                    label(&backend)
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ConcatKDF (NIST SP 800-56A one-step) and the X9.63 KDF
// ---------------------------------------------------------------------------------------------

/// RFC 7518 appendix C: Z, and OtherInfo = AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo
/// for "A128GCM", "Alice", "Bob" and 128 bits.
fn rfc7518_z_and_otherinfo() -> (Vec<u8>, Vec<u8>) {
    let z = [
        158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110,
        163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
    ];
    let mut otherinfo = vec![0, 0, 0, 7];
    otherinfo.extend_from_slice(b"A128GCM");
    otherinfo.extend_from_slice(&[0, 0, 0, 5]);
    otherinfo.extend_from_slice(b"Alice");
    otherinfo.extend_from_slice(&[0, 0, 0, 3]);
    otherinfo.extend_from_slice(b"Bob");
    otherinfo.extend_from_slice(&[0, 0, 0, 128]);
    (z.to_vec(), otherinfo)
}

#[test]
fn concatkdf_hash_rfc7518_on_every_backend() {
    let (z, otherinfo) = rfc7518_z_and_otherinfo();
    let expected = [
        86, 170, 141, 234, 248, 35, 109, 32, 92, 34, 40, 205, 113, 167, 16, 26,
    ];
    for backend in backends() {
        if !backend.hash_supported(&Sha256) {
            continue;
        }
        let mut kdf =
            ConcatKdfHash::with_backend(Sha256, 16, Some(&otherinfo), backend.clone()).unwrap();
        assert_eq!(*kdf.derive(&z).unwrap(), expected, "{}", label(&backend));
        // Longer than one digest: the second block follows with counter 2.
        let mut long =
            ConcatKdfHash::with_backend(Sha256, 80, Some(&otherinfo), backend.clone()).unwrap();
        assert_eq!(
            long.derive(&z).unwrap()[..16],
            expected,
            "{}",
            label(&backend)
        );
    }
}

/// ConcatKDF-HMAC against OpenSSL's SSKDF with HMAC (`openssl kdf ... SSKDF`), and the default
/// salt: the hash's block size in zero bytes.
#[test]
fn concatkdf_hmac_matches_openssl_sskdf() {
    let (z, otherinfo) = rfc7518_z_and_otherinfo();
    let salt = b"concat salt";
    let reference = openssl_kdf(&[
        "-keylen",
        "80",
        "-kdfopt",
        "digest:SHA256",
        "-kdfopt",
        "mac:HMAC",
        "-kdfopt",
        &format!("hexkey:{}", hex::encode(&z)),
        "-kdfopt",
        &format!("hexsalt:{}", hex::encode(salt)),
        "-kdfopt",
        &format!("hexinfo:{}", hex::encode(&otherinfo)),
        "SSKDF",
    ]);
    for backend in backends() {
        if !backend.hmac_supported(&Sha256) {
            continue;
        }
        let mut kdf =
            ConcatKdfHmac::with_backend(Sha256, 80, Some(salt), Some(&otherinfo), backend.clone())
                .unwrap();
        let ours = kdf.derive(&z).unwrap();
        if let Some(reference) = &reference {
            assert_eq!(*ours, *reference, "{}", label(&backend));
        }
        let mut default_salt =
            ConcatKdfHmac::with_backend(Sha256, 80, None, Some(&otherinfo), backend.clone())
                .unwrap();
        let mut zeros = ConcatKdfHmac::with_backend(
            Sha256,
            80,
            Some(&[0; 64]),
            Some(&otherinfo),
            backend.clone(),
        )
        .unwrap();
        assert_eq!(
            *default_salt.derive(&z).unwrap(),
            *zeros.derive(&z).unwrap()
        );
    }
}

/// NIST CAVP SP 800-135 component tests, ANSI X9.63-2001 KDF (`ansx963_2001.rsp`).
#[test]
fn x963kdf_nist_cavp_on_every_backend() {
    let vectors: [(HashFn, &str, &str, &str); 3] = [
        (
            sha1,
            "1c7d7b5f0597b03d06a018466ed1a93e30ed4b04dc64ccdd",
            "",
            "bf71dffd8f4d99223936beb46fee8ccc",
        ),
        (
            sha256,
            "96c05619d56c328ab95fe84b18264b08725b85e33fd34f08",
            "",
            "443024c3dae66b95e6f5670601558f71",
        ),
        (
            sha1,
            "fd17198b89ab39c4ab5d7cca363b82f9fd7e23c3984dc8a2",
            "856a53f3e36a26bbc5792879f307cce2",
            "6e5fad865cb4a51c95209b16df0cc490bc2c9064405c5bccd4ee4832a531fbe7\
             f10cb79e2eab6ab1149fbd5a23cfdabc41242269c9df22f628c4424333855b64\
             e95e2d4fb8469c669f17176c07d103376b10b384ec5763d8b8c610409f19aca8\
             eb31f9d85cc61a8d6d4a03d03e5a506b78d6847e93d295ee548c65afedd2efec",
        ),
    ];
    for backend in backends() {
        for (algorithm, z, sharedinfo, key) in vectors {
            let algorithm = algorithm();
            if !backend.hash_supported(&*algorithm) {
                continue;
            }
            let key = h(key);
            let sharedinfo = h(sharedinfo);
            let mut kdf =
                X963Kdf::from_shared(algorithm, key.len(), Some(&sharedinfo), backend.clone())
                    .unwrap();
            assert_eq!(*kdf.derive(&h(z)).unwrap(), key, "{}", label(&backend));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// KBKDF (NIST SP 800-108 counter mode)
// ---------------------------------------------------------------------------------------------

/// NIST CAVP "SP800-108 - KDF", CAVS 14.4, counter mode, HMAC-SHA256 with the counter before
/// the fixed input: (rlen in bytes, KI, FixedInputData, KO).
const KBKDF_HMAC_SHA256: [(usize, &str, &str, &str); 2] = [
    // [RLEN=32_BITS] COUNT=0, L = 128.
    (
        4,
        "dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0",
        "01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b8\
         64a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac",
        "10621342bfb0fd40046c0e29f2cfdbf0",
    ),
    // [RLEN=8_BITS], L = 128.
    (
        1,
        "2ce3a4a13bbf845a38999ef3c2a68385355fbbb0d6997c0bea7c3fecdc7f6745",
        "8505879d9c93d0b66a29a4d334c257a7824538ebcf151c0b55de0b757dda28fd\
         462c17cbdd8b529f9c183b786385499ff61fa1b736fb1579cf2f8e88",
        "ee9a34656d9d98384f49d35f088cd674",
    ),
];

/// The same file, CMAC-AES128: (location, rlen, KI, data before the counter, data after the
/// counter, KO). For BEFORE/AFTER_FIXED all the fixed input is in one of the two.
const KBKDF_CMAC_AES128: [(CounterLocation, usize, &str, &str, &str, &str); 6] = [
    // [CTRLOCATION=BEFORE_FIXED] [RLEN=8_BITS] COUNT=0, L = 128.
    (
        CounterLocation::BeforeFixed,
        1,
        "dff1e50ac0b69dc40f1051d46c2b069c",
        "",
        "c16e6e02c5a3dcc8d78b9ac1306877761310455b4e41469951d9e6c2245a064b\
         33fd8c3b01203a7824485bf0a64060c4648b707d2607935699316ea5",
        "8be8f0869b3c0ba97b71863d1b9f7813",
    ),
    // [CTRLOCATION=BEFORE_FIXED] [RLEN=8_BITS] COUNT=10, L = 256 (two blocks).
    (
        CounterLocation::BeforeFixed,
        1,
        "682e814d872397eba71170a693514904",
        "",
        "e323cdfa7873a0d72cd86ffb4468744f097db60498f7d0e3a43bafd2d1af675e\
         4a88338723b1236199705357c47bf1d89b2f4617a340980e6331625c",
        "dac9b6ca405749cfb065a0f1e42c7c4224d3d5db32fdafe9dee6ca193316f2c7",
    ),
    // [CTRLOCATION=BEFORE_FIXED] [RLEN=32_BITS] COUNT=30, L = 320 (three blocks).
    (
        CounterLocation::BeforeFixed,
        4,
        "b2fcf854b1029888aeb0274ca09bb21a",
        "",
        "a6b84baae7a6ceb1d63ed704757500c510c0a8bdc22d2f42af09f79c815f37f3\
         3b67dad0b30f428fc1e2d355f7f91f65acbedd2fdd5b8c38dd890407",
        "fe4c2c0242c5a295c008aeb87ae0815171de6173773292347f4f5ec07185c3f8\
         60b5667c199aad55",
    ),
    // [CTRLOCATION=AFTER_FIXED] [RLEN=8_BITS] COUNT=0, L = 128.
    (
        CounterLocation::AfterFixed,
        1,
        "e61a51e1633e7d0de704dcebbd8f962f",
        "5eef88f8cb188e63e08e23c957ee424a3345da88400c567548b57693931a8475\
         01f8e1bce1c37a09ef8c6e2ad553dd0f603b52cc6d4e4cbb76eb6c8f",
        "",
        "63a5647d0fe69d21fc420b1a8ce34cc1",
    ),
    // [CTRLOCATION=MIDDLE_FIXED] [RLEN=8_BITS] COUNT=0, L = 128.
    (
        CounterLocation::MiddleFixed,
        1,
        "b6e04abd1651f8794d4326f4c684e631",
        "93612f7256c46a3d856d3e951e32dbf15fe11159d0b389ad38d603850fee6d18\
         d22031435ed36ee20da76745fbea4b10fe1e",
        "99322aae605a5f01e32b",
        "dcb1db87a68762c6b3354779fa590bef",
    ),
    // [CTRLOCATION=MIDDLE_FIXED] [RLEN=8_BITS] COUNT=10, L = 256 (two blocks).
    (
        CounterLocation::MiddleFixed,
        1,
        "a239154d967d7c9d852bd99589e1ac1c",
        "5d4cefc0dd8e954fe0f1645f19f8fc4654f88fa08b42eb67be98db3a228cdff0\
         0f0f5287fe32fb9a59f626d1984e33d6eacd",
        "a3e27c1764932ce58625",
        "f69af7108762cfb95a2282c12eb58d914a78369c8f4a91c7850c81c973f704e9",
    ),
];

#[test]
fn kbkdf_hmac_nist_cavp_on_every_backend() {
    for backend in backends() {
        if !backend.hmac_supported(&Sha256) {
            continue;
        }
        for (rlen, ki, fixed, ko) in KBKDF_HMAC_SHA256 {
            let (fixed, ko) = (h(fixed), h(ko));
            let params = KbkdfParams {
                rlen,
                llen: None,
                fixed: Some(&fixed),
                ..KbkdfParams::new(ko.len())
            };
            let mut kdf = KbkdfHmac::with_backend(Sha256, params, backend.clone()).unwrap();
            assert_eq!(
                *kdf.derive(&h(ki)).unwrap(),
                ko,
                "rlen {rlen} on {}",
                label(&backend)
            );
        }
    }
}

#[test]
fn kbkdf_cmac_nist_cavp_on_every_backend() {
    for backend in backends() {
        let probe = Aes::new(&[0; 16]).unwrap();
        if !backend.cmac_algorithm_supported(&probe) {
            eprintln!("skipped: KBKDF-CMAC on {}", label(&backend));
            let mut kdf =
                KbkdfCmac::with_backend(Aes::new, KbkdfParams::new(16), backend.clone()).unwrap();
            assert_unsupported(kdf.derive(&[0; 16]), "KBKDF-CMAC without CMAC");
            continue;
        }
        for (location, rlen, ki, before, after, ko) in KBKDF_CMAC_AES128 {
            let (before, after, ko) = (h(before), h(after), h(ko));
            let fixed = [before.as_slice(), after.as_slice()].concat();
            let params = KbkdfParams {
                rlen,
                llen: None,
                location,
                break_location: (location == CounterLocation::MiddleFixed).then_some(before.len()),
                fixed: Some(&fixed),
                ..KbkdfParams::new(ko.len())
            };
            let what = format!(
                "{location:?} rlen {rlen} L {} on {}",
                ko.len(),
                label(&backend)
            );
            let mut kdf = KbkdfCmac::with_backend(Aes::new, params, backend.clone()).unwrap();
            assert_eq!(*kdf.derive(&h(ki)).unwrap(), ko, "{what}");
        }
    }
}

/// The fixed input built from label and context is `Label ‖ 0x00 ‖ Context ‖ [L]_llen`, and
/// matches OpenSSL's KBKDF (`openssl kdf ... KBKDF`: 32-bit counter first, salt = label,
/// info = context, 32-bit length field).
#[test]
fn kbkdf_label_and_context_layout() {
    let key = [0x2a; 32];
    let (label_bytes, context) = (b"label".as_slice(), b"context".as_slice());
    let reference = openssl_kdf(&[
        "-keylen",
        "40",
        "-kdfopt",
        "mac:HMAC",
        "-kdfopt",
        "digest:SHA256",
        "-kdfopt",
        &format!("hexkey:{}", hex::encode(key)),
        "-kdfopt",
        &format!("hexsalt:{}", hex::encode(label_bytes)),
        "-kdfopt",
        &format!("hexinfo:{}", hex::encode(context)),
        "KBKDF",
    ]);
    for backend in backends() {
        if !backend.hmac_supported(&Sha256) {
            continue;
        }
        let params = KbkdfParams {
            label: Some(label_bytes),
            context: Some(context),
            ..KbkdfParams::new(40)
        };
        let ours = KbkdfHmac::with_backend(Sha256, params, backend.clone())
            .unwrap()
            .derive(&key)
            .unwrap();
        if let Some(reference) = &reference {
            assert_eq!(*ours, *reference, "{}", label(&backend));
        }
        let fixed = [label_bytes, &[0], context, &320u32.to_be_bytes()].concat();
        let explicit = KbkdfParams {
            llen: None,
            fixed: Some(&fixed),
            ..KbkdfParams::new(40)
        };
        let same = KbkdfHmac::with_backend(Sha256, explicit, backend.clone())
            .unwrap()
            .derive(&key)
            .unwrap();
        assert_eq!(*ours, *same);
        // A one-byte length field and counter after the fixed input.
        let short = KbkdfParams {
            rlen: 1,
            llen: Some(2),
            location: CounterLocation::AfterFixed,
            label: Some(label_bytes),
            ..KbkdfParams::new(40)
        };
        let fixed = [label_bytes, &[0], &320u16.to_be_bytes()].concat();
        let explicit = KbkdfParams {
            rlen: 1,
            llen: None,
            location: CounterLocation::AfterFixed,
            fixed: Some(&fixed),
            ..KbkdfParams::new(40)
        };
        assert_eq!(
            *KbkdfHmac::with_backend(Sha256, short, backend.clone())
                .unwrap()
                .derive(&key)
                .unwrap(),
            *KbkdfHmac::with_backend(Sha256, explicit, backend.clone())
                .unwrap()
                .derive(&key)
                .unwrap()
        );
    }
}

#[test]
fn kbkdf_validation_follows_pyca() {
    let hmac = |params: KbkdfParams<'_>| KbkdfHmac::new(Sha256, params);
    let base = KbkdfParams::new(32);
    assert_invalid(
        hmac(KbkdfParams {
            location: CounterLocation::MiddleFixed,
            ..base
        }),
        "Please specify a break_location",
    );
    assert_invalid(
        hmac(KbkdfParams {
            break_location: Some(1),
            ..base
        }),
        "break_location is ignored",
    );
    assert_invalid(
        hmac(KbkdfParams {
            label: Some(b"l"),
            fixed: Some(b"f"),
            ..base
        }),
        "When supplying fixed data, label and context are ignored.",
    );
    assert_invalid(
        hmac(KbkdfParams {
            context: Some(b"c"),
            fixed: Some(b"f"),
            ..base
        }),
        "label and context are ignored",
    );
    for rlen in [0, 5] {
        assert_invalid(
            hmac(KbkdfParams { rlen, ..base }),
            &format!("rlen must be between 1 and 4 bytes, got {rlen} bytes"),
        );
    }
    assert_invalid(
        hmac(KbkdfParams { llen: None, ..base }),
        "Please specify an llen",
    );
    assert_invalid(
        hmac(KbkdfParams {
            llen: Some(0),
            ..base
        }),
        "llen must be non-zero",
    );
    assert_invalid(
        hmac(KbkdfParams {
            llen: Some(5),
            ..base
        }),
        "llen must be between 1 and 4 bytes, got 5 bytes",
    );
    // L = 32 bytes = 256 bits needs two bytes; 31 bytes = 248 bits fits in one.
    assert_invalid(
        hmac(KbkdfParams {
            llen: Some(1),
            ..base
        }),
        "256 bits does not fit in an llen of 1",
    );
    assert!(hmac(KbkdfParams {
        llen: Some(1),
        ..KbkdfParams::new(31)
    })
    .is_ok());
    assert_invalid(
        hmac(KbkdfParams {
            location: CounterLocation::MiddleFixed,
            break_location: Some(3),
            llen: None,
            fixed: Some(b"ab"),
            ..base
        }),
        "break_location offset > len(fixed)",
    );
    assert!(hmac(KbkdfParams {
        location: CounterLocation::MiddleFixed,
        break_location: Some(2),
        llen: None,
        fixed: Some(b"ab"),
        ..base
    })
    .is_ok());
    // rlen = 1 counts 255 blocks of 32 bytes at most.
    assert!(hmac(KbkdfParams {
        rlen: 1,
        ..KbkdfParams::new(255 * 32)
    })
    .is_ok());
    assert_invalid(
        hmac(KbkdfParams {
            rlen: 1,
            ..KbkdfParams::new(255 * 32 + 1)
        }),
        "There are too many iterations",
    );
    assert_invalid(hmac(KbkdfParams::new(0)), "at least 1 byte");
    assert_unsupported(
        KbkdfHmac::new(Shake128::new(32).unwrap(), base),
        "KBKDF-HMAC over SHAKE",
    );

    // KBKDF-CMAC knows the block size once the key makes the cipher: its counter limit, a bad
    // key and a stream cipher surface at derive.
    let mut long = KbkdfCmac::new(
        Aes::new,
        KbkdfParams {
            rlen: 1,
            ..KbkdfParams::new(255 * 16 + 1)
        },
    )
    .unwrap();
    assert_invalid(long.derive(&[0; 16]), "There are too many iterations");
    let mut bad_key = KbkdfCmac::new(Aes::new, base).unwrap();
    assert!(matches!(
        bad_key.derive(&[0; 9]),
        Err(Error::InvalidArgument(_))
    ));
    let mut stream = KbkdfCmac::new(Arc4::new, base).unwrap();
    assert_unsupported(stream.derive(&[0; 16]), "KBKDF-CMAC over RC4");
}

// ---------------------------------------------------------------------------------------------
// The shared contract: once only, verify, validation
// ---------------------------------------------------------------------------------------------

/// One of every KDF on `backend` (those it serves), each deriving 32 bytes.
fn every_kdf(backend: &BackendRef) -> Vec<(&'static str, Box<dyn KeyDerivationFunction>)> {
    let mut all: Vec<(&'static str, Box<dyn KeyDerivationFunction>)> = Vec::new();
    let b = || backend.clone();
    if backend.hmac_supported(&Sha256) {
        all.push((
            "HKDF",
            Box::new(Hkdf::with_backend(Sha256, 32, None, None, b()).unwrap()),
        ));
        all.push((
            "HKDFExpand",
            Box::new(HkdfExpand::with_backend(Sha256, 32, None, b()).unwrap()),
        ));
        all.push((
            "ConcatKDFHMAC",
            Box::new(ConcatKdfHmac::with_backend(Sha256, 32, None, None, b()).unwrap()),
        ));
        all.push((
            "KBKDFHMAC",
            Box::new(KbkdfHmac::with_backend(Sha256, KbkdfParams::new(32), b()).unwrap()),
        ));
    }
    if backend.hash_supported(&Sha256) {
        all.push((
            "ConcatKDFHash",
            Box::new(ConcatKdfHash::with_backend(Sha256, 32, None, b()).unwrap()),
        ));
        all.push((
            "X963KDF",
            Box::new(X963Kdf::with_backend(Sha256, 32, None, b()).unwrap()),
        ));
    }
    if backend.cmac_algorithm_supported(&Aes::new(&[0; 16]).unwrap()) {
        all.push((
            "KBKDFCMAC",
            Box::new(KbkdfCmac::with_backend(Aes::new, KbkdfParams::new(32), b()).unwrap()),
        ));
    }
    if backend.pbkdf2_hmac_supported(&Sha256) {
        all.push((
            "PBKDF2HMAC",
            Box::new(Pbkdf2Hmac::with_backend(Sha256, 32, b"salt", 2, b()).unwrap()),
        ));
    }
    if backend.scrypt_supported() {
        all.push((
            "Scrypt",
            Box::new(Scrypt::with_backend(b"salt", 32, 16, 1, 1, b()).unwrap()),
        ));
    }
    for variant in Argon2Variant::ALL {
        if backend.argon2_supported(variant) {
            let kdf = argon2(variant, b"saltsalt", 32, 1, 1, 8, None, None, b()).unwrap();
            all.push((variant.name(), kdf));
        }
    }
    all
}

/// A fresh instance of the KDF called `name` from [`every_kdf`].
fn fresh(backend: &BackendRef, name: &str) -> Box<dyn KeyDerivationFunction> {
    every_kdf(backend)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, kdf)| kdf)
        .expect("a KDF of that name")
}

/// The key material every contract test uses: 16 bytes, valid as an AES key for KBKDF-CMAC.
const KEY_MATERIAL: &[u8] = b"sixteen byte key";

#[test]
fn derive_works_once() {
    for backend in backends() {
        let firsts: Vec<_> = every_kdf(&backend)
            .into_iter()
            .map(|(name, mut kdf)| {
                let key = kdf.derive(KEY_MATERIAL).unwrap();
                assert_eq!(key.len(), 32, "{name}");
                assert_eq!(kdf.length(), 32, "{name}");
                assert_eq!(
                    kdf.derive(KEY_MATERIAL).unwrap_err(),
                    Error::AlreadyFinalized,
                    "{name}: second derive"
                );
                assert_eq!(
                    kdf.verify(KEY_MATERIAL, &key).unwrap_err(),
                    Error::AlreadyFinalized,
                    "{name}: verify after derive"
                );
                let mut out = [0u8; 32];
                assert_eq!(
                    kdf.derive_into(KEY_MATERIAL, &mut out).unwrap_err(),
                    Error::AlreadyFinalized,
                    "{name}: derive_into after derive"
                );
                (name, key)
            })
            .collect();
        // A fresh instance derives the same key again, and verifies it.
        for ((name, mut kdf), (_, key)) in every_kdf(&backend).into_iter().zip(&firsts) {
            kdf.verify(KEY_MATERIAL, key)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                kdf.verify(KEY_MATERIAL, key).unwrap_err(),
                Error::AlreadyFinalized,
                "{name}: second verify"
            );
        }
        eprintln!("{}: {} KDFs checked", label(&backend), firsts.len());
    }
}

#[test]
fn verify_mismatch_is_invalid_key() {
    for backend in backends() {
        let keys: Vec<_> = every_kdf(&backend)
            .into_iter()
            .map(|(name, mut kdf)| (name, kdf.derive(KEY_MATERIAL).unwrap()))
            .collect();
        let mismatches = |key: &[u8]| -> Vec<Vec<u8>> {
            let mut flipped = key.to_vec();
            flipped[31] ^= 1;
            vec![
                flipped,
                key[..31].to_vec(),
                [key, &[0]].concat(),
                Vec::new(),
            ]
        };
        for (name, key) in &keys {
            for wrong in mismatches(key) {
                let mut kdf = fresh(&backend, name);
                assert_eq!(
                    kdf.verify(KEY_MATERIAL, &wrong).unwrap_err(),
                    Error::InvalidKey,
                    "{name}: {} bytes",
                    wrong.len()
                );
                // A mismatch uses the instance up too.
                assert_eq!(
                    kdf.verify(KEY_MATERIAL, key).unwrap_err(),
                    Error::AlreadyFinalized
                );
            }
            // Other key material: InvalidKey as well.
            let mut kdf = fresh(&backend, name);
            assert_eq!(
                kdf.verify(b"another key, 16b", key).unwrap_err(),
                Error::InvalidKey,
                "{name}: other key material"
            );
        }
    }
}

#[test]
fn derive_into_needs_the_exact_length_and_keeps_the_kdf_unused() {
    for backend in backends() {
        for (name, mut kdf) in every_kdf(&backend) {
            for size in [31, 33, 0] {
                let mut out = vec![0u8; size];
                assert_invalid(
                    kdf.derive_into(KEY_MATERIAL, &mut out),
                    "must be exactly 32 bytes",
                );
            }
            let mut out = [0u8; 32];
            kdf.derive_into(KEY_MATERIAL, &mut out)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_ne!(out, [0; 32], "{name}");
        }
    }
}

#[test]
fn parameter_validation() {
    // HKDF and HKDFExpand: see hkdf_output_lengths_are_in_bytes.
    // PBKDF2.
    assert_invalid(
        Pbkdf2Hmac::new(Sha256, 32, b"salt", 0),
        "iterations must be at least 1",
    );
    assert_invalid(Pbkdf2Hmac::new(Sha256, 0, b"salt", 1), "at least 1 byte");
    assert_invalid(
        Pbkdf2Hmac::new(Sha1, 20 * (u32::MAX as usize) + 1, b"salt", 1),
        "(2^32 - 1) x 20",
    );
    // ConcatKDF and X9.63: (2^32 - 1) blocks at most, at least one byte.
    assert_invalid(
        ConcatKdfHash::new(Sha256, 32 * (u32::MAX as usize) + 1, None),
        "(2^32 - 1) x 32",
    );
    assert_invalid(ConcatKdfHash::new(Sha256, 0, None), "at least 1 byte");
    assert_invalid(
        ConcatKdfHmac::new(Sha256, 32 * (u32::MAX as usize) + 1, None, None),
        "(2^32 - 1) x 32",
    );
    assert_invalid(
        X963Kdf::new(Sha256, 32 * (u32::MAX as usize) + 1, None),
        "(2^32 - 1) x 32",
    );
    assert!(X963Kdf::new(Sha256, 32 * (u32::MAX as usize), None).is_ok());
    assert_unsupported(
        ConcatKdfHmac::new(Shake128::new(32).unwrap(), 32, None, None),
        "ConcatKDF-HMAC over SHAKE",
    );

    if default_backend().scrypt_supported() {
        for n in [0, 1, 3, 1000, 1025] {
            assert_invalid(
                Scrypt::new(b"salt", 32, n, 8, 1),
                &format!("greater than 1 and a power of 2, got {n}"),
            );
        }
        assert_invalid(Scrypt::new(b"salt", 32, 1024, 0, 1), "r must be at least 1");
        assert_invalid(Scrypt::new(b"salt", 32, 1024, 8, 0), "p must be at least 1");
        assert_invalid(Scrypt::new(b"salt", 0, 1024, 8, 1), "at least 1 byte");
        // RFC 7914: N < 2^(16 r); r = 1 allows N up to 2^15.
        assert!(Scrypt::new(b"salt", 32, 1 << 15, 1, 1).is_ok());
        assert_invalid(
            Scrypt::new(b"salt", 32, 1 << 16, 1, 1),
            "less than 2^(16 r)",
        );
        // r x p < 2^30.
        assert_invalid(
            Scrypt::new(b"salt", 32, 2, 1 << 15, 1 << 15),
            "less than 2^30",
        );
    } else {
        assert_unsupported(Scrypt::new(b"salt", 32, 1024, 8, 1), "scrypt");
    }

    if default_backend().argon2_supported(Argon2Variant::Argon2id) {
        let argon = |salt: &[u8], length, iterations, lanes, memory_cost| {
            Argon2id::new(salt, length, iterations, lanes, memory_cost, None, None)
        };
        assert_invalid(
            argon(b"1234567", 32, 1, 1, 8),
            "salt must be at least 8 bytes, got 7",
        );
        assert_invalid(
            argon(b"12345678", 3, 1, 1, 8),
            "length must be at least 4 bytes, got 3",
        );
        assert_invalid(
            argon(b"12345678", 32, 0, 1, 8),
            "iterations must be at least 1",
        );
        assert_invalid(
            argon(b"12345678", 32, 1, 0, 8),
            "lanes must be between 1 and 2^24 - 1",
        );
        assert_invalid(
            argon(b"12345678", 32, 1, 1 << 24, u32::MAX),
            "lanes must be between 1 and 2^24 - 1, got 16777216",
        );
        assert_invalid(
            argon(b"12345678", 32, 1, 2, 15),
            "memory_cost must be at least 8 x lanes = 16 KiB, got 15",
        );
        assert!(argon(b"12345678", 4, 1, 2, 16).is_ok());
    } else {
        assert_unsupported(
            Argon2id::new(b"12345678", 32, 1, 1, 8, None, None),
            "Argon2id",
        );
    }
}

/// Every backend serving PBKDF2, scrypt or Argon2 gives the same bytes for the same inputs (odd
/// lengths, several blocks, empty password and salt).
#[test]
fn backends_agree() {
    let all = available_backends();
    let agree = |what: &str, outputs: Vec<(String, Vec<u8>)>| {
        for pair in outputs.windows(2) {
            assert_eq!(
                pair[0].1, pair[1].1,
                "{what}: {} vs {}",
                pair[0].0, pair[1].0
            );
        }
        eprintln!("{what}: {} backends agree", outputs.len());
    };
    let algorithms: [Arc<dyn HashAlgorithm>; 4] = [
        Arc::new(Sha1),
        Arc::new(Sha256),
        Arc::new(Sha384),
        Arc::new(Sha512),
    ];
    for algorithm in algorithms {
        for (password, salt, length) in [
            (b"".as_slice(), b"".as_slice(), 1),
            (b"pw", b"salt", 77),
            (&[0xff; 200][..], &[0x00; 100][..], 200),
        ] {
            let outputs = all
                .iter()
                .filter(|b| b.pbkdf2_hmac_supported(&*algorithm))
                .map(|b| {
                    let mut kdf =
                        Pbkdf2Hmac::from_shared(algorithm.clone(), length, salt, 3, b.clone())
                            .unwrap();
                    (b.name().to_owned(), kdf.derive(password).unwrap().to_vec())
                })
                .collect();
            agree(
                &format!("PBKDF2-{} length {length}", algorithm.name()),
                outputs,
            );
        }
    }
    let outputs = all
        .iter()
        .filter(|b| b.scrypt_supported())
        .map(|b| {
            let mut kdf = Scrypt::with_backend(b"salt", 100, 64, 2, 3, b.clone()).unwrap();
            (
                b.name().to_owned(),
                kdf.derive(b"password").unwrap().to_vec(),
            )
        })
        .collect();
    agree("scrypt", outputs);
    for variant in Argon2Variant::ALL {
        let outputs = all
            .iter()
            .filter(|b| b.argon2_supported(variant))
            .map(|b| {
                let mut kdf = argon2(
                    variant,
                    b"saltsalt",
                    77,
                    2,
                    3,
                    48,
                    Some(b"ad"),
                    Some(b"k"),
                    b.clone(),
                )
                .unwrap();
                (
                    b.name().to_owned(),
                    kdf.derive(b"password").unwrap().to_vec(),
                )
            })
            .collect();
        agree(variant.name(), outputs);
    }
}

/// The default multi-backend serves a KDF exactly when some member does, names the member,
/// and lists the union of the members' KDFs.
#[test]
fn default_routes_kdfs_to_a_serving_member() {
    let default = default_backend();
    let multi = default
        .downcast_ref::<MultiBackend>()
        .expect("the default is a multi-backend");
    let members = multi.members();
    let algorithms: [Arc<dyn HashAlgorithm>; 3] =
        [Arc::new(Sha1), Arc::new(Sha256), Arc::new(Sha3_256)];
    for algorithm in algorithms {
        let any = members.iter().any(|m| m.pbkdf2_hmac_supported(&*algorithm));
        assert_eq!(default.pbkdf2_hmac_supported(&*algorithm), any);
        if let Some(serving) = multi.backend_for_pbkdf2_hmac(&*algorithm) {
            assert!(serving.pbkdf2_hmac_supported(&*algorithm));
        }
    }
    assert_eq!(
        default.scrypt_supported(),
        members.iter().any(|m| m.scrypt_supported())
    );
    assert_eq!(
        multi.backend_for_scrypt().is_some(),
        default.scrypt_supported()
    );
    for variant in Argon2Variant::ALL {
        assert_eq!(
            default.argon2_supported(variant),
            members.iter().any(|m| m.argon2_supported(variant))
        );
        assert_eq!(
            multi.backend_for_argon2(variant).is_some(),
            default.argon2_supported(variant)
        );
    }
    let listed = default.supported_kdfs();
    for member in members {
        for name in member.supported_kdfs() {
            assert!(listed.contains(&name), "{name} from {}", member.name());
        }
    }
    if default.pbkdf2_hmac_supported(&Sha256) {
        assert!(listed.contains(&"pbkdf2-hmac-sha256".to_owned()));
    }
}

#[test]
fn debug_output_hides_secrets() {
    let secret = b"TOPSECRET-ARGON2";
    if default_backend().argon2_supported(Argon2Variant::Argon2id) {
        let kdf = Argon2id::new(b"saltsalt", 32, 1, 1, 8, Some(b"ad"), Some(secret)).unwrap();
        let text = format!("{kdf:?}");
        assert!(!text.contains("TOPSECRET"), "{text}");
        assert!(text.contains("memory_cost"), "{text}");
    }
    let kdf = Hkdf::new(Sha256, 32, Some(b"SALTBYTES"), Some(b"INFOBYTES")).unwrap();
    let text = format!("{kdf:?}");
    assert!(
        !text.contains("SALTBYTES") && !text.contains("INFOBYTES"),
        "{text}"
    );
}

#[test]
fn kdfs_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Hkdf>();
    check::<HkdfExpand>();
    check::<Pbkdf2Hmac>();
    check::<Scrypt>();
    check::<Argon2id>();
    check::<Argon2i>();
    check::<Argon2d>();
    check::<ConcatKdfHash>();
    check::<ConcatKdfHmac>();
    check::<X963Kdf>();
    check::<KbkdfHmac>();
    check::<KbkdfCmac>();
}
