"""`tgtui import NAME --tdata PATH [--passcode -] [--account N]`: picking the session out
of a Telegram Desktop folder.

The local passcode is asked hidden, or read from standard input with `--passcode -`,
never from argv. A folder with several accounts lists them and asks which (or takes
`--account N`). The folder is only read, never changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tgtui.commands.exits import UsageError
from tgtui.commands.prompts import Prompts
from tgtui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from tgtui.telegram.importers import SessionData
    from tgtui.telegram.tdata import TdataAccount, TdataFolder

PASSCODE_TRIES = 3
TDATA_SHARED_KEY_WARNING = N_(
    "tgtui: this account now shares its auth key with Telegram Desktop. Quit Telegram "
    "Desktop on that folder for good (or log it out), or Telegram may end both sessions "
    "(AUTH_KEY_DUPLICATED). --fresh avoids this: it logs in a session of tgtui's own and "
    "leaves Telegram Desktop working."
)
API_ID_NOTE = N_(
    "The key was made by Telegram Desktop under its own api_id; tgtui connects with yours "
    "(api_id {api_id}) and never presents itself as Telegram Desktop."
)
RUNNING_NOTE = N_(
    "! {path} has a 'working' file: Telegram Desktop is running on this folder (or did not "
    "quit cleanly). tgtui only read it; prefer --fresh so the two never share a key."
)


def check_flags(args: argparse.Namespace) -> None:
    """--passcode and --account belong to --tdata only."""
    if getattr(args, "tdata", None):
        return
    for flag in ("passcode", "account"):
        if getattr(args, flag, None) is not None:
            raise UsageError(_("--{flag} goes with --tdata PATH only.").format(flag=flag))


def read_tdata_source(args: argparse.Namespace, prompts: Prompts) -> SessionData:
    """The session of the chosen account in the tdata folder; UsageError when unusable."""
    from tgtui.telegram import tdata
    from tgtui.telegram.importers import SessionImportError

    path = Path(args.tdata).expanduser()
    try:
        folder = _open(path, args.passcode, prompts)
    except tdata.TdataError as exc:
        raise UsageError(str(exc)) from None
    if folder.running:
        prompts.say(_(RUNNING_NOTE).format(path=folder.path))
    for line in folder.skipped:
        prompts.say(_("! skipped: {line}").format(line=line))
    chosen = _choose(folder, args.account, prompts)
    try:
        return chosen.session()
    except SessionImportError as exc:  # e.g. a DC Telegram does not have
        raise UsageError(
            _("{path}, account {number}: {error}").format(
                path=folder.path, number=chosen.number, error=exc
            )
        ) from None


def _open(path: Path, passcode_flag: str | None, prompts: Prompts) -> TdataFolder:
    from tgtui.telegram import tdata

    if passcode_flag is not None:
        if passcode_flag != "-":
            raise UsageError(
                _(
                    "Give the local passcode on standard input: --passcode - (a passcode on "
                    "the command line is visible to every user through ps and shell history)."
                )
            )
        line = sys.stdin.readline() if sys.stdin else ""
        try:
            return tdata.read_tdata(path, line.rstrip("\r\n"))
        except tdata.PasscodeNeeded:
            raise UsageError(
                _("No passcode on standard input; {path} needs one.").format(path=path)
            ) from None
        except tdata.WrongPasscode:
            raise UsageError(
                _("The passcode on standard input does not open {path}.").format(path=path)
            ) from None
    if not tdata.needs_passcode(path):
        return tdata.read_tdata(path)
    prompts.say(_("{path} is protected by Telegram Desktop's local passcode.").format(path=path))
    for attempt in range(PASSCODE_TRIES):
        try:
            passcode = prompts.secret(_("Local passcode (typing is hidden): "))
        except EOFError:
            raise UsageError(
                _(
                    "{path} is protected by a local passcode: type it when asked, or give it "
                    "on standard input with --passcode -."
                ).format(path=path)
            ) from None
        try:
            return tdata.read_tdata(path, passcode)
        except tdata.WrongPasscode:
            left = PASSCODE_TRIES - attempt - 1
            prompts.say(
                ngettext(
                    "✗ That passcode does not open this folder; {left} more try.",
                    "✗ That passcode does not open this folder; {left} more tries.",
                    left,
                ).format(left=left)
                if left
                else _("✗ That passcode does not open this folder.")
            )
    raise UsageError(
        ngettext(
            "The local passcode was wrong {count} time; nothing imported.",
            "The local passcode was wrong {count} times; nothing imported.",
            PASSCODE_TRIES,
        ).format(count=PASSCODE_TRIES)
    )


def _choose(folder: TdataFolder, number: str | None, prompts: Prompts) -> TdataAccount:
    from tgtui.telegram import tdata

    count = len(folder.accounts)
    if number is None and count == 1:
        return folder.accounts[0]
    if number is None:
        prompts.say(
            ngettext(
                "{path} holds {count} account:", "{path} holds {count} accounts:", count
            ).format(path=folder.path, count=count)
        )
        for acc in folder.accounts:
            prompts.say(f"  {acc.describe()}")
        try:
            number = prompts.ask(_("Which one (1-{count})? ").format(count=count))
        except EOFError:
            raise UsageError(
                ngettext(
                    "{path} holds {count} account; choose one with --account N (1-{count}).",
                    "{path} holds {count} accounts; choose one with --account N (1-{count}).",
                    count,
                ).format(path=folder.path, count=count)
            ) from None
    text = number.strip()
    if not text.isdigit():
        raise UsageError(
            _("--account takes a number from 1 to {count}, not {text!r}.").format(
                count=count, text=text
            )
        )
    try:
        return folder.account(int(text))
    except tdata.TdataError as exc:
        raise UsageError(str(exc)) from None
