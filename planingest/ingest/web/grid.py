"""An HTML ``<table>`` as a grid: rowspan/colspan resolved, and data tables told from layout tables.

The grid follows the HTML table model: a cell occupies the first free column of
its row, and a ``rowspan``/``colspan`` cell covers positions below and to the
right.  As in the DOCX reader, a covered position repeats the cell's text and is
flagged in ``Table.merged``, so the shared table logic sees one grid whatever
the format.

Old government sites lay whole pages out with tables.  A table is read as data
only when it is a grid of cells: at least two rows and two columns and no table
nested inside it.  Anything else is a frame whose cells are read as page flow.
"""
from __future__ import annotations

from dataclasses import dataclass

#: no plan table is wider; a wider one is hostile or a layout artefact
MAX_COLUMNS = 200
MAX_SPAN_ROWS = 1000
#: positions of one grid: beyond this a page is hostile or degenerate
MAX_POSITIONS = 200_000


@dataclass(frozen=True)
class HtmlCell:
    text: str
    rowspan: int
    colspan: int


def _span(value: str | None, limit: int) -> int:
    try:
        number = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    return min(max(number, 1), limit)


def cell_spans(td) -> tuple[int, int]:
    """(rowspan, colspan) of a td/th, clamped to sane limits (rowspan="0" counts as 1)."""
    return _span(td.get("rowspan"), MAX_SPAN_ROWS), _span(td.get("colspan"), MAX_COLUMNS)


def table_rows(table) -> list:
    """The ``<tr>`` of this table (in thead/tbody/tfoot or directly), not of nested tables."""
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag == "tr")
    return rows


def row_cells(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def is_data_table(table) -> bool:
    """A grid of cells (≥ 2 rows, ≥ 2 columns, no nested table), not a page frame."""
    if table.get("role", "").lower() == "presentation":
        return False
    if any(True for _ in table.iterdescendants("table")):
        return False
    rows = table_rows(table)
    widths = [sum(cell_spans(td)[1] for td in row_cells(tr)) for tr in rows]
    return sum(1 for w in widths if w > 0) >= 2 and max(widths, default=0) >= 2


def resolve(rows: list[list[HtmlCell]]) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[bool, ...], ...]]:
    """Rows of placed cells → (text grid, merge flags); a covered position repeats the text.

    Raises ValueError when the grid would exceed MAX_POSITIONS.
    """
    placed: dict[tuple[int, int], tuple[str, bool]] = {}
    n_rows = len(rows)
    width = 0
    for r, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (r, col) in placed:
                col += 1
            if col >= MAX_COLUMNS:
                break
            rowspan = min(cell.rowspan, n_rows - r)
            colspan = min(cell.colspan, MAX_COLUMNS - col)
            if len(placed) + rowspan * colspan > MAX_POSITIONS:
                raise ValueError(f"a table of more than {MAX_POSITIONS} cells")
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed.setdefault((r + dr, col + dc), (cell.text, dr > 0 or dc > 0))
            col += colspan
            width = max(width, col)
    grid = tuple(tuple(placed.get((r, c), ("", False))[0] for c in range(width)) for r in range(n_rows))
    flags = tuple(tuple(placed.get((r, c), ("", False))[1] for c in range(width)) for r in range(n_rows))
    return grid, flags
