//! HKDF, the HMAC-based extract-and-expand KDF (RFC 5869), and its expand step alone.
//!
//! Built on [`Hmac`], so every backend with HMAC over the hash serves it. The output length is
//! at most 255 × the digest size **in bytes** (pyca once checked it against the digest size in
//! bits, allowing outputs eight times too long).

use std::fmt;
use std::sync::Arc;

use zeroize::{Zeroize, Zeroizing};

use super::{check_hmac, check_length, fill_blocks, KeyDerivationFunction, Len, Usage};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::hmac::Hmac;

/// HKDF's limit: at most 255 blocks of the digest size in bytes.
fn check_hkdf_length(kdf: &str, algorithm: &dyn HashAlgorithm, length: usize) -> Result<()> {
    check_length(kdf, length)?;
    let digest = algorithm.digest_size();
    let max = digest.saturating_mul(255);
    if length > max {
        return Err(Error::invalid(format!(
            "{kdf} can derive at most 255 x {digest} = {max} bytes with {} (255 x the digest \
             size in bytes), asked for {length} bytes",
            algorithm.name()
        )));
    }
    Ok(())
}

/// HKDF-Extract: `HMAC(salt, key_material)`, the salt defaulting to a digest's worth of zeros.
fn extract(
    algorithm: &Arc<dyn HashAlgorithm>,
    salt: Option<&[u8]>,
    key_material: &[u8],
    backend: &Arc<dyn Backend>,
) -> Result<Zeroizing<Vec<u8>>> {
    let zeros;
    let salt = match salt {
        Some(salt) => salt,
        None => {
            zeros = vec![0u8; algorithm.digest_size()];
            &zeros
        }
    };
    let mut mac = Hmac::from_shared(salt, algorithm.clone(), backend.clone())?;
    mac.update(key_material)?;
    Ok(Zeroizing::new(mac.finalize()?))
}

/// HKDF-Expand: `T(i) = HMAC(prk, T(i-1) ‖ info ‖ i)`, concatenated and cut to `out`.
fn expand(
    algorithm: &Arc<dyn HashAlgorithm>,
    prk: &[u8],
    info: &[u8],
    backend: &Arc<dyn Backend>,
    out: &mut [u8],
) -> Result<()> {
    let keyed = Hmac::from_shared(prk, algorithm.clone(), backend.clone())?;
    let mut previous = Zeroizing::new(Vec::new());
    fill_blocks(out, algorithm.digest_size(), |counter| {
        // The limit of 255 blocks is checked at construction.
        let counter = u8::try_from(counter)
            .map_err(|_| Error::invalid("HKDF cannot derive more than 255 blocks"))?;
        let mut mac = keyed.copy()?;
        mac.update(&previous)?;
        mac.update(info)?;
        mac.update(&[counter])?;
        let block = mac.finalize()?;
        previous.zeroize();
        previous.extend_from_slice(&block);
        Ok(block)
    })
}

/// HKDF (RFC 5869): extract a pseudorandom key from the key material with a salt, then expand
/// it with `info` to `length` bytes.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::hashes::Sha256;
/// use pluggable_crypto::hazmat::primitives::kdf::{hkdf::Hkdf, KeyDerivationFunction};
///
/// // RFC 5869, appendix A.1.
/// let ikm = [0x0b; 22];
/// let salt: Vec<u8> = (0x00..=0x0c).collect();
/// let info: Vec<u8> = (0xf0..=0xf9).collect();
/// let mut hkdf = Hkdf::new(Sha256, 42, Some(&salt), Some(&info))?;
/// let okm = hkdf.derive(&ikm)?;
/// assert_eq!(okm[..4], [0x3c, 0xb2, 0x5f, 0x25]);
///
/// // Each instance derives once; verifying needs a fresh one.
/// let mut again = Hkdf::new(Sha256, 42, Some(&salt), Some(&info))?;
/// again.verify(&ikm, &okm)?;
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub struct Hkdf {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    salt: Option<Vec<u8>>,
    info: Vec<u8>,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for Hkdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hkdf")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("salt", &self.salt.as_ref().map(|s| Len(s.len())))
            .field("info", &Len(self.info.len()))
            .finish_non_exhaustive()
    }
}

impl Hkdf {
    /// HKDF over `algorithm` deriving `length` bytes (1 to 255 × the digest size in bytes) on
    /// the default backend. `salt` defaults to a digest's worth of zero bytes, `info` to
    /// empty. HMAC over `algorithm` must be available (`UnsupportedAlgorithm` otherwise).
    pub fn new(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: Option<&[u8]>,
        info: Option<&[u8]>,
    ) -> Result<Self> {
        Self::with_backend(algorithm, length, salt, info, default_backend())
    }

    /// As [`Hkdf::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        salt: Option<&[u8]>,
        info: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, salt, info, backend)
    }

    /// As [`Hkdf::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        salt: Option<&[u8]>,
        info: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_hmac("HKDF", &*algorithm, &*backend)?;
        check_hkdf_length("HKDF", &*algorithm, length)?;
        Ok(Hkdf {
            algorithm,
            length,
            salt: salt.map(<[u8]>::to_vec),
            info: info.unwrap_or_default().to_vec(),
            backend,
            usage: Usage::default(),
        })
    }

    /// HKDF-Extract alone on the default backend: the pseudorandom key
    /// `HMAC(salt, key_material)`, one digest long (`salt` defaulting as in [`Hkdf::new`]).
    pub fn extract(
        algorithm: impl HashAlgorithm,
        salt: Option<&[u8]>,
        key_material: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        Self::extract_with_backend(algorithm, salt, key_material, default_backend())
    }

    /// As [`Hkdf::extract`], on `backend`.
    pub fn extract_with_backend(
        algorithm: impl HashAlgorithm,
        salt: Option<&[u8]>,
        key_material: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        Self::extract_from_shared(Arc::new(algorithm), salt, key_material, backend)
    }

    /// As [`Hkdf::extract`], with a shared algorithm object (such as one chosen by name at run
    /// time), on `backend`.
    pub fn extract_from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        salt: Option<&[u8]>,
        key_material: &[u8],
        backend: Arc<dyn Backend>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        check_hmac("HKDF", &*algorithm, &*backend)?;
        extract(&algorithm, salt, key_material, &backend)
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for Hkdf {
    fn length(&self) -> usize {
        self.length
    }

    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, salt, info, backend) =
            (&self.algorithm, &self.salt, &self.info, &self.backend);
        self.usage.run(self.length, out, |out| {
            let prk = extract(algorithm, salt.as_deref(), key_material, backend)?;
            expand(algorithm, &prk, info, backend, out)
        })
    }
}

/// HKDF-Expand alone (RFC 5869 §2.3): expands key material that is already a pseudorandom key
/// (e.g. a TLS 1.3 secret) with `info` to `length` bytes.
pub struct HkdfExpand {
    algorithm: Arc<dyn HashAlgorithm>,
    length: usize,
    info: Vec<u8>,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

impl fmt::Debug for HkdfExpand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HkdfExpand")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("info", &Len(self.info.len()))
            .finish_non_exhaustive()
    }
}

impl HkdfExpand {
    /// HKDF-Expand over `algorithm` deriving `length` bytes (1 to 255 × the digest size in
    /// bytes) on the default backend; `info` defaults to empty.
    pub fn new(algorithm: impl HashAlgorithm, length: usize, info: Option<&[u8]>) -> Result<Self> {
        Self::with_backend(algorithm, length, info, default_backend())
    }

    /// As [`HkdfExpand::new`], on `backend`.
    pub fn with_backend(
        algorithm: impl HashAlgorithm,
        length: usize,
        info: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        Self::from_shared(Arc::new(algorithm), length, info, backend)
    }

    /// As [`HkdfExpand::new`], with a shared algorithm object, on `backend`.
    pub fn from_shared(
        algorithm: Arc<dyn HashAlgorithm>,
        length: usize,
        info: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        check_hmac("HKDFExpand", &*algorithm, &*backend)?;
        check_hkdf_length("HKDFExpand", &*algorithm, length)?;
        Ok(HkdfExpand {
            algorithm,
            length,
            info: info.unwrap_or_default().to_vec(),
            backend,
            usage: Usage::default(),
        })
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }
}

impl KeyDerivationFunction for HkdfExpand {
    fn length(&self) -> usize {
        self.length
    }

    /// Derives from `key_material`, the pseudorandom key (used as the HMAC key as is).
    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let (algorithm, info, backend) = (&self.algorithm, &self.info, &self.backend);
        self.usage.run(self.length, out, |out| {
            expand(algorithm, key_material, info, backend, out)
        })
    }
}

super::inherent_kdf_methods!(Hkdf, HkdfExpand);
