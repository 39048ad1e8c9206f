"""How many pages of a document will go to OCR, counted cheaply before reading it.

The worker (:mod:`planingest.run.worker`) reports the count to the parent, which
gives the document ``--ocr-page-timeout`` seconds more per page: OCR costs
seconds a page, so one base limit would either fail long scans or let a hung
text document run for hours.  Readers are imported only for the formats that
OCR, so counting costs nothing for the rest.
"""
from __future__ import annotations

from pathlib import Path

from planingest.core.enums import FileFormat


def ocr_pages(path: Path, data: bytes, file_format: str | None) -> int:
    """Pages needing OCR: a PDF's pages without a text layer, an OFD's image-only pages, an image's frames;
    0 for other formats."""
    if file_format == FileFormat.PDF:
        from planingest.ingest.pdf.reader import MAX_OCR_PAGES, ocr_pages_needed

        return min(ocr_pages_needed(data), MAX_OCR_PAGES)  # the rest is reported, not read: no time for it
    if file_format == FileFormat.OFD:
        from planingest.ingest.ofd.reader import ocr_pages_needed as ofd_pages_needed

        return ofd_pages_needed(data)
    if file_format == FileFormat.IMAGE:
        from planingest.ingest.image.reader import MAX_PAGES, page_count
        from planingest.ingest.raster import open_image

        return min(page_count(open_image(data)), MAX_PAGES)
    return 0
