"""`tgtui status --on-change CMD`: run a command once for each account whose state changed.

The command gets the change as one JSON document on stdin and as TGTUI_* environment
variables. It runs without a shell (split like a shell would, with `shlex`) unless
`--shell` asks for one. A sweep where nothing changed runs nothing. The payload names the
account only; `--with-identity` adds its label, masked phone and username. The runs go
beside the watch (`tgtui.commands.hook_runner`): a slow one delays neither the next sweep
nor another account's run.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, State
from tgtui.commands.exits import UsageError
from tgtui.commands.hook_runner import HOOK_TIMEOUT, HookPool
from tgtui.i18n import _, ngettext

if TYPE_CHECKING:
    from tgtui.telegram.health import Health

__all__ = ["HOOK_TIMEOUT", "ChangeHook", "change_env", "change_json", "parse_command"]


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
    timeout: float = HOOK_TIMEOUT  # seconds one run may take before it is stopped
    fired: list[dict[str, Any]] = field(default_factory=list)
    pool: HookPool = field(init=False)

    def __post_init__(self) -> None:
        self.pool = HookPool(self.command, timeout=self.timeout)

    def after_sweep(self, results: Iterable[Health], accounts: dict[str, Account]) -> None:
        """Start the command once per account whose state differs from the last one seen
        (without waiting for it)."""
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
            payload = json.dumps(doc, ensure_ascii=False).encode()
            self.pool.submit(health.name, payload, {**os.environ, **change_env(doc)})

    def finish(self, *, interrupted: bool = False) -> None:
        """Wait for the runs still going (each within its time limit); after Ctrl-C,
        stop them instead and say how many did not finish."""
        if not interrupted:
            try:
                self.pool.close()
                return
            except KeyboardInterrupt:
                self.finish(interrupted=True)
                raise
        count = self.pool.stop()
        if count:
            print(
                ngettext(
                    "tgtui: {count} --on-change run was stopped or never started",
                    "tgtui: {count} --on-change runs were stopped or never started",
                    count,
                ).format(count=count),
                file=sys.stderr,
            )
