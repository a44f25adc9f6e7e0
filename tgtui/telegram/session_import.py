"""Importing a session made elsewhere as a new account, without any UI: what the TUI's
import screen calls (the CLI has the same steps with prompts in commands/session_cmds).

`read_source` turns a path (Telethon or Pyrogram session file, Telegram Desktop tdata
folder) or a session string into a `SessionData`; `adopt` keeps that session as a new
account; `start_fresh` uses it once to approve a new login of tgtui's own.
"""

from __future__ import annotations

import contextlib
import secrets as _random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from tgtui.accounts import Account
from tgtui.i18n import _, ngettext
from tgtui.telegram import importers, tdata
from tgtui.telegram.importers import SessionData, SessionImportError

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.flow import LoginFlow

FRESH_TIMEOUT = 60.0


class ChooseAccount(SessionImportError):
    """A tdata folder holds several accounts and none was chosen; `lines` lists them."""

    def __init__(self, folder: Path, lines: tuple[str, ...]) -> None:
        super().__init__(
            ngettext(
                "{folder} holds {count} account; choose one.",
                "{folder} holds {count} accounts; choose one.",
                len(lines),
            ).format(folder=folder, count=len(lines))
        )
        self.lines = lines


def read_source(
    path: str = "", string: str = "", *, passcode: str = "", account: int | None = None
) -> SessionData:
    """The session in a file, a tdata folder or a string (exactly one of path, string).

    Raises tdata.PasscodeNeeded / tdata.WrongPasscode, ChooseAccount, or
    SessionImportError with one line naming what is wrong. Local only; the source is
    only read.
    """
    path, string = path.strip(), string.strip()
    if bool(path) == bool(string):
        raise SessionImportError(
            _("Give a file or folder, or paste a session string (one of them).")
        )
    if string:
        return importers.parse_string(string)
    where = Path(path).expanduser()
    if where.is_dir():
        folder = tdata.read_tdata(where, passcode)
        if account is None and len(folder.accounts) > 1:
            raise ChooseAccount(folder.path, tuple(a.describe() for a in folder.accounts))
        chosen = folder.account(account or 1)
        try:
            return chosen.session()
        except SessionImportError as exc:
            raise SessionImportError(
                _("{path}, account {number}: {detail}").format(
                    path=folder.path, number=chosen.number, detail=exc
                )
            ) from None
    if not where.exists():
        raise SessionImportError(_("{where} does not exist.").format(where=where))
    kind = importers.session_kind(where)
    if kind == "telethon":
        return importers.read_telethon_file(where)
    if kind == "pyrogram":
        return importers.read_pyrogram_file(where)
    raise SessionImportError(
        _("{where} is an SQLite file but not a Telethon or Pyrogram session.").format(where=where)
    )


def adopt(
    tg: Telegram, name: str, label: str, data: SessionData, api_id: int, api_hash: str
) -> Account:
    """Keep `data` as the new account `name` (its key is shared with the original)."""
    from tgtui.accounts.fsutil import ensure_dir

    folder = ensure_dir(tg.pending_dir / f"import-{_random.token_hex(4)}")
    try:
        target = importers.write_telethon_file(data, folder / "session.session")
        account = Account(name=name, api_id=api_id, phone="", label=label)
        return tg.store.create(account, api_hash, session_file=target, event="import")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def start_fresh(
    tg: Telegram,
    name: str,
    label: str,
    data: SessionData,
    api_id: int,
    api_hash: str,
    timeout: float = FRESH_TIMEOUT,
) -> LoginFlow:
    """A new login of tgtui's own, approved by `data` (used in memory, never kept).

    Returns the flow at DONE, or at PASSWORD when the account has two-step verification
    (then `flow.sign_in_password`). Raises TelegramFailure; nothing is left behind then.
    """
    from tgtui.telegram.flow import LoginFlow, Step

    flow = LoginFlow(tg, name=name, label=label)
    try:
        await flow.set_credentials(api_id, api_hash)
        await flow.start_qr()
        if flow.step is Step.QR and flow.qr is not None:
            token = importers.token_from_url(flow.qr.url)
            await importers.approve_login_token(tg, data, token, api_id, api_hash)
            await flow.wait_qr(timeout=timeout)
    except BaseException:
        with contextlib.suppress(Exception):
            await flow.cancel()
        raise
    if flow.step not in (Step.DONE, Step.PASSWORD):
        with contextlib.suppress(Exception):
            await flow.cancel()
        raise SessionImportError(_("The imported session did not approve the new login in time."))
    return flow
