"""Tables of a born-digital PDF page (pdfplumber), and which pages deserve a look.

Finding tables costs ~35 ms a page with pdfplumber against ~2 ms for reading the
text with pypdfium2, so :func:`page_may_hold_table` decides from the cheap text
whether a page is opened with pdfplumber at all.  The header words are the
lead's table-header vocabulary (catalogue/table_headers.csv), so a header
wording added there is also looked for here.
"""
from __future__ import annotations

import re

from planingest.ingest.layout.grid import BBox, Cell, Grid, grid_from_cells, reaches_bottom
from planingest.interpret.tables.headers import (
    active_header_vocabulary,
    find_header,
    header_role,
    is_header_row,
    table_kind,
)

_TOKEN_SPLIT = re.compile(r"[\s|｜]+")
_NUMBER = re.compile(r"\d")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: a page with this many short lines, making up this share of its lines, looks tabular
SHORT_LINE_CHARS = 12
MIN_SHORT_LINES = 15
MIN_SHORT_SHARE = 0.5

LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
RULED_ROWS = {"vertical_strategy": "text", "horizontal_strategy": "lines"}
UNRULED = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def page_may_hold_table(text: str) -> bool:
    """Cheap test on a page's text: does it show a table header of a kind we read?

    Header cells come out of the text layer as short tokens (领域 任务 序号 指标名称 …);
    three roles of one table kind make a header.  Pages of short Chinese lines and
    numbers (a table whose header wording is new) pass as well.
    """
    vocab = active_header_vocabulary()
    roles = {header_role(tok, vocab) for tok in _TOKEN_SPLIT.split(text) if 1 < len(tok) <= 16}
    roles.discard(None)
    if len(roles) >= 3 and table_kind(roles) is not None:
        return True
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    short = [ln for ln in lines if len(ln) <= SHORT_LINE_CHARS]
    chinese = sum(1 for ln in short if _CJK.search(ln))  # not a line-numbered proof or an index
    numeric = sum(1 for ln in short if _NUMBER.search(ln))
    return chinese >= MIN_SHORT_LINES and len(short) >= MIN_SHORT_SHARE * len(lines) and numeric >= 5


def _cell_text_bottoms(page, bboxes: list[BBox]) -> dict[BBox, tuple[float, float]]:
    """Lowest char bottom and the char height there, per cell box."""
    out: dict[BBox, tuple[float, float]] = {}
    for ch in page.chars:
        if not ch.get("text", "").strip():
            continue
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for bb in bboxes:
            if bb[0] <= cx <= bb[2] and bb[1] <= cy <= bb[3]:
                if bb not in out or ch["bottom"] > out[bb][0]:
                    out[bb] = (ch["bottom"], ch["bottom"] - ch["top"])
                break
    return out


def _plumber_cells(table, page) -> list[Cell]:
    """pdfplumber's cells with their text (``Table.extract`` gives text by row and column)."""
    texts = table.extract()
    pairs = [(bb, txt) for row, row_text in zip(table.rows, texts)
             for bb, txt in zip(row.cells, row_text) if bb is not None]
    bottom = max(bb[3] for bb, _ in pairs)
    last = [bb for bb, _ in pairs if abs(bb[3] - bottom) < 2.0]
    ink = _cell_text_bottoms(page, last)
    cells = []
    for bb, txt in pairs:
        text_bottom, height = ink.get(bb, (None, 0.0))
        cells.append(Cell(tuple(bb), txt or "", reaches_bottom(bb[3], text_bottom, height)))
    return cells


def unruled_grid(grid: Grid) -> Grid | None:
    """Records of a text-aligned table (no rulings): one per number in its 序号 column.

    Without rulings every text line is a row; a line with an empty 序号 continues
    the record above (a wrapped cell), so it is joined to it cell-wise with "\n".
    The table starts at its header row (required: without one, aligned text is
    not a table of ours).  Without a 序号 column every line stays a row.
    """
    kept = [i for i, row in enumerate(grid.rows) if any(row)]
    rows = [grid.rows[i] for i in kept]
    start = next((i for i, r in enumerate(rows[:10]) if is_header_row(r)), None)
    if start is None:
        return None
    header = find_header(rows[start:start + 1])
    seq = header.column("seq") if header else None
    records: list[list[str]] = []
    tops: list[float] = []
    for index, row in zip(kept[start:], rows[start:]):
        if records and seq is not None and not row[seq]:  # a wrapped line of the header or a record
            records[-1] = [a + "\n" + b if a and b else a or b for a, b in zip(records[-1], row)]
            continue
        records.append(list(row))
        tops.append(grid.row_edges[index])
    if len(records) < 2:
        return None
    n = len(records)
    return Grid(
        rows=tuple(tuple(r) for r in records),
        origin=tuple(tuple((r, c) for c in range(grid.width)) for r in range(n)),
        col_edges=grid.col_edges,
        row_edges=tuple(tops) + (grid.row_edges[kept[-1] + 1],),
    )


def find_page_tables(page) -> list[tuple[Grid, BBox]]:
    """Ruled tables of a pdfplumber page; text-aligned ones (header required) when none is ruled."""
    found = []
    for settings in (LINES, RULED_ROWS, UNRULED):
        for table in page.find_tables(settings):
            cells = _plumber_cells(table, page)
            grid = grid_from_cells(cells)
            if grid is None or grid.width < 2 or grid.width * len(grid.rows) < 4:
                continue
            bbox = tuple(table.bbox)
            if settings is not LINES:
                grid = unruled_grid(grid)
                if grid is None:
                    continue
                bbox = (bbox[0], grid.row_edges[0], bbox[2], grid.row_edges[-1])
            found.append((grid, bbox))
        if found:
            break
    return found
