"""The typed failure value that crosses layer boundaries.

The Telegram layer turns Telethon's exceptions into `Failure` values; the troubleshooter
matches them to pitfalls; the UI shows them. Nobody outside `tgtui.telegram` ever sees a
Telethon class.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """What went wrong, in a form the troubleshooter can match.

    name: the RPC error name (``PHONE_CODE_EXPIRED``, ``FLOOD_WAIT``, ``API_ID_INVALID``),
        or for failures that are not RPC errors the Python exception type name
        (``ConnectionError``, ``TimeoutError``, ``OSError``) or a tgtui name
        (``SESSION_LOCKED``, ``SECRET_MISSING``).
    message: one line for a person; never contains a secret.
    seconds: how long to wait, for flood waits and similar.
    exc_type: the Python exception type name, when an exception caused it.
    stage: where it happened (``credentials``, ``phone``, ``code``, ``qr``, ``password``,
        ``session``, ``environment``).
    """

    name: str
    message: str = ""
    seconds: int | None = None
    exc_type: str | None = None
    stage: str | None = None

    def __str__(self) -> str:
        return self.message or self.name
