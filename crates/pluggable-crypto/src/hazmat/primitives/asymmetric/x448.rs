//! X448 key agreement (RFC 7748; pyca's `asymmetric.x448`).
//!
//! Private keys, public keys and shared secrets are 56 bytes; any 56 bytes make a key. An
//! exchange with a peer of small order (an all-zero shared secret) is refused on every backend.
//! Public keys are plain bytes; the exchange runs on the private key's backend.
//!
//! The Rust backend computes X448 with RustCrypto's `x448` 0.14.0-pre.12, a pre-release
//! (pinned exactly; no 0.14 release exists yet).
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
//!
//! let alice = X448PrivateKey::generate()?;
//! let bob = X448PrivateKey::generate()?;
//! let alice_secret = alice.exchange(&bob.public_key()?)?;
//! let bob_secret = bob.exchange(&X448PublicKey::from_public_bytes(
//!     &alice.public_key()?.public_bytes_raw(),
//! )?)?;
//! assert_eq!(*alice_secret, *bob_secret);
//! assert_eq!(alice_secret.len(), 56);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use super::curves::MontgomeryCurve;

super::montgomery::xdh_keys! {
    curve: MontgomeryCurve::X448,
    label: "X448",
    length: 56,
    private: X448PrivateKey,
    public: X448PublicKey,
}
