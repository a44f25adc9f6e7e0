"""Filling the wizard's panes from the login flow: where the code went, the re-send
countdown, the QR code, the password hint, the summary when done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

from tgtui.troubleshoot.model import format_wait
from tgtui.ui.screens.wizard_fields import WizardFields
from tgtui.ui.widgets.qr import QrCode

if TYPE_CHECKING:
    from tgtui.accounts.model import Account

VIA = {
    "app": "in the Telegram app",
    "sms": "by SMS",
    "call": "by a phone call",
    "flash_call": "by a flash call",
    "missed_call": "by a missed call",
    "email": "by email",
    "fragment": "on Fragment",
}


def _timestamp(value: Any) -> float | None:
    """A POSIX timestamp from a datetime or a number (None stays None)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


def resend_text(code: Any, now: float) -> str:
    """When and how the code can be sent again, counting down to Telegram's timeout."""
    if code is None:
        return ""
    next_via = getattr(code, "next_via", None)
    how = VIA.get(next_via, "again") if next_via else "again"
    expires = _timestamp(getattr(code, "expires_at", None))
    if expires is not None and expires > now:
        return f"Not arrived? In {format_wait(expires - now)} F4 can send it {how}."
    if next_via:
        return f"Not arrived? F4 sends it {how}. F3 logs in with a QR code."
    return "Not arrived? F4 asks for a new code. F3 logs in with a QR code."


class WizardView(WizardFields):
    """Shows the flow's state in the panes; `AddAccountScreen` drives the flow."""

    flow: Any
    clock: Callable[[], float]
    step: str
    account: Account | None
    #: The flow's code that Telegram no longer accepts (its demo hint is not shown).
    _void_code: Any = None

    @property
    def demo(self) -> bool:
        """True when talking to the simulated Telegram."""
        return getattr(self.tg, "sim", None) is not None

    # ------------------------------------------------------------------ filling panes
    def _fill_from_flow(self) -> None:
        flow = self.flow
        if self.step == "phone":
            self._fill_phone()
        if flow is None:
            return
        if self.step == "code":
            self._fill_code()
        elif self.step == "qr":
            qr = getattr(flow, "qr", None)
            if qr is not None:
                self.query_one("#qr", QrCode).url = qr.url
            demo = "Demo: press s to simulate the scan from a phone." if self.demo else ""
            self.query_one("#qr-demo", Static).update(Text(demo))
        elif self.step == "password":
            hint = getattr(flow, "password_hint", "") or ""
            text = f"Your password hint: {hint}" if hint else "This password has no hint."
            self.query_one("#password-hint", Static).update(Text(text))
        elif self.step == "done":
            self._fill_done()
        self._tick()

    def _fill_demo_hints(self) -> None:
        """In the demo, say which made-up credentials and numbers the simulator accepts."""
        creds = phone = ""
        if self.demo:
            from tgtui.telegram import demo

            creds = (
                f"Demo: use api_id {demo.DEMO_API_ID} and api_hash {demo.DEMO_API_HASH} "
                "(made up for the simulator; real ones come from my.telegram.org)."
            )
            phone = (
                f"Demo numbers: {demo.DEMO_NEW_PHONE} (no 2FA) or {demo.DEMO_2FA_PHONE} "
                f"(2FA password: {demo.DEMO_PASSWORD})."
            )
        for id_, text in (("#credentials-demo", creds), ("#phone-demo", phone)):
            widget = self.query_one(id_, Static)
            widget.update(Text(text))
            widget.display = bool(text)

    def _fill_phone(self) -> None:
        if self.relogin is not None:
            intro = (
                f"Log in to '{self.relogin.name}' again; its name and api credentials are "
                "kept. The old session stays in place until the new login succeeds."
            )
        else:
            intro = "Which Telegram account do you want to add?"
        self.query_one("#phone-intro", Static).update(Text(intro))

    def _fill_code(self) -> None:
        code = getattr(self.flow, "code", None)
        if code is None:
            return
        where = getattr(code, "where", "") or "in a way tgtui does not know"
        self.query_one("#code-where", Static).update(Text(f"Telegram sent the code {where}."))
        demo = ""
        if self.demo and code is not self._void_code:
            number = self._phone_value(show=False)
            hints = self.tg.demo
            last = hints.last_code(number) if number and hints is not None else None
            if last:
                demo = f"Demo: the code is {last}"
        self._show_code_demo(demo)
        self.refresh_bindings()

    def _void_demo_code(self) -> None:
        """The code was refused for good: hide its demo hint until a new code is sent."""
        self._void_code = getattr(self.flow, "code", None)
        self._show_code_demo("")

    def _show_code_demo(self, text: str) -> None:
        widget = self.query_one("#code-demo", Static)
        widget.update(Text(text))
        widget.display = bool(text)

    def _fill_done(self) -> None:
        account = self.account
        if account is None:
            return
        who = account.user.display if account.user is not None else account.phone
        lines = [f"✓ Logged in as {who}.", f"Saved as account '{account.name}'."]
        if account.folder is not None:
            lines.append(f"Session file for your scripts: {account.session_path}")
        lines += [f"⚠ {w}" for w in (getattr(self.flow, "warnings", None) or [])]
        lines.append("Press Enter to go back to the list.")
        self.query_one("#done-text", Static).update(Text("\n".join(lines)))

    def _tick(self) -> None:
        """Refresh the code and QR countdowns."""
        flow = self.flow
        if flow is None or not self.is_mounted:
            return
        now = self.clock()
        if self.step == "code":
            self.query_one("#code-timer", Static).update(Text(resend_text(flow.code, now)))
        elif self.step == "qr":
            qr = getattr(flow, "qr", None)
            expires = _timestamp(getattr(qr, "expires_at", None))
            if expires is not None:
                left = max(0.0, expires - now)
                text = f"This code is replaced by a new one in {format_wait(left)}."
                self.query_one("#qr-timer", Static).update(Text(text))
