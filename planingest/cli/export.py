"""``planingest export --out DIR --format csv|xlsx|duckdb [--dest PATH]``: the tables researchers ask for.

The tables are built by :mod:`planingest.publish.export_tables`, imported when the command runs.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from planingest.cli.readonly import existing_output
from planingest.core.errors import UsageError
from planingest.core.i18n import _, ngettext

FORMATS = ("csv", "xlsx", "duckdb")


def register_export(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help=_("write researchers' tables (targets by region, responsibilities, panel, data dictionary)"),
        description=_("Write a wide region × indicator table of targets, a long table of indicator–department "
                      "responsibilities, a region × year × indicator panel (targets, measured values, "
                      "assessments) and a data dictionary, as CSV files, one Excel workbook or one DuckDB "
                      "database (which also holds the five tables of the run)."),
    )
    p.add_argument("--out", required=True, metavar="DIR", help=_("output folder of a finished run"))
    p.add_argument("--format", required=True, choices=FORMATS,
                   help=_("csv (a folder of files), xlsx (one workbook) or duckdb (one database)"))
    p.add_argument("--dest", metavar="PATH", default=None,
                   help=_("where to write (default: DIR/export/ for csv, DIR/export.xlsx, DIR/export.duckdb)"))
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help=_("vocabulary folder (default: the one the last run used)"))
    p.set_defaults(handler=cmd_export)


def default_dest(out: Path, fmt: str) -> Path:
    return out / ("export" if fmt == "csv" else f"export.{fmt}")


def cmd_export(args: argparse.Namespace) -> int:
    from planingest.publish.export_tables import build_export, write_export

    out = existing_output(args.out, "export")
    dest = Path(args.dest) if args.dest else default_dest(out, args.format)
    if args.format == "csv" and dest.exists() and not dest.is_dir():
        raise UsageError(_("--dest {dest} exists and is not a folder (csv writes one file per table)").format(dest=dest))
    if args.format != "csv" and dest.is_dir():
        raise UsageError(_("--dest {dest} is a folder ({format} writes one file)").format(dest=dest, format=args.format))
    frames = build_export(out, args.catalogue)
    written = write_export(frames, args.format, dest, out)
    shown = _(", ").join(ngettext("{name} {n} row", "{name} {n} rows", len(frame)).format(name=name, n=len(frame))
                         for name, frame in frames.items())
    print(_("planingest export: {tables} -> {files}").format(tables=shown, files=", ".join(map(str, written))))
    return 0
