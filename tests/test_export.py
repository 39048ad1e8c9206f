"""`planingest export`: targets by region (wide), responsibilities (long) and the data dictionary."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.catalogue import DEFAULT_DIR
from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.cli.main import main
from planingest.core.schema import TABLES
from planingest.publish.export_tables import (
    JOIN,
    RESPONSIBILITIES,
    WIDE_HEAD,
    build_export,
    one_line_cells,
    type_name,
    write_export,
)
from planingest.publish.older_lists import MARK
from planingest.publish.sheet_style import MAX_WIDTH, MIN_WIDTH
from planingest.store.snapshot import current_folder

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_indicator_catalogue(DEFAULT_DIR)
CANONICAL = {d.canonical for d in load_department_vocabulary(DEFAULT_DIR).departments}
TABLE_NAMES = ("targets_wide", "responsibilities", "legend", "panel", "data_dictionary")
LABEL = {e.id: e.label for e in CATALOGUE.entries}  # "I11" -> "I11 林草覆盖率", the wide column names


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
    assert list(wide.columns) == [c.name for c in WIDE_HEAD] + [e.label for e in CATALOGUE.entries]
    assert "I11 林草覆盖率" in wide.columns
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
    value = frames["targets_wide"].set_index("admin_code").loc[admin_code, LABEL[indicator_id]]
    assert (None if pd.isna(value) else value) == cell


def test_two_documents_of_one_region_give_their_distinct_targets_once(frames, tables):
    """鹿寨's plan as text and as DOCX: identical targets appear once, not joined with themselves."""
    indicators, documents = tables["indicators"], tables["documents"]
    luzhai_docs = documents.query("admin_code == '450223'")["doc_id"]
    rows = indicators[indicators["doc_id"].isin(luzhai_docs) & (indicators["indicator_id"] == "I03")]
    assert len(rows) == 2 and rows["target_raw"].nunique() == 1
    assert frames["targets_wide"].set_index("admin_code").loc["450223", LABEL["I03"]] == rows["target_raw"].iloc[0]


def test_long_table_has_a_row_per_indicator_row_and_department(frames, tables):
    long = frames["responsibilities"]
    assert list(long.columns) == [c.name for c in RESPONSIBILITIES]
    primary = set(tables["documents"].query("is_primary")["doc_id"])  # copies of one plan count once
    mapped = tables["indicators"][tables["indicators"]["indicator_id"].notna()
                                  & tables["indicators"]["doc_id"].isin(primary)]
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
    assert list(dictionary.columns) == ["table", "column", "type", "meaning", "meaning_zh"]
    assert dictionary["meaning"].str.len().min() > 0
    # both languages whatever the reader's: every meaning has its Chinese (tests/test_i18n.py checks the catalogue)
    assert dictionary["meaning_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    for name, columns in TABLES.items():
        rows = dictionary[dictionary["table"] == name]
        written = pq.read_schema(out / f"{name}.parquet")
        assert list(rows["column"]) == written.names == [c.name for c in columns]
        assert list(rows["type"]) == [type_name(field.type) for field in written]
    for name in ("targets_wide", "responsibilities", "legend"):
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
    assert wide.set_index("admin_code").loc["430700", LABEL["I03"]] == "≥20"  # codes stay text, not numbers
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


# --------------------------------------------------------------------------
# files people can open and trust
# --------------------------------------------------------------------------


def test_a_value_of_an_older_lists_changed_measure_is_marked_and_explained(frames):
    """常德's plan follows the 2019 list: 化肥施用强度 (千克/公顷) is filed under I25, which 2021 measures as 利用率."""
    changde = frames["targets_wide"].set_index("admin_code").loc["430700"]
    assert changde[LABEL["I25"]].split(JOIN) == [f"{MARK} 化肥施用强度: ≤300,或逐年下降",
                                                  f"{MARK} 农药施用强度: ≤3.5,或逐年下降"]
    assert MARK not in changde[LABEL["I03"]]  # the same in both lists: no mark
    marks = dict(zip(frames["legend"]["mark"], frames["legend"]["meaning"], strict=True))
    assert MARK in marks and "not comparable" in marks[MARK]
    assert marks[f"{MARK} 化肥施用强度"].startswith("2019 list, replaced by I25 ")


def test_the_legend_says_each_mark_in_chinese_too(frames):
    legend = frames["legend"].set_index("mark")
    assert list(frames["legend"].columns) == ["mark", "meaning", "meaning_zh"]
    assert legend["meaning_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    assert legend["meaning"].ne(legend["meaning_zh"]).all()
    assert legend.loc[f"{MARK} 化肥施用强度", "meaning_zh"].startswith("2019 年版清单中的指标，对应现行的 I25 ")
    assert "已被替换" in legend.loc[f"{MARK} 化肥施用强度", "meaning_zh"]


def test_the_xlsx_export_is_styled_for_reading(out, frames, tmp_path):
    dest = tmp_path / "styled.xlsx"
    assert main(["export", "--out", str(out), "--format", "xlsx", "--dest", str(dest)]) == 0
    wb = openpyxl.load_workbook(dest)
    for name in TABLE_NAMES:
        ws, frame = wb[name], frames[name]
        last = openpyxl.utils.get_column_letter(len(frame.columns))
        assert ws.auto_filter.ref == f"A1:{last}{len(frame) + 1}"
        assert ws.freeze_panes == ("B2" if name == "targets_wide" else "A2")
        assert all(cell.font.bold for cell in ws[1])
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                  for i in range(1, len(frame.columns) + 1)]
        assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in widths)
    wide = wb["targets_wide"]
    header = [c.value for c in wide[1]]
    assert wide.column_dimensions[openpyxl.utils.get_column_letter(header.index(LABEL["I11"]) + 1)].width > 12


@pytest.mark.parametrize("text, expected", [
    ("第一行\n第二行", "第一行 第二行"), ("a\r\n\r\nb", "a b"), ("a \n b\n", "a b"), ("no break", "no break"),
])
def test_csv_cells_are_one_line_each(text, expected):
    assert one_line_cells(pd.DataFrame({"c": [text, None]}))["c"].tolist()[0] == expected


@given(st.lists(st.text(alphabet="林草 \n\r\t覆盖率a1", max_size=30), min_size=1, max_size=5))
def test_one_line_cells_removes_every_line_break_and_keeps_the_words(texts):
    cleaned = one_line_cells(pd.DataFrame({"c": texts}))["c"].tolist()
    for before, after in zip(texts, cleaned, strict=True):
        assert "\n" not in after and "\r" not in after
        assert after.split() == before.split()


def test_csv_files_have_one_physical_line_per_row(tmp_path):
    frames = {"t": pd.DataFrame({"content": ["加强\n生态保护", "一行"], "n": [1, 2]})}
    (path,) = write_export(frames, "csv", tmp_path / "csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["content,n", "加强 生态保护,1", "一行,2"]


def test_copies_of_one_plan_give_their_rows_once(out, tmp_path):
    """Two files of one plan (plan_id shared, one is_primary): only the primary copy's rows are exported."""
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns(".state"))
    table = current_folder(copy) / "documents.parquet"  # what planingest's readers read (the current snapshot)
    documents = pd.read_parquet(table)
    luzhai = documents.query("admin_code == '450223'")["doc_id"].tolist()
    assert len(luzhai) == 2  # the text and the DOCX of 鹿寨's plan
    documents.loc[documents["doc_id"].isin(luzhai), "plan_id"] = luzhai[0]
    documents.loc[documents["doc_id"] == luzhai[1], "is_primary"] = False
    table.unlink()  # a hard link to OUT/documents.parquet: replace, not overwrite in place
    documents.to_parquet(table)
    long = build_export(copy)["responsibilities"]
    assert set(long["doc_id"]) & set(luzhai) == {luzhai[0]}
