"""The pitfalls are written in our own words: nothing is copied from the public guides.

The guides are the seed documents in `../shared/seeds/` beside the repository (CI has
them). Without them the test skips on a developer's machine and fails in CI.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import in_ci

from tgtui.troubleshoot import all_pitfalls

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "seeds"
RUN = 8  # words in a row that would count as copying


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


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


def test_no_pitfall_text_copies_eight_words_from_a_seed() -> None:
    files = _seed_files()
    seed_runs: set[tuple[str, ...]] = set()
    for path in files:
        seed_runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")))
    assert len(seed_runs) > 1000, f"the seeds at {SEEDS} look empty: {len(seed_runs)} runs"
    copied = []
    for p in all_pitfalls():
        for text in (p.title, p.see, p.cause, *p.fix, " ".join(p.keywords)):
            for run in _runs(_words(text)) & seed_runs:
                copied.append(f"{p.id}: {' '.join(run)}")
    assert not copied, "copied from the seeds:\n" + "\n".join(copied)


def test_missing_seeds_fail_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SEEDS", tmp_path / "nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have ../shared/seeds/"):
        _seed_files()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="seed guides not found"):
        _seed_files()
