"""Make the README's screenshots: `.venv/bin/python -m screenshots [--out DIR] [NAME ...]`.

Every picture is the real app (`TgtuiApp`) on the demo scene (`build_demo`: six sample
accounts on the simulated Telegram), driven by keys through Textual's pilot and saved
with `App.export_screenshot()`. The scenes are deterministic, so two runs write
byte-identical files and `tests/test_screenshots.py` can tell when the committed ones are
stale:

- a fixed clock (2026-11-22 10:00 UTC) for the app, the store and the simulator, and no
  simulated latency; the simulator's randomness comes from its fixed seed;
- no session monitor: the list shows the statuses the demo wrote, which match the faults
  the simulator was given;
- `TEXTUAL_ANIMATIONS=none` and no blinking input cursor;
- each run of the app lives in a fresh temp folder that is the working directory, with
  the config folder at the relative path `~/.config/tgtui` (a folder literally named
  `~`), so the session path the wizard prints reads like a real one and never names the
  temp folder. The working directory belongs to the process, so every run gets a process
  of its own (several side by side: `--jobs`).

To add a picture, add a scene (keys, then `await snap("name")`) and a `Run` to `RUNS`.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 22, 10, 0, 0, tzinfo=timezone.utc)
ROOT = Path("~") / ".config" / "tgtui"  # relative on purpose: see the module docstring
LABEL = "Sales desk"


class Clock:
    """A clock that only moves when told to; gives UTC datetimes or POSIX seconds."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        """The time as POSIX seconds (for the store, the simulator and the flow)."""
        return self.now.timestamp()


Pilot = Any  # textual.pilot.Pilot[None]
#: Worker groups that run until cancelled (waiting for a QR scan, the monitor).
ENDLESS = frozenset({"qr", "monitor"})
Snap = Callable[[str], Awaitable[None]]
Scene = Callable[[Pilot, Snap], Awaitable[None]]


# ---------------------------------------------------------------------- driving the app
async def settle(pilot: Pilot) -> None:
    """Let workers and messages finish; stop input cursors blinking."""
    from textual.widgets import Input

    for _ in range(2):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.group not in ENDLESS]
        if busy:  # an empty list would mean "every worker"
            await pilot.app.workers.wait_for_complete(busy)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one by one, settling after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as a person would."""
    names = {" ": "space", "+": "plus", "-": "minus", "_": "underscore"}
    for char in text:
        await pilot.press(names.get(char, char))
    await settle(pilot)


async def paste(pilot: Pilot, text: str) -> None:
    """Paste `text` into the focused widget (a terminal's bracketed paste)."""
    from textual import events

    focused = pilot.app.focused
    assert focused is not None, "nothing is focused to paste into"
    focused.post_message(events.Paste(text))
    await settle(pilot)


async def select(pilot: Pilot, name: str) -> None:
    """Put the list's cursor on account `name`."""
    from tgtui.ui.widgets.account_table import AccountTable

    pilot.app.screen.query_one(AccountTable).select(name)
    await settle(pilot)


def expect(pilot: Pilot, wanted: str) -> None:
    """Stop with a clear message when the wizard is not at the step the scene expects."""
    got = getattr(pilot.app.screen, "step", type(pilot.app.screen).__name__)
    if got != wanted:
        raise RuntimeError(f"the wizard is at step {got!r}, expected {wanted!r}")


# ---------------------------------------------------------------------- scenes
async def list_scene(pilot: Pilot, snap: Snap) -> None:
    """The account list, the cursor on the account in a flood wait."""
    await settle(pilot)
    await select(pilot, "promo")
    await snap("list")


async def first_run(pilot: Pilot, snap: Snap) -> None:
    """No accounts yet."""
    await settle(pilot)
    await snap("first-run")


async def to_phone(pilot: Pilot, snap: Snap | None = None, number: str = "") -> str:
    """`a`, the demo's api_id and api_hash (masked) and a label; Enter; a phone number.
    Returns the number."""
    from tgtui.telegram import demo

    number = number or demo.DEMO_NEW_PHONE
    await settle(pilot)
    await press(pilot, "a")
    expect(pilot, "credentials")
    await type_text(pilot, str(demo.DEMO_API_ID))
    await press(pilot, "tab")
    await paste(pilot, demo.DEMO_API_HASH)
    await press(pilot, "tab")
    await paste(pilot, LABEL)
    if snap:
        await snap("wizard-credentials")
    await press(pilot, "enter")
    expect(pilot, "phone")
    await paste(pilot, number)
    if snap:
        await snap("wizard-phone")
    return number


async def type_code(pilot: Pilot, number: str) -> None:
    """Type the code the simulator sent to `number` (the input masks it)."""
    await type_text(pilot, pilot.app.tg.sim.last_code(number))


async def wizard(pilot: Pilot, snap: Snap) -> None:
    """Every step of adding an account, with an expired code on the way: the
    troubleshooter opens on it and F5 sends a new one."""
    number = await to_phone(pilot, snap)
    await press(pilot, "enter")
    expect(pilot, "code")
    await type_code(pilot, number)
    await snap("wizard-code")
    await troubleshoot(pilot, snap, number)
    await press(pilot, "f5")
    expect(pilot, "code")
    await type_code(pilot, number)
    await press(pilot, "enter")
    expect(pilot, "done")
    await snap("wizard-done")


async def troubleshoot(pilot: Pilot, snap: Snap, number: str = "", name: str = "") -> None:
    """The code expired before it was entered: the matching pitfall opens with its fix."""
    if not number:
        number = await to_phone(pilot)
        await press(pilot, "enter")
        expect(pilot, "code")
        await type_code(pilot, number)
    pilot.app.tg.sim.expire_codes(number)
    await press(pilot, "enter")
    expect(pilot, "code")
    if pilot.app.screen.help.offer is None:
        raise RuntimeError("the troubleshooter offers no action for an expired code")
    await snap(name or "troubleshooter")


async def troubleshoot_small(pilot: Pilot, snap: Snap) -> None:
    """The troubleshooter at 80x24."""
    await troubleshoot(pilot, snap, name="troubleshooter-80x24")


async def qr_and_password(pilot: Pilot, snap: Snap) -> None:
    """F3 on the phone step shows a QR code to scan; F6 goes back, and the code login of
    the demo's 2FA account asks for its password (masked)."""
    from tgtui.telegram import demo

    number = await to_phone(pilot, number=demo.DEMO_2FA_PHONE)
    await press(pilot, "f3")
    expect(pilot, "qr")
    await snap("wizard-qr")
    await press(pilot, "f6")
    expect(pilot, "phone")
    await press(pilot, "enter")
    expect(pilot, "code")
    await type_code(pilot, number)
    await press(pilot, "enter")
    expect(pilot, "password")
    await type_text(pilot, demo.DEMO_PASSWORD)
    await snap("wizard-password")


async def advanced(pilot: Pilot, snap: Snap) -> None:
    """The credentials step: where the api_hash will be kept, and the Advanced part opened
    (from the keyboard) with a SOCKS5 proxy and its password (masked)."""
    from tgtui.telegram import demo

    await settle(pilot)
    await press(pilot, "a")
    expect(pilot, "credentials")
    await type_text(pilot, str(demo.DEMO_API_ID))
    await press(pilot, "tab")
    await paste(pilot, demo.DEMO_API_HASH)
    await press(pilot, "tab", "tab", "tab", "enter", "tab")  # label, name, Advanced: open
    await paste(pilot, "socks5://ops@10.0.0.9:1080")
    await press(pilot, "tab")
    await paste(pilot, "proxy-password")
    await snap("wizard-advanced")


async def account_screens(pilot: Pilot, snap: Snap) -> None:
    """On `work`: the details screen with its other sessions, the remove dialog, help."""
    await settle(pilot)
    await select(pilot, "work")
    await press(pilot, "enter")
    await snap("details")
    await press(pilot, "escape")
    await select(pilot, "work")
    await press(pilot, "d")
    await snap("remove")
    await press(pilot, "escape", "question_mark")
    await snap("help")


async def history_scene(pilot: Pilot, snap: Snap) -> None:
    """On `promo`: the details screen's timeline (strips, latency, the week's counts)."""
    await settle(pilot)
    await select(pilot, "promo")
    await press(pilot, "enter")
    await snap("details-history")


WIDE = (120, 40)
SMALL = (80, 24)


@dataclass(frozen=True)
class Run:
    """One run of the app: its terminal size, its scene, and the pictures it takes."""

    size: tuple[int, int]
    scene: Scene
    names: tuple[str, ...]
    demo: bool = True
    suffix: str = ""
    lang: str = "en"  # the interface language of the run


RUNS: tuple[Run, ...] = (
    Run(WIDE, list_scene, ("list-120x40",), suffix="-120x40"),
    Run(SMALL, list_scene, ("list-80x24",), suffix="-80x24"),
    Run(WIDE, first_run, ("first-run",), demo=False),
    Run(
        WIDE,
        wizard,
        (
            "wizard-credentials",
            "wizard-phone",
            "wizard-code",
            "troubleshooter",
            "wizard-done",
        ),
    ),
    Run(WIDE, qr_and_password, ("wizard-qr", "wizard-password")),
    Run(SMALL, troubleshoot_small, ("troubleshooter-80x24",)),
    Run(WIDE, advanced, ("wizard-advanced",)),
    Run(WIDE, account_screens, ("details", "remove", "help")),
    Run(WIDE, history_scene, ("details-history",)),
    Run(SMALL, list_scene, ("list-80x24-ru",), suffix="-80x24-ru", lang="ru"),
    Run(SMALL, troubleshoot_small, ("troubleshooter-80x24-ru",), suffix="-ru", lang="ru"),
)
NAMES: tuple[str, ...] = tuple(n for run in RUNS for n in run.names)


# ---------------------------------------------------------------------- making them
@contextmanager
def scene_folder() -> Iterator[Path]:
    """A fresh temp folder as the working directory (and the log folder), then gone."""
    old = Path.cwd()
    base = Path(tempfile.mkdtemp(prefix="tgtui-shot-"))
    try:
        os.chdir(base)
        yield base
    finally:
        os.chdir(old)
        shutil.rmtree(base, ignore_errors=True)


def make_app(demo: bool, clock: Clock) -> Any:
    """The app on the demo scene (or on an empty config folder), fixed clock, no monitor."""
    from tgtui.accounts import AccountStore
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import prepare
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.demo import build_demo
    from tgtui.ui.app import TgtuiApp

    if demo:
        tg = build_demo(ROOT, clock=clock.timestamp, latency=0)
    else:
        prepare(ROOT)
        tg = Telegram(AccountStore(ROOT, SecretStore(mode="off")), clock=clock.timestamp)
    return TgtuiApp(tg, demo=demo, clock=clock, start_monitor=False)


_CLIP = re.compile(r"\bterminal-(\d+)\b")


def normalise(svg: str) -> str:
    """Rich names the SVG's classes and clip paths after a hash of the content (stable, but
    new on every change): number them from 0 instead, so a diff shows only what changed."""
    ids: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return "terminal-" + ids.setdefault(m.group(1), str(len(ids)))

    svg = _CLIP.sub(rename, svg)
    return svg.rstrip() + "\n"


async def take(run: Run) -> dict[str, str]:
    """Run one scene; return its pictures by name."""
    from tgtui.i18n import set_language

    set_language(run.lang)
    clock = Clock()
    pictures: dict[str, str] = {}
    with scene_folder() as base:
        os.environ["TGTUI_LOG_DIR"] = str(base / "log")
        app = make_app(run.demo, clock)
        async with app.run_test(size=run.size) as pilot:

            async def snap(name: str) -> None:
                await settle(pilot)
                svg = app.export_screenshot(title="tgtui")
                pictures[name + run.suffix] = normalise(svg)

            await run.scene(pilot, snap)
    if sorted(pictures) != sorted(run.names):
        raise RuntimeError(f"{run.scene.__name__} took {sorted(pictures)}, not {run.names}")
    return pictures


def take_in_process(run: Run) -> dict[str, str]:
    """`take` in a process of its own (each scene changes the working directory)."""
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TGTUI_KEYRING"] = "off"
    return asyncio.run(take(run))


def make(out: Path, names: list[str] | None = None, jobs: int = 4) -> list[Path]:
    """Write `<out>/<name>.svg` for every picture (or only `names`); return the paths.

    The runs are independent, so they go to `jobs` fresh processes side by side."""
    unknown = set(names or ()) - set(NAMES)
    if unknown:
        raise SystemExit(f"unknown screenshot(s): {', '.join(sorted(unknown))}")
    runs = [r for r in RUNS if not names or set(names) & set(r.names)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        results = list(pool.map(take_in_process, runs))
    out.mkdir(parents=True, exist_ok=True)
    if not names:  # a full run leaves exactly the current set
        for old in out.glob("*.svg"):
            if old.stem not in NAMES:
                old.unlink()
    written = []
    for pictures in results:
        for name, svg in pictures.items():
            if names and name not in names:
                continue
            path = out / f"{name}.svg"
            path.write_text(svg, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the screenshots, print their paths."""
    parser = argparse.ArgumentParser(prog="python -m screenshots", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"only these (default: all): {' '.join(NAMES)}")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default: {OUT})")
    parser.add_argument("--jobs", type=int, default=4, help="processes side by side (4)")
    args = parser.parse_args(argv)
    for path in make(args.out.resolve(), args.names, args.jobs):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
