"""Plain formatting helpers for the screens: relative times, badges, masking.

Everything here returns `rich.text.Text` or `str` built from data, never markup, so a
name like `[/x]` is shown as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from tgtui.accounts.model import Account, State, Status
from tgtui.accounts.validate import mask_phone


@dataclass(frozen=True)
class Badge:
    """How a state reads: a single-width symbol, a word, a style for colour terminals,
    and one for NO_COLOR (where colours turn grey by brightness: red would be the dimmest,
    so states that need action are bold in the text's own colour instead)."""

    symbol: str
    word: str
    style: str
    mono: str = ""


BADGES: dict[State, Badge] = {
    State.OK: Badge("●", "OK", "bold green"),
    State.REVOKED: Badge("✖", "REVOKED", "bold red", "bold"),
    State.FLOOD_WAIT: Badge("◷", "FLOOD", "bold yellow"),
    State.OFFLINE: Badge("▲", "OFFLINE", "yellow"),
    State.BANNED: Badge("⊘", "BANNED", "bold red", "bold"),
    State.LOCKED: Badge("◆", "IN USE", "cyan"),
    State.CHECKING: Badge("↻", "CHECKING", "dim", "dim"),
    State.NEEDS_LOGIN: Badge("○", "LOG IN", "yellow"),
    State.DUPLICATED: Badge("◇", "DUPLICATED", "bold red", "bold"),
    State.BAD_CREDENTIALS: Badge("✖", "BAD KEYS", "bold red", "bold"),
    State.BROKEN: Badge("✖", "BROKEN", "bold red", "bold"),
    State.UNKNOWN: Badge("?", "UNKNOWN", "dim", "dim"),
}


def alarm(mono: bool = False) -> str:
    """The style of words that need action ("Problem", an input error): red, or under
    NO_COLOR bold in the text's colour (red turned grey would be the dimmest thing)."""
    return "bold" if mono else "bold red"


def clock_reading(seconds: float) -> str:
    """Seconds as `m:ss` or `h:mm:ss`; never negative."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def flood_left(status: Status, now: datetime) -> float | None:
    """Seconds left in a flood wait, or None when the status has no end time."""
    if status.flood_until is None:
        return None
    return max(0.0, (status.flood_until - now).total_seconds())


def badge_text(status: Status, now: datetime, *, mono: bool = False) -> Text:
    """The status badge, e.g. `● OK` or `◷ FLOOD 4:12`, styled for colour terminals
    (or, with `mono`, for NO_COLOR)."""
    badge = BADGES.get(status.state, BADGES[State.UNKNOWN])
    word = badge.word
    if status.state is State.FLOOD_WAIT:
        left = flood_left(status, now)
        if left is not None:
            word = f"{word} {clock_reading(left)}"
    style = badge.mono if mono else badge.style
    return Text(f"{badge.symbol} {word}", style=style, no_wrap=True)


def relative_time(then: datetime | None, now: datetime) -> str:
    """`just now`, `42 s ago`, `2 min ago`, `3 h ago`, `5 d ago`, or `never`."""
    if then is None:
        return "never"
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "just now"
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def latency_text(ms: float | None) -> str:
    """`142 ms`, `1.2 s`, or `–` when unknown."""
    if ms is None:
        return "–"
    if ms < 1000:
        return f"{int(round(ms))} ms"
    return f"{ms / 1000:.1f} s"


def phone_text(account: Account) -> str:
    """The masked phone (`+1 555 ••• 67`), or `–` when there is none."""
    return mask_phone(account.phone) if account.phone else "–"


def user_text(account: Account) -> str:
    """`@username`, else the user's name, else `–` (never logged in or not checked)."""
    return account.user.display if account.user else "–"


def yes_no(value: bool | None, yes: str = "on", no: str = "off") -> str:
    """`on`/`off` for a known flag, `unknown` for None."""
    if value is None:
        return "unknown"
    return yes if value else no


def mask_secret(secret: str) -> str:
    """A secret shown as bullets with its length, never any of its characters."""
    return f"{'•' * 12} ({len(secret)} characters, hidden)"


def plain(value: object) -> Text:
    """Any value as literal text (never parsed as markup)."""
    return Text(str(value), no_wrap=True)


#: The summary line's word for where secrets go, by `Backend.kind` (the full sentence,
#: with the reason, is what `tgtui secrets where` prints).
SECRETS_SHORT = {
    "keyring": "system keyring",
    "file": "file (no keyring)",
    "none": "nowhere (keyring required)",
}


def secrets_short(kind: str, description: str) -> str:
    """Where secrets go, short enough for the summary line at 80 columns."""
    return SECRETS_SHORT.get(kind, description)
