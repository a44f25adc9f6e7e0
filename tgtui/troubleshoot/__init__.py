"""The knowledge layer: known pitfalls as data, and a matcher from failures to pitfalls.

UI-free and network-free: imports nothing from `tgtui.telegram`, `tgtui.ui` or Telethon.

    >>> from tgtui.troubleshoot import match
    >>> match("FLOOD_WAIT_300")[0].id
    'flood-wait'
"""

from __future__ import annotations

from tgtui.troubleshoot.knowledge import KnowledgeError, all_pitfalls, for_stage, get
from tgtui.troubleshoot.matcher import looks_like_error_name, match, normalise_name, to_failure
from tgtui.troubleshoot.model import ACTIONS, STAGES, Pitfall, describe, format_wait
from tgtui.troubleshoot.search import answer, lookup

__all__ = [
    "ACTIONS",
    "STAGES",
    "KnowledgeError",
    "Pitfall",
    "all_pitfalls",
    "answer",
    "describe",
    "for_stage",
    "format_wait",
    "get",
    "looks_like_error_name",
    "lookup",
    "match",
    "normalise_name",
    "to_failure",
]
