//! `update_into` (and hash/HMAC `update`) allocate nothing per call, on every backend.
//!
//! A counting global allocator counts allocations made by the current thread; after one
//! warm-up call, a loop of calls must leave the count unchanged. XTS is the exception by
//! design: it buffers the whole data unit until `finalize`.

#[path = "support/alloc_counter.rs"]
mod alloc_counter;

use std::sync::Arc;

use alloc_counter::allocations;
use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    Aes, Arc4, Blowfish, Camellia, Cast5, ChaCha20, CipherAlgorithm, Idea, Seed, Sm4, TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{
    Cbc, Cfb, Cfb8, Ctr, Ecb, Gcm, Mode, Ofb,
};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::{all_algorithms, Hash};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;

/// An algorithm and its mode (none for stream ciphers).
type Pair = (Arc<dyn CipherAlgorithm>, Option<Arc<dyn Mode>>);

fn ciphers() -> Vec<Pair> {
    let iv16 = [7u8; 16];
    let iv8 = [7u8; 8];
    let mut all: Vec<Pair> = Vec::new();
    let aes: Arc<dyn CipherAlgorithm> = Arc::new(Aes::new(&[1; 32]).unwrap());
    for mode in [
        Arc::new(Cbc::new(&iv16).unwrap()) as Arc<dyn Mode>,
        Arc::new(Ecb),
        Arc::new(Ctr::new(&iv16).unwrap()),
        Arc::new(Ofb::new(&iv16).unwrap()),
        Arc::new(Cfb::new(&iv16).unwrap()),
        Arc::new(Cfb8::new(&iv16).unwrap()),
        Arc::new(Gcm::new(&[7; 12]).unwrap()),
    ] {
        all.push((aes.clone(), Some(mode)));
    }
    all.push((
        Arc::new(Camellia::new(&[1; 16]).unwrap()),
        Some(Arc::new(Cbc::new(&iv16).unwrap())),
    ));
    all.push((
        Arc::new(Sm4::new(&[1; 16]).unwrap()),
        Some(Arc::new(Ctr::new(&iv16).unwrap())),
    ));
    all.push((
        Arc::new(Seed::new(&[1; 16]).unwrap()),
        Some(Arc::new(Cbc::new(&iv16).unwrap())),
    ));
    all.push((
        Arc::new(TripleDes::new(&[1; 24]).unwrap()),
        Some(Arc::new(Cbc::new(&iv8).unwrap())),
    ));
    all.push((
        Arc::new(Blowfish::new(&[1; 16]).unwrap()),
        Some(Arc::new(Cfb::new(&iv8).unwrap())),
    ));
    all.push((
        Arc::new(Cast5::new(&[1; 16]).unwrap()),
        Some(Arc::new(Ofb::new(&iv8).unwrap())),
    ));
    all.push((Arc::new(Idea::new(&[1; 16]).unwrap()), Some(Arc::new(Ecb))));
    all.push((Arc::new(ChaCha20::new(&[1; 32], &[0; 16]).unwrap()), None));
    all.push((Arc::new(Arc4::new(&[1; 16]).unwrap()), None));
    all
}

fn check_ciphers(backend: &Arc<dyn Backend>) -> usize {
    let mut checked = 0;
    let data = [0x42u8; 4096];
    let mut out = vec![0u8; data.len() + 15];
    for (algorithm, mode) in ciphers() {
        if !backend.cipher_supported(&*algorithm, mode.as_deref()) {
            continue;
        }
        let cipher =
            Cipher::with_backend(algorithm.clone(), mode.clone(), backend.clone()).unwrap();
        for mut ctx in [cipher.encryptor().unwrap(), cipher.decryptor().unwrap()] {
            ctx.update_into(&data[..100], &mut out).unwrap();
            let before = allocations();
            for round in 0..200 {
                // Odd lengths keep partial blocks in play.
                let len = [1, 15, 16, 17, 1000, 4096][round % 6];
                let n = ctx.update_into(&data[..len], &mut out).unwrap();
                assert!(n <= len + 15);
            }
            let during = allocations() - before;
            assert_eq!(
                during,
                0,
                "{} {} on {}: {during} allocations in 200 update_into calls",
                algorithm.name(),
                mode.as_ref().map_or("-", |m| m.name()),
                backend.name()
            );
            checked += 1;
        }
    }
    checked
}

fn check_hashes(backend: &Arc<dyn Backend>) -> usize {
    let mut checked = 0;
    let data = [0x17u8; 3000];
    // Built before counting starts.
    let lengths = [1, 63, 64, 65, 3000].repeat(20);
    for algorithm in all_algorithms(64) {
        if backend.hash_supported(&*algorithm) {
            let mut hash = Hash::from_shared(algorithm.clone(), &**backend).unwrap();
            hash.update(&data).unwrap();
            let before = allocations();
            for &len in &lengths {
                hash.update(&data[..len]).unwrap();
            }
            assert_eq!(
                allocations() - before,
                0,
                "hash {} on {}",
                algorithm.name(),
                backend.name()
            );
            checked += 1;
        }
        if backend.hmac_supported(&*algorithm) {
            let mut mac = Hmac::from_shared(b"key", algorithm.clone(), &**backend).unwrap();
            mac.update(&data).unwrap();
            let before = allocations();
            for &len in &lengths {
                mac.update(&data[..len]).unwrap();
            }
            assert_eq!(
                allocations() - before,
                0,
                "hmac {} on {}",
                algorithm.name(),
                backend.name()
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn no_allocation_per_update_on_any_backend() {
    for backend in available_backends() {
        let ciphers = check_ciphers(&backend);
        let hashes = check_hashes(&backend);
        // A backend without streaming ciphers (ring) has no cipher context to check; every
        // other backend must have had at least 20, and every hash and HMAC it lists.
        assert!(
            ciphers >= 20 || backend.supported_ciphers().is_empty(),
            "{}: only {ciphers} cipher contexts checked",
            backend.name()
        );
        let listed = backend.supported_hashes().len() + backend.supported_hmacs().len();
        assert!(
            hashes >= listed.min(20) && listed > 0,
            "{}: only {hashes} of {listed} hash/HMAC contexts checked",
            backend.name()
        );
    }
}
