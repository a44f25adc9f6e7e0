"""Headless output at 80 columns: reasons wrap at words under themselves, names stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountStore, State, Status
from tgtui.accounts.secrets import SecretStore
from tgtui.cli import main
from tgtui.commands.textfmt import UNLIMITED, field, table, width, wrap
from tgtui.config import prepare

HASH = "0123456789abcdef0123456789abcdef"
LONG = (
    "Telegram did not answer within 20 s; the network may block Telegram, try a proxy "
    "or check the firewall of this server before logging in again"
)


def words(text: str) -> list[str]:
    return text.split()


def test_table_wraps_the_last_column_at_words_under_itself() -> None:
    rows = [("NAME", "STATE", "REASON"), ("a-rather-long-account", "OFFLINE", LONG)]
    lines = table(rows, columns=80)
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[1].startswith("a-rather-long-account  OFFLINE  Telegram")
    start = lines[0].index("REASON")
    assert all(line[:start].strip() == "" for line in lines[2:])  # indented under REASON
    assert words(" ".join(line[start:] for line in lines[1:])) == words(LONG)  # no split word


def test_table_puts_the_text_under_a_row_too_wide_for_it() -> None:
    name = "n" * 60
    lines = table([("NAME", "STATE", "REASON"), (name, "OFFLINE", LONG)], columns=80)
    assert lines[1].split() == [name, "OFFLINE"]
    assert all(len(line) <= 80 for line in lines)
    assert words(" ".join(lines[2:])) == words(LONG)


def test_wrap_keeps_long_paths_whole() -> None:
    path = "/home/someone/" + "x" * 90 + "/tgtui.log"
    out = wrap(f"see {path} for details", first="  ! ", indent="    ", columns=80)
    assert path in out.splitlines()[1]
    assert field(f"Log        {path}", columns=80) == f"Log        {path}"


@pytest.fixture
def long_reason_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "80")
    root = prepare(tmp_path / "cfg")
    store = AccountStore(root, SecretStore(mode="off"))
    store.create(
        Account(
            name="office-automation-bot",
            api_id=12345,
            phone="+15551234567",
            status=Status(State.OFFLINE, reason=LONG),
        ),
        HASH,
    )
    return root


def test_list_fits_80_columns(long_reason_store: Path, capsys) -> None:
    assert main(["--config-dir", str(long_reason_store), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[1].startswith("office-automation-bot")
    assert words(" ".join(lines[1:]))[-3:] == words(LONG)[-3:]


def test_doctor_fits_80_columns(long_reason_store: Path, capsys) -> None:
    (long_reason_store / "accounts" / "office-automation-bot").chmod(0o755)
    main(["--config-dir", str(long_reason_store), "doctor", "--no-network"])
    lines = capsys.readouterr().out.splitlines()
    # only a path longer than a line may stick out, and then it stands alone
    too_long = [line for line in lines if len(line) > 80 and len(line.split()) > 2]
    assert not too_long, too_long
    assert any(line.startswith("  ! ") and "office-automation-bot" in line for line in lines)


def test_output_to_a_pipe_is_not_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert width() == UNLIMITED  # pytest captures stdout: not a terminal
    monkeypatch.setenv("COLUMNS", "80")
    assert width() == 80
