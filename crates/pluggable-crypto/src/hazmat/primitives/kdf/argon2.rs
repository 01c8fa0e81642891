//! Argon2 (RFC 9106, version 0x13), the memory-hard password hash: [`Argon2id`] (the RFC's
//! recommendation), [`Argon2i`] and [`Argon2d`].
//!
//! Runs in a backend ([`KdfBackend`](crate::hazmat::backends::KdfBackend)): the Rust backend (the `argon2` crate, which caps `ad` at
//! 32 bytes) and OpenSSL 3.2 or later (probed at run time); ring has none.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::kdf::{argon2::Argon2id, KeyDerivationFunction};
//!
//! # use pluggable_crypto::hazmat::backends::default_backend;
//! # use pluggable_crypto::hazmat::primitives::kdf::argon2::Argon2Variant;
//! # if !default_backend().argon2_supported(Argon2Variant::Argon2id) { return Ok(()); }
//! // RFC 9106 §5.3.
//! let mut kdf = Argon2id::new(&[0x02; 16], 32, 3, 4, 32, Some(&[0x04; 12]), Some(&[0x03; 8]))?;
//! let tag = kdf.derive(&[0x01; 32])?;
//! assert_eq!(tag[..4], [0x0d, 0x64, 0x0d, 0xf5]);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{KeyDerivationFunction, Len, Usage};
use crate::exceptions::{Error, Reason, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::ciphers::Bytes;

mod params;
pub use params::{Argon2Params, Argon2Variant};

/// The parameters and state every variant shares.
struct Base {
    variant: Argon2Variant,
    salt: Vec<u8>,
    length: usize,
    iterations: u32,
    lanes: u32,
    memory_cost: u32,
    ad: Vec<u8>,
    secret: Zeroizing<Vec<u8>>,
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
    #[allow(clippy::too_many_arguments)]
    fn new(
        variant: Argon2Variant,
        salt: &[u8],
        length: usize,
        iterations: u32,
        lanes: u32,
        memory_cost: u32,
        ad: Option<&[u8]>,
        secret: Option<&[u8]>,
        backend: Arc<dyn Backend>,
    ) -> Result<Self> {
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
        let ad = ad.unwrap_or_default();
        let secret = secret.unwrap_or_default();
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
            salt: salt.to_vec(),
            length,
            iterations,
            lanes,
            memory_cost,
            ad: ad.to_vec(),
            secret: Zeroizing::new(secret.to_vec()),
            backend,
            usage: Usage::default(),
        })
    }

    fn derive_into(&mut self, key_material: &[u8], out: &mut [u8]) -> Result<()> {
        let params = Argon2Params {
            salt: &self.salt,
            iterations: self.iterations,
            lanes: self.lanes,
            memory_cost: self.memory_cost,
            ad: &self.ad,
            secret: &self.secret,
        };
        let (variant, backend) = (self.variant, &*self.backend);
        self.usage.run(self.length, out, |out| {
            backend.derive_argon2(variant, key_material, &params, out)
        })
    }

    fn fmt(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("salt", &Len(self.salt.len()))
            .field("length", &self.length)
            .field("iterations", &self.iterations)
            .field("lanes", &self.lanes)
            .field("memory_cost", &self.memory_cost)
            .field("ad", &Len(self.ad.len()))
            .finish_non_exhaustive()
    }
}

macro_rules! argon2_variant {
    ($(#[$doc:meta])* $ty:ident, $variant:ident, $name:literal) => {
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
                Ok($ty {
                    base: Base::new(
                        Argon2Variant::$variant,
                        salt,
                        length,
                        iterations,
                        lanes,
                        memory_cost,
                        ad,
                        secret,
                        backend,
                    )?,
                })
            }
        }

        impl KeyDerivationFunction for $ty {
            fn length(&self) -> usize {
                self.base.length
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
    Argon2id, Argon2id, "Argon2id"
);
argon2_variant!(
    /// Argon2i (pyca's `Argon2i`): data-independent memory access, resisting side channels.
    Argon2i, Argon2i, "Argon2i"
);
argon2_variant!(
    /// Argon2d (pyca's `Argon2d`): data-dependent memory access; only where side channels are
    /// not a concern.
    Argon2d, Argon2d, "Argon2d"
);
