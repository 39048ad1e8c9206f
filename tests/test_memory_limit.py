"""--memory-mb limits resident memory, read by the parent; address space is only a loose backstop (issue 14).

The fake reader (tests/fakereaders.py): ``CREEP mb`` touches memory gradually and
keeps it (as OCR grows page by page), ``SPAWN mb`` starts a converter the way
LibreOffice is started (own process group, guarded) that holds the memory,
``GROW mb`` keeps mb MB and finishes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planingest.ingest import ocr_engine
from planingest.ingest.ocr_engine import DEFAULT, LOW_MEMORY, fitting
from planingest.run import resident
from planingest.run.pool import ReaderPool
from planingest.run.worker import ReadJob, WorkerConfig, memory_message
from tests import fakereaders


def _job(path: Path, text: str) -> ReadJob:
    path.write_text(text, encoding="utf-8")
    return ReadJob(hashlib.sha256(path.read_bytes()).hexdigest(), str(path))


def _read(jobs, **kw):
    kw.setdefault("timeout_s", 60.0)
    config = WorkerConfig(fakereaders.reader_spec(), **kw)
    return {o.job.path: o for o in ReaderPool(1, config).map(jobs)}


# -- which processes count ------------------------------------------------------------------------


@pytest.mark.parametrize("processes, expected", [
    ([(10, 1, 10)], {10}),
    ([(10, 1, 10), (11, 10, 10), (12, 11, 10)], {10, 11, 12}),  # children and grandchildren
    ([(10, 1, 10), (20, 10, 20), (21, 20, 20)], {10, 20, 21}),  # a converter in a group of its own
    ([(10, 1, 10), (20, 10, 20), (22, 1, 20)], {10, 20, 22}),  # its child outlived its parent: still its group
    ([(10, 1, 10), (30, 1, 30), (31, 30, 10)], {10, 31}),  # another process tree is not ours
])
def test_a_worker_counts_with_its_descendants_and_their_process_groups(processes, expected):
    assert resident.tree_of(10, processes) == expected


def test_the_resident_memory_of_a_tree_includes_its_children():
    touch = "import sys, time; kept = b'1' * (150 << 20); print('ready', flush=True); sys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", touch], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        alone = resident.process_resident_mb(os.getpid())
        assert resident.tree_resident_mb(os.getpid()) >= alone + 150
        assert resident.tree_resident_mb(child.pid) >= 150
    finally:
        child.kill()
        child.wait()


def test_the_address_space_backstop_leaves_room_for_what_runtimes_reserve():
    assert resident.address_space_mb(2048) >= ocr_engine.OPENVINO_MIN_ADDRESS_SPACE_MB + 2048
    assert resident.address_space_mb(300) < resident.address_space_mb(2048)


# -- the parent's watchdog ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_reader_growing_past_the_limit_is_killed_by_the_parent(tmp_path):
    """400 MB touched slowly stays far under the address-space backstop: only the resident check stops it."""
    creep = _job(tmp_path / "creep.txt", "慢慢变大\nCREEP 400\n")
    after = _job(tmp_path / "after.txt", "之后\nIND 指标\n")
    outcomes = _read([creep, after], memory_mb=250)
    failed = outcomes[creep.path]
    assert failed.read.error == memory_message(250) and failed.resource == "memory" and not failed.cacheable
    assert outcomes[after.path].read.error is None  # a fresh worker reads the next document


@pytest.mark.slow
def test_memory_held_by_a_converter_the_reader_started_counts(tmp_path):
    spawn = _job(tmp_path / "spawn.txt", "转换\nSPAWN 400\n")
    failed = _read([spawn], memory_mb=250)[spawn.path]
    assert failed.read.error == memory_message(250) and failed.resource == "memory"


@pytest.mark.slow
def test_a_reader_under_the_limit_is_left_alone(tmp_path):
    grow = _job(tmp_path / "grow.txt", "变大\nGROW 150\nIND 指标\n")
    outcome = _read([grow], memory_mb=400)[grow.path]
    assert outcome.read.error is None and outcome.resource is None


@pytest.mark.slow
def test_an_allocation_too_fast_for_the_watchdog_meets_the_backstop(tmp_path):
    """A decompression bomb: allocates without pause; either limit stops it, with the same message."""
    hog = _job(tmp_path / "hog.txt", "炸弹\nHOG\n")
    failed = _read([hog], memory_mb=300)[hog.path]
    assert failed.read.error == memory_message(300) and failed.resource == "memory"


# -- the OCR engine fits the limit --------------------------------------------------------------------------


@pytest.mark.parametrize("resident_mb, address_mb, backend", [
    (None, None, "openvino"),  # outside the batch: no limits
    (2048, resident.address_space_mb(2048), "openvino"),  # the batch's defaults
    (1024, resident.address_space_mb(1024), "openvino"),
    (ocr_engine.OPENVINO_MIN_RESIDENT_MB - 1, resident.address_space_mb(ocr_engine.OPENVINO_MIN_RESIDENT_MB - 1),
     "onnxruntime"),  # too little resident memory for OpenVINO's peak
    (300, resident.address_space_mb(300), "onnxruntime"),
    (None, 2048, "onnxruntime"),  # an address-space limit set by someone else: OpenVINO cannot even start
])
def test_openvino_is_used_where_the_limits_allow_it(monkeypatch, resident_mb, address_mb, backend):
    import resource

    soft = resource.RLIM_INFINITY if address_mb is None else address_mb * 1024 * 1024
    monkeypatch.setattr(resource, "getrlimit", lambda _: (soft, resource.RLIM_INFINITY))
    monkeypatch.setattr(ocr_engine, "RESIDENT_LIMIT_MB", resident_mb)
    chosen = fitting(DEFAULT)
    assert chosen.backend == backend and (chosen == LOW_MEMORY) == (backend == "onnxruntime")


@pytest.mark.slow
@pytest.mark.parametrize("memory_mb, backend", [(2048, "openvino"), (300, "onnxruntime")])
def test_a_batch_worker_uses_openvino_under_the_default_memory_limit(tmp_path, memory_mb, backend):
    job = _job(tmp_path / "engine.txt", "ENGINE\n")
    assert _read([job], memory_mb=memory_mb)[job.path].read.interpretation.metadata.title == backend


def test_the_batch_worker_tells_the_engine_its_resident_limit(monkeypatch):
    import resource

    from planingest.run import worker

    monkeypatch.setattr(ocr_engine, "RESIDENT_LIMIT_MB", None)
    calls = []
    monkeypatch.setattr(resource, "setrlimit", lambda which, limits: calls.append((which, limits)))
    worker._limit_memory(2048)
    assert ocr_engine.RESIDENT_LIMIT_MB == 2048
    assert calls and calls[0][1][0] in (resident.address_space_mb(2048) * 2**20, resource.getrlimit(
        resource.RLIMIT_AS)[1])
    assert fitting(DEFAULT) == DEFAULT  # the defaults give OpenVINO's speed
