//! PBKDF2-HMAC, scrypt and Argon2 on `EVP_KDF`.
//!
//! Each KDF is fetched once per process, on first use, and a missing one is unsupported:
//! Argon2 exists from OpenSSL 3.2 on, and the fetch is probed, not the version. Every
//! derivation runs on a fresh `EVP_KDF_CTX`, which libcrypto wipes when it is freed.

use std::any::TypeId;
use std::collections::HashMap;
use std::ffi::{c_uint, CStr, CString};
use std::sync::OnceLock;

use super::evp::{Kdf, Params};
use super::{builtin_hash_table, OpenSslBackend};
use crate::exceptions::Result;
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::backends::{Backend, KdfBackend};
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{
    unsupported_argon2, unsupported_pbkdf2_hmac, unsupported_scrypt,
};

/// The KDFs the linked libcrypto has, fetched once.
struct KdfRegistry {
    pbkdf2: Option<Kdf>,
    scrypt: Option<Kdf>,
    argon2d: Option<Kdf>,
    argon2i: Option<Kdf>,
    argon2id: Option<Kdf>,
    /// OpenSSL digest names by our hash type, for PBKDF2's `digest` parameter.
    digest_names: HashMap<TypeId, CString>,
}

fn registry() -> &'static KdfRegistry {
    static REGISTRY: OnceLock<KdfRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| KdfRegistry {
        pbkdf2: Kdf::fetch(c"PBKDF2"),
        scrypt: Kdf::fetch(c"SCRYPT"),
        argon2d: Kdf::fetch(c"ARGON2D"),
        argon2i: Kdf::fetch(c"ARGON2I"),
        argon2id: Kdf::fetch(c"ARGON2ID"),
        digest_names: builtin_hash_table()
            .into_iter()
            .filter_map(|(id, _, name)| Some((id, CString::new(name).ok()?)))
            .collect(),
    })
}

impl KdfRegistry {
    fn argon2(&self, variant: Argon2Variant) -> Option<&Kdf> {
        match variant {
            Argon2Variant::Argon2d => self.argon2d.as_ref(),
            Argon2Variant::Argon2i => self.argon2i.as_ref(),
            Argon2Variant::Argon2id => self.argon2id.as_ref(),
        }
    }
}

/// PBKDF2 and the OpenSSL name of `algorithm`, when this libcrypto has PBKDF2 and HMAC over it.
fn pbkdf2_for(
    backend: &OpenSslBackend,
    algorithm: &dyn HashAlgorithm,
) -> Option<(&'static Kdf, &'static CStr)> {
    if !backend.hashes.hmac_supported(algorithm) {
        return None;
    }
    let registry = registry();
    let name = registry
        .digest_names
        .get(&(algorithm as &dyn std::any::Any).type_id())?;
    Some((registry.pbkdf2.as_ref()?, name.as_c_str()))
}

impl KdfBackend for OpenSslBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        pbkdf2_for(self, algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        let (kdf, digest) = pbkdf2_for(self, algorithm)
            .ok_or_else(|| unsupported_pbkdf2_hmac(self.name(), algorithm))?;
        let iterations: c_uint = iterations;
        // RFC 8018 itself: no SP 800-132 lower bounds (those belong to the caller's policy).
        let pkcs5: c_uint = 1;
        let params = Params::with_capacity(6)
            .octets(c"pass", key_material)
            .octets(c"salt", salt)
            .uint(c"iter", &iterations)
            .utf8(c"digest", digest)
            .uint(c"pkcs5", &pkcs5);
        kdf.derive("PBKDF2", params, out)
    }

    fn scrypt_supported(&self) -> bool {
        registry().scrypt.is_some()
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
        let kdf = registry()
            .scrypt
            .as_ref()
            .ok_or_else(|| unsupported_scrypt(self.name()))?;
        let r: c_uint = r;
        let p: c_uint = p;
        // Exactly what scrypt needs (RFC 7914: V is N + 2 blocks of 128 r bytes in OpenSSL's
        // layout, B is p of them), so the limit never refuses valid parameters; allocation
        // itself may still fail, which is reported.
        let block = 128 * u64::from(r);
        let max_mem = n
            .saturating_add(2)
            .saturating_mul(block)
            .saturating_add(block.saturating_mul(u64::from(p)));
        let params = Params::with_capacity(7)
            .octets(c"pass", key_material)
            .octets(c"salt", salt)
            .uint64(c"n", &n)
            .uint(c"r", &r)
            .uint(c"p", &p)
            .uint64(c"maxmem_bytes", &max_mem);
        kdf.derive("scrypt", params, out)
    }

    fn argon2_supported(&self, variant: Argon2Variant) -> bool {
        registry().argon2(variant).is_some()
    }

    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        key_material: &[u8],
        params: &Argon2Params<'_>,
        out: &mut [u8],
    ) -> Result<()> {
        let kdf = registry()
            .argon2(variant)
            .ok_or_else(|| unsupported_argon2(self.name(), variant))?;
        let iterations: c_uint = params.iterations;
        let lanes: c_uint = params.lanes;
        let memory_cost: c_uint = params.memory_cost;
        // One thread: the output does not depend on it, and more needs OSSL_set_max_threads.
        let threads: c_uint = 1;
        let mut list = Params::with_capacity(9)
            .octets(c"pass", key_material)
            .octets(c"salt", params.salt)
            .uint(c"iter", &iterations)
            .uint(c"lanes", &lanes)
            .uint(c"memcost", &memory_cost)
            .uint(c"threads", &threads);
        // Empty `ad`/`secret` are left out (RFC 9106 encodes absent and empty alike).
        if !params.ad.is_empty() {
            list = list.octets(c"ad", params.ad);
        }
        if !params.secret.is_empty() {
            list = list.octets(c"secret", params.secret);
        }
        kdf.derive(variant.name(), list, out)
    }

    fn supported_kdfs(&self) -> Vec<String> {
        let registry = registry();
        let mut names = Vec::new();
        if registry.pbkdf2.is_some() {
            let hashes = self
                .hashes
                .entries()
                .filter(|(id, e)| e.hmac.is_some() && registry.digest_names.contains_key(id))
                .map(|(_, e)| e.name);
            names.extend(
                sorted_hash_names(hashes)
                    .into_iter()
                    .map(|h| format!("pbkdf2-hmac-{h}")),
            );
        }
        if registry.scrypt.is_some() {
            names.push("scrypt".to_owned());
        }
        for variant in Argon2Variant::ALL {
            if registry.argon2(variant).is_some() {
                names.push(variant.name().to_owned());
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2_is_probed_not_assumed() {
        let backend = super::super::backend();
        // OpenSSL 3.0 and 3.1 have no Argon2; 3.2 and later do. Whatever the probe found, the
        // support answer agrees with a fresh fetch.
        let fresh = Kdf::fetch(c"ARGON2ID").is_some();
        assert_eq!(backend.argon2_supported(Argon2Variant::Argon2id), fresh);
    }
}
