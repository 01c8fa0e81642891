//! Target 3: the hash and HMAC differential.
//!
//! A case is one of the 18 built-in hashes (SHAKE with an output length of 1 to 300 bytes),
//! plain or as HMAC with an arbitrary key, arbitrary data, a chunking plan and `copy()` points.
//! At each copy point the copy either finalizes at once (it must equal a fresh one-shot digest
//! of the prefix) or takes the rest of the data in one piece (it must equal the original's
//! digest). Every path that serves the algorithm must produce the same digests, of the
//! algorithm's digest size; HMAC over SHAKE is refused everywhere; `hash_supported` /
//! `hmac_supported` match what the backend does; an HMAC verifies its own tag and refuses a
//! changed or truncated one.

use std::sync::Arc;

use arbitrary::{Result as ArbResult, Unstructured};
use pluggable_crypto::hazmat::primitives::hashes::{all_algorithms, Hash, HashAlgorithm};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::{Error, Result};

use crate::paths::{hex, paths, same_kind, Path};

const MAX_DATA: usize = 8192;

/// What a copy does.
#[derive(Debug, Clone, Copy)]
enum CopyAction {
    /// Finalize at once: the digest of the prefix.
    Finalize,
    /// Take the rest of the data in one piece: the digest of everything.
    Continue,
}

#[derive(Debug)]
struct Case {
    algorithm: Arc<dyn HashAlgorithm>,
    /// `Some(key)`: HMAC.
    hmac_key: Option<Vec<u8>>,
    /// Chunk lengths, each optionally followed by a copy.
    steps: Vec<(usize, Option<CopyAction>)>,
    /// How a verification tag is spoiled: bit to flip, or truncation.
    spoil: Spoil,
    data: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
enum Spoil {
    Flip(usize),
    Truncate(usize),
    Extend,
}

impl Case {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<Case> {
        let xof_len = u.int_in_range(1..=300)?;
        let mut all = all_algorithms(xof_len);
        let index = u.choose_index(all.len())?;
        let algorithm = all.swap_remove(index);
        let hmac_key = if u.arbitrary()? {
            let len = if u.ratio(3u8, 4)? {
                u.int_in_range(0..=80)?
            } else {
                u.int_in_range(0..=300)?
            };
            let mut key = u.bytes(len)?.to_vec();
            key.resize(len, 0x36);
            Some(key)
        } else {
            None
        };
        let mut steps = Vec::new();
        for _ in 0..u.int_in_range(0u8..=10)? {
            let len = if u.ratio(1u8, 2)? {
                u.int_in_range(0..=8)?
            } else {
                u.int_in_range(0..=400)?
            };
            let copy = match u.int_in_range(0u8..=3)? {
                0 => Some(CopyAction::Finalize),
                1 => Some(CopyAction::Continue),
                _ => None,
            };
            steps.push((len, copy));
        }
        let spoil = match u.int_in_range(0u8..=2)? {
            0 => Spoil::Flip(u.arbitrary()?),
            1 => Spoil::Truncate(u.arbitrary()?),
            _ => Spoil::Extend,
        };
        let mut data = u.bytes(u.len())?.to_vec();
        data.truncate(MAX_DATA);
        Ok(Case {
            algorithm,
            hmac_key,
            steps,
            spoil,
            data,
        })
    }
}

/// A hash or HMAC context behind one interface.
enum Ctx {
    Hash(Hash),
    Hmac(Hmac),
}

impl Ctx {
    fn new(case: &Case, path: &Path) -> Result<Ctx> {
        let backend = &path.backend;
        Ok(match &case.hmac_key {
            None => Ctx::Hash(Hash::from_shared(case.algorithm.clone(), backend.clone())?),
            Some(key) => Ctx::Hmac(Hmac::from_shared(
                key,
                case.algorithm.clone(),
                backend.clone(),
            )?),
        })
    }

    fn update(&mut self, data: &[u8]) -> Result<()> {
        match self {
            Ctx::Hash(h) => h.update(data),
            Ctx::Hmac(h) => h.update(data),
        }
    }

    fn copy(&self) -> Result<Ctx> {
        Ok(match self {
            Ctx::Hash(h) => Ctx::Hash(h.copy()?),
            Ctx::Hmac(h) => Ctx::Hmac(h.copy()?),
        })
    }

    fn finalize(self) -> Result<Vec<u8>> {
        match self {
            Ctx::Hash(h) => h.finalize(),
            Ctx::Hmac(h) => h.finalize(),
        }
    }
}

fn one_shot(case: &Case, path: &Path, data: &[u8]) -> Result<Vec<u8>> {
    let mut ctx = Ctx::new(case, path)?;
    ctx.update(data)?;
    ctx.finalize()
}

/// The digests one path computes: the original's, then one per copy point.
type Digests = (Vec<u8>, Vec<Vec<u8>>);

fn run(case: &Case, path: &Path) -> Result<Digests> {
    let who = &path.name;
    let name = case.algorithm.name();
    let supported = match case.hmac_key {
        None => path.backend.hash_supported(&*case.algorithm),
        Some(_) => path.backend.hmac_supported(&*case.algorithm),
    };
    let ctx = Ctx::new(case, path);
    match &ctx {
        Err(e) if e.is_unsupported() => {
            // HMAC over an XOF is refused by the primitive itself, whatever the backend says.
            if !(case.hmac_key.is_some() && case.algorithm.is_xof()) {
                assert!(
                    !supported,
                    "{who}: {name} is listed as supported but refused: {e:?}"
                );
            }
        }
        Err(_) => {}
        Ok(_) => assert!(
            supported,
            "{who}: {name} is listed as unsupported but a context was created"
        ),
    }
    let mut ctx = ctx?;
    let data = &case.data[..];
    let mut offset = 0;
    let mut copies = Vec::new();
    for &(len, copy) in &case.steps {
        let end = (offset + len).min(data.len());
        ctx.update(&data[offset..end])?;
        offset = end;
        if let Some(action) = copy {
            copies.push((offset, action, ctx.copy()?));
        }
    }
    ctx.update(&data[offset..])?;
    let digest = ctx.finalize()?;
    let size = case.algorithm.digest_size();
    assert_eq!(digest.len(), size, "{who}: {name} digest length");

    let mut forks = Vec::new();
    for (at, action, mut copy) in copies {
        let fork = match action {
            CopyAction::Finalize => {
                let fork = copy.finalize()?;
                let fresh = one_shot(case, path, &data[..at])?;
                assert!(
                    fork == fresh,
                    "{who}: {name}: a copy taken after {at} bytes finalizes to {}, but the \
                     one-shot digest of those bytes is {}",
                    hex(&fork),
                    hex(&fresh)
                );
                fork
            }
            CopyAction::Continue => {
                copy.update(&data[at..])?;
                let fork = copy.finalize()?;
                assert!(
                    fork == digest,
                    "{who}: {name}: a copy taken after {at} bytes and fed the rest gives {}, \
                     the original {}",
                    hex(&fork),
                    hex(&digest)
                );
                fork
            }
        };
        forks.push(fork);
    }

    if let Some(key) = &case.hmac_key {
        let verifier = || -> Result<Hmac> {
            let mut mac = Hmac::from_shared(key, case.algorithm.clone(), path.backend.clone())?;
            mac.update(data)?;
            Ok(mac)
        };
        let good = verifier()?.verify(&digest);
        assert!(
            good.is_ok(),
            "{who}: HMAC-{name} rejects its own tag: {good:?}"
        );
        let mut bad = digest.clone();
        match case.spoil {
            Spoil::Flip(bit) => {
                let bit = bit % (bad.len() * 8);
                bad[bit / 8] ^= 1 << (bit % 8);
            }
            Spoil::Truncate(n) => bad.truncate(n % bad.len()),
            Spoil::Extend => bad.push(0),
        }
        let spoiled = verifier()?.verify(&bad);
        assert!(
            matches!(spoiled, Err(Error::InvalidSignature)),
            "{who}: HMAC-{name} verify of a spoiled tag {} gave {spoiled:?}",
            hex(&bad)
        );
    }
    Ok((digest, forks))
}

/// Runs the hash/HMAC differential on one fuzzer input (see the module docs).
pub fn hash_hmac_differential(input: &[u8]) {
    let mut u = Unstructured::new(input);
    let Ok(case) = Case::decode(&mut u) else {
        return;
    };
    let what = match case.hmac_key {
        None => case.algorithm.name().to_owned(),
        Some(_) => format!("HMAC-{}", case.algorithm.name()),
    };
    let mut first: Option<(&Path, Result<Digests>)> = None;
    for path in paths() {
        let result = run(&case, path);
        if case.hmac_key.is_some() && case.algorithm.is_xof() {
            assert!(
                matches!(&result, Err(e) if e.is_unsupported()),
                "{}: {what} gave {result:?}, expected UnsupportedAlgorithm",
                path.name
            );
        }
        if matches!(&result, Err(e) if e.is_unsupported()) {
            continue;
        }
        match &first {
            None => first = Some((path, result)),
            Some((p0, r0)) => {
                let same = match (r0, &result) {
                    (Ok(a), Ok(b)) => a == b,
                    (Err(a), Err(b)) => same_kind(a, b),
                    _ => false,
                };
                assert!(
                    same,
                    "{what} disagrees ({} bytes of data, key {}):\n  {}: {r0:?}\n  {}: {result:?}",
                    case.data.len(),
                    hex(case.hmac_key.as_deref().unwrap_or(&[])),
                    p0.name,
                    path.name
                );
            }
        }
    }
}
