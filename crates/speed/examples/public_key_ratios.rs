//! Our public-key rows against their raw libraries (and the default against each member),
//! measured interleaved: the two runners alternate in short slices, so load changes on a
//! shared machine hit both alike and the ratio stays meaningful.
//!
//! `cargo run --release -p speed --example public_key_ratios [SECONDS_PER_PAIR] [OP...]`
//! (default 2 s per pair: 10 rounds of 100 ms each side). Prints, per operation and pair, both
//! rates and ours/theirs.

use std::sync::Arc;
use std::time::Duration;

use pluggable_crypto::hazmat::backends::{default_backend, Backend};
use speed::{measure_op, OpKind, OpRunner, PublicKeyOp};

/// Runs `a` and `b` in alternating slices for `total` each; their ops/s.
fn interleaved(a: &mut dyn OpRunner, b: &mut dyn OpRunner, total: Duration) -> (f64, f64) {
    const ROUNDS: u32 = 10;
    let slice = total / ROUNDS;
    let (mut ops_a, mut ns_a, mut ops_b, mut ns_b) = (0u64, 0u128, 0u64, 0u128);
    for round in 0..ROUNDS {
        // Alternate which side goes first.
        let one = |r: &mut dyn OpRunner, ops: &mut u64, ns: &mut u128| {
            let m = measure_op(r, slice);
            *ops += m.messages;
            *ns += m.elapsed.as_nanos();
        };
        if round % 2 == 0 {
            one(a, &mut ops_a, &mut ns_a);
            one(b, &mut ops_b, &mut ns_b);
        } else {
            one(b, &mut ops_b, &mut ns_b);
            one(a, &mut ops_a, &mut ns_a);
        }
    }
    let rate = |ops: u64, ns: u128| ops as f64 / (ns.max(1) as f64 / 1e9);
    (rate(ops_a, ns_a), rate(ops_b, ns_b))
}

/// Our backends in this build with their raw library's runner constructor.
type Raw = fn(PublicKeyOp) -> Option<Box<dyn OpRunner>>;

#[allow(clippy::vec_init_then_push)] // one push per compiled-in backend
fn members() -> Vec<(&'static str, Arc<dyn Backend>, &'static str, Raw)> {
    let mut out: Vec<(&'static str, Arc<dyn Backend>, &'static str, Raw)> = Vec::new();
    #[cfg(feature = "openssl")]
    out.push((
        "openssl",
        pluggable_crypto::hazmat::backends::openssl::backend(),
        "raw-evp",
        speed::raw_openssl_public_key,
    ));
    #[cfg(feature = "rust")]
    out.push((
        "rust",
        pluggable_crypto::hazmat::backends::rust::backend(),
        "raw-rustcrypto",
        speed::raw_rustcrypto_public_key,
    ));
    #[cfg(feature = "ring")]
    out.push((
        "ring",
        pluggable_crypto::hazmat::backends::ring::backend(),
        "raw-ring",
        speed::raw_ring_public_key,
    ));
    out
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let seconds: f64 = match args.peek().and_then(|a| a.parse().ok()) {
        Some(s) => {
            args.next();
            s
        }
        None => 2.0,
    };
    let total = Duration::from_secs_f64(seconds);
    let named: Vec<PublicKeyOp> = args.filter_map(|a| PublicKeyOp::from_name(&a)).collect();
    let ops = if named.is_empty() {
        PublicKeyOp::ALL.to_vec()
    } else {
        named
    };
    println!(
        "{:<22}{:<26}{:>12}{:>12}{:>8}",
        "operation", "pair", "ours ops/s", "theirs", "ratio"
    );
    for op in ops {
        let default = default_backend();
        for (name, backend, raw_name, raw) in members() {
            let Some(mut ours) = speed::ours_public_key(op, backend.clone()) else {
                continue;
            };
            // ring's exchanges are ephemeral: no comparable raw row.
            if !(raw_name == "raw-ring" && op.kind() == OpKind::Exchange) {
                if let Some(mut theirs) = raw(op) {
                    let (a, b) = interleaved(&mut *ours, &mut *theirs, total);
                    println!(
                        "{:<22}{:<26}{:>12.1}{:>12.1}{:>8.3}",
                        op.name(),
                        format!("{name}/{raw_name}"),
                        a,
                        b,
                        a / b
                    );
                }
            }
            // The default against the member it routes this operation's key to.
            if let Some(mut routed) = speed::ours_public_key(op, default.clone()) {
                if routed_member(op, &default).as_deref() == Some(name) {
                    let (a, b) = interleaved(&mut *routed, &mut *ours, total);
                    println!(
                        "{:<22}{:<26}{:>12.1}{:>12.1}{:>8.3}",
                        op.name(),
                        format!("default/{name}"),
                        a,
                        b,
                        a / b
                    );
                }
            }
        }
    }
}

/// The member the default generates and loads `op`'s key on.
fn routed_member(op: PublicKeyOp, default: &Arc<dyn Backend>) -> Option<String> {
    use pluggable_crypto::hazmat::backends::multi::MultiBackend;
    use pluggable_crypto::hazmat::primitives::asymmetric::{
        EdwardsCurve, EllipticCurve, MontgomeryCurve,
    };
    let multi = default.downcast_ref::<MultiBackend>()?;
    let member = match op.family() {
        speed::KeyFamily::Rsa(bits) => multi.backend_for_rsa(bits),
        speed::KeyFamily::Ec(speed::NistCurve::P256) => {
            multi.backend_for_elliptic_curve(EllipticCurve::Secp256r1)
        }
        speed::KeyFamily::Ec(speed::NistCurve::P384) => {
            multi.backend_for_elliptic_curve(EllipticCurve::Secp384r1)
        }
        speed::KeyFamily::Ed25519 => multi.backend_for_eddsa(EdwardsCurve::Ed25519),
        speed::KeyFamily::X25519 => multi.backend_for_xdh(MontgomeryCurve::X25519),
    }?;
    Some(member.name().to_owned())
}
