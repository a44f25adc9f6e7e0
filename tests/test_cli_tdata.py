"""`tgtui import NAME --tdata PATH`: through the CLI and the simulated Telegram.

The tdata folders were written by independent implementations (see test_tdata.py) from
keys the simulator authorised; here the simulator authorises those same keys again, so
a wrong byte anywhere in the reader would show up as a session Telegram refuses.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
from pathlib import Path

import pytest
from conftest import API_HASH, API_ID, tg_with_accounts

from tgtui.cli import main
from tgtui.commands import prompts
from tgtui.commands.common import override_telegram
from tgtui.telegram import importers

FIXTURES = Path(__file__).parent / "fixtures" / "tdata"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
DESKTOP_API_ID = 1111  # the api_id the desktop app made the keys under (see generate.py)
ANN, BOB = MANIFEST["desktop73-two"]["accounts"]


@pytest.fixture
def sim():
    """A simulated Telegram where Ann's and Bob's tdata keys are logged in."""
    from tgtui.telegram.sim import SimServer

    server = SimServer(seed=1)
    server.add_app(API_ID, API_HASH)
    server.add_app(DESKTOP_API_ID, "0" * 32)
    for who, first, username in ((ANN, "Ann", "ann"), (BOB, "Bob", "bob")):
        server.add_user(who["phone"], first, "", username, dc=who["dc"], user_id=who["user_id"])
    return server


@pytest.fixture
def desktop(sim, tmp_path: Path) -> None:
    """Telegram Desktop's sessions: the fixtures' keys, authorised by the simulator."""
    for n, who in enumerate((ANN, BOB)):
        sim.authorize_session(
            tmp_path / f"desktop{n}.session",
            who["phone"],
            DESKTOP_API_ID,
            auth_key=bytes.fromhex(who["auth_key_hex"]),
        )


@pytest.fixture
def target(tmp_path: Path, sim, desktop, monkeypatch: pytest.MonkeyPatch):
    """An empty config on the simulated Telegram, used by the CLI."""
    monkeypatch.setenv("TG_HASH", API_HASH)
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim)) as tg:
        yield tg


def _import(*args: str, answers: list[str] | None = None) -> tuple[int, prompts.Scripted]:
    scripted = prompts.Scripted(answers or [])
    with prompts.use(scripted):
        code = main(["import", *args, "--api-id", str(API_ID), "--api-hash-env", "TG_HASH"])
    return code, scripted


def _key(path: Path) -> bytes:
    return importers.read_telethon_file(path).auth_key


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _nothing_created(tg) -> None:
    assert tg.store.names() == []


def test_import_then_status_ok(target, capsys) -> None:
    folder = FIXTURES / "desktop73-plain"
    before = _files(folder)
    code, said = _import("dst", "--tdata", str(folder))
    out, err = capsys.readouterr()
    assert code == 0, (out, err, said.said)
    assert "Imported 'dst': OK — Session works (@ann, DC 2)" in out
    assert "shares its auth key with Telegram Desktop" in err and "--fresh" in err
    assert any("never presents itself as Telegram Desktop" in line for line in said.said)
    account = target.store.get("dst")
    assert _key(account.session_path) == bytes.fromhex(ANN["auth_key_hex"])
    assert account.api_id == API_ID  # tgtui's own api_id, not the desktop app's
    assert main(["status"]) == 0
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[:4] == ["dst", "OK", "@ann", "2"]
    assert _files(folder) == before


def test_fresh_makes_a_second_authorization_and_desktop_keeps_working(
    target, sim, capsys, monkeypatch
) -> None:
    name = "desktop73-passcode"
    monkeypatch.setattr("sys.stdin", io.StringIO(MANIFEST[name]["passcode"] + "\n"))
    desktop_key = bytes.fromhex(ANN["auth_key_hex"])
    code, _ = _import("dst", "--tdata", str(FIXTURES / name), "--passcode", "-", "--fresh")
    out, err = capsys.readouterr()
    assert code == 0 and "Imported 'dst': OK" in out, (out, err)
    assert "shares its auth key" not in err
    new_key = _key(target.store.get("dst").session_path)
    assert new_key != desktop_key
    assert sim.is_authorized_key(new_key) and sim.is_authorized_key(desktop_key)
    logged_in = [k for k in sim.keys_of(ANN["phone"]) if sim.is_authorized_key(k.key)]
    assert len(logged_in) == 2
    assert main(["status"]) == 0 and " OK " in capsys.readouterr().out


def test_two_accounts_are_listed_and_one_is_chosen(target, capsys) -> None:
    folder = str(FIXTURES / "desktop73-two")
    code, said = _import("dst", "--tdata", folder)
    err = capsys.readouterr().err
    assert code == 2 and "holds 2 accounts; choose one with --account N (1-2)" in err
    assert f"  1  user {ANN['user_id']}, DC 2" in said.said
    assert f"  2  user {BOB['user_id']}, DC 4" in said.said
    _nothing_created(target)
    code, _ = _import("bob", "--tdata", folder, "--account", "2")
    assert (
        code == 0 and "Imported 'bob': OK — Session works (@bob, DC 4)" in capsys.readouterr().out
    )
    code, said = _import("ann", "--tdata", folder, answers=["1"])
    assert code == 0 and said.asked == ["Which one (1-2)? "]
    assert "(@ann, DC 2)" in capsys.readouterr().out
    code, _ = _import("x", "--tdata", folder, "--account", "3")
    assert code == 2 and "has no account 3: choose 1 to 2" in capsys.readouterr().err


def test_passcode_is_asked_hidden_and_a_wrong_one_asked_again(target, capsys) -> None:
    name = "desktop-legacy-passcode"
    passcode = MANIFEST[name]["passcode"]
    code, said = _import(
        "dst", "--tdata", str(FIXTURES / name), "--account", "2", answers=["not it", passcode]
    )
    out, err = capsys.readouterr()
    assert code == 0 and "Imported 'dst': OK — Session works (@ann, DC 2)" in out
    assert said.asked == ["Local passcode (typing is hidden): "] * 2
    assert "✗ That passcode does not open this folder; 2 more tries." in said.said
    assert passcode not in out + err + "".join(said.said)


def test_wrong_passcode_three_times_or_on_stdin_imports_nothing(
    target, capsys, monkeypatch
) -> None:
    folder = str(FIXTURES / "desktop73-passcode")
    code, said = _import("dst", "--tdata", folder, answers=["a", "b", "c"])
    assert code == 2 and "wrong 3 times; nothing imported" in capsys.readouterr().err
    code, said = _import("dst", "--tdata", folder)  # no terminal to ask on
    err = capsys.readouterr().err
    assert code == 2 and "give it on standard input with --passcode -" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("nope\n"))
    code, _ = _import("dst", "--tdata", folder, "--passcode", "-")
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "does not open" in err and "nope" not in err
    _nothing_created(target)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tdata", "{tmp}/garbage"], "key_datas is not a Telegram Desktop data file"),
        (["--tdata", "{tmp}/truncated"], "key_datas is damaged or truncated"),
        (["--tdata", "{tmp}"], "is not a Telegram Desktop tdata folder"),
        (["--tdata", "{tmp}/nowhere"], "does not exist"),
        (["--tdata", "{fix}", "--passcode", "correct horse"], "--passcode -"),
        (["--session", "{tmp}/x.session", "--account", "1"], "--account goes with --tdata"),
    ],
)
def test_bad_input_is_one_line_and_creates_nothing(
    target, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    for damaged in ("garbage", "truncated"):
        shutil.copytree(FIXTURES / "desktop73-plain", tmp_path / damaged)
    key = tmp_path / "garbage" / "key_datas"
    key.write_bytes(b"PK\x03\x04 not tdata at all")
    key = tmp_path / "truncated" / "key_datas"
    key.write_bytes(key.read_bytes()[:200])
    fixture = str(FIXTURES / "desktop73-passcode")
    argv = [a.format(tmp=tmp_path, fix=fixture) for a in args]
    code, _ = _import("dst", *argv)
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    _nothing_created(target)


def test_help_lists_tdata_and_recommends_fresh(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["import", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert done.value.code == 0
    assert "--tdata PATH" in out and "--passcode -" in out and "--account N" in out
    assert "AUTH_KEY_DUPLICATED" in out and "recommended" in out


@pytest.mark.parametrize(
    ("text", "pitfall"),
    [
        ("That passcode does not open this tdata folder.", "tdata-passcode"),
        ("/x/tdata is protected by a local passcode.", "tdata-passcode"),
        ("The local passcode was wrong 3 times; nothing imported.", "tdata-passcode"),
        ("! /x/tdata has a 'working' file: Telegram Desktop is running", "tdata-desktop-running"),
        ("/x/tdata holds no logged-in account (...)", "tdata-session-terminated"),
        (
            "/x/D877F783D5D3EF8Cs holds no MTProto authorization: not logged in.",
            "tdata-session-terminated",
        ),
    ],
)
def test_what_import_says_finds_its_pitfall(text: str, pitfall: str) -> None:
    from tgtui.troubleshoot import match

    assert match(text)[0].id == pitfall


def test_ordinary_session_messages_do_not_blame_tdata() -> None:
    from tgtui.troubleshoot import match

    for text in (
        "This session is not logged in: log in to use this account",
        "AUTH_KEY_DUPLICATED",
    ):
        assert not any(p.id.startswith("tdata-") for p in match(text)[:1]), text


@pytest.mark.parametrize(
    ("words", "pitfall"),
    [
        ("tdata passcode", "tdata-passcode"),
        ("telegram desktop running tdata", "tdata-desktop-running"),
        ("tdata terminated logged out", "tdata-session-terminated"),
        ("telegram desktop and tgtui both logged out", "tdata-both-killed"),
    ],
)
def test_troubleshoot_words_find_the_tdata_pitfalls(words: str, pitfall: str) -> None:
    from tgtui.troubleshoot.search import lookup

    assert [p.id for p in lookup(words)][0] == pitfall


def test_a_terminated_desktop_session_is_reported(target, sim, capsys) -> None:
    sim.revoke(ANN["phone"], how="revoked")  # "terminate all other sessions" on the phone
    code, _ = _import("dst", "--tdata", str(FIXTURES / "desktop73-plain"))
    out = capsys.readouterr().out
    assert code == 1 and "Imported 'dst': REVOKED" in out
    code, _ = _import("again", "--tdata", str(FIXTURES / "desktop73-plain"), "--fresh")
    assert code == 1 and target.store.names() == ["dst"]  # --fresh creates nothing


def test_empty_stdin_for_a_passcode(target, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _ = _import("dst", "--tdata", str(FIXTURES / "desktop73-passcode"), "--passcode", "-")
    assert code == 2 and "No passcode on standard input" in capsys.readouterr().err
    _nothing_created(target)


def test_an_account_on_an_unknown_dc_is_refused_in_one_line(target, tmp_path, capsys) -> None:
    from test_tdata import _authorization, _container, _copy, _encrypt, _local_key, _qbytes

    folder = _copy("desktop-legacy-plain", tmp_path)
    block = struct.pack(">I", 0x4B) + _qbytes(_authorization(42, 77, [(77, bytes(range(256)))]))
    mtp = _container(_qbytes(_encrypt(block, _local_key(folder))))
    (folder / "D877F783D5D3EF8Cs").write_bytes(mtp)
    code, _ = _import("dst", "--tdata", str(folder))
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert f"{folder}, account 1: Telegram has no production data centre 77." in err
    _nothing_created(target)
