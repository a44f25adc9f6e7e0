"""The wizard's keys and the troubleshooter's fixes: which key does what at which step,
and every way of leaving (Esc, an imported session, the app closing).

`WizardKeys` is the base of `AddAccountScreen` (wizard.py): it binds the keys, hides
the ones that do nothing at the current step, and turns the troubleshooter's offered
fix (F5) into a flow call or a jump to the field to change."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Button, Input

from tgtui.i18n import _
from tgtui.telegram import Step
from tgtui.ui import keys
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.screens.wizard_credentials import CredentialsPane
from tgtui.ui.screens.wizard_parts import FOCUS
from tgtui.ui.screens.wizard_steps import PhonePane
from tgtui.ui.widgets.troubleshooter import Troubleshooter

if TYPE_CHECKING:
    from tgtui.accounts.model import Account
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.flow_protocol import LoginSteps

#: Failure names the person fixes by typing again (the "retry" fix focuses the input).
RETYPE = {"PHONE_CODE_INVALID", "PHONE_CODE_EMPTY", "PASSWORD_HASH_INVALID"}
#: Step -> the input a "type it again" fix empties and focuses.
RETYPE_FIELD = {
    Step.CREDENTIALS: "#api-id",
    Step.PHONE: "#phone",
    Step.CODE: "#code",
    Step.PASSWORD: "#password",
}


class WizardKeys(TgtuiScreen["Account | None"]):
    """Key bindings and troubleshooter actions of the add-account wizard."""

    KEYS = keys.WIZARD
    BINDINGS = keys.bindings(KEYS)

    tg: Telegram
    relogin: Account | None
    flow: LoginSteps | None
    busy: bool
    account: Account | None
    _help_auto: bool
    _cancelling: bool
    _focus_override: str | None
    _last_call: tuple[str, Callable[[], Awaitable[Any]]] | None

    # Provided by AddAccountScreen.
    @property
    def step(self) -> Step:  # pragma: no cover - overridden
        """The flow's step."""
        raise NotImplementedError

    @property
    def help(self) -> Troubleshooter:  # pragma: no cover - overridden
        """The embedded troubleshooter."""
        raise NotImplementedError

    def _run(
        self, stage: str, call: Callable[[], Awaitable[Any]], retry: bool = True
    ) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _wait_qr(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _focus(self, selector: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _finish(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _status(self, text: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ which keys show
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something at this step."""
        step = self.step
        if action == "use_qr":
            return step in (Step.PHONE, Step.CODE)
        if action == "resend":
            return step is Step.CODE
        if action == "fix":
            return self.help.offer is not None
        if action == "back":
            return step in (Step.PHONE, Step.CODE, Step.QR) and self.relogin is None
        if action == "simulate_scan":
            return step is Step.QR and self.tg.demo is not None
        if action in ("cancel", "close"):
            done = step is Step.DONE and self.account is not None
            return done if action == "close" else not done
        return True

    # ------------------------------------------------------------------ actions
    def action_close(self) -> None:
        """Escape on the done step: back to the list, keeping the account."""
        self._finish()

    def action_search_help(self) -> None:
        """F1: search the troubleshooter."""
        self.add_class("-help")
        self.remove_class("-nohelp")
        self.help.open_search()

    def action_toggle_help(self) -> None:
        """F2: show or hide the troubleshooter."""
        self._help_auto = False
        if self.has_class("-narrow"):
            self.toggle_class("-help")
        else:
            self.toggle_class("-nohelp")

    @on(Troubleshooter.SearchClosed)
    def _on_search_closed(self) -> None:
        target = FOCUS.get(self.step)
        if target:
            self._focus(target)

    def action_fix(self) -> None:
        """F5: the fix the troubleshooter offers."""
        self.help.run_offer()
        self.refresh_bindings()

    def action_use_qr(self) -> None:
        """F3: log in with a QR code instead of a code."""
        flow = self.flow
        if self.busy or flow is None or self.step not in (Step.PHONE, Step.CODE):
            return

        async def start() -> None:
            if flow.step is Step.CODE:
                await flow.back()
            await flow.start_qr()

        self._run("qr", start)

    def action_resend(self) -> None:
        """F4: send the code again, the other way."""
        if self.busy or self.flow is None or self.step is not Step.CODE:
            return
        self._run("code", self.flow.resend_code)

    def action_back(self) -> None:
        """F6: one step back."""
        if self.busy or self.flow is None or self.relogin is not None:
            return
        if self.step in (Step.PHONE, Step.CODE, Step.QR):
            self.workers.cancel_group(self, "qr")
            self._run(self.step.value, self.flow.back, retry=False)

    def action_simulate_scan(self) -> None:
        """Demo only: pretend a phone scanned the QR code."""
        demo = self.tg.demo
        flow = self.flow
        if demo is None or flow is None or self.step is not Step.QR or flow.qr is None:
            return
        phones = demo.phones()
        typed = self.query_one(PhonePane).number(show=False)
        number = typed or flow.phone or (phones[0] if phones else None)
        if not number:
            return
        try:
            demo.scan_qr(flow.qr.url, number)
        except (KeyError, ValueError) as exc:
            self.notify(
                _("Demo scan failed: {error}").format(error=exc), severity="warning", markup=False
            )

    def _back_to(self, target: Step) -> None:
        """Step the flow back until it is at `target` (credentials or phone)."""
        flow = self.flow
        if flow is None or self.busy:
            return

        async def back() -> None:
            for _attempt in range(3):
                if flow.step is target or flow.step in (Step.CREDENTIALS, Step.DONE):
                    break
                await flow.back()

        self._run(target.value, back, retry=False)

    # ------------------------------------------------------------------ troubleshooter fixes
    @on(Troubleshooter.ActionRequested)
    def _on_help_action(self, event: Troubleshooter.ActionRequested) -> None:
        event.stop()
        action = event.action
        name = event.failure.name if event.failure is not None else ""
        if action in ("retry", "wait_retry"):
            if name in RETYPE:
                target = RETYPE_FIELD.get(self.step)
                if target:
                    self.query_one(target, Input).value = ""
                    self._focus(target)
            elif self._last_call is not None:
                stage, call = self._last_call
                self._run(stage, call)
            elif self.step is Step.QR:
                self._wait_qr()
        elif action == "resend_code":
            if self.step is Step.CODE:
                self.action_resend()
            else:
                self.query_one("#send-code", Button).press()
        elif action == "switch_to_qr":
            self.action_use_qr()
        elif action == "edit_credentials":
            self._back_to(Step.CREDENTIALS)
        elif action in ("edit_phone", "relogin", "delete_session_relogin"):
            self._back_to(Step.PHONE)
        elif action == "set_proxy":
            self._open_advanced()
        else:
            self.notify(
                _("Do this from the account list (it is not part of adding an account)."),
                severity="information",
            )
        self.refresh_bindings()

    def _open_advanced(self) -> None:
        """F5 "set a proxy": back to the credentials step with the proxy field open."""
        from tgtui.ui.screens.wizard_advanced import AdvancedPart

        advanced = self.query_one(AdvancedPart)
        if self.relogin is not None:
            self.notify(
                _("This account's proxy is set from the account list (e); then log in again."),
                severity="information",
            )
            return
        advanced.collapsed = False
        if self.step is Step.CREDENTIALS:
            advanced.open_at("#proxy")
        else:
            self._focus_override = "#proxy"
            self._back_to(Step.CREDENTIALS)

    def on_credentials_pane_import_requested(self, event: CredentialsPane.ImportRequested) -> None:
        """Import a session made elsewhere instead of logging in (a screen of its own)."""
        event.stop()
        from tgtui.ui.screens.import_session import ImportScreen

        if not self.busy:
            self.app.push_screen(ImportScreen(self.tg), self._imported)

    def _imported(self, account: Account | None) -> None:
        if account is not None:
            self._leave_imported(account)

    @work(group="cancel", exit_on_error=False)
    async def _leave_imported(self, account: Account) -> None:
        self._cancelling = True
        await self._abandon()  # credentials typed earlier: that pending login goes
        self.account = account
        self.dismiss(account)

    # ------------------------------------------------------------------ leaving
    def action_cancel(self) -> None:
        """Escape: leave. Nothing half-saved stays behind."""
        if self.step is Step.DONE and self.account is not None:
            self.dismiss(self.account)
            return
        if self._cancelling:
            return
        self._cancelling = True
        self._status(_("Cancelling…"))
        self._cancel()

    @work(group="cancel", exit_on_error=False)
    async def _cancel(self) -> None:
        await self._abandon()
        self.dismiss(None)

    async def abandon_login(self) -> None:
        """End the login under way, if any (the app is about to close)."""
        self._cancelling = True
        await self._abandon()

    async def _abandon(self) -> None:
        """Stop every flow call and cancel the flow (pending session removed)."""
        for group in ("flow", "qr"):
            self.workers.cancel_group(self, group)
        await asyncio.sleep(0)
        flow, self.flow = self.flow, None
        if flow is not None:
            with contextlib.suppress(Exception):
                await flow.cancel()

    async def on_unmount(self) -> None:
        """The app is closing with a login under way (quit, Ctrl+C, a signal): clean up."""
        self._cancelling = True
        await self._abandon()
