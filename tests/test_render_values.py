"""The issue-13 samples (tools/render_values.py) are current and hold the layouts they claim:
Word merges over sub-indicator rows, an Excel merged 序号, a PDF with a dated caption."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DOCX, XLSX, PDF = (SAMPLES / "docx/jingan-multiyear.docx", SAMPLES / "xlsx/changting-selfcheck.xlsx",
                   SAMPLES / "pdf/yifeng-summary.pdf")


def test_docx_and_xlsx_samples_are_current(tmp_path):
    subprocess.run([sys.executable, "-m", "tools.render_values", "docx", "xlsx", "--out", str(tmp_path)],
                   check=True, capture_output=True, cwd=ROOT)
    for path in (DOCX, XLSX):
        relative = path.relative_to(SAMPLES)
        assert (tmp_path / relative).read_bytes() == path.read_bytes(), (
            f"samples/{relative} is stale: rerun .venv/bin/python -m tools.render_values")


def test_the_multi_year_plan_has_vertical_merges_and_dated_headers():
    xml = zipfile.ZipFile(DOCX).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:vMerge/>") + xml.count('<w:vMerge w:val="continue"/>') >= 10
    for header in ("现状值（2020年）", "2025年目标值", "2030年目标值", "达标情况"):
        assert header in xml


def test_the_self_assessment_workbook_merges_the_number_over_its_sub_rows():
    sheet = openpyxl.load_workbook(XLSX)["自评估表"]
    assert "A5:A7" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]][4:6] == ["2022年完成值", "是否达标"]
    assert isinstance(sheet["E6"].value, float)  # numbers typed as numbers


def test_the_summary_pdf_has_a_text_layer_with_the_dated_caption():
    pdf = pdfium.PdfDocument(str(PDF))
    try:
        text = "".join("".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    finally:
        pdf.close()
    for words in ("2023年度指标完成情况", "完成投资", "进展情况", "持续推进"):
        assert words in text
