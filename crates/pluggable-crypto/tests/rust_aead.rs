//! The Rust backend's AEADs, CMAC and Poly1305 against the examples of their specifications.
//!
//! Every expected value is copied from the public document named above it; none comes from
//! the code under test. The full vector files run, for every backend, in `vectors.rs`.
#![cfg(feature = "rust")]

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::rust;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::{algorithms, Cipher};
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
use pluggable_crypto::Error;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.replace([' ', '\n'], "")).unwrap()
}

fn backend() -> Arc<dyn Backend> {
    rust::backend()
}

#[path = "support/rfc8439.rs"]
mod rfc8439;

#[test]
fn chacha20_poly1305_rfc8439_one_shot() {
    let aead = ChaCha20Poly1305::with_backend(&h(rfc8439::KEY), backend()).unwrap();
    let nonce = h(rfc8439::NONCE);
    let sealed = aead.encrypt(&nonce, rfc8439::PT, &h(rfc8439::AAD)).unwrap();
    assert_eq!(sealed, [h(rfc8439::CT), h(rfc8439::TAG)].concat());
    assert_eq!(
        aead.decrypt(&nonce, &sealed, &h(rfc8439::AAD)).unwrap(),
        rfc8439::PT
    );
}

#[test]
fn chacha20_poly1305_rfc8439_streamed_at_every_split() {
    let (key, nonce, aad) = (h(rfc8439::KEY), h(rfc8439::NONCE), h(rfc8439::AAD));
    let (want_ct, want_tag) = (h(rfc8439::CT), h(rfc8439::TAG));
    let cipher = |tag: Option<&[u8]>| {
        let algorithm = match tag {
            Some(tag) => {
                algorithms::ChaCha20Poly1305Incremental::with_decryption_tag(&key, &nonce, tag)
            }
            None => algorithms::ChaCha20Poly1305Incremental::new(&key, &nonce),
        };
        Cipher::with_backend(algorithm.unwrap(), None, backend()).unwrap()
    };
    for split in 0..=rfc8439::PT.len() {
        let aad_split = split % (aad.len() + 1);
        let mut enc = cipher(None).encryptor().unwrap();
        enc.authenticate_additional_data(&aad[..aad_split]).unwrap();
        enc.authenticate_additional_data(&aad[aad_split..]).unwrap();
        let mut ct = enc.update(&rfc8439::PT[..split]).unwrap();
        ct.extend(enc.update(&rfc8439::PT[split..]).unwrap());
        ct.extend(enc.finalize().unwrap());
        assert_eq!(ct, want_ct, "ciphertext, split at {split}");
        assert_eq!(enc.tag().unwrap(), &want_tag[..], "tag, split at {split}");

        // Decryption, with the tag at the end and with the tag given up front.
        let mut dec = cipher(None).decryptor().unwrap();
        dec.authenticate_additional_data(&aad[..aad_split]).unwrap();
        dec.authenticate_additional_data(&aad[aad_split..]).unwrap();
        let mut pt = dec.update(&want_ct[..split]).unwrap();
        pt.extend(dec.update(&want_ct[split..]).unwrap());
        pt.extend(dec.finalize_with_tag(&want_tag).unwrap());
        assert_eq!(pt, rfc8439::PT, "plaintext, split at {split}");

        let mut dec = cipher(Some(&want_tag)).decryptor().unwrap();
        dec.authenticate_additional_data(&aad).unwrap();
        let mut pt = dec.update(&want_ct[..split]).unwrap();
        pt.extend(dec.update(&want_ct[split..]).unwrap());
        pt.extend(dec.finalize().unwrap());
        assert_eq!(
            pt,
            rfc8439::PT,
            "plaintext (tag in the algorithm), split at {split}"
        );
    }

    // One byte at a time, AAD included.
    let mut enc = cipher(None).encryptor().unwrap();
    for b in aad.chunks(1) {
        enc.authenticate_additional_data(b).unwrap();
    }
    let mut ct = Vec::new();
    for b in rfc8439::PT.chunks(1) {
        ct.extend(enc.update(b).unwrap());
    }
    ct.extend(enc.finalize().unwrap());
    assert_eq!(
        (ct, enc.tag().unwrap().to_vec()),
        (want_ct.clone(), want_tag.clone())
    );

    // A changed ciphertext byte or tag byte is InvalidTag.
    let mut bad_tag = want_tag.clone();
    bad_tag[15] ^= 1;
    let mut dec = cipher(None).decryptor().unwrap();
    dec.authenticate_additional_data(&aad).unwrap();
    dec.update(&want_ct).unwrap();
    assert_eq!(dec.finalize_with_tag(&bad_tag), Err(Error::InvalidTag));
    let mut bad_ct = want_ct.clone();
    bad_ct[0] ^= 0x80;
    let mut dec = cipher(None).decryptor().unwrap();
    dec.authenticate_additional_data(&aad).unwrap();
    dec.update(&bad_ct).unwrap();
    assert_eq!(dec.finalize_with_tag(&want_tag), Err(Error::InvalidTag));
}

/// The streamed and one-shot forms agree on every message length across a few blocks.
#[test]
fn chacha20_poly1305_streamed_matches_one_shot() {
    let key = [0x42u8; 32];
    let nonce = [0x24u8; 12];
    let aead = ChaCha20Poly1305::with_backend(&key, backend()).unwrap();
    let msg: Vec<u8> = (0..200u8).collect();
    for len in [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200] {
        for aad_len in [0, 1, 16, 17] {
            let (pt, aad) = (&msg[..len], &msg[..aad_len]);
            let cipher = Cipher::with_backend(
                algorithms::ChaCha20Poly1305Incremental::new(&key, &nonce).unwrap(),
                None,
                backend(),
            )
            .unwrap();
            let mut enc = cipher.encryptor().unwrap();
            enc.authenticate_additional_data(aad).unwrap();
            let mut sealed = enc.update(pt).unwrap();
            sealed.extend(enc.finalize().unwrap());
            sealed.extend(enc.tag().unwrap());
            assert_eq!(
                sealed,
                aead.encrypt(&nonce, pt, aad).unwrap(),
                "{len}/{aad_len}"
            );
        }
    }
}

#[test]
fn cmac_rfc4493_examples() {
    // RFC 4493 section 4 (the same as NIST SP 800-38B, appendix D.1).
    let key = h("2b7e151628aed2a6abf7158809cf4f3c");
    let m = h(
        "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 \
               30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710",
    );
    let examples = [
        (0, "bb1d6929e95937287fa37d129b756746"),
        (16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (40, "dfa66747de9ae63030ca32611497c827"),
        (64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ];
    let b = backend();
    for (len, want) in examples {
        let new = || Cmac::with_backend(algorithms::Aes::new(&key).unwrap(), b.clone()).unwrap();
        let mut mac = new();
        mac.update(&m[..len]).unwrap();
        assert_eq!(
            mac.copy().unwrap().finalize().unwrap(),
            h(want),
            "length {len}"
        );
        mac.verify(&h(want)).unwrap();
        // Any split, and a copy taken midway, give the same MAC.
        for split in 0..=len {
            let mut mac = new();
            mac.update(&m[..split]).unwrap();
            let copy = mac.copy().unwrap();
            mac.update(&m[split..len]).unwrap();
            assert_eq!(
                mac.finalize().unwrap(),
                h(want),
                "length {len}, split {split}"
            );
            let mut copy = copy;
            copy.update(&m[split..len]).unwrap();
            assert_eq!(copy.finalize().unwrap(), h(want));
        }
    }
}

#[test]
fn cmac_serves_the_listed_ciphers() {
    let b = backend();
    let listed: Vec<String> = b
        .supported_cmacs()
        .into_iter()
        .map(|s| s.algorithm)
        .collect();
    for name in [
        "AES", "camellia", "3DES", "SM4", "IDEA", "Blowfish", "CAST5",
    ] {
        assert!(
            listed.iter().any(|l| l == name),
            "{name} missing from {listed:?}"
        );
    }
    // NIST SP 800-38B appendix D.4 (three-key TDEA), example 9: the empty message.
    let key = h("8aa83bf8cbda1062 0bc1bf19fbb6cd58 bc313d4a371ca8b5");
    let mut mac = Cmac::with_backend(algorithms::TripleDes::new(&key).unwrap(), b.clone()).unwrap();
    mac.update(b"").unwrap();
    assert_eq!(mac.finalize().unwrap(), h("b7a688e122ffaf95"));
    // Variable-key legacy ciphers key and run (no published CMAC examples exist for them).
    for key_len in [4, 16, 56] {
        let alg = algorithms::Blowfish::new(&vec![7; key_len]).unwrap();
        assert!(b.cmac_algorithm_supported(&alg));
        assert_eq!(
            Cmac::with_backend(alg, b.clone())
                .unwrap()
                .finalize()
                .unwrap()
                .len(),
            8
        );
    }
    let arc4 = algorithms::Arc4::new(&[1; 16]).unwrap();
    assert!(!b.cmac_algorithm_supported(&arc4));
}

#[test]
fn poly1305_rfc8439_example_at_every_split() {
    // RFC 8439 section 2.5.2.
    let key = h("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    let msg = b"Cryptographic Forum Research Group";
    let want = h("a8061dc1305136c6c22b8baf0c0127a9");
    let b = backend();
    assert!(b.poly1305_supported());
    for split in 0..=msg.len() {
        let mut mac = Poly1305::with_backend(&key, b.clone()).unwrap();
        mac.update(&msg[..split]).unwrap();
        mac.update(&msg[split..]).unwrap();
        assert_eq!(mac.finalize().unwrap(), want, "split at {split}");
    }
    let mut mac = Poly1305::with_backend(&key, b.clone()).unwrap();
    for byte in msg.chunks(1) {
        mac.update(byte).unwrap();
    }
    mac.verify(&want).unwrap();
    // Three pieces, with a copy of the state taken in the middle of a block.
    let mut ctx = b.create_poly1305_ctx(&key).unwrap();
    ctx.update(&msg[..5]).unwrap();
    ctx.update(&msg[5..21]).unwrap();
    let mut copy = ctx.copy().unwrap();
    ctx.update(&msg[21..]).unwrap();
    copy.update(&msg[21..]).unwrap();
    assert_eq!(ctx.finalize().unwrap(), want);
    assert_eq!(copy.finalize().unwrap(), want);
}

#[test]
fn poly1305_rfc8439_appendix_a3_vector_2() {
    // RFC 8439 appendix A.3, test vector #2: a 375-byte message, zero r.
    let key = h("0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e");
    let msg = b"Any submission to the IETF intended by the Contributor for publication as all \
               or part of an IETF Internet-Draft or RFC and any statement made within the \
               context of an IETF activity is considered an \"IETF Contribution\". Such \
               statements include oral statements in IETF sessions, as well as written and \
               electronic communications made at any time or place, which are addressed to";
    assert_eq!(msg.len(), 375);
    for split in [0, 1, 16, 17, 200, 374, 375] {
        let mut mac = Poly1305::with_backend(&key, backend().clone()).unwrap();
        mac.update(&msg[..split]).unwrap();
        mac.update(&msg[split..]).unwrap();
        assert_eq!(
            mac.finalize().unwrap(),
            h("36e5f6b5c5e06070f0efca96227a863e")
        );
    }
}

#[test]
fn ccm_rfc3610_packet_vector_1() {
    // RFC 3610 section 8, packet vector #1: 8-byte tag, 13-byte nonce, the first 8 packet
    // bytes authenticated only.
    let key = h("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    let nonce = h("00000003020100a0a1a2a3a4a5");
    let header = h("0001020304050607");
    let payload = h("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
    let want = h("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0");
    let aead = AesCcm::with_backend(&key, 8, backend()).unwrap();
    assert_eq!(aead.encrypt(&nonce, &payload, &header).unwrap(), want);
    assert_eq!(aead.decrypt(&nonce, &want, &header).unwrap(), payload);
    // Every tag length and nonce length round-trips (a different length is another message).
    for tag in [4, 6, 8, 10, 12, 14, 16] {
        let aead = AesCcm::with_backend(&key, tag, backend()).unwrap();
        for nonce_len in 7..=13 {
            let sealed = aead
                .encrypt(&nonce[..nonce_len], &payload, &header)
                .unwrap();
            assert_eq!(sealed.len(), payload.len() + tag);
            let opened = aead.decrypt(&nonce[..nonce_len], &sealed, &header).unwrap();
            assert_eq!(opened, payload);
        }
    }
}

#[test]
fn ocb3_rfc7253_appendix_a() {
    // RFC 7253 appendix A: AES-128, 128-bit tags, nonces BBAA99887766554433221100 + i.
    let key = h("000102030405060708090a0b0c0d0e0f");
    let cases = [
        ("", "", "785407bfffc8ad9edcc5520ac9111ee6"),
        (
            "0001020304050607",
            "0001020304050607",
            "6820b3657b6f615a5725bda0d3b4eb3a257c9af1f8f03009",
        ),
        ("0001020304050607", "", "81017f8203f081277152fade694a0a00"),
        (
            "",
            "0001020304050607",
            "45dd69f8f5aae72414054cd1f35d82760b2cd00d2f99bfa9",
        ),
        (
            "000102030405060708090a0b0c0d0e0f",
            "000102030405060708090a0b0c0d0e0f",
            "571d535b60b277188be5147170a9a22c3ad7a4ff3835b8c5701c1ccec8fc3358",
        ),
        (
            "000102030405060708090a0b0c0d0e0f",
            "",
            "8cf761b6902ef764462ad86498ca6b97",
        ),
        (
            "",
            "000102030405060708090a0b0c0d0e0f",
            "5ce88ec2e0692706a915c00aeb8b2396f40e1c743f52436bdf06d8fa1eca343d",
        ),
    ];
    let aead = AesOcb3::with_backend(&key, backend()).unwrap();
    for (i, (aad, pt, want)) in cases.into_iter().enumerate() {
        let nonce = h(&format!("bbaa9988776655443322110{i}"));
        let sealed = aead.encrypt(&nonce, &h(pt), &h(aad)).unwrap();
        assert_eq!(sealed, h(want), "case {i}");
        assert_eq!(aead.decrypt(&nonce, &sealed, &h(aad)).unwrap(), h(pt));
    }
}

#[test]
fn siv_rfc5297_appendix_a() {
    // RFC 5297 appendix A.1: deterministic authenticated encryption.
    let aead = AesSiv::with_backend(
        &h("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0 f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
        backend(),
    )
    .unwrap();
    let ad = h("101112131415161718191a1b1c1d1e1f2021222324252627");
    let pt = h("112233445566778899aabbccddee");
    let want = h("85632d07c6e8f37f950acd320a2ecc93 40c02b9690c4dc04daef7f6afe5c");
    assert_eq!(aead.encrypt(&pt, &[&ad]).unwrap(), want);
    assert_eq!(aead.decrypt(&want, &[&ad]).unwrap(), pt);

    // RFC 5297 appendix A.2: nonce-based, three associated-data components (the nonce last).
    let aead = AesSiv::with_backend(
        &h("7f7e7d7c7b7a79787776757473727170 404142434445464748494a4b4c4d4e4f"),
        backend(),
    )
    .unwrap();
    let ad1 = h(
        "00112233445566778899aabbccddeeff deaddadadeaddadaffeeddccbbaa9988 \
                 7766554433221100",
    );
    let ad2 = h("102030405060708090a0");
    let nonce = h("09f911029d74e35bd84156c5635688c0");
    let pt = h(
        "7468697320697320736f6d6520706c61 696e7465787420746f20656e63727970 \
                74207573696e67205349562d414553",
    );
    let want = h(
        "7bdb6e3b432667eb06f4d14bff2fbd0f cb900f2fddbe404326601965c889bf17 \
                  dba77ceb094fa663b7a3f748ba8af829 ea64ad544a272e9c485b62a3fd5c0d",
    );
    let aad: [&[u8]; 3] = [&ad1, &ad2, &nonce];
    assert_eq!(aead.encrypt(&pt, &aad).unwrap(), want);
    assert_eq!(aead.decrypt(&want, &aad).unwrap(), pt);
    // The order of the components matters.
    let swapped: [&[u8]; 3] = [&ad2, &ad1, &nonce];
    assert_eq!(aead.decrypt(&want, &swapped), Err(Error::InvalidTag));
}

#[test]
fn gcm_siv_rfc8452_appendix_c1() {
    // RFC 8452 appendix C.1 (AEAD_AES_128_GCM_SIV), the first three examples.
    let aead = AesGcmSiv::with_backend(&h("01000000000000000000000000000000"), backend()).unwrap();
    let nonce = h("030000000000000000000000");
    let cases = [
        ("", "dc20e2d83f25705bb49e439eca56de25"),
        (
            "0100000000000000",
            "b5d839330ac7b786578782fff6013b815b287c22493a364c",
        ),
        (
            "010000000000000000000000",
            "7323ea61d05932260047d942a4978db357391a0bc4fdec8b0d106639",
        ),
    ];
    for (pt, want) in cases {
        assert_eq!(aead.encrypt(&nonce, &h(pt), b"").unwrap(), h(want), "{pt}");
        assert_eq!(aead.decrypt(&nonce, &h(want), b"").unwrap(), h(pt));
    }
}

#[test]
fn gcm_siv_aes192_matches_openssl() {
    // pyca/cryptography vectors, ciphers/AES/GCM-SIV/aes-192-gcm-siv.txt, COUNT = 0 (generated
    // with OpenSSL's AES-192-GCM-SIV; RFC 8452 defines only 128- and 256-bit keys).
    let aead = AesGcmSiv::with_backend(
        &h("010000000000000000000000000000000000000000000000"),
        backend(),
    )
    .unwrap();
    let nonce = h("030000000000000000000000");
    let sealed = aead.encrypt(&nonce, &h("0100000000000000"), b"").unwrap();
    assert_eq!(
        sealed,
        h("0e49fb119666c8ae 6b0606875a845eec145f44ae5b92e834")
    );
}

#[test]
fn gcm_long_and_short_nonces() {
    // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B, test cases 5
    // (a 64-bit IV) and 6 (a 480-bit IV, hashed into the counter block).
    let key = h("feffe9928665731c6d6a8f9467308308");
    let aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    let pt = h(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    );
    let cases = [
        (
            "cafebabefacedbad",
            "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423\
             73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
            "3612d2e79e3b0785561be14aaca2fccb",
        ),
        (
            "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728\
             c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
            "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7\
             01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
            "619cc5aefffe0bfa462af43c1699d050",
        ),
        (
            // Test case 4: the 96-bit IV (the crate's fast path).
            "cafebabefacedbaddecaf888",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
             21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
            "5bc94fbc3221a5db94fae95ae7121a47",
        ),
    ];
    let aead = AesGcm::with_backend(&key, backend()).unwrap();
    for (iv, ct, tag) in cases {
        let sealed = aead.encrypt(&h(iv), &pt, &aad).unwrap();
        assert_eq!(sealed, [h(ct), h(tag)].concat(), "IV {iv}");
        assert_eq!(aead.decrypt(&h(iv), &sealed, &aad).unwrap(), pt);
    }
}

/// A forged message fails with `InvalidTag` and leaves no plaintext in the output buffer, for
/// every construction, both through the primitives and straight at the backend context.
#[test]
fn forgeries_are_invalid_tag_and_leave_no_plaintext() {
    let b = backend();
    let msg = [0x5au8; 40];
    let cases: [(AeadAlgorithm, usize, usize, &[u8]); 9] = [
        (AeadAlgorithm::AesGcm, 16, 16, &[1; 12]),
        (AeadAlgorithm::AesGcm, 32, 16, &[1; 60]),
        (AeadAlgorithm::ChaCha20Poly1305, 32, 16, &[1; 12]),
        (AeadAlgorithm::AesCcm, 16, 8, &[1; 13]),
        (AeadAlgorithm::AesCcm, 24, 4, &[1; 7]),
        (AeadAlgorithm::AesOcb3, 32, 16, &[1; 15]),
        (AeadAlgorithm::AesSiv, 48, 16, &[]),
        (AeadAlgorithm::AesGcmSiv, 24, 16, &[1; 12]),
        (AeadAlgorithm::AesGcmSiv, 32, 16, &[1; 12]),
    ];
    for (algorithm, key_len, tag_len, nonce) in cases {
        let what = format!("{} key {key_len} nonce {}", algorithm.name(), nonce.len());
        assert!(b.aead_supported(algorithm, key_len, tag_len), "{what}");
        let ctx = b
            .create_aead_ctx(algorithm, &vec![3; key_len], tag_len)
            .unwrap();
        let mut sealed = vec![0u8; msg.len() + tag_len];
        ctx.encrypt_into(nonce, &msg, &[b"aad"], &mut sealed)
            .unwrap();
        let mut out = vec![0u8; msg.len()];
        ctx.decrypt_into(nonce, &sealed, &[b"aad"], &mut out)
            .unwrap();
        assert_eq!(out, msg, "{what}");
        for flip in [0, msg.len() - 1, sealed.len() - 1] {
            let mut forged = sealed.clone();
            forged[flip] ^= 0x01;
            let mut out = vec![0xaau8; msg.len()];
            assert_eq!(
                ctx.decrypt_into(nonce, &forged, &[b"aad"], &mut out),
                Err(Error::InvalidTag),
                "{what}: byte {flip} flipped"
            );
            assert!(out.iter().all(|&x| x == 0), "{what}: output not wiped");
        }
        let mut out = vec![0xaau8; msg.len()];
        assert_eq!(
            ctx.decrypt_into(nonce, &sealed, &[b"other"], &mut out),
            Err(Error::InvalidTag),
            "{what}: other AAD"
        );
        assert!(out.iter().all(|&x| x == 0), "{what}: output not wiped");
    }

    // Through the public type, into a caller's buffer.
    let aead = AesOcb3::with_backend(&[9; 16], b.clone()).unwrap();
    let mut sealed = aead.encrypt(&[2; 12], &msg, b"").unwrap();
    sealed[3] ^= 0x10;
    let mut out = [0xaau8; 40];
    assert_eq!(
        aead.decrypt_into(&[2; 12], &sealed, b"", &mut out),
        Err(Error::InvalidTag)
    );
    assert_eq!(out, [0u8; 40]);
    // Too short to hold a tag.
    assert_eq!(
        aead.decrypt(&[2; 12], &[0; 15], b""),
        Err(Error::InvalidTag)
    );
}

#[test]
fn support_listing() {
    let b = backend();
    let listed = b.supported_aeads();
    assert_eq!(listed.len(), AeadAlgorithm::ALL.len());
    for support in listed {
        let want: Vec<usize> = support
            .algorithm
            .key_sizes()
            .iter()
            .map(|n| n * 8)
            .collect();
        assert_eq!(support.key_sizes, want, "{}", support.algorithm.name());
    }
    assert!(!b.aead_supported(AeadAlgorithm::AesGcm, 20, 16));
    assert!(!b.aead_supported(AeadAlgorithm::AesGcm, 16, 12));
    assert!(!b.aead_supported(AeadAlgorithm::AesCcm, 16, 5));
    let err = b.create_aead_ctx(AeadAlgorithm::AesSiv, &[0; 16], 16).err();
    assert!(err.is_some_and(|e| e.is_unsupported()));
}
