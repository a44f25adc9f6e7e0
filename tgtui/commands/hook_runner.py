"""Running `--on-change` commands beside the watch, never in its way.

- At most `limit` commands run at once (worker threads, each waiting on one child).
- One account's commands run one at a time, in the order its changes happened; another
  account's command never waits for it beyond the shared limit.
- Each run gets `timeout` seconds; then its whole process group (a shell and what it
  started) gets SIGTERM, and SIGKILL `grace` seconds later, and the stop is reported.
- `close()` waits for what is queued (a cron run ends when its hooks are done);
  `stop()` drops what is queued and stops what runs (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from tgtui.i18n import _

log = logging.getLogger("tgtui.commands.on_change")

HOOK_CONCURRENCY = 4  # commands running at once
HOOK_TIMEOUT = 60.0  # seconds one run may take
HOOK_GRACE = 2.0  # seconds between SIGTERM and SIGKILL


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class HookPool:
    """Runs `command` once per submitted change (a JSON payload and environment)."""

    def __init__(
        self,
        command: list[str] | str,
        *,
        limit: int = HOOK_CONCURRENCY,
        timeout: float = HOOK_TIMEOUT,
        grace: float = HOOK_GRACE,
        report: Callable[[str], None] = _say,
    ) -> None:
        self.command, self.limit, self.timeout, self.grace = command, limit, timeout, grace
        self.report = report
        self._cond = threading.Condition()
        self._pending: dict[str, deque[tuple[bytes, dict[str, str]]]] = {}
        self._ready: deque[str] = deque()  # accounts with work queued and none running
        self._running: dict[str, subprocess.Popen[bytes] | None] = {}
        self._workers: list[threading.Thread] = []
        self._closing = False
        self._stopping = False

    def submit(self, name: str, payload: bytes, env: dict[str, str]) -> None:
        """Queue one run for account `name`; it starts at once if a slot is free."""
        with self._cond:
            self._pending.setdefault(name, deque()).append((payload, env))
            if name not in self._running and name not in self._ready:
                self._ready.append(name)
            if len(self._workers) < min(self.limit, len(self._ready) + len(self._running)):
                worker = threading.Thread(target=self._work, name="tgtui-on-change", daemon=True)
                self._workers.append(worker)
                worker.start()
            self._cond.notify()

    def close(self) -> None:
        """Wait until every queued run has ended (each within its time limit)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for worker in list(self._workers):
            while worker.is_alive():
                worker.join(0.2)  # short joins: Ctrl-C still gets through

    def stop(self) -> int:
        """Drop the queued runs and stop the running ones; how many runs did not finish."""
        with self._cond:
            self._closing = self._stopping = True
            dropped = sum(len(q) for q in self._pending.values())
            self._pending.clear()
            self._ready.clear()
            unfinished = dropped + len(self._running)
            running = [p for p in self._running.values() if p is not None]
            self._cond.notify_all()
        for proc in running:  # one still starting stops itself (see _run_one)
            _signal_group(proc, signal.SIGTERM)
        self.close()
        return unfinished

    # ------------------------------------------------------------------ workers

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._ready and not self._closing:
                    self._cond.wait()
                if not self._ready:
                    return
                name = self._ready.popleft()
                payload, env = self._pending[name].popleft()
                self._running[name] = None
            try:
                self._run_one(name, payload, env)
            except Exception:  # noqa: BLE001 - a broken run must not stop the others
                log.exception("--on-change for %r failed", name)
            finally:
                with self._cond:
                    del self._running[name]
                    if self._pending.get(name):
                        self._ready.append(name)
                    self._cond.notify_all()

    def _run_one(self, name: str, payload: bytes, env: dict[str, str]) -> None:
        try:
            proc = subprocess.Popen(
                self.command,
                shell=isinstance(self.command, str),
                stdin=subprocess.PIPE,
                env=env,
                start_new_session=True,  # its own group: a stop reaches what it started
            )
        except OSError as exc:
            self.report(
                _("tgtui: --on-change for {name!r} failed: {error}").format(name=name, error=exc)
            )
            return
        with self._cond:
            self._running[name] = proc
            stopping = self._stopping
        if stopping:  # stop() came while it was starting
            _signal_group(proc, signal.SIGTERM)
        try:
            proc.communicate(payload, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._end(proc)
            log.warning("--on-change for %r stopped after %ss", name, self.timeout)
            self.report(
                _(
                    "tgtui: --on-change for {name!r} ran longer than {seconds:g} s and was stopped"
                ).format(name=name, seconds=self.timeout)
            )
            return
        code = proc.returncode
        if code < 0 and self._stopping:
            return  # stopped by stop(): already counted there
        if code != 0:
            self.report(
                _("tgtui: --on-change for {name!r} exited with {code}").format(name=name, code=code)
            )

    def _end(self, proc: subprocess.Popen[Any]) -> None:
        """SIGTERM to the run's group, SIGKILL after the grace period, then reap it."""
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(self.grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        _signal_group(proc, signal.SIGKILL)  # what it started and left behind


def _signal_group(proc: subprocess.Popen[Any], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)
