//! The cipher registry every backend keeps: (cipher type, mode type) -> adapter.
//!
//! Built-in pairs are fixed when the backend is built; pairs added at run time with
//! `register_cipher_adapter` go in a separate locked map, so lookups of built-ins never lock.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{
    CipherAdapter, CipherPair, CipherSupport, Direction, SymmetricContext,
};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::unsupported::unsupported_cipher;

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
