"""Square up ragged rows into a grid.

Formats that lose a table's structure (text dumps, OCR) give rows of different
widths: a merged cell written once, a page break that cut a row's tail or head.
The number in the 序号 column is the anchor that tells where a short row belongs.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from planingest.core.records import Locator
from planingest.interpret.tables.headers import is_header_row, row_roles

_SEQ = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class RaggedRow:
    cells: tuple[str, ...]
    locator: Locator
    after_break: bool = False  # the row starts right after a page break (may miss leading cells)
    before_break: bool = False  # a page break cut the row (may miss trailing cells)


def is_seq(text: str) -> bool:
    return bool(_SEQ.match(text.strip()))


def _modal_width(rows: list[RaggedRow]) -> int:
    widths = Counter(
        len(r.cells) for r in rows if not r.after_break and not r.before_break and sum(1 for c in r.cells if c) >= 3
    )
    if not widths:  # rows with no text are dropped, so they must not set the width (0 would drop all text)
        widths = Counter(len(r.cells) for r in rows if any(r.cells))
    return widths.most_common(1)[0][0] if widths else 0


def _seq_column(header: tuple[str, ...] | None, rows: list[tuple[str, ...]], width: int) -> int | None:
    if header is not None:
        roles = row_roles(header)
        if "seq" in roles:
            return roles.index("seq")
    best, best_count = None, 2
    for col in range(min(width, 4)):
        values = [r[col] for r in rows if len(r) == width and col < len(r) and r[col]]
        count = sum(1 for v in values if is_seq(v))
        if values and count / len(values) >= 0.6 and count > best_count:
            best, best_count = col, count
    return best


def _fit(cells: tuple[str, ...], width: int, offset: int) -> tuple[str, ...]:
    row = [""] * width
    for i, text in enumerate(cells):
        j = i + offset
        if j < 0:
            continue
        if j >= width:
            row[width - 1] = "\n".join(x for x in (row[width - 1], text) if x)
        else:
            row[j] = text
    return tuple(row)


def align_rows(ragged: list[RaggedRow]) -> tuple[tuple[tuple[str, ...], ...], tuple[Locator, ...]]:
    """Return a rectangular grid (and a locator per row) from ragged rows."""
    headers = [r for r in ragged if is_header_row(r.cells)]
    header = headers[0].cells if headers else None
    body = [r for r in ragged if not is_header_row(r.cells)]
    width = max(len(header) if header else 0, _modal_width(body) if body else 0)
    header_offset = width - len(header) if header else 0
    padded_header = _fit(header, width, header_offset) if header else None
    seq_col = _seq_column(padded_header, [r.cells for r in body], width)
    grid: list[tuple[str, ...]] = []
    locators: list[Locator] = []
    for row in ragged:
        cells = row.cells
        if not any(cells):
            continue
        if is_header_row(cells):
            offset = width - len(cells)
        elif len(cells) == width:
            offset = 0
        else:
            offset = _offset_for(cells, width, seq_col, row.after_break)
        grid.append(_fit(cells, width, offset))
        locators.append(row.locator)
    return tuple(grid), tuple(locators)


def _offset_for(cells: tuple[str, ...], width: int, seq_col: int | None, after_break: bool) -> int:
    if seq_col is not None:
        for i, text in enumerate(cells[:4]):
            if is_seq(text):
                shift = seq_col - i
                if shift >= 0 and shift + len(cells) <= width + 1:
                    return shift
                break
    if after_break and len(cells) < width:
        return width - len(cells)
    return 0
