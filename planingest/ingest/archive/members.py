"""The members of a zip archive, read within limits, for the batch to treat as documents.

Submissions arrive as a zip of the plan and its annexes, often made on Chinese
Windows (member names in GBK without the UTF-8 flag) or on a Mac (``__MACOSX/``
resource forks).  This module only *reads*: it returns each member's path and
bytes, and the members it refused with the reason, so that the batch can make
each member a document whose ``parent_id`` is the archive's.

Limits, all checked against the bytes actually inflated (headers lie):

* total inflated bytes of the whole archive (nested archives included),
* number of members, nesting depth of archives in archives,
* compression ratio of one member (a zip bomb inflates 1000:1 and more),
* size of one member.

Never followed: symbolic links, absolute paths, paths with ``..``; never read:
encrypted members, directories, and the debris operating systems add
(``__MACOSX/``, ``Thumbs.db``, ``desktop.ini``, ``.DS_Store``, Office's ``~$`` lock files).
7z and RAR archives are read through libarchive (``libarchive-c``, Debian's
``libarchive13``), which does not tell the compressed size of one member: their
ratio is checked over the whole archive (inflated so far against the archive's
size).  Zip stays with the standard library's :mod:`zipfile`, which gives each
member's compressed size, its UTF-8 flag and its encryption bit.  An e-mail
(:mod:`planingest.ingest.archive.mail`, and Outlook's ``.msg``:
:mod:`planingest.ingest.archive.outlook`) is a container too: its body and its
attachments are members.

Nested containers (a zip in a rar, an archive attached to a mail) are opened
to ``max_depth``; the path of a member of a nested container is written
``OUTER!/INNER``, as the data contract spells it (``材料.zip!/表1.xlsx``).
Members are handed to a *sink* one at a time (:func:`read_archive` with a
sink), so the caller can write each to disk and let it go instead of holding
the whole archive inflated in memory.
"""
from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from planingest.core.errors import BadInputError
from planingest.ingest.archive import mail, outlook

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OTHER_ARCHIVES = ((b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"))
_UTF8_FLAG = 0x800
CHUNK = 1024 * 1024
_ENCRYPTED_FLAG = 0x1
#: names operating systems and Office leave in archives; never documents
_DEBRIS_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"})
_DEBRIS_PREFIXES = ("~$", "._")
_DEBRIS_FOLDERS = frozenset({"__macosx", ".git", ".svn"})


@dataclass(frozen=True)
class ArchiveLimits:
    max_total_bytes: int = 1024 * 1024 * 1024
    max_member_bytes: int = 256 * 1024 * 1024
    max_members: int = 5000
    max_depth: int = 3  # an archive inside an archive inside an archive, no deeper
    max_ratio: float = 200.0  # inflated/compressed of one member; only checked above RATIO_FLOOR bytes
    ratio_floor: int = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One member: its path inside the archive ("附件/表1.xlsx"; nested: "材料.zip/表1.xlsx")."""

    path: str
    data: bytes
    #: the path of the archive member this one was found in; None for members of the submitted archive
    parent: str | None = None
    depth: int = 1
    #: "zip", "7z", "rar", "eml" or "msg" when the member is a container (opened in turn); None for a document
    kind: str | None = None


@dataclass
class ArchiveListing:
    members: list[Member] = field(default_factory=list)
    #: (member path, reason) of members not returned: unsafe, encrypted, too large, debris is not listed
    refused: list[tuple[str, str]] = field(default_factory=list)
    #: the Subject of an e-mail (None for archives)
    title: str | None = None


Sink = Callable[[Member], None]


def archive_kind(data: bytes) -> str | None:
    """"zip", "7z" or "rar" from the magic bytes; None for anything else."""
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    return next((kind for magic, kind in _OTHER_ARCHIVES if data.startswith(magic)), None)


#: what :func:`container_kind` returns: the ``file_format`` values of containers
CONTAINER_KINDS = ("zip", "7z", "rar", "eml", "msg")
#: parts that make a zip a document package (DOCX, XLSX, ODF, OFD), not an archive of files; the same
#: parts :func:`planingest.ingest.detect.detect_format` tells packages by
_PACKAGE_PARTS = frozenset({"[Content_Types].xml", "mimetype", "OFD.xml", "word/document.xml", "xl/workbook.xml"})


def _is_package(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return not _PACKAGE_PARTS.isdisjoint(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False  # opened as an archive, it fails there with the cause


def container_kind(data: bytes, name: str = "") -> str | None:
    """"zip", "7z", "rar", "eml" or "msg" for a container of documents; None for anything else (a DOCX too).

    The same decision as :func:`planingest.ingest.detect.detect_format` (which this
    family may not import): archive magic, a zip that is no document package, an
    e-mail's header block, a compound file whose root is an Outlook item's.
    """
    kind = archive_kind(data)
    if kind == "zip":
        return None if _is_package(data) else "zip"
    if kind is not None:
        return kind
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    if outlook.is_outlook_message(data, suffix):
        return "msg"
    return "eml" if mail.looks_like_email(data, suffix) else None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: GBK (or UTF-8) bytes without the UTF-8 flag are re-decoded.

    Without the flag the zip format says CP437, which Python applies; Chinese
    Windows' built-in zip and WinRAR write the ANSI code page (GBK) instead.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return decode_name(raw) or info.filename


def decode_name(raw: bytes) -> str | None:
    """A member name given as bytes in an unknown encoding: UTF-8, else GB18030 (a superset of GBK)."""
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def safe_path(name: str) -> str | None:
    """A relative member path without ``..`` or drive letters, "/"-separated; None when it is unsafe."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def is_debris(path: str) -> bool:
    """Files operating systems and Office add to archives (resource forks, thumbnails, lock files)."""
    parts = path.split("/")
    base = parts[-1].lower()
    return (any(p.lower() in _DEBRIS_FOLDERS for p in parts[:-1]) or base in _DEBRIS_NAMES
            or parts[-1].startswith(_DEBRIS_PREFIXES))


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)



class _Reader:
    def __init__(self, limits: ArchiveLimits, sink: Sink | None):
        self.limits = limits
        self.listing = ArchiveListing()
        self.sink = sink or self.listing.members.append
        self.total = 0
        self.count = 0

    # -- one container -----------------------------------------------------

    def open(self, kind: str, data: bytes, prefix: str, parent: str | None, depth: int) -> None:
        where = f" {parent}" if parent else ""
        if kind == "zip":
            self.zip(data, prefix, parent, depth, where)
        elif kind == "eml":
            self.mail(data, prefix, parent, depth)
        elif kind == "msg":
            self.outlook(data, prefix, parent, depth)
        else:
            self.libarchive(kind, data, prefix, parent, depth, where)

    def zip(self, data: bytes, prefix: str, parent: str | None, depth: int, where: str) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise BadInputError(f"truncated or corrupt zip archive{where}: {exc}") from None
        with archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                shown = self.admit(member_name(info), prefix, link=_is_link(info),
                                   encrypted=bool(info.flag_bits & _ENCRYPTED_FLAG))
                if shown is None:
                    continue
                if info.file_size > self.limits.max_member_bytes:
                    self.refuse(shown, f"inflates to {info.file_size} bytes: over the "
                                       f"{self.limits.max_member_bytes}-byte limit")
                    continue
                ratio_cap = max(self.limits.ratio_floor, int(self.limits.max_ratio * max(info.compress_size, 1)))
                try:
                    with archive.open(info) as handle:
                        member = self.inflate(iter(lambda h=handle: h.read(CHUNK), b""), shown, ratio_cap)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                        ValueError) as exc:
                    self.refuse(shown, f"damaged member, cannot be unpacked ({exc})")
                    continue
                if member is not None:
                    self.found(shown, member, parent, depth)

    def libarchive(self, kind: str, data: bytes, prefix: str, parent: str | None, depth: int, where: str) -> None:
        """7z and RAR; the ratio is the archive's (inflated so far / its size), see the module docstring."""
        try:
            import libarchive
        except ImportError:
            raise BadInputError(f"reading {kind} archives needs libarchive: pip install libarchive-c "
                                f"(and apt-get install libarchive13)") from None
        ratio_cap = max(self.limits.ratio_floor, int(self.limits.max_ratio * len(data)))
        inflated = 0
        try:
            with libarchive.memory_reader(data) as archive:
                for entry in archive:
                    if entry.isdir:
                        continue
                    name = entry.pathname
                    if isinstance(name, bytes):
                        name = decode_name(name) or name.decode("utf-8", "replace")
                    shown = self.admit(name, prefix, link=entry.issym or entry.islnk, special=not entry.isreg)
                    if shown is None:
                        continue
                    size = entry.size
                    if size is not None and size > self.limits.max_member_bytes:
                        self.refuse(shown, f"inflates to {size} bytes: over the "
                                           f"{self.limits.max_member_bytes}-byte limit")
                        continue
                    try:
                        member = self.inflate(iter(entry.get_blocks()), shown, ratio_cap - inflated)
                    except libarchive.ArchiveError as exc:
                        reason = str(exc.msg or "unreadable data")
                        self.refuse(shown, "password-protected member: remove the password and resubmit"
                                    if "ncrypt" in reason or "assphrase" in reason
                                    else f"damaged member, cannot be unpacked ({reason})")
                        continue
                    if member is None:
                        if self.listing.refused[-1][1].startswith("compression ratio"):
                            return  # the archive's ratio is spent: nothing after this member is read
                        continue
                    inflated += len(member)
                    self.found(shown, member, parent, depth)
        except libarchive.ArchiveError as exc:
            if self.count == 0 and parent is None:
                raise BadInputError(f"truncated or corrupt {kind} archive: {exc.msg or 'cannot be opened'}") from None
            self.refuse(prefix.removesuffix("!/") or kind, f"the {kind} archive{where} is damaged from here on "
                                                           f"({exc.msg or 'cannot be read'}): the rest is not read")

    def mail(self, data: bytes, prefix: str, parent: str | None, depth: int) -> None:
        message = mail.parse(data)
        if parent is None:
            self.listing.title = mail.subject(message)
        body = mail.body(message)
        self.parts(([body] if body else []) + list(mail.attachments(message)), prefix, parent, depth)

    def outlook(self, data: bytes, prefix: str, parent: str | None, depth: int) -> None:
        message = outlook.read(data, self.limits.max_members)
        if parent is None:
            self.listing.title = message.subject
        self.parts(([message.body] if message.body else []) + message.attachments, prefix, parent, depth)
        for name, reason in message.refused:
            shown = self.admit(name, prefix)
            if shown is not None:
                self.refuse(shown, reason)

    def parts(self, parts: list[tuple[str, bytes]], prefix: str, parent: str | None, depth: int) -> None:
        """The body and attachments of an e-mail, each a member (the limits of members apply)."""
        for name, payload in parts:
            shown = self.admit(name, prefix)
            if shown is None:
                continue
            if len(payload) > self.limits.max_member_bytes:
                self.refuse(shown, f"{len(payload)} bytes: over the {self.limits.max_member_bytes}-byte limit")
                continue
            member = self.inflate(iter((payload,)), shown, self.limits.max_member_bytes + 1)
            if member is not None:
                self.found(shown, member, parent, depth)

    # -- one member ----------------------------------------------------------

    def refuse(self, shown: str, reason: str) -> None:
        self.listing.refused.append((shown, reason))

    def admit(self, name: str, prefix: str, *, link: bool = False, encrypted: bool = False,
              special: bool = False) -> str | None:
        """The member's shown path if it is to be read; None (refused with the reason, or debris) if not."""
        path = safe_path(name)
        shown = prefix + (path or name)
        if path is None:
            self.refuse(shown, "unsafe path (absolute or leaving the archive): not extracted")
            return None
        if is_debris(path):
            return None
        if link:
            self.refuse(shown, "a symbolic link: not followed")
            return None
        if special:
            self.refuse(shown, "not a regular file: not extracted")
            return None
        if encrypted:
            self.refuse(shown, "password-protected member: remove the password and resubmit")
            return None
        self.count += 1
        if self.count > self.limits.max_members:
            raise BadInputError(f"archive with more than {self.limits.max_members} members: not read (zip bomb?)")
        return shown

    def inflate(self, chunks_in, shown: str, ratio_cap: int) -> bytes | None:
        """The member's bytes, read in chunks so a bomb is stopped by its ratio before it fills memory."""
        limits = self.limits
        budget = min(limits.max_member_bytes, limits.max_total_bytes - self.total)
        chunks: list[bytes] = []
        size = 0
        for chunk in chunks_in:
            size += len(chunk)
            chunks.append(bytes(chunk))
            if size > ratio_cap:
                self.refuse(shown, f"compression ratio over {limits.max_ratio:.0f}:1 (archive bomb?): not read")
                return None
            if size > budget:
                if budget < limits.max_member_bytes:
                    raise BadInputError(f"archive inflates to more than {limits.max_total_bytes} bytes: "
                                        f"not read (archive bomb?)")
                self.refuse(shown, f"inflates to more than {limits.max_member_bytes} bytes")
                return None
        self.total += size
        return b"".join(chunks)

    def found(self, shown: str, data: bytes, parent: str | None, depth: int) -> None:
        """Hand a member to the sink; open it in turn when it is a container."""
        kind = container_kind(data, shown)
        if kind is None:
            self.sink(Member(shown, data, parent, depth))
            return
        if depth >= self.limits.max_depth:
            self.refuse(shown, f"archive nested more than {self.limits.max_depth} deep: not opened")
            return
        self.sink(Member(shown, data, parent, depth, kind))
        try:
            self.open(kind, data, shown + "!/", shown, depth + 1)
        except BadInputError as exc:
            if "more than" in str(exc):  # a limit of the whole archive: it ends the reading
                raise
            self.refuse(shown, str(exc))


def read_archive(data: bytes, limits: ArchiveLimits | None = None, sink: Sink | None = None,
                 name: str = "") -> ArchiveListing:
    """Every member of a zip, 7z or rar archive or an e-mail (nested containers opened) within ``limits``.

    Members go to ``sink`` one at a time when one is given, else into the
    listing's ``members``.  BadInputError when the container cannot be opened
    or a limit of the whole archive is passed.
    """
    kind = container_kind(data, name) or archive_kind(data)
    if kind is None:
        raise BadInputError("not an archive or an e-mail")
    reader = _Reader(limits or ArchiveLimits(), sink)
    reader.open(kind, data, "", None, 1)
    return reader.listing
