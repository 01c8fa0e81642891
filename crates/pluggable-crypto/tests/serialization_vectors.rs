//! pyca's key files (`vectors/asymmetric/{PKCS8, PEM_Serialization, DER_Serialization,
//! Traditional_OpenSSL_Serialization, OpenSSH, public, EC, DSA, DH, Ed25519, Ed448, X25519,
//! X448}`) against `vectors/asymmetric/key-files.json`, the verdict of pyca/cryptography
//! 50.0.2 on each (file, loader, password): every file pyca loads, we load on every backend
//! that has the key type, with the same numbers; every one pyca rejects, we reject. The
//! default backend must load every file pyca loads. pyca's password errors map to ours:
//! "not given but encrypted" is `PasswordRequired`, "given but not encrypted"
//! `PasswordNotExpected`, and a password that fails where another one works
//! `IncorrectPassword`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::serialization::{
    KeyLoader, ParameterTypes, PrivateKeyTypes, PublicKeyTypes,
};
use pluggable_crypto::Error;
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors")
}

type Numbers = BTreeMap<String, String>;

fn hex(v: &[u8]) -> String {
    hex::encode(v)
}

fn private_numbers(key: &PrivateKeyTypes) -> Numbers {
    let mut m = Numbers::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), v);
    };
    match key {
        PrivateKeyTypes::Rsa(k) => {
            let n = k.private_numbers().unwrap();
            put("type", "rsa-private".into());
            put("n", n.public_numbers.n.to_hex());
            put("e", n.public_numbers.e.to_hex());
            put("d", n.d.to_hex());
            put("p", n.p.to_hex());
            put("q", n.q.to_hex());
            put("dmp1", n.dmp1.to_hex());
            put("dmq1", n.dmq1.to_hex());
            put("iqmp", n.iqmp.to_hex());
        }
        PrivateKeyTypes::Ec(k) => {
            let n = k.private_numbers().unwrap();
            put("type", "ec-private".into());
            put("curve", k.curve().name().into());
            put("x", n.public_numbers.x.to_hex());
            put("y", n.public_numbers.y.to_hex());
            put("private_value", n.private_value.to_hex());
        }
        PrivateKeyTypes::Dsa(k) => {
            let n = k.private_numbers().unwrap();
            let p = &n.public_numbers.parameter_numbers;
            put("type", "dsa-private".into());
            put("p", p.p.to_hex());
            put("q", p.q.to_hex());
            put("g", p.g.to_hex());
            put("y", n.public_numbers.y.to_hex());
            put("x", n.x.to_hex());
        }
        PrivateKeyTypes::Dh(k) => {
            let n = k.private_numbers().unwrap();
            let p = &n.public_numbers.parameter_numbers;
            put("type", "dh-private".into());
            put("p", p.p.to_hex());
            put("g", p.g.to_hex());
            if let Some(q) = &p.q {
                put("q", q.to_hex());
            }
            put("y", n.public_numbers.y.to_hex());
            put("x", n.x.to_hex());
        }
        PrivateKeyTypes::Ed25519(k) => {
            put("type", "ed25519-private".into());
            put("private", hex(k.private_bytes_raw().unwrap().as_ref()));
            put("public", hex(&k.public_key().unwrap().public_bytes_raw()));
        }
        PrivateKeyTypes::Ed448(k) => {
            put("type", "ed448-private".into());
            put("private", hex(k.private_bytes_raw().unwrap().as_ref()));
            put("public", hex(&k.public_key().unwrap().public_bytes_raw()));
        }
        PrivateKeyTypes::X25519(k) => {
            put("type", "x25519-private".into());
            put("private", hex(k.private_bytes_raw().unwrap().as_ref()));
            put("public", hex(&k.public_key().unwrap().public_bytes_raw()));
        }
        PrivateKeyTypes::X448(k) => {
            put("type", "x448-private".into());
            put("private", hex(k.private_bytes_raw().unwrap().as_ref()));
            put("public", hex(&k.public_key().unwrap().public_bytes_raw()));
        }
        other => panic!(
            "a key type this test does not know: {}",
            other.algorithm_name()
        ),
    }
    m
}

fn public_numbers(key: &PublicKeyTypes) -> Numbers {
    let mut m = Numbers::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), v);
    };
    match key {
        PublicKeyTypes::Rsa(k) => {
            let n = k.public_numbers();
            put("type", "rsa-public".into());
            put("n", n.n.to_hex());
            put("e", n.e.to_hex());
        }
        PublicKeyTypes::Ec(k) => {
            let n = k.public_numbers().unwrap();
            put("type", "ec-public".into());
            put("curve", k.curve().name().into());
            put("x", n.x.to_hex());
            put("y", n.y.to_hex());
        }
        PublicKeyTypes::Dsa(k) => {
            let n = k.public_numbers();
            let p = &n.parameter_numbers;
            put("type", "dsa-public".into());
            put("p", p.p.to_hex());
            put("q", p.q.to_hex());
            put("g", p.g.to_hex());
            put("y", n.y.to_hex());
        }
        PublicKeyTypes::Dh(k) => {
            let n = k.public_numbers();
            let p = &n.parameter_numbers;
            put("type", "dh-public".into());
            put("p", p.p.to_hex());
            put("g", p.g.to_hex());
            if let Some(q) = &p.q {
                put("q", q.to_hex());
            }
            put("y", n.y.to_hex());
        }
        PublicKeyTypes::Ed25519(k) => {
            put("type", "ed25519-public".into());
            put("public", hex(&k.public_bytes_raw()));
        }
        PublicKeyTypes::Ed448(k) => {
            put("type", "ed448-public".into());
            put("public", hex(&k.public_bytes_raw()));
        }
        PublicKeyTypes::X25519(k) => {
            put("type", "x25519-public".into());
            put("public", hex(&k.public_bytes_raw()));
        }
        PublicKeyTypes::X448(k) => {
            put("type", "x448-public".into());
            put("public", hex(&k.public_bytes_raw()));
        }
        other => panic!(
            "a key type this test does not know: {}",
            other.algorithm_name()
        ),
    }
    m
}

/// pyca's numbers, with its `null` q (DH without q) left out as ours is.
fn expected_numbers(key: &Value) -> Numbers {
    key.as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn run(
    loader: &KeyLoader,
    name: &str,
    data: &[u8],
    password: Option<&[u8]>,
) -> Result<Numbers, Error> {
    match name {
        "load_pem_private_key" => loader
            .load_pem_private_key(data, password)
            .map(|k| private_numbers(&k)),
        "load_der_private_key" => loader
            .load_der_private_key(data, password)
            .map(|k| private_numbers(&k)),
        "load_ssh_private_key" => loader
            .load_ssh_private_key(data, password)
            .map(|k| private_numbers(&k)),
        "load_pem_public_key" => loader.load_pem_public_key(data).map(|k| public_numbers(&k)),
        "load_der_public_key" => loader.load_der_public_key(data).map(|k| public_numbers(&k)),
        "load_ssh_public_key" => loader.load_ssh_public_key(data).map(|k| public_numbers(&k)),
        "load_pem_parameters" | "load_der_parameters" => {
            let params = if name == "load_pem_parameters" {
                loader.load_pem_parameters(data)
            } else {
                loader.load_der_parameters(data)
            };
            params.map(|p| match p {
                ParameterTypes::Dh(p) => {
                    let n = p.parameter_numbers();
                    let mut m = Numbers::new();
                    m.insert("type".into(), "dh-parameters".into());
                    m.insert("p".into(), n.p.to_hex());
                    m.insert("g".into(), n.g.to_hex());
                    if let Some(q) = n.q {
                        m.insert("q".into(), q.to_hex());
                    }
                    m
                }
                _ => panic!("unknown parameter type"),
            })
        }
        other => panic!("the manifest names a loader this test does not know: {other}"),
    }
}

/// Where we part from pyca on purpose, with the reason. Each entry is checked: the file must
/// still be one pyca loads, and we must give the outcome described.
const DEVIATIONS: &[(&str, &str)] = &[
    (
        "asymmetric/DH/dhpub_cryptography_old.pem",
        "PKCS #3 parameters (p, g) without q: pyca, through OpenSSL 3+, reports q = (p - 1) / 2 \
         because p is the RFC 3526 2048-bit group; we report the numbers the file holds (no q)",
    ),
    (
        "asymmetric/DSA/custom/nilpotent.pem",
        "a crafted DSA key whose p is not 1024, 2048, 3072 or 4096 bits: our DSA numbers rule \
         (FIPS 186-4 sizes) refuses it on every backend, as it refuses such numbers given directly",
    ),
];

/// Tallies for the conformance table.
#[derive(Default, Debug)]
struct Tally {
    loaded: usize,
    rejected: usize,
    not_on_backend: usize,
}

#[test]
fn pyca_key_files_give_pyca_verdicts_on_every_backend() {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(vectors_dir().join("asymmetric/key-files.json")).unwrap(),
    )
    .unwrap();
    let files = manifest["files"].as_object().unwrap();
    assert!(
        files.len() >= 200,
        "the manifest lists {} files",
        files.len()
    );

    let mut backends: Vec<(String, Arc<dyn Backend>)> = available_backends()
        .into_iter()
        .map(|b| (b.name().to_string(), b))
        .collect();
    backends.push(("default".into(), default_backend()));

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut files_loaded, mut files_rejected) = (0usize, 0usize);
    for (path, attempts) in files {
        let data = std::fs::read(vectors_dir().join(path)).unwrap();
        let attempts = attempts.as_array().unwrap();
        let file_loads = attempts.iter().any(|a| a["ok"] == Value::Bool(true));
        if file_loads {
            files_loaded += 1;
        } else {
            files_rejected += 1;
        }
        for attempt in attempts {
            let loader_name = attempt["loader"].as_str().unwrap();
            let password = attempt["password"].as_str().map(str::as_bytes);
            let pyca_ok = attempt["ok"] == Value::Bool(true);
            // Another password of the same loader opens the file: this one is wrong.
            let wrong_password = !pyca_ok
                && password.is_some()
                && attempts.iter().any(|a| {
                    a["loader"] == attempt["loader"]
                        && a["ok"] == Value::Bool(true)
                        && a["password"].is_string()
                });
            let pyca_message = attempt["message"].as_str().unwrap_or("");
            for (backend_name, backend) in &backends {
                let loader = KeyLoader::new().backend(backend.clone());
                let ours = run(&loader, loader_name, &data, password);
                let tally = tallies.entry(backend_name.clone()).or_default();
                let what = format!("{path} {loader_name} {password:?} on {backend_name}");
                if let Some((_, why)) = DEVIATIONS.iter().find(|(p, _)| p == path) {
                    assert!(
                        file_loads,
                        "{what}: pyca no longer loads it; drop the deviation"
                    );
                    let ok = match (&ours, path.as_str()) {
                        (Ok(numbers), "asymmetric/DH/dhpub_cryptography_old.pem") if pyca_ok => {
                            let mut expected = expected_numbers(&attempt["key"]);
                            expected.remove("q");
                            *numbers == expected
                        }
                        (Err(Error::KeyRejected(_)), "asymmetric/DSA/custom/nilpotent.pem") => true,
                        (Err(_), _) => !pyca_ok,
                        _ => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{what}: expected the documented deviation ({why}), got {ours:?}"
                        ));
                    }
                    continue;
                }
                match (pyca_ok, ours) {
                    (true, Ok(numbers)) => {
                        let expected = expected_numbers(&attempt["key"]);
                        if numbers != expected {
                            failures.push(format!("{what}: numbers differ from pyca's"));
                        }
                        tally.loaded += 1;
                    }
                    // The default must load every file pyca loads when OpenSSL (which has
                    // every key type) is built in; without it, DH has no backend.
                    (true, Err(e))
                        if e.is_unsupported()
                            && (backend_name != "default" || !cfg!(feature = "openssl")) =>
                    {
                        tally.not_on_backend += 1;
                    }
                    (true, Err(e)) => failures.push(format!("{what}: pyca loads it, we: {e}")),
                    (false, Ok(_)) => failures.push(format!(
                        "{what}: pyca rejects it ({pyca_message}), we load it"
                    )),
                    (false, Err(e)) => {
                        let want = if pyca_message.starts_with("Password was not given")
                            || pyca_message.starts_with("Key is password-protected")
                        {
                            Some(Error::PasswordRequired)
                        } else if pyca_message.starts_with("Password was given") {
                            Some(Error::PasswordNotExpected)
                        } else if wrong_password {
                            Some(Error::IncorrectPassword)
                        } else {
                            None
                        };
                        match want {
                            Some(want) if want != e => failures.push(format!(
                                "{what}: pyca says \"{pyca_message}\"; we give \"{e}\", want \"{want}\""
                            )),
                            _ => tally.rejected += 1,
                        }
                    }
                }
            }
        }
    }
    println!("pyca key files: {files_loaded} load, {files_rejected} are rejected by pyca");
    for (path, why) in DEVIATIONS {
        println!("  deviation: {path}: {why}");
    }
    for (backend, t) in &tallies {
        println!(
            "  {backend}: {} attempts load with pyca's numbers, {} rejected as pyca rejects, \
             {} need a key type the backend lacks",
            t.loaded, t.rejected, t.not_on_backend
        );
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with pyca:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
