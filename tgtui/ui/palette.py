"""The command palette (Ctrl+P): the actions of the screen it was opened from, by name.

The entries come from the screen's `KEYS` in `tgtui.ui.keys`, so the palette, the
footer and help always agree. (Not to be confused with `tgtui.commands`, the CLI.)
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from tgtui.ui import keys


def entries(screen: Screen) -> list[tuple[str, str, str]]:
    """(title, action, help line) of every palette entry of `screen`, then the app's."""
    screen_keys = getattr(screen, "KEYS", ())
    return keys.palette_entries(screen_keys) + keys.palette_entries(keys.APP)


class ScreenCommands(Provider):
    """Commands of the screen the palette was opened from."""

    def _run(self, action: str) -> None:
        target = "app." + action if action in {k.action for k in keys.APP} else action
        self.app.call_later(self.screen.run_action, target)

    async def discover(self) -> Hits:
        """All commands, shown when the palette opens."""
        for title, action, help_text in entries(self.screen):
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches what was typed."""
        matcher = self.matcher(query)
        for title, action, help_text in entries(self.screen):
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, action), help=help_text
                )
