//! Block padding for modes that need whole blocks (ECB, CBC): PKCS #7 and ANSI X9.23.
//!
//! Block sizes are in **bits** (a multiple of 8, at most 2040), as for cipher algorithms.
//! Unpadding checks every byte of the last block in constant time and reports every bad
//! padding with one error, so it leaks nothing about where the padding was wrong.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::padding::Pkcs7;
//!
//! let pkcs7 = Pkcs7::new(128)?;
//! let mut padder = pkcs7.padder();
//! let mut padded = padder.update(b"eleven byte")?;
//! padded.extend(padder.finalize()?);
//! assert_eq!(padded.len(), 16);
//! assert_eq!(padded[11..], [5; 5]);
//!
//! let mut unpadder = pkcs7.unpadder();
//! let mut data = unpadder.update(&padded)?;
//! data.extend(unpadder.finalize()?);
//! assert_eq!(data, b"eleven byte");
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use subtle::{
    Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess,
};
use zeroize::Zeroizing;

use crate::exceptions::{Error, Result};

/// The one error every malformed padding gives.
fn bad_padding() -> Error {
    Error::invalid("invalid padding bytes")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// Every pad byte holds the pad length.
    Pkcs7,
    /// Zero bytes, then the pad length.
    AnsiX923,
}

impl Scheme {
    fn pad_byte(self, pad_len: u8, is_last: bool) -> u8 {
        match self {
            Scheme::Pkcs7 => pad_len,
            Scheme::AnsiX923 if is_last => pad_len,
            Scheme::AnsiX923 => 0,
        }
    }

    /// Whether `block` ends in valid padding, in constant time; the pad length.
    fn check(self, block: &[u8]) -> (Choice, usize) {
        let n = block.len() as u8;
        let pad = block[block.len() - 1];
        let mut ok = !pad.ct_eq(&0) & !pad.ct_gt(&n);
        for (i, &byte) in block.iter().enumerate() {
            let from_end = n - 1 - i as u8;
            let in_pad = from_end.ct_lt(&pad);
            let expected = match self {
                Scheme::Pkcs7 => pad,
                // The last byte holds the length; the other pad bytes are zero.
                Scheme::AnsiX923 => u8::conditional_select(&0, &pad, from_end.ct_eq(&0)),
            };
            ok &= !in_pad | byte.ct_eq(&expected);
        }
        (ok, usize::from(pad))
    }
}

fn block_bytes(block_size: usize) -> Result<usize> {
    if block_size == 0 || !block_size.is_multiple_of(8) || block_size > 2040 {
        return Err(Error::invalid(format!(
            "block size must be a multiple of 8 bits between 8 and 2040, got {block_size}"
        )));
    }
    Ok(block_size / 8)
}

macro_rules! padding_scheme {
    ($(#[$doc:meta])* $ty:ident, $scheme:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            block_bytes: usize,
        }

        impl $ty {
            /// Padding to blocks of `block_size` bits (a multiple of 8, at most 2040).
            pub fn new(block_size: usize) -> Result<Self> {
                Ok($ty { block_bytes: block_bytes(block_size)? })
            }

            /// A context that pads.
            pub fn padder(&self) -> PaddingContext {
                PaddingContext::new($scheme, self.block_bytes)
            }

            /// A context that checks and removes padding.
            pub fn unpadder(&self) -> UnpaddingContext {
                UnpaddingContext::new($scheme, self.block_bytes)
            }
        }
    };
}

padding_scheme!(
    /// PKCS #7 (RFC 5652): `n` bytes of value `n`.
    Pkcs7,
    Scheme::Pkcs7
);
padding_scheme!(
    /// ANSI X9.23: `n - 1` zero bytes, then `n`.
    AnsiX923,
    Scheme::AnsiX923
);

/// Pads a stream: `update` returns whole blocks, `finalize` the last one with its padding.
#[derive(Debug)]
pub struct PaddingContext {
    scheme: Scheme,
    block: usize,
    pending: Zeroizing<Vec<u8>>,
    finalized: bool,
}

impl PaddingContext {
    fn new(scheme: Scheme, block: usize) -> Self {
        PaddingContext {
            scheme,
            block,
            pending: Zeroizing::new(Vec::with_capacity(block)),
            finalized: false,
        }
    }

    /// Takes `data`; returns the whole blocks now complete.
    pub fn update(&mut self, data: &[u8]) -> Result<Vec<u8>> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        self.pending.extend_from_slice(data);
        let whole = self.pending.len() - self.pending.len() % self.block;
        Ok(self.pending.drain(..whole).collect())
    }

    /// The last block: the remaining data and its padding (a whole block of padding when the
    /// data was already a multiple of the block size).
    pub fn finalize(&mut self) -> Result<Vec<u8>> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        self.finalized = true;
        let pad_len = self.block - self.pending.len();
        let mut out = std::mem::take(&mut *self.pending);
        // `block` is at most 255, so the pad length fits a byte.
        let pad = pad_len as u8;
        out.extend((0..pad_len).map(|i| self.scheme.pad_byte(pad, i + 1 == pad_len)));
        Ok(out)
    }
}

/// Removes padding from a stream: `update` holds back the last block, `finalize` checks it.
#[derive(Debug)]
pub struct UnpaddingContext {
    scheme: Scheme,
    block: usize,
    pending: Zeroizing<Vec<u8>>,
    finalized: bool,
}

impl UnpaddingContext {
    fn new(scheme: Scheme, block: usize) -> Self {
        UnpaddingContext {
            scheme,
            block,
            pending: Zeroizing::new(Vec::with_capacity(2 * block)),
            finalized: false,
        }
    }

    /// Takes padded data; returns what is certainly not part of the last block.
    pub fn update(&mut self, data: &[u8]) -> Result<Vec<u8>> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        self.pending.extend_from_slice(data);
        // Keep at least one block (it may be the last), and whole blocks only.
        let keep = match self.pending.len() % self.block {
            0 => self.block,
            partial => partial,
        };
        let release = self.pending.len().saturating_sub(keep);
        Ok(self.pending.drain(..release).collect())
    }

    /// Checks the last block's padding (in constant time) and returns its data; any bad or
    /// missing padding is one `InvalidArgument` error.
    pub fn finalize(&mut self) -> Result<Vec<u8>> {
        if self.finalized {
            return Err(Error::AlreadyFinalized);
        }
        self.finalized = true;
        if self.pending.len() != self.block {
            return Err(bad_padding());
        }
        let (ok, pad_len) = self.scheme.check(&self.pending);
        if !bool::from(ok) {
            return Err(bad_padding());
        }
        let mut out = std::mem::take(&mut *self.pending);
        out.truncate(self.block - pad_len);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad(p: PaddingContext, chunks: &[&[u8]]) -> Vec<u8> {
        let mut p = p;
        let mut out = Vec::new();
        for c in chunks {
            out.extend(p.update(c).unwrap());
        }
        out.extend(p.finalize().unwrap());
        out
    }

    fn unpad(mut u: UnpaddingContext, data: &[u8], split: usize) -> Result<Vec<u8>> {
        let mut out = u.update(&data[..split])?;
        out.extend(u.update(&data[split..])?);
        out.extend(u.finalize()?);
        Ok(out)
    }

    #[test]
    fn block_size_rules() {
        assert!(Pkcs7::new(0).is_err());
        assert!(Pkcs7::new(12).is_err());
        assert!(Pkcs7::new(2048).is_err());
        assert!(Pkcs7::new(2040).is_ok());
        assert!(AnsiX923::new(64).is_ok());
    }

    // RFC 5652 section 6.3: k - (l mod k) octets, each of value k - (l mod k).
    #[test]
    fn pkcs7_pads_as_rfc_5652_says() {
        let p = Pkcs7::new(128).unwrap();
        assert_eq!(
            pad(p.padder(), &[b"abc"]),
            [b"abc".as_slice(), &[13; 13]].concat()
        );
        assert_eq!(pad(p.padder(), &[&[7; 16]]), [[7u8; 16], [16; 16]].concat());
        assert_eq!(pad(p.padder(), &[b""]), [16u8; 16]);
    }

    // ANSI X9.23: zero bytes, the last one holding the count.
    #[test]
    fn ansix923_pads_with_zeros_then_count() {
        let p = AnsiX923::new(64).unwrap();
        assert_eq!(pad(p.padder(), &[b"abcde"]), b"abcde\0\0\x03");
        assert_eq!(
            pad(p.padder(), &[b"abcdefgh"]),
            b"abcdefgh\0\0\0\0\0\0\0\x08"
        );
    }

    #[test]
    fn round_trip_at_every_split() {
        let data: Vec<u8> = (0..50u8).collect();
        let schemes = [
            (Scheme::Pkcs7, 16),
            (Scheme::AnsiX923, 8),
            (Scheme::Pkcs7, 255),
        ];
        for (scheme, block) in schemes {
            for len in 0..=data.len() {
                let padder = PaddingContext::new(scheme, block);
                let padded = pad(padder, &[&data[..len / 2], &data[len / 2..len]]);
                assert_eq!(padded.len() % block, 0);
                assert!(padded.len() > len);
                for split in 0..=padded.len() {
                    let unpadder = UnpaddingContext::new(scheme, block);
                    assert_eq!(unpad(unpadder, &padded, split).unwrap(), &data[..len]);
                }
            }
        }
    }

    #[test]
    fn every_bad_padding_is_one_error() {
        let p = Pkcs7::new(64).unwrap();
        for bad in [
            &b"abcdefg\x00"[..],  // zero pad length
            b"abcdefg\x09",       // longer than a block
            b"abcdef\x01\x02",    // inconsistent bytes
            b"abcde\x03\x02\x03", // one wrong byte inside the pad
            b"abcdefg",           // not a whole block
            b"",                  // nothing at all
        ] {
            assert_eq!(unpad(p.unpadder(), bad, 0), Err(bad_padding()), "{bad:?}");
        }
        let x = AnsiX923::new(64).unwrap();
        assert_eq!(
            unpad(x.unpadder(), b"abcde\x01\x00\x03", 0),
            Err(bad_padding())
        );
        assert_eq!(
            unpad(x.unpadder(), b"abcde\x00\x00\x03", 0).unwrap(),
            b"abcde"
        );
    }

    #[test]
    fn use_after_finalize() {
        let p = Pkcs7::new(128).unwrap();
        let mut padder = p.padder();
        padder.finalize().unwrap();
        assert_eq!(padder.update(b"x"), Err(Error::AlreadyFinalized));
        assert_eq!(padder.finalize(), Err(Error::AlreadyFinalized));
        let mut unpadder = p.unpadder();
        unpadder.update(&[16; 16]).unwrap();
        assert_eq!(unpadder.finalize().unwrap(), b"");
        assert_eq!(unpadder.finalize(), Err(Error::AlreadyFinalized));
    }
}
