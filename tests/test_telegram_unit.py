"""The Telegram layer without a network: error mapping, proxies, the ledger, laziness."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tgtui.accounts import InvalidInput
from tgtui.accounts.fsutil import is_private
from tgtui.telegram.errors import SURFACED, TelegramFailure, to_failure
from tgtui.telegram.ledger import Ledger

# ---------------------------------------------------------------- errors


def test_rpc_errors_become_their_names() -> None:
    from telethon import errors

    f = to_failure(errors.PhoneCodeInvalidError(request=None), "code")
    assert (f.name, f.stage, f.exc_type) == ("PHONE_CODE_INVALID", "code", "PhoneCodeInvalidError")
    assert f.message and "PHONE_CODE" not in f.message
    assert to_failure(errors.AuthKeyDuplicatedError(request=None)).name == "AUTH_KEY_DUPLICATED"
    assert to_failure(errors.UserDeactivatedBanError(request=None)).name == "USER_DEACTIVATED_BAN"
    assert to_failure(errors.ApiIdInvalidError(request=None)).name == "API_ID_INVALID"


@pytest.mark.parametrize(
    ("cls", "premium"), [("FloodWaitError", False), ("FloodPremiumWaitError", True)]
)
def test_flood_waits_carry_seconds(cls: str, premium: bool) -> None:
    from telethon import errors

    f = to_failure(getattr(errors, cls)(request=None, capture=4000), "phone")
    assert f.name == "FLOOD_WAIT"
    assert f.seconds == 4000
    assert str(f) == f.message  # what the user reads
    assert f.message.startswith("Telegram asks to wait 67 min before trying this again.")
    assert ("(a limit for accounts without Premium)" in f.message) is premium


def test_unknown_rpc_error_keeps_telegrams_name() -> None:
    from telethon import errors

    exc = errors.RPCError(request=None, message="SOMETHING_NEW", code=400)
    assert to_failure(exc).name == "SOMETHING_NEW"


@pytest.mark.parametrize(
    ("exc", "name", "exc_type"),
    [
        (
            ConnectionRefusedError(111, "Connection refused"),
            "ConnectionError",
            "ConnectionRefusedError",
        ),
        (ConnectionError("Connection to Telegram failed 1 time(s)"), "ConnectionError", None),
        (TimeoutError(), "TimeoutError", "TimeoutError"),
        (asyncio.TimeoutError(), "TimeoutError", None),
        (socket.gaierror(-2, "Name or service not known"), "OSError", "gaierror"),
        (OSError(101, "Network is unreachable"), "OSError", "OSError"),
        (sqlite3.OperationalError("database is locked"), "SESSION_LOCKED", "OperationalError"),
        (sqlite3.DatabaseError("file is not a database"), "SESSION_CORRUPT", "DatabaseError"),
        (ImportError("No module named 'python_socks'"), "ProxyError", "ImportError"),
    ],
)
def test_os_and_sqlite_errors(exc: BaseException, name: str, exc_type: str | None) -> None:
    f = to_failure(exc, "session")
    assert f.name == name
    assert f.name in SURFACED
    if exc_type:
        assert f.exc_type == exc_type
    assert f.message


def test_proxy_error_by_shape() -> None:
    class ProxyError(Exception):
        pass

    ProxyError.__module__ = "python_socks._errors"
    assert to_failure(ProxyError("bad auth")).name == "ProxyError"


def test_telegram_failure_passes_through() -> None:
    from tgtui.failure import Failure

    inner = Failure("SECRET_MISSING", "x")
    assert to_failure(TelegramFailure(inner)) is inner


def test_messages_never_echo_the_request() -> None:
    from telethon import errors
    from telethon.tl import functions, types

    secret = "0123456789abcdef0123456789abcdef"
    req = functions.auth.SendCodeRequest("+34600000000", 1, secret, types.CodeSettings())
    f = to_failure(errors.ApiIdInvalidError(request=req))
    assert secret not in f.message and secret not in str(f)


# ---------------------------------------------------------------- proxies


def test_validate_proxy_accepts_and_cleans() -> None:
    from tgtui.telegram.client import validate_proxy

    p = validate_proxy("SOCKS5", " 10.0.0.1 ", "1080", username="bob")
    assert (p.kind, p.host, p.port, p.username) == ("socks5", "10.0.0.1", 1080, "bob")
    assert validate_proxy("http", "proxy.example.com", 3128).kind == "http"
    m = validate_proxy("mtproxy", "mt.example.com", 443, secret="dd" + "ab" * 16)
    assert m.kind == "mtproxy" and m.secret_ref == "proxy"  # the secret goes to the store


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("ftp", "h", 1), "socks5, http or mtproxy"),
        (("socks5", "", 1), "host"),
        (("socks5", "socks5://h", 1), "without"),
        (("socks5", "h", "abc"), "number"),
        (("socks5", "h", 70000), "65535"),
        (("mtproxy", "h", 443), "secret"),
        (("mtproxy", "h", 443, "xyz"), "32 hex"),
        (("mtproxy", "h", 443, "ee" + "ab" * 16 + "676f6f676c652e636f6d"), "fake-TLS"),
    ],
)
def test_validate_proxy_says_what_to_fix(args: tuple, words: str) -> None:
    from tgtui.telegram.client import validate_proxy

    with pytest.raises(InvalidInput, match=words):
        validate_proxy(*args)


def test_telethon_proxy_forms() -> None:
    from telethon.network.connection import ConnectionTcpMTProxyRandomizedIntermediate

    from tgtui.telegram.client import telethon_proxy, validate_proxy

    conn, arg = telethon_proxy(validate_proxy("socks5", "h", 1080, username="u"), "pw")
    assert conn is None
    assert arg == {
        "proxy_type": "socks5",
        "addr": "h",
        "port": 1080,
        "rdns": True,
        "username": "u",
        "password": "pw",
    }
    secret = "dd" + "ab" * 16
    conn, arg = telethon_proxy(validate_proxy("mtproxy", "h", 443, secret), secret)
    assert conn is ConnectionTcpMTProxyRandomizedIntermediate
    assert arg == ("h", 443, secret)
    with pytest.raises(TelegramFailure) as err:
        telethon_proxy(validate_proxy("mtproxy", "h", 443, secret), None)
    assert err.value.failure.name == "CONFIG_INVALID"


def test_rsa_key_file(tmp_path: Path) -> None:
    import rsa
    from telethon.crypto import rsa as tl_rsa

    from tgtui.telegram.client import load_rsa_key

    pub, _ = rsa.newkeys(512)
    pem = tmp_path / "server.pem"
    pem.write_bytes(pub.save_pkcs1())
    before = len(tl_rsa._server_keys)
    load_rsa_key(pem)
    assert len(tl_rsa._server_keys) == before + 1
    bad = tmp_path / "bad.pem"
    bad.write_text("nope")
    with pytest.raises(TelegramFailure, match="RSA public key"):
        load_rsa_key(bad)
    with pytest.raises(TelegramFailure, match="cannot be read"):
        load_rsa_key(tmp_path / "missing.pem")


# ---------------------------------------------------------------- ledger


def test_ledger_remembers_floods_privately(tmp_path: Path) -> None:
    now = [1_000_000.0]
    ledger = Ledger(tmp_path / "ledger", lambda: now[0])
    phone = "+34600000001"
    assert ledger.flood_left(phone) == 0
    ledger.record_request(phone, "send")
    until = ledger.record_flood(phone, 300)
    assert until.timestamp() == 1_000_300.0
    assert ledger.flood_left(phone) == 300
    path = ledger.path(phone)
    assert phone not in str(path) and "600000001" not in path.read_text()
    assert is_private(path)
    # a new Ledger (a restart) still knows
    again = Ledger(tmp_path / "ledger", lambda: now[0] + 100)
    assert again.flood_left(phone) == 200
    assert [r["kind"] for r in again.requests(phone)] == ["send"]
    now[0] += 301
    assert ledger.flood_left(phone) == 0
    assert ledger.flood_left("+34600000002") == 0


def test_ledger_survives_a_damaged_file(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, lambda: 0.0)
    ledger.path("+1").parent.mkdir(parents=True, exist_ok=True)
    ledger.path("+1").write_text("[[[")
    assert ledger.flood_left("+1") == 0
    ledger.record_request("+1", "send")
    assert len(ledger.requests("+1")) == 1


# ---------------------------------------------------------------- laziness


@pytest.mark.parametrize(
    "module",
    [
        "tgtui.telegram",
        "tgtui.telegram.context",
        "tgtui.telegram.errors",
        "tgtui.telegram.client",
        "tgtui.telegram.health",
        "tgtui.telegram.monitor",
        "tgtui.telegram.flow",
        "tgtui.telegram.ledger",
        "tgtui.telegram.actions",
    ],
)
def test_importing_does_not_load_telethon(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "from tgtui.telegram import Telegram, TelegramFailure, LoginFlow, SessionMonitor, check\n"
        "assert 'telethon' not in sys.modules, sorted(m for m in sys.modules if 'telethon' in m)\n"
        "print('ok')"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


def test_making_a_client_loads_telethon(tmp_path: Path) -> None:
    code = f"""
import sys, asyncio
from pathlib import Path
from tgtui.config import prepare
from tgtui.accounts import AccountStore, Account
from tgtui.telegram import Telegram
from tgtui.telegram.client import make_client
root = prepare(Path({str(tmp_path)!r}))
store = AccountStore(root)
tg = Telegram(store)
folder = root / "accounts" / "x"; folder.mkdir()
assert "telethon" not in sys.modules
async def main():
    client = make_client(tg, Account("x", 12345, "+34600000000", folder=folder), "0" * 32)
    client.session.close()
asyncio.run(main())
assert "telethon" in sys.modules
print("ok")
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "accounts" / "x" / "session.session").exists()
    assert is_private(tmp_path / "accounts" / "x" / "session.session")


async def test_custom_server_and_its_key(tmp_path: Path) -> None:
    """A fresh session points at the account's own server; its RSA key is registered."""
    import rsa
    from telethon.crypto import rsa as tl_rsa

    from tgtui.accounts import Account, AccountStore, Server
    from tgtui.config import prepare
    from tgtui.telegram import Telegram
    from tgtui.telegram.client import make_client

    pub, _ = rsa.newkeys(512)
    pem = tmp_path / "test-dc.pem"
    pem.write_bytes(pub.save_pkcs1())
    root = prepare(tmp_path / "cfg")
    folder = root / "accounts" / "t"
    folder.mkdir()
    server = Server(dc_id=2, host="149.154.167.40", port=443, rsa_key_file=str(pem))
    tg = Telegram(AccountStore(root))
    before = len(tl_rsa._server_keys)
    client = make_client(tg, Account("t", 1, "+99966", server=server, folder=folder), "0" * 32)
    try:
        assert (client.session.dc_id, client.session.server_address, client.session.port) == (
            2,
            "149.154.167.40",
            443,
        )
        assert len(tl_rsa._server_keys) == before + 1
    finally:
        client.session.close()
