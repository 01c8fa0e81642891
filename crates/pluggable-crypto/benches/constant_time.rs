//! A dudect-style statistical timing test (Reparaz, Balasch, Verbauwhede: "Dude, is my code
//! constant time?", DATE 2017) of the tag checks:
//!
//! - `Hmac::verify` (HMAC-SHA256, 64-byte message) with the right tag vs. a tag differing in
//!   the first byte;
//! - GCM decryption's `finalize_with_tag` (AES-128-GCM, 64-byte message) with the right tag
//!   vs. a tag wrong in the first byte;
//!
//! on every backend in `available_backends()`. Two extra rows per primitive compare a tag wrong
//! in the first byte with one wrong in the last byte: both fail, so any difference there
//! would come from an early-exit comparison, which is what a tag-forging attacker exploits.
//! (Right vs. wrong also compares a success path with a failure path, whose result is public
//! anyway; a difference there is expected from e.g. error-queue handling and is no leak of
//! the tag.) A last row per primitive times the right tag against itself (an A/A control): it
//! shows how large |t| gets from noise and measurement artefacts alone on this machine.
//!
//! Method, as in dudect: the two classes are interleaved in a random order; each call is
//! timed alone (setup excluded) with `rdtsc` on x86_64 (`Instant` elsewhere); the measurements
//! are cropped at 100 percentiles of the pooled distribution (`1 - 0.5^(10 (k+1) / 100)`, from
//! ~6.7 % to ~99.9 %) and Welch's t-statistic is computed on the raw data, on each crop, and on
//! the centred squares (a second-order test). The table shows the raw |t| and the largest |t|
//! over all tests. dudect's reading: |t| > 4.5 suggests a timing difference, > 10 is definite.
//!
//! Run with `cargo bench -p pluggable-crypto --bench constant_time`; `CT_SAMPLES` sets the samples
//! per class (default 1 000 000). Not a unit test: the result is statistical and depends on the
//! machine's noise, so it is not run by `cargo test`.

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;
use pluggable_crypto::hazmat::primitives::ciphers::modes::Gcm;
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::Sha256;
use pluggable_crypto::hazmat::primitives::hmac::Hmac;

/// dudect's number of cropping percentiles.
const PERCENTILES: usize = 100;
/// Samples per class unless `CT_SAMPLES` says otherwise.
const DEFAULT_SAMPLES: usize = 1_000_000;
/// Warm-up calls per experiment, not recorded.
const WARMUP: usize = 2_000;

/// A cycle (or nanosecond) counter read.
#[inline(always)]
fn ticks() -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_lfence, _rdtsc};
        // SAFETY: `lfence` and `rdtsc` are baseline x86_64 instructions (SSE2 is part of the
        // x86_64 ABI); they only order loads and read the time-stamp counter.
        unsafe {
            _mm_lfence();
            let t = _rdtsc();
            _mm_lfence();
            t
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_nanos() as u64
    }
}

/// The unit `ticks` counts in.
fn tick_unit() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "cycles"
    } else {
        "ns"
    }
}

/// xorshift64*: enough randomness to interleave the classes unpredictably for the CPU.
struct Rng(u64);

impl Rng {
    fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64);
        Rng(nanos | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Welford's running mean and variance.
#[derive(Clone, Copy, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.n < 2.0 {
            0.0
        } else {
            self.m2 / (self.n - 1.0)
        }
    }
}

/// Welch's t-statistic of two samples; 0 when either is too small to say anything.
fn welch_t(a: &Moments, b: &Moments) -> f64 {
    if a.n < 2.0 || b.n < 2.0 {
        return 0.0;
    }
    let se = (a.variance() / a.n + b.variance() / b.n).sqrt();
    if se == 0.0 {
        return 0.0;
    }
    (a.mean - b.mean) / se
}

/// The outcome of one experiment.
struct Outcome {
    samples: [usize; 2],
    medians: [u64; 2],
    raw_t: f64,
    max_t: f64,
    max_t_test: String,
}

/// Welch's t over the raw data, the 100 dudect crops and the second-order test.
fn analyse(classes: &[u8], times: &[u64]) -> Outcome {
    let mut sorted: Vec<u64> = times.to_vec();
    sorted.sort_unstable();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
    let thresholds: Vec<u64> = (0..PERCENTILES)
        .map(|k| at(1.0 - 0.5f64.powf(10.0 * (k + 1) as f64 / PERCENTILES as f64)))
        .collect();

    let mut raw = [Moments::default(); 2];
    let mut cropped = vec![[Moments::default(); 2]; PERCENTILES];
    for (&class, &t) in classes.iter().zip(times) {
        let c = usize::from(class);
        let x = t as f64;
        raw[c].push(x);
        for (crop, &limit) in cropped.iter_mut().zip(&thresholds) {
            if t < limit {
                crop[c].push(x);
            }
        }
    }
    // Second order: the centred squares (dudect's test on the uncropped data).
    let mut second = [Moments::default(); 2];
    for (&class, &t) in classes.iter().zip(times) {
        let c = usize::from(class);
        let d = t as f64 - raw[c].mean;
        second[c].push(d * d);
    }

    let raw_t = welch_t(&raw[0], &raw[1]);
    let mut max_t = raw_t.abs();
    let mut max_t_test = "raw".to_owned();
    for (k, crop) in cropped.iter().enumerate() {
        let t = welch_t(&crop[0], &crop[1]).abs();
        if t > max_t {
            max_t = t;
            let q = 1.0 - 0.5f64.powf(10.0 * (k + 1) as f64 / PERCENTILES as f64);
            max_t_test = format!("crop p{:.1}", q * 100.0);
        }
    }
    let t2 = welch_t(&second[0], &second[1]).abs();
    if t2 > max_t {
        max_t = t2;
        max_t_test = "2nd order".to_owned();
    }

    let median = |class: u8| {
        let mut v: Vec<u64> = classes
            .iter()
            .zip(times)
            .filter(|(&c, _)| c == class)
            .map(|(_, &t)| t)
            .collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    Outcome {
        samples: [raw[0].n as usize, raw[1].n as usize],
        medians: [median(0), median(1)],
        raw_t,
        max_t,
        max_t_test,
    }
}

/// Times `samples` calls per class in a random interleaving. `prepare` builds the (untimed)
/// state for one call of the given class; `run` is the timed call.
///
/// The class-dependent input (the tag) should be copied by `prepare` into one buffer that
/// every call reads, so that the two classes differ only in value, not in address (alignment
/// and cache-set effects of two separate buffers would otherwise show up as a difference).
fn measure<S>(
    samples: usize,
    rng: &mut Rng,
    mut prepare: impl FnMut(u8) -> S,
    mut run: impl FnMut(S),
) -> Outcome {
    // Exactly `samples` of each class, shuffled (Fisher-Yates).
    let mut classes: Vec<u8> = (0..2 * samples).map(|i| (i % 2) as u8).collect();
    for i in (1..classes.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        classes.swap(i, j);
    }
    for i in 0..WARMUP {
        let state = prepare((i % 2) as u8);
        run(state);
    }
    let mut times = Vec::with_capacity(classes.len());
    for &class in &classes {
        let state = prepare(class);
        let start = ticks();
        run(state);
        let end = ticks();
        times.push(end.wrapping_sub(start));
    }
    analyse(&classes, &times)
}

fn verdict(t: f64) -> &'static str {
    if t > 10.0 {
        "DEFINITE difference"
    } else if t > 4.5 {
        "possible difference"
    } else {
        "no evidence"
    }
}

/// `tag` with its byte at `index` flipped.
fn flipped(tag: &[u8], index: usize) -> Vec<u8> {
    let mut t = tag.to_vec();
    t[index] ^= 0x01;
    t
}

/// One row per experiment: (backend, what, class 0, class 1, outcome).
type Row = (String, &'static str, &'static str, &'static str, Outcome);

fn hmac_rows(backend: &Arc<dyn Backend>, samples: usize, rng: &mut Rng) -> Vec<Row> {
    let key = [0x0bu8; 32];
    let message = [0x5au8; 64];
    let new_mac = || {
        let mut mac = Hmac::with_backend(&key, Sha256, backend.clone()).expect("HMAC-SHA256");
        mac.update(&message).expect("update");
        mac
    };
    let right = new_mac().finalize().expect("finalize");
    let first = flipped(&right, 0);
    let last = flipped(&right, right.len() - 1);

    let mut rows = Vec::new();
    for (label0, tag0, label1, tag1) in [
        ("right tag", &right, "wrong 1st byte", &first),
        ("wrong 1st byte", &first, "wrong last byte", &last),
        ("right tag", &right, "right tag (A/A)", &right),
    ] {
        let tags = [tag0.as_slice(), tag1.as_slice()];
        let slot = RefCell::new(vec![0u8; right.len()]);
        let outcome = measure(
            samples,
            rng,
            |class| {
                slot.borrow_mut().copy_from_slice(tags[usize::from(class)]);
                new_mac()
            },
            |mac| {
                black_box(mac.verify(black_box(&slot.borrow()))).ok();
            },
        );
        rows.push((
            backend.name().to_owned(),
            "Hmac::verify (SHA-256)",
            label0,
            label1,
            outcome,
        ));
    }
    rows
}

fn gcm_rows(backend: &Arc<dyn Backend>, samples: usize, rng: &mut Rng) -> Vec<Row> {
    let cipher_backend: Arc<dyn Backend> = backend.clone();
    let cipher = Cipher::with_backend(
        Aes::new(&[0x42; 16]).expect("key"),
        Gcm::new(&[0x24; 12]).expect("IV"),
        cipher_backend,
    )
    .expect("AES-128-GCM");
    let plaintext = [0x77u8; 64];
    let mut encryptor = cipher.encryptor().expect("encryptor");
    encryptor
        .authenticate_additional_data(b"header")
        .expect("aad");
    let ciphertext = encryptor.update(&plaintext).expect("update");
    encryptor.finalize().expect("finalize");
    let right = encryptor.tag().expect("tag").to_vec();
    let first = flipped(&right, 0);
    let last = flipped(&right, right.len() - 1);

    let new_decryptor = || {
        let mut decryptor = cipher.decryptor().expect("decryptor");
        decryptor
            .authenticate_additional_data(b"header")
            .expect("aad");
        black_box(decryptor.update(&ciphertext).expect("update"));
        decryptor
    };
    let mut rows = Vec::new();
    for (label0, tag0, label1, tag1) in [
        ("right tag", &right, "wrong 1st byte", &first),
        ("wrong 1st byte", &first, "wrong last byte", &last),
        ("right tag", &right, "right tag (A/A)", &right),
    ] {
        let tags = [tag0.as_slice(), tag1.as_slice()];
        let slot = RefCell::new(vec![0u8; right.len()]);
        let outcome = measure(
            samples,
            rng,
            |class| {
                slot.borrow_mut().copy_from_slice(tags[usize::from(class)]);
                new_decryptor()
            },
            |mut decryptor| {
                black_box(decryptor.finalize_with_tag(black_box(&slot.borrow()))).ok();
            },
        );
        rows.push((
            backend.name().to_owned(),
            "GCM finalize_with_tag (AES-128)",
            label0,
            label1,
            outcome,
        ));
    }
    rows
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let samples = std::env::var("CT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SAMPLES);
    let started = Instant::now();
    let mut rng = Rng::seeded();
    println!(
        "dudect-style timing test: {samples} samples per class, times in {}, |t| > 4.5 suggests \
         a difference, > 10 is definite",
        tick_unit()
    );
    let mut rows = Vec::new();
    for backend in available_backends() {
        println!(
            "measuring on {} ({})",
            backend.name(),
            backend.description()
        );
        rows.extend(hmac_rows(&backend, samples, &mut rng));
        rows.extend(gcm_rows(&backend, samples, &mut rng));
    }

    println!();
    println!(
        "{:<8} {:<32} {:<16} {:<16} {:>8} {:>8} {:>8} {:>8} {:>8}  {:<13} verdict",
        "backend",
        "operation",
        "class A",
        "class B",
        "n/class",
        "med A",
        "med B",
        "|t| raw",
        "max |t|",
        "(at)"
    );
    for (backend, what, a, b, o) in &rows {
        println!(
            "{:<8} {:<32} {:<16} {:<16} {:>8} {:>8} {:>8} {:>8.2} {:>8.2}  {:<13} {}",
            backend,
            what,
            a,
            b,
            o.samples[0].min(o.samples[1]),
            o.medians[0],
            o.medians[1],
            o.raw_t.abs(),
            o.max_t,
            o.max_t_test,
            verdict(o.max_t)
        );
    }
    println!();
    println!(
        "\"right tag\" vs \"wrong 1st byte\" also compares success with failure (a public \
         outcome); \"wrong 1st byte\" vs \"wrong last byte\" is the early-exit test; \
         \"(A/A)\" rows time identical inputs (noise baseline)."
    );
    println!("total time: {:.1} s", started.elapsed().as_secs_f64());
}
