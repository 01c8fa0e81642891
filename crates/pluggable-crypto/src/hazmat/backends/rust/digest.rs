//! Hash and HMAC contexts over the RustCrypto `digest` traits: one generic type per family.

use digest::{Digest, ExtendableOutput, KeyInit, Mac, Update};

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::registry::{HashFactory, HmacFactory};
use crate::hazmat::backends::{HashContext, HmacContext};
use crate::hazmat::primitives::hashes::HashAlgorithm;

/// A fixed-output hash.
pub(super) struct FixedHash<D>(D);

/// An extendable-output function read to a fixed length.
pub(super) struct XofHash<D> {
    state: D,
    length: usize,
}

/// HMAC over hash `D`.
pub(super) struct HmacState<M>(M);

/// Makes a fresh hash context producing `length` bytes (used by XOFs only).
pub(super) type HashFn = fn(usize) -> Box<dyn HashContext>;
/// Makes an HMAC context keyed with the given key.
pub(super) type HmacFn = fn(&[u8]) -> Result<Box<dyn HmacContext>>;

impl HashFactory for HashFn {
    fn create_hash(&self, algorithm: &dyn HashAlgorithm) -> Result<Box<dyn HashContext>> {
        Ok(self(algorithm.digest_size()))
    }
}

impl HmacFactory for HmacFn {
    fn create_hmac(&self, key: &[u8]) -> Result<Box<dyn HmacContext>> {
        self(key)
    }
}

pub(super) fn fixed<D: Digest + Clone + Send + 'static>(_length: usize) -> Box<dyn HashContext> {
    Box::new(FixedHash(D::new()))
}

pub(super) fn xof<D: Default + Update + ExtendableOutput + Clone + Send + 'static>(
    length: usize,
) -> Box<dyn HashContext> {
    Box::new(XofHash {
        state: D::default(),
        length,
    })
}

pub(super) fn hmac<M: Mac + KeyInit + Clone + Send + 'static>(
    key: &[u8],
) -> Result<Box<dyn HmacContext>> {
    let mac = <M as KeyInit>::new_from_slice(key)
        .map_err(|_| Error::Backend("HMAC rejected the key length".into()))?;
    Ok(Box::new(HmacState(mac)))
}

impl<D: Digest + Clone + Send + 'static> HashContext for FixedHash<D> {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        Digest::update(&mut self.0, data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(FixedHash(self.0.clone())))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        Ok(self.0.finalize().to_vec())
    }
}

impl<D: Update + ExtendableOutput + Clone + Send + 'static> HashContext for XofHash<D> {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.state.update(data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(XofHash {
            state: self.state.clone(),
            length: self.length,
        }))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.length];
        self.state.finalize_xof_into(&mut out);
        Ok(out)
    }
}

impl<M: Mac + Clone + Send + 'static> HmacContext for HmacState<M> {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        Mac::update(&mut self.0, data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn HmacContext>> {
        Ok(Box::new(HmacState(self.0.clone())))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        Ok(self.0.finalize().into_bytes().to_vec())
    }
}
