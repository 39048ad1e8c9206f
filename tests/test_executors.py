"""The executor interface the batch reads through, and choosing one on the command line.

The Ray executor itself runs in tests/test_ray_executor.py (slow, on a simulated
cluster); here: what needs no Ray at all.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planingest.cli.main import main
from planingest.core.errors import UsageError
from planingest.run.batch import run_batch
from planingest.run.executors import make_executor
from planingest.run.executors.local import LocalExecutor
from planingest.run.executors.ray_executor import INSTALL_HINT
from tests import fakereaders


class RecordingExecutor(LocalExecutor):
    """The local executor, noting which documents the batch sends it."""

    def __init__(self) -> None:
        super().__init__(workers=2)
        self.sent: list[str] = []

    def map(self, jobs, config):
        self.sent.extend(job.path for job in jobs)
        return super().map(jobs, config)


def write_docs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i}.txt").write_text(f"标题{i}\nIND 指标{i}\n", encoding="utf-8")
    return folder


def test_the_batch_sends_an_executor_only_what_the_cache_cannot_answer(monkeypatch, tmp_path):
    fakereaders.install(monkeypatch)
    docs = write_docs(tmp_path / "in", 3)
    first, second = RecordingExecutor(), RecordingExecutor()
    run_batch([docs], tmp_path / "out", reader=fakereaders.reader_spec(), executor=first)
    (docs / "doc1.txt").write_text("改过的标题\nIND 新指标\n", encoding="utf-8")
    summary = run_batch([docs], tmp_path / "out", reader=fakereaders.reader_spec(), executor=second)
    assert sorted(first.sent) == sorted(str(p) for p in docs.iterdir())
    assert second.sent == [str(docs / "doc1.txt")]
    assert (summary.read, summary.cached) == (1, 2)


def test_asking_for_ray_without_it_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    docs = write_docs(tmp_path / "in", 1)
    status = main(["run", str(docs), "--out", str(tmp_path / "out"), "--executor", "ray"])
    assert status == 2
    assert INSTALL_HINT in capsys.readouterr().err
    assert INSTALL_HINT == "--executor ray needs Ray: pip install 'planingest[ray]'"
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_a_ray_address_without_the_ray_executor_is_a_usage_error(tmp_path, capsys):
    docs = write_docs(tmp_path / "in", 1)
    status = main(["run", str(docs), "--out", str(tmp_path / "out"), "--ray-address", "auto"])
    assert status == 2
    assert "--ray-address is only for --executor ray" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["threads", "", "RAY"])
def test_unknown_executors_are_refused(name):
    with pytest.raises(UsageError, match="unknown executor"):
        make_executor(name)


def test_the_local_executor_is_the_default(tmp_path):
    from planingest.cli.main import build_parser

    args = build_parser().parse_args(["run", str(tmp_path), "--out", str(tmp_path / "out")])
    assert args.executor == "local" and args.ray_address is None
    assert isinstance(make_executor(args.executor, workers=3), LocalExecutor)
