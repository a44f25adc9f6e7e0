"""Find out, without ever hanging, whether the OS keyring can hold tgtui's secrets.

Everything that touches `keyring` runs in a daemon thread and is abandoned after a
timeout: a Secret Service waiting for an unlock prompt nobody can see (the usual SSH
case) must not freeze the app. On Linux/BSD every keyring backend `keyring` ships talks
D-Bus, so without `DBUS_SESSION_BUS_ADDRESS` we do not touch `keyring` at all, unless
the user pointed it at a backend of their choice (`PYTHON_KEYRING_BACKEND` or
keyring's `keyringrc.cfg`).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tgtui.i18n import N_

SERVICE = "tgtui"
PROBE_KEY = "__tgtui_probe__"

# Keyring states. Only OK means the keyring is used.
OK = "ok"
OFF = "off"  # TGTUI_KEYRING=off
NO_DBUS = "no-dbus"  # Linux/BSD without a D-Bus session bus
ABSENT = "absent"  # no backend (NoKeyringError, fail backend, service not running)
DISABLED = "disabled"  # keyring's null backend is configured
LOCKED = "locked"  # locked and cannot prompt (InitError, KeyringLocked, "Prompt dismissed")
TIMEOUT = "timeout"  # did not answer in time
ERROR = "error"  # any other failure

# States in which the keyring may well hold a secret that we cannot read right now.
UNREADABLE = frozenset({LOCKED, TIMEOUT, ERROR})

MODES = {
    "": "auto",
    "auto": "auto",
    "on": "on",
    "1": "on",
    "true": "on",
    "yes": "on",
    "keyring": "on",
    "off": "off",
    "0": "off",
    "false": "off",
    "no": "off",
    "file": "off",
}

_LABELS = {
    "keyring.backends.SecretService.Keyring": "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service via libsecret",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
}

T = TypeVar("T")


class KeyringTimeout(Exception):
    """A keyring call did not return within its time limit (it keeps running, abandoned)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(N_("no answer within {seconds} s").format(seconds=f"{seconds:g}"))


@dataclass(frozen=True)
class Probe:
    """What the probe found: a state, a short technical reason, and the usable keyring."""

    state: str
    reason: str = ""
    keyring: Any = None  # keyring.backend.KeyringBackend when state == OK
    label: str = ""  # "Secret Service", "macOS Keychain", ...


def parse_mode(value: str | None) -> str:
    """Normalise TGTUI_KEYRING to "auto", "on" or "off" (unknown values mean auto)."""
    return MODES.get((value or "").strip().lower(), "auto")


def over_ssh() -> bool:
    """True when this process runs inside an SSH session."""
    return any(os.environ.get(v) for v in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def dbus_platform() -> bool:
    """True where keyring's own backends all need a D-Bus session bus (Linux, BSDs)."""
    return sys.platform.startswith("linux") or "bsd" in sys.platform


def explicit_backend_configured() -> bool:
    """True when the user chose a keyring backend (env var or keyringrc.cfg)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    try:
        from keyring.util import platform_

        return (platform_.config_root() / "keyringrc.cfg").is_file()
    except Exception:  # pragma: no cover - a broken keyring install: treat as unconfigured
        return False


def call_with_timeout(fn: Callable[[], T], seconds: float, name: str = "keyring") -> T:
    """Run `fn` in a daemon thread; return its result, re-raise its error, or time out.

    On timeout the thread is left behind (it is a daemon, so it never blocks exit).
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name=f"tgtui-{name}", daemon=True).start()
    if not done.wait(seconds):
        raise KeyringTimeout(seconds)
    if "error" in box:
        raise box.pop("error")
    return box["value"]


def label_for(backend: Any) -> str:
    """A short human name for a keyring backend object."""
    for cls in type(backend).__mro__:
        label = _LABELS.get(f"{cls.__module__}.{cls.__qualname__}")
        if label:
            return label
    if type(backend).__name__ == "ChainerBackend":
        try:
            first = type(backend).backends[0]
        except Exception:
            first = None
        if first is not None:
            return label_for(first)
    return str(getattr(type(backend), "name", type(backend).__name__))


_LOCKED_NAMES = {"KeyringLocked", "InitError", "LockedException", "PromptDismissedException"}
_ABSENT_NAMES = {"NoKeyringError", "SecretServiceNotAvailableException"}
_ABSENT_TEXT = ("not available", "neither running", "serviceunknown", "connection refused")


def classify(exc: BaseException, hide: str = "") -> tuple[str, str]:
    """Map a keyring failure to (state, short reason); `hide` is scrubbed from the reason."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    text = str(exc)
    lowered = text.lower()
    if names & _ABSENT_NAMES:
        state = ABSENT
    elif names & _LOCKED_NAMES or "dismissed" in lowered or "locked" in lowered:
        state = LOCKED
    elif any(t in lowered for t in _ABSENT_TEXT) or isinstance(exc, ConnectionError):
        state = ABSENT
    else:
        state = ERROR
    return state, scrub(f"{type(exc).__name__}: {text}" if text else type(exc).__name__, hide)


def scrub(text: str, hide: str) -> str:
    """Remove a secret from a message and keep it short."""
    if hide:
        text = text.replace(hide, "<hidden>")
    return text if len(text) <= 200 else text[:197] + "..."


def why(state: str, reason: str = "") -> str:
    """The end of the sentence "…because <why>", in words a user understands, in English
    (it is kept in secrets.toml; `tgtui.failure.localize` translates it when shown)."""
    if state == OFF:
        return "TGTUI_KEYRING=off"
    if state in (NO_DBUS, ABSENT):
        if over_ssh():
            return N_("no keyring is available over this SSH session")
        if state == NO_DBUS:
            return N_("no keyring is available in this session (no D-Bus session bus)")
        return N_("no keyring is available on this system")
    if state == DISABLED:
        return N_("the keyring is disabled (keyring's null backend is configured)")
    if state == LOCKED:
        return N_("the keyring is locked and cannot ask for its password here")
    if state == TIMEOUT:
        if reason:
            return N_("the keyring did not answer in time ({reason})").format(reason=reason)
        return N_("the keyring hung")
    if reason:
        return N_("the keyring reported an error ({reason})").format(reason=reason)
    return N_("the keyring failed")


def probe_keyring(mode: str, timeout: float) -> Probe:
    """Decide once whether the keyring is usable. Blocking, bounded by `timeout`."""
    if mode == "off":
        return Probe(OFF, "TGTUI_KEYRING=off")
    if (
        dbus_platform()
        and not os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        and not explicit_backend_configured()
    ):
        return Probe(NO_DBUS, "DBUS_SESSION_BUS_ADDRESS unset")

    def work() -> Probe:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return Probe(ABSENT, "NoKeyringError (keyring's fail backend)")
        if isinstance(backend, null.Keyring):
            return Probe(DISABLED, "keyring's null backend")
        backend.get_password(SERVICE, PROBE_KEY)  # locked keyrings fail or hang here
        return Probe(OK, "", backend, label_for(backend))

    try:
        return call_with_timeout(work, timeout, "keyring-probe")
    except KeyringTimeout as exc:
        return Probe(TIMEOUT, str(exc))
    except Exception as exc:
        return Probe(*classify(exc))
