"""`tgtui doctor`: this machine's set-up on one screen, with each problem's pitfall.

Checks: the config folder and its permissions, where secrets go and why, versions,
locked sessions and their holders, unreadable account files, whether Telegram and each
server the accounts use answer MTProto (a key exchange, timed; a TCP connect for proxies)
and the clock offset when it can be measured. With
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

from tgtui.accounts import Account, InvalidInput, validate
from tgtui.commands.common import guarded, open_tg
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, UsageError
from tgtui.commands.textfmt import field, wrap
from tgtui.failure import Failure
from tgtui.i18n import N_, _, language, ngettext
from tgtui.logfile import log_path

TELEGRAM = ("149.154.167.50", 443)  # DC 2, production
CLOCK_URL = "https://telegram.org/"
CONNECT_TIMEOUT = 3.0
CLOCK_LIMIT = 30.0  # seconds of offset that break MTProto connections in practice


def row(label: str, value: str) -> str:
    """A `Label      value` line of the report (the label padded to the value column)."""
    return f"{label:<10} {value}"


#: The row label of each kind of endpoint (`Endpoint.kind`).
KIND_LABELS = {"Telegram": N_("Telegram"), "Server": N_("Server"), "Proxy": N_("Proxy")}


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
    return found[0].wording(language()).title if found else ""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `doctor` parser."""
    p = sub.add_parser(
        "doctor",
        help=_("check this machine's set-up (exit 0 clean, 1 problems found)"),
        description=_(
            "Config folder and permissions, secret storage, versions, locks, "
            "broken files, Telegram reachability and clock. Exit 0 clean, 1 problems found."
        ),
    )
    p.add_argument(
        "--target", metavar="HOST:PORT", help=argparse.SUPPRESS
    )  # reachability target (tests)
    p.add_argument("--no-network", action="store_true", help=_("skip the reachability checks"))
    p.set_defaults(handler=cmd_doctor)


def _parse_target(text: str) -> tuple[str, int]:
    host, _sep, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(_("--target is HOST:PORT, e.g. 127.0.0.1:8443."))
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
        lines.append(row(_("Log"), str(log_path())))
        lines += _secrets(store, problems)
        lines += _versions()
        lines += _accounts(store, problems)
        if tg.demo is not None:
            lines.append(row("Telegram", _("the simulator (demo mode; no network is used)")))
        elif args.no_network:
            lines.append(row("Telegram", _("not checked (--no-network)")))
        else:
            for endpoint in endpoints(store.accounts(), target or TELEGRAM):
                lines += _reach(endpoint, problems)
            if target is None:
                lines += _clock(CLOCK_URL, problems)
    print("\n".join(field(line) for line in lines))
    if not problems:
        print("\n" + _("No problems found."))
        return EXIT_OK
    print(
        "\n"
        + ngettext("{count} problem:", "{count} problems:", len(problems)).format(
            count=len(problems)
        )
    )
    for p in problems:
        print(wrap(p.what, first="  ! ", indent="    "))
        if p.fix:
            first = "    " + _("fix:") + " "
            print(wrap(p.fix, first=first, indent=" " * len(first)))
        if p.pitfall:
            tail = _("{pitfall} (tgtui troubleshoot explains it)").format(pitfall=p.pitfall)
            first = "    " + _("pitfall:") + " "
            print(wrap(tail, first=first, indent=" " * len(first)))
    return EXIT_ATTENTION


# ---------------------------------------------------------------------- sections
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _config(root: Path, problems: list[Problem]) -> list[str]:
    lines = [
        row(_("Config"), _("{path} (mode {mode})").format(path=root, mode=f"{_mode(root):04o}"))
    ]
    exposed: list[tuple[Path, int]] = []
    for path in _private_paths(root):
        mode = _mode(path)
        if mode & 0o077:
            exposed.append((path, mode))
    for path, mode in exposed[:10]:
        kind = "folder" if path.is_dir() else "file"
        problems.append(
            Problem(
                _(
                    "{path} is open to other users (mode {mode}); a session file is a "
                    "password-equivalent credential"
                ).format(path=path, mode=f"{mode:04o}"),
                f"chmod {'700' if kind == 'folder' else '600'} '{path}'",
                pitfall_title(Failure("SESSION_FILE_EXPOSED", "open to other users")),
            )
        )
    if len(exposed) > 10:
        more = len(exposed) - 10
        problems.append(
            Problem(
                ngettext(
                    "…and {count} more path open to other users",
                    "…and {count} more paths open to other users",
                    more,
                ).format(count=more)
            )
        )
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
                _("secrets cannot be saved: {why}").format(why=backend.description),
                _("unset TGTUI_KEYRING (or set it to auto) to allow the private-file fallback"),
                pitfall_title(
                    Failure("KEYRING", backend.reason or "keyring", exc_type="NoKeyringError")
                ),
            )
        )
    return [row(_("Secrets"), backend.description)]


def _versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    import tgtui

    found = []
    for dist in ("telethon", "textual"):
        try:
            found.append(f"{dist.capitalize()} {version(dist)}")
        except PackageNotFoundError:
            found.append(_("{package} not installed").format(package=dist.capitalize()))
    return [
        row(
            _("Versions"),
            f"tgtui {tgtui.__version__}, Python {platform.python_version()}, " + ", ".join(found),
        )
    ]


def _accounts(store: object, problems: list[Problem]) -> list[str]:
    from tgtui.accounts.lock import read_holder

    accounts = store.accounts()  # type: ignore[attr-defined]
    broken = [a for a in accounts if a.broken]
    count = str(len(accounts))
    if broken:
        count += " " + _("({count} unreadable)").format(count=len(broken))
    lines = [row(_("Accounts"), count)]
    for account in broken:
        problems.append(
            Problem(
                f"{account.name}: {account.broken}",
                _("fix or move that file aside; tgtui leaves it untouched"),
                pitfall_title(Failure("CONFIG_INVALID", account.broken, stage="environment")),
            )
        )
    for account in accounts:
        holder = account.folder and read_holder(account.folder)
        if holder:
            lines.append(
                row(
                    _("Locked"),
                    _("{name}: in use by {holder}").format(name=account.name, holder=holder),
                )
            )
        key = account.server.rsa_key_file if account.server else ""
        if key:
            try:
                validate.rsa_public_key_file(key)
            except InvalidInput as exc:
                problems.append(
                    Problem(
                        _("{name}: the server's RSA key: {error}").format(
                            name=account.name, error=exc
                        ),
                        f"tgtui server {account.name} --server HOST:PORT --rsa-key FILE",
                    )
                )
    return lines


@dataclass(frozen=True)
class Endpoint:
    """One address the accounts connect to: Telegram, a custom server or a proxy."""

    kind: str  # "Telegram", "Server" or "Proxy"
    host: str
    port: int
    what: str  # e.g. "Telegram's test DC 2", "socks5 proxy"
    accounts: tuple[str, ...] = ()
    rsa_key_file: str = ""  # a custom server's public key, for the MTProto handshake

    @property
    def address(self) -> str:
        """`host:port`, IPv6 in brackets."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def endpoints(accounts: list[Account], production: tuple[str, int]) -> list[Endpoint]:
    """Every distinct server and proxy the accounts use (Telegram's production once).

    An account behind a proxy reaches its server through the proxy: the proxy is what
    this machine must reach, so the proxy is listed (and probed) for it.
    """
    from tgtui.accounts import servers

    found: dict[tuple[str, str, int], tuple[str, list[str]]] = {}
    order: list[tuple[str, str, int]] = []
    keys: dict[tuple[str, str, int], str] = {}

    def add(kind: str, host: str, port: int, what: str, name: str | None, key: str = "") -> None:
        at = (kind, host, port)
        if at not in found:
            found[at] = (what, [])
            order.append(at)
        if key:
            keys.setdefault(at, key)
        if name:
            found[at][1].append(name)

    usable = [a for a in accounts if not a.broken]
    if not usable:
        add("Telegram", production[0], production[1], "Telegram", None)
    for account in usable:
        if account.proxy is not None:
            p = account.proxy
            add("Proxy", p.host, p.port, _("{kind} proxy").format(kind=p.kind), account.name)
        elif account.server is not None:
            server = account.server
            add(
                "Server",
                server.host,
                server.port,
                servers.describe(server),
                account.name,
                server.rsa_key_file,
            )
        else:
            add("Telegram", production[0], production[1], "Telegram", account.name)
    return [
        Endpoint(k[0], k[1], k[2], found[k][0], tuple(found[k][1]), keys.get(k, "")) for k in order
    ]


def _reach(target: Endpoint | tuple[str, int], problems: list[Problem]) -> list[str]:
    """Probe one endpoint and describe it in one line: an MTProto handshake with
    Telegram or a server (a TCP connect alone misses middleboxes and wrong ports), a
    timed TCP connect with a proxy."""
    if isinstance(target, tuple):
        target = Endpoint("Telegram", target[0], target[1], "Telegram")
    label = row(_(KIND_LABELS.get(target.kind, target.kind)), target.address)
    if target.what not in ("Telegram", target.kind):
        label += f" ({target.what})"
    users = f" — {', '.join(target.accounts)}" if target.accounts else ""
    if target.kind == "Proxy":
        ok, detail, fail = probe_endpoint(target.host, target.port)
    else:
        ok, detail, fail = handshake_endpoint(target.host, target.port, target.rsa_key_file)
    if ok:
        return [_("{label} reachable, {detail}").format(label=label, detail=detail) + users]
    if fail is not None and fail.name in ("NOT_MTPROTO", "RSA_KEY_UNKNOWN"):
        problems.append(
            Problem(
                detail,
                _("check the port, accept the network's login page, or set a proxy")
                if fail.name == "NOT_MTPROTO"
                else _("set the server's public key file in the account's server setting"),
                pitfall_title(fail),
            )
        )
        return [_("{label} unusable ({detail})").format(label=label, detail=detail) + users]
    problems.append(
        Problem(
            _("Telegram ({address}) cannot be reached: {detail}").format(
                address=target.address, detail=detail
            )
            if target.kind == "Telegram"
            else _("the {what} ({address}) cannot be reached: {detail}").format(
                what=target.what, address=target.address, detail=detail
            ),
            _("check the network and firewall, or set a proxy for the accounts")
            if target.kind != "Proxy"
            else _("check the proxy's host and port, and that it runs"),
            pitfall_title(fail) if fail else "",
        )
    )
    return [_("{label} unreachable ({detail})").format(label=label, detail=detail) + users]


def handshake_endpoint(
    host: str, port: int, rsa_key_file: str = ""
) -> tuple[bool, str, Failure | None]:
    """(usable, what happened, failure): an MTProto key exchange (`telegram.probe`)."""
    from tgtui.telegram.probe import probe_sync

    result = probe_sync(host, port, rsa_key_file=rsa_key_file or None, timeout=CONNECT_TIMEOUT)
    if result.ok or result.error is None:
        if not result.ok:
            return True, "answers " + result.summary().split(" answers ", 1)[-1], None
        text = _("answers MTProto (key exchange {ms} ms)").format(ms=f"{result.ms or 0:.0f}")
        if result.clock_offset and abs(result.clock_offset) >= 10:
            text += "; " + _("its clock differs from ours by {offset} s").format(
                offset=f"{result.clock_offset:+d}"
            )
        return True, text, None
    error = result.error
    detail = error.text.rstrip(".")
    prefix = f"No answer from {host}:{port}: "  # the line already names the address
    if error.name in ("ConnectionError", "TimeoutError", "OSError") and prefix in error.message:
        detail = error.message.replace(prefix, "").rstrip(".")
    return False, detail, error


def probe_endpoint(host: str, port: int) -> tuple[bool, str, Failure | None]:
    """(reachable, what happened, failure): a TCP connect bounded by CONNECT_TIMEOUT."""
    started = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            ms = (time.perf_counter() - started) * 1000
    except OSError as exc:
        if isinstance(exc, (TimeoutError, socket.timeout)):
            name, why = (
                "TimeoutError",
                _("timed out after {seconds} s").format(seconds=f"{CONNECT_TIMEOUT:g}"),
            )
        elif isinstance(exc, socket.gaierror):
            name, why = (
                "OSError",
                _("the name does not resolve (DNS: {error})").format(error=exc.strerror or exc),
            )
        elif isinstance(exc, ConnectionRefusedError):
            name, why = "ConnectionError", _("connection refused")
        else:
            name = "ConnectionError" if isinstance(exc, ConnectionError) else "OSError"
            why = exc.strerror or str(exc) or type(exc).__name__
        return False, why, Failure(name, why, exc_type=type(exc).__name__, stage="environment")
    return True, _("TCP connect {ms} ms").format(ms=f"{ms:.0f}"), None


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
        return [row(_("Clock"), _("offset not measured"))]
    offset = (before + after) / 2 - server
    line = row(
        _("Clock"), _("{offset} s against {url} (±1 s)").format(offset=f"{offset:+.1f}", url=url)
    )
    if abs(offset) > CLOCK_LIMIT:
        problems.append(
            Problem(
                _("this machine's clock is {offset} s off").format(offset=f"{offset:+.0f}"),
                _("turn on time synchronisation (timedatectl set-ntp true, or chrony)"),
                pitfall_title(Failure("CLOCK", "client time is off: clock", stage="environment")),
            )
        )
    return [line]
