"""The output folder: table schemas, atomic writes, the lock and the cache."""
from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from planingest.core.records import DocumentRecord, DocumentResult, Interpretation, RawMetadata, ReadResult, ReviewItem
from planingest.core.schema import PROVENANCE, TABLE_NAMES, TABLES, arrow_schema, build_tables, schema_problem
from planingest.run import cache as cache_module
from planingest.run.cache import StateCache
from planingest.store import folder as storage
from planingest.store.folder import (
    OutputLock,
    OutputLockedError,
    atomic_write_bytes,
    write_tables,
)
from tests import fakereaders

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "data-contract.md"
ARROW_FOR_CONTRACT = {"string": pa.string(), "string, null": pa.string(), "int": pa.int64(), "int, null": pa.int64(),
                      "float": pa.float64(), "float, null": pa.float64(), "bool": pa.bool_(), "bool, null": pa.bool_(),
                      "date, null": pa.date32(), "list<string>": pa.list_(pa.string())}


def contract_columns() -> dict[str, dict[str, str]]:
    """table -> column -> type, parsed from the markdown tables of data-contract.md."""
    tables: dict[str, dict[str, str]] = {}
    current, in_columns = None, False
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = tables.setdefault(line[3:].strip(), {})
        if not line.startswith("|"):
            in_columns = False  # other tables of a section (doc_type's values) are not column lists
        elif line.startswith("| column"):
            in_columns = True
        elif current is not None and in_columns and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            for name in cells[0].split(","):  # "province, city"
                current[name.strip()] = cells[1]
    return {name: cols for name, cols in tables.items() if cols}


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared/reference is not beside the repository")
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_schema_has_every_contract_column_with_its_type(table):
    schema = arrow_schema(table)
    for column, type_ in contract_columns()[table].items():
        assert schema.field(column).type == ARROW_FOR_CONTRACT[type_], column


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_column_says_what_it_means(table):
    for field in arrow_schema(table):
        assert len(field.metadata[b"meaning"]) > 3, field.name


def test_extra_columns_are_only_the_agreed_ones():
    extras = {(t, c.name) for t, cols in TABLES.items() for c in cols if c.extra}
    provenance = {(t, c.name) for t in ("indicators", "projects", "tasks") for c in PROVENANCE}
    assert extras == {("documents", "n_pages"), ("documents", "ocr_pages"), ("indicators", "is_retired"), ("indicators", "task"),
                      ("indicators", "seq_inferred"), ("projects", "seq_inferred"),
                      ("projects", "progress_raw"), ("projects", "invested_wan")} | provenance


def sample_result(**document) -> DocumentResult:
    read = fakereaders.read(Path("x.txt"), "2023年靖州县生态文明建设示范区\nIND 生态文明建设规划\n".encode())
    result = fakereaders.normalise("d" * 64, "in/x.txt", read)
    return DocumentResult(DocumentRecord(**{**result.document.__dict__, **document}),
                          indicators=result.indicators, review=result.review)


def test_records_become_typed_rows():
    tables = build_tables([sample_result(doc_number="常生创办〔2020〕2号", plan_year=2023)])
    doc = tables["documents"].to_pylist()[0]
    assert doc["issue_date"] == dt.date(2023, 8, 1)
    assert (doc["doc_number"], doc["plan_year"], doc["n_indicators"]) == ("常生创办〔2020〕2号", 2023, 1)
    ind = tables["indicators"].to_pylist()[0]
    assert (ind["doc_id"], ind["name_raw"], ind["departments"]) == ("d" * 64, "生态文明建设规划", ["生态环境局"])
    assert tables["projects"].num_rows == 0 and tables["projects"].schema == arrow_schema("projects")


@pytest.mark.parametrize("result, problem", [
    (sample_result(), None),
    (sample_result(status=None), "documents.status is empty in a row where it is required"),
    (sample_result(plan_year="2023年"), "documents: Arrow"),
    (DocumentResult(sample_result().document, review=(ReviewItem("region", None, "unknown", "page 1"),)),
     "review.raw is empty in a row where it is required"),
])
def test_schema_problem_names_the_defect(result, problem):
    found = schema_problem(result)
    assert (found if problem is None else found[: len(problem)]) == problem


# --------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------


def test_atomic_write_replaces_or_leaves_alone(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    atomic_write_bytes(target, b"old")
    assert target.read_bytes() == b"old" and target.stat().st_mode & 0o044 == 0o044  # readable by others

    def broken_replace(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_a_failure_while_writing_the_set_changes_no_table(tmp_path, monkeypatch):
    write_tables(tmp_path, build_tables([sample_result()]))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_write = pq.write_table
    calls = []

    def dies_on_third_table(table, where, **kw):
        calls.append(1)
        real_write(table, where, **kw)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as a Ctrl-C (or a kill) would, half-way through the set

    monkeypatch.setattr(storage.pq, "write_table", dies_on_third_table)
    with pytest.raises(KeyboardInterrupt):
        write_tables(tmp_path, build_tables([sample_result(title="changed")]))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp file left either


def test_stale_temporary_files_are_removed(tmp_path):
    (tmp_path / ".documents.parquet.tmp-abc").write_bytes(b"half")
    (tmp_path / "documents.parquet").write_bytes(b"whole")
    storage.remove_stale_temps(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["documents.parquet"]


# --------------------------------------------------------------------------
# lock
# --------------------------------------------------------------------------


def test_a_second_lock_on_the_same_output_is_refused_with_the_holder(tmp_path):
    with OutputLock(tmp_path):
        with pytest.raises(OutputLockedError, match=r"another planingest run \(pid \d+\) is writing to"):
            with OutputLock(tmp_path):
                pass
    with OutputLock(tmp_path):  # released on exit
        pass


def test_waiting_for_the_lock_succeeds_when_it_is_released(tmp_path):
    holder = OutputLock(tmp_path).__enter__()
    threading.Timer(0.3, holder.__exit__, (None, None, None)).start()
    started = time.monotonic()
    with OutputLock(tmp_path, wait_s=5):
        assert 0.2 < time.monotonic() - started < 4


def test_waiting_for_the_lock_gives_up(tmp_path):
    with OutputLock(tmp_path), pytest.raises(OutputLockedError, match=r"\(waited 0.3 s\)"):
        with OutputLock(tmp_path, wait_s=0.3):
            pass


# --------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------

READ = ReadResult(file_format="txt", interpretation=Interpretation(RawMetadata(title="2023年靖州县生态文明建设示范区")))


def test_cache_round_trip_and_keys(tmp_path):
    cache = StateCache(tmp_path)
    cache.put("read", "a" * 64, READ)
    cache.put("norm", "a" * 64, sample_result(), key=("vocab1", "in/x.txt"))
    assert cache.get("read", "a" * 64) == READ
    assert cache.get("norm", "a" * 64, ("vocab1", "in/x.txt")) == sample_result()
    assert cache.get("norm", "a" * 64, ("vocab2", "in/x.txt")) is None
    assert cache.get("read", "b" * 64) is None


def test_a_new_pipeline_version_invalidates_the_cache(tmp_path, monkeypatch):
    StateCache(tmp_path).put("read", "a" * 64, READ)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "99.0+000000000000")
    assert StateCache(tmp_path).get("read", "a" * 64) is None


def test_changed_code_under_the_same_version_invalidates_the_cache(tmp_path):
    """A checkout updated in place keeps its version string; its cached reads must not survive."""
    from planingest.core.version import __version__
    from planingest.run.fingerprint import source_fingerprint

    module = tmp_path / "ingest" / "text.py"
    module.parent.mkdir()
    module.write_text("VALUE = 1\n")
    before = source_fingerprint(tmp_path)
    assert before.startswith(__version__ + "+") and source_fingerprint(tmp_path) == before
    module.write_text("VALUE = 2\n")
    assert source_fingerprint(tmp_path) != before


@pytest.mark.parametrize("damage", [b"", b"not json", b"\x80\x05K\x01.", b"[1, 2]", b'{"cache_format": 2}'])
def test_a_damaged_cache_file_is_a_miss(tmp_path, damage):
    cache = StateCache(tmp_path)
    cache.put("read", "a" * 64, READ)
    (tmp_path / "read" / f"{'a' * 64}.json").write_bytes(damage)
    assert cache.get("read", "a" * 64) is None


def test_prune_keeps_only_current_documents(tmp_path):
    cache = StateCache(tmp_path)
    for doc_id in ("a" * 64, "b" * 64):
        cache.put("read", doc_id, READ)
        cache.put("norm", doc_id, sample_result(), key=1)
    assert cache.prune(["a" * 64]) == 2
    assert sorted(p.name[:1] for p in tmp_path.rglob("*.json")) == ["a", "a"]
