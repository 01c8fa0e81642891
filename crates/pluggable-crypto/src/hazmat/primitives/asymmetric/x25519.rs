//! X25519 key agreement (RFC 7748; pyca's `asymmetric.x25519`).
//!
//! Private keys, public keys and shared secrets are 32 bytes. Any 32 bytes make a key (the
//! scalar is clamped inside the multiplication; the public u-coordinate's top bit is ignored).
//! An exchange with a peer of small order, whose shared secret is all zeros, is refused on
//! every backend, as pyca refuses it. Public keys are plain bytes and belong to no backend;
//! the exchange runs on the private key's backend.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{
//!     X25519PrivateKey, X25519PublicKey,
//! };
//!
//! let alice = X25519PrivateKey::generate()?;
//! let bob = X25519PrivateKey::generate()?;
//! // Each side sends its public key as raw bytes.
//! let to_bob = alice.public_key()?.public_bytes_raw();
//! let to_alice = bob.public_key()?.public_bytes_raw();
//! let alice_secret = alice.exchange(&X25519PublicKey::from_public_bytes(&to_alice)?)?;
//! let bob_secret = bob.exchange(&X25519PublicKey::from_public_bytes(&to_bob)?)?;
//! assert_eq!(*alice_secret, *bob_secret);
//!
//! // A peer of small order (here u = 0) would make the secret all zeros: refused.
//! let zero = X25519PublicKey::from_public_bytes(&[0; 32])?;
//! assert!(matches!(alice.exchange(&zero), Err(pluggable_crypto::Error::KeyRejected(_))));
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use super::curves::MontgomeryCurve;

super::montgomery::xdh_keys! {
    curve: MontgomeryCurve::X25519,
    label: "X25519",
    length: 32,
    private: X25519PrivateKey,
    public: X25519PublicKey,
}
