"""`tgtui server NAME [...]`: show or change where an account connects, and its proxy.

Changing the server says whether the saved login survives: a new address of the same
server keeps it; another DC, another RSA key, or a move between production, Telegram's
test DCs and a self-hosted server needs a new login (the login belongs to one server).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from tgtui.accounts import Account, StoreError
from tgtui.accounts import servers as known
from tgtui.commands import server_opts
from tgtui.commands.common import get_account, guarded, open_store
from tgtui.commands.exits import EXIT_OK, UsageError
from tgtui.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `server` parser."""
    p = sub.add_parser(
        "server",
        help=_("show or change an account's server (custom, test DCs) and proxy"),
        description=_(
            "Without options, show where NAME connects. With --server/--test-dc "
            "(or --production), change it; with --proxy URL (or --no-proxy), change its "
            "proxy. Says when the change needs a new login."
        ),
    )
    p.add_argument("name", metavar="NAME", help=_("the account's name"))
    server_opts.add_options(p)
    p.add_argument(
        "--production", action="store_true", help=_("back to Telegram's production servers")
    )
    p.add_argument("--no-proxy", action="store_true", help=_("connect without a proxy"))
    p.set_defaults(handler=cmd_server)


def _show(account: Account) -> None:
    server = account.server
    line = server_opts.describe_server(server)
    if server is not None:
        line += f", DC {server.dc_id}"
        if server.rsa_key_file:
            line += ", " + _("key {path}").format(path=server.rsa_key_file)
    print(f"{account.name}: {line}")
    proxy = account.proxy
    if proxy is not None:
        text = _("{name}: through the {kind} proxy {host}:{port}").format(
            name=account.name, kind=proxy.kind, host=proxy.host, port=proxy.port
        )
        if proxy.secret_ref:
            text += " " + _("(secret in the secret store)")
        print(text)


@guarded("server")
def cmd_server(args: argparse.Namespace) -> int:
    """`tgtui server NAME`: show, or change and say what the change means for the login."""
    changes_server = bool(args.server or args.test_dc or args.dc or args.rsa_key)
    if args.production and changes_server:
        raise UsageError(
            _("--production goes alone (without --server, --dc, --rsa-key, --test-dc).")
        )
    if args.no_proxy and (args.proxy or args.proxy_secret_env):
        raise UsageError(_("--no-proxy goes without --proxy."))
    new_server = server_opts.server_from_args(args)
    new_proxy = server_opts.proxy_from_args(args)
    store = open_store(args)
    account = get_account(store, args.name)
    if account.broken:
        raise UsageError(f"{account.name}: {account.broken}")
    if not (changes_server or args.production or new_proxy or args.no_proxy):
        _show(account)
        return EXIT_OK
    try:
        if changes_server or args.production:
            note = known.change_note(account.server, new_server)
            account = store.update(replace(account, server=new_server))
            print(
                _("{name} now connects to {server}.").format(
                    name=account.name, server=server_opts.describe_server(new_server)
                )
            )
            if note:
                print(note)
        if new_proxy is not None or args.no_proxy:
            proxy = new_proxy.proxy if new_proxy else None
            account = store.set_proxy(account, proxy, new_proxy.secret if new_proxy else None)
            print(
                _("{name} now connects without a proxy.").format(name=account.name)
                if proxy is None
                else _("{name} now connects through the {kind} proxy {host}:{port}.").format(
                    name=account.name, kind=proxy.kind, host=proxy.host, port=proxy.port
                )
            )
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK
