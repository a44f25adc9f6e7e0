"""The wizard's longer fixed words and the sentences made from the flow's state: how to get
api_id and api_hash, where the api_hash will be kept, how to scan the QR code, when and how
a login code can be sent again. Marked `N_` where they are constants, translated when shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tgtui import i18n
from tgtui.i18n import N_, _
from tgtui.troubleshoot.model import format_wait

if TYPE_CHECKING:
    from tgtui.accounts.secrets import Backend

# The site my.telegram.org is in English only: its words ('API development tools', 'App
# api_id', ...) stay quoted in English in every language.
PORTAL_STEPS = (
    N_(
        "Open https://my.telegram.org and log in with your phone number. The code comes "
        "as a message inside Telegram, not by SMS."
    ),
    N_("Choose 'API development tools'."),
    N_(
        "Fill the form: any app title, a short name (5-32 letters or digits), platform "
        "'Other'. An 'ERROR' box usually means an ad-blocker or a VPN: turn it off and retry."
    ),
    N_("Press 'Create application'."),
    N_("Copy 'App api_id' (a number) and 'App api_hash' (32 characters) into the fields below."),
)

REUSE_WARNING = N_(
    "Telegram counts trust and limits per application: accounts that share one api_id "
    "share its flood limits and its reputation. Fine for a few accounts of one person."
)

REUSE_PROMPT = N_("Type new credentials (or reuse an existing account's)")

AUTO_NAME_HINT = N_("Left empty: named after the Telegram username (or phone) once logged in.")


# How the secret store words a file backend (a sentence of the accounts catalog, looked up
# here, not marked: the wizard says only the reason after it).
_FILE_BECAUSE = "private file, because {why}"


def _reason(description: str) -> str:
    """The reason part of a backend's description, in the interface language."""
    said = i18n.translator(i18n.language()).gettext(_FILE_BECAUSE)
    for head in {said.partition("{why}")[0], _FILE_BECAUSE.partition("{why}")[0]}:
        if head and description.startswith(head):
            return description[len(head) :]
    return description


def storage_line(backend: Backend | None) -> str:
    """One sentence: where the api_hash will be kept, and why there."""
    if backend is None:
        return ""
    if backend.kind == "keyring":
        return _("The api_hash will be kept in the {keyring}.").format(keyring=backend.description)
    why = _reason(backend.description)
    if backend.kind == "file":
        return _(
            "The api_hash will be kept in a private file (0600) in the account folder: {why}."
        ).format(why=why)
    return _("The api_hash cannot be saved: {why}.").format(why=why)


QR_STEPS = (
    N_("Open Telegram on your phone (the account you want to add)."),
    # TRANSLATORS: the menu path as Telegram's own app names it in your language.
    N_("Go to Settings › Devices › Link Desktop Device."),
    N_("Point the camera at this code."),
)

QR_DEMO = N_("Demo: press s to simulate the scan from a phone.")

#: How the next code can come (the flow's `next_via`), translated when shown.
VIA = {
    "app": N_("in the Telegram app"),
    "sms": N_("by SMS"),
    "call": N_("by a phone call"),
    "flash_call": N_("by a flash call"),
    "missed_call": N_("by a missed call"),
    "email": N_("by email"),
    "fragment": N_("on Fragment"),
}


def timestamp(value: Any) -> float | None:
    """A POSIX timestamp from a datetime or a number (None stays None)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


def resend_text(code: Any, now: float) -> str:
    """When and how the code can be sent again, counting down to Telegram's timeout."""
    if code is None:
        return ""
    next_via = getattr(code, "next_via", None)
    how = _(VIA[next_via]) if next_via in VIA else _("again")
    expires = timestamp(getattr(code, "expires_at", None))
    if expires is not None and expires > now:
        # TRANSLATORS: {wait} is a duration ("58 s", "2 min"); {how} is e.g. "by SMS".
        return _("Not arrived? In {wait} F4 can send it {how}.").format(
            wait=format_wait(expires - now), how=how
        )
    if next_via:
        return _("Not arrived? F4 sends it {how}. F3 logs in with a QR code.").format(how=how)
    return _("Not arrived? F4 asks for a new code. F3 logs in with a QR code.")
