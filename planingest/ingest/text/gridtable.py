"""Grids rebuilt from any text shape become one :class:`Table`, the way every format hands them on.

Each shape reader (box grids, blank-line dumps, space-aligned columns, delimited
rows) produces rows of cell texts with the line each starts on and, where the
shape shows merges, a flag per cell.  Rows of unequal width are squared up by
:func:`planingest.interpret.tables.align.align_rows` (anchored on 序号); merge flags
are kept only when no row had to be moved, so a flag always sits on its own cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.core.records import Locator, Table
from planingest.interpret.tables.align import RaggedRow, align_rows

#: lines that end a table in any text shape: a level-1 heading, a note, an attachment mark, a caption
TABLE_END = re.compile(r"^(?:[一二三四五六七八九十]+、|注[:：]|附(?:表|件)\s*\d*|.{2,60}(?:一览表|分解表|清单|情况表)$)")


@dataclass(frozen=True)
class ShapeRow:
    """One row as a shape gives it: cell texts (wrapped lines joined by \\n), its first line, merges."""

    cells: tuple[str, ...]
    line: int  # 1-based line of the source text
    merged: tuple[bool, ...] = ()


def shape_table(rows: list[ShapeRow], table_no: int, caption: str | None) -> Table | None:
    """The :class:`Table` of ``rows``, or None when they hold no text."""
    rows = [r for r in rows if any(c.strip() for c in r.cells)]
    if not rows:
        return None
    ragged = [RaggedRow(r.cells, Locator(line=r.line)) for r in rows]
    grid, locators = align_rows(ragged)
    if not grid:
        return None
    width = len(grid[0])
    merged: tuple[tuple[bool, ...], ...] = ()
    if any(any(r.merged) for r in rows) and all(len(r.cells) == width for r in rows):
        merged = tuple(tuple(r.merged) if len(r.merged) == width else (False,) * width for r in rows)
    return Table(
        rows=grid,
        locator=Locator(table=table_no, line=rows[0].line),
        row_locators=tuple(loc.with_(table=table_no) for loc in locators),
        caption=caption,
        merged=merged,
    )
