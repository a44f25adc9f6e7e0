"""Messages the account list receives from its workers and the session monitor."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tgtui.accounts.model import Status, UserInfo


class HealthChanged(Message):
    """The monitor (or a manual check) has a new health for one account."""

    def __init__(self, name: str, status: Status, user: UserInfo | None = None) -> None:
        super().__init__()
        self.name = name
        self.status = status
        self.user = user

    @classmethod
    def from_health(cls, health: Any) -> HealthChanged:
        """Build from a `tgtui.telegram.health.Health`."""
        return cls(health.name, health.to_status(), getattr(health, "user", None))


class HealthsChanged(Message):
    """Several new healths at once (the monitor's thread hands them over in batches)."""

    def __init__(self, changes: list[HealthChanged]) -> None:
        super().__init__()
        self.changes = changes


class SecretsProbed(Message):
    """Where secrets are kept, once the (blocking) keyring probe has answered.

    It carries the backend's kind and English description, not words on screen: the
    summary translates them when drawn, so an answer that lands after a language switch
    still shows in the new language.
    """

    def __init__(self, kind: str, description: str) -> None:
        super().__init__()
        self.kind = kind
        self.description = description
