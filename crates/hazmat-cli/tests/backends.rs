//! `hazmat backends` run as a real process.

use std::process::Command;

use cryptography::hazmat::backends::available_backends;

fn hazmat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hazmat"))
        .args(args)
        .output()
        .expect("the hazmat binary runs")
}

#[test]
fn json_matrix_matches_the_library() {
    let out = hazmat(&["backends", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
}

#[test]
fn default_routes_each_pair_to_the_first_member_that_has_it() {
    let out = hazmat(&["backends", "--json"]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let default = &doc["default"];
    assert_eq!(default["name"], "multi");
    let backends = available_backends();
    let routes = default["ciphers"].as_array().expect("routes");
    assert!(!routes.is_empty());
    for route in routes {
        let (alg, mode) = (route["algorithm"].as_str().unwrap(), route["mode"].as_str());
        let first = backends
            .iter()
            .find(|b| {
                b.supported_ciphers()
                    .iter()
                    .any(|c| c.algorithm == alg && c.mode.as_deref() == mode)
            })
            .map(|b| b.name());
        assert_eq!(route["backend"].as_str(), first, "{alg} {mode:?}");
    }
    for route in default["hashes"].as_array().expect("hash routes") {
        let name = route["name"].as_str().unwrap();
        let first = backends
            .iter()
            .find(|b| b.supported_hashes().iter().any(|h| h == name))
            .map(|b| b.name());
        assert_eq!(route["backend"].as_str(), first, "{name}");
    }
}

#[test]
fn unknown_backend_variable_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_hazmat"))
        .args(["backends"])
        .env("CRYPTOGRAPHY_BACKEND", "nonsense")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("CRYPTOGRAPHY_BACKEND"), "{stderr}");
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let out = hazmat(&["backends", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let out = hazmat(&[]);
    assert_eq!(out.status.code(), Some(2));
}
