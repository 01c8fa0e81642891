//! CMAC and Poly1305 on the openssl backend, on the `EVP_MAC`s "CMAC" and "POLY1305".
//!
//! CMAC keeps one template `EVP_MAC_CTX` per (cipher, key size), built once with the backend:
//! set to the cipher's CBC name (so the cipher is fetched then, never per object) and keyed with
//! an all-zero key, since libcrypto only duplicates a keyed CMAC context. A new CMAC duplicates
//! the template and re-keys it with `EVP_MAC_init`, which keeps the template's cipher. The
//! legacy-provider ciphers (Blowfish, CAST5, IDEA, SEED) are listed only if the provider loaded
//! and the template builds. Poly1305 fetches its `EVP_MAC` once; each object is a new context
//! keyed with its one-time key.

use std::any::{Any, TypeId};
use std::ffi::CString;

use super::evp::{Mac, MacCtx, MacTemplate, Params};
use super::{ffi, variable_key_sizes, OpenSslBackend};
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{Backend, CipherSupport, CmacBackend, MacContext, Poly1305Backend};
use crate::hazmat::primitives::ciphers::algorithms::{
    Aes, Blowfish, Camellia, Cast5, CipherAlgorithm, Idea, Seed, Sm4, TripleDes,
};
use crate::hazmat::primitives::unsupported::{unsupported_cmac, unsupported_poly1305};

/// The key length in bytes of Poly1305's one-time key.
const POLY1305_KEY_BYTES: usize = 32;

/// Keys (or re-keys) a CMAC or Poly1305 context; `key` must not be empty.
fn init(ctx: &mut MacCtx, key: &[u8]) -> Result<()> {
    if key.is_empty() {
        return Err(Error::invalid("a MAC key must not be empty"));
    }
    ctx.init(key)
}

/// A keyed CMAC context never used for a message, only duplicated.
struct CmacTemplate {
    ctx: MacTemplate,
    size: usize,
}

impl CmacTemplate {
    /// Builds the template for the CBC cipher `cipher`, keyed with `key_len` zero bytes;
    /// `None` if libcrypto cannot (cipher missing, provider not loaded).
    fn build(cmac: &Mac, cipher: &str, key_len: usize) -> Option<Self> {
        let mut ctx = cmac.new_ctx().ok()?;
        let name = CString::new(cipher).ok()?;
        // libcrypto copies the name and fetches the cipher it names.
        let set = ctx
            .set_params(
                "EVP_MAC_CTX_set_params",
                Params::with_capacity(2).utf8(c"cipher", &name),
            )
            .and_then(|()| init(&mut ctx, &vec![0u8; key_len]));
        if set.is_err() {
            // The error queue is drained: this cipher has no CMAC here.
            return None;
        }
        let size = ctx.mac_size();
        (size > 0).then_some(CmacTemplate {
            ctx: MacTemplate::new(ctx),
            size,
        })
    }
}

/// Marks a variable-key-length cipher in the table: one template, key length set per object.
const VARIABLE: usize = 0;

/// The CMAC ciphers: (type, display name, key size in bits or [`VARIABLE`], OpenSSL CBC name,
/// needs the legacy provider).
fn cmac_table() -> Vec<(TypeId, &'static str, usize, &'static str, bool)> {
    vec![
        (TypeId::of::<Aes>(), "AES", 128, "AES-128-CBC", false),
        (TypeId::of::<Aes>(), "AES", 192, "AES-192-CBC", false),
        (TypeId::of::<Aes>(), "AES", 256, "AES-256-CBC", false),
        (
            TypeId::of::<Camellia>(),
            "camellia",
            128,
            "CAMELLIA-128-CBC",
            false,
        ),
        (
            TypeId::of::<Camellia>(),
            "camellia",
            192,
            "CAMELLIA-192-CBC",
            false,
        ),
        (
            TypeId::of::<Camellia>(),
            "camellia",
            256,
            "CAMELLIA-256-CBC",
            false,
        ),
        // `TripleDes` always carries the expanded 24-byte (three-key) form.
        (
            TypeId::of::<TripleDes>(),
            "3DES",
            192,
            "DES-EDE3-CBC",
            false,
        ),
        (TypeId::of::<Sm4>(), "SM4", 128, "SM4-CBC", false),
        (
            TypeId::of::<Blowfish>(),
            "Blowfish",
            VARIABLE,
            "BF-CBC",
            true,
        ),
        (TypeId::of::<Cast5>(), "CAST5", VARIABLE, "CAST5-CBC", true),
        (TypeId::of::<Idea>(), "IDEA", 128, "IDEA-CBC", true),
        (TypeId::of::<Seed>(), "SEED", 128, "SEED-CBC", true),
    ]
}

struct CmacEntry {
    algorithm: TypeId,
    name: &'static str,
    /// The key sizes in bits this template serves.
    key_sizes: Vec<usize>,
    template: CmacTemplate,
}

/// The backend's fetched MACs, built once with it.
pub(super) struct MacRegistry {
    cmacs: Vec<CmacEntry>,
    poly1305: Option<Mac>,
}

impl MacRegistry {
    pub(super) fn fetch(legacy_provider_loaded: bool) -> Self {
        let mut cmacs = Vec::new();
        if let Some(cmac) = Mac::fetch(c"CMAC") {
            for (algorithm, name, bits, cipher, legacy) in cmac_table() {
                if legacy && !legacy_provider_loaded {
                    continue;
                }
                let (key_sizes, template_bits) = if bits == VARIABLE {
                    (variable_key_sizes(name), 128)
                } else {
                    (vec![bits], bits)
                };
                if let Some(template) = CmacTemplate::build(&cmac, cipher, template_bits / 8) {
                    cmacs.push(CmacEntry {
                        algorithm,
                        name,
                        key_sizes,
                        template,
                    });
                }
            }
        }
        MacRegistry {
            cmacs,
            poly1305: Mac::fetch(c"POLY1305"),
        }
    }

    fn cmac_entry(&self, algorithm: &dyn CipherAlgorithm) -> Option<&CmacEntry> {
        let type_id = (algorithm as &dyn Any).type_id();
        let bits = algorithm.key_size();
        self.cmacs
            .iter()
            .find(|e| e.algorithm == type_id && e.key_sizes.contains(&bits))
    }
}

impl CmacBackend for OpenSslBackend {
    fn cmac_algorithm_supported(&self, algorithm: &dyn CipherAlgorithm) -> bool {
        self.macs.cmac_entry(algorithm).is_some()
    }

    fn create_cmac_ctx(&self, algorithm: &dyn CipherAlgorithm) -> Result<Box<dyn MacContext>> {
        let entry = self
            .macs
            .cmac_entry(algorithm)
            .ok_or_else(|| unsupported_cmac(self.name(), algorithm))?;
        let mut ctx = entry.template.ctx.dup()?;
        init(&mut ctx, algorithm.key())?;
        Ok(Box::new(OpenSslMacContext {
            ctx,
            size: entry.template.size,
        }))
    }

    fn supported_cmacs(&self) -> Vec<CipherSupport> {
        let mut out: Vec<CipherSupport> = Vec::new();
        for entry in &self.macs.cmacs {
            match out.iter_mut().find(|s| s.algorithm == entry.name) {
                Some(line) => line.key_sizes.extend(&entry.key_sizes),
                None => out.push(CipherSupport {
                    algorithm: entry.name.to_owned(),
                    mode: None,
                    key_sizes: entry.key_sizes.clone(),
                }),
            }
        }
        out
    }
}

impl Poly1305Backend for OpenSslBackend {
    fn poly1305_supported(&self) -> bool {
        self.macs.poly1305.is_some()
    }

    fn create_poly1305_ctx(&self, key: &[u8]) -> Result<Box<dyn MacContext>> {
        let mac = self
            .macs
            .poly1305
            .as_ref()
            .ok_or_else(|| unsupported_poly1305(self.name()))?;
        if key.len() != POLY1305_KEY_BYTES {
            return Err(Error::invalid(format!(
                "a Poly1305 key must be {POLY1305_KEY_BYTES} bytes, got {}",
                crate::exceptions::Bytes(key.len())
            )));
        }
        let mut ctx = mac.new_ctx()?;
        init(&mut ctx, key)?;
        let size = ctx.mac_size();
        Ok(Box::new(OpenSslMacContext { ctx, size }))
    }
}

/// A running CMAC or Poly1305 on an `EVP_MAC_CTX`.
pub struct OpenSslMacContext {
    ctx: MacCtx,
    size: usize,
}

impl OpenSslMacContext {
    /// The native `EVP_MAC_CTX`.
    ///
    /// # Safety
    /// Valid while `self` lives; the caller must not free it, use it concurrently with `self`,
    /// or re-key it.
    pub unsafe fn as_ptr(&self) -> *mut ffi::EVP_MAC_CTX {
        self.ctx.as_ptr()
    }
}

impl MacContext for OpenSslMacContext {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        self.ctx.update(data)
    }

    fn copy(&self) -> Result<Box<dyn MacContext>> {
        Ok(Box::new(OpenSslMacContext {
            ctx: self.ctx.dup()?,
            size: self.size,
        }))
    }

    fn finalize(mut self: Box<Self>) -> Result<Vec<u8>> {
        self.ctx.finish_to_vec(self.size)
    }
}
