"""The extractor interface every input format implements."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from planingest.core.records import ExtractedDocument


class Extractor(Protocol):
    """Reads one file format into paragraphs and table grids in reading order.

    An extractor raises :class:`planingest.core.errors.BadInputError` (or a subclass)
    for a file it cannot read; it never returns partial garbage silently.
    """

    #: the ``file_format`` values (as in documents.file_format) it handles
    formats: tuple[str, ...]

    def extract(self, path: Path, data: bytes, file_format: str) -> ExtractedDocument: ...
