"""The pitfalls are written in our own words: nothing is copied from the public guides.

The guides are the seed documents in `../shared/seeds/` beside the repository (CI has
them). Without them the test skips on a developer's machine and fails in CI.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest
from conftest import in_ci

from tgtui.troubleshoot import Pitfall, all_pitfalls, get

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "seeds"
RUN = 8  # words in a row that would count as copying


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("ё", "е"))


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _seed_files() -> list[Path]:
    files = sorted(p for p in SEEDS.glob("*") if p.is_file()) if SEEDS.is_dir() else []
    if not files:
        where = f"seed guides not found at {SEEDS.resolve()}"
        if in_ci():
            pytest.fail(f"{where}: CI must have ../shared/seeds/ beside the repository")
        pytest.skip(where)
    return files


def _seed_runs() -> set[tuple[str, ...]]:
    seed_runs: set[tuple[str, ...]] = set()
    for path in _seed_files():
        seed_runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")))
    assert len(seed_runs) > 1000, f"the seeds at {SEEDS} look empty: {len(seed_runs)} runs"
    return seed_runs


def _copied(pitfalls: list[Pitfall], seed_runs: set[tuple[str, ...]]) -> list[str]:
    """Every eight-word run of any pitfall text, in every language, found in a seed."""
    copied = []
    for p in pitfalls:
        for lang in p.languages:
            w = p.wording(lang)
            for text in (w.title, w.see, w.cause, *w.fix, " ".join(w.keywords)):
                for run in _runs(_words(text)) & seed_runs:
                    copied.append(f"{p.id} [{lang}]: {' '.join(run)}")
    return copied


def test_no_pitfall_text_copies_eight_words_from_a_seed() -> None:
    copied = _copied(all_pitfalls(), _seed_runs())
    assert not copied, "copied from the seeds:\n" + "\n".join(copied)


def test_a_russian_sentence_taken_from_the_russian_seed_would_be_caught() -> None:
    seed_runs = _seed_runs()
    russian = sorted(run for run in seed_runs if all(re.fullmatch("[а-я]+", w) for w in run))
    assert russian, "no Russian seed found"
    borrowed = " ".join(russian[0]).capitalize() + "."
    p = get("flood-wait")
    assert p is not None and p.ru is not None
    fake = dataclasses.replace(p, ru=dataclasses.replace(p.ru, fix=(borrowed,)))
    assert _copied([fake], seed_runs) == [f"flood-wait [ru]: {' '.join(russian[0])}"]
    assert _copied([p], seed_runs) == []


def test_missing_seeds_fail_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SEEDS", tmp_path / "nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have ../shared/seeds/"):
        _seed_files()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="seed guides not found"):
        _seed_files()
