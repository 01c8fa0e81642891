//! The hash algorithm descriptors: the [`HashAlgorithm`] trait, the built-in algorithms and
//! lookup by name. Data only: nothing here knows a backend.
//!
//! Digest and block sizes are in **bytes** (pyca's convention).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::exceptions::{Error, Result};

/// A hash algorithm (pyca's `HashAlgorithm`).
pub trait HashAlgorithm: Any + Send + Sync + fmt::Debug {
    /// The lowercase name, e.g. `"sha256"`.
    fn name(&self) -> &'static str;
    /// The digest size in bytes (for an XOF, the output length asked for).
    fn digest_size(&self) -> usize;
    /// The internal block size in bytes (the sponge rate for SHA-3 and SHAKE).
    fn block_size(&self) -> usize;
    /// True for an extendable-output function (SHAKE).
    fn is_xof(&self) -> bool {
        false
    }
}

macro_rules! fixed_hash {
    ($(#[$doc:meta])* $ty:ident, $name:literal, digest = $digest:literal, block = $block:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl HashAlgorithm for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn digest_size(&self) -> usize {
                $digest
            }
            fn block_size(&self) -> usize {
                $block
            }
        }
    };
}

fixed_hash!(
    /// SHA-1. Broken for collision resistance; for legacy interoperability only.
    Sha1, "sha1", digest = 20, block = 64
);
fixed_hash!(
    /// SHA-224.
    Sha224, "sha224", digest = 28, block = 64
);
fixed_hash!(
    /// SHA-256.
    Sha256, "sha256", digest = 32, block = 64
);
fixed_hash!(
    /// SHA-384.
    Sha384, "sha384", digest = 48, block = 128
);
fixed_hash!(
    /// SHA-512.
    Sha512, "sha512", digest = 64, block = 128
);
fixed_hash!(
    /// SHA-512/224.
    Sha512_224, "sha512-224", digest = 28, block = 128
);
fixed_hash!(
    /// SHA-512/256.
    Sha512_256, "sha512-256", digest = 32, block = 128
);
fixed_hash!(
    /// SHA3-224.
    Sha3_224, "sha3-224", digest = 28, block = 144
);
fixed_hash!(
    /// SHA3-256.
    Sha3_256, "sha3-256", digest = 32, block = 136
);
fixed_hash!(
    /// SHA3-384.
    Sha3_384, "sha3-384", digest = 48, block = 104
);
fixed_hash!(
    /// SHA3-512.
    Sha3_512, "sha3-512", digest = 64, block = 72
);
fixed_hash!(
    /// MD5. Broken; for legacy interoperability only.
    Md5, "md5", digest = 16, block = 64
);
fixed_hash!(
    /// RIPEMD-160.
    Ripemd160, "ripemd160", digest = 20, block = 64
);
fixed_hash!(
    /// SM3 (GB/T 32905-2016).
    Sm3, "sm3", digest = 32, block = 64
);

macro_rules! xof_hash {
    ($(#[$doc:meta])* $ty:ident, $name:literal, block = $block:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            digest_size: usize,
        }

        impl $ty {
            /// Asks for `digest_size` bytes of output (at least 1).
            pub fn new(digest_size: usize) -> Result<Self> {
                if digest_size == 0 {
                    return Err(Error::invalid(concat!(
                        $name,
                        " digest_size must be at least 1 byte, got 0 bytes"
                    )));
                }
                Ok($ty { digest_size })
            }
        }

        impl HashAlgorithm for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn digest_size(&self) -> usize {
                self.digest_size
            }
            fn block_size(&self) -> usize {
                $block
            }
            fn is_xof(&self) -> bool {
                true
            }
        }
    };
}

xof_hash!(
    /// SHAKE128, an extendable-output function: choose the output length.
    Shake128, "shake128", block = 168
);
xof_hash!(
    /// SHAKE256, an extendable-output function: choose the output length.
    Shake256, "shake256", block = 136
);

macro_rules! blake2 {
    ($(#[$doc:meta])* $ty:ident, $name:literal, digest = $digest:literal, block = $block:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl $ty {
            /// The only digest size supported, in bytes.
            pub const DIGEST_SIZE: usize = $digest;

            #[doc = concat!(
                "Takes the digest size in bytes; only ", stringify!($digest),
                " is supported (as in pyca), and the unit value `", stringify!($ty),
                "` is the same thing."
            )]
            pub fn new(digest_size: usize) -> Result<Self> {
                if digest_size != $digest {
                    return Err(Error::invalid(format!(
                        concat!(
                            $name, " digest_size must be ", stringify!($digest),
                            " bytes, got {} bytes"
                        ),
                        digest_size
                    )));
                }
                Ok($ty)
            }
        }

        impl HashAlgorithm for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn digest_size(&self) -> usize {
                $digest
            }
            fn block_size(&self) -> usize {
                $block
            }
        }
    };
}

blake2!(
    /// BLAKE2b with a 64-byte digest: use it as `Blake2b`, like [`Sha256`].
    Blake2b, "blake2b", digest = 64, block = 128
);
blake2!(
    /// BLAKE2s with a 32-byte digest: use it as `Blake2s`, like [`Sha256`].
    Blake2s, "blake2s", digest = 32, block = 64
);

/// Looks a hash algorithm up by its name (`"sha256"`, `"sha3-512"`, `"blake2b"`, ...);
/// SHAKE needs `xof_length`. Names are those of [`HashAlgorithm::name`], case-insensitive.
pub fn algorithm_by_name(name: &str, xof_length: Option<usize>) -> Result<Arc<dyn HashAlgorithm>> {
    let lower = name.to_ascii_lowercase();
    // SHAKE's length is validated by its constructor (at least 1 byte).
    if let (Some(0), "shake128" | "shake256") = (xof_length, lower.as_str()) {
        Shake128::new(0)?;
    }
    let found = all_algorithms(xof_length.unwrap_or(1))
        .into_iter()
        .find(|a| a.name() == lower)
        .ok_or_else(|| {
            Error::unsupported(
                crate::exceptions::Reason::UnsupportedHash,
                format!("unknown hash algorithm {name:?}"),
            )
        })?;
    match (found.is_xof(), xof_length) {
        (true, None) => Err(Error::invalid(format!(
            "{lower} is an extendable-output function: give an output length"
        ))),
        (false, Some(_)) => Err(Error::invalid(format!("{lower} has a fixed output length"))),
        _ => Ok(found),
    }
}

/// Every built-in hash algorithm, SHAKE with its `xof_length`.
pub fn all_algorithms(xof_length: usize) -> Vec<Arc<dyn HashAlgorithm>> {
    let length = xof_length.max(1);
    vec![
        Arc::new(Sha1),
        Arc::new(Sha224),
        Arc::new(Sha256),
        Arc::new(Sha384),
        Arc::new(Sha512),
        Arc::new(Sha512_224),
        Arc::new(Sha512_256),
        Arc::new(Sha3_224),
        Arc::new(Sha3_256),
        Arc::new(Sha3_384),
        Arc::new(Sha3_512),
        Arc::new(Shake128 {
            digest_size: length,
        }),
        Arc::new(Shake256 {
            digest_size: length,
        }),
        Arc::new(Blake2b),
        Arc::new(Blake2s),
        Arc::new(Md5),
        Arc::new(Ripemd160),
        Arc::new(Sm3),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_in_bytes() {
        assert_eq!(Sha256.digest_size(), 32);
        assert_eq!(Sha512.block_size(), 128);
        assert_eq!(Shake256::new(100).unwrap().digest_size(), 100);
        assert!(Shake128::new(0).is_err());
        assert!(Blake2b::new(32).is_err());
        assert!(Blake2s::new(32).is_ok());
    }

    #[test]
    fn lookup_by_name() {
        assert_eq!(
            algorithm_by_name("SHA3-256", None).unwrap().name(),
            "sha3-256"
        );
        assert!(algorithm_by_name("shake128", None).is_err());
        assert_eq!(
            algorithm_by_name("shake128", Some(7))
                .unwrap()
                .digest_size(),
            7
        );
        assert!(algorithm_by_name("sha256", Some(7)).is_err());
        assert!(algorithm_by_name("whirlpool", None)
            .unwrap_err()
            .is_unsupported());
        for alg in all_algorithms(32) {
            let xof = alg.is_xof().then_some(32);
            assert_eq!(
                algorithm_by_name(alg.name(), xof).unwrap().name(),
                alg.name()
            );
        }
    }
}
