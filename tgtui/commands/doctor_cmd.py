"""`tgtui doctor`: this machine's set-up on one screen, with each problem's pitfall.

Checks: the config folder and its permissions, where secrets go and why, versions,
locked sessions and their holders, unreadable account files, whether Telegram can be
reached (a TCP connect, timed) and the clock offset when it can be measured. With
`--demo` (and in tests, through `--target`) it never touches Telegram's network.
Exit 0 when nothing needs fixing, 1 when something does.
"""

from __future__ import annotations

import argparse
import platform
import socket
import stat
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from tgtui.cli import EXIT_ATTENTION, EXIT_OK, UsageError
from tgtui.commands.common import guarded, open_tg
from tgtui.commands.textfmt import field, wrap
from tgtui.failure import Failure
from tgtui.logfile import log_path

TELEGRAM = ("149.154.167.50", 443)  # DC 2, production
CLOCK_URL = "https://telegram.org/"
CONNECT_TIMEOUT = 3.0
CLOCK_LIMIT = 30.0  # seconds of offset that break MTProto connections in practice


@dataclass(frozen=True)
class Problem:
    """Something to fix: what, how, and the pitfall that explains it (if one does)."""

    what: str
    fix: str = ""
    pitfall: str = ""


def pitfall_title(fail: Failure) -> str:
    """The title of the best-matching pitfall for `fail`, or ''."""
    from tgtui.troubleshoot import match

    found = match(fail, fail.stage or "environment")
    return found[0].title if found else ""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `doctor` parser."""
    p = sub.add_parser(
        "doctor",
        help="check this machine's set-up (exit 0 clean, 1 problems found)",
        description="Config folder and permissions, secret storage, versions, locks, "
        "broken files, Telegram reachability and clock. Exit 0 clean, 1 problems found.",
    )
    p.add_argument(
        "--target", metavar="HOST:PORT", help=argparse.SUPPRESS
    )  # reachability target (tests)
    p.add_argument("--no-network", action="store_true", help="skip the reachability checks")
    p.set_defaults(handler=cmd_doctor)


def _parse_target(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError("--target is HOST:PORT, e.g. 127.0.0.1:8443.")
    return host, int(port)


@guarded("doctor")
def cmd_doctor(args: argparse.Namespace) -> int:
    """`tgtui doctor`: print the report; exit 1 when a problem was found."""
    target = _parse_target(args.target) if args.target else None
    problems: list[Problem] = []
    lines: list[str] = []
    with open_tg(args) as tg:
        store = tg.store
        lines += _config(store.root, problems)
        lines.append(f"Log        {log_path()}")
        lines += _secrets(store, problems)
        lines += _versions()
        lines += _accounts(store, problems)
        if tg.demo is not None:
            lines.append("Telegram   the simulator (demo mode; no network is used)")
        elif args.no_network:
            lines.append("Telegram   not checked (--no-network)")
        else:
            lines += _reach(target or TELEGRAM, problems)
            if target is None:
                lines += _clock(CLOCK_URL, problems)
    print("\n".join(field(line) for line in lines))
    if not problems:
        print("\nNo problems found.")
        return EXIT_OK
    print(f"\n{len(problems)} problem(s):")
    for p in problems:
        print(wrap(p.what, first="  ! ", indent="    "))
        if p.fix:
            print(wrap(p.fix, first="    fix: ", indent="         "))
        if p.pitfall:
            tail = f"{p.pitfall} (tgtui troubleshoot explains it)"
            print(wrap(tail, first="    pitfall: ", indent="             "))
    return EXIT_ATTENTION


# ---------------------------------------------------------------------- sections
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _config(root: Path, problems: list[Problem]) -> list[str]:
    lines = [f"Config     {root} (mode {_mode(root):04o})"]
    exposed: list[tuple[Path, int]] = []
    for path in _private_paths(root):
        mode = _mode(path)
        if mode & 0o077:
            exposed.append((path, mode))
    for path, mode in exposed[:10]:
        kind = "folder" if path.is_dir() else "file"
        problems.append(
            Problem(
                f"{path} is open to other users (mode {mode:04o}); a session file is a "
                "password-equivalent credential",
                f"chmod {'700' if kind == 'folder' else '600'} '{path}'",
                pitfall_title(Failure("SESSION_FILE_EXPOSED", "open to other users")),
            )
        )
    if len(exposed) > 10:
        problems.append(Problem(f"…and {len(exposed) - 10} more paths open to other users"))
    return lines


def _private_paths(root: Path) -> list[Path]:
    """The config folder, account folders and every file that holds a credential."""
    paths = [root]
    accounts = root / "accounts"
    if accounts.is_dir():
        paths.append(accounts)
        for folder in sorted(accounts.iterdir()):
            if not folder.is_dir() or folder.is_symlink():
                continue
            paths.append(folder)
            paths += sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    trash = root / "trash"
    if trash.is_dir():
        paths.append(trash)
        for folder in sorted(trash.iterdir()):
            if folder.is_dir() and not folder.is_symlink():
                paths.append(folder)
                paths += sorted(f for f in folder.glob("*.session*") if f.is_file())
    return paths


def _secrets(store: object, problems: list[Problem]) -> list[str]:
    from tgtui.accounts.secrets import SecretStore

    secrets = getattr(store, "secrets", None) or SecretStore()
    backend = secrets.probe()
    if backend.kind == "none":
        problems.append(
            Problem(
                f"secrets cannot be saved: {backend.description}",
                "unset TGTUI_KEYRING (or set it to auto) to allow the private-file fallback",
                pitfall_title(
                    Failure("KEYRING", backend.reason or "keyring", exc_type="NoKeyringError")
                ),
            )
        )
    return [f"Secrets    {backend.description}"]


def _versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    import tgtui

    found = []
    for dist in ("telethon", "textual"):
        try:
            found.append(f"{dist.capitalize()} {version(dist)}")
        except PackageNotFoundError:
            found.append(f"{dist.capitalize()} not installed")
    return [
        f"Versions   tgtui {tgtui.__version__}, Python {platform.python_version()}, "
        + ", ".join(found)
    ]


def _accounts(store: object, problems: list[Problem]) -> list[str]:
    from tgtui.accounts.lock import read_holder

    accounts = store.list()  # type: ignore[attr-defined]
    broken = [a for a in accounts if a.broken]
    lines = [f"Accounts   {len(accounts)}" + (f" ({len(broken)} unreadable)" if broken else "")]
    for account in broken:
        problems.append(
            Problem(
                f"{account.name}: {account.broken}",
                "fix or move that file aside; tgtui leaves it untouched",
                pitfall_title(Failure("CONFIG_INVALID", account.broken, stage="environment")),
            )
        )
    for account in accounts:
        holder = account.folder and read_holder(account.folder)
        if holder:
            lines.append(f"Locked     {account.name}: in use by {holder}")
    return lines


def _reach(target: tuple[str, int], problems: list[Problem]) -> list[str]:
    host, port = target
    started = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            ms = (time.perf_counter() - started) * 1000
    except OSError as exc:
        name = (
            "TimeoutError"
            if isinstance(exc, (TimeoutError, socket.timeout))
            else ("ConnectionError" if isinstance(exc, ConnectionError) else "OSError")
        )
        why = exc.strerror or str(exc) or type(exc).__name__
        problems.append(
            Problem(
                f"Telegram ({host}:{port}) cannot be reached: {why}",
                "check the network and firewall, or set a proxy for the accounts",
                pitfall_title(Failure(name, why, exc_type=type(exc).__name__, stage="environment")),
            )
        )
        return [f"Telegram   {host}:{port} unreachable ({why})"]
    return [f"Telegram   {host}:{port} reachable, TCP connect {ms:.0f} ms"]


def _clock(url: str, problems: list[Problem]) -> list[str]:
    """The offset of this machine's clock against a web server's Date header, if it answers."""
    import urllib.request

    try:
        request = urllib.request.Request(url, method="HEAD")
        before = time.time()
        with urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT) as response:  # noqa: S310
            after = time.time()
            date = response.headers.get("Date")
        server = parsedate_to_datetime(date).timestamp()
    except Exception:  # no answer, no header, a proxy in the way: simply not measured
        return ["Clock      offset not measured"]
    offset = (before + after) / 2 - server
    line = f"Clock      {offset:+.1f} s against {url} (±1 s)"
    if abs(offset) > CLOCK_LIMIT:
        problems.append(
            Problem(
                f"this machine's clock is {offset:+.0f} s off",
                "turn on time synchronisation (timedatectl set-ntp true, or chrony)",
                pitfall_title(Failure("CLOCK", "client time is off: clock", stage="environment")),
            )
        )
    return [line]
