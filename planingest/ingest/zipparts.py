"""Zip packages of XML parts (OOXML's .docx/.xlsx, OFD), opened and read defensively.

Both families read a part the same way: refuse a part whose declared or actual
size passes a limit (a zip bomb lies in its header), turn every way zipfile
reports damage into a :class:`BadInputError` naming the part, and parse XML with
entity expansion, DTDs and network access off (hostile files carry XXE and
entity bombs).  ``what`` names the format in messages ("Word document (.docx)", "OFD").
"""
from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from planingest.core.errors import BadInputError

#: the parser every XML part goes through
SAFE_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                  remove_comments=True, remove_pis=True)

_OPEN_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """The zip archive of ``data``; BadInputError when it is truncated or not a zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _OPEN_ERRORS as exc:
        raise BadInputError(f"truncated or corrupt {what}: not a complete zip archive ({exc})") from None


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> bytes:
    """The bytes of one part, never more than ``limit`` (checked on the header and on what inflates)."""
    name = info.filename
    if info.file_size > limit:
        raise BadInputError(f"{what} part {name} unpacks to {info.file_size} bytes: too large (zip bomb?)")
    try:
        with archive.open(info) as handle:
            content = handle.read(limit + 1)
    except _READ_ERRORS as exc:
        raise BadInputError(f"damaged {what}: part {name} cannot be unpacked ({exc})") from None
    if len(content) > limit:
        raise BadInputError(f"{what} part {name} unpacks to more than {limit} bytes: too large (zip bomb?)")
    return content


def out_of_memory(exc: etree.XMLSyntaxError) -> bool:
    """True when libxml2 gave up for want of memory (under the worker's RLIMIT_AS it reports
    ERR_NO_MEMORY as a syntax error, "unknown error"): the limit's fault, not the file's."""
    if "Memory allocation failed" in str(exc):
        return True
    return any(entry.type == etree.ErrorTypes.ERR_NO_MEMORY for entry in getattr(exc, "error_log", ()))


def xml_error(exc: etree.XMLSyntaxError, message: str) -> Exception:
    """The exception to raise for a parse failure: MemoryError (the worker reports the limit)
    when memory ran out, else BadInputError with ``message`` and libxml2's words."""
    if out_of_memory(exc):
        return MemoryError(str(exc))
    return BadInputError(f"{message} ({exc})")


def parse_xml(content: bytes, message: str):
    """The root of an XML part parsed safely; ``message`` says which part when it is not XML."""
    try:
        root = etree.fromstring(content, SAFE_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, message) from None
    if root is None:
        raise BadInputError(f"{message}: the part is empty")
    return root
