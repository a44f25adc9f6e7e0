"""Connect and ask one thing, in one round trip: the check's first (and often only) request.

Telethon's `connect()` sends three requests before the caller's first one: the
layer/InitConnection wrapper around `help.getConfig`, then `users.getUsers([self])`,
then `updates.getState` for its update box. A health check needs none of those
answers; Telegram only needs the first request of a connection to be wrapped in
`invokeWithLayer(initConnection(...))`. `connect_with` opens the connection and sends the
caller's request inside that wrapper, so a quick check costs one connect and one round
trip, and every request tgtui sends is one the check uses.

Telethon has no public way to do this, so this module is the one place that touches
its private attributes (`_sender`, `_connection`, `_init_request`, `_no_updates`,
`_log`, `_proxy`, `_local_addr`, `_loop`); `tests/test_telegram_first_request.py` runs
it on the Telethon versions CI tests (1.39 and the newest 1.x).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

from tgtui.accounts import Proxy, Server


@dataclass(frozen=True)
class Answer:
    """The first request's result, and how long its round trip took."""

    result: Any
    rtt_ms: float


async def connect_with(
    client: Any,
    request: Any,
    proxy: Proxy | None = None,
    server: Server | None = None,
    stage: str = "check",
) -> Answer:
    """Connect `client` (whose session holds an auth key) and send `request` as the
    connection's first request, wrapped as Telegram requires. Errors are Telethon's own:
    the same classes `client.connect()` followed by `client(request)` would raise.

    Afterwards `client(...)` works as after `connect()` (without an update loop or
    keepalive pings: this is for short-lived connections); `client.disconnect()` closes.
    """
    from telethon import helpers
    from telethon.tl import functions
    from telethon.tl.alltlobjects import LAYER

    from tgtui.telegram.client import connect_failure
    from tgtui.telegram.connect_errors import capture_attempts

    if client._loop is None:
        client._loop = helpers.get_running_loop()
    session = client.session
    connection = client._connection(
        session.server_address,
        session.port,
        session.dc_id,
        loggers=client._log,
        proxy=client._proxy,
        local_addr=client._local_addr,
    )
    with capture_attempts() as attempts:
        try:
            await client._sender.connect(connection)
        except (ConnectionError, OSError, TimeoutError) as exc:
            raise connect_failure(exc, client, attempts, proxy, server, stage) from exc
    init = copy.copy(client._init_request)  # the client's app/device fields, our query
    init.query = request
    wrapped: Any = init
    if client._no_updates:
        wrapped = functions.InvokeWithoutUpdatesRequest(wrapped)
    started = time.perf_counter()
    result = await client._sender.send(functions.InvokeWithLayerRequest(LAYER, wrapped))
    rtt_ms = round((time.perf_counter() - started) * 1000, 1)
    return Answer(result, rtt_ms)


async def send_together(client: Any, *requests: Any) -> list[Any]:
    """Send `requests` in one container (one round trip); their results in order.

    When some fail, the first failure (in the order given) is raised as itself, as if
    they had been sent one after another.
    """
    from telethon.errors import MultiError

    try:
        return list(await client(list(requests), ordered=False))
    except MultiError as exc:
        first = next(e for e in exc.exceptions if e is not None)
        raise first from None
