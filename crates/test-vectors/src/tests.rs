use std::collections::BTreeSet;
use std::path::Path;

use super::*;

/// Vector files actually present on disk (files in subdirectories of
/// `vectors/`; the top-level SOURCES.md, COUNTS and script are not vectors).
fn files_on_disk() -> BTreeSet<String> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeSet<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read vectors dir")
            .map(|e| e.expect("dir entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().into_string().expect("utf-8 file name");
            if name.starts_with('.') || name == "__pycache__" {
                continue;
            }
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ty = e.file_type().expect("file type");
            if ty.is_dir() {
                walk(&e.path(), &child, out);
            } else if !rel.is_empty() {
                out.insert(child);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&vectors_dir(), "", &mut out);
    out
}

/// The committed files in this parser's generic format: all but the public-key families
/// (`asymmetric/`), whose tests read them with their own layouts and check their counts.
fn generic_files() -> Vec<String> {
    committed_files()
        .into_iter()
        .filter(|f| !f.starts_with("asymmetric/"))
        .collect()
}

#[test]
fn counts_table_lists_exactly_the_files_on_disk() {
    let counted: BTreeSet<String> = committed_files().into_iter().collect();
    let others: BTreeSet<String> = other_files().into_iter().collect();
    assert!(
        counted.len() >= 200,
        "COUNTS counts only {} files",
        counted.len()
    );
    assert!(counted.is_disjoint(&others));
    // Only JSON files, scripts, the colon-separated `sign.input`, OpenSSL's evp-format file
    // and pyca's key files (with the two notes on how they were made) are left to other
    // readers.
    let key_file = |f: &str| {
        [".pem", ".der", ".key", ".pub"]
            .iter()
            .any(|e| f.ends_with(e))
            || f.starts_with("asymmetric/OpenSSH/")
    };
    for other in &others {
        assert!(
            other.ends_with(".json")
                || other.ends_with(".py")
                || other.ends_with(".input")
                || other.starts_with("asymmetric/ECDSA/RFC6979/")
                || key_file(other)
                || other == "asymmetric/PEM_Serialization/README.txt",
            "{other}"
        );
        assert_eq!(expected_case_count(other), None);
    }
    let listed: BTreeSet<String> = counted.union(&others).cloned().collect();
    assert_eq!(listed, files_on_disk());
}

#[test]
fn every_committed_file_parses_with_the_expected_case_count() {
    let mut failures = Vec::new();
    for file in generic_files() {
        let expected = expected_case_count(&file).expect("listed file has a count");
        match load(&file) {
            Ok(cases) if cases.len() == expected => {}
            Ok(cases) => failures.push(format!(
                "{file}: parsed {} cases, COUNTS says {expected}",
                cases.len()
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Names holding decimal numbers; every other value field must be hex.
const NUMERIC: &[&str] = &[
    "COUNT",
    "Count",
    "Len",
    "OFFSET",
    "INITIAL_BLOCK_COUNTER",
    "DataUnitLen",
    "Outputlen",
    "Alen",
    "Plen",
    "Nlen",
    "Tlen",
    "COUNTER",
    "TIME",
    "HOTP",
    "TOTP",
    "L",
    "ITERATIONS",
    "LENGTH",
    "N",
    "r",
    "p",
    "length",
    "lanes",
    "iter",
    "memcost",
    "FixedInputDataByteLen",
    "DataBeforeCtrLen",
    "DataAfterCtrLen",
];

/// Names holding words or ASCII text (`Result = Pass`, `MODE = SHA1`, the
/// HOTP/TOTP `SECRET`, which is the ASCII digits themselves, HOTP's
/// `TRUNCATED`, a hex number written without leading zeros, HKDF's
/// `Hash = SHA-256`, and the PBKDF2/scrypt `PASSWORD` and `SALT`).
const TEXT: &[&str] = &[
    "Result",
    "MODE",
    "SECRET",
    "TRUNCATED",
    "Hash",
    "PASSWORD",
    "SALT",
    "curve",
    // The ECDSA files' integers: hex numbers, odd-length on the binary curves.
    "Qx",
    "Qy",
    "R",
    "S",
];

#[test]
fn every_field_of_every_file_decodes_and_finishes() {
    for file in generic_files() {
        for case in load(&file).unwrap() {
            let names: BTreeSet<String> = case.names().map(str::to_string).collect();
            for name in &names {
                // Intermediate values repeat once per iteration.
                let repeated = case.names().filter(|n| n == name).count() > 1;
                if repeated {
                    case.all_hex(name).unwrap();
                } else if name == "FAIL" {
                    assert!(
                        case.flag(name),
                        "{file}:{}: FAIL is not a flag",
                        case.line()
                    );
                } else if NUMERIC.contains(&name.as_str()) {
                    case.usize(name).unwrap();
                } else if TEXT.contains(&name.as_str()) {
                    case.str(name).unwrap();
                } else if file.starts_with("asymmetric/DH/") {
                    // Integers: hex in most files, decimal in the Botan- and pyca-made
                    // ones, single digits (`G = 2`) in several.
                    let v = case.str(name).unwrap();
                    assert!(
                        !v.is_empty() && v.bytes().all(|b| b.is_ascii_hexdigit()),
                        "{file}:{}: {name} = {v:?} is not an integer",
                        case.line()
                    );
                } else if file.ends_with("ChaCha20Poly1305/boringssl.txt") {
                    // Its IN/AD/CT fields are hex or quoted ASCII.
                    case.bytes(name).unwrap();
                } else {
                    case.hex(name).unwrap();
                }
            }
            case.finish().unwrap();
        }
    }
}

/// The field layout of each family: (path prefix, required fields, optional
/// fields, allowed section names). First matching prefix wins.
type Names = &'static [&'static str];

const ECDSA_SECTIONS: Names = &[
    "P-192,SHA-1",
    "P-192,SHA-224",
    "P-192,SHA-256",
    "P-192,SHA-384",
    "P-192,SHA-512",
    "P-224,SHA-1",
    "P-224,SHA-224",
    "P-224,SHA-256",
    "P-224,SHA-384",
    "P-224,SHA-512",
    "P-256,SHA-1",
    "P-256,SHA-224",
    "P-256,SHA-256",
    "P-256,SHA-384",
    "P-256,SHA-512",
    "P-384,SHA-1",
    "P-384,SHA-224",
    "P-384,SHA-256",
    "P-384,SHA-384",
    "P-384,SHA-512",
    "P-521,SHA-1",
    "P-521,SHA-224",
    "P-521,SHA-256",
    "P-521,SHA-384",
    "P-521,SHA-512",
    "K-163,SHA-1",
    "K-163,SHA-224",
    "K-163,SHA-256",
    "K-163,SHA-384",
    "K-163,SHA-512",
    "K-233,SHA-1",
    "K-233,SHA-224",
    "K-233,SHA-256",
    "K-233,SHA-384",
    "K-233,SHA-512",
    "K-283,SHA-1",
    "K-283,SHA-224",
    "K-283,SHA-256",
    "K-283,SHA-384",
    "K-283,SHA-512",
    "K-409,SHA-1",
    "K-409,SHA-224",
    "K-409,SHA-256",
    "K-409,SHA-384",
    "K-409,SHA-512",
    "K-571,SHA-1",
    "K-571,SHA-224",
    "K-571,SHA-256",
    "K-571,SHA-384",
    "K-571,SHA-512",
    "B-163,SHA-1",
    "B-163,SHA-224",
    "B-163,SHA-256",
    "B-163,SHA-384",
    "B-163,SHA-512",
    "B-233,SHA-1",
    "B-233,SHA-224",
    "B-233,SHA-256",
    "B-233,SHA-384",
    "B-233,SHA-512",
    "B-283,SHA-1",
    "B-283,SHA-224",
    "B-283,SHA-256",
    "B-283,SHA-384",
    "B-283,SHA-512",
    "B-409,SHA-1",
    "B-409,SHA-224",
    "B-409,SHA-256",
    "B-409,SHA-384",
    "B-409,SHA-512",
    "B-571,SHA-1",
    "B-571,SHA-224",
    "B-571,SHA-256",
    "B-571,SHA-384",
    "B-571,SHA-512",
    "P-192",
    "P-224",
    "P-256",
    "P-384",
    "P-521",
    "K-163",
    "K-233",
    "K-283",
    "K-409",
    "K-571",
    "B-163",
    "B-233",
    "B-283",
    "B-409",
    "B-571",
    "B.4.2 Key Pair Generation by Testing Candidates",
    "B-233,SHA-253846",
];

const KAS_ECC_SECTIONS: Names = &[
    "EA",
    "EB",
    "EC",
    "ED",
    "EE",
    "Curve selected:  P-192",
    "Curve selected:  P-224",
    "Curve selected:  P-256",
    "Curve selected:  P-384",
    "Curve selected:  P-521",
    "SHA(s) supported (Used for hashing Z):  SHA1",
    "SHA(s) supported (Used for hashing Z):  SHA224",
    "SHA(s) supported (Used for hashing Z):  SHA256",
    "SHA(s) supported (Used for hashing Z):  SHA384",
    "SHA(s) supported (Used for hashing Z):  SHA512",
    "EA - SHA1",
    "EB - SHA224",
    "EC - SHA256",
    "ED - SHA384",
    "EE - SHA512",
];

const SCHEMAS: &[(&str, Names, Names, Names)] = &[
    (
        "asymmetric/Ed448/",
        &["COUNT", "SECRET", "PUBLIC", "MESSAGE", "SIGNATURE"],
        &["CONTEXT"],
        &[],
    ),
    (
        "asymmetric/X25519/",
        &["COUNT", "INPUT_SCALAR", "INPUT_U", "OUTPUT_U"],
        &[],
        &[],
    ),
    (
        "asymmetric/X448/",
        &["COUNT", "INPUT_SCALAR", "INPUT_U", "OUTPUT_U"],
        &[],
        &[],
    ),
    // The generic parser gives the DSA domain paragraphs as cases of their own
    // (`ffc::load_with_domain` carries them into the cases).
    (
        "asymmetric/DSA/FIPS_186-3/KeyPair",
        &[],
        &["P", "Q", "G", "X", "Y"],
        &["mod", "N"],
    ),
    (
        "asymmetric/DSA/FIPS_186-3/SigGen",
        &[],
        &["P", "Q", "G", "Msg", "X", "Y", "K", "R", "S"],
        &["mod"],
    ),
    (
        "asymmetric/DSA/FIPS_186-3/SigVer",
        &[],
        &["P", "Q", "G", "Msg", "X", "Y", "R", "S", "Result"],
        &["mod"],
    ),
    (
        "asymmetric/DH/KASValidityTest",
        &[
            "P",
            "Q",
            "G",
            "COUNT",
            "XstatCAVS",
            "YstatCAVS",
            "XstatIUT",
            "YstatIUT",
            "Z",
            "CAVSHashZZ",
            "Result",
        ],
        &[],
        &[
            "FA",
            "FB",
            "FC",
            "SHA(s) supported (Used for hashing Z): SHA1",
            "SHA(s) supported (Used for hashing Z): SHA224",
            "SHA(s) supported (Used for hashing Z): SHA256",
            "FA - SHA1",
            "FB - SHA224",
            "FC - SHA256",
        ],
    ),
    // The generic parser ends an RFC 5114 case at its first blank line
    // (`ffc::load_joined` reads the whole case).
    (
        "asymmetric/DH/RFC5114",
        &["COUNT", "P", "Q", "G"],
        &[],
        &[
            "A.1.  1024-bit MODP Group with 160-bit Prime Order Subgroup",
            "A.2.2048-bitMODPGroupwith224-bitPrimeOrderSubgroup",
            "A.3.  2048-bit MODP Group with 256-bit Prime Order Subgroup",
        ],
    ),
    (
        "asymmetric/DH/bad_exchange",
        &["COUNT", "G", "P1", "X1", "Y1", "P2", "X2", "Y2"],
        &[],
        &[],
    ),
    (
        "asymmetric/DH/dhkey",
        &["COUNT", "P", "G", "Y", "X"],
        &["Q"],
        &[],
    ),
    ("asymmetric/DH/rfc3526", &["COUNT", "P", "G"], &[], &[]),
    (
        "asymmetric/DH/vec",
        &["COUNT", "P", "G", "X", "Y", "K"],
        &[],
        &[],
    ),
    (
        "asymmetric/ECDSA/FIPS_186-3/KeyPair",
        &[],
        &["N", "d", "Qx", "Qy"],
        ECDSA_SECTIONS,
    ),
    (
        "asymmetric/ECDSA/FIPS_186-3/PKV",
        &["Qx", "Qy", "Result"],
        &[],
        ECDSA_SECTIONS,
    ),
    (
        "asymmetric/ECDSA/FIPS_186-3/SigGen",
        &["Msg", "Qx", "Qy", "R", "S"],
        &[],
        ECDSA_SECTIONS,
    ),
    (
        "asymmetric/ECDSA/FIPS_186-3/SigVer",
        &["Msg", "Qx", "Qy", "R", "S", "Result"],
        &[],
        ECDSA_SECTIONS,
    ),
    (
        "asymmetric/ECDH/KASValidityTest",
        &[
            "COUNT",
            "dsCAVS",
            "QsCAVSx",
            "QsCAVSy",
            "dsIUT",
            "QsIUTx",
            "QsIUTy",
            "Z",
            "CAVSHashZZ",
            "Result",
        ],
        &[],
        KAS_ECC_SECTIONS,
    ),
    (
        "asymmetric/ECDH/brainpool",
        &[
            "COUNT", "curve", "dA", "x_qA", "y_qA", "dB", "x_qB", "y_qB", "x_Z", "y_Z",
        ],
        &[],
        &[],
    ),
    ("HMAC/", &["Len", "Key", "Msg", "MD"], &[], &[]),
    (
        "KDF/ansx963",
        &[
            "COUNT",
            "Z",
            "SharedInfo",
            "Counter",
            "Hash input 1",
            "K1",
            "key_data",
        ],
        &[
            "Hash input 2",
            "Hash input 3",
            "Hash input 4",
            "Hash input 5",
            "Hash input 6",
            "Hash input 7",
            "K2",
            "K3",
            "K4",
            "K5",
            "K6",
            "K7",
        ],
        &[
            "SHA-1",
            "SHA-224",
            "SHA-256",
            "SHA-384",
            "SHA-512",
            "shared secret length",
            "SharedInfo length",
            "key data length",
        ],
    ),
    (
        "KDF/nist-800-108-KBKDF-CTR",
        &["COUNT", "L", "KI", "Binary rep of i", "instring", "KO"],
        &[
            "FixedInputDataByteLen",
            "FixedInputData",
            "DataBeforeCtrLen",
            "DataBeforeCtrData",
            "DataAfterCtrLen",
            "DataAfterCtrData",
        ],
        &["PRF", "CTRLOCATION", "RLEN"],
    ),
    (
        "KDF/rfc-5869",
        &["COUNT", "Hash", "IKM", "salt", "info", "L", "PRK", "OKM"],
        &[],
        &[],
    ),
    (
        "KDF/hkdf-generated",
        &["COUNT", "Hash", "IKM", "salt", "info", "L", "OKM"],
        &[],
        &[],
    ),
    (
        "KDF/rfc-6070",
        &[
            "COUNT",
            "PASSWORD",
            "SALT",
            "ITERATIONS",
            "LENGTH",
            "DERIVED_KEY",
        ],
        &[],
        &[],
    ),
    (
        "KDF/scrypt",
        &[
            "COUNT",
            "PASSWORD",
            "SALT",
            "N",
            "r",
            "p",
            "LENGTH",
            "DERIVED_KEY",
        ],
        &[],
        &[],
    ),
    (
        "KDF/argon2",
        &[
            "COUNT", "length", "lanes", "iter", "memcost", "pass", "salt", "output",
        ],
        &["secret", "ad"],
        &[],
    ),
    (
        "twofactor/rfc-4226",
        &[
            "COUNT",
            "COUNTER",
            "INTERMEDIATE",
            "TRUNCATED",
            "HOTP",
            "SECRET",
        ],
        &[],
        &[],
    ),
    (
        "twofactor/rfc-6238",
        &["COUNT", "TIME", "TOTP", "MODE", "SECRET"],
        &[],
        &[],
    ),
    (
        "CMAC/nist-800-38b-3des",
        &["COUNT", "KEY1", "KEY2", "KEY3", "MESSAGE", "OUTPUT"],
        &[],
        &[],
    ),
    ("CMAC/", &["COUNT", "KEY", "MESSAGE", "OUTPUT"], &[], &[]),
    ("poly1305/", &["COUNT", "KEY", "MSG", "TAG"], &[], &[]),
    (
        "keywrap/kwp_botan",
        &["COUNT", "Key", "Input", "Output"],
        &[],
        &["KWP"],
    ),
    (
        "keywrap/kwtestvectors/",
        &["COUNT", "K", "C"],
        &["P", "FAIL"],
        &["PLAINTEXT LENGTH"],
    ),
    (
        "ciphers/AES/CCM/DVPT",
        &["Count", "Key", "Nonce", "Adata", "CT", "Result"],
        &["Payload"],
        &["Alen", "Plen", "Nlen", "Tlen"],
    ),
    (
        "ciphers/AES/CCM/",
        &[
            "Count", "Key", "Nonce", "Adata", "Payload", "CT", "Alen", "Plen", "Nlen", "Tlen",
        ],
        &[],
        &["Alen", "Plen", "Nlen", "Tlen"],
    ),
    (
        "ciphers/AES/GCM-SIV/",
        &["COUNT", "Key", "IV", "Plaintext", "Tag", "Ciphertext"],
        &["AAD"],
        &[],
    ),
    (
        "ciphers/AES/OCB3/",
        &["COUNT", "Key", "Nonce", "AAD", "Plaintext", "Ciphertext"],
        &[],
        &[],
    ),
    (
        "ciphers/AES/SIV/",
        &["COUNT", "Key", "AAD", "Tag", "Plaintext", "Ciphertext"],
        &["AAD2", "AAD3"],
        &[],
    ),
    (
        "ciphers/ChaCha20Poly1305/boringssl",
        &["COUNT", "KEY", "NONCE", "IN", "AD", "CT", "TAG"],
        &[],
        &[],
    ),
    (
        "ciphers/ChaCha20Poly1305/",
        &[
            "COUNT",
            "Key",
            "IV",
            "AAD",
            "Tag",
            "Plaintext",
            "Ciphertext",
        ],
        &["Result"],
        &[],
    ),
    (
        "ciphers/3DES/",
        &["COUNT", "PLAINTEXT", "CIPHERTEXT"],
        &["KEYs", "KEY1", "KEY2", "KEY3", "IV"],
        &["ENCRYPT", "DECRYPT"],
    ),
    (
        "ciphers/AES/ECB/",
        &["COUNT", "KEY", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT", "DECRYPT"],
    ),
    (
        "ciphers/AES/GCM/gcmDecrypt",
        &["Count", "Key", "IV", "CT", "AAD", "Tag"],
        &["PT", "FAIL"],
        &["Keylen", "IVlen", "PTlen", "AADlen", "Taglen"],
    ),
    (
        "ciphers/AES/GCM/gcmEncrypt",
        &["Count", "Key", "IV", "PT", "AAD", "CT", "Tag"],
        &[],
        &["Keylen", "IVlen", "PTlen", "AADlen", "Taglen"],
    ),
    (
        "ciphers/AES/XTS/",
        &["COUNT", "DataUnitLen", "Key", "i", "PT", "CT"],
        &[],
        &["ENCRYPT", "DECRYPT"],
    ),
    (
        "ciphers/AES/",
        &["COUNT", "KEY", "IV", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT", "DECRYPT"],
    ),
    (
        "ciphers/ARC4/",
        &["COUNT", "KEY", "OFFSET", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/Blowfish/bf-ecb",
        &["COUNT", "KEY", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/CAST5/cast5-ecb",
        &["COUNT", "key", "plaintext", "ciphertext"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/Camellia/camellia-cbc",
        &["COUNT", "KEY", "IV", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/Camellia/camellia-cfb",
        &["COUNT", "KEY", "IV", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/Camellia/camellia-ofb",
        &["COUNT", "KEY", "IV", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    ("ciphers/Camellia/", &["K", "P", "C"], &[], &[]),
    (
        "ciphers/ChaCha20/",
        &[
            "COUNT",
            "KEY",
            "NONCE",
            "INITIAL_BLOCK_COUNTER",
            "PLAINTEXT",
            "CIPHERTEXT",
        ],
        &[],
        &[],
    ),
    (
        "ciphers/IDEA/idea-ecb",
        &["COUNT", "KEY", "PLAINTEXT", "CIPHERTEXT"],
        &["CIPHERTEXT100", "CIPHERTEXT1000"],
        &["ENCRYPT"],
    ),
    (
        "ciphers/SEED/rfc-4269",
        &["COUNT", "KEY", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/SM4/draft-ribose-cfrg-sm4-10-ecb",
        &["COUNT", "KEY", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "ciphers/SM4/rfc8998",
        &[
            "COUNT",
            "KEY",
            "IV",
            "AAD",
            "TAG",
            "PLAINTEXT",
            "CIPHERTEXT",
        ],
        &[],
        &[],
    ),
    (
        "ciphers/",
        &["COUNT", "KEY", "IV", "PLAINTEXT", "CIPHERTEXT"],
        &[],
        &["ENCRYPT"],
    ),
    (
        "hashes/SHAKE/SHAKE128VariableOut",
        &["COUNT", "Outputlen", "Msg", "Output"],
        &[],
        &[
            "Tested for Output of byte-oriented messages",
            "Input Length",
            "Minimum Output Length (bits)",
            "Maximum Output Length (bits)",
        ],
    ),
    (
        "hashes/SHAKE/SHAKE256VariableOut",
        &["COUNT", "Outputlen", "Msg", "Output"],
        &[],
        &[
            "Tested for Output of byte-oriented messages",
            "Input Length",
            "Minimum Output Length (bits)",
            "Maximum Output Length (bits)",
        ],
    ),
    (
        "hashes/SHAKE/",
        &["Len", "Msg", "Output"],
        &[],
        &["Outputlen"],
    ),
    ("hashes/SHA", &["Len", "Msg", "MD"], &[], &["L"]),
    ("hashes/", &["Len", "Msg", "MD"], &[], &[]),
];

#[test]
fn every_file_has_its_family_field_layout() {
    let mut failures = Vec::new();
    for file in generic_files() {
        let Some((_, required, optional, sections)) =
            SCHEMAS.iter().find(|(p, ..)| file.starts_with(p))
        else {
            failures.push(format!("{file}: no schema"));
            continue;
        };
        for case in load(&file).unwrap() {
            for r in *required {
                // A CCM length is a section in some files, a carried field in others.
                if !case.has(r) && case.section(r).is_none() {
                    failures.push(format!("{file}:{}: missing {r}", case.line()));
                }
            }
            for n in case.names() {
                if !required.contains(&n) && !optional.contains(&n) {
                    failures.push(format!("{file}:{}: unexpected field {n}", case.line()));
                }
            }
            for (s, _) in case.sections() {
                if !sections.contains(&s) {
                    failures.push(format!("{file}:{}: unexpected section {s}", case.line()));
                }
            }
            if failures.len() > 20 {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gcm_decrypt_fail_flags_are_seen() {
    // Expected numbers from `grep -c FAIL` on the committed files.
    for (file, fails) in [
        ("ciphers/AES/GCM/gcmDecrypt128.rsp", 4011),
        ("ciphers/AES/GCM/gcmDecrypt192.rsp", 3978),
        ("ciphers/AES/GCM/gcmDecrypt256.rsp", 3919),
    ] {
        let cases = load(file).unwrap();
        assert_eq!(cases.len(), 7875);
        let mut seen = 0;
        for case in &cases {
            let fail = case.flag("FAIL");
            // A FAIL case has no PT; every other case has one.
            assert_eq!(fail, !case.has("PT"), "{file}:{}", case.line());
            seen += usize::from(fail);
        }
        assert_eq!(seen, fails, "{file}");
    }
    let first = load("ciphers/AES/GCM/gcmDecrypt128.rsp").unwrap();
    // Count = 1 (line 21 of the file) is the first FAIL case.
    assert_eq!(first[1].line(), 21);
    assert_eq!(first[1].str("Count").unwrap(), "1");
    assert!(first[1].flag("FAIL"));
    assert!(!first[0].flag("FAIL"));
    assert_eq!(first[0].section("Keylen"), Some("128"));
    assert_eq!(first[0].section("Taglen"), Some("128"));
    assert_eq!(first[0].hex("CT").unwrap(), Vec::<u8>::new());
    for f in [
        "ciphers/AES/GCM/gcmEncryptExtIV128.rsp",
        "ciphers/AES/GCM/gcmEncryptExtIV256.rsp",
    ] {
        assert!(load(f).unwrap().iter().all(|c| !c.has("FAIL")));
    }
}

#[test]
fn sections_apply_to_the_right_cases() {
    let cases = load("ciphers/AES/CBC/CBCMMT128.rsp").unwrap();
    assert_eq!(cases.len(), 20);
    for (i, c) in cases.iter().enumerate() {
        let enc = c.section("ENCRYPT").is_some();
        let dec = c.section("DECRYPT").is_some();
        assert_eq!((enc, dec), (i < 10, i >= 10), "case {i}");
        assert_eq!(c.sections().count(), 1);
    }
    assert_eq!(cases[0].section("ENCRYPT"), Some(""));
    assert_eq!(cases[0].line(), 10);

    // GCM: each [Keylen]..[Taglen] block replaces the previous one.
    let gcm = load("ciphers/AES/GCM/gcmEncryptExtIV192.rsp").unwrap();
    let blocks: BTreeSet<Vec<(String, String)>> = gcm
        .iter()
        .map(|c| {
            c.sections()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    assert_eq!(blocks.len(), 525);
    assert!(blocks.iter().all(|b| b.len() == 5));
    assert!(gcm.iter().all(|c| c.section("Keylen") == Some("192")));

    let shake = load("hashes/SHAKE/SHAKE128VariableOut.rsp").unwrap();
    let c = &shake[0];
    assert_eq!(c.section("Input Length"), Some("128"));
    assert_eq!(c.section("Minimum Output Length (bits)"), Some("125"));
    assert_eq!(c.section("Maximum Output Length (bits)"), Some("1120"));
    assert_eq!(
        c.section("Tested for Output of byte-oriented messages"),
        Some("")
    );
    assert_eq!(c.usize("Outputlen").unwrap(), 128);

    let sha = load("hashes/SHA2/SHA512_224ShortMsg.rsp").unwrap();
    assert_eq!(sha[0].section("L"), Some("28"));
    assert_eq!(sha[0].usize("Len").unwrap(), 0);
    assert_eq!(sha[0].hex("Msg").unwrap(), vec![0]);
}

#[test]
fn ntt_camellia_format_carries_the_key() {
    let cases = load("ciphers/Camellia/camellia-128-ecb.txt").unwrap();
    assert_eq!(cases.len(), 1280);
    let c = &cases[0];
    assert_eq!(c.line(), 8);
    assert_eq!(c.str("K").unwrap(), "00000000000000000000000000000000");
    assert_eq!(c.str("P").unwrap(), "80000000000000000000000000000000");
    assert_eq!(c.str("C").unwrap(), "07923A39EB0A817D1C4D87BDB82D1F1C");
    let c = &cases[128];
    assert_eq!(c.line(), 394);
    assert_eq!(c.hex("K").unwrap(), vec![0xff; 16]);
    assert_eq!(c.str("C").unwrap(), "06C8BFAD83AA9AFD3A9AD4119BAB7A5B");
    assert!(cases
        .iter()
        .all(|c| c.names().collect::<Vec<_>>() == ["K", "P", "C"]));
}

#[test]
fn commented_out_cases_are_not_cases() {
    let cases = load("ciphers/Blowfish/bf-ecb.txt").unwrap();
    let counts: Vec<usize> = cases.iter().map(|c| c.usize("COUNT").unwrap()).collect();
    let expected: Vec<usize> = (0..=57).filter(|n| !(34..=36).contains(n)).collect();
    assert_eq!(counts, expected);
}

#[test]
fn other_layouts() {
    let cc = load("ciphers/ChaCha20/rfc7539.txt").unwrap();
    assert_eq!(cc[2].usize("INITIAL_BLOCK_COUNTER").unwrap(), 42);
    assert_eq!(cc[2].hex("NONCE").unwrap().len(), 12);

    let tdes = load("ciphers/3DES/CBC/TCBCMMT3.rsp").unwrap();
    assert!(tdes[0].has("KEY1") && tdes[0].has("KEY3") && !tdes[0].has("KEYs"));
    let tdes = load("ciphers/3DES/ECB/TECBvarkey.rsp").unwrap();
    assert_eq!(tdes[0].line(), 8); // `[ENCRYPT]` directly followed by COUNT
    assert_eq!(tdes[0].hex("KEYs").unwrap().len(), 8);

    let xts = load("ciphers/AES/XTS/tweak-128hexstr/XTSGenAES128.rsp").unwrap();
    assert_eq!(xts[0].usize("DataUnitLen").unwrap(), 128);
    assert_eq!(xts[0].hex("i").unwrap().len(), 16);

    let hmac = load("HMAC/rfc-2202-md5.txt").unwrap();
    // Comments between fields do not split a case.
    assert_eq!(hmac[1].hex("Key").unwrap(), b"Jefe");

    let cast = load("ciphers/CAST5/cast5-ecb.txt").unwrap();
    assert!(cast[0].has("key") && !cast[0].has("KEY"));
}

#[test]
fn ccm_parameter_paragraphs_are_carried() {
    // VADT: Plen/Nlen/Tlen before the first header (whole file), then per
    // `[Alen = n]` block a Key/Nonce paragraph.
    let cases = load("ciphers/AES/CCM/VADT128.rsp").unwrap();
    assert_eq!(cases.len(), 330);
    let c = &cases[0];
    assert_eq!(c.line(), 15);
    assert_eq!(c.usize("Count").unwrap(), 0);
    assert_eq!(c.usize("Plen").unwrap(), 24);
    assert_eq!(c.usize("Nlen").unwrap(), 13);
    assert_eq!(c.usize("Tlen").unwrap(), 16);
    assert_eq!(c.section("Alen"), Some("0"));
    assert_eq!(c.str("Key").unwrap(), "d24a3d3dde8c84830280cb87abad0bb3");
    assert_eq!(c.str("Nonce").unwrap(), "f1100035bb24a8d26004e0e24b");
    assert_eq!(
        c.names().collect::<Vec<_>>(),
        ["Plen", "Nlen", "Tlen", "Key", "Nonce", "Count", "Adata", "Payload", "CT"]
    );
    // Every case of a block shares the block's key; the next block has its own.
    assert!(cases[..10]
        .iter()
        .all(|c| c.str("Key").unwrap() == cases[0].str("Key").unwrap()));
    assert_ne!(cases[10].str("Key").unwrap(), cases[0].str("Key").unwrap());
    assert_eq!(cases[10].section("Alen"), Some("1"));
    assert!(cases.iter().all(|c| c.usize("Plen").unwrap() == 24));
    // Carried fields are tracked per case.
    let c = cases[1].clone();
    c.ignore("Count");
    for n in ["Adata", "Payload", "CT", "Plen", "Nlen", "Tlen", "Key"] {
        c.ignore(n);
    }
    assert!(c.clone().finish().unwrap_err().message().contains("Nonce"));
    c.ignore("Nonce");
    c.finish().unwrap();

    // DVPT: one header sets four sections; the Key paragraph follows it.
    let dvpt = load("ciphers/AES/CCM/DVPT256.rsp").unwrap();
    assert_eq!(dvpt.len(), 240);
    let c = &dvpt[0];
    assert_eq!(
        c.sections().collect::<Vec<_>>(),
        [("Alen", "0"), ("Plen", "0"), ("Nlen", "7"), ("Tlen", "4")]
    );
    assert!(c.has("Key") && c.has("Nonce") && c.has("Payload"));
    assert_eq!(c.str("Result").unwrap(), "Pass");
    assert!(!dvpt[1].has("Payload"));
    assert_eq!(dvpt[1].str("Result").unwrap(), "Fail");
    let results = |r: &str| {
        dvpt.iter()
            .filter(|c| c.str("Result").unwrap() == r)
            .count()
    };
    assert_eq!((results("Pass"), results("Fail")), (80, 160));
}

#[test]
fn quoted_values_and_other_new_layouts() {
    let cc = load("ciphers/ChaCha20Poly1305/boringssl.txt").unwrap();
    assert_eq!(cc.len(), 66);
    assert_eq!(cc[1].bytes("IN").unwrap(), b"123456789abcdef0");
    assert_eq!(cc[1].bytes("AD").unwrap(), b"1");
    assert_eq!(cc[1].bytes("CT").unwrap().len(), 16);
    assert!(
        cc[1].hex("IN").is_err(),
        "hex() does not take quoted strings"
    );
    let empty = cc.iter().find(|c| c.str("IN").unwrap() == "\"\"").unwrap();
    assert_eq!(empty.bytes("IN").unwrap(), b"");
    assert_eq!(empty.bytes("CT").unwrap(), b"");

    let c = parse_str("t", "A = \"x\\\"\nB = \"x\nC = \"a\"b\"\nD = \"\u{e9}\"\n")
        .unwrap()
        .pop()
        .unwrap();
    for n in ["A", "B", "C", "D"] {
        assert!(c.bytes(n).is_err(), "{n}");
    }

    let siv = load("ciphers/AES/SIV/openssl.txt").unwrap();
    assert_eq!(siv[1].hex("AAD3").unwrap().len(), 16);
    let kw = load("keywrap/kwtestvectors/KWP_AD_256.txt").unwrap();
    assert_eq!(kw[0].section("PLAINTEXT LENGTH"), Some("8"));
    assert_eq!(kw.iter().filter(|c| c.flag("FAIL")).count(), 100);
    let botan = load("keywrap/kwp_botan.txt").unwrap();
    assert!(botan.iter().all(|c| c.section("KWP") == Some("")));
}

#[test]
fn kdf_intermediate_values_and_spanning_cases() {
    // X9.63: the indented per-block lines are intermediate values; `Counter`
    // repeats once per block, `Hash input i` and `Ki` are numbered.
    let x963 = load("KDF/ansx963_2001.txt").unwrap();
    assert_eq!(x963.len(), 100);
    let c = &x963[0];
    assert_eq!(c.line(), 11);
    assert_eq!(c.section("SHA-1"), Some(""));
    assert_eq!(c.section("key data length"), Some("128"));
    assert_eq!(c.hex("SharedInfo").unwrap(), Vec::<u8>::new());
    assert_eq!(c.all_str("Counter"), ["00000001"]);
    assert_eq!(c.hex("Hash input 1").unwrap().len(), 24 + 4);
    let long = x963
        .iter()
        .find(|c| c.section("SHA-1").is_some() && c.section("key data length") == Some("1024"))
        .unwrap();
    assert_eq!(
        long.all_str("Counter"),
        ["00000001", "00000002", "00000003", "00000004", "00000005", "00000006", "00000007"]
    );
    assert!(long.has("K7") && !long.has("K8"));
    // A repeated name is refused by the one-value accessors.
    let e = long.str("Counter").unwrap_err();
    assert!(e.message().contains("occurs 7 times"), "{e}");
    assert!(long.hex("Counter").is_err() && long.usize("Counter").is_err());

    // KBKDF: `Binary rep of i` and `instring` repeat per PRF block; CRLF file.
    let kbkdf = load("KDF/nist-800-108-KBKDF-CTR.txt").unwrap();
    assert_eq!(kbkdf.len(), 4800);
    let c = &kbkdf[0];
    assert_eq!(
        (
            c.section("PRF"),
            c.section("CTRLOCATION"),
            c.section("RLEN")
        ),
        (Some("CMAC_AES128"), Some("BEFORE_FIXED"), Some("8_BITS"))
    );
    assert_eq!(c.usize("L").unwrap(), 128);
    assert_eq!(c.all_hex("Binary rep of i").unwrap(), [vec![1]]);
    let middle = kbkdf
        .iter()
        .find(|c| c.section("CTRLOCATION") == Some("MIDDLE_FIXED") && c.usize("L").unwrap() == 320)
        .unwrap();
    assert!(middle.has("DataBeforeCtrData") && !middle.has("FixedInputData"));
    let reps = middle.all_str("Binary rep of i");
    assert!(reps.len() >= 2, "{reps:?}");
    assert_eq!(middle.all_str("instring").len(), reps.len());
    let blocks: usize = kbkdf.iter().map(|c| c.all_str("instring").len()).sum();
    assert_eq!(blocks, 9240); // `grep -c instring`

    // RFC 5869: `COUNT = n` stands alone, its fields follow in two more
    // paragraphs; every case gets exactly its own.
    let hkdf = load("KDF/rfc-5869-HKDF-SHA1.txt").unwrap();
    assert_eq!(
        hkdf.iter()
            .map(|c| c.usize("COUNT").unwrap())
            .collect::<Vec<_>>(),
        [4, 5, 6, 7]
    );
    for c in &hkdf {
        assert_eq!(
            c.names().collect::<Vec<_>>(),
            ["COUNT", "Hash", "IKM", "salt", "info", "L", "PRK", "OKM"]
        );
    }
    assert_eq!(hkdf[0].usize("L").unwrap(), 42);
    assert_eq!(hkdf[3].str("salt").unwrap(), "");
    let sha256 = load("KDF/rfc-5869-HKDF-SHA256.txt").unwrap();
    assert_eq!(sha256[2].hex("info").unwrap(), Vec::<u8>::new());
    assert_eq!(sha256[1].hex("OKM").unwrap().len(), 82);

    // PBKDF2: ASCII text values, `\0` kept as written (the runner maps it).
    let pbkdf2 = load("KDF/rfc-6070-PBKDF2-SHA1.txt").unwrap();
    assert_eq!(pbkdf2[5].str("PASSWORD").unwrap(), "pass\\0word");
    let scrypt = load("KDF/scrypt.txt").unwrap();
    assert_eq!(scrypt[0].str("PASSWORD").unwrap(), "");
    let argon = load("KDF/argon2i.txt").unwrap();
    assert_eq!(argon[4].hex("output").unwrap(), [0x04, 0x01, 0x80, 0xd6]);
    assert!(argon[0].has("secret") && !argon[1].has("secret"));
}

// ---- behaviour on hand-made input ----

#[test]
fn unread_fields_fail_finish() {
    let cases = parse_str("t", "COUNT = 0\nKEY = 00\nIV = 11\nCT = \nFAIL\n").unwrap();
    let c = cases.into_iter().next().unwrap();
    assert_eq!(c.str("COUNT").unwrap(), "0");
    assert_eq!(c.hex("KEY").unwrap(), vec![0]);
    let err = c.finish().unwrap_err();
    assert_eq!(err.file(), "t");
    assert_eq!(err.line(), 1);
    assert!(err.message().contains("IV, CT, FAIL"), "{err}");

    let c = parse_str("t", "[ENCRYPT]\nCOUNT = 0\nKEY = 00\n")
        .unwrap()
        .pop()
        .unwrap();
    // Sections and presence checks do not count as reads.
    assert!(c.section("ENCRYPT").is_some() && c.has("KEY"));
    assert!(c.ignore("COUNT"));
    assert!(!c.ignore("NOPE"));
    assert!(c.clone().finish().is_err());
    assert_eq!(c.opt_hex("KEY").unwrap(), Some(vec![0]));
    assert_eq!(c.opt_hex("IV").unwrap(), None);
    assert_eq!(c.opt_str("IV"), None);
    c.finish().unwrap();
}

#[test]
fn case_boundaries() {
    // Blank lines, headers and a repeated first field all start a new case.
    let text =
        "# header\r\n\r\n[A = 1]\r\n[B]\r\nCOUNT = 0\r\nX = aa\r\nCOUNT = 1\r\nX = bb\r\n\r\n\
                Y = cc\r\n[C]\r\nCOUNT = 2\r\n";
    let cases = parse_str("t", text).unwrap();
    // `Y = cc` has no COUNT in a file whose cases have one: a parameter
    // paragraph, carried into the rest of its header block (none), not a case.
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0].line(), 5);
    assert_eq!(cases[1].line(), 7);
    assert_eq!(cases[1].str("X").unwrap(), "bb");
    assert!(!cases[1].has("Y"));
    assert_eq!(cases[2].names().collect::<Vec<_>>(), ["COUNT"]);
    assert_eq!(cases[2].section("A"), None);
    assert_eq!(cases[2].section("C"), Some(""));

    // Without COUNT lines, every paragraph is a case.
    let cases = parse_str("t", "Len = 0\nMsg = 00\n\nY = cc\n[C]\nLen = 8\n").unwrap();
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[1].names().collect::<Vec<_>>(), ["Y"]);

    assert!(parse_str("t", "").unwrap().is_empty());
    assert!(parse_str("t", "# only\n[ENCRYPT]\n\n").unwrap().is_empty());
}

#[test]
fn intermediate_values_and_lone_count_lines() {
    let text = "COUNT = 0\nK = 00\n\tCounter = 01\n\tHash input 1 = aa\n\
                \tCounter = 02\n  Hash input 2 = bb\n\t# a comment\nOUT = cc\n\n\
                COUNT = 1\nK = 11\nOUT = dd\n";
    let cases = parse_str("t", text).unwrap();
    assert_eq!(cases.len(), 2);
    let c = &cases[0];
    assert_eq!(
        c.names().collect::<Vec<_>>(),
        [
            "COUNT",
            "K",
            "Counter",
            "Hash input 1",
            "Counter",
            "Hash input 2",
            "OUT"
        ]
    );
    // A single intermediate value reads like any field.
    assert_eq!(c.hex("Hash input 2").unwrap(), [0xbb]);
    assert_eq!(c.all_hex("Hash input 1").unwrap(), [vec![0xaa]]);
    assert_eq!(c.all_str("Nope"), Vec::<&str>::new());
    assert!(c.all_hex("Nope").unwrap().is_empty());
    // Only the first occurrence of a repeated field is marked by opt_str.
    let d = c.clone();
    assert_eq!(d.opt_str("Counter"), Some("01"));
    for n in ["COUNT", "K", "Hash input 1", "Hash input 2", "OUT"] {
        d.ignore(n);
    }
    assert!(d.finish().unwrap_err().message().contains("Counter"));
    let e = c.hex("Counter").unwrap_err();
    assert_eq!(e.line(), 3);
    assert!(e.message().contains("also on lines 5"), "{e}");
    assert_eq!(c.all_hex("Counter").unwrap(), [vec![1], vec![2]]);
    for n in ["COUNT", "K", "OUT"] {
        c.ignore(n);
    }
    c.clone().finish().unwrap();
    // `ignore` marks every occurrence.
    let d = cases[0].clone();
    for n in [
        "COUNT",
        "K",
        "Counter",
        "Hash input 1",
        "Hash input 2",
        "OUT",
    ] {
        assert!(d.ignore(n));
    }
    d.finish().unwrap();
    let e = parse_str("t", "COUNT = 0\n\tX = zz\n\tX = 00\n")
        .unwrap()
        .pop()
        .unwrap()
        .all_hex("X")
        .unwrap_err();
    assert_eq!(e.line(), 2);

    // A COUNT line alone in its paragraph: the next paragraphs are its own,
    // until the next COUNT line or header; comments do not matter.
    let text = "COUNT = 4\n\nA = 01\nB = 02\n\n# c\nC = 03\n\n# next\nCOUNT = 5\n\nA = 11\n\
                [H]\nCOUNT = 6\n\n\nA = 21\n";
    let cases = parse_str("t", text).unwrap();
    assert_eq!(cases.len(), 3);
    assert_eq!(
        cases[0].names().collect::<Vec<_>>(),
        ["COUNT", "A", "B", "C"]
    );
    assert_eq!(cases[0].line(), 1);
    assert_eq!(cases[1].names().collect::<Vec<_>>(), ["COUNT", "A"]);
    assert_eq!(cases[1].section("H"), None);
    assert_eq!(cases[2].names().collect::<Vec<_>>(), ["COUNT", "A"]);
    assert_eq!(cases[2].section("H"), Some(""));
    // A paragraph after a case with other fields is still a parameter
    // paragraph (the CCM layout), and a lone COUNT keeps carried fields.
    let text = "P = 9\n\nCOUNT = 0\nX = 1\n\nQ = 2\n\nCOUNT = 1\n\nX = 2\n";
    let cases = parse_str("t", text).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].names().collect::<Vec<_>>(), ["P", "COUNT", "X"]);
    assert_eq!(
        cases[1].names().collect::<Vec<_>>(),
        ["P", "Q", "COUNT", "X"]
    );
    // Without COUNT lines a lone first field is just a one-field case.
    let cases = parse_str("t", "Len = 0\n\nMsg = 00\n").unwrap();
    assert_eq!(cases.len(), 2);
}

#[test]
fn malformed_input_is_an_error() {
    let bad: &[(&str, usize, &str)] = &[
        ("COUNT = 0\nKEY = 00\nKEY = 11\n", 3, "repeated"),
        ("FAIL\n", 1, "outside"),
        ("COUNT = 0\nKEY = 00\n\nFAIL\n", 4, "outside"),
        ("COUNT = 0\nFAIL\nFAIL\n", 3, "repeated"),
        ("[ENCRYPT\n", 1, "unterminated"),
        ("[]\n", 1, "empty section"),
        ("[ = 3]\n", 1, "empty section"),
        ("[A]\n[A]\n", 2, "repeated"),
        ("KEY  WITH DOUBLE SPACE = 00\n", 1, "invalid field name"),
        (" = 00\n", 1, "invalid field name"),
        ("COUNT = 0\nhello world\n", 2, "unrecognised"),
        ("COUNT = 0\n\u{0}\n", 2, "unrecognised"),
        ("COUNT = 0\n-\n", 2, "unrecognised"),
        ("K No.1 : zz\n", 1, "unrecognised"),
        ("\u{feff}COUNT\n", 1, "unrecognised"),
        ("[A = 1, A = 2]\n", 1, "repeated"),
        ("[A = 1, = 2]\n", 1, "empty section"),
        ("P = 1\nP = 2\n\nCOUNT = 0\n", 2, "parameter paragraph"),
        ("P = 1\nCOUNT = 0\n", 2, "blank line must end it"),
        ("P = 1\n\nCOUNT = 0\nP = 2\n", 4, "carried from line 1"),
        ("P = 1\nFAIL\n\nCOUNT = 0\n", 2, "outside"),
        // Intermediate values (indented lines).
        ("\tX = 00\nCOUNT = 0\n", 1, "outside a test case"),
        ("COUNT = 0\nX = 1\n\n\tY = 00\n", 4, "outside a test case"),
        (
            "COUNT = 0\nX = 00\n\tX = 11\n",
            3,
            "repeats the field on line 2",
        ),
        ("COUNT = 0\n\tX = 00\nX = 11\n", 3, "repeated"),
        ("COUNT = 0\n\tCOUNT = 1\n", 2, "indented COUNT"),
        ("COUNT = 0\n\tA  B = 00\n", 2, "invalid field name"),
        ("COUNT = 0\n\tA-B = 00\n", 2, "invalid field name"),
    ];
    for (text, line, needle) in bad {
        let err = parse_str("bad", text).unwrap_err();
        assert_eq!(err.line(), *line, "{text:?}: {err}");
        assert!(err.message().contains(needle), "{text:?}: {err}");
        assert!(err.to_string().starts_with(&format!("bad:{line}: ")));
    }
}

#[test]
fn typed_accessor_errors() {
    let c = parse_str(
        "t",
        "N = 12x\nBIG = 99999999999999999999999999\nODD = abc\nBAD = 0g\nUTF = a\u{e9}b\nE = \n",
    )
    .unwrap()
    .pop()
    .unwrap();
    assert!(c
        .usize("N")
        .unwrap_err()
        .message()
        .contains("not a decimal"));
    assert!(c
        .usize("BIG")
        .unwrap_err()
        .message()
        .contains("does not fit"));
    assert!(c.usize("E").is_err());
    assert!(c.hex("ODD").unwrap_err().message().contains("odd"));
    let e = c.hex("BAD").unwrap_err();
    assert_eq!(e.line(), 4);
    assert!(e.message().contains("'g'"), "{e}");
    assert!(c.hex("UTF").unwrap_err().message().contains("'é'"));
    assert_eq!(c.hex("E").unwrap(), Vec::<u8>::new());
    assert!(c.opt_hex("ODD").is_err());
    let e = c.str("MISSING").unwrap_err();
    assert!(e.message().contains("no field MISSING"), "{e}");
    assert!(!c.flag("N"), "a value field is not a flag");
    assert_eq!(c.error("boom").to_string(), "t:1: boom");
}

#[test]
fn load_errors() {
    let e = load("no/such/file.rsp").unwrap_err();
    assert_eq!((e.file(), e.line()), ("no/such/file.rsp", 0));
    assert_eq!(expected_case_count("no/such/file.rsp"), None);
    // COUNTS itself is not a vector file: it has no case-starting lines.
    assert!(load("COUNTS").is_err());
}

/// A small deterministic fuzz: random bytes and random mutations of real
/// files must give errors or cases, never a panic, and every accessor on
/// the resulting cases must not panic either.
#[test]
fn arbitrary_input_never_panics() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"COUNT=KEY[]#FAIL No.: \n\r\t0123456789abcdefABCDEFxyz\xc3\xa9\x00";
    let seed_text = std::fs::read(vectors_dir().join("ciphers/AES/GCM/gcmDecrypt128.rsp"))
        .unwrap()
        .into_iter()
        .take(4000)
        .collect::<Vec<u8>>();
    let ntt = std::fs::read(vectors_dir().join("ciphers/Camellia/camellia-128-ecb.txt"))
        .unwrap()
        .into_iter()
        .take(2000)
        .collect::<Vec<u8>>();
    for round in 0..3000 {
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..(next() % 300))
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect(),
            _ => {
                let mut b = if round % 3 == 1 {
                    seed_text.clone()
                } else {
                    ntt.clone()
                };
                for _ in 0..(1 + next() % 8) {
                    let at = (next() % b.len() as u64) as usize;
                    b[at] = alphabet[(next() % alphabet.len() as u64) as usize];
                }
                b
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(cases) = parse_str("fuzz", &text) {
            for c in cases {
                let names: Vec<String> = c.names().map(str::to_string).collect();
                for n in &names {
                    let _ = c.hex(n);
                    let _ = c.usize(n);
                    let _ = c.opt_hex(n);
                    let _ = c.flag(n);
                }
                let _ = c.sections().count();
                let _ = c.finish();
            }
        }
    }
}

#[test]
fn finite_field_readers_carry_domains_and_join_paragraphs() {
    let keys =
        crate::ffc::load_with_domain("asymmetric/DSA/FIPS_186-3/KeyPair.rsp", &["P", "Q", "G"])
            .unwrap();
    assert_eq!(keys.len(), 40);
    for case in &keys {
        assert_eq!(
            case.names().collect::<Vec<_>>(),
            ["P", "Q", "G", "X", "Y"],
            "line {}",
            case.line()
        );
    }
    // A carried parameter must be read like any other field.
    let first = keys[0].clone();
    first.hex("X").unwrap();
    first.hex("Y").unwrap();
    assert!(first.finish().is_err());
    let rfc5114 = crate::ffc::load_joined("asymmetric/DH/RFC5114.txt").unwrap();
    assert_eq!(rfc5114.len(), 3);
    for case in &rfc5114 {
        assert_eq!(
            case.names().collect::<Vec<_>>(),
            [
                "COUNT",
                "P",
                "Q",
                "G",
                "XstatCAVS",
                "YstatCAVS",
                "XstatIUT",
                "YstatIUT",
                "Z",
                "Result"
            ]
        );
    }
}
