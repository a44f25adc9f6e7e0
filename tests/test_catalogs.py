"""The translations: every marked sentence has its Russian, the compiled catalogs in the
package are the ones the `.po` files say, and the language is chosen as the README says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tgtui import i18n
from tools import catalogs


def test_every_marked_sentence_is_translated_and_compiled() -> None:
    problems = catalogs.check()
    assert not problems, "\n".join(str(p) for p in problems[:60]) + (
        f"\n… {len(problems)} problems in all" if len(problems) > 60 else ""
    )


def test_the_catalogs_hold_sentences_the_code_uses() -> None:
    # A check that passes on empty catalogs proves nothing: the troubleshooter's own words
    # are marked, extracted and translated.
    assert len(catalogs.extract("troubleshoot")) >= 15
    assert i18n.gettext_in("ru", "Because:") == "Причина:"


def test_a_module_that_translates_never_rebinds_the_underscore() -> None:
    # `for _ in ...` in a function that also calls `_("...")` makes `_` local there, and the
    # call fails with UnboundLocalError at run time, in front of the user.
    offenders = []
    for path in sorted(catalogs.PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_it = any(
            isinstance(n, ast.ImportFrom)
            and n.module == "tgtui.i18n"
            and any(a.name == "_" and a.asname is None for a in n.names)
            for n in ast.walk(tree)
        )
        if not imports_it:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                offenders.append(f"{path.relative_to(catalogs.REPO)}:{node.lineno}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("flag", "configured", "env", "want"),
    [
        (None, None, {}, "en"),
        (None, None, {"LANG": "ru_RU.UTF-8"}, "ru"),
        (None, None, {"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
        (None, None, {"LC_MESSAGES": "ru_RU", "LANG": "en_US.UTF-8"}, "ru"),
        (None, None, {"LC_ALL": "ru_UA.utf8"}, "ru"),
        (None, None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, "ru", {"LANG": "en_US.UTF-8"}, "ru"),
        ("en", "ru", {"LANG": "ru_RU.UTF-8"}, "en"),
        ("ru", None, {}, "ru"),
    ],
)
def test_the_language_comes_from_flag_then_config_then_locale(
    flag: str | None, configured: str | None, env: dict[str, str], want: str
) -> None:
    assert i18n.choose(flag, configured, env) == want


def test_switching_language_changes_what_is_shown() -> None:
    try:
        i18n.set_language("ru")
        assert i18n._("Fix:") == "Что делать:"
        i18n.set_language("en")
        assert i18n._("Fix:") == "Fix:"
    finally:
        i18n.set_language("en")


def test_russian_plurals_have_three_forms() -> None:
    plural = i18n.translator("ru").plural  # type: ignore[attr-defined]
    assert [plural(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [0, 1, 2, 2, 0, 1, 2]


def test_the_compiled_catalogs_ship_in_the_wheel() -> None:
    # hatch packages everything under tgtui/ that git does not ignore: the .mo files must
    # not be ignored.
    ignore = Path(catalogs.REPO / ".gitignore")
    patterns = ignore.read_text().split() if ignore.exists() else []
    assert "*.mo" not in patterns
    assert list((catalogs.LOCALE / "ru" / "LC_MESSAGES").glob("*.mo"))
