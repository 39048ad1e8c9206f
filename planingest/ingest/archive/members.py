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
7z and RAR archives need third-party readers (py7zr, rarfile with unrar) and are
not read here: :func:`read_archive` refuses them with that cause.
"""
from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass, field

from planingest.core.errors import BadInputError, UnsupportedFormatError

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


@dataclass
class ArchiveListing:
    members: list[Member] = field(default_factory=list)
    #: (member path, reason) of members not returned: unsafe, encrypted, too large, debris is not listed
    refused: list[tuple[str, str]] = field(default_factory=list)


def archive_kind(data: bytes) -> str | None:
    """"zip", "7z" or "rar" from the magic bytes; None for anything else."""
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    return next((kind for magic, kind in _OTHER_ARCHIVES if data.startswith(magic)), None)


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
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


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
    def __init__(self, limits: ArchiveLimits):
        self.limits = limits
        self.listing = ArchiveListing()
        self.total = 0
        self.count = 0

    def zip(self, data: bytes, prefix: str, parent: str | None, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise BadInputError(f"truncated or corrupt zip archive{' ' + parent if parent else ''}: {exc}") from None
        with archive:
            for info in archive.infolist():
                self.member(archive, info, prefix, parent, depth)

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, prefix: str, parent: str | None,
               depth: int) -> None:
        if info.is_dir():
            return
        name = member_name(info)
        path = safe_path(name)
        shown = prefix + (path or name)
        if path is None:
            self.listing.refused.append((shown, "unsafe path (absolute or leaving the archive): not extracted"))
            return
        if is_debris(path):
            return
        if _is_link(info):
            self.listing.refused.append((shown, "a symbolic link: not followed"))
            return
        if info.flag_bits & _ENCRYPTED_FLAG:
            self.listing.refused.append((shown, "password-protected member: remove the password and resubmit"))
            return
        self.count += 1
        if self.count > self.limits.max_members:
            raise BadInputError(f"archive with more than {self.limits.max_members} members: not read (zip bomb?)")
        data = self.inflate(archive, info, shown)
        if data is None:
            return
        if archive_kind(data) == "zip":
            if depth >= self.limits.max_depth:
                self.listing.refused.append((shown, f"archive nested more than {self.limits.max_depth} deep: not opened"))
                return
            self.listing.members.append(Member(shown, data, parent, depth))
            self.zip(data, shown + "/", shown, depth + 1)
            return
        self.listing.members.append(Member(shown, data, parent, depth))

    def inflate(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes | None:
        """The member's bytes, read in chunks so a bomb is stopped by its ratio before it fills memory."""
        limits = self.limits
        if info.file_size > limits.max_member_bytes:
            self.listing.refused.append((shown, f"inflates to {info.file_size} bytes: over the "
                                                f"{limits.max_member_bytes}-byte limit"))
            return None
        budget = min(limits.max_member_bytes, limits.max_total_bytes - self.total)
        ratio_cap = max(limits.ratio_floor, int(limits.max_ratio * max(info.compress_size, 1)))
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    chunks.append(chunk)
                    if size > ratio_cap:
                        self.listing.refused.append((shown, f"compression ratio over {limits.max_ratio:.0f}:1 "
                                                            f"(zip bomb?): not read"))
                        return None
                    if size > budget:
                        if budget < limits.max_member_bytes:
                            raise BadInputError(f"archive inflates to more than {limits.max_total_bytes} bytes: "
                                                f"not read (zip bomb?)")
                        self.listing.refused.append((shown, f"inflates to more than {limits.max_member_bytes} bytes"))
                        return None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            self.listing.refused.append((shown, f"damaged member, cannot be unpacked ({exc})"))
            return None
        self.total += size
        return b"".join(chunks)


def read_archive(data: bytes, limits: ArchiveLimits | None = None) -> ArchiveListing:
    """Every member of a zip archive (nested zips opened) within ``limits``; BadInputError past them."""
    kind = archive_kind(data)
    if kind in ("7z", "rar"):
        raise UnsupportedFormatError(f"{kind} archives are not read yet: unpack it and submit the files")
    if kind != "zip":
        raise BadInputError("not a zip archive")
    reader = _Reader(limits or ArchiveLimits())
    reader.zip(data, "", None, 1)
    return reader.listing
