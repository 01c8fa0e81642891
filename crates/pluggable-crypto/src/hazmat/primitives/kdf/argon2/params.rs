//! The Argon2 variants and the validated inputs of one derivation, as backends are asked for them.

/// The Argon2 variants (RFC 9106 §3.4: data-dependent, data-independent, hybrid).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Argon2Variant {
    /// Argon2d: data-dependent memory access (fastest; for settings without side channels).
    Argon2d,
    /// Argon2i: data-independent memory access.
    Argon2i,
    /// Argon2id: Argon2i for the first half pass, then Argon2d (RFC 9106's recommendation).
    Argon2id,
}

impl Argon2Variant {
    /// Every variant, in listing order.
    pub const ALL: [Argon2Variant; 3] = [
        Argon2Variant::Argon2d,
        Argon2Variant::Argon2i,
        Argon2Variant::Argon2id,
    ];

    /// The lowercase name, e.g. `"argon2id"`.
    pub fn name(self) -> &'static str {
        match self {
            Argon2Variant::Argon2d => "argon2d",
            Argon2Variant::Argon2i => "argon2i",
            Argon2Variant::Argon2id => "argon2id",
        }
    }
}

/// The inputs of one Argon2 derivation besides the password, borrowed, as a backend's
/// [`KdfBackend::derive_argon2`](crate::hazmat::backends::KdfBackend::derive_argon2) receives
/// them (users give the owned [`Argon2Parameters`](super::Argon2Parameters) instead), validated by
/// [`primitives::kdf::argon2`](crate::hazmat::primitives::kdf::argon2) (salt of at least 8 bytes,
/// `iterations >= 1`, `1 <= lanes < 2^24`, `memory_cost >= 8 * lanes`). An absent `ad` or
/// `secret` is the empty slice (RFC 9106 encodes both the same way).
#[derive(Clone, Copy)]
pub struct Argon2Params<'a> {
    /// The salt (at least 8 bytes).
    pub salt: &'a [u8],
    /// The number of passes over memory (RFC 9106 `t`).
    pub iterations: u32,
    /// The degree of parallelism (RFC 9106 `p`).
    pub lanes: u32,
    /// The memory size in KiB (RFC 9106 `m`).
    pub memory_cost: u32,
    /// Associated data (RFC 9106 `X`); may be empty.
    pub ad: &'a [u8],
    /// The secret value (RFC 9106 `K`); may be empty.
    pub secret: &'a [u8],
}

impl std::fmt::Debug for Argon2Params<'_> {
    /// Shows the costs and lengths, never the secret or the salt.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Argon2Params")
            .field("salt_len", &self.salt.len())
            .field("iterations", &self.iterations)
            .field("lanes", &self.lanes)
            .field("memory_cost", &self.memory_cost)
            .field("ad_len", &self.ad.len())
            .field("secret_len", &self.secret.len())
            .finish()
    }
}
