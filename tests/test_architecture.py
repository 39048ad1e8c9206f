"""The package's shape: record fields and table columns agree, closed sets are enums, one format table."""
from __future__ import annotations

import dataclasses

import pytest

from planingest.core import records
from planingest.core.enums import FileFormat, MatchMethod, ReviewKind, Status
from planingest.core.schema import TABLES
from planingest.ingest import registry

#: the record class each table's rows come from
RECORD_OF = {
    "documents": records.DocumentRecord,
    "indicators": records.IndicatorRecord,
    "projects": records.ProjectRecord,
    "tasks": records.TaskRecord,
    "review": records.ReviewItem,
}
#: columns the writer takes from the document, not from the row's record
FROM_DOCUMENT = {"doc_id"}
#: record fields that are not columns: the typed locator is written as its parts (page, sheet, …)
NOT_COLUMNS = {"locator"}


def _attributes(cls) -> set[str]:
    names = {f.name for f in dataclasses.fields(cls)}
    names |= {n for n, v in vars(cls).items() if isinstance(v, property)}
    for base in cls.__mro__[1:]:
        names |= {n for n, v in vars(base).items() if isinstance(v, property)}
    return names


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_is_an_attribute_of_the_record(table):
    cls = RECORD_OF[table]
    missing = {c.name for c in TABLES[table]} - FROM_DOCUMENT - _attributes(cls)
    assert not missing, f"{table}: columns without a {cls.__name__} attribute: {sorted(missing)}"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_record_field_is_a_column(table):
    cls = RECORD_OF[table]
    fields = {f.name for f in dataclasses.fields(cls)} - NOT_COLUMNS
    columns = {c.name for c in TABLES[table]}
    assert fields <= columns, f"{cls.__name__} fields never written to {table}: {sorted(fields - columns)}"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_has_a_meaning(table):
    assert all(c.meaning.strip() for c in TABLES[table]), [c.name for c in TABLES[table] if not c.meaning.strip()]


@pytest.mark.parametrize("enum, strings", [
    (Status, {"ok", "partial", "empty", "failed", "skipped"}),
    (ReviewKind, {"indicator", "department", "region", "document"}),
    (MatchMethod, {"exact", "alias", "fuzzy", "crosswalk", "none"}),
])
def test_closed_sets_serialise_to_the_contract_strings(enum, strings):
    assert {str(m) for m in enum} == strings
    assert all(m == str(m) for m in enum)  # a member is its string: tables and caches hold the string


def test_the_format_table_is_the_only_list_of_document_formats():
    for fmt in registry.FORMATS:
        assert isinstance(fmt, FileFormat)
        assert registry.is_document(str(fmt))
    assert not registry.is_document(str(FileFormat.UNKNOWN))
    assert not registry.is_document(None)


@pytest.mark.parametrize("fmt", [f for f, spec in registry.FORMATS.items() if spec.extractor])
def test_every_registered_extractor_loads_and_claims_its_format(fmt):
    extractor = registry.extractor_for(fmt)
    assert str(fmt) in {str(f) for f in extractor.formats}


def test_output_readme_column_tables_are_generated_from_the_schema():
    from tools.render_output_readme import README, render

    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "output/README.md is stale: run python -m tools.render_output_readme"
    for table in TABLES:
        assert f"<!-- columns:{table} -->" in text
