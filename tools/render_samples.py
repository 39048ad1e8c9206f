"""Render realistic DOCX, XLSX, PDF and scanned-PDF samples from the seed text documents.

The seeds (samples/00*.txt) are text dumps of DOCX/PDF originals we do not have.  Users
submit mostly DOCX and PDF, so this script rebuilds those forms from the seeds' own
grids (``ingest.text.text_blocks``), with the layouts real offices use: vertically
merged 领域/任务 cells, vertical text, gridSpan rows, repeated header rows, a table
split at a page break, packed sub-indicators, merged Excel ranges, a scanned copy.
The text stays the seeds' text (same names, targets, departments) so the same golden
expectations hold; only damage a real DOCX would not have is repaired (wrapped-line
breaks, the header rows a page break repeated, project 25's lost number, a cell cut
at a page break).

Run from the repository root (deterministic: DOCX/XLSX are byte-identical on rerun,
PDFs have the same content; the generated files are committed so ``make ingest``
works without LibreOffice)::

    .venv/bin/python tools/render_samples.py               # docx xlsx pdf scan
    .venv/bin/python tools/render_samples.py docx xlsx     # only some steps

The ``pdf`` step needs LibreOffice with a CJK font
(``apt-get install -y libreoffice-writer fonts-noto-cjk``); ``scan`` rasterises
samples/pdf/jingzhou.pdf, so it runs after ``pdf``.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ingest.text import text_blocks
from planingest.records import Paragraph, Table

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = {"jingzhou": "000_2b96e2d222b5f3b3.txt", "changde": "001_3cc5f4b2954152b3.txt", "luzhai": "002_4f08802adbea22bb.txt"}
FIXED_TIME = dt.datetime(2023, 8, 1, 9, 0, 0)
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SENTENCE_END = tuple("。；;：:！？”）)")

# ---------------------------------------------------------------- seed grids


def seed_blocks(key: str) -> list:
    return text_blocks((SAMPLES / SEED[key]).read_text(encoding="utf-8"))


def seed_tables(key: str) -> list[Table]:
    return [b for b in seed_blocks(key) if isinstance(b, Table)]


def unwrap(text: str) -> str:
    """Join lines a narrow column wrapped (the dump kept the wraps as line breaks)."""
    return text.replace("\n", "")


def body_rows(table: Table, key_col: int, seq_col: int) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows without the header repeats a page break left, and where those repeats were.

    A row after a repeat with neither number nor name is the rest of the row the page
    break cut: it is joined back cell by cell.
    """
    header, rows, breaks, after_repeat = list(table.rows[0]), [], [], False
    for row in table.rows[1:]:
        if row[key_col] == header[key_col]:
            breaks.append(len(rows))
            after_repeat = True
            continue
        if after_repeat and rows and not row[seq_col] and not row[key_col]:
            rows[-1] = ["\n".join(x for x in (a, b) if x) for a, b in zip(rows[-1], row)]
        else:
            rows.append(list(row))
        after_repeat = False
    return header, rows, breaks


def runs(rows: list[list[str]], col: int, barrier=frozenset()) -> list[tuple[int, int]]:
    """Vertical runs in ``col``: a text followed by empty cells or by the same text again.

    Repeated text (retyped after a page break) is cleared so the run is one merged cell.
    """
    found, start = [], None
    for i, row in enumerate(rows + [None]):
        same = row is not None and start is not None and i not in barrier and row[col] in ("", rows[start][col])
        if same:
            row[col] = ""
            continue
        if start is not None and i - 1 > start:
            found.append((start, i - 1))
        start = None if row is None or i in barrier or not row[col] else i
    return found


def group_merges(rows: list[list[str]], is_sub, cols: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    """A parent row and its sub-rows share (merge) every column the sub-rows all leave empty."""
    merges, start = [], None
    for i, row in enumerate(rows + [None]):
        if row is not None and start is not None and is_sub(row):
            continue
        if start is not None and i - 1 > start:
            for c in cols:
                if not any(rows[k][c] for k in range(start + 1, i)):
                    merges.append((start, c, i - 1, c))
        start = i if row is not None else None
    return merges


# ---------------------------------------------------------------- Word writing


def _fonts(style, east_asia: str, size: float, bold: bool | None = None) -> None:
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in list(rfonts.attrib):
        if key.endswith("Theme"):
            del rfonts.attrib[key]
    for name, value in (("w:ascii", "Times New Roman"), ("w:hAnsi", "Times New Roman"), ("w:eastAsia", east_asia)):
        rfonts.set(qn(name), value)


def new_document(title: str, author: str) -> Document:
    """A4 document with the fonts of a Chinese government notice and a page-number footer."""
    doc = Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    styles = doc.styles
    _fonts(styles["Normal"], "仿宋_GB2312", 12)
    styles["Normal"].paragraph_format.first_line_indent = Pt(24)
    styles["Normal"].paragraph_format.space_after = Pt(0)
    _fonts(styles["Title"], "方正小标宋简体", 18, bold=False)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(styles["Heading 1"], "黑体", 14, bold=False)
    cell_style = styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = styles["Normal"]
    _fonts(cell_style, "仿宋_GB2312", 9)
    cell_style.paragraph_format.first_line_indent = Pt(0)
    cell_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")
    return doc


def add_text(doc, text: str, style: str | None = None, align=None, bold: bool = False, bookmark: tuple[int, str] | None = None):
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(text).bold = bold or None
    if align is not None:
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Pt(0)
    if bookmark:
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(bookmark[0]))
        start.set(qn("w:name"), bookmark[1])
        end.set(qn("w:id"), str(bookmark[0]))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)
    return paragraph


def page_break(doc) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.add_run().add_break(WD_BREAK.PAGE)


def _fill(cell, text: str, left: bool, bold: bool) -> None:
    lines = text.split("\n")
    for k, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        paragraph.style = "表格文字"
        if left:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if line:
            paragraph.add_run(line).bold = bold or None


def _text_direction(cell, value: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    element = OxmlElement("w:textDirection")
    element.set(qn("w:val"), value)
    later = [c for c in tcpr if c.tag in (qn("w:tcFitText"), qn("w:vAlign"), qn("w:hideMark"))]
    later[0].addprevious(element) if later else tcpr.append(element)


def add_table(doc, header, rows, widths_cm, merges=(), left_cols=(), vertical=(), bold_rows=()):
    """A bordered Word table: header row repeated on every page (w:tblHeader), then the rows.

    ``merges`` are (row0, col0, row1, col1) in data-row coordinates; python-docx writes
    them as w:vMerge / w:gridSpan.  ``vertical`` cells get text direction tbRlV.
    """
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(widths_cm):
        table.columns[c].width = Cm(width)
        for cell in table.columns[c].cells:
            cell.width = Cm(width)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    for c, text in enumerate(header):
        _fill(table.cell(0, c), text, False, True)
    cells = [row.cells for row in table.rows[1:]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _fill(cells[r][c], text, c in left_cols, r in bold_rows)
    for r, c in vertical:
        _text_direction(cells[r][c], "tbRlV")
    for r0, c0, r1, c1 in merges:
        cells[r0][c0].merge(cells[r1][c1])
    return table


def save_docx(doc, path: Path) -> None:
    buffer = io.BytesIO()
    doc.save(buffer)
    write_normalised_zip(buffer.getvalue(), path)


def write_normalised_zip(data: bytes, path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps (and a fixed modified date) so reruns give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-08-01T09:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
