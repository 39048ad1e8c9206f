"""Write the column tables of ``output/README.md`` from the one schema (``planingest.core.schema``).

The tables between ``<!-- columns:NAME -->`` and ``<!-- /columns -->`` are generated;
everything else in the file is prose kept by hand.  Run after changing a column::

    .venv/bin/python -m tools.render_output_readme          # rewrite output/README.md
    .venv/bin/python -m tools.render_output_readme --check  # exit 1 when it is stale (the tests do this)
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pyarrow as pa

from planingest.core.schema import TABLES, Column

README = Path(__file__).resolve().parents[1] / "output" / "README.md"
_BLOCK = re.compile(r"(<!-- columns:(?P<table>\w+) -->\n).*?(<!-- /columns -->)", re.S)


def type_name(column: Column) -> str:
    t = column.type
    name = ("list<string>" if pa.types.is_list(t) else "string" if pa.types.is_string(t) else
            "int" if pa.types.is_integer(t) else "float" if pa.types.is_floating(t) else
            "bool" if pa.types.is_boolean(t) else "date" if pa.types.is_date(t) else str(t))
    return f"{name}, null" if column.nullable and name != "list<string>" else name


def column_table(table: str) -> str:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    for column in TABLES[table]:
        meaning = column.meaning.replace("|", "\\|")
        lines.append(f"| {column.name} | {type_name(column)} | {'*extra:* ' if column.extra else ''}{meaning} |")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    return _BLOCK.sub(lambda m: m.group(1) + column_table(m.group("table")) + m.group(3), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is current")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    fresh = render(text)
    if args.check:
        if fresh != text:
            print(f"{README} is stale: run python -m tools.render_output_readme", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
