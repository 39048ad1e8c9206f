"""The pipeline against raw library baselines, in one process, file by file, on the same files.

Baselines (what any reader of these formats pays at least):

- DOCX: python-docx opens the file and reads the text of every table cell;
- PDF, every page: pdfplumber ``extract_tables()`` (the table finder the
  pipeline uses on table pages), and pypdfium2 text extraction (the floor:
  the cheapest way to get a page's text).

The pipeline side is ``read_document`` (extract + interpret) then
``normalise_document`` for the same file, plus its share of writing the tables.
For PDFs, ingest/pdf.py's benchmark hook (``PLANINGEST_PDF_PAGE_TIMES``)
records each page's route (text · table · ocr) and seconds; the document's time
outside the page loop (assembling, interpreting, normalising, writing) is
spread evenly over its pages, so a page's pipeline time is its own time plus
that share.
"""
from __future__ import annotations

import cProfile
import hashlib
import io
import json
import math
import os
import pstats
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def python_docx_cells(path: Path) -> float:
    """Seconds for python-docx to open ``path`` and read every table cell's text."""
    from docx import Document

    started = time.perf_counter()
    document = Document(str(path))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text  # noqa: B018 - reading is the work measured
    return time.perf_counter() - started


def pdfplumber_tables(path: Path, only: set[int] | None = None) -> list[float]:
    """Seconds per page of pdfplumber ``extract_tables()`` on every page (or the 1-based pages
    ``only``), with opening the file and its page tree spread evenly over the pages read."""
    import pdfplumber

    started = time.perf_counter()
    pdf = pdfplumber.open(str(path))
    pages = pdf.pages
    opening = time.perf_counter() - started
    times = []
    try:
        for number, page in enumerate(pages, start=1):
            if only is not None and number not in only:
                continue
            started = time.perf_counter()
            page.extract_tables()
            page.close()
            times.append(time.perf_counter() - started)
    finally:
        pdf.close()
    return [t + opening / len(times) for t in times] if times else []


def pdfium_text(path: Path) -> list[float]:
    """Seconds per page of pypdfium2 text extraction (the opening spread over the pages)."""
    import pypdfium2 as pdfium

    started = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    opening = time.perf_counter() - started
    times = []
    try:
        for index in range(len(pdf)):
            started = time.perf_counter()
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            times.append(time.perf_counter() - started)
    finally:
        pdf.close()
    return [t + opening / len(times) for t in times] if times else []


@dataclass
class PipelineDoc:
    path: Path
    read_s: float
    normalise_s: float
    write_s: float = 0.0
    pages: list[tuple[int, str, float]] = field(default_factory=list)  # (page, route, seconds)

    @property
    def total_s(self) -> float:
        return self.read_s + self.normalise_s + self.write_s

    def page_times(self) -> list[tuple[str, float]]:
        """(route, pipeline seconds) per page: the page's own time plus its share of the rest."""
        if not self.pages:
            return []
        rest = self.total_s - sum(s for _, _, s in self.pages)
        return [(route, s + rest / len(self.pages)) for _, route, s in self.pages]


class Pipeline:
    """The pipeline in this process, with the PDF page hook writing to a private file."""

    def __init__(self) -> None:
        from planingest.normalize.vocabulary import load_vocabulary

        self.hook = Path(tempfile.mkstemp(prefix="bench-pages-", suffix=".jsonl")[1])
        os.environ["PLANINGEST_PDF_PAGE_TIMES"] = str(self.hook)
        self.vocab = load_vocabulary(None)
        self.results = []

    def run(self, path: Path) -> PipelineDoc:
        from planingest.run.process import normalise_document, read_document

        data = path.read_bytes()
        self.hook.write_text("")
        started = time.perf_counter()
        read = read_document(path, data)
        middle = time.perf_counter()
        result = normalise_document(hashlib.sha256(data).hexdigest(), str(path), read, self.vocab)
        done = time.perf_counter()
        self.results.append(result)
        pages = []
        for line in self.hook.read_text(encoding="utf-8").splitlines():
            pages.extend(tuple(p) for p in json.loads(line)["pages"])
        return PipelineDoc(path, middle - started, done - middle, pages=pages)

    def write_share(self, docs: list[PipelineDoc]) -> float:
        """Seconds per document of building and writing the five tables for ``docs`` (added to each)."""
        from planingest.core.schema import build_tables
        from planingest.store.folder import write_tables

        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            write_tables(Path(out), build_tables(self.results))
            share = (time.perf_counter() - started) / max(len(self.results), 1)
        for doc in docs:
            doc.write_s = share
        return share

    def close(self) -> None:
        os.environ.pop("PLANINGEST_PDF_PAGE_TIMES", None)
        self.hook.unlink(missing_ok=True)


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


@dataclass(frozen=True)
class Comparison:
    what: str
    n: int  # files or pages measured
    pipeline_ms: float
    baseline: str
    baseline_ms: float
    goal: float | None  # allowed ratio (None: shown for context)

    @property
    def ratio(self) -> float:
        return self.pipeline_ms / self.baseline_ms if self.baseline_ms else float("inf")

    @property
    def met(self) -> bool | None:
        if self.goal is None or math.isnan(self.ratio):  # no goal, or nothing measured (no PDFs)
            return None
        return self.ratio <= self.goal


def compare(docx: list[Path], pdfs: list[Path], warmup: list[Path]) -> tuple[list[Comparison], dict]:
    """Pipeline vs baselines on ``docx`` and ``pdfs``; returns the comparisons and the raw figures.

    Each file goes through the pipeline and then straight through its baselines,
    so a change of load on a shared machine hits both sides alike.
    """
    pipeline = Pipeline()
    raw_docx: list[float] = []
    raw_pdf: list[tuple[list[float], list[float], list[float]]] = []  # floor, plumber, plumber on table pages
    try:
        for path in warmup:  # imports, vocabularies, jieba's dictionary: paid once per worker, not per file
            pipeline.run(path)
        pipeline.results.clear()
        docs = []
        for path in docx:
            docs.append(pipeline.run(path))
            raw_docx.append(python_docx_cells(path))
        pdf_docs = []
        for path in pdfs:
            pdf_docs.append(pipeline.run(path))
            tables = {n for n, route, _ in pdf_docs[-1].pages if route == "table"}
            raw_pdf.append((pdfium_text(path), pdfplumber_tables(path), pdfplumber_tables(path, tables)))
        write = pipeline.write_share(docs + pdf_docs)
    finally:
        pipeline.close()
    pages = []  # (route, pipeline s, pypdfium2 s, pdfplumber s) per PDF page
    for doc, (floor, plumber, _) in zip(pdf_docs, raw_pdf):
        pages += [(route, s, f, p) for (route, s), f, p in zip(doc.page_times(), floor, plumber)]

    def column(route: str, k: int) -> list[float]:
        return [page[k] for page in pages if page[0] == route]

    ms = 1000.0
    comparisons = [
        Comparison("DOCX, per document", len(docs), _mean([d.total_s for d in docs]) * ms,
                   "python-docx open + every table cell", _mean(raw_docx) * ms, 2.0),
        Comparison("PDF pages without tables, per page", len(column("text", 1)), _mean(column("text", 1)) * ms,
                   "pypdfium2 page text (floor)", _mean(column("text", 2)) * ms, 2.0),
        Comparison("PDF pages with tables, per page", len(column("table", 1)), _mean(column("table", 1)) * ms,
                   "pdfplumber extract_tables()", _mean(column("table", 3)) * ms, 1.3),
        Comparison("PDF, per document", len(pdf_docs), _mean([d.total_s for d in pdf_docs]) * ms,
                   "pdfplumber extract_tables() on every page", _mean([sum(r[1]) for r in raw_pdf]) * ms, None),
    ]
    figures = {
        "docx_read_ms": _mean([d.read_s for d in docs]) * ms,
        "docx_normalise_ms": _mean([d.normalise_s for d in docs]) * ms,
        "write_ms_per_doc": write * ms,
        "pdf_files": len(pdf_docs),
        "pdf_pages": len(pages),
        "pdf_read_ms": _mean([d.read_s for d in pdf_docs]) * ms,
        "pdf_normalise_ms": _mean([d.normalise_s for d in pdf_docs]) * ms,
        "pdf_outside_pages_ms": _mean([d.total_s - sum(s for _, _, s in d.pages) for d in pdf_docs]) * ms,
        "text_page_own_ms": _mean([s for d in pdf_docs for _, r, s in d.pages if r == "text"]) * ms,
        "table_page_own_ms": _mean([s for d in pdf_docs for _, r, s in d.pages if r == "table"]) * ms,
        "first_table_page_own_ms": _mean([next(s for _, r, s in d.pages if r == "table") for d in pdf_docs
                                          if any(r == "table" for _, r, _ in d.pages)]) * ms,
        "pdfplumber_table_pages_only_ms": _mean([t for r in raw_pdf for t in r[2]]) * ms,
        "pdfplumber_on_text_pages_ms": _mean(column("text", 3)) * ms,
        "floor_on_table_pages_ms": _mean(column("table", 2)) * ms,
    }
    return comparisons, figures


def profile(paths: list[Path], warmup: list[Path], top: int = 14) -> list[tuple[str, float, float, int]]:
    """cProfile of the pipeline on ``paths`` (after a warm-up): (function, cumulative s, own s, calls)."""
    pipeline = Pipeline()
    try:
        for path in warmup:
            pipeline.run(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for path in paths:
            pipeline.run(path)
        profiler.disable()
    finally:
        pipeline.close()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        if "bench/" in filename or name in ("<module>", "run"):
            continue
        short = filename.split("site-packages/")[-1].replace(str(Path(__file__).resolve().parents[1]) + "/", "")
        rows.append((f"{short}:{line}({name})", cumulative, own, calls))
    by_own = sorted(rows, key=lambda r: -r[2])[:top]
    return by_own
