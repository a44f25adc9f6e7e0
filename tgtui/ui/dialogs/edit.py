"""Edit an account's label and proxy; validated, saved through the store."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tgtui.accounts.model import Account, Proxy
from tgtui.accounts.validate import InvalidInput
from tgtui.ui import format as fmt
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog

if TYPE_CHECKING:
    from tgtui.ui.app import TgtuiApp

PROXY_RE = re.compile(
    r"^(?P<kind>socks5|http)://(?:(?P<user>[^@:/\s]+)@)?(?P<host>[^:/\s]+):(?P<port>\d+)/?$"
)


def parse_proxy(text: str) -> Proxy | None:
    """`socks5://[user@]host:port` or `http://...`; empty means no proxy."""
    text = text.strip()
    if not text:
        return None
    found = PROXY_RE.match(text)
    if found is None:
        raise InvalidInput("Write the proxy as socks5://host:1080 or http://user@host:8080.")
    port = int(found["port"])
    if not 0 < port < 65536:
        raise InvalidInput("The proxy port is a number from 1 to 65535.")
    return Proxy(found["kind"], found["host"], port, username=found["user"] or "")


def proxy_text(proxy: Proxy | None) -> str:
    """The proxy as a URL-like string the form accepts back."""
    if proxy is None:
        return ""
    user = f"{proxy.username}@" if proxy.username else ""
    return f"{proxy.kind}://{user}{proxy.host}:{proxy.port}"


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

    def compose_box(self) -> ComposeResult:
        """Two inputs and an error line."""
        title = Text("Edit ", style="bold")
        title.append(self.account.name, style="bold")
        with Vertical(classes="dialog-box"):
            yield Static(title, classes="dialog-title")
            yield Label(Text("Label (shown in the list instead of the name)"))
            yield Input(self.account.label, id="label", max_length=64)
            yield Label(Text("Proxy: socks5://[user@]host:port, http://..., empty for none"))
            yield Input(proxy_text(self.account.proxy), id="proxy")
            yield Static(id="error")
            yield Static("Tab next field", classes="hint")

    def on_mount(self) -> None:
        """Start in the label."""
        self.query_one("#label", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Validate and save; a bad proxy is explained under the fields."""
        try:
            proxy = parse_proxy(self.query_one("#proxy", Input).value)
        except InvalidInput as exc:
            self._error(str(exc))
            self.query_one("#proxy", Input).focus()
            return
        label = self.query_one("#label", Input).value.strip()
        if (
            proxy is not None
            and self.account.proxy is not None
            and proxy == replace(self.account.proxy, secret_ref="")
        ):
            proxy = self.account.proxy  # unchanged: keep its stored secret reference
        app: TgtuiApp = self.app  # type: ignore[assignment]
        try:
            saved = app.tg.store.update(replace(self.account, label=label, proxy=proxy))
        except Exception as exc:  # noqa: BLE001 - StoreError and disk errors, shown inline
            self._error(str(exc))
            return
        self.dismiss(saved)

    def _error(self, message: str) -> None:
        """Say what is wrong under the fields (bold red; bold under NO_COLOR)."""
        self.query_one("#error", Static).update(Text(message, style=fmt.alarm(self.app.no_color)))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
