"""``python -m tgtui.telegram.sim serve``: the wire server on its own, for people and scripts.

Prints, for each DC, ``host:port`` and the RSA public key file to give a client, then one
line per login code as the simulated Telegram "sends" it. The world (apps and users) comes
from a TOML file, or a small default one::

    [[app]]
    api_id = 12345
    api_hash = "0123456789abcdef0123456789abcdef"

    [[user]]
    phone = "+15550004444"
    first_name = "Dora"
    username = "dora"
    password = "secret"   # optional: two-step verification
    dc = 4
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

from tgtui.telegram.sim.server import SimServer
from tgtui.telegram.sim.wire.handshake import ServerKey
from tgtui.telegram.sim.wire.server import WireServer

DEFAULT_WORLD: dict[str, Any] = {
    "app": [{"api_id": 12345, "api_hash": "0123456789abcdef0123456789abcdef"}],
    "user": [
        {"phone": "+15550002222", "first_name": "Tess", "username": "tess", "dc": 2},
        {
            "phone": "+15550004444",
            "first_name": "Dora",
            "username": "dora",
            "password": "secret",
            "hint": "the usual",
            "dc": 4,
        },
        {"phone": "+15550005555", "first_name": "Fifi", "username": "fifi", "dc": 5},
    ],
}


def load_world(path: str | Path | None) -> dict[str, Any]:
    """The world to serve: the TOML file at ``path``, or the default one."""
    if path is None:
        return DEFAULT_WORLD
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def build_sim(world: dict[str, Any], clock_offset: float = 0.0) -> SimServer:
    """A SimServer holding the world's apps and users, on the real clock (plus offset)."""
    sim = SimServer(clock=lambda: time.time() + clock_offset, seed=int(time.time()))
    for app in world.get("app", []):
        sim.add_app(int(app["api_id"]), str(app["api_hash"]))
    for user in world.get("user", []):
        sim.add_user(
            str(user["phone"]),
            str(user.get("first_name", "User")),
            str(user.get("last_name", "")),
            username=str(user.get("username", "")),
            password=user.get("password"),
            hint=str(user.get("hint", "")),
            dc=int(user.get("dc", 2)),
        )
    return sim


def parser(prog: str = "python -m tgtui.telegram.sim") -> argparse.ArgumentParser:
    """Arguments of the ``serve`` command."""
    p = argparse.ArgumentParser(prog=prog, description="Run the simulated Telegram.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve MTProto on loopback, one port per DC")
    s.add_argument("--dcs", type=int, default=5, help="number of data centres (default 5)")
    s.add_argument("--port-base", type=int, default=None, help="DC n listens on BASE+n-1")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    s.add_argument("--world", default=None, help="TOML file with [[app]] and [[user]]")
    s.add_argument(
        "--key",
        default=None,
        help="the server's RSA private key (PEM); made there if missing "
        "(default: sim-server-rsa.pem in the current folder)",
    )
    s.add_argument("--clock-offset", type=float, default=0.0, help="server clock skew, seconds")
    return p


async def serve(args: argparse.Namespace, *, ready: Any = None) -> None:
    """Run until cancelled (Ctrl+C); print addresses, key file and codes as they come."""
    key_path = Path(args.key or "sim-server-rsa.pem")
    if not key_path.exists():
        print(f"making a 2048-bit RSA key in {key_path} (a few seconds)...", flush=True)
    key = ServerKey.load_or_create(key_path)
    public = key.write_public(key_path.with_suffix(".pub")).resolve()
    sim = build_sim(load_world(args.world), args.clock_offset)
    sim.on_code = lambda phone, code: print(f"code +{phone} {code}", flush=True)
    wire = WireServer(sim, key, dcs=args.dcs, host=args.host, port_base=args.port_base)
    await wire.start()
    try:
        for dc in wire.dcs:
            print(f"dc {dc} {wire.address(dc)} rsa-key {public}", flush=True)
        for app in load_world(args.world).get("app", []):
            print(f"app {app['api_id']} {app['api_hash']}", flush=True)
        print("ready (login codes are printed below as they are sent; Ctrl+C stops)", flush=True)
        if ready is not None:
            ready(wire)
        await asyncio.Event().wait()
    finally:
        await wire.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tgtui.telegram.sim``."""
    args = parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0
