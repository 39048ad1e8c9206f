"""Office files built in the tests: a plan DOCX with the structures real plans use.

The DOCX is made with python-docx (real merges via ``cell.merge``) and then
edited at the XML level for what python-docx cannot write: a text box with an
mc:AlternateContent fallback, tracked changes, a heading made by outline level.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CAPTION = "附表1 鹿寨县生态文明建设示范区创建指标任务分解表"
VERTICAL = "生\n态\n制\n度"
TEXTBOX = "文本框：县林业局牵头"

#: the indicator table as the extractor must return it (merged cells repeated)
PLAN_GRID = (
    (CAPTION, CAPTION, CAPTION, CAPTION, CAPTION),
    ("领域", "序号", "指标名称", "目标值", "责任单位"),
    (VERTICAL, "1", "生态文明建设规划", "制定实施", "县生态环境局"),
    (VERTICAL, "2", "党委政府对生态文明建设重大目标任务部署情况", "有效开展", "县委办\n县政府办"),
    (VERTICAL, "3", "生态文明建设工作占党政实绩考核的比例", "≥20%", "县委组织部"),
    ("生\n态\n安\n全", "4", "森林覆盖率", "≥60%\n（山区）", "县林业局"),
)
#: the table nested in the cell of row 4, column 4 (0-based (4, 3))
NESTED_GRID = (("2023年", "2025年"), ("66.1%", "≥66.5%"))
#: a second table right after the first (a continuation: no caption of its own)
SECOND_GRID = (("5", "生态环境状况指数", "≥60", "县生态环境局"),)


def _cell_lines(cell, text: str) -> None:
    """Write ``text`` into a cell as one paragraph per line (as Word does for Enter)."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _textbox_run(text: str):
    """A run holding a DrawingML text box with its VML fallback (the same text twice)."""
    return parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
        '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r>'
        '</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def _tracked_paragraph(doc) -> None:
    """``保留`` + inserted ``新增内容`` + deleted ``已删除内容`` (accepted view: 保留新增内容)."""
    p = doc.add_paragraph("保留")
    p._p.append(parse_xml(
        f'<w:ins xmlns:w="{W}" w:id="1" w:author="a" w:date="2023-08-01T00:00:00Z">'
        '<w:r><w:t>新增内容</w:t></w:r></w:ins>'
    ))
    p._p.append(parse_xml(
        f'<w:del xmlns:w="{W}" w:id="2" w:author="a" w:date="2023-08-01T00:00:00Z">'
        '<w:r><w:delText>已删除内容</w:delText></w:r></w:del>'
    ))


def plan_docx(textbox: bool = True) -> bytes:
    """A small plan: headings, tracked changes, a text box, the indicator table and its continuation."""
    doc = docx.Document()
    doc.add_heading("一、总体要求", level=1)
    custom = doc.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("（一）指导思想", style=custom)
    outlined = doc.add_paragraph("（二）基本原则")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W}" w:val="2"/>'))
    _tracked_paragraph(doc)
    if textbox:
        doc.add_paragraph("见右侧说明")._p.append(_textbox_run(TEXTBOX))
    doc.add_paragraph(CAPTION)
    table = doc.add_table(rows=len(PLAN_GRID), cols=5)
    for r, row in enumerate(PLAN_GRID):
        for c, text in enumerate(row):
            if r == 0 and c > 0 or r in (3, 4) and c == 0:
                continue
            _cell_lines(table.cell(r, c), text)
    table.cell(0, 0).merge(table.cell(0, 4))
    table.cell(2, 0).merge(table.cell(4, 0))  # vertical merge: vMerge restart + 2 continue cells
    inner = table.cell(4, 3).add_table(rows=2, cols=2)
    for r, row in enumerate(NESTED_GRID):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    doc.add_paragraph("")
    second = doc.add_table(rows=1, cols=4)
    for c, text in enumerate(SECOND_GRID[0]):
        second.cell(0, c).text = text
    doc.add_paragraph("二、重点任务")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def rewrite_parts(data: bytes, edit) -> bytes:
    """Copy a zip package, passing each (name, bytes) through ``edit`` -> (name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name, content = edit(info.filename, src.read(info))
            dst.writestr(name, content)
    return out.getvalue()


def encrypt_ooxml(data: bytes, password: str = "pass") -> bytes:
    """Password-protect an OOXML file the way Office does (agile encryption in an OLE file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice (tests only; the extractor has its own hardened runner)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, f"in.{suffix}")
        src.write_bytes(data)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", target,
             "--outdir", f"{tmp}/out", str(src)],
            check=True, capture_output=True, timeout=120,
        )
        return Path(tmp, "out", f"in.{target}").read_bytes()
