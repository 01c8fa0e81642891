#!/usr/bin/env python3
"""Summarize `cargo bench -p speed --bench primitives` as a markdown table.

Reads Criterion's `<criterion dir>/**/new/benchmark.json` (group, function, throughput) and
the median of `new/estimates.json` next to it, and prints one row per primitive x size:
ns/op and MB/s (10^6 bytes per second) for each function, then the ratios of ns/op
openssl/raw-evp, rust/raw-rustcrypto, ring/raw-ring, default/raw-ring and default/best-member
(best member: the fastest of `openssl`, `rust` and `ring`). A ratio above 1 means ours is
slower.

Usage: python3 crates/speed/summarize.py [CRITERION_DIR]
The directory defaults to $CARGO_TARGET_DIR/criterion, else target/criterion.
"""

import json
import os
import sys
from pathlib import Path

FUNCTIONS = [
    "openssl", "raw-evp", "raw-evp-reused", "rust", "raw-rustcrypto", "ring", "raw-ring", "default",
]
# Display order of the primitives (speed::Primitive::ALL).
PRIMITIVES = [
    "aes-128-gcm", "aes-256-gcm", "chacha20", "aes-128-ctr", "aes-256-ctr", "aes-256-cbc",
    "camellia-128-cbc", "sha1", "sha256", "sha512", "sha3-256", "blake2b", "hmac-sha256",
    "aes-128-gcm-oneshot", "aes-256-gcm-oneshot", "chacha20-poly1305",
]
RATIOS = [
    ("openssl/raw-evp", "openssl", ["raw-evp"]),
    ("rust/raw-rustcrypto", "rust", ["raw-rustcrypto"]),
    ("ring/raw-ring", "ring", ["raw-ring"]),
    ("default/raw-ring", "default", ["raw-ring"]),
    ("default/best-member", "default", ["openssl", "rust", "ring"]),
]


def criterion_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    return Path(target) / "criterion" if target else Path("target") / "criterion"


def load(root):
    """{(primitive, size): {"bytes": n, function: median ns}}"""
    groups = {}
    for meta_path in root.glob("**/new/benchmark.json"):
        meta = json.loads(meta_path.read_text())
        group = meta.get("group_id", "")
        primitive, _, size = group.rpartition("/")
        if primitive not in PRIMITIVES or not size.isdigit():
            continue
        estimates = json.loads((meta_path.parent / "estimates.json").read_text())
        entry = groups.setdefault((primitive, int(size)), {})
        entry[meta["function_id"]] = estimates["median"]["point_estimate"]
        throughput = meta.get("throughput") or {}
        entry["bytes"] = throughput.get("Bytes", int(size))
    return groups


def cell(ns, nbytes):
    if ns is None:
        return "–"
    mb_s = nbytes * 1e3 / ns if ns > 0 else 0.0
    return f"{ns:,.0f} · {mb_s:,.0f}" if mb_s >= 10 else f"{ns:,.0f} · {mb_s:.1f}"


def ratio(entry, ours, baselines):
    candidates = [entry[b] for b in baselines if b in entry]
    if ours not in entry or not candidates:
        return "–"
    return f"{entry[ours] / min(candidates):.2f}"


def main():
    root = criterion_dir()
    groups = load(root)
    if not groups:
        sys.exit(f"no speed benchmark results under {root}")
    header = ["primitive", "bytes"] + FUNCTIONS + [name for name, _, _ in RATIOS]
    print(f"Medians from {root}. Each function cell: ns/op · MB/s. "
          "Ratios are of ns/op (> 1: ours slower).")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---", "---:"] + ["---:"] * (len(header) - 2)) + "|")
    for (primitive, size) in sorted(groups, key=lambda k: (PRIMITIVES.index(k[0]), k[1])):
        entry = groups[(primitive, size)]
        nbytes = entry["bytes"]
        shown = f"{nbytes}" if nbytes == size else f"{nbytes} (of {size})"
        row = [primitive, shown]
        row += [cell(entry.get(f), nbytes) for f in FUNCTIONS]
        row += [ratio(entry, ours, baselines) for _, ours, baselines in RATIOS]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
