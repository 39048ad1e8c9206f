"""Content-based format detection: magic bytes, zip and OLE structure, not the extension.

Returns one of the ``documents.file_format`` values, or ``None`` for a file that
is not a document (images, archives, binaries, .DS_Store): such files are
``skipped``.  The extension is only a tie-breaker where content cannot tell
(a damaged zip, an OLE file with an encrypted OOXML package inside, a WPS file
that is a Word binary under another name).

Decisions worth knowing:

* an HTML file (also one named .doc/.docx, as web sites often serve them) is
  ``html``, and a page saved as MHTML (MIME headers, whatever its name) ``mht``;
* JPEG, PNG, BMP and TIFF are ``image`` (scans and phone photos of pages, read by
  OCR); GIF, icons and other pictures stay not-documents;
* a zip with ``OFD.xml`` at its root is ``ofd`` (GB/T 33190); any other zip
  that is not an Office/ODF package is ``zip``, and 7z and RAR archives are
  ``7z``/``rar``: containers whose members are documents;
* an e-mail (a header block with From, an addressee and more) is ``eml``, a
  container too (:func:`planingest.ingest.archive.mail.looks_like_email`); an
  OLE2 file whose root holds Outlook's MAPI property streams is ``msg``, also a
  container (:func:`planingest.ingest.archive.outlook.is_outlook_tree`), whatever its name;
* an empty (0-byte) file named like an Office document keeps that format, so
  its extractor fails it as empty; any other empty file is ``txt``;
* text whose records agree on a delimiter (:func:`csv.Sniffer`) is ``csv``/``tsv``; the
  extension breaks the tie: a .csv/.tsv needs two such records, a .txt five
  (:func:`planingest.ingest.text.delimited.delimited_format`).
"""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from planingest.core.errors import BadInputError
from planingest.ingest.archive.mail import looks_like_email
from planingest.ingest.archive.outlook import is_outlook_tree
from planingest.ingest.magic import OLE_MAGIC
from planingest.ingest.text.decode import decode_text, looks_like_text
from planingest.ingest.web.mhtml import looks_like_mhtml

#: magic prefixes of common files that are certainly not documents
_NOT_DOCUMENTS = (
    b"GIF87a", b"GIF89a",  # animations and icons, never a scanned page
    b"\x00\x00\x00\x01Bud1", b"\x7fELF", b"\xca\xfe\xba\xbe",  # .DS_Store, binaries
    b"\xcf\xfa\xed\xfe", b"\x1f\x8b", b"BZh", b"\xfd7zXZ",  # compressed streams (not containers of files)
    b"ID3", b"fLaC", b"OggS", b"\x00\x00\x00\x18ftyp", b"\x00\x00\x00\x20ftyp",  # media
)

#: BOF record types of pre-OLE Excel (BIFF2, BIFF3, BIFF4) files
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")

#: OOXML main-part content types -> format
_CONTENT_TYPES = (
    ("wordprocessingml.document.main", "docx"),
    ("ms-word.document.macroenabled.main", "docx"),
    ("wordprocessingml.template.main", "docx"),
    ("ms-word.template.macroenabledtemplate.main", "docx"),
    ("spreadsheetml.sheet.main", "xlsx"),
    ("ms-excel.sheet.macroenabled.main", "xlsx"),
    ("spreadsheetml.template.main", "xlsx"),
    ("ms-excel.sheet.binary.macroenabled.main", "xlsb"),
    ("presentationml", "pptx"),
)

_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


#: page images read by OCR: JPEG, PNG, TIFF (both byte orders); BMP is checked apart (two magic bytes only)
_IMAGES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
#: sizes of the BMP info headers Windows and OS/2 write
_BMP_INFO_SIZES = (12, 16, 40, 52, 56, 64, 108, 124)


def _is_image(data: bytes) -> bool:
    if data.startswith(_IMAGES):
        return True
    return (data.startswith(b"BM") and len(data) >= 26
            and int.from_bytes(data[14:18], "little") in _BMP_INFO_SIZES)


#: a zip that is a package of a format we do not read (PowerPoint, ODF presentations, EPUB): not an archive
_PACKAGE = "package"


def _zip_format(data: bytes) -> str | None:
    """Tell OOXML/ODF/OFD packages apart by their parts; ``zip`` for an archive of files,
    ``zip-broken`` when unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "OFD.xml" in names:
                return "ofd"
            if "mimetype" in names:
                return _ODF_MIMETYPES.get(zf.read("mimetype").strip(), _PACKAGE)
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size < 1_000_000:
                    types = zf.read(info).decode("utf-8", "replace").lower()
                    for marker, fmt in _CONTENT_TYPES:
                        if marker in types:
                            return fmt
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError,
            NotImplementedError, RuntimeError, KeyError):
        return "zip-broken"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if not names:  # an empty zip tells nothing: named .docx/.xlsx it is a broken document, else an empty archive
        return "zip-broken"
    return _PACKAGE if "[Content_Types].xml" in names else "zip"


def _broken_zip_format(data: bytes, suffix: str) -> str | None:
    """Guess what a truncated zip was from the part names in its local headers.

    Its extractor then fails it with the real cause (truncated) instead of the
    file being skipped as "not a document".
    """
    head = data[:1_000_000]
    if b"OFD.xml" in head:
        return "ofd"
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    return suffix if suffix in ("docx", "xlsx", "zip") else None


def _ole_streams(data: bytes) -> set[str] | None:
    """Top-level and nested stream names of an OLE compound file (lowercase)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile raises OSError, struct.error, IndexError ... on damage
        return None


def _ole_format(data: bytes, suffix: str) -> str | None:
    streams = _ole_streams(data)
    if streams is None:
        # unreadable compound file: let the extension name the extractor that says so
        return {"doc": "doc", "wps": "wps", "xls": "xls", "et": "et", "msg": "msg"}.get(suffix)
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        # a password-protected OOXML file: its extractor reports it as encrypted
        return "xlsx" if suffix in ("xlsx", "xlsm", "xls", "et") else "docx"
    if "worddocument" in streams:
        return "wps" if suffix == "wps" else "doc"
    if "workbook" in streams or "book" in streams:
        return "et" if suffix == "et" else "xls"
    if is_outlook_tree(streams):
        return "msg"
    return None  # PowerPoint, MSI, thumbs.db ...


def _text_format(data: bytes, suffix: str = "") -> str:
    if looks_like_email(data, suffix):
        return "eml"
    if looks_like_mhtml(data):
        return "mht"
    sample = decode_text(data[:4096], partial=True).lstrip("\ufeff \t\r\n").lower()
    if sample.startswith(("<!doctype html", "<html", "<head", "<body", "<meta ")) or "<html" in sample[:2048]:
        return "html"
    from planingest.ingest.text.delimited import delimited_format  # csv module only until a file is read

    return delimited_format(decode_text(data[:65536], partial=True).lstrip("\ufeff"), suffix) or "txt"


def detect_format(path: Path, data: bytes) -> str | None:
    """Guess the document format of ``data`` (the file's bytes)."""
    head = data[:8]
    suffix = path.suffix.lower().lstrip(".")
    if not data:
        return suffix if suffix in ("docx", "xlsx", "doc", "wps", "xls", "et", "pdf", "ofd") else "txt"
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        fmt = _zip_format(data)
        if fmt == "zip-broken":
            return _broken_zip_format(data, suffix)
        return None if fmt == _PACKAGE else fmt
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")):
        return "7z" if head.startswith(b"7z") else "rar"
    if head.startswith(OLE_MAGIC):
        return _ole_format(data, suffix)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if suffix in ("xls", "et") and head[:2] in _BIFF_BOF and head[3:4] == b"\x00":
        return "xls"  # Excel 2-4 worksheet, before OLE containers existed
    if _is_image(data):
        return "image"
    if head.startswith(_NOT_DOCUMENTS):
        return None
    if looks_like_text(data):
        try:
            return _text_format(data, suffix)
        except BadInputError:
            pass
    # a .txt in an encoding we do not read is still a document: fail it, do not skip it
    return "txt" if suffix == "txt" else None
