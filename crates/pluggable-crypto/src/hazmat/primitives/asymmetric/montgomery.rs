//! What [`x25519`](super::x25519) and [`x448`](super::x448) share: the key types (one macro,
//! instantiated per curve) and the rules checked above every backend.
//!
//! Rules: a raw private or public key is exactly the curve's length (32 bytes for X25519, 56
//! for X448), else [`KeyRejected`](crate::KeyRejected) `InvalidEncoding`. Any such string is a
//! key, as RFC 7748 and pyca have it: private keys are clamped inside the scalar
//! multiplication (the raw bytes are kept as given), and public u-coordinates are taken
//! modulo p (X25519 also ignores the top bit). An exchange whose shared secret is all zeros
//! (the peer sent a point of small order, RFC 7748 §6) is refused with `KeyRejected`
//! `InvalidComponent`, on every backend; the check is constant-time.

use subtle::ConstantTimeEq;

use super::curves::MontgomeryCurve;
use crate::exceptions::{Error, KeyRejectedKind, Result};
use crate::hazmat::backends::XdhPrivateKeyHandle;
use crate::hazmat::primitives::asymmetric::components::SecretBytes;

/// The texts naming each curve's keys in rejections.
struct Names {
    private_length: &'static str,
    public_length: &'static str,
    small_order_peer: &'static str,
}

fn names(curve: MontgomeryCurve) -> Names {
    match curve {
        MontgomeryCurve::X25519 => Names {
            private_length: "X25519 private key (must be 32 bytes)",
            public_length: "X25519 public key (must be 32 bytes)",
            small_order_peer:
                "X25519 peer public key (a point of small order: the shared secret is all zeros)",
        },
        MontgomeryCurve::X448 => Names {
            private_length: "X448 private key (must be 56 bytes)",
            public_length: "X448 public key (must be 56 bytes)",
            small_order_peer:
                "X448 peer public key (a point of small order: the shared secret is all zeros)",
        },
    }
}

/// The raw private key's length rule.
pub(super) fn check_private_bytes(curve: MontgomeryCurve, bytes: &[u8]) -> Result<()> {
    if bytes.len() == curve.key_bytes() {
        Ok(())
    } else {
        Err(Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            names(curve).private_length,
        ))
    }
}

/// The raw public key's length rule.
pub(super) fn check_public_bytes(curve: MontgomeryCurve, bytes: &[u8]) -> Result<()> {
    if bytes.len() == curve.key_bytes() {
        Ok(())
    } else {
        Err(Error::key_rejected(
            KeyRejectedKind::InvalidEncoding,
            names(curve).public_length,
        ))
    }
}

/// The exchange with the rules: a secret of the curve's length, never all zeros.
pub(super) fn exchange(
    curve: MontgomeryCurve,
    handle: &dyn XdhPrivateKeyHandle,
    peer: &[u8],
) -> Result<SecretBytes> {
    check_public_bytes(curve, peer)?;
    let secret = handle.exchange(peer)?;
    if secret.len() != curve.key_bytes() {
        return Err(Error::Backend(format!(
            "{} exchange returned {} bytes, expected {}",
            curve.name(),
            secret.len(),
            curve.key_bytes()
        )));
    }
    let zeros = vec![0u8; secret.len()];
    if bool::from(secret.as_slice().ct_eq(&zeros)) {
        return Err(Error::key_rejected(
            KeyRejectedKind::InvalidComponent,
            names(curve).small_order_peer,
        ));
    }
    Ok(secret)
}

/// Defines the private and public key types of one XDH curve.
macro_rules! xdh_keys {
    (
        curve: $curve:expr,
        label: $label:literal,
        length: $len:literal,
        private: $Private:ident,
        public: $Public:ident $(,)?
    ) => {
        #[doc = concat!("An ", $label, " private key (pyca's `", stringify!($Private), "`), held by a backend.")]
        ///
        /// Cheap to clone (the backend's key is shared); the key material is wiped when the
        /// last clone is dropped, and `Debug` never prints it.
        #[derive(Clone)]
        pub struct $Private {
            handle: std::sync::Arc<dyn $crate::hazmat::backends::XdhPrivateKeyHandle>,
        }

        impl $Private {
            #[doc = concat!("A new random ", $label, " key on the default backend.")]
            pub fn generate() -> $crate::Result<Self> {
                Self::generate_with_backend($crate::hazmat::backends::default_backend())
            }

            #[doc = concat!("A new random ", $label, " key on `backend`.")]
            pub fn generate_with_backend(
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                let handle = backend.generate_xdh_private_key($curve)?;
                Ok(Self { handle })
            }

            #[doc = concat!("The key whose raw bytes are `data` (", $len, " bytes, any value), on the default backend.")]
            pub fn from_private_bytes(data: &[u8]) -> $crate::Result<Self> {
                Self::from_private_bytes_with_backend(
                    data,
                    $crate::hazmat::backends::default_backend(),
                )
            }

            /// The key whose raw bytes are `data`, on `backend`. A wrong length is
            /// [`KeyRejected`](crate::KeyRejected) `InvalidEncoding`.
            pub fn from_private_bytes_with_backend(
                data: &[u8],
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                super::montgomery::check_private_bytes($curve, data)?;
                let handle = backend.load_xdh_private_bytes($curve, data)?;
                Ok(Self { handle })
            }

            /// The raw private key as given (not clamped), wiped on drop.
            pub fn private_bytes_raw(
                &self,
            ) -> $crate::Result<$crate::hazmat::primitives::asymmetric::components::SecretBytes>
            {
                self.handle.private_bytes()
            }

            /// The public key (the u-coordinate of the scalar times the base point).
            pub fn public_key(&self) -> $crate::Result<$Public> {
                $Public::from_public_bytes(&self.handle.public_bytes()?)
            }

            /// The shared secret with `peer`, wiped on drop. A peer of small order (an all-zero
            /// secret) is [`KeyRejected`](crate::KeyRejected) `InvalidComponent`.
            pub fn exchange(
                &self,
                peer: &$Public,
            ) -> $crate::Result<$crate::hazmat::primitives::asymmetric::components::SecretBytes>
            {
                super::montgomery::exchange($curve, &*self.handle, &peer.bytes)
            }

            /// The name of the backend that holds the key.
            pub fn backend_name(&self) -> &'static str {
                self.handle.backend_name()
            }

            /// The same key, rebuilt on `backend` from its raw bytes.
            pub fn on_backend(
                &self,
                backend: std::sync::Arc<dyn $crate::hazmat::backends::Backend>,
            ) -> $crate::Result<Self> {
                Self::from_private_bytes_with_backend(&self.private_bytes_raw()?, backend)
            }
        }

        impl std::fmt::Debug for $Private {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($Private))
                    .field("backend", &self.backend_name())
                    .finish_non_exhaustive()
            }
        }

        #[doc = concat!("An ", $label, " public key (pyca's `", stringify!($Public), "`): ", $len, " bytes, held by no backend.")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $Public {
            bytes: [u8; $len],
        }

        impl $Public {
            #[doc = concat!("The public key whose raw bytes are `data` (", $len, " bytes, any value). A wrong length is [`KeyRejected`](crate::KeyRejected) `InvalidEncoding`.")]
            pub fn from_public_bytes(data: &[u8]) -> $crate::Result<Self> {
                super::montgomery::check_public_bytes($curve, data)?;
                let mut bytes = [0u8; $len];
                bytes.copy_from_slice(data);
                Ok(Self { bytes })
            }

            /// The raw public key.
            pub fn public_bytes_raw(&self) -> Vec<u8> {
                self.bytes.to_vec()
            }
        }

        impl std::fmt::Debug for $Public {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($Public))
                    .field(&data_encoding::HEXLOWER.encode(&self.bytes))
                    .finish()
            }
        }
    };
}

pub(super) use xdh_keys;
