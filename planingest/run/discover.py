"""Finding the input files: every file and every folder is accounted for.

Walking reports what it could not do instead of hiding it (``os.walk`` without
``onerror`` silently drops a folder it cannot list, and with it every document
under it): a folder that cannot be listed is a failure naming it, a FIFO or a
device is skipped with the reason, a link out of the input roots is not
followed unless asked.

File names are bytes to the kernel and need not be UTF-8 (a name written by a
GBK system).  Python hands them over as ``str`` with surrogate escapes; they are
kept that way for opening the file, and :func:`display_path` gives the form for
people, logs and Parquet: the name as UTF-8, with each byte that is not UTF-8
written ``\\xNN``.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planingest.core.errors import UsageError
from planingest.core.i18n import _


def display_path(path: str | os.PathLike) -> str:
    """``path`` as text that any encoder accepts: undecodable bytes become ``\\xNN``."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        raw = os.fspath(path).encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def raw_path_hex(path: str | os.PathLike) -> str | None:
    """The path's bytes in hex when its display form is not the name itself (else None)."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return None


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


@dataclass
class Discovery:
    """What walking the inputs found."""

    files: list[str] = field(default_factory=list)  # regular files (and dangling links), sorted
    #: (path, status, reason) of what is not a readable file: failed (a folder that cannot be
    #: listed) or skipped (a FIFO, a device, a link out of the inputs)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    unreadable_folders: list[str] = field(default_factory=list)


def discover(paths: Iterable[str | os.PathLike], exclude: Iterable[Path] = (),
             follow_symlinks: bool = False) -> Discovery:
    """Every file under ``paths``; see the module docstring.

    Hidden folders (.git, .state, …) are not entered, nor the excluded ones (the
    output folder), and a folder reached twice through symlinks is walked once.
    Raises UsageError when an input itself is missing or cannot be listed.
    """
    names: list[str] = [os.fsdecode(p) for p in paths]
    excluded = {Path(p).resolve() for p in exclude}
    roots = [Path(p).resolve() for p in names]
    found = Discovery()
    files: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def inside(path: str) -> bool:
        if not os.path.exists(path):
            return True  # a dangling link leaks nothing: it fails as a file that cannot be opened
        target = Path(path).resolve()
        return follow_symlinks or any(target == r or target.is_relative_to(r) for r in roots)

    for root in names:
        if not os.path.lexists(root):
            raise UsageError(_("no such file or folder: {path}").format(path=display_path(root)))
        if not os.path.isdir(root):
            _add_file(root, found, files)
            continue
        errors: list[OSError] = []
        for folder, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
            try:
                st = os.stat(folder)
            except OSError as exc:
                errors.append(exc)
                dirnames[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen_dirs or Path(folder).resolve() in excluded:
                dirnames[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            kept = []
            for name in sorted(d for d in dirnames if not d.startswith(".")):
                path = os.path.join(folder, name)
                if os.path.islink(path) and not inside(path):
                    found.problems.append((path, "skipped", _outside(path)))
                else:
                    kept.append(name)
            dirnames[:] = kept
            for name in filenames:
                path = os.path.join(folder, name)
                if os.path.islink(path) and not inside(path):
                    found.problems.append((path, "skipped", _outside(path)))
                else:
                    _add_file(path, found, files)
        for error in errors:
            where = os.fsdecode(error.filename) if error.filename is not None else root
            if os.path.abspath(where) == os.path.abspath(root):
                raise UsageError(_("cannot read the input folder {path}: {error}").format(
                    path=display_path(root), error=error.strerror or error))
            found.unreadable_folders.append(where)
            found.problems.append((where, "failed", f"cannot read the folder: {error.strerror or error}; "
                                                    "the rows of its documents from the previous run are kept"))
    found.files = sorted(files)
    found.problems.sort()
    return found


def _outside(path: str) -> str:
    target = display_path(os.path.realpath(path))
    return f"symbolic link to {target}, outside the inputs: not followed (pass --follow-symlinks to follow it)"


def _add_file(path: str, found: Discovery, files: set[str]) -> None:
    """Regular files, and dangling links (reported as unreadable when opened); special files skipped."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        files.add(path)
        return
    if stat.S_ISREG(mode):
        files.add(path)
        return
    for test, what in _SPECIAL:
        if test(mode):
            found.problems.append((path, "skipped", f"not a regular file: {what}"))
            return
    found.problems.append((path, "skipped", "not a regular file"))


def collect_files(paths: Iterable[str | os.PathLike], exclude: Iterable[Path] = (),
                  follow_symlinks: bool = False) -> list[str]:
    """The regular files :func:`discover` finds (what earlier versions returned)."""
    return discover(paths, exclude, follow_symlinks).files
