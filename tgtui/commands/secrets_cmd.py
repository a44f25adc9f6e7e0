"""`tgtui secrets where` and `tgtui secrets migrate --to keyring|file`."""

from __future__ import annotations

import argparse

from tgtui.commands.common import guarded, open_store
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK
from tgtui.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `secrets` parser and its actions."""
    p = sub.add_parser("secrets", help=_("where api_hashes are kept; move them between backends"))
    ssub = p.add_subparsers(dest="secrets_command", metavar="ACTION")
    w = ssub.add_parser("where", help=_("the secret backend and where each account's api_hash is"))
    w.set_defaults(handler=cmd_where)
    m = ssub.add_parser(
        "migrate",
        help=_("move every api_hash to the keyring or to private files"),
        description=_(
            "Move every account's api_hash to the system keyring or to private "
            "files (secrets.toml, 0600). The old copy goes only after the new one reads back."
        ),
    )
    m.add_argument(
        "--to",
        required=True,
        choices=("keyring", "file"),
        help=_("keyring: the system keyring; file: private files"),
    )
    m.set_defaults(handler=cmd_migrate)
    p.set_defaults(handler=cmd_where)


def _secrets(store):  # noqa: ANN001, ANN202 - AccountStore -> SecretStore
    from tgtui.accounts.secrets import SecretStore

    return store.secrets or SecretStore()


@guarded("secrets where")
def cmd_where(args: argparse.Namespace) -> int:
    """Print the backend for new secrets, then each account's."""
    store = open_store(args)
    secrets = _secrets(store)
    print(_("New secrets go to: {where}").format(where=secrets.probe().description))
    code = EXIT_OK
    for account in store.accounts():
        if account.broken or account.folder is None:
            print(
                "  "
                + _("{name}: unreadable account ({why})").format(
                    name=account.name, why=account.broken
                )
            )
            code = EXIT_ATTENTION
            continue
        try:
            where = secrets.where(account.uid or account.name, account.folder)
        except Exception as exc:  # keyring locked or failing: say so, go on
            print("  " + _("{name}: cannot tell ({error})").format(name=account.name, error=exc))
            code = EXIT_ATTENTION
            continue
        if where is None:
            print(
                "  "
                + _("{name}: missing — set it again (api_hash from my.telegram.org)").format(
                    name=account.name
                )
            )
            code = EXIT_ATTENTION
        else:
            print(f"  {account.name}: {where.description}")
    return code


@guarded("secrets migrate")
def cmd_migrate(args: argparse.Namespace) -> int:
    """Move every api_hash; exit 1 when any could not be moved."""
    store = open_store(args)
    accounts = [a for a in store.accounts() if not a.broken and a.folder is not None]
    names = {a.uid or a.name: a.name for a in accounts}
    report = _secrets(store).migrate([(a.uid or a.name, a.folder) for a in accounts], args.to)
    print(report.summary() + ".")
    for uid, why in report.failed:
        print("  " + _("{name}: not moved — {why}").format(name=names.get(uid, uid), why=why))
    for uid, note in report.notes:
        print(f"  {names.get(uid, uid)}: {note}")
    skipped = len(store.accounts()) - len(accounts)
    if skipped:
        print(
            "  "
            + ngettext(
                "{count} unreadable account skipped; `tgtui doctor` lists it.",
                "{count} unreadable accounts skipped; `tgtui doctor` lists them.",
                skipped,
            ).format(count=skipped)
        )
    return EXIT_OK if report.ok and not skipped else EXIT_ATTENTION
