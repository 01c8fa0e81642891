//! Key files against independent implementations, at test time: keys that `openssl genpkey`
//! makes (and `openssl pkcs8` / `openssl pkey` re-encode and encrypt) load in ours, sign, and
//! verify with `openssl`; every file we write passes `openssl pkey -check` with the public
//! key openssl derives equal to ours, and loads in Python's `cryptography` with our numbers.
//!
//! A missing tool skips the comparison with a notice, except when `CI` is set: then the test
//! fails, so that CI cannot pass without the independent checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pluggable_crypto::hazmat::primitives::asymmetric::dh::DhParameterNumbers;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{self, Ecdsa};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::Ed25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::Ed448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::padding::Pkcs1v15;
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::X25519PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::x448::X448PrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::{dsa, rsa, BigUint, EllipticCurve};
use pluggable_crypto::hazmat::primitives::hashes::Sha256;
use pluggable_crypto::hazmat::primitives::serialization::{
    load_der_private_key, load_der_public_key, load_pem_private_key, load_pem_public_key,
    BestAvailableEncryption, Encoding, KeySerializationEncryption, NoEncryption, Pkcs8Kdf,
    PrivateFormat, PrivateKeyTypes, PublicFormat, PublicKeyTypes,
};
use serde_json::{json, Value};

#[path = "support/python.rs"]
mod python;

const PASSWORD: &str = "interop-pw";

fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but `{name}` is missing"
        );
        println!("note: skipped, no `{name}`");
    }
    found
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "interop-serialization-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `openssl args`; panics with its stderr unless it succeeds.
fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The SPKI DER of any public key, ours.
fn spki(key: &PublicKeyTypes) -> Vec<u8> {
    key.public_bytes(Encoding::Der, PublicFormat::SubjectPublicKeyInfo)
        .unwrap()
}

/// The algorithms `openssl genpkey` makes, with the options that make them.
const OPENSSL_ALGORITHMS: &[(&str, &[&str])] = &[
    (
        "rsa",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    ),
    (
        "p256",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    ),
    (
        "p384",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    ),
    (
        "p521",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    ),
    ("ed25519", &["-algorithm", "ED25519"]),
    ("ed448", &["-algorithm", "ED448"]),
    ("x25519", &["-algorithm", "X25519"]),
    ("x448", &["-algorithm", "X448"]),
    ("dh", &["-algorithm", "DH", "-pkeyopt", "group:ffdhe2048"]),
];

#[test]
fn openssl_keys_load_in_ours_in_every_form_and_sign() {
    if !tool("openssl") {
        return;
    }
    let dir = scratch("openssl-made");
    let pass = format!("pass:{PASSWORD}");
    let mut forms_checked = 0;
    let mut algorithms: Vec<(String, Vec<String>)> = OPENSSL_ALGORITHMS
        .iter()
        .map(|(n, a)| (n.to_string(), a.iter().map(|s| s.to_string()).collect()))
        .collect();
    // DSA: parameters first, then the key.
    let dsa_params = dir.join("dsa-params.pem");
    openssl(&[
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-out",
        path_str(&dsa_params),
    ]);
    algorithms.push((
        "dsa".into(),
        vec!["-paramfile".into(), path_str(&dsa_params).into()],
    ));
    for (name, options) in &algorithms {
        let plain = dir.join(format!("{name}.pem"));
        let mut args: Vec<&str> = vec!["genpkey"];
        args.extend(options.iter().map(String::as_str));
        args.extend(["-out", path_str(&plain)]);
        openssl(&args);
        let pem = std::fs::read(&plain).unwrap();
        let key = match load_pem_private_key(&pem, None) {
            Ok(key) => key,
            // Without OpenSSL, DH has no backend.
            Err(e) if e.is_unsupported() && !cfg!(feature = "openssl") => {
                println!("note: {name} skipped: {e}");
                continue;
            }
            Err(e) => panic!("{name}: openssl's PKCS #8 PEM: {e}"),
        };
        let openssl_spki = openssl(&[
            "pkey",
            "-in",
            path_str(&plain),
            "-pubout",
            "-outform",
            "DER",
        ]);
        assert_eq!(
            spki(&key.public_key().unwrap()),
            openssl_spki,
            "{name}: public key"
        );

        // Every other form openssl writes of the same key gives the same key.
        let traditional = matches!(name.as_str(), "rsa" | "p256" | "p384" | "p521" | "dsa");
        let mut forms: Vec<(&str, Vec<&str>, bool, bool)> = vec![
            // (form, openssl args after -in F, DER?, encrypted?)
            ("pkcs8-der", vec!["pkey", "-outform", "DER"], true, false),
            (
                "pkcs8-aes256",
                vec!["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", &pass],
                false,
                true,
            ),
            (
                "pkcs8-aes128-sha512",
                vec![
                    "pkcs8",
                    "-topk8",
                    "-v2",
                    "aes-128-cbc",
                    "-v2prf",
                    "hmacWithSHA512",
                    "-passout",
                    &pass,
                ],
                false,
                true,
            ),
            (
                "pkcs8-des3",
                vec!["pkcs8", "-topk8", "-v2", "des3", "-passout", &pass],
                false,
                true,
            ),
            (
                "pkcs8-scrypt",
                vec!["pkcs8", "-topk8", "-scrypt", "-passout", &pass],
                false,
                true,
            ),
            (
                "pkcs8-pkcs12-3des",
                vec!["pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-passout", &pass],
                false,
                true,
            ),
            (
                "pkcs8-aes256-der",
                vec![
                    "pkcs8",
                    "-topk8",
                    "-v2",
                    "aes-256-cbc",
                    "-outform",
                    "DER",
                    "-passout",
                    &pass,
                ],
                true,
                true,
            ),
        ];
        if traditional {
            forms.push((
                "traditional-pem",
                vec!["pkey", "-traditional"],
                false,
                false,
            ));
            forms.push((
                "traditional-der",
                vec!["pkey", "-traditional", "-outform", "DER"],
                true,
                false,
            ));
            forms.push((
                "traditional-aes256",
                vec!["pkey", "-traditional", "-aes256", "-passout", &pass],
                false,
                true,
            ));
            forms.push((
                "traditional-des3",
                vec!["pkey", "-traditional", "-des3", "-passout", &pass],
                false,
                true,
            ));
        }
        let want = key
            .private_bytes(Encoding::Der, PrivateFormat::Pkcs8, NoEncryption)
            .unwrap();
        for (form, args, der, encrypted) in forms {
            let out = dir.join(format!("{name}-{form}"));
            let mut full = vec![args[0], "-in", path_str(&plain)];
            full.extend(&args[1..]);
            full.extend(["-out", path_str(&out)]);
            openssl(&full);
            let data = std::fs::read(&out).unwrap();
            let password = encrypted.then_some(PASSWORD.as_bytes());
            let loaded = if der {
                load_der_private_key(&data, password)
            } else {
                load_pem_private_key(&data, password)
            }
            .unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            let again = loaded
                .private_bytes(Encoding::Der, PrivateFormat::Pkcs8, NoEncryption)
                .unwrap();
            assert_eq!(again, want, "{name} {form}: a different key");
            if encrypted {
                let none = if der {
                    load_der_private_key(&data, None)
                } else {
                    load_pem_private_key(&data, None)
                };
                assert!(
                    matches!(none, Err(pluggable_crypto::Error::PasswordRequired)),
                    "{name} {form}: {none:?}"
                );
                let wrong = if der {
                    load_der_private_key(&data, Some(b"not the password"))
                } else {
                    load_pem_private_key(&data, Some(b"not the password"))
                };
                assert!(
                    matches!(wrong, Err(pluggable_crypto::Error::IncorrectPassword)),
                    "{name} {form}: {wrong:?}"
                );
            }
            forms_checked += 1;
        }
        // The public key files openssl writes.
        for (form, der) in [("spki-pem", false), ("spki-der", true)] {
            let out = dir.join(format!("{name}-{form}"));
            let mut args = vec![
                "pkey",
                "-in",
                path_str(&plain),
                "-pubout",
                "-out",
                path_str(&out),
            ];
            if der {
                args.extend(["-outform", "DER"]);
            }
            openssl(&args);
            let data = std::fs::read(&out).unwrap();
            let public = if der {
                load_der_public_key(&data)
            } else {
                load_pem_public_key(&data)
            }
            .unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            assert_eq!(spki(&public), openssl_spki, "{name} {form}");
            forms_checked += 1;
        }
        sign_and_verify_with_openssl(name, &key, &dir);
    }
    println!(
        "openssl-made keys: {} algorithms, {forms_checked} forms loaded",
        algorithms.len()
    );
}

/// Signs with our key; `openssl` verifies with the public key we wrote.
fn sign_and_verify_with_openssl(name: &str, key: &PrivateKeyTypes, dir: &Path) {
    let message = b"a message signed by cryptography-rs, verified by openssl";
    let msg = dir.join(format!("{name}.msg"));
    std::fs::write(&msg, message).unwrap();
    let public = dir.join(format!("{name}.pub.pem"));
    std::fs::write(
        &public,
        key.public_key()
            .unwrap()
            .public_bytes(Encoding::Pem, PublicFormat::SubjectPublicKeyInfo)
            .unwrap(),
    )
    .unwrap();
    let (signature, raw) = match key {
        PrivateKeyTypes::Rsa(k) => (k.sign(message, Pkcs1v15, Sha256).unwrap(), false),
        PrivateKeyTypes::Ec(k) => (k.sign(message, &Ecdsa::new(Sha256)).unwrap(), false),
        PrivateKeyTypes::Dsa(k) => (k.sign(message, Sha256).unwrap(), false),
        PrivateKeyTypes::Ed25519(k) => (k.sign(message).unwrap(), true),
        PrivateKeyTypes::Ed448(k) => (k.sign(message).unwrap(), true),
        _ => return,
    };
    let sig = dir.join(format!("{name}.sig"));
    std::fs::write(&sig, &signature).unwrap();
    if raw {
        openssl(&[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            path_str(&public),
            "-rawin",
            "-in",
            path_str(&msg),
            "-sigfile",
            path_str(&sig),
        ]);
    } else {
        openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            path_str(&public),
            "-signature",
            path_str(&sig),
            path_str(&msg),
        ]);
    }
    if let PrivateKeyTypes::Rsa(_) = key {
        // PKCS #1 v1.5 is deterministic: openssl's signature is byte-identical.
        let private = dir.join(format!("{name}.pem"));
        let theirs = openssl(&[
            "dgst",
            "-sha256",
            "-sign",
            path_str(&private),
            path_str(&msg),
        ]);
        assert_eq!(
            theirs, signature,
            "{name}: RSA PKCS #1 v1.5 signatures differ"
        );
    }
}

/// Our keys, one of each type (DSA and DH from fixed public parameters).
fn our_keys() -> Vec<(&'static str, PrivateKeyTypes)> {
    let dh_group14 = DhParameterNumbers::new(
        BigUint::from_hex(concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd",
            "ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee3",
            "86bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d",
            "23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c1",
            "80e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aac",
            "aa68ffffffffffffffff"
        ))
        .unwrap(),
        BigUint::from_u64(2),
        None,
    );
    let keys: Vec<(&'static str, pluggable_crypto::Result<PrivateKeyTypes>)> = vec![
        (
            "rsa",
            rsa::generate_private_key(65537, 2048).map(Into::into),
        ),
        (
            "p256",
            ec::generate_private_key(EllipticCurve::Secp256r1).map(Into::into),
        ),
        (
            "p384",
            ec::generate_private_key(EllipticCurve::Secp384r1).map(Into::into),
        ),
        (
            "p521",
            ec::generate_private_key(EllipticCurve::Secp521r1).map(Into::into),
        ),
        (
            "k256",
            ec::generate_private_key(EllipticCurve::Secp256k1).map(Into::into),
        ),
        ("ed25519", Ed25519PrivateKey::generate().map(Into::into)),
        ("ed448", Ed448PrivateKey::generate().map(Into::into)),
        ("x25519", X25519PrivateKey::generate().map(Into::into)),
        ("x448", X448PrivateKey::generate().map(Into::into)),
        ("dsa", dsa::generate_private_key(2048).map(Into::into)),
        (
            "dh",
            dh_group14
                .parameters()
                .and_then(|p| p.generate_private_key())
                .map(Into::into),
        ),
    ];
    // Without OpenSSL, DH has no backend; every other type must be there.
    keys.into_iter()
        .filter_map(|(name, key)| match key {
            Ok(key) => Some((name, key)),
            Err(e) if e.is_unsupported() && !cfg!(feature = "openssl") => {
                println!("note: {name} skipped: {e}");
                None
            }
            Err(e) => panic!("{name}: {e}"),
        })
        .collect()
}

/// Every (encoding, format, encryption) we write for `key`, named, with whether it is DER and
/// encrypted. PKCS #8 encryption uses a lower PBKDF2 cost than `BestAvailableEncryption`
/// except for one key, to keep the checks quick.
fn our_private_forms(name: &str, key: &PrivateKeyTypes) -> Vec<(String, Vec<u8>, bool, bool)> {
    let fast = PrivateFormat::Pkcs8
        .encryption_builder()
        .unwrap()
        .kdf_rounds(2048)
        .unwrap()
        .build(PASSWORD.as_bytes())
        .unwrap();
    let scrypt = PrivateFormat::Pkcs8
        .encryption_builder()
        .unwrap()
        .pkcs8_kdf(Pkcs8Kdf::Scrypt {
            log_n: 10,
            r: 8,
            p: 1,
        })
        .unwrap()
        .build(PASSWORD.as_bytes())
        .unwrap();
    let best = BestAvailableEncryption::new(PASSWORD.as_bytes());
    let pkcs8_encryption: &KeySerializationEncryption = if name == "p256" { &best } else { &fast };
    let none = KeySerializationEncryption::from(NoEncryption);
    let mut forms = vec![
        (
            "pkcs8-pem",
            Encoding::Pem,
            PrivateFormat::Pkcs8,
            &none,
            false,
            false,
        ),
        (
            "pkcs8-der",
            Encoding::Der,
            PrivateFormat::Pkcs8,
            &none,
            true,
            false,
        ),
        (
            "pkcs8-pem-enc",
            Encoding::Pem,
            PrivateFormat::Pkcs8,
            pkcs8_encryption,
            false,
            true,
        ),
        (
            "pkcs8-der-enc",
            Encoding::Der,
            PrivateFormat::Pkcs8,
            pkcs8_encryption,
            true,
            true,
        ),
        (
            "pkcs8-scrypt",
            Encoding::Pem,
            PrivateFormat::Pkcs8,
            &scrypt,
            false,
            true,
        ),
    ];
    if matches!(
        key,
        PrivateKeyTypes::Rsa(_) | PrivateKeyTypes::Ec(_) | PrivateKeyTypes::Dsa(_)
    ) {
        forms.push((
            "traditional-pem",
            Encoding::Pem,
            PrivateFormat::TraditionalOpenSsl,
            &none,
            false,
            false,
        ));
        forms.push((
            "traditional-der",
            Encoding::Der,
            PrivateFormat::TraditionalOpenSsl,
            &none,
            true,
            false,
        ));
        forms.push((
            "traditional-pem-enc",
            Encoding::Pem,
            PrivateFormat::TraditionalOpenSsl,
            &best,
            false,
            true,
        ));
    }
    forms
        .into_iter()
        .map(|(form, encoding, format, encryption, der, encrypted)| {
            let bytes = key
                .private_bytes(encoding, format, encryption)
                .unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            (form.to_string(), bytes.to_vec(), der, encrypted)
        })
        .collect()
}

#[test]
fn our_files_pass_openssl_pkey_check_with_our_public_key() {
    if !tool("openssl") {
        return;
    }
    let dir = scratch("ours-openssl");
    let pass = format!("pass:{PASSWORD}");
    let mut checked = 0;
    for (name, key) in our_keys() {
        let our_spki = spki(&key.public_key().unwrap());
        for (form, bytes, der, encrypted) in our_private_forms(name, &key) {
            let path = dir.join(format!("{name}-{form}"));
            std::fs::write(&path, &bytes).unwrap();
            let mut args = vec!["pkey", "-in", path_str(&path)];
            if der {
                args.extend(["-inform", "DER"]);
            }
            if encrypted {
                args.extend(["-passin", &pass]);
            }
            let mut check = args.clone();
            check.extend(["-check", "-noout"]);
            openssl(&check);
            args.extend(["-pubout", "-outform", "DER"]);
            assert_eq!(
                openssl(&args),
                our_spki,
                "{name} {form}: openssl derives another public key"
            );
            checked += 1;
        }
        let public = key.public_key().unwrap();
        for (form, encoding, format) in [
            (
                "spki-pem",
                Encoding::Pem,
                PublicFormat::SubjectPublicKeyInfo,
            ),
            (
                "spki-der",
                Encoding::Der,
                PublicFormat::SubjectPublicKeyInfo,
            ),
            ("pkcs1-pem", Encoding::Pem, PublicFormat::Pkcs1),
            ("pkcs1-der", Encoding::Der, PublicFormat::Pkcs1),
        ] {
            let Ok(bytes) = public.public_bytes(encoding, format) else {
                assert!(
                    format == PublicFormat::Pkcs1 && name != "rsa",
                    "{name} {form}"
                );
                continue;
            };
            let path = dir.join(format!("{name}-{form}"));
            std::fs::write(&path, &bytes).unwrap();
            let inform = if encoding == Encoding::Der {
                "DER"
            } else {
                "PEM"
            };
            let out = if format == PublicFormat::Pkcs1 {
                openssl(&[
                    "rsa",
                    "-RSAPublicKey_in",
                    "-in",
                    path_str(&path),
                    "-inform",
                    inform,
                    "-pubout",
                    "-outform",
                    "DER",
                ])
            } else {
                openssl(&[
                    "pkey",
                    "-pubin",
                    "-in",
                    path_str(&path),
                    "-inform",
                    inform,
                    "-outform",
                    "DER",
                ])
            };
            assert_eq!(out, our_spki, "{name} {form}");
            checked += 1;
        }
    }
    println!("openssl accepted {checked} files we wrote");
}

const PYCA_SCRIPT: &str = r#"
import json, sys
from cryptography.hazmat.primitives import serialization as s
from cryptography.hazmat.primitives.asymmetric import rsa, ec, dsa, dh, ed25519, ed448, x25519, x448
out = []
for req in json.load(sys.stdin):
    data = open(req["path"], "rb").read()
    pw = req["password"].encode() if req["password"] else None
    raw = {"raw_ed25519": ed25519.Ed25519PrivateKey, "raw_ed448": ed448.Ed448PrivateKey,
           "raw_x25519": x25519.X25519PrivateKey, "raw_x448": x448.X448PrivateKey}
    if req["loader"] in raw:
        key = raw[req["loader"]].from_private_bytes(data).public_key()
    else:
        loader = getattr(s, req["loader"])
        key = loader(data, pw) if "private" in req["loader"] else loader(data)
        if "private" in req["loader"]:
            key = key.public_key()
    if isinstance(key, dh.DHPublicKey):
        # pyca's OpenSSL names RFC 3526 groups and adds their q when writing: compare numbers.
        n = key.public_numbers()
        out.append("dh:%x:%x:%x" % (n.parameter_numbers.p, n.parameter_numbers.g, n.y))
    else:
        out.append(key.public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo).hex())
json.dump(out, sys.stdout)
"#;

#[test]
fn pyca_loads_every_file_we_write() {
    if !python::has_cryptography() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with `cryptography` is missing"
        );
        return;
    }
    // pyca reads encrypted OpenSSH keys through the `bcrypt` package (`.ci/run` installs it).
    let has_bcrypt = Command::new("python3")
        .args(["-c", "import bcrypt"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_bcrypt {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 has no `bcrypt`"
        );
        println!("note: encrypted OpenSSH keys skipped: python3 has no `bcrypt`");
    }
    let dir = scratch("ours-pyca");
    let mut requests = Vec::new();
    let mut expected = Vec::new();
    for (name, key) in our_keys() {
        let our_spki = match key.public_key().unwrap() {
            PublicKeyTypes::Dh(k) => {
                let n = k.public_numbers();
                let p = &n.parameter_numbers;
                format!("dh:{}:{}:{}", p.p.to_hex(), p.g.to_hex(), n.y.to_hex())
            }
            other => hex::encode(spki(&other)),
        };
        for (form, bytes, der, encrypted) in our_private_forms(name, &key) {
            let path = dir.join(format!("{name}-{form}"));
            std::fs::write(&path, &bytes).unwrap();
            let loader = if der {
                "load_der_private_key"
            } else {
                "load_pem_private_key"
            };
            requests.push(json!({"path": path_str(&path), "loader": loader,
                "password": if encrypted { Some(PASSWORD) } else { None }}));
            expected.push((format!("{name} {form}"), our_spki.clone()));
        }
        for (form, encoding) in [("spki-pem", Encoding::Pem), ("spki-der", Encoding::Der)] {
            let path = dir.join(format!("{name}-{form}"));
            let bytes = key
                .public_key()
                .unwrap()
                .public_bytes(encoding, PublicFormat::SubjectPublicKeyInfo)
                .unwrap();
            std::fs::write(&path, &bytes).unwrap();
            let loader = if encoding == Encoding::Der {
                "load_der_public_key"
            } else {
                "load_pem_public_key"
            };
            requests.push(json!({"path": path_str(&path), "loader": loader, "password": null}));
            expected.push((format!("{name} {form}"), our_spki.clone()));
        }
        // The other forms, where the key type has them: PKCS #1 public keys, the OpenSSH line,
        // OpenSSH private keys (plain and encrypted), raw private keys.
        let public = key.public_key().unwrap();
        let ssh_rounds = PrivateFormat::OpenSsh
            .encryption_builder()
            .unwrap()
            .kdf_rounds(4)
            .unwrap()
            .build(PASSWORD.as_bytes())
            .unwrap();
        let mut extra: Vec<(&str, Vec<u8>, String, Option<&str>)> = Vec::new();
        for (form, encoding, loader) in [
            ("pkcs1-pem", Encoding::Pem, "load_pem_public_key"),
            ("pkcs1-der", Encoding::Der, "load_der_public_key"),
        ] {
            if let Ok(bytes) = public.public_bytes(encoding, PublicFormat::Pkcs1) {
                extra.push((form, bytes, loader.to_string(), None));
            }
        }
        if let Ok(line) = public.public_bytes(Encoding::OpenSsh, PublicFormat::OpenSsh) {
            extra.push(("openssh-pub", line, "load_ssh_public_key".into(), None));
        }
        let none = KeySerializationEncryption::from(NoEncryption);
        for (form, encryption, password) in [
            ("openssh", &none, None),
            ("openssh-enc", &ssh_rounds, Some(PASSWORD)),
        ] {
            if password.is_some() && !has_bcrypt {
                continue;
            }
            if let Ok(bytes) = key.private_bytes(Encoding::Pem, PrivateFormat::OpenSsh, encryption)
            {
                extra.push((
                    form,
                    bytes.to_vec(),
                    "load_ssh_private_key".into(),
                    password,
                ));
            }
        }
        if let Ok(raw) = key.private_bytes(Encoding::Raw, PrivateFormat::Raw, NoEncryption) {
            extra.push(("raw", raw.to_vec(), format!("raw_{name}"), None));
        }
        for (form, bytes, loader, password) in extra {
            let path = dir.join(format!("{name}-{form}"));
            std::fs::write(&path, &bytes).unwrap();
            requests.push(json!({"path": path_str(&path), "loader": loader, "password": password}));
            expected.push((format!("{name} {form}"), our_spki.clone()));
        }
    }
    let answers = run_pyca(&json!(requests));
    assert_eq!(answers.len(), expected.len());
    for ((what, want), got) in expected.iter().zip(&answers) {
        assert_eq!(
            got.as_str().unwrap(),
            want,
            "{what}: pyca loads another key"
        );
    }
    println!(
        "pyca loaded {} files we wrote, each with our public key",
        answers.len()
    );
}

/// Runs the pyca script on `requests`; panics with its traceback if a check there failed.
fn run_pyca(requests: &Value) -> Vec<Value> {
    python::run_json_script(PYCA_SCRIPT, requests)
}
