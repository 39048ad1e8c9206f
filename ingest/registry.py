"""The one place where input formats are registered.

Adding a format takes an extractor module and a line in ``_EXTRACTORS``.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ingest.base import Extractor
from ingest.detect import detect_format
from planingest.errors import UnsupportedFormatError
from planingest.records import ExtractedDocument

# file_format -> "module:attribute" of an Extractor instance (imported lazily so
# that a batch of text files never pays for importing the PDF or OCR stack)
_EXTRACTORS: dict[str, str] = {
    "txt": "ingest.text:EXTRACTOR",
    "docx": "ingest.docx:EXTRACTOR",
    "xlsx": "ingest.xlsx:EXTRACTOR",
    "pdf": "ingest.pdf:EXTRACTOR",
    "doc": "ingest.legacy:EXTRACTOR",
    "wps": "ingest.legacy:EXTRACTOR",
    "xls": "ingest.legacy:EXTRACTOR",
    "et": "ingest.legacy:EXTRACTOR",
}

#: formats that are documents but that no extractor reads yet (status failed, not skipped)
KNOWN_DOCUMENT_FORMATS = {"txt", "docx", "doc", "wps", "pdf", "xlsx", "xls", "odt", "rtf", "html",
                          "et", "ods", "xlsb"}


def extractor_for(file_format: str) -> Extractor:
    target = _EXTRACTORS.get(file_format)
    if target is None:
        raise UnsupportedFormatError(f"{file_format} files are not supported yet")
    module_name, attr = target.split(":")
    return getattr(importlib.import_module(module_name), attr)


def is_document(file_format: str | None) -> bool:
    return file_format in KNOWN_DOCUMENT_FORMATS


def extract(path: Path, data: bytes | None = None, file_format: str | None = None) -> ExtractedDocument:
    """Detect the format of ``path`` by content and extract it."""
    if data is None:
        data = Path(path).read_bytes()
    if file_format is None:
        file_format = detect_format(Path(path), data)
    if file_format is None:
        raise UnsupportedFormatError("not a document (no known document format in its content)")
    return extractor_for(file_format).extract(Path(path), data, file_format)
