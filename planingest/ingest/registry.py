"""The format table: the one place where input formats are registered.

Adding a format takes a member of :class:`~planingest.core.enums.FileFormat`,
an extractor (a module exposing ``EXTRACTOR``, usually a sub-package of
``planingest.ingest``) and one line in ``FORMATS``.  Extractors are imported
lazily, so a batch of text files never pays for importing the PDF or OCR stack.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from planingest.core.enums import FileFormat
from planingest.core.errors import UnsupportedFormatError
from planingest.core.records import ExtractedDocument
from planingest.ingest.base import Extractor
from planingest.ingest.detect import detect_format


@dataclass(frozen=True)
class FormatSpec:
    """How one file format is read: ``extractor`` is "module:attribute", None when not read yet."""

    extractor: str | None
    family: str  # the ingest sub-package that reads it, for people and for the README's table


_OFFICE_LEGACY = "planingest.ingest.office.legacy:EXTRACTOR"

#: every document format we recognise, and the extractor that reads it
FORMATS: dict[FileFormat, FormatSpec] = {
    FileFormat.TXT: FormatSpec("planingest.ingest.text.reader:EXTRACTOR", "text"),
    FileFormat.DOCX: FormatSpec("planingest.ingest.office.docx:EXTRACTOR", "office"),
    FileFormat.XLSX: FormatSpec("planingest.ingest.office.xlsx:EXTRACTOR", "office"),
    FileFormat.PDF: FormatSpec("planingest.ingest.pdf.reader:EXTRACTOR", "pdf"),
    FileFormat.DOC: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.WPS: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.XLS: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.ET: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.ODT: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.RTF: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.ODS: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.XLSB: FormatSpec(_OFFICE_LEGACY, "office"),
    FileFormat.HTML: FormatSpec("planingest.ingest.web.reader:EXTRACTOR", "web"),
    FileFormat.MHT: FormatSpec("planingest.ingest.web.reader:EXTRACTOR", "web"),
    FileFormat.OFD: FormatSpec("planingest.ingest.ofd.reader:EXTRACTOR", "ofd"),
    FileFormat.IMAGE: FormatSpec("planingest.ingest.image.reader:EXTRACTOR", "image"),
    FileFormat.CSV: FormatSpec("planingest.ingest.text.delimited:EXTRACTOR", "text"),
    FileFormat.TSV: FormatSpec("planingest.ingest.text.delimited:EXTRACTOR", "text"),
}


#: containers: not read themselves, their members are documents (``ingest/archive``; the batch expands them)
CONTAINERS: dict[FileFormat, FormatSpec] = {
    FileFormat.ZIP: FormatSpec(None, "archive"),
    FileFormat.SEVEN_Z: FormatSpec(None, "archive"),
    FileFormat.RAR: FormatSpec(None, "archive"),
    FileFormat.EML: FormatSpec(None, "archive"),
    FileFormat.MSG: FormatSpec(None, "archive"),
}


def is_container(file_format: str | None) -> bool:
    """An archive or an e-mail: a row of its own whose members are documents (parent_id)."""
    return file_format is not None and file_format in CONTAINERS


def extractor_for(file_format: str) -> Extractor:
    spec = FORMATS.get(file_format)  # type: ignore[call-overload]  # a StrEnum key equals its string
    if spec is None or spec.extractor is None:
        raise UnsupportedFormatError(f"{file_format} files are not supported yet")
    module_name, attr = spec.extractor.split(":")
    return getattr(importlib.import_module(module_name), attr)


def is_document(file_format: str | None) -> bool:
    """A format we recognise as a document (read or not yet): anything else is skipped."""
    return file_format is not None and file_format in FORMATS


def extract(path: Path, data: bytes | None = None, file_format: str | None = None) -> ExtractedDocument:
    """Detect the format of ``path`` by content (unless given) and extract it."""
    if data is None:
        data = Path(path).read_bytes()
    if file_format is None:
        file_format = detect_format(Path(path), data)
    if file_format is None:
        raise UnsupportedFormatError("not a document (no known document format in its content)")
    return extractor_for(file_format).extract(Path(path), data, FileFormat(file_format))
