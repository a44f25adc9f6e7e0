"""Loading and checking the pitfalls shipped in `pitfalls.toml`; cached after first use."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from importlib import resources
from typing import Any

from tgtui.i18n import language
from tgtui.troubleshoot.model import ACTIONS, KINDS, STAGES, Pitfall, Wording

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

RESOURCE = "pitfalls.toml"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = {
    "id",
    "title",
    "stages",
    "see",
    "cause",
    "fix",
    "matches",
    "action",
    "links",
    "keywords",
    "kind",
    "ru",
}
_WORDING_FIELDS = {"title", "see", "cause", "fix", "keywords"}
_MATCH_FIELDS = {"errors", "exceptions", "patterns"}


class KnowledgeError(ValueError):
    """The pitfall data is malformed; the message names the pitfall and the field."""


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _wording(entry: Any, where: str) -> Wording | None:
    """The `[pitfall.ru]` table of a pitfall, checked; None when there is none."""
    if entry is None:
        return None
    where = f"{where} [ru]"
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: must be a table")
    unknown = set(entry) - _WORDING_FIELDS
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {sorted(unknown)}")
    fix = _strings(entry.get("fix"), "fix", where)
    if not fix:
        raise KnowledgeError(f"{where}: 'fix' needs at least one step")
    return Wording(
        title=_text(entry, "title", where),
        see=_text(entry, "see", where),
        cause=_text(entry, "cause", where),
        fix=fix,
        keywords=_strings(entry.get("keywords"), "keywords", where),
    )


def parse_pitfall(entry: dict[str, Any], index: int = 0) -> Pitfall:
    """Check one `[[pitfall]]` table and turn it into a Pitfall."""
    where = f"pitfall #{index + 1} ({entry.get('id', '?')})"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {sorted(unknown)}")
    pid = _text(entry, "id", where)
    if not _ID.match(pid):
        raise KnowledgeError(f"{where}: id must be kebab-case")
    stages = _strings(entry.get("stages"), "stages", where)
    if not stages or any(s not in STAGES for s in stages):
        raise KnowledgeError(f"{where}: stages must be some of {list(STAGES)}")
    fix = _strings(entry.get("fix"), "fix", where)
    if not fix:
        raise KnowledgeError(f"{where}: 'fix' needs at least one step")
    kind = entry.get("kind", "problem")
    if kind not in KINDS:
        raise KnowledgeError(f"{where}: kind must be one of {list(KINDS)}")
    action = entry.get("action")
    if action is not None and action not in ACTIONS:
        raise KnowledgeError(f"{where}: unknown action {action!r}")
    links = _strings(entry.get("links"), "links", where)
    if any(not link.startswith("https://") for link in links):
        raise KnowledgeError(f"{where}: links must be https URLs")
    matches = entry.get("matches", {})
    if not isinstance(matches, dict) or set(matches) - _MATCH_FIELDS:
        raise KnowledgeError(f"{where}: 'matches' may only hold {sorted(_MATCH_FIELDS)}")
    patterns = _strings(matches.get("patterns"), "patterns", where)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise KnowledgeError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return Pitfall(
        id=pid,
        title=_text(entry, "title", where),
        stages=stages,
        see=_text(entry, "see", where),
        cause=_text(entry, "cause", where),
        fix=fix,
        errors=_strings(matches.get("errors"), "errors", where),
        exceptions=_strings(matches.get("exceptions"), "exceptions", where),
        patterns=patterns,
        action=action,
        links=links,
        keywords=_strings(entry.get("keywords"), "keywords", where),
        kind=kind,
        ru=_wording(entry.get("ru"), where),
    )


def parse_labels(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The translated stage headings and action labels: `[ru.stages]`, `[ru.actions]`."""
    labels: dict[str, dict[str, str]] = {}
    table = data.get("ru", {})
    if not isinstance(table, dict) or set(table) - {"stages", "actions"}:
        raise KnowledgeError(f"{RESOURCE}: [ru] may only hold [ru.stages] and [ru.actions]")
    for key, known in (("stages", STAGES), ("actions", ACTIONS)):
        part = table.get(key, {})
        if not isinstance(part, dict) or any(not isinstance(v, str) for v in part.values()):
            raise KnowledgeError(f"{RESOURCE}: [ru.{key}] must map names to strings")
        unknown = set(part) - set(known)
        if unknown:
            raise KnowledgeError(f"{RESOURCE}: [ru.{key}] names unknown {sorted(unknown)}")
        labels[key] = {k: v.strip() for k, v in part.items()}
    return labels


def _document(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{RESOURCE}: {exc}") from exc


def parse(text: str) -> tuple[Pitfall, ...]:
    """Parse and check the whole TOML document; ids must be unique."""
    data = _document(text)
    entries = data.get("pitfall")
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"{RESOURCE}: no [[pitfall]] tables")
    pitfalls = tuple(parse_pitfall(entry, i) for i, entry in enumerate(entries))
    seen: set[str] = set()
    for p in pitfalls:
        if p.id in seen:
            raise KnowledgeError(f"duplicate pitfall id {p.id!r}")
        seen.add(p.id)
    return pitfalls


@lru_cache(maxsize=1)
def _text_of_resource() -> str:
    return resources.files("tgtui.troubleshoot").joinpath(RESOURCE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _loaded() -> tuple[tuple[Pitfall, ...], dict[str, Pitfall]]:
    pitfalls = parse(_text_of_resource())
    return pitfalls, {p.id: p for p in pitfalls}


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return parse_labels(_document(_text_of_resource()))


def action_label(action: str, lang: str | None = None) -> str:
    """The short label of an action in `lang` (the interface language when None; English
    when untranslated). The Russian labels live in the data file, beside the pitfalls."""
    if (lang or language()) == "ru":
        label = _labels()["actions"].get(action)
        if label:
            return label
    return ACTIONS.get(action, action)


def stage_heading(stage: str, lang: str | None = None) -> str:
    """The heading of a stage in `lang` (the interface language when None; English when
    untranslated)."""
    if (lang or language()) == "ru":
        heading = _labels()["stages"].get(stage)
        if heading:
            return heading
    return STAGES.get(stage, stage)


def all_pitfalls() -> list[Pitfall]:
    """Every pitfall, in the order of the data file."""
    return list(_loaded()[0])


def get(pitfall_id: str) -> Pitfall | None:
    """The pitfall with this id, or None."""
    return _loaded()[1].get(pitfall_id)


def for_stage(stage: str) -> list[Pitfall]:
    """Pitfalls that can happen at `stage`, in file order. Unknown stages raise ValueError."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; expected one of {list(STAGES)}")
    return [p for p in _loaded()[0] if stage in p.stages]
