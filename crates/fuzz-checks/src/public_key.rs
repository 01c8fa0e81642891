//! Targets 5 to 8: public keys.
//!
//! Every case runs on every path (each backend, then the multi-backend). A path that refuses
//! the operation as `UnsupportedAlgorithm` (ring without RSA decryption or DSA, a curve a
//! backend lacks) drops out; every other path must give the same verdict: the same bytes, or an
//! error of the same kind (for `KeyRejected`, the same [`KeyRejectedKind`]).
//!
//! - [`signature_verify`]: RSA (PKCS #1 v1.5 and PSS), ECDSA on every curve, Ed25519, Ed448
//!   and DSA verification of arbitrary signatures and data under arbitrary key bytes or a fixed
//!   key. With the fixed key, the real signature must verify and any one-bit change of it must
//!   be `InvalidSignature`.
//! - [`point_decoding`]: SEC 1 point decoding on every curve, from arbitrary bytes or a
//!   valid point changed; an accepted point re-encodes to the input (in its own form) and
//!   round-trips in the other, and its ECDH secret with a fixed key agrees.
//! - [`rsa_decrypt`]: PKCS #1 v1.5 and OAEP decryption under fixed keys of ciphertexts that
//!   are arbitrary, real (then changed), or the raw encryption of an arbitrary padded block.
//!   Valid ciphertexts give the message back; a raw block decodes as an independent reference
//!   decoder says (OAEP, and PKCS #1 v1.5 when its padding is good); PKCS #1 v1.5 never fails
//!   on a ciphertext of the right length below n (implicit rejection).
//! - [`raw_key_loading`]: Ed25519, Ed448, X25519 and X448 raw keys of any length; EC private
//!   scalars and coordinates; RSA, DSA and DH numbers arbitrary or a fixed key's with one
//!   component replaced. Accepted keys give back their input and agree on their public half,
//!   and X25519/X448 secrets with an arbitrary peer agree.

use std::fmt::Debug;
use std::sync::OnceLock;

use arbitrary::{Result as ArbResult, Unstructured};
use crypto_bigint::{BoxedUint, Odd};
use pluggable_crypto::hazmat::primitives::asymmetric::dh::{
    DhParameterNumbers, DhPrivateNumbers, DhPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::dsa::DsaPrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::dsa::{
    DsaParameterNumbers, DsaPrivateNumbers, DsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ec::EllipticCurvePrivateKey;
use pluggable_crypto::hazmat::primitives::asymmetric::ec::{
    self, Ecdh, Ecdsa, EllipticCurvePrivateNumbers, EllipticCurvePublicKey,
    EllipticCurvePublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed25519::{
    Ed25519PrivateKey, Ed25519PublicKey,
};
use pluggable_crypto::hazmat::primitives::asymmetric::ed448::{Ed448PrivateKey, Ed448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::padding::{
    EncryptionPadding, Mgf1, Oaep, Pkcs1v15, Pss, PssSaltLength, SignaturePadding,
};
use pluggable_crypto::hazmat::primitives::asymmetric::rsa::{
    RsaPrivateKey, RsaPrivateNumbers, RsaPublicNumbers,
};
use pluggable_crypto::hazmat::primitives::asymmetric::x25519::{X25519PrivateKey, X25519PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::x448::{X448PrivateKey, X448PublicKey};
use pluggable_crypto::hazmat::primitives::asymmetric::{
    BigUint, EllipticCurve, Prehashed, SignatureHash,
};
use pluggable_crypto::hazmat::primitives::hashes::{
    Hash, Sha1, Sha224, Sha256, Sha384, Sha3_256, Sha512,
};
use pluggable_crypto::{Error, Result};

use crate::paths::{hex, paths};

// ---------------------------------------------------------------------------------------------
// Verdicts

/// What a result is compared by: the value, or the error's kind (with the reason of an
/// `UnsupportedAlgorithm` and the kind of a `KeyRejected`).
#[derive(Debug, PartialEq)]
pub(crate) enum Verdict<T> {
    Value(T),
    Error(String),
}

fn error_kind(e: &Error) -> String {
    match e {
        Error::UnsupportedAlgorithm { reason, .. } => format!("UnsupportedAlgorithm({reason:?})"),
        Error::KeyRejected(k) => format!("KeyRejected({:?})", k.kind()),
        Error::InvalidArgument(_) => "InvalidArgument".to_owned(),
        Error::Backend(m) => format!("Backend({m})"),
        other => format!("{other:?}"),
    }
}

/// The verdict of every path that serves the operation (`None` for one that refuses it as
/// unsupported), after checking that they agree.
pub(crate) fn agree<T: PartialEq + Debug>(
    what: &str,
    results: Vec<(String, Result<T>)>,
) -> Option<Verdict<T>> {
    let mut first: Option<(String, Verdict<T>)> = None;
    for (name, result) in results {
        let verdict = match result {
            Err(e) if e.is_unsupported() => continue,
            Err(Error::Backend(m)) => panic!("{what}: {name} failed inside its library: {m}"),
            Err(e) => Verdict::Error(error_kind(&e)),
            Ok(v) => Verdict::Value(v),
        };
        match &first {
            None => first = Some((name, verdict)),
            Some((first_name, expected)) => assert_eq!(
                &verdict, expected,
                "{what}: {name} and {first_name} disagree"
            ),
        }
    }
    first.map(|(_, v)| v)
}

/// Runs `f` on every path.
fn on_paths<T>(f: impl Fn(&crate::paths::Path) -> Result<T>) -> Vec<(String, Result<T>)> {
    paths().iter().map(|p| (p.name.clone(), f(p))).collect()
}

fn int(bytes: &[u8]) -> BigUint {
    BigUint::from_be_bytes(bytes)
}

/// Up to `max` bytes, possibly empty.
fn some_bytes(u: &mut Unstructured<'_>, max: usize) -> ArbResult<Vec<u8>> {
    let len = u.int_in_range(0..=max)?;
    Ok(u.bytes(len.min(u.len()))?.to_vec())
}

/// Flips bit `bit` (taken modulo the length) of a non-empty `bytes`.
fn flip(bytes: &mut [u8], bit: usize) {
    if !bytes.is_empty() {
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
    }
}

// ---------------------------------------------------------------------------------------------
// Hashes

#[derive(Debug, Clone, Copy)]
enum HashChoice {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
}

impl HashChoice {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<HashChoice> {
        Ok(match u.int_in_range(0u8..=7)? {
            0 => HashChoice::Sha1,
            1 => HashChoice::Sha224,
            2 | 3 => HashChoice::Sha256,
            4 => HashChoice::Sha384,
            5 | 6 => HashChoice::Sha512,
            _ => HashChoice::Sha3_256,
        })
    }

    fn algorithm(self) -> Box<dyn Fn() -> SignatureHash> {
        match self {
            HashChoice::Sha1 => Box::new(|| Sha1.into()),
            HashChoice::Sha224 => Box::new(|| Sha224.into()),
            HashChoice::Sha256 => Box::new(|| Sha256.into()),
            HashChoice::Sha384 => Box::new(|| Sha384.into()),
            HashChoice::Sha512 => Box::new(|| Sha512.into()),
            HashChoice::Sha3_256 => Box::new(|| Sha3_256.into()),
        }
    }

    fn signature_hash(self, prehashed: bool) -> SignatureHash {
        if !prehashed {
            return (self.algorithm())();
        }
        match self {
            HashChoice::Sha1 => Prehashed(Sha1).into(),
            HashChoice::Sha224 => Prehashed(Sha224).into(),
            HashChoice::Sha256 => Prehashed(Sha256).into(),
            HashChoice::Sha384 => Prehashed(Sha384).into(),
            HashChoice::Sha512 => Prehashed(Sha512).into(),
            HashChoice::Sha3_256 => Prehashed(Sha3_256).into(),
        }
    }

    fn mgf1(self) -> Mgf1 {
        match self {
            HashChoice::Sha1 => Mgf1::new(Sha1),
            HashChoice::Sha224 => Mgf1::new(Sha224),
            HashChoice::Sha256 => Mgf1::new(Sha256),
            HashChoice::Sha384 => Mgf1::new(Sha384),
            HashChoice::Sha512 => Mgf1::new(Sha512),
            HashChoice::Sha3_256 => Mgf1::new(Sha3_256),
        }
    }

    fn oaep(self, mgf: HashChoice, label: Option<&[u8]>) -> Oaep {
        let mgf = mgf.mgf1();
        match self {
            HashChoice::Sha1 => Oaep::new(mgf, Sha1, label),
            HashChoice::Sha224 => Oaep::new(mgf, Sha224, label),
            HashChoice::Sha256 => Oaep::new(mgf, Sha256, label),
            HashChoice::Sha384 => Oaep::new(mgf, Sha384, label),
            HashChoice::Sha512 => Oaep::new(mgf, Sha512, label),
            HashChoice::Sha3_256 => Oaep::new(mgf, Sha3_256, label),
        }
    }

    /// The digest of `parts`' concatenation (for the reference decoders).
    fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        let algorithm = (self.algorithm())();
        let mut hash = match self {
            HashChoice::Sha1 => Hash::new(Sha1),
            HashChoice::Sha224 => Hash::new(Sha224),
            HashChoice::Sha256 => Hash::new(Sha256),
            HashChoice::Sha384 => Hash::new(Sha384),
            HashChoice::Sha512 => Hash::new(Sha512),
            HashChoice::Sha3_256 => Hash::new(Sha3_256),
        }
        .expect("every hash is served by the default backend");
        for part in parts {
            hash.update(part).expect("hash update");
        }
        let out = hash.finalize().expect("hash finalize");
        assert_eq!(out.len(), algorithm.algorithm().digest_size());
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed keys (public test-vector keys, so that a corpus file means the same thing every run)

/// An RSA key from the PKCS #1 v2.1 test vectors (`oaep-vect.txt`).
struct RsaFixture {
    numbers: RsaPrivateNumbers,
    n: Vec<u8>,
    e: Vec<u8>,
}

/// Example 1 (1024 bits) and example 10 (2048 bits) of `oaep-vect.txt`.
fn rsa_fixtures() -> &'static [RsaFixture] {
    static KEYS: OnceLock<Vec<RsaFixture>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keys = test_vectors::load_pkcs1("asymmetric/RSA/pkcs-1v2-1d2-vec/oaep-vect.txt")
            .expect("the PKCS #1 OAEP vectors");
        [0, keys.len() - 1]
            .into_iter()
            .map(|i| {
                let k = &keys[i];
                let numbers = RsaPrivateNumbers::new(
                    int(&k.p),
                    int(&k.q),
                    int(&k.d),
                    int(&k.dmp1),
                    int(&k.dmq1),
                    int(&k.iqmp),
                    RsaPublicNumbers::new(int(&k.e), int(&k.n)),
                );
                RsaFixture {
                    numbers,
                    n: k.n.clone(),
                    e: k.e.clone(),
                }
            })
            .collect()
    })
}

impl RsaFixture {
    fn k(&self) -> usize {
        self.n.len()
    }

    /// `m^e mod n` for a block `m` of `k` bytes: the raw public operation, so that a case can
    /// choose the block the private operation will see.
    fn raw_encrypt(&self, block: &[u8]) -> Vec<u8> {
        let bits = u32::try_from(self.k() * 8).expect("small");
        let n = BoxedUint::from_be_slice_truncated(&self.n, bits);
        let n = Option::<Odd<BoxedUint>>::from(Odd::new(n)).expect("odd modulus");
        let m = BoxedUint::from_be_slice_truncated(block, bits);
        let e = BoxedUint::from_be_slice_truncated(&self.e, bits);
        let c = m.pow_mod(&e, &n).to_be_bytes().to_vec();
        let mut out = vec![0u8; self.k()];
        let take = c.len().min(self.k());
        out[self.k() - take..].copy_from_slice(&c[c.len() - take..]);
        out
    }
}

/// A DSA key (and its domain, reused as DH parameters) from the FIPS 186-3 `KeyPair.rsp`: the
/// first key of L = 1024, N = 160 and of L = 2048, N = 256.
struct DsaFixture {
    p: Vec<u8>,
    q: Vec<u8>,
    g: Vec<u8>,
    x: Vec<u8>,
    y: Vec<u8>,
}

fn dsa_fixtures() -> &'static [DsaFixture] {
    static KEYS: OnceLock<Vec<DsaFixture>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let cases = test_vectors::ffc::load_with_domain(
            "asymmetric/DSA/FIPS_186-3/KeyPair.rsp",
            &["P", "Q", "G"],
        )
        .expect("the DSA key-pair vectors");
        let mut out: Vec<DsaFixture> = Vec::new();
        for case in cases {
            let get = |name: &str| case.hex(name).expect("a DSA component");
            let fixture = DsaFixture {
                p: get("P"),
                q: get("Q"),
                g: get("G"),
                x: get("X"),
                y: get("Y"),
            };
            let wanted = matches!((fixture.p.len(), fixture.q.len()), (128, 20) | (256, 32));
            if wanted
                && !out
                    .iter()
                    .any(|f| f.p.len() == fixture.p.len() && f.q.len() == fixture.q.len())
            {
                out.push(fixture);
            }
        }
        assert_eq!(out.len(), 2, "both DSA domains are in KeyPair.rsp");
        out
    })
}

impl DsaFixture {
    /// (p, q, g, x, y) with the component `replace` picks changed as [`replaced`] says.
    fn changed(&self, replace: u8, bytes: &[u8]) -> [BigUint; 5] {
        let mut parts = [&self.p, &self.q, &self.g, &self.x, &self.y].map(|v| v.clone());
        let which = usize::from(replace & 0x07) % 5;
        parts[which] = replaced(&parts[which], replace, bytes);
        parts.map(|v| int(&v))
    }

    fn parameter_numbers(&self) -> DsaParameterNumbers {
        DsaParameterNumbers::new(int(&self.p), int(&self.q), int(&self.g))
    }

    fn private_numbers(&self) -> DsaPrivateNumbers {
        DsaPrivateNumbers::new(
            int(&self.x),
            DsaPublicNumbers::new(int(&self.y), self.parameter_numbers()),
        )
    }
}

/// The fixed EC private scalar of every curve: small enough for all of them, and not special.
const EC_SCALAR: &[u8] = b"\x5e\xed\x0f\x0f\x0f\x1c\x0f\xfe\xe5\xe5\x1c\x0d\xe5\xd1\x5c\x05";
/// The fixed Ed25519/X25519 private key (32 bytes) and Ed448 (57) / X448 (56) seeds.
const SEED_32: &[u8; 32] = b"fuzz-public-key-fixed-seed-32-by";
const SEED_57: &[u8; 57] = b"fuzz-public-key-fixed-seed-for-ed448-of-57-bytes-exactly!";

/// The fixed keys on one path, built once per process (`None`: the path refuses the key type
/// as unsupported).
struct FixedKeys {
    rsa: Vec<Option<RsaPrivateKey>>,
    dsa: Vec<Option<DsaPrivateKey>>,
    ec: Vec<(EllipticCurve, Option<EllipticCurvePrivateKey>)>,
    ed25519: Option<Ed25519PrivateKey>,
    ed448: Option<Ed448PrivateKey>,
}

/// `Some` for a key, `None` for an unsupported key type; any other failure to build a fixed
/// key is a bug.
fn usable<T>(what: &str, path: &str, result: Result<T>) -> Option<T> {
    match result {
        Ok(key) => Some(key),
        Err(e) if e.is_unsupported() => None,
        Err(e) => panic!("the fixed {what} key does not load on {path}: {e}"),
    }
}

fn unsupported_fixture() -> Error {
    Error::UnsupportedAlgorithm {
        reason: pluggable_crypto::Reason::UnsupportedPublicKeyAlgorithm,
        message: "this path has no such key".to_owned(),
    }
}

impl FixedKeys {
    fn build(path: &crate::paths::Path) -> FixedKeys {
        let b = || path.backend.clone();
        let name = &path.name;
        FixedKeys {
            rsa: rsa_fixtures()
                .iter()
                .map(|f| usable("RSA", name, f.numbers.private_key_with_backend(b())))
                .collect(),
            dsa: dsa_fixtures()
                .iter()
                .map(|f| {
                    usable(
                        "DSA",
                        name,
                        f.private_numbers().private_key_with_backend(b()),
                    )
                })
                .collect(),
            ec: EllipticCurve::ALL
                .iter()
                .map(|&curve| {
                    let key = ec::derive_private_key_with_backend(&int(EC_SCALAR), curve, b());
                    (curve, usable("EC", name, key))
                })
                .collect(),
            ed25519: usable(
                "Ed25519",
                name,
                Ed25519PrivateKey::from_private_bytes_with_backend(SEED_32, b()),
            ),
            ed448: usable(
                "Ed448",
                name,
                Ed448PrivateKey::from_private_bytes_with_backend(SEED_57, b()),
            ),
        }
    }

    fn rsa(&self, fixture: usize) -> Result<RsaPrivateKey> {
        self.rsa[fixture].clone().ok_or_else(unsupported_fixture)
    }

    fn dsa(&self, fixture: usize) -> Result<DsaPrivateKey> {
        self.dsa[fixture].clone().ok_or_else(unsupported_fixture)
    }

    fn ec(&self, curve: EllipticCurve) -> Result<EllipticCurvePrivateKey> {
        self.ec
            .iter()
            .find(|(c, _)| *c == curve)
            .and_then(|(_, k)| k.clone())
            .ok_or_else(unsupported_fixture)
    }

    fn ed25519(&self) -> Result<Ed25519PrivateKey> {
        self.ed25519.clone().ok_or_else(unsupported_fixture)
    }

    fn ed448(&self) -> Result<Ed448PrivateKey> {
        self.ed448.clone().ok_or_else(unsupported_fixture)
    }
}

/// The fixed keys of `path` (one of [`paths`]).
fn fixed_keys(path: &crate::paths::Path) -> &'static FixedKeys {
    static KEYS: OnceLock<Vec<FixedKeys>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| paths().iter().map(FixedKeys::build).collect());
    let index = paths()
        .iter()
        .position(|p| std::ptr::eq(p, path))
        .expect("a path of paths()");
    &keys[index]
}

// ---------------------------------------------------------------------------------------------
// Target 5: signature verification

#[derive(Debug, Clone, Copy)]
enum SignatureFamily {
    Rsa {
        fixture: usize,
        pss: Option<PssSaltLength>,
        mgf: HashChoice,
    },
    Ecdsa(EllipticCurve),
    Ed25519,
    Ed448,
    Dsa {
        fixture: usize,
    },
}

#[derive(Debug, Clone)]
enum KeySource {
    /// The fixed key's public half.
    Fixed,
    /// Arbitrary key bytes: (n, e) for RSA, a point for ECDSA, raw bytes for EdDSA, y (with the
    /// fixed domain) for DSA.
    Bytes(Vec<u8>, Vec<u8>),
}

#[derive(Debug, Clone)]
enum SignatureSource {
    Bytes(Vec<u8>),
    /// The fixed key's real signature over the data.
    Real,
    /// The real signature with one bit flipped.
    Flipped(usize),
    /// The real signature, cut or extended.
    Resized(usize, u8),
}

#[derive(Debug)]
struct VerifyCase {
    family: SignatureFamily,
    hash: HashChoice,
    prehashed: bool,
    key: KeySource,
    signature: SignatureSource,
    data: Vec<u8>,
}

impl VerifyCase {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<VerifyCase> {
        let family = match u.int_in_range(0u8..=5)? {
            0 => SignatureFamily::Rsa {
                fixture: usize::from(u.int_in_range(0u8..=1)?),
                pss: match u.int_in_range(0u8..=5)? {
                    0 | 1 => None,
                    2 => Some(PssSaltLength::DigestLength),
                    3 => Some(PssSaltLength::Max),
                    4 => Some(PssSaltLength::Auto),
                    _ => Some(PssSaltLength::Exact(u.int_in_range(0..=300)?)),
                },
                mgf: HashChoice::decode(u)?,
            },
            1 | 2 => SignatureFamily::Ecdsa(*u.choose(&EllipticCurve::ALL)?),
            3 => SignatureFamily::Ed25519,
            4 => SignatureFamily::Ed448,
            _ => SignatureFamily::Dsa {
                fixture: usize::from(u.int_in_range(0u8..=1)?),
            },
        };
        let hash = HashChoice::decode(u)?;
        let prehashed = u.ratio(1u8, 8)?;
        let key = if u.ratio(3u8, 4)? {
            KeySource::Fixed
        } else {
            KeySource::Bytes(some_bytes(u, 520)?, some_bytes(u, 8)?)
        };
        let signature = match u.int_in_range(0u8..=5)? {
            0 | 1 => SignatureSource::Real,
            2 | 3 => SignatureSource::Flipped(u.arbitrary()?),
            4 => SignatureSource::Resized(u.int_in_range(0..=600)?, u.arbitrary()?),
            _ => SignatureSource::Bytes(some_bytes(u, 600)?),
        };
        let mut data = u.bytes(u.len())?.to_vec();
        data.truncate(1024);
        Ok(VerifyCase {
            family,
            hash,
            prehashed,
            key,
            signature,
            data,
        })
    }

    fn rsa_padding(&self) -> SignaturePadding {
        match self.family {
            SignatureFamily::Rsa {
                pss: Some(salt),
                mgf,
                ..
            } => Pss::new(mgf.mgf1(), salt).into(),
            _ => Pkcs1v15.into(),
        }
    }

    /// The fixed key's signature over the data, from the first path that makes one.
    fn real_signature(&self) -> Option<Vec<u8>> {
        let hash = || self.hash.signature_hash(self.prehashed);
        paths().iter().find_map(|p| {
            let fixed = fixed_keys(p);
            let signed = match self.family {
                SignatureFamily::Rsa { fixture, .. } => fixed
                    .rsa(fixture)
                    .and_then(|k| k.sign(&self.data, self.rsa_padding(), hash())),
                SignatureFamily::Ecdsa(curve) => fixed
                    .ec(curve)
                    .and_then(|k| k.sign(&self.data, &Ecdsa::new(hash()))),
                SignatureFamily::Ed25519 => fixed.ed25519().and_then(|k| k.sign(&self.data)),
                SignatureFamily::Ed448 => fixed.ed448().and_then(|k| k.sign(&self.data)),
                SignatureFamily::Dsa { fixture } => {
                    fixed.dsa(fixture).and_then(|k| k.sign(&self.data, hash()))
                }
            };
            signed.ok()
        })
    }

    /// Loads the key and verifies `signature` on one path.
    fn verify(&self, path: &crate::paths::Path, signature: &[u8]) -> Result<()> {
        let b = path.backend.clone();
        let hash = || self.hash.signature_hash(self.prehashed);
        let fixed = matches!(self.key, KeySource::Fixed);
        let (key_bytes, extra) = match &self.key {
            KeySource::Fixed => (&[][..], &[][..]),
            KeySource::Bytes(a, e) => (&a[..], &e[..]),
        };
        match self.family {
            SignatureFamily::Rsa { fixture, .. } => {
                let numbers = if fixed {
                    rsa_fixtures()[fixture].numbers.public_numbers.clone()
                } else {
                    RsaPublicNumbers::new(int(extra), int(key_bytes))
                };
                numbers.public_key_with_backend(b)?.verify(
                    signature,
                    &self.data,
                    self.rsa_padding(),
                    hash(),
                )
            }
            SignatureFamily::Ecdsa(curve) => {
                let key = if fixed {
                    fixed_keys(path).ec(curve)?.public_key()?
                } else {
                    EllipticCurvePublicKey::from_encoded_point_with_backend(curve, key_bytes, b)?
                };
                key.verify(signature, &self.data, &Ecdsa::new(hash()))
            }
            SignatureFamily::Ed25519 => {
                let key = if fixed {
                    fixed_keys(path).ed25519()?.public_key()?
                } else {
                    Ed25519PublicKey::from_public_bytes_with_backend(key_bytes, b)?
                };
                key.verify(signature, &self.data)
            }
            SignatureFamily::Ed448 => {
                let key = if fixed {
                    fixed_keys(path).ed448()?.public_key()?
                } else {
                    Ed448PublicKey::from_public_bytes_with_backend(key_bytes, b)?
                };
                key.verify(signature, &self.data)
            }
            SignatureFamily::Dsa { fixture } => {
                let f = &dsa_fixtures()[fixture];
                let y = if fixed { int(&f.y) } else { int(key_bytes) };
                DsaPublicNumbers::new(y, f.parameter_numbers())
                    .public_key_with_backend(b)?
                    .verify(signature, &self.data, hash())
            }
        }
    }
}

/// Target 5: signature verification on every path (see the module docs).
pub fn signature_verify(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(case) = VerifyCase::decode(&mut u) else {
        return;
    };
    let real = match case.signature {
        SignatureSource::Bytes(_) => None,
        _ => case.real_signature(),
    };
    let (signature, expect) = match (&case.signature, &real) {
        (SignatureSource::Bytes(bytes), _) => (bytes.clone(), None),
        (_, None) => (Vec::new(), None),
        (SignatureSource::Real, Some(real)) => (real.clone(), Some(true)),
        (SignatureSource::Flipped(bit), Some(real)) => {
            let mut s = real.clone();
            flip(&mut s, *bit);
            (s, Some(false))
        }
        (SignatureSource::Resized(len, fill), Some(real)) => {
            let mut s = real.clone();
            s.resize(*len, *fill);
            let changed = s != *real;
            (s, changed.then_some(false))
        }
    };
    let what = format!("verify {case:?} signature {}", hex(&signature));
    let verdict = agree(&what, on_paths(|p| case.verify(p, &signature)));
    if let (Some(verdict), Some(valid), KeySource::Fixed) = (verdict, expect, &case.key) {
        if valid {
            assert_eq!(verdict, Verdict::Value(()), "{what}: the real signature");
        } else {
            assert_eq!(
                verdict,
                Verdict::Error("InvalidSignature".to_owned()),
                "{what}: a changed signature"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Target 6: point decoding

#[derive(Debug)]
enum PointSource {
    Bytes(Vec<u8>),
    /// The fixed key's point (compressed or not), with a change: a bit flipped, the prefix
    /// replaced, or cut to a length.
    Valid {
        compressed: bool,
        flip: Option<usize>,
        prefix: Option<u8>,
        len: Option<usize>,
    },
    /// Public numbers (x, y).
    Coordinates(Vec<u8>, Vec<u8>),
}

/// The public point in both encodings.
type Decoded = (Vec<u8>, Vec<u8>);

fn decode_point(
    path: &crate::paths::Path,
    curve: EllipticCurve,
    source: &PointSource,
    encoded: &[u8],
) -> Result<Decoded> {
    let b = path.backend.clone();
    let key = match source {
        PointSource::Coordinates(x, y) => EllipticCurvePublicNumbers::new(int(x), int(y), curve)
            .public_key_with_backend(b.clone())?,
        _ => EllipticCurvePublicKey::from_encoded_point_with_backend(curve, encoded, b.clone())?,
    };
    let uncompressed = key.public_bytes_x962(false)?;
    let compressed = key.public_bytes_x962(true)?;
    // Both encodings decode again, to the same point.
    for form in [&uncompressed, &compressed] {
        let again = EllipticCurvePublicKey::from_encoded_point_with_backend(curve, form, b.clone())
            .unwrap_or_else(|e| panic!("{}: re-decoding {} fails: {e}", path.name, hex(form)));
        assert_eq!(
            again.public_bytes_x962(false)?,
            uncompressed,
            "{}: round trip",
            path.name
        );
    }
    let numbers = key.public_numbers()?;
    assert_eq!(
        numbers.encoded_point()?,
        uncompressed,
        "{}: numbers",
        path.name
    );
    Ok((uncompressed, compressed))
}

/// The ECDH secret of the fixed key with the decoded point (a backend that cannot hold the
/// fixed key, such as ring, refuses it as unsupported and drops out).
fn point_secret(
    path: &crate::paths::Path,
    curve: EllipticCurve,
    source: &PointSource,
    encoded: &[u8],
) -> Result<Vec<u8>> {
    let b = path.backend.clone();
    let key = match source {
        PointSource::Coordinates(x, y) => EllipticCurvePublicNumbers::new(int(x), int(y), curve)
            .public_key_with_backend(b.clone())?,
        _ => EllipticCurvePublicKey::from_encoded_point_with_backend(curve, encoded, b.clone())?,
    };
    let private = fixed_keys(path).ec(curve)?;
    Ok(private.exchange(&Ecdh, &key)?.to_vec())
}

/// Target 6: point decoding on every path (see the module docs).
pub fn point_decoding(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok((curve, source)) = (|| -> ArbResult<(EllipticCurve, PointSource)> {
        let curve = *u.choose(&EllipticCurve::ALL)?;
        let source = match u.int_in_range(0u8..=3)? {
            0 => PointSource::Bytes(some_bytes(&mut u, 140)?),
            1 => PointSource::Coordinates(some_bytes(&mut u, 70)?, some_bytes(&mut u, 70)?),
            _ => PointSource::Valid {
                compressed: u.arbitrary()?,
                flip: if u.arbitrary()? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                prefix: if u.ratio(1u8, 4)? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
                len: if u.ratio(1u8, 4)? {
                    Some(u.int_in_range(0..=140)?)
                } else {
                    None
                },
            },
        };
        Ok((curve, source))
    })() else {
        return;
    };
    let encoded = match &source {
        PointSource::Bytes(bytes) => bytes.clone(),
        PointSource::Coordinates(..) => Vec::new(),
        PointSource::Valid {
            compressed,
            flip: bit,
            prefix,
            len,
        } => {
            let Some(mut point) = paths().iter().find_map(|p| {
                fixed_keys(p)
                    .ec(curve)
                    .and_then(|k| k.public_key())
                    .and_then(|k| k.public_bytes_x962(*compressed))
                    .ok()
            }) else {
                return;
            };
            if let Some(bit) = bit {
                flip(&mut point, *bit);
            }
            if let (Some(prefix), Some(first)) = (prefix, point.first_mut()) {
                *first = *prefix;
            }
            if let Some(len) = len {
                point.resize(*len, 0);
            }
            point
        }
    };
    let what = format!("{curve:?} point {source:?} ({})", hex(&encoded));
    let verdict = agree(
        &what,
        on_paths(|p| decode_point(p, curve, &source, &encoded)),
    );
    agree(
        &format!("ECDH with {what}"),
        on_paths(|p| point_secret(p, curve, &source, &encoded)),
    );
    if let (Some(Verdict::Value((uncompressed, compressed))), false) =
        (verdict, matches!(source, PointSource::Coordinates(..)))
    {
        let own_form = if encoded.first() == Some(&0x04) {
            &uncompressed
        } else {
            &compressed
        };
        assert_eq!(
            own_form, &encoded,
            "{what}: an accepted point re-encodes to its input"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Target 7: RSA decryption

#[derive(Debug)]
enum CiphertextSource {
    Bytes(Vec<u8>),
    /// A real encryption of the message, possibly with one bit flipped.
    Real {
        message: Vec<u8>,
        flip: Option<usize>,
    },
    /// The raw encryption of a chosen `k`-byte block (its first byte forced below n's).
    Block(Vec<u8>),
}

#[derive(Debug)]
struct DecryptCase {
    fixture: usize,
    oaep: Option<(HashChoice, HashChoice, Option<Vec<u8>>)>,
    source: CiphertextSource,
}

impl DecryptCase {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<DecryptCase> {
        let fixture = usize::from(u.int_in_range(0u8..=1)?);
        let oaep = if u.arbitrary()? {
            let label = if u.arbitrary()? {
                Some(some_bytes(u, 40)?)
            } else {
                None
            };
            Some((HashChoice::decode(u)?, HashChoice::decode(u)?, label))
        } else {
            None
        };
        let k = rsa_fixtures()[fixture].k();
        let source = match u.int_in_range(0u8..=4)? {
            0 => {
                let len = if u.arbitrary()? {
                    k
                } else {
                    u.int_in_range(0..=k + 2)?
                };
                let mut bytes = u.bytes(len.min(u.len()))?.to_vec();
                bytes.resize(len, 0);
                CiphertextSource::Bytes(bytes)
            }
            1 | 2 => CiphertextSource::Real {
                message: some_bytes(u, k)?,
                flip: if u.arbitrary()? {
                    Some(u.arbitrary()?)
                } else {
                    None
                },
            },
            _ => {
                // Steer toward the interesting blocks: 00 02 ... for PKCS #1 v1.5, 00 ... for
                // OAEP.
                let mut block = u.bytes(k.min(u.len()))?.to_vec();
                block.resize(k, 0);
                block[0] = 0;
                if oaep.is_none() && u.ratio(3u8, 4)? {
                    block[1] = 2;
                }
                CiphertextSource::Block(block)
            }
        };
        Ok(DecryptCase {
            fixture,
            oaep,
            source,
        })
    }

    fn padding(&self) -> EncryptionPadding {
        match &self.oaep {
            Some((hash, mgf, label)) => hash.oaep(*mgf, label.as_deref()).into(),
            None => Pkcs1v15.into(),
        }
    }
}

/// RFC 8017 section 7.1.2's decoding, written plainly (no constant-time care) as the
/// reference for the library's constant-time decoder.
fn reference_oaep(
    block: &[u8],
    hash: HashChoice,
    mgf: HashChoice,
    label: &[u8],
) -> Option<Vec<u8>> {
    let mgf1 = |seed: &[u8], len: usize| {
        let mut out = Vec::new();
        let mut counter = 0u32;
        while out.len() < len {
            out.extend(mgf.digest(&[seed, &counter.to_be_bytes()]));
            counter += 1;
        }
        out.truncate(len);
        out
    };
    let l_hash = hash.digest(&[label]);
    let h = l_hash.len();
    if block.len() < 2 * h + 2 || block[0] != 0 {
        return None;
    }
    let (masked_seed, masked_db) = block[1..].split_at(h);
    let seed: Vec<u8> = masked_seed
        .iter()
        .zip(mgf1(masked_db, h))
        .map(|(a, b)| a ^ b)
        .collect();
    let db: Vec<u8> = masked_db
        .iter()
        .zip(mgf1(&seed, masked_db.len()))
        .map(|(a, b)| a ^ b)
        .collect();
    if db[..h] != l_hash[..] {
        return None;
    }
    let rest = &db[h..];
    let one = rest.iter().position(|&b| b != 0)?;
    (rest[one] == 1).then(|| rest[one + 1..].to_vec())
}

/// The message of a well-padded PKCS #1 v1.5 block (`00 02 PS 00 M`, PS at least 8 nonzero
/// bytes), or `None`.
fn reference_pkcs1v15(block: &[u8]) -> Option<Vec<u8>> {
    if block.len() < 11 || block[0] != 0 || block[1] != 2 {
        return None;
    }
    let zero = block[2..].iter().position(|&b| b == 0)? + 2;
    (zero >= 10).then(|| block[zero + 1..].to_vec())
}

/// Target 7: RSA decryption on every path (see the module docs).
pub fn rsa_decrypt(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(case) = DecryptCase::decode(&mut u) else {
        return;
    };
    let fixture = &rsa_fixtures()[case.fixture];
    let (ciphertext, expected): (Vec<u8>, Option<Option<Vec<u8>>>) = match &case.source {
        CiphertextSource::Bytes(bytes) => (bytes.clone(), None),
        CiphertextSource::Real { message, flip: bit } => {
            let Some(c) = paths().iter().find_map(|p| {
                fixture
                    .numbers
                    .public_numbers
                    .public_key_with_backend(p.backend.clone())
                    .and_then(|k| k.encrypt(message, case.padding()))
                    .ok()
            }) else {
                return;
            };
            match bit {
                None => (c, Some(Some(message.clone()))),
                Some(bit) => {
                    let mut c = c;
                    flip(&mut c, *bit);
                    // A changed OAEP ciphertext fails; a changed PKCS #1 v1.5 one gives a
                    // synthetic message (checked for agreement only).
                    (c, case.oaep.as_ref().map(|_| None))
                }
            }
        }
        CiphertextSource::Block(block) => {
            let reference = match &case.oaep {
                Some((hash, mgf, label)) => Some(reference_oaep(
                    block,
                    *hash,
                    *mgf,
                    label.as_deref().unwrap_or_default(),
                )),
                None => reference_pkcs1v15(block).map(Some),
            };
            (fixture.raw_encrypt(block), reference)
        }
    };
    let what = format!("decrypt {case:?} ciphertext {}", hex(&ciphertext));
    let verdict = agree(
        &what,
        on_paths(|p| {
            fixed_keys(p)
                .rsa(case.fixture)?
                .decrypt(&ciphertext, case.padding())
        }),
    );
    let Some(verdict) = verdict else {
        return;
    };
    let below_n = ciphertext.len() == fixture.k() && ciphertext < fixture.n;
    if case.oaep.is_none() && below_n {
        assert!(
            matches!(verdict, Verdict::Value(_)),
            "{what}: PKCS #1 v1.5 decryption with implicit rejection cannot fail, got {verdict:?}"
        );
    }
    if !below_n {
        assert_eq!(
            verdict,
            Verdict::Error("DecryptionFailed".to_owned()),
            "{what}"
        );
    }
    match expected {
        Some(Some(message)) => assert_eq!(verdict, Verdict::Value(message), "{what}"),
        Some(None) => assert_eq!(
            verdict,
            Verdict::Error("DecryptionFailed".to_owned()),
            "{what}"
        ),
        None => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Target 8: raw key loading

#[derive(Debug)]
enum RawKeyCase {
    EdPrivate {
        ed448: bool,
        bytes: Vec<u8>,
    },
    EdPublic {
        ed448: bool,
        bytes: Vec<u8>,
    },
    Xdh {
        x448: bool,
        private: Vec<u8>,
        peer: Vec<u8>,
    },
    EcScalar {
        curve: EllipticCurve,
        scalar: Vec<u8>,
    },
    EcNumbers {
        curve: EllipticCurve,
        replace: u8,
        bytes: Vec<u8>,
    },
    Rsa {
        fixture: usize,
        replace: u8,
        bytes: Vec<u8>,
        extra: Vec<u8>,
    },
    Dsa {
        fixture: usize,
        replace: u8,
        bytes: Vec<u8>,
    },
    Dh {
        fixture: usize,
        replace: u8,
        bytes: Vec<u8>,
        with_q: bool,
    },
}

/// `bytes`, or with `replace`'s low bit set, the original with bit `bytes`-chosen flipped.
fn replaced(original: &[u8], replace: u8, bytes: &[u8]) -> Vec<u8> {
    if replace & 0x80 == 0 {
        return bytes.to_vec();
    }
    let mut out = original.to_vec();
    let bit = bytes.iter().fold(0usize, |acc, &b| {
        acc.wrapping_mul(256).wrapping_add(usize::from(b))
    });
    flip(&mut out, bit);
    out
}

impl RawKeyCase {
    fn decode(u: &mut Unstructured<'_>) -> ArbResult<RawKeyCase> {
        Ok(match u.int_in_range(0u8..=7)? {
            0 => RawKeyCase::EdPrivate {
                ed448: u.arbitrary()?,
                bytes: some_bytes(u, 64)?,
            },
            1 => RawKeyCase::EdPublic {
                ed448: u.arbitrary()?,
                bytes: some_bytes(u, 64)?,
            },
            2 => RawKeyCase::Xdh {
                x448: u.arbitrary()?,
                private: some_bytes(u, 64)?,
                peer: some_bytes(u, 64)?,
            },
            3 => RawKeyCase::EcScalar {
                curve: *u.choose(&EllipticCurve::ALL)?,
                scalar: some_bytes(u, 70)?,
            },
            4 => RawKeyCase::EcNumbers {
                curve: *u.choose(&EllipticCurve::ALL)?,
                replace: u.arbitrary()?,
                bytes: some_bytes(u, 70)?,
            },
            5 => RawKeyCase::Rsa {
                fixture: usize::from(u.int_in_range(0u8..=1)?),
                replace: u.arbitrary()?,
                bytes: some_bytes(u, 300)?,
                extra: some_bytes(u, 8)?,
            },
            6 => RawKeyCase::Dsa {
                fixture: usize::from(u.int_in_range(0u8..=1)?),
                replace: u.arbitrary()?,
                bytes: some_bytes(u, 300)?,
            },
            _ => RawKeyCase::Dh {
                fixture: usize::from(u.int_in_range(0u8..=1)?),
                replace: u.arbitrary()?,
                bytes: some_bytes(u, 300)?,
                with_q: u.arbitrary()?,
            },
        })
    }
}

/// The fixed EC key's numbers (private value, x, y) on the first path that has the curve.
fn ec_fixture(curve: EllipticCurve) -> Option<(BigUint, BigUint, BigUint)> {
    paths().iter().find_map(|p| {
        let key = fixed_keys(p).ec(curve).ok()?;
        let numbers = key.private_numbers().ok()?;
        let public = &numbers.public_numbers;
        Some((
            numbers.private_value.clone(),
            public.x.clone(),
            public.y.clone(),
        ))
    })
}

/// Loads one raw-key case on one path; the bytes that identify the loaded key.
fn load_raw(path: &crate::paths::Path, case: &RawKeyCase) -> Result<Vec<Vec<u8>>> {
    let b = path.backend.clone();
    Ok(match case {
        RawKeyCase::EdPrivate { ed448, bytes } => {
            let (private, public) = if *ed448 {
                let k = Ed448PrivateKey::from_private_bytes_with_backend(bytes, b)?;
                (
                    k.private_bytes_raw()?.to_vec(),
                    k.public_key()?.public_bytes_raw(),
                )
            } else {
                let k = Ed25519PrivateKey::from_private_bytes_with_backend(bytes, b)?;
                (
                    k.private_bytes_raw()?.to_vec(),
                    k.public_key()?.public_bytes_raw(),
                )
            };
            assert_eq!(
                &private, bytes,
                "{}: the private key round-trips",
                path.name
            );
            vec![public]
        }
        RawKeyCase::EdPublic { ed448, bytes } => {
            let public = if *ed448 {
                Ed448PublicKey::from_public_bytes_with_backend(bytes, b)?.public_bytes_raw()
            } else {
                Ed25519PublicKey::from_public_bytes_with_backend(bytes, b)?.public_bytes_raw()
            };
            assert_eq!(&public, bytes, "{}: the public key round-trips", path.name);
            vec![public]
        }
        RawKeyCase::Xdh {
            x448,
            private,
            peer,
        } => {
            let (raw, public, secret) = if *x448 {
                let k = X448PrivateKey::from_private_bytes_with_backend(private, b)?;
                let secret = X448PublicKey::from_public_bytes(peer).and_then(|p| k.exchange(&p));
                (
                    k.private_bytes_raw()?.to_vec(),
                    k.public_key()?.public_bytes_raw(),
                    secret,
                )
            } else {
                let k = X25519PrivateKey::from_private_bytes_with_backend(private, b)?;
                let secret = X25519PublicKey::from_public_bytes(peer).and_then(|p| k.exchange(&p));
                (
                    k.private_bytes_raw()?.to_vec(),
                    k.public_key()?.public_bytes_raw(),
                    secret,
                )
            };
            assert_eq!(&raw, private, "{}: the private key round-trips", path.name);
            let secret = match secret {
                Ok(s) => s.to_vec(),
                Err(e) if e.is_unsupported() => return Err(e),
                Err(e) => error_kind(&e).into_bytes(),
            };
            vec![public, secret]
        }
        RawKeyCase::EcScalar { curve, scalar } => {
            let k = ec::derive_private_key_with_backend(&int(scalar), *curve, b)?;
            let numbers = k.private_numbers()?;
            assert_eq!(
                &numbers.private_value,
                &int(scalar),
                "{}: the scalar round-trips",
                path.name
            );
            vec![k.public_key()?.public_bytes_x962(false)?]
        }
        RawKeyCase::EcNumbers {
            curve,
            replace,
            bytes,
        } => {
            let Some((d, x, y)) = ec_fixture(*curve) else {
                return Err(Error::UnsupportedAlgorithm {
                    reason: pluggable_crypto::Reason::UnsupportedEllipticCurve,
                    message: "no path has the curve".to_owned(),
                });
            };
            let mut parts = [d.to_be_bytes(), x.to_be_bytes(), y.to_be_bytes()];
            let which = usize::from(*replace & 0x03) % 3;
            parts[which] = replaced(&parts[which], *replace, bytes);
            let numbers = EllipticCurvePrivateNumbers::new(
                int(&parts[0]),
                EllipticCurvePublicNumbers::new(int(&parts[1]), int(&parts[2]), *curve),
            );
            let k = numbers.private_key_with_backend(b)?;
            vec![k.public_key()?.public_bytes_x962(false)?]
        }
        RawKeyCase::Rsa {
            fixture,
            replace,
            bytes,
            extra,
        } => {
            let f = &rsa_fixtures()[*fixture];
            let numbers = &f.numbers;
            let pn = &numbers.public_numbers;
            let mut parts = [
                numbers.p.to_be_bytes(),
                numbers.q.to_be_bytes(),
                numbers.d.to_be_bytes(),
                numbers.dmp1.to_be_bytes(),
                numbers.dmq1.to_be_bytes(),
                numbers.iqmp.to_be_bytes(),
                pn.e.to_be_bytes(),
                pn.n.to_be_bytes(),
            ];
            let which = usize::from(*replace & 0x0f);
            if which >= parts.len() {
                // Public numbers alone: arbitrary n and e.
                let key =
                    RsaPublicNumbers::new(int(extra), int(bytes)).public_key_with_backend(b)?;
                return Ok(vec![key.public_numbers().n.to_be_bytes()]);
            }
            parts[which] = replaced(&parts[which], *replace, bytes);
            let [p, q, d, dmp1, dmq1, iqmp, e, n] = parts.map(|x| int(&x));
            let numbers =
                RsaPrivateNumbers::new(p, q, d, dmp1, dmq1, iqmp, RsaPublicNumbers::new(e, n));
            let key = numbers.private_key_with_backend(b)?;
            let signature = key.sign(b"raw key loading", Pkcs1v15, Sha256);
            vec![
                key.public_key()?.public_numbers().n.to_be_bytes(),
                match signature {
                    Ok(s) => s,
                    Err(e) => error_kind(&e).into_bytes(),
                },
            ]
        }
        RawKeyCase::Dsa {
            fixture,
            replace,
            bytes,
        } => {
            let [p, q, g, x, y] = dsa_fixtures()[*fixture].changed(*replace, bytes);
            let numbers = DsaPrivateNumbers::new(
                x,
                DsaPublicNumbers::new(y, DsaParameterNumbers::new(p, q, g)),
            );
            let key = numbers.private_key_with_backend(b)?;
            vec![key.public_key()?.public_numbers().y.to_be_bytes()]
        }
        RawKeyCase::Dh {
            fixture,
            replace,
            bytes,
            with_q,
        } => {
            let [p, q, g, x, y] = dsa_fixtures()[*fixture].changed(*replace, bytes);
            let parameters = DhParameterNumbers::new(p, g, with_q.then_some(q));
            let numbers = DhPrivateNumbers::new(x, DhPublicNumbers::new(y, parameters));
            let key = numbers.private_key_with_backend(b)?;
            let public = key.public_key()?;
            let secret = key.exchange(&public)?;
            vec![public.public_numbers().y.to_be_bytes(), secret.to_vec()]
        }
    })
}

/// Target 8: raw key loading on every path (see the module docs).
pub fn raw_key_loading(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(case) = RawKeyCase::decode(&mut u) else {
        return;
    };
    let what = format!("load {case:?}");
    agree(&what, on_paths(|p| load_raw(p, &case)));
}
