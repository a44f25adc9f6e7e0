"""`LoginFlow` and the snapshot tests' `ScriptedFlow` both keep the `LoginSteps` Protocol,
and both can be built the way `LoginFlowFactory` says, so the stand-in cannot drift from
the real flow (a method or attribute missing, or called differently, fails here)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import make_tg
from test_ui_wizard_snapshots import ScriptedFlow

from tgtui.telegram.flow import LoginFlow
from tgtui.telegram.flow_protocol import LoginFlowFactory, LoginSteps

if TYPE_CHECKING:  # mypy checks the same, with the types
    _real: LoginFlowFactory = LoginFlow
    _scripted: LoginFlowFactory = ScriptedFlow


def _methods(protocol: type) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(protocol).items()
        if inspect.isfunction(value) and not name.startswith("_")
    }


def _same_call(wanted: inspect.Signature, given: inspect.Signature) -> list[str]:
    """How `given` cannot be called the way `wanted` says (extra optional params are fine)."""
    want = [p for p in wanted.parameters.values() if p.name != "self"]
    have = {p.name: p for p in given.parameters.values() if p.name != "self"}
    problems = []
    for p in want:
        q = have.pop(p.name, None)
        if q is None:
            problems.append(f"no parameter {p.name!r}")
        elif q.kind != p.kind:
            problems.append(f"{p.name!r} is {q.kind.description}, not {p.kind.description}")
        elif q.default != p.default:
            problems.append(f"{p.name!r} defaults to {q.default!r}, not {p.default!r}")
    problems += [f"extra required parameter {n!r}" for n, q in have.items() if q.default is q.empty]
    return problems


def gaps(flow: object, protocol: type = LoginSteps) -> list[str]:
    """Every way `flow` falls short of `protocol`, as readable lines (empty: it conforms)."""
    found = [f"{name}: missing" for name in protocol.__annotations__ if not hasattr(flow, name)]
    for name, wanted in _methods(protocol).items():
        given = getattr(flow, name, None)
        if given is None:
            found.append(f"{name}(): missing")
            continue
        if inspect.iscoroutinefunction(wanted) != inspect.iscoroutinefunction(given):
            found.append(f"{name}(): {'not ' if inspect.iscoroutinefunction(wanted) else ''}async")
        problems = _same_call(inspect.signature(wanted), inspect.signature(given))
        found += [f"{name}(): {p}" for p in problems]
    return found


@pytest.fixture
def tg(tmp_path: Path) -> Any:
    return make_tg(tmp_path / "cfg")


def test_login_flow_keeps_the_protocol(tg: Any) -> None:
    assert gaps(LoginFlow(tg, name="work")) == []


def test_scripted_flow_keeps_the_protocol(tg: Any) -> None:
    assert gaps(ScriptedFlow(tg, name="work")) == []


@pytest.mark.parametrize("factory", [LoginFlow, ScriptedFlow], ids=lambda f: f.__name__)
def test_both_are_built_the_same_way(factory: type) -> None:
    wanted = inspect.signature(LoginFlowFactory.__call__)
    assert _same_call(wanted, inspect.signature(factory)) == []


def test_a_stand_in_missing_a_method_or_attribute_is_caught(tg: Any) -> None:
    class Drifted(ScriptedFlow):
        resend_code = None  # type: ignore[assignment]  # as if never written

        def back(self, steps: int) -> None:  # type: ignore[override]
            """Not async, and wants an argument nobody passes."""

    flow = Drifted(tg, name="work")
    del flow.warnings
    assert gaps(flow) == [
        "warnings: missing",
        "resend_code(): missing",
        "back(): not async",
        "back(): extra required parameter 'steps'",
    ]


def test_a_constructor_that_drifted_is_caught() -> None:
    def narrow(tg: Any, *, name: str, label: str = "") -> None:
        """Takes no relogin, on_change, proxy, server or auto_name."""

    problems = _same_call(inspect.signature(LoginFlowFactory.__call__), inspect.signature(narrow))
    assert problems == [
        f"no parameter {n!r}"
        for n in ("relogin", "on_change", "proxy", "proxy_secret", "server", "auto_name")
    ]
