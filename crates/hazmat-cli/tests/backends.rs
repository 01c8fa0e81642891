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
    let openssl = &listed[0];
    assert_eq!(openssl["name"], "openssl");
    let has = |alg: &str, mode: &str| {
        openssl["ciphers"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["algorithm"] == alg && c["mode"] == mode)
    };
    assert!(has("AES", "GCM") && has("AES", "XTS") && has("camellia", "CBC") && has("SM4", "CTR"));
}

#[test]
fn table_lists_every_pair() {
    let out = hazmat(&["backends"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.starts_with("backend openssl: OpenSSL"));
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
        assert!(text.contains(&backend.supported_hashes().join(" ")));
    }
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let out = hazmat(&["backends", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let out = hazmat(&[]);
    assert_eq!(out.status.code(), Some(2));
}
