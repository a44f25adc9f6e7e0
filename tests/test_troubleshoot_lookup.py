"""People describing a problem in their own words find the right pitfall first."""

from __future__ import annotations

import pytest

from tgtui.troubleshoot import lookup


@pytest.mark.parametrize(
    ("words", "pitfall"),
    [
        ("code never arrives", "login-code-not-arriving"),
        ("ERROR", "portal-form-error"),
        ("error", "portal-form-error"),
        ("locked", "session-locked"),
        ("database is locked", "session-locked"),
        ("too many attempts", "portal-too-many-attempts"),
        # topics from the public guides
        ("official domain", "portal-lookalike-domain"),
        ("fake my.telegram.org site", "portal-lookalike-domain"),
        ("ERROR on the form", "portal-form-error"),
        ("short name taken", "portal-form-error"),
        ("ad blocker cookies", "portal-browser-blocking"),
        ("api_hash hidden after refresh", "portal-api-hash-hidden"),
        ("new account not verified", "portal-account-too-new"),
        ("second api_id", "portal-one-api-id-per-number"),
        ("committed to github", "credentials-shared-or-committed"),
        ("many accounts one api_id", "one-app-for-many-accounts"),
        ("company team key", "company-shared-credentials"),
        ("bot token", "bot-token-instead-of-api-id"),
        ("BotFather", "bot-token-instead-of-api-id"),
        ("public test credentials", "api-id-published"),
        ("2FA", "session-password-needed"),
        ("two-step verification password", "session-password-needed"),
        ("forgot password", "forgot-2fa-password"),
        ("invalid API credentials", "api-id-invalid"),
        ("shared the code in a chat", "code-shared-in-chat"),
        ("keyring over ssh", "keyring-unavailable"),
        ("proxy", "proxy-refused"),
        ("mtproxy blocked provider", "telegram-blocked"),
        ("clock out of sync", "clock-out-of-sync"),
        ("terminal too small", "terminal-too-small"),
        ("sign up new account", "phone-number-unoccupied"),
        ("FLOOD_WAIT", "flood-wait"),
        ("AUTH_KEY_DUPLICATED", "auth-key-duplicated"),
        ("how to scan the qr code", "qr-how-to-scan"),
        ("qr code expired", "qr-expired"),
    ],
)
def test_words_find_the_right_pitfall_first(words: str, pitfall: str) -> None:
    found = lookup(words)
    assert found, words
    assert found[0].id == pitfall, [p.id for p in found[:4]]


def test_the_portal_code_is_found_too_when_a_code_never_arrives() -> None:
    ids = [p.id for p in lookup("code never arrives")[:3]]
    assert "portal-code-not-arriving" in ids


def test_unrelated_or_empty_words_find_nothing() -> None:
    assert lookup("xyzzy plugh") == []
    assert lookup("") == []
    assert lookup("   ") == []
