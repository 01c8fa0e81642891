//! The interfaces a backend implements (pyca's `backends.interfaces`).
//!
//! They are object-safe and `Send + Sync`, so a backend is shared as `Arc<dyn Backend>` and its
//! contexts travel between threads as `Box<dyn ...Context>`. Parameters arrive here already
//! validated by the primitives layer; a backend only says whether it can serve them.
//! Unsupported requests are `Error::UnsupportedAlgorithm`, never a panic.

use std::any::{Any, TypeId};
use std::sync::Arc;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{
    DhBackend, DsaBackend, EdDsaBackend, EllipticCurveBackend, RsaBackend, XdhBackend,
};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::ciphers::algorithms::CipherAlgorithm;
use crate::hazmat::primitives::ciphers::modes::Mode;
use crate::hazmat::primitives::hashes::HashAlgorithm;
use crate::hazmat::primitives::kdf::argon2::{Argon2Params, Argon2Variant};
use crate::hazmat::primitives::unsupported::{
    unsupported_aead, unsupported_argon2, unsupported_cmac, unsupported_pbkdf2_hmac,
    unsupported_poly1305, unsupported_scrypt,
};

/// Encryption or decryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Plaintext in, ciphertext out.
    Encrypt,
    /// Ciphertext in, plaintext out.
    Decrypt,
}

/// A (cipher type, mode type) pair as registered with a backend, with display names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CipherPair {
    algorithm: TypeId,
    mode: Option<TypeId>,
    algorithm_name: String,
    mode_name: Option<String>,
}

impl CipherPair {
    /// The pair of block cipher type `A` in mode type `M`.
    pub fn new<A: CipherAlgorithm, M: Mode>(algorithm_name: &str, mode_name: &str) -> Self {
        CipherPair {
            algorithm: TypeId::of::<A>(),
            mode: Some(TypeId::of::<M>()),
            algorithm_name: algorithm_name.to_owned(),
            mode_name: Some(mode_name.to_owned()),
        }
    }

    /// Stream cipher type `A`, used without a mode.
    pub fn stream<A: CipherAlgorithm>(algorithm_name: &str) -> Self {
        CipherPair {
            algorithm: TypeId::of::<A>(),
            mode: None,
            algorithm_name: algorithm_name.to_owned(),
            mode_name: None,
        }
    }

    /// The registry key of a concrete request.
    pub fn key_of(
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> (TypeId, Option<TypeId>) {
        (
            (algorithm as &dyn Any).type_id(),
            mode.map(|m| (m as &dyn Any).type_id()),
        )
    }

    /// This pair's registry key.
    pub fn key(&self) -> (TypeId, Option<TypeId>) {
        (self.algorithm, self.mode)
    }

    /// The algorithm's display name.
    pub fn algorithm_name(&self) -> &str {
        &self.algorithm_name
    }

    /// The mode's display name; `None` for a stream cipher.
    pub fn mode_name(&self) -> Option<&str> {
        self.mode_name.as_deref()
    }
}

/// One line of a backend's cipher support matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CipherSupport {
    /// Algorithm name, e.g. `"AES"`.
    pub algorithm: String,
    /// Mode name, e.g. `"GCM"`; `None` for a stream cipher.
    pub mode: Option<String>,
    /// The key sizes in bits this backend accepts for the pair.
    pub key_sizes: Vec<usize>,
}

/// Turns a (cipher, mode) request into a backend context.
///
/// Registered with [`CipherBackend::register_cipher_adapter`] for a [`CipherPair`]; built-in
/// pairs use the same mechanism. The OpenSSL backend's
/// [`EvpCipherAdapter`](crate::hazmat::backends::openssl::EvpCipherAdapter) maps a pair to an
/// `EVP_CIPHER` fetched by name.
pub trait CipherAdapter: Send + Sync {
    /// Whether this adapter can serve these parameters (e.g. this key size).
    fn supports(&self, algorithm: &dyn CipherAlgorithm, mode: Option<&dyn Mode>) -> bool;

    /// Creates a context; `algorithm` and `mode` have passed `supports`.
    fn create_context(
        &self,
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>>;

    /// The key sizes in bits this adapter accepts, for support listings.
    fn key_sizes(&self) -> Vec<usize>;
}

/// A backend's streaming cipher context. The public
/// [`CipherContext`](crate::hazmat::primitives::ciphers::CipherContext) wraps it and enforces
/// every usage rule; a backend context only has to be memory-safe and exact.
pub trait SymmetricContext: Any + Send {
    /// Processes `data`, writing at most `data.len() + block_bytes - 1` bytes to `out`; fails
    /// (without writing) when `out` is shorter than that.
    fn update_into(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize>;

    /// Feeds additional authenticated data (AEAD modes only; others keep this default error).
    fn authenticate_additional_data(&mut self, _data: &[u8]) -> Result<()> {
        Err(Error::invalid(
            "this cipher does not authenticate additional data",
        ))
    }

    /// Finishes the message, writing any remaining output to `out`.
    fn finalize_into(&mut self, out: &mut [u8]) -> Result<usize>;

    /// Finishes an AEAD decryption, checking `tag`; `Error::InvalidTag` on mismatch (AEAD
    /// modes only; others keep this default error).
    fn finalize_with_tag_into(&mut self, _tag: &[u8], _out: &mut [u8]) -> Result<usize> {
        Err(Error::invalid(
            "finalize_with_tag is for authenticated decryption",
        ))
    }

    /// The full tag of a finished AEAD encryption (`None` for other modes).
    fn tag(&self) -> Option<&[u8]> {
        None
    }
}

/// A backend's streaming hash context.
pub trait HashContext: Any + Send {
    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]) -> Result<()>;
    /// An independent copy of the current state.
    fn copy(&self) -> Result<Box<dyn HashContext>>;
    /// The digest (for an XOF, of the length the algorithm asked for).
    fn finalize(self: Box<Self>) -> Result<Vec<u8>>;
}

/// A backend's streaming HMAC context.
pub trait HmacContext: Any + Send {
    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]) -> Result<()>;
    /// An independent copy of the current state.
    fn copy(&self) -> Result<Box<dyn HmacContext>>;
    /// The MAC.
    fn finalize(self: Box<Self>) -> Result<Vec<u8>>;
}

/// Symmetric ciphers (pyca's `CipherBackend`).
pub trait CipherBackend: Send + Sync {
    /// Whether this backend can run `cipher` in `mode` with these parameters. Never fails.
    fn cipher_supported(&self, cipher: &dyn CipherAlgorithm, mode: Option<&dyn Mode>) -> bool;

    /// Adds a (cipher type, mode type) pair at run time; a pair already present is an error.
    fn register_cipher_adapter(
        &self,
        pair: CipherPair,
        adapter: Arc<dyn CipherAdapter>,
    ) -> Result<()>;

    /// A context that encrypts with `cipher` in `mode`.
    fn create_symmetric_encryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>>;

    /// A context that decrypts with `cipher` in `mode`.
    fn create_symmetric_decryption_ctx(
        &self,
        cipher: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
    ) -> Result<Box<dyn SymmetricContext>>;

    /// Every pair this backend serves, with key sizes.
    fn supported_ciphers(&self) -> Vec<CipherSupport>;
}

/// Hash functions (pyca's `HashBackend`).
pub trait HashBackend: Send + Sync {
    /// Whether this backend can compute `algorithm`. Never fails.
    fn hash_supported(&self, algorithm: &dyn HashAlgorithm) -> bool;
    /// A fresh hash context.
    fn create_hash_ctx(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>>;
    /// The names of every hash this backend serves.
    fn supported_hashes(&self) -> Vec<String>;
}

/// HMAC (pyca's `HMACBackend`).
pub trait HmacBackend: Send + Sync {
    /// Whether this backend can compute HMAC over `algorithm`. Never fails.
    fn hmac_supported(&self, algorithm: &dyn HashAlgorithm) -> bool;
    /// A fresh HMAC context keyed with `key` (any length).
    fn create_hmac_ctx(
        &self,
        key: &[u8],
        algorithm: &dyn HashAlgorithm,
    ) -> Result<Box<dyn HmacContext>>;
    /// The names of every hash this backend serves HMAC over.
    fn supported_hmacs(&self) -> Vec<String>;
}

/// One line of a backend's AEAD support listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AeadSupport {
    /// The construction.
    pub algorithm: AeadAlgorithm,
    /// The key sizes in bits this backend accepts for it.
    pub key_sizes: Vec<usize>,
}

/// A backend's keyed one-shot AEAD: the key schedule is done once, when it is created, and
/// every message reuses it. Parameters arrive validated by
/// [`primitives::aead`](crate::hazmat::primitives::aead) (nonce and tag lengths, payload limits,
/// exact output sizes); a backend that cannot serve one message's parameters (e.g. a nonce
/// length its library lacks) returns `Error::UnsupportedAlgorithm` for it.
pub trait AeadContext: Send + Sync {
    /// Encrypts `plaintext` into `out`, which is exactly `plaintext.len() + tag length` bytes,
    /// in the construction's layout (`ct ‖ tag`, or `tag ‖ ct` for AES-SIV). `aad` holds the
    /// associated data as a list of components; only AES-SIV accepts more than one.
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()>;

    /// Whether [`encrypt_in_place`](Self::encrypt_in_place) seals without copying (the
    /// primitives then build `encrypt`'s output around the plaintext instead of zero-filling a
    /// buffer first).
    fn seals_in_place(&self) -> bool {
        false
    }

    /// Encrypts in place, for constructions whose tag comes last (every one but AES-SIV):
    /// `buf` holds the plaintext followed by `tag_bytes` bytes of room, and ends up holding
    /// `ct ‖ tag`. The default copies the plaintext out and calls
    /// [`encrypt_into`](Self::encrypt_into).
    fn encrypt_in_place(
        &self,
        nonce: &[u8],
        aad: &[&[u8]],
        buf: &mut [u8],
        tag_bytes: usize,
    ) -> Result<()> {
        let plaintext_len = buf.len().checked_sub(tag_bytes).ok_or_else(|| {
            Error::invalid("an in-place buffer must hold the plaintext and room for the tag")
        })?;
        let plaintext = zeroize::Zeroizing::new(buf[..plaintext_len].to_vec());
        self.encrypt_into(nonce, &plaintext, aad, buf)
    }

    /// Decrypts `ciphertext` (in the construction's layout, at least a tag long) into `out`,
    /// exactly `ciphertext.len() - tag length` bytes. An authentication failure is
    /// `Error::InvalidTag`, and `out` then holds no plaintext (the caller also wipes it).
    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()>;
}

/// One-shot authenticated encryption with associated data.
///
/// Every method has a default that supports nothing, so a backend implements only what its
/// library has.
pub trait AeadBackend: Send + Sync {
    /// Whether this backend serves `algorithm` with a key of `key_bytes` bytes and tags of
    /// `tag_bytes` bytes. Never fails.
    fn aead_supported(
        &self,
        _algorithm: AeadAlgorithm,
        _key_bytes: usize,
        _tag_bytes: usize,
    ) -> bool {
        false
    }

    /// A keyed context for `algorithm` producing and checking `tag_bytes`-byte tags.
    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        _key: &[u8],
        _tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        Err(unsupported_aead("this", algorithm))
    }

    /// Every construction this backend serves, with key sizes.
    fn supported_aeads(&self) -> Vec<AeadSupport> {
        Vec::new()
    }
}

/// A backend's streaming MAC context (CMAC, Poly1305).
pub trait MacContext: Any + Send {
    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]) -> Result<()>;
    /// An independent copy of the current state.
    fn copy(&self) -> Result<Box<dyn MacContext>>;
    /// The MAC.
    fn finalize(self: Box<Self>) -> Result<Vec<u8>>;
}

/// CMAC over a block cipher (pyca's `CMACBackend`). Defaults support nothing.
pub trait CmacBackend: Send + Sync {
    /// Whether this backend computes CMAC over `algorithm` with its key size. Never fails.
    fn cmac_algorithm_supported(&self, _algorithm: &dyn CipherAlgorithm) -> bool {
        false
    }

    /// A fresh CMAC context keyed with `algorithm`'s key.
    fn create_cmac_ctx(&self, algorithm: &dyn CipherAlgorithm) -> Result<Box<dyn MacContext>> {
        Err(unsupported_cmac("this", algorithm))
    }

    /// Every block cipher this backend computes CMAC over, with key sizes (`mode` is `None`).
    fn supported_cmacs(&self) -> Vec<CipherSupport> {
        Vec::new()
    }
}

/// The Poly1305 one-time authenticator. Defaults support nothing.
pub trait Poly1305Backend: Send + Sync {
    /// Whether this backend computes Poly1305. Never fails.
    fn poly1305_supported(&self) -> bool {
        false
    }

    /// A fresh Poly1305 context keyed with the 32-byte one-time `key`.
    fn create_poly1305_ctx(&self, _key: &[u8]) -> Result<Box<dyn MacContext>> {
        Err(unsupported_poly1305("this"))
    }
}

/// The password-based and memory-hard KDFs that run inside a backend (pyca's
/// `PBKDF2HMACBackend` and `ScryptBackend`, plus Argon2). The KDFs built on a MAC or a hash
/// (HKDF, ConcatKDF, X9.63, KBKDF) live above the backends in
/// [`primitives::kdf`](crate::hazmat::primitives::kdf) and need nothing here.
///
/// Parameters arrive validated by [`primitives::kdf`](crate::hazmat::primitives::kdf); `out` is
/// exactly the requested length and is filled completely on success. A backend that serves the
/// family but not one request's parameters (e.g. an associated-data length its library caps)
/// returns `Error::UnsupportedAlgorithm` for that request, and a
/// [`MultiBackend`](crate::hazmat::backends::multi::MultiBackend) tries the next member. Every
/// method has a default that supports nothing.
pub trait KdfBackend: Send + Sync {
    /// Whether this backend computes PBKDF2 (RFC 8018) with HMAC over `algorithm`. Never fails.
    fn pbkdf2_hmac_supported(&self, _algorithm: &dyn HashAlgorithm) -> bool {
        false
    }

    /// Fills `out` with PBKDF2-HMAC-`algorithm` of `key_material` (the password), `salt` and
    /// `iterations` (at least 1).
    fn derive_pbkdf2_hmac(
        &self,
        algorithm: &dyn HashAlgorithm,
        _key_material: &[u8],
        _salt: &[u8],
        _iterations: u32,
        _out: &mut [u8],
    ) -> Result<()> {
        Err(unsupported_pbkdf2_hmac("this", algorithm))
    }

    /// Whether this backend computes scrypt (RFC 7914). Never fails.
    fn scrypt_supported(&self) -> bool {
        false
    }

    /// Fills `out` with scrypt of `key_material` and `salt` with cost `n` (a power of two
    /// above 1, below `2^(16 r)`), block size `r` and parallelism `p` (`r * p < 2^30`).
    fn derive_scrypt(
        &self,
        _key_material: &[u8],
        _salt: &[u8],
        _n: u64,
        _r: u32,
        _p: u32,
        _out: &mut [u8],
    ) -> Result<()> {
        Err(unsupported_scrypt("this"))
    }

    /// Whether this backend computes `variant` of Argon2 (version 0x13, RFC 9106). Never fails.
    fn argon2_supported(&self, _variant: Argon2Variant) -> bool {
        false
    }

    /// Fills `out` (at least 4 bytes) with Argon2 `variant` of `key_material` (the password).
    fn derive_argon2(
        &self,
        variant: Argon2Variant,
        _key_material: &[u8],
        _params: &Argon2Params<'_>,
        _out: &mut [u8],
    ) -> Result<()> {
        Err(unsupported_argon2("this", variant))
    }

    /// The KDFs this backend serves, by name: `"pbkdf2-hmac-<hash>"` per hash, `"scrypt"`,
    /// `"argon2d"`, `"argon2i"`, `"argon2id"`.
    fn supported_kdfs(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A complete backend: every interface plus a name.
///
/// Backends are used as `Arc<dyn Backend>`; [`downcast_ref`](#method.downcast_ref) reaches the
/// concrete type (such as the OpenSSL backend's version, or a multi-backend's routes).
pub trait Backend:
    Any
    + CipherBackend
    + HashBackend
    + HmacBackend
    + AeadBackend
    + CmacBackend
    + Poly1305Backend
    + KdfBackend
    + RsaBackend
    + EllipticCurveBackend
    + EdDsaBackend
    + XdhBackend
    + DsaBackend
    + DhBackend
{
    /// The backend's short name, e.g. `"openssl"`.
    fn name(&self) -> &str;

    /// A longer description, e.g. the native library and its version.
    fn description(&self) -> String {
        self.name().to_owned()
    }
}

impl dyn Backend {
    /// The concrete backend behind this trait object, if it is a `T`.
    ///
    /// ```
    /// # #[cfg(feature = "openssl")] {
    /// use pluggable_crypto::hazmat::backends::{default_backend, multi::MultiBackend, openssl};
    ///
    /// let default = default_backend();
    /// let multi = default.downcast_ref::<MultiBackend>().expect("the default is a multi-backend");
    /// assert!(!multi.members().is_empty());
    /// let openssl = openssl::backend();
    /// let native = openssl.downcast_ref::<openssl::OpenSslBackend>().expect("OpenSSL");
    /// assert!(native.openssl_version().starts_with("OpenSSL"));
    /// # }
    /// ```
    pub fn downcast_ref<T: Backend>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref::<T>()
    }
}
