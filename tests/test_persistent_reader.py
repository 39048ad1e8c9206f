"""``PersistentReader``: one isolated reader process kept across documents (what a Ray worker holds).

It must keep every guarantee of ``ReaderPool`` while reusing its process: the
same process reads document after document; a crash, a time-out, the memory
limit or growth past ``recycle_mb`` fail (or finish) that document only and the
next one gets a fresh process; its temporary folder goes with it.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from planingest.run.pool import PersistentReader
from planingest.run.worker import ReadJob, WorkerConfig
from tests import fakereaders


def job(folder: Path, name: str, *lines: str) -> ReadJob:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ReadJob(hashlib.sha256(path.read_bytes()).hexdigest(), str(path))


def pid_of(outcome) -> int:
    assert outcome.read.error is None, outcome.read.error
    return int(outcome.read.interpretation.metadata.title)


@pytest.fixture
def reader():
    readers: list[PersistentReader] = []

    def make(**kw) -> PersistentReader:
        kw.setdefault("timeout_s", 5)
        kw.setdefault("memory_mb", 300)
        readers.append(PersistentReader(WorkerConfig(fakereaders.reader_spec(), **kw)))
        return readers[-1]

    yield make
    for r in readers:
        r.close()


def test_one_process_reads_document_after_document(reader, tmp_path):
    r = reader()
    pids = [pid_of(r.read(job(tmp_path, f"d{i}.txt", "PID", f"IND 指标{i}"))) for i in range(3)]
    assert len(set(pids)) == 1 and pids[0] == r.pid != os.getpid()


@pytest.mark.parametrize(("lines", "error", "resource"), [
    (("CRASH",), "reader crashed (signal 11)", "crash"),
    (("HANG",), "timed out after 1 s", "timeout"),
    (("CREEP 600",), "exceeded 300 MB memory limit", "memory"),
])
def test_a_document_that_breaks_the_reader_fails_alone_and_the_next_gets_a_fresh_one(
        reader, tmp_path, lines, error, resource):
    r = reader(timeout_s=1)
    before = pid_of(r.read(job(tmp_path, "a.txt", "PID")))
    folder = Path(r._worker.tmp)  # the worker's own temporary folder
    broken = r.read(job(tmp_path, "broken.txt", *lines))
    assert broken.read.error.startswith(error) and broken.resource == resource and not broken.cacheable
    assert r.pid is None and not folder.exists()  # killed, its folder removed
    after = pid_of(r.read(job(tmp_path, "b.txt", "PID")))
    assert after != before and r.pid == after


def test_a_reader_that_grew_past_recycle_mb_is_replaced_after_its_document(reader, tmp_path):
    r = reader(recycle_mb=150, memory_mb=600)
    grown = r.read(job(tmp_path, "grow.txt", "PID", "GROW 200"))
    first = pid_of(grown)  # the document itself is read
    assert r.pid is None
    assert pid_of(r.read(job(tmp_path, "next.txt", "PID"))) != first


def test_close_stops_the_process(reader, tmp_path):
    r = reader()
    pid = pid_of(r.read(job(tmp_path, "a.txt", "PID")))
    r.close()
    assert r.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
