"""The key registry: every binding comes from `tgtui.ui.keys`, so footer, palette and
help cannot disagree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tgtui.ui
from tgtui.ui import keys
from tgtui.ui.app import TgtuiApp
from tgtui.ui.dialogs.confirm import ConfirmDialog
from tgtui.ui.dialogs.edit import EditDialog
from tgtui.ui.dialogs.help import HelpDialog, keys_table
from tgtui.ui.dialogs.remove import RemoveDialog
from tgtui.ui.palette import entries
from tgtui.ui.screens.accounts import AccountsScreen
from tgtui.ui.screens.details import DetailsScreen
from tgtui.ui.screens.import_session import ImportScreen
from tgtui.ui.screens.wizard import AddAccountScreen

UI = Path(tgtui.ui.__file__).parent
HOSTS = [TgtuiApp, AccountsScreen, DetailsScreen, AddAccountScreen, ImportScreen]
DIALOGS = [ConfirmDialog, RemoveDialog, EditDialog, HelpDialog]


def test_no_binding_is_written_outside_the_registry() -> None:
    strays = [
        f"{path.relative_to(UI)}:{n}"
        for path in UI.rglob("*.py")
        if path.name != "keys.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bBinding\(|BINDINGS\s*=\s*\[", line)
    ]
    assert strays == []


@pytest.mark.parametrize("host", HOSTS[1:] + DIALOGS, ids=lambda c: c.__name__)
def test_each_screen_binds_exactly_its_registered_keys(host) -> None:
    bound = {(b.key, b.action) for b in host.BINDINGS}
    assert bound == {(k.keys, k.action) for k in host.KEYS if k.bound}


def test_the_palette_runs_only_actions_the_screen_has() -> None:
    for screen in (AccountsScreen, DetailsScreen):
        for title, action, help_line in entries(screen):  # type: ignore[arg-type]
            owner = TgtuiApp if action in {k.action for k in keys.APP} else screen
            assert hasattr(owner, f"action_{action}"), (screen.__name__, title)
            assert help_line.endswith(")"), help_line  # names its key


def test_help_rows_come_from_the_screen_keys() -> None:
    rows = [str(r) for r in keys_table(keys.DETAILS).columns[1].cells]
    assert "end the selected other session" in rows
    assert "add an account" not in rows


def test_every_screen_reports_its_worker_errors() -> None:
    """Every screen and dialog is built on the base that reports worker errors."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    from tgtui.ui.errors import ReportWorkerErrors

    screens = []
    for info in pkgutil.walk_packages(tgtui.ui.__path__, "tgtui.ui."):
        module = importlib.import_module(info.name)
        screens += [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, Screen)
            and obj.__module__ == module.__name__
        ]
    assert len(screens) >= 8
    silent = [s.__name__ for s in screens if not issubclass(s, ReportWorkerErrors)]
    assert silent == []
