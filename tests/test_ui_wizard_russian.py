"""The add-account wizard in Russian: snapshots of the credentials and code steps at 80x24,
a walk through every step against the demo with no English sentence left on screen, and
the checks that must not depend on the language of their messages."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_ui_wizard_flow import screen_text, wait_for
from test_ui_wizard_snapshots import ScriptedFlow, _code, _credentials, app_for
from test_ui_wizard_support import START, UNSET, Clock, WizardApp, make_tg, paste, settle, type_text
from textual.widgets import Input, Select

from tgtui import i18n
from tgtui.accounts import keyring_probe as kp
from tgtui.accounts import validate
from tgtui.accounts.secrets import Backend
from tgtui.telegram import codes
from tgtui.telegram import demo as facts
from tgtui.telegram import flow as flow_module
from tgtui.telegram.demo import build_demo
from tgtui.ui import language
from tgtui.ui.screens.wizard_advanced import AdvancedPart, about_secret
from tgtui.ui.screens.wizard_texts import storage_line
from tgtui.ui.widgets.qr import QrCode, read_half_blocks

# Names that stay as they are in Russian (the glossary), and the English words of
# my.telegram.org, a site in English only, which the instructions quote.
KEPT = {
    "telegram", "api_id", "api_hash", "my.telegram.org", "https://my.telegram.org", "2fa",
    "qr", "tgtui", "esc", "enter", "sms", "vpn", "dc", "mtproto", "mtproxy", "pem", "rsa",
    "fragment",
}  # fmt: skip
QUOTED_SITE_WORDS = (
    "API development tools",
    "Create application",
    "App api_id",
    "App api_hash",
    "App title",
    "'Other'",
    "'ERROR'",
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PUNCT = re.compile(r"[\W_]+")


def english_runs(text: str, also_kept: tuple[str, ...] = ()) -> list[str]:
    """Runs of three or more English words in a row on one line: an untranslated sentence.

    Names kept in every language neither count nor break a run; punctuation does neither;
    any other word (Russian, a number, a code) ends it."""
    found = []
    for line in text.splitlines():
        for kept in QUOTED_SITE_WORDS + also_kept:
            line = line.replace(kept, " ")
        run: list[str] = []
        for token in [*line.split(), ""]:
            word = token.strip(".,;:!?()[]«»\"'…")
            if word.lower() in KEPT or (token and _PUNCT.fullmatch(token)):
                continue
            if _LATIN_WORD.fullmatch(word):
                run.append(word)
                continue
            if len(run) >= 3:
                found.append(" ".join(run))
            run = []
    return found


def test_the_english_detector_finds_sentences_and_spares_names() -> None:
    assert english_runs("Откройте Telegram › Settings › Devices") == []
    assert english_runs("● Credentials › Phone › Code or QR") == ["Credentials Phone Code or"]
    assert english_runs("Введите api_id и api_hash с my.telegram.org (2FA, QR)") == []
    assert english_runs("Telegram sent the code in the app.") == ["sent the code in the app"]
    assert english_runs("esc Cancel  f1 Search help") == []  # two words: not a sentence


@pytest.fixture
def russian() -> Iterator[None]:
    """The interface in Russian for one test; English again afterwards, whatever happens."""
    i18n.set_language("ru")
    try:
        yield
    finally:
        i18n.set_language("en")


class TranslatedScriptedFlow(ScriptedFlow):
    """The snapshots' scripted flow, saying where the code went as the real flow does (in
    the interface language) rather than in the fixed English of the English snapshots."""

    async def send_code(self, phone: str) -> None:
        await super().send_code(phone)
        assert self.code is not None
        where = codes.where(self.code.via, None, phone)
        self.code = dataclasses.replace(self.code, where=where)


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> type[ScriptedFlow]:
    monkeypatch.setattr(flow_module, "LoginFlow", TranslatedScriptedFlow)
    monkeypatch.setattr(ScriptedFlow, "two_fa", False)
    monkeypatch.setattr(ScriptedFlow, "fail_code", None)
    return TranslatedScriptedFlow


def test_snapshot_credentials_russian_80x24(
    snap_compare: Any, scripted: Any, russian: None, tmp_path: Path
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=_credentials)


def test_snapshot_code_russian_80x24(
    snap_compare: Any, scripted: Any, russian: None, tmp_path: Path
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=_code)


def at_step(app: WizardApp, step: str) -> bool:
    """True when the wizard shows `step`."""
    screen: Any = app.screen
    return bool(screen.step == step)


def _assert_russian(app: WizardApp, step: str, also_kept: tuple[str, ...] = ()) -> None:
    text = screen_text(app)
    assert re.search("[а-яА-Я]{4,}", text), f"{step}: no Russian on screen\n{text}"
    runs = english_runs(text, also_kept)
    assert not runs, f"{step}: English left on screen: {runs}\n{text}"


async def test_the_demo_login_with_2fa_is_russian_at_every_step(
    russian: None, tmp_path: Path
) -> None:
    tg = build_demo(tmp_path / "demo", clock=Clock(START), latency=0)
    assert tg.demo is not None
    app = WizardApp(tg)
    phone = facts.DEMO_2FA_PHONE
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Добавить аккаунт Telegram" in screen_text(app)
        _assert_russian(app, "credentials")
        await type_text(pilot, str(facts.DEMO_API_ID))
        await pilot.press("tab")
        await paste(pilot, facts.DEMO_API_HASH)
        await settle(pilot)
        _assert_russian(app, "credentials, typed")
        await pilot.press("enter")
        await wait_for(pilot, lambda: at_step(app, "phone"))
        await settle(pilot)
        _assert_russian(app, "phone")
        await type_text(pilot, phone)
        await settle(pilot)
        _assert_russian(app, "phone, typed")
        await pilot.press("enter")
        await wait_for(pilot, lambda: at_step(app, "code"))
        await settle(pilot)
        assert "Код подтверждения" in screen_text(app)
        _assert_russian(app, "code")
        code = tg.demo.last_code(phone)
        assert code is not None
        wrong = "11111" if code != "11111" else "22222"
        await type_text(pilot, wrong)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "✗" in screen_text(app))
        await settle(pilot)
        # Telegram's refusal is told in Russian where the code was typed (the failure's
        # message stays English for the troubleshooter; it was shown as it is).
        _assert_russian(app, "code, wrong")
        for _key in wrong:
            await pilot.press("backspace")
        await type_text(pilot, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: at_step(app, "password"))
        await settle(pilot)
        # The hint is the account owner's own words (Telegram's text): never translated.
        assert facts.DEMO_PASSWORD_HINT in screen_text(app)
        _assert_russian(app, "password", also_kept=(facts.DEMO_PASSWORD_HINT,))
        await type_text(pilot, facts.DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: at_step(app, "done"))
        await settle(pilot)
        _assert_russian(app, "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is not None and app.result.status.two_fa


async def _open_advanced(pilot: Any, app: WizardApp) -> AdvancedPart:
    await settle(pilot)
    advanced = app.screen.query_one(AdvancedPart)
    advanced.open_at("#proxy")
    await settle(pilot)
    return advanced


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_proxy_problem_is_said_under_the_field_at_fault(lang: str, tmp_path: Path) -> None:
    # The secret's problems go under the secret field, the URL's under the URL field, in
    # either language (the messages were once told apart by the English word "secret", and
    # the URL example "mtproxy://SECRET@…" sent a mistyped URL's message to the secret).
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    try:
        i18n.set_language(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_advanced(pilot, app)
            secret_msg = app.screen.query_one("#proxy-secret-msg")
            proxy_msg = app.screen.query_one("#proxy-msg")
            await paste(pilot, "proxy.example.org")  # no scheme
            await settle(pilot)
            assert proxy_msg.has_class("-error")
            assert not secret_msg.has_class("-error")
            app.screen.query_one("#proxy", Input).value = ""
            await paste(pilot, "mtproxy://host.example.org:443")  # no secret
            await settle(pilot)
            assert secret_msg.has_class("-error")
            assert not proxy_msg.has_class("-error")
            app.screen.query_one("#proxy", Input).value = ""
            await paste(pilot, "mtproxy://zz@host.example.org:443")  # a secret that is not one
            await settle(pilot)
            assert secret_msg.has_class("-error")  # in Russian: «Секрет MTProxy — …»
            assert not proxy_msg.has_class("-error")
    finally:
        i18n.set_language("en")


def test_about_secret_knows_the_secret_check_in_both_languages() -> None:
    try:
        for lang in ("en", "ru"):
            i18n.set_language(lang)
            with pytest.raises(validate.InvalidInput) as bad_secret:
                validate.proxy_url("mtproxy://zz@host.example.org:443")
            with pytest.raises(validate.InvalidInput) as bad_url:
                validate.proxy_url("host.example.org")
            assert about_secret(str(bad_secret.value))
            assert not about_secret(str(bad_url.value))
    finally:
        i18n.set_language("en")


async def test_the_qr_step_fits_80x24_in_russian_with_its_instructions(
    russian: None, tmp_path: Path
) -> None:
    tg = build_demo(tmp_path / "demo", clock=Clock(START), latency=0)
    app = WizardApp(tg)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, str(facts.DEMO_API_ID))
        await pilot.press("tab")
        await paste(pilot, facts.DEMO_API_HASH)
        await pilot.press("enter")
        await wait_for(pilot, lambda: at_step(app, "phone"))
        await pilot.press("f3")
        await wait_for(pilot, lambda: at_step(app, "qr"))
        await settle(pilot, 12)
        qr = app.screen.query_one(QrCode)
        region = qr.region
        # The whole code is on screen (Russian instructions beside it took no room from it).
        assert region.right <= 80 and region.bottom <= 23
        assert (region.width, region.height) == qr.size_needed
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        read_half_blocks(
            [line[region.x : region.right] for line in lines[region.y : region.bottom]]
        )
        text = screen_text(app)
        for line in ("1. Откройте Telegram", "3. Наведите камеру", "Демо: нажмите s"):
            assert line in text, text
        _assert_russian(app, "qr")


async def test_the_advanced_part_is_russian(russian: None, tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        advanced = await _open_advanced(pilot, app)
        select: Select[str] = advanced.query_one("#server", Select)
        words = [str(w.render()) for w in advanced.query("Label, FieldMessage")]
        words += [str(advanced.title)]
        for kind in ("test", "custom"):
            select.value = kind
            await settle(pilot)
            words += [str(w.render()) for w in advanced.query("Label, FieldMessage")]
        words += [_option_text(o) for o in select._options]
        text = "\n".join(words)
        assert "Собственный сервер MTProto" in text and "Тестовые серверы Telegram" in text
        assert not english_runs(text), english_runs(text)


def _option_text(option: Any) -> str:
    return str(option[0])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_storage_line_says_the_reason_once_in_either_language(lang: str) -> None:
    # The store's own sentence ("private file, because …") is translated by the accounts
    # catalog; the wizard keeps only its reason, whatever the language.
    try:
        i18n.set_language(lang)
        reason = i18n._("TGTUI_KEYRING=off")
        said = i18n._("private file, because {why}").format(why=reason)
        line = storage_line(Backend("file", said))
        assert line.endswith(f": {reason}.")
        assert said not in line
        assert not english_runs(line) if lang == "ru" else "private file (0600)" in line
    finally:
        i18n.set_language("en")


async def test_a_language_switch_mid_wizard_redraws_it_and_keeps_what_was_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg = build_demo(tmp_path / "demo", clock=Clock(START), latency=0)
    # A keyring that is locked: the storage line gives a reason in words, to be translated.
    monkeypatch.setattr(kp, "probe_keyring", lambda mode, timeout: kp.Probe(kp.LOCKED))
    assert tg.store.secrets is not None
    tg.store.secrets.reset()
    app = WizardApp(tg)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await type_text(pilot, str(facts.DEMO_API_ID))
            await pilot.press("tab")
            await paste(pilot, facts.DEMO_API_HASH)
            await settle(pilot)
            assert "Add a Telegram account" in screen_text(app)
            language.switch(app, "ru")
            await settle(pilot)
            text = screen_text(app)
            assert "Добавить аккаунт Telegram" in text and "● Ключи API" in text
            said = str(app.screen.query_one("#api-hash-msg").render())
            assert said == "✓ 32 символа"  # the check of the typed api_hash, said again
            storage = str(app.screen.query_one("#storage").render())
            assert storage.startswith("api_hash будет") and not english_runs(storage), storage
            _assert_russian(app, "credentials after the switch")
            assert app.screen.query_one("#api-id", Input).value == str(facts.DEMO_API_ID)
            assert app.screen.query_one("#api-hash", Input).value == facts.DEMO_API_HASH
            language.switch(app, "en")
            await settle(pilot)
            assert "Add a Telegram account" in screen_text(app)
            assert str(app.screen.query_one("#api-hash-msg").render()) == "✓ 32 characters"
            await pilot.press("enter")
            await wait_for(pilot, lambda: at_step(app, "phone"))
            await type_text(pilot, facts.DEMO_NEW_PHONE)
            await pilot.press("enter")
            await wait_for(pilot, lambda: at_step(app, "code"))
            await settle(pilot)
            assert "Login code" in screen_text(app)
            language.switch(app, "ru")
            await settle(pilot)
            assert "Код подтверждения" in screen_text(app)
            assert "Демо: код" in screen_text(app)
            _assert_russian(app, "code after the switch")
            assert at_step(app, "code")  # the login under way goes on
    finally:
        i18n.set_language("en")
