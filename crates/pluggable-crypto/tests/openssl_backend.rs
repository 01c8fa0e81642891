#![cfg(feature = "openssl")]
//! OpenSSL-specific behaviour: raw access, adapters feeding the shared AEAD rules, and inputs
//! longer than a C `int`.

use std::any::Any;
use std::sync::Arc;

use pluggable_crypto::hazmat::backends::openssl::{
    self, ffi, EvpCipherAdapter, OpenSslCipherContext,
};
use pluggable_crypto::hazmat::backends::{Backend, CipherBackend, CipherPair};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{
    Ctr, Gcm, Mode, ModeWithAuthenticationTag,
};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};
use pluggable_crypto::Error;

#[test]
fn raw_context_pointer_reaches_libcrypto() {
    let cipher = Cipher::with_backend(
        Aes::new(&[3; 32]).unwrap(),
        Ctr::new(&[0; 16]).unwrap(),
        openssl::backend(),
    )
    .unwrap();
    let ctx = cipher.encryptor().unwrap();
    let any: &dyn Any = ctx.backend_context();
    let native = any
        .downcast_ref::<OpenSslCipherContext>()
        .expect("an OpenSSL context");
    // SAFETY: the pointer is live while `ctx` is; we only read plain fields.
    let (key_len, iv_len) = unsafe {
        let p = native.as_ptr();
        (
            ffi::EVP_CIPHER_CTX_get_key_length(p),
            ffi::EVP_CIPHER_CTX_get_iv_length(p),
        )
    };
    assert_eq!((key_len, iv_len), (32, 16));
}

/// GCM with tiny limits: proves the shared context enforces whatever limits a mode declares.
#[derive(Debug)]
struct TinyGcm(Gcm);

impl Mode for TinyGcm {
    fn name(&self) -> &'static str {
        "TinyGCM"
    }
    fn validate_for_algorithm(
        &self,
        algorithm: &dyn CipherAlgorithm,
    ) -> pluggable_crypto::Result<()> {
        self.0.validate_for_algorithm(algorithm)
    }
    fn initialization_vector(&self) -> Option<&[u8]> {
        Mode::initialization_vector(&self.0)
    }
    fn authentication(&self) -> Option<&dyn ModeWithAuthenticationTag> {
        Some(self)
    }
}

impl ModeWithAuthenticationTag for TinyGcm {
    fn tag(&self) -> Option<&[u8]> {
        self.0.tag()
    }
    fn min_tag_length(&self) -> usize {
        16
    }
    fn max_tag_length(&self) -> usize {
        16
    }
    fn max_data_bytes(&self) -> u64 {
        100
    }
    fn max_aad_bytes(&self) -> u64 {
        50
    }
}

#[test]
fn aead_byte_limits_are_enforced() {
    assert_eq!(Gcm::MAX_DATA_BYTES, (1 << 36) - 32);
    let backend = openssl::backend();
    backend
        .register_cipher_adapter(
            CipherPair::new::<Aes, TinyGcm>("AES", "TinyGCM"),
            Arc::new(EvpCipherAdapter::fetch("AES-128-GCM").unwrap()),
        )
        .unwrap();
    let key = [9u8; 16];
    let iv = [1u8; 12];
    let tiny = Cipher::with_backend(
        Aes::new(&key).unwrap(),
        TinyGcm(Gcm::new(&iv).unwrap()),
        backend.clone(),
    )
    .unwrap();

    let mut enc = tiny.encryptor().unwrap();
    enc.authenticate_additional_data(&[0; 50]).unwrap();
    assert!(matches!(
        enc.authenticate_additional_data(&[0; 1]),
        Err(Error::InvalidArgument(_))
    ));
    let first = enc.update(&[7; 60]).unwrap();
    enc.update(&[7; 40]).unwrap();
    let err = enc.update(&[7; 1]).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("100")),
        "{err}"
    );

    // The same bytes as the built-in GCM pair: the adapter maps to the same EVP cipher.
    let mut real = Cipher::with_backend(Aes::new(&key).unwrap(), Gcm::new(&iv).unwrap(), backend)
        .unwrap()
        .encryptor()
        .unwrap();
    real.authenticate_additional_data(&[0; 50]).unwrap();
    assert_eq!(real.update(&[7; 60]).unwrap(), first);
}

#[test]
fn update_longer_than_c_int_matches_small_updates() {
    let backend: Arc<dyn Backend> = openssl::backend();
    let len = (1usize << 31) + 17;
    let cipher = Cipher::with_backend(
        Aes::new(&[5; 16]).unwrap(),
        Ctr::new(&[0xf0; 16]).unwrap(),
        backend.clone(),
    )
    .unwrap();
    let input = vec![0u8; len];

    let mut whole = cipher.encryptor().unwrap();
    let out = whole.update(&input).unwrap();
    assert_eq!(out.len(), len);
    let mut whole_hash = Hash::with_backend(Sha256, &*backend).unwrap();
    whole_hash.update(&out).unwrap();
    drop(out);

    let mut pieces = cipher.encryptor().unwrap();
    let mut pieces_hash = Hash::with_backend(Sha256, &*backend).unwrap();
    for chunk in input.chunks(1 << 20) {
        pieces_hash.update(&pieces.update(chunk).unwrap()).unwrap();
    }
    assert_eq!(
        whole_hash.finalize().unwrap(),
        pieces_hash.finalize().unwrap()
    );
}
