"""The guided add-account wizard: credentials → phone → code or QR → password → done.

`AddAccountScreen(tg, relogin=None)` dismisses with the new `Account`, or None when
cancelled. The login itself is `tgtui.telegram.flow.LoginFlow` (UI-free); this screen
collects input, validates it as it is typed, runs each flow call in an async worker on
Textual's loop (Telethon clients are bound to it) and shows failures through the
embedded troubleshooter, whose offered fix runs on F5.

Secrets: the api_hash, the code and the password are typed into masked inputs, never
echoed or logged; the password input is cleared as soon as it has been read.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Footer, Input, Static

from tgtui.accounts import validate
from tgtui.failure import Failure
from tgtui.ui import keys
from tgtui.ui.screens.wizard_steps import (
    CodePane,
    CredentialsPane,
    DonePane,
    PasswordPane,
    PhonePane,
    QrPane,
)
from tgtui.ui.screens.wizard_view import WizardView
from tgtui.ui.widgets.steps import StepIndicator
from tgtui.ui.widgets.troubleshooter import CODE_GONE, Troubleshooter

if TYPE_CHECKING:
    from tgtui.accounts.model import Account

#: Below this width the troubleshooter sits under the step and the footer is compact.
NARROW = 110
#: Wizard step -> index in the step indicator.
STEP_INDEX = {"credentials": 0, "phone": 1, "code": 2, "qr": 2, "password": 3, "done": 4}
#: Wizard step -> troubleshooter stage.
STEP_STAGE = {
    "credentials": "credentials",
    "phone": "phone",
    "code": "code",
    "qr": "qr",
    "password": "password",
    "done": "session",
}
#: Wizard step -> the input that gets focus.
STEP_FOCUS = {
    "credentials": "#api-id",
    "phone": "#phone",
    "code": "#code",
    "qr": None,
    "password": "#password",
    "done": "#finish",
}
#: Failure names the person fixes by typing again (the "retry" fix focuses the input).
RETYPE = {"PHONE_CODE_INVALID", "PHONE_CODE_EMPTY", "PASSWORD_HASH_INVALID"}


def failure_of(exc: BaseException, stage: str) -> Failure:
    """The Failure a TelegramFailure carries, else one named after the exception type."""
    carried = getattr(exc, "failure", None)
    if isinstance(carried, Failure):
        return carried
    if isinstance(exc, validate.InvalidInput):
        return Failure("INVALID_INPUT", str(exc), stage=stage)
    name = type(exc).__name__
    return Failure(name, f"Unexpected error ({name}).", exc_type=name, stage=stage)


class AddAccountScreen(WizardView):
    """Add an account (or log an existing one in again) step by step."""

    CSS_PATH = "../wizard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    AUTO_FOCUS = None

    KEYS = keys.WIZARD
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, tg: Any, relogin: Account | None = None) -> None:
        super().__init__()
        self.tg = tg
        self.relogin = relogin
        self.clock: Callable[[], float] = getattr(tg, "clock", time.time)
        self.flow: Any | None = None
        self.step = "credentials"
        self.busy = False
        self.account: Account | None = None
        self._init_fields()
        self._last_call: tuple[str, Callable[[], Awaitable[Any]]] | None = None
        self._saw_password = False
        self._cancelling = False
        self._help_auto = False
        self._flow_key: tuple[str, str] | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        title = "Log in again" if self.relogin else "Add a Telegram account"
        yield Static(Text(title), id="wizard-title", markup=False)
        yield StepIndicator(id="wizard-steps")
        with Horizontal(id="wizard-body"):
            with VerticalScroll(id="wizard-main"):
                with ContentSwitcher(initial="credentials", id="wizard-panes"):
                    yield CredentialsPane(id="credentials")
                    yield PhonePane(id="phone-pane")
                    yield CodePane(id="code-pane")
                    yield QrPane(id="qr-pane")
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
        self._fit_footer(self.size.width)
        self.set_interval(0.5, self._tick)
        self._fill_demo_hints()
        self._load_accounts()
        self.query_one("#import-existing", Button).display = self.relogin is None
        if self.relogin is not None:
            self._start_relogin()
        else:
            self._show("credentials")

    def on_resize(self, event: events.Resize) -> None:
        self._fit_footer(event.size.width)

    def _fit_footer(self, width: int) -> None:
        """At 80 columns every key of a step fits only in the compact footer."""
        self.query_one(Footer).compact = width < NARROW

    # ------------------------------------------------------------------ helpers
    @property
    def help(self) -> Troubleshooter:
        """The embedded troubleshooter."""
        return self.query_one("#wizard-help", Troubleshooter)

    def _status(self, text: str) -> None:
        self.query_one("#wizard-status", Static).update(Text(text))

    def _show(self, step: str) -> None:
        """Switch to the pane of `step` and bring everything else along."""
        changed = step != self.step
        self.step = step
        pane = {"credentials": "credentials"}.get(step, f"{step}-pane")
        self.query_one(ContentSwitcher).current = pane
        steps = self.query_one(StepIndicator)
        steps.current = STEP_INDEX[step]
        if step == "password":
            self._saw_password = True
        if step == "done" and not self._saw_password:
            steps.skipped = frozenset({3})
        if changed or step == "credentials":
            self.help.show_stage(STEP_STAGE[step])
            self._clear_error()
            if step in ("qr", "done") or self._help_auto:
                self.remove_class("-help")  # at 80x24 the QR code needs the whole height
            if step == "done":
                self.add_class("-nohelp")  # no list of problems after a login that worked
            self._help_auto = False
        self._fill_from_flow()
        self.refresh_bindings()
        target = STEP_FOCUS.get(step)
        if target:
            self.call_after_refresh(self._focus, target)
        else:
            self.call_after_refresh(self.set_focus, None)

    def _focus(self, selector: str) -> None:
        widgets = self.query(selector)
        if widgets:
            widgets.first().focus()

    def _clear_error(self) -> None:
        error = self.query_one("#wizard-error", Static)
        error.update("")
        error.display = False
        self.remove_class("-error")

    def _show_failure(self, failure: Failure, stage: str) -> None:
        """Show a failure as plain text, and the pitfall that explains it."""
        field = {
            "code": "#code-msg",
            "password": "#password-msg",
            "phone": "#phone-msg",
            "qr": "#qr-msg",
        }
        said = failure.message or str(failure)
        if stage == "code" and failure.name in CODE_GONE:
            self._void_demo_code()
        if stage in field:
            self._msg(field[stage]).show(f"✗ {said}", "error")
        else:
            error = self.query_one("#wizard-error", Static)
            error.update(Text(f"✗ {said}"))
            error.display = True
        self.help.show_failure(failure, stage)
        self.add_class("-error")
        if not self.has_class("-help"):
            self.add_class("-help")
            self._help_auto = True
        self.refresh_bindings()

    # ------------------------------------------------------------------ submitting
    @on(Input.Submitted)
    def _on_submitted(self, event: Input.Submitted) -> None:
        ident = event.input.id or ""
        if ident in ("api-id", "api-hash", "label", "name"):
            self._submit_credentials()
        elif ident == "phone":
            self._submit_phone()
        elif ident == "code":
            self._submit_code()
        elif ident == "password":
            self._submit_password()
        else:
            return
        event.stop()

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        actions = {
            "credentials-next": self._submit_credentials,
            "send-code": self._submit_phone,
            "use-qr": self.action_use_qr,
            "finish": self._finish,
            "import-existing": self._open_import,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def _open_import(self) -> None:
        """Import a session made elsewhere instead of logging in (a screen of its own)."""
        from tgtui.ui.screens.import_session import ImportScreen

        if not self.busy:
            self.app.push_screen(ImportScreen(self.tg), self._imported)

    def _imported(self, account: Account | None) -> None:
        if account is not None:
            self._leave_imported(account)

    @work(group="cancel", exit_on_error=False)
    async def _leave_imported(self, account: Account) -> None:
        flow, self.flow, self.account = self.flow, None, account
        if flow is not None:  # credentials typed earlier: that pending login goes
            with contextlib.suppress(Exception):
                await flow.cancel()
        self.dismiss(account)

    def _submit_credentials(self) -> None:
        if self.busy:
            return
        values = self._credentials()
        if values is None:
            return
        api_id, api_hash, name, label = values
        self._run("credentials", lambda: self._set_credentials(api_id, api_hash, name, label))

    async def _set_credentials(self, api_id: int, api_hash: str, name: str, label: str) -> None:
        key = (name, label)
        if self.flow is not None and self._flow_key != key:
            old, self.flow = self.flow, None
            await old.cancel()
        if self.flow is None:
            from tgtui.telegram.flow import LoginFlow

            self.flow = LoginFlow(
                self.tg,
                name=name,
                label=label,
                relogin=self.relogin,
                on_change=self._on_flow_change,
            )
            self._flow_key = key
        await self.flow.set_credentials(api_id, api_hash)

    def _submit_phone(self) -> None:
        if self.busy or self.flow is None:
            return
        number = self._phone_value()
        if number is None:
            return
        flow = self.flow
        self._run("phone", lambda: flow.send_code(number))

    def _submit_code(self) -> None:
        if self.busy or self.flow is None:
            return
        field = self._input("#code")
        code = "".join(field.value.split())
        if not code:
            self._msg("#code-msg").show("Type the code Telegram sent (digits only).", "error")
            return
        field.value = ""
        flow = self.flow
        self._run("code", lambda: flow.sign_in_code(code), retry=False)

    def _submit_password(self) -> None:
        if self.busy or self.flow is None:
            return
        field = self._input("#password")
        password = field.value
        field.value = ""  # never kept on screen, not even while Telegram checks it
        if not password:
            self._msg("#password-msg").show("Type the password (it cannot be empty).", "error")
            return
        flow = self.flow

        async def sign_in() -> None:
            nonlocal password
            try:
                await flow.sign_in_password(password)
            finally:
                password = ""

        self._run("password", sign_in, retry=False)

    def _finish(self) -> None:
        if self.account is not None:
            self.dismiss(self.account)

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
                failure = failure_of(exc, stage)
                self._sync_step(wait_qr=False)
                self._show_failure(failure, self.step)
            return
        self._set_busy(False, stage)
        if not self._cancelling:
            self._clear_error()
            self._sync_step()
            if stage == "code" and self.step == "code":
                self._new_code()

    def _new_code(self) -> None:
        """A new code was sent: the failure about the old one is over."""
        self._msg("#code-msg").reset()
        self.help.show_stage("code")
        if self._help_auto:
            self.remove_class("-help")
            self._help_auto = False
        self.refresh_bindings()

    def _set_busy(self, busy: bool, stage: str) -> None:
        self.busy = busy
        words = {
            "credentials": "Checking the credentials…",
            "phone": "Asking Telegram to send a code…",
            "code": "Checking the code…",
            "password": "Checking the password…",
            "qr": "Getting a QR code…",
        }
        self._status(words.get(stage, "Working…") if busy else "")

    def _on_flow_change(self, *_: Any) -> None:
        """The flow changed by itself (e.g. a fresh QR token): show it."""
        if self.is_mounted and not self._cancelling:
            self._fill_from_flow()

    def _sync_step(self, wait_qr: bool = True) -> None:
        """Show the pane of the flow's step (and wait for a scan when it is QR)."""
        if self.flow is None:
            return
        step = self.flow.step.name.lower()
        if step == "cancelled":
            self.dismiss(None)
            return
        if step == "done":
            self.account = self.flow.account
        self._show(step)
        if step == "qr" and wait_qr:
            self._wait_qr()

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
                self._show_failure(failure_of(exc, "qr"), "qr")
            return
        if not self._cancelling and self.flow is flow:
            self._sync_step()

    # ------------------------------------------------------------------ relogin
    @work(group="flow", exclusive=True, exit_on_error=False)
    async def _start_relogin(self) -> None:
        """Log an existing account in again: its name and credentials are kept."""
        account = self.relogin
        assert account is not None
        self._input("#api-id").value = str(account.api_id)
        self._input("#name").value = account.name
        self._input("#name").disabled = True
        self._input("#label").value = account.label
        self._input("#phone").value = account.phone
        self._show("credentials")
        self._status("Reading the saved api_hash…")
        api_hash = await asyncio.to_thread(self._read_api_hash, account)
        self._status("")
        if not api_hash:
            failure = Failure(
                "SECRET_MISSING",
                "The api_hash of this account is missing from the secret store; paste it again.",
                stage="credentials",
            )
            self._show_failure(failure, "credentials")
            self.call_after_refresh(self._focus, "#api-hash")
            return
        self._input("#api-hash").value = api_hash
        self._run(
            "credentials",
            lambda: self._set_credentials(account.api_id, api_hash, account.name, account.label),
        )

    def _read_api_hash(self, account: Account) -> str | None:
        try:
            return self.tg.store.api_hash(account)
        except Exception:
            return None

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something at this step."""
        if action == "use_qr":
            return self.step in ("phone", "code")
        if action == "resend":
            return self.step == "code"
        if action == "fix":
            return self.help.offer is not None
        if action == "back":
            return self.step in ("phone", "code", "qr") and self.relogin is None
        if action == "simulate_scan":
            return self.step == "qr" and self.demo
        if action in ("cancel", "close"):
            done = self.step == "done" and self.account is not None
            return done if action == "close" else not done
        return True

    def action_cancel(self) -> None:
        """Escape: leave. Nothing half-saved stays behind."""
        if self.step == "done" and self.account is not None:
            self.dismiss(self.account)
            return
        if self._cancelling:
            return
        self._cancelling = True
        self._status("Cancelling…")
        self._cancel()

    def action_close(self) -> None:
        """Escape on the done step: back to the list, keeping the account."""
        self._finish()

    @work(group="cancel", exit_on_error=False)
    async def _cancel(self) -> None:
        for group in ("flow", "qr"):
            self.workers.cancel_group(self, group)
        await asyncio.sleep(0)
        flow, self.flow = self.flow, None
        if flow is not None:
            with contextlib.suppress(Exception):
                await flow.cancel()
        self.dismiss(None)

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
        target = STEP_FOCUS.get(self.step)
        if target:
            self._focus(target)

    def action_fix(self) -> None:
        """F5: the fix the troubleshooter offers."""
        self.help.run_offer()
        self.refresh_bindings()

    def action_use_qr(self) -> None:
        """F3: log in with a QR code instead of a code."""
        if self.busy or self.flow is None or self.step not in ("phone", "code"):
            return
        flow = self.flow

        async def start() -> None:
            if self.step == "code":
                await flow.back()
            await flow.start_qr()

        self._run("qr", start)

    def action_resend(self) -> None:
        """F4: send the code again, the other way."""
        if self.busy or self.flow is None or self.step != "code":
            return
        flow = self.flow
        self._run("code", flow.resend_code)

    def action_back(self) -> None:
        """F6: one step back."""
        if self.busy or self.flow is None or self.relogin is not None:
            return
        if self.step in ("phone", "code", "qr"):
            self.workers.cancel_group(self, "qr")
            self._run(self.step, self.flow.back, retry=False)

    def action_simulate_scan(self) -> None:
        """Demo only: pretend a phone scanned the QR code."""
        if not self.demo or self.flow is None or self.step != "qr":
            return
        qr = getattr(self.flow, "qr", None)
        if qr is None:
            return
        number = self._phone_value(show=False) or self._demo_phone()
        if not number:
            return
        demo = self.tg.demo
        if demo is None:
            return
        try:
            demo.scan_qr(qr.url, number)
        except (KeyError, ValueError) as exc:
            self.notify(f"Demo scan failed: {exc}", severity="warning", markup=False)

    def _demo_phone(self) -> str | None:
        """A user of the simulated Telegram to scan as (demo only)."""
        demo = self.tg.demo
        phones = demo.phones() if demo is not None else []
        return phones[0] if phones else None

    @on(Troubleshooter.ActionRequested)
    def _on_help_action(self, event: Troubleshooter.ActionRequested) -> None:
        event.stop()
        action = event.action
        name = event.failure.name if event.failure is not None else ""
        if action in ("retry", "wait_retry"):
            if name in RETYPE:
                target = STEP_FOCUS.get(self.step)
                if target:
                    self._input(target).value = ""
                    self._focus(target)
            elif self._last_call is not None:
                stage, call = self._last_call
                self._run(stage, call)
            elif self.step == "qr":
                self._wait_qr()
        elif action == "resend_code":
            if self.step == "code":
                self.action_resend()
            else:
                self._submit_phone()
        elif action == "switch_to_qr":
            self.action_use_qr()
        elif action in ("edit_credentials",):
            self._show("credentials")
            self._focus("#api-id")
        elif action in ("edit_phone", "relogin", "delete_session_relogin"):
            if self.step in ("code", "qr") and self.flow is not None:
                self._run("phone", self.flow.back)
            else:
                self._show("phone")
        else:
            self.notify(
                "Do this from the account list (it is not part of adding an account).",
                severity="information",
            )
        self.refresh_bindings()
