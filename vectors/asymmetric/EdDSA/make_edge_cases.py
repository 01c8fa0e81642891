#!/usr/bin/env python3
"""Make `edge-cases.json`: crafted Ed25519 and Ed448 signatures at the edges of RFC 8032
verification, with the verdict the library's documented rule gives each one.

The arithmetic is an independent, plain-Python implementation of RFC 8032 (sections 5.1 and
5.2, affine Edwards coordinates); keys, nonces and points are chosen by hand so that each case
exercises one rule: a non-canonical S (S + L), non-canonical encodings of A and R (y + p, the
"negative zero" x with its sign bit set, Ed448's unused bits), small-order A and R (every
torsion point), mixed-order A and R (a prime-order point plus torsion), encodings that are not
points, and honest signatures as controls. The Ed25519 part follows the cases of Chalkias,
Garillot and Nikolaenko, "Taming the many EdDSAs" (2020), built here from first principles.

The expected verdict is `accept` or `reject` under the rule written in the library's module
docs (crates/pluggable-crypto/src/hazmat/primitives/asymmetric/edwards.rs):

  * S must be below L;
  * A and R must be canonical encodings of curve points (y < p, no x = 0 with the sign bit
    set, Ed448's unused bits zero);
  * neither A nor R may be of small order;
  * Ed25519 checks [S]B = R + [k]A (cofactorless); Ed448 checks [4][S]B = [4]R + [4][k]A
    (cofactored), RFC 8032's own equation.

`stage` says where the rule rejects: `load` (the public key is refused) or `verify`.
When the Python `cryptography` package is importable, `openssl_native` records what its
OpenSSL says with no pre-checks, for the record (the test does not read it).

Usage: python3 make_edge_cases.py > edge-cases.json
"""

import hashlib
import json
import sys

# ---------------------------------------------------------------------------------------------
# Curves

class Curve:
    def __init__(self, name, p, d, a, L, cofactor, b, key_bytes):
        self.name, self.p, self.d, self.a, self.L = name, p, d, a, L
        self.cofactor, self.key_bytes = cofactor, key_bytes
        self.B = b

    def inv(self, x):
        return pow(x, self.p - 2, self.p)

    def on_curve(self, P):
        x, y = P
        p = self.p
        return (self.a * x * x + y * y - 1 - self.d * x * x * y * y) % p == 0

    def add(self, P, Q):
        (x1, y1), (x2, y2) = P, Q
        p, d, a = self.p, self.d, self.a
        t = d * x1 * x2 * y1 * y2 % p
        x3 = (x1 * y2 + y1 * x2) * self.inv(1 + t) % p
        y3 = (y1 * y2 - a * x1 * x2) * self.inv(1 - t) % p
        return (x3, y3)

    def neg(self, P):
        return ((-P[0]) % self.p, P[1])

    def mul(self, k, P):
        R = (0, 1)
        Q = P
        while k > 0:
            if k & 1:
                R = self.add(R, Q)
            Q = self.add(Q, Q)
            k >>= 1
        return R

    def sqrt(self, v):
        p = self.p
        if v % p == 0:
            return 0
        if p % 8 == 5:
            x = pow(v, (p + 3) // 8, p)
            if (x * x - v) % p != 0:
                x = x * pow(2, (p - 1) // 4, p) % p
        else:
            x = pow(v, (p + 1) // 4, p)
        return x if (x * x - v) % p == 0 else None

    def recover_x(self, y, sign):
        p = self.p
        if y >= p:
            return None
        x2 = (y * y - 1) * self.inv(self.d * y * y - self.a) % p
        x = self.sqrt(x2)
        if x is None:
            return None
        if x == 0 and sign:
            return None
        if x & 1 != sign:
            x = p - x
        return x

    def encode_y_sign(self, y, sign):
        n = self.key_bytes
        v = y | (sign << (8 * n - 1))
        return v.to_bytes(n, "little")

    def encode(self, P):
        return self.encode_y_sign(P[1], P[0] & 1)

    def decode_strict(self, b):
        """RFC 8032 decoding: None for anything it refuses."""
        v = int.from_bytes(b, "little")
        sign = v >> (8 * self.key_bytes - 1)
        y = v & ((1 << (8 * self.key_bytes - 1)) - 1)
        if self.name == "ed448" and y >> 448:
            return None
        x = self.recover_x(y, sign)
        return None if x is None else (x, y)

    def small_order(self, P):
        return self.mul(self.cofactor, P) == (0, 1)

    def hash_k(self, R, A, M):
        if self.name == "ed25519":
            h = hashlib.sha512(R + A + M).digest()
        else:
            dom = b"SigEd448" + bytes([0, 0])
            h = hashlib.shake_256(dom + R + A + M).digest(114)
        return int.from_bytes(h, "little") % self.L


P25519 = 2**255 - 19
D25519 = -121665 * pow(121666, P25519 - 2, P25519) % P25519
BY25519 = 4 * pow(5, P25519 - 2, P25519) % P25519
ED25519 = Curve("ed25519", P25519, D25519, -1,
                2**252 + 27742317777372353535851937790883648493, 8, None, 32)
ED25519.B = (ED25519.recover_x(BY25519, 0), BY25519)

P448 = 2**448 - 2**224 - 1
ED448 = Curve("ed448", P448, -39081 % P448, 1,
              2**446 - 13818066809895115352007386748515426880336692474882178609894547503885,
              4, None, 57)
ED448.B = (
    224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710,
    298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660,
)

for c in (ED25519, ED448):
    assert c.on_curve(c.B) and c.mul(c.L, c.B) == (0, 1), c.name


def torsion(c):
    """Every point of order dividing the cofactor."""
    pts = []
    if c.name == "ed25519":
        # The torsion subgroup is cyclic of order 8; (L * P) for a point P of full order.
        y = 2
        while True:
            x = c.recover_x(y, 0)
            if x is not None:
                T = c.mul(c.L, (x, y))
                if c.mul(4, T) != (0, 1):
                    break
            y += 1
        for i in range(8):
            pts.append(c.mul(i, T))
    else:
        T = (1, 0)  # order 4 on edwards448
        for i in range(4):
            pts.append(c.mul(i, T))
    assert len(set(pts)) == c.cofactor
    return pts


# ---------------------------------------------------------------------------------------------
# The documented rule, as a reference verifier

def verdict(c, A_bytes, M, sig):
    n = c.key_bytes
    A = c.decode_strict(A_bytes)
    if A is None or c.small_order(A):
        return "reject", "load"
    if len(sig) != 2 * n:
        return "reject", "verify"
    R_bytes, S_bytes = sig[:n], sig[n:]
    S = int.from_bytes(S_bytes, "little")
    if S >= c.L:
        return "reject", "verify"
    R = c.decode_strict(R_bytes)
    if R is None or c.small_order(R):
        return "reject", "verify"
    k = c.hash_k(R_bytes, A_bytes, M)
    lhs = c.mul(S, c.B)
    rhs = c.add(R, c.mul(k, A))
    if c.name == "ed448":
        lhs, rhs = c.mul(4, lhs), c.mul(4, rhs)
    return ("accept" if lhs == rhs else "reject"), "verify"


def openssl_native(c, A_bytes, M, sig):
    try:
        from cryptography.exceptions import InvalidSignature
        if c.name == "ed25519":
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey as K
        else:
            from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey as K
    except ImportError:
        return None
    try:
        key = K.from_public_bytes(A_bytes)
    except ValueError:
        return "reject at load"
    try:
        key.verify(sig, M)
        return "accept"
    except InvalidSignature:
        return "reject"


# ---------------------------------------------------------------------------------------------
# Case construction

def scalar_sig(c, a, r_point_bytes, S):
    return r_point_bytes + (S % (1 << (8 * c.key_bytes))).to_bytes(c.key_bytes, "little")


def honest(c, a, r, M, A=None, R=None):
    """[S]B = R + [k]A with R = [r]B (+ whatever R is given) and A = [a]B (or given)."""
    A = A if A is not None else c.mul(a, c.B)
    R = R if R is not None else c.mul(r, c.B)
    A_b, R_b = c.encode(A), c.encode(R)
    k = c.hash_k(R_b, A_b, M)
    S = (r + k * a) % c.L
    return A_b, R_b, S, k


def cases_for(c):
    out = []

    def add(name, A_b, M, sig, note):
        v, stage = verdict(c, A_b, M, sig)
        case = {"curve": c.name, "name": name, "note": note, "public_key": A_b.hex(),
                "message": M.hex(), "signature": sig.hex(), "verdict": v, "stage": stage}
        native = openssl_native(c, A_b, M, sig)
        if native is not None:
            case["openssl_native"] = native
        out.append(case)

    n = c.key_bytes
    a, r = 0x1234567 * 7919 + 5, 0x7654321 * 104729 + 3
    M = b"Taming the many EdDSAs"
    T = torsion(c)
    # The (Ed25519) order-8 / (Ed448) order-4 generator of the torsion.
    Tgen = T[1]

    # 1. Controls.
    A_b, R_b, S, _ = honest(c, a, r, M)
    add("honest", A_b, M, scalar_sig(c, a, R_b, S), "an ordinary signature")
    add("honest-other-message", A_b, M + b"!", scalar_sig(c, a, R_b, S),
        "the same signature over another message")

    # 2. Non-canonical S.
    add("s-plus-l", A_b, M, scalar_sig(c, a, R_b, S + c.L),
        "S + L: the same S modulo L, not canonical")
    add("s-equals-l", A_b, M, scalar_sig(c, a, R_b, c.L), "S = L")
    big = (1 << (8 * n)) - 1
    add("s-all-ones", A_b, M, R_b + big.to_bytes(n, "little"), "S with every bit set")

    # 3. Small-order public keys: every torsion point, with a signature that the
    # cofactorless equation accepts when A = identity (R = [S]B for any S).
    for i, Tp in enumerate(T):
        A_t = c.encode(Tp)
        s = 12345
        R_t = c.mul(s, c.B)
        # [S]B = R + [k]T: choose S so that it holds when k*T = O; keep trying messages.
        for j in range(64):
            Mj = M + bytes([j])
            k = c.hash_k(c.encode(R_t), A_t, Mj)
            if c.mul(k, Tp) == (0, 1):
                break
        add(f"small-order-a-{i}", A_t, Mj, scalar_sig(c, 0, c.encode(R_t), s),
            f"A = torsion point {i} (order {order(c, Tp)}); [S]B = R + [k]A holds")
    # and with its sign bit flipped (for x = 0 that is the non-canonical "negative zero").
    for i, Tp in enumerate(T):
        A_t = c.encode_y_sign(Tp[1], 1 - (Tp[0] & 1))
        add(f"small-order-a-{i}-flipped-sign", A_t, M, scalar_sig(c, a, R_b, S),
            f"A = torsion point {i} with the sign bit flipped")

    # 4. Small-order R: R = identity with S = k*a (valid without the cofactor), and each
    # other torsion point with S = k*a (valid only with the cofactor).
    A_h = c.mul(a, c.B)
    A_hb = c.encode(A_h)
    for i, Tp in enumerate(T):
        R_tb = c.encode(Tp)
        k = c.hash_k(R_tb, A_hb, M)
        S_t = k * a % c.L
        add(f"small-order-r-{i}", A_hb, M, scalar_sig(c, a, R_tb, S_t),
            f"R = torsion point {i} (order {order(c, Tp)}), S = k*a")

    # 5. Mixed-order A = [a]B + T: R = [r]B, S = r + k*a. Valid without the cofactor only
    # when [k]T = O; valid with it always.
    A_m = c.add(A_h, Tgen)
    A_mb = c.encode(A_m)
    found = {"k*T = O": None, "k*T != O": None}
    for j in range(200):
        rj = r + j
        R_j = c.mul(rj, c.B)
        k = c.hash_k(c.encode(R_j), A_mb, M)
        key = "k*T = O" if c.mul(k, Tgen) == (0, 1) else "k*T != O"
        if found[key] is None:
            found[key] = (c.encode(R_j), (rj + k * a) % c.L)
        if all(found.values()):
            break
    for label, (R_jb, S_j) in found.items():
        add("mixed-order-a-" + ("ktorsion-zero" if "=" in label and "!" not in label else "ktorsion-nonzero"),
            A_mb, M, scalar_sig(c, a, R_jb, S_j),
            f"A = [a]B + T (T of order {order(c, Tgen)}), R = [r]B, S = r + k*a, {label}")

    # 6. Mixed-order R = [r]B + T with S = r + k*a: valid only with the cofactor.
    R_m = c.add(c.mul(r, c.B), Tgen)
    R_mb = c.encode(R_m)
    k = c.hash_k(R_mb, A_hb, M)
    add("mixed-order-r", A_hb, M, scalar_sig(c, a, R_mb, (r + k * a) % c.L),
        "R = [r]B + T, S = r + k*a")

    # 7. Non-canonical encodings of A and R: y + p for the torsion points with y = 0 and
    # y = 1 (the encodings "Taming the many EdDSAs" uses), signed so that a decoder that reduces
    # y modulo p would accept; and the identity with its sign bit set ("negative zero").
    for y in (0, 1):
        Tp = (c.recover_x(y, 0), y)
        enc = (y + c.p).to_bytes(n, "little")
        R_t = c.mul(12345, c.B)
        for j in range(64):
            Mj = M + bytes([j])
            if c.mul(c.hash_k(c.encode(R_t), enc, Mj), Tp) == (0, 1):
                break
        add(f"noncanonical-a-y{y}", enc, Mj, scalar_sig(c, 0, c.encode(R_t), 12345),
            f"A = the torsion point with y = {y}, encoded as y + p")
        k = c.hash_k(enc, A_hb, M)
        add(f"noncanonical-r-y{y}", A_hb, M, enc + (k * a % c.L).to_bytes(n, "little"),
            f"R = the torsion point with y = {y}, encoded as y + p, S = k*a")
    negzero = c.encode_y_sign(1, 1)
    k = c.hash_k(negzero, A_hb, M)
    add("negative-zero-r", A_hb, M, negzero + (k * a % c.L).to_bytes(n, "little"),
        "R = the identity with the sign bit set, S = k*a")
    y = 3
    while c.recover_x(y, 0) is None:
        y += 1
    add(f"noncanonical-a-y{y}", (y + c.p).to_bytes(n, "little"), M, scalar_sig(c, a, R_b, S),
        f"A = a point of full order with y = {y}, encoded as y + p")
    if c.name == "ed448":
        # The unused seven bits of the last byte.
        enc = bytearray(A_b)
        enc[-1] |= 0x01
        add("a-unused-bits", bytes(enc), M, scalar_sig(c, a, R_b, S),
            "A with an unused bit of its last byte set")
        encr = bytearray(R_b)
        encr[-1] |= 0x02
        add("r-unused-bits", A_b, M, bytes(encr) + S.to_bytes(n, "little"),
            "R with an unused bit of its last byte set")

    # 8. Encodings that are not points.
    y = 2
    while c.recover_x(y, 0) is not None:
        y += 1
    bad = c.encode_y_sign(y, 0)
    add("a-not-a-point", bad, M, scalar_sig(c, a, R_b, S), f"A: y = {y} has no x")
    add("r-not-a-point", A_b, M, bad + S.to_bytes(n, "little"), f"R: y = {y} has no x")
    return out


def order(c, P):
    for i in range(1, c.cofactor + 1):
        if c.mul(i, P) == (0, 1):
            return i
    return None


def main():
    cases = cases_for(ED25519) + cases_for(ED448)
    json.dump({"description": "crafted EdDSA edge cases with the library's verdicts; "
               "made by make_edge_cases.py", "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
