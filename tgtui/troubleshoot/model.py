"""The pitfall record, the fixed vocabularies it uses, and plain-text description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tgtui.i18n import N_, gettext_in, language

if TYPE_CHECKING:  # pragma: no cover
    from tgtui.failure import Failure

#: Where in tgtui's life a pitfall can happen, in the order a person meets them,
#: with a heading for each.
STAGES: dict[str, str] = {
    "portal": "Getting api_id and api_hash on my.telegram.org",
    "credentials": "Using api_id and api_hash",
    "phone": "Phone number",
    "code": "Login code",
    "qr": "QR code login",
    "password": "Two-step verification password",
    "session": "Saved sessions",
    "environment": "This machine, its network and terminal",
}

#: What the UI can offer to do about a pitfall: action id -> label shown on a key.
ACTIONS: dict[str, str] = {
    "wait_retry": "wait and retry",
    "resend_code": "send the code another way",
    "switch_to_qr": "log in with a QR code instead",
    "relogin": "log in again",
    "delete_session_relogin": "delete the stale session and log in again",
    "use_file_secrets": "keep secrets in a private file",
    "edit_credentials": "fix api_id / api_hash",
    "edit_phone": "fix the phone number",
    "set_proxy": "set a proxy",
    "retry": "try again",
}

#: Languages every pitfall is written in; English is the one the fields of Pitfall hold.
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"

#: What a pitfall is: a problem with a symptom, or a how-to question answered with steps.
KINDS = ("problem", "howto")

#: Placeholder in pitfall text replaced by the wait time of a failure.
WAIT_PLACEHOLDER = "{wait}"
_WAIT_UNKNOWN = N_("the time Telegram named")


@dataclass(frozen=True)
class Wording:
    """A pitfall's words in one language."""

    title: str
    see: str
    cause: str
    fix: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pitfall:
    """One known problem: the symptom, why it happens, and how to get past it.

    `errors`, `exceptions` and `patterns` are what the matcher compares a failure with:
    error names (RPC or tgtui), Python exception type names, and case-insensitive
    regular expressions on the failure message.
    """

    id: str
    title: str
    stages: tuple[str, ...]
    see: str
    cause: str
    fix: tuple[str, ...]
    errors: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    action: str | None = None
    links: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    kind: str = "problem"
    ru: Wording | None = None

    def wording(self, lang: str = DEFAULT_LANGUAGE) -> Wording:
        """The words in `lang`; English when that translation is missing."""
        if lang == "ru" and self.ru is not None:
            return self.ru
        return Wording(self.title, self.see, self.cause, self.fix, self.keywords)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this pitfall is written in."""
        return ("en", "ru") if self.ru is not None else ("en",)

    @property
    def stage(self) -> str:
        """The main stage: the first one listed."""
        return self.stages[0]

    @property
    def action_label(self) -> str | None:
        """The short label for this pitfall's action in the interface language, if any."""
        if not self.action:
            return None
        from tgtui.troubleshoot.knowledge import action_label

        return action_label(self.action)

    @property
    def names(self) -> tuple[str, ...]:
        """Every error and exception name this pitfall answers to."""
        return self.errors + self.exceptions


def format_wait(seconds: int | float) -> str:
    """Seconds as a clock reading: 252 -> "4:12", 3700 -> "1:01:40"."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def fill_wait(text: str, seconds: int | float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Replace the wait placeholder with a clock reading, or a phrase when unknown."""
    if WAIT_PLACEHOLDER not in text:
        return text
    unknown = gettext_in(lang, _WAIT_UNKNOWN)
    value = format_wait(seconds) if seconds is not None else unknown
    return text.replace(WAIT_PLACEHOLDER, value)


_DESCRIBE = (N_("What you see: "), N_("Why: "), N_("What to do:"), N_("Links: "), N_("tgtui can: "))


def describe(p: Pitfall, failure: Failure | None = None, lang: str | None = None) -> str:
    """The pitfall as unwrapped plain text in `lang` (the interface language when None),
    with the failure's wait time filled in."""
    lang = lang or language()
    seconds = failure.seconds if failure is not None else None
    see, why, todo, links, can = (gettext_in(lang, text) for text in _DESCRIBE)
    w = p.wording(lang)
    lines = [
        fill_wait(w.title, seconds, lang),
        see + fill_wait(w.see, seconds, lang),
        why + fill_wait(w.cause, seconds, lang),
        todo,
    ]
    lines += [f"{n}. {fill_wait(step, seconds, lang)}" for n, step in enumerate(w.fix, 1)]
    if p.links:
        lines.append(links + ", ".join(p.links))
    if p.action:
        # Labels in other languages live in the data file, read by the knowledge module.
        from tgtui.troubleshoot.knowledge import action_label

        lines.append(can + action_label(p.action, lang))
    return "\n".join(lines)
