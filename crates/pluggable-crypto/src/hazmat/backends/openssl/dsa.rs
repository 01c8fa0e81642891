//! DSA on the OpenSSL backend: `EVP_PKEY` keys of type `"DSA"`, built once and shared by
//! every operation.
//!
//! | operation | `EVP_PKEY_CTX` calls | parameters |
//! |---|---|---|
//! | parameter generation | paramgen | `"pbits"`, `"qbits"` (OpenSSL 3.0 picks FIPS 186-2 generation under 2048 bits and FIPS 186-4 from 2048, with SHA-1 for a 160-bit q and SHA-256 for 256 bits) |
//! | key generation | fromdata (parameters), keygen | `"p"`, `"q"`, `"g"` |
//! | loading | fromdata, then `EVP_PKEY_pairwise_check` for a private key | `"p"`, `"q"`, `"g"`, `"pub"`, `"priv"` |
//! | sign / verify | sign, verify over the digest | none: libcrypto truncates the digest to q's length, as FIPS 186 says |
//!
//! Signatures are DER `SEQUENCE { r, s }`, as libcrypto writes and reads them (it refuses
//! non-canonical DER when verifying). `k` is random: OpenSSL 3.0 has no deterministic
//! (RFC 6979) DSA, so [`SignatureNonce::Deterministic`] is `UnsupportedAlgorithm`.

use std::sync::Arc;

use super::evp::Params;
use super::pkey::{NativeBn, Pkey, Selection};
use super::rsa::{digest_of, hash_available};
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{DsaBackend, DsaPrivateKeyHandle, DsaPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{DsaParameterComponents, SecretBytes};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{SignInput, SignatureNonce};

const BACKEND_NAME: &str = "openssl";

/// The sizes of p this backend uses (libcrypto's limit is 10000 bits; the primitives layer
/// allows 1024, 2048, 3072 and 4096).
const KEY_SIZES: std::ops::RangeInclusive<usize> = 512..=10000;

/// p, q and g in libcrypto's byte order, zeroized on drop.
struct NativeParameters {
    p: NativeBn,
    q: NativeBn,
    g: NativeBn,
}

impl NativeParameters {
    fn new(parameters: &DsaParameterComponents) -> Self {
        NativeParameters {
            p: NativeBn::from_be(&parameters.p),
            q: NativeBn::from_be(&parameters.q),
            g: NativeBn::from_be(&parameters.g),
        }
    }

    /// The parameter list, with room for `extra` more entries.
    fn params(&self, extra: usize) -> Params<'_> {
        Params::with_capacity(4 + extra)
            .bignum(c"p", self.p.bytes())
            .bignum(c"q", self.q.bytes())
            .bignum(c"g", self.g.bytes())
    }
}

fn invalid_parameters() -> Error {
    Error::key_rejected(KeyRejectedKind::InvalidComponent, "DSA parameters")
}

/// A DSA public key on OpenSSL.
struct OpenSslDsaPublicKey {
    key: Pkey,
    parameters: DsaParameterComponents,
    y: Vec<u8>,
}

/// A DSA private key on OpenSSL (libcrypto clears x when the key is freed).
struct OpenSslDsaPrivateKey {
    key: Pkey,
    /// The public half, built once: a separate public-only key, so the public handle holds no
    /// private material.
    public: Arc<OpenSslDsaPublicKey>,
}

fn public_key_from(parameters: &DsaParameterComponents, y: &[u8]) -> Result<OpenSslDsaPublicKey> {
    let native = NativeParameters::new(parameters);
    let y_native = NativeBn::from_be(y);
    let key = Pkey::from_data(
        c"DSA",
        Selection::PublicKey,
        native.params(1).bignum(c"pub", y_native.bytes()),
    )
    .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, "DSA public key"))?;
    Ok(OpenSslDsaPublicKey {
        key,
        parameters: parameters.clone(),
        y: y.to_vec(),
    })
}

impl DsaPublicKeyHandle for OpenSslDsaPublicKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn parameters(&self) -> DsaParameterComponents {
        self.parameters.clone()
    }

    fn public_value(&self) -> Vec<u8> {
        self.y.clone()
    }

    fn verify(&self, signature: &[u8], input: SignInput<'_>, hash: HashId) -> Result<()> {
        let tbs = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.verify_init()?;
        if ctx.verify(signature, &tbs) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

impl DsaPrivateKeyHandle for OpenSslDsaPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn public_key(&self) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_value(&self) -> Result<SecretBytes> {
        self.key.bn_param(c"priv")
    }

    fn sign(&self, input: SignInput<'_>, hash: HashId, nonce: SignatureNonce) -> Result<Vec<u8>> {
        if nonce == SignatureNonce::Deterministic {
            return Err(Error::unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                "deterministic (RFC 6979) DSA signatures need OpenSSL 3.2 or later; \
                 this backend signs with a random k",
            ));
        }
        let tbs = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.sign_init()?;
        ctx.sign(&tbs)
    }
}

fn private_key(
    key: Pkey,
    parameters: &DsaParameterComponents,
) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
    let y = key.bn_param(c"pub")?;
    let public = Arc::new(public_key_from(parameters, &y)?);
    Ok(Arc::new(OpenSslDsaPrivateKey { key, public }))
}

impl DsaBackend for OpenSslBackend {
    fn dsa_supported(&self, key_size: usize) -> bool {
        // Signing hashes the message here, so SHA-256 stands for the digests being there.
        KEY_SIZES.contains(&key_size) && hash_available(HashId::Sha256)
    }

    fn generate_dsa_parameters(&self, key_size: usize) -> Result<DsaParameterComponents> {
        let pbits = std::ffi::c_uint::try_from(key_size)
            .map_err(|_| Error::invalid(format!("DSA key size {key_size} is too large")))?;
        let qbits: std::ffi::c_uint = if key_size < 2048 { 160 } else { 256 };
        let generated = Pkey::generate_parameters(
            c"DSA",
            Params::with_capacity(3)
                .uint(c"pbits", &pbits)
                .uint(c"qbits", &qbits),
        )?;
        Ok(DsaParameterComponents {
            p: generated.bn_param(c"p")?.to_vec(),
            q: generated.bn_param(c"q")?.to_vec(),
            g: generated.bn_param(c"g")?.to_vec(),
        })
    }

    fn generate_dsa_private_key(
        &self,
        parameters: &DsaParameterComponents,
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let native = NativeParameters::new(parameters);
        let domain = Pkey::from_data(c"DSA", Selection::Parameters, native.params(0))
            .map_err(|_| invalid_parameters())?;
        let key = domain.generate_key_from_parameters()?;
        private_key(key, parameters)
    }

    fn load_dsa_private_components(
        &self,
        parameters: &DsaParameterComponents,
        x: &[u8],
        y: &[u8],
    ) -> Result<Arc<dyn DsaPrivateKeyHandle>> {
        let native = NativeParameters::new(parameters);
        let x_native = NativeBn::from_be(x);
        let y_native = NativeBn::from_be(y);
        let key = Pkey::from_data(
            c"DSA",
            Selection::KeyPair,
            native
                .params(2)
                .bignum(c"pub", y_native.bytes())
                .bignum(c"priv", x_native.bytes()),
        )
        .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, "DSA private key"))?;
        // x in [1, q - 1], y in range and of order q, and y = g^x mod p (not the primality of
        // p and q, which EVP_PKEY_check would test at length on every load).
        if !key.pairwise_check() {
            return Err(Error::key_rejected(
                KeyRejectedKind::InconsistentComponents,
                "DSA private key",
            ));
        }
        private_key(key, parameters)
    }

    fn load_dsa_public_components(
        &self,
        parameters: &DsaParameterComponents,
        y: &[u8],
    ) -> Result<Arc<dyn DsaPublicKeyHandle>> {
        // Not checked: a bad y only makes signatures fail to verify, as in pyca.
        Ok(Arc::new(public_key_from(parameters, y)?))
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

    fn backend() -> &'static OpenSslBackend {
        static BACKEND: OnceLock<OpenSslBackend> = OnceLock::new();
        BACKEND.get_or_init(OpenSslBackend::build)
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` (short lengths: r and s of up to 64 bytes).
    fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
        let integer = |v: &[u8]| {
            let mut v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
            if v.first().is_none_or(|&b| b & 0x80 != 0) {
                v.insert(0, 0);
            }
            let mut out = vec![0x02, v.len() as u8];
            out.extend(v);
            out
        };
        let body: Vec<u8> = [integer(r), integer(s)].concat();
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    // cryptography-vectors 50.0.2 `asymmetric/DSA/FIPS_186-3/SigVer.rsp` (NIST CAVP),
    // [mod = L=2048, N=256, SHA-256].
    fn sigver_parameters() -> DsaParameterComponents {
        DsaParameterComponents {
            p: hex("cdf428329e226cf715f18eed005e439a8c7b927edd24c866be6c1b370057059ea426d06f584f8e3c89f02fe8d4042604a2fe0db63a87ff018dfaec7790b88fd1da8396561ae62df6f18d3540992efc5ecce63068f5f595687b8bbeed5801d5b6c6bdf362dadebb80e190d719d144db693fc43cefbd72b149570a96282fd9441c397d98b15d73f8cfaa8f6514a16f5992a0a02fd7b6e4932b1e7e7ef2db717815b11e867e187aae26f9c16ca0a5ca434acf8f3356c3711765fe5e548b1edce381bdd843580f9a881d702f00a0719c3bfa8576304decb616b08ef8db6f8c3d48923a2a30b9b505ad737af1cbb0019558487400379738fd89c1ee01285e76e2d98b"),
            q: hex("daf3ebd85f57a8731538596876e8a34e73c732bc69b4d64b010bd7d5b63a09ef"),
            g: hex("6cb6a8c1b8ea97173e5ae1d2a2d530468fd932b81a4f3c3e11042d56a61a504b9c207da7cdca293c04f78583cf218e1cd2c1a92637ab4ff61d2eaa5e8e8221bfe17e6a741791f21c799221ae4c703262a6dc2e295e36939e248dacaaffe673071f6dc7a90d7ca3427556fb99fb1fdca9de3f745b5e56be5b5933ebcba4f0c60fef3798cdca519997ef74acd7000d3a286d01c7000a66fe0066be4381842aa040c3bf465306c38752d41c29162c4d294f2b1f7e9ad9232aadb469047f4050b085bafa06283def7d84958528a3f129a3bc81466c0ccd493fcaa87e805e7bd4450090ce55652dba15271234fbe0cfef66f3ed9d569e565bd1218f2856637a5b26a4"),
        }
    }

    // The case with "Result = P".
    const MSG: &str = "f93230c8e56f77d8507cadb3d3b930c715e06763f2f38cc735ec626e650e4d3b76b4f0427500106daa2671dcebbfaf04a8c660fa285cc059894c685b5eb0098d12e406a47200c66818c255a7a55edbb4d0a94fef563af9330bd90286e9a185910d741c19be9965f44b630fbbb5f434967101ccbc693545a39430402cc0dc270c";
    const X: &str = "a124cb4f3fcb44c929400019933955b68185988ef7014ac1a4829b1748e58a10";
    const Y: &str = "1c3aa2f539438145b05dd13a17d666022944fe6e3dc2a14e41a32fbc85546e0da88b5b9d822a17f0c30ed317f4cc716f2847871c192ea4dda488aea291ec31fb5a73424d12b034b642e175f25b102217a0bf1de695923900c87f3f2911107ee06bb9f58cef4d18c29a016ebf63a4bea851c3a7e85a7c3d69e8896f59f9c7f1d77386c1e80391a1b9c4f82eaf59b6d72c7e8663b121fdd3b5510d5db5971658d233e25b646a27b1e1ae0c859dc73f7763b91fff6b3140e284c3a4650d17beeca2319c5c4a545f6de728137f5bbac6e3027e5588294ae5532891b8053dc9cbd0449a09e54f4e3ac4eaf7e1bd2a727de8f14a001db92870807898bb504f5f4389bc";
    const R: &str = "96246546c49d2a00c5605cc5bcb18e229e272374c4d7fa6c8ace99eafc080342";
    const S: &str = "b77d5dd30b6daae84580cf2b3cf31eca713c884dd5659cf5307c91e525991487";
    // The "Result = F (2 - Y changed)" case.
    const CHANGED_Y_MSG: &str = "3bf2cf1bed29d85904f79ade4f945abb91dbf7a83bab4cbe0bd753ced2e40b77f0297325fac5172d55001985b79046ad29ace15f08dac7d27454ef67214258eff7f03f46da19a4c3f12a90df03f18098c21e92ce4e1ae413516dc9ffcfe2c3237ab98dd344dd2e7a86011c8ba3f9db67d35a3379485fcb3fc9b7c5dde1ce2593";
    const CHANGED_Y: &str = "abfe91c1e595bf644236da5c4b2d1e8d894da076a7060309c09fe3cc27b9be0630e53602401e41ff9e2dd86c3224db018004127b7088ee92498e6214a31c5733f9bac4bda83285a8cd87b8d55c3a92dd9ba7bc6f4c8ce1718578854495dbef8bf5f4d8ef7bfa5693300a02f25a8ebddb64f3b32ce179a2663b1ba618efee5d05f9de33b7ed49aea5286873963ea69974a1adc11fa734cc8d1655cc95be5c5a0c70883c3ad715b879807b575627e8e4c101aac7cbb1d1f11276caf8ae9c6500b4a2eb3b68fc3a76600ec34540d63134b07ef01324ddc33e1defb63ee20aa90b823696df2998b9613a4a1485fb6966d6fadeec6e78b21d6ab06c2b1bd8aa84921b";
    const CHANGED_Y_R: &str = "54961cfd862cbc6d1f378ad00cc786f64a6763cf248dd55a95f413111f4626cf";
    const CHANGED_Y_S: &str = "54dd5f1064d8221ae2315d3106724a2c34ab1b4e1f95dbc1d74792a648e5d573";

    #[test]
    fn sigver_known_answers() {
        let parameters = sigver_parameters();
        let public = backend()
            .load_dsa_public_components(&parameters, &hex(Y))
            .unwrap();
        assert_eq!(public.backend_name(), "openssl");
        assert_eq!(public.parameters(), parameters);
        assert_eq!(public.public_value(), hex(Y));
        let signature = der(&hex(R), &hex(S));
        let msg = hex(MSG);
        public
            .verify(&signature, SignInput::Message(&msg), HashId::Sha256)
            .unwrap();
        let digest = super::super::rsa::digest(HashId::Sha256, &msg).unwrap();
        public
            .verify(&signature, SignInput::Digest(&digest), HashId::Sha256)
            .unwrap();
        assert_eq!(
            public.verify(&signature, SignInput::Message(b"other"), HashId::Sha256),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            public.verify(&signature, SignInput::Message(&msg), HashId::Sha384),
            Err(Error::InvalidSignature)
        );
        // Malformed DER, a trailing byte, and garbage are InvalidSignature too.
        let mut trailing = signature.clone();
        trailing.push(0);
        for bad in [
            &signature[..signature.len() - 1],
            &trailing[..],
            b"\x30\x00",
            b"",
        ] {
            assert_eq!(
                public.verify(bad, SignInput::Message(&msg), HashId::Sha256),
                Err(Error::InvalidSignature)
            );
        }
        // A changed y loads (unchecked, as in pyca) and fails to verify.
        let changed = backend()
            .load_dsa_public_components(&parameters, &hex(CHANGED_Y))
            .unwrap();
        assert_eq!(
            changed.verify(
                &der(&hex(CHANGED_Y_R), &hex(CHANGED_Y_S)),
                SignInput::Message(&hex(CHANGED_Y_MSG)),
                HashId::Sha256
            ),
            Err(Error::InvalidSignature)
        );
    }

    #[test]
    fn vector_keys_sign_and_mismatched_ones_are_rejected() {
        let parameters = sigver_parameters();
        let key = backend()
            .load_dsa_private_components(&parameters, &hex(X), &hex(Y))
            .unwrap();
        assert_eq!(key.private_value().unwrap().to_vec(), hex(X));
        let public = key.public_key().unwrap();
        assert_eq!(public.public_value(), hex(Y));
        for hash in [
            HashId::Sha1,
            HashId::Sha256,
            HashId::Sha512,
            HashId::Sha3_256,
        ] {
            let one = key
                .sign(SignInput::Message(b"data"), hash, SignatureNonce::Random)
                .unwrap();
            let two = key
                .sign(SignInput::Message(b"data"), hash, SignatureNonce::Random)
                .unwrap();
            assert_ne!(one, two, "k is random");
            public
                .verify(&one, SignInput::Message(b"data"), hash)
                .unwrap();
            public
                .verify(&two, SignInput::Message(b"data"), hash)
                .unwrap();
        }
        match key.sign(
            SignInput::Message(b"data"),
            HashId::Sha256,
            SignatureNonce::Deterministic,
        ) {
            Err(e) => assert!(e.is_unsupported(), "{e:?}"),
            Ok(_) => panic!("deterministic DSA on OpenSSL 3.0"),
        }
        // x with another key's y, and x out of range, are refused.
        for (x, y) in [(hex(X), hex(CHANGED_Y)), (sigver_parameters().q, hex(Y))] {
            match backend().load_dsa_private_components(&parameters, &x, &y) {
                Err(Error::KeyRejected(r)) => {
                    assert_eq!(r.kind(), KeyRejectedKind::InconsistentComponents)
                }
                Err(other) => panic!("wrong error {other:?}"),
                Ok(_) => panic!("mismatched DSA key accepted"),
            }
        }
    }

    #[test]
    fn generated_parameters_and_keys_work() {
        assert!(backend().dsa_supported(1024));
        assert!(backend().dsa_supported(4096));
        let parameters = backend().generate_dsa_parameters(1024).unwrap();
        assert_eq!(parameters.p.len(), 128);
        assert_eq!(parameters.q.len(), 20);
        let key = backend().generate_dsa_private_key(&parameters).unwrap();
        let public = key.public_key().unwrap();
        assert_eq!(public.parameters(), parameters);
        let signature = key
            .sign(
                SignInput::Message(b"hi"),
                HashId::Sha256,
                SignatureNonce::Random,
            )
            .unwrap();
        public
            .verify(&signature, SignInput::Message(b"hi"), HashId::Sha256)
            .unwrap();
        // The key reloads from its numbers.
        let reloaded = backend()
            .load_dsa_private_components(
                &parameters,
                &key.private_value().unwrap(),
                &public.public_value(),
            )
            .unwrap();
        let again = reloaded
            .sign(
                SignInput::Message(b"hi"),
                HashId::Sha1,
                SignatureNonce::Random,
            )
            .unwrap();
        public
            .verify(&again, SignInput::Message(b"hi"), HashId::Sha1)
            .unwrap();
        // A vector key is generated under the vector parameters (2048/256).
        let generated = backend()
            .generate_dsa_private_key(&sigver_parameters())
            .unwrap();
        assert!(generated.private_value().unwrap().len() <= 32);
    }

    #[test]
    fn parameters_of_2048_bits_have_a_256_bit_q() {
        let parameters = backend().generate_dsa_parameters(2048).unwrap();
        assert_eq!(parameters.p.len(), 256);
        assert_eq!(parameters.q.len(), 32);
    }

    #[test]
    fn interoperates_with_the_openssl_cli() {
        use super::super::rsa::cli::{self, int};
        let dir = cli::scratch("dsa");
        let parameters = sigver_parameters();
        let domain = format!(
            "[alg]\noid=OID:1.2.840.10040.4.1\nparams=SEQUENCE:params\n\
             [params]\np=INTEGER:{}\nq=INTEGER:{}\ng=INTEGER:{}\n",
            int(&parameters.p),
            int(&parameters.q),
            int(&parameters.g)
        );
        let Some(public_der) = cli::der(
            &dir,
            "pub",
            &format!(
                "asn1=SEQUENCE:spki\n[spki]\nalg=SEQUENCE:alg\nkey=BITWRAP,INTEGER:{}\n{domain}",
                int(&hex(Y))
            ),
        ) else {
            return;
        };
        let Some(private_der) = cli::der(
            &dir,
            "priv",
            &format!(
                "asn1=SEQUENCE:p8\n[p8]\nversion=INTEGER:0\nalg=SEQUENCE:alg\n\
                 key=OCTWRAP,INTEGER:{}\n{domain}",
                int(&hex(X))
            ),
        ) else {
            return;
        };
        let key = backend()
            .load_dsa_private_components(&parameters, &hex(X), &hex(Y))
            .unwrap();
        let public = key.public_key().unwrap();
        let digest = super::super::rsa::digest(HashId::Sha256, b"interop").unwrap();
        std::fs::write(dir.join("digest"), &digest).unwrap();

        // Ours verifies with `openssl pkeyutl -verify`, and a corrupted one does not.
        let ours = key
            .sign(
                SignInput::Message(b"interop"),
                HashId::Sha256,
                SignatureNonce::Random,
            )
            .unwrap();
        std::fs::write(dir.join("ours.sig"), &ours).unwrap();
        let verify = [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-keyform",
            "DER",
            "-inkey",
            &public_der,
            "-in",
            "digest",
            "-sigfile",
            "ours.sig",
        ];
        cli::openssl_ok(&dir, &verify);
        let mut corrupted = ours.clone();
        let last = corrupted.len() - 1;
        corrupted[last] ^= 1;
        std::fs::write(dir.join("ours.sig"), &corrupted).unwrap();
        assert!(!cli::openssl(&dir, &verify).unwrap().status.success());

        // Theirs verifies here.
        cli::openssl_ok(
            &dir,
            &[
                "pkeyutl",
                "-sign",
                "-keyform",
                "DER",
                "-inkey",
                &private_der,
                "-in",
                "digest",
                "-out",
                "theirs.sig",
            ],
        );
        let theirs = std::fs::read(dir.join("theirs.sig")).unwrap();
        public
            .verify(&theirs, SignInput::Digest(&digest), HashId::Sha256)
            .unwrap();
        std::fs::remove_dir_all(&dir).ok();
    }
}
