//! `hazmat backends`: every backend's support matrix side by side (ciphers, one-shot AEADs,
//! hashes, HMAC, CMAC, Poly1305, KDFs), and which member the default backend routes each request to.

use std::collections::BTreeMap;
use std::sync::Arc;

use clap::Args;
use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::multi::Route;
use pluggable_crypto::hazmat::backends::{
    available_backends, try_default_backend, Backend, CipherSupport,
};
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use serde_json::json;

use crate::common::Failure;

/// The tag length the routing of one-shot AEADs is asked for (the one `hazmat encrypt` uses).
const AEAD_TAG_BYTES: usize = 16;

#[derive(Args)]
pub(crate) struct BackendsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// One row of a cipher or CMAC matrix: an algorithm (and mode) and, per backend, its key
/// sizes (if supported).
struct CipherRow {
    algorithm: String,
    mode: Option<String>,
    key_sizes: Vec<Option<Vec<usize>>>,
    default: Option<String>,
}

/// One row of the one-shot AEAD matrix: per backend its key sizes, and the member the default
/// routes each key size to.
struct AeadRow {
    algorithm: AeadAlgorithm,
    key_sizes: Vec<Option<Vec<usize>>>,
    /// (key size in bits, the member serving it).
    default: Vec<(usize, Option<String>)>,
}

/// Rows of names (hashes, HMAC, Poly1305): per backend whether it serves the name, and the
/// default's member.
type NameRows = Vec<(String, Vec<bool>, Option<String>)>;

/// The matrix of all backends plus the default's routing.
struct Matrix {
    backends: Vec<Arc<dyn Backend>>,
    default: Arc<dyn Backend>,
    ciphers: Vec<CipherRow>,
    aeads: Vec<AeadRow>,
    hashes: NameRows,
    hmacs: NameRows,
    cmacs: Vec<CipherRow>,
    poly1305: NameRows,
    /// The KDFs served through `KdfBackend` (PBKDF2 per hash, scrypt, Argon2); the others are
    /// built on hashes and MACs.
    kdfs: NameRows,
}

/// Whether `route` is the routing family of a KDF name from `KdfBackend::supported_kdfs`.
fn kdf_family(name: &str, route: &Route) -> bool {
    match route {
        Route::Pbkdf2Hmac(_) => name.starts_with("pbkdf2"),
        Route::Argon2(_) => name.starts_with("argon2"),
        Route::Scrypt => !name.starts_with("pbkdf2") && !name.starts_with("argon2"),
        _ => false,
    }
}

/// The member of `default` that serves a request (the preferred order of its family's route
/// first, then the member order), by the members' own support lists.
fn route(
    default: &dyn Backend,
    family: impl Fn(&Route) -> bool,
    names: (&str, Option<&str>),
    serves: impl Fn(&dyn Backend) -> bool,
) -> Option<String> {
    let Some(multi) = default.downcast_ref::<MultiBackend>() else {
        return serves(default).then(|| default.name().to_owned());
    };
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let preferred = multi
        .preferences()
        .iter()
        .find(|p| {
            let (algorithm, mode) = p.names();
            family(&p.route())
                && same(algorithm, names.0)
                && match (mode, names.1) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a == b,
                }
        })
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
    family: impl Fn(&str, &Route) -> bool,
    list: impl Fn(&dyn Backend) -> Vec<String>,
) -> NameRows {
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
            let via = route(
                default,
                |r| family(&name, r),
                (&name, None),
                |b| list(b).contains(&name),
            );
            (name, has, via)
        })
        .collect()
}

/// The rows of a support listing (ciphers, CMAC): every (algorithm, mode) some backend lists.
fn support_matrix(
    backends: &[Arc<dyn Backend>],
    default: &dyn Backend,
    family: impl Fn(&Route) -> bool,
    list: impl Fn(&dyn Backend) -> Vec<CipherSupport>,
) -> Vec<CipherRow> {
    let lists: Vec<Vec<CipherSupport>> = backends.iter().map(|b| list(&**b)).collect();
    let mut pairs: BTreeMap<(String, Option<String>), String> = BTreeMap::new();
    for c in lists.iter().flatten() {
        pairs
            .entry((c.algorithm.to_ascii_lowercase(), c.mode.clone()))
            .or_insert_with(|| c.algorithm.clone());
    }
    pairs
        .into_iter()
        .map(|((_, mode), algorithm)| {
            let find = |list: &[CipherSupport]| {
                list.iter()
                    .find(|c| c.algorithm == algorithm && c.mode == mode)
                    .map(|c| c.key_sizes.clone())
            };
            let key_sizes = lists.iter().map(|l| find(l)).collect();
            let default = route(default, &family, (&algorithm, mode.as_deref()), |b| {
                find(&list(b)).is_some()
            });
            CipherRow {
                algorithm,
                mode,
                key_sizes,
                default,
            }
        })
        .collect()
}

/// Every one-shot AEAD construction (supported by some backend or not), with the default's
/// member per key size.
fn aead_matrix(backends: &[Arc<dyn Backend>], default: &dyn Backend) -> Vec<AeadRow> {
    let lists: Vec<_> = backends.iter().map(|b| b.supported_aeads()).collect();
    AeadAlgorithm::ALL
        .into_iter()
        .map(|algorithm| {
            let key_sizes: Vec<Option<Vec<usize>>> = lists
                .iter()
                .map(|list| {
                    list.iter()
                        .find(|a| a.algorithm == algorithm)
                        .map(|a| a.key_sizes.clone())
                })
                .collect();
            let mut all: Vec<usize> = key_sizes.iter().flatten().flatten().copied().collect();
            all.sort_unstable();
            all.dedup();
            let default = all
                .into_iter()
                .map(|bits| {
                    let via = route(
                        default,
                        |r| matches!(r, Route::Aead(_)),
                        (algorithm.name(), None),
                        |b| b.aead_supported(algorithm, bits / 8, AEAD_TAG_BYTES),
                    );
                    (bits, via)
                })
                .collect();
            AeadRow {
                algorithm,
                key_sizes,
                default,
            }
        })
        .collect()
}

impl Matrix {
    fn build() -> Result<Self, Failure> {
        let backends = available_backends();
        let default = try_default_backend()?;
        let ciphers = support_matrix(
            &backends,
            &*default,
            |r| matches!(r, Route::Cipher(..)),
            |b| b.supported_ciphers(),
        );
        let aeads = aead_matrix(&backends, &*default);
        let hashes = names_matrix(
            &backends,
            &*default,
            |_, r| matches!(r, Route::Hash(_)),
            |b| b.supported_hashes(),
        );
        let hmacs = names_matrix(
            &backends,
            &*default,
            |_, r| matches!(r, Route::Hmac(_)),
            |b| b.supported_hmacs(),
        );
        let cmacs = support_matrix(
            &backends,
            &*default,
            |r| matches!(r, Route::Cmac(_)),
            |b| b.supported_cmacs(),
        );
        let poly1305 = names_matrix(
            &backends,
            &*default,
            |_, r| matches!(r, Route::Poly1305),
            |b| {
                if b.poly1305_supported() {
                    vec!["Poly1305".to_owned()]
                } else {
                    Vec::new()
                }
            },
        );
        let kdfs = names_matrix(&backends, &*default, kdf_family, |b| b.supported_kdfs());
        Ok(Matrix {
            backends,
            default,
            ciphers,
            aeads,
            hashes,
            hmacs,
            cmacs,
            poly1305,
            kdfs,
        })
    }

    fn json(&self) -> serde_json::Value {
        let supports = |list: Vec<CipherSupport>| -> Vec<serde_json::Value> {
            list.into_iter()
                .map(|c| json!({ "algorithm": c.algorithm, "mode": c.mode, "key_sizes": c.key_sizes }))
                .collect()
        };
        let backends: Vec<_> = self
            .backends
            .iter()
            .map(|b| {
                let aeads: Vec<_> = b
                    .supported_aeads()
                    .into_iter()
                    .map(|a| json!({ "algorithm": a.algorithm.name(), "key_sizes": a.key_sizes }))
                    .collect();
                let cmacs: Vec<_> = b
                    .supported_cmacs()
                    .into_iter()
                    .map(|c| json!({ "algorithm": c.algorithm, "key_sizes": c.key_sizes }))
                    .collect();
                json!({
                    "name": b.name(),
                    "description": b.description(),
                    "ciphers": supports(b.supported_ciphers()),
                    "aead": aeads,
                    "hashes": b.supported_hashes(),
                    "hmac": b.supported_hmacs(),
                    "cmac": cmacs,
                    "poly1305": b.poly1305_supported(),
                    "kdf": b.supported_kdfs(),
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
        let aeads: Vec<_> = self
            .aeads
            .iter()
            .flat_map(|r| {
                r.default.iter().map(|(bits, via)| {
                    json!({ "algorithm": r.algorithm.name(), "key_size": bits, "backend": via })
                })
            })
            .collect();
        let cmacs: Vec<_> = self
            .cmacs
            .iter()
            .map(|r| json!({ "algorithm": r.algorithm, "backend": r.default }))
            .collect();
        let poly1305 = self.poly1305.first().and_then(|(_, _, via)| via.clone());
        json!({
            "backends": backends,
            "default": {
                "name": self.default.name(),
                "description": self.default.description(),
                "ciphers": ciphers,
                "aead": aeads,
                "hashes": routes(&self.hashes),
                "hmac": routes(&self.hmacs),
                "cmac": cmacs,
                "poly1305": poly1305,
                "kdf": routes(&self.kdfs),
            },
        })
    }

    fn table(&self) -> String {
        let mut out = String::new();
        for b in &self.backends {
            out.push_str(&format!("backend {}: {}\n", b.name(), b.description()));
        }
        out.push_str(&format!(
            "default: {} ({})\n",
            self.default.name(),
            self.default.description()
        ));
        let names: Vec<&str> = self.backends.iter().map(|b| b.name()).collect();
        let header = |first: &[&str]| -> Vec<String> {
            first
                .iter()
                .chain(&names)
                .chain(&["default"])
                .map(|c| (*c).to_owned())
                .collect()
        };
        let sizes_cells = |sizes: &[Option<Vec<usize>>]| -> Vec<String> {
            sizes
                .iter()
                .map(|k| k.as_deref().map_or_else(|| "-".into(), key_sizes))
                .collect()
        };
        let or_dash = |via: &Option<String>| via.clone().unwrap_or_else(|| "-".into());

        let mut rows = vec![header(&["cipher", "mode"])];
        for r in &self.ciphers {
            let mut row = vec![
                r.algorithm.clone(),
                r.mode.clone().unwrap_or_else(|| "-".into()),
            ];
            row.extend(sizes_cells(&r.key_sizes));
            row.push(or_dash(&r.default));
            rows.push(row);
        }
        out.push('\n');
        out.push_str(&render(&rows));

        let mut rows = vec![header(&["aead (one-shot)"])];
        for r in &self.aeads {
            let mut row = vec![r.algorithm.name().to_owned()];
            row.extend(sizes_cells(&r.key_sizes));
            row.push(aead_route(&r.default));
            rows.push(row);
        }
        out.push('\n');
        out.push_str(&render(&rows));

        for (title, list) in [("hash", &self.hashes), ("hmac", &self.hmacs)] {
            out.push('\n');
            out.push_str(&render(&names_table(header(&[title]), list)));
        }

        let mut rows = vec![header(&["cmac"])];
        for r in &self.cmacs {
            let mut row = vec![r.algorithm.clone()];
            row.extend(sizes_cells(&r.key_sizes));
            row.push(or_dash(&r.default));
            rows.push(row);
        }
        out.push('\n');
        out.push_str(&render(&rows));

        let mut poly1305 = self.poly1305.clone();
        if poly1305.is_empty() {
            poly1305.push(("Poly1305".into(), vec![false; names.len()], None));
        }
        out.push('\n');
        out.push_str(&render(&names_table(header(&["mac"]), &poly1305)));

        if !self.kdfs.is_empty() {
            out.push('\n');
            out.push_str(&render(&names_table(header(&["kdf"]), &self.kdfs)));
        }
        out
    }
}

/// A names table: `yes` or `-` per backend, then the default's member.
fn names_table(header: Vec<String>, list: &NameRows) -> Vec<Vec<String>> {
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
    rows
}

/// The default's members for an AEAD: one name when one member serves every key size, else
/// `ring (128, 256), openssl (192)`; `-` when none does.
fn aead_route(routes: &[(usize, Option<String>)]) -> String {
    let mut members: Vec<(&str, Vec<usize>)> = Vec::new();
    for (bits, via) in routes {
        let Some(via) = via else { continue };
        match members.iter_mut().find(|(name, _)| name == via) {
            Some((_, sizes)) => sizes.push(*bits),
            None => members.push((via, vec![*bits])),
        }
    }
    match &members[..] {
        [] => "-".into(),
        [(name, sizes)] if sizes.len() == routes.len() => (*name).to_owned(),
        _ => members
            .iter()
            .map(|(name, sizes)| format!("{name} ({})", key_sizes(sizes)))
            .collect::<Vec<_>>()
            .join(", "),
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
    use super::{aead_route, key_sizes};

    #[test]
    fn aead_routes_name_members_per_key_size_only_when_they_differ() {
        let all_ring = [
            (128, Some("ring".to_owned())),
            (256, Some("ring".to_owned())),
        ];
        assert_eq!(aead_route(&all_ring), "ring");
        let split = [
            (128, Some("ring".to_owned())),
            (192, Some("openssl".to_owned())),
            (256, Some("ring".to_owned())),
        ];
        assert_eq!(aead_route(&split), "ring (128, 256), openssl (192)");
        let partial = [(128, Some("rust".to_owned())), (192, None)];
        assert_eq!(aead_route(&partial), "rust (128)");
        assert_eq!(aead_route(&[]), "-");
    }

    #[test]
    fn key_size_ranges_are_compressed() {
        assert_eq!(key_sizes(&[128, 192, 256]), "128, 192, 256");
        let blowfish: Vec<usize> = (32..=448).step_by(8).collect();
        assert_eq!(key_sizes(&blowfish), "32-448 step 8");
        assert_eq!(key_sizes(&[40, 56, 64, 80, 128]), "40, 56, 64, 80, 128");
    }
}
