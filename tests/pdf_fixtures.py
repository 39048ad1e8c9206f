"""Builds the PDF test inputs: a born-digital plan (DOCX rendered by LibreOffice),
its scanned rendition (page images, no text layer), an encrypted and a truncated copy.

The content comes from the seeds (000 靖州县 indicator table, 002 鹿寨县 tasks) so the
PDFs look like the documents users submit: ruled table over several pages, header
row repeated on each page (w:tblHeader), merged 领域/任务 cells, wrapped cells.
Files are cached under the system temp dir by a hash of this module, so the slow
LibreOffice/rasterising steps run once per change of the recipe.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TITLE = "2023年靖州县生态文明建设示范区创建工作计划"
DOC_NUMBER = "靖生委办〔2023〕5号"
DATE_LINE = "2023年8月1日"
PROSE = (
    "为加快推进我县国家生态文明建设示范县创建步伐，根据《湖南省怀化市靖州苗族侗族自治县生态文明建设示范县规划》，"
    "结合年度工作实际，特制定本工作计划。",
    "（一）收集复核材料。按照《国家生态文明建设示范区复核工作规范（试行）》要求，组织开展2022年我县国家生态文明建设"
    "示范区各项建设指标完成情况的说明和证明材料收集、整理、编制。（责任单位：市生态环境局靖州分局）",
    "（二）推进农村黑臭水体治理。确保在2023年底前完成黑臭水体治理，实现水体功能恢复，消除黑臭。"
    "（责任单位：市生态环境局靖州分局、县水利局、县农业农村局）",
)
#: seed 003's working-group paragraphs, repeated to make prose pages for the benchmark
LONG_PROSE = (
    "（一）构建科学规范的生态文明制度体系(生态制度建设组)",
    "结合国家生态文明建设示范县指标体系，加快建立系统完整的生态文明制度体系，用制度保护生态环境。",
    "（二）加大生态系统和环境保护力度(生态环境建设组)",
    "按照保护优先、自然恢复为主的基本方针，严格源头预防、不留新账，加快治理突出问题，多还旧账，切实改善生态环境质量，"
    "构筑生态安全屏障。",
    "（四）推动绿色循环低碳经济发展(生态经济建设组)",
    "以绿色发展、循环发展、低碳发展为生态文明建设的根本，切实把绿色循环低碳要求贯穿到生产生活的各方面，推动资源利用方式"
    "根本转变，破解资源环境约束。",
    "2. 实施阶段(2021 年 5 月)。各乡镇、各有关部门按照指标体系任务分解表（附件 2），制定本单位工作方案并组织实施。"
    "（责任单位：县生态环境保护委员会各成员单位）",
)
CAPTION = "靖州县生态文明建设指标责任分解表"
COLUMN_WIDTHS_CM = (1.4, 2.2, 1.0, 4.0, 1.4, 2.6, 1.4, 2.6)
HEADER = ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "责任部门")

# (领域, 任务, 序号, 指标名称, 单位, 指标值, 指标属性, 责任部门); "" 序号 = sub-indicator row
_ROWS = [
    ("生态制度", "（一）目标责任体系与制度建设", "1", "生态文明建设规划", "", "制定实施", "约束性", "县政府办"),
    ("生态制度", "（一）目标责任体系与制度建设", "2", "党委政府对生态文明建设重大目标任务部署情况", "", "有效开展", "约束性", "县政府办"),
    ("生态制度", "（一）目标责任体系与制度建设", "3", "生态文明建设工作占党政实绩考核的比例", "%", "≥20", "约束性", "县委组织部"),
    ("生态制度", "（一）目标责任体系与制度建设", "4", "河长制", "", "全面实施", "约束性", "县水利局"),
    ("生态制度", "（一）目标责任体系与制度建设", "5", "生态环境信息公开率", "%", "100", "约束性", "市生态环境局靖州分局"),
    ("生态制度", "（一）目标责任体系与制度建设", "6", "依法开展规划环境影响评价", "", "开展", "参考性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "7", "环境空气质量", "%", "完成上级规定的考核任务；保持稳定或持续改善", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "", "优良天数比例", "%", "≥95.8", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "", "PM2.5浓度下降幅度", "%", "完成上级规定的考核任务", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "8", "水环境质量", "%", "完成上级规定的考核任务；保持稳定或持续改善", "约束性", "市生态环境局靖州分局、县水利局"),
    ("生态安全", "（二）生态环境质量改善", "", "水质达到或优于Ⅲ类比例提高幅度", "%", "完成上级规定的考核任务", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "", "劣V类水体比例下降幅度", "%", "完成上级规定的考核任务", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（二）生态环境质量改善", "", "黑臭水体消除比例", "%", "完成上级规定的考核任务", "约束性", "县住建局"),
    ("生态安全", "（三）生态系统保护", "9", "生态质量指数（EQI）", "", "△EQI≥-1", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（三）生态系统保护", "10", "林草覆盖率", "%", "山区≥60", "参考性", "县林业局"),
    ("生态安全", "（三）生态系统保护", "11", "生物多样性保护", "", "", "参考性", "县林业局"),
    ("生态安全", "（三）生态系统保护", "", "国家重点保护野生动植物保护率", "%", "≥95", "参考性", "县林业局"),
    ("生态安全", "（三）生态系统保护", "", "外来物种入侵", "", "不明显", "参考性", "县林业局、县农业农村局"),
    ("生态安全", "（三）生态系统保护", "", "特有性或指示性水生物种保持率", "%", "不降低", "参考性", "县畜牧水产事务中心"),
    ("生态安全", "（四）生态环境风险防范", "12", "危险废物利用处置率", "%", "100", "约束性", "市生态环境局靖州分局"),
    ("生态安全", "（四）生态环境风险防范", "13", "建设用地土壤污染风险管控和修复名录制度", "", "建立", "参考性", "市生态环境局靖州分局"),
    ("生态安全", "（四）生态环境风险防范", "14", "突发生态环境事件应急管理机制", "", "建立", "约束性", "市生态环境局靖州分局"),
    ("生态空间", "（五）空间格局优化", "15", "自然生态空间", "", "面积不减少，性质不改变，功能不降低", "约束性", "县自然资源局"),
    ("生态空间", "（五）空间格局优化", "", "生态保护红线", "", "面积不减少，性质不改变，功能不降低", "约束性", "县自然资源局"),
    ("生态空间", "（五）空间格局优化", "", "自然保护地", "", "面积不减少，性质不改变，功能不降低", "约束性", "县林业局"),
    ("生态空间", "（五）空间格局优化", "16", "河湖岸线保护率", "%", "完成上级管控目标", "参考性", "县水利局"),
    ("生态经济", "（六）资源节约与利用", "17", "单位地区生产总值能耗", "吨标准煤/万元", "完成上级规定的目标任务；保持稳定或持续改善", "约束性", "县统计局、县发展和改革局"),
    ("生态经济", "（六）资源节约与利用", "18", "单位地区生产总值用水量", "立方米/万元", "完成上级规定的目标任务；保持稳定或持续改善", "约束性", "县水利局、县统计局"),
    ("生态经济", "（六）资源节约与利用", "19", "单位国内生产总值建设用地使用面积下降率", "%", "≥4.5", "参考性", "县自然资源局、县统计局"),
    ("生态经济", "（六）资源节约与利用", "20", "三大粮食作物化肥农药利用率", "%", "≥43", "参考性", "县农业农村局"),
    ("生态经济", "（七）产业循环发展", "21", "农业废弃物综合利用率", "%", "", "参考性", "县农业农村局"),
    ("生态经济", "（七）产业循环发展", "", "秸秆综合利用率", "%", "≥90", "参考性", "县农业农村局"),
    ("生态经济", "（七）产业循环发展", "", "畜禽粪污综合利用率", "%", "≥75", "参考性", "县畜牧水产事务中心"),
    ("生态经济", "（七）产业循环发展", "", "农膜回收利用率", "%", "≥80", "参考性", "县农业农村局"),
    ("生态经济", "（七）产业循环发展", "22", "一般工业固体废物综合利用率提高幅度", "%", "", "参考性", "市生态环境局靖州分局"),
    ("生态经济", "（七）产业循环发展", "", "综合利用率≤60%的地区", "%", "≥2", "参考性", "市生态环境局靖州分局"),
    ("生态经济", "（七）产业循环发展", "", "综合利用率>60%的地区", "%", "保持稳定或持续改善", "参考性", "市生态环境局靖州分局"),
    ("生态生活", "（八）人居环境改善", "23", "集中式饮用水水源地水质优良比例", "%", "100", "约束性", "市生态环境局靖州分局、县水利局"),
    ("生态生活", "（八）人居环境改善", "24", "村镇饮用水卫生合格率", "%", "100", "约束性", "县水利局、县卫生健康局"),
    ("生态生活", "（八）人居环境改善", "25", "城镇污水处理率", "%", "县≥85", "约束性", "县住建局"),
    ("生态生活", "（八）人居环境改善", "26", "农村生活污水治理率", "%", "≥50", "参考性", "县农业农村局、市生态环境局靖州分局"),
    ("生态生活", "（八）人居环境改善", "27", "城镇生活垃圾无害化处理率", "%", "县≥80", "约束性", "县城市管理和综合执法局"),
    ("生态生活", "（八）人居环境改善", "28", "农村生活垃圾无害化处理村占比", "%", "≥80", "参考性", "县城市管理和综合执法局、县农业农村局"),
    ("生态生活", "（八）人居环境改善", "29", "农村无害化卫生厕所普及率", "%", "完成上级规定的目标任务", "约束性", "县农业农村局"),
    ("生态生活", "（九）生活方式绿色化", "30", "城镇新建绿色建筑比例", "%", "≥50", "参考性", "县住建局"),
    ("生态生活", "（九）生活方式绿色化", "31", "生活废弃物综合利用", "", "", "参考性", "县城市管理和综合执法局"),
    ("生态生活", "（九）生活方式绿色化", "", "城镇生活垃圾分类减量化行动", "", "实施", "参考性", "县城市管理和综合执法局"),
    ("生态生活", "（九）生活方式绿色化", "", "农村生活垃圾集中收集储运", "", "实施", "参考性", "县农业农村局"),
    ("生态生活", "（九）生活方式绿色化", "32", "政府绿色采购比例", "%", "≥80", "约束性", "县财政局"),
    ("生态文化", "（十）观念意识普及", "33", "党政领导干部参加生态文明培训的人数比例", "%", "100", "参考性", "县委组织部、县委党校"),
    ("生态文化", "（十）观念意识普及", "34", "公众对生态文明建设的满意度", "%", "≥80", "参考性", "县统计局"),
    ("生态文化", "（十）观念意识普及", "35", "公众对生态文明建设的参与度", "%", "≥80", "参考性", "县统计局"),
]
# local indicators: 领域 and 任务 merged horizontally into one "特色指标" cell
_LOCAL = [
    ("特色指标", "特色指标", "36", "绿色有机农产品占农业总值比重", "%", "≥30", "参考性", "县农业农村局"),
    ("特色指标", "特色指标", "37", "生态环境投入占GDP比重", "%", "≥3.5", "参考性", "县财政局"),
    ("特色指标", "特色指标", "38", "生态文明建设示范乡镇占比", "%", "≥80", "参考性", "市生态环境局靖州分局、各乡镇人民政府"),
]
#: one row whose departments cell is long enough to be cut by a page break
LONG_DEPARTMENTS = "\n".join(
    ["县发展和改革局", "县工业和信息化局", "县商务科技和工业信息化局", "县工业集中区管理委员会",
     "县交通运输局", "县住房和城乡建设局", "县城市管理和综合执法局", "县市场监督管理局"]
)
DATA_ROWS: tuple[tuple[str, ...], ...] = tuple(_ROWS + _LOCAL)
#: the indicator names (rows with a 序号 and sub-rows alike), what OCR recall is measured on
INDICATOR_NAMES = tuple(r[3] for r in DATA_ROWS)


def _set_repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _merge_runs(table, col: int, values: list[str]) -> None:
    """Vertically merge runs of equal values in ``col`` (text kept once, in the top cell)."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                top = table.cell(start + 1, col)
                text = top.text
                top.merge(table.cell(i, col)).text = text
            start = i


def _page_number_footer(section) -> None:
    """The renditions' footer ("— 3 —"), shared with tools/render_docx.py."""
    from tools.render_docx import page_number_footer

    page_number_footer(section)


def build_docx(path: Path, rows=DATA_ROWS, long_row_at: int | None = 27, prose_repeats: int = 0) -> None:
    """The born-digital plan: title, 文号, prose with （责任单位：…）, then the ruled table.

    ``prose_repeats`` appends that many copies of seed 003's prose (pages without tables).
    """
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    _page_number_footer(section)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(DOC_NUMBER)
    for text in PROSE:
        doc.add_paragraph(text)
    doc.add_paragraph(CAPTION)
    table = doc.add_table(rows=1 + len(rows), cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for c, text in enumerate(HEADER):
        table.cell(0, c).text = text
    _set_repeat_header(table.rows[0])
    body = [list(r) for r in rows]
    if long_row_at is not None:
        body[long_row_at][7] = LONG_DEPARTMENTS
    for r, values in enumerate(body, start=1):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    for column, width in zip(table.columns, COLUMN_WIDTHS_CM):
        column.width = Cm(width)  # w:gridCol, what LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMN_WIDTHS_CM):
            cell.width = Cm(width)
    for col in (0, 1):
        # 特色指标 rows get a key of their own so they are not merged vertically
        keys = [v[col] if v[0] != "特色指标" else f"local{i}" for i, v in enumerate(body)]
        _merge_runs(table, col, keys)
    for r, values in enumerate(body, start=1):
        if values[0] == "特色指标":
            table.cell(r, 0).merge(table.cell(r, 1)).text = "特色指标"
    for _ in range(prose_repeats):
        for text in LONG_PROSE:
            doc.add_paragraph(text)
    doc.add_paragraph("靖州苗族侗族自治县生态环境保护委员会办公室")
    doc.add_paragraph(DATE_LINE)
    doc.save(str(path))


#: seed 000's key-project list, set without rulings (a borderless table)
PROJECT_HEADER = ("序号", "项目名称", "建设内容", "总投资（万元）", "责任单位")
PROJECTS = (
    ("1", "生态文明建设示范县规划编制", "完成《湖南省靖州苗族侗族自治县生态文明建设示范县规划》编制", "50",
     "怀化市生态环境局靖州分局"),
    ("2", "河长制建设", "深入推进河长制，继续开展“清四乱”，持续改善水生态环境", "260", "县水利局"),
    ("3", "青山工程建设", "开展植树造林，建成70万亩的速生用材林基地", "4540", "县林业局"),
    ("4", "餐饮业油烟整治", "中心城区所有餐饮单位全面安装高效油烟净化设施", "1160", "县城市管理和综合执法局"),
    ("5", "黑臭水体整治", "完成异溪河C、D、E段和后山溪A、B段黑臭水体的整治任务", "3200", "县住建局"),
)
PROJECT_CAPTION = "靖州苗族侗族自治县生态文明建设示范县重点项目一览表"
PROJECT_AFTER = "以上项目由各责任单位于2025年底前完成。"


def build_unruled_docx(path: Path) -> None:
    """The key-project list as a table without borders: found by text alignment only."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_paragraph(PROJECT_CAPTION)
    rows = (PROJECT_HEADER,) + PROJECTS
    table = doc.add_table(rows=len(rows), cols=len(PROJECT_HEADER))  # default style: no borders
    table.autofit = False
    for column, width in zip(table.columns, (1.2, 3.4, 6.0, 2.2, 3.2)):
        column.width = Cm(width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            table.cell(r, c).width = Cm((1.2, 3.4, 6.0, 2.2, 3.2)[c])
    doc.add_paragraph(PROJECT_AFTER)
    doc.save(str(path))


ENCRYPT = {"EncryptFile": {"type": "boolean", "value": "true"},
           "DocumentOpenPassword": {"type": "string", "value": "secret"}}
OWNER_ONLY = {"RestrictPermissions": {"type": "boolean", "value": "true"},
              "PermissionPassword": {"type": "string", "value": "owner"}, "Changes": {"type": "long", "value": "0"}}


def convert_to_pdf(docx: Path, out_dir: Path, options: dict | None = None) -> Path:
    """LibreOffice renders the DOCX with real fonts and rulings (own profile: parallel-safe).

    ``options`` are writer_pdf_Export settings (LibreOffice >= 7.4 takes them as JSON),
    used to write password-protected PDFs without another library.
    """
    target = "pdf" if options is None else "pdf:writer_pdf_Export:" + json.dumps(options)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--norestore", "--convert-to", target, "--outdir", str(out_dir), str(docx)],
            check=True, capture_output=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out_dir / (docx.stem + ".pdf")


def rasterise(pdf: Path, out: Path, dpi: int = 200) -> None:
    """A scan of ``pdf``: one greyscale image per page, no text layer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    images[0].save(str(out), "PDF", resolution=dpi, save_all=True, append_images=images[1:])


def image_pdf(out: Path, text_lines: int = 3) -> None:
    """A small image-only PDF made with Pillow alone (no LibreOffice): for damage tests."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 400), 255)
    draw = ImageDraw.Draw(image)
    for i in range(text_lines):
        draw.line((40, 60 + 80 * i, 560, 60 + 80 * i), fill=0, width=2)
    image.save(str(out), "PDF", resolution=100)


def _recipe_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def build_all() -> dict[str, Path]:
    """The test PDFs (see ``names``), cached per recipe under the temp dir."""
    root = Path(tempfile.gettempdir()) / f"planingest-pdf-fixtures-{_recipe_hash()}"
    names = {"plan": "plan.pdf", "scan": "scan.pdf", "encrypted": "encrypted.pdf", "owner_only": "owner-only.pdf",
             "unruled": "projects.pdf"}
    if not root.exists():
        work = Path(tempfile.mkdtemp(prefix="pdf-fixtures-"))
        docx = work / "plan.docx"
        build_docx(docx)
        convert_to_pdf(docx, work)
        convert_to_pdf(docx, work / "enc", ENCRYPT).rename(work / names["encrypted"])
        convert_to_pdf(docx, work / "owner", OWNER_ONLY).rename(work / names["owner_only"])
        rasterise(work / names["plan"], work / names["scan"])
        build_unruled_docx(work / "projects.docx")
        convert_to_pdf(work / "projects.docx", work)
        try:
            os.replace(work, root)  # atomic: a parallel run sees all files or none
        except OSError:
            shutil.rmtree(work, ignore_errors=True)  # another run got there first
    return {key: root / name for key, name in names.items()}
