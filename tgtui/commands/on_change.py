"""`tgtui status --on-change CMD`: run a command once for each account whose state changed.

The command gets the change as one JSON document on stdin and as TGTUI_* environment
variables. It runs without a shell (split like a shell would, with `shlex`) unless
`--shell` asks for one. A sweep where nothing changed runs nothing. The payload names the
account only; `--with-identity` adds its label, masked phone and username.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, State
from tgtui.commands.exits import UsageError
from tgtui.i18n import _

if TYPE_CHECKING:
    from tgtui.telegram.health import Health

HOOK_TIMEOUT = 60.0  # seconds one run of the command may take


def parse_command(text: str, shell: bool) -> list[str] | str:
    """The argv to run (or the shell line with `shell`); UsageError for what cannot run."""
    if not text.strip():
        raise UsageError(_("--on-change needs a command, e.g. --on-change 'notify-send tgtui'."))
    if shell:
        return text
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise UsageError(
            _("--on-change: {error} in {text!r}.").format(error=exc, text=text)
        ) from None
    program = argv[0]
    if shutil.which(program) is None:
        raise UsageError(
            _(
                "--on-change: no program {program!r} found on PATH (pipes, `;` and `$VAR` "
                "need --shell)."
            ).format(program=program)
        )
    return argv


def change_json(
    health: Health, was: State | None, account: Account | None, identity: bool
) -> dict[str, Any]:
    """The document a change hook reads on stdin."""
    doc: dict[str, Any] = {
        "name": health.name,
        "state": health.state.value,
        "previous_state": was.value if was is not None else None,
        "changed_at": health.checked_at.isoformat(),
        "reason": health.reason,
        "error": health.error.name if health.error else None,
        "flood_until": health.flood_until.isoformat() if health.flood_until else None,
        "latency_ms": health.latency_ms,
    }
    if identity:
        doc["label"] = account.label if account else ""
        doc["phone"] = health.masked_phone
        doc["username"] = health.user.username if health.user else ""
    return doc


def change_env(doc: dict[str, Any]) -> dict[str, str]:
    """The TGTUI_* variables of a change (empty strings for unknown values)."""
    keys = {
        "TGTUI_ACCOUNT": "name",
        "TGTUI_STATE": "state",
        "TGTUI_PREVIOUS_STATE": "previous_state",
        "TGTUI_CHANGED_AT": "changed_at",
        "TGTUI_REASON": "reason",
        "TGTUI_ERROR": "error",
        "TGTUI_FLOOD_UNTIL": "flood_until",
    }
    if "label" in doc:
        keys.update(TGTUI_LABEL="label", TGTUI_PHONE="phone", TGTUI_USERNAME="username")
    return {var: "" if doc.get(key) is None else str(doc[key]) for var, key in keys.items()}


@dataclass
class ChangeHook:
    """Remembers each account's last state and runs `command` when it changes."""

    command: list[str] | str
    known: dict[str, State]  # state per account before the first sweep (from the store)
    identity: bool = False
    fired: list[dict[str, Any]] = field(default_factory=list)

    def after_sweep(self, results: Iterable[Health], accounts: dict[str, Account]) -> None:
        """Run the command once per account whose state differs from the last one seen."""
        for health in results:
            if health.state in (State.CHECKING, State.UNKNOWN):
                continue
            was = self.known.get(health.name)
            self.known[health.name] = health.state
            if was is health.state:
                continue
            doc = change_json(
                health,
                None if was is State.UNKNOWN else was,
                accounts.get(health.name),
                self.identity,
            )
            self.fired.append(doc)
            self._run(doc)

    def _run(self, doc: dict[str, Any]) -> None:
        payload = json.dumps(doc, ensure_ascii=False).encode()
        env = {**os.environ, **change_env(doc)}
        shell = isinstance(self.command, str)
        try:
            done = subprocess.run(
                self.command,
                shell=shell,
                input=payload,
                env=env,
                timeout=HOOK_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            print(
                _("tgtui: --on-change for {name!r} failed: {error}").format(
                    name=doc["name"], error=exc
                ),
                file=sys.stderr,
            )
            return
        if done.returncode != 0:
            print(
                _("tgtui: --on-change for {name!r} exited with {code}").format(
                    name=doc["name"], code=done.returncode
                ),
                file=sys.stderr,
            )
