//! [`BigUint`]: the unsigned integers of key numbers (pyca's Python `int`s).
//!
//! Stored as minimal big-endian bytes and zeroized on drop, since the same type carries private
//! exponents, primes and scalars. `Debug` prints only the bit length; use
//! [`to_hex`](BigUint::to_hex) or [`to_be_bytes`](BigUint::to_be_bytes) to see a value.

use std::cmp::Ordering;
use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::exceptions::{Error, Result};

/// An arbitrary-precision unsigned integer (a key number).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BigUint {
    /// Big-endian, without leading zero bytes; zero is empty.
    be: Vec<u8>,
}

impl BigUint {
    /// Zero.
    pub fn zero() -> Self {
        BigUint { be: Vec::new() }
    }

    /// The integer whose big-endian encoding is `bytes` (leading zeros allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Self {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        BigUint {
            be: bytes[start..].to_vec(),
        }
    }

    /// The integer `value`.
    pub fn from_u64(value: u64) -> Self {
        Self::from_be_bytes(&value.to_be_bytes())
    }

    /// Parses hexadecimal digits (an optional `0x`, any case, no sign).
    pub fn from_hex(hex: &str) -> Result<Self> {
        let digits = hex.strip_prefix("0x").unwrap_or(hex);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid(
                "an integer in hexadecimal must be one or more digits 0-9, a-f",
            ));
        }
        let padded = if digits.len() % 2 == 1 {
            format!("0{digits}")
        } else {
            digits.to_owned()
        };
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(padded.as_bytes())
            .map_err(|_| Error::invalid("an integer in hexadecimal must be digits 0-9, a-f"))?;
        Ok(Self::from_be_bytes(&bytes))
    }

    /// The minimal big-endian encoding (one 0x00 byte for zero).
    pub fn to_be_bytes(&self) -> Vec<u8> {
        if self.be.is_empty() {
            vec![0]
        } else {
            self.be.clone()
        }
    }

    /// The big-endian encoding left-padded to `len` bytes, or `None` if the value needs more.
    pub fn to_be_bytes_padded(&self, len: usize) -> Option<Vec<u8>> {
        if self.be.len() > len {
            return None;
        }
        let mut out = vec![0u8; len];
        out[len - self.be.len()..].copy_from_slice(&self.be);
        Some(out)
    }

    /// The minimal big-endian bytes, empty for zero.
    pub fn as_be_slice(&self) -> &[u8] {
        &self.be
    }

    /// Lowercase hexadecimal without leading zeros (`"0"` for zero).
    pub fn to_hex(&self) -> String {
        if self.be.is_empty() {
            return "0".to_owned();
        }
        let hex = data_encoding::HEXLOWER.encode(&self.be);
        hex.trim_start_matches('0').to_owned()
    }

    /// The number of significant bits (0 for zero).
    pub fn bits(&self) -> usize {
        match self.be.first() {
            None => 0,
            Some(&top) => self.be.len() * 8 - top.leading_zeros() as usize,
        }
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.be.is_empty()
    }

    /// True for an odd value.
    pub fn is_odd(&self) -> bool {
        self.be.last().is_some_and(|b| b & 1 == 1)
    }

    /// The value as a `u64`, if it fits.
    pub fn to_u64(&self) -> Option<u64> {
        if self.be.len() > 8 {
            return None;
        }
        Some(
            self.be
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        )
    }
}

impl PartialEq for BigUint {
    fn eq(&self, other: &Self) -> bool {
        self.be == other.be
    }
}

impl Eq for BigUint {}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.be
            .len()
            .cmp(&other.be.len())
            .then_with(|| self.be.cmp(&other.be))
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<u64> for BigUint {
    fn from(value: u64) -> Self {
        Self::from_u64(value)
    }
}

impl fmt::Debug for BigUint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BigUint({} bits)", self.bits())
    }
}

impl fmt::LowerHex for BigUint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_hex_and_bits_round_trip() {
        let n = BigUint::from_hex("0x00010001").unwrap();
        assert_eq!(n.to_be_bytes(), vec![1, 0, 1]);
        assert_eq!(n.to_u64(), Some(65537));
        assert_eq!(n.bits(), 17);
        assert_eq!(n.to_hex(), "10001");
        assert_eq!(n.to_be_bytes_padded(4), Some(vec![0, 1, 0, 1]));
        assert_eq!(n.to_be_bytes_padded(2), None);
        assert!(BigUint::zero().is_zero());
        assert_eq!(BigUint::zero().to_be_bytes(), vec![0]);
        assert!(BigUint::from_u64(3) < BigUint::from_u64(256));
        assert!(BigUint::from_hex("xyz").is_err());
        assert_eq!(format!("{:?}", n), "BigUint(17 bits)");
    }
}
