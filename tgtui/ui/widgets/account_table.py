"""The accounts list: a DataTable whose cells are plain `Text` (never markup)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import datetime

from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowDoesNotExist, RowKey

from tgtui.accounts.model import Account, State
from tgtui.accounts.timeline import span_text
from tgtui.i18n import _
from tgtui.ui import format as fmt
from tgtui.ui import keys
from tgtui.ui.widgets.table_rows import RowRefresher

# Fixed widths (in cells); the name and user columns share whatever is left.
PHONE_W = 14
STATUS_W = 15
LATENCY_W = 7
CHECKED_W = 10
SINCE_W = 10  # time in the current state, e.g. "3 d 4 h", "1 h 10 min"
PADDING = 2  # DataTable's cell_padding on both sides of each column
SCROLLBAR = 2
OFFSCREEN_MARGIN = 2  # rows above and below the visible ones still redrawn at once


def cell(value: str, style: str = "") -> Text:
    """A single-line literal cell, cut with an ellipsis when too long."""
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")


def plan_columns(width: int) -> list[tuple[str, str, int]]:
    """Columns (key, label, width) that fit `width` cells; latency only when there is room.

    Labels are in the interface language, so a language switch changes the plan."""
    fixed = [PHONE_W, STATUS_W, CHECKED_W]
    with_latency = width - sum(fixed) - LATENCY_W - 6 * PADDING - SCROLLBAR
    show_latency = with_latency >= 30
    spare = with_latency if show_latency else width - sum(fixed) - 5 * PADDING - SCROLLBAR
    show_since = show_latency and spare - SINCE_W - PADDING >= 30
    if show_since:
        spare -= SINCE_W + PADDING
    spare = max(spare, 20)
    name_w = min(max(spare * 9 // 20, 10), 32)
    user_w = min(max(spare - name_w, 10), 32)
    columns = [
        ("name", _("Account"), name_w),
        ("phone", _("Phone"), PHONE_W),
        ("user", _("Telegram user"), user_w),
        ("status", _("Status"), STATUS_W),
    ]
    if show_since:
        columns.append(("since", _("Since"), SINCE_W))
    if show_latency:
        columns.append(("latency", _("Latency"), LATENCY_W))
    columns.append(("checked", _("Checked"), CHECKED_W))
    return columns


def since_text(account: Account, now: datetime) -> str:
    """How long the account has been in its state (`3 d 4 h`), or `–` when not known."""
    since = account.status.since
    return span_text((now - since).total_seconds()) if since is not None else "–"


class AccountTable(DataTable):
    """One row per account, keyed by account name. Knows nothing of the network."""

    BINDINGS = keys.bindings(keys.TABLE)

    def __init__(self, clock: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self._clock = clock
        self._accounts: dict[str, Account] = {}
        self._shown: dict[str, list[str]] = {}  # the plain text of each row's cells
        self._plan: list[tuple[str, str, int]] = []
        self._offscreen_stale: set[RowKey] = set()  # rows off screen with new values
        self._rows = RowRefresher(self)

    # ------------------------------------------------------------------ rows
    def _cells(self, account: Account, now: datetime) -> list[Text]:
        values = {
            "name": cell(account.title),
            "phone": cell(fmt.phone_text(account)),
            "user": cell(fmt.user_text(account)),
            "status": fmt.badge_text(account.status, now, mono=self.app.no_color),
            "latency": cell(fmt.latency_text(account.status.latency_ms)),
            "checked": cell(fmt.relative_time(account.status.checked_at, now, narrow=True)),
            "since": cell(since_text(account, now)),
        }
        return [values[key] for key, _label, _width in self._plan]

    def _ensure_columns(self) -> bool:
        """(Re)plan the columns for the current width; True when they changed."""
        plan = plan_columns(self.size.width or self.app.size.width)
        if plan == self._plan and self.columns:
            return False
        self._plan = plan
        self.clear(columns=True)
        for key, label, width in plan:
            self.add_column(label, width=width, key=key)
        return True

    def show(self, accounts: Iterable[Account], select: str | None = None) -> None:
        """Replace the rows, keeping the cursor on `select` (or the current account)."""
        keep = select or self.selected_name
        self._accounts = {a.name: a for a in accounts}
        self._ensure_columns()
        self.clear()
        self._shown = {}
        self._offscreen_stale.clear()
        now = self._clock()
        for account in self._accounts.values():
            cells = self._cells(account, now)
            self._shown[account.name] = [c.plain for c in cells]
            self.add_row(*cells, key=account.name)
        if keep is not None:
            self.select(keep)

    def select(self, name: str) -> None:
        """Move the cursor to the row of account `name`, if shown."""
        with contextlib.suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(name))

    def update_account(self, account: Account) -> None:
        """Redraw the cells of one account's row that changed (no-op when filtered out).

        Every cell update makes the table redraw, so unchanged cells are left alone: a
        sweep of 1,000 accounts then costs a few cells per account, not six.
        """
        if account.name in self._accounts:
            self._accounts[account.name] = account
        if account.name not in self.rows:
            return
        now = self._clock()
        shown = self._shown.setdefault(account.name, [""] * len(self._plan))
        for index, ((key, _label, _width), value) in enumerate(
            zip(self._plan, self._cells(account, now), strict=False)
        ):
            if shown[index] != value.plain:
                shown[index] = value.plain
                self._write_cell(account.name, key, value)

    def _set_cell(self, name: str, key: str, value: Text) -> None:
        """Redraw one cell when its text changed (a redraw costs a table refresh)."""
        index = next((i for i, (k, _label, _width) in enumerate(self._plan) if k == key), None)
        shown = self._shown.get(name)
        if index is None or shown is None or shown[index] == value.plain:
            return
        shown[index] = value.plain
        with contextlib.suppress(CellDoesNotExist):
            self._write_cell(name, key, value)

    # ------------------------------------------------------------------ redraws
    def _on_screen(self, name: str) -> bool:
        """True when the row of `name` is visible (or near it), or the table has no size."""
        index = self._row_locations.get(RowKey(name))
        height = self.scrollable_content_region.height
        if index is None or height <= 0:
            return True
        top = round(self.scroll_y)
        return top - OFFSCREEN_MARGIN <= index < top + height + OFFSCREEN_MARGIN

    def _write_cell(self, name: str, key: str, value: Text) -> None:
        """Put a new value in a cell; redraw the table only when the row is on screen.

        `DataTable.update_cell` bumps one counter that keys all of the table's render
        caches, so the next frame renders every visible row again, and the row order and
        offsets of all rows are rebuilt. Here a row on screen is repainted alone (its
        cached renders evicted, see `table_rows`). During a sweep of 1,000 accounts
        nearly every update is to a row off screen: those only change the stored value
        (the same dict `update_cell` writes), and the first scroll afterwards drops the
        caches once (see `watch_scroll_y`), so a row shows its latest value when it
        appears.
        """
        row, column = RowKey(name), ColumnKey(key)
        if row not in self._data or column not in self._column_locations:
            raise CellDoesNotExist(f"No cell {name!r}/{key!r}")
        self._data[row][column] = value
        index = self._row_locations.get(row)
        if index is not None and self._on_screen(name):
            self._rows.changed(row, index)  # repaints this row alone (see table_rows)
        else:
            self._offscreen_stale.add(row)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Render, after dropping the cached renders of rows whose cells changed."""
        self._rows.evict()
        return super().render_lines(crop)

    def _drop_stale_renders(self) -> None:
        """Repaint the rows now on screen that got new values while off screen."""
        if not self._offscreen_stale:
            return
        if not self._rows.enabled:  # what update_cell does: every cached render is old
            self._offscreen_stale.clear()
            self._update_count += 1
            self.refresh()
            return
        for name in self._names_on_screen():
            row = RowKey(name)
            index = self._row_locations.get(row)
            if row in self._offscreen_stale and index is not None:
                self._offscreen_stale.discard(row)
                self._rows.changed(row, index)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling shows other rows: their ages are brought up to date, and values
        stored while they were off screen count."""
        self._tick_rows(self._names_on_screen())
        self._drop_stale_renders()
        super().watch_scroll_y(old_value, new_value)

    def _names_on_screen(self) -> list[str]:
        """The accounts whose rows are visible (or near), in table order."""
        height = self.scrollable_content_region.height
        if height <= 0:  # not laid out yet: all of them
            return list(self._accounts)
        top = round(self.scroll_y)
        first = max(0, top - OFFSCREEN_MARGIN)
        last = min(self.row_count, top + height + OFFSCREEN_MARGIN)
        keys = (self._row_locations.get_key(index) for index in range(first, last))
        return [key.value for key in keys if key is not None and key.value is not None]

    def tick(self) -> None:
        """Count flood waits down and age "checked" times, redrawing only what changed.

        Called every second: an age shown in seconds moves every second, one shown in
        minutes only when the minute turns. Only rows on screen are aged (with 1,000
        accounts, aging all of them took longer than a frame); a row brought on screen
        by scrolling is aged then (`watch_scroll_y`).
        """
        self._tick_rows(self._names_on_screen())

    def _tick_rows(self, names: list[str]) -> None:
        now = self._clock()
        for name in names:
            account = self._accounts.get(name)
            if account is None or name not in self.rows:
                continue
            if account.status.state is State.FLOOD_WAIT:
                badge = fmt.badge_text(account.status, now, mono=self.app.no_color)
                self._set_cell(account.name, "status", badge)
            age = fmt.relative_time(account.status.checked_at, now, narrow=True)
            self._set_cell(account.name, "checked", cell(age))
            self._set_cell(account.name, "since", cell(since_text(account, now)))

    @property
    def selected_name(self) -> str | None:
        """The account name under the cursor, or None for an empty table."""
        if not self.row_count:
            return None
        try:
            row_key, _column = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return row_key.value

    def on_resize(self, event: events.Resize) -> None:
        """Re-plan columns when the terminal width changes."""
        self._drop_stale_renders()  # a taller table shows rows that were off screen
        if plan_columns(event.size.width) != self._plan:
            self.show(list(self._accounts.values()), select=self.selected_name)
