"""The panes of the add-account wizard after the credentials: phone, code, QR, password,
done. Each pane fills itself from the login flow (`show_flow`) and posts a typed message
when the person submits it; `AddAccountScreen` (wizard.py) handles those messages
(`on_phone_pane_submitted` and so on) and drives the flow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from tgtui.accounts import validate
from tgtui.i18n import N_, _
from tgtui.troubleshoot.model import format_wait
from tgtui.ui.screens.wizard_parts import (
    FieldMessage,
    NumberedSteps,
    StepPane,
    WordsButton,
    WordsLabel,
    demo_lines,
    placeholder,
)
from tgtui.ui.screens.wizard_texts import QR_DEMO, QR_STEPS, resend_text, timestamp
from tgtui.ui.widgets.caption import Caption
from tgtui.ui.widgets.qr import QrCode

if TYPE_CHECKING:
    from tgtui.accounts.model import Account
    from tgtui.telegram.demo import DemoHints
    from tgtui.telegram.flow_protocol import LoginSteps


class PhonePane(StepPane):
    """The phone number, and the choice of a login code or a QR code."""

    class Submitted(Message):
        """A phone number that passed the local check (E.164)."""

        def __init__(self, phone: str) -> None:
            super().__init__()
            self.phone = phone

    class QrRequested(Message):
        """The person prefers a QR code to a login code."""

    def __init__(self, relogin: Account | None, demo: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.relogin = relogin
        self.demo = demo
        #: False on Telegram's test servers or a custom server: any number may exist there.
        self.strict = relogin is None or relogin.server is None

    def _intro(self) -> str:
        if self.relogin is not None:
            return _(
                "Log in to '{name}' again; its name and api credentials are "
                "kept. The old session stays in place until the new login succeeds."
            ).format(name=self.relogin.name)
        return _("Which Telegram account do you want to add?")

    def compose(self) -> ComposeResult:
        yield Static(Text(self._intro()), id="phone-intro", markup=False)
        line = demo_lines(self.demo)[1]
        demo = Static(Text(line), id="phone-demo", markup=False, classes="demo")
        demo.display = bool(line)
        yield demo
        yield WordsLabel(N_("Phone number, with its country code"), classes="field-label")
        yield Input(compact=True, placeholder="+44 7700 900123", id="phone")
        yield FieldMessage(N_("Start with + and the country code."), id="phone-msg")
        with Horizontal(classes="buttons"):
            yield WordsButton(
                N_("Send me a code  ⏎"), id="send-code", variant="primary", compact=True
            )
            yield WordsButton(N_("Use a QR code instead  F3"), id="use-qr", compact=True)
        yield Caption(
            N_(
                "With a QR code you scan from a phone that is already logged in to this "
                "account; no code is sent and no phone number is needed."
            ),
            classes="note",
        )

    def retranslate(self) -> None:
        """After a language switch: the intro, the demo line, the check of the number."""
        self.query_one("#phone-intro", Static).update(Text(self._intro()))
        self.query_one("#phone-demo", Static).update(Text(demo_lines(self.demo)[1]))
        field = self.query_one("#phone", Input)
        if field.value:
            field.post_message(Input.Changed(field, field.value))

    def number(self, show: bool = True) -> str | None:
        """The typed number in E.164, or None (said under the field when `show`)."""
        field = self.query_one("#phone", Input)
        try:
            return validate.phone(field.value, strict=self.strict)
        except validate.InvalidInput as exc:
            if show:
                self.query_one("#phone-msg", FieldMessage).show(str(exc), "error")
                field.focus()
            return None

    @on(Input.Changed, "#phone")
    def _check(self, event: Input.Changed) -> None:
        msg = self.query_one("#phone-msg", FieldMessage)
        if not event.value.strip():
            msg.reset()
            return
        try:
            number = validate.phone(event.value, strict=self.strict)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
        else:
            msg.show(f"✓ {number}", "ok")

    @on(Input.Submitted, "#phone")
    @on(Button.Pressed, "#send-code")
    def _submit(self, event: Message) -> None:
        event.stop()
        number = self.number()
        if number is not None:
            self.post_message(self.Submitted(number))

    @on(Button.Pressed, "#use-qr")
    def _use_qr(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.QrRequested())


class CodePane(StepPane):
    """Where the code went, its countdown, the code input (digits only) and re-send."""

    class Submitted(Message):
        """The login code as typed (digits)."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, demo: DemoHints | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.demo = demo
        #: The flow's code that Telegram no longer accepts (its demo hint is not shown).
        self._void_code: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="code-where", markup=False)
        yield Static(id="code-timer", markup=False, classes="timer")
        yield WordsLabel(N_("Login code"), classes="field-label")
        yield Input(compact=True, placeholder=placeholder("code"), password=True, id="code")
        yield FieldMessage(
            N_("Type it here, never in a chat: a shared code is void."), id="code-msg"
        )
        yield Static(id="code-demo", markup=False, classes="demo")
        yield WordsButton(N_("Log in  ⏎"), id="code-next", variant="primary", compact=True)

    def retranslate(self) -> None:
        """After a language switch: the placeholder (the screen fills the rest again)."""
        self.query_one("#code", Input).placeholder = placeholder("code")

    def show_flow(self, flow: LoginSteps, phone: str | None) -> None:
        """Where the code went, and (demo only) the code the simulator sent."""
        code = flow.code
        if code is None:
            return
        where = code.where or _("in a way tgtui does not know")
        # TRANSLATORS: {where} says how the code came ("in the Telegram app on your other
        # devices", "by SMS to +1…"): it comes from the login flow, in the interface language.
        said = _("Telegram sent the code {where}.").format(where=where)
        self.query_one("#code-where", Static).update(Text(said))
        demo = ""
        if self.demo is not None and code is not self._void_code and phone:
            last = self.demo.last_code(phone)
            if last:
                demo = _("Demo: the code is {code}").format(code=last)
        self._show_demo(demo)

    def tick(self, flow: LoginSteps, now: float) -> None:
        """Refresh the re-send countdown."""
        self.query_one("#code-timer", Static).update(Text(resend_text(flow.code, now)))

    def void_code(self, flow: LoginSteps) -> None:
        """The code was refused for good: hide its demo hint until a new code is sent."""
        self._void_code = flow.code
        self._show_demo("")

    def _show_demo(self, text: str) -> None:
        widget = self.query_one("#code-demo", Static)
        widget.update(Text(text))
        widget.display = bool(text)

    @on(Input.Changed, "#code")
    def _digits_only(self, event: Input.Changed) -> None:
        """Letters never reach the (masked) field: they are dropped, and that is said."""
        digits = "".join(c for c in event.value if c.isdigit())
        if digits != event.value:
            dropped = "".join(c for c in event.value if not c.isdigit() and not c.isspace())
            event.input.value = digits
            if dropped:
                self.query_one("#code-msg", FieldMessage).show(
                    _("The code is digits only; dropped what was not a digit."), "warning"
                )

    @on(Input.Submitted, "#code")
    @on(Button.Pressed, "#code-next")
    def _submit(self, event: Message) -> None:
        event.stop()
        field = self.query_one("#code", Input)
        code = "".join(field.value.split())
        if not code:
            self.query_one("#code-msg", FieldMessage).show(
                _("Type the code Telegram sent (digits only)."), "error"
            )
            field.focus()
            return
        field.value = ""
        self.post_message(self.Submitted(code))


class QrPane(StepPane):
    """The login QR code and how to scan it; a plain request when the terminal is too small."""

    def __init__(self, demo: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Static(id="qr-too-small", markup=False, classes="warning-line")
        with Horizontal(id="qr-row"):
            yield QrCode(id="qr")
            with Vertical(id="qr-side"):
                yield WordsLabel(N_("Scan with the Telegram app"), classes="field-label")
                yield NumberedSteps(QR_STEPS, id="qr-steps")
                yield Static(id="qr-timer", markup=False, classes="timer")
                yield FieldMessage("", id="qr-msg")
                if self.demo:
                    yield Caption(QR_DEMO, id="qr-demo", classes="demo")
                else:
                    yield Static(id="qr-demo", markup=False, classes="demo")

    def on_mount(self) -> None:
        self.query_one("#qr-too-small", Static).display = False

    def show_flow(self, flow: LoginSteps) -> None:
        """The current login token as a QR code."""
        if flow.qr is not None:
            self.query_one("#qr", QrCode).url = flow.qr.url

    def tick(self, flow: LoginSteps, now: float) -> None:
        """Refresh the time left before the token is replaced."""
        expires = timestamp(getattr(flow.qr, "expires_at", None))
        if expires is not None:
            left = max(0.0, expires - now)
            text = _("This code is replaced by a new one in {wait}.").format(wait=format_wait(left))
            self.query_one("#qr-timer", Static).update(Text(text))

    def fit(self, room: tuple[int, int], terminal: tuple[int, int]) -> None:
        """Show the code only when all of it fits in `room` (columns, rows) of the screen.

        A clipped code does not scan; instead say how large the terminal must be.
        """
        cols, rows = self.query_one("#qr", QrCode).size_needed
        if not cols:
            return
        need_w, need_h = cols + 1, rows
        fits = need_w <= room[0] and need_h <= room[1]
        self.query_one("#qr-row").display = fits
        warning = self.query_one("#qr-too-small", Static)
        warning.display = not fits
        if not fits:
            width = terminal[0] + max(0, need_w - room[0])
            height = terminal[1] + max(0, need_h - room[1])
            warning.update(
                Text(
                    _(
                        "The QR code does not fit: make the terminal at least "
                        "{width}x{height}, or use a login code (F6 goes back to the phone "
                        "number)."
                    ).format(width=width, height=height)
                )
            )


class PasswordPane(StepPane):
    """The two-step verification password (never stored)."""

    class Submitted(Message):
        """The typed password; the field is already cleared."""

        def __init__(self, password: str) -> None:
            super().__init__()
            self.password = password

        def __repr__(self) -> str:
            return "PasswordPane.Submitted(password=<hidden>)"

    def compose(self) -> ComposeResult:
        yield Caption(
            N_(
                "This account has two-step verification. Type its cloud password "
                "(Settings › Privacy and Security › Two-Step Verification). "
                "tgtui does not store it."
            ),
            classes="intro",
        )
        yield Static(id="password-hint", markup=False, classes="note")
        yield WordsLabel(N_("Password"), classes="field-label")
        yield Input(compact=True, password=True, id="password")
        yield FieldMessage("", id="password-msg")
        yield WordsButton(N_("Log in  ⏎"), id="password-next", variant="primary", compact=True)

    def show_flow(self, flow: LoginSteps) -> None:
        """The account's password hint."""
        hint = flow.password_hint or ""
        if hint:
            text = _("Your password hint: {hint}").format(hint=hint)
        else:
            text = _("This password has no hint.")
        self.query_one("#password-hint", Static).update(Text(text))

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#password-next")
    def _submit(self, event: Message) -> None:
        event.stop()
        field = self.query_one("#password", Input)
        password = field.value
        field.value = ""  # never kept on screen, not even while Telegram checks it
        if not password:
            self.query_one("#password-msg", FieldMessage).show(
                _("Type the password (it cannot be empty)."), "error"
            )
            field.focus()
            return
        self.post_message(self.Submitted(password))


class DonePane(StepPane):
    """The account is saved."""

    class Finished(Message):
        """Back to the list with the new account."""

    def compose(self) -> ComposeResult:
        yield Static(id="done-text", markup=False)
        yield WordsButton(N_("Finish  ⏎"), id="finish", variant="success", compact=True)

    def show_account(self, account: Account, warnings: list[str], others: list[str]) -> None:
        """Who is logged in, where the session file is, and anything to watch out for
        (`others`: accounts of the same Telegram user)."""
        if others:
            warnings = warnings + [
                _(
                    "This Telegram user is also the account {names}: two "
                    "sessions of one user work side by side, but a log-out or a revoked "
                    "session in one does not show in the other."
                ).format(names=", ".join(others))
            ]
        who = account.user.display if account.user is not None else account.phone
        lines = [
            "✓ " + _("Logged in as {who}.").format(who=who),
            _("Saved as account '{name}'.").format(name=account.name),
        ]
        if account.folder is not None:
            lines.append(
                _("Session file for your scripts: {path}").format(path=account.session_path)
            )
        lines += [f"⚠ {w}" for w in warnings]
        lines.append(_("Press Enter to go back to the list."))
        self.query_one("#done-text", Static).update(Text("\n".join(lines)))

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Finished())
