"""DOCX renditions of the 靖州 (000) and 鹿寨 (002) seeds, written with python-docx.

Used by tools/render_samples.py (see there how to run it and why); not part of the pipeline.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from planingest.core.records import Paragraph, Table
from tools.seedgrid import SAMPLES, SEED, body_rows, group_merges, runs, seed_blocks, unwrap

FIXED_TIME = dt.datetime(2023, 8, 1, 9, 0, 0)
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SENTENCE_END = tuple("。；;：:！？”）)")

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
    page_number_footer(section)
    return doc


def page_number_footer(section) -> None:
    """"— 3 —" centred in the footer, as Chinese government documents number their pages."""
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


def add_text(doc, text: str, style: str | None = None, align=None, bold: bool = False,
             bookmark: tuple[int, str] | None = None):
    """One paragraph; ``bookmark`` (id, name) wraps it in a Word bookmark such as _Toc7272."""
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
    if later:
        later[0].addprevious(element)
    else:
        tcpr.append(element)


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


def normalised_zip(data: bytes) -> bytes:
    """An OOXML zip rewritten with fixed timestamps (and a fixed modified date) so reruns give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-08-01T09:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def flow(blocks, classify):
    """(kind, text, line) for paragraphs, ("table", Table, None) for tables, in document order.

    A body paragraph that stops mid-sentence is the first half of one the dump cut at a
    line or page break, and is joined with the next body paragraph.
    """
    out = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(("table", block, None))
            continue
        kind = classify(block)
        if kind == "drop":
            continue
        previous = out[-1] if out else None
        if kind == "body" and previous and previous[0] == "body" and not previous[1].endswith(SENTENCE_END):
            out[-1] = ("body", previous[1] + block.text, previous[2])
        else:
            out.append((kind, block.text, block.locator.line))
    return out


def write_paragraph(doc, kind: str, text: str, bookmark=None):
    if kind == "title":
        return add_text(doc, text, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    if kind == "heading":
        return add_text(doc, text, style="Heading 1", bookmark=bookmark)
    if kind == "caption":
        return add_text(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, bookmark=bookmark)
    if kind == "signature":
        return add_text(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return add_text(doc, text, bookmark=bookmark)


# ---------------------------------------------------------------- 靖州 (seed 000)

# cells whose line breaks are wraps of a narrow column, or which a page break cut short
JZ_CELL_FIXES = {
    "(\n%\n)": "(%)",
    "吨标\n准煤/\n万元": "吨标准煤/万元",
    "立方\n米/万\n元": "立方米/万元",
    "≥2\n保持稳定或持续改\n善": "≥2\n保持稳定或持续改善",
    "建设用地土壤污": "建设用地土壤污染风险管控和修复名录制度",
}
JZ_PROJECT_WRAPPED_COLS = (2, 4, 5, 6, 7)  # name, years, investment, departments, indicators
JZ_KEEP_BREAKS = {  # real paragraph breaks inside those columns
    "县政府办、怀化市生态环境局靖州分局、县商务科技和工业信息化局\n县工业集中区管理委员会",
    "城镇污水处理率\n单位地区生产总值用水量",
}
JZ_FULL_WIDTH_CATEGORY = "生态文化建设"  # written as a full-width row instead of in the 类别 column
JZ_INDICATOR_WIDTHS = (1.1, 2.0, 0.9, 3.9, 1.3, 2.6, 1.3, 2.1, 0.8)
JZ_PROJECT_WIDTHS = (1.3, 0.8, 2.2, 5.1, 1.5, 1.3, 2.2, 1.6)


def jingzhou_indicator_tables(doc, table: Table) -> None:
    """The indicator table, split into two Word tables where the seed's second page break fell."""
    header, rows, breaks = body_rows(table, key_col=3, seq_col=2)
    rows = [[JZ_CELL_FIXES.get(c, c) for c in row] for row in rows]
    for part_no, part in enumerate((rows[: breaks[1]], rows[breaks[1] :])):
        if part_no:
            page_break(doc)
        special = []  # the 特色指标 rows: 领域+任务 spanned into one cell, merged down over the group
        for i, r in enumerate(part):
            if r[1] == "特色指标" or (special and special[-1] == i - 1 and not (r[0] or r[1])):
                special.append(i)
        for i in special:
            part[i][0], part[i][1] = ("特色指标" if i == special[0] else ""), ""
        merges = [(s, c, e, c) for c in (0, 1) for s, e in runs(part, c, barrier=frozenset(special))]
        merges += group_merges(part, lambda r: not r[2], (2, 4, 5, 6, 7, 8))
        if special:
            merges.append((special[0], 0, special[-1], 1))
        vertical = [(i, 0) for i, r in enumerate(part) if r[0] and "\n" not in r[0] and i not in special]
        add_table(doc, header, part, JZ_INDICATOR_WIDTHS, merges, left_cols=(3,), vertical=vertical)


def jingzhou_project_table(doc, table: Table) -> None:
    header, rows, _ = body_rows(table, key_col=2, seq_col=1)
    header = ["类别", "序号"] + [unwrap(h) for h in header[2:]]
    for row in rows:
        for c in JZ_PROJECT_WRAPPED_COLS:
            row[c] = row[c] if row[c] in JZ_KEEP_BREAKS else JZ_CELL_FIXES.get(unwrap(row[c]), unwrap(row[c]))
        if row[2] == "节水工程" and not row[1]:
            row[1] = "25"  # the DOCX original had the number; the dump lost it at a page break
    first = next(i for i, r in enumerate(rows) if r[0] == JZ_FULL_WIDTH_CATEGORY)
    rows[first][0] = ""
    rows.insert(first, [JZ_FULL_WIDTH_CATEGORY] + [""] * (len(header) - 1))
    merges = [(s, 0, e, 0) for s, e in runs(rows, 0, barrier=frozenset({first}))]
    merges += group_merges(rows, lambda r: not (r[0] or r[1] or r[2]), (1, 2, 4, 5, 6, 7))
    merges.append((first, 0, first, len(header) - 1))
    add_table(doc, header, rows, JZ_PROJECT_WIDTHS, merges, left_cols=(3,), bold_rows=(first,))


def jingzhou_docx():
    blocks = seed_blocks("jingzhou")
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    captions = {b.caption for b in blocks if isinstance(b, Table)}
    special = {id(p): "title" for p in paragraphs[:2]} | {id(p): "signature" for p in paragraphs[-2:]}

    def classify(p: Paragraph) -> str:
        if id(p) in special:
            return special[id(p)]
        return "heading" if HEADING.match(p.text) else "caption" if p.text in captions else "body"

    doc = new_document("2023年靖州县生态文明建设示范区创建工作计划", "靖州县生态环境保护委员会办公室")
    tables = 0
    for kind, item, _ in flow(blocks, classify):
        if kind == "table":
            tables += 1
            (jingzhou_indicator_tables if tables == 1 else jingzhou_project_table)(doc, item)
            continue
        if kind == "signature" and item.startswith("靖州"):
            for _ in range(2):
                add_text(doc, "")
        write_paragraph(doc, kind, item)
    return doc


# ---------------------------------------------------------------- 鹿寨 (seed 002)

LZ_BOOKMARK = re.compile(r"^\s*\[bookmark: (\w+)\]")
LZ_PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")  # the footer the dump kept; the rendition has a real footer
LZ_SWAP = (5, 6)  # 指标属性 and 牵头部门 change places: extractors must go by header text, not position


def luzhai_docx():
    raw = (SAMPLES / SEED["luzhai"]).read_text(encoding="utf-8").splitlines()
    marks = {i + 1: m.group(1) for i, line in enumerate(raw) if (m := LZ_BOOKMARK.match(line))}

    def classify(p: Paragraph) -> str:
        if LZ_PAGE_NUMBER.match(p.text):
            return "drop"
        if re.match(r"^附表\s*\d", p.text):
            return "caption"
        return "heading" if p.locator.line in marks and len(p.text) <= 12 else "body"

    doc = new_document("鹿寨县2023年国家生态文明建设示范区巩固提升工作计划", "柳州市鹿寨生态环境局")
    tables = 0
    for kind, item, line in flow(seed_blocks("luzhai"), classify):
        if kind == "table":
            tables += 1
            (luzhai_indicator_table if tables == 1 else luzhai_task_table)(doc, item)
            continue
        if item == "附表":  # the annexes go on landscape pages
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        bookmark = (len(doc.paragraphs), marks[line]) if line in marks else None
        paragraph = write_paragraph(doc, kind, item, bookmark)
        if item.startswith("附表2"):
            paragraph.paragraph_format.page_break_before = True
    return doc


def luzhai_indicator_table(doc, table: Table) -> None:
    a, b = LZ_SWAP
    header = [unwrap(h) for h in table.rows[0]]
    rows = [list(r) for r in table.rows[1:]]
    for row in [header] + rows:
        row[a], row[b] = row[b], row[a]
    merges = [(s, c, e, c) for c in (0, 1) for s, e in runs(rows, c)]
    add_table(doc, header, rows, (1.4, 2.6, 1.0, 6.8, 3.3, 4.4, 1.8, 2.4), merges, left_cols=(3,))


def luzhai_task_table(doc, table: Table) -> None:
    header = [unwrap(h) for h in table.rows[0]]
    rows = [[r[0], unwrap(r[1])] + list(r[2:]) for r in table.rows[1:]]
    add_table(doc, header, rows, (1.1, 3.6, 13.4, 2.0, 4.5), left_cols=(2,))


def docx_bytes(key: str) -> bytes:
    buffer = io.BytesIO()
    {"jingzhou": jingzhou_docx, "luzhai": luzhai_docx}[key]().save(buffer)
    return normalised_zip(buffer.getvalue())
