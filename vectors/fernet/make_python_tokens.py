#!/usr/bin/env python3
"""Writes python-cryptography-48.json: Fernet tokens made by the Python `cryptography`
package, for the interoperability test in crates/pluggable-crypto/tests/fernet.rs.

Every input is fixed (keys and IVs are SHA-256 of a label), so running this again with the
same `cryptography` release reproduces the file byte for byte:

    python3 vectors/fernet/make_python_tokens.py            # rewrite the file
    python3 vectors/fernet/make_python_tokens.py --check    # compare, exit 1 on a difference

Tokens are made with `Fernet._encrypt_from_parts(data, current_time, iv)`, the private
method `encrypt_at_time` calls with a random IV; each is checked to decrypt with
`decrypt_at_time` before it is written.
"""

import base64
import hashlib
import json
import os
import sys

import cryptography
from cryptography.fernet import Fernet

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-cryptography-48.json")


def derive(label, n):
    return hashlib.sha256(label.encode()).digest()[:n]


def cases():
    keys = [base64.urlsafe_b64encode(derive(f"fernet key {i}", 32)) for i in range(3)]
    plaintexts = [
        b"",
        b"a",
        b"hello",
        b"fifteen bytes!!",
        b"exactly sixteen!",
        b"seventeen bytes!!",
        bytes(range(256)),
        "unicode: \u00e9\u03c0\u2603".encode(),
    ]
    times = [0, 1, 499162800, 1700000000, 2**32, 2**63 - 1, 2**64 - 1]
    n = 0
    for ki, key in enumerate(keys):
        for pi, data in enumerate(plaintexts):
            # Spread the times over the cases rather than taking every combination.
            now = times[(ki * len(plaintexts) + pi) % len(times)]
            iv = derive(f"fernet iv {n}", 16)
            token = Fernet(key)._encrypt_from_parts(data, now, iv)
            assert Fernet(key).decrypt_at_time(token, 60, now) == data
            yield {
                "key": key.decode(),
                "now": now,
                "iv": iv.hex(),
                "plaintext": data.hex(),
                "token": token.decode(),
            }
            n += 1


def render():
    doc = {
        "generator": f"Python cryptography {cryptography.__version__}, "
        "Fernet._encrypt_from_parts(data, now, iv); see make_python_tokens.py",
        "cases": list(cases()),
    }
    return json.dumps(doc, indent=2) + "\n"


def main():
    if not cryptography.__version__.startswith("48."):
        sys.exit(f"expected cryptography 48.x, found {cryptography.__version__}")
    text = render()
    if sys.argv[1:] == ["--check"]:
        with open(OUT) as f:
            if f.read() != text:
                sys.exit(f"{OUT} differs from what this script generates")
        print(f"{OUT}: up to date")
    else:
        with open(OUT, "w") as f:
            f.write(text)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
