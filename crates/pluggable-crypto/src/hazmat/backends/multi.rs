//! The multi-backend: an ordered list of backends, each request served by the first member
//! that supports it.
//!
//! Only "unsupported" falls through to the next member; any other error (a bad key length, a
//! native failure) is returned at once. It claims nothing no member has.
//!
//! ```
//! use std::sync::Arc;
//! use pluggable_crypto::hazmat::backends::{available_backends, multi::MultiBackend, Backend};
//! use pluggable_crypto::hazmat::primitives::hashes::Sha256;
//!
//! let multi = MultiBackend::new(available_backends());
//! let serving = multi.backend_for_hash(&Sha256).expect("some member has SHA-256");
//! assert_eq!(serving.name(), multi.members()[0].name());
//! ```

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::{sorted_hash_names, TypeIdMap};
use crate::hazmat::backends::KdfBackend;
use crate::hazmat::backends::{
    AeadBackend, AeadContext, AeadSupport, Backend, CipherAdapter, CipherBackend, CipherPair,
    CipherSupport, CmacBackend, HashBackend, HashContext, HmacBackend, HmacContext, MacContext,
    Poly1305Backend, SymmetricContext,
};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{
    unsupported_aead, unsupported_cipher, unsupported_cmac, unsupported_hash, unsupported_hmac,
    unsupported_poly1305,
};
use crate::hazmat::primitives::unsupported::{
    unsupported_argon2, unsupported_pbkdf2_hmac, unsupported_scrypt,
};

/// What kind of request a [`Preference`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A cipher (with its mode, if any).
    Cipher,
    /// A hash.
    Hash,
    /// HMAC over a hash.
    Hmac,
    /// A one-shot AEAD.
    Aead,
    /// CMAC over a block cipher.
    Cmac,
    /// Poly1305.
    Poly1305,
    /// PBKDF2 with HMAC over a hash.
    Pbkdf2Hmac,
    /// scrypt.
    Scrypt,
    /// One Argon2 variant.
    Argon2,
}

/// A member order for one family of requests (a cipher/mode pair, a hash, HMAC over a hash),
/// overriding the multi-backend's member order for that family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference {
    kind: RequestKind,
    key: (TypeId, Option<TypeId>),
    names: (String, Option<String>),
    order: Vec<String>,
}

impl Preference {
    /// Members named in `order` serve block cipher `A` in mode `M` first, in that order.
    pub fn cipher<A: CipherAlgorithm, M: Mode>(
        algorithm: &str,
        mode: &str,
        order: &[&str],
    ) -> Self {
        Self::with(
            RequestKind::Cipher,
            (TypeId::of::<A>(), Some(TypeId::of::<M>())),
            (algorithm, Some(mode)),
            order,
        )
    }

    /// Members named in `order` serve stream cipher `A` first, in that order.
    pub fn stream_cipher<A: CipherAlgorithm>(algorithm: &str, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Cipher,
            (TypeId::of::<A>(), None),
            (algorithm, None),
            order,
        )
    }

    /// Members named in `order` serve hash `H` first, in that order.
    pub fn hash<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Hash,
            (TypeId::of::<H>(), None),
            (name, None),
            order,
        )
    }

    /// Members named in `order` serve HMAC over `H` first, in that order.
    pub fn hmac<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Hmac,
            (TypeId::of::<H>(), None),
            (name, None),
            order,
        )
    }

    /// Members named in `order` serve the one-shot AEAD `algorithm` first, in that order.
    pub fn aead(algorithm: AeadAlgorithm, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Aead,
            aead_key(algorithm),
            (algorithm.name(), None),
            order,
        )
    }

    /// Members named in `order` serve CMAC over block cipher `A` first, in that order.
    pub fn cmac<A: CipherAlgorithm>(algorithm: &str, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Cmac,
            (TypeId::of::<A>(), None),
            (algorithm, None),
            order,
        )
    }

    /// Members named in `order` serve Poly1305 first, in that order.
    pub fn poly1305(order: &[&str]) -> Self {
        Self::with(
            RequestKind::Poly1305,
            (TypeId::of::<Poly1305Marker>(), None),
            ("Poly1305", None),
            order,
        )
    }

    fn with(
        kind: RequestKind,
        key: (TypeId, Option<TypeId>),
        names: (&str, Option<&str>),
        order: &[&str],
    ) -> Self {
        Preference {
            kind,
            key,
            names: (names.0.to_owned(), names.1.map(str::to_owned)),
            order: order.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// The kind of request.
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// The algorithm (cipher or hash) name and, for a block cipher, the mode name.
    pub fn names(&self) -> (&str, Option<&str>) {
        (&self.names.0, self.names.1.as_deref())
    }

    /// The member names, most preferred first.
    pub fn order(&self) -> &[String] {
        &self.order
    }
}

type RouteKey = (RequestKind, TypeId, Option<TypeId>);

/// An ordered list of backends behind the [`Backend`] interfaces.
pub struct MultiBackend {
    members: Vec<Arc<dyn Backend>>,
    /// Member indices in the default order.
    default_order: Vec<usize>,
    /// Member indices per request family with a [`Preference`].
    routes: TypeIdMap<RouteKey, Vec<usize>>,
    preferences: Vec<Preference>,
    /// Why this backend cannot serve anything (a bad `CRYPTOGRAPHY_BACKEND`), if so.
    misconfiguration: Option<Error>,
}

impl MultiBackend {
    /// A multi-backend trying `members` in order.
    pub fn new(members: Vec<Arc<dyn Backend>>) -> Self {
        Self::with_preferences(members, Vec::new())
    }

    /// A multi-backend trying `members` in order, except for the request families named in
    /// `preferences`, which try the named members first (in the given order), then the rest.
    /// Names of members not present are ignored. Nothing becomes supported that no member
    /// supports; only the order changes.
    pub fn with_preferences(members: Vec<Arc<dyn Backend>>, preferences: Vec<Preference>) -> Self {
        let default_order: Vec<usize> = (0..members.len()).collect();
        let mut routes = TypeIdMap::default();
        for p in &preferences {
            let mut order: Vec<usize> = Vec::with_capacity(members.len());
            let named = p
                .order
                .iter()
                .filter_map(|name| members.iter().position(|m| m.name() == name));
            for i in named.chain(default_order.iter().copied()) {
                if !order.contains(&i) {
                    order.push(i);
                }
            }
            routes.insert((p.kind, p.key.0, p.key.1), order);
        }
        MultiBackend {
            members,
            default_order,
            routes,
            preferences,
            misconfiguration: None,
        }
    }

    /// A backend with no members that fails every request with `error`.
    pub(crate) fn misconfigured(error: Error) -> Self {
        MultiBackend {
            members: Vec::new(),
            default_order: Vec::new(),
            routes: TypeIdMap::default(),
            preferences: Vec::new(),
            misconfiguration: Some(error),
        }
    }

    /// The members, in the default order of preference.
    pub fn members(&self) -> &[Arc<dyn Backend>] {
        &self.members
    }

    /// The per-family preferences this multi-backend was built with.
    pub fn preferences(&self) -> &[Preference] {
        &self.preferences
    }

    /// The member order for one request: its family's preference, or the default order.
    fn order(&self, kind: RequestKind, key: (TypeId, Option<TypeId>)) -> &[usize] {
        if self.routes.is_empty() {
            return &self.default_order;
        }
        self.routes
            .get(&(kind, key.0, key.1))
            .map_or(&self.default_order, Vec::as_slice)
    }

    fn in_order(
        &self,
        kind: RequestKind,
        key: (TypeId, Option<TypeId>),
    ) -> impl Iterator<Item = &Arc<dyn Backend>> {
        self.order(kind, key)
            .iter()
            .filter_map(|&i| self.members.get(i))
    }

    /// The member that serves `cipher` in `mode`, if any.
    pub fn backend_for_cipher(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Option<&Arc<dyn Backend>> {
        let key = CipherPair::key_of(cipher, mode);
        self.in_order(RequestKind::Cipher, key)
            .find(|m| m.cipher_supported(cipher, mode))
    }

    /// The member that serves `algorithm`, if any.
    pub fn backend_for_hash(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Hash, hash_key(algorithm))
            .find(|m| m.hash_supported(algorithm))
    }

    /// The member that serves HMAC over `algorithm`, if any.
    pub fn backend_for_hmac(&self, algorithm: &dyn HashAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Hmac, hash_key(algorithm))
            .find(|m| m.hmac_supported(algorithm))
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
        kind: RequestKind,
        key: (TypeId, Option<TypeId>),
        unsupported: impl FnOnce() -> Error,
        mut attempt: impl FnMut(&dyn Backend) -> Result<T>,
    ) -> Result<T> {
        if let Some(error) = &self.misconfiguration {
            return Err(error.clone());
        }
        for member in self.in_order(kind, key) {
            match attempt(&**member) {
                Err(e) if e.is_unsupported() => continue,
                other => return other,
            }
        }
        Err(unsupported())
    }
}

fn hash_key(algorithm: &dyn HashAlgorithm) -> (TypeId, Option<TypeId>) {
    ((algorithm as &dyn Any).type_id(), None)
}

/// Route keys for the AEAD constructions: a marker type per construction.
fn aead_key(algorithm: AeadAlgorithm) -> (TypeId, Option<TypeId>) {
    struct AeadMarker<const N: usize>;
    let id = match algorithm {
        AeadAlgorithm::AesGcm => TypeId::of::<AeadMarker<0>>(),
        AeadAlgorithm::ChaCha20Poly1305 => TypeId::of::<AeadMarker<1>>(),
        AeadAlgorithm::AesCcm => TypeId::of::<AeadMarker<2>>(),
        AeadAlgorithm::AesOcb3 => TypeId::of::<AeadMarker<3>>(),
        AeadAlgorithm::AesSiv => TypeId::of::<AeadMarker<4>>(),
        AeadAlgorithm::AesGcmSiv => TypeId::of::<AeadMarker<5>>(),
    };
    (id, None)
}

struct Poly1305Marker;

fn cmac_key(algorithm: &dyn CipherAlgorithm) -> (TypeId, Option<TypeId>) {
    ((algorithm as &dyn Any).type_id(), None)
}

impl MultiBackend {
    /// The member that serves the one-shot AEAD `algorithm` with this key and tag size first,
    /// if any. (A member may still decline one message's parameters, e.g. a nonce length; the
    /// next member then serves that message.)
    pub fn backend_for_aead(
        &self,
        algorithm: AeadAlgorithm,
        key_bytes: usize,
        tag_bytes: usize,
    ) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Aead, aead_key(algorithm))
            .find(|m| m.aead_supported(algorithm, key_bytes, tag_bytes))
    }

    /// The member that serves CMAC over `algorithm`, if any.
    pub fn backend_for_cmac(&self, algorithm: &dyn CipherAlgorithm) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Cmac, cmac_key(algorithm))
            .find(|m| m.cmac_algorithm_supported(algorithm))
    }

    /// The member that serves Poly1305, if any.
    pub fn backend_for_poly1305(&self) -> Option<&Arc<dyn Backend>> {
        self.in_order(
            RequestKind::Poly1305,
            (TypeId::of::<Poly1305Marker>(), None),
        )
        .find(|m| m.poly1305_supported())
    }
}

/// A keyed AEAD over several members: each message goes to the first member whose context
/// accepts its parameters (members' contexts are keyed lazily, once each).
struct MultiAeadContext {
    algorithm: AeadAlgorithm,
    key: Zeroizing<Vec<u8>>,
    tag_bytes: usize,
    members: Vec<Arc<dyn Backend>>,
    contexts: Vec<OnceLock<Result<Box<dyn AeadContext>>>>,
}

impl MultiAeadContext {
    fn run(&self, mut message: impl FnMut(&dyn AeadContext) -> Result<()>) -> Result<()> {
        for (member, slot) in self.members.iter().zip(&self.contexts) {
            let context = slot
                .get_or_init(|| member.create_aead_ctx(self.algorithm, &self.key, self.tag_bytes));
            let outcome = match context {
                Ok(context) => message(&**context),
                Err(e) => Err(e.clone()),
            };
            match outcome {
                Err(e) if e.is_unsupported() => continue,
                other => return other,
            }
        }
        Err(unsupported_aead("multi", self.algorithm))
    }
}

impl AeadContext for MultiAeadContext {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        self.run(|c| c.encrypt_into(nonce, plaintext, aad, &mut *out))
    }

    /// As the first member's context (the one most messages use).
    fn seals_in_place(&self) -> bool {
        self.contexts
            .first()
            .and_then(OnceLock::get)
            .is_some_and(|c| c.as_ref().is_ok_and(|c| c.seals_in_place()))
    }

    fn encrypt_in_place(
        &self,
        nonce: &[u8],
        aad: &[&[u8]],
        buf: &mut [u8],
        tag_bytes: usize,
    ) -> Result<()> {
        // A member declines (unsupported) before touching `buf`, so the next sees it intact.
        self.run(|c| c.encrypt_in_place(nonce, aad, &mut *buf, tag_bytes))
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        self.run(|c| c.decrypt_into(nonce, ciphertext, aad, &mut *out))
    }
}

impl AeadBackend for MultiBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        self.backend_for_aead(algorithm, key_bytes, tag_bytes)
            .is_some()
    }

    /// A single member's context when only one member serves the construction; otherwise a
    /// context that keys the first member now and the others only if a message needs them.
    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        if let Some(error) = &self.misconfiguration {
            return Err(error.clone());
        }
        let members: Vec<Arc<dyn Backend>> = self
            .in_order(RequestKind::Aead, aead_key(algorithm))
            .filter(|m| m.aead_supported(algorithm, key.len(), tag_bytes))
            .cloned()
            .collect();
        let first = match members.first() {
            Some(first) => first.create_aead_ctx(algorithm, key, tag_bytes)?,
            None => return Err(unsupported_aead(self.name(), algorithm)),
        };
        if members.len() == 1 {
            return Ok(first);
        }
        let contexts: Vec<_> = (0..members.len()).map(|_| OnceLock::new()).collect();
        let _ = contexts[0].set(Ok(first));
        Ok(Box::new(MultiAeadContext {
            algorithm,
            key: Zeroizing::new(key.to_vec()),
            tag_bytes,
            members,
            contexts,
        }))
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        let mut union: BTreeMap<AeadAlgorithm, Vec<usize>> = BTreeMap::new();
        for member in &self.members {
            for a in member.supported_aeads() {
                union.entry(a.algorithm).or_default().extend(a.key_sizes);
            }
        }
        union
            .into_iter()
            .map(|(algorithm, mut key_sizes)| {
                key_sizes.sort_unstable();
                key_sizes.dedup();
                AeadSupport {
                    algorithm,
                    key_sizes,
                }
            })
            .collect()
    }
}

impl CmacBackend for MultiBackend {
    fn cmac_algorithm_supported(&self, algorithm: &dyn CipherAlgorithm) -> bool {
        self.backend_for_cmac(algorithm).is_some()
    }

    fn create_cmac_ctx(&self, algorithm: &dyn CipherAlgorithm) -> Result<Box<dyn MacContext>> {
        self.first(
            RequestKind::Cmac,
            cmac_key(algorithm),
            || unsupported_cmac(self.name(), algorithm),
            |m| m.create_cmac_ctx(algorithm),
        )
    }

    fn supported_cmacs(&self) -> Vec<CipherSupport> {
        union_of_supports(self.members.iter().map(|m| m.supported_cmacs()))
    }
}

impl Poly1305Backend for MultiBackend {
    fn poly1305_supported(&self) -> bool {
        self.backend_for_poly1305().is_some()
    }

    fn create_poly1305_ctx(&self, key: &[u8]) -> Result<Box<dyn MacContext>> {
        self.first(
            RequestKind::Poly1305,
            (TypeId::of::<Poly1305Marker>(), None),
            || unsupported_poly1305(self.name()),
            |m| m.create_poly1305_ctx(key),
        )
    }
}

/// The union of several support listings, merging key sizes of the same pair.
fn union_of_supports(lists: impl Iterator<Item = Vec<CipherSupport>>) -> Vec<CipherSupport> {
    let mut union: BTreeMap<(String, Option<String>), (String, Vec<usize>)> = BTreeMap::new();
    for list in lists {
        for c in list {
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
            RequestKind::Cipher,
            CipherPair::key_of(cipher, mode),
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
            RequestKind::Cipher,
            CipherPair::key_of(cipher, mode),
            || unsupported_cipher(self.name(), cipher, mode),
            |m| m.create_symmetric_decryption_ctx(cipher, mode),
        )
    }

    /// The union of the members' pairs, with the union of their key sizes.
    fn supported_ciphers(&self) -> Vec<CipherSupport> {
        union_of_supports(self.members.iter().map(|m| m.supported_ciphers()))
    }
}

impl HashBackend for MultiBackend {
    fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_hash(algorithm).is_some()
    }

    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        self.first(
            RequestKind::Hash,
            hash_key(algorithm),
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
            RequestKind::Hmac,
            hash_key(algorithm),
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
}

impl Preference {
    /// Members named in `order` serve PBKDF2-HMAC over `H` first, in that order.
    pub fn pbkdf2_hmac<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Pbkdf2Hmac,
            (TypeId::of::<H>(), None),
            (name, None),
            order,
        )
    }

    /// Members named in `order` serve scrypt first, in that order.
    pub fn scrypt(order: &[&str]) -> Self {
        Self::with(RequestKind::Scrypt, scrypt_key(), ("scrypt", None), order)
    }

    /// Members named in `order` serve Argon2 `variant` first, in that order.
    pub fn argon2(variant: Argon2Variant, order: &[&str]) -> Self {
        Self::with(
            RequestKind::Argon2,
            argon2_key(variant),
            (variant.name(), None),
            order,
        )
    }
}

struct ScryptMarker;

fn scrypt_key() -> (TypeId, Option<TypeId>) {
    (TypeId::of::<ScryptMarker>(), None)
}

/// Route keys for the Argon2 variants: a marker type per variant.
fn argon2_key(variant: Argon2Variant) -> (TypeId, Option<TypeId>) {
    struct Argon2Marker<const N: usize>;
    let id = match variant {
        Argon2Variant::Argon2d => TypeId::of::<Argon2Marker<0>>(),
        Argon2Variant::Argon2i => TypeId::of::<Argon2Marker<1>>(),
        Argon2Variant::Argon2id => TypeId::of::<Argon2Marker<2>>(),
    };
    (id, None)
}

impl MultiBackend {
    /// The member that serves PBKDF2-HMAC over `algorithm` first, if any.
    pub fn backend_for_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
    ) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Pbkdf2Hmac, hash_key(algorithm))
            .find(|m| m.pbkdf2_hmac_supported(algorithm))
    }

    /// The member that serves scrypt first, if any.
    pub fn backend_for_scrypt(&self) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Scrypt, scrypt_key())
            .find(|m| m.scrypt_supported())
    }

    /// The member that serves Argon2 `variant` first, if any. (A member may still decline one
    /// request's parameters; the next member then serves it.)
    pub fn backend_for_argon2(&self, variant: Argon2Variant) -> Option<&Arc<dyn Backend>> {
        self.in_order(RequestKind::Argon2, argon2_key(variant))
            .find(|m| m.argon2_supported(variant))
    }
}

impl KdfBackend for MultiBackend {
    fn pbkdf2_hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool {
        self.backend_for_pbkdf2_hmac(algorithm).is_some()
    }

    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        key_material: &[u8],
        salt: &[u8],
        iterations: u32,
        out: &mut [u8],
    ) -> Result<()> {
        self.first(
            RequestKind::Pbkdf2Hmac,
            hash_key(algorithm),
            || unsupported_pbkdf2_hmac(self.name(), algorithm),
            |m| m.derive_pbkdf2_hmac(algorithm, key_material, salt, iterations, &mut *out),
        )
    }

    fn scrypt_supported(&self) -> bool {
        self.backend_for_scrypt().is_some()
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
        self.first(
            RequestKind::Scrypt,
            scrypt_key(),
            || unsupported_scrypt(self.name()),
            |m| m.derive_scrypt(key_material, salt, n, r, p, &mut *out),
        )
    }

    fn argon2_supported(&self, variant: Argon2Variant) -> bool {
        self.backend_for_argon2(variant).is_some()
    }

    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        key_material: &[u8],
        params: &Argon2Params<'_>,
        out: &mut [u8],
    ) -> Result<()> {
        self.first(
            RequestKind::Argon2,
            argon2_key(variant),
            || unsupported_argon2(self.name(), variant),
            |m| m.derive_argon2(variant, key_material, params, &mut *out),
        )
    }

    /// The union of the members' lists, sorted.
    fn supported_kdfs(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .members
            .iter()
            .flat_map(|m| m.supported_kdfs())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
