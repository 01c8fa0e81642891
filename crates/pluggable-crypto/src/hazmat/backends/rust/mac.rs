//! CMAC and Poly1305 on the rust backend.
//!
//! CMAC is the `cmac` crate over every block cipher crate whose block is 64 or 128 bits (the
//! sizes `cmac` can double in): AES, Camellia, 3DES, SM4, Blowfish, CAST5 and IDEA. Poly1305 is
//! the `poly1305` crate, fed whole blocks only, so that any split of the updates gives the
//! RFC 8439 tag.

use cipher::KeyInit;
use cmac::block_api::CmacCipher;
use cmac::Mac;

use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{CipherSupport, CmacBackend, MacContext, Poly1305Backend};
use crate::hazmat::primitives::ciphers::algorithms::{
    self, Aes, Blowfish, Camellia, Cast5, CipherAlgorithm, Idea, Sm4, TripleDes,
};
use crate::hazmat::primitives::unsupported::unsupported_cmac;

use super::universal_hash::PartialBlock;
use super::RustBackend;

/// Builds a CMAC context from the key bytes.
type CmacFactory = fn(&[u8]) -> Result<Box<dyn MacContext>>;

/// One block cipher CMAC runs over: its name, how to recognise its descriptor, and factories
/// for key sizes from `min` to `max` bits (in steps of 8).
struct CmacEntry {
    name: &'static str,
    is: fn(&dyn CipherAlgorithm) -> bool,
    variants: &'static [(usize, usize, CmacFactory)],
}

/// A fixed key size: `bits => cipher type`.
macro_rules! fixed {
    ($bits:literal => $c:ty) => {
        ($bits, $bits, cmac_ctx::<$c> as CmacFactory)
    };
}

const CMACS: &[CmacEntry] = &[
    CmacEntry {
        name: "AES",
        is: algorithms::is::<Aes>,
        variants: &[
            fixed!(128 => aes::Aes128),
            fixed!(192 => aes::Aes192),
            fixed!(256 => aes::Aes256),
        ],
    },
    CmacEntry {
        name: "camellia",
        is: algorithms::is::<Camellia>,
        variants: &[
            fixed!(128 => camellia::Camellia128),
            fixed!(192 => camellia::Camellia192),
            fixed!(256 => camellia::Camellia256),
        ],
    },
    CmacEntry {
        name: "3DES",
        is: algorithms::is::<TripleDes>,
        // The descriptor expands 64- and 128-bit keys to three-key form.
        variants: &[fixed!(192 => des::TdesEde3)],
    },
    CmacEntry {
        name: "SM4",
        is: algorithms::is::<Sm4>,
        variants: &[fixed!(128 => sm4::Sm4)],
    },
    CmacEntry {
        name: "IDEA",
        is: algorithms::is::<Idea>,
        variants: &[fixed!(128 => idea::Idea)],
    },
    CmacEntry {
        name: "Blowfish",
        is: algorithms::is::<Blowfish>,
        variants: &[(32, 448, cmac_ctx::<blowfish::Blowfish> as CmacFactory)],
    },
    CmacEntry {
        name: "CAST5",
        is: algorithms::is::<Cast5>,
        variants: &[(40, 128, cmac_ctx::<cast5::Cast5> as CmacFactory)],
    },
];

/// The factory for `algorithm` with its key size, if this backend has one.
fn cmac_factory(algorithm: &dyn CipherAlgorithm) -> Option<CmacFactory> {
    let bits = algorithm.key_size();
    CMACS
        .iter()
        .find(|e| (e.is)(algorithm))?
        .variants
        .iter()
        .find(|(min, max, _)| (*min..=*max).contains(&bits))
        .map(|(_, _, f)| *f)
}

/// A streaming CMAC; the keyed state (cipher key schedule, subkeys, partial block) is wiped on
/// drop by the crates' `zeroize` features.
struct CmacCtx<C: CmacCipher>(cmac::Cmac<C>);

fn cmac_ctx<C>(key: &[u8]) -> Result<Box<dyn MacContext>>
where
    C: CmacCipher + KeyInit + Clone + Send + 'static,
{
    let mac = <cmac::Cmac<C> as KeyInit>::new_from_slice(key).map_err(|_| {
        Error::invalid(format!(
            "invalid key length ({}) for this CMAC cipher",
            crate::exceptions::Bytes(key.len())
        ))
    })?;
    Ok(Box::new(CmacCtx(mac)))
}

impl<C> MacContext for CmacCtx<C>
where
    C: CmacCipher + Clone + Send + 'static,
{
    fn update(&mut self, data: &[u8]) -> Result<()> {
        Mac::update(&mut self.0, data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn MacContext>> {
        Ok(Box::new(CmacCtx(self.0.clone())))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        let CmacCtx(mac) = *self;
        Ok(mac.finalize().into_bytes().to_vec())
    }
}

impl CmacBackend for RustBackend {
    fn cmac_algorithm_supported(&self, algorithm: &dyn CipherAlgorithm) -> bool {
        cmac_factory(algorithm).is_some()
    }

    fn create_cmac_ctx(&self, algorithm: &dyn CipherAlgorithm) -> Result<Box<dyn MacContext>> {
        let make = cmac_factory(algorithm).ok_or_else(|| unsupported_cmac("rust", algorithm))?;
        make(algorithm.key())
    }

    fn supported_cmacs(&self) -> Vec<CipherSupport> {
        CMACS
            .iter()
            .map(|e| CipherSupport {
                algorithm: e.name.to_owned(),
                mode: None,
                key_sizes: e
                    .variants
                    .iter()
                    .flat_map(|&(min, max, _)| (min..=max).step_by(8))
                    .collect(),
            })
            .collect()
    }
}

/// A raw Poly1305 MAC (RFC 8439 section 2.5): whole 16-byte blocks go to the crate as they
/// complete; the final partial block is buffered and finished unpadded (with its `0x01` byte
/// right after the data), so the tag does not depend on how the message was split.
///
/// The crate wipes `state` on drop (its `zeroize` feature), `partial` wipes itself.
#[derive(Clone)]
struct Poly1305Ctx {
    state: poly1305::Poly1305,
    partial: PartialBlock,
}

impl MacContext for Poly1305Ctx {
    fn update(&mut self, data: &[u8]) -> Result<()> {
        self.partial.absorb(&mut self.state, data);
        Ok(())
    }

    fn copy(&self) -> Result<Box<dyn MacContext>> {
        Ok(Box::new(self.clone()))
    }

    fn finalize(self: Box<Self>) -> Result<Vec<u8>> {
        let Poly1305Ctx { state, partial } = *self;
        Ok(state.compute_unpadded(partial.pending()).to_vec())
    }
}

impl Poly1305Backend for RustBackend {
    fn poly1305_supported(&self) -> bool {
        true
    }

    fn create_poly1305_ctx(&self, key: &[u8]) -> Result<Box<dyn MacContext>> {
        let state = poly1305::Poly1305::new_from_slice(key).map_err(|_| {
            Error::invalid(format!(
                "a Poly1305 key must be {} bytes, got {}",
                poly1305::KEY_SIZE,
                crate::exceptions::Bytes(key.len())
            ))
        })?;
        Ok(Box::new(Poly1305Ctx {
            state,
            partial: PartialBlock::new(),
        }))
    }
}
