"""Page images (JPEG, PNG, BMP, TIFF): limits, orientation, frames; OCR itself in the slow tests and the golden."""
from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from planingest.core.errors import BadInputError
from planingest.ingest.image.reader import read_image
from planingest.ingest.ocr import MAX_SIDE_PX
from planingest.ingest.raster import MAX_PIXELS, open_image, page_raster
from planingest.ingest.registry import extract

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels in a few bytes (an image bomb's header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize("width, height", [(100_000, 100_000), (20_000, 7_000)])
def test_image_bombs_are_refused_before_decoding(width, height):
    started = time.monotonic()
    with pytest.raises(BadInputError, match="image bomb"):
        read_image(_png_header(width, height))
    assert time.monotonic() - started < 1.0 and width * height > MAX_PIXELS


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(40), b"\xff\xd8\xff\xe0" + bytes(100), b"II*\x00" + bytes(8)])
def test_damaged_images_fail_with_a_cause(data):
    with pytest.raises(BadInputError, match="image"):
        read_image(data)


def test_exif_orientation_is_applied():
    portrait = Image.new("L", (400, 600), 255)
    ImageDraw.Draw(portrait).rectangle((0, 0, 400, 50), fill=0)  # a dark band at the top of the page
    stored = portrait.transpose(Image.Transpose.ROTATE_90)  # the phone's landscape pixels
    exif = Image.Exif()
    exif[0x0112] = 6
    raster, scale = page_raster(open_image(_save(stored.convert("RGB"), "JPEG", exif=exif.tobytes())))
    assert raster.shape == (600, 400)
    assert raster[:40].mean() < 60 and raster[100:].mean() > 200
    assert scale == pytest.approx(400 / 595.0)


def test_large_scans_are_shrunk_to_the_ocr_size_and_transparency_is_paper():
    raster, _ = page_raster(open_image(_save(Image.new("RGBA", (5000, 7000), (0, 0, 0, 0)), "PNG")))
    assert max(raster.shape) == MAX_SIDE_PX and raster.min() == 255


def test_multi_page_tiff_frames_are_pages(monkeypatch):
    import planingest.ingest.image.reader as reader
    from planingest.ingest.ocr import ScannedPage

    seen = []
    monkeypatch.setattr(reader, "read_page",
                        lambda number, raster: seen.append(raster()[0].shape) or ScannedPage([], [], 0.0))
    pages = [Image.new("L", (300 + 10 * i, 400), 255) for i in range(3)]
    data = _save(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    doc = extract(Path("scan.pdf"), data)  # named .pdf: detected by content
    assert doc.file_format == "image" and doc.pages == 3 and not doc.blocks
    assert seen == [(400, 300), (400, 310), (400, 320)]


@pytest.mark.parametrize("fmt", ["BMP", "PNG"])
def test_bmp_and_png_are_detected_and_read(fmt, monkeypatch):
    import planingest.ingest.image.reader as reader
    from planingest.ingest.ocr import ScannedPage

    monkeypatch.setattr(reader, "read_page", lambda number, raster: ScannedPage([], [], 0.0))
    doc = extract(Path("page.dat"), _save(Image.new("RGB", (200, 300), "white"), fmt))
    assert doc.file_format == "image" and doc.blocks == ()


@pytest.mark.slow
def test_a_blank_photo_is_empty_not_failed():
    doc = read_image(_save(Image.new("RGB", (1200, 1700), (235, 235, 235)), "JPEG"))
    assert doc.blocks == () and doc.pages == 1


@pytest.mark.slow
def test_a_photographed_table_is_read_by_ocr():
    page = Image.new("L", (1190, 800), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 28)
    rows = [("序号", "指标名称", "单位", "目标值"), ("1", "森林覆盖率", "%", "≥60"), ("2", "生态环境状况指数", "-", "≥55")]
    xs, ys = (60, 200, 700, 850, 1130), (300, 370, 440, 510)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.rectangle((xs[c], ys[r], xs[c + 1], ys[r + 1]), outline=0, width=3)
            draw.text(((xs[c] + xs[c + 1]) / 2, (ys[r] + ys[r + 1]) / 2), text, font=font, fill=0, anchor="mm")
    draw.text((595, 200), "鹿寨县生态文明建设指标", font=font, fill=0, anchor="mm")
    doc = read_image(_save(page, "PNG"))
    (table,) = doc.tables
    assert table.rows[1][1] == "森林覆盖率" and table.rows[2][1] == "生态环境状况指数"
    assert any("鹿寨县" in p.text for p in doc.paragraphs)
    assert [i.code for i in doc.issues] == ["ocr"]
