//! Our library against the raw libraries its backends wrap, per public-key operation.
//!
//! `cargo bench -p speed --bench public_key` (a few minutes; filter with a regex argument, e.g.
//! `-- 'rsa2048'`). One group per operation (RSA-2048/3072/4096 sign, verify and OAEP decrypt;
//! ECDSA P-256/P-384 sign and verify; Ed25519 sign and verify; X25519 and ECDH P-256; RSA-2048
//! and P-256 key generation), timed per operation on fixed keys; its functions:
//!
//! - `openssl`, `rust`, `ring`, `default`: ours on that backend (absent where the backend does
//!   not serve the operation);
//! - `raw-evp`: OpenSSL `EVP_PKEY` via openssl-sys; `raw-rustcrypto`: the RustCrypto crates;
//!   `raw-ring`: ring (its exchanges generate an ephemeral key per operation:
//!   `raw-ring-ephemeral`).
//!
//! Before timing a group it checks that every function produces an output, and the same bytes
//! where the operation is deterministic (see `PublicKeyOp::expected_output`).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use pluggable_crypto::hazmat::backends::{default_backend, Backend};
use speed::{OpKind, OpRunner, PublicKeyOp};

/// The functions of one group, in display order; missing ones are left out.
fn runners(op: PublicKeyOp) -> Vec<(&'static str, Box<dyn OpRunner>)> {
    let mut all: Vec<(&'static str, Option<Box<dyn OpRunner>>)> = Vec::new();
    #[cfg(feature = "openssl")]
    {
        let openssl: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::openssl::backend();
        all.push(("openssl", speed::ours_public_key(op, openssl)));
        all.push(("raw-evp", speed::raw_openssl_public_key(op)));
    }
    #[cfg(feature = "rust")]
    {
        let rust: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::rust::backend();
        all.push(("rust", speed::ours_public_key(op, rust)));
        all.push(("raw-rustcrypto", speed::raw_rustcrypto_public_key(op)));
    }
    #[cfg(feature = "ring")]
    {
        let ring: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::ring::backend();
        all.push(("ring", speed::ours_public_key(op, ring)));
        let label = if op.kind() == OpKind::Exchange {
            "raw-ring-ephemeral"
        } else {
            "raw-ring"
        };
        all.push((label, speed::raw_ring_public_key(op)));
    }
    all.push(("default", speed::ours_public_key(op, default_backend())));
    all.into_iter()
        .filter_map(|(name, runner)| match runner {
            Some(runner) => Some((name, runner)),
            None => {
                eprintln!("{op}: no `{name}` runner in this build, skipped");
                None
            }
        })
        .collect()
}

fn public_key(c: &mut Criterion) {
    for op in PublicKeyOp::ALL {
        let mut runners = runners(op);
        let expected = op.expected_output();
        for (name, runner) in &mut runners {
            let mut out = Vec::new();
            runner.run(&mut out);
            assert!(!out.is_empty(), "{op}: `{name}` failed");
            if let Some(expected) = &expected {
                if *name != "raw-ring-ephemeral" {
                    assert_eq!(&out, expected, "{op}: `{name}` gives other bytes");
                }
            }
        }
        let mut group = c.benchmark_group(op.name());
        if op.kind() == OpKind::Keygen
            || matches!(op, PublicKeyOp::Rsa4096Sign | PublicKeyOp::Rsa4096Decrypt)
        {
            // Milliseconds per operation (RSA key generation: tens to hundreds).
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(3));
        }
        for (name, runner) in &mut runners {
            let mut out = Vec::with_capacity(1024);
            group.bench_function(*name, |b| {
                b.iter(|| {
                    runner.run(&mut out);
                    black_box(&out);
                })
            });
        }
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1000))
        .sample_size(20)
        .nresamples(10_000)
        .without_plots()
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = public_key
}
criterion_main!(benches);
