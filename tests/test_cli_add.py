"""`tgtui add NAME`: the login as plain prompts, driven by scripted answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import API_HASH, API_ID, PHONE, make_sim, tg_with_accounts
from test_telegram_support import pending_sessions

from tgtui.cli import main
from tgtui.commands import prompts
from tgtui.commands.common import override_telegram


@pytest.fixture
def sim():
    return make_sim(seed=3)


@pytest.fixture
def tg(tmp_path: Path, sim):
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim)) as tg:
        yield tg


def _add(answers: list, *args: str) -> tuple[int, prompts.Scripted]:
    scripted = prompts.Scripted(answers)
    with prompts.use(scripted):
        return main(["add", *args]), scripted


def test_code_login_with_a_wrong_code_first(tg, sim, capsys) -> None:
    code, p = _add(
        [str(API_ID), API_HASH, PHONE, "00000", lambda q: sim.last_code(PHONE)],
        "work",
        "--label",
        "Work",
    )
    assert code == 0, p.said
    assert p.asked == [
        "api_id (from my.telegram.org): ",
        "api_hash (typing is hidden): ",
        "Phone number, with country code: ",
        "Code (r = send it again): ",
        "Code (r = send it again): ",
    ]
    assert any(line.startswith("Code sent: ") for line in p.said)
    assert "  Telegram says the login code is wrong" in p.said  # the best pitfall
    out = capsys.readouterr().out
    assert "Added 'work' (@ann)." in out
    account = tg.store.get("work")
    assert account.label == "Work" and account.phone == PHONE and account.user.username == "ann"
    assert API_HASH not in "".join(p.said) + out


def test_flags_and_env_skip_prompts_and_2fa_shows_the_hint(tg, sim, monkeypatch) -> None:
    sim.set_password(PHONE, "s3cret", hint="cat")
    monkeypatch.setenv("MY_HASH", API_HASH)
    code, p = _add(
        [lambda q: sim.last_code(PHONE), "nope", "s3cret"],
        "work",
        "--api-id",
        str(API_ID),
        "--api-hash-env",
        "MY_HASH",
        "--phone",
        PHONE,
    )
    assert code == 0, p.said
    assert p.asked[1:] == ["Two-step verification password (hint: cat): "] * 2
    assert "  Telegram says my password is wrong" in p.said
    assert tg.store.get("work").status.two_fa is True


def test_bad_credentials_are_asked_again(tg, sim) -> None:
    code, p = _add(
        ["12x", API_HASH, str(API_ID), API_HASH, PHONE, lambda q: sim.last_code(PHONE)], "work"
    )
    assert code == 0
    assert p.asked.count("api_id (from my.telegram.org): ") == 2
    assert any("digits only" in line for line in p.said)


def test_ctrl_c_at_the_code_cancels_and_leaves_nothing(tg) -> None:
    code, p = _add([str(API_ID), API_HASH, PHONE, "^C"], "work")
    assert code == 130
    assert "Cancelled; nothing was saved." in p.said
    assert tg.store.names() == [] and pending_sessions(tg) == []


def test_end_of_input_cancels_with_exit_2(tg) -> None:
    code, _ = _add([str(API_ID)], "work")
    assert code == 2 and tg.store.names() == [] and pending_sessions(tg) == []


def test_qr_login_against_the_simulator(tg) -> None:
    code, p = _add([str(API_ID), API_HASH], "work", "--qr")
    assert code == 0, p.said
    assert any("█" in line or "▀" in line for line in p.said)  # the QR code
    assert tg.store.get("work").user.username == "ann"


def test_bad_name_or_env_is_exit_2(tg, capsys) -> None:
    assert main(["add", "Not OK"]) == 2
    assert "a-z" in capsys.readouterr().err
    assert main(["add", "work", "--api-hash-env", "UNSET_VAR_X"]) == 2
    assert capsys.readouterr().err == (
        "tgtui: $UNSET_VAR_X is not set or empty; export the api_hash in it first.\n"
    )


def test_demo_prints_the_simulated_code_and_adds(capsys) -> None:
    from tgtui.telegram import demo

    scripted = prompts.Scripted([])

    def code_from_hint(_q: str) -> str:
        hint = next(x for x in reversed(scripted.said) if x.startswith("(demo) the simulated"))
        return hint.split()[-1]

    scripted.answers = [
        str(demo.DEMO_API_ID),
        demo.DEMO_API_HASH,
        demo.DEMO_2FA_PHONE,
        code_from_hint,
        demo.DEMO_PASSWORD,
    ]
    with prompts.use(scripted):
        code = main(["--demo", "add", "newone"])
    assert code == 0, scripted.said
    assert scripted.said[0].startswith("(demo) use api_id")
    assert "Added 'newone' (@sam_2fa)." in capsys.readouterr().out
