//! The statistics shared by the dudect-style timing benches (`constant_time.rs`,
//! `constant_time_rsa.rs`), after Reparaz, Balasch, Verbauwhede: "Dude, is my code constant
//! time?" (DATE 2017): an `rdtsc` tick counter, a random class interleaving, the 100 percentile
//! crops, Welch's t-statistic on the raw data, each crop and the centred squares (second order),
//! and the verdict thresholds. Included by each bench with `#[path = "dudect/mod.rs"]`.

#![allow(dead_code)] // each bench uses its own subset

/// dudect's number of cropping percentiles.
pub(crate) const PERCENTILES: usize = 100;
/// Samples per class unless `CT_SAMPLES` says otherwise.
pub(crate) const DEFAULT_SAMPLES: usize = 1_000_000;
/// Warm-up calls per experiment, not recorded.
pub(crate) const WARMUP: usize = 2_000;

/// A cycle (or nanosecond) counter read.
#[inline(always)]
pub(crate) fn ticks() -> u64 {
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
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_nanos() as u64
    }
}

/// The unit `ticks` counts in.
pub(crate) fn tick_unit() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "cycles"
    } else {
        "ns"
    }
}

/// xorshift64*: enough randomness to interleave the classes unpredictably for the CPU.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64);
        Rng(nanos | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Welford's running mean and variance.
#[derive(Clone, Copy, Default)]
pub(crate) struct Moments {
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
pub(crate) fn welch_t(a: &Moments, b: &Moments) -> f64 {
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
pub(crate) struct Outcome {
    pub(crate) samples: [usize; 2],
    pub(crate) medians: [u64; 2],
    pub(crate) raw_t: f64,
    pub(crate) max_t: f64,
    pub(crate) max_t_test: String,
}

/// Welch's t over the raw data, the 100 dudect crops and the second-order test.
pub(crate) fn analyse(classes: &[u8], times: &[u64]) -> Outcome {
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
pub(crate) fn measure<S>(
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

pub(crate) fn verdict(t: f64) -> &'static str {
    if t > 10.0 {
        "DEFINITE difference"
    } else if t > 4.5 {
        "possible difference"
    } else {
        "no evidence"
    }
}

/// One row per experiment: (backend, what, class A, class B, outcome).
pub(crate) type Row = (String, &'static str, &'static str, &'static str, Outcome);

/// The samples per class: `CT_SAMPLES`, else `default`.
pub(crate) fn samples_from_env(default: usize) -> usize {
    std::env::var("CT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The result table, one line per row.
pub(crate) fn print_table(rows: &[Row]) {
    let width = |f: fn(&Row) -> usize, min: usize| rows.iter().map(f).max().unwrap_or(0).max(min);
    let (wb, ww, wa, wc) = (
        width(|r| r.0.len(), 8),
        width(|r| r.1.len(), 32),
        width(|r| r.2.len(), 16),
        width(|r| r.3.len(), 16),
    );
    println!(
        "{:<wb$} {:<ww$} {:<wa$} {:<wc$} {:>8} {:>8} {:>8} {:>8} {:>8}  {:<13} verdict",
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
    for (backend, what, a, b, o) in rows {
        println!(
            "{:<wb$} {:<ww$} {:<wa$} {:<wc$} {:>8} {:>8} {:>8} {:>8.2} {:>8.2}  {:<13} {}",
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
}
