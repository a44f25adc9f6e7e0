"""The installed `tgtui --demo` in a real terminal (tmux) with LANG=ru_RU.UTF-8, at 80x24:
the list, the details and the troubleshooter are in Russian, and the palette switches the
language back to English while the app runs.

tgtui reads LANG itself (the C library's locale need not be installed: `locale -a` on a
bare server often lists only C and POSIX)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, app_env, require_tmux, tgtui_bin

pytestmark = pytest.mark.tmux

require_tmux()


#: Three Latin words in a row (not ALL-CAPS names); the demo's own data and names aside.
ENGLISH = re.compile(r"(?:\b[A-Za-z][a-z']+\b[ ,.:;!?()-]+){2,}\b[A-Za-z][a-z']+\b")
NAMES = re.compile(r"Telegram|tgtui|Promo sender|Shop support|Via Frankfurt|Work inbox|Old Phone")


def english(screen: str) -> list[str]:
    """Sentences of three or more English words on the screen."""
    return ENGLISH.findall(NAMES.sub("•", re.sub(r"[\u2500-\u259f]", " ", screen)))


def _env(tmp_path: Path) -> dict[str, str]:
    return app_env(tmp_path, LANG="ru_RU.UTF-8")


def test_demo_in_russian_at_80x24(tmp_path: Path) -> None:
    term = Terminal(f"{tgtui_bin()} --demo", width=80, height=24, env=_env(tmp_path))
    try:
        # The list: Russian headers, badges and footer, and no English column or key word.
        term.wait_for(r"Аккаунт\s+Телефон\s+Пользователь\s+Статус\s+Проверен")
        term.wait_for(r"● В ПОРЯДКЕ")
        term.wait_for(r"q Выход")
        term.settle()
        screen = term.screen()
        assert "ОТОЗВАН" in screen and "ЗАБЛОКИРОВАН" in screen
        assert "a Добавить" in screen and "q Выход" in screen, screen
        for word in ("Account", "Status", "Checked", "Quit", "Remove", "need attention"):
            assert word not in screen, f"{word!r} on the Russian screen:\n{screen}"
        assert screen.splitlines()[-1].rstrip().endswith("меню"), screen  # the footer fits
        assert english(screen) == [], screen

        # The details of the first account (revoked): the problem and its fix, in Russian.
        term.keys("g", "Enter")
        term.wait_for(r"Проблема: ")
        term.wait_for(r"Активные сеансы|История")
        term.wait_for(r"esc Назад")
        term.settle()
        screen = term.screen()
        assert english(screen) == [], screen
        term.keys("Escape")
        term.wait_for(r"Аккаунт\s+Телефон")

        # The add-account wizard's troubleshooter: its heading and pitfalls in Russian.
        # (At 80x24 the help part is folded until F2 opens it.)
        term.keys("a")
        term.wait_for(r"esc Отмена")
        term.settle()
        term.keys("F2")
        term.wait_for(r"Справка: ")
        term.wait_for(r"▶ ")  # its pitfalls, by title
        term.keys("Escape")
        try:
            term.wait_for(r"Аккаунт\s+Телефон", timeout=3)
        except AssertionError:  # the first Escape folded the help part
            term.keys("Escape")
            term.wait_for(r"Аккаунт\s+Телефон")

        # Ctrl+P › Language: English — the same screen, now in English.
        term.keys("C-p")
        term.wait_for(r"Поиск команд")
        term.type("English")
        term.wait_for(r"Язык \(Language\): English")
        term.keys("Enter")
        term.wait_for(r"Account\s+Phone\s+Telegram user\s+Status")
        term.wait_for(r"q Quit")
        term.keys("q")
        assert term.exit_code() == 0
    finally:
        term.close()
