"""`tgtui status [NAME ...] [--json] [--watch]`: live health checks, for people and machines.

JSON schema (`--json`; with `--watch`, one such document per line, per sweep)::

    {
      "checked_at": "2026-01-31T12:00:00+00:00",      # when the sweep started (UTC)
      "accounts": [
        {
          "name": "work",
          "label": "Work",
          "phone": "+1 555 ••• 67",                   # masked, or ""
          "state": "ok",                              # ok needs_login revoked duplicated
                                                      # banned flood_wait bad_credentials
                                                      # offline locked broken
          "reason": "Session works",                  # one line for a person
          "error": null,                              # or the failure name, e.g.
                                                      # "AUTH_KEY_UNREGISTERED"
          "latency_ms": 42.0,                         # or null
          "flood_until": null,                        # or an ISO date-time (UTC)
          "user": {"id": 1, "username": "ann",        # or null when never seen
                   "name": "Ann Lee", "premium": false},
          "dc": 2, "two_fa": true, "other_sessions": 1  # each may be null
        }
      ],
      "summary": {"ok": 1, "attention": 0}
    }

Exit status: 0 when every checked account is OK (or LOCKED: in use by a script, which is
normal), 1 when any needs attention (with --strict, LOCKED too), 2 for usage or config
errors (an unknown NAME included). With --watch, Ctrl-C ends with the
last sweep's status (130 when interrupted before the first sweep finished). With
`--format prometheus` the exit status is 0 once the metrics are printed (the states are in
them), so `&&` works in cron.

`--on-change CMD` runs CMD once for each account whose state differs from the last one
known (the saved status at the start, then each sweep's), beside the watch, never holding
it up: see `tgtui.commands.on_change` and `tgtui.commands.hook_runner`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tgtui.accounts import State
from tgtui.commands.common import Runner, guarded, open_tg
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, UsageError
from tgtui.commands.hook_runner import HOOK_CONCURRENCY, HOOK_TIMEOUT
from tgtui.commands.textfmt import table
from tgtui.i18n import _, ngettext

if TYPE_CHECKING:
    from tgtui.commands.on_change import ChangeHook
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.health import Health


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `status` parser."""
    p = sub.add_parser(
        "status",
        help=_("check sessions live (exit 0 all OK, 1 something needs attention)"),
        description=_(
            "Connect to Telegram for each account (or the named ones) and report "
            "whether its session works. Exit 0 when all are OK or LOCKED (in use by a "
            "script), 1 when any needs attention, 2 for usage or config errors."
        ),
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help=_("treat LOCKED (an account in use by another program) as needing attention"),
    )
    p.add_argument("names", nargs="*", metavar="NAME", help=_("only these accounts"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.add_argument(
        "--format",
        choices=("table", "json", "prometheus"),
        help=_(
            "table (default), json (as --json), or prometheus text format for "
            "node_exporter's textfile collector"
        ),
    )
    p.add_argument(
        "--on-change",
        metavar="CMD",
        help=_(
            "run CMD for each account whose state changed, with the change as JSON on "
            "stdin and in TGTUI_* variables (no shell unless --shell). The runs do not hold "
            "up the watch: at most {count} at once, one at a time per account in the order "
            "of its changes; one that takes longer than --on-change-timeout is stopped and "
            "reported. Without --watch, tgtui exits once they have ended."
        ).format(count=HOOK_CONCURRENCY),
    )
    p.add_argument(
        "--on-change-timeout",
        type=float,
        metavar="SECONDS",
        help=_(
            "stop an --on-change run (with what it started) after this many seconds "
            "(default: {seconds:g})"
        ).format(seconds=HOOK_TIMEOUT),
    )
    p.add_argument("--shell", action="store_true", help=_("run the --on-change CMD in a shell"))
    p.add_argument(
        "--with-identity",
        action="store_true",
        help=_(
            "add label, masked phone and username to --on-change payloads and metrics "
            "(default: account names only)"
        ),
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help=_("check again every refresh interval until Ctrl-C (JSON: one line per sweep)"),
    )
    p.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help=_("seconds between sweeps with --watch (default: refresh_interval in config.toml)"),
    )
    p.add_argument("--count", type=int, help=argparse.SUPPRESS)  # sweeps, for tests
    p.set_defaults(handler=cmd_status)


def health_json(health: Health, label: str = "") -> dict[str, Any]:
    """One account of the documented status schema."""
    user = health.user
    return {
        "name": health.name,
        "label": label,
        "phone": health.masked_phone,
        "state": health.state.value,
        "reason": health.reason,
        "error": health.error.name if health.error else None,
        "latency_ms": health.latency_ms,
        "flood_until": health.flood_until.isoformat() if health.flood_until else None,
        "user": None
        if user is None
        else {
            "id": user.id,
            "username": user.username or None,
            "name": " ".join(p for p in (user.first_name, user.last_name) if p),
            "premium": user.premium,
        },
        "dc": health.dc,
        "two_fa": health.two_fa,
        "other_sessions": health.other_sessions,
    }


def report_json(results: list[Health], checked_at: datetime, labels: dict[str, str]) -> dict:
    """The whole status document."""
    ok = sum(1 for h in results if h.state is State.OK)
    return {
        "checked_at": checked_at.isoformat(),
        "accounts": [health_json(h, labels.get(h.name, "")) for h in results],
        "summary": {"ok": ok, "attention": len(results) - ok},
    }


def render_table(results: list[Health]) -> str:
    """The people's view: one row per account, then a summary line.

    The state column keeps the English state name (OK, FLOOD_WAIT, ...) in every language:
    it is what people grep for and what `--json` and the docs call the states; the reason
    beside it is in the interface language."""
    rows = [(_("NAME"), _("STATE"), _("USER"), "DC", _("LATENCY"), _("REASON"))]
    for h in results:
        rows.append(
            (
                h.name,
                h.state.name,
                h.user.display if h.user else "-",
                str(h.dc) if h.dc else "-",
                _("{ms:.0f} ms").format(ms=h.latency_ms) if h.latency_ms is not None else "-",
                h.reason_text,
            )
        )
    lines = table(rows)
    ok = sum(1 for h in results if h.state is State.OK)
    locked = sum(1 for h in results if h.state is State.LOCKED)
    attention = len(results) - ok - locked
    parts = [_("{count} OK").format(count=ok)]
    if locked:
        parts.append(
            ngettext(
                "{count} in use by another program", "{count} in use by other programs", locked
            ).format(count=locked)
        )
    if attention:
        parts.append(
            ngettext("{count} needs attention", "{count} need attention", attention).format(
                count=attention
            )
        )
    summary = ", ".join(parts)
    if attention:
        summary += " " + _("(`tgtui troubleshoot ERROR` explains an error)")
    return "\n".join([*lines, "", summary])


def _exit_code(results: list[Health], strict: bool = False) -> int:
    """0 when all are OK; LOCKED (a script holds the account) counts as fine unless strict."""
    fine = {State.OK} if strict else {State.OK, State.LOCKED}
    return EXIT_OK if all(h.state in fine for h in results) else EXIT_ATTENTION


@guarded("status")
def cmd_status(args: argparse.Namespace) -> int:
    """`tgtui status`: sweep, print, exit 0/1; with --watch, repeat until Ctrl-C."""
    with open_tg(args) as tg:
        names = list(dict.fromkeys(args.names))
        known = tg.store.names()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(
                _("No account named {name!r}. `tgtui list` shows the names.").format(
                    name=unknown[0]
                )
                if len(unknown) == 1
                else _("No accounts named {names}. `tgtui list` shows the names.").format(
                    names=", ".join(map(repr, unknown))
                )
            )
        hook = _hook(args, tg)
        if not known and args.format in (None, "table"):
            print(_("No accounts yet. Run `tgtui` and press a, or `tgtui add NAME`."))
            return EXIT_OK
        interval = args.interval or tg.settings.refresh_interval
        if not math.isfinite(interval) or interval <= 0:
            raise UsageError(_("--interval must be a number of seconds above 0, e.g. 60."))
        with Runner() as runner:
            return _loop(args, tg, runner, names or None, interval, hook)


def _hook(args: argparse.Namespace, tg: Telegram) -> ChangeHook | None:
    """Check the output options; the --on-change hook, primed with the saved states."""
    from tgtui.commands.on_change import ChangeHook, parse_command

    if args.json:
        args.format = "json"
    if args.format == "prometheus" and args.watch:
        raise UsageError(
            _(
                "--format prometheus prints once: run it from cron (see the README's "
                '"Watching many accounts").'
            )
        )
    if args.shell and not args.on_change:
        raise UsageError(_("--shell only applies to --on-change CMD."))
    timeout = args.on_change_timeout
    if timeout is not None and not args.on_change:
        raise UsageError(_("--on-change-timeout only applies to --on-change CMD."))
    if args.on_change is None:
        return None
    if timeout is None:
        timeout = HOOK_TIMEOUT
    elif not math.isfinite(timeout) or timeout <= 0:
        raise UsageError(_("--on-change-timeout must be a number of seconds above 0, e.g. 30."))
    command = parse_command(args.on_change, args.shell)
    known = {a.name: a.status.state for a in tg.store.accounts()}
    return ChangeHook(command, known, identity=args.with_identity, timeout=timeout)


def _loop(
    args: argparse.Namespace,
    tg: Telegram,
    runner: Runner,
    names: list[str] | None,
    every: float,
    hook: ChangeHook | None = None,
) -> int:
    from tgtui.telegram.monitor import SessionMonitor

    async def make() -> SessionMonitor:
        return SessionMonitor(tg)

    monitor = runner.run(make())
    code = EXIT_OK
    sweeps = 0
    interrupted = False
    try:
        while True:
            started = tg.now()
            results = runner.run(monitor.sweep(names))
            accounts = {a.name: a for a in tg.store.accounts()}
            labels = {name: a.label for name, a in accounts.items()}
            code = _exit_code(results, getattr(args, "strict", False))
            if args.format == "prometheus":
                from tgtui.commands.prometheus_out import render_prometheus

                text = render_prometheus(results, accounts, tg.clock(), args.with_identity)
                print(text, end="", flush=True)
                code = EXIT_OK
            else:
                _print(args, results, started, labels)
            if hook is not None:
                hook.after_sweep(results, accounts)
            sweeps += 1
            if not args.watch or (args.count and sweeps >= args.count):
                return code
            time.sleep(every)
    except KeyboardInterrupt:
        interrupted = True
        if not args.watch or not sweeps:
            raise
        return code
    finally:
        runner.run(monitor.aclose())
        if hook is not None:
            hook.finish(interrupted=interrupted)


def _print(
    args: argparse.Namespace, results: list[Health], started: datetime, labels: dict[str, str]
) -> None:
    if args.format == "json":
        doc = report_json(results, started.astimezone(timezone.utc), labels)
        if args.watch:
            print(json.dumps(doc, ensure_ascii=False), flush=True)
        else:
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if args.watch and sys.stdout.isatty():
        print("\x1b[H\x1b[2J", end="")
    if args.watch:
        print(
            _("tgtui status — {time} (Ctrl-C to stop)").format(
                time=started.astimezone().strftime("%H:%M:%S")
            )
        )
    print(render_table(results), flush=True)
