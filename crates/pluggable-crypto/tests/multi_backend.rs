//! MultiBackend routing: first supporting member serves, only "unsupported" falls through,
//! nothing is claimed that no member has.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{
    available_backends, Backend, CipherAdapter, CipherBackend, CipherPair, CipherSupport,
    HashBackend, HashContext, HmacBackend, HmacContext, SymmetricContext,
};
use pluggable_crypto::hazmat::primitives::ciphers::algorithms::{Aes, CipherAlgorithm};
use pluggable_crypto::hazmat::primitives::ciphers::modes::{Cbc, Mode};
use pluggable_crypto::hazmat::primitives::ciphers::Cipher;
use pluggable_crypto::hazmat::primitives::hashes::{Hash, HashAlgorithm, Sha256};
use pluggable_crypto::hazmat::primitives::hmac::Hmac;
use pluggable_crypto::{Error, Reason};

/// A member that answers every request with one fixed error.
struct Stub {
    name: &'static str,
    error: Error,
}

impl Stub {
    fn refusing() -> Arc<dyn Backend> {
        Arc::new(Stub {
            name: "refusing",
            error: Error::unsupported(Reason::UnsupportedCipher, "refused"),
        })
    }
    fn failing() -> Arc<dyn Backend> {
        Arc::new(Stub {
            name: "failing",
            error: Error::Backend("native failure".into()),
        })
    }
    /// `supported` answers true for a failing stub: it claims support, then fails.
    fn claims(&self) -> bool {
        !self.error.is_unsupported()
    }
}

impl CipherBackend for Stub {
    fn cipher_supported(&self, _: &dyn CipherAlgorithm, _: Option<&dyn Mode>) -> bool {
        self.claims()
    }
    fn register_cipher_adapter(
        &self,
        _: CipherPair,
        _: Arc<dyn CipherAdapter>,
    ) -> pluggable_crypto::Result<()> {
        Err(self.error.clone())
    }
    fn create_symmetric_encryption_ctx(
        &self,
        _: &dyn CipherAlgorithm,
        _: Option<&dyn Mode>,
    ) -> pluggable_crypto::Result<Box<dyn SymmetricContext>> {
        Err(self.error.clone())
    }
    fn create_symmetric_decryption_ctx(
        &self,
        _: &dyn CipherAlgorithm,
        _: Option<&dyn Mode>,
    ) -> pluggable_crypto::Result<Box<dyn SymmetricContext>> {
        Err(self.error.clone())
    }
    fn supported_ciphers(&self) -> Vec<CipherSupport> {
        Vec::new()
    }
}

impl HashBackend for Stub {
    fn hash_supported(&self, _: &dyn HashAlgorithm) -> bool {
        self.claims()
    }
    fn create_hash_ctx(
        &self,
        _: &dyn HashAlgorithm,
    ) -> pluggable_crypto::Result<Box<dyn HashContext>> {
        Err(self.error.clone())
    }
    fn supported_hashes(&self) -> Vec<String> {
        Vec::new()
    }
}

impl HmacBackend for Stub {
    fn hmac_supported(&self, _: &dyn HashAlgorithm) -> bool {
        self.claims()
    }
    fn create_hmac_ctx(
        &self,
        _: &[u8],
        _: &dyn HashAlgorithm,
    ) -> pluggable_crypto::Result<Box<dyn HmacContext>> {
        Err(self.error.clone())
    }
    fn supported_hmacs(&self) -> Vec<String> {
        Vec::new()
    }
}

impl pluggable_crypto::hazmat::backends::AeadBackend for Stub {}
impl pluggable_crypto::hazmat::backends::CmacBackend for Stub {}
impl pluggable_crypto::hazmat::backends::Poly1305Backend for Stub {}
impl pluggable_crypto::hazmat::backends::KdfBackend for Stub {}

impl pluggable_crypto::hazmat::backends::RsaBackend for Stub {}
impl pluggable_crypto::hazmat::backends::EllipticCurveBackend for Stub {}
impl pluggable_crypto::hazmat::backends::EdDsaBackend for Stub {}
impl pluggable_crypto::hazmat::backends::XdhBackend for Stub {}
impl pluggable_crypto::hazmat::backends::DsaBackend for Stub {}
impl pluggable_crypto::hazmat::backends::DhBackend for Stub {}
impl Backend for Stub {
    fn name(&self) -> &str {
        self.name
    }
}

fn real() -> Arc<dyn Backend> {
    available_backends().remove(0)
}

#[test]
fn unsupported_falls_through_to_the_next_member() {
    let multi = Arc::new(MultiBackend::new(vec![Stub::refusing(), real()]));
    assert_eq!(
        multi.backend_for_hash(&Sha256).unwrap().name(),
        real().name()
    );
    let mut hash = Hash::with_backend(Sha256, multi.clone()).unwrap();
    hash.update(b"abc").unwrap();
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    assert_eq!(hash.finalize().unwrap()[..4], [0xba, 0x78, 0x16, 0xbf]);
    let multi: Arc<dyn Backend> = multi;
    let cipher = Cipher::with_backend(
        Aes::new(&[1; 16]).unwrap(),
        Cbc::new(&[2; 16]).unwrap(),
        multi,
    )
    .unwrap();
    assert_eq!(
        cipher.encryptor().unwrap().update(&[0; 16]).unwrap().len(),
        16
    );
}

#[test]
fn other_errors_return_at_once() {
    let multi = Arc::new(MultiBackend::new(vec![Stub::failing(), real()]));
    assert_eq!(
        Hash::with_backend(Sha256, multi.clone()).unwrap_err(),
        Error::Backend("native failure".into())
    );
    assert_eq!(
        Hmac::with_backend(b"k", Sha256, multi.clone()).unwrap_err(),
        Error::Backend("native failure".into())
    );
    let aes = Aes::new(&[1; 16]).unwrap();
    let cbc = Cbc::new(&[2; 16]).unwrap();
    assert_eq!(
        multi
            .create_symmetric_encryption_ctx(&aes, Some(&cbc))
            .err()
            .unwrap(),
        Error::Backend("native failure".into())
    );
}

#[test]
fn claims_nothing_no_member_has() {
    for members in [
        vec![],
        vec![Stub::refusing()],
        vec![Stub::refusing(), Stub::refusing()],
    ] {
        let multi = Arc::new(MultiBackend::new(members));
        let aes = Aes::new(&[1; 16]).unwrap();
        let cbc = Cbc::new(&[2; 16]).unwrap();
        assert!(!multi.cipher_supported(&aes, Some(&cbc)));
        assert!(!multi.hash_supported(&Sha256));
        assert!(!multi.hmac_supported(&Sha256));
        assert!(multi.backend_for_cipher(&aes, Some(&cbc)).is_none());
        assert!(matches!(
            multi
                .create_symmetric_decryption_ctx(&aes, Some(&cbc))
                .err()
                .unwrap(),
            Error::UnsupportedAlgorithm {
                reason: Reason::UnsupportedCipher,
                ..
            }
        ));
        assert!(matches!(
            Hash::with_backend(Sha256, multi.clone()).unwrap_err(),
            Error::UnsupportedAlgorithm {
                reason: Reason::UnsupportedHash,
                ..
            }
        ));
        assert!(matches!(
            Hmac::with_backend(b"k", Sha256, multi.clone()).unwrap_err(),
            Error::UnsupportedAlgorithm {
                reason: Reason::UnsupportedMac,
                ..
            }
        ));
        assert!(multi.supported_ciphers().is_empty());
        assert!(multi.supported_hashes().is_empty() && multi.supported_hmacs().is_empty());
    }
}

#[test]
fn support_lists_are_the_union_of_the_members() {
    let members = available_backends();
    let multi = MultiBackend::new(members.clone());
    let listed = multi.supported_ciphers();
    for member in &members {
        for c in member.supported_ciphers() {
            let entry = listed
                .iter()
                .find(|l| l.algorithm == c.algorithm && l.mode == c.mode)
                .unwrap_or_else(|| panic!("{} {:?} missing", c.algorithm, c.mode));
            assert!(c.key_sizes.iter().all(|k| entry.key_sizes.contains(k)));
        }
        for h in member.supported_hashes() {
            assert!(multi.supported_hashes().contains(&h));
        }
    }
    for l in &listed {
        assert!(members.iter().any(|m| m
            .supported_ciphers()
            .iter()
            .any(|c| c.algorithm == l.algorithm && c.mode == l.mode)));
    }
}

#[test]
fn routes_each_request_to_the_first_member_that_supports_it() {
    let members = available_backends();
    let multi = MultiBackend::new(members.clone());
    for alg in pluggable_crypto::hazmat::primitives::hashes::all_algorithms(32) {
        let expected = members
            .iter()
            .find(|m| m.hash_supported(&*alg))
            .map(|m| m.name().to_owned());
        assert_eq!(
            multi.backend_for_hash(&*alg).map(|m| m.name().to_owned()),
            expected
        );
    }
}

#[test]
fn preferences_reorder_members_per_family_only() {
    use pluggable_crypto::hazmat::backends::multi::Preference;
    use pluggable_crypto::hazmat::primitives::hashes::Sha512;

    // A preferred member that refuses still falls through; unknown names are ignored.
    let multi = Arc::new(MultiBackend::with_preferences(
        vec![real(), Stub::refusing()],
        vec![Preference::hash::<Sha256>(
            "sha256",
            &["refusing", "no-such-member", real().name()],
        )],
    ));
    assert_eq!(
        multi.backend_for_hash(&Sha256).unwrap().name(),
        real().name()
    );
    let mut hash = Hash::with_backend(Sha256, multi.clone()).unwrap();
    hash.update(b"abc").unwrap();
    assert_eq!(hash.finalize().unwrap()[..4], [0xba, 0x78, 0x16, 0xbf]);
    assert_eq!(multi.preferences().len(), 1);

    // With two real members, a preference moves exactly its family to the other member.
    let members = available_backends();
    if members.len() < 2 {
        return;
    }
    let (first, second) = (members[0].name().to_owned(), members[1].name().to_owned());
    let multi = MultiBackend::with_preferences(
        members.clone(),
        vec![
            Preference::hash::<Sha256>("sha256", &[second.as_str()]),
            Preference::cipher::<Aes, Cbc>("AES", "CBC", &[second.as_str()]),
        ],
    );
    assert_eq!(multi.backend_for_hash(&Sha256).unwrap().name(), second);
    assert_eq!(multi.backend_for_hash(&Sha512).unwrap().name(), first);
    assert_eq!(
        multi.backend_for_hmac(&Sha256).unwrap().name(),
        first,
        "HMAC is its own family"
    );
    let aes = Aes::new(&[1; 16]).unwrap();
    assert_eq!(
        multi
            .backend_for_cipher(&aes, Some(&Cbc::new(&[2; 16]).unwrap()))
            .unwrap()
            .name(),
        second
    );
    // The routed member really serves it: same bytes as that member alone.
    let multi: Arc<dyn Backend> = Arc::new(multi);
    let via_multi = Cipher::with_backend(aes.clone(), Cbc::new(&[2; 16]).unwrap(), multi).unwrap();
    let direct =
        Cipher::with_backend(aes, Cbc::new(&[2; 16]).unwrap(), members[1].clone()).unwrap();
    assert_eq!(
        via_multi.encryptor().unwrap().update(&[9; 32]).unwrap(),
        direct.encryptor().unwrap().update(&[9; 32]).unwrap()
    );
}
