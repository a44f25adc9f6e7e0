"""tgtui: see and manage every Telegram user-account session on your server.

The package root stays light: heavy modules (Telethon, Textual) load only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "list_accounts", "open_client"]

if TYPE_CHECKING:  # pragma: no cover
    from tgtui.api import list_accounts, open_client


def __getattr__(name: str) -> Any:
    """Load the scripting API lazily so `import tgtui` stays cheap."""
    if name in ("open_client", "list_accounts"):
        from tgtui import api

        return getattr(api, name)
    raise AttributeError(f"module 'tgtui' has no attribute {name!r}")
