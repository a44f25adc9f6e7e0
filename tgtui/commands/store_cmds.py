"""Store-only commands (no network): `list`, `path`, `trash`, `remove`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tgtui.accounts import Account, AccountInUse, StoreError
from tgtui.accounts.validate import mask_phone
from tgtui.commands.common import get_account, open_store
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, UsageError
from tgtui.commands.textfmt import table
from tgtui.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the store commands' parsers."""
    p = sub.add_parser("list", help=_("accounts with their last known status (no network)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("path", help=_("print the session file path of an account, for scripts"))
    p.add_argument("name", metavar="NAME", help=_("the account's name"))
    p.set_defaults(handler=cmd_path)

    p = sub.add_parser("remove", help=_("move an account to the trash (restorable)"))
    p.add_argument("name", metavar="NAME", help=_("the account's name"))
    p.add_argument(
        "--logout",
        action="store_true",
        help=_("log the session out on Telegram first; if that fails, nothing is removed"),
    )
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.set_defaults(handler=cmd_remove)

    p = sub.add_parser("trash", help=_("list, restore or empty removed accounts"))
    tsub = p.add_subparsers(dest="trash_command", metavar="ACTION")
    tsub.add_parser("list", help=_("removed accounts, newest first")).set_defaults(
        handler=cmd_trash_list
    )
    r = tsub.add_parser("restore", help=_("bring a removed account back"))
    r.add_argument("name", metavar="NAME", help=_("the account name or trash id"))
    r.add_argument(
        "--as", dest="new_name", metavar="NEW_NAME", help=_("restore under another name")
    )
    r.set_defaults(handler=cmd_trash_restore)
    e = tsub.add_parser("empty", help=_("delete removed accounts for good"))
    e.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    e.set_defaults(handler=cmd_trash_empty)
    p.set_defaults(handler=cmd_trash_list)


def account_json(account: Account) -> dict[str, Any]:
    """The documented JSON shape of one account (no secrets)."""
    st = account.status
    return {
        "name": account.name,
        "label": account.label,
        "phone": mask_phone(account.phone) if account.phone else "",
        "api_id": account.api_id or None,
        "state": st.state.value,
        "reason": st.reason,
        "error": st.error or None,
        "checked_at": st.checked_at.isoformat() if st.checked_at else None,
        "latency_ms": st.latency_ms,
        "flood_until": st.flood_until.isoformat() if st.flood_until else None,
        "user": None
        if account.user is None
        else {
            "id": account.user.id,
            "username": account.user.username or None,
            "name": " ".join(p for p in (account.user.first_name, account.user.last_name) if p),
        },
        "broken": account.broken or None,
    }


def cmd_list(args: argparse.Namespace) -> int:
    """`tgtui list`: accounts with last known status."""
    store = open_store(args)
    accounts = store.accounts()
    if args.json:
        print(json.dumps({"accounts": [account_json(a) for a in accounts]}, indent=2))
        return EXIT_OK
    if not accounts:
        print(_("No accounts yet. Run `tgtui` and press a, or `tgtui add NAME`."))
        return EXIT_OK
    rows = [(_("NAME"), _("PHONE"), _("USER"), _("STATUS"), _("REASON"))]
    for a in accounts:
        rows.append(
            (
                a.name,
                mask_phone(a.phone) if a.phone else "-",
                a.user.display if a.user else "-",
                a.status.state.name,
                a.broken or a.status.reason_text or "",
            )
        )
    print("\n".join(table(rows)))
    return EXIT_OK


def cmd_path(args: argparse.Namespace) -> int:
    """`tgtui path NAME`: the session file path."""
    account = get_account(open_store(args), args.name)
    print(account.session_path)
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            _("{question} — add --yes to confirm when not at a terminal.").format(question=question)
        )
    # TRANSLATORS: the answers that mean yes, lower case, separated by "|".
    yes = {"y", "yes", *_("y|yes").split("|")}
    return input(_("{question} [y/N] ").format(question=question)).strip().lower() in yes


def cmd_remove(args: argparse.Namespace) -> int:
    """`tgtui remove NAME`: to the trash, optionally logging out first."""
    store = open_store(args)
    account = get_account(store, args.name)
    if not args.yes and not _confirm(
        _("Move account {name!r} to the trash?").format(name=account.name)
    ):
        print(_("Nothing removed."))
        return EXIT_OK
    if args.logout:
        from tgtui.commands.net import logout_account

        if not logout_account(args, store, account):
            return EXIT_ATTENTION
    try:
        entry = store.remove(account.name)
    except (AccountInUse, StoreError) as exc:
        raise UsageError(str(exc)) from exc
    print(
        _("Moved {name!r} to the trash. Undo: tgtui trash restore {id}").format(
            name=account.name, id=entry.id
        )
    )
    return EXIT_OK


def cmd_trash_list(args: argparse.Namespace) -> int:
    """`tgtui trash list`."""
    entries = open_store(args).trash()
    if not entries:
        print(_("The trash is empty."))
        return EXIT_OK
    for e in entries:
        when = e.removed_at.strftime("%Y-%m-%d %H:%M UTC")
        extra = f"  {mask_phone(e.phone)}" if e.phone else ""
        print(_("{id}  removed {when}").format(id=e.id, when=when) + extra)
    print(_("Restore one with: tgtui trash restore ID"))
    return EXIT_OK


def cmd_trash_restore(args: argparse.Namespace) -> int:
    """`tgtui trash restore NAME`."""
    store = open_store(args)
    try:
        account = store.restore(args.name, args.new_name)
    except StoreError as exc:
        raise UsageError(str(exc)) from exc
    print(_("Restored {name!r}.").format(name=account.name))
    return EXIT_OK


def cmd_trash_empty(args: argparse.Namespace) -> int:
    """`tgtui trash empty`: delete for good."""
    store = open_store(args)
    count = len(store.trash())
    if count == 0:
        print(_("The trash is empty."))
        return EXIT_OK
    question = ngettext(
        "Delete {count} removed account for good?",
        "Delete {count} removed accounts for good?",
        count,
    ).format(count=count)
    if not args.yes and not _confirm(question):
        print(_("Nothing deleted."))
        return EXIT_ATTENTION
    deleted = store.empty_trash()
    print(
        ngettext(
            "Deleted {count} account for good.", "Deleted {count} accounts for good.", deleted
        ).format(count=deleted)
    )
    return EXIT_OK
