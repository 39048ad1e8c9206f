"""`planingest export`: targets by region (wide), responsibilities (long) and the data dictionary."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from planingest.catalogue import DEFAULT_DIR
from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.cli.main import main
from planingest.core.schema import TABLES
from planingest.publish.export_tables import JOIN, RESPONSIBILITIES, WIDE_HEAD, build_export, type_name

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_indicator_catalogue(DEFAULT_DIR)
CANONICAL = {d.canonical for d in load_department_vocabulary(DEFAULT_DIR).departments}
TABLE_NAMES = ("targets_wide", "responsibilities", "panel", "data_dictionary")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    inputs = root / "in"
    inputs.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(sample, inputs)
    shutil.copy(ROOT / "samples" / "docx" / "luzhai.docx", inputs)  # a second document of 鹿寨县
    folder = root / "out"
    assert main(["run", str(inputs), "--out", str(folder), "--workers", "2", "--quiet"]) == 0
    return folder


@pytest.fixture(scope="module")
def frames(out):
    return build_export(out)


@pytest.fixture(scope="module")
def tables(out):
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in ("documents", "indicators")}


def test_wide_has_one_row_per_region_and_a_column_per_catalogue_indicator(frames, tables):
    wide = frames["targets_wide"]
    assert list(wide.columns) == [c.name for c in WIDE_HEAD] + [e.id for e in CATALOGUE.entries]
    read = tables["documents"].query("status in ('ok', 'partial', 'empty')")
    assert list(wide["admin_code"]) == sorted(read["admin_code"].unique())
    luzhai = wide.set_index("admin_code").loc["450223"]
    assert luzhai["region"] == "鹿寨县" and len(luzhai["documents"].split(JOIN)) == 2


@pytest.mark.parametrize("admin_code, indicator_id, cell", [
    ("430700", "I03", "≥20"),  # one row
    ("430700", "I11", "山区: ≥60 | 丘陵地区: ≥40 | 平原地区: ≥18"),  # scope variants, joined
    ("430700", "I01", "制定实施"),
    ("411224", "I01", None),  # 卢氏 has tasks only: no indicator table
])
def test_wide_cells_are_the_targets_as_written(frames, admin_code, indicator_id, cell):
    value = frames["targets_wide"].set_index("admin_code").loc[admin_code, indicator_id]
    assert (None if pd.isna(value) else value) == cell


def test_two_documents_of_one_region_give_their_distinct_targets_once(frames, tables):
    """鹿寨's plan as text and as DOCX: identical targets appear once, not joined with themselves."""
    indicators, documents = tables["indicators"], tables["documents"]
    luzhai_docs = documents.query("admin_code == '450223'")["doc_id"]
    rows = indicators[indicators["doc_id"].isin(luzhai_docs) & (indicators["indicator_id"] == "I03")]
    assert len(rows) == 2 and rows["target_raw"].nunique() == 1
    assert frames["targets_wide"].set_index("admin_code").loc["450223", "I03"] == rows["target_raw"].iloc[0]


def test_long_table_has_a_row_per_indicator_row_and_department(frames, tables):
    long = frames["responsibilities"]
    assert list(long.columns) == [c.name for c in RESPONSIBILITIES]
    mapped = tables["indicators"][tables["indicators"]["indicator_id"].notna()]
    assert len(long) == sum(len(d) for d in mapped["departments"])
    names = {e.id: e.name for e in CATALOGUE.entries}
    assert (long["indicator"] == long["indicator_id"].map(names)).all()
    assert (long["department_is_canonical"] == long["department"].isin(CANONICAL)).all()
    first = long.iloc[0]
    source = mapped[(mapped["doc_id"] == first["doc_id"]) & (mapped["source_locator"] == first["source_locator"])]
    assert first["department"] in list(source.iloc[0]["departments"])
    assert first["departments_raw"] == source.iloc[0]["departments_raw"]
    region = tables["documents"].set_index("doc_id").loc[first["doc_id"]]
    assert (first["region"], first["admin_code"]) == (region["region"], region["admin_code"])


def test_the_dictionary_describes_every_column_of_every_table_with_the_writers_types(frames, out):
    dictionary = frames["data_dictionary"]
    assert list(dictionary.columns) == ["table", "column", "type", "meaning"]
    assert dictionary["meaning"].str.len().min() > 0
    for name, columns in TABLES.items():
        rows = dictionary[dictionary["table"] == name]
        written = pq.read_schema(out / f"{name}.parquet")
        assert list(rows["column"]) == written.names == [c.name for c in columns]
        assert list(rows["type"]) == [type_name(field.type) for field in written]
    for name in ("targets_wide", "responsibilities"):
        assert list(dictionary[dictionary["table"] == name]["column"]) == list(frames[name].columns)


@pytest.mark.parametrize("type_text, column", [
    ("string", "region"), ("int", "plan_year"), ("float", "target_value"), ("bool", "is_local"),
    ("date", "issue_date"), ("list<string>", "departments"),
])
def test_types_are_written_in_the_contracts_words(frames, type_text, column):
    dictionary = frames["data_dictionary"]
    assert type_text in set(dictionary[dictionary["column"] == column]["type"])


def test_csv_export_writes_three_files_excel_can_open(out, frames, tmp_path, capsys):
    dest = tmp_path / "csv"
    assert main(["export", "--out", str(out), "--format", "csv", "--dest", str(dest)]) == 0
    for name in TABLE_NAMES:
        data = (dest / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese as UTF-8
        back = pd.read_csv(dest / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(back.columns) == list(frames[name].columns) and len(back) == len(frames[name])
    wide = pd.read_csv(dest / "targets_wide.csv", encoding="utf-8-sig", dtype=str)
    assert wide.set_index("admin_code").loc["430700", "I03"] == "≥20"  # codes stay text, not numbers
    assert "targets_wide 5 rows" in capsys.readouterr().out


def test_xlsx_export_writes_one_workbook_with_a_sheet_per_table(out, frames, tmp_path):
    dest = tmp_path / "researchers.xlsx"
    assert main(["export", "--out", str(out), "--format", "xlsx", "--dest", str(dest)]) == 0
    wb = openpyxl.load_workbook(dest, read_only=True)
    assert wb.sheetnames == list(TABLE_NAMES)
    for name in TABLE_NAMES:
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(frames[name].columns) and len(rows) == len(frames[name]) + 1


def test_default_destinations_are_inside_the_output_folder(out):
    assert main(["export", "--out", str(out), "--format", "xlsx"]) == 0
    assert (out / "export.xlsx").is_file()


@pytest.mark.parametrize("setup, args, message", [
    ("empty", ["--format", "csv"], "documents.parquet not found: run `planingest run PATH --out"),
    ("file-dest", ["--format", "csv"], "is not a folder"),
    ("dir-dest", ["--format", "xlsx"], "is a folder"),
])
def test_usage_errors_exit_2_with_a_message(out, tmp_path, capsys, setup, args, message):
    folder, dest = (tmp_path if setup == "empty" else out), tmp_path / "dest"
    if setup == "file-dest":
        dest.write_text("")
    elif setup == "dir-dest":
        dest.mkdir()
    assert main(["export", "--out", str(folder), *args, "--dest", str(dest)]) == 2
    assert message in capsys.readouterr().err
