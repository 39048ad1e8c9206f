"""Born-digital DOCX and PDF samples in the layouts real county filings have (issue: real documents, round 2).

Content written for these samples in the style of real 实施方案 and 工作总结 (no text copied).
Each document is written once as DOCX (python-docx, tools/render_docx.py helpers) and exported
to PDF by LibreOffice (tools/render_samples.export_pdf), so both formats carry the same rows:

- ``suichang-plan``: a 创建实施方案 whose prose ends task paragraphs in （牵头单位：…；配合单位：…）
  and one block in （以上工作由X统筹负责）; then, on landscape pages with a running header
  (the plan's title) and a page-number footer, 附件1 (an indicator table over three pages:
  领域 merged down across the page break, 序号 restarting per 领域, 牵头单位 and 配合单位 as
  two columns, the header repeated on each page, a ``续表`` caption before the second piece,
  a 注 row merged across the table's width) and 附件2 (a task table with 牵头单位 | 配合单位 |
  完成时限, followed by ``注：1. …  2. …`` paragraphs);
- ``suichang-summary``: a ``2023年工作总结和2024年工作思路`` whose indicator table gives the
  2025 target, the 2023 measured value and the 2024 target as bare-year columns, and an assessment.

Run from the repository root (deterministic)::

    .venv/bin/python -m tools.render_realdocs_office              # into samples/docx and samples/pdf
    .venv/bin/python -m tools.render_realdocs_office --out /tmp/x
"""
from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from tools.render_docx import add_table, add_text, new_document, normalised_zip
from tools.render_samples import export_pdf
from tools.seedgrid import SAMPLES

ISSUER = "遂昌县生态文明建设示范区创建工作领导小组办公室"

# ---------------------------------------------------------------- 实施方案: prose, 附件1, 附件2

PLAN_TITLE = "遂昌县创建国家生态文明建设示范县实施方案（2023—2025年）"
PLAN_PROSE = [
    ("title", PLAN_TITLE),
    ("body", "为深入践行习近平生态文明思想，高标准推进国家生态文明建设示范县创建工作，根据《国家生态文明建设"
             "示范区建设指标（修订版）》和《遂昌县国家生态文明建设示范县规划（2021—2030年）》，结合我县实际，"
             "制定本实施方案。"),
    ("heading", "一、工作目标"),
    ("body", "到2025年，全县生态文明建设各项指标全面达到国家考核要求，成功创建国家生态文明建设示范县。"
             "具体指标见附件1，重点任务见附件2。"),
    ("heading", "二、重点任务"),
    ("body", "（一）健全生态文明制度体系。将生态文明建设工作纳入党政实绩考核，考核比例不低于20%，"
             "全面落实河湖长制。（牵头单位：县委组织部；配合单位：县水利局、县生态环境分局）"),
    ("body", "（二）持续改善生态环境质量。深入打好蓝天、碧水、净土保卫战，环境空气质量优良天数比例保持在97%以上。"
             "（牵头单位：县生态环境分局；配合单位：县住建局、县交通运输局、县农业农村局）"),
    ("body", "（三）推进绿色低碳发展。严格落实能耗双控，推动工业园区循环化改造，"
             "提高一般工业固体废物综合利用率。"),
    ("body", "（四）倡导绿色生活方式。推进城镇新建建筑全面执行绿色建筑标准，扩大政府绿色采购范围。"
             "（以上工作由县发展改革局统筹负责）"),
    ("heading", "三、保障措施"),
    ("body", "各乡镇、各部门要把创建工作列入重要议事日程，明确分管领导和联络员，确保各项任务按期完成。"),
    ("sign", ISSUER),
    ("sign", "2023年3月20日"),
]

ANNEX1_TITLE = "附件1"
ANNEX1_CAPTION = "遂昌县国家生态文明建设示范县建设指标表"
ANNEX1_HEADER = ("领域", "序号", "指标名称", "单位", "现状值（2022年）", "目标值（2025年）", "指标属性",
                 "牵头单位", "配合单位")
_SUPPORT_LONG = "县发展改革局、县经济商务科技局、县住建局、县交通运输局、县农业农村局、各乡镇人民政府"
#: (domain, name, unit, 2022, 2025, attribute, lead, support); 序号 restarts per 领域
ANNEX1_ROWS = [
    ("生态制度", "生态文明建设规划", "-", "已编制", "制定实施", "约束性", "县生态环境分局",
     "县发展改革局、县自然资源和规划局、县林业局、县水利局"),
    ("生态制度", "党委政府对生态文明建设重大目标任务部署情况", "-", "有效开展", "有效开展", "约束性",
     "县委办公室", "县政府办公室"),
    ("生态制度", "生态文明建设工作占党政实绩考核的比例", "%", "20", "≥20", "约束性", "县委组织部", "县考核办"),
    ("生态制度", "河湖长制", "-", "全面实施", "全面实施", "约束性", "县水利局", "县自然资源和规划局"),
    ("生态制度", "生态环境信息公开率", "%", "100", "100", "约束性", "县生态环境分局", "县政府办公室"),
    ("生态制度", "依法开展规划环境影响评价", "-", "开展", "开展", "参考性", "县生态环境分局", _SUPPORT_LONG),
    ("生态安全", "环境空气质量优良天数比例", "%", "98.1", "≥97", "约束性", "县生态环境分局", _SUPPORT_LONG),
    ("生态安全", "PM2.5浓度", "微克/立方米", "21", "≤25", "约束性", "县生态环境分局", _SUPPORT_LONG),
    ("生态安全", "地表水水质达到或优于Ⅲ类比例", "%", "100", "100", "约束性", "县生态环境分局",
     "县水利局、县农业农村局"),
    ("生态安全", "生态环境状况指数", "%", "86.4", "≥60", "约束性", "县生态环境分局", "县林业局"),
    ("生态安全", "林草覆盖率", "%", "82.3", "≥60", "参考性", "县林业局", "县自然资源和规划局"),
    ("生态安全", "危险废物利用处置率", "%", "100", "100", "约束性", "县生态环境分局", "县卫生健康局"),
    ("生态安全", "建设用地土壤污染风险管控和修复名录制度", "-", "建立", "建立", "参考性", "县生态环境分局",
     "县自然资源和规划局"),
    ("生态安全", "突发生态环境事件应急管理机制", "-", "建立", "建立", "约束性", "县生态环境分局", "县应急管理局"),
    ("生态空间", "自然生态空间", "-", "面积不减少，性质不改变，功能不降低", "面积不减少，性质不改变，功能不降低",
     "约束性", "县自然资源和规划局", "县林业局、县水利局"),
    ("生态空间", "河湖岸线保护率", "%", "100", "完成上级管控目标", "参考性", "县水利局", "县自然资源和规划局"),
    ("生态经济", "单位地区生产总值能耗", "吨标准煤/万元", "0.38", "完成上级规定的目标任务", "约束性",
     "县发展改革局", "县经济商务科技局、县统计局"),
    ("生态经济", "单位地区生产总值用水量", "立方米/万元", "52.6", "完成上级规定的目标任务", "约束性", "县水利局",
     "县统计局"),
    ("生态经济", "单位国内生产总值建设用地使用面积下降率", "%", "5.1", "≥4.5", "参考性", "县自然资源和规划局",
     "县统计局"),
    ("生态经济", "农业废弃物综合利用率", "%", "91.5", "≥90", "参考性", "县农业农村局", "县生态环境分局"),
    ("生态经济", "一般工业固体废物综合利用率提高幅度", "%", "2.3", "≥2", "参考性", "县经济商务科技局",
     "县生态环境分局"),
    ("生态生活", "集中式饮用水水源地水质优良比例", "%", "100", "100", "约束性", "县生态环境分局",
     "县水利局、县卫生健康局"),
    ("生态生活", "村镇饮用水卫生合格率", "%", "96.2", "100", "约束性", "县卫生健康局", "县水利局"),
    ("生态生活", "城镇污水处理率", "%", "93.4", "≥85", "约束性", "县住建局", "县生态环境分局"),
    ("生态生活", "农村生活污水治理率", "%", "68.0", "≥50", "参考性", "县生态环境分局", "县农业农村局、各乡镇人民政府"),
    ("生态生活", "城镇生活垃圾无害化处理率", "%", "100", "≥80", "约束性", "县住建局", "县综合行政执法局"),
    ("生态生活", "农村无害化卫生厕所普及率", "%", "98.7", "完成上级规定的目标任务", "约束性", "县农业农村局",
     "县卫生健康局"),
    ("生态生活", "城镇新建绿色建筑比例", "%", "42", "≥50", "参考性", "县住建局", "县自然资源和规划局"),
    ("生态生活", "政府绿色采购比例", "%", "81", "≥80", "约束性", "县财政局", "县机关事务服务中心"),
    ("生态文化", "党政领导干部参加生态文明培训的人数比例", "%", "100", "100", "参考性", "县委组织部",
     "县委党校"),
    ("生态文化", "公众对生态文明建设的满意度", "%", "88.6", "≥80", "参考性", "县生态环境分局", "县委宣传部"),
    ("生态文化", "公众对生态文明建设的参与度", "%", "84.2", "≥80", "参考性", "县生态环境分局", "县委宣传部、县教育局"),
]
#: the row the manual 续表 starts at (a 领域 boundary, as editors cut tables)
ANNEX1_SPLIT = 21
ANNEX1_NOTE = "注：现状值为2022年统计或监测数据；“完成上级规定的目标任务”以丽水市下达的年度目标为准。"
WIDTHS_1 = (1.4, 1.0, 4.2, 2.2, 2.6, 2.6, 1.6, 2.6, 3.0)

ANNEX2_TITLE = "附件2"
ANNEX2_CAPTION = "遂昌县国家生态文明建设示范县创建重点任务分解表"
ANNEX2_HEADER = ("序号", "重点任务", "具体内容", "牵头单位", "配合单位", "完成时限")
ANNEX2_ROWS = [
    ("1", "编制实施生态文明建设规划", "完成规划修编并报县人大常委会审议，按年度分解落实规划任务", "县生态环境分局",
     "县发展改革局", "2023年6月底前"),
    ("2", "完善生态文明考核制度", "将生态文明建设工作纳入党政实绩考核，考核比例不低于20%", "县委组织部",
     "县考核办", "2023年12月底前"),
    ("3", "开展大气污染防治攻坚", "实施工业废气深度治理和扬尘整治，确保空气质量优良天数比例达到97%以上",
     "县生态环境分局", "县住建局、县交通运输局", "2025年12月底前"),
    ("4", "推进农村生活污水治理", "完成120个行政村生活污水处理设施标准化运维", "县生态环境分局",
     "县农业农村局、各乡镇人民政府", "2024年12月底前"),
    ("5", "推广绿色建筑", "城镇新建民用建筑全面执行绿色建筑标准", "县住建局", "县自然资源和规划局", "2025年12月底前"),
    ("6", "开展生态文明宣传教育", "组织生态文明进机关、进学校、进社区活动，开展公众满意度调查", "县委宣传部",
     "县生态环境分局、县教育局", "每年12月底前"),
]
ANNEX2_NOTES = [
    "注：1. 牵头单位负责统筹协调，配合单位按职责分工做好相关工作。",
    "2. 各单位于每季度末5日前将工作进展报县创建办。",
]


def _annex1_body(rows) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[tuple[int, int]]]:
    """Body rows with 序号 per 领域, the 领域 cell merged down each run (text in the top cell only)."""
    body, merges, vertical, start = [], [], [], 0
    for i, (domain, *rest) in enumerate(rows):
        first = i == 0 or rows[i - 1][0] != domain
        if first:
            start, seq = i, 1
        else:
            seq += 1
        body.append([domain if first else "", str(seq), *rest])
        last = i == len(rows) - 1 or rows[i + 1][0] != domain
        if last and i > start:
            merges.append((start, 0, i, 0))
            vertical.append((start, 0))
    return body, merges, vertical


def _annex1_piece(doc, rows, note: str | None) -> None:
    body, merges, vertical = _annex1_body(rows)
    if note:
        body.append([note] + [""] * (len(ANNEX1_HEADER) - 1))
        merges.append((len(body) - 1, 0, len(body) - 1, len(ANNEX1_HEADER) - 1))
    add_table(doc, ANNEX1_HEADER, body, WIDTHS_1, merges, left_cols=(2, 7, 8), vertical=vertical)


def _running_header(section, text: str) -> None:
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.text = text
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def plan_docx() -> bytes:
    doc = new_document(PLAN_TITLE, ISSUER)
    for kind, text in PLAN_PROSE:
        if kind == "title":
            add_text(doc, text, "Title", WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "heading":
            add_text(doc, text, "Heading 1")
        elif kind == "sign":
            add_text(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        else:
            add_text(doc, text)
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _running_header(section, PLAN_TITLE)
    add_text(doc, ANNEX1_TITLE, "Heading 1")
    add_text(doc, ANNEX1_CAPTION, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _annex1_piece(doc, ANNEX1_ROWS[:ANNEX1_SPLIT], None)
    add_text(doc, "续表", align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format.page_break_before = True
    _annex1_piece(doc, ANNEX1_ROWS[ANNEX1_SPLIT:], ANNEX1_NOTE)
    add_text(doc, ANNEX2_TITLE, "Heading 1").paragraph_format.page_break_before = True
    add_text(doc, ANNEX2_CAPTION, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    add_table(doc, ANNEX2_HEADER, [list(r) for r in ANNEX2_ROWS], (1.2, 4.0, 8.4, 3.2, 4.6, 3.0),
              left_cols=(1, 2, 4))
    for text in ANNEX2_NOTES:
        add_text(doc, text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalised_zip(buffer.getvalue())


# ---------------------------------------------------------------- 工作总结和工作思路: a 2023 measured column

SUMMARY_TITLE = "遂昌县生态文明建设示范区创建2023年工作总结和2024年工作思路"
SUMMARY_PROSE = [
    ("title", SUMMARY_TITLE),
    ("body", "2023年，我县坚持生态优先、绿色发展，对照国家生态文明建设示范县建设指标，逐项落实创建任务，"
             "现将2023年工作总结和2024年工作思路报告如下。"),
    ("heading", "一、2023年工作总结"),
    ("body", "全县环境空气质量优良天数比例98.4%，地表水水质达到或优于Ⅲ类比例保持100%，"
             "各项指标完成情况见下表。"),
    ("caption", "表1  2023年建设指标完成情况"),
    ("table", None),
    ("heading", "二、2024年工作思路"),
    ("body", "2024年，我县将围绕城镇新建绿色建筑比例等未达标指标，制定专项整改方案，确保2024年底前全部达标。"),
    ("sign", ISSUER),
    ("sign", "2024年1月10日"),
]
SUMMARY_HEADER = ("序号", "指标名称", "单位", "目标值（2025年）", "2023年", "达标情况", "2024年", "责任单位")
SUMMARY_ROWS = [
    ("1", "生态文明建设工作占党政实绩考核的比例", "%", "≥20", "21", "达标", "≥21", "县委组织部"),
    ("2", "环境空气质量优良天数比例", "%", "≥97", "98.4", "达标", "≥97.5", "县生态环境分局"),
    ("3", "地表水水质达到或优于Ⅲ类比例", "%", "100", "100", "达标", "100", "县生态环境分局"),
    ("4", "林草覆盖率", "%", "≥60", "82.5", "达标", "≥82.5", "县林业局"),
    ("5", "城镇新建绿色建筑比例", "%", "≥50", "46", "未达标", "≥50", "县住建局"),
    ("6", "公众对生态文明建设的满意度", "%", "≥80", "89.1", "达标", "≥85", "县生态环境分局"),
]


def summary_docx() -> bytes:
    doc = new_document(SUMMARY_TITLE, ISSUER)
    for kind, text in SUMMARY_PROSE:
        if kind == "title":
            add_text(doc, text, "Title", WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "heading":
            add_text(doc, text, "Heading 1")
        elif kind == "caption":
            add_text(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        elif kind == "sign":
            add_text(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "table":
            add_table(doc, SUMMARY_HEADER, [list(r) for r in SUMMARY_ROWS], (1.1, 5.0, 1.2, 2.2, 1.6, 1.6, 1.6, 2.6),
                      left_cols=(1,))
        else:
            add_text(doc, text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalised_zip(buffer.getvalue())


DOCUMENTS = {"suichang-plan": plan_docx, "suichang-summary": summary_docx}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the born-digital DOCX/PDF real-layout samples.")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder for docx/ and pdf/")
    args = parser.parse_args(argv)
    written = []
    for name, make in DOCUMENTS.items():
        docx = args.out / "docx" / f"{name}.docx"
        docx.parent.mkdir(parents=True, exist_ok=True)
        docx.write_bytes(make())
        pdf = args.out / "pdf" / f"{name}.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / docx.name
            source.write_bytes(docx.read_bytes())
            export_pdf(source, pdf)
        written += [docx, pdf]
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
