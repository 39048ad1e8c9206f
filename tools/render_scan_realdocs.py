"""A born-digital summary as it is usually submitted: printed, stamped, scanned.

Built from ``samples/pdf/suichang-summary.pdf`` (the born-digital rendition written by
``tools/render_realdocs_office.py``; its golden is the truth), deterministic:

* ``samples/scanned/suichang-summary-sealed.pdf`` — its one page as a colour scan with
  no text layer: the 遂昌 county government's red seal pressed over the lower right of the
  table (multiply mode, black text under it stays black), turned 0.8°, a light blur,
  JPEG quality 60. Checks that group headers over years, year roles by document kind and
  the mixed title (``…工作总结和…工作思路``) read the same when every word comes from OCR.
* ``samples/scanned/suichang-plan-sealed.pdf`` — the first three pages of
  ``samples/pdf/suichang-plan.pdf`` (title page, then the indicator table running over
  pages 2–3 under a repeated running header) scanned page by page, each turned a little
  differently, the seal over the table on page 3. Checks the plan's year roles and the
  running header between the pieces of a table when both come from OCR.

Reuses the seal, page rendering and stamping of ``tools/render_ocr_samples.py``.
Run from the repository root: ``.venv/bin/python -m tools.render_scan_realdocs``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from PIL import Image, ImageFilter

from tools.render_ocr_samples import DPI, render_page, stamp
from tools.seedgrid import SAMPLES

SEAL_TEXT = "遂昌县人民政府"


def sealed_summary(pdf_path: Path, out: Path) -> None:
    rng = random.Random(20240115)
    page = render_page(pdf_path, 0)
    page = stamp(page, (int(page.width * 0.70), int(page.height * 0.40)), int(DPI * 0.80), rng, SEAL_TEXT)
    page = page.rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=(250, 250, 248))
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp_time = dt.datetime(2024, 1, 15, 9, 30, 0).timetuple()
    page.save(out, "PDF", resolution=DPI, quality=60, creationDate=stamp_time, modDate=stamp_time,
              producer="Scanner")


def sealed_plan(pdf_path: Path, out: Path, pages: int = 3) -> None:
    rng = random.Random(20230320)
    scans = []
    for index, angle in zip(range(pages), (0.6, -0.9, 1.1)):
        page = render_page(pdf_path, index)
        if index == pages - 1:
            page = stamp(page, (int(page.width * 0.62), int(page.height * 0.55)), int(DPI * 0.80), rng, SEAL_TEXT)
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(250, 250, 248))
        scans.append(page.filter(ImageFilter.GaussianBlur(0.5)))
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp_time = dt.datetime(2023, 3, 21, 15, 0, 0).timetuple()
    scans[0].save(out, "PDF", resolution=DPI, quality=60, save_all=True, append_images=scans[1:],
                  creationDate=stamp_time, modDate=stamp_time, producer="Scanner")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args(argv)
    target = args.out / "scanned" / "suichang-summary-sealed.pdf"
    sealed_summary(SAMPLES / "pdf" / "suichang-summary.pdf", target)
    plan = args.out / "scanned" / "suichang-plan-sealed.pdf"
    sealed_plan(SAMPLES / "pdf" / "suichang-plan.pdf", plan)
    print(f"wrote {target}, {plan}")


if __name__ == "__main__":
    main()
