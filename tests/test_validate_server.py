"""Validators for what a person types about servers and proxies, and the test-DC facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tgtui.accounts import InvalidInput, Server, servers, validate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8443", ("127.0.0.1", 8443)),
        (" mtproto.Example.com:443 ", ("mtproto.example.com", 443)),
        ("[::1]:443", ("::1", 443)),
        ("149.154.167.40:80", ("149.154.167.40", 80)),
    ],
)
def test_server_address_accepts(text: str, expected: tuple[str, int]) -> None:
    assert validate.server_address(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "HOST:PORT"),
        ("127.0.0.1", "Add the port: 127.0.0.1:443"),
        ("tcp://127.0.0.1:443", "without a scheme"),
        ("127.0.0.1:0", "between 1 and 65535"),
        ("127.0.0.1:70000", "between 1 and 65535"),
        ("127.0.0.1:https", "is a number"),
        ("300.1.1.1:443", "not an IPv4 address"),
        ("bad_host!:443", "not a host name"),
        ("::1:443", "IPv6 server in brackets"),
    ],
)
def test_server_address_says_what_to_do(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        validate.server_address(text)


def test_dc_id() -> None:
    assert validate.dc_id("2") == 2 and validate.dc_id(4) == 4
    for bad in ("0", "-1", "two", "", "1001"):
        with pytest.raises(InvalidInput, match="DC id is a small positive number"):
            validate.dc_id(bad)


def test_rsa_public_key_file_both_pem_forms(tmp_path: Path) -> None:
    import rsa

    pub, priv = rsa.newkeys(512)
    pkcs1 = tmp_path / "pkcs1.pem"
    pkcs1.write_bytes(pub.save_pkcs1())
    assert validate.rsa_public_key_file(str(pkcs1)) == str(pkcs1.resolve())
    # SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), as `openssl rsa -pubout` writes it
    import base64

    from rsa import asn1  # noqa: F401 - the rsa package reads this form too

    spki = tmp_path / "spki.pem"
    der = _spki_der(pub)
    body = base64.encodebytes(der).decode()
    spki.write_text(f"-----BEGIN PUBLIC KEY-----\n{body}-----END PUBLIC KEY-----\n")
    assert validate.rsa_public_key_file(spki) == str(spki.resolve())

    private = tmp_path / "server.key"
    private.write_bytes(priv.save_pkcs1())
    with pytest.raises(InvalidInput, match="PRIVATE key"):
        validate.rsa_public_key_file(private)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN RSA PUBLIC KEY-----\nnope\n-----END RSA PUBLIC KEY-----\n")
    with pytest.raises(InvalidInput, match="not an RSA public key in PEM form"):
        validate.rsa_public_key_file(garbage)
    with pytest.raises(InvalidInput, match="does not exist"):
        validate.rsa_public_key_file(tmp_path / "missing.pem")
    with pytest.raises(InvalidInput, match="is a folder"):
        validate.rsa_public_key_file(tmp_path)


def _spki_der(pub: object) -> bytes:
    """A SubjectPublicKeyInfo DER for an rsa.PublicKey (rsaEncryption OID + PKCS#1 key)."""
    pkcs1 = pub.save_pkcs1(format="DER")  # type: ignore[attr-defined]

    def tlv(tag: int, body: bytes) -> bytes:
        n = len(body)
        if n < 128:
            length = bytes([n])
        else:
            raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
            length = bytes([0x80 | len(raw)]) + raw
        return bytes([tag]) + length + body

    algorithm = tlv(0x30, bytes.fromhex("06092a864886f70d0101010500"))
    return tlv(0x30, algorithm + tlv(0x03, b"\x00" + pkcs1))


def test_the_shipped_test_key_is_a_valid_pem(tmp_path: Path) -> None:
    key = tmp_path / "test.pem"
    key.write_text(servers.TEST_RSA_KEY)
    validate.rsa_public_key_file(key)


@pytest.mark.parametrize(
    ("url", "kind", "host", "port", "user", "secret"),
    [
        ("socks5://127.0.0.1:1080", "socks5", "127.0.0.1", 1080, "", ""),
        (
            "socks5://bob:pa%40ss@proxy.example.com:1080",
            "socks5",
            "proxy.example.com",
            1080,
            "bob",
            "pa@ss",
        ),
        ("http://alice@10.0.0.2:3128", "http", "10.0.0.2", 3128, "alice", ""),
        (
            "mtproxy://dd" + "ab" * 16 + "@mt.example.com:443",
            "mtproxy",
            "mt.example.com",
            443,
            "",
            "dd" + "ab" * 16,
        ),
        (
            "tg://proxy?server=mt.example.com&port=8443&secret=" + "cd" * 16,
            "mtproxy",
            "mt.example.com",
            8443,
            "",
            "cd" * 16,
        ),
        (
            "https://t.me/proxy?server=1.2.3.4&port=443&secret=" + "ef" * 16,
            "mtproxy",
            "1.2.3.4",
            443,
            "",
            "ef" * 16,
        ),
    ],
)
def test_proxy_url_accepts(
    url: str, kind: str, host: str, port: int, user: str, secret: str
) -> None:
    spec = validate.proxy_url(url)
    assert spec is not None
    p = spec.proxy
    assert (p.kind, p.host, p.port, p.username, spec.secret) == (kind, host, port, user, secret)
    assert p.secret_ref == ("proxy" if secret else "")
    assert secret == "" or secret not in repr(spec)  # the secret never shows in a repr
    assert validate.proxy_url(validate.proxy_text(p), secret or None) == spec


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("127.0.0.1:1080", "socks5://"),
        ("ftp://h:21", "not a proxy type"),
        ("socks5://h", "Add the proxy's port"),
        ("socks5://h:99999", "1 to 65535"),
        ("mtproxy://mt.example.com:443", "needs its secret"),
        ("tg://proxy?server=h&port=443&secret=" + "ee" + "ab" * 16 + "676f6f", "fake-TLS"),
        ("tg://proxy?server=h&secret=" + "ab" * 16, "no server= or port="),
    ],
)
def test_proxy_url_says_what_to_do(url: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        validate.proxy_url(url)


def test_empty_proxy_means_none() -> None:
    assert validate.proxy_url("  ") is None


def test_test_numbers_pass_only_off_production() -> None:
    with pytest.raises(InvalidInput, match="country code"):
        validate.phone("+9996612345")  # production: strict, as before
    assert validate.phone("+9996612345", strict=False) == "+9996612345"
    assert validate.phone("9996621234", strict=False) == "+9996621234"
    with pytest.raises(InvalidInput, match="only digits"):
        validate.phone("99966abc", strict=False)
    assert servers.is_test_phone("99966 2 1234") and not servers.is_test_phone("+34600000001")


def test_session_target_keeps_a_migrated_dc_of_the_same_server() -> None:
    custom = Server(dc_id=2, host="127.0.0.1", port=8443)
    # an imported session still pointing at production: the server wins
    assert servers.session_target(custom, 2, "149.154.167.51", 443) == (2, "127.0.0.1", 8443)
    assert servers.session_target(custom, 4, "149.154.167.91", 443) == (2, "127.0.0.1", 8443)
    # already there, or moved to another DC of the same server: kept
    assert servers.session_target(custom, 2, "127.0.0.1", 8443) is None
    assert servers.session_target(custom, 1, "127.0.0.1", 8444) is None
    test = servers.test_server(2)
    assert servers.session_target(test, 1, servers.TEST_DCS[1], 443) is None
    assert servers.session_target(test, 2, "149.154.167.51", 443) == (2, "149.154.167.40", 443)


def test_change_note_says_when_a_new_login_is_needed() -> None:
    a = Server(dc_id=2, host="127.0.0.1", port=8443, rsa_key_file="/k.pem")
    assert servers.change_note(a, a) == ""
    assert "kept" in servers.change_note(a, Server(2, "10.0.0.5", 443, "/k.pem"))
    assert "log in again" in servers.change_note(a, Server(3, "127.0.0.1", 8443, "/k.pem"))
    assert "log in again" in servers.change_note(a, Server(2, "127.0.0.1", 8443, "/other.pem"))
    assert "log in again" in servers.change_note(None, a)


def test_server_settings_for_the_wizard(tmp_path: Path) -> None:
    """One call from what a form holds: address, DC, key file, test switch."""
    assert validate.server_settings() is None
    assert validate.server_settings("127.0.0.1:8443", "3") == Server(3, "127.0.0.1", 8443)
    assert validate.server_settings(test=True) == servers.test_server(2)
    assert validate.server_settings("149.154.167.40:80", test=True) == Server(
        2, "149.154.167.40", 80, "", test=True
    )
    with pytest.raises(InvalidInput, match="goes with a server address"):
        validate.server_settings("", "2")
    with pytest.raises(InvalidInput, match="DCs 1, 2 and 3"):
        validate.server_settings(dc="5", test=True)
    with pytest.raises(InvalidInput, match="published key"):
        validate.server_settings(rsa_key=str(tmp_path / "k.pem"), test=True)
