"""Several target years, measured values and assessments in one indicator table (issue 13),
on hand-built grids in the shapes real 规划 and 自评估 tables take."""
from __future__ import annotations

import pytest

from planingest.core.records import Locator, Table
from planingest.interpret.tables.headers import find_header, header_role, header_year
from planingest.interpret.tables.indicators import indicator_rows
from planingest.interpret.tables.layout import recognise
from planingest.interpret.tables.projects import project_rows


def table(rows, caption=None, merged=()):
    return Table(rows=tuple(tuple(r) for r in rows), locator=Locator(table=1), caption=caption,
                 merged=tuple(tuple(m) for m in merged))


def rows_of(*grid, caption=None, merged=()):
    (recognised,) = recognise([table(grid, caption, merged)])
    return indicator_rows(recognised)


# ------------------------------------------------------------------ header words and years


@pytest.mark.parametrize("text, role, year", [
    # target columns, the year in every place real tables put it
    ("2025年目标值", "target", 2025),
    ("2025年", "target", 2025),
    ("2030年", "target", 2030),
    ("近期（2025年）", "target", 2025),
    ("远期（2030年）", "target", 2030),
    ("远期目标（2030）", "target", 2030),
    ("规划目标值2025", "target", 2025),
    ("2025 年\n目标值", "target", 2025),
    ("目标值（2025年）", "target", 2025),
    ("2023年指标值", "target", 2023),
    ("规划值(2025年)", "target", 2025),
    ("目标值", "target", None),
    # measured values
    ("现状值（2020年）", "baseline", 2020),
    ("现状值", "baseline", None),
    ("基准值（2020年）", "baseline", 2020),
    ("基期值", "baseline", None),
    ("2022年完成值", "baseline", 2022),
    ("2022年现状", "baseline", 2022),
    ("实际值", "baseline", None),
    ("目前值", "baseline", None),
    ("2020年（现状值）", "baseline", 2020),
    ("2020年(基准年)", "baseline", 2020),
    # assessments
    ("达标情况", "assessment", None),
    ("是否达标", "assessment", None),
    ("完成情况", "assessment", None),
    ("评估结果", "assessment", None),
    ("达标与否", "assessment", None),
    ("自评结果", "assessment", None),
    ("目标要求", "target", None),
    ("2022年实际完成值", "baseline", 2022),
    ("完成进度", "progress", None),
    # projects: progress and investment made
    ("进展情况", "progress", None),
    ("完成投资（万元）", "invested", None),
    ("累计完成投资(亿元)", "invested", None),
    # unchanged: no year, no new role
    ("建设年限(年)", "years", None),
    ("总投资(万元)", "investment", None),
    ("完成时限", "deadline", None),
])
def test_header_role_and_year(text, role, year):
    assert header_role(text) == role
    assert header_year(text) == year


def test_a_self_assessment_header_without_target_or_unit_is_an_indicator_table():
    header = find_header([("序号", "指标名称", "2023年完成值", "是否达标")])
    assert header is not None and header.kind == "indicators"
    assert header.years == (None, None, 2023, None)


# ------------------------------------------------------------------ one row per target year

PLAN_HEADER = ("序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值", "2030年目标值", "指标属性", "责任单位")


def test_each_target_year_is_its_own_row_with_that_year_as_deadline():
    rows = rows_of(PLAN_HEADER, ("1", "生态环境信息公开率", "%", "78.5", "100", "100", "约束性", "县生态环境局"),
                   ("2", "河长制", "-", "已建立", "全面实施", "全面实施", "约束性", "县水利局"))
    assert [(r.seq, r.target_raw, r.deadline_raw, r.target_year) for r in rows] == [
        (1, "100", "2025年", 2025), (1, "100", "2030年", 2030),
        (2, "全面实施", "2025年", 2025), (2, "全面实施", "2030年", 2030)]
    assert {r.current_raw for r in rows if r.seq == 1} == {"78.5"}
    assert {r.current_year_raw for r in rows} == {"现状值（2020年）"}
    assert all(r.assessment_raw is None for r in rows)


def test_sub_indicators_and_scopes_multiply_by_years():
    rows = rows_of(
        ("序号", "指标名称", "单位", "基准值（2020年）", "近期（2025年）", "远期（2030年）"),
        ("3", "环境空气质量\n（1）优良天数比例\n（2）PM2.5浓度下降幅度", "%\n%", "86.3\n-", "≥90\n≥5", "≥92\n≥10"),
        ("4", "秸秆综合利用率", "%", "85", "市≥95 县≥85", "市≥98 县≥90"),
    )
    got = [(r.seq, r.sub_name_raw, r.target_scope, r.target_raw, r.deadline_raw, r.current_raw) for r in rows]
    assert got == [
        (3, "优良天数比例", None, "≥90", "2025年", "86.3"),
        (3, "PM2.5浓度下降幅度", None, "≥5", "2025年", "-"),
        (3, "优良天数比例", None, "≥92", "2030年", "86.3"),
        (3, "PM2.5浓度下降幅度", None, "≥10", "2030年", "-"),
        (4, None, "市", "市≥95", "2025年", "85"),
        (4, None, "县", "县≥85", "2025年", "85"),
        (4, None, "市", "市≥98", "2030年", "85"),
        (4, None, "县", "县≥90", "2030年", "85"),
    ]


def test_merged_sub_rows_in_a_multi_year_table():
    # DOCX shape: 序号 merged down over the sub-rows, the parent row holding only the name
    grid = [
        ("序号", "指标名称", "单位", "现状值（2020年）", "2025年", "2030年"),
        ("5", "环境空气质量", "%", "", "", ""),
        ("5", "优良天数比例", "%", "86.3", "≥90", "≥92"),
        ("5", "PM2.5浓度下降幅度", "%", "-", "≥5", "≥10"),
    ]
    merged = [(False,) * 6, (False,) * 6, (True,) + (False,) * 5, (True,) + (False,) * 5]
    rows = rows_of(*grid, merged=merged)
    assert [(r.seq, r.name_raw, r.sub_name_raw, r.target_raw, r.deadline_raw, r.current_raw) for r in rows] == [
        (5, "环境空气质量", "优良天数比例", "≥90", "2025年", "86.3"),
        (5, "环境空气质量", "PM2.5浓度下降幅度", "≥5", "2025年", "-"),
        (5, "环境空气质量", "优良天数比例", "≥92", "2030年", "86.3"),
        (5, "环境空气质量", "PM2.5浓度下降幅度", "≥10", "2030年", "-"),
    ]


def test_a_year_without_any_target_gives_no_rows_for_that_year():
    rows = rows_of(PLAN_HEADER, ("1", "生态环境信息公开率", "%", "78.5", "100", "", "约束性", "县生态环境局"))
    assert [(r.target_raw, r.deadline_raw) for r in rows] == [("100", "2025年")]


def test_one_dated_target_column_keeps_one_row_and_the_row_deadline_wins():
    rows = rows_of(("序号", "指标名称", "2023年指标值", "完成时限", "牵头部门"),
                   ("1", "河长制", "全面实施", "2023年6月", "县水利局"),
                   ("2", "生态环境信息公开率", "100", "", "县生态环境局"))
    assert [(r.target_raw, r.deadline_raw, r.target_year) for r in rows] == [
        ("全面实施", "2023年6月", 2023), ("100", "2023年", 2023)]


def test_undated_target_columns_keep_the_first_as_before():
    rows = rows_of(("序号", "指标名称", "指标值", "目标", "责任单位"), ("1", "河长制", "全面实施", "建立", "县水利局"))
    assert [(r.target_raw, r.deadline_raw) for r in rows] == [("全面实施", None)]


# ------------------------------------------------------------------ measured values and assessments


def test_self_assessment_values_years_and_assessments():
    rows = rows_of(
        ("序号", "指标名称", "单位", "目标值", "基准值（2020年）", "2022年完成值", "是否达标"),
        ("1", "生态环境信息公开率", "%", "100", "90", "100", "是"),
        ("2", "城镇新建绿色建筑比例", "%", "≥50", "30", "42.6", "否"),
    )
    # the latest dated measured column is read
    assert [(r.current_raw, r.current_year_raw, r.assessment_raw) for r in rows] == [
        ("100", "2022年完成值", "是"), ("42.6", "2022年完成值", "否")]


def test_the_caption_dates_an_undated_measured_column():
    rows = rows_of(("序号", "指标名称", "目标值", "完成值", "完成情况"),
                   ("1", "河长制", "全面实施", "已全面实施", "已完成"), caption="2023年度指标完成情况")
    assert (rows[0].current_raw, rows[0].current_year_raw, rows[0].assessment_raw) == (
        "已全面实施", "2023年度指标完成情况", "已完成")


def test_a_title_row_above_the_header_dates_an_undated_measured_column():
    # a workbook's merged first row: the same text in every cell of the row
    title = "宜丰县2023年度生态文明建设示范县指标完成情况表"
    rows = rows_of((title,) * 4, ("序号", "指标名称", "目标值", "完成值"), ("1", "河长制", "全面实施", "已全面实施"))
    assert rows[0].current_year_raw == title


def test_a_caption_with_a_span_of_years_dates_nothing():
    rows = rows_of(("序号", "指标名称", "目标值", "现状值"), ("1", "河长制", "全面实施", "已建立"),
                   caption="生态文明建设指标（2021-2030年）")
    assert rows[0].current_year_raw is None


def test_sub_rows_take_their_own_measured_values_and_assessments():
    rows = rows_of(
        ("序号", "指标名称", "目标值", "现状值", "达标情况"),
        ("1", "环境空气质量", "", "", ""),
        ("", "优良天数比例", "≥90", "88.2", "未达标"),
        ("", "PM2.5浓度", "≤35", "31", "达标"),
    )
    assert [(r.sub_name_raw, r.current_raw, r.assessment_raw) for r in rows] == [
        ("优良天数比例", "88.2", "未达标"), ("PM2.5浓度", "31", "达标")]


# ------------------------------------------------------------------ project progress


def test_project_progress_and_investment_made():
    (recognised,) = recognise([table([
        ("序号", "项目名称", "建设内容", "总投资（万元）", "完成投资（亿元）", "进展情况"),
        ("1", "污水处理厂提标改造", "提标至一级A", "5000", "0.32", "主体工程已完工"),
    ])])
    (project,) = project_rows(recognised)
    assert (project.progress_raw, project.invested_raw, project.invested_unit) == ("主体工程已完工", "0.32", "亿元")


# ------------------------------------------------------------------ normalised: values parsed, nothing computed


def test_a_target_and_a_value_without_an_assessment_give_no_assessment():
    from planingest.core.records import Interpretation, RawIndicator, RawMetadata
    from planingest.normalize.document import normalise_interpretation

    raws = (
        RawIndicator("生态文明建设工作占党政实绩考核的比例", Locator(table=1, row=2), seq=1, unit="%", target_raw="≥20",
                     current_raw="22%", current_year_raw="2022年完成值"),
        RawIndicator("河长制", Locator(table=1, row=3), seq=2, target_raw="全面实施", current_raw="全面实施",
                     assessment_raw="是", target_year=2025, deadline_raw="2025年"),
    )
    result = normalise_interpretation("d" * 64, "x.docx", "docx", None, Interpretation(RawMetadata(), raws))
    first, second = result.indicators
    assert (first.current_raw, first.current_value, first.current_year) == ("22%", 22.0, 2022)
    assert (first.assessment_raw, first.meets_target) == (None, None)  # 22 ≥ 20, but the document did not say so
    assert (second.current_value, second.meets_target, second.deadline) == (None, True, "2025")
