"""`tgtui status --format prometheus`: the sweep as Prometheus text exposition format.

Written with `prometheus_client` (its own registry and encoder, so names, label values and
escaping follow the format), for node_exporter's textfile collector run from cron.
Labels name the account only; `--with-identity` adds a `tgtui_account_info` series with
label, masked phone and username.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tgtui.accounts import Account, State

if TYPE_CHECKING:
    from tgtui.telegram.health import Health

REPORTED = [s for s in State if s not in (State.CHECKING, State.UNKNOWN)]


def render_prometheus(
    results: list[Health],
    accounts: dict[str, Account],
    now: float,
    identity: bool = False,
) -> str:
    """Gauges per account: state, up, latency, flood wait left, last check time."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    registry = CollectorRegistry()
    state = Gauge(
        "tgtui_account_state",
        "1 for the state the account's session is in, 0 for the others.",
        ["account", "state"],
        registry=registry,
    )
    up = Gauge(
        "tgtui_account_up", "1 when the session works (state ok).", ["account"], registry=registry
    )
    latency = Gauge(
        "tgtui_account_latency_seconds",
        "Time of the last health check's round trip to Telegram.",
        ["account"],
        registry=registry,
    )
    flood = Gauge(
        "tgtui_account_flood_wait_seconds",
        "Seconds left in the flood wait Telegram imposed (0 when none).",
        ["account"],
        registry=registry,
    )
    checked = Gauge(
        "tgtui_account_last_check_timestamp_seconds",
        "When the account was last checked (Unix time).",
        ["account"],
        registry=registry,
    )
    info = (
        Gauge(
            "tgtui_account_info",
            "The account's label, masked phone and username (asked for by --with-identity).",
            ["account", "label", "phone", "username"],
            registry=registry,
        )
        if identity
        else None
    )
    for h in results:
        for s in REPORTED:
            state.labels(h.name, s.value).set(1 if h.state is s else 0)
        up.labels(h.name).set(1 if h.state is State.OK else 0)
        if h.latency_ms is not None:
            latency.labels(h.name).set(h.latency_ms / 1000)
        left = h.flood_until.timestamp() - now if h.flood_until else 0.0
        flood.labels(h.name).set(max(0.0, round(left)))
        checked.labels(h.name).set(h.checked_at.timestamp())
        if info is not None:
            account = accounts.get(h.name)
            info.labels(
                h.name,
                account.label if account else "",
                h.masked_phone,
                h.user.username if h.user else "",
            ).set(1)
    return generate_latest(registry).decode()
