"""The wizard's fields: validation as you type, paste cleaning, name suggestion, and
reuse of an existing account's credentials. `AddAccountScreen` builds on this."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Input, Select

from tgtui.accounts import validate
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.screens.wizard_steps import FieldMessage

if TYPE_CHECKING:
    from tgtui.accounts.model import Account

REUSE_WARNING = (
    "Telegram counts trust and limits per application: accounts that share one api_id "
    "share its flood limits and its reputation. Fine for a few accounts of one person."
)


class WizardFields(TgtuiScreen["Account | None"]):
    """Field-level behaviour of the add-account wizard (no network)."""

    tg: Any
    relogin: Account | None

    def _init_fields(self) -> None:
        self._existing: set[str] = set()
        self._accounts: dict[str, Account] = {}
        self._name_touched = False
        self._cleaned: set[str] = set()

    def _input(self, selector: str) -> Input:
        return self.query_one(selector, Input)

    def _msg(self, selector: str) -> FieldMessage:
        return self.query_one(selector, FieldMessage)

    # ------------------------------------------------------------------ accounts
    @work(thread=True, group="store", exit_on_error=False)
    def _load_accounts(self) -> None:
        """Existing accounts (for name checks and credential reuse), off the UI thread."""
        store = self.tg.store
        accounts = [a for a in store.accounts() if not a.broken and a.api_id]
        names = set(store.names())
        self.app.call_from_thread(self._accounts_loaded, accounts, names)

    def _accounts_loaded(self, accounts: list[Account], names: set[str]) -> None:
        self._existing = names
        if self.relogin is not None:
            self._existing.discard(self.relogin.name)
        self._accounts = {a.name: a for a in accounts}
        select = self.query_one("#reuse", Select)
        select.set_options([(f"Reuse {a.name} (api_id {a.api_id})", a.name) for a in accounts])
        select.display = bool(accounts) and self.relogin is None
        if self.relogin is None and not self._name_touched:
            self._suggest_name()

    def _suggest_name(self) -> None:
        label = self._input("#label").value
        name = validate.suggest_name(label or "account", self._existing)
        name_input = self._input("#name")
        name_input.value = name
        self._name_touched = False

    @on(Select.Changed, "#reuse")
    def _on_reuse(self, event: Select.Changed) -> None:
        msg = self._msg("#reuse-msg")
        if event.value is Select.BLANK or event.value not in self._accounts:
            msg.reset()
            return
        account = self._accounts[str(event.value)]
        self._input("#api-id").value = str(account.api_id)
        msg.show(REUSE_WARNING, "warning")
        self._fetch_api_hash(account)

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
                f"The api_hash of {account.name} is missing from the secret store; paste it.",
                "error",
            )
            return
        self._input("#api-hash").value = api_hash

    # ------------------------------------------------------------------ validation
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
            note = " (cleaned the pasted text)" if "api-id" in self._cleaned else ""
            msg.show(f"✓ looks right{note}", "ok")

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
            msg.show("✓ 32 characters (removed the label, spaces and quotes you pasted)", "ok")
        else:
            msg.show("✓ 32 characters", "ok")

    @on(Input.Changed, "#label")
    def _on_label(self, event: Input.Changed) -> None:
        if self.relogin is None and not self._name_touched:
            self._input("#name").value = validate.suggest_name(
                event.value or "account", self._existing
            )
            self._name_touched = False

    @on(Input.Changed, "#name")
    def _check_name(self, event: Input.Changed) -> None:
        if self.relogin is not None:
            return
        if event.input.has_focus:
            self._name_touched = True
        msg = self._msg("#name-msg")
        try:
            validate.account_name(event.value, self._existing)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
        else:
            msg.show("✓ free", "ok")

    @on(Input.Changed, "#phone")
    def _check_phone(self, event: Input.Changed) -> None:
        msg = self._msg("#phone-msg")
        if not event.value.strip():
            msg.reset()
            return
        try:
            number = validate.phone(event.value)
        except validate.InvalidInput as exc:
            msg.show(str(exc), "error")
        else:
            msg.show(f"✓ {number}", "ok")

    def _credentials(self) -> tuple[int, str, str, str] | None:
        """Validated (api_id, api_hash, name, label), focusing the first bad field."""
        checks: list[tuple[str, Callable[[str], Any]]] = [
            ("#api-id", lambda v: validate.api_id(v).value),
            ("#api-hash", validate.api_hash),
        ]
        if self.relogin is None:
            checks.append(("#name", lambda v: validate.account_name(v, self._existing)))
        values = []
        for selector, check in checks:
            field = self._input(selector)
            try:
                values.append(check(field.value))
            except validate.InvalidInput as exc:
                self._msg(f"{selector}-msg").show(str(exc), "error")
                field.focus()
                return None
        name = values[2] if self.relogin is None else self.relogin.name
        label = self._input("#label").value.strip()
        return int(values[0]), str(values[1]), str(name), label

    def _phone_value(self, show: bool = True) -> str | None:
        field = self._input("#phone")
        try:
            return validate.phone(field.value)
        except validate.InvalidInput as exc:
            if show:
                self._msg("#phone-msg").show(str(exc), "error")
                field.focus()
            return None
