"""A Telethon client wired to the simulated Telegram instead of the network.

`SimClient` is a real `TelegramClient` whose `_sender` (Telethon's `MTProtoSender`, the
only object that opens sockets) is replaced by `SimSender`. Everything above the sender
runs unchanged: `connect()` (InitConnection + GetConfig, get_me, GetState), `_call()`
(flood-wait cache and auto-sleep, retries, entity caching), the update loop and event
dispatch (so `QRLogin.wait()` really receives `UpdateLoginToken`), `log_out()` deleting
the session file, and so on.

Results travel as bytes: each answer is serialised and read back with the request's own
`read_result`, exactly like a network response, so a malformed TL object fails here.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

from telethon import TelegramClient, helpers
from telethon.crypto import AuthKey
from telethon.extensions import BinaryReader
from telethon.sessions import Session
from telethon.tl import TLObject, functions

from tgtui.telegram.sim.server import DC_ADDRESSES, DC_PORT, RpcFailure, SimServer, to_error
from tgtui.telegram.sim.state import serialize


def _roundtrip(request: TLObject, result: Any) -> Any:
    with BinaryReader(serialize(result)) as reader:
        return request.read_result(reader)


class SimSender:
    """Stands in for `telethon.network.MTProtoSender`: same surface, no sockets.

    Requests go to `SimServer.handle`; each `send()` returns a future, as the real sender
    does. Updates the server pushes land in the client's update queue.
    """

    def __init__(self, server: SimServer, client: TelegramClient, auth_key: AuthKey | None) -> None:
        self._server = server
        self._updates_queue: asyncio.Queue[Any] = client._updates_queue
        self._auth_key_callback = client._auth_key_callback
        self.auth_key = auth_key or AuthKey(None)
        self._connection: Any = None
        self._user_connected = False
        self._reconnecting = False
        self._ping: int | None = None
        self._disconnected_future: asyncio.Future[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: set[asyncio.Future[Any]] = set()
        self._attached: Any = None  # the server's SimKey this sender receives updates for
        self.no_updates = False

    # ---------------------------------------------------------------- MTProtoSender API

    async def connect(self, connection: Any) -> bool:
        """Connect (no socket): create and register an auth key if the session has none."""
        if self._user_connected:
            return False
        self._server.check_connect(self.auth_key if self.auth_key else None)
        await self._server.sleep_latency()
        self._connection = connection
        if not self.auth_key:
            key = self._server.new_key(getattr(connection, "_dc_id", 2) or 2)
            self.auth_key.key = key.key
            if self._auth_key_callback:
                saved = self._auth_key_callback(self.auth_key)
                if inspect.isawaitable(saved):  # a coroutine in newer Telethon releases
                    await saved
        self._user_connected = True
        self._attach()
        loop = asyncio.get_running_loop()
        if self._disconnected_future is None or self._disconnected_future.done():
            self._disconnected_future = loop.create_future()
        return True

    def is_connected(self) -> bool:
        """True between connect() and disconnect() (or a dropped connection)."""
        return self._user_connected

    def _transport_connected(self) -> bool:
        return self._user_connected

    async def disconnect(self) -> None:
        """Disconnect: pending requests are cancelled, as Telethon does on user disconnect."""
        self._close(None)

    def send(self, request: Any, ordered: bool = False) -> Any:
        """Queue a request (or a list of them); returns a future (or a list of futures)."""
        if not self._user_connected:
            raise ConnectionError("Cannot send requests while disconnected")
        loop = asyncio.get_running_loop()
        trip = self._server.new_trip()  # one send() is one packet: a round trip
        if not isinstance(request, (list, tuple)):
            future = loop.create_future()
            self._spawn(self._run([(request, future)], trip))
            return future
        pairs = [(r, loop.create_future()) for r in request]
        if ordered:
            self._spawn(self._run(pairs, trip))
        else:
            for pair in pairs:
                self._spawn(self._run([pair], trip))
        return [f for _, f in pairs]

    @property
    def disconnected(self) -> asyncio.Future[None]:
        """Resolves when the connection ends (with ConnectionError if it dropped)."""
        if self._disconnected_future is None:
            self._disconnected_future = asyncio.get_running_loop().create_future()
            self._disconnected_future.set_result(None)
        return asyncio.shield(self._disconnected_future)

    def _keepalive_ping(self, rnd_id: int) -> None:
        future = self.send(functions.PingRequest(rnd_id))
        future.add_done_callback(_consume)

    # ---------------------------------------------------------------- sim side

    def deliver_update(self, update: Any) -> bool:
        """Put a server-pushed update in the client's queue (False if it gets no updates)."""
        if not self._user_connected or self.no_updates:
            return False
        self._updates_queue.put_nowait(update)
        return True

    def drop(self, error: BaseException) -> BaseException:
        """The server dropped this connection: fail everything pending with ``error``."""
        self._close(error)
        return error

    # ---------------------------------------------------------------- internals

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, pairs: list[tuple[Any, asyncio.Future[Any]]], trip: int) -> None:
        for _, future in pairs:
            self._pending.add(future)
        try:
            for request, future in pairs:
                if future.done():
                    continue
                try:
                    answer = await self._server.handle(self, request, trip=trip)
                    result = _roundtrip(request, answer)
                except RpcFailure as failure:
                    if not future.done():
                        future.set_exception(to_error(failure, request))
                except asyncio.CancelledError:
                    if not future.done():
                        future.cancel()
                    raise
                except Exception as exc:  # ConnectionError, AuthKeyNotFound, fail_next(...)
                    if not future.done():
                        future.set_exception(exc)
                else:
                    if not future.done():
                        future.set_result(result)
        finally:
            for _, future in pairs:
                self._pending.discard(future)

    def _attach(self) -> None:
        key = self._server.keys.get(self.auth_key.key_id or 0)
        if key is not None and key.key == self.auth_key.key and self not in key.senders:
            key.senders.append(self)
            self._attached = key

    def _detach(self) -> None:
        key, self._attached = self._attached, None
        if key is not None and self in key.senders:
            key.senders.remove(self)

    def _close(self, error: BaseException | None) -> None:
        self._user_connected = False
        self._detach()
        current = asyncio.current_task()
        for future in list(self._pending):
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
                future.add_done_callback(_consume)
            else:
                future.cancel()
        self._pending.clear()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        self._connection = None
        done = self._disconnected_future
        if done is not None and not done.done():
            if error is not None:
                done.set_exception(error)
                done.exception()  # mark retrieved: nobody has to await it
            else:
                done.set_result(None)


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class SimClient(TelegramClient):
    """A `TelegramClient` whose network sender is the simulated Telegram."""

    # Telethon caches help.getConfig on the class; keep the sim's apart from real clients'.
    _config = None
    _cdn_config = None

    def __init__(
        self,
        server: SimServer,
        session: str | Path | Session,
        api_id: int,
        api_hash: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(session, api_id, api_hash, **kwargs)
        self.sim_server = server
        self._sender = SimSender(server, self, self.session.auth_key)

    async def connect(self) -> None:
        """Telethon's connect(); first stops update/keepalive tasks left by a dropped link."""
        if not self._sender.is_connected():
            await helpers._cancel(
                self._log[__name__],
                updates_handle=self._updates_handle,
                keepalive_handle=self._keepalive_handle,
            )
        await super().connect()

    async def _create_exported_sender(self, dc_id: int) -> Any:
        """Other-DC senders (file downloads) reuse the account's key on the one sim server."""
        sender = SimSender(self.sim_server, self, self._sender.auth_key)
        await sender.connect(
            self._connection(
                DC_ADDRESSES.get(dc_id, DC_ADDRESSES[2]),
                DC_PORT,
                dc_id,
                loggers=self._log,
                proxy=self._proxy,
                local_addr=self._local_addr,
            )
        )
        return sender

    async def _get_cdn_client(self, cdn_redirect: Any) -> Any:
        raise NotImplementedError("the simulated Telegram has no CDN")


def sim_client(
    server: SimServer,
    session: str | Path | Session,
    api_id: int,
    api_hash: str,
    **kwargs: Any,
) -> SimClient:
    """A Telethon client for ``session`` that talks to ``server``; kwargs go to TelegramClient."""
    return SimClient(server, session, api_id, api_hash, **kwargs)
