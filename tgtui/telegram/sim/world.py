"""The demo world: sample accounts on a simulated Telegram, in a throw-away config folder.

The same scene serves the demo, the tests, the screenshots and the benchmarks. Every
account's state is real: its session file holds an auth key the simulator knows, and the
simulator was told to revoke, ban, flood or cut off the ones that show those states.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tgtui.accounts import Account, AccountStore, Proxy, State, Status, UserInfo
from tgtui.accounts.secrets import SecretStore
from tgtui.config import Settings, prepare
from tgtui.telegram.context import Telegram
from tgtui.telegram.demo import (
    DEMO_2FA_PHONE,
    DEMO_API_HASH,
    DEMO_API_ID,
    DEMO_NEW_PHONE,
    DEMO_PASSWORD,
    DEMO_PASSWORD_HINT,
)
from tgtui.telegram.sim.demo_history import demo_history
from tgtui.telegram.sim.server import SimServer


@dataclass(frozen=True)
class Sample:
    """One demo account and the fault that gives it its state."""

    name: str
    label: str
    phone: str
    first: str
    last: str
    username: str
    state: State
    fault: str = ""  # "", "2fa", "flood", "revoked", "offline", "banned"
    premium: bool = False


SAMPLES: tuple[Sample, ...] = (
    Sample("work", "Work inbox", "+15550100001", "Ann", "Lee", "ann_ops", State.OK, premium=True),
    Sample(
        "shop-bot",
        "Shop support",
        "+442079460002",
        "Shop",
        "Desk",
        "shopdesk",
        State.OK,
        fault="2fa",
    ),
    Sample(
        "promo",
        "Promo sender",
        "+34612000003",
        "Promo",
        "",
        "promo_es",
        State.FLOOD_WAIT,
        fault="flood",
    ),
    Sample("old-phone", "", "+491510000004", "Old", "Phone", "", State.REVOKED, fault="revoked"),
    Sample(
        "eu-proxy",
        "Via Frankfurt proxy",
        "+33612000005",
        "Claire",
        "Martin",
        "claire_m",
        State.OFFLINE,
        fault="offline",
    ),
    Sample("spam-test", "", "+15550100006", "Test", "Bot", "", State.BANNED, fault="banned"),
)

FLOOD_SECONDS = 252  # 4:12


def build_world(
    root: Path,
    *,
    clock: Callable[[], float] = time.time,
    latency: float = 0.12,
    samples: tuple[Sample, ...] = SAMPLES,
) -> Telegram:
    """Create the demo scene in `root` and return a Telegram context on the simulator."""
    root = prepare(Path(root))
    sim = SimServer(clock=clock, seed=7, latency=latency)
    sim.add_app(DEMO_API_ID, DEMO_API_HASH)
    sim.add_user(DEMO_NEW_PHONE, "Dana", "Newcomer", "dana_new")
    sim.add_user(
        DEMO_2FA_PHONE, "Sam", "Secure", "sam_2fa", password=DEMO_PASSWORD, hint=DEMO_PASSWORD_HINT
    )
    store = AccountStore(root, SecretStore(mode="off"))
    now = datetime.fromtimestamp(clock(), timezone.utc)
    pending = root / "pending"
    pending.mkdir(mode=0o700, exist_ok=True)
    for index, s in enumerate(samples):
        sim.add_user(
            s.phone,
            s.first,
            s.last,
            s.username,
            premium=s.premium,
            password=DEMO_PASSWORD if s.fault == "2fa" else None,
            hint=DEMO_PASSWORD_HINT if s.fault == "2fa" else "",
        )
        sim.add_other_session(s.phone, "iPhone 15", "Telegram iOS", "Spain", platform="iOS")
        if index % 2 == 0:
            sim.add_other_session(
                s.phone, "MacBook Air", "Telegram macOS", "Portugal", platform="macOS"
            )
        session = pending / f"{s.name}.session"
        sim.authorize_session(session, s.phone, DEMO_API_ID)
        user = UserInfo(
            id=sim.user(s.phone).id,
            first_name=s.first,
            last_name=s.last,
            username=s.username,
            premium=s.premium,
        )
        checked = now - timedelta(minutes=3 + index)
        status = Status(
            state=s.state,
            reason=_reason(s.state),
            checked_at=checked,
            latency_ms=round(80 + 17.5 * index, 1) if s.state is State.OK else None,
            error=_error(s.state),
            flood_until=now + timedelta(seconds=FLOOD_SECONDS) if s.fault == "flood" else None,
            dc=sim.user(s.phone).dc,
            two_fa=s.fault == "2fa",
            other_sessions=1 + (index % 2 == 0),
        )
        proxy = Proxy("socks5", "proxy.example.net", 1080) if s.fault == "offline" else None
        created = now - timedelta(days=30 - index)
        past = demo_history(s.name, index, created, status, now)
        last = past.last_change()
        if last is not None:  # "since" as the made-up past tells it
            status = replace(status, since=datetime.fromtimestamp(last.at, timezone.utc))
        store.create(
            Account(
                name=s.name,
                label=s.label,
                api_id=DEMO_API_ID,
                phone=s.phone,
                user=user,
                status=status,
                proxy=proxy,
                created=created,
            ),
            DEMO_API_HASH,
            session_file=session,
        )
        store.history(s.name).rewrite(past)
        _apply_fault(sim, s, FLOOD_SECONDS)
    settings = Settings(refresh_interval=30.0, concurrency=4, check_timeout=8.0)
    return Telegram(store, sim=sim, settings=settings, clock=clock)


def _apply_fault(sim: object, s: Sample, flood_seconds: int) -> None:
    if s.fault == "flood":
        sim.set_flood(s.phone, flood_seconds)  # type: ignore[attr-defined]
    elif s.fault == "revoked":
        sim.revoke(s.phone, how="revoked")  # type: ignore[attr-defined]
    elif s.fault == "offline":
        sim.set_offline(True, phone=s.phone)  # type: ignore[attr-defined]
    elif s.fault == "banned":
        sim.ban(s.phone)  # type: ignore[attr-defined]


def _reason(state: State) -> str:
    # The sentences a real check stores (English on disk; shown in the interface language).
    from tgtui.telegram.health import REASONS

    return "" if state is State.OK else REASONS.get(state, "")


def _error(state: State) -> str:
    return {
        State.FLOOD_WAIT: "FLOOD_WAIT",
        State.REVOKED: "SESSION_REVOKED",
        State.OFFLINE: "ConnectionError",
        State.BANNED: "USER_DEACTIVATED_BAN",
    }.get(state, "")
