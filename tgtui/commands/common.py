"""What the sub-commands share: opening the config, the store and the demo."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import functools
import logging
import shutil
import tempfile
import traceback
from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tgtui.accounts import AccountNotFound, AccountStore, ConfigFileError
from tgtui.commands.exits import UsageError
from tgtui.config import config_dir, prepare
from tgtui.i18n import _

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

T = TypeVar("T")
log = logging.getLogger("tgtui.commands")

# Tests (and programs embedding the CLI) can point every command at one Telegram context.
_override_tg: Telegram | None = None


def open_store(args: argparse.Namespace) -> AccountStore:
    """The account store for `--config-dir` / $TGTUI_CONFIG_DIR / the default folder."""
    from tgtui.accounts.secrets import SecretStore

    if _override_tg is not None:
        return _override_tg.store
    if getattr(args, "demo", False):
        return demo_telegram(args).store
    root = getattr(args, "_root", None) or config_dir(getattr(args, "config_dir", None))
    try:
        prepare(root)
    except OSError as exc:
        raise UsageError(
            _("cannot use config folder {path}: {error}").format(
                path=root, error=exc.strerror or exc
            )
        ) from exc
    return AccountStore(root, SecretStore())


def get_account(store: AccountStore, name: str):  # noqa: ANN201 - Account
    """The account `name` or a UsageError saying where the names are."""
    try:
        return store.get(name)
    except AccountNotFound as exc:
        raise UsageError(
            _("No account named {name!r}. `tgtui list` shows the names.").format(name=name)
        ) from exc


@contextlib.contextmanager
def demo_root() -> Iterator[Path]:
    """A temporary config folder for `--demo`, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tgtui-demo-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def config_error_line(exc: ConfigFileError) -> str:
    """One line for a file that does not parse."""
    return _("{error} — fix or remove that file; tgtui leaves it untouched.").format(error=exc)


@contextlib.contextmanager
def override_telegram(tg: Telegram) -> Iterator[Telegram]:
    """Make every command run against `tg` (a sim-backed context in tests) meanwhile."""
    global _override_tg
    previous, _override_tg = _override_tg, tg
    try:
        yield tg
    finally:
        _override_tg = previous


@contextlib.contextmanager
def open_tg(args: argparse.Namespace) -> Iterator[Telegram]:
    """The Telegram context: the demo (`--demo`) or the user's config with its settings."""
    if _override_tg is not None:
        yield _override_tg
        return
    if getattr(args, "demo", False):
        owner = getattr(args, "_demo_tg", None) is None
        tg = demo_telegram(args)
        try:
            yield tg
        finally:
            if owner:
                _drop_demo(args)
        return
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram

    store = open_store(args)
    try:
        settings = Settings.load(store.root)
    except ConfigFileError as exc:
        raise UsageError(config_error_line(exc)) from exc
    yield Telegram(store, settings=settings)


def demo_telegram(args: argparse.Namespace) -> Telegram:
    """The demo context of this command (built once; its folder goes at exit at the latest)."""
    tg = getattr(args, "_demo_tg", None)
    if tg is None:
        from tgtui.telegram.demo import build_demo

        folder = Path(tempfile.mkdtemp(prefix="tgtui-demo-"))
        atexit.register(shutil.rmtree, folder, True)
        tg = build_demo(folder)
        args._demo_tg, args._demo_folder = tg, folder
    return tg


def _drop_demo(args: argparse.Namespace) -> None:
    folder = getattr(args, "_demo_folder", None)
    args._demo_tg = args._demo_folder = None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


class Runner:
    """One event loop for a whole command, driven step by step from plain code.

    Prompts happen between steps, outside the loop, so Ctrl-C interrupts `input()` at
    once; Telethon clients stay bound to this one loop across steps.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(_quiet_interrupts)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run one step to completion."""
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        """Cancel what is left and close the loop."""
        loop = self.loop
        if loop.is_closed():
            return
        try:
            tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quiet_interrupts(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Ctrl-C inside a task is already reported once; asyncio need not print it again."""
    if isinstance(context.get("exception"), (KeyboardInterrupt, SystemExit)):
        return
    loop.default_exception_handler(context)


def log_exception(command: str, exc: BaseException) -> Path | None:
    """Append a traceback to the log file (0600); returns its path, None if it failed.

    Only the exception's type, message and stack are written, never local variables, so
    a secret held in a variable never reaches the log.
    """
    from tgtui.logfile import open_log_file

    try:
        path = open_log_file()  # private: 0600 in a 0700 folder
        with open(path, "a", encoding="utf-8") as handle:
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            handle.write(f"--- {stamp} tgtui {command}: unexpected error\n")
            handle.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        return None
    return path


def guarded(command: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Last-resort handler: an unexpected error becomes one line (details in the log)."""

    def wrap(func: Callable[..., int]) -> Callable[..., int]:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> int:
            try:
                return func(*args, **kwargs)
            except (UsageError, KeyboardInterrupt, BrokenPipeError, SystemExit):
                raise
            except ConfigFileError as exc:
                raise UsageError(config_error_line(exc)) from exc
            except Exception as exc:
                path = log_exception(command, exc)
                error = type(exc).__name__
                raise UsageError(
                    _("{command} failed unexpectedly ({error}); details in {path}").format(
                        command=command, error=error, path=path
                    )
                    if path
                    else _("{command} failed unexpectedly ({error})").format(
                        command=command, error=error
                    )
                ) from exc

        return inner

    return wrap
