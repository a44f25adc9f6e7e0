""" "See the log" always says where the log is, and headless commands do write to it."""

from __future__ import annotations

import logging
from pathlib import Path

from tgtui.cli import main
from tgtui.config import log_dir
from tgtui.telegram.errors import to_failure


def test_an_unexpected_error_names_the_log_file() -> None:
    failure = to_failure(RuntimeError("boom"), "session")
    assert "see the log" in failure.message
    assert str(log_dir() / "tgtui.log") in failure.message


def test_headless_commands_log_warnings_to_that_file(config_root: Path, capsys) -> None:
    assert main(["--config-dir", str(config_root), "list"]) == 0
    logging.getLogger("tgtui.telegram.health").warning("health check of x failed unexpectedly")
    text = (log_dir() / "tgtui.log").read_text()
    assert "health check of x failed unexpectedly" in text
