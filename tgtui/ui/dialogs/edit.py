"""Edit an account's label and proxy; validated, saved through the store."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tgtui.accounts import validate
from tgtui.accounts.model import Account, Proxy
from tgtui.accounts.validate import InvalidInput, ProxySpec
from tgtui.i18n import _
from tgtui.ui import format as fmt
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog

if TYPE_CHECKING:
    from tgtui.ui.app import TgtuiApp


def parse_proxy(text: str) -> ProxySpec | None:
    """The proxy typed in the form (`validate.proxy_url`); empty means no proxy."""
    return validate.proxy_url(text)


def proxy_text(proxy: Proxy | None) -> str:
    """The proxy as a URL the form accepts back (its secret is never shown)."""
    return validate.proxy_text(proxy)


class EditDialog(Dialog[Account | None]):
    """Label and proxy of one account. Enter saves, Esc cancels (q is a letter here)."""

    DEFAULT_CSS = """
    EditDialog .dialog-box {
        border: round $primary;
    }
    EditDialog Input {
        margin-bottom: 1;
    }
    EditDialog #error {
        height: auto;
    }
    """

    KEYS = keys.EDIT
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account
        self.typed: dict[str, str] = {}  # what was typed, kept when a language switch redraws
        self.said: str = ""  # the error line as last shown (said again after a switch)

    def retranslate(self) -> None:
        """Keep what was typed, then draw the dialog again in the interface language."""
        self.typed = {box.id: box.value for box in self.query(Input) if box.id}
        super().retranslate()

    def recomposed(self) -> None:
        """A proxy that did not parse is explained again in the new language (a save that
        failed is not retried: its message is shown as it was)."""
        if not self.said:
            return
        try:
            parse_proxy(self.query_one("#proxy", Input).value)
        except InvalidInput as exc:
            self._error(str(exc))
        else:
            self._error(self.said)

    def compose_box(self) -> ComposeResult:
        """Two inputs and an error line."""
        title = Text(_("Edit {name}").format(name=self.account.name), style="bold")
        with Vertical(classes="dialog-box"):
            yield Static(title, classes="dialog-title")
            yield Label(Text(_("Label (shown in the list instead of the name)")))
            yield Input(self.typed.get("label", self.account.label), id="label", max_length=64)
            yield Label(
                Text(
                    _("Proxy: socks5://user:pass@host:port, http://…, tg://proxy?…, empty for none")
                )
            )
            yield Input(self.typed.get("proxy", proxy_text(self.account.proxy)), id="proxy")
            yield Static(id="error")
            yield Static(Text(_("Tab next field")), classes="hint")

    def on_mount(self) -> None:
        """Start in the label."""
        self.query_one("#label", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Validate and save; a bad proxy is explained under the fields."""
        try:
            spec = parse_proxy(self.query_one("#proxy", Input).value)
        except InvalidInput as exc:
            self._error(str(exc))
            self.query_one("#proxy", Input).focus()
            return
        label = self.query_one("#label", Input).value.strip()
        proxy = spec.proxy if spec else None
        old = self.account.proxy
        keep = (
            spec is not None
            and not spec.secret
            and old is not None
            and proxy == replace(old, secret_ref="")
        )
        app: TgtuiApp = self.app  # type: ignore[assignment]
        store = app.tg.store
        try:
            account = replace(self.account, label=label)
            if keep:  # unchanged: keep the stored secret
                saved = store.update(replace(account, proxy=old))
            else:  # a password / secret goes to the secret store, never account.toml
                saved = store.set_proxy(account, proxy, spec.secret if spec else None)
        except Exception as exc:  # noqa: BLE001 - StoreError and disk errors, shown inline
            self._error(str(exc))
            return
        self.dismiss(saved)

    def _error(self, message: str) -> None:
        """Say what is wrong under the fields (bold red; bold under NO_COLOR)."""
        self.said = message
        self.query_one("#error", Static).update(Text(message, style=fmt.alarm(self.app.no_color)))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
