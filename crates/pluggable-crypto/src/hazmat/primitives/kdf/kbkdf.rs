//! KBKDF, the key-based KDF of NIST SP 800-108 in counter mode, with HMAC ([`KbkdfHmac`]) or
//! CMAC ([`KbkdfCmac`]) as the PRF.
//!
//! Block `i` is `PRF(key, before ‖ [i]_rlen ‖ after)`, where the fixed input
//! `Label ‖ 0x00 ‖ Context ‖ [L]_llen` (or the caller's `fixed` data) is split around the
//! counter by the [`CounterLocation`]. Parameters and their rules follow pyca's `KBKDFHMAC` and
//! `KBKDFCMAC`. Built on [`Hmac`] and [`Cmac`], so every backend with the MAC serves it.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::hashes::Sha256;
//! use pluggable_crypto::hazmat::primitives::kdf::kbkdf::{CounterLocation, KbkdfHmac, KbkdfParams};
//! use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
//!
//! let params = KbkdfParams {
//!     label: Some(b"encryption"),
//!     context: Some(b"session 42"),
//!     ..KbkdfParams::new(32)
//! };
//! let mut kdf = KbkdfHmac::new(Sha256, params)?;
//! let key = kdf.derive(&[0x2a; 32])?;
//! assert_eq!(key.len(), 32);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use super::{check_hmac, check_length, fill_blocks, KeyDerivationFunction, Usage};
use crate::exceptions::{Bytes, Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::cmac::Cmac;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::hmac::Hmac;

/// The KBKDF mode (pyca's `Mode`). Only counter mode is defined.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Counter mode (SP 800-108 §4.1).
    CounterMode,
}

/// Where the counter goes relative to the fixed input (pyca's `CounterLocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterLocation {
    /// `[i] ‖ fixed`.
    BeforeFixed,
    /// `fixed ‖ [i]`.
    AfterFixed,
    /// `fixed[..break_location] ‖ [i] ‖ fixed[break_location..]`; needs
    /// [`KbkdfParams::break_location`].
    MiddleFixed,
}

/// The parameters of a KBKDF, as pyca's constructor arguments.
///
/// [`KbkdfParams::new`] gives the common layout (32-bit counter before the fixed input,
/// 32-bit length field, no label or context); change fields with struct update syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbkdfParams<'a> {
    /// The mode (counter mode).
    pub mode: Mode,
    /// The length of the derived key in bytes (at least 1).
    pub length: usize,
    /// The counter's length in bytes, 1 to 4.
    pub rlen: usize,
    /// The length field's length in bytes, 1 to 4; may be `None` only with `fixed` data. The
    /// field encodes the output length in bits and must hold it.
    pub llen: Option<usize>,
    /// Where the counter goes.
    pub location: CounterLocation,
    /// The counter's offset into the fixed input; required with
    /// [`CounterLocation::MiddleFixed`], refused otherwise, at most the fixed input's length.
    pub break_location: Option<usize>,
    /// The label (none means empty); not allowed together with `fixed`.
    pub label: Option<&'a [u8]>,
    /// The context (none means empty); not allowed together with `fixed`.
    pub context: Option<&'a [u8]>,
    /// The whole fixed input, replacing `Label ‖ 0x00 ‖ Context ‖ [L]`.
    pub fixed: Option<&'a [u8]>,
}

impl KbkdfParams<'_> {
    /// Counter mode deriving `length` bytes with `rlen = 4`, `llen = Some(4)`, the counter
    /// before the fixed input and no label, context or fixed data.
    pub fn new(length: usize) -> Self {
        KbkdfParams {
            mode: Mode::CounterMode,
            length,
            rlen: 4,
            llen: Some(4),
            location: CounterLocation::BeforeFixed,
            break_location: None,
            label: None,
            context: None,
            fixed: None,
        }
    }
}

/// Validated counter-mode parameters: the fixed input already split around the counter.
#[derive(Clone)]
struct Counter {
    length: usize,
    rlen: usize,
    before: Vec<u8>,
    after: Vec<u8>,
}

impl Counter {
    /// Applies pyca's rules, in pyca's order, then the length rules.
    fn new(kdf: &str, p: &KbkdfParams<'_>) -> Result<Self> {
        let Mode::CounterMode = p.mode;
        let invalid = |rule: String| Err(Error::invalid(format!("{kdf}: {rule}")));
        match (p.location, p.break_location) {
            (CounterLocation::MiddleFixed, None) => {
                return invalid(
                    "Please specify a break_location (required with CounterLocation::MiddleFixed)"
                        .into(),
                );
            }
            (CounterLocation::BeforeFixed | CounterLocation::AfterFixed, Some(_)) => {
                return invalid(
                    "break_location is ignored when location is not CounterLocation::MiddleFixed"
                        .into(),
                );
            }
            _ => {}
        }
        if (p.label.is_some() || p.context.is_some()) && p.fixed.is_some() {
            return invalid("When supplying fixed data, label and context are ignored.".into());
        }
        if !(1..=4).contains(&p.rlen) {
            return invalid(format!(
                "rlen must be between 1 and 4 bytes, got {}",
                Bytes(p.rlen)
            ));
        }
        if p.fixed.is_none() && p.llen.is_none() {
            return invalid("Please specify an llen (required without fixed data)".into());
        }
        match p.llen {
            Some(0) => return invalid("llen must be non-zero".into()),
            Some(llen) if llen > 4 => {
                return invalid(format!(
                    "llen must be between 1 and 4 bytes, got {}",
                    Bytes(llen)
                ));
            }
            _ => {}
        }
        check_length(kdf, p.length)?;
        let fixed = match (p.fixed, p.llen) {
            (Some(fixed), _) => fixed.to_vec(),
            (None, Some(llen)) => {
                let bits = (p.length as u128) * 8;
                if bits >> (8 * llen) != 0 {
                    return invalid(format!(
                        "the output length {} bytes = {bits} bits does not fit in an llen of \
                         {llen} bytes",
                        p.length
                    ));
                }
                let label = p.label.unwrap_or_default();
                let context = p.context.unwrap_or_default();
                let mut fixed = Vec::with_capacity(label.len() + 1 + context.len() + llen);
                fixed.extend_from_slice(label);
                fixed.push(0x00);
                fixed.extend_from_slice(context);
                fixed.extend_from_slice(&bits.to_be_bytes()[16 - llen..]);
                fixed
            }
            (None, None) => return invalid("Please specify an llen".into()),
        };
        let split = match p.location {
            CounterLocation::BeforeFixed => 0,
            CounterLocation::AfterFixed => fixed.len(),
            CounterLocation::MiddleFixed => {
                let at = p.break_location.unwrap_or_default();
                if at > fixed.len() {
                    return invalid(format!(
                        "break_location offset > len(fixed): {at} > {}",
                        fixed.len()
                    ));
                }
                at
            }
        };
        let after = fixed.get(split..).unwrap_or_default().to_vec();
        let mut before = fixed;
        before.truncate(split);
        Ok(Counter {
            length: p.length,
            rlen: p.rlen,
            before,
            after,
        })
    }

    /// The counter must not wrap: at most `2^(8 rlen) - 1` blocks of `prf_bytes`.
    fn check_rounds(&self, kdf: &str, prf_bytes: usize) -> Result<()> {
        let rounds = self.length.div_ceil(prf_bytes.max(1)) as u64;
        let max = (1u64 << (8 * self.rlen)) - 1;
        if rounds > max {
            return Err(Error::invalid(format!(
                "{kdf}: There are too many iterations: {} bytes need {rounds} blocks of \
                 {prf_bytes} bytes, but an rlen of {} bytes counts at most {max}",
                self.length, self.rlen
            )));
        }
        Ok(())
    }

    /// Fills `out` with the PRF blocks; `prf` maps one block's input to its output.
    fn derive(
        &self,
        out: &mut [u8],
        prf_bytes: usize,
        mut prf: impl FnMut(&[u8]) -> Result<Vec<u8>>,
    ) -> Result<()> {
        let mut input = Vec::with_capacity(self.before.len() + self.rlen + self.after.len());
        fill_blocks(out, prf_bytes, |i| {
            input.clear();
            input.extend_from_slice(&self.before);
            input.extend_from_slice(&i.to_be_bytes()[4 - self.rlen..]);
            input.extend_from_slice(&self.after);
            prf(&input)
        })
    }
}

impl fmt::Debug for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Counter")
            .field("length", &self.length)
            .field("rlen", &self.rlen)
            .field("fixed_before_counter", &super::Len(self.before.len()))
            .field("fixed_after_counter", &super::Len(self.after.len()))
            .finish()
    }
}

/// KBKDF in counter mode with HMAC (pyca's `KBKDFHMAC`).
pub struct KbkdfHmac {
    algorithm: Arc<dyn HashAlgorithm>,
    counter: Counter,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for KbkdfHmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KbkdfHmac")
            .field("algorithm", &self.algorithm)
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

impl KbkdfHmac {
    /// KBKDF with HMAC over `algorithm` and `params`, on the default backend. HMAC over
    /// `algorithm` must be available (`UnsupportedAlgorithm` otherwise).
    pub fn new(algorithm: impl HashAlgorithm, params: KbkdfParams<'_>) -> Result<Self> {
        Self::with_backend(algorithm, params, default_backend())
    }

    /// As [`KbkdfHmac::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        params: KbkdfParams<'_>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), params, backend)
    }

    /// As [`KbkdfHmac::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        params: KbkdfParams<'_>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let counter = Counter::new("KBKDFHMAC", &params)?;
        check_hmac("KBKDFHMAC", &*algorithm, &*backend)?;
        counter.check_rounds("KBKDFHMAC", algorithm.digest_size())?;
        Ok(KbkdfHmac {
            algorithm,
            counter,
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm of the HMAC.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for KbkdfHmac {
    fn length(&self) -> usize {
        self.counter.length
    }

    /// Derives from `key_material`, the key-derivation key (the HMAC key).
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, counter, backend) = (&self.algorithm, &self.counter, &self.backend);
        self.usage.run(counter.length, out, |out| {
            let keyed = Hmac::from_shared(key_material, algorithm.clone(), backend.clone())?;
            counter.derive(out, algorithm.digest_size(), |input| {
                let mut mac = keyed.copy()?;
                mac.update(input)?;
                mac.finalize()
            })
        })
    }
}

/// Builds the PRF's block cipher from the key-derivation key.
type CipherFromKey = dyn Fn(&[u8]) -> Result<Arc<dyn CipherAlgorithm>> + Send + Sync;

/// KBKDF in counter mode with CMAC (pyca's `KBKDFCMAC`).
///
/// Takes the block cipher as its constructor (e.g. `Aes::new`), which the key material is
/// given to at `derive` time, as pyca takes the cipher class.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::ciphers::algorithms::Aes;
/// use pluggable_crypto::hazmat::primitives::kdf::kbkdf::{KbkdfCmac, KbkdfParams};
/// use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
///
/// # let probe = Aes::new(&[0; 16])?;
/// # if !pluggable_crypto::hazmat::backends::default_backend().cmac_algorithm_supported(&probe) {
/// #     return Ok(());
/// # }
/// let mut kdf = KbkdfCmac::new(Aes::new, KbkdfParams::new(32))?;
/// let key = kdf.derive(&[0x2a; 16])?;
/// assert_eq!(key.len(), 32);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct KbkdfCmac {
    cipher: Box<CipherFromKey>,
    counter: Counter,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for KbkdfCmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KbkdfCmac")
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

impl KbkdfCmac {
    /// KBKDF with CMAC over the block cipher that `algorithm` builds from the key material
    /// (e.g. `Aes::new`), with `params`, on the default backend. The counter limit, the key's
    /// validity and CMAC support are checked at `derive`, once the cipher (and so its block
    /// size) is known.
    pub fn new<A: CipherAlgorithm>(
        algorithm: impl Fn(&[u8]) -> Result<A> + Send + Sync + 'static,
        params: KbkdfParams<'_>,
    ) -> Result<Self> {
        Self::with_backend(algorithm, params, default_backend())
    }

    /// As [`KbkdfCmac::new`], on `backend`.
    pub fn with_backend<A: CipherAlgorithm>(
        algorithm: impl Fn(&[u8]) -> Result<A> + Send + Sync + 'static,
        params: KbkdfParams<'_>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let counter = Counter::new("KBKDFCMAC", &params)?;
        Ok(KbkdfCmac {
            cipher: Box::new(move |key| {
                let cipher: Arc<dyn CipherAlgorithm> = Arc::new(algorithm(key)?);
                Ok(cipher)
            }),
            counter,
            backend,
            usage: Usage::default(),
        })
    }
}

impl KeyDerivationFunction for KbkdfCmac {
    fn length(&self) -> usize {
        self.counter.length
    }

    /// Derives from `key_material`, the key-derivation key (the block cipher's key).
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (cipher, counter, backend) = (&self.cipher, &self.counter, &self.backend);
        self.usage.run(counter.length, out, |out| {
            let cipher = cipher(key_material)?;
            let block_bytes = match cipher.block_size() {
                Some(bits) => bits / 8,
                None => {
                    return Err(Error::unsupported(
                        Reason::UnsupportedCipher,
                        format!(
                            "KBKDFCMAC needs a block cipher; {} is a stream cipher",
                            cipher.name()
                        ),
                    ))
                }
            };
            counter.check_rounds("KBKDFCMAC", block_bytes)?;
            let keyed = Cmac::from_shared(cipher, backend.clone())?;
            counter.derive(out, block_bytes, |input| {
                let mut mac = keyed.copy()?;
                mac.update(input)?;
                mac.finalize()
            })
        })
    }
}

super::inherent_kdf_methods!(KbkdfHmac, KbkdfCmac);
