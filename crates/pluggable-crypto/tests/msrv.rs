//! The workspace's `rust-version` states what the locked dependencies really need: not lower
//! than any of their `rust-version`s (a promise a build on that toolchain would break), and not
//! higher than the newest of them (a requirement nothing imposes).
//!
//! The dependency graph is `cargo metadata --locked` for x86_64-unknown-linux-gnu, the
//! platform the test suite runs on; `--offline` first, so no network is needed when the
//! dependencies are downloaded (they are, once anything has been built), and online otherwise.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A `rust-version` as (major, minor, patch); a missing component is 0, as Cargo reads it.
type RustVersion = (u64, u64, u64);

fn parse_rust_version(text: &str) -> RustVersion {
    let mut parts = text.split('.').map(|part| {
        part.parse::<u64>()
            .unwrap_or_else(|e| panic!("rust-version {text:?} is not numeric: {e}"))
    });
    let version = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    assert!(
        parts.next().is_none(),
        "rust-version {text:?} has more than three components"
    );
    version
}

fn show((major, minor, patch): RustVersion) -> String {
    if patch == 0 {
        format!("{major}.{minor}")
    } else {
        format!("{major}.{minor}.{patch}")
    }
}

fn cargo_metadata() -> Value {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command.args(["metadata", "--format-version", "1", "--locked"]);
        command.args(["--filter-platform", "x86_64-unknown-linux-gnu"]);
        if offline {
            command.arg("--offline");
        }
        command.arg("--manifest-path").arg(&manifest);
        command.output().expect("cargo runs")
    };
    let mut output = run(true);
    if !output.status.success() {
        eprintln!(
            "cargo metadata --offline failed, trying online:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output = run(false);
    }
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn workspace_rust_version_is_the_newest_locked_dependency_requirement() {
    let metadata = cargo_metadata();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .expect("workspace_members is a list")
        .iter()
        .map(|id| id.as_str().expect("a package id is a string"))
        .collect();
    let packages = metadata["packages"].as_array().expect("packages is a list");

    // (rust-version, "name version") of every locked dependency that declares one.
    let mut dependencies: Vec<(RustVersion, String)> = Vec::new();
    // (name, rust-version) of every workspace member.
    let mut workspace: Vec<(String, Option<RustVersion>)> = Vec::new();
    for package in packages {
        let id = package["id"].as_str().expect("a package id is a string");
        let name = package["name"]
            .as_str()
            .expect("a package name is a string");
        let version = package["rust_version"].as_str().map(parse_rust_version);
        if members.contains(&id) {
            workspace.push((name.to_owned(), version));
        } else if let Some(version) = version {
            let release = package["version"].as_str().expect("a version is a string");
            dependencies.push((version, format!("{name} {release}")));
        }
    }
    assert!(workspace.iter().any(|(name, _)| name == "pluggable-crypto"));
    // The library alone pulls in dozens of RustCrypto crates, each with a rust-version; a
    // handful means the metadata was not what this test expects to read.
    assert!(
        dependencies.len() >= 20,
        "only {} dependencies declare a rust-version",
        dependencies.len()
    );

    let needed = dependencies
        .iter()
        .map(|(version, _)| *version)
        .max()
        .expect("not empty");
    let newest: Vec<&str> = dependencies
        .iter()
        .filter(|(version, _)| *version == needed)
        .map(|(_, package)| package.as_str())
        .collect();

    let mut problems = Vec::new();
    for (member, declared) in &workspace {
        let Some(declared) = *declared else {
            problems.push(format!("{member} declares no rust-version"));
            continue;
        };
        let above: Vec<String> = dependencies
            .iter()
            .filter(|(version, _)| *version > declared)
            .map(|(version, package)| format!("{package} (needs {})", show(*version)))
            .collect();
        if !above.is_empty() {
            problems.push(format!(
                "{member}'s rust-version {} is lower than what these locked dependencies need: {}",
                show(declared),
                above.join(", ")
            ));
        } else if declared > needed {
            problems.push(format!(
                "{member}'s rust-version {} is higher than any locked dependency needs: the \
                 newest requirement is {}, of {}",
                show(declared),
                show(needed),
                newest.join(", ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "set [workspace.package] rust-version in Cargo.toml to {} (the newest requirement, of {}):\n{}",
        show(needed),
        newest.join(", "),
        problems.join("\n")
    );
}

#[test]
fn rust_versions_parse_as_cargo_reads_them() {
    assert_eq!(parse_rust_version("1.89"), (1, 89, 0));
    assert_eq!(parse_rust_version("1.85.0"), (1, 85, 0));
    assert!(parse_rust_version("1.89.1") > parse_rust_version("1.89"));
    assert!(parse_rust_version("1.100") > parse_rust_version("1.89"));
}
