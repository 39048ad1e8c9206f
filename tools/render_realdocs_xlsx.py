"""XLSX workbooks in the layouts county offices really send (issue: real documents, round 3).

Content written for this sample in the style of real 责任分解表 attachments (no text copied).
``samples/xlsx/anji-tasks.xlsx`` has three sheets:

- ``指标分解``: a title row merged across the table (``附件1 …指标责任分解表``), a 填报单位/日期 row,
  a two-row header (``指标值`` over ``现状值|目标值``), units in the header's name cells
  (``林草覆盖率(%)``) and in a 单位 column, 领域 merged down, percentages typed as numbers in
  percent-formatted cells and as text (``≥95%``), a hidden column of the last plan's 2020 targets,
  and ``注：`` rows under the table;
- ``重点项目``: 总投资（万元）as numbers with a thousands format, 建设年限 ``2023-2025``, 责任单位,
  and a ``合计`` row that sums the investment (it is not a project);
- ``重点任务``: 重点任务 | 责任单位 | 完成时限.

Run from the repository root (deterministic)::

    .venv/bin/python -m tools.render_realdocs_xlsx              # into samples/xlsx
    .venv/bin/python -m tools.render_realdocs_xlsx --out /tmp/x
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path

from tools.render_docx import normalised_zip
from tools.seedgrid import SAMPLES

FIXED_TIME = dt.datetime(2023, 8, 1, 9, 0, 0)
ISSUER = "安吉县生态文明建设示范区创建工作领导小组办公室"
TITLE = "附件1 安吉县生态文明建设示范区创建指标责任分解表"
FILLER = ("填报单位：安吉县生态文明建设示范区创建工作领导小组办公室", "填报日期：2023年7月20日")
HEADER_TOP = ("序号", "领域", "指标名称", "单位", "指标值", None, "指标属性", "责任单位", "2020年目标值")
HEADER_SUB = (None, None, None, None, "现状值", "目标值", None, None, None)
#: (领域 or None when merged from above, name, unit, current, target, attribute, units, the last
#: plan's target in a column the office hid before sending);
#: a float in the current/target column is written into a percent-formatted cell
INDICATORS = [
    ("生态制度", "生态文明建设规划", "-", "制定实施", "制定实施", "约束性", "县发展改革局", ""),
    (None, "党委政府对生态文明建设重大目标任务部署情况", "-", "有效开展", "有效开展", "约束性", "县委办、县政府办", ""),
    (None, "生态文明建设工作占党政实绩考核的比例(%)", "", 0.2, 0.22, "约束性", "县委组织部", 0.2),
    ("生态环境", "环境空气质量优良天数比例", "%", 0.931, "≥95%", "约束性", "县生态环境分局", "≥90%"),
    (None, "地表水水质达到或优于Ⅲ类比例(%)", "", 1, 1, "约束性", "县生态环境分局、县水利局", ""),
    (None, "林草覆盖率(%)", "", "71.1", "≥71", "参考性", "县自然资源和规划局", "≥70"),
    ("生态空间", "生态保护红线面积", "平方公里", "342.6", "不减少", "约束性", "县自然资源和规划局", ""),
    ("生态经济", "单位地区生产总值能耗", "吨标准煤/万元", "0.41", "≤0.40", "约束性", "县发展改革局", ""),
    (None, "一般工业固体废物综合利用率", "%", 0.902, 0.95, "参考性", "县经济和信息化局", ""),
    ("生态生活", "城镇新建绿色建筑比例", "%", "85", "100", "参考性", "县住房和城乡建设局", ""),
    (None, "政府绿色采购比例", "%", "≥80%", "≥80%", "约束性", "县财政局", ""),
]
NOTES = (
    "注：1.现状值为2022年统计、监测数据；2.第一个责任单位为牵头单位，其他为配合单位。",
    "注：各责任单位每季度末向县创建办报送指标完成情况。",
)
PROJECT_TITLE = "附件2 安吉县生态文明建设示范区创建重点项目表"
PROJECT_HEADER = ("序号", "项目名称", "建设内容及规模", "总投资（万元）", "建设年限", "责任单位")
PROJECTS = [
    (1, "西苕溪流域水环境综合治理工程", "河道清淤疏浚12公里，建设生态护岸6.5公里", 18600, "2023-2025", "县水利局"),
    (2, "城镇污水处理厂提标改造项目", "污水处理厂出水提标至准Ⅳ类，新增处理能力2万吨/日", 9850.5, "2023-2024",
     "县住房和城乡建设局"),
    (3, "农村生活垃圾分类资源化利用站", "建设资源化利用站5座", 2400, "2024", "县综合行政执法局"),
]
TASK_TITLE = "附件3 重点任务清单"
TASK_HEADER = ("序号", "重点任务", "责任单位", "完成时限")
TASKS = [
    (1, "编制并印发生态文明建设示范区规划，建立规划实施年度评估机制", "县发展改革局", "2023年9月底前"),
    (2, "完成饮用水水源地规范化建设和环境问题整治", "县生态环境分局、县水利局", "2023年12月底前"),
    (3, "推进公共机构节能和绿色采购，发布年度绿色采购清单", "县财政局、县机关事务服务中心", "长期坚持"),
]


def _style(ws, first_row: int, last_row: int, ncols: int, left_cols=()) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    for r in range(first_row, last_row + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="left" if c in left_cols else "center", vertical="center",
                                       wrap_text=True)
            cell.font = Font(name="仿宋_GB2312", size=10)


def _title(ws, text: str, ncols: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    ws.cell(row=ws.max_row, column=1).font = Font(name="方正小标宋简体", size=16)
    ws.cell(row=ws.max_row, column=1).alignment = Alignment(horizontal="center")


def _indicator_sheet(ws) -> None:
    ncols = len(HEADER_TOP)
    _title(ws, TITLE, ncols)
    ws.append([FILLER[0], None, None, None, None, None, FILLER[1]])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=4)
    ws.merge_cells(start_row=2, start_column=7, end_row=2, end_column=9)
    ws.append(list(HEADER_TOP))
    ws.append(list(HEADER_SUB))
    for c in (1, 2, 3, 4, 7, 8, 9):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=6)
    spans: list[list[int]] = []
    for number, (domain, name, unit, current, target, kind, units, note) in enumerate(INDICATORS, 1):
        row = ws.max_row + 1
        if domain is not None:
            spans.append([row, row])
        else:
            spans[-1][1] = row
        ws.append([number, domain, name, unit or None, current, target, kind, units, note or None])
        for col, value in ((5, current), (6, target), (9, note)):
            if isinstance(value, (float, int)) and not isinstance(value, bool):
                ws.cell(row=row, column=col).number_format = "0%" if float(value * 100).is_integer() else "0.0%"
    last = ws.max_row
    for first, end in spans:
        if end > first:
            ws.merge_cells(start_row=first, start_column=2, end_row=end, end_column=2)
    _style(ws, 3, last, ncols, left_cols=(3, 8))
    for text in NOTES:
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    for letter, width in zip("ABCDEFGHI", (6, 10, 36, 12, 12, 12, 10, 26, 14)):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["I"].hidden = True


def _project_sheet(ws) -> None:
    ncols = len(PROJECT_HEADER)
    _title(ws, PROJECT_TITLE, ncols)
    ws.append(list(PROJECT_HEADER))
    for row in PROJECTS:
        ws.append(list(row))
        ws.cell(row=ws.max_row, column=4).number_format = "#,##0.00"
    total = ws.max_row + 1
    ws.append(["合计", None, None, f"=SUM(D3:D{total - 1})", None, None])
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=3)
    # the cached value Excel would have stored, so readers without a calculation engine see it
    ws.cell(row=total, column=4).number_format = "#,##0.00"
    _style(ws, 2, total, ncols, left_cols=(2, 3))
    for letter, width in zip("ABCDEF", (6, 30, 40, 14, 12, 20)):
        ws.column_dimensions[letter].width = width


def _task_sheet(ws) -> None:
    ncols = len(TASK_HEADER)
    _title(ws, TASK_TITLE, ncols)
    ws.append(list(TASK_HEADER))
    for row in TASKS:
        ws.append(list(row))
    _style(ws, 2, ws.max_row, ncols, left_cols=(2,))
    for letter, width in zip("ABCD", (6, 50, 28, 16)):
        ws.column_dimensions[letter].width = width


def anji_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = ISSUER
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "指标分解"
    _indicator_sheet(ws)
    _project_sheet(wb.create_sheet("重点项目"))
    _task_sheet(wb.create_sheet("重点任务"))
    buffer = io.BytesIO()
    wb.save(buffer)
    return _with_cached_total(normalised_zip(buffer.getvalue()))


def _with_cached_total(data: bytes) -> bytes:
    """Store the 合计 formula's result as Excel does (openpyxl writes formulas without a cached value)."""
    import re
    import zipfile

    total = sum(row[3] for row in PROJECTS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = re.sub(rb"(<f>SUM\([^<]*</f>)<v>\s*</v>",
                              lambda m: m.group(1) + f"<v>{total:g}</v>".encode(), body)
            dst.writestr(info, body)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the real-layout XLSX sample.")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder for xlsx/")
    args = parser.parse_args(argv)
    path = args.out / "xlsx" / "anji-tasks.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(anji_xlsx())
    print(path)


if __name__ == "__main__":
    main()
