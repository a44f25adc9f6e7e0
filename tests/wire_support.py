"""Shared set-up for the tests against the wire server (no tests here).

The server's RSA key is a test key in tests/data (2048-bit key generation takes
seconds); each test gets a fresh `SimServer` and `WireServer` on free loopback ports.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountStore, Server
from tgtui.accounts.secrets import SecretStore
from tgtui.config import Settings, prepare
from tgtui.telegram import Telegram
from tgtui.telegram.flow import LoginFlow, Step
from tgtui.telegram.sim import SimServer
from tgtui.telegram.sim.wire import ServerKey, WireServer

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE_DC4 = "+15550004444"  # home DC 4, two-step verification
PASSWORD = "correct horse"
PHONE_DC5 = "+15550005555"  # home DC 5, no 2FA
PHONE_DC2 = "+15550002222"  # home DC 2, no 2FA
CHECK_TIMEOUT = 3.0  # what a user's check_timeout would be; short to keep the tests fast


# A throw-away key pair made for these tests (making a 2048-bit key takes 5-20 s).
TEST_KEY = Path(__file__).parent / "data" / "wire-server-rsa.pem"


@pytest.fixture(scope="session")
def server_key() -> ServerKey:
    """The wire server's RSA key pair (the test key shipped in tests/data)."""
    return ServerKey.load_or_create(TEST_KEY)


@pytest.fixture
def key_file(server_key: ServerKey, tmp_path: Path) -> Path:
    """The server's public key as a PEM file, as a user would be given it."""
    return server_key.write_public(tmp_path / "server.pub")


def make_sim(clock_skew: float = 0.0) -> SimServer:
    """A simulated Telegram on the real clock (shifted by ``clock_skew`` seconds)."""
    sim = SimServer(seed=7, clock=lambda: time.time() + clock_skew)
    sim.add_app(API_ID, API_HASH)
    sim.add_user(PHONE_DC4, "Dora", "Four", username="dora4", password=PASSWORD, hint="horse", dc=4)
    sim.add_user(PHONE_DC5, "Fifi", "Five", username="fifi5", dc=5)
    sim.add_user(PHONE_DC2, "Tess", "Two", username="tess2", dc=2)
    return sim


async def start_wire(server_key: ServerKey, sim: SimServer | None = None) -> WireServer:
    """A started wire server (forgets Telethon's class-wide cached help.getConfig)."""
    from telethon import TelegramClient

    TelegramClient._config = None  # the DC list of an earlier test's server
    return await WireServer(sim or make_sim(), server_key).start()


@pytest.fixture
async def wire(server_key: ServerKey) -> AsyncIterator[WireServer]:
    """A wire server with DCs 1-5 on free ports."""
    server = await start_wire(server_key)
    try:
        yield server
    finally:
        await server.stop()


def make_tg(root: Path, check_timeout: float = CHECK_TIMEOUT) -> Telegram:
    """A real (not simulated in-process) Telegram context on a fresh config root."""
    root = prepare(root)
    settings = Settings(check_timeout=check_timeout)
    return Telegram(AccountStore(root, SecretStore(mode="off")), settings=settings)


def server_setting(wire: WireServer, key_file: Path, dc: int = 2) -> Server:
    """The account's custom-server setting pointing at one DC of the wire server."""
    host, port = wire.addresses[dc]
    return Server(dc_id=dc, host=host, port=port, rsa_key_file=str(key_file))


async def code_login(
    tg: Telegram,
    wire: WireServer,
    key_file: Path,
    *,
    name: str = "dora",
    phone: str = PHONE_DC4,
    password: str | None = PASSWORD,
    dc: int = 2,
) -> Account:
    """A whole code login through tgtui's flow against the wire server."""
    flow = LoginFlow(tg, name=name, server=server_setting(wire, key_file, dc))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(phone)
    assert flow.step is Step.CODE, flow.error
    await flow.sign_in_code(wire.sim.last_code(phone) or "")
    if flow.step is Step.PASSWORD:
        assert password is not None
        await flow.sign_in_password(password)
    assert flow.step is Step.DONE, flow.error
    assert flow.account is not None
    return flow.account


@contextmanager
def wire_in_thread(key: ServerKey, **fault: object) -> Iterator[WireServer]:
    """A wire server on its own event loop in a thread, for synchronous callers (the CLI).

    ``fault`` (keyword arguments of `WireServer.fault`, with ``kind``) is applied at start.
    """
    loop = asyncio.new_event_loop()
    started: list[WireServer] = []
    ready = threading.Event()

    async def run() -> None:
        server = await start_wire(key)
        if fault:
            await server.fault(**fault)  # type: ignore[arg-type]
        started.append(server)
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(run(), loop).result(10)
    ready.wait(10)
    try:
        yield started[0]
    finally:
        asyncio.run_coroutine_threadsafe(started[0].stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
