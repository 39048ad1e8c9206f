"""Submissions: distinct documents by content, each with every path it was found under.

Content is identity: a file copied under two paths is one document (the first
path in sorted order names it), a renamed file is not read again.  Hashing
happens in the parent before any worker's limit applies, so a file larger than
``--max-file-mb`` is refused unhashed.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

from planingest.run.discover import display_path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Submission:
    """One distinct document: its content hash and every path it was found under."""

    doc_id: str
    paths: tuple[str, ...]
    #: found by an earlier run under a folder that cannot be listed now: rows from the cache only
    kept: bool = False
    #: a member of a container (archive, e-mail): the doc_id of the container it is in
    parent_id: str | None = None
    #: a member: the folder its container's worker wrote its bytes to (run/containers.py)
    member_dir: str | None = None
    #: a member: the submitted container it came from, expanded again if its bytes are needed
    container: Submission | None = None

    @property
    def source_path(self) -> str:
        """The first path, for display and the tables (bytes that are not UTF-8 as ``\\xNN``)."""
        return display_path(self.paths[0])

    @property
    def open_path(self) -> str:
        """The first path as the kernel knows it (for reading the file)."""
        return self.paths[0]





def file_sha256(path: str) -> str:
    """The SHA-256 of a regular file; OSError for anything else.

    Opened without blocking, so that a regular file replaced by a FIFO after it
    was found cannot hang the run.
    """
    digest = hashlib.sha256()
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def group_by_content(files: Sequence[str], max_file_mb: float | None = None,
                     ) -> tuple[list[Submission], list[tuple[str, str]]]:
    """Hash ``files`` (sorted) into submissions; also return (path, error) of unreadable ones.

    A file larger than ``max_file_mb`` is not hashed (hashing comes before any
    worker's limit applies): it fails with its size and the option to raise.
    """
    by_hash: dict[str, list[str]] = {}
    unreadable: list[tuple[str, str]] = []
    for path in files:
        try:
            size = os.stat(path).st_size
            if max_file_mb is not None and size > max_file_mb * 1024 * 1024:
                unreadable.append((path, f"the file is {size / 1024 / 1024:.0f} MB, more than the "
                                         f"{max_file_mb:g} MB limit; raise --max-file-mb to read it"))
                continue
            by_hash.setdefault(file_sha256(path), []).append(path)
        except OSError as exc:
            unreadable.append((path, f"cannot open the file: {exc.strerror or exc}"))
    submissions = [Submission(doc_id, tuple(sorted(paths))) for doc_id, paths in by_hash.items()]
    submissions.sort(key=lambda s: s.source_path)
    return submissions, unreadable
