"""The demo seen from outside the simulator: build the scene, and the hints it may show.

The UI and the CLI never import `tgtui.telegram.sim`; they call `build_demo` and use
`Telegram.demo` (a `DemoHints`, None outside the demo) for the simulator's codes and for
pretending that a phone scanned a QR code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

# Credentials of the simulated my.telegram.org application (not real, safe to show).
DEMO_API_ID = 1234567
DEMO_API_HASH = "0123456789abcdef0123456789abcdef"
# Numbers a newcomer can log in with in the wizard (555-01xx numbers are fictional).
DEMO_NEW_PHONE = "+15550100100"
DEMO_2FA_PHONE = "+15550100200"
DEMO_PASSWORD = "demo"
DEMO_PASSWORD_HINT = "the word demo"


def build_demo(root: Path, *, clock: Callable[[], float] | None = None, **options: Any) -> Telegram:
    """Create the demo scene in `root` and return a Telegram context on the simulator."""
    from tgtui.telegram.sim.world import build_world

    if clock is not None:
        options["clock"] = clock
    return build_world(root, **options)


class DemoHints:
    """What the demo may reveal about its simulated Telegram (never used with a real one)."""

    def __init__(self, sim: Any) -> None:
        self._sim = sim

    def last_code(self, phone: str) -> str | None:
        """The login code the simulator last sent to `phone`, if any."""
        try:
            code = self._sim.last_code(phone)
        except (KeyError, ValueError):
            return None
        return str(code) if code else None

    def phones(self) -> list[str]:
        """Phone numbers of every simulated user, in the order they were added."""
        return ["+" + str(p).lstrip("+") for p in self._sim.users]

    def scan_qr(self, url: str, phone: str) -> None:
        """Pretend the phone of `phone` scanned the login QR code `url`.

        Raises KeyError or ValueError when the user or the token is unknown.
        """
        self._sim.scan_qr(url, phone)
