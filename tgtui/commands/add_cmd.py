"""`tgtui add NAME`: the guided login as plain prompts, for servers without the TUI.

api_id → api_hash (hidden, or from an environment variable) → phone → code (or a QR
code with `--qr`) → 2FA password (hidden) when the account has one. A failure prints
the troubleshooter's best match and asks again; Ctrl-C cancels and leaves nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tgtui.accounts import InvalidInput
from tgtui.commands import server_opts
from tgtui.commands.common import Runner, guarded, open_tg
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, EXIT_USAGE, UsageError
from tgtui.commands.prompts import Prompts, current
from tgtui.failure import Failure
from tgtui.i18n import _, language

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.flow import LoginFlow

QR_TIMEOUT = 120.0  # seconds to wait for a scan before asking what to do
MAX_ROUNDS = 50  # a safety stop for the prompt loop


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `add` parser."""
    p = sub.add_parser(
        "add",
        help=_("log in to an account with plain prompts (no full-screen app)"),
        description=_(
            "Log in to an existing Telegram account and save it as NAME. You need "
            "the api_id and api_hash from my.telegram.org (API development tools)."
        ),
    )
    p.add_argument(
        "name",
        metavar="NAME",
        help=_("a short name for the account, e.g. work (a-z, 0-9, _ and -)"),
    )
    p.add_argument("--label", default="", help=_("a free-text label shown in the list"))
    p.add_argument("--qr", action="store_true", help=_("log in by scanning a QR code instead"))
    p.add_argument("--api-id", metavar="N", help=_("the api_id (else asked)"))
    p.add_argument(
        "--api-hash-env",
        metavar="VAR",
        help=_("read the api_hash from this environment variable (else asked, hidden)"),
    )
    p.add_argument(
        "--phone", metavar="PHONE", help=_("the phone number with country code (else asked)")
    )
    server_opts.add_options(p)
    p.set_defaults(handler=cmd_add)


def explain(fail: Failure, prompts: Prompts) -> None:
    """The failure in one line, then the best-matching pitfall's title and fix."""
    from tgtui.troubleshoot import match

    prompts.say(f"✗ {fail}")
    found = match(fail, fail.stage)
    if found:
        best = found[0].wording(language())
        prompts.say(f"  {best.title}")
        for n, step in enumerate(best.fix[:3], 1):
            prompts.say(f"    {n}. {step}")


def hash_from_env(var: str | None) -> str | None:
    """The api_hash from `$VAR` (a UsageError when it is unset or empty)."""
    if not var:
        return None
    value = os.environ.get(var, "")
    if not value.strip():
        raise UsageError(
            _("${var} is not set or empty; export the api_hash in it first.").format(var=var)
        )
    return value


@guarded("add")
def cmd_add(args: argparse.Namespace) -> int:
    """`tgtui add NAME`: 0 when the account was added, 130 when cancelled."""
    from tgtui.telegram.flow import LoginFlow

    api_hash = hash_from_env(args.api_hash_env)
    server = server_opts.server_from_args(args)
    proxy = server_opts.proxy_from_args(args)
    prompts = current()
    with open_tg(args) as tg:
        try:
            flow = LoginFlow(
                tg,
                name=args.name,
                label=args.label,
                on_change=_show_qr(prompts),
                proxy=proxy.proxy if proxy else None,
                proxy_secret=proxy.secret if proxy else None,
                server=server,
            )
        except InvalidInput as exc:
            raise UsageError(str(exc)) from exc
        if getattr(args, "demo", False):
            _demo_intro(prompts)
        if server is not None:
            prompts.say(_("Server: {server}").format(server=server_opts.describe_server(server)))
        if proxy is not None:
            p = proxy.proxy
            prompts.say(
                _("Proxy: {kind} {host}:{port}").format(kind=p.kind, host=p.host, port=p.port)
            )
        runner = Runner()
        try:
            return _drive(args, tg, flow, runner, prompts, api_hash)
        except (KeyboardInterrupt, EOFError) as exc:
            runner.run(flow.cancel())
            prompts.say("")
            prompts.say(_("Cancelled; nothing was saved."))
            return 130 if isinstance(exc, KeyboardInterrupt) else EXIT_USAGE
        finally:
            runner.close()


def _demo_intro(prompts: Prompts) -> None:
    from tgtui.telegram import demo

    prompts.say(
        _(
            "(demo) use api_id {api_id}, api_hash {api_hash}, and phone {phone} "
            "(or {phone_2fa}, password {password!r})."
        ).format(
            api_id=demo.DEMO_API_ID,
            api_hash=demo.DEMO_API_HASH,
            phone=demo.DEMO_NEW_PHONE,
            phone_2fa=demo.DEMO_2FA_PHONE,
            password=demo.DEMO_PASSWORD,
        )
    )


def _drive(
    args: argparse.Namespace,
    tg: Telegram,
    flow: LoginFlow,
    runner: Runner,
    prompts: Prompts,
    api_hash: str | None,
) -> int:
    from tgtui.telegram.errors import TelegramFailure
    from tgtui.telegram.flow import Step

    given = {"api_id": args.api_id, "api_hash": api_hash, "phone": args.phone}
    for _round in range(MAX_ROUNDS):
        step = flow.step
        if step is Step.DONE:
            return _done(flow, prompts)
        if step is Step.CANCELLED:
            prompts.say(_("Cancelled; nothing was saved."))
            return EXIT_ATTENTION
        try:
            if step is Step.CREDENTIALS:
                _credentials(flow, runner, prompts, given)
            elif step is Step.PHONE:
                _phone(args, tg, flow, runner, prompts, given)
            elif step is Step.CODE:
                _code(tg, flow, runner, prompts)
            elif step is Step.QR:
                _qr(tg, flow, runner, prompts)
            elif step is Step.PASSWORD:
                _password(flow, runner, prompts)
        except TelegramFailure as exc:
            explain(exc.failure, prompts)
            if flow.step is Step.CREDENTIALS:
                given["api_id"] = given["api_hash"] = None
            if exc.failure.name.startswith("PHONE_NUMBER"):
                given["phone"] = None
            if flow.step is Step.QR and exc.failure.name == "QR_EXPIRED":
                prompts.ask(_("Press Enter to keep waiting (Ctrl-C stops): "))
            if exc.failure.name in ("FLOOD_WAIT", "FLOOD_WAIT_LOCAL", "PHONE_NUMBER_FLOOD"):
                runner.run(flow.cancel())
                return EXIT_ATTENTION
    runner.run(flow.cancel())
    prompts.say(_("Too many tries; stopped. Nothing was saved."))
    return EXIT_ATTENTION


def _credentials(flow: LoginFlow, runner: Runner, prompts: Prompts, given: dict) -> None:
    api_id = given.get("api_id") or prompts.ask(_("api_id (from my.telegram.org): "))
    api_hash = given.get("api_hash") or prompts.secret(_("api_hash (typing is hidden): "))
    given["api_id"] = given["api_hash"] = None  # a retry asks
    runner.run(flow.set_credentials(api_id.strip(), api_hash))
    for warning in flow.warnings:
        prompts.say(f"! {warning}")


def _phone(
    args: argparse.Namespace,
    tg: Telegram,
    flow: LoginFlow,
    runner: Runner,
    prompts: Prompts,
    given: dict,
) -> None:
    if args.qr:
        runner.run(flow.start_qr())
        return
    question = _("Phone number, with country code: ")
    if flow.server is not None and flow.server.test:
        question = _("Phone number (test numbers: 99966{dc}YYYY): ").format(dc=flow.server.dc_id)
    phone = given.get("phone") or prompts.ask(question)
    given["phone"] = None
    runner.run(flow.send_code(phone))
    if flow.code is not None:
        prompts.say(_("Code sent: {where}").format(where=flow.code.where))
    hint = _demo_code(tg, flow)
    if hint:
        prompts.say(_("(demo) the simulated code is {code}").format(code=hint))


def _demo_code(tg: Telegram, flow: LoginFlow) -> str:
    demo = tg.demo
    if demo is None or not flow.phone:
        return ""
    return demo.last_code(flow.phone) or ""


def _code(tg: Telegram, flow: LoginFlow, runner: Runner, prompts: Prompts) -> None:
    answer = prompts.ask(_("Code (r = send it again): ")).strip()
    # TRANSLATORS: what may be typed at the code prompt to get the code again, "|"-separated.
    if answer.lower() in ("r", "resend", *_("r|resend").split("|")):
        runner.run(flow.resend_code())
        if flow.code is not None:
            prompts.say(_("Code sent again: {where}").format(where=flow.code.where))
        hint = _demo_code(tg, flow)
        if hint:
            prompts.say(_("(demo) the simulated code is {code}").format(code=hint))
        return
    runner.run(flow.sign_in_code(answer))


def _qr(tg: Telegram, flow: LoginFlow, runner: Runner, prompts: Prompts) -> None:
    if tg.demo is not None:
        prompts.say(_("(demo) the simulated phone scans it"))
        _demo_scan(tg, flow)
    runner.run(flow.wait_qr(timeout=QR_TIMEOUT))


def _show_qr(prompts: Prompts) -> Callable[[LoginFlow], None]:
    """An on_change callback that prints each new QR code once."""
    from tgtui.telegram.flow import Step

    shown = {"url": ""}

    def on_change(flow: LoginFlow) -> None:
        if flow.step is Step.QR and flow.qr is not None and flow.qr.url != shown["url"]:
            shown["url"] = flow.qr.url
            prompts.say(render_qr(flow.qr.url))
            prompts.say(
                _(
                    "Scan it in Telegram on a logged-in phone: Settings > Devices > "
                    "Link Desktop Device. It renews itself until scanned."
                )
            )

    return on_change


def _demo_scan(tg: Telegram, flow: LoginFlow) -> None:
    """In the demo, a simulated phone scans the code: a sample user not yet added."""
    demo = tg.demo
    if demo is None or flow.qr is None:
        return
    taken = {a.phone for a in tg.store.accounts()}
    phones = [p for p in demo.phones() if p not in taken]
    if not phones:
        return
    try:
        demo.scan_qr(flow.qr.url, phones[0])
    except (KeyError, ValueError) as exc:  # the flow then simply times out
        print(_("(demo) scan failed: {error}").format(error=type(exc).__name__), file=sys.stderr)


def _password(flow: LoginFlow, runner: Runner, prompts: Prompts) -> None:
    password = prompts.secret(password_question(flow.password_hint))
    runner.run(flow.sign_in_password(password))


def _done(flow: LoginFlow, prompts: Prompts) -> int:
    account = flow.account
    for warning in flow.warnings:
        if not warning.startswith("API_ID_CHANGED"):
            prompts.say(f"! {warning}")
    if account is None:
        return EXIT_ATTENTION
    who = account.user.display if account.user else ""
    print(
        _("Added {name!r} ({who}).").format(name=account.name, who=who)
        if who
        else _("Added {name!r}.").format(name=account.name)
    )
    print(_("Session file for your scripts: {path}").format(path=account.session_path))
    return EXIT_OK


def password_question(hint: str) -> str:
    """The prompt for the two-step verification password, with its hint when it has one."""
    if hint:
        return _("Two-step verification password (hint: {hint}): ").format(hint=hint)
    return _("Two-step verification password: ")


def render_qr(data: str) -> str:
    """A QR code in half-block characters, dark on light (ANSI colours on a terminal)."""
    import segno

    matrix = [[bool(m) for m in row] for row in segno.make(data, micro=False).matrix]
    border = 2
    width = len(matrix[0]) + 2 * border
    rows = [[False] * width for _row in range(border)]
    rows += [[False] * border + r + [False] * border for r in matrix]
    rows += [[False] * width for _row in range(border)]
    if len(rows) % 2:
        rows.append([False] * width)
    blocks = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = [
        "".join(blocks[(up, down)] for up, down in zip(rows[i], rows[i + 1], strict=True))
        for i in range(0, len(rows), 2)
    ]
    if sys.stderr.isatty():
        lines = [f"\x1b[30;47m{line}\x1b[0m" for line in lines]
    return "\n".join(lines)
