"""Sub-commands of the `tgtui` CLI, one small module each."""

from __future__ import annotations

import argparse


def register_all(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add every sub-command's parser."""
    from tgtui.commands import store_cmds, troubleshoot_cmd

    store_cmds.register(sub)
    troubleshoot_cmd.register(sub)
