//! Target 9: key files.
//!
//! [`key_loading`] hands the input, as it is, to every loader (PEM and DER private keys with
//! no password and with a fixed one, PEM and DER public keys, OpenSSH private and public keys,
//! PEM and DER DH parameters) on every path. No loader may panic, and every path must give the
//! same verdict: the same key (compared by its PKCS #8, SPKI or parameter DER) or an error of
//! the same kind. A key that loads re-serializes and loads back to the same bytes.

use pluggable_crypto::hazmat::primitives::serialization::{
    Encoding, KeyLoader, NoEncryption, ParameterFormat, ParameterTypes, PrivateFormat,
    PrivateKeyTypes, PublicFormat, PublicKeyTypes,
};
use pluggable_crypto::Result;

use crate::paths::paths;
use crate::public_key::{agree, Verdict};

/// The password the fuzzer's encrypted inputs are tried with (the corpus's encrypted seeds
/// use it).
pub const FUZZ_PASSWORD: &[u8] = b"password";

fn private_der(key: PrivateKeyTypes) -> Result<Vec<u8>> {
    Ok(key
        .private_bytes(Encoding::Der, PrivateFormat::Pkcs8, NoEncryption)?
        .to_vec())
}

fn public_der(key: PublicKeyTypes) -> Result<Vec<u8>> {
    key.public_bytes(Encoding::Der, PublicFormat::SubjectPublicKeyInfo)
}

fn parameters_der(parameters: ParameterTypes) -> Result<Vec<u8>> {
    match parameters {
        ParameterTypes::Dh(p) => p.parameter_bytes(Encoding::Der, ParameterFormat::Pkcs3),
        _ => Ok(Vec::new()),
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Private,
    Public,
    Parameters,
}

/// Every key file loader over `data`; see the module documentation.
pub fn key_loading(data: &[u8]) {
    type Load = fn(&KeyLoader, &[u8]) -> Result<Vec<u8>>;
    let loaders: [(&str, Kind, Load); 11] = [
        ("pem private", Kind::Private, |l, d| {
            private_der(l.load_pem_private_key(d, None)?)
        }),
        ("pem private (password)", Kind::Private, |l, d| {
            private_der(l.load_pem_private_key(d, Some(FUZZ_PASSWORD))?)
        }),
        ("der private", Kind::Private, |l, d| {
            private_der(l.load_der_private_key(d, None)?)
        }),
        ("der private (password)", Kind::Private, |l, d| {
            private_der(l.load_der_private_key(d, Some(FUZZ_PASSWORD))?)
        }),
        ("pem public", Kind::Public, |l, d| {
            public_der(l.load_pem_public_key(d)?)
        }),
        ("der public", Kind::Public, |l, d| {
            public_der(l.load_der_public_key(d)?)
        }),
        ("ssh private", Kind::Private, |l, d| {
            private_der(l.load_ssh_private_key(d, None)?)
        }),
        ("ssh private (password)", Kind::Private, |l, d| {
            private_der(l.load_ssh_private_key(d, Some(FUZZ_PASSWORD))?)
        }),
        ("ssh public", Kind::Public, |l, d| {
            public_der(l.load_ssh_public_key(d)?)
        }),
        ("pem parameters", Kind::Parameters, |l, d| {
            parameters_der(l.load_pem_parameters(d)?)
        }),
        ("der parameters", Kind::Parameters, |l, d| {
            parameters_der(l.load_der_parameters(d)?)
        }),
    ];
    for (what, kind, load) in loaders {
        let results: Vec<(String, Result<Vec<u8>>)> = paths()
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    load(&KeyLoader::new().backend(p.backend.clone()), data),
                )
            })
            .collect();
        let Some(Verdict::Value(der)) = agree(&format!("load {what}"), results) else {
            continue;
        };
        // The canonical DER loads back to itself on every path that has the key type.
        let again: Vec<(String, Result<Vec<u8>>)> = paths()
            .iter()
            .map(|p| {
                let loader = KeyLoader::new().backend(p.backend.clone());
                let result = match kind {
                    Kind::Private => loader
                        .load_der_private_key(&der, None)
                        .and_then(private_der),
                    Kind::Public => loader.load_der_public_key(&der).and_then(public_der),
                    Kind::Parameters => loader.load_der_parameters(&der).and_then(parameters_der),
                };
                (p.name.clone(), result)
            })
            .collect();
        match agree(&format!("reload {what}"), again) {
            Some(Verdict::Value(bytes)) => assert_eq!(bytes, der, "{what}: no round trip"),
            other => panic!("{what}: the canonical DER does not load back: {other:?}"),
        }
    }
}
