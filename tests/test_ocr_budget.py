"""Long scans: a time budget per OCR page, workers replaced when they grew, OCR progress lines (issues 14, 16).

The fake reader (tests/fakereaders.py) stands in for OCR: ``OCR n`` is what the
page counter reports, ``PAGE s`` the time each page takes, ``GROW mb`` memory a
reader keeps, ``PID`` the reading process as the title.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from planingest.cli.main import main
from planingest.core.records import ReadResult
from planingest.run import ocrpages
from planingest.run.batch import _Reporter, run_batch
from planingest.run.cache import LimitMemo
from planingest.run.pool import ReaderPool, timeout_message
from planingest.run.worker import ReadJob, WorkerConfig
from tests import fakereaders

ROOT = Path(__file__).resolve().parents[1]


def _job(path: Path, text: str) -> ReadJob:
    path.write_text(text, encoding="utf-8")
    return ReadJob(hashlib.sha256(path.read_bytes()).hexdigest(), str(path))


def _config(**kw) -> WorkerConfig:
    kw.setdefault("page_counter", fakereaders.reader_spec("ocr_pages"))
    return WorkerConfig(fakereaders.reader_spec(), **kw)


def _read(jobs, config, on_page=None, size: int = 1):
    return {o.job.path: o for o in ReaderPool(size, config, on_page).map(jobs)}


# -- the budget -----------------------------------------------------------------


@pytest.mark.parametrize("pages, per_page, expected", [
    (0, 20, "timed out after 120 s; raise --timeout to read it"),
    (9, 0, "timed out after 120 s; raise --timeout to read it"),
    (9, 20, "timed out after 300 s (120 s + 9 OCR pages × 20 s); raise --timeout or --ocr-page-timeout to read it"),
    (1, 2.5, "timed out after 122.5 s (120 s + 1 OCR pages × 2.5 s); raise --timeout or --ocr-page-timeout to "
             "read it"),
])
def test_the_timeout_message_names_the_budget_and_the_options_that_raise_it(pages, per_page, expected):
    assert timeout_message(120, pages, per_page) == expected


@pytest.mark.slow
def test_a_many_page_scan_finishes_within_its_per_page_budget_and_times_out_without_it(tmp_path):
    text = "长扫描件\nOCR 8\nPAGE 0.4\nIND 指标\n"  # 3.2 s of "OCR", a 1.5 s base limit
    job = _job(tmp_path / "scan.txt", text)
    with_budget = _read([job], _config(timeout_s=1.5, ocr_page_timeout_s=1.0))[job.path]
    assert with_budget.read.error is None and with_budget.read.interpretation.metadata.title == "长扫描件"
    without = _read([job], _config(timeout_s=1.5, ocr_page_timeout_s=0.0))[job.path]
    assert without.resource == "timeout" and without.read.error == timeout_message(1.5)
    too_small = _read([job], _config(timeout_s=1.5, ocr_page_timeout_s=0.05))[job.path]
    assert too_small.read.error == ("timed out after 1.9 s (1.5 s + 8 OCR pages × 0.05 s); "
                                    "raise --timeout or --ocr-page-timeout to read it")


@pytest.mark.slow
def test_a_document_without_ocr_pages_keeps_the_base_limit(tmp_path):
    job = _job(tmp_path / "hang.txt", "挂起\nHANG\n")
    outcome = _read([job], _config(timeout_s=1.0, ocr_page_timeout_s=100.0))[job.path]
    assert outcome.read.error == timeout_message(1.0) and outcome.seconds < 10


def _timeout(doc_id: str) -> ReadResult:
    return ReadResult("pdf", None, error=timeout_message(1.0, 3, 1.0))


@pytest.mark.parametrize("later, served", [
    ({"memory": 2048.0, "timeout": 1.0, "ocr_page_timeout": 1.0}, True),  # same limits: same failure
    ({"memory": 4096.0, "timeout": 1.0, "ocr_page_timeout": 1.0}, True),  # memory is not what it ran out of
    ({"memory": 2048.0, "timeout": 1.0, "ocr_page_timeout": 0.5}, True),  # lower: would fail again
    ({"memory": 2048.0, "timeout": 1.0, "ocr_page_timeout": 2.0}, False),  # more per page: read again
    ({"memory": 2048.0, "timeout": 5.0, "ocr_page_timeout": 1.0}, False),  # more base time: read again
])
def test_a_remembered_timeout_is_read_again_when_either_time_limit_is_raised(tmp_path, later, served):
    memo = LimitMemo(tmp_path)
    memo.put("d", "timeout", {"memory": 2048.0, "timeout": 1.0, "ocr_page_timeout": 1.0}, _timeout("d"))
    again = LimitMemo(tmp_path).get("d", later)  # from the file, as the next run sees it
    assert (again is not None) is served
    if served:
        assert again.error == _timeout("d").error


def test_a_timeout_remembered_before_the_per_page_budget_existed_is_read_again_with_it(tmp_path):
    memo = LimitMemo(tmp_path)
    memo.entries["d"] = {"resource": "timeout", "limit": 120.0, "error": "timed out", "file_format": "pdf"}
    assert memo.get("d", {"memory": 2048.0, "timeout": 120.0, "ocr_page_timeout": 20.0}) is None
    assert memo.get("d", {"memory": 2048.0, "timeout": 120.0, "ocr_page_timeout": 0.0}) is not None


@pytest.mark.slow
def test_the_batch_remembers_a_timeout_until_the_per_page_budget_is_raised(monkeypatch, tmp_path):
    fakereaders.install(monkeypatch)
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "scan.txt").write_text("长扫描件\nOCR 4\nPAGE 0.5\nIND 指标\n", encoding="utf-8")
    out = tmp_path / "out"
    first = run_batch([docs], out, workers=1, timeout_s=1.0, ocr_page_timeout_s=0.1)
    assert first.exit_code and "--ocr-page-timeout" in dict(first.failures)[str(docs / "scan.txt")]
    same = run_batch([docs], out, workers=1, timeout_s=1.0, ocr_page_timeout_s=0.1)
    assert same.exit_code and same.read == 0  # the remembered failure, not a second wait for it
    raised = run_batch([docs], out, workers=1, timeout_s=1.0, ocr_page_timeout_s=2.0)
    assert raised.exit_code == 0 and raised.read == 1


# -- the real page counter ----------------------------------------------------------


@pytest.mark.parametrize("sample, fmt, expected", [
    ("samples/scanned/jingzhou-scan.pdf", "pdf", lambda n: n >= 1),
    ("samples/image/changde-photo.jpg", "image", lambda n: n == 1),
    ("samples/000_2b96e2d222b5f3b3.txt", "txt", lambda n: n == 0),
    ("samples/ofd/changde.ofd", "ofd", lambda n: n == 0),  # text pages (image-only pages: tests/test_ofd.py)
])
def test_the_page_counter_counts_scanned_pdf_pages_and_image_frames(sample, fmt, expected):
    path = ROOT / sample
    assert expected(ocrpages.ocr_pages(path, path.read_bytes(), fmt))


@pytest.mark.parametrize("data, fmt", [(b"%PDF-1.7\n garbage", "pdf"), (b"PK\x03\x04 garbage", "ofd")])
def test_the_page_counter_counts_nothing_in_a_damaged_file(data, fmt):
    assert ocrpages.ocr_pages(Path("x"), data, fmt) == 0


# -- a worker that grew is replaced -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("recycle_mb, same_worker", [(100, False), (None, True), (4096, True)])
def test_a_worker_whose_memory_grew_past_the_threshold_is_replaced_after_its_document(tmp_path, recycle_mb,
                                                                                     same_worker):
    big = _job(tmp_path / "a-big.txt", "PID\nGROW 200\n")
    small = _job(tmp_path / "b-small.txt", "PID\n")
    outcomes = _read([big, small], _config(recycle_mb=recycle_mb, memory_mb=2048, timeout_s=30))
    pids = [outcomes[j.path].read.interpretation.metadata.title for j in (big, small)]
    assert (pids[0] == pids[1]) is same_worker


# -- progress of long documents --------------------------------------------------------------


@pytest.mark.slow
def test_the_worker_reports_each_ocr_page_as_it_is_done(tmp_path):
    job = _job(tmp_path / "scan.txt", "扫描件\nOCR 3\nPAGE 0.05\n")
    seen: list[tuple[str, int, int]] = []
    _read([job], _config(), on_page=lambda j, k, n: seen.append((j.path, k, n)))
    assert seen == [(job.path, 1, 3), (job.path, 2, 3), (job.path, 3, 3)]


class _Log:
    def append(self, entry) -> None:
        pass


def test_page_lines_are_shown_at_most_every_interval_but_always_the_first_and_the_last(monkeypatch):
    lines: list[str] = []
    reporter = _Reporter(2, lines.append, _Log(), "run")  # type: ignore[arg-type]
    clock = iter([0.0, 1.0, 2.0, 6.0, 7.0, 7.5])
    monkeypatch.setattr("planingest.run.batch.time.monotonic", lambda: next(clock))
    job = ReadJob("d", "/in/scan.pdf")
    for k in range(1, 7):
        reporter.page(job, k, 6)
    assert [line.split("OCR page ")[1].split()[0] for line in lines] == ["1/6", "4/6", "6/6"]
    assert all(line.endswith("/in/scan.pdf") for line in lines)


@pytest.mark.slow
def test_the_progress_of_a_long_scan_goes_to_stderr_page_by_page(monkeypatch, tmp_path, capsys):
    fakereaders.install(monkeypatch)
    monkeypatch.setattr(_Reporter, "PAGE_INTERVAL_S", 0.0)
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "scan.txt").write_text("长扫描件\nOCR 3\nPAGE 0.05\nIND 指标\n", encoding="utf-8")
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--workers", "1", "--ocr-page-timeout", "5",
                 "--recycle-mb", "4096"]) == 0
    err = capsys.readouterr().err
    assert [f"OCR page {k}/3" in err for k in (1, 2, 3)] == [True, True, True]
    assert err.index("OCR page 3/3") < err.index("[1/1]")


def test_the_budget_timeout_is_shown_in_chinese():
    from planingest.core.i18n import set_lang
    from planingest.core.shown import shown

    set_lang("zh")
    try:
        assert shown(timeout_message(120, 9, 20)) == ("超过 300 秒未完成（120 秒 + 9 个 OCR 页面 × 20 秒）；"
                                                      "如需读取请调高 --timeout 或 --ocr-page-timeout")
    finally:
        set_lang("en")


@pytest.mark.slow
def test_a_ray_task_reads_with_the_same_per_page_budget_and_recycling(tmp_path):
    """A Ray task's body (read_on_node, run here without Ray) hands the whole config to its one-worker pool."""
    from planingest.run.executors.ray_executor import read_on_node

    job = _job(tmp_path / "scan.txt", "长扫描件\nOCR 6\nPAGE 0.4\n")
    budget = read_on_node(job, _config(timeout_s=1.0, ocr_page_timeout_s=1.0, recycle_mb=100), ())
    assert budget.read.error is None
    none = read_on_node(job, _config(timeout_s=1.0, ocr_page_timeout_s=0.0), ())
    assert none.read.error == timeout_message(1.0)


@pytest.mark.slow
def test_the_page_lines_of_an_archive_member_name_the_member_not_its_scratch_file(monkeypatch, tmp_path):
    import io
    import zipfile

    fakereaders.install(monkeypatch)
    docs = tmp_path / "in"
    docs.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("附件/扫描件.txt", "长扫描件\nOCR 2\nPAGE 0.05\nIND 指标\n".encode())
    (docs / "bundle.zip").write_bytes(buffer.getvalue())
    lines: list[str] = []
    run_batch([docs], tmp_path / "out", workers=1, progress=lines.append)
    pages = [line for line in lines if "OCR page" in line]
    assert pages and all(line.endswith(f"{docs / 'bundle.zip'}!/附件/扫描件.txt") for line in pages), pages
