#![cfg(all(feature = "openssl", feature = "rust"))]
//! Cross-backend agreement: the OpenSSL backend and the pure-Rust backend must compute the same
//! bytes and report the same kinds of errors for every cipher pair, hash and HMAC they both
//! serve.
//!
//! Nothing here is a hard-coded expected output: each backend is the other's independent
//! implementation. The pairs and hashes are derived at run time from both backends' support
//! listings, so a pair added to both is covered without touching this file (its names must be
//! known to [`algorithm`] and [`mode`], or the test fails and says so).
//!
//! Every (algorithm, mode) pair gets its own proptest run of [`CASES`] cases (at least; set
//! `PROPTEST_CASES` higher for a longer soak, `PROPTEST_RNG_SEED` to replay a seed). A failing
//! pair is shrunk to a minimal input, and every failing pair is reported, not just the first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{
    available_backends, openssl, rust, Backend, CipherSupport,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{self, Gcm, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::{Cipher, CipherContext};
use pluggable_crypto::hazmat::primitives::hashes::{algorithm_by_name, Hash, HashAlgorithm};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::{Error, Result};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Proptest cases per pair, per hash and per HMAC.
const CASES: u32 = 1024;

#[path = "support/proptest_config.rs"]
mod proptest_config;

/// The proptest configuration: [`CASES`] cases (or more from `PROPTEST_CASES`), no
/// regression files.
fn config() -> Config {
    Config {
        // Cases are cheap (microseconds); shrink far enough to report a truly minimal input.
        max_shrink_iters: 50_000,
        ..proptest_config::config(CASES)
    }
}

// ---------------------------------------------------------------------------------------------
// The two backends.
// ---------------------------------------------------------------------------------------------

/// One backend under its name.
struct Side {
    name: &'static str,
    backend: Arc<dyn Backend>,
}

/// OpenSSL first, Rust second.
fn sides() -> [Side; 2] {
    let names: Vec<String> = available_backends()
        .iter()
        .map(|b| b.name().to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == "openssl") && names.iter().any(|n| n == "rust"),
        "both backends must be compiled in, got {names:?}"
    );
    let o = openssl::backend();
    let r = rust::backend();
    [
        Side {
            name: "openssl",
            backend: o,
        },
        Side {
            name: "rust",
            backend: r,
        },
    ]
}

fn fail(side: &Side, what: &str, e: &Error) -> TestCaseError {
    TestCaseError::fail(format!("{} {what} failed: {e:?}", side.name))
}

/// Runs one proptest per item; returns every failure (shrunk) instead of stopping at the first.
fn run_each<T, S, F>(label: &str, items: &[T], strategy: impl Fn(&T) -> S, test: F) -> Vec<String>
where
    T: fmt::Display,
    S: Strategy,
    S::Value: fmt::Debug,
    F: Fn(&T, S::Value) -> std::result::Result<(), TestCaseError>,
{
    let mut failures = Vec::new();
    for item in items {
        let mut runner = TestRunner::new(config());
        let outcome = runner.run(&strategy(item), |case| test(item, case));
        match outcome {
            Ok(()) => {}
            Err(TestError::Fail(reason, minimal)) => failures.push(format!(
                "{label} {item}: {reason}\n    minimal failing input: {minimal:?}"
            )),
            Err(TestError::Abort(reason)) => {
                failures.push(format!("{label} {item}: aborted: {reason}"))
            }
        }
    }
    failures
}

fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} disagreement(s) between the backends:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Cipher pairs: the intersection of both support matrices, and descriptors built by name.
// ---------------------------------------------------------------------------------------------

/// An (algorithm, mode) pair both backends serve, with the key sizes (bits) both accept.
#[derive(Clone, Debug)]
struct PairSpec {
    algorithm: String,
    mode: Option<String>,
    key_bits: Vec<usize>,
    /// Block size in bytes; `None` for a stream cipher.
    block: Option<usize>,
}

impl PairSpec {
    fn mode(&self) -> Option<&str> {
        self.mode.as_deref()
    }
    fn is_gcm(&self) -> bool {
        self.mode() == Some("GCM")
    }
    /// GCM, or the mode-less streaming ChaCha20-Poly1305.
    fn is_aead(&self) -> bool {
        self.is_gcm() || self.algorithm == "ChaCha20-Poly1305"
    }
    fn is_xts(&self) -> bool {
        self.mode() == Some("XTS")
    }
    fn full_blocks(&self) -> bool {
        matches!(self.mode(), Some("ECB" | "CBC"))
    }
    fn block_bytes(&self) -> usize {
        self.block.unwrap_or(1)
    }
    /// The length of the IV/nonce/tweak for fixed-size ones (GCM's is chosen per case).
    fn iv_len(&self) -> usize {
        match (self.algorithm.as_str(), self.mode()) {
            ("ChaCha20", _) => 16,
            ("ChaCha20-Poly1305", _) => 12,
            (_, None | Some("ECB")) => 0,
            (_, Some("XTS")) => 16,
            (_, Some(_)) => self.block_bytes(),
        }
    }
}

impl fmt::Display for PairSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.algorithm,
            self.mode.as_deref().unwrap_or("(stream)")
        )
    }
}

/// The algorithm descriptor for a backend-listed name. `nonce` is ChaCha20's counter‖nonce or
/// ChaCha20-Poly1305's nonce; `tag` is a decryption tag ChaCha20-Poly1305 carries up front.
fn algorithm(
    name: &str,
    key: &[u8],
    nonce: &[u8],
    tag: Option<(&[u8], TagStyle)>,
) -> Result<Arc<dyn CipherAlgorithm>> {
    if let ("ChaCha20-Poly1305", Some((tag, TagStyle::InMode))) = (name, tag) {
        return Ok(Arc::new(
            algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(key, nonce, tag)?,
        ));
    }
    let carries_nonce = matches!(name, "ChaCha20" | "ChaCha20-Poly1305");
    algorithms::by_name(name, key, carries_nonce.then_some(nonce))
}

/// How a GCM mode carries its tag.
#[derive(Clone, Copy, Debug)]
enum TagStyle {
    /// Given to the mode up front (`Gcm::with_decryption_tag`), checked by `finalize`.
    InMode,
    /// Given to `finalize_with_tag`, full-length minimum.
    AtFinalize,
    /// Given to `finalize_with_tag` with `min_tag_length` 4 (`Gcm::with_tag(iv, None, 4)`).
    Truncated,
}

/// The mode descriptor for a backend-listed name; `tag` only for GCM decryption.
fn mode(
    name: Option<&str>,
    iv: &[u8],
    tag: Option<(&[u8], TagStyle)>,
) -> Result<Option<Arc<dyn Mode>>> {
    let Some(name) = name else {
        return Ok(None);
    };
    Ok(Some(match tag {
        Some((_, TagStyle::Truncated)) if name == "GCM" => Arc::new(Gcm::with_tag(iv, None, 4)?),
        Some((tag, TagStyle::InMode)) if name == "GCM" => modes::by_name(name, iv, Some(tag))?,
        _ => modes::by_name(name, iv, None)?,
    }))
}

/// A `Cipher` for `spec` on `side`. ChaCha20's nonce travels in `iv`.
fn build(
    side: &Side,
    spec: &PairSpec,
    key: &[u8],
    iv: &[u8],
    tag: Option<(&[u8], TagStyle)>,
) -> Result<Cipher> {
    let alg = algorithm(&spec.algorithm, key, iv, tag)?;
    let mode = mode(spec.mode(), iv, tag)?;
    Cipher::with_backend(alg, mode, side.backend.clone())
}

/// A simple deterministic key of `bits` (not an expected output; just an input).
fn pattern(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(37).wrapping_add(salt))
        .collect()
}

/// The pairs both backends list, by algorithm name + mode name, with the common key sizes.
fn common_pairs(sides: &[Side; 2]) -> Vec<PairSpec> {
    type Matrix = BTreeMap<(String, Option<String>), BTreeSet<usize>>;
    let matrix = |list: Vec<CipherSupport>| -> Matrix {
        let mut m = Matrix::new();
        for c in list {
            m.entry((c.algorithm, c.mode))
                .or_default()
                .extend(c.key_sizes);
        }
        m
    };
    let o = matrix(sides[0].backend.supported_ciphers());
    let r = matrix(sides[1].backend.supported_ciphers());
    let mut pairs = Vec::new();
    let mut unknown = Vec::new();
    for (key, o_sizes) in &o {
        let Some(r_sizes) = r.get(key) else {
            eprintln!(
                "agreement: {}/{} only in openssl",
                key.0,
                key.1.as_deref().unwrap_or("(stream)")
            );
            continue;
        };
        let key_bits: Vec<usize> = o_sizes.intersection(r_sizes).copied().collect();
        if key_bits.len() != o_sizes.len() || key_bits.len() != r_sizes.len() {
            eprintln!(
                "agreement: {}/{} key sizes differ: openssl {o_sizes:?}, rust {r_sizes:?}",
                key.0,
                key.1.as_deref().unwrap_or("(stream)")
            );
        }
        let Some(&bits) = key_bits.first() else {
            continue;
        };
        // Probe the names and the block size with a valid key of the first common size.
        let nonce: &[u8] = if key.0 == "ChaCha20-Poly1305" {
            &[0; 12]
        } else {
            &[0; 16]
        };
        let probe = algorithm(&key.0, &pattern(bits / 8, 1), nonce, None);
        let probe_iv: &[u8] = if key.1.as_deref() == Some("ECB") {
            &[]
        } else {
            &[0; 16]
        };
        let probe_mode = mode(key.1.as_deref(), probe_iv, None);
        match (probe, probe_mode) {
            (Ok(alg), Ok(_)) => pairs.push(PairSpec {
                algorithm: key.0.clone(),
                mode: key.1.clone(),
                block: alg.block_size().map(|b| b / 8),
                key_bits,
            }),
            (a, m) => unknown.push(format!(
                "{}/{:?}: {:?} {:?}",
                key.0,
                key.1,
                a.err(),
                m.err()
            )),
        }
    }
    for key in r.keys().filter(|k| !o.contains_key(*k)) {
        eprintln!(
            "agreement: {}/{} only in rust",
            key.0,
            key.1.as_deref().unwrap_or("(stream)")
        );
    }
    assert!(
        unknown.is_empty(),
        "pairs both backends list but this suite cannot build: {unknown:#?}"
    );
    pairs
}

// ---------------------------------------------------------------------------------------------
// Random inputs.
// ---------------------------------------------------------------------------------------------

/// Bytes shown as hex in failure reports.
#[derive(Clone, PartialEq, Eq)]
struct Bytes(Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} bytes] {}", self.0.len(), hex::encode(&self.0))
    }
}

fn bytes(len: impl Into<proptest::collection::SizeRange>) -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), len).prop_map(Bytes)
}

/// How one context is driven: AAD chunk sizes, then `(chunk size, use update_into)` steps for
/// the data (the remainder goes in one last step), then `finalize` or `finalize_into`.
#[derive(Clone, Debug)]
struct Plan {
    aad_chunks: Vec<usize>,
    steps: Vec<(usize, bool)>,
    last_into: bool,
    finalize_into: bool,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        vec(0usize..=24, 0..4),
        vec((prop_oneof![0usize..=4, 0usize..=96], any::<bool>()), 0..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(aad_chunks, steps, last_into, finalize_into)| Plan {
            aad_chunks,
            steps,
            last_into,
            finalize_into,
        })
}

/// One cipher case: a key, an IV, AAD, a message and how each of the six contexts is driven.
#[derive(Clone, Debug)]
struct CipherCase {
    key: Bytes,
    iv: Bytes,
    aad: Bytes,
    msg: Bytes,
    /// GCM: how the full tag is given when decrypting (mode or `finalize_with_tag`).
    tag_in_mode: bool,
    /// GCM: the truncated tag length, 4..=16.
    trunc: usize,
    /// GCM: the bit flipped in the tag for the wrong-tag check.
    flip: Index,
    /// 0, 1: OpenSSL and Rust encryption; 2: OpenSSL decrypting Rust's ciphertext; 3: Rust
    /// decrypting OpenSSL's; 4, 5: the same with a truncated GCM tag.
    plans: Vec<Plan>,
}

/// Counter/nonce values near a wrap, for modes with a counter (CTR, ChaCha20).
fn near_wrap(mut iv: Vec<u8>, spec: &PairSpec, low: u8, wide: bool) -> Vec<u8> {
    if spec.algorithm == "ChaCha20" {
        // Little-endian 32-bit block counter (bytes 0..4), carrying into bytes 4..8.
        let top = if wide { 8 } else { 4 };
        iv[..top].fill(0xff);
        iv[0] = low;
    } else {
        // Big-endian counter block: the low bytes just below the wrap.
        let n = iv.len();
        let from = if wide { 0 } else { n - 4 };
        iv[from..].fill(0xff);
        iv[n - 1] = low;
    }
    iv
}

fn cipher_case(spec: &PairSpec) -> BoxedStrategy<CipherCase> {
    let key = if spec.algorithm == "3DES" {
        // Every accepted length; short forms expand to 192 bits.
        select(vec![8usize, 16, 24])
            .prop_flat_map(|n| vec(any::<u8>(), n))
            .boxed()
    } else {
        let xts = spec.is_xts();
        select(spec.key_bits.clone())
            .prop_flat_map(|bits| vec(any::<u8>(), bits / 8))
            .prop_map(move |mut key| {
                if xts {
                    let half = key.len() / 2;
                    if key[..half] == key[half..] {
                        key[half] ^= 1;
                    }
                }
                key
            })
            .boxed()
    };
    let iv: BoxedStrategy<Vec<u8>> = if spec.is_gcm() {
        prop_oneof![3 => Just(12usize), 1 => 8usize..=128]
            .prop_flat_map(|n| vec(any::<u8>(), n))
            .boxed()
    } else {
        let len = spec.iv_len();
        let random = vec(any::<u8>(), len);
        if spec.mode() == Some("CTR") || spec.algorithm == "ChaCha20" {
            let edge = spec.clone();
            prop_oneof![
                3 => random.clone(),
                1 => (random, 0xf0u8..=0xff, any::<bool>())
                    .prop_map(move |(iv, low, wide)| near_wrap(iv, &edge, low, wide)),
            ]
            .boxed()
        } else {
            random.boxed()
        }
    };
    let msg: BoxedStrategy<Vec<u8>> = if spec.full_blocks() {
        let bs = spec.block_bytes();
        (0..=300 / bs)
            .prop_flat_map(move |n| vec(any::<u8>(), n * bs))
            .boxed()
    } else if spec.is_xts() {
        vec(any::<u8>(), 16..=300).boxed()
    } else {
        vec(any::<u8>(), 0..=300).boxed()
    };
    let aad = if spec.is_aead() {
        vec(any::<u8>(), 0..64).boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (
        key,
        iv,
        aad,
        msg,
        any::<bool>(),
        4usize..=16,
        any::<Index>(),
        vec(plan(), 6),
    )
        .prop_map(
            |(key, iv, aad, msg, tag_in_mode, trunc, flip, plans)| CipherCase {
                key: Bytes(key),
                iv: Bytes(iv),
                aad: Bytes(aad),
                msg: Bytes(msg),
                tag_in_mode,
                trunc,
                flip,
                plans,
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Driving a cipher context by a plan.
// ---------------------------------------------------------------------------------------------

fn feed_aad(ctx: &mut CipherContext, aad: &[u8], plan: &Plan) -> Result<()> {
    let mut rest = aad;
    for &len in &plan.aad_chunks {
        let (chunk, tail) = rest.split_at(len.min(rest.len()));
        ctx.authenticate_additional_data(chunk)?;
        rest = tail;
    }
    // The remainder (possibly empty) in one call.
    ctx.authenticate_additional_data(rest)
}

/// Feeds `data` by the plan's steps, mixing `update` and `update_into` (with a buffer of
/// exactly `update_output_size(len)` bytes), then finalizes unless `tag` asks for
/// `finalize_with_tag`.
fn drive(
    ctx: &mut CipherContext,
    data: &[u8],
    plan: &Plan,
    finalize_tag: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + 32);
    let mut rest = data;
    let last = (usize::MAX, plan.last_into);
    for &(len, into) in plan.steps.iter().chain(std::iter::once(&last)) {
        let (chunk, tail) = rest.split_at(len.min(rest.len()));
        rest = tail;
        if into {
            let mut buf = vec![0xa5; ctx.update_output_size(chunk.len())];
            let n = ctx.update_into(chunk, &mut buf)?;
            if n > buf.len() {
                return Err(Error::Backend(format!(
                    "update_into claimed {n} bytes written into a {}-byte buffer",
                    buf.len()
                )));
            }
            out.extend_from_slice(&buf[..n]);
        } else {
            out.extend(ctx.update(chunk)?);
        }
    }
    let tail = match finalize_tag {
        Some(tag) => ctx.finalize_with_tag(tag)?,
        None if plan.finalize_into => {
            let mut buf = vec![0x5a; ctx.finalize_output_size()];
            let n = ctx.finalize_into(&mut buf)?;
            buf.truncate(n);
            buf
        }
        None => ctx.finalize()?,
    };
    out.extend(tail);
    Ok(out)
}

/// Encrypts the case's message on `side`: ciphertext and (GCM) tag.
fn encrypt(
    side: &Side,
    spec: &PairSpec,
    case: &CipherCase,
    plan: &Plan,
) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let run = || -> Result<(Vec<u8>, Option<Vec<u8>>)> {
        let cipher = build(side, spec, &case.key.0, &case.iv.0, None)?;
        let mut ctx = cipher.encryptor()?;
        if spec.is_aead() {
            feed_aad(&mut ctx, &case.aad.0, plan)?;
        }
        let ct = drive(&mut ctx, &case.msg.0, plan, None)?;
        let tag = if spec.is_aead() {
            Some(ctx.tag()?.to_vec())
        } else {
            None
        };
        Ok((ct, tag))
    };
    run()
}

/// Decrypts `ct` on `side` (GCM: against `tag` in the given style).
fn decrypt(
    side: &Side,
    spec: &PairSpec,
    case: &CipherCase,
    ct: &[u8],
    tag: Option<(&[u8], TagStyle)>,
    plan: &Plan,
) -> Result<Vec<u8>> {
    let cipher = build(side, spec, &case.key.0, &case.iv.0, tag)?;
    let mut ctx = cipher.decryptor()?;
    if spec.is_aead() {
        feed_aad(&mut ctx, &case.aad.0, plan)?;
    }
    let finalize_tag = match tag {
        Some((t, TagStyle::AtFinalize | TagStyle::Truncated)) => Some(t),
        _ => None,
    };
    drive(&mut ctx, ct, plan, finalize_tag)
}

fn flip_bit(tag: &[u8], index: &Index) -> Vec<u8> {
    let mut flipped = tag.to_vec();
    let bit = index.index(tag.len() * 8);
    flipped[bit / 8] ^= 1 << (bit % 8);
    flipped
}

fn check_cipher_case(
    sides: &[Side; 2],
    spec: &PairSpec,
    case: CipherCase,
) -> std::result::Result<(), TestCaseError> {
    let [o, r] = sides;
    // Both backends must accept the message, or both refuse it with the same error kind (e.g.
    // a ChaCha20 block counter that would wrap).
    let ((ct_o, tag_o), (ct_r, tag_r)) = match (
        encrypt(o, spec, &case, &case.plans[0]),
        encrypt(r, spec, &case, &case.plans[1]),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) if std::mem::discriminant(&a) == std::mem::discriminant(&b) => {
            return Ok(())
        }
        (a, b) => {
            return Err(TestCaseError::fail(format!(
                "encryption disagrees: openssl {a:?}, rust {b:?}"
            )))
        }
    };
    prop_assert_eq!(
        Bytes(ct_o.clone()),
        Bytes(ct_r.clone()),
        "ciphertexts differ (openssl left, rust right)"
    );
    prop_assert_eq!(
        ct_o.len(),
        case.msg.0.len(),
        "ciphertext length differs from the message length"
    );
    prop_assert_eq!(
        tag_o.clone().map(Bytes),
        tag_r.clone().map(Bytes),
        "tags differ (openssl left, rust right)"
    );
    if let Some(tag) = &tag_o {
        prop_assert_eq!(tag.len(), 16, "the AEAD tag must be 16 bytes");
    }

    // Each backend decrypts the other's ciphertext, with its own chunking.
    let style = if case.tag_in_mode {
        TagStyle::InMode
    } else {
        TagStyle::AtFinalize
    };
    for (side, ct, tag, plan) in [
        (o, &ct_r, &tag_r, &case.plans[2]),
        (r, &ct_o, &tag_o, &case.plans[3]),
    ] {
        let tag = tag.as_deref().map(|t| (t, style));
        let pt = decrypt(side, spec, &case, ct, tag, plan)
            .map_err(|e| fail(side, "decryption of the other's ciphertext", &e))?;
        prop_assert_eq!(
            Bytes(pt),
            case.msg.clone(),
            "{} decrypted the other backend's ciphertext to something else",
            side.name
        );
    }

    if spec.is_aead() {
        let (Some(tag_o), Some(tag_r)) = (&tag_o, &tag_r) else {
            return Err(TestCaseError::fail("AEAD without a tag"));
        };
        // GCM: a random-length truncated tag (min_tag_length 4); ChaCha20-Poly1305 takes only
        // full tags. Then a one-bit-flipped tag.
        let trunc = if spec.is_gcm() { case.trunc } else { 16 };
        for (side, ct, tag, plan) in [
            (o, &ct_r, tag_r, &case.plans[4]),
            (r, &ct_o, tag_o, &case.plans[5]),
        ] {
            let short = &tag[..trunc];
            let pt = decrypt(
                side,
                spec,
                &case,
                ct,
                Some((short, TagStyle::Truncated)),
                plan,
            )
            .map_err(|e| fail(side, "decryption with a truncated tag", &e))?;
            prop_assert_eq!(
                Bytes(pt),
                case.msg.clone(),
                "{} decrypted with a {}-byte tag to something else",
                side.name,
                trunc
            );
            let bad = flip_bit(short, &case.flip);
            let err = decrypt(
                side,
                spec,
                &case,
                ct,
                Some((&bad, TagStyle::Truncated)),
                plan,
            );
            prop_assert!(
                matches!(err, Err(Error::InvalidTag)),
                "{} accepted or mis-reported a flipped tag bit: {:?}",
                side.name,
                err
            );
        }
    }
    Ok(())
}

#[test]
fn ciphers_agree() {
    let sides = sides();
    let pairs = common_pairs(&sides);
    let key_sizes: usize = pairs.iter().map(|p| p.key_bits.len()).sum();
    eprintln!(
        "agreement: {} cipher pairs ({} pair/key-size combinations) x {} cases: {}",
        pairs.len(),
        key_sizes,
        config().cases,
        pairs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        pairs.len() >= 30,
        "only {} cipher pairs in common; the agreement suite would test too little",
        pairs.len()
    );
    let failures = run_each("cipher", &pairs, cipher_case, |spec, case| {
        check_cipher_case(&sides, spec, case)
    });
    report(&failures);
}

/// The input on which `ciphers_agree` once found the backends to disagree: ChaCha20 with the
/// 64-bit block counter (counter word plus first nonce word) at 2^64 - 1. OpenSSL would encrypt
/// that block and then wrap to block 0 (repeating keystream); the RustCrypto crate refuses it.
/// The primitives layer now refuses any message that would reach that block, on every backend,
/// so both agree: the last usable block is 2^64 - 2.
#[test]
fn chacha20_block_counter_limit() {
    let sides = sides();
    let spec = PairSpec {
        algorithm: "ChaCha20".into(),
        mode: None,
        key_bits: vec![256],
        block: None,
    };
    let run = |side: &Side, nonce: &[u8; 16], len: usize| -> Result<Vec<u8>> {
        let mut ctx = build(side, &spec, &[0; 32], nonce, None)?.encryptor()?;
        let mut out = ctx.update(&vec![0; len])?;
        out.extend(ctx.finalize()?);
        Ok(out)
    };
    let mut at_limit = [0u8; 16];
    at_limit[..8].fill(0xff);
    let mut before_limit = at_limit;
    before_limit[0] = 0xfe;
    let mut last_blocks = Vec::new();
    for side in &sides {
        let refused = run(side, &at_limit, 1);
        assert!(
            matches!(refused, Err(Error::InvalidArgument(_))),
            "{}: {refused:?}",
            side.name
        );
        let too_long = run(side, &before_limit, 65);
        assert!(
            matches!(too_long, Err(Error::InvalidArgument(_))),
            "{}: {too_long:?}",
            side.name
        );
        last_blocks.push(run(side, &before_limit, 64).expect("the last block is usable"));
    }
    assert_eq!(
        last_blocks[0], last_blocks[1],
        "the backends disagree on block 2^64 - 2"
    );
}

// ---------------------------------------------------------------------------------------------
// Hashes and HMAC.
// ---------------------------------------------------------------------------------------------

/// A name both backends list.
#[derive(Clone, Debug)]
struct Named(String);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn common_names(a: Vec<String>, b: Vec<String>) -> Vec<Named> {
    let b: BTreeSet<String> = b.into_iter().collect();
    a.into_iter().filter(|n| b.contains(n)).map(Named).collect()
}

fn hash_algorithm(name: &str, xof_len: usize) -> Arc<dyn HashAlgorithm> {
    let fixed = algorithm_by_name(name, None);
    match fixed {
        Ok(alg) => alg,
        Err(_) => algorithm_by_name(name, Some(xof_len))
            .unwrap_or_else(|e| panic!("hash {name:?} listed by both backends: {e}")),
    }
}

/// Chunk sizes; the remainder goes in one last update.
fn chunks() -> impl Strategy<Value = Vec<usize>> {
    vec(prop_oneof![0usize..=8, 0usize..=300], 0..6)
}

fn feed_chunks(
    data: &[u8],
    plan: &[usize],
    mut update: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut rest = data;
    for &len in plan {
        let (chunk, tail) = rest.split_at(len.min(rest.len()));
        update(chunk)?;
        rest = tail;
    }
    update(rest)
}

#[derive(Clone, Debug)]
struct HashCase {
    xof_len: usize,
    msg: Bytes,
    /// Where the copy is taken.
    split: Index,
    /// Bytes the forked copy gets after the message.
    extra: Bytes,
    /// Whether the copy is finished before the original.
    copy_first: bool,
    /// Per backend: prefix, original's rest, copy's rest, fork's rest.
    plans: Vec<Vec<usize>>,
}

fn hash_case(_: &Named) -> impl Strategy<Value = HashCase> {
    (
        1usize..=200,
        bytes(0..=700),
        any::<Index>(),
        bytes(1..=16),
        any::<bool>(),
        vec(chunks(), 8),
    )
        .prop_map(|(xof_len, msg, split, extra, copy_first, plans)| HashCase {
            xof_len,
            msg,
            split,
            extra,
            copy_first,
            plans,
        })
}

/// (original, copy, fork) digests on one backend.
fn hash_paths(
    side: &Side,
    alg: &Arc<dyn HashAlgorithm>,
    case: &HashCase,
    plans: &[Vec<usize>],
) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let msg = &case.msg.0;
    let (prefix, rest) = msg.split_at(case.split.index(msg.len() + 1));
    let mut original = Hash::from_shared(alg.clone(), side.backend.clone())?;
    feed_chunks(prefix, &plans[0], |c| original.update(c))?;
    let copy = original.copy()?;
    let mut fork = copy.copy()?;
    let finish_copy = |mut copy: Hash| -> Result<Vec<u8>> {
        feed_chunks(rest, &plans[2], |c| copy.update(c))?;
        copy.finalize()
    };
    let (d_orig, d_copy) = if case.copy_first {
        let d_copy = finish_copy(copy)?;
        feed_chunks(rest, &plans[1], |c| original.update(c))?;
        (original.finalize()?, d_copy)
    } else {
        feed_chunks(rest, &plans[1], |c| original.update(c))?;
        let d_orig = original.finalize()?;
        (d_orig, finish_copy(copy)?)
    };
    feed_chunks(rest, &plans[3], |c| fork.update(c))?;
    fork.update(&case.extra.0)?;
    Ok((d_orig, d_copy, fork.finalize()?))
}

fn check_hash_case(
    sides: &[Side; 2],
    name: &Named,
    case: HashCase,
) -> std::result::Result<(), TestCaseError> {
    let alg = hash_algorithm(&name.0, case.xof_len);
    let mut results = Vec::new();
    for (i, side) in sides.iter().enumerate() {
        let (orig, copy, fork) = hash_paths(side, &alg, &case, &case.plans[i * 4..i * 4 + 4])
            .map_err(|e| fail(side, "hashing", &e))?;
        prop_assert_eq!(
            orig.len(),
            alg.digest_size(),
            "{} digest length differs from digest_size",
            side.name
        );
        prop_assert_eq!(
            Bytes(orig.clone()),
            Bytes(copy),
            "{}: the copy's digest differs from the original's",
            side.name
        );
        results.push((orig, fork));
    }
    prop_assert_eq!(
        Bytes(results[0].0.clone()),
        Bytes(results[1].0.clone()),
        "digests differ (openssl left, rust right)"
    );
    prop_assert_eq!(
        Bytes(results[0].1.clone()),
        Bytes(results[1].1.clone()),
        "digests of the forked copy (message + extra) differ (openssl left, rust right)"
    );
    Ok(())
}

#[test]
fn hashes_agree() {
    let sides = sides();
    let names = common_names(
        sides[0].backend.supported_hashes(),
        sides[1].backend.supported_hashes(),
    );
    eprintln!(
        "agreement: {} hashes x {} cases: {}",
        names.len(),
        config().cases,
        names
            .iter()
            .map(|n| n.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        names.len() >= 10,
        "only {} hashes in common; the agreement suite would test too little",
        names.len()
    );
    let failures = run_each("hash", &names, hash_case, |name, case| {
        check_hash_case(&sides, name, case)
    });
    report(&failures);
}

#[derive(Clone, Debug)]
struct HmacCase {
    key: Bytes,
    msg: Bytes,
    split: Index,
    flip: Index,
    /// Per backend: prefix, original's rest, copy's rest; then the verifiers' plans.
    plans: Vec<Vec<usize>>,
}

fn hmac_case(_: &Named) -> impl Strategy<Value = HmacCase> {
    (
        bytes(0..=200),
        bytes(0..=700),
        any::<Index>(),
        any::<Index>(),
        vec(chunks(), 8),
    )
        .prop_map(|(key, msg, split, flip, plans)| HmacCase {
            key,
            msg,
            split,
            flip,
            plans,
        })
}

fn hmac_over(
    side: &Side,
    alg: &Arc<dyn HashAlgorithm>,
    case: &HmacCase,
    plan: &[usize],
) -> Result<Hmac> {
    let mut mac = Hmac::from_shared(&case.key.0, alg.clone(), side.backend.clone())?;
    feed_chunks(&case.msg.0, plan, |c| mac.update(c))?;
    Ok(mac)
}

fn check_hmac_case(
    sides: &[Side; 2],
    name: &Named,
    case: HmacCase,
) -> std::result::Result<(), TestCaseError> {
    let alg = hash_algorithm(&name.0, 1);
    let mut macs = Vec::new();
    for (i, side) in sides.iter().enumerate() {
        let plans = &case.plans[i * 3..i * 3 + 3];
        let run = || -> Result<(Vec<u8>, Vec<u8>)> {
            let msg = &case.msg.0;
            let (prefix, rest) = msg.split_at(case.split.index(msg.len() + 1));
            let mut mac = Hmac::from_shared(&case.key.0, alg.clone(), side.backend.clone())?;
            feed_chunks(prefix, &plans[0], |c| mac.update(c))?;
            let mut copy = mac.copy()?;
            feed_chunks(rest, &plans[1], |c| mac.update(c))?;
            feed_chunks(rest, &plans[2], |c| copy.update(c))?;
            Ok((mac.finalize()?, copy.finalize()?))
        };
        let (mac, copy) = run().map_err(|e| fail(side, "HMAC", &e))?;
        prop_assert_eq!(
            mac.len(),
            alg.digest_size(),
            "{} MAC length differs from digest_size",
            side.name
        );
        prop_assert_eq!(
            Bytes(mac.clone()),
            Bytes(copy),
            "{}: the copy's MAC differs from the original's",
            side.name
        );
        macs.push(mac);
    }
    prop_assert_eq!(
        Bytes(macs[0].clone()),
        Bytes(macs[1].clone()),
        "MACs differ (openssl left, rust right)"
    );
    for (i, side) in sides.iter().enumerate() {
        let other_mac = &macs[1 - i];
        let plan = &case.plans[6 + i];
        let verified = hmac_over(side, &alg, &case, plan).and_then(|m| m.verify(other_mac));
        prop_assert!(
            verified.is_ok(),
            "{} does not verify the other backend's MAC: {:?}",
            side.name,
            verified
        );
        let bad = flip_bit(other_mac, &case.flip);
        let flipped = hmac_over(side, &alg, &case, plan).and_then(|m| m.verify(&bad));
        prop_assert!(
            matches!(flipped, Err(Error::InvalidSignature)),
            "{} accepted or mis-reported a MAC with one flipped bit: {:?}",
            side.name,
            flipped
        );
    }
    Ok(())
}

#[test]
fn hmacs_agree() {
    let sides = sides();
    let names = common_names(
        sides[0].backend.supported_hmacs(),
        sides[1].backend.supported_hmacs(),
    );
    eprintln!(
        "agreement: {} HMAC hashes x {} cases: {}",
        names.len(),
        config().cases,
        names
            .iter()
            .map(|n| n.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        names.len() >= 10,
        "only {} HMAC hashes in common; the agreement suite would test too little",
        names.len()
    );
    let failures = run_each("hmac", &names, hmac_case, |name, case| {
        check_hmac_case(&sides, name, case)
    });
    report(&failures);
}

// ---------------------------------------------------------------------------------------------
// Error kinds.
// ---------------------------------------------------------------------------------------------

/// The error of a misuse on one backend (`None`: no error at all).
type Outcome = Option<Error>;

fn outcome<T>(r: Result<T>) -> Outcome {
    r.err()
}

/// Runs `misuse` on both backends; records a disagreement (or a wrong or missing error kind).
fn compare(
    sides: &[Side; 2],
    what: &str,
    expected: &Error,
    misuse: impl Fn(&Side) -> Outcome,
    problems: &mut Vec<String>,
) {
    let o = misuse(&sides[0]);
    let r = misuse(&sides[1]);
    let kind = |e: &Outcome| e.as_ref().map(std::mem::discriminant);
    if kind(&o) != kind(&r) {
        problems.push(format!(
            "{what}: error kinds differ: openssl {o:?}, rust {r:?}"
        ));
    } else if kind(&o) != Some(std::mem::discriminant(expected)) {
        problems.push(format!(
            "{what}: both backends report {o:?} / {r:?}, expected {expected:?}"
        ));
    }
}

/// A key and IV valid for `spec` (XTS halves differ by construction of [`pattern`]).
fn fixed_inputs(spec: &PairSpec) -> (Vec<u8>, Vec<u8>) {
    let key = pattern(spec.key_bits[0] / 8, 3);
    let iv = pattern(if spec.is_gcm() { 12 } else { spec.iv_len() }, 9);
    (key, iv)
}

fn encryptor(side: &Side, spec: &PairSpec) -> Result<CipherContext> {
    let (key, iv) = fixed_inputs(spec);
    build(side, spec, &key, &iv, None)?.encryptor()
}

fn decryptor(side: &Side, spec: &PairSpec) -> Result<CipherContext> {
    let (key, iv) = fixed_inputs(spec);
    build(side, spec, &key, &iv, None)?.decryptor()
}

#[test]
fn error_kinds_agree() {
    let sides = sides();
    let pairs = common_pairs(&sides);
    let mut problems = Vec::new();
    let mut checks = 0usize;
    let mut check = |what: String, expected: Error, misuse: &dyn Fn(&Side) -> Outcome| {
        checks += 1;
        compare(&sides, &what, &expected, misuse, &mut problems);
    };
    let invalid = Error::invalid("");
    for spec in &pairs {
        let bs = spec.block_bytes();
        // A whole number of blocks, at least XTS's minimum.
        let data = pattern(2 * bs.max(16), 5);

        // finalize twice -> AlreadyFinalized (encryption; decryption with a tag for GCM).
        check(
            format!("{spec}: encrypt, finalize twice"),
            Error::AlreadyFinalized,
            &|side| {
                let run = || -> Result<Vec<u8>> {
                    let mut ctx = encryptor(side, spec)?;
                    ctx.update(&data)?;
                    ctx.finalize()?;
                    ctx.finalize()
                };
                outcome(run())
            },
        );
        check(
            format!("{spec}: update after finalize"),
            Error::AlreadyFinalized,
            &|side| {
                let run = || -> Result<Vec<u8>> {
                    let mut ctx = encryptor(side, spec)?;
                    ctx.update(&data)?;
                    ctx.finalize()?;
                    ctx.update(&data)
                };
                outcome(run())
            },
        );

        // short update_into buffer -> InvalidArgument.
        check(
            format!("{spec}: update_into with a buffer one byte short"),
            invalid.clone(),
            &|side| {
                let run = || -> Result<usize> {
                    let mut ctx = encryptor(side, spec)?;
                    let mut out = vec![0; ctx.update_output_size(data.len()) - 1];
                    ctx.update_into(&data, &mut out)
                };
                outcome(run())
            },
        );

        if spec.full_blocks() {
            // partial final block -> InvalidArgument, both directions.
            for extra in [1, bs - 1] {
                let partial = pattern(bs + extra, 7);
                check(
                    format!(
                        "{spec}: encrypt {} bytes (partial final block)",
                        partial.len()
                    ),
                    invalid.clone(),
                    &|side| {
                        let run = || -> Result<Vec<u8>> {
                            let mut ctx = encryptor(side, spec)?;
                            ctx.update(&partial)?;
                            ctx.finalize()
                        };
                        outcome(run())
                    },
                );
                check(
                    format!(
                        "{spec}: decrypt {} bytes (partial final block)",
                        partial.len()
                    ),
                    invalid.clone(),
                    &|side| {
                        let run = || -> Result<Vec<u8>> {
                            let mut ctx = decryptor(side, spec)?;
                            ctx.update(&partial)?;
                            ctx.finalize()
                        };
                        outcome(run())
                    },
                );
            }
        }

        if spec.is_xts() {
            check(
                format!("{spec}: a data unit shorter than one block"),
                invalid.clone(),
                &|side| {
                    let run = || -> Result<Vec<u8>> {
                        let mut ctx = encryptor(side, spec)?;
                        ctx.update(&data[..15])?;
                        ctx.finalize()
                    };
                    outcome(run())
                },
            );
        }

        if spec.is_aead() {
            // AAD after data -> AlreadyUpdated, both directions.
            check(
                format!("{spec}: encrypt, AAD after data"),
                Error::AlreadyUpdated,
                &|side| {
                    let run = || -> Result<()> {
                        let mut ctx = encryptor(side, spec)?;
                        ctx.authenticate_additional_data(b"header")?;
                        ctx.update(&data)?;
                        ctx.authenticate_additional_data(b"late")
                    };
                    outcome(run())
                },
            );
            check(
                format!("{spec}: decrypt, AAD after data"),
                Error::AlreadyUpdated,
                &|side| {
                    let run = || -> Result<()> {
                        let mut ctx = decryptor(side, spec)?;
                        ctx.update(&data)?;
                        ctx.authenticate_additional_data(b"late")
                    };
                    outcome(run())
                },
            );
            // wrong tag -> InvalidTag: each backend's own tag with one bit flipped, and a tag
            // over different AAD.
            let sealed = |side: &Side| -> Result<(Vec<u8>, Vec<u8>)> {
                let mut ctx = encryptor(side, spec)?;
                ctx.authenticate_additional_data(b"header")?;
                let mut ct = ctx.update(&data)?;
                ct.extend(ctx.finalize()?);
                Ok((ct, ctx.tag()?.to_vec()))
            };
            for (label, aad, flip) in [
                ("a flipped tag bit", &b"header"[..], true),
                ("different AAD", &b"footer"[..], false),
            ] {
                check(
                    format!("{spec}: decrypt with {label}"),
                    Error::InvalidTag,
                    &|side| {
                        let run = || -> Result<Vec<u8>> {
                            let (ct, mut tag) = sealed(side)?;
                            if flip {
                                tag[5] ^= 0x10;
                            }
                            let mut ctx = decryptor(side, spec)?;
                            ctx.authenticate_additional_data(aad)?;
                            ctx.update(&ct)?;
                            ctx.finalize_with_tag(&tag)
                        };
                        outcome(run())
                    },
                );
            }
            // finalize twice on a decryptor -> AlreadyFinalized.
            check(
                format!("{spec}: decrypt, finalize_with_tag twice"),
                Error::AlreadyFinalized,
                &|side| {
                    let run = || -> Result<Vec<u8>> {
                        let (ct, tag) = sealed(side)?;
                        let mut ctx = decryptor(side, spec)?;
                        ctx.authenticate_additional_data(b"header")?;
                        ctx.update(&ct)?;
                        ctx.finalize_with_tag(&tag)?;
                        ctx.finalize_with_tag(&tag)
                    };
                    outcome(run())
                },
            );
            // a tag shorter than min_tag_length -> InvalidArgument.
            check(
                format!("{spec}: decrypt with a 15-byte tag at min_tag_length 16"),
                invalid.clone(),
                &|side| {
                    let run = || -> Result<Vec<u8>> {
                        let (ct, tag) = sealed(side)?;
                        let mut ctx = decryptor(side, spec)?;
                        ctx.authenticate_additional_data(b"header")?;
                        ctx.update(&ct)?;
                        ctx.finalize_with_tag(&tag[..15])
                    };
                    outcome(run())
                },
            );
        }
    }
    eprintln!(
        "agreement: {checks} misuse checks over {} pairs",
        pairs.len()
    );
    assert!(
        problems.is_empty(),
        "{} error-kind problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The one-shot `hashes::hash` and `Hmac::sign` / `Hmac::verify_tag` give what the streaming
/// contexts give, on every backend (both refuse what a backend lacks); `Blake2b` and `Blake2s`
/// need no size and give RFC 7693 appendix A's digests of "abc".
#[test]
fn one_shots_match_the_streaming_contexts() {
    use pluggable_crypto::hazmat::backends::available_backends;
    use pluggable_crypto::hazmat::primitives::hashes::{
        self, Blake2b, Blake2s, Md5, Sha1, Sha256, Sha3_256, Sha512, Sm3,
    };

    fn check<A: HashAlgorithm + Copy>(
        alg: A,
        backend: &Arc<dyn Backend>,
        failures: &mut Vec<String>,
    ) {
        let what = format!("{} on {}", alg.name(), backend.name());
        for len in [0usize, 1, 63, 64, 65, 1000] {
            let msg = pattern(len, 7);
            let streamed = Hash::with_backend(alg, backend.clone()).and_then(|mut h| {
                h.update(&msg)?;
                h.finalize()
            });
            let one_shot = hashes::hash_with_backend(alg, &msg, backend.clone());
            if outcome(streamed.clone()) != outcome(one_shot.clone())
                || streamed.is_ok() && streamed != one_shot
            {
                failures.push(format!(
                    "{what}: hash of {len} bytes: {one_shot:?} vs {streamed:?}"
                ));
            }
            let key = pattern(len % 100, 9);
            let streamed = Hmac::with_backend(&key, alg, backend.clone()).and_then(|mut m| {
                m.update(&msg)?;
                m.finalize()
            });
            let signed = Hmac::sign_with_backend(&key, alg, &msg, backend.clone());
            if outcome(streamed.clone()) != outcome(signed.clone())
                || streamed.is_ok() && streamed != signed
            {
                failures.push(format!(
                    "{what}: HMAC of {len} bytes: {signed:?} vs {streamed:?}"
                ));
            }
            let Ok(tag) = signed else { continue };
            let verify =
                |tag: &[u8]| Hmac::verify_tag_with_backend(&key, alg, &msg, tag, backend.clone());
            if let Err(e) = verify(&tag) {
                failures.push(format!("{what}: verify_tag of the right tag: {e:?}"));
            }
            let mut flipped = tag.clone();
            flipped[len % tag.len()] ^= 0x01;
            for bad in [&flipped[..], &tag[..tag.len() - 1], &[][..]] {
                if verify(bad) != Err(Error::InvalidSignature) {
                    failures.push(format!(
                        "{what}: verify_tag of a wrong tag: {:?}",
                        verify(bad)
                    ));
                }
            }
        }
    }

    let mut failures = Vec::new();
    let mut backends = available_backends();
    backends.push(pluggable_crypto::hazmat::backends::default_backend());
    for backend in &backends {
        check(Sha1, backend, &mut failures);
        check(Sha256, backend, &mut failures);
        check(Sha512, backend, &mut failures);
        check(Sha3_256, backend, &mut failures);
        check(Blake2b, backend, &mut failures);
        check(Blake2s, backend, &mut failures);
        check(Md5, backend, &mut failures);
        check(Sm3, backend, &mut failures);
        // RFC 7693 appendix A (BLAKE2b-512) and appendix B (BLAKE2s-256) of "abc".
        for (digest, want) in [
            (
                hashes::hash_with_backend(Blake2b, b"abc", backend.clone()),
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
                 7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            ),
            (
                hashes::hash_with_backend(Blake2s, b"abc", backend.clone()),
                "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
            ),
        ] {
            match digest {
                Ok(d) if hex::encode(&d) == want => {}
                Err(e) if e.is_unsupported() => eprintln!("skipped: BLAKE2 on {}", backend.name()),
                other => failures.push(format!("BLAKE2 of abc on {}: {other:?}", backend.name())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
