"""Plain formatting helpers for the screens: relative times, badges, masking.

Everything here returns `rich.text.Text` or `str` built from data, never markup, so a
name like `[/x]` is shown as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rich.text import Text

from tgtui.accounts.model import Account, State, Status
from tgtui.accounts.validate import mask_phone
from tgtui.i18n import N_, _, language, ngettext, pgettext


@dataclass(frozen=True)
class Badge:
    """How a state reads: a single-width symbol, a word, a style for colour terminals,
    and one for NO_COLOR (where colours turn grey by brightness: red would be the dimmest,
    so states that need action are bold in the text's own colour instead).

    `word` is the English word; `badge_word` gives it in the interface language."""

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


@lru_cache(maxsize=len(BADGES) * 4)
def _badge_word(state: State, lang: str) -> str:
    # The words a status badge shows (at most 10 cells, so a countdown still fits the
    # list's status column); `lang` keys the cache.
    words = {
        State.OK: pgettext("badge", "OK"),
        State.REVOKED: pgettext("badge", "REVOKED"),
        State.FLOOD_WAIT: pgettext("badge", "FLOOD"),
        State.OFFLINE: pgettext("badge", "OFFLINE"),
        State.BANNED: pgettext("badge", "BANNED"),
        State.LOCKED: pgettext("badge", "IN USE"),
        State.CHECKING: pgettext("badge", "CHECKING"),
        State.NEEDS_LOGIN: pgettext("badge", "LOG IN"),
        State.DUPLICATED: pgettext("badge", "DUPLICATED"),
        State.BAD_CREDENTIALS: pgettext("badge", "BAD KEYS"),
        State.BROKEN: pgettext("badge", "BROKEN"),
        State.UNKNOWN: pgettext("badge", "UNKNOWN"),
    }
    return words.get(state, words[State.UNKNOWN])


def badge_word(state: State) -> str:
    """The badge's word for `state` in the interface language (`FLOOD`, `ОТОЗВАН`)."""
    return _badge_word(state, language())


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
    word = badge_word(status.state)
    if status.state is State.FLOOD_WAIT:
        left = flood_left(status, now)
        if left is not None:
            word = f"{word} {clock_reading(left)}"
    style = badge.mono if mono else badge.style
    return Text(f"{badge.symbol} {word}", style=style, no_wrap=True)


def relative_time(then: datetime | None, now: datetime, *, narrow: bool = False) -> str:
    """`just now`, `42 s ago`, `2 min ago`, `3 h ago`, `5 d ago`, or `never`.

    `narrow`: for the list's 10-cell column, where a language may drop its "ago"
    (the English is the same)."""
    if then is None:
        return _("never")
    seconds = (now - then).total_seconds()
    if seconds < 10:
        return _("just now")
    if narrow:
        if seconds < 60:
            return pgettext("narrow", "{n} s ago").format(n=int(seconds))
        if seconds < 3600:
            return pgettext("narrow", "{n} min ago").format(n=int(seconds // 60))
        if seconds < 86400:
            return pgettext("narrow", "{n} h ago").format(n=int(seconds // 3600))
        return pgettext("narrow", "{n} d ago").format(n=int(seconds // 86400))
    if seconds < 60:
        return _("{n} s ago").format(n=int(seconds))
    if seconds < 3600:
        return _("{n} min ago").format(n=int(seconds // 60))
    if seconds < 86400:
        return _("{n} h ago").format(n=int(seconds // 3600))
    return _("{n} d ago").format(n=int(seconds // 86400))


def latency_text(ms: float | None) -> str:
    """`142 ms`, `1.2 s`, or `–` when unknown."""
    if ms is None:
        return "–"
    if ms < 1000:
        return _("{n} ms").format(n=int(round(ms)))
    return _("{n} s").format(n=f"{ms / 1000:.1f}")


def phone_text(account: Account) -> str:
    """The masked phone (`+1 555 ••• 67`), or `–` when there is none."""
    return mask_phone(account.phone) if account.phone else "–"


def user_text(account: Account) -> str:
    """`@username`, else the user's name, else `–` (never logged in or not checked)."""
    return account.user.display if account.user else "–"


def yes_no(value: bool | None, yes: str = "", no: str = "") -> str:
    """`on`/`off` (or `yes`/`no` when given) for a known flag, `unknown` for None."""
    if value is None:
        return _("unknown")
    if value:
        return yes or _("on")
    return no or _("off")


def mask_secret(secret: str) -> str:
    """A secret shown as bullets with its length, never any of its characters."""
    count = ngettext("{n} character, hidden", "{n} characters, hidden", len(secret)).format(
        n=len(secret)
    )
    return f"{'•' * 12} ({count})"


def plain(value: object) -> Text:
    """Any value as literal text (never parsed as markup)."""
    return Text(str(value), no_wrap=True)


#: The summary line's word for where secrets go, by `Backend.kind` (the full sentence,
#: with the reason, is what `tgtui secrets where` prints).
SECRETS_SHORT = {
    "keyring": N_("system keyring"),
    "file": N_("file (no keyring)"),
    "none": N_("nowhere (keyring required)"),
    "unconfigured": N_("not configured"),
}


def secrets_short(kind: str, description: str) -> str:
    """Where secrets go, short enough for the summary line at 80 columns."""
    short = SECRETS_SHORT.get(kind)
    return _(short) if short else description


def secrets_tiny(kind: str) -> str | None:
    """Where secrets go in one word, for a summary line that `secrets_short` overflows
    (Russian at 80 columns); None for a kind it does not know."""
    if kind == "keyring":
        return pgettext("secrets kept in", "keyring")
    if kind == "file":
        return pgettext("secrets kept in", "file")
    if kind == "none":
        return pgettext("secrets kept in", "nowhere")
    return None
