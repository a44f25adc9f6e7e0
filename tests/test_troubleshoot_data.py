"""The shipped pitfall data is complete, consistent and readable."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tgtui.troubleshoot import ACTIONS, STAGES, KnowledgeError, all_pitfalls, for_stage, get
from tgtui.troubleshoot.knowledge import parse

# First words a fix step may start with: imperative verbs only.
_VERB_LIST = """
    Allow Appeal Ask Avoid Cancel Change Check Choose Clear Close Come Compare Confirm Connect
    Copy Correct Create Delete Enlarge Enter Extend Fill Find Follow Get Give Go Keep Lengthen Let
    Leave Log Look Lower Make Move Open Pick Point Prepare Put Read Reconnect Remove Replace
    Request Reset Restart Restrict Retire Retry Reuse Review Scan Set Show Sign Space Spread
    Start Stop Submit Switch Tell Terminate Test Try Turn Type Unlock Update Use Wait Write Zoom
"""
VERBS = frozenset(_VERB_LIST.split())
ARTICLES = {"a", "an", "the", "this", "that", "your", "my", "it"}


def test_there_are_enough_pitfalls_to_be_useful() -> None:
    assert len(all_pitfalls()) >= 45


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [p.id for p in all_pitfalls()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_every_pitfall_has_a_title_what_you_see_and_a_cause() -> None:
    for p in all_pitfalls():
        assert p.title and p.see and p.cause, p.id
        assert p.title[0].isupper() or p.title.startswith(("my.", "tgtui")), p.id


def test_stages_and_actions_come_from_the_fixed_sets() -> None:
    for p in all_pitfalls():
        assert p.stages and set(p.stages) <= set(STAGES), p.id
        assert p.action is None or p.action in ACTIONS, p.id
        assert (p.action_label is None) == (p.action is None)


def test_every_fix_is_a_list_of_steps_starting_with_a_capitalised_verb() -> None:
    for p in all_pitfalls():
        assert p.fix, p.id
        for step in p.fix:
            first = step.split()[0].rstrip(",;:")
            assert first.lower() not in ARTICLES, (p.id, step)
            assert first in VERBS, f"{p.id}: step does not start with a known verb: {step!r}"
            assert step.endswith("."), (p.id, step)


def test_links_are_https_urls_without_spaces() -> None:
    for p in all_pitfalls():
        for link in p.links:
            assert re.fullmatch(r"https://[\w.-]+\.[a-z]{2,}(/\S*)?", link), (p.id, link)


def test_every_action_and_stage_is_used_by_some_pitfall() -> None:
    used_actions = {p.action for p in all_pitfalls()}
    assert set(ACTIONS) <= used_actions
    for stage in STAGES:
        assert for_stage(stage), stage


def test_patterns_are_valid_and_match_case_insensitively() -> None:
    for p in all_pitfalls():
        for pattern in p.patterns:
            re.compile(pattern, re.IGNORECASE)


def test_get_and_for_stage() -> None:
    assert get("flood-wait") is not None
    assert get("no-such-pitfall") is None
    assert all("qr" in p.stages for p in for_stage("qr"))
    with pytest.raises(ValueError):
        for_stage("nowhere")


def test_loading_is_cached() -> None:
    assert all_pitfalls()[0] is all_pitfalls()[0]
    assert get("flood-wait") is get("flood-wait")


MINIMAL = """
[[pitfall]]
id = "x-y"
title = "Something breaks"
stages = ["code"]
see = "It breaks."
cause = "Because."
fix = ["Wait."]
"""


def test_the_loader_accepts_minimal_data() -> None:
    (p,) = parse(MINIMAL)
    assert p.id == "x-y" and p.fix == ("Wait.",) and p.action is None


@pytest.mark.parametrize(
    "change",
    [
        ('stages = ["code"]', 'stages = ["kitchen"]'),
        ('fix = ["Wait."]', "fix = []"),
        ('id = "x-y"', 'id = "X_Y"'),
        ('fix = ["Wait."]', 'fix = ["Wait."]\naction = "dance"'),
        ('fix = ["Wait."]', 'fix = ["Wait."]\nlinks = ["http://my.telegram.org"]'),
        ('fix = ["Wait."]', 'fix = ["Wait."]\nmatches = { patterns = ["("] }'),
        ('fix = ["Wait."]', 'fix = ["Wait."]\nmatchs = { errors = ["X"] }'),
        ('see = "It breaks."', ""),
    ],
)
def test_the_loader_rejects_malformed_data(change: tuple[str, str]) -> None:
    with pytest.raises(KnowledgeError):
        parse(MINIMAL.replace(*change))


def test_the_loader_rejects_duplicate_ids() -> None:
    with pytest.raises(KnowledgeError, match="duplicate"):
        parse(MINIMAL + MINIMAL)


def test_the_knowledge_layer_imports_no_telethon_telegram_or_ui() -> None:
    code = (
        "import sys, tgtui.troubleshoot, tgtui.troubleshoot.render;"
        "tgtui.troubleshoot.match('FLOOD_WAIT_3');"
        "bad = [m for m in sys.modules if m.startswith(('telethon', 'tgtui.telegram',"
        " 'tgtui.ui', 'textual'))];"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
