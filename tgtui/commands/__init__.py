"""Sub-commands of the `tgtui` CLI, one small module each."""

from __future__ import annotations

import argparse


def register_all(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add every sub-command's parser."""
    from tgtui.commands import (
        add_cmd,
        doctor_cmd,
        history_cmd,
        secrets_cmd,
        server_cmd,
        session_cmds,
        status_cmd,
        store_cmds,
        troubleshoot_cmd,
    )

    store_cmds.register(sub)
    status_cmd.register(sub)
    add_cmd.register(sub)
    session_cmds.register(sub)
    secrets_cmd.register(sub)
    server_cmd.register(sub)
    doctor_cmd.register(sub)
    troubleshoot_cmd.register(sub)
    history_cmd.register(sub)
