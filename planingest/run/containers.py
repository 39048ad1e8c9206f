"""Containers (zip, 7z, rar archives and e-mail) in a batch: their members become documents.

How a container is read, and why this way:

1. The container is a job like any file: a worker (with the run's time and
   memory limits) opens it (:func:`planingest.ingest.archive.members.read_archive`,
   which enforces the archive limits: total inflated size, member count,
   nesting depth, compression ratio) and writes each member once, named by
   its content, under ``OUT/.state/members/<sha256>/<name>``.  What it returns
   is only the listing (:class:`ContainerListing`: each member's path, content
   hash and parent, and what was refused), which is cached like any read.
2. The batch makes each member a submission of its own (``source_path``
   ``ARCHIVE!/MEMBER``, ``parent_id`` the container's doc_id) and reads it as a
   separate job from that file.  So every member gets the full time and memory
   limit a loose file gets, a member that hangs or crashes a reader costs that
   member only, and the read cache is keyed by the member's own content: a
   member byte-identical to a loose file (or to a member of another archive)
   is one document, read once.  Expanding and reading each member inside the
   container's one job would have shared one time limit among all members.
3. The container's own row is composed afterwards from its listing and its
   members' rows (:func:`container_rows`): ``ok`` when every member was read,
   ``partial`` with the members that failed or were refused, ``failed`` when it
   cannot be opened.  Nested containers get rows the same way.

The member files are scratch: removed at the end of the run (and at the start,
after a run that was killed).  A re-run whose members are all cached reads
nothing; a member that must be read again while its container came from the
cache has its container expanded again first.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath

from planingest.core.enums import FileFormat, Status
from planingest.core.errors import BadInputError
from planingest.core.records import ContainerListing, DocumentRecord, DocumentResult, MemberRef, ReadResult
from planingest.core.version import __version__
from planingest.ingest.archive.members import ArchiveLimits, Member, read_archive

#: the folder under ``OUT/.state`` that holds expanded members during a run
MEMBERS_DIR = "members"
_NAME_LIMIT = 100
_UNSAFE = re.compile(r"[\x00-\x1f/\\]")


def member_file(members_dir: str | os.PathLike, doc_id: str, path: str) -> Path:
    """Where a member's bytes are put: its content hash, then its own name (readers look at the suffix)."""
    name = _UNSAFE.sub("_", PurePosixPath(path.rsplit("!/", 1)[-1]).name) or "member"
    if len(name.encode()) > _NAME_LIMIT:
        suffix = PurePosixPath(name).suffix[:16]
        name = "member" + suffix
    return Path(members_dir) / doc_id / name


def _write_member(members_dir: str, doc_id: str, member: Member) -> None:
    target = member_file(members_dir, doc_id, member.path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(member.data)
        os.replace(temp, target)  # another worker may write the same member: either copy is right
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def expand_container(path: Path, data: bytes, file_format: str, members_dir: str | None,
                     limits: ArchiveLimits | None = None) -> ReadResult:
    """Open a container; each member is written under ``members_dir`` (when given) and listed.

    Never raises for a bad container: one that cannot be opened, or that passes
    a limit of the whole archive, is a ReadResult with the error (status failed).
    """
    refs: list[MemberRef] = []

    def sink(member: Member) -> None:
        doc_id = hashlib.sha256(member.data).hexdigest()
        if members_dir is not None and member.kind is None:
            _write_member(members_dir, doc_id, member)
        refs.append(MemberRef(member.path, doc_id, member.parent, member.kind))

    try:
        listing = read_archive(data, limits, sink, name=Path(path).name)
    except BadInputError as exc:
        return ReadResult(file_format, None, error=str(exc))
    return ReadResult(file_format, None, container=ContainerListing(tuple(refs), tuple(listing.refused),
                                                                    listing.title))


def find_member_file(folder: str) -> str | None:
    """The member file a worker wrote into ``folder`` (one per content); None when it is not there."""
    try:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return None
    return os.path.join(folder, names[0]) if names else None


def clear_members(members_dir: Path) -> None:
    """Remove the scratch folder of members (a file or link in its place too)."""
    if members_dir.is_symlink() or members_dir.is_file():
        members_dir.unlink(missing_ok=True)
    else:
        shutil.rmtree(members_dir, ignore_errors=True)


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def member_path(container_path: str, member: str) -> str:
    """The source_path of a member: ``bundle.zip!/附件/计划.docx``."""
    return f"{container_path}!/{member}"


def parent_ids(doc_id: str, listing: ContainerListing) -> dict[str, str]:
    """The parent_id of each member path: the container's, or the nested container's it sits in."""
    nested = {ref.path: ref.doc_id for ref in listing.members if ref.container}
    return {ref.path: nested.get(ref.parent or "", doc_id) if ref.parent else doc_id for ref in listing.members}


def _inside(path: str, container: str) -> bool:
    return not container or path.startswith(container + "!/")


def _row(doc_id: str, source_path: str, file_format: str, listing: ContainerListing, here: str,
         results: Mapping[str, DocumentResult], title: str | None, parent_id: str | None) -> DocumentResult:
    """The row of the container at member path ``here`` ("" for the submitted one)."""
    own_failure = next((reason for path, reason in listing.refused if here and path == here), None)
    if own_failure is not None:
        record = DocumentRecord.unread(doc_id, source_path, Status.FAILED, own_failure, file_format)
        return DocumentResult(replace_parent(record, parent_id))
    problems = [(path, reason) for path, reason in listing.refused if path != here and _inside(path, here)]
    members = [ref for ref in listing.members if not ref.container and _inside(ref.path, here)]
    for ref in members:
        result = results.get(ref.doc_id)
        if result is not None and result.document.status == Status.FAILED:
            problems.append((ref.path, f"failed: {result.document.error or 'not read'}"))
    total = len(members) + sum(1 for path, _ in listing.refused if path != here and _inside(path, here))
    shown = [f"{path.removeprefix(here + '!/') if here else path} ({reason})" for path, reason in problems]
    if problems:
        status, error = Status.PARTIAL, f"{len(problems)} of {total} members not read: " + "; ".join(shown)
    elif not members:
        status, error = Status.EMPTY, "no documents inside (only folders or system files)"
    else:
        status, error = Status.OK, None
    record = DocumentRecord(doc_id=doc_id, source_path=source_path, file_format=file_format, status=status,
                            error=error, title=title, pipeline_version=__version__, parent_id=parent_id)
    return DocumentResult(record)


def replace_parent(record: DocumentRecord, parent_id: str | None) -> DocumentRecord:
    return record if parent_id is None else replace(record, parent_id=parent_id)


def container_rows(doc_id: str, source_path: str, read: ReadResult, results: Mapping[str, DocumentResult],
                   parent_id: str | None = None) -> list[DocumentResult]:
    """The rows of a container and of the containers nested in it (members' own rows are the batch's).

    ``results``: the members' rows by doc_id, to tell which failed.
    """
    listing = read.container
    assert listing is not None, "only an opened container has rows made here"
    file_format = read.file_format or FileFormat.ZIP
    rows = [_row(doc_id, source_path, file_format, listing, "", results, listing.title, parent_id)]
    parents = parent_ids(doc_id, listing)
    for ref in listing.members:
        if ref.container:
            rows.append(_row(ref.doc_id, member_path(source_path, ref.path), ref.kind or "zip", listing, ref.path,
                             results,
                             None, parents[ref.path]))
    return rows

