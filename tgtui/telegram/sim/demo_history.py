"""A made-up past for the demo accounts, so the details screen has a timeline to show.

Deterministic for a given clock: the same scene serves the demo, the snapshot tests and
the screenshots. Each account's story ends in the state the demo gives it now.
"""

from __future__ import annotations

import random
from datetime import datetime

from tgtui.accounts.model import State, Status
from tgtui.accounts.timeline import FLOOD, STATE, Event, History, Latency

H = 3600
D = 86400

# Per account: (seconds before now, new state, error, flood seconds) after the first OK.
STORIES: dict[str, list[tuple[int, State, str, int]]] = {
    "work": [
        (2 * D + 3 * H, State.OFFLINE, "ConnectionError", 0),
        (2 * D + 2 * H, State.OK, "", 0),
    ],
    "shop-bot": [
        (3 * D + 2 * H, State.FLOOD_WAIT, "FLOOD_WAIT", 300),
        (3 * D + 2 * H - 300, State.OK, "", 0),
    ],
    "promo": [
        (6 * D, State.FLOOD_WAIT, "FLOOD_WAIT", 1800),
        (6 * D - 1800, State.OK, "", 0),
        (4 * D + 7 * H, State.FLOOD_WAIT, "FLOOD_WAIT", 3 * H),
        (4 * D + 4 * H, State.OK, "", 0),
        (29 * H, State.FLOOD_WAIT, "FLOOD_WAIT", 900),
        (29 * H - 900, State.OK, "", 0),
        (9 * H, State.FLOOD_WAIT, "FLOOD_WAIT", 2 * H),
        (7 * H, State.OK, "", 0),
    ],
    "old-phone": [(2 * D + 5 * H, State.REVOKED, "SESSION_REVOKED", 0)],
    "eu-proxy": [
        *[
            step
            for day in range(5, 0, -1)
            for step in (
                (day * D + 8 * H, State.OFFLINE, "ConnectionError", 0),
                (day * D + 7 * H, State.OK, "", 0),
            )
        ],
        (70 * 60, State.OFFLINE, "ConnectionError", 0),
    ],
    "spam-test": [
        (5 * D + 3 * H, State.FLOOD_WAIT, "FLOOD_WAIT", 600),
        (5 * D + 3 * H - 600, State.OK, "", 0),
        (3 * D + 4 * H, State.BANNED, "USER_DEACTIVATED_BAN", 0),
    ],
}


def demo_history(
    name: str, index: int, created: datetime, status: Status, now: datetime
) -> History:
    """The past of demo account `name`, ending in `status` (its state now)."""
    end = int(now.timestamp())
    start = int(created.timestamp())
    events = [Event(start, "login"), Event(start + 60, STATE, State.OK)]
    state = State.OK
    for ago, new, error, flood in STORIES.get(name, []):
        at = end - ago
        events.append(Event(at, STATE, new, state, error))
        if flood:
            events.append(Event(at, FLOOD, seconds=flood))
        state = new
    if status.checked_at is not None and status.state is not state:
        at = int(status.checked_at.timestamp())
        events.append(Event(at, STATE, status.state, state, status.error))
        if status.flood_until is not None:
            events.append(Event(at, FLOOD, seconds=int(status.flood_until.timestamp()) - at))
    history = History(events=sorted(events, key=lambda e: e.at))
    rng = random.Random(index)
    base = 80 + 17.5 * index
    first = max(start, end - 7 * D)
    for hour in range(first - first % H, end - end % H, H):
        if history.state_at(hour + H // 2) is not State.OK:
            continue
        median = base * rng.uniform(0.85, 1.25) * (1.6 if rng.random() < 0.05 else 1.0)
        history.latency.append(
            Latency(hour, H, 120, round(median * 0.8, 1), round(median, 1), round(median * 1.7, 1))
        )
    return history
