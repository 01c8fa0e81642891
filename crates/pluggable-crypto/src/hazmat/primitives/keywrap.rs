//! AES key wrapping: RFC 3394 (the wrapped key a multiple of 8 bytes, at least 16) and RFC 5649
//! (with padding, any non-empty length).
//!
//! Built on AES-ECB from any [`CipherBackend`](crate::hazmat::backends::CipherBackend), so every backend with AES serves it. Every
//! unwrap failure (a malformed length, a failed integrity check, bad padding) is
//! [`Error::InvalidUnwrap`]; a wrapping key of the wrong size is an `InvalidArgument`.
//!
//! ```
//! use pluggable_crypto::hazmat::primitives::keywrap::{aes_key_unwrap, aes_key_wrap};
//!
//! let kek = [0x11u8; 16];
//! let key = [0x22u8; 32];
//! let wrapped = aes_key_wrap(&kek, &key)?;
//! assert_eq!(wrapped.len(), 40);
//! assert_eq!(aes_key_unwrap(&kek, &wrapped)?.as_slice(), key);
//! # Ok::<(), pluggable_crypto::Error>(())
//! ```

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::constant_time::bytes_eq;
use crate::exceptions::{Error, Result};
use crate::hazmat::backends::{default_backend, Backend};
use crate::hazmat::primitives::ciphers::algorithms::Aes;
use crate::hazmat::primitives::ciphers::modes::Ecb;
use crate::hazmat::primitives::ciphers::{Cipher, CipherContext};

/// RFC 3394's default initial value.
const DEFAULT_IV: [u8; 8] = [0xa6; 8];
/// RFC 5649's alternative initial value prefix (followed by the 32-bit message length).
const PADDED_IV_PREFIX: [u8; 4] = [0xa6, 0x59, 0x59, 0xa6];

fn ecb(wrapping_key: &[u8], backend: Arc<dyn Backend>) -> Result<Cipher> {
    if ![16, 24, 32].contains(&wrapping_key.len()) {
        return Err(Error::invalid(format!(
            "the wrapping key must be a valid AES key length (16, 24 or 32 bytes), got {} bytes",
            wrapping_key.len()
        )));
    }
    Cipher::with_backend(Aes::new(wrapping_key)?, Ecb, backend)
}

/// One AES block operation through a running ECB context.
fn block(ctx: &mut CipherContext, input: &[u8; 16]) -> Result<[u8; 16]> {
    // `update_into` asks for room for one more block than it can write for one block in.
    let mut room = Zeroizing::new([0u8; 31]);
    let n = ctx.update_into(input, &mut room[..])?;
    if n != 16 {
        return Err(Error::Backend(format!(
            "ECB produced {n} bytes for one block"
        )));
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&room[..16]);
    Ok(out)
}

/// The RFC 3394 wrapping process W over 64-bit blocks `r` with initial value `a`.
fn wrap_core(cipher: &Cipher, mut a: [u8; 8], r: &mut [[u8; 8]]) -> Result<Vec<u8>> {
    let mut ctx = cipher.encryptor()?;
    let n = r.len() as u64;
    let mut input = Zeroizing::new([0u8; 16]);
    for j in 0..6u64 {
        for (i, ri) in r.iter_mut().enumerate() {
            input[..8].copy_from_slice(&a);
            input[8..].copy_from_slice(ri);
            let b = Zeroizing::new(block(&mut ctx, &input)?);
            let t = n * j + i as u64 + 1;
            for (x, y) in a.iter_mut().zip(b[..8].iter().zip(t.to_be_bytes())) {
                *x = y.0 ^ y.1;
            }
            ri.copy_from_slice(&b[8..]);
        }
    }
    let mut out = Vec::with_capacity(8 * (r.len() + 1));
    out.extend_from_slice(&a);
    for ri in r.iter() {
        out.extend_from_slice(ri);
    }
    Ok(out)
}

/// The RFC 3394 unwrapping process W⁻¹; returns the recovered initial value, `r` in place.
fn unwrap_core(cipher: &Cipher, mut a: [u8; 8], r: &mut [[u8; 8]]) -> Result<[u8; 8]> {
    let mut ctx = cipher.decryptor()?;
    let n = r.len() as u64;
    let mut input = Zeroizing::new([0u8; 16]);
    for j in (0..6u64).rev() {
        for (i, ri) in r.iter_mut().enumerate().rev() {
            let t = n * j + i as u64 + 1;
            for (x, (y, z)) in input[..8].iter_mut().zip(a.iter().zip(t.to_be_bytes())) {
                *x = y ^ z;
            }
            input[8..].copy_from_slice(ri);
            let b = Zeroizing::new(block(&mut ctx, &input)?);
            a.copy_from_slice(&b[..8]);
            ri.copy_from_slice(&b[8..]);
        }
    }
    Ok(a)
}

fn to_blocks(data: &[u8]) -> Zeroizing<Vec<[u8; 8]>> {
    Zeroizing::new(
        data.chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                b
            })
            .collect(),
    )
}

fn join(blocks: &[[u8; 8]]) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(blocks.iter().flatten().copied().collect())
}

/// Wraps `key_to_wrap` (a multiple of 8 bytes, at least 16) under `wrapping_key` (RFC 3394),
/// on the default backend.
pub fn aes_key_wrap(wrapping_key: &[u8], key_to_wrap: &[u8]) -> Result<Vec<u8>> {
    aes_key_wrap_with_backend(wrapping_key, key_to_wrap, default_backend())
}

/// As [`aes_key_wrap`], on `backend`.
pub fn aes_key_wrap_with_backend(
    wrapping_key: &[u8],
    key_to_wrap: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<Vec<u8>> {
    let cipher = ecb(wrapping_key, backend)?;
    if key_to_wrap.len() < 16 {
        return Err(Error::invalid(format!(
            "the key to wrap must be at least 16 bytes, got {} bytes",
            key_to_wrap.len()
        )));
    }
    if !key_to_wrap.len().is_multiple_of(8) {
        return Err(Error::invalid(format!(
            "the key to wrap must be a multiple of 8 bytes, got {} bytes (use aes_key_wrap_with_padding)",
            key_to_wrap.len()
        )));
    }
    let mut r = to_blocks(key_to_wrap);
    wrap_core(&cipher, DEFAULT_IV, &mut r)
}

/// Unwraps an RFC 3394 `wrapped_key` under `wrapping_key`, on the default backend.
/// `InvalidUnwrap` when it is malformed or fails its integrity check.
pub fn aes_key_unwrap(wrapping_key: &[u8], wrapped_key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    aes_key_unwrap_with_backend(wrapping_key, wrapped_key, default_backend())
}

/// As [`aes_key_unwrap`], on `backend`.
pub fn aes_key_unwrap_with_backend(
    wrapping_key: &[u8],
    wrapped_key: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<Zeroizing<Vec<u8>>> {
    let cipher = ecb(wrapping_key, backend)?;
    if wrapped_key.len() < 24 || !wrapped_key.len().is_multiple_of(8) {
        return Err(Error::InvalidUnwrap);
    }
    let mut blocks = to_blocks(wrapped_key);
    let a = blocks[0];
    let r = &mut blocks[1..];
    let a = unwrap_core(&cipher, a, r)?;
    if !bytes_eq(&a, &DEFAULT_IV) {
        return Err(Error::InvalidUnwrap);
    }
    Ok(join(r))
}

/// Wraps `key_to_wrap` (any non-empty length below 2^32 bytes) under `wrapping_key` with
/// padding (RFC 5649), on the default backend.
pub fn aes_key_wrap_with_padding(wrapping_key: &[u8], key_to_wrap: &[u8]) -> Result<Vec<u8>> {
    aes_key_wrap_with_padding_with_backend(wrapping_key, key_to_wrap, default_backend())
}

/// As [`aes_key_wrap_with_padding`], on `backend`.
pub fn aes_key_wrap_with_padding_with_backend(
    wrapping_key: &[u8],
    key_to_wrap: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<Vec<u8>> {
    let cipher = ecb(wrapping_key, backend)?;
    let length = u32::try_from(key_to_wrap.len())
        .ok()
        .filter(|&l| l > 0)
        .ok_or_else(|| {
            Error::invalid(format!(
                "the key to wrap must be between 1 and 2^32 - 1 bytes, got {} bytes",
                key_to_wrap.len()
            ))
        })?;
    let mut aiv = [0u8; 8];
    aiv[..4].copy_from_slice(&PADDED_IV_PREFIX);
    aiv[4..].copy_from_slice(&length.to_be_bytes());
    let mut padded = Zeroizing::new(key_to_wrap.to_vec());
    padded.resize(key_to_wrap.len().div_ceil(8) * 8, 0);
    if padded.len() == 8 {
        // A single block: one AES encryption of AIV ‖ P (RFC 5649, section 4.1).
        let mut input = Zeroizing::new([0u8; 16]);
        input[..8].copy_from_slice(&aiv);
        input[8..].copy_from_slice(&padded);
        let mut ctx = cipher.encryptor()?;
        return Ok(block(&mut ctx, &input)?.to_vec());
    }
    let mut r = to_blocks(&padded);
    wrap_core(&cipher, aiv, &mut r)
}

/// Unwraps an RFC 5649 `wrapped_key` under `wrapping_key`, on the default backend.
/// `InvalidUnwrap` when it is malformed, fails its integrity check or has bad padding.
pub fn aes_key_unwrap_with_padding(
    wrapping_key: &[u8],
    wrapped_key: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    aes_key_unwrap_with_padding_with_backend(wrapping_key, wrapped_key, default_backend())
}

/// As [`aes_key_unwrap_with_padding`], on `backend`.
pub fn aes_key_unwrap_with_padding_with_backend(
    wrapping_key: &[u8],
    wrapped_key: &[u8],
    backend: Arc<dyn Backend>,
) -> Result<Zeroizing<Vec<u8>>> {
    let cipher = ecb(wrapping_key, backend)?;
    if wrapped_key.len() < 16 || !wrapped_key.len().is_multiple_of(8) {
        return Err(Error::InvalidUnwrap);
    }
    let (aiv, data) = if wrapped_key.len() == 16 {
        let mut input = [0u8; 16];
        input.copy_from_slice(wrapped_key);
        let mut ctx = cipher.decryptor()?;
        let b = Zeroizing::new(block(&mut ctx, &input)?);
        let mut aiv = [0u8; 8];
        aiv.copy_from_slice(&b[..8]);
        (aiv, Zeroizing::new(b[8..].to_vec()))
    } else {
        let mut blocks = to_blocks(wrapped_key);
        let a = blocks[0];
        let r = &mut blocks[1..];
        let aiv = unwrap_core(&cipher, a, r)?;
        (aiv, join(r))
    };
    let n = data.len() / 8;
    let mut length = [0u8; 4];
    length.copy_from_slice(&aiv[4..]);
    let mli = u32::from_be_bytes(length) as usize;
    // Every check runs before any decision, so the failure reveals nothing about which failed.
    let prefix_ok = bytes_eq(&aiv[..4], &PADDED_IV_PREFIX);
    let length_ok = 8 * (n - 1) < mli && mli <= 8 * n;
    let pad = if length_ok { 8 * n - mli } else { 0 };
    let zeros = [0u8; 8];
    let padding_ok = bytes_eq(&data[data.len() - pad..], &zeros[..pad]);
    if !(prefix_ok & length_ok & padding_ok) {
        return Err(Error::InvalidUnwrap);
    }
    Ok(Zeroizing::new(data[..mli].to_vec()))
}
