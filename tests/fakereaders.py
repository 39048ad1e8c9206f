"""Fake reader and normaliser for the batch/CLI/storage tests.

The reader runs inside the worker process, which imports it by name
(``f"{fakereaders.__name__}:read"``), so this module imports only the standard
library and light planingest modules: it must start under a small memory limit.

What the fake reader does depends on the file's content, so one batch can mix
good documents with ones that hang, allocate without bound or crash:

- ``HANG``: sleeps for an hour;      - ``HOG``: allocates until memory runs out; ``HOG CAUGHT``: the same inside a
  catch-all that, like ``process.read_document``, lets MemoryError through;
- ``PID``: the title is the reading process's pid; ``ENGINE``: the title is the OCR backend the worker's limits allow;
- ``CRASH``: segfaults;              - ``BAD``: a file that cannot be read (failed);
- ``SLOW s``: sleeps s seconds first; - ``\\x89PNG`` header: not a document (skipped);
- ``LONGERR``: fails with a 5000-character message;
- ``CONVERT script``: converts with LibreOffice, ``script`` standing in for soffice;
- ``TRY path``: appends the document's first line to ``path`` on every attempt (counts retries);
- ``KILL PARENT``: kills the process that started the reader (a Ray worker: only the Ray tests use it);
- ``OCR n``: the document has n pages needing OCR (:func:`ocr_pages` counts them, as the real page counter
  would); ``PAGE s``: each of them takes s seconds and is reported done through the readers' progress hook;
- page sharing (``planingest.run.pageshare``): :func:`ocr_page_plan` names the ``OCR n`` pages 1..n, and the
  reader asks the page store for each page before "reading" it; :func:`page_words` is the fake page job
  (``FAILPAGE``: it raises, ``CRASHPAGE``: it segfaults); ``PAGEROWS``: each page's text becomes an
  indicator; ``LOG path``: who read which page (``main|help pid page``); ``WAITHELP``: when pages are
  shared, the reader waits (up to a minute) for a helper's first page before its own first;
- ``GROW mb``: allocates mb MB, touches them and keeps them for the life of the process (a reader that grew);
- ``CREEP mb``: touches mb MB gradually (8 MB every 10 ms, as OCR grows page by page), then sleeps for an hour;
- ``SPAWN mb``: starts a converter (as LibreOffice is started) that touches mb MB, then sleeps for an hour;
- otherwise each line ``IND name`` is one indicator, the first line the title.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from planingest.core.records import (
    DocumentRecord,
    DocumentResult,
    IndicatorRecord,
    Interpretation,
    Locator,
    RawIndicator,
    RawMetadata,
    ReadResult,
    ReviewItem,
)
from planingest.core.version import __version__

PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"


def read(path: Path, data: bytes, file_format: str | None = None, catalogue_dir: str | None = None) -> ReadResult:
    if data.startswith(b"\x89PNG"):
        return ReadResult(file_format=None, interpretation=None, error="not a document")
    text = data.decode("utf-8")
    lines = text.splitlines()
    if "HANG" in lines:
        time.sleep(3600)
    if "HOG" in lines:
        _hog()
    if "HOG CAUGHT" in lines:
        try:
            _hog()
        except MemoryError:
            raise  # as process.read_document does: the memory limit is the worker's to report
        except Exception as exc:  # noqa: BLE001 - what read_document does with any other exception
            return ReadResult("txt", None, error=f"internal error while reading ({type(exc).__name__}: {exc})",
                              internal_error=True)
    if "CRASH" in lines:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "LONGERR" in lines:
        return ReadResult(file_format="txt", interpretation=None, error="the parser said: " + "x" * 5000)
    if "BAD" in lines:
        return ReadResult(file_format="txt", interpretation=None, error="the file is damaged")
    for line in lines:
        if line.startswith("CONVERT "):
            from planingest.ingest.office import libreoffice

            script = line[len("CONVERT "):]
            libreoffice.soffice_path = lambda script=script: script  # type: ignore[assignment,misc]
            libreoffice.convert(b"data", "doc", "docx", "libreoffice-writer", timeout=3600)
        if line.startswith("TRY "):
            with open(line[4:], "a", encoding="utf-8") as fh:
                fh.write(lines[0] + "\n")
    if "KILL PARENT" in lines:
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(3600)  # the parent's death takes this reader with it
    for line in lines:
        if line.startswith("SLOW "):
            time.sleep(float(line.split()[1]))
        if line.startswith("GROW "):
            _KEPT.append(b"\x01" * (int(line.split()[1]) << 20))  # written, so resident
        if line.startswith("CREEP "):
            _creep(int(line.split()[1]))
        if line.startswith("SPAWN "):
            _spawn(int(line.split()[1]))
    per_page = next((float(line.split()[1]) for line in lines if line.startswith("PAGE ")), None)
    page_texts = _read_pages(path, data, lines, per_page) if per_page is not None else []
    indicators = tuple(
        RawIndicator(name_raw=line[4:], locator=Locator(line=i + 1))
        for i, line in enumerate(lines) if line.startswith("IND ")
    )
    if "PAGEROWS" in lines:
        indicators += tuple(RawIndicator(name_raw=text, locator=Locator(page=k))
                            for k, text in enumerate(page_texts, start=1))
    title = str(os.getpid()) if "PID" in lines else (lines[0] if lines else None)
    if "ENGINE" in lines:
        from planingest.ingest.ocr_engine import DEFAULT, fitting

        title = fitting(DEFAULT).backend
    return ReadResult(file_format="txt", interpretation=Interpretation(RawMetadata(title=title), indicators), pages=1)


def _read_pages(path: Path, data: bytes, lines: list[str], per_page: float) -> list[str]:
    """The fake OCR loop: each page from the page store when a helper left it there, else "read" here."""
    from planingest.ingest.progress import ocr_page_done, pages_shared, shared_page

    log = next((line[4:] for line in lines if line.startswith("LOG ")), None)
    if "WAITHELP" in lines and log and pages_shared():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "help" not in _text(log):
            time.sleep(0.05)
    texts = []
    for number in range(1, ocr_pages(path, data) + 1):
        stored = shared_page(number)
        if stored is None:
            time.sleep(per_page)
            _log(log, "main", number)
            texts.append(_page_text(number))
        else:
            texts.append(stored["text"])
        ocr_page_done(number)
    return texts


def _page_text(number: int) -> str:
    return f"第{number}页指标"


def _text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        return ""


def _log(log: str | None, who: str, number: int) -> None:
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{who} {os.getpid()} {number}\n")


def ocr_page_plan(path: Path, data: bytes, file_format: str | None = None) -> list[int]:
    """The fake page counter naming its pages (so they can be shared)."""
    return list(range(1, ocr_pages(path, data) + 1))


def page_words(path: Path, data: bytes, file_format: str | None, number: int) -> dict:
    """The fake page job: the page's text, after the document's per-page time."""
    lines = data.decode("utf-8").splitlines()
    _log(next((line[4:] for line in lines if line.startswith("LOG ")), None), "help", number)
    if "FAILPAGE" in lines:
        raise RuntimeError("the page job failed")
    if "CRASHPAGE" in lines:
        os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(next((float(line.split()[1]) for line in lines if line.startswith("PAGE ")), 0.0))
    return {"text": _page_text(number)}


_KEPT: list[bytes] = []  # what GROW allocated: held like an OCR model between documents


def ocr_pages(path: Path, data: bytes, file_format: str | None = None) -> int:
    """The fake page counter: the n of an ``OCR n`` line."""
    if data.startswith(b"\x89PNG"):
        return 0
    return next((int(line.split()[1]) for line in data.decode("utf-8").splitlines() if line.startswith("OCR ")), 0)


def _creep(mb: int) -> None:
    for _ in range(0, mb, 8):
        _KEPT.append(b"\x01" * (8 << 20))
        time.sleep(0.01)
    time.sleep(3600)


def _spawn(mb: int) -> None:
    import sys

    from planingest.ingest.office import libreoffice

    touch = f"import time; kept = b'1' * ({mb} << 20); print('ready', flush=True); time.sleep(3600)"
    proc, lifeline = libreoffice.start_guarded([sys.executable, "-c", touch])
    assert proc.stdout is not None
    proc.stdout.readline()  # the converter holds its memory now
    time.sleep(3600)  # the lifeline stays open: the converter lives as long as this reader


def _hog() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


def normalise(doc_id: str, source_path: str, read: ReadResult, vocab=None) -> DocumentResult:
    """Like process.normalise_document, without the real vocabularies."""
    if read.file_format is None:
        return DocumentResult(DocumentRecord(doc_id, source_path, "unknown", "skipped", error=read.error,
                                             pipeline_version=__version__))
    if read.interpretation is None:
        return DocumentResult(DocumentRecord(doc_id, source_path, read.file_format, "failed", error=read.error,
                                             pipeline_version=__version__))
    indicators = tuple(
        IndicatorRecord(seq=None, domain=None, name_raw=raw.name_raw, sub_name_raw=None, indicator_id=None,
                        sub_indicator_id=None, match_method="none", match_score=0.0, is_local=False,
                        needs_review=True, unit=None, target_raw=None, target_op=None, target_value=None,
                        target_text=None, target_scope=None, attribute=None, departments_raw=None,
                        departments=("生态环境局",), deadline=None, source_locator=str(raw.locator))
        for raw in read.interpretation.indicators
    )
    review = tuple(ReviewItem("indicator", r.name_raw, "unmatched", r.source_locator) for r in indicators)
    record = DocumentRecord(doc_id, source_path, read.file_format, "ok" if indicators else "empty",
                            title=read.interpretation.metadata.title, issue_date="2023-08-01",
                            n_indicators=len(indicators), pipeline_version=__version__, n_pages=read.pages)
    return DocumentResult(record, indicators=indicators, review=review)


def reader_spec(name: str = "read") -> str:
    return f"{__name__}:{name}"


def install(monkeypatch, reader: str | None = "read") -> None:
    """Make ``planingest run`` use the fakes: the normaliser in the parent and, unless
    ``reader`` is None (keep the real one), the fake reader in the workers."""
    from planingest.run import pool, process

    monkeypatch.setattr(process, "normalise_document", normalise)
    if reader is not None:
        monkeypatch.setattr(pool, "DEFAULT_READER", reader_spec(reader))
        monkeypatch.setattr(pool, "DEFAULT_PAGE_COUNTER", reader_spec("ocr_pages"))
        monkeypatch.setattr(pool, "DEFAULT_PAGE_READER", reader_spec("page_words"))
