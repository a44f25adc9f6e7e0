"""The terminal QR code: half-blocks that read back into exactly segno's module matrix."""

from __future__ import annotations

import base64

import segno
from textual.app import App, ComposeResult

from tgtui.ui.widgets.qr import (
    QUIET_ZONE,
    QrCode,
    half_block_lines,
    qr_matrix,
    read_half_blocks,
)

URL = "tg://login?token=" + base64.urlsafe_b64encode(bytes(range(32))).decode().rstrip("=")


def segno_matrix(url: str) -> list[list[bool]]:
    """segno's own matrix for the URL, without any quiet zone."""
    return [[bool(m) for m in row] for row in segno.make(url, micro=False).matrix]


def strip_border(matrix: list[list[bool]], border: int = QUIET_ZONE) -> list[list[bool]]:
    """The symbol inside a quiet zone, after checking the zone is all light."""
    side = len(matrix[0])
    height = side  # the half-block read-back may carry one extra light row at the bottom
    assert len(matrix) in (height, height + 1)
    for y in range(len(matrix)):
        for x in range(side):
            inside = border <= x < side - border and border <= y < height - border
            if not inside:
                assert not matrix[y][x], f"quiet zone not light at {x},{y}"
    return [row[border : side - border] for row in matrix[border : height - border]]


def test_round_trip_matches_segno() -> None:
    lines = half_block_lines(qr_matrix(URL))
    assert set("".join(lines)) <= set("▀▄█ ")
    assert strip_border(read_half_blocks(lines)) == segno_matrix(URL)


def test_login_url_fits_80x24() -> None:
    lines = half_block_lines(qr_matrix(URL))
    assert len(URL) == 60
    assert len(lines[0]) <= 40 and len(lines) <= 19


def test_read_back_rejects_other_characters() -> None:
    import pytest

    with pytest.raises(ValueError):
        read_half_blocks(["█ x"])


class QrApp(App[None]):
    def compose(self) -> ComposeResult:
        yield QrCode(URL)


async def test_rendered_cells_decode_to_url() -> None:
    app = QrApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        qr = app.query_one(QrCode)
        region = qr.region
        assert region.width == qr.size_needed[0] and region.height == qr.size_needed[1]
        screen_lines = [strip.text for strip in app.screen._compositor.render_strips()]
        cells = [line[region.x : region.right] for line in screen_lines[region.y : region.bottom]]
        assert strip_border(read_half_blocks(cells)) == segno_matrix(URL)
