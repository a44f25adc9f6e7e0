"""One place that turns an unexpected worker error into a notification and a log line.

Every screen and dialog derives from `tgtui.ui.screens.base` (which mixes in
`ReportWorkerErrors`); workers are started with `exit_on_error=False`, so an exception
never becomes a traceback screen. The log goes to `tgtui.logfile.log_path()`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tgtui.failure import Failure
from tgtui.i18n import _, language

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from tgtui.troubleshoot.model import Pitfall

log = logging.getLogger("tgtui.ui")


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


def log_path() -> str:
    """Where the log file is (for messages that send the reader to it)."""
    from tgtui.logfile import log_path as _path

    return str(_path())


def report_error(app: App, error: BaseException, *, what: str, stage: str = "session") -> None:
    """Log `error` (no secrets: type and message only) and notify with the best pitfall.

    A local file error (an OSError naming a file) gets no pitfall: the troubleshooter's
    OSError pitfalls are about the network, and the message names the file already.
    """
    failure = failure_of(error)
    log.error("%s failed: %s: %s", what, failure.name, failure.message, exc_info=error)
    lines = [_("{what} failed: {failure}").format(what=what, failure=failure)]
    local_file = isinstance(error, OSError) and bool(error.filename)
    pitfall = None if local_file else best_pitfall(failure, stage)
    if pitfall is not None:
        lines.append(_("Likely: {title}").format(title=pitfall.wording(language()).title))
    lines.append(_("Details in the log: {path}").format(path=log_path()))
    app.notify("\n".join(lines), title=_("Something went wrong"), severity="error", markup=False)


def worker_what(worker: Worker) -> str:
    """What a worker was doing, in words: its description (marked with `N_` where the
    worker is declared, translated here), else a generic phrase."""
    name = worker.name or ""
    description = worker.description or ""
    if description and description not in (name, f"{name}()"):
        return _(description)
    if name:
        return _("A background task ({name})").format(name=name.strip("_"))
    return _("A background task")


class ReportWorkerErrors:
    """Mixin for screens: report workers that end in error instead of crashing the app."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker's error; other state changes are left to the screen."""
        from textual.worker import WorkerState

        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            report_error(self.app, worker.error, what=worker_what(worker))  # type: ignore[attr-defined]
