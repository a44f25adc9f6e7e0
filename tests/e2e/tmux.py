"""A tiny driver for a real terminal: tmux runs the installed `tgtui`, we type and read."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path


def tgtui_bin() -> Path:
    """The installed console script next to this Python (what a user runs)."""
    return Path(sys.executable).parent / "tgtui"


def tmux_usable() -> str:
    """Empty when tmux can run here, else the reason it cannot."""
    if shutil.which("tmux") is None:
        return "tmux is not installed (apt-get install tmux)"
    probe = subprocess.run(
        ["tmux", "-L", f"probe-{uuid.uuid4().hex[:6]}", "-f", "/dev/null", "new", "-d", "true"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return f"tmux cannot start a server here: {probe.stderr.strip()}"
    return ""


class Terminal:
    """One tmux session on a private server, of a fixed size, running one command."""

    def __init__(self, command: str, *, width: int, height: int, env: dict[str, str]) -> None:
        self.socket = f"tgtui-e2e-{uuid.uuid4().hex[:8]}"
        self.done = Path(f"/tmp/{self.socket}.exit")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # COLUMNS/LINES inherited from the test process (pytest sets 80x24) would make the
        # program believe in that size whatever the pane's: the pane's own size must win.
        wrapped = f"env -u COLUMNS -u LINES {exports} {command}; echo $? > {self.done}; sleep 600"
        self._tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), wrapped)

    def _tmux(self, *args: str) -> str:
        res = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if res.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {res.stderr.strip()}")
        return res.stdout

    def screen(self) -> str:
        """What a person sees now, as text."""
        return self._tmux("capture-pane", "-p", "-t", "main")

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux key names like Enter, Tab, Escape; or literal text)."""
        self._tmux("send-keys", "-t", "main", *(("-l",) if literal else ()), *keys)

    def type(self, text: str) -> None:
        """Type text literally."""
        self.keys(text, literal=True)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> re.Match[str]:
        """Wait until the screen matches `pattern` (a regex); fail with the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            found = re.search(pattern, screen, re.MULTILINE)
            if found:
                return found
            time.sleep(0.15)
        raise AssertionError(f"never saw {pattern!r}; the screen was:\n{screen}")

    def settle(self, quiet: float = 0.4, timeout: float = 10.0) -> None:
        """Wait until the screen stops changing for `quiet` seconds (a screen is mounted)."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def wait_gone(self, pattern: str, timeout: float = 20.0) -> None:
        """Wait until nothing on the screen matches `pattern`."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if not re.search(pattern, screen, re.MULTILINE):
                return
            time.sleep(0.15)
        raise AssertionError(f"{pattern!r} stayed on screen:\n{screen}")

    def exit_code(self, timeout: float = 15.0) -> int:
        """Wait for the command to end and return its exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.done.exists() and self.done.read_text().strip():
                return int(self.done.read_text())
            time.sleep(0.1)
        raise AssertionError(f"the program did not exit; the screen was:\n{self.screen()}")

    def close(self) -> None:
        """Stop the tmux server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.done.unlink(missing_ok=True)


def require_tmux() -> None:
    """Skip the calling test module when tmux cannot run here or tgtui is not installed
    (in CI, conftest turns such a skip into a failure)."""
    import pytest

    reason = tmux_usable()
    if reason:
        pytest.skip(reason, allow_module_level=True)
    if not tgtui_bin().exists():
        pytest.skip("tgtui is not installed in this environment", allow_module_level=True)


def app_env(tmp_path: Path, config: str = "real-config", **extra: str) -> dict[str, str]:
    """The environment tgtui runs in under tmux: a private home, config (`tmp_path /
    config`) and log folder, no keyring, no animations; `extra` variables added."""
    import os

    env = {
        "TERM": "xterm-256color",
        "HOME": str(tmp_path / "home"),
        "TGTUI_CONFIG_DIR": str(tmp_path / config),
        "TGTUI_LOG_DIR": str(tmp_path / "log"),
        "TGTUI_KEYRING": "off",
        "TEXTUAL_ANIMATIONS": "none",
        "PATH": os.environ.get("PATH", ""),
    }
    env.update(extra)
    return env
