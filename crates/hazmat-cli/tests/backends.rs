//! `hazmat backends` run as a real process.

mod support;

use pluggable_crypto::hazmat::backends::available_backends;
use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use support::{assert_usage_error, hazmat, hazmat_env, stderr};

#[test]
fn json_matrix_matches_the_library() {
    let out = hazmat(&["backends", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let listed = doc["backends"].as_array().expect("a backends array");
    let backends = available_backends();
    assert_eq!(listed.len(), backends.len());
    for (json, backend) in listed.iter().zip(&backends) {
        assert_eq!(json["name"], backend.name());
        let ciphers = json["ciphers"].as_array().expect("ciphers");
        let expected = backend.supported_ciphers();
        assert_eq!(ciphers.len(), expected.len());
        for (c, e) in ciphers.iter().zip(&expected) {
            assert_eq!(c["algorithm"], e.algorithm.as_str());
            assert_eq!(c["mode"].as_str(), e.mode.as_deref());
            let sizes: Vec<usize> = serde_json::from_value(c["key_sizes"].clone()).expect("sizes");
            assert_eq!(sizes, e.key_sizes);
        }
        let hashes: Vec<String> = serde_json::from_value(json["hashes"].clone()).expect("hashes");
        assert_eq!(hashes, backend.supported_hashes());
        let hmacs: Vec<String> = serde_json::from_value(json["hmac"].clone()).expect("hmac");
        assert_eq!(hmacs, backend.supported_hmacs());

        let aeads = json["aead"].as_array().expect("aead");
        let expected = backend.supported_aeads();
        assert_eq!(aeads.len(), expected.len(), "{}", backend.name());
        for (a, e) in aeads.iter().zip(&expected) {
            assert_eq!(a["algorithm"], e.algorithm.name());
            let sizes: Vec<usize> = serde_json::from_value(a["key_sizes"].clone()).expect("sizes");
            assert_eq!(sizes, e.key_sizes);
        }
        let cmacs = json["cmac"].as_array().expect("cmac");
        let expected = backend.supported_cmacs();
        assert_eq!(cmacs.len(), expected.len(), "{}", backend.name());
        for (c, e) in cmacs.iter().zip(&expected) {
            assert_eq!(c["algorithm"], e.algorithm.as_str());
            let sizes: Vec<usize> = serde_json::from_value(c["key_sizes"].clone()).expect("sizes");
            assert_eq!(sizes, e.key_sizes);
        }
        assert_eq!(json["poly1305"], backend.poly1305_supported());
        let kdfs: Vec<String> = serde_json::from_value(json["kdf"].clone()).expect("kdf");
        assert_eq!(kdfs, backend.supported_kdfs());
    }
    if cfg!(feature = "openssl") {
        let openssl = &listed[0];
        assert_eq!(openssl["name"], "openssl");
        let has = |alg: &str, mode: &str| {
            openssl["ciphers"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["algorithm"] == alg && c["mode"] == mode)
        };
        assert!(
            has("AES", "GCM") && has("AES", "XTS") && has("camellia", "CBC") && has("SM4", "CTR")
        );
    }
}

#[test]
fn table_lists_every_pair() {
    let out = hazmat(&["backends"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let first = &available_backends()[0];
    assert!(text.starts_with(&format!(
        "backend {}: {}",
        first.name(),
        first.description()
    )));
    for backend in available_backends() {
        for c in backend.supported_ciphers() {
            let mode = c.mode.unwrap_or_else(|| "-".into());
            assert!(
                text.lines().any(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    words.len() >= 2 && words[0] == c.algorithm && words[1] == mode
                }),
                "{} {mode} missing",
                c.algorithm
            );
        }
        for hash in backend.supported_hashes() {
            assert!(
                text.lines()
                    .any(|l| l.split_whitespace().next() == Some(hash.as_str())),
                "{hash} missing"
            );
        }
    }
    // One section per family, each a header row naming every backend, then "default".
    let names: Vec<String> = available_backends()
        .iter()
        .map(|b| b.name().to_owned())
        .collect();
    for title in [
        &["cipher", "mode"][..],
        &["aead", "(one-shot)"],
        &["hash"],
        &["hmac"],
        &["cmac"],
        &["mac"],
    ] {
        let mut expected: Vec<&str> = title.to_vec();
        expected.extend(names.iter().map(String::as_str));
        expected.push("default");
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == expected),
            "no {title:?} section in\n{text}"
        );
    }
    // Every one-shot AEAD construction has a row, supported or not, with one cell per backend.
    for algorithm in AeadAlgorithm::ALL {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(algorithm.name()))
            .unwrap_or_else(|| panic!("{} missing", algorithm.name()));
        for backend in available_backends() {
            if let Some(a) = backend
                .supported_aeads()
                .into_iter()
                .find(|a| a.algorithm == algorithm)
            {
                let sizes: Vec<String> = a.key_sizes.iter().map(usize::to_string).collect();
                assert!(row.contains(&sizes.join(", ")), "{row}");
            }
        }
    }
    for backend in available_backends() {
        for c in backend.supported_cmacs() {
            assert!(
                text.lines()
                    .skip_while(|l| !l.trim_start().starts_with("cmac"))
                    .any(|l| l.split_whitespace().next() == Some(c.algorithm.as_str())),
                "CMAC {} missing",
                c.algorithm
            );
        }
    }
    let poly1305 = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some("Poly1305"))
        .expect("a Poly1305 row");
    let cells: Vec<&str> = poly1305.split_whitespace().collect();
    for (i, backend) in available_backends().iter().enumerate() {
        let expected = if backend.poly1305_supported() {
            "yes"
        } else {
            "-"
        };
        assert_eq!(cells[1 + i], expected, "{poly1305}");
    }
}

/// The table's "default" column is the member the library's default really routes to.
#[test]
fn default_column_matches_the_library_routing() {
    use pluggable_crypto::hazmat::backends::default_backend;
    use pluggable_crypto::hazmat::primitives::ciphers::{algorithms, modes};
    use pluggable_crypto::hazmat::primitives::hashes::algorithm_by_name;

    let out = hazmat(&["backends", "--json"]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let default = default_backend();
    let multi = default
        .downcast_ref::<MultiBackend>()
        .expect("the default is a multi-backend");
    assert_eq!(doc["default"]["name"], "multi");

    for (kind, field) in [("hash", "hashes"), ("hmac", "hmac")] {
        let routes = doc["default"][field].as_array().expect("routes");
        assert!(!routes.is_empty());
        for route in routes {
            let name = route["name"].as_str().expect("name");
            let alg = algorithm_by_name(name, name.starts_with("shake").then_some(32))
                .expect("known hash");
            let served = if kind == "hash" {
                multi.backend_for_hash(&*alg)
            } else {
                multi.backend_for_hmac(&*alg)
            };
            assert_eq!(
                route["backend"].as_str(),
                served.map(|b| b.name()),
                "{kind} {name}"
            );
        }
    }

    // Every cipher route, with a descriptor built by name: a key of the first size the default
    // lists for the pair (distinct bytes, so XTS halves differ) and an IV or nonce that fits.
    let name = |b: Option<&std::sync::Arc<dyn pluggable_crypto::hazmat::backends::Backend>>| {
        b.map(|b| b.name().to_owned())
    };
    let listed = default.supported_ciphers();
    let routes = doc["default"]["ciphers"].as_array().expect("cipher routes");
    assert_eq!(routes.len(), listed.len());
    let mut checked = std::collections::BTreeSet::new();
    for route in routes {
        let alg = route["algorithm"].as_str().expect("algorithm");
        let mode = route["mode"].as_str();
        let support = listed
            .iter()
            .find(|c| c.algorithm == alg && c.mode.as_deref() == mode)
            .unwrap_or_else(|| panic!("{alg}/{mode:?} routed but not listed"));
        let key: Vec<u8> = (1..=support.key_sizes[0] / 8).map(|b| b as u8).collect();
        let nonce: Option<&[u8]> = match alg {
            "ChaCha20" => Some(&[0; 16]),
            "ChaCha20-Poly1305" => Some(&[0; 12]),
            _ => None,
        };
        let algorithm = algorithms::by_name(alg, &key, nonce).expect("a listed algorithm name");
        let iv = match (mode, algorithm.block_size()) {
            (Some("ECB") | None, _) => vec![],
            (Some("GCM"), _) => vec![0; 12],
            (_, bits) => vec![0; bits.map_or(16, |b| b / 8)],
        };
        let mode = mode.map(|m| modes::by_name(m, &iv, None).expect("a listed mode name"));
        assert_eq!(
            route["backend"].as_str().map(str::to_owned),
            name(multi.backend_for_cipher(&*algorithm, mode.as_deref())),
            "{alg}/{:?}",
            route["mode"]
        );
        checked.insert((alg.to_owned(), route["mode"].as_str().map(str::to_owned)));
    }
    // At least the pairs this test once checked by hand.
    for (alg, mode) in [
        ("AES", Some("CBC")),
        ("AES", Some("CTR")),
        ("AES", Some("GCM")),
        ("camellia", Some("CBC")),
        ("ChaCha20", None),
    ] {
        assert!(
            checked.contains(&(alg.to_owned(), mode.map(str::to_owned))),
            "no route for {alg}/{mode:?}"
        );
    }
}

/// The default's routes for one-shot AEADs (per key size), CMAC and Poly1305 are the members
/// the library's default really uses.
#[test]
fn default_routes_for_aead_cmac_and_poly1305_match_the_library() {
    use pluggable_crypto::hazmat::backends::default_backend;
    use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
        Aes, Camellia, CipherAlgorithm, Sm4, TripleDes,
    };

    let out = hazmat(&["backends", "--json"]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let default = default_backend();
    let multi = default
        .downcast_ref::<MultiBackend>()
        .expect("the default is a multi-backend");
    let name = |b: Option<&std::sync::Arc<dyn pluggable_crypto::hazmat::backends::Backend>>| {
        b.map(|b| b.name().to_owned())
    };

    let routes = doc["default"]["aead"].as_array().expect("aead routes");
    let mut listed = 0;
    for algorithm in AeadAlgorithm::ALL {
        let sizes: std::collections::BTreeSet<usize> = available_backends()
            .iter()
            .flat_map(|b| b.supported_aeads())
            .filter(|a| a.algorithm == algorithm)
            .flat_map(|a| a.key_sizes)
            .collect();
        for bits in sizes {
            let route = routes
                .iter()
                .find(|r| r["algorithm"] == algorithm.name() && r["key_size"] == bits)
                .unwrap_or_else(|| panic!("no route for {} {bits}", algorithm.name()));
            assert_eq!(
                route["backend"].as_str().map(str::to_owned),
                name(multi.backend_for_aead(algorithm, bits / 8, 16)),
                "{} {bits}",
                algorithm.name()
            );
            listed += 1;
        }
    }
    assert_eq!(listed, routes.len());
    for route in routes {
        let listed_name = route["algorithm"].as_str().expect("algorithm");
        let algorithm = AeadAlgorithm::by_name(listed_name).expect("a known AEAD name");
        assert_eq!(algorithm.name(), listed_name);
    }

    let cmac_route = |alg: &str| -> Option<String> {
        doc["default"]["cmac"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["algorithm"] == alg)
            .and_then(|c| c["backend"].as_str().map(str::to_owned))
    };
    let instances: Vec<Box<dyn CipherAlgorithm>> = vec![
        Box::new(Aes::new(&[1; 16]).unwrap()),
        Box::new(Camellia::new(&[1; 16]).unwrap()),
        Box::new(TripleDes::new(&[1; 24]).unwrap()),
        Box::new(Sm4::new(&[1; 16]).unwrap()),
    ];
    for algorithm in &instances {
        assert_eq!(
            cmac_route(algorithm.name()),
            name(multi.backend_for_cmac(&**algorithm)),
            "CMAC {}",
            algorithm.name()
        );
    }
    assert_eq!(
        doc["default"]["poly1305"].as_str().map(str::to_owned),
        name(multi.backend_for_poly1305())
    );
    // KDF routes: scrypt and PBKDF2-HMAC-SHA256 as the library routes them.
    let kdf_route = |kdf: &str| -> Option<String> {
        doc["default"]["kdf"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["name"] == kdf)
            .and_then(|r| r["backend"].as_str().map(str::to_owned))
    };
    assert_eq!(kdf_route("scrypt"), name(multi.backend_for_scrypt()));
    assert_eq!(
        kdf_route("pbkdf2-hmac-sha256"),
        name(multi.backend_for_pbkdf2_hmac(&pluggable_crypto::hazmat::primitives::hashes::Sha256))
    );
}

#[test]
fn unknown_backend_variable_is_a_usage_error() {
    let out = hazmat_env(&["backends"], &[("CRYPTOGRAPHY_BACKEND", "nonsense")]);
    assert_usage_error(&out, "CRYPTOGRAPHY_BACKEND");
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let out = hazmat(&["backends", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let out = hazmat(&[]);
    assert_eq!(out.status.code(), Some(2));
}
