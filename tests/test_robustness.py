"""Nothing lost, nothing executed: one regression test per defect of issue #10.

Each test is named after the defect a hostile run of the batch found.  The
tests run as root here, so an unreadable folder is simulated by making the
listing fail (``os.scandir`` raising PermissionError), and, where the machine
allows it, also for real by running the batch as ``nobody``.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from planingest.cli.main import main
from planingest.core.enums import IssueCode, Status
from planingest.core.records import DocumentResult
from planingest.core.schema import TABLE_NAMES, build_tables
from planingest.ingest.text.decode import decode_text_noting
from planingest.run import submissions
from planingest.run.cache import StateCache, dumps, loads
from planingest.store import snapshot
from planingest.store.folder import LOCK_FILE, OutputLock, OutputLockedError, read_run_log
from planingest.store.tables import read_tables
from tests import fakereaders
from tests.test_batch import SEED_LINES, reread, run, tables, write

pytestmark = pytest.mark.slow  # batch runs start worker processes
GBK_NAME = "规划".encode("gbk") + b".txt"  # b"\xb9\xe6\xbb\xae.txt": not UTF-8


@pytest.fixture
def fakes(monkeypatch):
    fakereaders.install(monkeypatch)


@pytest.fixture
def corpus(tmp_path):
    docs = tmp_path / "in"
    for i in range(3):
        write(docs / f"doc{i}.txt", *SEED_LINES, f"IND 指标{i}")
    return docs


def documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet").set_index("source_path")


# --------------------------------------------------------------------------
# 1. a file name that is not UTF-8 crashed the whole batch
# --------------------------------------------------------------------------


def test_1_a_file_name_that_is_not_utf8_does_not_stop_the_batch(fakes, corpus, tmp_path):
    gbk = os.path.join(os.fsencode(corpus), GBK_NAME)
    with open(gbk, "wb") as fh:
        fh.write("\n".join([*SEED_LINES, "IND 编码"]).encode())
    out = tmp_path / "out"
    for _ in range(2):  # the re-run crashed the same way
        summary = run([corpus], out)
        assert summary.exit_code == 0 and summary.documents == 4
    shown = f"{corpus}/{GBK_NAME.decode('utf-8', 'backslashreplace')}"  # \xb9 then 滮: bytes that are UTF-8 stay
    assert shown.endswith("/\\xb9滮.txt")
    assert documents(out).loc[shown].status == "ok"
    entry = [e for e in read_run_log(out) if e["path"] == shown][-1]
    assert bytes.fromhex(entry["path_bytes_hex"]) == gbk  # the raw name is kept
    assert "\\x" in read_tables(out)["documents"].source_path.str.cat()


# --------------------------------------------------------------------------
# 2. an unreadable folder was silently dropped, with its documents' rows
# --------------------------------------------------------------------------


def _unlistable(monkeypatch, *folders: Path) -> None:
    real = os.scandir
    blocked = {os.fspath(f) for f in folders}

    def scandir(path="."):
        if os.fspath(path) in blocked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_2_an_unreadable_folder_fails_with_its_path_and_keeps_its_rows(fakes, corpus, tmp_path, monkeypatch):
    write(corpus / "sub" / "deep.txt", *SEED_LINES, "IND 子目录")
    out = tmp_path / "out"
    run([corpus], out)
    before = documents(out).sort_index()
    _unlistable(monkeypatch, corpus / "sub")
    summary = run([corpus], out)
    assert summary.exit_code == 1
    assert [p for p, _ in summary.failures] == [str(corpus / "sub")]
    assert "cannot read the folder: Permission denied" in summary.failures[0][1]
    pd.testing.assert_frame_equal(documents(out).sort_index(), before)  # its document is still there
    monkeypatch.undo()
    fakereaders.install(monkeypatch)
    assert run([corpus], out).exit_code == 0 and reread(out) == set()  # and its cache was not pruned


def test_2_an_input_root_that_cannot_be_read_is_a_usage_error_that_writes_nothing(fakes, corpus, tmp_path,
                                                                                  monkeypatch, capsys):
    _unlistable(monkeypatch, corpus)
    assert main(["run", str(corpus), "--out", str(tmp_path / "out")]) == 2
    assert "cannot read the input folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


AS_NOBODY = textwrap.dedent("""
    import os, sys
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
    from tests import fakereaders
    from planingest.run import pool, process
    process.normalise_document = fakereaders.normalise
    pool.DEFAULT_READER = fakereaders.reader_spec()
    from planingest.cli.main import main
    sys.exit(main(["run", sys.argv[1], "--out", sys.argv[2], "--workers", "1"]))
""")


def _python_for_nobody() -> str | None:
    """An interpreter another user may run: ours, or the system's of the same version (pyenv lives in /root)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for python in candidates:
        if not os.path.exists(python):
            continue
        probe = subprocess.run([python, "-c", "import os; os.setgid(65534); os.setuid(65534); import signal"],
                               capture_output=True, timeout=60)
        if probe.returncode == 0:
            return python
    return None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the batch as another user")
def test_2_and_6_as_another_user_chmod_000_keeps_rows_and_a_read_only_out_is_exit_2(fakes):
    """The real thing: a folder made unreadable with chmod, and an output folder we may not write."""
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python here can run as nobody")
    root = Path(tempfile.mkdtemp(prefix="planingest-nobody-"))
    try:
        os.chmod(root, 0o755)
        docs, out = root / "in", root / "out"
        write(docs / "a.txt", *SEED_LINES)
        write(docs / "sub" / "b.txt", *SEED_LINES, "IND 子目录")
        out.mkdir()
        ours = [p for p in sys.path if p and not p.startswith(sys.base_prefix)]  # not the (private) stdlib
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[1]), *ours]),
                   TMPDIR=str(root))

        def as_nobody():
            return subprocess.run([python, "-c", AS_NOBODY, str(docs), str(out)], cwd=root,
                                  capture_output=True, text=True, timeout=120, env=env)

        refused = as_nobody()  # out belongs to root, 0755
        assert refused.returncode == 2 and "is not writable" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and list(out.iterdir()) == []
        for path in [root, *root.rglob("*")]:
            os.chown(path, 65534, 65534)
        first = as_nobody()
        assert first.returncode == 0, first.stderr
        before = documents(out).sort_index()
        os.chmod(docs / "sub", 0)
        second = as_nobody()
        assert second.returncode == 1, second.stderr
        assert f"{docs / 'sub'}: cannot read the folder: Permission denied" in second.stderr
        pd.testing.assert_frame_equal(documents(out).sort_index(), before)
        os.chmod(docs, 0)
        third = as_nobody()
        assert third.returncode == 2 and "cannot read the input folder" in third.stderr, third.stderr
    finally:
        for folder in (root / "in", root / "in" / "sub"):
            if folder.exists():
                os.chmod(folder, 0o755)
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------
# 3. running out of memory was recorded as a damaged file, and cached
# --------------------------------------------------------------------------

OOM = textwrap.dedent("""
    import resource
    from lxml import etree
    from planingest.ingest.zipparts import SAFE_XML_PARSER as _PARSER
    from planingest.ingest.zipparts import xml_error
    data = b"<r>" + b"<p>xxxxxxxx</p>" * 2_000_000 + b"</r>"  # 30 MB of XML, ~300 MB as a tree
    vm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize")) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + (100 << 20), resource.RLIM_INFINITY))
    try:
        etree.fromstring(data, _PARSER)
        print("parsed")
    except etree.XMLSyntaxError as exc:
        print(type(xml_error(exc, "damaged")).__name__)
""")


def test_3_lxml_running_out_of_memory_is_memory_not_bad_xml():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", OOM], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.strip() == "MemoryError", done.stderr  # was BadInputError "(unknown error)"


@pytest.mark.parametrize("content, limit, low, high, message", [
    ("HOG", "memory_mb", 300, 320, "exceeded {} MB memory limit; raise --memory-mb to read it"),
    ("HANG", "timeout_s", 1, 1.5, "timed out after {:g} s; raise --timeout to read it"),
])
def test_3_and_9_a_resource_failure_is_remembered_until_the_limit_is_raised(fakes, tmp_path, content, limit, low,
                                                                             high, message):
    docs, out = tmp_path / "in", tmp_path / "out"
    write(docs / "good.txt", *SEED_LINES)
    hog = write(docs / "hog.txt", content)
    run([docs], out, **{limit: low})
    assert documents(out).loc[str(hog)].error == message.format(low)
    cached = [json.loads(p.read_bytes()) for kind in ("read", "norm") for p in (out / ".state" / kind).iterdir()]
    assert len(cached) == 2 and all("hog" not in json.dumps(c) for c in cached)  # never the document's verdict
    run([docs], out, **{limit: low})
    assert reread(out) == set() and documents(out).loc[str(hog)].error == message.format(low)  # not paid again
    run([docs], out, **{limit: high})
    assert reread(out) == {str(hog)}  # a higher limit reads it again
    assert documents(out).loc[str(hog)].error == message.format(high)


# --------------------------------------------------------------------------
# 4. the cache executed code
# --------------------------------------------------------------------------


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_4_a_crafted_cache_file_cannot_run_code(fakes, corpus, tmp_path):
    out, marker = tmp_path / "out", tmp_path / "executed"
    run([corpus], out)
    for entry in (out / ".state" / "read").iterdir():
        doc_id = entry.name.split(".")[0]
        for kind in ("read", "norm"):
            crafted = pickle.dumps(_Payload(marker))
            (out / ".state" / kind / f"{doc_id}.pkl").write_bytes(crafted)
            (out / ".state" / kind / f"{doc_id}.json").write_bytes(crafted)
    summary = run([corpus], out)
    assert not marker.exists()
    assert summary.exit_code == 0 and summary.read == 3  # an unreadable entry is a miss
    assert not list((out / ".state").rglob("*.pkl"))  # old-format files are pruned, never loaded


def test_4_cached_records_come_back_with_their_types():
    read = fakereaders.read(Path("x.txt"), "\n".join([*SEED_LINES, "IND 新指标"]).encode())
    result = fakereaders.normalise("d" * 64, "in/\\xb9.txt", read)
    result = DocumentResult(result.document.__class__(**{**result.document.__dict__, "status": Status.OK}),
                            indicators=result.indicators, review=result.review)
    for value in (read, result, ("vocab", "in/x.txt")):
        back = loads(dumps(value))
        assert back == value and type(back) is type(value)
    assert type(loads(dumps(result)).document.status) is Status
    assert type(loads(dumps(result)).indicators[0].departments) is tuple
    with pytest.raises(ValueError):
        loads(b'{"$record": "Popen", "f": {}}')  # only our records are rebuilt


# --------------------------------------------------------------------------
# 5. a kill between the table renames left tables from two runs
# --------------------------------------------------------------------------


def _tables(run_id: str):
    read = fakereaders.read(Path("x.txt"), "\n".join([run_id, "IND 指标"]).encode())
    return build_tables([fakereaders.normalise(run_id[-1] * 64, f"in/{run_id}.txt", read)])


def commit_and_die(out: str, run_id: str, kill_at: int) -> None:
    """Commit ``run_id`` into ``out`` and die (no clean-up, as SIGKILL) just before rename ``kill_at``."""
    calls = [0]
    real = os.replace

    def dying(src, dst):
        calls[0] += 1
        if calls[0] == kill_at:
            os._exit(9)
        real(src, dst)

    os.replace = dying
    snapshot.commit(Path(out), run_id, _tables(run_id), {"run_id": run_id})


def _run_ids(folder: Path) -> set[str | None]:
    ids = {snapshot.table_run_id(folder / f"{t}.parquet") for t in TABLE_NAMES}
    return ids | {json.loads((folder / "manifest.json").read_text())["run_id"]}


def test_5_a_kill_at_every_rename_of_a_commit_never_shows_a_mix(tmp_path, monkeypatch):
    first = tmp_path / "first"
    snapshot.commit(first, "run-A", _tables("run-A"), {"run_id": "run-A"})
    counted = tmp_path / "counted"
    shutil.copytree(first, counted)
    renames = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda s, d: (renames.append(d), real(s, d))[1])
    snapshot.commit(counted, "run-B", _tables("run-B"), {"run_id": "run-B"})
    monkeypatch.undo()
    assert len(renames) >= 2 * len(TABLE_NAMES) + 3
    journal_at = next(i for i, d in enumerate(renames, 1) if Path(d).name == snapshot.JOURNAL)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for kill_at in range(1, len(renames) + 1):
        out = tmp_path / f"kill-{kill_at}"
        shutil.copytree(first, out)
        code = f"from tests.test_robustness import commit_and_die; commit_and_die({str(out)!r}, 'run-B', {kill_at})"
        assert subprocess.run([sys.executable, "-c", code], env=env, timeout=60).returncode == 9
        # a reader through planingest sees one run, whichever
        seen = _run_ids(snapshot.current_folder(out))
        assert len(seen) == 1, (kill_at, renames[kill_at - 1], seen)
        assert set(read_tables(out)["documents"].title) <= {"run-A", "run-B"}
        # the next start repairs: the top-level files are one run again, the journal's if it was written
        snapshot.repair(out, TABLE_NAMES)
        expected = "run-B" if kill_at > journal_at else "run-A"
        assert _run_ids(out) == {expected} == _run_ids(snapshot.current_folder(out)), (kill_at, renames[kill_at - 1])
        assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
        assert set(pd.read_parquet(out / "documents.parquet").title) == {expected}  # the contract's way


def test_5_the_next_run_repairs_an_interrupted_commit_before_anything_else(fakes, corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run([corpus], out)
    write(corpus / "doc0.txt", *SEED_LINES, "IND 改了")
    real = os.replace
    calls = []

    def killed_in_publish(src, dst):
        if Path(dst).name == "indicators.parquet" and Path(dst).parent == out:
            raise KeyboardInterrupt  # the commit stops with documents.parquet new and the rest old
        calls.append(dst)
        real(src, dst)

    monkeypatch.setattr(os, "replace", killed_in_publish)
    with pytest.raises(KeyboardInterrupt):
        run([corpus], out)
    monkeypatch.setattr(os, "replace", real)
    assert len(_run_ids(out)) == 2  # a mix on disk, for the moment
    assert len(_run_ids(snapshot.current_folder(out))) == 1  # but not for planingest's readers
    monkeypatch.setattr(snapshot, "commit", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("stop")))
    with pytest.raises(RuntimeError):
        run([corpus], out)  # even a run that fails later repaired first
    assert len(_run_ids(out)) == 1 and "改了" in set(tables(out)["indicators"].name_raw)


# --------------------------------------------------------------------------
# 6. output-folder problems printed tracebacks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("damage, words", [
    (lambda out: (out / LOCK_FILE).mkdir(), "is a folder where a file belongs"),
    (lambda out: (out / ".state" / "workers.log").mkdir(parents=True), "workers.log is a folder"),
    (lambda out: ((out / ".state").mkdir(), (out / ".state" / "read").write_text("")), "read is a file"),
    (lambda out: (out / "manifest.json").mkdir(), "manifest.json is a folder"),
    (lambda out: (out / "documents.parquet").mkdir(), "documents.parquet is a folder"),
    (lambda out: (out.rmdir(), out.write_text("")), "exists and is not a folder"),
])
def test_6_output_folder_problems_exit_2_with_what_is_wrong(fakes, corpus, tmp_path, capsys, damage, words):
    out = tmp_path / "out"
    out.mkdir()
    damage(out)
    assert main(["run", str(corpus), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "out" / "runs.jsonl").exists() if out.is_dir() else True  # nothing read


def test_6_a_folder_in_the_cache_is_a_miss_not_a_crash(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    for entry in list((out / ".state" / "norm").iterdir()):
        entry.unlink()
        entry.mkdir()  # a folder named <doc_id>.json
    (out / ".state" / "read" / "x.pkl").mkdir()
    assert run([corpus], out).exit_code == 0
    assert run([corpus], out).read == 0


# --------------------------------------------------------------------------
# 7. deleting .state during a run broke the lock
# --------------------------------------------------------------------------


def test_7_deleting_the_cache_folder_during_a_run_costs_nothing_but_the_cache(tmp_path):
    state = StateCache(tmp_path / ".state")
    shutil.rmtree(tmp_path / ".state")
    read = fakereaders.read(Path("x.txt"), b"title\nIND x\n")
    state.put("read", "a" * 64, read)  # was FileNotFoundError, ending the run
    assert state.get("read", "a" * 64) == read


def test_7_deleting_the_cache_folder_does_not_free_the_lock(tmp_path):
    out = tmp_path / "out"
    with OutputLock(out):
        (out / ".state").mkdir(exist_ok=True)
        shutil.rmtree(out / ".state")
        with pytest.raises(OutputLockedError):
            with OutputLock(out):
                pass


# --------------------------------------------------------------------------
# 9. hashing had no limit
# --------------------------------------------------------------------------


def test_9_a_file_over_the_size_limit_fails_clearly_without_being_hashed(fakes, corpus, tmp_path, monkeypatch):
    big = corpus / "big.txt"
    big.write_bytes(b"IND x\n" * 400_000)  # 2.4 MB
    hashed = []
    real = submissions.file_sha256
    monkeypatch.setattr(submissions, "file_sha256", lambda p: (hashed.append(p), real(p))[1])
    summary = run([corpus], tmp_path / "out", max_file_mb=1)
    assert str(big) not in hashed and summary.exit_code == 1
    assert dict(summary.failures)[str(big)] == ("the file is 2 MB, more than the 1 MB limit; "
                                                "raise --max-file-mb to read it")


# --------------------------------------------------------------------------
# 10. long messages, one GBK line in a UTF-8 file, FIFOs and devices
# --------------------------------------------------------------------------


def test_10_error_messages_are_capped(fakes, corpus, tmp_path):
    write(corpus / "long.txt", "LONGERR")
    out = tmp_path / "out"
    run([corpus], out)
    error = documents(out).loc[str(corpus / "long.txt")].error
    assert len(error) == 500 and error.endswith("…") and error.startswith("the parser said: ")
    assert max(len(e["error"] or "") for e in read_run_log(out)) == 500


def test_10_a_utf8_file_with_one_gbk_line_is_text_and_says_what_was_replaced():
    from planingest.ingest.text.reader import EXTRACTOR

    data = "第一行 生态文明\n第二行 规划\n".encode() + "第三行 内容\n".encode("gbk") + b"\xff\xfe\xfd\n"
    text, note = decode_text_noting(data)
    assert text.splitlines()[:3] == ["第一行 生态文明", "第二行 规划", "第三行 内容"]
    assert note == ("line 3 not UTF-8 like the rest: read as GB18030; "
                    "line 4 not valid text in any encoding: bytes replaced by \ufffd")
    extracted = EXTRACTOR.extract(Path("x.txt"), data, "txt")
    assert [i.code for i in extracted.issues] == [IssueCode.MIXED_ENCODING]


def test_10_fifos_are_skipped_with_a_reason_not_ignored(fakes, corpus, tmp_path):
    os.mkfifo(corpus / "pipe.txt")
    out = tmp_path / "out"
    summary = run([corpus], out)
    assert summary.by_status["skipped"] == 1 and summary.exit_code == 0
    entry = [e for e in read_run_log(out) if e["path"] == str(corpus / "pipe.txt")]
    assert entry and entry[0]["status"] == "skipped" and "FIFO" in entry[0]["error"]


# --------------------------------------------------------------------------
# 11. links out of the inputs were followed; cache files were world-readable
# --------------------------------------------------------------------------


def test_11_symlinks_out_of_the_inputs_are_not_followed_unless_asked(fakes, corpus, tmp_path):
    secret = write(tmp_path / "private" / "secret.txt", "SECRET TITLE", "IND 机密")
    os.symlink(secret, corpus / "link.txt")
    os.symlink(secret.parent, corpus / "linkdir")
    out = tmp_path / "out"
    summary = run([corpus], out)
    assert "SECRET TITLE" not in set(documents(out).title) and summary.by_status["skipped"] == 2
    reasons = {e["path"]: e["error"] for e in read_run_log(out) if e["status"] == "skipped"}
    assert "outside the inputs" in reasons[str(corpus / "link.txt")] and str(corpus / "linkdir") in reasons
    run([corpus], out, follow_symlinks=True)
    assert "SECRET TITLE" in set(documents(out).title)


def test_11_output_files_are_no_wider_than_the_output_folder(fakes, corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    os.chmod(out, 0o700)
    run([corpus], out)
    wide = [p for p in out.rglob("*") if p.is_file() and p.stat().st_mode & 0o077]
    assert wide == []
    assert pq.read_table(out / "documents.parquet").num_rows == 3


# --------------------------------------------------------------------------
# 8. LibreOffice escaped the time limit and the kill
# --------------------------------------------------------------------------


def _hanging_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for soffice that forks a child (as soffice forks soffice.bin) and hangs."""
    pid_file = tmp_path / "converter.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pid_file}\nwait\n")
    fake.chmod(0o755)
    return fake, pid_file


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def _converter_pid(pid_file: Path) -> int:
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(pid_file.read_text())


def test_8_a_converter_dies_with_its_timed_out_reader_and_leaves_no_temp_folder(fakes, tmp_path, monkeypatch):
    fake, pid_file = _hanging_soffice(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    write(tmp_path / "in" / "old.doc.txt", f"CONVERT {fake}")
    summary = run([tmp_path / "in"], tmp_path / "out", timeout_s=2)
    assert dict(summary.failures)[str(tmp_path / "in" / "old.doc.txt")].startswith("timed out after 2 s")
    assert _gone(_converter_pid(pid_file))  # soffice.bin's stand-in too, not only soffice
    assert list(scratch.iterdir()) == []  # neither planingest-w* nor planingest-lo-* stays


KILLED_DRIVER = textwrap.dedent("""
    import sys
    from tests import fakereaders
    from planingest.run import process
    from planingest.run.batch import run_batch
    process.normalise_document = fakereaders.normalise
    run_batch([sys.argv[1]], sys.argv[2], workers=1, reader=fakereaders.reader_spec())
""")


def test_8_a_converter_dies_when_the_run_is_killed_and_the_next_run_cleans_up(tmp_path):
    from planingest.run.pool import remove_orphan_folders

    fake, pid_file = _hanging_soffice(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    write(tmp_path / "in" / "old.doc.txt", f"CONVERT {fake}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), TMPDIR=str(scratch))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_DRIVER, str(tmp_path / "in"), str(tmp_path / "out")],
                            env=env, start_new_session=True)
    try:
        converter = _converter_pid(pid_file)
        os.kill(proc.pid, signal.SIGKILL)  # the run only: its worker and converter must follow by themselves
        proc.wait(10)
        assert _gone(converter)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert _gone(converter) and remove_orphan_folders(str(scratch)) >= 1
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("sample, module, attr", [
    ("samples/xlsx/changde.xlsx", "openpyxl", "load_workbook"),
    ("samples/pdf/jingzhou.pdf", "pdfplumber", "open"),
])
def test_3_a_memory_error_inside_a_parser_is_not_turned_into_a_damaged_file(sample, module, attr, monkeypatch):
    """Catch-all handlers of parser failures must let the worker's memory limit through."""
    import importlib

    from planingest.ingest.detect import detect_format
    from planingest.ingest.registry import extract

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(importlib.import_module(module), attr, out_of_memory)
    path = Path(__file__).resolve().parents[1] / sample
    data = path.read_bytes()
    with pytest.raises(MemoryError):
        extract(path, data, detect_format(path, data))


# --------------------------------------------------------------------------
# properties of the new parsers: the cache codec, path display, per-line decoding
# --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from planingest.core.records import Interpretation, ReadResult  # noqa: E402
from planingest.run.discover import display_path  # noqa: E402

_QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_QUICK
@given(st.one_of(st.from_type(Interpretation), st.from_type(DocumentResult), st.from_type(ReadResult)))
def test_property_any_record_survives_the_cache_with_its_types(value):
    back = loads(dumps(value))
    assert type(back) is type(value)
    assert dumps(back) == dumps(value)  # (NaN != NaN, so compare the encodings)


@given(st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_property_any_file_name_has_a_display_form_that_encodes(name):
    shown = display_path(os.fsdecode(name))
    shown.encode("utf-8")  # never raises
    try:
        assert shown == name.decode("utf-8")  # a UTF-8 name is shown as it is
    except UnicodeDecodeError:
        assert "\\x" in shown


_GBK_LINE = st.text(alphabet=st.sampled_from("生态文明建设示范区规划指标年度工作计划一二三四五"), min_size=2, max_size=20)


@given(st.lists(_GBK_LINE, min_size=3, max_size=12), st.data())
def test_property_a_minority_of_gbk_lines_in_utf8_text_is_read_back(lines, data):
    odd = data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=(len(lines) - 1) // 2))
    raw = b"\n".join(line.encode("gbk" if i in odd else "utf-8") for i, line in enumerate(lines))
    text, note = decode_text_noting(raw)
    assert text.split("\n") == lines
    assert note is not None and "GB18030" in note
