"""The translation catalogs: extract the marked sentences, update the Russian `.po` files,
compile them to the `.mo` files shipped in the wheel, and check that nothing is missing.

    python -m tools.catalogs update [AREA ...]   # after changing sentences in the code
    python -m tools.catalogs compile [AREA ...]  # after translating (.mo files are committed)
    python -m tools.catalogs check     # what the tests check: exit 1 and a list if not clean

One catalog per area of the code (cli, ui, wizard, accounts, telegram, troubleshoot), so
work on two areas never edits the same file. Needs Babel (a test dependency).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "tgtui"
LOCALE = PACKAGE / "locale"
TRANSLATED = ("ru",)

# gettext keywords as tgtui.i18n names them.
KEYWORDS: dict[str, object] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "gettext_in": (2,),
}

# Area → the files whose sentences its catalog holds (first match wins, in this order).
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wizard", ("ui/screens/wizard*.py",)),
    ("ui", ("ui/**/*.py",)),
    ("cli", ("cli.py", "commands/**/*.py", "api.py")),
    ("accounts", ("accounts/**/*.py", "config.py", "logfile.py")),
    ("telegram", ("telegram/**/*.py", "failure.py")),
    ("troubleshoot", ("troubleshoot/**/*.py",)),
)
SKIPPED = ("telegram/sim/",)  # the simulator speaks for Telegram's servers, in English

_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%\(?[a-z_]*\)?[sd]")


def area_of(path: Path) -> str | None:
    """The catalog a source file's sentences go to (None: not translated)."""
    rel = path.relative_to(PACKAGE).as_posix()
    if any(rel.startswith(s) for s in SKIPPED):
        return None
    for area, patterns in AREAS:
        if any(Path(rel).match(p) or _glob_match(rel, p) for p in patterns):
            return area
    return None


def _glob_match(rel: str, pattern: str) -> bool:
    if "**/" in pattern:
        head, tail = pattern.split("**/", 1)
        return rel.startswith(head) and Path(rel).match(tail)
    return False


def sources() -> Iterator[tuple[str, Path]]:
    """Every (area, file) of the package that is translated."""
    for path in sorted(PACKAGE.rglob("*.py")):
        area = area_of(path)
        if area is not None:
            yield area, path


def extract(area: str) -> Catalog:
    """The sentences marked in one area's files, as a template catalog."""
    template = Catalog(project="tgtui", charset="utf-8")
    for a, path in sources():
        if a != area:
            continue
        rel = path.relative_to(REPO).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python",
            str(path),
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            template.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str, area: str) -> Path:
    """Where one area's catalog of `lang` lives."""
    return LOCALE / lang / "LC_MESSAGES" / f"{area}.po"


def _read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, project="tgtui", charset="utf-8")
    with path.open("rb") as fp:
        return read_po(fp, locale=lang)


# Fixed header dates: an update that changes no sentence changes no byte (no merge noise).
_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _po_bytes(catalog: Catalog) -> bytes:
    catalog.creation_date = catalog.revision_date = _DATE
    catalog.fuzzy = False
    buf = io.BytesIO()
    write_po(
        buf,
        catalog,
        width=100,
        no_location=True,
        omit_header=False,
        sort_output=True,
        ignore_obsolete=True,
        include_previous=False,
    )
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _areas(only: list[str] | None) -> list[str]:
    names = [area for area, _patterns in AREAS]
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise SystemExit(f"unknown area {', '.join(unknown)}; areas: {', '.join(names)}")
    return [a for a in names if not only or a in only]


def update(only: list[str] | None = None) -> None:
    """Bring the `.po` files of the named areas (all when none) in line with the code: new
    sentences added (untranslated), gone ones dropped, translations kept."""
    for lang in TRANSLATED:
        for area in _areas(only):
            template = extract(area)
            path = po_path(lang, area)
            catalog = _read(path, lang)
            catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_po_bytes(catalog))
            print(f"{path.relative_to(REPO)}: {len(template)} sentences")


def compile_all(only: list[str] | None = None) -> None:
    """Compile the `.po` files of the named areas (all when none) to the `.mo` files beside
    them."""
    for lang in TRANSLATED:
        for area in _areas(only):
            path = po_path(lang, area)
            if path.exists():
                path.with_suffix(".mo").write_bytes(_mo_bytes(_read(path, lang)))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _placeholders(text: str) -> set[str]:
    return {m.split(":")[0].split("!")[0] for m in _PLACEHOLDER.findall(text)}


def check() -> list[Problem]:
    """Every marked sentence translated (not fuzzy), the same placeholders in both languages,
    and each `.mo` file compiled from its `.po` as it is now."""
    problems: list[Problem] = []
    for lang in TRANSLATED:
        for area, _patterns in AREAS:
            template = extract(area)
            path = po_path(lang, area)
            where = str(path.relative_to(REPO))
            if not path.exists():
                if len(template):
                    problems.append(
                        Problem(where, "missing (run: python -m tools.catalogs update)")
                    )
                continue
            catalog = _read(path, lang)
            for msg in template:
                if not msg.id:
                    continue
                found = catalog.get(msg.id, context=msg.context)
                english = msg.id if isinstance(msg.id, str) else msg.id[0]
                if found is None:
                    problems.append(Problem(where, f"not in the catalog: {english!r}"))
                    continue
                strings = (
                    found.string if isinstance(found.string, (list, tuple)) else [found.string]
                )
                if found.fuzzy or not all(strings):
                    problems.append(Problem(where, f"not translated: {english!r}"))
                    continue
                ids = msg.id if isinstance(msg.id, (list, tuple)) else [msg.id]
                want = set().union(*(_placeholders(i) for i in ids))
                for s in strings:
                    got = _placeholders(s)
                    if got - want or (len(ids) == 1 and want - got):
                        problems.append(
                            Problem(
                                where,
                                f"placeholders differ in {english!r}: "
                                f"{sorted(got)} vs {sorted(want)}",
                            )
                        )
            mo = path.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
                problems.append(
                    Problem(where, "the .mo file is stale (run: python -m tools.catalogs compile)")
                )
    return problems


def fill(lang: str, area: str, translations: dict[str, str | tuple[str, ...]]) -> int:
    """Set translations in one catalog (a helper for scripted translation work); returns how
    many sentences it changed. Unknown sentences are reported, not added."""
    path = po_path(lang, area)
    catalog = _read(path, lang)
    changed = 0
    for english, text in translations.items():
        msg = catalog.get(english)
        if msg is None:
            msg = next((m for m in catalog if isinstance(m.id, tuple) and m.id[0] == english), None)
        if msg is None:
            print(f"not in {area}: {english!r}", file=sys.stderr)
            continue
        msg.string = text
        msg.flags.discard("fuzzy")
        changed += 1
    path.write_bytes(_po_bytes(catalog))
    return changed


def main(argv: list[str]) -> int:
    """`update`, `compile` or `check`."""
    if argv[:1] == ["update"]:
        update(argv[1:])
    elif argv[:1] == ["compile"]:
        compile_all(argv[1:])
    elif argv[:1] == ["check"]:
        problems = check()
        for p in problems:
            print(p)
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
