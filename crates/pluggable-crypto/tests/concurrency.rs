//! Thread safety: backends shared between threads compute exactly what they compute alone, and
//! contexts can move between threads mid-message.
//!
//! The oracle is the same computation done single-threaded, on the main thread, before any
//! worker starts: every worker recomputes its items concurrently with seven others on the same
//! shared backend and must get byte-identical results. Where several backends are compiled in,
//! their single-threaded results must also agree with each other.
//!
//! The `Send`/`Sync` guarantees the interfaces promise are checked at compile time by
//! [`auto_traits`].

use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
#[cfg(feature = "openssl")]
use pluggable_crypto::hazmat::backends::openssl::{self, OpenSslBackend};
#[cfg(feature = "rust")]
use pluggable_crypto::hazmat::backends::rust::{self, RustBackend};
use pluggable_crypto::hazmat::backends::{
    available_backends, default_backend, Backend, HashContext, HmacContext, SymmetricContext,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, ChaCha20};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{Cbc, Ctr, Gcm};
use pluggable_crypto::hazmat::primitives::ciphers::{
    Cipher, CipherContext, IntoAlgorithm, IntoMode,
};
use pluggable_crypto::hazmat::primitives::hashes::{
    Blake2b, Hash, HashAlgorithm, Sha256, Sha3_256,
};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::{Error, Result};

/// Worker threads per test.
const THREADS: usize = 8;
/// Work items per worker (fewer in unoptimized builds, where the Rust backend is slow).
const ITERATIONS: usize = if cfg!(debug_assertions) { 60 } else { 300 };
/// The longest message of a work item, in bytes.
const MAX_LEN: usize = 3000;

// ---------------------------------------------------------------------------------------------
// Deterministic inputs.
// ---------------------------------------------------------------------------------------------

/// SplitMix64: a tiny deterministic generator, good enough for test inputs.
struct Rng(u64);

impl Rng {
    /// The generator of work item `iteration` of worker `thread` (distinct per pair).
    fn for_item(thread: usize, iteration: usize) -> Self {
        Rng(((thread as u64) << 32 | iteration as u64) ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }

    fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len())]
    }

    /// Splits `len` bytes into chunk lengths (1 to 700 bytes, some empty chunks too).
    fn chunks(&mut self, len: usize) -> Vec<usize> {
        let mut sizes = Vec::new();
        let mut left = len;
        while left > 0 {
            let n = match self.below(8) {
                0 => 0,
                1 => 1,
                _ => 1 + self.below(left.min(700)),
            };
            let n = n.min(left);
            sizes.push(n);
            left -= n;
        }
        sizes
    }
}

// ---------------------------------------------------------------------------------------------
// One work item: every primitive once, on one backend.
// ---------------------------------------------------------------------------------------------

/// Which backend a work item runs on.
#[derive(Clone)]
enum Target {
    /// The primitives' own default (`Cipher::new`, `Hash::new`, `Hmac::new`), which fetch
    /// `default_backend()` on every call.
    ImplicitDefault,
    /// An explicit backend object, shared by every thread.
    Explicit(Arc<dyn Backend>),
}

impl Target {
    fn cipher(&self, algorithm: impl IntoAlgorithm, mode: impl IntoMode) -> Result<Cipher> {
        match self {
            Target::ImplicitDefault => Cipher::new(algorithm, mode),
            Target::Explicit(backend) => {
                let backend: Arc<dyn Backend> = backend.clone();
                Cipher::with_backend(algorithm, mode, backend)
            }
        }
    }

    fn hash(&self, algorithm: impl HashAlgorithm) -> Result<Hash> {
        match self {
            Target::ImplicitDefault => Hash::new(algorithm),
            Target::Explicit(backend) => Hash::with_backend(algorithm, backend.clone()),
        }
    }

    fn hmac(&self, key: &[u8], algorithm: impl HashAlgorithm) -> Result<Hmac> {
        match self {
            Target::ImplicitDefault => Hmac::new(key, algorithm),
            Target::Explicit(backend) => Hmac::with_backend(key, algorithm, backend.clone()),
        }
    }
}

/// The labelled results of one work item, in a fixed order.
type Outcome = Vec<(&'static str, Vec<u8>)>;

fn ensure(condition: bool, what: &str) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(Error::Backend(format!("self-check failed: {what}")))
    }
}

/// Feeds `data` to `ctx` in the chunks `rng` picks, alternating `update` and `update_into`.
fn feed(ctx: &mut CipherContext, data: &[u8], rng: &mut Rng) -> Result<Vec<u8>> {
    let mut output = Vec::with_capacity(data.len() + 16);
    let mut rest = data;
    for size in rng.chunks(data.len()) {
        let (now, later) = rest.split_at(size);
        if rng.below(2) == 0 {
            output.extend(ctx.update(now)?);
        } else {
            let mut buf = vec![0xA5; ctx.update_output_size(now.len())];
            let n = ctx.update_into(now, &mut buf)?;
            output.extend_from_slice(&buf[..n]);
        }
        rest = later;
    }
    Ok(output)
}

/// Encrypts then decrypts `data` with an unauthenticated cipher, checking the round trip.
fn round_trip(cipher: &Cipher, data: &[u8], rng: &mut Rng) -> Result<Vec<u8>> {
    let mut encryptor = cipher.encryptor()?;
    let mut ciphertext = feed(&mut encryptor, data, rng)?;
    ciphertext.extend(encryptor.finalize()?);
    ensure(ciphertext.len() == data.len(), "ciphertext length")?;
    let mut decryptor = cipher.decryptor()?;
    let mut plaintext = feed(&mut decryptor, &ciphertext, rng)?;
    plaintext.extend(decryptor.finalize()?);
    ensure(plaintext == data, "decryption recovers the plaintext")?;
    Ok(ciphertext)
}

/// A streaming hash over `data` split at `split`, plus the digest of a copy taken at the split
/// and fed `extra` instead.
fn hash_with_copy(
    target: &Target,
    algorithm: impl HashAlgorithm + Copy,
    data: &[u8],
    split: usize,
    extra: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut hash = target.hash(algorithm)?;
    hash.update(&data[..split])?;
    let mut copy = hash.copy()?;
    hash.update(&data[split..])?;
    copy.update(extra)?;
    let copy_digest = copy.finalize()?;
    let digest = hash.finalize()?;
    ensure(
        digest.len() == algorithm.digest_size(),
        "digest length matches the algorithm",
    )?;
    Ok((digest, copy_digest))
}

/// Work item `iteration` of worker `thread`: AES-GCM/CBC/CTR and ChaCha20 round trips,
/// SHA-256/SHA3-256/BLAKE2b with `copy`, HMAC-SHA256 with `verify`, on inputs derived from the
/// pair alone.
fn work(target: &Target, thread: usize, iteration: usize) -> Result<Outcome> {
    let mut rng = Rng::for_item(thread, iteration);
    let data = {
        let len = rng.below(MAX_LEN + 1);
        rng.bytes(len)
    };
    let mut out: Outcome = Vec::new();

    // AES-GCM, with AAD, tag given to finalize_with_tag or to the mode.
    let key_len = rng.pick(&[16, 24, 32]);
    let key = rng.bytes(key_len);
    let iv = {
        let iv_len = rng.pick(&[12, 12, 8, 16, 64]);
        rng.bytes(iv_len)
    };
    let aad = {
        let aad_len = rng.below(80);
        rng.bytes(aad_len)
    };
    let cipher = target.cipher(Aes::new(&key)?, Gcm::new(&iv)?)?;
    let mut encryptor = cipher.encryptor()?;
    encryptor.authenticate_additional_data(&aad)?;
    let mut ciphertext = feed(&mut encryptor, &data, &mut rng)?;
    ciphertext.extend(encryptor.finalize()?);
    let tag = encryptor.tag()?.to_vec();
    ensure(tag.len() == 16, "GCM tag is 16 bytes")?;
    let mut decryptor = if rng.below(2) == 0 {
        cipher.decryptor()?
    } else {
        target
            .cipher(Aes::new(&key)?, Gcm::with_decryption_tag(&iv, &tag)?)?
            .decryptor()?
    };
    decryptor.authenticate_additional_data(&aad)?;
    let mut plaintext = feed(&mut decryptor, &ciphertext, &mut rng)?;
    plaintext.extend(match decryptor.finalize() {
        Err(Error::InvalidArgument(_)) => decryptor.finalize_with_tag(&tag)?,
        other => other?,
    });
    ensure(plaintext == data, "GCM decryption recovers the plaintext")?;
    let mut forged = tag.clone();
    forged[rng.below(16)] ^= 1 << rng.below(8);
    let mut decryptor = cipher.decryptor()?;
    decryptor.authenticate_additional_data(&aad)?;
    feed(&mut decryptor, &ciphertext, &mut rng)?;
    ensure(
        decryptor.finalize_with_tag(&forged) == Err(Error::InvalidTag),
        "GCM rejects a forged tag",
    )?;
    out.push(("aes-gcm ciphertext", ciphertext));
    out.push(("aes-gcm tag", tag));

    // AES-CBC over the whole blocks of the data.
    let key = rng.bytes(key_len);
    let iv = rng.bytes(16);
    let whole = &data[..data.len() / 16 * 16];
    let cipher = target.cipher(Aes::new(&key)?, Cbc::new(&iv)?)?;
    out.push(("aes-cbc ciphertext", round_trip(&cipher, whole, &mut rng)?));

    // AES-CTR, sometimes with a counter about to carry across its 32- and 64-bit words.
    let key = rng.bytes(key_len);
    let mut nonce = rng.bytes(16);
    if rng.below(2) == 0 {
        nonce[8..15].fill(0xFF);
    }
    let cipher = target.cipher(Aes::new(&key)?, Ctr::new(&nonce)?)?;
    out.push(("aes-ctr ciphertext", round_trip(&cipher, &data, &mut rng)?));

    // ChaCha20, sometimes with the 32-bit block counter about to wrap into the nonce word.
    let key = rng.bytes(32);
    let mut nonce = rng.bytes(16);
    if rng.below(2) == 0 {
        nonce[..4].copy_from_slice(&[0xFE, 0xFF, 0xFF, 0xFF]);
    }
    let cipher = target.cipher(ChaCha20::new(&key, &nonce)?, None)?;
    out.push(("chacha20 ciphertext", round_trip(&cipher, &data, &mut rng)?));

    // Hashes with copy().
    let split = rng.below(data.len() + 1);
    let extra = {
        let extra_len = rng.below(200);
        rng.bytes(extra_len)
    };
    let (digest, copied) = hash_with_copy(target, Sha256, &data, split, &extra)?;
    out.push(("sha256", digest));
    out.push(("sha256 of copy", copied));
    let (digest, copied) = hash_with_copy(target, Sha3_256, &data, split, &extra)?;
    out.push(("sha3-256", digest));
    out.push(("sha3-256 of copy", copied));
    let (digest, copied) = hash_with_copy(target, Blake2b, &data, split, &extra)?;
    out.push(("blake2b", digest));
    out.push(("blake2b of copy", copied));

    // HMAC-SHA256 with verify.
    let mac_key = {
        let key_len = rng.below(150);
        rng.bytes(key_len)
    };
    let mut mac = target.hmac(&mac_key, Sha256)?;
    let mut rest = &data[..];
    for size in rng.chunks(data.len()) {
        let (now, later) = rest.split_at(size);
        mac.update(now)?;
        rest = later;
    }
    let verifier = mac.copy()?;
    let wrong = mac.copy()?;
    let tag = mac.finalize()?;
    ensure(tag.len() == 32, "HMAC-SHA256 tag is 32 bytes")?;
    verifier.verify(&tag)?;
    let mut bad = tag.clone();
    bad[rng.below(32)] ^= 0x80;
    ensure(
        wrong.verify(&bad) == Err(Error::InvalidSignature),
        "HMAC rejects a wrong tag",
    )?;
    out.push(("hmac-sha256", tag));
    Ok(out)
}

/// Runs `work` and panics with the item's coordinates on an error.
fn work_or_panic(target: &Target, thread: usize, iteration: usize) -> Outcome {
    work(target, thread, iteration)
        .unwrap_or_else(|e| panic!("work item (thread {thread}, iteration {iteration}): {e}"))
}

/// The results of every item of every worker, computed single-threaded on this thread.
fn single_threaded(target: &Target) -> Vec<Vec<Outcome>> {
    (0..THREADS)
        .map(|t| {
            (0..ITERATIONS)
                .map(|i| work_or_panic(target, t, i))
                .collect()
        })
        .collect()
}

/// Describes how `got` differs from `want` (`None` when equal).
fn difference(context: &str, want: &Outcome, got: &Outcome) -> Option<String> {
    if want == got {
        return None;
    }
    let differing: Vec<&str> = want
        .iter()
        .zip(got)
        .filter(|(w, g)| w != g)
        .map(|(w, _)| w.0)
        .collect();
    Some(format!("{context}: {differing:?} differ"))
}

/// Joins worker handles, collecting every reported mismatch.
fn join_all(handles: Vec<thread::ScopedJoinHandle<'_, Vec<String>>>) -> Vec<String> {
    let mut mismatches = Vec::new();
    for handle in handles {
        match handle.join() {
            Ok(found) => mismatches.extend(found),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    mismatches
}

fn assert_no_mismatch(mismatches: &[String]) {
    assert!(
        mismatches.is_empty(),
        "{} concurrent results differ from the single-threaded ones; first few:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Shared backends under concurrent load.
// ---------------------------------------------------------------------------------------------

/// Eight threads share `default_backend()`: even workers through one `Arc` fetched here, odd
/// workers through the primitives' implicit default.
#[test]
fn default_backend_shared_by_eight_threads() {
    let shared = default_backend();
    let target_of = |t: usize| {
        if t.is_multiple_of(2) {
            Target::Explicit(shared.clone())
        } else {
            Target::ImplicitDefault
        }
    };
    let expected: Vec<Vec<Outcome>> = (0..THREADS)
        .map(|t| {
            (0..ITERATIONS)
                .map(|i| work_or_panic(&target_of(t), t, i))
                .collect()
        })
        .collect();
    // The implicit and explicit defaults are the same backend: same bytes.
    assert_eq!(
        single_threaded(&Target::ImplicitDefault),
        single_threaded(&Target::Explicit(shared.clone())),
        "Cipher::new and Cipher::with_backend(default_backend()) disagree"
    );

    let barrier = Barrier::new(THREADS);
    let mismatches = thread::scope(|s| {
        let handles = (0..THREADS)
            .map(|t| {
                let (barrier, expected, target) = (&barrier, &expected, target_of(t));
                s.spawn(move || {
                    barrier.wait();
                    (0..ITERATIONS)
                        .filter_map(|i| {
                            let got = work_or_panic(&target, t, i);
                            difference(
                                &format!("default backend, thread {t}, iteration {i}"),
                                &expected[t][i],
                                &got,
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        join_all(handles)
    });
    assert_no_mismatch(&mismatches);
}

/// The compiled-in backends that have streaming ciphers (ring has none: its AEADs are one-shot).
fn cipher_backends() -> Vec<Arc<dyn Backend>> {
    available_backends()
        .into_iter()
        .filter(|b| !b.supported_ciphers().is_empty())
        .collect()
}

/// Every explicit backend, and a `MultiBackend` of all of them, shared by eight threads at
/// once: each worker runs each item on every backend in turn (starting at a different one per
/// thread), so all backends are under load together.
#[test]
fn each_backend_shared_by_eight_threads() {
    let mut backends: Vec<Arc<dyn Backend>> = cipher_backends();
    backends.push(Arc::new(MultiBackend::new(available_backends())));
    let names: Vec<String> = backends
        .iter()
        .map(|b| match b.downcast_ref::<MultiBackend>() {
            Some(_) => "multi".to_owned(),
            None => b.name().to_owned(),
        })
        .collect();
    let expected: Vec<Vec<Vec<Outcome>>> = backends
        .iter()
        .map(|b| single_threaded(&Target::Explicit(b.clone())))
        .collect();
    for (name, results) in names.iter().zip(&expected).skip(1) {
        assert!(
            *results == expected[0],
            "single-threaded results of {name} differ from those of {}",
            names[0]
        );
    }

    let barrier = Barrier::new(THREADS);
    let mismatches = thread::scope(|s| {
        let handles = (0..THREADS)
            .map(|t| {
                let (barrier, expected, backends, names) = (&barrier, &expected, &backends, &names);
                s.spawn(move || {
                    barrier.wait();
                    let n = backends.len();
                    (0..ITERATIONS)
                        .flat_map(|i| (0..n).map(move |k| (i, (t + i + k) % n)))
                        .filter_map(|(i, b)| {
                            let got = work_or_panic(&Target::Explicit(backends[b].clone()), t, i);
                            difference(
                                &format!("{} backend, thread {t}, iteration {i}", names[b]),
                                &expected[b][t][i],
                                &got,
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        join_all(handles)
    });
    assert_no_mismatch(&mismatches);
}

// ---------------------------------------------------------------------------------------------
// Contexts moving between threads.
// ---------------------------------------------------------------------------------------------

/// The backends a context is moved between threads on: each compiled-in one and the default.
fn backends_and_default() -> Vec<Arc<dyn Backend>> {
    let mut backends = cipher_backends();
    backends.push(default_backend());
    backends
}

/// Passes `state` through a relay of `pieces.len()` threads; thread `k` applies `step` to
/// piece `k`, then hands the state on. Returns the state after the last thread.
fn relay<S: Send + 'static>(
    state: S,
    pieces: Vec<Vec<u8>>,
    step: fn(&mut S, &[u8], &mut Vec<u8>),
) -> (S, Vec<u8>) {
    let (first_tx, mut rx) = mpsc::channel::<(S, Vec<u8>)>();
    let mut handles = Vec::new();
    for piece in pieces {
        let (tx, next_rx) = mpsc::channel();
        let this_rx = std::mem::replace(&mut rx, next_rx);
        handles.push(thread::spawn(move || {
            let (mut state, mut output) = this_rx.recv().expect("the previous thread sends");
            step(&mut state, &piece, &mut output);
            tx.send((state, output)).expect("the next thread receives");
        }));
    }
    first_tx
        .send((state, Vec::new()))
        .expect("the first thread receives");
    let result = rx.recv().expect("the last thread sends");
    for handle in handles {
        handle.join().expect("relay thread");
    }
    result
}

/// Splits `data` into `n` pieces of uneven sizes.
fn pieces(data: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = (1..n).map(|k| k * k * data.len() / (n * n)).collect();
    cuts.insert(0, 0);
    cuts.push(data.len());
    cuts.windows(2).map(|w| data[w[0]..w[1]].to_vec()).collect()
}

/// Contexts created on the main thread, updated on another thread (or a relay of four) and
/// finished there, give what a single thread gives: `CipherContext` (GCM and ChaCha20),
/// `Hash`, `Hmac`, and the backends' own boxed contexts.
#[test]
fn contexts_finish_on_another_thread() {
    let mut rng = Rng::for_item(99, 0);
    let data = rng.bytes(10_000);
    let key = rng.bytes(32);
    let iv = rng.bytes(12);
    let nonce = rng.bytes(16);
    let aad = rng.bytes(33);
    for backend in backends_and_default() {
        let name = backend.name().to_owned();
        let target = Target::Explicit(backend.clone());
        let gcm = target
            .cipher(Aes::new(&key).unwrap(), Gcm::new(&iv).unwrap())
            .unwrap();

        // Single-threaded references.
        let mut ctx = gcm.encryptor().unwrap();
        ctx.authenticate_additional_data(&aad).unwrap();
        let mut want_ct = ctx.update(&data).unwrap();
        want_ct.extend(ctx.finalize().unwrap());
        let want_tag = ctx.tag().unwrap().to_vec();
        let chacha = target
            .cipher(ChaCha20::new(&key, &nonce).unwrap(), None)
            .unwrap();
        let mut ctx = chacha.encryptor().unwrap();
        let want_stream = ctx.update(&data).unwrap();
        let mut hash = target.hash(Sha256).unwrap();
        hash.update(&data).unwrap();
        let want_digest = hash.finalize().unwrap();
        let mut mac = target.hmac(&key, Sha256).unwrap();
        mac.update(&data).unwrap();
        let want_mac = mac.finalize().unwrap();

        // GCM: AAD and half the data here, the rest and finalize on another thread.
        let mut ctx = gcm.encryptor().unwrap();
        ctx.authenticate_additional_data(&aad).unwrap();
        let mut got_ct = ctx.update(&data[..4321]).unwrap();
        let rest = data[4321..].to_vec();
        let (tail, tag) = thread::spawn(move || {
            let mut tail = ctx.update(&rest).unwrap();
            tail.extend(ctx.finalize().unwrap());
            (tail, ctx.tag().unwrap().to_vec())
        })
        .join()
        .unwrap();
        got_ct.extend(tail);
        assert_eq!(got_ct, want_ct, "{name}: GCM ciphertext across threads");
        assert_eq!(tag, want_tag, "{name}: GCM tag across threads");

        // GCM decryption through a relay of four threads, checked at the end.
        let mut ctx = gcm.decryptor().unwrap();
        ctx.authenticate_additional_data(&aad).unwrap();
        let (mut ctx, mut plaintext) = relay(ctx, pieces(&want_ct, 4), |ctx, piece, out| {
            out.extend(ctx.update(piece).unwrap())
        });
        plaintext.extend(ctx.finalize_with_tag(&want_tag).unwrap());
        assert_eq!(plaintext, data, "{name}: GCM decryption through a relay");

        // ChaCha20 through a relay.
        let ctx = chacha.encryptor().unwrap();
        let (_, stream) = relay(ctx, pieces(&data, 4), |ctx, piece, out| {
            out.extend(ctx.update(piece).unwrap())
        });
        assert_eq!(stream, want_stream, "{name}: ChaCha20 through a relay");

        // Hash and Hmac through relays, finalized on the last thread.
        let hash = target.hash(Sha256).unwrap();
        let (hash, _) = relay(hash, pieces(&data, 4), |h, piece, _| {
            h.update(piece).unwrap()
        });
        let digest = thread::spawn(move || hash.finalize().unwrap())
            .join()
            .unwrap();
        assert_eq!(digest, want_digest, "{name}: SHA-256 through a relay");
        let mac = target.hmac(&key, Sha256).unwrap();
        let (mac, _) = relay(mac, pieces(&data, 4), |m, piece, _| {
            m.update(piece).unwrap()
        });
        let verified = {
            let tag = want_mac.clone();
            thread::spawn(move || mac.verify(&tag)).join().unwrap()
        };
        assert_eq!(verified, Ok(()), "{name}: HMAC verify through a relay");

        // The backend's own boxed contexts, without the primitives layer.
        let algorithm = Aes::new(&key).unwrap();
        let mode = Ctr::new(&nonce).unwrap();
        let want_ctr = target
            .cipher(algorithm.clone(), mode.clone())
            .unwrap()
            .encryptor()
            .unwrap()
            .update(&data)
            .unwrap();
        let mut raw: Box<dyn SymmetricContext> = backend
            .create_symmetric_encryption_ctx(&algorithm, Some(&mode))
            .unwrap();
        let mut got = vec![0; data.len()];
        let n = raw.update_into(&data[..1000], &mut got[..1000]).unwrap();
        assert_eq!(n, 1000);
        let rest = data[1000..].to_vec();
        let got_rest = thread::spawn(move || {
            let mut out = vec![0; rest.len()];
            let n = raw.update_into(&rest, &mut out).unwrap();
            out.truncate(n);
            let mut fin = vec![0; 16];
            let f = raw.finalize_into(&mut fin).unwrap();
            assert_eq!(f, 0, "CTR has nothing left at finalize");
            out
        })
        .join()
        .unwrap();
        got[1000..].copy_from_slice(&got_rest);
        assert_eq!(
            got, want_ctr,
            "{name}: boxed SymmetricContext across threads"
        );

        let mut raw: Box<dyn HashContext> = backend.create_hash_ctx(&Sha3_256).unwrap();
        raw.update(&data[..10]).unwrap();
        let rest = data[10..].to_vec();
        let (digest, copied) = thread::spawn(move || {
            let copy = raw.copy().unwrap();
            raw.update(&rest).unwrap();
            (raw.finalize().unwrap(), copy.finalize().unwrap())
        })
        .join()
        .unwrap();
        let reference = |bytes: &[u8]| {
            let mut h = target.hash(Sha3_256).unwrap();
            h.update(bytes).unwrap();
            h.finalize().unwrap()
        };
        assert_eq!(digest, reference(&data), "{name}: boxed HashContext");
        assert_eq!(copied, reference(&data[..10]), "{name}: copied HashContext");

        let mut raw: Box<dyn HmacContext> = backend.create_hmac_ctx(&key, &Sha256).unwrap();
        raw.update(&data[..7777]).unwrap();
        let rest = data[7777..].to_vec();
        let tag = thread::spawn(move || {
            raw.update(&rest).unwrap();
            raw.finalize().unwrap()
        })
        .join()
        .unwrap();
        assert_eq!(tag, want_mac, "{name}: boxed HmacContext across threads");
    }
}

// ---------------------------------------------------------------------------------------------
// Auto traits, checked at compile time.
// ---------------------------------------------------------------------------------------------

fn assert_send_sync<T: Send + Sync + ?Sized>() {}
fn assert_send<T: Send + ?Sized>() {}

/// Compiles only if the backends, shared handles and `Cipher` are `Send + Sync` and the
/// contexts are `Send`.
#[test]
fn auto_traits() {
    #[cfg(feature = "openssl")]
    {
        assert_send_sync::<OpenSslBackend>();
        assert_send_sync::<Arc<OpenSslBackend>>();
        let _: Arc<dyn Backend> = openssl::backend();
    }
    #[cfg(feature = "rust")]
    {
        assert_send_sync::<RustBackend>();
        assert_send_sync::<Arc<RustBackend>>();
        let _: Arc<dyn Backend> = rust::backend();
    }
    assert_send_sync::<MultiBackend>();
    assert_send_sync::<Arc<dyn Backend>>();
    assert_send_sync::<Cipher>();
    assert_send::<CipherContext>();
    assert_send::<Hash>();
    assert_send::<Hmac>();
    assert_send::<Box<dyn SymmetricContext>>();
    assert_send::<Box<dyn HashContext>>();
    assert_send::<Box<dyn HmacContext>>();
}
