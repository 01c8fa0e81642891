//! Hash functions: the [`HashAlgorithm`] descriptors, the streaming [`Hash`](struct@Hash)
//! context and the one-shot [`hash`](fn@hash).
//!
//! Digest and block sizes are in **bytes** (pyca's convention).
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};
//!
//! let mut hash = Hash::new(Sha256)?;
//! hash.update(b"abc")?;
//! let digest = hash.finalize()?;
//! assert_eq!(digest[..4], [0xba, 0x78, 0x16, 0xbf]);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

// The descriptors (which import nothing from the backends) and the context that runs them
// live in private files; every item has one public path, here.
mod algorithms;
mod context;

pub use algorithms::{
    algorithm_by_name, all_algorithms, Blake2b, Blake2s, HashAlgorithm, Md5, Ripemd160, Sha1,
    Sha224, Sha256, Sha384, Sha3_224, Sha3_256, Sha3_384, Sha3_512, Sha512, Sha512_224, Sha512_256,
    Shake128, Shake256, Sm3,
};
pub use context::{hash, hash_with_backend, Hash};
