"""Small read-only panes of the main screen: details of the selection, summary, first run."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from tgtui.accounts.model import Account, State
from tgtui.i18n import N_, _, language, ngettext
from tgtui.ui import format as fmt
from tgtui.ui.errors import best_pitfall

KEY = "bold"
DIM = "dim"


def account_summary(
    account: Account, now: datetime, *, problem: bool = True, mono: bool = False
) -> Text:
    """A few lines about one account: who, where, state, and the last problem (`mono`:
    styled for NO_COLOR)."""
    st = account.status
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(account.name, style=KEY)
    if account.label and account.label != account.name:
        text.append(f" · {account.label}")
    text.append(f" · {fmt.phone_text(account)}", style=DIM)
    if account.server:  # not Telegram's production: say where (the pane has 5 lines)
        from tgtui.accounts import servers

        text.append(f" · {servers.describe(account.server)} {servers.address(account.server)}")
    user_word, status_word = _("User"), _("Status")
    width = max(len(user_word), len(status_word)) + 1  # the values start in one column
    text.append("\n" + user_word.ljust(width), style=DIM)
    if account.user:
        user = account.user
        full = " ".join(p for p in (user.first_name, user.last_name) if p)
        text.append(user.display)
        if full and user.username:
            text.append(f" ({full})")
        text.append(" · " + _("id {id}").format(id=user.id), style=DIM)
    else:
        text.append(_("not known yet"))
    text.append("\n" + status_word.ljust(width), style=DIM)
    text.append_text(fmt.badge_text(st, now, mono=mono))
    text.append(" · " + _("checked {when}").format(when=fmt.relative_time(st.checked_at, now)))
    if st.latency_ms is not None:
        text.append(f" · {fmt.latency_text(st.latency_ms)}")
    text.append("\nDC ", style=DIM)
    text.append(str(st.dc) if st.dc is not None else "?")
    text.append(" · 2FA ", style=DIM)
    text.append(fmt.yes_no(st.two_fa))
    text.append(" · " + _("other sessions") + " ", style=DIM)
    text.append(str(st.other_sessions) if st.other_sessions is not None else "?")
    if account.proxy:
        text.append(" · " + _("proxy") + " ", style=DIM)
        text.append(f"{account.proxy.kind} {account.proxy.host}:{account.proxy.port}")
    line = problem_line(account, mono=mono) if problem else None
    if line is not None:
        text.append("\n")
        text.append_text(line)
    return text


def problem_line(account: Account, *, mono: bool = False) -> Text | None:
    """`Problem  <error> — <pitfall title>` for an unhealthy account, else None."""
    st = account.status
    if st.state in (State.OK, State.CHECKING, State.UNKNOWN) and not st.error:
        return None
    reason = st.reason_text  # kept in English on disk, shown in the interface language
    error = st.error or reason or st.state.value.upper()
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(_("Problem") + " ", style=fmt.alarm(mono))
    text.append(error)
    pitfall = best_pitfall(st.error, "session") if st.error else None
    if pitfall is not None:
        text.append(f" — {pitfall.wording(language()).title}")
    elif reason and reason != error:
        text.append(f" — {reason}")
    return text


#: Keys that carry out a pitfall's action on the details screen.
ACTION_KEYS = {
    "relogin": "l",
    "delete_session_relogin": "l",
    "set_proxy": "e",
    "edit_credentials": "l",
    "retry": N_("r in the list"),
}


def problem_text(account: Account, now: datetime, *, mono: bool = False) -> Text | None:
    """The matching pitfall: title, numbered fix steps and what tgtui can do; or None."""
    st = account.status
    if st.state in (State.OK, State.CHECKING, State.UNKNOWN) and not st.error:
        return None
    from tgtui.troubleshoot.knowledge import action_label
    from tgtui.troubleshoot.model import fill_wait

    lang = language()
    pitfall = best_pitfall(st.error, "session") if st.error else None
    text = Text()
    text.append(_("Problem:") + " ", style=fmt.alarm(mono))
    text.append(st.error or st.state.value.upper())
    if st.reason:
        text.append(f" — {st.reason_text}")
    if pitfall is None:
        return text
    seconds = fmt.flood_left(st, now)
    words = pitfall.wording(lang)
    text.append("\n")
    text.append(fill_wait(words.title, seconds, lang), style="bold")
    for n, step in enumerate(words.fix, 1):
        text.append(f"\n {n}. {fill_wait(step, seconds, lang)}")
    if pitfall.action:
        key = ACTION_KEYS.get(pitfall.action)
        text.append("\n" + _("tgtui can:") + " ", style="dim")
        text.append(action_label(pitfall.action, lang))
        if key:
            text.append(" " + _("(press {key})").format(key=_(key)), style="bold")
    return text


class DetailsPane(Static):
    """The selected account, under the list."""

    _shown: Text | None = None

    def show_account(self, account: Account | None, now: datetime) -> None:
        """Show `account`, or a hint when nothing is selected."""
        # The pane has a fixed height: no layout pass needed (cursor moves stay cheap).
        if account is None:
            text = Text(_("No account selected."), style=DIM)
        else:
            text = account_summary(account, now, mono=self.app.no_color)
        if text != self._shown:  # redrawn every second: only when something changed
            self._shown = text
            self.update(text, layout=False)


class SummaryLine(Static):
    """`6 accounts · 2 OK · 4 need attention · secrets: <where>`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[list[Account], str | None, str | None] | None = None

    def show_counts(
        self, accounts: list[Account], secrets: str | None, tiny: str | None = None
    ) -> None:
        """Count the accounts by health and say where secrets are kept (in one word,
        `tiny`, when the line would not fit otherwise)."""
        self._shown = (accounts, secrets, tiny)
        text = self._line(accounts, secrets)
        width = self.content_size.width
        if tiny and width and text.cell_len > width:
            text = self._line(accounts, tiny)
        self.update(text, layout=False)  # one fixed-height line

    def on_resize(self) -> None:
        """Choose again between the long and the short word for the new width."""
        if self._shown is not None:
            self.show_counts(*self._shown)

    @staticmethod
    def _line(accounts: list[Account], secrets: str | None) -> Text:
        total = len(accounts)
        ok = sum(1 for a in accounts if a.status.state is State.OK)
        attention = sum(
            1 for a in accounts if a.status.state not in (State.OK, State.CHECKING, State.UNKNOWN)
        )
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(ngettext("{n} account", "{n} accounts", total).format(n=total), style=KEY)
        text.append(" · " + ngettext("{n} OK", "{n} OK", ok).format(n=ok))
        text.append(
            " · "
            + ngettext("{n} needs attention", "{n} need attention", attention).format(n=attention)
        )
        text.append(" · " + _("secrets:") + " ", style=DIM)
        text.append(secrets or _("checking…"))
        return text


EMPTY_TEXT = N_(
    "No Telegram accounts yet.\n\n"
    "Each account needs an api_id (a number) and an api_hash (a 32-character code) that "
    "you create once at my.telegram.org, under API development tools.\n"
    "tgtui then logs in with your phone number and the code Telegram sends you.\n\n"
)


class EmptyState(Static):
    """The first-run panel: what api_id/api_hash are and how to add the first account."""

    def on_mount(self) -> None:
        """Render the fixed help text (plain text, no markup)."""
        self.retranslate()

    def retranslate(self) -> None:
        """The text in the interface language."""
        text = Text(_(EMPTY_TEXT))
        text.append(_("Press") + " ")
        text.append("a", style="bold reverse")
        text.append(" " + _("to add your first account") + " · ")
        text.append("?", style="bold reverse")
        text.append(" " + _("help") + " · ")
        text.append("q", style="bold reverse")
        text.append(" " + _("quit"))
        self.update(text)
