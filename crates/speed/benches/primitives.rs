//! Our library against the raw libraries its backends wrap, per primitive and message size.
//!
//! `cargo bench -p speed --bench primitives` (about 10 minutes; filter with a regex argument,
//! e.g. `-- 'sha256/'`). One group per (primitive, size) with byte throughput; its functions:
//!
//! - `openssl`: ours on the OpenSSL backend; `raw-evp`: OpenSSL EVP via openssl-sys, a new
//!   context per message; `raw-evp-reused`: one keyed EVP context for every message;
//! - `rust`: ours on the Rust backend; `raw-rustcrypto`: the RustCrypto crates directly;
//! - `ring`: ours on the ring backend; `raw-ring`: ring directly;
//! - `default`: ours on `default_backend()` (the multi-backend with its per-family routing).
//!
//! The one-shot AEADs (`aes-128-gcm-oneshot`, `aes-256-gcm-oneshot`, `chacha20-poly1305`) are
//! keyed once by every function, so their `raw-evp` is already the reused context and
//! `raw-evp-reused` is left out.
//!
//! Before timing a group it checks that every function produces the same bytes. Summarize the
//! medians with `python3 crates/speed/summarize.py`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use pluggable_crypto::hazmat::backends::{default_backend, Backend};
use speed::{Primitive, Runner};

/// Message sizes in bytes: OpenSSL `speed`'s, an MTU-sized packet, and 1 MiB.
const SIZES: [usize; 7] = [16, 64, 256, 1350, 8192, 16384, 1 << 20];

/// The bytes a runner of `p` processes of a `size`-byte message: the unpadded CBC modes take
/// whole blocks only (1350 → 1344).
fn processed_len(p: Primitive, size: usize) -> usize {
    match p {
        Primitive::Aes256Cbc | Primitive::Camellia128Cbc => size - size % 16,
        _ => size,
    }
}

/// The functions of one group, in display order; missing ones (a feature off, an algorithm
/// the linked library lacks) are left out.
fn runners(p: Primitive) -> Vec<(&'static str, Box<dyn Runner>)> {
    let mut all: Vec<(&'static str, Option<Box<dyn Runner>>)> = Vec::new();
    #[cfg(feature = "openssl")]
    {
        let openssl: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::openssl::backend();
        all.push(("openssl", speed::ours(p, openssl)));
        all.push(("raw-evp", speed::raw_openssl(p)));
        if !p.is_one_shot_aead() {
            all.push(("raw-evp-reused", speed::raw_openssl_reused(p)));
        }
    }
    #[cfg(feature = "rust")]
    {
        let rust: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::rust::backend();
        all.push(("rust", speed::ours(p, rust)));
        all.push(("raw-rustcrypto", speed::raw_rustcrypto(p)));
    }
    #[cfg(feature = "ring")]
    {
        let ring: Arc<dyn Backend> = pluggable_crypto::hazmat::backends::ring::backend();
        all.push(("ring", speed::ours(p, ring)));
        all.push(("raw-ring", speed::raw_ring(p)));
    }
    all.push(("default", speed::ours(p, default_backend())));
    all.into_iter()
        .filter_map(|(name, runner)| match runner {
            Some(runner) => Some((name, runner)),
            None => {
                eprintln!("{p}: no `{name}` runner in this build, skipped");
                None
            }
        })
        .collect()
}

fn message(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 + 17) as u8).collect()
}

fn primitives(c: &mut Criterion) {
    for p in Primitive::ALL {
        let mut runners = runners(p);
        for size in SIZES {
            let msg = message(size);
            // Same work check: every function must produce the first one's bytes.
            let mut reference = Vec::new();
            for (i, (name, runner)) in runners.iter_mut().enumerate() {
                let mut out = Vec::new();
                runner.run(&msg, &mut out);
                if i == 0 {
                    reference = out;
                } else if out != reference {
                    panic!("{p}/{size}: `{name}` output differs from the first function's");
                }
            }
            let mut group = c.benchmark_group(format!("{p}/{size}"));
            group.throughput(Throughput::Bytes(processed_len(p, size) as u64));
            if size >= 1 << 20 {
                // Milliseconds per message: equal-sized samples need 20 iterations where
                // linear sampling needs 210, which would overrun the measurement time.
                group.sampling_mode(SamplingMode::Flat);
            }
            for (name, runner) in &mut runners {
                let mut out = Vec::with_capacity(size + 64);
                group.bench_function(*name, |b| {
                    b.iter(|| {
                        runner.run(black_box(&msg), &mut out);
                        black_box(&out);
                    })
                });
            }
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(700))
        .sample_size(20)
        .nresamples(10_000)
        .without_plots()
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = primitives
}
criterion_main!(benches);
