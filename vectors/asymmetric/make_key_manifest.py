#!/usr/bin/env python3
"""Writes key-files.json: what the Python `cryptography` package (pyca/cryptography, an
implementation independent of this library) makes of each committed key file.

Usage: python3 vectors/asymmetric/make_key_manifest.py

The files are every committed file under the key folders that make_sources.py selects key
files from (make_sources.KEY_DIRS); a file is a key file when make_sources.KEY_FILE_RE names it
(PEM, DER, OpenSSH private, public and certificate files). Every other file under those folders
(the README, the script that made the OpenSSH keys, and the NIST/RFC text vector files) is
listed under "skipped" with the reason.

Each key file is given to every loader that applies to its encoding:
  text (PEM, OpenSSH): load_pem_private_key, load_pem_public_key, load_pem_parameters,
                       load_ssh_private_key, load_ssh_public_key;
  binary (DER):        load_der_private_key, load_der_public_key, load_der_parameters.
A private-key loader is called with password None first, then (if that fails) with each of
PASSWORDS in turn until one succeeds; recorded are the None attempt and the password that
succeeded, or, if none succeeds, every attempt in order. RSA keys are loaded with the default unsafe_skip_rsa_key_validation=False.

An attempt is {"loader", "password" (string or null), "ok"} plus either "key" (the loaded
object: "type" and its numbers as lowercase hex without 0x, raw Ed/X keys as hex) or "error"
(the exception's class name) and "message" (str of it); "warnings" lists any warnings raised,
as "Category: message". Output is stable: the same package versions give the same bytes.
"""

import json
import os
import sys
import warnings

import cryptography
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import (dh, dsa, ec, ed448, ed25519, rsa,
                                                       x448, x25519)

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.dirname(HERE)
OUT = os.path.join(HERE, "key-files.json")

sys.dont_write_bytecode = True  # keep vectors/ free of __pycache__
sys.path.insert(0, VECTORS)
import make_sources  # noqa: E402  (KEY_DIRS, KEY_FILE_RE: the same selection as the copy)

# The passwords pyca's own test-suite (cryptography 50.0.2 sdist, tests/hazmat/primitives/)
# gives these files and expects to succeed, in the order they are tried:
#   password       test_serialization.py (enc-rsa-3des, rsa-pbe-3des-long-salt, enc-ec-sha1-128-rc4,
#                  testrsa-encrypted, bad-encryption-oid, the key1-* malformed headers and the
#                  Ed25519/Ed448/X25519/X448 *-pkcs8-enc files), test_ssh.py (the *-psw.key files)
#   123456         test_serialization.py (PEM_Serialization rsa/dsa/ec encrypted keys,
#                  pkcs12_s2k_pem-X_*, Traditional key1.pem, ec_private_key_encrypted.der/.pem)
#   foobar, baz    test_serialization.py (enc-rsa-pkcs8 / enc2-rsa-pkcs8 .pem and .der;
#                  baz also rsa-40bitrc2 and enc-rsa-pkcs8-pbkdf2-0iter)
#   a123456        test_serialization.py (Traditional key2.pem)
#   PolarSSLTest   test_serialization.py (rsa_pkcs8_pbes2_pbkdf2_2048_3des_sha*, rsa-aes-192-cbc)
#   Red Hat Enterprise Linux 7.4   test_serialization.py (rsa-rc2-cbc)
#   hunter42       test_serialization.py (ed25519-scrypt)
#   hunter2        test_serialization.py (rsa-pbewithmd5anddescbc)
# (The tests' deliberately wrong passwords, such as "this password is wrong", are not tried.)
PASSWORDS = ["password", "123456", "foobar", "baz", "a123456", "PolarSSLTest",
             "Red Hat Enterprise Linux 7.4", "hunter42", "hunter2"]

# (Looking up the *_parameters loaders warns that finite-field DH is deprecated; the warnings
# each call raises are recorded with its result.)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    TEXT_LOADERS = [
        ("load_pem_private_key", serialization.load_pem_private_key, True),
        ("load_pem_public_key", serialization.load_pem_public_key, False),
        ("load_pem_parameters", serialization.load_pem_parameters, False),
        ("load_ssh_private_key", serialization.load_ssh_private_key, True),
        ("load_ssh_public_key", serialization.load_ssh_public_key, False),
    ]
    BINARY_LOADERS = [
        ("load_der_private_key", serialization.load_der_private_key, True),
        ("load_der_public_key", serialization.load_der_public_key, False),
        ("load_der_parameters", serialization.load_der_parameters, False),
    ]


def is_text(data):
    """PEM and OpenSSH files are printable ASCII lines; DER is binary."""
    return all(b in b"\t\r\n" or 0x20 <= b < 0x7f for b in data)


def hx(n):
    return format(n, "x")


def describe(obj):
    """The loaded object as JSON: its type and numbers."""
    if isinstance(obj, rsa.RSAPrivateKey):
        n = obj.private_numbers()
        return {"type": "rsa-private", "n": hx(n.public_numbers.n), "e": hx(n.public_numbers.e),
                "d": hx(n.d), "p": hx(n.p), "q": hx(n.q), "dmp1": hx(n.dmp1),
                "dmq1": hx(n.dmq1), "iqmp": hx(n.iqmp)}
    if isinstance(obj, rsa.RSAPublicKey):
        n = obj.public_numbers()
        return {"type": "rsa-public", "n": hx(n.n), "e": hx(n.e)}
    if isinstance(obj, ec.EllipticCurvePrivateKey):
        n = obj.private_numbers()
        return {"type": "ec-private", "curve": obj.curve.name, "x": hx(n.public_numbers.x),
                "y": hx(n.public_numbers.y), "private_value": hx(n.private_value)}
    if isinstance(obj, ec.EllipticCurvePublicKey):
        n = obj.public_numbers()
        return {"type": "ec-public", "curve": obj.curve.name, "x": hx(n.x), "y": hx(n.y)}
    if isinstance(obj, dsa.DSAPrivateKey):
        n = obj.private_numbers()
        pn = n.public_numbers.parameter_numbers
        return {"type": "dsa-private", "p": hx(pn.p), "q": hx(pn.q), "g": hx(pn.g),
                "y": hx(n.public_numbers.y), "x": hx(n.x)}
    if isinstance(obj, dsa.DSAPublicKey):
        n = obj.public_numbers()
        pn = n.parameter_numbers
        return {"type": "dsa-public", "p": hx(pn.p), "q": hx(pn.q), "g": hx(pn.g),
                "y": hx(n.y)}
    if isinstance(obj, dsa.DSAParameters):
        pn = obj.parameter_numbers()
        return {"type": "dsa-parameters", "p": hx(pn.p), "q": hx(pn.q), "g": hx(pn.g)}
    if isinstance(obj, dh.DHPrivateKey):
        n = obj.private_numbers()
        pn = n.public_numbers.parameter_numbers
        return {"type": "dh-private", "p": hx(pn.p), "g": hx(pn.g),
                "q": None if pn.q is None else hx(pn.q), "y": hx(n.public_numbers.y),
                "x": hx(n.x)}
    if isinstance(obj, dh.DHPublicKey):
        n = obj.public_numbers()
        pn = n.parameter_numbers
        return {"type": "dh-public", "p": hx(pn.p), "g": hx(pn.g),
                "q": None if pn.q is None else hx(pn.q), "y": hx(n.y)}
    if isinstance(obj, dh.DHParameters):
        pn = obj.parameter_numbers()
        return {"type": "dh-parameters", "p": hx(pn.p), "g": hx(pn.g),
                "q": None if pn.q is None else hx(pn.q)}
    for name, private_cls, public_cls in [
            ("ed25519", ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey),
            ("ed448", ed448.Ed448PrivateKey, ed448.Ed448PublicKey),
            ("x25519", x25519.X25519PrivateKey, x25519.X25519PublicKey),
            ("x448", x448.X448PrivateKey, x448.X448PublicKey)]:
        if isinstance(obj, private_cls):
            return {"type": f"{name}-private",
                    "public": obj.public_key().public_bytes_raw().hex(),
                    "private": obj.private_bytes_raw().hex()}
        if isinstance(obj, public_cls):
            return {"type": f"{name}-public", "public": obj.public_bytes_raw().hex()}
    return {"type": "other", "class": type(obj).__name__}


def attempt(name, loader, data, takes_password, password):
    """One loader call; only the warnings the call itself raises are recorded."""
    record = {"loader": name, "password": password}
    obj = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if takes_password:
                obj = loader(data, None if password is None else password.encode())
            else:
                obj = loader(data)
        except Exception as e:  # every failure is a result to record
            record.update(ok=False, error=type(e).__name__, message=str(e))
    if "error" not in record:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deprecated DH classes warn on lookup
            record.update(ok=True, key=describe(obj))
    texts = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if texts:
        record["warnings"] = texts
    return record


def load_all(data):
    attempts = []
    for name, loader, takes_password in TEXT_LOADERS if is_text(data) else BINARY_LOADERS:
        if not takes_password:
            attempts.append(attempt(name, loader, data, False, None))
            continue
        first = attempt(name, loader, data, True, None)
        attempts.append(first)
        if first["ok"]:
            continue
        tried = []
        for password in PASSWORDS:
            tried.append(attempt(name, loader, data, True, password))
            if tried[-1]["ok"]:
                tried = tried[-1:]  # a success: record it alone after the None attempt
                break
        attempts += tried
    return attempts


def skip_reason(rel):
    if rel in make_sources.KEY_DOCS and rel.endswith(".txt"):
        return "not a key: the folder's README (how pyca made the keys, and their password)"
    if rel in make_sources.KEY_DOCS:
        return "not a key: the shell script that made the OpenSSH keys with ssh-keygen"
    return "not a key file: a text vector file, read by its family's tests"


def main():
    files, skipped = {}, {}
    for rel in make_sources.vector_files():
        if not any(rel.startswith(d + "/") for d in make_sources.KEY_DIRS):
            continue
        if not make_sources.KEY_FILE_RE.match(rel):
            skipped[rel] = skip_reason(rel)
            continue
        with open(os.path.join(VECTORS, rel), "rb") as f:
            files[rel] = load_all(f.read())
    from cryptography.hazmat.backends.openssl.backend import backend
    try:
        import bcrypt
        bcrypt_version = bcrypt.__version__
    except ImportError:
        bcrypt_version = None
    out = {
        "generator": "vectors/asymmetric/make_key_manifest.py: the result of each pyca/cryptography "
                     "loader on each committed key file",
        "cryptography_version": cryptography.__version__,
        "openssl_version": backend.openssl_version_text(),
        "bcrypt_version": bcrypt_version,
        "passwords": PASSWORDS,
        "skipped": skipped,
        "files": files,
    }
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=True)
        f.write("\n")
    ok = sum(1 for a in files.values() if any(x["ok"] for x in a))
    print(f"wrote {os.path.relpath(OUT, VECTORS)}: {len(files)} key files ({ok} loaded by some "
          f"loader), {len(skipped)} skipped; cryptography {cryptography.__version__}")


if __name__ == "__main__":
    main()
