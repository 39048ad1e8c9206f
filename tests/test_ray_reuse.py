"""The Ray executor keeps one reader process per Ray worker across documents.

On a simulated one-node cluster with 1 CPU (``tests/raycluster.py``), so every
task lands on the same Ray worker: documents of one batch, and of the next
batch with the same settings, are read by the same reader process; a document
that crashes the reader fails alone, and the next one is read by a fresh reader,
which is then kept in turn.  (The limits themselves are checked on two nodes in
tests/test_ray_executor.py and without Ray in tests/test_persistent_reader.py.)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.raycluster import SKIP_REASON, simulated_cluster  # imports no ray

ray = pytest.importorskip("ray", reason=SKIP_REASON)

from planingest.run.batch import run_batch  # noqa: E402
from planingest.run.executors.ray_executor import RayExecutor  # noqa: E402
from tests import fakereaders  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    with simulated_cluster(nodes=1) as cluster:
        yield cluster


def batch(tmp_path: Path, name: str, *documents: tuple[str, ...]) -> dict[str, pd.Series]:
    """Runs the documents (each its lines) as one batch into the same output folder; rows by file name."""
    docs = tmp_path / name
    docs.mkdir()
    for i, lines in enumerate(documents):
        (docs / f"doc{i}.txt").write_text("\n".join((f"{name} {i}", *lines)) + "\n", encoding="utf-8")
    run_batch([str(docs)], tmp_path / "out", executor=RayExecutor(), reader=fakereaders.reader_spec(),
              timeout_s=10, memory_mb=300)
    rows = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    rows = rows[rows.source_path.str.startswith(str(docs))]
    return {Path(p).name: row for p, row in zip(rows.source_path, rows.itertuples(), strict=True)}


def test_documents_on_one_node_share_a_reader_and_a_crash_gets_a_fresh_one(cluster, monkeypatch, tmp_path):
    fakereaders.install(monkeypatch)
    first = batch(tmp_path, "first", ("PID",), ("PID",), ("PID",))
    pids = {row.title for row in first.values()}
    assert len(pids) == 1  # three documents, one reader process
    (reader,) = pids
    second = batch(tmp_path, "second", ("PID",))
    assert second["doc0.txt"].title == reader  # kept across batches with the same settings

    crashed = batch(tmp_path, "crash", ("CRASH",))
    assert crashed["doc0.txt"].status == "failed"
    assert crashed["doc0.txt"].error.startswith("reader crashed (signal 11)")
    after = batch(tmp_path, "after", ("PID",), ("PID",))
    fresh = {row.title for row in after.values()}
    assert len(fresh) == 1 and fresh != {reader}  # a fresh reader, kept in turn
