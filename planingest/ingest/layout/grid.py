"""Cell boxes → a rectangular grid, shared by ruled PDF tables and OCR'd scans.

Both pdfplumber's table finder and the raster ruling detector give a table as a
set of cell rectangles with text.  A merged cell is one rectangle that covers
several grid positions; the records' contract wants its text repeated in every
position it covers, and the page stitcher wants to know which positions belong
to the same cell (a merged cell continued on the next page is an empty cell
spanning several rows there).  :class:`Grid` keeps both.
"""
from __future__ import annotations

from dataclasses import dataclass

from planingest.ingest.layout.lines import clean_line

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom (points, top-left origin)
#: a grid larger than this is not a plan's table but a hostile or degenerate page
MAX_POSITIONS = 50_000


@dataclass(frozen=True)
class Cell:
    bbox: BBox
    text: str
    #: its text runs down to the bottom edge (no free line below): a page break may have cut it
    reaches_bottom: bool = False
    #: the lowest OCR recognition score of the cell's text (None: not OCR'd, or empty)
    score: float | None = None


@dataclass(frozen=True)
class Grid:
    rows: tuple[tuple[str, ...], ...]
    #: for each position, the (row, column) of the top-left position of the cell covering it
    origin: tuple[tuple[tuple[int, int], ...], ...]
    col_edges: tuple[float, ...]
    row_edges: tuple[float, ...]
    #: columns whose cell in the last row has text down to its bottom edge (cut by a page break?)
    cut_columns: frozenset[int] = frozenset()
    #: per position, the OCR score of the covering cell (records.Table.scores); empty when not OCR'd
    scores: tuple[tuple[float | None, ...], ...] = ()

    @property
    def width(self) -> int:
        return len(self.col_edges) - 1

    def span(self, row: int, col: int) -> list[tuple[int, int]]:
        """All positions covered by the cell at (row, col)."""
        key = self.origin[row][col]
        return [(r, c) for r, line in enumerate(self.origin) for c, o in enumerate(line) if o == key]


def reaches_bottom(cell_bottom: float, text_bottom: float | None, line_height: float) -> bool:
    """Whether less than one text line of free space is left under the text of a cell."""
    return text_bottom is not None and cell_bottom - text_bottom < max(line_height, 1.0)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def clean_cell(text: str | None) -> str:
    """Cell text: lines kept as "\\n", CJK line-join spaces removed inside each line."""
    if not text:
        return ""
    lines = [clean_line(x) for x in text.replace("\r", "\n").split("\n")]
    return "\n".join(x for x in lines if x)


def grid_from_cells(cells: list[Cell], tol: float = 2.0) -> Grid | None:
    """Lay cells on the grid their edges define; ``None`` when they make no table."""
    if not cells:
        return None
    col_edges = _cluster([c.bbox[0] for c in cells] + [c.bbox[2] for c in cells], tol)
    row_edges = _cluster([c.bbox[1] for c in cells] + [c.bbox[3] for c in cells], tol)
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    if n_rows < 1 or n_cols < 1 or n_rows * n_cols > MAX_POSITIONS:
        return None
    text = [[""] * n_cols for _ in range(n_rows)]
    origin = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    taken = [[False] * n_cols for _ in range(n_rows)]
    scores: list[list[float | None]] = [[None] * n_cols for _ in range(n_rows)]
    last_row_cut: set[int] = set()
    for cell in sorted(cells, key=lambda c: (c.bbox[1], c.bbox[0])):
        x0, top, x1, bottom = cell.bbox
        cols = [i for i in range(n_cols) if col_edges[i] >= x0 - tol and col_edges[i + 1] <= x1 + tol]
        rows = [i for i in range(n_rows) if row_edges[i] >= top - tol and row_edges[i + 1] <= bottom + tol]
        positions = [(r, c) for r in rows for c in cols if not taken[r][c]]
        if not positions:
            continue
        key = positions[0]
        value = clean_cell(cell.text)
        for r, c in positions:
            text[r][c], origin[r][c], taken[r][c] = value, key, True
            scores[r][c] = cell.score if value else None
        if n_rows - 1 in rows and value and cell.reaches_bottom:
            last_row_cut.update(c for r, c in positions if r == n_rows - 1)
    return Grid(
        rows=tuple(tuple(r) for r in text),
        origin=tuple(tuple(r) for r in origin),
        col_edges=tuple(col_edges),
        row_edges=tuple(row_edges),
        cut_columns=frozenset(last_row_cut),
        scores=tuple(tuple(r) for r in scores) if any(cell.score is not None for cell in cells) else (),
    )
