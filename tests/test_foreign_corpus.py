"""A batch over the hostile foreign-fixture corpus plus the samples, through the real CLI.

The corpus (``../shared/corpus/foreign``, see its README) holds 250 files other
projects keep to break parsers: encrypted, truncated, fuzzed, XML bombs, scans,
odd encodings, formats we do not read.  The batch runs the way a scheduled job
runs it — ``planingest run … --workers 2 --timeout 60`` in a fresh process,
with real worker processes, OCR and LibreOffice — and must account for every
file with an allowed status, fail each bad file with a cause a user can act on
(never "internal error", never a traceback), and leave the samples' rows exactly
as a run on the samples alone gives them.

The scanned sample is left out: its OCR alone costs ~40 s and tests/test_golden.py
covers it.  The module takes about 3 minutes on 2 cores (measured: the corpus
batch 147–161 s, the samples-alone batch ~20 s), most of it OCR of the corpus's
dozen scanned PDFs at ~10 s a page; one 8-page scan runs into the 60 s limit.
Reader processes peak at ~1.2 GB (OCR), the CLI at ~200 MB.  (With OpenVINO under the
default limit and its memory policy, issue 14: the corpus batch took 61 s, readers peaked at 524 MB.)  The run's wall time
and those peaks are printed (``pytest -s``) and written to ``OUT/bench.json``.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from planingest.store.folder import read_run_log
from tests.shared import CHECK_CONTRACT, CORPUS, require

pytestmark = pytest.mark.slow  # LibreOffice, OCR, Chromium or whole-corpus runs: `make test-fast` skips these

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_INPUTS = (*sorted(SAMPLES.glob("*.txt")), SAMPLES / "docx", SAMPLES / "pdf", SAMPLES / "xlsx")
TIMEOUT_S = 60
STATUSES = {"ok", "partial", "empty", "failed", "skipped"}
TABLES = ("documents", "indicators", "projects", "tasks", "review")
#: words that mean the cause is a defect of ours, or that a traceback leaked into a message
INTERNAL = re.compile(r"internal error|please report|Traceback|File \"", re.IGNORECASE)

# Runs the CLI, then records the peak RSS of its reader processes: a worker's
# RUSAGE_CHILDREN (the workers, and the LibreOffice each may start) is folded into
# the CLI process's once it waits for them, which it does before main() returns.
DRIVER = """
import json, resource, sys, time
from planingest.cli.main import main
started = time.monotonic()
status = main(sys.argv[2:])
with open(sys.argv[1], "w") as fh:
    json.dump({"status": status, "seconds": time.monotonic() - started,
               "children_peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               "parent_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, fh)
sys.exit(status)
"""



@dataclass(frozen=True)
class Run:
    out: Path
    status: int
    stderr: str
    seconds: float
    children_peak_mb: float
    parent_peak_mb: float

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.out / f"{name}.parquet")

    def log(self) -> list[dict]:
        return read_run_log(self.out)


def run_cli(inputs, out: Path, *extra: str) -> Run:
    stats = out.parent / f"{out.name}-stats.json"
    command = [sys.executable, "-c", DRIVER, str(stats), "run", *map(str, inputs), "--out", str(out),
               "--workers", "2", "--timeout", str(TIMEOUT_S), *extra]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200, stdin=subprocess.DEVNULL)
    measured = json.loads(stats.read_text())
    assert measured["status"] == done.returncode
    return Run(out, done.returncode, done.stderr, measured["seconds"], measured["children_peak_kb"] / 1024,
               measured["parent_peak_kb"] / 1024)


def files_under(inputs) -> list[Path]:
    found = []
    for item in inputs:
        found.extend(sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item])
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Run:
    work = tmp_path_factory.mktemp("foreign")
    started = time.monotonic()
    run = run_cli([require(CORPUS), *SAMPLE_INPUTS], work / "all")
    figures = {"wall_seconds": round(time.monotonic() - started, 1), "batch_seconds": round(run.seconds, 1),
               "documents": len(run.table("documents")), "reader_peak_rss_mb": round(run.children_peak_mb),
               "parent_peak_rss_mb": round(run.parent_peak_mb)}
    (run.out / "bench.json").write_text(json.dumps(figures))
    print(f"\nforeign corpus + samples: {figures}")
    return run


@pytest.fixture(scope="module")
def samples_alone(tmp_path_factory) -> Run:
    return run_cli(SAMPLE_INPUTS, tmp_path_factory.mktemp("samples") / "out")


def test_the_batch_finishes_with_failures_reported_not_a_usage_error(hostile):
    assert hostile.status == 1, hostile.stderr[-2000:]  # the corpus has unreadable files: 1, never 2
    assert re.search(r"^planingest: \d+ documents \(", hostile.stderr, re.MULTILINE)


def test_every_file_is_accounted_for(hostile):
    documents = hostile.table("documents")
    unreadable = {e["path"] for e in hostile.log() if e["doc_id"] is None}
    missing = [str(p) for p in files_under([CORPUS, *SAMPLE_INPUTS])
               if hashlib.sha256(p.read_bytes()).hexdigest() not in set(documents.doc_id) and str(p) not in unreadable]
    assert not missing
    assert documents.doc_id.is_unique


def test_statuses_are_the_allowed_ones(hostile):
    statuses = set(hostile.table("documents").status) | {e["status"] for e in hostile.log()}
    assert statuses <= STATUSES
    assert {"ok", "empty", "failed", "skipped"} <= statuses  # the corpus exercises each outcome


def test_every_failure_names_its_cause_and_none_is_ours(hostile):
    failed = hostile.table("documents").query("status == 'failed'")
    assert len(failed) > 20
    bad = {Path(row.source_path).name: row.error for row in failed.itertuples()
           if not row.error or len(row.error) < 12 or "\n" in row.error or INTERNAL.search(row.error)}
    assert not bad, bad


def test_no_status_hides_an_internal_error(hostile):
    errors = hostile.table("documents").error.dropna()
    assert not [e for e in errors if INTERNAL.search(e)]


def test_no_traceback_reaches_the_terminal(hostile):
    assert "Traceback" not in hostile.stderr
    assert not re.search(r'^\s*File ".*", line \d+', hostile.stderr, re.MULTILINE)


def test_no_document_outlives_the_time_limit(hostile):
    slowest = max(hostile.log(), key=lambda e: e["seconds"])
    assert slowest["seconds"] <= TIMEOUT_S + 5, slowest
    timed_out = [e for e in hostile.log() if e["error"] and e["error"].startswith("timed out")]
    assert all(e["error"] == f"timed out after {TIMEOUT_S} s; raise --timeout to read it" for e in timed_out)


@pytest.mark.parametrize(("name", "cause"), [
    ("poi__poc-xmlbomb.xlsx", "damaged or unreadable workbook"),  # entity bomb, stopped by expat
    ("poi__poc-shared-strings.xlsx", "decompression bomb"),
    # 10^18 declared cells: LibreOffice refuses it ("could not read"), or its 60 s conversion limit, the
    # document's 60 s limit or the memory limit (LibreOffice's resident memory counts as its reader's) stops
    # it (which one comes first depends on the machine's load)
    ("calamine__issue_594_dos.ods", "LibreOffice|timed out after 60 s|exceeded 2048 MB memory limit"),
    ("pypdf__r6-user-password.pdf", "PDF is encrypted with a password"),
    ("poi__protected_agile.docx", "password-protected"),
    ("poi__truncated62886.docx", "truncated or corrupt file"),
    ("qpdf__issue-146.pdf", "PDF cannot be opened"),
])
def test_hostile_files_fail_with_their_cause(hostile, name, cause):
    documents = hostile.table("documents")
    row = documents[documents.source_path == str(CORPUS / name)].iloc[0]
    assert row.status == "failed" and re.search(cause, row.error), row.error


def test_a_valid_workbook_with_its_styles_elsewhere_is_read(hostile):
    documents = hostile.table("documents")
    row = documents[documents.source_path == str(CORPUS / "calamine__minimal_package.xlsx")].iloc[0]
    assert row.status == "empty", row.error  # read; it just holds no plan table


def test_ocr_of_scans_stays_within_the_default_memory_limit(hostile):
    # ONNX Runtime's thread arenas once pushed 4-page scans past the 2048 MB address-space limit
    scans = ["RapidDoc__含印章.pdf", "textract__ocr_text.pdf", "docling__ocr_test_rotated_90.pdf"]
    documents = hostile.table("documents").set_index("source_path")
    errors = {name: documents.loc[str(CORPUS / name), "error"] for name in scans}
    assert not {name: e for name, e in errors.items() if e and "memory" in e}


def test_the_samples_rows_are_unchanged_by_the_corpus(hostile, samples_alone):
    assert samples_alone.status == 0, samples_alone.stderr[-2000:]
    alone = samples_alone.table("documents")
    assert len(alone) == len(files_under(SAMPLE_INPUTS))
    ids = set(alone.doc_id)
    for name in TABLES:
        expected = samples_alone.table(name).reset_index(drop=True)
        mixed = hostile.table(name)
        got = mixed[mixed.doc_id.isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, obj=name)


def test_the_output_passes_the_contract_checker(hostile):
    checked = subprocess.run([sys.executable, require(CHECK_CONTRACT), hostile.out], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-3000:]


# --------------------------------------------------------------------------
# the same corpus through the Ray executor (planingest/run/executors/ray_executor.py)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_on_ray(tmp_path_factory) -> Run:
    """The same batch run with ``--executor ray`` against a simulated two-node cluster (1 CPU each)."""
    from tests.raycluster import SKIP_REASON, simulated_cluster

    pytest.importorskip("ray", reason=SKIP_REASON)
    with simulated_cluster(nodes=2, connect=False) as cluster:
        return run_cli([CORPUS, *SAMPLE_INPUTS], tmp_path_factory.mktemp("foreign-ray") / "all",
                       "--executor", "ray", "--ray-address", cluster.address)


def test_the_ray_executor_gives_the_same_tables(hostile, hostile_on_ray):
    assert hostile_on_ray.status == hostile.status, hostile_on_ray.stderr[-2000:]
    assert "Traceback" not in hostile_on_ray.stderr

    def timed_out(run: Run) -> set[str]:
        errors = run.table("documents").set_index("doc_id").error.dropna()
        return {doc_id for doc_id, error in errors.items() if error.startswith("timed out")}

    def seconds(run: Run) -> dict[str, float]:
        return {e["doc_id"]: e["seconds"] for e in run.log() if e["doc_id"]}

    # a document near the time limit (an OCR of many pages) may end either side of it under another load:
    # the machine's doing, not the executor's, so such documents are left out of the comparison; each must
    # have taken at least half the limit in the run where it did not time out
    near_the_limit = timed_out(hostile) ^ timed_out(hostile_on_ray)
    took = {doc_id: min(seconds(hostile)[doc_id], seconds(hostile_on_ray)[doc_id]) for doc_id in near_the_limit}
    assert all(s >= TIMEOUT_S / 2 for s in took.values()), took
    assert len(near_the_limit) <= 3, took
    for name in TABLES:
        expected, got = hostile.table(name), hostile_on_ray.table(name)
        expected = expected[~expected.doc_id.isin(near_the_limit)].reset_index(drop=True)
        got = got[~got.doc_id.isin(near_the_limit)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, obj=name)
