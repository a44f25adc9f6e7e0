"""The interface language inside the app: the palette's switch and Textual's own words.

`switch(app, lang)` sets the language, keeps it in config.toml (`language`, the other
settings as they are on disk) and redraws every screen of the stack in it, keeping the
cursor, typed text and open panels. `system_commands` hands Textual's own palette entries
(Theme, Quit, Keys, …) out in the interface language and adds the language switch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand

from tgtui.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language, set_language

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)

#: Textual's own palette entries (titles and help lines), marked to be translated.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Search for commands…"),
)


def translate_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands with their title and help in the interface language."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))


def language_commands(switch_to: Callable[[str], Any]) -> Iterator[SystemCommand]:
    """One palette entry per language: `Language: Русский` (the help line says which one is
    in use). A translation keeps the English word in the title (`Язык (Language): English`),
    so someone who cannot read the language shown still finds the way back."""
    for lang in LANGUAGES:
        name = LANGUAGE_NAMES[lang]
        title = _("Language: {name}").format(name=name)
        if lang == language():
            help_text = _("The interface is in {name} now").format(name=name)
        else:
            help_text = _("Show tgtui in {name} (saved in config.toml)").format(name=name)
        yield SystemCommand(title, help_text, lambda lang=lang: switch_to(lang))


def save_language(root: Any, lang: str) -> str | None:
    """Keep `lang` in `<root>/config.toml`, every other setting as it is on disk.

    Returns why it was not saved (a config.toml that does not parse is left untouched),
    or None when it was."""
    from tgtui.accounts import ConfigFileError
    from tgtui.config import Settings

    try:
        settings = Settings.load(root)
    except ConfigFileError as exc:
        return _("{error} — the language is not saved; that file is left as it is.").format(
            error=exc
        )
    try:
        replace(settings, language=lang).save(root)
    except OSError as exc:
        log.warning("could not save the language in config.toml: %s", exc)
        return _("The language could not be saved in config.toml: {error}").format(
            error=exc.strerror or exc
        )
    return None


def switch(app: App[Any], lang: str) -> None:
    """Show the app in `lang` from now on, save it, and redraw every screen in it."""
    lang = set_language(lang)
    tg = getattr(app, "tg", None)
    settings = getattr(tg, "settings", None)
    if settings is not None:
        tg.settings = replace(settings, language=lang)  # type: ignore[union-attr]
    problem = None
    store = getattr(tg, "store", None)
    if store is not None:
        problem = save_language(store.root, lang)
    relabel = getattr(app, "retranslate", None)
    if relabel is not None:
        relabel()
    for screen in list(app.screen_stack):
        redraw = getattr(screen, "retranslate", None)
        if redraw is not None:
            redraw()
        else:
            screen.refresh_bindings()
    if problem:
        app.notify(problem, severity="warning", timeout=10, markup=False)
    else:
        app.notify(_("Interface language: {name}").format(name=LANGUAGE_NAMES[lang]), markup=False)
