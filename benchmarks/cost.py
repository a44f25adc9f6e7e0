"""Health-check cost per account against the simulator: requests, round trips and TL
bytes per check.

`check(tg, account, full=...)` runs on every account of a small simulated world (latency
0). `SimServer.handle` is wrapped on the instance so each request is serialised with
`bytes(request)` (as sent: `InvokeWithLayer(InitConnection(...))` included) and each
answer with the simulator's own TL serialiser. Bytes are TL payloads only: MTProto's
envelope (auth_key_id, msg_key, salt, session, msg_id, seqno, length: ~56 bytes), its
padding (12-1024 bytes), encryption and the transport are not counted; neither is the
connect, which on a session with a key is only a TCP handshake.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any


async def _measure(world: Path, full: bool) -> dict[str, float]:
    from benchmarks import seed
    from tgtui.accounts import State
    from tgtui.telegram.health import check
    from tgtui.telegram.sim.state import serialize as _serialize

    tg = seed.load_world(world, latency=0.0)
    sim = tg.sim
    sent = {"req": 0, "resp": 0}
    handle = sim.handle

    async def counting(sender: Any, request: Any, **kw: Any) -> Any:
        sent["req"] += len(bytes(request))
        result = await handle(sender, request, **kw)
        sent["resp"] += len(_serialize(result))
        return result

    sim.handle = counting
    accounts = tg.store.accounts()
    ok = 0
    for account in accounts:
        health = await check(tg, account, full=full)
        ok += health.state is State.OK
    n = len(accounts)
    return {
        "n": n,
        "ok": ok,
        "requests": len(sim.log) / n,
        "round_trips": sim.round_trips() / n,
        "connects": sim.connects / n,
        "req_bytes": sent["req"] / n,
        "resp_bytes": sent["resp"] / n,
        "names": [f"{k} x{v // n}" for k, v in sorted(Counter(r.name for r in sim.log).items())],
    }


def run(work: Path, world: Path, *, quick: bool) -> list[Any]:
    """Requests and bytes per check, full and quick (`full=False`)."""
    from benchmarks.report import Row

    rows = []
    for full, key in ((True, "full"), (False, "quick")):
        res = asyncio.run(_measure(world, full))
        rows.append(
            Row(
                id=f"cost/{key}-requests",
                figure=f"requests per check, full={full} ({res['ok']}/{res['n']} OK)",
                value=res["requests"],
                notes=[
                    f"full={full}: {res['requests']:g} requests in {res['round_trips']:g} round "
                    f"trips + {res['connects']:g} connect: "
                    + ", ".join(res["names"])
                    + " (InitConnectionRequest carries users.getUsers([self]))"
                ],
            )
        )
        rows.append(
            Row(
                id=f"cost/{key}-bytes",
                figure=f"TL bytes per check, full={full}: {res['req_bytes']:.0f} sent "
                f"+ {res['resp_bytes']:.0f} received",
                value=res["req_bytes"] + res["resp_bytes"],
                unit="B",
            )
        )
    return rows
