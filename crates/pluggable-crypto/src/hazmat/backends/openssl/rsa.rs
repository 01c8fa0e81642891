//! RSA on the OpenSSL backend: `EVP_PKEY` keys of type `"RSA"`, built once (by
//! `EVP_PKEY_fromdata` from the components, or `EVP_PKEY_generate`) and shared by every
//! operation, each of which runs on its own `EVP_PKEY_CTX` set through OSSL_PARAMs:
//!
//! | operation | `EVP_PKEY_CTX` calls | parameters |
//! |---|---|---|
//! | generation | keygen | `"bits"`, `"e"` |
//! | loading | fromdata, then `EVP_PKEY_pairwise_check` | `"n"`, `"e"`, `"d"`, `"rsa-factor1"`, `"rsa-factor2"`, `"rsa-exponent1"`, `"rsa-exponent2"`, `"rsa-coefficient1"` |
//! | sign / verify | sign, verify over the digest | `"pad-mode"` (`"pkcs1"`, `"pss"`), `"digest"`, `"mgf1-digest"`, `"saltlen"` (a number, or `"auto"` to verify any) |
//! | recover | verify-recover | `"pad-mode"` `"pkcs1"`, `"digest"` when a hash is given |
//! | encrypt / OAEP decrypt | encrypt, decrypt | `"pad-mode"` (`"pkcs1"`, `"oaep"`), `"digest"`, `"mgf1-digest"`, `"oaep-label"` |
//! | raw private operation | decrypt | `"pad-mode"` `"none"` |
//!
//! Messages are hashed here with an `EVP_MD` fetched once per process (see [`digest`]), and the
//! digest is signed; a `Prehashed` digest is signed as given.
//!
//! Private-key operations (signing, decryption, the raw operation) are blinded: OpenSSL turns
//! RSA blinding on for every key that has its public exponent, which ours always do.

use std::borrow::Cow;
use std::ffi::{c_int, c_uint, CStr};
use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use super::evp::{clear_errors, Md, MdCtx, Params};
use super::pkey::{NativeBn, Pkey, PkeyCtx, Selection};
use super::OpenSslBackend;
use crate::exceptions::{Error, KeyRejectedKind, Reason, Result};
use crate::hazmat::backends::{RsaBackend, RsaPrivateKeyHandle, RsaPublicKeyHandle};
use crate::hazmat::primitives::asymmetric::components::{
    RsaPrivateComponents, RsaPublicComponents, SecretBytes,
};
use crate::hazmat::primitives::asymmetric::hash_id::HashId;
use crate::hazmat::primitives::asymmetric::scheme::{
    RsaEncryptionScheme, RsaRecoveryScheme, RsaSignatureScheme, RsaVerificationScheme, SignInput,
};

const BACKEND_NAME: &str = "openssl";

/// The modulus sizes this backend builds and uses (libcrypto's public-operation limit is
/// 16384 bits; the primitives layer enforces the 1024-bit floor).
const KEY_SIZES: std::ops::RangeInclusive<usize> = 512..=16384;

// ---------------------------------------------------------------------------------------------
// Hashes (shared with the DSA module)

/// The OpenSSL name of `hash`, as the `"digest"` and `"mgf1-digest"` parameters take it.
pub(super) fn md_name(hash: HashId) -> &'static CStr {
    match hash {
        HashId::Sha1 => c"SHA1",
        HashId::Sha224 => c"SHA224",
        HashId::Sha256 => c"SHA256",
        HashId::Sha384 => c"SHA384",
        HashId::Sha512 => c"SHA512",
        HashId::Sha512_224 => c"SHA512-224",
        HashId::Sha512_256 => c"SHA512-256",
        HashId::Sha3_224 => c"SHA3-224",
        HashId::Sha3_256 => c"SHA3-256",
        HashId::Sha3_384 => c"SHA3-384",
        HashId::Sha3_512 => c"SHA3-512",
    }
}

/// The `EVP_MD`s of the signature hashes libcrypto has, fetched once per process.
fn digests() -> &'static [(HashId, Md)] {
    static DIGESTS: OnceLock<Vec<(HashId, Md)>> = OnceLock::new();
    DIGESTS.get_or_init(|| {
        HashId::ALL
            .into_iter()
            .filter_map(|hash| {
                let md = Md::fetch(md_name(hash).to_str().ok()?)?;
                (md.size() == hash.digest_size()).then_some((hash, md))
            })
            .collect()
    })
}

/// Whether libcrypto has `hash`.
pub(super) fn hash_available(hash: HashId) -> bool {
    digests().iter().any(|(h, _)| *h == hash)
}

fn unsupported_hash(hash: HashId) -> Error {
    Error::unsupported(
        Reason::UnsupportedHash,
        format!("{} is not available from this OpenSSL build", hash.name()),
    )
}

/// `hash(data)`.
pub(super) fn digest(hash: HashId, data: &[u8]) -> Result<Vec<u8>> {
    let md = digests()
        .iter()
        .find(|(h, _)| *h == hash)
        .map(|(_, md)| md)
        .ok_or_else(|| unsupported_hash(hash))?;
    let mut ctx = MdCtx::new(md)?;
    ctx.update(data)?;
    let mut out = vec![0u8; md.size()];
    ctx.finish(&mut out)?;
    Ok(out)
}

/// The digest a signature covers: the message hashed with `hash`, or the digest as given
/// (its length was checked above).
pub(super) fn digest_of(input: SignInput<'_>, hash: HashId) -> Result<Cow<'_, [u8]>> {
    match input {
        SignInput::Message(message) => Ok(Cow::Owned(digest(hash, message)?)),
        SignInput::Digest(digest) => Ok(Cow::Borrowed(digest)),
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// A PSS salt length as `"saltlen"` takes it.
fn salt_length(len: usize) -> Result<c_int> {
    c_int::try_from(len).map_err(|_| Error::invalid(format!("PSS salt length {len} is too large")))
}

/// Sets the signature scheme on a context after `sign_init` / `verify_init`; `salt` is the
/// exact PSS salt length, or `None` to accept any (verification only).
fn set_signature_scheme(
    ctx: &PkeyCtx,
    hash: HashId,
    pss: Option<(HashId, Option<usize>)>,
) -> Result<()> {
    match pss {
        None => ctx.set_params(
            Params::with_capacity(3)
                .utf8(c"pad-mode", c"pkcs1")
                .utf8(c"digest", md_name(hash)),
        ),
        Some((mgf1_hash, Some(salt))) => {
            let salt = salt_length(salt)?;
            ctx.set_params(
                Params::with_capacity(5)
                    .utf8(c"pad-mode", c"pss")
                    .utf8(c"digest", md_name(hash))
                    .utf8(c"mgf1-digest", md_name(mgf1_hash))
                    .int(c"saltlen", &salt),
            )
        }
        Some((mgf1_hash, None)) => ctx.set_params(
            Params::with_capacity(5)
                .utf8(c"pad-mode", c"pss")
                .utf8(c"digest", md_name(hash))
                .utf8(c"mgf1-digest", md_name(mgf1_hash))
                .utf8(c"saltlen", c"auto"),
        ),
    }
}

/// Sets the encryption scheme on a context after `encrypt_init` / `decrypt_init`.
fn set_encryption_scheme(ctx: &PkeyCtx, scheme: &RsaEncryptionScheme<'_>) -> Result<()> {
    match *scheme {
        RsaEncryptionScheme::Pkcs1v15 => {
            ctx.set_params(Params::with_capacity(2).utf8(c"pad-mode", c"pkcs1"))
        }
        RsaEncryptionScheme::Oaep {
            hash,
            mgf1_hash,
            label,
        } => {
            let params = Params::with_capacity(5)
                .utf8(c"pad-mode", c"oaep")
                .utf8(c"digest", md_name(hash))
                .utf8(c"mgf1-digest", md_name(mgf1_hash));
            // An empty label is no label (libcrypto refuses a zero-length one on some builds).
            let params = if label.is_empty() {
                params
            } else {
                params.octets(c"oaep-label", label)
            };
            ctx.set_params(params)
        }
    }
}

fn signature_hashes(scheme: &RsaSignatureScheme) -> [HashId; 2] {
    match *scheme {
        RsaSignatureScheme::Pkcs1v15 { hash } => [hash, hash],
        RsaSignatureScheme::Pss {
            hash, mgf1_hash, ..
        } => [hash, mgf1_hash],
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

/// An RSA public key on OpenSSL.
struct OpenSslRsaPublicKey {
    key: Pkey,
    bits: usize,
    components: RsaPublicComponents,
}

/// An RSA private key on OpenSSL (libcrypto clears its components when the key is freed).
struct OpenSslRsaPrivateKey {
    key: Pkey,
    bits: usize,
    /// The public half, built once: a separate public-only key, so the public handle holds no
    /// private material.
    public: Arc<OpenSslRsaPublicKey>,
}

impl OpenSslRsaPrivateKey {
    fn new(key: Pkey) -> Result<Self> {
        let public = Arc::new(public_key_from(&public_components_of(&key)?)?);
        Ok(OpenSslRsaPrivateKey {
            bits: key.bits(),
            key,
            public,
        })
    }
}

/// n and e of `key`.
fn public_components_of(key: &Pkey) -> Result<RsaPublicComponents> {
    Ok(RsaPublicComponents {
        n: key.bn_param(c"n")?.to_vec(),
        e: key.bn_param(c"e")?.to_vec(),
    })
}

/// A public key from n and e.
fn public_key_from(components: &RsaPublicComponents) -> Result<OpenSslRsaPublicKey> {
    let n = NativeBn::from_be(&components.n);
    let e = NativeBn::from_be(&components.e);
    let key = Pkey::from_data(
        c"RSA",
        Selection::PublicKey,
        Params::with_capacity(3)
            .bignum(c"n", n.bytes())
            .bignum(c"e", e.bytes()),
    )
    .map_err(|_| Error::key_rejected(KeyRejectedKind::InvalidEncoding, "RSA public key"))?;
    let bits = key.bits();
    Ok(OpenSslRsaPublicKey {
        key,
        bits,
        components: components.clone(),
    })
}

impl RsaPublicKeyHandle for OpenSslRsaPublicKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_components(&self) -> RsaPublicComponents {
        self.components.clone()
    }

    fn verify(
        &self,
        signature: &[u8],
        input: SignInput<'_>,
        scheme: &RsaVerificationScheme,
    ) -> Result<()> {
        let (hash, pss) = match *scheme {
            RsaVerificationScheme::Pkcs1v15 { hash } => (hash, None),
            RsaVerificationScheme::Pss {
                hash,
                mgf1_hash,
                salt_length,
            } => (hash, Some((mgf1_hash, salt_length))),
        };
        let tbs = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.verify_init()?;
        set_signature_scheme(&ctx, hash, pss)?;
        if ctx.verify(signature, &tbs) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }

    fn encrypt(&self, plaintext: &[u8], scheme: &RsaEncryptionScheme<'_>) -> Result<Vec<u8>> {
        let ctx = self.key.ctx()?;
        ctx.encrypt_init()?;
        set_encryption_scheme(&ctx, scheme)?;
        ctx.encrypt(plaintext)
    }

    fn recover_data_from_signature(
        &self,
        signature: &[u8],
        scheme: &RsaRecoveryScheme,
    ) -> Result<Vec<u8>> {
        let ctx = self.key.ctx()?;
        ctx.verify_recover_init()?;
        match scheme.hash {
            // With a digest, libcrypto checks the DigestInfo and returns the digest alone.
            Some(hash) => ctx.set_params(
                Params::with_capacity(3)
                    .utf8(c"pad-mode", c"pkcs1")
                    .utf8(c"digest", md_name(hash)),
            )?,
            None => ctx.set_params(Params::with_capacity(2).utf8(c"pad-mode", c"pkcs1"))?,
        }
        ctx.verify_recover(signature).map_err(|_| {
            clear_errors();
            Error::InvalidSignature
        })
    }
}

impl RsaPrivateKeyHandle for OpenSslRsaPrivateKey {
    fn backend_name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn key_size(&self) -> usize {
        self.bits
    }

    fn public_key(&self) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Ok(self.public.clone())
    }

    fn private_components(&self) -> Result<RsaPrivateComponents> {
        let get = |name: &CStr| self.key.bn_param(name).map(|v| v.to_vec());
        Ok(RsaPrivateComponents {
            n: get(c"n")?,
            e: get(c"e")?,
            d: get(c"d")?,
            p: get(c"rsa-factor1")?,
            q: get(c"rsa-factor2")?,
            dmp1: get(c"rsa-exponent1")?,
            dmq1: get(c"rsa-exponent2")?,
            iqmp: get(c"rsa-coefficient1")?,
        })
    }

    fn sign(&self, input: SignInput<'_>, scheme: &RsaSignatureScheme) -> Result<Vec<u8>> {
        let (hash, pss) = match *scheme {
            RsaSignatureScheme::Pkcs1v15 { hash } => (hash, None),
            RsaSignatureScheme::Pss {
                hash,
                mgf1_hash,
                salt_length,
            } => (hash, Some((mgf1_hash, Some(salt_length)))),
        };
        let tbs = digest_of(input, hash)?;
        let ctx = self.key.ctx()?;
        ctx.sign_init()?;
        set_signature_scheme(&ctx, hash, pss)?;
        ctx.sign(&tbs)
    }

    fn raw_private_operation(&self, c: &[u8]) -> Result<SecretBytes> {
        // Decryption without padding is c^d mod n, blinded by libcrypto (see the module docs).
        let raw = || -> Result<SecretBytes> {
            let ctx = self.key.ctx()?;
            ctx.decrypt_init()?;
            ctx.set_params(Params::with_capacity(2).utf8(c"pad-mode", c"none"))?;
            ctx.decrypt(c)
        };
        let m = raw().map_err(|_| {
            clear_errors();
            Error::DecryptionFailed
        })?;
        let len = self.bits.div_ceil(8);
        if m.len() > len {
            return Err(Error::DecryptionFailed);
        }
        let mut out = Zeroizing::new(vec![0u8; len]);
        out[len - m.len()..].copy_from_slice(&m);
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Backend

impl RsaBackend for OpenSslBackend {
    fn rsa_supported(&self, key_size: usize) -> bool {
        KEY_SIZES.contains(&key_size)
    }

    fn rsa_signature_supported(&self, scheme: &RsaSignatureScheme) -> bool {
        signature_hashes(scheme).into_iter().all(hash_available)
    }

    fn rsa_encryption_supported(&self, scheme: &RsaEncryptionScheme<'_>) -> bool {
        match *scheme {
            RsaEncryptionScheme::Pkcs1v15 => true,
            RsaEncryptionScheme::Oaep {
                hash, mgf1_hash, ..
            } => hash_available(hash) && hash_available(mgf1_hash),
        }
    }

    fn generate_rsa_private_key(
        &self,
        public_exponent: u32,
        key_size: usize,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        if !KEY_SIZES.contains(&key_size) {
            return Err(Error::unsupported(
                Reason::UnsupportedPublicKeyAlgorithm,
                format!("RSA keys of {key_size} bits are not supported by OpenSSL"),
            ));
        }
        let bits = c_uint::try_from(key_size)
            .map_err(|_| Error::invalid(format!("RSA key size {key_size} is too large")))?;
        let e = NativeBn::from_be(&public_exponent.to_be_bytes());
        let key = Pkey::generate(
            c"RSA",
            Params::with_capacity(3)
                .uint(c"bits", &bits)
                .bignum(c"e", e.bytes()),
        )?;
        Ok(Arc::new(OpenSslRsaPrivateKey::new(key)?))
    }

    fn load_rsa_private_components(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        load_rsa_key_pair(components, true)
    }

    fn load_rsa_private_components_unchecked(
        &self,
        components: &RsaPrivateComponents,
    ) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
        load_rsa_key_pair(components, false)
    }

    fn load_rsa_public_components(
        &self,
        components: &RsaPublicComponents,
    ) -> Result<Arc<dyn RsaPublicKeyHandle>> {
        Ok(Arc::new(public_key_from(components)?))
    }
}

/// The `openssl` command-line tool as the other side of interoperability tests: keys go to it
/// as DER built with `asn1parse -genconf` from their numbers.
#[cfg(test)]
pub(super) mod cli {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh scratch directory for one test.
    pub(crate) fn scratch(tag: &str) -> PathBuf {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pluggable-crypto-openssl-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    }

    /// Runs `openssl args` in `dir`; `None` (with a notice) when there is no binary.
    pub(crate) fn openssl(dir: &Path, args: &[&str]) -> Option<Output> {
        match Command::new("openssl").current_dir(dir).args(args).output() {
            Ok(output) => Some(output),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("NOTICE: no `openssl` binary; skipping the independent check");
                None
            }
            Err(e) => panic!("cannot run openssl {args:?}: {e}"),
        }
    }

    /// Runs `openssl args` in `dir` and asserts it succeeded.
    pub(crate) fn openssl_ok(dir: &Path, args: &[&str]) -> Option<Output> {
        let output = openssl(dir, args)?;
        assert!(
            output.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Some(output)
    }

    /// `0x` and the hex of a big-endian integer, for a genconf `INTEGER:`.
    pub(crate) fn int(value: &[u8]) -> String {
        format!("0x{}", data_encoding::HEXUPPER.encode(value))
    }

    /// Writes `conf` (an `asn1parse -genconf` description) and returns the DER file's name.
    pub(crate) fn der(dir: &Path, name: &str, conf: &str) -> Option<String> {
        let conf_name = format!("{name}.conf");
        std::fs::write(dir.join(&conf_name), conf).expect("write genconf");
        let der_name = format!("{name}.der");
        openssl_ok(
            dir,
            &[
                "asn1parse",
                "-genconf",
                &conf_name,
                "-out",
                &der_name,
                "-noout",
            ],
        )?;
        Some(der_name)
    }
}

#[cfg(test)]
mod tests {
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

    // pkcs1v15sign-vectors.txt (and pss-vect.txt), Example 1: a 1024-bit key, from
    // cryptography-vectors 50.0.2 `asymmetric/RSA/` (derived from RSA Laboratories'
    // PKCS #1 v2.1 test vectors).
    fn example_1() -> RsaPrivateComponents {
        RsaPrivateComponents {
            n: hex("a56e4a0e701017589a5187dc7ea841d156f2ec0e36ad52a44dfeb1e61f7ad991d8c51056ffedb162b4c0f283a12a88a394dff526ab7291cbb307ceabfce0b1dfd5cd9508096d5b2b8b6df5d671ef6377c0921cb23c270a70e2598e6ff89d19f105acc2d3f0cb35f29280e1386b6f64c4ef22e1e1f20d0ce8cffb2249bd9a2137"),
            e: hex("010001"),
            d: hex("33a5042a90b27d4f5451ca9bbbd0b44771a101af884340aef9885f2a4bbe92e894a724ac3c568c8f97853ad07c0266c8c6a3ca0929f1e8f11231884429fc4d9ae55fee896a10ce707c3ed7e734e44727a39574501a532683109c2abacaba283c31b4bd2f53c3ee37e352cee34f9e503bd80c0622ad79c6dcee883547c6a3b325"),
            p: hex("e7e8942720a877517273a356053ea2a1bc0c94aa72d55c6e86296b2dfc967948c0a72cbccca7eacb35706e09a1df55a1535bd9b3cc34160b3b6dcd3eda8e6443"),
            q: hex("b69dca1cf7d4d7ec81e75b90fcca874abcde123fd2700180aa90479b6e48de8d67ed24f9f19d85ba275874f542cd20dc723e6963364a1f9425452b269a6799fd"),
            dmp1: hex("28fa13938655be1f8a159cbaca5a72ea190c30089e19cd274a556f36c4f6e19f554b34c077790427bbdd8dd3ede2448328f385d81b30e8e43b2fffa027861979"),
            dmq1: hex("1a8b38f398fa712049898d7fb79ee0a77668791299cdfa09efc0e507acb21ed74301ef5bfd48be455eaeb6e1678255827580a8e4e8e14151d1510a82a3f2e729"),
            iqmp: hex("27156aba4126d24a81f3a528cbfb27f56886f840a9f6e86e17a44b94fe9319584b8e22fdde1e5a2e3bd8aa5ba8d8584194eb2190acf832b847f13a3d24a79f4d"),
        }
    }

    // Example 1.1 of both files: the same message.
    const MESSAGE_1_1: &str = "cdc87da223d786df3b45e0bbbc721326d1ee2af806cc315475cc6f0d9c66e1b62371d45ce2392e1ac92844c310102f156a0d8d52c1f4c40ba3aa65095786cb769757a6563ba958fed0bcc984e8b517a3d5f515b23b8a41e74aa867693f90dfb061a6e86dfaaee64472c00e5f20945729cbebe77f06ce78e08f4098fba41f9d6193c0317e8b60d4b6084acb42d29e3808a3bc372d85e331170fcbf7cc72d0b71c296648b3a4d10f416295d0807aa625cab2744fd9ea8fd223c42537029828bd16be02546f130fd2e33b936d2676e08aed1b73318b750a0167d0";
    // pkcs1v15sign-vectors.txt, Example 1.1 (SHA-1).
    const PKCS1_SIGNATURE_1_1: &str = "6bc3a06656842930a247e30d5864b4d819236ba7c68965862ad7dbc4e24af28e86bb531f03358be5fb74777c6086f850caef893f0d6fcc2d0c91ec013693b4ea00b80cd49aac4ecb5f8911afe539ada4a8f3823d1d13e472d1490547c659c7617f3d24087ddb6f2b72096167fc097cab18e9a458fcb634cdce8ee35894c484d7";
    // pss-vect.txt, Example 1.1 (SHA-1, MGF1-SHA-1, a 20-byte salt).
    const PSS_SIGNATURE_1_1: &str = "9074308fb598e9701b2294388e52f971faac2b60a5145af185df5287b5ed2887e57ce7fd44dc8634e407c8e0e4360bc226f3ec227f9d9e54638e8d31f5051215df6ebb9c2f9579aa77598a38f914b5b9c1bd83c4e2f9f382a0d0aa3542ffee65984a601bc69eb28deb27dca12c82c2d4c3f66cd500f1ff2b994d8a4e30cbb33c";

    // oaep-vect.txt, Example 1 key and Example 1.1 (SHA-1, MGF1-SHA-1, no label).
    fn oaep_example_1() -> RsaPrivateComponents {
        RsaPrivateComponents {
            n: hex("a8b3b284af8eb50b387034a860f146c4919f318763cd6c5598c8ae4811a1e0abc4c7e0b082d693a5e7fced675cf4668512772c0cbc64a742c6c630f533c8cc72f62ae833c40bf25842e984bb78bdbf97c0107d55bdb662f5c4e0fab9845cb5148ef7392dd3aaff93ae1e6b667bb3d4247616d4f5ba10d4cfd226de88d39f16fb"),
            e: hex("010001"),
            d: hex("53339cfdb79fc8466a655c7316aca85c55fd8f6dd898fdaf119517ef4f52e8fd8e258df93fee180fa0e4ab29693cd83b152a553d4ac4d1812b8b9fa5af0e7f55fe7304df41570926f3311f15c4d65a732c483116ee3d3d2d0af3549ad9bf7cbfb78ad884f84d5beb04724dc7369b31def37d0cf539e9cfcdd3de653729ead5d1"),
            p: hex("d32737e7267ffe1341b2d5c0d150a81b586fb3132bed2f8d5262864a9cb9f30af38be448598d413a172efb802c21acf1c11c520c2f26a471dcad212eac7ca39d"),
            q: hex("cc8853d1d54da630fac004f471f281c7b8982d8224a490edbeb33d3e3d5cc93c4765703d1dd791642f1f116a0dd852be2419b2af72bfe9a030e860b0288b5d77"),
            dmp1: hex("0e12bf1718e9cef5599ba1c3882fe8046a90874eefce8f2ccc20e4f2741fb0a33a3848aec9c9305fbecbd2d76819967d4671acc6431e4037968db37878e695c1"),
            dmq1: hex("95297b0f95a2fa67d00707d609dfd4fc05c89dafc2ef6d6ea55bec771ea333734d9251e79082ecda866efef13c459e1a631386b7e354c899f5f112ca85d71583"),
            iqmp: hex("4f456c502493bdc0ed2ab756a3a6ed4d67352a697d4216e93212b127a63d5411ce6fa98d5dbefd73263e3728142743818166ed7dd63687dd2a8ca1d2f4fbd8e1"),
        }
    }

    const SHA1_PKCS1: RsaSignatureScheme = RsaSignatureScheme::Pkcs1v15 { hash: HashId::Sha1 };

    #[test]
    fn pkcs1v15_signature_known_answer() {
        let key = backend().load_rsa_private_components(&example_1()).unwrap();
        assert_eq!(key.backend_name(), "openssl");
        assert_eq!(key.key_size(), 1024);
        let message = hex(MESSAGE_1_1);
        let expected = hex(PKCS1_SIGNATURE_1_1);
        // PKCS#1 v1.5 is deterministic: the exact signature, over the message and the digest.
        assert_eq!(
            key.sign(SignInput::Message(&message), &SHA1_PKCS1).unwrap(),
            expected
        );
        let digest = digest(HashId::Sha1, &message).unwrap();
        assert_eq!(
            key.sign(SignInput::Digest(&digest), &SHA1_PKCS1).unwrap(),
            expected
        );

        let public = key.public_key().unwrap();
        let scheme = RsaVerificationScheme::Pkcs1v15 { hash: HashId::Sha1 };
        public
            .verify(&expected, SignInput::Message(&message), &scheme)
            .unwrap();
        public
            .verify(&expected, SignInput::Digest(&digest), &scheme)
            .unwrap();
        let mut bad = expected.clone();
        bad[10] ^= 1;
        assert_eq!(
            public.verify(&bad, SignInput::Message(&message), &scheme),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            public.verify(&expected, SignInput::Message(b"other"), &scheme),
            Err(Error::InvalidSignature)
        );
        let sha256 = RsaVerificationScheme::Pkcs1v15 {
            hash: HashId::Sha256,
        };
        assert_eq!(
            public.verify(&expected, SignInput::Message(&message), &sha256),
            Err(Error::InvalidSignature)
        );
    }

    #[test]
    fn recovery_returns_the_digest_or_the_digest_info() {
        let key = backend().load_rsa_private_components(&example_1()).unwrap();
        let public = key.public_key().unwrap();
        let message = hex(MESSAGE_1_1);
        let signature = hex(PKCS1_SIGNATURE_1_1);
        let digest = digest(HashId::Sha1, &message).unwrap();
        let recovered = public
            .recover_data_from_signature(
                &signature,
                &RsaRecoveryScheme {
                    hash: Some(HashId::Sha1),
                },
            )
            .unwrap();
        assert_eq!(recovered, digest);
        // Without a hash: the whole payload, SHA-1's DigestInfo prefix then the digest.
        let raw = public
            .recover_data_from_signature(&signature, &RsaRecoveryScheme { hash: None })
            .unwrap();
        let mut digest_info = hex("3021300906052b0e03021a05000414");
        digest_info.extend_from_slice(&digest);
        assert_eq!(raw, digest_info);
        // The wrong hash, or a corrupted signature, is InvalidSignature.
        assert_eq!(
            public.recover_data_from_signature(
                &signature,
                &RsaRecoveryScheme {
                    hash: Some(HashId::Sha256)
                }
            ),
            Err(Error::InvalidSignature)
        );
        let mut bad = signature.clone();
        bad[0] ^= 0x40;
        assert_eq!(
            public.recover_data_from_signature(&bad, &RsaRecoveryScheme { hash: None }),
            Err(Error::InvalidSignature)
        );
    }

    #[test]
    fn raw_private_operation_inverts_the_public_one() {
        let key = backend().load_rsa_private_components(&example_1()).unwrap();
        // The PKCS#1 v1.5 signature is EM^d mod n, EM = 00 01 FF.. 00 DigestInfo digest.
        let message = hex(MESSAGE_1_1);
        let mut em = vec![0x00, 0x01];
        em.resize(128 - 35 - 1, 0xff);
        em.push(0x00);
        em.extend_from_slice(&hex("3021300906052b0e03021a05000414"));
        em.extend_from_slice(&digest(HashId::Sha1, &message).unwrap());
        assert_eq!(em.len(), 128);
        assert_eq!(
            key.raw_private_operation(&em).unwrap().to_vec(),
            hex(PKCS1_SIGNATURE_1_1)
        );
        // A PKCS#1 v1.5 ciphertext decrypts raw to 00 02 PS 00 M, at full length.
        let public = key.public_key().unwrap();
        let c = public
            .encrypt(b"attack at dawn", &RsaEncryptionScheme::Pkcs1v15)
            .unwrap();
        assert_eq!(c.len(), 128);
        let m = key.raw_private_operation(&c).unwrap();
        assert_eq!(m.len(), 128);
        assert_eq!(&m[..2], &[0x00, 0x02]);
        assert!(m[2..10].iter().all(|&b| b != 0));
        assert!(m.ends_with(b"\x00attack at dawn"));
        // A leading zero byte of the result is kept (1^d = 1).
        let mut one = vec![0u8; 128];
        one[127] = 1;
        assert_eq!(key.raw_private_operation(&one).unwrap().to_vec(), one);
    }

    #[test]
    fn pss_known_answer_verifies_and_signatures_round_trip() {
        let key = backend().load_rsa_private_components(&example_1()).unwrap();
        let public = key.public_key().unwrap();
        let message = hex(MESSAGE_1_1);
        let signature = hex(PSS_SIGNATURE_1_1);
        for salt_length in [Some(20), None] {
            let scheme = RsaVerificationScheme::Pss {
                hash: HashId::Sha1,
                mgf1_hash: HashId::Sha1,
                salt_length,
            };
            public
                .verify(&signature, SignInput::Message(&message), &scheme)
                .unwrap();
        }
        // The exact salt length is enforced.
        let wrong_salt = RsaVerificationScheme::Pss {
            hash: HashId::Sha1,
            mgf1_hash: HashId::Sha1,
            salt_length: Some(19),
        };
        assert_eq!(
            public.verify(&signature, SignInput::Message(&message), &wrong_salt),
            Err(Error::InvalidSignature)
        );
        let wrong_mgf = RsaVerificationScheme::Pss {
            hash: HashId::Sha1,
            mgf1_hash: HashId::Sha256,
            salt_length: None,
        };
        assert_eq!(
            public.verify(&signature, SignInput::Message(&message), &wrong_mgf),
            Err(Error::InvalidSignature)
        );

        // Our PSS signatures are randomized and verify, with the exact length or auto.
        let scheme = RsaSignatureScheme::Pss {
            hash: HashId::Sha256,
            mgf1_hash: HashId::Sha1,
            salt_length: 32,
        };
        let one = key.sign(SignInput::Message(b"msg"), &scheme).unwrap();
        let two = key.sign(SignInput::Message(b"msg"), &scheme).unwrap();
        assert_ne!(one, two);
        for salt_length in [Some(32), None] {
            let verify = RsaVerificationScheme::Pss {
                hash: HashId::Sha256,
                mgf1_hash: HashId::Sha1,
                salt_length,
            };
            public
                .verify(&one, SignInput::Message(b"msg"), &verify)
                .unwrap();
            let prehashed = digest(HashId::Sha256, b"msg").unwrap();
            public
                .verify(&two, SignInput::Digest(&prehashed), &verify)
                .unwrap();
        }
    }

    #[test]
    fn components_round_trip_and_inconsistent_ones_are_rejected() {
        let components = example_1();
        let key = backend().load_rsa_private_components(&components).unwrap();
        assert!(key.private_components().unwrap() == components);
        assert_eq!(
            key.public_key().unwrap().public_components(),
            components.public()
        );
        let public = backend()
            .load_rsa_public_components(&components.public())
            .unwrap();
        assert_eq!(public.key_size(), 1024);
        assert_eq!(public.public_components(), components.public());

        let mut wrong_d = example_1();
        wrong_d.d[100] ^= 1;
        let mut wrong_iqmp = example_1();
        wrong_iqmp.iqmp[3] ^= 1;
        let mut swapped = example_1();
        swapped.q = oaep_example_1().q.clone();
        for bad in [wrong_d, wrong_iqmp, swapped] {
            match backend().load_rsa_private_components(&bad) {
                Err(Error::KeyRejected(r)) => {
                    assert_eq!(r.kind(), KeyRejectedKind::InconsistentComponents)
                }
                Err(other) => panic!("wrong error {other:?}"),
                Ok(_) => panic!("inconsistent components accepted"),
            }
        }
    }

    #[test]
    fn generated_keys_sign_with_every_hash_and_reload() {
        let key = backend().generate_rsa_private_key(65537, 2048).unwrap();
        assert_eq!(key.key_size(), 2048);
        let components = key.private_components().unwrap();
        assert_eq!(components.e, vec![1, 0, 1]);
        let reloaded = backend().load_rsa_private_components(&components).unwrap();
        let public = reloaded.public_key().unwrap();
        for hash in HashId::ALL {
            let schemes = [
                (
                    RsaSignatureScheme::Pkcs1v15 { hash },
                    RsaVerificationScheme::Pkcs1v15 { hash },
                ),
                (
                    RsaSignatureScheme::Pss {
                        hash,
                        mgf1_hash: hash,
                        salt_length: hash.digest_size(),
                    },
                    RsaVerificationScheme::Pss {
                        hash,
                        mgf1_hash: hash,
                        salt_length: None,
                    },
                ),
            ];
            for (sign, verify) in schemes {
                assert!(backend().rsa_signature_supported(&sign), "{sign:?}");
                let signature = key.sign(SignInput::Message(b"data"), &sign).unwrap();
                assert_eq!(signature.len(), 256);
                public
                    .verify(&signature, SignInput::Message(b"data"), &verify)
                    .unwrap_or_else(|e| panic!("{sign:?}: {e}"));
                assert_eq!(
                    public.verify(&signature, SignInput::Message(b"datA"), &verify),
                    Err(Error::InvalidSignature)
                );
            }
        }
        let e3 = backend().generate_rsa_private_key(3, 1024).unwrap();
        assert_eq!(e3.private_components().unwrap().e, vec![3]);
        assert!(backend().rsa_supported(1024));
        assert!(backend().rsa_supported(16384));
        assert!(!backend().rsa_supported(16385));
    }

    /// SubjectPublicKeyInfo and RSAPrivateKey DER of the Example 1 key, for the CLI.
    fn example_1_der(dir: &std::path::Path) -> Option<(String, String)> {
        use cli::int;
        let k = example_1();
        let public = cli::der(
            dir,
            "pub",
            &format!(
                "asn1=SEQUENCE:spki\n[spki]\nalg=SEQUENCE:alg\nkey=BITWRAP,SEQUENCE:rsa\n\
                 [alg]\noid=OID:1.2.840.113549.1.1.1\nnull=NULL\n[rsa]\nn=INTEGER:{}\ne=INTEGER:{}\n",
                int(&k.n),
                int(&k.e)
            ),
        )?;
        let private = cli::der(
            dir,
            "priv",
            &format!(
                "asn1=SEQUENCE:rsa\n[rsa]\nversion=INTEGER:0\nn=INTEGER:{}\ne=INTEGER:{}\n\
                 d=INTEGER:{}\np=INTEGER:{}\nq=INTEGER:{}\ndmp1=INTEGER:{}\ndmq1=INTEGER:{}\n\
                 iqmp=INTEGER:{}\n",
                int(&k.n),
                int(&k.e),
                int(&k.d),
                int(&k.p),
                int(&k.q),
                int(&k.dmp1),
                int(&k.dmq1),
                int(&k.iqmp)
            ),
        )?;
        Some((public, private))
    }

    #[test]
    fn interoperates_with_the_openssl_cli() {
        let dir = cli::scratch("rsa");
        let Some((public_der, private_der)) = example_1_der(&dir) else {
            return;
        };
        let key = backend().load_rsa_private_components(&example_1()).unwrap();
        let public = key.public_key().unwrap();
        let message = b"interoperability";
        let digest = digest(HashId::Sha256, message).unwrap();
        std::fs::write(dir.join("digest"), &digest).unwrap();
        let pss_options = [
            "-pkeyopt",
            "rsa_padding_mode:pss",
            "-pkeyopt",
            "digest:sha256",
            "-pkeyopt",
            "rsa_mgf1_md:sha256",
            "-pkeyopt",
            "rsa_pss_saltlen:32",
        ];

        // Our PSS signature verifies with `openssl pkeyutl -verify`.
        let ours = key
            .sign(
                SignInput::Message(message),
                &RsaSignatureScheme::Pss {
                    hash: HashId::Sha256,
                    mgf1_hash: HashId::Sha256,
                    salt_length: 32,
                },
            )
            .unwrap();
        std::fs::write(dir.join("ours.sig"), &ours).unwrap();
        let mut args = vec![
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
        args.extend(pss_options);
        cli::openssl_ok(&dir, &args);

        // Its PSS and PKCS#1 v1.5 signatures verify here.
        let mut args = vec![
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
        ];
        args.extend(pss_options);
        cli::openssl_ok(&dir, &args);
        let theirs = std::fs::read(dir.join("theirs.sig")).unwrap();
        public
            .verify(
                &theirs,
                SignInput::Message(message),
                &RsaVerificationScheme::Pss {
                    hash: HashId::Sha256,
                    mgf1_hash: HashId::Sha256,
                    salt_length: None,
                },
            )
            .unwrap();
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
                "pkcs1.sig",
                "-pkeyopt",
                "digest:sha256",
            ],
        );
        let pkcs1 = std::fs::read(dir.join("pkcs1.sig")).unwrap();
        assert_eq!(
            pkcs1,
            key.sign(
                SignInput::Digest(&digest),
                &RsaSignatureScheme::Pkcs1v15 {
                    hash: HashId::Sha256
                }
            )
            .unwrap()
        );

        // Our OAEP (SHA-256, label) ciphertext decrypts there. (Theirs decrypting here is
        // in tests/interop_asymmetric.rs: OAEP decoding is above the backends.)
        let oaep = [
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            "rsa_oaep_md:sha256",
            "-pkeyopt",
            "rsa_mgf1_md:sha256",
            "-pkeyopt",
            "rsa_oaep_label:6c6162656c",
        ];
        let scheme = RsaEncryptionScheme::Oaep {
            hash: HashId::Sha256,
            mgf1_hash: HashId::Sha256,
            label: b"label",
        };
        std::fs::write(
            dir.join("ours.enc"),
            public.encrypt(b"ours", &scheme).unwrap(),
        )
        .unwrap();
        let mut args = vec![
            "pkeyutl",
            "-decrypt",
            "-keyform",
            "DER",
            "-inkey",
            &private_der,
            "-in",
            "ours.enc",
            "-out",
            "ours.dec",
        ];
        args.extend(oaep);
        cli::openssl_ok(&dir, &args);
        assert_eq!(std::fs::read(dir.join("ours.dec")).unwrap(), b"ours");
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// An RSA key pair from its components; `check` runs OpenSSL's pairwise check (which skipping
/// is pyca's `unsafe_skip_rsa_key_validation`).
fn load_rsa_key_pair(
    components: &RsaPrivateComponents,
    check: bool,
) -> Result<Arc<dyn RsaPrivateKeyHandle>> {
    let native = [
        NativeBn::from_be(&components.n),
        NativeBn::from_be(&components.e),
        NativeBn::from_be(&components.d),
        NativeBn::from_be(&components.p),
        NativeBn::from_be(&components.q),
        NativeBn::from_be(&components.dmp1),
        NativeBn::from_be(&components.dmq1),
        NativeBn::from_be(&components.iqmp),
    ];
    let [n, e, d, p, q, dmp1, dmq1, iqmp] = &native;
    let params = Params::with_capacity(9)
        .bignum(c"n", n.bytes())
        .bignum(c"e", e.bytes())
        .bignum(c"d", d.bytes())
        .bignum(c"rsa-factor1", p.bytes())
        .bignum(c"rsa-factor2", q.bytes())
        .bignum(c"rsa-exponent1", dmp1.bytes())
        .bignum(c"rsa-exponent2", dmq1.bytes())
        .bignum(c"rsa-coefficient1", iqmp.bytes());
    let key = Pkey::from_data(c"RSA", Selection::KeyPair, params).map_err(|_| {
        clear_errors();
        Error::key_rejected(KeyRejectedKind::InvalidEncoding, "RSA private key")
    })?;
    // For RSA the pairwise check is the whole key check (RSA_check_key: p and q prime,
    // n = p * q, d * e = 1 mod lcm(p - 1, q - 1), and the CRT values).
    if check && !key.pairwise_check() {
        return Err(Error::key_rejected(
            KeyRejectedKind::InconsistentComponents,
            "RSA private key",
        ));
    }
    Ok(Arc::new(OpenSslRsaPrivateKey::new(key)?))
}
