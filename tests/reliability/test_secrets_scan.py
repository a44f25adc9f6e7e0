"""No secret lands anywhere it should not: files, logs, screenshots, output, command lines.

With a working keyring (an in-memory test backend through keyring.set_keyring), a full
login (wrong code, right code, wrong 2FA password, right password), a wizard login in
the TUI with screenshots, `status`, `list`, `export`, `doctor`, `secrets where` in-process
and in child processes, and tgtui's loggers at DEBUG into the log dir. Then every file
under the config, log and screenshot folders (SQLite as bytes), every captured output and
the command lines of the child processes are searched for the api_hash, the login code,
the 2FA password, the session string and the auth key (hex, and raw bytes, which only
accounts/*/session.session may hold). Only `export` may print the session string, on
stdout.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties

from reliability.support import API_ID, PASSWORD, PHONE_2FA, figures, make_world
from tgtui.accounts.secrets import SecretStore
from tgtui.cli import main
from tgtui.commands import common, prompts
from tgtui.config import log_dir
from tgtui.telegram.errors import TelegramFailure
from tgtui.telegram.flow import LoginFlow, Step

SECRET_HASH = "5ec2e7a55ec2e7a55ec2e7a55ec2e7a5"
TESTS = Path(__file__).parent.parent


class MemoryKeyring(KeyringBackend):
    """A working keyring in memory (test-only: never auto-selected)."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only backend")

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MemoryKeyring:
    for var in ("TGTUI_KEYRING", "PYTHON_KEYRING_BACKEND", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/test-bus")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def needles(code: str, string: str, key: bytes) -> dict[str, re.Pattern[bytes]]:
    """What must not be found, as byte patterns."""
    return {
        "api_hash": re.compile(re.escape(SECRET_HASH.encode()), re.I),
        "password": re.compile(re.escape(PASSWORD.encode())),
        "code": re.compile(rb"(?<!\d)" + code.encode() + rb"(?!\d)"),
        "session_string": re.compile(re.escape(string.encode())),
        "session_string_tail": re.compile(re.escape(string[40:120].encode())),
        "auth_key_hex": re.compile(re.escape(key.hex().encode()), re.I),
        "auth_key_hex_part": re.compile(re.escape(key.hex()[64:128].encode()), re.I),
        "auth_key_raw": re.compile(re.escape(key)),
    }


async def ui_screens(tg: Any, sim: Any, shots: Path) -> list[str]:
    """The list and every wizard step, saved as SVG screenshots; a second login via the UI."""
    from test_ui_wizard_support import WizardApp, paste, settle, type_text

    from tgtui.ui.app import TgtuiApp

    saved: list[str] = []
    app = TgtuiApp(tg, start_monitor=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        saved.append(app.save_screenshot("list.svg", str(shots)))
    wizard = WizardApp(tg)

    async def until(pilot: Any, step: str) -> None:
        for _ in range(100):
            if getattr(pilot.app.screen, "step", None) == step:
                return
            await pilot.pause(0.02)
        raise AssertionError(f"wizard did not reach {step}")

    async with wizard.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, str(API_ID))
        await pilot.press("tab")
        await paste(pilot, SECRET_HASH)
        saved.append(wizard.save_screenshot("wizard-credentials.svg", str(shots)))
        await pilot.press("enter")
        await until(pilot, "phone")
        await type_text(pilot, PHONE_2FA)
        await pilot.press("enter")
        await until(pilot, "code")
        saved.append(wizard.save_screenshot("wizard-code.svg", str(shots)))
        await type_text(pilot, sim.last_code(PHONE_2FA))
        await pilot.press("enter")
        await until(pilot, "password")
        await type_text(pilot, PASSWORD)
        saved.append(wizard.save_screenshot("wizard-password.svg", str(shots)))
        await pilot.press("enter")
        await until(pilot, "done")
        saved.append(wizard.save_screenshot("wizard-done.svg", str(shots)))
    return saved


def child_cmdlines(pid: int) -> list[bytes]:
    """The command line of `pid` and of its children, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == pid or ppid == pid:
                found.append((entry / "cmdline").read_bytes())
        except (OSError, ValueError, IndexError):
            continue
    return found


async def login(tg: Any, sim: Any) -> tuple[str, tuple[str, str]]:
    """A 2FA login with a wrong code and a wrong password first; (code, error texts)."""
    flow = LoginFlow(tg, name="acct")
    await flow.set_credentials(API_ID, SECRET_HASH)
    await flow.send_code(PHONE_2FA)
    code = sim.last_code(PHONE_2FA)
    wrong = f"{(int(code) + 1) % 100000:05d}"
    with pytest.raises(TelegramFailure) as wrong_code:
        await flow.sign_in_code(wrong)
    await flow.sign_in_code(code)
    with pytest.raises(TelegramFailure) as wrong_password:
        await flow.sign_in_password(PASSWORD + "x")
    await flow.sign_in_password(PASSWORD)
    assert flow.step is Step.DONE
    return code, (str(wrong_code.value), str(wrong_password.value) + repr(flow))


def test_no_secret_leaks_anywhere(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scan every file, output and command line after full flows: 0 leaks."""
    from telethon.sessions import SQLiteSession

    secrets = SecretStore()
    assert secrets.probe().kind == "keyring"
    tg, sim, _ = make_world(tmp_path / "cfg", secrets=secrets)
    sim.add_app(API_ID, SECRET_HASH)  # our app's real hash is the secret one
    root, logs, shots = tg.root, log_dir(), tmp_path / "shots"
    shots.mkdir()
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(logs / "debug.log")
    handler.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("tgtui", "telethon", "textual")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    outputs: dict[str, tuple[str, str]] = {}
    cmdlines: list[bytes] = []
    try:
        code, errors = asyncio.run(login(tg, sim))
        outputs["errors"] = errors
        account = tg.store.get("acct")
        session = SQLiteSession(str(account.session_path))
        key = session.auth_key.key
        session.close()
        assert not list(root.rglob("secrets.toml"))  # the keyring took the api_hash
        assert SECRET_HASH in memory_keyring.items.values()

        with common.override_telegram(tg), prompts.use(prompts.Scripted([])):
            for argv in (
                ["status"],
                ["status", "--json"],
                ["list", "--json"],
                ["secrets", "where"],
                ["doctor"],
                ["troubleshoot", "PASSWORD_HASH_INVALID"],
                ["export", "acct", "--string"],
            ):
                code_ = main(argv)
                outputs[" ".join(argv)] = capsys.readouterr()
                assert code_ in (0, 1), (argv, code_, outputs[" ".join(argv)])
        string = outputs["export acct --string"][0].strip()
        assert string.startswith("1") and len(string) > 300

        env = dict(os.environ, TGTUI_CONFIG_DIR=str(root), TGTUI_KEYRING="off")
        env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
        for argv in (["export", "acct", "--string"], ["doctor", "--no-network"]):
            child = subprocess.Popen(
                [sys.executable, "-m", "tgtui", *argv],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            cmdlines += child_cmdlines(child.pid)
            out, err = child.communicate(timeout=60)
            cmdlines += child_cmdlines(child.pid)
            outputs["child " + " ".join(argv)] = (out, err)

        ui_note = "scanned"
        try:
            screenshots = asyncio.run(ui_screens(tg, sim, shots))
        except ImportError as exc:  # the UI is not there yet
            screenshots, ui_note = [], f"not scanned ({exc})"
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
        handler.close()

    patterns = needles(code, string, key)
    # Positive controls: the scan does find the key where it belongs, and the string in export.
    assert patterns["auth_key_raw"].search((root / "accounts/acct/session.session").read_bytes())
    assert patterns["session_string"].search(outputs["export acct --string"][0].encode())
    leaks: list[str] = []
    places = 0
    for top in (root, logs, shots):
        for path in sorted(p for p in top.rglob("*") if p.is_file()):
            places += 1
            data = path.read_bytes()
            rel = path.relative_to(top.parent).as_posix()
            for what, rx in patterns.items():
                if not rx.search(data):
                    continue
                if what == "auth_key_raw" and re.fullmatch(
                    r"cfg/accounts/[^/]+/session\.session", rel
                ):
                    continue  # the session file is where the key belongs
                if what == "code" and path.name == "wizard-code.svg":
                    continue  # typed by the person on the code step (single use, spent)
                leaks.append(f"{what} in {rel}")
    for name, (out, err) in outputs.items():
        places += 2
        for stream, text in (("stdout", out), ("stderr", err)):
            for what, rx in patterns.items():
                if rx.search(text.encode()):
                    exported = name.endswith("export acct --string") and stream == "stdout"
                    if exported and what.startswith("session_string"):
                        continue  # export prints the string, on stdout only
                    leaks.append(f"{what} in {stream} of {name}")
    for line in cmdlines:
        places += 1
        leaks += [f"{what} in a command line" for what, rx in patterns.items() if rx.search(line)]
    figures(
        "secrets.scan",
        places_scanned=places,
        files=places - 2 * len(outputs) - len(cmdlines),
        outputs=2 * len(outputs),
        command_lines=len(cmdlines),
        screenshots=len(screenshots),
        ui=ui_note,
        leaks=len(leaks),
        leak_list=leaks,
    )
    assert leaks == []
