"""Where tgtui keeps its files, and the app settings in `config.toml`."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from tgtui.accounts.fsutil import ensure_dir
from tgtui.accounts.tomlio import ConfigFileError, find_line, read_toml, write_toml
from tgtui.i18n import N_

APP_NAME = "tgtui"
ENV_CONFIG_DIR = "TGTUI_CONFIG_DIR"


# The `--config-dir` this process runs with (set by the CLI): it moves the config folder
# and the log exactly as $TGTUI_CONFIG_DIR does, also for code that has no `args`.
_chosen_dir: Path | None = None


def choose_config_dir(path: str | os.PathLike[str] | None) -> Path | None:
    """Make `path` (`--config-dir`) this process's config folder, for the log too; None
    goes back to $TGTUI_CONFIG_DIR / platformdirs. Returns the previous choice."""
    global _chosen_dir
    previous = _chosen_dir
    _chosen_dir = Path(path).expanduser().resolve() if path else None
    return previous


def config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The config folder: `override`, else the chosen `--config-dir`, else
    $TGTUI_CONFIG_DIR, else platformdirs."""
    if override:
        return Path(override).expanduser().resolve()
    if _chosen_dir is not None:
        return _chosen_dir
    env = os.environ.get(ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME))


ENV_LOG_DIR = "TGTUI_LOG_DIR"
LOG_SUBDIR = "logs"


def log_dir() -> Path:
    """Where the log file goes: $TGTUI_LOG_DIR, else `logs/` in a config folder moved by
    `--config-dir` or $TGTUI_CONFIG_DIR (so one setting moves everything), else
    platformdirs' log dir."""
    env = os.environ.get(ENV_LOG_DIR)
    if env:
        return Path(env).expanduser()
    if _chosen_dir is not None or os.environ.get(ENV_CONFIG_DIR):
        return config_dir() / LOG_SUBDIR
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME))


def prepare(root: Path) -> Path:
    """Create the config folder layout (0700 folders) and return the root."""
    ensure_dir(root)
    ensure_dir(root / "accounts")
    ensure_dir(root / "trash")
    return root


@dataclass(frozen=True)
class Settings:
    """App settings from config.toml. Unknown keys are ignored; bad values are reported."""

    refresh_interval: float = 60.0  # seconds between health sweeps
    concurrency: int = 8  # health checks at once
    check_timeout: float = 20.0  # hard limit per check, seconds
    theme: str = "textual-dark"
    language: str = ""  # "en" or "ru"; empty: from --lang, else the locale variables

    @classmethod
    def load(cls, root: Path) -> Settings:
        """Read `<root>/config.toml`; defaults when it does not exist."""
        path = Path(root) / "config.toml"
        if not path.exists():
            return cls()
        data = read_toml(path)
        values: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            kind = float if f.type in ("float", float) else int if f.type in ("int", int) else str
            ok = (
                isinstance(value, (int, float)) and not isinstance(value, bool)
                if kind is float
                else (isinstance(value, kind) and not isinstance(value, bool))
            )
            if not ok:
                raise ConfigFileError(
                    path,
                    N_("should be a {kind}").format(kind=kind.__name__),
                    find_line(path, f.name),
                    f.name,
                )
            if f.name == "language" and value not in ("", "en", "ru"):
                raise ConfigFileError(
                    path, N_('should be "en" or "ru"'), find_line(path, f.name), f.name
                )
            if kind in (int, float) and value <= 0:  # type: ignore[operator]
                raise ConfigFileError(
                    path, N_("should be above 0"), find_line(path, f.name), f.name
                )
            values[f.name] = kind(value)  # type: ignore[operator]
        return cls(**values)  # type: ignore[arg-type]

    def save(self, root: Path) -> None:
        """Write config.toml atomically."""
        write_toml(
            Path(root) / "config.toml", {f.name: getattr(self, f.name) for f in fields(self)}
        )
