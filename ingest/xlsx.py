"""XLSX extractor: each non-empty sheet becomes one table grid.

openpyxl in normal (not read-only) mode, because only that mode exposes the
merged ranges, and number formats are needed to render values as the sheet
shows them (0.95 under a percent format is "95%", 1850.0 is "1850").
python-calamine reads faster but gives neither formats nor (in the version we
measured) merges, and a plan workbook is small, so fidelity wins.

Title rows above the header are kept as rows: the table logic finds the header.
Rows and columns with no text at all are dropped; row locators keep the real
sheet row numbers so a reviewer can find the row in Excel.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from pathlib import Path

from ingest.ooxml import Package
from planingest.errors import BadInputError
from planingest.records import ExtractedDocument, Locator, Table

#: a sheet with more cells than this is not a plan table (and would exhaust memory)
MAX_CELLS = 5_000_000

_DECIMALS = re.compile(r"\.([0#?]+)")
_FIXED = re.compile(r"^[#,0.?]+$")
_NOISE = re.compile(r'\[[^\]]*\]|"[^"]*"|\\.|[_*].|[ ()$¥€£+-]')


def _first_section(number_format: str) -> str:
    return (number_format or "General").split(";")[0]


def _decimals(section: str) -> int:
    match = _DECIMALS.search(section)
    return len(match.group(1)) if match else 0


def _general(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def render_number(value: float, number_format: str) -> str:
    """A number as Excel displays it under ``number_format`` (common formats only).

    Percent and fixed-decimal formats (with or without thousands separators)
    are honoured; everything else (currency words, fractions, scientific) is
    shown the way the General format would, which keeps the value exact.
    """
    section = _first_section(number_format)
    core = _NOISE.sub("", section)
    if "%" in core:
        return f"{value * 100:.{_decimals(core)}f}%"
    if core and core != "General" and _FIXED.match(core):
        decimals = _decimals(core)
        return f"{value:,.{decimals}f}" if "," in core else f"{value:.{decimals}f}"
    return _general(float(value))


def render(value, number_format: str = "General") -> str:
    """Cell value as text: numbers as shown, dates as ISO 8601, strings with line breaks as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return render_number(value, number_format)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def sheet_grid(cells: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]):
    """Grid of one sheet from its non-empty cells ``{(row, col): text}`` (1-based).

    ``merges`` are (min_row, min_col, max_row, max_col) ranges; each is filled
    with its top-left text, clipped to the area that holds text.  Returns the
    kept sheet row numbers and the rows.
    """
    if not cells:
        return (), ()
    top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    filled = dict(cells)
    for r1, c1, r2, c2 in merges:
        text = cells.get((r1, c1), "")
        if not text:
            continue
        for r in range(max(r1, top), min(r2, bottom) + 1):
            for c in range(max(c1, left), min(c2, right) + 1):
                filled[(r, c)] = text
    rows_used = sorted({r for r, _ in filled})
    cols_used = sorted({c for _, c in filled})
    if len(rows_used) * len(cols_used) > MAX_CELLS:
        raise BadInputError(f"a sheet with {len(rows_used)} rows x {len(cols_used)} columns is too large for a plan table")
    rows = tuple(tuple(filled.get((r, c), "") for c in cols_used) for r in rows_used)
    return tuple(rows_used), rows


def _open_workbook(data: bytes):
    import openpyxl

    Package(data, "Excel workbook (.xlsx)")  # empty / OLE-encrypted / not-a-zip / truncated checks
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
        except MemoryError:
            raise BadInputError("the workbook is too large to read") from None
        except Exception as exc:  # openpyxl reports damage as KeyError, ParseError, ValueError, ...
            raise BadInputError(f"damaged or unreadable workbook ({type(exc).__name__}: {exc})") from None


def _sheet_cells(ws) -> dict[tuple[int, int], str]:
    cells = {}
    # ws._cells holds only cells present in the file; iter_rows would walk the
    # declared dimension, which hostile files inflate to a million rows
    for (r, c), cell in ws._cells.items():
        text = render(cell.value, cell.number_format)
        if text:
            cells[(r, c)] = text
    return cells


def read_xlsx(data: bytes, file_format: str = "xlsx") -> ExtractedDocument:
    wb = _open_workbook(data)
    blocks = []
    try:
        for ws in wb.worksheets:
            merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            row_numbers, rows = sheet_grid(_sheet_cells(ws), merges)
            if not rows:
                continue
            number = len(blocks) + 1
            blocks.append(Table(
                rows=rows,
                locator=Locator(sheet=ws.title, table=number),
                row_locators=tuple(Locator(sheet=ws.title, table=number, row=r) for r in row_numbers),
            ))
    finally:
        wb.close()
    return ExtractedDocument(file_format=file_format, blocks=tuple(blocks))


class XlsxExtractor:
    formats = ("xlsx",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_xlsx(data, file_format)


EXTRACTOR = XlsxExtractor()
