"""Bad input never crashes tgtui, never rewrites a user's file, never half-creates anything.

- Garbage account.toml / secrets.toml / config.toml (random bytes, truncations, wrong
  types, random TOML structures): the store lists the account as broken with the path
  (and the line when the parser or a present key gives one), nothing raises, the file's
  bytes stay as they were.
- Garbage for `tgtui import NAME --session FILE | --pyrogram FILE | --string -`: exit 2,
  one line on stderr, no traceback, no account, no staging folder.
- Random argv through `tgtui.cli.main`: no traceback, exit codes 0, 1 or 2 only.
(Validators are covered by Hypothesis in tests/test_validate.py.)
"""

from __future__ import annotations

import io
import math
import random
import re
import sqlite3
import time
from datetime import date, datetime, timezone
from datetime import time as dtime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import tomli_w

from reliability.support import API_HASH, API_ID, PHONE, figures, make_world
from tgtui.accounts import Account, State, StoreError
from tgtui.accounts.tomlio import ConfigFileError
from tgtui.cli import main
from tgtui.commands import common, prompts, status_cmd
from tgtui.commands import tui as tui_cmd
from tgtui.config import Settings
from tgtui.telegram.health import check_and_save

SEED = 20261122

GOOD_ACCOUNT = {
    "version": 1,
    "uid": "0123abcd",
    "label": "Work",
    "api_id": API_ID,
    "phone": PHONE,
    "created": "2026-01-31T12:00:00Z",
    "proxy": {"kind": "socks5", "host": "127.0.0.1", "port": 1080},
    "status": {"state": "ok", "reason": "", "checked_at": "2026-01-31T12:00:00Z", "dc": 2},
    "user": {"id": 1, "first_name": "Ann", "premium": False},
}
GOOD_CONFIG = {"refresh_interval": 60.0, "concurrency": 8, "check_timeout": 20.0, "theme": "x"}
GOOD_SECRETS = {"api_hash": API_HASH, "reason": "test"}

ODD_VALUES: list[Any] = [
    0,
    -1,
    2**63 - 1,
    1.5,
    math.inf,
    math.nan,
    True,
    "",
    "x" * 300,
    "[/x] \x1b[31m",
    "2026-13-45T99:00:00Z",
    [],
    [1, "a"],
    {},
    {"a": {"b": 1}},
    datetime(2026, 1, 1, tzinfo=timezone.utc),
    datetime(9999, 12, 31, 23, 59, 59),
    date(2026, 1, 1),
    dtime(12, 0),
]


def random_structure(rng: random.Random, depth: int = 0) -> Any:
    """A random TOML-able value."""
    if depth > 2 or rng.random() < 0.5:
        return rng.choice(ODD_VALUES)
    if rng.random() < 0.5:
        return [random_structure(rng, depth + 1) for _ in range(rng.randrange(3))]
    keys = list(GOOD_ACCOUNT) + ["kind", "host", "port", "state", "id", "zzz"]
    return {rng.choice(keys): random_structure(rng, depth + 1) for _ in range(rng.randrange(4))}


def garbage(rng: random.Random, good: dict[str, Any]) -> bytes:
    """One garbage file built from a good document."""
    text = tomli_w.dumps(good).encode()
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(rng.randrange(200))
    if kind == 1:
        return text[: rng.randrange(len(text))]
    if kind == 2:
        lines = text.splitlines(keepends=True)
        junk = rng.choice([b"= 1\n", b"[[\n", b'x = "unterminated\n', b"\xff\xfe\n", b"a.b = \n"])
        lines.insert(rng.randrange(len(lines) + 1), junk)
        return b"".join(lines)
    doc = dict(good)
    if kind == 3:  # one field with a value of another type
        key = rng.choice(list(doc))
        doc[key] = rng.choice(ODD_VALUES)
    elif kind == 4:  # a nested field with an odd value
        tables = [k for k, v in doc.items() if isinstance(v, dict)] or [rng.choice(list(doc))]
        key = rng.choice(tables)
        inner = dict(doc[key]) if isinstance(doc[key], dict) else {}
        inner[rng.choice([*inner, "port", "state"])] = rng.choice(ODD_VALUES)
        doc[key] = inner
    else:  # a random document
        doc = random_structure(rng) if rng.random() < 0.3 else {}
        if not isinstance(doc, dict):
            doc = {"x": doc}
        for _ in range(rng.randrange(5)):
            doc[rng.choice(list(good) + ["junk"])] = random_structure(rng)
    try:
        return tomli_w.dumps(doc).encode()
    except (TypeError, ValueError):
        return text.replace(b"=", b"==", 1)


def mtime_and_bytes(path: Path) -> tuple[int, bytes]:
    return path.stat().st_mtime_ns, path.read_bytes()


async def test_garbage_toml_files_are_reported_and_left_untouched(tmp_path: Path) -> None:
    """account.toml, secrets.toml and config.toml full of garbage: reported, never rewritten."""
    rng = random.Random(SEED)
    tg, _, _ = make_world(tmp_path / "cfg")
    store = tg.store
    folder = store.accounts_dir / "acct"
    folder.mkdir(mode=0o700)
    counts = {"account": 0, "account_broken": 0, "with_line": 0, "secrets": 0, "config": 0}
    counts.update(secrets_unreadable=0, config_rejected=0)
    # account.toml
    for _ in range(160):
        data = garbage(rng, GOOD_ACCOUNT)
        path = folder / "account.toml"
        path.write_bytes(data)
        before = mtime_and_bytes(path)
        (account,) = store.accounts()
        assert store.get("acct").broken == account.broken
        counts["account"] += 1
        if account.broken:
            counts["account_broken"] += 1
            assert str(path) in account.broken and account.status.state is State.BROKEN
            counts["with_line"] += bool(re.search(rf"{re.escape(str(path))}:\d+", account.broken))
            assert store.save_status("acct", account.status) is None
            with pytest.raises(StoreError):
                store.update(account)
            health = await check_and_save(tg, account)
            assert health.state is State.BROKEN
            assert mtime_and_bytes(path) == before
    # secrets.toml beside a good account and a non-empty session file
    path.write_bytes(tomli_w.dumps(GOOD_ACCOUNT).encode())
    (folder / "session.session").write_bytes(b"not a database")
    for _ in range(80):
        secret = folder / "secrets.toml"
        secret.write_bytes(garbage(rng, GOOD_SECRETS))
        before = mtime_and_bytes(secret)
        (account,) = store.accounts()
        assert not account.broken
        counts["secrets"] += 1
        try:
            store.api_hash(account)
        except ConfigFileError as exc:
            counts["secrets_unreadable"] += 1
            assert str(secret) in str(exc)
            health = await check_and_save(tg, account)
            assert health.state is State.BROKEN and str(secret) in health.reason, health
            with pytest.raises(ConfigFileError):
                store.set_api_hash(account, API_HASH)
        assert mtime_and_bytes(secret) == before
    # config.toml
    config = store.root / "config.toml"
    for _ in range(60):
        config.write_bytes(garbage(rng, GOOD_CONFIG))
        before = mtime_and_bytes(config)
        counts["config"] += 1
        try:
            Settings.load(store.root)
        except ConfigFileError as exc:
            counts["config_rejected"] += 1
            assert str(config) in str(exc)
        assert mtime_and_bytes(config) == before
    figures("bad_input.toml", **counts)


# ----------------------------------------------------------------------------- imports
def sqlite_file(path: Path, ddl: str, rows: list[tuple] | None = None) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(ddl)
    for row in rows or []:
        conn.execute(f"insert into sessions values ({', '.join('?' * len(row))})", row)
    conn.commit()
    conn.close()
    return path


def garbage_session_files(tmp: Path, rng: random.Random) -> list[tuple[str, Path]]:
    """(--session | --pyrogram, path) pairs that are not usable sessions."""
    tmp.mkdir()
    tele = "create table sessions (dc_id integer, server_address text, port integer, "
    tele += "auth_key blob, takeout_id integer);"
    pyro = "create table sessions (dc_id integer, api_id integer, test_mode integer, "
    pyro += "auth_key blob, date integer, user_id integer, is_bot integer);"
    key = bytes(range(256))
    files = {
        "empty": tmp / "empty.session",
        "dir": tmp / "folder.session",
        "missing": tmp / "missing.session",
    }
    files["empty"].write_bytes(b"")
    files["dir"].mkdir()
    files["other-table"] = sqlite_file(tmp / "other.session", "create table t (x);")
    files["few-columns"] = sqlite_file(tmp / "few.session", "create table sessions (dc_id);")
    files["no-row"] = sqlite_file(tmp / "norow.session", tele)
    files["null-key"] = sqlite_file(tmp / "nullkey.session", tele, [(2, "1.2.3.4", 443, None, 0)])
    files["short-key"] = sqlite_file(tmp / "short.session", tele, [(2, "1.2.3.4", 443, b"k", 0)])
    files["zero-key"] = sqlite_file(
        tmp / "zero.session", tele, [(2, "1.2.3.4", 443, bytes(256), 0)]
    )
    files["dc-0"] = sqlite_file(tmp / "dc0.session", tele, [(0, "1.2.3.4", 443, key, 0)])
    files["pyro-bot"] = sqlite_file(tmp / "bot.session", pyro, [(2, 1, 0, key, 0, 5, 1)])
    files["pyro-dc-9"] = sqlite_file(tmp / "dc9.session", pyro, [(9, 1, 0, key, 0, 5, 0)])
    real = files["null-key"].read_bytes()
    files["truncated"] = tmp / "trunc.session"
    files["truncated"].write_bytes(real[:100])
    files["header-junk"] = tmp / "junk.session"
    files["header-junk"].write_bytes(b"SQLite format 3\x00" + rng.randbytes(3000))
    for i in range(20):
        files[f"random-{i}"] = tmp / f"random{i}.session"
        files[f"random-{i}"].write_bytes(rng.randbytes(rng.randrange(1, 5000)))
    pairs = []
    for path in files.values():
        pairs.append(("--session", path))
        pairs.append(("--pyrogram", path))
    return pairs


def garbage_strings(rng: random.Random) -> list[str]:
    import base64
    import struct

    key = bytes(range(256))
    out = ["", "   \n", "1", "1AAAA", "not a session", "\x00\x01", "1" + "A" * 351]
    out.append(
        "1" + base64.urlsafe_b64encode(struct.pack(">B4sH256s", 0, b"\1\2\3\4", 443, key)).decode()
    )
    out.append(
        base64.urlsafe_b64encode(struct.pack(">BI?256sQ?", 2, 1, False, key, 5, True)).decode()
    )
    out.append(
        base64.urlsafe_b64encode(struct.pack(">BI?256sQ?", 7, 1, False, key, 5, False)).decode()
    )
    out.append(
        base64.urlsafe_b64encode(
            struct.pack(">BI?256sQ?", 2, 1, False, bytes(256), 5, False)
        ).decode()
    )
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \n\tё€😀"
    for _ in range(30):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400))))
    return out


@pytest.fixture
def cli_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The CLI pointed at a simulator-backed config (no network), prompts that hit EOF."""
    tg, sim, clock = make_world(tmp_path / "cfg")
    monkeypatch.setenv("TGTUI_TEST_HASH", API_HASH)
    with common.override_telegram(tg), prompts.use(prompts.Scripted([])):
        yield tg


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = capsys.readouterr()
    return code, out, err


def test_garbage_sessions_are_refused_in_one_line(
    cli_world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """`tgtui import` with garbage files or strings: exit 2, one line, nothing created."""
    tg = cli_world
    rng = random.Random(SEED)
    common_args = ["--api-id", str(API_ID), "--api-hash-env", "TGTUI_TEST_HASH"]
    cases = 0
    for flag, path in garbage_session_files(tmp_path / "files", rng):
        before = path.read_bytes() if path.is_file() else None
        code, out, err = run_cli(["import", "imp", flag, str(path), *common_args], capsys)
        assert code == 2, (flag, path.name, code, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err and not out, (flag, path.name, err)
        assert (path.read_bytes() if path.is_file() else None) == before
        cases += 1
    for text in garbage_strings(rng):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        code, out, err = run_cli(["import", "imp", "--string", "-", *common_args], capsys)
        assert code == 2, (text, code, out, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (text, err)
        cases += 1
    assert tg.store.names() == []
    assert not list(tg.pending_dir.glob("import-*"))
    assert not list(tg.store.accounts_dir.glob(".new-*"))
    figures("bad_input.import", cases=cases)


# ----------------------------------------------------------------------------- argv
COMMANDS = [
    ["list"],
    ["path"],
    ["status"],
    ["add"],
    ["import"],
    ["export"],
    ["remove"],
    ["trash"],
    ["trash", "list"],
    ["trash", "restore"],
    ["trash", "empty"],
    ["secrets"],
    ["secrets", "where"],
    ["secrets", "migrate"],
    ["doctor"],
    ["troubleshoot"],
    [],
]
FLAGS = [
    "--json",
    "--watch",
    "--interval",
    "--count",
    "--yes",
    "--logout",
    "--as",
    "--to",
    "--string",
    "--session",
    "--pyrogram",
    "--api-id",
    "--api-hash-env",
    "--label",
    "--fresh",
    "--qr",
    "--phone",
    "--no-network",
    "--target",
    "--demo",
    "--config-dir",
    "--help",
    "--version",
    "-h",
    "--",
    "-",
    "--bogus",
]
VALUES = [
    "work",
    "acct",
    "ghost",
    "",
    " ",
    "-1",
    "0",
    "1e309",
    "nan",
    "inf",
    "0.001",
    "keyring",
    "file",
    "FLOOD_WAIT_30",
    "127.0.0.1:1",
    "host:",
    "../../etc",
    "/dev/null",
    "x" * 500,
    "[/x]",
    "ё€😀",
    "\x1b[2J",
    "TGTUI_TEST_HASH",
    "UNSET_VAR_XYZ",
]


def random_argv(rng: random.Random) -> list[str]:
    argv = list(rng.choice(COMMANDS))
    for _ in range(rng.randrange(5)):
        roll = rng.random()
        if roll < 0.45:
            argv.append(rng.choice(FLAGS))
        elif roll < 0.9:
            argv.append(rng.choice(VALUES))
        else:
            argv.insert(0, rng.choice(FLAGS[:3] + ["--config-dir"]))
    return argv


def test_random_argv_never_shows_a_traceback(
    cli_world: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random argument lists: exit 0, 1 or 2, never a traceback (TUI start and sleeps stubbed)."""
    tg = cli_world
    rng = random.Random(SEED)
    monkeypatch.setattr(tui_cmd, "run_tui", lambda args: 0)
    real_sleep = time.sleep

    def interrupted_sleep(seconds: float) -> None:
        if not (0 <= seconds < 1e9):  # what time.sleep itself refuses
            real_sleep(seconds)
        raise KeyboardInterrupt  # --watch: Ctrl-C during the first pause

    # Only the watch loop's own pause (status_cmd.time), not time.sleep for every thread.
    monkeypatch.setattr(status_cmd, "time", SimpleNamespace(sleep=interrupted_sleep))
    from tgtui.commands import doctor_cmd

    monkeypatch.setattr(doctor_cmd, "TELEGRAM", ("127.0.0.1", 1))
    monkeypatch.setattr(doctor_cmd, "CLOCK_URL", "http://127.0.0.1:1/")
    codes: dict[int, int] = {}
    unexpected: list[tuple[list[str], str]] = []
    cases = 0
    for i in range(300):
        if i % 60 == 0:  # fresh accounts now and then (remove / trash empty eat them)
            for name in ("work", "acct"):
                if not tg.store.exists(name):
                    tg.store.create(Account(name=name, api_id=API_ID, phone=PHONE), API_HASH)
        argv = random_argv(rng)
        code, out, err = run_cli(argv, capsys)
        cases += 1
        codes[code] = codes.get(code, 0) + 1
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in out + err, (argv, err)
        if "failed unexpectedly" in err:
            unexpected.append((argv, err.strip().splitlines()[-1]))
    figures(
        "bad_input.argv",
        cases=cases,
        exit_codes=codes,
        unexpected_errors=len(unexpected),
        examples=unexpected[:5],
    )
    assert unexpected == [], unexpected
