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

from tests.seedrun import SAMPLES, run_sample

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("PLANINGEST_REGEN_GOLDEN") == "1"
SAMPLE_FILES = sorted(
    str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("*") if p.is_file() and not p.name.startswith(".")
    and p.name != "README.md"
)
# columns that depend on where the checkout lives or on the package version, not on the document
VOLATILE = {"source_path", "pipeline_version", "doc_id", "plan_id", "row_id", "locator"}  # row_id, plan_id: hashes of doc_id; locator: in source_locator


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "|".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv(records) -> str:
    buffer = io.StringIO()
    records = list(records)
    if not records:
        return ""
    names = [f.name for f in fields(records[0]) if f.name not in VOLATILE]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for record in records:
        row = asdict(record)
        writer.writerow([_cell(row[n]) for n in names])
    return buffer.getvalue()


def _tables(name: str) -> dict[str, str]:
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
