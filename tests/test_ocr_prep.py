"""Image preparation before OCR (ingest/ocr_prep.py) on synthetic rasters: fast, no OCR engine.

Seals: red ink becomes paper, black text printed over it stays ink.  Photos: the sheet
is found on its desk and mapped upright, uneven light is flattened, skew is measured
and removed, the EXIF orientation is applied.  A scan is left as it is.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from planingest.ingest.ocr_prep import (
    MIN_SKEW_DEG,
    deskew,
    estimate_skew,
    exif_upright,
    find_page,
    flatten_background,
    prepare,
    suppress_red,
)


def ruled_page(width: int = 900, height: int = 1200) -> Image.Image:
    """A white page with a ruled table and lines of 'text' (dark bars), greyscale."""
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    for y in range(150, 1050, 60):
        draw.line((100, y, 800, y), fill=20, width=2)
        for x in range(120, 760, 40):
            draw.rectangle((x, y + 18, x + 26, y + 42), fill=30)
    for x in (100, 300, 800):
        draw.line((x, 150, x, 1050), fill=20, width=2)
    return page


def test_red_seal_ink_becomes_paper_and_black_text_under_it_stays_ink():
    rgb = np.full((40, 40, 3), 250, dtype=np.uint8)
    rgb[:, :20] = (214, 38, 44)  # seal ink on paper
    rgb[10:20, 10:30] = (20, 8, 9)  # black text printed over the seal (multiply blend)
    grey = suppress_red(rgb)
    assert grey[30, 5] > 200  # seal → near white
    assert grey[15, 15] < 40 and grey[15, 25] < 40  # text under and beside the seal stays black
    assert grey[30, 30] > 240


@pytest.mark.parametrize("ink", [(214, 38, 44), (190, 30, 40), (230, 60, 70), (170, 20, 30)])
def test_seal_ink_of_any_red_becomes_paper_not_a_grey_drawing(ink):
    """Seal ink is darker than paper even in red: left as the red channel it stays a light grey ring that hid
    a small ``≥21`` under it from the detector (scanned suichang summary). It becomes paper, and the text
    printed over it (multiply blend) and beside it keeps its contrast."""
    rgb = np.full((60, 60, 3), 250, dtype=np.uint8)
    rgb[:, :40] = ink
    rgb[20:30, 10:50] = (ink[0] * 30 // 255, ink[1] * 30 // 255, ink[2] * 30 // 255)
    grey = suppress_red(rgb)
    assert grey[45, 5] >= 245  # ink → as bright as the paper around it
    assert grey[25, 15] < 50 and grey[25, 45] < 50


@pytest.mark.parametrize("edge", [(235, 200, 195), (225, 180, 170)])
def test_the_faint_red_edge_round_a_seal_becomes_paper_too(edge):
    """Blur and JPEG colour blocks leave a rim of pinkish grey round the ink, red too faint for RED_MARGIN: within
    SEAL_EDGE_PX of the ink it is taken from the red channel as well, so no grey outline of the seal is left."""
    rgb = np.full((40, 40, 3), 250, dtype=np.uint8)
    rgb[:, :20] = (214, 38, 44)
    rgb[:, 20:22] = edge
    grey = suppress_red(rgb)
    assert grey[10, 20:22].min() >= 245
    assert grey[10, 30] == 250  # paper farther out untouched


def test_greyscale_input_passes_through_suppress_red():
    grey = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert (suppress_red(grey) == grey).all()


@pytest.mark.parametrize("angle", [-5.0, -2.5, -1.0, 1.2, 3.0, 6.0])
def test_skew_is_measured_and_removed(angle):
    turned = np.asarray(ruled_page().rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250))
    assert estimate_skew(turned) == pytest.approx(angle, abs=0.15)
    level, applied = deskew(turned)
    assert applied == pytest.approx(angle, abs=0.15)
    assert abs(estimate_skew(level)) < MIN_SKEW_DEG


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=-0.25, max_value=0.25))
def test_a_nearly_level_page_is_not_resampled(angle):
    page = np.asarray(ruled_page().rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250))
    level, applied = deskew(page)
    assert applied == 0.0 and level is page


def test_uneven_light_is_flattened_and_an_even_page_is_left_alone():
    page = np.asarray(ruled_page(), dtype=np.float32)
    even = page.astype(np.uint8)
    assert flatten_background(even) is even
    shade = np.linspace(0.55, 1.0, page.shape[1], dtype=np.float32)[None, :]
    shaded = (page * shade).astype(np.uint8)
    flat = flatten_background(shaded)
    assert flat[100, 20] > 230 and flat[100, 880] > 230  # paper white on both sides
    assert flat[170, 130] < 100  # ink stays ink in the shadow


def test_a_photographed_sheet_is_found_and_mapped_upright():
    sheet = ruled_page().convert("RGB")
    desk = Image.new("RGB", (1100, 1400), (110, 85, 60))
    desk.paste(sheet, (100, 100))
    desk = desk.rotate(-3, resample=Image.Resampling.BICUBIC, fillcolor=(110, 85, 60))
    quad = find_page(suppress_red(np.asarray(desk)))
    assert quad is not None and quad[0][0] < quad[1][0] and quad[0][1] < quad[3][1]
    ready = prepare(np.asarray(desk))
    assert ready.shape[0] == pytest.approx(1200, rel=0.06) and ready.shape[1] == pytest.approx(900, rel=0.06)
    assert abs(estimate_skew(ready)) < MIN_SKEW_DEG
    assert np.percentile(ready, 2) < 60 and ready[5, 5] > 200  # ink kept, no desk left at the corner


def test_a_scan_has_no_page_to_find():
    assert find_page(np.asarray(ruled_page())) is None


def test_exif_orientation_is_applied():
    upright = Image.new("RGB", (300, 200), (255, 255, 255))
    sideways = upright.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways.info["exif"] = exif.tobytes()
    sideways.getexif()[0x0112] = 6
    assert exif_upright(sideways).size == (300, 200)


@pytest.mark.parametrize("limit_mb, backend", [(2048, "onnxruntime"), (4096, "openvino"), (None, "openvino")])
def test_openvino_is_used_only_where_the_address_space_limit_allows_it(monkeypatch, limit_mb, backend):
    import resource

    from planingest.ingest.ocr_engine import DEFAULT, LOW_MEMORY, fitting

    soft = resource.RLIM_INFINITY if limit_mb is None else limit_mb * 1024 * 1024
    monkeypatch.setattr(resource, "getrlimit", lambda _: (soft, resource.RLIM_INFINITY))
    chosen = fitting(DEFAULT)
    assert chosen.backend == backend and (chosen == LOW_MEMORY) == (backend == "onnxruntime")
