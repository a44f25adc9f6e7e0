"""Import an existing session: a Telethon or Pyrogram session file, a Telegram Desktop
tdata folder, or a pasted session string. Opened from the add-account wizard.

`ImportScreen(tg)` dismisses with the new `Account`, or None when cancelled. By default
the imported session only approves a new login of tgtui's own (`--fresh` in the CLI), so
the original app keeps working and no auth key is shared. The source is only read; the
string, the passcode and the 2FA password are typed into masked inputs and never shown.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Input

from tgtui.accounts import Account, InvalidInput, validate
from tgtui.i18n import N_, _
from tgtui.ui import keys
from tgtui.ui.errors import failure_of
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.screens.wizard_steps import FieldMessage
from tgtui.ui.widgets.caption import Caption, CaptionLabel

FRESH_TEXT = N_(
    "Recommended: the imported session only approves a new one and is not kept, so the "
    "original app keeps working. Two programs on one auth key get both logged out by "
    "Telegram (AUTH_KEY_DUPLICATED)."
)
SHARED_TEXT = N_(
    "This account shares its auth key with the original: stop every other program that "
    "uses it, or Telegram may log both out (AUTH_KEY_DUPLICATED)."
)

FRESH_BOX = N_("Log in a new session of tgtui's own")
ASKED_WHEN_NEEDED = N_("asked when needed")
IMPORT_BUTTON = N_("Import  ⏎")
CANCEL_BUTTON = N_("Cancel  Esc")


class ImportScreen(TgtuiScreen[Account | None]):
    """The import form; Enter in any field imports, Escape cancels."""

    DEFAULT_CSS = """
    ImportScreen { layout: vertical; }
    #import-title { height: 1; padding: 0 1; background: $primary; color: $text;
                    text-style: bold; }
    #import-main { height: 1fr; padding: 0 1; }
    #import-main Label, #import-main CaptionLabel { margin-top: 1; }
    #import-main Checkbox { margin-top: 1; }
    #import-main .intro { color: $text-muted; }
    #import-twofa-row { height: auto; display: none; }
    #import-twofa-row.-shown { display: block; }
    #import-buttons { height: auto; margin-top: 1; }
    #import-buttons Button { margin-right: 2; }
    #import-status { height: auto; margin-top: 1; }
    """

    KEYS = keys.IMPORT
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, tg: Any) -> None:
        super().__init__()
        self.tg = tg
        self.flow: Any | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Caption(N_("Import an existing session"), id="import-title")
        with VerticalScroll(id="import-main"):
            yield Caption(
                N_(
                    "From a Telethon or Pyrogram .session file, a Telegram Desktop tdata "
                    "folder, or a session string. The source is only read, never changed."
                ),
                classes="intro",
            )
            yield CaptionLabel(N_("Session file or tdata folder (path)"))
            yield Input(
                compact=True, placeholder="~/.local/share/TelegramDesktop/tdata", id="source"
            )
            yield CaptionLabel(N_("…or paste a session string (hidden)"))
            yield Input(compact=True, password=True, id="string")
            yield FieldMessage("", id="source-msg")
            yield CaptionLabel(N_("Telegram Desktop local passcode (only if it has one; hidden)"))
            yield Input(compact=True, password=True, id="passcode")
            yield FieldMessage("", id="passcode-msg")
            yield CaptionLabel(N_("Account of the tdata folder (1, 2, … when it holds several)"))
            yield Input(compact=True, placeholder=_(ASKED_WHEN_NEEDED), id="account")
            yield FieldMessage("", id="account-msg")
            yield Checkbox(_(FRESH_BOX), value=True, id="fresh", compact=True)
            yield Caption(FRESH_TEXT, classes="intro")
            yield CaptionLabel(N_("api_id (from my.telegram.org)"))
            yield Input(compact=True, id="api-id")
            yield FieldMessage("", id="api-id-msg")
            yield CaptionLabel(N_("api_hash (hidden)"))
            yield Input(compact=True, password=True, id="api-hash")
            yield FieldMessage("", id="api-hash-msg")
            yield CaptionLabel(N_("Account name (a-z, 0-9, _ and -)"))
            yield Input(compact=True, id="name")
            yield FieldMessage("", id="name-msg")
            yield CaptionLabel(N_("Label (optional)"))
            yield Input(compact=True, id="label")
            with VerticalScroll(id="import-twofa-row"):
                yield CaptionLabel(N_("Two-step verification password (hidden)"))
                yield Input(compact=True, password=True, id="twofa")
                yield FieldMessage("", id="twofa-msg")
            yield FieldMessage("", id="import-status")
            with Horizontal(id="import-buttons"):
                yield Button(_(IMPORT_BUTTON), id="import", variant="primary", compact=True)
                yield Button(_(CANCEL_BUTTON), id="cancel", compact=True)
        yield Footer()

    def retranslate(self) -> None:
        """Labels, buttons and the checkbox in the interface language; what was typed stays."""
        super().retranslate()
        self.query_one("#account", Input).placeholder = _(ASKED_WHEN_NEEDED)
        self.query_one("#fresh", Checkbox).label = _(FRESH_BOX)
        self.query_one("#import", Button).label = _(IMPORT_BUTTON)
        self.query_one("#cancel", Button).label = _(CANCEL_BUTTON)
        checked = [self._msg(f"{ident}-msg") for ident in ("api-id", "api-hash", "name")]
        if any(msg.has_class("-error") for msg in checked):  # say the field checks again
            for msg in checked:
                msg.reset()
            self._fields()

    # ------------------------------------------------------------------ helpers
    def _value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def _msg(self, ident: str) -> FieldMessage:
        return self.query_one(f"#{ident}", FieldMessage)

    def _error(self, ident: str, text: str, focus: str | None = None) -> None:
        self._msg(ident).show(text, "error")
        if focus:
            self.query_one(f"#{focus}", Input).focus()

    def _clear(self) -> None:
        for msg in self.query(FieldMessage):
            msg.reset()

    # ------------------------------------------------------------------ input
    @on(Input.Submitted)
    def _on_submit(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "twofa":
            self._submit_password()
        else:
            self._submit()

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import":
            self._submit()
        elif event.button.id == "cancel":
            self.action_cancel()

    def _fields(self) -> tuple[int, str, str, str, int | None] | None:
        """api_id, api_hash, name, label and the account number; errors at the fields."""
        ok = True
        try:
            api_id = int(validate.api_id(self._value("api-id")).value)  # type: ignore[call-overload]
        except InvalidInput as exc:
            self._error("api-id-msg", str(exc))
            ok, api_id = False, 0
        try:
            api_hash = validate.api_hash(self._value("api-hash"))
        except InvalidInput as exc:
            self._error("api-hash-msg", str(exc))
            ok, api_hash = False, ""
        try:
            name = validate.account_name(self._value("name"), set(self.tg.store.names()))
        except InvalidInput as exc:
            self._error("name-msg", str(exc))
            ok, name = False, ""
        number_text = self._value("account").strip()
        number = int(number_text) if number_text.isdigit() else None
        if number_text and number is None:
            self._error("account-msg", _("A number: 1, 2, … as the folder lists them."))
            ok = False
        return (api_id, api_hash, name, self._value("label").strip(), number) if ok else None

    def _submit(self) -> None:
        if self.busy or self.flow is not None:
            return
        self._clear()
        fields = self._fields()
        if fields is not None:
            self._import(*fields)

    # ------------------------------------------------------------------ work
    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.query_one("#import", Button).disabled = busy
        self._msg("import-status").show(text)

    @work(group="import", exclusive=True, exit_on_error=False)
    async def _import(
        self, api_id: int, api_hash: str, name: str, label: str, number: int | None
    ) -> None:
        from tgtui.telegram import session_import, tdata
        from tgtui.telegram.importers import SessionImportError

        self._set_busy(True, _("Reading the session…"))
        try:
            data = await asyncio.to_thread(
                session_import.read_source,
                self._value("source"),
                self._value("string"),
                passcode=self._value("passcode"),
                account=number,
            )
        except tdata.PasscodeNeeded:
            self._set_busy(False)
            return self._error(
                "passcode-msg", _("This folder has a local passcode: type it."), "passcode"
            )
        except tdata.WrongPasscode:
            self._set_busy(False)
            self.query_one("#passcode", Input).value = ""
            return self._error(
                "passcode-msg", _("That passcode does not open this folder."), "passcode"
            )
        except session_import.ChooseAccount as exc:
            self._set_busy(False)
            listing = "; ".join(exc.lines)
            return self._error(
                "account-msg",
                _("The folder holds: {listing}. Type the number.").format(listing=listing),
                "account",
            )
        except SessionImportError as exc:
            self._set_busy(False)
            return self._error("source-msg", str(exc), "source")
        fresh = self.query_one("#fresh", Checkbox).value
        try:
            if fresh:
                self._set_busy(True, _("Approving a new login with the imported session…"))
                self.flow = await session_import.start_fresh(
                    self.tg, name, label, data, api_id, api_hash
                )
                if self._needs_password():
                    return
                account = self.flow.account
                self.flow = None
            else:
                self._set_busy(True, _("Saving the account…"))
                account = await asyncio.to_thread(
                    session_import.adopt, self.tg, name, label, data, api_id, api_hash
                )
        except Exception as exc:  # a TelegramFailure or SessionImportError, shown
            self.flow = None
            self._set_busy(False)
            return self._msg("import-status").show(f"✗ {failure_of(exc)}", "error")
        await self._finish(account, shared=not fresh)

    def _needs_password(self) -> bool:
        from tgtui.telegram.flow import Step

        if self.flow is None or self.flow.step is not Step.PASSWORD:
            return False
        self._set_busy(False)
        self.query_one("#import-twofa-row").add_class("-shown")
        if self.flow.password_hint:
            said = _("This account has two-step verification (hint: {hint}).").format(
                hint=self.flow.password_hint
            )
        else:
            said = _("This account has two-step verification.")
        self._msg("twofa-msg").show(said, "warning")
        self.query_one("#twofa", Input).focus()
        return True

    def _submit_password(self) -> None:
        if self.busy or self.flow is None:
            return
        box = self.query_one("#twofa", Input)
        password, box.value = box.value, ""
        self._password(password)

    @work(group="import", exclusive=True, exit_on_error=False)
    async def _password(self, password: str) -> None:
        assert self.flow is not None
        self._set_busy(True, _("Checking the password…"))
        try:
            await self.flow.sign_in_password(password)
        except Exception as exc:
            self._set_busy(False)
            return self._error("twofa-msg", f"✗ {failure_of(exc)}", "twofa")
        account, self.flow = self.flow.account, None
        await self._finish(account, shared=False)

    async def _finish(self, account: Account | None, *, shared: bool) -> None:
        from tgtui.telegram.health import check_and_save

        if account is None:  # pragma: no cover - a DONE flow always has its account
            self._set_busy(False)
            return
        self._set_busy(True, _("Checking the session…"))
        with contextlib.suppress(Exception):
            await check_and_save(self.tg, account)
        if shared:
            self.app.notify(_(SHARED_TEXT), severity="warning", markup=False, timeout=10)
        self.dismiss(self.tg.store.get(account.name))

    def action_cancel(self) -> None:
        """Escape: leave; a half-done fresh login is discarded."""
        self._cancel()

    @work(group="cancel", exit_on_error=False)
    async def _cancel(self) -> None:
        self.workers.cancel_group(self, "import")
        await asyncio.sleep(0)
        flow, self.flow = self.flow, None
        if flow is not None:
            with contextlib.suppress(Exception):
                await flow.cancel()
        self.dismiss(None)
