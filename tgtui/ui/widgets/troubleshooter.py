"""The troubleshooter panel: known pitfalls of a step, the one matching an error, search.

It shows the pitfalls of the current stage collapsed to their titles. When an error
happens (`show_failure`) the best-matching pitfall opens, highlighted, with its fix, and
its in-app action is offered on one key (F5 by default) that the host screen binds and
forwards to `run_offer()`. The host receives `Troubleshooter.ActionRequested` and does it.
The wait-and-retry action counts the flood wait down live and fires when it ends.

Everything from Telegram is shown as plain text (rich `Text`, never markup).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Static

from tgtui.failure import Failure
from tgtui.i18n import _, language
from tgtui.troubleshoot.knowledge import action_label, for_stage, stage_heading
from tgtui.troubleshoot.matcher import match
from tgtui.troubleshoot.model import Pitfall, fill_wait, format_wait
from tgtui.troubleshoot.search import lookup
from tgtui.ui import keys

#: How often the live countdown is refreshed, in seconds.
TICK = 0.25
#: Failures after which the login code is void: sending it "another way" is not the
#: point any more, a new code is.
CODE_GONE = frozenset({"PHONE_CODE_EXPIRED"})


def pitfall_body(p: Pitfall, seconds: float | None = None, offer: str | None = None) -> Text:
    """What you see, why, and the numbered fix of a pitfall, as plain text, in the
    interface language."""
    lang = language()
    w = p.wording(lang)
    text = Text()
    text.append(_("What you see:") + " ", style="bold")
    text.append(fill_wait(w.see, seconds, lang) + "\n")
    text.append(_("Why:") + " ", style="bold")
    text.append(fill_wait(w.cause, seconds, lang) + "\n")
    text.append(_("What to do:") + "\n", style="bold")
    for n, step in enumerate(w.fix, 1):
        text.append(f"{n}. {fill_wait(step, seconds, lang)}\n")
    for link in p.links:
        text.append(link + "\n", style="underline")
    if offer:
        text.append(offer, style="bold reverse")
    text.rstrip()
    return text


class SearchInput(Input):
    """The troubleshooter's search box; Escape closes it instead of leaving the screen."""

    BINDINGS = keys.bindings(keys.SEARCH_BOX)

    class Close(Message):
        """Escape was pressed in the search box."""

    def action_close(self) -> None:
        """Ask the troubleshooter to close the search."""
        self.post_message(self.Close())


class Troubleshooter(Vertical):
    """Pitfalls of one stage; the matching one opened on error; searchable by words."""

    DEFAULT_CSS = """
    Troubleshooter {
        height: 1fr;
        width: 1fr;
    }
    Troubleshooter #ts-heading { height: auto; padding: 0 1; text-style: bold; }
    Troubleshooter #ts-error { height: auto; padding: 0 1; color: $error; }
    Troubleshooter #ts-offer { height: auto; padding: 0 1; color: $warning; text-style: bold; }
    Troubleshooter #ts-search { display: none; }
    Troubleshooter.-searching #ts-search { display: block; }
    Troubleshooter #ts-list { height: 1fr; }
    Troubleshooter Collapsible { padding: 0; border-top: none; }
    Troubleshooter CollapsibleTitle { width: 1fr; }
    Troubleshooter Collapsible Contents { padding: 0 0 0 2; }
    Troubleshooter Collapsible.-matched { background: $warning 15%; }
    Troubleshooter Collapsible.-matched CollapsibleTitle { text-style: bold; color: $warning; }
    """

    BINDINGS = keys.bindings(keys.TROUBLESHOOTER)

    class ActionRequested(Message):
        """The person asked for a pitfall's in-app action (an id of `ACTIONS`)."""

        def __init__(self, action: str, failure: Failure | None, pitfall: Pitfall | None) -> None:
            super().__init__()
            self.action = action
            self.failure = failure
            self.pitfall = pitfall

    class SearchClosed(Message):
        """The search box was closed with Escape."""

    def __init__(
        self,
        stage: str = "credentials",
        *,
        offer_key: str = "F5",
        clock: Callable[[], float] = time.time,
        show_error: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.stage = stage
        self.offer_key = offer_key
        self.clock = clock
        self.show_error = show_error
        self.failure: Failure | None = None
        self.matched: Pitfall | None = None
        self.wait_until: float | None = None
        self.armed = False
        self._query = ""
        self._found: list[Pitfall] = []
        self._timer: Timer | None = None
        self._generation = 0
        self._shown: tuple[list[Pitfall] | None, bool] = (None, False)  # _refresh's args

    # ------------------------------------------------------------------ compose
    def compose(self) -> ComposeResult:
        yield Static(id="ts-heading", markup=False)
        yield SearchInput(
            compact=True,
            placeholder=_("Describe the problem, e.g. code never arrives"),
            id="ts-search",
        )
        yield Static(id="ts-error", markup=False)
        yield Static(id="ts-offer", markup=False)
        yield VerticalScroll(id="ts-list", can_focus=False)

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK, self._tick, pause=True)
        self.call_later(self._refresh)

    # ------------------------------------------------------------------ public API
    @property
    def searching(self) -> bool:
        """True while search results (not the stage's list) are shown."""
        return self.has_class("-searching") and bool(self._query.strip())

    @property
    def offered(self) -> Pitfall | None:
        """The pitfall whose fix the key does: the first search result while searching
        (the one shown open), else the one matching the error."""
        if self.searching:
            return self._found[0] if self._found else None
        return self.matched

    @property
    def offer(self) -> str | None:
        """The action id offered on the key now, or None."""
        offered = self.offered
        return offered.action if offered is not None else None

    @property
    def offer_label(self) -> str:
        """The text of the offer line (empty when nothing is offered)."""
        action = self.offer
        if action is None:
            return ""
        if action == "wait_retry":
            left = self.wait_left()
            if left > 0:
                if self.armed:
                    what = _("waiting {time}, then retrying")
                else:
                    what = _("wait {time} and retry")
                return f"{self.offer_key} {what.format(time=format_wait(left))}"
            return self.offer_key + " " + _("retry now")
        return f"{self.offer_key} {self.action_label(action)}"

    def action_label(self, action: str) -> str:
        """What the offer key does, in words that fit the failure shown."""
        failure = self.failure if self.offered is self.matched else None
        if action == "resend_code" and failure is not None and failure.name in CODE_GONE:
            return _("send a new code")
        return action_label(action, language())

    def wait_left(self) -> float:
        """Seconds left of the flood wait (0 when none or over)."""
        if self.wait_until is None:
            return 0.0
        return max(0.0, self.wait_until - self.clock())

    def show_stage(self, stage: str) -> None:
        """List the pitfalls of `stage`, all collapsed; forget any error shown."""
        self.stage = stage
        self.clear_failure()

    def show_failure(self, failure: Failure, stage: str | None = None) -> Pitfall | None:
        """Open and highlight the pitfall matching `failure`; return it (None if none)."""
        if stage:
            self.stage = stage
        self._close_search()  # the error's fix is offered now, not a search result's
        self.failure = failure
        found = match(failure, stage or failure.stage or self.stage)
        self.matched = found[0] if found else None
        self.armed = False
        self.wait_until = None
        if self.offer == "wait_retry" and failure.seconds:
            self.wait_until = self.clock() + failure.seconds
        self._refresh(found[:3])
        return self.matched

    def clear_failure(self) -> None:
        """Back to the plain list of the stage."""
        self.failure = None
        self.matched = None
        self.wait_until = None
        self.armed = False
        self._refresh()

    def run_offer(self) -> bool:
        """Do the offered action (the host calls this on the offer key). False if none."""
        action = self.offer
        if action is None:
            return False
        if action == "wait_retry" and self.wait_left() > 0:
            self.armed = True
            self._update_offer()
            return True
        self._fire(action)
        return True

    def open_search(self, text: str = "") -> None:
        """Show the search box, focused."""
        self.add_class("-searching")
        box = self.query_one(SearchInput)
        if text:
            box.value = text
        box.focus()

    def search(self, text: str) -> list[Pitfall]:
        """Show the pitfalls matching `text` (words or an error name) and return them."""
        self._query = text
        found = lookup(text) if text.strip() else []
        self._found = found
        self._refresh(found, searching=True)
        return found

    # ------------------------------------------------------------------ internals
    def _fire(self, action: str) -> None:
        self.armed = False
        pitfall = self.offered
        failure = self.failure if pitfall is self.matched else None  # a search result's fix
        self.post_message(self.ActionRequested(action, failure, pitfall))

    def _tick(self) -> None:
        if self.offer != "wait_retry" or self.wait_until is None:
            return
        self._update_offer()
        if self.armed and self.wait_left() <= 0:
            self._fire("wait_retry")
            self._update_offer()

    def _update_offer(self) -> None:
        if not self.is_mounted:
            return
        label = self.offer_label
        offer = self.query_one("#ts-offer", Static)
        offer.update(Text(label))
        offer.display = bool(label)
        if self._timer is not None:
            if self.wait_until is not None and self.offer == "wait_retry":
                self._timer.resume()
            else:
                self._timer.pause()

    def retranslate(self) -> None:
        """Redraw in the interface language: the same pitfalls, open or closed as they were."""
        if not self.is_mounted:
            return
        self.query_one(SearchInput).placeholder = _("Describe the problem, e.g. code never arrives")
        opened = {
            c.id.split("-", 2)[2]
            for c in self.query("#ts-list Collapsible").results(Collapsible)
            if c.id and not c.collapsed
        }
        found, searching = self._shown
        self._refresh(found, searching, opened=opened)

    def _refresh(
        self,
        found: list[Pitfall] | None = None,
        searching: bool = False,
        *,
        opened: set[str] | None = None,
    ) -> None:
        if not self.is_mounted:
            return
        self._shown = (found, searching)
        heading = self.query_one("#ts-heading", Static)
        error = self.query_one("#ts-error", Static)
        if searching:
            heading.update(Text(_("Help: search results")))
        else:
            title = stage_heading(self.stage, language())
            heading.update(Text(_("Help: {title}").format(title=title)))
        if self.failure is not None and not searching and self.show_error:
            error.update(Text(_("Telegram said: {failure}").format(failure=self.failure)))
            error.display = True
        else:
            error.display = False
        self._update_offer()
        if searching:
            pitfalls = found or []
        else:
            pitfalls = list(found or [])
            with contextlib.suppress(ValueError):
                pitfalls += [p for p in for_stage(self.stage) if p not in pitfalls]
        self._fill(pitfalls, searching, opened)

    def _fill(self, pitfalls: list[Pitfall], searching: bool, opened: set[str] | None) -> None:
        box = self.query_one("#ts-list", VerticalScroll)
        box.remove_children()
        self._generation += 1
        seconds = self.failure.seconds if self.failure is not None else None
        lang = language()
        widgets: list[Widget] = []
        for i, p in enumerate(pitfalls):
            matched = not searching and p is self.matched
            offer = None
            if (matched or (searching and i == 0)) and p.action:
                offer = f"{self.offer_key}: {self.action_label(p.action)}"
            body = Static(pitfall_body(p, seconds, offer), markup=False, classes="ts-body")
            shown_open = matched or (searching and i == 0)
            if opened is not None:
                shown_open = p.id in opened
            widgets.append(
                Collapsible(
                    body,
                    title=escape(fill_wait(p.wording(lang).title, seconds, lang)),
                    collapsed=not shown_open,
                    id=f"ts-{self._generation}-{p.id}",
                    classes="-matched" if matched else "",
                )
            )
        if not widgets:
            note = _("Nothing matches those words; try others.") if searching else ""
            widgets.append(Static(Text(note), markup=False))
        box.mount_all(widgets)
        box.scroll_home(animate=False)

    def _close_search(self) -> None:
        self.remove_class("-searching")

    # ------------------------------------------------------------------ events
    def action_search(self) -> None:
        """`/`: open the search box."""
        self.open_search()

    @on(Input.Changed, "#ts-search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    @on(Input.Submitted, "#ts-search")
    def _on_search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)
        first = self.query("#ts-list CollapsibleTitle")
        if first:
            first.first().focus()

    @on(SearchInput.Close)
    def _on_search_close(self, event: SearchInput.Close) -> None:
        event.stop()
        self._close_search()
        self.query_one(SearchInput).value = ""
        self._refresh()
        self.post_message(self.SearchClosed())
