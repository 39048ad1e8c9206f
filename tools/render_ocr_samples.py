"""Hard scans for OCR: a sealed, tilted, JPEG-compressed scan and a phone photo of a plan page.

Built from samples/pdf/jingzhou.pdf (the LibreOffice rendition of the 靖州 seed, so the
truth is the seed's text), deterministic:

* ``samples/scanned/jingzhou-sealed.pdf`` — the first page (title and the head of the
  indicator table) as a colour scan: a red official seal (ring, star, the issuer's name
  round the arc) stamped over part of the table in multiply mode, so the black text
  under it stays black as it does on paper; turned 1.5°; JPEG quality 60; no text layer.
* ``samples/image/jingzhou-photo.jpg`` — the second page photographed: on a desk, turned
  2.5°, lit from one side, a warm cast, stored sideways with EXIF orientation 6
  (as phones do), JPEG quality 70.

Run from the repository root: ``.venv/bin/python -m tools.render_ocr_samples`` (needs the
Noto CJK font: ``apt-get install -y fonts-noto-cjk``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tools.seedgrid import SAMPLES

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SEAL_RGB = (214, 38, 44)
SEAL_TEXT = "靖州苗族侗族自治县人民政府"
DPI = 200


def _font(size: int) -> ImageFont.FreeTypeFont:
    if not FONT.exists():
        raise SystemExit(f"{FONT} missing: apt-get install -y fonts-noto-cjk")
    return ImageFont.truetype(str(FONT), size)


def seal_mask(radius: int, text: str = SEAL_TEXT) -> Image.Image:
    """An official seal as a greyscale mask (255 = ink): ring, five-point star, text round the top arc."""
    size = 2 * radius + 8
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    ring = max(radius // 18, 4)
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    star = []
    for k in range(10):
        r = radius * (0.30 if k % 2 == 0 else 0.12)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(star, fill=255)
    glyph = int(radius * 0.25)
    font = _font(glyph)
    sweep = math.radians(250)
    for i, ch in enumerate(text):
        a = -math.pi / 2 - sweep / 2 + sweep * (i + 0.5) / len(text)
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph // 2, glyph // 4), ch, fill=255, font=font)
        tile = tile.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        r = radius - ring - glyph * 0.72
        x, y = c + r * math.cos(a) - glyph, c + r * math.sin(a) - glyph
        mask.paste(255, (int(x), int(y)), tile)
    return mask.filter(ImageFilter.GaussianBlur(0.8))


def stamp(page: Image.Image, centre: tuple[int, int], radius: int, rng: random.Random,
          text: str = SEAL_TEXT) -> Image.Image:
    """The seal (``text`` round its arc) pressed onto an RGB page: ink multiplies the paper, a little uneven
    like real ink."""
    mask = np.asarray(seal_mask(radius, text), dtype=np.float32) / 255.0
    noise = np.array([[rng.uniform(0.75, 1.0) for _ in range(mask.shape[1] // 8 + 1)]
                      for _ in range(mask.shape[0] // 8 + 1)], dtype=np.float32)
    mask = mask * np.kron(noise, np.ones((8, 8), dtype=np.float32))[:mask.shape[0], :mask.shape[1]]
    out = np.asarray(page, dtype=np.float32).copy()
    x0, y0 = centre[0] - mask.shape[1] // 2, centre[1] - mask.shape[0] // 2
    region = out[y0:y0 + mask.shape[0], x0:x0 + mask.shape[1]]
    m = mask[:region.shape[0], :region.shape[1], None]
    ink = np.array(SEAL_RGB, dtype=np.float32) / 255.0
    region *= 1 - m + m * ink
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def render_page(pdf_path: Path, index: int) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return pdf[index].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def sealed_scan(pdf_path: Path, out: Path) -> None:
    rng = random.Random(20230802)
    page = render_page(pdf_path, 0)
    # over the table's name and target columns, about two thirds down the page
    page = stamp(page, (int(page.width * 0.55), int(page.height * 0.68)), int(DPI * 0.83), rng)
    page = page.rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor=(250, 250, 248))
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp_time = dt.datetime(2023, 8, 2, 10, 0, 0).timetuple()
    page.save(out, "PDF", resolution=DPI, quality=60, creationDate=stamp_time, modDate=stamp_time,
              producer="Scanner")


def photo(pdf_path: Path, out: Path) -> None:
    page = render_page(pdf_path, 1)
    w, h = page.size
    desk = Image.new("RGB", (int(w * 1.12), int(h * 1.08)), (112, 86, 62))
    desk.paste(page, ((desk.width - w) // 2, (desk.height - h) // 2))
    desk = desk.rotate(-2.5, resample=Image.Resampling.BICUBIC, fillcolor=(112, 86, 62))
    arr = np.asarray(desk, dtype=np.float32)
    yy, xx = np.mgrid[0:arr.shape[0], 0:arr.shape[1]]
    light = 0.62 + 0.38 * (xx / arr.shape[1]) ** 0.7 * (1 - 0.15 * yy / arr.shape[0])
    arr = arr * light[:, :, None] * np.array([1.0, 0.96, 0.88], dtype=np.float32)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    sideways = img.rotate(90, expand=True)  # the sensor's orientation; EXIF 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    out.parent.mkdir(parents=True, exist_ok=True)
    sideways.save(out, "JPEG", quality=70, exif=exif.tobytes())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args(argv)
    source = SAMPLES / "pdf" / "jingzhou.pdf"
    sealed_scan(source, args.out / "scanned" / "jingzhou-sealed.pdf")
    photo(source, args.out / "image" / "jingzhou-photo.jpg")
    print(f"wrote {args.out / 'scanned' / 'jingzhou-sealed.pdf'}, {args.out / 'image' / 'jingzhou-photo.jpg'}")


if __name__ == "__main__":
    main()
