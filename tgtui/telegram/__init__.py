"""The network layer: the only package that imports Telethon, and only when it is used.

Importing `tgtui.telegram` (or `context`, `errors`, `health`, `monitor`, `flow`) does not
import Telethon; the first client made does. The UI can paint before Telethon loads.
Names below are loaded on first access.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.errors import TelegramFailure
    from tgtui.telegram.flow import CodeInfo, LoginFlow, QrInfo, Step
    from tgtui.telegram.health import Health, check, check_and_save
    from tgtui.telegram.monitor import SessionMonitor

_LAZY = {
    "Telegram": "tgtui.telegram.context",
    "TelegramFailure": "tgtui.telegram.errors",
    "LoginFlow": "tgtui.telegram.flow",
    "Step": "tgtui.telegram.flow",
    "CodeInfo": "tgtui.telegram.flow",
    "QrInfo": "tgtui.telegram.flow",
    "Health": "tgtui.telegram.health",
    "check": "tgtui.telegram.health",
    "check_and_save": "tgtui.telegram.health",
    "SessionMonitor": "tgtui.telegram.monitor",
}

__all__ = [
    "CodeInfo",
    "Health",
    "LoginFlow",
    "QrInfo",
    "SessionMonitor",
    "Step",
    "Telegram",
    "TelegramFailure",
    "check",
    "check_and_save",
]


def __getattr__(name: str) -> Any:
    """Load the public names on first use (none of these modules imports Telethon)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tgtui.telegram' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
