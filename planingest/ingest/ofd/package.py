"""An OFD package: a zip of XML parts, opened defensively.

Part names in OFD are "BaseLoc" paths, absolute from the package root or
relative to the part that names them; a path that climbs out of the package
(``..``) is refused.  XML is parsed as the OOXML reader does it: no entity
expansion, no DTD, no network, no huge trees (hostile files carry XXE and
entity bombs), and no part may unpack to more than MAX_PART_BYTES.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from planingest.core.errors import BadInputError

#: no OFD page or resource description is this large; a bigger part is a zip bomb
MAX_PART_BYTES = 64 * 1024 * 1024
#: an embedded page image (a scan) may be larger than XML, but not without limit
MAX_MEDIA_BYTES = 128 * 1024 * 1024
MAX_PARTS = 20_000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def local(el) -> str:
    """Tag name without namespace ("{http://www.ofdspec.org/2016}Page" → "Page")."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def children(el, name: str) -> list:
    return [c for c in el if local(c) == name]


def first(el, *path: str):
    """The first descendant along ``path`` of local names, or None."""
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if local(c) == name), None)
    return el


def text_of(el) -> str:
    return (el.text or "").strip() if el is not None else ""


class OfdPackage:
    def __init__(self, data: bytes):
        if not data:
            raise BadInputError("empty file (0 bytes), not an OFD")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise BadInputError(f"truncated or corrupt OFD: not a complete zip archive ({exc})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            raise BadInputError(f"OFD with {len(infos)} parts: more than any document has (limit {MAX_PARTS})")
        self.names = {info.filename: info for info in infos}
        self._folded = {name.lower(): name for name in self.names}

    def resolve(self, loc: str, base: str = "") -> str:
        """The package part a BaseLoc names, relative to the folder of part ``base``."""
        loc = loc.strip().replace("\\", "/")
        if not loc:
            raise BadInputError("damaged OFD: an empty part reference")
        joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
        name = posixpath.normpath(joined)
        if name.startswith("../") or name == ".." or name.startswith("/"):
            raise BadInputError(f"damaged or hostile OFD: part reference {loc!r} points outside the package")
        return name

    def has(self, name: str) -> bool:
        return name in self.names or name.lower() in self._folded

    def read(self, name: str, limit: int | None = None) -> bytes:
        limit = limit or MAX_PART_BYTES
        info = self.names.get(name) or self.names.get(self._folded.get(name.lower(), ""))
        if info is None:
            raise BadInputError(f"damaged OFD: part {name} is missing")
        if info.file_size > limit:
            raise BadInputError(f"OFD part {name} unpacks to {info.file_size} bytes: too large (zip bomb?)")
        try:
            with self.zip.open(info) as handle:
                content = handle.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise BadInputError(f"damaged OFD: part {name} cannot be unpacked ({exc})") from None
        if len(content) > limit:
            raise BadInputError(f"OFD part {name} unpacks to more than {limit} bytes: too large (zip bomb?)")
        return content

    def xml(self, name: str):
        try:
            root = etree.fromstring(self.read(name), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise BadInputError(f"damaged OFD: {name} is not well-formed XML ({exc})") from None
        if root is None:
            raise BadInputError(f"damaged OFD: {name} is empty")
        return root
