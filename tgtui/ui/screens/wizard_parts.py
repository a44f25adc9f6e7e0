"""Small pieces the wizard's screen and panes share: tables keyed by the flow's `Step`,
the line under a field, the pane base class, numbered instructions, the busy line, and
two inputs with a twist (the api_id field that takes a pasted pair, the reuse list that
stays above the footer).

Fixed words are kept in English (marked `N_`) and shown translated, so that a language
switch from the palette redraws them: every widget here with words has `retranslate()`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.containers import ScrollableContainer, Vertical
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static

from tgtui.accounts import validate
from tgtui.failure import Failure
from tgtui.i18n import N_, _
from tgtui.telegram import Step
from tgtui.ui.errors import ReportWorkerErrors


def numbered(lines: tuple[str, ...]) -> Text:
    """Numbered lines as plain text, each translated (they are `N_` constants)."""
    return Text("\n".join(f"{n}. {_(line)}" for n, line in enumerate(lines, 1)))


class NumberedSteps(Static):
    """Numbered instructions (`N_` constants) in the interface language."""

    def __init__(self, lines: tuple[str, ...], *, id: str | None = None, classes: str = "") -> None:
        super().__init__(numbered(lines), markup=False, id=id, classes=classes)
        self.lines = lines

    def retranslate(self) -> None:
        """Show the steps in the interface language."""
        self.update(numbered(self.lines))


class WordsLabel(Label):
    """A label whose words are an `N_` sentence, shown in the interface language (a `Label`,
    so the wizard's `Label.field-label` style applies)."""

    def __init__(self, words: str, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(Text(_(words)), markup=False, id=id, classes=classes)
        self.words = words

    def retranslate(self) -> None:
        """Show the words in the interface language."""
        self.update(Text(_(self.words)))


class WordsButton(Button):
    """A button whose label is an `N_` sentence, shown in the interface language."""

    def __init__(self, words: str, **kwargs: Any) -> None:
        super().__init__(_(words), **kwargs)
        self.words = words

    def retranslate(self) -> None:
        """Label the button in the interface language."""
        self.label = _(self.words)


#: Input id -> its placeholder (translated when shown; a language switch sets it again).
PLACEHOLDERS = {
    "api-id": N_("e.g. 1234567"),
    "api-hash": N_("32 characters, 0-9 and a-f"),
    "label": N_("what this account is for"),
    "name": N_("empty: from the username or phone"),
    "code": N_("digits only"),
    "server-address": N_("e.g. 10.0.0.5:443"),
}


def placeholder(ident: str) -> str:
    """The placeholder of the input `ident`, in the interface language."""
    return _(PLACEHOLDERS[ident])


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
        """`hint`: an `N_` sentence, shown translated while there is nothing else to say."""
        said = _(hint) if hint else ""
        super().__init__(Text(said), markup=False, id=id, classes="" if hint else "-empty")
        self.hint = hint
        self._showing_hint = True

    def show(self, text: str, kind: str = "") -> None:
        """Show `text` as plain text; kind is "", "error", "warning" or "ok"."""
        self._showing_hint = False
        for k in ("error", "warning", "ok"):
            self.set_class(k == kind, f"-{k}")
        self.set_class(not text, "-empty")
        self.update(Text(text))

    def reset(self) -> None:
        """Back to the hint."""
        self.show(_(self.hint) if self.hint else "")
        self._showing_hint = True

    def retranslate(self) -> None:
        """The hint in the interface language (a message it shows is said again by the
        check that made it)."""
        if self._showing_hint:
            self.reset()


class StepPane(ReportWorkerErrors, Vertical):
    """Base of every step pane; its workers' errors are reported like a screen's."""

    DEFAULT_CSS = """
    StepPane { height: auto; padding: 0 1; }
    """


#: Below this width the troubleshooter sits under the step and the footer is compact.
NARROW = 110
#: The step indicator's titles, one per index of STEP_INDEX (translated when shown).
STEP_TITLES = (N_("Credentials"), N_("Phone"), N_("Code or QR"), N_("Password"), N_("Done"))
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
#: What the status line says while a flow call runs (translated when shown).
BUSY_WORDS = {
    "credentials": N_("Checking the credentials…"),
    "phone": N_("Asking Telegram to send a code…"),
    "code": N_("Checking the code…"),
    "password": N_("Checking the password…"),
    "qr": N_("Getting a QR code…"),
}


def failure_of(exc: BaseException, stage: str) -> Failure:
    """The Failure a TelegramFailure carries, else one named after the exception type."""
    carried = getattr(exc, "failure", None)
    if isinstance(carried, Failure):
        return carried
    if isinstance(exc, validate.InvalidInput):
        return Failure("INVALID_INPUT", str(exc), stage=stage)
    name = type(exc).__name__
    said = _("Unexpected error ({name}).").format(name=name)
    return Failure(name, said, exc_type=name, stage=stage)


def busy_text(stage: str, elapsed: float) -> str:
    """The status line of a running call: what, for how long, and how to stop it."""
    words = _(BUSY_WORDS[stage]) if stage in BUSY_WORDS else _("Working…")
    if elapsed >= 1:
        # TRANSLATORS: a running call's status line; {seconds} is how long it has taken.
        return _("{words} {seconds} s · Esc cancels").format(words=words, seconds=int(elapsed))
    return _("{words} · Esc cancels").format(words=words)


def demo_lines(demo: bool) -> tuple[str, str]:
    """In the demo, the made-up credentials and numbers the simulator accepts."""
    if not demo:
        return "", ""
    from tgtui.telegram import demo as facts

    return (
        _(
            "Demo: use api_id {api_id} and api_hash {api_hash} "
            "(made up for the simulator; real ones come from my.telegram.org)."
        ).format(api_id=facts.DEMO_API_ID, api_hash=facts.DEMO_API_HASH),
        _("Demo numbers: {plain} (no 2FA) or {two_fa} (2FA password: {password}).").format(
            plain=facts.DEMO_NEW_PHONE, two_fa=facts.DEMO_2FA_PHONE, password=facts.DEMO_PASSWORD
        ),
    )


class ApiIdInput(Input):
    """The api_id field. A paste of "api_id<Tab>api_hash" (or two lines) fills both fields."""

    class PastedMore(Message):
        """The paste carried more than the api_id: the rest, field by field."""

        def __init__(self, rest: list[str]) -> None:
            super().__init__()
            self.rest = rest

    def _on_paste(self, event: events.Paste) -> None:
        parts = [p for p in event.text.replace("\r", "\n").replace("\t", "\n").split("\n")]
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) < 2:
            return  # Input's own paste handling does the rest
        event.prevent_default()
        event.stop()
        self.value = parts[0]
        self.cursor_position = len(self.value)
        self.post_message(self.PastedMore(parts[1:]))


class ReuseSelect(Select[str]):
    """The list of accounts whose credentials can be reused. Opened, it stays above the
    footer: it scrolls itself to the top of the view and fits its list into the room left."""

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        if expanded:
            for parent in self.ancestors:
                if isinstance(parent, ScrollableContainer):
                    parent.scroll_to_widget(self, top=True, animate=False)
                    break
            self.call_after_refresh(self._fit_overlay)

    def _fit_overlay(self) -> None:
        footers = self.screen.query(Footer)
        bottom = footers.first().region.y if footers else self.screen.size.height
        room = bottom - self.region.bottom
        self.query_one("SelectOverlay").styles.max_height = max(3, min(12, room))
