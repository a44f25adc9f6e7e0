"""Shared test set-up.

- Every test gets its own config and log dirs, never the developer's.
- `Clock` is the one hand-moved clock and `make_tg` the one way to build a `Telegram` over
  a fresh store; the `clock`, `server` (the simulated Telegram knowing our app and the user
  at `PHONE`) and `tg` fixtures put them together for the Telegram-layer tests.
- The CLI and API tests build their world with `make_sim` (the simulator: our app, Ann at
  `PHONE`, Bob at `OTHER` with a 2FA password) and `tg_with_accounts` (a `Telegram` over a
  fresh store with accounts already logged in at that simulator); `override_telegram` then
  points every `tgtui` command at it. `between_sweeps` replaces the pause of `status --watch`.
- Tests that fail loudly: when the environment variable CI is set, a skipped test fails
  the run, unless its reason names a missing system tool (tmux, gnome-keyring). The real
  Secret Service tests (marker `keyring_real`) are deselected, not skipped, unless
  TGTUI_REAL_KEYRING=1 (`.ci/run` runs them on their own under dbus).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.config import prepare
from tgtui.telegram.context import Telegram

pytest_plugins = ["pytester"]

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE = "+34600000001"
OTHER = "+34600000002"
OTHER_PASSWORD = "pw"

#: A skip whose reason names one of these tools is allowed in CI (the tool is missing).
SYSTEM_TOOLS = ("tmux", "gnome-keyring")
_TOOL_NAMED = re.compile(r"\b(" + "|".join(re.escape(t) for t in SYSTEM_TOOLS) + r")\b")
_REAL_KEYRING = pytest.StashKey[int]()


# ---------------------------------------------------------------- the one clock, the one tg


class Clock:
    """A clock the tests move by hand: POSIX seconds when called (what `Telegram`, the
    simulator and the troubleshooter take); `utc()` is the same moment for the UI.

    It starts at the wall clock unless given a start (seconds or an aware datetime):
    Telethon's QR wait compares the server's expiry with the wall clock.
    """

    def __init__(self, start: float | datetime | None = None) -> None:
        if start is None:
            start = float(int(time.time()))
        elif isinstance(start, datetime):
            start = start.timestamp()
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds

    def utc(self) -> datetime:
        """The time as an aware UTC datetime (for `TgtuiApp(clock=clock.utc)`)."""
        return datetime.fromtimestamp(self.now, timezone.utc)


def make_tg(
    root: Path, clock: Clock | None = None, sim: object | None = None, **kw: Any
) -> Telegram:
    """A Telegram context over a freshly prepared store at `root`, the secrets in files."""
    if (clock is not None and not callable(clock)) or isinstance(sim, Clock):
        raise TypeError("make_tg(root, clock, sim): the clock comes before the simulator")
    prepare(root)
    store = AccountStore(root, SecretStore(mode="off"))
    return Telegram(store, sim=sim, clock=clock or Clock(), **kw)


def make_sim(seed: int, *, bob: bool = False, ann: tuple[str, ...] = ("Ann", "Lee", "ann")) -> Any:
    """The simulated Telegram of the CLI and API tests: our app registered, Ann (first name,
    last name, username: `ann`) at PHONE and, with `bob`, Bob at OTHER with a 2FA password."""
    from tgtui.telegram.sim import SimServer

    sim = SimServer(seed=seed)
    sim.add_app(API_ID, API_HASH)
    sim.add_user(PHONE, *ann)
    if bob:
        sim.add_user(OTHER, "Bob", password=OTHER_PASSWORD)
    return sim


def log_in(tg: Telegram, sim: Any, name: str, phone: str = PHONE, **fields: Any) -> Account:
    """Save account `name` with a session the simulator has authorised for `phone` (as if
    it had logged in); `fields` go to its `Account` (label, ...)."""
    folder = tg.store.root.parent / "seeds"
    folder.mkdir(exist_ok=True)
    seed = folder / f"{name}.session"
    sim.authorize_session(seed, phone, API_ID)
    return tg.store.create(
        Account(name=name, api_id=API_ID, phone=phone, **fields), API_HASH, session_file=seed
    )


def tg_with_accounts(
    root: Path, sim: Any, accounts: dict[str, dict[str, Any]] | None = None
) -> Telegram:
    """A Telegram context over a fresh store at `root`, on `sim`, with `accounts` (name ->
    {"phone": ..., other Account fields}) already logged in."""
    tg = make_tg(root, Clock(), sim)
    for name, fields in (accounts or {}).items():
        log_in(tg, sim, name, **fields)
    return tg


def between_sweeps(monkeypatch: pytest.MonkeyPatch, steps: list[Callable[[], None]]) -> None:
    """Run steps[i] in the pause after sweep i of `status --watch` (instead of sleeping).

    Only the watch loop's own pause is replaced, not `time.sleep` for everyone: the
    `--on-change` runs wait in threads of their own."""
    from tgtui.commands import status_cmd

    pending = list(steps)

    def pause(_seconds: float) -> None:
        if pending:
            pending.pop(0)()

    monkeypatch.setattr(status_cmd, "time", SimpleNamespace(sleep=pause))


@pytest.fixture
def clock() -> Clock:
    """A fresh hand-moved clock, starting at the wall clock."""
    return Clock()


@pytest.fixture
def server(clock: Clock) -> Any:
    """The simulated Telegram on `clock`: our app registered, Ana García (@ana) at PHONE."""
    from tgtui.telegram.sim import SimServer

    srv = SimServer(clock=clock, seed=0)
    srv.add_app(API_ID, API_HASH)
    srv.add_user(PHONE, "Ana", "García", username="ana")
    return srv


@pytest.fixture
def tg(tmp_path: Path, server: Any, clock: Clock) -> Telegram:
    """A Telegram context on a fresh config root, talking to `server`."""
    return make_tg(tmp_path / "cfg", clock, server)


# ---------------------------------------------------------------- isolation


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point tgtui's config and log dirs at fresh temp folders for each test."""
    base = tmp_path_factory.mktemp("tgtui-home")
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("TGTUI_LOG_DIR", str(base / "log"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    if not os.environ.get("TGTUI_REAL_KEYRING"):
        monkeypatch.setenv("TGTUI_KEYRING", "off")


@pytest.fixture(autouse=True)
def _english_interface(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every test starts in English, whatever the machine's LANG, and ends in English
    (a test that switches the language, or runs `tgtui --lang ru`, cannot leak it).

    A locale variable that asks for a language we ship (LANG=ru_RU.UTF-8 on the
    developer's machine) becomes C.UTF-8, so `tgtui.cli.main` chooses English too; a test
    about the locale sets its own."""
    from tgtui import i18n

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if i18n.normalize(os.environ.get(name)) not in (None, "en"):
            monkeypatch.setenv(name, "C.UTF-8")
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.fixture
def config_root(tmp_path: Path) -> Path:
    """A prepared, empty config folder."""
    return prepare(tmp_path / "cfg")


# ---------------------------------------------------------------- tests that fail loudly


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the real Secret Service tests unless TGTUI_REAL_KEYRING=1 asks for them."""
    if os.environ.get("TGTUI_REAL_KEYRING") == "1":
        return
    real = [item for item in items if item.get_closest_marker("keyring_real")]
    if real:
        config.hook.pytest_deselected(items=real)
        items[:] = [item for item in items if not item.get_closest_marker("keyring_real")]
    config.stash[_REAL_KEYRING] = len(real)


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    """Say why the real keyring tests did not run (they are not skipped: deselected)."""
    if config.stash.get(_REAL_KEYRING, 0):
        return (
            f"{config.stash[_REAL_KEYRING]} keyring_real tests deselected: they run with "
            "TGTUI_REAL_KEYRING=1 under dbus-run-session (see tests/test_keyring_real.py)"
        )
    return None


def skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    """The reason given to a skip, as text."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def in_ci() -> bool:
    """True when the environment variable CI is set (to anything but empty/0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _fail_a_skip_in_ci(report: pytest.CollectReport | pytest.TestReport) -> None:
    if not in_ci() or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report)
    if _TOOL_NAMED.search(reason):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped in CI: {reason}\nTests of tgtui's own code never skip in CI (CI is set). "
        f"Only a missing system tool ({', '.join(SYSTEM_TOOLS)}) may skip a test, with a "
        "reason that names the tool."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In CI, turn a skip of a test into a failure (a missing system tool aside)."""
    report = yield
    _fail_a_skip_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """In CI, turn a module-level skip into a collection error (a missing tool aside)."""
    report = yield
    _fail_a_skip_in_ci(report)
    return report
