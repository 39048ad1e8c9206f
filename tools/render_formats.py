"""Render the samples of the other forms a submission arrives in: web page, MHTML, RTF, ODT, OFD, photo.

The content is the seeds' own (常德 seed 001: a notice saved from the city's web
site, with its 52-indicator table; 鹿寨 seed 002 via its DOCX rendition), laid out
the way real files of each form are built:

* ``html/changde.html``  — a GBK page of a government site: header, menu, breadcrumb,
  a 政府信息公开 label–value metadata table, the notice inside an old-style layout
  table, the indicator table with rowspan-merged 领域/任务 cells, a share bar and a
  footer with the ICP number;
* ``mht/changde.mht``    — the same notice saved by a browser as MHTML (UTF-8,
  quoted-printable, a base64 logo part), in a modern div template;
* ``rtf/luzhai.rtf``, ``odt/luzhai.odt`` — LibreOffice conversions of samples/docx/luzhai.docx;
* ``ofd/changde.ofd``    — the notice as an OFD (GB/T 33190) written part by part:
  positioned TextCode runs, the table ruled with PathObject lines across pages,
  merged cells, a repeated header, a signature part;
* ``image/changde-photo.jpg`` — a phone photo of the table's first page: grey paper,
  noise, stored sideways with an EXIF orientation tag.

Run from the repository root (deterministic for html, mht, ofd, image; rtf/odt
depend on the LibreOffice version)::

    .venv/bin/python -m tools.render_formats              # all, into samples/
    .venv/bin/python -m tools.render_formats html ofd     # some
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import quopri
import random
import subprocess
import sys
import tempfile
import zipfile
from email.header import Header
from pathlib import Path

from planingest.core.records import Paragraph
from tools.render_docx import normalised_zip
from tools.render_samples import CD_HEADER, CD_TITLE, changde_rows
from tools.seedgrid import SAMPLES, runs, seed_blocks

STEPS = ("html", "mht", "rtf", "odt", "ofd", "image")
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FIXED_ZIP_TIME = (2020, 3, 25, 9, 30, 0)


def notice_paragraphs() -> list[str]:
    """The seed's paragraphs before its table (notice, then the work plan)."""
    out = []
    for block in seed_blocks("changde"):
        if not isinstance(block, Paragraph):
            break
        out.append(block.text)
    return out


def table_rows() -> tuple[list[list[str]], list[list[int]]]:
    """Indicator rows as strings, the 领域/任务 runs cleared, and per cell its rowspan (0 = covered)."""
    rows = [[str(v) for v in row] for row in changde_rows()]
    spans = [[1] * len(CD_HEADER) for _ in rows]
    for col in (0, 1):
        for start, end in runs(rows, col):
            spans[start][col] = end - start + 1
            for r in range(start + 1, end + 1):
                spans[r][col] = 0
    return rows, spans


# ---------------------------------------------------------------- web page (GBK)

META = (("索引号", "430700/2020-00317"), ("分类", "环境保护"), ("发文机关", "常德市生态文明建设示范市创建工作领导小组办公室"),
        ("成文日期", "2020年03月23日"), ("文号", "常生创办〔2020〕2号"), ("发布日期", "2020年03月25日"))


def _html_table(rows, spans) -> str:
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%"',
           ' style="border-collapse:collapse">', "<tbody>",
           "<tr>" + "".join(f'<td style="background:#f2f2f2"><p align="center"><b>{h}</b></p></td>' for h in CD_HEADER)
           + "</tr>"]
    for row, span in zip(rows, spans):
        cells = []
        for text, n in zip(row, span):
            if n == 0:
                continue
            body = "<br>".join(html.escape(part) for part in text.split("\n"))
            attr = f' rowspan="{n}"' if n > 1 else ""
            cells.append(f'<td{attr} valign="middle"><p align="center"><span style="font-size:10pt">{body}</span></p></td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _body_html(paragraphs: list[str]) -> str:
    out = []
    for text in paragraphs:
        # editors break long source lines between characters; the page means no space there
        wrapped = "\n".join(text[i:i + 60] for i in range(0, len(text), 60))
        out.append(f'<p style="text-indent:2em;line-height:1.8">{html.escape(wrapped)}</p>')
    return "\n".join(out)


def gbk_page() -> bytes:
    paragraphs = notice_paragraphs()
    rows, spans = table_rows()
    meta_rows = "".join(
        f"<tr><td class=\"td_lable\">{a}：</td><td>{va}</td><td class=\"td_lable\">{b}：</td><td>{vb}</td></tr>"
        for (a, va), (b, vb) in zip(META[::2], META[1::2]))
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{paragraphs[0]}_通知公告_常德市人民政府</title>
<meta name="ArticleTitle" content="{paragraphs[0]}">
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div id="top"><div class="top_con"><span>今天是：2020年3月25日</span><a href="/">无障碍浏览</a> | <a href="/">长者模式</a> | <a href="/">English</a></div></div>
<div class="header"><img src="/images/logo.png" alt="常德市人民政府" /><div class="search"><form action="/search"><input name="q" value="请输入关键字" /><button>搜索</button></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjcd/">走进常德</a></li></ul></div>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="220" valign="top" class="left_menu"><ul><li><a href="/zwgk/tzgg/">通知公告</a></li><li><a href="/zwgk/zcwj/">政策文件</a></li><li><a href="/zwgk/ghjh/">规划计划</a></li></ul></td>
<td width="780" valign="top">
<div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>
<table class="xxgk_table" width="100%" border="1" cellspacing="0">{meta_rows}</table>
<div class="article">
<h1 class="title">{paragraphs[0]}</h1>
<div class="info"><span>发布时间：2020-03-25 09:30</span>&nbsp;&nbsp;<span>来源：市生态环境局</span>&nbsp;&nbsp;<span>浏览次数：1523</span></div>
<div class="fontsize">【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="TRS_Editor">
{_body_html(paragraphs[1:])}
{_html_table(rows, spans)}
</div>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a><a class="bds_qzone">QQ空间</a></div>
<div class="print_close">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
</td></tr></table>
<div class="links"><select><option>国务院部门网站</option></select><a href="http://www.gov.cn">中国政府网</a><a href="http://www.hunan.gov.cn">湖南省人民政府</a><a href="http://sthjt.hunan.gov.cn">湖南省生态环境厅</a></div>
<div id="footer"><p>主办单位：常德市人民政府办公室　承办单位：常德市政务服务中心</p><p>版权所有：常德市人民政府　湘ICP备05004813号　湘公网安备 43070202000123号　网站标识码：4307000001</p></div>
<script>var share = 1;</script>
</body>
</html>
"""
    return page.encode("gbk")


# ---------------------------------------------------------------- MHTML (UTF-8, quoted-printable)

def mhtml_page() -> bytes:
    paragraphs = notice_paragraphs()
    rows, spans = table_rows()
    meta_lines = "\n".join(f'<li><span class="lab">{k}：</span><span class="val">{v}</span></li>' for k, v in META)
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{paragraphs[0]}</title></head>
<body><header class="site-header"><img src="https://www.changde.gov.cn/logo.png" alt="常德市人民政府"></header>
<nav class="menu"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a></nav>
<div class="breadcrumb"><a href="/">首页</a> › <a href="/zwgk/">政务公开</a> › 通知公告</div>
<main><div class="xxgk-meta"><ul>{meta_lines}</ul></div>
<article><h1>{paragraphs[0]}</h1>{_body_html(paragraphs[1:])}{_html_table(rows, spans)}</article></main>
<div class="share-bar">分享到：<a>微信</a><a>微博</a><a>QQ</a></div>
<footer><p>湘ICP备05004813号 网站标识码：4307000001</p></footer></body></html>
"""
    qp = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    logo = base64.encodebytes(_png_logo()).decode("ascii")
    boundary = "----MultipartBoundary--rXq2yWnC1dl7e4kQ2Z0pVr3lMw8cT5hLsJ6gA9fB----"
    return (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: https://www.changde.gov.cn/zwgk/tzgg/content_1234567.html\r\n"
        f"Subject: {Header(paragraphs[0][:20], 'utf-8').encode()}\r\n"
        "Date: Wed, 25 Mar 2020 09:30:00 +0800\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: https://www.changde.gov.cn/zwgk/tzgg/content_1234567.html\r\n\r\n"
        f"{qp.replace(chr(10), chr(13) + chr(10))}\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://www.changde.gov.cn/logo.png\r\n\r\n"
        f"{logo.replace(chr(10), chr(13) + chr(10))}\r\n--{boundary}--\r\n"
    ).encode("ascii")


def _png_logo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 20, 20)).save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- RTF and ODT via LibreOffice

def convert_docx(docx: Path, target: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        target, "--outdir", tmp, str(docx)], check=True, capture_output=True, timeout=180)
        data = (Path(tmp) / f"{docx.stem}.{target}").read_bytes()
    if target == "odt":
        data = normalised_zip(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


# ---------------------------------------------------------------- OFD (GB/T 33190)

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, TOP, BOTTOM = 20.0, 25.0, 272.0
BODY_SIZE = 4.2  # mm, 三号-ish body text
CELL_SIZE = 3.2
TITLE_SIZE = 5.6
COL_MM = (13, 21, 10, 36, 15, 24, 13, 22, 16)  # 170 mm
LINE_GAP = 1.5


def _width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2000 else size * 0.5 for ch in text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and _width(line + ch, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return [ln for ln in lines if ln] or [""]


class OfdPage:
    def __init__(self):
        self.objects: list[str] = []
        self.next_id = 1000

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def text(self, x: float, y: float, text: str, size: float, justify: float | None = None) -> None:
        """One line of text with its baseline at y (mm), spread to ``justify`` mm wide when given."""
        if not text:
            return
        steps = [size if ord(ch) > 0x2000 else size * 0.5 for ch in text[:-1]]
        if justify and len(steps):
            extra = (justify - _width(text, size)) / len(steps)
            steps = [round(s + extra, 3) for s in steps]
        delta = " ".join(f"{s:g}" for s in steps)
        w = justify or _width(text, size)
        self.objects.append(
            f'<ofd:TextObject ID="{self._id()}" Boundary="{x:.2f} {y - size:.2f} {w + 1:.2f} {size * 1.4:.2f}" '
            f'Font="2" Size="{size:g}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{size:g}"' + (f' DeltaX="{delta}"' if delta else "") +
            f">{html.escape(text)}</ofd:TextCode></ofd:TextObject>")

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        bx, by = min(x0, x1), min(y0, y1)
        w, h = max(abs(x1 - x0), 0.25), max(abs(y1 - y0), 0.25)
        self.objects.append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="{bx:.2f} {by:.2f} {w:.2f} {h:.2f}" LineWidth="0.25">'
            f'<ofd:AbbreviatedData>M {x0 - bx:.2f} {y0 - by:.2f} L {x1 - bx:.2f} {y1 - by:.2f}</ofd:AbbreviatedData>'
            "</ofd:PathObject>")

    def xml(self, number: int) -> str:
        footer = f"— {number} —"
        self.text(PAGE_W / 2 - _width(footer, 3.5) / 2, 287.0, footer, 3.5)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Area>'
                f"<ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}</ofd:PhysicalBox></ofd:Area><ofd:Content>"
                f'<ofd:Layer ID="{number}" Type="Body">' + "".join(self.objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def _prose_pages(paragraphs: list[str]) -> tuple[list[OfdPage], float]:
    pages, page, y = [], OfdPage(), TOP
    width = PAGE_W - 2 * LEFT
    for i, text in enumerate(paragraphs):
        centred = i == 0 or text == "常德市2020年生态文明建设示范市创建工作方案"
        size = TITLE_SIZE if centred else BODY_SIZE
        indent = 0.0 if centred or i in (1, 2) else 2 * size
        lines = _wrap(text, width - indent, size) if not centred else _wrap(text, width, size)
        for j, line in enumerate(lines):
            if y + size > BOTTOM:
                pages.append(page)
                page, y = OfdPage(), TOP
            x = LEFT + (width - _width(line, size)) / 2 if centred else LEFT + (indent if j == 0 else 0.0)
            last_line = j == len(lines) - 1
            page.text(x, y + size, line, size,
                      None if centred or last_line else width - (indent if j == 0 else 0.0))
            y += size + LINE_GAP * (2 if centred else 1)
        y += 0.5
    return pages + [page], y


def _cell_lines(text: str, width: float) -> list[str]:
    return _wrap(text, width - 2.0, CELL_SIZE)


def _table_pages(page: OfdPage, y: float, rows: list[list[str]], spans: list[list[int]]) -> list[OfdPage]:
    """The ruled table from ``y`` on, the header repeated on each page; a merged cell split at a break."""
    xs = [LEFT]
    for w in COL_MM:
        xs.append(xs[-1] + w)
    pages: list[OfdPage] = []
    line_h = CELL_SIZE + 1.2

    def height(row) -> float:
        return max(len(_cell_lines(text, w)) for text, w in zip(row, COL_MM)) * line_h + 2.0

    def draw_row(pg: OfdPage, top: float, row, row_h: float, open_cols: set[int]) -> None:
        for c, text in enumerate(row):
            for k, line in enumerate(_cell_lines(text, COL_MM[c])):
                x = xs[c] + (COL_MM[c] - _width(line, CELL_SIZE)) / 2
                pg.text(x, top + 1.0 + (k + 1) * line_h - 1.0, line, CELL_SIZE)
        for c in range(len(COL_MM)):  # the line under each cell, except under a merged cell that goes on
            if c not in open_cols:
                pg.line(xs[c], top + row_h, xs[c + 1], top + row_h)
        for x in xs:
            pg.line(x, top, x, top + row_h)

    header = list(CD_HEADER)

    def start_table(pg: OfdPage, top: float) -> float:
        h = height(header)
        pg.line(xs[0], top, xs[-1], top)
        draw_row(pg, top, header, h, set())
        return top + h

    y = start_table(page, y)
    remaining = [0] * len(COL_MM)  # rows a merged cell still covers below the current row
    for row, span in zip(rows, spans):
        h = height([t if s != 0 else "" for t, s in zip(row, span)])
        if y + h > BOTTOM:
            if any(remaining):  # close the merged cells at the page bottom, as a page break does
                for c in range(len(COL_MM)):
                    if remaining[c]:
                        page.line(xs[c], y, xs[c + 1], y)
            pages.append(page)
            page = OfdPage()
            y = start_table(page, TOP)
        texts = []
        for c, (text, s) in enumerate(zip(row, span)):
            texts.append(text if s != 0 else "")
            remaining[c] = s - 1 if s > 1 else max(remaining[c] - 1, 0) if s == 0 else 0
        draw_row(page, y, texts, h, {c for c in range(len(COL_MM)) if remaining[c]})
        y += h
    return pages + [page]


def _ofd_part(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'


def ofd_bytes() -> bytes:
    paragraphs = notice_paragraphs()
    rows, spans = table_rows()
    head, y = _prose_pages(paragraphs)
    pages = head[:-1]
    last = head[-1]
    pages += _table_pages(last, y + 4.0, rows, spans)
    parts = {
        "OFD.xml": _ofd_part(
            f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
            "<ofd:DocID>5f1c0b7e2a9d4c3f8e6b1a2d3c4e5f60</ofd:DocID><ofd:Title>" + paragraphs[0] + "</ofd:Title>"
            "<ofd:Author>常德市生态环境局</ofd:Author><ofd:CreationDate>2020-03-23</ofd:CreationDate>"
            "<ofd:Creator>数科OFD版式办公套件</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"),
        "Doc_0/Document.xml": _ofd_part(
            f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>99999</ofd:MaxUnitID>'
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}</ofd:PhysicalBox></ofd:PageArea>"
            "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"
            + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
            + "</ofd:Pages></ofd:Document>"),
        "Doc_0/PublicRes.xml": _ofd_part(
            f'<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="仿宋_GB2312" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>'),
        "Doc_0/Signs/Signatures.xml": _ofd_part(
            f'<ofd:Signatures xmlns:ofd="{OFD_NS}"><ofd:Signature ID="1" Type="Seal" '
            'BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>'),
        "Doc_0/Signs/Sign_0/Signature.xml": _ofd_part(
            f'<ofd:Signature xmlns:ofd="{OFD_NS}"><ofd:SignedInfo><ofd:Provider ProviderName="电子签章"/>'
            "</ofd:SignedInfo><ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>"),
    }
    for i, page in enumerate(pages):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = page.xml(i + 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("Doc_0/Signs/Sign_0/SignedValue.dat", FIXED_ZIP_TIME), bytes(range(256)) * 4)
    return buffer.getvalue()


# ---------------------------------------------------------------- phone photo of the table's first page

def photo_bytes(n_rows: int = 12) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(20200325)
    scale = 9.0  # px per mm: a 1900 px wide page photo
    rows, spans = table_rows()
    rows, spans = rows[:n_rows], [list(s) for s in spans[:n_rows]]
    for c in (0, 1):  # a merged cell cut by the photo's edge ends there
        for r in range(n_rows - 1, -1, -1):
            if spans[r][c] > 1:
                spans[r][c] = min(spans[r][c], n_rows - r)
                break
    width, height = int(PAGE_W * scale), int(PAGE_H * scale)
    img = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, int(CELL_SIZE * scale))
    title_font = ImageFont.truetype(FONT, int(TITLE_SIZE * scale))
    xs = [LEFT]
    for w in COL_MM:
        xs.append(xs[-1] + w)
    draw.text((width / 2, 18 * scale), "附件", font=title_font, fill=30, anchor="mm")
    draw.text((width / 2, 30 * scale), CD_TITLE, font=title_font, fill=30, anchor="mm")
    line_h = CELL_SIZE + 1.6

    def row_height(row) -> float:
        return max(len(_cell_lines(t, w)) for t, w in zip(row, COL_MM)) * line_h + 2.5

    y = 40.0
    heights = [row_height(list(CD_HEADER))] + [row_height([t if s else "" for t, s in zip(r, sp)])
                                               for r, sp in zip(rows, spans)]
    tops = [y]
    for h in heights:
        tops.append(tops[-1] + h)
    grid_rows = [list(CD_HEADER)] + rows
    grid_spans = [[1] * len(COL_MM)] + spans
    for r, (row, span) in enumerate(zip(grid_rows, grid_spans)):
        for c, (text, s) in enumerate(zip(row, span)):
            if s == 0:
                continue
            top, bottom = tops[r], tops[r + s]
            box = [xs[c] * scale, top * scale, xs[c + 1] * scale, bottom * scale]
            draw.rectangle(box, outline=25, width=3)
            lines = _cell_lines(text, COL_MM[c])
            mid = (top + bottom) / 2 - (len(lines) - 1) * line_h / 2
            for k, line in enumerate(lines):
                draw.text(((xs[c] + COL_MM[c] / 2) * scale, (mid + k * line_h) * scale), line, font=font,
                          fill=20, anchor="mm")
    img = Image.blend(img, Image.effect_noise((width, height), 40), 0.06)
    img = img.filter(ImageFilter.GaussianBlur(0.6)).rotate(0.4 + rng.random() * 0.2, fillcolor=200, expand=False)
    # the phone stored the portrait page as landscape pixels plus "rotate 90° clockwise to view" (Orientation 6)
    stored = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "HUAWEI"
    buffer = io.BytesIO()
    stored.convert("RGB").save(buffer, "JPEG", quality=88, exif=exif.tobytes())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the web, MHTML, RTF, ODT, OFD and photo samples.")
    parser.add_argument("steps", nargs="*", choices=STEPS, help="steps to run (default: all)")
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args(argv)
    steps, out = args.steps or list(STEPS), args.out
    makers = {
        "html": ("html/changde.html", gbk_page), "mht": ("mht/changde.mht", mhtml_page),
        "ofd": ("ofd/changde.ofd", ofd_bytes), "image": ("image/changde-photo.jpg", photo_bytes),
    }
    written = []
    for step in steps:
        if step in makers:
            name, make = makers[step]
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(make())
        else:
            docx = SAMPLES / "docx" / "luzhai.docx"
            if not docx.exists():
                sys.exit(f"{step}: {docx} missing; run tools/render_samples.py docx first")
            path = out / step / f"luzhai.{step}"
            convert_docx(docx, step, path)
        written.append(path)
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
