//! A dudect-style statistical timing test of RSA decryption (the Marvin attack: Kario, "Everlasting
//! ROBOT", 2023), with the method and statistics of `constant_time.rs` (shared in
//! `dudect/mod.rs`): the two classes interleaved in a random order, each `decrypt` call timed
//! alone with `rdtsc`, 100 percentile crops, Welch's t on the raw data, each crop and the
//! second-order test.
//!
//! Rows, on every backend that decrypts (`CT_BACKEND=openssl|rust` picks one; ring has no RSA
//! decryption and is skipped by its `UnsupportedAlgorithm`):
//!
//! - PKCS #1 v1.5 (implicit rejection: every ciphertext decrypts to `Ok`): a valid ciphertext
//!   vs. one with bad padding; the same with the valid message as long as the bad one's
//!   synthetic message (so the output length is equal too); a block with a bad first byte
//!   (`01 02 PS 00 M`) vs. one with no zero separator (`00 02 PS`), both rejected;
//! - OAEP (SHA-256, MGF1-SHA256): a valid ciphertext vs. the same with its last byte flipped
//!   (`DecryptionFailed`); and Manger's pair, a block whose first byte is not zero vs. one
//!   whose first byte is zero but whose label hash is wrong (both `DecryptionFailed`);
//! - an A/A control: the valid PKCS #1 v1.5 ciphertext against itself, which shows how large
//!   |t| gets from noise alone on this machine.
//!
//! The key is the fixed 1024-bit key of the PKCS #1 v2.1 test vectors (`pkcs-1v2-1d2-vec`,
//! example 1 of `oaep-vect.txt`); 1024 bits keeps 10^6 samples per class within reach on a
//! small machine, and the padding check and error paths this tests do not depend on the modulus
//! size. The bad blocks are encrypted here with the raw public operation (`em^e mod n`).
//!
//! Run with `cargo bench -p pluggable-crypto --bench constant_time_rsa`; `CT_SAMPLES` sets the
//! samples per class (default 1 000 000), `CT_BACKEND` restricts it to one backend by name and
//! `CT_ROWS` to some rows (numbered from 1 in the order above, the A/A control last).

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use crypto_bigint::{BoxedUint, Odd};

#[path = "dudect/mod.rs"]
mod dudect;

use dudect::{
    measure, print_table, samples_from_env, tick_unit, verdict, Rng, Row, DEFAULT_SAMPLES,
};
use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    EncryptionPadding, Mgf1, Oaep, Pkcs1v15,
};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
    rsa_crt_dmp1, rsa_crt_dmq1, rsa_crt_iqmp, RsaPrivateKey, RsaPrivateNumbers, RsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
use pluggable_crypto::hazmat::primitives::hashes::Sha256;
use pluggable_crypto::Error;

/// The modulus length in bytes.
const K: usize = 128;

const N: &str = "a8b3b284af8eb50b387034a860f146c4919f318763cd6c5598c8ae4811a1e0abc4c7e0b082d693a5e7fced675cf4668512772c0cbc64a742c6c630f533c8cc72f62ae833c40bf25842e984bb78bdbf97c0107d55bdb662f5c4e0fab9845cb5148ef7392dd3aaff93ae1e6b667bb3d4247616d4f5ba10d4cfd226de88d39f16fb";
const D: &str = "53339cfdb79fc8466a655c7316aca85c55fd8f6dd898fdaf119517ef4f52e8fd8e258df93fee180fa0e4ab29693cd83b152a553d4ac4d1812b8b9fa5af0e7f55fe7304df41570926f3311f15c4d65a732c483116ee3d3d2d0af3549ad9bf7cbfb78ad884f84d5beb04724dc7369b31def37d0cf539e9cfcdd3de653729ead5d1";
const P: &str = "d32737e7267ffe1341b2d5c0d150a81b586fb3132bed2f8d5262864a9cb9f30af38be448598d413a172efb802c21acf1c11c520c2f26a471dcad212eac7ca39d";
const Q: &str = "cc8853d1d54da630fac004f471f281c7b8982d8224a490edbeb33d3e3d5cc93c4765703d1dd791642f1f116a0dd852be2419b2af72bfe9a030e860b0288b5d77";

/// One row: operation, padding, class A (name, ciphertext), class B (name, ciphertext).
type Experiment<'a> = (
    &'static str,
    fn() -> EncryptionPadding,
    &'static str,
    &'a [u8],
    &'static str,
    &'a [u8],
);

fn numbers() -> RsaPrivateNumbers {
    let hex = |s: &str| BigUint::from_hex(s).expect("hex");
    let (n, d, p, q) = (hex(N), hex(D), hex(P), hex(Q));
    let dmp1 = rsa_crt_dmp1(&d, &p).expect("dmp1");
    let dmq1 = rsa_crt_dmq1(&d, &q).expect("dmq1");
    let iqmp = rsa_crt_iqmp(&p, &q).expect("iqmp");
    let public = RsaPublicNumbers::new(BigUint::from_u64(65537), n);
    RsaPrivateNumbers::new(p, q, d, dmp1, dmq1, iqmp, public)
}

/// `em^e mod n`, `K` bytes: the raw public operation, to encrypt blocks of our choosing.
fn raw_encrypt(em: &[u8]) -> Vec<u8> {
    let bits = (K * 8) as u32;
    let n =
        BoxedUint::from_be_slice_truncated(&BigUint::from_hex(N).expect("hex").to_be_bytes(), bits);
    let n = Option::<Odd<BoxedUint>>::from(Odd::new(n)).expect("odd modulus");
    let m = BoxedUint::from_be_slice_truncated(em, bits);
    let e = BoxedUint::from_be_slice_truncated(&[0x01, 0x00, 0x01], bits);
    m.pow_mod(&e, &n).to_be_bytes().to_vec()
}

/// `len` pseudo-random bytes, none of them zero.
fn nonzero_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| (rng.next() % 255) as u8 + 1).collect()
}

/// `len` pseudo-random bytes.
fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.next() as u8).collect()
}

fn oaep() -> EncryptionPadding {
    Oaep::new(Mgf1::new(Sha256), Sha256, None).into()
}

fn pkcs1v15() -> EncryptionPadding {
    Pkcs1v15.into()
}

/// Times `key.decrypt` of ciphertext `a` against `b` (class 0 and 1), the ciphertext copied
/// into one buffer so that the classes differ only in value.
fn decrypt_row(
    key: &RsaPrivateKey,
    padding: fn() -> EncryptionPadding,
    a: &[u8],
    b: &[u8],
    samples: usize,
    rng: &mut Rng,
) -> dudect::Outcome {
    let cts = [a, b];
    let slot = RefCell::new(vec![0u8; K]);
    measure(
        samples,
        rng,
        |class| {
            slot.borrow_mut().copy_from_slice(cts[usize::from(class)]);
            padding()
        },
        |padding| {
            black_box(key.decrypt(black_box(&slot.borrow()), padding)).ok();
        },
    )
}

fn rsa_rows(
    backend: &Arc<dyn Backend>,
    key: &RsaPrivateKey,
    samples: usize,
    rng: &mut Rng,
) -> Vec<Row> {
    let public = key.public_key().expect("public key");

    // PKCS #1 v1.5.
    let message = random_bytes(rng, 32);
    let valid = public.encrypt(&message, Pkcs1v15).expect("encrypt");
    assert_eq!(key.decrypt(&valid, Pkcs1v15).expect("decrypt"), message);
    // A random value below n (first byte 01 < a8): its block is not PKCS #1 v1.5.
    let mut bad_padding = random_bytes(rng, K);
    bad_padding[0] = 0x01;
    let synthetic = key
        .decrypt(&bad_padding, Pkcs1v15)
        .expect("implicit rejection");
    let same_length_message = random_bytes(rng, synthetic.len());
    let valid_same_length = public
        .encrypt(&same_length_message, Pkcs1v15)
        .expect("encrypt");
    assert_eq!(
        key.decrypt(&valid_same_length, Pkcs1v15).expect("decrypt"),
        same_length_message
    );
    let block = |first: u8, separator: bool, rng: &mut Rng| {
        let mut em = vec![first, 0x02];
        if separator {
            em.extend(nonzero_bytes(rng, K - 2 - 1 - 32));
            em.push(0);
            em.extend(random_bytes(rng, 32));
        } else {
            em.extend(nonzero_bytes(rng, K - 2));
        }
        raw_encrypt(&em)
    };
    let bad_first = block(0x01, true, rng);
    let no_separator = block(0x00, false, rng);
    for c in [&bad_first, &no_separator] {
        // Rejected: a synthetic message, not the block's content.
        let out = key.decrypt(c, Pkcs1v15).expect("implicit rejection");
        assert_ne!(out.len(), 32);
    }

    // OAEP.
    let oaep_valid = public.encrypt(&message, oaep()).expect("encrypt");
    assert_eq!(key.decrypt(&oaep_valid, oaep()).expect("decrypt"), message);
    let mut oaep_flipped = oaep_valid.clone();
    oaep_flipped[K - 1] ^= 0x01;
    let mut y_nonzero = random_bytes(rng, K);
    y_nonzero[0] = 0x01;
    let y_nonzero = raw_encrypt(&y_nonzero);
    let mut bad_lhash = random_bytes(rng, K);
    bad_lhash[0] = 0x00;
    let bad_lhash = raw_encrypt(&bad_lhash);
    for c in [&oaep_flipped, &y_nonzero, &bad_lhash] {
        assert_eq!(key.decrypt(c, oaep()), Err(Error::DecryptionFailed));
    }

    let experiments: [Experiment<'_>; 6] = [
        (
            "PKCS#1 v1.5 decrypt",
            pkcs1v15,
            "valid",
            &valid,
            "bad padding",
            &bad_padding,
        ),
        (
            "PKCS#1 v1.5 decrypt",
            pkcs1v15,
            "valid (len = synth)",
            &valid_same_length,
            "bad padding",
            &bad_padding,
        ),
        (
            "PKCS#1 v1.5 decrypt",
            pkcs1v15,
            "bad 1st byte",
            &bad_first,
            "no separator",
            &no_separator,
        ),
        (
            "OAEP decrypt (SHA-256)",
            oaep,
            "valid",
            &oaep_valid,
            "last byte flipped",
            &oaep_flipped,
        ),
        (
            "OAEP decrypt (SHA-256)",
            oaep,
            "Y != 0",
            &y_nonzero,
            "Y = 0, bad lHash",
            &bad_lhash,
        ),
        (
            "PKCS#1 v1.5 decrypt",
            pkcs1v15,
            "valid",
            &valid,
            "valid (A/A)",
            &valid,
        ),
    ];
    let chosen = chosen_rows();
    let mut rows = Vec::new();
    for (index, (what, padding, label0, a, label1, b)) in experiments.into_iter().enumerate() {
        if chosen.as_ref().is_some_and(|c| !c.contains(&(index + 1))) {
            continue;
        }
        let started = Instant::now();
        let o = decrypt_row(key, padding, a, b, samples, rng);
        println!(
            "  {} {what}: {label0} vs {label1}: n = {}, medians {} / {}, max |t| = {:.2} ({}), {} ({:.0} s)",
            backend.name(),
            o.samples[0].min(o.samples[1]),
            o.medians[0],
            o.medians[1],
            o.max_t,
            o.max_t_test,
            verdict(o.max_t),
            started.elapsed().as_secs_f64()
        );
        rows.push((backend.name().to_owned(), what, label0, label1, o));
    }
    rows
}

/// `CT_ROWS` (e.g. `2,4,5`): the rows to run, numbered from 1 in the order of the module
/// docs; all of them when unset.
fn chosen_rows() -> Option<Vec<usize>> {
    let rows = std::env::var("CT_ROWS").ok()?;
    Some(
        rows.split(',')
            .filter_map(|r| r.trim().parse().ok())
            .collect(),
    )
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported (use `CT_BACKEND`).
    let samples = samples_from_env(DEFAULT_SAMPLES);
    let only = std::env::var("CT_BACKEND").ok();
    let started = Instant::now();
    let mut rng = Rng::seeded();
    println!(
        "dudect-style timing test of RSA-1024 decryption: {samples} samples per class, times in \
         {}, |t| > 4.5 suggests a difference, > 10 is definite",
        tick_unit()
    );
    let numbers = numbers();
    let mut rows = Vec::new();
    for backend in available_backends() {
        if only.as_deref().is_some_and(|name| name != backend.name()) {
            continue;
        }
        let key = match numbers.private_key_with_backend(backend.clone()) {
            Ok(key) => key,
            Err(e) if e.is_unsupported() => {
                println!("skipping {}: no RSA keys", backend.name());
                continue;
            }
            Err(e) => panic!("loading the key on {}: {e}", backend.name()),
        };
        match key.decrypt(&[1u8; K], Pkcs1v15) {
            Err(e) if e.is_unsupported() => {
                println!("skipping {}: no RSA decryption", backend.name());
                continue;
            }
            _ => {}
        }
        println!(
            "measuring on {} ({})",
            backend.name(),
            backend.description()
        );
        rows.extend(rsa_rows(&backend, &key, samples, &mut rng));
    }

    println!();
    print_table(&rows);
    println!();
    println!(
        "PKCS#1 v1.5 rows: every ciphertext decrypts to Ok (implicit rejection); \"valid\" vs \
         \"bad padding\" is the Marvin/Bleichenbacher oracle test. OAEP \"valid\" vs \"last byte \
         flipped\" compares success with the (public) failure; \"Y != 0\" vs \"Y = 0, bad \
         lHash\" is Manger's oracle test. \"(A/A)\" times identical inputs (noise baseline)."
    );
    println!("total time: {:.1} s", started.elapsed().as_secs_f64());
}
