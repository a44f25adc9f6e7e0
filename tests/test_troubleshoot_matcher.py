"""Failures coming out of the Telegram layer land on the pitfall that explains them."""

from __future__ import annotations

import pytest

from tgtui.failure import Failure
from tgtui.telegram.errors import SURFACED
from tgtui.troubleshoot import (
    describe,
    format_wait,
    get,
    match,
    normalise_name,
    to_failure,
)

#: Every failure the Telegram layer can surface, and the pitfall the user is shown for it.
EXPECTED_PITFALL = {
    "CLOCK_SKEW": "qr-clock-skew",
    "NOT_MTPROTO": "not-a-telegram-server",
    "RSA_KEY_UNKNOWN": "server-rsa-key-unknown",
    "USER_MIGRATE": "user-migrated",
    "API_ID_CHANGED": "api-id-changed",
    "API_ID_INVALID": "api-id-invalid",
    "API_ID_PUBLISHED_FLOOD": "api-id-published",
    "AUTH_KEY_DUPLICATED": "auth-key-duplicated",
    "AUTH_KEY_UNREGISTERED": "auth-key-unregistered",
    "AUTH_RESTART": "auth-restart",
    "CONFIG_INVALID": "config-invalid",
    "ConnectionError": "network-unreachable",
    "FLOOD_WAIT": "flood-wait",
    "FLOOD_WAIT_LOCAL": "flood-wait-local",
    "OSError": "network-unreachable",
    "PASSWORD_HASH_INVALID": "password-invalid",
    "PHONE_CODE_EMPTY": "phone-code-empty",
    "PHONE_CODE_EXPIRED": "phone-code-expired",
    "PHONE_CODE_INVALID": "phone-code-invalid",
    "PHONE_NUMBER_BANNED": "phone-number-banned",
    "PHONE_NUMBER_FLOOD": "phone-number-flood",
    "PHONE_NUMBER_INVALID": "phone-number-invalid",
    "PHONE_NUMBER_UNOCCUPIED": "phone-number-unoccupied",
    "PHONE_PASSWORD_FLOOD": "phone-password-flood",
    "ProxyError": "proxy-refused",
    "QR_EXPIRED": "qr-expired",
    "SECRET_MISSING": "secret-missing",
    "SEND_CODE_UNAVAILABLE": "send-code-unavailable",
    "SESSION_CORRUPT": "session-corrupt",
    "SESSION_EXPIRED": "session-expired",
    "SESSION_LOCKED": "session-locked",
    "SESSION_PASSWORD_NEEDED": "session-password-needed",
    "SESSION_REVOKED": "session-revoked",
    "TimeoutError": "telegram-blocked",
    "USER_DEACTIVATED": "user-deactivated",
    "USER_DEACTIVATED_BAN": "user-deactivated-ban",
}


def test_every_surfaced_failure_has_an_expected_pitfall() -> None:
    missing = sorted(SURFACED - EXPECTED_PITFALL.keys())
    gone = sorted(EXPECTED_PITFALL.keys() - SURFACED)
    assert not missing, f"name the pitfall for these in EXPECTED_PITFALL: {missing}"
    assert not gone, f"no longer surfaced, remove from EXPECTED_PITFALL: {gone}"


@pytest.mark.parametrize(("name", "pitfall"), sorted(EXPECTED_PITFALL.items()))
def test_every_surfaced_failure_has_its_own_pitfall(name: str, pitfall: str) -> None:
    found = match(name)
    assert found, name
    assert found[0].id == pitfall, f"{name} fell back to {found[0].id}"
    assert name.lower() in {n.lower() for n in found[0].names}  # by name, not by a pattern


@pytest.mark.parametrize(("name", "pitfall"), sorted(EXPECTED_PITFALL.items()))
def test_a_surfaced_failure_as_a_value_lands_on_its_pitfall(name: str, pitfall: str) -> None:
    best = match(Failure(name, message="something went wrong", stage="code"))[0]
    assert best.id == pitfall


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("FLOOD_WAIT_42", "FLOOD_WAIT"),
        ("FloodWaitError", "FLOOD_WAIT"),
        ("AuthKeyUnregisteredError", "AUTH_KEY_UNREGISTERED"),
        ("telethon.errors.rpcerrorlist.PhoneCodeExpiredError", "PHONE_CODE_EXPIRED"),
        ("ERROR_AUTHKEY_UNREGISTERED", "AUTHKEY_UNREGISTERED"),
        ("phone_code_invalid", "PHONE_CODE_INVALID"),
        ("FLOOD_WAIT_LOCAL", "FLOOD_WAIT_LOCAL"),
    ],
)
def test_error_names_are_normalised(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("name", "pitfall"),
    [
        ("FLOOD_WAIT_42", "flood-wait"),
        ("FloodWaitError", "flood-wait"),
        ("PhoneCodeExpiredError", "phone-code-expired"),
        ("SessionPasswordNeededError", "session-password-needed"),
        ("ApiIdPublishedFloodError", "api-id-published"),
        ("ERROR_AUTHKEY_UNREGISTERED", "auth-key-unregistered"),
        ("UserDeactivatedBanError", "user-deactivated-ban"),
    ],
)
def test_telethon_class_names_and_numbered_names_match(name: str, pitfall: str) -> None:
    assert match(name)[0].id == pitfall


def test_flood_wait_with_seconds_says_how_long_to_wait() -> None:
    failure = Failure("FLOOD_WAIT", seconds=300, stage="code")
    best = match(failure)[0]
    assert best.id == "flood-wait"
    assert best.action == "wait_retry"
    text = describe(best, failure)
    assert "5:00" in text
    assert "{wait}" not in text


def test_flood_wait_seconds_are_read_from_the_name() -> None:
    failure = to_failure("FLOOD_WAIT_252")
    assert failure.name == "FLOOD_WAIT_252" and failure.seconds == 252
    assert "4:12" in describe(match(failure)[0], failure)


def test_flood_wait_seconds_are_read_from_telethons_message() -> None:
    failure = to_failure(Failure("FLOOD_WAIT", message="A wait of 90 seconds is required"))
    assert failure.seconds == 90


def test_describe_without_seconds_has_no_placeholder() -> None:
    text = describe(get("flood-wait"))
    assert "{wait}" not in text and "Wait " in text


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (5, "0:05"), (252, "4:12"), (3700, "1:01:40")]
)
def test_wait_times_read_like_a_clock(seconds: int, shown: str) -> None:
    assert format_wait(seconds) == shown


def test_database_is_locked_points_to_the_session_in_use() -> None:
    failure = Failure("OperationalError", message="database is locked", exc_type="OperationalError")
    assert match(failure)[0].id == "session-locked"
    assert match("database is locked")[0].id == "session-locked"


@pytest.mark.parametrize("name", ["ConnectionError", ""])
def test_connection_refused_points_to_the_network(name: str) -> None:
    failure = Failure(
        name, message="[Errno 111] Connection refused", exc_type="ConnectionRefusedError"
    )
    assert match(failure)[0].id in {"network-unreachable", "proxy-refused"}


def test_exception_subclasses_match_through_their_base_class() -> None:
    assert match(Failure("", exc_type="ConnectionResetError"))[0].id == "network-unreachable"
    assert match(Failure("", exc_type="socket.gaierror"))[0].id == "network-unreachable"


def test_exception_type_outranks_a_message_pattern() -> None:
    failure = Failure("", message="proxy said no", exc_type="NoKeyringError")
    assert match(failure)[0].id == "keyring-unavailable"


@pytest.mark.parametrize(
    ("message", "pitfall"),
    [
        ("Server sent a very old message with ID 123, ignoring", "clock-out-of-sync"),
        ("Too many messages had to be ignored consecutively", "clock-out-of-sync"),
        ("No recommended backend was available", "keyring-unavailable"),
        ("Prompt dismissed", "keyring-unavailable"),
        ("file is not a database", "session-corrupt"),
        ("I forwarded the code to my colleague", "code-shared-in-chat"),
        ("Temporary failure in name resolution", "network-unreachable"),
        ("Terminal too small", "terminal-too-small"),
        ("Authorization failed", "phone-code-invalid"),
        ("Invalid API credentials", "api-id-invalid"),
    ],
)
def test_messages_match_by_pattern(message: str, pitfall: str) -> None:
    assert match(message)[0].id == pitfall


def test_the_stage_breaks_ties_and_is_the_last_resort() -> None:
    found = match(Failure("SOMETHING_NEW", stage="qr"))
    assert found and all("qr" in p.stages for p in found)
    assert [p.id for p in match("SOMETHING_NEW", stage="qr")] == [p.id for p in found]


def test_a_specific_match_comes_before_stage_fallbacks() -> None:
    found = match(Failure("PHONE_CODE_EXPIRED", stage="code"))
    assert found[0].id == "phone-code-expired"
    assert "code-shared-in-chat" in [p.id for p in found]


def test_nothing_at_all_gives_an_empty_list() -> None:
    assert match("TOTALLY_UNKNOWN_THING") == []
    assert match("") == []


def test_only_waits_take_seconds_from_a_numbered_name() -> None:
    assert to_failure("PHONE_MIGRATE_2").seconds is None
    assert to_failure("FLOOD_PREMIUM_WAIT_7").seconds == 7


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("pyrogram.errors.exceptions.bad_request_400.PhoneNumberInvalid", "PHONE_NUMBER_INVALID"),
        (
            "pyrogram.errors.exceptions.unauthorized_401.SessionPasswordNeeded",
            "SESSION_PASSWORD_NEEDED",
        ),
        ("pyrogram.errors.exceptions.flood_420.FloodWait", "FLOOD_WAIT"),
        ("pyrogram.errors.FloodWait", "FLOOD_WAIT"),
        ("UserDeactivatedBan", "USER_DEACTIVATED_BAN"),
        ("ApiIdInvalid", "API_ID_INVALID"),
        ("FLOOD_WAIT_X", "FLOOD_WAIT"),
        ("PHONE_MIGRATE_X", "PHONE_MIGRATE"),
        ("PHONE_MIGRATE_4", "PHONE_MIGRATE"),
    ],
)
def test_pyrogram_names_map_to_telegrams(name: str, canonical: str) -> None:
    assert normalise_name(name) == canonical
    assert to_failure(name).name == name  # recognised as a name, not as words


@pytest.mark.parametrize(
    ("pasted", "pitfall", "seconds"),
    [
        (
            "Telegram says: [420 FLOOD_WAIT_X] - A wait of 75 seconds is required"
            ' (caused by "auth.SendCode")',
            "flood-wait",
            75,
        ),
        (
            "Telegram says: [400 PHONE_NUMBER_INVALID] - The phone number is invalid",
            "phone-number-invalid",
            None,
        ),
        ("[401 SESSION_PASSWORD_NEEDED]", "session-password-needed", None),
        ("[-503 AUTH_KEY_UNREGISTERED]", "auth-key-unregistered", None),
        (
            "pyrogram.errors.exceptions.unauthorized_401.UserDeactivatedBan:"
            " Telegram says: [401 USER_DEACTIVATED_BAN]",
            "user-deactivated-ban",
            None,
        ),
        ("PhoneCodeExpiredError: The confirmation code has expired", "phone-code-expired", None),
    ],
)
def test_pasted_pyrogram_and_telethon_messages_carry_their_name(
    pasted: str, pitfall: str, seconds: int | None
) -> None:
    failure = to_failure(pasted)
    assert failure.seconds == seconds
    assert match(failure)[0].id == pitfall


def test_a_camel_case_word_that_names_no_error_is_searched_as_words() -> None:
    from tgtui.troubleshoot import answer

    assert match("BotFather") == []
    assert answer("BotFather")[0].id == "bot-token-instead-of-api-id"
