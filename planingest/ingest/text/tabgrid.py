"""Rebuild a grid from a cell-per-line text dump of a Word table.

The dump writes each cell as a line starting with a tab; a cell's further
paragraphs follow on lines without the tab (wrapped text, vertical text, blank
paragraphs used for centring).  A blank line followed by a new cell ends a row.
A line that starts with a space marks a page break: the row before it lost its
trailing cells and the row after it may have lost its leading ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from planingest.core.records import Locator, Table
from planingest.interpret.tables.align import RaggedRow, align_rows

_CELL_START = re.compile(r"^( *)\t")


@dataclass
class _Row:
    line: int
    cells: list[str] = field(default_factory=list)
    after_break: bool = False
    before_break: bool = False


def tokenise_rows(lines: list[str], first_line: int) -> list[RaggedRow]:
    """Split dump lines into rows of cells (ragged: widths differ where a page break cut a row)."""
    rows: list[_Row] = []
    current: _Row | None = None
    blank_before = False

    def new_row(index: int, after_break: bool = False) -> _Row:
        nonlocal current
        if current is not None and current.cells:
            rows.append(current)
        current = _Row(line=first_line + index + 1, after_break=after_break)
        return current

    for index, line in enumerate(lines):
        if not line.strip(" \u3000"):
            blank_before = True
            if current is not None and current.cells and line == "":
                current.cells[-1] += "\n"
            continue
        cell_start = _CELL_START.match(line)
        page_break = line.startswith(" ") and (cell_start is None or bool(cell_start.group(1)))
        if page_break:
            if current is not None:
                current.before_break = True
            row = new_row(index, after_break=True)
            row.cells.append(line.split("\t", 1)[1] if cell_start else line.strip())
        elif cell_start:
            if current is None or (blank_before and current.cells):
                new_row(index)
            assert current is not None
            current.cells.append(line[cell_start.end():])
        else:
            if current is None:
                new_row(index)
            assert current is not None
            if current.cells:
                current.cells[-1] += "\n" + line
            else:
                current.cells.append(line)
        blank_before = False
    if current is not None and current.cells:
        rows.append(current)
    return [
        RaggedRow(tuple(_clean_cell(c) for c in r.cells), Locator(line=r.line), r.after_break, r.before_break)
        for r in rows
    ]


def _clean_cell(text: str) -> str:
    """Cell text with its centring blank lines and stray tabs removed, inner newlines kept."""
    lines = [x.replace("\t", " ").strip() for x in text.split("\n")]
    return "\n".join(x for x in lines if x)


def tab_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    ragged = tokenise_rows(lines, first_line)
    if not ragged:
        return None
    grid, locators = align_rows(ragged)
    if not grid:
        return None
    locators = tuple(loc.with_(table=table_no) for loc in locators)
    return Table(rows=grid, locator=Locator(table=table_no, line=first_line + 1), row_locators=locators, caption=caption)
