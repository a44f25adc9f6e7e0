"""`tgtui doctor`: permissions, secrets, versions, locks, broken files, reachability."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from wire_support import TEST_KEY, wire_in_thread

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.cli import main
from tgtui.telegram.sim.wire import ServerKey

HASH = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def listener() -> Iterator[str]:
    """The wire server's DC 2 standing in for Telegram (tests never touch the network)."""
    from telethon.crypto import rsa as tl_rsa

    key = ServerKey.load_or_create(TEST_KEY)
    tl_rsa.add_key(key.public_pem(), old=False)  # as a [server] rsa key setting would
    with wire_in_thread(key) as wire:
        yield wire.address(2)


def _closed_port() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"127.0.0.1:{port}"


def _store(root: Path) -> AccountStore:
    from tgtui.config import prepare

    return AccountStore(prepare(root), SecretStore(mode="off"))


def test_clean_machine_exits_0(config_root: Path, listener: str, capsys) -> None:
    _store(config_root).create(Account(name="work", api_id=12345, phone="+15551234567"), HASH)
    code = main(["--config-dir", str(config_root), "doctor", "--target", listener])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"Config     {config_root} (mode 0700)" in out
    assert "Secrets    private file, because" in out
    assert "Telethon 1." in out and "Textual " in out and "Python 3." in out
    assert f"{listener} reachable, answers MTProto (key exchange" in out
    assert "No problems found." in out
    assert HASH not in out


def test_problems_are_flagged_with_pitfalls(config_root: Path, capsys) -> None:
    store = _store(config_root)
    acc = store.create(Account(name="work", api_id=12345, phone="+15551234567"), HASH)
    session = acc.folder / "session.session"
    session.write_bytes(b"")
    os.chmod(session, 0o644)
    os.chmod(acc.folder, 0o755)
    (store.folder("bad")).mkdir(mode=0o700)
    (store.folder("bad") / "account.toml").write_text("api_id = [oops\n")
    with store.lock("work"):
        code = main(["--config-dir", str(config_root), "doctor", "--target", _closed_port()])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{session} is open to other users (mode 0644)" in out
    assert f"chmod 700 '{acc.folder}'" in out
    assert f"Locked     work: in use by pid {os.getpid()}" in out
    assert "Accounts   2 (1 unreadable)" in out
    assert "pitfall: tgtui says one of its files is broken" in out
    assert "cannot be reached" in out
    assert "pitfall: tgtui cannot reach Telegram at all" in out


def test_keyring_required_but_missing_is_a_problem(
    config_root: Path, listener: str, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("TGTUI_KEYRING", "on")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    code = main(["--config-dir", str(config_root), "doctor", "--target", listener])
    out = capsys.readouterr().out
    assert code == 1
    assert "secrets cannot be saved" in out
    assert "pitfall: There is no usable keyring over SSH" in out


def test_no_network_and_bad_target(config_root: Path, capsys) -> None:
    assert main(["--config-dir", str(config_root), "doctor", "--no-network"]) == 0
    assert "not checked (--no-network)" in capsys.readouterr().out
    assert main(["--config-dir", str(config_root), "doctor", "--target", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HOST:PORT" in err


@pytest.mark.parametrize("kind", ["http", "random"])
def test_a_port_that_accepts_tcp_but_is_not_telegram_is_a_problem(
    config_root: Path, capsys, kind: str
) -> None:
    """Issue 16 item 2: a TCP connect said "reachable" for a middlebox or a web server."""
    key = ServerKey.load_or_create(TEST_KEY)
    with wire_in_thread(key, kind=kind, step="connect") as wire:
        target = wire.address(2)
        code = main(["--config-dir", str(config_root), "doctor", "--target", target])
    out = capsys.readouterr().out
    assert code == 1, out
    assert f"{target} did not answer as a Telegram server" in out
    assert "reachable" not in out
    assert "pitfall: The server's port did not answer as a Telegram server" in out


def test_a_silent_port_times_out_the_handshake(config_root: Path, capsys) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)  # accepts TCP, never says a word (a filter that drops the traffic)
    try:
        target = f"127.0.0.1:{sock.getsockname()[1]}"
        code = main(["--config-dir", str(config_root), "doctor", "--target", target])
    finally:
        sock.close()
    out = capsys.readouterr().out
    assert code == 1, out
    assert f"{target} did not answer the MTProto handshake within" in out


def test_doctor_says_where_the_log_is(config_root: Path, capsys) -> None:
    from tgtui.config import log_dir

    main(["--config-dir", str(config_root), "doctor", "--no-network"])
    out = capsys.readouterr().out
    assert f"Log        {log_dir() / 'tgtui.log'}" in out
