//! The PHC string format of Argon2 hashes (the reference implementation's `argon2_encode`, the
//! `argon2` crate's and pyca's `derive_phc_encoded`):
//! `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>[,data=<ad>]$<salt>$<hash>`, the byte strings in
//! standard base64 without padding.

use data_encoding::BASE64_NOPAD;
use zeroize::Zeroizing;

use super::{Argon2Parameters, Argon2Variant};
use crate::exceptions::{Error, Result};

/// The only Argon2 version the backends compute (RFC 9106's 0x13).
const VERSION: u32 = 0x13;

/// The PHC string of a hash computed with `params` (whose `secret` is never encoded: it is
/// supplied again at verification).
pub(super) fn encode(variant: Argon2Variant, params: &Argon2Parameters, hash: &[u8]) -> String {
    let mut out = format!(
        "${}$v={VERSION}$m={},t={},p={}",
        variant.name(),
        params.memory_cost_kib,
        params.iterations,
        params.lanes
    );
    if !params.ad.is_empty() {
        out.push_str(",data=");
        out.push_str(&BASE64_NOPAD.encode(&params.ad));
    }
    out.push('$');
    out.push_str(&BASE64_NOPAD.encode(&params.salt));
    out.push('$');
    out.push_str(&BASE64_NOPAD.encode(hash));
    out
}

fn malformed(what: impl std::fmt::Display) -> Error {
    Error::invalid(format!("malformed Argon2 PHC string: {what}"))
}

fn decimal(name: &str, value: &str) -> Result<u32> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(format_args!(
            "parameter {name} must be a decimal number"
        )));
    }
    value
        .parse()
        .map_err(|_| malformed(format_args!("parameter {name} exceeds 2^32 - 1")))
}

fn base64(what: &str, value: &str) -> Result<Vec<u8>> {
    BASE64_NOPAD.decode(value.as_bytes()).map_err(|_| {
        malformed(format_args!(
            "the {what} is not standard base64 without padding"
        ))
    })
}

/// Reads a PHC string of `variant`: the parameters (with `length` the hash's length and no
/// secret) and the hash. The text of an error never repeats the string.
pub(super) fn parse(
    variant: Argon2Variant,
    phc: &str,
) -> Result<(Argon2Parameters, Zeroizing<Vec<u8>>)> {
    let fields: Vec<&str> = phc.split('$').collect();
    let (algorithm, version, params, salt, hash) = match fields[..] {
        ["", algorithm, version, params, salt, hash] => (algorithm, version, params, salt, hash),
        ["", _, params, _, _] if params.starts_with("m=") => {
            return Err(malformed(
                "it names no version, which means Argon2 version 16 (0x10); only version 19 \
                 (0x13, RFC 9106) is supported",
            ))
        }
        _ => {
            return Err(malformed(
                "expected $<algorithm>$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>",
            ))
        }
    };
    if algorithm != variant.name() {
        return Err(malformed(format_args!(
            "the algorithm is {algorithm:?}, expected {:?}",
            variant.name()
        )));
    }
    match version.strip_prefix("v=").map(|v| decimal("v", v)) {
        Some(Ok(VERSION)) => {}
        Some(Ok(other)) => {
            return Err(malformed(format_args!(
                "version {other} is not supported; only version 19 (0x13, RFC 9106)"
            )))
        }
        Some(Err(e)) => return Err(e),
        None => return Err(malformed("the second field must be the version, v=19")),
    }
    let (mut m, mut t, mut p, mut ad) = (None, None, None, None);
    for param in params.split(',') {
        let (name, value) = param
            .split_once('=')
            .ok_or_else(|| malformed("parameters must be name=value, separated by commas"))?;
        let slot_taken = match name {
            "m" => m.replace(decimal(name, value)?).is_some(),
            "t" => t.replace(decimal(name, value)?).is_some(),
            "p" => p.replace(decimal(name, value)?).is_some(),
            "data" => ad.replace(base64("associated data", value)?).is_some(),
            // An identifier of the key, which takes no part in the computation.
            "keyid" => {
                base64("key id", value)?;
                false
            }
            other => {
                return Err(malformed(format_args!(
                    "unknown parameter {other:?} (Argon2 has m, t, p, keyid and data)"
                )))
            }
        };
        if slot_taken {
            return Err(malformed(format_args!("parameter {name} is repeated")));
        }
    }
    let (Some(memory_cost_kib), Some(iterations), Some(lanes)) = (m, t, p) else {
        return Err(malformed("the parameters m, t and p are all required"));
    };
    let hash = Zeroizing::new(base64("hash", hash)?);
    let params = Argon2Parameters {
        salt: base64("salt", salt)?,
        length: hash.len(),
        iterations,
        lanes,
        memory_cost_kib,
        ad: ad.unwrap_or_default(),
        secret: Zeroizing::new(Vec::new()),
    };
    Ok((params, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let params = Argon2Parameters {
            ad: vec![0x0f; 6],
            ..Argon2Parameters::rfc9106_low_memory(b"somesalt")
        };
        let text = encode(Argon2Variant::Argon2id, &params, &[0xff; 32]);
        assert_eq!(
            text,
            "$argon2id$v=19$m=65536,t=3,p=4,data=Dw8PDw8P$c29tZXNhbHQ$\
             //////////////////////////////////////////8"
        );
        let (read, hash) = parse(Argon2Variant::Argon2id, &text).unwrap();
        assert_eq!(*hash, [0xff; 32]);
        assert_eq!(
            (
                read.salt,
                read.length,
                read.iterations,
                read.lanes,
                read.memory_cost_kib,
                read.ad
            ),
            (b"somesalt".to_vec(), 32, 3, 4, 65536, vec![0x0f; 6])
        );
        for (bad, needle) in [
            ("", "expected $<algorithm>"),
            (
                "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ",
                "expected $<algorithm>",
            ),
            (
                "$argon2i$v=19$m=8,t=1,p=1$c29tZXNhbHQ$AAAAAA",
                "expected \"argon2id\"",
            ),
            ("$argon2id$m=8,t=1,p=1$c29tZXNhbHQ$AAAAAA", "version 16"),
            (
                "$argon2id$v=16$m=8,t=1,p=1$c29tZXNhbHQ$AAAAAA",
                "version 16 is not",
            ),
            ("$argon2id$19$m=8,t=1,p=1$c29tZXNhbHQ$AAAAAA", "v=19"),
            ("$argon2id$v=19$m=8,t=1$c29tZXNhbHQ$AAAAAA", "m, t and p"),
            (
                "$argon2id$v=19$m=8,t=1,p=1,m=8$c29tZXNhbHQ$AAAAAA",
                "m is repeated",
            ),
            (
                "$argon2id$v=19$m=8,t=1,p=-1$c29tZXNhbHQ$AAAAAA",
                "p must be a decimal",
            ),
            (
                "$argon2id$v=19$m=4294967296,t=1,p=1$c29tZXNhbHQ$AAAAAA",
                "exceeds",
            ),
            (
                "$argon2id$v=19$m=8,t=1,p=1,x=1$c29tZXNhbHQ$AAAAAA",
                "unknown parameter",
            ),
            ("$argon2id$v=19$m=8,t=1,p$c29tZXNhbHQ$AAAAAA", "name=value"),
            (
                "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ=$AAAAAA",
                "salt is not",
            ),
            (
                "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$AAAA*A",
                "hash is not",
            ),
        ] {
            let err = parse(Argon2Variant::Argon2id, bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument(m) if m.contains("malformed Argon2 PHC")
                    && m.contains(needle)),
                "{bad}: {err}"
            );
        }
    }
}
