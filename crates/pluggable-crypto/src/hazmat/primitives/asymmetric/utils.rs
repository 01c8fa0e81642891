//! Helpers shared by the signature schemes (pyca's `asymmetric.utils`): [`Prehashed`], the
//! hash argument of every `sign` / `verify` ([`SignatureHash`]), and the DSS signature
//! encodings: [`encode_dss_signature`] / [`decode_dss_signature`] (DER) and
//! [`dss_signature_to_p1363`] / [`p1363_to_dss_signature`] (fixed-width `r ‖ s`).

use std::fmt;
use std::sync::Arc;

use super::hash_id::HashId;
use super::integer::BigUint;
use super::scheme::SignInput;
use crate::exceptions::{Bytes, Error, Result};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// Marks the data given to `sign` / `verify` as a digest already computed with the hash
/// (pyca's `utils.Prehashed`).
///
/// ```
/// use pluggable_crypto::hazmat::primitives::asymmetric::utils::{Prehashed, SignatureHash};
/// use pluggable_crypto::hazmat::primitives::hashes::Sha256;
///
/// let over_message: SignatureHash = Sha256.into();
/// let over_digest: SignatureHash = Prehashed(Sha256).into();
/// assert!(!over_message.is_prehashed());
/// assert!(over_digest.is_prehashed());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prehashed<H>(pub H);

/// The hash argument of a signature or verification: the message is hashed with the algorithm,
/// or (for [`Prehashed`]) the data is already its digest.
#[derive(Clone)]
pub struct SignatureHash {
    algorithm: Arc<dyn HashAlgorithm>,
    prehashed: bool,
}

impl SignatureHash {
    /// The hash algorithm.
    pub fn algorithm(&self) -> &dyn HashAlgorithm {
        &*self.algorithm
    }

    /// True when the data is a digest ([`Prehashed`]).
    pub fn is_prehashed(&self) -> bool {
        self.prehashed
    }

    /// The hash as a [`HashId`] (`UnsupportedAlgorithm` for one signatures do not take).
    pub fn hash_id(&self) -> Result<HashId> {
        HashId::of(&*self.algorithm)
    }

    /// The backend request for `data`: the hash, and the message or the digest (whose length
    /// is checked against the hash).
    pub(crate) fn resolve<'a>(&self, data: &'a [u8]) -> Result<(HashId, SignInput<'a>)> {
        let hash = self.hash_id()?;
        if !self.prehashed {
            return Ok((hash, SignInput::Message(data)));
        }
        if data.len() != hash.digest_size() {
            return Err(Error::invalid(format!(
                "a prehashed {} digest must be {}, got {}",
                hash.name(),
                Bytes(hash.digest_size()),
                Bytes(data.len())
            )));
        }
        Ok((hash, SignInput::Digest(data)))
    }
}

impl fmt::Debug for SignatureHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prehashed {
            write!(f, "Prehashed({})", self.algorithm.name())
        } else {
            f.write_str(self.algorithm.name())
        }
    }
}

impl<H: HashAlgorithm> From<H> for SignatureHash {
    fn from(algorithm: H) -> Self {
        SignatureHash {
            algorithm: Arc::new(algorithm),
            prehashed: false,
        }
    }
}

impl<H: HashAlgorithm> From<Prehashed<H>> for SignatureHash {
    fn from(prehashed: Prehashed<H>) -> Self {
        SignatureHash {
            algorithm: Arc::new(prehashed.0),
            prehashed: true,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DSS signatures (ECDSA and DSA): DER `SEQUENCE { r INTEGER, s INTEGER }` and the fixed-width
// r ‖ s form (IEEE P1363, JOSE, WebCrypto).

/// The DER encoding of an ECDSA or DSA signature from its integers (pyca's
/// `utils.encode_dss_signature`): `SEQUENCE { r INTEGER, s INTEGER }`.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::asymmetric::utils::{
///     decode_dss_signature, encode_dss_signature,
/// };
/// use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
///
/// let der = encode_dss_signature(&BigUint::from_u64(1), &BigUint::from_u64(0x80));
/// assert_eq!(der, [0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80]);
/// let (r, s) = decode_dss_signature(&der)?;
/// assert_eq!((r.to_u64(), s.to_u64()), (Some(1), Some(0x80)));
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn encode_dss_signature(r: &BigUint, s: &BigUint) -> Vec<u8> {
    der_sequence_of_uints(r.as_be_slice(), s.as_be_slice())
}

/// The integers `(r, s)` of a DER-encoded ECDSA or DSA signature (pyca's
/// `utils.decode_dss_signature`).
///
/// The decoding is strict DER: one `SEQUENCE` of exactly two non-negative, minimally encoded
/// `INTEGER`s with definite, minimal lengths and nothing after it. Anything else is
/// `InvalidArgument`.
pub fn decode_dss_signature(signature: &[u8]) -> Result<(BigUint, BigUint)> {
    let (r, s) = parse_dss(signature).ok_or_else(|| {
        Error::invalid(
            "a DSS signature must be the DER of SEQUENCE { r INTEGER, s INTEGER } with \
             non-negative, minimally encoded integers and nothing after it",
        )
    })?;
    Ok((BigUint::from_be_bytes(r), BigUint::from_be_bytes(s)))
}

/// The fixed-width `r ‖ s` form (IEEE P1363; what JOSE and WebCrypto call an ECDSA
/// signature) of a DER signature: each integer left-padded to `width` bytes. For ECDSA `width`
/// is [`EllipticCurve::scalar_bytes`](super::EllipticCurve::scalar_bytes) (32 for P-256,
/// 66 for P-521); for DSA, the byte length of q.
///
/// `InvalidArgument` if `signature` is not strict DER (as [`decode_dss_signature`]) or an
/// integer needs more than `width` bytes.
///
/// ```
/// use pluggable_crypto::hazmat::primitives::asymmetric::utils::{
///     dss_signature_to_p1363, encode_dss_signature, p1363_to_dss_signature,
/// };
/// use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, EllipticCurve};
///
/// let der = encode_dss_signature(&BigUint::from_u64(7), &BigUint::from_u64(9));
/// let raw = dss_signature_to_p1363(&der, EllipticCurve::Secp256r1.scalar_bytes())?;
/// assert_eq!(raw.len(), 64);
/// assert_eq!((raw[31], raw[63]), (7, 9));
/// assert_eq!(p1363_to_dss_signature(&raw)?, der);
/// # Ok::<(), pluggable_crypto::Error>(())
/// ```
pub fn dss_signature_to_p1363(signature: &[u8], width: usize) -> Result<Vec<u8>> {
    let (r, s) = parse_dss(signature).ok_or_else(|| {
        Error::invalid(
            "a DSS signature must be the DER of SEQUENCE { r INTEGER, s INTEGER } with \
             non-negative, minimally encoded integers and nothing after it",
        )
    })?;
    dss_to_fixed_parts(r, s, width).ok_or_else(|| {
        Error::invalid(format!(
            "a signature integer does not fit in {} (the fixed width asked for)",
            Bytes(width)
        ))
    })
}

/// The DER signature (`SEQUENCE { r, s }`) of a fixed-width `r ‖ s` (IEEE P1363) signature:
/// its first half is r, its second half s. `InvalidArgument` for an empty or odd-length input.
pub fn p1363_to_dss_signature(signature: &[u8]) -> Result<Vec<u8>> {
    fixed_to_dss(signature).ok_or_else(|| {
        Error::invalid(format!(
            "an r ‖ s signature must be two equal halves, got {}",
            Bytes(signature.len())
        ))
    })
}

/// `r ‖ s`, each `width` bytes, from strict DER; `None` if it is not strict DER or an integer
/// is wider than `width`. (For backends: a malformed signature is then `InvalidSignature`.)
pub(crate) fn dss_to_fixed(signature: &[u8], width: usize) -> Option<Vec<u8>> {
    let (r, s) = parse_dss(signature)?;
    dss_to_fixed_parts(r, s, width)
}

/// The DER of a fixed-width `r ‖ s`; `None` for an empty or odd-length input.
pub(crate) fn fixed_to_dss(signature: &[u8]) -> Option<Vec<u8>> {
    if signature.is_empty() || !signature.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = signature.split_at(signature.len() / 2);
    Some(der_sequence_of_uints(r, s))
}

fn dss_to_fixed_parts(r: &[u8], s: &[u8], width: usize) -> Option<Vec<u8>> {
    let r = strip_zeros(r);
    let s = strip_zeros(s);
    if r.len() > width || s.len() > width {
        return None;
    }
    let mut out = vec![0u8; 2 * width];
    out.get_mut(width - r.len()..width)?.copy_from_slice(r);
    out.get_mut(2 * width - s.len()..)?.copy_from_slice(s);
    Some(out)
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The magnitudes (big-endian, leading zeros removed) of the two integers of a strict-DER
/// `SEQUENCE { INTEGER, INTEGER }`, or `None`.
fn parse_dss(signature: &[u8]) -> Option<(&[u8], &[u8])> {
    use der::asn1::UintRef;
    use der::{Decode, Reader, SliceReader};
    let mut reader = SliceReader::new(signature).ok()?;
    let (r, s) = reader
        .sequence(|seq: &mut SliceReader<'_>| {
            let r = UintRef::decode(seq)?;
            let s = UintRef::decode(seq)?;
            Ok::<_, der::Error>((r, s))
        })
        .ok()?;
    reader.finish().ok()?;
    Some((r.as_bytes(), s.as_bytes()))
}

/// DER `SEQUENCE { INTEGER a, INTEGER b }` of two unsigned big-endian magnitudes.
fn der_sequence_of_uints(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut body = der_uint(a);
    body.extend_from_slice(&der_uint(b));
    let mut out = vec![0x30];
    der_length(body.len(), &mut out);
    out.extend_from_slice(&body);
    out
}

fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    let magnitude = strip_zeros(magnitude);
    let mut content = Vec::with_capacity(magnitude.len() + 1);
    // Zero is one 0x00 byte; a set top bit needs a 0x00 so the INTEGER stays non-negative.
    if magnitude.first().is_none_or(|&top| top & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(magnitude);
    let mut out = vec![0x02];
    der_length(content.len(), &mut out);
    out.extend_from_slice(&content);
    out
}

fn der_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let significant = strip_zeros(&bytes);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazmat::primitives::hashes::{Sha256, Shake128};

    #[test]
    fn a_prehashed_digest_must_have_the_hash_length() {
        let hash: SignatureHash = Prehashed(Sha256).into();
        assert_eq!(
            hash.resolve(&[0; 31]).unwrap_err().to_string(),
            "a prehashed sha256 digest must be 32 bytes, got 31 bytes"
        );
        assert_eq!(
            hash.resolve(&[7; 32]).unwrap(),
            (HashId::Sha256, SignInput::Digest(&[7; 32]))
        );
        let plain: SignatureHash = Sha256.into();
        assert_eq!(
            plain.resolve(b"abc").unwrap(),
            (HashId::Sha256, SignInput::Message(b"abc"))
        );
    }

    #[test]
    fn an_xof_is_not_a_signature_hash() {
        let hash: SignatureHash = Shake128::new(32).expect("a valid XOF length").into();
        assert!(hash.hash_id().unwrap_err().is_unsupported());
    }

    #[test]
    fn dss_signatures_round_trip_and_refuse_loose_der() {
        let r = BigUint::from_hex("ff01").unwrap();
        let s = BigUint::zero();
        let der = encode_dss_signature(&r, &s);
        assert_eq!(
            der,
            [0x30, 0x08, 0x02, 0x03, 0x00, 0xff, 0x01, 0x02, 0x01, 0x00]
        );
        assert_eq!(decode_dss_signature(&der).unwrap(), (r.clone(), s.clone()));
        let raw = dss_signature_to_p1363(&der, 3).unwrap();
        assert_eq!(raw, [0, 0xff, 1, 0, 0, 0]);
        assert_eq!(p1363_to_dss_signature(&raw).unwrap(), der);
        assert!(dss_signature_to_p1363(&der, 1).is_err());
        assert!(p1363_to_dss_signature(&[1, 2, 3]).is_err());
        assert!(p1363_to_dss_signature(&[]).is_err());
        for bad in [
            &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00][..], // trailing byte
            &[0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00],     // content after s
            &[0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01],           // negative r
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01],     // non-minimal r
            &[0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],     // non-minimal length
            &[0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0, 0],     // indefinite length
            &[0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],           // a SET
            &[0x30, 0x03, 0x02, 0x01, 0x01],                             // one integer
            &[0x30, 0x04, 0x02, 0x00, 0x02, 0x00],                       // empty integers
            &[],
        ] {
            assert!(decode_dss_signature(bad).is_err(), "{bad:02x?}");
            assert!(dss_to_fixed(bad, 32).is_none(), "{bad:02x?}");
        }
        // Long-form lengths are written for long signatures.
        let big = BigUint::from_be_bytes(&[0x7f; 70]);
        let der = encode_dss_signature(&big, &big);
        assert_eq!(&der[..3], &[0x30, 0x81, 144]);
        assert_eq!(decode_dss_signature(&der).unwrap(), (big.clone(), big));
    }
}
