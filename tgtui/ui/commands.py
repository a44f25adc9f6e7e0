"""The command palette: every main-screen action, findable by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (title, action on the accounts screen, help line)
COMMANDS: list[tuple[str, str, str]] = [
    ("Add account", "add", "Log a new Telegram account in (a)"),
    ("Remove account", "remove", "Move the selected account to the trash (d)"),
    ("Refresh account", "refresh", "Check the selected account's session now (r)"),
    ("Refresh all accounts", "refresh_all", "Check every session now (R)"),
    ("Log in again", "relogin", "New session for the selected account (l)"),
    ("Account details", "details", "Sessions, export, label and proxy (Enter)"),
    ("Filter accounts", "filter", "Filter by name, label, phone or user (/)"),
    ("Undo last removal", "undo", "Bring back the account removed last (u)"),
    ("Sort by since", "sort_since", "Newest state change first, or back to names (o)"),
    ("Help", "app.help", "Keys, and how to restore from the trash (?)"),
]


class AccountCommands(Provider):
    """Commands of the accounts screen."""

    def _run(self, action: str) -> None:
        self.app.call_later(self.screen.run_action, action)

    async def discover(self) -> Hits:
        """All commands, shown when the palette opens."""
        for title, action, help_text in COMMANDS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches what was typed."""
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, action), help=help_text
                )
