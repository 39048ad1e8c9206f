"""The read stage takes its vocabulary from the run's --catalogue folder, and caches by it.

Header words (table_headers.csv) decide what reading finds, so they are part of
the read stage's explicit configuration: the folder reaches the worker processes,
its read-stage files are fingerprinted into the read-cache key, and a broken file
stops the run before any document is read.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from planingest.catalogue import DEFAULT_DIR
from planingest.cli import main

pytestmark = pytest.mark.slow  # real worker processes

# an indicator table whose name column is headed by a word the built-in vocabulary does not know
PLAN = """2024年××县生态文明建设示范区创建工作要点

| 序号 | 评价项目 | 单位 | 目标值 | 责任单位 |
| --- | --- | --- | --- | --- |
| 1 | 生态文明建设规划 | - | 制定实施 | 县生态环境局 |
| 2 | 林草覆盖率 | % | ≥60 | 县林业局 |
| 3 | 集中式饮用水水源地水质优良比例 | % | 100 | 县生态环境局 |
"""


@pytest.fixture
def catalogue(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_DIR, folder)
    return folder


def _indicator_names(out) -> list[str]:
    return pd.read_parquet(out / "indicators.parquet").name_raw.tolist()


def test_an_added_header_synonym_changes_what_a_cached_document_reads_to(tmp_path, catalogue):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(docs), "--out", str(out), "--catalogue", str(catalogue), "--quiet"]) == 0
    assert _indicator_names(out) == []  # 评价项目 is not a header word yet: no indicator table

    with open(catalogue / "table_headers.csv", "a", encoding="utf-8") as fh:
        fh.write("indicator,评价项目,exact,added by a user\n")
    assert main(["run", str(docs), "--out", str(out), "--catalogue", str(catalogue), "--quiet"]) == 0
    assert _indicator_names(out) == ["生态文明建设规划", "林草覆盖率", "集中式饮用水水源地水质优良比例"]


def test_a_broken_table_headers_file_stops_the_run_naming_file_and_line(tmp_path, catalogue, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    lines = (catalogue / "table_headers.csv").read_text(encoding="utf-8").splitlines()
    lines.append("indikator,评价项目,exact,")
    (catalogue / "table_headers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(docs), "--out", str(out), "--catalogue", str(catalogue)]) == 2
    err = capsys.readouterr().err
    assert f"table_headers.csv:{len(lines)}:" in err and "indikator" in err
    assert not (out / "documents.parquet").exists()
