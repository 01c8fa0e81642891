//! Target 2: AEAD forgery.
//!
//! AES-GCM with a fixed, known key (128, 192 or 256 bits), an arbitrary IV, ciphertext, AAD and
//! candidate tag (0 to 20 bytes: arbitrary, a prefix of the real tag, or the real tag with one
//! bit flipped), given in the mode or at `finalize_with_tag`, with an arbitrary
//! `min_tag_length`. The real tag of (IV, AAD, ciphertext) is found by decrypting (GCM
//! decryption streams the plaintext before the tag is checked) and re-encrypting; every path
//! must agree on it and the re-encryption must give the ciphertext back.
//!
//! Then, on every path, decryption with the candidate must:
//!
//! - succeed only when the candidate is a legal-length prefix of the real tag (at least
//!   `min_tag_length` and at most 16 bytes), returning the plaintext;
//! - otherwise fail with `InvalidArgument` (illegal tag or `min_tag_length`) or `InvalidTag`;
//! - never return bytes from a failed `finalize`: the `Result` is an `Err`, and a failed
//!   `finalize_into` leaves the caller's buffer untouched;
//! - after `InvalidTag`, refuse every further call (`AlreadyFinalized`), so a second guess
//!   cannot succeed on the same context.

use arbitrary::{Result as ArbResult, Unstructured};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;
use pluggable_crypto::hazmat::primitives::ciphers::modes::Gcm;
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::{Error, Result};

use crate::drive::{feed_aad, feed_data, finish, Finish, Plan};
use crate::paths::{hex, paths, Path};

/// The known keys: AES-128, AES-192, AES-256.
const KEYS: [&[u8]; 3] = [KEY128, KEY192, KEY256];
const KEY128: &[u8; 16] = b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f";
const KEY192: &[u8; 24] = b"fuzz-aead-forgery-key192";
const KEY256: &[u8; 32] = b"fuzz-aead-forgery-key-for-aes256";

const MAX_CT: usize = 2048;

/// Where the candidate tag comes from.
#[derive(Debug, Clone, Copy)]
enum TagSource {
    /// The fuzzer's bytes.
    Arbitrary,
    /// The first `len` bytes of the real tag (a legal truncation if `len >= min_tag_length`).
    RealPrefix,
    /// The first `len` bytes of the real tag with one bit flipped.
    Flipped(usize),
}

#[derive(Debug)]
struct Case {
    key: &'static [u8],
    iv: Vec<u8>,
    aad: Vec<u8>,
    ct: Vec<u8>,
    tag_bytes: Vec<u8>,
    source: TagSource,
    min_tag: usize,
    tag_in_mode: bool,
    /// With the tag in the mode, first try `finalize_with_tag` too (must be refused).
    double_tag: bool,
    plan: Plan,
}

impl Case {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<Case> {
        let key = KEYS[usize::from(u.int_in_range(0u8..=2)?)];
        let iv_len = match u.int_in_range(0u8..=7)? {
            0..=4 => 12,
            5 | 6 => u.int_in_range(8..=128)?,
            _ => u.int_in_range(0..=140)?,
        };
        let mut iv = u.bytes(iv_len)?.to_vec();
        iv.resize(iv_len, 0);
        let aad_len = u.int_in_range(0..=128)?;
        let aad = u.bytes(aad_len)?.to_vec();
        let tag_len = if u.ratio(3u8, 4)? {
            u.int_in_range(4..=16)?
        } else {
            u.int_in_range(0..=20)?
        };
        let mut tag_bytes = u.bytes(tag_len)?.to_vec();
        tag_bytes.resize(tag_len, 0);
        let source = match u.int_in_range(0u8..=3)? {
            0 | 1 => TagSource::Arbitrary,
            2 => TagSource::RealPrefix,
            _ => TagSource::Flipped(u.arbitrary()?),
        };
        let min_tag = if u.ratio(7u8, 8)? {
            u.int_in_range(4..=16)?
        } else {
            u.int_in_range(0..=20)?
        };
        let tag_in_mode = u.arbitrary()?;
        let double_tag = u.ratio(1u8, 8)?;
        let plan = Plan::decode(u)?;
        let mut ct = u.bytes(u.len())?.to_vec();
        ct.truncate(MAX_CT);
        Ok(Case {
            key,
            iv,
            aad,
            ct,
            tag_bytes,
            source,
            min_tag,
            tag_in_mode,
            double_tag,
            plan,
        })
    }

    /// The candidate tag, given the real one.
    fn candidate(&self, real: &[u8; 16]) -> Vec<u8> {
        let mut tag = self.tag_bytes.clone();
        match self.source {
            TagSource::Arbitrary => {}
            TagSource::RealPrefix | TagSource::Flipped(_) => {
                for (t, r) in tag.iter_mut().zip(real) {
                    *t = *r;
                }
            }
        }
        if let (TagSource::Flipped(bit), false) = (self.source, tag.is_empty()) {
            let bit = bit % (tag.len() * 8);
            tag[bit / 8] ^= 1 << (bit % 8);
        }
        tag
    }
}

fn aes(case: &Case) -> Aes {
    Aes::new(case.key).expect("the known keys are valid AES keys")
}

/// The plaintext of the case's ciphertext, by streaming decryption without the tag check.
fn plaintext(case: &Case, path: &Path) -> Result<Vec<u8>> {
    let cipher = Cipher::with_backend(aes(case), Gcm::new(&case.iv)?, path.cipher())?;
    let mut ctx = cipher.decryptor()?;
    feed_aad(&mut ctx, &case.aad, &case.plan)?;
    feed_data(&mut ctx, &case.ct, &case.plan)
}

/// Encrypts `pt` under the case's IV and AAD: ciphertext and full tag.
fn seal(case: &Case, path: &Path, pt: &[u8]) -> Result<(Vec<u8>, [u8; 16])> {
    let cipher = Cipher::with_backend(aes(case), Gcm::new(&case.iv)?, path.cipher())?;
    let mut ctx = cipher.encryptor()?;
    ctx.authenticate_additional_data(&case.aad)?;
    let mut ct = ctx.update(pt)?;
    ct.extend(ctx.finalize()?);
    let tag: [u8; 16] = ctx
        .tag()?
        .try_into()
        .map_err(|_| Error::Backend("GCM tag is not 16 bytes".into()))?;
    Ok((ct, tag))
}

/// Decrypts with the candidate tag; returns the released plaintext, or the error. Checks the
/// post-failure rules on the way.
fn open(case: &Case, path: &Path, tag: &[u8], real: &[u8; 16]) -> Result<Vec<u8>> {
    let who = &path.name;
    let mode = if case.tag_in_mode {
        Gcm::with_tag(&case.iv, Some(tag), case.min_tag)?
    } else {
        Gcm::with_tag(&case.iv, None, case.min_tag)?
    };
    let cipher = Cipher::with_backend(aes(case), mode, path.cipher())?;
    let mut ctx = cipher.decryptor()?;
    feed_aad(&mut ctx, &case.aad, &case.plan)?;
    let mut out = feed_data(&mut ctx, &case.ct, &case.plan)?;
    let how = if case.tag_in_mode {
        if case.double_tag {
            let r = ctx.finalize_with_tag(real);
            assert!(
                matches!(r, Err(Error::InvalidArgument(_))),
                "{who}: finalize_with_tag accepted a second tag besides the mode's: {r:?}"
            );
        }
        Finish::Plain
    } else {
        Finish::WithTag(tag)
    };
    match finish(&mut ctx, &case.plan, how) {
        Ok(tail) => {
            out.extend(tail);
            Ok(out)
        }
        Err(e) => {
            if matches!(e, Error::InvalidTag) {
                // The message is over: no plaintext, no second guess.
                let update = ctx.update(&case.ct);
                assert!(
                    matches!(update, Err(Error::AlreadyFinalized)),
                    "{who}: update after InvalidTag gave {update:?}"
                );
                let retry = if case.tag_in_mode {
                    ctx.finalize()
                } else {
                    ctx.finalize_with_tag(real)
                };
                assert!(
                    matches!(retry, Err(Error::AlreadyFinalized)),
                    "{who}: a second finalize after InvalidTag gave {retry:?}"
                );
            } else if !case.tag_in_mode {
                // Refused before the check (e.g. a tag of illegal length): a wrong guess
                // must still fail.
                let mut wrong = *real;
                wrong[0] ^= 0x80;
                let retry = ctx.finalize_with_tag(&wrong);
                assert!(
                    matches!(
                        retry,
                        Err(Error::InvalidTag
                            | Error::AlreadyFinalized
                            | Error::InvalidArgument(_))
                    ),
                    "{who}: after {e:?}, finalize_with_tag with a wrong tag gave {retry:?}"
                );
            }
            Err(e)
        }
    }
}

/// Runs the AEAD forgery check on one fuzzer input (see the module docs).
pub fn aead_forgery(input: &[u8]) {
    let mut u = Unstructured::new(input);
    let Ok(case) = Case::decode(&mut u) else {
        return;
    };
    let iv_ok = (8..=128).contains(&case.iv.len());
    let min_ok = (4..=16).contains(&case.min_tag);

    let mut reference: Option<(String, Vec<u8>, [u8; 16])> = None;
    for path in paths() {
        let pt = match plaintext(&case, path) {
            Err(e) if e.is_unsupported() => continue,
            Err(e) => {
                assert!(
                    !iv_ok,
                    "{}: GCM decryption without the tag check failed: {e:?}",
                    path.name
                );
                assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
                continue;
            }
            Ok(pt) => pt,
        };
        assert!(
            iv_ok,
            "{}: GCM accepted a {}-byte IV",
            path.name,
            case.iv.len()
        );
        assert_eq!(pt.len(), case.ct.len(), "{}: plaintext length", path.name);
        let (ct, real) = match seal(&case, path, &pt) {
            Ok(sealed) => sealed,
            Err(e) => panic!("{}: cannot re-encrypt: {e:?}", path.name),
        };
        assert!(
            ct == case.ct,
            "{}: re-encrypting the decryption does not give the ciphertext back",
            path.name
        );
        match &reference {
            None => reference = Some((path.name.clone(), pt, real)),
            Some((first, pt0, real0)) => assert!(
                pt == *pt0 && real == *real0,
                "{first} and {} disagree on the plaintext or the tag: {} / {}",
                path.name,
                hex(real0),
                hex(&real)
            ),
        }
    }
    let Some((_, pt, real)) = reference else {
        return;
    };

    let tag = case.candidate(&real);
    let legal = min_ok && (case.min_tag..=16).contains(&tag.len());
    let right = legal && tag[..] == real[..tag.len()];
    for path in paths() {
        let result = open(&case, path, &tag, &real);
        if matches!(&result, Err(e) if e.is_unsupported()) {
            continue;
        }
        let verdict = match &result {
            Ok(_) => "accepted",
            Err(Error::InvalidTag) => "InvalidTag",
            Err(Error::InvalidArgument(_)) => "InvalidArgument",
            Err(_) => "another error",
        };
        let expected = if right {
            "accepted"
        } else if legal {
            "InvalidTag"
        } else {
            "InvalidArgument"
        };
        assert!(
            verdict == expected,
            "{}: AES-{}-GCM with a {}-byte tag {} (real {}), min_tag_length {}, tag {}: {} \
             ({result:?}), expected {expected}",
            path.name,
            case.key.len() * 8,
            tag.len(),
            hex(&tag),
            hex(&real),
            case.min_tag,
            if case.tag_in_mode {
                "in the mode"
            } else {
                "at finalize_with_tag"
            },
            verdict
        );
        if let Ok(released) = result {
            assert!(
                released == pt,
                "{}: the right tag released {} instead of the plaintext {}",
                path.name,
                hex(&released),
                hex(&pt)
            );
        }
    }
}
