"""The guided add-account wizard: credentials → phone → code or QR → password → done.

`AddAccountScreen(tg, relogin=None)` dismisses with the new `Account`, or None when
cancelled. The login is `LoginFlow` (UI-free); the screen's step is always the flow's.
Each step is a pane (wizard_credentials.py, wizard_steps.py) that checks what is typed
and posts a typed message (`CredentialsPane.Submitted`, ...); the screen runs the flow
call in an async worker on Textual's loop (Telethon clients are bound to it) and shows
failures through the embedded troubleshooter, whose fix runs on F5 (wizard_keys.py).

Secrets: the api_hash, the code and the password are typed into masked inputs, never
echoed or logged; the password input is cleared as soon as it has been read. Leaving the
screen by any path (Esc, quitting the app, a signal) cancels the flow, which removes its
pending session and logs out a half-made authorization.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ContentSwitcher, Footer, Input, Static

from tgtui.failure import Failure
from tgtui.i18n import N_, _
from tgtui.telegram import Step
from tgtui.ui.screens.wizard_credentials import CredentialsPane
from tgtui.ui.screens.wizard_keys import WizardKeys
from tgtui.ui.screens.wizard_parts import (
    FAILURE_LINE,
    FOCUS,
    NARROW,
    PANES,
    STAGES,
    STEP_INDEX,
    STEP_TITLES,
    FieldMessage,
    busy_text,
    failure_of,
)
from tgtui.ui.screens.wizard_steps import CodePane, DonePane, PasswordPane, PhonePane, QrPane
from tgtui.ui.widgets.caption import Caption
from tgtui.ui.widgets.steps import StepIndicator
from tgtui.ui.widgets.troubleshooter import CODE_GONE, Troubleshooter

if TYPE_CHECKING:
    from tgtui.accounts.model import Account
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.flow_protocol import LoginSteps
    from tgtui.ui.screens.wizard_credentials import Credentials


class AddAccountScreen(WizardKeys):
    """Add an account (or log an existing one in again) step by step."""

    CSS_PATH = "../wizard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    AUTO_FOCUS = None

    def __init__(self, tg: Telegram, relogin: Account | None = None) -> None:
        super().__init__()
        self.tg = tg
        self.relogin = relogin
        self.clock: Callable[[], float] = tg.clock
        self.flow: LoginSteps | None = None
        self.busy = False
        self.account: Account | None = None
        self._busy_since: float | None = None
        self._busy_stage = ""
        self._last_call: tuple[str, Callable[[], Awaitable[Any]]] | None = None
        self._saw_password = False
        self._cancelling = False
        self._help_auto = False
        self._flow_key: tuple[Any, ...] | None = None
        self._focus_override: str | None = None
        self._shown: Step | None = None
        self._filled: tuple[int, ...] | None = None
        self._filled_parts: tuple[Any, ...] = ()

    # ------------------------------------------------------------------ state
    @property
    def step(self) -> Step:
        """Where the login is: the flow's step (credentials before there is a flow)."""
        return Step.CREDENTIALS if self.flow is None else self.flow.step

    @property
    def mid_login(self) -> bool:
        """True while leaving would abandon a login Telegram already knows about."""
        return self.busy or self.step in (Step.CODE, Step.QR, Step.PASSWORD)

    @property
    def help(self) -> Troubleshooter:
        """The embedded troubleshooter."""
        return self.query_one("#wizard-help", Troubleshooter)

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        demo = self.tg.demo
        title = N_("Log in again") if self.relogin else N_("Add a Telegram account")
        yield Caption(title, id="wizard-title")
        yield StepIndicator([_(title) for title in STEP_TITLES], id="wizard-steps")
        with Horizontal(id="wizard-body"):
            with VerticalScroll(id="wizard-main"):
                with ContentSwitcher(initial="credentials", id="wizard-panes"):
                    yield CredentialsPane(self.tg, self.relogin, demo is not None, id="credentials")
                    yield PhonePane(self.relogin, demo is not None, id="phone-pane")
                    yield CodePane(demo, id="code-pane")
                    yield QrPane(demo is not None, id="qr-pane")
                    yield PasswordPane(id="password-pane")
                    yield DonePane(id="done-pane")
                yield Static(id="wizard-error", markup=False)
                yield Static(id="wizard-status", markup=False)
            yield Troubleshooter(
                "credentials", clock=self.clock, id="wizard-help", offer_key="F5", show_error=False
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#wizard-error", Static).display = False
        self._fit(self.size.width)
        self.set_interval(0.5, self._tick)
        if self.relogin is not None:
            self._start_relogin()
        else:
            self._show_flow()

    def retranslate(self) -> None:
        """After a language switch: every word of the wizard again, in the new language;
        what was typed, the step and the login under way stay as they are."""
        super().retranslate()  # captions, hints, buttons, panes, the troubleshooter, keys
        steps = self.query_one(StepIndicator)
        steps.steps = tuple(_(title) for title in STEP_TITLES)
        steps.refresh()
        self._filled = None  # the step's pane says its lines again
        self._show_flow()
        self._tick()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """At 80 columns every key of a step fits only in the compact footer."""
        self.query_one(Footer).compact = width < NARROW
        self.call_after_refresh(self._fit_qr)

    def _fit_qr(self) -> None:
        if self.step is Step.QR and self.is_mounted:
            main = self.query_one("#wizard-main").content_region
            self.query_one(QrPane).fit(
                (main.width - 1, main.height), (self.size.width, self.size.height)
            )

    # ------------------------------------------------------------------ showing the flow
    def _show_flow(self) -> None:
        """Show the pane of the flow's step, and fill it once per state of the flow."""
        if self._cancelling:
            return
        step = self.step
        if step is Step.CANCELLED:
            self.dismiss(None)
            return
        if step is not self._shown:
            self._switch(step)
        flow = self.flow
        if flow is None:
            return
        # By identity: a code sent again may equal the old one but is a new code.
        shown = (step, flow.code, flow.qr, flow.password_hint, flow.account)
        key = tuple(id(part) for part in shown)
        if key != self._filled:
            self._filled, self._filled_parts = key, shown  # the parts keep their ids unique
            self._fill(step, flow)
        self._tick()

    def _switch(self, step: Step) -> None:
        """Bring the pane of `step` forward, with its troubleshooter stage and focus."""
        self._shown = step
        self.query_one(ContentSwitcher).current = PANES[step]
        steps = self.query_one(StepIndicator)
        steps.current = STEP_INDEX[step]
        if step is Step.PASSWORD:
            self._saw_password = True
        if step is Step.DONE and not self._saw_password:
            steps.skipped = frozenset({3})
        self.help.show_stage(STAGES[step])
        self._clear_error()
        if step in (Step.QR, Step.DONE) or self._help_auto:
            self.remove_class("-help")  # at 80x24 the QR code needs the whole height
        if step is Step.DONE:
            self.add_class("-nohelp")  # no list of problems after a login that worked
        self._help_auto = False
        self.refresh_bindings()
        target, self._focus_override = self._focus_override or FOCUS.get(step), None
        if target:
            self.call_after_refresh(self._focus, target)
        else:
            self.call_after_refresh(self.set_focus, None)
        self.call_after_refresh(self._fit_qr)

    def _fill(self, step: Step, flow: LoginSteps) -> None:
        if step is Step.CODE:
            self.query_one(CodePane).show_flow(flow, self.query_one(PhonePane).number(False))
            self.refresh_bindings()
        elif step is Step.QR:
            self.query_one(QrPane).show_flow(flow)
            self.call_after_refresh(self._fit_qr)
        elif step is Step.PASSWORD:
            self.query_one(PasswordPane).show_flow(flow)
        elif step is Step.DONE and flow.account is not None:
            self.account = flow.account
            user = flow.account.user
            others = self.query_one(CredentialsPane).others_holding(
                user.id if user is not None else 0, flow.account.name
            )
            self.query_one(DonePane).show_account(flow.account, list(flow.warnings), others)

    def _tick(self) -> None:
        """Refresh countdowns and the time a running call has taken."""
        flow = self.flow
        if not self.is_mounted or self._cancelling:
            return
        now = self.clock()
        if self.busy and self._busy_since is not None:
            self._status(busy_text(self._busy_stage, now - self._busy_since))
        if flow is None:
            return
        if self.step is Step.CODE:
            self.query_one(CodePane).tick(flow, now)
        elif self.step is Step.QR:
            self.query_one(QrPane).tick(flow, now)

    def _focus(self, selector: str) -> None:
        widgets = self.query(selector)
        if widgets:
            widgets.first().focus()

    def _status(self, text: str) -> None:
        self.query_one("#wizard-status", Static).update(Text(text))

    def _clear_error(self) -> None:
        error = self.query_one("#wizard-error", Static)
        error.update("")
        error.display = False
        self.remove_class("-error")

    def _show_failure(self, failure: Failure, step: Step) -> None:
        """Show a failure as plain text, and the pitfall that explains it."""
        said = failure.text  # in the interface language (the message itself stays English)
        if step is Step.CODE and failure.name in CODE_GONE and self.flow is not None:
            self.query_one(CodePane).void_code(self.flow)
        if step in FAILURE_LINE:
            self.query_one(FAILURE_LINE[step], FieldMessage).show(f"✗ {said}", "error")
        else:
            error = self.query_one("#wizard-error", Static)
            error.update(Text(f"✗ {said}"))
            error.display = True
        self.help.show_failure(failure, STAGES.get(step, "session"))
        self.add_class("-error")
        if not self.has_class("-help"):
            self.add_class("-help")
            self._help_auto = True
        self.refresh_bindings()

    # ------------------------------------------------------------------ what the panes post
    def on_credentials_pane_submitted(self, event: CredentialsPane.Submitted) -> None:
        """Credentials checked: start (or restart) the flow with them."""
        event.stop()
        self._status("")
        if not self.busy:
            creds = event.credentials
            self.query_one(PhonePane).strict = creds.network.server is None
            self._run("credentials", lambda: self._set_credentials(creds))

    def on_phone_pane_submitted(self, event: PhonePane.Submitted) -> None:
        """Ask Telegram to send a code to the number."""
        event.stop()
        if not self.busy and self.flow is not None:
            flow, number = self.flow, event.phone
            self._run("phone", lambda: flow.send_code(number))

    def on_phone_pane_qr_requested(self, event: PhonePane.QrRequested) -> None:
        """Log in with a QR code instead."""
        event.stop()
        self.action_use_qr()

    def on_code_pane_submitted(self, event: CodePane.Submitted) -> None:
        """Sign in with the code."""
        event.stop()
        if not self.busy and self.flow is not None:
            flow, code = self.flow, event.code
            self._run("code", lambda: flow.sign_in_code(code), retry=False)

    def on_password_pane_submitted(self, event: PasswordPane.Submitted) -> None:
        """Finish a 2FA login; the password is dropped as soon as it was sent."""
        event.stop()
        if self.busy or self.flow is None:
            return
        flow, password = self.flow, event.password
        event.password = ""

        async def sign_in() -> None:
            nonlocal password
            try:
                await flow.sign_in_password(password)
            finally:
                password = ""

        self._run("password", sign_in, retry=False)

    def on_done_pane_finished(self, event: DonePane.Finished) -> None:
        """Back to the list with the account."""
        event.stop()
        self._finish()

    def _finish(self) -> None:
        if self.account is not None:
            self.dismiss(self.account)

    async def _set_credentials(self, creds: Credentials) -> None:
        key = (creds.name, creds.label, creds.network)
        if self.flow is not None and self._flow_key != key:
            old, self.flow = self.flow, None
            await old.cancel()
        if self.flow is None:
            from tgtui.telegram import flow as flow_module

            self.flow = flow_module.LoginFlow(
                self.tg, relogin=self.relogin, on_change=self._on_flow_change, **creds.options()
            )
            self._flow_key = key
        await self.flow.set_credentials(creds.api_id, creds.api_hash)

    # ------------------------------------------------------------------ running flow calls
    def _run(self, stage: str, call: Callable[[], Awaitable[Any]], retry: bool = True) -> None:
        """Run one flow call in an async worker; remember it for "retry" when allowed."""
        self._last_call = (stage, call) if retry else None
        self._worker(stage, call)

    @work(group="flow", exclusive=True, exit_on_error=False)
    async def _worker(self, stage: str, call: Callable[[], Awaitable[Any]]) -> None:
        self._set_busy(True, stage)
        try:
            await call()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._set_busy(False, stage)
            if not self._cancelling:
                self._show_flow()
                self._show_failure(failure_of(exc, stage), self.step)
            return
        self._set_busy(False, stage)
        if self._cancelling:
            return
        self._clear_error()
        self._show_flow()
        if self.step is Step.QR:
            self._wait_qr()
        elif stage == "code" and self.step is Step.CODE:
            self._new_code()

    def _new_code(self) -> None:
        """A new code was sent: the failure about the old one is over."""
        self.query_one("#code-msg", FieldMessage).reset()
        self.help.show_stage("code")
        if self._help_auto:
            self.remove_class("-help")
            self._help_auto = False
        self.refresh_bindings()

    def _set_busy(self, busy: bool, stage: str) -> None:
        self.busy = busy
        self._busy_stage = stage
        self._busy_since = self.clock() if busy else None
        self._status(busy_text(stage, 0) if busy else "")

    def _on_flow_change(self, *_: Any) -> None:
        """The flow changed by itself (e.g. a fresh QR token): show it."""
        if self.is_mounted:
            self._show_flow()

    @work(group="qr", exclusive=True, exit_on_error=False)
    async def _wait_qr(self) -> None:
        """Wait for the QR code to be scanned; the flow refreshes expired tokens itself."""
        flow = self.flow
        if flow is None:
            return
        try:
            await flow.wait_qr()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not self._cancelling:
                self._show_failure(failure_of(exc, "qr"), Step.QR)
            return
        if not self._cancelling and self.flow is flow:
            self._show_flow()

    # ------------------------------------------------------------------ relogin
    def _start_relogin(self) -> None:
        """Log an existing account in again: its name and credentials are kept."""
        account = self.relogin
        assert account is not None
        self.query_one("#phone", Input).value = account.phone
        self._show_flow()
        self._status(_("Reading the saved api_hash…"))
        self.query_one(CredentialsPane).relogin_with_saved_hash()

    def on_credentials_pane_secret_missing(self, event: CredentialsPane.SecretMissing) -> None:
        """The saved api_hash cannot be read: say so; the person pastes it."""
        event.stop()
        self._status("")
        failure = Failure(
            "SECRET_MISSING",
            _("The api_hash of this account is missing from the secret store; paste it again."),
            stage="credentials",
        )
        self._show_failure(failure, Step.CREDENTIALS)
        self.call_after_refresh(self._focus, "#api-hash")
