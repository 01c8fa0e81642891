//! `hazmat speed`: throughput per primitive, backend and message size, in the manner of
//! `openssl speed`; `--compare` adds the raw libraries underneath and our/raw ratios.
//!
//! The public-key operations (`--public-key`, or names such as `rsa2048-sign`) are counted in
//! operations per second on fixed keys, in a table of their own; `scripts/openssl-speed-public-key`
//! runs `openssl speed` on the same algorithms for comparison.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use pluggable_crypto::hazmat::backends::{available_backends, try_default_backend, Backend};
use serde_json::json;
use speed::{OpRunner, Primitive, PublicKeyOp, Runner};

use crate::common::{BackendChoice, Failure, Options};

/// Arguments of `hazmat speed`.
#[derive(Args)]
pub(crate) struct SpeedArgs {
    /// Primitives to measure (default: all): aes-128-gcm, aes-256-gcm, chacha20, aes-128-ctr,
    /// aes-256-ctr, aes-256-cbc, camellia-128-cbc, sha1, sha256, sha512, sha3-256, blake2b,
    /// hmac-sha256, and the one-shot AEADs aes-128-gcm-oneshot, aes-256-gcm-oneshot,
    /// chacha20-poly1305; and the public-key operations (ops/s, see --public-key):
    /// rsa2048-sign, rsa2048-verify, rsa2048-oaep-decrypt (and 3072, 4096), ecdsa-p256-sign,
    /// ecdsa-p256-verify, ecdsa-p384-sign, ecdsa-p384-verify, ed25519-sign, ed25519-verify,
    /// x25519-exchange, ecdh-p256-exchange, rsa2048-keygen, ec-p256-keygen.
    algorithms: Vec<String>,
    /// Measure every public-key operation (RSA, ECDSA, Ed25519, X25519, ECDH, key generation)
    /// in operations per second, unless public-key operations are named.
    #[arg(long)]
    public_key: bool,
    /// Message sizes in bytes, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [16usize, 64, 1024, 16384])]
    sizes: Vec<usize>,
    /// Seconds of measurement per primitive, backend and size.
    #[arg(long, default_value_t = 0.1)]
    seconds: f64,
    /// Also measure the raw libraries the backends wrap (OpenSSL EVP, RustCrypto, ring) and print
    /// our/raw ratios.
    #[arg(long)]
    compare: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Draw throughput against message size per backend into this SVG file (the per-message
    /// primitives only).
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<String>,
}

/// One measured row: a primitive on one implementation, MB/s per size.
struct Row {
    primitive: Primitive,
    implementation: String,
    mb_per_s: Vec<f64>,
    ns_per_message: Vec<f64>,
}

/// A runner and the implementation name it is reported under.
type Named = (String, Box<dyn Runner>);

/// A public-key runner and the implementation name it is reported under.
type NamedOp = (String, Box<dyn OpRunner>);

/// A backend and the name it is reported under.
type NamedBackend = (String, Arc<dyn Backend>);

/// One measured public-key row: an operation on one implementation.
struct OpRow {
    op: PublicKeyOp,
    implementation: String,
    ops_per_s: f64,
    us_per_op: f64,
}

/// The backends to measure: all of them and the default, or the one chosen with `--backend`.
fn backends(options: &Options) -> Result<Vec<NamedBackend>, Failure> {
    let mut backends: Vec<NamedBackend> = Vec::new();
    match options.backend {
        BackendChoice::Default => {
            for backend in available_backends() {
                backends.push((backend.name().to_owned(), backend));
            }
            backends.push(("default".to_owned(), try_default_backend()?));
        }
        _ => {
            let backend = options.backend()?;
            backends.push((backend.name().to_owned(), backend));
        }
    }
    Ok(backends)
}

/// The public-key implementations to measure: our backends (those that serve `op`), and with
/// `--compare` each member's raw library. ring's exchanges generate an ephemeral key per
/// operation (it cannot load a fixed one): reported as `raw-ring-ephemeral`, never compared.
fn op_implementations(
    op: PublicKeyOp,
    options: &Options,
    compare: bool,
) -> Result<Vec<NamedOp>, Failure> {
    let mut out: Vec<NamedOp> = Vec::new();
    for (name, backend) in backends(options)? {
        let member = name.clone();
        if let Some(runner) = speed::ours_public_key(op, backend) {
            out.push((name, runner));
        }
        if compare {
            #[cfg(feature = "openssl")]
            if member == "openssl" {
                if let Some(raw) = speed::raw_openssl_public_key(op) {
                    out.push(("raw-evp".to_owned(), raw));
                }
            }
            #[cfg(feature = "rust")]
            if member == "rust" {
                if let Some(raw) = speed::raw_rustcrypto_public_key(op) {
                    out.push(("raw-rustcrypto".to_owned(), raw));
                }
            }
            #[cfg(feature = "ring")]
            if member == "ring" {
                if let Some(raw) = speed::raw_ring_public_key(op) {
                    let label = if op.kind() == speed::OpKind::Exchange {
                        "raw-ring-ephemeral"
                    } else {
                        "raw-ring"
                    };
                    out.push((label.to_owned(), raw));
                }
            }
        }
        let _ = member;
    }
    Ok(out)
}

/// The implementations to measure: our backends (all of them and the default, or the one
/// chosen with `--backend`), and with `--compare` the raw libraries.
fn implementations(
    primitive: Primitive,
    options: &Options,
    compare: bool,
) -> Result<Vec<Named>, Failure> {
    let mut out: Vec<Named> = Vec::new();
    for (name, backend) in backends(options)? {
        let member = name.clone();
        if let Some(runner) = speed::ours(primitive, backend) {
            out.push((name, runner));
        }
        if compare {
            #[cfg(feature = "openssl")]
            if member == "openssl" {
                if let Some(raw) = speed::raw_openssl(primitive) {
                    out.push(("raw-evp".to_owned(), raw));
                }
            }
            #[cfg(feature = "rust")]
            if member == "rust" {
                if let Some(raw) = speed::raw_rustcrypto(primitive) {
                    out.push(("raw-rustcrypto".to_owned(), raw));
                }
            }
            #[cfg(feature = "ring")]
            if member == "ring" {
                if let Some(raw) = speed::raw_ring(primitive) {
                    out.push(("raw-ring".to_owned(), raw));
                }
            }
        }
        let _ = member;
    }
    Ok(out)
}

/// The raw baseline each of our backends is compared with.
fn baseline_of(implementation: &str) -> Option<&'static str> {
    match implementation {
        "openssl" => Some("raw-evp"),
        "rust" => Some("raw-rustcrypto"),
        "ring" => Some("raw-ring"),
        _ => None,
    }
}

/// Runs `hazmat speed`.
pub(crate) fn run(args: &SpeedArgs, options: &Options) -> Result<(), Failure> {
    let mut primitives: Vec<Primitive> = Vec::new();
    let mut ops: Vec<PublicKeyOp> = Vec::new();
    for name in &args.algorithms {
        if let Some(p) = Primitive::from_name(name) {
            primitives.push(p);
        } else if let Some(op) = PublicKeyOp::from_name(name) {
            ops.push(op);
        } else {
            let known: Vec<&str> = Primitive::ALL
                .iter()
                .map(|p| p.name())
                .chain(PublicKeyOp::ALL.iter().map(|op| op.name()))
                .collect();
            return Err(Failure::usage(format!(
                "unknown primitive {name:?}; known: {}",
                known.join(", ")
            )));
        }
    }
    if args.public_key && ops.is_empty() {
        ops = PublicKeyOp::ALL.to_vec();
    }
    if primitives.is_empty() && ops.is_empty() {
        primitives = Primitive::ALL.to_vec();
    }
    if args.sizes.is_empty() || args.sizes.contains(&0) {
        return Err(Failure::usage(
            "--sizes takes positive byte counts, e.g. 16,1024,16384",
        ));
    }
    if !(args.seconds > 0.0 && args.seconds <= 60.0) {
        return Err(Failure::usage(
            "--seconds must be more than 0 and at most 60",
        ));
    }
    let duration = Duration::from_secs_f64(args.seconds);
    let mut rows = Vec::new();
    for &primitive in &primitives {
        for (implementation, mut runner) in implementations(primitive, options, args.compare)? {
            let mut mb_per_s = Vec::new();
            let mut ns_per_message = Vec::new();
            for &size in &args.sizes {
                let message = vec![0x5au8; size];
                let m = speed::measure(runner.as_mut(), &message, duration);
                mb_per_s.push(m.bytes_per_second(size) / 1e6);
                ns_per_message.push(m.nanos_per_message());
            }
            rows.push(Row {
                primitive,
                implementation,
                mb_per_s,
                ns_per_message,
            });
        }
    }
    let mut op_rows = Vec::new();
    for &op in &ops {
        for (implementation, mut runner) in op_implementations(op, options, args.compare)? {
            let m = speed::measure_op(runner.as_mut(), duration);
            op_rows.push(OpRow {
                op,
                implementation,
                ops_per_s: m.ops_per_second(),
                us_per_op: m.nanos_per_message() / 1e3,
            });
        }
    }
    if let Some(path) = &args.plot {
        plot(path, &rows, &args.sizes)?;
    }
    let text = if args.json {
        let results: Vec<_> = rows
            .iter()
            .flat_map(|r| {
                args.sizes.iter().enumerate().map(move |(i, size)| {
                    json!({
                        "primitive": r.primitive.name(),
                        "implementation": r.implementation,
                        "size": size,
                        "mb_per_s": r.mb_per_s[i],
                        "ns_per_message": r.ns_per_message[i],
                    })
                })
            })
            .collect();
        let mut doc = json!({ "results": results, "ratios": ratios_json(&rows, &args.sizes) });
        if !ops.is_empty() {
            doc["public_key"] = op_rows
                .iter()
                .map(|r| {
                    json!({
                        "operation": r.op.name(),
                        "implementation": r.implementation,
                        "ops_per_s": r.ops_per_s,
                        "us_per_op": r.us_per_op,
                    })
                })
                .collect();
            doc["public_key_ratios"] = op_ratios(&op_rows)
                .into_iter()
                .map(|(op, ours, raw, ratio)| {
                    json!({ "operation": op.name(), "ours": ours, "raw": raw, "ratio": ratio })
                })
                .collect();
        }
        let mut text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Failure::usage(format!("cannot encode JSON: {e}")))?;
        text.push('\n');
        text
    } else {
        let mut text = String::new();
        if !primitives.is_empty() {
            text.push_str(&table(&rows, &args.sizes));
        }
        if !ops.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&op_table(&op_rows));
        }
        text
    };
    crate::common::write_stdout(text.as_bytes())
}

fn ratios(rows: &[Row]) -> Vec<(Primitive, String, String, Vec<f64>)> {
    let by_key: HashMap<(Primitive, &str), &Row> = rows
        .iter()
        .map(|r| ((r.primitive, r.implementation.as_str()), r))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let Some(base) = baseline_of(&row.implementation) else {
            continue;
        };
        if let Some(raw) = by_key.get(&(row.primitive, base)) {
            let ratio = row
                .mb_per_s
                .iter()
                .zip(&raw.mb_per_s)
                .map(|(ours, raw)| ours / raw)
                .collect();
            out.push((
                row.primitive,
                row.implementation.clone(),
                base.to_owned(),
                ratio,
            ));
        }
    }
    out
}

fn ratios_json(rows: &[Row], sizes: &[usize]) -> Vec<serde_json::Value> {
    ratios(rows)
        .into_iter()
        .flat_map(|(p, ours, raw, ratio)| {
            sizes.iter().zip(ratio).map(move |(size, r)| {
                json!({ "primitive": p.name(), "ours": ours, "raw": raw, "size": size, "ratio": r })
            })
        })
        .collect()
}

/// Our/raw ratios of the public-key rows (ops/s over ops/s).
fn op_ratios(rows: &[OpRow]) -> Vec<(PublicKeyOp, String, String, f64)> {
    let by_key: HashMap<(PublicKeyOp, &str), &OpRow> = rows
        .iter()
        .map(|r| ((r.op, r.implementation.as_str()), r))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let Some(base) = baseline_of(&row.implementation) else {
            continue;
        };
        if let Some(raw) = by_key.get(&(row.op, base)) {
            out.push((
                row.op,
                row.implementation.clone(),
                base.to_owned(),
                row.ops_per_s / raw.ops_per_s,
            ));
        }
    }
    out
}

/// The public-key table: ops/s and µs/op per implementation, then the ratios.
fn op_table(rows: &[OpRow]) -> String {
    let mut out = String::from(
        "operations/s (higher is better); fixed keys, 32-byte message; one op = one signature, \
         verification, decryption, exchange or key pair\n\n",
    );
    let mut lines = vec![vec![
        "operation".to_owned(),
        "implementation".to_owned(),
        "ops/s".to_owned(),
        "us/op".to_owned(),
    ]];
    for r in rows {
        lines.push(vec![
            r.op.name().to_owned(),
            r.implementation.clone(),
            format!("{:.1}", r.ops_per_s),
            format!("{:.1}", r.us_per_op),
        ]);
    }
    for (op, ours, raw, ratio) in op_ratios(rows) {
        lines.push(vec![
            op.name().to_owned(),
            format!("{ours}/{raw}"),
            format!("{ratio:.2}x"),
        ]);
    }
    out.push_str(&align(&lines));
    out
}

/// The lines as columns: the first two left-aligned, the others right-aligned.
fn align(lines: &[Vec<String>]) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            lines
                .iter()
                .map(|l| l.get(i).map_or(0, String::len))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < 2 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn table(rows: &[Row], sizes: &[usize]) -> String {
    let mut out =
        String::from("MB/s (higher is better); one message = context setup, update, finalize\n\n");
    let mut header = vec!["primitive".to_owned(), "implementation".to_owned()];
    header.extend(sizes.iter().map(|s| format!("{s} B")));
    let mut lines = vec![header];
    for r in rows {
        let mut line = vec![r.primitive.name().to_owned(), r.implementation.clone()];
        line.extend(r.mb_per_s.iter().map(|v| format!("{v:.1}")));
        lines.push(line);
    }
    let ratios = ratios(rows);
    for (p, ours, raw, ratio) in &ratios {
        let mut line = vec![p.name().to_owned(), format!("{ours}/{raw}")];
        line.extend(ratio.iter().map(|r| format!("{r:.2}x")));
        lines.push(line);
    }
    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            lines
                .iter()
                .map(|l| l.get(i).map_or(0, String::len))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < 2 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// One chart per primitive, MB/s against message size (both logarithmic), a line per
/// implementation.
fn plot(path: &str, rows: &[Row], sizes: &[usize]) -> Result<(), Failure> {
    use plotters::prelude::*;
    let fail =
        |e: &dyn std::fmt::Display| Failure::usage(format!("{path}: cannot draw the plot: {e}"));
    let mut primitives: Vec<Primitive> = Vec::new();
    for r in rows {
        if !primitives.contains(&r.primitive) {
            primitives.push(r.primitive);
        }
    }
    let height = 320 * u32::try_from(primitives.len().max(1)).unwrap_or(1);
    let root = SVGBackend::new(path, (900, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let areas = root.split_evenly((primitives.len().max(1), 1));
    let min_size = sizes.iter().copied().min().unwrap_or(1) as f64;
    let max_size = sizes.iter().copied().max().unwrap_or(1) as f64 * 1.01;
    for (area, primitive) in areas.iter().zip(&primitives) {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.primitive == *primitive).collect();
        let top = mine
            .iter()
            .flat_map(|r| r.mb_per_s.iter().copied())
            .fold(1.0f64, f64::max)
            * 1.5;
        let bottom = mine
            .iter()
            .flat_map(|r| r.mb_per_s.iter().copied())
            .fold(top, f64::min)
            .max(0.01)
            / 1.5;
        let mut chart = ChartBuilder::on(area)
            .caption(primitive.name(), ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d((min_size..max_size).log_scale(), (bottom..top).log_scale())
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc("message size (bytes)")
            .y_desc("MB/s")
            .draw()
            .map_err(|e| fail(&e))?;
        for (i, row) in mine.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let points: Vec<(f64, f64)> = sizes
                .iter()
                .map(|&s| s as f64)
                .zip(row.mb_per_s.iter().copied())
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(|e| fail(&e))?
                .label(row.implementation.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))
                .map_err(|e| fail(&e))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| fail(&e))?;
    }
    root.present().map_err(|e| fail(&e))
}
