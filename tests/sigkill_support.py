"""Crash tests: run a child that prints a count after each durable step, SIGKILL it
mid-loop, and learn the last step it saw completed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def kill_after(code: str, args: list[str], steps: int, timeout: float = 60) -> int:
    """Run `python -c code *args`, SIGKILL it once it printed `steps` (a count per line),
    and return the last count it printed before it died (it may run ahead of our
    reading: what it printed before the kill is still in the pipe)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    done = -1
    deadline = time.monotonic() + timeout
    while done < steps and time.monotonic() < deadline:
        done = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)  # mid-loop: likely inside a write or an fsync
    proc.wait()
    assert done >= steps, f"the child printed {done} of {steps} steps in {timeout} s"
    printed = [line for line in proc.stdout.read().splitlines() if line.strip().isdigit()]
    return int(printed[-1]) if printed else done
