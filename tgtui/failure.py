"""The typed failure value that crosses layer boundaries, and `localize` for its words.

The Telegram layer turns Telethon's exceptions into `Failure` values; the troubleshooter
matches them to pitfalls; the UI shows them. Nobody outside `tgtui.telegram` ever sees a
Telethon class.

A failure's `message` and a health check's `reason` are kept in English: they are matched
by the troubleshooter's patterns and cached in account.toml, and a file written under one
interface language must read right under another. `localize` turns such an English
sentence into the interface language when it is shown.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tgtui.i18n import DEFAULT, language, translator


@dataclass(frozen=True)
class Failure:
    """What went wrong, in a form the troubleshooter can match.

    name: the RPC error name (``PHONE_CODE_EXPIRED``, ``FLOOD_WAIT``, ``API_ID_INVALID``),
        or for failures that are not RPC errors the Python exception type name
        (``ConnectionError``, ``TimeoutError``, ``OSError``) or a tgtui name
        (``SESSION_LOCKED``, ``SECRET_MISSING``).
    message: one line for a person, in English (see `localize`); never contains a secret.
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

    @property
    def text(self) -> str:
        """The message in the interface language (the name when there is no message)."""
        return localize(self.message) if self.message else self.name

    def __str__(self) -> str:
        return self.text


def english_of(exc: BaseException) -> str:
    """An exception's message as tgtui wrote it (English for its store errors, whose `str()`
    is translated), for a failure message that may be cached on disk."""
    said = getattr(exc, "english", None)
    if isinstance(said, str):
        return said
    if exc.args and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


# The catalogs whose English sentences can come back from disk or from a Failure.
_STORED_AREAS = ("telegram", "accounts")
_FIELD = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
_FORMATTED = re.compile(r"\{[^{}]*[:!][^{}]*\}")
_MIN_LITERAL = 6  # letters a template needs outside its placeholders to be matched on


@dataclass(frozen=True)
class _Template:
    """One English sentence with placeholders, as a pattern that finds their values."""

    pattern: re.Pattern[str]
    singular: str
    plural: str | None  # the English plural form (ngettext) or None


def localize(text: str) -> str:
    """An English sentence tgtui made (a failure message, a cached status reason) in the
    interface language: looked up as it is, else matched against the catalogs' sentences
    with placeholders, whose values are localized in turn. Unknown text comes back as is."""
    lang = language()
    if lang == DEFAULT or not text:
        return text
    return _localize(lang, text)


@lru_cache(maxsize=4096)
def _localize(lang: str, text: str) -> str:
    said = translator(lang).gettext(text)
    if said != text:
        return said
    for tpl in _templates(lang):
        found = tpl.pattern.fullmatch(text)
        if found is None:
            continue
        values = {
            k: v if v.lstrip("+-").isdigit() else _localize(lang, v)
            for k, v in found.groupdict().items()
        }
        if tpl.plural is None:
            wording = translator(lang).gettext(tpl.singular)
        else:
            count = next((int(v) for v in values.values() if v.lstrip("+-").isdigit()), 1)
            wording = translator(lang).ngettext(tpl.singular, tpl.plural, count)
        try:
            return wording.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    if text.endswith(".") and not text.endswith(".."):  # a sentence closed by its user
        shorter = _localize(lang, text[:-1])
        if shorter != text[:-1]:
            return shorter if shorter.endswith((".", "!", "?", "…")) else shorter + "."
    return text


def _pattern(template: str, numeric: bool = False) -> re.Pattern[str] | None:
    parts: list[str] = []
    seen: set[str] = set()
    pos = 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        name = m.group(1)
        value = r"[+-]?\d+" if numeric else ".+?"
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{value})")
        seen.add(name)
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    if not seen:
        return None
    try:
        return re.compile("".join(parts), re.DOTALL)
    except re.error:
        return None


def _literal_weight(template: str) -> int:
    return sum(c.isalpha() for c in _FIELD.sub("", template))


@lru_cache(maxsize=4)
def _templates(lang: str) -> tuple[_Template, ...]:
    """Every sentence with placeholders of the stored areas' catalogs, most specific first."""
    found: list[_Template] = []
    folder = resources.files("tgtui") / "locale" / lang / "LC_MESSAGES"
    for area in _STORED_AREAS:
        try:
            data = (folder / f"{area}.mo").read_bytes()
        except (FileNotFoundError, NotADirectoryError, OSError):
            continue
        for msgid in _mo_ids(data):
            if "{" not in msgid or "\x04" in msgid:  # no placeholder, or a context
                continue
            forms = msgid.split("\x00")
            singular, plural = forms[0], forms[1] if len(forms) > 1 else None
            for form in forms:
                weight = _literal_weight(form)
                if not weight or _FORMATTED.search(form):
                    continue  # nothing to match on, or a value formatted with a spec
                # Short ones ("{n} s", "{minutes} min {seconds} s") only match numbers.
                pattern = _pattern(form, numeric=weight < _MIN_LITERAL)
                if pattern is not None:
                    found.append(_Template(pattern, singular, plural))
    found.sort(key=lambda t: (-_literal_weight(t.singular), t.plural is None))
    return tuple(found)


def _mo_ids(data: bytes) -> list[str]:
    """The original (English) strings of a compiled catalog, plural pairs joined by NUL."""
    if len(data) < 20:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _version, count, originals = struct.unpack(order + "3I", data[4:16])
    ids: list[str] = []
    for i in range(count):
        at = originals + 8 * i
        length, offset = struct.unpack(order + "2I", data[at : at + 8])
        ids.append(data[offset : offset + length].decode("utf-8", "replace"))
    return ids
