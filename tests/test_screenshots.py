"""The committed screenshots (screenshots/*.svg) match what the app draws today.

`python -m screenshots --out TMP` regenerates every picture in a fresh process and the
files must be the same set, byte for byte. A UI change that alters a picture fails here
until someone looks at the new one and commits it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "screenshots"
REGENERATE = ".venv/bin/python -m screenshots"


def _svgs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.svg"))}


def test_committed_screenshots_are_up_to_date(tmp_path: Path) -> None:
    if not (COMMITTED / "make.py").is_file():
        pytest.skip("no screenshots/ folder here (e.g. an sdist)")
    out = tmp_path / "svg"
    env = dict(os.environ, TMPDIR=str(tmp_path), TEXTUAL_ANIMATIONS="none")
    proc = subprocess.run(
        [sys.executable, "-m", "screenshots", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"{REGENERATE} failed:\n{proc.stderr[-4000:]}"

    fresh, committed = _svgs(out), _svgs(COMMITTED)
    how = f"Look at the new pictures, then regenerate them with `{REGENERATE}`."
    missing = sorted(set(fresh) - set(committed))
    extra = sorted(set(committed) - set(fresh))
    assert not missing, f"screenshots/ lacks {', '.join(missing)}. {how}"
    assert not extra, f"screenshots/ has {', '.join(extra)}, which nothing makes any more. {how}"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale screenshots: {', '.join(stale)}. {how}"
