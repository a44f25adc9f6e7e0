"""`tgtui import` / `tgtui export`: bad input is one line on stderr, exit 2, nothing created."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.cli import main
from tgtui.telegram import importers

HASH = "0123456789abcdef0123456789abcdef"
KEY = bytes(range(256))


def _cli(root: Path, *args: str) -> int:
    return main(["--config-dir", str(root), *args])


def _one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def _nothing_created(root: Path) -> None:
    assert not any((root / "accounts").iterdir())
    pending = root / "pending"
    assert not pending.exists() or not [p for p in pending.iterdir() if p.name != "ledger"]


@pytest.fixture(autouse=True)
def _hash_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TG_HASH", HASH)


def test_string_must_come_from_stdin(config_root: Path, capsys) -> None:
    text = importers.to_string(importers.SessionData(2, "149.154.167.51", 443, KEY))
    code = _cli(config_root, "import", "x", "--string", text, "--api-id", "1")
    err = _one_line(capsys.readouterr().err)
    assert code == 2 and "standard input: --string -" in err
    assert text not in err
    _nothing_created(config_root)


@pytest.mark.parametrize(
    ("content", "flag", "message"),
    [
        (b"garbage", "--session", "is not a session file (not an SQLite database)"),
        (b"", "--pyrogram", "is not a session file"),
        (b"SQLite format 3\x00" + b"\x01" * 100, "--session", "damaged"),
    ],
)
def test_garbage_files(config_root: Path, tmp_path: Path, capsys, content, flag, message) -> None:
    path = tmp_path / "in.session"
    path.write_bytes(content)
    code = _cli(
        config_root, "import", "x", flag, str(path), "--api-id", "1", "--api-hash-env", "TG_HASH"
    )
    err = _one_line(capsys.readouterr().err)
    assert code == 2 and message in err
    _nothing_created(config_root)


def test_wrong_flag_for_the_format_says_which(config_root: Path, tmp_path: Path, capsys) -> None:
    path = importers.write_telethon_file(
        importers.SessionData(2, "149.154.167.51", 443, KEY), tmp_path / "t.session"
    )
    code = _cli(config_root, "import", "x", "--pyrogram", str(path), "--api-id", "1")
    err = _one_line(capsys.readouterr().err)
    assert code == 2 and "is a Telethon session; import it with --session" in err
    _nothing_created(config_root)


def test_garbage_string_on_stdin(config_root: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    code = _cli(config_root, "import", "x", "--string", "-", "--api-id", "1")
    err = _one_line(capsys.readouterr().err)
    assert code == 2 and "not a session string" in err
    _nothing_created(config_root)


def test_bad_name_api_id_and_missing_env(
    config_root: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    from tgtui.config import prepare

    AccountStore(prepare(config_root), SecretStore(mode="off")).create(
        Account(name="taken", api_id=1, phone="+15551234567"), HASH
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("x"))
    assert _cli(config_root, "import", "taken", "--string", "-") == 2
    assert "exists already" in _one_line(capsys.readouterr().err)
    assert _cli(config_root, "import", "Bad Name!", "--string", "-") == 2
    assert "a-z" in _one_line(capsys.readouterr().err)
    path = importers.write_telethon_file(
        importers.SessionData(2, "149.154.167.51", 443, KEY), tmp_path / "t.session"
    )
    assert _cli(config_root, "import", "x", "--session", str(path), "--api-id", "abc") == 2
    assert "digits only" in _one_line(capsys.readouterr().err)
    assert (
        _cli(
            config_root,
            "import",
            "x",
            "--session",
            str(path),
            "--api-id",
            "54321",
            "--api-hash-env",
            "NOPE_UNSET",
        )
        == 2
    )
    assert "$NOPE_UNSET is not set" in _one_line(capsys.readouterr().err)
    monkeypatch.setenv("BAD_HASH", "xyz")
    assert (
        _cli(
            config_root,
            "import",
            "x",
            "--session",
            str(path),
            "--api-id",
            "54321",
            "--api-hash-env",
            "BAD_HASH",
        )
        == 2
    )
    assert "api_hash" in _one_line(capsys.readouterr().err)
    assert [p.name for p in (config_root / "accounts").iterdir()] == ["taken"]


def test_import_needs_exactly_one_source(config_root: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        _cli(config_root, "import", "x")
    assert exc.value.code == 2
    assert (
        "one of the arguments --session --string --pyrogram --tdata is required"
        in capsys.readouterr().err
    )


def test_export_unknown_or_without_session(config_root: Path, capsys) -> None:
    from tgtui.config import prepare

    assert _cli(config_root, "export", "nope", "--string") == 2
    assert "No account named 'nope'" in _one_line(capsys.readouterr().err)
    AccountStore(prepare(config_root), SecretStore(mode="off")).create(
        Account(name="new", api_id=1, phone="+15551234567"), HASH
    )
    assert _cli(config_root, "export", "new", "--string") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "log in first" in _one_line(captured.err)


def test_demo_export_then_import_through_the_console(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TG_HASH": "0123456789abcdef0123456789abcdef"}
        return subprocess.run(
            [sys.executable, "-m", "tgtui", "--demo", *args],
            capture_output=True,
            text=True,
            input=stdin,
            env=env,
            timeout=120,
        )

    exported = run("export", "work", "--string")
    assert exported.returncode == 0, exported.stderr
    text = exported.stdout.strip()
    assert importers.parse_string(text).dc_id == 2
    assert "password-equivalent" in exported.stderr and text not in exported.stderr
    imported = run(
        "import",
        "copy",
        "--string",
        "-",
        "--api-id",
        "1234567",
        "--api-hash-env",
        "TG_HASH",
        stdin=text,
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported 'copy': OK" in imported.stdout
    bad = run("import", "copy", "--string", "-", "--api-id", "1234567", stdin="garbage")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1
