"""The server half of MTProto's auth-key exchange (req_pq_multi → req_DH_params → DH).

The server has its own RSA key pair (`ServerKey`); clients trust it only if its public
key was given to them (Telethon: ``telethon.crypto.rsa.add_key``). The RSA-encrypted
inner data is accepted in both forms clients send: the older ``sha1 + data + padding``
(Telethon 1.x) and ``RSA_PAD`` (AES-wrapped, newer clients).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rsa
from telethon import helpers
from telethon.crypto import AES, AuthKey
from telethon.crypto import rsa as tl_rsa
from telethon.extensions import BinaryReader
from telethon.tl import TLObject, types

# RFC 3526 group 14: a 2048-bit safe prime, generator 2.
DH_PRIME = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
    16,
)
DH_G = 2
_SAFETY = 2 ** (2048 - 64)
# p and q of the pq the server asks the client to factor (two primes, pq < 2^63).
_P, _Q = 1229739323, 1402015859


class HandshakeError(Exception):
    """The client's key exchange is wrong (bad nonce, hash, RSA data); the server hangs up."""


class ServerKey:
    """The server's RSA key pair and its Telegram fingerprint."""

    def __init__(self, private: rsa.PrivateKey) -> None:
        self.private = private
        self.public = rsa.PublicKey(private.n, private.e)
        self.fingerprint: int = tl_rsa._compute_fingerprint(self.public)

    @classmethod
    def load_or_create(cls, path: str | Path) -> ServerKey:
        """Load ``path`` (PEM private key), or generate a 2048-bit key there (a few seconds)."""
        path = Path(path)
        if path.exists():
            return cls(rsa.PrivateKey.load_pkcs1(path.read_bytes()))
        _public, private = rsa.newkeys(2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(private.save_pkcs1())
        return cls(private)

    def public_pem(self) -> str:
        """The public key as PEM (PKCS#1), what a client's custom-server setting takes."""
        return self.public.save_pkcs1().decode("ascii")

    def write_public(self, path: str | Path) -> Path:
        """Write the public key PEM to ``path`` and return it."""
        path = Path(path)
        path.write_text(self.public_pem())
        return path

    def decrypt(self, block: bytes) -> bytes:
        """Raw RSA decryption of a 256-byte block."""
        value = pow(int.from_bytes(block, "big"), self.private.d, self.private.n)
        return value.to_bytes(256, "big")


def _read_inner(data: bytes) -> tuple[Any, int]:
    with BinaryReader(data) as reader:
        obj = reader.tgread_object()
        return obj, reader.tell_position()


def decode_inner_data(key: ServerKey, block: bytes) -> Any:
    """The p_q_inner_data a client RSA-encrypted for us, in either padding scheme."""
    plain = key.decrypt(block)
    # Old scheme: 0x00 | sha1(data) | data | random padding  (255 bytes under RSA)
    try:
        obj, used = _read_inner(plain[21:])
        if hashlib.sha1(plain[21 : 21 + used]).digest() == plain[1:21]:
            return obj
    except Exception:
        pass
    # RSA_PAD: temp_key_xor(32) | AES-IGE(reversed(data_with_padding) | sha256(...))
    temp_key_xor, aes_encrypted = plain[:32], plain[32:]
    mask = hashlib.sha256(aes_encrypted).digest()
    temp_key = bytes(a ^ b for a, b in zip(temp_key_xor, mask, strict=True))
    data_with_hash = AES.decrypt_ige(aes_encrypted, temp_key, bytes(32))
    data_with_padding = data_with_hash[:192][::-1]
    if hashlib.sha256(temp_key + data_with_padding).digest() != data_with_hash[192:]:
        raise HandshakeError("RSA-encrypted data does not verify")
    obj, _used = _read_inner(data_with_padding)
    return obj


@dataclass
class Handshake:
    """One client's key exchange in progress on one connection."""

    key: ServerKey
    server_time: float = 0.0
    nonce: int = 0
    server_nonce: int = 0
    new_nonce: int = 0
    a: int = 0
    step: str = "start"
    offered_fingerprint: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def req_pq(self, req: Any) -> types.ResPQ:
        """Step 1: our nonce, the pq to factor and the key fingerprints we offer."""
        self.nonce = req.nonce
        self.server_nonce = int.from_bytes(os.urandom(16), "big", signed=True)
        self.step = "pq"
        fingerprint = self.key.fingerprint
        if self.offered_fingerprint is not None:
            fingerprint = self.offered_fingerprint
        return types.ResPQ(
            nonce=self.nonce,
            server_nonce=self.server_nonce,
            pq=tl_rsa.get_byte_array(_P * _Q),
            server_public_key_fingerprints=[fingerprint],
        )

    def req_dh_params(self, req: Any) -> types.ServerDHParamsOk:
        """Step 2: check the RSA-encrypted inner data, answer with our DH half."""
        if self.step != "pq" or req.nonce != self.nonce or req.server_nonce != self.server_nonce:
            raise HandshakeError("req_DH_params out of order or with wrong nonces")
        if req.public_key_fingerprint != self.key.fingerprint:
            raise HandshakeError("req_DH_params for a key we do not have")
        inner = decode_inner_data(self.key, req.encrypted_data)
        if not isinstance(inner, (types.PQInnerData, types.PQInnerDataDc)):
            raise HandshakeError(f"unexpected inner data {type(inner).__name__}")
        if inner.nonce != self.nonce or inner.server_nonce != self.server_nonce:
            raise HandshakeError("inner data nonces differ")
        p, q = (int.from_bytes(x, "big") for x in (inner.p, inner.q))
        if {p, q} != {_P, _Q}:
            raise HandshakeError("wrong factorisation of pq")
        self.new_nonce = inner.new_nonce
        while True:
            self.a = secrets.randbits(2048)
            g_a = pow(DH_G, self.a, DH_PRIME)
            if _SAFETY <= g_a <= DH_PRIME - _SAFETY:
                break
        answer = bytes(
            types.ServerDHInnerData(
                nonce=self.nonce,
                server_nonce=self.server_nonce,
                g=DH_G,
                dh_prime=tl_rsa.get_byte_array(DH_PRIME),
                g_a=tl_rsa.get_byte_array(g_a),
                server_time=int(self.server_time or time.time()),
            )
        )
        with_hash = hashlib.sha1(answer).digest() + answer
        with_hash += os.urandom(-len(with_hash) % 16)
        key, iv = helpers.generate_key_data_from_nonce(self.server_nonce, self.new_nonce)
        self.step = "dh"
        return types.ServerDHParamsOk(
            nonce=self.nonce,
            server_nonce=self.server_nonce,
            encrypted_answer=AES.encrypt_ige(with_hash, key, iv),
        )

    def set_client_dh(self, req: Any) -> tuple[types.DhGenOk, bytes]:
        """Step 3: derive the auth key from the client's g_b; (answer, key bytes)."""
        if self.step != "dh" or req.nonce != self.nonce or req.server_nonce != self.server_nonce:
            raise HandshakeError("set_client_DH_params out of order or with wrong nonces")
        key, iv = helpers.generate_key_data_from_nonce(self.server_nonce, self.new_nonce)
        plain = AES.decrypt_ige(req.encrypted_data, key, iv)
        inner, used = _read_inner(plain[20:])
        if hashlib.sha1(plain[20 : 20 + used]).digest() != plain[:20]:
            raise HandshakeError("client DH inner data hash differs")
        if not isinstance(inner, types.ClientDHInnerData):
            raise HandshakeError(f"unexpected client DH data {type(inner).__name__}")
        g_b = int.from_bytes(inner.g_b, "big")
        if not _SAFETY <= g_b <= DH_PRIME - _SAFETY:
            raise HandshakeError("g_b out of range")
        raw = tl_rsa.get_byte_array(pow(g_b, self.a, DH_PRIME))
        auth = AuthKey(raw)
        self.step = "done"
        answer = types.DhGenOk(
            nonce=self.nonce,
            server_nonce=self.server_nonce,
            new_nonce_hash1=auth.calc_new_nonce_hash(self.new_nonce, 1),
        )
        return answer, raw


def plain_message(obj: TLObject | bytes, msg_id: int) -> bytes:
    """An unencrypted MTProto message (auth_key_id 0) carrying ``obj``."""
    body = obj if isinstance(obj, bytes) else bytes(obj)
    return struct.pack("<qqi", 0, msg_id, len(body)) + body
