"""Small pieces the wizard's screen and panes share: tables keyed by the flow's `Step`,
the line under a field, the pane base class, numbered instructions, the busy line."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from tgtui.accounts import validate
from tgtui.failure import Failure
from tgtui.telegram import Step


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


#: Below this width the troubleshooter sits under the step and the footer is compact.
NARROW = 110
#: Step -> the id of its pane.
PANES = {
    Step.CREDENTIALS: "credentials",
    Step.PHONE: "phone-pane",
    Step.CODE: "code-pane",
    Step.QR: "qr-pane",
    Step.PASSWORD: "password-pane",
    Step.DONE: "done-pane",
}
#: Step -> index in the step indicator.
STEP_INDEX = {
    Step.CREDENTIALS: 0,
    Step.PHONE: 1,
    Step.CODE: 2,
    Step.QR: 2,
    Step.PASSWORD: 3,
    Step.DONE: 4,
}
#: Step -> troubleshooter stage.
STAGES = {
    Step.CREDENTIALS: "credentials",
    Step.PHONE: "phone",
    Step.CODE: "code",
    Step.QR: "qr",
    Step.PASSWORD: "password",
    Step.DONE: "session",
}
#: Step -> the widget that gets focus.
FOCUS = {
    Step.CREDENTIALS: "#api-id",
    Step.PHONE: "#phone",
    Step.CODE: "#code",
    Step.PASSWORD: "#password",
    Step.DONE: "#finish",
}
#: Step -> the line under the field where a failure of that step is said.
FAILURE_LINE = {
    Step.PHONE: "#phone-msg",
    Step.CODE: "#code-msg",
    Step.QR: "#qr-msg",
    Step.PASSWORD: "#password-msg",
}
#: What the status line says while a flow call runs.
BUSY_WORDS = {
    "credentials": "Checking the credentials…",
    "phone": "Asking Telegram to send a code…",
    "code": "Checking the code…",
    "password": "Checking the password…",
    "qr": "Getting a QR code…",
}


def failure_of(exc: BaseException, stage: str) -> Failure:
    """The Failure a TelegramFailure carries, else one named after the exception type."""
    carried = getattr(exc, "failure", None)
    if isinstance(carried, Failure):
        return carried
    if isinstance(exc, validate.InvalidInput):
        return Failure("INVALID_INPUT", str(exc), stage=stage)
    name = type(exc).__name__
    return Failure(name, f"Unexpected error ({name}).", exc_type=name, stage=stage)


def busy_text(stage: str, elapsed: float) -> str:
    """The status line of a running call: what, for how long, and how to stop it."""
    words = BUSY_WORDS.get(stage, "Working…")
    waited = f" {int(elapsed)} s" if elapsed >= 1 else ""
    return f"{words}{waited} · Esc cancels"
