"""The panes of the add-account wizard, one per step. They hold widgets, not logic:
`AddAccountScreen` (wizard.py) validates, talks to the login flow and switches panes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from tgtui.ui.widgets.qr import QrCode

PORTAL_STEPS = (
    "Open https://my.telegram.org and log in with your phone number. The code comes "
    "as a message inside Telegram, not by SMS.",
    "Choose 'API development tools'.",
    "Fill the form: any app title, a short name (5-32 letters or digits), platform "
    "'Other'. An 'ERROR' box usually means an ad-blocker or a VPN: turn it off and retry.",
    "Press 'Create application'.",
    "Copy 'App api_id' (a number) and 'App api_hash' (32 characters) into the fields below.",
)

QR_STEPS = (
    "Open Telegram on your phone (the account you want to add).",
    "Go to Settings › Devices › Link Desktop Device.",
    "Point the camera at this code.",
)


def numbered(lines: tuple[str, ...]) -> Text:
    """Numbered lines as plain text."""
    return Text("\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1)))


class FieldMessage(Static):
    """The line under an input: a hint, a problem (what to do) or an all-clear.

    Hidden while it has nothing to say, so an empty message takes no line."""

    DEFAULT_CSS = """
    FieldMessage { height: auto; padding: 0 1; color: $text-muted; }
    FieldMessage.-empty { display: none; }
    FieldMessage.-error { color: $error; }
    FieldMessage.-warning { color: $warning; }
    FieldMessage.-ok { color: $success; }
    """

    def __init__(self, hint: str = "", *, id: str | None = None) -> None:
        super().__init__(Text(hint), markup=False, id=id, classes="" if hint else "-empty")
        self.hint = hint

    def show(self, text: str, kind: str = "") -> None:
        """Show `text` as plain text; kind is "", "error", "warning" or "ok"."""
        for k in ("error", "warning", "ok"):
            self.set_class(k == kind, f"-{k}")
        self.set_class(not text, "-empty")
        self.update(Text(text))

    def reset(self) -> None:
        """Back to the hint."""
        self.show(self.hint)


class StepPane(Vertical):
    """Base of every step pane."""

    DEFAULT_CSS = """
    StepPane { height: auto; padding: 0 1; }
    """


class CredentialsPane(StepPane):
    """api_id, api_hash, account name; how to get them; reuse of another account's."""

    def compose(self) -> ComposeResult:
        yield Static(id="credentials-demo", markup=False, classes="demo")
        yield Label(
            "Where to get api_id and api_hash (once per person, not per account):",
            classes="field-label",
        )
        yield Static(numbered(PORTAL_STEPS), markup=False, classes="howto")
        yield Select[str](
            [],
            prompt="Type new credentials (or reuse an existing account's)",
            id="reuse",
            allow_blank=True,
            compact=True,
        )
        yield FieldMessage("", id="reuse-msg")
        yield Label("api_id", classes="field-label")
        yield Input(compact=True, placeholder="e.g. 1234567", id="api-id")
        yield FieldMessage("Digits only, shown as 'App api_id'.", id="api-id-msg")
        yield Label("api_hash", classes="field-label")
        yield Input(
            compact=True, placeholder="32 characters, 0-9 and a-f", password=True, id="api-hash"
        )
        yield FieldMessage("Hidden as you type; paste it whole.", id="api-hash-msg")
        yield Label("Label (optional, e.g. Shop support)", classes="field-label")
        yield Input(compact=True, placeholder="what this account is for", id="label")
        yield Label("Account name (folder name; a-z, 0-9, _ and -)", classes="field-label")
        yield Input(compact=True, id="name")
        yield FieldMessage("", id="name-msg")
        yield Button("Next  ⏎", id="credentials-next", variant="primary", compact=True)
        yield Button("Import an existing session instead…", id="import-existing", compact=True)


class PhonePane(StepPane):
    """The phone number, and the choice of a login code or a QR code."""

    def compose(self) -> ComposeResult:
        yield Static(id="phone-intro", markup=False)
        yield Static(id="phone-demo", markup=False, classes="demo")
        yield Label("Phone number, with its country code", classes="field-label")
        yield Input(compact=True, placeholder="+44 7700 900123", id="phone")
        yield FieldMessage("Start with + and the country code.", id="phone-msg")
        with Horizontal(classes="buttons"):
            yield Button("Send me a code  ⏎", id="send-code", variant="primary", compact=True)
            yield Button("Use a QR code instead  F3", id="use-qr", compact=True)
        yield Static(
            Text(
                "With a QR code you scan from a phone that is already logged in to this "
                "account; no code is sent and no phone number is needed."
            ),
            markup=False,
            classes="note",
        )


class CodePane(StepPane):
    """Where the code went, its countdown, the code input and re-send."""

    def compose(self) -> ComposeResult:
        yield Static(id="code-where", markup=False)
        yield Static(id="code-timer", markup=False, classes="timer")
        yield Label("Login code", classes="field-label")
        yield Input(compact=True, placeholder="digits only", password=True, id="code")
        yield FieldMessage("Type it here, never in a chat: a shared code is void.", id="code-msg")
        yield Static(id="code-demo", markup=False, classes="demo")


class QrPane(StepPane):
    """The login QR code and how to scan it."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="qr-row"):
            yield QrCode(id="qr")
            with Vertical(id="qr-side"):
                yield Label("Scan with the Telegram app", classes="field-label")
                yield Static(numbered(QR_STEPS), markup=False, id="qr-steps")
                yield Static(id="qr-timer", markup=False, classes="timer")
                yield FieldMessage("", id="qr-msg")
                yield Static(id="qr-demo", markup=False, classes="demo")


class PasswordPane(StepPane):
    """The two-step verification password (never stored)."""

    def compose(self) -> ComposeResult:
        yield Static(
            Text(
                "This account has two-step verification. Type its cloud password "
                "(Settings › Privacy and Security › Two-Step Verification). "
                "tgtui does not store it."
            ),
            markup=False,
            classes="intro",
        )
        yield Static(id="password-hint", markup=False, classes="note")
        yield Label("Password", classes="field-label")
        yield Input(compact=True, password=True, id="password")
        yield FieldMessage("", id="password-msg")


class DonePane(StepPane):
    """The account is saved."""

    def compose(self) -> ComposeResult:
        yield Static(id="done-text", markup=False)
        yield Button("Finish  ⏎", id="finish", variant="success", compact=True)
