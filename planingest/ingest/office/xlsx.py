"""XLSX extractor: each non-empty sheet becomes one table grid.

openpyxl renders values with their number formats (0.95 under a percent
format is "95%", 1850.0 is "1850", dates are ISO).  It runs in read-only
(streaming) mode and the merged ranges are read from the sheet XML here,
because openpyxl's normal mode spends minutes building MergedCell objects for
a sheet with many merges.  python-calamine 0.9 was measured 15x faster (5,000
rows: 0.12 s against 1.9 s) and has merges, but gives no number formats, so
0.95 in a percent cell would reach the value parser as 0.95 instead of 95%:
fidelity wins, and plan workbooks are small.

Title rows above the header are kept as rows: the table logic finds the header.
Rows and columns with no text at all are dropped; row locators keep the real
sheet row numbers so a reviewer can find the row in Excel.  Strict Open XML
workbooks (which openpyxl reads as empty) go through LibreOffice.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from planingest.core.errors import BadInputError
from planingest.core.records import ExtractedDocument, Locator, Table
from planingest.ingest.office.libreoffice import convert
from planingest.ingest.office.ooxml import Package
from planingest.ingest.zipparts import out_of_memory

#: a sheet with more cells than this is not a plan table (and would exhaust memory)
MAX_CELLS = 5_000_000
#: more text than this in one workbook is a decompression bomb, not a plan
MAX_TEXT_CHARS = 50_000_000

_WHAT = "Excel workbook (.xlsx)"

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
        # an integer typed into a formatted cell (1 under 0% is "100%") is shown by its format too
        if abs(value) < 1e15 and _first_section(number_format) != "General":
            return render_number(float(value), number_format)
        return str(value)
    if isinstance(value, float):
        return render_number(value, number_format)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def sheet_grid(cells: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]],
               hidden_cols: frozenset[int] = frozenset()):
    """Grid of one sheet from its non-empty cells ``{(row, col): text}`` (1-based).

    ``merges`` are (min_row, min_col, max_row, max_col) ranges; each is filled
    with its top-left text (hiding values under it, as Excel does), clipped to
    the area that holds text.  ``hidden_cols`` are left out: a column the sender
    hid (working notes, last year's figures) is not part of the table they show.
    Returns the kept sheet row numbers, the rows, and per position whether it is
    a merge continuation.
    """
    if not cells:
        return (), (), ()
    top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    filled = dict(cells)
    continued = set()
    for r1, c1, r2, c2 in merges:
        text = cells.get((r1, c1), "")
        for r in range(max(r1, top), min(r2, bottom) + 1):
            for c in range(max(c1, left), min(c2, right) + 1):
                if (r, c) == (r1, c1):
                    continue
                continued.add((r, c))
                if text:
                    filled[(r, c)] = text
                else:
                    filled.pop((r, c), None)
    filled = {(r, c): text for (r, c), text in filled.items() if c not in hidden_cols}
    rows_used = sorted({r for r, _ in filled})
    cols_used = sorted({c for _, c in filled})
    if len(rows_used) * len(cols_used) > MAX_CELLS:
        raise BadInputError(f"a sheet with {len(rows_used)} rows x {len(cols_used)} columns is too large for a plan table")
    rows = tuple(tuple(filled.get((r, c), "") for c in cols_used) for r in rows_used)
    merged = tuple(tuple((r, c) in continued for c in cols_used) for r in rows_used)
    return tuple(rows_used), rows, merged


def _open_workbook(data: bytes):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except MemoryError:
            raise  # the worker's limit (--memory-mb), never the file's verdict
        except Exception as exc:  # openpyxl reports damage as KeyError, ParseError, ValueError, ...
            if isinstance(exc, etree.XMLSyntaxError) and out_of_memory(exc):
                raise MemoryError(str(exc)) from None
            raise BadInputError(f"damaged or unreadable workbook ({type(exc).__name__}: {exc})") from None


def _sheet_parts(pkg: Package, workbook: str, root) -> dict[str, str]:
    """Sheet name -> worksheet part name, from workbook.xml and its relationships."""
    targets = pkg.relationship_targets(workbook)
    parts = {}
    for el in root.iter("{*}sheet"):
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
        if el.get("name") is not None and rid in targets:
            parts[el.get("name")] = targets[rid]
    return parts


#: a hidden ``<col>`` run wider than this hides the empty sheet right of the table (``min=10 max=16384``):
#: it holds no text, and expanding it would cost more than it tells
_MAX_HIDDEN_RUN = 1_000


def _hidden(el) -> bool:
    return (el.get("hidden") or "").lower() in ("1", "true")


def _layout(pkg: Package, part: str | None) -> tuple[list[tuple[int, int, int, int]], frozenset[int]]:
    """Merged ranges (from ``<mergeCells>``) and hidden column numbers (from ``<cols>``) of a
    worksheet part, in one streamed pass."""
    from openpyxl.utils.cell import range_boundaries

    if part is None or part not in pkg.names:
        return [], frozenset()
    merges, hidden = [], set()
    for _, el in pkg.iterparse(part, ("mergeCell", "col")):
        if etree.QName(el).localname == "col":
            first, last = _int(el.get("min")), _int(el.get("max"))
            if _hidden(el) and first and last and 0 <= last - first < _MAX_HIDDEN_RUN:
                hidden.update(range(first, last + 1))
            el.clear()
            continue
        try:
            c1, r1, c2, r2 = range_boundaries(el.get("ref") or "")
        except (ValueError, TypeError):
            continue
        if None not in (c1, r1, c2, r2):
            merges.append((r1, c1, r2, c2))
        el.clear()
    return merges, frozenset(hidden)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _number_format(cell) -> str:
    """The cell's number format; General when its style cannot be looked up.

    openpyxl finds the styles part only at its usual place: a valid package
    that keeps it elsewhere (calamine's minimal package) leaves style ids
    pointing into an empty list.  Such a cell is still worth its value.
    """
    try:
        return cell.number_format
    except (IndexError, KeyError, AttributeError):
        return "General"


def _sheet_cells(ws, budget: list[int]) -> dict[tuple[int, int], str]:
    """Rendered non-empty cells of a read-only sheet; ``budget`` caps the total text."""
    ws.reset_dimensions()  # a declared dimension may be inflated to a million rows
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = render(cell.value, _number_format(cell))
            if text:
                budget[0] -= len(text)
                if budget[0] < 0:
                    raise BadInputError(
                        f"the workbook holds more than {MAX_TEXT_CHARS} characters of text: not a plan (a decompression bomb?)"
                    )
                cells[(cell.row, cell.column)] = text
    return cells


def _via_libreoffice(data: bytes, file_format: str) -> ExtractedDocument:
    """Strict Open XML workbooks: openpyxl reads them as empty, LibreOffice converts them."""
    converted = convert(data, "xlsx", "xlsx", "libreoffice-calc")
    pkg = Package(converted, _WHAT)
    if _is_strict(pkg.xml(pkg.main_part("xl/workbook.xml"))):
        raise BadInputError("a Strict Open XML workbook that LibreOffice could not convert")
    return read_xlsx(converted, file_format)


def _is_strict(workbook_root) -> bool:
    return (etree.QName(workbook_root).namespace or "").startswith("http://purl.oclc.org/")


def read_xlsx(data: bytes, file_format: str = "xlsx") -> ExtractedDocument:
    """Extract an XLSX held in ``data``; raise BadInputError (or a subclass) for unreadable files."""
    pkg = Package(data, _WHAT)  # empty / OLE-encrypted / not-a-zip / truncated checks
    main = pkg.main_part("xl/workbook.xml")
    root = pkg.xml(main)
    if _is_strict(root):
        return _via_libreoffice(data, file_format)
    parts = _sheet_parts(pkg, main, root)
    wb = _open_workbook(data)
    blocks = []
    budget = [MAX_TEXT_CHARS]
    try:
        for ws in wb.worksheets:
            merges, hidden_cols = _layout(pkg, parts.get(ws.title))
            row_numbers, rows, merged = sheet_grid(_sheet_cells(ws, budget), merges, hidden_cols)
            if not rows:
                continue
            number = len(blocks) + 1
            blocks.append(Table(
                rows=rows,
                locator=Locator(sheet=ws.title, table=number),
                row_locators=tuple(Locator(sheet=ws.title, table=number, row=r) for r in row_numbers),
                merged=merged,
            ))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, EOFError, zipfile.BadZipFile,
            zlib.error, etree.XMLSyntaxError, SyntaxError) as exc:
        # openpyxl parses sheets lazily in read-only mode, so damage surfaces here
        if isinstance(exc, etree.XMLSyntaxError) and out_of_memory(exc):
            raise MemoryError(str(exc)) from None
        raise BadInputError(f"damaged worksheet ({type(exc).__name__}: {exc})") from None
    finally:
        wb.close()
    return ExtractedDocument(file_format=file_format, blocks=tuple(blocks))


class XlsxExtractor:
    formats = ("xlsx",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_xlsx(data, file_format)


EXTRACTOR = XlsxExtractor()
