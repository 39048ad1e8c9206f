"""Rebuild a grid from space-aligned columns: ``pdftotext -layout`` output and fixed-width exports.

Columns line up on screen, so everything is measured in display columns (a CJK
character is two wide, :mod:`planingest.ingest.text.columns`); a cell is a run
of text between gaps of two or more spaces.

* Column edges are the gutters: display columns that (almost) no line writes in.
  A cell spanning two columns crosses a gutter on one line only, so a gutter
  between two well-filled columns tolerates a few crossings in a long table; a
  column few rows fill (领域, written once per group) or only its header fills
  (备注 left empty) is a column of its own.  Headers are centred, so they widen a
  column but never split one.
* The header is the first block of lines; headers are often centred and wrapped
  (指标 / 属性 on two lines), which the column edges absorb.
* Rows: when blank lines separate the rows (a ruled table's padding), each block
  is one row and a cell wrapped over several lines stays one cell.  Otherwise a
  line is a row of its own unless it only continues cells of the line above that
  filled their column to the edge (a long name that wrapped) with 序号 empty.
  Page-number lines (— 3 —) between rows are dropped.
* A cell that crosses a gutter spans those columns: its text goes to the first,
  the others are flagged merged.
"""
from __future__ import annotations

from planingest.core.records import Table
from planingest.ingest.text.columns import Segment, display_width, is_page_footer, segments
from planingest.ingest.text.gridtable import TABLE_END, ShapeRow, shape_table
from planingest.interpret.tables.align import is_seq
from planingest.interpret.tables.headers import header_role, is_header_row, row_roles

_MAX_HEADER_LINES = 4


def _table_lines(lines: list[str], cjk_wide: bool = True) -> list[tuple[int, list[Segment]]]:
    """(index, segments) of every line that is part of the table's text (no blanks, no footers)."""
    return [(k, segments(line, cjk_wide=cjk_wide)) for k, line in enumerate(lines)
            if line.strip() and not is_page_footer(line)]


def starts_aligned_table(line: str) -> bool:
    """Cheap test: could ``line`` be the (first) header line of an aligned table?"""
    if "  " not in line and "\u3000" not in line:
        return False
    segs = segments(line)
    return len(segs) >= 3 and sum(1 for s in segs if header_role(s.text)) >= 2


def aligned_region_end(lines: list[str], start: int) -> int:
    """Index after the last line of the aligned table whose header starts at ``start``."""
    head = segments(lines[start])
    left = head[0].start
    width = head[-1].end - left
    end = start + 1
    for k in range(start + 1, len(lines)):
        line = lines[k]
        if not line.strip() or is_page_footer(line):
            continue
        stripped = line.strip()
        segs = segments(line)
        if TABLE_END.match(stripped) or (
            len(segs) == 1 and segs[0].start <= left + 4 and display_width(stripped) >= 0.6 * width
        ):
            break
        end = k + 1
    return end


def _header_block(lines: list[str], table: list[tuple[int, list[Segment]]]) -> int:
    """How many of the table's lines are header lines (the lines before the first blank one)."""
    for count in range(1, min(len(table), _MAX_HEADER_LINES + 1)):
        if table[count][0] > table[count - 1][0] + 1 and not lines[table[count][0] - 1].strip():
            return count  # a blank line ends the header block
    return 1


def _columns(table: list[tuple[int, list[Segment]]], header_lines: int) -> list[tuple[int, int]]:
    """[start, end) display columns of each column, from the gutters no (or hardly any) line crosses."""
    right = max((s.end for _, segs in table for s in segs), default=0)
    body = [0] * (right + 1)  # how many body lines write at each display column
    header = [0] * (right + 1)
    header_words = {s.text for _, segs in table[:header_lines] for s in segs}
    in_header = False
    for k, (index, segs) in enumerate(table):
        if k < header_lines:
            in_header = True
        elif k == header_lines or index > table[k - 1][0] + 1:  # a new block: the header again?
            named = sum(1 for s in segs if s.text in header_words or header_role(s.text))
            in_header = len(segs) >= 2 and named * 3 >= len(segs) * 2
        counts = header if in_header else body
        for s in segs:
            for x in range(s.start, s.end):
                counts[x] += 1
    tolerance = (len(table) - header_lines - 1) // 15
    columns: list[tuple[int, int]] = []
    x = 0
    while x < right:
        if body[x] == 0 and header[x] == 0:
            x += 1
            continue
        start = x
        while x < right and (body[x] or header[x]):
            x += 1
        for a, b in _split_at_crossings(start, x, body, tolerance):
            columns.extend(_split_between_headers(a, b, body, _header_spans(table[:header_lines], a, b)))
    return columns


def _header_spans(header: list[tuple[int, list[Segment]]], start: int, end: int) -> list[tuple[int, int]]:
    """Display spans of the header words within [start, end), words of a wrapped header merged."""
    spans = sorted((max(s.start, start), min(s.end, end)) for _, segs in header for s in segs
                   if s.start < end and s.end > start)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _split_between_headers(start: int, end: int, body: list[int],
                           spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a column two header words stand over: the gutter is the least-written stretch between them
    (in a short table one spanning cell is enough to bridge a gutter)."""
    out: list[tuple[int, int]] = []
    for (_, left_end), (right_start, _) in zip(spans, spans[1:]):
        if right_start <= left_end:
            continue
        low = min(body[x] for x in range(left_end, right_start))
        cut = next(x for x in range(left_end, right_start) if body[x] == low)
        cut_end = cut
        while cut_end < right_start and body[cut_end] == low:
            cut_end += 1
        out.append((start, cut))
        start = cut_end
    out.append((start, end))
    return out


def _split_at_crossings(start: int, end: int, coverage: list[int], tolerance: int) -> list[tuple[int, int]]:
    """Cut a covered stretch where a few cells cross a gutter between two well-filled columns.

    Weak parts at the stretch's ends belong to the column next to them (longer values);
    a stretch that is weak throughout is a sparsely filled column of its own.
    """
    strong: list[list[int]] = []
    for x in range(start, end):
        if coverage[x] > tolerance:
            if strong and strong[-1][1] == x:
                strong[-1][1] = x + 1
            else:
                strong.append([x, x + 1])
    if not strong:
        return [(start, end)]
    strong[0][0], strong[-1][1] = start, end
    return [(a, b) for a, b in strong]


def _place(seg: Segment, columns: list[tuple[int, int]]) -> tuple[int, int]:
    """(first, last) column a segment covers (nearest column when it falls in a gutter)."""
    covered = [c for c, (a, b) in enumerate(columns) if seg.start < b and seg.end > a]
    if covered:
        return covered[0], covered[-1]
    nearest = min(range(len(columns)), key=lambda c: abs(columns[c][0] - seg.start))
    return nearest, nearest


def _layout(lines: list[str]) -> tuple[list[tuple[int, list[Segment]]], int, list[tuple[int, int]]]:
    """Table lines, header line count and columns, measured the way the text was laid out:
    CJK two columns wide (a screen, a fixed-width export padded by display width) or one
    (a program that padded with ``str.ljust``, ``pdftotext -layout``).  Under the wrong
    measure cells land in each other's columns; the measure with fewer such clashes wins."""
    best: tuple[list[tuple[int, list[Segment]]], int, list[tuple[int, int]]] = ([], 0, [])
    best_clashes = None
    for cjk_wide in (True, False):
        table = _table_lines(lines, cjk_wide)
        if len(table) < 2:
            return best
        header_lines = _header_block(lines, table)
        columns = _columns(table, header_lines)
        clashes = _clashes(table, columns)
        if best_clashes is None or clashes < best_clashes:
            best, best_clashes = (table, header_lines, columns), clashes
    return best


def _clashes(table: list[tuple[int, list[Segment]]], columns: list[tuple[int, int]]) -> int:
    """Cells that share a column with another cell of their line, or straddle a gutter."""
    if not columns:
        return len(table)
    count = 0
    for _, segs in table:
        seen: set[int] = set()
        for seg in segs:
            first, last = _place(seg, columns)
            count += (first in seen) + (last > first)
            seen.add(first)
    return count


def aligned_rows(lines: list[str], first_line: int) -> list[ShapeRow]:
    table, header_lines, columns = _layout(lines)
    if len(table) < 2:
        return []
    width = len(columns)
    if width < 2:
        return []
    body = table[header_lines:]
    # blank lines between the header and the body and between body lines: rows are blocks
    gaps = sum(1 for (a, _), (b, _) in zip(table[header_lines - 1:], body)
               if any(not lines[k].strip() for k in range(a + 1, b)))
    by_block = bool(body) and gaps >= max(1, (len(body) - 1) // 3)
    if not by_block:
        header_lines = _wrapped_header(table, header_lines, columns)
        body = table[header_lines:]
    header_roles = row_roles(_cells(table[:header_lines], columns)[0])
    seq_col = header_roles.index("seq") if "seq" in header_roles else None
    groups: list[list[tuple[int, list[Segment]]]] = [table[:header_lines]]
    for k, (index, segs) in enumerate(body):
        blank_before = k == 0 or any(not lines[j].strip() for j in range(body[k - 1][0] + 1, index))
        if by_block and not blank_before:
            groups[-1].append((index, segs))
        elif not by_block and k and _continues(body[k - 1][1], segs, columns, seq_col):
            groups[-1].append((index, segs))
        else:
            groups.append([(index, segs)])
    rows = []
    for group in groups:
        cells, merged = _cells(group, columns)
        rows.append(ShapeRow(cells, first_line + group[0][0] + 1, merged))
    return rows


def _wrapped_header(table: list[tuple[int, list[Segment]]], header_lines: int,
                    columns: list[tuple[int, int]]) -> int:
    """Header lines when no blank line ends the header: the lines after the first that only hold
    short words under header words (指标 / 属性, 序 / 号) and name at least as many columns
    once joined to the header."""
    named = {_place(seg, columns)[0] for seg in table[0][1]}
    count = header_lines
    roles = sum(1 for r in row_roles(_cells(table[:count], columns)[0]) if r)
    while count < min(len(table), _MAX_HEADER_LINES) and table[count][0] == table[count - 1][0] + 1:
        segs = table[count][1]
        if any(_place(seg, columns)[0] not in named or display_width(seg.text) > 8 or is_seq(seg.text)
               for seg in segs):
            break
        joined = sum(1 for r in row_roles(_cells(table[: count + 1], columns)[0]) if r)
        if joined < roles:
            break
        roles, count = joined, count + 1
    return count


def _continues(previous: list[Segment], segs: list[Segment], columns: list[tuple[int, int]],
               seq_col: int | None) -> bool:
    """In a table without blank lines between rows: does this line continue the row above?

    Yes when every cell on it sits under a cell of the line above that filled its column to
    the edge (the text ran out of room and wrapped; an eighth of the width is allowed for
    a wide character that did not fit and for pdftotext's placement) and the 序号 column is
    empty; a sub-row under a short name, or any line with a number, starts a row of its own.
    """
    above = {_place(seg, columns)[0]: seg for seg in previous}
    for seg in segs:
        col = _place(seg, columns)[0]
        start, end = columns[col]
        slack = max(1, (end - start) // 8)  # a wrap leaves up to one wide character; pdftotext jitters
        if col == seq_col or col not in above or above[col].end < end - slack:
            return False
    return bool(segs)


def _cells(group: list[tuple[int, list[Segment]]], columns: list[tuple[int, int]]
           ) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The cells (and span flags) of one row's lines."""
    width = len(columns)
    texts: list[list[str]] = [[] for _ in range(width)]
    merged = [False] * width
    for _, segs in group:
        for seg in segs:
            first, last = _place(seg, columns)
            texts[first].append(seg.text)
            for col in range(first + 1, last + 1):
                merged[col] = True
    cells = tuple("\n".join(t) for t in texts)
    return cells, tuple(m and not cells[c] for c, m in enumerate(merged))


def aligned_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    return shape_table(aligned_rows(lines, first_line), table_no, caption)


def is_aligned_table(lines: list[str]) -> bool:
    rows = aligned_rows(lines, 0)
    return bool(rows) and len(rows) >= 2 and is_header_row(rows[0].cells)
