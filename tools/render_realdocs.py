"""Samples in the table layouts of real summaries, self-assessments and plans (issue: real documents).

Government pages publish these as HTML; the layouts below are the ones the
issue-13 samples did not cover, written for these samples in the style of real
filings (no text copied):

- ``html/qingtian-summary.html``: a 工作总结 whose indicator table groups three
  measured years under one merged 现状值 header (``现状值`` over ``2021年 | 2022年 |
  2023年``), beside a 目标值 column, 达标情况, 牵头单位 and 配合单位;
- ``html/qingtian-selfcheck.html``: a 自评估报告 with ``基准年（2020年）``,
  ``目标值（2025年）``, ``现状值（2023年）``, the 领域 merged down, and a second table
  whose measured columns are bare years (``2021年 | 2022年 | 2023年``) beside 目标值;
- ``html/qingtian-plan.html``: a 规划（2021—2025年） whose target table gives the
  baseline as a bare earlier year (``2020年 | 2023年 | 2025年``) and a 目标值 group
  over ``近期（2023年）| 远期（2025年）`` in a second table.

Run from the repository root (deterministic)::

    .venv/bin/python -m tools.render_realdocs              # into samples/
    .venv/bin/python -m tools.render_realdocs --out /tmp/x
"""
from __future__ import annotations

import argparse
import html
from pathlib import Path

from tools.seedgrid import SAMPLES

#: a header cell: (text, rowspan, colspan)
Cell = tuple[str, int, int]


def _table(caption: str, header: list[list[Cell]], rows: list[list[tuple[str, int]]]) -> str:
    """An HTML table as an editor exports it; body cells are (text, rowspan), rowspan 0 = covered."""
    out = [f'<p align="center"><b>{html.escape(caption)}</b></p>',
           '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse" width="100%"><tbody>']
    for line in header:
        cells = []
        for text, rs, cs in line:
            attr = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f'<td{attr} style="background:#f2f2f2"><p align="center"><b>{html.escape(text)}</b></p></td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    for row in rows:
        cells = []
        for text, rs in row:
            if rs == 0:
                continue
            attr = f' rowspan="{rs}"' if rs > 1 else ""
            body = "<br>".join(html.escape(p) for p in text.split("\n"))
            cells.append(f'<td{attr} valign="middle"><p align="center"><span style="font-size:10pt">{body}</span></p></td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _page(title: str, issuer: str, date: str, paragraphs: list[str], tables: list[str]) -> bytes:
    body = "\n".join(f'<p style="text-indent:2em">{html.escape(p)}</p>' for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_{issuer}</title></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ghjh/">规划计划</a></div>
<div class="article">
<h1>{html.escape(title)}</h1>
<div class="info">发布时间：{date}　来源：{issuer}</div>
{body}
{chr(10).join(tables)}
<p style="text-align:right">{issuer}</p>
<p style="text-align:right">{date}</p>
</div>
<div id="footer">版权所有：{issuer}　网站标识码：3318250001</div>
</body></html>
"""
    return page.encode("utf-8")


def _plain(row: list[str]) -> list[tuple[str, int]]:
    return [(c, 1) for c in row]


# ------------------------------------------------------------------ 工作总结: 现状值 over three years

SUMMARY_TITLE = "青田县2023年国家生态文明建设示范县创建工作总结"
SUMMARY_PARAS = [
    "2023年，我县对照《国家生态文明建设示范区建设指标（修订版）》，逐项分解创建任务，压实部门责任，"
    "各项指标总体向好。现将全年创建工作总结如下。",
    "一、主要工作成效",
    "全县环境空气质量优良天数比例连续三年保持在95%以上，县级集中式饮用水水源地水质稳定达标，"
    "生态文明建设规划全面实施。",
    "二、指标完成情况",
    "对照建设指标，我县33项适用指标中已有30项达到考核要求，城镇新建绿色建筑比例等3项尚未达标，"
    "具体见下表。",
]
SUMMARY_HEADER: list[list[Cell]] = [
    [("序号", 2, 1), ("指标名称", 2, 1), ("单位", 2, 1), ("目标值", 2, 1), ("现状值", 1, 3),
     ("达标情况", 2, 1), ("牵头单位", 2, 1), ("配合单位", 2, 1)],
    [("2021年", 1, 1), ("2022年", 1, 1), ("2023年", 1, 1)],
]
SUMMARY_ROWS = [
    ["1", "生态文明建设规划", "-", "制定实施", "制定实施", "制定实施", "制定实施", "达标", "县生态环境分局", "县发展改革局"],
    ["2", "生态文明建设工作占党政实绩考核的比例", "%", "≥20", "20", "20", "22", "达标", "县委组织部", "县考核办"],
    ["3", "环境空气质量优良天数比例", "%", "≥90", "93.2", "95.1", "96.4", "达标", "县生态环境分局", "县住建局、县交通运输局"],
    ["4", "林草覆盖率", "%", "≥60", "71.2", "71.5", "71.8", "达标", "县林业局", "县自然资源局"],
    ["5", "城镇新建绿色建筑比例", "%", "≥50", "38", "42", "46", "未达标", "县住建局", ""],
    ["6", "公众对生态文明建设的满意度", "%", "≥80", "84.6", "86.1", "88.3", "达标", "县生态环境分局", "县委宣传部"],
]


def summary_page() -> bytes:
    table = _table("表1  青田县国家生态文明建设示范县建设指标完成情况（2021—2023年）",
                   SUMMARY_HEADER, [_plain(r) for r in SUMMARY_ROWS])
    return _page(SUMMARY_TITLE, "青田县生态文明建设示范区创建工作领导小组办公室", "2024-01-15",
                 SUMMARY_PARAS, [table])


# ------------------------------------------------------------------ 自评估报告: 基准年 / 目标值 / 现状值, bare years

SELFCHECK_TITLE = "青田县国家生态文明建设示范县创建自评估报告"
SELFCHECK_PARAS = [
    "根据《国家生态文明建设示范区管理规程》要求，我县组织开展了创建工作自评估。"
    "本报告以2020年为基准年，以2023年统计和监测数据为现状，对照2025年规划目标逐项评估。",
    "一、指标自评估结果",
]
SELFCHECK_HEADER: list[list[Cell]] = [[
    ("领域", 1, 1), ("序号", 1, 1), ("指标名称", 1, 1), ("单位", 1, 1), ("指标属性", 1, 1),
    ("基准年（2020年）", 1, 1), ("目标值（2025年）", 1, 1), ("现状值（2023年）", 1, 1), ("是否达标", 1, 1),
    ("牵头单位", 1, 1),
]]
#: (domain, rowspan of the domain cell (0 = covered), rest of the row)
SELFCHECK_ROWS = [
    ("生态制度", 2, ["1", "河长制", "-", "约束性", "全面实施", "全面实施", "全面实施", "是", "县水利局"]),
    ("生态制度", 0, ["2", "生态环境信息公开率", "%", "约束性", "92", "100", "100", "是", "县生态环境分局"]),
    ("生态安全", 2, ["3", "集中式饮用水水源地水质优良比例", "%", "约束性", "100", "100", "100", "是", "县生态环境分局"]),
    ("生态安全", 0, ["4", "受污染耕地安全利用率", "%", "约束性", "90.5", "≥93", "92.1", "否", "县农业农村局"]),
    ("生态经济", 1, ["5", "单位地区生产总值能耗", "吨标准煤/万元", "约束性", "0.46", "≤0.42", "0.43", "否", "县发展改革局"]),
]
TREND_PARAS = ["二、主要指标变化趋势", "近三年主要指标监测值见下表。"]
TREND_HEADER: list[list[Cell]] = [[
    ("序号", 1, 1), ("指标名称", 1, 1), ("单位", 1, 1), ("目标值", 1, 1),
    ("2021年", 1, 1), ("2022年", 1, 1), ("2023年", 1, 1), ("责任单位", 1, 1),
]]
TREND_ROWS = [
    ["1", "环境空气质量优良天数比例", "%", "≥90", "93.2", "95.1", "96.4", "县生态环境分局"],
    ["2", "城镇生活污水集中收集率", "%", "≥70", "66.3", "69.8", "72.5", "县住建局"],
    ["3", "农村生活垃圾无害化处理率", "%", "100", "98", "100", "100", "县城管局"],
]


def selfcheck_page() -> bytes:
    rows = [[(domain, span), *_plain(rest)] for domain, span, rest in SELFCHECK_ROWS]
    one = _table("表1  青田县生态文明建设示范县建设指标自评估表", SELFCHECK_HEADER, rows)
    two = _table("表2  青田县主要指标监测值（2021—2023年）", TREND_HEADER, [_plain(r) for r in TREND_ROWS])
    return _page(SELFCHECK_TITLE, "青田县人民政府", "2024-03-20", SELFCHECK_PARAS, [one, _para_block(TREND_PARAS), two])


def _para_block(paragraphs: list[str]) -> str:
    return "\n".join(f'<p style="text-indent:2em">{html.escape(p)}</p>' for p in paragraphs)


# ------------------------------------------------------------------ 规划: a bare baseline year, 目标值 over 近期/远期

PLAN_TITLE = "青田县国家生态文明建设示范县规划（2021—2025年）"
PLAN_PARAS = [
    "本规划以2020年为基准年，规划期为2021—2025年，其中近期至2023年，远期至2025年。",
    "第三章  规划指标",
    "规划指标分为约束性指标和参考性指标，各项指标目标值如下表。",
]
PLAN_HEADER: list[list[Cell]] = [[
    ("序号", 1, 1), ("指标名称", 1, 1), ("单位", 1, 1), ("2020年", 1, 1), ("2023年", 1, 1), ("2025年", 1, 1),
    ("指标属性", 1, 1), ("责任单位", 1, 1),
]]
PLAN_ROWS = [
    ["1", "生态环境信息公开率", "%", "92", "100", "100", "约束性", "县生态环境分局"],
    ["2", "林草覆盖率", "%", "71.2", "≥71.5", "≥72", "约束性", "县林业局"],
    ["3", "城镇新建绿色建筑比例", "%", "35", "≥45", "≥50", "参考性", "县住建局"],
]
PLAN2_HEADER: list[list[Cell]] = [
    [("序号", 2, 1), ("指标名称", 2, 1), ("单位", 2, 1), ("现状值（2020年）", 2, 1), ("目标值", 1, 2),
     ("责任单位", 2, 1)],
    [("近期（2023年）", 1, 1), ("远期（2025年）", 1, 1)],
]
PLAN2_ROWS = [
    ["4", "单位地区生产总值能耗", "吨标准煤/万元", "0.46", "≤0.44", "≤0.42", "县发展改革局"],
    ["5", "公众对生态文明建设的满意度", "%", "82.5", "≥85", "≥88", "县生态环境分局"],
]


def plan_page() -> bytes:
    one = _table("表3-1  青田县生态文明建设规划指标（一）", PLAN_HEADER, [_plain(r) for r in PLAN_ROWS])
    two = _table("表3-2  青田县生态文明建设规划指标（二）", PLAN2_HEADER, [_plain(r) for r in PLAN2_ROWS])
    return _page(PLAN_TITLE, "青田县人民政府", "2021-06-30", PLAN_PARAS, [one, _para_block(["（续）"]), two])


# ------------------------------------------------------------------ 年度总结 as text: a group header written once

TEXT_TITLE = "青田县2022年生态文明建设示范县创建工作总结"
TEXT_PARAS = [
    "青田县生态文明建设示范区创建工作领导小组办公室",
    "2023年1月10日",
    "2022年，全县上下坚持生态优先、绿色发展，扎实推进国家生态文明建设示范县创建各项工作，"
    "主要指标稳中向好。",
    "一、主要指标完成情况",
]
#: the text dump a word processor gives of a two-row header: the group (完成情况) written once,
#: the years on the next line under it, the cells merged down left empty
TEXT_TABLE_ONE = [
    ["序号", "指标名称", "单位", "目标值", "完成情况", "", "是否达标", "责任单位"],
    ["", "", "", "", "2021年", "2022年", "", ""],
    ["1", "地表水水质达到或优于Ⅲ类比例", "%", "≥90", "92.3", "94.1", "是", "县生态环境分局"],
    ["2", "村庄生活污水治理率", "%", "≥60", "55.2", "58.7", "否", "县住建局"],
    ["3", "生活垃圾分类覆盖率", "%", "≥80", "78", "83.5", "是", "县综合行政执法局"],
]
TEXT_PARAS_TWO = ["二、年度考核指标完成情况"]
#: a year in front of 完成情况 whose cells are numbers, beside a worded assessment column
TEXT_TABLE_TWO = [
    ["序号", "指标名称", "单位", "2022年目标值", "2022年完成情况", "达标情况", "责任单位"],
    ["1", "森林覆盖率", "%", "≥80", "81.2", "达标", "县林业局"],
    ["2", "单位地区生产总值二氧化碳排放降低率", "%", "≥3.5", "3.1", "未达标", "县发展改革局"],
    ["3", "农村生活污水治理设施运维", "-", "全面开展", "已开展", "达标", "县生态环境分局"],
]


TEXT_PARAS_THREE = ["三、生态文明建设考核情况"]
#: a header split over two lines, neither a header alone: the group (2022年度考核情况) beside
#: 序号 and 指标名称 on the first, the words under the group on the second
TEXT_TABLE_THREE = [
    ["序号", "指标名称", "2022年度考核情况", "", "", "责任单位"],
    ["", "", "目标值", "完成值", "是否达标", ""],
    ["1", "生态环境信息公开率", "100%", "100%", "是", "县生态环境分局"],
    ["2", "政府绿色采购比例", "≥80%", "76.5%", "否", "县财政局"],
]


def _pipe(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) + " |" for r in rows)


def summary_text() -> bytes:
    parts = [TEXT_TITLE, *TEXT_PARAS, _pipe(TEXT_TABLE_ONE), "", *TEXT_PARAS_TWO, _pipe(TEXT_TABLE_TWO), "",
             *TEXT_PARAS_THREE, _pipe(TEXT_TABLE_THREE), ""]
    return "\n".join(parts).encode("utf-8")


# ------------------------------------------------------------------ 年度工作要点: a task list and an assessment table

WORKPLAN_TITLE = "青田县2024年国家生态文明建设示范县创建工作要点"
WORKPLAN_PARAS = [
    "为巩固提升国家生态文明建设示范县创建成果，确保各项指标持续达标，结合我县实际，制定本工作要点。",
    "一、年度重点任务",
    "各牵头单位要细化工作举措，明确时间节点，于每季度末向县创建办报送工作进展。",
]
#: a task list whose group cell (重点领域) is merged down over its tasks
WORKPLAN_HEADER: list[list[Cell]] = [[
    ("重点领域", 1, 1), ("序号", 1, 1), ("重点任务", 1, 1), ("具体措施", 1, 1), ("牵头单位", 1, 1),
    ("配合单位", 1, 1), ("完成时限", 1, 1),
]]
WORKPLAN_ROWS = [
    ("生态制度", 2, ["1", "完善考核机制", "将生态文明建设工作纳入乡镇（街道）和部门年度综合考核，占比不低于20%。",
                   "县委组织部", "县考核办", "2024年6月底前"]),
    ("生态制度", 0, ["2", "推进信息公开", "按季度公开环境质量、重点排污单位和环境执法信息。", "县生态环境分局", "县政府办",
                   "持续推进"]),
    ("生态安全", 2, ["3", "深化大气污染防治", "开展扬尘、餐饮油烟和机动车尾气专项整治，确保优良天数比例不低于95%。",
                   "县生态环境分局", "县住建局、县交通运输局、县市场监管局", "2024年12月底前"]),
    ("生态安全", 0, ["4", "推进农村生活污水治理", "新建和提标改造农村生活污水处理设施15处，运维覆盖率100%。",
                   "县住建局", "各乡镇（街道）", "2024年11月底前"]),
]
CHECK_PARAS = ["二、指标巩固提升要求", "对照建设指标，各责任单位要确保下列指标持续达到考核要求。"]
CHECK_HEADER: list[list[Cell]] = [[
    ("序号", 1, 1), ("指标名称", 1, 1), ("单位", 1, 1), ("考核要求", 1, 1), ("2023年现状", 1, 1),
    ("是否达到考核要求", 1, 1), ("责任单位", 1, 1),
]]
CHECK_ROWS = [
    ["1", "生态文明建设工作占党政实绩考核的比例", "%", "≥20", "22", "是", "县委组织部"],
    ["2", "林草覆盖率", "%", "≥60", "71.8", "是", "县林业局"],
    ["3", "城镇新建绿色建筑比例", "%", "≥50", "46", "否", "县住建局"],
    ["注：带*的指标为参考性指标；现状数据来源于县统计局和各责任单位。", "", "", "", "", "", ""],
]


def workplan_page() -> bytes:
    rows = [[(area, span), *_plain(rest)] for area, span, rest in WORKPLAN_ROWS]
    one = _table("表1  青田县2024年生态文明建设示范县创建重点任务清单", WORKPLAN_HEADER, rows)
    check_rows = [_plain(r) for r in CHECK_ROWS[:-1]] + [[(CHECK_ROWS[-1][0], 1)]]
    two = _table("表2  青田县生态文明建设指标巩固提升要求", CHECK_HEADER, check_rows)
    two = two.replace(f'<td valign="middle"><p align="center"><span style="font-size:10pt">{CHECK_ROWS[-1][0]}',
                      f'<td colspan="7" valign="middle"><p align="left"><span style="font-size:10pt">{CHECK_ROWS[-1][0]}')
    return _page(WORKPLAN_TITLE, "青田县生态文明建设示范区创建工作领导小组办公室", "2024-02-26",
                 WORKPLAN_PARAS, [one, _para_block(CHECK_PARAS), two])


# ------------------------------------------------------------------ 实施方案: 类型 column, starred names, unit in the name

IMPL_TITLE = "青田县创建国家生态文明建设示范县实施方案（2022—2025年）"
IMPL_PARAS = [
    "为全面推进国家生态文明建设示范县创建工作，根据《国家生态文明建设示范区管理规程》和"
    "《国家生态文明建设示范区建设指标》，结合我县实际，制定本实施方案。",
    "一、创建目标",
    "到2025年，全县各项建设指标全面达到国家生态文明建设示范县考核要求，成功创建国家生态文明建设示范县。",
    "二、指标任务分解",
]
#: 约束性/参考性 under a header the vocabulary does not know (类型), the 领域 merged down, a
#: name that carries its unit in brackets and no unit cell, a starred (参考性) name
IMPL_HEADER: list[list[Cell]] = [[
    ("领域", 1, 1), ("序号", 1, 1), ("指标名称", 1, 1), ("单位", 1, 1), ("现状值（2021年）", 1, 1),
    ("2022—2025年目标", 1, 1), ("类型", 1, 1), ("责任单位", 1, 1),
]]
IMPL_ROWS = [
    ("生态空间", 2, ["1", "生态保护红线", "-", "已划定", "生态功能不降低、面积不减少、性质不改变", "约束性", "市自然资源和规划局青田分局"]),
    ("生态空间", 0, ["2", "自然生态空间用途管制", "-", "初步建立", "有效实施", "约束性", "县自然资源局"]),
    ("生态经济", 2, ["3", "单位地区生产总值用水量（立方米/万元）", "", "38.6", "≤35", "约束性", "县水利局"]),
    ("生态经济", 0, ["4", "农业废弃物综合利用率*", "%", "86.3", "≥90", "参考性", "县农业农村局"]),
    ("生态生活", 1, ["5", "政府绿色采购比例", "%", "78", "≥80", "约束性", "县财政局"]),
]
IMPL_NOTE = "注：带*的指标为参考性指标。"


def implementation_page() -> bytes:
    rows = [[(area, span), *_plain(rest)] for area, span, rest in IMPL_ROWS]
    table = _table("附表  青田县国家生态文明建设示范县建设指标任务分解表", IMPL_HEADER, rows)
    return _page(IMPL_TITLE, "青田县人民政府办公室", "2022-04-18", IMPL_PARAS, [table, _para_block([IMPL_NOTE])])


# ------------------------------------------------------------------ 工作要点 as prose: the ways a task names its units

POINTS_LINES = [
    "青田县2025年生态文明建设示范县巩固提升工作要点",
    "青田县生态文明建设示范区创建工作领导小组办公室",
    "2025年2月18日",
    "为持续巩固国家生态文明建设示范县创建成果，现将2025年工作要点印发如下。",
    "一、强化制度保障",
    "（一）完善考核机制。将生态文明建设工作纳入乡镇（街道）和部门年度综合考核。"
    "（责任单位：县委组织部，完成时限：2025年6月底前）",
    "（二）推进信息公开。按季度公开环境质量和执法信息。（牵头单位：县生态环境分局；配合单位：县政府办）",
    "二、改善环境质量",
    "（三）深化大气污染防治。开展扬尘和餐饮油烟专项整治，确保优良天数比例稳定在95%以上。"
    "（县生态环境分局牵头，县住建局、县市场监管局配合）",
    "（四）推进农村生活污水治理。完成15个行政村生活污水处理设施提标改造。责任单位：县住建局；完成时间：2025年11月。",
    "三、弘扬生态文化",
    "（五）开展主题宣传。组织六五环境日、全国生态日系列宣传活动。（以上工作由县委宣传部统筹负责）",
]


def points_text() -> bytes:
    return ("\n".join(POINTS_LINES) + "\n").encode("utf-8")


MAKERS = {
    "text/qingtian-2025-workpoints.txt": points_text,
    "html/qingtian-implementation.html": implementation_page,
    "html/qingtian-workplan.html": workplan_page,
    "text/qingtian-2022-summary.txt": summary_text,
    "html/qingtian-summary.html": summary_page,
    "html/qingtian-selfcheck.html": selfcheck_page,
    "html/qingtian-plan.html": plan_page,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the real-layout summary, self-assessment and plan samples.")
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args(argv)
    for name, make in MAKERS.items():
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
