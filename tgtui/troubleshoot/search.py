"""Free-text search over the pitfalls, for people who describe a problem in words.

A query may be English or Russian (or both at once), may carry error names as Telethon or
Pyrogram write them, and may have typos. Every pitfall is indexed in all the languages it
is written in; Russian words are also looked up in English through a small glossary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache

from tgtui.failure import Failure
from tgtui.troubleshoot import glossary
from tgtui.troubleshoot.knowledge import all_pitfalls, get
from tgtui.troubleshoot.matcher import (
    looks_like_error_name,
    match,
    name_in_message,
    normalise_name,
    to_failure,
)
from tgtui.troubleshoot.model import Pitfall
from tgtui.troubleshoot.words import HOWTO_CUES, STOP, correct, phrase, stem, terms, tokens

# How much a query word counts when found in each field.
_FIELD_WEIGHTS = {"title": 5, "keywords": 4, "names": 4, "see": 2, "cause": 1, "fix": 1}
_NAME_HIT = 60  # the query carries one of the pitfall's error names
_GLOSSARY_SHARE = 0.6  # a word found only through its English translation counts less
_TYPO_SHARE = 0.8  # and so does a word recognised despite a typo
_PART_SHARE = 0.5  # and a part of an identifier (`hash` of `api_hash`)
_HOWTO_BOOST = 1.5  # a how-to question prefers how-to entries
_PAIR_HIT = 6  # two query words side by side, in the same order, in a title or keyword
_PATTERN_HIT = 10  # a pasted message matches one of the pitfall's message patterns
_NAME_TOKEN = re.compile(r"[A-Za-z_][\w.]*")


def _texts(p: Pitfall) -> dict[str, list[str]]:
    """Each field's text in every language the pitfall is written in."""
    fields: dict[str, list[str]] = {k: [] for k in _FIELD_WEIGHTS}
    for lang in p.languages:
        w = p.wording(lang)
        fields["title"].append(w.title)
        fields["keywords"].append(" ".join(w.keywords))
        fields["see"].append(w.see)
        fields["cause"].append(w.cause)
        fields["fix"].append(" ".join(w.fix))
    fields["names"] = [" ".join(p.names + tuple(normalise_name(n) for n in p.names))]
    return fields


@cache
def _index(p: Pitfall) -> dict[str, frozenset[str]]:
    return {key: frozenset(terms(" ".join(v))) for key, v in _texts(p).items()}


@cache
def _phrases(p: Pitfall) -> dict[str, tuple[str, ...]]:
    words = [p.wording(lang) for lang in p.languages]
    return {
        "title": tuple(phrase(w.title) for w in words),
        "see": tuple(phrase(w.see) for w in words),
        "body": tuple(phrase(w.cause + " " + " ".join(w.fix)) for w in words),
        "keywords": tuple(phrase(k) for w in words for k in w.keywords),
    }


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


@cache
def _title_pairs(p: Pitfall) -> frozenset[tuple[str, str]]:
    """Neighbouring stems of the titles and keyword phrases, in every language."""
    pairs: set[tuple[str, str]] = set()
    for lang in p.languages:
        w = p.wording(lang)
        for text in (w.title, *w.keywords):
            pairs |= _pairs(terms(text))
    return frozenset(pairs)


@cache
def _keyword_terms(p: Pitfall) -> tuple[frozenset[str], ...]:
    """The stems of each keyword, in every language."""
    return tuple(
        frozenset(terms(k, split=False)) for lang in p.languages for k in p.wording(lang).keywords
    )


@cache
def _names(p: Pitfall) -> frozenset[str]:
    return frozenset({n.lower() for n in p.names} | {normalise_name(n).lower() for n in p.names})


@cache
def _vocabulary(pitfalls: tuple[Pitfall, ...]) -> frozenset[str]:
    """Every word the pitfalls use, for typo correction."""
    words: set[str] = set()
    for p in pitfalls:
        for values in _texts(p).values():
            words.update(w for w in tokens(" ".join(values)) if w.isalpha())
    return frozenset(words)


@cache
def _stems(pitfalls: tuple[Pitfall, ...]) -> frozenset[str]:
    found: set[str] = set(glossary.russian_terms())
    for p in pitfalls:
        for values in _index(p).values():
            found |= values
    return frozenset(found)


@cache
def _rarity(pitfalls: tuple[Pitfall, ...]) -> dict[str, float]:
    """How telling each stem is: 1.5 for a stem in one pitfall, 0.5 for one in all."""
    counts: dict[str, int] = {}
    for p in pitfalls:
        for term in frozenset().union(*_index(p).values()):
            counts[term] = counts.get(term, 0) + 1
    total = max(len(pitfalls), 2)
    return {t: 0.5 + math.log(total / n) / math.log(total) for t, n in counts.items()}


def _names_in(text: str) -> set[str]:
    """Error names a query carries: `FLOOD_WAIT_X`, `PhoneNumberInvalid`, `[400 X]`."""
    found = {
        normalise_name(t).lower() for t in _NAME_TOKEN.findall(text) if looks_like_error_name(t)
    }
    carried = name_in_message(text)
    if carried:
        found.add(normalise_name(carried).lower())
    return {n for n in found if n}


class _Query:
    """A query taken apart once: its terms, their alternatives, names and intent."""

    def __init__(self, text: str, pitfalls: tuple[Pitfall, ...]) -> None:
        self.phrase = phrase(text)
        self.names = _names_in(text)
        self.howto = any(w in HOWTO_CUES for w in tokens(text))
        known = _stems(pitfalls)
        whole = tokens(text, split=False)
        words = [w for w in whole if w not in STOP] or whole
        # Each term: (stem, weight) alternatives, best first.
        self.terms: list[list[tuple[str, float]]] = []
        for word in words:
            term, share = stem(word), 1.0
            if term not in known:
                fixed = correct(word, _vocabulary(pitfalls))
                fixed_stem = stem(fixed) if fixed else correct(term, known)
                if fixed_stem is not None:
                    term, share = fixed_stem, _TYPO_SHARE
            options = [(term, share)]
            options += [(t, share * _GLOSSARY_SHARE) for t in glossary.english_for(term)]
            # `api_hash` also finds "api hash" written as two words, for less.
            options += [(part, _PART_SHARE) for part in word.split("_") if part and "_" in word]
            self.terms.append(options)
        self.pairs = _pairs([options[0][0] for options in self.terms])
        self.rarity = _rarity(pitfalls)


def _score(p: Pitfall, q: _Query) -> float:
    index = _index(p)
    score = 0.0
    matched = 0
    for options in q.terms:
        gained = 0.0
        for term, share in options:
            found = sum(w for field, w in _FIELD_WEIGHTS.items() if term in index[field])
            gained = max(gained, found * share * q.rarity.get(term, 1.0))
        if gained:
            matched += 1
            score += gained
    score += _PAIR_HIT * len(q.pairs & _title_pairs(p))
    phrases = _phrases(p)
    if q.names & _names(p):
        score += _NAME_HIT
    if q.phrase in phrases["keywords"]:
        score += 40
    # A keyword of several words all present in the query, in any order or with words
    # between them ("не помню облачный пароль" has "не помню пароль").
    said = {options[0][0] for options in q.terms}
    score += sum(12 for k in _keyword_terms(p) if len(k) > 1 and k <= said)
    if " " in q.phrase:
        score += 20 * any(q.phrase in t for t in phrases["title"])
        score += 8 * any(q.phrase in t for t in phrases["see"])
        score += 4 * any(q.phrase in t for t in phrases["body"])
    if q.terms:
        score *= 0.25 + 0.75 * matched / len(q.terms)
    if q.howto and p.kind == "howto":
        score *= _HOWTO_BOOST
    return score


def rank(
    text: str, pitfalls: Sequence[Pitfall] | None = None, *, hinted: Sequence[Pitfall] = ()
) -> list[tuple[Pitfall, float]]:
    """Pitfalls related to `text` with their scores, best first.

    `hinted` pitfalls (those whose message patterns the text matched) score extra.
    """
    if not phrase(text):
        return []
    chosen = tuple(all_pitfalls() if pitfalls is None else pitfalls)
    query = _Query(text, chosen)
    bonus = {p.id: _PATTERN_HIT for p in hinted}
    scored = [
        (s, i, p) for i, p in enumerate(chosen) if (s := _score(p, query) + bonus.get(p.id, 0)) > 0
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(p, s) for s, _, p in scored]


def lookup(text: str) -> list[Pitfall]:
    """Pitfalls related to `text`, best first: title, keywords and error names weigh most."""
    return [p for p, _ in rank(text)]


def answer(text: str) -> list[Pitfall]:
    """What `tgtui troubleshoot TEXT` shows, best first.

    A pitfall id shows that pitfall; an error name (Telethon's, Pyrogram's or Telegram's
    own) the pitfalls it names; a pasted message the pitfalls its name or patterns point
    to, then the search hits for its words.
    """
    text = text.strip()
    known = get(text)
    if known is not None:
        return [known]
    return [p for p, _ in ranked_answer(text)[0]]


def ranked_answer(text: str) -> tuple[list[tuple[Pitfall, float]], int]:
    """`answer` with search scores, and how many leading pitfalls an error name chose.

    Pitfalls named by an error name in the text come first (score 0: not from search);
    message patterns then count as one strong word among the search's.
    """
    failure = to_failure(text.strip())
    found = match(failure)
    if found and looks_like_error_name(text.strip()):
        return [(p, 0.0) for p in found], len(found)
    named = match(Failure(failure.name)) if failure.name else []
    ranked = rank(text, hinted=[p for p in found if p not in named])
    return [(p, 0.0) for p in named] + [(p, s) for p, s in ranked if p not in named], len(named)
