"""Child for the permissions test: every tgtui file-creating path, under umask 000.

Argv: config root, log dir (neither exists yet). Prints "DONE" at the end. (The TUI's
log file is tested on its own, in test_permissions.py.)
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
from pathlib import Path

os.umask(0)
os.environ["TGTUI_CONFIG_DIR"], os.environ["TGTUI_LOG_DIR"] = sys.argv[1], sys.argv[2]
os.environ["TGTUI_KEYRING"] = "off"  # secrets go to secrets.toml

from reliability.support import API_HASH, API_ID, PHONE, PHONE_2FA, make_world  # noqa: E402
from tgtui.commands import common  # noqa: E402
from tgtui.commands.common import log_exception, override_telegram  # noqa: E402
from tgtui.config import Settings  # noqa: E402
from tgtui.telegram.actions import export_string  # noqa: E402
from tgtui.telegram.errors import TelegramFailure  # noqa: E402
from tgtui.telegram.flow import LoginFlow  # noqa: E402
from tgtui.telegram.health import check_and_save  # noqa: E402


async def logins(tg, sim) -> str:  # noqa: ANN001
    """Logins, a flood, checks, trash and restore; returns acct's session string."""
    root = Path(sys.argv[1])
    Settings().save(root)
    flow = LoginFlow(tg, name="acct")  # pending folder, ledger, session file, secrets.toml
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    await flow.sign_in_code(sim.last_code(PHONE))
    sim.flood_send_code(PHONE_2FA, 60)  # a flood deadline in the ledger
    other = LoginFlow(tg, name="other")
    await other.set_credentials(API_ID, API_HASH)
    with contextlib.suppress(TelegramFailure):
        await other.send_code(PHONE_2FA)
    await other.cancel()
    await check_and_save(tg, tg.store.get("acct"))  # status rewrite, session.lock
    text = await export_string(tg, tg.store.get("acct"))
    tg.store.remove("acct")  # trash
    tg.store.restore("acct")
    tg.store.remove("acct")
    tg.store.restore("acct")
    return text


def main() -> None:
    tg, sim, clock = make_world(Path(sys.argv[1]))
    text = asyncio.run(logins(tg, sim))
    with override_telegram(tg):  # tgtui import --string - (a staging folder, a new account)
        from tgtui.cli import main as cli

        sys.stdin = io.StringIO(text)
        os.environ["H"] = API_HASH
        code = cli(
            ["import", "copy", "--string", "-", "--api-id", str(API_ID), "--api-hash-env", "H"]
        )
        assert code in (0, 1), code
    tg.store.remove("copy")
    try:  # the CLI's crash log
        raise RuntimeError("test")
    except RuntimeError as exc:
        log_exception("perm-test", exc)
    assert common  # imported for override_telegram's module state
    print("DONE", flush=True)


main()
