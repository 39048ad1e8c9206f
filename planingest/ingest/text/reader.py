"""Plain text: pasted notices, saved web pages, and text dumps of DOCX/PDF originals.

Table layouts that survive in text are rebuilt into grids here:

* cell-per-line dumps of Word tables (:mod:`planingest.ingest.text.tabgrid`): every cell starts on a
  tab-indented line, wrapped cell text continues on unindented lines, rows end at a
  blank line, and a line starting with a space marks a page break;
* ``a | b | c |`` rows of web pages (:mod:`planingest.ingest.text.pipegrid`), with rows broken across lines;
* the shapes of :mod:`planingest.ingest.text.shapes`, found first: box-drawn grids, one cell per
  paragraph between blank lines, space-aligned columns, tab- or comma-separated rows.

Everything else is prose, one :class:`Paragraph` per line, cleaned of conversion debris.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planingest.core.enums import IssueCode
from planingest.core.records import Block, ExtractedDocument, Issue, Locator, Paragraph
from planingest.core.text import clean_prose, count_cjk_spaces, is_web_junk, latex_to_text, strip_markup
from planingest.ingest.text.decode import decode_text_noting
from planingest.ingest.text.gridtable import TABLE_END
from planingest.ingest.text.pipegrid import pipe_table
from planingest.ingest.text.shapes import BUILDERS, find_shape
from planingest.ingest.text.tabgrid import tab_table
from planingest.interpret.tables.headers import find_header

_TAB_LINE = re.compile(r"^ *\t")
_TERMINATOR = TABLE_END  # lines that end a table region (shared with the other text shapes)


def is_tab_line(line: str) -> bool:
    return bool(_TAB_LINE.match(line))


def _pipe_count(line: str) -> int:
    return line.count("|")


@dataclass(frozen=True)
class Region:
    kind: str  # prose · tab · pipe · box · delimited · aligned · blank (text.shapes)
    start: int  # index of first line
    end: int  # index after last line


def _tab_region_end(lines: list[str], start: int) -> int:
    """Index after the last line of the tab-dump table starting at ``start``."""
    last_tab = start
    i = start + 1
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if is_tab_line(line):
            if _TERMINATOR.match(stripped) and not line.startswith("\t"):
                break
            last_tab = i
        elif stripped:
            if _TERMINATOR.match(stripped):
                break
            # a prose-like line after a blank, with no cell line soon after: prose again
            # (short lines are fragments of vertical or wrapped cell text)
            if not lines[i - 1].strip():
                window = 12 if len(stripped) > 12 else 40
                if not any(is_tab_line(x) for x in lines[i + 1 : i + window]):
                    break
        i += 1
    # keep continuation lines of the last cell (up to the next blank or terminator)
    end = last_tab + 1
    while end < i and lines[end].strip() and not _TERMINATOR.match(lines[end].strip()):
        if not lines[end].startswith(" ") or is_tab_line(lines[end]):
            end += 1
        else:
            break
    return end


def _pipe_region_end(lines: list[str], start: int) -> int:
    last = start
    i = start + 1
    while i < len(lines):
        if _pipe_count(lines[i]) >= 1:
            last = i
        elif not any(_pipe_count(x) >= 1 for x in lines[i + 1 : i + 4]) or _next_is_header(lines, i):
            break  # prose, or a heading before a table of its own (its header row next)
        i += 1
    return last + 1


def _next_is_header(lines: list[str], i: int) -> bool:
    """Whether the first pipe line after the text line ``i`` is a table header of its own."""
    if not lines[i].strip():
        return False
    ahead = [k for k in range(i + 1, min(i + 4, len(lines))) if _pipe_count(lines[k]) >= 1]
    if not ahead:
        return False
    rows = [tuple(c.strip() for c in x.rstrip().removesuffix("|").split("|")) for x in lines[ahead[0]:ahead[0] + 2]]
    header = find_header(rows, max_scan=1)  # a header row, or a header split over two lines
    return header is not None


def split_regions(lines: list[str]) -> list[Region]:
    regions: list[Region] = []
    i = 0
    prose_start = 0
    while i < len(lines):
        line = lines[i]
        kind = None
        start = i
        shape = find_shape(lines, i, prose_start)
        if shape is not None:
            kind, start, end = shape
        elif is_tab_line(line) and line.strip():
            kind, end = "tab", _tab_region_end(lines, i)
        elif is_tab_line(line) and any(is_tab_line(x) and x.strip() for x in lines[i + 1 : i + 12]):
            kind, end = "tab", _tab_region_end(lines, i)
        elif _pipe_count(line) >= 3:
            kind, end = "pipe", _pipe_region_end(lines, i)
        if kind is None:
            i += 1
            continue
        if prose_start < start:
            regions.append(Region("prose", prose_start, start))
        regions.append(Region(kind, start, end))
        i = prose_start = end
    if prose_start < len(lines):
        regions.append(Region("prose", prose_start, len(lines)))
    return regions


def _drop_trailing_junk(lines: list[str]) -> list[str]:
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or is_web_junk(lines[end - 1])):
        end -= 1
    return lines[:end]


def text_blocks(text: str) -> list[Block]:
    """Paragraphs and tables of a text, in reading order."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _drop_trailing_junk([latex_to_text(strip_markup(x)) for x in raw_lines])
    regions = split_regions(lines)
    prose_text = "\n".join(lines[k] for r in regions if r.kind == "prose" for k in range(r.start, r.end))
    damaged = count_cjk_spaces(prose_text) >= 3
    blocks: list[Block] = []
    table_no = 0
    caption = None
    for region in regions:
        if region.kind == "prose":
            for index in range(region.start, region.end):
                cleaned = clean_prose(lines[index], damaged)
                if cleaned and not is_web_junk(cleaned):
                    blocks.append(Paragraph(cleaned, Locator(line=index + 1)))
                    caption = cleaned
            continue
        table_no += 1
        build = {"tab": tab_table, "pipe": pipe_table}.get(region.kind) or BUILDERS[region.kind]
        table = build(lines[region.start : region.end], region.start, table_no, caption)
        if table is not None:
            blocks.append(table)
        else:  # cells that form no table (a site's metadata block, a title padded with ||): still text
            table_no -= 1
            for index in range(region.start, region.end):
                cleaned = clean_prose(lines[index], damaged)
                if cleaned and not is_web_junk(cleaned):
                    blocks.append(Paragraph(cleaned, Locator(line=index + 1)))
        caption = None
    return blocks


class TextExtractor:
    formats = ("txt",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        text, note = decode_text_noting(data)
        issues = (Issue(IssueCode.MIXED_ENCODING, note),) if note else ()
        return ExtractedDocument(file_format=file_format, blocks=tuple(text_blocks(text)), issues=issues)


EXTRACTOR = TextExtractor()
