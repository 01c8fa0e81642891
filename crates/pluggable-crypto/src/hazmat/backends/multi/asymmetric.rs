//! Public-key generation and loading on a multi-backend.
//!
//! Only generation and loading are routed: they go to the first member (in the family's route
//! order) that supports the key type, size or curve and does not decline. The handle returned
//! belongs to that member, so every later operation on the key runs there, with one exception:
//! an EC private key whose member refuses a signature (RFC 6979 nonces on OpenSSL before 3.2)
//! or ECDH as unsupported is copied once to the first other member that serves it, which then
//! does that operation (see [`RoutedEcPrivateKey`]). So a curve can be routed to its fastest
//! member without losing an operation another member has.

use std::sync::{Arc, Mutex};

use super::{MultiBackend, Route};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{
    Backend, DhBackend, DhPrivateKeyHandle, DsaBackend, DsaPrivateKeyHandle, DsaPublicKeyHandle,
    EcPrivateKeyHandle, EcPublicKeyHandle, EdDsaBackend, EdPrivateKeyHandle, EdPublicKeyHandle,
    EllipticCurveBackend, RsaBackend, RsaPrivateKeyHandle, RsaPublicKeyHandle, XdhBackend,
    XdhPrivateKeyHandle,
};
use crate::hazmat::primitives::asymmetric::components::{
    DhParameterComponents, DsaParameterComponents, RsaPrivateComponents, RsaPublicComponents,
    SecretBytes,
};
use crate::hazmat::primitives::asymmetric::curves::{EdwardsCurve, EllipticCurve, MontgomeryCurve};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaSignatureScheme, SignInput, SignatureNonce,
};

fn none_serves(reason: Reason, what: &str) -> impl FnOnce(&str) -> Error + '_ {
    move |me| Error::unsupported(reason, format!("no member of {me} supports {what}"))
}

impl MultiBackend {
    /// The member that generates and loads RSA keys of `key_size` bits, if any.
    pub fn backend_for_rsa(&self, key_size: usize) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Rsa, |m| m.rsa_supported(key_size))
    }

    /// The member that generates and loads keys on `curve`, if any.
    pub fn backend_for_elliptic_curve(&self, curve: EllipticCurve) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::EllipticCurve(curve), |m| {
            m.elliptic_curve_supported(curve)
        })
    }

    /// The member that generates and loads EdDSA keys on `curve`, if any.
    pub fn backend_for_eddsa(&self, curve: EdwardsCurve) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::EdDsa(curve), |m| m.eddsa_supported(curve))
    }

    /// The member that generates and loads X25519/X448 keys, if any.
    pub fn backend_for_xdh(&self, curve: MontgomeryCurve) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Xdh(curve), |m| m.xdh_supported(curve))
    }

    /// The member that serves DSA with an L-bit p, if any.
    pub fn backend_for_dsa(&self, key_size: usize) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Dsa, |m| m.dsa_supported(key_size))
    }

    /// The member that serves finite-field DH with a p of `key_size` bits, if any.
    pub fn backend_for_dh(&self, key_size: usize) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Dh, |m| m.dh_supported(key_size))
    }

    /// Runs `attempt` on the members of `route` that pass `serves`, in order: the first result
    /// that is not "unsupported".
    fn route_keys<T>(
        &self,
        route: Route,
        unsupported: impl FnOnce(&str) -> Error,
        serves: impl Fn(&dyn Backend) -> bool,
        attempt: impl Fn(&dyn Backend) -> Result<T>,
    ) -> Result<T> {
        self.route(route, unsupported, |m| {
            if serves(m) {
                attempt(m)
            } else {
                Err(Error::unsupported(Reason::BackendMissingInterface, ""))
            }
        })
    }
}

impl MultiBackend {
    /// `key` (from a member) wrapped so that operations its member refuses can run on another.
    fn routed_ec_key(
        &self,
        key: Result<Arc<dyn EcPrivateKeyHandle>>,
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let key = key?;
        if self.members.len() < 2 {
            return Ok(key);
        }
        Ok(Arc::new(RoutedEcPrivateKey {
            home: key,
            members: self.members.clone(),
            stand_ins: Mutex::new(Vec::new()),
        }))
    }
}

/// An EC private key on the member it was routed to (its home), plus copies made on demand on
/// other members for the operations the home refuses as unsupported. The copies are built from
/// the private scalar through the member's own loader, once per member, and kept for the key's
/// life; results are the same as the home would give (RFC 6979 signatures and ECDH secrets are
/// determined by the key and the input).
struct RoutedEcPrivateKey {
    home: Arc<dyn EcPrivateKeyHandle>,
    members: Vec<Arc<dyn Backend>>,
    stand_ins: Mutex<Vec<(String, Arc<dyn EcPrivateKeyHandle>)>>,
}

impl RoutedEcPrivateKey {
    /// The copy of the key on the first member other than the home that `serves`, made on
    /// first use; `refusal` (the home's error) when no member does.
    fn stand_in(
        &self,
        serves: impl Fn(&dyn Backend) -> bool,
        refusal: Error,
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let home = self.home.backend_name();
        let Some(member) = self
            .members
            .iter()
            .find(|m| m.name() != home && serves(&***m))
        else {
            return Err(refusal);
        };
        let mut stand_ins = self
            .stand_ins
            .lock()
            .map_err(|_| Error::Backend("a stand-in key's lock was poisoned".to_owned()))?;
        if let Some((_, key)) = stand_ins.iter().find(|(name, _)| *name == member.name()) {
            return Ok(key.clone());
        }
        let scalar = self.home.private_scalar()?;
        let key = member.derive_ec_private_key(self.home.curve(), &scalar)?;
        stand_ins.push((member.name().to_owned(), key.clone()));
        Ok(key)
    }
}

impl EcPrivateKeyHandle for RoutedEcPrivateKey {
    fn backend_name(&self) -> &'static str {
        self.home.backend_name()
    }

    fn curve(&self) -> EllipticCurve {
        self.home.curve()
    }

    fn public_key(&self) -> Result<Arc<dyn EcPublicKeyHandle>> {
        self.home.public_key()
    }

    fn private_scalar(&self) -> Result<SecretBytes> {
        self.home.private_scalar()
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        match self.home.sign(input, hash, nonce) {
            Err(e) if e.is_unsupported() => {
                let curve = self.home.curve();
                self.stand_in(
                    |m| m.elliptic_curve_signature_algorithm_supported(curve, hash, nonce),
                    e,
                )?
                .sign(input, hash, nonce)
            }
            result => result,
        }
    }

    fn exchange(&self, peer_uncompressed_point: &[u8]) -> Result<SecretBytes> {
        match self.home.exchange(peer_uncompressed_point) {
            Err(e) if e.is_unsupported() => {
                let curve = self.home.curve();
                self.stand_in(|m| m.elliptic_curve_exchange_supported(curve), e)?
                    .exchange(peer_uncompressed_point)
            }
            result => result,
        }
    }
}

/// The bit length of a big-endian integer.
fn bits(be: &[u8]) -> usize {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    match be.get(start) {
        None => 0,
        Some(&top) => (be.len() - start) * 8 - top.leading_zeros() as usize,
    }
}

impl RsaBackend for MultiBackend {
    fn rsa_supported(&self, key_size: usize) -> bool {
        self.backend_for_rsa(key_size).is_some()
    }

    fn rsa_signature_supported(&self, scheme: &RsaSignatureScheme) -> bool {
        self.members
            .iter()
            .any(|m| m.rsa_signature_supported(scheme))
    }

    fn rsa_encryption_supported(&self, scheme: &RsaEncryptionScheme<'_>) -> bool {
        self.members
            .iter()
            .any(|m| m.rsa_encryption_supported(scheme))
    }

    fn generate_rsa_private_key(
        &self,
        public_exponent: u32,
        key_size: usize,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        self.route_keys(
            Route::Rsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "RSA key generation"),
            |m| m.rsa_supported(key_size),
            |m| m.generate_rsa_private_key(public_exponent, key_size),
        )
    }

    fn load_rsa_private_components(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        let key_size = bits(&components.n);
        self.route_keys(
            Route::Rsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "RSA"),
            |m| m.rsa_supported(key_size),
            |m| m.load_rsa_private_components(components),
        )
    }

    fn load_rsa_private_components_unchecked(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        let key_size = bits(&components.n);
        self.route_keys(
            Route::Rsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "RSA"),
            |m| m.rsa_supported(key_size),
            |m| m.load_rsa_private_components_unchecked(components),
        )
    }

    fn load_rsa_public_components(
        &self,
        components: &RsaPublicComponents,
    ) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        let key_size = bits(&components.n);
        self.route_keys(
            Route::Rsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "RSA"),
            |m| m.rsa_supported(key_size),
            |m| m.load_rsa_public_components(components),
        )
    }
}

impl EllipticCurveBackend for MultiBackend {
    fn elliptic_curve_supported(&self, curve: EllipticCurve) -> bool {
        self.backend_for_elliptic_curve(curve).is_some()
    }

    fn elliptic_curve_signature_algorithm_supported(
        &self,
        curve: EllipticCurve,
        hash: HashId,
        nonce: SignatureNonce,
    ) -> bool {
        self.members
            .iter()
            .any(|m| m.elliptic_curve_signature_algorithm_supported(curve, hash, nonce))
    }

    fn elliptic_curve_exchange_supported(&self, curve: EllipticCurve) -> bool {
        self.members
            .iter()
            .any(|m| m.elliptic_curve_exchange_supported(curve))
    }

    fn generate_ec_private_key(&self, curve: EllipticCurve) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        self.routed_ec_key(self.route_keys(
            Route::EllipticCurve(curve),
            none_serves(Reason::UnsupportedEllipticCurve, curve.name()),
            |m| m.elliptic_curve_supported(curve),
            |m| m.generate_ec_private_key(curve),
        ))
    }

    fn derive_ec_private_key(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        self.routed_ec_key(self.route_keys(
            Route::EllipticCurve(curve),
            none_serves(Reason::UnsupportedEllipticCurve, curve.name()),
            |m| m.elliptic_curve_supported(curve),
            |m| m.derive_ec_private_key(curve, scalar),
        ))
    }

    fn load_ec_private_components(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
        public_point: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        self.routed_ec_key(self.route_keys(
            Route::EllipticCurve(curve),
            none_serves(Reason::UnsupportedEllipticCurve, curve.name()),
            |m| m.elliptic_curve_supported(curve),
            |m| m.load_ec_private_components(curve, scalar, public_point),
        ))
    }

    fn load_ec_public_point(
        &self,
        curve: EllipticCurve,
        encoded: &[u8],
    ) -> Result<Arc<dyn EcPublicKeyHandle>> {
        self.route_keys(
            Route::EllipticCurve(curve),
            none_serves(Reason::UnsupportedEllipticCurve, curve.name()),
            |m| m.elliptic_curve_supported(curve),
            |m| m.load_ec_public_point(curve, encoded),
        )
    }
}

impl EdDsaBackend for MultiBackend {
    fn eddsa_supported(&self, curve: EdwardsCurve) -> bool {
        self.backend_for_eddsa(curve).is_some()
    }

    fn generate_eddsa_private_key(
        &self,
        curve: EdwardsCurve,
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        self.route_keys(
            Route::EdDsa(curve),
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, curve.name()),
            |m| m.eddsa_supported(curve),
            |m| m.generate_eddsa_private_key(curve),
        )
    }

    fn load_eddsa_private_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPrivateKeyHandle>> {
        self.route_keys(
            Route::EdDsa(curve),
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, curve.name()),
            |m| m.eddsa_supported(curve),
            |m| m.load_eddsa_private_bytes(curve, bytes),
        )
    }

    fn load_eddsa_public_bytes(
        &self,
        curve: EdwardsCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn EdPublicKeyHandle>> {
        self.route_keys(
            Route::EdDsa(curve),
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, curve.name()),
            |m| m.eddsa_supported(curve),
            |m| m.load_eddsa_public_bytes(curve, bytes),
        )
    }
}

impl XdhBackend for MultiBackend {
    fn xdh_supported(&self, curve: MontgomeryCurve) -> bool {
        self.backend_for_xdh(curve).is_some()
    }

    fn generate_xdh_private_key(
        &self,
        curve: MontgomeryCurve,
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        self.route_keys(
            Route::Xdh(curve),
            none_serves(Reason::UnsupportedExchangeAlgorithm, curve.name()),
            |m| m.xdh_supported(curve),
            |m| m.generate_xdh_private_key(curve),
        )
    }

    fn load_xdh_private_bytes(
        &self,
        curve: MontgomeryCurve,
        bytes: &[u8],
    ) -> Result<Arc<dyn XdhPrivateKeyHandle>> {
        self.route_keys(
            Route::Xdh(curve),
            none_serves(Reason::UnsupportedExchangeAlgorithm, curve.name()),
            |m| m.xdh_supported(curve),
            |m| m.load_xdh_private_bytes(curve, bytes),
        )
    }
}

impl DsaBackend for MultiBackend {
    fn dsa_supported(&self, key_size: usize) -> bool {
        self.backend_for_dsa(key_size).is_some()
    }

    fn generate_dsa_parameters(&self, key_size: usize) -> Result<DsaParameterComponents> {
        self.route_keys(
            Route::Dsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "DSA"),
            |m| m.dsa_supported(key_size),
            |m| m.generate_dsa_parameters(key_size),
        )
    }

    fn generate_dsa_private_key(
        &self,
        parameters: &DsaParameterComponents,
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let key_size = bits(&parameters.p);
        self.route_keys(
            Route::Dsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "DSA"),
            |m| m.dsa_supported(key_size),
            |m| m.generate_dsa_private_key(parameters),
        )
    }

    fn load_dsa_private_components(
        &self,
        parameters: &DsaParameterComponents,
        x: &[u8],
        y: &[u8],
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let key_size = bits(&parameters.p);
        self.route_keys(
            Route::Dsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "DSA"),
            |m| m.dsa_supported(key_size),
            |m| m.load_dsa_private_components(parameters, x, y),
        )
    }

    fn load_dsa_public_components(
        &self,
        parameters: &DsaParameterComponents,
        y: &[u8],
    ) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        let key_size = bits(&parameters.p);
        self.route_keys(
            Route::Dsa,
            none_serves(Reason::UnsupportedPublicKeyAlgorithm, "DSA"),
            |m| m.dsa_supported(key_size),
            |m| m.load_dsa_public_components(parameters, y),
        )
    }
}

impl DhBackend for MultiBackend {
    fn dh_supported(&self, key_size: usize) -> bool {
        self.backend_for_dh(key_size).is_some()
    }

    fn generate_dh_parameters(
        &self,
        generator: u32,
        key_size: usize,
    ) -> Result<DhParameterComponents> {
        self.route_keys(
            Route::Dh,
            none_serves(Reason::UnsupportedDiffieHellman, "Diffie-Hellman"),
            |m| m.dh_supported(key_size),
            |m| m.generate_dh_parameters(generator, key_size),
        )
    }

    fn generate_dh_private_key(
        &self,
        parameters: &DhParameterComponents,
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        let key_size = bits(&parameters.p);
        self.route_keys(
            Route::Dh,
            none_serves(Reason::UnsupportedDiffieHellman, "Diffie-Hellman"),
            |m| m.dh_supported(key_size),
            |m| m.generate_dh_private_key(parameters),
        )
    }

    fn load_dh_private_value(
        &self,
        parameters: &DhParameterComponents,
        x: &[u8],
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        let key_size = bits(&parameters.p);
        self.route_keys(
            Route::Dh,
            none_serves(Reason::UnsupportedDiffieHellman, "Diffie-Hellman"),
            |m| m.dh_supported(key_size),
            |m| m.load_dh_private_value(parameters, x),
        )
    }
}
