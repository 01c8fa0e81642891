//! Chunking plans: how one cipher context is fed (AAD pieces, `update`/`update_into` steps,
//! `finalize`/`finalize_into`), and the driver that follows a plan while checking the
//! output-buffer rules on every call.

use arbitrary::{Result as ArbResult, Unstructured};
use pluggable_crypto::hazmat::primitives::ciphers::CipherContext;
use pluggable_crypto::{Error, Result};

/// The byte every output buffer is pre-filled with, to see what a call wrote.
const SENTINEL: u8 = 0xa5;

/// How one piece of data goes in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Feed {
    /// `update`, returning a vector.
    Update,
    /// `update_into` a buffer `slack` bytes longer than `update_output_size`. With
    /// `short_first`, a buffer one byte too short is tried first: it must be refused with
    /// `InvalidArgument`, untouched, and the context must carry on as if it never happened.
    Into { slack: usize, short_first: bool },
}

impl Feed {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<Feed> {
        Ok(match u.int_in_range(0u8..=3)? {
            0 | 1 => Feed::Update,
            n => Feed::Into {
                slack: u.int_in_range(0..=8)?,
                short_first: n == 3,
            },
        })
    }
}

/// How a context is driven. The data is cut into the `steps` lengths; whatever is left goes in
/// one last step fed by `last` (so there is always at least one `update` call).
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) aad_chunks: Vec<usize>,
    pub(crate) steps: Vec<(usize, Feed)>,
    pub(crate) last: Feed,
    /// `None`: `finalize`; `Some(slack)`: `finalize_into` a buffer `slack` bytes longer than
    /// `finalize_output_size`.
    pub(crate) finalize_into: Option<usize>,
}

impl Plan {
    pub(crate) fn decode(u: &mut Unstructured<'_>) -> ArbResult<Plan> {
        let mut aad_chunks = Vec::new();
        for _ in 0..u.int_in_range(0u8..=3)? {
            aad_chunks.push(u.int_in_range(0..=80)?);
        }
        let mut steps = Vec::new();
        for _ in 0..u.int_in_range(0u8..=8)? {
            let len = if u.ratio(1u8, 2)? {
                u.int_in_range(0..=4)?
            } else {
                u.int_in_range(0..=700)?
            };
            steps.push((len, Feed::decode(u)?));
        }
        let last = Feed::decode(u)?;
        let finalize_into = if u.arbitrary()? {
            Some(u.int_in_range(0..=8)?)
        } else {
            None
        };
        Ok(Plan {
            aad_chunks,
            steps,
            last,
            finalize_into,
        })
    }
}

/// Feeds `aad` in the plan's pieces, the remainder (possibly empty) in one more call.
pub(crate) fn feed_aad(ctx: &mut CipherContext, aad: &[u8], plan: &Plan) -> Result<()> {
    let mut rest = aad;
    for &len in &plan.aad_chunks {
        let (chunk, tail) = rest.split_at(len.min(rest.len()));
        ctx.authenticate_additional_data(chunk)?;
        rest = tail;
    }
    ctx.authenticate_additional_data(rest)
}

fn feed(ctx: &mut CipherContext, chunk: &[u8], how: Feed, out: &mut Vec<u8>) -> Result<()> {
    match how {
        Feed::Update => out.extend(ctx.update(chunk)?),
        Feed::Into { slack, short_first } => {
            let need = ctx.update_output_size(chunk.len());
            assert!(
                need >= chunk.len(),
                "update_output_size({}) = {need} is smaller than the input",
                chunk.len()
            );
            if short_first && need > 0 {
                let mut short = vec![SENTINEL; need - 1];
                let refused = ctx.update_into(chunk, &mut short);
                assert!(
                    matches!(refused, Err(Error::InvalidArgument(_))),
                    "update_into accepted a {}-byte buffer for {} bytes of input (needs {need}): \
                     {refused:?}",
                    short.len(),
                    chunk.len()
                );
                assert!(
                    short.iter().all(|&b| b == SENTINEL),
                    "update_into wrote into a buffer it refused"
                );
            }
            let mut buf = vec![SENTINEL; need + slack];
            let n = ctx.update_into(chunk, &mut buf)?;
            assert!(
                n <= need,
                "update_into reported {n} bytes written, more than the {need} it asks room for"
            );
            assert!(
                buf[n..].iter().all(|&b| b == SENTINEL),
                "update_into wrote past the {n} bytes it reported"
            );
            out.extend_from_slice(&buf[..n]);
        }
    }
    Ok(())
}

/// Feeds `data` by the plan's steps; returns the concatenated `update` output.
pub(crate) fn feed_data(ctx: &mut CipherContext, data: &[u8], plan: &Plan) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + 32);
    let mut rest = data;
    for &(len, how) in &plan.steps {
        let (chunk, tail) = rest.split_at(len.min(rest.len()));
        rest = tail;
        feed(ctx, chunk, how, &mut out)?;
    }
    feed(ctx, rest, plan.last, &mut out)?;
    Ok(out)
}

/// How a context is finished.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Finish<'a> {
    /// `finalize` / `finalize_into`.
    Plain,
    /// `finalize_with_tag` / `finalize_with_tag_into`.
    WithTag(&'a [u8]),
}

/// Finishes the context by the plan; on failure checks that the output buffer of the `_into`
/// form was left untouched (no byte of a failed finalize escapes).
pub(crate) fn finish(ctx: &mut CipherContext, plan: &Plan, how: Finish<'_>) -> Result<Vec<u8>> {
    match plan.finalize_into {
        None => match how {
            Finish::Plain => ctx.finalize(),
            Finish::WithTag(tag) => ctx.finalize_with_tag(tag),
        },
        Some(slack) => {
            let need = ctx.finalize_output_size();
            let mut buf = vec![SENTINEL; need + slack];
            let result = match how {
                Finish::Plain => ctx.finalize_into(&mut buf),
                Finish::WithTag(tag) => ctx.finalize_with_tag_into(tag, &mut buf),
            };
            match result {
                Ok(n) => {
                    assert!(
                        n <= need,
                        "finalize_into reported {n} bytes written, more than the {need} it asks \
                         room for"
                    );
                    assert!(
                        buf[n..].iter().all(|&b| b == SENTINEL),
                        "finalize_into wrote past the {n} bytes it reported"
                    );
                    buf.truncate(n);
                    Ok(buf)
                }
                Err(e) => {
                    assert!(
                        buf.iter().all(|&b| b == SENTINEL),
                        "a failed finalize_into ({e:?}) left bytes in the caller's buffer: {}",
                        crate::paths::hex(&buf)
                    );
                    Err(e)
                }
            }
        }
    }
}

/// After a successful `finalize`, the context takes no more calls.
pub(crate) fn assert_finalized(ctx: &mut CipherContext, who: &str) {
    let update = ctx.update(b"");
    assert!(
        matches!(update, Err(Error::AlreadyFinalized)),
        "{who}: update after finalize gave {update:?}, expected AlreadyFinalized"
    );
    let again = ctx.finalize();
    assert!(
        matches!(again, Err(Error::AlreadyFinalized)),
        "{who}: a second finalize gave {again:?}, expected AlreadyFinalized"
    );
}
