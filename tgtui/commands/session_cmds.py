"""`tgtui export NAME --string` and `tgtui import NAME --session|--string -|--pyrogram|--tdata`.

A session string is a password-equivalent credential: export writes it to stdout only
(the warning goes to stderr), and import reads it from stdin only, never from argv
(where `ps` shows it to every user). The api_hash is read hidden or from an
environment variable, never from argv.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tgtui.accounts import Account, InvalidInput, Server, State, validate
from tgtui.accounts.validate import ProxySpec
from tgtui.commands import server_opts
from tgtui.commands.add_cmd import explain, hash_from_env, password_question
from tgtui.commands.common import Runner, get_account, guarded, open_tg
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, UsageError
from tgtui.commands.prompts import Prompts, current
from tgtui.commands.tdata_source import API_ID_NOTE, TDATA_SHARED_KEY_WARNING, check_flags
from tgtui.i18n import N_, _

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.health import Health
    from tgtui.telegram.importers import SessionData

CREDENTIAL_WARNING = N_(
    "tgtui: this session string is a password-equivalent credential: whoever has it is "
    "logged in as this account. Do not paste it into chats, tickets or logs."
)
SHARED_KEY_WARNING = N_(
    "tgtui: the imported session shares its key with the original. Stop every other "
    "program that uses it, or Telegram may revoke both (AUTH_KEY_DUPLICATED). "
    "--fresh avoids this by logging in a new session of tgtui's own."
)
FRESH_TIMEOUT = 60.0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `export` and `import` parsers."""
    p = sub.add_parser(
        "export",
        help=_("print an account's session as a Telethon StringSession (a credential!)"),
        description=_(
            "Print the account's session as a Telethon StringSession on stdout. "
            "It is a password-equivalent credential; the warning goes to stderr."
        ),
    )
    p.add_argument("name", metavar="NAME", help=_("the account's name"))
    p.add_argument("--string", action="store_true", required=True, help=_("as a StringSession"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import",
        help=_("add an account from a Telethon, Pyrogram or Telegram Desktop (tdata) session"),
        description=_(
            "Add an account from an existing session: a Telethon session file, "
            "a StringSession on stdin (Telethon's or Pyrogram's), a Pyrogram session file, or "
            "a Telegram Desktop tdata folder. With --fresh (recommended, above all for tdata), "
            "the imported session only approves a new login of tgtui's own and is not kept, "
            "so the original keeps working: two programs using one auth key from different "
            "places get both sessions killed by Telegram (AUTH_KEY_DUPLICATED)."
        ),
    )
    p.add_argument("name", metavar="NAME", help=_("the new account's name"))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--session", metavar="FILE", help=_("a Telethon .session file"))
    src.add_argument(
        "--string",
        metavar="-",
        help=_("read a session string from stdin (only '-' is accepted)"),
    )
    src.add_argument("--pyrogram", metavar="FILE", help=_("a Pyrogram .session file"))
    src.add_argument(
        "--tdata",
        metavar="PATH",
        help=_("a Telegram Desktop tdata folder (or the folder holding it); only read"),
    )
    p.add_argument(
        "--passcode",
        metavar="-",
        help=_(
            "with --tdata: read Telegram Desktop's local passcode from stdin (else asked, "
            "hidden, when the folder has one)"
        ),
    )
    p.add_argument(
        "--account",
        metavar="N",
        help=_("with --tdata: which account of the folder (1, 2, ... as listed; else asked)"),
    )
    p.add_argument(
        "--api-id", metavar="N", help=_("the api_id (else read from a Pyrogram v2 file, or asked)")
    )
    p.add_argument(
        "--api-hash-env",
        metavar="VAR",
        help=_("read the api_hash from this environment variable (else asked, hidden)"),
    )
    p.add_argument("--label", default="", help=_("a free-text label"))
    p.add_argument(
        "--fresh",
        action="store_true",
        help=_(
            "recommended: log in a brand-new session approved by the imported one (which "
            "is not kept), so the original app keeps working and no key is shared"
        ),
    )
    server_opts.add_options(p)
    p.set_defaults(handler=cmd_import)


# ---------------------------------------------------------------------- export
@guarded("export")
def cmd_export(args: argparse.Namespace) -> int:
    """`tgtui export NAME --string`."""
    from tgtui.telegram.actions import export_string
    from tgtui.telegram.errors import TelegramFailure

    with open_tg(args) as tg:
        account = get_account(tg.store, args.name)
        if account.broken:
            raise UsageError(f"{account.name}: {account.broken}")
        try:
            with Runner() as runner:
                text = runner.run(export_string(tg, account))
        except TelegramFailure as exc:
            raise UsageError(f"{account.name}: {exc.failure}") from None
    print(_(CREDENTIAL_WARNING), file=sys.stderr)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return EXIT_OK


# ---------------------------------------------------------------------- import
def read_source(args: argparse.Namespace) -> SessionData:
    """The session to import, from the one source given; UsageError when unusable."""
    from tgtui.telegram import importers

    if args.tdata:
        from tgtui.commands.tdata_source import read_tdata_source

        return read_tdata_source(args, current())
    try:
        if args.session:
            return importers.read_telethon_file(Path(args.session).expanduser())
        if args.pyrogram:
            return importers.read_pyrogram_file(Path(args.pyrogram).expanduser())
        if args.string != "-":
            raise UsageError(
                _(
                    "Give the session string on standard input: --string - (a string on the "
                    "command line is visible to every user through ps and shell history)."
                )
            )
        if sys.stdin is None or sys.stdin.isatty():
            current().say(_("Paste the session string, then press Enter and Ctrl-D:"))
        return importers.parse_string(sys.stdin.read() if sys.stdin else "")
    except importers.SessionImportError as exc:
        raise UsageError(str(exc)) from None


def _api_id(args: argparse.Namespace, data: SessionData, prompts: Prompts) -> int:
    raw = args.api_id
    if raw is None and data.api_id:
        prompts.say(
            _("Using the api_id stored in the Pyrogram session ({api_id}).").format(
                api_id=data.api_id
            )
        )
        return data.api_id
    if raw is None:
        try:
            raw = prompts.ask(_("api_id (from my.telegram.org): "))
        except EOFError:
            raise UsageError(_("No api_id: pass --api-id N.")) from None
    try:
        checked = validate.api_id(raw)
    except InvalidInput as exc:
        raise UsageError(str(exc)) from None
    for warning in checked.warnings:
        prompts.say(f"! {warning}")
    value = int(checked.value)  # type: ignore[call-overload]
    if data.api_id and data.api_id != value:
        prompts.say(
            _(
                "! The session was made with api_id {made}; using {value} instead may "
                "make Telegram ask for a new login."
            ).format(made=data.api_id, value=value)
        )
    return value


def _api_hash(raw: str | None, prompts: Prompts) -> str:
    if raw is None:
        try:
            raw = prompts.secret(_("api_hash (typing is hidden): "))
        except EOFError:
            raise UsageError(
                _("No api_hash: type it when asked, or pass --api-hash-env VAR.")
            ) from None
    try:
        return validate.api_hash(raw)
    except InvalidInput as exc:
        raise UsageError(str(exc)) from None


@guarded("import")
def cmd_import(args: argparse.Namespace) -> int:
    """`tgtui import NAME ...`: 0 when the imported account is OK, 1 when it needs attention."""
    from tgtui.telegram.importers import source_server

    prompts = current()
    env_hash = hash_from_env(args.api_hash_env)  # fail fast on an unset variable
    given_server = server_opts.server_from_args(args)
    proxy = server_opts.proxy_from_args(args)
    check_flags(args)
    with open_tg(args) as tg:
        try:
            name = validate.account_name(args.name, set(tg.store.names()))
        except InvalidInput as exc:
            raise UsageError(str(exc)) from None
        data = read_source(args)
        server = given_server or source_server(data)  # keep the server of the source
        if server is not None:
            prompts.say(_("Server: {server}").format(server=server_opts.describe_server(server)))
        api_id = _api_id(args, data, prompts)
        api_hash = _api_hash(env_hash, prompts)
        with Runner() as runner:
            if args.fresh:
                account = _import_fresh(
                    tg,
                    runner,
                    prompts,
                    Target(name, args.label, server, proxy),
                    data,
                    api_id,
                    api_hash,
                )
                if account is None:
                    return EXIT_ATTENTION
            else:
                account = _import_copy(
                    tg, args, Target(name, args.label, server, proxy), data, api_id, api_hash
                )
                if data.source == "tdata":
                    prompts.say(_(API_ID_NOTE).format(api_id=api_id))
                warning = TDATA_SHARED_KEY_WARNING if data.source == "tdata" else SHARED_KEY_WARNING
                print(_(warning), file=sys.stderr)
            from tgtui.telegram.health import check_and_save

            health = runner.run(check_and_save(tg, account))
    print(state_line(account.name, health))
    return EXIT_OK if health.state is State.OK else EXIT_ATTENTION


def state_line(name: str, health: Health) -> str:
    """`Imported 'work': OK — Session works (@ann, DC 2)`."""
    extra = [health.user.display] if health.user else []
    if health.dc:
        extra.append(f"DC {health.dc}")
    tail = f" ({', '.join(extra)})" if extra else ""
    return (
        _("Imported {name!r}: {state} — {reason}").format(
            name=name, state=health.state.name, reason=health.reason_text
        )
        + tail
    )


def _staging(tg: Telegram) -> Path:
    return tg.store.new_pending("import")


@dataclass(frozen=True)
class Target:
    """The account an import makes: name, label, server and proxy."""

    name: str
    label: str
    server: Server | None
    proxy: ProxySpec | None


def _import_copy(
    tg: Telegram,
    args: argparse.Namespace,
    target_account: Target,
    data: SessionData,
    api_id: int,
    api_hash: str,
) -> Account:
    """Write the session into a new account (the imported key is kept)."""
    from tgtui.telegram import importers

    folder = _staging(tg)
    try:
        target = folder / "session.session"
        if args.session:
            importers.copy_telethon_file(Path(args.session).expanduser(), target)
        else:
            importers.write_telethon_file(data, target)
        if target_account.server is not None:  # scripts using the file go there too
            importers.point_at_server(target, target_account.server)
        t, proxy = target_account, target_account.proxy
        account = Account(
            name=t.name,
            api_id=api_id,
            phone="",  # filled from Telegram's answer on the first OK check
            label=t.label,
            server=t.server,
            proxy=proxy.proxy if proxy else None,
        )
        return tg.store.create(
            account,
            api_hash,
            session_file=target,
            proxy_secret=proxy.secret if proxy else None,
            event="import",
        )
    finally:
        tg.store.discard_pending(folder)


def _import_fresh(
    tg: Telegram,
    runner: Runner,
    prompts: Prompts,
    t: Target,
    data: SessionData,
    api_id: int,
    api_hash: str,
) -> Account | None:
    """Log a new session in by approving its QR token with the imported one (not kept).

    Both sides use the same server: the source's, or the one given on the command line.
    """
    from tgtui.telegram.errors import TelegramFailure
    from tgtui.telegram.flow import LoginFlow, Step
    from tgtui.telegram.importers import approve_login_token, token_from_url

    flow = LoginFlow(
        tg,
        name=t.name,
        label=t.label,
        server=t.server,
        proxy=t.proxy.proxy if t.proxy else None,
        proxy_secret=t.proxy.secret if t.proxy else None,
    )
    try:
        runner.run(flow.set_credentials(api_id, api_hash))
        runner.run(flow.start_qr())
        if flow.step is Step.QR and flow.qr is not None:
            token = token_from_url(flow.qr.url)
            runner.run(approve_login_token(tg, data, token, api_id, api_hash, t.server))
            runner.run(flow.wait_qr(timeout=FRESH_TIMEOUT))
        for _attempt in range(3):
            if flow.step is not Step.PASSWORD:
                break
            password = prompts.secret(password_question(flow.password_hint))
            try:
                runner.run(flow.sign_in_password(password))
            except TelegramFailure as exc:
                explain(exc.failure, prompts)
                if exc.failure.name != "PASSWORD_HASH_INVALID":
                    break
    except TelegramFailure as exc:
        explain(exc.failure, prompts)
    except (KeyboardInterrupt, EOFError):
        runner.run(flow.cancel())
        raise
    if flow.step is not Step.DONE or flow.account is None:
        with contextlib.suppress(Exception):
            runner.run(flow.cancel())
        prompts.say(_("Nothing was imported."))
        return None
    prompts.say(_("Logged in a new session; the imported one was not stored."))
    return flow.account
