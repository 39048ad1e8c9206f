"""``planingest report --out DIR [--html FILE]``: one self-contained HTML file describing a finished run.

The work is in :mod:`planingest.publish.report_html` (layout), :mod:`planingest.publish.report_data`
(figures) and :mod:`planingest.publish.svg` (charts), imported when the command runs.
"""
from __future__ import annotations

import argparse

from planingest.cli.readonly import existing_output
from planingest.core.i18n import _


def register_report(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help=_("write a self-contained HTML report of a finished run"),
        description=_("Write one HTML file (charts included, no network needed) describing the tables in --out."),
    )
    p.add_argument("--out", required=True, metavar="DIR", help=_("output folder of a finished run"))
    p.add_argument("--html", metavar="FILE", default=None, help=_("file to write (default DIR/report.html)"))
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help=_("vocabulary folder (default: the one the last run used)"))
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from planingest.publish.report_html import write_report

    path = write_report(existing_output(args.out, "report"), args.html, args.catalogue)
    print(_("planingest report: {path}").format(path=path))
    return 0
