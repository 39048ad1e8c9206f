"""``planingest accept FILE [--catalogue DIR]``: a filled review workbook's decisions, into the catalogue.

All or nothing: see :mod:`planingest.review.accept` (reading, checking, writing,
rolling back) and :mod:`planingest.review.rules` (what each decision becomes).
Exit status 0 when every decision was recorded (or there was none), 2 when any
was refused; then nothing is written.
"""
from __future__ import annotations

import argparse
import sys

from planingest.core.i18n import _, ngettext


def register_accept(subparsers) -> None:
    p = subparsers.add_parser(
        "accept", help=_("add the decisions of a filled review workbook to the catalogue"),
        description=_("Check every decision in FILE (written by `planingest review`) and append them to the "
                      "vocabulary CSVs; nothing is written if any decision is invalid (exit status 2)."),
    )
    p.add_argument("file", metavar="FILE", help=_("the filled review workbook (.xlsx)"))
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help=_("vocabulary folder to change (default: $PLANINGEST_CATALOGUE or the built-in planingest/catalogue/data/)"))
    p.set_defaults(handler=cmd_accept)


def cmd_accept(args: argparse.Namespace) -> int:
    from planingest.review.accept import accept_workbook

    result = accept_workbook(args.file, args.catalogue)
    if result.errors:
        print(ngettext("planingest accept: {n} problem in {file}; nothing was written:",
                       "planingest accept: {n} problems in {file}; nothing was written:",
                       len(result.errors)).format(n=len(result.errors), file=args.file), file=sys.stderr)
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
        return result.exit_code
    if not result.decisions:
        print(_("planingest accept: no decision filled in {file}; nothing to do").format(file=args.file))
        return result.exit_code
    print(ngettext("planingest accept: {n} decision from {file} -> {catalogue}",
                   "planingest accept: {n} decisions from {file} -> {catalogue}", len(result.decisions)).format(
        n=len(result.decisions), file=args.file, catalogue=result.catalogue))
    for change in result.written:
        print(f"  + {change.file:<24} {change.summary}")
    for change in result.already:
        print(_("  = {file:<24} {summary} (already there)").format(file=change.file, summary=change.summary))
    print(_("the catalogue loads and every decision settles its item; "
            "run `planingest run … --out DIR` again to apply them"))
    return result.exit_code
