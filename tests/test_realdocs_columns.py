"""Year and group headers of real summaries, self-assessments and plans: target, measured or baseline.

Classes of misreading found on the layouts of ``tools/render_realdocs.py``:

* a group header over years (``现状值`` over ``2021年 | 2022年 | 2023年``; ``目标值`` over
  ``近期（2023年）| 远期（2025年）``) was read from its top row only: the years were lost
  (a measured value without its year, a second target year dropped);
* a column headed only by a year was always a target year: a summary's measured years and a
  plan's baseline year became targets with that year as deadline;
* a ``2022年完成情况`` column of numbers was an assessment;
* in text, a pipe table's sub-header line was dropped, and a second pipe table after a
  heading was glued to the first (rows lost, cells shifted);
* a header split over two rows, neither a header alone, was no header (table lost);
* task lists headed 重点任务 | 具体措施, self-check tables headed 考核要求 | 是否达到考核要求
  were not recognised; a task's merged group cell (重点领域) was not its section;
* 约束性/参考性 under a header the vocabulary lacks (类型) was lost; a unit written in the
  name's brackets or after the value's number (no unit cell) was lost, and one after the
  number became qualifier text;
* prose tasks whose units are written "X牵头，Y配合" or as a bare 责任单位： were lost, and a
  完成时限 inside the units note polluted the departments.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.enums import DocType
from planingest.ingest.text.reader import text_blocks
from planingest.interpret.tables.headers import find_header
from planingest.interpret.tables.yearroles import (
    DocumentYears,
    document_years,
    resolve_year_roles,
    unsettled_year_columns,
)
from tests.seedrun import run_sample

# ---------------------------------------------------------------- group headers


@pytest.mark.parametrize(("rows", "col", "role", "year"), [
    # a colspan resolved by the reader: the group's text repeated over its columns
    ([("序号", "指标名称", "目标值", "现状值", "现状值", "是否达标"),
      ("序号", "指标名称", "目标值", "2021年", "2022年", "是否达标")], 4, "baseline", 2022),
    # a text dump: the group written once, the cells merged down left empty
    ([("序号", "指标名称", "目标值", "完成情况", "", "是否达标"),
      ("", "", "", "2021年", "2022年", "")], 4, "assessment", 2022),
    # target years under one 目标值
    ([("序号", "指标名称", "现状值（2020年）", "目标值", "目标值", "责任单位"),
      ("序号", "指标名称", "现状值（2020年）", "近期（2023年）", "远期（2025年）", "责任单位")], 4, "target", 2025),
    # a year over worded columns: the words say the role, the group the year
    ([("序号", "指标名称", "2023年", "2023年", "责任单位"),
      ("序号", "指标名称", "目标值", "完成值", "责任单位")], 3, "baseline", 2023),
])
def test_group_header_gives_the_sub_columns_role_and_year(rows, col, role, year):
    header = find_header(rows)
    assert header is not None and header.row_index == 0 and header.body_start == 2
    assert header.roles[col] == role
    assert header.year(col) == year


@pytest.mark.parametrize("rows", [
    # a data row under the header is no sub-header
    [("序号", "指标名称", "目标值", "现状值", "是否达标"), ("1", "林草覆盖率", "≥60", "71.8", "达标")],
    # header words under a cell that spans nothing: not a group
    [("序号", "指标名称", "目标值", "现状值", "是否达标"), ("", "", "", "2023年", "")],
])
def test_no_group_header_without_a_group(rows):
    header = find_header(rows)
    assert header is not None and header.body_start == 1 and header.sub_texts == ()


def test_a_year_under_an_unknown_group_stays_a_bare_year():
    header = find_header([("序号", "指标名称", "目标值", "年份", "年份"), ("", "", "", "2021年", "2022年")])
    assert header is not None and header.is_bare_year(3) and header.is_bare_year(4)


# ---------------------------------------------------------------- bare years: target or measured

SUMMARY_2023 = DocumentYears(reports_on_past=True, report_year=2023)
PLAN_2021 = DocumentYears(first_year=2021)


def _roles(cells, doc, body=()):
    header = find_header([cells])
    assert header is not None
    return resolve_year_roles(header, list(body), doc).roles


@pytest.mark.parametrize(("cells", "doc", "expected"), [
    # a summary: years up to the year it reports on are measured, later ones targets
    (("序号", "指标名称", "2021年", "2022年", "2023年", "2025年", "是否达标"), SUMMARY_2023,
     ("seq", "indicator", "baseline", "baseline", "baseline", "target", "assessment")),
    # a plan: a year before the period it covers is the baseline
    (("序号", "指标名称", "2020年", "2023年", "2025年", "责任单位"), PLAN_2021,
     ("seq", "indicator", "baseline", "target", "target", "departments")),
    # beside a worded target column, bare years are measured where the document says nothing
    (("序号", "指标名称", "目标值", "2021年", "2022年", "责任单位"), None,
     ("seq", "indicator", "target", "baseline", "baseline", "departments")),
    # a report: measured up to its year, a later year a target even beside 目标值
    (("序号", "指标名称", "目标值", "2022年", "2023年", "2025年"), SUMMARY_2023,
     ("seq", "indicator", "target", "baseline", "baseline", "target")),
    # a plan with its period: a year in it beside 目标值 stays a target (sent to review)
    (("序号", "指标名称", "目标值", "2020年", "2025年", "责任单位"), PLAN_2021,
     ("seq", "indicator", "target", "baseline", "target", "departments")),
    # a plan's year columns stay targets; so do they when nothing is known of the document
    (("序号", "指标名称", "2025年", "2030年", "责任单位"), PLAN_2021,
     ("seq", "indicator", "target", "target", "departments")),
    (("序号", "指标名称", "2021年", "2022年", "责任单位"), None,
     ("seq", "indicator", "target", "target", "departments")),
    # worded headers are never re-read
    (("序号", "指标名称", "2025年目标值", "2030年目标值", "责任单位"), SUMMARY_2023,
     ("seq", "indicator", "target", "target", "departments")),
])
def test_bare_year_columns_follow_the_document(cells, doc, expected):
    assert _roles(cells, doc) == expected


@pytest.mark.parametrize(("cells", "role"), [
    (["96.4", "95.1", "≥93", "88"], "baseline"),  # numbers: measured values
    (["达标", "未达标", "达标", "基本达标"], "assessment"),  # words: an assessment
    (["达标", "96.4", "达标", "达标"], "assessment"),  # mostly words
])
def test_an_assessment_column_of_numbers_is_measured(cells, role):
    header = ("序号", "指标名称", "目标值", "2023年完成情况")
    body = [(str(i), f"指标{i}", "≥90", c) for i, c in enumerate(cells, 1)]
    assert _roles(header, None, body)[3] == role


@pytest.mark.parametrize(("kind", "title", "issued", "expected"), [
    (DocType.SUMMARY, "某县2023年生态文明建设示范县创建工作总结", "2024-01-15", DocumentYears(True, None, 2023, 2024)),
    (DocType.SELF_ASSESSMENT, "某县国家生态文明建设示范县创建自评估报告", "2024-03-20", DocumentYears(True, None, 2024, 2024)),
    (DocType.PLAN, "某县国家生态文明建设示范县规划（2021—2025年）", None, DocumentYears(False, 2021, None)),
    (DocType.ANNUAL_PLAN, "某县2024年生态文明建设工作要点", "2024-02-01", DocumentYears(False, 2024, None, 2024)),
    (None, None, None, DocumentYears(False, None, None)),
])
def test_document_years(kind, title, issued, expected):
    assert document_years(kind, title, issued) == expected


@given(st.sampled_from([None, *DocType]), st.one_of(st.none(), st.text(max_size=40)),
       st.one_of(st.none(), st.text(max_size=12)))
def test_document_years_never_raises(kind, title, issued):
    years = document_years(kind, title, issued)
    assert years.reports_on_past == (kind in (DocType.SUMMARY, DocType.SELF_ASSESSMENT))


# ---------------------------------------------------------------- pipe text tables


def _tables(text):
    from planingest.core.records import Table
    return [b for b in text_blocks(text) if isinstance(b, Table)]


def test_pipe_sub_header_line_is_kept_as_a_second_header_row():
    text = ("一、指标完成情况\n序号 | 指标名称 | 目标值 | 现状值 |  | 是否达标 |\n |  |  | 2022年 | 2023年 |  |\n"
            "1 | 林草覆盖率 | ≥60 | 71.5 | 71.8 | 达标 |\n2 | 河长制 | 全面实施 | 全面实施 | 全面实施 | 达标 |\n")
    (table,) = _tables(text)
    assert table.rows[1] == ("", "", "", "2022年", "2023年", "")
    header = find_header(table.rows)
    assert header is not None and header.roles[4] == "baseline" and header.year(4) == 2023


def test_a_heading_between_two_pipe_tables_ends_the_first():
    text = ("一、表一\n序号 | 指标名称 | 目标值 | 责任单位 |\n1 | 林草覆盖率 | ≥60 | 县林业局 |\n\n二、表二\n"
            "序号 | 指标名称 | 单位 | 2022年目标值 | 2022年完成值 | 达标情况 | 责任单位 |\n"
            "1 | 森林覆盖率 | % | ≥80 | 81.2 | 达标 | 县林业局 |\n2 | 河长制 | - | 全面实施 | 全面实施 | 达标 | 县水利局 |\n")
    one, two = _tables(text)
    assert len(one.rows) == 2 and len(two.rows) == 3
    assert two.rows[2] == ("2", "河长制", "-", "全面实施", "全面实施", "达标", "县水利局")


# ---------------------------------------------------------------- the samples, end to end


def _rows(sample):
    return [(i.name_raw, i.target_raw, i.deadline, i.current_raw, i.current_year, i.assessment_raw)
            for i in run_sample(sample).indicators]


def test_summary_measured_years_under_a_group_header():
    rows = _rows("html/qingtian-summary.html")
    assert ("林草覆盖率", "≥60", None, "71.8", 2023, "达标") in rows
    assert all(r[2] is None for r in rows)  # no measured year became a target year


def test_plan_baseline_year_and_target_years_under_a_group():
    rows = _rows("html/qingtian-plan.html")
    assert ("林草覆盖率", "≥71.5", "2023", "71.2", 2020, None) in rows
    assert ("林草覆盖率", "≥72", "2025", "71.2", 2020, None) in rows
    assert ("单位地区生产总值能耗", "≤0.42", "2025", "0.46", 2020, None) in rows
    assert not any(r[2] == "2020" for r in rows)  # the baseline year is no target year


def test_selfcheck_bare_years_beside_a_target_are_measured():
    rows = _rows("html/qingtian-selfcheck.html")
    assert ("城镇生活污水集中收集率", "≥70", None, "72.5", 2023, None) in rows
    assert ("受污染耕地安全利用率", "≥93", "2025", "92.1", 2023, "否") in rows


def test_text_summary_group_written_once_and_numeric_completion_column():
    rows = _rows("text/qingtian-2022-summary.txt")
    assert ("村庄生活污水治理率", "≥60", None, "58.7", 2022, "否") in rows
    assert ("森林覆盖率", "≥80", "2022", "81.2", 2022, "达标") in rows


def test_samples_are_rendered_by_the_tool(tmp_path):
    from tools.render_realdocs import MAKERS, main
    from tools.seedgrid import SAMPLES

    main(["--out", str(tmp_path)])
    for name in MAKERS:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


@pytest.mark.parametrize(("cells", "doc", "doubt"), [
    # nothing known of the document: the year columns may be targets or measured values
    (("序号", "指标名称", "2021年", "2022年", "责任单位"), DocumentYears(), "2021年 | 2022年"),
    # issued before those years: targets still to come, no doubt
    (("序号", "指标名称", "2025年", "2030年", "责任单位"), DocumentYears(issue_year=2021), None),
    (("序号", "指标名称", "2020年", "2025年", "责任单位"), DocumentYears(issue_year=2021), "2020年"),
    # a plan's period settles a bare year alone, not one beside a worded target column
    (("序号", "指标名称", "目标值", "2023年", "2025年", "责任单位"), PLAN_2021, "2023年 | 2025年"),
    (("序号", "指标名称", "目标值", "2020年", "责任单位"), PLAN_2021, None),
    # the document's kind or period settles them
    (("序号", "指标名称", "2021年", "2022年", "责任单位"), SUMMARY_2023, None),
    (("序号", "指标名称", "2020年", "2025年", "责任单位"), PLAN_2021, None),
    # worded headers are no doubt
    (("序号", "指标名称", "2025年目标值", "责任单位"), DocumentYears(), None),
])
def test_unsettled_year_columns_are_sent_to_review(cells, doc, doubt):
    header = resolve_year_roles(find_header([cells]), [], doc)
    assert unsettled_year_columns(header, doc) == doubt


def test_a_doubted_year_column_makes_its_rows_need_review():
    from planingest.core.records import Locator, RawIndicator
    from planingest.normalize.trust import row_doubts

    raw = RawIndicator("林草覆盖率", Locator(table=1), target_raw="≥60", year_columns_doubt="2021年 | 2022年")
    doubts = row_doubts(raw, 60.0, "%", "≥60")
    assert [text for text, _ in doubts] == ["2021年 | 2022年"]


# ---------------------------------------------------------------- task lists and indicator columns of 实施方案/工作要点


@pytest.mark.parametrize(("cells", "kind"), [
    (("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"), "tasks"),
    (("序号", "主要任务", "工作举措", "责任单位", "完成时限"), "tasks"),
    (("序号", "指标名称", "单位", "考核要求", "2023年现状", "是否达到考核要求", "责任单位"), "indicators"),
])
def test_real_task_and_check_headers_are_recognised(cells, kind):
    header = find_header([cells])
    assert header is not None and header.kind == kind


def test_check_table_reads_target_measured_and_assessment():
    header = find_header([("序号", "指标名称", "单位", "考核要求", "2023年现状", "是否达到考核要求", "责任单位")])
    assert header.roles[3:6] == ("target", "baseline", "assessment") and header.year(4) == 2023


@pytest.mark.parametrize(("header_word", "cells", "role"), [
    ("类型", ["约束性", "参考性", "约束性"], "attribute"),
    ("指标类别", ["约束性指标", "参考性指标"], "attribute"),
    ("类别", ["约束性", "约束性"], "attribute"),
    ("类型", ["约束性", "见说明", "约束性"], None),  # not every cell says it: left alone
    ("类型", ["约束性"], None),  # one cell is no evidence
])
def test_an_attribute_column_is_known_by_its_cells(header_word, cells, role):
    from planingest.core.records import Locator, Table
    from planingest.interpret.tables.layout import recognise

    rows = [("序号", "指标名称", "目标值", header_word, "责任单位")]
    rows += [(str(i), f"指标{i}", "≥90", c, "县林业局") for i, c in enumerate(cells, 1)]
    (table,) = recognise([Table(rows=tuple(rows), locator=Locator(table=1))])
    assert table.header.roles[3] == role


@pytest.mark.parametrize(("name", "unit"), [
    ("单位地区生产总值用水量（立方米/万元）", "立方米/万元"),
    ("林草覆盖率(%)", "%"),
    ("农业废弃物综合利用率（%）*", "%"),
    ("单位地区生产总值能耗（吨标准煤/万元）", "吨标准煤/万元"),
    ("国家生态文明建设示范区建设指标（试行）", None),
    ("生态质量指数（EQI）", None),
    ("现状值（2020年）", None),
    ("受保护地区占国土面积比例（山区/丘陵）", None),  # a scope, not a unit
    ("人均公园绿地面积（平方米/人）", "平方米/人"),
    ("林草覆盖率", None),
])
def test_unit_in_name(name, unit):
    from planingest.interpret.values import unit_in_name

    assert unit_in_name(name) == unit


@given(st.text(max_size=40))
def test_unit_in_name_is_a_bracketed_part_of_the_name(name):
    from planingest.interpret.values import unit_in_name

    unit = unit_in_name(name)
    assert unit is None or (unit in name and len(unit) <= 12)


def test_workplan_tasks_sit_in_their_group_cell():
    tasks = run_sample("html/qingtian-workplan.html").tasks
    assert [(t.seq, t.section, t.deadline) for t in tasks] == [
        ("1", "生态制度", "2024-06"), ("2", "生态制度", None), ("3", "生态安全", "2024-12"), ("4", "生态安全", "2024-11")]
    assert tasks[2].departments == ("生态环境局", "住房和城乡建设局", "交通运输局", "市场监督管理局")


def test_implementation_plan_attribute_and_unit_from_the_name():
    rows = {i.name_raw: i for i in run_sample("html/qingtian-implementation.html").indicators}
    assert rows["单位地区生产总值用水量（立方米/万元）"].unit == "立方米/万元"
    assert rows["农业废弃物综合利用率*"].attribute == "参考性"
    assert rows["政府绿色采购比例"].attribute == "约束性"


@pytest.mark.parametrize(("rows", "doc", "roles", "doubt"), [
    # 指标值 over years beside its own 目标值: the years are measured
    ([("序号", "指标名称", "目标值", "指标值", "指标值", "是否达标"),
      ("序号", "指标名称", "目标值", "2022年", "2023年", "是否达标")], SUMMARY_2023,
     ("target", "baseline", "baseline"), None),
    # 指标值 over years alone, in a report of 2023: targets or measured? review
    ([("序号", "指标名称", "指标值", "指标值", "是否达标"),
      ("序号", "指标名称", "2022年", "2023年", "是否达标")], SUMMARY_2023,
     ("target", "target"), "指标值 2022年 | 指标值 2023年"),
    # the same in a plan: target years
    ([("序号", "指标名称", "指标值", "指标值", "责任单位"),
      ("序号", "指标名称", "2025年", "2030年", "责任单位")], PLAN_2021, ("target", "target"), None),
    # 现状值 over years: measured, no doubt
    ([("序号", "指标名称", "目标值", "现状值", "现状值"),
      ("序号", "指标名称", "目标值", "2022年", "2023年")], SUMMARY_2023, ("target", "baseline", "baseline"), None),
])
def test_years_under_a_target_group(rows, doc, roles, doubt):
    header = resolve_year_roles(find_header(rows), [], doc)
    assert header.roles[2:2 + len(roles)] == roles
    assert unsettled_year_columns(header, doc) == doubt


def test_a_top_level_row_named_by_a_sub_indicator_keeps_the_sub_id():
    rows = {i.name_raw: i for i in run_sample("html/qingtian-summary.html").indicators}
    row = rows["环境空气质量优良天数比例"]
    assert (row.indicator_id, row.sub_indicator_id, row.needs_review) == ("I07", "I07.1", False)
    rows = {i.name_raw: i for i in run_sample("html/qingtian-implementation.html").indicators}
    assert (rows["生态保护红线"].indicator_id, rows["生态保护红线"].sub_indicator_id) == ("I17", "I17.1")


@pytest.mark.parametrize(("raw", "op", "value", "text"), [
    ("≤0.42吨标准煤/万元", "<=", 0.42, None),  # the unit written in the cell is no qualifier
    ("0.43吨标准煤/万元", "=", 0.43, None),
    ("38.6立方米/万元", "=", 38.6, None),
    ("≥3项", ">=", 3.0, None),
    ("15处", "=", 15.0, None),
    ("≥85且持续改善", ">=", 85.0, "且持续改善"),  # words after the number stay
    ("12个乡镇", None, None, "12个乡镇"),
])
def test_a_unit_in_the_value_cell(raw, op, value, text):
    from planingest.interpret.values import parse_target

    target = parse_target(raw)
    assert (target.op, target.value, target.text) == (op, value, text)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.2f}"),
       st.sampled_from(["%", "吨标准煤/万元", "立方米/万元", "公顷", "个", "平方米/人"]))
def test_number_then_unit_reads_as_the_number(number, unit):
    from planingest.interpret.values import parse_measured, parse_target

    assert parse_target(number + unit).value == float(number)
    assert parse_measured(number + unit).value == float(number)


@pytest.mark.parametrize("rows", [
    # neither row is a header alone: the words are split over both (a text dump's empty cells)
    [("序号", "指标名称", "2023年度考核情况", "", ""), ("", "", "目标值", "完成值", "是否达标"),
     ("1", "林草覆盖率", "≥60", "71.8", "达标")],
    # the same with the merged cells repeated by the reader
    [("序号", "指标名称", "2023年度考核情况", "2023年度考核情况", "2023年度考核情况"),
     ("序号", "指标名称", "目标值", "完成值", "是否达标"), ("1", "林草覆盖率", "≥60", "71.8", "达标")],
])
def test_header_split_over_two_rows(rows):
    header = find_header(rows)
    assert header is not None and header.row_index == 0 and header.body_start == 2
    assert header.roles == ("seq", "indicator", "target", "baseline", "assessment")
    assert header.year(3) == 2023


def test_a_title_row_is_no_header_half():
    rows = [("青田县指标表",) * 4, ("序号", "指标名称", "目标值", "责任单位"), ("1", "林草覆盖率", "≥60", "县林业局")]
    header = find_header(rows)
    assert header is not None and header.row_index == 1 and header.sub_texts == ()


def test_text_summary_split_header_table():
    rows = _rows("text/qingtian-2022-summary.txt")
    assert ("政府绿色采购比例", "≥80%", "2022", "76.5%", 2022, "否") in rows
    assert len(rows) == 8


@pytest.mark.parametrize(("raw", "unit"), [
    ("≥80%", "%"), ("76.5％", "%"), ("0.43吨标准煤/万元", "吨标准煤/万元"), ("≥3项", "项"),
    ("≥85且持续改善", None), ("100", None), ("全面实施", None), ("12个乡镇", None), ("2025年", None),
])
def test_unit_in_value(raw, unit):
    from planingest.interpret.values import unit_in_value

    assert unit_in_value(raw) == unit


@given(st.text(max_size=30))
def test_unit_in_value_is_a_unit_or_none(raw):
    from planingest.interpret.values import is_unit, unit_in_value

    unit = unit_in_value(raw)
    assert unit is None or is_unit(unit)


def test_a_table_without_unit_cells_takes_the_unit_its_values_write():
    rows = {i.name_raw: i for i in run_sample("text/qingtian-2022-summary.txt").indicators}
    assert rows["政府绿色采购比例"].unit == "%"
    rows = {i.name_raw: i for i in run_sample("002_4f08802adbea22bb.txt").indicators}
    assert rows["林草覆盖率"].unit == "%"  # 鹿寨: no 单位 column, "≥69%"


@pytest.mark.parametrize(("raw", "meets"), [
    ("达到考核要求", True), ("已达到考核要求", True), ("未达到考核要求", False), ("未达到要求", False),
])
def test_written_out_assessments(raw, meets):
    from planingest.catalogue.assessments import load_assessment_words
    from planingest.interpret.values import parse_assessment

    assert parse_assessment(raw, load_assessment_words()) is meets


# ---------------------------------------------------------------- prose tasks of 工作要点


@pytest.mark.parametrize(("text", "units", "deadline"), [
    ("（一）完善考核。纳入年度考核。（责任单位：县委组织部，完成时限：2025年6月底前）", "县委组织部", "2025年6月底前"),
    ("（二）推进公开。按季度公开。（牵头单位：县生态环境分局；配合单位：县政府办）", "县生态环境分局；县政府办", None),
    ("（三）防治大气污染。开展专项整治。（县生态环境分局牵头，县住建局配合）", "县生态环境分局牵头，县住建局配合", None),
    ("（四）治理污水。完成提标改造。责任单位：县住建局；完成时间：2025年11月。", "县住建局", "2025年11月"),
    ("（五）开展宣传。组织系列活动。（以上工作由县委宣传部统筹负责）", None, None),  # no unit list
    ("全县生态环境质量持续改善（数据来源：县生态环境分局）。", None, None),
    ("加强监测，责任单位要落实到位。", None, None),
])
def test_prose_task_units_and_deadline(text, units, deadline):
    from planingest.interpret.prose import _deadline_labels, split_deadline, split_units

    body, found = split_units(text)
    assert split_deadline(found, _deadline_labels()) == (units, deadline)
    if units:
        assert "单位" not in body[-6:] and body.endswith("。")


@given(st.text(max_size=40), st.sampled_from(["完成时限", "完成时间", "时间节点"]), st.text(max_size=10))
def test_split_deadline_keeps_what_it_does_not_cut(units, label, when):
    from planingest.interpret.prose import split_deadline

    raw = f"{units}，{label}：{when}"
    kept, deadline = split_deadline(raw, ("完成时限", "完成时间", "时间节点"))
    assert deadline is None or deadline in raw
    assert kept is None or kept in raw


def test_workpoints_sample_tasks():
    tasks = run_sample("text/qingtian-2025-workpoints.txt").tasks
    assert [(t.seq, t.departments, t.deadline) for t in tasks] == [
        ("（一）", ("党委组织部",), "2025-06"), ("（二）", ("生态环境局", "政府办公室"), None),
        ("（三）", ("生态环境局", "住房和城乡建设局", "市场监督管理局"), None), ("（四）", ("住房和城乡建设局",), "2025-11"),
        ("（五）", ("党委宣传部",), None)]  # （以上工作由县委宣传部统筹负责）: tests/test_realdocs_office.py


_YEARS = st.one_of(st.none(), st.integers(min_value=1990, max_value=2050))


@given(_YEARS, st.booleans(), st.booleans(), _YEARS, _YEARS, _YEARS)
def test_bare_year_verdict_properties(year, worded, reports, first, report, issued):
    from planingest.interpret.tables.yearroles import MEASURED, TARGET, UNSURE, bare_year_verdict

    doc = DocumentYears(reports, None if reports else first, report if reports else None, issued)
    verdict = bare_year_verdict(year, worded, doc)
    assert verdict in (MEASURED, TARGET, UNSURE)
    if year is not None and reports:  # a report never doubts: up to its year measured, later a target
        assert verdict == (MEASURED if report is None or year <= report else TARGET)
    if year is not None and not reports and first is not None and year < first:
        assert verdict == MEASURED  # before the plan's period: the baseline
