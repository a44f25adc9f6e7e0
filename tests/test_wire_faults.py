"""Wire faults during connect, key exchange, login and health checks: what the user sees.

Every fault ends as OFFLINE (never BROKEN) with ``host:port`` and what happened in the
message, with its own pitfall, no traceback and no "Future exception was never
retrieved"; lifting the fault brings the account back.
"""

# ruff: noqa: F811  (the wire fixtures are imported from wire_support by name)
from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from wire_support import (  # noqa: F401  (fixtures)
    API_HASH,
    API_ID,
    PHONE_DC2,
    PHONE_DC5,
    code_login,
    key_file,
    make_tg,
    server_key,
    server_setting,
    wire,
)

from tgtui.accounts import State
from tgtui.telegram.errors import TelegramFailure
from tgtui.telegram.flow import LoginFlow, Step
from tgtui.telegram.health import check
from tgtui.telegram.sim.wire import WireServer
from tgtui.troubleshoot import match

# fault kind -> (failure names it may give, words the message must contain)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "http": ({"NOT_MTPROTO"}, "did not answer as a Telegram server"),
    "random": ({"NOT_MTPROTO"}, "did not answer as a Telegram server"),
    "truncate": ({"NOT_MTPROTO"}, "did not answer as a Telegram server"),
    "reset": ({"ConnectionError"}, "connection reset"),
    "drop": ({"ConnectionError"}, "closed the connection"),
    "refuse": ({"ConnectionError"}, "connection refused"),
    "stall": ({"TimeoutError"}, "did not answer within"),
    "wrong_rsa": ({"RSA_KEY_UNKNOWN"}, "RSA key tgtui does not have"),
}
PITFALLS = {
    "NOT_MTPROTO": "not-a-telegram-server",
    "RSA_KEY_UNKNOWN": "server-rsa-key-unknown",
}


@pytest.fixture
def loop_errors() -> Iterator[list[dict[str, Any]]]:
    """Whatever asyncio reports to the loop's exception handler (never-retrieved futures)."""
    loop = asyncio.get_event_loop()
    seen: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context))
    yield seen
    loop.set_exception_handler(previous)


def assert_named(fail: Any, kind: str, where: str) -> None:
    names, words = EXPECTED[kind]
    assert fail is not None
    assert fail.name in names, (kind, fail)
    assert where in fail.message and words in fail.message, (kind, fail.message)
    assert "Unexpected error" not in fail.message and "Traceback" not in fail.message
    if fail.name in PITFALLS:
        assert match(fail)[0].id == PITFALLS[fail.name]


def assert_no_loop_errors(seen: list[dict[str, Any]]) -> None:
    gc.collect()
    messages = [str(c.get("message")) for c in seen]
    assert not any("never retrieved" in m for m in messages), messages


@pytest.mark.parametrize("kind", ["http", "random", "truncate", "reset", "drop", "refuse", "stall"])
async def test_fault_at_connect_during_a_health_check(
    wire: WireServer, key_file: Path, tmp_path: Path, kind: str, loop_errors: list
) -> None:
    tg = make_tg(tmp_path / "cfg", check_timeout=2.0)
    await code_login(tg, wire, key_file, name="tess", phone=PHONE_DC2, password=None)
    await wire.fault(kind, step="connect", dc=2)
    health = await check(tg, tg.store.get("tess"))
    assert health.state is State.OFFLINE, (kind, health)
    assert_named(health.error, kind, wire.address(2))
    assert health.reason == health.error.message
    await wire.clear_faults()
    assert (await check(tg, tg.store.get("tess"))).state is State.OK  # recovery
    assert_no_loop_errors(loop_errors)


@pytest.mark.parametrize("kind", ["http", "random", "reset", "stall"])
async def test_fault_in_the_middle_of_a_health_check(
    wire: WireServer, key_file: Path, tmp_path: Path, kind: str, loop_errors: list
) -> None:
    tg = make_tg(tmp_path / "cfg", check_timeout=2.0)
    await code_login(tg, wire, key_file, name="fifi", phone=PHONE_DC5, password=None)
    await wire.fault(kind, step="request", request="GetUsersRequest")
    health = await check(tg, tg.store.get("fifi"))
    assert health.state is State.OFFLINE, (kind, health)
    assert_named(health.error, kind, wire.address(5))
    await wire.clear_faults()
    assert (await check(tg, tg.store.get("fifi"))).state is State.OK
    assert_no_loop_errors(loop_errors)


@pytest.mark.parametrize(
    "kind", ["http", "random", "truncate", "reset", "drop", "stall", "wrong_rsa"]
)
async def test_fault_during_the_key_exchange_of_a_login(
    wire: WireServer, key_file: Path, tmp_path: Path, kind: str, loop_errors: list
) -> None:
    tg = make_tg(tmp_path / "cfg", check_timeout=2.0)
    flow = LoginFlow(tg, name="tess", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await wire.fault(kind, step="handshake", dc=2)
    with pytest.raises(TelegramFailure):
        await flow.send_code(PHONE_DC2)
    assert flow.step is Step.PHONE  # the user can try again from where they were
    assert_named(flow.error, kind, wire.address(2))
    await wire.clear_faults()
    await flow.send_code(PHONE_DC2)  # recovery: same flow, same screen
    await flow.sign_in_code(wire.sim.last_code(PHONE_DC2) or "")
    assert flow.step is Step.DONE, flow.error
    assert_no_loop_errors(loop_errors)


async def test_a_one_off_garbage_answer_mid_login_is_survived(
    wire: WireServer, key_file: Path, tmp_path: Path, loop_errors: list
) -> None:
    tg = make_tg(tmp_path / "cfg", check_timeout=3.0)
    flow = LoginFlow(tg, name="tess", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE_DC2)
    await wire.fault("http", step="request", request="SignInRequest", times=1)
    await flow.sign_in_code(wire.sim.last_code(PHONE_DC2) or "")  # reconnects, resends
    assert flow.step is Step.DONE, flow.error
    assert_no_loop_errors(loop_errors)


async def test_a_lasting_garbage_answer_mid_login_is_named_then_recovers(
    wire: WireServer, key_file: Path, tmp_path: Path, loop_errors: list
) -> None:
    tg = make_tg(tmp_path / "cfg", check_timeout=3.0)
    flow = LoginFlow(tg, name="tess", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE_DC2)
    await wire.fault("http", step="request", request="SignInRequest")
    with pytest.raises(TelegramFailure):
        await flow.sign_in_code(wire.sim.last_code(PHONE_DC2) or "")
    assert flow.step is Step.CODE
    assert_named(flow.error, "http", wire.address(2))
    await wire.clear_faults()
    # Newer Telethon keeps resending in the background, which may use up the code once
    # the port is healthy again: ask for a new code, as a user would.
    await flow.back()
    await flow.send_code(PHONE_DC2)
    await flow.sign_in_code(wire.sim.last_code(PHONE_DC2) or "")
    assert flow.step is Step.DONE, flow.error
    assert_no_loop_errors(loop_errors)


async def test_cli_status_names_a_port_that_answers_http(wire: WireServer, key_file: Path) -> None:
    """Issue 16 item 2 / 15 item 6, from the user's side: no traceback, not BROKEN."""
    root = Path(os.environ["TGTUI_CONFIG_DIR"])
    tg = make_tg(root)
    await code_login(tg, wire, key_file, name="tess", phone=PHONE_DC2, password=None)
    await wire.fault("http", step="connect")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tgtui",
        "status",
        "tess",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out_b, err_b = await asyncio.wait_for(proc.communicate(), 60)
    out, err = out_b.decode(), err_b.decode()
    assert proc.returncode == 1, (out, err)
    text = " ".join((out + err).split())  # status wraps long reasons at 80 columns
    assert "Traceback" not in text and "never retrieved" not in text, text
    assert f"{wire.address(2)} did not answer as a Telegram server" in text, text
    assert "BROKEN" not in text.upper().replace("NOT BROKEN", "")


def test_cli_add_names_a_port_that_answers_http(server_key, tmp_path: Path, capsys) -> None:
    """Issue 15 item 6: `tgtui add` showed IncompleteReadError's traceback mid-prompts."""
    from wire_support import wire_in_thread

    from tgtui.cli import main
    from tgtui.commands import prompts

    public = server_key.write_public(tmp_path / "server.pub")
    with wire_in_thread(server_key, kind="http", step="connect") as wire:
        scripted = prompts.Scripted([str(API_ID), API_HASH, PHONE_DC2])
        with prompts.use(scripted):
            code = main(
                ["add", "tess", "--server", wire.address(2), "--dc", "2", "--rsa-key", str(public)]
            )
        where = wire.address(2)
    out = capsys.readouterr()
    said = "\n".join(scripted.said) + out.out + out.err
    assert code != 0
    assert f"{where} did not answer as a Telegram server" in said, said
    assert "Traceback" not in said and "IncompleteReadError" not in said
    assert "The server's port did not answer as a Telegram server" in said  # its pitfall
