"""Rows, the machine description and the printed table."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata


@dataclass
class Row:
    """One measured figure, its baseline and its target."""

    id: str  # stable across --quick and full runs (the test looks for these)
    figure: str  # what was measured, with N / concurrency
    value: float | None
    unit: str = ""
    baseline: float | None = None
    baseline_what: str = ""
    target: str = ""  # human text, e.g. "ratio <= 1.15"
    met: bool | None = None  # None: reported only, no target
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """value / baseline, when both exist."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


ROW_IDS = (
    "startup/empty",
    "startup/small",
    "startup/large",
    "startup/telethon",
    "sweep/quick-c8",
    "sweep/quick-c32",
    "sweep/full-c8",
    "sweep/full-c32",
    "sweep/cpu",
    "sweep/quick-requests",
    "sweep/full-requests",
    "responsive/p50",
    "responsive/p95",
    "memory/small",
    "memory/peak",
    "memory/per-account",
    "cost/full-requests",
    "cost/quick-requests",
    "cost/full-bytes",
    "cost/quick-bytes",
    "scale/startup",
    "scale/memory",
    "scale/sweep",
    "history/bytes-per-account-month",
)


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or platform.processor())."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> str:
    """One line saying where the figures come from."""
    py = platform.python_version()
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {py} ({sys.implementation.name}), Telethon {_version('telethon')}, "
        f"Textual {_version('textual')}, tgtui {_version('tgtui')}"
    )


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def render(rows: list[Row], *, quick: bool, elapsed: float) -> str:
    """The table as Markdown (readable on a terminal and pasteable into the README)."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick (smoke run: small N, few repetitions)" if quick else "full"
    lines = [
        f"tgtui benchmarks — {mode} — {when} — {elapsed:.0f} s",
        f"machine: {machine()}",
        "",
        "| id | figure | value | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = _num(r.baseline, r.unit)
        if r.baseline_what and r.baseline is not None:
            base = f"{base} ({r.baseline_what})"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        met = "-" if r.met is None else ("met" if r.met else "NOT met")
        lines.append(
            f"| {r.id} | {r.figure} | {_num(r.value, r.unit)} | {base} | {ratio} "
            f"| {r.target or '-'} | {met} |"
        )
    notes = [(r.id, n) for r in rows for n in r.notes]
    if notes:
        lines.append("")
        lines.extend(f"- {rid}: {note}" for rid, note in notes)
    return "\n".join(lines)
