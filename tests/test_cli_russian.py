"""The CLI in Russian: every sub-command's `--help` and its error paths under `--lang ru`
carry no untranslated English sentence; under `--lang en` they carry no Russian; the
language comes from `--lang`, config.toml or the locale, before argparse prints anything.

An "English sentence" is a run of three or more Latin words that are not names the
Russian text keeps as they are (commands, options, metavars, choices, error and state
names in UPPER_SNAKE, api_id/api_hash, Telegram/Telethon/Pyrogram/tgtui, paths, URLs,
quoted literals and `backticked` commands).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tgtui import i18n
from tgtui.cli import build_parser, main
from tgtui.commands import argparse_words

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- the detector

#: Names the Russian text keeps in Latin letters (compared in lower case).
KEPT_NAMES = {
    "telegram",
    "telethon",
    "pyrogram",
    "tgtui",
    "desktop",
    "mtproto",
    "mtproxy",
    "python",
    "textual",
    "stringsession",
    "tdata",
    "keyring",
    "chrony",
    "cron",
    "prometheus",
    "json",
    "table",
    "file",
    "socks",
    "http",
    "en",
    "ru",
    "enter",
    "ctrl",
    "pem",
    "ipv",
}
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Literal text inside quotes or backticks is a name, an example or a command to type.
_QUOTED = re.compile(r"`[^`\n]*`|«[^»\n]*»|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])|\"[^\"\n]*\"")
_EDGES = "\"'`«»()[]{}<>.,;:!?…—–*"


def _command_words() -> set[str]:
    """Sub-command names, their actions and every choice value, from the parser itself."""
    words: set[str] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    words.add(name)
                    walk(sub)
            elif action.choices:
                words.update(str(c) for c in action.choices)

    walk(build_parser())
    return {w.lower() for w in words}


_ALLOWED: set[str] = set()


def _allowed(word: str) -> bool:
    if not _ALLOWED:
        _ALLOWED.update(KEPT_NAMES | _command_words())
    if word.lower() in _ALLOWED:
        return True
    letters = word.replace("-", "").replace("'", "").replace("’", "")
    if len(letters) >= 2 and letters.isupper():  # NAME, PHONE_CODE_INVALID, OK, LOCKED, DC
        return True
    return bool(re.search(r"[a-z][A-Z]", word))  # CamelCase: PhoneNumberInvalid


def english_runs(text: str, at_least: int = 3) -> list[str]:
    """Every run of `at_least` or more consecutive Latin words that are not kept names.

    Tokens between words that are not words (options, paths, URLs, numbers, placeholders,
    kept names) neither count nor break a run; a Cyrillic word ends it.
    """
    found: list[str] = []
    for line in text.splitlines():
        line = _QUOTED.sub(" ", line)
        run: list[str] = []
        for token in line.split():
            word = token.strip(_EDGES)
            if _CYRILLIC.search(word):
                if len(run) >= at_least:
                    found.append(" ".join(run))
                run = []
            elif _LATIN_WORD.fullmatch(word) and not _allowed(word):
                run.append(word)
        if len(run) >= at_least:
            found.append(" ".join(run))
    return found


def has_russian(text: str) -> bool:
    """Cyrillic outside quoted examples."""
    return bool(_CYRILLIC.search(_QUOTED.sub(" ", text)))


def test_the_detector_catches_an_untranslated_sentence() -> None:
    assert english_runs("tgtui add: ошибка: the following arguments are required: NAME") == [
        "the following arguments are required"
    ]
    assert english_runs("  --since PERIOD   only the last PERIOD, e.g. 24h, 7d") == [
        "only the last"
    ]
    assert english_runs("Telegram Desktop folder is protected by a local passcode.") == [
        "folder is protected by a local passcode"
    ]


def test_the_detector_lets_names_paths_and_quoted_text_through() -> None:
    russian = (
        "использование: tgtui import [-h] (--session FILE | --string - | --tdata PATH)\n"
        "Используйте api_id и api_hash с https://my.telegram.org/apps, папку tdata от "
        "Telegram Desktop, --proxy-secret-env VAR, BEGIN RSA PUBLIC KEY, PHONE_CODE_EXPIRED, "
        "PhoneNumberInvalid из Pyrogram; `timedatectl set-ntp true`; «code never arrives»; "
        "/home/ann/.config/tgtui/config.toml:3; 'notify-send tgtui ok'\n"
        "Восстановить: tgtui trash restore ID; состояние OK или LOCKED, {table,json,prometheus}"
    )
    assert english_runs(russian) == []


# ---------------------------------------------------------------- running the CLI


def _commands() -> Iterator[tuple[str, ...]]:
    """Every sub-command path (`status`, `trash restore`, …), from the parser itself."""

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield (*path, name)
                    yield from walk(sub, (*path, name))

    yield from walk(build_parser(), ())


COMMANDS = [(), *_commands()]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`tgtui ARGV` in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_is_covered() -> None:
    # A check of "every sub-command" that found none would pass on anything.
    names = {" ".join(c) for c in COMMANDS}
    assert {"status", "doctor", "trash restore", "secrets migrate", "import", "add"} <= names
    assert len(names) >= 18


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tgtui")
def test_help_is_russian_throughout(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--lang", "ru", *command, "--help")
    assert code == 0 and not err
    assert out.startswith("использование: tgtui")
    assert "параметры:" in out and "показать эту справку и выйти" in out
    assert english_runs(out) == [], out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tgtui")
def test_help_in_english_has_no_russian(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, _err = run(capsys, "--lang", "en", *command, "--help")
    assert code == 0
    assert out.startswith("usage: tgtui") and "show this help message and exit" in out
    assert not has_russian(out), out
    # The detector sees the English of every page: left untranslated, it would be caught.
    assert english_runs(out), out


#: (argv after `--lang X`, expected exit code): usage errors the user can type.
ERRORS: list[tuple[tuple[str, ...], int]] = [
    (("add",), 2),  # a missing argument
    (("import", "work"), 2),  # one of a group is required
    (("export", "work"), 2),  # a required option
    (("frobnicate",), 2),  # an unknown command
    (("status", "--format", "xml"), 2),  # a bad choice
    (("secrets", "migrate", "--to", "cloud"), 2),
    (("troubleshoot", "--lang", "de", "x"), 2),
    (("status", "--interval", "soon"), 2),  # a bad value of a type
    (("status", "--json", "--interval", "-5"), 2),  # a bad value we check
    (("status", "--nonsense"), 2),  # an unknown option
    (("status", "--shell"), 2),
    (("status", "--on-change", " "), 2),
    (("status", "--format", "prometheus", "--watch"), 2),
    (("path", "nobody"), 2),  # an unknown account
    (("history", "nobody"), 2),
    (("server", "nobody"), 2),
    (("remove", "nobody", "--yes"), 2),
    (("status", "nobody", "ghost"), 2),
    (("doctor", "--target", "nonsense"), 2),
    (("add", "work", "--dc", "4"), 2),
    (("add", "work", "--test-dc", "--rsa-key", "k.pem"), 2),
    (("add", "work", "--api-hash-env", "TGTUI_TEST_UNSET_VARIABLE"), 2),
    (("server", "nobody", "--production", "--test-dc"), 2),
    (("import", "work", "--string", "abc"), 2),
    (("import", "work", "--session", "x.session", "--passcode", "-"), 2),
    (("trash", "empty"), 2),  # asks, but stdin is not a terminal
]
ERROR_IDS = [" ".join(argv) for argv, _want in ERRORS]
#: Messages with no run of three plain English words ("--target is HOST:PORT, e.g. …"):
#: untranslated, only the Russian test's "has Cyrillic" check would notice.
SHORT_MESSAGES = {("doctor", "--target", "nonsense")}


@pytest.fixture
def one_account(config_root: Path) -> Path:
    """A config folder with one account in the trash (so `trash empty` has to ask)."""
    from tgtui.accounts import Account, AccountStore
    from tgtui.accounts.secrets import SecretStore

    store = AccountStore(config_root, SecretStore(mode="off"))
    store.create(Account(name="gone", api_id=611335, phone="+34600000009"), "a" * 32)
    store.remove("gone")
    return config_root


@pytest.mark.parametrize(("argv", "want"), ERRORS, ids=ERROR_IDS)
def test_errors_are_russian_throughout(
    capsys: pytest.CaptureFixture[str], one_account: Path, argv: tuple[str, ...], want: int
) -> None:
    code, out, err = run(capsys, "--config-dir", str(one_account), "--lang", "ru", *argv)
    assert code == want, (out, err)
    assert has_russian(err), err
    assert english_runs(out + err) == [], out + err


@pytest.mark.parametrize(("argv", "want"), ERRORS, ids=ERROR_IDS)
def test_errors_in_english_have_no_russian(
    capsys: pytest.CaptureFixture[str], one_account: Path, argv: tuple[str, ...], want: int
) -> None:
    code, out, err = run(capsys, "--config-dir", str(one_account), "--lang", "en", *argv)
    assert code == want and err
    assert not has_russian(out + err), out + err
    if argv not in SHORT_MESSAGES:  # the message itself would be caught untranslated
        assert english_runs(err.splitlines()[-1]), err


def test_argparse_errors_name_the_argument_in_russian(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One word ("argument") escapes the run detector: checked by name (Python 3.10's
    # argparse does not ask gettext for it).
    _code, _out, err = run(capsys, "--lang", "ru", "status", "--format", "xml")
    assert "tgtui status: ошибка: аргумент --format: недопустимое значение: 'xml'" in err
    _code, _out, err = run(capsys, "--lang", "ru", "status", "--interval", "soon")
    assert "ошибка: аргумент --interval: недопустимое значение (ожидается float)" in err


def test_a_missing_translation_is_caught(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole chain (catalog → argparse → detector) on a real help page: drop one
    # Russian sentence and the check above finds the English one left in its place.
    russian = i18n.translator("ru")
    dropped = "do not ask for confirmation"

    class Missing:
        def gettext(self, message: str) -> str:
            return message if message == dropped else russian.gettext(message)

        def ngettext(self, one: str, many: str, n: int) -> str:
            return russian.ngettext(one, many, n)

    monkeypatch.setitem(i18n._translators, "ru", Missing())  # type: ignore[arg-type]
    _code, out, _err = run(capsys, "--lang", "ru", "remove", "--help")
    assert english_runs(out) == [dropped]


def test_a_session_line_of_the_status_table_keeps_english_state_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import datetime, timezone

    from tgtui.accounts import State
    from tgtui.commands.status_cmd import render_table
    from tgtui.telegram.health import Health

    i18n.set_language("ru")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    table = render_table(
        [
            Health("work", State.OK, "", checked_at=now, latency_ms=42.0),
            Health("spare", State.LOCKED, "", checked_at=now),
            Health("old", State.REVOKED, "", checked_at=now),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["ИМЯ", "СОСТОЯНИЕ", "ПОЛЬЗОВАТЕЛЬ", "DC", "ЗАДЕРЖКА", "ПРИЧИНА"]
    assert lines[1].split()[:2] == ["work", "OK"] and "42 мс" in lines[1]
    assert lines[3].split()[:2] == ["old", "REVOKED"]
    assert lines[-1].startswith("1 в порядке, 1 занят другой программой, 1 требует внимания")
    assert english_runs(table) == []


def test_doctor_reports_in_russian(capsys: pytest.CaptureFixture[str], config_root: Path) -> None:
    exposed = config_root / "trash" / "old-1"  # a problem, so the problem lines show too
    exposed.mkdir()
    exposed.chmod(0o755)
    code, out, _err = run(
        capsys, "--config-dir", str(config_root), "--lang", "ru", "doctor", "--no-network"
    )
    assert code == 1
    labels = [line[:10].strip() for line in out.splitlines()[:6]]
    assert labels == ["Настройки", "Журнал", "Секреты", "Версии", "Аккаунты", "Telegram"]
    assert "не проверялся (--no-network)" in out and "1 проблема:" in out
    assert "доступен другим пользователям (права 0755)" in out and "исправить: chmod 700" in out
    # The secret backend's description ("private file, because …") is accounts.po's
    # (i18n-core): every other line is checked here.
    ours = "\n".join(line for line in out.splitlines() if not line.startswith("Секреты"))
    assert english_runs(ours) == [], out


# ---------------------------------------------------------------- where the language comes from


def test_argparse_words_of_this_python_are_all_in_the_catalog() -> None:
    # CI runs 3.10 to 3.13: each one checks its own argparse's sentences.
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    asked = set()
    plural = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and texts:
                asked.add(texts[0])
            elif node.func.id == "ngettext" and texts:
                plural.add(texts[0])
    assert "usage: " in asked and len(asked) >= 25
    assert asked <= set(argparse_words.WORDS)
    i18n.set_language("ru")
    for text in asked:
        assert i18n._(text) != text or text == "%(heading)s:", text
    russian = argparse_words.plural_words(2)
    assert russian[0] == "нужно %s значения" and len(plural) == 2


def test_a_lang_option_alone_opens_the_app_in_that_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool]] = []

    def fake_tui(args: argparse.Namespace) -> int:
        seen.append((i18n.language(), bool(args.demo)))
        return 0

    monkeypatch.setattr("tgtui.commands.tui.run_tui", fake_tui)
    assert main(["--lang", "ru"]) == 0
    assert main(["--lang=en", "--demo"]) == 0
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(["--demo"]) == 0
    assert seen == [("ru", False), ("en", True), ("ru", True)]


def test_config_toml_language_then_the_locale(
    capsys: pytest.CaptureFixture[str], config_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    (config_root / "config.toml").write_text('language = "ru"\n', encoding="utf-8")
    _code, out, _err = run(capsys, "--config-dir", str(config_root), "list", "--help")
    assert out.startswith("использование:")
    _code, out, _err = run(capsys, "--config-dir", str(config_root), "--lang", "en", "list")
    assert out.startswith("No accounts yet")
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(config_root))
    _code, out, _err = run(capsys, "list")
    assert out.startswith("Аккаунтов пока нет")


def test_a_broken_config_toml_does_not_stop_help(
    capsys: pytest.CaptureFixture[str], config_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    (config_root / "config.toml").write_text('language = "en\n', encoding="utf-8")
    code, out, err = run(capsys, "--config-dir", str(config_root), "status", "--help")
    assert code == 0 and not err
    assert out.startswith("использование: tgtui status")  # the locale decides instead


def test_a_bad_config_toml_value_is_reported_in_russian(
    capsys: pytest.CaptureFixture[str], config_root: Path
) -> None:
    (config_root / "config.toml").write_text(
        'language = "ru"\nrefresh_interval = "soon"\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "--config-dir", str(config_root), "status", "--json")
    assert code == 2 and err.count("\n") == 1
    assert "config.toml:2" in err and "исправьте или удалите этот файл" in err
    assert english_runs(err) == [], err


# ---------------------------------------------------------------- the troubleshooter's language


@pytest.mark.parametrize(
    ("argv", "russian"),
    [
        (("troubleshoot", "PHONE_CODE_EXPIRED"), False),
        (("--lang", "ru", "troubleshoot", "PHONE_CODE_EXPIRED"), True),
        (("troubleshoot", "--lang", "ru", "PHONE_CODE_EXPIRED"), True),
        (("troubleshoot", "код не пришел"), True),  # a Cyrillic query answers in Russian
        (("--lang", "en", "troubleshoot", "код не пришел"), False),  # unless --lang says
        (("troubleshoot", "--lang", "en", "код не пришел"), False),
        (("--lang", "ru", "troubleshoot", "--lang", "en", "PHONE_CODE_EXPIRED"), False),
    ],
)
def test_troubleshoot_answers_in_the_interface_language(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], russian: bool
) -> None:
    code, out, _err = run(capsys, *argv)
    assert code == 0
    assert has_russian(out.replace("код не пришел", "")) is russian, out


def test_troubleshoot_follows_the_configured_language(
    capsys: pytest.CaptureFixture[str], config_root: Path
) -> None:
    (config_root / "config.toml").write_text('language = "ru"\n', encoding="utf-8")
    code, out, _err = run(capsys, "--config-dir", str(config_root), "troubleshoot", "FLOOD_WAIT")
    assert code == 0 and has_russian(out)


# ---------------------------------------------------------------- a real process


def _tgtui(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tgtui", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@pytest.fixture
def russian_env(config_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANG="ru_RU.UTF-8", TGTUI_CONFIG_DIR=str(config_root), COLUMNS="100")
    return env


def test_a_real_process_under_a_russian_locale(russian_env: dict[str, str]) -> None:
    done = _tgtui("--help", env=russian_env)
    assert done.returncode == 0 and done.stdout.startswith("использование: tgtui")
    assert english_runs(done.stdout) == [], done.stdout
    done = _tgtui("add", env=russian_env)
    assert done.returncode == 2
    assert "ошибка: не хватает обязательных аргументов: NAME" in done.stderr
    assert english_runs(done.stderr) == [], done.stderr


def test_a_real_process_with_lang_en_under_a_russian_locale(russian_env: dict[str, str]) -> None:
    done = _tgtui("--lang", "en", "history", "nobody", env=russian_env)
    assert done.returncode == 2
    assert done.stderr == "tgtui: No account named 'nobody'. `tgtui list` shows the names.\n"


# ---------------------------------------------------------------- the prompts of `add`


def test_the_login_prompts_are_russian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import API_HASH, API_ID, PHONE, make_sim, tg_with_accounts

    from tgtui.commands import prompts
    from tgtui.commands.common import override_telegram

    sim = make_sim(seed=3)
    sim.set_password(PHONE, "s3cret", hint="cat")
    scripted = prompts.Scripted(
        [str(API_ID), API_HASH, PHONE, "р", "00000", lambda q: sim.last_code(PHONE), "s3cret"]
    )
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim)), prompts.use(scripted):
        code = main(["--lang", "ru", "add", "work"])
    out = capsys.readouterr().out
    assert code == 0, scripted.said
    assert scripted.asked == [
        "api_id (с my.telegram.org): ",
        "api_hash (ввод скрыт): ",
        "Номер телефона с кодом страны: ",
        "Код подтверждения (r — отправить ещё раз): ",
        "Код подтверждения (r — отправить ещё раз): ",  # "р" asked for the code again
        "Код подтверждения (r — отправить ещё раз): ",  # "00000" is wrong
        "Облачный пароль (подсказка: cat): ",
    ]
    # A wrong code is explained by the best pitfall, in Russian: its title and fix steps.
    explained = [line for line in scripted.said if line.startswith("  ")]
    assert explained and all(has_russian(line) for line in explained), scripted.said
    assert sum(line.startswith("Код отправлен") for line in scripted.said) == 2
    assert out.startswith("Аккаунт 'work' добавлен (@ann).\nФайл сеанса для ваших скриптов: ")
    assert english_runs("\n".join(scripted.asked) + out) == []
