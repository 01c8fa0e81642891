//! Ed25519 signatures (RFC 8032; pyca's `asymmetric.ed25519`).
//!
//! Keys are 32 bytes (the private key is the RFC 8032 seed), signatures 64 bytes. Signing is
//! deterministic. Verification follows one rule on every backend, checked in this layer before
//! the backend sees the signature: S below L, canonical encodings of A and R, neither of
//! small order, and the cofactorless equation `[S]B = R + [k]A`. A public key that breaks the
//! rule is refused when it is loaded.
//!
//! # The verification rule
//!
//! Every backend gives the same verdict on every (public key, message, signature), under this
//! rule: RFC 8032 (§5.1.7, §5.2.7) pure EdDSA (Ed448 with an empty context), strict on encodings.
//!
//! 1. **Encodings are canonical.** The public key A and the signature's R must decode under RFC
//!    8032 §5.1.3 / §5.2.3: y below p, Ed448's seven unused bits zero, an x for that y, and no
//!    x = 0 with the sign bit set ("negative zero"). S must be below the group order L
//!    (no S + L malleability). A non-canonical A is refused when the key is loaded
//!    ([`KeyRejected`](crate::KeyRejected), `InvalidEncoding`); a non-canonical R or S fails
//!    verification (`InvalidSignature`).
//! 2. **No small-order points.** A of small order (a torsion point: order dividing 8 for
//!    Ed25519, 4 for Ed448) is refused at load (`InvalidComponent`): with such a key one
//!    signature can verify for many messages. R of small order fails verification.
//! 3. **The group equation.** Ed25519 checks `[S]B = R + [k]A` (cofactorless, which RFC 8032
//!    allows); Ed448 checks `[4][S]B = [4]R + [4][k]A` (cofactored, RFC 8032's own equation).
//!    Points of mixed order (a prime-order point plus torsion) pass rules 1 and 2; the equation
//!    decides them, the same way on every backend.
//!
//! Why this rule: the backends' libraries disagree at the edges, and the rule takes the strict
//! side wherever they do, with the checks done here so that no backend's leniency shows.
//! OpenSSL accepts the non-canonical Ed25519 keys y + p and keys of small order, and signatures
//! whose R is the identity; ed25519-dalek's `verify` and ring accept small-order keys and R;
//! ed448-goldilocks refuses every A and R with a torsion component and checks the Ed448
//! equation without the cofactor, while OpenSSL's Ed448 decodes them and checks the equation
//! with the cofactor (so it accepts, for example, `R = [r]B + T` with `S = r + k·a`). Telling
//! mixed-order points apart above the backends would take a scalar multiplication per
//! signature, so the rule takes RFC 8032's cofactored equation for Ed448, and the Rust
//! backend computes it over ed448-goldilocks' points. Every Ed25519 library here is
//! cofactorless with canonical S, so for Ed25519 the rule is cofactorless. The test
//! `tests/eddsa_rules.rs` runs crafted cases for each of these edges (after "Taming the many
//! EdDSAs", Chalkias, Garillot and Nikolaenko, 2020) on every backend.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
//!     Ed25519PrivateKey, Ed25519PublicKey,
//! };
//! use pluggable_crypto::Error;
//!
//! let key = Ed25519PrivateKey::generate()?;
//! let signature = key.sign(b"my authenticated message")?;
//! let public = key.public_key()?;
//! public.verify(&signature, b"my authenticated message")?;
//!
//! // Raw bytes travel; the key is rebuilt wherever it is needed.
//! let received = Ed25519PublicKey::from_public_bytes(&public.public_bytes_raw())?;
//! assert_eq!(
//!     received.verify(&signature, b"another message"),
//!     Err(Error::InvalidSignature)
//! );
//!
//! // RFC 8032 §7.1, test 1.
//! let seed = hex_literal(
//!     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
//! );
//! let rfc = Ed25519PrivateKey::from_private_bytes(&seed)?;
//! assert_eq!(
//!     rfc.public_key()?.public_bytes_raw(),
//!     hex_literal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
//! );
//! # fn hex_literal(s: &str) -> Vec<u8> {
//! #     (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
//! # }
//! # Ok::<(), Error>(())
//! ```

use super::curves::EdwardsCurve;

super::edwards::eddsa_keys! {
    curve: EdwardsCurve::Ed25519,
    label: "Ed25519",
    private: Ed25519PrivateKey,
    public: Ed25519PublicKey,
}
