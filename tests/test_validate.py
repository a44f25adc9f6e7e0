"""Validators clean what people paste and say what to do when it cannot be used."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tgtui.accounts import validate as v
from tgtui.accounts.validate import InvalidInput

HASH = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"


@pytest.mark.parametrize(
    "raw",
    [
        HASH,
        HASH.upper(),
        f"  {HASH}  ",
        f"App api_hash: {HASH}",
        f"App api_hash:\t{HASH}\n",
        f'"{HASH}"',
        "a1b2 c3d4 e5f6 a7b8 c9d0 e1f2 a3b4 c5d6",
        f"api_hash = '{HASH}'",
        f"\u200b{HASH}\u00a0",
    ],
)
def test_api_hash_pasted_forms_are_cleaned(raw: str) -> None:
    assert v.api_hash(raw) == HASH


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Paste the api_hash"),
        (HASH[:-1], "32 characters; this has 31"),
        (HASH + "00", "this has 34"),
        ("zz" + HASH[2:], "0-9 and a-f"),
        ("1234567", "api_id"),
        ("123456789:AAE_abcdefghijklmnopqrstuvwxyz1234", "bot token"),
    ],
)
def test_api_hash_errors_say_what_to_do(raw: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        v.api_hash(raw)


def test_api_id_cleaned_bounded_and_public_ids_warned() -> None:
    assert v.api_id(" 1234567 ").value == 1234567
    assert v.api_id("App api_id: 1234567").value == 1234567
    assert v.api_id(1234567).warnings == []
    warned = v.api_id("17349")
    assert warned.value == 17349 and "API_ID_PUBLISHED_FLOOD" in warned.warnings[0]
    for bad, words in [
        ("", "Paste"),
        ("12a", "digits only"),
        ("0", "positive"),
        ("99999999999", "too long"),
        (HASH, "api_hash"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            v.api_id(bad)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+1 555 123 4567", "+15551234567"),
        ("+34612345678", "+34612345678"),
        ("0034 612 345 678", "+34612345678"),
        ("+44 (0)7700-900123".replace("(0)", ""), "+447700900123"),
    ],
)
def test_phone_numbers_become_e164(raw: str, e164: str) -> None:
    assert v.phone(raw) == e164


def test_phone_without_country_code_asks_for_it() -> None:
    with pytest.raises(InvalidInput, match="country code, e.g. \\+44"):
        v.phone("07700 900123")
    with pytest.raises(InvalidInput, match="too few or too many"):
        v.phone("+44 12")


def test_mask_phone_hides_the_middle() -> None:
    assert v.mask_phone("+15551234567") == "+1 555 ••• 67"
    assert "1234" not in v.mask_phone("+34612341234")


def test_names_and_suggestions() -> None:
    assert v.account_name(" work ") == "work"
    assert v.suggest_name("Work Phone") == "work-phone"
    assert v.suggest_name("+1 555 123 4567") == "tg-1-555-123-4567"
    assert v.suggest_name("work", {"work", "work-2"}) == "work-3"
    assert v.account_name(v.suggest_name("Ünïcode ☃ name!!")) == v.suggest_name("Ünïcode ☃ name!!")
    with pytest.raises(InvalidInput, match="lower case"):
        v.account_name("Work")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_no_input_makes_a_validator_raise_anything_else(raw: str) -> None:
    for func in (v.api_hash, v.api_id, v.phone, v.account_name, v.suggest_name, v.mask_phone):
        try:
            func(raw)
        except InvalidInput as exc:
            assert str(exc)  # always a message
    # suggestions are always valid names
    v.account_name(v.suggest_name(raw))
