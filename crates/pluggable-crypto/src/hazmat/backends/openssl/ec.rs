//! ECDSA and ECDH on the OpenSSL backend.
//!
//! Keys are `EVP_PKEY`s of type `"EC"` built once through `EVP_PKEY_fromdata` (`"group"`, the
//! X9.62 `"pub"` octets and, for private keys, the `"priv"` integer) or `EVP_PKEY_generate`
//! (`"group"`), and shared by every later operation. The curves are probed once, on first use,
//! by generating a key on each group, so only what the linked libcrypto has is offered.
//!
//! - **Signing** hashes the message with an `EVP_MD` fetched once per hash, then signs the
//!   digest with `EVP_PKEY_sign` (ECDSA truncates a digest longer than the group order itself).
//!   `k` is random: deterministic RFC 6979 nonces (`"nonce-type"`) arrived in OpenSSL 3.2,
//!   so they are offered only when the signature context lists `"nonce-type"` among its
//!   settable parameters (probed once; OpenSSL 3.0 does not).
//! - **Public points** load from compressed or uncompressed X9.62 (`EVP_PKEY_fromdata` checks
//!   the point is on the curve; every curve here has cofactor 1, so that is group
//!   membership). The uncompressed form is read back from `"pub"`; the compressed one from a
//!   key built with `"point-format" = "compressed"`, built once on first request.
//! - **A private key from a scalar**: OpenSSL 3.0's `EVP_PKEY_fromdata` with only `"priv"`
//!   leaves the public point unset, so the point is computed with `EC_POINT_mul`
//!   ([`pkey::ec_generator_mul`]) and the key built with both; `EVP_PKEY_private_check`
//!   refuses a scalar outside `[1, n - 1]`.
//! - **ECDH** builds the peer's key from its point and derives with `EVP_PKEY_derive`
//!   (the x-coordinate, field-size bytes).

use std::ffi::{c_uint, CStr};
use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use super::evp::{clear_errors, Md, MdCtx, Params};
use super::pkey::{self, NativeBn, Pkey, Selection};
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{EcPrivateKeyHandle, EcPublicKeyHandle, EllipticCurveBackend};
use crate::hazmat::primitives::asymmetric::components::SecretBytes;
use crate::hazmat::primitives::asymmetric::curves::EllipticCurve;
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{SignInput, SignatureNonce};

const BACKEND_NAME: &str = "openssl";

/// OpenSSL's group name for each curve (the `"group"` parameter; also its short name).
fn group_name(curve: EllipticCurve) -> &'static CStr {
    match curve {
        EllipticCurve::Secp224r1 => c"secp224r1",
        EllipticCurve::Secp256r1 => c"prime256v1",
        EllipticCurve::Secp384r1 => c"secp384r1",
        EllipticCurve::Secp521r1 => c"secp521r1",
        EllipticCurve::Secp256k1 => c"secp256k1",
        EllipticCurve::BrainpoolP256r1 => c"brainpoolP256r1",
        EllipticCurve::BrainpoolP384r1 => c"brainpoolP384r1",
        EllipticCurve::BrainpoolP512r1 => c"brainpoolP512r1",
    }
}

/// OpenSSL's digest name for each hash (for `EVP_MD_fetch` and the `"digest"` parameter).
fn digest_name(hash: HashId) -> &'static CStr {
    match hash {
        HashId::Sha1 => c"SHA1",
        HashId::Sha224 => c"SHA224",
        HashId::Sha256 => c"SHA256",
        HashId::Sha384 => c"SHA384",
        HashId::Sha512 => c"SHA512",
        HashId::Sha512_224 => c"SHA512-224",
        HashId::Sha512_256 => c"SHA512-256",
        HashId::Sha3_224 => c"SHA3-224",
        HashId::Sha3_256 => c"SHA3-256",
        HashId::Sha3_384 => c"SHA3-384",
        HashId::Sha3_512 => c"SHA3-512",
    }
}

/// What the linked libcrypto has for ECDSA/ECDH, probed once.
struct EcRegistry {
    curves: Vec<EllipticCurve>,
    digests: Vec<(HashId, Md)>,
    deterministic_nonce: bool,
}

impl EcRegistry {
    fn probe() -> Self {
        let mut curves = Vec::new();
        let mut deterministic_nonce = false;
        for curve in EllipticCurve::ALL {
            let Ok(key) = generate(curve) else {
                clear_errors();
                continue;
            };
            curves.push(curve);
            if curve == EllipticCurve::Secp256r1 {
                deterministic_nonce = key
                    .ctx()
                    .and_then(|ctx| {
                        ctx.sign_init()?;
                        Ok(ctx.has_settable_param(c"nonce-type"))
                    })
                    .unwrap_or(false);
                clear_errors();
            }
        }
        let digests = HashId::ALL
            .into_iter()
            .filter_map(|hash| {
                let name = digest_name(hash).to_str().ok()?;
                Some((hash, Md::fetch(name)?))
            })
            .collect();
        EcRegistry {
            curves,
            digests,
            deterministic_nonce,
        }
    }

    fn md(&self, hash: HashId) -> Result<&Md> {
        self.digests
            .iter()
            .find(|(h, _)| *h == hash)
            .map(|(_, md)| md)
            .ok_or_else(|| {
                Error::unsupported(
                    Reason::UnsupportedHash,
                    format!("{} is not available from this OpenSSL", hash.name()),
                )
            })
    }

    fn curve_supported(&self, curve: EllipticCurve) -> bool {
        self.curves.contains(&curve)
    }

    fn require_curve(&self, curve: EllipticCurve) -> Result<()> {
        if self.curve_supported(curve) {
            Ok(())
        } else {
            Err(Error::unsupported(
                Reason::UnsupportedEllipticCurve,
                format!("{curve} is not available from this OpenSSL"),
            ))
        }
    }
}

fn registry() -> &'static EcRegistry {
    static REGISTRY: OnceLock<EcRegistry> = OnceLock::new();
    REGISTRY.get_or_init(EcRegistry::probe)
}

fn generate(curve: EllipticCurve) -> Result<Pkey> {
    Pkey::generate(
        c"EC",
        Params::with_capacity(2).utf8(c"group", group_name(curve)),
    )
}

/// The digest ECDSA signs: `input` hashed with `hash`, or the caller's digest as given.
fn digest_of<'a>(input: SignInput<'a>, hash: HashId) -> Result<std::borrow::Cow<'a, [u8]>> {
    match input {
        SignInput::Digest(digest) => Ok(std::borrow::Cow::Borrowed(digest)),
        SignInput::Message(message) => {
            let md = registry().md(hash)?;
            let mut ctx = MdCtx::new(md)?;
            ctx.update(message)?;
            let mut out = vec![0u8; md.size()];
            ctx.finish(&mut out)?;
            Ok(std::borrow::Cow::Owned(out))
        }
    }
}

fn invalid_point(what: &'static str) -> Error {
    clear_errors();
    Error::key_rejected(KeyRejectedKind::InvalidEncoding, what)
}

/// A public key from an X9.62 point (compressed or uncompressed); `None`-free: a point that
/// does not decode or is off the curve is `KeyRejected` naming `what`.
fn public_pkey(curve: EllipticCurve, encoded: &[u8], what: &'static str) -> Result<Pkey> {
    let params = Params::with_capacity(3)
        .utf8(c"group", group_name(curve))
        .octets(c"pub", encoded);
    Pkey::from_data(c"EC", Selection::PublicKey, params).map_err(|_| invalid_point(what))
}

/// The uncompressed point of `key`, checked to be `04 ‖ x ‖ y` of the curve's width.
fn uncompressed_point(key: &Pkey, curve: EllipticCurve) -> Result<Vec<u8>> {
    let point = key.octet_param(c"pub")?;
    if point.len() != 1 + 2 * curve.field_bytes() || point.first() != Some(&0x04) {
        return Err(Error::Backend(format!(
            "OpenSSL returned a {}-byte {curve} point where an uncompressed one was expected",
            point.len()
        )));
    }
    Ok(point)
}

/// An ECDSA/ECDH public key on the OpenSSL backend.
struct OpenSslEcPublicKey {
    curve: EllipticCurve,
    key: Pkey,
    /// `04 ‖ x ‖ y`.
    point: Vec<u8>,
    /// `02/03 ‖ x`, read from OpenSSL on first request.
    compressed: OnceLock<Vec<u8>>,
}

impl OpenSslEcPublicKey {
    fn new(curve: EllipticCurve, key: Pkey) -> Result<Self> {
        let point = uncompressed_point(&key, curve)?;
        Ok(OpenSslEcPublicKey {
            curve,
            key,
            point,
            compressed: OnceLock::new(),
        })
    }

    fn compressed_point(&self) -> Result<Vec<u8>> {
        if let Some(point) = self.compressed.get() {
            return Ok(point.clone());
        }
        let params = Params::with_capacity(4)
            .utf8(c"group", group_name(self.curve))
            .octets(c"pub", &self.point)
            .utf8(c"point-format", c"compressed");
        let key = Pkey::from_data(c"EC", Selection::PublicKey, params)?;
        let point = key.octet_param(c"pub")?;
        let prefix_ok = matches!(point.first(), Some(0x02 | 0x03));
        if point.len() != 1 + self.curve.field_bytes() || !prefix_ok {
            return Err(Error::Backend(format!(
                "OpenSSL returned a {}-byte {} point where a compressed one was expected",
                point.len(),
                self.curve
            )));
        }
        Ok(self.compressed.get_or_init(|| point).clone())
    }
}

impl EcPublicKeyHandle for OpenSslEcPublicKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn encoded_point(&self, compressed: bool) -> Result<Vec<u8>> {
        if compressed {
            self.compressed_point()
        } else {
            Ok(self.point.clone())
        }
    }

    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()> {
        let digest = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.verify_init()?;
        if ctx.verify(signature, &digest) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

/// An ECDSA/ECDH private key on the OpenSSL backend.
struct OpenSslEcPrivateKey {
    curve: EllipticCurve,
    key: Pkey,
    /// `04 ‖ x ‖ y`.
    point: Vec<u8>,
    public: OnceLock<Arc<OpenSslEcPublicKey>>,
}

impl OpenSslEcPrivateKey {
    fn new(curve: EllipticCurve, key: Pkey) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let point = uncompressed_point(&key, curve)?;
        Ok(Arc::new(OpenSslEcPrivateKey {
            curve,
            key,
            point,
            public: OnceLock::new(),
        }))
    }
}

impl EcPrivateKeyHandle for OpenSslEcPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn curve(&self) -> EllipticCurve {
        self.curve
    }

    fn public_key(&self) -> Result<Arc<dyn EcPublicKeyHandle>> {
        if let Some(public) = self.public.get() {
            return Ok(public.clone());
        }
        let key = public_pkey(self.curve, &self.point, "EC public point")?;
        let public = Arc::new(OpenSslEcPublicKey::new(self.curve, key)?);
        Ok(self.public.get_or_init(|| public).clone())
    }

    fn private_scalar(&self) -> Result<SecretBytes> {
        let minimal = self.key.bn_param(c"priv")?;
        let width = self.curve.scalar_bytes();
        if minimal.len() > width {
            return Err(Error::Backend(format!(
                "OpenSSL returned a {}-byte {} scalar",
                minimal.len(),
                self.curve
            )));
        }
        let mut out = Zeroizing::new(vec![0u8; width]);
        out[width - minimal.len()..].copy_from_slice(&minimal);
        Ok(out)
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        let registry = registry();
        let digest = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.sign_init()?;
        match nonce {
            SignatureNonce::Random => {}
            SignatureNonce::Deterministic if registry.deterministic_nonce => {
                // RFC 6979 through OpenSSL 3.2+: nonce-type 1, with the hash it runs HMAC over.
                let deterministic: c_uint = 1;
                ctx.set_params(
                    Params::with_capacity(3)
                        .uint(c"nonce-type", &deterministic)
                        .utf8(c"digest", digest_name(hash)),
                )?;
            }
            SignatureNonce::Deterministic => return Err(deterministic_unsupported()),
        }
        ctx.sign(&digest)
    }

    fn exchange(&self, peer_uncompressed_point: &[u8]) -> Result<SecretBytes> {
        let peer = public_pkey(self.curve, peer_uncompressed_point, "EC peer public point")?;
        let ctx = self.key.ctx()?;
        ctx.derive_init()?;
        ctx.derive_set_peer(&peer)
            .map_err(|_| invalid_point("EC peer public point"))?;
        let secret = ctx.derive()?;
        let width = self.curve.field_bytes();
        if secret.len() > width {
            return Err(Error::Backend(format!(
                "OpenSSL returned a {}-byte {} shared secret",
                secret.len(),
                self.curve
            )));
        }
        if secret.len() == width {
            return Ok(secret);
        }
        let mut out = Zeroizing::new(vec![0u8; width]);
        out[width - secret.len()..].copy_from_slice(&secret);
        Ok(out)
    }
}

fn deterministic_unsupported() -> Error {
    Error::unsupported(
        Reason::UnsupportedPublicKeyAlgorithm,
        "deterministic ECDSA (RFC 6979) needs OpenSSL 3.2 or later (its \"nonce-type\" \
         parameter); this OpenSSL signs with random nonces only",
    )
}

impl EllipticCurveBackend for OpenSslBackend {
    fn elliptic_curve_supported(&self, curve: EllipticCurve) -> bool {
        registry().curve_supported(curve)
    }

    fn elliptic_curve_signature_algorithm_supported(
        &self,
        curve: EllipticCurve,
        hash: HashId,
        nonce: SignatureNonce,
    ) -> bool {
        let registry = registry();
        registry.curve_supported(curve)
            && registry.md(hash).is_ok()
            && (nonce == SignatureNonce::Random || registry.deterministic_nonce)
    }

    fn elliptic_curve_exchange_supported(&self, curve: EllipticCurve) -> bool {
        registry().curve_supported(curve)
    }

    fn generate_ec_private_key(&self, curve: EllipticCurve) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        registry().require_curve(curve)?;
        OpenSslEcPrivateKey::new(curve, generate(curve)?)
    }

    fn derive_ec_private_key(
        &self,
        curve: EllipticCurve,
        scalar: &[u8],
    ) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        const WHAT: &str = "EC private scalar";
        registry().require_curve(curve)?;
        if scalar.len() != curve.scalar_bytes() || scalar.iter().all(|&b| b == 0) {
            return Err(Error::key_rejected(KeyRejectedKind::InvalidEncoding, WHAT));
        }
        // A scalar equal to the order gives the point at infinity; any other out-of-range
        // scalar is caught by the private check below.
        let Some(point) = pkey::ec_generator_mul(group_name(curve), scalar)? else {
            return Err(Error::key_rejected(KeyRejectedKind::InvalidEncoding, WHAT));
        };
        let priv_native = NativeBn::from_be(scalar);
        let params = Params::with_capacity(4)
            .utf8(c"group", group_name(curve))
            .octets(c"pub", &point)
            .bignum(c"priv", priv_native.bytes());
        let key = Pkey::from_data(c"EC", Selection::KeyPair, params).map_err(|_| {
            clear_errors();
            Error::key_rejected(KeyRejectedKind::InvalidEncoding, WHAT)
        })?;
        if !key.private_check() {
            return Err(Error::key_rejected(KeyRejectedKind::InvalidEncoding, WHAT));
        }
        OpenSslEcPrivateKey::new(curve, key)
    }

    fn load_ec_public_point(
        &self,
        curve: EllipticCurve,
        encoded: &[u8],
    ) -> Result<Arc<dyn EcPublicKeyHandle>> {
        registry().require_curve(curve)?;
        let key = public_pkey(curve, encoded, "EC public point")?;
        Ok(Arc::new(OpenSslEcPublicKey::new(curve, key)?))
    }
}
