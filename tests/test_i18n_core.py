"""The store's and the Telegram layer's sentences in Russian and English (issue #19).

What a person reads below the UI — validation messages, broken-account reasons, failure
summaries, health reasons, flood waits with their plural — comes out in the interface
language, while everything written to disk stays in English so that a file written
under one language reads right under the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_telegram_support import PHONE, login, make_tg

from tgtui.accounts import Account, State, validate
from tgtui.failure import Failure, localize
from tgtui.i18n import set_language
from tgtui.telegram import Telegram
from tgtui.telegram.health import check, check_and_save

HASH = "0123456789abcdef0123456789abcdef"
SetLanguage = Callable[[str], str]
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


@pytest.fixture
def lang() -> Iterator[Callable[[str], str]]:
    """Switch the interface language inside a test; English again afterwards, whatever
    happens (later tests expect English)."""
    try:
        yield set_language
    finally:
        set_language("en")


def _invalid(fn: Callable[..., object], *args: object) -> str:
    with pytest.raises(validate.InvalidInput) as info:
        fn(*args)
    return str(info.value)


def test_validation_messages_follow_the_language(lang: SetLanguage) -> None:
    lang("ru")
    assert _invalid(validate.api_id, "12a") == "api_id состоит только из цифр, например 1234567."
    said = _invalid(validate.api_hash, "abc")
    assert "api_hash" in said and "32 символа" in said and "3" in said
    assert "Выберите тип прокси" in _invalid(validate.proxy_fields, "ftp", "h", 1)
    assert "Порт прокси" in _invalid(validate.port, "x", "proxy")
    assert "Порт сервера" in _invalid(validate.port, "x")
    lang("en")
    assert _invalid(validate.api_id, "12a") == "The api_id is digits only, e.g. 1234567."
    assert "The proxy's port" in _invalid(validate.port, "x", "proxy")


def test_a_public_api_id_warning_names_the_app_in_russian(lang: SetLanguage) -> None:
    lang("ru")
    (warning,) = validate.api_id("2040").warnings
    assert "Telegram Desktop (официальный)" in warning
    assert "API_ID_PUBLISHED_FLOOD" in warning  # error names stay as they are


def test_broken_account_reason_in_russian_file_untouched(lang: SetLanguage, tmp_path: Path) -> None:
    tg = make_tg(tmp_path / "cfg")
    acc = tg.store.create(Account(name="work", api_id=12345, phone="+34600000001"), HASH)
    assert acc.folder is not None
    toml = acc.folder / "account.toml"
    text = toml.read_text().replace("[status]", '[status]\nchecked_at = "yesterday"', 1)
    if "[status]" not in text:
        text += '\n[status]\nstate = "ok"\nchecked_at = "yesterday"\n'
    toml.write_text(text)
    lang("ru")
    broken = tg.store.get("work").broken
    assert "status.checked_at: не дата и время вида 2026-01-31T12:00:00Z" in broken
    assert str(toml) in broken
    lang("en")
    assert "status.checked_at: is not a date-time like 2026-01-31T12:00:00Z" in (
        tg.store.get("work").broken
    )
    assert toml.read_text() == text  # a broken file is never rewritten


def test_failure_summary_is_translated_but_its_message_stays_english(lang: SetLanguage) -> None:
    from telethon import errors

    from tgtui.telegram.errors import to_failure

    fail = to_failure(errors.PhoneCodeExpiredError(request=None), "code")
    lang("ru")
    assert str(fail) == fail.text
    assert fail.text.startswith("Срок действия кода истёк. Запросите новый.")
    assert fail.message.startswith("That code has expired.")  # what the matcher reads
    lang("en")
    assert str(fail) == fail.message


@pytest.mark.parametrize(
    ("seconds", "wait"),
    [
        (1, "1 секунду"),
        (2, "2 секунды"),
        (5, "5 секунд"),
        (21, "21 секунду"),
        (300, "5 минут"),
        (4000, "67 минут"),
        (3 * 3600, "3 часа"),
        (2 * 86400, "2 дня"),
    ],
)
def test_flood_wait_sentence_has_the_russian_plural(
    lang: SetLanguage, seconds: int, wait: str
) -> None:
    from telethon import errors

    from tgtui.telegram.errors import to_failure

    fail = to_failure(errors.FloodWaitError(request=None, capture=seconds), "phone")
    lang("ru")
    assert str(fail) == f"Telegram просит подождать {wait}, прежде чем повторить попытку."
    lang("en")
    assert str(fail).startswith("Telegram asks to wait ")
    assert not CYRILLIC.search(str(fail))


async def test_health_reason_stored_in_english_shown_in_russian(
    lang: SetLanguage,
    tmp_path: Path,
) -> None:
    tg = make_tg(tmp_path / "cfg")
    acc = tg.store.create(Account(name="work", api_id=12345, phone="+34600000001"), HASH)
    lang("ru")
    health = await check_and_save(tg, acc)  # no session file: needs a login, no network
    assert health.state is State.NEEDS_LOGIN
    assert health.reason_text == "Файла сеанса ещё нет: войдите, чтобы пользоваться этим аккаунтом"
    assert acc.folder is not None
    written = (acc.folder / "account.toml").read_text()
    assert "No session file yet" in written and not CYRILLIC.search(written)
    cached = tg.store.get("work").status
    assert cached.reason_text.startswith("Файла сеанса ещё нет")
    lang("en")
    assert tg.store.get("work").status.reason_text.startswith("No session file yet")


async def test_flood_wait_from_telegram_cached_in_english(
    lang: SetLanguage,
    tg: Telegram,
    server: Any,
) -> None:
    server.set_password(PHONE, "pw", hint="h")
    acc = await login(tg, server, password="pw")
    server.set_flood(PHONE, 120)
    lang("ru")
    health = await check_and_save(tg, acc)
    assert health.state is State.FLOOD_WAIT
    assert health.reason_text == "Telegram просит подождать 2 минуты, прежде чем повторить попытку."
    assert acc.folder is not None
    written = (acc.folder / "account.toml").read_text()
    assert not CYRILLIC.search(written)
    again = await check(tg, tg.store.get("work"))  # inside the wait: answered locally
    assert again.reason_text.startswith("Telegram попросил подождать; ждать ещё ")
    lang("en")
    assert tg.store.get("work").status.reason_text.startswith("Telegram asks to wait 2 min")


def test_lock_message_in_russian_and_english_for_the_failure(
    lang: SetLanguage, tmp_path: Path
) -> None:
    from tgtui.accounts import AccountInUse
    from tgtui.accounts.lock import Holder

    lang("ru")
    exc = AccountInUse("work", Holder(42, "python bot.py"))
    assert str(exc) == (
        "Аккаунт 'work' занят процессом pid 42 (python bot.py); закройте его там или подождите."
    )
    assert exc.english.startswith("Account 'work' is in use by pid 42")


def test_secrets_file_reason_stays_english_and_reads_in_either_language(
    lang: SetLanguage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tgtui.accounts.secrets import SecretStore

    monkeypatch.setenv("TGTUI_KEYRING", "off")
    store = SecretStore()
    folder = tmp_path / "acc"
    folder.mkdir()
    lang("ru")
    went = store.set("uid-1", folder, HASH)
    assert went.description == "закрытый файл, потому что TGTUI_KEYRING=off"
    written = (folder / "secrets.toml").read_text()
    assert not CYRILLIC.search(written)
    where = store.where("uid-1", folder)
    assert where is not None and where.description.startswith("закрытый файл, потому что")
    lang("en")
    where = store.where("uid-1", folder)
    assert where is not None and where.description.startswith("private file, because")


def test_unknown_text_is_left_alone(lang: SetLanguage) -> None:
    lang("ru")
    assert localize("PHONE_CODE_INVALID") == "PHONE_CODE_INVALID"
    assert localize("whatever Telegram said") == "whatever Telegram said"
    assert str(Failure("SOMETHING_NEW")) == "SOMETHING_NEW"


def test_every_stored_sentence_reads_in_russian(lang: SetLanguage) -> None:
    """Health reasons and failure messages are kept in English in account.toml; each of
    them must come back in Russian when shown (a missing template would show English)."""
    from tgtui.telegram.errors import MESSAGES, clock_wait, human_wait
    from tgtui.telegram.health import REASONS

    lang("ru")
    english = [*MESSAGES.values(), *REASONS.values()]
    english += [human_wait(n) for n in (1, 59, 600, 7200, 200000)] + [clock_wait(252)]
    for text in english:
        if text.startswith("TGTUI_KEYRING"):
            continue
        assert CYRILLIC.search(localize(text)), text


def test_connection_failures_read_in_russian(lang: SetLanguage) -> None:
    from tgtui.accounts import Server
    from tgtui.telegram.connect_errors import describe

    server = Server(dc_id=2, host="203.0.113.5", port=443)
    refused = describe(
        ConnectionRefusedError(111, "Connection refused"),
        [],
        host="203.0.113.5",
        port=443,
        server=server,
        proxy=None,
        timeout=5.0,
        stage="session",
    )
    assert refused is not None
    assert refused.message.startswith("Could not reach the server at 203.0.113.5:443")
    lang("ru")
    assert refused.text.startswith("Нет связи (сервер, 203.0.113.5:443): соединение отклонено")
