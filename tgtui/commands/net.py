"""Network steps the store commands need: logging a session out before removing it."""

from __future__ import annotations

import argparse
import sys

from tgtui.accounts import Account, AccountStore, State
from tgtui.i18n import _


def logout_account(args: argparse.Namespace, store: AccountStore, account: Account) -> bool:
    """Log `account` out on Telegram; True when it is out (or there was nothing to end).

    The safe choice: when Telegram cannot confirm the logout (offline, in use, bad
    credentials), say so and return False; the caller then removes nothing, even with
    `--yes`, because the session might still be alive. Removing without `--logout`
    keeps the file in the trash, where it can be restored and logged out later.
    """
    from tgtui.commands.common import Runner, open_tg
    from tgtui.telegram.errors import TelegramFailure

    path = account.session_path
    if account.broken:
        _fail(account, account.broken)
        return False
    if not path.exists() or path.stat().st_size == 0:
        print(_("{name!r} has no session to log out.").format(name=account.name), file=sys.stderr)
        return True
    if account.status.state in (State.REVOKED, State.DUPLICATED):
        print(
            _("{name!r} was already logged out by Telegram.").format(name=account.name),
            file=sys.stderr,
        )
        return True
    from tgtui.telegram.actions import log_out

    with open_tg(args) as tg:
        if tg.store.root != store.root:  # the caller's store wins (same folder in practice)
            tg = tg.with_store(store)
        try:
            with Runner() as runner:
                runner.run(log_out(tg, account))
        except TelegramFailure as exc:
            _fail(account, str(exc.failure))
            return False
    print(_("Logged {name!r} out on Telegram.").format(name=account.name), file=sys.stderr)
    return True


def _fail(account: Account, why: str) -> None:
    print(
        _(
            "tgtui: could not log {name!r} out: {why} Nothing was removed. "
            "Retry later, or run `tgtui remove {name}` without --logout (the session "
            "then waits in the trash; end it from Telegram > Settings > Devices)."
        ).format(name=account.name, why=why),
        file=sys.stderr,
    )
