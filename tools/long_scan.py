"""A long scanned plan: N image-only pages (default 40), for page sharing and its bench (issue 14).

A county's demonstration-zone plan as it is submitted on paper and scanned back:
a title page with the plan's opening, the indicator table (the county indicators
of the 2021 list, ``catalogue/data/indicators.csv``, with a status value, a target
and the responsible office) running over several pages with its header repeated,
then the work tasks as numbered prose ending in （责任单位：…）, and the issuer,
date and a red seal on the last page.  Every page is drawn as pixels (no text
layer), turned a little, blurred and stored as JPEG, like a copier's scan.

Deterministic (a seeded RNG; fixed PDF dates).  It is ~15 MB for 40 pages, so it is
not committed: the bench and the tests build it into a cache folder
(``bench/work/``, ``tmp_path``) with :func:`build_long_scan`.
``python -m tools.long_scan OUT.pdf [--pages N]``.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tools.render_ocr_samples import DPI, stamp

REGULAR = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
_SC = 2  # the Simplified Chinese face of the Noto CJK collections
INDICATORS = Path(__file__).resolve().parents[1] / "planingest" / "catalogue" / "data" / "indicators.csv"
COUNTY = "临溪县"
ISSUER = f"{COUNTY}人民政府"
WIDTH, HEIGHT = round(8.27 * DPI), round(11.69 * DPI)  # A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 150, 170, 170
BODY, SMALL, TITLE = 34, 25, 50
LINE_GAP = 20

HEADER = ("领域", "序号", "指标名称", "单位", "现状值", "目标值", "指标属性", "责任单位")
COLUMNS = (120, 70, 420, 120, 140, 200, 130, 154)  # pixels; sums to the text width
OFFICES = ("县生态环境局", "县发展和改革局", "县自然资源局", "县住房和城乡建设局", "县农业农村局", "县水利局",
           "县林业局", "县工业和信息化局", "县委宣传部", "县财政局", "县城市管理局", "县卫生健康局")


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = BOLD if bold else REGULAR
    if not path.exists():
        raise SystemExit(f"{path} missing: apt-get install -y fonts-noto-cjk")
    return ImageFont.truetype(str(path), size, index=_SC)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of at most ``width`` pixels, broken between characters (CJK text has no spaces)."""
    lines, line = [], ""
    for ch in text:
        if line and font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + ([line] if line else [])


def _indicator_rows(rng: random.Random) -> list[tuple[str, ...]]:
    """The county indicators of the 2021 list with a status value, a target and an office."""
    rows = []
    with open(INDICATORS, encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            if not row["county_seq"] or "." in row["id"] or row["scope"] not in ("市县", "县"):
                continue
            target = row["target"].split("；县:")[-1].replace("市:", "") or "提高"
            unit = row["unit"] if row["unit"] not in ("", "-") else "—"
            status = f"{rng.uniform(40, 99):.1f}" if unit == "%" else "—"
            rows.append((row["domain"], row["county_seq"], row["name"], unit, status, target,
                         row["attribute"].split("；县:")[-1].replace("市:", ""), rng.choice(OFFICES)))
    return rows


_ACTIONS = ("深入推进", "全面加强", "持续开展", "加快实施", "统筹推进", "大力推动", "健全完善", "积极探索")
_SUBJECTS = ("城乡污水管网建设", "农村人居环境整治", "重点流域水环境综合治理", "大气污染联防联控",
             "土壤污染风险管控", "生物多样性保护", "森林资源保护和国土绿化", "绿色矿山建设", "生态产品价值实现",
             "清洁能源替代", "畜禽养殖废弃物资源化利用", "生活垃圾分类", "绿色建筑推广", "生态文化宣传教育",
             "河湖长制落实", "饮用水水源地规范化建设", "工业园区循环化改造", "化肥农药减量增效")
_MEANS = ("建立健全长效管护机制，明确责任主体和资金来源", "实行清单化管理，逐项明确时间节点和工作要求",
          "强化部门协同和信息共享，定期调度通报工作进展", "将完成情况纳入年度目标责任考核",
          "加大财政投入，积极争取上级专项资金支持", "引导社会资本参与，形成多元投入格局")
_SECTIONS = ("（一）筑牢生态安全屏障", "（二）持续改善环境质量", "（三）构建绿色产业体系", "（四）打造宜居生活环境",
             "（五）培育生态文化", "（六）完善生态制度体系")


_CHAPTERS = ("主要任务", "重点工程", *(f"{year}年度工作安排" for year in range(2022, 2031)))
_NUMERALS = "一二三四五六七八九"


def _numeral(n: int) -> str:
    """1..99 in Chinese numerals (the chapter numbers 一、… 十一、)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _NUMERALS[tens - 1]) + "十" if tens else "") + (_NUMERALS[ones - 1] if ones else "")


def _tasks(rng: random.Random) -> Iterator[tuple[str, str]]:
    """An endless run of ("chapter"|"heading"|"para", text): chapters of sections of numbered tasks."""
    for chapter in range(90):
        yield "chapter", f"{_numeral(chapter + 2)}、{_CHAPTERS[chapter % len(_CHAPTERS)]}"
        for section in _SECTIONS:
            yield "heading", section
            for number in range(1, rng.randint(7, 11) + 1):
                year = rng.choice((2023, 2024, 2025))
                text = (f"{number}.{rng.choice(_ACTIONS)}{rng.choice(_SUBJECTS)}。{rng.choice(_MEANS)}，"
                        f"到{year}年底前完成阶段性目标任务。（责任单位：{rng.choice(OFFICES)}）")
                yield "para", text


class _Pages:
    """Pages drawn top to bottom; a new page when the next block does not fit."""

    def __init__(self, limit: int) -> None:
        self.limit, self.pages, self.y = limit, [], MARGIN_TOP
        self._new()

    def _new(self) -> None:
        self.pages.append(Image.new("L", (WIDTH, HEIGHT), 255))
        self.draw, self.y = ImageDraw.Draw(self.pages[-1]), MARGIN_TOP
        number = str(len(self.pages))
        font = _font(SMALL)
        self.draw.text(((WIDTH - font.getlength(f"— {number} —")) / 2, HEIGHT - 110), f"— {number} —", font=font)

    @property
    def full(self) -> bool:
        return len(self.pages) >= self.limit

    def fits(self, height: int) -> bool:
        return self.y + height <= HEIGHT - MARGIN_BOTTOM

    def next_page(self) -> bool:
        """A fresh page, unless the page limit is reached (False)."""
        if self.full:
            return False
        self._new()
        return True

    def text(self, text: str, size: int = BODY, bold: bool = False, centre: bool = False, indent: bool = True) -> bool:
        font = _font(size, bold)
        first = "\u3000\u3000" if indent and not centre else ""
        for line in _wrap(first + text, font, WIDTH - 2 * MARGIN_X):
            if not self.fits(size + LINE_GAP) and not self.next_page():
                return False
            x = (WIDTH - font.getlength(line)) / 2 if centre else MARGIN_X
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += size + LINE_GAP
        return True

    def row(self, cells: tuple[str, ...], bold: bool = False) -> bool:
        """One table row (cells wrapped in their columns, ruled all round); False when out of pages."""
        font = _font(SMALL, bold)
        wrapped = [_wrap(c, font, w - 16) for c, w in zip(cells, COLUMNS)]
        height = max(len(w) for w in wrapped) * (SMALL + 10) + 24
        if not self.fits(height):
            if not self.next_page():
                return False
            self.row(HEADER, bold=True)  # the header repeats on every page of the table
        x = MARGIN_X
        for lines, width in zip(wrapped, COLUMNS):
            self.draw.rectangle((x, self.y, x + width, self.y + height), outline=0, width=3)
            top = self.y + (height - len(lines) * (SMALL + 10)) / 2
            for k, line in enumerate(lines):
                self.draw.text((x + (width - font.getlength(line)) / 2, top + k * (SMALL + 10)), line, font=font,
                               fill=0)
            x += width
        self.y += height
        return True


def _content(pages: _Pages, rng: random.Random) -> int:
    """Draw the plan's body until the pages run out; returns the chapters begun (the closing one is next)."""
    pages.text(f"{COUNTY}国家生态文明建设示范县建设规划", TITLE, bold=True, centre=True)
    pages.text("（2021—2030年）", BODY, centre=True)
    pages.y += 40
    pages.text(f"为深入贯彻习近平生态文明思想，加快推进{COUNTY}国家生态文明建设示范县创建工作，根据《国家生态文明建设"
               "示范区管理规程》和《国家生态文明建设示范区建设指标》，结合我县实际，编制本规划。")
    pages.text("一、建设指标", bold=True, indent=False)
    pages.text(f"对照国家生态文明建设示范县建设指标，{COUNTY}建设指标及责任分解见下表。")
    pages.text(f"表1  {COUNTY}生态文明建设示范县建设指标", SMALL + 4, bold=True, centre=True)
    if not pages.row(HEADER, bold=True):
        return 1
    for row in _indicator_rows(rng):
        if not pages.row(row):
            return 1
    pages.y += 30
    chapters = 1
    for kind, text in _tasks(rng):
        chapters += kind == "chapter"
        if not pages.text(text, bold=kind != "para", indent=kind == "para"):
            return chapters
    return chapters


def _closing(rng: random.Random, number: int, chapter: int) -> Image.Image:
    """The last page: closing words, the issuer and the date, and the seal over them."""
    last = _Pages(1)
    last.pages[0].paste(255, (0, HEIGHT - 130, WIDTH, HEIGHT))
    last.text(f"{_numeral(chapter + 1)}、保障措施", bold=True, indent=False)
    last.text("各乡镇、各有关部门要按照本规划确定的目标任务，细化工作方案，落实工作责任，确保各项任务按期完成。"
              "县生态文明建设示范县创建工作领导小组办公室负责统筹协调和督促检查，每年向县人民政府报告规划实施情况。")
    last.y += 200
    font = _font(BODY)
    for line in (ISSUER, "2021年9月28日"):
        last.draw.text((WIDTH - MARGIN_X - 40 - font.getlength(line), last.y), line, font=font, fill=0)
        last.y += BODY + LINE_GAP
    label = f"— {number} —"
    last.draw.text(((WIDTH - _font(SMALL).getlength(label)) / 2, HEIGHT - 110), label, font=_font(SMALL))
    page = last.pages[0].convert("RGB")
    return stamp(page, (WIDTH - MARGIN_X - 240, last.y - 60), int(DPI * 0.8), rng, text=ISSUER)


def _scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-0.4, 0.4), resample=Image.Resampling.BICUBIC,
                       fillcolor=(250, 250, 248) if page.mode == "RGB" else 250)
    return page.filter(ImageFilter.GaussianBlur(0.5))


def build_long_scan(out: Path, pages: int = 40) -> Path:
    """Write the scan (``pages`` pages, the last one sealed) to ``out``; returns ``out``."""
    if pages < 2:
        raise ValueError("a long scan has at least two pages")
    rng = random.Random(20210928)
    body = _Pages(pages - 1)
    chapters = _content(body, rng)
    images = [_scanned(p, rng) for p in body.pages] + [_scanned(_closing(rng, pages, chapters), rng)]
    out.parent.mkdir(parents=True, exist_ok=True)
    when = dt.datetime(2021, 9, 28, 16, 0, 0).timetuple()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=DPI, quality=60,
                   creationDate=when, modDate=when, producer="Scanner", title="scan")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args(argv)
    path = build_long_scan(args.out, args.pages)
    print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB, {args.pages} pages)")


if __name__ == "__main__":
    main()
