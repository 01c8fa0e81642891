//! Argon2 (RFC 9106, version 0x13), the memory-hard password hash: [`Argon2id`] (the RFC's
//! recommendation), [`Argon2i`] and [`Argon2d`].
//!
//! Runs in a backend ([`KdfBackend`](crate::hazmat::backends::KdfBackend)): the Rust backend
//! (the `argon2` crate, which caps `ad` at 32 bytes) and OpenSSL 3.2 or later (probed at run
//! time); ring has none.
//!
//! The inputs are named fields of [`Argon2Parameters`], with RFC 9106's recommended settings
//! as presets; password hashes can be stored as PHC strings
//! (`$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, as the `argon2` crate, the reference
//! implementation and pyca write them): [`Argon2id::hash_password`] and
//! [`Argon2id::verify_phc_encoded`].
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::kdf::argon2::{Argon2Parameters, Argon2id};
//! use pluggable_crypto::hazmat::primitives::kdf::KeyDerivationFunction;
//!
//! # use pluggable_crypto::hazmat::backends::default_backend;
//! # use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
//! # if !default_backend().argon2_supported(Argon2Variant::Argon2id) { return Ok(()); }
//! // RFC 9106 §5.3.
//! let params = Argon2Parameters {
//!     salt: vec![0x02; 16],
//!     length: 32,
//!     iterations: 3,
//!     lanes: 4,
//!     memory_cost_kib: 32,
//!     ad: vec![0x04; 12],
//!     secret: vec![0x03; 8].into(),
//! };
//! let mut kdf = Argon2id::from_parameters(&params)?;
//! let tag = kdf.derive(&[0x01; 32])?;
//! assert_eq!(tag[..4], [0x0d, 0x64, 0x0d, 0xf5]);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{KeyDerivationFunction, Usage};
use crate::constant_time::bytes_eq;
use crate::exceptions::{Bytes, Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};

mod parameters;
mod params;
mod phc;
pub use parameters::Argon2Parameters;
pub use params::{Argon2Params, Argon2Variant};

/// The parameters and state every variant shares.
struct Base {
    variant: Argon2Variant,
    params: Argon2Parameters,
    backend: Arc<dyn Backend>,
    usage: Usage,
}

/// RFC 9106 §3.1 bounds lengths to 2^32 - 1 bytes.
fn check_u32_len(what: &str, len: usize) -> Result<()> {
    if u32::try_from(len).is_err() {
        return Err(Error::invalid(format!(
            "Argon2 {what} must be at most 2^32 - 1 bytes, got {}",
            Bytes(len)
        )));
    }
    Ok(())
}

impl Base {
    fn new(
        variant: Argon2Variant,
        params: &Argon2Parameters,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
        let Argon2Parameters {
            salt,
            length,
            iterations,
            lanes,
            memory_cost_kib,
            ad,
            secret,
        } = params;
        let (length, iterations, lanes, memory_cost) =
            (*length, *iterations, *lanes, *memory_cost_kib);
        if salt.len() < 8 {
            return Err(Error::invalid(format!(
                "Argon2 salt must be at least 8 bytes, got {}",
                Bytes(salt.len())
            )));
        }
        if length < 4 {
            return Err(Error::invalid(format!(
                "Argon2 length must be at least 4 bytes, got {}",
                Bytes(length)
            )));
        }
        if iterations < 1 {
            return Err(Error::invalid(
                "Argon2 iterations must be at least 1, got 0",
            ));
        }
        if !(1..(1 << 24)).contains(&lanes) {
            return Err(Error::invalid(format!(
                "Argon2 lanes must be between 1 and 2^24 - 1, got {lanes}"
            )));
        }
        if u64::from(memory_cost) < 8 * u64::from(lanes) {
            return Err(Error::invalid(format!(
                "Argon2 memory_cost must be at least 8 x lanes = {} KiB, got {memory_cost} KiB",
                8 * u64::from(lanes)
            )));
        }
        check_u32_len("length", length)?;
        check_u32_len("salt", salt.len())?;
        check_u32_len("ad", ad.len())?;
        check_u32_len("secret", secret.len())?;
        // Parameters first: their rules hold whatever the backend.
        if !backend.argon2_supported(variant) {
            return Err(Error::unsupported(
                Reason::BackendMissingInterface,
                format!(
                    "the backend does not support {} (OpenSSL has it from 3.2; the Rust backend has it)",
                    variant.name()
                ),
            ));
        }
        Ok(Base {
            variant,
            params: params.clone(),
            backend,
            usage: Usage::default(),
        })
    }

    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let p = &self.params;
        let params = Argon2Params {
            salt: &p.salt,
            iterations: p.iterations,
            lanes: p.lanes,
            memory_cost: p.memory_cost_kib,
            ad: &p.ad,
            secret: &p.secret,
        };
        let (variant, backend) = (self.variant, &*self.backend);
        self.usage.run(p.length, out, |out| {
            backend.derive_argon2(variant, key_material, &params, out)
        })
    }

    /// Derives from `password` and encodes the result as a PHC string.
    fn derive_phc_encoded(&mut self, password: &[u8]) -> Result<String> {
        let mut out = Zeroizing::new(vec![0u8; self.params.length]);
        self.derive_into(password, &mut out)?;
        Ok(phc::encode(self.variant, &self.params, &out))
    }

    fn fmt(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        f.debug_struct(name)
            .field("salt", &super::Len(p.salt.len()))
            .field("length", &p.length)
            .field("iterations", &p.iterations)
            .field("lanes", &p.lanes)
            .field("memory_cost", &p.memory_cost_kib)
            .field("ad", &super::Len(p.ad.len()))
            .finish_non_exhaustive()
    }
}

/// Checks `password` against the PHC string `phc` of `variant`, with `secret` as the secret
/// value the hash was made with (PHC strings never hold it).
fn verify_phc(
    variant: Argon2Variant,
    password: &[u8],
    phc: &str,
    secret: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<()> {
    let (params, expected) = phc::parse(variant, phc)?;
    let params = params.with_secret(secret);
    let mut base = Base::new(variant, &params, backend)?;
    let mut actual = Zeroizing::new(vec![0u8; params.length]);
    base.derive_into(password, &mut actual)?;
    if bytes_eq(&actual, &expected) {
        Ok(())
    } else {
        Err(Error::InvalidKey)
    }
}

macro_rules! argon2_variant {
    ($(#[$doc:meta])* $ty:ident, $variant:ident, $name:literal, $phc:literal) => {
        $(#[$doc])*
        pub struct $ty {
            base: Base,
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.base.fmt(stringify!($ty), f)
            }
        }

        impl $ty {
            #[doc = concat!(
                $name, " deriving `length` bytes (at least 4) on the default backend, with \
                `salt` (at least 8 bytes), `iterations` passes (at least 1), `lanes` \
                (1 to 2^24 − 1) and `memory_cost` KiB of memory (at least 8 × `lanes`); \
                `ad` (associated data) and `secret` are optional. A default backend without \
                ", $name, " is `UnsupportedAlgorithm`."
            )]
            ///
            #[doc = concat!("[`", stringify!($ty), "::from_parameters`] takes the same inputs by name.")]
            pub fn new(
                salt: &[u8],
                length: usize,
                iterations: u32,
                lanes: u32,
                memory_cost: u32,
                ad: Option<&[u8]>,
                secret: Option<&[u8]>,
            ) -> Result<Self> {
                Self::with_backend(
                    salt,
                    length,
                    iterations,
                    lanes,
                    memory_cost,
                    ad,
                    secret,
                    default_backend(),
                )
            }

            #[doc = concat!("As [`", stringify!($ty), "::new`], on `backend`.")]
            #[allow(clippy::too_many_arguments)]
            pub fn with_backend(
                salt: &[u8],
                length: usize,
                iterations: u32,
                lanes: u32,
                memory_cost: u32,
                ad: Option<&[u8]>,
                secret: Option<&[u8]>,
                backend: Arc<dyn Backend>,
            ) -> Result<Self> {
                let params = Argon2Parameters {
                    salt: salt.to_vec(),
                    length,
                    iterations,
                    lanes,
                    memory_cost_kib: memory_cost,
                    ad: ad.unwrap_or_default().to_vec(),
                    secret: Zeroizing::new(secret.unwrap_or_default().to_vec()),
                };
                Self::from_parameters_with_backend(&params, backend)
            }

            #[doc = concat!(
                $name, " with `params` on the default backend; the rules of each field are on \
                [`Argon2Parameters`]. A default backend without ", $name, " is \
                `UnsupportedAlgorithm`."
            )]
            pub fn from_parameters(params: &Argon2Parameters) -> Result<Self> {
                Self::from_parameters_with_backend(params, default_backend())
            }

            #[doc = concat!("As [`", stringify!($ty), "::from_parameters`], on `backend`.")]
            pub fn from_parameters_with_backend(
                params: &Argon2Parameters,
                backend: Arc<dyn Backend>,
            ) -> Result<Self> {
                Ok($ty {
                    base: Base::new(Argon2Variant::$variant, params, backend)?,
                })
            }

            /// The parameters.
            pub fn parameters(&self) -> &Argon2Parameters {
                &self.base.params
            }

            #[doc = concat!(
                "Derives from `password` and returns the PHC string of the result (pyca's \
                `derive_phc_encoded`): `$", $phc, "$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>`, \
                with `,data=<ad>` after `p` when there is associated data, and the byte strings in \
                standard base64 without padding. The secret value is never part of the string. \
                Uses up the KDF like `derive`."
            )]
            pub fn derive_phc_encoded(&mut self, password: &[u8]) -> Result<String> {
                self.base.derive_phc_encoded(password)
            }

            #[doc = concat!(
                "Hashes `password` for storage, on the default backend: ", $name, " with \
                [`Argon2Parameters::rfc9106_low_memory`] (3 passes, 4 lanes, 64 MiB, a 32-byte \
                hash) and a fresh random 16-byte salt, as a PHC string (see \
                [`derive_phc_encoded`](Self::derive_phc_encoded)). Check it with \
                [`verify_phc_encoded`](Self::verify_phc_encoded)."
            )]
            pub fn hash_password(password: &[u8]) -> Result<String> {
                let salt = Argon2Parameters::random_salt()?;
                Self::from_parameters(&Argon2Parameters::rfc9106_low_memory(&salt))?
                    .derive_phc_encoded(password)
            }

            #[doc = concat!(
                "Checks `password` against a PHC string of ", $name, " (made by \
                [`derive_phc_encoded`](Self::derive_phc_encoded), the `argon2` crate, pyca or the \
                reference implementation), on the default backend, in constant time: a mismatch \
                is `InvalidKey`. A malformed string, another variant, a version other than 19 \
                (0x13) or parameters that break Argon2's rules are `InvalidArgument`."
            )]
            pub fn verify_phc_encoded(password: &[u8], phc: &str) -> Result<()> {
                verify_phc(Argon2Variant::$variant, password, phc, &[], default_backend())
            }

            #[doc = concat!(
                "As [`", stringify!($ty), "::verify_phc_encoded`], for a hash made with the \
                secret value `secret` (which PHC strings never hold), on `backend`."
            )]
            pub fn verify_phc_encoded_with(
                password: &[u8],
                phc: &str,
                secret: &[u8],
                backend: Arc<dyn Backend>,
            ) -> Result<()> {
                verify_phc(Argon2Variant::$variant, password, phc, secret, backend)
            }
        }

        impl KeyDerivationFunction for $ty {
            fn length(&self) -> usize {
                self.base.params.length
            }

            /// Derives from `key_material`, the password.
            fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
                self.base.derive_into(key_material, out)
            }
        }
    };
}

argon2_variant!(
    /// Argon2id (pyca's `Argon2id`): data-independent memory access for the first half pass,
    /// data-dependent afterwards. RFC 9106's recommended variant.
    ///
    /// Storing a password: [`hash_password`](Argon2id::hash_password) picks RFC 9106's
    /// low-memory settings and a random salt and returns a PHC string;
    /// [`verify_phc_encoded`](Argon2id::verify_phc_encoded) checks a password against one.
    ///
    /// ```no_run
    /// use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2id;
    ///
    /// let stored = Argon2id::hash_password(b"correct horse battery staple")?;
    /// assert!(stored.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"));
    /// Argon2id::verify_phc_encoded(b"correct horse battery staple", &stored)?;
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    ///
    /// With parameters of your own (here small ones, to keep the example fast), and a PHC
    /// string from the reference implementation's test suite:
    ///
    /// ```
    /// use pluggable_crypto::hazmat::primitives::kdf::argon2::{Argon2Parameters, Argon2id};
    /// use pluggable_crypto::Error;
    ///
    /// # use pluggable_crypto::hazmat::backends::default_backend;
    /// # use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
    /// # if !default_backend().argon2_supported(Argon2Variant::Argon2id) { return Ok(()); }
    /// let params = Argon2Parameters {
    ///     iterations: 1,
    ///     lanes: 1,
    ///     memory_cost_kib: 64,
    ///     ..Argon2Parameters::rfc9106_low_memory(b"a salt of 16 B..")
    /// };
    /// let stored = Argon2id::from_parameters(&params)?.derive_phc_encoded(b"hunter2")?;
    /// assert!(stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$YSBzYWx0IG9mIDE2IEIuLg$"));
    /// Argon2id::verify_phc_encoded(b"hunter2", &stored)?;
    /// assert_eq!(Argon2id::verify_phc_encoded(b"hunter3", &stored), Err(Error::InvalidKey));
    ///
    /// // phc-winner-argon2's src/test.c: "password" with the salt "somesalt".
    /// let reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$\
    ///                  nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    /// Argon2id::verify_phc_encoded(b"password", reference)?;
    /// # Ok::<(), pluggable_crypto::Error>(())
    /// ```
    Argon2id, Argon2id, "Argon2id", "argon2id"
);
argon2_variant!(
    /// Argon2i (pyca's `Argon2i`): data-independent memory access, resisting side channels.
    Argon2i, Argon2i, "Argon2i", "argon2i"
);
argon2_variant!(
    /// Argon2d (pyca's `Argon2d`): data-dependent memory access; only where side channels are
    /// not a concern.
    Argon2d, Argon2d, "Argon2d", "argon2d"
);

super::inherent_kdf_methods!(Argon2id, Argon2i, Argon2d);
