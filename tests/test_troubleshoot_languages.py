"""Every pitfall in English and Russian, and `tgtui troubleshoot` answering in the asker's."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest

from tgtui.troubleshoot import ACTIONS, STAGES, KnowledgeError, all_pitfalls, get
from tgtui.troubleshoot.knowledge import action_label, parse, stage_heading
from tgtui.troubleshoot.render import render_text, run
from tgtui.troubleshoot.search import lookup, rank

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _ru(pitfall_id: str):  # noqa: ANN202 - a Wording, looked up for brevity
    p = get(pitfall_id)
    assert p is not None and p.ru is not None
    return p.ru


def test_every_pitfall_is_written_in_english_and_in_russian() -> None:
    missing = [p.id for p in all_pitfalls() if p.languages != ("en", "ru")]
    assert not missing, f"pitfalls without a Russian [pitfall.ru] table: {missing}"
    for p in all_pitfalls():
        en, ru = p.wording("en"), p.wording("ru")
        for text in (ru.title, ru.see, ru.cause, *ru.fix):
            assert CYRILLIC.search(text), (p.id, text)
        assert ru.keywords, p.id
        # The same steps, in the same number, with the wait time kept where it is used.
        assert len(ru.fix) == len(en.fix), p.id
        for step in ru.fix:
            assert step[0].isupper() and step.endswith((".", "»")), (p.id, step)
        en_text = " ".join((en.title, en.see, en.cause, *en.fix))
        ru_text = " ".join((ru.title, ru.see, ru.cause, *ru.fix))
        assert ("{wait}" in en_text) == ("{wait}" in ru_text), p.id


def test_the_russian_uses_telegrams_own_words_consistently() -> None:
    # Telegram's Russian interface: «сеансы», «устройства», «код подтверждения»,
    # «облачный пароль», «двухэтапная аутентификация». Slang belongs in keywords only.
    slang = ("сесси", "двухфактор", "2fa", "верификац")
    for p in all_pitfalls():
        ru = p.wording("ru")
        body = " ".join((ru.title, ru.see, ru.cause, *ru.fix)).lower()
        assert not [w for w in slang if w in body], (p.id, body)
    assert "Настройки › Устройства" in " ".join(_ru("session-revoked").fix)
    assert "облачный пароль" in _ru("session-password-needed").fix[0]
    assert "двухэтапная аутентификация" in _ru("session-password-needed").cause
    assert "Код подтверждения" in _ru("login-code-not-arriving").title


def test_stage_headings_and_action_labels_exist_in_russian() -> None:
    for stage in STAGES:
        assert CYRILLIC.search(stage_heading(stage, "ru")), stage
        assert stage_heading(stage, "en") == STAGES[stage]
    for action in ACTIONS:
        assert CYRILLIC.search(action_label(action, "ru")), action
        assert action_label(action, "en") == ACTIONS[action]


MINIMAL = """
[[pitfall]]
id = "x-y"
title = "Something breaks"
stages = ["code"]
see = "It breaks."
cause = "Because."
fix = ["Wait."]
"""


def test_a_pitfall_without_russian_still_loads_and_reads_in_english() -> None:
    (p,) = parse(MINIMAL)
    assert p.languages == ("en",)
    assert p.wording("ru").title == "Something breaks"


@pytest.mark.parametrize(
    "table",
    [
        '[pitfall.ru]\ntitle = "Ломается"\nsee = "Да."\ncause = "Так."\nfix = []',
        '[pitfall.ru]\ntitle = "Ломается"\nsee = "Да."\nfix = ["Ждите."]',
        '[pitfall.ru]\ntitle = "Ломается"\nsee = "Да."\ncause = "Так."\nfix = ["Ждите."]\nx = 1',
        '[ru.actions]\ndance = "танцевать"',
    ],
)
def test_the_loader_rejects_broken_russian(table: str) -> None:
    from tgtui.troubleshoot.knowledge import _document, parse_labels

    def load(text: str) -> None:
        parse(text)
        parse_labels(_document(text))

    load(MINIMAL)
    with pytest.raises(KnowledgeError):
        load(MINIMAL + table)


ENGLISH_ONLY = """
[[pitfall]]
id = "only-english"
title = "The login code never shows up"
stages = ["code"]
see = "No code arrives."
cause = "It went to another device."
fix = ["Look in the Telegram chat."]

[[pitfall]]
id = "other"
title = "The proxy refuses the connection"
stages = ["environment"]
see = "A proxy error."
cause = "The proxy is down."
fix = ["Check the proxy."]
"""


def test_a_russian_query_finds_a_pitfall_written_only_in_english() -> None:
    pitfalls = parse(ENGLISH_ONLY)
    assert [p.id for p, _ in rank("код не приходит", pitfalls)][:1] == ["only-english"]
    assert [p.id for p, _ in rank("прокси не работает", pitfalls)][:1] == ["other"]


def test_an_english_query_finds_the_russian_wording_of_the_same_pitfall() -> None:
    # Each pitfall is one record in both languages: whichever words match, it is found,
    # and shown in the language asked for.
    p = lookup("cloud password forgotten")[0]
    assert p.id == "forgot-2fa-password"
    assert lookup("забыл облачный пароль")[0] is p


def _run(*args: str, lang: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    return run(list(args), out, lang=lang), out.getvalue()


def test_a_cyrillic_query_is_answered_in_russian() -> None:
    code, text = _run("код", "не", "пришел")
    assert code == 0
    assert text.startswith("Известные проблемы по запросу «код не пришел»")
    assert text.index(_ru("login-code-not-arriving").title) < text.index("Что делать:")
    assert "You see:" not in text and "Fix:" not in text
    assert "В tgtui:  прислать код другим способом" in text


def test_lang_overrides_the_language_of_the_query() -> None:
    code, text = _run("код", "не", "пришел", lang="en")
    assert code == 0 and get("login-code-not-arriving").title in text and "Fix:" in text
    code, text = _run("FLOOD_WAIT_300", lang="ru")
    assert code == 0 and text.startswith("Что значит FLOOD_WAIT_300 (ждать 5:00)")
    assert "Подождите 5:00" in text
    code, text = _run("FLOOD_WAIT_300")
    assert "Wait 5:00" in text and "Подождите" not in text


def test_the_index_lists_russian_titles_under_russian_headings() -> None:
    code, text = _run(lang="ru")
    assert code == 0
    flat = " ".join(text.split())
    for p in all_pitfalls():
        assert p.wording("ru").title in flat, p.id
    assert "Вход по QR-коду" in text and "Сохранённые сеансы" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_nothing_found_is_said_in_russian_too() -> None:
    code, text = _run("абырвалг")
    assert code == 1 and "ничего не известно" in text and "абырвалг" in text


@pytest.mark.parametrize("width", [40, 80])
def test_russian_lines_fit_the_width(width: int) -> None:
    text = render_text(all_pitfalls(), width=width, lang="ru")
    assert max(len(line) for line in text.splitlines()) <= width


# The four reports of issue 19, as the command answers them.
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("код не пришел", {"login-code-not-arriving"}),
        ("меня забанили", {"user-deactivated-ban", "phone-number-banned"}),
        ("pyrogram.errors.exceptions.bad_request_400.PhoneNumberInvalid", {"phone-number-invalid"}),
        (
            "pyrogram.errors.exceptions.unauthorized_401.SessionPasswordNeeded",
            {"session-password-needed"},
        ),
        ("pasword hnit", {"session-password-needed"}),
        ("how to get api hash", {"howto-get-api-credentials"}),
    ],
)
def test_the_reports_of_issue_19(query: str, first: set[str]) -> None:
    code, text = _run(query)
    assert code == 0
    shown = [p for p in all_pitfalls() if p.id in first]
    lang = "ru" if CYRILLIC.search(query) else "en"
    positions = [text.find(p.wording(lang).title) for p in shown]
    assert max(positions) >= 0, text[:300]
    first_title = min(i for i in positions if i >= 0)
    others = [text.find(p.wording(lang).title) for p in all_pitfalls() if p.id not in first]
    assert all(i < 0 or i > first_title for i in others), text[:300]


def test_describe_speaks_russian_with_the_wait_filled_in() -> None:
    from tgtui.failure import Failure
    from tgtui.troubleshoot import describe

    p = get("flood-wait")
    assert p is not None
    text = describe(p, Failure("FLOOD_WAIT", seconds=252), lang="ru")
    assert text.startswith(_ru("flood-wait").title)
    assert "Подождите 4:12" in text and "tgtui может: подождать и повторить" in text
    assert "Подождите время, которое назвал Telegram" in describe(p, lang="ru")


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "tgtui", "troubleshoot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def test_the_command_answers_in_the_querys_language_unless_told() -> None:
    ru = _command("код не пришел")
    assert ru.returncode == 0 and _ru("login-code-not-arriving").title in ru.stdout
    en = _command("--lang", "en", "код не пришел")
    assert en.returncode == 0 and get("login-code-not-arriving").title in en.stdout
    assert "Что делать" not in en.stdout
    bad = _command("--lang", "de", "code")
    assert bad.returncode == 2 and "invalid choice: 'de'" in bad.stderr
    assert "Traceback" not in bad.stderr
