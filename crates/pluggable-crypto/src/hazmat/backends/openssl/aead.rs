//! One-shot AEADs on the openssl backend: AES-GCM, ChaCha20-Poly1305, AES-CCM, AES-OCB3,
//! AES-SIV, and AES-GCM-SIV where libcrypto has it.
//!
//! Every `EVP_CIPHER` is fetched once, with the backend (AES-GCM-SIV is probed: OpenSSL 3.0 has
//! none, 3.2 and later do). A key object does its key schedule once, into keyed
//! `EVP_CIPHER_CTX` *templates* that are never used for a message, only copied. Each message
//! takes one of a few cached working contexts with `try_lock` (it never waits for another
//! thread), re-initialises it with the nonce alone (NULL key: the schedule is kept), and puts it
//! back; when all are busy it works on a fresh copy of the template. AES-SIV is the exception:
//! its S2V state is only reset by a full re-key, so each message works on a copy of the
//! template. AES-CCM and AES-OCB3 choose their bulk routine by direction when the key is set,
//! so they keep a template per direction; AES-CCM also fixes its length-field size (and so the
//! nonce length) then, so it keeps the key and makes a template per (direction, nonce length)
//! on first use.
//!
//! Decryption that fails authentication is `Error::InvalidTag` and wipes the output buffer.

use std::ffi::c_int;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, OnceLock};

use zeroize::{Zeroize, Zeroizing};

use super::evp::{Cipher, CipherCtx, CipherTemplate};
use super::OpenSslBackend;
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{AeadBackend, AeadContext, AeadSupport, Backend};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::unsupported::unsupported_aead;

/// How many working contexts a key object caches per template (the most threads that use one
/// key at once without copying the template).
const CACHED_CONTEXTS: usize = 4;

/// How libcrypto takes a construction's inputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flow {
    /// AAD and data in any number of updates; the tag is made or checked at final (GCM,
    /// ChaCha20-Poly1305, OCB3).
    Streaming,
    /// CCM: the data length first, then at most one AAD update, then one data update, which
    /// also checks the tag; no final.
    Ccm,
    /// SIV: one update per AAD component (each is a separate S2V string), one data update
    /// (which checks the tag); the state is only reset by a re-key.
    Siv,
    /// GCM-SIV: at most one AAD update and one data update.
    GcmSiv,
}

/// What the backend needs to know about one construction.
struct Spec {
    algorithm: AeadAlgorithm,
    flow: Flow,
    /// The nonce lengths libcrypto takes (`0..=0`: no nonce).
    nonces: RangeInclusive<usize>,
    /// Whether one keyed context can serve both directions (false when libcrypto fixes the
    /// bulk routine by direction at key setup).
    shared_direction: bool,
    /// Whether a working context can be re-initialised with a new nonce and reused.
    reusable: bool,
    /// The OpenSSL names, by key length in bytes.
    names: &'static [(usize, &'static str)],
}

impl Spec {
    fn tag_ok(&self, tag_bytes: usize) -> bool {
        match self.flow {
            Flow::Ccm => (4..=16).contains(&tag_bytes) && tag_bytes.is_multiple_of(2),
            _ => tag_bytes == 16,
        }
    }
}

const SPECS: [Spec; 6] = [
    Spec {
        algorithm: AeadAlgorithm::AesGcm,
        flow: Flow::Streaming,
        nonces: 1..=128,
        shared_direction: true,
        reusable: true,
        names: &[
            (16, "AES-128-GCM"),
            (24, "AES-192-GCM"),
            (32, "AES-256-GCM"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::ChaCha20Poly1305,
        flow: Flow::Streaming,
        nonces: 12..=12,
        shared_direction: true,
        reusable: true,
        names: &[(32, "ChaCha20-Poly1305")],
    },
    Spec {
        algorithm: AeadAlgorithm::AesCcm,
        flow: Flow::Ccm,
        nonces: 7..=13,
        shared_direction: false,
        reusable: true,
        names: &[
            (16, "AES-128-CCM"),
            (24, "AES-192-CCM"),
            (32, "AES-256-CCM"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesOcb3,
        flow: Flow::Streaming,
        nonces: 1..=15,
        shared_direction: false,
        reusable: true,
        names: &[
            (16, "AES-128-OCB"),
            (24, "AES-192-OCB"),
            (32, "AES-256-OCB"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesSiv,
        flow: Flow::Siv,
        nonces: 0..=0,
        shared_direction: true,
        reusable: false,
        names: &[
            (32, "AES-128-SIV"),
            (48, "AES-192-SIV"),
            (64, "AES-256-SIV"),
        ],
    },
    Spec {
        algorithm: AeadAlgorithm::AesGcmSiv,
        flow: Flow::GcmSiv,
        nonces: 12..=12,
        // Every init derives the message keys from the stored key and the nonce.
        shared_direction: true,
        reusable: true,
        names: &[
            (16, "AES-128-GCM-SIV"),
            (24, "AES-192-GCM-SIV"),
            (32, "AES-256-GCM-SIV"),
        ],
    },
];

struct Entry {
    spec: &'static Spec,
    key_bytes: usize,
    cipher: Arc<Cipher>,
}

/// The fetched AEAD ciphers, built once with the backend.
pub(super) struct AeadRegistry {
    entries: Vec<Entry>,
}

impl AeadRegistry {
    pub(super) fn fetch() -> Self {
        let mut entries = Vec::new();
        for spec in &SPECS {
            for &(key_bytes, name) in spec.names {
                if let Some(cipher) = Cipher::fetch(name) {
                    if cipher.key_length() == key_bytes {
                        entries.push(Entry {
                            spec,
                            key_bytes,
                            cipher: Arc::new(cipher),
                        });
                    }
                }
            }
        }
        AeadRegistry { entries }
    }

    fn find(&self, algorithm: AeadAlgorithm, key_bytes: usize) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.spec.algorithm == algorithm && e.key_bytes == key_bytes)
    }
}

impl AeadBackend for OpenSslBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        self.aeads
            .find(algorithm, key_bytes)
            .is_some_and(|e| e.spec.tag_ok(tag_bytes))
    }

    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        let entry = self
            .aeads
            .find(algorithm, key.len())
            .filter(|e| e.spec.tag_ok(tag_bytes))
            .ok_or_else(|| unsupported_aead(self.name(), algorithm))?;
        Ok(Box::new(OpenSslAeadContext::new(entry, key, tag_bytes)?))
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        AeadAlgorithm::ALL
            .iter()
            .filter_map(|&algorithm| {
                let key_sizes: Vec<usize> = self
                    .aeads
                    .entries
                    .iter()
                    .filter(|e| e.spec.algorithm == algorithm)
                    .map(|e| e.key_bytes * 8)
                    .collect();
                (!key_sizes.is_empty()).then_some(AeadSupport {
                    algorithm,
                    key_sizes,
                })
            })
            .collect()
    }
}

/// The error for an input libcrypto must take in one `c_int`-sized call.
fn too_long(algorithm: AeadAlgorithm, what: &str, len: usize) -> Error {
    Error::unsupported(
        Reason::UnsupportedCipher,
        format!(
            "the openssl backend hands {} {what} to libcrypto in one call, so it takes at most \
             {} bytes, got {len}",
            algorithm.name(),
            c_int::MAX
        ),
    )
}

/// A keyed template: `cipher` keyed with `key` for `encrypt`, with the IV length and tag
/// length set first when given (CCM fixes both at key setup).
fn keyed(
    cipher: &Cipher,
    key: &[u8],
    encrypt: bool,
    iv_len: Option<usize>,
    tag_len: Option<usize>,
) -> Result<CipherCtx> {
    let mut ctx = CipherCtx::new()?;
    ctx.init(Some(cipher), None, None, encrypt)?;
    if let Some(iv_len) = iv_len {
        ctx.set_iv_length(iv_len)?;
    }
    if let Some(tag_len) = tag_len {
        ctx.set_tag_length(tag_len)?;
    }
    // A NULL IV leaves the nonce for each message.
    ctx.init(None, Some(key), None, encrypt)?;
    Ok(ctx)
}

/// Starts a message on a keyed context: the direction and the nonce (whose length must be the
/// context's IV length), keeping the key schedule.
fn start(ctx: &mut CipherCtx, nonce: &[u8], encrypt: bool) -> Result<()> {
    if nonce.len() != ctx.iv_length() {
        return Err(Error::Backend(format!(
            "nonce of {} bytes for a context set to {}",
            nonce.len(),
            ctx.iv_length()
        )));
    }
    ctx.init(None, None, (!nonce.is_empty()).then_some(nonce), encrypt)
}

/// Finishes the message, writing any held-back output (OCB's last partial block) to `out`.
fn finish(ctx: &mut CipherCtx, out: &mut [u8]) -> Result<usize> {
    let block = ctx.finish()?;
    let src = block.as_slice();
    match out.get_mut(..src.len()) {
        Some(dst) => {
            dst.copy_from_slice(src);
            Ok(src.len())
        }
        None => Err(Error::Backend(format!(
            "libcrypto finished with {} bytes where {} remained",
            src.len(),
            out.len()
        ))),
    }
}

/// A keyed template and the working contexts copied from it.
struct Lane {
    template: CipherTemplate,
    cache: [Mutex<Option<CipherCtx>>; CACHED_CONTEXTS],
}

impl Lane {
    fn new(template: CipherCtx) -> Self {
        Lane {
            template: CipherTemplate::new(template),
            cache: std::array::from_fn(|_| Mutex::new(None)),
        }
    }

    /// Runs `f` on a working context: a cached one if one is free (never waiting for it), else
    /// a fresh copy of the template. A context whose message failed for any reason other than
    /// authentication is dropped rather than cached, since its state is unknown.
    fn run(&self, reuse: bool, f: impl FnOnce(&mut CipherCtx) -> Result<()>) -> Result<()> {
        if reuse {
            for slot in &self.cache {
                let Ok(mut cached) = slot.try_lock() else {
                    continue;
                };
                let mut ctx = match cached.take() {
                    Some(ctx) => ctx,
                    None => self.template.copy()?,
                };
                let result = f(&mut ctx);
                if matches!(result, Ok(()) | Err(Error::InvalidTag)) {
                    *cached = Some(ctx);
                }
                return result;
            }
        }
        let mut ctx = self.template.copy()?;
        f(&mut ctx)
    }
}

/// How many CCM nonce lengths there are (7 to 13 bytes), and the shortest.
const CCM_NONCES: usize = 7;
const CCM_MIN_NONCE: usize = 7;

/// The keyed templates of one key object.
enum Lanes {
    /// One template serves both directions.
    Shared(Box<Lane>),
    /// One template per direction: `[encrypt, decrypt]`.
    PerDirection(Box<[Lane; 2]>),
    /// CCM: one template per direction and nonce length, made on first use from the key (kept
    /// for that, and wiped on drop).
    Ccm {
        cipher: Arc<Cipher>,
        key: Zeroizing<Vec<u8>>,
        lanes: Box<[[OnceLock<Lane>; CCM_NONCES]; 2]>,
    },
}

/// A keyed one-shot AEAD on libcrypto.
struct OpenSslAeadContext {
    spec: &'static Spec,
    tag_bytes: usize,
    lanes: Lanes,
}

impl OpenSslAeadContext {
    fn new(entry: &Entry, key: &[u8], tag_bytes: usize) -> Result<Self> {
        let spec = entry.spec;
        let cipher = &*entry.cipher;
        let tag_len = (spec.algorithm == AeadAlgorithm::AesOcb3).then_some(tag_bytes);
        let lanes = if spec.flow == Flow::Ccm {
            if key.len() != cipher.key_length() {
                return Err(Error::invalid(format!(
                    "OpenSSL cipher expects a {}-byte key, got {} bytes",
                    cipher.key_length(),
                    key.len()
                )));
            }
            Lanes::Ccm {
                cipher: entry.cipher.clone(),
                key: Zeroizing::new(key.to_vec()),
                lanes: Box::new(std::array::from_fn(|_| {
                    std::array::from_fn(|_| OnceLock::new())
                })),
            }
        } else if spec.shared_direction {
            Lanes::Shared(Box::new(Lane::new(keyed(
                cipher, key, true, None, tag_len,
            )?)))
        } else {
            Lanes::PerDirection(Box::new([
                Lane::new(keyed(cipher, key, true, None, tag_len)?),
                Lane::new(keyed(cipher, key, false, None, tag_len)?),
            ]))
        };
        Ok(OpenSslAeadContext {
            spec,
            tag_bytes,
            lanes,
        })
    }

    fn unsupported_nonce(&self, nonce: &[u8]) -> Error {
        let range = &self.spec.nonces;
        let rule = if range.start() == range.end() {
            format!("{}-byte nonces", range.start())
        } else {
            format!("{}- to {}-byte nonces", range.start(), range.end())
        };
        Error::unsupported(
            Reason::UnsupportedCipher,
            format!(
                "the openssl backend's {} takes {rule}, got {} bytes",
                self.spec.algorithm.name(),
                nonce.len()
            ),
        )
    }

    /// The lane serving `nonce` in direction `enc`.
    fn lane(&self, nonce: &[u8], enc: bool) -> Result<&Lane> {
        if !self.spec.nonces.contains(&nonce.len()) {
            return Err(self.unsupported_nonce(nonce));
        }
        match &self.lanes {
            Lanes::Shared(lane) => Ok(lane),
            Lanes::PerDirection(lanes) => Ok(&lanes[usize::from(!enc)]),
            Lanes::Ccm { cipher, key, lanes } => {
                let cell = nonce
                    .len()
                    .checked_sub(CCM_MIN_NONCE)
                    .and_then(|i| lanes[usize::from(!enc)].get(i))
                    .ok_or_else(|| self.unsupported_nonce(nonce))?;
                if let Some(lane) = cell.get() {
                    return Ok(lane);
                }
                let template = keyed(cipher, key, enc, Some(nonce.len()), Some(self.tag_bytes))?;
                // Another thread may have made one meanwhile; either serves.
                Ok(cell.get_or_init(|| Lane::new(template)))
            }
        }
    }

    /// Sets the context's nonce length when it differs (constructions that allow it).
    fn fit_nonce(&self, ctx: &mut CipherCtx, nonce: &[u8]) -> Result<()> {
        if nonce.len() == ctx.iv_length() {
            return Ok(());
        }
        match self.spec.algorithm {
            AeadAlgorithm::AesGcm | AeadAlgorithm::AesOcb3 => ctx.set_iv_length(nonce.len()),
            _ => Err(self.unsupported_nonce(nonce)),
        }
    }

    fn feed_aad(&self, ctx: &mut CipherCtx, aad: &[&[u8]]) -> Result<()> {
        let algorithm = self.spec.algorithm;
        if self.spec.flow == Flow::Siv {
            for component in aad {
                if c_int::try_from(component.len()).is_err() {
                    return Err(too_long(
                        algorithm,
                        "each associated-data component",
                        component.len(),
                    ));
                }
                ctx.aad_once(component)?;
            }
            return Ok(());
        }
        if self.spec.flow == Flow::GcmSiv {
            // libcrypto's GCM-SIV appends every AAD update to the AAD it holds, and a new
            // nonce does not clear it: on a reused context the previous message's AAD would be
            // authenticated again. A zero-length update is its documented reset.
            ctx.aad_once(&[])?;
        }
        let data = match aad {
            [] => return Ok(()),
            [data] => *data,
            _ => {
                return Err(Error::invalid(format!(
                    "{} takes one associated-data string, got {} components",
                    algorithm.name(),
                    aad.len()
                )))
            }
        };
        if data.is_empty() {
            return Ok(());
        }
        if self.spec.flow == Flow::Streaming {
            ctx.aad(data)
        } else {
            if c_int::try_from(data.len()).is_err() {
                return Err(too_long(algorithm, "associated data", data.len()));
            }
            ctx.aad_once(data)
        }
    }

    /// Feeds the message data; returns the bytes written to `out`.
    fn feed_data(&self, ctx: &mut CipherCtx, input: &[u8], out: &mut [u8]) -> Result<usize> {
        if self.spec.flow == Flow::Streaming {
            ctx.update(input, out)
        } else {
            ctx.update_once(input, out)
        }
    }

    /// Checks the single-call size limits before any work.
    fn check_single_call(&self, data_len: usize) -> Result<()> {
        if self.spec.flow != Flow::Streaming && c_int::try_from(data_len).is_err() {
            return Err(too_long(self.spec.algorithm, "the message", data_len));
        }
        Ok(())
    }

    fn seal(
        &self,
        ctx: &mut CipherCtx,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let (ct, tag) = if self.spec.algorithm.tag_first() {
            let (tag, ct) = out.split_at_mut(self.tag_bytes);
            (ct, tag)
        } else {
            out.split_at_mut(plaintext.len())
        };
        self.fit_nonce(ctx, nonce)?;
        start(ctx, nonce, true)?;
        if self.spec.flow == Flow::Ccm {
            ctx.set_data_length(plaintext.len())?;
        }
        self.feed_aad(ctx, aad)?;
        let mut written = self.feed_data(ctx, plaintext, ct)?;
        if self.spec.flow != Flow::Ccm {
            let rest = ct
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("AEAD output overran its buffer".into()))?;
            written += finish(ctx, rest)?;
        }
        if written != plaintext.len() {
            return Err(Error::Backend(format!(
                "libcrypto produced {written} bytes of ciphertext for {} bytes of plaintext",
                plaintext.len()
            )));
        }
        ctx.get_tag(tag)
    }

    fn open(
        &self,
        ctx: &mut CipherCtx,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let (tag, ct) = if self.spec.algorithm.tag_first() {
            ciphertext.split_at(self.tag_bytes)
        } else {
            let (ct, tag) = ciphertext.split_at(ciphertext.len() - self.tag_bytes);
            (tag, ct)
        };
        self.fit_nonce(ctx, nonce)?;
        start(ctx, nonce, false)?;
        ctx.set_tag(tag)?;
        if self.spec.flow == Flow::Ccm {
            ctx.set_data_length(ct.len())?;
        }
        self.feed_aad(ctx, aad)?;
        // CCM, SIV and GCM-SIV check the tag in their one data update.
        let checks_in_update = self.spec.flow != Flow::Streaming;
        let mut written = match self.feed_data(ctx, ct, out) {
            Ok(n) => n,
            Err(_) if checks_in_update => return Err(Error::InvalidTag),
            Err(e) => return Err(e),
        };
        if self.spec.flow != Flow::Ccm {
            let rest = out
                .get_mut(written..)
                .ok_or_else(|| Error::Backend("AEAD output overran its buffer".into()))?;
            // openssl_error has drained the queue; a failed final is a failed tag check.
            written += finish(ctx, rest).map_err(|_| Error::InvalidTag)?;
        }
        if written != ct.len() {
            return Err(Error::Backend(format!(
                "libcrypto produced {written} bytes of plaintext for {} bytes of ciphertext",
                ct.len()
            )));
        }
        Ok(())
    }
}

impl AeadContext for OpenSslAeadContext {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let needed = plaintext.len().checked_add(self.tag_bytes);
        if needed != Some(out.len()) {
            return Err(Error::invalid(format!(
                "{} output must be exactly {} bytes, got {}",
                self.spec.algorithm.name(),
                plaintext.len().saturating_add(self.tag_bytes),
                crate::exceptions::Bytes(out.len())
            )));
        }
        self.check_single_call(plaintext.len())?;
        if self.spec.flow == Flow::Siv && plaintext.is_empty() {
            // OpenSSL's SIV never finishes a message without data (its final fails).
            return Err(Error::invalid(
                "the openssl backend cannot encrypt an empty AES-SIV message",
            ));
        }
        let lane = self.lane(nonce, true)?;
        let result = lane.run(self.spec.reusable, |ctx| {
            self.seal(ctx, nonce, plaintext, aad, out)
        });
        if result.is_err() {
            out.zeroize();
        }
        result
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        let Some(plaintext_len) = ciphertext.len().checked_sub(self.tag_bytes) else {
            return Err(Error::InvalidTag);
        };
        if out.len() != plaintext_len {
            return Err(Error::invalid(format!(
                "{} output must be exactly {plaintext_len} bytes, got {}",
                self.spec.algorithm.name(),
                crate::exceptions::Bytes(out.len())
            )));
        }
        self.check_single_call(plaintext_len)?;
        let lane = self.lane(nonce, false)?;
        let result = lane.run(self.spec.reusable, |ctx| {
            self.open(ctx, nonce, ciphertext, aad, out)
        });
        if result.is_err() {
            out.zeroize();
        }
        result
    }
}
