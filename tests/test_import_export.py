"""Session import and export: file formats, strings, round trips through the simulator."""

from __future__ import annotations

import base64
import io
import sqlite3
import struct
from pathlib import Path

import pytest

from tgtui.telegram import importers
from tgtui.telegram.importers import SessionData, SessionImportError

KEY = bytes(range(256))


def _telethon_file(path: Path, dc: int = 2, key: bytes = KEY) -> Path:
    data = SessionData(dc, importers.PROD_DCS[dc], 443, key)
    return importers.write_telethon_file(data, path)


def pyrogram_file(path: Path, dc: int, key: bytes, user_id: int, api_id: int | None) -> Path:
    """A Pyrogram session file: the v2 schema with api_id, v1 without."""
    conn = sqlite3.connect(path)
    if api_id is None:
        conn.execute(
            "create table sessions (dc_id integer primary key, test_mode integer, "
            "auth_key blob, date integer not null, user_id integer, is_bot integer)"
        )
        conn.execute("insert into sessions values (?, 0, ?, 0, ?, 0)", (dc, key, user_id))
    else:
        conn.execute(
            "create table sessions (dc_id integer primary key, api_id integer, test_mode "
            "integer, auth_key blob, date integer not null, user_id integer, is_bot integer)"
        )
        conn.execute(
            "insert into sessions values (?, ?, 0, ?, 0, ?, 0)", (dc, api_id, key, user_id)
        )
    conn.execute("create table version (number integer primary key)")
    conn.execute("insert into version values (3)")
    conn.commit()
    conn.close()
    return path


def test_telethon_file_round_trip(tmp_path: Path) -> None:
    path = _telethon_file(tmp_path / "a.session", dc=4)
    assert (path.stat().st_mode & 0o777) == 0o600
    data = importers.read_telethon_file(path)
    assert (data.dc_id, data.server_address, data.port, data.auth_key) == (
        4,
        "149.154.167.91",
        443,
        KEY,
    )
    assert "auth_key" not in repr(data) and str(KEY[:8]) not in repr(data)
    copy = importers.copy_telethon_file(path, tmp_path / "b.session")
    assert importers.read_telethon_file(copy).auth_key == KEY
    assert (copy.stat().st_mode & 0o777) == 0o600


def test_string_round_trip_matches_telethon(tmp_path: Path) -> None:
    from telethon.sessions import StringSession

    path = _telethon_file(tmp_path / "a.session")
    text = importers.export_string(path)
    ours = StringSession(text)
    assert ours.dc_id == 2 and ours.auth_key.key == KEY
    assert importers.parse_string(text + "\n").auth_key == KEY
    assert importers.to_string(importers.parse_string(text)) == text


@pytest.mark.parametrize("api_id", [None, 12345])
def test_pyrogram_file_v1_and_v2(tmp_path: Path, api_id: int | None) -> None:
    path = pyrogram_file(tmp_path / "p.session", 5, KEY, 777, api_id)
    assert importers.session_kind(path) == "pyrogram"
    data = importers.read_pyrogram_file(path)
    assert (data.dc_id, data.server_address, data.user_id, data.api_id) == (
        5,
        "91.108.56.130",
        777,
        api_id,
    )
    out = importers.write_telethon_file(data, tmp_path / "t.session")
    again = importers.read_telethon_file(out)
    assert (again.dc_id, again.auth_key) == (5, KEY)


def test_pyrogram_string_v2() -> None:
    raw = struct.pack(">BI?256sQ?", 3, 999, False, KEY, 4242, False)
    data = importers.parse_string(base64.urlsafe_b64encode(raw).decode().rstrip("="))
    assert (data.dc_id, data.api_id, data.user_id, data.auth_key) == (3, 999, 4242, KEY)
    bot = struct.pack(">BI?256sQ?", 3, 999, False, KEY, 4242, True)
    with pytest.raises(SessionImportError, match="bot"):
        importers.parse_string(base64.urlsafe_b64encode(bot).decode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a session file"),
        (b"hello, world", "not a session file"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "damaged|not a Telethon"),
    ],
)
def test_garbage_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "junk.session"
    path.write_bytes(content)
    with pytest.raises(SessionImportError, match=message):
        importers.read_telethon_file(path)


def test_wrong_kind_and_empty_sessions(tmp_path: Path) -> None:
    pyro = pyrogram_file(tmp_path / "p.session", 2, KEY, 1, 5)
    with pytest.raises(SessionImportError, match="Pyrogram session; import it with --pyrogram"):
        importers.read_telethon_file(pyro)
    tele = _telethon_file(tmp_path / "t.session")
    with pytest.raises(SessionImportError, match="Telethon session; import it with --session"):
        importers.read_pyrogram_file(tele)
    from telethon.sessions import SQLiteSession

    SQLiteSession(str(tmp_path / "empty")).save()  # a session that never logged in
    with pytest.raises(SessionImportError, match="never logged in"):
        importers.read_telethon_file(tmp_path / "empty.session")
    with pytest.raises(SessionImportError, match="does not exist"):
        importers.read_telethon_file(tmp_path / "missing.session")


@pytest.mark.parametrize("text", ["", "1abc", "not base64 at all!", "1" + "A" * 352])
def test_bad_strings(text: str) -> None:
    with pytest.raises(SessionImportError):
        importers.parse_string(text)


def test_token_from_url() -> None:
    token = b"\x01\x02\xfftoken"
    url = "tg://login?token=" + base64.urlsafe_b64encode(token).decode().rstrip("=")
    assert importers.token_from_url(url) == token


# ------------------------------------------------------------------ through the simulator
from conftest import API_HASH, API_ID, PHONE, make_sim, tg_with_accounts  # noqa: E402

from tgtui.cli import main  # noqa: E402
from tgtui.commands import prompts  # noqa: E402
from tgtui.commands.common import override_telegram  # noqa: E402


@pytest.fixture
def sim():
    """A simulated Telegram with one app and one user, @ann."""
    return make_sim(seed=1)


@pytest.fixture
def source(tmp_path: Path, sim):
    """A config with one logged-in account, 'src', and its Telegram context."""
    return tg_with_accounts(tmp_path / "one", sim, {"src": {"phone": PHONE}})


@pytest.fixture
def target(tmp_path: Path, sim, monkeypatch: pytest.MonkeyPatch):
    """A second, empty config on the same simulated Telegram, used by the CLI."""
    monkeypatch.setenv("TG_HASH", API_HASH)
    tg = tg_with_accounts(tmp_path / "two", sim)
    with override_telegram(tg), prompts.use(prompts.Scripted([])):
        yield tg


def _import(*args: str) -> int:
    return main(["import", *args, "--api-hash-env", "TG_HASH"])


def _key(path: Path) -> bytes:
    return importers.read_telethon_file(path).auth_key


def test_export_prints_the_string_on_stdout_only(source, capsys) -> None:
    with override_telegram(source):
        assert main(["export", "src", "--string"]) == 0
    out, err = capsys.readouterr()
    text = out.strip()
    assert importers.parse_string(text).auth_key == _key(source.store.get("src").session_path)
    assert "password-equivalent" in err and text not in err


def test_round_trip_string(source, target, sim, capsys, monkeypatch) -> None:
    with override_telegram(source):
        main(["export", "src", "--string"])
    text = capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert _import("dst", "--string", "-", "--api-id", str(API_ID)) == 0
    out = capsys.readouterr().out
    assert "Imported 'dst': OK — Session works (@ann, DC 2)" in out
    account = target.store.get("dst")
    assert account.status.state.value == "ok" and account.user.username == "ann"
    assert _key(account.session_path) == _key(source.store.get("src").session_path)


def test_round_trip_session_file(source, target, capsys) -> None:
    src = source.store.get("src").session_path
    before = src.read_bytes()
    assert _import("dst", "--session", str(src), "--api-id", str(API_ID)) == 0
    captured = capsys.readouterr()
    assert "Imported 'dst': OK" in captured.out
    assert "shares its key" in captured.err  # the duplicated-key warning
    assert src.read_bytes() == before
    dst = target.store.get("dst").session_path
    assert (dst.stat().st_mode & 0o777) == 0o600 and _key(dst) == _key(src)


def test_round_trip_pyrogram_v2(source, target, tmp_path: Path, capsys) -> None:
    data = importers.read_telethon_file(source.store.get("src").session_path)
    pyro = pyrogram_file(tmp_path / "pyro.session", data.dc_id, data.auth_key, 1, API_ID)
    assert _import("dst", "--pyrogram", str(pyro)) == 0  # the api_id comes from the file
    assert "Imported 'dst': OK" in capsys.readouterr().out
    assert target.store.get("dst").api_id == API_ID


def test_import_of_a_revoked_session_reports_it(source, target, sim, capsys) -> None:
    src = source.store.get("src").session_path
    sim.revoke(PHONE)
    assert _import("dst", "--session", str(src), "--api-id", str(API_ID)) == 1
    out = capsys.readouterr().out
    assert "Imported 'dst': " in out and ": OK" not in out  # REVOKED or NEEDS_LOGIN
    assert target.store.get("dst").status.state.value in ("revoked", "needs_login")


def test_fresh_gets_its_own_key_and_leaves_the_source(source, target, sim, capsys) -> None:
    src = source.store.get("src").session_path
    before, old_key = src.read_bytes(), _key(src)
    assert _import("dst", "--session", str(src), "--api-id", str(API_ID), "--fresh") == 0
    captured = capsys.readouterr()
    assert "Imported 'dst': OK" in captured.out and "shares its key" not in captured.err
    new_key = _key(target.store.get("dst").session_path)
    assert new_key != old_key
    assert sim.is_authorized_key(new_key) and sim.is_authorized_key(old_key)
    assert src.read_bytes() == before
    assert target.store.get("dst").phone == PHONE  # the fresh login learns the number


def test_fresh_with_two_step_verification(source, target, sim, capsys, monkeypatch) -> None:
    sim.set_password(PHONE, "hunter2", hint="pet")
    text = importers.export_string(source.store.get("src").session_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    answers = prompts.Scripted(["wrong", "hunter2"])
    with prompts.use(answers):
        assert _import("dst", "--string", "-", "--api-id", str(API_ID), "--fresh") == 0
    assert answers.asked == ["Two-step verification password (hint: pet): "] * 2
    assert any("password is wrong" in line for line in answers.said)
    assert "hunter2" not in "".join(answers.said) + "".join(capsys.readouterr())
    assert sim.is_authorized_key(_key(target.store.get("dst").session_path))


def test_fresh_with_a_dead_source_creates_nothing(source, target, sim, capsys) -> None:
    src = source.store.get("src").session_path
    sim.revoke(PHONE)
    assert _import("dst", "--session", str(src), "--api-id", str(API_ID), "--fresh") == 1
    assert target.store.names() == []
    pending = target.pending_dir
    assert not pending.exists() or [p.name for p in pending.iterdir()] in ([], ["ledger"])
