"""Every output folder explains itself: datapackage.json (Frictionless) and README.md, from the one schema."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from planingest.cli.main import main
from planingest.core.schema import TABLES
from planingest.store.datapackage import DATAPACKAGE, GENERATED_MARK, README, field_type, write_datapackage

ROOT = Path(__file__).resolve().parent.parent
TYPES = {"string", "integer", "number", "boolean", "date", "array"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("datapackage")
    inputs = root / "in"
    inputs.mkdir()
    shutil.copy(next(ROOT.glob("samples/000_*.txt")), inputs)
    out = root / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert write_datapackage(out) == [out / DATAPACKAGE, out / README]
    return out


@pytest.fixture(scope="module")
def package(out):
    return json.loads((out / DATAPACKAGE).read_text(encoding="utf-8"))


def test_one_resource_per_table_pointing_at_its_parquet_file(out, package):
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource in package["resources"]:
        assert (resource["format"], resource["path"]) == ("parquet", f"{resource['name']}.parquet")
        assert (out / resource["path"]).exists()


def test_fields_are_the_parquet_columns_with_their_meaning_and_type(out, package):
    for resource in package["resources"]:
        parquet = pq.read_schema(out / resource["path"])
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == parquet.names
        columns = {c.name: c for c in TABLES[resource["name"]]}
        for field in fields:
            column = columns[field["name"]]
            assert field["type"] in TYPES and field["type"] == field_type(parquet.field(field["name"]).type)
            assert field["description"] == column.meaning
            assert re.search(r"[\u4e00-\u9fff]", field["x-planingest-description-zh"]), field["name"]
            assert field.get("constraints", {}).get("required", False) == (not column.nullable)


def test_keys_documents_by_doc_id_the_others_by_row_id_all_joined_on_doc_id(package):
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["documents"]["primaryKey"] == ["doc_id"] and "foreignKeys" not in schemas["documents"]
    for name in ("indicators", "projects", "tasks"):
        assert schemas[name]["primaryKey"] == ["row_id"]
    assert "primaryKey" not in schemas["review"]  # the review queue has no row id
    for name in ("indicators", "projects", "tasks", "review"):
        assert schemas[name]["foreignKeys"] == [
            {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]


def test_the_keys_hold_in_the_data(out):
    documents = pq.read_table(out / "documents.parquet").column("doc_id").to_pylist()
    assert len(set(documents)) == len(documents)
    for name in ("indicators", "projects", "tasks"):
        table = pq.read_table(out / f"{name}.parquet")
        row_ids = table.column("row_id").to_pylist()
        assert len(set(row_ids)) == len(row_ids) and set(table.column("doc_id").to_pylist()) <= set(documents)


def test_frictionless_accepts_the_descriptor(package):
    frictionless = pytest.importorskip("frictionless")  # the `test` extra installs it
    report = frictionless.Package.validate_descriptor(package)
    assert report.valid, [e.message for e in report.errors]


def test_the_readme_lists_every_column_and_is_regenerated_but_a_handwritten_one_is_kept(out, tmp_path):
    text = (out / README).read_text(encoding="utf-8")
    assert text.startswith(GENERATED_MARK)
    for table, columns in TABLES.items():
        assert f"## {table}.parquet" in text
        for column in columns:
            assert f"| {column.name} |" in text
    assert write_datapackage(out) == [out / DATAPACKAGE, out / README]  # ours: rewritten
    own = tmp_path / "own"
    own.mkdir()
    (own / README).write_text("# my notes\n", encoding="utf-8")
    assert write_datapackage(own) == [own / DATAPACKAGE]
    assert (own / README).read_text(encoding="utf-8") == "# my notes\n"


def test_the_package_and_the_readme_are_in_chinese_and_english_side_by_side(out, package):
    assert re.search(r"[\u4e00-\u9fff]", package["x-planingest-title-zh"])
    assert all(re.search(r"[\u4e00-\u9fff]", r["x-planingest-description-zh"]) for r in package["resources"])
    text = (out / README).read_text(encoding="utf-8")
    assert "五张表" in text and "Five tables" in text
    assert "| doc_id | string，不为空 · string, never empty | 源文件字节的 SHA-256" in text
    assert "每项列明责任单位的工作任务一行" in text and "One row per work task that names responsible units." in text
