"""Finding the pitfalls that explain a failure (`match`) or a person's words (`lookup`)."""

from __future__ import annotations

import builtins
import dataclasses
import re
from functools import cache

from tgtui.failure import Failure
from tgtui.troubleshoot.knowledge import all_pitfalls
from tgtui.troubleshoot.model import Pitfall

# Scores for match(): each tier outranks everything below it.
_BY_NAME = 1000
_BY_NAME_ANCESTOR = 300
_BY_EXC_TYPE = 200
_BY_PATTERN = 50
_BY_STAGE = 5

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TRAILING_NUMBER = re.compile(r"_(\d+)$")
# Pyrogram names a number in an error `_X`: FLOOD_WAIT_X, PHONE_MIGRATE_X.
_TRAILING_PLACEHOLDER = re.compile(r"_X$")
_CAMEL_WORD = r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+"  # PhoneNumberInvalid, FloodWait
_NAME_LIKE = re.compile(
    r"^(?:[A-Z0-9][A-Z0-9]*(?:_[A-Z0-9]+)+"  # FLOOD_WAIT_300, PHONE_CODE_EXPIRED
    r"|[A-Z][A-Z0-9]{3,}"  # ERROR, OSERROR
    r"|(?:[A-Za-z_][\w]*\.)*[A-Z][A-Za-z0-9]*(?:Error|Exception)"  # FloodWaitError
    rf"|(?:[A-Za-z_][\w]*\.)*{_CAMEL_WORD})$"  # pyrogram.errors....PhoneNumberInvalid
)
# Pyrogram's message: `Telegram says: [400 PHONE_NUMBER_INVALID] - The phone number ...`
_BRACKETED = re.compile(r"\[\s*-?\d{3}\s+([A-Z0-9][A-Z0-9_]*[A-Z0-9])\s*\]")
# A traceback's last line: `telethon.errors....FloodWaitError: A wait of ...`
_PREFIXED = re.compile(rf"^\s*((?:[A-Za-z_]\w*\.)*(?:{_CAMEL_WORD}|[A-Z][A-Z0-9_]+))\s*:")
_WAIT_IN_MESSAGE = re.compile(r"wait of (\d+) seconds", re.IGNORECASE)


def looks_like_error_name(text: str) -> bool:
    """True for `FLOOD_WAIT_300`, `PHONE_CODE_EXPIRED`, `FloodWaitError` and the like."""
    return bool(_NAME_LIKE.match(text.strip()))


def normalise_name(name: str) -> str:
    """The canonical error name: `FLOOD_WAIT_42` and `FloodWaitError` -> `FLOOD_WAIT`.

    Also drops a module path (`telethon.errors.X`, `pyrogram.errors.exceptions....`),
    Pyrogram's `_X` placeholder (`FLOOD_WAIT_X`, `PHONE_MIGRATE_X`) and an `ERROR_`
    prefix some tools add; Pyrogram's class names (`PhoneNumberInvalid`) become
    `PHONE_NUMBER_INVALID`.
    """
    text = name.strip().rsplit(".", 1)[-1]
    if not text:
        return ""
    if "_" in text or text.isupper():
        text = text.upper()
    else:
        text = _CAMEL.sub("_", text).upper()
        if text.endswith("_ERROR"):
            text = text[: -len("_ERROR")]
    text = _TRAILING_PLACEHOLDER.sub("", _TRAILING_NUMBER.sub("", text))
    if text.startswith("ERROR_"):
        text = text[len("ERROR_") :]
    return text


def name_in_message(text: str) -> str | None:
    """The error name a pasted message carries, if any.

    Pyrogram's `[400 PHONE_NUMBER_INVALID]`, or the exception class that starts a
    traceback's last line (`FloodWaitError: ...`, `pyrogram.errors....FloodWait: ...`).
    """
    found = _BRACKETED.search(text) or _PREFIXED.match(text)
    return found.group(1) if found else None


def to_failure(error: Failure | str) -> Failure:
    """A Failure from a Failure or a string, with wait seconds read from `FLOOD_WAIT_42`.

    A string that looks like an error name becomes the name; anything else the message,
    with the name it carries (Pyrogram's `[420 FLOOD_WAIT_X]`, `SomeError: ...`).
    """
    if isinstance(error, str):
        text = error.strip()
        if looks_like_error_name(text):
            error = Failure(name=text)
        else:
            error = Failure(name_in_message(text) or "", message=text)
    if error.seconds is None:
        name = error.name.strip().upper()
        # Only waits carry seconds: PHONE_MIGRATE_2 names a data centre, not a delay.
        in_name = _TRAILING_NUMBER.search(name) if "WAIT" in name else None
        found = in_name or _WAIT_IN_MESSAGE.search(error.message)
        if found:
            error = dataclasses.replace(error, seconds=int(found.group(1)))
    return error


def _candidates(name: str) -> set[str]:
    """Lower-cased spellings of a name to compare with a pitfall's names."""
    last = name.strip().rsplit(".", 1)[-1]
    return {s.lower() for s in (last, normalise_name(name)) if s}


def _lineage(name: str) -> list[str]:
    """A built-in exception name and its base classes, nearest first; else just the name."""
    last = name.strip().rsplit(".", 1)[-1]
    cls = getattr(builtins, last, None)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        skip = (BaseException, Exception, object)
        return [c.__name__ for c in cls.__mro__ if c not in skip]
    return [last]


@cache
def _names(p: Pitfall) -> frozenset[str]:
    return frozenset(n.lower() for n in p.names)


@cache
def _regexes(p: Pitfall) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in p.patterns)


def _score(p: Pitfall, failure: Failure, stage: str | None) -> int:
    names = _names(p)
    score = 0
    if failure.name:
        if _candidates(failure.name) & names:
            score += _BY_NAME
        else:
            for distance, base in enumerate(_lineage(failure.name)[1:], 1):
                if base.lower() in names:
                    score += _BY_NAME_ANCESTOR - 20 * distance
                    break
    if failure.exc_type:
        for distance, base in enumerate(_lineage(failure.exc_type)):
            if _candidates(base) & names:
                score += _BY_EXC_TYPE - 20 * distance
                break
    text = " ".join(t for t in (failure.message, failure.name) if t)
    hits = sum(1 for rx in _regexes(p) if rx.search(text)) if text else 0
    if hits:
        score += _BY_PATTERN + 5 * (hits - 1)
    if stage and stage in p.stages:
        score += _BY_STAGE
    return score


def match(error: Failure | str, stage: str | None = None) -> list[Pitfall]:
    """Pitfalls that explain `error`, best first.

    Ranked by exact error name (after normalising), then exception type (built-in base
    classes count, nearer is better), then message patterns, then `stage` (or the
    failure's own stage). Empty only when nothing relates at all.
    """
    failure = to_failure(error)
    stage = stage or failure.stage
    scored = [
        (score, i, p) for i, p in enumerate(all_pitfalls()) if (score := _score(p, failure, stage))
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [p for _, _, p in scored]
