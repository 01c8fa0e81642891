//! One-shot AEADs on a multi-backend.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use super::{sorted_set, MultiBackend, Route};
use crate::exceptions::Result;
use crate::hazmat::backends::{AeadBackend, AeadContext, AeadSupport, Backend};
use crate::hazmat::primitives::aead::AeadAlgorithm;
use crate::hazmat::primitives::unsupported::unsupported_aead;

impl MultiBackend {
    /// The member that serves the one-shot AEAD `algorithm` with this key and tag size first,
    /// if any. (A member may still decline one message's parameters, e.g. a nonce length; the
    /// next member then serves that message.)
    pub fn backend_for_aead(
        &self,
        algorithm: AeadAlgorithm,
        key_bytes: usize,
        tag_bytes: usize,
    ) -> Option<&Arc<dyn Backend>> {
        self.serving(Route::Aead(algorithm), |m| {
            m.aead_supported(algorithm, key_bytes, tag_bytes)
        })
    }
}

/// A keyed AEAD over several members: each message goes to the first member whose context
/// accepts its parameters (members' contexts are keyed lazily, once each).
struct MultiAeadContext {
    algorithm: AeadAlgorithm,
    key: Zeroizing<Vec<u8>>,
    tag_bytes: usize,
    members: Vec<Arc<dyn Backend>>,
    contexts: Vec<OnceLock<Result<Box<dyn AeadContext>>>>,
}

impl MultiAeadContext {
    fn run(&self, mut message: impl FnMut(&dyn AeadContext) -> Result<()>) -> Result<()> {
        for (member, slot) in self.members.iter().zip(&self.contexts) {
            let context = slot
                .get_or_init(|| member.create_aead_ctx(self.algorithm, &self.key, self.tag_bytes));
            let outcome = match context {
                Ok(context) => message(&**context),
                Err(e) => Err(e.clone()),
            };
            match outcome {
                Err(e) if e.is_unsupported() => continue,
                other => return other,
            }
        }
        Err(unsupported_aead("multi", self.algorithm))
    }
}

impl AeadContext for MultiAeadContext {
    fn encrypt_into(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        self.run(|c| c.encrypt_into(nonce, plaintext, aad, &mut *out))
    }

    /// As the first member's context (the one most messages use).
    fn seals_in_place(&self) -> bool {
        self.contexts
            .first()
            .and_then(OnceLock::get)
            .is_some_and(|c| c.as_ref().is_ok_and(|c| c.seals_in_place()))
    }

    fn encrypt_in_place(
        &self,
        nonce: &[u8],
        aad: &[&[u8]],
        buf: &mut [u8],
        tag_bytes: usize,
    ) -> Result<()> {
        // A member declines (unsupported) before touching `buf`, so the next sees it intact.
        self.run(|c| c.encrypt_in_place(nonce, aad, &mut *buf, tag_bytes))
    }

    fn decrypt_into(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        aad: &[&[u8]],
        out: &mut [u8],
    ) -> Result<()> {
        self.run(|c| c.decrypt_into(nonce, ciphertext, aad, &mut *out))
    }
}

impl AeadBackend for MultiBackend {
    fn aead_supported(&self, algorithm: AeadAlgorithm, key_bytes: usize, tag_bytes: usize) -> bool {
        self.backend_for_aead(algorithm, key_bytes, tag_bytes)
            .is_some()
    }

    /// A single member's context when only one member serves the construction; otherwise a
    /// context that keys the first member now and the others only if a message needs them.
    fn create_aead_ctx(
        &self,
        algorithm: AeadAlgorithm,
        key: &[u8],
        tag_bytes: usize,
    ) -> Result<Box<dyn AeadContext>> {
        self.check_configured()?;
        let members: Vec<Arc<dyn Backend>> = self
            .in_order(Route::Aead(algorithm))
            .filter(|m| m.aead_supported(algorithm, key.len(), tag_bytes))
            .cloned()
            .collect();
        let first = match members.first() {
            Some(first) => first.create_aead_ctx(algorithm, key, tag_bytes)?,
            None => return Err(unsupported_aead(self.name(), algorithm)),
        };
        if members.len() == 1 {
            return Ok(first);
        }
        let contexts: Vec<_> = (0..members.len()).map(|_| OnceLock::new()).collect();
        let _ = contexts[0].set(Ok(first));
        Ok(Box::new(MultiAeadContext {
            algorithm,
            key: Zeroizing::new(key.to_vec()),
            tag_bytes,
            members,
            contexts,
        }))
    }

    fn supported_aeads(&self) -> Vec<AeadSupport> {
        let mut union: BTreeMap<AeadAlgorithm, Vec<usize>> = BTreeMap::new();
        for a in self.members.iter().flat_map(|m| m.supported_aeads()) {
            union.entry(a.algorithm).or_default().extend(a.key_sizes);
        }
        union
            .into_iter()
            .map(|(algorithm, key_sizes)| AeadSupport {
                algorithm,
                key_sizes: sorted_set(key_sizes),
            })
            .collect()
    }
}
