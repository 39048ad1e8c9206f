"""Rebuild a grid from a box-drawn text table (┌──┬──┐ │序号│指标名称│ ├──┼──┤ └──┴──┘).

Old Word/WPS "save as text", forum posts and archived pages draw tables with
box characters.  The drawing carries the structure a cell dump loses:

* column edges are the junctions of the border lines, measured in display columns
  (a CJK character is two wide, :mod:`planingest.ingest.text.columns`; box characters
  one or two, whichever makes the content's │ meet the borders' junctions);
* a row ends at a border line; where that line has no ─ under a column, the cell
  above continues into the next row (a vertical merge);
* a content line with no │ between two columns holds one cell spanning both;
* several content lines between two borders are one row whose cells wrapped.

A merged cell's text goes to the row and column it starts on; the positions it
covers are empty and flagged merged, as :class:`~planingest.core.records.Table` asks.
"""
from __future__ import annotations

from bisect import bisect_right

from planingest.core.records import Table
from planingest.ingest.text.columns import is_page_footer, positions
from planingest.ingest.text.gridtable import ShapeRow, shape_table

VERTICALS = "│┃║"
HORIZONTALS = "─━═"
JUNCTIONS = "┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂"
_EDGES = set(VERTICALS + JUNCTIONS)


def _is_border(line: str) -> bool:
    """A line drawn only with box characters (a row's top or bottom edge)."""
    body = line.strip()
    return bool(body) and any(c in HORIZONTALS for c in body) and all(
        c in HORIZONTALS or c in JUNCTIONS or c in VERTICALS or c in " \u3000" for c in body)


def is_box_line(line: str) -> bool:
    """A line of a box-drawn table: a border, or content between │ edges."""
    body = line.strip()
    if not body:
        return False
    if _is_border(line):
        return True
    return body[0] in "│┃║" and body[-1] in "│┃║"


def box_region_end(lines: list[str], start: int) -> int:
    """Index after the box-drawn table starting at ``start`` (a page footer or blank line may
    sit between two of its lines when the table crossed a page)."""
    end = i = start
    while i < len(lines):
        if is_box_line(lines[i]):
            end = i + 1
        elif lines[i].strip() and not is_page_footer(lines[i]):
            break
        elif not any(is_box_line(x) for x in lines[i + 1 : i + 4]):
            break
        i += 1
    return end


def _edges(lines: list[str], wide_box: bool) -> list[int]:
    """Display columns of every column edge: junctions of the borders and │ of the content."""
    found: set[int] = set()
    for line in lines:
        for x, char in positions(line, wide_box):
            if char in _EDGES:
                found.add(x)
    return sorted(found)


def _box_width_convention(lines: list[str]) -> bool:
    """True when box characters were drawn two columns wide (the content's │ meet the borders'
    junctions only that way)."""
    def misses(wide: bool) -> int:
        junctions = {x for line in lines if _is_border(line) for x, c in positions(line, wide) if c in _EDGES}
        return sum(1 for line in lines if not _is_border(line)
                   for x, c in positions(line, wide) if c in VERTICALS and x not in junctions)
    return misses(True) < misses(False)


def _column_of(x: int, edges: list[int]) -> int:
    """Index of the column whose left edge is the last one at or before ``x``."""
    return max(0, bisect_right(edges, x) - 1)


def _ruled_columns(border: str, edges: list[int], wide: bool) -> set[int]:
    """Columns a border line closes (it has ─ between their edges)."""
    ruled = set()
    for x, char in positions(border, wide):
        if char in HORIZONTALS:
            col = _column_of(x, edges)
            if col < len(edges) - 1:
                ruled.add(col)
    return ruled


def _pieces(line: str, edges: list[int], wide: bool) -> list[tuple[int, int, str]]:
    """(first column, last column, text) of each cell a content line holds between its │."""
    chars = positions(line, wide)
    bars = [x for x, c in chars if c in VERTICALS or c in JUNCTIONS]
    out = []
    for left, right in zip(bars, bars[1:]):
        text = "".join(c for x, c in chars if left < x < right).strip(" \u3000")
        first, last = _column_of(left, edges), _column_of(right, edges) - 1
        out.append((first, max(first, last), text))
    return out


def box_rows(lines: list[str], first_line: int) -> list[ShapeRow]:
    """Rows of the box-drawn table in ``lines`` (``first_line``: index of lines[0] in the text)."""
    box = [(k, line) for k, line in enumerate(lines) if is_box_line(line)]
    wide = _box_width_convention([line for _, line in box])
    edges = _edges([line for _, line in box], wide)
    width = len(edges) - 1
    if width < 1:
        return []
    texts: list[list[list[str]]] = []  # per row, per column: text lines
    merged: list[list[bool]] = []
    starts: list[int] = []
    owner: list[int] = list(range(width))  # per column, the row its open cell started on
    open_band = False
    ruled: set[int] = set(range(width))
    for k, line in box:
        if _is_border(line):
            ruled = _ruled_columns(line, edges, wide) if texts else set(range(width))
            open_band = False
            continue
        if not open_band:
            row = len(texts)
            texts.append([[] for _ in range(width)])
            merged.append([False] * width)
            starts.append(first_line + k + 1)
            for col in range(width):
                if col in ruled or row == 0:
                    owner[col] = row
                else:
                    merged[row][col] = True
            open_band = True
        row = len(texts) - 1
        for first, last, text in _pieces(line, edges, wide):
            for col in range(first + 1, min(last, width - 1) + 1):
                merged[row][col] = True
            if text and first < width:
                texts[owner[first]][first].append(text)
    return [
        ShapeRow(tuple("\n".join(cell) for cell in row), line, tuple(flags))
        for row, line, flags in zip(texts, starts, merged)
    ]


def box_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    return shape_table(box_rows(lines, first_line), table_no, caption)
