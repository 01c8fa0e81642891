//! `hazmat backends`: the support matrix.

use std::io::Write;

use clap::Args;
use cryptography::hazmat::backends::{available_backends, Backend, CipherSupport};
use serde_json::json;

use crate::Failure;

#[derive(Args)]
pub(crate) struct BackendsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &BackendsArgs) -> Result<(), Failure> {
    let backends = available_backends();
    let text = if args.json {
        let all: Vec<_> = backends.iter().map(|b| backend_json(&**b)).collect();
        let mut text = serde_json::to_string_pretty(&json!({ "backends": all }))
            .map_err(|e| Failure::usage(format!("cannot encode JSON: {e}")))?;
        text.push('\n');
        text
    } else {
        backends
            .iter()
            .map(|b| backend_table(&**b))
            .collect::<Vec<_>>()
            .join("\n")
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::usage(format!("cannot write to stdout: {e}")))
}

fn backend_json(backend: &dyn Backend) -> serde_json::Value {
    let ciphers: Vec<_> = backend
        .supported_ciphers()
        .into_iter()
        .map(|c| json!({ "algorithm": c.algorithm, "mode": c.mode, "key_sizes": c.key_sizes }))
        .collect();
    json!({
        "name": backend.name(),
        "description": backend.description(),
        "ciphers": ciphers,
        "hashes": backend.supported_hashes(),
        "hmac": backend.supported_hmacs(),
    })
}

/// Key sizes as a short list: `128, 192, 256` or `32-448 step 8`.
fn key_sizes(sizes: &[usize]) -> String {
    if sizes.len() > 3 {
        let step = sizes[1] - sizes[0];
        if sizes.windows(2).all(|w| w[1] - w[0] == step) {
            return format!("{}-{} step {step}", sizes[0], sizes[sizes.len() - 1]);
        }
    }
    sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn backend_table(backend: &dyn Backend) -> String {
    let ciphers = backend.supported_ciphers();
    let mut out = format!("backend {}: {}\n\n", backend.name(), backend.description());
    let rows: Vec<[String; 3]> = ciphers
        .iter()
        .map(|c: &CipherSupport| {
            [
                c.algorithm.clone(),
                c.mode.clone().unwrap_or_else(|| "-".into()),
                key_sizes(&c.key_sizes),
            ]
        })
        .collect();
    let header = ["cipher", "mode", "key sizes (bits)"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].len())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    out.push_str(&format!(
        "  {:<w0$}  {:<w1$}  {}\n",
        header[0], header[1], header[2]
    ));
    for row in &rows {
        out.push_str(&format!("  {:<w0$}  {:<w1$}  {}\n", row[0], row[1], row[2]));
    }
    out.push_str(&format!(
        "\n  hashes: {}\n",
        backend.supported_hashes().join(" ")
    ));
    out.push_str(&format!(
        "  hmac:   {}\n",
        backend.supported_hmacs().join(" ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::key_sizes;

    #[test]
    fn key_size_ranges_are_compressed() {
        assert_eq!(key_sizes(&[128, 192, 256]), "128, 192, 256");
        let blowfish: Vec<usize> = (32..=448).step_by(8).collect();
        assert_eq!(key_sizes(&blowfish), "32-448 step 8");
        assert_eq!(key_sizes(&[40, 56, 64, 80, 128]), "40, 56, 64, 80, 128");
    }
}
