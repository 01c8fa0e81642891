//! Backends: the libraries that do the work, behind one set of interfaces.
//!
//! - [`openssl`]: the system libcrypto through `openssl-sys` (Cargo feature `openssl`).
//! - [`rust`]: the RustCrypto crates, no C at all (Cargo feature `rust`).
//! - [`ring`]: ring's one-shot AEADs, hashes and HMAC (Cargo feature `ring`).
//! - [`multi`]: an ordered list of backends; each request goes to the first that supports it.
//!
//! [`default_backend`] is what the primitives use unless given another: the
//! [`MultiBackend`](multi::MultiBackend) of every compiled-in backend in the order OpenSSL,
//! Rust, ring, except for the families measured to be faster elsewhere (SHA-1, SHA-224,
//! SHA-256, BLAKE2b and HMAC over them on Rust first; one-shot AES-GCM on ring first; see
//! `default_preferences`). Every primitive also takes an explicit backend
//! (`Cipher::with_backend`, `Hash::with_backend`, `AesGcm::with_backend`, ...).
//!
//! The environment variable `CRYPTOGRAPHY_BACKEND` restricts the default to one backend:
//! `openssl`, `rust` or `ring` (the backend must be compiled in). Any other value makes the
//! default backend refuse every request with an error naming the variable and the accepted
//! values
//! ([`try_default_backend`] returns that error directly). [`install_default`] replaces the
//! default once, before its first use.

use std::sync::{Arc, OnceLock};

use crate::exceptions::{Error, Result};

mod asymmetric;
mod interfaces;
pub mod multi;
#[cfg(feature = "openssl")]
pub mod openssl;
mod registry;
#[cfg(feature = "ring")]
pub mod ring;
#[cfg(feature = "rust")]
pub mod rust;

pub use asymmetric::{
    DhBackend, DhPrivateKeyHandle, DsaBackend, DsaPrivateKeyHandle, DsaPublicKeyHandle,
    EcPrivateKeyHandle, EcPublicKeyHandle, EdDsaBackend, EdPrivateKeyHandle, EdPublicKeyHandle,
    EllipticCurveBackend, RsaBackend, RsaPrivateKeyHandle, RsaPublicKeyHandle, XdhBackend,
    XdhPrivateKeyHandle,
};
pub use interfaces::{
    AeadBackend, AeadContext, AeadSupport, Backend, CipherAdapter, CipherBackend, CipherPair,
    CipherSupport, CmacBackend, Direction, HashBackend, HashContext, HmacBackend, HmacContext,
    KdfBackend, MacContext, Poly1305Backend, SymmetricContext,
};

/// The environment variable that restricts the default backend to one member.
pub const BACKEND_ENV_VAR: &str = "CRYPTOGRAPHY_BACKEND";

static DEFAULT: OnceLock<std::result::Result<Arc<dyn Backend>, Error>> = OnceLock::new();

fn default_slot() -> &'static std::result::Result<Arc<dyn Backend>, Error> {
    DEFAULT.get_or_init(|| build_default(std::env::var(BACKEND_ENV_VAR).ok().as_deref()))
}

/// The process-wide default backend. Never panics; built on first use.
///
/// If `CRYPTOGRAPHY_BACKEND` holds an unknown value, the returned backend supports nothing and
/// every request fails with that configuration error.
///
/// ```
/// use pluggable_crypto::hazmat::backends::default_backend;
/// use pluggable_crypto::hazmat::primitives::hashes::Sha256;
///
/// assert!(default_backend().hash_supported(&Sha256));
/// ```
pub fn default_backend() -> Arc<dyn Backend> {
    match default_slot() {
        Ok(backend) => backend.clone(),
        Err(error) => Arc::new(multi::MultiBackend::misconfigured(error.clone())),
    }
}

/// The process-wide default backend, or the configuration error that prevents it.
pub fn try_default_backend() -> Result<Arc<dyn Backend>> {
    default_slot().clone()
}

/// Replaces the default backend. Works once, before the default is first used; afterwards it
/// returns an error (and changes nothing).
pub fn install_default(backend: Arc<dyn Backend>) -> Result<()> {
    DEFAULT.set(Ok(backend)).map_err(|_| {
        Error::invalid(
            "the default backend is already in use or installed; install_default must come first",
        )
    })
}

/// The default for a given `CRYPTOGRAPHY_BACKEND` value (`None`: unset).
fn build_default(restriction: Option<&str>) -> Result<Arc<dyn Backend>> {
    let members = match restriction.map(str::trim) {
        None | Some("") => available_backends(),
        Some(name) => {
            let chosen: Vec<_> = available_backends()
                .into_iter()
                .filter(|b| b.name() == name)
                .collect();
            if chosen.is_empty() {
                let known: Vec<String> = available_backends()
                    .iter()
                    .map(|b| b.name().to_owned())
                    .collect();
                return Err(Error::invalid(format!(
                    "{BACKEND_ENV_VAR}={name:?} names no compiled-in backend; use one of: {}",
                    known.join(", ")
                )));
            }
            chosen
        }
    };
    let preferences = default_preferences();
    Ok(Arc::new(multi::MultiBackend::with_preferences(
        members,
        preferences,
    )))
}

/// Where the default departs from its member order (OpenSSL, Rust, ring), chosen from
/// measurements (see `BENCHMARKS.md`, `hazmat speed --compare`):
///
/// - SHA-1, SHA-224, SHA-256, BLAKE2b and HMAC over them: Rust first. It is as fast at large
///   sizes and faster per message at small ones, and its HMAC setup is far cheaper.
/// - One-shot AES-GCM: ring first. ring's AES-GCM is 2.4x OpenSSL 3.0's here per 64-byte
///   message and 1.8x at 16 KiB; a message with a nonce other than 12 bytes, or an AES-192 key,
///   goes on to OpenSSL.
///
/// OpenSSL stays first for every streaming cipher, for one-shot ChaCha20-Poly1305 (ring is
/// faster per 64-byte message but OpenSSL is 1.4x faster at 16 KiB), for SHA-384/512, SHA-3
/// and SHAKE, where its code is faster at large sizes, and for HMAC over them. ring's hashes and
/// HMAC win nowhere at both 64 B and 16 KiB (its SHA-1 has no SHA-NI path: 4x slower), so they
/// are never preferred.
///
/// Public keys are routed per family and curve: a key is generated or loaded on one member and
/// every later operation runs there (an EC key borrows another member only for what its own
/// refuses), so each goes to the fastest member (the table and the figures are in
/// `BENCHMARKS.md`, `hazmat speed --public-key --compare`):
///
/// - RSA: OpenSSL (2048-4096 bits: 6.5x Rust signing, 1.1-1.8x ring; ring has no decryption).
/// - P-256: OpenSSL (3.4x Rust signing), then Rust. OpenSSL before 3.2 has no deterministic
///   (RFC 6979) ECDSA; such a signature is made by a copy of the key on Rust (the multi-backend's
///   stand-in keys), so the fast member serves the rest. ring last (no ECDH, no digests, no
///   RFC 6979).
/// - P-384: Rust (3.7x OpenSSL 3.0 signing), then OpenSSL.
/// - Ed25519: Rust (2.5x OpenSSL 3.0, 1.3x ring).
/// - X25519: OpenSSL (1.2x Rust; ring cannot load a stored private key).
/// - Other curves, Ed448, X448, DSA and DH keep the member order (OpenSSL first): not measured.
fn default_preferences() -> Vec<multi::Preference> {
    use crate::hazmat::primitives::aead::AeadAlgorithm;
    use crate::hazmat::primitives::asymmetric::{EdwardsCurve, EllipticCurve, MontgomeryCurve};
    use crate::hazmat::primitives::hashes::{Blake2b, Sha1, Sha224, Sha256};
    use multi::{Preference, Route};
    let rust_first: &[&str] = &["rust", "openssl"];
    vec![
        Preference::hash::<Sha1>("sha1", rust_first),
        Preference::hash::<Sha224>("sha224", rust_first),
        Preference::hash::<Sha256>("sha256", rust_first),
        Preference::hash::<Blake2b>("blake2b", rust_first),
        Preference::hmac::<Sha1>("sha1", rust_first),
        Preference::hmac::<Sha224>("sha224", rust_first),
        Preference::hmac::<Sha256>("sha256", rust_first),
        Preference::hmac::<Blake2b>("blake2b", rust_first),
        Preference::aead(AeadAlgorithm::AesGcm, &["ring", "openssl", "rust"]),
        Preference::public_key(Route::Rsa, "rsa", &["openssl", "rust"]),
        Preference::public_key(
            Route::EllipticCurve(EllipticCurve::Secp256r1),
            EllipticCurve::Secp256r1.name(),
            &["openssl", "rust"],
        ),
        Preference::public_key(
            Route::EllipticCurve(EllipticCurve::Secp384r1),
            EllipticCurve::Secp384r1.name(),
            &["rust", "openssl"],
        ),
        Preference::public_key(
            Route::EdDsa(EdwardsCurve::Ed25519),
            EdwardsCurve::Ed25519.name(),
            &["rust", "openssl", "ring"],
        ),
        Preference::public_key(
            Route::Xdh(MontgomeryCurve::X25519),
            MontgomeryCurve::X25519.name(),
            &["openssl", "rust"],
        ),
    ]
}

/// Every backend compiled into this build, in the default's order of preference (OpenSSL
/// first).
pub fn available_backends() -> Vec<Arc<dyn Backend>> {
    vec![
        #[cfg(feature = "openssl")]
        {
            let openssl: Arc<dyn Backend> = openssl::backend();
            openssl
        },
        #[cfg(feature = "rust")]
        {
            let rust: Arc<dyn Backend> = rust::backend();
            rust
        },
        #[cfg(feature = "ring")]
        {
            let ring: Arc<dyn Backend> = ring::backend();
            ring
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restriction_selects_one_member() {
        for backend in available_backends() {
            let chosen = build_default(Some(backend.name())).unwrap();
            let multi = chosen.downcast_ref::<multi::MultiBackend>().unwrap();
            assert_eq!(multi.members().len(), 1);
            assert_eq!(multi.members()[0].name(), backend.name());
        }
        let all = build_default(None).unwrap();
        assert_eq!(
            all.downcast_ref::<multi::MultiBackend>()
                .unwrap()
                .members()
                .len(),
            available_backends().len()
        );
    }

    #[test]
    fn unknown_restriction_is_a_clear_error() {
        let err = build_default(Some("boringssl")).err().unwrap();
        assert!(
            err.to_string()
                .contains("CRYPTOGRAPHY_BACKEND=\"boringssl\""),
            "{err}"
        );
    }
}
