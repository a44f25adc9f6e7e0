"""The embedded troubleshooter on its own: stage list, match on error, search, countdown."""

from __future__ import annotations

from conftest import Clock
from textual.app import App, ComposeResult
from textual.widgets import Collapsible, Static

from tgtui.failure import Failure
from tgtui.ui.widgets.troubleshooter import SearchInput, Troubleshooter

START = 1_800_000_000.0


class HelpApp(App[None]):
    BINDINGS = [("f5", "fix", "Fix"), ("f1", "search", "Search")]

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.actions: list[str] = []

    def compose(self) -> ComposeResult:
        yield Troubleshooter("code", clock=self.clock)

    def action_fix(self) -> None:
        self.query_one(Troubleshooter).run_offer()

    def action_search(self) -> None:
        self.query_one(Troubleshooter).open_search()

    def on_troubleshooter_action_requested(self, event: Troubleshooter.ActionRequested) -> None:
        self.actions.append(event.action)


def expanded(app: App) -> list[Collapsible]:
    return [c for c in app.query(Collapsible) if not c.collapsed]


async def test_stage_list_is_collapsed() -> None:
    app = HelpApp(Clock(START))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert len(app.query(Collapsible)) >= 3
        assert expanded(app) == []


async def test_error_opens_matching_pitfall_with_plain_text_message() -> None:
    app = HelpApp(Clock(START))
    async with app.run_test(size=(80, 30)) as pilot:
        help_ = app.query_one(Troubleshooter)
        failure = Failure("PHONE_CODE_EXPIRED", "expired [bold]x[/] [/y]", stage="code")
        matched = help_.show_failure(failure, "code")
        await pilot.pause()
        assert matched is not None and matched.id == "phone-code-expired"
        opened = expanded(app)
        assert len(opened) == 1 and opened[0].has_class("-matched")
        error = app.query_one("#ts-error", Static)
        assert "[bold]x[/] [/y]" in str(error.render())
        assert help_.offer == "resend_code"
        await pilot.press("f5")
        await pilot.pause()
        assert app.actions == ["resend_code"]


async def test_flood_wait_counts_down_and_fires_when_over() -> None:
    clock = Clock(START)
    app = HelpApp(clock)
    async with app.run_test(size=(80, 30)) as pilot:
        help_ = app.query_one(Troubleshooter)
        help_.show_failure(Failure("FLOOD_WAIT", "wait", seconds=42, stage="code"), "code")
        await pilot.pause()
        assert help_.offer == "wait_retry"
        assert help_.offer_label == "F5 wait 0:42 and retry"
        await pilot.press("f5")
        clock.now += 30
        await pilot.pause(0.3)
        assert "0:12" in str(app.query_one("#ts-offer", Static).render())
        assert app.actions == []
        clock.now += 13
        await pilot.pause(0.4)
        assert app.actions == ["wait_retry"]


async def test_search_finds_code_never_arrives() -> None:
    app = HelpApp(Clock(START))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.focused, SearchInput)
        for key in "code never arrives":
            await pilot.press("space" if key == " " else key)
        await pilot.pause()
        first = app.query(Collapsible).first()
        assert "login-code-not-arriving" in (first.id or "")
        assert not first.collapsed
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one(Troubleshooter).has_class("-searching")


async def test_expired_code_offers_a_new_code_not_another_way() -> None:
    app = HelpApp(Clock(START))
    async with app.run_test(size=(80, 30)) as pilot:
        help_ = app.query_one(Troubleshooter)
        help_.show_failure(Failure("PHONE_CODE_EXPIRED", "expired", stage="code"), "code")
        await pilot.pause()
        assert help_.offer == "resend_code"
        assert help_.offer_label == "F5 send a new code"
        help_.show_failure(Failure("SOMETHING", "the code never arrives", stage="code"), "code")
        await pilot.pause()
        assert help_.offer == "resend_code"
        assert help_.offer_label == "F5 send the code another way"


async def test_after_a_search_f5_offers_the_fix_shown_not_the_previous_one() -> None:
    app = HelpApp(Clock())
    async with app.run_test(size=(80, 30)) as pilot:
        help_ = app.query_one(Troubleshooter)
        help_.show_failure(Failure("PHONE_CODE_EXPIRED", "expired", stage="code"), "code")
        await pilot.pause()
        assert help_.offer == "resend_code"
        await pilot.press("f1", *"proxy")
        await pilot.pause()
        offer = str(help_.query_one("#ts-offer", Static).render())
        assert "send a new code" not in offer and "proxy" in offer.lower()
        await pilot.press("f5")
        await pilot.pause()
        assert app.actions == ["set_proxy"]
        await pilot.press("escape")  # closing the search brings the error's fix back
        await pilot.pause()
        assert help_.offer == "resend_code"
        assert "send a new code" in str(help_.query_one("#ts-offer", Static).render())
