"""An OFD package: a zip of XML parts, opened defensively.

Part names in OFD are "BaseLoc" paths, absolute from the package root or
relative to the part that names them; a path that climbs out of the package
(``..``) is refused.  XML is parsed as the OOXML reader does it: no entity
expansion, no DTD, no network, no huge trees (hostile files carry XXE and
entity bombs), and no part may unpack to more than MAX_PART_BYTES.
"""
from __future__ import annotations

import posixpath

from planingest.core.errors import BadInputError
from planingest.ingest.zipparts import open_zip, parse_xml, read_part

#: no OFD page or resource description is this large; a bigger part is a zip bomb
MAX_PART_BYTES = 64 * 1024 * 1024
#: an embedded page image (a scan) may be larger than XML, but not without limit
MAX_MEDIA_BYTES = 128 * 1024 * 1024
MAX_PARTS = 20_000



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
        self.zip = open_zip(data, "OFD")
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
        return read_part(self.zip, info, limit, "OFD")

    def xml(self, name: str):
        return parse_xml(self.read(name), f"damaged OFD: {name} is not well-formed XML")
