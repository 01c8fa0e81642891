//! Exact-fit and off-by-one tests for every caller-supplied output buffer.
//!
//! For every backend in [`available_backends`] and every (algorithm, mode) pair in its
//! `supported_ciphers()` (first listed key size), at input lengths around the block size and at
//! several split points:
//!
//! - [`CipherContext::update_into`] works with a buffer of exactly
//!   [`update_output_size`](CipherContext::update_output_size) bytes (the input length for
//!   stream ciphers and the stream modes, input + block - 1 for ECB, CBC and XTS) and returns
//!   the right count;
//!   one byte less is `Error::InvalidArgument` naming the needed size, writes nothing (the
//!   buffer is filled with a canary byte and checked), and leaves the context usable: the retry
//!   gives the output of an unbroken run.
//! - the same for [`CipherContext::finalize_into`] with
//!   [`finalize_output_size`](CipherContext::finalize_output_size) (XTS buffers the whole
//!   message, so its size is the message length + block - 1; 0 for stream modes, block - 1
//!   for ECB and CBC) and for GCM's
//!   [`CipherContext::finalize_with_tag_into`].
//! - directly on the backend contexts, [`SymmetricContext::update_into`] with every buffer
//!   size from 0 to `len + block - 1`: never a panic, never a write on failure, a failure for
//!   every buffer shorter than the output, and the exact output whenever it succeeds.
//! - the padding contexts ([`Pkcs7`], [`AnsiX923`]), which return `Vec`s: output sizes at block
//!   boundaries, off-by-one inputs to the unpadder, and padding fed through exact-size cipher
//!   buffers.
//!
//! Every check collects its failures across all cases and reports them together, so one run
//! names every broken (backend, pair, direction, length, split).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{
    available_backends, Backend, Direction, SymmetricContext,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{self, Mode, Processing};
use pluggable_crypto::hazmat::primitives::ciphers::{Cipher, CipherContext};
use pluggable_crypto::hazmat::primitives::padding::{
    AnsiX923, PaddingContext, Pkcs7, UnpaddingContext,
};
use pluggable_crypto::{Error, Result};

/// The byte every output buffer is filled with before a call, to detect writes.
const CANARY: u8 = 0xA5;

/// Additional authenticated data fed to every GCM context.
const AAD: &[u8] = b"buffer-size tests";

/// A failure description; the tests gather them and fail once with all of them.
type Check = std::result::Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

/// Fails the test with every collected failure, if any.
fn report(what: &str, cases: usize, failures: Vec<String>) {
    assert!(cases > 0, "{what}: no cases ran");
    eprintln!("{what}: {cases} cases, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{what}: {} of {cases} cases failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// Whether `message` contains `n` as a whole decimal number.
fn names_number(message: &str, n: usize) -> bool {
    let n = n.to_string();
    message
        .split(|c: char| !c.is_ascii_digit())
        .any(|token| token == n)
}

/// A deterministic byte pattern; `seed` keeps different inputs apart.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// Whether `buf` still holds only the canary.
fn untouched(buf: &[u8]) -> bool {
    buf.iter().all(|&b| b == CANARY)
}

/// How the decryption of an authenticated mode gets its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagSource {
    /// Not an authenticated decryption.
    None,
    /// Given to the mode up front; the message ends with `finalize_into`.
    InMode,
    /// Given to `finalize_with_tag_into`.
    AtFinalize,
}

/// One supported pair of one backend, with concrete parameters.
#[derive(Clone)]
struct Pair {
    backend: Arc<dyn Backend>,
    algorithm_name: String,
    mode_name: Option<String>,
    key_bits: usize,
    algorithm: Arc<dyn CipherAlgorithm>,
    /// The cipher's block in bytes; 1 for a stream cipher.
    block: usize,
}

impl std::fmt::Display for Pair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}-{} ({}-bit key)",
            self.backend.name(),
            self.algorithm_name,
            self.mode_name.as_deref().unwrap_or("stream"),
            self.key_bits
        )
    }
}

impl Pair {
    /// The algorithm descriptor for `name` with a `key_bits` key; `None` for an unknown name.
    fn algorithm(name: &str, key_bits: usize) -> Option<Arc<dyn CipherAlgorithm>> {
        let key = pattern(key_bits / 8, 1);
        let nonce = match name {
            "ChaCha20" => Some(pattern(16, 2)),
            "ChaCha20-Poly1305" => Some(pattern(12, 2)),
            _ => None,
        };
        algorithms::by_name(name, &key, nonce.as_deref()).ok()
    }

    /// The mode descriptor; `tag` is the decryption tag GCM carries (if any).
    fn mode(&self, tag: Option<&[u8]>) -> Option<Arc<dyn Mode>> {
        let name = self.mode_name.as_deref()?;
        let iv = match name {
            "ECB" => Vec::new(),
            "GCM" => pattern(12, 4),
            "XTS" => pattern(16, 5),
            _ => pattern(self.block, 3),
        };
        let tag = tag.filter(|_| name == "GCM");
        Some(modes::by_name(name, &iv, tag).unwrap_or_else(|e| panic!("mode {name:?}: {e}")))
    }

    fn processing(&self) -> Processing {
        self.mode(None)
            .map_or(Processing::Stream, |m| m.processing())
    }

    /// GCM, or the mode-less streaming ChaCha20-Poly1305 (whose decryption tag travels in the
    /// algorithm rather than a mode).
    fn is_aead(&self) -> bool {
        self.mode_name.as_deref() == Some("GCM") || self.algorithm_name == "ChaCha20-Poly1305"
    }

    fn is_xts(&self) -> bool {
        self.processing() == Processing::WholeMessage
    }

    fn is_full_blocks(&self) -> bool {
        self.processing() == Processing::FullBlocks
    }

    /// What `CipherContext::update_into` may write beyond its input: block - 1 for the modes
    /// that hold back blocks or whole messages (ECB, CBC, XTS), 0 for the rest.
    fn slack(&self) -> usize {
        if self.is_full_blocks() || self.is_xts() {
            self.block - 1
        } else {
            0
        }
    }

    fn cipher(&self, tag: Option<&[u8]>) -> Cipher {
        let backend: Arc<dyn Backend> = self.backend.clone();
        let algorithm = match (self.algorithm_name.as_str(), tag) {
            ("ChaCha20-Poly1305", Some(tag)) => Arc::new(
                pluggable_crypto::hazmat::primitives::ciphers::algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(
                    &pattern(self.key_bits / 8, 1),
                    &pattern(12, 2),
                    tag,
                )
                .unwrap(),
            ),
            _ => self.algorithm.clone(),
        };
        Cipher::with_backend(algorithm, self.mode(tag), backend)
            .unwrap_or_else(|e| panic!("{self}: building the cipher: {e}"))
    }

    /// A public context; GCM contexts have had [`AAD`] fed.
    fn context(&self, direction: Direction, tag: Option<&[u8]>) -> Result<CipherContext> {
        let cipher = self.cipher(tag);
        let mut ctx = match direction {
            Direction::Encrypt => cipher.encryptor()?,
            Direction::Decrypt => cipher.decryptor()?,
        };
        if self.is_aead() {
            ctx.authenticate_additional_data(AAD)?;
        }
        Ok(ctx)
    }

    /// A bare backend context (no AAD).
    fn backend_context(&self, direction: Direction) -> Result<Box<dyn SymmetricContext>> {
        let mode = self.mode(None);
        match direction {
            Direction::Encrypt => self
                .backend
                .create_symmetric_encryption_ctx(&*self.algorithm, mode.as_deref()),
            Direction::Decrypt => self
                .backend
                .create_symmetric_decryption_ctx(&*self.algorithm, mode.as_deref()),
        }
    }

    /// The input lengths to test: 0, 1, block - 1, block, block + 1 and 3 * block + 5; whole
    /// blocks only for ECB/CBC (plus 3 * block), at least 16 bytes for XTS.
    fn lengths(&self) -> Vec<usize> {
        let b = self.block;
        let mut lengths = vec![0, 1, b - 1, b, b + 1, 3 * b + 5];
        match self.processing() {
            Processing::FullBlocks => {
                lengths.push(3 * b);
                lengths.retain(|len| len % b == 0);
            }
            Processing::WholeMessage => lengths.retain(|&len| len >= 16),
            _ => {}
        }
        lengths.sort_unstable();
        lengths.dedup();
        lengths
    }

    /// How many bytes `update_into` returns for `len` bytes after `before` bytes.
    fn update_count(&self, before: usize, len: usize) -> usize {
        match self.processing() {
            Processing::FullBlocks => {
                let b = self.block;
                ((before + len) / b - before / b) * b
            }
            Processing::WholeMessage => 0,
            _ => len,
        }
    }
}

/// Every pair of every available backend; panics on a name this file cannot build.
fn all_pairs() -> Vec<Pair> {
    let mut pairs = Vec::new();
    for backend in available_backends() {
        let table = backend.supported_ciphers();
        // A backend with no streaming ciphers (ring: one-shot AEADs only) has nothing here; the
        // OpenSSL and Rust backends must list ciphers (checked in `every_supported_pair_is_covered`).
        if table.is_empty() {
            continue;
        }
        for support in table {
            let key_bits = *support
                .key_sizes
                .first()
                .unwrap_or_else(|| panic!("{support:?} lists no key size"));
            let algorithm = Pair::algorithm(&support.algorithm, key_bits).unwrap_or_else(|| {
                panic!(
                    "{}: cannot build a descriptor for {} with a {key_bits}-bit key; \
                     teach tests/buffers.rs this name",
                    backend.name(),
                    support.algorithm
                )
            });
            let block = algorithm.block_size().map_or(1, |bits| bits / 8);
            pairs.push(Pair {
                backend: backend.clone(),
                algorithm_name: support.algorithm,
                mode_name: support.mode,
                key_bits,
                algorithm,
                block,
            });
        }
    }
    pairs
}

/// Split points of a `len`-byte input: 0, 1, the middle, len - 1 and len.
fn splits(len: usize) -> Vec<usize> {
    let mut splits: Vec<usize> = [0, 1, len / 2, len.saturating_sub(1), len]
        .into_iter()
        .filter(|&s| s <= len)
        .collect();
    splits.sort_unstable();
    splits.dedup();
    splits
}

/// Checks that a buffer of `need - 1` bytes is refused with `InvalidArgument` naming `need`
/// and left untouched. `call` runs the operation into the buffer it is given.
fn one_short(what: &str, need: usize, call: impl FnOnce(&mut [u8]) -> Result<usize>) -> Check {
    let mut buf = vec![CANARY; need - 1];
    match call(&mut buf) {
        Err(Error::InvalidArgument(message)) => ensure!(
            names_number(&message, need),
            "{what}: the error for a {}-byte buffer does not name the needed {need} bytes: \
             {message:?}",
            need - 1
        ),
        other => {
            return Err(format!(
                "{what}: a {}-byte buffer (need {need}) gave {other:?}, not InvalidArgument",
                need - 1
            ))
        }
    }
    ensure!(
        untouched(&buf),
        "{what}: the refused {}-byte buffer was written to: {buf:02x?}",
        need - 1
    );
    Ok(())
}

/// Runs the operation into a buffer of exactly `need` bytes; checks the count and that
/// nothing was written past it; returns the output.
fn exact_fit(
    what: &str,
    need: usize,
    expected: usize,
    call: impl FnOnce(&mut [u8]) -> Result<usize>,
) -> std::result::Result<Vec<u8>, String> {
    let mut buf = vec![CANARY; need];
    let n = call(&mut buf).map_err(|e| format!("{what}: an exact {need}-byte buffer: {e:?}"))?;
    ensure!(
        n == expected,
        "{what}: returned {n} bytes written, expected {expected}"
    );
    ensure!(
        untouched(&buf[n..]),
        "{what}: wrote past the {n} bytes it reported: {:02x?}",
        &buf[n..]
    );
    buf.truncate(n);
    Ok(buf)
}

/// The output (and GCM tag) of an unbroken run over `input` through the `Vec` API.
fn unbroken(
    pair: &Pair,
    direction: Direction,
    input: &[u8],
    tag: Option<&[u8]>,
) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let mut ctx = pair.context(direction, None)?;
    let mut out = ctx.update(input)?;
    match tag {
        Some(tag) => out.extend(ctx.finalize_with_tag(tag)?),
        None => out.extend(ctx.finalize()?),
    }
    let tag = match direction {
        Direction::Encrypt if pair.is_aead() => Some(ctx.tag()?.to_vec()),
        _ => None,
    };
    Ok((out, tag))
}

/// One full message through `update_into` (two pieces split at `split`) and the finishing
/// call, each first with a buffer one byte short, then with the exact size.
fn context_case(
    pair: &Pair,
    direction: Direction,
    tag_source: TagSource,
    len: usize,
    split: usize,
) -> Check {
    let label = format!("{pair} {direction:?} {tag_source:?} len={len} split={split}");
    let plain = pattern(len, 9);
    // The input and the output an unbroken run gives; for GCM decryption, a real ciphertext
    // and tag (so the tag check passes).
    let (input, expected, expected_tag, tag) = match direction {
        Direction::Encrypt => {
            let (out, tag) = unbroken(pair, direction, &plain, None)
                .map_err(|e| format!("{label}: unbroken run: {e:?}"))?;
            (plain, out, tag, None)
        }
        Direction::Decrypt if pair.is_aead() => {
            let (ciphertext, tag) = unbroken(pair, Direction::Encrypt, &plain, None)
                .map_err(|e| format!("{label}: encrypting: {e:?}"))?;
            let tag = tag.ok_or_else(|| format!("{label}: no tag"))?;
            let (out, _) = unbroken(pair, direction, &ciphertext, Some(&tag))
                .map_err(|e| format!("{label}: unbroken run: {e:?}"))?;
            ensure!(
                out == plain,
                "{label}: the unbroken run does not round-trip"
            );
            (ciphertext, out, None, Some(tag))
        }
        Direction::Decrypt => {
            let (out, _) = unbroken(pair, direction, &plain, None)
                .map_err(|e| format!("{label}: unbroken run: {e:?}"))?;
            (plain, out, None, None)
        }
    };

    let mode_tag = match tag_source {
        TagSource::InMode => tag.as_deref(),
        _ => None,
    };
    let mut ctx = pair
        .context(direction, mode_tag)
        .map_err(|e| format!("{label}: context: {e:?}"))?;
    let mut output = Vec::new();
    let mut before = 0;
    for (i, piece) in [&input[..split], &input[split..]].into_iter().enumerate() {
        let what = format!("{label}: update_into #{} of {} bytes", i + 1, piece.len());
        let need = ctx.update_output_size(piece.len());
        ensure!(
            need == piece.len() + pair.slack(),
            "{what}: update_output_size is {need}, expected len + {} = {}",
            pair.slack(),
            piece.len() + pair.slack()
        );
        if need > 0 {
            one_short(&what, need, |buf| ctx.update_into(piece, buf))?;
        }
        let expected_count = pair.update_count(before, piece.len());
        output.extend(exact_fit(&what, need, expected_count, |buf| {
            ctx.update_into(piece, buf)
        })?);
        before += piece.len();
    }

    let need = ctx.finalize_output_size();
    let (expected_need, expected_count) = if pair.is_xts() {
        (len + pair.block - 1, len)
    } else {
        (pair.slack(), 0)
    };
    let finisher = match tag_source {
        TagSource::AtFinalize => "finalize_with_tag_into",
        _ => "finalize_into",
    };
    let what = format!("{label}: {finisher}");
    ensure!(
        need == expected_need,
        "{what}: finalize_output_size is {need}, expected {expected_need}"
    );
    let finish = |ctx: &mut CipherContext, buf: &mut [u8]| match (tag_source, &tag) {
        (TagSource::AtFinalize, Some(tag)) => ctx.finalize_with_tag_into(tag, buf),
        _ => ctx.finalize_into(buf),
    };
    if need > 0 {
        one_short(&what, need, |buf| finish(&mut ctx, buf))?;
    }
    output.extend(exact_fit(&what, need, expected_count, |buf| {
        finish(&mut ctx, buf)
    })?);

    ensure!(
        output == expected,
        "{label}: the output after the refused buffers differs from an unbroken run:\n    \
         got      {output:02x?}\n    expected {expected:02x?}"
    );
    if let Some(expected_tag) = expected_tag {
        let tag = ctx.tag().map_err(|e| format!("{label}: tag: {e:?}"))?;
        ensure!(
            tag == expected_tag.as_slice(),
            "{label}: tag {tag:02x?} differs from an unbroken run's {expected_tag:02x?}"
        );
    }
    Ok(())
}

/// Runs [`context_case`] over every pair, length and split for `direction`.
fn every_context_case(direction: Direction) {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs() {
        let sources: &[TagSource] = match (direction, pair.is_aead()) {
            (Direction::Decrypt, true) => &[TagSource::InMode, TagSource::AtFinalize],
            _ => &[TagSource::None],
        };
        for &source in sources {
            for len in pair.lengths() {
                for split in splits(len) {
                    cases += 1;
                    if let Err(failure) = context_case(&pair, direction, source, len, split) {
                        failures.push(failure);
                    }
                }
            }
        }
    }
    report(&format!("CipherContext {direction:?}"), cases, failures);
}

#[test]
fn cipher_context_encrypt_exact_and_one_short_every_pair() {
    every_context_case(Direction::Encrypt);
}

#[test]
fn cipher_context_decrypt_exact_and_one_short_every_pair() {
    every_context_case(Direction::Decrypt);
}

/// A refused `update_into` is not an update: the AAD phase of a GCM message stays open, so
/// more AAD is still accepted, and the tag is that of AAD₁‖AAD₂ and the data.
#[test]
fn gcm_refused_update_into_leaves_aad_phase_open() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs().into_iter().filter(Pair::is_aead) {
        cases += 1;
        let check = || -> std::result::Result<(), String> {
            let data = pattern(23, 11);
            let more_aad = b"and more";
            let whole_aad = [AAD, more_aad].concat();

            let mut reference = pair.cipher(None).encryptor().map_err(|e| e.to_string())?;
            reference
                .authenticate_additional_data(&whole_aad)
                .map_err(|e| e.to_string())?;
            let mut expected = reference.update(&data).map_err(|e| e.to_string())?;
            expected.extend(reference.finalize().map_err(|e| e.to_string())?);
            let expected_tag = reference.tag().map_err(|e| e.to_string())?.to_vec();

            let mut ctx = pair
                .context(Direction::Encrypt, None)
                .map_err(|e| e.to_string())?;
            let need = ctx.update_output_size(data.len());
            one_short(&format!("{pair}"), need, |buf| ctx.update_into(&data, buf))?;
            ctx.authenticate_additional_data(more_aad).map_err(|e| {
                format!("{pair}: AAD after a refused update_into was rejected: {e:?}")
            })?;
            let mut out = ctx.update(&data).map_err(|e| e.to_string())?;
            out.extend(ctx.finalize().map_err(|e| e.to_string())?);
            ensure!(out == expected, "{pair}: ciphertext differs");
            let tag = ctx.tag().map_err(|e| e.to_string())?;
            ensure!(tag == expected_tag.as_slice(), "{pair}: tag differs");
            Ok(())
        };
        if let Err(failure) = check() {
            failures.push(failure);
        }
    }
    report("GCM AAD after a refused update_into", cases, failures);
}

/// A refused `finalize_with_tag_into` checks no tag and ends nothing: the retry with the
/// right size still verifies (and a wrong tag is still `InvalidTag` afterwards).
#[test]
fn gcm_refused_finalize_with_tag_into_still_verifies() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs().into_iter().filter(Pair::is_aead) {
        for wrong in [false, true] {
            cases += 1;
            let check = || -> std::result::Result<(), String> {
                let (ciphertext, tag) = unbroken(&pair, Direction::Encrypt, &pattern(40, 12), None)
                    .map_err(|e| e.to_string())?;
                let mut tag = tag.ok_or("no tag")?;
                if wrong {
                    tag[0] ^= 1;
                }
                let mut ctx = pair
                    .context(Direction::Decrypt, None)
                    .map_err(|e| e.to_string())?;
                ctx.update(&ciphertext).map_err(|e| e.to_string())?;
                let need = ctx.finalize_output_size();
                let what = format!("{pair} wrong_tag={wrong}");
                // A stream AEAD (ChaCha20-Poly1305) needs no finalize room: no buffer is short.
                if need > 0 {
                    one_short(&what, need, |buf| ctx.finalize_with_tag_into(&tag, buf))?;
                }
                let mut buf = vec![CANARY; need];
                let result = ctx.finalize_with_tag_into(&tag, &mut buf);
                match (wrong, result) {
                    (false, Ok(0)) | (true, Err(Error::InvalidTag)) => {}
                    (_, other) => return Err(format!("{what}: the retry gave {other:?}")),
                }
                ensure!(untouched(&buf), "{what}: the retry wrote {buf:02x?}");
                Ok(())
            };
            if let Err(failure) = check() {
                failures.push(failure);
            }
        }
    }
    report("GCM finalize_with_tag_into retry", cases, failures);
}

/// One backend-context `update_into` of `len` bytes after a `prefix`-byte update, tried with
/// every buffer size from 0 to `len + block - 1`.
fn backend_case(pair: &Pair, direction: Direction, prefix: usize, len: usize) -> Check {
    let label = format!("{pair} {direction:?} backend context prefix={prefix} len={len}");
    let prefix_data = pattern(prefix, 13);
    let data = pattern(len, 14);
    let full = len + pair.block - 1;
    let fresh = || -> std::result::Result<Box<dyn SymmetricContext>, String> {
        let mut ctx = pair
            .backend_context(direction)
            .map_err(|e| format!("{label}: creating the context: {e:?}"))?;
        if prefix > 0 {
            let mut buf = vec![0; prefix + pair.block - 1];
            ctx.update_into(&prefix_data, &mut buf)
                .map_err(|e| format!("{label}: the prefix update: {e:?}"))?;
        }
        Ok(ctx)
    };

    let mut reference = fresh()?;
    let mut buf = vec![0; full];
    let n = reference
        .update_into(&data, &mut buf)
        .map_err(|e| format!("{label}: with a {full}-byte buffer: {e:?}"))?;
    let expected_count = match pair.processing() {
        Processing::WholeMessage => len,
        _ => pair.update_count(prefix, len),
    };
    ensure!(
        n == expected_count,
        "{label}: wrote {n} bytes, expected {expected_count}"
    );
    let expected = &buf[..n];

    for size in 0..=full {
        let mut ctx = fresh()?;
        let mut buf = vec![CANARY; size];
        let result = catch_unwind(AssertUnwindSafe(|| ctx.update_into(&data, &mut buf)));
        match result {
            Err(_) => return Err(format!("{label}: a {size}-byte buffer panicked")),
            Ok(Ok(n)) => {
                ensure!(
                    size >= expected.len(),
                    "{label}: accepted a {size}-byte buffer for {} bytes of output",
                    expected.len()
                );
                ensure!(
                    &buf[..n] == expected,
                    "{label}: a {size}-byte buffer got different output"
                );
                ensure!(
                    untouched(&buf[n..]),
                    "{label}: a {size}-byte buffer was written past the {n} bytes reported"
                );
            }
            Ok(Err(error)) => {
                ensure!(
                    untouched(&buf),
                    "{label}: the refused {size}-byte buffer ({error:?}) was written to"
                );
                ensure!(
                    size < full,
                    "{label}: refused a {size}-byte buffer (the documented need): {error:?}"
                );
                let mut retry = vec![0; full];
                let n = catch_unwind(AssertUnwindSafe(|| ctx.update_into(&data, &mut retry)))
                    .map_err(|_| format!("{label}: the retry after a refusal panicked"))?
                    .map_err(|e| format!("{label}: the retry after a refusal failed: {e:?}"))?;
                ensure!(
                    &retry[..n] == expected,
                    "{label}: the retry after refusing a {size}-byte buffer gave other output"
                );
            }
        }
    }
    Ok(())
}

fn every_backend_case(direction: Direction) {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs() {
        let prefixes = if pair.is_xts() {
            // One data unit per backend call.
            vec![0]
        } else {
            let mut p = vec![0, 1, pair.block - 1];
            p.sort_unstable();
            p.dedup();
            p
        };
        let mut lengths = vec![
            0,
            1,
            pair.block - 1,
            pair.block,
            pair.block + 1,
            3 * pair.block + 5,
        ];
        if pair.is_xts() {
            lengths.retain(|&len| len >= 16);
        }
        lengths.sort_unstable();
        lengths.dedup();
        for &prefix in &prefixes {
            for &len in &lengths {
                cases += 1;
                if let Err(failure) = backend_case(&pair, direction, prefix, len) {
                    failures.push(failure);
                }
            }
        }
    }
    report(&format!("backend contexts {direction:?}"), cases, failures);
}

#[test]
fn backend_context_update_into_every_buffer_size_encrypt() {
    every_backend_case(Direction::Encrypt);
}

#[test]
fn backend_context_update_into_every_buffer_size_decrypt() {
    every_backend_case(Direction::Decrypt);
}

/// The size helpers follow the documented formulas and saturate instead of overflowing.
#[test]
fn output_size_helpers() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs() {
        cases += 1;
        let check = || -> Check {
            let ctx = pair
                .context(Direction::Encrypt, None)
                .map_err(|e| e.to_string())?;
            for len in [0, 1, 7, 1000] {
                ensure!(
                    ctx.update_output_size(len) == len + pair.slack(),
                    "{pair}: update_output_size({len})"
                );
            }
            ensure!(
                ctx.update_output_size(usize::MAX) == usize::MAX,
                "{pair}: update_output_size(usize::MAX) does not saturate"
            );
            ensure!(
                ctx.finalize_output_size() == pair.slack(),
                "{pair}: finalize_output_size of an empty message is {}",
                ctx.finalize_output_size()
            );
            Ok(())
        };
        if let Err(failure) = check() {
            failures.push(failure);
        }
    }
    report("size helpers", cases, failures);
}

/// The pair list is what this file claims to cover: every name is known, and the pairs both
/// backends always have are there.
#[test]
fn every_supported_pair_is_covered() {
    let pairs = all_pairs();
    let with_ciphers = available_backends()
        .iter()
        .filter(|b| !b.supported_ciphers().is_empty())
        .count();
    assert_eq!(
        with_ciphers,
        usize::from(cfg!(feature = "openssl")) + usize::from(cfg!(feature = "rust")),
        "the OpenSSL and Rust backends must list streaming ciphers"
    );
    for backend in available_backends()
        .into_iter()
        .filter(|b| !b.supported_ciphers().is_empty())
    {
        let names: Vec<String> = pairs
            .iter()
            .filter(|p| p.backend.name() == backend.name())
            .map(|p| {
                format!(
                    "{}-{}",
                    p.algorithm_name,
                    p.mode_name.as_deref().unwrap_or("")
                )
            })
            .collect();
        for needed in [
            "AES-CBC",
            "AES-ECB",
            "AES-GCM",
            "AES-XTS",
            "AES-CTR",
            "ChaCha20-",
        ] {
            assert!(
                names.iter().any(|n| n == needed),
                "{}: {needed} missing from {names:?}",
                backend.name()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Padding
// ---------------------------------------------------------------------------------------------

/// The padding schemes under test, by name, for a block of `bits`.
fn padders(bits: usize) -> Vec<(&'static str, PaddingContext, UnpaddingContext)> {
    let pkcs7 = Pkcs7::new(bits).unwrap();
    let x923 = AnsiX923::new(bits).unwrap();
    vec![
        ("PKCS7", pkcs7.padder(), pkcs7.unpadder()),
        ("ANSIX923", x923.padder(), x923.unpadder()),
    ]
}

/// The padder returns exactly the whole blocks completed so far and then one block; the
/// unpadder holds back exactly one block until `finalize`, at every split.
#[test]
fn padding_output_sizes_at_block_boundaries() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for bits in [64, 128] {
        let b = bits / 8;
        for len in [0, 1, b - 1, b, b + 1, 2 * b, 3 * b + 5] {
            for split in splits(len) {
                for (name, mut padder, _) in padders(bits) {
                    cases += 1;
                    let mut check = || -> Check {
                        let label = format!("{name}/{bits} len={len} split={split}");
                        let data = pattern(len, 15);
                        let first = padder.update(&data[..split]).map_err(|e| e.to_string())?;
                        ensure!(
                            first.len() == split / b * b,
                            "{label}: first update returned {} bytes",
                            first.len()
                        );
                        let second = padder.update(&data[split..]).map_err(|e| e.to_string())?;
                        ensure!(
                            second.len() == len / b * b - split / b * b,
                            "{label}: second update returned {} bytes",
                            second.len()
                        );
                        let last = padder.finalize().map_err(|e| e.to_string())?;
                        ensure!(
                            last.len() == b,
                            "{label}: finalize returned {} bytes",
                            last.len()
                        );
                        let padded = [first, second, last].concat();
                        ensure!(padded.len() == (len / b + 1) * b, "{label}: padded length");
                        ensure!(padded[..len] == data[..], "{label}: data changed");

                        for usplit in splits(padded.len()) {
                            let (_, _, mut unpadder) = padders(bits)
                                .into_iter()
                                .find(|(n, _, _)| *n == name)
                                .ok_or("scheme")?;
                            let a = unpadder
                                .update(&padded[..usplit])
                                .map_err(|e| e.to_string())?;
                            let c = unpadder
                                .update(&padded[usplit..])
                                .map_err(|e| e.to_string())?;
                            ensure!(
                                a.len() + c.len() == padded.len() - b,
                                "{label}: unpadder released {} bytes before finalize (split {usplit})",
                                a.len() + c.len()
                            );
                            let z = unpadder.finalize().map_err(|e| e.to_string())?;
                            ensure!(
                                [a, c, z].concat() == data,
                                "{label}: unpadding at split {usplit} does not round-trip"
                            );
                        }
                        Ok(())
                    };
                    if let Err(failure) = check() {
                        failures.push(failure);
                    }
                }
            }
        }
    }
    report("padding sizes", cases, failures);
}

/// Off by one around valid padding: one byte missing or extra, and the pad length one past the
/// block, are all the single padding error; a pad length of exactly one block is valid.
#[test]
fn unpadding_off_by_one_inputs() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for bits in [64, 128] {
        let b = bits / 8;
        for len in [0, 1, b - 1, b, b + 1] {
            for (name, mut padder, _) in padders(bits) {
                let label = format!("{name}/{bits} len={len}");
                let data = pattern(len, 16);
                let mut padded = padder.update(&data).unwrap();
                padded.extend(padder.finalize().unwrap());
                let unpad = |input: &[u8]| -> Result<Vec<u8>> {
                    let (_, _, mut u) = padders(bits)
                        .into_iter()
                        .find(|(n, _, _)| *n == name)
                        .unwrap();
                    let mut out = u.update(input)?;
                    out.extend(u.finalize()?);
                    Ok(out)
                };
                let mut extra = padded.clone();
                extra.push(padded[padded.len() - 1]);
                let mut too_long_pad = padded.clone();
                let last = too_long_pad.len() - 1;
                too_long_pad[last] = (b + 1) as u8;
                for (what, input) in [
                    ("one byte short", &padded[..padded.len() - 1]),
                    ("one byte extra", &extra[..]),
                    ("pad length block + 1", &too_long_pad[..]),
                ] {
                    cases += 1;
                    match unpad(input) {
                        Err(Error::InvalidArgument(m)) if m == "invalid padding bytes" => {}
                        other => failures.push(format!("{label}: {what}: {other:?}")),
                    }
                }
                cases += 1;
                match unpad(&padded) {
                    Ok(out) if out == data => {}
                    other => failures.push(format!("{label}: valid padding: {other:?}")),
                }
            }
        }
        // A whole block of padding (pad length == block) is valid for both schemes.
        for (name, _, mut unpadder) in padders(bits) {
            cases += 1;
            let block: Vec<u8> = match name {
                "PKCS7" => vec![b as u8; b],
                _ => [vec![0; b - 1], vec![b as u8]].concat(),
            };
            let out = unpadder.update(&block).unwrap();
            match unpadder.finalize() {
                Ok(rest) if out.is_empty() && rest.is_empty() => {}
                other => {
                    failures.push(format!("{name}/{bits}: a full block of padding: {other:?}"))
                }
            }
        }
    }
    report("unpadding off-by-one", cases, failures);
}

/// Padding through the whole-block modes with exact-size `update_into`/`finalize_into`
/// buffers, both ways, on every ECB/CBC pair.
#[test]
fn padded_whole_block_modes_through_exact_buffers() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for pair in all_pairs().into_iter().filter(Pair::is_full_blocks) {
        let bits = pair.block * 8;
        for len in [0, 1, pair.block - 1, pair.block, 3 * pair.block + 5] {
            for scheme in 0..2 {
                cases += 1;
                let check = || -> Check {
                    let (name, mut padder, mut unpadder) = padders(bits).swap_remove(scheme);
                    let label = format!("{pair} {name} len={len}");
                    let data = pattern(len, 17);
                    let run = |direction,
                               chunks: Vec<Vec<u8>>|
                     -> std::result::Result<Vec<u8>, String> {
                        let mut ctx = pair.context(direction, None).map_err(|e| e.to_string())?;
                        let mut out = Vec::new();
                        let mut before = 0;
                        for chunk in chunks {
                            let need = ctx.update_output_size(chunk.len());
                            let what = format!("{label} {direction:?} update_into");
                            if need > 0 {
                                one_short(&what, need, |buf| ctx.update_into(&chunk, buf))?;
                            }
                            let count = pair.update_count(before, chunk.len());
                            out.extend(exact_fit(&what, need, count, |buf| {
                                ctx.update_into(&chunk, buf)
                            })?);
                            before += chunk.len();
                        }
                        let need = ctx.finalize_output_size();
                        let what = format!("{label} {direction:?} finalize_into");
                        one_short(&what, need, |buf| ctx.finalize_into(buf))?;
                        out.extend(exact_fit(&what, need, 0, |buf| ctx.finalize_into(buf))?);
                        Ok(out)
                    };
                    let padded_chunks = vec![
                        padder.update(&data[..len / 2]).map_err(|e| e.to_string())?,
                        padder.update(&data[len / 2..]).map_err(|e| e.to_string())?,
                        padder.finalize().map_err(|e| e.to_string())?,
                    ];
                    let ciphertext = run(Direction::Encrypt, padded_chunks)?;
                    ensure!(
                        ciphertext.len() == (len / pair.block + 1) * pair.block,
                        "{label}: ciphertext length {}",
                        ciphertext.len()
                    );
                    let third = ciphertext.len() / 3;
                    let padded = run(
                        Direction::Decrypt,
                        vec![ciphertext[..third].to_vec(), ciphertext[third..].to_vec()],
                    )?;
                    let mut out = unpadder.update(&padded).map_err(|e| e.to_string())?;
                    out.extend(unpadder.finalize().map_err(|e| format!("{label}: {e}"))?);
                    ensure!(out == data, "{label}: does not round-trip");
                    Ok(())
                };
                if let Err(failure) = check() {
                    failures.push(failure);
                }
            }
        }
    }
    report("padded ECB/CBC with exact buffers", cases, failures);
}
