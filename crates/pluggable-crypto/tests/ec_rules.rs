//! The rules of the elliptic-curve layer, on every backend that has each curve: X9.62 point
//! decoding errors, ECDH across curves and backends, the DSS signature encodings, signing
//! and verification edge cases, `Debug` that never prints private values, and rebuilding
//! keys on another backend.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::{available_backends, default_backend, Backend};
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePrivateKey, EllipticCurvePrivateNumbers,
    EllipticCurvePublicKey, EllipticCurvePublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::utils::{
    decode_dss_signature, dss_signature_to_p1363, encode_dss_signature, p1363_to_dss_signature,
    Prehashed,
};
use pluggable_crypto::hazmat::primitives::asymmetric::{BigUint, EllipticCurve};
use pluggable_crypto::hazmat::primitives::hashes::{
    Hash, Sha256, Sha384, Sha3_256, Sha512, Shake128,
};
use pluggable_crypto::{Error, KeyRejectedKind};

fn backends() -> Vec<Arc<dyn Backend>> {
    let mut out = available_backends();
    out.push(default_backend());
    out
}

/// (backend, curve) for every backend and every curve it has; asserts the others refuse.
fn served() -> Vec<(Arc<dyn Backend>, EllipticCurve)> {
    let mut out = Vec::new();
    for backend in backends() {
        for curve in EllipticCurve::ALL {
            if backend.elliptic_curve_supported(curve) {
                out.push((backend.clone(), curve));
            } else {
                let e = ec::generate_private_key_with_backend(curve, backend.clone()).unwrap_err();
                assert!(e.is_unsupported(), "{} {curve}: {e:?}", backend.name());
            }
        }
    }
    assert!(!out.is_empty());
    out
}

/// A key on `backend` (generated, or derived from a fixed value where generation is absent).
fn key(backend: &Arc<dyn Backend>, curve: EllipticCurve) -> EllipticCurvePrivateKey {
    ec::generate_private_key_with_backend(curve, backend.clone())
        .unwrap_or_else(|e| panic!("{} {curve}: {e:?}", backend.name()))
}

/// A hash every backend signs with on `curve` (ring has one per curve).
fn sig_alg(curve: EllipticCurve) -> Ecdsa {
    if curve == EllipticCurve::Secp384r1 {
        Ecdsa::new(Sha384)
    } else {
        Ecdsa::new(Sha256)
    }
}

fn rejected_kind(e: Error) -> KeyRejectedKind {
    match e {
        Error::KeyRejected(k) => k.kind(),
        other => panic!("expected KeyRejected, got {other:?}"),
    }
}

#[test]
fn point_decoding_errors_are_key_rejections() {
    for (backend, curve) in served() {
        let name = backend.name();
        let good = key(&backend, curve).public_key().unwrap();
        let point = good.public_bytes_x962(false).unwrap();
        let comp = good.public_bytes_x962(true).unwrap();
        assert_eq!(point.len(), 1 + 2 * curve.field_bytes());
        assert_eq!(comp.len(), 1 + curve.field_bytes());
        let decode = |bytes: &[u8]| {
            EllipticCurvePublicKey::from_encoded_point_with_backend(curve, bytes, backend.clone())
        };
        // Both encodings decode to the same key.
        assert_eq!(decode(&point).unwrap(), good, "{name} {curve}");
        assert_eq!(decode(&comp).unwrap(), good, "{name} {curve}");
        let mut bad_prefix = point.clone();
        bad_prefix[0] = 0x05;
        let mut hybrid = point.clone();
        hybrid[0] = 0x06;
        let mut off_curve = point.clone();
        *off_curve.last_mut().unwrap() ^= 1;
        let mut compressed_bad_len = comp.clone();
        compressed_bad_len.push(0);
        for (what, bytes) in [
            ("empty", vec![]),
            ("identity", vec![0x00]),
            ("identity with bytes", vec![0x00; point.len()]),
            ("bad prefix", bad_prefix),
            ("hybrid", hybrid),
            ("short", point[..point.len() - 1].to_vec()),
            ("long compressed", compressed_bad_len),
            ("off the curve", off_curve),
        ] {
            let e = decode(&bytes).unwrap_err();
            let message = e.to_string();
            assert_eq!(
                rejected_kind(e),
                KeyRejectedKind::InvalidEncoding,
                "{name} {curve} {what}"
            );
            assert!(message.contains("point"), "{message}");
        }
        // A coordinate wider than the field, from numbers.
        let numbers = good.public_numbers().unwrap();
        let wide = EllipticCurvePublicNumbers::new(
            BigUint::from_be_bytes(&vec![0xff; curve.field_bytes() + 1]),
            numbers.y.clone(),
            curve,
        );
        assert!(matches!(
            wide.public_key_with_backend(backend.clone()),
            Err(Error::KeyRejected(_))
        ));
        // Every x in [0, 2^8) as a compressed point: accepted or refused, the same as on the
        // first backend with the curve, and never a panic.
        let reference = backends()
            .into_iter()
            .find(|b| b.elliptic_curve_supported(curve))
            .unwrap();
        for x in 0u8..=255 {
            let mut p = vec![0x02];
            p.extend(std::iter::repeat_n(0, curve.field_bytes() - 1));
            p.push(x);
            let ours = decode(&p).map(|k| k.public_bytes_x962(false).unwrap());
            let theirs = EllipticCurvePublicKey::from_encoded_point_with_backend(
                curve,
                &p,
                reference.clone(),
            )
            .map(|k| k.public_bytes_x962(false).unwrap());
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{name} {curve} x = {x}");
            if let (Ok(a), Ok(b)) = (ours, theirs) {
                assert_eq!(a, b);
            }
        }
    }
}

#[test]
fn private_values_out_of_range_are_refused() {
    for (backend, curve) in served() {
        let zero = ec::derive_private_key_with_backend(&BigUint::zero(), curve, backend.clone());
        assert_eq!(
            rejected_kind(zero.unwrap_err()),
            KeyRejectedKind::InvalidComponent
        );
        let too_wide = BigUint::from_be_bytes(&vec![0xff; curve.scalar_bytes() + 1]);
        let e = ec::derive_private_key_with_backend(&too_wide, curve, backend.clone()).unwrap_err();
        assert_eq!(rejected_kind(e), KeyRejectedKind::InvalidComponent);
        // All-ones of the order's width is at or above n for every curve here: refused by the
        // backend (or, on ring, derivation is not offered at all).
        let mut top = vec![0xffu8; curve.scalar_bytes()];
        if curve.key_size() % 8 != 0 {
            top[0] = (1 << (curve.key_size() % 8)) - 1;
        }
        match ec::derive_private_key_with_backend(
            &BigUint::from_be_bytes(&top),
            curve,
            backend.clone(),
        ) {
            Err(Error::KeyRejected(_)) => {}
            Err(e) if e.is_unsupported() && backend.name() == "ring" => {}
            other => panic!("{} {curve}: {other:?}", backend.name()),
        }
        // Numbers whose point is not the private value's.
        let a = key(&backend, curve).private_numbers().unwrap();
        let b = key(&backend, curve).private_numbers().unwrap();
        let mixed =
            EllipticCurvePrivateNumbers::new(a.private_value.clone(), b.public_numbers.clone());
        let e = mixed.private_key_with_backend(backend.clone()).unwrap_err();
        assert_eq!(
            rejected_kind(e),
            KeyRejectedKind::InconsistentComponents,
            "{} {curve}",
            backend.name()
        );
        assert_eq!(
            a.private_key_with_backend(backend.clone())
                .unwrap()
                .private_numbers()
                .unwrap(),
            a
        );
    }
}

#[test]
fn signatures_verify_and_malformed_ones_are_invalid() {
    for (backend, curve) in served() {
        let name = backend.name();
        let k = key(&backend, curve);
        let public = k.public_key().unwrap();
        let alg = sig_alg(curve);
        let sig = k.sign(b"data", &alg).unwrap();
        public.verify(&sig, b"data", &alg).unwrap();
        assert_eq!(
            public.verify(&sig, b"other", &alg),
            Err(Error::InvalidSignature)
        );
        // Random nonces: two signatures differ.
        assert_ne!(k.sign(b"data", &alg).unwrap(), sig);
        // Malformed: trailing byte, truncated, empty, r ‖ s instead of DER, r = 0, r = n-ish.
        let raw = dss_signature_to_p1363(&sig, curve.scalar_bytes()).unwrap();
        let mut trailing = sig.clone();
        trailing.push(0);
        let (r, s) = decode_dss_signature(&sig).unwrap();
        let wide = BigUint::from_be_bytes(&vec![0xff; curve.scalar_bytes() + 1]);
        for (what, bad) in [
            ("trailing", trailing),
            ("truncated", sig[..sig.len() - 1].to_vec()),
            ("empty", vec![]),
            ("raw r || s", raw.clone()),
            ("r = 0", encode_dss_signature(&BigUint::zero(), &s)),
            ("s = 0", encode_dss_signature(&r, &BigUint::zero())),
            ("r too wide", encode_dss_signature(&wide, &s)),
            ("s too wide", encode_dss_signature(&r, &wide)),
        ] {
            assert_eq!(
                public.verify(&bad, b"data", &alg),
                Err(Error::InvalidSignature),
                "{name} {curve} {what}"
            );
        }
        assert_eq!(p1363_to_dss_signature(&raw).unwrap(), sig);
        // A key on another curve does not verify it.
        for other in EllipticCurve::ALL {
            if other != curve && backend.elliptic_curve_supported(other) {
                let other_key = key(&backend, other).public_key().unwrap();
                let alg = sig_alg(other);
                assert!(other_key.verify(&sig, b"data", &alg).is_err());
            }
        }
    }
}

#[test]
fn prehashed_deterministic_and_large_hashes() {
    for (backend, curve) in served() {
        let name = backend.name();
        let k = key(&backend, curve);
        let public = k.public_key().unwrap();
        let mut h = Hash::new(Sha512).unwrap();
        h.update(b"data").unwrap();
        let digest = h.finalize().unwrap();
        // SHA-512 on every curve (truncated to the order's bits where it is longer).
        let msg = k.sign(b"data", &Ecdsa::new(Sha512));
        let pre = k.sign(&digest, &Ecdsa::new(Prehashed(Sha512)));
        let det = k.sign(b"data", &Ecdsa::deterministic(Sha512));
        if name == "ring" {
            // ring: one hash per curve, messages only, random nonces only.
            for r in [&msg, &pre, &det] {
                assert!(r.as_ref().unwrap_err().is_unsupported(), "{r:?}");
            }
            let e = k.sign(b"data", &Ecdsa::deterministic(Sha256)).unwrap_err();
            assert!(e.is_unsupported());
            continue;
        }
        // Deterministic signing where the backend has RFC 6979 (OpenSSL only from 3.2; the
        // default has it when any member does: a key whose member lacks it borrows a copy on
        // one that has it); elsewhere it is refused as unsupported, and the rest still holds.
        let det_served = backend.elliptic_curve_signature_algorithm_supported(
            curve,
            pluggable_crypto::hazmat::primitives::asymmetric::HashId::Sha512,
            pluggable_crypto::hazmat::primitives::asymmetric::SignatureNonce::Deterministic,
        );
        let (msg, pre) = (msg.unwrap(), pre.unwrap());
        if !det_served {
            assert!(det.unwrap_err().is_unsupported(), "{name} {curve}");
            for sig in [&msg, &pre] {
                public.verify(sig, b"data", &Ecdsa::new(Sha512)).unwrap();
            }
            continue;
        }
        let det = det.unwrap();
        for sig in [&msg, &pre, &det] {
            public.verify(sig, b"data", &Ecdsa::new(Sha512)).unwrap();
            public
                .verify(sig, &digest, &Ecdsa::new(Prehashed(Sha512)))
                .unwrap();
        }
        // Deterministic: equal inputs, equal signatures; message and digest agree.
        assert_eq!(k.sign(b"data", &Ecdsa::deterministic(Sha512)).unwrap(), det);
        assert_eq!(
            k.sign(&digest, &Ecdsa::deterministic(Prehashed(Sha512)))
                .unwrap(),
            det
        );
        // A prehashed digest of the wrong length is refused before the backend.
        let e = k
            .sign(&digest[1..], &Ecdsa::new(Prehashed(Sha512)))
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
        // SHA-3 works where the backend has it.
        let s3 = k.sign(b"data", &Ecdsa::new(Sha3_256)).unwrap();
        public.verify(&s3, b"data", &Ecdsa::new(Sha3_256)).unwrap();
    }
    // An XOF is not a signature hash, whatever the backend.
    let k = ec::generate_private_key(EllipticCurve::Secp256r1).unwrap();
    let e = k
        .sign(b"data", &Ecdsa::new(Shake128::new(32).unwrap()))
        .unwrap_err();
    assert!(e.is_unsupported());
}

#[test]
fn ecdh_across_backends_and_curve_mismatch() {
    let pairs = served();
    for (a_backend, curve) in &pairs {
        if !a_backend.elliptic_curve_exchange_supported(*curve) {
            let k = key(a_backend, *curve);
            let e = k.exchange(&Ecdh, &k.public_key().unwrap()).unwrap_err();
            assert!(e.is_unsupported(), "{} {curve}: {e:?}", a_backend.name());
            continue;
        }
        let a = key(a_backend, *curve);
        for (b_backend, b_curve) in &pairs {
            if b_curve != curve {
                continue;
            }
            let b = key(b_backend, *curve);
            let ab = a.exchange(&Ecdh, &b.public_key().unwrap()).unwrap();
            assert_eq!(ab.len(), curve.field_bytes());
            if b_backend.elliptic_curve_exchange_supported(*curve) {
                let ba = b.exchange(&Ecdh, &a.public_key().unwrap()).unwrap();
                assert_eq!(
                    ab,
                    ba,
                    "{} / {} {curve}",
                    a_backend.name(),
                    b_backend.name()
                );
            }
        }
        for (b_backend, b_curve) in &pairs {
            if b_curve != curve {
                let other = key(b_backend, *b_curve).public_key().unwrap();
                let e = a.exchange(&Ecdh, &other).unwrap_err();
                let message = e.to_string();
                assert_eq!(rejected_kind(e), KeyRejectedKind::WrongAlgorithm);
                assert!(message.contains("another curve"), "{message}");
                break;
            }
        }
    }
}

#[test]
fn dss_encodings_round_trip() {
    for (r, s) in [
        (1u64, 1u64),
        (0x7f, 0x80),
        (0xffff_ffff, 0),
        (0x0100, 0x00ff),
    ] {
        let (r, s) = (BigUint::from_u64(r), BigUint::from_u64(s));
        let der = encode_dss_signature(&r, &s);
        assert_eq!(decode_dss_signature(&der).unwrap(), (r.clone(), s.clone()));
        let raw = dss_signature_to_p1363(&der, 8).unwrap();
        assert_eq!(raw.len(), 16);
        assert_eq!(&raw[..8], &r.to_be_bytes_padded(8).unwrap()[..]);
        assert_eq!(p1363_to_dss_signature(&raw).unwrap(), der);
    }
    // Loose DER: BER lengths, negative or padded integers, extra content.
    for bad in [
        &b"\x30\x81\x06\x02\x01\x01\x02\x01\x01"[..],
        b"\x30\x06\x02\x01\xff\x02\x01\x01",
        b"\x30\x07\x02\x02\x00\x7f\x02\x01\x01",
        b"\x30\x06\x02\x01\x01\x02\x01\x01\x00",
        b"\x30\x09\x02\x01\x01\x02\x01\x01\x02\x01\x01",
        b"\x30\x03\x02\x01\x01",
        b"\x02\x01\x01",
    ] {
        assert!(
            matches!(decode_dss_signature(bad), Err(Error::InvalidArgument(_))),
            "{bad:02x?}"
        );
        assert!(dss_signature_to_p1363(bad, 32).is_err());
    }
    assert!(p1363_to_dss_signature(&[0; 33]).is_err());
    assert!(dss_signature_to_p1363(
        &encode_dss_signature(&BigUint::from_u64(1 << 16), &BigUint::zero()),
        2
    )
    .is_err());
}

#[test]
fn debug_never_prints_private_values() {
    for (backend, curve) in served() {
        let k = key(&backend, curve);
        let numbers = k.private_numbers().unwrap();
        let hex = numbers.private_value.to_hex();
        for text in [
            format!("{k:?}"),
            format!("{numbers:?}"),
            format!("{:?}", k.public_key().unwrap()),
        ] {
            assert!(!text.contains(&hex), "{text}");
            assert!(!text.contains(&hex[..16]), "{text}");
            assert!(!text.contains("bits"), "{text}");
        }
        assert!(format!("{k:?}").contains(&format!("{curve:?}")));
        assert!(format!("{k:?}").contains(k.backend_name()));
    }
}

#[test]
fn keys_move_between_backends() {
    let pairs = served();
    for (from, curve) in &pairs {
        let k = key(from, *curve);
        assert_eq!(k.curve(), *curve);
        assert_eq!(k.key_size(), curve.key_size());
        for (to, to_curve) in &pairs {
            if to_curve != curve {
                continue;
            }
            let moved = k.on_backend(to.clone()).unwrap();
            let public = k.public_key().unwrap().on_backend(to.clone()).unwrap();
            assert_eq!(
                moved.private_numbers().unwrap(),
                k.private_numbers().unwrap()
            );
            assert_eq!(public, k.public_key().unwrap());
            // The moved key's backend is a member of `to`.
            if to.name() != "multi" && !to.name().starts_with("default") {
                assert_eq!(moved.backend_name(), to.name());
                assert_eq!(public.backend_name(), to.name());
            }
            // Signed on one, verified on the other.
            let alg = sig_alg(*curve);
            if let Ok(sig) = moved.sign(b"across", &alg) {
                k.public_key()
                    .unwrap()
                    .verify(&sig, b"across", &alg)
                    .unwrap();
            }
            if let Ok(sig) = k.sign(b"across", &alg) {
                public.verify(&sig, b"across", &alg).unwrap();
            }
        }
    }
    // The default backend's helper agrees with the default backend.
    for curve in EllipticCurve::ALL {
        assert_eq!(
            ec::elliptic_curve_supported(curve),
            default_backend().elliptic_curve_supported(curve)
        );
    }
}

#[path = "support/python.rs"]
mod python;

/// Python's `cryptography` (OpenSSL underneath) as the independent implementation: it derives
/// our keys from their private values and gets our points, verifies our signatures, and its
/// signatures and ECDH secrets agree with ours.
#[test]
fn interoperates_with_python_cryptography() {
    if !python::has_cryptography() {
        return;
    }
    const SCRIPT: &str = r#"
import sys
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.backends.openssl.backend import backend
curves = {c.name: c for c in [ec.SECP224R1(), ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1(),
          ec.SECP256K1(), ec.BrainpoolP256R1(), ec.BrainpoolP384R1(), ec.BrainpoolP512R1()]}
hs = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384()}
for line in sys.stdin:
    name, h, d, x, y, sig, peer_d = line.split()
    c = curves[name]
    if not backend.elliptic_curve_supported(c):
        print("unsupported")
        continue
    k = ec.derive_private_key(int(d, 16), c)
    n = k.public_key().public_numbers()
    assert (n.x, n.y) == (int(x, 16), int(y, 16)), "point"
    k.public_key().verify(bytes.fromhex(sig), b"interop", ec.ECDSA(hs[h]))
    theirs = k.sign(b"interop", ec.ECDSA(hs[h]))
    peer = ec.derive_private_key(int(peer_d, 16), c)
    print(theirs.hex(), k.exchange(ec.ECDH(), peer.public_key()).hex())
"#;
    let mut lines = String::new();
    let mut keys = Vec::new();
    for (backend, curve) in served() {
        let k = key(&backend, curve);
        let peer = key(&backend, curve);
        let hash = if curve == EllipticCurve::Secp384r1 {
            "sha384"
        } else {
            "sha256"
        };
        let sig = k.sign(b"interop", &sig_alg(curve)).unwrap();
        let n = k.private_numbers().unwrap();
        lines.push_str(&format!(
            "{} {hash} {} {} {} {} {}\n",
            curve.name(),
            n.private_value.to_hex(),
            n.public_numbers.x.to_hex(),
            n.public_numbers.y.to_hex(),
            hex::encode(&sig),
            peer.private_numbers().unwrap().private_value.to_hex(),
        ));
        keys.push((backend, curve, k, peer));
    }
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut checked = 0;
    for ((backend, curve, k, peer), line) in keys.iter().zip(text.lines()) {
        if line == "unsupported" {
            continue;
        }
        let (sig, z) = line.split_once(' ').unwrap();
        let sig = hex::decode(sig).unwrap();
        k.public_key()
            .unwrap()
            .verify(&sig, b"interop", &sig_alg(*curve))
            .unwrap();
        if backend.elliptic_curve_exchange_supported(*curve) {
            let ours = k.exchange(&Ecdh, &peer.public_key().unwrap()).unwrap();
            assert_eq!(hex::encode(&*ours), z, "{} {curve}", backend.name());
        }
        checked += 1;
    }
    assert_eq!(text.lines().count(), keys.len());
    assert!(checked > 0);
    println!("Python interop: {checked} keys checked");
}

/// Every one-bit change of a valid signature, and every truncation, gets the same verdict on
/// every backend that verifies the curve with the hash (all of them: `InvalidSignature`, but
/// for the flips that only re-encode the same integers, which strict DER has none of).
#[test]
fn mutated_signatures_get_one_verdict_everywhere() {
    for curve in [EllipticCurve::Secp256r1, EllipticCurve::Secp384r1] {
        let alg = sig_alg(curve);
        let verifiers: Vec<_> = backends()
            .into_iter()
            .filter(|b| b.elliptic_curve_supported(curve))
            .collect();
        let signer = key(&verifiers[0], curve);
        let sig = signer.sign(b"mutate", &alg).unwrap();
        let publics: Vec<EllipticCurvePublicKey> = verifiers
            .iter()
            .map(|b| signer.public_key().unwrap().on_backend(b.clone()).unwrap())
            .collect();
        let mut variants = Vec::new();
        for i in 0..sig.len() * 8 {
            let mut v = sig.clone();
            v[i / 8] ^= 1 << (i % 8);
            variants.push(v);
        }
        for n in 0..sig.len() {
            variants.push(sig[..n].to_vec());
        }
        for v in &variants {
            let verdicts: Vec<_> = publics
                .iter()
                .map(|p| p.verify(v, b"mutate", &alg))
                .collect();
            assert!(
                verdicts.iter().all(|r| *r == verdicts[0]),
                "{curve}: {verdicts:?}"
            );
            assert_eq!(verdicts[0], Err(Error::InvalidSignature));
        }
        for p in &publics {
            p.verify(&sig, b"mutate", &alg).unwrap();
        }
    }
}
