"""Words for search: Snowball stems in both languages, filler words, typo distance."""

from __future__ import annotations

import pytest

from tgtui.troubleshoot.words import correct, detect_language, distance, stem, terms, tokens


def test_russian_and_english_forms_share_a_stem() -> None:
    assert stem("пароль") == stem("пароля") == stem("паролем")
    assert stem("сеанс") == stem("сеансы") == stem("сеансов")
    assert stem("arrives") == stem("arrived") == stem("arrive")
    assert stem("api_id") == "api_id"  # identifiers are kept as they are


def test_filler_words_are_dropped_and_identifiers_split() -> None:
    assert terms("у меня не приходит код") == [stem("приходит"), "код"]
    assert tokens("api_hash") == ["api_hash", "api", "hash"]
    assert tokens("Пришёл") == ["пришел"]


def test_language_follows_the_script() -> None:
    assert detect_language("код не пришел") == "ru"
    assert detect_language("FLOOD_WAIT ждать") == "ru"
    assert detect_language("code never arrives") == "en"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("hint", "hnit", 1), ("password", "pasword", 1), ("пароль", "пороль", 1), ("code", "code", 0)],
)
def test_distance_counts_slips_and_swaps(a: str, b: str, expected: int) -> None:
    assert distance(a, b, 2) == expected


def test_correction_finds_the_nearest_known_word_within_what_the_length_allows() -> None:
    known = frozenset({"password", "hint", "proxy", "пароль"})
    assert correct("pasword", known) == "password"
    assert correct("hnit", known) == "hint"
    assert correct("пороль", known) == "пароль"
    assert correct("pxy", known) is None  # too short to guess
    assert correct("xyzzy", known) is None
