"""One place that turns an unexpected worker error into a notification and a log line.

Screens mix in `ReportWorkerErrors`; workers are started with `exit_on_error=False`, so
an exception never becomes a traceback screen. The log goes to `tgtui.config.log_dir()`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tgtui.failure import Failure

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from tgtui.troubleshoot.model import Pitfall

log = logging.getLogger("tgtui.ui")

LOG_FILE = "tgtui.log"


def setup_logging() -> None:
    """Send tgtui's log records to the private `<log dir>/tgtui.log` (once per process)."""
    from tgtui.logfile import setup_logging as _setup

    _setup()


def failure_of(error: BaseException) -> Failure:
    """The `Failure` an exception carries (`.failure`), else one built from its type."""
    carried = getattr(error, "failure", None)
    if isinstance(carried, Failure):
        return carried
    if isinstance(error, Failure):  # pragma: no cover - Failure is not an exception today
        return error
    name = type(error).__name__
    return Failure(name=name, message=str(error) or name, exc_type=name)


def best_pitfall(failure: Failure | str, stage: str | None = None) -> Pitfall | None:
    """The troubleshooter's best match for a failure, or None (also when it is unavailable)."""
    if not failure:
        return None
    try:
        from tgtui.troubleshoot.matcher import match
    except ImportError:  # pragma: no cover - the knowledge base is always shipped
        return None
    try:
        found = match(failure, stage)
    except Exception:  # noqa: BLE001 - never let the helper itself break a screen
        log.exception("troubleshooter match failed")
        return None
    return found[0] if found else None


def report_error(app: App, error: BaseException, *, what: str, stage: str = "session") -> None:
    """Log `error` (no secrets: type and message only) and notify with the best pitfall."""
    failure = failure_of(error)
    log.error("%s failed: %s: %s", what, failure.name, failure.message, exc_info=error)
    lines = [f"{what} failed: {failure}"]
    pitfall = best_pitfall(failure, stage)
    if pitfall is not None:
        lines.append(f"Likely: {pitfall.title}")
    app.notify("\n".join(lines), title="Something went wrong", severity="error", markup=False)


class ReportWorkerErrors:
    """Mixin for screens: report workers that end in error instead of crashing the app."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker's error; other state changes are left to the screen."""
        from textual.worker import WorkerState

        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            what = worker.description or worker.name or "A background task"
            report_error(self.app, worker.error, what=what)  # type: ignore[attr-defined]
