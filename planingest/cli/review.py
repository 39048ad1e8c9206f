"""``planingest review --out DIR [--xlsx FILE]``: the review queue as an Excel workbook to fill in.

The work is in :mod:`planingest.review.queue` (what goes in a row),
:mod:`planingest.review.carry` (keeping the decisions already filled in) and
:mod:`planingest.review.workbook` (the workbook on screen and on paper); it is
imported when the command runs, so that ``planingest --help`` and ``planingest
run`` do not pay for it.
"""
from __future__ import annotations

import argparse

from planingest.cli.readonly import existing_output
from planingest.core.i18n import _, ngettext


def register_review(subparsers) -> None:
    p = subparsers.add_parser(
        "review", help=_("write the review queue as an Excel workbook to fill in"),
        description=_("Write DIR/review.xlsx: one sheet per kind of item (indicator, department, region, "
                      "document) with a decision column to fill in; then run `planingest accept FILE`. "
                      "Decisions already filled in the workbook are carried into the new one."),
    )
    p.add_argument("--out", required=True, metavar="DIR", help=_("output folder of a finished run"))
    p.add_argument("--xlsx", metavar="FILE", default=None, help=_("workbook to write (default DIR/review.xlsx)"))
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help=_("vocabulary folder (default: the one the last run used)"))
    p.add_argument("--fresh", action="store_true",
                   help=_("start with empty decisions: refused when the workbook holds filled decisions, "
                          "unless --force"))
    p.add_argument("--force", action="store_true",
                   help=_("overwrite the workbook without reading it (its filled decisions are lost)"))
    p.set_defaults(handler=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    from planingest.review.queue import build_review_workbook

    out = existing_output(args.out, "review")
    result = build_review_workbook(out, args.xlsx, args.catalogue, fresh=args.fresh, force=args.force)
    total = sum(result.counts.values())
    shown = _(", ").join(f"{n} {_(kind)}" for kind, n in result.counts.items())
    print(ngettext("planingest review: {n} item ({kinds}) -> {path}", "planingest review: {n} items ({kinds}) -> {path}",
                   total).format(n=total, kinds=shown, path=result.path))
    if result.carried or result.notes:
        print(_("kept from the previous workbook: {carried} decision(s) on their rows, {notes} listed on the sheet "
                "'{sheet}' (their item is no longer in the queue)").format(
            carried=result.carried, notes=result.notes, sheet=_("carried over")))
    if total:
        print(_("fill the decision column, then run: planingest accept {path}").format(path=result.path))
    return 0
