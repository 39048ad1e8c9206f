"""Screenshots of ``planingest report`` at desktop and phone widths, and its printed PDF, for a person to look at.

    python -m tools.screenshot_report                 # run the text samples, report, shoot
    python -m tools.screenshot_report --out DIR       # report an existing output folder instead

Writes into ``output/screenshots/`` (git-ignored): ``report.html``,
``report-1280.png``, ``report-390.png`` (whole page, trailing blank trimmed) and
``report-print.pdf`` (Chromium's print, which uses the report's ``@media print``).
Needs headless Chromium (Debian package ``chromium``).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "output" / "screenshots"
WIDTHS = {1280: 12000, 390: 30000}  # width → window height tall enough for the whole page
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: a plan whose region the text does not name: the report lists it apart
NO_REGION = """2024年国家生态文明建设示范区巩固提升工作要点

附件 指标任务分解表
序号 | 指标名称 | 指标值 | 责任单位 |
1 | 集中式饮用水水源地水质达标率 | 100% | 县生态环境局 |
2 | 环境空气质量 | 持续改善 | 县生态环境局 |
"""


def sample_output(work: Path) -> Path:
    """Run the pipeline on the text samples plus a plan without a region; returns the output folder."""
    from planingest.cli.main import main

    inputs = work / "in"
    inputs.mkdir(parents=True)
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(sample, inputs)
    (inputs / "no-region.txt").write_text(NO_REGION, encoding="utf-8")
    out = work / "out"
    if main(["run", str(inputs), "--out", str(out), "--workers", "2", "--quiet"]) not in (0, 1):
        raise SystemExit("planingest run failed")
    return out


def trim(png: Path) -> None:
    """Cut the blank rows below the page's end (the window is taller than the page)."""
    from PIL import Image, ImageChops

    with Image.open(png) as image:
        rgb = image.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, (255, 255, 255))).getbbox()
    if box:
        rgb.crop((0, 0, rgb.width, min(rgb.height, box[3] + 24))).save(png)


def chromium(binary: str, profile: Path, *args: str) -> None:
    done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=300)
    if done.returncode:
        raise SystemExit(f"chromium failed: {done.stderr[-1500:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", metavar="DIR", help="an existing output folder (default: run the text samples)")
    parser.add_argument("--dest", metavar="DIR", default=str(DEST), help=f"where to write (default {DEST})")
    args = parser.parse_args(argv)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        print("headless Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from planingest.publish.report_html import write_report

    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else sample_output(Path(tmp))
        html = write_report(out, dest / "report.html")
        for width, height in WIDTHS.items():
            png = dest / f"report-{width}.png"
            chromium(binary, Path(tmp) / "profile", f"--screenshot={png}", f"--window-size={width},{height}",
                     html.as_uri())
            trim(png)
            print(png)
        pdf = dest / "report-print.pdf"
        chromium(binary, Path(tmp) / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
        print(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
