"""`tgtui history NAME [--since 7d] [--json]`: what happened to an account, from its log.

No network: it reads `<account>/history.jsonl`. JSON shape (`--json`)::

    {
      "name": "work",
      "since": "2026-01-24T12:00:00+00:00",     # or null for everything kept
      "state": "banned", "state_since": ISO,   # the current state and when it began, or null
      "events": [{"at": ISO, "kind": "state", "state": "banned", "was": "ok",
                  "error": "USER_DEACTIVATED_BAN", "seconds": null}, ...],
                                               # kind: state flood login relogin logout
                                               # import remove restore
      "latency": [{"start": ISO, "span_s": 3600, "count": 60,
                   "min_ms": 41.0, "median_ms": 44.0, "max_ms": 80.0}, ...],
      "counts": {"flood_waits": 2, "flood_seconds": 600, "offline_spells": 1,
                 "changes": 4, "actions": {"login": 1}},
      "unreadable_lines": 0
    }
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timezone
from typing import Any

from tgtui.accounts.timeline import History, parse_period, span_text
from tgtui.commands.common import get_account, open_store
from tgtui.commands.exits import EXIT_OK, UsageError
from tgtui.i18n import _, ngettext, pgettext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `history` parser."""
    p = sub.add_parser(
        "history",
        help=_("state changes, flood waits and actions of an account over time (no network)"),
        description=_(
            "Print what tgtui recorded about an account: each state change a check "
            "saw, each flood wait and its length, logins, logouts, imports, removals and "
            "restores, and latency per hour."
        ),
    )
    p.add_argument("name", metavar="NAME", help=_("the account's name"))
    p.add_argument(
        "--since",
        metavar="PERIOD",
        help=_("only the last PERIOD, e.g. 24h, 7d, 2w (default: everything kept)"),
    )
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_history)


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat()


def _local(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


def history_json(name: str, history: History, since: int | None) -> dict[str, Any]:
    """The documented JSON document."""
    events = [e for e in history.events if since is None or e.at >= since]
    latency = [b for b in history.latency if since is None or b.start + b.span > since]
    last = history.last_change()
    counts = history.counts(since)
    return {
        "name": name,
        "since": _iso(since) if since is not None else None,
        "state": last.state.value if last and last.state else None,
        "state_since": _iso(last.at) if last else None,
        "events": [
            {
                "at": _iso(e.at),
                "kind": e.kind,
                "state": e.state.value if e.state else None,
                "was": e.was.value if e.was else None,
                "error": e.error or None,
                "seconds": e.seconds or None,
            }
            for e in events
        ],
        "latency": [
            {
                "start": _iso(b.start),
                "span_s": b.span,
                "count": b.count,
                "min_ms": b.low,
                "median_ms": b.median,
                "max_ms": b.high,
            }
            for b in latency
        ],
        "counts": {
            "flood_waits": counts.flood_waits,
            "flood_seconds": counts.flood_seconds,
            "offline_spells": counts.offline_spells,
            "changes": counts.changes,
            "actions": counts.actions,
        },
        "unreadable_lines": history.skipped,
    }


def event_word(kind: str) -> str:
    """An event of the log that is not a state change (its `kind` in --json), in the
    interface language; the kind itself when it has no words."""
    words = {
        "login": pgettext("history event", "login"),
        "relogin": pgettext("history event", "relogin"),
        "logout": pgettext("history event", "logout"),
        "import": pgettext("history event", "import"),
        "remove": pgettext("history event", "remove"),
        "restore": pgettext("history event", "restore"),
    }
    return words.get(kind, kind)


def render(name: str, history: History, since: int | None, now: int) -> str:
    """The people's view: now, counts, one line per event, latency in one line."""
    doc = history_json(name, history, since)
    period = (
        _("the last {span}").format(span=span_text(now - since))
        if since is not None
        else _("everything kept")
    )
    lines = [f"{name} — {period}"]
    last = history.last_change()
    if last is not None and last.state is not None:
        why = f" ({last.error})" if last.error else ""
        lines.append(
            _("Now: {state} since {span}").format(
                state=last.state.name, span=span_text(now - last.at)
            )
            + why
        )
    c = doc["counts"]
    waited = (
        " " + _("({span} in all)").format(span=span_text(c["flood_seconds"]))
        if c["flood_waits"]
        else ""
    )
    lines.append(
        _("Flood waits: {count}").format(count=c["flood_waits"])
        + waited
        + " · "
        + _("offline spells: {count}").format(count=c["offline_spells"])
        + " · "
        + _("state changes: {count}").format(count=c["changes"])
    )
    events = [e for e in history.events if since is None or e.at >= since]
    if events:
        lines.append("")
    for e in events:
        if e.kind == "state" and e.state is not None:
            was = "  " + _("(was {state})").format(state=e.was.name) if e.was else ""
            err = f"  {e.error}" if e.error else ""
            lines.append(f"{_local(e.at)}  {e.state.name}{was}{err}")
        elif e.kind == "flood":
            lines.append(
                f"{_local(e.at)}  " + _("flood wait of {span}").format(span=span_text(e.seconds))
            )
        else:
            lines.append(f"{_local(e.at)}  {event_word(e.kind)}")
    if not history.events and not history.latency:
        lines.append(_("Nothing recorded yet: `tgtui status` or the app's checks add to it."))
    lat = doc["latency"]
    if lat:
        lines.append("")
        checks = sum(b["count"] for b in lat)
        lines.append(
            ngettext(
                "Latency over {count} check: min {low:.0f} ms · median of hours "
                "{median:.0f} ms · max {high:.0f} ms",
                "Latency over {count} checks: min {low:.0f} ms · median of hours "
                "{median:.0f} ms · max {high:.0f} ms",
                checks,
            ).format(
                count=checks,
                low=min(b["min_ms"] for b in lat),
                median=sorted(b["median_ms"] for b in lat)[len(lat) // 2],
                high=max(b["max_ms"] for b in lat),
            )
        )
    if history.skipped:
        lines.append(
            ngettext(
                "({count} unreadable line in the log was skipped)",
                "({count} unreadable lines in the log were skipped)",
                history.skipped,
            ).format(count=history.skipped)
        )
    if history.error:
        lines.append(_("The history cannot be read: {error}").format(error=history.error))
    return "\n".join(lines)


def cmd_history(args: argparse.Namespace) -> int:
    """`tgtui history NAME`: exit 0 (2 for an unknown name or a bad --since)."""
    since_s: int | None = None
    if args.since:
        try:
            since_s = parse_period(args.since)
        except ValueError as exc:
            raise UsageError(_("--since: {error}").format(error=exc)) from None
    store = open_store(args)
    account = get_account(store, args.name)
    now = int(time.time())
    since = now - since_s if since_s is not None else None
    history = store.history(account.name).read()
    if args.json:
        print(json.dumps(history_json(account.name, history, since), indent=2))
    else:
        print(render(account.name, history, since, now))
    return EXIT_OK
