"""The benchmarks run: `python -m benchmarks --quick` prints a row for every benchmark.

Only that they run and report: the numbers are not checked (benchmarks are not tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_quick_benchmarks_print_every_row(tmp_path: Path) -> None:
    from benchmarks.report import ROW_IDS

    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = proc.stdout
    assert "machine:" in out and "Textual" in out and "Telethon" in out
    assert "| id | figure | value | baseline | ratio | target | met |" in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    ids = [line.split("|")[1].strip() for line in table[1:]]
    for rid in ROW_IDS:
        assert rid in ids, f"no row for {rid}:\n{out}"
    assert "ERROR" not in out
