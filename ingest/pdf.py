"""PDF extractor: prose from pypdfium2, tables from pdfplumber, scans through OCR.

Per page, the cheap pypdfium2 text decides the path:

* no text layer but images → OCR (``ingest.ocr``): lines and ruled tables from the raster;
* text showing a table header (or continuing a table from the page before) →
  pdfplumber's table finder; its lines outside the tables are the page's prose;
* anything else → pypdfium2's lines only (a couple of milliseconds a page).

Table pieces are then stitched across page breaks (``ingest.pdf_stitch``) and
placed among the paragraphs in reading order.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.pdf_lines import Line, ProseBlock, clean_line, paragraphs, pdfium_lines
from ingest.pdf_stitch import stitch
from ingest.pdf_tables import PageTable, find_page_tables, page_may_hold_table, place_tables
from planingest.errors import BadInputError, EncryptedDocumentError, MissingToolError
from planingest.records import Block, ExtractedDocument, Issue, Locator, Paragraph, Table

log = logging.getLogger(__name__)

#: pages read from one file; the rest is reported, not read
MAX_PAGES = 2000
#: scanned pages OCR'd from one file (OCR costs seconds a page)
MAX_OCR_PAGES = 200
#: fewer visible characters than this and the page counts as having no text layer
MIN_TEXT_CHARS = 10
_PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)


def open_document(data: bytes) -> pdfium.PdfDocument:
    """Open with pypdfium2; a password or a broken file becomes a BadInputError."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise EncryptedDocumentError(f"PDF is encrypted with a password: {exc}") from None
        raise BadInputError(f"PDF is damaged or truncated and cannot be opened: {exc}") from None


class _Plumber:
    """pdfplumber opened only when a page needs its table finder, and only once."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None
        self.failure: str | None = None

    def page(self, index: int):
        if self.failure is not None:
            return None
        if self._pdf is None:
            try:
                import pdfplumber

                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            except Exception as exc:  # pdfminer raises a zoo of types for broken files
                self.failure = f"{type(exc).__name__}: {exc}"[:300]
                return None
        try:
            return self._pdf.pages[index]
        except Exception as exc:
            self.failure = f"{type(exc).__name__}: {exc}"[:300]
            return None

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:  # closing a broken file must not hide the result
                pass


@dataclass
class _PageResult:
    prose: list[ProseBlock] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)


def _has_images(page: pdfium.PdfPage) -> bool:
    for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        return True
    return False


def _plumber_lines(page) -> list[Line]:
    out = []
    for item in page.extract_text_lines(layout=False, strip=True, return_chars=False):
        text = clean_line(item["text"])
        if text:
            out.append(Line(text, item["x0"], item["top"], item["x1"], item["bottom"]))
    return out


class PdfExtractor:
    """``ocr=False`` leaves scanned pages unread (reported as an issue): for fast sweeps."""

    formats = ("pdf",)

    def __init__(self, ocr: bool = True):
        self.ocr = ocr

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        doc = open_document(data)
        plumber = _Plumber(data)
        try:
            return self._extract(doc, plumber, file_format)
        finally:
            plumber.close()
            doc.close()

    def _extract(self, doc: pdfium.PdfDocument, plumber: _Plumber, file_format: str) -> ExtractedDocument:
        n_pages = len(doc)
        issues: list[Issue] = []
        if n_pages > MAX_PAGES:
            issues.append(Issue("page-cap", f"the PDF has {n_pages} pages; only the first {MAX_PAGES} were read",
                                Locator(page=MAX_PAGES + 1)))
        results: list[_PageResult] = []
        ocr_pages: list[int] = []
        ocr_scores: list[float] = []
        ocr_skipped: list[int] = []
        table_failures: list[int] = []
        chain = False
        for index in range(min(n_pages, MAX_PAGES)):
            number = index + 1
            try:
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    lines = pdfium_lines(textpage, page.get_height())
                    text = textpage.get_text_range()
                    textpage.close()
                    scanned = sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS and _has_images(page)
                    if scanned and (not self.ocr or len(ocr_pages) >= MAX_OCR_PAGES):
                        ocr_skipped.append(number)
                        result = _PageResult()
                    elif scanned:
                        result, score = self._ocr(page, number)
                        ocr_pages.append(number)
                        ocr_scores.append(score)
                    elif chain or page_may_hold_table(text):
                        result = self._tables(plumber, index, number, lines, table_failures)
                    else:
                        result = _PageResult(prose=paragraphs(lines))
                finally:
                    page.close()
            except pdfium.PdfiumError as exc:
                issues.append(Issue("page-unreadable", f"page {number} cannot be read: {exc}", Locator(page=number)))
                result = _PageResult()
            chain = bool(result.tables) and result.tables[-1].at_bottom
            results.append(result)
        issues.extend(_summary_issues(ocr_pages, ocr_scores, ocr_skipped, table_failures, plumber.failure))
        blocks = _assemble(results)
        if not blocks:
            issues.append(Issue("no-text", f"the PDF has {n_pages} page(s) but no text could be read from them"))
        return ExtractedDocument(file_format=file_format, blocks=tuple(blocks), pages=n_pages, issues=tuple(issues))

    def _tables(self, plumber: _Plumber, index: int, number: int, lines: list[Line],
                failures: list[int]) -> _PageResult:
        """Tables and prose of a page through pdfplumber; pdfium's lines if pdfplumber fails."""
        page = plumber.page(index)
        if page is not None:
            try:
                grids = find_page_tables(page, number)
                plumber_lines = _plumber_lines(page)
                tables, outside = place_tables(grids, plumber_lines, number)
                return _PageResult(prose=paragraphs(outside), tables=tables)
            except Exception as exc:  # a hostile page must cost its tables, not the document
                log.debug("pdfplumber failed on page %s: %s", number, exc)
            finally:
                page.close()
        failures.append(number)
        return _PageResult(prose=paragraphs(lines))

    def _ocr(self, page: pdfium.PdfPage, number: int) -> tuple[_PageResult, float]:
        from ingest.ocr import ocr_page

        scan = ocr_page(page)
        tables, outside = place_tables(scan.grids, scan.lines, number, ocr=True)
        return _PageResult(prose=paragraphs(outside), tables=tables), scan.mean_score


def _summary_issues(ocr_pages, ocr_scores, ocr_skipped, table_failures, plumber_failure) -> list[Issue]:
    issues = []
    if ocr_pages:
        mean = sum(ocr_scores) / len(ocr_scores)
        issues.append(Issue(
            "ocr",
            f"pages {_page_list(ocr_pages)} have no text layer and were read by OCR "
            f"(mean recognition score {mean:.3f}); check names and numbers against the original",
            Locator(page=ocr_pages[0]),
        ))
    if ocr_skipped:
        issues.append(Issue("ocr-skipped", f"scanned pages {_page_list(ocr_skipped)} were not read "
                                           f"(OCR is off, or more than {MAX_OCR_PAGES} pages need it)",
                            Locator(page=ocr_skipped[0])))
    if table_failures:
        reason = f" ({plumber_failure})" if plumber_failure else ""
        issues.append(Issue("tables-unreadable", f"tables on pages {_page_list(table_failures)} could not be "
                                                 f"read{reason}; their text is kept as lines",
                            Locator(page=table_failures[0])))
    return issues


def _page_list(pages: list[int]) -> str:
    """1, 2, 3, 5 → "1-3, 5"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _assemble(results: list[_PageResult]) -> list[Block]:
    """Paragraphs page by page, each stitched table where its first piece starts."""
    starts: dict[int, list[tuple[float, Table]]] = {}
    for table, top in stitch([t for r in results for t in r.tables]):
        starts.setdefault(table.locator.page, []).append((top, table))
    blocks: list[Block] = []
    for number, result in enumerate(results, start=1):
        pending = sorted(starts.get(number, []), key=lambda t: t[0])
        for block in result.prose:
            while pending and pending[0][0] <= block.top:
                blocks.append(pending.pop(0)[1])
            blocks.append(Paragraph(block.text, Locator(page=number, line=block.first_line)))
        blocks.extend(t for _, t in pending)
    return blocks


EXTRACTOR = PdfExtractor()
