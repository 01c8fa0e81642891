//! The RustCrypto digest type behind each [`HashId`], for the public-key families.

use crate::hazmat::primitives::asymmetric::hash_id::HashId;

/// Runs `$body` with `$D` bound to the RustCrypto digest type of `$id` (every [`HashId`] has
/// one here).
macro_rules! with_digest {
    ($id:expr, $D:ident => $body:expr) => {{
        use $crate::hazmat::primitives::asymmetric::hash_id::HashId as Id;
        match $id {
            Id::Sha1 => {
                type $D = ::sha1::Sha1;
                $body
            }
            Id::Sha224 => {
                type $D = ::sha2::Sha224;
                $body
            }
            Id::Sha256 => {
                type $D = ::sha2::Sha256;
                $body
            }
            Id::Sha384 => {
                type $D = ::sha2::Sha384;
                $body
            }
            Id::Sha512 => {
                type $D = ::sha2::Sha512;
                $body
            }
            Id::Sha512_224 => {
                type $D = ::sha2::Sha512_224;
                $body
            }
            Id::Sha512_256 => {
                type $D = ::sha2::Sha512_256;
                $body
            }
            Id::Sha3_224 => {
                type $D = ::sha3::Sha3_224;
                $body
            }
            Id::Sha3_256 => {
                type $D = ::sha3::Sha3_256;
                $body
            }
            Id::Sha3_384 => {
                type $D = ::sha3::Sha3_384;
                $body
            }
            Id::Sha3_512 => {
                type $D = ::sha3::Sha3_512;
                $body
            }
        }
    }};
}
pub(super) use with_digest;

/// The digest of `data` under `id`.
pub(super) fn digest(id: HashId, data: &[u8]) -> Vec<u8> {
    with_digest!(id, D => <D as ::digest::Digest>::digest(data).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hash_has_its_digest_size() {
        for id in HashId::ALL {
            assert_eq!(digest(id, b"abc").len(), id.digest_size(), "{id:?}");
        }
        // FIPS 180-2 "abc" example.
        assert_eq!(
            digest(HashId::Sha256, b"abc")[..4],
            [0xba, 0x78, 0x16, 0xbf]
        );
    }
}
