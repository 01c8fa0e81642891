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
//!   membership). The uncompressed form is read back from `"pub"`; the compressed one from
//!   `"pub"` of a key built with `"point-format" = "compressed"`, once, on first request (in
//!   OpenSSL 3.0 `"pub"` follows the point format, while `"encoded-pub-key"` stays
//!   uncompressed).
//! - **A private key from a scalar**: OpenSSL 3.0's `EVP_PKEY_fromdata` with only `"priv"`
//!   leaves the public point unset, so the point is computed with `EC_POINT_mul`
//!   ([`pkey::ec_generator_mul`]) and the key built with both; `EVP_PKEY_private_check`
//!   refuses a scalar outside `[1, n - 1]`.
//! - **ECDH** builds the peer's key from its point and derives with `EVP_PKEY_derive`
//!   (the x-coordinate, field-size bytes).

use std::ffi::{c_uint, CStr};
use std::sync::{Arc, Mutex, OnceLock};

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

/// A public key from an X9.62 point (compressed or uncompressed); a point that does not decode
/// or is off the curve is `KeyRejected` naming `what`.
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
    /// The public-only key: built at load, or on first verification for the public half of
    /// a private key (whose point libcrypto already checked), so a key pair costs one key.
    key: OnceLock<Pkey>,
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
            key: OnceLock::from(key),
            point,
            compressed: OnceLock::new(),
        })
    }

    /// The public half of a private key whose uncompressed point is `point`; its `EVP_PKEY`
    /// is made when first needed.
    fn of_private(curve: EllipticCurve, point: Vec<u8>) -> Self {
        OpenSslEcPublicKey {
            curve,
            key: OnceLock::new(),
            point,
            compressed: OnceLock::new(),
        }
    }

    fn pkey(&self) -> Result<&Pkey> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key = public_pkey(self.curve, &self.point, "EC public point")?;
        Ok(self.key.get_or_init(|| key))
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
        let ctx = self.pkey()?.ctx()?;
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
    /// The last ECDH peer, as its point and its `EVP_PKEY`: building a key from a point costs
    /// libcrypto more than a third of the exchange, so repeated exchanges with one peer build
    /// it once (libcrypto still validates it on every `derive_set_peer`).
    last_peer: Mutex<Option<(Vec<u8>, Arc<Pkey>)>>,
}

impl OpenSslEcPrivateKey {
    fn handle(curve: EllipticCurve, key: Pkey) -> Result<Arc<dyn EcPrivateKeyHandle>> {
        let point = uncompressed_point(&key, curve)?;
        Ok(Arc::new(OpenSslEcPrivateKey {
            curve,
            key,
            point,
            public: OnceLock::new(),
            last_peer: Mutex::new(None),
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
        let public = Arc::new(OpenSslEcPublicKey::of_private(
            self.curve,
            self.point.clone(),
        ));
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
        let peer = self.peer_key(peer_uncompressed_point)?;
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

impl OpenSslEcPrivateKey {
    /// The peer's key for `point`: the last one when the point is the same, else a new one
    /// (which replaces it).
    fn peer_key(&self, point: &[u8]) -> Result<Arc<Pkey>> {
        let lock = || self.last_peer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cached, key)) = lock().as_ref() {
            if cached.as_slice() == point {
                return Ok(key.clone());
            }
        }
        let key = Arc::new(public_pkey(self.curve, point, "EC peer public point")?);
        *lock() = Some((point.to_vec(), key.clone()));
        Ok(key)
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
        OpenSslEcPrivateKey::handle(curve, generate(curve)?)
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
        OpenSslEcPrivateKey::handle(curve, key)
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

#[cfg(test)]
mod tests {
    use super::super::pkey::openssl_cli;
    use super::*;
    use crate::exceptions::KeyRejected;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s).expect("hex")
    }

    /// `s` as exactly `width` big-endian bytes (the CAVS files pad P-521 values to 70 bytes).
    fn fixed(s: &str, width: usize) -> Vec<u8> {
        let bytes = hex(s);
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let bytes = &bytes[start..];
        let mut out = vec![0u8; width - bytes.len()];
        out.extend_from_slice(bytes);
        out
    }

    fn point(curve: EllipticCurve, x: &str, y: &str) -> Vec<u8> {
        let mut out = vec![0x04];
        out.extend(fixed(x, curve.field_bytes()));
        out.extend(fixed(y, curve.field_bytes()));
        out
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` (short lengths: every curve here fits).
    fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
        fn integer(v: &[u8]) -> Vec<u8> {
            let start = v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1);
            let mut body = v[start..].to_vec();
            if body[0] & 0x80 != 0 {
                body.insert(0, 0);
            }
            let mut out = vec![0x02, body.len() as u8];
            out.extend(body);
            out
        }
        let body = [integer(r), integer(s)].concat();
        let mut out = vec![0x30];
        if body.len() >= 0x80 {
            out.push(0x81);
        }
        out.push(body.len() as u8);
        out.extend(body);
        out
    }

    fn backend() -> OpenSslBackend {
        OpenSslBackend::build()
    }

    fn rejected_kind(err: Error) -> KeyRejected {
        match err {
            Error::KeyRejected(rejected) => rejected,
            other => panic!("expected KeyRejected, got {other:?}"),
        }
    }

    const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

    #[test]
    fn every_curve_is_probed_and_deterministic_nonces_follow_the_probe() {
        let backend = backend();
        for curve in EllipticCurve::ALL {
            // OpenSSL 3.0 has all eight groups in its default provider.
            assert!(backend.elliptic_curve_supported(curve), "{curve}");
            assert!(backend.elliptic_curve_exchange_supported(curve), "{curve}");
            for hash in HashId::ALL {
                assert!(backend.elliptic_curve_signature_algorithm_supported(
                    curve,
                    hash,
                    SignatureNonce::Random
                ));
            }
        }
        let deterministic = backend.elliptic_curve_signature_algorithm_supported(
            EllipticCurve::Secp256r1,
            HashId::Sha256,
            SignatureNonce::Deterministic,
        );
        assert_eq!(deterministic, registry().deterministic_nonce);
        let version = backend.openssl_version().to_string();
        if version.starts_with("OpenSSL 3.0") || version.starts_with("OpenSSL 3.1") {
            assert!(!deterministic, "{version} has no nonce-type");
            let key = backend
                .generate_ec_private_key(EllipticCurve::Secp256r1)
                .unwrap();
            let err = key
                .sign(
                    SignInput::Message(b"m"),
                    HashId::Sha256,
                    SignatureNonce::Deterministic,
                )
                .unwrap_err();
            assert!(err.is_unsupported(), "{err:?}");
        }
    }

    // FIPS 186-3 ECDSA SigGen, [P-256,SHA-256] COUNT 0 (cryptography-vectors 50.0.2,
    // asymmetric/ECDSA/FIPS_186-3/SigGen.txt): d gives Q, and (R, S) verifies.
    #[test]
    fn fips_186_3_p256_sha256_key_and_signature() {
        let curve = EllipticCurve::Secp256r1;
        let msg = hex("5905238877c77421f73e43ee3da6f2d9e2ccad5fc942dcec0cbd25482935faaf416983fe165b1a045ee2bcd2e6dca3bdf46c4310a7461f9a37960ca672d3feb5473e253605fb1ddfd28065b53cb5858a8ad28175bf9bd386a5e471ea7a65c17cc934a9d791e91491eb3754d03799790fe2d308d16146d5c9b0d0debd97d79ce8");
        let d = hex("519b423d715f8b581f4fa8ee59f4771a5b44c8130b4e3eacca54a56dda72b464");
        let q = point(
            curve,
            "1ccbe91c075fc7f4f033bfa248db8fccd3565de94bbfb12f3c59ff46c271bf83",
            "ce4014c68811f9a21a1fdb2c0e6113e06db7ca93b7404e78dc7ccd5ca89a4ca9",
        );
        let sig = der_signature(
            &hex("f3ac8061b514795b8843e3d6629527ed2afd6b1f6a555a7acabb5e6f79c8c2ac"),
            &hex("8bf77819ca05a6b2786c76262bf7371cef97b218e96f175a3ccdda2acc058903"),
        );
        let backend = backend();
        let private = backend.derive_ec_private_key(curve, &d).unwrap();
        assert_eq!(private.backend_name(), "openssl");
        assert_eq!(private.curve(), curve);
        assert_eq!(private.private_scalar().unwrap().to_vec(), d);
        let from_private = private.public_key().unwrap();
        assert_eq!(from_private.encoded_point(false).unwrap(), q);
        let public = backend.load_ec_public_point(curve, &q).unwrap();
        for key in [&public, &from_private] {
            key.verify(&sig, SignInput::Message(&msg), HashId::Sha256)
                .unwrap();
            let digest = digest_of(SignInput::Message(&msg), HashId::Sha256).unwrap();
            key.verify(&sig, SignInput::Digest(&digest), HashId::Sha256)
                .unwrap();
            let mut other = msg.clone();
            other[0] ^= 1;
            assert!(matches!(
                key.verify(&sig, SignInput::Message(&other), HashId::Sha256),
                Err(Error::InvalidSignature)
            ));
            // Another hash, truncated or malformed DER, trailing bytes: all InvalidSignature.
            for bad in [
                &sig[..sig.len() - 1],
                &[sig.as_slice(), &[0]].concat()[..],
                &[0x30, 0x00][..],
                &[][..],
            ] {
                assert!(matches!(
                    key.verify(bad, SignInput::Message(&msg), HashId::Sha256),
                    Err(Error::InvalidSignature)
                ));
            }
            assert!(matches!(
                key.verify(&sig, SignInput::Message(&msg), HashId::Sha384),
                Err(Error::InvalidSignature)
            ));
        }
    }

    #[test]
    fn sign_and_verify_on_every_curve_with_messages_and_digests() {
        let backend = backend();
        for curve in EllipticCurve::ALL {
            let key = backend.generate_ec_private_key(curve).unwrap();
            assert_eq!(key.private_scalar().unwrap().len(), curve.scalar_bytes());
            let public = key.public_key().unwrap();
            assert_eq!(
                public.encoded_point(false).unwrap().len(),
                1 + 2 * curve.field_bytes()
            );
            for hash in [HashId::Sha256, HashId::Sha512, HashId::Sha3_256] {
                let sig = key
                    .sign(SignInput::Message(b"message"), hash, SignatureNonce::Random)
                    .unwrap();
                public
                    .verify(&sig, SignInput::Message(b"message"), hash)
                    .unwrap();
                // Random k: two signatures differ.
                let again = key
                    .sign(SignInput::Message(b"message"), hash, SignatureNonce::Random)
                    .unwrap();
                assert_ne!(sig, again);
                let digest = digest_of(SignInput::Message(b"message"), hash).unwrap();
                let sig = key
                    .sign(SignInput::Digest(&digest), hash, SignatureNonce::Random)
                    .unwrap();
                public
                    .verify(&sig, SignInput::Message(b"message"), hash)
                    .unwrap();
                assert!(matches!(
                    public.verify(&sig, SignInput::Message(b"messagf"), hash),
                    Err(Error::InvalidSignature)
                ));
            }
            // The key rebuilt from its scalar is the same key.
            let scalar = key.private_scalar().unwrap();
            let rebuilt = backend.derive_ec_private_key(curve, &scalar).unwrap();
            assert_eq!(
                rebuilt.public_key().unwrap().encoded_point(false).unwrap(),
                public.encoded_point(false).unwrap()
            );
        }
    }

    #[test]
    fn points_compress_and_load_back() {
        let backend = backend();
        for curve in EllipticCurve::ALL {
            let key = backend.generate_ec_private_key(curve).unwrap();
            let public = key.public_key().unwrap();
            let uncompressed = public.encoded_point(false).unwrap();
            let compressed = public.encoded_point(true).unwrap();
            let width = curve.field_bytes();
            // SEC 1 2.3.3: 02 or 03 by the parity of y, then x.
            let parity = uncompressed[2 * width] & 1;
            assert_eq!(compressed[0], 0x02 | parity, "{curve}");
            assert_eq!(compressed[1..], uncompressed[1..=width]);
            assert_eq!(public.encoded_point(true).unwrap(), compressed);
            let loaded = backend.load_ec_public_point(curve, &compressed).unwrap();
            assert_eq!(loaded.encoded_point(false).unwrap(), uncompressed);
            assert_eq!(loaded.encoded_point(true).unwrap(), compressed);
        }
    }

    #[test]
    fn off_curve_points_and_out_of_range_scalars_are_rejected() {
        let backend = backend();
        let curve = EllipticCurve::Secp256r1;
        // The generator: d = 1 (also shows the scalar keeps its leading zeros).
        let mut one = vec![0u8; 32];
        one[31] = 1;
        let g = point(
            curve,
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        );
        let key = backend.derive_ec_private_key(curve, &one).unwrap();
        assert_eq!(key.private_scalar().unwrap().to_vec(), one);
        assert_eq!(key.public_key().unwrap().encoded_point(false).unwrap(), g);

        let mut off = g.clone();
        off[64] ^= 1;
        let err = backend.load_ec_public_point(curve, &off).err().unwrap();
        let rejected = rejected_kind(err);
        assert_eq!(rejected.kind(), KeyRejectedKind::InvalidEncoding);
        assert_eq!(rejected.what(), "EC public point");
        // A compressed x with no point on P-256 (x^3 - 3x + b is not a square for x = 1).
        let mut no_y = vec![0x02];
        no_y.extend(fixed("01", 32));
        assert!(matches!(
            backend.load_ec_public_point(curve, &no_y),
            Err(Error::KeyRejected(_))
        ));
        assert!(matches!(
            key.exchange(&off),
            Err(Error::KeyRejected(r)) if r.what() == "EC peer public point"
        ));

        let n = hex(P256_N);
        let mut n_minus_1 = n.clone();
        n_minus_1[31] -= 1;
        let mut n_plus_1 = n.clone();
        n_plus_1[31] += 1;
        backend.derive_ec_private_key(curve, &n_minus_1).unwrap();
        for bad in [vec![0u8; 32], n, n_plus_1, vec![0xff; 32], vec![1u8; 31]] {
            let err = backend.derive_ec_private_key(curve, &bad).err().unwrap();
            let rejected = rejected_kind(err);
            assert_eq!(rejected.kind(), KeyRejectedKind::InvalidEncoding);
            assert_eq!(rejected.what(), "EC private scalar");
        }
    }

    fn cavs_exchange(
        curve: EllipticCurve,
        d_cavs: &str,
        q_cavs: (&str, &str),
        d_iut: &str,
        q_iut: (&str, &str),
        z: &str,
    ) {
        let backend = backend();
        let width = curve.scalar_bytes();
        let cavs = backend
            .derive_ec_private_key(curve, &fixed(d_cavs, width))
            .unwrap();
        let iut = backend
            .derive_ec_private_key(curve, &fixed(d_iut, width))
            .unwrap();
        let q_cavs = point(curve, q_cavs.0, q_cavs.1);
        let q_iut = point(curve, q_iut.0, q_iut.1);
        assert_eq!(
            cavs.public_key().unwrap().encoded_point(false).unwrap(),
            q_cavs
        );
        assert_eq!(
            iut.public_key().unwrap().encoded_point(false).unwrap(),
            q_iut
        );
        let z = fixed(z, curve.field_bytes());
        assert_eq!(iut.exchange(&q_cavs).unwrap().to_vec(), z, "{curve}");
        assert_eq!(cavs.exchange(&q_iut).unwrap().to_vec(), z, "{curve}");
    }

    // CAVS 11.0 KAS ECC Static Unified, ZZ only, initiator (cryptography-vectors 50.0.2,
    // asymmetric/ECDH/KASValidityTest_ECCStaticUnified_NOKC_ZZOnly_init.fax): [EC - SHA256]
    // COUNT 2 and [EE - SHA512] COUNT 1 (Result = P), both sides.
    #[test]
    fn cavs_kas_ecc_zz_p256_and_p521() {
        cavs_exchange(
            EllipticCurve::Secp256r1,
            "20aa736f4eca7e46a852831f08ebeb709154ba5e220a34adda0ec60982c792f6",
            (
                "5a3955c54a49645ed818f3774ea10971a1db88c370d8966c5a6e88234ed5d820",
                "03b13f0dad73f64532f42b8b2fa6d1450d9ab24896e95c24674298f2da07ccda",
            ),
            "8087ab163864bfa81001c72f736b6d94e7612559ac4c847d06ba2171840684d6",
            (
                "e8b020e8c3cc25d3e5e83e76077f3d5ccdabd7ad76121b724a171414e73f793c",
                "98dfb6863fbdbc1d2083f6c41e502645ae9b7a0fdb38904f7483ef883bc2a57b",
            ),
            "0cb890a0dcc277c3dde0f91b4322a32e6365d7ec85316185d3286b4977849410",
        );
        cavs_exchange(
            EllipticCurve::Secp521r1,
            "0000013262b7f4f36de274b2c60e4a812866740e545186953f798ac07b5d74e4f0cc1123a9bfcbf77850e2d856246065c54a2437a2816a7d79d6180a9a6ba17f18df8b65",
            (
                "000001474af758238005238b2fa253c4f9c557de664d64c66d7d88f334555997591ccc242ff3c6d0e34d07fc835aaae024c2bd21f2ba5c0b0a8ac3fdd90e1c479cb8e538",
                "000000a721b04654204ca19064b37a4abf4247413a6d29e9211a0df9d50975c7d8d4654dc04a478455ea24993f0fef5460f189c4729c15fba385fd85ef42ae7610e39450",
            ),
            "000001a23de55fb7ad153e7e65d21ad10c77fdf2072b2a5aa116aaf1bc31a345420c1fe8eaccbbcdeb07b73ba2fa706c7498e3a4828f348b00af9df1551780e709a7754c",
            (
                "000000ed7bc3a95ef74dc3a9893a5ec7c9fab723c16dc21b30341c374c25e1334dada7f92d62967f3bca4da70b0a77fa0732dac05a3d19cb04e50b3cd1894549ac1d3c6e",
                "000001c30d23ea4c140aabfba3753ce40c788010342c15c51d2dd6e9b079194e593ba965ea419ef37746f954027fa1b8159ccd3b54aece67451c7e892d6f6e1fb44c548c",
            ),
            "01e8ff7a8c57b017f8b8266adab65fe2c417173566087e15c5fc972071cc560ac93908a806468bc44b8312a8a48464886ca0d767db938447387a348f3f56c6463796",
        );
    }

    // The same file, [EC - SHA256] COUNT 0: Result = F, "CAVS's Static public key Y fails
    // PKV 5.6.2.5" — the peer point is refused.
    #[test]
    fn cavs_kas_ecc_peer_failing_pkv_is_rejected() {
        let curve = EllipticCurve::Secp256r1;
        let iut = backend()
            .derive_ec_private_key(
                curve,
                &hex("72cc52808f294b64b6f7233c3d2f5d96cc1d29287320e39e1c151deef0bc14eb"),
            )
            .unwrap();
        let peer = point(
            curve,
            "202cb5a224e6c2a84e624094486edf04116c8d68ec1f4a0e0ed9ee090e1a900b",
            "cacf3a5789bb33954be600425d62d9eae5371f90f88167258814213e4a4f4b1a",
        );
        assert!(matches!(iut.exchange(&peer), Err(Error::KeyRejected(_))));
        assert!(matches!(
            backend().load_ec_public_point(curve, &peer),
            Err(Error::KeyRejected(_))
        ));
    }

    // RFC 7027 section A.1 (cryptography-vectors 50.0.2, asymmetric/ECDH/brainpool.txt COUNT 0).
    #[test]
    fn rfc_7027_brainpool_p256_exchange() {
        cavs_exchange(
            EllipticCurve::BrainpoolP256r1,
            "81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D",
            (
                "44106E913F92BC02A1705D9953A8414DB95E1AAA49E81D9E85F929A8E3100BE5",
                "8AB4846F11CACCB73CE49CBDD120F5A900A69FD32C272223F789EF10EB089BDC",
            ),
            "55E40BC41E37E3E2AD25C3C6654511FFA8474A91A0032087593852D3E7D76BD3",
            (
                "8D2D688C6CF93E1160AD04CC4429117DC2C41825E1E9FCA0ADDD34E6F1B39F7B",
                "990C57520812BE512641E47034832106BC7D3E8DD0E4C7F1136D7006547CEC6A",
            ),
            "89AFC39D41D3B327814B80940B042590F96556EC91E6AE7939BCE31F3A18BF2B",
        );
    }

    // --- Interop with the openssl tool (keys exchanged as DER built from raw numbers).

    const P256_SPKI_PREFIX: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

    /// SEC 1 `ECPrivateKey` for P-256 with the scalar and the named curve (no public key).
    fn p256_sec1(scalar: &[u8]) -> Vec<u8> {
        [
            hex("30310201010420"),
            scalar.to_vec(),
            hex("a00a06082a8648ce3d030107"),
        ]
        .concat()
    }

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!(
            "pluggable-crypto-openssl-ec-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write temp file");
        path
    }

    #[test]
    fn ecdsa_and_ecdh_interoperate_with_the_openssl_tool() {
        let curve = EllipticCurve::Secp256r1;
        let backend = backend();
        let ours = backend.generate_ec_private_key(curve).unwrap();
        let our_point = ours.public_key().unwrap().encoded_point(false).unwrap();
        let spki = temp_file(
            "ours.spki",
            &[hex(P256_SPKI_PREFIX), our_point.clone()].concat(),
        );
        let message = b"interop message".to_vec();
        let msg_path = temp_file("msg", &message);
        let sig = ours
            .sign(
                SignInput::Message(&message),
                HashId::Sha256,
                SignatureNonce::Random,
            )
            .unwrap();
        let sig_path = temp_file("ours.sig", &sig);
        let Some(out) = openssl_cli::run(
            &[
                "dgst",
                "-sha256",
                "-verify",
                spki.to_str().unwrap(),
                "-keyform",
                "DER",
                "-signature",
                sig_path.to_str().unwrap(),
                msg_path.to_str().unwrap(),
            ],
            b"",
        ) else {
            return;
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        // Theirs: a key OpenSSL signs with, whose scalar we know (our derived key's), and an
        // ECDH in both directions.
        let theirs = backend.generate_ec_private_key(curve).unwrap();
        let their_scalar = theirs.private_scalar().unwrap();
        let their_point = theirs.public_key().unwrap().encoded_point(false).unwrap();
        let their_key = temp_file("theirs.sec1", &p256_sec1(&their_scalar));
        let out = openssl_cli::run(
            &[
                "dgst",
                "-sha256",
                "-sign",
                their_key.to_str().unwrap(),
                "-keyform",
                "DER",
                msg_path.to_str().unwrap(),
            ],
            b"",
        )
        .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let their_public = backend.load_ec_public_point(curve, &their_point).unwrap();
        their_public
            .verify(&out.stdout, SignInput::Message(&message), HashId::Sha256)
            .unwrap();

        let out = openssl_cli::run(
            &[
                "pkeyutl",
                "-derive",
                "-inkey",
                their_key.to_str().unwrap(),
                "-keyform",
                "DER",
                "-peerkey",
                spki.to_str().unwrap(),
                "-peerform",
                "DER",
            ],
            b"",
        )
        .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(ours.exchange(&their_point).unwrap().to_vec(), out.stdout);
        assert_eq!(theirs.exchange(&our_point).unwrap().to_vec(), out.stdout);
        for path in [spki, msg_path, sig_path, their_key] {
            let _ = std::fs::remove_file(path);
        }
    }
}
