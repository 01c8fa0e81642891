//! Target 1: the cipher differential.
//!
//! A case is any built-in algorithm in any mode (or none), with a key and IV/nonce of usually
//! valid but sometimes arbitrary length, AAD, data, and chunking plans. Every path (each
//! backend, and the multi-backend) that serves the pair must:
//!
//! - report the pair as supported exactly when it creates a context for it;
//! - encrypt to the same bytes and tag, or fail with the same error kind, whatever its
//!   chunking plan (each path gets its own);
//! - decrypt the common ciphertext (GCM: with the full or a truncated tag, in the mode or at
//!   `finalize_with_tag`) back to the data;
//! - agree on the decryption of the data itself (unauthenticated modes), whose re-encryption
//!   gives the data back;
//! - refuse AAD outside an AEAD mode or after data, and any call after `finalize`.

use std::sync::Arc;

use arbitrary::{Arbitrary, Result as ArbResult, Unstructured};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{self, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{self, Gcm, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::{Cipher, CipherContext};
use pluggable_crypto::{Error, Result};

use crate::drive::{assert_finalized, feed_aad, feed_data, finish, Finish, Plan};
use crate::paths::{hex, paths, same_kind, Path};

/// The longest message a case uses (keeps executions fast).
const MAX_DATA: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
enum Alg {
    Aes,
    Camellia,
    TripleDes,
    Blowfish,
    Cast5,
    Idea,
    Seed,
    Sm4,
    Rc4,
    ChaCha20,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
enum ModeKind {
    Cbc,
    Ecb,
    Ofb,
    Cfb,
    Cfb8,
    Ctr,
    Gcm,
    Xts,
    None,
}

impl Alg {
    /// The library's name, for [`algorithms::by_name`].
    fn name(self) -> &'static str {
        match self {
            Alg::Aes => "AES",
            Alg::Camellia => "Camellia",
            Alg::TripleDes => "TripleDES",
            Alg::Blowfish => "Blowfish",
            Alg::Cast5 => "CAST5",
            Alg::Idea => "IDEA",
            Alg::Seed => "SEED",
            Alg::Sm4 => "SM4",
            Alg::Rc4 => "ARC4",
            Alg::ChaCha20 => "ChaCha20",
        }
    }

    /// Block size in bytes; 1 for the stream ciphers.
    fn block(self) -> usize {
        match self {
            Alg::Aes | Alg::Camellia | Alg::Seed | Alg::Sm4 => 16,
            Alg::TripleDes | Alg::Blowfish | Alg::Cast5 | Alg::Idea => 8,
            Alg::Rc4 | Alg::ChaCha20 => 1,
        }
    }

    /// A valid key length in bytes for this algorithm in `mode`, chosen by `u`.
    fn valid_key_len(self, mode: ModeKind, u: &mut Unstructured<'_>) -> ArbResult<usize> {
        let pick = |u: &mut Unstructured<'_>, sizes: &[usize]| -> ArbResult<usize> {
            Ok(*u.choose(sizes)?)
        };
        match self {
            Alg::Aes if mode == ModeKind::Xts => pick(u, &[32, 64]),
            Alg::Aes | Alg::Camellia => pick(u, &[16, 24, 32]),
            Alg::TripleDes => pick(u, &[8, 16, 24]),
            Alg::Blowfish => u.int_in_range(4..=56),
            Alg::Cast5 => u.int_in_range(5..=16),
            Alg::Idea | Alg::Seed | Alg::Sm4 => Ok(16),
            Alg::Rc4 => pick(u, &[5, 7, 8, 10, 16, 20, 24, 32]),
            Alg::ChaCha20 => Ok(32),
        }
    }
}

impl ModeKind {
    /// The library's name, for [`modes::by_name`]; `None` for no mode.
    fn name(self) -> Option<&'static str> {
        Some(match self {
            ModeKind::Cbc => "CBC",
            ModeKind::Ecb => "ECB",
            ModeKind::Ofb => "OFB",
            ModeKind::Cfb => "CFB",
            ModeKind::Cfb8 => "CFB8",
            ModeKind::Ctr => "CTR",
            ModeKind::Gcm => "GCM",
            ModeKind::Xts => "XTS",
            ModeKind::None => return None,
        })
    }

    fn is_gcm(self) -> bool {
        self == ModeKind::Gcm
    }
}

/// One decoded case.
#[derive(Debug)]
struct Case {
    alg: Alg,
    mode: ModeKind,
    key: Vec<u8>,
    /// The IV, nonce or tweak; ChaCha20's 16-byte counter‖nonce.
    iv: Vec<u8>,
    aad: Vec<u8>,
    data: Vec<u8>,
    /// GCM decryption: `min_tag_length` and the tag length used (a prefix of the real tag).
    min_tag: usize,
    tag_len: usize,
    /// GCM decryption: the tag in the mode (else at `finalize_with_tag`).
    tag_in_mode: bool,
    /// Try AAD after the data (must be refused).
    late_aad: bool,
    /// Try AAD on an unauthenticated mode (must be refused).
    stray_aad: bool,
    /// Encryption plans (path i uses `enc[i % 2]`), decryption plans likewise.
    enc: [Plan; 2],
    dec: [Plan; 2],
}

impl Case {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<Case> {
        let alg: Alg = u.arbitrary()?;
        let mode: ModeKind = if u.ratio(1u8, 16)? {
            u.arbitrary()?
        } else {
            // Mostly a mode that fits the algorithm.
            match alg {
                Alg::Rc4 | Alg::ChaCha20 => ModeKind::None,
                Alg::Aes => u.arbitrary()?,
                Alg::Camellia | Alg::Seed | Alg::Sm4 => *u.choose(&[
                    ModeKind::Cbc,
                    ModeKind::Ecb,
                    ModeKind::Ofb,
                    ModeKind::Cfb,
                    ModeKind::Cfb8,
                    ModeKind::Ctr,
                    ModeKind::Gcm,
                ])?,
                _ => *u.choose(&[
                    ModeKind::Cbc,
                    ModeKind::Ecb,
                    ModeKind::Ofb,
                    ModeKind::Cfb,
                    ModeKind::Cfb8,
                    ModeKind::Ctr,
                ])?,
            }
        };
        let key_len = if u.ratio(7u8, 8)? {
            alg.valid_key_len(mode, u)?
        } else {
            u.int_in_range(0..=72)?
        };
        let mut key = u.bytes(key_len)?.to_vec();
        key.resize(key_len, 0x4b);
        let valid_iv_len = match (alg, mode) {
            (Alg::ChaCha20, _) => 16,
            (_, ModeKind::Xts) => 16,
            (_, ModeKind::Gcm) => {
                if u.ratio(3u8, 4)? {
                    12
                } else {
                    u.int_in_range(8..=128)?
                }
            }
            (_, ModeKind::Ecb | ModeKind::None) => 0,
            (alg, _) => alg.block(),
        };
        let iv_len = if u.ratio(7u8, 8)? {
            valid_iv_len
        } else {
            u.int_in_range(0..=140)?
        };
        let mut iv = u.bytes(iv_len)?.to_vec();
        iv.resize(iv_len, 0x17);
        // Counters near a wrap: CTR's big-endian counter block, ChaCha20's little-endian
        // 64-bit block counter (bytes 0..8 of the nonce; past 2^64 - 1 the message is refused).
        if u.ratio(1u8, 6)? {
            let low: u8 = u.int_in_range(0xc0..=0xff)?;
            let wide: bool = u.arbitrary()?;
            if alg == Alg::ChaCha20 && iv.len() >= 8 {
                let top = if wide { 8 } else { 4 };
                iv[..top].fill(0xff);
                iv[0] = low;
            } else if mode == ModeKind::Ctr && !iv.is_empty() {
                let n = iv.len();
                let from = if wide { 0 } else { n.saturating_sub(4) };
                iv[from..].fill(0xff);
                iv[n - 1] = low;
            }
        }
        if mode == ModeKind::Xts && key.len() >= 2 && u.ratio(1u8, 16)? {
            // Equal halves: refused by every path.
            let half = key.len() / 2;
            let (a, b) = key.split_at_mut(half);
            b[..half].copy_from_slice(a);
        }
        let aad_len = u.int_in_range(0..=96)?;
        let aad = u.bytes(aad_len)?.to_vec();
        let min_tag = if u.ratio(15u8, 16)? {
            u.int_in_range(4..=16)?
        } else {
            u.int_in_range(0..=20)?
        };
        let tag_len = u.int_in_range(min_tag.clamp(4, 16)..=16)?;
        let tag_in_mode = u.arbitrary()?;
        let late_aad = u.ratio(1u8, 8)?;
        let stray_aad = u.ratio(1u8, 8)?;
        let enc = [Plan::decode(u)?, Plan::decode(u)?];
        let dec = [Plan::decode(u)?, Plan::decode(u)?];
        let mut data = u.bytes(u.len())?.to_vec();
        data.truncate(MAX_DATA);
        // Whole blocks most of the time for the modes that do not pad.
        if matches!(mode, ModeKind::Cbc | ModeKind::Ecb)
            && !data.len().is_multiple_of(alg.block())
            && data.len() % 7 != 3
        {
            data.truncate(data.len() - data.len() % alg.block());
        }
        Ok(Case {
            alg,
            mode,
            key,
            iv,
            aad,
            data,
            min_tag,
            tag_len,
            tag_in_mode,
            late_aad,
            stray_aad,
            enc,
            dec,
        })
    }

    fn algorithm(&self) -> Result<Arc<dyn CipherAlgorithm>> {
        let nonce = (self.alg == Alg::ChaCha20).then_some(self.iv.as_slice());
        algorithms::by_name(self.alg.name(), &self.key, nonce)
    }

    /// The mode; for GCM decryption `tag` says where the tag goes (`Some(Some(tag))`: in the
    /// mode, `Some(None)`: at `finalize_with_tag`, both with `min_tag`).
    fn mode(&self, gcm_tag: Option<Option<&[u8]>>) -> Result<Option<Arc<dyn Mode>>> {
        let Some(name) = self.mode.name() else {
            return Ok(None);
        };
        // ECB takes no IV: whatever the case drew for one goes unused.
        let iv: &[u8] = if self.mode == ModeKind::Ecb {
            &[]
        } else {
            &self.iv
        };
        Ok(Some(match gcm_tag {
            Some(tag) if self.mode.is_gcm() => Arc::new(Gcm::with_tag(iv, tag, self.min_tag)?),
            _ => modes::by_name(name, iv, None)?,
        }))
    }

    fn cipher(&self, path: &Path, gcm_tag: Option<Option<&[u8]>>) -> Result<Cipher> {
        Cipher::with_backend(self.algorithm()?, self.mode(gcm_tag)?, path.cipher())
    }
}

/// Creates a context, checking that the backend's `cipher_supported` matches what it does.
fn context(path: &Path, cipher: &Cipher, encrypt: bool) -> Result<CipherContext> {
    let supported = path
        .backend
        .cipher_supported(cipher.algorithm(), cipher.mode());
    let ctx = if encrypt {
        cipher.encryptor()
    } else {
        cipher.decryptor()
    };
    match &ctx {
        Err(e) if e.is_unsupported() => assert!(
            !supported,
            "{}: cipher_supported says yes but the context is refused: {e:?}",
            path.name
        ),
        Err(_) => {}
        Ok(_) => assert!(
            supported,
            "{}: cipher_supported says no but a context was created",
            path.name
        ),
    }
    ctx
}

/// Checks the AAD rules that do not depend on the backend, before the data.
fn stray_aad(case: &Case, ctx: &mut CipherContext, who: &str) {
    if case.stray_aad && !case.mode.is_gcm() {
        let r = ctx.authenticate_additional_data(b"");
        assert!(
            matches!(r, Err(Error::InvalidArgument(_))),
            "{who}: AAD accepted by an unauthenticated mode: {r:?}"
        );
    }
}

/// Checks that AAD after the data is refused.
fn late_aad(case: &Case, ctx: &mut CipherContext, who: &str) {
    if case.late_aad {
        let r = ctx.authenticate_additional_data(b"late");
        let ok = if case.mode.is_gcm() {
            matches!(r, Err(Error::AlreadyUpdated))
        } else {
            matches!(r, Err(Error::InvalidArgument(_)))
        };
        assert!(ok, "{who}: AAD after the data gave {r:?}");
    }
}

type Sealed = (Vec<u8>, Option<Vec<u8>>);

fn encrypt(case: &Case, path: &Path, data: &[u8], plan: &Plan) -> Result<Sealed> {
    let who = format!("{} encryption", path.name);
    let cipher = case.cipher(path, None)?;
    let mut ctx = context(path, &cipher, true)?;
    stray_aad(case, &mut ctx, &who);
    if case.mode.is_gcm() {
        feed_aad(&mut ctx, &case.aad, plan)?;
    }
    let mut out = feed_data(&mut ctx, data, plan)?;
    late_aad(case, &mut ctx, &who);
    if case.mode.is_gcm() {
        let early = ctx.tag();
        assert!(
            matches!(early, Err(Error::NotYetFinalized)),
            "{who}: tag before finalize gave {early:?}"
        );
    }
    out.extend(finish(&mut ctx, plan, Finish::Plain)?);
    let tag = if case.mode.is_gcm() {
        let tag = ctx.tag();
        assert!(
            matches!(&tag, Ok(t) if t.len() == 16),
            "{who}: the tag after finalize is {tag:?}, expected 16 bytes"
        );
        tag.ok().map(<[u8]>::to_vec)
    } else {
        None
    };
    assert_finalized(&mut ctx, &who);
    Ok((out, tag))
}

fn decrypt(
    case: &Case,
    path: &Path,
    data: &[u8],
    tag: Option<&[u8]>,
    plan: &Plan,
) -> Result<Vec<u8>> {
    let who = format!("{} decryption", path.name);
    let gcm_tag = tag.map(|t| case.tag_in_mode.then_some(t));
    let cipher = case.cipher(path, gcm_tag)?;
    let mut ctx = context(path, &cipher, false)?;
    stray_aad(case, &mut ctx, &who);
    if case.mode.is_gcm() {
        feed_aad(&mut ctx, &case.aad, plan)?;
    }
    let mut out = feed_data(&mut ctx, data, plan)?;
    late_aad(case, &mut ctx, &who);
    let how = match tag {
        Some(tag) if !case.tag_in_mode => Finish::WithTag(tag),
        _ => Finish::Plain,
    };
    out.extend(finish(&mut ctx, plan, how)?);
    assert_finalized(&mut ctx, &who);
    Ok(out)
}

/// Compares the outcomes of every path that served the request: equal values, or errors of
/// the same kind. Returns the common value, if every serving path succeeded.
fn agree<T: PartialEq + Clone>(
    what: &str,
    case: &Case,
    outcomes: &[(&Path, Result<T>)],
    show: impl Fn(&T) -> String,
) -> Option<T> {
    let serving: Vec<&(&Path, Result<T>)> = outcomes
        .iter()
        .filter(|(_, r)| !matches!(r, Err(e) if e.is_unsupported()))
        .collect();
    let (first_path, first) = serving.first()?;
    for (path, r) in &serving[1..] {
        let same = match (first, r) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => same_kind(a, b),
            _ => false,
        };
        let fmt = |r: &Result<T>| match r {
            Ok(v) => format!("Ok({})", show(v)),
            Err(e) => format!("Err({e:?})"),
        };
        assert!(
            same,
            "{what} disagrees for {:?}/{:?} key {} iv {} aad {} data {}:\n  {}: {}\n  {}: {}",
            case.alg,
            case.mode,
            hex(&case.key),
            hex(&case.iv),
            hex(&case.aad),
            hex(&case.data),
            first_path.name,
            fmt(first),
            path.name,
            fmt(r)
        );
    }
    first.as_ref().ok().cloned()
}

/// Runs the cipher differential on one fuzzer input (see the module docs).
pub fn cipher_differential(input: &[u8]) {
    let mut u = Unstructured::new(input);
    let Ok(case) = Case::decode(&mut u) else {
        return;
    };
    let paths = paths();
    let data = &case.data;

    // Encryption on every path, each with its own chunking.
    let sealed: Vec<(&Path, Result<Sealed>)> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p, encrypt(&case, p, data, &case.enc[i % 2])))
        .collect();
    let show =
        |(ct, tag): &Sealed| format!("ct {} tag {}", hex(ct), hex(tag.as_deref().unwrap_or(&[])));
    if let Some((ct, tag)) = agree("encryption", &case, &sealed, show) {
        assert_eq!(
            ct.len(),
            data.len(),
            "{:?}/{:?}: ciphertext length differs from the data length",
            case.alg,
            case.mode
        );
        // Every serving path decrypts the common ciphertext back to the data.
        let tag = tag.as_ref().map(|t| &t[..case.tag_len]);
        for (i, (path, r)) in sealed.iter().enumerate() {
            if r.is_err() {
                continue;
            }
            let pt = decrypt(&case, path, &ct, tag, &case.dec[(i + 1) % 2]);
            if case.mode.is_gcm() && !(4..=16).contains(&case.min_tag) {
                assert!(
                    matches!(pt, Err(Error::InvalidArgument(_))),
                    "{}: GCM with min_tag_length {} gave {pt:?}",
                    path.name,
                    case.min_tag
                );
                continue;
            }
            match pt {
                Ok(pt) => assert!(
                    pt == *data,
                    "{}: {:?}/{:?} decrypts its ciphertext to {} instead of {}",
                    path.name,
                    case.alg,
                    case.mode,
                    hex(&pt),
                    hex(data)
                ),
                Err(e) => panic!(
                    "{}: {:?}/{:?} cannot decrypt the ciphertext it (and every other path) \
                     produced: {e:?} (min_tag {}, tag {})",
                    path.name,
                    case.alg,
                    case.mode,
                    case.min_tag,
                    hex(tag.unwrap_or(&[]))
                ),
            }
        }
    }

    // Unauthenticated modes: decrypting the data itself, on every path.
    if !case.mode.is_gcm() {
        let opened: Vec<(&Path, Result<Vec<u8>>)> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p, decrypt(&case, p, data, None, &case.dec[i % 2])))
            .collect();
        if let Some(pt) = agree("decryption of the data", &case, &opened, |v| hex(v)) {
            let (path, _) = opened
                .iter()
                .find(|(_, r)| r.is_ok())
                .expect("agree returned a value, so some path succeeded");
            let back = encrypt(&case, path, &pt, &case.enc[0]);
            assert!(
                matches!(&back, Ok((ct, _)) if ct == data),
                "{}: {:?}/{:?}: encrypting the decryption of the data does not give the data \
                 back: {back:?}",
                path.name,
                case.alg,
                case.mode
            );
        }
    }
}
