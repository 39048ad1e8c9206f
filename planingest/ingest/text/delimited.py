"""CSV and TSV: tables saved as delimited text, as files of their own or as a run of lines in a text.

Files come from Excel ("save as CSV", in GBK on a Chinese Windows, UTF-8 with a
BOM from newer versions), from statistics systems and from people: a title row
above the header (``靖州县…分解表,,,,,``), several tables one after the other
told apart by blank rows or a new title row, cells wrapped inside quotes.

The dialect is the standard :class:`csv.Sniffer`'s (delimiter and quoting);
whether records are a table is the header vocabulary's call: records before a
recognised header are titles or prose, and a table ends at a blank record or at
a record with a single filled cell followed by a new header.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from planingest.core.records import Block, ExtractedDocument, Locator, Paragraph, Table
from planingest.ingest.text.decode import decode_text
from planingest.ingest.text.gridtable import ShapeRow, shape_table
from planingest.interpret.tables.headers import is_header_row

_DELIMITERS = ",\t;"
#: a .txt (or unnamed) file is called CSV/TSV only when this many records agree on their width
_MIN_RECORDS_WITHOUT_EXTENSION = 5


def sniff_dialect(text: str) -> type[csv.Dialect] | None:
    """The dialect of delimited ``text``, or None when it does not look delimited."""
    sample = "\n".join(line for line in text[:65536].splitlines()[:200] if line.strip())
    if not sample:
        return None
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return None
    return dialect


def _records(text: str, dialect: type[csv.Dialect] | str) -> list[tuple[list[str], int]]:
    """Records with the 1-based line each starts on (blank records kept as [])."""
    reader = csv.reader(io.StringIO(text), dialect)
    out = []
    line = 1
    try:
        for record in reader:
            out.append(([c.strip() for c in record] if any(c.strip() for c in record) else [], line))
            line = reader.line_num + 1
    except csv.Error:
        pass  # an unterminated quote at the end: keep what was read
    return out


def delimited_format(text: str, suffix: str) -> str | None:
    """``csv`` or ``tsv`` when ``text`` is delimited records, else None.

    The content decides; the extension breaks the tie: a .csv/.tsv needs two records
    with two filled cells, any other name five and most of its records delimited
    (prose around a table is a text, whose reader finds the table); and most records
    must be as wide as the one before them (a title row padded with delimiters
    counts, prose with a stray comma does not; tables of different widths one after
    the other do).
    """
    dialect = sniff_dialect(text)
    if dialect is None or dialect.delimiter not in ",\t":
        return None
    records = [r for r, _ in _records(text[:65536], dialect)[:200] if r]
    if len(records) < 2:
        return None
    # several tables may differ in width, so a record is judged against the one before it
    agreeing = sum(1 for a, b in zip(records, records[1:]) if len(a) == len(b))
    filled = sum(1 for r in records if len(r) >= 2 and sum(1 for c in r if c) >= 2)
    named = suffix in ("csv", "tsv")
    needed = 2 if named else _MIN_RECORDS_WITHOUT_EXTENSION
    if filled < needed or agreeing < 0.8 * (len(records) - 1):
        return None
    if not named and sum(1 for r in records if len(r) >= 2) < 0.8 * len(records):
        return None  # a text with prose around a delimited table: the text reader finds the table
    return "tsv" if dialect.delimiter == "\t" else "csv"


def _title(record: list[str]) -> str | None:
    """The text of a title or note row: only its first cell is filled (a sub-row that fills only
    its name column is a row of the table, not a title)."""
    return record[0] if record and record[0] and not any(record[1:]) else None


def record_blocks(records: list[tuple[list[str], int]], first_table: int = 1) -> list[Block]:
    """Paragraphs and tables of delimited records, in order."""
    blocks: list[Block] = []
    table_no = first_table - 1
    i = 0
    caption: str | None = None
    while i < len(records):
        record, line = records[i]
        if record and is_header_row(record):
            end = i + 1
            while end < len(records) and records[end][0] and not (
                _title(records[end][0]) and end + 1 < len(records) and is_header_row(records[end + 1][0])
            ) and not (end > i + 1 and is_header_row(records[end][0]) and records[end][0] != record):
                end += 1
            table_no += 1
            rows = [ShapeRow(tuple(r), n) for r, n in records[i:end]]
            table = shape_table(rows, table_no, caption)
            if table is not None:
                blocks.append(table)
            caption = None
            i = end
            continue
        if record:
            text = _title(record) or " ".join(c for c in record if c)
            blocks.append(Paragraph(text, Locator(line=line)))
            caption = text
        i += 1
    return blocks


def delimited_table(lines: list[str], first_line: int, table_no: int, caption: str | None) -> Table | None:
    """The table of a run of delimited lines inside a text (header first)."""
    text = "\n".join(lines)
    dialect = sniff_dialect(text)
    delimiter = dialect.delimiter if dialect is not None else ("\t" if "\t" in lines[0] else ",")
    records = [(r, n + first_line) for r, n in _records(text, _plain(delimiter))]
    header = records[0][0] if records else []
    rows = [ShapeRow(tuple(r), n) for r, n in records if r]
    if not header or not is_header_row(header):
        return None
    return shape_table(rows, table_no, caption)


def _plain(delimiter: str) -> type[csv.Dialect]:
    return type("Plain", (csv.excel,), {"delimiter": delimiter})


def starts_delimited_table(line: str) -> str | None:
    """The delimiter of ``line`` when it is a delimited header row (three or more named cells)."""
    for delimiter in ("\t", ","):
        if line.count(delimiter) >= 2:
            cells = next(csv.reader([line], _plain(delimiter)), [])
            if is_header_row([c.strip() for c in cells]):
                return delimiter
    return None


def delimited_region_end(lines: list[str], start: int, delimiter: str) -> int:
    """Index after the last line of the delimited run starting at ``start`` (quoted cells may wrap)."""
    end = start + 1
    quoted = False
    for k in range(start + 1, len(lines)):
        line = lines[k]
        if not quoted and delimiter not in line:
            break
        quoted ^= line.count('"') % 2 == 1
        end = k + 1
    return end


class DelimitedExtractor:
    """CSV and TSV files: their records as paragraphs (titles, notes) and tables."""

    formats = ("csv", "tsv")

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        text = decode_text(data).lstrip("\ufeff")
        dialect = sniff_dialect(text)
        if dialect is None:
            dialect = _plain("\t" if file_format == "tsv" else ",")
        return ExtractedDocument(file_format=file_format, blocks=tuple(record_blocks(_records(text, dialect))))


EXTRACTOR = DelimitedExtractor()
