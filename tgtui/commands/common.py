"""What the sub-commands share: opening the config, the store and the demo."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tgtui.accounts import AccountNotFound, AccountStore, ConfigFileError
from tgtui.cli import UsageError
from tgtui.config import config_dir, prepare


def open_store(args: argparse.Namespace) -> AccountStore:
    """The account store for `--config-dir` / $TGTUI_CONFIG_DIR / the default folder."""
    from tgtui.accounts.secrets import SecretStore

    root = getattr(args, "_root", None) or config_dir(getattr(args, "config_dir", None))
    try:
        prepare(root)
    except OSError as exc:
        raise UsageError(f"cannot use config folder {root}: {exc.strerror or exc}") from exc
    return AccountStore(root, SecretStore())


def get_account(store: AccountStore, name: str):  # noqa: ANN201 - Account
    """The account `name` or a UsageError naming the choices."""
    try:
        return store.get(name)
    except AccountNotFound as exc:
        raise UsageError(str(exc)) from exc


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
    return f"{exc} — fix or remove that file; tgtui leaves it untouched."
