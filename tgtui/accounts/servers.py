"""Where an account connects: Telegram's production DCs, its test DCs, or a custom server.

Facts shipped here (public, published by Telegram and the Telethon docs):

- Production DC addresses: the IPv4 addresses Telegram's apps and Pyrogram use for DCs 1-5.
- Test DC addresses and port: my.telegram.org > API development tools > "MTProto servers"
  lists the test configuration as DC 2 at 149.154.167.40:443 with the RSA key below;
  Telethon's docs (docs.telethon.dev, "Test Servers") add that port 80 may work where
  443 does not, and that test phone numbers are 99966XYYYY (X = the DC id) whose login
  code is X repeated five (or six) times. DCs 1 and 3 are Pyrogram's test addresses.
- The test RSA public key: the "Test configuration" public key of my.telegram.org (the
  same one Telegram's own apps carry for their test backend). Telethon ships only the
  production keys, so tgtui registers this one for test-DC accounts.

No network, no Telethon: the Telegram layer turns these facts into connections.
"""

from __future__ import annotations

import re

from tgtui.accounts.model import Server
from tgtui.i18n import _

PRODUCTION_DCS: dict[int, str] = {
    1: "149.154.175.53",
    2: "149.154.167.51",
    3: "149.154.175.100",
    4: "149.154.167.91",
    5: "91.108.56.130",
}
TEST_DCS: dict[int, str] = {1: "149.154.175.10", 2: "149.154.167.40", 3: "149.154.175.117"}
TEST_PORT = 443
DEFAULT_TEST_DC = 2

TEST_RSA_KEY = """-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAyMEdY1aR+sCR3ZSJrtztKTKqigvO/vBfqACJLZtS7QMgCGXJ6XIR
yy7mx66W0/sOFa7/1mAZtEoIokDP3ShoqF4fVNb6XeqgQfaUHd8wJpDWHcR2OFwv
plUUI1PLTktZ9uW2WE23b+ixNwJjJGwBDJPQEQFBE+vfmH0JP503wr5INS1poWg/
j25sIWeYPHYeOrFp/eXaqhISP6G+q2IeTaWTXpwZj4LzXq5YOpk4bYEQ6mvRq7D1
aHWfYmlEGepfaYR8Q0YqvvhYtMte3ITnuSJs171+GDqpdKcSwHnd6FudwGO4pcCO
j4WcDuXc2CTHgH8gFTNhp/Y8/SpDOhvn9QIDAQAB
-----END RSA PUBLIC KEY-----
"""

# 99966 + the DC id + four digits (Telethon's and Pyrogram's docs).
TEST_PHONE_RE = re.compile(r"^\+?99966[1-3]\d{4}$")

# Telegram's own address blocks (AS62041 and friends): a session that points into them
# is a production (or test) Telegram session.
_TELEGRAM_PREFIXES = ("149.154.16", "149.154.17", "91.108.", "95.161.", "2001:b28:", "2001:67c:4e8")


def test_server(dc_id: int = DEFAULT_TEST_DC, host: str = "", port: int = 0) -> Server:
    """Telegram's test DC `dc_id` (its published address unless `host`/`port` are given)."""
    if dc_id not in TEST_DCS:
        raise ValueError(f"Telegram's test servers are DCs 1 to 3, not {dc_id}")
    return Server(dc_id=dc_id, host=host or TEST_DCS[dc_id], port=port or TEST_PORT, test=True)


def is_telegram_address(host: str) -> bool:
    """True for an address in Telegram's own blocks (production or test DCs)."""
    return host.lower().startswith(_TELEGRAM_PREFIXES)


def is_test_phone(text: str) -> bool:
    """True for one of Telegram's test-DC numbers (99966XYYYY)."""
    return bool(TEST_PHONE_RE.match(re.sub(r"[\s().-]", "", text or "")))


def describe(server: Server | None) -> str:
    """Who the account talks to, in the interface language: "Telegram", "Telegram's test DC 2",
    "the server"."""
    if server is None:
        return "Telegram"
    if server.test:
        return _("Telegram's test DC {dc}").format(dc=server.dc_id)
    return _("the server")


def address(server: Server) -> str:
    """`host:port` (IPv6 hosts in brackets)."""
    host = f"[{server.host}]" if ":" in server.host else server.host
    return f"{host}:{server.port}"


def session_target(
    server: Server, dc_id: int | None, host: str | None, port: int | None
) -> tuple[int, str, int] | None:
    """Where a session with this DC and address must connect so that `server` wins.

    None when the session already points where it should. A session on the server's own
    DC always gets the server's host and port (a moved server, or an import that carried
    production addresses). A session on another DC keeps its address only when that DC
    belongs to the same server (Telegram moved the account to its home DC there: the
    same host on another port, or another of Telegram's test DCs); otherwise it is
    pointed at the server, where a login that belongs elsewhere is refused, which tgtui
    reports as "log in again".
    """
    wanted = (server.dc_id, server.host, server.port)
    if dc_id is None or not host:
        return wanted
    if dc_id == server.dc_id:
        return None if (host, port) == (server.host, server.port) else wanted
    same_server = host in TEST_DCS.values() if server.test else host == server.host
    return None if same_server else wanted


def change_note(old: Server | None, new: Server | None) -> str:
    """What changing an account's server means for its login, in one sentence ('' if nothing).

    A different DC or RSA key (or test vs production) means the saved login belongs to
    the other server: a new login is needed. Only the address changing keeps the login.
    """
    if old == new:
        return ""
    if old is None or new is None:
        return _(
            "The login was made on another server: log in again (select the account and "
            "press l, or `tgtui add NAME` again)."
        )
    if old.dc_id != new.dc_id or old.rsa_key_file != new.rsa_key_file or old.test != new.test:
        return _(
            "The DC or the server's key changed, so the saved login belongs to the old "
            "server: log in again (select the account and press l)."
        )
    return _("Only the address changed; the saved login is kept.")
