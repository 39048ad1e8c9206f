"""Ruling lines of a scanned page (ocr.ruling_edges) on synthetic rasters: no OCR engine, fast.

A fax or a soft low-contrast scan prints thin rulings fainter than text: parts of them fall
above the ink threshold DARK.  A ruling found at DARK is followed through fainter ink along its
own line, so the grid is found whole; faint or dark text strokes never become rulings.
"""
from __future__ import annotations

import numpy as np
import pytest

from planingest.ingest.ocr import DARK, faint_level, ruling_edges, table_cells

SCALE = 200 / 72  # pixels per point: the OCR raster's resolution
ROWS, COLS = 6, 5
CELL_W_PT, CELL_H_PT = 80.0, 24.0
ORIGIN_PT = 40.0
THICK_PX = 2


def _px(pt: float) -> int:
    return int(round(pt * SCALE))


def _page(paper: float) -> np.ndarray:
    return np.full((_px(ORIGIN_PT * 2 + ROWS * CELL_H_PT), _px(ORIGIN_PT * 2 + COLS * CELL_W_PT)), paper)


def _finish(page: np.ndarray, noise: float, seed: int) -> np.ndarray:
    """Grain on the page, clipped to grey levels (the scanner's noise)."""
    grain = np.random.default_rng(seed).normal(0, noise, size=page.shape)
    return np.clip(page + grain, 0, 255).astype(np.uint8)


def _grid(paper: float, ink: float, faint: float, noise: float, seed: int = 1) -> np.ndarray:
    """A ROWS × COLS ruled table whose rulings are dark but faint in places and broken every so often.

    Faint pieces, as a fax prints them: a horizontal ruling across one inner column, a vertical
    ruling through one row, and the last piece of a ruling up to the border.
    """
    page = _page(paper)
    xs = [_px(ORIGIN_PT + c * CELL_W_PT) for c in range(COLS + 1)]
    ys = [_px(ORIGIN_PT + r * CELL_H_PT) for r in range(ROWS + 1)]
    for y in ys:
        page[y:y + THICK_PX, xs[0]:xs[-1] + THICK_PX] = ink
    for x in xs:
        page[ys[0]:ys[-1] + THICK_PX, x:x + THICK_PX] = ink
    page[ys[3]:ys[3] + THICK_PX, xs[1] + THICK_PX:xs[2]] = faint  # across column 2
    page[ys[2] + THICK_PX:ys[3], xs[2]:xs[2] + THICK_PX] = faint  # through row 3
    page[ys[4]:ys[4] + THICK_PX, xs[4] + THICK_PX:xs[5]] = faint  # the last piece to the right border
    page[ys[5] + THICK_PX:ys[6], xs[1]:xs[1] + THICK_PX] = faint  # the last piece to the bottom border
    for y in ys[1:-1]:  # scanned lines break: one-pixel gaps
        page[y:y + THICK_PX, xs[0] + 37:xs[-1]:53] = paper
    return _finish(page, noise, seed)


def _cell_counts(image: np.ndarray) -> list[int]:
    return [len(t) for t in table_cells(ruling_edges(image, SCALE))]


#: (paper, ink, faint ruling, noise σ): a clean scan, a greyscale fax (contrast 0.7), a dull copy, a photo
CONTRASTS = [(240, 30, 175, 6), (228, 60, 178, 8), (215, 70, 166, 6), (245, 90, 182, 5)]


@pytest.mark.parametrize("paper,ink,faint,noise", CONTRASTS)
def test_a_grid_with_faint_pieces_is_found_whole(paper, ink, faint, noise):
    image = _grid(paper, ink, faint, noise)
    assert faint > DARK and faint < faint_level(image)  # the case: the faint pieces are not ink at DARK
    assert _cell_counts(image) == [ROWS * COLS]


@pytest.mark.parametrize("paper,ink,faint,noise", CONTRASTS)
def test_at_dark_alone_the_faint_pieces_would_merge_cells(paper, ink, faint, noise, monkeypatch):
    """What the faint ink is for: without it the same raster loses cells (the fax's merged names)."""
    import planingest.ingest.ocr as ocr

    monkeypatch.setattr(ocr, "FAINT_MARGIN", 255)
    assert sum(_cell_counts(_grid(paper, ink, faint, noise))) < ROWS * COLS


def _strokes(paper: float, level: float, noise: float, seed: int) -> np.ndarray:
    """A page of text: lines of 12 pt characters 2 pt apart, each a few random horizontal and vertical
    strokes inside its box; and long faint runs (a photo's blurred text lines joined up at a higher
    threshold) that lie on no ruling's line."""
    page = _page(paper)
    rng = np.random.default_rng(seed)
    h, w = page.shape
    glyph, step = _px(12), _px(14)
    for top in range(_px(20), h - _px(30), _px(18)):
        for left in range(_px(20), w - _px(30), step):
            for _ in range(int(rng.integers(2, 5))):
                y, x = top + int(rng.integers(0, glyph)), left + int(rng.integers(0, glyph))
                if rng.random() < 0.5:
                    page[y:y + THICK_PX, left:left + int(rng.integers(3, glyph + 1))] = level
                else:
                    page[top:top + int(rng.integers(3, glyph + 1)), x:x + THICK_PX] = level
    for k in range(1, 8):
        page[k * 37:k * 37 + _px(40), _px(30) * k:_px(30) * k + THICK_PX] = 180
        page[h - k * 29, _px(20):_px(200)] = 182
    return _finish(page, noise, seed)


@pytest.mark.parametrize("paper,ink,faint,noise", CONTRASTS)
@pytest.mark.parametrize("seed", [1, 2])
def test_text_strokes_alone_never_make_rulings(paper, ink, faint, noise, seed):
    for level in (ink, faint):
        assert ruling_edges(_strokes(paper, level, noise, seed), SCALE) == []


@pytest.mark.parametrize("paper,ink,faint,noise", CONTRASTS)
def test_a_grid_that_needs_no_help_is_left_exactly_as_found_at_dark(paper, ink, faint, noise, monkeypatch):
    """Extensions within RULE_TOLERANCE_PT are never made, so an evenly dark grid keeps its cells to the point."""
    import planingest.ingest.ocr as ocr

    image = _grid(paper, ink, ink, noise)
    found = table_cells(ruling_edges(image, SCALE))
    monkeypatch.setattr(ocr, "FAINT_MARGIN", 255)
    assert found == table_cells(ruling_edges(image, SCALE))
    assert [len(t) for t in found] == [ROWS * COLS]


def test_a_page_wide_faint_threshold_would_make_blurred_text_rulings(monkeypatch):
    """Why the faint ink only extends rulings found at DARK: thresholded page-wide it makes the
    photo's joined-up text strokes rulings (the phone photo's grid broke at DARK = 180)."""
    import planingest.ingest.ocr as ocr

    image = _strokes(240, 30, 6, 1)
    monkeypatch.setattr(ocr, "DARK", faint_level(image))
    assert ruling_edges(image, SCALE) != []


@pytest.mark.parametrize("paper,ink,faint,noise", CONTRASTS)
def test_faint_ink_beyond_the_border_does_not_lengthen_a_ruling(paper, ink, faint, noise):
    """A ruling is followed through faint ink only up to the farthest ruling it crosses: faint ink
    running on past the table's border (a smudge, a title's strokes, dotted paper) is not a ruling."""
    image = _grid(paper, ink, ink, 0).astype(float)
    right = _px(ORIGIN_PT + COLS * CELL_W_PT)
    bottom = _px(ORIGIN_PT + ROWS * CELL_H_PT)
    for y in (_px(ORIGIN_PT + CELL_H_PT), _px(ORIGIN_PT + 3 * CELL_H_PT)):
        image[y:y + THICK_PX, right + THICK_PX:right + _px(30)] = faint
    image[bottom + THICK_PX:bottom + _px(25), _px(ORIGIN_PT + CELL_W_PT):][:, :THICK_PX] = faint
    edges = ruling_edges(_finish(image, noise, 3), SCALE)
    grain = 2.0  # points: a noisy pixel or two at DARK may carry a run past the border, the faint 25-30 pt never
    assert max(e["x1"] for e in edges if e["orientation"] == "h") <= (right + THICK_PX) / SCALE + grain
    assert max(e["bottom"] for e in edges if e["orientation"] == "v") <= (bottom + THICK_PX) / SCALE + grain


@pytest.mark.parametrize("shape", [(1, 1), (3, 500), (500, 3), (300, 300)])
def test_blank_and_all_ink_pages_of_any_shape(shape):
    """Degenerate rasters: blank paper has no rulings; an all-ink page (whose median leaves no faint
    level above DARK) is read at DARK alone without failing."""
    assert ruling_edges(np.full(shape, 250, dtype=np.uint8), SCALE) == []
    assert isinstance(ruling_edges(np.zeros(shape, dtype=np.uint8), SCALE), list)
