"""PDF extractor: prose from pypdfium2, tables from pdfplumber, scans through OCR.

Per page, the cheap pypdfium2 text decides the path:

* no text layer but images → OCR (``planingest.ingest.ocr``): lines and ruled tables from the raster;
* text showing a table header (or continuing a table from the page before) →
  pdfplumber's table finder; its lines outside the tables are the page's prose;
* anything else → pypdfium2's lines only (a couple of milliseconds a page).

Table pieces are then stitched across page breaks (``planingest.ingest.pdf.stitch``) and
placed among the paragraphs in reading order.
"""
from __future__ import annotations

import io
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from planingest.core.enums import IssueCode
from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.core.records import ExtractedDocument, Issue, Locator
from planingest.ingest.layout.lines import Line, clean_line, paragraphs, pdfium_lines
from planingest.ingest.layout.pages import PageResult, assemble, place_tables
from planingest.ingest.pdf.tables import find_page_tables, page_may_hold_table
from planingest.ingest.progress import ocr_page_done
from planingest.interpret.confidence import LOW_OCR_SCORE

#: pages read from one file; the rest is reported, not read
MAX_PAGES = 2000
#: scanned pages OCR'd from one file (OCR costs seconds a page)
MAX_OCR_PAGES = 200
#: fewer visible characters than this and a page with an image counts as having no text layer
MIN_TEXT_CHARS = 10
#: a page-sized image (this share of the page) with fewer characters than STAMP_TEXT_CHARS
#: is a scan carrying a scanner app's stamp or a page number as its only text
SCAN_IMAGE_SHARE = 0.6
STAMP_TEXT_CHARS = 40
_PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
#: benchmark hook (bench/): when set to a file, each PDF appends one JSON line with the
#: route and seconds of every page, so page kinds can be timed apart.  Off otherwise.
PAGE_TIMES_ENV = "PLANINGEST_PDF_PAGE_TIMES"


class NoPages(Exception):
    """pdfminer reads the file but finds no page in it."""


_PDFMINER_PASSWORD = ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning")


def _pdfminer_failure(data: bytes) -> tuple[str, str] | None:
    """(exception name, message) of pdfminer failing to parse the file; None when it parses."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        if next(iter(PDFPage.create_pages(document)), None) is None:
            raise NoPages()
    except NoPages:
        raise
    except MemoryError:
        raise  # the worker's limit, never the file's verdict
    except Exception as exc:  # pdfminer's many exception types all mean "cannot parse"
        return type(exc).__name__, f"{type(exc).__name__}: {exc}"[:300]
    return None


def open_document(data: bytes) -> pdfium.PdfDocument:
    """Open with pypdfium2; a password or a broken file becomes a BadInputError.

    PDFium's error code is the *last* error of the library, which a failure that
    sets none leaves stale, so pdfminer is asked for the reason, and a password
    error is believed only for a file that has an /Encrypt dictionary.
    Raises :class:`NoPages` for a well-formed PDF without pages (PDFium refuses those).
    """
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        failure = _pdfminer_failure(data)
        password = getattr(exc, "err_code", None) in _PASSWORD_ERRORS or (
            failure is not None and failure[0] in _PDFMINER_PASSWORD)
        if password and b"/Encrypt" in data:
            raise EncryptedDocumentError(f"PDF is encrypted with a password: {exc}") from None
        reason = failure[1] if failure else f"{exc} (PDFium cannot read it)"
        raise BadInputError(f"PDF cannot be opened (damaged, truncated or unsupported): {reason}") from None


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
            except MemoryError:
                raise  # the worker's limit, never the file's verdict
            except Exception as exc:  # pdfminer raises a zoo of types for broken files
                self.failure = f"{type(exc).__name__}: {exc}"[:300]
                return None
        try:
            return self._pdf.pages[index]
        except MemoryError:
            raise  # the worker's limit, never the file's verdict
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
class _Tally:
    """What the page loop reports at the end, as one issue per kind."""

    ocr_pages: list[int] = field(default_factory=list)
    ocr_scores: list[float] = field(default_factory=list)
    #: OCR'd table cells with text, and how many of them scored below LOW_OCR_SCORE
    ocr_cells: int = 0
    ocr_low_cells: int = 0
    ocr_skipped: list[int] = field(default_factory=list)
    table_failures: list[int] = field(default_factory=list)
    table_reason: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def summary(self) -> list[Issue]:
        out = list(self.issues)
        if self.ocr_pages:
            mean = sum(self.ocr_scores) / len(self.ocr_scores)
            cells = (f"; {self.ocr_low_cells} of {self.ocr_cells} table cells "
                     f"({self.ocr_low_cells / self.ocr_cells:.1%}) scored below {LOW_OCR_SCORE:.2f}: rows with such a "
                     f"name, target or departments cell are marked for review" if self.ocr_cells else "")
            pages = (f"page {self.ocr_pages[0]} has no text layer and was" if len(self.ocr_pages) == 1
                     else f"pages {_page_list(self.ocr_pages)} have no text layer and were")
            out.append(Issue(
                IssueCode.OCR,
                f"{pages} read by OCR "
                f"(mean recognition score {mean:.3f}{cells}); check names and numbers against the original",
                Locator(page=self.ocr_pages[0]),
            ))
        if self.ocr_skipped:
            out.append(Issue(IssueCode.OCR_SKIPPED, f"scanned pages {_page_list(self.ocr_skipped)} were not read "
                                            f"(OCR is off, or more than {MAX_OCR_PAGES} pages need it)",
                             Locator(page=self.ocr_skipped[0])))
        if self.table_failures:
            reason = f" ({self.table_reason})" if self.table_reason else ""
            out.append(Issue(IssueCode.TABLES_UNREADABLE, f"tables on pages {_page_list(self.table_failures)} could not "
                                                  f"be read{reason}; their text is kept as lines",
                             Locator(page=self.table_failures[0])))
        return out


def _largest_image_share(page: pdfium.PdfPage) -> float:
    """The share of the page area covered by its largest image (0 when it has none)."""
    width, height = page.get_size()
    largest = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        largest = max(largest, (right - left) * (top - bottom))
    return min(largest / max(width * height, 1.0), 1.0) if largest else 0.0


def _is_scanned(page: pdfium.PdfPage, text: str) -> bool:
    """No text layer, or only a scanner's stamp ("扫描全能王 创建") on a page-sized image."""
    visible = sum(1 for ch in text if not ch.isspace())
    if visible >= STAMP_TEXT_CHARS:
        return False
    share = _largest_image_share(page)
    return share > 0 and (visible < MIN_TEXT_CHARS or share >= SCAN_IMAGE_SHARE)


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
        try:
            doc = open_document(data)
        except NoPages:
            return ExtractedDocument(file_format=file_format, blocks=(), pages=0,
                                     issues=(Issue(IssueCode.NO_PAGES, "the PDF is well-formed but has no pages"),))
        plumber = _Plumber(data)
        try:
            n_pages = len(doc)
            tally = _Tally()
            if n_pages > MAX_PAGES:
                tally.issues.append(Issue(IssueCode.PAGE_CAP, f"the PDF has {n_pages} pages; only the first {MAX_PAGES} "
                                                      f"were read", Locator(page=MAX_PAGES + 1)))
            results: list[PageResult] = []
            times: list[tuple[int, str, float]] | None = [] if os.environ.get(PAGE_TIMES_ENV) else None
            for index in range(min(n_pages, MAX_PAGES)):
                chain = bool(results and results[-1].tables and results[-1].tables[-1].at_bottom)
                started = time.perf_counter()
                results.append(self._page(doc, index, chain, plumber, tally))
                if times is not None:
                    times.append((index + 1, results[-1].route, time.perf_counter() - started))
        finally:
            plumber.close()
            doc.close()
        if plumber.failure and not tally.table_reason:
            tally.table_reason = plumber.failure
        issues = tally.summary()
        started = time.perf_counter()
        blocks = assemble(results)
        if times is not None:
            _record_page_times(path, times, time.perf_counter() - started)
        if not blocks:
            issues.append(Issue(IssueCode.NO_TEXT, f"the PDF has {n_pages} page(s) but no text could be read from them"))
        return ExtractedDocument(file_format=file_format, blocks=tuple(blocks), pages=n_pages, issues=tuple(issues),
                                 ocr_pages=tuple(tally.ocr_pages))

    def _page(self, doc: pdfium.PdfDocument, index: int, chain: bool, plumber: _Plumber,
              tally: _Tally) -> PageResult:
        """One page by the cheapest path that can read it (see the module docstring)."""
        number = index + 1
        try:
            page = doc[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                lines = pdfium_lines(textpage, text, page.get_height())
                textpage.close()
                if _is_scanned(page, text):
                    if not self.ocr or len(tally.ocr_pages) >= MAX_OCR_PAGES:
                        tally.ocr_skipped.append(number)
                        return PageResult()
                    result, score = self._ocr(page, number)
                    ocr_page_done(number)
                    tally.ocr_pages.append(number)
                    tally.ocr_scores.append(score)
                    for table in result.tables:
                        cell_scores = _cell_scores(table.grid)
                        tally.ocr_cells += len(cell_scores)
                        tally.ocr_low_cells += sum(1 for s in cell_scores if s < LOW_OCR_SCORE)
                    return result
                if chain or page_may_hold_table(text):
                    return self._tables(plumber, index, number, lines, tally)
                return PageResult(prose=paragraphs(lines))
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            tally.issues.append(Issue(IssueCode.PAGE_UNREADABLE, f"page {number} cannot be read: {exc}", Locator(page=number)))
            return PageResult()

    def _tables(self, plumber: _Plumber, index: int, number: int, lines: list[Line], tally: _Tally) -> PageResult:
        """Tables and prose of a page through pdfplumber; pdfium's lines if pdfplumber fails."""
        page = plumber.page(index)
        if page is not None:
            try:
                grids = find_page_tables(page)
                tables, outside = place_tables(grids, _plumber_lines(page), number)
                return PageResult(prose=paragraphs(outside), tables=tables, route="table")
            except MemoryError:
                raise  # the worker's limit, never the file's verdict
            except Exception as exc:  # a hostile page must cost its tables, not the document
                tally.table_reason = f"{type(exc).__name__}: {exc}"[:300]
            finally:
                page.close()
        tally.table_failures.append(number)
        return PageResult(prose=paragraphs(lines), route="table")

    def _ocr(self, page: pdfium.PdfPage, number: int) -> tuple[PageResult, float]:
        from planingest.ingest.ocr import ocr_page

        scan = ocr_page(page, number=number)
        tables, outside = place_tables(scan.grids, scan.lines, number, ocr=True)
        return PageResult(prose=paragraphs(outside), tables=tables, route="ocr"), scan.mean_score


def _record_page_times(path: Path, times: list[tuple[int, str, float]], assemble_s: float) -> None:
    """Append this PDF's page timings to the file PAGE_TIMES_ENV names (one write: lines stay whole)."""
    line = json.dumps({"path": str(path), "pages": times, "assemble_s": assemble_s}, ensure_ascii=False) + "\n"
    with open(os.environ[PAGE_TIMES_ENV], "a", encoding="utf-8") as fh:
        fh.write(line)


def _cell_scores(grid) -> list[float]:
    """The OCR score of each cell with text, a merged cell counted once."""
    if not grid.scores:
        return []
    return [grid.scores[r][c] for r, line in enumerate(grid.origin) for c, origin in enumerate(line)
            if origin == (r, c) and grid.scores[r][c] is not None]


def ocr_pages_needed(data: bytes) -> int:
    """How many pages of a PDF would go to OCR (no text layer), without reading any of them.

    Cheap (pypdfium2's text and image bounds, milliseconds a page): the batch uses it to give
    a scanned document a time budget per OCR page.  0 for a PDF that cannot be opened.
    """
    return len(ocr_page_numbers(data))


def ocr_page_numbers(data: bytes) -> list[int]:
    """The numbers (1-based) of the pages the reader will OCR, in order; [] for a PDF that cannot be opened."""
    try:
        doc = open_document(data)
    except (BadInputError, NoPages):
        return []
    needed: list[int] = []
    try:
        for index in range(min(len(doc), MAX_PAGES)):
            try:
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    text = textpage.get_text_range()
                    textpage.close()
                    if _is_scanned(page, text):
                        needed.append(index + 1)
                finally:
                    page.close()
            except pdfium.PdfiumError:
                continue
            if len(needed) >= MAX_OCR_PAGES:
                break
    finally:
        doc.close()
    return needed


def ocr_page_words(data: bytes, number: int):
    """The OCR words of page ``number`` exactly as the reader's OCR path gets them (``ocr.PageWords``).

    For a worker that helps with a long scan (the batch's page sharing): the reader
    then lays the page out from these words instead of OCR'ing it again.
    """
    from planingest.ingest.ocr import raster_words, render

    doc = open_document(data)
    try:
        page = doc[number - 1]
        try:
            return raster_words(*render(page))
        finally:
            page.close()
    finally:
        doc.close()


def _page_list(pages: list[int]) -> str:
    """1, 2, 3, 5 → "1-3, 5"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


EXTRACTOR = PdfExtractor()
