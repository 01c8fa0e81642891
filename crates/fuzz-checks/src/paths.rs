//! The ways into the library being compared: every compiled-in backend, and the multi-backend
//! over all of them.

use std::sync::{Arc, OnceLock};

use pluggable_crypto::hazmat::backends::multi::MultiBackend;
use pluggable_crypto::hazmat::backends::{available_backends, Backend};
use pluggable_crypto::Error;

/// One backend under a display name.
pub(crate) struct Path {
    pub(crate) name: String,
    pub(crate) backend: Arc<dyn Backend>,
}

impl Path {
    pub(crate) fn cipher(&self) -> Arc<dyn Backend> {
        self.backend.clone()
    }
}

/// Every member of `available_backends()`, then the multi-backend over them (built once).
pub(crate) fn paths() -> &'static [Path] {
    static PATHS: OnceLock<Vec<Path>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let members = available_backends();
        let mut paths: Vec<Path> = members
            .iter()
            .map(|b| Path {
                name: b.name().to_owned(),
                backend: b.clone(),
            })
            .collect();
        if members.len() > 1 {
            paths.push(Path {
                name: "multi".to_owned(),
                backend: Arc::new(MultiBackend::new(members)),
            });
        }
        paths
    })
}

/// What a result is compared by across backends: the bytes, or the error's kind.
pub(crate) fn same_kind(a: &Error, b: &Error) -> bool {
    match (a, b) {
        (
            Error::UnsupportedAlgorithm { reason: ra, .. },
            Error::UnsupportedAlgorithm { reason: rb, .. },
        ) => ra == rb,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Short hex for failure messages.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const MAX: usize = 64;
    let mut s: String = bytes.iter().take(MAX).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > MAX {
        s.push_str(&format!("..({} bytes)", bytes.len()));
    }
    s
}
