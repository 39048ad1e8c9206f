"""Join the pieces of a table that a PDF spreads over several pages.

Word processors break a long table at the page end and, when asked, repeat its
header row on the next page.  A row allowed to break is cut in two: the first
part ends the table on page n, the rest opens the table on page n+1 with an
empty 序号 cell.  A cell merged down over several rows is continued on the next
page as an empty cell.  These rules undo all three; they need only the grids
and the geometry, never what the table means.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planingest.core.records import Locator, Table
from planingest.interpret.tables.headers import find_header

if TYPE_CHECKING:  # pages.py imports this module to assemble; the type is only named here
    from planingest.ingest.layout.pages import PageTable

_SPACE = re.compile(r"\s+")
#: how far the column edges of two pieces of one table may differ (points)
EDGE_TOLERANCE = 4.0
OCR_EDGE_TOLERANCE = 10.0
MAX_HEADER_ROWS = 3
#: how far a table may move sideways between pages (mirrored margins), in points
MAX_SHIFT = 60.0


@dataclass
class _Stitched:
    rows: list[list[str]]
    pages: list[int]
    caption: str | None
    first_page: int
    top: float
    last: PageTable  # the piece on the latest page
    #: acc row index of each row of ``last``
    last_rows: list[int] = field(default_factory=list)
    #: per position, True where a merged cell's text is repeated (records.Table.merged)
    merged: list[list[bool]] = field(default_factory=list)
    #: per position, the OCR score (records.Table.scores); None where not OCR'd
    scores: list[list[float | None]] = field(default_factory=list)


def _merged_flags(piece: PageTable) -> list[list[bool]]:
    """Positions covered by a merged cell that starts elsewhere."""
    return [[origin != (r, c) for c, origin in enumerate(line)] for r, line in enumerate(piece.grid.origin)]


def _scores(piece: PageTable) -> list[list[float | None]]:
    grid = piece.grid
    if grid.scores:
        return [list(r) for r in grid.scores]
    return [[None] * grid.width for _ in grid.rows]


def _lower(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _flat(row) -> tuple[str, ...]:
    return tuple(_SPACE.sub("", c) for c in row)


def continues(prev: PageTable, nxt: PageTable) -> bool:
    """Is ``nxt`` (top of page n+1) the rest of ``prev`` (bottom of page n)?"""
    if nxt.page != prev.page + 1 or not (prev.at_bottom and nxt.at_top):
        return False
    a, b = prev.grid.col_edges, nxt.grid.col_edges
    if len(a) != len(b):
        return False
    tol = OCR_EDGE_TOLERANCE if (prev.ocr or nxt.ocr) else EDGE_TOLERANCE
    # the same column widths; a shift of the whole table is allowed (mirrored page margins)
    shift = b[0] - a[0]
    return abs(shift) <= MAX_SHIFT and all(abs(x + shift - y) <= tol for x, y in zip(a, b))


def _repeated_header_rows(acc: _Stitched, piece: PageTable) -> int:
    """How many leading rows of ``piece`` repeat the table's first rows (a repeated header)."""
    k = 0
    while (k < min(MAX_HEADER_ROWS, len(piece.grid.rows), len(acc.rows))
           and any(piece.grid.rows[k]) and _flat(piece.grid.rows[k]) == _flat(acc.rows[k])):
        k += 1
    return k


def _seq_column(acc: _Stitched) -> int:
    header = find_header(acc.rows)
    col = header.column("seq") if header else None
    return 0 if col is None else col


def _fill_continued_merges(acc: _Stitched, piece: PageTable, first: int) -> dict[tuple[int, int], str]:
    """Text for the empty cells of ``piece`` that continue a merged cell of the previous page.

    An empty cell spanning several rows at the top of the new page, under a column
    whose last cell had text, is that cell's continuation.
    """
    grid, last = piece.grid, acc.rows[-1]
    filled: dict[tuple[int, int], str] = {}
    for col in range(grid.width):
        if grid.rows[first][col] or not last[col]:
            continue
        span = grid.span(first, col)
        if len({r for r, _ in span}) < 2:
            continue
        for pos in span:
            filled[pos] = last[col]
    return filled


def _is_cut_row(acc: _Stitched, row: tuple[str, ...], seq_col: int) -> bool:
    """The first row of a new page finishes the last row of the previous one.

    Its 序号 is empty, and every cell with text continues a cell of the previous
    row whose text ran down to the page break.
    """
    if row[seq_col]:
        return False
    texts = [c for c, text in enumerate(row) if text]
    last = acc.rows[-1]
    return bool(texts) and all(last[c] and c in acc.last.grid.cut_columns for c in texts)


def _join_cut_row(acc: _Stitched, raw: tuple[str, ...], raw_scores: list[float | None]) -> None:
    """Append the rest of each cut cell to every position that cell covers on the previous page."""
    grid = acc.last.grid
    last_row = len(grid.rows) - 1
    done: set[tuple[int, int]] = set()
    for col, text in enumerate(raw):
        key = grid.origin[last_row][col]
        if not text or key in done:
            continue
        done.add(key)
        for r, c in grid.span(last_row, col):
            index = acc.last_rows[r]
            if index >= 0:
                acc.rows[index][c] = acc.rows[index][c] + "\n" + text
                acc.scores[index][c] = _lower(acc.scores[index][c], raw_scores[col])


def _extend(acc: _Stitched, piece: PageTable) -> None:
    rows = [list(r) for r in piece.grid.rows]
    merged = _merged_flags(piece)
    scores = _scores(piece)
    first = _repeated_header_rows(acc, piece)
    mapping = [-1] * len(rows)
    if first < len(rows):
        for (r, c), text in _fill_continued_merges(acc, piece, first).items():
            rows[r][c] = text
            merged[r][c] = True
            scores[r][c] = acc.scores[-1][c]
        raw = piece.grid.rows[first]
        if not any(raw):
            first += 1  # the break left only an empty sliver of a row
        elif _is_cut_row(acc, raw, _seq_column(acc)):
            _join_cut_row(acc, raw, scores[first])
            mapping[first] = len(acc.rows) - 1
            first += 1
    for r in range(first, len(rows)):
        mapping[r] = len(acc.rows)
        acc.rows.append(rows[r])
        acc.merged.append(merged[r])
        acc.scores.append(scores[r])
        acc.pages.append(piece.page)
    acc.last, acc.last_rows = piece, mapping


def stitch(pieces: list[PageTable]) -> list[tuple[Table, float]]:
    """Tables of the document in order, each piece continuing the previous one joined to it.

    Each comes with the top of its first piece, where it sits among its page's paragraphs.
    """
    done: list[_Stitched] = []
    for piece in pieces:
        if done and continues(done[-1].last, piece):
            _extend(done[-1], piece)
            continue
        done.append(_Stitched(
            rows=[list(r) for r in piece.grid.rows], pages=[piece.page] * len(piece.grid.rows),
            caption=piece.caption, first_page=piece.page, top=piece.bbox[1], last=piece,
            last_rows=list(range(len(piece.grid.rows))), merged=_merged_flags(piece), scores=_scores(piece),
        ))
    return [(_to_table(acc, number), acc.top) for number, acc in enumerate(done, start=1)]


def _to_table(acc: _Stitched, number: int) -> Table:
    return Table(
        rows=tuple(tuple(r) for r in acc.rows),
        locator=Locator(page=acc.first_page, table=number),
        row_locators=tuple(Locator(page=p, table=number, row=i) for i, p in enumerate(acc.pages, start=1)),
        caption=acc.caption,
        merged=tuple(tuple(m) for m in acc.merged),
        scores=(tuple(tuple(s) for s in acc.scores)
                if any(v is not None for row in acc.scores for v in row) else ()),
    )
