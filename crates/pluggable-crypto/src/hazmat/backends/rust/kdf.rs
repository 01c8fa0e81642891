//! PBKDF2-HMAC, scrypt and Argon2 on the RustCrypto `pbkdf2`, `scrypt` and `argon2` crates.
//!
//! PBKDF2 runs over the same HMAC types as the backend's HMAC contexts (`Hmac`, or
//! `SimpleHmac` for SHA-3 and BLAKE2). The `argon2` crate caps associated data at 32 bytes;
//! longer `ad` is `UnsupportedAlgorithm` here, so a multi-backend passes it on.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::OnceLock;

use ::digest::{FixedOutput, KeyInit, Update};
use zeroize::Zeroize;

use super::RustBackend;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::backends::{Backend, KdfBackend};
use crate::hazmat::primitives::hashes::{self, HashAlgorithm};
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{unsupported_argon2, unsupported_pbkdf2_hmac};

/// PBKDF2 with one PRF: (password, salt, iterations, out).
type Pbkdf2Fn = fn(&[u8], &[u8], u32, &mut [u8]) -> Result<()>;

fn pbkdf2<M: KeyInit + Update + FixedOutput + Clone>(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<()> {
    ::pbkdf2::pbkdf2::<M>(password, salt, iterations, out)
        .map_err(|_| Error::Backend("PBKDF2: the PRF rejected the password length".to_owned()))
}

/// PBKDF2 by our hash type, with the hash's name.
fn pbkdf2_table() -> &'static HashMap<TypeId, (&'static str, Pbkdf2Fn)> {
    static TABLE: OnceLock<HashMap<TypeId, (&'static str, Pbkdf2Fn)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use hashes::*;
        macro_rules! prf {
            ($ty:ty, $name:literal, $mac:ty) => {
                (TypeId::of::<$ty>(), ($name, pbkdf2::<$mac> as Pbkdf2Fn))
            };
        }
        HashMap::from([
            prf!(Sha1, "sha1", ::hmac::Hmac<sha1::Sha1>),
            prf!(Sha224, "sha224", ::hmac::Hmac<sha2::Sha224>),
            prf!(Sha256, "sha256", ::hmac::Hmac<sha2::Sha256>),
            prf!(Sha384, "sha384", ::hmac::Hmac<sha2::Sha384>),
            prf!(Sha512, "sha512", ::hmac::Hmac<sha2::Sha512>),
            prf!(Sha512_224, "sha512-224", ::hmac::Hmac<sha2::Sha512_224>),
            prf!(Sha512_256, "sha512-256", ::hmac::Hmac<sha2::Sha512_256>),
            prf!(Sha3_224, "sha3-224", ::hmac::SimpleHmac<sha3::Sha3_224>),
            prf!(Sha3_256, "sha3-256", ::hmac::SimpleHmac<sha3::Sha3_256>),
            prf!(Sha3_384, "sha3-384", ::hmac::SimpleHmac<sha3::Sha3_384>),
            prf!(Sha3_512, "sha3-512", ::hmac::SimpleHmac<sha3::Sha3_512>),
            prf!(Blake2b, "blake2b", ::hmac::SimpleHmac<blake2::Blake2b512>),
            prf!(Blake2s, "blake2s", ::hmac::SimpleHmac<blake2::Blake2s256>),
            prf!(Md5, "md5", ::hmac::Hmac<md5::Md5>),
            prf!(Ripemd160, "ripemd160", ::hmac::Hmac<ripemd::Ripemd160>),
            prf!(Sm3, "sm3", ::hmac::Hmac<sm3::Sm3>),
        ])
    })
}

fn pbkdf2_entry(algorithm: &dyn HashAlgorithm) -> Option<Pbkdf2Fn> {
    pbkdf2_table()
        .get(&(algorithm as &dyn Any).type_id())
        .map(|(_, f)| *f)
}

fn argon2_algorithm(variant: Argon2Variant) -> ::argon2::Algorithm {
    match variant {
        Argon2Variant::Argon2d => ::argon2::Algorithm::Argon2d,
        Argon2Variant::Argon2i => ::argon2::Algorithm::Argon2i,
        Argon2Variant::Argon2id => ::argon2::Algorithm::Argon2id,
    }
}

/// Checks that scrypt's working memory (`128 × r × (n + p + 1)` bytes) can be allocated now.
/// The `scrypt` crate allocates it with `vec!`, which aborts the process when the allocator
/// refuses; reserving the same amount first (address space only, nothing is touched) turns the
/// common failure, parameters far beyond this machine, into an error.
fn reserve_scrypt_memory(n: u64, r: u32, p: u32) -> Result<()> {
    let too_much = || {
        Error::Backend(format!(
            "scrypt: out of memory (n = {n}, r = {r}, p = {p} need 128 x r x (n + p + 1) \
             bytes, too many for this system)"
        ))
    };
    let bytes = n
        .checked_add(u64::from(p))
        .and_then(|blocks| blocks.checked_add(1))
        .and_then(|blocks| blocks.checked_mul(128 * u64::from(r)))
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(too_much)?;
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(bytes).map_err(|_| too_much())
}

/// An `argon2` crate error for parameters that arrived validated: only resource limits remain.
fn argon2_error(error: ::argon2::Error) -> Error {
    match error {
        ::argon2::Error::OutOfMemory | ::argon2::Error::MemoryTooMuch => Error::Backend(format!(
            "Argon2: {error} (memory_cost too large for this system)"
        )),
        other => Error::invalid(format!("Argon2 parameters rejected: {other}")),
    }
}

impl KdfBackend for RustBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        pbkdf2_entry(algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        let derive = pbkdf2_entry(algorithm)
            .ok_or_else(|| unsupported_pbkdf2_hmac(self.name(), algorithm))?;
        derive(key_material, salt, iterations, out).inspect_err(|_| out.zeroize())
    }

    fn scrypt_supported(&self) -> bool {
        true
    }

    fn derive_scrypt(
        &self,
        key_material: &[u8],
        salt: &[u8],
        n: u64,
        r: u32,
        p: u32,
        out: &mut [u8],
    ) -> Result<()> {
        // `n` arrives a power of two above 1, so its logarithm is its trailing zero count.
        let log_n = u8::try_from(n.trailing_zeros())
            .map_err(|_| Error::invalid(format!("scrypt n = {n} is not a power of two")))?;
        let params = ::scrypt::Params::new(log_n, r, p).map_err(|_| {
            Error::invalid(format!(
                "scrypt parameters n = {n}, r = {r}, p = {p} need more memory than this \
                 platform can address"
            ))
        })?;
        reserve_scrypt_memory(n, r, p)?;
        ::scrypt::scrypt(key_material, salt, &params, out)
            .map_err(|_| Error::invalid(format!("scrypt cannot derive {} bytes", out.len())))
    }

    fn argon2_supported(&self, _variant: Argon2Variant) -> bool {
        true
    }

    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        key_material: &[u8],
        params: &Argon2Params<'_>,
        out: &mut [u8],
    ) -> Result<()> {
        if params.ad.len() > ::argon2::Params::MAX_DATA_LEN {
            return Err(unsupported_argon2(self.name(), variant));
        }
        let ad = ::argon2::AssociatedData::new(params.ad).map_err(argon2_error)?;
        let costs = ::argon2::ParamsBuilder::new()
            .m_cost(params.memory_cost)
            .t_cost(params.iterations)
            .p_cost(params.lanes)
            .data(ad)
            .output_len(out.len())
            .build()
            .map_err(argon2_error)?;
        let context = ::argon2::Argon2::new_with_secret(
            params.secret,
            argon2_algorithm(variant),
            ::argon2::Version::V0x13,
            costs,
        )
        .map_err(argon2_error)?;
        context
            .hash_password_into(key_material, params.salt, out)
            .map_err(argon2_error)
            .inspect_err(|_| out.zeroize())
    }

    fn supported_kdfs(&self) -> Vec<String> {
        let hashes = pbkdf2_table().values().map(|(name, _)| *name);
        let mut names: Vec<String> = sorted_hash_names(hashes)
            .into_iter()
            .map(|h| format!("pbkdf2-hmac-{h}"))
            .collect();
        names.push("scrypt".to_owned());
        names.extend(Argon2Variant::ALL.iter().map(|v| v.name().to_owned()));
        names
    }
}
