//! RSA (pyca's `asymmetric.rsa`): key generation, keys from numbers, signatures (PKCS #1 v1.5
//! and PSS), encryption (OAEP and legacy PKCS #1 v1.5), and the numbers helpers.
//!
//! Every rule is checked here, once, for every backend: the public exponent (3 or 65537 for new
//! keys), the modulus size (at least 1024 bits; **use 2048 or more for new keys**), the
//! consistency of loaded numbers, the PSS salt against the key size (`emLen >= hLen + sLen + 2`),
//! OAEP's message limit (`k - 2·hLen - 2`), PKCS #1 v1.5's (`k - 11`), and the signature and
//! ciphertext lengths (exactly `k` bytes).
//!
//! Decryption defends against the Marvin / Bleichenbacher attacks: every failure is the one
//! error [`Error::DecryptionFailed`], and PKCS #1 v1.5 decryption uses **implicit rejection**
//! (draft-irtf-cfrg-rsa-guidance, as in OpenSSL 3.2+): a ciphertext with bad padding decrypts to
//! a deterministic pseudo-random message derived from the key and the ciphertext, computed
//! without branches on the padding, on every backend (here, over the backend's blinded raw
//! private-key operation). The protocol above must therefore authenticate what it decrypts.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
//!     Mgf1, Oaep, Pkcs1v15, Pss, PssSaltLength,
//! };
//! use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
//!     self, RsaPrivateNumbers, RsaPublicNumbers,
//! };
//! use pluggable_crypto::hazmat::primitives::asymmetric::BigUint;
//! use pluggable_crypto::hazmat::primitives::hashes::Sha256;
//! use pluggable_crypto::Error;
//!
//! // A 1024-bit key from the PKCS #1 v2.1 test vectors (too small for new keys: generate
//! // 2048-bit or larger ones with `rsa::generate_private_key(65537, 2048)`).
//! let hex = |s: &str| BigUint::from_hex(s);
//! let n = hex("a8b3b284af8eb50b387034a860f146c4919f318763cd6c5598c8ae4811a1e0abc4c7e0b082d693a5e7fced675cf4668512772c0cbc64a742c6c630f533c8cc72f62ae833c40bf25842e984bb78bdbf97c0107d55bdb662f5c4e0fab9845cb5148ef7392dd3aaff93ae1e6b667bb3d4247616d4f5ba10d4cfd226de88d39f16fb")?;
//! let e = BigUint::from_u64(65537);
//! let d = hex("53339cfdb79fc8466a655c7316aca85c55fd8f6dd898fdaf119517ef4f52e8fd8e258df93fee180fa0e4ab29693cd83b152a553d4ac4d1812b8b9fa5af0e7f55fe7304df41570926f3311f15c4d65a732c483116ee3d3d2d0af3549ad9bf7cbfb78ad884f84d5beb04724dc7369b31def37d0cf539e9cfcdd3de653729ead5d1")?;
//! let p = hex("d32737e7267ffe1341b2d5c0d150a81b586fb3132bed2f8d5262864a9cb9f30af38be448598d413a172efb802c21acf1c11c520c2f26a471dcad212eac7ca39d")?;
//! let q = hex("cc8853d1d54da630fac004f471f281c7b8982d8224a490edbeb33d3e3d5cc93c4765703d1dd791642f1f116a0dd852be2419b2af72bfe9a030e860b0288b5d77")?;
//! let (dmp1, dmq1, iqmp) = (
//!     rsa::rsa_crt_dmp1(&d, &p)?,
//!     rsa::rsa_crt_dmq1(&d, &q)?,
//!     rsa::rsa_crt_iqmp(&p, &q)?,
//! );
//! let numbers = RsaPrivateNumbers::new(p, q, d, dmp1, dmq1, iqmp, RsaPublicNumbers::new(e, n));
//! let key = numbers.private_key()?;
//! assert_eq!(key.key_size(), 1024);
//!
//! // Sign with PSS, verify with the public key.
//! let pss = || Pss::new(Mgf1::new(Sha256), PssSaltLength::DigestLength);
//! let signature = key.sign(b"message", pss(), Sha256)?;
//! let public = key.public_key()?;
//! public.verify(&signature, b"message", pss(), Sha256)?;
//! assert_eq!(
//!     public.verify(&signature, b"other", pss(), Sha256),
//!     Err(Error::InvalidSignature)
//! );
//!
//! // Encrypt with OAEP; a tampered ciphertext is one error, whatever went wrong.
//! let oaep = || Oaep::new(Mgf1::new(Sha256), Sha256, None);
//! let mut ciphertext = public.encrypt(b"secret", oaep())?;
//! assert_eq!(key.decrypt(&ciphertext, oaep())?, b"secret");
//! ciphertext[5] ^= 1;
//! assert_eq!(key.decrypt(&ciphertext, oaep()), Err(Error::DecryptionFailed));
//!
//! // Legacy PKCS #1 v1.5 decryption never reports bad padding: it returns a synthetic message.
//! let ct = public.encrypt(b"secret", Pkcs1v15)?;
//! assert_eq!(key.decrypt(&ct, Pkcs1v15)?, b"secret");
//! # Ok::<(), Error>(())
//! ```

use std::fmt;
use std::sync::{Arc, OnceLock};

use crypto_bigint::{BoxedUint, Gcd, Lcm, NonZero, Odd};
use subtle::{
    Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess,
};
use zeroize::Zeroizing;

use super::components::{RsaPrivateComponents, RsaPublicComponents, SecretBytes};
use super::hash_id::HashId;
use super::integer::BigUint;
use super::padding::{EncryptionPadding, Oaep, PssSaltLength, SignaturePadding};
use super::scheme::{
    RsaEncryptionScheme, RsaRecoveryScheme, RsaSignatureScheme, RsaVerificationScheme,
};
use super::utils::SignatureHash;
use crate::exceptions::{Bytes, Error, KeyRejectedKind, Result};
use crate::hazmat::backends::{default_backend, Backend, RsaPrivateKeyHandle, RsaPublicKeyHandle};
use crate::hazmat::primitives::hashes::{HashAlgorithm, Sha256};
use crate::hazmat::primitives::hmac::Hmac;

/// The smallest modulus accepted, in bits (generation and loading).
pub const MIN_KEY_SIZE: usize = 1024;
/// The largest modulus accepted, in bits.
pub const MAX_KEY_SIZE: usize = 16384;

// ---------------------------------------------------------------------------------------------
// Generation

/// A new RSA private key on the default backend (pyca's `rsa.generate_private_key`).
///
/// `public_exponent` must be 65537 (use this) or 3; `key_size` at least 1024 bits, and 2048 or
/// more for any new key (1024-bit RSA is within reach of well-funded attackers).
pub fn generate_private_key(public_exponent: u32, key_size: usize) -> Result<RsaPrivateKey> {
    generate_private_key_with_backend(public_exponent, key_size, default_backend())
}

/// As [`generate_private_key`], on `backend`.
pub fn generate_private_key_with_backend(
    public_exponent: u32,
    key_size: usize,
    backend: Arc<dyn Backend>,
) -> Result<RsaPrivateKey> {
    if public_exponent != 3 && public_exponent != 65537 {
        return Err(Error::invalid(format!(
            "the RSA public exponent must be 65537 (or 3 for legacy uses), got {public_exponent}"
        )));
    }
    if !(MIN_KEY_SIZE..=MAX_KEY_SIZE).contains(&key_size) {
        return Err(Error::invalid(format!(
            "RSA keys must be {MIN_KEY_SIZE} to {MAX_KEY_SIZE} bits (2048 or more for new keys), got {key_size} bits"
        )));
    }
    let handle = backend.generate_rsa_private_key(public_exponent, key_size)?;
    Ok(RsaPrivateKey::from_handle(handle, backend))
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// An RSA public key as numbers (pyca's `RSAPublicNumbers`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RsaPublicNumbers {
    /// The public exponent.
    pub e: BigUint,
    /// The modulus.
    pub n: BigUint,
}

impl RsaPublicNumbers {
    /// The numbers `e` and `n` (checked when a key is built from them).
    pub fn new(e: BigUint, n: BigUint) -> Self {
        RsaPublicNumbers { e, n }
    }

    /// The public key, on the default backend.
    pub fn public_key(&self) -> Result<RsaPublicKey> {
        self.public_key_with_backend(default_backend())
    }

    /// The public key, on `backend`. The modulus must be odd and 1024 to 16384 bits, and e odd
    /// with `3 <= e < n`; otherwise `KeyRejected`.
    pub fn public_key_with_backend(&self, backend: Arc<dyn Backend>) -> Result<RsaPublicKey> {
        self.check()?;
        let handle = backend.load_rsa_public_components(&RsaPublicComponents {
            n: self.n.to_be_bytes(),
            e: self.e.to_be_bytes(),
        })?;
        Ok(RsaPublicKey { handle })
    }

    fn check(&self) -> Result<()> {
        let bits = self.n.bits();
        if bits < MIN_KEY_SIZE {
            return Err(rejected(KeyRejectedKind::TooSmall, "RSA modulus"));
        }
        if bits > MAX_KEY_SIZE {
            return Err(rejected(KeyRejectedKind::TooLarge, "RSA modulus"));
        }
        if !self.n.is_odd() {
            return Err(rejected(KeyRejectedKind::InvalidComponent, "RSA modulus"));
        }
        if self.e < BigUint::from_u64(3) || self.e >= self.n || !self.e.is_odd() {
            return Err(rejected(
                KeyRejectedKind::InvalidComponent,
                "RSA public exponent",
            ));
        }
        Ok(())
    }
}

/// An RSA private key as numbers (pyca's `RSAPrivateNumbers`). `Debug` shows only the modulus
/// size; the values are zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPrivateNumbers {
    /// The first prime.
    pub p: BigUint,
    /// The second prime.
    pub q: BigUint,
    /// The private exponent.
    pub d: BigUint,
    /// `d mod (p - 1)`.
    pub dmp1: BigUint,
    /// `d mod (q - 1)`.
    pub dmq1: BigUint,
    /// `q^-1 mod p`.
    pub iqmp: BigUint,
    /// The public numbers.
    pub public_numbers: RsaPublicNumbers,
}

impl fmt::Debug for RsaPrivateNumbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateNumbers")
            .field("key_size", &self.public_numbers.n.bits())
            .finish_non_exhaustive()
    }
}

impl RsaPrivateNumbers {
    /// The numbers, in pyca's order (checked when a key is built from them).
    pub fn new(
        p: BigUint,
        q: BigUint,
        d: BigUint,
        dmp1: BigUint,
        dmq1: BigUint,
        iqmp: BigUint,
        public_numbers: RsaPublicNumbers,
    ) -> Self {
        RsaPrivateNumbers {
            p,
            q,
            d,
            dmp1,
            dmq1,
            iqmp,
            public_numbers,
        }
    }

    /// The private key, on the default backend.
    pub fn private_key(&self) -> Result<RsaPrivateKey> {
        self.private_key_with_backend(default_backend())
    }

    /// The private key, on `backend`, after checking the numbers: the public numbers' rules,
    /// `p * q == n`, every component below its modulus, odd CRT exponents that equal
    /// `d mod (p - 1)` and `d mod (q - 1)` and invert e there, and `iqmp * q == 1 mod p`.
    /// A failure is `KeyRejected` naming the component, never its value.
    pub fn private_key_with_backend(&self, backend: Arc<dyn Backend>) -> Result<RsaPrivateKey> {
        self.check()?;
        let handle = backend.load_rsa_private_components(&self.components())?;
        Ok(RsaPrivateKey::from_handle(handle, backend))
    }

    /// The private key on `backend` without the consistency checks of
    /// [`private_key_with_backend`](Self::private_key_with_backend) (pyca's
    /// `unsafe_skip_rsa_key_validation=True`): only the public numbers' rules are checked,
    /// and OpenSSL skips its pairwise check. RustCrypto recomputes the CRT values from p, q
    /// and d; ring's constructor always validates. For keys from a trusted source: on
    /// OpenSSL an inconsistent key gives wrong results.
    pub fn private_key_unchecked_with_backend(
        &self,
        backend: Arc<dyn Backend>,
    ) -> Result<RsaPrivateKey> {
        self.public_numbers.check()?;
        let handle = backend.load_rsa_private_components_unchecked(&self.components())?;
        Ok(RsaPrivateKey::from_handle(handle, backend))
    }

    fn components(&self) -> RsaPrivateComponents {
        RsaPrivateComponents {
            n: self.public_numbers.n.to_be_bytes(),
            e: self.public_numbers.e.to_be_bytes(),
            d: self.d.to_be_bytes(),
            p: self.p.to_be_bytes(),
            q: self.q.to_be_bytes(),
            dmp1: self.dmp1.to_be_bytes(),
            dmq1: self.dmq1.to_be_bytes(),
            iqmp: self.iqmp.to_be_bytes(),
        }
    }

    fn from_components(c: &RsaPrivateComponents) -> Self {
        let b = |x: &[u8]| BigUint::from_be_bytes(x);
        RsaPrivateNumbers {
            p: b(&c.p),
            q: b(&c.q),
            d: b(&c.d),
            dmp1: b(&c.dmp1),
            dmq1: b(&c.dmq1),
            iqmp: b(&c.iqmp),
            public_numbers: RsaPublicNumbers {
                e: b(&c.e),
                n: b(&c.n),
            },
        }
    }

    fn check(&self) -> Result<()> {
        use KeyRejectedKind::{InconsistentComponents, InvalidComponent};
        let pubn = &self.public_numbers;
        pubn.check()?;
        let n = &pubn.n;
        let two = BigUint::from_u64(2);
        if self.p < two || &self.p >= n || self.q < two || &self.q >= n {
            return Err(rejected(InvalidComponent, "RSA prime"));
        }
        if self.d.is_zero() || &self.d >= n {
            return Err(rejected(InvalidComponent, "RSA private exponent"));
        }
        if self.dmp1 >= self.p || self.dmq1 >= self.q || !self.dmp1.is_odd() || !self.dmq1.is_odd()
        {
            return Err(rejected(InvalidComponent, "RSA CRT exponent"));
        }
        if self.iqmp >= self.p {
            return Err(rejected(InvalidComponent, "RSA CRT coefficient"));
        }
        let w = Width::for_bits(n.bits());
        let (p, q, d, e) = (
            w.secret(&self.p),
            w.secret(&self.q),
            w.secret(&self.d),
            w.public(&pubn.e),
        );
        if w.public(n) != p.wrapping_mul(&*q) {
            return Err(rejected(InconsistentComponents, "RSA primes"));
        }
        let p1 = w.nz(&p.wrapping_sub(w.one()))?;
        let q1 = w.nz(&q.wrapping_sub(w.one()))?;
        let dmp1 = w.secret(&self.dmp1);
        let dmq1 = w.secret(&self.dmq1);
        let crt_ok = d.rem(&p1).ct_eq(&dmp1) & d.rem(&q1).ct_eq(&dmq1);
        if !bool::from(crt_ok) {
            return Err(rejected(InconsistentComponents, "RSA CRT exponent"));
        }
        let one = w.one();
        let inverse_ok = e.wrapping_mul(&*dmp1).rem(&p1).ct_eq(&one)
            & e.wrapping_mul(&*dmq1).rem(&q1).ct_eq(&one);
        if !bool::from(inverse_ok) {
            return Err(rejected(InconsistentComponents, "RSA private exponent"));
        }
        let pn = w.nz(&p)?;
        if !bool::from(w.secret(&self.iqmp).mul_mod(&q, &pn).ct_eq(&one)) {
            return Err(rejected(InconsistentComponents, "RSA CRT coefficient"));
        }
        Ok(())
    }
}

fn rejected(kind: KeyRejectedKind, what: &'static str) -> Error {
    Error::key_rejected(kind, what)
}

/// The working precision of the numbers helpers: room for the product of two numbers of the
/// modulus size.
struct Width(u32);

impl Width {
    fn for_bits(bits: usize) -> Self {
        let bits = u32::try_from(bits).unwrap_or(u32::MAX / 4);
        Width((2 * bits + 64).div_ceil(64) * 64)
    }

    fn public(&self, x: &BigUint) -> BoxedUint {
        BoxedUint::from_be_slice_truncated(x.as_be_slice(), self.0)
    }

    fn secret(&self, x: &BigUint) -> Zeroizing<BoxedUint> {
        Zeroizing::new(self.public(x))
    }

    fn one(&self) -> BoxedUint {
        BoxedUint::one_with_precision(self.0)
    }

    fn nz(&self, x: &BoxedUint) -> Result<NonZero<BoxedUint>> {
        Option::from(x.to_nz())
            .ok_or_else(|| rejected(KeyRejectedKind::InvalidComponent, "RSA prime"))
    }
}

fn to_big(x: &BoxedUint) -> BigUint {
    let bytes = Zeroizing::new(x.to_be_bytes());
    BigUint::from_be_bytes(&bytes)
}

fn helper_error(what: &str) -> Error {
    Error::invalid(format!("{what}: the numbers given are not an RSA key's"))
}

/// `d mod (p - 1)` (pyca's `rsa_crt_dmp1`).
pub fn rsa_crt_dmp1(private_exponent: &BigUint, p: &BigUint) -> Result<BigUint> {
    crt_exponent(private_exponent, p, "rsa_crt_dmp1")
}

/// `d mod (q - 1)` (pyca's `rsa_crt_dmq1`).
pub fn rsa_crt_dmq1(private_exponent: &BigUint, q: &BigUint) -> Result<BigUint> {
    crt_exponent(private_exponent, q, "rsa_crt_dmq1")
}

fn crt_exponent(d: &BigUint, prime: &BigUint, what: &str) -> Result<BigUint> {
    let w = Width::for_bits(d.bits().max(prime.bits()));
    let p1 = prime
        .bits()
        .gt(&1)
        .then(|| w.secret(prime).wrapping_sub(w.one()));
    let p1 = p1
        .and_then(|v| Option::from(v.to_nz()))
        .ok_or_else(|| helper_error(what))?;
    Ok(to_big(&Zeroizing::new(w.secret(d).rem(&p1))))
}

/// `q^-1 mod p` (pyca's `rsa_crt_iqmp`).
pub fn rsa_crt_iqmp(p: &BigUint, q: &BigUint) -> Result<BigUint> {
    let w = Width::for_bits(p.bits().max(q.bits()));
    let pn: Option<Odd<BoxedUint>> = Option::from(w.public(p).to_odd());
    let pn = pn
        .filter(|m| m.bit_width() > 1)
        .ok_or_else(|| helper_error("rsa_crt_iqmp"))?;
    let q_mod_p = Zeroizing::new(w.secret(q).rem(pn.as_nz_ref()));
    let inverse: Option<BoxedUint> = Option::from(q_mod_p.invert_odd_mod(&pn));
    let inverse = Zeroizing::new(inverse.ok_or_else(|| helper_error("rsa_crt_iqmp"))?);
    Ok(to_big(&inverse))
}

/// The private exponent `e^-1 mod lcm(p - 1, q - 1)` (pyca's `rsa_recover_private_exponent`).
pub fn rsa_recover_private_exponent(e: &BigUint, p: &BigUint, q: &BigUint) -> Result<BigUint> {
    let what = "rsa_recover_private_exponent";
    if p.bits() < 2 || q.bits() < 2 {
        return Err(helper_error(what));
    }
    let w = Width::for_bits(p.bits() + q.bits());
    let p1 = Zeroizing::new(w.secret(p).wrapping_sub(w.one()));
    let q1 = Zeroizing::new(w.secret(q).wrapping_sub(w.one()));
    let lambda = Zeroizing::new(p1.lcm(&q1));
    let lambda: Option<NonZero<BoxedUint>> = Option::from(lambda.to_nz());
    let lambda = lambda.ok_or_else(|| helper_error(what))?;
    let e = w.public(e).rem(&lambda);
    let d: Option<BoxedUint> = Option::from(e.invert_mod(&lambda));
    let d = Zeroizing::new(d.ok_or_else(|| helper_error(what))?);
    Ok(to_big(&d))
}

/// The primes `(p, q)`, larger first, from n, e and d (pyca's `rsa_recover_prime_factors`, the
/// method of Boneh's "Twenty years of attacks on the RSA cryptosystem").
pub fn rsa_recover_prime_factors(
    n: &BigUint,
    e: &BigUint,
    d: &BigUint,
) -> Result<(BigUint, BigUint)> {
    let what = "rsa_recover_prime_factors";
    // Products of d and e need room for both; arithmetic mod n works at n's own precision.
    let w = Width::for_bits(n.bits().max(e.bits()).max(64));
    let wn = Width(
        u32::try_from(n.bits().div_ceil(64) * 64)
            .unwrap_or(64)
            .max(64),
    );
    let nb = wn.public(n);
    let n_odd: Option<Odd<BoxedUint>> = Option::from(nb.to_odd());
    let n_odd = n_odd
        .filter(|m| m.bit_width() > 2)
        .ok_or_else(|| helper_error(what))?;
    let one = wn.one();
    let n_minus_1 = nb.wrapping_sub(&one);
    // ktot = d*e - 1 is a multiple of lambda(n); ktot = t * 2^s with t odd.
    let ktot = Zeroizing::new(w.secret(d).wrapping_mul(w.public(e)).wrapping_sub(w.one()));
    if bool::from(ktot.is_zero()) {
        return Err(helper_error(what));
    }
    let s = ktot.trailing_zeros();
    let t = Zeroizing::new(ktot.shr(s));
    let mut found = None;
    'search: for a in (2u64..1000).step_by(2) {
        let base = BoxedUint::from_be_slice_truncated(&a.to_be_bytes(), wn.0);
        // a^t, then squarings: a nontrivial square root of 1 mod n reveals a factor.
        let mut x = base.pow_mod(&t, &n_odd);
        for _ in 0..s {
            if x == one || x == n_minus_1 {
                break;
            }
            let y = x.mul_mod(&x, n_odd.as_nz_ref());
            if y == one {
                found = Some(x.wrapping_add(&one).gcd(&nb));
                break 'search;
            }
            x = y;
        }
    }
    let p = found.ok_or_else(|| helper_error(what))?;
    let pnz: Option<NonZero<BoxedUint>> = Option::from(p.to_nz());
    let pnz = pnz.ok_or_else(|| helper_error(what))?;
    let (q, r) = nb.div_rem(&pnz);
    if !bool::from(r.is_zero()) || q == one || p == one {
        return Err(helper_error(what));
    }
    let (p, q) = if p > q { (p, q) } else { (q, p) };
    Ok((to_big(&p), to_big(&q)))
}

// ---------------------------------------------------------------------------------------------
// Keys

/// The modulus length in bytes.
fn modulus_bytes(key_size: usize) -> usize {
    key_size.div_ceil(8)
}

/// PSS's encoded-message length: `ceil((modBits - 1) / 8)`.
fn pss_em_len(key_size: usize) -> usize {
    key_size.saturating_sub(1).div_ceil(8)
}

fn pss_salt(key_size: usize, hash: HashId, salt: PssSaltLength) -> Result<Option<usize>> {
    let em_len = pss_em_len(key_size);
    let h = hash.digest_size();
    let max = em_len.checked_sub(h + 2);
    let chosen = match salt {
        PssSaltLength::Auto => return Ok(None),
        PssSaltLength::DigestLength => h,
        PssSaltLength::Max => max.ok_or_else(|| too_small_for_pss(key_size, hash))?,
        PssSaltLength::Exact(n) => n,
    };
    match max {
        Some(max) if chosen <= max => Ok(Some(chosen)),
        _ => Err(Error::invalid(format!(
            "a PSS salt of {} is too long for a {key_size}-bit key with {}: at most {}",
            Bytes(chosen),
            hash.name(),
            Bytes(max.unwrap_or(0))
        ))),
    }
}

fn too_small_for_pss(key_size: usize, hash: HashId) -> Error {
    Error::invalid(format!(
        "an RSA key of {key_size} bits is too small for PSS with {}",
        hash.name()
    ))
}

/// The DER DigestInfo prefix length of PKCS #1 v1.5 signatures with `hash`.
fn digest_info_prefix_len(hash: HashId) -> usize {
    match hash {
        HashId::Sha1 => 15,
        _ => 19,
    }
}

fn signature_scheme(
    key_size: usize,
    padding: &SignaturePadding,
    hash: HashId,
) -> Result<RsaSignatureScheme> {
    match padding {
        SignaturePadding::Pkcs1v15(_) => {
            let t_len = digest_info_prefix_len(hash) + hash.digest_size();
            if modulus_bytes(key_size) < t_len + 11 {
                return Err(Error::invalid(format!(
                    "an RSA key of {key_size} bits is too small for PKCS #1 v1.5 signatures with {}",
                    hash.name()
                )));
            }
            Ok(RsaSignatureScheme::Pkcs1v15 { hash })
        }
        SignaturePadding::Pss(pss) => {
            if pss.salt_length == PssSaltLength::Auto {
                return Err(Error::invalid(
                    "PssSaltLength::Auto is for verification only; sign with DigestLength, Max or Exact",
                ));
            }
            let mgf1_hash = pss.mgf.hash_id()?;
            let salt_length = pss_salt(key_size, hash, pss.salt_length)?
                .ok_or_else(|| too_small_for_pss(key_size, hash))?;
            Ok(RsaSignatureScheme::Pss {
                hash,
                mgf1_hash,
                salt_length,
            })
        }
    }
}

fn verification_scheme(
    key_size: usize,
    padding: &SignaturePadding,
    hash: HashId,
) -> Result<RsaVerificationScheme> {
    match padding {
        SignaturePadding::Pkcs1v15(_) => Ok(RsaVerificationScheme::Pkcs1v15 { hash }),
        SignaturePadding::Pss(pss) => Ok(RsaVerificationScheme::Pss {
            hash,
            mgf1_hash: pss.mgf.hash_id()?,
            salt_length: pss_salt(key_size, hash, pss.salt_length)?,
        }),
    }
}

/// The encryption scheme of `padding`, and the longest plaintext it takes under a key of
/// `k` bytes (`None` when the key is too small for it).
fn encryption_scheme(
    padding: &EncryptionPadding,
    k: usize,
) -> Result<(RsaEncryptionScheme<'_>, Option<usize>)> {
    match padding {
        EncryptionPadding::Pkcs1v15(_) => Ok((RsaEncryptionScheme::Pkcs1v15, k.checked_sub(11))),
        EncryptionPadding::Oaep(oaep) => {
            let hash = oaep.hash_id()?;
            let scheme = RsaEncryptionScheme::Oaep {
                hash,
                mgf1_hash: oaep.mgf.hash_id()?,
                label: oaep.label(),
            };
            Ok((scheme, k.checked_sub(2 * hash.digest_size() + 2)))
        }
    }
}

/// An RSA public key (pyca's `RSAPublicKey`), held by a backend. Cheap to clone.
#[derive(Clone)]
pub struct RsaPublicKey {
    handle: Arc<dyn RsaPublicKeyHandle>,
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend_name())
            .finish()
    }
}

impl RsaPublicKey {
    /// The modulus size in bits.
    pub fn key_size(&self) -> usize {
        self.handle.key_size()
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// n and e.
    pub fn public_numbers(&self) -> RsaPublicNumbers {
        let c = self.handle.public_components();
        RsaPublicNumbers {
            e: BigUint::from_be_bytes(&c.e),
            n: BigUint::from_be_bytes(&c.n),
        }
    }

    /// The same key, rebuilt on `backend` from its numbers.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<RsaPublicKey> {
        self.public_numbers().public_key_with_backend(backend)
    }

    /// Verifies `signature` over `data` (or over a digest, with `Prehashed`). Any failure,
    /// including a signature that is not exactly the modulus length, is `InvalidSignature`.
    pub fn verify(
        &self,
        signature: &[u8],
        data: &[u8],
        padding: impl Into<SignaturePadding>,
        algorithm: impl Into<SignatureHash>,
    ) -> Result<()> {
        let (hash, input) = algorithm.into().resolve(data)?;
        let scheme = verification_scheme(self.key_size(), &padding.into(), hash)?;
        if signature.len() != modulus_bytes(self.key_size()) {
            return Err(Error::InvalidSignature);
        }
        match self.handle.verify(signature, input, &scheme) {
            Err(e) if !e.is_unsupported() => Err(Error::InvalidSignature),
            other => other,
        }
    }

    /// The data inside a PKCS #1 v1.5 signature (pyca's `recover_data_from_signature`): the
    /// digest when `algorithm` is given (its DigestInfo is checked and removed), else the whole
    /// payload. PSS cannot be recovered from. Any failure is `InvalidSignature`.
    pub fn recover_data_from_signature(
        &self,
        signature: &[u8],
        padding: impl Into<SignaturePadding>,
        algorithm: Option<&dyn HashAlgorithm>,
    ) -> Result<Vec<u8>> {
        if let SignaturePadding::Pss(_) = padding.into() {
            return Err(Error::invalid(
                "data cannot be recovered from a PSS signature; use PKCS #1 v1.5 padding",
            ));
        }
        let hash = algorithm.map(HashId::of).transpose()?;
        if signature.len() != modulus_bytes(self.key_size()) {
            return Err(Error::InvalidSignature);
        }
        match self
            .handle
            .recover_data_from_signature(signature, &RsaRecoveryScheme { hash })
        {
            Err(e) if !e.is_unsupported() => Err(Error::InvalidSignature),
            other => other,
        }
    }

    /// Encrypts `plaintext` with OAEP (recommended) or PKCS #1 v1.5 (legacy). The plaintext may
    /// be at most `k - 2·hLen - 2` bytes with OAEP and `k - 11` with PKCS #1 v1.5 (k the
    /// modulus length in bytes, hLen the OAEP hash's digest size).
    pub fn encrypt(
        &self,
        plaintext: &[u8],
        padding: impl Into<EncryptionPadding>,
    ) -> Result<Vec<u8>> {
        let padding = padding.into();
        let k = modulus_bytes(self.key_size());
        let (scheme, limit) = encryption_scheme(&padding, k)?;
        match limit {
            Some(limit) if plaintext.len() <= limit => self.handle.encrypt(plaintext, &scheme),
            _ => Err(Error::invalid(format!(
                "a {}-bit RSA key encrypts at most {} with this padding, got {}",
                self.key_size(),
                Bytes(limit.unwrap_or(0)),
                Bytes(plaintext.len())
            ))),
        }
    }
}

/// An RSA private key (pyca's `RSAPrivateKey`), held by a backend. Cheap to clone; `Debug`
/// shows only the size and the backend.
#[derive(Clone)]
pub struct RsaPrivateKey {
    handle: Arc<dyn RsaPrivateKeyHandle>,
    backend: Arc<dyn Backend>,
    /// The implicit-rejection key-derivation key, made on first PKCS #1 v1.5 decryption.
    kdk: Arc<OnceLock<Zeroizing<Vec<u8>>>>,
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl RsaPrivateKey {
    fn from_handle(handle: Arc<dyn RsaPrivateKeyHandle>, backend: Arc<dyn Backend>) -> Self {
        RsaPrivateKey {
            handle,
            backend,
            kdk: Arc::new(OnceLock::new()),
        }
    }

    /// The modulus size in bits.
    pub fn key_size(&self) -> usize {
        self.handle.key_size()
    }

    /// The name of the backend that holds the key.
    pub fn backend_name(&self) -> &'static str {
        self.handle.backend_name()
    }

    /// The public half, on the same backend.
    pub fn public_key(&self) -> Result<RsaPublicKey> {
        Ok(RsaPublicKey {
            handle: self.handle.public_key()?,
        })
    }

    /// Every number of the key.
    pub fn private_numbers(&self) -> Result<RsaPrivateNumbers> {
        Ok(RsaPrivateNumbers::from_components(
            &self.handle.private_components()?,
        ))
    }

    /// The same key, rebuilt on `backend` from its numbers.
    pub fn on_backend(&self, backend: Arc<dyn Backend>) -> Result<RsaPrivateKey> {
        self.private_numbers()?.private_key_with_backend(backend)
    }

    /// Signs `data` (or a digest, with `Prehashed`), with PKCS #1 v1.5 or PSS; the private-key
    /// operation is blinded. PSS's salt must fit the key: `emLen >= hLen + sLen + 2`.
    pub fn sign(
        &self,
        data: &[u8],
        padding: impl Into<SignaturePadding>,
        algorithm: impl Into<SignatureHash>,
    ) -> Result<Vec<u8>> {
        let (hash, input) = algorithm.into().resolve(data)?;
        let scheme = signature_scheme(self.key_size(), &padding.into(), hash)?;
        self.handle.sign(input, &scheme)
    }

    /// Decrypts `ciphertext` (exactly the modulus length). Every failure is
    /// [`Error::DecryptionFailed`], one error with one message.
    ///
    /// With PKCS #1 v1.5 (legacy), a ciphertext whose padding is wrong does **not** fail: it
    /// decrypts to a deterministic pseudo-random message (implicit rejection), so the caller's
    /// protocol must authenticate the plaintext.
    pub fn decrypt(
        &self,
        ciphertext: &[u8],
        padding: impl Into<EncryptionPadding>,
    ) -> Result<Vec<u8>> {
        let padding = padding.into();
        let k = modulus_bytes(self.key_size());
        // The scheme is resolved for its checks (the hashes, the key being large enough).
        let (_, limit) = encryption_scheme(&padding, k)?;
        if ciphertext.len() != k || limit.is_none() {
            return Err(Error::DecryptionFailed);
        }
        let result = match &padding {
            EncryptionPadding::Pkcs1v15(_) => self.decrypt_pkcs1v15_implicit(ciphertext),
            EncryptionPadding::Oaep(oaep) => self.decrypt_oaep(ciphertext, oaep),
        };
        result.map_err(|e| {
            if e.is_unsupported() {
                e
            } else {
                Error::DecryptionFailed
            }
        })
    }

    /// PKCS #1 v1.5 decryption with implicit rejection over the backend's raw, blinded
    /// private-key operation.
    fn decrypt_pkcs1v15_implicit(&self, ciphertext: &[u8]) -> Result<Vec<u8>> {
        let em = self.raw_block(ciphertext)?;
        let kdk = self.kdk()?;
        let rejection = ImplicitRejection::derive(&kdk, ciphertext, &self.backend)?;
        Ok(rejection.unpad(&em))
    }

    /// OAEP decryption over the backend's raw, blinded private-key operation, decoded here in
    /// constant time (see [`oaep_unpad`]).
    fn decrypt_oaep(&self, ciphertext: &[u8], oaep: &Oaep) -> Result<Vec<u8>> {
        let em = self.raw_block(ciphertext)?;
        let label_hash = digest(&self.backend, oaep.algorithm(), &[oaep.label()])?;
        oaep_unpad(&em, &label_hash, oaep.mgf.algorithm(), &self.backend)
    }

    /// `c^d mod n` as `k` bytes. A ciphertext not below n is refused explicitly (as OpenSSL
    /// does): n is public, so this leaks nothing.
    fn raw_block(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        let n = self.handle.public_key()?.public_components().n;
        let n = BigUint::from_be_bytes(&n);
        if BigUint::from_be_bytes(ciphertext) >= n {
            return Err(Error::DecryptionFailed);
        }
        let em = self.handle.raw_private_operation(ciphertext)?;
        if em.len() != ciphertext.len() {
            return Err(Error::DecryptionFailed);
        }
        Ok(em)
    }

    /// `KDK = HMAC-SHA256(SHA256(d as k big-endian bytes), ·)`'s key, kept for the key's life.
    fn kdk(&self) -> Result<Zeroizing<Vec<u8>>> {
        if let Some(kdk) = self.kdk.get() {
            return Ok(kdk.clone());
        }
        let k = modulus_bytes(self.key_size());
        let components = self.handle.private_components()?;
        let d = BigUint::from_be_bytes(&components.d);
        let d_padded = Zeroizing::new(d.to_be_bytes_padded(k).ok_or(Error::DecryptionFailed)?);
        let mut hash =
            crate::hazmat::primitives::hashes::Hash::with_backend(Sha256, self.backend.clone())?;
        hash.update(&d_padded)?;
        let d_hash = Zeroizing::new(hash.finalize()?);
        Ok(self.kdk.get_or_init(|| d_hash).clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Implicit rejection

/// How many 16-bit candidate lengths the PRF gives (OpenSSL's `MAX_LEN_GEN_TRIES`).
const LENGTH_CANDIDATES: usize = 128;

/// The implicit-rejection material for one ciphertext: the synthetic message block and the
/// candidate lengths, as draft-irtf-cfrg-rsa-guidance (section "Implicit rejection") and
/// OpenSSL 3.2's `ossl_rsa_padding_check_PKCS1_type_2` define them.
///
/// Hand-written because no crate offers it over an arbitrary backend's raw operation: the `rsa`
/// crate implements it only inside its own decryption, and ring and OpenSSL's 3.0 API have
/// nothing to call. Implementing it once here gives every backend the same behaviour.
struct ImplicitRejection {
    synthetic: Zeroizing<Vec<u8>>,
    lengths: Zeroizing<Vec<u8>>,
}

impl ImplicitRejection {
    /// `KDK = HMAC-SHA256(key = SHA256(d), ciphertext)`, then the PRF outputs
    /// `IRPRF(KDK, "message", k)` and `IRPRF(KDK, "length", 256)`.
    fn derive(d_hash: &[u8], ciphertext: &[u8], backend: &Arc<dyn Backend>) -> Result<Self> {
        let kdk = Zeroizing::new(Hmac::sign_with_backend(
            d_hash,
            Sha256,
            ciphertext,
            backend.clone(),
        )?);
        let synthetic = prf(&kdk, b"message", ciphertext.len(), backend)?;
        let lengths = prf(&kdk, b"length", 2 * LENGTH_CANDIDATES, backend)?;
        Ok(ImplicitRejection { synthetic, lengths })
    }

    /// The message inside `em` (`00 02 PS 00 M`, PS at least 8 nonzero bytes), or the synthetic
    /// message if the padding is wrong; no branch or memory access depends on which, until the
    /// result's length (which the caller sees anyway).
    fn unpad(&self, em: &[u8]) -> Vec<u8> {
        let k = em.len();
        // k >= 128 here (keys are at least 1024 bits), so none of these wrap.
        let k32 = u32::try_from(k).unwrap_or(u32::MAX);
        let max_sep_offset = k32.saturating_sub(2 + 8);

        // The synthetic length: the last candidate below max_sep_offset, masked to its bits.
        let mut mask = max_sep_offset;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        let mut synthetic_length = 0u32;
        for pair in self.lengths.chunks_exact(2) {
            let candidate = match pair {
                [hi, lo] => (u32::from(*hi) << 8 | u32::from(*lo)) & mask,
                _ => 0,
            };
            synthetic_length = u32::conditional_select(
                &synthetic_length,
                &candidate,
                candidate.ct_lt(&max_sep_offset),
            );
        }
        let synthetic_index = k32 - synthetic_length;

        // The padding check, over every byte.
        let mut good = Choice::from(1);
        if let [first, second, ..] = em {
            good &= first.ct_eq(&0) & second.ct_eq(&2);
        }
        let mut found_zero = Choice::from(0);
        let mut zero_index = 0u32;
        for (i, byte) in em.iter().enumerate().skip(2) {
            let is_zero = byte.ct_eq(&0);
            let i = u32::try_from(i).unwrap_or(0);
            zero_index = u32::conditional_select(&zero_index, &i, !found_zero & is_zero);
            found_zero |= is_zero;
        }
        good &= zero_index.ct_gt(&(2 + 8 - 1));
        let message_index = u32::conditional_select(&synthetic_index, &(zero_index + 1), good);

        // The chosen block, its message moved to the front by a constant-time shift: the
        // buffer, the copy and the shift are the same whatever the message's length, which
        // only sets the returned length.
        let mut block: Vec<u8> = em
            .iter()
            .zip(self.synthetic.iter())
            .map(|(real, synthetic)| u8::conditional_select(synthetic, real, good))
            .collect();
        shift_left_constant_time(&mut block, message_index);
        block.truncate(k.saturating_sub(usize::try_from(message_index).unwrap_or(k)));
        block
    }
}

/// The draft's PRF: `HMAC-SHA256(key, be16(i) ‖ label ‖ be16(8·len))` for i = 0, 1, ...,
/// concatenated and cut to `len` bytes.
fn prf(
    key: &[u8],
    label: &[u8],
    len: usize,
    backend: &Arc<dyn Backend>,
) -> Result<Zeroizing<Vec<u8>>> {
    let bits = u16::try_from(len * 8).unwrap_or(u16::MAX).to_be_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(len.div_ceil(32) * 32));
    let mut i: u16 = 0;
    while out.len() < len {
        let mut mac = Hmac::with_backend(key, Sha256, backend.clone())?;
        mac.update(&i.to_be_bytes())?;
        mac.update(label)?;
        mac.update(&bits)?;
        let block = Zeroizing::new(mac.finalize()?);
        out.extend_from_slice(&block);
        i = i.wrapping_add(1);
    }
    out.truncate(len);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// OAEP decoding

/// The message of an OAEP block `em` (RFC 8017 section 7.1.2, steps 3a to 3g), or
/// `DecryptionFailed`. Every byte is examined and every mask computed whatever the block holds;
/// no branch or memory access depends on the block until the one final branch on the verdict,
/// which the caller learns anyway. The message is moved to the front of the buffer by a
/// constant-time shift, so both outcomes do the same work up to that branch.
///
/// Hand-written, like the implicit rejection above, because every backend must decode the same
/// way: libcrypto's OAEP check is constant-time but its failure path pushes onto the error
/// queue (measurably slower than success, see `benches/constant_time_rsa.rs`), the `rsa`
/// crate's decoder is internal to its own decryption, and ring has no RSA decryption.
fn oaep_unpad(
    em: &[u8],
    label_hash: &[u8],
    mgf_hash: &dyn HashAlgorithm,
    backend: &Arc<dyn Backend>,
) -> Result<Vec<u8>> {
    let h_len = label_hash.len();
    // Public lengths: the caller checked k >= 2·hLen + 2.
    let Some((first, rest)) = em.split_first() else {
        return Err(Error::DecryptionFailed);
    };
    if rest.len() < 2 * h_len + 1 {
        return Err(Error::DecryptionFailed);
    }
    let (masked_seed, masked_db) = rest.split_at(h_len);
    let seed_mask = mgf1(backend, mgf_hash, masked_db, h_len)?;
    let seed: Zeroizing<Vec<u8>> = Zeroizing::new(
        masked_seed
            .iter()
            .zip(seed_mask.iter())
            .map(|(a, b)| a ^ b)
            .collect(),
    );
    let db_mask = mgf1(backend, mgf_hash, &seed, masked_db.len())?;
    let mut db: Zeroizing<Vec<u8>> = Zeroizing::new(
        masked_db
            .iter()
            .zip(db_mask.iter())
            .map(|(a, b)| a ^ b)
            .collect(),
    );

    // Y = 0 and lHash' = lHash; then PS (zeros), 0x01, M.
    let mut good = first.ct_eq(&0) & db.get(..h_len).unwrap_or_default().ct_eq(label_hash);
    let mut looking = Choice::from(1);
    let mut bad_byte = Choice::from(0);
    let mut one_index = 0u32;
    for (i, byte) in db.iter().enumerate().skip(h_len) {
        let is_one = byte.ct_eq(&1);
        let is_zero = byte.ct_eq(&0);
        let i = u32::try_from(i).unwrap_or(0);
        one_index = u32::conditional_select(&one_index, &i, looking & is_one);
        bad_byte |= looking & !is_one & !is_zero;
        looking &= !is_one;
    }
    good &= !bad_byte & !looking;

    let start = one_index + 1;
    shift_left_constant_time(&mut db, start);
    let message_len = db
        .len()
        .saturating_sub(usize::try_from(start).unwrap_or(usize::MAX));
    // On failure every byte is wiped here, by the same masked pass that keeps the message on
    // success, so that both outcomes free one buffer of the same size with nothing secret in
    // it: a zeroizing drop on the failure path alone would be a measurable difference.
    let mut message = std::mem::take(&mut *db);
    for byte in message.iter_mut() {
        *byte = u8::conditional_select(&0, byte, good);
    }
    if bool::from(good) {
        message.truncate(message_len);
        Ok(message)
    } else {
        Err(Error::DecryptionFailed)
    }
}

/// Moves `buf[shift..]` to the front (zeros after it) with an access pattern independent of
/// `shift`: one conditional pass per bit of the shift.
fn shift_left_constant_time(buf: &mut [u8], shift: u32) {
    let len = buf.len();
    let mut step = 1usize;
    let mut bit = 0u32;
    while step <= len && bit < u32::BITS {
        let take = Choice::from(u8::from((shift >> bit) & 1 == 1));
        for i in 0..len {
            let src = buf.get(i + step).copied().unwrap_or(0);
            buf[i] = u8::conditional_select(&buf[i], &src, take);
        }
        step <<= 1;
        bit += 1;
    }
}

/// MGF1 (RFC 8017 appendix B.2.1): `Hash(seed ‖ be32(i))` for i = 0, 1, ..., cut to `len`.
fn mgf1(
    backend: &Arc<dyn Backend>,
    hash: &dyn HashAlgorithm,
    seed: &[u8],
    len: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 64));
    let mut counter: u32 = 0;
    while out.len() < len {
        let block = digest(backend, hash, &[seed, &counter.to_be_bytes()])?;
        out.extend_from_slice(&block);
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    Ok(out)
}

/// The digest of the concatenation of `parts` on `backend`.
fn digest(
    backend: &Arc<dyn Backend>,
    hash: &dyn HashAlgorithm,
    parts: &[&[u8]],
) -> Result<Zeroizing<Vec<u8>>> {
    let mut ctx = backend.create_hash_ctx(hash)?;
    for part in parts {
        ctx.update(part)?;
    }
    Ok(Zeroizing::new(ctx.finalize()?))
}

/// The raw block of a PKCS #1 v1.5 decryption, for the tests of this module.
#[cfg(test)]
fn unpad_for_test(em: &[u8], synthetic: &[u8], lengths: &[u8]) -> Vec<u8> {
    ImplicitRejection {
        synthetic: Zeroizing::new(synthetic.to_vec()),
        lengths: Zeroizing::new(lengths.to_vec()),
    }
    .unpad(em)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpad_takes_the_real_message_when_the_padding_is_good() {
        let k = 128;
        let mut em = vec![0x11u8; k];
        em[0] = 0;
        em[1] = 2;
        em[k - 6] = 0;
        let synthetic = vec![0xaa; k];
        let lengths = vec![0u8; 256];
        assert_eq!(unpad_for_test(&em, &synthetic, &lengths), vec![0x11; 5]);
        // Too short a PS (zero at index 9): rejected, the synthetic message (length 0 here).
        let mut short = em.clone();
        short[9] = 0;
        assert_eq!(
            unpad_for_test(&short, &synthetic, &lengths),
            Vec::<u8>::new()
        );
        // A candidate length of 7 (the last below the limit wins).
        let mut lengths = vec![0xffu8; 256];
        lengths[254] = 0;
        lengths[255] = 7;
        let mut bad = em.clone();
        bad[1] = 1;
        assert_eq!(unpad_for_test(&bad, &synthetic, &lengths), vec![0xaa; 7]);
    }

    #[test]
    fn constant_time_shift_moves_every_offset() {
        for len in [1u8, 32, 37, 64] {
            let original: Vec<u8> = (1..=len).collect();
            for shift in 0..=u32::from(len) {
                let mut buf = original.clone();
                shift_left_constant_time(&mut buf, shift);
                let s = usize::try_from(shift).unwrap();
                let mut expected = original[s..].to_vec();
                expected.resize(original.len(), 0);
                assert_eq!(buf, expected, "length {len}, shift {shift}");
            }
        }
    }

    #[test]
    fn numbers_helpers_agree() {
        // p = 61, q = 53, e = 17: the textbook key (n = 3233, d = 413 with lambda = 780).
        let (p, q, e) = (BigUint::from(61), BigUint::from(53), BigUint::from(17));
        let d = rsa_recover_private_exponent(&e, &p, &q).unwrap();
        assert_eq!(d, BigUint::from(413));
        assert_eq!(rsa_crt_dmp1(&d, &p).unwrap(), BigUint::from(413 % 60));
        assert_eq!(rsa_crt_dmq1(&d, &q).unwrap(), BigUint::from(413 % 52));
        assert_eq!(rsa_crt_iqmp(&p, &q).unwrap(), BigUint::from(38)); // 53 * 38 = 2014 = 33*61 + 1
        let (rp, rq) = rsa_recover_prime_factors(&BigUint::from(3233), &e, &d).unwrap();
        assert_eq!((rp, rq), (p, q));
    }
}
