"""Format-free table logic on hand-built grids: continuation tables, cut rows, merged cells."""
from __future__ import annotations

from planingest.core.records import Locator, Table
from planingest.interpret.tables.indicators import indicator_rows
from planingest.interpret.tables.layout import recognise
from planingest.interpret.tables.projects import project_rows

PROJECT_HEADER = ("序号", "项目名称", "建设内容", "建设年限", "总投资（万元）", "责任单位", "针对指标")


def table(rows, caption=None, merged=(), number=1):
    return Table(rows=tuple(tuple(r) for r in rows), locator=Locator(table=number), caption=caption,
                 merged=tuple(tuple(m) for m in merged))


def test_split_word_table_with_repeated_header_is_one_table_and_its_cut_row_is_rejoined():
    first = table([PROJECT_HEADER, ("7", "工业大气污染治理", "推进重点行业污染治理升级改造；", "2019", "340", "怀化市生态环境", "环境空气质量")],
                  caption="重点项目一览表")
    rest = table([PROJECT_HEADER, ("", "", "完成工业窑炉现状摸底。", "", "", "局靖州分局", ""),
                  ("8", "餐饮业油烟整治", "安装油烟净化设施", "2019-2021", "1160", "县城管局", "环境空气质量")], number=2)
    (recognised,) = recognise([first, rest])
    rows = project_rows(recognised)
    assert [(r.seq, r.investment_raw) for r in rows] == [(7, "340"), (8, "1160")]
    assert rows[0].content == "推进重点行业污染治理升级改造；\n完成工业窑炉现状摸底。"
    assert rows[0].departments_raw == "怀化市生态环境局靖州分局"


def test_headerless_continuation_table_is_appended():
    first = table([PROJECT_HEADER, ("1", "河长制建设", "推进河长制", "2019-2025", "260", "县水利局", "河长制")], caption="一览表")
    rest = table([("2", "青山工程建设", "植树造林", "2019-2021", "4540", "县林业局", "林草覆盖率")], number=2)
    (recognised,) = recognise([first, rest])
    assert [r.seq for r in project_rows(recognised)] == [1, 2]


def test_a_captioned_table_with_the_same_header_is_a_table_of_its_own():
    first = table([PROJECT_HEADER, ("1", "河长制建设", "推进河长制", "2019-2025", "260", "县水利局", "河长制")], caption="一览表")
    other = table([PROJECT_HEADER, ("1", "青山工程建设", "植树造林", "2019-2021", "4540", "县林业局", "林草覆盖率")],
                  caption="2024年项目", number=2)
    assert len(recognise([first, other])) == 2


def test_merged_investment_and_number_belong_to_the_row_the_merge_starts_on():
    rows = [PROJECT_HEADER,
            ("25", "节水工程", "灌区改造", "2019-2025", "1850", "县水利局", "单位地区生产总值用水量"),
            ("25", "节水工程", "企业节水", "2019-2021", "1850", "县水利局", "单位地区生产总值用水量")]
    merged = [(False,) * 7, (False,) * 7, (True, True, False, False, True, False, False)]
    (recognised,) = recognise([table(rows, "一览表", merged)])
    assert [(r.seq, r.name, r.content, r.investment_raw) for r in project_rows(recognised)] == [
        (25, "节水工程", "灌区改造", "1850"), (25, "节水工程", "企业节水", None)]


INDICATOR_HEADER = ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "责任部门")


def test_lost_number_is_restored_only_where_the_format_marks_merges():
    rows = [INDICATOR_HEADER,
            ("生态安全", "(三)生态系统保护", "9", "生态质量指数(EQI)", "", "△EQI≥-1", "约束性", "生态环境局"),
            ("生态安全", "(三)生态系统保护", "", "林草覆盖率", "%", "≥60", "参考性", "县林业局"),
            ("生态安全", "(三)生态系统保护", "11", "生物多样性保护", "%", "≥95", "参考性", "县林业局")]
    merged = [(False,) * 8] + [(False,) * 8] + [(True, True) + (False,) * 6] * 2
    (recognised,) = recognise([table(rows, "分解表", merged)])
    found = indicator_rows(recognised)
    assert [(r.seq, r.name_raw, r.seq_inferred) for r in found] == [
        (9, "生态质量指数(EQI)", False), (10, "林草覆盖率", True), (11, "生物多样性保护", False)]
    # without merge marks (a text dump) an unnumbered row is a sub-row of the indicator above
    (plain,) = recognise([table(rows, "分解表")])
    assert [(r.seq, r.sub_name_raw) for r in indicator_rows(plain)][:2] == [(9, "林草覆盖率"), (11, None)]


def test_a_label_spanning_domain_and_task_is_a_local_group():
    rows = [INDICATOR_HEADER,
            ("生态文化", "(十)观念意识普及", "35", "公众对生态文明建设的参与度", "%", "≥80", "参考性", "县统计局"),
            ("特色指标", "特色指标", "36", "绿色有机农产品占农业总值比重", "", "", "", "县农业局")]
    merged = [(False,) * 8, (False,) * 8, (False, True) + (False,) * 6]
    (recognised,) = recognise([table(rows, "分解表", merged)])
    found = indicator_rows(recognised)
    assert [(r.seq, r.domain, r.task) for r in found] == [(35, "生态文化", "(十)观念意识普及"), (36, None, "特色指标")]
