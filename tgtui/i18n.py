"""The interface language: gettext catalogs shipped in `tgtui/locale/`, English by default.

Mark a sentence with `_("...")` where it is shown (never at import time, so a language
switch at run time reaches it); mark module-level constants with `N_("...")` and pass them
through `_()` when shown. Plurals: `ngettext(one, many, n)`. Placeholders are named
(`_("{count} accounts").format(count=n)`), so a translation may reorder them.

The language comes from `--lang`, then `language` in config.toml, then LC_ALL, LC_MESSAGES
and LANG (the first one set, as the C library reads them), else English. This module imports
nothing from tgtui, so every layer may use it.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from importlib import resources

LANGUAGES: tuple[str, ...] = ("en", "ru")
DEFAULT = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский"}
_ENV_ORDER = ("LC_ALL", "LC_MESSAGES", "LANG")

_translators: dict[str, gettext.NullTranslations] = {}
_current: str = DEFAULT


def _load(lang: str) -> gettext.NullTranslations:
    """Every compiled catalog of `lang` (one per area: cli, ui, …) chained into one."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    folder = resources.files("tgtui") / "locale" / lang / "LC_MESSAGES"
    chain: gettext.NullTranslations | None = None
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        entries = []
    for entry in entries:
        if not entry.name.endswith(".mo"):
            continue
        with entry.open("rb") as fp:
            catalog = gettext.GNUTranslations(fp)
        if chain is None:
            chain = catalog
        else:
            chain.add_fallback(catalog)
    return chain if chain is not None else gettext.NullTranslations()


def translator(lang: str) -> gettext.NullTranslations:
    """The translations of `lang` (cached); English for a language we do not ship."""
    lang = lang if lang in LANGUAGES else DEFAULT
    found = _translators.get(lang)
    if found is None:
        found = _translators[lang] = _load(lang)
    return found


def normalize(value: str | None) -> str | None:
    """`ru_RU.UTF-8`, `ru-RU`, `RU` → `ru`; None for a language we do not ship (or C/POSIX)."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The language the locale variables ask for: the first of LC_ALL, LC_MESSAGES, LANG that
    is set decides (an unsupported one means English, as for any other program)."""
    env = os.environ if env is None else env
    for name in _ENV_ORDER:
        value = env.get(name)
        if value:
            return normalize(value) or DEFAULT
    return None


def choose(
    flag: str | None = None, configured: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """The language to use: `--lang`, then config.toml, then the locale variables, else English."""
    for candidate in (normalize(flag), normalize(configured)):
        if candidate:
            return candidate
    return language_from_env(env) or DEFAULT


def set_language(lang: str) -> str:
    """Make `lang` the interface language (English for one we do not ship); returns it."""
    global _current
    _current = normalize(lang) or DEFAULT
    return _current


def language() -> str:
    """The interface language now in use."""
    return _current


def _(message: str) -> str:
    """`message` in the interface language."""
    return translator(_current).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark `message` for translation without translating it (module-level constants)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the interface language (Russian has three)."""
    return translator(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the interface language, where `context` tells apart one English word
    that needs two translations."""
    return translator(_current).pgettext(context, message)


def gettext_in(lang: str, message: str) -> str:
    """`message` in `lang`, whatever the interface language (the troubleshooter answers a
    Russian question in Russian)."""
    return translator(lang).gettext(message)
