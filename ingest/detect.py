"""Content-based format detection: magic bytes and zip structure, not the extension.

Returns one of the ``documents.file_format`` values, or ``None`` for a file that
is not a document (images, archives, binaries): such files are ``skipped``.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.textdecode import looks_like_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip-broken"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return None


def detect_format(path: Path, data: bytes) -> str | None:
    """Guess the document format of ``data`` (the file's bytes)."""
    head = data[:8]
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        fmt = _zip_format(data)
        if fmt == "zip-broken":
            # a truncated Office file still starts like one; let its extractor say why
            return suffix if suffix in ("docx", "xlsx") else None
        return fmt
    if head.startswith(OLE_MAGIC):
        if suffix in ("wps", "et"):
            return "wps" if suffix == "wps" else None
        if suffix in ("xls",):
            return "xls"
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data[:200_000]:
            return "doc"
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data[:200_000]:
            return "xls"
        return "doc" if suffix == "doc" else None
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if looks_like_text(data):
        lowered = data[:2048].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            return "html"
        return "txt"
    return None
