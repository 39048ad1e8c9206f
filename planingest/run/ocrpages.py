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


def ocr_page_plan(path: Path, data: bytes, file_format: str | None) -> int | list[int]:
    """The numbers of the pages that will go to OCR where another worker can read any one of them
    alone (:func:`page_words`: PDF pages, image frames), else just how many (see :func:`ocr_pages`)."""
    if file_format == FileFormat.PDF:
        from planingest.ingest.pdf.reader import ocr_page_numbers

        return ocr_page_numbers(data)
    if file_format == FileFormat.IMAGE:
        return list(range(1, ocr_pages(path, data, file_format) + 1))
    return ocr_pages(path, data, file_format)


def page_words(path: Path, data: bytes, file_format: str | None, number: int) -> dict:
    """One page's OCR words (JSON-serialisable), read exactly as the document's reader would read them:
    the work of a page job (:mod:`planingest.run.pageshare`)."""
    if file_format == FileFormat.PDF:
        from planingest.ingest.pdf.reader import ocr_page_words
    elif file_format == FileFormat.IMAGE:
        from planingest.ingest.image.reader import ocr_page_words  # type: ignore[no-redef]
    else:
        raise ValueError(f"pages of {file_format} documents are not read one at a time")
    return ocr_page_words(data, number).to_json()
