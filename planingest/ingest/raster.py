"""Page images made ready for OCR, safely: size limits, EXIF orientation, greyscale, bounded size.

Shared by the image extractor and by OFD pages that are scans.  Before any pixel
is decoded the header's size is checked against MAX_PIXELS (an image bomb
declares billions of pixels in a few kilobytes); the photo's EXIF orientation is
applied, since phones store portrait shots as rotated landscape pixels.
"""
from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from planingest.core.errors import BadInputError
from planingest.ingest.ocr import MAX_SIDE_PX, ScannedPage, read_raster
from planingest.ingest.ocr_prep import prepare

#: pixels of one page image: a 600 dpi A3 scan has 70 million; anything beyond is a bomb or not a page
MAX_PIXELS = 120_000_000
#: an image with no physical size is taken as an A4 page across its width (points), so the
#: OCR path's rules in points (shortest ruling, line gaps) mean what they mean on a scanned PDF page
A4_WIDTH_PT, A4_HEIGHT_PT = 595.0, 842.0
#: what Pillow raises for damaged pixel data: its plugins let struct, index and type errors of
#: a malformed header escape, so any Exception short of running out of memory means "damaged"
DECODE_ERRORS = (Exception,)


def _bomb_message(width: int, height: int) -> str:
    return (f"image of {width}x{height} pixels is larger than any page scan "
            f"(limit {MAX_PIXELS:,} pixels): refused as an image bomb")


def open_image(data: bytes) -> Image.Image:
    """The image with only its header read; BadInputError when damaged or too large to be a page."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadInputError(f"image refused as an image bomb ({exc})") from None
    except MemoryError:
        raise
    except (UnidentifiedImageError, *DECODE_ERRORS) as exc:
        raise BadInputError(f"damaged or unsupported image: {exc}") from None
    check_size(image)
    return image


def check_size(image: Image.Image) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise BadInputError("damaged image: it declares no pixels")
    if width * height > MAX_PIXELS:
        raise BadInputError(_bomb_message(width, height))


def _on_white(frame: Image.Image) -> Image.Image:
    """Transparent areas are white paper, not black ink."""
    frame = frame.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", frame.size, (255, 255, 255, 255)), frame)


def page_raster(frame: Image.Image, width_pt: float | None = None) -> tuple[np.ndarray, float]:
    """A frame upright, prepared for OCR (seals out, level, greyscale), no longer than the OCR path's largest side;
    and its pixels per point.

    ``width_pt`` is the width the image has on its page (OFD knows it); without
    it the image is taken to be an A4 page.
    """
    check_size(frame)
    frame = ImageOps.exif_transpose(frame) or frame
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        frame = _on_white(frame)
    rgb = frame.convert("RGB")  # colour kept until the red seals are taken out (ocr_prep.prepare)
    longest = max(rgb.size)
    if longest > MAX_SIDE_PX:
        factor = MAX_SIDE_PX / longest
        rgb = rgb.resize((max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor))))
    page_width = width_pt or (A4_HEIGHT_PT if rgb.width > rgb.height else A4_WIDTH_PT)
    return prepare(np.asarray(rgb, dtype=np.uint8)), rgb.width / page_width


def ocr_image(image: Image.Image) -> ScannedPage:
    """Text lines and ruled tables of one page image (a photo, a scanned JPEG/PNG/TIFF frame)."""
    return read_raster(*page_raster(image))
