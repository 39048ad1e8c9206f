"""XLSX workbooks as county offices send them (tools/render_realdocs_xlsx.py, samples/xlsx/anji-tasks.xlsx).

Classes of misreading found on that sample:

* an integer typed into a percent-formatted cell (1 under ``0%``, shown ``100%``) was read as
  ``1``: integers ignored the number format that floats honoured;
* a ``合计`` row under a project table (the label merged over 序号 and 项目名称, the sum under
  总投资) became one more project carrying the previous project's name;
* ``生态环境`` (the 2016 trial list's domain, still used by county tables copied from it) was
  no domain: its rows lost their 领域 and carried it as a task;
* a column the office hid before sending (last plan's 目标值 kept for reference) was read, and
  where it stood left of the visible 目标值 its old targets won;
* the title rows of the sheets (附件1 …, 附件2 …, 附件3 …) were joined into one title, and the
  ``填报单位：X | 填报日期：Y`` row above the header gave neither the issuer nor the date.
"""
from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.ingest.office.xlsx import read_xlsx, render
from planingest.interpret.document import interpret
from planingest.interpret.tables.cells import is_total_label


def _workbook(*sheets, hidden: str = "") -> bytes:
    """Sheets of (title, rows, merges, formats{cell: number_format}); ``hidden`` column letters hidden on each."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges, formats in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        for ref in merges:
            ws.merge_cells(ref)
        for ref, fmt in formats.items():
            ws[ref].number_format = fmt
        for letter in hidden:
            ws.column_dimensions[letter].hidden = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- integers under a number format


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (1, "0%", "100%"),
    (1, "0.0%", "100.0%"),
    (0, "0%", "0%"),
    (18600, "#,##0.00", "18,600.00"),
    (95, "0", "95"),
    (95, "General", "95"),
    (7, "@", "7"),
    (10**16, "0%", str(10**16)),  # beyond float precision: the integer as stored
])
def test_integer_shown_by_its_format(value, fmt, shown):
    assert render(value, fmt) == shown


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_integer_and_equal_float_show_alike(n):
    for fmt in ("General", "0%", "0.00", "#,##0"):
        assert render(n, fmt) == render(float(n), fmt)


def test_integer_percent_cell_read_as_percent():
    data = _workbook(("指标", [("指标名称", "目标值"), ("地表水水质达到或优于Ⅲ类比例", 1)], [], {"B2": "0%"}))
    assert read_xlsx(data).tables[0].rows[1] == ("地表水水质达到或优于Ⅲ类比例", "100%")


# ---------------------------------------------------------------- total rows are not projects


@pytest.mark.parametrize("label", ["合计", "合 计", "总计", "小计", "共计"])
def test_total_label(label):
    assert is_total_label(label)


@pytest.mark.parametrize("text", ["", None, "合计投资", "1", "污水处理厂合计改造"])
def test_not_total_label(text):
    assert not is_total_label(text)


PROJECT_HEADER = ("序号", "项目名称", "建设内容", "总投资（万元）", "建设年限", "责任单位")


@pytest.mark.parametrize(("total_row", "merges"), [
    (("合计", None, None, 30000, None, None), ["A4:C4"]),  # label merged over 序号..建设内容
    (("合 计", None, None, 30000, None, None), []),
    ((None, "合计", None, 30000, None, None), []),  # label in the name column
    (("", "小计", "", 30000, "", ""), []),
])
def test_total_row_is_not_a_project(total_row, merges):
    rows = [PROJECT_HEADER,
            (1, "污水处理厂提标改造项目", "提标至准Ⅳ类", 18000, "2023-2025", "县住建局"),
            (2, "河道综合治理工程", "清淤12公里", 12000, "2023-2024", "县水利局"),
            total_row]
    result = interpret(read_xlsx(_workbook(("重点项目", rows, merges, {}))))
    assert [(p.name, p.investment_raw) for p in result.projects] == [
        ("污水处理厂提标改造项目", "18000"), ("河道综合治理工程", "12000")]


# ---------------------------------------------------------------- 生态环境 is a domain


def test_older_list_domain_kept():
    rows = [("序号", "领域", "指标名称", "单位", "目标值", "责任单位"),
            (1, "生态环境", "环境空气质量优良天数比例", "%", "≥95", "县生态环境分局"),
            (2, None, "林草覆盖率", "%", "≥71", "县林业局"),
            (3, "生态经济", "单位地区生产总值能耗", "吨标准煤/万元", "≤0.40", "县发展改革局")]
    result = interpret(read_xlsx(_workbook(("指标", rows, ["B2:B3"], {}))))
    assert [(r.domain, r.task) for r in result.indicators] == [("生态环境", None), ("生态环境", None),
                                                               ("生态经济", None)]


# ---------------------------------------------------------------- a workbook's title and 填报 row


INDICATORS = [("序号", "指标名称", "单位", "目标值", "责任单位"),
              (1, "林草覆盖率", "%", "≥71", "县林业局")]
TASKS = [("序号", "重点任务", "责任单位", "完成时限"), (1, "编制生态文明建设规划", "县发展改革局", "2023年底前")]


@pytest.mark.parametrize("first_title", [
    "附件1 某某县生态文明建设示范区创建指标责任分解表",
    "某某县创建国家生态文明建设示范县工作方案",
])
def test_workbook_title_is_the_first_sheets(first_title):
    sheets = [("指标", [(first_title,), *INDICATORS], ["A1:E1"], {}),
              ("项目", [("附件2 某某县重点项目表",), *[r[:4] for r in INDICATORS]], ["A1:D1"], {}),
              ("任务", [("附件3 重点任务清单",), *TASKS], ["A1:D1"], {})]
    assert interpret(read_xlsx(_workbook(*sheets))).metadata.title == first_title


@pytest.mark.parametrize(("filler", "issuer", "date"), [
    (("填报单位：某某县生态文明建设示范区创建工作领导小组办公室", None, None, "填报日期：2023年7月20日", None),
     "某某县生态文明建设示范区创建工作领导小组办公室", "2023-07-20"),
    (("填报单位:某某县发展和改革局", None, None, None, None), "某某县发展和改革局", None),
])
def test_filler_row_gives_issuer_and_date(filler, issuer, date):
    rows = [("附件1 某某县生态文明建设示范区创建指标责任分解表",), filler, *INDICATORS]
    meta = interpret(read_xlsx(_workbook(("指标", rows, ["A1:E1"], {})))).metadata
    assert meta.issuer == issuer
    assert (str(meta.issue_date) if meta.issue_date else None) == date


# ---------------------------------------------------------------- hidden columns are not sent


@pytest.mark.parametrize(("hidden", "visible_header", "targets"), [
    ("D", ("序号", "指标名称", "单位", "目标值", "责任单位"), ["≥71"]),  # the old target left of the new
    ("E", ("序号", "指标名称", "单位", "目标值", "责任单位"), ["≥65"]),  # the new one hidden: the old is shown
    ("DE", ("序号", "指标名称", "单位", "责任单位"), [None]),
    ("", ("序号", "指标名称", "单位", "目标值", "目标值", "责任单位"), ["≥65"]),
])
def test_hidden_column_left_out(hidden, visible_header, targets):
    rows = [("序号", "指标名称", "单位", "目标值", "目标值", "责任单位"), (1, "林草覆盖率", "%", "≥65", "≥71", "县林业局")]
    doc = read_xlsx(_workbook(("指标", rows, [], {}), hidden=hidden))
    assert doc.tables[0].rows[0] == visible_header
    assert [i.target_raw for i in interpret(doc).indicators] == targets


def test_merge_into_hidden_column_keeps_visible_text():
    # a title merged across A:E with column A hidden still shows in B:E
    rows = [("附件1 某县指标表",), ("序号", "指标名称", "单位", "目标值", "责任单位"), (1, "林草覆盖率", "%", "≥71", "县林业局")]
    doc = read_xlsx(_workbook(("指标", rows, ["A1:E1"], {}), hidden="A"))
    assert doc.tables[0].rows[0] == ("附件1 某县指标表",) * 4


@given(st.sets(st.integers(min_value=1, max_value=6)))
def test_hidden_columns_never_in_grid(hidden):
    from planingest.ingest.office.xlsx import sheet_grid

    cells = {(r, c): f"{r}-{c}" for r in (1, 2) for c in range(1, 7)}
    _, grid, _ = sheet_grid(cells, [], frozenset(hidden))
    shown = {text for row in grid for text in row}
    assert shown == {f"{r}-{c}" for r in (1, 2) for c in range(1, 7) if c not in hidden}
