"""Formatting helpers: badges read without colour, relative times, masking."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len
from ui_fixtures import NOW

from tgtui.accounts import State, Status
from tgtui.ui import format as fmt


def test_every_state_has_a_single_width_symbol_and_a_word() -> None:
    for state in State:
        badge = fmt.BADGES[state]
        assert cell_len(badge.symbol) == 1 and badge.word.isupper()
        text = fmt.badge_text(Status(state), NOW).plain
        assert text.startswith(f"{badge.symbol} {badge.word}")


def test_flood_badge_counts_down() -> None:
    status = Status(State.FLOOD_WAIT, flood_until=NOW + timedelta(seconds=252))
    assert fmt.badge_text(status, NOW).plain == "◷ FLOOD 4:12"
    assert fmt.badge_text(status, NOW + timedelta(hours=1)).plain == "◷ FLOOD 0:00"
    assert fmt.clock_reading(3700) == "1:01:40"


def test_relative_time() -> None:
    assert fmt.relative_time(None, NOW) == "never"
    assert fmt.relative_time(NOW - timedelta(seconds=3), NOW) == "just now"
    assert fmt.relative_time(NOW - timedelta(seconds=42), NOW) == "42 s ago"
    assert fmt.relative_time(NOW - timedelta(minutes=2), NOW) == "2 min ago"
    assert fmt.relative_time(NOW - timedelta(hours=3), NOW) == "3 h ago"
    assert fmt.relative_time(NOW - timedelta(days=5), NOW) == "5 d ago"


def test_masks_and_latency() -> None:
    assert "abc" not in fmt.mask_secret("abcdef")
    assert fmt.latency_text(None) == "–"
    assert fmt.latency_text(141.6) == "142 ms"
    assert fmt.latency_text(1234) == "1.2 s"
