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
use std::sync::Arc;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::TypeIdMap;
use crate::hazmat::backends::{Backend, CipherSupport};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::asymmetric::curves::{EdwardsCurve, EllipticCurve, MontgomeryCurve};
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::Argon2Variant;

mod aead;
mod asymmetric;
mod cipher;
mod hash;
mod kdf;
mod mac;

/// A family of requests, as the multi-backend routes them: every request of one route tries
/// the members in the same order (the route's [`Preference`], or the member order).
///
/// Algorithm and mode types are named by their [`TypeId`], so a route covers every key size
/// and IV of its types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// Cipher type and mode type (`None` for a stream cipher), as in
    /// [`CipherPair::key`](crate::hazmat::backends::CipherPair::key).
    Cipher(TypeId, Option<TypeId>),
    /// A hash type.
    Hash(TypeId),
    /// HMAC over a hash type.
    Hmac(TypeId),
    /// A one-shot AEAD construction.
    Aead(AeadAlgorithm),
    /// CMAC over a block cipher type.
    Cmac(TypeId),
    /// Poly1305.
    Poly1305,
    /// PBKDF2 with HMAC over a hash type.
    Pbkdf2Hmac(TypeId),
    /// scrypt.
    Scrypt,
    /// One Argon2 variant.
    Argon2(Argon2Variant),
    /// RSA key generation and loading.
    Rsa,
    /// Elliptic-curve key generation and loading on one curve.
    EllipticCurve(EllipticCurve),
    /// EdDSA key generation and loading on one curve.
    EdDsa(EdwardsCurve),
    /// X25519/X448 key generation and loading.
    Xdh(MontgomeryCurve),
    /// DSA parameter and key generation, and loading.
    Dsa,
    /// Finite-field Diffie-Hellman parameter and key generation, and loading.
    Dh,
}

/// The concrete type behind a descriptor, which names its route.
fn type_of(descriptor: &dyn Any) -> TypeId {
    descriptor.type_id()
}

/// A member order for one [`Route`] (a cipher/mode pair, a hash, HMAC over a hash, ...),
/// overriding the multi-backend's member order for that route only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference {
    route: Route,
    names: (String, Option<String>),
    order: Vec<String>,
}

impl Preference {
    /// Members named in `order` serve `route` first, in that order; `names` are the display
    /// names of its algorithm and (for a block cipher) mode.
    pub fn new(route: Route, names: (&str, Option<&str>), order: &[&str]) -> Self {
        Preference {
            route,
            names: (names.0.to_owned(), names.1.map(str::to_owned)),
            order: order.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// Members named in `order` serve block cipher `A` in mode `M` first, in that order.
    pub fn cipher<A: CipherAlgorithm, M: Mode>(
        algorithm: &str,
        mode: &str,
        order: &[&str],
    ) -> Self {
        let route = Route::Cipher(TypeId::of::<A>(), Some(TypeId::of::<M>()));
        Self::new(route, (algorithm, Some(mode)), order)
    }

    /// Members named in `order` serve stream cipher `A` first, in that order.
    pub fn stream_cipher<A: CipherAlgorithm>(algorithm: &str, order: &[&str]) -> Self {
        Self::new(
            Route::Cipher(TypeId::of::<A>(), None),
            (algorithm, None),
            order,
        )
    }

    /// Members named in `order` serve hash `H` first, in that order.
    pub fn hash<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::new(Route::Hash(TypeId::of::<H>()), (name, None), order)
    }

    /// Members named in `order` serve HMAC over `H` first, in that order.
    pub fn hmac<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::new(Route::Hmac(TypeId::of::<H>()), (name, None), order)
    }

    /// Members named in `order` serve the one-shot AEAD `algorithm` first, in that order.
    pub fn aead(algorithm: AeadAlgorithm, order: &[&str]) -> Self {
        Self::new(Route::Aead(algorithm), (algorithm.name(), None), order)
    }

    /// Members named in `order` serve CMAC over block cipher `A` first, in that order.
    pub fn cmac<A: CipherAlgorithm>(algorithm: &str, order: &[&str]) -> Self {
        Self::new(Route::Cmac(TypeId::of::<A>()), (algorithm, None), order)
    }

    /// Members named in `order` serve Poly1305 first, in that order.
    pub fn poly1305(order: &[&str]) -> Self {
        Self::new(Route::Poly1305, ("Poly1305", None), order)
    }

    /// Members named in `order` serve PBKDF2-HMAC over `H` first, in that order.
    pub fn pbkdf2_hmac<H: HashAlgorithm>(name: &str, order: &[&str]) -> Self {
        Self::new(Route::Pbkdf2Hmac(TypeId::of::<H>()), (name, None), order)
    }

    /// Members named in `order` serve scrypt first, in that order.
    pub fn scrypt(order: &[&str]) -> Self {
        Self::new(Route::Scrypt, ("scrypt", None), order)
    }

    /// Members named in `order` serve Argon2 `variant` first, in that order.
    pub fn argon2(variant: Argon2Variant, order: &[&str]) -> Self {
        Self::new(Route::Argon2(variant), (variant.name(), None), order)
    }

    /// Members named in `order` generate and load keys of the public-key family `route` (one
    /// of [`Route::Rsa`], [`Route::EllipticCurve`], [`Route::EdDsa`], [`Route::Xdh`],
    /// [`Route::Dsa`], [`Route::Dh`]) first, in that order; `name` is its display name.
    pub fn public_key(route: Route, name: &str, order: &[&str]) -> Self {
        Self::new(route, (name, None), order)
    }

    /// The route this preference orders.
    pub fn route(&self) -> Route {
        self.route
    }

    /// The algorithm name and, for a block cipher, the mode name.
    pub fn names(&self) -> (&str, Option<&str>) {
        (&self.names.0, self.names.1.as_deref())
    }

    /// The member names, most preferred first.
    pub fn order(&self) -> &[String] {
        &self.order
    }
}

/// An ordered list of backends behind the [`Backend`] interfaces.
pub struct MultiBackend {
    members: Vec<Arc<dyn Backend>>,
    /// Member indices in the default order.
    default_order: Vec<usize>,
    /// Member indices per route with a [`Preference`].
    routes: TypeIdMap<Route, Vec<usize>>,
    preferences: Vec<Preference>,
    /// Why this backend cannot serve anything (a bad `CRYPTOGRAPHY_BACKEND`), if so.
    misconfiguration: Option<Error>,
}

impl MultiBackend {
    /// A multi-backend trying `members` in order.
    pub fn new(members: Vec<Arc<dyn Backend>>) -> Self {
        Self::with_preferences(members, Vec::new())
    }

    /// A multi-backend trying `members` in order, except for the routes named in
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
            routes.insert(p.route, order);
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
        let mut multi = Self::new(Vec::new());
        multi.misconfiguration = Some(error);
        multi
    }

    /// The members, in the default order of preference.
    pub fn members(&self) -> &[Arc<dyn Backend>] {
        &self.members
    }

    /// The per-route preferences this multi-backend was built with.
    pub fn preferences(&self) -> &[Preference] {
        &self.preferences
    }

    /// The members in the order `route` tries them: its preference, or the default order.
    fn in_order(&self, route: Route) -> impl Iterator<Item = &Arc<dyn Backend>> {
        let order = if self.routes.is_empty() {
            &self.default_order
        } else {
            self.routes.get(&route).unwrap_or(&self.default_order)
        };
        order.iter().filter_map(|&i| self.members.get(i))
    }

    /// The first member, in `route`'s order, that `serves` the request.
    fn serving(
        &self,
        route: Route,
        serves: impl Fn(&dyn Backend) -> bool,
    ) -> Option<&Arc<dyn Backend>> {
        self.in_order(route).find(|m| serves(&***m))
    }

    /// Fails with the misconfiguration, if this backend has one.
    fn check_configured(&self) -> Result<()> {
        self.misconfiguration.clone().map_or(Ok(()), Err)
    }

    /// Runs a request on the members in `route`'s order: the first success, or the first error
    /// that is not "unsupported", or `unsupported(self.name())` when every member declines.
    fn route<T>(
        &self,
        route: Route,
        unsupported: impl FnOnce(&str) -> Error,
        mut attempt: impl FnMut(&dyn Backend) -> Result<T>,
    ) -> Result<T> {
        self.check_configured()?;
        for member in self.in_order(route) {
            match attempt(&**member) {
                Err(e) if e.is_unsupported() => continue,
                other => return other,
            }
        }
        Err(unsupported(self.name()))
    }
}

/// The union of several support listings (ciphers, CMAC), merging key sizes of the same pair.
fn union_of_supports(lists: impl Iterator<Item = Vec<CipherSupport>>) -> Vec<CipherSupport> {
    let mut union: BTreeMap<(String, Option<String>), (String, Vec<usize>)> = BTreeMap::new();
    for c in lists.flatten() {
        let entry = union
            .entry((c.algorithm.to_ascii_lowercase(), c.mode))
            .or_insert_with(|| (c.algorithm, Vec::new()));
        entry.1.extend(c.key_sizes);
    }
    union
        .into_iter()
        .map(|((_, mode), (algorithm, key_sizes))| CipherSupport {
            algorithm,
            mode,
            key_sizes: sorted_set(key_sizes),
        })
        .collect()
}

/// `items` sorted, without repeats.
fn sorted_set<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items.dedup();
    items
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazmat::backends::available_backends;
    use crate::hazmat::primitives::ciphers::algorithms::Aes;
    use crate::hazmat::primitives::hashes::{Sha256, Sha512};

    /// A preference moves exactly its route: the preferred member serves it when it can, and
    /// every neighbouring route (another AEAD, Argon2 variant or hash) keeps the member order.
    #[test]
    fn each_route_is_ordered_on_its_own() {
        let members = available_backends();
        let Some(second) = members.get(1).map(|m| m.name().to_owned()) else {
            return;
        };
        let order: &[&str] = &[&second];
        let multi = MultiBackend::with_preferences(
            members.clone(),
            vec![
                Preference::aead(AeadAlgorithm::ChaCha20Poly1305, order),
                Preference::argon2(Argon2Variant::Argon2id, order),
                Preference::scrypt(order),
                Preference::poly1305(order),
                Preference::cmac::<Aes>("AES", order),
                Preference::pbkdf2_hmac::<Sha256>("sha256", order),
            ],
        );
        let name = |m: Option<&Arc<dyn Backend>>| m.map(|m| m.name().to_owned());
        // The member order with `second` moved to the front when `preferred`.
        let expect = |preferred: bool, serves: &dyn Fn(&dyn Backend) -> bool| {
            let front = members.iter().filter(|m| preferred && m.name() == second);
            let mut order = front.chain(&members);
            order.find(|m| serves(&***m)).map(|m| m.name().to_owned())
        };
        for algorithm in AeadAlgorithm::ALL {
            let preferred = algorithm == AeadAlgorithm::ChaCha20Poly1305;
            assert_eq!(
                name(multi.backend_for_aead(algorithm, 32, 16)),
                expect(preferred, &|m| m.aead_supported(algorithm, 32, 16)),
                "{algorithm:?}"
            );
        }
        for variant in [
            Argon2Variant::Argon2d,
            Argon2Variant::Argon2i,
            Argon2Variant::Argon2id,
        ] {
            let preferred = variant == Argon2Variant::Argon2id;
            assert_eq!(
                name(multi.backend_for_argon2(variant)),
                expect(preferred, &|m| m.argon2_supported(variant)),
                "{variant:?}"
            );
        }
        assert_eq!(
            name(multi.backend_for_scrypt()),
            expect(true, &|m| m.scrypt_supported())
        );
        assert_eq!(
            name(multi.backend_for_poly1305()),
            expect(true, &|m| m.poly1305_supported())
        );
        let aes = Aes::new(&[7; 16]).unwrap();
        assert_eq!(
            name(multi.backend_for_cmac(&aes)),
            expect(true, &|m| m.cmac_algorithm_supported(&aes))
        );
        assert_eq!(
            name(multi.backend_for_pbkdf2_hmac(&Sha256)),
            expect(true, &|m| m.pbkdf2_hmac_supported(&Sha256))
        );
        assert_eq!(
            name(multi.backend_for_pbkdf2_hmac(&Sha512)),
            expect(false, &|m| m.pbkdf2_hmac_supported(&Sha512))
        );
        assert_eq!(
            name(multi.backend_for_hash(&Sha256)),
            expect(false, &|m| m.hash_supported(&Sha256)),
            "PBKDF2 and the hash are different routes"
        );
    }

    /// The route of a request is the route its preference names.
    #[test]
    fn routes_of_requests_match_routes_of_types() {
        let aes = Aes::new(&[7; 16]).unwrap();
        assert_eq!(
            Route::Cmac(type_of(&aes)),
            Preference::cmac::<Aes>("AES", &[]).route()
        );
        assert_eq!(
            Route::Hash(type_of(&Sha256)),
            Preference::hash::<Sha256>("sha256", &[]).route()
        );
        assert_ne!(
            Preference::hash::<Sha256>("sha256", &[]).route(),
            Preference::hmac::<Sha256>("sha256", &[]).route()
        );
    }
}
