"""A long scan's pages shared across idle workers (issue 14): same rows, helpers that fail cost nothing.

The fake reader (tests/fakereaders.py) stands in for OCR: ``OCR n`` pages of ``PAGE s``
seconds each, their texts as rows (``PAGEROWS``), who read which page logged to ``LOG``.
Nothing here asserts a time: the reader waits for a helper's first page (``WAITHELP``),
so that helpers take part however loaded the machine is.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.ingest import progress
from planingest.ingest.ocr import OcrBox, PageWords, layout_words, read_page
from planingest.run import pagestore
from planingest.run.pageshare import MIN_SHARED_PAGES, PageSharing
from planingest.run.pool import ReaderPool
from planingest.run.worker import PageJob, ReadJob, ReadOutcome, WorkerConfig
from tests import fakereaders


def _job(path: Path, text: str) -> ReadJob:
    path.write_text(text, encoding="utf-8")
    return ReadJob(hashlib.sha256(path.read_bytes()).hexdigest(), str(path))


def _config(store: Path | None, **kw) -> WorkerConfig:
    return WorkerConfig(fakereaders.reader_spec(), page_counter=fakereaders.reader_spec("ocr_page_plan"),
                        page_store=str(store) if store else None, page_reader=fakereaders.reader_spec("page_words"),
                        **kw)


def _scan(tmp_path: Path, pages: int = 8, extra: str = "") -> tuple[ReadJob, Path]:
    log = tmp_path / "pages.log"
    text = f"长扫描件\nOCR {pages}\nPAGE 0.2\nPAGEROWS\nWAITHELP\nLOG {log}\n{extra}"
    return _job(tmp_path / "scan.txt", text), log


def _who(log: Path) -> list[tuple[str, int, int]]:
    return [(w, int(pid), int(page)) for w, pid, page in (line.split() for line in log.read_text().splitlines())]


# -- the parent's bookkeeping (no processes) ----------------------------------------------------------


def _sharing(tmp_path: Path, pages: int = 10) -> tuple[PageSharing, ReadJob]:
    job = ReadJob("d" * 64, "/in/scan.pdf")
    sharing = PageSharing(str(tmp_path / "pages"))
    sharing.message(job, ("plan", list(range(1, pages + 1))))
    return sharing, job


def test_helpers_take_the_tail_and_never_a_page_the_reader_has_reached_or_is_about_to(tmp_path):
    sharing, job = _sharing(tmp_path)
    assert [sharing.next_job().page for _ in range(3)] == [10, 9, 8]  # type: ignore[union-attr]
    sharing.message(job, ("reach", 5))
    assert sharing.next_job().page == 7  # type: ignore[union-attr]
    assert sharing.next_job() is None  # 6 is the reader's next page
    assert sharing.sent == 4


def test_a_short_scan_is_not_shared(tmp_path):
    sharing, _ = _sharing(tmp_path, pages=MIN_SHARED_PAGES - 1)
    assert sharing.next_job() is None and not (tmp_path / "pages").exists()


def test_progress_counts_the_pages_helpers_stored_ahead_of_the_reader(tmp_path):
    seen: list[tuple[int, int]] = []
    sharing, job = _sharing(tmp_path, pages=4)
    sharing.on_page = lambda j, k, n: seen.append((k, n))
    tail = sharing.next_job()
    assert tail is not None and tail.page == 4
    sharing.message(job, ("reach", 1))
    sharing.progress(job, 1, 4)
    sharing.page_done(ReadOutcome(tail, fakereaders.ReadResult("pdf", None, pages=1), 1.0, False))
    for k in (2, 3, 4):  # page 4 came from the store: the reader's count meets the helper's
        sharing.message(job, ("reach", k))
        sharing.progress(job, k, 4)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_store_hands_over_a_page_whole_and_only_while_its_document_is_open(tmp_path):
    store = tmp_path / "pages"
    assert not pagestore.write_page(store, "d1", 3, {"x": 1})  # no folder: its document is done
    pagestore.open_document(store, "d1")
    assert pagestore.write_page(store, "d1", 3, {"x": 1})
    reached: list[int] = []
    find = pagestore.lookup(store, "d1", reached.append)
    assert find(3) == {"x": 1} and find(4) is None and reached == [3, 4]
    assert [p.name for p in (store / "d1").iterdir()] == ["3.json"]  # no temporary file left
    (store / "d1" / "5.json").write_text("{broken", encoding="utf-8")
    assert find(5) is None
    pagestore.close_document(store, "d1")
    assert not (store / "d1").exists()


# -- the words handed over are the words read --------------------------------------------------------

_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(st.lists(st.tuples(st.text(min_size=1), _floats, _floats, _floats, _floats, _floats), max_size=5),
       st.lists(st.tuples(st.sampled_from("hv"), _floats, _floats, _floats, _floats), max_size=5))
def test_page_words_survive_json_exactly(boxes, edges):
    import json

    from planingest.ingest.ocr import _edge

    words = PageWords(tuple(OcrBox(*b) for b in boxes), tuple(_edge(*e) for e in edges))
    assert PageWords.from_json(json.loads(json.dumps(words.to_json()))) == words


@pytest.mark.parametrize("stored", [{"boxes": "x"}, {"edges": []}, {"boxes": [[1, 2]], "edges": []}])
def test_page_words_of_another_shape_are_refused(stored):
    with pytest.raises(ValueError):
        PageWords.from_json(stored)


def _words() -> PageWords:
    return PageWords((OcrBox("生态环境", 10.0, 10.0, 80.0, 22.0, 0.99),), ())


@pytest.mark.parametrize("stored, ocr_here", [(None, True), ({"boxes": "broken"}, True), (_words().to_json(), False)])
def test_a_reader_uses_a_stored_page_and_reads_it_itself_when_there_is_none_or_it_is_broken(stored, ocr_here):
    asked: list[int] = []
    progress.set_page_lookup(lambda n: asked.append(n) or stored)
    rastered: list[bool] = []
    try:
        from planingest.ingest import ocr

        real = ocr.raster_words
        ocr.raster_words = lambda image, scale, settings=None: rastered.append(True) or _words()  # type: ignore[assignment]
        try:
            page = read_page(7, lambda: (None, 1.0))  # type: ignore[arg-type,return-value]
        finally:
            ocr.raster_words = real
    finally:
        progress.set_page_lookup(None)
    assert asked == [7] and bool(rastered) is ocr_here
    assert page == layout_words(_words())


# -- pages shared across worker processes ------------------------------------------------------------


@pytest.mark.slow
def test_a_long_scan_is_read_by_two_workers_with_the_rows_it_has_read_by_one(tmp_path):
    job, log = _scan(tmp_path)
    alone = next(iter(ReaderPool(2, _config(None)).map([job])))
    log.unlink()
    pool = ReaderPool(2, _config(tmp_path / "pages"))
    shared = next(iter(pool.map([job])))
    assert shared.read.error is None and shared.read == alone.read
    assert [r.name_raw for r in shared.read.interpretation.indicators] == [f"第{k}页指标" for k in range(1, 9)]
    who = _who(log)
    helped = {page for w, _, page in who if w == "help"}
    assert len({pid for _, pid, _ in who}) >= 2 and helped and 8 in helped  # the tail went to a helper
    assert {page for _, _, page in who} == set(range(1, 9))
    assert pool.sharing is not None and pool.sharing.sent >= 1 and pool.sharing.stored >= 1
    assert not (tmp_path / "pages").exists()  # the store is cleaned


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["FAILPAGE", "CRASHPAGE"])
def test_a_page_job_that_fails_or_crashes_does_not_fail_the_document(tmp_path, failure):
    job, log = _scan(tmp_path, extra=f"{failure}\n")
    pool = ReaderPool(2, _config(tmp_path / "pages"))
    outcome = next(iter(pool.map([job])))
    assert outcome.read.error is None
    assert [r.name_raw for r in outcome.read.interpretation.indicators] == [f"第{k}页指标" for k in range(1, 9)]
    assert pool.sharing is not None and pool.sharing.failed >= 1 and pool.sharing.stored == 0
    assert {page for w, _, page in _who(log) if w == "main"} == set(range(1, 9))  # the reader read them all


@pytest.mark.slow
def test_a_documents_pages_leave_the_store_as_soon_as_it_is_done(tmp_path):
    job, _ = _scan(tmp_path)
    store, log = tmp_path / "pages", tmp_path / "workers.log"
    pool = ReaderPool(2, _config(store, log_path=str(log)))
    for outcome in pool.map([job]):
        assert outcome.read.error is None and not (store / job.doc_id).exists()
        assert not list(store.glob("*/*.json"))
    assert f"page sharing: {job.path}: " in log.read_text(encoding="utf-8")  # what helpers did, for the bench


@pytest.mark.slow
def test_progress_still_counts_pages_when_they_are_shared(tmp_path):
    job, _ = _scan(tmp_path)
    seen: list[tuple[int, int]] = []
    list(ReaderPool(2, _config(tmp_path / "pages"), on_page=lambda j, k, n: seen.append((k, n))).map([job]))
    counts = [k for k, _ in seen]
    assert counts == sorted(set(counts)) and counts[-1] == 8 and all(n == 8 for _, n in seen)


@pytest.mark.slow
def test_a_page_job_for_a_document_already_done_is_dropped(tmp_path):
    """A page job that arrives after its document finished stores nothing (its folder is gone)."""
    from planingest.run.worker import read_page_job

    job, _ = _scan(tmp_path, pages=4)
    config = _config(tmp_path / "pages")
    read, cacheable, must_exit = read_page_job(PageJob(job.doc_id, job.path, 4), config)
    assert read.error and "done" in read.error and not cacheable and not must_exit
    assert not (tmp_path / "pages").exists()


# -- a real scan (OCR) -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def four_page_scan(tmp_path_factory):
    """A 4-page scan from tools/long_scan.py (table pages, the sealed last page) and its rows read alone."""
    from planingest.run.process import read_document
    from tools.long_scan import build_long_scan

    path = build_long_scan(tmp_path_factory.mktemp("scan") / "scan.pdf", pages=4)
    data = path.read_bytes()
    return path, hashlib.sha256(data).hexdigest(), read_document(path, data, "pdf")


@pytest.mark.slow
def test_a_scan_read_with_pages_from_the_store_has_exactly_the_rows_it_has_read_alone(tmp_path, four_page_scan):
    from planingest.run.ocrpages import ocr_page_plan
    from planingest.run.pool import DEFAULT_PAGE_READER
    from planingest.run.process import read_document
    from planingest.run.worker import read_page_job

    path, doc_id, alone = four_page_scan
    assert alone.error is None and alone.interpretation.indicators
    assert ocr_page_plan(path, path.read_bytes(), "pdf") == [1, 2, 3, 4]
    store = tmp_path / "pages"
    pagestore.open_document(store, doc_id)
    config = WorkerConfig("x:y", page_store=str(store), page_reader=DEFAULT_PAGE_READER)
    for page in (3, 4):  # what two page jobs leave in the store
        read, _, _ = read_page_job(PageJob(doc_id, str(path), page), config)
        assert read.error is None
    served: list[int] = []
    find = pagestore.lookup(store, doc_id, lambda n: None)
    progress.set_page_lookup(lambda n: (words := find(n)) is not None and served.append(n) or words)
    try:
        shared = read_document(path, path.read_bytes(), "pdf")
    finally:
        progress.set_page_lookup(None)
    assert served == [3, 4] and shared == alone


@pytest.mark.slow
def test_a_scan_read_by_a_pool_of_two_has_the_rows_it_has_read_alone(tmp_path, four_page_scan):
    from planingest.run.pool import DEFAULT_PAGE_COUNTER, DEFAULT_PAGE_READER, DEFAULT_READER

    path, doc_id, alone = four_page_scan
    # memory enough for the engine this test process reads with (a smaller limit picks a leaner one)
    config = WorkerConfig(DEFAULT_READER, page_counter=DEFAULT_PAGE_COUNTER, page_store=str(tmp_path / "pages"),
                          page_reader=DEFAULT_PAGE_READER, timeout_s=600, memory_mb=8192)
    pool = ReaderPool(2, config)
    outcome = next(iter(pool.map([ReadJob(doc_id, str(path))])))
    assert outcome.read == alone
    assert pool.sharing is not None and pool.sharing.sent >= 1  # page 4 went to the second worker at once
    assert not (tmp_path / "pages").exists()


@pytest.mark.slow
def test_a_batch_of_one_long_scan_shares_its_pages_with_the_idle_worker(monkeypatch, tmp_path):
    from planingest.run import pool
    from planingest.run.batch import run_batch

    fakereaders.install(monkeypatch)
    monkeypatch.setattr(pool, "DEFAULT_PAGE_COUNTER", fakereaders.reader_spec("ocr_page_plan"))
    docs = tmp_path / "in"
    docs.mkdir()
    log = tmp_path / "pages.log"
    (docs / "scan.txt").write_text(f"长扫描件\nOCR 6\nPAGE 0.2\nWAITHELP\nLOG {log}\nIND 指标\n", encoding="utf-8")
    lines: list[str] = []
    summary = run_batch([docs], tmp_path / "out", workers=2, progress=lines.append)
    assert summary.exit_code == 0 and summary.read == 1
    assert len({pid for _, pid, _ in _who(log)}) == 2 and any(w == "help" for w, _, _ in _who(log))
    assert any("OCR page 6/6" in line for line in lines)
    assert not (tmp_path / "out" / ".state" / "pages").exists()
