"""The log file: `<log dir>/tgtui.log`, private (0600 in a 0700 folder) whatever the umask.

Log records never carry secrets: callers log failure names and exception types, never
api_hash values, codes, passwords or session strings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from tgtui.accounts.fsutil import FILE_MODE, ensure_dir

LOG_FILE = "tgtui.log"


def log_path() -> Path:
    """Where the log file is (it may not exist yet); messages that say "see the log" name it."""
    from tgtui.config import log_dir

    return log_dir() / LOG_FILE


def open_log_file() -> Path:
    """Create the log folder and file privately if needed and return the file's path."""
    from tgtui.config import log_dir

    folder = ensure_dir(log_dir())
    path = folder / LOG_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the `tgtui` logger's records to the private log file (once per process)."""
    root = logging.getLogger("tgtui")
    try:
        path = open_log_file()
    except OSError:
        return None
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler):
            if handler.baseFilename == str(path):
                return path
            root.removeHandler(handler)  # one log file per process: the current one
            handler.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
    return path
