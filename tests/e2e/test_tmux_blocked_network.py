"""A network where Telegram is blocked, in a real terminal: the server's port answers like
a captive portal (HTTP) or accepts and never answers. `tgtui add` over SSH must name the
address and what happened, never show a traceback, and save nothing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rsa

from tests.e2e.tmux import Terminal, app_env, require_tmux, tgtui_bin

pytestmark = pytest.mark.tmux

require_tmux()

KEY = Path(__file__).parent.parent / "data" / "wire-server-rsa.pem"
PORTAL = b"HTTP/1.1 302 Found\r\nLocation: http://portal.example/login\r\nContent-Length: 0\r\n\r\n"


@contextmanager
def middlebox(answer: bytes | None) -> Iterator[str]:
    """A port on 127.0.0.1 that answers every connection with `answer` (None: silence)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)
            if answer is not None:
                try:
                    conn.recv(4096)
                    conn.sendall(answer)
                    conn.close()
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()
        for conn in held:
            conn.close()


def _public_key(tmp_path: Path) -> Path:
    private = rsa.PrivateKey.load_pkcs1(KEY.read_bytes())
    path = tmp_path / "server.pub"
    path.write_bytes(rsa.PublicKey(private.n, private.e).save_pkcs1())
    return path


def _env(tmp_path: Path) -> dict[str, str]:
    return app_env(tmp_path, config="config")


def _add_through(
    address: str, tmp_path: Path, timeout: str, expect: str
) -> tuple[str, int]:
    """Run `tgtui add` against `address` at 80x24 as a person would, wait for `expect`,
    then leave with Ctrl+C at the next prompt; the screen and the exit code."""
    command = (
        f"{tgtui_bin()} add shop --server {address} --dc 2 --rsa-key {_public_key(tmp_path)}"
    )
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "config.toml").write_text(f"check_timeout = {timeout}\n")
    term = Terminal(command, width=80, height=24, env=_env(tmp_path))
    try:
        term.wait_for(r"api_id")
        term.type("1234567")
        term.keys("Enter")
        term.wait_for(r"api_hash")
        term.type("0123456789abcdef0123456789abcdef")
        term.keys("Enter")
        term.wait_for(r"[Pp]hone number")
        term.type("+15550100100")
        term.keys("Enter")
        term.wait_for(expect, timeout=60)
        term.wait_for(r"Phone number, with country code:\s*$")  # asked again: fix and retry
        screen = term.screen()
        term.keys("C-c")
        code = term.exit_code(timeout=15)
        return screen + term.screen(), code
    finally:
        term.close()


def test_a_captive_portal_is_named_not_a_traceback(tmp_path: Path) -> None:
    with middlebox(PORTAL) as address:
        screen, code = _add_through(address, tmp_path, "5", "did not answer as a Telegram")
    assert f"{address} did not answer as a Telegram server" in screen, screen
    assert "Traceback" not in screen and "IncompleteReadError" not in screen, screen
    assert code != 0
    assert not (tmp_path / "config" / "accounts" / "shop").exists()


def test_a_silent_port_says_how_long_it_waited(tmp_path: Path) -> None:
    with middlebox(None) as address:
        screen, code = _add_through(address, tmp_path, "3", r"✗ .*3 s")
    assert address in screen, screen
    assert "3 s" in screen, screen
    assert "Traceback" not in screen, screen
    assert code != 0
    assert not (tmp_path / "config" / "accounts" / "shop").exists()
