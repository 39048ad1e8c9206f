"""Golden files: every output row of every sample, as diffable CSV under tests/golden/<sample>/.

A change in extraction or normalisation shows up as a diff of these files.  They
are regenerated only on purpose:

    PLANINGEST_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and a missing golden file fails (it is never silently written).
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import asdict, fields
from pathlib import Path

import pytest

from tests.seedrun import SAMPLES, run_container, run_sample

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("PLANINGEST_REGEN_GOLDEN") == "1"
SAMPLE_FILES = sorted(
    str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("*") if p.is_file() and not p.name.startswith(".")
    and p.name != "README.md"
)
# columns that depend on where the checkout lives or on the package version, not on the document
VOLATILE = {"source_path", "pipeline_version", "doc_id", "plan_id", "row_id", "locator"}  # row_id, plan_id: hashes of doc_id; locator: in source_locator
# in a container sample the member and parent columns say the same as source_path and parent_id, readably
CONTAINER_VOLATILE = {"parent_id"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "|".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv(records, where: list[tuple[str, ...]] | None = None, where_names: tuple[str, ...] = ()) -> str:
    """``where``: per record, leading cells that say where it sits in a container sample."""
    buffer = io.StringIO()
    records = list(records)
    if not records:
        return ""
    drop = VOLATILE | (CONTAINER_VOLATILE if where_names else set())
    names = [f.name for f in fields(records[0]) if f.name not in drop]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*where_names, *names])
    for i, record in enumerate(records):
        row = asdict(record)
        writer.writerow([*(where[i] if where else ()), *[_cell(row[n]) for n in names]])
    return buffer.getvalue()


def _container_tables(rows) -> dict[str, str]:
    """A container sample: every row of the container and of its members, each led by the member's
    path inside the container ("" for the container itself) and, for documents, its parent's."""
    tables = {"documents": _csv([r.result.document for r in rows], [(r.member, r.parent) for r in rows],
                                ("member", "parent"))}
    for table in ("indicators", "projects", "tasks", "review"):
        records, where = [], []
        for row in rows:
            found = getattr(row.result, table)
            records += found
            where += [(row.member,)] * len(found)
        tables[table] = _csv(records, where, ("member",))
    return tables


def _tables(name: str) -> dict[str, str]:
    rows = run_container(name)
    if rows is not None:
        return _container_tables(rows)
    result = run_sample(name)
    return {
        "documents": _csv([result.document]),
        "indicators": _csv(result.indicators),
        "projects": _csv(result.projects),
        "tasks": _csv(result.tasks),
        "review": _csv(result.review),
    }


@pytest.mark.parametrize("sample", [
    pytest.param(s, marks=pytest.mark.slow) if s.startswith("scanned/") else s for s in SAMPLE_FILES])
def test_golden(sample):
    folder = GOLDEN / sample.replace("/", "__").rsplit(".", 1)[0]
    produced = _tables(sample)
    if REGENERATE:
        folder.mkdir(parents=True, exist_ok=True)
        for table, text in produced.items():
            (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    for table, text in produced.items():
        path = folder / f"{table}.csv"
        assert path.exists(), f"missing golden {path}: regenerate on purpose with PLANINGEST_REGEN_GOLDEN=1"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{sample}: {table} differs from {path} (diff the regenerated file to review)"


def test_regeneration_flag_is_off_in_ci():
    assert not (REGENERATE and os.environ.get("CI")), "golden files must never be regenerated in CI"
