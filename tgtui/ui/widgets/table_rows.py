"""Changing a few cells of a big `DataTable` without redrawing all of it.

`DataTable.update_cell` bumps one counter (`_update_count`) that is part of the key of
every render cache the table keeps (cells, rows, lines, row order, row offsets): after
any cell changes, the next frame renders every visible cell again and rebuilds the row
order and offsets of all rows. With 1,000 accounts, a status change or an age that
ticks every second would make the next keypress wait for that whole redraw.

`RowRefresher` keeps the counter and evicts, once per frame, only the cached renders of
the rows whose cells changed, then repaints those rows. It is the one place that knows
the layout of Textual's private caches (Textual 8.x); when they are not as expected it
does what `update_cell` does. Rows must be one line high (the account table's are).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

# cache attribute -> which part of its keys names the row: ("key", i) the RowKey at
# position i, ("index", i) the row index, ("line", i) the table line (header included)
CACHES = {
    "_row_render_cache": ("key", 0),
    "_cell_render_cache": ("key", 0),
    "_row_renderable_cache": ("index", 1),
    "_line_cache": ("line", 0),
}


def supported(table: DataTable[Any]) -> bool:
    """True when the table's caches are the ones this module knows how to evict from."""
    return all(
        hasattr(getattr(table, name, None), "keys")
        and hasattr(getattr(table, name, None), "discard")
        for name in CACHES
    ) and isinstance(getattr(table, "_update_count", None), int)


class RowRefresher:
    """Rows of one table whose cached renders are stale, evicted before the next render."""

    def __init__(self, table: DataTable[Any]) -> None:
        self.table = table
        self.enabled = supported(table)
        self._stale: dict[RowKey, int] = {}

    def changed(self, row: RowKey, index: int) -> None:
        """Row `row` (at `index`) has new cell values: repaint it, and only it."""
        table = self.table
        if not self.enabled:
            table._update_count += 1  # what update_cell does
            table.refresh()
            return
        self._stale[row] = index
        table.refresh_row(index)

    def evict(self) -> None:
        """Drop the cached renders of the changed rows (call before rendering)."""
        if not self._stale:
            return
        stale, self._stale = self._stale, {}
        table = self.table
        header = table.header_height if table.show_header else 0
        wanted: dict[str, set[Any]] = {
            "key": set(stale),
            "index": set(stale.values()),
            "line": {index + header for index in stale.values()},
        }
        for name, (kind, position) in CACHES.items():
            cache = getattr(table, name)
            match = wanted[kind]
            stale_keys = [k for k in cache.keys() if k[position] in match]  # noqa: SIM118
            for key in stale_keys:  # (an LRUCache: keys(), no iteration)
                cache.discard(key)
