//! `install_default` replaces the default backend once, before first use. Its own test binary,
//! since the default is process-wide.

use std::sync::Arc;

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{
    available_backends, default_backend, install_default, Backend,
};
use pluggable_crypto::hazmat::primitives::hashes::{Hash, Sha256};

#[test]
fn install_once_before_first_use() {
    let last = available_backends().pop().expect("at least one backend");
    let name = last.name().to_owned();
    let only_last: Arc<dyn Backend> = Arc::new(MultiBackend::new(vec![last]));
    install_default(only_last.clone()).expect("the first install works");

    let default = default_backend();
    assert!(Arc::ptr_eq(&default, &only_last));
    let members: Vec<&str> = default
        .downcast_ref::<MultiBackend>()
        .unwrap()
        .members()
        .iter()
        .map(|m| m.name())
        .collect();
    assert_eq!(members, [name.as_str()]);
    assert_eq!(
        default
            .downcast_ref::<MultiBackend>()
            .unwrap()
            .backend_for_hash(&Sha256)
            .unwrap()
            .name(),
        name
    );
    Hash::new(Sha256).unwrap();

    let again = install_default(Arc::new(MultiBackend::new(available_backends())));
    assert!(again.is_err(), "a second install must fail");
    assert!(Arc::ptr_eq(&default_backend(), &only_last));
}
