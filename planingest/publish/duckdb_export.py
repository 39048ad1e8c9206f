"""``planingest export --format duckdb``: one DuckDB database a researcher opens with SQL.

It holds the five tables of the output folder (read from their Parquet files, so types are
the contract's) and the export tables (targets_wide, responsibilities, panel,
data_dictionary), every column commented with its meaning from the data dictionary
(``SELECT * FROM duckdb_columns()`` shows them).  Written to a temporary file and moved into
place, so a failed export never leaves half a database.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from planingest.core.errors import UsageError
from planingest.core.schema import TABLE_NAMES


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def write_duckdb(frames: dict[str, pd.DataFrame], dest: Path, out: Path | None) -> Path:
    try:
        import duckdb
    except ImportError as exc:  # an optional extra
        raise UsageError("--format duckdb needs the duckdb package: pip install 'planingest[duckdb]'") from exc
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name in TABLE_NAMES if out is not None else ():
                path = Path(out) / f"{name}.parquet"  # type: ignore[arg-type]
                if path.exists():
                    con.execute(f"CREATE TABLE {_quote(name)} AS SELECT * FROM read_parquet({_literal(path)})")
            for name, frame in frames.items():
                con.register("_frame", frame)
                con.execute(f"CREATE TABLE {_quote(name)} AS SELECT * FROM _frame")
                con.unregister("_frame")
            _comment(con, frames.get("data_dictionary"))
        finally:
            con.close()
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _comment(con, dictionary: pd.DataFrame | None) -> None:
    """COMMENT ON COLUMN for every (table, column) of the data dictionary present in the database."""
    if dictionary is None:
        return
    present = set(con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall())
    for row in dictionary.itertuples(index=False):
        if (row.table, row.column) in present:
            con.execute(f"COMMENT ON COLUMN {_quote(row.table)}.{_quote(row.column)} IS {_literal(row.meaning)}")
