//! Finite-field Diffie-Hellman on the OpenSSL backend: `EVP_PKEY` keys of type `"DH"` (p and
//! g), or `"DHX"` (X9.42: p, q and g) when q is given, built once and shared by every exchange.
//!
//! | operation | `EVP_PKEY_CTX` calls | parameters |
//! |---|---|---|
//! | parameter generation | paramgen | `"type"` = `"generator"` (a safe prime), `"pbits"`, `"safeprime-generator"` |
//! | key generation | fromdata (parameters), keygen | `"p"`, `"g"`, `"q"` |
//! | loading from x | fromdata with `"priv"` only, derive against g for y, fromdata with both | `"p"`, `"g"`, `"q"`, `"priv"`, `"pub"` |
//! | exchange | fromdata (the peer), derive (the peer validated by libcrypto) | `"pad"` = 1 |
//!
//! OpenSSL 3.0 does not compute y when a key is built from x alone, so y is found as the
//! shared secret with a peer whose public value is g (`g^x mod p`), in constant time like
//! every exchange.
//!
//! Checked above, not here: x in range, y = g^x, the parameters (q dividing p - 1, g of order
//! q). Checked here by libcrypto: every peer value when it is set for an exchange (in
//! `[2, p - 2]`, and of order q when q is known, including the q libcrypto knows for a named
//! group such as RFC 3526's when only p and g are given); a refused peer is `KeyRejected`
//! (`InvalidComponent`).

use std::ffi::{c_int, c_uint, CStr};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::evp::{clear_errors, Params};
use super::pkey::{NativeBn, Pkey, Selection};
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{DhBackend, DhPrivateKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{DhParameterComponents, SecretBytes};

const BACKEND_NAME: &str = "openssl";

/// The sizes of p libcrypto's DH takes (`DH_MIN_MODULUS_BITS` to
/// `OPENSSL_DH_MAX_MODULUS_BITS`).
const KEY_SIZES: std::ops::RangeInclusive<usize> = 512..=10000;

/// p, g and q in libcrypto's byte order, with the key type they make.
struct NativeParameters {
    key_type: &'static CStr,
    p: NativeBn,
    g: NativeBn,
    q: Option<NativeBn>,
}

impl NativeParameters {
    fn new(parameters: &DhParameterComponents) -> Self {
        NativeParameters {
            key_type: if parameters.q.is_some() {
                c"DHX"
            } else {
                c"DH"
            },
            p: NativeBn::from_be(&parameters.p),
            g: NativeBn::from_be(&parameters.g),
            q: parameters.q.as_deref().map(NativeBn::from_be),
        }
    }

    /// The parameter list, with room for `extra` more entries.
    fn params(&self, extra: usize) -> Params<'_> {
        let params = Params::with_capacity(4 + extra)
            .bignum(c"p", self.p.bytes())
            .bignum(c"g", self.g.bytes());
        match &self.q {
            Some(q) => params.bignum(c"q", q.bytes()),
            None => params,
        }
    }
}

fn invalid_parameters() -> Error {
    clear_errors();
    Error::key_rejected(KeyRejectedKind::InvalidComponent, "DH parameters")
}

fn invalid_peer() -> Error {
    clear_errors();
    Error::key_rejected(KeyRejectedKind::InvalidComponent, "DH peer public value")
}

/// A DH private key on OpenSSL (libcrypto clears x when the key is freed).
struct OpenSslDhPrivateKey {
    key: Pkey,
    native: NativeParameters,
    parameters: DhParameterComponents,
}

/// `peer^x mod p` for the key `key` and the peer's public value, left-padded to the length of
/// p. The peer is validated by libcrypto (range, and order q when q is known).
fn derive(key: &Pkey, native: &NativeParameters, peer_y: &[u8], pad: bool) -> Result<SecretBytes> {
    let peer_native = NativeBn::from_be(peer_y);
    let peer = Pkey::from_data(
        native.key_type,
        Selection::PublicKey,
        native.params(1).bignum(c"pub", peer_native.bytes()),
    )
    .map_err(|_| invalid_peer())?;
    let ctx = key.ctx()?;
    ctx.derive_init()?;
    let pad_flag: c_uint = pad.into();
    ctx.set_params(Params::with_capacity(2).uint(c"pad", &pad_flag))?;
    ctx.derive_set_peer(&peer).map_err(|_| invalid_peer())?;
    ctx.derive()
}

impl DhPrivateKeyHandle for OpenSslDhPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn parameters(&self) -> DhParameterComponents {
        self.parameters.clone()
    }

    fn public_value(&self) -> Result<Vec<u8>> {
        Ok(self.key.bn_param(c"pub")?.to_vec())
    }

    fn private_value(&self) -> Result<SecretBytes> {
        self.key.bn_param(c"priv")
    }

    fn exchange(&self, peer_y: &[u8]) -> Result<SecretBytes> {
        let secret = derive(&self.key, &self.native, peer_y, true)?;
        // libcrypto pads to the length of p with "pad"; pad here too so the rule holds
        // whatever the build does.
        let len = self.parameters.p.len();
        if secret.len() >= len {
            return Ok(secret);
        }
        let mut padded = Zeroizing::new(vec![0u8; len]);
        padded[len - secret.len()..].copy_from_slice(&secret);
        Ok(padded)
    }
}

impl DhBackend for OpenSslBackend {
    fn dh_supported(&self, key_size: usize) -> bool {
        KEY_SIZES.contains(&key_size)
    }

    fn generate_dh_parameters(
        &self,
        generator: u32,
        key_size: usize,
    ) -> Result<DhParameterComponents> {
        if !KEY_SIZES.contains(&key_size) {
            return Err(Error::unsupported(
                Reason::UnsupportedDiffieHellman,
                format!("DH parameters of {key_size} bits are not supported by OpenSSL"),
            ));
        }
        let pbits = c_uint::try_from(key_size)
            .map_err(|_| Error::invalid(format!("DH key size {key_size} is too large")))?;
        let generator = c_int::try_from(generator)
            .map_err(|_| Error::invalid(format!("DH generator {generator} is too large")))?;
        let generated = Pkey::generate_parameters(
            c"DH",
            Params::with_capacity(4)
                .utf8(c"type", c"generator")
                .uint(c"pbits", &pbits)
                .int(c"safeprime-generator", &generator),
        )?;
        // Safe-prime parameters are p and g, as pyca returns them (no q).
        Ok(DhParameterComponents {
            p: generated.bn_param(c"p")?.to_vec(),
            g: generated.bn_param(c"g")?.to_vec(),
            q: None,
        })
    }

    fn generate_dh_private_key(
        &self,
        parameters: &DhParameterComponents,
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        let native = NativeParameters::new(parameters);
        let domain = Pkey::from_data(native.key_type, Selection::Parameters, native.params(0))
            .map_err(|_| invalid_parameters())?;
        let key = domain.generate_key_from_parameters()?;
        Ok(Arc::new(OpenSslDhPrivateKey {
            key,
            native,
            parameters: parameters.clone(),
        }))
    }

    fn load_dh_private_value(
        &self,
        parameters: &DhParameterComponents,
        x: &[u8],
    ) -> Result<Arc<dyn DhPrivateKeyHandle>> {
        let native = NativeParameters::new(parameters);
        let x_native = NativeBn::from_be(x);
        let private_only = Pkey::from_data(
            native.key_type,
            Selection::KeyPair,
            native.params(1).bignum(c"priv", x_native.bytes()),
        )
        .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, "DH private key"))?;
        // y = g^x mod p: the unpadded secret with a peer whose public value is g.
        let y = derive(&private_only, &native, &parameters.g, false).map_err(|_| {
            clear_errors();
            Error::key_rejected(KeyRejectedKind::InvalidComponent, "DH private value")
        })?;
        let y_native = NativeBn::from_be(&y);
        let key = Pkey::from_data(
            native.key_type,
            Selection::KeyPair,
            native
                .params(2)
                .bignum(c"pub", y_native.bytes())
                .bignum(c"priv", x_native.bytes()),
        )
        .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, "DH private key"))?;
        Ok(Arc::new(OpenSslDhPrivateKey {
            key,
            native,
            parameters: parameters.clone(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.as_bytes())
            .expect("hex")
    }

    /// Minimal big-endian bytes of a decimal number (test input only).
    fn decimal(s: &str) -> Vec<u8> {
        let mut out: Vec<u8> = vec![0];
        for digit in s.bytes() {
            let mut carry = u32::from(digit - b'0');
            for byte in out.iter_mut().rev() {
                let v = u32::from(*byte) * 10 + carry;
                *byte = (v & 0xff) as u8;
                carry = v >> 8;
            }
            while carry > 0 {
                out.insert(0, (carry & 0xff) as u8);
                carry >>= 8;
            }
        }
        let first = out.iter().position(|&b| b != 0).unwrap_or(out.len() - 1);
        out.split_off(first)
    }

    fn backend() -> &'static OpenSslBackend {
        static BACKEND: OnceLock<OpenSslBackend> = OnceLock::new();
        BACKEND.get_or_init(OpenSslBackend::build)
    }

    // cryptography-vectors 50.0.2 `asymmetric/DH/RFC5114.txt`, [A.1. 1024-bit MODP Group with
    // 160-bit Prime Order Subgroup] (X9.42 parameters with q).
    fn rfc5114_a1() -> DhParameterComponents {
        DhParameterComponents {
            p: hex("B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371"),
            g: hex("A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5"),
            q: Some(hex("F518AA8781A8DF278ABA4E7D64B7CB9D49462353")),
        }
    }
    const XSTAT_CAVS: &str = "B9A3B3AE8FEFC1A2930496507086F8455D48943E";
    const YSTAT_CAVS: &str = "2A853B3D92197501B9015B2DEB3ED84F5E021DCC3E52F109D3273D2B7521281CBABE0E76FF5727FA8ACCE26956BA9A1FCA26F20228D8693FEB10841D84A7360054ECE5A7F5B7A61AD3DFB3C60D2E43106D8727DA37DF9CCE95B478755D06BCEA8F9D45965F75A5F3D1DF3701165FC9E50C4279CEB07F989540AE96D5D88ED776";
    const XSTAT_IUT: &str = "9392C9F9EB6A7A6A9022F7D83E7223C6835BBDDA";
    const YSTAT_IUT: &str = "717A6CB053371FF4A3B932941C1E5663F861A1D6AD34AE66576DFB98F6C6CBF9DDD5A56C7833F6BCFDFF095582AD868E440E8D09FD769E3CECCDC3D3B1E4CFA057776CAAF9739B6A9FEE8E7411F8D6DAC09D6A4EDB46CC2B5D5203090EAE6126311E53FD2C14B574E6A3109A3DA1BE41BDCEAA186F5CE06716A2B6A07B3C33FE";
    const Z: &str = "5C804F454D30D9C4DF85271F93528C91DF6B48AB5F80B3B59CAAC1B28F8ACBA9CD3E39F3CB614525D9521D2E644C53B807B810F340062F257D7D6FBFE8D5E8F072E9B6E9AFDA9413EAFB2E8B0699B1FB5A0CACEDDEAEAD7E9CFBB36AE2B420835BD83A19FB0B5E96BF8FA4D09E345525167ECD9155416F46F408ED31B63C6E6D";

    #[test]
    fn rfc5114_known_answer_with_q() {
        let parameters = rfc5114_a1();
        let cavs = backend()
            .load_dh_private_value(&parameters, &hex(XSTAT_CAVS))
            .unwrap();
        let iut = backend()
            .load_dh_private_value(&parameters, &hex(XSTAT_IUT))
            .unwrap();
        assert_eq!(cavs.backend_name(), "openssl");
        assert_eq!(cavs.parameters(), parameters);
        // y computed from x.
        assert_eq!(cavs.public_value().unwrap(), hex(YSTAT_CAVS));
        assert_eq!(iut.public_value().unwrap(), hex(YSTAT_IUT));
        assert_eq!(cavs.private_value().unwrap().to_vec(), hex(XSTAT_CAVS));
        // Both sides agree on Z.
        assert_eq!(cavs.exchange(&hex(YSTAT_IUT)).unwrap().to_vec(), hex(Z));
        assert_eq!(iut.exchange(&hex(YSTAT_CAVS)).unwrap().to_vec(), hex(Z));
        // A peer value outside the order-q subgroup is refused by libcrypto's check.
        match cavs.exchange(&[2]) {
            Err(Error::KeyRejected(r)) => assert_eq!(r.kind(), KeyRejectedKind::InvalidComponent),
            other => panic!("a peer of the wrong order was accepted: {other:?}"),
        }
    }

    // cryptography-vectors 50.0.2 `asymmetric/DH/vec.txt` (from Botan's dh.vec), COUNT = 3
    // (a 512-bit p with g = 5, no q): X is ours, Y the peer's, K the shared secret.
    #[test]
    fn botan_known_answer_without_q() {
        let parameters = DhParameterComponents {
            p: decimal("7837101158566379575244981793821373232935960937791570311529087011989828139360157566031864344629391921990623396775060696298931110532512473525227009216442663"),
            g: vec![5],
            q: None,
        };
        let x = decimal("2271743810121848480269660476736588602223609425319496369070326649477151605521404690612976189919437998885287608828699462183553427369647044489290359586354073");
        let y = decimal("5553605535786829473948867606958960228544449485744361474243970893441441245322015477973193059017330938119851955120496598438033407790780406867070511553809237");
        let k = hex("4ED3B2ED6B3E8446D8E1C3D2BCA00FB939464874BB6750BDE5F5DACFE9F819597E96F6B1DBA27C785553383AE87188019734A160B6BA5396760B88EC1F2A0E92");
        let key = backend().load_dh_private_value(&parameters, &x).unwrap();
        assert_eq!(key.exchange(&y).unwrap().to_vec(), k);
    }

    #[test]
    fn secrets_keep_leading_zeros() {
        // Generated keys under the vector parameters, until a secret starts with a zero byte
        // (1 in 256 per try; bounded so the test ends).
        let parameters = rfc5114_a1();
        let a = backend().generate_dh_private_key(&parameters).unwrap();
        let mut found = false;
        for _ in 0..4000 {
            let b = backend().generate_dh_private_key(&parameters).unwrap();
            let secret = a.exchange(&b.public_value().unwrap()).unwrap();
            assert_eq!(secret.len(), 128);
            assert_eq!(secret, b.exchange(&a.public_value().unwrap()).unwrap());
            if secret[0] == 0 {
                found = true;
                break;
            }
        }
        assert!(found, "no secret with a leading zero in 4000 tries");
    }

    #[test]
    fn generated_parameters_and_keys_agree() {
        assert!(backend().dh_supported(512));
        assert!(!backend().dh_supported(511));
        for generator in [2, 5] {
            let parameters = backend().generate_dh_parameters(generator, 512).unwrap();
            assert_eq!(parameters.g, vec![generator as u8]);
            assert_eq!(parameters.p.len(), 64);
            assert_eq!(parameters.q, None);
            let a = backend().generate_dh_private_key(&parameters).unwrap();
            let b = backend().generate_dh_private_key(&parameters).unwrap();
            let secret = a.exchange(&b.public_value().unwrap()).unwrap();
            assert_eq!(secret, b.exchange(&a.public_value().unwrap()).unwrap());
            // Reloading a key from x gives the same y.
            let reloaded = backend()
                .load_dh_private_value(&parameters, &a.private_value().unwrap())
                .unwrap();
            assert_eq!(reloaded.public_value().unwrap(), a.public_value().unwrap());
        }
    }

    #[test]
    fn agrees_with_the_openssl_cli() {
        use super::super::rsa::cli::{self, int};
        let dir = cli::scratch("dh");
        // RFC 5114 A.1 as X9.42 (DHX) parameters, and a safe-prime-style p, g without q.
        let cases = [
            (
                rfc5114_a1(),
                "1.2.840.10046.2.1",
                hex(XSTAT_CAVS),
            ),
            (
                DhParameterComponents {
                    p: decimal("7837101158566379575244981793821373232935960937791570311529087011989828139360157566031864344629391921990623396775060696298931110532512473525227009216442663"),
                    g: vec![5],
                    q: None,
                },
                "1.2.840.113549.1.3.1",
                decimal("2271743810121848480269660476736588602223609425319496369070326649477151605521404690612976189919437998885287608828699462183553427369647044489290359586354073"),
            ),
        ];
        for (i, (parameters, oid, x)) in cases.into_iter().enumerate() {
            // X9.42 DomainParameters order p, g, q; PKCS #3 DHParameter is p, g.
            let q = parameters
                .q
                .as_ref()
                .map(|q| format!("q=INTEGER:{}\n", int(q)))
                .unwrap_or_default();
            let domain = format!(
                "[alg]\noid=OID:{oid}\nparams=SEQUENCE:params\n\
                 [params]\np=INTEGER:{}\ng=INTEGER:{}\n{q}",
                int(&parameters.p),
                int(&parameters.g)
            );
            let ours = backend().generate_dh_private_key(&parameters).unwrap();
            let theirs = backend().load_dh_private_value(&parameters, &x).unwrap();
            let Some(peer_der) = cli::der(
                &dir,
                &format!("peer{i}"),
                &format!(
                    "asn1=SEQUENCE:spki\n[spki]\nalg=SEQUENCE:alg\nkey=BITWRAP,INTEGER:{}\n{domain}",
                    int(&ours.public_value().unwrap())
                ),
            ) else {
                return;
            };
            let private_der = cli::der(
                &dir,
                &format!("priv{i}"),
                &format!(
                    "asn1=SEQUENCE:p8\n[p8]\nversion=INTEGER:0\nalg=SEQUENCE:alg\n\
                     key=OCTWRAP,INTEGER:{}\n{domain}",
                    int(&x)
                ),
            )
            .unwrap();
            let out = format!("secret{i}");
            cli::openssl_ok(
                &dir,
                &[
                    "pkeyutl",
                    "-derive",
                    "-keyform",
                    "DER",
                    "-inkey",
                    &private_der,
                    "-peerform",
                    "DER",
                    "-peerkey",
                    &peer_der,
                    "-out",
                    &out,
                ],
            );
            let cli_secret = std::fs::read(dir.join(&out)).unwrap();
            let expected = ours.exchange(&theirs.public_value().unwrap()).unwrap();
            assert_eq!(expected.len(), parameters.p.len());
            // The CLI may drop leading zeros; compare as numbers.
            let strip = |v: &[u8]| {
                v.iter()
                    .copied()
                    .skip_while(|&b| b == 0)
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&cli_secret), strip(&expected));
            assert_eq!(
                theirs.exchange(&ours.public_value().unwrap()).unwrap(),
                expected
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    // cryptography-vectors 50.0.2 `asymmetric/DH/rfc3526.txt`, the 2048-bit MODP group (14):
    // libcrypto recognises the named group and uses its q = (p - 1) / 2 internally.
    #[test]
    fn a_named_group_without_q_works() {
        let parameters = DhParameterComponents {
            p: hex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF"),
            g: vec![2],
            q: None,
        };
        let a = backend().generate_dh_private_key(&parameters).unwrap();
        let b = backend().generate_dh_private_key(&parameters).unwrap();
        assert_eq!(a.parameters(), parameters);
        let secret = a.exchange(&b.public_value().unwrap()).unwrap();
        assert_eq!(secret.len(), 256);
        assert_eq!(secret, b.exchange(&a.public_value().unwrap()).unwrap());
        // A full-length x (beyond the group's recommended private length) loads too.
        let mut x = vec![0x5a; 255];
        x[0] = 0x7f;
        let c = backend().load_dh_private_value(&parameters, &x).unwrap();
        assert_eq!(c.private_value().unwrap().to_vec(), x);
        assert_eq!(
            c.exchange(&a.public_value().unwrap()).unwrap(),
            a.exchange(&c.public_value().unwrap()).unwrap()
        );
    }
}
