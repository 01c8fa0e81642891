//! Raw OpenSSL `EVP_PKEY` baselines through `openssl-sys` (see
//! [`crate::raw_openssl_public_key`] for exactly what runs per operation).

use std::ffi::{c_int, c_void, CStr};
use std::ptr::{self, NonNull};

use openssl_sys as ffi;

use crate::fixtures::Keys;
use crate::public_key::{put, put_verified, KeyFamily, NistCurve, OpKind, OpRunner, PublicKeyOp};
use crate::MESSAGE;

/// `OSSL_KEYMGMT_SELECT_*` of OpenSSL's `core_dispatch.h`, as `EVP_PKEY_fromdata` takes them.
const SELECT_PRIVATE: c_int = 0x01;
const SELECT_PUBLIC: c_int = 0x02;
const SELECT_DOMAIN_PARAMETERS: c_int = 0x04;
const SELECT_OTHER_PARAMETERS: c_int = 0x80;
const SELECT_KEYPAIR: c_int =
    SELECT_PRIVATE | SELECT_PUBLIC | SELECT_DOMAIN_PARAMETERS | SELECT_OTHER_PARAMETERS;
const SELECT_PUBLIC_KEY: c_int = SELECT_PUBLIC | SELECT_DOMAIN_PARAMETERS | SELECT_OTHER_PARAMETERS;

fn clear_errors() {
    // SAFETY: only empties this thread's error queue.
    unsafe { ffi::ERR_clear_error() };
}

/// An owned `EVP_PKEY`.
struct Pkey(NonNull<ffi::EVP_PKEY>);

impl Drop for Pkey {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the key.
        unsafe { ffi::EVP_PKEY_free(self.0.as_ptr()) };
    }
}

impl Pkey {
    fn from_raw(raw: *mut ffi::EVP_PKEY) -> Option<Pkey> {
        let key = NonNull::new(raw).map(Pkey);
        if key.is_none() {
            clear_errors();
        }
        key
    }

    /// `EVP_PKEY_get_size`: the largest signature or decryption output.
    fn size(&self) -> usize {
        // SAFETY: live key; reads a constant.
        usize::try_from(unsafe { ffi::EVP_PKEY_get_size(self.0.as_ptr()) }).unwrap_or(0)
    }

    /// A key of `key_type` from `params` (built with [`ParamBuilder`]).
    fn from_data(key_type: &CStr, selection: c_int, params: &ParamBuilder) -> Option<Pkey> {
        let list = params.build()?;
        // SAFETY: `key_type` is NUL-terminated; NULL library context and properties.
        let ctx = unsafe {
            ffi::EVP_PKEY_CTX_new_from_name(ptr::null_mut(), key_type.as_ptr(), ptr::null())
        };
        let ctx = PkeyCtx::from_raw(ctx)?;
        let mut key: *mut ffi::EVP_PKEY = ptr::null_mut();
        // SAFETY: fresh context; `list` is a terminated OSSL_PARAM array that outlives the call
        // (fromdata copies what it keeps); on success `key` receives a key we own.
        let ok = unsafe {
            ffi::EVP_PKEY_fromdata_init(ctx.0.as_ptr()) == 1
                && ffi::EVP_PKEY_fromdata(ctx.0.as_ptr(), &mut key, selection, list.0.as_ptr()) == 1
        };
        if !ok {
            clear_errors();
            return None;
        }
        Pkey::from_raw(key)
    }

    fn raw_private(key_type: c_int, bytes: &[u8]) -> Option<Pkey> {
        // SAFETY: `bytes` is readable for its length; NULL engine.
        Pkey::from_raw(unsafe {
            ffi::EVP_PKEY_new_raw_private_key(
                key_type,
                ptr::null_mut(),
                bytes.as_ptr(),
                bytes.len(),
            )
        })
    }

    fn raw_public(key_type: c_int, bytes: &[u8]) -> Option<Pkey> {
        // SAFETY: as above.
        Pkey::from_raw(unsafe {
            ffi::EVP_PKEY_new_raw_public_key(key_type, ptr::null_mut(), bytes.as_ptr(), bytes.len())
        })
    }

    /// The big-endian value of the integer parameter `name`.
    fn bn_param(&self, name: &CStr) -> Option<Vec<u8>> {
        let mut bn: *mut ffi::BIGNUM = ptr::null_mut();
        // SAFETY: live key, NUL-terminated name; on success `bn` is a BIGNUM we own.
        if unsafe { ffi::EVP_PKEY_get_bn_param(self.0.as_ptr(), name.as_ptr(), &mut bn) } != 1 {
            clear_errors();
            return None;
        }
        let bn = Bn(NonNull::new(bn)?);
        // SAFETY: live BIGNUM.
        let len = usize::try_from(unsafe { ffi::BN_num_bits(bn.0.as_ptr()) })
            .ok()?
            .div_ceil(8);
        let mut out = vec![0u8; len];
        // SAFETY: `out` has BN_num_bytes bytes, which BN_bn2bin writes.
        unsafe { ffi::BN_bn2bin(bn.0.as_ptr(), out.as_mut_ptr()) };
        Some(out)
    }

    /// The octet-string parameter `name` (at most 256 bytes).
    fn octet_param(&self, name: &CStr) -> Option<Vec<u8>> {
        let mut out = vec![0u8; 256];
        let mut len = 0usize;
        // SAFETY: `out` has room for `out.len()` bytes; OpenSSL writes at most that and the
        // length to `len`.
        let ok = unsafe {
            ffi::EVP_PKEY_get_octet_string_param(
                self.0.as_ptr(),
                name.as_ptr(),
                out.as_mut_ptr(),
                out.len(),
                &mut len,
            )
        };
        if ok != 1 {
            clear_errors();
            return None;
        }
        out.truncate(len);
        Some(out)
    }
}

/// An owned `BIGNUM`.
struct Bn(NonNull<ffi::BIGNUM>);

impl Bn {
    fn from_be(bytes: &[u8]) -> Option<Bn> {
        let len = c_int::try_from(bytes.len()).ok()?;
        // SAFETY: `bytes` is readable for `len` bytes; NULL asks for a new BIGNUM.
        NonNull::new(unsafe { ffi::BN_bin2bn(bytes.as_ptr(), len, ptr::null_mut()) }).map(Bn)
    }
}

impl Drop for Bn {
    fn drop(&mut self) {
        // SAFETY: we own the BIGNUM; cleared before it is freed.
        unsafe { ffi::BN_clear_free(self.0.as_ptr()) };
    }
}

/// An `OSSL_PARAM_BLD` with the BIGNUMs it refers to (pushed by reference, so kept alive).
struct ParamBuilder {
    bld: NonNull<ffi::OSSL_PARAM_BLD>,
    bns: Vec<Bn>,
    ok: bool,
}

/// A built `OSSL_PARAM` array.
struct ParamList(NonNull<ffi::OSSL_PARAM>);

impl Drop for ParamList {
    fn drop(&mut self) {
        // SAFETY: we own the array OSSL_PARAM_BLD_to_param returned.
        unsafe { ffi::OSSL_PARAM_free(self.0.as_ptr()) };
    }
}

impl ParamBuilder {
    fn new() -> Option<ParamBuilder> {
        // SAFETY: allocates a builder; NULL-checked.
        let bld = NonNull::new(unsafe { ffi::OSSL_PARAM_BLD_new() })?;
        Some(ParamBuilder {
            bld,
            bns: Vec::new(),
            ok: true,
        })
    }

    fn bn(mut self, name: &'static CStr, be: &[u8]) -> Self {
        match Bn::from_be(be) {
            Some(bn) => {
                // SAFETY: live builder and BIGNUM; the builder keeps the pointer until
                // `to_param`, and `self.bns` keeps the BIGNUM alive as long as the builder.
                self.ok &= unsafe {
                    ffi::OSSL_PARAM_BLD_push_BN(self.bld.as_ptr(), name.as_ptr(), bn.0.as_ptr())
                } == 1;
                self.bns.push(bn);
            }
            None => self.ok = false,
        }
        self
    }

    fn utf8(mut self, name: &'static CStr, value: &'static CStr) -> Self {
        // SAFETY: live builder; static NUL-terminated strings (0: length from strlen).
        self.ok &= unsafe {
            ffi::OSSL_PARAM_BLD_push_utf8_string(
                self.bld.as_ptr(),
                name.as_ptr(),
                value.as_ptr(),
                0,
            )
        } == 1;
        self
    }

    fn octets(mut self, name: &'static CStr, value: &[u8]) -> Self {
        // SAFETY: live builder; `value` is readable for its length and copied by the builder.
        self.ok &= unsafe {
            ffi::OSSL_PARAM_BLD_push_octet_string(
                self.bld.as_ptr(),
                name.as_ptr(),
                value.as_ptr().cast::<c_void>(),
                value.len(),
            )
        } == 1;
        self
    }

    fn build(&self) -> Option<ParamList> {
        if !self.ok {
            return None;
        }
        // SAFETY: live builder; the array it returns copies every value (BIGNUMs included).
        NonNull::new(unsafe { ffi::OSSL_PARAM_BLD_to_param(self.bld.as_ptr()) }).map(ParamList)
    }
}

impl Drop for ParamBuilder {
    fn drop(&mut self) {
        // SAFETY: we own the builder.
        unsafe { ffi::OSSL_PARAM_BLD_free(self.bld.as_ptr()) };
    }
}

/// An owned `EVP_PKEY_CTX`.
struct PkeyCtx(NonNull<ffi::EVP_PKEY_CTX>);

impl PkeyCtx {
    fn from_raw(raw: *mut ffi::EVP_PKEY_CTX) -> Option<PkeyCtx> {
        let ctx = NonNull::new(raw).map(PkeyCtx);
        if ctx.is_none() {
            clear_errors();
        }
        ctx
    }

    fn for_key(key: &Pkey) -> Option<PkeyCtx> {
        // SAFETY: live key; the context takes its own reference; NULL engine.
        PkeyCtx::from_raw(unsafe { ffi::EVP_PKEY_CTX_new(key.0.as_ptr(), ptr::null_mut()) })
    }
}

impl Drop for PkeyCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context.
        unsafe { ffi::EVP_PKEY_CTX_free(self.0.as_ptr()) };
    }
}

/// An owned `EVP_MD_CTX`.
struct MdCtx(NonNull<ffi::EVP_MD_CTX>);

impl MdCtx {
    fn new() -> Option<MdCtx> {
        // SAFETY: allocates; NULL-checked.
        NonNull::new(unsafe { ffi::EVP_MD_CTX_new() }).map(MdCtx)
    }
}

impl Drop for MdCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context (and through it the EVP_PKEY_CTX DigestSignInit made).
        unsafe { ffi::EVP_MD_CTX_free(self.0.as_ptr()) };
    }
}

/// A fetched `EVP_MD`.
struct Md(NonNull<ffi::EVP_MD>);

impl Md {
    fn fetch(name: &CStr) -> Option<Md> {
        // SAFETY: NUL-terminated name; NULL context and properties; NULL-checked.
        let md =
            NonNull::new(unsafe { ffi::EVP_MD_fetch(ptr::null_mut(), name.as_ptr(), ptr::null()) })
                .map(Md);
        if md.is_none() {
            clear_errors();
        }
        md
    }
}

impl Drop for Md {
    fn drop(&mut self) {
        // SAFETY: we own one reference to the fetched digest.
        unsafe { ffi::EVP_MD_free(self.0.as_ptr()) };
    }
}

fn rsa_private(bits: usize) -> Option<Pkey> {
    let k = Keys::get().rsa(bits)?;
    let params = ParamBuilder::new()?
        .bn(c"n", &k.n)
        .bn(c"e", &k.e)
        .bn(c"d", &k.d)
        .bn(c"rsa-factor1", &k.p)
        .bn(c"rsa-factor2", &k.q)
        .bn(c"rsa-exponent1", &k.dmp1)
        .bn(c"rsa-exponent2", &k.dmq1)
        .bn(c"rsa-coefficient1", &k.iqmp);
    Pkey::from_data(c"RSA", SELECT_KEYPAIR, &params)
}

fn rsa_public(bits: usize) -> Option<Pkey> {
    let k = Keys::get().rsa(bits)?;
    let params = ParamBuilder::new()?.bn(c"n", &k.n).bn(c"e", &k.e);
    Pkey::from_data(c"RSA", SELECT_PUBLIC_KEY, &params)
}

fn group(c: NistCurve) -> &'static CStr {
    match c {
        NistCurve::P256 => c"P-256",
        NistCurve::P384 => c"P-384",
    }
}

fn ec_private(c: NistCurve) -> Option<Pkey> {
    let k = Keys::get().ec(c);
    let params = ParamBuilder::new()?
        .utf8(c"group", group(c))
        .bn(c"priv", &k.d)
        .octets(c"pub", &k.point);
    Pkey::from_data(c"EC", SELECT_KEYPAIR, &params)
}

fn ec_public(c: NistCurve, point: &[u8]) -> Option<Pkey> {
    let params = ParamBuilder::new()?
        .utf8(c"group", group(c))
        .octets(c"pub", point);
    Pkey::from_data(c"EC", SELECT_PUBLIC_KEY, &params)
}

fn md_of(family: KeyFamily) -> Option<Option<Md>> {
    Some(match family {
        KeyFamily::Rsa(_) | KeyFamily::Ec(NistCurve::P256) => Some(Md::fetch(c"SHA256")?),
        KeyFamily::Ec(NistCurve::P384) => Some(Md::fetch(c"SHA384")?),
        _ => None,
    })
}

pub(crate) fn runner(op: PublicKeyOp) -> Option<Box<dyn OpRunner>> {
    ffi::init();
    let keys = Keys::get();
    let family = op.family();
    Some(match (op.kind(), family) {
        (OpKind::Sign, _) => {
            let key = match family {
                KeyFamily::Rsa(bits) => rsa_private(bits)?,
                KeyFamily::Ec(c) => ec_private(c)?,
                KeyFamily::Ed25519 => Pkey::raw_private(ffi::EVP_PKEY_ED25519, &keys.ed25519.seed)?,
                KeyFamily::X25519 => return None,
            };
            Box::new(Sign {
                size: key.size(),
                key,
                md: md_of(family)?,
            })
        }
        (OpKind::Verify, _) => {
            let (key, signature) = match family {
                KeyFamily::Rsa(bits) => (rsa_public(bits)?, &keys.rsa(bits)?.signature),
                KeyFamily::Ec(c) => (ec_public(c, &keys.ec(c).point)?, &keys.ec(c).signature),
                KeyFamily::Ed25519 => (
                    Pkey::raw_public(ffi::EVP_PKEY_ED25519, &keys.ed25519.public)?,
                    &keys.ed25519.signature,
                ),
                KeyFamily::X25519 => return None,
            };
            Box::new(Verify {
                key,
                md: md_of(family)?,
                signature,
            })
        }
        (OpKind::Decrypt, KeyFamily::Rsa(bits)) => {
            let key = rsa_private(bits)?;
            Box::new(Decrypt {
                size: key.size(),
                key,
                md: Md::fetch(c"SHA256")?,
                ciphertext: &keys.rsa(bits)?.ciphertext,
            })
        }
        (OpKind::Exchange, KeyFamily::X25519) => Box::new(Derive {
            key: Pkey::raw_private(ffi::EVP_PKEY_X25519, &keys.x25519.private)?,
            peer: Pkey::raw_public(ffi::EVP_PKEY_X25519, &keys.x25519.peer)?,
        }),
        (OpKind::Exchange, KeyFamily::Ec(c)) => Box::new(Derive {
            key: ec_private(c)?,
            peer: ec_public(c, &keys.p256_peer.point)?,
        }),
        (OpKind::Keygen, KeyFamily::Rsa(bits)) => {
            Box::new(Keygen::Rsa(c_int::try_from(bits).ok()?))
        }
        (OpKind::Keygen, KeyFamily::Ec(NistCurve::P256)) => Box::new(Keygen::P256),
        _ => return None,
    })
}

/// Sign: a fresh `EVP_MD_CTX` per signature.
struct Sign {
    key: Pkey,
    md: Option<Md>,
    size: usize,
}

impl Sign {
    fn sign(&self, out: &mut Vec<u8>) -> Option<()> {
        let ctx = MdCtx::new()?;
        let md = self
            .md
            .as_ref()
            .map_or(ptr::null(), |md| md.0.as_ptr().cast_const());
        // SAFETY: fresh context, live key and digest (NULL for Ed25519); NULL engine and
        // no EVP_PKEY_CTX out-pointer.
        let ok = unsafe {
            ffi::EVP_DigestSignInit(
                ctx.0.as_ptr(),
                ptr::null_mut(),
                md,
                ptr::null_mut(),
                self.key.0.as_ptr(),
            )
        };
        if ok != 1 {
            return None;
        }
        out.clear();
        out.resize(self.size, 0);
        let mut len = out.len();
        // SAFETY: `out` has `len` = EVP_PKEY_get_size writable bytes, the most a signature
        // takes; MESSAGE is readable.
        let ok = unsafe {
            ffi::EVP_DigestSign(
                ctx.0.as_ptr(),
                out.as_mut_ptr(),
                &mut len,
                MESSAGE.as_ptr(),
                MESSAGE.len(),
            )
        };
        if ok != 1 {
            return None;
        }
        out.truncate(len);
        Some(())
    }
}

impl OpRunner for Sign {
    fn run(&mut self, out: &mut Vec<u8>) {
        if self.sign(out).is_none() {
            clear_errors();
            out.clear();
        }
    }
}

/// Verify: a fresh `EVP_MD_CTX` per verification.
struct Verify {
    key: Pkey,
    md: Option<Md>,
    signature: &'static [u8],
}

impl Verify {
    fn verify(&self) -> Option<bool> {
        let ctx = MdCtx::new()?;
        let md = self
            .md
            .as_ref()
            .map_or(ptr::null(), |md| md.0.as_ptr().cast_const());
        // SAFETY: as in `Sign::sign`.
        let ok = unsafe {
            ffi::EVP_DigestVerifyInit(
                ctx.0.as_ptr(),
                ptr::null_mut(),
                md,
                ptr::null_mut(),
                self.key.0.as_ptr(),
            )
        };
        if ok != 1 {
            return None;
        }
        // SAFETY: both buffers are readable for their lengths.
        let ok = unsafe {
            ffi::EVP_DigestVerify(
                ctx.0.as_ptr(),
                self.signature.as_ptr(),
                self.signature.len(),
                MESSAGE.as_ptr(),
                MESSAGE.len(),
            )
        };
        Some(ok == 1)
    }
}

impl OpRunner for Verify {
    fn run(&mut self, out: &mut Vec<u8>) {
        let ok = self.verify() == Some(true);
        if !ok {
            clear_errors();
        }
        put_verified(out, ok);
    }
}

/// OAEP decryption: a fresh `EVP_PKEY_CTX` per ciphertext.
struct Decrypt {
    key: Pkey,
    md: Md,
    size: usize,
    ciphertext: &'static [u8],
}

impl Decrypt {
    fn decrypt(&self, out: &mut Vec<u8>) -> Option<()> {
        let ctx = PkeyCtx::for_key(&self.key)?;
        let c = ctx.0.as_ptr();
        let md = self.md.0.as_ptr();
        // SAFETY: fresh context on an RSA key; the setters take the live digest (OpenSSL 3
        // reads its name) and only apply after decrypt_init.
        let ok = unsafe {
            ffi::EVP_PKEY_decrypt_init(c) == 1
                && ffi::EVP_PKEY_CTX_set_rsa_padding(c, ffi::RSA_PKCS1_OAEP_PADDING) == 1
                && ffi::EVP_PKEY_CTX_set_rsa_oaep_md(c, md) == 1
                && ffi::EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) == 1
        };
        if !ok {
            return None;
        }
        out.clear();
        out.resize(self.size, 0);
        let mut len = out.len();
        // SAFETY: `out` has modulus-size writable bytes (more than any OAEP plaintext); the
        // ciphertext is readable.
        let ok = unsafe {
            ffi::EVP_PKEY_decrypt(
                c,
                out.as_mut_ptr(),
                &mut len,
                self.ciphertext.as_ptr(),
                self.ciphertext.len(),
            )
        };
        if ok != 1 {
            return None;
        }
        out.truncate(len);
        Some(())
    }
}

impl OpRunner for Decrypt {
    fn run(&mut self, out: &mut Vec<u8>) {
        if self.decrypt(out).is_none() {
            clear_errors();
            out.clear();
        }
    }
}

/// X25519 / ECDH: a fresh `EVP_PKEY_CTX` per exchange.
struct Derive {
    key: Pkey,
    peer: Pkey,
}

impl Derive {
    fn derive(&self, out: &mut Vec<u8>) -> Option<()> {
        let ctx = PkeyCtx::for_key(&self.key)?;
        let c = ctx.0.as_ptr();
        // SAFETY: fresh context; live peer key (the context takes its own reference).
        let ok = unsafe {
            ffi::EVP_PKEY_derive_init(c) == 1
                && ffi::EVP_PKEY_derive_set_peer(c, self.peer.0.as_ptr()) == 1
        };
        if !ok {
            return None;
        }
        // Both secrets are 32 bytes (X25519, P-256's x-coordinate).
        out.clear();
        out.resize(66, 0);
        let mut len = out.len();
        // SAFETY: `out` has `len` writable bytes, more than either shared secret.
        if unsafe { ffi::EVP_PKEY_derive(c, out.as_mut_ptr(), &mut len) } != 1 {
            return None;
        }
        out.truncate(len);
        Some(())
    }
}

impl OpRunner for Derive {
    fn run(&mut self, out: &mut Vec<u8>) {
        if self.derive(out).is_none() {
            clear_errors();
            out.clear();
        }
    }
}

/// Key generation: RSA with this many bits, or P-256.
enum Keygen {
    Rsa(c_int),
    P256,
}

impl Keygen {
    fn generate(&self) -> Option<Vec<u8>> {
        let name = match self {
            Keygen::Rsa(_) => c"RSA",
            Keygen::P256 => c"EC",
        };
        // SAFETY: NUL-terminated name; NULL context and properties.
        let ctx = PkeyCtx::from_raw(unsafe {
            ffi::EVP_PKEY_CTX_new_from_name(ptr::null_mut(), name.as_ptr(), ptr::null())
        })?;
        let c = ctx.0.as_ptr();
        // SAFETY: fresh context for the algorithm; the setter applies after keygen_init.
        let ok = unsafe {
            ffi::EVP_PKEY_keygen_init(c) == 1
                && match self {
                    Keygen::Rsa(bits) => ffi::EVP_PKEY_CTX_set_rsa_keygen_bits(c, *bits) == 1,
                    Keygen::P256 => {
                        ffi::EVP_PKEY_CTX_set_ec_paramgen_curve_nid(c, ffi::NID_X9_62_prime256v1)
                            == 1
                    }
                }
        };
        if !ok {
            return None;
        }
        let mut key: *mut ffi::EVP_PKEY = ptr::null_mut();
        // SAFETY: initialised keygen context; on success `key` is a key we own.
        if unsafe { ffi::EVP_PKEY_generate(c, &mut key) } != 1 {
            return None;
        }
        let key = Pkey::from_raw(key)?;
        match self {
            Keygen::Rsa(_) => key.bn_param(c"n"),
            Keygen::P256 => key.octet_param(c"encoded-pub-key"),
        }
    }
}

impl OpRunner for Keygen {
    fn run(&mut self, out: &mut Vec<u8>) {
        match self.generate() {
            Some(public) => put(out, &public),
            None => {
                clear_errors();
                out.clear();
            }
        }
    }
}
