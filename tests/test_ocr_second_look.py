"""The second look at table cells the page's OCR left empty (ocr.unread_cells, ocr.second_look).

On a dense scanned table the detector, seeing the page scaled down, sometimes misses a whole
cell of plain text (a scanned plan's 配合单位 ``县自然资源和规划局``): the row then silently loses
a department.  A ruled cell holding ink that no OCR box of its row reaches is read once more,
enlarged; a cell that is read, blank, or only touched by a wrapped line hanging over its top
ruling from the row above is not re-read twice.  Synthetic rasters (fast) and the scanned plan
sample (slow, real engine).
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.ingest.ocr import OcrBox, _shelves, unread_cells

SCALE = 200 / 72
COLS_PT = (40.0, 140.0, 240.0, 340.0)
ROWS_PT = (40.0, 70.0, 100.0)


def _px(pt: float) -> int:
    return int(round(pt * SCALE))


def _edges() -> list[dict]:
    edges = [{"orientation": "h", "x0": COLS_PT[0], "x1": COLS_PT[-1], "top": y, "bottom": y} for y in ROWS_PT]
    edges += [{"orientation": "v", "x0": x, "x1": x, "top": ROWS_PT[0], "bottom": ROWS_PT[-1]} for x in COLS_PT]
    return edges


def _page(inked: list[tuple[int, int]]) -> np.ndarray:
    """White raster with the grid drawn and a small block of 'text' ink in each (row, col) cell given."""
    page = np.full((_px(140), _px(380)), 250, dtype=np.uint8)
    for y in ROWS_PT:
        page[_px(y):_px(y) + 2, _px(COLS_PT[0]):_px(COLS_PT[-1])] = 20
    for x in COLS_PT:
        page[_px(ROWS_PT[0]):_px(ROWS_PT[-1]), _px(x):_px(x) + 2] = 20
    for r, c in inked:
        page[_px(ROWS_PT[r] + 10):_px(ROWS_PT[r] + 20), _px(COLS_PT[c] + 10):_px(COLS_PT[c] + 60)] = 30
    return page


def _box(r: int, c: int, dy: float = 0.0) -> OcrBox:
    return OcrBox("字", COLS_PT[c] + 10, ROWS_PT[r] + 10 + dy, COLS_PT[c] + 60, ROWS_PT[r] + 20 + dy, 0.99)


def _cells_at(cells) -> set[tuple[int, int]]:
    """(row, col) of unread cells (points, inset)."""
    return {(next(i for i, y in enumerate(ROWS_PT) if abs(top - y) < 3),
             next(i for i, x in enumerate(COLS_PT) if abs(x0 - x) < 3)) for x0, top, _, _ in cells}


@pytest.mark.parametrize("inked, boxes, expected", [
    ([(0, 0), (0, 1), (1, 2)], [_box(0, 0), _box(0, 1), _box(1, 2)], set()),  # every inked cell read
    ([(0, 0), (0, 1), (1, 2)], [_box(0, 0), _box(1, 2)], {(0, 1)}),  # one missed
    ([(0, 0)], [_box(0, 0)], set()),  # blank cells are never re-read
    # a wrapped line of the row above hangs over the ruling into (1, 1): it does not read (1, 1)
    ([(0, 1), (1, 1)], [_box(0, 1), _box(0, 1, dy=14.0)], {(1, 1)}),
    # a box joined across a vertical ruling (centre in (0, 0)) reaches (0, 1): (0, 1) counts as read
    ([(0, 0), (0, 1)], [OcrBox("单位指标", COLS_PT[0] + 10, ROWS_PT[0] + 10, COLS_PT[1] + 60,
                                ROWS_PT[0] + 20, 0.99)], set()),
])
def test_only_inked_cells_no_box_of_their_row_reaches_are_re_read(inked, boxes, expected):
    assert _cells_at(unread_cells(_page(inked), SCALE, boxes, _edges())) == expected


@given(st.lists(st.tuples(st.integers(1, 400), st.integers(1, 300)), max_size=30), st.integers(0, 30))
def test_shelves_place_rectangles_on_the_sheet_without_overlap(sizes, gap):
    width, height = 900, 700
    spots = _shelves(sizes, width, height, gap)
    assert len(spots) == len(sizes)
    placed = [(x, y, w, h) for (w, h), spot in zip(sizes, spots) if spot is not None for x, y in [spot]]
    for x, y, w, h in placed:
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
    for i, (x, y, w, h) in enumerate(placed):
        for x2, y2, w2, h2 in placed[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


@pytest.mark.slow
@pytest.mark.parametrize("page, cell_text", [
    (1, "县自然资源和规划\n局"),  # 配合单位 of 河湖长制: missed by the page's detector
    (2, "县林业局、县水利\n局"),  # 配合单位 of 自然生态空间
])
def test_a_missed_cell_of_the_scanned_plan_is_read_by_the_second_look(page, cell_text):
    import pypdfium2 as pdfium

    from planingest.ingest.ocr import layout_words, raster_words, render
    from tools.seedgrid import SAMPLES

    pdf = pdfium.PdfDocument(str(SAMPLES / "scanned" / "suichang-plan-sealed.pdf"))
    try:
        words = raster_words(*render(pdf[page]))
    finally:
        pdf.close()
    texts = [text for grid, _ in layout_words(words).grids for row in grid.rows for text in row]
    assert cell_text in texts
