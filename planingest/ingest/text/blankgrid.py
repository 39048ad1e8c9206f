"""Rebuild a grid from a table copied out of a web page as text: one cell per paragraph.

A browser copying a government page whose table cells hold paragraphs gives each
cell as a block of lines with a blank line after it, and no tabs.  An empty cell
is an empty paragraph: one more blank line pair (``a``, ``""``, ``b`` read
``a\\n\\n\\n\\nb``).  A cell's own line breaks (a wrapped name, ``吨标\\n准煤/\\n万元``)
stay inside its block.

Nothing marks the end of a row, so the header decides the width: the run of
blocks the header vocabulary recognises is the header, and the body is cut into
rows of that many cells, checked against the 序号 column (each row's number sits
where the header's 序号 does).  A row that does not fit ends the table.  An empty
cell under a filled one in the grouping columns (领域, 任务, 序号, 类别: those
before the name column) is the rest of a vertically merged cell and is flagged merged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.core.records import Table
from planingest.ingest.text.columns import is_page_footer
from planingest.ingest.text.gridtable import TABLE_END, ShapeRow, shape_table
from planingest.interpret.tables.align import is_seq
from planingest.interpret.tables.headers import header_role, is_header_row, row_roles

_MAX_HEADER_CELL = 16
_LOOKAHEAD = 40  # blocks read ahead to find a header


@dataclass(frozen=True)
class _Token:
    text: str
    line: int  # index of its first line (0-based); for an empty cell, the blank line it stands on
    end: int  # index after its last line


def _tokens(lines: list[str], start: int, limit: int | None = None) -> list[_Token]:
    """Cells from ``lines[start:]``: blocks of lines, plus one empty cell per extra blank-line pair."""
    out: list[_Token] = []
    i, n = start, len(lines)
    while i < n and (limit is None or len(out) < limit):
        blanks = 0
        while i < n and not lines[i].strip():
            blanks += 1
            i += 1
        if i > start and blanks:
            separator = 1 if out else 0  # before the first block every blank pair is an empty cell
            for k in range(max(0, blanks - separator) // 2):
                first = i - blanks + separator + 2 * k
                out.append(_Token("", first, first + 2))
        if i >= n:
            break
        first = i
        while i < n and lines[i].strip():
            i += 1
        text = "\n".join(x.strip() for x in lines[first:i])
        if not is_page_footer(text):
            out.append(_Token(text, first, i))
    return out


def _is_short(text: str) -> bool:
    flat = re.sub(r"\s", "", text)
    return 0 < len(flat) <= _MAX_HEADER_CELL


def _header_width(tokens: list[_Token]) -> int | None:
    """How many leading tokens form the header (leading empty cells included), or None."""
    lead = 0
    while lead < len(tokens) and not tokens[lead].text:
        lead += 1
    run = lead
    while run < len(tokens) and _is_short(tokens[run].text) and header_role(tokens[run].text):
        run += 1
    for width in range(run, lead + 2, -1):
        cells = [t.text for t in tokens[:width]]
        if not is_header_row(cells):
            continue
        roles = row_roles(cells)
        if "seq" in roles:
            first_body = width + roles.index("seq")
            if first_body >= len(tokens) or not is_seq(tokens[first_body].text):
                continue
        return width
    return None


def starts_blank_table(lines: list[str], index: int) -> bool:
    """Cheap test: could a blank-line table's header start at ``lines[index]``?"""
    line = lines[index]
    if not line.strip() or (index > 0 and lines[index - 1].strip()):
        return False
    if index + 1 < len(lines) and lines[index + 1].strip() and index + 2 < len(lines) and lines[index + 2].strip():
        return False  # a header cell is one line, or two when it wrapped
    return _is_short(line) and (header_role(line) is not None or not line.strip())


def _body_rows(tokens: list[_Token], width: int, seq_col: int | None, header: list[str]) -> int:
    """How many tokens after the header are whole rows of the table."""
    used = width
    while used + width <= len(tokens):
        chunk = [t.text for t in tokens[used : used + width]]
        if any(TABLE_END.match(c) for c in chunk) or not any(chunk):
            break
        repeated = chunk == header or is_header_row(chunk)
        if not repeated and seq_col is not None and chunk[seq_col] and not is_seq(chunk[seq_col]):
            break
        used += width
    return used


def blank_region(lines: list[str], start: int) -> tuple[int, int] | None:
    """(first line, end) of a blank-line table whose header starts at or just after ``start``."""
    probe = _tokens(lines, start, limit=_LOOKAHEAD)
    width = _header_width(probe)
    if width is None:
        return None
    tokens = _tokens(lines, start)
    header = [t.text for t in tokens[:width]]
    roles = row_roles(header)
    seq_col = roles.index("seq") if "seq" in roles else None
    used = _body_rows(tokens, width, seq_col, header)
    if used == width:
        return None
    return tokens[0].line, tokens[used - 1].end


_NAME_ROLES = ("indicator", "project_name", "task_name")


def group_columns(header: tuple[str, ...] | list[str]) -> int:
    """How many leading columns group the rows (领域, 任务, 序号, 类别: those before the name
    column), where a cell written once stands for the rows below it."""
    roles = row_roles(header)
    for col, role in enumerate(roles):
        if role in _NAME_ROLES:
            return col
    return roles.index("seq") + 1 if "seq" in roles else 0


def blank_rows(lines: list[str], first_line: int) -> list[ShapeRow]:
    tokens = _tokens(lines, 0)
    width = _header_width(tokens)
    if width is None:
        return []
    header = [t.text for t in tokens[:width]]
    roles = row_roles(header)
    seq_col = roles.index("seq") if "seq" in roles else None
    used = _body_rows(tokens, width, seq_col, header)
    rows: list[ShapeRow] = []
    above: list[str] = [""] * width
    for k in range(0, used, width):
        chunk = tokens[k : k + width]
        cells = tuple(t.text for t in chunk)
        merged = [False] * width
        if k and not is_header_row(cells):
            for col in range(group_columns(header)):
                merged[col] = not cells[col] and bool(above[col])
            above = [c or (a if m else "") for c, a, m in zip(cells, above, merged)]
        else:
            above = [""] * width
        line = next((t.line for t in chunk if t.text), chunk[0].line)
        rows.append(ShapeRow(cells, first_line + line + 1, tuple(merged)))
    return rows


def blank_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    return shape_table(blank_rows(lines, first_line), table_no, caption)
