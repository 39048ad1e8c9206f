"""Image extractor: a page photographed or scanned to JPEG, PNG, BMP or (multi-page) TIFF.

Each image (each TIFF frame) is a page and goes through the OCR path scanned PDF
pages take (:mod:`planingest.ingest.ocr`): the raster's ruling lines give the
table grid, OCR boxes fill its cells, the rest becomes paragraphs, and table
pieces are stitched across pages like a PDF's (:mod:`planingest.ingest.layout.pages`).

Limits and orientation are :mod:`planingest.ingest.raster`'s.  An image without text (a logo, a photo of a site) comes out with no
blocks, so the document ends ``empty``, not ``failed``.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image

from planingest.core.errors import BadInputError
from planingest.core.records import ExtractedDocument, Issue, Locator
from planingest.ingest.layout.lines import paragraphs
from planingest.ingest.layout.pages import PageResult, assemble, place_tables
from planingest.ingest.ocr import raster_words, read_page
from planingest.ingest.progress import ocr_page_done
from planingest.ingest.raster import DECODE_ERRORS, open_image, page_raster

#: pages (TIFF frames) read from one file, as many as a PDF's OCR'd pages
MAX_PAGES = 200


def page_count(image: Image.Image) -> int:
    """Frames of a multi-page TIFF (counting them parses every frame header: damage shows here)."""
    try:
        return max(int(getattr(image, "n_frames", 1) or 1), 1)
    except MemoryError:
        raise
    except DECODE_ERRORS as exc:
        raise BadInputError(f"damaged image: its pages cannot be counted ({exc})") from None


def read_image(data: bytes, file_format: str = "image") -> ExtractedDocument:
    image = open_image(data)
    n_pages = page_count(image)
    issues: list[Issue] = []
    results: list[PageResult] = []
    scores: list[float] = []
    for number in range(1, min(n_pages, MAX_PAGES) + 1):
        try:
            if n_pages > 1:
                image.seek(number - 1)
            raster, scale = page_raster(image)
        except MemoryError:
            raise
        except DECODE_ERRORS as exc:
            issues.append(Issue("page-unreadable", f"image page {number} cannot be decoded: {exc}",
                                Locator(page=number)))
            results.append(PageResult())
            continue
        scan = read_page(number, lambda raster=raster, scale=scale: (raster, scale))
        ocr_page_done(number)
        tables, outside = place_tables(scan.grids, scan.lines, number, ocr=True)
        results.append(PageResult(prose=paragraphs(outside), tables=tables, route="ocr"))
        if scan.lines or scan.grids:
            scores.append(scan.mean_score)
    if len(issues) == len(results):  # not one page could be decoded: the file is damaged
        raise BadInputError("; ".join(i.message for i in issues))
    if n_pages > MAX_PAGES:
        issues.append(Issue("page-cap", f"the image has {n_pages} pages; only the first {MAX_PAGES} were read",
                            Locator(page=MAX_PAGES + 1)))
    if scores:
        issues.append(Issue("ocr", f"the image was read by OCR (mean recognition score "
                                   f"{sum(scores) / len(scores):.3f}); check names and numbers against the original",
                            Locator(page=1)))
    return ExtractedDocument(file_format=file_format, blocks=tuple(assemble(results)), pages=n_pages,
                             issues=tuple(issues))


def ocr_page_words(data: bytes, number: int):
    """The OCR words of page (frame) ``number`` exactly as :func:`read_image` gets them (``ocr.PageWords``),
    for a worker helping with a long multi-page scan (the batch's page sharing)."""
    image = open_image(data)
    if page_count(image) > 1:
        image.seek(number - 1)
    return raster_words(*page_raster(image))


class ImageExtractor:
    formats = ("image",)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_image(data, file_format)


EXTRACTOR = ImageExtractor()
