"""Scanned PDF pages: rasterise, find the table rulings, OCR, put the text in the cells.

RapidOCR (``rapidocr-onnxruntime`` 1.4.x, whose wheel ships the PP-OCRv4 models,
so it works offline) is imported only when a page has no text layer.  The table
grid comes from the raster's ruling lines: long runs of dark pixels, found with
numpy, handed to pdfplumber's own edge → intersection → cell algorithm so a
scanned table is cut into cells exactly as a born-digital one is.  OCR boxes go
to the cell holding their centre; the rest of the page becomes text lines.
All coordinates leave this module in PDF points (top-left origin).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from planingest.core.errors import MissingToolError
from planingest.ingest.layout.grid import BBox, Cell, Grid, grid_from_cells, reaches_bottom
from planingest.ingest.layout.lines import Line, clean_line, join_lines

DPI = 200
#: the raster's longer side stays under this (A4 at 200 dpi is 2339 px; RapidOCR shrinks
#: anything over 2000 px before detection, so more pixels only cost time)
MAX_SIDE_PX = 2400
DARK = 160  # grey level under which a pixel is ink
#: shortest ruling segments, in points: longer than any stroke of body-text characters.
#: A column is rarely narrower than 20 pt; a row is never lower than a 14 pt text line.
MIN_H_RULE_PT = 20.0
MIN_V_RULE_PT = 14.0
#: pixels of a broken scanned line that are bridged (small: text glyphs must stay apart)
GAP_PX = 1
RULE_TOLERANCE_PT = 3.0
SNAP_PT = 1.5


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


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # the dependency is declared; this is a broken install
        raise MissingToolError(f"scanned PDF pages need OCR, but rapidocr-onnxruntime cannot be imported: {exc}") from exc
    # One thread per session: a batch already runs one worker per core, so more
    # threads only contend; and each thread's malloc arena reserves address space,
    # which counts against the worker's memory limit (RLIMIT_AS).
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def _run_engine(image: np.ndarray):
    """RapidOCR on one raster; ONNX Runtime's std::bad_alloc is the memory limit, so it says so.

    RapidOCR wraps every ONNX Runtime failure (with its traceback as the message)
    in one exception type; an allocation failure there is the worker's memory
    limit being reached, which the worker reports as such.
    """
    try:
        return _engine()(image, use_cls=False)
    except Exception as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError("OCR ran out of memory") from None
        raise


def render(page, dpi: int = DPI) -> tuple[np.ndarray, float]:
    """Greyscale raster of a pypdfium2 page and its pixels-per-point scale."""
    width, height = page.get_size()
    scale = min(dpi / 72.0, MAX_SIDE_PX / max(width, height, 1.0))
    image = page.render(scale=scale, grayscale=True).to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    return np.ascontiguousarray(image), scale


def recognise(image: np.ndarray, scale: float) -> list[OcrBox]:
    """OCR boxes of a raster, in points."""
    result, _ = _run_engine(image)
    boxes = []
    for quad, text, score in result or []:
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


def ruling_edges(image: np.ndarray, scale: float) -> list[dict]:
    """Horizontal and vertical ruling segments of a raster as pdfplumber edges (points)."""
    ink = image < DARK
    edges = []
    rows, starts, ends = _runs(_close_gaps(ink, GAP_PX), max(int(MIN_H_RULE_PT * scale), 8))
    for y, a, b in zip(rows, starts, ends):
        edges.append(_edge("h", a / scale, y / scale, b / scale, y / scale))
    cols, starts, ends = _runs(_close_gaps(ink.T, GAP_PX), max(int(MIN_V_RULE_PT * scale), 8))
    for x, a, b in zip(cols, starts, ends):
        edges.append(_edge("v", x / scale, a / scale, x / scale, b / scale))
    return edges


def table_cells(edges: list[dict]) -> list[list[BBox]]:
    """Cell boxes of each ruled table the edges draw (pdfplumber's lattice algorithm)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    merged = merge_edges(edges, SNAP_PT, SNAP_PT, SNAP_PT, SNAP_PT)
    points = edges_to_intersections(merged, RULE_TOLERANCE_PT, RULE_TOLERANCE_PT)
    return cells_to_tables(intersections_to_cells(points))


def _text_of(boxes: list[OcrBox]) -> tuple[str, float | None, float]:
    """Boxes of one cell in reading order: lines top to bottom, boxes left to right."""
    lines = group_lines(boxes)
    text = "\n".join(ln.text for ln in lines)
    height = min((b.bottom - b.top for b in boxes), default=0.0)
    return text, (max(b.bottom for b in boxes) if boxes else None), height


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


def layout_page(boxes: list[OcrBox], edges: list[dict], tol: float = RULE_TOLERANCE_PT) -> ScannedPage:
    """Positioned text boxes and ruling segments (points) → text lines and ruled tables.

    The boxes come from OCR or from a format that positions its text itself (OFD);
    each box goes to the table cell holding its centre, the rest become lines.
    """
    grids: list[tuple[Grid, BBox]] = []
    used: set[int] = set()
    for cell_boxes in table_cells(edges):
        cells, members_all = [], set()
        for bbox in cell_boxes:
            members = [i for i, b in enumerate(boxes) if i not in used and i not in members_all and _in(b, bbox)]
            members_all.update(members)
            text, bottom, height = _text_of([boxes[i] for i in members])
            cells.append(Cell(tuple(bbox), text, reaches_bottom(bbox[3], bottom, height)))
        grid = grid_from_cells(cells, tol=tol)
        if grid is not None and grid.width >= 2 and grid.width * len(grid.rows) >= 4:
            used.update(members_all)
            x0 = min(b[0] for b in cell_boxes)
            top = min(b[1] for b in cell_boxes)
            grids.append((grid, (x0, top, max(b[2] for b in cell_boxes), max(b[3] for b in cell_boxes))))
    rest = [b for i, b in enumerate(boxes) if i not in used]
    mean = sum(b.score for b in boxes) / len(boxes) if boxes else 0.0
    return ScannedPage(lines=group_lines(rest), grids=grids, mean_score=mean)


def ocr_raster(image: np.ndarray, scale: float) -> ScannedPage:
    """Text lines and ruled tables of a greyscale raster (``scale`` pixels per point)."""
    return layout_page(recognise(image, scale), ruling_edges(image, scale))


def ocr_page(page) -> ScannedPage:
    """Text lines and ruled tables of a scanned pypdfium2 page."""
    image, scale = render(page)
    return ocr_raster(image, scale)
