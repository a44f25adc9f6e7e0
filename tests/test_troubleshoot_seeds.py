"""The pitfalls are written in our own words: nothing is copied from the public guides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tgtui.troubleshoot import all_pitfalls

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RUN = 8  # words in a row that would count as copying


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_pitfall_text_copies_eight_words_from_a_seed() -> None:
    files = sorted(SEEDS.glob("*")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"seed guides not found at {SEEDS}")
    seed_runs: set[tuple[str, ...]] = set()
    for path in files:
        if path.is_file():
            seed_runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")))
    copied = []
    for p in all_pitfalls():
        for text in (p.title, p.see, p.cause, *p.fix, " ".join(p.keywords)):
            for run in _runs(_words(text)) & seed_runs:
                copied.append(f"{p.id}: {' '.join(run)}")
    assert not copied, "copied from the seeds:\n" + "\n".join(copied)
