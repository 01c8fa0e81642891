//! Rust-backend specifics: a user-registered adapter that produces its own contexts.
#![cfg(feature = "rust")]

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::rust;
use pluggable_crypto::hazmat::backends::{CipherAdapter, CipherPair, Direction, SymmetricContext};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{Ecb, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::{Error, Reason, Result};

/// AES-128 under a name of its own: a user-defined algorithm type.
#[derive(Debug)]
struct Rijndael128(Vec<u8>);

impl CipherAlgorithm for Rijndael128 {
    fn name(&self) -> &'static str {
        "Rijndael-128"
    }
    fn key_size(&self) -> usize {
        self.0.len() * 8
    }
    fn key(&self) -> &[u8] {
        &self.0
    }
    fn block_size(&self) -> Option<usize> {
        Some(128)
    }
}

/// Produces contexts for `Rijndael128` from the backend's own AES.
struct RijndaelAdapter;

impl CipherAdapter for RijndaelAdapter {
    fn supports(&self, algorithm: &dyn CipherAlgorithm, _mode: Option<&dyn Mode>) -> bool {
        algorithm.key_size() == 128
    }

    fn create_context(
        &self,
        algorithm: &dyn CipherAlgorithm,
        mode: Option<&dyn Mode>,
        direction: Direction,
    ) -> Result<Box<dyn SymmetricContext>> {
        let aes = Aes::new(algorithm.key())?;
        match direction {
            Direction::Encrypt => rust::backend().create_symmetric_encryption_ctx(&aes, mode),
            Direction::Decrypt => rust::backend().create_symmetric_decryption_ctx(&aes, mode),
        }
    }

    fn key_sizes(&self) -> Vec<usize> {
        vec![128]
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn registered_adapter_serves_a_user_algorithm() {
    let backend = rust::backend();
    let key = hex("000102030405060708090a0b0c0d0e0f");
    let cipher = Cipher::with_backend(Rijndael128(key.clone()), Ecb, backend.clone()).unwrap();
    assert!(!backend.cipher_supported(cipher.algorithm(), cipher.mode()));
    assert!(matches!(
        cipher.encryptor().unwrap_err(),
        Error::UnsupportedAlgorithm {
            reason: Reason::UnsupportedCipher,
            ..
        }
    ));

    let pair = || CipherPair::new::<Rijndael128, Ecb>("Rijndael-128", "ECB");
    backend
        .register_cipher_adapter(pair(), Arc::new(RijndaelAdapter))
        .unwrap();
    assert!(matches!(
        backend.register_cipher_adapter(pair(), Arc::new(RijndaelAdapter)),
        Err(Error::InvalidArgument(_))
    ));
    assert!(backend.cipher_supported(cipher.algorithm(), cipher.mode()));
    assert!(backend
        .supported_ciphers()
        .iter()
        .any(|c| c.algorithm == "Rijndael-128" && c.key_sizes == [128]));

    // FIPS-197 appendix C.1 (AES-128).
    let plaintext = hex("00112233445566778899aabbccddeeff");
    let mut enc = cipher.encryptor().unwrap();
    let mut ct = enc.update(&plaintext).unwrap();
    ct.extend(enc.finalize().unwrap());
    assert_eq!(ct, hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
    let mut dec = cipher.decryptor().unwrap();
    let mut pt = dec.update(&ct).unwrap();
    pt.extend(dec.finalize().unwrap());
    assert_eq!(pt, plaintext);

    // A key size the adapter does not take stays unsupported.
    let long = Cipher::with_backend(Rijndael128(vec![0; 32]), Ecb, backend.clone()).unwrap();
    assert!(!backend.cipher_supported(long.algorithm(), long.mode()));
}
