"""The Ray executor on a simulated two-node cluster on this machine.

``ray.cluster_utils.Cluster`` starts a head node and a second node, each a real
raylet with 1 CPU and an 80 MB object store, on the loopback address; the batch
runs as a driver connected to it.  What is checked:

- the tables equal those of the local executor, on fake documents that hang,
  crash, hog memory or are damaged (each fails once, with the same reason) and
  on the real samples with the real reader;
- a cached re-run submits no task at all;
- a node killed mid-batch costs only its in-flight documents, which Ray runs
  again on the surviving node: nothing is lost, nothing is failed;
- a document that kills every Ray worker that tries it fails once, with the
  reason, after its retries, and the batch goes on;
- a driver that dies mid-batch keeps every read it had received.

The whole module is skipped, saying why, only when Ray is not installed
(``pip install -e '.[ray]'``; the Makefile's venv step installs it).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.raycluster import NODE, SKIP_REASON, simulated_cluster  # sets up loopback-only clusters; imports no ray

ray = pytest.importorskip("ray", reason=SKIP_REASON)

from planingest.run.batch import run_batch  # noqa: E402
from planingest.run.executors.local import LocalExecutor  # noqa: E402
from planingest.run.executors.ray_executor import RayExecutor  # noqa: E402
from planingest.store.folder import read_run_log  # noqa: E402
from tests import fakereaders  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
#: the samples but the scan (its OCR alone takes ~40 s; test_golden.py covers it)
SAMPLE_INPUTS = (*sorted(SAMPLES.glob("*.txt")), SAMPLES / "docx", SAMPLES / "pdf", SAMPLES / "xlsx")
TABLES = ("documents", "indicators", "projects", "tasks", "review")
#: columns that differ between two runs of the same inputs by design (none today: rows carry no run id or time)
RUN_SPECIFIC: dict[str, tuple[str, ...]] = {}


@pytest.fixture(scope="module")
def cluster():
    """A head node and one more node, 1 CPU each; the test process is the driver."""
    with simulated_cluster(nodes=2) as cluster:
        yield cluster


@pytest.fixture
def fakes(monkeypatch):
    fakereaders.install(monkeypatch)


def write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tables(out: Path) -> dict[str, pd.DataFrame]:
    frames = {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}
    return {t: frame.drop(columns=list(RUN_SPECIFIC.get(t, ()))) for t, frame in frames.items()}


def assert_same_tables(got: Path, expected: Path) -> None:
    mine, theirs = tables(got), tables(expected)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def last_run(out: Path) -> list[dict]:
    log = read_run_log(out)
    return [e for e in log if e["run_id"] == log[-1]["run_id"]]


def fake_batch(docs: Path) -> Path:
    """Good documents, a copy, and one of each kind of hostile reader."""
    for i in range(4):
        write(docs / f"good{i}.txt", f"标题{i}", f"IND 指标{i}", "IND 共同指标")
    write(docs / "sub" / "copy-of-good0.txt", "标题0", "IND 指标0", "IND 共同指标")
    write(docs / "hang.txt", "HANG")
    write(docs / "hog.txt", "HOG")
    write(docs / "crash.txt", "CRASH")
    write(docs / "bad.txt", "BAD")
    write(docs / "empty.txt", "只有标题")
    (docs / "picture.png").write_bytes(fakereaders.PNG)
    return docs


def run(docs, out, executor, **kw):
    kw.setdefault("reader", fakereaders.reader_spec())
    kw.setdefault("timeout_s", 3)
    kw.setdefault("memory_mb", 300)
    return run_batch([str(d) for d in (docs if isinstance(docs, list | tuple) else [docs])], out,
                     executor=executor, **kw)


# --------------------------------------------------------------------------
# same answers
# --------------------------------------------------------------------------


def test_ray_gives_the_local_tables_on_hostile_documents_and_a_rerun_submits_nothing(cluster, fakes, tmp_path):
    docs = fake_batch(tmp_path / "in")
    local = run(docs, tmp_path / "local", LocalExecutor(2))
    executor = RayExecutor()
    remote = run(docs, tmp_path / "ray", executor)
    assert executor.submitted == 10  # eleven files, one a copy
    assert_same_tables(tmp_path / "ray", tmp_path / "local")
    assert remote.by_status == local.by_status == {"ok": 4, "partial": 0, "empty": 1, "failed": 4, "skipped": 1}
    errors = tables(tmp_path / "ray")["documents"].set_index("source_path").error
    assert errors[str(docs / "crash.txt")].startswith("reader crashed (signal 11)")  # then which limit to raise
    assert errors[str(docs / "hang.txt")].startswith("timed out after 3 s")
    assert errors[str(docs / "hog.txt")].startswith("exceeded 300 MB memory limit")
    assert [e["path"] for e in last_run(tmp_path / "ray")].count(str(docs / "crash.txt")) == 1  # failed once

    again = RayExecutor()
    rerun = run(docs, tmp_path / "ray", again)
    # a crash is not cached (it may pass next time) and is sent again; time and memory failures are
    # remembered until their limit changes (issue 10), so they are not paid again at the same limits
    assert again.submitted == rerun.read == 1 and rerun.cached == 9
    assert_same_tables(tmp_path / "ray", tmp_path / "local")


def test_ray_gives_the_local_tables_on_the_samples(cluster, tmp_path):
    local = run_batch([str(p) for p in SAMPLE_INPUTS], tmp_path / "local", workers=2)
    remote = run_batch([str(p) for p in SAMPLE_INPUTS], tmp_path / "ray", executor=RayExecutor())
    assert remote.read == local.read == remote.documents
    assert_same_tables(tmp_path / "ray", tmp_path / "local")


def test_a_cached_rerun_schedules_no_tasks(cluster, fakes, tmp_path):
    docs = tmp_path / "in"
    for i in range(3):
        write(docs / f"doc{i}.txt", f"标题{i}", f"IND 指标{i}")
    first, second = RayExecutor(), RayExecutor()
    run(docs, tmp_path / "out", first)
    summary = run(docs, tmp_path / "out", second)
    assert (first.submitted, second.submitted) == (3, 0)
    assert (summary.read, summary.cached) == (0, 3)


# --------------------------------------------------------------------------
# losing nodes, workers and the driver
# --------------------------------------------------------------------------


def test_a_node_killed_mid_batch_costs_only_its_in_flight_documents(cluster, fakes, tmp_path):
    extra = cluster.add_node(**NODE)
    cluster.wait_for_nodes()
    tries = tmp_path / "tries.txt"
    docs = tmp_path / "in"
    n = 9
    for i in range(n):
        write(docs / f"doc{i}.txt", f"文件{i}", f"IND 指标{i}", f"TRY {tries}", "SLOW 3")
    reported: list[str] = []

    def kill_the_extra_node() -> None:
        """Once every node's CPU is busy with a document that has started reading, kill the extra node."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            started = len(tries.read_text(encoding="utf-8").split()) if tries.exists() else 0
            if started - len(reported) >= 3:
                break
            time.sleep(0.05)
        cluster.remove_node(extra, allow_graceful=False)

    killer = threading.Thread(target=kill_the_extra_node)
    killer.start()
    try:
        summary = run(docs, tmp_path / "out", RayExecutor(max_retries=3), progress=reported.append,
                      timeout_s=30)
    finally:
        killer.join()
    assert summary.by_status["ok"] == n and not summary.failures  # nothing lost, nothing failed
    assert len(reported) == n  # each document reported once
    attempts = tries.read_text(encoding="utf-8").split()
    assert set(attempts) == {f"文件{i}" for i in range(n)}
    retried = len(attempts) - n
    # the killed node's in-flight document (1 CPU), and at most one more: a result it had finished but not
    # yet handed over is lost with its object store and read again
    assert 1 <= retried <= 2


def test_a_document_that_kills_every_worker_fails_once_and_the_batch_goes_on(cluster, fakes, tmp_path):
    docs = tmp_path / "in"
    tries = tmp_path / "tries.txt"
    write(docs / "killer.txt", "杀手", f"TRY {tries}", "KILL PARENT")
    for i in range(3):
        write(docs / f"doc{i}.txt", f"文件{i}", f"IND 指标{i}")
    summary = run(docs, tmp_path / "out", RayExecutor(max_retries=1))
    assert summary.by_status["ok"] == 3 and summary.by_status["failed"] == 1
    row = tables(tmp_path / "out")["documents"].set_index("source_path").loc[str(docs / "killer.txt")]
    assert row.status == "failed"
    assert row.error.startswith("the cluster lost the reader of this document on all 2 tries")
    assert tries.read_text(encoding="utf-8").split() == ["杀手", "杀手"]  # the first try and one retry
    assert [e["path"] for e in last_run(tmp_path / "out")].count(str(docs / "killer.txt")) == 1


def test_a_driver_that_dies_keeps_every_read_it_had_received(cluster, fakes, tmp_path):
    docs = tmp_path / "in"
    n = 6
    for i in range(n):
        write(docs / f"doc{i}.txt", f"文件{i}", f"IND 指标{i}", "SLOW 0.5")
    received = []

    def die_after_two(line: str) -> None:
        received.append(line)
        if len(received) == 2:
            raise KeyboardInterrupt  # the driver goes down mid-batch

    with pytest.raises(KeyboardInterrupt):
        run(docs, tmp_path / "out", RayExecutor(), progress=die_after_two)
    assert not (tmp_path / "out" / "documents.parquet").exists()
    executor = RayExecutor()
    summary = run(docs, tmp_path / "out", executor)
    assert (summary.cached, summary.read, executor.submitted) == (2, n - 2, n - 2)
    assert summary.by_status["ok"] == n
