"""The output folder a reading command (review, report, export) starts from: it must exist.

These commands read what ``planingest run`` wrote and never create the folder: a
mistyped ``--out`` is a usage error (exit status 2), not an empty folder left behind.
"""
from __future__ import annotations

from pathlib import Path

from planingest.core.errors import UsageError


def existing_output(out: str, command: str) -> Path:
    """``out`` as a Path when it is a folder; else UsageError naming it and the command that makes it."""
    folder = Path(out)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"--out {out} {what}; `planingest {command}` reads the output folder of "
                         f"`planingest run PATH --out {out}` and creates nothing")
    return folder
