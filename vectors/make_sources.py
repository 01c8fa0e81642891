#!/usr/bin/env python3
"""Maintain the committed test-vector files under vectors/.

Usage (run from anywhere):

  make_sources.py import WHEEL   copy the selected files out of the
                                 cryptography-vectors wheel (a zip) into
                                 vectors/, byte for byte
  make_sources.py generate WHEEL regenerate SOURCES.md and COUNTS from the
                                 files present (WHEEL is only hashed for the
                                 origin line)
  make_sources.py --check        re-verify every committed file against the
                                 sha256 table in SOURCES.md and the case
                                 counts in COUNTS; exit 1 on any mismatch

COUNTS is produced by an independent, deliberately simple line rule (see
count_cases below), NOT by the Rust parser in crates/test-vectors, so the
Rust tests can catch a parser that silently drops cases. Files in formats that
parser does not read (JSON, key files, and the scripts that made project-made files)
are listed in COUNTS with `-` instead of a count (the JSON files are read by their own
tests).

A few files are made by this project rather than copied from the wheel
(PROJECT_MADE below, each with the script beside it that makes it); `import`
leaves them alone and SOURCES.md says where each comes from.
"""

import hashlib
import os
import re
import sys
import textwrap
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_PREFIX = "cryptography_vectors/"
WHEEL_NAME = "cryptography_vectors-50.0.2-py3-none-any.whl"
PACKAGE = "cryptography-vectors 50.0.2"

KAT = ["GFSbox", "KeySbox", "VarKey", "VarTxt", "MMT"]
SIZES = ["128", "192", "256"]
DES3_KINDS = ["invperm", "permop", "subtab", "varkey", "vartext", "MMT1", "MMT2", "MMT3"]


def selection():
    """The exact list of wheel paths (relative to cryptography_vectors/)."""
    out = []
    # AES block modes: NIST CAVP AESAVS KAT + MMT (no MCT, no CFB1).
    for mode_dir, prefix in [("ECB", "ECB"), ("CBC", "CBC"), ("OFB", "OFB"),
                             ("CFB", "CFB8"), ("CFB", "CFB128")]:
        for kind in KAT:
            for size in SIZES:
                out.append(f"ciphers/AES/{mode_dir}/{prefix}{kind}{size}.rsp")
    for size in SIZES:
        out.append(f"ciphers/AES/CTR/aes-{size}-ctr.txt")
    for size in SIZES:
        out.append(f"ciphers/AES/GCM/gcmDecrypt{size}.rsp")
        out.append(f"ciphers/AES/GCM/gcmEncryptExtIV{size}.rsp")
    out.append("ciphers/AES/XTS/tweak-128hexstr/XTSGenAES128.rsp")
    out.append("ciphers/AES/XTS/tweak-128hexstr/XTSGenAES256.rsp")
    # 3DES: NIST CAVP TDESVS KAT + MMT for plain CBC/ECB/OFB/CFB8/CFB64.
    for mode_dir, prefix in [("CBC", "TCBC"), ("ECB", "TECB"), ("OFB", "TOFB"),
                             ("CFB", "TCFB8"), ("CFB", "TCFB64")]:
        for kind in DES3_KINDS:
            out.append(f"ciphers/3DES/{mode_dir}/{prefix}{kind}.rsp")
    # Whole directories.
    whole_dirs = [
        "ciphers/Camellia", "ciphers/Blowfish", "ciphers/CAST5", "ciphers/ARC4",
        "ciphers/IDEA", "ciphers/SEED", "ciphers/SM4", "ciphers/ChaCha20",
        "hashes/blake2", "hashes/MD5", "hashes/ripemd160", "hashes/SM3",
    ]
    # Hashes.
    out.append("hashes/SHA1/SHA1ShortMsg.rsp")
    out.append("hashes/SHA1/SHA1LongMsg.rsp")
    for h in ["SHA224", "SHA256", "SHA384", "SHA512", "SHA512_224", "SHA512_256"]:
        out.append(f"hashes/SHA2/{h}ShortMsg.rsp")
        out.append(f"hashes/SHA2/{h}LongMsg.rsp")
    for h in ["224", "256", "384", "512"]:
        out.append(f"hashes/SHA3/SHA3_{h}ShortMsg.rsp")
        out.append(f"hashes/SHA3/SHA3_{h}LongMsg.rsp")
    for h in ["128", "256"]:
        for kind in ["ShortMsg", "LongMsg", "VariableOut"]:
            out.append(f"hashes/SHAKE/SHAKE{h}{kind}.rsp")
    for name in ["rfc-2202-md5.txt", "rfc-2202-sha1.txt", "rfc-2286-ripemd160.txt",
                 "rfc-4231-sha224.txt", "rfc-4231-sha256.txt",
                 "rfc-4231-sha384.txt", "rfc-4231-sha512.txt"]:
        out.append(f"HMAC/{name}")
    # One-shot AEADs. CCM: the NIST CAVP .rsp files only (the DVPT*.txt copies repeat the
    # DVPT*.rsp cases with annotated Result lines; Readme.txt is not a vector file).
    for kind in ["DVPT", "VADT", "VNT", "VPT", "VTT"]:
        for size in SIZES:
            out.append(f"ciphers/AES/CCM/{kind}{size}.rsp")
    whole_dirs += [
        "ciphers/AES/GCM-SIV", "ciphers/AES/OCB3", "ciphers/AES/SIV",
        "ciphers/ChaCha20Poly1305", "CMAC", "poly1305",
    ]
    # Key wrap: NIST CAVP KWVS AES KW and KWP (forward and inverse cipher function), plus
    # Botan's KWP vectors. Not TKW (triple-DES key wrap), which the library does not implement.
    for kind in ["KW", "KWP"]:
        for direction in ["AE", "AD"]:
            for size in SIZES:
                for inv in ["", "_inv"]:
                    out.append(f"keywrap/kwtestvectors/{kind}_{direction}_{size}{inv}.txt")
    out.append("keywrap/kwp_botan.txt")
    # Fernet (JSON, read by crates/pluggable-crypto/tests/fernet.rs) and HOTP/TOTP.
    for name in ["generate.json", "invalid.json", "verify.json"]:
        out.append(f"fernet/{name}")
    for name in ["rfc-4226.txt", "rfc-6238.txt"]:
        out.append(f"twofactor/{name}")
    # Key derivation: every file of the wheel's KDF folder (HKDF, PBKDF2, scrypt, Argon2,
    # X9.63, SP 800-108 KBKDF counter mode).
    whole_dirs.append("KDF")
    # Elliptic curves: FIPS 186-3 ECDSA key pairs, public-key validation, signature generation
    # (checked by verifying) and verification; OpenSSL's RFC 6979 deterministic ECDSA cases
    # (exact signatures); the KAS ECC CDH primitive (Z only) tests, initiator and responder,
    # and the RFC 7027 brainpool ECDH examples.
    for name in ["KeyPair", "PKV", "SigGen", "SigVer"]:
        out.append(f"asymmetric/ECDSA/FIPS_186-3/{name}.rsp")
    out.append("asymmetric/ECDSA/RFC6979/evppkey_ecdsa_rfc6979.txt")
    for role in ["init", "resp"]:
        out.append(f"asymmetric/ECDH/KASValidityTest_ECCStaticUnified_NOKC_ZZOnly_{role}.fax")
    out.append("asymmetric/ECDH/brainpool.txt")
    # EdDSA and XDH (raw keys only; the PEM/DER key files wait for serialization). The wheel
    # has no RFC 8032 file for Ed25519: the first three lines of sign.input are RFC 8032
    # section 7.1 tests 1-3. The RFC 7748 iterated cases are not in the wheel either; the
    # tests carry them from the RFC's text.
    out.append("asymmetric/Ed25519/sign.input")
    out.append("asymmetric/Ed448/rfc8032.txt")
    out.append("asymmetric/X25519/rfc7748.txt")
    out.append("asymmetric/X448/rfc7748.txt")
    # DSA: NIST CAVP FIPS 186-3 key pairs, signature generation (the .txt copy, which adds the
    # private key X and nonce K to each .rsp case) and signature verification. Not PQGGen/PQGVer:
    # the library does not generate parameters from a seed.
    for name in ["KeyPair.rsp", "SigGen.txt", "SigVer.rsp"]:
        out.append(f"asymmetric/DSA/FIPS_186-3/{name}")
    # Finite-field DH: every numbers file of the wheel's DH folder (the PEM/DER key files wait
    # for the serialization issue).
    for name in ["RFC5114.txt", "bad_exchange.txt", "dhkey.txt", "dhkey_rfc5114_2.txt",
                 "rfc3526.txt", "vec.txt", "KASValidityTest_FFCStatic_NOKC_ZZOnly_init.fax",
                 "KASValidityTest_FFCStatic_NOKC_ZZOnly_resp.fax"]:
        out.append(f"asymmetric/DH/{name}")
    # RSA: FIPS 186-2/186-3 SigGen and SigVer (PKCS #1 v1.5 and PSS; the SigGen .txt files of
    # 186-2 carry d and the salt), the PKCS #1 v2.1 OAEP and PSS examples, and pyca's OAEP
    # vectors with SHA-2 label and MGF1 hashes.
    for name in ["SigGen15_186-2.txt", "SigGen15_186-3.rsp", "SigGenPSS_186-2.txt",
                 "SigGenPSS_186-3.rsp", "SigVer15_186-3.rsp", "SigVerPSS_186-3.rsp"]:
        out.append(f"asymmetric/RSA/FIPS_186-2/{name}")
    for name in ["oaep-vect.txt", "pss-vect.txt"]:
        out.append(f"asymmetric/RSA/pkcs-1v2-1d2-vec/{name}")
    whole_dirs.append("asymmetric/RSA/oaep-custom")
    # Key files: every PEM, DER and OpenSSH key file (KEY_FILE_RE) anywhere under these folders
    # (for the serialization tests; what pyca makes of each is recorded in
    # asymmetric/key-files.json), plus the two files that say how pyca made some of them
    # (KEY_DOCS). The NIST/RFC text vector files beside them are selected above where needed.
    # The RSA folder holds no key files in 50.0.2 (its keys are in the text vector files).
    return out, whole_dirs, KEY_DIRS


# Folders whose key files are all selected, and the rule that names a key file.
KEY_DIRS = [f"asymmetric/{d}" for d in [
    "PKCS8", "PEM_Serialization", "DER_Serialization", "Traditional_OpenSSL_Serialization",
    "OpenSSH", "public", "EC", "RSA", "DSA", "DH", "Ed25519", "Ed448", "X25519", "X448"]]
KEY_FILE_RE = re.compile(r".*\.(pem|der|key|pub)$")
# Not keys, selected for provenance: the PEM_Serialization README (how the OpenSSL keys were
# made, and their password) and the script that made the OpenSSH keys with ssh-keygen.
KEY_DOCS = ["asymmetric/PEM_Serialization/README.txt", "asymmetric/OpenSSH/gen.sh"]


# Files made by this project, not copied from the wheel: path -> how.
PROJECT_MADE = {
    "fernet/make_python_tokens.py":
        "the script that makes `fernet/python-cryptography-48.json`",
    "fernet/python-cryptography-48.json":
        "Fernet tokens made by the Python `cryptography` 48 package with fixed inputs, by "
        "`fernet/make_python_tokens.py` (read by crates/pluggable-crypto/tests/fernet.rs)",
    "stream/make_stream_vectors.py":
        "the script that makes `stream/stream-v1.json`: an independent implementation of the "
        "chunked streaming AEAD format on the Python `cryptography` package",
    "stream/stream-v1.json":
        "known answers for the chunked streaming AEAD format v1, by "
        "`stream/make_stream_vectors.py` (read by crates/pluggable-crypto/tests/aead_stream.rs)",
    "asymmetric/EdDSA/make_edge_cases.py":
        "the script that makes `asymmetric/EdDSA/edge-cases.json`: crafted Ed25519/Ed448 "
        "signatures at the edges of RFC 8032 verification (after \"Taming the many EdDSAs\"), "
        "with an independent plain-Python RFC 8032 implementation of the library's rule",
    "asymmetric/EdDSA/edge-cases.json":
        "crafted EdDSA edge cases with their verdicts, by `asymmetric/EdDSA/make_edge_cases.py` "
        "(read by crates/pluggable-crypto/tests/eddsa_rules.rs)",
    "asymmetric/make_key_manifest.py":
        "the script that makes `asymmetric/key-files.json`: gives every committed key file to "
        "each PEM/DER/OpenSSH loader of the Python `cryptography` package, an independent "
        "implementation, with the passwords pyca's own tests use",
    "asymmetric/key-files.json":
        "what the Python `cryptography` 50.0.2 package's loaders make of each key file (the "
        "key's type and numbers, or the exception), by `asymmetric/make_key_manifest.py`",
}

# Extensions of files the line rule does not count (listed in COUNTS with `-`).
# Files in a format of their own, read by their family's tests (listed in COUNTS with `-`):
# OpenSSL's evp test format, with PEM keys.
# And the key folders' two provenance files (KEY_DOCS).
UNCOUNTED_PATHS = ("asymmetric/ECDSA/RFC6979/",) + tuple(KEY_DOCS)
# Extensions of files the line rule does not count (listed in COUNTS with `-`): JSON, scripts,
# the colon-separated `sign.input` (read by tests/eddsa_vectors.rs), and key files (PEM, DER,
# OpenSSH; KEY_FILE_RE), one key (or parameter set, or certificate) per file.
UNCOUNTED_EXTENSIONS = (".json", ".py", ".input", ".pem", ".der", ".key", ".pub")


def expand_selection(names):
    """Expand whole directories against the wheel's member list."""
    files, whole_dirs, key_dirs = selection()
    chosen = set(files)
    for d in whole_dirs:
        prefix = d + "/"
        matched = [n for n in names if n.startswith(prefix) and not n.endswith("/")]
        if not matched:
            sys.exit(f"no files under {d} in the wheel")
        chosen.update(matched)
    for d in key_dirs:
        prefix = d + "/"
        if not any(n.startswith(prefix) for n in names):
            sys.exit(f"no files under {d} in the wheel")
        chosen.update(n for n in names if n.startswith(prefix) and KEY_FILE_RE.match(n))
    chosen.update(KEY_DOCS)
    missing = sorted(f for f in chosen if f not in names)
    if missing:
        sys.exit("missing from the wheel: " + ", ".join(missing))
    bad = sorted(f for f in chosen if re.search(r"MCT|Monte", f))
    if bad:
        sys.exit("Monte Carlo files selected: " + ", ".join(bad))
    return sorted(chosen)


# Upstream origin of each group of files, by path regex (first match wins).
GROUPS = [
    ("ciphers/AES/CTR/", "AES CTR", "RFC 3686 section 6, reformatted by pyca into NIST form"),
    ("ciphers/AES/GCM/", "AES GCM",
     "NIST CAVP GCMVS (gcmtestvectors.zip, CAVS 14.0): gcmDecrypt*/gcmEncryptExtIV*"),
    ("ciphers/AES/CCM/", "AES CCM",
     "NIST CAVP CCMVS (ccmtestvectors.zip, CAVS 11.0): decryption-verification (DVPT) and "
     "variable associated data, nonce, payload and tag length (VADT, VNT, VPT, VTT) tests"),
    ("ciphers/AES/GCM-SIV/aes-192", "AES GCM-SIV (192-bit keys)",
     "generated by pyca/cryptography from the OpenSSL vectors with 192-bit keys "
     "(generated with OpenSSL, verified with Rust; pyca's \"AES-GCM-SIV vector creation\" page)"),
    ("ciphers/AES/GCM-SIV/", "AES GCM-SIV",
     "OpenSSL's AES-GCM-SIV test data (the RFC 8452 appendix C examples), reformatted by pyca"),
    ("ciphers/AES/OCB3/rfc7253", "AES OCB3 (RFC 7253)", "RFC 7253 appendix A"),
    ("ciphers/AES/OCB3/openssl", "AES OCB3 (OpenSSL)",
     "OpenSSL's evpciph.txt OCB cases (commit 2f19ab18), reformatted by pyca"),
    ("ciphers/AES/OCB3/", "AES OCB3 (long nonces)",
     "the RFC 7253 appendix A inputs with 104/112/120-bit nonces (dkg/ocb-test-vectors), reformatted by pyca"),
    ("ciphers/AES/SIV/", "AES SIV",
     "OpenSSL's AES-SIV test data (cases 0 and 1 are RFC 5297 appendix A.1 and A.2), reformatted by pyca"),
    ("ciphers/ChaCha20Poly1305/boringssl", "ChaCha20-Poly1305 (BoringSSL)",
     "BoringSSL's ChaCha20-Poly1305 test data (the RFC 7539 section 2.8 example, padding and "
     "nonce edge cases, random lengths), reformatted by pyca; some inputs are quoted ASCII strings"),
    ("ciphers/ChaCha20Poly1305/", "ChaCha20-Poly1305 (OpenSSL)",
     "OpenSSL's test/evpciph.txt (RFC 7539 appendix A.5 and a corrupted-tag case), reformatted by pyca"),
    ("ciphers/AES/XTS/", "AES XTS",
     "NIST CAVP XTSVS (XTSTestVectors.zip, CAVS 11.0), tweak given as a 128-bit hex string"),
    ("ciphers/AES/", "AES ECB/CBC/OFB/CFB8/CFB128",
     "NIST CAVP AESAVS known-answer (KAT_AES.zip) and multi-block message (aesmmt.zip) tests, CAVS 11.1"),
    ("ciphers/3DES/", "3DES (TDEA)",
     "NIST CAVP TDESVS known-answer (KAT_TDES.zip) and multi-block message (tdesmmt.zip) tests, CAVS 11.1"),
    (r"ciphers/Camellia/camellia-\d+-ecb", "Camellia ECB",
     "NTT Camellia reference vectors (t_camellia.txt) as linked by CRYPTREC; original NTT format"),
    ("ciphers/Camellia/", "Camellia CBC/CFB128/OFB",
     "OpenSSL's test vectors (evptests), reformatted by pyca into NIST form"),
    ("ciphers/Blowfish/", "Blowfish",
     "Bruce Schneier's (Eric Young's) Blowfish vectors (vectors-2.txt), reformatted by pyca"),
    ("ciphers/CAST5/cast5-ecb", "CAST5 ECB", "RFC 2144 appendix B.1"),
    ("ciphers/CAST5/", "CAST5 CBC/CFB/OFB/CTR",
     "generated by pyca/cryptography (derived from AESVS MMT / RFC 3686 inputs, "
     "verified against CommonCrypto and Go)"),
    ("ciphers/ARC4/arc4.txt", "ARC4 160-bit key",
     "generated by pyca/cryptography with RFC 6229 key material and offsets (OpenSSL, verified with Go)"),
    ("ciphers/ARC4/", "ARC4", "RFC 6229, reformatted by pyca into NIST form"),
    ("ciphers/IDEA/idea-ecb", "IDEA ECB", "NESSIE Idea-128-64.verified.test-vectors, reformatted by pyca"),
    ("ciphers/IDEA/", "IDEA CBC/CFB/OFB",
     "generated by pyca/cryptography (derived from AESVS MMT inputs, verified against Botan)"),
    ("ciphers/SEED/rfc-4269", "SEED ECB", "RFC 4269 test vectors"),
    ("ciphers/SEED/rfc-4196", "SEED CBC", "RFC 4196 (the file's header comment says RFC 6229 by mistake)"),
    ("ciphers/SEED/", "SEED CFB/OFB",
     "generated by pyca/cryptography (derived from AESVS MMT inputs, verified against Botan)"),
    ("ciphers/SM4/rfc8998", "SM4 GCM", "RFC 8998 appendix A, the SM4-GCM example (one case; GCM, not a plain mode)"),
    ("ciphers/SM4/", "SM4 ECB/CBC/OFB/CFB/CTR",
     "draft-ribose-cfrg-sm4-10 appendix A (ECB examples originally GB/T 32907-2016)"),
    ("ciphers/ChaCha20/", "ChaCha20", "RFC 7539 appendix A.2, reformatted by pyca into NIST form"),
    ("hashes/SHA1/", "SHA-1", "NIST CAVP SHAVS byte-oriented vectors (shabytetestvectors.zip, CAVS 11.0)"),
    ("hashes/SHA2/", "SHA-2", "NIST CAVP SHAVS byte-oriented vectors (shabytetestvectors.zip, CAVS 11.0)"),
    ("hashes/SHA3/", "SHA-3", "NIST CAVP SHA3VS byte-oriented vectors (sha-3bytetestvectors.zip, CAVS 19.0)"),
    ("hashes/SHAKE/", "SHAKE", "NIST CAVP SHA3VS byte-oriented vectors (shakebytetestvectors.zip, CAVS 19.0)"),
    ("hashes/blake2/", "BLAKE2",
     "shipped by pyca/cryptography (BLAKE2b-512 / BLAKE2s-256 of the classic MD5 test messages); "
     "the files carry no source comment"),
    ("hashes/MD5/", "MD5", "RFC 1321 appendix A.5"),
    ("hashes/ripemd160/", "RIPEMD-160", "RIPEMD-160 home page (Bosselaers), reformatted by pyca"),
    ("hashes/SM3/", "SM3",
     "OSCCA SM3 specification examples (via Linux crypto/testmgr.h and adamws/oscca-sm3), reformatted by pyca"),
    ("CMAC/nist-800-38b-3des", "CMAC-TDEA", "NIST SP 800-38B examples (three-key and two-key TDEA)"),
    ("CMAC/", "CMAC-AES", "NIST SP 800-38B examples for AES-128/192/256 (the AES-128 ones are also RFC 4493's)"),
    ("poly1305/", "Poly1305", "RFC 7539 appendix A.3 (its eleven Poly1305 test vectors), reformatted by pyca into NIST form"),
    ("keywrap/kwp_botan", "AES KWP (Botan)",
     "RFC 5649 section 6 examples, then cases generated with OpenSSL (per the file's comments), "
     "from Botan's test data"),
    (r"keywrap/kwtestvectors/KWP?_A[ED]_\d+_inv", "AES KW/KWP, inverse cipher",
     "NIST CAVP KWVS (kwtestvectors.zip, CAVS 17.4 / 21.4): SP 800-38F KW and KWP with the "
     "AES inverse cipher as the forward function (a variant the library does not offer: the "
     "harness reads every case and reports it skipped)"),
    ("keywrap/kwtestvectors/", "AES KW/KWP",
     "NIST CAVP KWVS (kwtestvectors.zip, CAVS 17.4 / 21.4): SP 800-38F KW-AE/KW-AD and KWP-AE/KWP-AD "
     "with the AES forward cipher; TKW (triple-DES key wrap) files are not included, the library "
     "has no TDEA key wrap"),
    ("fernet/", "Fernet", "the Fernet specification's test vectors (fernet/spec on GitHub), as shipped by pyca"),
    ("twofactor/rfc-4226", "HOTP", "RFC 4226 appendix D"),
    ("twofactor/rfc-6238", "TOTP", "RFC 6238 appendix B"),
    ("KDF/rfc-5869", "HKDF (RFC 5869)",
     "RFC 5869 appendix A (test cases 1-3 with SHA-256, 4-7 with SHA-1), with the PRK of each"),
    ("KDF/hkdf-generated", "HKDF (1200 bytes)",
     "a 1200-byte HKDF-SHA256 output built by pyca/cryptography (created with OpenSSL, "
     "verified against a Go implementation, per the file's comments)"),
    ("KDF/rfc-6070", "PBKDF2-HMAC-SHA1",
     "RFC 6070 section 2 (`\\0` in a value is a NUL byte, as pyca's loader reads it)"),
    ("KDF/scrypt", "scrypt",
     "RFC 7914 section 12 (the file carries no source comment; its four cases are the RFC's)"),
    ("KDF/argon2", "Argon2d/Argon2i/Argon2id",
     "RFC 9106 section 5 examples via OpenSSL's evpkdf_argon2.txt (commit 01f4b44e), and cases "
     "made with the argon2 reference CLI (the command is in a comment above each), per the files' comments"),
    ("KDF/ansx963", "ANSI X9.63 KDF",
     "NIST CAVP SP 800-135 component test vectors, ANS X9.63-2001 KDF with SHA-1/224/256/384/512 "
     "(CAVS 12.0), with the per-block counter, hash input and hash output as indented lines"),
    ("KDF/nist-800-108", "KBKDF counter mode",
     "NIST CAVP SP 800-108 KBKDF test vectors (CAVS 14.4), the counter-mode file: CMAC-AES128/192/256, "
     "CMAC-TDES2/TDES3 and HMAC-SHA1/224/256/384/512 PRFs, counter before, after and in the middle of "
     "the fixed input, 8- to 32-bit counters; each iteration's counter and PRF input as indented lines"),
    # Key files (pyca/cryptography's own, per its "Test vectors" page and the folders' README
    # and gen.sh); the extension patterns keep the text vector files beside them in their rows.
    ("asymmetric/PKCS8/", "keys: PKCS #8",
     "pyca/cryptography's PKCS #8 key files, plain and encrypted (PBES2 with PBKDF2 or scrypt, "
     "PBES1 MD5/DES, the PKCS #12 PBE schemes; 3DES, AES, DES, RC2, RC4), and malformed ones "
     "(bad version, unknown OIDs, ciphers, KDFs and PRFs, inconsistent curves, wrong PEM "
     "delimiter): from GnuTLS (pkcs8-decode, pkcs12_s2k_pem.c), Botan's ECC keys, Mbed TLS, "
     "RustCrypto (scrypt), or made or crafted by pyca with OpenSSL; passwords in pyca's "
     "test-vectors page"),
    ("asymmetric/PEM_Serialization/", "keys: PEM",
     "made by pyca with OpenSSL, as the folder's README.txt says: secp256r1, RSA-2048 and DSA-2048 "
     "key pairs and DSA parameters (the encrypted private keys under password `123456`), "
     "copies with a wrong `RSA PUBLIC KEY` delimiter, a DSA-4096 key; `rsa-bad-1025-q-is-2.pem` "
     "from badkeys"),
    ("asymmetric/DER_Serialization/", "keys: DER",
     "pyca's DER conversions of the PEM keys (GnuTLS's DSA example keys and PKCS #8 RSA keys, "
     "the OpenSSL-made EC, RSA and DSA keys), and crafted DSA public keys without parameters or "
     "with a bad bit-string padding"),
    ("asymmetric/Traditional_OpenSSL_Serialization/", "keys: traditional OpenSSL PEM",
     "`RSA PRIVATE KEY` / `DSA PRIVATE KEY` PEM files: GnuTLS's DSA example keys, a 2048-bit "
     "RSA key plain and PEM-encrypted (DES-EDE3-CBC, AES-128-CBC), and copies crafted by pyca "
     "with a bad version or a missing or malformed DEK-Info header or IV"),
    ("asymmetric/OpenSSH/certs/", "keys: OpenSSH certificates",
     "OpenSSH certificates crafted by pyca: P-256, Ed25519 and DSA keys signed by P-256/P-384/"
     "P-521, RSA (SHA-1/256/512) and DSA CAs, and malformed ones (duplicate or unordered "
     "extensions and critical options, multi-value options, wrong signature key type, empty "
     "principals, invalid certificate type)"),
    ("asymmetric/OpenSSH/", "keys: OpenSSH",
     "made by pyca's `gen.sh` with OpenSSH 7.6p1's ssh-keygen: RSA, DSA, ECDSA, Ed25519 and "
     "security-key (sk-) private keys, each plain and under password `password`, their public "
     "keys and four certificates; `ed25519-aesgcm-psw.key` exported from 1Password 8 "
     "(aes256-gcm@openssh.com)"),
    ("asymmetric/public/", "keys: PKCS #1 public",
     "`dsa.pub.pem` from Ruby's OpenSSL tests; `rsa.pub.pem`/`.der` are pyca's PKCS #1 "
     "conversions of the public key of `PKCS8/unenc-rsa-pkcs8.pem`"),
    (r"asymmetric/EC/.*\.(pem|der)$", "keys: EC",
     "EC key files made by pyca: explicit-parameter keys (secp256k1, secp256r1/384r1/521r1 with "
     "and without seed, wap-wsg-idm-ecid-wtls11), a secp128r1 key, binary-curve SPKIs "
     "(sect163k1/163r2/233k1/233r1), and malformed ones (missing curve, private value with the "
     "high bit set or truncated, non-zero unused bits)"),
    ("asymmetric/DSA/custom/", "keys: DSA",
     "a DSA key whose \"field\" is a ring with a nilpotent generator, from BoringSSL's "
     "NilpotentGenerator test"),
    (r"asymmetric/DH/.*\.(pem|der)$", "keys: DH",
     "DH parameters and keys made by pyca with OpenSSL (PKCS #3, and X9.42 with the RFC 5114 "
     "2048/224 group; PEM and DER, numbers in `dhkey*.txt`), a 256-bit PKCS #8 key, parameters "
     "with privateValueLength, a public key from an older pyca/cryptography"),
    (r"asymmetric/Ed25519/.*\.(pem|der)$", "keys: Ed25519",
     "made by pyca: a PKCS #8 private key (plain, and AES-256-CBC under password `password`) "
     "and its SPKI, PEM and DER, and an SPKI with non-zero unused bits"),
    (r"asymmetric/Ed448/.*\.(pem|der)$", "keys: Ed448",
     "made by pyca: a PKCS #8 private key (plain, and AES-256-CBC under password `password`) "
     "and its SPKI, PEM and DER"),
    (r"asymmetric/X25519/.*\.(pem|der)$", "keys: X25519",
     "made by pyca: a PKCS #8 private key (plain, and AES-256-CBC under password `password`) "
     "and its SPKI, PEM and DER"),
    (r"asymmetric/X448/.*\.(pem|der)$", "keys: X448",
     "made by pyca: a PKCS #8 private key (plain, and AES-256-CBC under password `password`) "
     "and its SPKI, PEM and DER"),
    ("asymmetric/ECDSA/FIPS_186-3/", "ECDSA (FIPS 186-3)",
     "NIST CAVP ECDSA2VS (186-3ecdsatestvectors.zip, CAVS 11.0/11.2): KeyPair, PKV, SigGen and "
     "SigVer response files (prime and binary curves; the library has the prime ones)"),
    ("asymmetric/ECDSA/RFC6979/", "ECDSA (RFC 6979)",
     "OpenSSL's test/recipes/30-test_evp_data/evppkey_ecdsa_rfc6979.txt: the RFC 6979 appendix "
     "A.2 deterministic ECDSA examples in OpenSSL's evp test format (PEM keys)"),
    ("asymmetric/ECDH/KASValidityTest", "ECDH (KAS ECC CDH)",
     "NIST CAVP KASVS (kastestvectors.zip, CAVS 11.0): ECC dhStaticUnified, no key confirmation, "
     "ZZ only (the CDH primitive), initiator and responder validity tests on P-192..P-521"),
    ("asymmetric/ECDH/brainpool", "ECDH (brainpool)",
     "RFC 7027 appendix A (brainpoolP256r1/P384r1/P512r1), reformatted by pyca into NIST form"),
    ("asymmetric/Ed25519/sign.input", "Ed25519",
     "the SUPERCOP/ed25519 reference sign.input (1024 lines: secret||public, public, message, "
     "signature||message); its first three lines are RFC 8032 section 7.1 tests 1-3"),
    ("asymmetric/Ed448/", "Ed448", "RFC 8032 section 7.4 (Ed448, Ed448 with a context), converted to NIST style by pyca"),
    ("asymmetric/X25519/", "X25519", "RFC 7748 section 5.2 (the two test vectors and one iteration)"),
    ("asymmetric/X448/", "X448", "RFC 7748 section 5.2 (the two test vectors and one iteration)"),
    ("asymmetric/DSA/FIPS_186-3/", "DSA (FIPS 186-3)",
     "NIST CAVP DSA2VS (186-3dsatestvectors.zip, CAVS 11.0-11.2): KeyPair, SigGen (with X and K) "
     "and SigVer for L/N = 1024/160, 2048/224, 2048/256 and 3072/256 with SHA-1 to SHA-512"),
    ("asymmetric/DH/KASValidityTest", "DH (KAS FFC)",
     "NIST CAVP KASVS (KASTestVectorsFFC2011, CAVS 11.0): FFC dhStatic validity tests, initiator "
     "and responder, parameter sets FA/FB/FC"),
    ("asymmetric/DH/RFC5114", "DH (RFC 5114)", "RFC 5114 appendix A.1-A.3 test data (groups, key pairs and Z)"),
    ("asymmetric/DH/rfc3526", "DH (RFC 3526)", "the RFC 3526 MODP groups 5 and 14-18"),
    ("asymmetric/DH/vec", "DH (Botan)",
     "Botan's src/tests/data/pubkey/dh.vec, converted by pyca to NIST form (per the file's comment)"),
    ("asymmetric/DH/", "DH (pyca)",
     "made by pyca/cryptography: key numbers (dhkey*.txt, with an RFC 5114 group) and pairs of keys "
     "under different parameters (bad_exchange.txt)"),
    ("asymmetric/RSA/FIPS_186-2/SigGen", "RSA SigGen",
     "NIST CAVP FIPS 186-2/186-3 RSA signature generation (186-2: CAVS 11.4 with d and the "
     "salt added for testing; 186-3: CAVS 10.1), PKCS #1 v1.5 and RSASSA-PSS"),
    ("asymmetric/RSA/FIPS_186-2/SigVer", "RSA SigVer",
     "NIST CAVP FIPS 186-3 RSA signature verification (CAVS 11.0), PKCS #1 v1.5 and RSASSA-PSS"),
    ("asymmetric/RSA/pkcs-1v2-1d2-vec/", "RSA PKCS #1 v2.1 examples",
     "RSA Laboratories' PKCS #1 v2.1 test vectors (pkcs-1v2-1d2-vec.zip): RSAES-OAEP and "
     "RSASSA-PSS with SHA-1, ten keys of 1024 to 2048 bits"),
    ("asymmetric/RSA/oaep-custom/", "RSA OAEP with SHA-2",
     "built by pyca/cryptography from the NIST OAEP SHA-1 keys, with SHA-1/SHA-2 OAEP and MGF1 "
     "hashes, verified against Bouncy Castle (per the files' comments)"),
    ("HMAC/rfc-2202", "HMAC-MD5 / HMAC-SHA1", "RFC 2202"),
    ("HMAC/rfc-2286", "HMAC-RIPEMD160", "RFC 2286"),
    ("HMAC/rfc-4231", "HMAC-SHA2", "RFC 4231 (truncation test case 5 not included)"),
]


def group_of(path):
    if path in PROJECT_MADE:
        return f"made by this project: `{path}`", PROJECT_MADE[path]
    for pattern, name, origin in GROUPS:
        if re.match(pattern, path):
            return name, origin
    sys.exit(f"no group for {path}")


def vector_files():
    """Every committed vector file, relative to vectors/, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(HERE):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), HERE).replace(os.sep, "/")
            if "/" in rel:  # top-level files (SOURCES.md, COUNTS, this script) are not vectors
                out.append(rel)
    return sorted(out)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# Independent case counting rule, kept deliberately trivial:
#  * a NIST-style file with `COUNT =` / `Count =` lines has one case per such line;
#  * otherwise a hash/HMAC file has one case per `Len =` line;
#  * otherwise an NTT/CRYPTREC file has one case per `C No.nnn :` line;
#  * otherwise (the DSA FIPS 186-3 files) one case per paragraph: a run of lines that are not
#    blank, `#` comments or `[...]` headers (the P/Q/G paragraphs count as cases too).
# Comment lines (`#`) never count, so commented-out vectors are not cases.
COUNT_RE = re.compile(r"^count\s*=", re.IGNORECASE)
LEN_RE = re.compile(r"^Len\s*=")
CRYPTREC_C_RE = re.compile(r"^C No\.\d+ :")
# RSA: one FIPS signature case per `SHAAlg =` line; one PKCS #1 v2.1 / pyca OAEP example per
# `# OAEP Example` or `# PSS Example` comment line (those files hold their values in comments).
SHAALG_RE = re.compile(r"^SHAAlg\s*=")
PKCS1_EXAMPLE_RE = re.compile(r"^# (OAEP|PSS) Example")
PKCS1_FORMAT = ("asymmetric/RSA/pkcs-1v2-1d2-vec/", "asymmetric/RSA/oaep-custom/")


def count_cases(path):
    """The number of cases, or "-" for a file in a format the line rule does not count."""
    if path.endswith(UNCOUNTED_EXTENSIONS):
        return "-"
    if os.path.relpath(path, HERE).replace(os.sep, "/").startswith(UNCOUNTED_PATHS):
        return "-"
    with open(path, "rb") as f:
        lines = [l.strip() for l in f.read().decode("ascii").splitlines()]
    rel = os.path.relpath(path, HERE).replace(os.sep, "/")
    if rel.startswith(PKCS1_FORMAT):
        return sum(1 for l in lines if PKCS1_EXAMPLE_RE.match(l))
    lines = [l for l in lines if not l.startswith("#")]
    for rule in (COUNT_RE, LEN_RE, CRYPTREC_C_RE, SHAALG_RE):
        n = sum(1 for l in lines if rule.match(l))
        if n:
            return n
    # Otherwise (the FIPS 186 ECDSA files): one case per paragraph of `NAME = VALUE` lines, a
    # paragraph ending at a blank line or a `[...]` header.
    n, open_paragraph = 0, False
    for l in lines:
        if not l or l.startswith("["):
            open_paragraph = False
        elif "=" in l and not open_paragraph:
            n, open_paragraph = n + 1, True
    if n:
        return n
    sys.exit(f"{path}: no case-starting lines found")


def write_counts(files):
    lines = [
        "# Number of test cases in each committed vector file.",
        "# Generated by make_sources.py from a simple independent line rule",
        "# (COUNT=/Count= lines, else Len= lines, else `C No.` lines, else paragraphs of",
        "# `NAME = VALUE` lines; `#` lines ignored),",
        "# NOT by the Rust parser. Format: <path relative to vectors/> <cases>; `-` instead",
        "# of a count for JSON files, scripts, OpenSSL evp-format files and key files (PEM,",
        "# DER, OpenSSH, with the key folders' README and gen.sh), which the parser does",
        "# not read (the JSON and evp files are read by their own tests; SOURCES.md says",
        "# what each file is).",
    ]
    for rel in files:
        lines.append(f"{rel} {count_cases(os.path.join(HERE, rel))}")
    with open(os.path.join(HERE, "COUNTS"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def write_sources(files, wheel_name, wheel_sha):
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in files)
    out = []
    out.append("# Test vector sources\n")
    out.append("Every file in the subfolders of `vectors/` (that is, all but `SOURCES.md`, `COUNTS`,")
    out.append("`make_sources.py` and `.gitattributes`), except the few made by this project (group")
    out.append("\"made by this project\" below, each with the script that makes it), is copied byte")
    out.append("for byte from the PyPI package")
    out.append(f"**{PACKAGE}** (pyca/cryptography's vector package), wheel")
    out.append(f"`{wheel_name}`,")
    out.append(f"sha256 `{wheel_sha}`.")
    out.append("Paths are kept relative to the package's `cryptography_vectors/` folder.")
    out.append("No file was edited; several NIST files have CRLF line endings, which")
    out.append("`.gitattributes` (`-text`) keeps as they are. Not included: Monte Carlo (`*MCT*`,")
    out.append("`*Monte*`) files; the CCM `DVPT*.txt` copies of the `DVPT*.rsp` cases and the NIST")
    out.append("`Readme.txt` files; and the TDEA key-wrap files `keywrap/kwtestvectors/TKW_*`, since")
    out.append("the library implements AES key wrap only. The `KW*_inv` key-wrap files (AES inverse")
    out.append("cipher as the forward function, an SP 800-38F option the library does not offer) are")
    out.append("included so that the harness reads every case, and reported as skipped.\n")
    keys = [f for f in files if f not in PROJECT_MADE
            and any(f.startswith(d + "/") for d in KEY_DIRS) and KEY_FILE_RE.match(f)]
    folders = ", ".join(f"`{d.split('/', 1)[1]}`" for d in KEY_DIRS)
    out += textwrap.wrap(
        f"Key files ({len(keys)}; the groups \"keys: ...\"): every PEM, DER and OpenSSH key file "
        f"(private and public keys, parameters, OpenSSH certificates) in the package's "
        f"`asymmetric/` folders {folders}: pyca/cryptography's own serialization test files, "
        f"many of them deliberately malformed; with them `PEM_Serialization/README.txt` and "
        f"`OpenSSH/gen.sh`, which say how pyca made some of them. `asymmetric/key-files.json` "
        f"(made by this project) records what pyca/cryptography's loaders make of each. The "
        f"`RSA` folder has no key files; `EC/compressed_points.txt` is not included. COUNTS "
        f"lists the key files with `-`.", width=88, break_on_hyphens=False)
    out[-1] += "\n"
    out.append("Regenerate with `python3 vectors/make_sources.py import WHEEL` then")
    out.append("`python3 vectors/make_sources.py generate WHEEL`; verify with")
    out.append("`python3 vectors/make_sources.py --check` (re-hashes every file and")
    out.append("re-counts cases against `COUNTS`).\n")
    out.append(f"{len(files)} files, {total} bytes.\n")
    out.append("## Upstream origin of each group\n")
    out.append("| group | files | upstream source |")
    out.append("| --- | ---: | --- |")
    seen = {}
    for rel in files:
        name, origin = group_of(rel)
        seen.setdefault((name, origin), 0)
        seen[(name, origin)] += 1
    for (name, origin), n in seen.items():
        out.append(f"| {name} | {n} | {origin} |")
    out.append("")
    out.append("## Files\n")
    out.append("| file | bytes | cases | sha256 |")
    out.append("| --- | ---: | ---: | --- |")
    for rel in files:
        p = os.path.join(HERE, rel)
        out.append(f"| `{rel}` | {os.path.getsize(p)} | {count_cases(p)} | `{sha256_file(p)}` |")
    with open(os.path.join(HERE, "SOURCES.md"), "w", newline="\n") as f:
        f.write("\n".join(out) + "\n")


ROW_RE = re.compile(r"^\| `([^`]+)` \| (\d+) \| (\d+|-) \| `([0-9a-f]{64})` \|$")


def check():
    errors = []
    table = {}
    with open(os.path.join(HERE, "SOURCES.md"), encoding="utf-8") as f:
        for line in f:
            m = ROW_RE.match(line.rstrip("\n"))
            if m:
                cases = m.group(3) if m.group(3) == "-" else int(m.group(3))
                table[m.group(1)] = (int(m.group(2)), cases, m.group(4))
    counts = {}
    with open(os.path.join(HERE, "COUNTS"), encoding="ascii") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                rel, n = line.split()
                counts[rel] = n if n == "-" else int(n)
    files = vector_files()
    for rel in files:
        if rel not in table:
            errors.append(f"{rel}: present but not listed in SOURCES.md")
            continue
        size, cases, digest = table[rel]
        p = os.path.join(HERE, rel)
        if sha256_file(p) != digest:
            errors.append(f"{rel}: sha256 mismatch")
        if os.path.getsize(p) != size:
            errors.append(f"{rel}: size mismatch")
        n = count_cases(p)
        if n != cases:
            errors.append(f"{rel}: {n} cases, SOURCES.md says {cases}")
        if counts.get(rel) != n:
            errors.append(f"{rel}: {n} cases, COUNTS says {counts.get(rel)}")
    for rel in sorted(set(table) - set(files)):
        errors.append(f"{rel}: listed in SOURCES.md but missing")
    for rel in sorted(set(counts) - set(files)):
        errors.append(f"{rel}: listed in COUNTS but missing")
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print(f"ok: {len(files)} files verified")


def import_wheel(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = {n[len(PKG_PREFIX):]: n for n in z.namelist() if n.startswith(PKG_PREFIX)}
        chosen = expand_selection(set(names))
        for rel in chosen:
            dest = os.path.join(HERE, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(names[rel]) as src, open(dest, "wb") as dst:
                dst.write(src.read())
    clash = sorted(set(chosen) & set(PROJECT_MADE))
    if clash:
        sys.exit("selected from the wheel but marked as made by this project: " + ", ".join(clash))
    print(f"imported {len(chosen)} files")


def check_against_wheel(files, wheel):
    """Every file not made by this project must be its wheel member, byte for byte; every
    project-made file must be present."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for rel in files:
            if rel in PROJECT_MADE:
                continue
            member = PKG_PREFIX + rel
            if member not in names:
                sys.exit(f"{rel}: not in the wheel and not listed in PROJECT_MADE")
            with open(os.path.join(HERE, rel), "rb") as f:
                if f.read() != z.read(member):
                    sys.exit(f"{rel}: differs from the wheel's copy")
    missing = sorted(set(PROJECT_MADE) - set(files))
    if missing:
        sys.exit("project-made files missing: " + ", ".join(missing))


def main(argv):
    if argv == ["--check"]:
        check()
    elif len(argv) == 2 and argv[0] == "import":
        import_wheel(argv[1])
    elif len(argv) == 2 and argv[0] == "generate":
        files = vector_files()
        check_against_wheel(files, argv[1])
        write_counts(files)
        write_sources(files, os.path.basename(argv[1]), sha256_file(argv[1]))
        print(f"wrote COUNTS and SOURCES.md for {len(files)} files")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
