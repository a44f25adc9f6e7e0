"""Words of English and Russian text for search: tokens, stems, filler words, typos.

Stems come from the Snowball algorithms (the `snowballstemmer` package): one stemmer per
script, so a query may mix Russian words with Latin ones such as `api_id` or `FLOOD_WAIT`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

_TOKEN = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

_FILLER_EN = (
    "a an the is are was be been am i me my mine we our you your it its this that to of in"
    " on at by for from with and or but do does did can could will would should what why"
    " how when where which who there here so just get got gets have has had"
)
# Words that carry no topic in a Russian question ("как мне ...", "у меня не ...").
_FILLER_RU = (
    "а без бы был была были было быть в вам вас во вот все всё вы где да для до его ее её"
    " если есть ещё еще же за и из или им их к как какой когда кто ли мне меня мы на над"
    " не нет ни но ну о об он она они оно от по под после при про с со так там то тоже"
    " только тут у уже чего чем что чтобы это этот эта эти я можно надо нужно почему зачем"
    " мой моя мое моё мои свой своя свои делать сделать"
)
STOP = frozenset(_FILLER_EN.split()) | frozenset(_FILLER_RU.split())

#: Words that turn a query into a how-to question.
HOWTO_CUES = frozenset(
    ["how", "where", "which", "howto", "как", "где", "откуда", "куда", "каким", "какой"]
)


def is_cyrillic(text: str) -> bool:
    """True when `text` has Cyrillic letters."""
    return bool(_CYRILLIC.search(text))


def detect_language(text: str) -> str:
    """The language of `text`: "ru" when it has Cyrillic letters, else "en"."""
    return "ru" if is_cyrillic(text) else "en"


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    import snowballstemmer  # loads every language it has: only when a search needs it

    return snowballstemmer.stemmer(language)


@cache
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word, Russian or English by its script."""
    if not word.isalpha():
        return word
    language = "russian" if is_cyrillic(word) else "english"
    result: str = _stemmer(language).stemWord(word)
    return result


def tokens(text: str, *, split: bool = True) -> list[str]:
    """Lower-case words; `api_hash` also yields `api` and `hash` with `split`; ё reads as е."""
    found: list[str] = []
    for token in _TOKEN.findall(text.lower().replace("ё", "е")):
        found.append(token)
        if split and "_" in token:
            found += [part for part in token.split("_") if part]
    return found


def terms(text: str, *, split: bool = True) -> list[str]:
    """Stems of the words of `text` that carry meaning (filler words dropped)."""
    return [stem(w) for w in tokens(text, split=split) if w not in STOP]


def phrase(text: str) -> str:
    """The text as one lower-case line of words, for phrase comparison."""
    return " ".join(_TOKEN.findall(text.lower().replace("ё", "е")))


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (`hnit` -> `hint` is 1), capped at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


def allowed_typos(word: str) -> int:
    """How many slips a word of this length may carry and still be recognised."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


@lru_cache(maxsize=8)
def _by_length(vocabulary: frozenset[str]) -> dict[int, Sequence[str]]:
    groups: dict[int, list[str]] = {}
    for known in vocabulary:
        groups.setdefault(len(known), []).append(known)
    return {length: sorted(words) for length, words in groups.items()}


@lru_cache(maxsize=1024)
def correct(word: str, vocabulary: frozenset[str]) -> str | None:
    """The known word nearest to an unknown `word`, within the typos its length allows."""
    limit = allowed_typos(word)
    if not limit or not word.isalpha():
        return None
    groups = _by_length(vocabulary)
    nearby = range(len(word) - limit, len(word) + limit + 1)
    letters = set(word)
    best: tuple[int, str] | None = None
    for known in (k for length in nearby for k in groups.get(length, ())):
        # Each slip changes the set of letters by two at most: a cheap way to skip most.
        if len(letters.symmetric_difference(known)) > 2 * limit:
            continue
        # One slip: keep the first letter unless the slip is a swap of the first two.
        if limit < 2 and known[:1] != word[:1] and known[:2] != word[1::-1]:
            continue
        d = distance(word, known, limit)
        if d <= limit and (best is None or (d, known) < best):
            best = (d, known)
    return best[1] if best else None
