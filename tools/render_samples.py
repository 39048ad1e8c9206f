"""Render realistic DOCX, XLSX, PDF and scanned-PDF samples from the seed text documents.

The seeds (samples/00*.txt) are text dumps of DOCX/PDF originals we do not have.  Users
submit mostly DOCX and PDF, so this script rebuilds those forms from the seeds' own
grids (``planingest.ingest.text.reader.text_blocks``), with the layouts real offices use: vertically
merged 领域/任务 cells, vertical text, gridSpan rows, repeated header rows, a table
split at a page break, packed sub-indicators, merged Excel ranges, a scanned copy.
The text stays the seeds' text (same names, targets, departments) so the same golden
expectations hold; only damage a real DOCX would not have is repaired (wrapped-line
breaks, the header rows a page break repeated, project 25's lost number, a cell cut
at a page break).

Run from the repository root (deterministic: a rerun on the same machine gives the
same bytes; another LibreOffice or font version may lay the PDFs out differently.
The generated files are committed so ``make ingest`` works without LibreOffice)::

    .venv/bin/python -m tools.render_samples                   # docx xlsx pdf scan, into samples/
    .venv/bin/python -m tools.render_samples docx xlsx         # only some steps
    .venv/bin/python -m tools.render_samples docx --out /tmp/x # elsewhere (tests compare with samples/)

Outputs: samples/docx/{jingzhou,luzhai}.docx, samples/xlsx/changde.xlsx,
samples/pdf/{jingzhou,luzhai}.pdf (LibreOffice exports of the DOCX) and
samples/scanned/jingzhou-scan.pdf (the indicator-table pages rasterised, no text layer).
The Word side lives in tools/render_docx.py, the seed grids in tools/seedgrid.py.

The ``pdf`` step needs LibreOffice with a CJK font
(``apt-get install -y libreoffice-writer fonts-noto-cjk``); ``scan`` rasterises
samples/pdf/jingzhou.pdf, so it runs after ``pdf``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.render_docx import FIXED_TIME, docx_bytes, normalised_zip
from tools.seedgrid import SAMPLES, runs, seed_tables

STEPS = ("docx", "xlsx", "pdf", "scan")
CJK = re.compile(r"[\u4e00-\u9fff]")

# ---------------------------------------------------------------- 常德 (seed 001) as a workbook

CD_TITLE = "常德市生态文明建设示范市指标任务分解表"
CD_HEADER = ("领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "牵头单位", "配合单位")
CD_WIDTHS = (6, 14, 6, 34, 11, 26, 10, 16, 14)
CD_TARGET_FIXES = {"完成年度审核 计划": "完成年度审核计划"}  # a wrap the web page turned into a space
CD_NOTES = (
    "填表说明",
    "1. 本表指标依据《国家生态文明建设示范市县建设指标》（2019年）及省级指标设置，指标值为2020年目标值。",
    "2. 牵头单位负责指标的统筹推进和数据报送，配合单位按职责分工协助落实。",
    "3. 各单位于每季度末将指标完成情况及佐证材料报送市生态文明建设示范市创建工作领导小组办公室。",
    "4. 联系人：市生态环境局生态文明建设科　　联系电话：（略）",
)


def _number(text: str):
    """Plain numbers are stored as numbers, the way a person typing into Excel gets them."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text


def _lines(text: str) -> str:
    """Items the web page packed with spaces are separate lines (Alt+Enter) in the cell."""
    items: list[str] = []
    for piece in text.split():
        if piece.startswith("/") and items:
            items[-1] += piece  # "吨标准煤 /万元" was one unit wrapped
        else:
            items.append(piece)
    return "\n".join(items)


def changde_rows() -> list[list]:
    rows = []
    for seed_row in seed_tables("changde")[0].rows[1:]:
        domain, task, seq, name, unit, target, attribute, departments = seed_row
        lead, *partners = departments.split()
        target = CD_TARGET_FIXES.get(target) or _lines(target)
        rows.append([re.sub(r"\s", "", domain), re.sub(r"\s", "", task), int(seq), _lines(name), _lines(unit),
                     _number(target), attribute, lead, "、".join(partners)])
    return rows


def changde_xlsx_bytes() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = changde_rows()
    merges = [(s, c, e) for c in (0, 1) for s, e in runs(rows, c)]
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "常德市生态环境局"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "指标任务分解表"
    ws.append([CD_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CD_HEADER))
    ws["A1"].font = Font(name="方正小标宋简体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.append(list(CD_HEADER))
    for row in rows:
        ws.append(row)
    thin = Side(style="thin")
    for r in range(2, len(rows) + 3):
        for c in range(1, len(CD_HEADER) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="left" if c == 4 and r > 2 else "center", vertical="center",
                                       wrap_text=True, text_rotation=255 if c == 1 and r > 2 else 0)
            cell.font = Font(name="仿宋_GB2312", size=10, bold=r == 2)
    for s, c, e in merges:
        ws.merge_cells(start_row=s + 3, start_column=c + 1, end_row=e + 3, end_column=c + 1)
    for c, width in enumerate(CD_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    notes = wb.create_sheet("填表说明")
    for text in CD_NOTES:
        notes.append([text])
    notes["A1"].font = Font(bold=True, size=12)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalised_zip(buffer.getvalue())


# ---------------------------------------------------------------- PDF and scan


def page_texts(pdf_path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")
_PDF_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def steady_pdf(data: bytes) -> bytes:
    """LibreOffice's PDF with its clock and random parts fixed (same length, so the xref stays valid).

    The export date becomes the plan's date; /ID and /DocChecksum become a hash of the rest.
    """
    data = re.sub(rb"/(CreationDate|ModDate)\(D:\d{14}", rb"/\1(D:20230801090000", data)
    data = _PDF_ID.sub(lambda m: m.group(1) + b"0" * 32 + m.group(3) + b"0" * 32 + m.group(5), data)
    data = _PDF_CHECKSUM.sub(lambda m: m.group(1) + b"0" * 32, data)
    digest = hashlib.md5(data).hexdigest().upper().encode()
    data = _PDF_ID.sub(lambda m: m.group(1) + digest + m.group(3) + digest + m.group(5), data)
    return _PDF_CHECKSUM.sub(lambda m: m.group(1) + digest, data)


def export_pdf(docx_path: Path, pdf_path: Path) -> None:
    """LibreOffice's export, in a private profile so parallel runs do not collide."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("pdf step: soffice not found (apt-get install -y libreoffice-writer fonts-noto-cjk)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=600)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(steady_pdf((Path(tmp) / f"{docx_path.stem}.pdf").read_bytes()))
    if not any(CJK.search(t) for t in page_texts(pdf_path)):
        sys.exit(f"{pdf_path}: no Chinese text extracted; install a CJK font (fonts-noto-cjk)")


def _aged(image, rng: random.Random):
    """Photocopier look: grey paper, dark-grey ink, a little softness and dust (deterministic)."""
    from PIL import ImageDraw, ImageFilter

    image = image.point(lambda v: int(22 + v * 0.84)).filter(ImageFilter.GaussianBlur(0.6))
    draw = ImageDraw.Draw(image)
    for _ in range(250):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.ellipse((x, y, x + rng.randint(1, 3), y + rng.randint(1, 3)), fill=rng.randint(120, 190))
    return image


def scan_pages(pdf_path: Path, out_path: Path, needle: str = "指标名称", dpi: int = 200) -> int:
    """An image-only PDF of the pages holding ``needle`` (the indicator table's repeated header)."""
    import pypdfium2 as pdfium

    if not pdf_path.exists():
        sys.exit(f"scan step: {pdf_path} missing; run the pdf step first")
    rng = random.Random(20230801)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        images = [_aged(pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"), rng)
                  for i, text in enumerate(page_texts(pdf_path)) if needle in text]
    finally:
        pdf.close()
    if not images:
        sys.exit(f"{pdf_path}: no page holds {needle!r}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime(2023, 8, 2, 10, 0, 0).timetuple()
    images[0].save(out_path, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=55,
                   creationDate=stamp, modDate=stamp, producer="Scanner")
    return len(images)


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render DOCX/XLSX/PDF/scanned samples from the seed texts.")
    parser.add_argument("steps", nargs="*", choices=STEPS, help="steps to run (default: all)")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder for docx/ xlsx/ pdf/ scanned/")
    args = parser.parse_args(argv)
    steps, out = args.steps or list(STEPS), args.out
    written = []
    if "docx" in steps:
        for key in ("jingzhou", "luzhai"):
            path = out / "docx" / f"{key}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(docx_bytes(key))
            written.append(path)
    if "xlsx" in steps:
        path = out / "xlsx" / "changde.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(changde_xlsx_bytes())
        written.append(path)
    if "pdf" in steps:
        for key in ("jingzhou", "luzhai"):
            if not (out / "docx" / f"{key}.docx").exists():
                sys.exit(f"pdf step: {out / 'docx' / f'{key}.docx'} missing; run the docx step first")
            export_pdf(out / "docx" / f"{key}.docx", out / "pdf" / f"{key}.pdf")
            written.append(out / "pdf" / f"{key}.pdf")
    if "scan" in steps:
        scan_pages(out / "pdf" / "jingzhou.pdf", out / "scanned" / "jingzhou-scan.pdf")
        written.append(out / "scanned" / "jingzhou-scan.pdf")
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
