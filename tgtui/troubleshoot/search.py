"""Free-text search over the pitfalls, for people who describe a problem in words."""

from __future__ import annotations

import re
from functools import cache

from tgtui.troubleshoot.knowledge import all_pitfalls
from tgtui.troubleshoot.matcher import normalise_name
from tgtui.troubleshoot.model import Pitfall

_WORD = re.compile(r"[a-z0-9_]+")
_FILLER = (
    "a an the is are was be been am i me my mine we our you your it its this that to of in"
    " on at by for from with and or but do does did can could will would should what why"
    " how when where which who there here so just get got gets have has had"
)
_STOP = frozenset(_FILLER.split())
_SUFFIXES = ("ing", "ed", "es", "s", "e")

# How much a query word counts when found in each field.
_FIELD_WEIGHTS = {"title": 5, "keywords": 4, "names": 4, "see": 2, "cause": 1, "fix": 1}


def _stem(word: str) -> str:
    """A crude stem so that arrive/arrives/arrived and lock/locked compare equal."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    """Stemmed, lower-cased words of `text`, without filler words."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def _phrase(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@cache
def _index(p: Pitfall) -> dict[str, frozenset[str]]:
    fields = {
        "title": p.title,
        "keywords": " ".join(p.keywords),
        "names": " ".join(p.names + tuple(normalise_name(n) for n in p.names)),
        "see": p.see,
        "cause": p.cause,
        "fix": " ".join(p.fix),
    }
    return {key: frozenset(_terms(value)) for key, value in fields.items()}


@cache
def _phrases(p: Pitfall) -> dict[str, str]:
    return {
        "title": _phrase(p.title),
        "see": _phrase(p.see),
        "body": _phrase(p.cause + " " + " ".join(p.fix)),
    }


def _score(p: Pitfall, query: str, terms: list[str]) -> float:
    index = _index(p)
    score = 0.0
    matched = 0
    for term in terms:
        gained = sum(w for field, w in _FIELD_WEIGHTS.items() if term in index[field])
        if gained:
            matched += 1
            score += gained
    keywords = [_phrase(k) for k in p.keywords]
    names = {n.lower() for n in p.names} | {normalise_name(n).lower() for n in p.names}
    if query in keywords:
        score += 40
    if normalise_name(query).lower() in names or query.replace(" ", "_") in names:
        score += 50
    score += sum(12 for k in keywords if " " in k and k in query)
    phrases = _phrases(p)
    if " " in query:
        score += 20 * (query in phrases["title"]) + 8 * (query in phrases["see"])
        score += 4 * (query in phrases["body"])
    if terms:
        score *= 0.5 + 0.5 * matched / len(terms)
    return score


def rank(text: str) -> list[tuple[Pitfall, float]]:
    """Pitfalls related to `text` with their scores, best first."""
    query = _phrase(text)
    if not query:
        return []
    terms = _terms(text) or [_stem(w) for w in _WORD.findall(text.lower())]
    scored = [(s, i, p) for i, p in enumerate(all_pitfalls()) if (s := _score(p, query, terms)) > 0]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(p, s) for s, _, p in scored]


def lookup(text: str) -> list[Pitfall]:
    """Pitfalls related to `text`, best first: title, keywords and error names weigh most."""
    return [p for p, _ in rank(text)]
