"""Exit codes and the usage error every command shares (0 fine, 1 attention, 2 usage)."""

from __future__ import annotations

EXIT_OK, EXIT_ATTENTION, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input on the command line: one clear line on stderr, exit 2."""
