"""The rendered samples (tools/render_samples.py) exist, are what they claim to be, and are current.

They stand in for the DOCX/XLSX/PDF originals of the seeds, so each check here is about
a layout the extractors must meet in real files: Word merges (w:vMerge, w:gridSpan),
repeated header rows (w:tblHeader), a table split at a page break, vertical text,
Excel merged ranges and numbers, PDF text with repeated headers, a scan with no text.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from planingest.core.records import Table
from planingest.ingest.text.reader import text_blocks
from tools.seedgrid import group_merges, runs

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TOOLS = ROOT / "tools"
JINGZHOU, LUZHAI = SAMPLES / "docx" / "jingzhou.docx", SAMPLES / "docx" / "luzhai.docx"
CHANGDE = SAMPLES / "xlsx" / "changde.xlsx"
PDFS = [SAMPLES / "pdf" / "jingzhou.pdf", SAMPLES / "pdf" / "luzhai.pdf"]
SCAN = SAMPLES / "scanned" / "jingzhou-scan.pdf"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK = re.compile(r"[\u4e00-\u9fff]")



def body(path: Path):
    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def seed_tables(name: str) -> list[Table]:
    return [b for b in text_blocks((SAMPLES / name).read_text(encoding="utf-8")) if isinstance(b, Table)]


def resolved(table) -> list[list[str]]:
    """python-docx's view: a merged cell's text in every grid position it covers."""
    return [[c.text for c in row.cells] for row in table.rows]


def pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


# ---------------------------------------------------------------- DOCX structure


@pytest.mark.parametrize("path", [JINGZHOU, LUZHAI], ids=lambda p: p.stem)
def test_docx_has_real_vertical_merges_and_repeated_headers(path):
    root = body(path)
    vmerges = [v.get(f"{W}val") for v in root.iter(f"{W}vMerge")]
    assert "restart" in vmerges and None in vmerges  # a merge start and its continuation cells
    for table in root.iter(f"{W}tbl"):
        first_row = table.find(f"{W}tr")
        assert first_row.find(f"{W}trPr/{W}tblHeader") is not None


def test_jingzhou_indicator_table_split_into_two_word_tables_at_a_page_break():
    children = list(body(JINGZHOU))
    tables = [i for i, el in enumerate(children) if el.tag == f"{W}tbl"]
    assert len(tables) == 3  # indicator table in two parts, then the project table
    first, second = tables[0], tables[1]
    between = children[first + 1 : second]
    assert len(between) == 1 and between[0].find(f".//{W}br[@{W}type='page']") is not None
    headers = [text_of(children[i].find(f"{W}tr")) for i in (first, second)]
    assert headers[0] == headers[1] == "领域任务序号指标名称单位指标值指标属性责任部门备注"


def test_jingzhou_special_indicators_span_domain_and_task():
    table = docx.Document(JINGZHOU).tables[1]
    spans = [tc for tc in table._tbl.iter(f"{W}tc") if tc.find(f"{W}tcPr/{W}gridSpan") is not None]
    assert [text_of(tc) for tc in spans] == ["特色指标", ""]  # start of the merge, then its continuation
    rows = resolved(table)
    assert [r[:3] for r in rows[-2:]] == [["特色指标", "特色指标", "36"], ["特色指标", "特色指标", "37"]]


def test_jingzhou_domains_are_vertical_text():
    root = body(JINGZHOU)
    rotated = [text_of(tc) for tc in root.iter(f"{W}tc") if tc.find(f"{W}tcPr/{W}textDirection") is not None]
    assert rotated == ["生态制度", "生态安全", "生态空间"]
    stacked = [tc for tc in root.iter(f"{W}tc") if text_of(tc) == "生态经济"]
    assert [text_of(p) for p in stacked[0].iter(f"{W}p")] == ["生", "态", "经", "济"]


def test_jingzhou_parent_values_are_merged_over_sub_rows():
    table = docx.Document(JINGZHOU).tables[0]
    raw_row = next(tr for tr in table._tbl.iter(f"{W}tr") if "优良天数比例" in text_of(tr))
    assert text_of(raw_row) == "优良天数比例"  # 领域, 任务, 序号, 单位, 指标值… are continuation cells
    row = next(r for r in resolved(table) if r[3] == "优良天数比例")
    assert row[:3] == ["生态安全", "(二)生态环境质量改善", "7"]
    assert row[5:8] == ["完成上级规定的考核任务；保持稳定或持续改善", "约束性", "市生态环境局靖州分局"]
    # biodiversity: one merged target cell, departments per sub-row
    rows = [r for r in resolved(table) if r[2] == "11"]
    assert [r[7] for r in rows] == ["", "县林业局", "县林业局、县农业局", "县畜牧局"]
    assert {r[5] for r in rows} == {"≥95\n不明显\n不降低"}


def test_jingzhou_docx_keeps_the_seed_indicators():
    seed = seed_tables("000_2b96e2d222b5f3b3.txt")[0]
    expected = {(r[2], r[3]) for r in seed.rows[1:] if r[2] and r[3] != "指标名称"}
    document = docx.Document(JINGZHOU)
    found = {(r[2], r[3]) for t in document.tables[:2] for r in resolved(t)[1:]}
    assert len(expected) == 37 and expected <= found


def test_jingzhou_project_table():
    rows = resolved(docx.Document(JINGZHOU).tables[2])
    assert rows[0] == ["类别", "序号", "项目名称", "建设内容", "建设年限(年)", "总投资(万元)", "责任单位", "针对指标"]
    assert sorted({int(r[1]) for r in rows[1:] if r[1].isdigit()}) == list(range(1, 38))
    water = [r for r in rows if r[1] == "25"]
    assert [r[2] for r in water] == ["节水工程"] * 3 and [r[5] for r in water] == ["1850", "1550", "3050"]
    assert water[0][0] == "生态经济建设"
    full_width = [r for r in rows if len(set(r)) == 1]
    assert full_width == [["生态文化建设"] * 8]
    (cut,) = [r for r in rows if r[1] == "7"]  # the row the seed's page break cut, whole again
    assert cut[6] == "怀化市生态环境局靖州分局、县商务科技和工业信息化局" and "完成工业窑炉现状摸底" in cut[3]


def test_jingzhou_prose_headings_title_and_signature():
    paragraphs = docx.Document(JINGZHOU).paragraphs
    titles = [p.text for p in paragraphs if p.style.name == "Title"]
    assert titles == ["2023年靖州县生态文明建设示范区", "创建工作计划"]
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、指导思想", "二、工作目标", "三、建设指标完成要求", "四、工程项目实施计划", "五、保障措施"]
    texts = [p.text for p in paragraphs if p.text]
    assert texts[-2:] == ["靖州苗族侗族自治县生态环境保护委员会办公室", "2023年8月1日"]
    assert "依据《国家生态文明建设示范市县管理规程》《国家生态文明建设示范市县建设指标》,见下表。" in texts


def test_luzhai_docx_tables_and_swapped_columns():
    document = docx.Document(LUZHAI)
    indicators, tasks = (resolved(t) for t in document.tables)
    assert indicators[0] == ["领域", "任务", "序号", "指标名称", "2023年指标值", "牵头部门", "指标属性", "完成时限"]
    assert [r[2] for r in indicators[1:]] == [str(i) for i in range(1, 36)]
    assert indicators[7][3] == "环境空气质量\n（1）优良天数比例\n（2）PM2.5浓度下降幅度"
    assert indicators[7][5:7] == ["柳州市鹿寨生态环境局", "约束性"]
    assert [r[0] for r in tasks[1:]] == [str(i) for i in range(1, 15)]
    assert document.sections[-1].page_width > document.sections[-1].page_height  # annexes on landscape pages
    texts = [p.text for p in document.paragraphs]
    assert sum("（责任单位：" in t for t in texts) == 14 and texts.count("附表") == 1


def test_luzhai_keeps_the_word_bookmarks():
    names = {b.get(f"{W}name") for b in body(LUZHAI).iter(f"{W}bookmarkStart")}
    assert {"_Toc7272", "_Toc16964", "_GoBack"} <= names


# ---------------------------------------------------------------- XLSX


def test_changde_workbook_merges_numbers_and_split_departments():
    workbook = openpyxl.load_workbook(CHANGDE)
    assert workbook.sheetnames == ["指标任务分解表", "填表说明"]
    sheet = workbook["指标任务分解表"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:I1" in merged and sheet["A1"].value == "常德市生态文明建设示范市指标任务分解表"
    assert sorted(m for m in merged if m.startswith("A") and m != "A1:I1") == [
        "A10:A17", "A18:A19", "A20:A26", "A27:A35", "A36:A38", "A3:A9"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == list(range(1, 37))
    by_seq = {r[2]: r for r in rows}
    assert by_seq[5][5] == 100 and isinstance(by_seq[5][5], int) and by_seq[3][5] == "≥20"
    assert by_seq[2][7:] == ("市委办", "市政府办") and by_seq[1][8] is None
    assert by_seq[8][3] == "环境空气质量\n优良天数比例\nPM2.5浓度下降幅度"
    assert by_seq[18][4] == "吨标准煤/万元"


# ---------------------------------------------------------------- PDF and scan


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_pdf_has_chinese_text_and_the_header_on_several_pages(path):
    pages = pdf_pages(path)
    assert len(pages) >= 2 and all(CJK.search(t) for t in pages)
    assert sum("指标名称" in t for t in pages) >= 2


def test_scan_is_image_only():
    pages = pdf_pages(SCAN)
    assert len(pages) >= 2 and all(not t.strip() for t in pages)
    pdf = pdfium.PdfDocument(str(SCAN))
    try:
        width, height = pdf[0].get_size()
        low, high = pdf[0].render(scale=0.5).to_pil().convert("L").getextrema()
    finally:
        pdf.close()
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 at 200 dpi
    assert low < 80 and high > 200  # ink on paper, not a blank page


def test_samples_stay_small():
    total = sum(p.stat().st_size for p in [JINGZHOU, LUZHAI, CHANGDE, SCAN, *PDFS])
    assert total < 3_000_000


# ---------------------------------------------------------------- reproducibility


def test_docx_and_xlsx_samples_are_current(tmp_path):
    subprocess.run([sys.executable, "-m", "tools.render_samples", "docx", "xlsx", "--out", str(tmp_path)],
                   check=True, capture_output=True, cwd=ROOT)
    for relative in ("docx/jingzhou.docx", "docx/luzhai.docx", "xlsx/changde.xlsx"):
        fresh, committed = (tmp_path / relative).read_bytes(), (SAMPLES / relative).read_bytes()
        assert fresh == committed, f"samples/{relative} is stale: rerun .venv/bin/python -m tools.render_samples"


# ---------------------------------------------------------------- merge planning


@pytest.mark.parametrize("column,barrier,expected_runs,expected_column", [
    (["生态安全", "", "", "生态安全", "", "生态空间"], (), [(0, 4)], ["生态安全", "", "", "", "", "生态空间"]),
    (["生态文化", "", "", "", ""], {3}, [(0, 2)], ["生态文化", "", "", "", ""]),
    (["", "", "甲", "乙", ""], (), [(3, 4)], ["", "", "甲", "乙", ""]),
])
def test_runs_merge_blanks_and_retyped_text(column, barrier, expected_runs, expected_column):
    rows = [[c] for c in column]
    assert runs(rows, 0, frozenset(barrier)) == expected_runs
    assert [r[0] for r in rows] == expected_column


def test_group_merges_only_columns_every_sub_row_leaves_empty():
    rows = [["7", "环境空气质量", "%", "约束性"], ["", "优良天数比例", "", ""], ["", "PM2.5", "", "x"], ["8", "水", "%", ""]]
    assert group_merges(rows, lambda r: not r[0], (0, 2, 3)) == [(0, 0, 2, 0), (0, 2, 2, 2)]


@given(st.lists(st.sampled_from(["", "", "a", "b"]), max_size=30))
def test_runs_are_disjoint_and_start_on_text(column):
    rows = [[c] for c in column]
    found = runs(rows, 0)
    covered = [i for s, e in found for i in range(s, e + 1)]
    assert len(covered) == len(set(covered))
    assert all(rows[s][0] and e > s and not any(rows[k][0] for k in range(s + 1, e + 1)) for s, e in found)
