"""The batch runner: file discovery, content identity, incremental re-runs, isolation of readers."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from planingest.run import process
from planingest.run.batch import collect_files, group_by_content, run_batch
from planingest.store.folder import read_run_log
from tests import fakereaders

TABLES = ("documents", "indicators", "projects", "tasks", "review")
# seed 000's title and indicator names, as the fake documents' content
SEED_LINES = ["2023年靖州县生态文明建设示范区", "IND 生态文明建设规划", "IND 党委政府对生态文明建设重大目标任务部署情况"]


def write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def last_run(out: Path) -> dict[str, dict]:
    """path -> run-log entry, for the most recent run."""
    log = read_run_log(out)
    run_id = log[-1]["run_id"]
    return {e["path"]: e for e in log if e["run_id"] == run_id}


def reread(out: Path) -> set[str]:
    return {path for path, entry in last_run(out).items() if entry["read"]}


@pytest.fixture
def fakes(monkeypatch):
    fakereaders.install(monkeypatch)


def run(inputs, out, **kw):
    kw.setdefault("workers", 2)
    kw.setdefault("reader", fakereaders.reader_spec())
    return run_batch([str(p) for p in inputs], out, **kw)


# --------------------------------------------------------------------------
# discovery and identity
# --------------------------------------------------------------------------


def test_collect_skips_hidden_folders_and_the_output_folder(tmp_path):
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "sub" / "b.txt", "y")
    write(tmp_path / ".git" / "c.txt", "z")
    write(tmp_path / "out" / "documents.parquet", "old output")
    write(tmp_path / ".DS_Store", "hidden file, still a submission")
    found = collect_files([tmp_path], exclude=[tmp_path / "out"])
    names = sorted(Path(p).relative_to(tmp_path).as_posix() for p in found)
    assert names == [".DS_Store", "a.txt", "sub/b.txt"]


def test_collect_survives_a_symlink_loop(tmp_path):
    write(tmp_path / "docs" / "a.txt", "x")
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "loop")
    found = collect_files([tmp_path / "docs"])
    assert [Path(p).name for p in found] == ["a.txt"]


def test_same_bytes_under_two_paths_is_one_submission(tmp_path):
    b = write(tmp_path / "b" / "plan.txt", *SEED_LINES)
    a = write(tmp_path / "a" / "copy.txt", *SEED_LINES)
    other = write(tmp_path / "c.txt", "other")
    subs, unreadable = group_by_content([str(b), str(a), str(other)])
    assert unreadable == []
    assert [s.paths for s in subs] == [(str(a), str(b)), (str(other),)]
    assert subs[0].source_path == str(a)


# --------------------------------------------------------------------------
# incremental runs
# --------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path):
    docs = tmp_path / "in"
    for i in range(3):
        write(docs / f"doc{i}.txt", *SEED_LINES, f"IND 指标{i}")
    return docs


def test_rerun_is_idempotent_and_reads_nothing(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    first = run([corpus], out)
    before = tables(out)
    second = run([corpus], out)
    assert (first.read, second.read, second.cached) == (3, 0, 3)
    assert reread(out) == set()
    for name in TABLES:
        pd.testing.assert_frame_equal(tables(out)[name], before[name])


def test_only_a_changed_file_is_read_again(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    os.utime(corpus / "doc0.txt", (1, 1))  # a touch is not a change: identity is content
    write(corpus / "doc1.txt", *SEED_LINES, "IND 新指标")
    summary = run([corpus], out)
    assert reread(out) == {str(corpus / "doc1.txt")}
    assert summary.read == 1
    names = tables(out)["indicators"].name_raw.tolist()
    assert "新指标" in names and "指标1" not in names


def test_a_removed_file_drops_out_of_every_table(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    gone = corpus / "doc2.txt"
    doc_id = tables(out)["documents"].set_index("source_path").loc[str(gone), "doc_id"]
    gone.unlink()
    run([corpus], out)
    result = tables(out)
    assert str(gone) not in result["documents"].source_path.tolist()
    for name in TABLES:
        assert doc_id not in result[name].doc_id.tolist()
    assert not list((out / ".state").rglob(f"{doc_id}.pkl"))


def test_a_copy_is_one_document_with_the_first_path(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    write(corpus / "0-copy.txt", *SEED_LINES, "IND 指标1")  # same bytes as doc1.txt
    run([corpus], out)
    docs = tables(out)["documents"]
    assert len(docs) == 3
    assert str(corpus / "0-copy.txt") in docs.source_path.tolist()
    assert str(corpus / "doc1.txt") not in docs.source_path.tolist()


def test_a_renamed_file_is_not_read_again_but_gets_its_new_path(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    (corpus / "doc0.txt").rename(corpus / "renamed.txt")
    run([corpus], out)
    assert reread(out) == set()
    assert str(corpus / "renamed.txt") in tables(out)["documents"].source_path.tolist()


def test_a_vocabulary_edit_renormalises_without_reading(monkeypatch, fakes, corpus, tmp_path):
    vocab_dir = tmp_path / "catalogue"
    write(vocab_dir / "departments.csv", "name", "生态环境局")
    calls = []
    monkeypatch.setattr(process, "normalise_document",
                        lambda *a, **k: calls.append(a[1]) or fakereaders.normalise(*a, **k))
    out = tmp_path / "out"
    run([corpus], out, catalogue_dir=vocab_dir)
    run([corpus], out, catalogue_dir=vocab_dir)
    assert len(calls) == 3  # second run: normalised rows from the cache
    write(vocab_dir / "departments.csv", "name", "生态环境局", "林业局")
    run([corpus], out, catalogue_dir=vocab_dir)
    assert len(calls) == 6 and reread(out) == set()


def test_force_reads_everything_again(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    assert run([corpus], out, force=True).read == 3


def test_a_file_that_cannot_be_opened_fails_and_the_rest_is_written(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    os.symlink(tmp_path / "nowhere.txt", corpus / "dangling.txt")
    summary = run([corpus], out)
    assert summary.exit_code == 1
    assert summary.unreadable == ((str(corpus / "dangling.txt"), "cannot open the file: No such file or directory"),)
    assert len(tables(out)["documents"]) == 3


def test_progress_is_one_line_per_document_then_the_summary(fakes, corpus, tmp_path):
    lines: list[str] = []
    summary = run([corpus], tmp_path / "out", progress=lines.append)
    assert [line[:7] for line in lines] == ["[1/3] o", "[2/3] o", "[3/3] o"]
    assert sorted(line[6:] for line in lines) == [
        f"ok       txt     3 ind   0 proj   0 tasks  {corpus / f'doc{i}.txt'}" for i in range(3)]
    assert summary.line().startswith("3 documents (3 ok, 0 partial, 0 empty, 0 failed, 0 skipped); "
                                     "rows: 9 indicators, 0 projects, 0 tasks; 9 review items; read 3, cached 0;")


# --------------------------------------------------------------------------
# isolation: hangs, runaway memory, crashes
# --------------------------------------------------------------------------


def test_one_worker_process_reads_document_after_document(fakes, tmp_path):
    for i in range(3):
        write(tmp_path / "in" / f"doc{i}.txt", "PID", f"IND 指标{i}")
    run([tmp_path / "in"], tmp_path / "out", workers=1)
    pids = set(tables(tmp_path / "out")["documents"].title)
    assert len(pids) == 1 and pids != {str(os.getpid())}  # isolated, and not restarted per document


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """One batch mixing good documents with a hang, a memory hog, a crash and a damaged file."""
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "in"
    write(docs / "a-good.txt", *SEED_LINES)
    write(docs / "b-hang.txt", "HANG")
    write(docs / "c-hog.txt", "HOG")
    write(docs / "c-hog-caught.txt", "HOG CAUGHT")
    write(docs / "d-crash.txt", "CRASH")
    write(docs / "e-bad.txt", "BAD")
    write(docs / "f-good.txt", *SEED_LINES, "IND 另一个指标")
    mp = pytest.MonkeyPatch()
    fakereaders.install(mp)
    try:
        out = root / "out"
        started = time.monotonic()
        summary = run([docs], out, workers=2, timeout_s=2, memory_mb=300)
        seconds = time.monotonic() - started
    finally:
        mp.undo()
    return docs, out, summary, seconds


@pytest.mark.parametrize("name, status, error", [
    ("a-good.txt", "ok", None),
    ("b-hang.txt", "failed", "timed out after 2 s; raise --timeout to read it"),
    ("c-hog.txt", "failed", "exceeded 300 MB memory limit; raise --memory-mb to read it"),
    ("c-hog-caught.txt", "failed", "exceeded 300 MB memory limit; raise --memory-mb to read it"),
    ("d-crash.txt", "failed", f"reader crashed (signal {int(signal.SIGSEGV)}); it is read again next run "
                              "(if the file is very large, raise --memory-mb)"),
    ("e-bad.txt", "failed", "the file is damaged"),
    ("f-good.txt", "ok", None),
])
def test_each_bad_reader_fails_only_its_document(hostile_batch, name, status, error):
    docs, out, summary, _ = hostile_batch
    row = tables(out)["documents"].set_index("source_path").loc[str(docs / name)]
    assert (row.status, None if pd.isna(row.error) else row.error) == (status, error)
    assert row.file_format == "txt"


def test_a_hostile_batch_finishes_in_bounded_time(hostile_batch):
    _, out, summary, seconds = hostile_batch
    assert summary.exit_code == 1
    assert summary.by_status["ok"] == 2 and summary.by_status["failed"] == 5
    assert seconds < 15
    assert "Segmentation fault" in (out / ".state" / "workers.log").read_text()  # the crash went to the log


def test_limit_failures_are_retried_but_damaged_files_are_not(hostile_batch, monkeypatch, tmp_path):
    docs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(hostile_batch[0], docs)
    shutil.copytree(hostile_batch[1], out)
    fakereaders.install(monkeypatch)
    for name in ("b-hang.txt", "c-hog.txt", "c-hog-caught.txt"):
        (docs / name).unlink()  # keep the re-run fast
    run([docs], out, workers=2, timeout_s=2, memory_mb=300)
    assert reread(out) == {str(docs / "d-crash.txt")}


# --------------------------------------------------------------------------
# a run killed mid-batch
# --------------------------------------------------------------------------

DRIVER = textwrap.dedent("""
    import sys
    import {mod} as fakes  # noqa
    from planingest.run import process
    from planingest.run.batch import run_batch
    process.normalise_document = fakes.normalise
    run_batch([sys.argv[1]], sys.argv[2], workers=1, reader=fakes.reader_spec())
""")


def test_a_killed_run_leaves_the_previous_tables_and_keeps_finished_work(fakes, tmp_path):
    from planingest.cli.main import main

    docs, out = tmp_path / "in", tmp_path / "out"
    for i in range(4):
        write(docs / f"doc{i}.txt", *SEED_LINES, f"IND 指标{i}")
    run([docs], out)
    before = {t: (out / f"{t}.parquet").read_bytes() for t in TABLES}
    for i in range(4):
        write(docs / f"doc{i}.txt", *SEED_LINES, f"IND 新指标{i}", "SLOW 0.5")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-c", DRIVER.format(mod=fakereaders.__name__), str(docs), str(out)],
                            env=env, start_new_session=True, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while len(read_run_log(out)) < 5 and time.monotonic() < deadline:  # 4 lines of run 1, then one more
            time.sleep(0.05)
        assert len(read_run_log(out)) == 5, proc.stderr.read() if proc.poll() is not None else "no progress"
        os.kill(proc.pid, signal.SIGSTOP)  # hold it still while a second run tries the same OUT
        assert main(["run", str(docs), "--out", str(out)]) == 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    assert {t: (out / f"{t}.parquet").read_bytes() for t in TABLES} == before
    assert not [p.name for p in out.iterdir() if not p.name.startswith(".")
                and p.name not in {f"{t}.parquet" for t in TABLES} | {"manifest.json", "runs.jsonl", "datapackage.json", "README.md"}]
    killed_run = read_run_log(out)[4:]
    assert 1 <= len(killed_run) < 4  # it was killed mid-batch, after finishing some documents
    summary = run([docs], out)
    assert summary.exit_code == 0 and summary.read == 4 - len(killed_run)
    assert not reread(out) & {entry["path"] for entry in killed_run}  # their work was kept
    numbered = sorted(n for n in tables(out)["indicators"].name_raw if "指标" in n and n[-1].isdigit())
    assert numbered == [f"新指标{i}" for i in range(4)]
