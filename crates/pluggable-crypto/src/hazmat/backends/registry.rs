//! The registries every backend keeps.
//!
//! - [`CipherRegistry`]: (cipher type, mode type) -> adapter. Built-in pairs are fixed when the
//!   backend is built; pairs added at run time with `register_cipher_adapter` go in a separate
//!   locked map, so lookups of built-ins never lock. [`cipher_backend_via_registry`] writes
//!   `CipherBackend` over it.
//! - [`DigestRegistry`]: hash type -> (name, hash factory, optional HMAC factory), fixed when
//!   the backend is built. [`digest_backend_via_registry`] writes `HashBackend` and
//!   `HmacBackend` over it, so a backend only supplies its table and its factory types.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{
    CipherAdapter, CipherPair, CipherSupport, Direction, HashContext, HmacContext, SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::unsupported::{
    unsupported_cipher, unsupported_hash, unsupported_hmac,
};

type PairKey = (TypeId, Option<TypeId>);

/// Hashes `TypeId`s, which are already uniformly random, with one multiply instead of SipHash:
/// the registry is looked up on every context creation.
#[derive(Default, Clone, Copy)]
pub(crate) struct TypeIdHasher(u64);

impl std::hash::Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Map<V> = HashMap<PairKey, V, std::hash::BuildHasherDefault<TypeIdHasher>>;

/// A hash map keyed by values made of `TypeId`s (and small enums), hashed cheaply.
pub(crate) type TypeIdMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<TypeIdHasher>>;

struct Entry {
    pair: CipherPair,
    adapter: Arc<dyn CipherAdapter>,
}

/// Adapters by (cipher type, mode type).
pub(crate) struct CipherRegistry {
    builtin: Map<Entry>,
    registered: RwLock<Map<Entry>>,
}

impl CipherRegistry {
    /// A registry of the given built-in pairs.
    pub(crate) fn new(
        builtin: impl IntoIterator<Item = (CipherPair, Arc<dyn CipherAdapter>)>,
    ) -> Self {
        let builtin = builtin
            .into_iter()
            .map(|(pair, adapter)| (pair.key(), Entry { pair, adapter }))
            .collect();
        CipherRegistry {
            builtin,
            registered: RwLock::new(Map::default()),
        }
    }

    /// The adapter serving `cipher` in `mode`, if one exists and accepts these parameters.
    pub(crate) fn find(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Option<Arc<dyn CipherAdapter>> {
        let key = CipherPair::key_of(cipher, mode);
        if let Some(entry) = self.builtin.get(&key) {
            return entry
                .adapter
                .supports(cipher, mode)
                .then(|| entry.adapter.clone());
        }
        let registered = self.registered.read().ok()?;
        let entry = registered.get(&key)?;
        entry
            .adapter
            .supports(cipher, mode)
            .then(|| entry.adapter.clone())
    }

    /// A context from the adapter serving the request, or `UnsupportedAlgorithm` naming
    /// `backend`.
    pub(crate) fn create(
        &self,
        backend: &str,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>> {
        match self.find(cipher, mode) {
            Some(adapter) => adapter.create_context(cipher, mode, direction),
            None => Err(unsupported_cipher(backend, cipher, mode)),
        }
    }

    /// Adds a pair; a pair already present (built in or registered) is an error.
    pub(crate) fn register(&self, pair: CipherPair, adapter: Arc<dyn CipherAdapter>) -> Result<()> {
        let key = pair.key();
        let mut registered = self
            .registered
            .write()
            .map_err(|_| Error::Backend("cipher registry lock poisoned".into()))?;
        if self.builtin.contains_key(&key) || registered.contains_key(&key) {
            return Err(Error::invalid(format!(
                "duplicate registration for {} in {} mode",
                pair.algorithm_name(),
                pair.mode_name().unwrap_or("no")
            )));
        }
        registered.insert(key, Entry { pair, adapter });
        Ok(())
    }

    /// Every pair with its key sizes, sorted by algorithm and mode.
    pub(crate) fn supported(&self) -> Vec<CipherSupport> {
        let describe = |entry: &Entry| CipherSupport {
            algorithm: entry.pair.algorithm_name().to_owned(),
            mode: entry.pair.mode_name().map(str::to_owned),
            key_sizes: entry.adapter.key_sizes(),
        };
        let mut all: Vec<CipherSupport> = self.builtin.values().map(describe).collect();
        if let Ok(registered) = self.registered.read() {
            all.extend(registered.values().map(describe));
        }
        all.sort_by_key(|c| (c.algorithm.to_ascii_lowercase(), c.mode.clone()));
        all
    }
}

/// Makes hash contexts for one hash algorithm (a backend's entry in its [`DigestRegistry`]).
pub(crate) trait HashFactory: Send + Sync {
    /// A fresh context hashing with `algorithm` (whose output length an XOF reads).
    fn create_hash(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>>;
}

/// Makes HMAC contexts over one hash algorithm.
pub(crate) trait HmacFactory: Send + Sync {
    /// A fresh HMAC context keyed with `key`.
    fn create_hmac(&self, key: &[u8]) -> Result<Box<dyn HmacContext>>;
}

/// One hash a backend serves: its name (as `HashAlgorithm::name`), how to make its contexts,
/// and HMAC over it when the backend has that.
pub(crate) struct DigestEntry<H, M> {
    pub(crate) name: &'static str,
    pub(crate) hash: H,
    pub(crate) hmac: Option<M>,
}

impl<H, M> DigestEntry<H, M> {
    pub(crate) fn new(name: &'static str, hash: H, hmac: Option<M>) -> Self {
        DigestEntry { name, hash, hmac }
    }
}

/// Hash and HMAC factories by hash type, built once with the backend.
pub(crate) struct DigestRegistry<H, M> {
    entries: TypeIdMap<TypeId, DigestEntry<H, M>>,
}

impl<H: HashFactory, M: HmacFactory> DigestRegistry<H, M> {
    /// A registry of the given (hash type, entry) pairs.
    pub(crate) fn new(entries: impl IntoIterator<Item = (TypeId, DigestEntry<H, M>)>) -> Self {
        DigestRegistry {
            entries: entries.into_iter().collect(),
        }
    }

    /// The entry of `algorithm`'s type, if the backend serves it.
    pub(crate) fn entry(&self, algorithm: &dyn HashAlgorithm) -> Option<&DigestEntry<H, M>> {
        self.entries
            .get(&(algorithm as &dyn std::any::Any).type_id())
    }

    /// Every entry, by hash type, in no particular order (the OpenSSL backend's KDF listing
    /// reads it).
    #[cfg(feature = "openssl")]
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&TypeId, &DigestEntry<H, M>)> {
        self.entries.iter()
    }

    pub(crate) fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.entry(algorithm).is_some()
    }

    /// A hash context, or `UnsupportedAlgorithm` naming `backend`.
    pub(crate) fn create_hash(
        &self,
        backend: &str,
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HashContext>> {
        self.entry(algorithm)
            .ok_or_else(|| unsupported_hash(backend, algorithm))?
            .hash
            .create_hash(algorithm)
    }

    /// The supported hash names, in the canonical order.
    pub(crate) fn supported_hashes(&self) -> Vec<String> {
        sorted_hash_names(self.entries.values().map(|e| e.name))
    }

    pub(crate) fn hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.entry(algorithm).is_some_and(|e| e.hmac.is_some())
    }

    /// An HMAC context keyed with `key`, or `UnsupportedAlgorithm` naming `backend`.
    pub(crate) fn create_hmac(
        &self,
        backend: &str,
        key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>> {
        self.entry(algorithm)
            .and_then(|e| e.hmac.as_ref())
            .ok_or_else(|| unsupported_hmac(backend, algorithm))?
            .create_hmac(key)
    }

    /// The hash names HMAC is supported over, in the canonical order.
    pub(crate) fn supported_hmacs(&self) -> Vec<String> {
        sorted_hash_names(
            self.entries
                .values()
                .filter(|e| e.hmac.is_some())
                .map(|e| e.name),
        )
    }
}

/// Hash names in the canonical order of [`hashes::all_algorithms`](crate::hazmat::primitives::hashes::all_algorithms).
pub(crate) fn sorted_hash_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let order: Vec<&str> = crate::hazmat::primitives::hashes::all_algorithms(1)
        .iter()
        .map(|a| a.name())
        .collect();
    let mut names: Vec<&str> = names.collect();
    names.sort_by_key(|n| order.iter().position(|o| o == n));
    names.into_iter().map(str::to_owned).collect()
}

/// Implements `CipherBackend` for a backend type whose `ciphers` field is a [`CipherRegistry`]
/// and which implements `Backend` (for its name in errors).
macro_rules! cipher_backend_via_registry {
    ($backend:ty) => {
        impl $crate::hazmat::backends::CipherBackend for $backend {
            fn cipher_supported(
                &self,
                cipher: &dyn $crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm,
                mode: Option<&dyn $crate::hazmat::primitives::ciphers::modes::Mode>,
            ) -> bool {
                self.ciphers.find(cipher, mode).is_some()
            }

            fn register_cipher_adapter(
                &self,
                pair: $crate::hazmat::backends::CipherPair,
                adapter: std::sync::Arc<dyn $crate::hazmat::backends::CipherAdapter>,
            ) -> $crate::Result<()> {
                self.ciphers.register(pair, adapter)
            }

            fn create_symmetric_encryption_ctx(
                &self,
                cipher: &dyn $crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm,
                mode: Option<&dyn $crate::hazmat::primitives::ciphers::modes::Mode>,
            ) -> $crate::Result<Box<dyn $crate::hazmat::backends::SymmetricContext>> {
                let name = $crate::hazmat::backends::Backend::name(self);
                self.ciphers.create(
                    name,
                    cipher,
                    mode,
                    $crate::hazmat::backends::Direction::Encrypt,
                )
            }

            fn create_symmetric_decryption_ctx(
                &self,
                cipher: &dyn $crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm,
                mode: Option<&dyn $crate::hazmat::primitives::ciphers::modes::Mode>,
            ) -> $crate::Result<Box<dyn $crate::hazmat::backends::SymmetricContext>> {
                let name = $crate::hazmat::backends::Backend::name(self);
                self.ciphers.create(
                    name,
                    cipher,
                    mode,
                    $crate::hazmat::backends::Direction::Decrypt,
                )
            }

            fn supported_ciphers(&self) -> Vec<$crate::hazmat::backends::CipherSupport> {
                self.ciphers.supported()
            }
        }
    };
}
pub(crate) use cipher_backend_via_registry;

/// Implements `HashBackend` and `HmacBackend` for a backend type whose `hashes` field is a
/// [`DigestRegistry`] and which implements `Backend` (for its name in errors).
macro_rules! digest_backend_via_registry {
    ($backend:ty) => {
        impl $crate::hazmat::backends::HashBackend for $backend {
            fn hash_supported(
                &self,
                algorithm: &dyn $crate::hazmat::primitives::hashes::HashAlgorithm,
            ) -> bool {
                self.hashes.hash_supported(algorithm)
            }

            fn create_hash_ctx(
                &self,
                algorithm: &dyn $crate::hazmat::primitives::hashes::HashAlgorithm,
            ) -> $crate::Result<Box<dyn $crate::hazmat::backends::HashContext>> {
                let name = $crate::hazmat::backends::Backend::name(self);
                self.hashes.create_hash(name, algorithm)
            }

            fn supported_hashes(&self) -> Vec<String> {
                self.hashes.supported_hashes()
            }
        }

        impl $crate::hazmat::backends::HmacBackend for $backend {
            fn hmac_supported(
                &self,
                algorithm: &dyn $crate::hazmat::primitives::hashes::HashAlgorithm,
            ) -> bool {
                self.hashes.hmac_supported(algorithm)
            }

            fn create_hmac_ctx(
                &self,
                key: &[u8],
                algorithm: &dyn $crate::hazmat::primitives::hashes::HashAlgorithm,
            ) -> $crate::Result<Box<dyn $crate::hazmat::backends::HmacContext>> {
                let name = $crate::hazmat::backends::Backend::name(self);
                self.hashes.create_hmac(name, key, algorithm)
            }

            fn supported_hmacs(&self) -> Vec<String> {
                self.hashes.supported_hmacs()
            }
        }
    };
}
pub(crate) use digest_backend_via_registry;
