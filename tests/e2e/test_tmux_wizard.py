"""The wizard in a real terminal (tmux): keys typed right after Tab, and a dropped SSH
connection (SIGHUP) in the middle of a login."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, app_env, require_tmux, tgtui_bin
from tgtui.telegram.demo import DEMO_API_HASH, DEMO_API_ID, DEMO_NEW_PHONE

pytestmark = pytest.mark.tmux

require_tmux()


def _env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return app_env(tmp_path, TMPDIR=str(tmp_path / "tmp"))  # the demo's config folder is made there


def _open_wizard(term: Terminal) -> None:
    term.wait_for(r"tgtui .*DEMO")
    term.settle()
    term.keys("a")
    term.wait_for(r"Digits only, shown as 'App api_id'")
    term.settle()


def test_keys_typed_right_after_tab_land_in_the_next_field(tmp_path: Path) -> None:
    term = Terminal(f"{tgtui_bin()} --demo", width=80, height=24, env=_env(tmp_path))
    try:
        _open_wizard(term)
        # One burst, as a fast typist or a tool that types for you sends it: api_id, Tab,
        # api_hash, Tab, label. Each part must land in its own field.
        term.type(f"{DEMO_API_ID}\t{DEMO_API_HASH}\tShop")
        term.wait_for(r"✓ looks right")
        screen = term.screen()
        assert f"{DEMO_API_ID}{DEMO_API_HASH[:4]}" not in screen, screen
        term.keys("Enter")  # valid api_id and api_hash: on to the phone number
        term.wait_for(r"Phone number, with its country code")
        term.keys("Escape")
        term.settle()
        term.keys("q")
        assert term.exit_code() == 0
    finally:
        term.close()


def test_a_dropped_connection_mid_login_leaves_no_pending_session(tmp_path: Path) -> None:
    term = Terminal(f"{tgtui_bin()} --demo", width=80, height=24, env=_env(tmp_path))
    try:
        _open_wizard(term)
        term.type(str(DEMO_API_ID))
        term.wait_for(r"✓ looks right")
        term.keys("Tab")
        term.type(DEMO_API_HASH)
        term.wait_for(r"✓ 32 characters")
        term.keys("Enter")
        term.wait_for(r"Phone number, with its country code")
        term.settle()
        term.type(DEMO_NEW_PHONE)
        term.keys("Enter")
        term.wait_for(r"Demo: the code is \d+")
        pending = list((tmp_path / "tmp").glob("tgtui-demo-*/pending/*-*"))
        assert pending, "the login has a pending session folder"
    finally:
        term.close()  # the terminal goes away: tgtui gets SIGHUP
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        left = list((tmp_path / "tmp").glob("tgtui-demo-*/pending/*-*"))
        if not left:
            break
        time.sleep(0.2)
    assert not left, left
    # ... and the program itself ends: no orphan left running after the SSH link dropped.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _running_in(tmp_path):
        time.sleep(0.2)
    assert not _running_in(tmp_path), "tgtui kept running after its terminal went away"


def _running_in(tmp_path: Path) -> list[int]:
    """Pids of processes whose environment names this test's log folder."""
    marker = f"TGTUI_LOG_DIR={tmp_path / 'log'}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            pids.append(int(proc.name))
    return pids


def test_at_60x20_the_qr_step_asks_for_a_bigger_terminal(tmp_path: Path) -> None:
    term = Terminal(f"{tgtui_bin()} --demo", width=60, height=20, env=_env(tmp_path))
    try:
        _open_wizard(term)
        term.type(f"{DEMO_API_ID}\t{DEMO_API_HASH}")
        term.wait_for(r"✓ looks right")
        term.keys("Enter")
        term.wait_for(r"Phone number, with its country code")
        term.settle()
        term.keys("F3")
        term.wait_for(r"make the terminal at least\s+60x\d+")
        screen = term.screen()
        assert "▀" not in screen and "▄" not in screen, screen  # no clipped code
        assert screen.splitlines()[0].strip() == "Add a Telegram account", screen
        term.keys("Escape")
        term.settle()
        term.keys("q")
        assert term.exit_code() == 0
    finally:
        term.close()
