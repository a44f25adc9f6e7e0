"""People's own words, in English and Russian, with typos and Pyrogram's error formats.

Each query is phrased the way a user types it into `tgtui troubleshoot` or the search box;
the expected pitfall is the one that answers it. The test prints precision at 1 and 3 for
what the command shows (`answer`) and for the search box (`lookup`).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tgtui.troubleshoot import Pitfall, answer, lookup
from tgtui.troubleshoot.words import is_cyrillic

#: (query, expected pitfall id). A few are tagged: "pyrogram" for its class paths and
#: `[CODE NAME]` messages, "typo" for misspellings.
QUERIES: list[tuple[str, str, str]] = [
    # The four failures reported in issue 19.
    ("код не пришел", "login-code-not-arriving", ""),
    (
        "pyrogram.errors.exceptions.bad_request_400.PhoneNumberInvalid",
        "phone-number-invalid",
        "pyrogram",
    ),
    (
        "pyrogram.errors.exceptions.unauthorized_401.SessionPasswordNeeded",
        "session-password-needed",
        "pyrogram",
    ),
    ("pasword hnit", "session-password-needed", "typo"),
    ("how to get api hash", "howto-get-api-credentials", ""),
    # English.
    ("where do I find my api_id", "howto-get-api-credentials", ""),
    ("where does api_id come from", "howto-get-api-credentials", ""),
    (
        "Telegram says: [420 FLOOD_WAIT_X] - A wait of 300 seconds is required"
        ' (caused by "auth.SendCode")',
        "flood-wait",
        "pyrogram",
    ),
    ("[401 AUTH_KEY_UNREGISTERED]", "auth-key-unregistered", "pyrogram"),
    ("pyrogram.errors.exceptions.see_other_303.PhoneMigrate", "dc-migrate", "pyrogram"),
    ("PHONE_MIGRATE_X", "dc-migrate", "pyrogram"),
    ("UserDeactivatedBan", "user-deactivated-ban", "pyrogram"),
    (
        "pyrogram.errors.exceptions.bad_request_400.PhoneCodeExpired:"
        " Telegram says: [400 PHONE_CODE_EXPIRED]",
        "phone-code-expired",
        "pyrogram",
    ),
    ("lost my sim card, no code can arrive", "howto-no-code-can-arrive", ""),
    ("verifcation code never arived", "login-code-not-arriving", "typo"),
    ("forgot my cloud pasword", "forgot-2fa-password", "typo"),
    ("session file is corupted", "session-corrupt", "typo"),
    ("api_hash dissapeared after reload", "portal-api-hash-hidden", "typo"),
    ("database is locked", "session-locked", ""),
    ("creating the app on my.telegram.org just says ERROR", "portal-form-error", ""),
    ("telegram times out from my vps but other sites work", "telegram-blocked", ""),
    ("msg_id too low, server clock wrong", "clock-out-of-sync", ""),
    ("keyring not available over ssh", "keyring-unavailable", ""),
    ("I forwarded the login code to a friend and now it is rejected", "code-shared-in-chat", ""),
    ("same session used on two servers", "auth-key-duplicated", ""),
    ("too many attempts on my.telegram.org", "portal-too-many-attempts", ""),
    ("only have a bot token", "bot-token-instead-of-api-id", ""),
    ("account banned", "user-deactivated-ban", ""),
    # Russian.
    ("меня забанили", "user-deactivated-ban", ""),
    ("забанили номер телефона", "phone-number-banned", ""),
    ("где взять api_hash", "howto-get-api-credentials", ""),
    ("как получить api id и api hash", "howto-get-api-credentials", ""),
    ("телеграм просит пароль после кода", "session-password-needed", ""),
    ("забыл облачный пароль", "forgot-2fa-password", ""),
    ("неверный код подтверждения", "phone-code-invalid", ""),
    ("код истёк", "phone-code-expired", ""),
    ("слишком много попыток на my.telegram.org", "portal-too-many-attempts", ""),
    ("ошибка при создании приложения", "portal-form-error", ""),
    ("номер телефона неверный", "phone-number-invalid", ""),
    ("флуд, просит подождать несколько секунд", "flood-wait", ""),
    ("сессию завершили с другого устройства", "session-revoked", ""),
    ("одна сессия на двух серверах", "auth-key-duplicated", ""),
    ("как отсканировать qr код", "qr-how-to-scan", ""),
    ("qr код истек", "qr-expired", ""),
    ("прокси не работает", "proxy-refused", ""),
    ("провайдер блокирует телеграм, таймаут", "telegram-blocked", ""),
    ("неправильное время на сервере", "clock-out-of-sync", ""),
    ("потерял симку, код никак не прийдет, что делать", "howto-no-code-can-arrive", "typo"),
    ("аккаунт удалён", "user-deactivated", ""),
    ("пороль неверный", "password-invalid", "typo"),
    ("код не приходт", "login-code-not-arriving", "typo"),
    ("у меня только токен бота от botfather", "bot-token-instead-of-api-id", ""),
    ("api_hash пропал после обновления страницы", "portal-api-hash-hidden", ""),
    ("база данных заблокирована", "session-locked", ""),
    ("файл сессии повреждён", "session-corrupt", ""),
    ("связка ключей по ssh не работает", "keyring-unavailable", ""),
    ("терминал слишком маленький", "terminal-too-small", ""),
    ("ошибка FLOOD_WAIT_X при входе", "flood-wait", "pyrogram"),
    ("SESSION_PASSWORD_NEEDED что делать", "session-password-needed", ""),
    ("переслал код другу, теперь он не подходит", "code-shared-in-chat", ""),
    # Written after the search was tuned on the queries above, as a check that it is
    # not fitted to them: on first run `answer` got 0.88 at 1 and 0.96 at 3 on these.
    ("what is api_id and where do I get it", "howto-get-api-credentials", ""),
    ("telegram sent no sms for login", "login-code-not-arriving", ""),
    ("it wants a password but I never set one, two-step", "session-password-needed", ""),
    ("wrong passwrod", "password-invalid", "typo"),
    ("AuthKeyDuplicated", "auth-key-duplicated", "pyrogram"),
    ("pyrogram.errors.exceptions.unauthorized_401.SessionRevoked", "session-revoked", "pyrogram"),
    ("[400 PHONE_CODE_INVALID]", "phone-code-invalid", "pyrogram"),
    ("pyrogram.errors.exceptions.flood_420.FloodWait", "flood-wait", "pyrogram"),
    ("my.telegram.org code does not come", "portal-code-not-arriving", ""),
    ("ERROR when creating application", "portal-form-error", ""),
    ("session expired after months", "session-expired", ""),
    ("socks5 proxy authentication failed", "proxy-refused", ""),
    (
        "как создать приложение на my.telegram.org и получить api_id",
        "howto-get-api-credentials",
        "",
    ),
    ("не приходит смс с кодом", "login-code-not-arriving", ""),
    ("код с сайта my.telegram.org не приходит", "portal-code-not-arriving", ""),
    ("ошибка ERROR при создании приложения на сайте", "portal-form-error", ""),
    ("не помню облачный пароль", "forgot-2fa-password", ""),
    ("аккаунт забанен за спам", "user-deactivated-ban", ""),
    ("номер не зарегистрирован в телеграме", "phone-number-unoccupied", ""),
    ("сессия используется другим процессом", "session-locked", ""),
    ("нет связи с телеграмом, таймаут подключения", "telegram-blocked", ""),
    ("выложил api_hash на гитхаб", "credentials-shared-or-committed", ""),
    ("как войти без кода, по qr", "qr-how-to-scan", ""),
    ("флуд вейт", "flood-wait", ""),
    ("телефон утерян, код получить негде", "howto-no-code-can-arrive", ""),
    ("паролль не подходит", "password-invalid", "typo"),
]

P_AT_1_FLOOR = 0.85


def _precision(find: Callable[[str], list[Pitfall]]) -> tuple[float, float, list[str]]:
    at1 = at3 = 0
    misses = []
    for query, expected, _ in QUERIES:
        ids = [p.id for p in find(query)[:3]]
        at1 += bool(ids) and ids[0] == expected
        at3 += expected in ids
        if not ids or ids[0] != expected:
            misses.append(f"{query!r}: expected {expected}, got {ids}")
    return at1 / len(QUERIES), at3 / len(QUERIES), misses


def test_the_query_set_is_big_and_varied_enough() -> None:
    russian = sum(is_cyrillic(q) for q, _, _ in QUERIES)
    assert len(QUERIES) >= 40
    assert russian >= len(QUERIES) / 2 - 1 and len(QUERIES) - russian >= 20
    assert sum(tag == "pyrogram" for *_, tag in QUERIES) >= 5
    assert sum(tag == "typo" for *_, tag in QUERIES) >= 5


@pytest.mark.parametrize("find", [answer, lookup], ids=["tgtui troubleshoot", "search box"])
def test_precision_of_the_query_set(find: Callable[[str], list[Pitfall]]) -> None:
    p1, p3, misses = _precision(find)
    print(f"\n{find.__name__}: {len(QUERIES)} queries, precision@1 {p1:.2f}, @3 {p3:.2f}")
    for miss in misses:
        print("  miss", miss)
    assert p1 >= P_AT_1_FLOOR, "\n".join(misses)
