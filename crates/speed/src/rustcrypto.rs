//! Raw RustCrypto baselines (see [`crate::raw_rustcrypto`] for exactly what runs per message).

use std::marker::PhantomData;

use aes_gcm::{AeadInOut, KeyInit as _};
use chacha20::{ChaCha20Legacy, ChaCha20LegacyCore};
use cipher::{BlockModeEncrypt, InOutBuf, KeyIvInit, StreamCipher};
use digest::Digest;
use hmac::Mac;

use crate::{prepare, processed, Primitive, Runner};

pub(crate) fn runner(p: Primitive) -> Option<Box<dyn Runner>> {
    runner_with_aad(p, p.aad())
}

/// As [`runner`], sealing one-shot AEAD messages with `aad` instead of the primitive's.
pub(crate) fn runner_with_aad(p: Primitive, aad: &'static [u8]) -> Option<Box<dyn Runner>> {
    Some(match p {
        Primitive::Aes128Gcm => Box::new(Gcm::<aes_gcm::Aes128Gcm>::new(p)),
        Primitive::Aes256Gcm => Box::new(Gcm::<aes_gcm::Aes256Gcm>::new(p)),
        Primitive::ChaCha20 => Box::new(ChaCha),
        Primitive::Aes128Ctr => Box::new(Stream::<ctr::Ctr128BE<aes::Aes128>>::new(p)),
        Primitive::Aes256Ctr => Box::new(Stream::<ctr::Ctr128BE<aes::Aes256>>::new(p)),
        Primitive::Aes256Cbc => Box::new(Cbc::<aes::Aes256>::new(p)),
        Primitive::Camellia128Cbc => Box::new(Cbc::<camellia::Camellia128>::new(p)),
        Primitive::Sha1 => Box::new(Hash::<sha1::Sha1>(PhantomData)),
        Primitive::Sha256 => Box::new(Hash::<sha2::Sha256>(PhantomData)),
        Primitive::Sha512 => Box::new(Hash::<sha2::Sha512>(PhantomData)),
        Primitive::Sha3_256 => Box::new(Hash::<sha3::Sha3_256>(PhantomData)),
        Primitive::Blake2b => Box::new(Hash::<blake2::Blake2b512>(PhantomData)),
        Primitive::HmacSha256 => Box::new(HmacSha256),
        Primitive::Aes128GcmOneShot => Box::new(KeyedGcm::<aes_gcm::Aes128Gcm>::new(p, aad)?),
        Primitive::Aes256GcmOneShot => Box::new(KeyedGcm::<aes_gcm::Aes256Gcm>::new(p, aad)?),
        Primitive::ChaCha20Poly1305 => {
            Box::new(KeyedGcm::<chacha20poly1305::ChaCha20Poly1305>::new(p, aad)?)
        }
    })
}

/// Declares a runner type for primitive `p` over a RustCrypto type parameter.
macro_rules! typed_runner {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        struct $name<T> {
            p: Primitive,
            _type: PhantomData<fn() -> T>,
        }

        impl<T> $name<T> {
            fn new(p: Primitive) -> Self {
                $name {
                    p,
                    _type: PhantomData,
                }
            }
        }
    };
}

typed_runner!(
    /// `aes_gcm::AesNGcm` keyed per message, one-shot detached encryption.
    Gcm
);
typed_runner!(
    /// A keystream cipher keyed per message (AES-CTR).
    Stream
);
typed_runner!(
    /// CBC encryption keyed per message, whole blocks only.
    Cbc
);

impl<A: AeadInOut + aes_gcm::KeyInit> Runner for Gcm<A> {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        match A::new_from_slice(self.p.key()) {
            Ok(aead) => seal_detached(&aead, self.p.iv(), b"", message, out),
            Err(_) => out.clear(),
        }
    }
}

/// `aes_gcm::AesNGcm` keyed once; per message the one-shot detached encryption with `aad`.
struct KeyedGcm<A> {
    aead: A,
    nonce: &'static [u8],
    aad: &'static [u8],
}

impl<A: aes_gcm::KeyInit> KeyedGcm<A> {
    fn new(p: Primitive, aad: &'static [u8]) -> Option<Self> {
        Some(KeyedGcm {
            aead: A::new_from_slice(p.key()).ok()?,
            nonce: p.iv(),
            aad,
        })
    }
}

impl<A: AeadInOut> Runner for KeyedGcm<A> {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        seal_detached(&self.aead, self.nonce, self.aad, message, out);
    }
}

/// `encrypt_inout_detached` of `message` into `out`, the 16-byte tag appended; `out` empty on
/// failure.
fn seal_detached<A: AeadInOut>(
    aead: &A,
    nonce: &[u8],
    aad: &[u8],
    message: &[u8],
    out: &mut Vec<u8>,
) {
    const TAG: usize = 16;
    let Ok(nonce) = nonce.try_into() else {
        out.clear();
        return;
    };
    let n = message.len();
    let buf = prepare(out, n + TAG);
    let (data, rest) = buf.split_at_mut(n);
    let ok = InOutBuf::new(message, data)
        .ok()
        .and_then(|inout| aead.encrypt_inout_detached(nonce, aad, inout).ok())
        .filter(|tag| tag.len() == TAG)
        .map(|tag| rest[..TAG].copy_from_slice(&tag))
        .is_some();
    out.truncate(if ok { n + TAG } else { 0 });
}

/// ChaCha20 keyed per message the way our Rust backend keys it.
struct ChaCha;

impl Runner for ChaCha {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let iv = Primitive::ChaCha20.iv();
        let (Ok(key), Ok(nonce), Ok(low), Ok(high)) = (
            <[u8; 32]>::try_from(Primitive::ChaCha20.key()),
            <[u8; 8]>::try_from(&iv[8..]),
            <[u8; 4]>::try_from(&iv[..4]),
            <[u8; 4]>::try_from(&iv[4..8]),
        ) else {
            out.clear();
            return;
        };
        let counter =
            u64::from(u32::from_le_bytes(low)) | (u64::from(u32::from_le_bytes(high)) << 32);
        let mut core = ChaCha20LegacyCore::new(&key.into(), &nonce.into());
        core.set_block_pos(counter);
        apply(ChaCha20Legacy::from_core(core), message, out);
    }
}

impl<S: KeyIvInit + StreamCipher> Runner for Stream<S> {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        match S::new_from_slices(self.p.key(), self.p.iv()) {
            Ok(cipher) => apply(cipher, message, out),
            Err(_) => out.clear(),
        }
    }
}

/// XORs the keystream onto `message` into `out`.
fn apply(mut cipher: impl StreamCipher, message: &[u8], out: &mut Vec<u8>) {
    let n = message.len();
    let ok = cipher
        .try_apply_keystream_b2b(message, &mut prepare(out, n)[..n])
        .is_ok();
    out.truncate(if ok { n } else { 0 });
}

impl<C> Runner for Cbc<C>
where
    C: cipher::BlockCipherEncrypt + cipher::KeyInit,
{
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let message = processed(self.p, message);
        let n = message.len();
        let Ok(mut mode) = cbc::Encryptor::<C>::new_from_slices(self.p.key(), self.p.iv()) else {
            out.clear();
            return;
        };
        let ok = InOutBuf::new(message, &mut prepare(out, n)[..n])
            .map(|buf| {
                let (blocks, _tail) = buf.into_chunks();
                mode.encrypt_blocks_inout(blocks);
            })
            .is_ok();
        out.truncate(if ok { n } else { 0 });
    }
}

/// A hash: new, update, finalize.
struct Hash<D>(PhantomData<D>);

impl<D: Digest> Runner for Hash<D> {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        let mut hash = D::new();
        hash.update(message);
        let digest = hash.finalize();
        out.clear();
        out.extend_from_slice(&digest);
    }
}

/// HMAC-SHA-256 keyed per message.
struct HmacSha256;

impl Runner for HmacSha256 {
    fn run(&mut self, message: &[u8], out: &mut Vec<u8>) {
        out.clear();
        if let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(Primitive::HmacSha256.key())
        {
            mac.update(message);
            out.extend_from_slice(&mac.finalize().into_bytes());
        }
    }
}
