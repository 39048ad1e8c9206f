"""Pages per second of two ways to read a PDF, on PDFs rendered from seed content.

(a) pdfplumber on every page: chars → text, and the table finder;
(b) the extractor: pypdfium2 text on every page, pdfplumber's table finder only
    on pages whose text passes ``page_may_hold_table`` (then stitching).

Run: .venv/bin/python -m bench.pdf_pages   (needs LibreOffice: Debian libreoffice-writer)
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pdfplumber

from planingest.ingest.pdf.reader import EXTRACTOR
from tests import pdf_fixtures as fx  # noqa: E402


def plumber_everything(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            for table in page.find_tables():
                table.extract()
            page.close()
        return len(pdf.pages)


def extractor(path: Path) -> int:
    return EXTRACTOR.extract(path, path.read_bytes(), "pdf").pages


def best_of(fn, path: Path, repeat: int = 3) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = fn(path)
        times.append(time.perf_counter() - start)
    return min(times), pages


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    inputs = {}
    for name, repeats in (("table-only", 0), ("table+prose", 40)):
        docx = work / f"{name}.docx"
        fx.build_docx(docx, prose_repeats=repeats)
        inputs[name] = fx.convert_to_pdf(docx, work)
    extractor(inputs["table-only"])  # warm imports and the header vocabulary
    print(f"{'pdf':<12} {'pages':>5} {'(a) pdfplumber all':>20} {'(b) pdfium + filter':>20}  speed-up")
    for name, path in inputs.items():
        ta, pages = best_of(plumber_everything, path)
        tb, _ = best_of(extractor, path)
        print(f"{name:<12} {pages:>5} {pages / ta:>14.1f} p/s {pages / tb:>14.1f} p/s  {ta / tb:>6.1f}x")


if __name__ == "__main__":
    main()
