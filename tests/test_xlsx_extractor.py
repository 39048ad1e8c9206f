"""XLSX extractor: one grid per sheet, merges filled, values rendered as shown, bad files."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.ingest.detect import detect_format
from planingest.ingest.office.xlsx import read_xlsx, render, render_number, sheet_grid
from planingest.ingest.registry import extract
from tests.office_fixtures import encrypt_ooxml

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "foreign"
TITLE = "附表1 靖州县生态文明建设示范区指标任务分解表"


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标"
    ws["A1"] = TITLE
    ws.merge_cells("A1:F1")
    ws.append(["领域", "序号", "指标名称", "单位", "目标值", "完成时限"])
    ws.append(["生态\n制度", 1, "生态文明建设规划", None, "制定实施", dt.datetime(2023, 12, 31)])
    ws.append([None, 2, "森林覆盖率", "%", 0.95, dt.date(2025, 6, 30)])
    ws["E4"].number_format = "0%"
    ws.append([None, 3, "项目投资", "万元", 1850.0, "2023年底前"])
    ws.merge_cells("A3:A5")
    ws.append([])  # a blank spacer row: dropped, locators keep sheet row numbers
    ws.append(["生态\r\n安全", 4, "生态环境状况指数", None, 60.5, None])
    wb.create_sheet("空表")
    other = wb.create_sheet("项目")
    other.append(["序号", "项目名称", "投资(万元)"])
    other.append([1, "污水处理厂", 12345.678])
    other["C2"].number_format = "#,##0.00"
    return _save(wb)


@pytest.fixture(scope="module")
def doc():
    return read_xlsx(plan_workbook())


def test_one_table_per_non_empty_sheet(doc):
    assert [t.locator.sheet for t in doc.tables] == ["指标", "项目"]
    assert [t.locator.table for t in doc.tables] == [1, 2]
    assert doc.paragraphs == []


def test_indicator_sheet_grid_cell_by_cell(doc):
    assert doc.tables[0].rows == (
        (TITLE,) * 6,
        ("领域", "序号", "指标名称", "单位", "目标值", "完成时限"),
        ("生态\n制度", "1", "生态文明建设规划", "", "制定实施", "2023-12-31"),
        ("生态\n制度", "2", "森林覆盖率", "%", "95%", "2025-06-30"),
        ("生态\n制度", "3", "项目投资", "万元", "1850", "2023年底前"),
        ("生态\n安全", "4", "生态环境状况指数", "", "60.5", ""),
    )


def test_merge_continuations_are_flagged(doc):
    F, T = False, True
    assert doc.tables[0].merged == (
        (F, T, T, T, T, T),
        (F,) * 6,
        (F,) * 6,
        (T, F, F, F, F, F),
        (T, F, F, F, F, F),
        (F,) * 6,
    )


def test_row_locators_keep_sheet_row_numbers(doc):
    assert [(loc.sheet, loc.row) for loc in doc.tables[0].row_locators] == [("指标", r) for r in (1, 2, 3, 4, 5, 7)]


def test_number_format_with_thousands(doc):
    assert doc.tables[1].rows == (("序号", "项目名称", "投资(万元)"), ("1", "污水处理厂", "12,345.68"))


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (1850.0, "General", "1850"),
        (0.95, "0%", "95%"),
        (0.955, "0.0%", "95.5%"),
        (0.1 + 0.2, "General", "0.3"),
        (66.5, "0.00", "66.50"),
        (-1234.5, "#,##0.0_);(#,##0.0)", "-1,234.5"),
        (12.0, '0"万元"', "12"),
        (1.5e-7, "General", "1.5e-07"),
        (3.0, "@", "3"),
    ],
)
def test_render_number(value, fmt, shown):
    assert render_number(value, fmt) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, ""), (True, "TRUE"), (7, "7"), (dt.datetime(2023, 8, 1), "2023-08-01"),
        (dt.datetime(2023, 8, 1, 9, 5), "2023-08-01 09:05:00"), (dt.date(2022, 1, 26), "2022-01-26"),
        ("  县林业局\r\n县自然资源局 ", "县林业局\n县自然资源局"),
    ],
)
def test_render_values(value, shown):
    assert render(value) == shown


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["General", "0%", "0.00", "#,##0", "0.0%", "yyyy-mm-dd", ""]))
def test_render_number_never_fails(value, fmt):
    assert render_number(value, fmt)


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_integral_floats_render_as_integers(n):
    assert render_number(float(n), "General") == str(n)


def test_merge_clipped_to_text_area():
    # a huge merge is filled only where text is; a value under a merge is hidden, as in Excel
    rows, grid, merged = sheet_grid({(1, 1): "领域", (2, 2): "x", (3, 3): "y"}, [(1, 1, 1_000_000, 2)])
    assert rows == (1, 2, 3) and grid == (("领域", "领域", ""), ("领域", "领域", ""), ("领域", "领域", "y"))
    assert merged == ((False, True, False), (True, True, False), (True, True, False))


def test_merge_with_empty_origin_hides_values_under_it():
    rows, grid, merged = sheet_grid({(1, 1): "a", (2, 2): "hidden", (3, 1): "b"}, [(2, 1, 2, 2)])
    assert rows == (1, 3) and grid == (("a",), ("b",)) and merged == ((False,), (False,))


def test_empty_workbook_has_no_blocks():
    assert read_xlsx(_save(openpyxl.Workbook())).blocks == ()


def test_password_protected_xlsx(tmp_path):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(encrypt_ooxml(plan_workbook()))
    assert detect_format(path, path.read_bytes()) == "xlsx"
    with pytest.raises(EncryptedDocumentError, match="password-protected"):
        extract(path)


def test_truncated_xlsx(tmp_path):
    data = plan_workbook()
    path = tmp_path / "指标.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert detect_format(path, path.read_bytes()) == "xlsx"
    with pytest.raises(BadInputError, match="truncated"):
        extract(path)


def test_workbook_renamed_doc_is_read_as_xlsx(tmp_path):
    path = tmp_path / "指标.doc"
    path.write_bytes(plan_workbook())
    assert extract(path).tables[0].rows[0][0] == TITLE


def test_corpus_xlsx_files_end_cleanly():
    """Hostile workbooks (entity bombs, inflated ranges, many merges): a result or a BadInputError."""
    if not CORPUS.is_dir():
        pytest.skip(f"foreign corpus not found at {CORPUS}")
    names = ["poi__poc-xmlbomb.xlsx", "poi__poc-shared-strings.xlsx", "docling__xlsx_04_inflated.xlsx",
             "poi__xxe_in_schema.xlsx", "calamine__minimal_package.xlsx", "poi__xlsx-corrupted.xlsx",
             "poi__invalid.xlsx", "calamine__has_x000D_.xlsx", "docling__xlsx_03_chartsheet.xlsx"]
    outcomes = {}
    for name in names:
        try:
            outcomes[name] = read_xlsx((CORPUS / name).read_bytes())
        except BadInputError as exc:
            outcomes[name] = exc
    assert isinstance(outcomes["poi__poc-xmlbomb.xlsx"], BadInputError)
    assert "characters of text" in str(outcomes["poi__poc-shared-strings.xlsx"])
    inflated = outcomes["docling__xlsx_04_inflated.xlsx"]
    assert len(inflated.tables) == 4 and len(inflated.tables[0].rows) < 100
    assert "/etc/passwd" not in str(outcomes["poi__xxe_in_schema.xlsx"])
