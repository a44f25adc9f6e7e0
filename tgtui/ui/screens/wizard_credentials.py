"""The wizard's first step: api_id, api_hash, label and account name, checked as they are
typed; reuse of another account's credentials; where the api_hash will be kept.

`CredentialsPane` posts `CredentialsPane.Submitted` with checked `Credentials` when the
person presses Enter (or Next) and everything is valid; otherwise it says what is wrong
under the field and focuses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from tgtui.accounts import validate
from tgtui.i18n import N_, _, pgettext
from tgtui.ui.screens.wizard_advanced import AdvancedPart, Network
from tgtui.ui.screens.wizard_parts import (
    ApiIdInput,
    FieldMessage,
    NumberedSteps,
    ReuseSelect,
    StepPane,
    WordsButton,
    WordsLabel,
    demo_lines,
    placeholder,
)
from tgtui.ui.screens.wizard_texts import (
    AUTO_NAME_HINT,
    PORTAL_STEPS,
    REUSE_PROMPT,
    REUSE_WARNING,
    storage_line,
)

if TYPE_CHECKING:
    from tgtui.accounts.model import Account
    from tgtui.accounts.secrets import Backend
    from tgtui.telegram.context import Telegram


@dataclass(frozen=True)
class Credentials:
    """What the first step collected, checked. `auto_name`: derive the name at the end."""

    api_id: int
    api_hash: str = field(repr=False)
    name: str
    label: str
    auto_name: bool = False
    network: Network = field(default_factory=Network)

    def options(self) -> dict[str, Any]:
        """Keyword arguments for `LoginFlow` (only those that are set)."""
        options: dict[str, Any] = {"name": self.name, "label": self.label}
        if self.auto_name:
            options["auto_name"] = True
        if self.network.proxy is not None:
            options.update(proxy=self.network.proxy, proxy_secret=self.network.proxy_secret)
        if self.network.server is not None:
            options["server"] = self.network.server
        return options


class CredentialsPane(StepPane):
    """api_id, api_hash, account name; how to get them; reuse of another account's."""

    class Submitted(Message):
        """Valid credentials, ready for the login flow."""

        def __init__(self, credentials: Credentials) -> None:
            super().__init__()
            self.credentials = credentials

    class ImportRequested(Message):
        """The person has a session made elsewhere to import instead of logging in."""

    class SecretMissing(Message):
        """A re-login: the account's saved api_hash cannot be read."""

    def __init__(self, tg: Telegram, relogin: Account | None, demo: bool, **kw: Any) -> None:
        super().__init__(**kw)
        self.tg = tg
        self.relogin = relogin
        self.demo = demo
        self.existing: set[str] = set()
        self.accounts: dict[str, Account] = {}
        self._name_touched = False
        self._cleaned: set[str] = set()
        self._backend: Backend | None = None
        self._backend_known = False

    def compose(self) -> ComposeResult:
        line = self.demo_line()
        demo = Static(Text(line), id="credentials-demo", markup=False, classes="demo")
        demo.display = bool(line)
        yield demo
        yield WordsLabel(
            N_("Where to get api_id and api_hash (once per person, not per account):"),
            classes="field-label",
        )
        yield NumberedSteps(PORTAL_STEPS, classes="howto")
        yield ReuseSelect(
            [],
            prompt=_(REUSE_PROMPT),
            id="reuse",
            allow_blank=True,
            compact=True,
        )
        yield FieldMessage("", id="reuse-msg")
        yield Label("api_id", classes="field-label")
        yield ApiIdInput(
            compact=True, placeholder=placeholder("api-id"), id="api-id", select_on_focus=False
        )
        yield FieldMessage(N_("Digits only, shown as 'App api_id'."), id="api-id-msg")
        yield Label("api_hash", classes="field-label")
        yield Input(
            compact=True,
            placeholder=placeholder("api-hash"),
            password=True,
            id="api-hash",
            select_on_focus=False,
        )
        yield FieldMessage(N_("Hidden as you type; paste it whole."), id="api-hash-msg")
        yield Static(id="storage", markup=False, classes="note")
        yield WordsLabel(N_("Label (optional, e.g. Shop support)"), classes="field-label")
        yield Input(compact=True, placeholder=placeholder("label"), id="label")
        yield WordsLabel(N_("Account name (folder name; a-z, 0-9, _ and -)"), classes="field-label")
        yield Input(
            compact=True, id="name", placeholder="" if self.relogin else placeholder("name")
        )
        yield FieldMessage("" if self.relogin else AUTO_NAME_HINT, id="name-msg")
        advanced = AdvancedPart(id="advanced")
        advanced.display = self.relogin is None  # a re-login keeps the account's settings
        yield advanced
        yield WordsButton(N_("Next  ⏎"), id="credentials-next", variant="primary", compact=True)
        importing = WordsButton(
            N_("Import an existing session instead…"), id="import-existing", compact=True
        )
        importing.display = self.relogin is None
        yield importing

    def demo_line(self) -> str:
        """In the demo: the made-up credentials to type (else empty)."""
        return demo_lines(self.demo)[0]

    def on_mount(self) -> None:
        self.query_one("#reuse", Select).display = False
        self.query_one("#storage", Static).display = False
        self._load_accounts()
        self._probe_storage()

    def _input(self, selector: str) -> Input:
        return self.query_one(selector, Input)

    def _msg(self, selector: str) -> FieldMessage:
        return self.query_one(selector, FieldMessage)

    def prefill(self, account: Account) -> None:
        """A re-login: the account's api_id, name, label (the name cannot change)."""
        self._input("#api-id").value = str(account.api_id)
        self._input("#name").value = account.name
        self._input("#name").disabled = True
        self._input("#label").value = account.label

    def set_api_hash(self, api_hash: str) -> None:
        """Fill the api_hash (read from the secret store)."""
        self._input("#api-hash").value = api_hash

    def relogin_with_saved_hash(self) -> None:
        """A re-login: fill the account's fields, read its api_hash and submit them."""
        assert self.relogin is not None
        self.prefill(self.relogin)
        self._read_saved_hash(self.relogin)

    @work(thread=True, group="store", exit_on_error=False)
    def _read_saved_hash(self, account: Account) -> None:
        try:
            api_hash = self.tg.store.api_hash(account)
        except Exception:
            api_hash = None
        self.app.call_from_thread(self._saved_hash_read, api_hash)

    def _saved_hash_read(self, api_hash: str | None) -> None:
        if not api_hash:
            self.post_message(self.SecretMissing())
            return
        self.set_api_hash(api_hash)
        credentials = self.collect()
        if credentials is not None:
            self.post_message(self.Submitted(credentials))

    def others_holding(self, user_id: int, name: str) -> list[str]:
        """Names of the other accounts logged in as Telegram user `user_id`."""
        return sorted(
            a.name
            for a in self.accounts.values()
            if a.user is not None and a.user.id == user_id and a.name != name
        )

    # ------------------------------------------------------------------ background reads
    @work(thread=True, group="store", exit_on_error=False)
    def _load_accounts(self) -> None:
        """Existing accounts (for name checks and credential reuse), off the UI thread."""
        store = self.tg.store
        accounts = [a for a in store.accounts() if not a.broken and a.api_id]
        names = set(store.names())
        self.app.call_from_thread(self._accounts_loaded, accounts, names)

    def _accounts_loaded(self, accounts: list[Account], names: set[str]) -> None:
        self.existing = names
        if self.relogin is not None:
            self.existing.discard(self.relogin.name)
        self.accounts = {a.name: a for a in accounts}
        select = self.query_one("#reuse", Select)
        select.set_options(self._reuse_options())
        select.display = bool(accounts) and self.relogin is None
        if self.relogin is None and not self._name_touched:
            self._follow_label(self._input("#label").value)

    @work(thread=True, group="storage", exit_on_error=False)
    def _probe_storage(self) -> None:
        """Ask the secret store where a new api_hash goes (the keyring probe may block)."""
        secrets = self.tg.store.secrets
        backend = secrets.backend if secrets is not None else None
        self.app.call_from_thread(self._storage_known, backend)

    def _reuse_options(self) -> list[tuple[str, str]]:
        return [
            (_("Reuse {name} (api_id {api_id})").format(name=a.name, api_id=a.api_id), a.name)
            for a in self.accounts.values()
        ]

    def retranslate(self) -> None:
        """After a language switch: the words made here, and what the checks said about
        the typed fields (their own widgets redraw their fixed words)."""
        demo = self.query_one("#credentials-demo", Static)
        demo.update(Text(self.demo_line()))
        for ident in ("api-id", "api-hash", "label", "name"):
            field = self._input(f"#{ident}")
            if field.placeholder:
                field.placeholder = placeholder(ident)
        select = self.query_one("#reuse", ReuseSelect)
        select.prompt = _(REUSE_PROMPT)
        if select.is_blank():
            select.set_options(self._reuse_options())
        else:
            self._msg("#reuse-msg").show(_(REUSE_WARNING), "warning")
        if self._backend_known:  # its reason was worded in the old language
            self._probe_storage()  # answers at once: the probe's result is cached
        for ident in ("api-id", "api-hash", "name"):
            field = self._input(f"#{ident}")
            if field.value:
                field.post_message(Input.Changed(field, field.value))

    def _storage_known(self, backend: Backend | None) -> None:
        self._backend, self._backend_known = backend, True
        line = storage_line(backend)
        storage = self.query_one("#storage", Static)
        storage.update(Text(line))
        storage.display = bool(line)

    @work(thread=True, group="store", exit_on_error=False)
    def _fetch_api_hash(self, account: Account) -> None:
        """Read another account's api_hash from the secret store (it may block)."""
        try:
            api_hash = self.tg.store.api_hash(account)
        except Exception:
            api_hash = None
        self.app.call_from_thread(self._api_hash_fetched, account, api_hash)

    def _api_hash_fetched(self, account: Account, api_hash: str | None) -> None:
        if api_hash is None:
            self._msg("#api-hash-msg").show(
                _("The api_hash of {name} is missing from the secret store; paste it.").format(
                    name=account.name
                ),
                "error",
            )
            return
        self.set_api_hash(api_hash)

    # ------------------------------------------------------------------ reacting to input
    @on(Select.Changed, "#reuse")
    def _on_reuse(self, event: Select.Changed) -> None:
        msg = self._msg("#reuse-msg")
        if event.value is Select.BLANK or event.value not in self.accounts:
            msg.reset()
            return
        account = self.accounts[str(event.value)]
        api_id = self._input("#api-id")
        api_id.value = str(account.api_id)
        api_id.cursor_position = len(api_id.value)
        msg.show(_(REUSE_WARNING), "warning")
        self._fetch_api_hash(account)

    @on(ApiIdInput.PastedMore)
    def _pasted_more(self, event: ApiIdInput.PastedMore) -> None:
        event.stop()
        targets = [self._input("#api-hash"), self._input("#label")]
        for target, text in zip(targets, event.rest, strict=False):
            target.value = text
        targets[min(len(event.rest), len(targets)) - 1].focus()

    @on(Input.Changed, "#api-id")
    def _check_api_id(self, event: Input.Changed) -> None:
        msg = self._msg("#api-id-msg")
        if not event.value.strip():
            msg.reset()
            return
        try:
            checked = validate.api_id(event.value)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
            return
        cleaned = str(checked.value)
        if cleaned != event.value:
            self._cleaned.add("api-id")
            event.input.value = cleaned
            return
        if checked.warnings:
            msg.show("⚠ " + " ".join(checked.warnings), "warning")
        else:
            if "api-id" in self._cleaned:
                msg.show("✓ " + _("looks right (cleaned the pasted text)"), "ok")
            else:
                msg.show("✓ " + _("looks right"), "ok")

    @on(Input.Changed, "#api-hash")
    def _check_api_hash(self, event: Input.Changed) -> None:
        msg = self._msg("#api-hash-msg")
        if not event.value.strip():
            msg.reset()
            return
        try:
            cleaned = validate.api_hash(event.value)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
            return
        if cleaned != event.value:
            self._cleaned.add("api-hash")
            event.input.value = cleaned
            return
        if "api-hash" in self._cleaned:
            msg.show(
                "✓ " + _("32 characters (removed the label, spaces and quotes you pasted)"), "ok"
            )
        else:
            msg.show("✓ " + _("32 characters"), "ok")

    @on(Input.Changed, "#label")
    def _on_label(self, event: Input.Changed) -> None:
        if self.relogin is None and not self._name_touched:
            self._follow_label(event.value)

    def _follow_label(self, label: str) -> None:
        """The name follows the label until edited; no label: derived after the login."""
        self._input("#name").value = validate.suggest_name(label, self.existing) if label else ""
        self._name_touched = False

    @on(Input.Changed, "#name")
    def _check_name(self, event: Input.Changed) -> None:
        if self.relogin is not None:
            return
        if event.input.has_focus:
            self._name_touched = True
        msg = self._msg("#name-msg")
        if not event.value:
            msg.reset()
            return
        try:
            validate.account_name(event.value, self.existing)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
        else:
            msg.show("✓ " + pgettext("account name not taken yet", "free"), "ok")

    # ------------------------------------------------------------------ submitting
    @on(Input.Submitted, "#api-id, #api-hash, #label, #name, #advanced Input")
    @on(Button.Pressed, "#credentials-next")
    def _submit(self, event: Message) -> None:
        event.stop()
        credentials = self.collect()
        if credentials is not None:
            self.post_message(self.Submitted(credentials))

    @on(Button.Pressed, "#import-existing")
    def _import(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ImportRequested())

    def collect(self) -> Credentials | None:
        """Checked credentials, or None after saying what is wrong and focusing it."""
        try:
            field_id = "#api-id"
            api_id = int(str(validate.api_id(self._input(field_id).value).value))
            field_id = "#api-hash"
            api_hash = validate.api_hash(self._input(field_id).value)
            field_id = "#name"
            typed = self._input(field_id).value
            auto = self.relogin is None and not typed.strip()
            if self.relogin is not None:
                name = self.relogin.name
            elif auto:
                name = validate.suggest_name("account", self.existing)  # until logged in
            else:
                name = validate.account_name(typed, self.existing)
        except validate.InvalidInput as exc:
            self._msg(f"{field_id}-msg").show(str(exc), "error")
            self._input(field_id).focus()
            return None
        label = self._input("#label").value.strip()
        network = Network()
        if self.relogin is None:
            checked = self.query_one(AdvancedPart).collect()
            if checked is None:
                return None
            network = checked
        return Credentials(api_id, api_hash, name, label, auto_name=auto, network=network)
