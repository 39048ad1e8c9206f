"""Reading Office Open XML packages (the zip behind .docx/.xlsx) defensively.

Shared by the DOCX and XLSX extractors: turning "password-protected" and "missing
part" into :class:`BadInputError` messages a user can act on and following
relationships to the main part (whose name is not always ``word/document.xml``).
Opening the zip, reading a part within limits and parsing XML safely are
:mod:`planingest.ingest.zipparts`', shared with the OFD reader.
"""
from __future__ import annotations

import io
import posixpath

from lxml import etree

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.ingest.magic import OLE_MAGIC
from planingest.ingest.zipparts import SAFE_XML_PARSER, open_zip, read_part, xml_error

#: no legitimate plan has an XML part this large; a bigger one is a zip bomb
MAX_PART_BYTES = 256 * 1024 * 1024

ENCRYPTED_MESSAGE = "password-protected: remove the password and resubmit"



_OFFICE_DOCUMENT = "/officeDocument"  # suffix of the main-part relationship type (transitional and strict)


def reject_ole(data: bytes, what: str) -> None:
    """Raise the right error for an OLE compound file handed to an OOXML reader.

    Office wraps a password-protected .docx/.xlsx in an OLE file holding the
    ``EncryptionInfo`` and ``EncryptedPackage`` streams.
    """
    if not data.startswith(OLE_MAGIC):
        return
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile signals damage with many exception types
        raise BadInputError(f"damaged file: an unreadable OLE container, not a {what}") from None
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise EncryptedDocumentError(ENCRYPTED_MESSAGE)
    raise BadInputError(f"an old binary Office file (OLE), not a {what}")


class Package:
    """An opened OOXML zip: parts by name and relationships."""

    def __init__(self, data: bytes, what: str):
        self.what = what
        if not data:
            raise BadInputError(f"empty file (0 bytes), not a {what}")
        reject_ole(data, what)
        if not data.startswith(b"PK"):
            raise BadInputError(f"not a {what}: the content is not a zip package")
        self.zip = open_zip(data, "file")
        self.names = set(self.zip.namelist())

    def read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise BadInputError(f"damaged {self.what}: part {name} is missing") from None
        return read_part(self.zip, info, MAX_PART_BYTES, self.what)

    def xml(self, name: str) -> etree._Element:
        content = self.read(name)
        try:
            root = etree.fromstring(content, SAFE_XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise xml_error(exc, f"damaged {self.what}: {name} is not well-formed XML") from None
        if root is None:
            raise BadInputError(f"damaged {self.what}: {name} is empty")
        return root

    def iterparse(self, name: str, local: str | tuple[str, ...]):
        """Stream the elements named ``local`` (or any of several names; any namespace) of a large part."""
        source = io.BytesIO(self.read(name))
        tags = [f"{{*}}{x}" for x in ((local,) if isinstance(local, str) else local)]
        try:
            yield from etree.iterparse(
                source, events=("end",), tag=tags,
                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            )
        except etree.XMLSyntaxError as exc:
            raise xml_error(exc, f"damaged {self.what}: {name} is not well-formed XML") from None

    def relationship_targets(self, part: str) -> dict[str, str]:
        """Relationship id -> target part name, for the internal relationships of ``part``."""
        return {rid: name for rid, _, name in self._relationships(part)}

    def relationships(self, part: str) -> list[tuple[str, str]]:
        """(type, target part name) of the internal relationships of ``part`` ("" = package)."""
        return [(kind, name) for _, kind, name in self._relationships(part)]

    def _relationships(self, part: str) -> list[tuple[str, str, str]]:
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return []
        try:
            rels = self.xml(rels_name)
        except BadInputError:
            return []  # damaged relationships: callers fall back to the conventional part names
        out = []
        for rel in rels:
            if not isinstance(rel.tag, str) or rel.get("TargetMode", "").lower() == "external":
                continue
            target = (rel.get("Target") or "").replace("\\", "/")
            if not target:
                continue
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Id") or "", rel.get("Type") or "", name))
        return out

    def related(self, part: str, type_suffix: str) -> list[str]:
        """Existing parts that ``part`` relates to with a type ending in ``type_suffix``."""
        return [n for t, n in self.relationships(part) if t.endswith(type_suffix) and n in self.names]

    def main_part(self, default: str) -> str:
        """The officeDocument part (follows the package relationships; falls back to ``default``)."""
        for name in self.related("", _OFFICE_DOCUMENT):
            return name
        if default in self.names:
            return default
        raise BadInputError(f"not a {self.what}, or damaged: the package has no {default} (main document part)")
