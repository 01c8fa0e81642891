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

#[path = "dudect/mod.rs"]
mod dudect;

use dudect::{measure, print_table, samples_from_env, tick_unit, Rng, Row, DEFAULT_SAMPLES};

use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;
use pluggable_crypto::hazmat::primitives::ciphers::modes::Gcm;
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::Sha256;
use pluggable_crypto::hazmat::primitives::hmac::Hmac;

/// `tag` with its byte at `index` flipped.
fn flipped(tag: &[u8], index: usize) -> Vec<u8> {
    let mut t = tag.to_vec();
    t[index] ^= 0x01;
    t
}

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
    let samples = samples_from_env(DEFAULT_SAMPLES);
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
    print_table(&rows);
    println!();
    println!(
        "\"right tag\" vs \"wrong 1st byte\" also compares success with failure (a public \
         outcome); \"wrong 1st byte\" vs \"wrong last byte\" is the early-exit test; \
         \"(A/A)\" rows time identical inputs (noise baseline)."
    );
    println!("total time: {:.1} s", started.elapsed().as_secs_f64());
}
