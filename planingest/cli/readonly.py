"""The output folder a reading command (review, report, export) starts from: it must exist.

These commands read what ``planingest run`` wrote and never create the folder: a
mistyped ``--out`` is a usage error (exit status 2), not an empty folder left behind.
"""
from __future__ import annotations

from pathlib import Path

from planingest.core.errors import UsageError
from planingest.core.i18n import _


def existing_output(out: str, command: str) -> Path:
    """``out`` as a Path when it is a folder; else UsageError naming it and the command that makes it."""
    folder = Path(out)
    if not folder.is_dir():
        what = _("is not a folder") if folder.exists() else _("does not exist")
        raise UsageError(_("--out {out} {what}; `planingest {command}` reads the output folder of "
                           "`planingest run PATH --out {out}` and creates nothing").format(
            out=out, what=what, command=command))
    return folder
