#!/usr/bin/env python3
"""Known-answer vectors for the chunked streaming AEAD format of
pluggable_crypto::hazmat::primitives::aead::stream (format version 1), computed by an
independent implementation: this script, on the Python `cryptography` package.

Usage: make_stream_vectors.py > stream-v1.json

The format (documented in crates/pluggable-crypto/src/hazmat/primitives/aead/stream.rs):
  salt (32) || chunk_0 || ... || chunk_{n-1}
  stream key = HKDF-SHA256(ikm=key, salt=salt,
               info=b"cryptography-rs STREAM v1\0" + name + b"\0" + u32be(chunk_size))
  chunk_i = AEAD(stream key).encrypt(nonce=b"\0\0\0" + u64be(i) + (b"\1" if last else b"\0"),
                                     plaintext chunk, aad=header)
"""

import json
import struct
import sys

import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import (
    AESCCM, AESGCM, AESGCMSIV, AESOCB3, ChaCha20Poly1305)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALGORITHMS = {
    "AES-GCM": AESGCM,
    "ChaCha20-Poly1305": ChaCha20Poly1305,
    "AES-CCM": AESCCM,
    "AES-OCB3": AESOCB3,
    "AES-GCM-SIV": AESGCMSIV,
}


def pattern(n, salt):
    return bytes((i * 31 + salt) % 251 for i in range(n))


def seal(name, key, salt, header, chunk_size, plaintext):
    info = b"cryptography-rs STREAM v1\0" + name.encode() + b"\0" + struct.pack(">I", chunk_size)
    stream_key = HKDF(hashes.SHA256(), len(key), salt, info).derive(key)
    aead = ALGORITHMS[name](stream_key)
    chunks = [plaintext[i:i + chunk_size] for i in range(0, len(plaintext), chunk_size)] or [b""]
    out = bytearray(salt)
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        nonce = b"\0\0\0" + struct.pack(">Q", i) + (b"\1" if last else b"\0")
        out += aead.encrypt(nonce, chunk, header)
    return bytes(out)


def main():
    cases = []
    for name, key_sizes in [("AES-GCM", [16, 24, 32]), ("ChaCha20-Poly1305", [32]),
                            ("AES-CCM", [16, 32]), ("AES-OCB3", [16, 32]),
                            ("AES-GCM-SIV", [16, 32])]:
        for key_len in key_sizes:
            for chunk_size, length in [(16, 0), (16, 1), (16, 15), (16, 16), (16, 17),
                                       (16, 48), (100, 250), (65536, 1000)]:
                key = pattern(key_len, key_len + chunk_size)
                salt = pattern(32, length)
                header = pattern(length % 23, 7)
                plaintext = pattern(length, 3)
                cases.append({
                    "algorithm": name,
                    "key": key.hex(),
                    "salt": salt.hex(),
                    "header": header.hex(),
                    "chunk_size": chunk_size,
                    "plaintext": plaintext.hex(),
                    "stream": seal(name, key, salt, header, chunk_size, plaintext).hex(),
                })
    json.dump({"generator": f"make_stream_vectors.py, Python cryptography {cryptography.__version__}",
               "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
