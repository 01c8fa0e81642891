//! The multi-backend: an ordered list of backends, each request served by the first member
//! that supports it.
//!
//! Only "unsupported" falls through to the next member; any other error (a bad key length, a
//! native failure) is returned at once. It claims nothing no member has.
//!
//! ```
//! use std::sync::Arc;
//! use cryptography::hazmat::backends::{available_backends, multi::MultiBackend, Backend};
//! use cryptography::hazmat::primitives::hashes::Sha256;
//!
//! let multi = MultiBackend::new(available_backends());
//! let serving = multi.backend_for_hash(&Sha256).expect("some member has SHA-256");
//! assert_eq!(serving.name(), multi.members()[0].name());
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::interfaces::{
    unsupported_cipher, unsupported_hash, unsupported_hmac, Backend, CipherAdapter, CipherBackend,
    CipherPair, CipherSupport, HashBackend, HashContext, HmacBackend, HmacContext,
    SymmetricContext,
};
use crate::hazmat::backends::registry::sorted_hash_names;
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// An ordered list of backends behind the [`Backend`] interfaces.
pub struct MultiBackend {
    members: Vec<Arc<dyn Backend>>,
    /// Why this backend cannot serve anything (a bad `CRYPTOGRAPHY_BACKEND`), if so.
    misconfiguration: Option<Error>,
}

impl MultiBackend {
    /// A multi-backend trying `members` in order.
    pub fn new(members: Vec<Arc<dyn Backend>>) -> Self {
        MultiBackend {
            members,
            misconfiguration: None,
        }
    }

    /// A backend with no members that fails every request with `error`.
    pub(crate) fn misconfigured(error: Error) -> Self {
        MultiBackend {
            members: Vec::new(),
            misconfiguration: Some(error),
        }
    }

    /// The members, in order of preference.
    pub fn members(&self) -> &[Arc<dyn Backend>] {
        &self.members
    }

    /// The member that serves `cipher` in `mode`, if any.
    pub fn backend_for_cipher(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Option<&Arc<dyn Backend>> {
        self.members
            .iter()
            .find(|m| m.cipher_supported(cipher, mode))
    }

    /// The member that serves `algorithm`, if any.
    pub fn backend_for_hash(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.members.iter().find(|m| m.hash_supported(algorithm))
    }

    /// The member that serves HMAC over `algorithm`, if any.
    pub fn backend_for_hmac(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.members.iter().find(|m| m.hmac_supported(algorithm))
    }

    /// The union of the members' hash-name lists, in canonical order.
    fn union_of_names(&self, list: impl Fn(&dyn Backend) -> Vec<String>) -> Vec<String> {
        let all: Vec<String> = self.members.iter().flat_map(|m| list(&**m)).collect();
        let mut names = sorted_hash_names(all.iter().map(String::as_str));
        names.dedup();
        names
    }

    /// The first member's success, or the first error that is not "unsupported", or
    /// `unsupported` when every member declines.
    fn first<T>(
        &self,
        unsupported: impl FnOnce() -> Error,
        mut attempt: impl FnMut(&dyn Backend) -> Result<T>,
    ) -> Result<T> {
        if let Some(error) = &self.misconfiguration {
            return Err(error.clone());
        }
        for member in &self.members {
            match attempt(&**member) {
                Err(e) if e.is_unsupported() => continue,
                other => return other,
            }
        }
        Err(unsupported())
    }
}

impl CipherBackend for MultiBackend {
    fn cipher_supported(&self, cipher: &dyn CipherAlgorithm, mode: Option<&dyn Mode>) -> bool {
        self.backend_for_cipher(cipher, mode).is_some()
    }

    /// Registers the pair with the first member (the one requests try first).
    fn register_cipher_adapter(
        &self,
        pair: CipherPair,
        adapter: Arc<dyn CipherAdapter>,
    ) -> Result<()> {
        if let Some(error) = &self.misconfiguration {
            return Err(error.clone());
        }
        match self.members.first() {
            Some(member) => member.register_cipher_adapter(pair, adapter),
            None => Err(Error::unsupported(
                crate::exceptions::Reason::BackendMissingInterface,
                "the multi-backend has no members to register a cipher adapter with",
            )),
        }
    }

    fn create_symmetric_encryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        self.first(
            || unsupported_cipher(self.name(), cipher, mode),
            |m| m.create_symmetric_encryption_ctx(cipher, mode),
        )
    }

    fn create_symmetric_decryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>> {
        self.first(
            || unsupported_cipher(self.name(), cipher, mode),
            |m| m.create_symmetric_decryption_ctx(cipher, mode),
        )
    }

    /// The union of the members' pairs, with the union of their key sizes.
    fn supported_ciphers(&self) -> Vec<CipherSupport> {
        let mut union: BTreeMap<(String, Option<String>), (String, Vec<usize>)> = BTreeMap::new();
        for member in &self.members {
            for c in member.supported_ciphers() {
                let key = (c.algorithm.to_ascii_lowercase(), c.mode.clone());
                let entry = union
                    .entry(key)
                    .or_insert_with(|| (c.algorithm.clone(), Vec::new()));
                entry.1.extend(c.key_sizes);
            }
        }
        union
            .into_iter()
            .map(|((_, mode), (algorithm, mut key_sizes))| {
                key_sizes.sort_unstable();
                key_sizes.dedup();
                CipherSupport {
                    algorithm,
                    mode,
                    key_sizes,
                }
            })
            .collect()
    }
}

impl HashBackend for MultiBackend {
    fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_hash(algorithm).is_some()
    }

    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        self.first(
            || unsupported_hash(self.name(), algorithm),
            |m| m.create_hash_ctx(algorithm),
        )
    }

    fn supported_hashes(&self) -> Vec<String> {
        self.union_of_names(|m| m.supported_hashes())
    }
}

impl HmacBackend for MultiBackend {
    fn hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_hmac(algorithm).is_some()
    }

    fn create_hmac_ctx(
        &self,
        key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>> {
        self.first(
            || unsupported_hmac(self.name(), algorithm),
            |m| m.create_hmac_ctx(key, algorithm),
        )
    }

    fn supported_hmacs(&self) -> Vec<String> {
        self.union_of_names(|m| m.supported_hmacs())
    }
}

impl Backend for MultiBackend {
    fn name(&self) -> &str {
        "multi"
    }

    fn description(&self) -> String {
        let names: Vec<&str> = self.members.iter().map(|m| m.name()).collect();
        format!("first of: {}", names.join(", "))
    }

    fn as_multi(&self) -> Option<&MultiBackend> {
        Some(self)
    }
}
