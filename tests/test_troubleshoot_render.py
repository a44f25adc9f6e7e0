"""What `tgtui troubleshoot` prints and the exit codes a script can rely on."""

from __future__ import annotations

import io

import pytest

from tgtui.failure import Failure
from tgtui.troubleshoot import all_pitfalls, get
from tgtui.troubleshoot.render import render_index, render_text, run


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_no_rendered_line_is_wider_than_asked(width: int) -> None:
    text = render_text(all_pitfalls(), width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    index = render_index(width=width)
    assert max(len(line) for line in index.splitlines()) <= width


def test_a_rendered_pitfall_shows_every_part() -> None:
    p = get("api-id-published")
    text = render_text([p])
    flat = " ".join(text.split())
    assert p.title in text
    assert " ".join(p.see.split()) in flat
    assert " ".join(p.cause.split()) in flat
    assert "1. " in text and f"{len(p.fix)}. " in text
    assert "https://core.telegram.org/api/obtaining_api_id" in text
    assert "fix api_id / api_hash" in text


def test_rendering_fills_the_wait_time() -> None:
    text = render_text([get("flood-wait")], failure=Failure("FLOOD_WAIT", seconds=61))
    assert "1:01" in text and "{wait}" not in text


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(list(args), out)
    return code, out.getvalue()


def test_run_with_an_error_name_explains_it() -> None:
    code, text = _run("FLOOD_WAIT_300")
    assert code == 0
    assert "5:00" in text
    assert get("flood-wait").title in text


def test_run_with_a_telethon_class_name() -> None:
    code, text = _run("PhoneCodeExpiredError")
    assert code == 0 and get("phone-code-expired").title in text


def test_run_with_words_searches() -> None:
    code, text = _run("code", "never", "arrives")
    assert code == 0
    assert text.index(get("login-code-not-arriving").title) < text.index("Fix:")


def test_run_with_a_bare_error_word_finds_the_form_pitfall() -> None:
    code, text = _run("ERROR")
    assert code == 0 and get("portal-form-error").title in text


def test_run_with_a_pitfall_id_shows_it() -> None:
    code, text = _run("session-locked")
    assert code == 0 and get("session-locked").title in text


def test_run_with_nothing_matching_says_how_to_list_all() -> None:
    code, text = _run("xyzzy")
    assert code == 1
    assert "no arguments" in text and "xyzzy" in text


def test_run_without_arguments_lists_every_title_by_stage() -> None:
    code, text = _run()
    assert code == 0
    flat = " ".join(text.split())
    for p in all_pitfalls():
        assert p.title in flat, p.id
    assert "Login code" in text and "QR code login" in text
    assert text.index("my.telegram.org") < text.index("Saved sessions")
    assert max(len(line) for line in text.splitlines()) <= 80


def test_run_with_a_pasted_telethon_message_finds_the_wait() -> None:
    code, text = _run(
        "telethon.errors.rpcerrorlist.FloodWaitError: A wait of 125 seconds is required"
        " (caused by SendCodeRequest)"
    )
    assert code == 0
    assert text.index(get("flood-wait").title) < text.index("Fix:")
    assert "2:05" in text
