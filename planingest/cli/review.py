"""``planingest review --out DIR [--xlsx FILE]``: the review queue as an Excel workbook to fill in.

The work is in :mod:`planingest.review.queue` (what goes in a row) and
:mod:`planingest.review.sheets` (the workbook's layout); it is imported when the
command runs, so that ``planingest --help`` and ``planingest run`` do not pay for it.
"""
from __future__ import annotations

import argparse


def register_review(subparsers) -> None:
    p = subparsers.add_parser(
        "review", help="write the review queue as an Excel workbook to fill in",
        description="Write DIR/review.xlsx: one sheet per kind of item (indicator, department, region, "
                    "document) with a decision column to fill in; then run `planingest accept FILE`.",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="output folder of a finished run")
    p.add_argument("--xlsx", metavar="FILE", default=None, help="workbook to write (default DIR/review.xlsx)")
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help="vocabulary folder (default: the one the last run used)")
    p.set_defaults(handler=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    from planingest.review.queue import build_review_workbook

    path, counts = build_review_workbook(args.out, args.xlsx, args.catalogue)
    total = sum(counts.values())
    shown = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    print(f"planingest review: {total} items ({shown}) -> {path}")
    if total:
        print(f"fill the decision column, then run: planingest accept {path}")
    return 0
