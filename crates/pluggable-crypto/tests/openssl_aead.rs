#![cfg(feature = "openssl")]
//! The OpenSSL backend's one-shot AEADs, streaming ChaCha20-Poly1305, CMAC and Poly1305,
//! checked on `openssl::backend()` explicitly against the published examples of the documents
//! that define them (each cited where it is used), plus the failure and concurrency behaviour.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::openssl;
use pluggable_crypto::hazmat::backends::Backend;
use pluggable_crypto::hazmat::primitives::aead::AeadAlgorithm;
use pluggable_crypto::hazmat::primitives::aead::{
    AesCcm, AesGcm, AesGcmSiv, AesOcb3, AesSiv, ChaCha20Poly1305,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{
    Aes, Blowfish, ChaCha20Poly1305Incremental, TripleDes,
};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::cmac::Cmac;
use pluggable_crypto::hazmat::primitives::poly1305::Poly1305;
use pluggable_crypto::Error;

/// Bytes from hex written with any spacing or colons, as the RFCs print them.
fn h(s: &str) -> Vec<u8> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    hex::decode(digits).expect("valid hex in a test vector")
}

fn backend() -> Arc<dyn Backend> {
    openssl::backend()
}

/// The concrete OpenSSL backend, for what only it reports (its version, the legacy provider).
fn native(backend: &Arc<dyn Backend>) -> &openssl::OpenSslBackend {
    backend
        .downcast_ref::<openssl::OpenSslBackend>()
        .expect("the OpenSSL backend")
}

/// RFC 8439 section 2.8.2, "Example and Test Vector for AEAD_CHACHA20_POLY1305".
struct Rfc8439Aead {
    key: Vec<u8>,
    nonce: Vec<u8>,
    aad: Vec<u8>,
    plaintext: &'static [u8],
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
}

fn rfc8439_2_8_2() -> Rfc8439Aead {
    Rfc8439Aead {
        key: h("80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f
                90 91 92 93 94 95 96 97 98 99 9a 9b 9c 9d 9e 9f"),
        nonce: h("07 00 00 00 40 41 42 43 44 45 46 47"),
        aad: h("50 51 52 53 c0 c1 c2 c3 c4 c5 c6 c7"),
        plaintext: b"Ladies and Gentlemen of the class of '99: If I could offer you only one \
                     tip for the future, sunscreen would be it.",
        ciphertext: h("d3 1a 8d 34 64 8e 60 db 7b 86 af bc 53 ef 7e c2
                       a4 ad ed 51 29 6e 08 fe a9 e2 b5 a7 36 ee 62 d6
                       3d be a4 5e 8c a9 67 12 82 fa fb 69 da 92 72 8b
                       1a 71 de 0a 9e 06 0b 29 05 d6 a5 b6 7e cd 3b 36
                       92 dd bd 7f 2d 77 8b 8c 98 03 ae e3 28 09 1b 58
                       fa b3 24 e4 fa d6 75 94 55 85 80 8b 48 31 d7 bc
                       3f f4 de f0 8e 4b 7a 9d e5 76 d2 65 86 ce c6 4b
                       61 16"),
        tag: h("1a:e1:0b:59:4f:09:e2:6a:7e:90:2e:cb:d0:60:06:91"),
    }
}

#[test]
fn chacha20_poly1305_rfc8439_one_shot() {
    let v = rfc8439_2_8_2();
    let aead = ChaCha20Poly1305::with_backend(&v.key, backend()).unwrap();
    let sealed = aead.encrypt(&v.nonce, v.plaintext, &v.aad).unwrap();
    assert_eq!(sealed, [v.ciphertext.clone(), v.tag.clone()].concat());
    assert_eq!(
        aead.decrypt(&v.nonce, &sealed, &v.aad).unwrap(),
        v.plaintext
    );
}

#[test]
fn chacha20_poly1305_rfc8439_streamed_at_every_split() {
    let v = rfc8439_2_8_2();
    let cipher = Cipher::with_backend(
        ChaCha20Poly1305Incremental::new(&v.key, &v.nonce).unwrap(),
        None,
        backend(),
    )
    .unwrap();
    // Split points around the 64-byte ChaCha20 block and the 16-byte Poly1305 block.
    for split in [0, 1, 15, 16, 17, 63, 64, 65, 100, v.plaintext.len()] {
        let mut enc = cipher.encryptor().unwrap();
        enc.authenticate_additional_data(&v.aad[..5]).unwrap();
        enc.authenticate_additional_data(&v.aad[5..]).unwrap();
        let mut ct = enc.update(&v.plaintext[..split]).unwrap();
        ct.extend(enc.update(&v.plaintext[split..]).unwrap());
        ct.extend(enc.finalize().unwrap());
        assert_eq!(ct, v.ciphertext, "split at {split}");
        assert_eq!(enc.tag().unwrap(), v.tag, "split at {split}");

        let mut dec = cipher.decryptor().unwrap();
        dec.authenticate_additional_data(&v.aad).unwrap();
        let mut pt = dec.update(&v.ciphertext[..split]).unwrap();
        pt.extend(dec.update(&v.ciphertext[split..]).unwrap());
        pt.extend(dec.finalize_with_tag(&v.tag).unwrap());
        assert_eq!(pt, v.plaintext, "split at {split}");
    }

    // The tag given up front, with the descriptor.
    let with_tag = Cipher::with_backend(
        ChaCha20Poly1305Incremental::with_decryption_tag(&v.key, &v.nonce, &v.tag).unwrap(),
        None,
        backend(),
    )
    .unwrap();
    let mut dec = with_tag.decryptor().unwrap();
    dec.authenticate_additional_data(&v.aad).unwrap();
    let mut pt = dec.update(&v.ciphertext).unwrap();
    pt.extend(dec.finalize().unwrap());
    assert_eq!(pt, v.plaintext);

    // A changed tag fails.
    let mut bad = v.tag.clone();
    bad[15] ^= 1;
    let mut dec = cipher.decryptor().unwrap();
    dec.authenticate_additional_data(&v.aad).unwrap();
    dec.update(&v.ciphertext).unwrap();
    assert!(matches!(
        dec.finalize_with_tag(&bad),
        Err(Error::InvalidTag)
    ));
}

#[test]
fn poly1305_rfc8439_2_5_2() {
    // RFC 8439 section 2.5.2, "Poly1305 Example and Test Vector".
    let key = h("85:d6:be:78:57:55:6d:33:7f:44:52:fe:42:d5:06:a8
                 01:03:80:8a:fb:0d:b2:fd:4a:bf:f6:af:41:49:f5:1b");
    let message = b"Cryptographic Forum Research Group";
    let tag = h("a8:06:1d:c1:30:51:36:c6:c2:2b:8b:af:0c:01:27:a9");
    let b = backend();
    assert!(b.poly1305_supported());

    let mut mac = Poly1305::with_backend(&key, b.clone()).unwrap();
    mac.update(&message[..7]).unwrap();
    mac.update(&message[7..]).unwrap();
    assert_eq!(mac.finalize().unwrap(), tag);

    let mut mac = Poly1305::with_backend(&key, b.clone()).unwrap();
    mac.update(message).unwrap();
    mac.verify(&tag).unwrap();
    let mut mac = Poly1305::with_backend(&key, b.clone()).unwrap();
    mac.update(b"Cryptographic Forum Research Grouq").unwrap();
    assert!(matches!(mac.verify(&tag), Err(Error::InvalidSignature)));
}

#[test]
fn cmac_rfc4493_examples() {
    // RFC 4493 section 4, "Test Vectors": AES-128 key K and examples 1 to 4.
    let key = h("2b7e1516 28aed2a6 abf71588 09cf4f3c");
    let m = h("6bc1bee2 2e409f96 e93d7e11 7393172a
               ae2d8a57 1e03ac9c 9eb76fac 45af8e51
               30c81c46 a35ce411 e5fbc119 1a0a52ef
               f69f2445 df4f9b17 ad2b417b e66c3710");
    let examples = [
        (0, "bb1d6929 e9593728 7fa37d12 9b756746"),
        (16, "070a16b4 6b4d4144 f79bdd9d d04a287c"),
        (40, "dfa66747 de9ae630 30ca3261 1497c827"),
        (64, "51f0bebf 7e3b9d92 fc497417 79363cfe"),
    ];
    let b = backend();
    for (len, expected) in examples {
        let mut mac = Cmac::with_backend(Aes::new(&key).unwrap(), b.clone()).unwrap();
        mac.update(&m[..len / 2]).unwrap();
        let copy = mac.copy().unwrap();
        mac.update(&m[len / 2..len]).unwrap();
        assert_eq!(mac.finalize().unwrap(), h(expected), "Mlen = {len}");

        let mut copy = copy;
        copy.update(&m[len / 2..len]).unwrap();
        copy.verify(&h(expected)).unwrap();
    }
}

#[test]
fn cmac_support_listing() {
    let b = backend();
    let listed = b.supported_cmacs();
    let aes = listed
        .iter()
        .find(|s| s.algorithm == "AES")
        .expect("AES CMAC");
    assert_eq!(aes.key_sizes, [128, 192, 256]);
    assert!(listed.iter().any(|s| s.algorithm == "3DES"));
    // A 3DES key of any accepted form reaches libcrypto expanded to three keys.
    assert!(b.cmac_algorithm_supported(&TripleDes::new(&[7; 16]).unwrap()));
    let mut mac = Cmac::with_backend(TripleDes::new(&[7; 8]).unwrap(), b.clone()).unwrap();
    mac.update(b"abc").unwrap();
    assert_eq!(mac.finalize().unwrap().len(), 8);

    // Variable-length legacy ciphers: one template serves every key length. (The keys differ
    // in more than length: Blowfish cycles its key, so a repeated byte would not.)
    if native(&b).legacy_provider_loaded() {
        let blowfish = listed.iter().find(|s| s.algorithm == "Blowfish").unwrap();
        assert_eq!(blowfish.key_sizes.first(), Some(&32));
        assert_eq!(blowfish.key_sizes.last(), Some(&448));
        let tags: Vec<Vec<u8>> = [4, 16, 56]
            .iter()
            .map(|&len| {
                let mut mac = Cmac::with_backend(
                    Blowfish::new(&(1..=len as u8).collect::<Vec<u8>>()).unwrap(),
                    b.clone(),
                )
                .unwrap();
                mac.update(b"abc").unwrap();
                mac.finalize().unwrap()
            })
            .collect();
        assert!(tags.iter().all(|t| t.len() == 8));
        assert!(tags[0] != tags[1] && tags[1] != tags[2]);
    }
}

#[test]
fn ccm_rfc3610_packet_vector_1() {
    // RFC 3610 section 8, "Packet Vector #1": M = 8, L = 2 (13-byte nonce), 8 header bytes.
    let key = h("C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF");
    let nonce = h("00 00 00 03 02 01 00 A0 A1 A2 A3 A4 A5");
    let packet = h("00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F
                    10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E");
    let output = h("00 01 02 03 04 05 06 07 58 8C 97 9A 61 C6 63 D2
                    F0 66 D0 C2 C0 F9 89 80 6D 5F 6B 61 DA C3 84 17
                    E8 D1 2C FD F9 26 E0");
    let (header, payload) = packet.split_at(8);
    let aead = AesCcm::with_backend(&key, 8, backend()).unwrap();
    let sealed = aead.encrypt(&nonce, payload, header).unwrap();
    assert_eq!(sealed, output[8..]);
    assert_eq!(aead.decrypt(&nonce, &sealed, header).unwrap(), payload);
}

#[test]
fn ccm_one_key_serves_every_nonce_length_and_empty_messages() {
    let aead = AesCcm::with_backend(&[9; 32], 12, backend()).unwrap();
    for nonce_len in [13, 7, 10, 13, 7] {
        let nonce = vec![nonce_len as u8; nonce_len];
        for (data, aad) in [(&b""[..], &b""[..]), (b"", b"header"), (b"payload", b"")] {
            let sealed = aead.encrypt(&nonce, data, aad).unwrap();
            assert_eq!(sealed.len(), data.len() + 12);
            assert_eq!(aead.decrypt(&nonce, &sealed, aad).unwrap(), data);
            let mut forged = sealed.clone();
            forged[0] ^= 0x80;
            assert!(matches!(
                aead.decrypt(&nonce, &forged, aad),
                Err(Error::InvalidTag)
            ));
        }
    }
}

#[test]
fn ocb3_rfc7253_appendix_a() {
    // RFC 7253 appendix A, "Sample Results": the first four AEAD_AES_128_OCB_TAGLEN128 cases.
    let key = h("000102030405060708090A0B0C0D0E0F");
    let cases = [
        (
            "BBAA99887766554433221100",
            "",
            "",
            "785407BFFFC8AD9EDCC5520AC9111EE6",
        ),
        (
            "BBAA99887766554433221101",
            "0001020304050607",
            "0001020304050607",
            "6820B3657B6F615A5725BDA0D3B4EB3A257C9AF1F8F03009",
        ),
        (
            "BBAA99887766554433221102",
            "0001020304050607",
            "",
            "81017F8203F081277152FADE694A0A00",
        ),
        (
            "BBAA99887766554433221103",
            "",
            "0001020304050607",
            "45DD69F8F5AAE72414054CD1F35D82760B2CD00D2F99BFA9",
        ),
    ];
    let aead = AesOcb3::with_backend(&key, backend()).unwrap();
    for (nonce, a, p, c) in cases {
        let (nonce, a, p, c) = (h(nonce), h(a), h(p), h(c));
        assert_eq!(aead.encrypt(&nonce, &p, &a).unwrap(), c);
        assert_eq!(aead.decrypt(&nonce, &c, &a).unwrap(), p);
    }
}

#[test]
fn siv_rfc5297_a1_and_a2() {
    let b = backend();
    // RFC 5297 appendix A.1, "Deterministic Authenticated Encryption Example".
    let aead = AesSiv::with_backend(
        &h("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff"),
        b.clone(),
    )
    .unwrap();
    let ad = h("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
    let plaintext = h("11223344 55667788 99aabbcc ddee");
    let output = h("85632d07 c6e8f37f 950acd32 0a2ecc93 40c02b96 90c4dc04 daef7f6a fe5c");
    assert_eq!(aead.encrypt(&plaintext, &[&ad]).unwrap(), output);
    assert_eq!(aead.decrypt(&output, &[&ad]).unwrap(), plaintext);

    // RFC 5297 appendix A.2, "Nonce-Based Authenticated Encryption Example": two associated
    // data strings and a nonce, each a separate S2V component.
    let aead = AesSiv::with_backend(
        &h("7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f"),
        b,
    )
    .unwrap();
    let ad1 = h(
        "00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988
                 77665544 33221100",
    );
    let ad2 = h("10203040 50607080 90a0");
    let nonce = h("09f91102 9d74e35b d84156c5 635688c0");
    let plaintext = h(
        "74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970
                       74207573 696e6720 5349562d 414553",
    );
    let output = h(
        "7bdb6e3b 432667eb 06f4d14b ff2fbd0f cb900f2f ddbe4043 26601965 c889bf17
                    dba77ceb 094fa663 b7a3f748 ba8af829 ea64ad54 4a272e9c 485b62a3 fd5c0d",
    );
    let components: [&[u8]; 3] = [&ad1, &ad2, &nonce];
    assert_eq!(aead.encrypt(&plaintext, &components).unwrap(), output);
    assert_eq!(aead.decrypt(&output, &components).unwrap(), plaintext);
    // Joining the components is a different S2V input, and an empty component counts.
    let joined = [ad1.clone(), ad2.clone(), nonce.clone()].concat();
    assert!(aead.decrypt(&output, &[&joined]).is_err());
    let with_empty = aead.encrypt(&plaintext, &[b""]).unwrap();
    assert_eq!(with_empty.len(), plaintext.len() + 16);
    assert_ne!(with_empty, aead.encrypt(&plaintext, &[]).unwrap());
    assert_eq!(aead.decrypt(&with_empty, &[b""]).unwrap(), plaintext);
}

/// The GCM specification's test cases 4 and 6 (McGrew and Viega, "The Galois/Counter Mode of
/// Operation (GCM)", appendix B; NIST's GCM test vectors): the same key, plaintext and
/// associated data under a 12-byte and a 60-byte IV.
struct GcmCase {
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
}

fn gcm_key() -> Vec<u8> {
    h("feffe9928665731c6d6a8f9467308308")
}

fn gcm_plaintext() -> Vec<u8> {
    h(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
       1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    )
}

fn gcm_aad() -> Vec<u8> {
    h("feedfacedeadbeeffeedfacedeadbeefabaddad2")
}

fn gcm_cases() -> [GcmCase; 2] {
    [
        // Test case 4.
        GcmCase {
            iv: h("cafebabefacedbaddecaf888"),
            ciphertext: h(
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
                           21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
            ),
            tag: h("5bc94fbc3221a5db94fae95ae7121a47"),
        },
        // Test case 6.
        GcmCase {
            iv: h(
                "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728
                   c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
            ),
            ciphertext: h(
                "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7
                           01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
            ),
            tag: h("619cc5aefffe0bfa462af43c1699d050"),
        },
    ]
}

#[test]
fn gcm_12_and_60_byte_nonces_on_one_key() {
    let aead = AesGcm::with_backend(&gcm_key(), backend()).unwrap();
    let (pt, aad) = (gcm_plaintext(), gcm_aad());
    // Alternate the nonce lengths so cached contexts change IV length both ways.
    for case in gcm_cases().iter().chain(gcm_cases().iter()) {
        let sealed = aead.encrypt(&case.iv, &pt, &aad).unwrap();
        assert_eq!(sealed, [case.ciphertext.clone(), case.tag.clone()].concat());
        assert_eq!(aead.decrypt(&case.iv, &sealed, &aad).unwrap(), pt);
    }
}

#[test]
fn siv_empty_message_is_refused_cleanly() {
    let ctx = backend()
        .create_aead_ctx(AeadAlgorithm::AesSiv, &[5; 32], 16)
        .unwrap();
    let mut out = [0u8; 16];
    assert!(ctx.encrypt_into(&[], b"", &[b"ad"], &mut out).is_err());
    // A tag alone never authenticates on libcrypto's AES-SIV.
    assert!(matches!(
        ctx.decrypt_into(&[], &[0; 16], &[b"ad"], &mut []),
        Err(Error::InvalidTag)
    ));
}

#[test]
fn forged_tags_are_invalid_tag_and_leave_no_plaintext() {
    let b = backend();
    // (algorithm, key length, tag length, nonce length)
    let setups = [
        (AeadAlgorithm::AesGcm, 16, 16, 12),
        (AeadAlgorithm::AesGcm, 32, 16, 60),
        (AeadAlgorithm::ChaCha20Poly1305, 32, 16, 12),
        (AeadAlgorithm::AesCcm, 16, 8, 13),
        (AeadAlgorithm::AesOcb3, 24, 16, 15),
        (AeadAlgorithm::AesSiv, 64, 16, 0),
    ];
    let plaintext = [0x5a_u8; 70];
    for (algorithm, key_len, tag_len, nonce_len) in setups {
        let ctx = b
            .create_aead_ctx(algorithm, &vec![3; key_len], tag_len)
            .unwrap();
        let nonce = vec![1; nonce_len];
        let aad: &[&[u8]] = &[b"header"];
        let mut sealed = vec![0; plaintext.len() + tag_len];
        ctx.encrypt_into(&nonce, &plaintext, aad, &mut sealed)
            .unwrap();

        // Flip one bit of the tag (first for SIV, last otherwise) and one of the ciphertext.
        let tag_at = if algorithm.tag_first() {
            0
        } else {
            sealed.len() - 1
        };
        let ct_at = if algorithm.tag_first() { tag_len } else { 0 };
        for at in [tag_at, ct_at] {
            let mut forged = sealed.clone();
            forged[at] ^= 0x01;
            let mut out = vec![0xee; plaintext.len()];
            let result = ctx.decrypt_into(&nonce, &forged, aad, &mut out);
            assert!(
                matches!(result, Err(Error::InvalidTag)),
                "{algorithm:?}: {result:?}"
            );
            assert!(
                out.iter().all(|&b| b == 0),
                "{algorithm:?} left bytes in out"
            );
        }
        // The context still works after a failure.
        let mut out = vec![0; plaintext.len()];
        ctx.decrypt_into(&nonce, &sealed, aad, &mut out).unwrap();
        assert_eq!(out, plaintext);
    }

    // The same through the public type: decrypt_into wipes the caller's buffer.
    let aead = AesGcm::with_backend(&[3; 16], b).unwrap();
    let mut sealed = aead.encrypt(&[1; 12], b"secret message", b"").unwrap();
    sealed[0] ^= 1;
    let mut out = [0xee_u8; 14];
    assert!(matches!(
        aead.decrypt_into(&[1; 12], &sealed, b"", &mut out),
        Err(Error::InvalidTag)
    ));
    assert_eq!(out, [0; 14]);
}

/// Messages with varied nonces (lengths too, where the construction allows) and sizes.
fn messages(nonce_lengths: &[usize], min_len: usize) -> Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    (0..48usize)
        .map(|i| {
            let nonce_len = nonce_lengths[i % nonce_lengths.len()];
            let nonce = (0..nonce_len).map(|j| (i * 31 + j) as u8).collect();
            let data = (0..min_len + (i * 37) % 300)
                .map(|j| (i + j * 7) as u8)
                .collect();
            let aad = (0..i % 20).map(|j| (j * 3) as u8).collect();
            (nonce, data, aad)
        })
        .collect()
}

fn seal_all(
    ctx: &dyn pluggable_crypto::hazmat::backends::AeadContext,
    tag_len: usize,
    msgs: &[(Vec<u8>, Vec<u8>, Vec<u8>)],
) -> Vec<Vec<u8>> {
    msgs.iter()
        .map(|(nonce, data, aad)| {
            let mut out = vec![0; data.len() + tag_len];
            ctx.encrypt_into(nonce, data, &[aad], &mut out).unwrap();
            let mut back = vec![0; data.len()];
            ctx.decrypt_into(nonce, &out, &[aad], &mut back).unwrap();
            assert_eq!(&back, data);
            out
        })
        .collect()
}

#[test]
fn one_key_from_several_threads_agrees_with_one_thread() {
    let b = backend();
    let setups: [(AeadAlgorithm, usize, usize, &[usize]); 5] = [
        (AeadAlgorithm::AesGcm, 32, 16, &[12, 60, 8, 16]),
        (AeadAlgorithm::ChaCha20Poly1305, 32, 16, &[12]),
        (AeadAlgorithm::AesCcm, 16, 10, &[7, 13, 11]),
        (AeadAlgorithm::AesOcb3, 16, 16, &[12, 15, 13]),
        (AeadAlgorithm::AesSiv, 32, 16, &[0]),
    ];
    for (algorithm, key_len, tag_len, nonce_lengths) in setups {
        // OpenSSL's AES-SIV takes no empty messages (the primitive refuses them too).
        let min_len = usize::from(algorithm == AeadAlgorithm::AesSiv);
        let msgs = messages(nonce_lengths, min_len);
        let key: Vec<u8> = (0..key_len as u8).collect();
        let expected = {
            let single = b.create_aead_ctx(algorithm, &key, tag_len).unwrap();
            seal_all(&*single, tag_len, &msgs)
        };
        let shared = b.create_aead_ctx(algorithm, &key, tag_len).unwrap();
        // 4 threads (the contexts a key caches) and 8 (more than it caches: some messages run
        // on fresh copies of the keyed template).
        for threads in [4, 8] {
            std::thread::scope(|s| {
                for t in 0..threads {
                    let (shared, msgs, expected) = (&shared, &msgs, &expected);
                    s.spawn(move || {
                        for round in 0..3 {
                            // Each thread walks the messages from a different start.
                            let n = msgs.len();
                            for k in 0..n {
                                let i = (k + t * 7 + round) % n;
                                let (nonce, data, aad) = &msgs[i];
                                let mut out = vec![0; data.len() + tag_len];
                                shared.encrypt_into(nonce, data, &[aad], &mut out).unwrap();
                                assert_eq!(out, expected[i], "{algorithm:?} message {i}");
                                let mut back = vec![0; data.len()];
                                shared.decrypt_into(nonce, &out, &[aad], &mut back).unwrap();
                                assert_eq!(&back, data);
                            }
                        }
                    });
                }
            });
        }
    }
}

#[test]
fn supported_listing_and_gcm_siv_probe() {
    let b = backend();
    let listed = b.supported_aeads();
    let sizes = |a: AeadAlgorithm| {
        listed
            .iter()
            .find(|s| s.algorithm == a)
            .map(|s| s.key_sizes.clone())
    };
    assert_eq!(sizes(AeadAlgorithm::AesGcm), Some(vec![128, 192, 256]));
    assert_eq!(sizes(AeadAlgorithm::ChaCha20Poly1305), Some(vec![256]));
    assert_eq!(sizes(AeadAlgorithm::AesCcm), Some(vec![128, 192, 256]));
    assert_eq!(sizes(AeadAlgorithm::AesOcb3), Some(vec![128, 192, 256]));
    assert_eq!(sizes(AeadAlgorithm::AesSiv), Some(vec![256, 384, 512]));
    assert!(b.aead_supported(AeadAlgorithm::AesCcm, 16, 4));
    assert!(!b.aead_supported(AeadAlgorithm::AesCcm, 16, 5));
    assert!(!b.aead_supported(AeadAlgorithm::AesGcm, 16, 12));
    assert!(!b.aead_supported(AeadAlgorithm::AesGcm, 20, 16));

    // OpenSSL gained AES-GCM-SIV in 3.2; the backend probes for it. On an older libcrypto it
    // must be reported unsupported, and creating one must say so.
    let version = native(&b).openssl_version().to_owned();
    let has_gcm_siv = !(version.starts_with("OpenSSL 3.0.") || version.starts_with("OpenSSL 3.1."));
    assert_eq!(
        b.aead_supported(AeadAlgorithm::AesGcmSiv, 16, 16),
        has_gcm_siv,
        "{version}"
    );
    assert_eq!(sizes(AeadAlgorithm::AesGcmSiv).is_some(), has_gcm_siv);
    if !has_gcm_siv {
        let err = AesGcmSiv::with_backend(&[0; 16], b.clone()).unwrap_err();
        assert!(err.is_unsupported(), "{err}");
    }
}

#[test]
fn streaming_chacha20_poly1305_is_registered() {
    let v = rfc8439_2_8_2();
    let b = backend();
    assert!(b.cipher_supported(
        &ChaCha20Poly1305Incremental::new(&v.key, &v.nonce).unwrap(),
        None
    ));
    assert!(b
        .supported_ciphers()
        .iter()
        .any(|s| s.algorithm == "ChaCha20-Poly1305" && s.key_sizes == [256]));
}
