"""Value parsers on the strings the seed documents hold (and the failure cases)."""
from __future__ import annotations

import pytest

from planingest.interpret.values import (
    Target,
    find_deadline,
    parse_attribute,
    parse_deadline,
    parse_money_wan,
    parse_target,
    parse_years,
    split_scoped_targets,
    split_target_items,
)

# ------------------------------------------------------------------ targets


@pytest.mark.parametrize(
    "raw, op, value, text, scope",
    [
        ("≥20", ">=", 20.0, None, None),
        ("≥25%", ">=", 25.0, None, None),
        ("100%", "=", 100.0, None, None),
        ("100", "=", 100.0, None, None),
        ("95%", "=", 95.0, None, None),
        ("≥100%", ">=", 100.0, None, None),
        ("≥4.5", ">=", 4.5, None, None),
        ("≥4.5%", ">=", 4.5, None, None),
        ("县≥85", ">=", 85.0, None, "县"),
        ("△EQI≥-1", ">=", -1.0, "△EQI≥-1", None),
        ("≤300,或逐年下降", "<=", 300.0, "或逐年下降", None),
        ("≤3.5,或逐年下降", "<=", 3.5, "或逐年下降", None),
        ("完成上级规定的考核任务；保持稳定或持续改善", None, None, "完成上级规定的考核任务；保持稳定或持续改善", None),
        ("完成上级规定的考核任务;保持稳定或持续改善", None, None, "完成上级规定的考核任务;保持稳定或持续改善", None),
        ("县：开展", None, None, "开展", "县"),
        ("面积不减少,性质不改变，功能不降低", None, None, "面积不减少,性质不改变，功能不降低", None),
        ("＞60", ">", 60.0, None, None),
        (">=60", ">=", 60.0, None, None),
        ("不低于80%", ">=", 80.0, None, None),
        ("80%以上", ">=", 80.0, None, None),
        ("减少", None, None, "减少", None),
        ("不明显", None, None, "不明显", None),
        ("不降低", None, None, "不降低", None),
        ("建立", None, None, "建立", None),
        ("完成年度审核 计划", None, None, "完成年度审核计划", None),
        ("保持稳定或持续改\n善", None, None, "保持稳定或持续改善", None),
        ("$\\geq 60\\%$", ">=", 60.0, None, None),  # 004's Markdown/LaTeX
        ("PM2.5浓度下降10%以上", ">=", 10.0, "PM2.5浓度下降10%以上", None),
        # several variants in one text: not guessed, left for split_scoped_targets
        ("市≥95 县≥85", None, None, "市≥95 县≥85", None),
        ("≥60 ≥40 ≥18", None, None, "≥60 ≥40 ≥18", None),
        ("2023年12月", None, None, "2023年12月", None),
    ],
)
def test_parse_target(raw, op, value, text, scope):
    assert parse_target(raw) == Target(raw, op, value, text, scope)


@pytest.mark.parametrize("raw", [None, "", "  ", "—", "-", "/"])
def test_parse_target_of_nothing(raw):
    assert parse_target(raw) is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("市≥95 县≥85", [("市", ">=", 95.0, None), ("县", ">=", 85.0, None)]),
        ("市≥95 县≥80", [("市", ">=", 95.0, None), ("县", ">=", 80.0, None)]),
        (
            "超、特大城市≥70 大城市≥60 中小城市≥50",
            [("超、特大城市", ">=", 70.0, None), ("大城市", ">=", 60.0, None), ("中小城市", ">=", 50.0, None)],
        ),
        ("干旱半干旱地区≥35；其他地区≥60", [("干旱半干旱地区", ">=", 35.0, None), ("其他地区", ">=", 60.0, None)]),
        (
            "山区≥60；丘陵地区≥40；平原地区≥18",
            [("山区", ">=", 60.0, None), ("丘陵地区", ">=", 40.0, None), ("平原地区", ">=", 18.0, None)],
        ),
        ("市：100；县：开展", [("市", "=", 100.0, None), ("县", None, None, "开展")]),
        (
            "综合利用率≤60%的地区≥2；综合利用率>60%的地区保持稳定或持续改善",
            [("综合利用率≤60%的地区", ">=", 2.0, None), ("综合利用率>60%的地区", None, None, "保持稳定或持续改善")],
        ),
        # the same cell as OCR lines it: every "%" wrapped onto a line of its own
        (
            "综合利用率≤60\n%的地区≥2\n综合利用率>60\n%的地区保持稳定或持续改善",
            [("综合利用率≤60%的地区", ">=", 2.0, None), ("综合利用率>60%的地区", None, None, "保持稳定或持续改善")],
        ),
        ("≥80", [(None, ">=", 80.0, None)]),
        ("县≥85", [("县", ">=", 85.0, None)]),
        # two clauses of one qualitative target are not scope variants
        (
            "完成上级规定的考核任务；保持稳定或持续改善",
            [(None, None, None, "完成上级规定的考核任务；保持稳定或持续改善")],
        ),
        ("—", []),
    ],
)
def test_split_scoped_targets(raw, expected):
    assert [(t.scope, t.op, t.value, t.text) for t in split_scoped_targets(raw)] == expected


@pytest.mark.parametrize(
    "raw, expected, items",
    [
        ("≥90\n≥75\n≥80", 3, ["≥90", "≥75", "≥80"]),
        ("≥60 ≥40 ≥18", 3, ["≥60", "≥40", "≥18"]),
        ("≥95 不明显 不降低", 3, ["≥95", "不明显", "不降低"]),
        ("\n≥100%\n不明显\n不降低", 3, ["≥100%", "不明显", "不降低"]),
        ("≥2\n保持稳定或持续改\n善", 2, ["≥2", "保持稳定或持续改善"]),
        ("≤300,或逐年下降\n≤3.5,或逐年下降", 2, ["≤300,或逐年下降", "≤3.5,或逐年下降"]),
        ("≥50 100 逐步下降", 3, ["≥50", "100", "逐步下降"]),
        ("\n\n≥41%\n≥43%", 2, ["≥41%", "≥43%"]),
        ("完成年度审核 计划", 1, ["完成年度审核计划"]),
        ("完成上级规定的考核任务\n保持稳定或持续改善", 2, ["完成上级规定的考核任务", "保持稳定或持续改善"]),
        # cannot be cut into the expected number: the whole text, for the caller to share
        ("完成上级规定的考核任务；保持稳定或持续改善", 2, ["完成上级规定的考核任务；保持稳定或持续改善"]),
        ("≥90 ≥75", 3, ["≥90 ≥75"]),
        ("≥90 ≥75 ≥80", 2, ["≥90 ≥75 ≥80"]),
        ("保持稳定或持续 改善 完成上级规定", 2, ["保持稳定或持续改善", "完成上级规定"]),
    ],
)
def test_split_target_items(raw, expected, items):
    assert split_target_items(raw, expected) == items


# ------------------------------------------------------------------ attribute


@pytest.mark.parametrize(
    "raw, scope, expected",
    [
        ("约束性", None, "约束性"),
        ("参考性", None, "参考性"),
        ("约束性指标", None, "约束性"),
        ("\n约束性\n", None, "约束性"),
        ("市：约束性\n县：参考性", "县", "参考性"),
        ("市：约束性\n县：参考性", "市", "约束性"),
        # cannot be resolved without the scope: None (the caller keeps attribute_raw)
        ("市：约束性\n县：参考性", None, None),
        ("市：约束性\n县：参考性", "山区", None),
        ("市：约束性；县：约束性", None, "约束性"),
        ("预期性", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_parse_attribute(raw, scope, expected):
    assert parse_attribute(raw, scope) == expected


# ------------------------------------------------------------------ years and money


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2019-2025", (2019, 2025)),
        ("2019", (2019, 2019)),
        ("\n2019-2021", (2019, 2021)),
        ("2019—2021年", (2019, 2021)),
        ("2019年-2021年", (2019, 2021)),
        ("2019～2021", (2019, 2021)),
        ("2019~2021", (2019, 2021)),
        ("2019至2021年", (2019, 2021)),
        ("2020-2021", (2020, 2021)),
        ("2020-21", (2020, 2021)),
        ("2022", (2022, 2022)),
        ("2025-2019", (None, None)),
        ("长期", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
        ("20190", (None, None)),
    ],
)
def test_parse_years(raw, expected):
    assert parse_years(raw) == expected


@pytest.mark.parametrize(
    "raw, unit, expected",
    [
        ("1850", "万元", 1850.0),
        ("1,850", "万元", 1850.0),
        ("1，850", "万元", 1850.0),
        ("1.2亿元", "万元", 12000.0),
        ("3000万元", "万元", 3000.0),
        ("1.5亿", None, 15000.0),
        ("50", None, 50.0),
        ("12", "(亿元)", 120000.0),
        ("50", "总投资\n(万元\n)", 50.0),
        ("50", "总投资(万元))", 50.0),
        ("2000000元", "万元", 200.0),
        ("1.22", "亿元", 12200.0),
        # not an amount we can trust
        ("待定", "万元", None),
        ("1200+300", "万元", None),
        ("1000-1500", "万元", None),
        ("100", "美元", None),
        ("", "万元", None),
        (None, "万元", None),
        ("—", "万元", None),
    ],
)
def test_parse_money_wan(raw, unit, expected):
    assert parse_money_wan(raw, unit) == expected


# ------------------------------------------------------------------ deadlines


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2023年12月", "2023-12"),
        ("2023年6月前", "2023-06"),
        ("2023.12", "2023-12"),
        ("2023-12", "2023-12"),
        ("2023/6", "2023-06"),
        ("2023年12月31日", "2023-12"),
        ("2023年", "2023"),
        ("2023", "2023"),
        # a period's end is its last month (documented choice)
        ("2023年底", "2023-12"),
        ("2023年年底前", "2023-12"),
        ("2023年末", "2023-12"),
        ("2023年上半年", "2023-06"),
        ("2023年第三季度", "2023-09"),
        # a range ends at its last date
        ("2023-2025年", "2025"),
        ("2021年6月至9月", "2021-09"),
        ("长期", None),
        ("2023年13月", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_deadline(raw, expected):
    assert parse_deadline(raw) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("组织开展2022年我县国家生态文明建设示范区各项建设指标完成情况的说明和证明材料收集、整理、编制，"
         "确保在2023年6月前上传至国家生态文明示范建设管理平台。", "2023-06"),
        ("在2023年年底前完成《柳州市鹿寨县畜禽养殖污染防治规划》编制工作并通过专家评审", "2023-12"),
        ("确保在2023年底前完成大邦屯水塘黑臭水体治理，实现水体功能恢复", "2023-12"),
        ("力争 2021 年底前成功创建省级生态文明建设示范县，2025 年底前成功创建国家生态文明建设示范县。", "2021-12"),
        ("2019年底，中心城区所有餐饮单位全面安装高效油烟净化设施；", "2019-12"),
        ("于2023年12月31日前完成", "2023-12"),
        # dates that are not deadlines
        ("截止 2021 年 12 月 31 日，PM₁₀ 年累计平均浓度为 50.43 μ g/m³", None),
        ("准备阶段(2021 年 4 月)。筹备并召开动员大会", None),
        ("组织开展2022年我县国家生态文明建设示范区各项建设指标完成情况的说明", None),
        ("", None),
    ],
)
def test_find_deadline(text, expected):
    assert find_deadline(text) == expected


# ------------------------------------------------------------------ measured values, years, assessments (issue 13)

from planingest.catalogue.assessments import load_assessment_words  # noqa: E402
from planingest.interpret.values import Measured, parse_assessment, parse_measured, parse_year  # noqa: E402

ASSESSMENT_WORDS = load_assessment_words()


@pytest.mark.parametrize("raw, year", [
    ("2023年度指标完成情况", 2023),
    ("现状值（2020年）", 2020),
    ("2022年完成值", 2022),
    ("规划目标值2025", 2025),
    ("附表2 鹿寨县2022年度生态文明建设示范区指标自评估表", 2022),
    ("生态文明建设指标（2021-2030年）", None),  # a span dates nothing
    ("2020年和2025年", None),  # two years: which one?
    ("现状值", None),
    (None, None),
    ("PM2.5浓度", None),
])
def test_parse_year(raw, year):
    assert parse_year(raw) == year


@pytest.mark.parametrize("raw, dated_by, value, year", [
    ("78.5%", "现状值（2020年）", 78.5, 2020),
    ("78.5", None, 78.5, None),
    ("≥95", "2022年完成值", 95.0, 2022),
    ("已建立", "2022年完成值", None, 2022),
    ("已全面实施", "2023年度指标完成情况", None, 2023),
    ("78.5（2022年）", "现状值（2020年）", 78.5, 2022),  # the cell's own year wins
    ("2021年：86.3", None, 86.3, 2021),
    ("９５．２％", None, 95.2, None),
    ("约80", None, None, None),  # not a plain number: kept as text only
    ("市95 县85", None, None, None),
])
def test_parse_measured(raw, dated_by, value, year):
    assert parse_measured(raw, dated_by) == Measured(raw, value, year)


@pytest.mark.parametrize("raw", [None, "", "—", "/", "-", "无"])
def test_parse_measured_placeholders_are_no_value(raw):
    assert parse_measured(raw, "现状值（2020年）") is None


@pytest.mark.parametrize("raw, meets", [
    ("达标", True), ("已达标", True), ("已完成", True), ("是", True), ("√", True), ("达 标", True),
    ("已达标（提前完成）", True), ("达标。", True),
    ("未达标", False), ("未完成", False), ("否", False), ("×", False), ("不达标", False),
    ("基本达标", None), ("持续推进", None), ("推进中", None), ("正在开展", None), ("", None), (None, None),
    ("达标率90%", None),  # not an assessment word: never guessed
])
def test_parse_assessment(raw, meets):
    assert parse_assessment(raw, ASSESSMENT_WORDS) is meets
