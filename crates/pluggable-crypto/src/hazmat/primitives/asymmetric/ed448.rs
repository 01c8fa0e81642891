//! Ed448 signatures (RFC 8032; pyca's `asymmetric.ed448`).
//!
//! Keys are 57 bytes (the private key is the RFC 8032 seed), signatures 114 bytes; pure Ed448
//! with an empty context, deterministic. Verification follows the rule documented in
//! [`ed25519`](super::ed25519#the-verification-rule) on every backend: S below L, canonical
//! encodings of A and R (y below p, the seven unused bits zero), neither of small order, and
//! RFC 8032's cofactored equation `[4][S]B = [4]R + [4][k]A`.
//!
//! The Rust backend computes Ed448 with RustCrypto's `ed448-goldilocks` 0.14.0-pre.15, a
//! pre-release (pinned exactly; no 0.14 release exists yet).
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
//! use pluggable_crypto::Error;
//!
//! let key = Ed448PrivateKey::generate()?;
//! let signature = key.sign(b"my authenticated message")?;
//! assert_eq!(signature.len(), 114);
//! let public = Ed448PublicKey::from_public_bytes(&key.public_key()?.public_bytes_raw())?;
//! public.verify(&signature, b"my authenticated message")?;
//! assert_eq!(public.verify(&signature, b"tampered"), Err(Error::InvalidSignature));
//! # Ok::<(), Error>(())
//! ```

use super::curves::EdwardsCurve;

super::edwards::eddsa_keys! {
    curve: EdwardsCurve::Ed448,
    label: "Ed448",
    private: Ed448PrivateKey,
    public: Ed448PublicKey,
}
