"""Login codes: asking Telegram for one, and saying in plain words where it went.

Telegram answers `auth.sendCode` with a `SentCodeType*` object; `code_info` turns it
into a `CodeInfo` a person can act on ("in the Telegram app on your other devices, not
by SMS" is the answer to the most common "I never got the code").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tgtui.accounts import validate
from tgtui.i18n import _, ngettext

SEND_ATTEMPTS = 3  # auth.sendCode is retried on AUTH_RESTART, as Telegram asks


@dataclass(frozen=True)
class CodeInfo:
    """How Telegram delivered the login code, in words a person can act on.

    via: app, sms, call, flash_call, missed_call, email, fragment or other.
    where: a plain sentence saying where to look.
    timeout_s / expires_at: Telegram's timeout for this delivery, when it gave one; after
        it the code can be sent again by `next_via`.
    """

    via: str
    where: str
    length: int | None
    timeout_s: int | None
    sent_at: datetime
    expires_at: datetime | None
    next_via: str | None
    can_resend: bool


_KINDS = {
    "SentCodeTypeApp": "app",
    "SentCodeTypeSms": "sms",
    "SentCodeTypeSmsWord": "sms",
    "SentCodeTypeSmsPhrase": "sms",
    "SentCodeTypeFirebaseSms": "sms",
    "SentCodeTypeCall": "call",
    "SentCodeTypeFlashCall": "flash_call",
    "SentCodeTypeMissedCall": "missed_call",
    "SentCodeTypeEmailCode": "email",
    "SentCodeTypeSetUpEmailRequired": "email",
    "SentCodeTypeFragmentSms": "fragment",
    "CodeTypeSms": "sms",
    "CodeTypeCall": "call",
    "CodeTypeFlashCall": "flash_call",
    "CodeTypeMissedCall": "missed_call",
    "CodeTypeFragmentSms": "fragment",
}


def code_kind(sent_type: Any) -> str:
    """The delivery channel of a `SentCodeType*` / `CodeType*` object, as one word."""
    return _KINDS.get(type(sent_type).__name__, "other")


def where(via: str, sent_type: Any, phone: str) -> str:
    """A sentence saying where to look for a code delivered by `via`."""
    masked = validate.mask_phone(phone) if phone else _("your phone")
    length = getattr(sent_type, "length", None)
    if via == "app":
        return _(
            "in the Telegram app on your other devices, in the chat named Telegram (not by SMS)"
        )
    if via == "sms":
        return _("by SMS to {phone}").format(phone=masked)
    if via == "call":
        return _("by a phone call to {phone}: a voice reads the code").format(phone=masked)
    if via == "flash_call":
        return _(
            "by a short call to {phone}: the calling number is the code (do not answer)"
        ).format(phone=masked)
    if via == "missed_call":
        if length:
            return ngettext(
                "by a missed call to {phone}: the last {n} digit of the calling number is the code",
                "by a missed call to {phone}: the last {n} digits of the calling number are "
                "the code",
                length,
            ).format(phone=masked, n=length)
        return _(
            "by a missed call to {phone}: the last digits of the calling number are the code"
        ).format(phone=masked)
    if via == "email":
        pattern = getattr(sent_type, "email_pattern", "") or _("your login email")
        return _("by email to {address}").format(address=pattern)
    if via == "fragment":
        url = getattr(sent_type, "url", "") or "fragment.com"
        return _("on Fragment ({url}), in the inbox of this anonymous number").format(url=url)
    return _("in a way this tgtui does not know yet; check your Telegram apps and SMS")


def code_info(sent: Any, phone: str, now: datetime) -> CodeInfo:
    """The `CodeInfo` of an `auth.SentCode` answer received at `now`."""
    via = code_kind(sent.type)
    next_via = code_kind(sent.next_type) if sent.next_type is not None else None
    timeout = sent.timeout
    return CodeInfo(
        via=via,
        where=where(via, sent.type, phone),
        length=getattr(sent.type, "length", None),
        timeout_s=timeout,
        sent_at=now,
        expires_at=now + timedelta(seconds=timeout) if timeout else None,
        next_via=next_via,
        can_resend=next_via is not None,
    )


async def send_code_request(client: Any, phone: str, api_id: int, api_hash: str) -> Any:
    """`auth.sendCode` for `phone`, again on AUTH_RESTART (at most SEND_ATTEMPTS times)."""
    from telethon import errors
    from telethon.tl import functions, types

    for attempt in range(SEND_ATTEMPTS):
        try:
            return await client(
                functions.auth.SendCodeRequest(phone, api_id, api_hash, types.CodeSettings())
            )
        except errors.AuthRestartError:
            if attempt == SEND_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
