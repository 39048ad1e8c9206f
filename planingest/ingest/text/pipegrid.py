"""Rebuild a grid from ``a | b | c |`` rows of a saved web page.

Web exports break a table row across lines wherever a cell held a line break,
write merged cells once and pad rows with empty ``||`` cells.  So lines are not
rows: the text is read as one stream of cells, and where the header has a 序号
column, each row is anchored on its printed number (1, 2, 3 …) — the cells
before the number are the merged 领域/任务 cells that start a group.
"""
from __future__ import annotations

import re

from planingest.core.records import Locator, Table
from planingest.interpret.tables.align import is_seq
from planingest.interpret.tables.headers import grouped_columns, row_roles

_ENUMERATED_TASK = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def _cells_with_lines(lines: list[str], first_line: int) -> list[tuple[str, int]]:
    """The stream of cell texts, each with the 1-based line it starts on."""
    cells: list[tuple[str, int]] = []
    buffer: list[str] = []
    start = first_line + 1
    for index, line in enumerate(lines):
        parts = line.split("|")
        for k, part in enumerate(parts):
            if k > 0:
                cells.append(("\n".join(x.strip() for x in buffer if x.strip()), start))
                buffer = []
                start = first_line + index + 1
            if part.strip():
                if not buffer:
                    start = first_line + index + 1
                buffer.append(part)
    if any(x.strip() for x in buffer):
        cells.append(("\n".join(x.strip() for x in buffer if x.strip()), start))
    return cells


def _place_pre_cells(pre: list[str], pre_roles: list[str | None]) -> list[str]:
    """Put the cells found before a row's number into the 领域/任务 columns."""
    slots = [""] * len(pre_roles)
    if not slots:
        return slots
    if len(pre) >= len(slots):
        return pre[-len(slots):]
    for text in pre:
        role = "task" if _ENUMERATED_TASK.match(text.strip()) else "domain"
        if role in pre_roles:
            slots[pre_roles.index(role)] = text
        else:
            slots[len(slots) - 1] = text
    return slots


def _anchored_rows(stream: list[tuple[str, int]], roles: tuple[str | None, ...]) -> list[tuple[tuple[str, ...], int]]:
    seq_col = roles.index("seq")
    pre_roles = list(roles[:seq_col])
    n_after = len(roles) - seq_col - 1
    rows: list[tuple[tuple[str, ...], int]] = []
    pending: list[str] = []
    pending_line = None
    expected = None
    i = 0
    while i < len(stream):
        text, line = stream[i]
        if not text:
            i += 1
            continue
        if is_seq(text) and (expected is None or int(text) == expected or int(text) == 1):
            after = [t for t, _ in stream[i + 1 :] if t]
            # consume the next n_after non-empty cells
            taken, j = [], i + 1
            while j < len(stream) and len(taken) < n_after:
                if stream[j][0]:
                    taken.append(stream[j][0])
                j += 1
            if not after:
                break
            taken += [""] * (n_after - len(taken))
            row = tuple(_place_pre_cells(pending, pre_roles)) + (text,) + tuple(taken)
            rows.append((row, pending_line or line))
            pending, pending_line = [], None
            expected = int(text) + 1
            i = j
            continue
        if pending_line is None:
            pending_line = line
        pending.append(text)
        i += 1
    return rows


def _line_rows(lines: list[str], first_line: int, width: int) -> list[tuple[tuple[str, ...], int]]:
    rows = []
    for index, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if any(cells):
            cells = (cells + [""] * width)[:width]
            rows.append((tuple(cells), first_line + index + 1))
    return rows


def _sub_header(lines: list[str], header_cells: list[str]) -> tuple[str, ...] | None:
    """The line under the header when it is a sub-header row (the years under a group cell
    such as 现状值), its cells placed under the header's columns; None otherwise."""
    if len(lines) < 2:
        return None
    leading = lines[0].lstrip().startswith("|")
    line = lines[1].rstrip()
    cells = [c.strip() for c in (line[:-1] if line.endswith("|") else line).split("|")]
    if leading and cells and not cells[0]:
        cells = cells[1:]
    if len(cells) != len(header_cells) or grouped_columns(tuple(header_cells), tuple(cells)) is None:
        return None
    return tuple(cells)


def pipe_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    stream = _cells_with_lines(lines, first_line)
    header_cells: list[str] = []
    k = 0
    # the header is the first line's cells
    first_line_cells = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    header_cells = [c for c in first_line_cells]
    k = len([c for c in lines[0].split("|")]) - 1
    roles = row_roles(header_cells)
    sub = _sub_header(lines, header_cells)
    header_rows = [(tuple(header_cells), first_line + 1)]
    if sub is not None:  # 现状值 over 2021年 | 2022年 on the next line: a second header row
        header_rows.append((sub, first_line + 2))
        k += lines[1].count("|")
    body_stream = stream[k:]
    if "seq" in roles:
        body = _anchored_rows(body_stream, roles)
    else:
        body = _line_rows(lines[len(header_rows):], first_line + len(header_rows), len(header_cells))
    if not body:
        return None
    rows = header_rows + body
    locators = tuple(Locator(table=table_no, line=line) for _, line in rows)
    return Table(
        rows=tuple(r for r, _ in rows),
        locator=Locator(table=table_no, line=first_line + 1),
        row_locators=locators,
        caption=caption,
    )
