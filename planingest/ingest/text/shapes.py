"""Which table shape starts at a line of a text, and where it ends.

A text can hold prose, then a box-drawn table, then a table copied cell by cell
with blank lines, then space-aligned columns: shapes are found per region, by
content.  Each finder is cheap on ordinary lines (a first-character or
header-word test) and asks the header vocabulary before claiming a region, so a
paragraph that happens to hold tabs or runs of spaces stays prose.  Box-drawn
regions are tables whatever their header says (a page-split table's second half
has none; the table logic decides whether it continues a table of interest).
"""
from __future__ import annotations

from collections.abc import Callable

from planingest.core.records import Table
from planingest.ingest.text.aligned import aligned_region_end, aligned_table, is_aligned_table, starts_aligned_table
from planingest.ingest.text.blankgrid import blank_region, blank_table, starts_blank_table
from planingest.ingest.text.boxgrid import box_region_end, box_table, is_box_line
from planingest.ingest.text.delimited import delimited_region_end, delimited_table, starts_delimited_table

TableBuilder = Callable[[list[str], int, int, str | None], Table | None]

#: region kind -> the function that rebuilds its grid (lines, index of first line, table number, caption)
BUILDERS: dict[str, TableBuilder] = {
    "box": box_table,
    "delimited": delimited_table,
    "aligned": aligned_table,
    "blank": blank_table,
}


def find_shape(lines: list[str], index: int, earliest: int) -> tuple[str, int, int] | None:
    """(kind, start, end) of a table region found at ``lines[index]``; ``start`` may reach back to
    ``earliest`` over blank lines that are empty header cells of a blank-line table."""
    line = lines[index]
    if not line.strip():
        return None
    if is_box_line(line):
        end = box_region_end(lines, index)
        if end - index >= 3:
            return "box", index, end
    delimiter = starts_delimited_table(line)
    if delimiter is not None:
        end = delimited_region_end(lines, index, delimiter)
        if end - index >= 2:
            return "delimited", index, end
    if starts_aligned_table(line):
        end = aligned_region_end(lines, index)
        if end - index >= 2 and is_aligned_table(lines[index:end]):
            return "aligned", index, end
    if starts_blank_table(lines, index):
        # blank-line pairs before the header (after the one that ends the paragraph above) are
        # its empty leading cells
        start = index
        while start > earliest and not lines[start - 1].strip():
            start -= 1
        if start > 0 and lines[start - 1].strip():
            start = min(start + 1, index)
        region = blank_region(lines, start)
        if region is not None:
            return "blank", region[0] if region[0] >= start else start, region[1]
    return None
