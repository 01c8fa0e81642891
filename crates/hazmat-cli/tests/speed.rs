//! `hazmat speed` run as a real process (tiny measurement times: this checks the command, not
//! the machine).

mod support;

use support::{assert_any_usage_error, hazmat, stderr};

#[test]
fn json_has_every_implementation_and_the_ratios() {
    let out = hazmat(&[
        "speed",
        "sha256",
        "aes-128-gcm",
        "--sizes",
        "64,1024",
        "--seconds",
        "0.01",
        "--compare",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let results = doc["results"].as_array().expect("results");
    let has = |primitive: &str, implementation: &str| {
        results
            .iter()
            .filter(|r| r["primitive"] == primitive && r["implementation"] == implementation)
            .count()
    };
    for primitive in ["sha256", "aes-128-gcm"] {
        assert_eq!(
            has(primitive, "default"),
            2,
            "{primitive}: one row per size"
        );
        if cfg!(feature = "openssl") {
            assert_eq!(has(primitive, "openssl"), 2);
            assert_eq!(has(primitive, "raw-evp"), 2);
        }
        if cfg!(feature = "rust") {
            assert_eq!(has(primitive, "rust"), 2);
            assert_eq!(has(primitive, "raw-rustcrypto"), 2);
        }
    }
    // ring hashes but has no streaming GCM: SHA-256 only, against ring called directly.
    if cfg!(feature = "ring") {
        assert_eq!(has("sha256", "ring"), 2);
        assert_eq!(has("sha256", "raw-ring"), 2);
        assert_eq!(has("aes-128-gcm", "ring"), 0);
    }
    assert!(results
        .iter()
        .all(|r| r["mb_per_s"].as_f64().is_some_and(|v| v > 0.0)));
    let ratios = doc["ratios"].as_array().expect("ratios");
    let backends = usize::from(cfg!(feature = "openssl")) + usize::from(cfg!(feature = "rust"));
    let ring = usize::from(cfg!(feature = "ring"));
    assert_eq!(
        ratios.len(),
        2 * 2 * backends + 2 * ring,
        "primitives x sizes x backends (ring: SHA-256 only)"
    );
    for r in ratios {
        let ratio = r["ratio"].as_f64().expect("ratio");
        assert!(ratio > 0.0 && ratio.is_finite());
    }
}

#[test]
fn table_and_plot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("speed.svg");
    let out = hazmat(&[
        "speed",
        "sha256",
        "--sizes",
        "16,256",
        "--seconds",
        "0.01",
        "--plot",
        svg.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.lines()
            .any(|l| l.starts_with("sha256") && l.contains("default")),
        "{text}"
    );
    let drawing = std::fs::read_to_string(&svg).expect("the plot was written");
    assert!(
        drawing.contains("<svg") && drawing.contains("sha256") && drawing.contains("<polyline")
    );
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        vec!["speed", "rot13"],
        vec!["speed", "sha256", "--sizes", "0"],
        vec!["speed", "sha256", "--seconds", "0"],
    ] {
        assert_any_usage_error(&hazmat(&args));
    }
}

#[test]
fn public_key_rows_in_ops_per_second() {
    let out = hazmat(&[
        "speed",
        "ed25519-verify",
        "x25519-exchange",
        "--seconds",
        "0.01",
        "--compare",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        doc["results"].as_array().expect("results").is_empty(),
        "no per-message primitive was named"
    );
    let rows = doc["public_key"].as_array().expect("public_key");
    let has = |op: &str, implementation: &str| {
        rows.iter()
            .any(|r| r["operation"] == op && r["implementation"] == implementation)
    };
    for op in ["ed25519-verify", "x25519-exchange"] {
        if cfg!(feature = "openssl") {
            assert!(has(op, "raw-evp"), "{op}: raw-evp");
        }
        if cfg!(feature = "rust") {
            assert!(has(op, "raw-rustcrypto"), "{op}: raw-rustcrypto");
        }
    }
    if cfg!(feature = "ring") {
        assert!(has("ed25519-verify", "raw-ring"));
        assert!(has("x25519-exchange", "raw-ring-ephemeral"));
    }
    assert!(rows
        .iter()
        .all(|r| r["ops_per_s"].as_f64().is_some_and(|v| v > 0.0)));

    // The table, selected with --public-key and a name.
    let out = hazmat(&["speed", "--public-key", "ed25519-sign", "--seconds", "0.01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("operations/s"), "{text}");
    assert!(!text.contains("MB/s"), "{text}");
}
