"""`planingest run` through main(argv): exit codes, messages, what is (not) written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planingest.cli.main import main
from planingest.core.errors import CatalogueError
from planingest.store.folder import OutputLock, read_manifest, read_run_log
from tests import fakereaders
from tests.shared import CHECK_CONTRACT, require

SEED_LINES = ["2023年靖州县生态文明建设示范区", "IND 生态文明建设规划"]


@pytest.fixture
def fakes(monkeypatch):
    fakereaders.install(monkeypatch)


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_text("\n".join(SEED_LINES), encoding="utf-8")
    (folder / "other.txt").write_text("\n".join(SEED_LINES + ["IND 森林覆盖率"]), encoding="utf-8")
    return folder


def run(*args) -> int:
    return main(["run", *map(str, args), "--workers", "2"])


def test_all_documents_ok_exits_0_and_writes_the_tables(fakes, docs, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(docs, "--out", out) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("planingest: 2 documents (2 ok, 0 partial, 0 empty, 0 failed, 0 skipped)")
    assert len(pd.read_parquet(out / "documents.parquet")) == 2
    assert read_manifest(out)["tables"]["indicators"]["rows"] == 3


def test_output_passes_the_contract_checker(fakes, docs, tmp_path):
    out = tmp_path / "out"
    assert run(docs, "--out", out) == 0
    checked = subprocess.run([sys.executable, require(CHECK_CONTRACT), out], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip() == "contract: ok"


def test_a_failed_document_exits_1_and_the_others_are_written(fakes, docs, tmp_path, capsys):
    (docs / "broken.txt").write_text("BAD")
    out = tmp_path / "out"
    assert run(docs, "--out", out) == 1
    err = capsys.readouterr().err
    assert f"failed   txt     0 ind   0 proj   0 tasks  {docs / 'broken.txt'}: the file is damaged" in err
    assert "Traceback" not in err
    statuses = pd.read_parquet(out / "documents.parquet").set_index("source_path").status.to_dict()
    assert statuses == {str(docs / "broken.txt"): "failed", str(docs / "other.txt"): "ok", str(docs / "plan.txt"): "ok"}


def test_non_documents_are_skipped_not_failed(monkeypatch, docs, tmp_path):
    fakereaders.install(monkeypatch, reader=None)  # the real reader decides what is a document
    (docs / "plan.txt").unlink()
    (docs / "other.txt").unlink()
    (docs / "logo.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(16))  # page images are read (OCR)
    (docs / ".DS_Store").write_bytes(b"\0\0\0\1Bud1\0\0\x10\0\0\0\x08\0\0\0\x10\0" + bytes(range(256)) * 8)
    out = tmp_path / "out"
    assert run(docs, "--out", out) == 0
    documents = pd.read_parquet(out / "documents.parquet")
    assert sorted(documents.status) == ["skipped", "skipped"]
    assert sorted(Path(p).name for p in documents.source_path) == [".DS_Store", "logo.gif"]


def test_rerun_reads_nothing_and_quiet_prints_only_the_summary(fakes, docs, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(docs, "--out", out) == 0
    first = pd.read_parquet(out / "indicators.parquet")
    capsys.readouterr()
    assert run(docs, "--out", out, "--quiet") == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read 0, cached 2" in err
    assert [e["read"] for e in read_run_log(out)] == [True, True, False, False]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indicators.parquet"), first)


@pytest.mark.parametrize("args, message", [
    (["run", "{missing}", "--out", "{out}"], "no such file or folder: {missing}"),
    (["run", "{docs}", "--out", "{out}", "--workers", "0"], "argument --workers: '0' must be at least 1"),
    (["run", "{docs}", "--out", "{out}", "--workers", "many"], "argument --workers: 'many' is not a whole number"),
    (["run", "{docs}", "--out", "{out}", "--timeout", "-1"], "argument --timeout: '-1' must be a positive number"),
    (["run", "{docs}"], "the following arguments are required: --out"),
    (["run", "{docs}", "--out", "{out}", "--catalogue", "{missing}"], "planingest: error: {missing}"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_usage_errors_exit_2_and_write_nothing(fakes, docs, tmp_path, capsys, args, message):
    values = {"docs": docs, "out": tmp_path / "out", "missing": tmp_path / "nowhere"}
    assert main([a.format(**values) for a in args]) == 2
    assert message.format(**values) in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_invalid_catalogue_exits_2_before_any_work(monkeypatch, fakes, docs, tmp_path, capsys):
    import planingest.normalize.vocabulary

    def invalid(folder):
        raise CatalogueError(f"{folder}/departments.csv:7: duplicate name '生态环境局' (first on line 3)")

    monkeypatch.setattr(planingest.normalize.vocabulary, "load_vocabulary", invalid)
    assert run(docs, "--out", tmp_path / "out") == 2
    assert "departments.csv:7: duplicate name '生态环境局' (first on line 3)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_second_run_on_a_busy_output_exits_2(fakes, docs, tmp_path, capsys):
    out = tmp_path / "out"
    with OutputLock(out):
        assert run(docs, "--out", out) == 2
        assert run(docs, "--out", out, "--wait", "0.2") == 2
    err = capsys.readouterr().err
    assert "is writing to" in err and "(waited 0.2 s)" in err
    assert not (out / "documents.parquet").exists()


def test_help_exits_0(capsys):
    assert main(["run", "--help"]) == 0
    assert "--memory-mb" in capsys.readouterr().out
