"""The "Advanced" part of the wizard's first step: a proxy for networks that block
Telegram, and the server (Telegram's test servers or a self-hosted MTProto server).

Collapsed by default; its title is focusable, Enter opens it. Every field is checked as it
is typed, with the message under it; the parsing lives in `tgtui.accounts.validate`.
The proxy password or MTProxy secret is typed into a masked field and kept like the
api_hash (never in account.toml)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Select

from tgtui.accounts import validate
from tgtui.i18n import N_, _
from tgtui.ui.screens.wizard_parts import FieldMessage, WordsLabel, placeholder

if TYPE_CHECKING:
    from tgtui.accounts.model import Proxy, Server

#: The server choices: Telegram's own (default), its test servers, or another one.
SERVER_CHOICES = [
    (N_("Telegram (the normal servers)"), "telegram"),
    (N_("Telegram's test servers (test accounts only)"), "test"),
    (N_("A self-hosted MTProto server"), "custom"),
]

TITLE = N_("Advanced: proxy and server (optional)")
PROXY_HINT = N_(
    "socks5://host:1080, socks5://user@host:1080, http://host:8080, "
    "mtproxy://SECRET@host:443 or a tg://proxy?… link. Empty: no proxy."
)
SECRET_HINT = N_("Hidden; kept like the api_hash (keyring or private file), never in account.toml.")
#: Under the server choice: what each kind means (translated when shown).
SERVER_HINTS = {
    "telegram": "",
    "test": N_(
        "Telegram's test servers: accounts there are separate from real ones; "
        "address and DC are optional (DC 2 by default)."
    ),
    "custom": N_("A self-hosted MTProto server: its address, DC and public key file."),
}


def about_secret(message: str) -> bool:
    """True when a proxy's problem is its MTProxy secret (said under the secret field).

    The message is compared with what the secret check says, in whatever language the
    interface speaks, rather than searched for an English word."""
    for probe in ("", "ee" + "0" * 40, "?"):
        try:
            validate.mtproxy_secret(probe)
        except validate.InvalidInput as exc:
            if str(exc) == message:
                return True
    return False


@dataclass(frozen=True)
class Network:
    """How this account reaches Telegram: a proxy (and its secret) and a server."""

    proxy: Proxy | None = None
    proxy_secret: str | None = field(default=None, repr=False)
    server: Server | None = None


class AdvancedPart(Collapsible):
    """Proxy and server settings of a new account, collapsed until asked for."""

    DEFAULT_CSS = """
    AdvancedPart { margin: 1 0 0 0; padding: 0; border: none; }
    AdvancedPart > Contents { padding: 0; }
    AdvancedPart .server-field { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            *self._fields(),
            title=_(TITLE),
            collapsed=True,
            id=id,
        )

    @staticmethod
    def _fields() -> list[Widget]:
        def server_field(ident: str, label: str, hint: str) -> Vertical:
            return Vertical(
                WordsLabel(label, classes="field-label"),
                Input(compact=True, placeholder=hint, id=ident),
                FieldMessage("", id=f"{ident}-msg"),
                classes="server-field",
                id=f"{ident}-field",
            )

        choices = [(_(title), value) for title, value in SERVER_CHOICES]
        return [
            WordsLabel(N_("Proxy (for networks that block Telegram)"), classes="field-label"),
            Input(compact=True, placeholder="socks5://host:1080", id="proxy"),
            FieldMessage(PROXY_HINT, id="proxy-msg"),
            WordsLabel(N_("Proxy password or MTProxy secret"), classes="field-label"),
            Input(compact=True, password=True, id="proxy-secret"),
            FieldMessage(SECRET_HINT, id="proxy-secret-msg"),
            WordsLabel(N_("Server"), classes="field-label"),
            Select(choices, value="telegram", allow_blank=False, compact=True, id="server"),
            FieldMessage("", id="server-msg"),
            server_field(
                "server-address", N_("Server address (HOST:PORT)"), placeholder("server-address")
            ),
            server_field("server-dc", N_("DC number"), "2"),
            server_field("server-key", N_("RSA public key file (PEM)"), "/etc/mtproto/server.pub"),
        ]

    def retranslate(self) -> None:
        """After a language switch: the title, the server choices (the choice kept), the
        hints, and what the checks say about the typed fields."""
        self.title = _(TITLE)
        self._input("#server-address").placeholder = placeholder("server-address")
        select: Select[str] = self.query_one("#server", Select)
        kind = self.server_kind
        with self.prevent(Select.Changed):
            select.set_options([(_(title), value) for title, value in SERVER_CHOICES])
            select.value = kind
        self._show_server_fields()
        for ident in ("proxy", "server-address", "server-dc", "server-key"):
            field = self._input(f"#{ident}")
            if field.value:
                field.post_message(Input.Changed(field, field.value))

    def on_mount(self) -> None:
        self._show_server_fields()

    # ------------------------------------------------------------------ helpers
    def _input(self, selector: str) -> Input:
        return self.query_one(selector, Input)

    def _msg(self, selector: str) -> FieldMessage:
        return self.query_one(selector, FieldMessage)

    @property
    def server_kind(self) -> str:
        """telegram, test or custom."""
        value = self.query_one("#server", Select).value
        return str(value) if isinstance(value, str) else "telegram"

    def open_at(self, selector: str = "#proxy") -> None:
        """Expand and focus one field (F5 "set a proxy" lands here)."""
        self.collapsed = False
        self.call_after_refresh(self._focus, selector)

    def _focus(self, selector: str) -> None:
        widget = self.query_one(selector)
        widget.focus()
        widget.scroll_visible(animate=False)

    def _show_server_fields(self) -> None:
        kind = self.server_kind
        self.query_one("#server-address-field").display = kind != "telegram"
        self.query_one("#server-dc-field").display = kind != "telegram"
        self.query_one("#server-key-field").display = kind == "custom"
        hint = SERVER_HINTS[kind]
        self._msg("#server-msg").show(_(hint) if hint else "")

    # ------------------------------------------------------------------ checks as typed
    @on(Select.Changed, "#server")
    def _server_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_server_fields()

    @on(Input.Changed, "#proxy, #proxy-secret")
    def _check_proxy(self, event: Input.Changed) -> None:
        event.stop()
        url = self._input("#proxy").value
        msg = self._msg("#proxy-msg")
        if not url.strip():
            msg.reset()
            self._msg("#proxy-secret-msg").reset()
            return
        try:
            spec = validate.proxy_url(url, self._input("#proxy-secret").value or None)
        except validate.InvalidInput as exc:
            at_secret = about_secret(str(exc))
            self._msg("#proxy-secret-msg" if at_secret else "#proxy-msg").show(str(exc), "error")
            self._msg("#proxy-msg" if at_secret else "#proxy-secret-msg").reset()
            return
        self._msg("#proxy-secret-msg").reset()
        if spec is not None:
            where = f"{spec.proxy.host}:{spec.proxy.port}"
            said = _("{kind} proxy at {where}").format(kind=spec.proxy.kind, where=where)
            msg.show("✓ " + said, "ok")

    @on(Input.Changed, "#server-address")
    def _check_address(self, event: Input.Changed) -> None:
        event.stop()
        self._check_one(event.value, "#server-address-msg", validate.server_address)

    @on(Input.Changed, "#server-dc")
    def _check_dc(self, event: Input.Changed) -> None:
        event.stop()
        self._check_one(event.value, "#server-dc-msg", validate.dc_id)

    @on(Input.Changed, "#server-key")
    def _check_key(self, event: Input.Changed) -> None:
        event.stop()
        self._check_one(event.value, "#server-key-msg", validate.rsa_public_key_file)

    def _check_one(self, text: str, selector: str, check: Callable[[str], object]) -> None:
        msg = self._msg(selector)
        if not text.strip():
            msg.reset()
            return
        try:
            check(text)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
        else:
            msg.show("✓", "ok")

    # ------------------------------------------------------------------ the result
    def collect(self) -> Network | None:
        """The checked settings, or None after showing the problem at its field (opened)."""
        url, secret = self._input("#proxy").value, self._input("#proxy-secret").value
        try:
            spec = validate.proxy_url(url, secret or None)
        except validate.InvalidInput as exc:
            field_id = "#proxy-secret" if about_secret(str(exc)) else "#proxy"
            return self._refuse(field_id, str(exc))
        if spec is None and secret:
            return self._refuse("#proxy", _("A password or secret needs a proxy; write its URL."))
        kind = self.server_kind
        server = None
        if kind != "telegram":
            checks: list[tuple[str, Callable[[str], object]]] = [
                ("#server-address", validate.server_address),
                ("#server-dc", validate.dc_id),
            ]
            if kind == "custom":
                checks.append(("#server-key", validate.rsa_public_key_file))
            for selector, check in checks:
                text = self._input(selector).value
                if text.strip():
                    try:
                        check(text)
                    except validate.InvalidInput as exc:
                        return self._refuse(selector, str(exc))
            if kind == "custom" and not self._input("#server-address").value.strip():
                return self._refuse("#server-address", _("Type the server's address, HOST:PORT."))
            try:
                server = validate.server_settings(
                    self._input("#server-address").value,
                    self._input("#server-dc").value,
                    self._input("#server-key").value if kind == "custom" else "",
                    test=kind == "test",
                )
            except validate.InvalidInput as exc:
                return self._refuse("#server-address", str(exc))
        return Network(
            proxy=spec.proxy if spec else None,
            proxy_secret=(spec.secret or None) if spec else None,
            server=server,
        )

    def _refuse(self, selector: str, text: str) -> Network | None:
        self._msg(f"{selector}-msg").show(text, "error")
        self.open_at(selector)
        return None
