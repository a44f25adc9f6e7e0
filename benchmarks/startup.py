"""Startup to first frame: tgtui vs a bare Textual app with one DataTable of the same rows.

Both apps run as fresh processes through this module's `child` mode, in the same way:
the parent notes `time.monotonic()` (system-wide CLOCK_MONOTONIC on Linux), starts
`python -m benchmarks.startup child KIND N`, and the child reports the time of its
**first frame**: the first `Screen._compositor_refresh` of the app's top screen that
runs after that screen's `Mount` handlers (`is_mounted`) with its DataTable holding all
N rows. The app then exits. Apps run headless at 120x40, so the frame is rendered by
the compositor but not written to a terminal (the same for both).

tgtui starts as `tgtui` does (CLI parser, `open_store`, `Settings.load`, `Telegram`,
`TgtuiApp`) but with `start_monitor=False`, so no network work (and no Telethon import)
interferes; the accounts have cached statuses and no session files. Keyring: off.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = (120, 40)


def _bare_app(n: int) -> Any:
    """A Textual app whose screen fills one DataTable with n rows in on_mount."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable

    class BareScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for label in ("Account", "Phone", "Telegram user", "Status", "Latency", "Checked"):
                table.add_column(label)
            for i in range(n):
                table.add_row(
                    f"Bench account {i}",
                    f"+1 555-{i:07d}",
                    f"User{i} Bench @u{i}",
                    "● OK",
                    f"{80 + i % 50} ms",
                    f"{i % 90} min ago",
                    key=f"acct-{i:04d}",
                )
            table.focus()

    class BareApp(App[None]):
        def get_default_screen(self) -> Screen[None]:
            return BareScreen()

    return BareApp()


def _tgtui_app() -> Any:
    """TgtuiApp built the way `tgtui` builds it, minus the monitor."""
    from tgtui.cli import _names_a_command, build_parser, choose_language
    from tgtui.commands.common import open_store
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram
    from tgtui.ui.app import TgtuiApp

    argv: list[str] = []
    choose_language(argv)  # as cli.main: the language first, then the parser
    # `tgtui` with no command builds the parser without the sub-commands (cli.main).
    args = build_parser(commands=_names_a_command(argv)).parse_args(argv)
    store = open_store(args)
    return TgtuiApp(Telegram(store, settings=Settings.load(store.root)), start_monitor=False)


def child(kind: str, n: int) -> dict[str, Any]:
    """Run one app until its first frame with n rows; report seconds since the parent's t0."""
    t0 = float(os.environ["BENCH_T0"])
    from textual.screen import Screen
    from textual.widgets import DataTable

    original = Screen._compositor_refresh
    result: dict[str, Any] = {}

    def hooked(self: Screen[Any]) -> None:
        original(self)
        app = self.app
        if result or self is not app.screen or not self.is_mounted:
            return
        tables = self.query(DataTable)
        if not tables or tables.first().row_count != n:
            return
        result["first_frame"] = time.monotonic() - t0
        result["telethon"] = "telethon" in sys.modules
        result["modules"] = len(sys.modules)
        result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        app.exit()

    Screen._compositor_refresh = hooked  # type: ignore[method-assign]
    app = _tgtui_app() if kind == "tgtui" else _bare_app(n)
    result_built = time.monotonic() - t0
    app.run(headless=True, size=SIZE)
    result["built"] = result_built
    return result


def run(work: Path, *, quick: bool) -> list[Any]:
    """Median first-frame times for 0 / small / large account counts."""
    from benchmarks import seed
    from benchmarks.report import Row

    sizes = [("empty", 0), ("small", 10 if quick else 100), ("large", 100 if quick else 1000)]
    runs = 3 if quick else 11
    rows: list[Row] = []
    telethon_seen = 0
    total = 0
    for key, n in sizes:
        root = seed.cached_store(work / f"startup-{n}", n)
        env = seed.env_for(root, Path(tempfile.mkdtemp(prefix="log-", dir=work)))
        times: dict[str, list[float]] = {"tgtui": [], "bare": []}
        built: dict[str, list[float]] = {"tgtui": [], "bare": []}
        for kind in ("tgtui", "bare"):  # warm the page cache and .pyc files; discarded
            seed.run_child("startup", ["child", kind, str(n)], env)
        for rep in range(runs):
            order = ("tgtui", "bare") if rep % 2 == 0 else ("bare", "tgtui")
            for kind in order:
                res = seed.run_child("startup", ["child", kind, str(n)], env)
                times[kind].append(res["first_frame"])
                built[kind].append(res["built"])
                if kind == "tgtui":
                    total += 1
                    telethon_seen += bool(res["telethon"])
        value = statistics.median(times["tgtui"]) * 1000
        base = statistics.median(times["bare"]) * 1000
        row = Row(
            id=f"startup/{key}",
            figure=f"startup to first frame, {n} accounts (median of {runs})",
            value=value,
            unit="ms",
            baseline=base,
            baseline_what="bare DataTable app",
        )
        if key == "large":
            row.target = "ratio <= 1.15"
            row.met = value / base <= 1.15
        b_t, b_b = statistics.median(built["tgtui"]) * 1000, statistics.median(built["bare"]) * 1000
        row.notes.append(
            f"process start to app object built (imports, CLI parser, store open): "
            f"tgtui {b_t:.0f} ms, bare {b_b:.0f} ms; the rest is mount + first render"
        )
        rows.append(row)
    rows.append(
        Row(
            id="startup/telethon",
            figure="tgtui runs with telethon in sys.modules at first frame",
            value=float(telethon_seen),
            unit=f"of {total}",
            target="0 (Telethon loads lazily)",
            met=telethon_seen == 0,
        )
    )
    return rows


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        sys.exit("usage: python -m benchmarks.startup child tgtui|bare N")
