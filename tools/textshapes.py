"""Write a table grid in the text shapes people paste: box-drawn, blank-line cells, space-aligned, delimited.

The renderers are the inverse of the readers in ``planingest/ingest/text`` and are shared by
tools/render_text_shapes.py (the committed samples) and tests/test_text_shapes.py (the
property test), so both exercise exactly the layouts described here:

* ``box``: ┌─┬─┐ grid, CJK characters two columns wide; a wrapped cell is several lines of
  its row; an empty cell under a filled one in the group columns (领域, 任务, 序号: those
  before the name column) continues that cell, so the ─ between them is left out;
* ``blank``: each cell a paragraph followed by a blank line, an empty cell an empty paragraph;
* ``aligned``: ``pdftotext -layout`` look: columns padded to display width, headers centred,
  rows separated by a blank line, wrapped cells on the following lines of their column,
  a page-number footer (— n —) before every header row the grid repeats (a page break);
  ``dense``: no blank lines, cells wrapped where they fill their column (:func:`wrap_rows`);
* ``csv``/``tsv``: a title row, then header and rows, cells with line breaks quoted.
"""
from __future__ import annotations

import csv
import io

from planingest.ingest.text.blankgrid import group_columns
from planingest.ingest.text.columns import display_width, pad
from planingest.interpret.tables.headers import is_header_row

_JUNCTION = {  # (up, down, left, right) -> box character
    (True, True, True, True): "┼", (True, True, False, True): "├", (True, True, True, False): "┤",
    (True, True, False, False): "│", (False, True, True, True): "┬", (True, False, True, True): "┴",
    (False, True, False, True): "┌", (False, True, True, False): "┐", (True, False, False, True): "└",
    (True, False, True, False): "┘", (False, False, True, True): "─", (False, False, True, False): "─",
    (False, False, False, True): "─",
}


def continuations(rows: list[tuple[str, ...]]) -> list[list[bool]]:
    """Per cell, True where an empty group cell continues the filled one above it (a vertical merge)."""
    groups = group_columns(rows[0]) if rows else 0
    out, above = [], [False] * (len(rows[0]) if rows else 0)
    for index, row in enumerate(rows):
        header = index == 0 or is_header_row(row)
        flags = [not header and col < groups and not text and above[col] for col, text in enumerate(row)]
        above = [False if header else bool(text) or flag for text, flag in zip(row, flags)]
        out.append(flags)
    return out


def _cell_lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _widths(rows: list[tuple[str, ...]]) -> list[int]:
    width = len(rows[0])
    return [max([2] + [display_width(x) for r in rows for x in _cell_lines(r[c])]) for c in range(width)]


def render_box(rows: list[tuple[str, ...]]) -> list[str]:
    widths = _widths(rows)
    merged = continuations(rows)
    n = len(widths)

    def border(ruled: list[bool], up: bool, down: bool) -> str:
        chars = []
        for c in range(n + 1):
            left = c > 0 and ruled[c - 1]
            right = c < n and ruled[c]
            chars.append(_JUNCTION.get((up, down, left, right), "│"))
            if c < n:
                chars.append(("─" if ruled[c] else " ") * (widths[c] + 2))
        return "".join(chars)

    out = [border([True] * n, False, True)]
    for index, row in enumerate(rows):
        height = max([1] + [len(_cell_lines(t)) for t in row])
        for k in range(height):
            parts = []
            for c, text in enumerate(row):
                lines = _cell_lines(text)
                parts.append(" " + pad(lines[k] if k < len(lines) else "", widths[c]) + " ")
            out.append("│" + "│".join(parts) + "│")
        if index + 1 < len(rows):
            out.append(border([not m for m in merged[index + 1]], True, True))
    out.append(border([True] * n, True, False))
    return out


def render_blank(rows: list[tuple[str, ...]]) -> list[str]:
    cells = [text for row in rows for text in row]
    return "\n\n".join(cells).split("\n")


def wrap_cell(text: str, width: int) -> str:
    """``text`` re-wrapped the way a layout engine fills a column ``width`` display columns wide."""
    lines, line = [], ""
    for char in text.replace("\n", ""):
        if line and display_width(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return "\n".join(lines + [line] if line else lines)


def wrap_rows(rows: list[tuple[str, ...]], width: int) -> list[tuple[str, ...]]:
    """Body cells re-wrapped at ``width`` (the header keeps its own lines)."""
    return [rows[0]] + [tuple(wrap_cell(text, width) for text in row) for row in rows[1:]]


def render_aligned(rows: list[tuple[str, ...]], indent: int = 4, gap: int = 3, first_page: int = 1,
                   dense: bool = False) -> list[str]:
    """Aligned columns; ``dense``: no blank line between rows (cells should fill their column
    where they wrap, as :func:`wrap_rows` makes them)."""
    widths = _widths(rows)
    out: list[str] = []
    page = first_page
    for index, row in enumerate(rows):
        header = index == 0 or is_header_row(row)
        if header and index:
            out += ["", pad(f"— {page} —", sum(widths) + gap * len(widths), "centre").rstrip()]
            page += 1
        if index and not dense:
            out.append("")
        height = max([1] + [len(_cell_lines(t)) for t in row])
        for k in range(height):
            parts = []
            for c, text in enumerate(row):
                lines = _cell_lines(text)
                parts.append(pad(lines[k] if k < len(lines) else "", widths[c], "centre" if header else "left"))
            out.append((" " * indent + (" " * gap).join(parts)).rstrip())
    return out


def render_delimited(rows: list[tuple[str, ...]], delimiter: str = ",", title: str | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow([title] + [""] * (len(rows[0]) - 1))
    writer.writerows(rows)
    return buffer.getvalue()


RENDERERS = {"box": render_box, "blank": render_blank, "aligned": render_aligned,
             "dense": lambda rows: render_aligned(rows, dense=True)}
