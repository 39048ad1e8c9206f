"""Everything LibreOffice opens and we do not parse ourselves, through one route table.

Legacy binaries (.doc, WPS .wps, .xls, WPS .et), RTF, OpenDocument (.odt, .ods)
and binary Excel 2007 (.xlsb) are converted with ``soffice --headless --convert-to``
(to .docx or .xlsx) in a private temporary directory and then read by the DOCX
or XLSX extractor, so tables get the same grid treatment whatever the format.

The conversion itself is :mod:`planingest.ingest.office.libreoffice`.

Password protection is detected before converting (from the Word FIB flags or
the Excel FILEPASS record): LibreOffice would only fail vaguely on it.
"""
from __future__ import annotations

import io
import struct
from pathlib import Path

from planingest.core.errors import BadInputError, EncryptedDocumentError
from planingest.core.records import ExtractedDocument
from planingest.ingest.magic import OLE_MAGIC
from planingest.ingest.office.docx import read_docx
from planingest.ingest.office.libreoffice import convert
from planingest.ingest.office.ooxml import ENCRYPTED_MESSAGE
from planingest.ingest.office.xlsx import read_xlsx

#: file_format -> (extension for the input copy, target format, Debian package)
_ROUTES = {
    "doc": ("doc", "docx", "libreoffice-writer"),
    "wps": ("doc", "docx", "libreoffice-writer"),  # WPS writer files are Word binaries
    "xls": ("xls", "xlsx", "libreoffice-calc"),
    "et": ("xls", "xlsx", "libreoffice-calc"),  # WPS spreadsheets likewise
    "rtf": ("rtf", "docx", "libreoffice-writer"),
    "odt": ("odt", "docx", "libreoffice-writer"),
    "ods": ("ods", "xlsx", "libreoffice-calc"),
    "xlsb": ("xlsb", "xlsx", "libreoffice-calc"),
}

_FILEPASS = 0x002F
_BIFF_EOF = 0x000A


def _ole_stream(data: bytes, name: str) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists(name):
                return None
            return ole.openstream(name).read(1 << 16)
    except Exception:  # olefile signals damage with many exception types
        return None  # LibreOffice is more lenient: let it try, and fail the file if it cannot


def word_is_encrypted(word_stream: bytes) -> bool:
    """FIB flag fEncrypted of a ``WordDocument`` stream (Word 6/95 and 97+ share its place)."""
    if len(word_stream) < 12:
        return False
    ident, flags = struct.unpack_from("<HxxxxxxxxH", word_stream, 0)
    return ident in (0xA5EC, 0xA5DC) and bool(flags & 0x0100)


def workbook_is_encrypted(workbook_stream: bytes) -> bool:
    """Whether the globals substream of a BIFF workbook holds a FILEPASS record."""
    pos = 0
    while pos + 4 <= len(workbook_stream):
        kind, size = struct.unpack_from("<HH", workbook_stream, pos)
        if kind == _FILEPASS:
            return True
        if kind == _BIFF_EOF:
            return False
        pos += 4 + size
    return False


def check_not_encrypted(data: bytes, file_format: str) -> None:
    """Raise EncryptedDocumentError for a password-protected Word or Excel binary."""
    if not data.startswith(OLE_MAGIC):
        return  # pre-OLE binaries (Excel 2-4) have no password scheme we can see
    if file_format in ("doc", "wps"):
        stream = _ole_stream(data, "WordDocument")
        if stream is not None and word_is_encrypted(stream):
            raise EncryptedDocumentError(ENCRYPTED_MESSAGE)
    else:
        for name in ("Workbook", "Book"):
            stream = _ole_stream(data, name)
            if stream is not None and workbook_is_encrypted(stream):
                raise EncryptedDocumentError(ENCRYPTED_MESSAGE)


def read_legacy(data: bytes, file_format: str) -> ExtractedDocument:
    if file_format not in _ROUTES:
        raise BadInputError(f"{file_format} is not a format LibreOffice converts for us")
    if not data:
        raise BadInputError(f"empty file (0 bytes), not a .{file_format}")
    check_not_encrypted(data, file_format)
    converted = convert(data, *_ROUTES[file_format])
    try:
        if _ROUTES[file_format][1] == "docx":
            return read_docx(converted, file_format)
        return read_xlsx(converted, file_format)
    except BadInputError as exc:
        raise BadInputError(f"LibreOffice converted the file but the result is unreadable: {exc}") from None


class LegacyExtractor:
    formats = tuple(_ROUTES)

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument:
        return read_legacy(data, file_format)


EXTRACTOR = LegacyExtractor()
