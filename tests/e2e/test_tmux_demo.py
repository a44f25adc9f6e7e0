"""The installed `tgtui --demo` in a real terminal (tmux), driven by keys like a person.

Adds an account by code with 2FA, sees it become OK, removes it (logging out), undoes the
removal, and quits — at 80x24 and 120x40, and once with TERM=screen and NO_COLOR=1.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, app_env, require_tmux, tgtui_bin
from tgtui.telegram.demo import DEMO_2FA_PHONE, DEMO_API_HASH, DEMO_API_ID, DEMO_PASSWORD

pytestmark = pytest.mark.tmux

require_tmux()


def _env(tmp_path: Path, term: str, no_color: bool) -> dict[str, str]:
    return app_env(tmp_path, TERM=term, **({"NO_COLOR": "1"} if no_color else {}))


@pytest.mark.parametrize(
    ("width", "height", "term", "no_color"),
    [
        (80, 24, "xterm-256color", False),
        (120, 40, "xterm-256color", False),
        (80, 24, "screen", True),
    ],
    ids=["80x24", "120x40", "screen-no-color"],
)
def test_add_with_2fa_remove_undo_quit(
    tmp_path: Path, width: int, height: int, term: str, no_color: bool
) -> None:
    term_ = Terminal(
        f"{tgtui_bin()} --demo", width=width, height=height, env=_env(tmp_path, term, no_color)
    )
    try:
        # The list of sample accounts, in every state, readable without colour.
        term_.wait_for(r"tgtui .*DEMO")
        term_.wait_for(r"@ann_ops.*● OK")
        term_.wait_for(r"⊘ BANNED")
        term_.wait_for(r"◷ FLOOD \d+:\d\d")

        # Add an account by code with 2FA.
        term_.settle()
        term_.keys("a")
        term_.wait_for(r"Add a Telegram account")
        term_.wait_for(r"Digits only, shown as 'App api_id'")
        term_.settle()
        term_.type(str(DEMO_API_ID))
        term_.wait_for(r"✓ looks right")
        term_.keys("Tab")
        term_.settle()  # focus moves after the key is handled: type only then
        term_.type(DEMO_API_HASH)
        term_.wait_for(r"✓ 32 characters")
        assert DEMO_API_HASH not in term_.screen().split("Demo: use")[-1].split("\n", 2)[-1]
        term_.keys("Enter")
        term_.wait_for(r"Phone number, with its country code")
        term_.settle()
        term_.type(DEMO_2FA_PHONE)
        term_.keys("Enter")
        code = term_.wait_for(r"Demo: the code is (\d+)").group(1)
        term_.wait_for(r"Telegram sent the code")
        term_.settle()
        term_.type(code)
        term_.keys("Enter")
        term_.wait_for(r"hint: the word demo")
        term_.settle()
        term_.type(DEMO_PASSWORD)
        assert DEMO_PASSWORD not in re.sub(r"(?m)^.*hint: the word demo.*$", "", term_.screen())
        term_.keys("Enter")
        term_.wait_for(r"Logged in as @sam_2fa")
        term_.keys("Enter")
        term_.wait_for(r"tgtui .*DEMO")
        row = term_.wait_for(r"^.*@sam_2fa.*● OK.*$").group(0)
        assert "+1 555 ••• 00" in row  # the phone is masked in the list
        assert "0100200" not in term_.screen()

        # Remove it: logging out is off until ticked, and the tick reads without colour;
        # the dialog's own keys are in the footer. Tick it, then remove, then undo.
        term_.settle()
        term_.keys("d")
        term_.wait_for(r"Remove account")
        term_.wait_for(r"▐ ▌ Also log out on Telegram")
        term_.wait_for(r"Remove locally only")
        term_.wait_for(r"esc Cancel")
        term_.settle()
        term_.keys("Space")
        term_.wait_for(r"▐X▌ Also log out on Telegram")
        term_.wait_for(r"Log out and remove ")  # the whole label, on the button
        term_.wait_for(r"not the login")
        term_.settle()
        term_.keys("Enter")
        term_.wait_gone(r"@sam_2fa")
        term_.settle()
        term_.keys("u")
        term_.wait_for(r"@sam_2fa")

        term_.settle()
        term_.keys("q")
        assert term_.exit_code() == 0
    finally:
        term_.close()


def test_status_json_in_a_real_terminal(tmp_path: Path) -> None:
    out = tmp_path / "status.json"
    term_ = Terminal(
        f"{tgtui_bin()} --demo status --json > {out}",
        width=80,
        height=24,
        env=_env(tmp_path, "xterm-256color", False),
    )
    try:
        code = term_.exit_code(timeout=60)
    finally:
        term_.close()
    data = json.loads(out.read_text())
    states = {a["name"]: a["state"] for a in data["accounts"]}
    assert states == {
        "work": "ok",
        "shop-bot": "ok",
        "promo": "flood_wait",
        "old-phone": "revoked",
        "eu-proxy": "offline",
        "spam-test": "banned",
    }
    assert code == 1  # some accounts need attention, so cron alerts
    assert data["summary"] == {"ok": 2, "attention": 4}
    assert not (tmp_path / "real-config").exists()  # the demo never touches the real config


def test_tgtui_is_the_installed_script() -> None:
    res = subprocess.run([str(tgtui_bin()), "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.startswith("tgtui ")


def test_bad_config_toml_opens_the_app_with_a_warning(tmp_path: Path) -> None:
    env = _env(tmp_path, "xterm-256color", False)
    config = Path(env["TGTUI_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text("refresh_interval = 30\nconcurrency = 'lots'\n")
    term_ = Terminal(str(tgtui_bin()), width=100, height=30, env=env)
    try:
        term_.wait_for(r"No Telegram accounts yet")  # the app is up, on default settings
        term_.wait_for(r"config\.toml:2")  # and says which file and line to fix
        term_.keys("q")
        assert term_.exit_code() == 0
    finally:
        term_.close()
    assert (config / "config.toml").read_text().endswith("'lots'\n")  # left untouched
