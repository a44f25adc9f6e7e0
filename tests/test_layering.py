"""The layers keep their promises: the UI paints before Telethon loads, the store and the
knowledge base never touch the network."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return set(res.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "tgtui",
        "tgtui.cli",
        "tgtui.accounts",
        "tgtui.config",
        "tgtui.troubleshoot",
        "tgtui.telegram",
        "tgtui.ui.app",
    ],
)
def test_telethon_not_imported_at_import_time(module: str) -> None:
    loaded = _modules_after_import(module)
    assert "telethon" not in loaded


@pytest.mark.parametrize("module", ["tgtui.accounts", "tgtui.troubleshoot"])
def test_core_layers_do_not_import_ui_or_network(module: str) -> None:
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m.startswith(("tgtui.ui", "tgtui.telegram", "textual"))}
