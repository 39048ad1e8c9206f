"""Samples for issue 13: tables with several target years, measured values and assessments.

Three documents in the shapes such tables take in real filings (content written for
these samples, in the style of the documents they stand for):

- samples/docx/jingan-multiyear.docx: a 规划 whose indicator table gives 现状值（2020年）,
  2025年目标值, 2030年目标值 and 达标情况, with the 领域 column merged down (vertical
  text) and sub-indicators under a parent row whose 序号 is merged over them;
- samples/xlsx/changting-selfcheck.xlsx: a 自评估 workbook (目标值, 2022年完成值, 是否达标
  with 是/否), a merged 序号 over sub-indicator rows, numbers stored as numbers;
- samples/pdf/yifeng-summary.pdf: an annual 工作总结 (LibreOffice export of a DOCX) with a
  table captioned "2023年度指标完成情况" (目标值, 完成值, 完成情况) and a key-project
  progress table (总投资, 完成投资, 进展情况).

Run from the repository root (deterministic, like tools/render_samples.py)::

    .venv/bin/python tools/render_values.py              # docx xlsx pdf into samples/
    .venv/bin/python tools/render_values.py --out /tmp/x # elsewhere (tests compare with samples/)

The ``pdf`` step needs LibreOffice with a CJK font.
"""
from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from tools.render_docx import FIXED_TIME, add_table, add_text, new_document, normalised_zip
from tools.render_samples import export_pdf
from tools.seedgrid import SAMPLES

STEPS = ("docx", "xlsx", "pdf")

# ---------------------------------------------------------------- 靖安县 规划 (DOCX): several target years

JA_TITLE = "靖安县国家生态文明建设示范县规划（2021—2030年）"
JA_HEADER = ("领域", "序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值", "2030年目标值", "达标情况", "指标属性")
#: (domain, seq, name, unit, 2020, 2025, 2030, assessment, attribute); seq None: a sub-indicator row
JA_ROWS = [
    ("生态制度", 1, "生态文明建设规划", "-", "已编制", "制定实施", "制定实施", "达标", "约束性"),
    ("生态制度", 2, "生态文明建设工作占党政实绩考核的比例", "%", "20", "≥20", "≥22", "达标", "约束性"),
    ("生态制度", 3, "河长制", "-", "全面实施", "全面实施", "全面实施", "达标", "约束性"),
    ("生态制度", 4, "生态环境信息公开率", "%", "95", "100", "100", "基本达标", "约束性"),
    ("生态安全", 5, "环境空气质量", "", "", "", "", "", "约束性"),
    ("生态安全", None, "优良天数比例", "%", "94.5", "≥95", "≥96", "未达标", ""),
    ("生态安全", None, "PM2.5浓度下降幅度", "%", "12.5", "≥10", "≥15", "达标", ""),
    ("生态安全", 6, "水环境质量", "", "", "", "", "", "约束性"),
    ("生态安全", None, "水质达到或优于Ⅲ类比例提高幅度", "%", "100", "100", "100", "达标", ""),
    ("生态安全", None, "劣Ⅴ类水体比例下降幅度", "%", "0", "0", "0", "达标", ""),
    ("生态空间", 7, "林草覆盖率", "%", "84.1", "≥84", "≥84.5", "达标", "约束性"),
    ("生态经济", 8, "单位地区生产总值能耗", "吨标准煤/万元", "0.42", "≤0.40", "≤0.36", "达标", "约束性"),
    ("生态生活", 9, "城镇新建绿色建筑比例", "%", "45", "≥50", "≥70", "未达标", "参考性"),
    ("生态生活", 10, "公众对生态文明建设的满意度", "%", "86.2", "≥80", "≥85", "达标", "参考性"),
    ("生态文化", 11, "党政领导干部参加生态文明培训的人数比例", "%", "100", "100", "100", "达标", "参考性"),
]
JA_PROSE = [
    ("heading", "第三章  建设目标与指标"),
    ("body", "按照《国家生态文明建设示范区建设指标》（2021年修订版），结合靖安县实际，确定生态制度、生态安全、"
             "生态空间、生态经济、生态生活、生态文化六大领域建设指标。规划近期为2021—2025年，远期为2026—2030年。"),
    ("body", "对照现状值，靖安县大部分指标已达到国家考核要求，优良天数比例、城镇新建绿色建筑比例等指标尚未达标，"
             "需在规划期内重点推进。"),
    ("caption", "表3-1  靖安县生态文明建设示范县建设指标"),
]


def _runs_of(values: list, key) -> list[tuple[int, int]]:
    """(first, last) row index of each run of rows sharing ``key``, runs of one left out."""
    spans, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or key(values[i]) != key(values[start]):
            if i - 1 > start:
                spans.append((start, i - 1))
            start = i
    return spans


def jingan_docx() -> bytes:
    doc = new_document(JA_TITLE, "靖安县人民政府")
    add_text(doc, "靖安县人民政府关于印发《靖安县国家生态文明建设示范县规划（2021—2030年）》的通知",
             "Title", WD_ALIGN_PARAGRAPH.CENTER)
    add_text(doc, "靖府发〔2021〕12号", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_text(doc, "各乡镇人民政府，县政府各部门：")
    add_text(doc, "现将《靖安县国家生态文明建设示范县规划（2021—2030年）》印发给你们，请认真贯彻执行。")
    add_text(doc, "靖安县人民政府", align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(doc, "2021年6月18日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for kind, text in JA_PROSE:
        if kind == "heading":
            add_text(doc, text, "Heading 1")
        elif kind == "caption":
            add_text(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        else:
            add_text(doc, text)
    # a sub-indicator row repeats its parent's 序号 and 指标属性 under a vertical merge
    seqs, attrs, rows = [], [], []
    for domain, seq, name, unit, now, t25, t30, met, attr in JA_ROWS:
        if seq is not None:
            seqs.append(seq)
            attrs.append(attr)
        rows.append([domain, str(seqs[-1]), name, unit, now, t25, t30, met, attrs[-1]])
    merges = []
    for col in (0, 1, 8):
        key = (lambda r: r[0]) if col == 0 else (lambda r: (r[1], r[8]))
        for start, end in _runs_of(rows, key):
            merges.append((start, col, end, col))
            for r in range(start + 1, end + 1):
                rows[r][col] = ""  # python-docx joins the texts of merged cells: one text per merge
    vertical = [(start, 0) for start, _ in _runs_of([list(r) for r in JA_ROWS], lambda r: r[0])]
    add_table(doc, JA_HEADER, rows, (1.3, 1.1, 6.8, 2.6, 2.6, 2.4, 2.4, 2.0, 1.8), merges, left_cols=(2,),
              vertical=vertical)
    add_text(doc, "注：现状值为2020年统计或监测数据；达标情况指现状值对照国家考核要求的达标情况。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalised_zip(buffer.getvalue())


# ---------------------------------------------------------------- 长汀县 自评估 (XLSX): 是/否

CT_TITLE = "长汀县2022年度国家生态文明建设示范县建设指标自评估表"
CT_HEADER = ("序号", "指标名称", "单位", "目标值", "2022年完成值", "是否达标", "责任单位")
#: seq None: a sub-indicator row under the numbered row above it
CT_ROWS = [
    (1, "生态文明建设工作占党政实绩考核的比例", "%", "≥20", 22, "是", "县委组织部"),
    (2, "河长制", "-", "全面实施", "全面实施", "是", "县水利局"),
    (3, "环境空气质量", "", "", "", "", "龙岩市长汀生态环境局"),
    (None, "优良天数比例", "%", "≥95", 97.3, "是", "龙岩市长汀生态环境局"),
    (None, "PM2.5浓度", "μg/m³", "≤25", 26, "否", "龙岩市长汀生态环境局"),
    (4, "集中式饮用水水源地水质优良比例", "%", "100", 100, "是", "龙岩市长汀生态环境局"),
    (5, "城镇污水处理率", "%", "≥85", 88.6, "是", "县住建局"),
    (6, "城镇新建绿色建筑比例", "%", "≥50", 41.2, "否", "县住建局"),
    (7, "一般工业固体废物综合利用率", "%", "≥80", 76.4, "否", "县工信局"),
    (8, "公众对生态文明建设的参与度", "%", "≥80", 83.5, "是", "县委宣传部"),
]
CT_NOTES = (
    "填报说明",
    "1. 完成值为2022年统计、监测数据或工作完成情况，数据来源于各责任单位报送材料。",
    "2. 是否达标按目标值与完成值对照填写“是”或“否”。",
)


def changting_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "长汀县生态文明建设示范县创建工作领导小组办公室"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "自评估表"
    ws.append([CT_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CT_HEADER))
    ws["A1"].font = Font(name="方正小标宋简体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(CT_HEADER))
    spans: list[tuple[int, int]] = []
    for row in CT_ROWS:
        if row[0] is not None:
            spans.append((ws.max_row + 1, ws.max_row + 1))
        else:
            spans[-1] = (spans[-1][0], ws.max_row + 1)
        ws.append(list(row))
    for first, last in spans:
        if last > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    thin = Side(style="thin")
    for r in range(2, ws.max_row + 1):
        for c in range(1, len(CT_HEADER) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="left" if c == 2 and r > 2 else "center", vertical="center",
                                       wrap_text=True)
            cell.font = Font(name="仿宋_GB2312", size=10, bold=r == 2)
    for letter, width in zip("ABCDEFG", (6, 34, 9, 12, 14, 10, 22)):
        ws.column_dimensions[letter].width = width
    notes = wb.create_sheet("填报说明")
    for text in CT_NOTES:
        notes.append([text])
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalised_zip(buffer.getvalue())


# ---------------------------------------------------------------- 宜丰县 年度总结 (PDF): 完成情况, project progress

YF_TITLE = "宜丰县2023年国家生态文明建设示范县创建工作总结"
YF_PROSE = [
    "2023年，宜丰县深入践行习近平生态文明思想，对照国家生态文明建设示范县建设指标，扎实推进各项创建任务，"
    "现将全年工作总结如下。",
    "一、指标完成情况",
    "全县纳入考核的8项指标中，6项已完成或达标，农村生活污水治理率未完成年度目标，政府绿色采购比例持续推进。",
    "二、重点项目推进情况",
    "全年实施重点项目3个，完成投资2.4亿元。",
]
YF_INDICATOR_CAPTION = "附表1  2023年度指标完成情况"
YF_INDICATOR_HEADER = ("序号", "指标名称", "单位", "目标值", "完成值", "完成情况")
YF_INDICATORS = [
    ("1", "生态环境信息公开率", "%", "100", "100", "已完成"),
    ("2", "依法开展规划环境影响评价", "%", "100", "100", "已完成"),
    ("3", "地表水水质达到或优于Ⅲ类比例", "%", "100", "100", "达标"),
    ("4", "受污染耕地安全利用率", "%", "≥91", "93.5", "达标"),
    ("5", "农村生活污水治理率", "%", "≥45", "43.8", "未完成"),
    ("6", "城镇生活垃圾无害化处理率", "%", "100", "100", "已完成"),
    ("7", "政府绿色采购比例", "%", "≥80", "78", "持续推进"),
    ("8", "生态文明建设规划", "-", "制定实施", "已印发实施", "已完成"),
]
YF_PROJECT_CAPTION = "附表2  2023年重点项目推进情况"
YF_PROJECT_HEADER = ("序号", "项目名称", "建设内容", "总投资（万元）", "完成投资（万元）", "进展情况")
YF_PROJECTS = [
    ("1", "宜丰县城乡污水处理提质增效工程", "新建污水管网42公里，改造提升泵站3座", "12800", "9650",
     "管网已完成35公里，泵站改造完工"),
    ("2", "耶溪河流域综合治理工程", "清淤疏浚8.5公里，建设生态护岸3.2公里", "6500", "6500", "已完工"),
    ("3", "工业园区循环化改造项目", "建设园区固废集中处置中心和中水回用设施", "21000", "7800", "正在推进"),
]


def yifeng_docx() -> bytes:
    doc = new_document(YF_TITLE, "宜丰县生态文明建设示范县创建工作领导小组办公室")
    add_text(doc, YF_TITLE, "Title", WD_ALIGN_PARAGRAPH.CENTER)
    for text in YF_PROSE:
        add_text(doc, text, "Heading 1" if text[1] == "、" else None)
    add_text(doc, "宜丰县生态文明建设示范县创建工作领导小组办公室", align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(doc, "2024年1月15日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(doc, YF_INDICATOR_CAPTION, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    add_table(doc, YF_INDICATOR_HEADER, [list(r) for r in YF_INDICATORS], (1.2, 6.0, 1.4, 2.2, 2.4, 2.2),
              left_cols=(1,))
    add_text(doc, "")
    add_text(doc, YF_PROJECT_CAPTION, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    add_table(doc, YF_PROJECT_HEADER, [list(r) for r in YF_PROJECTS], (1.2, 3.6, 4.6, 1.9, 1.9, 3.2),
              left_cols=(1, 2, 5))
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalised_zip(buffer.getvalue())


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the issue-13 samples (target years, values, assessments).")
    parser.add_argument("steps", nargs="*", help=f"steps to run: {', '.join(STEPS)} (default: all)")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder for docx/ xlsx/ pdf/")
    args = parser.parse_args(argv)
    steps, out = args.steps or list(STEPS), args.out
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    written = []
    if "docx" in steps:
        path = out / "docx" / "jingan-multiyear.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jingan_docx())
        written.append(path)
    if "xlsx" in steps:
        path = out / "xlsx" / "changting-selfcheck.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(changting_xlsx())
        written.append(path)
    if "pdf" in steps:
        path = out / "pdf" / "yifeng-summary.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "yifeng-summary.docx"
            source.write_bytes(yifeng_docx())
            export_pdf(source, path)
        written.append(path)
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
