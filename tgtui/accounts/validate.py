"""Validators for what users type or paste. Each returns the cleaned value or raises
`InvalidInput` with a message that says what to do."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from tgtui.i18n import N_, _


class InvalidInput(ValueError):
    """The value cannot be used; `str(exc)` tells the user what to do."""


@dataclass(frozen=True)
class Checked:
    """A cleaned value plus warnings the user should see (it is still accepted)."""

    value: object
    warnings: list[str] = field(default_factory=list)


NAME_RE = re.compile(r"^[a-z0-9_-]{1,32}$")

# api_ids of Telegram's own open-source apps, published in their source code. They work,
# but every stranger uses them too, so Telegram answers real use with API_ID_PUBLISHED_FLOOD.
PUBLIC_API_IDS: dict[int, str] = {
    4: N_("Telegram for Android (official)"),
    5: N_("Telegram for iOS (official)"),
    6: N_("Telegram for Android (old official)"),
    8: N_("Telegram for iOS (old official)"),
    2040: N_("Telegram Desktop (official)"),
    2496: N_("Telegram Web (official)"),
    17349: N_("Telegram Desktop test id"),
    21724: N_("Telegram for Android X (official)"),
}

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00a0"), " ")
_HASH_PREFIX = re.compile(r"^\s*(app\s*)?api[\s_-]*hash\s*[:=]?\s*", re.IGNORECASE)
_ID_PREFIX = re.compile(r"^\s*(app\s*)?api[\s_-]*id\s*[:=]?\s*", re.IGNORECASE)


def _clean_paste(text: str) -> str:
    """Normalise what a browser copy usually carries: invisible spaces, quotes, NBSP."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return text.strip().strip("'\"`“”‘’").strip()


def account_name(raw: str, existing: set[str] | frozenset[str] = frozenset()) -> str:
    """A folder-safe unique account name: 1–32 of a-z, 0-9, _ and -."""
    name = _clean_paste(raw)
    if not name:
        raise InvalidInput(_("Give the account a name, e.g. work or shop-bot (a-z, 0-9, _ and -)."))
    if name != name.lower() and NAME_RE.match(name.lower()):
        raise InvalidInput(_("Use lower case: {name}.").format(name=repr(name.lower())))
    if len(name) > 32:
        raise InvalidInput(
            _("Use at most 32 characters (this one has {count}).").format(count=len(name))
        )
    if not NAME_RE.match(name):
        bad = sorted({c for c in name if not re.match(r"[a-z0-9_-]", c)})
        shown = " ".join(repr(c) for c in bad[:5])
        raise InvalidInput(_("Use only a-z, 0-9, _ and - (not {shown}).").format(shown=shown))
    if name in existing:
        raise InvalidInput(
            _("An account named {name} exists already; pick another name.").format(name=repr(name))
        )
    return name


def suggest_name(seed: str, existing: set[str] | frozenset[str] = frozenset()) -> str:
    """Derive a free account name from a label or phone number."""
    base = re.sub(r"[^a-z0-9_-]+", "-", _clean_paste(seed).lower()).strip("-_")
    if base.startswith("+") or (base and base[0].isdigit()):
        base = "tg-" + base.lstrip("+")
    base = (base or "account")[:28]
    candidate, n = base, 2
    while candidate in existing:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def api_id(raw: str | int) -> Checked:
    """api_id: digits only after trimming; positive; fits 32 bits. Warns on public ids."""
    text = _ID_PREFIX.sub("", _clean_paste(str(raw))).strip()
    if not text:
        raise InvalidInput(
            _("Paste the api_id: the number shown as 'App api_id' on my.telegram.org.")
        )
    if re.fullmatch(r"[0-9a-fA-F]{32}", text):
        raise InvalidInput(
            _("That looks like the api_hash; the api_id is the short number above it.")
        )
    if ":" in text and re.fullmatch(r"\d+:[\w-]{30,}", text):
        raise InvalidInput(
            _("That is a bot token from BotFather; tgtui needs the api_id of my.telegram.org.")
        )
    if not text.isdigit():
        raise InvalidInput(_("The api_id is digits only, e.g. 1234567."))
    value = int(text)
    if value <= 0:
        raise InvalidInput(
            _("The api_id is a positive number; copy it again from my.telegram.org.")
        )
    if value > 2**31 - 1:
        raise InvalidInput(
            _("That number is too long for an api_id; copy it again from my.telegram.org.")
        )
    warnings = []
    if value in PUBLIC_API_IDS:
        warnings.append(
            _(
                "{value} is the public id of {app}: it is shared by everyone, "
                "rate-limited, and real use ends in API_ID_PUBLISHED_FLOOD. Create your own "
                "application on my.telegram.org."
            ).format(value=value, app=_(PUBLIC_API_IDS[value]))
        )
    return Checked(value, warnings)


def api_hash(raw: str) -> str:
    """api_hash: exactly 32 hex characters after cleaning; returned lower-cased."""
    text = _HASH_PREFIX.sub("", _clean_paste(raw))
    text = re.sub(r"\s+", "", _clean_paste(text))
    if not text:
        raise InvalidInput(_("Paste the api_hash: the 32-character code shown as 'App api_hash'."))
    if re.fullmatch(r"\d+:[\w-]{30,}", text):
        raise InvalidInput(
            _("That is a bot token from BotFather, not an api_hash; use my.telegram.org.")
        )
    if text.isdigit() and len(text) < 16:
        raise InvalidInput(_("That looks like the api_id; the api_hash is the 32-character code."))
    if not re.fullmatch(r"[0-9a-fA-F]+", text):
        raise InvalidInput(
            _("The api_hash has only 0-9 and a-f; copy it again from my.telegram.org.")
        )
    if len(text) != 32:
        raise InvalidInput(
            _("The api_hash has 32 characters; this has {count}. Copy it whole.").format(
                count=len(text)
            )
        )
    return text.lower()


def phone(raw: str, *, strict: bool = True) -> str:
    """A phone number in E.164 (`+34612345678`), parsed with its country code.

    `strict=False` (Telegram's test DCs or a custom server) accepts any 5 to 17 digits,
    Telegram's test numbers 99966XYYYY included: that server decides what exists.
    """
    text = _clean_paste(raw)
    if not text:
        raise InvalidInput(_("Type the phone number with its country code, e.g. +44 7700 900123."))
    compact = re.sub(r"[\s().-]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not strict:
        digits = compact.removeprefix("+")
        if not re.fullmatch(r"\d{5,17}", digits):
            raise InvalidInput(
                _(
                    "A phone number has only digits (5 to 17), e.g. 9996621234 on Telegram's "
                    "test servers."
                )
            )
        return "+" + digits
    if not compact.startswith("+"):
        raise InvalidInput(_("Add your country code, e.g. +44 7700 900123 or +1 555 123 4567."))
    if not re.fullmatch(r"\+\d{4,17}", compact):
        raise InvalidInput(_("A phone number has only digits after the +, e.g. +34 612 345 678."))
    import phonenumbers  # loaded on first use: it costs ~25 ms at start-up

    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(_("Check the country code: it is not one that exists.")) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput(_("That number has too few or too many digits for its country."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_MASKS: dict[str, str] = {}  # e164 -> masked; primed from the listing index at start


def mask_phone(e164: str) -> str:
    """`+1 555 ••• 67`: country code and a few digits, the rest hidden (memoised)."""
    masked = _MASKS.get(e164)
    if masked is None:
        masked = _MASKS[e164] = _mask(e164)
    return masked


def known_masks(phones: Iterable[str]) -> dict[str, str]:
    """The masks already computed for these phones (for the listing index to keep)."""
    return {p: _MASKS[p] for p in phones if p in _MASKS}


def remember_masks(masks: dict[str, str]) -> None:
    """Prime the mask memo (from the listing index), so no phone library loads at start."""
    for phone, masked in masks.items():
        if isinstance(phone, str) and isinstance(masked, str):
            _MASKS.setdefault(phone, masked)


def _mask(e164: str) -> str:
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, None)
        national = str(parsed.national_number)
        cc = f"+{parsed.country_code}"
    except phonenumbers.NumberParseException:  # e.g. a test-DC number, 99966XYYYY
        digits = re.sub(r"\D", "", e164)
        if len(digits) <= 4:
            return f"+{'•' * len(digits)}"
        return f"+{digits[:3]} ••• {digits[-2:]}"
    if len(national) <= 4:
        return f"{cc} {'•' * len(national)}"
    return f"{cc} {national[:3]} ••• {national[-2:]}"


# Servers and proxies live in their own module; they are part of this one's API
# (`validate.server_address`, `validate.proxy_url`, ...).
from tgtui.accounts.validate_net import (  # noqa: E402
    PROXY_KINDS,
    ProxySpec,
    dc_id,
    host,
    mtproxy_secret,
    port,
    proxy_fields,
    proxy_text,
    proxy_url,
    rsa_public_key_file,
    server_address,
    server_settings,
)

__all__ = [
    "PROXY_KINDS",
    "Checked",
    "InvalidInput",
    "ProxySpec",
    "account_name",
    "api_hash",
    "api_id",
    "dc_id",
    "host",
    "mask_phone",
    "mtproxy_secret",
    "phone",
    "port",
    "proxy_fields",
    "proxy_text",
    "proxy_url",
    "rsa_public_key_file",
    "server_address",
    "server_settings",
    "suggest_name",
]
