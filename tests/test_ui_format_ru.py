"""The list's words in Russian fit their columns: badges (with a flood countdown) in the
status column, ages in the "checked" column, and every state reads differently without
colour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from ui_fixtures import NOW, in_russian

from tgtui.accounts import State, Status
from tgtui.ui import format as fmt
from tgtui.ui.widgets.account_table import CHECKED_W, STATUS_W, plan_columns

__all__ = ["in_russian"]  # the fixture, used by name

AGES = [None, 3, 42, 59, 60, 9 * 60, 59 * 60, 3600, 23 * 3600, 86400, 99 * 86400]


@pytest.mark.usefixtures("in_russian")
def test_russian_badges_fit_the_status_column_and_differ() -> None:
    words = set()
    for state in State:
        status = Status(state, flood_until=NOW + timedelta(hours=9, minutes=59, seconds=59))
        text = fmt.badge_text(status, NOW).plain
        assert cell_len(text) <= STATUS_W, text
        assert cell_len(fmt.BADGES[state].symbol) == 1
        word = fmt.badge_word(state)
        assert word.isupper() and not word.isascii(), word
        words.add((fmt.BADGES[state].symbol, word))
    assert len(words) == len(State)  # two states never look the same


@pytest.mark.usefixtures("in_russian")
def test_russian_ages_fit_the_checked_column() -> None:
    for seconds in AGES:
        then = None if seconds is None else NOW - timedelta(seconds=seconds)
        age = fmt.relative_time(then, NOW, narrow=True)
        assert cell_len(age) <= CHECKED_W, age
        assert not age.isascii(), age  # Russian units, not "min ago"
    assert fmt.relative_time(NOW - timedelta(minutes=12), NOW, narrow=True) == "12 мин"
    assert fmt.relative_time(NOW - timedelta(minutes=12), NOW) == "12 мин назад"


@pytest.mark.usefixtures("in_russian")
def test_russian_column_headers_fit() -> None:
    for width in (80, 100, 120, 160):
        for _key, label, column in plan_columns(width):
            assert cell_len(label) <= column, (label, column)
            assert not label.isascii(), label


def test_english_words_are_unchanged_after_russian(in_russian: None) -> None:
    from tgtui.i18n import set_language

    assert fmt.badge_word(State.FLOOD_WAIT) == "ЛИМИТ"
    set_language("en")
    assert fmt.badge_word(State.FLOOD_WAIT) == "FLOOD"  # the cache is per language
    assert fmt.relative_time(NOW - timedelta(minutes=12), NOW, narrow=True) == "12 min ago"
