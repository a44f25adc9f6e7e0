"""A QR code drawn in the terminal with half-block characters, two modules per cell.

Each character cell shows the module above (its upper half) and the one below (its lower
half) with ``▀ ▄ █`` and space, dark on light, so a 33-module login code plus its quiet
zone takes 37 columns by 19 rows and scans from a phone held to the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

#: Modules of light margin around the symbol on every side (the "quiet zone").
QUIET_ZONE = 2

#: (upper dark, lower dark) -> character drawn in dark ink on a light cell.
_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
_READ_BACK = {char: pair for pair, char in _BLOCKS.items()}

#: Pure black on pure white whatever the theme: phones read dark modules on light.
INK = Style(color="#000000", bgcolor="#ffffff")


def qr_matrix(data: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The module matrix of `data` (True = dark), with `border` light modules around it."""
    code = segno.make(data, micro=False)
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=border)]


def half_block_lines(matrix: Sequence[Sequence[bool]]) -> list[str]:
    """Fold a module matrix into text lines, two module rows per line."""
    lines = []
    for y in range(0, len(matrix), 2):
        top = matrix[y]
        bottom = matrix[y + 1] if y + 1 < len(matrix) else [False] * len(top)
        lines.append(
            "".join(_BLOCKS[(bool(a), bool(b))] for a, b in zip(top, bottom, strict=False))
        )
    return lines


def read_half_blocks(lines: Sequence[str]) -> list[list[bool]]:
    """Unfold half-block text lines back into a module matrix (the inverse of the above).

    Unknown characters raise ValueError, so a clipped or re-styled code cannot pass.
    """
    matrix: list[list[bool]] = []
    for line in lines:
        try:
            pairs = [_READ_BACK[char] for char in line]
        except KeyError as exc:
            raise ValueError(f"not a half-block character: {exc.args[0]!r}") from exc
        matrix.append([top for top, _ in pairs])
        matrix.append([bottom for _, bottom in pairs])
    return matrix


def qr_text(data: str, border: int = QUIET_ZONE) -> Text:
    """The QR code of `data` as rich Text, ready to show."""
    return Text("\n".join(half_block_lines(qr_matrix(data, border))), style=INK, no_wrap=True)


class QrCode(Static):
    """Shows a QR code for a URL; `url` can be replaced when the token is refreshed."""

    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, url: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self._url = ""
        if url:
            self.url = url

    @property
    def url(self) -> str:
        """The encoded URL (empty when nothing is shown)."""
        return self._url

    @url.setter
    def url(self, value: str) -> None:
        if value == self._url:
            return
        self._url = value
        self.update(qr_text(value) if value else "")

    @property
    def size_needed(self) -> tuple[int, int]:
        """Columns and rows the current code takes on screen."""
        if not self._url:
            return (0, 0)
        side = len(qr_matrix(self._url))
        return (side, (side + 1) // 2)
