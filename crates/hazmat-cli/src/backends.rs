//! `hazmat backends`: every backend's support matrix side by side, and which member the
//! default backend routes each request to.

use std::collections::BTreeMap;
use std::sync::Arc;

use clap::Args;
use cryptography::hazmat::backends::multi::RequestKind;
use cryptography::hazmat::backends::{
    available_backends, try_default_backend, Backend, CipherSupport,
};
use serde_json::json;

use crate::common::Failure;

#[derive(Args)]
pub(crate) struct BackendsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// One row of the cipher matrix: a pair and, per backend, its key sizes (if supported).
struct CipherRow {
    algorithm: String,
    mode: Option<String>,
    key_sizes: Vec<Option<Vec<usize>>>,
    default: Option<String>,
}

/// The matrix of all backends plus the default's routing.
struct Matrix {
    backends: Vec<Arc<dyn Backend>>,
    default: Arc<dyn Backend>,
    ciphers: Vec<CipherRow>,
    hashes: Vec<(String, Vec<bool>, Option<String>)>,
    hmacs: Vec<(String, Vec<bool>, Option<String>)>,
}

/// The member of `default` that serves a request (its family's preferred order first, then
/// the member order), by the members' own support lists.
fn route(
    default: &dyn Backend,
    kind: RequestKind,
    names: (&str, Option<&str>),
    serves: impl Fn(&dyn Backend) -> bool,
) -> Option<String> {
    let Some(multi) = default.as_multi() else {
        return serves(default).then(|| default.name().to_owned());
    };
    let preferred = multi
        .preferences()
        .iter()
        .find(|p| p.kind() == kind && p.names() == names)
        .map(|p| p.order().to_vec())
        .unwrap_or_default();
    let by_name = |name: &String| multi.members().iter().find(|m| m.name() == name);
    preferred
        .iter()
        .filter_map(by_name)
        .chain(multi.members())
        .find(|m| serves(&***m))
        .map(|m| m.name().to_owned())
}

fn names_matrix(
    backends: &[Arc<dyn Backend>],
    default: &dyn Backend,
    kind: RequestKind,
    list: impl Fn(&dyn Backend) -> Vec<String>,
) -> Vec<(String, Vec<bool>, Option<String>)> {
    let lists: Vec<Vec<String>> = backends.iter().map(|b| list(&**b)).collect();
    list(default)
        .into_iter()
        .chain(lists.iter().flatten().cloned())
        .fold(Vec::<String>::new(), |mut all, n| {
            if !all.contains(&n) {
                all.push(n);
            }
            all
        })
        .into_iter()
        .map(|name| {
            let has = lists.iter().map(|l| l.contains(&name)).collect();
            let via = route(default, kind, (&name, None), |b| list(b).contains(&name));
            (name, has, via)
        })
        .collect()
}

impl Matrix {
    fn build() -> Result<Self, Failure> {
        let backends = available_backends();
        let default = try_default_backend()?;
        let lists: Vec<Vec<CipherSupport>> =
            backends.iter().map(|b| b.supported_ciphers()).collect();
        let mut pairs: BTreeMap<(String, Option<String>), String> = BTreeMap::new();
        for c in lists.iter().flatten() {
            pairs
                .entry((c.algorithm.to_ascii_lowercase(), c.mode.clone()))
                .or_insert_with(|| c.algorithm.clone());
        }
        let ciphers = pairs
            .into_iter()
            .map(|((_, mode), algorithm)| {
                let find = |list: &[CipherSupport]| {
                    list.iter()
                        .find(|c| c.algorithm == algorithm && c.mode == mode)
                        .map(|c| c.key_sizes.clone())
                };
                let key_sizes = lists.iter().map(|l| find(l)).collect();
                let default = route(
                    &*default,
                    RequestKind::Cipher,
                    (&algorithm, mode.as_deref()),
                    |b| find(&b.supported_ciphers()).is_some(),
                );
                CipherRow {
                    algorithm,
                    mode,
                    key_sizes,
                    default,
                }
            })
            .collect();
        let hashes = names_matrix(&backends, &*default, RequestKind::Hash, |b| {
            b.supported_hashes()
        });
        let hmacs = names_matrix(&backends, &*default, RequestKind::Hmac, |b| {
            b.supported_hmacs()
        });
        Ok(Matrix {
            backends,
            default,
            ciphers,
            hashes,
            hmacs,
        })
    }

    fn json(&self) -> serde_json::Value {
        let backends: Vec<_> = self
            .backends
            .iter()
            .map(|b| {
                let ciphers: Vec<_> = b
                    .supported_ciphers()
                    .into_iter()
                    .map(|c| json!({ "algorithm": c.algorithm, "mode": c.mode, "key_sizes": c.key_sizes }))
                    .collect();
                json!({
                    "name": b.name(),
                    "description": b.description(),
                    "ciphers": ciphers,
                    "hashes": b.supported_hashes(),
                    "hmac": b.supported_hmacs(),
                })
            })
            .collect();
        let routes = |rows: &[(String, Vec<bool>, Option<String>)]| -> Vec<serde_json::Value> {
            rows.iter()
                .map(|(name, _, via)| json!({ "name": name, "backend": via }))
                .collect()
        };
        let ciphers: Vec<_> = self
            .ciphers
            .iter()
            .map(|r| json!({ "algorithm": r.algorithm, "mode": r.mode, "backend": r.default }))
            .collect();
        json!({
            "backends": backends,
            "default": {
                "name": self.default.name(),
                "description": self.default.description(),
                "ciphers": ciphers,
                "hashes": routes(&self.hashes),
                "hmac": routes(&self.hmacs),
            },
        })
    }

    fn table(&self) -> String {
        let mut out = String::new();
        for b in &self.backends {
            out.push_str(&format!("backend {}: {}\n", b.name(), b.description()));
        }
        out.push_str(&format!(
            "default: {} ({})\n\n",
            self.default.name(),
            self.default.description()
        ));
        let names: Vec<&str> = self.backends.iter().map(|b| b.name()).collect();

        let mut header = vec!["cipher".to_owned(), "mode".to_owned()];
        header.extend(names.iter().map(|n| n.to_string()));
        header.push("default".into());
        let mut rows = vec![header];
        for r in &self.ciphers {
            let mut row = vec![
                r.algorithm.clone(),
                r.mode.clone().unwrap_or_else(|| "-".into()),
            ];
            row.extend(
                r.key_sizes
                    .iter()
                    .map(|k| k.as_deref().map_or_else(|| "-".into(), key_sizes)),
            );
            row.push(r.default.clone().unwrap_or_else(|| "-".into()));
            rows.push(row);
        }
        out.push_str(&render(&rows));

        for (title, list) in [("hash", &self.hashes), ("hmac", &self.hmacs)] {
            let mut header = vec![title.to_owned()];
            header.extend(names.iter().map(|n| n.to_string()));
            header.push("default".into());
            let mut rows = vec![header];
            for (name, has, via) in list {
                let mut row = vec![name.clone()];
                row.extend(
                    has.iter()
                        .map(|h| if *h { "yes".to_owned() } else { "-".to_owned() }),
                );
                row.push(via.clone().unwrap_or_else(|| "-".into()));
                rows.push(row);
            }
            out.push('\n');
            out.push_str(&render(&rows));
        }
        out
    }
}

/// Left-aligned columns, two spaces apart, indented by two.
fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(String::len)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn run(args: &BackendsArgs) -> Result<(), Failure> {
    let matrix = Matrix::build()?;
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&matrix.json())
            .map_err(|e| Failure::usage(format!("cannot encode JSON: {e}")))?;
        text.push('\n');
        text
    } else {
        matrix.table()
    };
    crate::common::write_stdout(text.as_bytes())
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
