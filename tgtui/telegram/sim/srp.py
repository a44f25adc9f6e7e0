"""The server half of Telegram's 2FA SRP check, for the simulated Telegram.

Telegram never stores the 2FA password: it stores the verifier ``v = g^x mod p`` where
``x`` is the slow PBKDF2-based hash of the password (`telethon.password.compute_hash`).
On `account.getPassword` it sends a fresh ``B = k*v + g^b``; the client answers with
``A`` and ``M1`` (`telethon.password.compute_check`), and the server recomputes ``M1``
from ``A``, ``b`` and ``v`` (https://core.telegram.org/api/srp). Nothing here knows the
password after `verifier()` ran, so a wrong password really fails.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass

from telethon import password as tl_password
from telethon.tl import types

# Telegram's 2048-bit safe prime (the one `telethon.password.check_prime_and_good`
# accepts without factorising) and its generator.
PRIME_HEX = (
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"
    "48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37"
    "20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"
    "2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"
    "A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"
    "FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"
    "E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B"
)
PRIME_BYTES = bytes.fromhex(PRIME_HEX)
PRIME = int.from_bytes(PRIME_BYTES, "big")
G = 3


def _h(*parts: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.digest()


def _pad(number: int) -> bytes:
    return number.to_bytes(256, "big")


_K = int.from_bytes(_h(PRIME_BYTES, _pad(G)), "big")


def make_algo(
    salt1: bytes, salt2: bytes
) -> types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow:
    """The KDF algorithm object Telegram sends in `account.Password.current_algo`."""
    return types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow(
        salt1=salt1, salt2=salt2, g=G, p=PRIME_BYTES
    )


@functools.lru_cache(maxsize=256)
def verifier(password: str, salt1: bytes, salt2: bytes) -> int:
    """``v = g^x mod p`` for a password (PBKDF2 with 100000 rounds: ~0.1 s, so cached)."""
    x = int.from_bytes(tl_password.compute_hash(make_algo(salt1, salt2), password), "big")
    return pow(G, x, PRIME)


@dataclass(frozen=True)
class Challenge:
    """One `account.getPassword` answer's secret half: the server's ``b`` and ``B``."""

    srp_id: int
    b: int
    B: int

    @property
    def B_bytes(self) -> bytes:  # noqa: N802 - SRP's name
        """``B`` as the 256 big-endian bytes Telegram sends as ``srp_B``."""
        return _pad(self.B)


def new_challenge(v: int, rng: random.Random) -> Challenge:
    """Pick a fresh ``b`` and compute ``B = k*v + g^b mod p`` (checks as Telethon does)."""
    while True:
        b = rng.getrandbits(2048)
        g_b = pow(G, b, PRIME)
        if not tl_password.is_good_mod_exp_first(g_b, PRIME):
            continue
        big_b = (_K * v + g_b) % PRIME
        if tl_password.is_good_large(big_b, PRIME) and big_b.bit_length() > 2048 - 64:
            return Challenge(srp_id=rng.getrandbits(63), b=b, B=big_b)


def check(
    challenge: Challenge, v: int, salt1: bytes, salt2: bytes, a_bytes: bytes, m1: bytes
) -> bool:
    """Verify the client's ``A`` and ``M1`` against the stored verifier ``v``."""
    a_big = int.from_bytes(a_bytes, "big")
    if not 0 < a_big < PRIME or a_big % PRIME == 0:
        return False
    a_for_hash = _pad(a_big)
    b_for_hash = challenge.B_bytes
    u = int.from_bytes(_h(a_for_hash, b_for_hash), "big")
    if u == 0:
        return False
    s = pow(a_big * pow(v, u, PRIME) % PRIME, challenge.b, PRIME)
    k = _h(_pad(s))
    expected = _h(
        bytes(x ^ y for x, y in zip(_h(PRIME_BYTES), _h(_pad(G)), strict=False)),
        _h(salt1),
        _h(salt2),
        a_for_hash,
        b_for_hash,
        k,
    )
    return expected == m1
