"""Scanned pages: rasterise, prepare, find the table rulings, OCR, put the text in the cells.

The engine (``ocr_engine``: RapidOCR, whose wheel ships its models, so it works
offline) is loaded only when a page has no text layer.  The raster is prepared
first (``ocr_prep``: red seals out, a photographed sheet cut out and levelled).
The table grid comes from the raster's ruling lines: long runs of dark pixels, found with
numpy, handed to pdfplumber's own edge → intersection → cell algorithm so a
scanned table is cut into cells exactly as a born-digital one is.  OCR boxes go
to the cell holding their centre; the rest of the page becomes text lines.
All coordinates leave this module in PDF points (top-left origin).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planingest.ingest.layout.grid import BBox, Cell, Grid, grid_from_cells, reaches_bottom
from planingest.ingest.layout.lines import Line, clean_line, join_lines
from planingest.ingest.ocr_engine import DEFAULT, Detection, EngineSettings, load_engine
from planingest.ingest.ocr_prep import prepare
from planingest.ingest.progress import shared_page

DPI = 200
#: the engine and its settings (ocr_engine.DEFAULT, chosen by bench/ocr_engines.py)
SETTINGS: EngineSettings = DEFAULT
#: the raster's longer side stays under this (A4 at 200 dpi is 2339 px); the detector sees a
#: smaller copy (EngineSettings.det_side), recognition crops come from this full raster
MAX_SIDE_PX = 2400
DARK = 160  # grey level under which a pixel is ink
#: a ruling found at DARK is followed further through fainter ink: grey under the page's paper level
#: (its median) less FAINT_MARGIN, never above FAINT_MAX.  A fax or a soft low-contrast scan prints thin
#: rulings lighter than text, so parts of them fall above DARK; a page-wide higher threshold would
#: also turn a photo's blurred text into rulings, so the fainter ink only extends rulings already found
FAINT_MARGIN = 40
FAINT_MAX = 190
#: a run's line: runs within this many pixel rows of it extend it (a ruling is 2-3 px thick, a little skewed)
LINE_TOLERANCE_PX = 2
#: a run is part of a grid when it crosses two rulings this many times the shortest ruling long:
#: longer than a large title character's strokes, which a dithered page's dots can join into runs
GRID_RULE_FACTOR = 1.5
#: shortest ruling segments, in points: longer than any stroke of body-text characters.
#: A column is rarely narrower than 20 pt; a row is never lower than a 14 pt text line.
MIN_H_RULE_PT = 20.0
MIN_V_RULE_PT = 14.0
#: pixels of a broken scanned line that are bridged (small: text glyphs must stay apart)
GAP_PX = 1
RULE_TOLERANCE_PT = 3.0
SNAP_PT = 1.5
#: a cell's ink is counted (and re-read) this far inside its rulings, so the rulings stay out
CELL_INSET_PT = 1.5
#: ink pixels (< DARK) that make an empty cell worth a second look: a short dash at 200 dpi has ~30
MIN_CELL_INK_PX = 12
#: a second look enlarges the cells it re-reads this many times, laid this far (points) apart
SECOND_LOOK_ZOOM = 2
SECOND_LOOK_GAP_PT = 12.0


@dataclass(frozen=True)
class OcrBox:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)


@dataclass(frozen=True)
class ScannedPage:
    lines: list[Line]
    grids: list[tuple[Grid, BBox]]
    mean_score: float


def _run_engine(image: np.ndarray, settings: EngineSettings | None = None) -> list[Detection]:
    """The OCR engine on one raster; ONNX Runtime's std::bad_alloc is the memory limit, so it says so.

    RapidOCR wraps every ONNX Runtime failure (with its traceback as the message)
    in one exception type; an allocation failure there is the worker's memory
    limit being reached, which the worker reports as such.
    """
    engine = load_engine(settings or SETTINGS)
    try:
        return engine(image)
    except Exception as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError("OCR ran out of memory") from None
        raise


def render(page, dpi: int | None = None) -> tuple[np.ndarray, float]:
    """Greyscale raster of a pypdfium2 page, prepared for OCR, and its pixels-per-point scale.

    Rendered in colour so red seals can be told from black text (``ocr_prep``).
    """
    width, height = page.get_size()
    scale = min((dpi or DPI) / 72.0, MAX_SIDE_PX / max(width, height, 1.0))
    rgb = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
    return prepare(rgb), scale


def recognise(image: np.ndarray, scale: float, settings: EngineSettings | None = None) -> list[OcrBox]:
    """OCR boxes of a raster, in points."""
    boxes = []
    for quad, text, score in _run_engine(image, settings):
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        text = clean_line(str(text))
        if text:
            boxes.append(OcrBox(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale,
                                float(score)))
    return boxes


def _runs(mask: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along axis 1 at least ``min_len`` long: (row, start, end) arrays."""
    padded = np.pad(mask, ((0, 0), (1, 1))).astype(np.int8)
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # row-major order pairs each start with its end
    keep = (ends - starts) >= min_len
    return rows[keep], starts[keep], ends[keep]


def _close_gaps(mask: np.ndarray, gap: int) -> np.ndarray:
    """Bridge breaks of up to ``2 * gap`` pixels along axis 1 (scanned lines are broken)."""
    out = mask.copy()
    for shift in range(1, gap + 1):
        out[:, shift:] |= mask[:, :-shift]
        out[:, :-shift] |= mask[:, shift:]
    return out


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


def faint_level(image: np.ndarray) -> float:
    """The grey level under which ink continues a ruling on this page (see FAINT_MARGIN)."""
    return min(FAINT_MAX, float(np.median(image)) - FAINT_MARGIN)


Runs = tuple[np.ndarray, np.ndarray, np.ndarray]


def _spanning(rows: np.ndarray, cross: Runs) -> np.ndarray:
    """[run, crossing run]: the crossing run (other direction) spans the run's row."""
    _, c_starts, c_ends = cross
    return (c_starts[None, :] - LINE_TOLERANCE_PX <= rows[:, None]) & (rows[:, None] <= c_ends[None, :] + LINE_TOLERANCE_PX)


def _crossed_end(ends: np.ndarray, reached: np.ndarray, pos: np.ndarray, spans: np.ndarray, forward: bool) -> np.ndarray:
    """How far each run may go towards ``reached``: to the farthest crossing ruling on the way, or
    nowhere when it crosses none."""
    tol = LINE_TOLERANCE_PX
    if forward:
        on_way = spans & (pos[None, :] > ends[:, None]) & (pos[None, :] <= reached[:, None] + tol)
        return np.minimum(np.where(on_way, pos[None, :] + tol, ends[:, None]).max(axis=1, initial=0), reached)
    on_way = spans & (pos[None, :] < ends[:, None]) & (pos[None, :] >= reached[:, None] - tol)
    return np.maximum(np.where(on_way, pos[None, :] - tol, ends[:, None]).min(axis=1, initial=np.iinfo(np.int64).max),
                      reached)


def _extended(image: np.ndarray, runs: Runs, cross: Runs, faint: float, min_len: int, cross_len: int,
              reach: int) -> Runs:
    """Runs along axis 1 lengthened through fainter ink, up to the rulings they cross.

    Only a run of the grid is lengthened: one that already crosses two long rulings of the other
    direction (``cross``, found at DARK, at least GRID_RULE_FACTOR × ``cross_len``); a text stroke
    or a title's baseline does not.  Its line continues as far as a faint run (< ``faint``, within
    LINE_TOLERANCE_PX rows) that overlaps it goes, but only up to the farthest crossing ruling it
    meets on the way: a fax's faint piece of
    ruling ends at the ruling it meets, while a faint run going on past a table's border (into a
    title, over dotted paper) is not a ruling.  Moves of no more than ``reach`` px are not made
    (they meet the same rulings anyway), so a ruling that needs no help is left exactly as it was.
    Only the rows near a run are thresholded again (cheap).
    """
    rows, starts, ends = runs
    if faint <= DARK or len(rows) == 0 or len(cross[0]) == 0:
        return runs
    pos, spans = cross[0], _spanning(rows, cross)
    tol = LINE_TOLERANCE_PX
    long_cross = (cross[2] - cross[1]) >= GRID_RULE_FACTOR * cross_len
    of_grid = (spans & long_cross[None, :] & (pos[None, :] >= starts[:, None] - tol)
               & (pos[None, :] <= ends[:, None] + tol)).sum(axis=1) >= 2
    if not of_grid.any():
        return runs
    near = np.unique(np.clip(rows[of_grid, None] + np.arange(-tol, tol + 1), 0, image.shape[0] - 1))
    f_rows, f_starts, f_ends = _runs(_close_gaps(image[near] < faint, GAP_PX), min_len)
    if len(f_rows) == 0:
        return runs
    f_rows = near[f_rows]
    overlap = ((np.abs(rows[:, None] - f_rows[None, :]) <= tol) & of_grid[:, None]
               & (f_starts[None, :] < ends[:, None]) & (starts[:, None] < f_ends[None, :]))
    far_start = np.where(overlap, f_starts[None, :], starts[:, None]).min(axis=1, initial=np.iinfo(np.int64).max)
    far_end = np.where(overlap, f_ends[None, :], ends[:, None]).max(axis=1, initial=0)
    new_starts = _crossed_end(starts, far_start, pos, spans, forward=False)
    new_ends = _crossed_end(ends, far_end, pos, spans, forward=True)
    new_starts = np.where(starts - new_starts > reach, new_starts, starts)
    new_ends = np.where(new_ends - ends > reach, new_ends, ends)
    return rows, new_starts, new_ends


def ruling_edges(image: np.ndarray, scale: float) -> list[dict]:
    """Horizontal and vertical ruling segments of a raster as pdfplumber edges (points).

    A ruling is a run of ink (< DARK) longer than any text stroke; where it fades (a fax's thin
    lines) it is followed through fainter ink (:func:`faint_level`) along its own line up to the
    rulings it crosses (:func:`_extended`), so its missing pieces are restored without letting
    faint text strokes become rulings.
    """
    faint = faint_level(image)
    reach = int(RULE_TOLERANCE_PT * scale)
    h_len, v_len = max(int(MIN_H_RULE_PT * scale), 8), max(int(MIN_V_RULE_PT * scale), 8)
    across = _runs(_close_gaps(image < DARK, GAP_PX), h_len)
    down = _runs(_close_gaps(image.T < DARK, GAP_PX), v_len)
    edges = []
    rows, starts, ends = _extended(image, across, down, faint, h_len, v_len, reach)
    for y, a, b in zip(rows, starts, ends):
        edges.append(_edge("h", a / scale, y / scale, b / scale, y / scale))
    cols, starts, ends = _extended(image.T, down, across, faint, v_len, h_len, reach)
    for x, a, b in zip(cols, starts, ends):
        edges.append(_edge("v", x / scale, a / scale, x / scale, b / scale))
    return edges


def table_cells(edges: list[dict]) -> list[list[BBox]]:
    """Cell boxes of each ruled table the edges draw (pdfplumber's lattice algorithm)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    merged = merge_edges(edges, SNAP_PT, SNAP_PT, SNAP_PT, SNAP_PT)
    points = edges_to_intersections(merged, RULE_TOLERANCE_PT, RULE_TOLERANCE_PT)
    return cells_to_tables(intersections_to_cells(points))


def _cell(bbox: BBox, boxes: list[OcrBox]) -> Cell:
    """A table cell from its boxes in reading order (lines top to bottom, boxes left to right).

    Its score is its weakest box's: one misread character is enough to doubt the cell.
    """
    text = "\n".join(ln.text for ln in group_lines(boxes))
    height = min((b.bottom - b.top for b in boxes), default=0.0)
    bottom = max(b.bottom for b in boxes) if boxes else None
    score = min(b.score for b in boxes) if boxes else None
    return Cell(tuple(bbox), text, reaches_bottom(bbox[3], bottom, height), score)


def group_lines(boxes: list[OcrBox]) -> list[Line]:
    """Boxes whose vertical centres fall within half a box height of each other form a line."""
    lines: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        cy = (box.top + box.bottom) / 2
        if lines:
            last = lines[-1]
            ly = sum((b.top + b.bottom) / 2 for b in last) / len(last)
            if abs(cy - ly) <= 0.5 * min(box.bottom - box.top, last[0].bottom - last[0].top):
                last.append(box)
                continue
        lines.append([box])
    out = []
    for members in lines:
        members.sort(key=lambda b: b.x0)
        text = ""
        for b in members:
            text = join_lines(text, b.text)
        out.append(Line(text, min(b.x0 for b in members), min(b.top for b in members),
                        max(b.x1 for b in members), max(b.bottom for b in members)))
    return out


def _in(box: OcrBox, bbox: BBox) -> bool:
    cx, cy = box.centre
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def ocr_page(page, settings: EngineSettings | None = None, number: int | None = None) -> ScannedPage:
    """Text lines and ruled tables of a scanned pypdfium2 page (``number``: its 1-based number, so a
    copy another worker already OCR'd is used, see :func:`read_page`)."""
    return read_page(number, lambda: render(page), settings)


def split_across_cells(boxes: list[OcrBox], cells: list[BBox]) -> list[OcrBox]:
    """Boxes cut where they cross a cell's ruling, their characters dealt out by position.

    The detector sometimes joins the words of two neighbouring cells into one box (a thin
    ruling, a seal's ghost between them: "单位指标值").  A box whose characters' centres
    (taken as evenly spaced, as CJK text is) fall into several cells of its row becomes one
    box per cell; a box overhanging a ruling by less than half a character stays whole.
    """
    out: list[OcrBox] = []
    for box in boxes:
        cy, n = (box.top + box.bottom) / 2, len(box.text)
        row = sorted((c for c in cells if c[1] <= cy <= c[3] and c[0] < box.x1 and c[2] > box.x0), key=lambda c: c[0])
        step = (box.x1 - box.x0) / max(n, 1)
        parts = [(c, [i for i in range(n) if c[0] <= box.x0 + (i + 0.5) * step < c[2]]) for c in row]
        parts = [(c, chars) for c, chars in parts if chars]
        if len(parts) < 2:
            out.append(box)
            continue
        for c, chars in parts:
            out.append(OcrBox(box.text[chars[0]:chars[-1] + 1], max(box.x0, c[0]), box.top, min(box.x1, c[2]),
                              box.bottom, box.score))
    return out


def layout_page(boxes: list[OcrBox], edges: list[dict], tol: float = RULE_TOLERANCE_PT,
                split: bool = False) -> ScannedPage:
    """Positioned text boxes and ruling segments (points) → text lines and ruled tables.

    The boxes come from OCR or from a format that positions its text itself (OFD);
    each box goes to the table cell holding its centre, the rest become lines.
    ``split`` cuts boxes that cross a cell's ruling (:func:`split_across_cells`): OCR
    joins neighbouring cells' words, a format's own text boxes are never cut.
    """
    rest = list(boxes)
    grids: list[tuple[Grid, BBox]] = []
    for cell_boxes in table_cells(edges):
        pieces = split_across_cells(rest, cell_boxes) if split else rest
        cells, taken = [], set()
        for bbox in cell_boxes:
            members = [i for i, b in enumerate(pieces) if i not in taken and _in(b, bbox)]
            taken.update(members)
            cells.append(_cell(bbox, [pieces[i] for i in members]))
        grid = grid_from_cells(cells, tol=tol)
        if grid is not None and grid.width >= 2 and grid.width * len(grid.rows) >= 4:
            rest = [b for i, b in enumerate(pieces) if i not in taken]
            x0 = min(b[0] for b in cell_boxes)
            top = min(b[1] for b in cell_boxes)
            grids.append((grid, (x0, top, max(b[2] for b in cell_boxes), max(b[3] for b in cell_boxes))))
    mean = sum(b.score for b in boxes) / len(boxes) if boxes else 0.0
    return ScannedPage(lines=group_lines(rest), grids=grids, mean_score=mean)


@dataclass(frozen=True)
class PageWords:
    """What OCR finds on one page before layout: its words (boxes with scores) and ruling segments, in points.

    It is the expensive part of a scanned page (rendering, preparing, OCR) and it is
    JSON-serialisable, so a page one worker read can be handed to another: the batch
    shares a long scan's pages across idle workers (:mod:`planingest.run.pageshare`).
    Floats survive JSON exactly, so the page laid out from a copy is the page laid out here.
    """

    boxes: tuple[OcrBox, ...]
    edges: tuple[dict, ...]

    def to_json(self) -> dict:
        return {"boxes": [[b.text, float(b.x0), float(b.top), float(b.x1), float(b.bottom), float(b.score)]
                          for b in self.boxes],
                "edges": [[e["orientation"], float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"])]
                          for e in self.edges]}

    @classmethod
    def from_json(cls, data: dict) -> PageWords:
        """The words back from :meth:`to_json`; ValueError when ``data`` is not that shape."""
        try:
            boxes = tuple(OcrBox(str(t), float(x0), float(top), float(x1), float(bottom), float(score))
                          for t, x0, top, x1, bottom, score in data["boxes"])
            edges = tuple(_edge(str(o), float(x0), float(top), float(x1), float(bottom))
                          for o, x0, top, x1, bottom in data["edges"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a page's OCR words: {exc}") from None
        return cls(boxes, edges)


def unread_cells(image: np.ndarray, scale: float, boxes: list[OcrBox], edges: list[dict]) -> list[BBox]:
    """Ruled cells (points, inset from their rulings) that hold ink but meet no OCR word.

    A box of the cell's row reaching into it counts as reading it (a box joined across a
    vertical ruling is cut later by :func:`split_across_cells`), so no cell is read twice; a
    wrapped line hanging over a horizontal ruling from the row above does not.
    """
    out = []
    for cells in table_cells(edges):
        for x0, top, x1, bottom in cells:
            inner = (x0 + CELL_INSET_PT, top + CELL_INSET_PT, x1 - CELL_INSET_PT, bottom - CELL_INSET_PT)
            if inner[2] <= inner[0] or inner[3] <= inner[1]:
                continue
            if any(b.x0 < inner[2] and b.x1 > inner[0] and top <= b.centre[1] <= bottom for b in boxes):
                continue
            px = [int(round(v * scale)) for v in inner]
            if np.count_nonzero(image[px[1]:px[3], px[0]:px[2]] < DARK) >= MIN_CELL_INK_PX:
                out.append(inner)
    return out


def _shelves(sizes: list[tuple[int, int]], width: int, height: int, gap: int) -> list[tuple[int, int] | None]:
    """Top-left corners for rectangles (w, h) laid left to right in rows on a width × height sheet
    (None: does not fit)."""
    spots: list[tuple[int, int] | None] = []
    x = y = row = gap
    for w, h in sizes:
        if x + w + gap > width:
            x, y, row = gap, y + row + gap, 0
        if w + 2 * gap > width or y + h + gap > height:
            spots.append(None)
            continue
        spots.append((x, y))
        x, row = x + w + gap, max(row, h)
    return spots


def second_look(image: np.ndarray, scale: float, boxes: list[OcrBox], edges: list[dict],
                settings: EngineSettings | None = None) -> list[OcrBox]:
    """Words of the cells the page's OCR left empty although they hold ink, read once more, enlarged.

    The detector sees the whole page scaled down (``EngineSettings.det_side``) and, in a
    dense table, sometimes misses a whole cell of plain, sharp text (a scanned plan's
    ``县自然资源和规划局`` under 配合单位; read at once alone and larger). The missed cells
    are cut out, enlarged SECOND_LOOK_ZOOM times and laid side by side on a blank raster of
    the page's size (so the detector keeps its compiled shape), OCR'd, and the boxes found
    mapped back to the page.
    """
    cells = unread_cells(image, scale, boxes, edges)
    if not cells:
        return []
    crops = []
    for cell in cells:
        x0, top, x1, bottom = (int(round(v * scale)) for v in cell)
        crops.append((cell, (x0, top), image[top:bottom, x0:x1]))
    zoom = SECOND_LOOK_ZOOM
    spots = _shelves([(c.shape[1] * zoom, c.shape[0] * zoom) for _, _, c in crops], image.shape[1], image.shape[0],
                     int(SECOND_LOOK_GAP_PT * scale))
    canvas = np.full_like(image, 255)
    placed = []
    for (_, origin, crop), spot in zip(crops, spots):
        if spot is None:
            continue
        big = np.kron(crop, np.ones((zoom, zoom), dtype=crop.dtype))
        canvas[spot[1]:spot[1] + big.shape[0], spot[0]:spot[0] + big.shape[1]] = big
        placed.append((origin, spot, big.shape))
    found = []
    for box in recognise(canvas, scale, settings):
        cx, cy = box.centre[0] * scale, box.centre[1] * scale
        for (ox, oy), (sx, sy), (h, w) in placed:
            if sx <= cx < sx + w and sy <= cy < sy + h:
                def back(v: float, s0: int, o: int) -> float:
                    return ((v * scale - s0) / zoom + o) / scale
                found.append(OcrBox(box.text, back(box.x0, sx, ox), back(box.top, sy, oy), back(box.x1, sx, ox),
                                    back(box.bottom, sy, oy), box.score))
                break
    return found


def raster_words(image: np.ndarray, scale: float, settings: EngineSettings | None = None) -> PageWords:
    """OCR words and ruling segments of a prepared greyscale raster (``scale`` pixels per point); cells
    the first pass left empty with ink in them get a :func:`second_look`."""
    boxes, edges = recognise(image, scale, settings), ruling_edges(image, scale)
    boxes += second_look(image, scale, boxes, edges, settings)
    return PageWords(tuple(boxes), tuple(edges))


def layout_words(words: PageWords) -> ScannedPage:
    """Lines and ruled tables from a page's words (OCR boxes that cross a cell's ruling are cut)."""
    return layout_page(list(words.boxes), list(words.edges), split=True)


def read_raster(image: np.ndarray, scale: float, settings: EngineSettings | None = None) -> ScannedPage:
    """Text lines and ruled tables of a prepared greyscale raster (``scale`` pixels per point)."""
    return layout_words(raster_words(image, scale, settings))


def read_page(number: int | None, raster: Callable[[], tuple[np.ndarray, float]],
              settings: EngineSettings | None = None) -> ScannedPage:
    """Text lines and ruled tables of page ``number``: another worker's OCR of it when there is one
    (:func:`planingest.ingest.progress.shared_page`), else ``raster()`` OCR'd here.

    Only the default engine's pages are shared (a bench run with other ``settings`` reads its own).
    A stored copy that does not decode is ignored: the page is read here.
    """
    stored = shared_page(number) if number is not None and settings is None else None
    words = None
    if stored is not None:
        try:
            words = PageWords.from_json(stored)
        except ValueError:
            words = None
    if words is None:
        words = raster_words(*raster(), settings)
    return layout_words(words)
