//! Finite-field arithmetic for the checks of the DSA and DH layers (subgroup membership,
//! `y == g^x mod p`, `q | p - 1`), on `crypto-bigint`. Nothing here knows a backend.
//!
//! Exponentiation with a secret exponent (`x`) uses the constant-time Montgomery ladder of
//! `crypto-bigint` at a fixed precision; the temporaries holding it are zeroized.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd};
use zeroize::Zeroizing;

use super::integer::BigUint;

/// The precision (in bits, a multiple of the 64-bit limb) that holds `n`.
fn precision_of(n: &BigUint) -> u32 {
    let bits = u32::try_from(n.as_be_slice().len() * 8).unwrap_or(u32::MAX);
    bits.div_ceil(64).max(1) * 64
}

/// `n` at `precision` bits, or `None` if it does not fit.
fn boxed(n: &BigUint, precision: u32) -> Option<BoxedUint> {
    BoxedUint::from_be_slice(n.as_be_slice(), precision).ok()
}

/// Back to a [`BigUint`] (the big-endian temporary is zeroized).
fn unboxed(n: &BoxedUint) -> BigUint {
    let bytes = Zeroizing::new(n.to_be_bytes());
    BigUint::from_be_bytes(&bytes)
}

/// Whether `n` is (probably) prime: the Baillie-PSW test of `crypto-primes`, which has no
/// known counterexample. For parameters read from files, where p and q are public.
pub(crate) fn is_probable_prime(n: &BigUint) -> bool {
    match boxed(n, precision_of(n)) {
        Some(n) => crypto_primes::is_prime(crypto_primes::Flavor::Any, &n),
        None => false,
    }
}

/// An odd modulus p, ready for exponentiation.
pub(crate) struct OddModulus {
    params: BoxedMontyParams,
    precision: u32,
    p: BigUint,
}

impl OddModulus {
    /// The modulus `p`, or `None` if it is even (or below 3).
    pub(crate) fn new(p: &BigUint) -> Option<Self> {
        if !p.is_odd() || *p < BigUint::from_u64(3) {
            return None;
        }
        let precision = precision_of(p);
        let odd = Odd::new(boxed(p, precision)?).into_option()?;
        Some(OddModulus {
            params: BoxedMontyParams::new_vartime(odd),
            precision,
            p: p.clone(),
        })
    }

    /// `base^exponent mod p` for `base < p` (`None` otherwise). Constant time in the exponent's
    /// value for a given exponent length.
    pub(crate) fn pow(&self, base: &BigUint, exponent: &BigUint) -> Option<BigUint> {
        if *base >= self.p {
            return None;
        }
        let base = boxed(base, self.precision)?;
        let exponent = Zeroizing::new(boxed(exponent, precision_of(exponent))?);
        let result = BoxedMontyForm::new(base, &self.params)
            .pow(&exponent)
            .retrieve();
        Some(unboxed(&result))
    }
}

/// True when `divisor` (non-zero) divides `n`.
pub(crate) fn divides(divisor: &BigUint, n: &BigUint) -> bool {
    let precision = precision_of(n).max(precision_of(divisor));
    let (Some(n), Some(d)) = (boxed(n, precision), boxed(divisor, precision)) else {
        return false;
    };
    let Some(d) = NonZero::new(d).into_option() else {
        return false;
    };
    bool::from(n.rem_vartime(&d).is_zero())
}

/// `n - 1` for `n >= 1` (zero stays zero).
pub(crate) fn minus_one(n: &BigUint) -> BigUint {
    let precision = precision_of(n);
    match boxed(n, precision) {
        Some(b) if !bool::from(b.is_zero()) => unboxed(&b.wrapping_sub(BoxedUint::one())),
        _ => BigUint::zero(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers() {
        let m = OddModulus::new(&BigUint::from_u64(23)).unwrap();
        assert_eq!(
            m.pow(&BigUint::from_u64(5), &BigUint::from_u64(6)),
            Some(BigUint::from_u64(8)) // 5^6 = 15625 = 679 * 23 + 8
        );
        assert_eq!(m.pow(&BigUint::from_u64(23), &BigUint::from_u64(2)), None);
        assert!(OddModulus::new(&BigUint::from_u64(24)).is_none());
        assert!(divides(&BigUint::from_u64(11), &BigUint::from_u64(22)));
        assert!(!divides(&BigUint::from_u64(7), &BigUint::from_u64(22)));
        assert!(!divides(&BigUint::zero(), &BigUint::from_u64(22)));
        assert_eq!(minus_one(&BigUint::from_u64(256)), BigUint::from_u64(255));
        assert_eq!(minus_one(&BigUint::zero()), BigUint::zero());
    }
}
